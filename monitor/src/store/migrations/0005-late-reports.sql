-- Transfers recorded later than the credit model allows: filed in their reporter's credit file on the chain once
-- (outcome null until the chain has answered: filed, exists, not late).
CREATE TABLE late_reports (
  transfer_id text PRIMARY KEY,
  executed_at bigint NOT NULL,
  recorded_at bigint NOT NULL,
  outcome text
);
CREATE INDEX late_reports_pending ON late_reports (recorded_at) WHERE outcome IS NULL;
