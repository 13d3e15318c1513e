//! Review rounds in the store: the state machine is `kox_domain::content::review_transition`;
//! this module reads what it needs (the item row locked, the round's open requests, the red-line
//! block for approvals) and writes what it decides, in one transaction.

use chrono::{DateTime, Utc};
use kox_domain::content::{
    self as c, ContentChecks, ContentItem, Decision, OpenStep, PendingRequest, ReviewCase,
    ReviewOutcome, ReviewRecord, ReviewRefusal,
};
use kox_domain::red_lines::RedLineHit;
use kox_domain::{ContentId, UserId, WorkspaceId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QueryOrder, Set, Value as DbValue};

use super::{compute_checks, insert_transition, load_context, on_board, stage_of, to_item};
use crate::Caller;
use crate::db::Tx;
use crate::entities::content_review;
use crate::events::{NewEvent, record};
use crate::scoped;
use crate::{Result, Store, StoreError};

pub use kox_domain::content::ReviewAction;

impl Store {
    pub async fn review_content(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: ContentId,
        action: ReviewAction,
        reason: Option<&str>,
    ) -> Result<ContentItem> {
        let (me, role) = on_board(caller)?;
        let cfg = self.workspace_config(ws).await?;
        let txn = self.begin().await?;
        let row = Self::lock_row(&txn, ws, id).await?;
        let stage = stage_of(&row.stage)?;
        let owns = Self::owns(&txn, ws, row.account_id, me).await?;
        let this_round = scoped::in_ws::<content_review::Entity>(ws)
            .filter(content_review::Column::ItemId.eq(id.0))
            .filter(content_review::Column::Round.eq(row.review_round))
            .order_by_asc(content_review::Column::Id)
            .all(&txn)
            .await?;
        let round_ended = this_round.iter().any(|r| r.ends_round);
        let pending: Vec<PendingRequest> = this_round
            .into_iter()
            .filter(|p| p.decision == Decision::Pending.as_str())
            .map(|p| PendingRequest {
                id: p.id,
                requester: p.requester_id.map(UserId),
                approver: p.approver_id.map(UserId),
            })
            .collect();
        // An approval or an override reads the red lines in force now: the transition checks
        // the block last, and the decision records the hits it passed.
        let hits = if matches!(action, ReviewAction::Approve | ReviewAction::Override)
            && !pending.is_empty()
        {
            let d = to_item(row.clone(), ContentChecks::default())?.draft();
            let ctx = load_context(&txn, ws, me, d.account_id, d.campaign_id).await?;
            Some(compute_checks(&cfg, &d, &ctx))
        } else {
            None
        };
        let blocked = hits.as_ref().is_some_and(|c| c.blocking);
        let hits = hits.map(|c| c.red_lines).unwrap_or_default();
        let out = c::review_transition(&ReviewCase {
            action,
            role,
            by: me,
            recorded_as: caller.user,
            owns,
            stage,
            has_account: row.account_id.is_some(),
            assignee: row.assignee_id.map(UserId),
            round: row.review_round,
            round_ended,
            step: usize::try_from(row.review_step).unwrap_or(0),
            pending: &pending,
            settings: &cfg.settings,
            blocked,
            reason,
        })
        .map_err(|e| match e {
            ReviewRefusal::Forbidden => StoreError::Forbidden,
            ReviewRefusal::Invalid(f) => StoreError::Invalid(f),
        })?;
        let now = Utc::now();
        self.write_review(&txn, ws, id, me, &out, &hits, now)
            .await?;
        super::notices::review_written(
            &txn,
            caller,
            ws,
            &cfg.time_zone,
            &cfg.settings,
            &row,
            &out,
            &pending,
        )
        .await?;
        if let Some(to) = out.stage {
            insert_transition(&txn, ws, id.0, Some(stage), to, caller, now).await?;
        }
        let mut cols: Vec<(&str, DbValue)> = Vec::new();
        if let Some(s) = out.stage {
            cols.push(("stage", s.as_str().into()));
        }
        if let Some(r) = out.review_state {
            cols.push(("review_state", r.as_str().into()));
        }
        if let Some(r) = out.round {
            cols.push(("review_round", r.into()));
        }
        if let Some(s) = out.step {
            cols.push(("review_step", i64::try_from(s).unwrap_or(0).into()));
        }
        if let Some(r) = &out.override_reason {
            cols.push(("override_reason", r.clone().into()));
        }
        self.update_item_columns(&txn, ws, id, &cols, now).await?;
        let mut after = out.event_after.clone();
        if out.decide.is_some()
            && !hits.is_empty()
            && let Some(obj) = after.as_object_mut()
        {
            obj.insert("red_line_hits".into(), serde_json::json!(hits));
        }
        record(
            &txn,
            caller,
            NewEvent::change(ws, "content_item", Some(id.0), out.event).after(after),
        )
        .await?;
        self.commit(txn).await?;
        self.get_content(ws, id).await
    }

