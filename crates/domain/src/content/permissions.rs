//! Who may do what to a content item: the content part of the capability table (`may`), and
//! from it what one member may do with one item now (`allowed`), which the server sends with
//! every item and the board with its cards — the web shows what it is told.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::access::{Capability, Role};
use crate::content::{MoveKind, Stage, check_move};
use crate::content_settings::ApprovalMode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentAction {
    /// Create an item in this stage.
    Create,
    /// Edit an item's fields.
    Edit,
    /// Move an item out of (or within) this stage to `to`.
    Move {
        to: Stage,
    },
    Submit,
    Withdraw,
    /// Approve or reject a pending review.
    Decide,
    /// Approve despite blocking red-line hits, with a written reason.
    Override,
    Publish,
    Retro,
    Comment,
    Delete,
}

/// The content part of the capability table (DESIGN §5): admins and directors do everything;
/// the content hub (editors, planners) works in 选题/稿件; operators work on items of the
/// accounts they own; editors, directors and admins review; directors and admins override.
/// `stage` is the item's current stage; `owns` says whether the member owns its account.
pub fn may(role: Role, action: ContentAction, stage: Stage, owns: bool) -> bool {
    use Capability as C;
    use ContentAction as A;
    let any = role.can(C::ContentWriteAny);
    let hub = role.can(C::ContentWriteDraft);
    let own = role.can(C::ContentWriteOwn) && owns;
    match action {
        A::Create | A::Edit => any || (hub && stage.hub_stage()) || own,
        A::Move { to } => any || (hub && stage.hub_stage() && to.hub_stage()) || own,
        A::Submit | A::Withdraw | A::Retro => any || hub || own,
        A::Decide => role.can(C::ContentReview),
        A::Override => role.can(C::ContentOverride),
        A::Publish => role.can(C::ContentPublishAny) || (role.can(C::ContentPublishOwn) && owns),
        A::Comment => role.can(C::ContentComment),
        A::Delete => any || ((hub || own) && matches!(stage, Stage::Topic | Stage::Draft)),
    }
}

/// Why `may` refuses, in terms of the work: what the member would need to be allowed. The store
/// answers `content.not_account_owner`, `content.hub_stages_only` or `auth.forbidden`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The role acts on the items of the accounts it owns (operators), and this item's account
    /// is not one of them (or the item has no account yet).
    NotAccountOwner,
    /// The role works in 选题 and 稿件 (the content hub), and the item is past them (or the
    /// move would take it past them).
    HubStagesOnly,
    /// The role does not do this at all (a viewer editing, an operator approving).
    Role,
}

/// Why `may(role, action, stage, owns)` is false; `None` when it is true. The first rule the
/// member could meet is named: an operator refused an item of someone else's account hears
/// that they are not its owner, not that their role forbids it.
pub fn refusal(role: Role, action: ContentAction, stage: Stage, owns: bool) -> Option<Refusal> {
    use Capability as C;
    use ContentAction as A;
    if may(role, action, stage, owns) {
        return None;
    }
    // Would owning the account have allowed it?
    let owner_rule = match action {
        A::Publish => role.can(C::ContentPublishOwn),
        A::Decide | A::Override | A::Comment => false,
        _ => role.can(C::ContentWriteOwn),
    };
    if owner_rule && !owns && may(role, action, stage, true) {
        return Some(Refusal::NotAccountOwner);
    }
    let hub_rule = role.can(C::ContentWriteDraft)
        && matches!(action, A::Create | A::Edit | A::Move { .. } | A::Delete);
    if hub_rule {
        return Some(Refusal::HubStagesOnly);
    }
    Some(Refusal::Role)
}

/// A step the UI offers on an item (its drawer's buttons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemAction {
    /// Edit the fields (title, body, … are frozen from 审核 on: see `content_locked`).
    Edit,
    /// Delete (only items never reviewed; others are cancelled).
    Delete,
    /// Turn a topic card into drafts for accounts.
    CreateDrafts,
    Submit,
    Withdraw,
    Approve,
    Reject,
    /// Approve despite blocking red-line hits, with a written reason.
    Override,
    /// Paste the live post URL.
    Publish,
    Retro,
    Comment,
}

