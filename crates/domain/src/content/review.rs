//! Review: the review state machine (one pure transition from an item's review position and an
//! action to what changes), approval records and their decisions, the reason a reviewer gives.
//! Over half of the file is the state machine's case tables, kept beside the rules they pin.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use serde_json::json;

use crate::UserId;
use crate::access::Role;
use crate::content::{ContentAction, ReviewState, Stage, may};
use crate::content_settings::{ApprovalMode, ContentSettings, StepRule};
use crate::red_lines::RedLineHit;
use crate::validation::{self, FieldError, Fields};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Pending,
    Approved,
    Rejected,
    Overridden,
    Withdrawn,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Pending => "pending",
            Decision::Approved => "approved",
            Decision::Rejected => "rejected",
            Decision::Overridden => "overridden",
            Decision::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(s: &str) -> Option<Decision> {
        [
            Decision::Pending,
            Decision::Approved,
            Decision::Rejected,
            Decision::Overridden,
            Decision::Withdrawn,
        ]
        .into_iter()
        .find(|d| d.as_str() == s)
    }
}

/// One approval request and its decision.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ReviewRecord {
    pub id: i64,
    pub round: i64,
    pub step: i64,
    pub requester_id: Option<i64>,
    pub requester_name: Option<String>,
    /// Who decided; for a pending request of an "all" step, the approver it waits for.
    pub approver_id: Option<i64>,
    pub approver_name: Option<String>,
    pub decision: Decision,
    pub reason: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// For an approval or an override: the red-line hits in force when it was decided (what
    /// the decision passed; a block among them only an override passes). Empty otherwise.
    #[serde(default)]
    #[schema(required = true)]
    pub red_line_hits: Vec<RedLineHit>,
}

/// The reason a reviewer or a director gives: required, at most 1,000 characters.
pub fn parse_reason(raw: Option<&str>) -> Fields<String> {
    let r = validation::text("reason", raw.unwrap_or(""), 0, 1000)?;
    if r.is_empty() {
        Err(FieldError::new(
            "reason",
            "content.reason_required",
            "write the reason",
        ))
    } else {
        Ok(r)
    }
}

/// A step someone takes in an item's review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewAction {
    Submit,
    Approve,
    Reject,
    Override,
    Withdraw,
}

/// One open approval request of the item's current round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PendingRequest {
    pub id: i64,
    pub requester: Option<UserId>,
    /// For an "all" step: the approver this request waits for.
    pub approver: Option<UserId>,
}

/// Everything the review transition reads: the item's review position, its open requests, the
/// workspace's approval flow and who acts.
// Independent facts of one case, each read by its own rule (and set by the case tables).
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone)]
pub struct ReviewCase<'a> {
    pub action: ReviewAction,
    pub role: Role,
    /// The member acting (permission, self-approval, step approvers).
    pub by: UserId,
    /// The person recorded as requester of a new round (`None` for the system).
    pub recorded_as: Option<UserId>,
    /// Whether `by` owns the item's account.
    pub owns: bool,
    pub stage: Stage,
    pub has_account: bool,
    pub assignee: Option<UserId>,
    pub round: i64,
    /// Whether the current round ended with a decision (approved, rejected, overridden). A
    /// withdrawn round did not: the next submission continues it, so a withdrawal is not a
    /// review round (the first-pass rate and 第 N 轮 count decided rounds).
    pub round_ended: bool,
    pub step: usize,
    pub pending: &'a [PendingRequest],
    pub settings: &'a ContentSettings,
    /// Red-line hits block approval; read only for `Approve`.
    pub blocked: bool,
    pub reason: Option<&'a str>,
}

/// Approval requests to open for one step: one for any approver, or one per approver of an
/// "all" step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenStep {
    pub round: i64,
    pub step: usize,
    pub requester: Option<UserId>,
    pub approvers: Vec<Option<UserId>>,
}

