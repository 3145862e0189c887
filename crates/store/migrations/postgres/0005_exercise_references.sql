-- A patient's reference range per exercise: the range their repetitions are judged against,
-- set by a clinician from a supervised session or as a target; `baselines` holds the person's
-- usual readings of the exercise's form checks when it came from a session.

CREATE TABLE exercise_references (
    patient_id UUID NOT NULL REFERENCES users (id),
    exercise TEXT NOT NULL,
    clinic_id UUID NOT NULL REFERENCES clinics (id),
    rest DOUBLE PRECISION NOT NULL,
    peak DOUBLE PRECISION NOT NULL,
    baselines JSONB,
    session_id UUID REFERENCES exercise_sessions (id),
    set_by UUID NOT NULL REFERENCES users (id),
    set_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (patient_id, exercise)
);
