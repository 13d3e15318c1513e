//! The SOP board: content items, their moves (each a transition row), review rounds and
//! approval records, publishing, retros, comments, the board view, red lines and the
//! workspace's board settings. Permission rules come from `kox_domain::content::may`; they are
//! applied here, inside each write's transaction, because they depend on account ownership.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use kox_domain::access::Role;
use kox_domain::accounts::Tier;
use kox_domain::campaigns::Hashtag;
use kox_domain::content::checks::{
    self, BUILTIN_RED_LINES, CheckInput, Limits, PLATFORM_DEFAULTS, RedLine, RedLineDraft,
    RedLinePatch, RedLineRule, RedLineSet, Severity,
};
use kox_domain::content::{
    self as c, ApprovalMode, Board, BoardColumn, Cards, Comment, ContentAction, ContentChecks,
    ContentDraft, ContentItem, ContentPatch, ContentSettings, Decision, FirstPassRow, FirstRound,
    Grade, LOCKED_FIELDS, MoveKind, PublishPack, ReviewRecord, ReviewState, Stage, StepRule,
    Transition,
};
use kox_domain::custom_fields::FieldEntity;
use kox_domain::{AccountId, CampaignId, ContentId, UserId, WorkspaceId};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbBackend,
    EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Set, Statement,
    Value as DbValue,
};
use serde_json::{Map, Value, json};

use crate::accounts::{custom_condition, tag_condition};
use crate::custom_fields::{check_values_with, load_fields};
use crate::entities::{
    account, content_comment, content_item, content_review, content_transition, member, platform,
    red_line, user, workspace,
};
use crate::error::invalid;
use crate::events::{Actor, NewEvent, event_statement, json_of, record, write_with_event};
use crate::versioning::{FieldVersions, changed_values};
use crate::{Engine, Result, Store, StoreError};

/// Who is acting, for the permission rules.
#[derive(Debug, Clone, Copy)]
pub struct Who {
    pub user: UserId,
    pub role: Role,
}

