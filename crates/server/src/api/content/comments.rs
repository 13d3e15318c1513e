//! Comments with @mentions.

use axum::extract::State;
use axum::http::StatusCode;
use kox_domain::content::Comment;
use kox_domain::{ContentId, UserId};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::api::types::IdPath;
use crate::auth::{Can, CommentContent, Member};
use crate::error::{ApiResult, AppJson, AppPath, ErrorBody};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_comments, add_comment))
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/{id}/comments", tag = "content", params(IdPath),
    responses((status = 200, body = Vec<Comment>), (status = 404, body = ErrorBody)))]
async fn list_comments(
    State(state): State<AppState>,
    m: Member,
    AppPath(p): AppPath<IdPath>,
) -> ApiResult<axum::Json<Vec<Comment>>> {
    Ok(axum::Json(
        state
            .store
            .list_comments(m.workspace_id, ContentId(p.id))
            .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    pub body: String,
    /// Members @mentioned in the body.
    #[serde(default)]
    pub mentions: Vec<i64>,
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/content/{id}/comments", tag = "content", params(IdPath),
    request_body = NewComment,
    responses((status = 201, body = Comment), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn add_comment(
    State(state): State<AppState>,
    Can(m, ..): Can<CommentContent>,
    AppPath(p): AppPath<IdPath>,
    AppJson(req): AppJson<NewComment>,
) -> ApiResult<(StatusCode, axum::Json<Comment>)> {
    let mentions: Vec<UserId> = req.mentions.into_iter().map(UserId).collect();
    let c = state
        .store
        .add_comment(
            &m.caller(),
            m.workspace_id,
            ContentId(p.id),
            &req.body,
            &mentions,
        )
        .await?;
    Ok((StatusCode::CREATED, axum::Json(c)))
}
