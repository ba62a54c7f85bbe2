"""Start the real stack — simulator, Java gateway, Node order service — as processes, and stop it.

Shared by the demo, the end-to-end tests, the incident replay and the Prometheus e2e, so every one
of them runs the same binaries the same way and leaves no process or port behind. `StackOptions(replicas=N)`
runs a fleet: N gateways and N order services behind HAProxy (tools/stack/balancer.py, docs/FAULTS.md).
"""

from tools.stack.process import ServiceProcess, StartupError
from tools.stack.stack import Stack, StackOptions

__all__ = ["ServiceProcess", "Stack", "StackOptions", "StartupError"]