/// What one member may do with one item now, as the server decides it: the UI shows these and
/// nothing else.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Allowed {
    pub actions: Vec<ItemAction>,
    /// The columns the card may be dragged to (its own column: reordering).
    pub moves: Vec<Stage>,
    /// Title, body, hashtags, media, account and campaign are frozen (审核, 发布, 复盘).
    pub content_locked: bool,
}

/// An item as the permission rules see it. (Independent facts, one flag each: the rules read
/// them by name, so a state enum would only hide which fact a rule depends on.)
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemState {
    pub stage: Stage,
    pub has_account: bool,
    /// Whether the member owns the item's account.
    pub owns: bool,
    /// Reviewed at least once (such items are cancelled, not deleted).
    pub reviewed: bool,
    /// The member submitted the open review round or is the item's assignee.
    pub own_item: bool,
    /// The member submitted the open review round (may withdraw it).
    pub requester: bool,
    /// In a multi-level step, whether the member is one of its approvers who has not yet
    /// decided (outside multi-level review: always true).
    pub step_approver: bool,
    /// Blocking red-line hits.
    pub blocked: bool,
}

/// The columns a card may be dragged to by this member: a legal step of the workflow
/// (`check_move`) that the permission table (`may`) grants, including the review steps a move
/// stands for (稿件 → 审核 submits, 审核 → 稿件 withdraws).
pub fn legal_moves(role: Role, mode: ApprovalMode, item: &ItemState) -> Vec<Stage> {
    Stage::ALL
        .into_iter()
        .filter(|to| {
            let Ok(kind) = check_move(item.stage, *to, mode, item.has_account) else {
                return false;
            };
            if !may(role, ContentAction::Move { to: *to }, item.stage, item.owns) {
                return false;
            }
            match kind {
                MoveKind::Reorder => item.stage != Stage::Cancelled,
                MoveKind::Submit => {
                    mode != ApprovalMode::None
                        && may(role, ContentAction::Submit, item.stage, item.owns)
                }
                MoveKind::Withdraw => {
                    item.requester || may(role, ContentAction::Withdraw, item.stage, item.owns)
                }
                MoveKind::Plain | MoveKind::PullBack => true,
            }
        })
        .collect()
}

/// Everything this member may do with the item: the same rules the store applies when the
/// step is taken (so a button the UI shows is never refused for permission, and a refused step
/// never shows a button).
pub fn allowed(role: Role, mode: ApprovalMode, item: &ItemState) -> Allowed {
    use ItemAction as I;
    let st = item.stage;
    let can = |a| may(role, a, st, item.owns);
    let decide = st == Stage::Review && !item.own_item;
    let rules = [
        (I::Edit, can(ContentAction::Edit)),
        (
            I::Delete,
            can(ContentAction::Delete)
                && matches!(st, Stage::Topic | Stage::Draft)
                && !item.reviewed,
        ),
        (
            I::CreateDrafts,
            st == Stage::Topic && drafts_from_topics(role),
        ),
        (
            I::Submit,
            st == Stage::Draft
                && item.has_account
                && mode != ApprovalMode::None
                && can(ContentAction::Submit),
        ),
        (
            I::Withdraw,
            st == Stage::Review && (item.requester || can(ContentAction::Withdraw)),
        ),
        (
            I::Approve,
            decide && item.step_approver && can(ContentAction::Decide),
        ),
        (
            I::Reject,
            decide && item.step_approver && can(ContentAction::Decide),
        ),
        (
            I::Override,
            decide && item.blocked && can(ContentAction::Override),
        ),
        (
            I::Publish,
            st == Stage::Publish && can(ContentAction::Publish),
        ),
        (I::Retro, st == Stage::Retro && can(ContentAction::Retro)),
        (I::Comment, can(ContentAction::Comment)),
    ];
    Allowed {
        actions: rules
            .into_iter()
            .filter_map(|(a, ok)| ok.then_some(a))
            .collect(),
        moves: legal_moves(role, mode, item),
        content_locked: st.content_locked(),
    }
}

