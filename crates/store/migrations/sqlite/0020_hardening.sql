-- API tokens expire and carry a scope. A token made before this migration has no expiry
-- stored; the store treats it as expiring 90 days after its creation. Until now every token
-- could change anything, so existing ones keep read-write.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'read_write'
    CHECK (scope IN ('read', 'read_write'));
