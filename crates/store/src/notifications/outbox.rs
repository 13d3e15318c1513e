//! The outbox: a notice becomes notifications, deliveries and jobs in the transaction of the
//! change that causes it.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use kox_domain::accounts::Tier;
use kox_domain::jobs::JobKind;
use kox_domain::notifications::{
    self as n, ChannelKind, DeliveryStatus, Message, NotificationKind, Preferences, Rule, Subject,
};
use kox_domain::{UserId, WorkspaceId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Set,
};
use serde_json::json;

use crate::Caller;
use crate::Result;
use crate::db::Tx;
use crate::entities::{
    account, campaign, delivery, member, notification, notification_channel,
    notification_preference, notification_rule, user,
};
use crate::events::{NewEvent, record_many};
use crate::jobs::{self, NewJob};
use crate::scoped;

use super::{NOTIFICATION_ENTITY, Notice, prefs_of, to_rule, zone};

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
    // The item's account, read once: its tier for the rules, its handle for the message.
    let account = match notice.item.as_ref().and_then(|i| i.account_id) {
        Some(a) => scoped::by_id::<account::Entity>(ws, a).one(txn).await?,
        None => None,
    };
    let subject = match &notice.item {
        Some(item) => Subject {
            campaign_id: item.campaign_id,
            tier: account.as_ref().and_then(|a| Tier::parse(&a.tier)),
            account_id: item.account_id,
        },
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
        // Each recipient's streams hear their new unread count (all counted in one query).
        let counts: HashMap<i64, i64> = scoped::in_ws::<notification::Entity>(ws)
            .select_only()
            .column(notification::Column::UserId)
            .column_as(notification::Column::Id.count(), "unread")
            .filter(notification::Column::UserId.is_in(in_app.clone()))
            .filter(notification::Column::ReadAt.is_null())
            .group_by(notification::Column::UserId)
            .into_tuple::<(i64, i64)>()
            .all(txn)
            .await?
            .into_iter()
            .collect();
        let evs: Vec<_> = in_app
            .iter()
            .map(|u| {
                NewEvent::change(ws, NOTIFICATION_ENTITY, Some(*u), "notification.created")
                    .subject(UserId(*u))
                    .after(
                        json!({"unread": counts.get(u).copied().unwrap_or(0), "kind": notice.kind}),
                    )
            })
            .collect();
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
    if let Some(acc) = &account {
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
    // `c` was read in this transaction; the update below takes the row's lock for the rest of it.
    let at = c.next_send_at.filter(|t| *t > now).unwrap_or(now);
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
