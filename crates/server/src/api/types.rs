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

/// `value` as JSON with its list field `key` (left empty in `value`) filled from `list`,
/// serialised in parts at once, one per core: a month's calendar is thousands of items, and
/// writing them was a quarter of the answer's time. The key's first occurrence in the output
/// is the field: any string value's quotes are escaped, so no value can hold `"key":[]`.
pub async fn json_with_list<T, I>(
    value: &T,
    key: &str,
    mut list: Vec<I>,
) -> Result<axum::body::Bytes, crate::error::ApiError>
where
    T: serde::Serialize,
    I: serde::Serialize + Send + 'static,
{
    let internal = |e: String| crate::error::ApiError::Internal(e);
    let head = serde_json::to_vec(value).map_err(|e| internal(e.to_string()))?;
    let marker = format!("\"{key}\":[]");
    let at = head
        .windows(marker.len())
        .position(|w| w == marker.as_bytes())
        .ok_or_else(|| internal(format!("no empty list {key} in the answer")))?
        + marker.len()
        - 1;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let per = list.len().div_ceil(cores.clamp(1, 4)).max(256);
    let mut parts = Vec::new();
    while list.len() > per {
        let rest = list.split_off(per);
        parts.push(std::mem::replace(&mut list, rest));
    }
    parts.push(list);
    let tasks: Vec<_> = parts
        .into_iter()
        .map(|p| {
            tokio::task::spawn_blocking(move || {
                // Sized for a typical item up front: growing by doubling copied each part twice.
                let mut out = Vec::with_capacity(p.len() * 512);
                serde_json::to_writer(&mut out, &p).map(|()| out)
            })
        })
        .collect();
    let mut written = Vec::with_capacity(tasks.len());
    for t in tasks {
        written.push(
            t.await
                .map_err(|e| internal(e.to_string()))?
                .map_err(|e| internal(e.to_string()))?,
        );
    }
    // Each part is `[…]`; an empty one is `[]`.
    let inner: Vec<&[u8]> = written
        .iter()
        .map(|p| &p[1..p.len() - 1])
        .filter(|p| !p.is_empty())
        .collect();
    let mut out = Vec::with_capacity(head.len() + inner.iter().map(|p| p.len() + 1).sum::<usize>());
    out.extend_from_slice(&head[..at]);
    for (n, part) in inner.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(part);
    }
    out.extend_from_slice(&head[at..]);
    Ok(out.into())
}

#[cfg(test)]
mod tests {
    use serde::Serialize;
    use serde_json::{Value, json};

    #[derive(Serialize, Clone)]
    struct View {
        name: String,
        items: Vec<Value>,
        after: Vec<i64>,
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_list_written_in_parts_is_the_json_of_the_whole_value() {
        // Values that spell the marker inside strings do not fool the splice.
        let name = r#"标题里写了 "items":[] 也无妨"#.to_owned();
        for n in [0_usize, 1, 255, 256, 257, 1000, 2049] {
            let items: Vec<Value> = (0..n)
                .map(|i| json!({"id": i, "title": format!("第{i}条 \"items\":[]"), "tags": []}))
                .collect();
            let whole = View {
                name: name.clone(),
                items: items.clone(),
                after: vec![1, 2],
            };
            let head = View {
                items: Vec::new(),
                ..whole.clone()
            };
            let bytes = super::json_with_list(&head, "items", items).await.unwrap();
            let got: Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(got, serde_json::to_value(&whole).unwrap(), "{n} items");
        }
    }
}
