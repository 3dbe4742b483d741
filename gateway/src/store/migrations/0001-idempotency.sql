-- Idempotency keys: a retried submit with the same key gets the first answer. One row per caller and key;
-- `pending` while its request runs, `done` with the answer after.
CREATE TABLE idempotency (
  scope text PRIMARY KEY,
  request_hash text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'done')),
  status_code integer,
  body jsonb,
  created_at bigint NOT NULL
);
CREATE INDEX idempotency_created ON idempotency (created_at);
