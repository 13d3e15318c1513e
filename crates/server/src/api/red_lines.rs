//! The red-line library.

use axum::extract::State;
use axum::http::StatusCode;
use kox_domain::red_lines::{RedLine, RedLineDraft, RedLinePatch};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::types::{IdPath, WorkspacePath};
use crate::AppState;
use crate::auth::{Can, ManageRedLines, Member};
use crate::error::{ApiResult, AppJson, AppPath, ErrorBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_red_lines, create_red_line))
        .routes(routes!(update_red_line, delete_red_line))
}

/// The workspace's red lines: its own and the built-in advertising-law terms (editable).
#[utoipa::path(get, path = "/workspaces/{workspace_id}/red-lines", tag = "content", params(WorkspacePath),
    responses((status = 200, body = Vec<RedLine>), (status = 404, body = ErrorBody)))]
async fn list_red_lines(
    State(state): State<AppState>,
    m: Member,
) -> ApiResult<axum::Json<Vec<RedLine>>> {
    let caller = m.caller();
    Ok(axum::Json(
        state
            .store
            .list_red_lines(m.workspace_id)
            .await?
            .into_iter()
            .map(|l| l.with_allowed(&caller))
            .collect(),
    ))
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/red-lines", tag = "content", params(WorkspacePath),
    request_body = RedLineDraft,
    responses((status = 201, body = RedLine), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_red_line(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageRedLines>,
    AppJson(d): AppJson<RedLineDraft>,
) -> ApiResult<(StatusCode, axum::Json<RedLine>)> {
    let r = state
        .store
        .create_red_line(&m.caller(), m.workspace_id, d)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(r.with_allowed(&m.caller()))))
}

#[utoipa::path(patch, path = "/workspaces/{workspace_id}/red-lines/{id}", tag = "content", params(IdPath),
    request_body = RedLinePatch,
    responses((status = 200, body = RedLine), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_red_line(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageRedLines>,
    AppPath(at): AppPath<IdPath>,
    AppJson(p): AppJson<RedLinePatch>,
) -> ApiResult<axum::Json<RedLine>> {
    Ok(axum::Json(
        state
            .store
            .update_red_line(&m.caller(), m.workspace_id, at.id, p)
            .await?
            .with_allowed(&m.caller()),
    ))
}

#[utoipa::path(delete, path = "/workspaces/{workspace_id}/red-lines/{id}", tag = "content", params(IdPath),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_red_line(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageRedLines>,
    AppPath(p): AppPath<IdPath>,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_red_line(&m.caller(), m.workspace_id, p.id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
