-- Live exercise sessions: what the motion engine counted, written as each repetition completes.

CREATE TABLE exercise_sessions (
    id BLOB PRIMARY KEY NOT NULL,
    clinic_id BLOB NOT NULL REFERENCES clinics (id),
    patient_id BLOB NOT NULL REFERENCES users (id),
    exercise TEXT NOT NULL,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    ended_at TEXT,
    rep_count INTEGER NOT NULL DEFAULT 0,
    correct_count INTEGER NOT NULL DEFAULT 0,
    reps TEXT NOT NULL,
    summary TEXT
);
CREATE INDEX exercise_sessions_patient ON exercise_sessions (patient_id, started_at);
