//! Content items: create (one atomic call on SQLite), read, edit with field-level optimistic
//! concurrency, delete, drafts from a topic card, and the live check while typing.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use kox_domain::access::Role;
use kox_domain::content::{
    ContentAction, ContentChecks, ContentDraft, ContentItem, ContentPatch, LOCKED_FIELDS,
    ReviewState, Stage,
};
use kox_domain::custom_fields::FieldEntity;
use kox_domain::{AccountId, ContentId, UserId, WorkspaceId};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, FromQueryResult, QueryFilter, Set,
    Value as DbValue,
};
use serde_json::{Map, Value, json};

use super::{
    Context, check_context, column_end, compute_checks, load_context, on_board, permit, to_item,
};
use crate::Caller;
use crate::config::WorkspaceConfig;
use crate::custom_fields::check_values_with;
use crate::db::Tx;
use crate::dialect::{self, engine_of};
use crate::entities::content_item;
use crate::error::invalid;
use crate::events::{NewEvent, event_statement, json_of, record};
use crate::scoped;
use crate::versioning::{Loaded, Stamp, VersionedTable};
use crate::{Engine, Result, Store, StoreError};

fn created_event(ws: WorkspaceId, id: Option<i64>, d: &ContentDraft) -> NewEvent<'static> {
    NewEvent::change(ws, "content_item", id, "content.created").after(json!({
        "title": d.title, "stage": d.stage, "account_id": d.account_id,
    }))
}

