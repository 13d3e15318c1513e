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
    let limit = match limit {
        None => 50,
        Some(v) => v
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=200).contains(n))
            .ok_or_else(|| {
                crate::error::ApiError::invalid(
                    "limit",
                    "validation.range",
                    "limit must be a whole number from 1 to 200",
                )
            })?,
    };
    let offset = match offset {
        None => 0,
        Some(v) => v.parse::<u64>().map_err(|_| {
            crate::error::ApiError::invalid(
                "offset",
                "validation.range",
                "offset must be a whole number ≥ 0",
            )
        })?,
    };
    Ok(kox_store::Page { limit, offset })
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

/// `cached_json`'s serialised value, for a response that wraps it with per-member parts.
pub async fn cached_bytes<T: Serialize>(
    state: &crate::AppState,
    key: (i64, String),
    compute: impl std::future::Future<Output = Result<T, crate::error::ApiError>>,
) -> Result<axum::body::Bytes, crate::error::ApiError> {
    let generation = state.store.generation();
    state
        .responses
        .get_or_compute(key, generation, || async {
            let value = compute.await?;
            serde_json::to_vec(&value)
                .map(axum::body::Bytes::from)
                .map_err(|e| crate::error::ApiError::Internal(e.to_string()))
        })
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
