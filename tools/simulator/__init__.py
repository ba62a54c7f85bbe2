"""A deterministic payment-provider simulator: the upstream the payment gateway calls.

Framework: aiohttp.web, because `request.transport` lets a handler abort the socket with no HTTP answer and see
its client leave — what drop, hang and charge-then-timeout need, and what ASGI servers keep out of reach.

Run `python -m tools.simulator --help`; the APIs and the determinism rule are in docs/SIMULATOR.md.
"""
