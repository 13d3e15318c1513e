//! Publishing: the publish pack, the live post URL, the retro note.

use axum::extract::State;
use chrono::{DateTime, Utc};
use kox_domain::ContentId;
use kox_domain::content::{ContentItem, PublishPack};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::for_member;
use crate::AppState;
use crate::api::types::IdPath;
use crate::auth::{Can, Member, PublishContent, WriteContent};
use crate::error::{ApiResult, AppJson, AppPath, ErrorBody};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(publish_pack))
        .routes(routes!(publish_item))
        .routes(routes!(retro_item))
}

/// Everything needed to post by hand: account, platform, copy-ready text with hashtags, media.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/{id}/publish-pack", tag = "content", params(IdPath),
    responses((status = 200, body = PublishPack), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn publish_pack(
    State(state): State<AppState>,
    m: Member,
    AppPath(p): AppPath<IdPath>,
) -> ApiResult<axum::Json<PublishPack>> {
    Ok(axum::Json(
        state
            .store
            .publish_pack(m.workspace_id, ContentId(p.id))
            .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    /// The live post's link; it must be a post link of the account's platform.
    pub post_url: String,
    /// Defaults to now.
    #[serde(default)]
    pub published_at: Option<DateTime<Utc>>,
    /// Taken from the link when not given.
    #[serde(default)]
    pub platform_post_id: Option<String>,
}

/// Marks an item in 发布 published with its live URL; it moves to 复盘.
#[utoipa::path(post, path = "/workspaces/{workspace_id}/content/{id}/publish", tag = "content", params(IdPath),
    request_body = PublishRequest,
    responses((status = 200, body = ContentItem), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn publish_item(
    State(state): State<AppState>,
    Can(m, ..): Can<PublishContent>,
    AppPath(p): AppPath<IdPath>,
    AppJson(req): AppJson<PublishRequest>,
) -> ApiResult<axum::Json<ContentItem>> {
    for_member(
        &state,
        &m,
        state
            .store
            .publish_content(
                &m.caller(),
                m.workspace_id,
                ContentId(p.id),
                &req.post_url,
                req.published_at,
                req.platform_post_id.as_deref(),
            )
            .await?,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetroRequest {
    /// What worked, what did not (required).
    pub note: String,
    /// Reuse the topic for another post?
    pub reuse_topic: bool,
}

/// The short retrospective that closes a published item (may be edited later).
#[utoipa::path(post, path = "/workspaces/{workspace_id}/content/{id}/retro", tag = "content", params(IdPath),
    request_body = RetroRequest,
    responses((status = 200, body = ContentItem), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn retro_item(
    State(state): State<AppState>,
    Can(m, ..): Can<WriteContent>,
    AppPath(p): AppPath<IdPath>,
    AppJson(req): AppJson<RetroRequest>,
) -> ApiResult<axum::Json<ContentItem>> {
    for_member(
        &state,
        &m,
        state
            .store
            .retro_content(
                &m.caller(),
                m.workspace_id,
                ContentId(p.id),
                &req.note,
                req.reuse_topic,
            )
            .await?,
    )
    .await
}