/// The column a new card of this member starts in: 选题 for the hub and above, 稿件 for
/// operators (drafts for their own accounts), none for read-only roles.
pub fn create_stage(role: Role) -> Option<Stage> {
    if may(role, ContentAction::Create, Stage::Topic, false) {
        Some(Stage::Topic)
    } else if may(role, ContentAction::Create, Stage::Draft, true) {
        Some(Stage::Draft)
    } else {
        None
    }
}

/// The board's part of `allowed`: for every column shown and every kind of card in it (with or
/// without an account, owned or not), the columns it may be dragged to.
pub fn board_allowed(
    role: Role,
    mode: ApprovalMode,
    stages: &[Stage],
    own_accounts: Vec<crate::AccountId>,
) -> crate::content::BoardAllowed {
    let mut moves = Vec::new();
    for stage in stages {
        for owns in [false, true] {
            for has_account in [false, true] {
                if owns && !has_account {
                    continue;
                }
                let state = ItemState {
                    stage: *stage,
                    has_account,
                    owns,
                    reviewed: false,
                    own_item: false,
                    requester: false,
                    step_approver: false,
                    blocked: false,
                };
                moves.push(crate::content::CardMoves {
                    stage: *stage,
                    owns,
                    has_account,
                    to: legal_moves(role, mode, &state),
                });
            }
        }
    }
    crate::content::BoardAllowed {
        create_stage: create_stage(role),
        own_accounts,
        moves,
        drafts_from_topics: drafts_from_topics(role),
    }
}

/// Whether `role` may make drafts from a topic card: the rule of the item action
/// `CreateDrafts`, for the board (drafts for accounts the member owns at least).
fn drafts_from_topics(role: Role) -> bool {
    may(role, ContentAction::Create, Stage::Draft, true)
}

