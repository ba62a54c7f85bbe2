"""Each service beside what a user would otherwise write (issue 14, item 1): `python -m tools.perf [--quick]`.

The gateway beside a bare Javalin forwarder, the order service beside a bare fastify + pg service, on one
provider and one PostgreSQL, driven by wrk (saturation) and an open-loop generator (a fixed rate); CPU per
request per process from /proc. perf/README.md describes the baselines and the provider stub.
"""
