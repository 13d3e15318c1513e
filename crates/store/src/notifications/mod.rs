//! Notifications: the outbox (`notify`, called in the transaction of the change that causes
//! it), the member's list and unread count, channels, rules, preferences and the delivery log.
//! A notice becomes, in that one transaction: a notification row per recipient who wants it in
//! KOX (and an event that carries their unread count to their open streams), an e-mail
//! delivery per recipient who chose e-mail (held past their quiet period), and one delivery per
//! channel whose rule matches; each delivery gets a `deliver` job. A rollback leaves none of
//! them; a crash after the commit loses none.

mod channels;
mod deliveries;
mod inbox;
mod outbox;

pub(crate) use outbox::notify;

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use kox_domain::accounts::Tier;
use kox_domain::notifications::{
    self as n, Attempt, Channel, ChannelKind, Delivery, DeliveryStatus, Message, Notification,
    NotificationKind, Preferences, Rule,
};
use kox_domain::{UserId, WorkspaceId};
use sea_orm::{ColumnTrait, ConnectionTrait, PaginatorTrait, QueryFilter, QuerySelect};
use serde_json::{Value, json};

use crate::Result;
use crate::entities::{delivery, notification, notification_channel, notification_rule};
use crate::scoped;

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
pub(crate) fn zone(name: &str) -> chrono_tz::Tz {
    name.parse().unwrap_or(chrono_tz::Asia::Shanghai)
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

async fn unread(db: &impl ConnectionTrait, ws: WorkspaceId, user: UserId) -> Result<u64> {
    Ok(scoped::in_ws::<notification::Entity>(ws)
        .filter(notification::Column::UserId.eq(user.0))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?)
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
