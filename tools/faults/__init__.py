"""The fault campaign (`nox -s faults`): the fleet under incident-rate traffic and a seeded fault schedule,
then the money invariants checked and printed per fault kind (docs/FAULTS.md)."""
