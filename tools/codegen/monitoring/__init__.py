"""Monitoring from the one config: Prometheus alert rules, their promtool tests and a Grafana dashboard.

config reads config/timeout.json; alerts defines the rules; rules_file, rule_tests and dashboard each
render one generated file; tools.codegen.emit_monitoring puts them together.
"""
