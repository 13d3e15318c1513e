-- The other data kinds: accounts' daily followers, comments (the 24 h reply rate), spend,
-- revenue and conversions per campaign and day, the brand keyword search index. Each table is
-- keyed on its natural key within the workspace and records the import that last wrote a row;
-- `metric_changes` keeps what an import replaced, for its undo.

CREATE TABLE account_follower_snapshots (
    workspace_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    day {date} NOT NULL,
    followers BIGINT,
    followers_gained BIGINT,
    unfollows BIGINT,
    import_id BIGINT,
    updated_at {ts} NOT NULL,
    PRIMARY KEY (workspace_id, account_id, day)
){without_rowid};
CREATE INDEX follower_snapshots_by_import ON account_follower_snapshots (import_id);

CREATE TABLE post_comments (
    workspace_id BIGINT NOT NULL,
    item_id BIGINT NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    comment_id TEXT NOT NULL,
    author TEXT,
    text TEXT,
    created_at {ts},
    replied_at {ts},
    replied_by TEXT,
    import_id BIGINT,
    updated_at {ts} NOT NULL,
    PRIMARY KEY (workspace_id, item_id, comment_id)
){without_rowid};
CREATE INDEX post_comments_by_import ON post_comments (import_id);
CREATE INDEX post_comments_by_item ON post_comments (item_id);

CREATE TABLE spend_entries (
    workspace_id BIGINT NOT NULL,
    scope TEXT NOT NULL,
    scope_id BIGINT NOT NULL,
    day {date} NOT NULL,
    paid_boost BOOLEAN NOT NULL,
    amount BIGINT,
    currency TEXT,
    import_id BIGINT,
    updated_at {ts} NOT NULL,
    PRIMARY KEY (workspace_id, scope, scope_id, day, paid_boost)
){without_rowid};
CREATE INDEX spend_by_import ON spend_entries (import_id);

CREATE TABLE campaign_revenue (
    workspace_id BIGINT NOT NULL,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    day {date} NOT NULL,
    revenue BIGINT,
    conversions BIGINT,
    import_id BIGINT,
    updated_at {ts} NOT NULL,
    PRIMARY KEY (workspace_id, campaign_id, day)
){without_rowid};
CREATE INDEX revenue_by_import ON campaign_revenue (import_id);

CREATE TABLE search_index (
    workspace_id BIGINT NOT NULL,
    keyword TEXT NOT NULL,
    platform TEXT NOT NULL,
    day {date} NOT NULL,
    value DOUBLE PRECISION,
    import_id BIGINT,
    updated_at {ts} NOT NULL,
    PRIMARY KEY (workspace_id, keyword, platform, day)
){without_rowid};
CREATE INDEX search_index_by_import ON search_index (import_id);

CREATE TABLE metric_changes (
    import_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    row_key {json} NOT NULL,
    previous {json} NOT NULL
);
CREATE INDEX metric_changes_by_import ON metric_changes (import_id);

-- Rollups kept with each chunk: a post's comments and how many were answered within 24 h;
-- a campaign's spend (and boosted spend, posts' spend included), revenue and conversions by day.
CREATE TABLE item_reply_stats (
    item_id BIGINT PRIMARY KEY REFERENCES content_items(id) ON DELETE CASCADE,
    workspace_id BIGINT NOT NULL,
    comments BIGINT NOT NULL,
    replied_24h BIGINT NOT NULL
){without_rowid};

CREATE TABLE campaign_money_daily (
    campaign_id BIGINT NOT NULL,
    day {date} NOT NULL,
    workspace_id BIGINT NOT NULL,
    spend BIGINT NOT NULL,
    boost_spend BIGINT NOT NULL,
    revenue BIGINT NOT NULL,
    conversions BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, day)
){without_rowid};
CREATE INDEX campaign_money_by_workspace ON campaign_money_daily (workspace_id, day);
