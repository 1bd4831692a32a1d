-- Identity: second factor (TOTP + recovery codes), self-service password reset, throttle
-- counters by client address and by reset address, and the e-mail outbox.

-- A person's confirmed TOTP secret (RFC 6238). `last_step` is the newest 30-second step a code
-- was accepted for: a code is never accepted twice.
CREATE TABLE user_totp (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    last_step BIGINT NOT NULL,
    enabled_at TIMESTAMP NOT NULL
);

-- Single-use recovery codes, stored as SHA-256 of the code.
CREATE TABLE recovery_codes (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX recovery_codes_user ON recovery_codes(user_id);

-- Password reset links (`/password/reset/{token}`), token stored as SHA-256.
CREATE TABLE password_resets (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX password_resets_user ON password_resets(user_id);

-- Counters of a fixed window, counted atomically before the work they limit: sign-in
-- failures per client address (`login-ip:…`), reset requests per address and per client.
CREATE TABLE rate_counters (
    key TEXT PRIMARY KEY NOT NULL,
    count INTEGER NOT NULL,
    window_start TIMESTAMP NOT NULL
);

-- E-mail waiting to be sent (or sent): written in the transaction that causes it, sent by the
-- sender task of `serve` off the request path. A node claims a row by setting `claimed_until`.
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    sent_at TIMESTAMP,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL;
