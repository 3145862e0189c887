-- Episodes of care: intake, triage and its review, questionnaire responses, alerts.
-- JSON documents (answers, decisions, results) are stored as JSONB.

ALTER TABLE clinics ADD COLUMN reassessment_weeks TEXT NOT NULL DEFAULT '[0,4,8]';

CREATE TABLE episodes (
    id UUID PRIMARY KEY,
    clinic_id UUID NOT NULL REFERENCES clinics (id),
    patient_id UUID NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('intake', 'awaiting_review', 'active', 'discharged')),
    opened_at TIMESTAMPTZ NOT NULL,
    discharged_at TIMESTAMPTZ,
    pathway TEXT,
    surgery_date DATE,
    lifting_limit_kg DOUBLE PRECISION,
    phase_override TEXT,
    phase_override_reason TEXT,
    phase_override_by UUID REFERENCES users (id),
    phase_override_at TIMESTAMPTZ
);
CREATE INDEX episodes_patient ON episodes (patient_id, opened_at);
-- A patient has at most one open episode.
CREATE UNIQUE INDEX episodes_one_open ON episodes (patient_id) WHERE status <> 'discharged';

CREATE TABLE intakes (
    episode_id UUID PRIMARY KEY REFERENCES episodes (id),
    clinic_id UUID NOT NULL REFERENCES clinics (id),
    patient_id UUID NOT NULL REFERENCES users (id),
    answers JSONB NOT NULL,
    step TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    submitted_at TIMESTAMPTZ
);

CREATE TABLE triage_decisions (
    id UUID PRIMARY KEY,
    clinic_id UUID NOT NULL REFERENCES clinics (id),
    episode_id UUID NOT NULL REFERENCES episodes (id),
    patient_id UUID NOT NULL REFERENCES users (id),
    decided_at TIMESTAMPTZ NOT NULL,
    trigger TEXT NOT NULL,
    tier TEXT NOT NULL CHECK (tier IN ('emergency', 'urgent', 'specialist', 'exercise')),
    decision JSONB NOT NULL,
    reviewed_by UUID REFERENCES users (id),
    reviewed_at TIMESTAMPTZ,
    final_tier TEXT CHECK (final_tier IN ('emergency', 'urgent', 'specialist', 'exercise')),
    review_note TEXT
);
CREATE INDEX triage_episode ON triage_decisions (episode_id, decided_at);

CREATE TABLE questionnaire_responses (
    id UUID PRIMARY KEY,
    clinic_id UUID NOT NULL REFERENCES clinics (id),
    episode_id UUID NOT NULL REFERENCES episodes (id),
    patient_id UUID NOT NULL REFERENCES users (id),
    instrument TEXT NOT NULL,
    timepoint TEXT NOT NULL,
    answers JSONB NOT NULL,
    result JSONB NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX responses_patient ON questionnaire_responses (patient_id, instrument, submitted_at);

CREATE TABLE alerts (
    id UUID PRIMARY KEY,
    clinic_id UUID NOT NULL REFERENCES clinics (id),
    patient_id UUID NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    acknowledged_by UUID REFERENCES users (id),
    acknowledged_at TIMESTAMPTZ
);
CREATE INDEX alerts_patient ON alerts (patient_id, created_at);
