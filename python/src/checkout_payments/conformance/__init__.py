"""Conformance runners: tests/contracts vectors through the real kernel; not part of the kernel's API."""
