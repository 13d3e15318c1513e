//! Review rounds and their approval records: submit, withdraw, approve, reject, override.

use chrono::{DateTime, Utc};
use kox_domain::content::{
    self as c, ContentAction, ContentChecks, ContentItem, Decision, ReviewRecord, ReviewState,
    Stage,
};
use kox_domain::content_settings::{ApprovalMode, ContentSettings, StepRule};
use kox_domain::{ContentId, UserId, WorkspaceId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
    Value as DbValue,
};
use serde_json::{Value, json};

use super::{
    Who, compute_checks, forbidden_unless, insert_transition, load_context, stage_of, to_item,
};
use crate::entities::content_review;
use crate::error::invalid;
use crate::events::{Actor, NewEvent, record};
use crate::{Result, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewAction {
    Submit,
    Approve,
    Reject,
    Override,
    Withdraw,
}

impl Store {
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
}
