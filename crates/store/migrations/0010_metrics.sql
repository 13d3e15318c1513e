-- Data in: post metric snapshots from platform exports and pushes, their rollups, the metric
-- registry and grades.

-- An import's choices at upload (preset, account, encoding, sheet, as-of day), its file in the
-- file store (metric imports stream from it instead of keeping rows in `sheet_rows`), its undo
-- and a cancel asked for while it commits.
ALTER TABLE imports ADD COLUMN options {json};
ALTER TABLE imports ADD COLUMN file_key TEXT;
ALTER TABLE imports ADD COLUMN undone_at {ts};
ALTER TABLE imports ADD COLUMN cancel_requested BOOLEAN;

-- A post KOX learnt of from an import (shown as 导入; removed by the import's undo).
ALTER TABLE content_items ADD COLUMN import_id BIGINT;
CREATE INDEX content_by_post_id ON content_items (workspace_id, platform_post_id);
CREATE INDEX content_by_import ON content_items (import_id);

-- A post's counts as of a day: the natural key is (item, day). `import_id` is the import that
-- last wrote it (NULL: entered by hand); `at_least` has a bit per count shown as a floor (10w+).
CREATE TABLE post_metric_snapshots (
    item_id BIGINT NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
    as_of {date} NOT NULL,
    workspace_id BIGINT NOT NULL,
    impressions BIGINT,
    reads BIGINT,
    likes BIGINT,
    saves BIGINT,
    comments BIGINT,
    shares BIGINT,
    follows BIGINT,
    at_least BIGINT NOT NULL,
    completion_rate DOUBLE PRECISION,
    avg_watch_seconds DOUBLE PRECISION,
    import_id BIGINT,
    updated_at {ts} NOT NULL,
    PRIMARY KEY (item_id, as_of)
);
CREATE INDEX post_snapshots_by_import ON post_metric_snapshots (import_id);

-- The values an import replaced (with the snapshots, the append-only history): undoing the
-- import puts them back. A snapshot an import created has no row here (undo deletes it).
CREATE TABLE post_metric_changes (
    import_id BIGINT NOT NULL,
    item_id BIGINT NOT NULL,
    as_of {date} NOT NULL,
    previous {json} NOT NULL
);
CREATE INDEX post_metric_changes_by_import ON post_metric_changes (import_id);

-- Rollups, kept in the transaction of every chunk that writes snapshots: each post's latest
-- snapshot (with its account, campaign and publish day in the workspace's zone), and per account
-- and per campaign per publish day the sums of their posts' latest counts.
CREATE TABLE post_metrics_latest (
    item_id BIGINT PRIMARY KEY REFERENCES content_items(id) ON DELETE CASCADE,
    workspace_id BIGINT NOT NULL,
    account_id BIGINT,
    campaign_id BIGINT,
    day {date},
    as_of {date} NOT NULL,
    impressions BIGINT,
    reads BIGINT,
    likes BIGINT,
    saves BIGINT,
    comments BIGINT,
    shares BIGINT,
    follows BIGINT,
    at_least BIGINT NOT NULL
){without_rowid};
CREATE INDEX post_latest_by_account ON post_metrics_latest (workspace_id, account_id, day);
CREATE INDEX post_latest_by_campaign ON post_metrics_latest (workspace_id, campaign_id, day);

CREATE TABLE account_metrics_daily (
    account_id BIGINT NOT NULL,
    day {date} NOT NULL,
    workspace_id BIGINT NOT NULL,
    posts BIGINT NOT NULL,
    impressions BIGINT NOT NULL,
    reads BIGINT NOT NULL,
    likes BIGINT NOT NULL,
    saves BIGINT NOT NULL,
    comments BIGINT NOT NULL,
    shares BIGINT NOT NULL,
    follows BIGINT NOT NULL,
    PRIMARY KEY (account_id, day)
){without_rowid};
CREATE INDEX account_daily_by_workspace ON account_metrics_daily (workspace_id, day);

CREATE TABLE campaign_metrics_daily (
    campaign_id BIGINT NOT NULL,
    day {date} NOT NULL,
    workspace_id BIGINT NOT NULL,
    posts BIGINT NOT NULL,
    impressions BIGINT NOT NULL,
    reads BIGINT NOT NULL,
    likes BIGINT NOT NULL,
    saves BIGINT NOT NULL,
    comments BIGINT NOT NULL,
    shares BIGINT NOT NULL,
    follows BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, day)
){without_rowid};
CREATE INDEX campaign_daily_by_workspace ON campaign_metrics_daily (workspace_id, day);

-- The metric registry, one row per version (the highest is in force).
CREATE TABLE metric_definitions (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    version BIGINT NOT NULL,
    definitions {json} NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at {ts} NOT NULL,
    PRIMARY KEY (workspace_id, version)
);

-- Each graded post's grade, the rule version, the baseline it was compared with and the
-- snapshot it was graded on ("why is this S?"). `content_items.grade` carries the letter for the
-- board.
CREATE TABLE item_grades (
    item_id BIGINT PRIMARY KEY REFERENCES content_items(id) ON DELETE CASCADE,
    workspace_id BIGINT NOT NULL,
    grade TEXT,
    method TEXT NOT NULL,
    interactions BIGINT NOT NULL,
    baseline DOUBLE PRECISION,
    baseline_posts BIGINT NOT NULL,
    multiple DOUBLE PRECISION,
    threshold BIGINT,
    rule_version BIGINT NOT NULL,
    as_of {date} NOT NULL,
    graded_at {ts} NOT NULL
){without_rowid};
CREATE INDEX item_grades_by_workspace ON item_grades (workspace_id, rule_version);
