//! Data in: post metric snapshots from platform exports (through the import framework) or
//! pushed by a collector, the metric registry (指标口径) and S/A/B/C grades.
//!
//! A snapshot is a post's counts as of a day; its natural key is the post and that day, so a
//! file imported twice writes nothing the second time and an overlapping one changes only the
//! values that differ.

pub mod grading;
pub mod kinds;
pub mod posts;
pub mod presets;
pub mod values;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use grading::{Counts, Grade, GradeMethod, GradeOutcome, MetricDefinitions};

/// A push of post metric snapshots (at most `MAX_PUSH_ROWS`).
pub const MAX_PUSH_ROWS: usize = 10_000;

/// One post's counts as of a day, as a collector pushes them (or a person enters them). The
/// post is KOX's `item_id`, or found by `post_id` / `post_url`, or by `title` and
/// `published_at` within `account_id`'s posts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostMetricInput {
    pub item_id: Option<i64>,
    pub post_id: Option<String>,
    pub post_url: Option<String>,
    /// The account (KOX id); without it the post is found by its id or link.
    pub account_id: Option<i64>,
    pub title: Option<String>,
    /// As the platform shows it (`2026-11-03 20:15`, RFC 3339 …), in the workspace's zone.
    pub published_at: Option<String>,
    /// The day the counts are as of (default: today in the workspace's zone).
    pub as_of: Option<NaiveDate>,
    pub impressions: Option<i64>,
    pub reads: Option<i64>,
    pub likes: Option<i64>,
    pub saves: Option<i64>,
    pub comments: Option<i64>,
    pub shares: Option<i64>,
    pub follows: Option<i64>,
    /// 0 to 1.
    pub completion_rate: Option<f64>,
    pub avg_watch_seconds: Option<f64>,
}

/// A batch of snapshots.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostMetricPush {
    pub rows: Vec<PostMetricInput>,
}

/// A batch of rows of one of the other data kinds (at most `MAX_PUSH_ROWS`): each row an
/// object of the kind's fields, holding what a file's cell would (`"1.2万"`, `12000`,
/// `"2026-11-03"`). Followers (`metrics/accounts`): account, day, followers, followers_gained,
/// unfollows. Comments: comment_id, post_id or post_url, author, text, created_at, replied_at,
/// replied_by. Spend: campaign, account, post_id or post_url, day, amount (yuan; stored in fen),
/// paid_boost, currency. Revenue: campaign, day, revenue, conversions. Search index: keyword,
/// platform, day, value.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KindPush {
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<serde_json::Map<String, serde_json::Value>>,
}

/// A post's comments and how many were answered within 24 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReplyStats {
    pub comments: i64,
    pub replied_24h: i64,
}

/// One refused row of a push.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PushIssue {
    /// The row's index in `rows` (0-based).
    pub index: usize,
    pub field: String,
    pub code: String,
    pub message: String,
}

/// What a push did. Refused rows are listed and nothing of them written; the others are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PushResult {
    /// The import the push is recorded as (it can be undone as a whole); none when every row
    /// was refused and nothing written.
    pub import_id: Option<i64>,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// Posts KOX did not know, created as published items of their account.
    pub new_posts: u32,
    pub refused: u32,
    pub issues: Vec<PushIssue>,
}

/// A post's snapshot, as read back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Snapshot {
    pub as_of: NaiveDate,
    #[serde(flatten)]
    pub counts: Counts,
    /// Counts the platform showed as a floor (`10w+`), by name.
    pub at_least: Vec<String>,
    pub completion_rate: Option<f64>,
    pub avg_watch_seconds: Option<f64>,
    /// The import that wrote it (`None`: entered by hand).
    pub import_id: Option<i64>,
    pub updated_at: DateTime<Utc>,
}

/// A post's grade as recorded, with what it was compared with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GradeRecord {
    #[serde(flatten)]
    pub outcome: GradeOutcome,
    /// The rule version it was graded by.
    pub rule_version: i64,
    /// The snapshot it was graded on.
    pub as_of: NaiveDate,
    pub graded_at: DateTime<Utc>,
}

/// A post's data: its snapshots (oldest first), its grade and its interactions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ItemMetrics {
    pub item_id: i64,
    pub snapshots: Vec<Snapshot>,
    pub latest: Option<Snapshot>,
    /// As the registry counts them, from the latest snapshot.
    pub interactions: Option<i64>,
    /// Interactions ÷ the registry's denominator.
    pub interaction_rate: Option<f64>,
    pub grade: Option<GradeRecord>,
    /// Its comments' 24 h reply status, once comments are in.
    pub replies: Option<ReplyStats>,
}

/// A versioned metric registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MetricRegistry {
    /// 0 for the defaults nobody has changed yet.
    pub version: i64,
    pub definitions: MetricDefinitions,
    #[schema(value_type = Option<i64>)]
    pub created_by: Option<crate::UserId>,
    pub created_at: Option<DateTime<Utc>>,
}

/// Where re-grading is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GradeStatus {
    pub rule_version: i64,
    /// Posts with data.
    pub posts: u64,
    /// Of those, graded by the current rule version.
    pub current: u64,
    /// Grades by grade, current version only.
    pub s: u64,
    pub a: u64,
    pub b: u64,
    pub c: u64,
    pub ungraded: u64,
}
