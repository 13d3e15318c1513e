//! Data in: post metric snapshots pushed by a collector (batches up to 10,000 rows, per-row
//! errors in the answer) or entered by hand for one post, a post's data and grade, the metric
//! registry (versioned; a change re-grades in the background) and the grading status. Files
//! come in through `imports` (kind `post_metrics`).

use axum::extract::{DefaultBodyLimit, State};
use kox_domain::imports::ImportKind;
use kox_domain::metrics::{
    GradeStatus, ItemMetrics, KindPush, MetricDefinitions, MetricRegistry, PostMetricInput,
    PostMetricPush, PushResult,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::types::{IdPath, WorkspacePath};
use crate::AppState;
use crate::auth::Member;
use crate::error::{ApiResult, AppJson, AppPath, ErrorBody};

/// The largest push body.
pub const MAX_PUSH_BYTES: usize = 32 * 1024 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(push_posts))
        .routes(routes!(push_accounts))
        .routes(routes!(push_comments))
        .routes(routes!(push_spend))
        .routes(routes!(push_revenue))
        .routes(routes!(push_search_index))
        // A batch of 10,000 rows with every field is a few megabytes.
        .layer(DefaultBodyLimit::max(MAX_PUSH_BYTES))
        .routes(routes!(item_metrics, enter_item_metrics))
        .routes(routes!(get_registry, set_registry))
        .routes(routes!(grade_status))
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/metrics/posts", tag = "metrics",
    params(WorkspacePath), request_body = PostMetricPush,
    responses((status = 200, body = PushResult, description = "What was written; refused rows are listed by index"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn push_posts(
    State(state): State<AppState>,
    m: Member,
    AppJson(push): AppJson<PostMetricPush>,
) -> ApiResult<axum::Json<PushResult>> {
    Ok(axum::Json(
        state
            .store
            .push_post_metrics(&m.caller(), m.workspace_id, push, "API")
            .await?,
    ))
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/{id}/metrics", tag = "metrics", params(IdPath),
    responses((status = 200, body = ItemMetrics), (status = 404, body = ErrorBody)))]
async fn item_metrics(
    State(state): State<AppState>,
    m: Member,
    AppPath(p): AppPath<IdPath>,
) -> ApiResult<axum::Json<ItemMetrics>> {
    Ok(axum::Json(
        state.store.item_metrics(m.workspace_id, p.id).await?,
    ))
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/content/{id}/metrics", tag = "metrics", params(IdPath),
    request_body = PostMetricInput,
    responses((status = 200, body = ItemMetrics, description = "The post's data with the snapshot entered"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn enter_item_metrics(
    State(state): State<AppState>,
    m: Member,
    AppPath(p): AppPath<IdPath>,
    AppJson(mut input): AppJson<PostMetricInput>,
) -> ApiResult<axum::Json<ItemMetrics>> {
    input.item_id = Some(p.id);
    let caller = m.caller();
    state.store.item_metrics(m.workspace_id, p.id).await?;
    let out = state
        .store
        .push_post_metrics(
            &caller,
            m.workspace_id,
            PostMetricPush { rows: vec![input] },
            "手动录入",
        )
        .await?;
    if let Some(i) = out.issues.first() {
        if i.code == "auth.forbidden" {
            return Err(crate::error::ApiError::Forbidden);
        }
        return Err(crate::error::ApiError::from(
            kox_store::StoreError::Invalid(kox_domain::FieldError::new(
                i.field.clone(),
                code_of(&i.code),
                i.message.clone(),
            )),
        ));
    }
    Ok(axum::Json(
        state.store.item_metrics(m.workspace_id, p.id).await?,
    ))
}

/// The catalogue's own `&'static str` for a code a row was refused with.
fn code_of(code: &str) -> &'static str {
    kox_domain::errors::ERROR_CODES
        .iter()
        .find(|c| **c == code)
        .copied()
        .unwrap_or("validation.format")
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/metric-definitions", tag = "metrics", params(WorkspacePath),
    responses((status = 200, body = MetricRegistry)))]
async fn get_registry(
    State(state): State<AppState>,
    m: Member,
) -> ApiResult<axum::Json<MetricRegistry>> {
    Ok(axum::Json(
        state.store.metric_registry(m.workspace_id).await?,
    ))
}

#[utoipa::path(put, path = "/workspaces/{workspace_id}/metric-definitions", tag = "metrics", params(WorkspacePath),
    request_body = MetricDefinitions,
    responses((status = 200, body = MetricRegistry, description = "A new version when anything changed; grades follow in the background"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn set_registry(
    State(state): State<AppState>,
    m: Member,
    AppJson(d): AppJson<MetricDefinitions>,
) -> ApiResult<axum::Json<MetricRegistry>> {
    let (reg, _) = state
        .store
        .set_metric_registry(&m.caller(), m.workspace_id, d)
        .await?;
    Ok(axum::Json(reg))
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/grades", tag = "metrics", params(WorkspacePath),
    responses((status = 200, body = GradeStatus)))]
async fn grade_status(
    State(state): State<AppState>,
    m: Member,
) -> ApiResult<axum::Json<GradeStatus>> {
    Ok(axum::Json(state.store.grade_status(m.workspace_id).await?))
}

async fn push_kind(
    state: &AppState,
    m: &Member,
    kind: ImportKind,
    push: KindPush,
) -> ApiResult<axum::Json<PushResult>> {
    Ok(axum::Json(
        state
            .store
            .push_kind_rows(&m.caller(), m.workspace_id, kind, push.rows)
            .await?,
    ))
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/metrics/accounts", tag = "metrics",
    params(WorkspacePath), request_body = KindPush,
    responses((status = 200, body = PushResult, description = "Accounts' daily followers (account, day, followers, followers_gained, unfollows); refused rows listed by index"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn push_accounts(
    State(state): State<AppState>,
    m: Member,
    AppJson(push): AppJson<KindPush>,
) -> ApiResult<axum::Json<PushResult>> {
    push_kind(&state, &m, ImportKind::AccountMetrics, push).await
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/metrics/comments", tag = "metrics",
    params(WorkspacePath), request_body = KindPush,
    responses((status = 200, body = PushResult, description = "Comments (comment_id, post_id or post_url, author, text, created_at, replied_at, replied_by)"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn push_comments(
    State(state): State<AppState>,
    m: Member,
    AppJson(push): AppJson<KindPush>,
) -> ApiResult<axum::Json<PushResult>> {
    push_kind(&state, &m, ImportKind::Comments, push).await
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/metrics/spend", tag = "metrics",
    params(WorkspacePath), request_body = KindPush,
    responses((status = 200, body = PushResult, description = "Spend per post, account or campaign and day (amount in yuan, kept in fen; paid_boost; currency)"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn push_spend(
    State(state): State<AppState>,
    m: Member,
    AppJson(push): AppJson<KindPush>,
) -> ApiResult<axum::Json<PushResult>> {
    push_kind(&state, &m, ImportKind::Spend, push).await
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/metrics/revenue", tag = "metrics",
    params(WorkspacePath), request_body = KindPush,
    responses((status = 200, body = PushResult, description = "Revenue and conversions per campaign and day"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn push_revenue(
    State(state): State<AppState>,
    m: Member,
    AppJson(push): AppJson<KindPush>,
) -> ApiResult<axum::Json<PushResult>> {
    push_kind(&state, &m, ImportKind::Revenue, push).await
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/metrics/search-index", tag = "metrics",
    params(WorkspacePath), request_body = KindPush,
    responses((status = 200, body = PushResult, description = "The brand keyword search index (keyword, platform, day, value)"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn push_search_index(
    State(state): State<AppState>,
    m: Member,
    AppJson(push): AppJson<KindPush>,
) -> ApiResult<axum::Json<PushResult>> {
    push_kind(&state, &m, ImportKind::SearchIndex, push).await
}