// Case tables spell out their row type inline, which is the point of a table.
#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;
    use crate::content::*;

    use Stage as S;

    #[test]
    fn a_refusal_names_the_rule_the_member_could_meet() {
        use ContentAction as A;
        use Refusal as F;
        use Role as R;
        // (role, action, stage, owns account, why refused)
        let cases: &[(Role, ContentAction, Stage, bool, Option<Refusal>)] = &[
            (
                R::Operator,
                A::Edit,
                S::Draft,
                false,
                Some(F::NotAccountOwner),
            ),
            (R::Operator, A::Edit, S::Draft, true, None),
            (
                R::Operator,
                A::Publish,
                S::Publish,
                false,
                Some(F::NotAccountOwner),
            ),
            (
                R::Operator,
                A::Move { to: S::Review },
                S::Draft,
                false,
                Some(F::NotAccountOwner),
            ),
            (R::Operator, A::Decide, S::Review, true, Some(F::Role)),
            (
                R::Planner,
                A::Edit,
                S::Publish,
                false,
                Some(F::HubStagesOnly),
            ),
            (
                R::Editor,
                A::Move { to: S::Publish },
                S::Draft,
                false,
                Some(F::HubStagesOnly),
            ),
            (R::Editor, A::Publish, S::Publish, false, Some(F::Role)),
            (R::Viewer, A::Edit, S::Topic, false, Some(F::Role)),
            (R::Analyst, A::Create, S::Topic, false, Some(F::Role)),
            (R::Director, A::Edit, S::Retro, false, None),
        ];
        for (role, action, stage, owns, want) in cases {
            assert_eq!(
                refusal(*role, *action, *stage, *owns),
                *want,
                "{role:?} {action:?} in {stage:?}, owns: {owns}"
            );
        }
    }

    #[test]
    fn the_content_permission_table_matches_design_section_5() {
        use ContentAction as A;
        use Role as R;
        // (role, action, stage, owns account, allowed)
        let cases: &[(Role, ContentAction, Stage, bool, bool)] = &[
            (R::Admin, A::Edit, S::Review, false, true),
            (
                R::Director,
                A::Move { to: S::Cancelled },
                S::Publish,
                false,
                true,
            ),
            (R::Planner, A::Create, S::Topic, false, true),
            (R::Planner, A::Edit, S::Draft, false, true),
            (R::Planner, A::Edit, S::Publish, false, false),
            (R::Planner, A::Move { to: S::Draft }, S::Topic, false, true),
            (
                R::Planner,
                A::Move { to: S::Publish },
                S::Draft,
                false,
                false,
            ),
            (R::Planner, A::Decide, S::Review, false, false),
            (R::Editor, A::Decide, S::Review, false, true),
            (R::Editor, A::Override, S::Review, false, false),
            (R::Director, A::Override, S::Review, false, true),
            (R::Operator, A::Create, S::Draft, true, true),
            (R::Operator, A::Create, S::Draft, false, false),
            (R::Operator, A::Edit, S::Draft, false, false),
            (
                R::Operator,
                A::Move { to: S::Publish },
                S::Draft,
                true,
                true,
            ),
            (R::Operator, A::Decide, S::Review, true, false),
            (R::Operator, A::Publish, S::Publish, true, true),
            (R::Operator, A::Publish, S::Publish, false, false),
            (R::Editor, A::Publish, S::Publish, false, false),
            (R::Operator, A::Retro, S::Retro, true, true),
            (R::Operator, A::Delete, S::Publish, true, false),
            (R::Operator, A::Delete, S::Draft, true, true),
            (R::Analyst, A::Comment, S::Draft, false, true),
            (R::Analyst, A::Edit, S::Draft, false, false),
            (R::Media, A::Move { to: S::Draft }, S::Topic, false, false),
            (R::Viewer, A::Comment, S::Draft, false, false),
            (R::Viewer, A::Edit, S::Topic, true, false),
        ];
        for (role, action, stage, owns, allowed) in cases {
            assert_eq!(
                may(*role, *action, *stage, *owns),
                *allowed,
                "{role:?} {action:?} in {stage:?}, owns {owns}"
            );
        }
    }

    fn state(stage: Stage, owns: bool) -> ItemState {
        ItemState {
            stage,
            has_account: true,
            owns,
            reviewed: false,
            own_item: false,
            requester: false,
            step_approver: true,
            blocked: false,
        }
    }

    #[test]
    fn legal_moves_are_the_workflow_steps_the_member_may_take() {
        use Role as R;
        use Stage as S;
        let req = ApprovalMode::Required;
        // (role, stage, owns the account, expected columns)
        let cases: &[(Role, Stage, bool, &[Stage])] = &[
            (
                R::Director,
                S::Topic,
                false,
                &[S::Topic, S::Draft, S::Cancelled],
            ),
            (
                R::Director,
                S::Draft,
                false,
                &[S::Topic, S::Draft, S::Review, S::Cancelled],
            ),
            (
                R::Director,
                S::Review,
                false,
                &[S::Draft, S::Review, S::Cancelled],
            ),
            (
                R::Director,
                S::Publish,
                false,
                &[S::Draft, S::Publish, S::Cancelled],
            ),
            // A published item stays in 复盘 (the web once offered 复盘 → 已取消).
            (R::Director, S::Retro, false, &[S::Retro]),
            (R::Director, S::Cancelled, false, &[S::Topic, S::Draft]),
            (
                R::Operator,
                S::Draft,
                true,
                &[S::Topic, S::Draft, S::Review, S::Cancelled],
            ),
            (R::Operator, S::Draft, false, &[]),
            // The hub works among 选题, 稿件 and 已取消.
            (
                R::Editor,
                S::Draft,
                false,
                &[S::Topic, S::Draft, S::Cancelled],
            ),
            (R::Editor, S::Publish, false, &[]),
            (R::Viewer, S::Draft, false, &[]),
            (R::Analyst, S::Topic, false, &[]),
        ];
        for (role, stage, owns, want) in cases {
            assert_eq!(
                legal_moves(*role, req, &state(*stage, *owns)),
                *want,
                "{role:?} from {stage:?} (owns: {owns})"
            );
        }
        // Without review a draft goes straight to 发布, never to 审核; without an account it
        // stays in 选题.
        let mut d = state(S::Draft, true);
        assert_eq!(
            legal_moves(R::Operator, ApprovalMode::None, &d),
            [S::Topic, S::Draft, S::Publish, S::Cancelled]
        );
        d.has_account = false;
        d.stage = S::Topic;
        assert_eq!(legal_moves(R::Director, req, &d), [S::Topic, S::Cancelled]);
    }

    #[test]
    fn the_actions_offered_follow_the_rules_the_store_applies() {
        use ItemAction as I;
        use Role as R;
        use Stage as S;
        let req = ApprovalMode::Required;
        let acts = |role, st: &ItemState| allowed(role, req, st).actions;
        assert_eq!(
            acts(R::Operator, &state(S::Draft, true)),
            [I::Edit, I::Delete, I::Submit, I::Comment]
        );
        assert_eq!(acts(R::Operator, &state(S::Draft, false)), [I::Comment]);
        assert_eq!(
            acts(R::Planner, &state(S::Topic, false)),
            [I::Edit, I::Delete, I::CreateDrafts, I::Comment]
        );
        assert_eq!(
            acts(R::Editor, &state(S::Review, false)),
            [I::Withdraw, I::Approve, I::Reject, I::Comment]
        );
        // Nobody decides their own item; a red-line block offers the director an override.
        // (Directors edit in any stage; the content fields are frozen from 审核 on.)
        let mut mine = state(S::Review, false);
        mine.own_item = true;
        assert_eq!(acts(R::Director, &mine), [I::Edit, I::Withdraw, I::Comment]);
        let mut blocked = state(S::Review, false);
        blocked.blocked = true;
        assert_eq!(
            acts(R::Director, &blocked),
            [
                I::Edit,
                I::Withdraw,
                I::Approve,
                I::Reject,
                I::Override,
                I::Comment
            ]
        );
        // Outside the current multi-level step's approvers there is nothing to decide.
        let mut other_step = state(S::Review, false);
        other_step.step_approver = false;
        assert_eq!(acts(R::Editor, &other_step), [I::Withdraw, I::Comment]);
        // Reviewed items are cancelled, not deleted; operators publish and retro their own.
        let mut reviewed = state(S::Draft, true);
        reviewed.reviewed = true;
        assert!(!acts(R::Operator, &reviewed).contains(&I::Delete));
        assert_eq!(
            acts(R::Operator, &state(S::Publish, true)),
            [I::Edit, I::Publish, I::Comment]
        );
        assert_eq!(
            acts(R::Operator, &state(S::Retro, true)),
            [I::Edit, I::Retro, I::Comment]
        );
        assert_eq!(acts(R::Viewer, &state(S::Review, false)), []);
        assert!(allowed(R::Director, req, &state(S::Publish, false)).content_locked);
        assert!(!allowed(R::Director, req, &state(S::Draft, false)).content_locked);
    }

    #[test]
    fn who_may_turn_a_topic_into_drafts_on_the_board() {
        let cases: &[(Role, bool)] = &[
            (Role::Admin, true),
            (Role::Director, true),
            (Role::Editor, true),
            (Role::Planner, true),
            (Role::Operator, true),
            (Role::Analyst, false),
            (Role::Media, false),
            (Role::Viewer, false),
        ];
        for (role, want) in cases {
            let b = board_allowed(*role, ApprovalMode::Required, &[Stage::Topic], vec![]);
            assert_eq!(b.drafts_from_topics, *want, "{role:?}");
        }
    }
}
