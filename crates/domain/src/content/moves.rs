//! Board moves: the one transition function for moves made on the board, fractional
//! positions, and the transition record of every stage change.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::UserId;
use crate::content::Stage;
use crate::content_settings::ApprovalMode;
use crate::validation::{FieldError, Fields};

/// What a requested board move amounts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveKind {
    /// Same column, new position.
    Reorder,
    /// A plain stage change.
    Plain,
    /// 稿件 → 审核: a review round starts (the same as `review` with `submit`).
    Submit,
    /// 审核 → 稿件 by the submitter: the pending round is withdrawn.
    Withdraw,
    /// 发布 → 稿件: an approved item is pulled back and must be reviewed again.
    PullBack,
}

fn illegal(from: Stage, to: Stage, why: &str) -> FieldError {
    FieldError::new(
        "stage",
        "content.invalid_transition",
        format!("{} → {}: {why}", from.default_name(), to.default_name()),
    )
}

/// The one transition function for moves made on the board. Approval (审核 → 发布), publishing
/// (发布 → 复盘) and the retro note have their own actions with their own inputs.
pub fn check_move(
    from: Stage,
    to: Stage,
    mode: ApprovalMode,
    has_account: bool,
) -> Fields<MoveKind> {
    use Stage as S;
    let needs_account = |kind| {
        if has_account {
            Ok(kind)
        } else {
            Err(FieldError::new(
                "account_id",
                "content.account_required",
                "choose the account this draft is for before it leaves 选题",
            ))
        }
    };
    match (from, to) {
        (a, b) if a == b => Ok(MoveKind::Reorder),
        (S::Topic | S::Cancelled, S::Draft) => needs_account(MoveKind::Plain),
        (S::Draft | S::Cancelled, S::Topic)
        | (S::Topic | S::Draft | S::Review | S::Publish, S::Cancelled) => Ok(MoveKind::Plain),
        (S::Draft, S::Review) => needs_account(MoveKind::Submit),
        (S::Review, S::Draft) => Ok(MoveKind::Withdraw),
        (S::Draft, S::Publish) => match mode {
            ApprovalMode::None | ApprovalMode::Optional => needs_account(MoveKind::Plain),
            _ => Err(illegal(from, to, "this workspace requires a review first")),
        },
        (S::Publish, S::Draft) => Ok(MoveKind::PullBack),
        (S::Review, S::Publish) => Err(illegal(from, to, "an approval moves it")),
        (S::Publish, S::Retro) => Err(illegal(from, to, "paste the live post URL to publish it")),
        (S::Retro, _) => Err(illegal(from, to, "a published item stays in 复盘")),
        _ => Err(illegal(from, to, "not a step of the workflow")),
    }
}

/// Gap between neighbours when a column is (re)numbered or a card is appended.
pub const POSITION_STEP: f64 = 1024.0;

/// A position strictly between two neighbours (either may be absent: top or bottom of a
/// column). `None` when the gap is exhausted and the column must be renumbered first.
pub fn position_between(prev: Option<f64>, next: Option<f64>) -> Option<f64> {
    let p = match (prev, next) {
        (None, None) => 0.0,
        (Some(a), None) => a + POSITION_STEP,
        (None, Some(b)) => b - POSITION_STEP,
        (Some(a), Some(b)) => a + (b - a) / 2.0,
    };
    let strictly = prev.is_none_or(|a| p > a) && next.is_none_or(|b| p < b);
    (strictly && p.is_finite()).then_some(p)
}

/// One stage change of an item (`from` is empty when the item was created).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Transition {
    pub from: Option<Stage>,
    pub to: Stage,
    #[schema(value_type = Option<i64>)]
    pub actor_id: Option<UserId>,
    pub at: DateTime<Utc>,
}

// Case tables spell out their row type inline, which is the point of a table.
#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;
    use crate::content::*;
    use crate::content_settings::*;
    use ApprovalMode as M;
    use Stage as S;

    #[test]
    fn board_moves_follow_the_workflow_table() {
        use MoveKind as K;
        // (from, to, mode, has_account, expected kind or error code)
        let cases: &[(Stage, Stage, ApprovalMode, bool, Result<MoveKind, &str>)] = &[
            (S::Topic, S::Topic, M::Required, false, Ok(K::Reorder)),
            (S::Topic, S::Draft, M::Required, true, Ok(K::Plain)),
            (
                S::Topic,
                S::Draft,
                M::Required,
                false,
                Err("content.account_required"),
            ),
            (
                S::Topic,
                S::Review,
                M::Required,
                true,
                Err("content.invalid_transition"),
            ),
            (
                S::Topic,
                S::Publish,
                M::None,
                true,
                Err("content.invalid_transition"),
            ),
            (S::Draft, S::Topic, M::Required, true, Ok(K::Plain)),
            (S::Draft, S::Review, M::Required, true, Ok(K::Submit)),
            (
                S::Draft,
                S::Review,
                M::Required,
                false,
                Err("content.account_required"),
            ),
            (
                S::Draft,
                S::Publish,
                M::Required,
                true,
                Err("content.invalid_transition"),
            ),
            (
                S::Draft,
                S::Publish,
                M::MultiLevel,
                true,
                Err("content.invalid_transition"),
            ),
            (S::Draft, S::Publish, M::Optional, true, Ok(K::Plain)),
            (S::Draft, S::Publish, M::None, true, Ok(K::Plain)),
            (
                S::Draft,
                S::Retro,
                M::None,
                true,
                Err("content.invalid_transition"),
            ),
            (S::Review, S::Draft, M::Required, true, Ok(K::Withdraw)),
            (
                S::Review,
                S::Publish,
                M::Required,
                true,
                Err("content.invalid_transition"),
            ),
            (S::Publish, S::Draft, M::Required, true, Ok(K::PullBack)),
            (
                S::Publish,
                S::Retro,
                M::Required,
                true,
                Err("content.invalid_transition"),
            ),
            (S::Publish, S::Cancelled, M::Required, true, Ok(K::Plain)),
            (
                S::Retro,
                S::Cancelled,
                M::Required,
                true,
                Err("content.invalid_transition"),
            ),
            (
                S::Retro,
                S::Publish,
                M::Required,
                true,
                Err("content.invalid_transition"),
            ),
            (S::Cancelled, S::Topic, M::Required, false, Ok(K::Plain)),
            (
                S::Cancelled,
                S::Draft,
                M::Required,
                false,
                Err("content.account_required"),
            ),
            (
                S::Cancelled,
                S::Review,
                M::Required,
                true,
                Err("content.invalid_transition"),
            ),
        ];
        for (from, to, mode, acc, want) in cases {
            let got = check_move(*from, *to, *mode, *acc).map_err(|e| e.code);
            assert_eq!(got, *want, "{from:?} → {to:?} in {mode:?}, account {acc}");
        }
    }

    #[test]
    fn positions_fall_strictly_between_neighbours_until_the_gap_is_exhausted() {
        assert_eq!(position_between(None, None), Some(0.0));
        assert_eq!(position_between(Some(1024.0), None), Some(2048.0));
        assert_eq!(position_between(None, Some(0.0)), Some(-1024.0));
        assert_eq!(position_between(Some(0.0), Some(1024.0)), Some(512.0));
        let (mut a, b) = (0.0_f64, 1.0_f64);
        let mut n = 0;
        while let Some(p) = position_between(Some(a), Some(b)) {
            assert!(p > a && p < b);
            a = p;
            n += 1;
        }
        assert!(n > 40, "only {n} insertions before renumbering");
        assert_eq!(position_between(Some(5.0), Some(5.0)), None);
    }
}
