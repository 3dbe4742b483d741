-- CSV uploads: each one's progress, saved after every batch, so a gateway that stopped resumes where it was.
-- The rows themselves stay in the upload's items file (written by the worker thread that checks the CSV).
CREATE TABLE uploads (
  upload_id text PRIMARY KEY,
  caller_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  progress jsonb NOT NULL,
  created_at text NOT NULL,
  updated_at bigint NOT NULL
);
CREATE INDEX uploads_status ON uploads (status, updated_at);
