//! Content workflow: the SOP board's stages (选题 → 稿件 → 审核 → 发布 → 复盘, plus cancelled),
//! which moves are legal, who may do what to an item, approval settings and fractional
//! positions. Checks on an item's text (red lines, hashtags, lengths, post URLs) are in
//! `content::checks`. No IO.

pub mod checks;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::access::{Capability, Role};
use crate::accounts::{Tier, normalize_tags};
use crate::campaigns::Hashtag;
use crate::validation::{self, FieldError, Fields};
use crate::{AccountId, CampaignId, ContentId, UserId};

pub use checks::ContentChecks;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Topic,
    Draft,
    Review,
    Publish,
    Retro,
    Cancelled,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Topic,
        Stage::Draft,
        Stage::Review,
        Stage::Publish,
        Stage::Retro,
        Stage::Cancelled,
    ];
    /// The columns of the board, in order (cancelled items are shown only on request).
    pub const BOARD: [Stage; 5] = [
        Stage::Topic,
        Stage::Draft,
        Stage::Review,
        Stage::Publish,
        Stage::Retro,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Topic => "topic",
            Stage::Draft => "draft",
            Stage::Review => "review",
            Stage::Publish => "publish",
            Stage::Retro => "retro",
            Stage::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The column names a workspace starts with.
    pub fn default_name(self) -> &'static str {
        match self {
            Stage::Topic => "选题",
            Stage::Draft => "稿件",
            Stage::Review => "审核",
            Stage::Publish => "发布",
            Stage::Retro => "复盘",
            Stage::Cancelled => "已取消",
        }
    }

    /// Title, body, hashtags, media, account and campaign are what a reviewer approved: they
    /// are frozen from review on (withdraw or pull back to 稿件 to change them).
    pub fn content_locked(self) -> bool {
        matches!(self, Stage::Review | Stage::Publish | Stage::Retro)
    }

    /// Stages the content hub works in without an account owner's say.
    fn hub_stage(self) -> bool {
        matches!(self, Stage::Topic | Stage::Draft | Stage::Cancelled)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    #[default]
    None,
    Pending,
    Approved,
    Rejected,
}

impl ReviewState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::None => "none",
            ReviewState::Pending => "pending",
            ReviewState::Approved => "approved",
            ReviewState::Rejected => "rejected",
        }
    }
    pub fn parse(s: &str) -> Option<ReviewState> {
        [
            ReviewState::None,
            ReviewState::Pending,
            ReviewState::Approved,
            ReviewState::Rejected,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

/// Performance grade, filled in after publishing (S = 爆款).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Grade {
    S,
    A,
    B,
    C,
}

impl Grade {
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::S => "S",
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
        }
    }
    pub fn parse(s: &str) -> Option<Grade> {
        [Grade::S, Grade::A, Grade::B, Grade::C]
            .into_iter()
            .find(|g| g.as_str() == s)
    }
}

