//! Workspace settings and the platform list (data, not code: admins add and rename platforms).

use axum::extract::State;
use axum::http::StatusCode;
use kox_domain::members::{Platform, PlatformPatch, Workspace};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::types::{PlatformPath, WorkspacePath};
use crate::AppState;
use crate::auth::{Can, ManagePlatforms, ManageWorkspace, Member};
use crate::error::{ApiResult, AppJson, AppPath, ErrorBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_workspace, update_workspace))
        .routes(routes!(list_platforms, create_platform))
        .routes(routes!(update_platform))
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}", tag = "workspaces", params(WorkspacePath),
    responses((status = 200, body = Workspace), (status = 404, body = ErrorBody)))]
async fn get_workspace(
    State(state): State<AppState>,
    m: Member,
) -> ApiResult<axum::Json<Workspace>> {
    Ok(axum::Json(state.store.get_workspace(m.workspace_id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWorkspace {
    pub name: Option<String>,
    /// IANA time zone, e.g. `Asia/Shanghai`; used for days, weeks and the calendar.
    pub time_zone: Option<String>,
}

#[utoipa::path(patch, path = "/workspaces/{workspace_id}", tag = "workspaces", params(WorkspacePath), request_body = UpdateWorkspace,
    responses((status = 200, body = Workspace), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn update_workspace(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageWorkspace>,
    AppJson(req): AppJson<UpdateWorkspace>,
) -> ApiResult<axum::Json<Workspace>> {
    Ok(axum::Json(
        state
            .store
            .update_workspace(
                &m.caller(),
                m.workspace_id,
                req.name.as_deref(),
                req.time_zone.as_deref(),
            )
            .await?,
    ))
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/platforms", tag = "workspaces", params(WorkspacePath),
    responses((status = 200, body = Vec<Platform>), (status = 404, body = ErrorBody)))]
async fn list_platforms(
    State(state): State<AppState>,
    m: Member,
) -> ApiResult<axum::Json<Vec<Platform>>> {
    Ok(axum::Json(
        state.store.list_platforms(m.workspace_id).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePlatform {
    /// Lowercase code, e.g. `xiaohongshu`.
    pub code: String,
    /// Display name, e.g. 小红书.
    pub name: String,
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/platforms", tag = "workspaces", params(WorkspacePath), request_body = CreatePlatform,
    responses((status = 201, body = Platform), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_platform(
    State(state): State<AppState>,
    Can(m, ..): Can<ManagePlatforms>,
    AppJson(req): AppJson<CreatePlatform>,
) -> ApiResult<(StatusCode, axum::Json<Platform>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(
            state
                .store
                .create_platform(&m.caller(), m.workspace_id, &req.code, &req.name)
                .await?,
        ),
    ))
}

#[utoipa::path(patch, path = "/workspaces/{workspace_id}/platforms/{code}", tag = "workspaces",
    params(PlatformPath), request_body = PlatformPatch,
    responses((status = 200, body = Platform), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn update_platform(
    State(state): State<AppState>,
    Can(m, ..): Can<ManagePlatforms>,
    AppPath(p): AppPath<PlatformPath>,
    AppJson(req): AppJson<PlatformPatch>,
) -> ApiResult<axum::Json<Platform>> {
    let code = p.code;
    Ok(axum::Json(
        state
            .store
            .update_platform(&m.caller(), m.workspace_id, &code, req)
            .await?,
    ))
}
