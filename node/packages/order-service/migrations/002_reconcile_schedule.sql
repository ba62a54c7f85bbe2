-- The reconciler's schedule (issue 11 f). Every look at an unsettled order moves its
-- next_reconcile_at on (with a backoff that grows with reconcile_attempts), so the orders looked
-- at least recently come first and no order waits behind the same oldest ones forever. Replicas
-- claim due orders with FOR UPDATE SKIP LOCKED in one short statement that also moves the time on,
-- so two replicas never look at the same order in one round.
ALTER TABLE orders
  ADD COLUMN next_reconcile_at  timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN reconcile_attempts integer     NOT NULL DEFAULT 0 CHECK (reconcile_attempts >= 0);

DROP INDEX orders_unsettled;
CREATE INDEX orders_reconcile_due ON orders (next_reconcile_at, id) WHERE status IN ('PENDING', 'PAYMENT_UNKNOWN');
