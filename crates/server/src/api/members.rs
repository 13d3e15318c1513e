//! Members of a workspace: role (what they may do) and group (where they sit in the team).
//! People join by accepting an invitation (`invitations`); admins change roles and groups and
//! remove members; the last admin cannot be demoted or removed.

use axum::extract::State;
use axum::http::StatusCode;
use kox_domain::UserId;
use kox_domain::access::{Group, Role};
use kox_domain::members::Member as MemberView;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::types::{MemberPath, WorkspacePath};
use crate::AppState;
use crate::auth::{Can, ManageMembers, Member};
use crate::error::{ApiResult, AppJson, AppPath, ErrorBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_members))
        .routes(routes!(update_member, remove_member))
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/members", tag = "members", params(WorkspacePath),
    responses((status = 200, body = Vec<MemberView>), (status = 404, body = ErrorBody)))]
async fn list_members(
    State(state): State<AppState>,
    m: Member,
) -> ApiResult<axum::Json<Vec<MemberView>>> {
    Ok(axum::Json(state.store.list_members(m.workspace_id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMember {
    pub role: Option<Role>,
    pub group: Option<Group>,
}

#[utoipa::path(patch, path = "/workspaces/{workspace_id}/members/{user_id}", tag = "members",
    params(MemberPath), request_body = UpdateMember,
    responses((status = 200, body = MemberView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_member(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageMembers>,
    AppPath(p): AppPath<MemberPath>,
    AppJson(req): AppJson<UpdateMember>,
) -> ApiResult<axum::Json<MemberView>> {
    let user = p.user_id;
    Ok(axum::Json(
        state
            .store
            .update_member(
                &m.caller(),
                m.workspace_id,
                UserId(user),
                req.role,
                req.group,
            )
            .await?,
    ))
}

#[utoipa::path(delete, path = "/workspaces/{workspace_id}/members/{user_id}", tag = "members",
    params(MemberPath),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn remove_member(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageMembers>,
    AppPath(p): AppPath<MemberPath>,
) -> ApiResult<StatusCode> {
    let user = p.user_id;
    state
        .store
        .remove_member(&m.caller(), m.workspace_id, UserId(user))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
