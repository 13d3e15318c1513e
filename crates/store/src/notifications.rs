//! Notifications: the outbox (`notify`, called in the transaction of the change that causes
//! it), the member's list and unread count, channels, rules, preferences and the delivery log.
//! A notice becomes, in that one transaction: a notification row per recipient who wants it in
//! KOX (and an event that carries their unread count to their open streams), an e-mail
//! delivery per recipient who chose e-mail (held past their quiet period), and one delivery per
//! channel whose rule matches; each delivery gets a `deliver` job. A rollback leaves none of
//! them; a crash after the commit loses none.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use kox_domain::accounts::Tier;
use kox_domain::jobs::JobKind;
use kox_domain::notifications::{
    self as n, Attempt, Channel, ChannelDraft, ChannelKind, ChannelPatch, Delivery, DeliveryStatus,
    MarkRead, Message, Notification, NotificationKind, NotificationPage, Preferences, Rule,
    RuleDraft, RulePatch, Subject, UnreadCount,
};
use kox_domain::{UserId, WorkspaceId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Set,
};
use serde_json::{Value, json};

use crate::Caller;
use crate::db::Tx;
use crate::entities::{
    account, campaign, delivery, member, notification, notification_channel,
    notification_preference, notification_rule, user,
};
use crate::error::invalid;
use crate::events::{NewEvent, record_many};
use crate::jobs::{self, NewJob};
use crate::scoped;
use crate::{Result, Store, StoreError};

/// Something to tell people, as the change that causes it describes it.
#[derive(Debug, Clone)]
pub(crate) struct Notice {
    pub kind: NotificationKind,
    pub recipients: Vec<UserId>,
    /// Who caused it; never told about their own action.
    pub actor: Option<UserId>,
    /// The content item it is about: id, title, account, campaign.
    pub item: Option<ItemRef>,
    /// The subject's name when there is no item (a digest: "3 项逾期").
    pub title: String,
    /// The kind's facts for the UI's text (`decision`, `reason`, `comment`, `planned_at` …).
    pub data: Value,
    /// Extra lines for group messages, after the item's account and the actor.
    pub lines: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct ItemRef {
    pub id: i64,
    pub title: String,
    pub account_id: Option<i64>,
    pub campaign_id: Option<i64>,
}

fn kinds_json(kinds: &[NotificationKind]) -> Value {
    json!(kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>())
}

fn kinds_of(v: &Value) -> Vec<NotificationKind> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|k| k.as_str().and_then(NotificationKind::parse))
                .collect()
        })
        .unwrap_or_default()
}

fn ids_of(v: &Value) -> Vec<i64> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default()
}

fn tiers_of(v: &Value) -> Vec<Tier> {
    serde_json::from_value(v.clone()).unwrap_or_default()
}

fn prefs_of(v: &Value) -> Preferences {
    serde_json::from_value(v.clone()).unwrap_or_default()
}

