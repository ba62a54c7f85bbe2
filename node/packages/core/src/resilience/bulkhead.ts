import type { BulkheadSettings } from "../generated/index.js";

/** One attempt's place in a bulkhead; its `release` applies once. */
export class BulkheadSlot {
  #release: (() => void) | undefined;

  constructor(release: () => void) {
    this.#release = release;
  }

  /**
   * Gives the slot back; whether this call did. A second release does nothing, so a slot released
   * twice (a finally after an explicit release) never frees the slot of another attempt.
   */
  release(): boolean {
    const release = this.#release;
    if (release === undefined) {
      return false;
    }
    this.#release = undefined;
    release();
    return true;
  }
}

/**
 * The bulkhead of SEMANTICS.md §11: a count of one operation's attempts in flight in this process,
 * at most `max_concurrent`. It never queues: under a slow upstream a queue would only move the
 * pile-up (each waiting attempt still pins a socket and memory), so a full bulkhead refuses at once
 * and the call ends `BULKHEAD_FULL` with nothing sent. Every method runs to completion without
 * awaiting, so concurrent calls never tear the count.
 */
export class Bulkhead {
  #settings: BulkheadSettings;
  #inFlight = 0;

  constructor(settings: BulkheadSettings) {
    this.#settings = settings;
  }

  get settings(): BulkheadSettings {
    return this.#settings;
  }

  get maxConcurrent(): number {
    return this.#settings.max_concurrent;
  }

  /** Attempts holding a slot now; above `maxConcurrent` only after a resize shrank it. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** A slot when fewer than `max_concurrent` attempts are in flight, else `null`. */
  tryAcquire(): BulkheadSlot | null {
    if (this.#inFlight >= this.#settings.max_concurrent) {
      return null;
    }
    this.#inFlight += 1;
    return new BulkheadSlot(() => {
      this.#inFlight -= 1;
    });
  }

  /**
   * A reload's new size, applied in place: the attempts in flight keep their slots (even above the
   * new limit), and a new one is admitted while `inFlight < max_concurrent`.
   */
  resize(settings: BulkheadSettings): void {
    this.#settings = settings;
  }
}
