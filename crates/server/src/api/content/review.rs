//! Review: submit, withdraw, approve, reject, override; the approval records.

use axum::extract::State;
use kox_domain::ContentId;
use kox_domain::content::{ContentItem, ReviewRecord};
use kox_store::content::ReviewAction;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::for_member;
use crate::AppState;
use crate::api::types::IdPath;
use crate::auth::{ActOnContent, Can, Member};
use crate::error::{ApiResult, AppJson, AppPath, ErrorBody};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(review_item))
        .routes(routes!(list_reviews))
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewActionName {
    Submit,
    Approve,
    Reject,
    Override,
    Withdraw,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    pub action: ReviewActionName,
    /// Required to reject and to override.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Review: the author submits (or withdraws); an editor, director or admin other than the
/// submitter and the assignee approves or rejects (with a reason); a red-line hit blocks
/// approval unless a director or admin overrides with a written reason.
#[utoipa::path(post, path = "/workspaces/{workspace_id}/content/{id}/review", tag = "content", params(IdPath),
    request_body = ReviewRequest,
    responses((status = 200, body = ContentItem), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn review_item(
    State(state): State<AppState>,
    Can(m, ..): Can<ActOnContent>,
    AppPath(p): AppPath<IdPath>,
    AppJson(req): AppJson<ReviewRequest>,
) -> ApiResult<axum::Json<ContentItem>> {
    let action = match req.action {
        ReviewActionName::Submit => ReviewAction::Submit,
        ReviewActionName::Approve => ReviewAction::Approve,
        ReviewActionName::Reject => ReviewAction::Reject,
        ReviewActionName::Override => ReviewAction::Override,
        ReviewActionName::Withdraw => ReviewAction::Withdraw,
    };
    for_member(
        &state,
        &m,
        state
            .store
            .review_content(
                &m.caller(),
                m.workspace_id,
                ContentId(p.id),
                action,
                req.reason.as_deref(),
            )
            .await?,
    )
    .await
}

/// Every approval request of the item and its decision, oldest first.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/{id}/reviews", tag = "content", params(IdPath),
    responses((status = 200, body = Vec<ReviewRecord>), (status = 404, body = ErrorBody)))]
async fn list_reviews(
    State(state): State<AppState>,
    m: Member,
    AppPath(p): AppPath<IdPath>,
) -> ApiResult<axum::Json<Vec<ReviewRecord>>> {
    Ok(axum::Json(
        state
            .store
            .list_reviews(m.workspace_id, ContentId(p.id))
            .await?,
    ))
}
