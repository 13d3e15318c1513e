//! The shared content calendar: every account's scheduled items in one view, the schedule
//! rules and their conflicts, recurring slots, statutory holidays, coordination orders and
//! their waves, and the iCalendar feeds.

pub mod conflicts;
pub mod holidays;
pub mod ics;
pub mod orders;
pub mod rules;
pub mod slots;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::accounts::Tier;
use crate::content::{ReviewState, Stage};
use crate::validation::{FieldError, Fields};
pub use conflicts::{Conflict, ConflictRule, ConflictSeverity};
pub use holidays::{Holiday, HolidayKind};
pub use rules::ScheduleRules;
pub use slots::SlotOccurrence;

/// The longest range one calendar request may cover.
pub const MAX_RANGE_DAYS: i64 = 366;

/// Checks a `from`/`to` pair: `to` after `from`, at most 366 days apart.
pub fn check_range(from: DateTime<Utc>, to: DateTime<Utc>) -> Fields<()> {
    if to <= from {
        return Err(FieldError::new(
            "to",
            "calendar.invalid_range",
            "to must be after from",
        ));
    }
    if to - from > chrono::Duration::days(MAX_RANGE_DAYS) {
        return Err(FieldError::new(
            "to",
            "calendar.range_too_long",
            format!("a calendar range covers at most {MAX_RANGE_DAYS} days"),
        ));
    }
    Ok(())
}

/// One item on the calendar.
/// Empty fields are left out (a month of a whole matrix is thousands of items).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CalendarItem {
    pub id: i64,
    pub title: String,
    pub stage: Stage,
    pub review_state: ReviewState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub campaign_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee_id: Option<i64>,
    /// When it goes out: the real publish time once published, else the planned time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub planned_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_on: Option<NaiveDate>,
    pub version: i64,
    /// The wave this item follows up, if it is a follow-up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wave_id: Option<i64>,
    /// Whether the member asking may move it.
    pub may_schedule: bool,
    pub conflicts: Vec<Conflict>,
}

/// The calendar of a range: items, open recurring slots, holidays.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CalendarView {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub time_zone: String,
    pub items: Vec<CalendarItem>,
    pub slots: Vec<SlotOccurrence>,
    pub holidays: Vec<Holiday>,
    /// Items of the range with at least one conflict.
    pub conflict_count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CalendarItems {
    pub items: Vec<CalendarItem>,
}

/// A proposed slot for an item, checked without writing.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotCheck {
    pub item_id: i64,
    pub planned_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SlotCheckResult {
    pub conflicts: Vec<Conflict>,
    /// Whether scheduling there would be refused.
    pub blocking: bool,
}

/// How a follow-up of a wave is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpState {
    /// Not published yet, still in time.
    Pending,
    OnTime,
    Late,
    /// Not published and past its due time.
    Overdue,
    Cancelled,
}

