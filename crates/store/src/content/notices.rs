//! What the board tells people, written in the transaction of the change (the outbox, see
//! `notifications`): review requested and decided, @mentions, assignments, and the publish
//! reminder an hour before `planned_at`, kept in step with the item (moving `planned_at`
//! reschedules it, publishing or deleting cancels it). The morning round (due tomorrow,
//! overdue, the directors' digest) runs as a job per workspace and day.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use kox_domain::access::Role;
use kox_domain::content::{ContentItem, Stage};
use kox_domain::content_settings::{ApprovalMode, ContentSettings};
use kox_domain::jobs::JobKind;
use kox_domain::notifications::NotificationKind;
use kox_domain::{UserId, WorkspaceId};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::Caller;
use crate::db::Tx;
use crate::entities::{account_owner, content_item, member};
use crate::jobs::{self, NewJob};
use crate::notifications::{ItemRef, Notice, notify, zone};
use crate::scoped;
use crate::{Result, Store};

/// How long before `planned_at` the account's owners are reminded.
pub const REMINDER_LEAD: Duration = Duration::hours(1);
/// When the morning round runs, in the workspace's time zone.
pub const MORNING: (u32, u32) = (9, 0);

pub(crate) fn item_ref(i: &ContentItem) -> ItemRef {
    ItemRef {
        id: i.id.0,
        title: i.title.clone(),
        account_id: i.account_id.map(|a| a.0),
        campaign_id: i.campaign_id.map(|c| c.0),
    }
}

fn row_ref(r: &content_item::Model) -> ItemRef {
    ItemRef {
        id: r.id,
        title: r.title.clone(),
        account_id: r.account_id,
        campaign_id: r.campaign_id,
    }
}

fn reminder_key(item: i64) -> String {
    format!("publish_reminder:{item}")
}

/// The members who may review (an approver step open to "any reviewer").
pub(crate) async fn reviewers(txn: &Tx, ws: WorkspaceId) -> Result<Vec<UserId>> {
    Ok(scoped::in_ws::<member::Entity>(ws)
        .all(txn)
        .await?
        .into_iter()
        .filter(|m| {
            Role::parse(&m.role)
                .is_some_and(|r| r.can(kox_domain::access::Capability::ContentReview))
        })
        .map(|m| UserId(m.user_id))
        .collect())
}

async fn owners_of(txn: &Tx, ws: WorkspaceId, account: Option<i64>) -> Result<Vec<UserId>> {
    let Some(a) = account else {
        return Ok(Vec::new());
    };
    Ok(scoped::in_ws::<account_owner::Entity>(ws)
        .filter(account_owner::Column::AccountId.eq(a))
        .all(txn)
        .await?
        .into_iter()
        .map(|o| UserId(o.user_id))
        .collect())
}

/// Keeps an item's publish reminder in step with it: queued for `planned_at − 1 h` (at once
/// when that has passed but `planned_at` has not), cancelled when there is nothing to remind of.
pub(crate) async fn sync_reminder(
    txn: &Tx,
    ws: WorkspaceId,
    item: i64,
    stage: Stage,
    planned_at: Option<DateTime<Utc>>,
) -> Result<()> {
    let now = Utc::now();
    match planned_at {
        Some(at) if at > now && !matches!(stage, Stage::Retro | Stage::Cancelled) => {
            jobs::schedule(
                txn,
                ws,
                &NewJob {
                    kind: JobKind::PublishReminder,
                    payload: json!({"item_id": item, "planned_at": at}),
                    run_at: (at - REMINDER_LEAD).max(now),
                    key: reminder_key(item),
                },
            )
            .await?;
        }
        _ => jobs::cancel(txn, ws, &reminder_key(item)).await?,
    }
    Ok(())
}

