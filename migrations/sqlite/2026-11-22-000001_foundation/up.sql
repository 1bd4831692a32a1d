-- Foundation: settings, customers (basic), users (staff and customer users), sessions,
-- login throttling, API tokens and the audit log.
CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    reference_id TEXT UNIQUE,
    parent_id BIGINT REFERENCES customers(id) ON DELETE RESTRICT,
    is_staging BOOLEAN NOT NULL DEFAULT 0,
    access_profile_id BIGINT,
    data TEXT NOT NULL DEFAULT '{}',
    integration_data TEXT NOT NULL DEFAULT '{}',
    override_app_settings BOOLEAN NOT NULL DEFAULT 0,
    app_settings TEXT NOT NULL DEFAULT '{}',
    override_billing_settings BOOLEAN NOT NULL DEFAULT 0,
    billing_settings TEXT NOT NULL DEFAULT '{}',
    schedule TEXT,
    company_name TEXT NOT NULL DEFAULT '',
    country_code TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    last_modified_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX customers_parent ON customers(parent_id);
CREATE INDEX customers_profile ON customers(access_profile_id);
CREATE INDEX customers_name ON customers(name);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('staff', 'customer')),
    role TEXT NOT NULL,
    customer_id BIGINT REFERENCES customers(id) ON DELETE CASCADE,
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    password_hash TEXT,
    disabled BOOLEAN NOT NULL DEFAULT 0,
    lang TEXT NOT NULL DEFAULT '',
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((kind = 'staff' AND customer_id IS NULL) OR (kind = 'customer' AND customer_id IS NOT NULL))
);
CREATE INDEX users_customer ON users(customer_id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    handle TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    user_agent TEXT,
    ip TEXT,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE login_throttle (
    account TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    window_start TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    hint TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TIMESTAMP NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id BIGINT,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT,
    diff TEXT,
    source_ip TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);
CREATE INDEX audit_log_actor ON audit_log(actor_kind, actor_id);