impl FollowUpState {
    pub fn of(
        stage: Stage,
        due_at: DateTime<Utc>,
        published_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Self {
        match (stage, published_at) {
            (_, Some(p)) if p <= due_at => FollowUpState::OnTime,
            (_, Some(_)) => FollowUpState::Late,
            (Stage::Cancelled, None) => FollowUpState::Cancelled,
            (_, None) if now > due_at => FollowUpState::Overdue,
            _ => FollowUpState::Pending,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FollowUp {
    pub item_id: i64,
    pub account_id: Option<i64>,
    pub handle: Option<String>,
    pub title: String,
    pub due_at: DateTime<Utc>,
    pub stage: Stage,
    pub published_at: Option<DateTime<Utc>>,
    pub state: FollowUpState,
}

/// The follow-ups one published trigger started under one order.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Wave {
    pub id: i64,
    pub order_id: i64,
    pub order_name: String,
    pub trigger_item_id: i64,
    pub trigger_title: String,
    pub triggered_at: DateTime<Utc>,
    /// The wave whose follow-up triggered this one (a cascade).
    pub parent_wave_id: Option<i64>,
    pub follow_ups: Vec<FollowUp>,
    pub total: i64,
    pub published: i64,
    pub on_time: i64,
    pub late: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Waves {
    pub items: Vec<Wave>,
}

/// What an iCalendar feed shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeedScope {
    /// The items of the accounts the member owns, and those assigned to them.
    Member,
    Account,
    Campaign,
}

impl FeedScope {
    pub fn as_str(self) -> &'static str {
        match self {
            FeedScope::Member => "member",
            FeedScope::Account => "account",
            FeedScope::Campaign => "campaign",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [FeedScope::Member, FeedScope::Account, FeedScope::Campaign]
            .into_iter()
            .find(|f| f.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedDraft {
    pub scope: FeedScope,
    /// The account or campaign (`null` for `member`).
    #[serde(default)]
    pub target_id: Option<i64>,
    /// A name for the member's own list; a default names the scope.
    #[serde(default)]
    pub name: Option<String>,
}

impl FeedDraft {
    pub fn validate(mut self) -> Fields<Self> {
        match (self.scope, self.target_id) {
            (FeedScope::Member, Some(_)) | (FeedScope::Account | FeedScope::Campaign, None) => {
                return Err(FieldError::new(
                    "target_id",
                    "calendar.feed_target",
                    "a feed of an account or campaign names it; a member's feed names none",
                ));
            }
            _ => {}
        }
        self.name = match self.name.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(n) => Some(crate::validation::name("name", n, 1, 80)?),
        };
        Ok(self)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct IcsFeed {
    pub id: i64,
    pub scope: FeedScope,
    pub target_id: Option<i64>,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A new feed and its address, shown once.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct NewIcsFeed {
    pub feed: IcsFeed,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct IcsFeeds {
    pub items: Vec<IcsFeed>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn ranges_are_ordered_and_at_most_366_days() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z", None),
            ("2026-01-01T00:00:00Z", "2027-01-02T00:00:00Z", None),
            (
                "2026-01-01T00:00:00Z",
                "2027-01-02T00:00:01Z",
                Some("calendar.range_too_long"),
            ),
            (
                "2026-12-01T00:00:00Z",
                "2026-12-01T00:00:00Z",
                Some("calendar.invalid_range"),
            ),
            (
                "2026-12-02T00:00:00Z",
                "2026-12-01T00:00:00Z",
                Some("calendar.invalid_range"),
            ),
        ];
        for (from, to, want) in cases {
            assert_eq!(
                check_range(utc(from), utc(to)).err().map(|e| e.code),
                *want,
                "{from} {to}"
            );
        }
    }

    #[test]
    fn follow_ups_are_on_time_late_or_overdue() {
        let due = utc("2026-12-08T14:00:00Z");
        let now = utc("2026-12-08T15:00:00Z");
        let cases: &[(Stage, Option<&str>, FollowUpState)] = &[
            (
                Stage::Retro,
                Some("2026-12-08T13:59:00Z"),
                FollowUpState::OnTime,
            ),
            (
                Stage::Retro,
                Some("2026-12-08T14:00:00Z"),
                FollowUpState::OnTime,
            ),
            (
                Stage::Retro,
                Some("2026-12-08T14:01:00Z"),
                FollowUpState::Late,
            ),
            (Stage::Draft, None, FollowUpState::Overdue),
            (Stage::Cancelled, None, FollowUpState::Cancelled),
        ];
        for (stage, published, want) in cases {
            assert_eq!(
                FollowUpState::of(*stage, due, published.map(utc), now),
                *want
            );
        }
        assert_eq!(
            FollowUpState::of(Stage::Draft, due, None, utc("2026-12-08T13:00:00Z")),
            FollowUpState::Pending
        );
    }

    #[test]
    fn feeds_name_their_target_by_scope() {
        let d = |scope, target| FeedDraft {
            scope,
            target_id: target,
            name: None,
        };
        assert!(d(FeedScope::Member, None).validate().is_ok());
        assert!(d(FeedScope::Account, Some(3)).validate().is_ok());
        assert_eq!(
            d(FeedScope::Member, Some(3)).validate().unwrap_err().code,
            "calendar.feed_target"
        );
        assert_eq!(
            d(FeedScope::Campaign, None).validate().unwrap_err().field,
            "target_id"
        );
    }
}
