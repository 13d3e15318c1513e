//! Content items: create, check, read, edit, delete, drafts from a topic, history.

use axum::extract::State;
use axum::http::StatusCode;
use kox_domain::content::{ContentChecks, ContentDraft, ContentItem, ContentPatch};
use kox_domain::members::Event;
use kox_domain::{AccountId, ContentId};
use kox_store::EventQuery;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::for_member;
use crate::AppState;
use crate::api::types::{IdPath, WorkspacePath};
use crate::auth::{Can, Member, WriteContent};
use crate::error::{ApiError, ApiResult, AppJson, AppPath, AppQuery, ErrorBody};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_item))
        .routes(routes!(check_item))
        .routes(routes!(get_item, update_item, delete_item))
        .routes(routes!(create_drafts))
        .routes(routes!(history))
}

/// Creates a topic card (选题, no account needed) or a draft (稿件, for one account). A publish
/// time given here meets the schedule rules as a move does (409 `calendar.conflict`).
#[utoipa::path(post, path = "/workspaces/{workspace_id}/content", tag = "content", params(WorkspacePath), request_body = ContentDraft,
    responses((status = 201, body = ContentItem), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_item(
    State(state): State<AppState>,
    Can(m, ..): Can<WriteContent>,
    AppJson(draft): AppJson<ContentDraft>,
) -> ApiResult<(StatusCode, axum::Json<ContentItem>)> {
    let item = state
        .store
        .create_content(&m.caller(), m.workspace_id, draft)
        .await?;
    Ok((StatusCode::CREATED, for_member(&state, &m, item).await?))
}

/// Runs the checks on text without saving it (live feedback while editing).
#[utoipa::path(post, path = "/workspaces/{workspace_id}/content/check", tag = "content", params(WorkspacePath), request_body = ContentDraft,
    responses((status = 200, body = ContentChecks), (status = 400, body = ErrorBody)))]
async fn check_item(
    State(state): State<AppState>,
    m: Member,
    AppJson(mut draft): AppJson<ContentDraft>,
) -> ApiResult<axum::Json<ContentChecks>> {
    // The title may be empty while someone is still typing.
    if draft.title.trim().is_empty() {
        draft.title = "-".into();
    }
    let mut checks = state
        .store
        .check_content(m.workspace_id, m.user_id(), draft.clone())
        .await?;
    if draft.title == "-" {
        checks.red_lines.retain(|h| h.field != "title");
        checks.over_length.retain(|l| l.field != "title");
        checks.title_count = 0;
    }
    Ok(axum::Json(checks))
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/{id}", tag = "content", params(IdPath),
    responses((status = 200, body = ContentItem), (status = 404, body = ErrorBody)))]
async fn get_item(
    State(state): State<AppState>,
    m: Member,
    AppPath(p): AppPath<IdPath>,
) -> ApiResult<axum::Json<ContentItem>> {
    for_member(
        &state,
        &m,
        state
            .store
            .get_content(m.workspace_id, ContentId(p.id))
            .await?,
    )
    .await
}

/// Edits an item. Send the `version` you loaded; a write conflicts (409) only if it touches
/// fields someone changed since. Title, body, hashtags, media, account and campaign are frozen
/// from 审核 on.
#[utoipa::path(patch, path = "/workspaces/{workspace_id}/content/{id}", tag = "content", params(IdPath),
    request_body = ContentPatch,
    responses((status = 200, body = ContentItem), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_item(
    State(state): State<AppState>,
    Can(m, ..): Can<WriteContent>,
    AppPath(p): AppPath<IdPath>,
    AppJson(patch): AppJson<ContentPatch>,
) -> ApiResult<axum::Json<ContentItem>> {
    for_member(
        &state,
        &m,
        state
            .store
            .update_content(&m.caller(), m.workspace_id, ContentId(p.id), patch)
            .await?,
    )
    .await
}

/// Deletes an item that was never reviewed (others are cancelled instead).
#[utoipa::path(delete, path = "/workspaces/{workspace_id}/content/{id}", tag = "content", params(IdPath),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete_item(
    State(state): State<AppState>,
    Can(m, ..): Can<WriteContent>,
    AppPath(p): AppPath<IdPath>,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_content(&m.caller(), m.workspace_id, ContentId(p.id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftsRequest {
    pub account_ids: Vec<i64>,
}

/// Turns a topic card into one draft per account (title, body, hashtags and campaign copied).
#[utoipa::path(post, path = "/workspaces/{workspace_id}/content/{id}/drafts", tag = "content", params(IdPath),
    request_body = DraftsRequest,
    responses((status = 201, body = Vec<ContentItem>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn create_drafts(
    State(state): State<AppState>,
    Can(m, ..): Can<WriteContent>,
    AppPath(p): AppPath<IdPath>,
    AppJson(req): AppJson<DraftsRequest>,
) -> ApiResult<(StatusCode, axum::Json<Vec<ContentItem>>)> {
    let accounts: Vec<AccountId> = req.account_ids.into_iter().map(AccountId).collect();
    let items = state
        .store
        .create_drafts_from_topic(&m.caller(), m.workspace_id, ContentId(p.id), &accounts)
        .await?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(
            state
                .store
                .with_allowed(m.workspace_id, &m.caller(), item)
                .await?,
        );
    }
    Ok((StatusCode::CREATED, axum::Json(out)))
}

/// A page of an item's history.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// Events older than this event id (keyset paging).
    before: Option<i64>,
    /// 1–200, default 100.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

/// The item's history, newest first: every move, review decision, edit, comment.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/{id}/history", tag = "content",
    params(IdPath, HistoryQuery),
    responses((status = 200, body = Vec<Event>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn history(
    State(state): State<AppState>,
    m: Member,
    AppPath(p): AppPath<IdPath>,
    AppQuery(q): AppQuery<HistoryQuery>,
) -> ApiResult<axum::Json<Vec<Event>>> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::invalid(
            "limit",
            "validation.range",
            "limit must be from 1 to 200",
        ));
    }
    // Another workspace's item is not found here, not an empty history.
    state
        .store
        .get_content(m.workspace_id, ContentId(p.id))
        .await?;
    let eq = EventQuery {
        entity: Some(("content_item".into(), p.id)),
        before: q.before,
        limit: limit.unsigned_abs(),
        ..EventQuery::default()
    };
    Ok(axum::Json(
        crate::api::events::events_for(&state, &m, &eq).await?,
    ))
}
