-- Progression: the pain the morning after a session as a number (the rules compare it with the
-- usual level), each decision of the progression rules with its inputs and what became of it,
-- and each patient's progression settings (automatic changes, dose cap).

ALTER TABLE day_sessions ADD COLUMN next_morning_pain INTEGER CHECK (next_morning_pain BETWEEN 0 AND 10);
-- The earlier better/same/worse answer cannot be turned into a number; it is not kept.
ALTER TABLE day_sessions DROP COLUMN next_morning;

CREATE TABLE progression_decisions (
    id BLOB PRIMARY KEY NOT NULL,
    clinic_id BLOB NOT NULL REFERENCES clinics (id),
    patient_id BLOB NOT NULL REFERENCES users (id),
    session_id BLOB NOT NULL REFERENCES day_sessions (id),
    exercise TEXT NOT NULL,
    rule TEXT NOT NULL,
    proposal TEXT NOT NULL,
    -- The rules' inputs (physio_clinic::progression::Inputs) as JSON.
    inputs TEXT NOT NULL,
    because TEXT NOT NULL,
    patient_text TEXT NOT NULL,
    show_cue BOOLEAN NOT NULL,
    -- The ladder step and the item after it, when a change is proposed.
    step TEXT,
    item_before TEXT NOT NULL,
    item_after TEXT,
    -- The programme version the decision was made on.
    based_on INTEGER NOT NULL,
    -- noted (nothing to decide), waiting, accepted, edited, rejected, applied, superseded.
    status TEXT NOT NULL,
    decided_by BLOB REFERENCES users (id),
    decided_at TEXT,
    decision_note TEXT,
    version_made INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX progression_decisions_patient ON progression_decisions (patient_id, created_at);
CREATE INDEX progression_decisions_status ON progression_decisions (clinic_id, status);

CREATE TABLE progression_settings (
    patient_id BLOB PRIMARY KEY NOT NULL REFERENCES users (id),
    clinic_id BLOB NOT NULL REFERENCES clinics (id),
    auto_apply BOOLEAN NOT NULL,
    cap TEXT NOT NULL,
    set_by BLOB NOT NULL REFERENCES users (id),
    set_at TEXT NOT NULL
);
