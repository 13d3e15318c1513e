//! The event log: every change writes a row in the same transaction as the change. It feeds
//! each entity's activity feed and the admins' audit log (which also shows members' logins).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kox_domain::members::Event;
use kox_domain::{UserId, WorkspaceId};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;

use crate::Caller;
use crate::db::Tx;
use crate::dialect;
use crate::entities::{account, event, member, user};
use crate::scoped;
use crate::{Result, Store};

pub(crate) struct NewEvent<'a> {
    pub workspace_id: Option<WorkspaceId>,
    pub subject: Option<UserId>,
    pub entity_type: &'a str,
    pub entity_id: Option<i64>,
    pub action: &'a str,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl<'a> NewEvent<'a> {
    /// A change to an entity of a workspace.
    pub(crate) fn change(
        ws: WorkspaceId,
        entity_type: &'a str,
        entity_id: Option<i64>,
        action: &'a str,
    ) -> Self {
        Self {
            workspace_id: Some(ws),
            subject: None,
            entity_type,
            entity_id,
            action,
            before: None,
            after: None,
        }
    }

    /// A change to a user's own things (profile, password, tokens), outside any workspace.
    pub(crate) fn personal(
        user: UserId,
        entity_type: &'a str,
        entity_id: Option<i64>,
        action: &'a str,
    ) -> Self {
        Self {
            workspace_id: None,
            subject: Some(user),
            entity_type,
            entity_id,
            action,
            before: None,
            after: None,
        }
    }

    /// The person the change is about (a member whose role changed, a token's owner).
    pub(crate) fn subject(mut self, user: UserId) -> Self {
        self.subject = Some(user);
        self
    }

    pub(crate) fn before(mut self, v: Value) -> Self {
        self.before = Some(v);
        self
    }

    pub(crate) fn after(mut self, v: Value) -> Self {
        self.after = Some(v);
        self
    }
}

/// A record as JSON for an event's before/after.
pub(crate) fn json_of<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or_default()
}

pub(crate) async fn record(txn: &Tx, caller: &Caller, ev: NewEvent<'_>) -> Result<()> {
    write_with_event(txn, caller, ev, Vec::new()).await
}

/// The event row outside a store transaction: only for events no cache depends on (sign-ins).
async fn insert_event(db: &impl ConnectionTrait, caller: &Caller, ev: NewEvent<'_>) -> Result<()> {
    let mut batch = vec![event_statement(caller, &ev, None)];
    batch.extend(dialect::notify_statement(
        dialect::engine_of(db),
        ev.workspace_id,
        ev.entity_type,
    ));
    dialect::run_batch(db, batch).await?;
    Ok(())
}

/// The event row as an INSERT with `?` placeholders (SQLite batches). `entity_id_sql`, if given,
/// is an SQL expression of this crate for the entity id (e.g. the row the batch just inserted).
pub(crate) fn event_statement(
    caller: &Caller,
    ev: &NewEvent<'_>,
    entity_id_sql: Option<&str>,
) -> (String, Vec<sea_orm::Value>) {
    let mut values: Vec<sea_orm::Value> = vec![
        ev.workspace_id.map(|w| w.0).into(),
        caller.user.map(|u| u.0).into(),
        ev.subject.map(|u| u.0).into(),
        ev.entity_type.into(),
    ];
    if entity_id_sql.is_none() {
        values.push(ev.entity_id.into());
    }
    values.extend([
        ev.action.into(),
        ev.before.clone().into(),
        ev.after.clone().into(),
        caller.ip.clone().into(),
        Utc::now().into(),
    ]);
    (
        format!(
            "INSERT INTO events (workspace_id, actor_id, subject_user_id, entity_type, entity_id, action, before, after, ip, created_at) VALUES (?, ?, ?, ?, {}, ?, ?, ?, ?, ?)",
            entity_id_sql.unwrap_or("?")
        ),
        values,
    )
}

/// Writes `batch` (statements with `?` placeholders), the event and, on PostgreSQL, the
/// notification to other nodes, in the caller's transaction and as one round trip (see
/// `dialect::run_batch`: the statements must not read each other's effects).
pub(crate) async fn write_with_event(
    txn: &Tx,
    caller: &Caller,
    ev: NewEvent<'_>,
    mut batch: dialect::Batch,
) -> Result<()> {
    txn.note_change(ev.entity_type);
    batch.push(event_statement(caller, &ev, None));
    batch.extend(dialect::notify_statement(
        dialect::engine_of(txn),
        ev.workspace_id,
        ev.entity_type,
    ));
    dialect::run_batch(txn, batch).await?;
    Ok(())
}