/// What a review step changes. The store writes exactly this, in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewOutcome {
    /// The request decided by the caller: (request id, decision, whether it ends the round).
    pub decide: Option<(i64, Decision, bool)>,
    /// The reason recorded with that decision.
    pub reason: Option<String>,
    /// Other open requests of the round, withdrawn.
    pub withdraw: Vec<i64>,
    pub open: Option<OpenStep>,
    /// A stage change (recorded as a transition).
    pub stage: Option<Stage>,
    pub review_state: Option<ReviewState>,
    pub round: Option<i64>,
    pub step: Option<usize>,
    /// `Some(None)` clears the override reason.
    pub override_reason: Option<Option<String>>,
    pub event: &'static str,
    pub event_after: serde_json::Value,
}

impl ReviewOutcome {
    fn new(event: &'static str, event_after: serde_json::Value) -> Self {
        Self {
            decide: None,
            reason: None,
            withdraw: Vec::new(),
            open: None,
            stage: None,
            review_state: None,
            round: None,
            step: None,
            override_reason: None,
            event,
            event_after,
        }
    }

    /// Decides `chosen` and withdraws the round's other open requests.
    fn settle(
        mut self,
        pending: &[PendingRequest],
        chosen: i64,
        decision: Decision,
        ends: bool,
    ) -> Self {
        self.decide = Some((chosen, decision, ends));
        self.withdraw = pending
            .iter()
            .filter(|p| p.id != chosen)
            .map(|p| p.id)
            .collect();
        self
    }
}

/// Why a review step is refused.
#[derive(Debug, Clone, PartialEq)]
pub enum ReviewRefusal {
    /// The capability table does not allow this member the step.
    Forbidden,
    Invalid(FieldError),
}

impl From<FieldError> for ReviewRefusal {
    fn from(e: FieldError) -> Self {
        ReviewRefusal::Invalid(e)
    }
}

fn refuse(field: &str, code: &'static str, message: impl Into<String>) -> ReviewRefusal {
    ReviewRefusal::Invalid(FieldError::new(field, code, message))
}

