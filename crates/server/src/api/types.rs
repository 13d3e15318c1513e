//! Response shapes shared by several capabilities.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// `/workspaces/{workspace_id}/…`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct WorkspacePath {
    // Read and checked by the member extractor; declared for the route and the document.
    #[allow(dead_code)]
    pub workspace_id: i64,
}

/// `/workspaces/{workspace_id}/<records>/{id}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct IdPath {
    // Read and checked by the member extractor; declared for the route and the document.
    #[allow(dead_code)]
    pub workspace_id: i64,
    pub id: i64,
}

/// `/workspaces/{workspace_id}/members/{user_id}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct MemberPath {
    // Read and checked by the member extractor; declared for the route and the document.
    #[allow(dead_code)]
    pub workspace_id: i64,
    pub user_id: i64,
}

/// `/workspaces/{workspace_id}/platforms/{code}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct PlatformPath {
    // Read and checked by the member extractor; declared for the route and the document.
    #[allow(dead_code)]
    pub workspace_id: i64,
    pub code: String,
}

/// `/me/<things>/{id}`: one of the signed-in user's own records.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct OwnIdPath {
    pub id: i64,
}

/// One page of a list and the total across pages.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    pub total: u64,
}

impl<T: ToSchema> From<kox_store::Listed<T>> for Page<T> {
    fn from(l: kox_store::Listed<T>) -> Self {
        Page {
            items: l.items,
            total: l.total,
        }
    }
}

/// Parses `limit`/`offset` query values (1–200, default 50; offset ≥ 0).
pub fn page(
    limit: Option<&str>,
    offset: Option<&str>,
) -> Result<kox_store::Page, crate::error::ApiError> {
    Ok(kox_store::Page {
        limit: whole_number("limit", limit, 50, 1, 200)?,
        offset: offset_param(offset)?,
    })
}

/// An `offset` query value: a whole number from 0 to 2^63 − 1 (what the databases take; a
/// larger one is refused here instead of failing inside a driver).
pub fn offset_param(raw: Option<&str>) -> Result<u64, crate::error::ApiError> {
    whole_number("offset", raw, 0, 0, i64::MAX.unsigned_abs())
}

/// A whole-number query value in `min..=max` (`default` when absent); anything else is a 400
/// naming `field`.
pub fn whole_number(
    field: &str,
    raw: Option<&str>,
    default: u64,
    min: u64,
    max: u64,
) -> Result<u64, crate::error::ApiError> {
    let Some(v) = raw else { return Ok(default) };
    v.trim()
        .parse::<u64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| {
            crate::error::ApiError::invalid(
                field,
                "validation.range",
                format!("{field} must be a whole number from {min} to {max}"),
            )
        })
}

/// Serves a hot read from the response cache, or computes, serialises and caches it. The
/// generation is read before computing, so a write that commits meanwhile makes the stored
/// entry stale at once.
pub async fn cached_json<T: Serialize>(
    state: &crate::AppState,
    key: (i64, String),
    compute: impl std::future::Future<Output = Result<T, crate::error::ApiError>>,
) -> Result<axum::response::Response, crate::error::ApiError> {
    // Boxed: the computation's future can be large (clippy::large_futures).
    Ok(json_bytes(
        Box::pin(cached_bytes(state, key, compute)).await?,
    ))
}

/// A list page from the response cache, or read and cached: the page's JSON as the store wrote
/// it (`JsonPage`), sent without being parsed or serialised again.
pub async fn cached_page<T>(
    state: &crate::AppState,
    key: (i64, String),
    compute: impl std::future::Future<Output = Result<kox_store::JsonPage<T>, crate::error::ApiError>>,
) -> Result<axum::response::Response, crate::error::ApiError> {
    Ok(json_bytes(
        Box::pin(cached(state, key, async {
            Ok(axum::body::Bytes::from(compute.await?.into_json()))
        }))
        .await?,
    ))
}

/// `cached_json`'s serialised value, for a response that wraps it with per-member parts.
pub async fn cached_bytes<T: Serialize>(
    state: &crate::AppState,
    key: (i64, String),
    compute: impl std::future::Future<Output = Result<T, crate::error::ApiError>>,
) -> Result<axum::body::Bytes, crate::error::ApiError> {
    // Boxed: the computation's future can be large (clippy::large_futures).
    Box::pin(cached(state, key, async {
        let value = compute.await?;
        serde_json::to_vec(&value)
            .map(axum::body::Bytes::from)
            .map_err(|e| crate::error::ApiError::Internal(e.to_string()))
    }))
    .await
}

/// The response cache's entry for `key` at the current generation, or `compute`'s bytes. The
/// generation is read before computing (see `cached_json`).
async fn cached(
    state: &crate::AppState,
    key: (i64, String),
    compute: impl std::future::Future<Output = Result<axum::body::Bytes, crate::error::ApiError>>,
) -> Result<axum::body::Bytes, crate::error::ApiError> {
    let generation = state.store.generation();
    state
        .responses
        .get_or_compute(key, generation, || compute)
        .await
}

/// A JSON body that is already serialised.
pub fn json_bytes(bytes: impl Into<axum::body::Bytes>) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        bytes.into(),
    )
        .into_response()
}
