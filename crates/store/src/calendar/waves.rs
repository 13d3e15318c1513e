//! Coordination orders (协同指令) and their waves: when an item of the campaign on a trigger
//! account is published, a job (queued in the publish's transaction) makes the follow-up
//! drafts, each due a delay after the real publish time and assigned to its account's owner,
//! and tells the owners. One wave per order and trigger (a unique key), so a second publish or
//! a second server makes none; a cascade never runs an order already up its chain.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use kox_domain::accounts::Tier;
use kox_domain::calendar::orders::{
    self, AccountFacts, CoordinationOrder, CoordinationOrderDraft, FollowUpRule,
};
use kox_domain::calendar::{FollowUp, FollowUpState, Wave, Waves};
use kox_domain::content::{ContentDraft, Stage};
use kox_domain::jobs::JobKind;
use kox_domain::notifications::NotificationKind;
use kox_domain::{AccountId, CampaignId, UserId, WorkspaceId};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, Set};
use serde_json::{Value, json};

use super::{as_json, rows_where, zone};
use crate::Caller;
use crate::config::WorkspaceConfig;
use crate::db::Tx;
use crate::dialect::{engine_of, stmt};
use crate::entities::{account, content_item, coordination_order, wave, wave_follow_up};
use crate::error::invalid;
use crate::events::{NewEvent, record};
use crate::jobs::{self, NewJob};
use crate::notifications::{Notice, notify};
use crate::scoped;
use crate::{Result, Store, StoreError};

/// An account as orders read it, with what a follow-up needs.
struct AccountRow {
    facts: AccountFacts,
    handle: String,
    name: String,
}

async fn accounts(db: &impl ConnectionTrait, ws: WorkspaceId) -> Result<Vec<AccountRow>> {
    Ok(scoped::in_ws::<account::Entity>(ws)
        .order_by_asc(account::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|a| {
            Some(AccountRow {
                facts: AccountFacts {
                    id: a.id,
                    tier: Tier::parse(&a.tier)?,
                    tags: crate::content::strings(&a.tags),
                    active: a.status == "active",
                    platform: a.platform,
                },
                handle: a.handle,
                name: a.display_name,
            })
        })
        .collect())
}

fn to_order(m: coordination_order::Model, waves: i64) -> CoordinationOrder {
    CoordinationOrder::new(
        m.id,
        CoordinationOrderDraft {
            campaign_id: CampaignId(m.campaign_id),
            name: m.name,
            enabled: m.enabled,
            trigger: serde_json::from_value(m.trigger_spec).unwrap_or_default(),
            follow_ups: serde_json::from_value(m.follow_ups).unwrap_or_default(),
            title_template: m.title_template,
            body_template: m.body_template,
        },
        waves,
        m.created_at,
        m.updated_at,
    )
}

async fn wave_counts(db: &impl ConnectionTrait, ws: WorkspaceId) -> Result<HashMap<i64, i64>> {
    let mut out = HashMap::new();
    for r in db
        .query_all_raw(stmt(
            engine_of(db),
            "SELECT order_id, COUNT(*) AS n FROM waves WHERE workspace_id = ? GROUP BY order_id",
            vec![ws.0.into()],
        ))
        .await?
    {
        out.insert(
            r.try_get::<i64>("", "order_id")?,
            r.try_get::<i64>("", "n")?,
        );
    }
    Ok(out)
}

fn check_platforms(cfg: &WorkspaceConfig, d: &CoordinationOrderDraft) -> Result<()> {
    let specs = std::iter::once(("trigger".to_owned(), &d.trigger)).chain(
        d.follow_ups
            .iter()
            .enumerate()
            .map(|(i, f)| (format!("follow_ups.{i}.spec"), &f.spec)),
    );
    for (field, spec) in specs {
        for (j, p) in spec.platforms.iter().enumerate() {
            if !cfg.platforms.contains_key(p) {
                return Err(invalid(
                    format!("{field}.platforms.{j}"),
                    "accounts.unknown_platform",
                    format!("there is no platform {p:?} in this workspace"),
                ));
            }
        }
    }
    Ok(())
}