// ---------------------------------------------------------------------------------------------
// Approval settings

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalMode {
    /// No review: a draft moves straight to 发布.
    None,
    /// A draft may go to 发布 directly or through review.
    Optional,
    /// Every draft passes one review by an editor, director or admin.
    #[default]
    Required,
    /// Every draft passes the configured steps in order.
    MultiLevel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum StepRule {
    /// One approval from the step's approvers completes the step.
    #[default]
    Any,
    /// Every approver of the step must approve.
    All,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalStep {
    pub name: String,
    #[serde(default)]
    pub rule: StepRule,
    #[schema(value_type = Vec<i64>)]
    pub approver_ids: Vec<UserId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ApprovalSettings {
    pub mode: ApprovalMode,
    #[serde(default)]
    pub steps: Vec<ApprovalStep>,
}

/// Column names per stage, WIP limits per stage and the approval flow of one workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContentSettings {
    #[schema(value_type = BTreeMap<String, String>)]
    pub stage_names: BTreeMap<Stage, String>,
    /// Absent = no limit. Exceeding a limit warns; it never refuses a move.
    #[serde(default)]
    #[schema(value_type = BTreeMap<String, i64>)]
    pub wip_limits: BTreeMap<Stage, i64>,
    #[serde(default)]
    pub approval: ApprovalSettings,
}

impl Default for ContentSettings {
    fn default() -> Self {
        Self {
            stage_names: Stage::ALL
                .into_iter()
                .map(|s| (s, s.default_name().to_owned()))
                .collect(),
            wip_limits: BTreeMap::new(),
            approval: ApprovalSettings::default(),
        }
    }
}

pub const MAX_APPROVAL_STEPS: usize = 5;

impl ContentSettings {
    /// Normalises names (missing ones get their default) and checks limits and steps. Whether
    /// approvers are members who may review is checked by the store.
    pub fn validate(mut self) -> Fields<Self> {
        for s in Stage::ALL {
            let name = self
                .stage_names
                .get(&s)
                .map_or_else(|| s.default_name().to_owned(), Clone::clone);
            let name = validation::text(&format!("stage_names.{}", s.as_str()), &name, 0, 20)?;
            let name = if name.is_empty() {
                s.default_name().to_owned()
            } else {
                name
            };
            self.stage_names.insert(s, name);
        }
        for (s, n) in &self.wip_limits {
            if !(1..=10_000).contains(n) {
                return Err(FieldError::new(
                    format!("wip_limits.{}", s.as_str()),
                    "validation.range",
                    "a WIP limit is between 1 and 10,000",
                ));
            }
        }
        let steps = &mut self.approval.steps;
        match self.approval.mode {
            ApprovalMode::MultiLevel => {
                if steps.is_empty() || steps.len() > MAX_APPROVAL_STEPS {
                    return Err(FieldError::new(
                        "approval.steps",
                        "content.steps_required",
                        format!("multi-level review needs 1 to {MAX_APPROVAL_STEPS} steps"),
                    ));
                }
                for (i, step) in steps.iter_mut().enumerate() {
                    step.name =
                        validation::text(&format!("approval.steps.{i}.name"), &step.name, 1, 40)?;
                    step.approver_ids.sort();
                    step.approver_ids.dedup();
                    if step.approver_ids.is_empty() || step.approver_ids.len() > 20 {
                        return Err(FieldError::new(
                            format!("approval.steps.{i}.approver_ids"),
                            "content.approvers_required",
                            "each step needs 1 to 20 approvers",
                        ));
                    }
                }
            }
            // Steps only mean something in multi-level mode; keeping them would let a later
            // switch back silently revive an old configuration.
            _ => steps.clear(),
        }
        Ok(self)
    }

    pub fn name(&self, s: Stage) -> &str {
        self.stage_names
            .get(&s)
            .map_or(s.default_name(), String::as_str)
    }

    /// How many approval steps a review round has.
    pub fn step_count(&self) -> usize {
        match self.approval.mode {
            ApprovalMode::MultiLevel => self.approval.steps.len().max(1),
            _ => 1,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Moves

/// What a requested board move amounts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveKind {
    /// Same column, new position.
    Reorder,
    /// A plain stage change.
    Plain,
    /// 稿件 → 审核: a review round starts (the same as `review` with `submit`).
    Submit,
    /// 审核 → 稿件 by the submitter: the pending round is withdrawn.
    Withdraw,
    /// 发布 → 稿件: an approved item is pulled back and must be reviewed again.
    PullBack,
}

fn illegal(from: Stage, to: Stage, why: &str) -> FieldError {
    FieldError::new(
        "stage",
        "content.invalid_transition",
        format!("{} → {}: {why}", from.default_name(), to.default_name()),
    )
}

/// The one transition function for moves made on the board. Approval (审核 → 发布), publishing
/// (发布 → 复盘) and the retro note have their own actions with their own inputs.
pub fn check_move(
    from: Stage,
    to: Stage,
    mode: ApprovalMode,
    has_account: bool,
) -> Fields<MoveKind> {
    use Stage as S;
    let needs_account = |kind| {
        if has_account {
            Ok(kind)
        } else {
            Err(FieldError::new(
                "account_id",
                "content.account_required",
                "choose the account this draft is for before it leaves 选题",
            ))
        }
    };
    match (from, to) {
        (a, b) if a == b => Ok(MoveKind::Reorder),
        (S::Topic | S::Cancelled, S::Draft) => needs_account(MoveKind::Plain),
        (S::Draft | S::Cancelled, S::Topic)
        | (S::Topic | S::Draft | S::Review | S::Publish, S::Cancelled) => Ok(MoveKind::Plain),
        (S::Draft, S::Review) => needs_account(MoveKind::Submit),
        (S::Review, S::Draft) => Ok(MoveKind::Withdraw),
        (S::Draft, S::Publish) => match mode {
            ApprovalMode::None | ApprovalMode::Optional => needs_account(MoveKind::Plain),
            _ => Err(illegal(from, to, "this workspace requires a review first")),
        },
        (S::Publish, S::Draft) => Ok(MoveKind::PullBack),
        (S::Review, S::Publish) => Err(illegal(from, to, "an approval moves it")),
        (S::Publish, S::Retro) => Err(illegal(from, to, "paste the live post URL to publish it")),
        (S::Retro, _) => Err(illegal(from, to, "a published item stays in 复盘")),
        _ => Err(illegal(from, to, "not a step of the workflow")),
    }
}

// ---------------------------------------------------------------------------------------------
// Who may do what

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentAction {
    /// Create an item in this stage.
    Create,
    /// Edit an item's fields.
    Edit,
    /// Move an item out of (or within) this stage to `to`.
    Move {
        to: Stage,
    },
    Submit,
    Withdraw,
    /// Approve or reject a pending review.
    Decide,
    /// Approve despite blocking red-line hits, with a written reason.
    Override,
    Publish,
    Retro,
    Comment,
    Delete,
}

/// The content part of the capability table (DESIGN §5): admins and directors do everything;
/// the content hub (editors, planners) works in 选题/稿件; operators work on items of the
/// accounts they own; editors, directors and admins review; directors and admins override.
/// `stage` is the item's current stage; `owns` says whether the member owns its account.
pub fn may(role: Role, action: ContentAction, stage: Stage, owns: bool) -> bool {
    use Capability as C;
    use ContentAction as A;
    let any = role.can(C::ContentWriteAny);
    let hub = role.can(C::ContentWriteDraft);
    let own = role.can(C::ContentWriteOwn) && owns;
    match action {
        A::Create | A::Edit => any || (hub && stage.hub_stage()) || own,
        A::Move { to } => any || (hub && stage.hub_stage() && to.hub_stage()) || own,
        A::Submit | A::Withdraw | A::Retro => any || hub || own,
        A::Decide => role.can(C::ContentReview),
        A::Override => role.can(C::ContentOverride),
        A::Publish => role.can(C::ContentPublishAny) || (role.can(C::ContentPublishOwn) && owns),
        A::Comment => role.can(C::ContentComment),
        A::Delete => any || ((hub || own) && matches!(stage, Stage::Topic | Stage::Draft)),
    }
}

// ---------------------------------------------------------------------------------------------
// Positions

/// Gap between neighbours when a column is (re)numbered or a card is appended.
pub const POSITION_STEP: f64 = 1024.0;

/// A position strictly between two neighbours (either may be absent: top or bottom of a
/// column). `None` when the gap is exhausted and the column must be renumbered first.
pub fn position_between(prev: Option<f64>, next: Option<f64>) -> Option<f64> {
    let p = match (prev, next) {
        (None, None) => 0.0,
        (Some(a), None) => a + POSITION_STEP,
        (None, Some(b)) => b - POSITION_STEP,
        (Some(a), Some(b)) => a + (b - a) / 2.0,
    };
    let strictly = prev.is_none_or(|a| p > a) && next.is_none_or(|b| p < b);
    (strictly && p.is_finite()).then_some(p)
}

// ---------------------------------------------------------------------------------------------
// Items

pub const MAX_TITLE: usize = 200;
/// Long-form posts (知乎, 汽车之家) run to tens of thousands of characters; platforms cap lower.
pub const MAX_BODY: usize = 50_000;
pub const MAX_MEDIA: usize = 50;
pub const MAX_HASHTAGS: usize = 30;

/// The writable fields of a content item as a client sends them on create.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContentDraft {
    /// `topic` (default) or `draft`.
    #[serde(default = "default_stage")]
    pub stage: Stage,
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub account_id: Option<AccountId>,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub campaign_id: Option<CampaignId>,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub topic_id: Option<ContentId>,
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub hashtags: Vec<Hashtag>,
    #[serde(default)]
    pub media: Vec<String>,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub assignee_id: Option<UserId>,
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
    #[serde(default)]
    pub planned_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub grade: Option<Grade>,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub custom: serde_json::Map<String, serde_json::Value>,
}

fn default_stage() -> Stage {
    Stage::Topic
}

fn normalize_hashtags(tags: &[Hashtag]) -> Fields<Vec<Hashtag>> {
    let mut out: Vec<Hashtag> = Vec::new();
    for (i, t) in tags.iter().enumerate() {
        let t = Hashtag::parse(&format!("hashtags.{i}"), t.as_str())?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.len() > MAX_HASHTAGS {
        return Err(FieldError::new(
            "hashtags",
            "validation.too_many",
            format!("at most {MAX_HASHTAGS} hashtags"),
        ));
    }
    Ok(out)
}

impl ContentDraft {
    pub fn validate(mut self) -> Fields<Self> {
        self.title = validation::text("title", &self.title, 1, MAX_TITLE)?;
        // Body text keeps its own leading indentation and blank lines: only trailing space goes.
        let body = self.body.trim_end().to_owned();
        if body.chars().count() > MAX_BODY {
            return Err(FieldError::new(
                "body",
                "validation.too_long",
                format!("body must be at most {MAX_BODY} characters"),
            ));
        }
        if body
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
        {
            return Err(FieldError::new(
                "body",
                "validation.control_chars",
                "body contains control characters",
            ));
        }
        self.body = body;
        self.hashtags = normalize_hashtags(&self.hashtags)?;
        let mut media = Vec::new();
        for (i, m) in self.media.iter().enumerate() {
            let m = validation::text(&format!("media.{i}"), m, 1, 500)?;
            if !media.contains(&m) {
                media.push(m);
            }
        }
        if media.len() > MAX_MEDIA {
            return Err(FieldError::new(
                "media",
                "validation.too_many",
                format!("at most {MAX_MEDIA} media references"),
            ));
        }
        self.media = media;
        self.tags = normalize_tags(&self.tags)?;
        Ok(self)
    }

    pub fn apply(&mut self, patch: ContentPatch) {
        crate::patch::apply!(self, patch; title, body, account_id, campaign_id, hashtags, media, assignee_id, due_on, planned_at, tags, grade, custom);
    }

    pub fn diff(&self, other: &Self) -> Vec<&'static str> {
        crate::patch::diff!(self, other; title, body, account_id, campaign_id, hashtags, media, assignee_id, due_on, planned_at, tags, grade, custom)
    }
}

/// The fields that are frozen from review on (see [`Stage::content_locked`]).
pub const LOCKED_FIELDS: [&str; 6] = [
    "title",
    "body",
    "hashtags",
    "media",
    "account_id",
    "campaign_id",
];

/// A partial edit; `null` clears a nullable field. `version` is the version the client saw.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContentPatch {
    pub version: i64,
    pub title: Option<String>,
    pub body: Option<String>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    #[schema(value_type = Option<i64>)]
    pub account_id: Option<Option<AccountId>>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    #[schema(value_type = Option<i64>)]
    pub campaign_id: Option<Option<CampaignId>>,
    #[schema(value_type = Option<Vec<String>>)]
    pub hashtags: Option<Vec<Hashtag>>,
    pub media: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    #[schema(value_type = Option<i64>)]
    pub assignee_id: Option<Option<UserId>>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    #[schema(value_type = Option<NaiveDate>)]
    pub due_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub planned_at: Option<Option<DateTime<Utc>>>,
    pub tags: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    #[schema(value_type = Option<Grade>)]
    pub grade: Option<Option<Grade>>,
    #[schema(value_type = Option<Object>)]
    pub custom: Option<serde_json::Map<String, serde_json::Value>>,
}

impl ContentPatch {
    pub fn touched(&self) -> Vec<&'static str> {
        crate::patch::touched!(self; title, body, account_id, campaign_id, hashtags, media, assignee_id, due_on, planned_at, tags, grade, custom)
    }
}

/// One content item: one planned post for one account, the card that moves on the board.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ContentItem {
    #[schema(value_type = i64)]
    pub id: ContentId,
    pub stage: Stage,
    pub position: f64,
    #[schema(value_type = Option<i64>)]
    pub account_id: Option<AccountId>,
    #[schema(value_type = Option<i64>)]
    pub campaign_id: Option<CampaignId>,
    #[schema(value_type = Option<i64>)]
    pub topic_id: Option<ContentId>,
    pub title: String,
    pub body: String,
    #[schema(value_type = Vec<String>)]
    pub hashtags: Vec<Hashtag>,
    pub media: Vec<String>,
    #[schema(value_type = Option<i64>)]
    pub assignee_id: Option<UserId>,
    pub due_on: Option<NaiveDate>,
    pub planned_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub post_url: Option<String>,
    pub platform_post_id: Option<String>,
    pub review_state: ReviewState,
    /// 0 before the first submission; each submission starts the next round.
    pub review_round: i64,
    /// The approval step the pending round is at (multi-level review).
    pub review_step: i64,
    pub override_reason: Option<String>,
    pub retro_note: Option<String>,
    pub reuse_topic: Option<bool>,
    pub closed_at: Option<DateTime<Utc>>,
    pub grade: Option<Grade>,
    pub tags: Vec<String>,
    #[schema(value_type = Object)]
    pub custom: serde_json::Map<String, serde_json::Value>,
    #[schema(value_type = Option<i64>)]
    pub created_by: Option<UserId>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Checks against the workspace's current red lines, the campaign's hashtags and the
    /// platform's limits.
    pub checks: ContentChecks,
}

