-- Exercise programmes. The built-in exercise library and templates live in the binary; a
-- clinic's own exercises and templates are stored here as the JSON of their export format.
-- A patient's programme is a list of versions: each is the whole programme as prescribed, who
-- changed it, when, why, and what changed against the version before. The latest is in force.

CREATE TABLE clinic_exercises (
    clinic_id UUID NOT NULL REFERENCES clinics (id),
    id TEXT NOT NULL,
    doc JSONB NOT NULL,
    -- NULL when the operator imported at the server's command line.
    updated_by UUID REFERENCES users (id),
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (clinic_id, id)
);

CREATE TABLE programme_templates (
    id UUID PRIMARY KEY,
    clinic_id UUID NOT NULL REFERENCES clinics (id),
    doc JSONB NOT NULL,
    created_by UUID NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX programme_templates_clinic ON programme_templates (clinic_id);

CREATE TABLE programme_versions (
    patient_id UUID NOT NULL REFERENCES users (id),
    version INTEGER NOT NULL CHECK (version >= 1),
    clinic_id UUID NOT NULL REFERENCES clinics (id),
    items JSONB NOT NULL,
    changes JSONB NOT NULL,
    reason TEXT NOT NULL,
    template_id TEXT,
    created_by UUID NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (patient_id, version)
);
