-- The gateway's payment records: one row per Idempotency-Key, shared by every gateway replica
-- (docs/GATEWAY.md, "Payment records"). Applied once by com.checkout.payment.db.Migrations.
--
-- in_flight   a request holds the key until lease_expires_at (database clock); lease_token names
--             that request's claim, and only it may settle the row. No answer yet.
-- authorised, declined   final: replayed until retention_ms after updated_at, then reaped.
-- failed      no attempt can have charged; the same body runs again, another body is refused 422.
-- unknown     an attempt may have charged: the provider is asked before anything else.
--
-- No payment token is ever stored: payment holds order_id, amount_minor and currency only.
-- payment and answer_body are json, not jsonb: json keeps a \u0000 escape (legal in a JSON string,
-- which the gateway passes on), where jsonb and text refuse it.
CREATE TABLE payment_records (
    idempotency_key  text        PRIMARY KEY,
    request_hash     text        NOT NULL,
    state            text        NOT NULL
        CHECK (state IN ('in_flight', 'authorised', 'declined', 'failed', 'unknown')),
    payment          json        NOT NULL,
    answer_status    integer,
    answer_body      json,
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    lease_token      uuid        NOT NULL,
    lease_expires_at timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT in_flight_has_a_lease_and_no_answer CHECK (
        (state = 'in_flight') = (lease_expires_at IS NOT NULL)
        AND (state = 'in_flight') = (answer_body IS NULL)
        AND (answer_body IS NULL) = (answer_status IS NULL))
);

-- The reaper's scan: finished records, oldest first. in_flight and unknown rows are never reaped.
CREATE INDEX payment_records_reapable ON payment_records (updated_at)
    WHERE state IN ('authorised', 'declined', 'failed');