fn new_item_model(
    ws: WorkspaceId,
    d: &ContentDraft,
    caller: &Caller,
    checks: &ContentChecks,
    position: f64,
    now: DateTime<Utc>,
) -> content_item::ActiveModel {
    let mut am = content_item::ActiveModel {
        workspace_id: Set(ws.0),
        stage: Set(d.stage.as_str().into()),
        position: Set(position),
        topic_id: Set(d.topic_id.map(|t| t.0)),
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
        comments: Set(0),
        created_by: Set(caller.user.map(|u| u.0)),
        version: Set(1),
        field_versions: Set(Value::Object(Map::new())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    fill(&mut am, d, checks);
    am
}

/// The item, its place at the end of its column, its first transition and its event as one
/// batch, for one round trip. The place is taken from the column's row first (`column_end`,
/// which returns it) and read by the INSERT (`dialect::written_value`). SQLite runs the
/// statements in order: the transition finds the item through `last_insert_rowid()`, the event
/// through the transition just written. PostgreSQL runs the batch as one statement
/// (`dialect::run_batch`): the later parts read the item from the INSERT's `RETURNING`, and the
/// last one, which returns the row, also notifies the other nodes.
fn create_batch(
    engine: Engine,
    ws: WorkspaceId,
    d: &ContentDraft,
    caller: &Caller,
    am: &content_item::ActiveModel,
    now: DateTime<Utc>,
) -> dialect::Batch {
    use sea_orm::{ActiveModelTrait as _, Iterable as _};
    // Part 0 takes the column's end, part 1 inserts the item.
    const ITEM: usize = 1;
    let mut columns = Vec::new();
    let mut values: Vec<Expr> = Vec::new();
    for c in content_item::Column::iter() {
        if matches!(c, content_item::Column::Id) {
            continue;
        }
        columns.push(c);
        values.push(if matches!(c, content_item::Column::Position) {
            dialect::written_value(
                engine,
                0,
                "last_position",
                "board_columns",
                "workspace_id = ? AND stage = ?",
                vec![ws.0.into(), d.stage.as_str().into()],
            )
        } else {
            Expr::val(am.get(c).into_value().unwrap_or(DbValue::String(None)))
        });
    }
    // `?` placeholders for either engine (`dialect::stmt` numbers them for PostgreSQL).
    let (insert_sql, insert_values) = Query::insert()
        .into_table(content_item::Entity)
        .columns(columns)
        .values_panic(values)
        .returning_all()
        .build(sea_orm::sea_query::SqliteQueryBuilder);
    let r = dialect::inserted_row(engine, ITEM, "content_transitions", "item_id");
    let transition = (
        format!(
            "INSERT INTO content_transitions (workspace_id, item_id, from_stage, to_stage, actor_id, created_at) SELECT ?, {}, NULL, ?, ?, ?{}",
            r.id_in_next, r.from_in_next
        ),
        vec![
            ws.0.into(),
            d.stage.as_str().into(),
            caller.user.map(|u| u.0).into(),
            now.into(),
        ],
    );
    let event = event_statement(caller, &created_event(ws, None, d), Some(&r.id_after));
    let mut batch = vec![
        column_end(ws, d.stage),
        (insert_sql, insert_values.0),
        transition,
        event,
    ];
    batch.extend(dialect::inserted_row_last(
        engine,
        ITEM,
        dialect::notify_statement(engine, Some(ws), "content_item"),
    ));
    batch
}

/// The new item from the rows of `create_batch`: the inserted row, which is the last row (on
/// SQLite the column's end comes before it).
fn item_from_create_rows(
    rows: &[sea_orm::QueryResult],
    checks: ContentChecks,
) -> Result<ContentItem> {
    let item = rows
        .last()
        .ok_or_else(|| crate::db::other("the create batch returned no row".into()))?;
    to_item(content_item::Model::from_query_result(item, "")?, checks)
}

/// The item's editable columns and the check summary stored with them (create and edit).
fn fill(am: &mut content_item::ActiveModel, d: &ContentDraft, checks: &ContentChecks) {
    am.title = Set(d.title.clone());
    am.body = Set(d.body.clone());
    am.account_id = Set(d.account_id.map(|a| a.0));
    am.campaign_id = Set(d.campaign_id.map(|c| c.0));
    am.hashtags = Set(json_of(&d.hashtags));
    am.media = Set(json!(d.media));
    am.assignee_id = Set(d.assignee_id.map(|u| u.0));
    am.due_on = Set(d.due_on);
    am.planned_at = Set(d.planned_at);
    am.grade = Set(d.grade.map(|g| g.as_str().to_owned()));
    am.tags = Set(json!(d.tags));
    am.custom = Set(Value::Object(d.custom.clone()));
    am.red_line_hits = Set(checks.blocking_hits());
    am.warnings = Set(checks.warnings());
}

/// An item edit: the permission table (stage, account ownership), fields frozen from review
/// on, references in the workspace, and the checks stored with the new text.
struct ContentEdit {
    me: UserId,
    /// Who acts (the notices an edit writes name them).
    caller: Caller,
    role: Role,
    cfg: Arc<WorkspaceConfig>,
    ws: WorkspaceId,
    id: ContentId,
    /// The item's stage, as loaded.
    stage: Stage,
    /// The new text's checks, from `check` for `write`.
    checks: ContentChecks,
}

impl VersionedTable for ContentEdit {
    type Draft = ContentDraft;
    type Record = ContentItem;
    type Row = content_item::Model;
    const ENTITY: &'static str = "content_item";
    const FIELDS: FieldEntity = FieldEntity::ContentItem;

    async fn load(&mut self, txn: &Tx, ws: WorkspaceId, id: i64) -> Result<Loaded<Self>> {
        let row = Store::lock_row(txn, ws, ContentId(id)).await?;
        let current = to_item(row.clone(), ContentChecks::default())?;
        let owns = Store::owns(txn, ws, row.account_id, self.me).await?;
        permit(
            txn,
            ws,
            self.role,
            ContentAction::Edit,
            current.stage,
            owns,
            row.account_id,
        )
        .await?;
        self.stage = current.stage;
        Ok(Loaded {
            draft: current.draft(),
            version: row.version,
            field_versions: row.field_versions.clone(),
            record: current,
            row,
        })
    }

    async fn custom_values(
        &self,
        txn: &Tx,
        ws: WorkspaceId,
        stored: &Map<String, Value>,
        input: &Map<String, Value>,
    ) -> Result<Map<String, Value>> {
        check_values_with(txn, ws, &self.cfg.fields, stored, input).await
    }

    async fn check(
        &mut self,
        txn: &Tx,
        ws: WorkspaceId,
        _before: &ContentDraft,
        next: &ContentDraft,
        changed: &[&'static str],
    ) -> Result<()> {
        if self.stage.content_locked()
            && let Some(f) = changed.iter().find(|f| LOCKED_FIELDS.contains(f))
        {
            return Err(invalid(
                *f,
                "content.locked",
                "title, body, hashtags, media, account and campaign are frozen from review on; withdraw or pull the item back to 稿件 to change them",
            ));
        }
        if self.stage != Stage::Topic && next.account_id.is_none() {
            return Err(invalid(
                "account_id",
                "content.account_required",
                "from 稿件 on an item belongs to one account",
            ));
        }
        let ctx = load_context(txn, ws, self.me, next.account_id, next.campaign_id).await?;
        check_context(next, &ctx, changed.contains(&"account_id"))?;
        // Moving an item to another account needs the same right on the new account.
        if changed.contains(&"account_id") {
            permit(
                txn,
                ws,
                self.role,
                ContentAction::Edit,
                self.stage,
                ctx.owns,
                next.account_id.map(|a| a.0),
            )
            .await?;
        }
        if changed.contains(&"assignee_id") {
            Store::check_people(txn, ws, next).await?;
        }
        // A new publish time is checked against the schedule rules: a blocking conflict
        // refuses the edit with every reason; warnings let it through (the calendar shows them).
        if changed.contains(&"planned_at")
            && let Some(at) = next.planned_at
            && !matches!(self.stage, Stage::Retro | Stage::Cancelled)
        {
            let conflicts =
                crate::calendar::edit_conflicts(txn, ws, &self.cfg, self.id.0, next, at).await?;
            if kox_domain::calendar::conflicts::blocking(&conflicts) {
                return Err(crate::calendar::refusal(&conflicts));
            }
        }
        self.checks = compute_checks(&self.cfg, next, &ctx);
        Ok(())
    }

    async fn write(
        &mut self,
        txn: &Tx,
        _ws: WorkspaceId,
        row: content_item::Model,
        next: &ContentDraft,
        _changed: &[&'static str],
        stamp: Stamp,
    ) -> Result<ContentItem> {
        let before = (row.assignee_id.map(UserId), row.planned_at);
        let mut am: content_item::ActiveModel = row.into();
        fill(&mut am, next, &self.checks);
        am.version = Set(stamp.version);
        am.field_versions = Set(stamp.field_versions);
        am.updated_at = Set(stamp.at);
        let item = to_item(am.update(txn).await?, std::mem::take(&mut self.checks))?;
        super::notices::item_written(
            txn,
            &self.caller,
            self.ws,
            &self.cfg.time_zone,
            Some(before),
            &item,
        )
        .await?;
        Ok(item)
    }

    fn action(&self, _: &ContentDraft, _: &ContentDraft, _: &[&'static str]) -> &'static str {
        "content.updated"
    }

    async fn unchanged(&self, store: &Store, _record: ContentItem) -> Result<ContentItem> {
        // The stored check summary may predate a red-line change: answer with fresh checks.
        store.get_content(self.ws, self.id).await
    }
}

impl Store {
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

    pub async fn get_content(&self, ws: WorkspaceId, id: ContentId) -> Result<ContentItem> {
        let m = scoped::by_id::<content_item::Entity>(ws, id.0)
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
        caller: &Caller,
        ws: WorkspaceId,
        draft: ContentDraft,
    ) -> Result<ContentItem> {
        let (me, _) = on_board(caller)?;
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
        // Everything the write needs is read first (the configuration is cached); the write
        // itself is one atomic unit with as few round trips as the engine allows.
        // An item that someone else is assigned to or that has a publish time tells people and
        // queues its reminder, in the create's own transaction (the outbox).
        if d.planned_at.is_some() || d.assignee_id.is_some_and(|a| Some(a) != caller.user) {
            let txn = self.begin().await?;
            let planned = d.planned_at;
            let item = self.create_in(&txn, &cfg, caller, ws, d).await?;
            // A new item with a publish time meets the schedule rules as a move would (the
            // transaction is dropped, so a refused item is not written).
            if let Some(at) = planned {
                let conflicts =
                    crate::calendar::edit_conflicts(&txn, ws, &cfg, item.id.0, &item.draft(), at)
                        .await?;
                if kox_domain::calendar::conflicts::blocking(&conflicts) {
                    return Err(crate::calendar::refusal(&conflicts));
                }
            }
            super::notices::item_written(&txn, caller, ws, &cfg.time_zone, None, &item).await?;
            self.commit(txn).await?;
            return Ok(item);
        }
        let ctx = cfg.context(me, d.account_id, d.campaign_id);
        let (d, checks) = self
            .prepare_create(&self.read, &cfg, ws, caller, d, Some(ctx))
            .await?;
        let now = Utc::now();
        let am = new_item_model(ws, &d, caller, &checks, 0.0, now);
        let rows = self
            .write_atomic(
                "content_item",
                create_batch(self.engine(), ws, &d, caller, &am, now),
            )
            .await?;
        item_from_create_rows(&rows, checks)
    }

    /// Checks a new item against the workspace (account, campaign, topic card, assignee, custom
    /// fields) and the permission table, reading through `db`; returns the draft with its custom
    /// values normalised and the item's checks.
    async fn prepare_create(
        &self,
        db: &impl ConnectionTrait,
        cfg: &WorkspaceConfig,
        ws: WorkspaceId,
        caller: &Caller,
        mut d: ContentDraft,
        cached: Option<Context>,
    ) -> Result<(ContentDraft, ContentChecks)> {
        let (me, role) = on_board(caller)?;
        let ctx = match cached {
            Some(c) => c,
            None => load_context(db, ws, me, d.account_id, d.campaign_id).await?,
        };
        check_context(&d, &ctx, true)?;
        permit(
            db,
            ws,
            role,
            ContentAction::Create,
            d.stage,
            ctx.owns,
            d.account_id.map(|a| a.0),
        )
        .await?;
        if let Some(t) = d.topic_id
            && Self::load_row(db, ws, t).await.is_err()
        {
            return Err(invalid(
                "topic_id",
                "content.topic_required",
                "there is no such topic card in this workspace",
            ));
        }
        Self::check_people(db, ws, &d).await?;
        d.custom = check_values_with(db, ws, &cfg.fields, &Map::new(), &d.custom).await?;
        let checks = compute_checks(cfg, &d, &ctx);
        Ok((d, checks))
    }

    /// Inserts one item inside the caller's transaction.
    async fn create_in(
        &self,
        txn: &Tx,
        cfg: &WorkspaceConfig,
        caller: &Caller,
        ws: WorkspaceId,
        d: ContentDraft,
    ) -> Result<ContentItem> {
        let (d, checks) = self.prepare_create(txn, cfg, ws, caller, d, None).await?;
        let now = Utc::now();
        let am = new_item_model(ws, &d, caller, &checks, 0.0, now);
        txn.note_change("content_item");
        let rows =
            dialect::run_batch(txn, create_batch(engine_of(txn), ws, &d, caller, &am, now)).await?;
        item_from_create_rows(&rows, checks)
    }

    /// Inserts an item KOX makes by itself (a coordination wave's follow-up) inside the
    /// caller's transaction: no member's permissions apply; the draft is validated and its
    /// account and campaign were read from this workspace by the caller.
    pub(crate) async fn insert_by_system(
        txn: &Tx,
        cfg: &WorkspaceConfig,
        ws: WorkspaceId,
        d: ContentDraft,
    ) -> Result<ContentItem> {
        let caller = Caller::system();
        let d = d.validate()?;
        let ctx = cfg.context(UserId(-1), d.account_id, d.campaign_id);
        let checks = compute_checks(cfg, &d, &ctx);
        let now = Utc::now();
        let am = new_item_model(ws, &d, &caller, &checks, 0.0, now);
        txn.note_change("content_item");
        let rows = dialect::run_batch(txn, create_batch(engine_of(txn), ws, &d, &caller, &am, now))
            .await?;
        let item = item_from_create_rows(&rows, checks)?;
        super::notices::sync_reminder(txn, ws, item.id.0, item.stage, item.planned_at).await?;
        Ok(item)
    }

    /// Assignee and person custom fields must be members.
    async fn check_people(
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

    /// Applies a patch with field-level optimistic concurrency. Content fields are frozen from
    /// review on.
    pub async fn update_content(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: ContentId,
        patch: ContentPatch,
    ) -> Result<ContentItem> {
        let (me, role) = on_board(caller)?;
        let mut edit = ContentEdit {
            me,
            caller: caller.clone(),
            role,
            cfg: self.workspace_config(ws).await?,
            ws,
            id,
            stage: Stage::Topic,
            checks: ContentChecks::default(),
        };
        self.update_versioned(caller, ws, id.0, patch, &mut edit)
            .await
    }

    /// Deletes an item that never left 选题/稿件 (afterwards items are cancelled, not deleted:
    /// their review and publishing records stay).
    pub async fn delete_content(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: ContentId,
    ) -> Result<()> {
        let txn = self.begin().await?;
        let (row, stage) = Self::lock_for(&txn, ws, id, caller, ContentAction::Delete).await?;
        if !matches!(stage, Stage::Topic | Stage::Draft) || row.review_round > 0 {
            return Err(invalid(
                "stage",
                "content.not_in_stage",
                "only items that were never reviewed can be deleted; cancel this one instead",
            ));
        }
        scoped::delete_in::<content_item::Entity>(ws)
            .filter(content_item::Column::Id.eq(id.0))
            .exec(&txn)
            .await?;
        super::notices::sync_reminder(&txn, ws, id.0, Stage::Cancelled, None).await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "content_item", Some(id.0), "content.deleted")
                .before(json!({"title": row.title, "stage": row.stage})),
        )
        .await?;
        self.commit(txn).await
    }

    /// One draft per account from a topic card; the topic stays in 选题 for more.
    pub async fn create_drafts_from_topic(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
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
                .create_in(&txn, &cfg, caller, ws, d)
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
}