/// After an item was created or edited: tell a new assignee, and keep the reminder in step.
pub(crate) async fn item_written(
    txn: &Tx,
    caller: &Caller,
    ws: WorkspaceId,
    time_zone: &str,
    before: Option<(Option<UserId>, Option<DateTime<Utc>>)>,
    item: &ContentItem,
) -> Result<()> {
    let (assignee_before, planned_before) = before.unwrap_or((None, None));
    if let Some(a) = item.assignee_id
        && Some(a) != assignee_before
    {
        notify(
            txn,
            caller,
            ws,
            time_zone,
            Notice {
                kind: NotificationKind::Assigned,
                recipients: vec![a],
                actor: caller.user,
                item: Some(item_ref(item)),
                title: String::new(),
                data: json!({"stage": item.stage, "due_on": item.due_on, "planned_at": item.planned_at}),
                lines: item
                    .due_on
                    .map(|d| format!("截止：{d}"))
                    .into_iter()
                    .collect(),
            },
        )
        .await?;
    }
    if before.is_none() || item.planned_at != planned_before {
        sync_reminder(txn, ws, item.id.0, item.stage, item.planned_at).await?;
    }
    Ok(())
}

impl Store {
    /// The publish reminder job: if the item is still planned for that time and not out yet,
    /// its account's owners are told. Returns whether anyone was told.
    pub async fn run_publish_reminder(
        &self,
        ws: WorkspaceId,
        item: i64,
        planned_at: Option<DateTime<Utc>>,
    ) -> Result<bool> {
        let tz = self.workspace_config(ws).await?.time_zone.clone();
        let txn = self.begin().await?;
        let Some(row) = scoped::by_id::<content_item::Entity>(ws, item)
            .one(&txn)
            .await?
        else {
            return Ok(false);
        };
        let stage = Stage::parse(&row.stage);
        // Still planned for the time the reminder was queued for (to the second: the engines
        // keep different fractions of it).
        let due = match (row.planned_at, planned_at) {
            (Some(now_planned), Some(queued_for)) => {
                (now_planned - queued_for).num_milliseconds().abs() < 1000
            }
            _ => false,
        };
        if !due || matches!(stage, Some(Stage::Retro | Stage::Cancelled) | None) {
            return Ok(false);
        }
        let owners = owners_of(&txn, ws, row.account_id).await?;
        let at = row
            .planned_at
            .map(|t| {
                t.with_timezone(&zone(&tz))
                    .format("%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        notify(
            &txn,
            &Caller::system(),
            ws,
            &tz,
            Notice {
                kind: NotificationKind::PublishReminder,
                recipients: owners,
                actor: None,
                item: Some(row_ref(&row)),
                title: String::new(),
                data: json!({"planned_at": row.planned_at}),
                lines: vec![format!("计划发布：{at}（1 小时后）")],
            },
        )
        .await?;
        self.commit(txn).await?;
        Ok(true)
    }

    /// Queues each workspace's next morning round (idempotent: one job per workspace and day).
    pub async fn schedule_mornings(&self) -> Result<()> {
        for w in self.all_workspaces().await? {
            let tz = zone(&w.time_zone);
            let at = next_morning(Utc::now(), tz);
            let day = at.with_timezone(&tz).date_naive();
            let txn = self.begin().await?;
            let key = format!("daily_digest:{day}");
            let exists = scoped::in_ws::<crate::entities::job::Entity>(w.id)
                .filter(crate::entities::job::Column::IdempotencyKey.eq(key.clone()))
                .one(&txn)
                .await?
                .is_some();
            if !exists {
                jobs::schedule(
                    &txn,
                    w.id,
                    &NewJob {
                        kind: JobKind::DailyDigest,
                        payload: json!({"day": day}),
                        run_at: at,
                        key,
                    },
                )
                .await?;
            }
            self.commit(txn).await?;
        }
        Ok(())
    }

    /// The morning round of `day` (workspace time zone): each assignee hears of their items due
    /// tomorrow and of those overdue; directors get one digest of everything overdue. Then the
    /// next morning is queued.
    pub async fn run_daily_digest(&self, ws: WorkspaceId, day: NaiveDate) -> Result<()> {
        let tz_name = self.workspace_config(ws).await?.time_zone.clone();
        let tz = zone(&tz_name);
        let txn = self.begin().await?;
        let open: Vec<content_item::Model> = scoped::in_ws::<content_item::Entity>(ws)
            .filter(content_item::Column::DueOn.is_not_null())
            .filter(content_item::Column::Stage.is_not_in(["retro", "cancelled"]))
            .order_by_asc(content_item::Column::DueOn)
            .all(&txn)
            .await?;
        let tomorrow = day.succ_opt().unwrap_or(day);
        let mut overdue = Vec::new();
        for row in &open {
            let Some(due) = row.due_on else { continue };
            let kind = if due == tomorrow {
                NotificationKind::DueTomorrow
            } else if due < day {
                overdue.push(row);
                NotificationKind::Overdue
            } else {
                continue;
            };
            let Some(a) = row.assignee_id else { continue };
            notify(
                &txn,
                &Caller::system(),
                ws,
                &tz_name,
                Notice {
                    kind,
                    recipients: vec![UserId(a)],
                    actor: None,
                    item: Some(row_ref(row)),
                    title: String::new(),
                    data: json!({"due_on": due, "days": (day - due).num_days()}),
                    lines: vec![format!("截止：{due}")],
                },
            )
            .await?;
        }
        if !overdue.is_empty() {
            let directors: Vec<UserId> = scoped::in_ws::<member::Entity>(ws)
                .filter(member::Column::Role.eq(Role::Director.as_str()))
                .all(&txn)
                .await?
                .into_iter()
                .map(|m| UserId(m.user_id))
                .collect();
            let items: Vec<_> = overdue
                .iter()
                .take(20)
                .map(|r| json!({"id": r.id, "title": r.title, "due_on": r.due_on, "assignee_id": r.assignee_id}))
                .collect();
            let mut lines: Vec<String> = overdue
                .iter()
                .take(10)
                .map(|r| {
                    format!(
                        "《{}》 截止 {}",
                        kox_domain::notifications::short_title(&r.title),
                        r.due_on.map(|d| d.to_string()).unwrap_or_default()
                    )
                })
                .collect();
            if overdue.len() > 10 {
                lines.push(format!("……共 {} 项", overdue.len()));
            }
            notify(
                &txn,
                &Caller::system(),
                ws,
                &tz_name,
                Notice {
                    kind: NotificationKind::OverdueDigest,
                    recipients: directors,
                    actor: None,
                    item: None,
                    title: format!("{day} 逾期 {} 项", overdue.len()),
                    data: json!({"day": day, "count": overdue.len(), "items": items}),
                    lines,
                },
            )
            .await?;
        }
        let next = next_morning(
            tz.from_local_datetime(&tomorrow.and_time(NaiveTime::MIN))
                .earliest()
                .map_or_else(Utc::now, |d| d.with_timezone(&Utc)),
            tz,
        );
        let next_day = next.with_timezone(&tz).date_naive();
        jobs::schedule(
            &txn,
            ws,
            &NewJob {
                kind: JobKind::DailyDigest,
                payload: json!({"day": next_day}),
                run_at: next,
                key: format!("daily_digest:{next_day}"),
            },
        )
        .await?;
        self.commit(txn).await?;
        Ok(())
    }
}

/// The first `MORNING` in `tz` after `now`.
pub fn next_morning(now: DateTime<Utc>, tz: chrono_tz::Tz) -> DateTime<Utc> {
    let local = now.with_timezone(&tz);
    let at = NaiveTime::from_hms_opt(MORNING.0, MORNING.1, 0).unwrap_or(NaiveTime::MIN);
    let mut day = local.date_naive();
    if local.time() >= at {
        day = day.succ_opt().unwrap_or(day);
    }
    tz.from_local_datetime(&day.and_time(at))
        .earliest()
        .map_or(now + Duration::days(1), |d| d.with_timezone(&Utc))
}

/// After a review step: the submitter and the assignee hear the decision that ends a round (or
/// rejects), and the next step's approvers hear that it waits for them.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn review_written(
    txn: &Tx,
    caller: &Caller,
    ws: WorkspaceId,
    time_zone: &str,
    settings: &ContentSettings,
    row: &content_item::Model,
    out: &kox_domain::content::ReviewOutcome,
    pending: &[kox_domain::content::PendingRequest],
) -> Result<()> {
    use kox_domain::content::Decision;
    if let Some((request, decision, ends_round)) = out.decide
        && matches!(
            decision,
            Decision::Approved | Decision::Rejected | Decision::Overridden
        )
        && (ends_round || decision == Decision::Rejected)
    {
        let mut recipients: Vec<UserId> = pending
            .iter()
            .filter(|p| p.id == request)
            .filter_map(|p| p.requester)
            .collect();
        recipients.extend(row.assignee_id.map(UserId));
        let verdict = match decision {
            Decision::Approved => "通过",
            Decision::Rejected => "驳回",
            _ => "强制通过",
        };
        let mut lines = vec![format!("结果：{verdict}")];
        lines.extend(out.reason.as_ref().map(|r| format!("原因：{r}")));
        notify(
            txn,
            caller,
            ws,
            time_zone,
            Notice {
                kind: NotificationKind::ReviewDecided,
                recipients,
                actor: caller.user,
                item: Some(row_ref(row)),
                title: String::new(),
                data: json!({"decision": decision, "reason": out.reason}),
                lines,
            },
        )
        .await?;
    }
    if let Some(open) = &out.open {
        let mut recipients: Vec<UserId> = open.approvers.iter().flatten().copied().collect();
        if open.approvers.iter().any(Option::is_none) {
            // An "any" step of a multi-level flow is open to its own approvers only; a single
            // review, to every reviewer.
            match settings
                .approval
                .steps
                .get(open.step)
                .filter(|_| settings.approval.mode == ApprovalMode::MultiLevel)
            {
                Some(step) => recipients.extend(step.approver_ids.iter().copied()),
                None => recipients.extend(reviewers(txn, ws).await?),
            }
        }
        notify(
            txn,
            caller,
            ws,
            time_zone,
            Notice {
                kind: NotificationKind::ReviewRequested,
                recipients,
                actor: caller.user,
                item: Some(row_ref(row)),
                title: String::new(),
                data: json!({"round": open.round, "step": open.step + 1}),
                lines: vec![format!(
                    "第 {} 轮 · 第 {} 步审核",
                    open.round,
                    open.step + 1
                )],
            },
        )
        .await?;
    }
    Ok(())
}

/// A comment's @mentions: each person mentioned is told, with the comment's start.
pub(crate) async fn mentioned(
    txn: &Tx,
    caller: &Caller,
    ws: WorkspaceId,
    time_zone: &str,
    row: &content_item::Model,
    mentions: &[i64],
    body: &str,
) -> Result<()> {
    // The author mentioning themselves tells nobody (not even a channel: no one to @).
    let mentions: Vec<i64> = mentions
        .iter()
        .copied()
        .filter(|m| Some(UserId(*m)) != caller.user)
        .collect();
    if mentions.is_empty() {
        return Ok(());
    }
    let excerpt: String = if body.chars().count() > 140 {
        body.chars().take(139).chain(std::iter::once('…')).collect()
    } else {
        body.to_owned()
    };
    notify(
        txn,
        caller,
        ws,
        time_zone,
        Notice {
            kind: NotificationKind::Mention,
            recipients: mentions.iter().map(|u| UserId(*u)).collect(),
            actor: caller.user,
            item: Some(row_ref(row)),
            title: String::new(),
            data: json!({"comment": excerpt}),
            lines: vec![format!("评论：{excerpt}")],
        },
    )
    .await
}