/// Many events of one kind in one statement (an import's accounts), in the caller's
/// transaction, with the notification to other nodes.
pub(crate) async fn record_many(txn: &Tx, caller: &Caller, evs: &[NewEvent<'_>]) -> Result<()> {
    let Some(first) = evs.first() else {
        return Ok(());
    };
    for ev in evs {
        txn.note_change(ev.entity_type);
    }
    // 10 values a row; PostgreSQL takes at most 65,535 in one statement.
    for part in evs.chunks(2000) {
        let mut sql = String::new();
        let mut values = Vec::with_capacity(part.len() * 10);
        for ev in part {
            let (stmt, v) = event_statement(caller, ev, None);
            if sql.is_empty() {
                sql = stmt;
            } else {
                let row = &stmt[stmt.find(" VALUES ").map_or(0, |i| i + 8)..];
                sql.push_str(", ");
                sql.push_str(row);
            }
            values.extend(v);
        }
        let mut batch = vec![(sql, values)];
        batch.extend(dialect::notify_statement(
            dialect::engine_of(txn),
            first.workspace_id,
            first.entity_type,
        ));
        dialect::run_batch(txn, batch).await?;
    }
    Ok(())
}

/// A name for the record an event's snapshot describes (its title, name, label …), for records
/// that are gone or have no id (platforms are known by their code).
fn snapshot_name(v: Option<&Value>) -> Option<String> {
    let o = v?.as_object()?;
    if let Some(h) = o.get("handle").and_then(Value::as_str) {
        return Some(format!("@{h}"));
    }
    [
        "title",
        "name",
        "label",
        "phrase",
        "email",
        "file_name",
        "code",
    ]
    .iter()
    .find_map(|k| o.get(*k).and_then(Value::as_str))
    .filter(|s| !s.is_empty())
    .map(str::to_owned)
}

/// The channel other `kox serve` instances on the same PostgreSQL database listen on.
pub(crate) const CHANNEL: &str = "kox_events";

#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    /// One entity's activity; `None` is the whole audit log.
    pub entity: Option<(String, i64)>,
    /// Keyset pagination: events with an id below this one.
    pub before: Option<i64>,
    pub action: Option<String>,
    /// Only what this person did.
    pub actor: Option<UserId>,
    /// Only events at or after this moment …
    pub since: Option<DateTime<Utc>>,
    /// … and before this one.
    pub until: Option<DateTime<Utc>>,
    pub limit: u64,
}

impl Store {
    /// A workspace's events after `after` (oldest first), for event streams.
    pub async fn events_after(
        &self,
        ws: WorkspaceId,
        after: i64,
        limit: u64,
    ) -> Result<Vec<Event>> {
        let rows = scoped::in_ws::<event::Entity>(ws)
            .filter(event::Column::Id.gt(after))
            .order_by_asc(event::Column::Id)
            .limit(limit.clamp(1, 1000))
            .all(&self.read)
            .await?;
        self.with_actor_names(rows).await
    }

    /// The id of a workspace's newest event (0 when there is none).
    pub async fn last_event_id(&self, ws: WorkspaceId) -> Result<i64> {
        Ok(scoped::in_ws::<event::Entity>(ws)
            .order_by_desc(event::Column::Id)
            .one(&self.read)
            .await?
            .map_or(0, |e| e.id))
    }

    /// Newest first. The audit log (no entity) includes auth events of the workspace's members.
    pub async fn list_events(&self, ws: WorkspaceId, q: &EventQuery) -> Result<Vec<Event>> {
        let mut cond = Condition::all();
        if let Some((ty, id)) = &q.entity {
            cond = cond
                .add(event::Column::WorkspaceId.eq(ws.0))
                .add(event::Column::EntityType.eq(ty.as_str()))
                .add(event::Column::EntityId.eq(*id));
        } else {
            // A member's personal events (sign-ins, sessions, tokens) from the moment they
            // joined this workspace: what they did before, or while only in another
            // workspace, is not this workspace's business.
            let joined_before = Query::select()
                .expr(Expr::val(1))
                .from(member::Entity)
                .and_where(member::Column::WorkspaceId.eq(ws.0))
                .and_where(
                    Expr::col((member::Entity, member::Column::UserId))
                        .equals((event::Entity, event::Column::SubjectUserId)),
                )
                .and_where(
                    Expr::col((member::Entity, member::Column::CreatedAt))
                        .lte(Expr::col((event::Entity, event::Column::CreatedAt))),
                )
                .to_owned();
            cond = cond.add(
                Condition::any()
                    .add(event::Column::WorkspaceId.eq(ws.0))
                    .add(
                        Condition::all()
                            .add(event::Column::WorkspaceId.is_null())
                            .add(Expr::exists(joined_before)),
                    ),
            );
        }
        if q.entity.is_none() {
            // A member's inbox changes are theirs, not the workspace's history.
            cond =
                cond.add(event::Column::EntityType.ne(crate::notifications::NOTIFICATION_ENTITY));
        }
        if let Some(b) = q.before {
            cond = cond.add(event::Column::Id.lt(b));
        }
        if let Some(a) = &q.action {
            cond = cond.add(event::Column::Action.eq(a.as_str()));
        }
        if let Some(u) = q.actor {
            cond = cond.add(event::Column::ActorId.eq(u.0));
        }
        if let Some(t) = q.since {
            cond = cond.add(event::Column::CreatedAt.gte(t));
        }
        if let Some(t) = q.until {
            cond = cond.add(event::Column::CreatedAt.lt(t));
        }
        let rows = scoped::install_wide::<event::Entity>()
            .filter(cond)
            .order_by_desc(event::Column::Id)
            .limit(q.limit.clamp(1, 200))
            .all(&self.read)
            .await?;
        let names = self.entity_names(ws, &rows).await?;
        let mut events = self.with_actor_names(rows).await?;
        for e in &mut events {
            e.entity_name = names
                .get(&(e.entity_type.clone(), e.entity_id.unwrap_or_default()))
                .cloned()
                .or_else(|| {
                    snapshot_name(e.after.as_ref()).or_else(|| snapshot_name(e.before.as_ref()))
                });
        }
        Ok(events)
    }