    /// Writes the approval records a review step decided: the caller's decision (with the
    /// red-line hits it passed), the round's other requests withdrawn, the next step's
    /// requests opened.
    #[allow(clippy::too_many_arguments)]
    async fn write_review(
        &self,
        txn: &Tx,
        ws: WorkspaceId,
        id: ContentId,
        by: UserId,
        out: &ReviewOutcome,
        hits: &[RedLineHit],
        now: DateTime<Utc>,
    ) -> Result<()> {
        if let Some((request, decision, ends_round)) = out.decide {
            let hits = if matches!(decision, Decision::Approved | Decision::Overridden) {
                serde_json::json!(hits)
            } else {
                serde_json::json!([])
            };
            scoped::update_in::<content_review::Entity>(ws)
                .col_expr(content_review::Column::RedLineHits, Expr::value(hits))
                .col_expr(content_review::Column::ApproverId, Expr::value(by.0))
                .col_expr(
                    content_review::Column::Decision,
                    Expr::value(decision.as_str()),
                )
                .col_expr(
                    content_review::Column::Reason,
                    Expr::value(out.reason.clone()),
                )
                .col_expr(content_review::Column::EndsRound, Expr::value(ends_round))
                .col_expr(content_review::Column::DecidedAt, Expr::value(now))
                .filter(content_review::Column::Id.eq(request))
                .exec(txn)
                .await?;
        }
        if !out.withdraw.is_empty() {
            scoped::update_in::<content_review::Entity>(ws)
                .col_expr(
                    content_review::Column::Decision,
                    Expr::value(Decision::Withdrawn.as_str()),
                )
                .col_expr(content_review::Column::Reason, Expr::value(None::<String>))
                .col_expr(content_review::Column::EndsRound, Expr::value(false))
                .col_expr(content_review::Column::DecidedAt, Expr::value(now))
                .filter(content_review::Column::Id.is_in(out.withdraw.iter().copied()))
                .exec(txn)
                .await?;
        }
        if let Some(OpenStep {
            round,
            step,
            requester,
            approvers,
        }) = &out.open
        {
            for a in approvers {
                content_review::ActiveModel {
                    workspace_id: Set(ws.0),
                    item_id: Set(id.0),
                    round: Set(*round),
                    step: Set(i64::try_from(*step).unwrap_or(0)),
                    requester_id: Set(requester.map(|u| u.0)),
                    approver_id: Set(a.map(|u| u.0)),
                    decision: Set(Decision::Pending.as_str().into()),
                    ends_round: Set(false),
                    reason: Set(None),
                    requested_at: Set(now),
                    decided_at: Set(None),
                    red_line_hits: Set(serde_json::json!([])),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
            }
        }
        Ok(())
    }

    pub async fn list_reviews(&self, ws: WorkspaceId, id: ContentId) -> Result<Vec<ReviewRecord>> {
        Self::load_row(&self.read, ws, id).await?;
        let rows = scoped::in_ws::<content_review::Entity>(ws)
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
                red_line_hits: serde_json::from_value(r.red_line_hits).unwrap_or_default(),
            })
            .collect())
    }
}