impl Store {
    pub async fn list_orders(
        &self,
        ws: WorkspaceId,
        campaign: Option<i64>,
    ) -> Result<Vec<CoordinationOrder>> {
        let mut q = scoped::in_ws::<coordination_order::Entity>(ws)
            .order_by_asc(coordination_order::Column::Id);
        if let Some(c) = campaign {
            q = q.filter(coordination_order::Column::CampaignId.eq(c));
        }
        let counts = wave_counts(&self.read, ws).await?;
        Ok(q.all(&self.read)
            .await?
            .into_iter()
            .map(|m| {
                let n = counts.get(&m.id).copied().unwrap_or(0);
                to_order(m, n)
            })
            .collect())
    }

    /// Creates (`id` none) or replaces an order; refused when it would chain into a loop with
    /// the campaign's other orders.
    pub async fn save_order(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: Option<i64>,
        d: CoordinationOrderDraft,
    ) -> Result<CoordinationOrder> {
        let d = d.validate()?;
        let cfg = self.workspace_config(ws).await?;
        if !cfg.campaigns.contains_key(&d.campaign_id.0) {
            return Err(invalid(
                "campaign_id",
                "content.unknown_campaign",
                "there is no such campaign in this workspace",
            ));
        }
        check_platforms(&cfg, &d)?;
        let now = Utc::now();
        let txn = self.begin().await?;
        let existing = match id {
            Some(id) => Some(
                scoped::by_id::<coordination_order::Entity>(ws, id)
                    .one(&txn)
                    .await?
                    .ok_or(StoreError::NotFound)?,
            ),
            None => None,
        };
        // The campaign's other orders with this one as it would be.
        let others: Vec<(i64, CoordinationOrderDraft)> =
            scoped::in_ws::<coordination_order::Entity>(ws)
                .filter(coordination_order::Column::CampaignId.eq(d.campaign_id.0))
                .all(&txn)
                .await?
                .into_iter()
                .filter(|m| Some(m.id) != id)
                .map(|m| (m.id, to_order(m, 0).draft()))
                .collect();
        let mut all: Vec<(i64, &CoordinationOrderDraft)> =
            others.iter().map(|(i, o)| (*i, o)).collect();
        all.push((id.unwrap_or(-1), &d));
        let facts: Vec<AccountFacts> = accounts(&txn, ws)
            .await?
            .into_iter()
            .map(|a| a.facts)
            .collect();
        if let Some(cycle) = orders::find_cycle(&all, &facts) {
            let names: Vec<String> = cycle
                .iter()
                .map(|c| {
                    all.iter()
                        .find(|(i, _)| i == c)
                        .map_or_else(String::new, |(_, o)| o.name.clone())
                })
                .collect();
            return Err(invalid(
                "follow_ups",
                "calendar.order_cycle",
                format!(
                    "these orders would trigger each other in a loop: {}",
                    names.join(" → ")
                ),
            ));
        }
        let mut am: coordination_order::ActiveModel = match existing {
            Some(m) => m.into(),
            None => coordination_order::ActiveModel {
                workspace_id: Set(ws.0),
                created_by: Set(caller.user.map(|u| u.0)),
                created_at: Set(now),
                ..Default::default()
            },
        };
        am.campaign_id = Set(d.campaign_id.0);
        am.name = Set(d.name.clone());
        am.enabled = Set(d.enabled);
        am.trigger_spec = Set(as_json(&d.trigger));
        am.follow_ups = Set(as_json(&d.follow_ups));
        am.title_template = Set(d.title_template.clone());
        am.body_template = Set(d.body_template.clone());
        am.updated_at = Set(now);
        let m = if id.is_some() {
            am.update(&txn).await?
        } else {
            am.insert(&txn).await?
        };
        let action = if id.is_some() {
            "coordination_order.updated"
        } else {
            "coordination_order.created"
        };
        record(
            &txn,
            caller,
            NewEvent::change(ws, "coordination_order", Some(m.id), action).after(as_json(&d)),
        )
        .await?;
        self.commit(txn).await?;
        let n = wave_counts(&self.read, ws)
            .await?
            .get(&m.id)
            .copied()
            .unwrap_or(0);
        Ok(to_order(m, n))
    }

