-- The alert inbox (docs/alerts.md): each alert carries its urgency and deadline, and is closed
-- with a note of what was done. `acknowledged_by`/`acknowledged_at` become `closed_by`/
-- `closed_at`; `closed_by` is NULL when Physio itself closed a condition alert (its note says
-- why). SQLite cannot add a NOT NULL column without a constant default, so the table is built
-- again and the rows copied.
--
-- Rows from before: urgency by kind (a check-in's triage alert that proposed emergency care is
-- an emergency); the deadline is approximated in UTC, since the clinic's time zone is not known
-- here: at once for an emergency, a day after for urgent, three days (a weekend) for the rest.
-- Alerts already acknowledged keep who and when, with a note saying so. Deadlines are whole
-- seconds of RFC 3339 text, so comparing the text compares the moments.

CREATE TABLE alerts_new (
    id BLOB PRIMARY KEY NOT NULL,
    clinic_id BLOB NOT NULL REFERENCES clinics (id),
    patient_id BLOB NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    urgency TEXT NOT NULL CHECK (urgency IN ('emergency', 'urgent', 'routine')),
    message TEXT NOT NULL,
    created_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    closed_by BLOB REFERENCES users (id),
    closed_at TEXT,
    close_note TEXT,
    CHECK ((closed_at IS NULL) = (close_note IS NULL))
);

INSERT INTO alerts_new (id, clinic_id, patient_id, kind, urgency, message, created_at, due_at,
                        closed_by, closed_at, close_note)
SELECT id, clinic_id, patient_id, kind, u.urgency, message, created_at,
       CASE u.urgency
           WHEN 'emergency' THEN strftime('%Y-%m-%dT%H:%M:%SZ', created_at)
           WHEN 'urgent' THEN strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+1 day')
           ELSE strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+3 days')
       END,
       acknowledged_by, acknowledged_at,
       CASE WHEN acknowledged_at IS NULL THEN NULL
            ELSE 'Marked as dealt with before closing notes were asked for.' END
FROM alerts a
JOIN (SELECT id AS uid,
             CASE
                 WHEN kind = 'intake_emergency' THEN 'emergency'
                 WHEN kind = 'triage_tier' AND message LIKE '%proposes emergency care%'
                     THEN 'emergency'
                 WHEN kind IN ('triage_tier', 'new_warning_sign', 'high_pain', 'pain_rise',
                               'phq9_item9') THEN 'urgent'
                 ELSE 'routine'
             END AS urgency
      FROM alerts) u ON u.uid = a.id;

DROP TABLE alerts;
ALTER TABLE alerts_new RENAME TO alerts;

CREATE INDEX alerts_patient ON alerts (patient_id, created_at);
-- The inbox reads a clinic's open alerts; closed ones are history, read by patient.
CREATE INDEX alerts_open ON alerts (clinic_id, due_at) WHERE closed_at IS NULL;
-- Physio's own condition alerts: at most one open of a kind per patient, even with two
-- servers sweeping at once.
CREATE UNIQUE INDEX alerts_one_open_condition ON alerts (patient_id, kind)
    WHERE closed_at IS NULL
      AND kind IN ('no_session', 'likely_dropout', 'proposals_waiting', 'reassessment_due',
                   'unread_message');
