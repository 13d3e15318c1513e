//! Invitations (see `kox_domain::invitations`): admins invite by e-mail and get a link shown
//! once; the person opens it (`/invite/<secret>` in the UI) and, if new to KOX, sets a password
//! there — or, with an account already, accepts inside KOX (`/me/invitations/…`).

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use kox_domain::invitations::{CreatedInvitation, Invitation, InvitationDraft, InvitationView};
use kox_store::Caller;
use serde::Deserialize;
use std::net::SocketAddr;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::start_session;
use super::types::{IdPath, OwnIdPath, WorkspacePath};
use crate::AppState;
use crate::auth::{Can, ManageMembers, Principal, hash_password_bounded, hash_secret, new_secret};
use crate::error::{ApiResult, AppJson, AppPath, ErrorBody};

/// The routes under a workspace (admins) and the public ones of a link.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_invitations, create_invitation))
        .routes(routes!(revoke_invitation))
        .routes(routes!(open_invitation))
        .routes(routes!(register))
}

/// The routes under `/me`: the signed-in person's own invitations.
pub fn my_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(accept_invitation))
        .routes(routes!(decline_invitation))
}

/// `/invitations/{token}`: the secret of an invitation link.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct TokenPath {
    pub token: String,
}

/// Invites a person by e-mail. The answer is the same whether or not the e-mail already has
/// an account in this install; the link in it is shown only this once and works for 7 days.
/// A newer invitation of the same e-mail replaces an older one.
#[utoipa::path(post, path = "/workspaces/{workspace_id}/invitations", tag = "invitations", params(WorkspacePath),
    request_body = InvitationDraft,
    responses((status = 201, body = CreatedInvitation), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_invitation(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageMembers>,
    AppJson(draft): AppJson<InvitationDraft>,
) -> ApiResult<(StatusCode, axum::Json<CreatedInvitation>)> {
    let secret = new_secret();
    let invitation = state
        .store
        .create_invitation(&m.caller(), m.workspace_id, draft, hash_secret(&secret))
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(CreatedInvitation {
            invitation,
            link: format!("/invite/{secret}"),
        }),
    ))
}

/// The workspace's invitations that nobody has accepted yet (pending or expired).
#[utoipa::path(get, path = "/workspaces/{workspace_id}/invitations", tag = "invitations", params(WorkspacePath),
    responses((status = 200, body = Vec<Invitation>), (status = 403, body = ErrorBody)))]
async fn list_invitations(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageMembers>,
) -> ApiResult<axum::Json<Vec<Invitation>>> {
    Ok(axum::Json(
        state.store.list_invitations(m.workspace_id).await?,
    ))
}

/// Withdraws a pending invitation: its link stops working.
#[utoipa::path(delete, path = "/workspaces/{workspace_id}/invitations/{id}", tag = "invitations", params(IdPath),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn revoke_invitation(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageMembers>,
    AppPath(IdPath { id, .. }): AppPath<IdPath>,
) -> ApiResult<StatusCode> {
    state
        .store
        .revoke_invitation(&m.caller(), m.workspace_id, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What an invitation link offers (no sign-in needed: the link is the credential). 409
/// `invitations.not_valid` once it was used, withdrawn or has expired.
#[utoipa::path(get, path = "/invitations/{token}", tag = "invitations", params(TokenPath),
    responses((status = 200, body = InvitationView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn open_invitation(
    State(state): State<AppState>,
    AppPath(TokenPath { token }): AppPath<TokenPath>,
) -> ApiResult<axum::Json<InvitationView>> {
    Ok(axum::Json(
        state
            .store
            .invitation_by_token(&hash_secret(&token))
            .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[schema(min_length = 1, max_length = 50)]
    pub name: String,
    /// 8 to 200 characters.
    #[schema(min_length = 8, max_length = 200)]
    pub password: String,
}

/// A person new to KOX accepts by the link: sets their name and password, joins the workspace
/// and is signed in (the answer is the same as signing in). An e-mail that already has an
/// account is refused with 409 `invitations.sign_in`: sign in and accept inside KOX.
#[utoipa::path(post, path = "/invitations/{token}/register", tag = "invitations", params(TokenPath),
    request_body = RegisterRequest,
    responses((status = 201, body = super::me::Me), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn register(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    AppPath(TokenPath { token }): AppPath<TokenPath>,
    AppJson(req): AppJson<RegisterRequest>,
) -> ApiResult<Response> {
    let token_hash = hash_secret(&token);
    // A dead link is refused before any hashing.
    state.store.invitation_by_token(&token_hash).await?;
    kox_domain::members::parse_name(&req.name)?;
    kox_domain::members::check_password(&req.password)?;
    let hash = hash_password_bounded(&req.password).await?;
    let ip = peer.ip();
    let user = state
        .store
        .register_by_invitation(
            &Caller::anonymous().from_ip(&ip),
            &token_hash,
            &req.name,
            hash,
        )
        .await?;
    let mut res = start_session(&state, user, ip, &headers).await?;
    *res.status_mut() = StatusCode::CREATED;
    Ok(res)
}

/// Accepts an invitation of the signed-in person's e-mail: they join its workspace.
#[utoipa::path(post, path = "/invitations/{id}/accept", tag = "me", params(OwnIdPath),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn accept_invitation(
    State(state): State<AppState>,
    p: Principal,
    AppPath(OwnIdPath { id }): AppPath<OwnIdPath>,
) -> ApiResult<StatusCode> {
    state.store.accept_invitation(&p.caller(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Declines an invitation of the signed-in person's e-mail.
#[utoipa::path(post, path = "/invitations/{id}/decline", tag = "me", params(OwnIdPath),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn decline_invitation(
    State(state): State<AppState>,
    p: Principal,
    AppPath(OwnIdPath { id }): AppPath<OwnIdPath>,
) -> ApiResult<StatusCode> {
    state.store.decline_invitation(&p.caller(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
