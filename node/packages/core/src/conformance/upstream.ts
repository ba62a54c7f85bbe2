// The bulkhead and upstream topics of tests/contracts/VECTORS.md (SEMANTICS.md §11), through the real
// Bulkhead and Upstream. The vector already passed vector.schema.json (vectors.ts).
import type { BulkheadSettings, PaymentSettings } from "../generated/index.js";
import { Bulkhead, OPERATIONS, Upstream, type BulkheadSlot, type Operation, type Role } from "../resilience/index.js";
import { FakeWorld, SCRIPTED, playCall, type Answer, type ScriptedCall } from "./call.js";
import { compare, type Json } from "./compare.js";

type BulkheadStep =
  | { readonly acquire: string; readonly expect: Json }
  | { readonly release: string; readonly expect: Json }
  | { readonly resize: BulkheadSettings; readonly expect: Json };

/** The mismatches of a bulkhead vector: one Bulkhead driven by acquire, release and resize steps. */
export function runBulkhead(vector: Json): string[] {
  const bulkhead = new Bulkhead(vector["settings"] as BulkheadSettings);
  const slots = new Map<string, BulkheadSlot>();
  return (vector["steps"] as readonly BulkheadStep[]).flatMap((step, i) => {
    const where = `steps[${i}]`;
    let actual: Json;
    if ("acquire" in step) {
      const slot = bulkhead.tryAcquire();
      if (slot !== null) {
        slots.set(step.acquire, slot);
      }
      actual = { granted: slot !== null };
    } else if ("release" in step) {
      const slot = slots.get(step.release);
      if (slot === undefined) {
        return [`${where}: releases ${JSON.stringify(step.release)}, which no earlier step was granted`];
      }
      actual = { applied: slot.release() };
    } else {
      bulkhead.resize(step.resize);
      actual = {};
    }
    return compare(where, step.expect, { ...actual, in_flight: bulkhead.inFlight });
  });
}

type UpstreamStep =
  | (ScriptedCall & { readonly operation: Operation })
  | { readonly reconfigure: PaymentSettings; readonly expect: Json };

/**
 * The mismatches of an upstream vector: one Upstream built from the whole `payment` section, the same
 * scripted classifier for both operations, one fake clock and one draw queue; call steps run on their
 * operation, reconfigure steps reload the settings and compare both operations' state.
 */
export async function runUpstream(vector: Json): Promise<string[]> {
  const world = new FakeWorld(vector["draws"] as readonly number[]);
  const upstream = new Upstream<Answer>({
    payment: vector["settings"] as PaymentSettings,
    role: vector["role"] as Role,
    classifiers: { charge: SCRIPTED, lookup: SCRIPTED },
    clock: world.now,
    random: world.random,
    sleep: world.sleep,
  });
  for (const [index, step] of (vector["steps"] as readonly UpstreamStep[]).entries()) {
    const where = `steps[${index}]`;
    if ("reconfigure" in step) {
      upstream.reconfigure(step.reconfigure);
      const state = Object.fromEntries(
        OPERATIONS.map((operation) => {
          const call = upstream.operation(operation);
          return [
            operation,
            {
              breaker_state: call.breaker.state,
              breaker_generation: call.breaker.generation,
              tokens_milli: call.budget.tokensMilli,
              max_concurrent: call.bulkhead.maxConcurrent,
              in_flight: call.bulkhead.inFlight,
            },
          ];
        }),
      );
      world.mismatches.push(...compare(where, step.expect, state));
    } else {
      await playCall(world, upstream.operation(step.operation), step, where);
    }
  }
  return world.mismatches;
}
