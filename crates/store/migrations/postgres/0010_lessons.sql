-- Education lessons. The built-in lessons live in the binary; a clinic's own are stored here as
-- the JSON of the lessons file format. A read is kept once per patient and lesson: when the
-- patient first opened it (opening it again changes nothing).

CREATE TABLE clinic_lessons (
    clinic_id UUID NOT NULL REFERENCES clinics (id),
    id TEXT NOT NULL,
    doc JSONB NOT NULL,
    -- NULL when the operator imported at the server's command line.
    updated_by UUID REFERENCES users (id),
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (clinic_id, id)
);

CREATE TABLE lesson_reads (
    clinic_id UUID NOT NULL REFERENCES clinics (id),
    patient_id UUID NOT NULL REFERENCES users (id),
    lesson_id TEXT NOT NULL,
    first_read_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (patient_id, lesson_id)
);