    pub async fn delete_order(&self, caller: &Caller, ws: WorkspaceId, id: i64) -> Result<()> {
        let txn = self.begin().await?;
        let m = scoped::by_id::<coordination_order::Entity>(ws, id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        scoped::delete_in::<coordination_order::Entity>(ws)
            .filter(coordination_order::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        record(
            &txn,
            caller,
            NewEvent::change(
                ws,
                "coordination_order",
                Some(id),
                "coordination_order.deleted",
            )
            .before(json!({"name": m.name, "campaign_id": m.campaign_id})),
        )
        .await?;
        self.commit(txn).await
    }

    /// Waves (newest first, at most 50), of one order or one trigger item.
    pub async fn list_waves(
        &self,
        ws: WorkspaceId,
        order: Option<i64>,
        trigger: Option<i64>,
    ) -> Result<Waves> {
        let mut q = scoped::in_ws::<wave::Entity>(ws).order_by_desc(wave::Column::Id);
        if let Some(o) = order {
            q = q.filter(wave::Column::OrderId.eq(o));
        }
        if let Some(t) = trigger {
            q = q.filter(wave::Column::TriggerItemId.eq(t));
        }
        let waves: Vec<wave::Model> = sea_orm::QuerySelect::limit(q, 50).all(&self.read).await?;
        if waves.is_empty() {
            return Ok(Waves { items: Vec::new() });
        }
        let links = scoped::in_ws::<wave_follow_up::Entity>(ws)
            .filter(wave_follow_up::Column::WaveId.is_in(waves.iter().map(|w| w.id)))
            .all(&self.read)
            .await?;
        let ids: Vec<i64> = links
            .iter()
            .map(|l| l.item_id)
            .chain(waves.iter().map(|w| w.trigger_item_id))
            .collect();
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let cfg = self.workspace_config(ws).await?;
        let rows: HashMap<i64, super::Row> = rows_where(
            &self.read,
            &cfg,
            ws,
            &format!("c.id IN ({list})"),
            Vec::new(),
            ids.len() as u32 + 1,
        )
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
        let names: HashMap<i64, String> = scoped::in_ws::<coordination_order::Entity>(ws)
            .all(&self.read)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        let now = Utc::now();
        let items = waves
            .into_iter()
            .map(|w| {
                let follow_ups: Vec<FollowUp> = links
                    .iter()
                    .filter(|l| l.wave_id == w.id)
                    .filter_map(|l| {
                        let r = rows.get(&l.item_id)?;
                        Some(FollowUp {
                            item_id: r.id,
                            account_id: r.account_id,
                            handle: r.handle.clone(),
                            title: r.title.clone(),
                            due_at: l.due_at,
                            stage: r.stage(),
                            published_at: r.published_at,
                            state: FollowUpState::of(r.stage(), l.due_at, r.published_at, now),
                        })
                    })
                    .collect();
                let count =
                    |s: FollowUpState| follow_ups.iter().filter(|f| f.state == s).count() as i64;
                Wave {
                    id: w.id,
                    order_id: w.order_id,
                    order_name: names.get(&w.order_id).cloned().unwrap_or_default(),
                    trigger_item_id: w.trigger_item_id,
                    trigger_title: rows
                        .get(&w.trigger_item_id)
                        .map(|r| r.title.clone())
                        .unwrap_or_default(),
                    triggered_at: w.triggered_at,
                    parent_wave_id: w.parent_wave_id,
                    total: follow_ups.len() as i64,
                    published: count(FollowUpState::OnTime) + count(FollowUpState::Late),
                    on_time: count(FollowUpState::OnTime),
                    late: count(FollowUpState::Late),
                    follow_ups,
                }
            })
            .collect();
        Ok(Waves { items })
    }

    /// The job's work: the waves of a published item (none twice).
    pub async fn run_waves(&self, ws: WorkspaceId, item: i64) -> Result<usize> {
        let cfg = self.workspace_config(ws).await?;
        let txn = self.begin().await?;
        let made = start_waves(&txn, &cfg, ws, item).await?;
        self.commit(txn).await?;
        Ok(made)
    }
}

/// Queues the wave job of an item just published, if its campaign has an order that is on.
pub(crate) async fn queue_waves(
    txn: &Tx,
    ws: WorkspaceId,
    item: i64,
    campaign: Option<i64>,
) -> Result<()> {
    let Some(c) = campaign else { return Ok(()) };
    let any = scoped::in_ws::<coordination_order::Entity>(ws)
        .filter(coordination_order::Column::CampaignId.eq(c))
        .filter(coordination_order::Column::Enabled.eq(true))
        .one(txn)
        .await?
        .is_some();
    if any {
        jobs::schedule(
            txn,
            ws,
            &NewJob {
                kind: JobKind::Wave,
                payload: json!({"item_id": item}),
                run_at: Utc::now(),
                key: format!("wave:{item}"),
            },
        )
        .await?;
    }
    Ok(())
}

async fn start_waves(txn: &Tx, cfg: &WorkspaceConfig, ws: WorkspaceId, item: i64) -> Result<usize> {
    let Some(trigger) = scoped::by_id::<content_item::Entity>(ws, item)
        .one(txn)
        .await?
    else {
        return Ok(0);
    };
    let (Some(published_at), Some(campaign)) = (trigger.published_at, trigger.campaign_id) else {
        return Ok(0);
    };
    let orders: Vec<coordination_order::Model> = scoped::in_ws::<coordination_order::Entity>(ws)
        .filter(coordination_order::Column::CampaignId.eq(campaign))
        .filter(coordination_order::Column::Enabled.eq(true))
        .order_by_asc(coordination_order::Column::Id)
        .all(txn)
        .await?;
    if orders.is_empty() {
        return Ok(0);
    }
    let accounts = accounts(txn, ws).await?;
    let Some(trigger_account) = accounts
        .iter()
        .find(|a| Some(a.facts.id) == trigger.account_id)
    else {
        return Ok(0);
    };
    // The chain above: a follow-up's own publish starts no order already up its cascade.
    let parent = match scoped::in_ws::<wave_follow_up::Entity>(ws)
        .filter(wave_follow_up::Column::ItemId.eq(item))
        .one(txn)
        .await?
    {
        Some(l) => {
            scoped::by_id::<wave::Entity>(ws, l.wave_id)
                .one(txn)
                .await?
        }
        None => None,
    };
    let lineage: Vec<i64> = parent.as_ref().map_or_else(Vec::new, |p| {
        let mut l: Vec<i64> = serde_json::from_value(p.lineage.clone()).unwrap_or_default();
        l.push(p.order_id);
        l
    });
    let campaign_name = scoped::by_id::<crate::entities::campaign::Entity>(ws, campaign)
        .one(txn)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    let tz = zone(cfg);
    let mut made = 0;
    for o in orders {
        let order = to_order(o, 0);
        if !order.trigger.matches(&trigger_account.facts) || lineage.contains(&order.id) {
            continue;
        }
        let mut chain = lineage.clone();
        chain.push(order.id);
        let now = Utc::now();
        let inserted = txn
            .query_one_raw(stmt(
                engine_of(txn),
                "INSERT INTO waves (workspace_id, order_id, trigger_item_id, parent_wave_id, lineage, \
                 triggered_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (workspace_id, order_id, trigger_item_id) DO NOTHING RETURNING id",
                vec![
                    ws.0.into(),
                    order.id.into(),
                    item.into(),
                    parent.as_ref().map(|p| p.id).into(),
                    json_param(txn, &json!(lineage)),
                    published_at.into(),
                    now.into(),
                ],
            ))
            .await?;
        let Some(row) = inserted else { continue };
        let wave_id: i64 = row.try_get_by_index(0)?;
        let mut values: HashMap<&str, String> = HashMap::new();
        values.insert("trigger.title", trigger.title.clone());
        values.insert("trigger.url", trigger.post_url.clone().unwrap_or_default());
        values.insert("trigger.account", trigger_account.handle.clone());
        values.insert("trigger.account_name", trigger_account.name.clone());
        values.insert("trigger.platform", trigger_account.facts.platform.clone());
        values.insert(
            "trigger.published_at",
            published_at
                .with_timezone(&tz)
                .format("%m-%d %H:%M")
                .to_string(),
        );
        values.insert("campaign.name", campaign_name.clone());
        let required = cfg.campaigns.get(&campaign).cloned().unwrap_or_default();
        let mut count = 0;
        for acc in accounts
            .iter()
            .filter(|a| a.facts.active && a.facts.id != trigger_account.facts.id)
        {
            let Some(rule) = order
                .follow_ups
                .iter()
                .find(|f: &&FollowUpRule| f.spec.matches(&acc.facts))
            else {
                continue;
            };
            let due = published_at + Duration::minutes(rule.delay_minutes);
            values.insert("account.handle", acc.handle.clone());
            values.insert("account.name", acc.name.clone());
            let owners: Vec<UserId> = cfg
                .accounts
                .get(&acc.facts.id)
                .map(|a| a.2.iter().map(|u| UserId(*u)).collect())
                .unwrap_or_default();
            let title: String = orders::render(&order.title_template, &values)
                .trim()
                .chars()
                .take(kox_domain::content::MAX_TITLE)
                .collect();
            let draft = ContentDraft {
                stage: Stage::Draft,
                title: if title.is_empty() {
                    order.name.clone()
                } else {
                    title
                },
                body: orders::render(&order.body_template, &values),
                account_id: Some(AccountId(acc.facts.id)),
                campaign_id: Some(CampaignId(campaign)),
                topic_id: None,
                hashtags: required.clone(),
                media: Vec::new(),
                assignee_id: owners.first().copied(),
                due_on: Some(due.with_timezone(&tz).date_naive()),
                planned_at: Some(due),
                tags: vec!["协同跟发".into()],
                grade: None,
                custom: serde_json::Map::new(),
            };
            let follow = Store::insert_by_system(txn, cfg, ws, draft).await?;
            wave_follow_up::ActiveModel {
                workspace_id: Set(ws.0),
                wave_id: Set(wave_id),
                item_id: Set(follow.id.0),
                due_at: Set(due),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            notify(
                txn,
                &Caller::system(),
                ws,
                &cfg.time_zone,
                Notice {
                    kind: NotificationKind::WaveFollowUp,
                    recipients: owners,
                    actor: None,
                    item: Some(crate::content::notices::item_ref(&follow)),
                    title: follow.title.clone(),
                    data: json!({
                        "order": order.name,
                        "trigger_title": trigger.title,
                        "trigger_url": trigger.post_url,
                        "trigger_account": trigger_account.handle,
                        "due_at": due,
                    }),
                    lines: vec![
                        format!("跟发《{}》（@{}）", trigger.title, trigger_account.handle),
                        format!("截止 {}", due.with_timezone(&tz).format("%m-%d %H:%M")),
                    ],
                },
            )
            .await?;
            count += 1;
        }
        record(
            txn,
            &Caller::system(),
            NewEvent::change(ws, "wave", Some(wave_id), "wave.started").after(json!({
                "order_id": order.id, "trigger_item_id": item, "follow_ups": count,
            })),
        )
        .await?;
        made += 1;
    }
    Ok(made)
}

/// A JSON value bound as a parameter (PostgreSQL's column is JSONB; SQLite keeps text).
fn json_param(db: &impl ConnectionTrait, v: &Value) -> sea_orm::Value {
    match engine_of(db) {
        crate::Engine::Sqlite => v.to_string().into(),
        crate::Engine::Postgres => sea_orm::Value::Json(Some(Box::new(v.clone()))),
    }
}
