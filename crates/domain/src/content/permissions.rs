//! Who may do what to a content item: the content part of the capability table.

use crate::access::{Capability, Role};
use crate::content::Stage;

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

// Case tables spell out their row type inline, which is the point of a table.
#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;
    use crate::content::*;

    use Stage as S;

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
}
