//! The signed-in user: profile and language, workspaces with capabilities (so the UI can hide
//! what the user cannot do), their sessions and API tokens.

use axum::extract::State;
use axum::http::StatusCode;
use kox_domain::access::{Capability, Group, Role};
use kox_domain::members::{SessionInfo, TokenInfo, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::types::OwnIdPath;
use crate::AppState;
use crate::auth::{
    Principal, TOKEN_PREFIX, Via, hash_password_bounded, hash_secret, new_secret,
    verify_password_bounded,
};
use crate::error::{ApiError, ApiResult, AppJson, AppPath, ErrorBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_me, update_me))
        .routes(routes!(list_sessions))
        .routes(routes!(revoke_session))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
        .routes(routes!(change_password))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user: User,
    pub workspaces: Vec<MyWorkspace>,
    /// Send this back in `X-CSRF-Token` on state-changing requests (cookie sessions only).
    pub csrf_token: Option<String>,
    /// Invitations of this user's e-mail waiting for an answer (`/me/invitations/{id}/accept`).
    pub invitations: Vec<kox_domain::invitations::InvitationView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyWorkspace {
    pub id: i64,
    pub name: String,
    /// The workspace's IANA time zone: the web's "today" and date ranges use it.
    pub time_zone: String,
    pub role: Role,
    pub group: Group,
    pub capabilities: Vec<Capability>,
}

pub async fn load_me(state: &AppState, p: &Principal) -> ApiResult<Me> {
    let user = state.store.get_user(p.user_id).await?;
    let workspaces = state
        .store
        .memberships(p.user_id)
        .await?
        .into_iter()
        .map(|m| MyWorkspace {
            id: m.workspace_id.0,
            name: m.workspace_name,
            time_zone: m.workspace_time_zone,
            role: m.role,
            group: m.group,
            capabilities: m.role.capabilities(),
        })
        .collect();
    let csrf_token = match &p.via {
        Via::Session { csrf, .. } => Some(csrf.clone()),
        Via::Token { .. } => None,
    };
    let invitations = state.store.invitations_for(&user.email).await?;
    Ok(Me {
        user,
        workspaces,
        csrf_token,
        invitations,
    })
}

#[utoipa::path(get, path = "", tag = "me", responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn get_me(State(state): State<AppState>, p: Principal) -> ApiResult<axum::Json<Me>> {
    Ok(axum::Json(load_me(&state, &p).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMe {
    pub name: Option<String>,
    /// `zh-CN` or `en-US`; the UI's language, remembered per user.
    pub locale: Option<String>,
}

#[utoipa::path(patch, path = "", tag = "me", request_body = UpdateMe,
    responses((status = 200, body = Me), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn update_me(
    State(state): State<AppState>,
    p: Principal,
    AppJson(req): AppJson<UpdateMe>,
) -> ApiResult<axum::Json<Me>> {
    state
        .store
        .update_profile(
            &p.caller(),
            p.user_id,
            req.name.as_deref(),
            req.locale.as_deref(),
        )
        .await?;
    Ok(axum::Json(load_me(&state, &p).await?))
}

#[utoipa::path(get, path = "/sessions", tag = "me", responses((status = 200, body = Vec<SessionInfo>), (status = 401, body = ErrorBody)))]
async fn list_sessions(
    State(state): State<AppState>,
    p: Principal,
) -> ApiResult<axum::Json<Vec<SessionInfo>>> {
    let current = match p.via {
        Via::Session { id, .. } => Some(id),
        Via::Token { .. } => None,
    };
    Ok(axum::Json(
        state
            .store
            .list_sessions(p.user_id, current, state.settings.session_idle)
            .await?,
    ))
}

#[utoipa::path(delete, path = "/sessions/{id}", tag = "me", params(OwnIdPath),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn revoke_session(
    State(state): State<AppState>,
    p: Principal,
    AppPath(OwnIdPath { id }): AppPath<OwnIdPath>,
) -> ApiResult<StatusCode> {
    state.store.delete_session(p.user_id, id).await?;
    state
        .store
        .record_auth_event(
            &p.caller(),
            Some(p.user_id),
            "auth.session_revoked",
            Some(serde_json::json!({"session_id": id})),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/tokens", tag = "me", responses((status = 200, body = Vec<TokenInfo>), (status = 401, body = ErrorBody)))]
async fn list_tokens(
    State(state): State<AppState>,
    p: Principal,
) -> ApiResult<axum::Json<Vec<TokenInfo>>> {
    Ok(axum::Json(state.store.list_tokens(p.user_id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateToken {
    /// What the token is for, e.g. "数据导入脚本".
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    #[serde(flatten)]
    pub info: TokenInfo,
    /// The secret, shown this once. Send it as `Authorization: Bearer <token>`.
    pub token: String,
}

/// Creates an API token for the signed-in user. Only a signed-in session may: a token cannot
/// mint further tokens (a leaked token must not outlive its revocation through its children).
#[utoipa::path(post, path = "/tokens", tag = "me", request_body = CreateToken,
    responses((status = 201, body = CreatedToken), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_token(
    State(state): State<AppState>,
    p: Principal,
    AppJson(req): AppJson<CreateToken>,
) -> ApiResult<(StatusCode, axum::Json<CreatedToken>)> {
    if matches!(p.via, Via::Token { .. }) {
        return Err(ApiError::Forbidden);
    }
    let token = format!("{TOKEN_PREFIX}{}", new_secret());
    let info = state
        .store
        .create_token(&p.caller(), p.user_id, &req.name, hash_secret(&token))
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(CreatedToken { info, token }),
    ))
}

#[utoipa::path(delete, path = "/tokens/{id}", tag = "me", params(OwnIdPath),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn revoke_token(
    State(state): State<AppState>,
    p: Principal,
    AppPath(OwnIdPath { id }): AppPath<OwnIdPath>,
) -> ApiResult<StatusCode> {
    state.store.revoke_token(&p.caller(), p.user_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    /// At least 8 characters.
    pub new_password: String,
}

/// Changes the caller's password. Every other session of theirs ends; this one stays.
#[utoipa::path(post, path = "/password", tag = "me", request_body = ChangePassword,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn change_password(
    State(state): State<AppState>,
    p: Principal,
    AppJson(req): AppJson<ChangePassword>,
) -> ApiResult<StatusCode> {
    if req.current_password.len() > 1024 {
        return Err(ApiError::invalid(
            "current_password",
            "validation.too_long",
            "current_password is too long",
        ));
    }
    kox_domain::members::check_password(&req.new_password).map_err(|mut e| {
        e.field = "new_password".into();
        e
    })?;
    let user = state.store.get_user(p.user_id).await?;
    let creds = state
        .store
        .find_credentials(&user.email)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    if !verify_password_bounded(&req.current_password, &creds.password_hash).await? {
        return Err(ApiError::invalid(
            "current_password",
            "auth.wrong_password",
            "the current password is not correct",
        ));
    }
    let hash = hash_password_bounded(&req.new_password).await?;
    let keep = match p.via {
        Via::Session { id, .. } => Some(id),
        Via::Token { .. } => None,
    };
    state
        .store
        .set_password_hash(&p.caller(), p.user_id, hash, keep)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
