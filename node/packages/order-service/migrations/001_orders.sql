-- Orders and the state of their one payment. The payment token is never stored: it lives only in
-- the memory of the request that pays, so an order found PENDING after a crash can be settled by
-- reconciliation but never paid.
CREATE TABLE orders (
  id                  uuid        PRIMARY KEY,
  -- The client's Idempotency-Key, or a fresh UUID when it sent none: the unique constraint is what
  -- makes concurrent POSTs with one key create exactly one order.
  idempotency_key     text        NOT NULL CONSTRAINT orders_idempotency_key_unique UNIQUE
                                  CHECK (char_length(idempotency_key) BETWEEN 1 AND 255),
  -- SHA-256 of the canonical request without its payment token: tells a replay from a conflict.
  request_hash        text        NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
  customer_id         text        NOT NULL CHECK (char_length(customer_id) BETWEEN 1 AND 64),
  amount_minor        bigint      NOT NULL CHECK (amount_minor BETWEEN 1 AND 1000000000000),
  currency            char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status              text        NOT NULL
                                  CHECK (status IN ('PENDING', 'PAID', 'DECLINED', 'FAILED', 'PAYMENT_UNKNOWN')),
  -- The Idempotency-Key the gateway knows this payment by (the same on every attempt).
  payment_key         text        NOT NULL CONSTRAINT orders_payment_key_unique UNIQUE,
  payment_status      text        NOT NULL
                                  CHECK (payment_status IN ('pending', 'authorised', 'declined', 'failed', 'unknown')),
  payment_error_class text        NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- The reconciler's work list: only unsettled orders, oldest first.
CREATE INDEX orders_unsettled ON orders (updated_at) WHERE status IN ('PENDING', 'PAYMENT_UNKNOWN');
