//! Data in: post metric snapshots pushed by a collector (batches up to 10,000 rows, per-row
//! errors in the answer) or entered by hand for one post, a post's data and grade, the metric
//! registry (versioned; a change re-grades in the background) and the grading status. Files
//! come in through `imports` (kind `post_metrics`).

use axum::extract::State;
use kox_domain::metrics::{
    GradeStatus, ItemMetrics, MetricDefinitions, MetricRegistry, PostMetricInput, PostMetricPush,
    PushResult,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::types::{IdPath, WorkspacePath};
use crate::AppState;
use crate::auth::Member;
use crate::error::{ApiResult, AppJson, AppPath, ErrorBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(push_posts))
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
