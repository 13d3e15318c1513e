-- Foundation: workspaces, people, sessions, the account matrix, campaigns, custom fields, events.
-- One source for both engines: {pk}, {json}, {ts}, {date} expand per engine (see migrate.rs).
-- Every workspace-owned table carries workspace_id, and its indexes lead with it.

CREATE TABLE workspaces (
    id {pk},
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    created_at {ts} NOT NULL
);

CREATE TABLE users (
    id {pk},
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    locale TEXT NOT NULL,
    created_at {ts} NOT NULL
);

CREATE TABLE members (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    grp TEXT NOT NULL,
    created_at {ts} NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX members_by_user ON members (user_id);

CREATE TABLE sessions (
    id {pk},
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    ip TEXT NOT NULL,
    created_at {ts} NOT NULL,
    last_seen_at {ts} NOT NULL,
    expires_at {ts} NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id {pk},
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    created_at {ts} NOT NULL,
    last_used_at {ts}
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

CREATE TABLE platforms (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    position BIGINT NOT NULL,
    active BOOLEAN NOT NULL,
    PRIMARY KEY (workspace_id, code)
);

CREATE TABLE accounts (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    tier TEXT NOT NULL,
    platform TEXT NOT NULL,
    handle TEXT NOT NULL,
    display_name TEXT NOT NULL,
    profile_url TEXT,
    persona TEXT NOT NULL,
    ownership TEXT NOT NULL,
    status TEXT NOT NULL,
    followers BIGINT NOT NULL,
    tags {json} NOT NULL,
    custom {json} NOT NULL,
    version BIGINT NOT NULL,
    field_versions {json} NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    UNIQUE (workspace_id, platform, handle),
    FOREIGN KEY (workspace_id, platform) REFERENCES platforms (workspace_id, code)
);
-- The default list walks (workspace_id, id) newest first and stops after a page; counts by
-- status use the covering (workspace_id, status); sorting by followers has its own index.
CREATE INDEX accounts_by_id ON accounts (workspace_id, id);
CREATE INDEX accounts_by_status ON accounts (workspace_id, status);
CREATE INDEX accounts_by_followers ON accounts (workspace_id, followers);
CREATE INDEX accounts_by_tier ON accounts (workspace_id, tier, platform);

CREATE TABLE account_owners (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (account_id, user_id)
);
CREATE INDEX account_owners_by_user ON account_owners (workspace_id, user_id);

CREATE TABLE campaigns (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    name TEXT NOT NULL,
    theme TEXT NOT NULL,
    starts_on {date} NOT NULL,
    ends_on {date} NOT NULL,
    budget_fen BIGINT NOT NULL,
    budget_by_tier {json} NOT NULL,
    currency TEXT NOT NULL,
    required_hashtags {json} NOT NULL,
    embargo_at {ts},
    target_kpis TEXT NOT NULL,
    status TEXT NOT NULL,
    custom {json} NOT NULL,
    version BIGINT NOT NULL,
    field_versions {json} NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX campaigns_by_start ON campaigns (workspace_id, starts_on);

CREATE TABLE custom_fields (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    entity TEXT NOT NULL,
    key TEXT NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    options {json} NOT NULL,
    required BOOLEAN NOT NULL,
    position BIGINT NOT NULL,
    created_at {ts} NOT NULL,
    UNIQUE (workspace_id, entity, key)
);

-- Auth events (logins, failed logins) have no workspace: workspace_id is NULL and
-- subject_user_id names whose account it was, so a workspace's audit log can include them.
CREATE TABLE events (
    id {pk},
    workspace_id BIGINT REFERENCES workspaces(id),
    actor_id BIGINT REFERENCES users(id),
    subject_user_id BIGINT REFERENCES users(id),
    entity_type TEXT NOT NULL,
    entity_id BIGINT,
    action TEXT NOT NULL,
    before {json},
    after {json},
    ip TEXT,
    created_at {ts} NOT NULL
);
CREATE INDEX events_by_entity ON events (workspace_id, entity_type, entity_id, id);
CREATE INDEX events_by_workspace ON events (workspace_id, id);
CREATE INDEX events_by_subject ON events (subject_user_id, id);
