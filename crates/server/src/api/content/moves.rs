//! Drag and drop: moving a card to a column and a place in it.

use axum::extract::State;
use kox_domain::ContentId;
use kox_domain::content::{ContentItem, Stage};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::for_member;
use crate::AppState;
use crate::api::types::IdPath;
use crate::auth::{Can, WriteContent};
use crate::error::{ApiResult, AppJson, AppPath, ErrorBody};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(move_item))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveRequest {
    pub stage: Stage,
    /// The card this one should follow in the target column; `null` puts it at the top.
    #[serde(default)]
    pub after_id: Option<i64>,
}

/// Moves a card (drag and drop). Only legal workflow steps: e.g. 选题 → 稿件 needs an account,
/// 稿件 → 审核 submits for review, 审核 → 发布 happens by approval and 发布 → 复盘 by publishing.
#[utoipa::path(post, path = "/workspaces/{workspace_id}/content/{id}/move", tag = "content", params(IdPath),
    request_body = MoveRequest,
    responses((status = 200, body = ContentItem), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn move_item(
    State(state): State<AppState>,
    Can(m, ..): Can<WriteContent>,
    AppPath(p): AppPath<IdPath>,
    AppJson(req): AppJson<MoveRequest>,
) -> ApiResult<axum::Json<ContentItem>> {
    for_member(
        &state,
        &m,
        state
            .store
            .move_content(
                &m.caller(),
                m.workspace_id,
                ContentId(p.id),
                req.stage,
                req.after_id.map(ContentId),
            )
            .await?,
    )
    .await
}
