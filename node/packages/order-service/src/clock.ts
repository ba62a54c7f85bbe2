import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";

/** Time as the service reads it: injected, so tests can see exactly what a deadline was. */
export interface Clock {
  /** Monotonic integer milliseconds (the resilience kernel's `now`). */
  now(): number;
  /** Wall-clock time, for timestamps shown to people (`loaded_at`, `last_run_at`). */
  wall(): Date;
  /** Resolves after `ms` milliseconds (backoff sleeps). */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = Object.freeze({
  now: () => Math.floor(performance.now()),
  wall: () => new Date(),
  sleep: (ms: number) => delay(ms),
});
