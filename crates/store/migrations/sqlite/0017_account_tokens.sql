-- Links that let someone set their own password: a reset link asked for from the sign-in page,
-- and the invitation a new account gets. Only the SHA-256 of the link's secret is kept; a link
-- works once (`used_at`) and until `expires_at`. An account whose password an admin chose must
-- choose its own at the next sign-in (`must_change_password`).

CREATE TABLE account_tokens (
    id BLOB PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BLOB NOT NULL REFERENCES users (id),
    clinic_id BLOB NOT NULL REFERENCES clinics (id),
    purpose TEXT NOT NULL CHECK (purpose IN ('reset', 'invitation')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose, created_at);

ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
