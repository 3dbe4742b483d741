-- Every alert and filing, for statistics over the whole history. Indexes built before this lack them (and
-- purposes and projects): their transfers and checkpoint are dropped, so the monitor indexes the chain again from
-- its first block. The alerts found are kept: none is raised twice.
CREATE TABLE alerts (
  alert_id text PRIMARY KEY,
  rule_id text NOT NULL,
  severity text NOT NULL,
  status text NOT NULL,
  raised_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
CREATE INDEX alerts_raised ON alerts (raised_at);
CREATE TABLE filings (
  filing_id text PRIMARY KEY,
  entity_id text NOT NULL,
  category text NOT NULL,
  status text NOT NULL,
  submitted_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
DELETE FROM transfers;
DELETE FROM checkpoint;
