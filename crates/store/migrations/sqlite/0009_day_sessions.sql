-- The patient's guided sessions: one row per session of a day (a day can hold several when an
-- exercise is prescribed more than once a day), with the pain check before it, the exercises
-- due in it as prescribed then, and the closing check; one row per exercise recorded in it.

CREATE TABLE day_sessions (
    id BLOB PRIMARY KEY NOT NULL,
    clinic_id BLOB NOT NULL REFERENCES clinics (id),
    patient_id BLOB NOT NULL REFERENCES users (id),
    -- The day in the clinic's time zone, and which session of that day (from 1).
    day TEXT NOT NULL,
    number INTEGER NOT NULL CHECK (number >= 1),
    programme_version INTEGER NOT NULL,
    -- The items due in this session, as prescribed when it started.
    due TEXT NOT NULL,
    pain_before INTEGER NOT NULL CHECK (pain_before BETWEEN 0 AND 10),
    usual_pain INTEGER CHECK (usual_pain BETWEEN 0 AND 10),
    -- Set when the pain check stopped the session before it started.
    stopped TEXT,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    ended_at TEXT,
    pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10),
    fatigue INTEGER CHECK (fatigue BETWEEN 0 AND 10),
    stopped_early TEXT,
    closing_note TEXT,
    next_morning TEXT,
    next_morning_at TEXT,
    UNIQUE (patient_id, day, number)
);
CREATE INDEX day_sessions_patient ON day_sessions (patient_id, day);

CREATE TABLE day_session_exercises (
    session_id BLOB NOT NULL REFERENCES day_sessions (id),
    exercise TEXT NOT NULL,
    position INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    skip_reason TEXT,
    sets_done INTEGER,
    reps_done INTEGER,
    hold_s_done INTEGER,
    minutes_done INTEGER,
    pain_during INTEGER CHECK (pain_during BETWEEN 0 AND 10),
    effort INTEGER CHECK (effort BETWEEN 0 AND 10),
    camera_session BLOB REFERENCES exercise_sessions (id),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (session_id, exercise)
);
