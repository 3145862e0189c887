-- The contact log (docs/contacts.md): each message, phone call, video call or in-person visit
-- between a patient and their care team, with when it happened, how long it took (a call or a
-- visit; a message has no duration), a short note and who logged it. The rules for a valid entry
-- are physio_clinic::contact::check; the table keeps only what must hold whatever the rules say.
-- occurred_at is whole seconds, like SQLite's copy of this table, so both backends keep
-- the same moments ("contacts since Monday" counts the same rows on both).
--
-- users.phone is the patient's phone number as an admin or a clinician entered it; NULL when
-- none is on record.

CREATE TABLE contacts (
    id UUID PRIMARY KEY,
    clinic_id UUID NOT NULL REFERENCES clinics (id),
    patient_id UUID NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('message', 'phone_call', 'video_call', 'in_person')),
    occurred_at TIMESTAMPTZ NOT NULL,
    duration_minutes INTEGER CHECK (duration_minutes > 0),
    note TEXT,
    logged_by UUID NOT NULL REFERENCES users (id),
    logged_at TIMESTAMPTZ NOT NULL,
    CHECK ((kind = 'message') = (duration_minutes IS NULL))
);
CREATE INDEX contacts_patient ON contacts (patient_id, occurred_at);
CREATE INDEX contacts_clinic_time ON contacts (clinic_id, occurred_at);

ALTER TABLE users ADD COLUMN phone TEXT;
