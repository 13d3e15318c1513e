//! The board view: cards, columns and what makes a card overdue.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::accounts::Tier;
use crate::content::{ReviewState, Stage};

/// A board card: what the column shows, without the body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ContentCard {
    pub id: i64,
    pub stage: Stage,
    pub position: f64,
    pub title: String,
    pub account_id: Option<i64>,
    pub account_handle: Option<String>,
    pub account_name: Option<String>,
    pub platform: Option<String>,
    pub tier: Option<Tier>,
    pub campaign_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub due_on: Option<NaiveDate>,
    pub planned_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub review_state: ReviewState,
    pub closed: bool,
    /// Due date passed (or planned time passed) and not yet published.
    pub overdue: bool,
    pub tags: Vec<String>,
    #[schema(value_type = Object)]
    pub custom: serde_json::Map<String, serde_json::Value>,
    /// Block-severity red-line hits when the item was last saved.
    pub red_line_hits: i64,
    /// Other check findings when last saved (warn-level red lines, missing hashtags, length, media).
    pub warnings: i64,
    pub comments: i64,
    pub version: i64,
    /// The post's grade once its data is in (S/A/B/C against its account's baseline).
    #[serde(default)]
    pub grade: Option<super::Grade>,
}

/// Is work on this item late? Only items not yet published can be.
pub fn is_overdue(
    stage: Stage,
    due_on: Option<NaiveDate>,
    planned_at: Option<DateTime<Utc>>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> bool {
    let open = matches!(
        stage,
        Stage::Topic | Stage::Draft | Stage::Review | Stage::Publish
    );
    open && (due_on.is_some_and(|d| d < today) || planned_at.is_some_and(|p| p < now))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardColumn {
    pub stage: Stage,
    /// The workspace's name for the column.
    pub name: String,
    /// Items in this column matching the filters (all pages).
    pub total: i64,
    pub wip_limit: Option<i64>,
    #[schema(value_type = Vec<ContentCard>)]
    pub items: Cards,
}

/// A column's cards, either as values or as the JSON array the database already wrote (the
/// board's hot read path: thousands of cards pass through without being decoded and re-encoded).
/// Both serialise to the same JSON array.
#[derive(Debug, Clone)]
pub enum Cards {
    Parsed(Vec<ContentCard>),
    Json(Box<serde_json::value::RawValue>),
}

impl Cards {
    /// The cards as values (parsing the JSON form).
    pub fn to_vec(&self) -> Result<Vec<ContentCard>, serde_json::Error> {
        match self {
            Cards::Parsed(v) => Ok(v.clone()),
            Cards::Json(raw) => serde_json::from_str(raw.get()),
        }
    }
}

impl Serialize for Cards {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cards::Parsed(v) => v.serialize(s),
            Cards::Json(raw) => raw.serialize(s),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Board {
    pub columns: Vec<BoardColumn>,
    /// What the member who asked may do on this board (the server fills this per request).
    pub allowed: BoardAllowed,
}

/// The columns one kind of card may be dragged to by this member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CardMoves {
    pub stage: Stage,
    /// Whether the member owns the card's account (see `BoardAllowed::own_accounts`).
    pub owns: bool,
    pub has_account: bool,
    pub to: Vec<Stage>,
}

/// What a member may do on the board: create cards (in which column), and where each kind of
/// card may be dragged — looked up by the card's column, account and whether the member owns
/// it, so the board's cards stay the same for everyone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct BoardAllowed {
    /// 选题 (the hub and above), 稿件 (operators, for their own accounts) or none.
    pub create_stage: Option<Stage>,
    #[schema(value_type = Vec<i64>)]
    pub own_accounts: Vec<crate::AccountId>,
    pub moves: Vec<CardMoves>,
    /// Whether the member may turn a topic card into drafts (生成稿件, the item action
    /// `create_drafts`): a topic dropped on 稿件 then asks for the accounts instead of moving.
    pub drafts_from_topics: bool,
}

// Case tables spell out their row type inline, which is the point of a table.
#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;
    use crate::content::*;

    use Stage as S;

    #[test]
    fn only_unpublished_items_with_a_past_due_date_or_planned_time_are_overdue() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let now = today.and_hms_opt(8, 0, 0).unwrap().and_utc();
        let yesterday = today.pred_opt();
        assert!(is_overdue(S::Draft, yesterday, None, today, now));
        assert!(!is_overdue(S::Draft, Some(today), None, today, now));
        assert!(!is_overdue(S::Retro, yesterday, None, today, now));
        assert!(!is_overdue(S::Cancelled, yesterday, None, today, now));
        assert!(is_overdue(
            S::Publish,
            None,
            Some(now - chrono::Duration::hours(1)),
            today,
            now
        ));
        assert!(!is_overdue(
            S::Publish,
            None,
            Some(now + chrono::Duration::hours(1)),
            today,
            now
        ));
    }
}
