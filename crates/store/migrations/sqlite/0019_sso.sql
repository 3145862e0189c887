-- Single sign-on for staff (docs/sso.md). clinic_sso is one clinic's OpenID Connect provider:
-- its issuer URL, the client id and secret the provider gave the clinic (the secret is stored
-- as given: the server must send it to the provider, so it cannot be hashed), and the e-mail
-- domains (lowercase, comma-separated) whose people may sign in through it. No row: no SSO.
--
-- sso_logins holds a sign-in that has gone to the provider and not come back yet: the SHA-256
-- of its state, the nonce and the PKCE verifier. The callback takes the row (deletes it), so
-- each state works once; expires_at bounds how long a person may take at the provider.

CREATE TABLE clinic_sso (
    clinic_id BLOB PRIMARY KEY NOT NULL REFERENCES clinics (id),
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    allowed_domains TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE sso_logins (
    state_hash TEXT PRIMARY KEY NOT NULL,
    clinic_id BLOB NOT NULL REFERENCES clinics (id),
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sso_logins_expiry ON sso_logins (expires_at);
