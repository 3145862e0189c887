-- Exercise reminders (docs/reminders.md). A patient's plan is the JSON of
-- physio_clinic::reminder::Plan; `enabled` repeats its on/off so the scheduler can find the
-- plans that are on without reading every document.
--
-- reminder_jobs holds one row per reminder due. A server claims a row (status `sending`,
-- claimed_by, claimed_at) before sending, so two servers never send the same reminder; a claim
-- older than the lease is taken over. UNIQUE (patient_id, due_at) makes planning the same
-- reminder twice harmless. Times here are whole seconds, so that on SQLite, which keeps them as
-- RFC 3339 text, comparing the text compares the moments (the same rule on both backends).

CREATE TABLE reminder_plans (
    patient_id UUID PRIMARY KEY REFERENCES users (id),
    clinic_id UUID NOT NULL REFERENCES clinics (id),
    plan JSONB NOT NULL,
    enabled BOOLEAN NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE reminder_jobs (
    id UUID PRIMARY KEY,
    clinic_id UUID NOT NULL REFERENCES clinics (id),
    patient_id UUID NOT NULL REFERENCES users (id),
    due_at TIMESTAMPTZ NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'skipped', 'failed')),
    -- When it may next be tried: the due time, then later after each failed attempt.
    next_attempt_at TIMESTAMPTZ NOT NULL,
    claimed_by TEXT,
    claimed_at TIMESTAMPTZ,
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error TEXT,
    finished_at TIMESTAMPTZ,
    UNIQUE (patient_id, due_at)
);
CREATE INDEX reminder_jobs_ready ON reminder_jobs (status, next_attempt_at);
