-- Sign-in protection without account lockout (docs/sign-in.md).
--
-- sign_in_failures: failed sign-ins per typed e-mail address and source. email_key is the SHA-256
-- of the trimmed, lower-cased address, whether or not an account has it, so that the table
-- neither tells which accounts exist nor keeps the addresses strangers typed. source is the
-- client's address (an IPv6 client's /64). An attempt is counted when it starts and the row is
-- deleted when it succeeds, so attempts made at the same moment cannot overtake the count.
--
-- refusal_counts: refused requests (wrong passwords, throttled sign-ins, missing CSRF tokens,
-- foreign origins, requests without valid credentials) counted per kind, source and five-minute
-- window. The audit trail gets one record at a window's first refusal; the count is here.
--
-- Times are whole seconds, so that on SQLite, which keeps them as RFC 3339 text, comparing the
-- text compares the moments. users.failed_logins and users.locked_until are no longer used.

CREATE TABLE sign_in_failures (
    email_key TEXT NOT NULL,
    source TEXT NOT NULL,
    failures INTEGER NOT NULL CHECK (failures >= 0),
    last_attempt_at TEXT NOT NULL,
    PRIMARY KEY (email_key, source)
);
CREATE INDEX sign_in_failures_age ON sign_in_failures (last_attempt_at);

CREATE TABLE refusal_counts (
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    window_start TEXT NOT NULL,
    refusals INTEGER NOT NULL CHECK (refusals > 0),
    last_at TEXT NOT NULL,
    PRIMARY KEY (kind, source, window_start)
);
CREATE INDEX refusal_counts_window ON refusal_counts (window_start);
