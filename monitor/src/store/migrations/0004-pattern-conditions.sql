-- Why each pattern was found: its conditions, raised with it.
ALTER TABLE pattern_alerts ADD COLUMN conditions jsonb NOT NULL DEFAULT '[]';
