-- Foundation schema: clinics, users, care teams, sessions, API tokens, audit trail.
-- UUIDs are stored as 16-byte blobs and timestamps as UTC RFC 3339 text (sqlx's encoding).

CREATE TABLE clinics (
    id BLOB PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id BLOB PRIMARY KEY NOT NULL,
    clinic_id BLOB NOT NULL REFERENCES clinics (id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('patient', 'clinician', 'admin')),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    licence_number TEXT,
    licence_jurisdiction TEXT,
    date_of_birth TEXT,
    summary TEXT,
    created_at TEXT NOT NULL,
    CHECK (role <> 'clinician' OR (licence_number IS NOT NULL AND licence_jurisdiction IS NOT NULL))
);
CREATE INDEX users_clinic_role ON users (clinic_id, role);

CREATE TABLE care_team (
    clinic_id BLOB NOT NULL REFERENCES clinics (id),
    patient_id BLOB NOT NULL REFERENCES users (id),
    clinician_id BLOB NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (patient_id, clinician_id)
);
CREATE INDEX care_team_clinician ON care_team (clinician_id);

CREATE TABLE sessions (
    id BLOB PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BLOB NOT NULL REFERENCES users (id),
    clinic_id BLOB NOT NULL REFERENCES clinics (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id BLOB PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BLOB NOT NULL REFERENCES users (id),
    clinic_id BLOB NOT NULL REFERENCES clinics (id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY NOT NULL,
    id BLOB NOT NULL UNIQUE,
    at TEXT NOT NULL,
    clinic_id BLOB,
    actor_id BLOB,
    actor_role TEXT,
    action TEXT NOT NULL,
    resource TEXT NOT NULL,
    patient_id BLOB,
    outcome TEXT NOT NULL,
    request_id TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_patient ON audit_log (patient_id, seq);

-- One row: the sequence number and hash of the newest record. Appends lock it, so the chain
-- never forks under concurrent writers.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
