-- Two-step sign-in (docs/two-step.md): TOTP authenticator apps with one-time recovery codes,
-- passkeys (WebAuthn), and the short-lived pending sign-in between the password and the second
-- step. Secrets the server only compares (recovery codes, pending sign-in secrets) are kept as
-- SHA-256; the TOTP secret must be read back to check codes, so it is kept as typed into the app.

-- Whether the clinic's clinicians and admins must use a second step. Existing clinics keep
-- signing in as before until an admin turns it on; `physio clinic add` turns it on.
ALTER TABLE clinics ADD COLUMN staff_two_step BOOLEAN NOT NULL DEFAULT FALSE;

-- One authenticator app per user. confirmed_at is NULL while enrolment waits for the first
-- code; last_step is the RFC 6238 time step of the last code accepted, so no code works twice.
CREATE TABLE totp_factors (
    user_id BLOB PRIMARY KEY NOT NULL REFERENCES users (id),
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    last_step INTEGER
);

CREATE TABLE recovery_codes (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- A password checked, a second step still to come (purpose 'verify'), or enrolment the
-- clinic requires before any session (purpose 'enrol'). Single use: used_at ends it.
CREATE TABLE pending_sign_ins (
    id BLOB PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BLOB NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'enrol')),
    failures INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX pending_sign_ins_user ON pending_sign_ins (user_id);

-- A registered passkey: the credential's id (base64url) and what webauthn-rs keeps of it
-- (public key, signature counter) as JSON.
CREATE TABLE passkeys (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id),
    credential_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    credential TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT
);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- The server's half of a WebAuthn ceremony between its two requests (a few minutes at most);
-- taking it deletes it, so a challenge is answered once.
CREATE TABLE passkey_ceremonies (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('register', 'sign_in', 'second_step')),
    state TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
