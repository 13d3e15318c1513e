//! The durable job queue's rules: the states a job goes through, how long it waits before the
//! next attempt, and how many attempts each kind gets. The queue itself is `kox-store`'s
//! `jobs`; the work of each kind is done by the server's worker. Pure.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Waiting for `run_at` (a first attempt or a retry).
    Queued,
    /// Claimed by a worker that holds its lease.
    Running,
    Done,
    /// Out of attempts, or failed for good; `kox jobs retry` or the API queue it again.
    Dead,
    /// No longer needed (a reminder for an item that was published or moved).
    Cancelled,
}

impl JobState {
    pub const ALL: [JobState; 5] = [
        JobState::Queued,
        JobState::Running,
        JobState::Done,
        JobState::Dead,
        JobState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Dead => "dead",
            JobState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<JobState> {
        JobState::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What a job does. Other capabilities add kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// Send one delivery (a bot message, a webhook, an e-mail).
    Deliver,
    /// Tell an item's account owners it goes out in an hour.
    PublishReminder,
    /// The workspace's morning round: due tomorrow, overdue, the directors' digest.
    DailyDigest,
    /// A published item's coordination waves: the follow-ups and their owners' notices.
    Wave,
    /// Every post's grade again, after the grade rules changed.
    Regrade,
}

impl JobKind {
    pub const ALL: [JobKind; 5] = [
        JobKind::Deliver,
        JobKind::PublishReminder,
        JobKind::DailyDigest,
        JobKind::Wave,
        JobKind::Regrade,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Deliver => "deliver",
            JobKind::PublishReminder => "publish_reminder",
            JobKind::DailyDigest => "daily_digest",
            JobKind::Wave => "wave",
            JobKind::Regrade => "regrade",
        }
    }

    pub fn parse(s: &str) -> Option<JobKind> {
        JobKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Attempts before the job is dead.
    pub fn max_attempts(self) -> u32 {
        match self {
            JobKind::Deliver => 8,
            JobKind::PublishReminder | JobKind::DailyDigest | JobKind::Wave | JobKind::Regrade => 5,
        }
    }
}

/// A job as the admin's queue page and `kox jobs` show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Job {
    pub id: i64,
    pub kind: JobKind,
    pub state: JobState,
    pub run_at: DateTime<Utc>,
    pub attempts: u32,
    pub max_attempts: u32,
    pub last_error: Option<String>,
    pub idempotency_key: String,
    pub lease_owner: Option<String>,
    pub lease_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// How long a claim lasts: a worker that dies loses its jobs after this.
pub const LEASE: Duration = Duration::from_mins(1);

/// The wait before attempt `attempt + 1` after `attempt` failed (1-based): 10 s doubling to
/// at most an hour, spread by `jitter` in [0, 1) over ±20 % so failed bursts do not retry in
/// step.
pub fn backoff(attempt: u32, jitter: f64) -> Duration {
    let base = 10.0 * 2f64.powi(attempt.saturating_sub(1).min(16) as i32);
    let capped = base.min(3600.0);
    let spread = 0.8 + 0.4 * jitter.clamp(0.0, 1.0);
    Duration::from_millis((capped * spread * 1000.0) as u64)
}

/// What became of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Try again later (5xx, timeout, rate limit), with the reason.
    Retry(String),
    /// Cannot succeed on retry (the provider refused the secret or key), with the reason.
    Fail(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_ten_seconds_to_an_hour_within_its_spread() {
        assert_eq!(backoff(1, 0.5), Duration::from_secs(10));
        assert_eq!(backoff(2, 0.5), Duration::from_secs(20));
        assert_eq!(backoff(4, 0.5), Duration::from_secs(80));
        assert_eq!(backoff(30, 0.5), Duration::from_hours(1));
        assert_eq!(backoff(1, 0.0), Duration::from_secs(8));
        assert_eq!(backoff(1, 1.0), Duration::from_secs(12));
    }

    #[test]
    fn kinds_and_states_read_back_their_names() {
        for k in JobKind::ALL {
            assert_eq!(JobKind::parse(k.as_str()), Some(k));
        }
        for s in JobState::ALL {
            assert_eq!(JobState::parse(s.as_str()), Some(s));
        }
        assert_eq!(JobKind::parse("nope"), None);
    }
}