/// Board filters; the page is per column.
#[derive(Debug, Clone, Default)]
pub struct BoardFilter {
    pub account: Option<AccountId>,
    pub tier: Option<Tier>,
    pub platform: Option<String>,
    pub campaign: Option<CampaignId>,
    pub assignee: Option<UserId>,
    pub tag: Option<String>,
    pub q: Option<String>,
    /// Items assigned to, created by, or on an account owned by this user.
    pub mine: Option<UserId>,
    pub overdue: bool,
    /// Show the cancelled column too.
    pub cancelled: bool,
    pub custom: Vec<(String, String)>,
    /// Only this column (to page through one column).
    pub stage: Option<Stage>,
    pub limit: u64,
    pub offset: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewAction {
    Submit,
    Approve,
    Reject,
    Override,
    Withdraw,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstPassBy {
    Person,
    Account,
    Campaign,
    All,
}

// ---------------------------------------------------------------------------------------------
// Per-workspace configuration cache

/// Red lines, board settings and platform limits of one workspace, as the checks need them.
#[derive(Debug)]
pub(crate) struct WorkspaceConfig {
    red_lines: RedLineSet,
    settings: ContentSettings,
    /// platform code → (limits, URL patterns, display name)
    platforms: HashMap<String, (Limits, Vec<String>, String)>,
    /// Custom field definitions of content items.
    fields: Vec<kox_domain::custom_fields::CustomField>,
    /// The workspace's IANA time zone.
    time_zone: String,
    /// account id → (platform, archived, owner user ids): what a create checks.
    accounts: HashMap<i64, (String, bool, Vec<i64>)>,
    /// campaign id → required hashtags.
    campaigns: HashMap<i64, Vec<Hashtag>>,
}

impl WorkspaceConfig {
    /// `load_context` answered from the cache (the create path on SQLite, where the write that
    /// follows is one call and every read saved is a hand-off saved).
    fn context(
        &self,
        me: UserId,
        account: Option<AccountId>,
        campaign: Option<CampaignId>,
    ) -> Context {
        let acc = account.and_then(|a| self.accounts.get(&a.0));
        let camp = campaign.and_then(|c| self.campaigns.get(&c.0));
        Context {
            platform: acc.map(|a| a.0.clone()),
            account_archived: acc.is_some_and(|a| a.1),
            owns: acc.is_some_and(|a| a.2.contains(&me.0)),
            campaign_found: camp.is_some(),
            required_hashtags: camp.cloned().unwrap_or_default(),
        }
    }
}

/// (epoch it was loaded at, when, the configuration)
type ConfigEntry = (u64, Instant, Arc<WorkspaceConfig>);

/// Configuration changes rarely and is read on every content write, so it is cached. An entry
/// is dropped when this process changes configuration (the epoch moves) or another node
/// notifies a change (PostgreSQL), and in any case after a short time.
#[derive(Debug, Default)]
pub(crate) struct ConfigCache {
    epoch: std::sync::atomic::AtomicU64,
    entries: Mutex<HashMap<i64, ConfigEntry>>,
}

const CONFIG_TTL: Duration = Duration::from_secs(10);

impl ConfigCache {
    pub(crate) fn invalidate(&self) {
        self.epoch.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }
    fn get(&self, ws: i64) -> Option<Arc<WorkspaceConfig>> {
        let epoch = self.epoch.load(std::sync::atomic::Ordering::Acquire);
        let map = self.entries.lock().ok()?;
        map.get(&ws)
            .filter(|(e, at, _)| *e == epoch && at.elapsed() < CONFIG_TTL)
            .map(|(_, _, c)| c.clone())
    }
    fn put(&self, ws: i64, epoch: u64, cfg: Arc<WorkspaceConfig>) {
        if let Ok(mut map) = self.entries.lock() {
            if map.len() > 1000 {
                map.clear();
            }
            map.insert(ws, (epoch, Instant::now(), cfg));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn corrupt(what: &str, v: &str) -> StoreError {
    crate::db::other(format!("stored {what} {v:?} is not a known value"))
}

fn stage_of(s: &str) -> Result<Stage> {
    Stage::parse(s).ok_or_else(|| corrupt("stage", s))
}

/// A raw statement written with `?` placeholders, numbered for PostgreSQL. The SQL text is
/// fixed in this file; values are always bound.
fn stmt(engine: Engine, sql: &str, values: Vec<DbValue>) -> Statement {
    match engine {
        Engine::Sqlite => Statement::from_sql_and_values(DbBackend::Sqlite, sql, values),
        Engine::Postgres => {
            let mut out = String::with_capacity(sql.len() + 16);
            let mut n = 0;
            for ch in sql.chars() {
                if ch == '?' {
                    n += 1;
                    out.push('$');
                    out.push_str(&n.to_string());
                } else {
                    out.push(ch);
                }
            }
            Statement::from_sql_and_values(DbBackend::Postgres, out, values)
        }
    }
}

fn engine_of(db: &impl ConnectionTrait) -> Engine {
    match db.get_database_backend() {
        DbBackend::Postgres => Engine::Postgres,
        _ => Engine::Sqlite,
    }
}

fn strings(v: &Value) -> Vec<String> {
    serde_json::from_value(v.clone()).unwrap_or_default()
}

fn hashtags(v: &Value) -> Vec<Hashtag> {
    serde_json::from_value(v.clone()).unwrap_or_default()
}

fn to_item(m: content_item::Model, checks: ContentChecks) -> Result<ContentItem> {
    Ok(ContentItem {
        id: ContentId(m.id),
        stage: stage_of(&m.stage)?,
        position: m.position,
        account_id: m.account_id.map(AccountId),
        campaign_id: m.campaign_id.map(CampaignId),
        topic_id: m.topic_id.map(ContentId),
        hashtags: hashtags(&m.hashtags),
        media: strings(&m.media),
        title: m.title,
        body: m.body,
        assignee_id: m.assignee_id.map(UserId),
        due_on: m.due_on,
        planned_at: m.planned_at,
        published_at: m.published_at,
        post_url: m.post_url,
        platform_post_id: m.platform_post_id,
        review_state: ReviewState::parse(&m.review_state)
            .ok_or_else(|| corrupt("review state", &m.review_state))?,
        review_round: m.review_round,
        review_step: m.review_step,
        override_reason: m.override_reason,
        retro_note: m.retro_note,
        reuse_topic: m.reuse_topic,
        closed_at: m.closed_at,
        grade: m.grade.as_deref().and_then(Grade::parse),
        tags: strings(&m.tags),
        custom: match m.custom {
            Value::Object(o) => o,
            _ => Map::new(),
        },
        created_by: m.created_by.map(UserId),
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
        checks,
    })
}

/// What a write needs to know about the item's account and campaign, fetched in one statement.
#[derive(Debug, Default)]
struct Context {
    /// The account's platform, if the account exists in this workspace.
    platform: Option<String>,
    account_archived: bool,
    owns: bool,
    campaign_found: bool,
    required_hashtags: Vec<Hashtag>,
}

#[derive(Debug, FromQueryResult)]
struct ContextRow {
    platform: Option<String>,
    account_status: Option<String>,
    owns: i64,
    campaign_found: i64,
    hashtags: Option<String>,
}

async fn load_context(
    db: &impl ConnectionTrait,
    ws: WorkspaceId,
    me: UserId,
    account: Option<AccountId>,
    campaign: Option<CampaignId>,
) -> Result<Context> {
    // -1 stands for "none": ids are positive, and a typed value keeps PostgreSQL's parameter
    // inference simple.
    let acc = account.map_or(-1, |a| a.0);
    let camp = campaign.map_or(-1, |c| c.0);
    let sql = "SELECT \
        (SELECT platform FROM accounts WHERE id = ? AND workspace_id = ?) AS platform, \
        (SELECT status FROM accounts WHERE id = ? AND workspace_id = ?) AS account_status, \
        (SELECT COUNT(*) FROM account_owners WHERE account_id = ? AND user_id = ?) AS owns, \
        (SELECT COUNT(*) FROM campaigns WHERE id = ? AND workspace_id = ?) AS campaign_found, \
        (SELECT CAST(required_hashtags AS TEXT) FROM campaigns WHERE id = ? AND workspace_id = ?) AS hashtags";
    let row = ContextRow::find_by_statement(stmt(
        engine_of(db),
        sql,
        vec![
            acc.into(),
            ws.0.into(),
            acc.into(),
            ws.0.into(),
            acc.into(),
            me.0.into(),
            camp.into(),
            ws.0.into(),
            camp.into(),
            ws.0.into(),
        ],
    ))
    .one(db)
    .await?
    .ok_or_else(|| crate::db::other("context query returned no row".into()))?;
    Ok(Context {
        platform: row.platform,
        account_archived: row.account_status.as_deref() == Some("archived"),
        owns: row.owns > 0,
        campaign_found: row.campaign_found > 0,
        required_hashtags: row
            .hashtags
            .and_then(|h| serde_json::from_str(&h).ok())
            .unwrap_or_default(),
    })
}

/// Refuses references that do not exist in the workspace.
fn check_context(d: &ContentDraft, ctx: &Context, account_changed: bool) -> Result<()> {
    if d.account_id.is_some() && ctx.platform.is_none() {
        return Err(invalid(
            "account_id",
            "content.unknown_account",
            "there is no such account in this workspace",
        ));
    }
    if account_changed && ctx.account_archived {
        return Err(invalid(
            "account_id",
            "content.account_archived",
            "this account is archived",
        ));
    }
    if d.campaign_id.is_some() && !ctx.campaign_found {
        return Err(invalid(
            "campaign_id",
            "content.unknown_campaign",
            "there is no such campaign in this workspace",
        ));
    }
    Ok(())
}

fn compute_checks(cfg: &WorkspaceConfig, d: &ContentDraft, ctx: &Context) -> ContentChecks {
    let limits = ctx
        .platform
        .as_ref()
        .and_then(|p| cfg.platforms.get(p))
        .map(|(l, _, _)| *l)
        .unwrap_or_default();
    checks::check(
        &cfg.red_lines,
        &CheckInput {
            title: &d.title,
            body: &d.body,
            hashtags: &d.hashtags,
            media: &d.media,
            required_hashtags: &ctx.required_hashtags,
            limits,
            has_account: d.account_id.is_some(),
        },
    )
}

fn created_event(ws: WorkspaceId, id: Option<i64>, d: &ContentDraft) -> NewEvent<'static> {
    NewEvent::change(ws, "content_item", id, "content.created").after(json!({
        "title": d.title, "stage": d.stage, "account_id": d.account_id,
    }))
}

fn new_item_model(
    ws: WorkspaceId,
    d: &ContentDraft,
    actor: &Actor,
    checks: &ContentChecks,
    position: f64,
    now: DateTime<Utc>,
) -> content_item::ActiveModel {
    content_item::ActiveModel {
        workspace_id: Set(ws.0),
        stage: Set(d.stage.as_str().into()),
        position: Set(position),
        account_id: Set(d.account_id.map(|a| a.0)),
        campaign_id: Set(d.campaign_id.map(|c| c.0)),
        topic_id: Set(d.topic_id.map(|t| t.0)),
        title: Set(d.title.clone()),
        body: Set(d.body.clone()),
        hashtags: Set(json_of(&d.hashtags)),
        media: Set(json!(d.media)),
        assignee_id: Set(d.assignee_id.map(|u| u.0)),
        due_on: Set(d.due_on),
        planned_at: Set(d.planned_at),
        published_at: Set(None),
        post_url: Set(None),
        platform_post_id: Set(None),
        review_state: Set(ReviewState::None.as_str().into()),
        review_round: Set(0),
        review_step: Set(0),
        override_reason: Set(None),
        retro_note: Set(None),
        reuse_topic: Set(None),
        closed_at: Set(None),
        grade: Set(d.grade.map(|g| g.as_str().to_owned())),
        tags: Set(json!(d.tags)),
        custom: Set(Value::Object(d.custom.clone())),
        red_line_hits: Set(checks.blocking_hits()),
        warnings: Set(checks.warnings()),
        comments: Set(0),
        created_by: Set(actor.user_id.map(|u| u.0)),
        version: Set(1),
        field_versions: Set(Value::Object(Map::new())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// SQLite: the item (its place at the end of its column computed inside the INSERT, so inside
/// the transaction), its first transition and its event as one batch. The transition finds the
/// item through `last_insert_rowid()`; the event finds it through the transition just written.
fn sqlite_create_batch(
    ws: WorkspaceId,
    d: &ContentDraft,
    actor: &Actor,
    am: &content_item::ActiveModel,
    now: DateTime<Utc>,
) -> Vec<(String, Vec<DbValue>)> {
    use sea_orm::{ActiveModelTrait as _, Iterable as _};
    let mut columns = Vec::new();
    let mut values: Vec<Expr> = Vec::new();
    for c in content_item::Column::iter() {
        if matches!(c, content_item::Column::Id) {
            continue;
        }
        columns.push(c);
        values.push(if matches!(c, content_item::Column::Position) {
            Expr::cust_with_values(
                "(SELECT COALESCE(MAX(p.position) + 1024, 0) FROM content_items p WHERE p.workspace_id = ? AND p.stage = ?)",
                [DbValue::from(ws.0), DbValue::from(d.stage.as_str())],
            )
        } else {
            Expr::val(am.get(c).into_value().unwrap_or(DbValue::String(None)))
        });
    }
    let (insert_sql, insert_values) = Query::insert()
        .into_table(content_item::Entity)
        .columns(columns)
        .values_panic(values)
        .returning_all()
        .build(sea_orm::sea_query::SqliteQueryBuilder);
    let (ev_sql, ev_values) = event_statement(
        actor,
        &created_event(ws, None, d),
        Some("(SELECT item_id FROM content_transitions WHERE id = last_insert_rowid())"),
    );
    vec![
        (insert_sql, insert_values.0),
        (
            "INSERT INTO content_transitions (workspace_id, item_id, from_stage, to_stage, actor_id, created_at) VALUES (?, last_insert_rowid(), NULL, ?, ?, ?)".into(),
            vec![
                ws.0.into(),
                d.stage.as_str().into(),
                actor.user_id.map(|u| u.0).into(),
                now.into(),
            ],
        ),
        (ev_sql, ev_values),
    ]
}

/// The new item from the rows of `sqlite_create_batch` (the inserted row).
fn item_from_create_rows(
    rows: &[sea_orm::QueryResult],
    checks: ContentChecks,
) -> Result<ContentItem> {
    let item = rows
        .first()
        .ok_or_else(|| crate::db::other("the create batch returned no row".into()))?;
    to_item(content_item::Model::from_query_result(item, "")?, checks)
}

fn forbidden_unless(ok: bool) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(StoreError::Forbidden)
    }
}

fn transition_statement(
    ws: WorkspaceId,
    item: i64,
    from: Option<Stage>,
    to: Stage,
    actor: &Actor,
    now: DateTime<Utc>,
) -> (String, Vec<DbValue>) {
    (
        "INSERT INTO content_transitions (workspace_id, item_id, from_stage, to_stage, actor_id, created_at) VALUES (?, ?, ?, ?, ?, ?)".into(),
        vec![
            ws.0.into(),
            item.into(),
            from.map(|s| s.as_str().to_owned()).into(),
            to.as_str().into(),
            actor.user_id.map(|u| u.0).into(),
            now.into(),
        ],
    )
}

async fn insert_transition(
    db: &impl ConnectionTrait,
    ws: WorkspaceId,
    item: i64,
    from: Option<Stage>,
    to: Stage,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    let (sql, values) = transition_statement(ws, item, from, to, actor, now);
    db.execute_raw(stmt(engine_of(db), &sql, values)).await?;
    Ok(())
}

/// Writes built-in red lines and platform limits for a workspace that has none yet.
pub(crate) async fn seed_content_defaults(
    db: &impl ConnectionTrait,
    ws: WorkspaceId,
) -> Result<()> {
    let now = Utc::now();
    for (phrase, severity, exceptions) in BUILTIN_RED_LINES {
        let exists = red_line::Entity::find()
            .filter(red_line::Column::WorkspaceId.eq(ws.0))
            .filter(red_line::Column::Phrase.eq(*phrase))
            .one(db)
            .await?
            .is_some();
        if exists {
            continue;
        }
        red_line::ActiveModel {
            workspace_id: Set(ws.0),
            phrase: Set((*phrase).into()),
            severity: Set(severity.as_str().into()),
            exceptions: Set(json!(exceptions)),
            note: Set("广告法极限词".into()),
            builtin: Set(true),
            enabled: Set(true),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    for (code, title_max, body_max, patterns) in PLATFORM_DEFAULTS {
        if let Some(p) = platform::Entity::find_by_id((ws.0, (*code).to_owned()))
            .one(db)
            .await?
            && p.url_patterns.is_none()
        {
            let mut am: platform::ActiveModel = p.into();
            am.title_max = Set(*title_max);
            am.body_max = Set(*body_max);
            am.url_patterns = Set(Some(json!(patterns)));
            am.update(db).await?;
        }
    }
    workspace::Entity::update_many()
        .col_expr(workspace::Column::ContentSeeded, Expr::value(true))
        .filter(workspace::Column::Id.eq(ws.0))
        .exec(db)
        .await?;
    Ok(())
}

#[derive(Debug, FromQueryResult)]
struct MoveRow {
    owns: i64,
    account_platform: Option<String>,
    campaign_hashtags: Option<String>,
    after_position: Option<f64>,
    next_position: Option<f64>,
}

impl Store {
    // -----------------------------------------------------------------------------------------
    // Configuration

    pub(crate) async fn workspace_config(&self, ws: WorkspaceId) -> Result<Arc<WorkspaceConfig>> {
        if let Some(c) = self.config.get(ws.0) {
            return Ok(c);
        }
        let epoch = self.config.epoch.load(std::sync::atomic::Ordering::Acquire);
        let lines = red_line::Entity::find()
            .filter(red_line::Column::WorkspaceId.eq(ws.0))
            .filter(red_line::Column::Enabled.eq(true))
            .all(&self.read)
            .await?;
        let rules = lines
            .into_iter()
            .map(|l| RedLineRule {
                severity: Severity::parse(&l.severity).unwrap_or_default(),
                exceptions: strings(&l.exceptions),
                phrase: l.phrase,
                note: l.note,
            })
            .collect();
        let settings = self.content_settings(ws).await?;
        let platforms = platform::Entity::find()
            .filter(platform::Column::WorkspaceId.eq(ws.0))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|p| {
                (
                    p.code,
                    (
                        Limits {
                            title_max: p.title_max,
                            body_max: p.body_max,
                        },
                        p.url_patterns.as_ref().map(strings).unwrap_or_default(),
                        p.name,
                    ),
                )
            })
            .collect();
        let fields = load_fields(&self.read, ws, FieldEntity::ContentItem).await?;
        let time_zone = self.get_workspace(ws).await?.time_zone;
        let mut owners: HashMap<i64, Vec<i64>> = HashMap::new();
        for o in crate::entities::account_owner::Entity::find()
            .filter(crate::entities::account_owner::Column::WorkspaceId.eq(ws.0))
            .all(&self.read)
            .await?
        {
            owners.entry(o.account_id).or_default().push(o.user_id);
        }
        let accounts = account::Entity::find()
            .filter(account::Column::WorkspaceId.eq(ws.0))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|a| {
                let o = owners.remove(&a.id).unwrap_or_default();
                (a.id, (a.platform, a.status == "archived", o))
            })
            .collect();
        let campaigns = crate::entities::campaign::Entity::find()
            .filter(crate::entities::campaign::Column::WorkspaceId.eq(ws.0))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|c| (c.id, hashtags(&c.required_hashtags)))
            .collect();
        let cfg = Arc::new(WorkspaceConfig {
            red_lines: RedLineSet::new(rules),
            settings,
            platforms,
            fields,
            time_zone,
            accounts,
            campaigns,
        });
        self.config.put(ws.0, epoch, cfg.clone());
        Ok(cfg)
    }

    /// Workspaces created before the board existed get their defaults once, after migrating.
    pub(crate) async fn seed_all_content_defaults(&self) -> Result<()> {
        let pending = workspace::Entity::find()
            .filter(workspace::Column::ContentSeeded.eq(false))
            .all(&self.write)
            .await?;
        for w in pending {
            let txn = self.begin().await?;
            seed_content_defaults(&txn, WorkspaceId(w.id)).await?;
            self.commit(txn).await?;
        }
        Ok(())
    }

    /// The workspace's time zone (cached with its configuration).
    pub async fn workspace_time_zone(&self, ws: WorkspaceId) -> Result<String> {
        Ok(self.workspace_config(ws).await?.time_zone.clone())
    }

    pub async fn content_settings(&self, ws: WorkspaceId) -> Result<ContentSettings> {
        let w = workspace::Entity::find_by_id(ws.0)
            .one(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(w.content_settings
            .and_then(|v| serde_json::from_value::<ContentSettings>(v).ok())
            .and_then(|s| s.validate().ok())
            .unwrap_or_default())
    }

    /// Approvers of multi-level steps must be members who may review.
    pub async fn update_content_settings(
        &self,
        actor: &Actor,
        ws: WorkspaceId,
        settings: ContentSettings,
    ) -> Result<ContentSettings> {
        let s = settings.validate()?;
        let txn = self.begin().await?;
        for (i, step) in s.approval.steps.iter().enumerate() {
            for (j, u) in step.approver_ids.iter().enumerate() {
                let m = member::Entity::find_by_id((ws.0, u.0)).one(&txn).await?;
                let ok = m
                    .and_then(|m| Role::parse(&m.role))
                    .is_some_and(|r| r.can(kox_domain::access::Capability::ContentReview));
                if !ok {
                    return Err(invalid(
                        format!("approval.steps.{i}.approver_ids.{j}"),
                        "content.approver_cannot_review",
                        "an approver must be a member who may review (editor, director or admin)",
                    ));
                }
            }
        }
        let before = self.content_settings(ws).await?;
        workspace::Entity::update_many()
            .col_expr(workspace::Column::ContentSettings, Expr::value(json_of(&s)))
            .filter(workspace::Column::Id.eq(ws.0))
            .exec(&txn)
            .await?;
        record(
            &txn,
            actor,
            NewEvent::change(ws, "workspace", Some(ws.0), "content.settings_updated")
                .before(json_of(&before))
                .after(json_of(&s)),
        )
        .await?;
        self.commit(txn).await?;
        self.config.invalidate();
        Ok(s)
    }

    // -----------------------------------------------------------------------------------------
    // Red lines

    pub async fn list_red_lines(&self, ws: WorkspaceId) -> Result<Vec<RedLine>> {
        Ok(red_line::Entity::find()
            .filter(red_line::Column::WorkspaceId.eq(ws.0))
            .order_by_desc(red_line::Column::Builtin)
            .order_by_asc(red_line::Column::Id)
            .all(&self.read)
            .await?
            .into_iter()
            .map(to_red_line)
            .collect())
    }

    pub async fn create_red_line(
        &self,
        actor: &Actor,
        ws: WorkspaceId,
        d: RedLineDraft,
    ) -> Result<RedLine> {
        let d = d.validate()?;
        let txn = self.begin().await?;
        let m = red_line::ActiveModel {
            workspace_id: Set(ws.0),
            phrase: Set(d.phrase.clone()),
            severity: Set(d.severity.as_str().into()),
            exceptions: Set(json!(d.exceptions)),
            note: Set(d.note.clone()),
            builtin: Set(false),
            enabled: Set(d.enabled),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(|e| {
            StoreError::from(e).on_duplicate(
                "red_lines.duplicate",
                "phrase",
                "this phrase is already a red line",
            )
        })?;
        let out = to_red_line(m);
        record(
            &txn,
            actor,
            NewEvent::change(ws, "red_line", Some(out.id), "red_line.created").after(json_of(&out)),
        )
        .await?;
        self.commit(txn).await?;
        self.config.invalidate();
        Ok(out)
    }

    pub async fn update_red_line(
        &self,
        actor: &Actor,
        ws: WorkspaceId,
        id: i64,
        patch: RedLinePatch,
    ) -> Result<RedLine> {
        let txn = self.begin().await?;
        let row = red_line::Entity::find_by_id(id)
            .filter(red_line::Column::WorkspaceId.eq(ws.0))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let before = to_red_line(row.clone());
        let mut d = RedLineDraft {
            phrase: before.phrase.clone(),
            severity: before.severity,
            exceptions: before.exceptions.clone(),
            note: before.note.clone(),
            enabled: before.enabled,
        };
        d.apply(patch);
        let d = d.validate()?;
        let mut am: red_line::ActiveModel = row.into();
        am.phrase = Set(d.phrase);
        am.severity = Set(d.severity.as_str().into());
        am.exceptions = Set(json!(d.exceptions));
        am.note = Set(d.note);
        am.enabled = Set(d.enabled);
        let out = to_red_line(am.update(&txn).await.map_err(|e| {
            StoreError::from(e).on_duplicate(
                "red_lines.duplicate",
                "phrase",
                "this phrase is already a red line",
            )
        })?);
        record(
            &txn,
            actor,
            NewEvent::change(ws, "red_line", Some(id), "red_line.updated")
                .before(json_of(&before))
                .after(json_of(&out)),
        )
        .await?;
        self.commit(txn).await?;
        self.config.invalidate();
        Ok(out)
    }

    pub async fn delete_red_line(&self, actor: &Actor, ws: WorkspaceId, id: i64) -> Result<()> {
        let txn = self.begin().await?;
        let row = red_line::Entity::find_by_id(id)
            .filter(red_line::Column::WorkspaceId.eq(ws.0))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let before = to_red_line(row);
        red_line::Entity::delete_by_id(id).exec(&txn).await?;
        record(
            &txn,
            actor,
            NewEvent::change(ws, "red_line", Some(id), "red_line.deleted").before(json_of(&before)),
        )
        .await?;
        self.commit(txn).await?;
        self.config.invalidate();
        Ok(())
    }

    /// Checks text as it would be checked on the item (for live feedback while editing).
    pub async fn check_content(
        &self,
        ws: WorkspaceId,
        me: UserId,
        d: ContentDraft,
    ) -> Result<ContentChecks> {
        let d = d.validate()?;
        let cfg = self.workspace_config(ws).await?;
        let ctx = load_context(&self.read, ws, me, d.account_id, d.campaign_id).await?;
        check_context(&d, &ctx, false)?;
        Ok(compute_checks(&cfg, &d, &ctx))
    }

    // -----------------------------------------------------------------------------------------
    // Items

    pub async fn get_content(&self, ws: WorkspaceId, id: ContentId) -> Result<ContentItem> {
        let m = content_item::Entity::find_by_id(id.0)
            .filter(content_item::Column::WorkspaceId.eq(ws.0))
            .one(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        let cfg = self.workspace_config(ws).await?;
        let item = to_item(m, ContentChecks::default())?;
        let d = item.draft();
        let ctx = load_context(&self.read, ws, UserId(-1), d.account_id, d.campaign_id).await?;
        let checks = compute_checks(&cfg, &d, &ctx);
        Ok(ContentItem { checks, ..item })
    }

    pub async fn create_content(
        &self,
        actor: &Actor,
        ws: WorkspaceId,
        who: Who,
        draft: ContentDraft,
    ) -> Result<ContentItem> {
        let d = draft.validate()?;
        if !matches!(d.stage, Stage::Topic | Stage::Draft) {
            return Err(invalid(
                "stage",
                "content.invalid_transition",
                "new items start in 选题 or 稿件",
            ));
        }
        if d.stage == Stage::Draft && d.account_id.is_none() {
            return Err(invalid(
                "account_id",
                "content.account_required",
                "a draft is written for one account: choose it",
            ));
        }
        let cfg = self.workspace_config(ws).await?;
        if self.engine() == Engine::Sqlite {
            // Everything the write needs is read first; the write itself is one atomic call.
            let ctx = cfg.context(who.user, d.account_id, d.campaign_id);
            let (d, checks) = self
                .prepare_create(&self.read, &cfg, ws, who, d, Some(ctx))
                .await?;
            let now = Utc::now();
            let am = new_item_model(ws, &d, actor, &checks, 0.0, now);
            let rows = self
                .sqlite_atomic(sqlite_create_batch(ws, &d, actor, &am, now))
                .await?;
            return item_from_create_rows(&rows, checks);
        }
        let txn = self.begin().await?;
        let out = self.create_in(&txn, &cfg, actor, ws, who, d).await?;
        self.commit(txn).await?;
        Ok(out)
    }

    /// Checks a new item against the workspace (account, campaign, topic card, assignee, custom
    /// fields) and the permission table, reading through `db`; returns the draft with its custom
    /// values normalised and the item's checks.
    async fn prepare_create(
        &self,
        db: &impl ConnectionTrait,
        cfg: &WorkspaceConfig,
        ws: WorkspaceId,
        who: Who,
        mut d: ContentDraft,
        cached: Option<Context>,
    ) -> Result<(ContentDraft, ContentChecks)> {
        let ctx = match cached {
            Some(c) => c,
            None => load_context(db, ws, who.user, d.account_id, d.campaign_id).await?,
        };
        check_context(&d, &ctx, true)?;
        forbidden_unless(c::may(who.role, ContentAction::Create, d.stage, ctx.owns))?;
        if let Some(t) = d.topic_id
            && Self::load_row(db, ws, t).await.is_err()
        {
            return Err(invalid(
                "topic_id",
                "content.topic_required",
                "there is no such topic card in this workspace",
            ));
        }
        self.check_people(db, ws, &d).await?;
        d.custom = check_values_with(db, ws, &cfg.fields, &Map::new(), &d.custom).await?;
        let checks = compute_checks(cfg, &d, &ctx);
        Ok((d, checks))
    }

    /// Inserts one item inside the caller's transaction.
    async fn create_in(
        &self,
        txn: &DatabaseTransaction,
        cfg: &WorkspaceConfig,
        actor: &Actor,
        ws: WorkspaceId,
        who: Who,
        d: ContentDraft,
    ) -> Result<ContentItem> {
        Self::lock_column(txn, ws, d.stage).await?;
        let (d, checks) = self.prepare_create(txn, cfg, ws, who, d, None).await?;
        let now = Utc::now();
        match engine_of(txn) {
            Engine::Sqlite => {
                let am = new_item_model(ws, &d, actor, &checks, 0.0, now);
                let batch = sqlite_create_batch(ws, &d, actor, &am, now);
                let sql = batch
                    .iter()
                    .map(|(s, _)| s.as_str())
                    .collect::<Vec<_>>()
                    .join(";\n");
                let values: Vec<DbValue> = batch.into_iter().flat_map(|(_, v)| v).collect();
                let rows = txn
                    .query_all_raw(Statement::from_sql_and_values(
                        DbBackend::Sqlite,
                        sql,
                        values,
                    ))
                    .await?;
                item_from_create_rows(&rows, checks)
            }
            Engine::Postgres => {
                let last: Option<f64> = content_item::Entity::find()
                    .filter(content_item::Column::WorkspaceId.eq(ws.0))
                    .filter(content_item::Column::Stage.eq(d.stage.as_str()))
                    .order_by_desc(content_item::Column::Position)
                    .one(txn)
                    .await?
                    .map(|m| m.position);
                let position = c::position_between(last, None).unwrap_or(0.0);
                let m = new_item_model(ws, &d, actor, &checks, position, now)
                    .insert(txn)
                    .await?;
                insert_transition(txn, ws, m.id, None, d.stage, actor, now).await?;
                record(txn, actor, created_event(ws, Some(m.id), &d)).await?;
                to_item(m, checks)
            }
        }
    }

    /// Assignee and person custom fields must be members.
    async fn check_people(
        &self,
        db: &impl ConnectionTrait,
        ws: WorkspaceId,
        d: &ContentDraft,
    ) -> Result<()> {
        if let Some(a) = d.assignee_id
            && !Self::non_members(db, ws, &[a.0]).await?.is_empty()
        {
            return Err(invalid(
                "assignee_id",
                "content.assignee_not_member",
                "the assignee must be a member of the workspace",
            ));
        }
        Ok(())
    }

    async fn load_row(
        db: &impl ConnectionTrait,
        ws: WorkspaceId,
        id: ContentId,
    ) -> Result<content_item::Model> {
        content_item::Entity::find_by_id(id.0)
            .filter(content_item::Column::WorkspaceId.eq(ws.0))
            .one(db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The item's row, locked until the transaction ends (PostgreSQL; SQLite's one writer
    /// already serialises), so concurrent writes to one item apply one after the other.
    async fn lock_row(
        txn: &DatabaseTransaction,
        ws: WorkspaceId,
        id: ContentId,
    ) -> Result<content_item::Model> {
        content_item::Entity::find_by_id(id.0)
            .filter(content_item::Column::WorkspaceId.eq(ws.0))
            .lock_exclusive()
            .one(txn)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The item's row locked for this write, after the permission table allowed `action` to
    /// this member (which needs the item's stage and whether they own its account).
    async fn lock_for(
        txn: &DatabaseTransaction,
        ws: WorkspaceId,
        id: ContentId,
        who: Who,
        action: ContentAction,
    ) -> Result<(content_item::Model, Stage)> {
        let row = Self::lock_row(txn, ws, id).await?;
        let stage = stage_of(&row.stage)?;
        let owns = Self::owns(txn, row.account_id, who.user).await?;
        forbidden_unless(c::may(who.role, action, stage, owns))?;
        Ok((row, stage))
    }

    /// Serialises position changes within one column on PostgreSQL: two moves to the top of a
    /// column must not both read the same first position. SQLite's one writer already does.
    async fn lock_column(txn: &DatabaseTransaction, ws: WorkspaceId, stage: Stage) -> Result<()> {
        if engine_of(txn) == Engine::Postgres {
            let idx = Stage::ALL.iter().position(|s| *s == stage).unwrap_or(0);
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_advisory_xact_lock($1, $2)",
                [
                    i32::try_from(ws.0).unwrap_or(i32::MAX).into(),
                    i32::try_from(idx).unwrap_or(0).into(),
                ],
            ))
            .await?;
        }
        Ok(())
    }

    async fn owns(db: &impl ConnectionTrait, account: Option<i64>, user: UserId) -> Result<bool> {
        let Some(a) = account else { return Ok(false) };
        let n = crate::entities::account_owner::Entity::find()
            .filter(crate::entities::account_owner::Column::AccountId.eq(a))
            .filter(crate::entities::account_owner::Column::UserId.eq(user.0))
            .one(db)
            .await?;
        Ok(n.is_some())
    }

    /// Applies a patch with field-level optimistic concurrency. Content fields are frozen from
    /// review on.
    pub async fn update_content(
        &self,
        actor: &Actor,
        ws: WorkspaceId,
        who: Who,
        id: ContentId,
        patch: ContentPatch,
    ) -> Result<ContentItem> {
        let cfg = self.workspace_config(ws).await?;
        let txn = self.begin().await?;
        let row = Self::lock_row(&txn, ws, id).await?;
        let versions = FieldVersions::load(row.version, &row.field_versions);
        let current = to_item(row.clone(), ContentChecks::default())?;
        let owns = Self::owns(&txn, row.account_id, who.user).await?;
        forbidden_unless(c::may(who.role, ContentAction::Edit, current.stage, owns))?;
        versions.check(patch.version, &patch.touched())?;
        let before = current.draft();
        let mut next = before.clone();
        let custom_input = patch.custom.clone();
        next.apply(ContentPatch {
            custom: None,
            ..patch
        });
        let mut next = next.validate()?;
        if let Some(input) = custom_input {
            next.custom = check_values_with(&txn, ws, &cfg.fields, &before.custom, &input).await?;
        }
        let changed = before.diff(&next);
        if changed.is_empty() {
            drop(txn);
            return self.get_content(ws, id).await;
        }
        if current.stage.content_locked()
            && let Some(f) = changed.iter().find(|f| LOCKED_FIELDS.contains(f))
        {
            return Err(invalid(
                *f,
                "content.locked",
                "title, body, hashtags, media, account and campaign are frozen from review on; withdraw or pull the item back to 稿件 to change them",
            ));
        }
        if current.stage != Stage::Topic && next.account_id.is_none() {
            return Err(invalid(
                "account_id",
                "content.account_required",
                "from 稿件 on an item belongs to one account",
            ));
        }
        let ctx = load_context(&txn, ws, who.user, next.account_id, next.campaign_id).await?;
        check_context(&next, &ctx, changed.contains(&"account_id"))?;
        // Moving an item to another account needs the same right on the new account.
        if changed.contains(&"account_id") {
            forbidden_unless(c::may(
                who.role,
                ContentAction::Edit,
                current.stage,
                ctx.owns,
            ))?;
        }
        if changed.contains(&"assignee_id") {
            self.check_people(&txn, ws, &next).await?;
        }
        let checks = compute_checks(&cfg, &next, &ctx);
        let (version, field_versions) = versions.advance(&changed);
        let mut am: content_item::ActiveModel = row.into();
        am.title = Set(next.title.clone());
        am.body = Set(next.body.clone());
        am.account_id = Set(next.account_id.map(|a| a.0));
        am.campaign_id = Set(next.campaign_id.map(|c| c.0));
        am.hashtags = Set(json_of(&next.hashtags));
        am.media = Set(json!(next.media));
        am.assignee_id = Set(next.assignee_id.map(|u| u.0));
        am.due_on = Set(next.due_on);
        am.planned_at = Set(next.planned_at);
        am.grade = Set(next.grade.map(|g| g.as_str().to_owned()));
        am.tags = Set(json!(next.tags));
        am.custom = Set(Value::Object(next.custom.clone()));
        am.red_line_hits = Set(checks.blocking_hits());
        am.warnings = Set(checks.warnings());
        am.version = Set(version);
        am.field_versions = Set(field_versions);
        am.updated_at = Set(Utc::now());
        let m = am.update(&txn).await?;
        record(
            &txn,
            actor,
            NewEvent::change(ws, "content_item", Some(id.0), "content.updated")
                .before(changed_values(&before, &changed))
                .after(changed_values(&next, &changed)),
        )
        .await?;
        let out = to_item(m, checks)?;
        self.commit(txn).await?;
        Ok(out)
    }

    /// Deletes an item that never left 选题/稿件 (afterwards items are cancelled, not deleted:
    /// their review and publishing records stay).
    pub async fn delete_content(
        &self,
        actor: &Actor,
        ws: WorkspaceId,
        who: Who,
        id: ContentId,
    ) -> Result<()> {
        let txn = self.begin().await?;
        let (row, stage) = Self::lock_for(&txn, ws, id, who, ContentAction::Delete).await?;
        if !matches!(stage, Stage::Topic | Stage::Draft) || row.review_round > 0 {
            return Err(invalid(
                "stage",
                "content.not_in_stage",
                "only items that were never reviewed can be deleted; cancel this one instead",
            ));
        }
        content_item::Entity::delete_by_id(id.0).exec(&txn).await?;
        record(
            &txn,
            actor,
            NewEvent::change(ws, "content_item", Some(id.0), "content.deleted")
                .before(json!({"title": row.title, "stage": row.stage})),
        )
        .await?;
        self.commit(txn).await
    }

    /// Moves an item to `to`, after `after` in that column (`None` = top). A move to 审核 is a
    /// submission; 审核 → 稿件 withdraws the pending round; 发布 → 稿件 pulls an approved item
    /// back (it must be reviewed again).
    pub async fn move_content(
        &self,
        actor: &Actor,
        ws: WorkspaceId,
        who: Who,
        id: ContentId,
        to: Stage,
        after: Option<ContentId>,
    ) -> Result<ContentItem> {
        if after == Some(id) {
            return Err(invalid(
                "after_id",
                "content.neighbour_moved",
                "an item cannot follow itself",
            ));
        }
        let cfg = self.workspace_config(ws).await?;
        let txn = self.begin().await?;
        let engine = self.engine();
        Self::lock_column(&txn, ws, to).await?;
        // One statement reads the item, whether the mover owns its account, what the checks
        // need (platform, campaign hashtags) and the neighbours' positions in the target column.
        let after_sub = "(SELECT a.position FROM content_items a WHERE a.id = ? AND a.workspace_id = ? AND a.stage = ?)";
        let lock = if engine == Engine::Postgres {
            " FOR UPDATE OF i"
        } else {
            ""
        };
        let next_cond = if after.is_some() {
            format!("AND n.position > {after_sub}")
        } else {
            String::new()
        };
        let sql = format!(
            "SELECT i.*, \
             (SELECT COUNT(*) FROM account_owners o WHERE o.account_id = i.account_id AND o.user_id = ?) AS owns, \
             (SELECT ac.platform FROM accounts ac WHERE ac.id = i.account_id) AS account_platform, \
             (SELECT CAST(cp.required_hashtags AS TEXT) FROM campaigns cp WHERE cp.id = i.campaign_id) AS campaign_hashtags, \
             {after_sub} AS after_position, \
             (SELECT MIN(n.position) FROM content_items n WHERE n.workspace_id = ? AND n.stage = ? AND n.id <> i.id {next_cond}) AS next_position \
             FROM content_items i WHERE i.id = ? AND i.workspace_id = ?{lock}"
        );
        let after_id = after.map_or(-1, |a| a.0);
        let mut values: Vec<DbValue> = vec![
            who.user.0.into(),
            after_id.into(),
            ws.0.into(),
            to.as_str().into(),
            ws.0.into(),
            to.as_str().into(),
        ];
        if after.is_some() {
            values.extend([after_id.into(), ws.0.into(), to.as_str().into()]);
        }
        values.extend([id.0.into(), ws.0.into()]);
        let raw = txn
            .query_one_raw(stmt(engine, &sql, values))
            .await?
            .ok_or(StoreError::NotFound)?;
        let model = content_item::Model::from_query_result(&raw, "")?;
        let row = MoveRow::from_query_result(&raw, "")?;
        let from = stage_of(&model.stage)?;
        let owns = row.owns > 0;
        if after.is_some() && row.after_position.is_none() {
            return Err(StoreError::Conflict {
                code: "content.neighbour_moved",
                field: "after_id".into(),
                message:
                    "the card to place this one after is no longer in that column; reload the board"
                        .into(),
            });
        }
        let kind = c::check_move(
            from,
            to,
            cfg.settings.approval.mode,
            model.account_id.is_some(),
        )?;
        // The workflow's answer first: an illegal step is illegal for everyone.
        forbidden_unless(c::may(who.role, ContentAction::Move { to }, from, owns))?;
        if kind == MoveKind::Submit {
            drop(txn);
            return self
                .review_content(actor, ws, who, id, ReviewAction::Submit, None)
                .await;
        }
        if kind == MoveKind::Withdraw {
            drop(txn);
            return self
                .review_content(actor, ws, who, id, ReviewAction::Withdraw, None)
                .await;
        }
        let ctx = Context {
            platform: row.account_platform,
            required_hashtags: row
                .campaign_hashtags
                .and_then(|h| serde_json::from_str(&h).ok())
                .unwrap_or_default(),
            ..Context::default()
        };
        let mut item = to_item(model, ContentChecks::default())?;
        let checks = compute_checks(&cfg, &item.draft(), &ctx);
        if (from, to) == (Stage::Draft, Stage::Publish) && checks.blocking {
            return Err(invalid(
                "body",
                "content.red_line_block",
                "red-line hits must be fixed before publishing",
            ));
        }
        let position = if let Some(p) = c::position_between(row.after_position, row.next_position) {
            p
        } else {
            Self::renumber(&txn, ws, to).await?;
            let (prev, next) = Self::neighbours(&txn, ws, to, id, after).await?;
            c::position_between(prev, next).unwrap_or(0.0)
        };
        let now = Utc::now();
        let review_state = match kind {
            MoveKind::PullBack => Some(ReviewState::None),
            _ => None,
        };
        let mut sql = String::from(
            "UPDATE content_items SET stage = ?, position = ?, version = version + 1, updated_at = ?",
        );
        let mut values: Vec<DbValue> = vec![to.as_str().into(), position.into(), now.into()];
        if let Some(rs) = review_state {
            sql.push_str(", review_state = ?");
            values.push(rs.as_str().into());
        }
        sql.push_str(" WHERE id = ? AND workspace_id = ?");
        values.extend([id.0.into(), ws.0.into()]);
        let mut batch = vec![(sql, values)];
        if from != to {
            batch.push(transition_statement(ws, id.0, Some(from), to, actor, now));
        }
        write_with_event(
            &txn,
            actor,
            NewEvent::change(ws, "content_item", Some(id.0), "content.moved")
                .before(json!({"stage": from, "position": item.position}))
                .after(json!({"stage": to, "position": position, "after_id": after})),
            batch,
        )
        .await?;
        self.commit(txn).await?;
        item.stage = to;
        item.position = position;
        item.version += 1;
        item.updated_at = now;
        if let Some(rs) = review_state {
            item.review_state = rs;
        }
        item.checks = checks;
        Ok(item)
    }

    async fn renumber(db: &DatabaseTransaction, ws: WorkspaceId, stage: Stage) -> Result<()> {
        let ids: Vec<i64> = content_item::Entity::find()
            .filter(content_item::Column::WorkspaceId.eq(ws.0))
            .filter(content_item::Column::Stage.eq(stage.as_str()))
            .order_by_asc(content_item::Column::Position)
            .order_by_asc(content_item::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect();
        for (i, id) in ids.into_iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let p = (i as f64 + 1.0) * c::POSITION_STEP;
            content_item::Entity::update_many()
                .col_expr(content_item::Column::Position, Expr::value(p))
                .filter(content_item::Column::Id.eq(id))
                .exec(db)
                .await?;
        }
        Ok(())
    }

    async fn neighbours(
        db: &DatabaseTransaction,
        ws: WorkspaceId,
        stage: Stage,
        id: ContentId,
        after: Option<ContentId>,
    ) -> Result<(Option<f64>, Option<f64>)> {
        let rows = content_item::Entity::find()
            .filter(content_item::Column::WorkspaceId.eq(ws.0))
            .filter(content_item::Column::Stage.eq(stage.as_str()))
            .filter(content_item::Column::Id.ne(id.0))
            .order_by_asc(content_item::Column::Position)
            .order_by_asc(content_item::Column::Id)
            .all(db)
            .await?;
        let idx = match after {
            None => 0,
            Some(a) => rows
                .iter()
                .position(|r| r.id == a.0)
                .map_or(rows.len(), |i| i + 1),
        };
        Ok((
            idx.checked_sub(1)
                .and_then(|i| rows.get(i))
                .map(|r| r.position),
            rows.get(idx).map(|r| r.position),
        ))
    }

    /// One draft per account from a topic card; the topic stays in 选题 for more.
    pub async fn create_drafts_from_topic(
        &self,
        actor: &Actor,
        ws: WorkspaceId,
        who: Who,
        topic: ContentId,
        accounts: &[AccountId],
    ) -> Result<Vec<ContentItem>> {
        if accounts.is_empty() || accounts.len() > 100 {
            return Err(invalid(
                "account_ids",
                "validation.required",
                "choose 1 to 100 accounts",
            ));
        }
        let t = self.get_content(ws, topic).await?;
        if t.stage != Stage::Topic {
            return Err(invalid(
                "stage",
                "content.topic_required",
                "drafts are made from a card in 选题",
            ));
        }
        let cfg = self.workspace_config(ws).await?;
        let txn = self.begin().await?;
        let mut out = Vec::new();
        let mut seen = Vec::new();
        for (i, a) in accounts.iter().enumerate() {
            if seen.contains(a) {
                continue;
            }
            seen.push(*a);
            let d = ContentDraft {
                stage: Stage::Draft,
                account_id: Some(*a),
                topic_id: Some(topic),
                custom: Map::new(),
                ..t.draft()
            }
            .validate()?;
            // All drafts or none: the first refused account names its position in the list.
            let item = self
                .create_in(&txn, &cfg, actor, ws, who, d)
                .await
                .map_err(|e| match e {
                    StoreError::Invalid(mut f) if f.field == "account_id" => {
                        f.field = format!("account_ids.{i}");
                        StoreError::Invalid(f)
                    }
                    other => other,
                })?;
            out.push(item);
        }
        self.commit(txn).await?;
        Ok(out)
    }

    // -----------------------------------------------------------------------------------------
    // Review

    pub async fn review_content(
        &self,
        actor: &Actor,
        ws: WorkspaceId,
        who: Who,
        id: ContentId,
        action: ReviewAction,
        reason: Option<&str>,
    ) -> Result<ContentItem> {
        let cfg = self.workspace_config(ws).await?;
        let settings = &cfg.settings;
        let txn = self.begin().await?;
        let row = Self::lock_row(&txn, ws, id).await?;
        let stage = stage_of(&row.stage)?;
        let owns = Self::owns(&txn, row.account_id, who.user).await?;
        let now = Utc::now();
        let round = row.review_round;
        let pending: Vec<content_review::Model> = content_review::Entity::find()
            .filter(content_review::Column::WorkspaceId.eq(ws.0))
            .filter(content_review::Column::ItemId.eq(id.0))
            .filter(content_review::Column::Round.eq(round))
            .filter(content_review::Column::Decision.eq(Decision::Pending.as_str()))
            .all(&txn)
            .await?;
        let requester = pending.first().and_then(|p| p.requester_id);
        let not_pending = || {
            invalid(
                "action",
                "content.review_not_pending",
                "this item is not waiting for review",
            )
        };
        let mut item_update: Vec<(&str, DbValue)> = Vec::new();
        let (event_action, event_after): (&str, Value);
        match action {
            ReviewAction::Submit => {
                forbidden_unless(c::may(who.role, ContentAction::Submit, stage, owns))?;
                if stage != Stage::Draft {
                    return Err(invalid(
                        "stage",
                        "content.invalid_transition",
                        "only a draft in 稿件 can be submitted",
                    ));
                }
                if row.account_id.is_none() {
                    return Err(invalid(
                        "account_id",
                        "content.account_required",
                        "choose the account this draft is for",
                    ));
                }
                if settings.approval.mode == ApprovalMode::None {
                    return Err(invalid(
                        "action",
                        "content.review_disabled",
                        "this workspace publishes without review: move the draft to 发布",
                    ));
                }
                let next_round = round + 1;
                self.open_step(&txn, ws, id, next_round, 0, settings, actor.user_id, now)
                    .await?;
                item_update.extend([
                    ("stage", Stage::Review.as_str().into()),
                    ("review_state", ReviewState::Pending.as_str().into()),
                    ("review_round", next_round.into()),
                    ("review_step", 0i64.into()),
                    ("override_reason", DbValue::String(None)),
                ]);
                insert_transition(&txn, ws, id.0, Some(stage), Stage::Review, actor, now).await?;
                event_action = "content.submitted";
                event_after = json!({"round": next_round, "stage": Stage::Review});
            }
            ReviewAction::Withdraw => {
                forbidden_unless(
                    c::may(who.role, ContentAction::Withdraw, stage, owns)
                        || requester == Some(who.user.0),
                )?;
                if stage != Stage::Review || pending.is_empty() {
                    return Err(not_pending());
                }
                self.close_pending(&txn, &pending, Decision::Withdrawn, None, None, false, now)
                    .await?;
                item_update.extend([
                    ("stage", Stage::Draft.as_str().into()),
                    ("review_state", ReviewState::None.as_str().into()),
                ]);
                insert_transition(&txn, ws, id.0, Some(stage), Stage::Draft, actor, now).await?;
                event_action = "content.withdrawn";
                event_after = json!({"round": round, "stage": Stage::Draft});
            }
            ReviewAction::Approve | ReviewAction::Reject | ReviewAction::Override => {
                let cap = if action == ReviewAction::Override {
                    ContentAction::Override
                } else {
                    ContentAction::Decide
                };
                forbidden_unless(c::may(who.role, cap, stage, owns))?;
                if stage != Stage::Review || pending.is_empty() {
                    return Err(not_pending());
                }
                if requester == Some(who.user.0) || row.assignee_id == Some(who.user.0) {
                    return Err(invalid(
                        "action",
                        "content.self_approval",
                        "nobody reviews their own item; ask another editor",
                    ));
                }
                let step = usize::try_from(row.review_step).unwrap_or(0);
                let multi = settings.approval.mode == ApprovalMode::MultiLevel;
                let step_def = multi.then(|| settings.approval.steps.get(step)).flatten();
                // In a multi-level step only its approvers decide (a director's override stands
                // above the steps).
                let mine: Vec<&content_review::Model> = match step_def {
                    Some(s) if action != ReviewAction::Override => {
                        if !s.approver_ids.contains(&who.user) {
                            return Err(invalid(
                                "action",
                                "content.not_approver",
                                format!("step “{}” is decided by its approvers", s.name),
                            ));
                        }
                        match s.rule {
                            StepRule::All => pending
                                .iter()
                                .filter(|p| p.approver_id == Some(who.user.0))
                                .collect(),
                            StepRule::Any => pending.iter().take(1).collect(),
                        }
                    }
                    _ => pending.iter().take(1).collect(),
                };
                if mine.is_empty() {
                    return Err(invalid(
                        "action",
                        "content.already_decided",
                        "you have already approved this step",
                    ));
                }
                match action {
                    ReviewAction::Reject => {
                        let reason = c::parse_reason(reason)?;
                        self.settle(
                            &txn,
                            &pending,
                            mine[0].id,
                            who.user,
                            Decision::Rejected,
                            Some(&reason),
                            true,
                            now,
                        )
                        .await?;
                        item_update.extend([
                            ("stage", Stage::Draft.as_str().into()),
                            ("review_state", ReviewState::Rejected.as_str().into()),
                        ]);
                        insert_transition(&txn, ws, id.0, Some(stage), Stage::Draft, actor, now)
                            .await?;
                        event_action = "content.rejected";
                        event_after = json!({"round": round, "step": step, "reason": reason, "stage": Stage::Draft});
                    }
                    ReviewAction::Override => {
                        let reason = c::parse_reason(reason)?;
                        self.settle(
                            &txn,
                            &pending,
                            mine[0].id,
                            who.user,
                            Decision::Overridden,
                            Some(&reason),
                            true,
                            now,
                        )
                        .await?;
                        item_update.extend([
                            ("stage", Stage::Publish.as_str().into()),
                            ("review_state", ReviewState::Approved.as_str().into()),
                            ("override_reason", reason.clone().into()),
                        ]);
                        insert_transition(&txn, ws, id.0, Some(stage), Stage::Publish, actor, now)
                            .await?;
                        event_action = "content.overridden";
                        event_after =
                            json!({"round": round, "reason": reason, "stage": Stage::Publish});
                    }
                    _ => {
                        let item = to_item(row.clone(), ContentChecks::default())?;
                        let d = item.draft();
                        let ctx =
                            load_context(&txn, ws, who.user, d.account_id, d.campaign_id).await?;
                        if compute_checks(&cfg, &d, &ctx).blocking {
                            return Err(invalid(
                                "body",
                                "content.red_line_block",
                                "red-line hits block approval: reject it, or a director overrides with a written reason",
                            ));
                        }
                        let step_done =
                            pending.len() == 1 || step_def.is_none_or(|s| s.rule == StepRule::Any);
                        let last_step = step + 1 >= settings.step_count();
                        let ends = step_done && last_step;
                        if step_done {
                            let (chosen, me) = (mine[0].id, who.user);
                            self.settle(
                                &txn,
                                &pending,
                                chosen,
                                me,
                                Decision::Approved,
                                reason,
                                ends,
                                now,
                            )
                            .await?;
                        } else {
                            self.decide(
                                &txn,
                                mine[0].id,
                                who.user,
                                Decision::Approved,
                                reason,
                                ends,
                                now,
                            )
                            .await?;
                        }
                        if ends {
                            item_update.extend([
                                ("stage", Stage::Publish.as_str().into()),
                                ("review_state", ReviewState::Approved.as_str().into()),
                            ]);
                            insert_transition(
                                &txn,
                                ws,
                                id.0,
                                Some(stage),
                                Stage::Publish,
                                actor,
                                now,
                            )
                            .await?;
                        } else if step_done {
                            let next = step + 1;
                            self.open_step(
                                &txn,
                                ws,
                                id,
                                round,
                                next,
                                settings,
                                requester.map(UserId),
                                now,
                            )
                            .await?;
                            item_update
                                .push(("review_step", i64::try_from(next).unwrap_or(0).into()));
                        }
                        event_action = "content.approved";
                        event_after = json!({"round": round, "step": step, "final": ends,
                            "stage": if ends { Stage::Publish } else { Stage::Review }});
                    }
                }
            }
        }
        self.update_item_columns(&txn, ws, id, &item_update, now)
            .await?;
        record(
            &txn,
            actor,
            NewEvent::change(ws, "content_item", Some(id.0), event_action).after(event_after),
        )
        .await?;
        self.commit(txn).await?;
        self.get_content(ws, id).await
    }

    /// Pending requests for one approval step: one open request (any approver) or, for an
    /// "all" step, one per approver.
    #[allow(clippy::too_many_arguments)]
    async fn open_step(
        &self,
        txn: &DatabaseTransaction,
        ws: WorkspaceId,
        id: ContentId,
        round: i64,
        step: usize,
        settings: &ContentSettings,
        requester: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let def = (settings.approval.mode == ApprovalMode::MultiLevel)
            .then(|| settings.approval.steps.get(step))
            .flatten();
        let approvers: Vec<Option<i64>> = match def {
            Some(s) if s.rule == StepRule::All => {
                s.approver_ids.iter().map(|u| Some(u.0)).collect()
            }
            _ => vec![None],
        };
        for a in approvers {
            content_review::ActiveModel {
                workspace_id: Set(ws.0),
                item_id: Set(id.0),
                round: Set(round),
                step: Set(i64::try_from(step).unwrap_or(0)),
                requester_id: Set(requester.map(|u| u.0)),
                approver_id: Set(a),
                decision: Set(Decision::Pending.as_str().into()),
                ends_round: Set(false),
                reason: Set(None),
                requested_at: Set(now),
                decided_at: Set(None),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
        Ok(())
    }

    /// Records `decision` on the chosen request and withdraws the round's other pending ones.
    #[allow(clippy::too_many_arguments)]
    async fn settle(
        &self,
        txn: &DatabaseTransaction,
        pending: &[content_review::Model],
        chosen: i64,
        approver: UserId,
        decision: Decision,
        reason: Option<&str>,
        ends_round: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.decide(txn, chosen, approver, decision, reason, ends_round, now)
            .await?;
        let rest: Vec<_> = pending.iter().filter(|p| p.id != chosen).cloned().collect();
        self.close_pending(txn, &rest, Decision::Withdrawn, None, None, false, now)
            .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn decide(
        &self,
        txn: &DatabaseTransaction,
        review: i64,
        approver: UserId,
        decision: Decision,
        reason: Option<&str>,
        ends_round: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        content_review::Entity::update_many()
            .col_expr(content_review::Column::ApproverId, Expr::value(approver.0))
            .col_expr(
                content_review::Column::Decision,
                Expr::value(decision.as_str()),
            )
            .col_expr(
                content_review::Column::Reason,
                Expr::value(reason.map(str::to_owned)),
            )
            .col_expr(content_review::Column::EndsRound, Expr::value(ends_round))
            .col_expr(content_review::Column::DecidedAt, Expr::value(now))
            .filter(content_review::Column::Id.eq(review))
            .exec(txn)
            .await?;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn close_pending(
        &self,
        txn: &DatabaseTransaction,
        rows: &[content_review::Model],
        decision: Decision,
        approver: Option<UserId>,
        reason: Option<&str>,
        ends_round: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        for r in rows {
            content_review::Entity::update_many()
                .col_expr(
                    content_review::Column::Decision,
                    Expr::value(decision.as_str()),
                )
                .col_expr(
                    content_review::Column::ApproverId,
                    Expr::value(approver.map(|u| u.0).or(r.approver_id)),
                )
                .col_expr(
                    content_review::Column::Reason,
                    Expr::value(reason.map(str::to_owned)),
                )
                .col_expr(content_review::Column::EndsRound, Expr::value(ends_round))
                .col_expr(content_review::Column::DecidedAt, Expr::value(now))
                .filter(content_review::Column::Id.eq(r.id))
                .exec(txn)
                .await?;
        }
        Ok(())
    }

    async fn update_item_columns(
        &self,
        txn: &DatabaseTransaction,
        ws: WorkspaceId,
        id: ContentId,
        cols: &[(&str, DbValue)],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut q = Query::update();
        q.table(content_item::Entity);
        for (col, v) in cols {
            q.value(Alias::new(*col), Expr::val(v.clone()));
            // An item that reaches a column through the workflow joins the end of its queue.
            if *col == "stage"
                && let DbValue::String(Some(stage)) = v
            {
                Self::lock_column(txn, ws, stage_of(stage)?).await?;
                let sql = match engine_of(txn) {
                    Engine::Sqlite => {
                        "(SELECT COALESCE(MAX(p.position), 0) + 1024 FROM content_items p WHERE p.workspace_id = ? AND p.stage = ?)"
                    }
                    Engine::Postgres => {
                        "(SELECT COALESCE(MAX(p.position), 0) + 1024 FROM content_items p WHERE p.workspace_id = $1 AND p.stage = $2)"
                    }
                };
                q.value(
                    content_item::Column::Position,
                    Expr::cust_with_values(
                        sql,
                        [DbValue::from(ws.0), DbValue::from(stage.as_str())],
                    ),
                );
            }
        }
        q.value(content_item::Column::UpdatedAt, Expr::val(now));
        q.value(
            content_item::Column::Version,
            Expr::col(content_item::Column::Version).add(1),
        );
        q.and_where(content_item::Column::Id.eq(id.0));
        q.and_where(content_item::Column::WorkspaceId.eq(ws.0));
        txn.execute(&q).await?;
        Ok(())
    }

    /// Every stage change of an item, oldest first.
    pub async fn list_transitions(
        &self,
        ws: WorkspaceId,
        id: ContentId,
    ) -> Result<Vec<Transition>> {
        let rows = content_transition::Entity::find()
            .filter(content_transition::Column::WorkspaceId.eq(ws.0))
            .filter(content_transition::Column::ItemId.eq(id.0))
            .order_by_asc(content_transition::Column::Id)
            .all(&self.read)
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok(Transition {
                    from: r.from_stage.as_deref().map(stage_of).transpose()?,
                    to: stage_of(&r.to_stage)?,
                    actor_id: r.actor_id.map(UserId),
                    at: r.created_at,
                })
            })
            .collect()
    }

    pub async fn list_reviews(&self, ws: WorkspaceId, id: ContentId) -> Result<Vec<ReviewRecord>> {
        Self::load_row(&self.read, ws, id).await?;
        let rows = content_review::Entity::find()
            .filter(content_review::Column::WorkspaceId.eq(ws.0))
            .filter(content_review::Column::ItemId.eq(id.0))
            .order_by_asc(content_review::Column::Id)
            .all(&self.read)
            .await?;
        let mut people: Vec<i64> = Vec::new();
        for r in &rows {
            people.extend(r.requester_id);
            people.extend(r.approver_id);
        }
        let names = self.user_names(people.into_iter()).await?;
        Ok(rows
            .into_iter()
            .map(|r| ReviewRecord {
                id: r.id,
                round: r.round,
                step: r.step,
                requester_id: r.requester_id,
                requester_name: r.requester_id.and_then(|u| names.get(&u).cloned()),
                approver_id: r.approver_id,
                approver_name: r.approver_id.and_then(|u| names.get(&u).cloned()),
                decision: Decision::parse(&r.decision).unwrap_or(Decision::Pending),
                reason: r.reason,
                requested_at: r.requested_at,
                decided_at: r.decided_at,
            })
            .collect())
    }

    async fn user_names(&self, ids: impl Iterator<Item = i64>) -> Result<HashMap<i64, String>> {
        let mut ids: Vec<i64> = ids.collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        Ok(user::Entity::find()
            .filter(user::Column::Id.is_in(ids))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect())
    }

    /// First-pass rate per person (the submitter), account, campaign or overall, over the items
    /// whose first review ended within `[from, to]` (workspace-local dates, given as UTC bounds).
    pub async fn first_pass(
        &self,
        ws: WorkspaceId,
        by: FirstPassBy,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<FirstPassRow>> {
        let rows = content_review::Entity::find()
            .filter(content_review::Column::WorkspaceId.eq(ws.0))
            .filter(content_review::Column::EndsRound.eq(true))
            .order_by_asc(content_review::Column::ItemId)
            .order_by_asc(content_review::Column::Round)
            .all(&self.read)
            .await?;
        // Each item's first ended round.
        let mut first: Vec<content_review::Model> = Vec::new();
        for r in rows {
            if first.last().is_none_or(|f| f.item_id != r.item_id) {
                first.push(r);
            }
        }
        first.retain(|r| {
            r.decided_at
                .is_some_and(|d| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d < t))
        });
        let items: HashMap<i64, content_item::Model> = if first.is_empty() {
            HashMap::new()
        } else {
            content_item::Entity::find()
                .filter(content_item::Column::WorkspaceId.eq(ws.0))
                .filter(content_item::Column::Id.is_in(first.iter().map(|r| r.item_id)))
                .all(&self.read)
                .await?
                .into_iter()
                .map(|m| (m.id, m))
                .collect()
        };
        let labels: HashMap<i64, String> = match by {
            FirstPassBy::Person => {
                self.user_names(first.iter().filter_map(|r| r.requester_id))
                    .await?
            }
            FirstPassBy::Account => account::Entity::find()
                .filter(account::Column::WorkspaceId.eq(ws.0))
                .all(&self.read)
                .await?
                .into_iter()
                .map(|a| (a.id, a.display_name))
                .collect(),
            FirstPassBy::Campaign => crate::entities::campaign::Entity::find()
                .filter(crate::entities::campaign::Column::WorkspaceId.eq(ws.0))
                .all(&self.read)
                .await?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect(),
            FirstPassBy::All => HashMap::new(),
        };
        let rounds: Vec<FirstRound> = first
            .iter()
            .map(|r| {
                let item = items.get(&r.item_id);
                let key = match by {
                    FirstPassBy::Person => r.requester_id,
                    FirstPassBy::Account => item.and_then(|i| i.account_id),
                    FirstPassBy::Campaign => item.and_then(|i| i.campaign_id),
                    FirstPassBy::All => Some(0),
                };
                let (key, label) = match (by, key) {
                    (FirstPassBy::All, _) => ("all".to_owned(), "全部".to_owned()),
                    (_, Some(k)) => (k.to_string(), labels.get(&k).cloned().unwrap_or_default()),
                    (_, None) => ("none".to_owned(), "未指定".to_owned()),
                };
                FirstRound {
                    key,
                    label,
                    approved: matches!(
                        Decision::parse(&r.decision),
                        Some(Decision::Approved | Decision::Overridden)
                    ),
                }
            })
            .collect();
        Ok(c::first_pass_rates(&rounds))
    }

    // -----------------------------------------------------------------------------------------
    // Publishing and retro

    pub async fn publish_pack(&self, ws: WorkspaceId, id: ContentId) -> Result<PublishPack> {
        let item = self.get_content(ws, id).await?;
        let account_id = item.account_id.ok_or_else(|| {
            invalid(
                "account_id",
                "content.account_required",
                "this item has no account yet",
            )
        })?;
        let a = account::Entity::find_by_id(account_id.0)
            .filter(account::Column::WorkspaceId.eq(ws.0))
            .one(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        let cfg = self.workspace_config(ws).await?;
        let platform_name = cfg
            .platforms
            .get(&a.platform)
            .map_or_else(|| a.platform.clone(), |p| p.2.clone());
        let closing = matches!(a.platform.as_str(), "xiaohongshu" | "weibo");
        let in_body = checks::hashtags_in(&item.body);
        let hashtag_text = item
            .hashtags
            .iter()
            .filter(|h| !in_body.contains(h))
            .map(|h| {
                if closing {
                    format!("#{}#", h.as_str())
                } else {
                    format!("#{}", h.as_str())
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        let mut copy_text = item.title.clone();
        for part in [&item.body, &hashtag_text] {
            if !part.is_empty() {
                copy_text.push_str("\n\n");
                copy_text.push_str(part);
            }
        }
        Ok(PublishPack {
            item_id: item.id.0,
            account_id: a.id,
            account_handle: a.handle,
            account_name: a.display_name,
            platform: a.platform,
            platform_name,
            title: item.title.clone(),
            body: item.body.clone(),
            hashtags: item
                .hashtags
                .iter()
                .map(|h| h.as_str().to_owned())
                .collect(),
            hashtag_text,
            copy_text,
            media: item.media.clone(),
            planned_at: item.planned_at,
            checks: item.checks,
        })
    }

    /// Records the live post: the URL must be a post link of the account's platform.
    #[allow(clippy::too_many_arguments)]
    pub async fn publish_content(
        &self,
        actor: &Actor,
        ws: WorkspaceId,
        who: Who,
        id: ContentId,
        post_url: &str,
        published_at: Option<DateTime<Utc>>,
        platform_post_id: Option<&str>,
    ) -> Result<ContentItem> {
        let cfg = self.workspace_config(ws).await?;
        let txn = self.begin().await?;
        let (row, stage) = Self::lock_for(&txn, ws, id, who, ContentAction::Publish).await?;
        if stage != Stage::Publish {
            return Err(invalid(
                "stage",
                "content.not_in_stage",
                "only an item in 发布 can be marked published",
            ));
        }
        let acc = account::Entity::find_by_id(row.account_id.unwrap_or(-1))
            .one(&txn)
            .await?
            .ok_or_else(|| {
                invalid(
                    "account_id",
                    "content.account_required",
                    "this item has no account",
                )
            })?;
        let (patterns, name) = cfg
            .platforms
            .get(&acc.platform)
            .map(|p| (p.1.clone(), p.2.clone()))
            .unwrap_or_default();
        let (url, extracted) = checks::match_post_url(&patterns, &name, post_url)?;
        let now = Utc::now();
        let at = published_at.unwrap_or(now);
        if at > now + chrono::Duration::minutes(5) {
            return Err(invalid(
                "published_at",
                "content.published_in_future",
                "a post cannot have been published in the future",
            ));
        }
        let post_id = match platform_post_id.map(str::trim).filter(|s| !s.is_empty()) {
            Some(p) => Some(kox_domain::validation::text("platform_post_id", p, 1, 100)?),
            None => extracted,
        };
        self.update_item_columns(
            &txn,
            ws,
            id,
            &[
                ("stage", Stage::Retro.as_str().into()),
                ("post_url", url.clone().into()),
                ("platform_post_id", post_id.clone().into()),
                ("published_at", at.into()),
            ],
            now,
        )
        .await?;
        insert_transition(&txn, ws, id.0, Some(stage), Stage::Retro, actor, now).await?;
        record(
            &txn,
            actor,
            NewEvent::change(ws, "content_item", Some(id.0), "content.published")
                .after(json!({"post_url": url, "platform_post_id": post_id, "published_at": at, "stage": Stage::Retro})),
        )
        .await?;
        self.commit(txn).await?;
        self.get_content(ws, id).await
    }

    /// The short retrospective that closes a published item; may be edited afterwards.
    pub async fn retro_content(
        &self,
        actor: &Actor,
        ws: WorkspaceId,
        who: Who,
        id: ContentId,
        note: &str,
        reuse_topic: bool,
    ) -> Result<ContentItem> {
        let note = kox_domain::validation::text("note", note, 1, 2000)?;
        let txn = self.begin().await?;
        let (row, stage) = Self::lock_for(&txn, ws, id, who, ContentAction::Retro).await?;
        if stage != Stage::Retro {
            return Err(invalid(
                "stage",
                "content.not_in_stage",
                "a retrospective is written after publishing, in 复盘",
            ));
        }
        let now = Utc::now();
        let closed = row.closed_at.unwrap_or(now);
        self.update_item_columns(
            &txn,
            ws,
            id,
            &[
                ("retro_note", note.clone().into()),
                ("reuse_topic", reuse_topic.into()),
                ("closed_at", closed.into()),
            ],
            now,
        )
        .await?;
        record(
            &txn,
            actor,
            NewEvent::change(ws, "content_item", Some(id.0), "content.retro")
                .before(json!({"retro_note": row.retro_note, "reuse_topic": row.reuse_topic}))
                .after(json!({"retro_note": note, "reuse_topic": reuse_topic})),
        )
        .await?;
        self.commit(txn).await?;
        self.get_content(ws, id).await
    }

    // -----------------------------------------------------------------------------------------
    // Comments

    pub async fn list_comments(&self, ws: WorkspaceId, id: ContentId) -> Result<Vec<Comment>> {
        Self::load_row(&self.read, ws, id).await?;
        let rows = content_comment::Entity::find()
            .filter(content_comment::Column::WorkspaceId.eq(ws.0))
            .filter(content_comment::Column::ItemId.eq(id.0))
            .order_by_asc(content_comment::Column::Id)
            .all(&self.read)
            .await?;
        let names = self
            .user_names(rows.iter().filter_map(|r| r.author_id))
            .await?;
        Ok(rows.into_iter().map(|r| to_comment(r, &names)).collect())
    }

    pub async fn add_comment(
        &self,
        actor: &Actor,
        ws: WorkspaceId,
        who: Who,
        id: ContentId,
        body: &str,
        mentions: &[UserId],
    ) -> Result<Comment> {
        let body = kox_domain::validation::text("body", body, 1, 2000)?;
        let mut mentions: Vec<i64> = mentions.iter().map(|u| u.0).collect();
        mentions.sort_unstable();
        mentions.dedup();
        if mentions.len() > 50 {
            return Err(invalid(
                "mentions",
                "validation.too_many",
                "at most 50 mentions",
            ));
        }
        let txn = self.begin().await?;
        let row = Self::lock_row(&txn, ws, id).await?;
        forbidden_unless(c::may(
            who.role,
            ContentAction::Comment,
            stage_of(&row.stage)?,
            false,
        ))?;
        if let Some(bad) = Self::non_members(&txn, ws, &mentions).await?.first() {
            let i = mentions.iter().position(|m| m == bad).unwrap_or(0);
            return Err(invalid(
                format!("mentions.{i}"),
                "content.mention_not_member",
                "you can only mention members of the workspace",
            ));
        }
        let now = Utc::now();
        let m = content_comment::ActiveModel {
            workspace_id: Set(ws.0),
            item_id: Set(id.0),
            author_id: Set(who.user.0.into()),
            body: Set(body.clone()),
            mentions: Set(json!(mentions)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        content_item::Entity::update_many()
            .col_expr(
                content_item::Column::Comments,
                Expr::col(content_item::Column::Comments).add(1),
            )
            .filter(content_item::Column::Id.eq(id.0))
            .exec(&txn)
            .await?;
        record(
            &txn,
            actor,
            NewEvent::change(ws, "content_item", Some(id.0), "content.commented")
                .after(json!({"comment_id": m.id, "body": body, "mentions": mentions})),
        )
        .await?;
        let names = self.user_names(std::iter::once(who.user.0)).await?;
        self.commit(txn).await?;
        Ok(to_comment(m, &names))
    }

    // -----------------------------------------------------------------------------------------
    // Board

    /// The board: each column's cards in order (a page per column) and its total under the
    /// filters. Cards carry the check summary stored at their last save.
    pub async fn board(
        &self,
        ws: WorkspaceId,
        f: &BoardFilter,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Board> {
        let cfg = self.workspace_config(ws).await?;
        let settings = &cfg.settings;
        let mut stages: Vec<Stage> = Stage::BOARD.to_vec();
        if f.cancelled {
            stages.push(Stage::Cancelled);
        }
        if let Some(s) = f.stage {
            stages = vec![s];
        }
        let ci = content_item::Entity;
        let col = |c: content_item::Column| Expr::col((ci, c));
        let mut cond = Condition::all()
            .add(col(content_item::Column::WorkspaceId).eq(ws.0))
            .add(col(content_item::Column::Stage).is_in(stages.iter().map(|s| s.as_str())));
        if let Some(a) = f.account {
            cond = cond.add(col(content_item::Column::AccountId).eq(a.0));
        }
        if let Some(t) = f.tier {
            cond = cond.add(Expr::col((account::Entity, account::Column::Tier)).eq(t.as_str()));
        }
        if let Some(p) = &f.platform {
            cond = cond.add(Expr::col((account::Entity, account::Column::Platform)).eq(p.as_str()));
        }
        if let Some(cid) = f.campaign {
            cond = cond.add(col(content_item::Column::CampaignId).eq(cid.0));
        }
        if let Some(u) = f.assignee {
            cond = cond.add(col(content_item::Column::AssigneeId).eq(u.0));
        }
        if let Some(t) = f.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            cond = cond.add(tag_condition(
                self.engine(),
                "content_items",
                t.trim_start_matches('#'),
            ));
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let like = crate::accounts::like_pattern(q);
            cond = cond.add(
                Expr::expr(Func::lower(col(content_item::Column::Title)))
                    .like(sea_orm::sea_query::LikeExpr::new(like).escape('\\')),
            );
        }
        if let Some(me) = f.mine {
            let owned = Query::select()
                .column(crate::entities::account_owner::Column::AccountId)
                .from(crate::entities::account_owner::Entity)
                .and_where(crate::entities::account_owner::Column::WorkspaceId.eq(ws.0))
                .and_where(crate::entities::account_owner::Column::UserId.eq(me.0))
                .to_owned();
            cond = cond.add(
                Condition::any()
                    .add(col(content_item::Column::AssigneeId).eq(me.0))
                    .add(col(content_item::Column::CreatedBy).eq(me.0))
                    .add(col(content_item::Column::AccountId).in_subquery(owned)),
            );
        }
        if f.overdue {
            cond = cond
                .add(
                    col(content_item::Column::Stage).is_in(["topic", "draft", "review", "publish"]),
                )
                .add(
                    Condition::any()
                        .add(col(content_item::Column::DueOn).lt(today))
                        .add(col(content_item::Column::PlannedAt).lt(now)),
                );
        }
        if !f.custom.is_empty() {
            let defs = load_fields(&self.read, ws, FieldEntity::ContentItem).await?;
            for (key, value) in &f.custom {
                let def = defs.iter().find(|d| &d.key == key).ok_or_else(|| {
                    invalid(
                        format!("cf.{key}"),
                        "custom_fields.unknown",
                        format!("there is no custom field \"{key}\""),
                    )
                })?;
                cond = cond.add(custom_condition(
                    self.engine(),
                    "content_items",
                    &def.key,
                    def.kind,
                    value,
                )?);
            }
        }
        let limit = f.limit.clamp(1, 2000);
        let mut columns: Vec<BoardColumn> = Vec::with_capacity(stages.len());
        let mut page_lengths: Vec<u64> = Vec::with_capacity(stages.len());
        // One indexed walk per column in (position, id) order, one page each (a column of 20,000
        // closed items costs a page, not a scan); the database writes each page as one JSON
        // array, so no row crosses the driver one by one; and the columns are read at the same
        // time on the read pool's connections.
        let engine = self.engine();
        let reads = stages.iter().map(|stage| {
            let page = Query::select()
                .expr_as(card_json(engine, today, now), "card")
                .expr_as(Expr::col((ci, content_item::Column::Position)), "pos")
                .expr_as(Expr::col((ci, content_item::Column::Id)), "iid")
                .from(ci)
                .left_join(
                    account::Entity,
                    Expr::col((account::Entity, account::Column::Id))
                        .equals((ci, content_item::Column::AccountId)),
                )
                .cond_where(cond.clone())
                .and_where(col(content_item::Column::Stage).eq(stage.as_str()))
                .order_by((ci, content_item::Column::Position), Order::Asc)
                .order_by((ci, content_item::Column::Id), Order::Asc)
                .limit(limit)
                .offset(f.offset)
                .to_owned();
            let aggregate = match engine {
                Engine::Sqlite => "COALESCE(json_group_array(json(t.card)), '[]')",
                Engine::Postgres => {
                    "CAST(COALESCE(json_agg(t.card ORDER BY t.pos, t.iid), '[]'::json) AS TEXT)"
                }
            };
            let q = Query::select()
                .expr_as(Expr::cust("COUNT(*)"), "n")
                .expr_as(Expr::cust(aggregate), "cards")
                .from_subquery(page, Alias::new("t"))
                .to_owned();
            async move {
                let row = self
                    .read
                    .query_one(&q)
                    .await?
                    .ok_or_else(|| crate::db::other("board page returned no row".into()))?;
                let n: i64 = row.try_get("", "n")?;
                let cards: String = row.try_get("", "cards")?;
                let raw = serde_json::value::RawValue::from_string(cards)
                    .map_err(|e| crate::db::other(format!("board JSON: {e}")))?;
                Ok::<_, StoreError>((n, raw))
            }
        });
        for (stage, (n, raw)) in stages
            .iter()
            .zip(futures_util::future::try_join_all(reads).await?)
        {
            page_lengths.push(u64::try_from(n).unwrap_or(0));
            columns.push(BoardColumn {
                stage: *stage,
                name: settings.name(*stage).to_owned(),
                total: n,
                wip_limit: settings.wip_limits.get(stage).copied(),
                items: Cards::Json(raw),
            });
        }
        // A column's total is its page's length unless the page may not be all of it.
        let partial = f.offset > 0 || page_lengths.iter().any(|n| *n >= limit);
        if partial {
            let counts = Query::select()
                .column((ci, content_item::Column::Stage))
                .expr_as(Expr::cust("COUNT(*)"), "n")
                .from(ci)
                .left_join(
                    account::Entity,
                    Expr::col((account::Entity, account::Column::Id))
                        .equals((ci, content_item::Column::AccountId)),
                )
                .cond_where(cond)
                .group_by_col((ci, content_item::Column::Stage))
                .to_owned();
            for r in self.read.query_all(&counts).await? {
                let stage: String = r.try_get("", "stage")?;
                let n: i64 = r.try_get("", "n")?;
                if let Some(column) = columns.iter_mut().find(|c| c.stage.as_str() == stage) {
                    column.total = n;
                }
            }
        }
        Ok(Board { columns })
    }
}

/// One board card as JSON, written by the database in exactly the shape of `ContentCard`
/// (timestamps as RFC 3339 in UTC with `Z`, like the rest of the API). Engine-specific: SQLite's
/// json_object over its text timestamps, PostgreSQL's json_build_object over timestamptz.
fn card_json(engine: Engine, today: NaiveDate, now: DateTime<Utc>) -> Expr {
    let open = "content_items.stage IN ('topic', 'draft', 'review', 'publish')";
    match engine {
        Engine::Sqlite => Expr::cust_with_values(
            format!(
                "json_object('id', content_items.id, 'stage', content_items.stage, 'position', content_items.position, \
                 'title', content_items.title, 'account_id', content_items.account_id, 'account_handle', accounts.handle, \
                 'account_name', accounts.display_name, 'platform', accounts.platform, 'tier', accounts.tier, \
                 'campaign_id', content_items.campaign_id, 'assignee_id', content_items.assignee_id, 'due_on', content_items.due_on, \
                 'planned_at', replace(content_items.planned_at, '+00:00', 'Z'), 'published_at', replace(content_items.published_at, '+00:00', 'Z'), \
                 'review_state', content_items.review_state, \
                 'closed', json(CASE WHEN content_items.closed_at IS NULL THEN 'false' ELSE 'true' END), \
                 'overdue', json(CASE WHEN {open} AND ((content_items.due_on IS NOT NULL AND content_items.due_on < ?) OR (content_items.planned_at IS NOT NULL AND content_items.planned_at < ?)) THEN 'true' ELSE 'false' END), \
                 'tags', json(content_items.tags), 'custom', json(content_items.custom), \
                 'red_line_hits', content_items.red_line_hits, 'warnings', content_items.warnings, 'comments', content_items.comments, \
                 'version', content_items.version)"
            ),
            [DbValue::from(today), DbValue::from(now)],
        ),
        Engine::Postgres => Expr::cust_with_values(
            format!(
                "json_build_object('id', content_items.id, 'stage', content_items.stage, 'position', content_items.position, \
                 'title', content_items.title, 'account_id', content_items.account_id, 'account_handle', accounts.handle, \
                 'account_name', accounts.display_name, 'platform', accounts.platform, 'tier', accounts.tier, \
                 'campaign_id', content_items.campaign_id, 'assignee_id', content_items.assignee_id, 'due_on', content_items.due_on, \
                 'planned_at', to_char(content_items.planned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), \
                 'published_at', to_char(content_items.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), \
                 'review_state', content_items.review_state, 'closed', content_items.closed_at IS NOT NULL, \
                 'overdue', ({open} AND ((content_items.due_on IS NOT NULL AND content_items.due_on < $1) OR (content_items.planned_at IS NOT NULL AND content_items.planned_at < $2))), \
                 'tags', content_items.tags, 'custom', content_items.custom, \
                 'red_line_hits', content_items.red_line_hits, 'warnings', content_items.warnings, 'comments', content_items.comments, \
                 'version', content_items.version)"
            ),
            [DbValue::from(today), DbValue::from(now)],
        ),
    }
}

fn to_red_line(m: red_line::Model) -> RedLine {
    RedLine {
        id: m.id,
        severity: Severity::parse(&m.severity).unwrap_or_default(),
        exceptions: strings(&m.exceptions),
        phrase: m.phrase,
        note: m.note,
        builtin: m.builtin,
        enabled: m.enabled,
    }
}

fn to_comment(m: content_comment::Model, names: &HashMap<i64, String>) -> Comment {
    Comment {
        id: m.id,
        author_id: m.author_id,
        author_name: m.author_id.and_then(|a| names.get(&a).cloned()),
        mentions: serde_json::from_value(m.mentions).unwrap_or_default(),
        body: m.body,
        created_at: m.created_at,
    }
}
