-- The durable job queue and notifications.
--
-- jobs: every piece of work the server does later or elsewhere (a delivery, a reminder, the
-- morning round). A job is claimed by writing a lease (owner and expiry) in a short transaction
-- (PostgreSQL: FOR UPDATE SKIP LOCKED, so several `kox serve` share the queue); a worker that
-- dies loses the job when its lease runs out. idempotency_key is unique per workspace: the
-- same reminder is scheduled once, and a webhook sees the same key on every attempt.
CREATE TABLE jobs (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    payload {json} NOT NULL,
    state TEXT NOT NULL,
    run_at {ts} NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until {ts},
    last_error TEXT,
    idempotency_key TEXT NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    UNIQUE (workspace_id, idempotency_key)
);
-- What a worker looks for: queued and due, or running with an expired lease.
CREATE INDEX jobs_due ON jobs (state, run_at);
CREATE INDEX jobs_by_workspace ON jobs (workspace_id, state, id);

-- A member's notifications (the bell). The text is built by the UI from kind and data.
CREATE TABLE notifications (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    entity_type TEXT,
    entity_id BIGINT,
    title TEXT NOT NULL,
    actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    data {json} NOT NULL,
    read_at {ts},
    created_at {ts} NOT NULL
);
CREATE INDEX notifications_of_user ON notifications (workspace_id, user_id, id);
CREATE INDEX notifications_unread ON notifications (workspace_id, user_id, read_at);

-- Where messages go: group bots, webhooks, SMTP. secret is write-only in the API.
-- next_send_at spaces a burst to a bot's rate limit (each delivery takes the next slot).
CREATE TABLE notification_channels (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    config {json} NOT NULL,
    secret TEXT,
    enabled BOOLEAN NOT NULL,
    next_send_at {ts},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX notification_channels_by_workspace ON notification_channels (workspace_id, id);

-- Which kinds go to which channel, optionally only for some campaigns, tiers or accounts.
CREATE TABLE notification_rules (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    channel_id BIGINT NOT NULL REFERENCES notification_channels(id) ON DELETE CASCADE,
    kinds {json} NOT NULL,
    campaign_ids {json} NOT NULL,
    tiers {json} NOT NULL,
    account_ids {json} NOT NULL,
    enabled BOOLEAN NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX notification_rules_by_workspace ON notification_rules (workspace_id, id);

-- Each member's choices (absent: the defaults, everything in KOX and no e-mail).
CREATE TABLE notification_preferences (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    prefs {json} NOT NULL,
    updated_at {ts} NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);

-- One message to one channel (or one member's e-mail) and every attempt at it; its job does
-- the sending. message is what is sent (built when the notification is made, so a later edit
-- of the item does not change a message already queued).
CREATE TABLE deliveries (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    channel_id BIGINT REFERENCES notification_channels(id) ON DELETE SET NULL,
    channel_kind TEXT NOT NULL,
    target TEXT,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    message {json} NOT NULL,
    event {json} NOT NULL,
    status TEXT NOT NULL,
    attempts {json} NOT NULL,
    next_attempt_at {ts},
    job_id BIGINT,
    idempotency_key TEXT NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX deliveries_by_workspace ON deliveries (workspace_id, id);
CREATE INDEX deliveries_by_status ON deliveries (workspace_id, status, id);
