-- The SOP board: content items, their stage transitions, approval records, comments, the
-- workspace's red lines, per-workspace board settings and per-platform limits.

ALTER TABLE workspaces ADD COLUMN content_settings {json};
-- Built-in red lines and platform limits are written once per workspace, by the store, from
-- the domain's tables (so they live in one place); this marks the workspaces already done.
ALTER TABLE workspaces ADD COLUMN content_seeded BOOLEAN NOT NULL DEFAULT FALSE;

-- NULL = no limit. Counted in characters.
ALTER TABLE platforms ADD COLUMN title_max BIGINT;
ALTER TABLE platforms ADD COLUMN body_max BIGINT;
ALTER TABLE platforms ADD COLUMN url_patterns {json};

CREATE TABLE content_items (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    stage TEXT NOT NULL,
    position DOUBLE PRECISION NOT NULL,
    account_id BIGINT REFERENCES accounts(id),
    campaign_id BIGINT REFERENCES campaigns(id),
    topic_id BIGINT REFERENCES content_items(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    hashtags {json} NOT NULL,
    media {json} NOT NULL,
    assignee_id BIGINT REFERENCES users(id),
    due_on {date},
    planned_at {ts},
    published_at {ts},
    post_url TEXT,
    platform_post_id TEXT,
    review_state TEXT NOT NULL,
    review_round BIGINT NOT NULL,
    review_step BIGINT NOT NULL,
    override_reason TEXT,
    retro_note TEXT,
    reuse_topic BOOLEAN,
    closed_at {ts},
    grade TEXT,
    tags {json} NOT NULL,
    custom {json} NOT NULL,
    -- The check summary at the last save, for the board's cards (the item view recomputes).
    red_line_hits BIGINT NOT NULL,
    warnings BIGINT NOT NULL,
    comments BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    version BIGINT NOT NULL,
    field_versions {json} NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
-- The board walks each column in (position, id) order.
CREATE INDEX content_by_stage ON content_items (workspace_id, stage, position, id);
CREATE INDEX content_by_account ON content_items (workspace_id, account_id);
CREATE INDEX content_by_campaign ON content_items (workspace_id, campaign_id);
CREATE INDEX content_by_assignee ON content_items (workspace_id, assignee_id);

-- Every stage change, including entering the board: cycle time and time in review come from here.
CREATE TABLE content_transitions (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    item_id BIGINT NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    from_stage TEXT,
    to_stage TEXT NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    created_at {ts} NOT NULL
);
CREATE INDEX content_transitions_by_item ON content_transitions (workspace_id, item_id, id);
CREATE INDEX content_transitions_by_time ON content_transitions (workspace_id, created_at);

-- One row per approval request; a round is one submission, a step one level of approval.
CREATE TABLE content_reviews (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    item_id BIGINT NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    round BIGINT NOT NULL,
    step BIGINT NOT NULL,
    requester_id BIGINT REFERENCES users(id),
    approver_id BIGINT REFERENCES users(id),
    decision TEXT NOT NULL,
    -- The decision that ended its round (final approval, rejection or override): the
    -- first-pass rate reads each item's first such row.
    ends_round BOOLEAN NOT NULL,
    reason TEXT,
    requested_at {ts} NOT NULL,
    decided_at {ts}
);
CREATE INDEX content_reviews_by_item ON content_reviews (workspace_id, item_id, round, step);
CREATE INDEX content_reviews_by_round ON content_reviews (workspace_id, round, decided_at);

CREATE TABLE content_comments (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    item_id BIGINT NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users(id),
    body TEXT NOT NULL,
    mentions {json} NOT NULL,
    created_at {ts} NOT NULL
);
CREATE INDEX content_comments_by_item ON content_comments (workspace_id, item_id, id);

CREATE TABLE red_lines (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    phrase TEXT NOT NULL,
    severity TEXT NOT NULL,
    exceptions {json} NOT NULL,
    note TEXT NOT NULL,
    builtin BOOLEAN NOT NULL,
    enabled BOOLEAN NOT NULL,
    created_at {ts} NOT NULL,
    UNIQUE (workspace_id, phrase)
);
