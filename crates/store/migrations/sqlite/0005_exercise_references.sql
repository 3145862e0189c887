-- A patient's reference range per exercise: the range their repetitions are judged against,
-- set by a clinician from a supervised session or as a target; `baselines` holds the person's
-- usual readings of the exercise's form checks when it came from a session.

CREATE TABLE exercise_references (
    patient_id BLOB NOT NULL REFERENCES users (id),
    exercise TEXT NOT NULL,
    clinic_id BLOB NOT NULL REFERENCES clinics (id),
    rest REAL NOT NULL,
    peak REAL NOT NULL,
    baselines TEXT,
    session_id BLOB REFERENCES exercise_sessions (id),
    set_by BLOB NOT NULL REFERENCES users (id),
    set_at TEXT NOT NULL,
    PRIMARY KEY (patient_id, exercise)
);
