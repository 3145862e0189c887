-- The alert inbox (docs/alerts.md): each alert carries its urgency and deadline, and is closed
-- with a note of what was done. `acknowledged_by`/`acknowledged_at` become `closed_by`/
-- `closed_at`; `closed_by` is NULL when Physio itself closed a condition alert (its note says
-- why).
--
-- Rows from before: urgency by kind (a check-in's triage alert that proposed emergency care is
-- an emergency); the deadline is approximated in UTC, since the clinic's time zone is not known
-- here: at once for an emergency, a day after for urgent, three days (a weekend) for the rest.
-- Alerts already acknowledged keep who and when, with a note saying so.

ALTER TABLE alerts RENAME COLUMN acknowledged_by TO closed_by;
ALTER TABLE alerts RENAME COLUMN acknowledged_at TO closed_at;
ALTER TABLE alerts ADD COLUMN urgency TEXT;
ALTER TABLE alerts ADD COLUMN due_at TIMESTAMPTZ;
ALTER TABLE alerts ADD COLUMN close_note TEXT;

UPDATE alerts SET urgency = CASE
    WHEN kind = 'intake_emergency' THEN 'emergency'
    WHEN kind = 'triage_tier' AND message LIKE '%proposes emergency care%' THEN 'emergency'
    WHEN kind IN ('triage_tier', 'new_warning_sign', 'high_pain', 'pain_rise', 'phq9_item9')
        THEN 'urgent'
    ELSE 'routine'
END;
UPDATE alerts SET due_at = date_trunc('second', CASE urgency
    WHEN 'emergency' THEN created_at
    WHEN 'urgent' THEN created_at + interval '1 day'
    ELSE created_at + interval '3 days'
END);
UPDATE alerts SET close_note = 'Marked as dealt with before closing notes were asked for.'
WHERE closed_at IS NOT NULL;

ALTER TABLE alerts ALTER COLUMN urgency SET NOT NULL;
ALTER TABLE alerts ALTER COLUMN due_at SET NOT NULL;
ALTER TABLE alerts ADD CONSTRAINT alerts_urgency
    CHECK (urgency IN ('emergency', 'urgent', 'routine'));
ALTER TABLE alerts ADD CONSTRAINT alerts_closed_with_note
    CHECK ((closed_at IS NULL) = (close_note IS NULL));

-- The inbox reads a clinic's open alerts; closed ones are history, read by patient.
CREATE INDEX alerts_open ON alerts (clinic_id, due_at) WHERE closed_at IS NULL;
-- Physio's own condition alerts: at most one open of a kind per patient, even with two
-- servers sweeping at once.
CREATE UNIQUE INDEX alerts_one_open_condition ON alerts (patient_id, kind)
    WHERE closed_at IS NULL
      AND kind IN ('no_session', 'likely_dropout', 'proposals_waiting', 'reassessment_due',
                   'unread_message');
