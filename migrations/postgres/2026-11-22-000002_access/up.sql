-- Access profiles and their permissions, customer groups and tags, billing accounts, access
-- codes and invitations.
CREATE TABLE customer_groups (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE customer_group_members (
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES customer_groups(id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, group_id)
);
CREATE INDEX customer_group_members_group ON customer_group_members(group_id);

CREATE TABLE tags (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    color TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE customer_tags (
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, tag_id)
);
CREATE INDEX customer_tags_tag ON customer_tags(tag_id);

CREATE TABLE access_profiles (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    availability TEXT NOT NULL CHECK (availability IN ('all', 'customer', 'groups', 'disabled')),
    customer_id BIGINT REFERENCES customers(id) ON DELETE RESTRICT,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX access_profiles_one_default ON access_profiles(is_default) WHERE is_default;
CREATE INDEX access_profiles_created ON access_profiles(created_at);
CREATE INDEX access_profiles_updated ON access_profiles(updated_at);

CREATE TABLE access_profile_permissions (
    profile_id BIGINT NOT NULL REFERENCES access_profiles(id) ON DELETE CASCADE,
    perm TEXT NOT NULL,
    PRIMARY KEY (profile_id, perm)
);

CREATE TABLE access_profile_groups (
    profile_id BIGINT NOT NULL REFERENCES access_profiles(id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES customer_groups(id) ON DELETE RESTRICT,
    PRIMARY KEY (profile_id, group_id)
);

CREATE TABLE accounts (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    currency TEXT NOT NULL,
    balance BIGINT NOT NULL DEFAULT 0,
    min_balance BIGINT NOT NULL DEFAULT 0,
    max_balance BIGINT,
    is_postpaid BOOLEAN NOT NULL DEFAULT FALSE,
    capacity INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX accounts_customer ON accounts(customer_id);

CREATE TABLE access_codes (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    public_text TEXT NOT NULL DEFAULT '',
    public_value TEXT NOT NULL DEFAULT '',
    private_master TEXT NOT NULL DEFAULT '',
    private_read TEXT NOT NULL DEFAULT '',
    private_write TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX access_codes_customer ON access_codes(customer_id);

CREATE TABLE invitations (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX invitations_user ON invitations(user_id);
