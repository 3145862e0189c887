-- Secure messages between a patient and their care team (docs/messages.md). Each patient has one
-- thread: every message with their patient_id, written by the patient or by a clinician on their
-- care team, text only. `read_at` and `read_by` record the first reading by the other side: for
-- a patient's message, the first clinician of the care team who opened the thread; for a
-- clinician's message, the patient. Times are whole seconds, so that on SQLite, which keeps them
-- as RFC 3339 text, comparing the text compares the moments (as in reminder_jobs).

CREATE TABLE messages (
    id BLOB PRIMARY KEY,
    clinic_id BLOB NOT NULL REFERENCES clinics (id),
    patient_id BLOB NOT NULL REFERENCES users (id),
    author_id BLOB NOT NULL REFERENCES users (id),
    author_role TEXT NOT NULL CHECK (author_role IN ('patient', 'clinician')),
    body TEXT NOT NULL CHECK (length(body) > 0),
    created_at TEXT NOT NULL,
    read_at TEXT,
    read_by BLOB REFERENCES users (id),
    CHECK ((read_at IS NULL) = (read_by IS NULL))
);
CREATE INDEX messages_thread ON messages (patient_id, created_at);
-- What is still unread, for the navigation's counts and the alerts inbox.
CREATE INDEX messages_unread ON messages (clinic_id, patient_id) WHERE read_at IS NULL;
