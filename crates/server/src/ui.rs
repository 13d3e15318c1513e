//! The web UI, embedded in the binary. `index.html` is served `no-cache` so a new release is
//! picked up at once; hashed assets are `immutable`. Unknown non-API paths get `index.html`
//! so client-side routes survive a reload. Text assets were compressed at build time (brotli
//! and gzip copies beside each file, see `web/build/precompress.ts`); each request gets the best
//! copy its `Accept-Encoding` allows, so nothing is compressed while serving.

use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "$KOX_UI_DIR"]
struct Assets;

/// The precompressed copies we ship, best first, and the `Content-Encoding` each one is.
const ENCODINGS: [(&str, &str); 2] = [("br", ".br"), ("gzip", ".gz")];

/// Whether `Accept-Encoding` allows `coding` (a `q=0` refuses it; `*` allows any).
fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    let Some(v) = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mut star = false;
    for part in v.split(',') {
        let mut it = part.split(';');
        let name = it.next().unwrap_or("").trim();
        let refused = it.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        if name.eq_ignore_ascii_case(coding) {
            return !refused;
        }
        if name == "*" && !refused {
            star = true;
        }
    }
    star
}

fn asset(path: &str, cache: &'static str, content_type: &str, headers: &HeaderMap) -> Response {
    let chosen = ENCODINGS.iter().find_map(|(coding, suffix)| {
        accepts(headers, coding)
            .then(|| Assets::get(&format!("{path}{suffix}")).map(|f| (*coding, f)))
            .flatten()
    });
    let (encoding, file) = match chosen {
        Some((coding, f)) => (Some(coding), f),
        None => match Assets::get(path) {
            Some(f) => (None, f),
            None => return StatusCode::NOT_FOUND.into_response(),
        },
    };
    let mut res = (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CACHE_CONTROL, cache.to_owned()),
        ],
        file.data,
    )
        .into_response();
    let h = res.headers_mut();
    // Caches must keep one copy per encoding.
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(coding) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    res
}

pub async fn serve_ui(uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("api/") {
        return crate::error::ApiError::NotFound.into_response();
    }
    if !path.is_empty()
        && path != "index.html"
        && let Some(file) = Assets::get(path)
    {
        let cache = if path.starts_with("assets/") {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        let mime = file.metadata.mimetype().to_owned();
        return asset(path, cache, &mime, &headers);
    }
    asset(
        "index.html",
        "no-cache",
        "text/html; charset=utf-8",
        &headers,
    )
}

#[cfg(test)]
mod tests {
    use super::accepts;
    use axum::http::{HeaderMap, HeaderValue, header};

    fn h(v: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
        m
    }

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts(&h("gzip, deflate, br, zstd"), "br"));
        assert!(accepts(&h("gzip;q=1.0, br;q=0.5"), "br"));
        assert!(!accepts(&h("gzip, br;q=0"), "br"));
        assert!(accepts(&h("gzip, br;q=0"), "gzip"));
        assert!(accepts(&h("*"), "br"));
        assert!(!accepts(&h("*, br;q=0"), "br"));
        assert!(!accepts(&h("identity"), "gzip"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
    }
}
