-- Live exercise sessions: what the motion engine counted, written as each repetition completes.

CREATE TABLE exercise_sessions (
    id UUID PRIMARY KEY,
    clinic_id UUID NOT NULL REFERENCES clinics (id),
    patient_id UUID NOT NULL REFERENCES users (id),
    exercise TEXT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    ended_at TIMESTAMPTZ,
    rep_count INTEGER NOT NULL DEFAULT 0,
    correct_count INTEGER NOT NULL DEFAULT 0,
    reps JSONB NOT NULL,
    summary JSONB
);
CREATE INDEX exercise_sessions_patient ON exercise_sessions (patient_id, started_at);