/// The review state machine: from an item's review position and one action to what changes.
/// Rules, in the order they are checked: the capability table; the item must be in 稿件 to be
/// submitted and have open requests to be decided or withdrawn; nobody decides their own item
/// (submitter or assignee); in a multi-level step only its approvers decide (an override
/// stands above the steps); an "all" step needs each approver once; red-line hits block
/// approval. A round ends with a rejection, an override or the last step's approval.
pub fn review_transition(case: &ReviewCase<'_>) -> Result<ReviewOutcome, ReviewRefusal> {
    use ReviewAction as A;
    let allowed = |action| may(case.role, action, case.stage, case.owns);
    let forbid_unless = |ok: bool| {
        if ok {
            Ok(())
        } else {
            Err(ReviewRefusal::Forbidden)
        }
    };
    let requester = case.pending.first().and_then(|p| p.requester);
    let not_pending = || {
        refuse(
            "action",
            "content.review_not_pending",
            "this item is not waiting for review",
        )
    };
    let (round, step) = (case.round, case.step);
    let approval = &case.settings.approval;
    match case.action {
        A::Submit => {
            forbid_unless(allowed(ContentAction::Submit))?;
            if case.stage != Stage::Draft {
                return Err(refuse(
                    "stage",
                    "content.invalid_transition",
                    "only a draft in 稿件 can be submitted",
                ));
            }
            if !case.has_account {
                return Err(refuse(
                    "account_id",
                    "content.account_required",
                    "choose the account this draft is for",
                ));
            }
            if approval.mode == ApprovalMode::None {
                return Err(refuse(
                    "action",
                    "content.review_disabled",
                    "this workspace publishes without review: move the draft to 发布",
                ));
            }
            let next = if round > 0 && !case.round_ended {
                round
            } else {
                round + 1
            };
            let mut out = ReviewOutcome::new(
                "content.submitted",
                json!({"round": next, "stage": Stage::Review}),
            );
            out.open = Some(open_step(case.settings, next, 0, case.recorded_as));
            out.stage = Some(Stage::Review);
            out.review_state = Some(ReviewState::Pending);
            out.round = Some(next);
            out.step = Some(0);
            out.override_reason = Some(None);
            Ok(out)
        }
        A::Withdraw => {
            forbid_unless(allowed(ContentAction::Withdraw) || requester == Some(case.by))?;
            if case.stage != Stage::Review || case.pending.is_empty() {
                return Err(not_pending());
            }
            let mut out = ReviewOutcome::new(
                "content.withdrawn",
                json!({"round": round, "stage": Stage::Draft}),
            );
            out.withdraw = case.pending.iter().map(|p| p.id).collect();
            out.stage = Some(Stage::Draft);
            out.review_state = Some(ReviewState::None);
            Ok(out)
        }
        A::Approve | A::Reject | A::Override => {
            forbid_unless(allowed(if case.action == A::Override {
                ContentAction::Override
            } else {
                ContentAction::Decide
            }))?;
            if case.stage != Stage::Review || case.pending.is_empty() {
                return Err(not_pending());
            }
            if requester == Some(case.by) || case.assignee == Some(case.by) {
                return Err(refuse(
                    "action",
                    "content.self_approval",
                    "nobody reviews their own item; ask another editor",
                ));
            }
            let step_def = (approval.mode == ApprovalMode::MultiLevel)
                .then(|| approval.steps.get(step))
                .flatten();
            let mine: Vec<&PendingRequest> = match step_def {
                Some(s) if case.action != A::Override => {
                    if !s.approver_ids.contains(&case.by) {
                        return Err(refuse(
                            "action",
                            "content.not_approver",
                            format!("step “{}” is decided by its approvers", s.name),
                        ));
                    }
                    match s.rule {
                        StepRule::All => case
                            .pending
                            .iter()
                            .filter(|p| p.approver == Some(case.by))
                            .collect(),
                        StepRule::Any => case.pending.iter().take(1).collect(),
                    }
                }
                _ => case.pending.iter().take(1).collect(),
            };
            let Some(chosen) = mine.first().map(|p| p.id) else {
                return Err(refuse(
                    "action",
                    "content.already_decided",
                    "you have already approved this step",
                ));
            };
            match case.action {
                A::Reject => {
                    let reason = parse_reason(case.reason)?;
                    let mut out = ReviewOutcome::new(
                        "content.rejected",
                        json!({"round": round, "step": step, "reason": reason, "stage": Stage::Draft}),
                    )
                    .settle(case.pending, chosen, Decision::Rejected, true);
                    out.reason = Some(reason);
                    out.stage = Some(Stage::Draft);
                    out.review_state = Some(ReviewState::Rejected);
                    Ok(out)
                }
                A::Override => {
                    let reason = parse_reason(case.reason)?;
                    let mut out = ReviewOutcome::new(
                        "content.overridden",
                        json!({"round": round, "reason": reason, "stage": Stage::Publish}),
                    )
                    .settle(case.pending, chosen, Decision::Overridden, true);
                    out.reason = Some(reason.clone());
                    out.stage = Some(Stage::Publish);
                    out.review_state = Some(ReviewState::Approved);
                    out.override_reason = Some(Some(reason));
                    Ok(out)
                }
                _ => {
                    if case.blocked {
                        return Err(refuse(
                            "body",
                            "content.red_line_block",
                            "red-line hits block approval: reject it, or a director overrides with a written reason",
                        ));
                    }
                    let step_done =
                        case.pending.len() == 1 || step_def.is_none_or(|s| s.rule == StepRule::Any);
                    let ends = step_done && step + 1 >= case.settings.step_count();
                    let mut out = ReviewOutcome::new(
                        "content.approved",
                        json!({"round": round, "step": step, "final": ends,
                            "stage": if ends { Stage::Publish } else { Stage::Review }}),
                    );
                    out = if step_done {
                        out.settle(case.pending, chosen, Decision::Approved, ends)
                    } else {
                        out.decide = Some((chosen, Decision::Approved, ends));
                        out
                    };
                    out.reason = case.reason.map(str::to_owned);
                    if ends {
                        out.stage = Some(Stage::Publish);
                        out.review_state = Some(ReviewState::Approved);
                    } else if step_done {
                        out.open = Some(open_step(case.settings, round, step + 1, requester));
                        out.step = Some(step + 1);
                    }
                    Ok(out)
                }
            }
        }
    }
}

