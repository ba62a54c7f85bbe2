import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

import { ConfigError, parseConfig, type LoadedConfig, type TimeoutConfig } from "@checkout/core";
import type { Logger } from "pino";

import type { Clock } from "../clock.js";

/** The config in force: what was loaded, and when. Replaced whole, never mutated. */
export interface ActiveConfig {
  readonly loaded: LoadedConfig;
  readonly loadedAt: Date;
}

/** What one reload poll did. */
export type ReloadResult = "unchanged" | "success" | "failure";

export type ConfigListener = (next: ActiveConfig, previous: ActiveConfig) => void;

/**
 * Holds the active config and swaps it, all or nothing, when the file at its path changes to a valid
 * document with a new fingerprint (config/LOADING.md). An invalid file is logged with every
 * violation, counted, and ignored: the last good config stays. So is a valid file with lint
 * warnings (issue 11 h): a warning marks a setting meant only for a deliberate start — the replay's
 * `legacy_hold_connection_during_payment` — and a running service must not be switched into it by
 * an edit; a start with warnings is allowed (and logs them). The path is re-read on every poll,
 * so a Kubernetes-style `..data` symlink swap is seen like an edit.
 */
export class ConfigHolder {
  readonly #path: string;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #listeners: ConfigListener[] = [];
  readonly #resultListeners: ((result: Exclude<ReloadResult, "unchanged">) => void)[] = [];
  #active: ActiveConfig;
  // The last bytes read: a file that has not changed is neither parsed nor reported again.
  #lastDigest: string;
  #timer: NodeJS.Timeout | undefined;

  constructor(loaded: LoadedConfig, options: { clock: Clock; logger: Logger }) {
    this.#path = loaded.path;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#active = Object.freeze({ loaded, loadedAt: options.clock.wall() });
    this.#lastDigest = digestOf(this.#path) ?? "";
  }

  get active(): ActiveConfig {
    return this.#active;
  }

  get settings(): TimeoutConfig {
    return this.#active.loaded.settings;
  }

  get path(): string {
    return this.#path;
  }

  /** Called after every swap with the new and the previous config, in registration order. */
  onChange(listener: ConfigListener): void {
    this.#listeners.push(listener);
  }

  /** Called after every reload that swapped (`success`) or rejected (`failure`) a file. */
  onReloadResult(listener: (result: Exclude<ReloadResult, "unchanged">) => void): void {
    this.#resultListeners.push(listener);
  }

  /** Re-reads the file once. */
  reload(): ReloadResult {
    let text: string;
    let digest: string;
    try {
      const bytes = readFileSync(this.#path);
      digest = createHash("sha256").update(bytes).digest("hex");
      if (digest === this.#lastDigest) {
        return "unchanged";
      }
      this.#lastDigest = digest;
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const marker = `unreadable:${reason}`;
      if (marker === this.#lastDigest) {
        return "unchanged";
      }
      this.#lastDigest = marker;
      return this.#reject(
        new ConfigError(this.#path, [
          { pointer: "", rule: "read", message: `cannot read ${this.#path} as UTF-8: ${reason}` },
        ]),
      );
    }
    let loaded: LoadedConfig;
    try {
      loaded = parseConfig(text, this.#path);
    } catch (error) {
      if (error instanceof ConfigError) {
        return this.#reject(error);
      }
      throw error;
    }
    if (loaded.fingerprint === this.#active.loaded.fingerprint) {
      return "unchanged";
    }
    if (loaded.warnings.length > 0) {
      return this.#reject(
        new ConfigError(
          this.#path,
          loaded.warnings.map(({ pointer, rule, message }) => ({
            pointer,
            rule,
            message: `${message} (a lint warning: allowed at start, refused at reload)`,
          })),
          loaded.warnings,
        ),
      );
    }
    const previous = this.#active;
    const next: ActiveConfig = Object.freeze({ loaded, loadedAt: this.#clock.wall() });
    this.#active = next;
    this.#logger.info(
      {
        event: "config_reloaded",
        path: this.#path,
        version: loaded.settings.version,
        fingerprint: loaded.fingerprint,
        previous_fingerprint: previous.loaded.fingerprint,
        warnings: loaded.warnings,
      },
      "config reloaded",
    );
    for (const listener of this.#listeners) {
      listener(next, previous);
    }
    this.#reported("success");
    return "success";
  }

  /** Polls the file every `intervalMs` until {@link stop}. */
  start(intervalMs: number): void {
    this.stop();
    this.#timer = setInterval(() => {
      try {
        this.reload();
      } catch (error) {
        this.#logger.error({ err: error }, "config reload failed unexpectedly; the active config stays");
      }
    }, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #reported(result: Exclude<ReloadResult, "unchanged">): void {
    for (const listener of this.#resultListeners) {
      listener(result);
    }
  }

  #reject(error: ConfigError): ReloadResult {
    this.#logger.error(
      {
        event: "config_reload_rejected",
        error_class: error.errorClass,
        path: this.#path,
        violations: error.violations,
        active_fingerprint: this.#active.loaded.fingerprint,
      },
      "config reload rejected; the last good config stays",
    );
    this.#reported("failure");
    return "failure";
  }
}

function digestOf(file: string): string | undefined {
  try {
    return createHash("sha256").update(readFileSync(file)).digest("hex");
  } catch {
    return undefined;
  }
}
