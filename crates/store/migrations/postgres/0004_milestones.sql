-- Milestones the clinician has recorded as met on an episode's pathway (a JSON list of ids).
ALTER TABLE episodes ADD COLUMN milestones TEXT NOT NULL DEFAULT '[]';
