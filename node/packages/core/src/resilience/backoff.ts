import type { RetrySettings } from "../generated/index.js";

/**
 * The sleep before retry `retry` (1 = after the first attempt failed), SEMANTICS.md §2:
 * `b₁ = min(max, base)`, `bₙ = min(max, floor(bₙ₋₁ × multiplier))`, `delay = bₙ + floor(u × jitter_ms)`.
 *
 * `u` is one draw in [0, 1) — the caller draws it for every computed delay, also when `jitter_ms` is 0.
 */
export function backoffDelayMs(retry: number, settings: RetrySettings, u: number): number {
  if (!Number.isInteger(retry) || retry < 1) {
    throw new RangeError(`retry must be an integer >= 1, but was ${retry}`);
  }
  if (!(u >= 0 && u < 1)) {
    throw new RangeError(`u must be a draw in [0, 1), but was ${u}`);
  }
  const cap = settings.max_delay_ms;
  let base = Math.min(cap, settings.base_delay_ms);
  // Iterated, never pow: each step floors, and that is what the other kernels compute. The loop
  // stops at the cap or at a fixed point (floor(b × m) = b), so retry 2^31 costs a few steps.
  for (let n = 2; n <= retry && base < cap; n++) {
    const next = Math.min(cap, Math.floor(base * settings.backoff_multiplier));
    if (next === base) {
      break;
    }
    base = next;
  }
  return base + Math.floor(u * settings.jitter_ms);
}
