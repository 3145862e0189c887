-- Erasures (docs/patient-rights.md): one row each time an admin erased a patient at the
-- patient's request. It keeps who was erased (an id only: the account itself is gone), who
-- erased them, when and why; none of the patient's data. Neither id refers to users, so the
-- row outlives the patient's account, and the admin's.
CREATE TABLE erasures (
    id UUID PRIMARY KEY,
    clinic_id UUID NOT NULL REFERENCES clinics (id),
    patient_id UUID NOT NULL UNIQUE,
    erased_by UUID NOT NULL,
    erased_at TIMESTAMPTZ NOT NULL,
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0)
);
CREATE INDEX erasures_clinic ON erasures (clinic_id, erased_at);