fn to_rule(m: &notification_rule::Model) -> Rule {
    Rule {
        id: m.id,
        channel_id: m.channel_id,
        kinds: kinds_of(&m.kinds),
        campaign_ids: ids_of(&m.campaign_ids),
        tiers: tiers_of(&m.tiers),
        account_ids: ids_of(&m.account_ids),
        enabled: m.enabled,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

fn to_channel(m: notification_channel::Model) -> Channel {
    Channel {
        id: m.id,
        name: m.name,
        kind: ChannelKind::parse(&m.kind).unwrap_or(ChannelKind::Webhook),
        config: serde_json::from_value(m.config).unwrap_or_default(),
        secret_set: m.secret.as_deref().is_some_and(|s| !s.is_empty()),
        enabled: m.enabled,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

fn to_notification(m: notification::Model, names: &HashMap<i64, String>) -> Notification {
    Notification {
        id: m.id,
        kind: NotificationKind::parse(&m.kind).unwrap_or(NotificationKind::Test),
        entity_type: m.entity_type,
        entity_id: m.entity_id,
        title: m.title,
        actor_name: m.actor_id.and_then(|a| names.get(&a).cloned()),
        actor_id: m.actor_id,
        data: m.data,
        read_at: m.read_at,
        created_at: m.created_at,
    }
}

fn to_delivery(m: delivery::Model, channels: &HashMap<i64, String>) -> Delivery {
    Delivery {
        id: m.id,
        channel_name: m.channel_id.and_then(|c| channels.get(&c).cloned()),
        channel_id: m.channel_id,
        channel_kind: ChannelKind::parse(&m.channel_kind).unwrap_or(ChannelKind::Webhook),
        target: m.target,
        kind: NotificationKind::parse(&m.kind).unwrap_or(NotificationKind::Test),
        title: m.title,
        status: DeliveryStatus::parse(&m.status).unwrap_or(DeliveryStatus::Queued),
        attempts: serde_json::from_value(m.attempts).unwrap_or_default(),
        next_attempt_at: m.next_attempt_at,
        idempotency_key: m.idempotency_key,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// Everything a worker needs to send one delivery.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub delivery: Delivery,
    pub workspace_id: WorkspaceId,
    pub message: Message,
    /// The webhook body (the event as JSON).
    pub event: Value,
    pub channel: Option<Channel>,
    /// The channel's secret (write-only in the API; the worker signs with it).
    pub secret: Option<String>,
    /// The item it is about, for the link back into KOX.
    pub entity: Option<(String, i64)>,
}

/// The workspace's time zone, for quiet periods and days.
fn zone(name: &str) -> chrono_tz::Tz {
    name.parse().unwrap_or(chrono_tz::Asia::Shanghai)
}

/// A delivery to write: its channel, the channel's kind, the address (a member's e-mail), when
/// it may go out, and the message.
type Planned = (
    Option<i64>,
    ChannelKind,
    Option<String>,
    DateTime<Utc>,
    Message,
);

/// Writes a notice's notifications, deliveries and jobs in the caller's transaction.
pub(crate) async fn notify(
    txn: &Tx,
    caller: &Caller,
    ws: WorkspaceId,
    time_zone: &str,
    notice: Notice,
) -> Result<()> {
    let now = Utc::now();
    let mut recipients: Vec<i64> = notice
        .recipients
        .iter()
        .filter(|u| notice.kind == NotificationKind::Test || Some(**u) != notice.actor)
        .map(|u| u.0)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // Only members of the workspace are told anything.
    if !recipients.is_empty() {
        let members: BTreeSet<i64> = scoped::in_ws::<member::Entity>(ws)
            .filter(member::Column::UserId.is_in(recipients.clone()))
            .all(txn)
            .await?
            .into_iter()
            .map(|m| m.user_id)
            .collect();
        recipients.retain(|u| members.contains(u));
    }
    let rules: Vec<Rule> = scoped::in_ws::<notification_rule::Entity>(ws)
        .filter(notification_rule::Column::Enabled.eq(true))
        .all(txn)
        .await?
        .into_iter()
        .map(|m| to_rule(&m))
        .collect();
    let subject = match &notice.item {
        Some(item) => {
            let tier = match item.account_id {
                Some(a) => scoped::by_id::<account::Entity>(ws, a)
                    .one(txn)
                    .await?
                    .and_then(|a| Tier::parse(&a.tier)),
                None => None,
            };
            Subject {
                campaign_id: item.campaign_id,
                tier,
                account_id: item.account_id,
            }
        }
        None => Subject::default(),
    };
    let ruled_channels: Vec<i64> = rules
        .iter()
        .filter(|r| r.matches(notice.kind, &subject))
        .map(|r| r.channel_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if recipients.is_empty() && ruled_channels.is_empty() {
        return Ok(());
    }
    let prefs: HashMap<i64, Preferences> = if recipients.is_empty() {
        HashMap::new()
    } else {
        scoped::in_ws::<notification_preference::Entity>(ws)
            .filter(notification_preference::Column::UserId.is_in(recipients.clone()))
            .all(txn)
            .await?
            .into_iter()
            .map(|p| (p.user_id, prefs_of(&p.prefs)))
            .collect()
    };
    let pref = |u: i64| prefs.get(&u).cloned().unwrap_or_default();
    let entity = notice
        .item
        .as_ref()
        .map(|i| ("content_item".to_owned(), i.id));
    let title = notice
        .item
        .as_ref()
        .map_or_else(|| notice.title.clone(), |i| i.title.clone());

    // In KOX: one row per recipient who wants this kind there.
    let in_app: Vec<i64> = recipients
        .iter()
        .copied()
        .filter(|u| pref(*u).in_app.contains(&notice.kind))
        .collect();
    if !in_app.is_empty() {
        let rows = in_app.iter().map(|u| notification::ActiveModel {
            workspace_id: Set(ws.0),
            user_id: Set(*u),
            kind: Set(notice.kind.as_str().into()),
            entity_type: Set(entity.as_ref().map(|e| e.0.clone())),
            entity_id: Set(entity.as_ref().map(|e| e.1)),
            title: Set(title.clone()),
            actor_id: Set(notice.actor.map(|a| a.0)),
            data: Set(notice.data.clone()),
            read_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        });
        notification::Entity::insert_many(rows).exec(txn).await?;
        // Each recipient's streams hear their new unread count.
        let mut evs = Vec::with_capacity(in_app.len());
        let mut counts = Vec::with_capacity(in_app.len());
        for u in &in_app {
            counts.push((*u, unread(txn, ws, UserId(*u)).await?));
        }
        for (u, c) in &counts {
            evs.push(
                NewEvent::change(ws, NOTIFICATION_ENTITY, Some(*u), "notification.created")
                    .subject(UserId(*u))
                    .after(json!({"unread": c, "kind": notice.kind})),
            );
        }
        record_many(txn, caller, &evs).await?;
    }

    // The message groups and inboxes read, built once.
    let mut people: Vec<i64> = recipients.clone();
    people.extend(notice.actor.map(|a| a.0));
    let users: HashMap<i64, (String, String)> = if people.is_empty() {
        HashMap::new()
    } else {
        crate::scoped::install_wide::<user::Entity>()
            .filter(user::Column::Id.is_in(people))
            .all(txn)
            .await?
            .into_iter()
            .map(|u| (u.id, (u.name, u.email)))
            .collect()
    };
    let mut message = Message {
        kind: Some(notice.kind),
        title: format!(
            "{}：{}",
            notice.kind.label_zh(),
            quoted(&title, notice.item.is_some())
        ),
        ..Message::default()
    };
    if let Some(a) = subject.account_id
        && let Some(acc) = scoped::by_id::<account::Entity>(ws, a).one(txn).await?
    {
        message.lines.push(format!(
            "账号：@{} · {}",
            acc.handle,
            platform_name(txn, ws, &acc.platform).await?
        ));
    }
    if let Some(c) = subject.campaign_id
        && let Some(cm) = scoped::by_id::<campaign::Entity>(ws, c).one(txn).await?
    {
        message.lines.push(format!("战役：{}", cm.name));
    }
    if let Some(a) = notice.actor
        && let Some((name, _)) = users.get(&a.0)
    {
        message.lines.push(format!("操作人：{name}"));
    }
    message.lines.extend(notice.lines.iter().cloned());
    for u in &recipients {
        let p = pref(*u);
        if let Some(name) = users.get(u).map(|x| x.0.clone()) {
            message.mention_names.push(name);
        }
        message.mention_mobiles.extend(p.mobile.clone());
        message.mention_open_ids.extend(p.feishu_open_id.clone());
    }
    let event = json!({
        "type": notice.kind,
        "workspace_id": ws.0,
        "title": title,
        "entity": entity.as_ref().map(|(t, id)| json!({"type": t, "id": id})),
        "actor_id": notice.actor.map(|a| a.0),
        "recipients": recipients,
        "data": notice.data,
        "created_at": now,
    });

    // Deliveries: e-mail to those who chose it, and one per ruled channel.
    let channels: HashMap<i64, notification_channel::Model> =
        scoped::in_ws::<notification_channel::Entity>(ws)
            .filter(notification_channel::Column::Enabled.eq(true))
            .all(txn)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
    let mut planned: Vec<Planned> = Vec::new();
    let email_channel = channels
        .values()
        .filter(|c| c.kind == ChannelKind::Email.as_str())
        .min_by_key(|c| c.id);
    if let Some(ec) = email_channel {
        let tz = zone(time_zone);
        for u in &recipients {
            let p = pref(*u);
            if !p.email.contains(&notice.kind) {
                continue;
            }
            let Some((_, address)) = users.get(u) else {
                continue;
            };
            let mut m = message.clone();
            m.mention_mobiles.clear();
            m.mention_open_ids.clear();
            planned.push((
                Some(ec.id),
                ChannelKind::Email,
                Some(address.clone()),
                p.email_at(now, tz),
                m,
            ));
        }
    }
    for cid in &ruled_channels {
        let Some(c) = channels.get(cid) else { continue };
        let Some(kind) = ChannelKind::parse(&c.kind) else {
            continue;
        };
        let at = match kind.per_minute() {
            Some(per_minute) => next_slot(txn, ws, c, per_minute, now).await?,
            None => now,
        };
        planned.push((Some(c.id), kind, None, at, message.clone()));
    }
    if planned.is_empty() {
        return Ok(());
    }
    let rows = planned
        .iter()
        .map(|(channel, kind, target, at, m)| delivery::ActiveModel {
            workspace_id: Set(ws.0),
            channel_id: Set(*channel),
            channel_kind: Set(kind.as_str().into()),
            target: Set(target.clone()),
            kind: Set(notice.kind.as_str().into()),
            title: Set(title.clone()),
            message: Set(serde_json::to_value(m).unwrap_or_default()),
            event: Set(event.clone()),
            status: Set(DeliveryStatus::Queued.as_str().into()),
            attempts: Set(json!([])),
            next_attempt_at: Set(Some(*at)),
            job_id: Set(None),
            idempotency_key: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
    // RETURNING written into the statement: sea-orm's `exec_with_returning_keys` refuses SQLite
    // (built without `sqlite-use-returning-for-3_35`), though SQLite runs it.
    let mut insert = delivery::Entity::insert_many(rows).into_query();
    insert.returning_col(delivery::Column::Id);
    let mut ids: Vec<i64> = Vec::with_capacity(planned.len());
    for r in txn
        .query_all_raw(txn.get_database_backend().build(&insert))
        .await?
    {
        ids.push(r.try_get_by_index::<i64>(0)?);
    }
    // In insert order (as `jobs::enqueue_many`), to pair with `planned` by position.
    ids.sort_unstable();
    let jobs_new: Vec<NewJob> = ids
        .iter()
        .zip(&planned)
        .map(|(id, p)| NewJob {
            kind: JobKind::Deliver,
            payload: json!({"delivery_id": id}),
            run_at: p.3,
            key: format!("deliver:{id}"),
        })
        .collect();
    let job_ids = jobs::enqueue_many(txn, ws, &jobs_new).await?;
    for (d, j) in ids.iter().zip(job_ids) {
        scoped::update_in::<delivery::Entity>(ws)
            .col_expr(delivery::Column::JobId, Expr::value(j))
            .col_expr(
                delivery::Column::IdempotencyKey,
                Expr::value(format!("kox-{}-{d}", ws.0)),
            )
            .filter(delivery::Column::Id.eq(*d))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// Which of `ids` are rows of this workspace's table `E`.
async fn ids_in<E: scoped::WithId>(
    db: &impl ConnectionTrait,
    ws: WorkspaceId,
    ids: &[i64],
) -> Result<BTreeSet<i64>> {
    if ids.is_empty() {
        return Ok(BTreeSet::new());
    }
    Ok(scoped::in_ws::<E>(ws)
        .select_only()
        .column(E::id_column())
        .filter(E::id_column().is_in(ids.iter().copied()))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// The entity type of the events that tell a member's streams about their notifications: the
/// entity id is the member's user id; each such event goes only to that member's streams, and
/// is not part of the audit log.
pub const NOTIFICATION_ENTITY: &str = "notification";

fn quoted(title: &str, item: bool) -> String {
    if item {
        format!("《{}》", n::short_title(title))
    } else {
        title.to_owned()
    }
}

async fn platform_name(txn: &Tx, ws: WorkspaceId, code: &str) -> Result<String> {
    Ok(scoped::in_ws::<crate::entities::platform::Entity>(ws)
        .filter(crate::entities::platform::Column::Code.eq(code))
        .one(txn)
        .await?
        .map_or_else(|| code.to_owned(), |p| p.name))
}

/// The next free send slot of a rate-limited bot, taken: a burst is spaced to the provider's
/// limit (60 s / per_minute apart), never dropped.
async fn next_slot(
    txn: &Tx,
    ws: WorkspaceId,
    c: &notification_channel::Model,
    per_minute: u32,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>> {
    let current = scoped::by_id::<notification_channel::Entity>(ws, c.id)
        .one(txn)
        .await?
        .and_then(|c| c.next_send_at);
    let at = current.filter(|t| *t > now).unwrap_or(now);
    let gap = chrono::Duration::milliseconds(60_000 / i64::from(per_minute.max(1)));
    scoped::update_in::<notification_channel::Entity>(ws)
        .col_expr(
            notification_channel::Column::NextSendAt,
            Expr::value(Some(at + gap)),
        )
        .filter(notification_channel::Column::Id.eq(c.id))
        .exec(txn)
        .await?;
    Ok(at)
}

async fn unread(db: &impl ConnectionTrait, ws: WorkspaceId, user: UserId) -> Result<u64> {
    Ok(scoped::in_ws::<notification::Entity>(ws)
        .filter(notification::Column::UserId.eq(user.0))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

fn validated_kinds_filter(s: Option<&str>) -> Result<Option<NotificationKind>> {
    match s {
        None => Ok(None),
        Some(k) => NotificationKind::parse(k).map(Some).ok_or_else(|| {
            invalid(
                "kind",
                "notifications.unknown_kind",
                "unknown notification kind",
            )
        }),
    }
}

impl Store {
    /// The member's notifications, newest first, a page at a time (`before`: an id).
    pub async fn list_notifications(
        &self,
        ws: WorkspaceId,
        user: UserId,
        unread_only: bool,
        kind: Option<&str>,
        before: Option<i64>,
        limit: u64,
    ) -> Result<NotificationPage> {
        let kind = validated_kinds_filter(kind)?;
        let mut q = scoped::in_ws::<notification::Entity>(ws)
            .filter(notification::Column::UserId.eq(user.0));
        if unread_only {
            q = q.filter(notification::Column::ReadAt.is_null());
        }
        if let Some(k) = kind {
            q = q.filter(notification::Column::Kind.eq(k.as_str()));
        }
        if let Some(b) = before {
            q = q.filter(notification::Column::Id.lt(b));
        }
        let rows = q
            .order_by_desc(notification::Column::Id)
            .limit(limit + 1)
            .all(&self.read)
            .await?;
        let more = rows.len() as u64 > limit;
        let rows: Vec<_> = rows.into_iter().take(limit as usize).collect();
        let names = self
            .user_names(rows.iter().filter_map(|r| r.actor_id))
            .await?;
        let next_before = if more {
            rows.last().map(|r| r.id)
        } else {
            None
        };
        Ok(NotificationPage {
            items: rows
                .into_iter()
                .map(|r| to_notification(r, &names))
                .collect(),
            unread: unread(&self.read, ws, user).await?,
            next_before,
        })
    }

    pub async fn unread_notifications(&self, ws: WorkspaceId, user: UserId) -> Result<UnreadCount> {
        Ok(UnreadCount {
            unread: unread(&self.read, ws, user).await?,
        })
    }

    /// Marks the member's notifications read (these ids, or all); other ids are ignored. The
    /// member's other tabs hear the new count.
    pub async fn mark_notifications_read(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        user: UserId,
        req: &MarkRead,
    ) -> Result<UnreadCount> {
        if !req.all && req.ids.is_empty() {
            return Err(invalid(
                "ids",
                "validation.required",
                "name the notifications, or all",
            ));
        }
        if req.ids.len() > 500 {
            return Err(invalid(
                "ids",
                "validation.too_many",
                "at most 500 at a time",
            ));
        }
        let now = Utc::now();
        let txn = self.begin().await?;
        let mut q = scoped::update_in::<notification::Entity>(ws)
            .col_expr(notification::Column::ReadAt, Expr::value(Some(now)))
            .filter(notification::Column::UserId.eq(user.0))
            .filter(notification::Column::ReadAt.is_null());
        if !req.all {
            q = q.filter(notification::Column::Id.is_in(req.ids.clone()));
        }
        q.exec(&txn).await?;
        let count = unread(&txn, ws, user).await?;
        record_many(
            &txn,
            caller,
            &[
                NewEvent::change(ws, NOTIFICATION_ENTITY, Some(user.0), "notification.read")
                    .subject(user)
                    .after(json!({"unread": count})),
            ],
        )
        .await?;
        self.commit(txn).await?;
        Ok(UnreadCount { unread: count })
    }

    /// A test notification to the member themselves, through their own choices (the bell, and
    /// e-mail if they chose it for tests).
    pub async fn notify_test(&self, caller: &Caller, ws: WorkspaceId, user: UserId) -> Result<()> {
        let tz = self.workspace_config(ws).await?.time_zone.clone();
        let txn = self.begin().await?;
        notify(
            &txn,
            caller,
            ws,
            &tz,
            Notice {
                kind: NotificationKind::Test,
                recipients: vec![user],
                actor: Some(user),
                item: None,
                title: "KOX 测试通知".into(),
                data: json!({}),
                lines: vec!["这是一条测试通知：你的通知设置工作正常。".into()],
            },
        )
        .await?;
        self.commit(txn).await?;
        Ok(())
    }

    // ----- channels -----

    pub async fn list_channels(&self, ws: WorkspaceId) -> Result<Vec<Channel>> {
        Ok(scoped::in_ws::<notification_channel::Entity>(ws)
            .order_by_asc(notification_channel::Column::Id)
            .all(&self.read)
            .await?
            .into_iter()
            .map(to_channel)
            .collect())
    }

    async fn channel_row(
        &self,
        db: &impl ConnectionTrait,
        ws: WorkspaceId,
        id: i64,
    ) -> Result<notification_channel::Model> {
        scoped::by_id::<notification_channel::Entity>(ws, id)
            .one(db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn create_channel(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        d: ChannelDraft,
    ) -> Result<Channel> {
        let name = n::channel_name(&d.name)?;
        let secret = d
            .secret
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        let config = n::validated_channel(d.kind, d.config, secret.as_deref())?;
        let now = Utc::now();
        let txn = self.begin().await?;
        let m = notification_channel::ActiveModel {
            workspace_id: Set(ws.0),
            name: Set(name.clone()),
            kind: Set(d.kind.as_str().into()),
            config: Set(serde_json::to_value(&config).unwrap_or_default()),
            secret: Set(secret),
            enabled: Set(d.enabled),
            next_send_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        crate::events::record(
            &txn,
            caller,
            NewEvent::change(
                ws,
                "notification_channel",
                Some(m.id),
                "notification_channel.created",
            )
            .after(json!({"name": name, "kind": d.kind})),
        )
        .await?;
        self.commit(txn).await?;
        Ok(to_channel(m))
    }

    pub async fn update_channel(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: i64,
        p: ChannelPatch,
    ) -> Result<Channel> {
        let txn = self.begin().await?;
        let row = self.channel_row(&txn, ws, id).await?;
        let kind = ChannelKind::parse(&row.kind).unwrap_or(ChannelKind::Webhook);
        let before = to_channel(row.clone());
        let secret = match p.secret.map(|s| s.trim().to_owned()) {
            Some(s) if !s.is_empty() => Some(s),
            _ => row.secret.clone(),
        };
        let config = n::validated_channel(
            kind,
            p.config.unwrap_or_else(|| before.config.clone()),
            secret.as_deref(),
        )?;
        let name = match &p.name {
            Some(v) => n::channel_name(v)?,
            None => row.name.clone(),
        };
        let mut am: notification_channel::ActiveModel = row.into();
        am.name = Set(name);
        am.config = Set(serde_json::to_value(&config).unwrap_or_default());
        am.secret = Set(secret);
        if let Some(e) = p.enabled {
            am.enabled = Set(e);
        }
        am.updated_at = Set(Utc::now());
        let m = am.update(&txn).await?;
        let after = to_channel(m.clone());
        crate::events::record(
            &txn,
            caller,
            NewEvent::change(
                ws,
                "notification_channel",
                Some(id),
                "notification_channel.updated",
            )
            .before(
                json!({"name": before.name, "enabled": before.enabled, "config": before.config}),
            )
            .after(json!({"name": after.name, "enabled": after.enabled, "config": after.config})),
        )
        .await?;
        self.commit(txn).await?;
        Ok(after)
    }

    pub async fn delete_channel(&self, caller: &Caller, ws: WorkspaceId, id: i64) -> Result<()> {
        let txn = self.begin().await?;
        let row = self.channel_row(&txn, ws, id).await?;
        scoped::delete_in::<notification_rule::Entity>(ws)
            .filter(notification_rule::Column::ChannelId.eq(id))
            .exec(&txn)
            .await?;
        scoped::delete_in::<notification_channel::Entity>(ws)
            .filter(notification_channel::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        crate::events::record(
            &txn,
            caller,
            NewEvent::change(
                ws,
                "notification_channel",
                Some(id),
                "notification_channel.deleted",
            )
            .before(json!({"name": row.name, "kind": row.kind})),
        )
        .await?;
        self.commit(txn).await?;
        Ok(())
    }

    /// A channel with its secret, for sending (never for the API).
    pub async fn channel_for_send(
        &self,
        ws: WorkspaceId,
        id: i64,
    ) -> Result<(Channel, Option<String>)> {
        let row = self.channel_row(&self.read, ws, id).await?;
        let secret = row.secret.clone();
        Ok((to_channel(row), secret))
    }

    // ----- rules -----

    pub async fn list_rules(&self, ws: WorkspaceId) -> Result<Vec<Rule>> {
        Ok(scoped::in_ws::<notification_rule::Entity>(ws)
            .order_by_asc(notification_rule::Column::Id)
            .all(&self.read)
            .await?
            .into_iter()
            .map(|m| to_rule(&m))
            .collect())
    }

    /// The rule's channel, campaigns and accounts must be the workspace's.
    async fn check_rule_refs(
        &self,
        db: &impl ConnectionTrait,
        ws: WorkspaceId,
        d: &RuleDraft,
    ) -> Result<()> {
        if scoped::by_id::<notification_channel::Entity>(ws, d.channel_id)
            .one(db)
            .await?
            .is_none()
        {
            return Err(invalid(
                "channel_id",
                "notifications.unknown_channel",
                "no such channel in this workspace",
            ));
        }
        let campaigns = ids_in::<campaign::Entity>(db, ws, &d.campaign_ids).await?;
        let accounts = ids_in::<account::Entity>(db, ws, &d.account_ids).await?;
        let missing =
            |ids: &[i64], found: &BTreeSet<i64>| ids.iter().position(|c| !found.contains(c));
        if let Some(i) = missing(&d.campaign_ids, &campaigns) {
            return Err(invalid(
                format!("campaign_ids.{i}"),
                "notifications.unknown_campaign",
                "no such campaign in this workspace",
            ));
        }
        if let Some(i) = missing(&d.account_ids, &accounts) {
            return Err(invalid(
                format!("account_ids.{i}"),
                "notifications.unknown_account",
                "no such account in this workspace",
            ));
        }
        Ok(())
    }

    pub async fn create_rule(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        d: RuleDraft,
    ) -> Result<Rule> {
        let d = n::validated_rule(d)?;
        let now = Utc::now();
        let txn = self.begin().await?;
        self.check_rule_refs(&txn, ws, &d).await?;
        let m = notification_rule::ActiveModel {
            workspace_id: Set(ws.0),
            channel_id: Set(d.channel_id),
            kinds: Set(kinds_json(&d.kinds)),
            campaign_ids: Set(json!(d.campaign_ids)),
            tiers: Set(json!(d.tiers)),
            account_ids: Set(json!(d.account_ids)),
            enabled: Set(d.enabled),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let rule = to_rule(&m);
        crate::events::record(
            &txn,
            caller,
            NewEvent::change(
                ws,
                "notification_rule",
                Some(rule.id),
                "notification_rule.created",
            )
            .after(crate::events::json_of(&rule)),
        )
        .await?;
        self.commit(txn).await?;
        Ok(rule)
    }

    pub async fn update_rule(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: i64,
        p: RulePatch,
    ) -> Result<Rule> {
        let txn = self.begin().await?;
        let row = scoped::by_id::<notification_rule::Entity>(ws, id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let before = to_rule(&row);
        let d = n::validated_rule(RuleDraft {
            channel_id: p.channel_id.unwrap_or(before.channel_id),
            kinds: p.kinds.unwrap_or_else(|| before.kinds.clone()),
            campaign_ids: p
                .campaign_ids
                .unwrap_or_else(|| before.campaign_ids.clone()),
            tiers: p.tiers.unwrap_or_else(|| before.tiers.clone()),
            account_ids: p.account_ids.unwrap_or_else(|| before.account_ids.clone()),
            enabled: p.enabled.unwrap_or(before.enabled),
        })?;
        self.check_rule_refs(&txn, ws, &d).await?;
        let mut am: notification_rule::ActiveModel = row.into();
        am.channel_id = Set(d.channel_id);
        am.kinds = Set(kinds_json(&d.kinds));
        am.campaign_ids = Set(json!(d.campaign_ids));
        am.tiers = Set(json!(d.tiers));
        am.account_ids = Set(json!(d.account_ids));
        am.enabled = Set(d.enabled);
        am.updated_at = Set(Utc::now());
        let rule = to_rule(&am.update(&txn).await?);
        crate::events::record(
            &txn,
            caller,
            NewEvent::change(
                ws,
                "notification_rule",
                Some(id),
                "notification_rule.updated",
            )
            .before(crate::events::json_of(&before))
            .after(crate::events::json_of(&rule)),
        )
        .await?;
        self.commit(txn).await?;
        Ok(rule)
    }

    pub async fn delete_rule(&self, caller: &Caller, ws: WorkspaceId, id: i64) -> Result<()> {
        let txn = self.begin().await?;
        let row = scoped::by_id::<notification_rule::Entity>(ws, id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        scoped::delete_in::<notification_rule::Entity>(ws)
            .filter(notification_rule::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        crate::events::record(
            &txn,
            caller,
            NewEvent::change(
                ws,
                "notification_rule",
                Some(id),
                "notification_rule.deleted",
            )
            .before(crate::events::json_of(&to_rule(&row))),
        )
        .await?;
        self.commit(txn).await?;
        Ok(())
    }

    // ----- preferences -----

    pub async fn get_preferences(&self, ws: WorkspaceId, user: UserId) -> Result<Preferences> {
        Ok(scoped::in_ws::<notification_preference::Entity>(ws)
            .filter(notification_preference::Column::UserId.eq(user.0))
            .one(&self.read)
            .await?
            .map(|p| prefs_of(&p.prefs))
            .unwrap_or_default())
    }

    pub async fn set_preferences(
        &self,
        ws: WorkspaceId,
        user: UserId,
        p: Preferences,
    ) -> Result<Preferences> {
        let p = n::validated_preferences(p)?;
        let now = Utc::now();
        let txn = self.begin().await?;
        let existing = scoped::in_ws::<notification_preference::Entity>(ws)
            .filter(notification_preference::Column::UserId.eq(user.0))
            .one(&txn)
            .await?;
        let value = serde_json::to_value(&p).unwrap_or_default();
        match existing {
            Some(row) => {
                let mut am: notification_preference::ActiveModel = row.into();
                am.prefs = Set(value);
                am.updated_at = Set(now);
                am.update(&txn).await?;
            }
            None => {
                notification_preference::ActiveModel {
                    workspace_id: Set(ws.0),
                    user_id: Set(user.0),
                    prefs: Set(value),
                    updated_at: Set(now),
                }
                .insert(&txn)
                .await?;
            }
        }
        self.commit(txn).await?;
        Ok(p)
    }

    // ----- deliveries -----

    pub async fn list_deliveries(
        &self,
        ws: WorkspaceId,
        status: Option<DeliveryStatus>,
        before: Option<i64>,
        limit: u64,
    ) -> Result<Vec<Delivery>> {
        let mut q = scoped::in_ws::<delivery::Entity>(ws);
        if let Some(s) = status {
            q = q.filter(delivery::Column::Status.eq(s.as_str()));
        }
        if let Some(b) = before {
            q = q.filter(delivery::Column::Id.lt(b));
        }
        let rows = q
            .order_by_desc(delivery::Column::Id)
            .limit(limit)
            .all(&self.read)
            .await?;
        let channels: HashMap<i64, String> = scoped::in_ws::<notification_channel::Entity>(ws)
            .all(&self.read)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        Ok(rows
            .into_iter()
            .map(|r| to_delivery(r, &channels))
            .collect())
    }

    /// Sends a delivery again (a dead letter after the channel was fixed, or a resend).
    pub async fn retry_delivery(&self, ws: WorkspaceId, id: i64) -> Result<Delivery> {
        let row = scoped::by_id::<delivery::Entity>(ws, id)
            .one(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        let Some(job) = row.job_id else {
            return Err(StoreError::NotFound);
        };
        self.retry_job(Some(ws), job).await?;
        let row = scoped::by_id::<delivery::Entity>(ws, id)
            .one(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        // Named as the delivery log names it.
        let channels: HashMap<i64, String> = match row.channel_id {
            Some(c) => scoped::by_id::<notification_channel::Entity>(ws, c)
                .one(&self.read)
                .await?
                .map(|c| (c.id, c.name))
                .into_iter()
                .collect(),
            None => HashMap::new(),
        };
        Ok(to_delivery(row, &channels))
    }

    /// A delivery as the worker sends it: its message, event, channel and secret.
    pub async fn outgoing(&self, ws: WorkspaceId, delivery_id: i64) -> Result<Outgoing> {
        let row = scoped::by_id::<delivery::Entity>(ws, delivery_id)
            .one(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        let (channel, secret) = match row.channel_id {
            Some(c) => match self.channel_for_send(ws, c).await {
                Ok((ch, s)) => (Some(ch), s),
                Err(StoreError::NotFound) => (None, None),
                Err(e) => return Err(e),
            },
            None => (None, None),
        };
        let message: Message = serde_json::from_value(row.message.clone()).unwrap_or_default();
        let event = row.event.clone();
        let entity = event
            .get("entity")
            .and_then(|e| Some((e.get("type")?.as_str()?.to_owned(), e.get("id")?.as_i64()?)));
        Ok(Outgoing {
            delivery: to_delivery(row, &HashMap::new()),
            workspace_id: ws,
            message,
            event,
            channel,
            secret,
            entity,
        })
    }
}

/// The unread count is what the bell shows; attempts are kept whole on the delivery.
pub fn attempt(
    at: DateTime<Utc>,
    status: DeliveryStatus,
    http_status: Option<u16>,
    answer: &str,
) -> Attempt {
    Attempt {
        at,
        status,
        http_status,
        answer: n::trimmed_answer(answer),
    }
}
