ALTER TABLE transfers ADD COLUMN purpose text NOT NULL DEFAULT '';
ALTER TABLE transfers ADD COLUMN project_id text NOT NULL DEFAULT '';
