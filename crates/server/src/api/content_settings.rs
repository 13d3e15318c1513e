//! Board settings: column names, WIP limits, approval mode.

use axum::extract::State;
use kox_domain::content_settings::ContentSettings;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::types::WorkspacePath;
use crate::AppState;
use crate::auth::{Can, ManageWorkspace, Member};
use crate::error::{ApiResult, AppJson, ErrorBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_settings, put_settings))
}

/// Column names, WIP limits and the approval flow.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/settings", tag = "content", params(WorkspacePath),
    responses((status = 200, body = ContentSettings), (status = 404, body = ErrorBody)))]
async fn get_settings(
    State(state): State<AppState>,
    m: Member,
) -> ApiResult<axum::Json<ContentSettings>> {
    Ok(axum::Json(
        state.store.content_settings(m.workspace_id).await?,
    ))
}

#[utoipa::path(put, path = "/workspaces/{workspace_id}/content/settings", tag = "content", params(WorkspacePath),
    request_body = ContentSettings,
    responses((status = 200, body = ContentSettings), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn put_settings(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageWorkspace>,
    AppJson(s): AppJson<ContentSettings>,
) -> ApiResult<axum::Json<ContentSettings>> {
    Ok(axum::Json(
        state
            .store
            .update_content_settings(&m.caller(), m.workspace_id, s)
            .await?,
    ))
}
