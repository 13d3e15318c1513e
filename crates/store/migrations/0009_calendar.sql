-- The shared content calendar: schedule rules, recurring slots, holidays, coordination orders
-- and their waves, iCalendar feeds.

-- The workspace's schedule rules (NULL: the defaults).
ALTER TABLE workspaces ADD COLUMN schedule_rules {json};

-- The calendar reads a range of planned and published times across the matrix.
CREATE INDEX content_by_planned ON content_items (workspace_id, planned_at);
CREATE INDEX content_by_published ON content_items (workspace_id, published_at);

-- "KOE 账号 每周二、四 20:00": an RRULE, a time of day, a first day and a zone, for one
-- account or for a tier and platform.
CREATE TABLE recurring_slots (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    name TEXT NOT NULL,
    rrule TEXT NOT NULL,
    time_of_day TEXT NOT NULL,
    starts_on {date} NOT NULL,
    time_zone TEXT,
    account_id BIGINT REFERENCES accounts(id) ON DELETE CASCADE,
    tier TEXT,
    platform TEXT,
    enabled BOOLEAN NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX recurring_slots_by_workspace ON recurring_slots (workspace_id, id);

-- A year of statutory holidays and adjusted working days loaded or edited by the workspace
-- (a year without a row shows what KOX ships).
CREATE TABLE holiday_years (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    year BIGINT NOT NULL,
    days {json} NOT NULL,
    updated_at {ts} NOT NULL,
    UNIQUE (workspace_id, year)
);

-- 协同指令: when an item of the campaign on a trigger account is published, follow-up drafts
-- for the accounts each group names, due a delay after the real publish time.
CREATE TABLE coordination_orders (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    name TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    trigger_spec {json} NOT NULL,
    follow_ups {json} NOT NULL,
    title_template TEXT NOT NULL,
    body_template TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX coordination_orders_by_campaign ON coordination_orders (workspace_id, campaign_id);

-- One wave per order and trigger item: the unique key makes a second publish (a corrected
-- URL) or a second server start none. lineage: the order ids up the cascade, so a chain never
-- runs an order twice.
CREATE TABLE waves (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    order_id BIGINT NOT NULL REFERENCES coordination_orders(id) ON DELETE CASCADE,
    trigger_item_id BIGINT NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    parent_wave_id BIGINT REFERENCES waves(id) ON DELETE SET NULL,
    lineage {json} NOT NULL,
    triggered_at {ts} NOT NULL,
    created_at {ts} NOT NULL,
    UNIQUE (workspace_id, order_id, trigger_item_id)
);
CREATE INDEX waves_by_trigger ON waves (workspace_id, trigger_item_id);

CREATE TABLE wave_follow_ups (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    wave_id BIGINT NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
    item_id BIGINT NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    due_at {ts} NOT NULL,
    UNIQUE (workspace_id, item_id)
);
CREATE INDEX wave_follow_ups_by_wave ON wave_follow_ups (workspace_id, wave_id);

-- A member's iCalendar subscriptions. The secret is the credential (shown once); only its
-- SHA-256 is kept.
CREATE TABLE ics_feeds (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    scope TEXT NOT NULL,
    target_id BIGINT,
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at {ts} NOT NULL,
    last_used_at {ts},
    revoked_at {ts}
);
CREATE INDEX ics_feeds_by_user ON ics_feeds (workspace_id, user_id);
