//! The SOP board in the store: content items and what happens to them, one module per concern
//! (items, moves, review, publishing, comments, the board view, the first-pass report). This
//! file holds what they share: reading an item row, the check context, locks and the one
//! column writer. Permission rules come from `kox_domain::content::may`; they are applied
//! inside each write's transaction, because they depend on account ownership.

mod allowed;
mod board;
mod comments;
mod first_pass;
mod items;
mod moves;
pub(crate) mod notices;
mod publish;
mod review;

pub use board::BoardFilter;
pub use first_pass::FirstPassBy;
pub use notices::{REMINDER_LEAD, next_morning};
pub use review::ReviewAction;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kox_domain::access::Role;
use kox_domain::campaigns::Hashtag;
use kox_domain::content::checks::{self, CheckInput};
use kox_domain::content::{
    self as c, Allowed, ContentAction, ContentChecks, ContentDraft, ContentItem, Grade,
    ReviewState, Stage,
};
use kox_domain::{AccountId, CampaignId, ContentId, UserId, WorkspaceId};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, FromQueryResult, QueryFilter, QuerySelect, Value as DbValue,
};
use serde_json::{Map, Value};

use crate::Caller;
use crate::config::WorkspaceConfig;
use crate::db::Tx;
use crate::dialect::{self, engine_of, stmt};
use crate::entities::{content_item, user};
use crate::error::invalid;
use crate::scoped;
use crate::{Result, Store, StoreError};

/// The member behind a board call (its rules need both a person and a role); the system and
/// callers outside a workspace are refused.
fn on_board(caller: &Caller) -> Result<(UserId, Role)> {
    caller.acting_member().ok_or(StoreError::Forbidden)
}

fn corrupt(what: &str, v: &str) -> StoreError {
    crate::db::other(format!("stored {what} {v:?} is not a known value"))
}

fn stage_of(s: &str) -> Result<Stage> {
    Stage::parse(s).ok_or_else(|| corrupt("stage", s))
}

pub(crate) fn strings(v: &Value) -> Vec<String> {
    serde_json::from_value(v.clone()).unwrap_or_default()
}