impl ContentItem {
    /// The editable fields as a draft, for applying a patch.
    pub fn draft(&self) -> ContentDraft {
        ContentDraft {
            stage: self.stage,
            title: self.title.clone(),
            body: self.body.clone(),
            account_id: self.account_id,
            campaign_id: self.campaign_id,
            topic_id: self.topic_id,
            hashtags: self.hashtags.clone(),
            media: self.media.clone(),
            assignee_id: self.assignee_id,
            due_on: self.due_on,
            planned_at: self.planned_at,
            tags: self.tags.clone(),
            grade: self.grade,
            custom: self.custom.clone(),
        }
    }
}

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Pending,
    Approved,
    Rejected,
    Overridden,
    Withdrawn,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Pending => "pending",
            Decision::Approved => "approved",
            Decision::Rejected => "rejected",
            Decision::Overridden => "overridden",
            Decision::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(s: &str) -> Option<Decision> {
        [
            Decision::Pending,
            Decision::Approved,
            Decision::Rejected,
            Decision::Overridden,
            Decision::Withdrawn,
        ]
        .into_iter()
        .find(|d| d.as_str() == s)
    }
}

/// One stage change of an item (`from` is empty when the item was created).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Transition {
    pub from: Option<Stage>,
    pub to: Stage,
    #[schema(value_type = Option<i64>)]
    pub actor_id: Option<UserId>,
    pub at: DateTime<Utc>,
}

