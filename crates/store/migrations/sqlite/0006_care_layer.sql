-- Why an episode ended, as the clinician recorded it on discharge.
ALTER TABLE episodes ADD COLUMN discharge_reason TEXT;
-- The clinic's time zone (an IANA name such as Europe/London); NULL means the server's default.
ALTER TABLE clinics ADD COLUMN time_zone TEXT;