pub(crate) fn hashtags(v: &Value) -> Vec<Hashtag> {
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
        allowed: Allowed::default(),
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

/// The row of `board_columns` for (workspace, stage), made from the column's cards if it does
/// not exist yet (values: workspace, stage, workspace, stage). The completions below say what
/// happens when it exists.
const COLUMN_ROW: &str = "INSERT INTO board_columns (workspace_id, stage, last_position) \
     VALUES (?, ?, (SELECT COALESCE(MAX(p.position) + 1024, 0) FROM content_items p WHERE p.workspace_id = ? AND p.stage = ?)) \
     ON CONFLICT (workspace_id, stage) DO UPDATE SET last_position = ";

fn column_values(ws: WorkspaceId, stage: Stage) -> Vec<DbValue> {
    vec![
        ws.0.into(),
        stage.as_str().into(),
        ws.0.into(),
        stage.as_str().into(),
    ]
}

/// The statement that gives out the next place at the end of a column and returns it
/// (`last_position`): one step past the last one given out, and past every card in the column
/// (so cards placed before the row existed, or by an older KOX, stay before it). On PostgreSQL
/// the update waits for a transaction holding the column (`Store::lock_column`) and then reads
/// the row as that one committed it, so two cards never get the same place and a create needs
/// no lock of its own.
fn column_end(ws: WorkspaceId, stage: Stage) -> (String, Vec<DbValue>) {
    (
        format!(
            "{COLUMN_ROW}CASE WHEN board_columns.last_position + 1024 > excluded.last_position \
             THEN board_columns.last_position + 1024 ELSE excluded.last_position END RETURNING last_position"
        ),
        column_values(ws, stage),
    )
}

/// The statement that records `position` as given out in the column when it lies past the
/// column's end (a move to the bottom, a renumbered column), so the next card placed at the end
/// goes after it. Written while the column is locked; `position` is past every card in it.
fn column_reached(ws: WorkspaceId, stage: Stage, position: f64) -> (String, Vec<DbValue>) {
    (
        "INSERT INTO board_columns (workspace_id, stage, last_position) VALUES (?, ?, ?) \
         ON CONFLICT (workspace_id, stage) DO UPDATE SET last_position = \
         CASE WHEN board_columns.last_position > excluded.last_position \
         THEN board_columns.last_position ELSE excluded.last_position END"
            .into(),
        vec![ws.0.into(), stage.as_str().into(), position.into()],
    )
}

/// `may`, or its refusal in terms of the work (`refusal`): an operator hears that they do not
/// own the item's account, named by its handle; the content hub that it works in 选题 and 稿件.
pub(super) async fn permit(
    db: &impl ConnectionTrait,
    ws: WorkspaceId,
    role: Role,
    action: ContentAction,
    stage: Stage,
    owns: bool,
    account: Option<i64>,
) -> Result<()> {
    let mut params = Map::new();
    match c::refusal(role, action, stage, owns) {
        None => Ok(()),
        Some(c::Refusal::Role) => Err(StoreError::Forbidden),
        Some(c::Refusal::NotAccountOwner) => {
            let handle = match account {
                Some(a) => scoped::by_id::<crate::entities::account::Entity>(ws, a)
                    .one(db)
                    .await?
                    .map(|m| m.handle),
                None => None,
            };
            // Without an account of theirs there is no handle to name: the item is none of theirs.
            let message = match handle {
                Some(h) => {
                    let m = format!("you are not an owner of the account @{h}");
                    params.insert("handle".into(), h.into());
                    m
                }
                None => "this item is on none of your accounts; operators work on the items of the accounts they own".into(),
            };
            Err(StoreError::Refused {
                code: "content.not_account_owner",
                message,
                field: Some("account_id"),
                params,
            })
        }
        Some(c::Refusal::HubStagesOnly) => {
            // A move names where it would go; anything else the stage the item is in.
            let at = match action {
                ContentAction::Move { to }
                    if !matches!(stage, Stage::Review | Stage::Publish | Stage::Retro) =>
                {
                    to
                }
                _ => stage,
            };
            params.insert("stage".into(), at.as_str().into());
            Err(StoreError::Refused {
                code: "content.hub_stages_only",
                message: format!(
                    "the content hub works on topics and drafts, not in {}",
                    at.as_str()
                ),
                field: Some("stage"),
                params,
            })
        }
    }
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
    caller: &Caller,
    now: DateTime<Utc>,
) -> (String, Vec<DbValue>) {
    (
        "INSERT INTO content_transitions (workspace_id, item_id, from_stage, to_stage, actor_id, created_at) VALUES (?, ?, ?, ?, ?, ?)".into(),
        vec![
            ws.0.into(),
            item.into(),
            from.map(|s| s.as_str().to_owned()).into(),
            to.as_str().into(),
            caller.user.map(|u| u.0).into(),
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
    caller: &Caller,
    now: DateTime<Utc>,
) -> Result<()> {
    let (sql, values) = transition_statement(ws, item, from, to, caller, now);
    db.execute_raw(stmt(engine_of(db), &sql, values)).await?;
    Ok(())
}

impl Store {
    pub(super) async fn load_row(
        db: &impl ConnectionTrait,
        ws: WorkspaceId,
        id: ContentId,
    ) -> Result<content_item::Model> {
        scoped::by_id::<content_item::Entity>(ws, id.0)
            .one(db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The item's row, locked until the transaction ends (PostgreSQL; SQLite's one writer
    /// already serialises), so concurrent writes to one item apply one after the other.
    pub(super) async fn lock_row(
        txn: &Tx,
        ws: WorkspaceId,
        id: ContentId,
    ) -> Result<content_item::Model> {
        scoped::by_id::<content_item::Entity>(ws, id.0)
            .lock_exclusive()
            .one(txn)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The item's row locked for this write, after the permission table allowed `action` to
    /// this member (which needs the item's stage and whether they own its account).
    pub(super) async fn lock_for(
        txn: &Tx,
        ws: WorkspaceId,
        id: ContentId,
        caller: &Caller,
        action: ContentAction,
    ) -> Result<(content_item::Model, Stage)> {
        let (me, role) = on_board(caller)?;
        let row = Self::lock_row(txn, ws, id).await?;
        let stage = stage_of(&row.stage)?;
        let owns = Self::owns(txn, ws, row.account_id, me).await?;
        permit(txn, ws, role, action, stage, owns, row.account_id).await?;
        Ok((row, stage))
    }

    /// Serialises position changes within one column on PostgreSQL: two moves to the top of a
    /// column must not both read the same first position, and a card placed at the end by a
    /// create (`column_end`) waits until the column's positions are committed. The lock is the
    /// column's `board_columns` row. SQLite's one writer already serialises.
    pub(super) async fn lock_column(txn: &Tx, ws: WorkspaceId, stage: Stage) -> Result<()> {
        dialect::lock_rows(
            txn,
            &format!("{COLUMN_ROW}excluded.last_position WHERE false"),
            column_values(ws, stage),
        )
        .await
    }

    /// The next place at the end of a column (`column_end`); on PostgreSQL the column stays
    /// locked until the transaction ends.
    pub(super) async fn take_column_end(txn: &Tx, ws: WorkspaceId, stage: Stage) -> Result<f64> {
        let (sql, values) = column_end(ws, stage);
        let row = txn
            .query_one_raw(stmt(engine_of(txn), &sql, values))
            .await?
            .ok_or_else(|| crate::db::other("the column's end was not returned".into()))?;
        Ok(row.try_get::<f64>("", "last_position")?)
    }

    pub(super) async fn owns(
        db: &impl ConnectionTrait,
        ws: WorkspaceId,
        account: Option<i64>,
        user: UserId,
    ) -> Result<bool> {
        let Some(a) = account else { return Ok(false) };
        let n = scoped::in_ws::<crate::entities::account_owner::Entity>(ws)
            .filter(crate::entities::account_owner::Column::AccountId.eq(a))
            .filter(crate::entities::account_owner::Column::UserId.eq(user.0))
            .one(db)
            .await?;
        Ok(n.is_some())
    }

    pub(super) async fn update_item_columns(
        &self,
        txn: &Tx,
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
                let end = Self::take_column_end(txn, ws, stage_of(stage)?).await?;
                q.value(content_item::Column::Position, Expr::val(end));
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

    pub(super) async fn user_names(
        &self,
        ids: impl Iterator<Item = i64>,
    ) -> Result<HashMap<i64, String>> {
        let mut ids: Vec<i64> = ids.collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        Ok(scoped::install_wide::<user::Entity>()
            .filter(user::Column::Id.is_in(ids))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect())
    }
}