fn open_step(
    settings: &ContentSettings,
    round: i64,
    step: usize,
    requester: Option<UserId>,
) -> OpenStep {
    let def = (settings.approval.mode == ApprovalMode::MultiLevel)
        .then(|| settings.approval.steps.get(step))
        .flatten();
    let approvers = match def {
        Some(s) if s.rule == StepRule::All => s.approver_ids.iter().copied().map(Some).collect(),
        _ => vec![None],
    };
    OpenStep {
        round,
        step,
        requester,
        approvers,
    }
}

// Case tables spell out their row type inline, which is the point of a table.
#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_required_and_bounded() {
        assert_eq!(
            parse_reason(None).unwrap_err().code,
            "content.reason_required"
        );
        assert_eq!(
            parse_reason(Some("  ")).unwrap_err().code,
            "content.reason_required"
        );
        assert_eq!(parse_reason(Some(" 卖点不准确 ")).unwrap(), "卖点不准确");
        assert_eq!(
            parse_reason(Some(&"长".repeat(1001))).unwrap_err().code,
            "validation.too_long"
        );
    }

    use crate::content_settings::{ApprovalSettings, ApprovalStep};

    const OP: UserId = UserId(10);
    const ED: UserId = UserId(20);
    const ED2: UserId = UserId(21);
    const DIR: UserId = UserId(30);

    fn settings(mode: ApprovalMode, steps: Vec<ApprovalStep>) -> ContentSettings {
        ContentSettings {
            approval: ApprovalSettings { mode, steps },
            ..ContentSettings::default()
        }
    }

    fn pending(ids: &[(i64, Option<UserId>)]) -> Vec<PendingRequest> {
        ids.iter()
            .map(|(id, approver)| PendingRequest {
                id: *id,
                requester: Some(OP),
                approver: *approver,
            })
            .collect()
    }

    /// The operator's own draft in review (or in 稿件 for a submit), one open request.
    fn case<'a>(
        action: ReviewAction,
        role: Role,
        by: UserId,
        stage: Stage,
        pending: &'a [PendingRequest],
        settings: &'a ContentSettings,
    ) -> ReviewCase<'a> {
        ReviewCase {
            action,
            role,
            by,
            recorded_as: Some(by),
            owns: by == OP,
            stage,
            has_account: true,
            assignee: Some(OP),
            round: 1,
            round_ended: true,
            step: 0,
            pending,
            settings,
            blocked: false,
            reason: None,
        }
    }

    fn code(r: Result<ReviewOutcome, ReviewRefusal>) -> &'static str {
        match r {
            Ok(_) => "ok",
            Err(ReviewRefusal::Forbidden) => "forbidden",
            Err(ReviewRefusal::Invalid(f)) => f.code,
        }
    }

    #[test]
    fn review_steps_are_refused_by_the_rules_in_their_order() {
        use ReviewAction as A;
        use Role as R;
        use Stage as S;
        let req = settings(ApprovalMode::Required, vec![]);
        let none = settings(ApprovalMode::None, vec![]);
        let one = pending(&[(1, None)]);
        // (action, role, by, stage, open requests, settings, expected)
        let cases: &[(A, R, UserId, S, &[PendingRequest], &ContentSettings, &str)] = &[
            (A::Submit, R::Operator, OP, S::Draft, &[], &req, "ok"),
            (
                A::Submit,
                R::Operator,
                UserId(99),
                S::Draft,
                &[],
                &req,
                "forbidden",
            ),
            (
                A::Submit,
                R::Operator,
                OP,
                S::Topic,
                &[],
                &req,
                "content.invalid_transition",
            ),
            (
                A::Submit,
                R::Operator,
                OP,
                S::Draft,
                &[],
                &none,
                "content.review_disabled",
            ),
            (A::Submit, R::Viewer, OP, S::Draft, &[], &req, "forbidden"),
            (A::Withdraw, R::Operator, OP, S::Review, &one, &req, "ok"),
            (
                A::Withdraw,
                R::Operator,
                OP,
                S::Draft,
                &[],
                &req,
                "content.review_not_pending",
            ),
            (A::Approve, R::Editor, ED, S::Review, &one, &req, "ok"),
            (
                A::Approve,
                R::Editor,
                ED,
                S::Draft,
                &[],
                &req,
                "content.review_not_pending",
            ),
            (
                A::Approve,
                R::Operator,
                OP,
                S::Review,
                &one,
                &req,
                "forbidden",
            ),
            (
                A::Approve,
                R::Planner,
                ED,
                S::Review,
                &one,
                &req,
                "forbidden",
            ),
            (
                A::Reject,
                R::Editor,
                ED,
                S::Review,
                &one,
                &req,
                "content.reason_required",
            ),
            (
                A::Override,
                R::Editor,
                ED,
                S::Review,
                &one,
                &req,
                "forbidden",
            ),
            (
                A::Override,
                R::Director,
                DIR,
                S::Review,
                &one,
                &req,
                "content.reason_required",
            ),
        ];
        for (i, (action, role, by, stage, open, s, want)) in cases.iter().enumerate() {
            let c = case(*action, *role, *by, *stage, open, s);
            assert_eq!(
                code(review_transition(&c)),
                *want,
                "case {i}: {action:?} by {role:?}"
            );
        }
    }

    #[test]
    fn nobody_reviews_an_item_they_submitted_or_are_assigned() {
        let s = settings(ApprovalMode::Required, vec![]);
        let open = pending(&[(1, None)]);
        let mut c = case(
            ReviewAction::Approve,
            Role::Director,
            DIR,
            Stage::Review,
            &open,
            &s,
        );
        c.assignee = Some(DIR);
        assert_eq!(code(review_transition(&c)), "content.self_approval");
        let by_submitter = [PendingRequest {
            requester: Some(DIR),
            ..open[0]
        }];
        let mut c = case(
            ReviewAction::Reject,
            Role::Director,
            DIR,
            Stage::Review,
            &by_submitter,
            &s,
        );
        c.reason = Some("卖点不准确");
        assert_eq!(code(review_transition(&c)), "content.self_approval");
    }

    #[test]
    fn a_submit_opens_the_next_round_and_a_withdrawal_closes_it() {
        let s = settings(ApprovalMode::Required, vec![]);
        let out = review_transition(&case(
            ReviewAction::Submit,
            Role::Operator,
            OP,
            Stage::Draft,
            &[],
            &s,
        ))
        .unwrap();
        assert_eq!(
            out.open,
            Some(OpenStep {
                round: 2,
                step: 0,
                requester: Some(OP),
                approvers: vec![None]
            })
        );
        assert_eq!(
            (out.stage, out.review_state, out.round, out.step),
            (
                Some(Stage::Review),
                Some(ReviewState::Pending),
                Some(2),
                Some(0)
            )
        );
        assert_eq!(out.override_reason, Some(None));
        assert_eq!(out.event, "content.submitted");
        let open = pending(&[(7, None)]);
        let out = review_transition(&case(
            ReviewAction::Withdraw,
            Role::Operator,
            OP,
            Stage::Review,
            &open,
            &s,
        ))
        .unwrap();
        assert_eq!((out.decide, out.withdraw.as_slice()), (None, &[7][..]));
        assert_eq!(
            (out.stage, out.review_state),
            (Some(Stage::Draft), Some(ReviewState::None))
        );
        // (round, whether it ended) → the round the next submission opens: a withdrawn round is
        // continued, a decided one (or none yet) is followed by a new one.
        let cases: &[(i64, bool, i64)] =
            &[(0, false, 1), (1, true, 2), (1, false, 1), (3, false, 3)];
        for &(round, round_ended, want) in cases {
            let mut c = case(
                ReviewAction::Submit,
                Role::Operator,
                OP,
                Stage::Draft,
                &[],
                &s,
            );
            (c.round, c.round_ended) = (round, round_ended);
            let out = review_transition(&c).unwrap();
            assert_eq!(
                (out.round, out.open.map(|o| o.round)),
                (Some(want), Some(want)),
                "{round} {round_ended}"
            );
        }
    }

    #[test]
    fn red_lines_block_an_approval_but_not_a_directors_written_override() {
        let s = settings(ApprovalMode::Required, vec![]);
        let open = pending(&[(1, None)]);
        let mut c = case(
            ReviewAction::Approve,
            Role::Editor,
            ED,
            Stage::Review,
            &open,
            &s,
        );
        c.blocked = true;
        assert_eq!(code(review_transition(&c)), "content.red_line_block");
        let mut c = case(
            ReviewAction::Override,
            Role::Director,
            DIR,
            Stage::Review,
            &open,
            &s,
        );
        c.blocked = true;
        c.reason = Some(" 法务已确认 ");
        let out = review_transition(&c).unwrap();
        assert_eq!(out.decide, Some((1, Decision::Overridden, true)));
        assert_eq!(out.override_reason, Some(Some("法务已确认".into())));
        assert_eq!(
            (out.stage, out.review_state),
            (Some(Stage::Publish), Some(ReviewState::Approved))
        );
    }

    #[test]
    fn a_rejection_ends_the_round_and_sends_the_draft_back() {
        let s = settings(ApprovalMode::Required, vec![]);
        let open = pending(&[(4, None)]);
        let mut c = case(
            ReviewAction::Reject,
            Role::Editor,
            ED,
            Stage::Review,
            &open,
            &s,
        );
        c.reason = Some("卖点不准确");
        let out = review_transition(&c).unwrap();
        assert_eq!(out.decide, Some((4, Decision::Rejected, true)));
        assert_eq!(out.reason.as_deref(), Some("卖点不准确"));
        assert_eq!(
            (out.stage, out.review_state),
            (Some(Stage::Draft), Some(ReviewState::Rejected))
        );
    }

    #[test]
    fn multi_level_steps_are_decided_by_their_approvers_any_or_all() {
        let s = settings(
            ApprovalMode::MultiLevel,
            vec![
                ApprovalStep {
                    name: "内容".into(),
                    rule: StepRule::Any,
                    approver_ids: vec![ED, ED2],
                },
                ApprovalStep {
                    name: "品牌与法务".into(),
                    rule: StepRule::All,
                    approver_ids: vec![ED2, DIR],
                },
            ],
        );
        // Step 0 (any): an editor outside the step is refused; one of its approvers ends it
        // and opens step 1 with one request per approver.
        let open = pending(&[(1, None)]);
        let c = case(
            ReviewAction::Approve,
            Role::Editor,
            UserId(22),
            Stage::Review,
            &open,
            &s,
        );
        assert_eq!(code(review_transition(&c)), "content.not_approver");
        let out = review_transition(&case(
            ReviewAction::Approve,
            Role::Editor,
            ED,
            Stage::Review,
            &open,
            &s,
        ))
        .unwrap();
        assert_eq!(out.decide, Some((1, Decision::Approved, false)));
        assert_eq!(
            out.open,
            Some(OpenStep {
                round: 1,
                step: 1,
                requester: Some(OP),
                approvers: vec![Some(ED2), Some(DIR)]
            })
        );
        assert_eq!((out.stage, out.step), (None, Some(1)));
        // Step 1 (all): the first approval decides only its own request.
        let both = pending(&[(2, Some(ED2)), (3, Some(DIR))]);
        let mut c = case(
            ReviewAction::Approve,
            Role::Editor,
            ED2,
            Stage::Review,
            &both,
            &s,
        );
        c.step = 1;
        let out = review_transition(&c).unwrap();
        assert_eq!(
            (out.decide, out.withdraw.len(), out.stage),
            (Some((2, Decision::Approved, false)), 0, None)
        );
        // The same approver again finds nothing of theirs left; the last one ends the round.
        let last = pending(&[(3, Some(DIR))]);
        let mut c = case(
            ReviewAction::Approve,
            Role::Editor,
            ED2,
            Stage::Review,
            &last,
            &s,
        );
        c.step = 1;
        assert_eq!(code(review_transition(&c)), "content.already_decided");
        let mut c = case(
            ReviewAction::Approve,
            Role::Director,
            DIR,
            Stage::Review,
            &last,
            &s,
        );
        c.step = 1;
        let out = review_transition(&c).unwrap();
        assert_eq!(out.decide, Some((3, Decision::Approved, true)));
        assert_eq!(
            (out.stage, out.review_state),
            (Some(Stage::Publish), Some(ReviewState::Approved))
        );
    }
}