    /// The current names of the records these events are about, by (entity type, id): a
    /// content item's title, an account's handle, a member's name … A record that is gone
    /// (a deleted red line) has none here; its event's snapshot names it.
    async fn entity_names(
        &self,
        ws: WorkspaceId,
        rows: &[event::Model],
    ) -> Result<HashMap<(String, i64), String>> {
        use crate::entities::{
            api_token, campaign, content_item, custom_field, import, invitation, red_line,
            workspace,
        };
        let ids_of = |ty: &str| -> Vec<i64> {
            let mut ids: Vec<i64> = rows
                .iter()
                .filter(|r| r.entity_type == ty)
                .filter_map(|r| r.entity_id)
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        let mut out = HashMap::new();
        // One query per kind of record the page names, each reading only ids and names, through
        // the workspace's rows (`in_ws`) or the installation's (`install_wide`: people, tokens).
        macro_rules! names {
            ($ty:literal, $m:ident, $col:ident, $from:expr) => {{
                let ids = ids_of($ty);
                if !ids.is_empty() {
                    let found: Vec<(i64, String)> = $from
                        .filter($m::Column::Id.is_in(ids))
                        .select_only()
                        .column($m::Column::Id)
                        .column($m::Column::$col)
                        .into_tuple()
                        .all(&self.read)
                        .await?;
                    out.extend(found.into_iter().map(|(id, n)| (($ty.to_owned(), id), n)));
                }
            }};
        }
        macro_rules! names_in_ws {
            ($ty:literal, $m:ident, $col:ident) => {
                names!($ty, $m, $col, scoped::in_ws::<$m::Entity>(ws))
            };
        }
        macro_rules! names_install_wide {
            ($ty:literal, $m:ident, $col:ident) => {
                names!($ty, $m, $col, scoped::install_wide::<$m::Entity>())
            };
        }
        names_in_ws!("content_item", content_item, Title);
        names_in_ws!("campaign", campaign, Name);
        names_in_ws!("custom_field", custom_field, Label);
        names_in_ws!("red_line", red_line, Phrase);
        names_in_ws!("invitation", invitation, Email);
        names_in_ws!("import", import, FileName);
        names_install_wide!("member", user, Name);
        names_install_wide!("user", user, Name);
        names_install_wide!("api_token", api_token, Name);
        names_install_wide!("workspace", workspace, Name);
        names_in_ws!("account", account, Handle);
        for ((ty, _), name) in &mut out {
            if ty == "account" {
                name.insert(0, '@');
            }
        }
        Ok(out)
    }

    async fn with_actor_names(&self, rows: Vec<event::Model>) -> Result<Vec<Event>> {
        let mut ids: Vec<i64> = rows.iter().filter_map(|r| r.actor_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let names: HashMap<i64, String> = if ids.is_empty() {
            HashMap::default()
        } else {
            scoped::install_wide::<user::Entity>()
                .filter(user::Column::Id.is_in(ids))
                .all(&self.read)
                .await?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect()
        };
        Ok(rows
            .into_iter()
            .map(|r| Event {
                id: r.id,
                actor_id: r.actor_id.map(UserId),
                actor_name: r.actor_id.and_then(|a| names.get(&a).cloned()),
                entity_type: r.entity_type,
                entity_id: r.entity_id,
                action: r.action,
                before: r.before,
                after: r.after,
                ip: r.ip,
                created_at: r.created_at,
                entity_name: None,
            })
            .collect())
    }

    /// An event outside any workspace change: logins, failed logins, token use.
    pub async fn record_auth_event(
        &self,
        caller: &Caller,
        subject: Option<UserId>,
        action: &str,
        detail: Option<Value>,
    ) -> Result<()> {
        insert_event(
            &self.write,
            caller,
            NewEvent {
                workspace_id: None,
                subject,
                entity_type: "user",
                entity_id: subject.map(|s| s.0),
                action,
                before: None,
                after: detail,
            },
        )
        .await
    }
}
