"""`nox -s demo` (`python -m tools.demo`): the real stack under a realistic batch of orders, and a report.

Starts the provider simulator, the Java gateway and the Node order service on one PostgreSQL and one
copy of config/timeout.json, drives orders through them — fast, slow, declined, a short provider outage
mid-run, a few answers lost after the charge — and prints what happened. See docs/DEMO.md.
"""
