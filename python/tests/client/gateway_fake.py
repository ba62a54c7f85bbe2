"""A real HTTP stand-in for the Java payment gateway (java/gateway), on 127.0.0.1 in a background thread.

It follows the gateway's published API — every answer it gives and every request it gets is checked
against java/gateway/src/main/resources/openapi.json (`contract_violations`) — and by default behaves
like the gateway: validates, authorises (a token containing "decline" is declined), keeps one record
per Idempotency-Key (same payload → the first answer again, other payload → 422, in flight → 409),
and answers `GET /payments/{key}`. As the gateway's payment outcome rule says, a `failed` answer
(scripted with `"status": "failed"`: breaker open, load shed, …) charged nothing and is no final
record: the key keeps its payload (another body → 422) and the same body runs the payment again.
A test scripts the next answers exactly where it needs a fault: a delay, a status and body, a hang
until the client leaves, or a dropped connection.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from gateway_contract import Contract, Seen, Step, error_answer, error_body
from short_config import SHORT

__all__ = ["Contract", "FakeGateway", "Seen", "Step", "error_body"]
_KEY = re.compile(r"[\x21-\x7e]{1,255}")
_DEADLINE = re.compile(r"-?[0-9]{1,10}")
# A hanging request gives up after this long even if its client never leaves (no test waits for it).
_HOLD_CAP_S = 10.0
_POLL_S = 0.005


@dataclass
class _Record:
    payload_hash: str
    status: str
    answer: dict[str, Any] | None = None
    http_status: int = 200


class FakeGateway:
    """Start with `start()` (port 0 picks a free one), stop with `close()`; safe to restart on its port."""

    def __init__(
        self, port: int = 0, contract: Contract | None = None, min_deadline_ms: int = SHORT["payment/min_deadline_ms"]
    ) -> None:
        self.port = port
        # The gateway's floor (payment.min_deadline_ms of the shortened config): a lower X-Deadline-Ms is refused.
        self.min_deadline_ms = min_deadline_ms
        self.contract = contract or Contract()
        self.seen: list[Seen] = []
        self.contract_violations: list[str] = []
        self._posts: deque[Step] = deque()
        self._gets: deque[Step] = deque()
        self._posts_by_key: dict[str, deque[Step]] = {}
        self._records: dict[str, _Record] = {}
        self._charges = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._stopping: asyncio.Event | None = None

    # ---- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> FakeGateway:
        ready = threading.Event()
        loop = asyncio.new_event_loop()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(self._start())
            ready.set()
            loop.run_forever()

        self._loop = loop
        self._thread = threading.Thread(target=run, name="fake-gateway", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fake gateway did not start")
        return self

    async def _start(self) -> None:
        self._stopping = asyncio.Event()
        app = web.Application()
        app.router.add_post("/payments", self._post)
        app.router.add_get("/payments/{key}", self._get)
        # A client that gives up must not cancel the handler: a charge it made stays made.
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    def close(self) -> None:
        if self._loop is None or self._runner is None:
            return
        loop, runner, stopping = self._loop, self._runner, self._stopping
        if stopping is not None:
            loop.call_soon_threadsafe(stopping.set)
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        assert self._thread is not None
        self._thread.join(10)
        loop.close()
        self._loop = self._runner = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # ---- scripting and inspection ------------------------------------------------------------------

    def script_post(self, *steps: Step) -> None:
        self._posts.extend(steps)

    def script_get(self, *steps: Step) -> None:
        self._gets.extend(steps)

    def script_post_for(self, key: str, *steps: Step) -> None:
        """Steps for the POSTs of one Idempotency-Key only (concurrent callers stay deterministic)."""
        self._posts_by_key.setdefault(key, deque()).extend(steps)

    def posts(self) -> list[Seen]:
        return [seen for seen in self.seen if seen.method == "POST"]

    def keys_posted(self) -> list[str | None]:
        return [seen.idempotency_key for seen in self.posts()]

    def charges(self) -> int:
        """Payments authorised or declined (each key charged at most once)."""
        return self._charges

    # ---- routes ------------------------------------------------------------------------------------

    async def _post(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        body = _parse(raw)
        key = request.headers.get("Idempotency-Key")
        deadline = request.headers.get("X-Deadline-Ms")
        self.seen.append(Seen("POST", request.path, key, deadline, body, time.monotonic(), _peer(request)))
        self._check_request(key, deadline, body)
        step = self._next_post(key)
        if step is not None:
            return await self._scripted(request, step, "PaymentResult", key, body)
        return self._json(self._pay(key, deadline, body), "PaymentResult")

    def _next_post(self, key: str | None) -> Step | None:
        for_key = self._posts_by_key.get(key or "")
        if for_key:
            return for_key.popleft()
        return self._posts.popleft() if self._posts else None

    async def _get(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["key"]
        self.seen.append(Seen("GET", request.path, key, request.headers.get("X-Deadline-Ms"), None, time.monotonic()))
        step = self._gets.popleft() if self._gets else None
        if step is not None:
            return await self._scripted(request, step, "PaymentStatus", key, None)
        record = self._records.get(key)
        if record is None:
            return self._json(error_answer(404, "NOT_FOUND", f"no payment with idempotency key {key}"), "PaymentStatus")
        answer = record.answer or {}
        status_body = {"idempotency_key": key, "status": record.status}
        status_body.update({k: v for k, v in answer.items() if k in ("order_id", "charge_id", "decline_reason")})
        return self._json((200, status_body, {}), "PaymentStatus")

    async def _scripted(
        self, request: web.Request, step: Step, success_schema: str, key: str | None, body: Any
    ) -> web.StreamResponse:
        if step.charge and key is not None and isinstance(body, dict):
            self._charge(key, body)
        if key is not None and isinstance(body, dict) and isinstance(step.body, dict):
            self._failed(key, body, step.body)
        if step.drop:
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=499)
        if step.hang:
            await self._hold(request)
            return web.Response(status=499)
        if step.delay_ms:
            await asyncio.sleep(step.delay_ms / 1000)
        if step.body is None and step.status == 200 and success_schema == "PaymentResult":
            paid_status, paid, paid_headers = self._pay(key, request.headers.get("X-Deadline-Ms"), body)
            return self._json((paid_status, paid, {**paid_headers, **step.headers}), success_schema)
        answer: dict[str, Any] | None = step.body
        if answer is None and step.status >= 400:
            answer = error_answer(step.status, "UPSTREAM_UNAVAILABLE", "scripted")[1]
        if step.off_contract:
            return web.Response(
                status=step.status,
                text="" if answer is None else json.dumps(answer),
                headers=step.headers,
                content_type="application/json",
            )
        return self._json((step.status, answer or {}, step.headers), success_schema)

    async def _hold(self, request: web.Request) -> None:
        cap = time.monotonic() + _HOLD_CAP_S
        while time.monotonic() < cap:
            transport = request.transport
            if transport is None or transport.is_closing():
                return
            if self._stopping is not None and self._stopping.is_set():
                return
            await asyncio.sleep(_POLL_S)

    # ---- the gateway's default behaviour -----------------------------------------------------------

    def _pay(self, key: str | None, deadline: str | None, body: Any) -> tuple[int, dict[str, Any], dict[str, str]]:
        if key is None or _KEY.fullmatch(key) is None:
            return error_answer(400, "INVALID_REQUEST", "Idempotency-Key is required", "/headers/Idempotency-Key")
        if deadline is not None:
            if _DEADLINE.fullmatch(deadline) is None:
                return error_answer(400, "INVALID_REQUEST", "bad X-Deadline-Ms", "/headers/X-Deadline-Ms")
            if int(deadline) <= 0:
                return error_answer(504, "DEADLINE_EXCEEDED", "the caller stopped waiting", status="failed")
            if int(deadline) < self.min_deadline_ms:
                floor = f"X-Deadline-Ms is {deadline} ms, below min_deadline_ms {self.min_deadline_ms}"
                return error_answer(400, "INVALID_REQUEST", floor, "/headers/X-Deadline-Ms")
        problems = self.contract.violations("PaymentRequest", body)
        if problems:
            return error_answer(400, "INVALID_REQUEST", "; ".join(problems), "")
        record = self._records.get(key)
        if record is not None:
            if record.payload_hash != _hash(body):
                return error_answer(422, "IDEMPOTENCY_CONFLICT", f"key {key} was used for another payment")
            if record.status == "failed":
                # Nothing was charged: the same key and body run the payment again.
                del self._records[key]
                return self._pay(key, deadline, body)
            if record.answer is None:
                return error_answer(409, "IDEMPOTENCY_CONFLICT", f"payment {key} is in flight", status="unknown")
            return record.http_status, record.answer, {"Idempotent-Replayed": "true"}
        record = self._charge(key, body)
        assert record.answer is not None
        return 200, record.answer, {}

    def _charge(self, key: str, body: dict[str, Any]) -> _Record:
        existing = self._records.get(key)
        if existing is not None and existing.status != "failed":
            return existing
        self._charges += 1
        declined = "decline" in str(body.get("payment_token", ""))
        answer: dict[str, Any] = {
            "idempotency_key": key,
            "order_id": body.get("order_id"),
            "status": "declined" if declined else "authorised",
            "charge_id": f"ch_{self._charges:06d}",
            "amount_minor": body.get("amount_minor"),
            "currency": body.get("currency"),
            "attempts": 1,
        }
        if declined:
            answer["decline_reason"] = "insufficient_funds"
        record = _Record(_hash(body), answer["status"], answer)
        self._records[key] = record
        return record

    def _failed(self, key: str, body: dict[str, Any], answer: dict[str, Any]) -> None:
        """A scripted answer saying `"status": "failed"` leaves a record that keeps the key's payload only."""
        if answer.get("status") == "failed" and key not in self._records:
            self._records[key] = _Record(_hash(body), "failed")

    def _check_request(self, key: str | None, deadline: str | None, body: Any) -> None:
        if key is None or _KEY.fullmatch(key) is None:
            self.contract_violations.append(f"request: Idempotency-Key {key!r} breaks the API")
        if deadline is None or _DEADLINE.fullmatch(deadline) is None or int(deadline) < self.min_deadline_ms:
            self.contract_violations.append(
                f"request: X-Deadline-Ms {deadline!r} missing or below min_deadline_ms {self.min_deadline_ms}"
            )
        self.contract_violations += [f"request: {p}" for p in self.contract.violations("PaymentRequest", body)]

    def _json(self, answer: tuple[int, dict[str, Any], dict[str, str]], success_schema: str) -> web.Response:
        status, body, headers = answer
        schema = success_schema if status == 200 else "Error"
        self.contract_violations += [f"answer {status}: {p}" for p in self.contract.violations(schema, body)]
        return web.json_response(body, status=status, headers=headers)


def _peer(request: web.Request) -> tuple[str, int] | None:
    transport = request.transport
    peer = transport.get_extra_info("peername") if transport is not None else None
    return (str(peer[0]), int(peer[1])) if peer else None


def _parse(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def _hash(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
