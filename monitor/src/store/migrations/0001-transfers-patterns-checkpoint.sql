CREATE TABLE transfers (
  transfer_id text PRIMARY KEY,
  payer text NOT NULL,
  payee text NOT NULL,
  amount bigint NOT NULL,
  executed_at bigint NOT NULL,
  block bigint NOT NULL,
  tx_id text NOT NULL
);
CREATE INDEX transfers_payer ON transfers (payer, executed_at);
CREATE INDEX transfers_payee ON transfers (payee, executed_at);
CREATE INDEX transfers_executed ON transfers (executed_at);
CREATE TABLE pattern_alerts (
  key text PRIMARY KEY,
  typology text NOT NULL,
  parameters_version integer NOT NULL,
  score double precision NOT NULL,
  accounts jsonb NOT NULL,
  transfer_ids jsonb NOT NULL,
  found_block bigint NOT NULL,
  alert_id text,
  raised boolean NOT NULL DEFAULT false
);
CREATE TABLE checkpoint (
  id integer PRIMARY KEY CHECK (id = 1),
  block bigint NOT NULL,
  tx_id text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