/// One approval request and its decision.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ReviewRecord {
    pub id: i64,
    pub round: i64,
    pub step: i64,
    pub requester_id: Option<i64>,
    pub requester_name: Option<String>,
    /// Who decided; for a pending request of an "all" step, the approver it waits for.
    pub approver_id: Option<i64>,
    pub approver_name: Option<String>,
    pub decision: Decision,
    pub reason: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// One reviewed item's first round, for the first-pass rate.
#[derive(Debug, Clone, PartialEq)]
pub struct FirstRound {
    pub key: String,
    pub label: String,
    pub approved: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FirstPassRow {
    pub key: String,
    pub label: String,
    /// Items whose first review round ended (approved or rejected).
    pub reviewed: i64,
    /// Of those, approved in that first round.
    pub first_pass: i64,
    /// first_pass ÷ reviewed; `null` when nothing was reviewed.
    pub rate: Option<f64>,
}

/// First-pass rate = items approved at their first review ÷ items reviewed, per key.
/// Rows come out sorted by key.
pub fn first_pass_rates(rounds: &[FirstRound]) -> Vec<FirstPassRow> {
    let mut by: BTreeMap<&str, (String, i64, i64)> = BTreeMap::new();
    for r in rounds {
        let e = by.entry(&r.key).or_insert_with(|| (r.label.clone(), 0, 0));
        e.1 += 1;
        e.2 += i64::from(r.approved);
    }
    by.into_iter()
        .map(|(key, (label, reviewed, first_pass))| FirstPassRow {
            key: key.to_owned(),
            label,
            reviewed,
            first_pass,
            #[allow(clippy::cast_precision_loss)]
            rate: (reviewed > 0).then(|| first_pass as f64 / reviewed as f64),
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Comment {
    pub id: i64,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub body: String,
    pub mentions: Vec<i64>,
    pub created_at: DateTime<Utc>,
}

/// What the publish step hands the operator: copy-ready text and everything needed to post.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PublishPack {
    pub item_id: i64,
    pub account_id: i64,
    pub account_handle: String,
    pub account_name: String,
    pub platform: String,
    pub platform_name: String,
    pub title: String,
    pub body: String,
    pub hashtags: Vec<String>,
    /// The hashtags not already written in the body, in the platform's style
    /// (`#话题#` on 小红书 and 微博, `#话题` elsewhere).
    pub hashtag_text: String,
    /// Title, body and hashtag line, ready to paste.
    pub copy_text: String,
    pub media: Vec<String>,
    pub planned_at: Option<DateTime<Utc>>,
    pub checks: ContentChecks,
}

/// The reason a reviewer or a director gives: required, at most 1,000 characters.
pub fn parse_reason(raw: Option<&str>) -> Fields<String> {
    let r = validation::text("reason", raw.unwrap_or(""), 0, 1000)?;
    if r.is_empty() {
        Err(FieldError::new(
            "reason",
            "content.reason_required",
            "write the reason",
        ))
    } else {
        Ok(r)
    }
}

// Case tables spell out their row type inline, which is the point of a table.
#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;
    use ApprovalMode as M;
    use Stage as S;

    #[test]
    fn board_moves_follow_the_workflow_table() {
        use MoveKind as K;
        // (from, to, mode, has_account, expected kind or error code)
        let cases: &[(Stage, Stage, ApprovalMode, bool, Result<MoveKind, &str>)] = &[
            (S::Topic, S::Topic, M::Required, false, Ok(K::Reorder)),
            (S::Topic, S::Draft, M::Required, true, Ok(K::Plain)),
            (
                S::Topic,
                S::Draft,
                M::Required,
                false,
                Err("content.account_required"),
            ),
            (
                S::Topic,
                S::Review,
                M::Required,
                true,
                Err("content.invalid_transition"),
            ),
            (
                S::Topic,
                S::Publish,
                M::None,
                true,
                Err("content.invalid_transition"),
            ),
            (S::Draft, S::Topic, M::Required, true, Ok(K::Plain)),
            (S::Draft, S::Review, M::Required, true, Ok(K::Submit)),
            (
                S::Draft,
                S::Review,
                M::Required,
                false,
                Err("content.account_required"),
            ),
            (
                S::Draft,
                S::Publish,
                M::Required,
                true,
                Err("content.invalid_transition"),
            ),
            (
                S::Draft,
                S::Publish,
                M::MultiLevel,
                true,
                Err("content.invalid_transition"),
            ),
            (S::Draft, S::Publish, M::Optional, true, Ok(K::Plain)),
            (S::Draft, S::Publish, M::None, true, Ok(K::Plain)),
            (
                S::Draft,
                S::Retro,
                M::None,
                true,
                Err("content.invalid_transition"),
            ),
            (S::Review, S::Draft, M::Required, true, Ok(K::Withdraw)),
            (
                S::Review,
                S::Publish,
                M::Required,
                true,
                Err("content.invalid_transition"),
            ),
            (S::Publish, S::Draft, M::Required, true, Ok(K::PullBack)),
            (
                S::Publish,
                S::Retro,
                M::Required,
                true,
                Err("content.invalid_transition"),
            ),
            (S::Publish, S::Cancelled, M::Required, true, Ok(K::Plain)),
            (
                S::Retro,
                S::Cancelled,
                M::Required,
                true,
                Err("content.invalid_transition"),
            ),
            (
                S::Retro,
                S::Publish,
                M::Required,
                true,
                Err("content.invalid_transition"),
            ),
            (S::Cancelled, S::Topic, M::Required, false, Ok(K::Plain)),
            (
                S::Cancelled,
                S::Draft,
                M::Required,
                false,
                Err("content.account_required"),
            ),
            (
                S::Cancelled,
                S::Review,
                M::Required,
                true,
                Err("content.invalid_transition"),
            ),
        ];
        for (from, to, mode, acc, want) in cases {
            let got = check_move(*from, *to, *mode, *acc).map_err(|e| e.code);
            assert_eq!(got, *want, "{from:?} → {to:?} in {mode:?}, account {acc}");
        }
    }

    #[test]
    fn the_content_permission_table_matches_design_section_5() {
        use ContentAction as A;
        use Role as R;
        // (role, action, stage, owns account, allowed)
        let cases: &[(Role, ContentAction, Stage, bool, bool)] = &[
            (R::Admin, A::Edit, S::Review, false, true),
            (
                R::Director,
                A::Move { to: S::Cancelled },
                S::Publish,
                false,
                true,
            ),
            (R::Planner, A::Create, S::Topic, false, true),
            (R::Planner, A::Edit, S::Draft, false, true),
            (R::Planner, A::Edit, S::Publish, false, false),
            (R::Planner, A::Move { to: S::Draft }, S::Topic, false, true),
            (
                R::Planner,
                A::Move { to: S::Publish },
                S::Draft,
                false,
                false,
            ),
            (R::Planner, A::Decide, S::Review, false, false),
            (R::Editor, A::Decide, S::Review, false, true),
            (R::Editor, A::Override, S::Review, false, false),
            (R::Director, A::Override, S::Review, false, true),
            (R::Operator, A::Create, S::Draft, true, true),
            (R::Operator, A::Create, S::Draft, false, false),
            (R::Operator, A::Edit, S::Draft, false, false),
            (
                R::Operator,
                A::Move { to: S::Publish },
                S::Draft,
                true,
                true,
            ),
            (R::Operator, A::Decide, S::Review, true, false),
            (R::Operator, A::Publish, S::Publish, true, true),
            (R::Operator, A::Publish, S::Publish, false, false),
            (R::Editor, A::Publish, S::Publish, false, false),
            (R::Operator, A::Retro, S::Retro, true, true),
            (R::Operator, A::Delete, S::Publish, true, false),
            (R::Operator, A::Delete, S::Draft, true, true),
            (R::Analyst, A::Comment, S::Draft, false, true),
            (R::Analyst, A::Edit, S::Draft, false, false),
            (R::Media, A::Move { to: S::Draft }, S::Topic, false, false),
            (R::Viewer, A::Comment, S::Draft, false, false),
            (R::Viewer, A::Edit, S::Topic, true, false),
        ];
        for (role, action, stage, owns, allowed) in cases {
            assert_eq!(
                may(*role, *action, *stage, *owns),
                *allowed,
                "{role:?} {action:?} in {stage:?}, owns {owns}"
            );
        }
    }

    #[test]
    fn positions_fall_strictly_between_neighbours_until_the_gap_is_exhausted() {
        assert_eq!(position_between(None, None), Some(0.0));
        assert_eq!(position_between(Some(1024.0), None), Some(2048.0));
        assert_eq!(position_between(None, Some(0.0)), Some(-1024.0));
        assert_eq!(position_between(Some(0.0), Some(1024.0)), Some(512.0));
        let (mut a, b) = (0.0_f64, 1.0_f64);
        let mut n = 0;
        while let Some(p) = position_between(Some(a), Some(b)) {
            assert!(p > a && p < b);
            a = p;
            n += 1;
        }
        assert!(n > 40, "only {n} insertions before renumbering");
        assert_eq!(position_between(Some(5.0), Some(5.0)), None);
    }

    #[test]
    fn settings_fill_default_names_and_drop_steps_outside_multi_level() {
        let s = ContentSettings {
            stage_names: BTreeMap::from([
                (S::Review, "  三审  ".into()),
                (S::Topic, String::new()),
            ]),
            wip_limits: BTreeMap::from([(S::Review, 8)]),
            approval: ApprovalSettings {
                mode: M::Required,
                steps: vec![ApprovalStep {
                    name: "法务".into(),
                    rule: StepRule::All,
                    approver_ids: vec![UserId(3)],
                }],
            },
        }
        .validate()
        .unwrap();
        assert_eq!(s.name(S::Review), "三审");
        assert_eq!(s.name(S::Topic), "选题");
        assert_eq!(s.name(S::Cancelled), "已取消");
        assert!(s.approval.steps.is_empty());
        assert_eq!(s.step_count(), 1);
    }

    #[test]
    fn multi_level_needs_steps_with_approvers_and_limits_stay_in_range() {
        let mut s = ContentSettings::default();
        s.approval.mode = M::MultiLevel;
        assert_eq!(
            s.clone().validate().unwrap_err().code,
            "content.steps_required"
        );
        s.approval.steps.push(ApprovalStep {
            name: "品牌".into(),
            rule: StepRule::Any,
            approver_ids: vec![],
        });
        assert_eq!(
            s.clone().validate().unwrap_err().field,
            "approval.steps.0.approver_ids"
        );
        s.approval.steps[0].approver_ids = vec![UserId(2), UserId(2), UserId(1)];
        let ok = s.clone().validate().unwrap();
        assert_eq!(
            ok.approval.steps[0].approver_ids,
            vec![UserId(1), UserId(2)]
        );
        s.wip_limits.insert(S::Draft, 0);
        assert_eq!(s.validate().unwrap_err().field, "wip_limits.draft");
    }

    fn draft(title: &str, body: &str) -> ContentDraft {
        serde_json::from_value(serde_json::json!({"title": title, "body": body})).unwrap()
    }

    #[test]
    fn drafts_are_trimmed_and_bounded_in_characters() {
        let d = draft("  星河S7 试驾  ", "第一段\n\n  缩进保留  \n")
            .validate()
            .unwrap();
        assert_eq!(d.title, "星河S7 试驾");
        assert_eq!(d.body, "第一段\n\n  缩进保留");
        assert_eq!(d.stage, S::Topic);
        assert_eq!(
            draft("", "").validate().unwrap_err().code,
            "validation.required"
        );
        // 200 Chinese characters are 600 bytes and still fit.
        assert!(draft(&"字".repeat(200), "").validate().is_ok());
        assert_eq!(
            draft(&"字".repeat(201), "").validate().unwrap_err().field,
            "title"
        );
        assert_eq!(
            draft("t", &"字".repeat(MAX_BODY + 1))
                .validate()
                .unwrap_err()
                .code,
            "validation.too_long"
        );
        let mut d = draft("t", "");
        d.hashtags = vec![
            Hashtag::parse("h", "#星河S7#").unwrap(),
            Hashtag::parse("h", "星河S7").unwrap(),
        ];
        assert_eq!(d.validate().unwrap().hashtags.len(), 1);
    }

    #[test]
    fn a_patch_names_what_it_touches_and_the_diff_what_changed() {
        let before = draft("标题", "正文").validate().unwrap();
        let patch: ContentPatch = serde_json::from_value(serde_json::json!({
            "version": 1, "title": "标题", "body": "新正文", "due_on": null
        }))
        .unwrap();
        assert_eq!(patch.touched(), vec!["title", "body", "due_on"]);
        let mut after = before.clone();
        after.apply(patch);
        assert_eq!(before.diff(&after), vec!["body"]);
    }

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

    #[test]
    fn first_pass_rate_is_first_round_approvals_over_items_reviewed() {
        let r = |key: &str, approved| FirstRound {
            key: key.into(),
            label: key.to_uppercase(),
            approved,
        };
        let rows = first_pass_rates(&[r("a", true), r("a", false), r("b", true), r("a", true)]);
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].reviewed, rows[0].first_pass), (3, 2));
        assert!((rows[0].rate.unwrap() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(rows[1].rate, Some(1.0));
        assert!(first_pass_rates(&[]).is_empty());
    }

    #[test]
    fn a_reason_is_required_and_bounded() {
        assert_eq!(
            parse_reason(None).unwrap_err().code,
            "content.reason_required"
        );
        assert_eq!(
            parse_reason(Some("  ")).unwrap_err().code,
            "content.reason_required"
        );
        assert_eq!(parse_reason(Some(" 卖点不准确 ")).unwrap(), "卖点不准确");
        assert_eq!(
            parse_reason(Some(&"长".repeat(1001))).unwrap_err().code,
            "validation.too_long"
        );
    }
}
