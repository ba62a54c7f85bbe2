"""The upstream topic of tests/contracts/VECTORS.md: calls of either operation and reloads of one `Upstream`.

The calls run as in the call topic (call_vector.py), each on the operation it names, with the same
scripted classifier for both operations; a reconfigure step reloads the whole `payment` section and
compares each operation's breaker, budget and bulkhead afterwards.
"""

from __future__ import annotations

from checkout_payments.conformance.call_vector import CLASSIFIER, Answer, Clock, Draws, ScriptError, run_step
from checkout_payments.conformance.compare import Json, compare
from checkout_payments.generated.timeout_config import PaymentSettings
from checkout_payments.resilience import OPERATIONS, AsyncUpstream, Operation, Role, Upstream


def run_upstream(vector: Json, *, asynchronous: bool) -> list[str]:
    """The mismatches of an upstream vector; `asynchronous` runs its calls through `AsyncUpstream`."""
    clock, draws = Clock(), Draws(list(vector["draws"]))
    payment = PaymentSettings.model_validate(vector["settings"])
    role, classifiers = Role(vector["role"]), dict.fromkeys(OPERATIONS, CLASSIFIER)
    upstream: Upstream[Answer] | AsyncUpstream[Answer]
    if asynchronous:
        upstream = AsyncUpstream(payment, role, classifiers, clock=clock, random=draws, sleep=clock.sleep_async)
    else:
        upstream = Upstream(payment, role, classifiers, clock=clock, random=draws, sleep=clock.sleep)
    mismatches: list[str] = []
    for number, step in enumerate(vector["steps"], 1):
        if "reconfigure" in step:
            upstream.reconfigure(PaymentSettings.model_validate(step["reconfigure"]))
            actual: Json = {operation: _state(upstream, operation) for operation in OPERATIONS}
            mismatches += compare(f"step {number} (reconfigure)", actual, step["expect"])
            continue
        where = f"step {number} ({step['operation']} at {step['start_ms']})"
        try:
            mismatches += run_step(upstream.operation(step["operation"]), step, where, clock, draws)
        except ScriptError as error:
            return [*mismatches, f"{where}: {error}"]
    return mismatches


def _state(upstream: Upstream[Answer] | AsyncUpstream[Answer], operation: Operation) -> Json:
    loop = upstream.operation(operation)
    return {
        "breaker_state": loop.breaker.state.value,
        "breaker_generation": loop.breaker.generation,
        "tokens_milli": loop.budget.tokens_milli,
        "max_concurrent": loop.bulkhead.max_concurrent,
        "in_flight": loop.bulkhead.in_flight,
    }
