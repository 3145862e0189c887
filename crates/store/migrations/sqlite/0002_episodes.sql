-- Episodes of care: intake, triage and its review, questionnaire responses, alerts.
-- JSON documents (answers, decisions, results) are stored as text.

ALTER TABLE clinics ADD COLUMN reassessment_weeks TEXT NOT NULL DEFAULT '[0,4,8]';

CREATE TABLE episodes (
    id BLOB PRIMARY KEY NOT NULL,
    clinic_id BLOB NOT NULL REFERENCES clinics (id),
    patient_id BLOB NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('intake', 'awaiting_review', 'active', 'discharged')),
    opened_at TEXT NOT NULL,
    discharged_at TEXT,
    pathway TEXT,
    surgery_date TEXT,
    lifting_limit_kg REAL,
    phase_override TEXT,
    phase_override_reason TEXT,
    phase_override_by BLOB REFERENCES users (id),
    phase_override_at TEXT
);
CREATE INDEX episodes_patient ON episodes (patient_id, opened_at);
-- A patient has at most one open episode.
CREATE UNIQUE INDEX episodes_one_open ON episodes (patient_id) WHERE status <> 'discharged';

CREATE TABLE intakes (
    episode_id BLOB PRIMARY KEY NOT NULL REFERENCES episodes (id),
    clinic_id BLOB NOT NULL REFERENCES clinics (id),
    patient_id BLOB NOT NULL REFERENCES users (id),
    answers TEXT NOT NULL,
    step TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT
);

CREATE TABLE triage_decisions (
    id BLOB PRIMARY KEY NOT NULL,
    clinic_id BLOB NOT NULL REFERENCES clinics (id),
    episode_id BLOB NOT NULL REFERENCES episodes (id),
    patient_id BLOB NOT NULL REFERENCES users (id),
    decided_at TEXT NOT NULL,
    trigger TEXT NOT NULL,
    tier TEXT NOT NULL CHECK (tier IN ('emergency', 'urgent', 'specialist', 'exercise')),
    decision TEXT NOT NULL,
    reviewed_by BLOB REFERENCES users (id),
    reviewed_at TEXT,
    final_tier TEXT CHECK (final_tier IN ('emergency', 'urgent', 'specialist', 'exercise')),
    review_note TEXT
);
CREATE INDEX triage_episode ON triage_decisions (episode_id, decided_at);

CREATE TABLE questionnaire_responses (
    id BLOB PRIMARY KEY NOT NULL,
    clinic_id BLOB NOT NULL REFERENCES clinics (id),
    episode_id BLOB NOT NULL REFERENCES episodes (id),
    patient_id BLOB NOT NULL REFERENCES users (id),
    instrument TEXT NOT NULL,
    timepoint TEXT NOT NULL,
    answers TEXT NOT NULL,
    result TEXT NOT NULL,
    score REAL NOT NULL,
    submitted_at TEXT NOT NULL
);
CREATE INDEX responses_patient ON questionnaire_responses (patient_id, instrument, submitted_at);

CREATE TABLE alerts (
    id BLOB PRIMARY KEY NOT NULL,
    clinic_id BLOB NOT NULL REFERENCES clinics (id),
    patient_id BLOB NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at TEXT NOT NULL,
    acknowledged_by BLOB REFERENCES users (id),
    acknowledged_at TEXT
);
CREATE INDEX alerts_patient ON alerts (patient_id, created_at);
