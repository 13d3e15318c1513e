//! What one member may do with an item or on the board now, from the domain's rules
//! (`kox_domain::content::allowed`): the server sends it with every item and board, and the web
//! shows exactly that.

use kox_domain::content::{self as c, BoardAllowed, ContentItem, Decision, ItemState, Stage};
use kox_domain::content_settings::{ApprovalMode, StepRule};
use kox_domain::{AccountId, UserId, WorkspaceId};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};

use super::on_board;
use crate::Caller;
use crate::config::WorkspaceConfig;
use crate::entities::content_review;
use crate::scoped;
use crate::{Result, Store};

fn owns(cfg: &WorkspaceConfig, account: Option<AccountId>, user: UserId) -> bool {
    account
        .and_then(|a| cfg.accounts.get(&a.0))
        .is_some_and(|(_, _, owners)| owners.contains(&user.0))
}

impl Store {
    /// Fills `item.allowed` for the caller.
    pub async fn with_allowed(
        &self,
        ws: WorkspaceId,
        caller: &Caller,
        mut item: ContentItem,
    ) -> Result<ContentItem> {
        let (me, role) = on_board(caller)?;
        let cfg = self.workspace_config(ws).await?;
        let approval = &cfg.settings.approval;
        let (mut requester, mut step_approver) = (false, true);
        if item.stage == Stage::Review {
            let pending = scoped::in_ws::<content_review::Entity>(ws)
                .filter(content_review::Column::ItemId.eq(item.id.0))
                .filter(content_review::Column::Round.eq(item.review_round))
                .filter(content_review::Column::Decision.eq(Decision::Pending.as_str()))
                .order_by_asc(content_review::Column::Id)
                .all(&self.read)
                .await?;
            requester = pending
                .first()
                .is_some_and(|p| p.requester_id == Some(me.0));
            let step = usize::try_from(item.review_step).unwrap_or(0);
            if let Some(s) = (approval.mode == ApprovalMode::MultiLevel)
                .then(|| approval.steps.get(step))
                .flatten()
            {
                step_approver = s.approver_ids.contains(&me)
                    && (s.rule == StepRule::Any
                        || pending.iter().any(|p| p.approver_id == Some(me.0)));
            }
        }
        let state = ItemState {
            stage: item.stage,
            has_account: item.account_id.is_some(),
            owns: owns(&cfg, item.account_id, me),
            reviewed: item.review_round > 0,
            own_item: requester || item.assignee_id == Some(me),
            requester,
            step_approver,
            blocked: item.checks.blocking,
        };
        item.allowed = c::allowed(role, approval.mode, &state);
        Ok(item)
    }

    /// The board's `allowed` for the caller and the columns shown.
    pub async fn board_allowed(
        &self,
        ws: WorkspaceId,
        caller: &Caller,
        stages: &[Stage],
    ) -> Result<BoardAllowed> {
        let (me, role) = on_board(caller)?;
        let cfg = self.workspace_config(ws).await?;
        let mut mine: Vec<AccountId> = cfg
            .accounts
            .iter()
            .filter(|(_, (_, _, owners))| owners.contains(&me.0))
            .map(|(id, _)| AccountId(*id))
            .collect();
        mine.sort_unstable();
        Ok(c::board_allowed(
            role,
            cfg.settings.approval.mode,
            stages,
            mine,
        ))
    }
}
