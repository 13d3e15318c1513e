//! KOX server: the JSON API under `/api/v1` (OpenAPI generated from the code), auth and
//! permissions, and the embedded web UI. Business rules live in `kox-domain`, persistence in
//! `kox-store`; this crate translates HTTP to and from them.

pub mod api;
pub mod auth;
mod cache;
pub mod error;
pub mod jobs;
pub mod notifications;
mod streams;
mod ui;
mod wire;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kox_store::Store;

pub use auth::{TOKEN_PREFIX, hash_password, hash_password_bounded, hash_secret, new_secret};

/// Server behaviour that does not come from the database.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies `Secure` (set when KOX is served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-Proto` is believed (exact addresses). From anyone
    /// else the header is ignored: a client could otherwise claim its own scheme.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub session_idle: chrono::Duration,
    pub session_absolute: chrono::Duration,
    /// Failed logins allowed per account / per IP within `login_window`.
    pub login_failures_per_account: usize,
    pub login_failures_per_ip: usize,
    pub login_window: Duration,
    /// Let channels and webhooks reach loopback and private addresses (a receiver on the same
    /// host or network; the tests). Off: only public addresses.
    pub allow_private_targets: bool,
    /// The address people open KOX at (`https://kox.brand.cn`), for links in bot messages and
    /// e-mails; without it messages say that no link could be added.
    pub public_url: Option<String>,
    /// How long a claimed job stays with the server that claimed it: a server that dies
    /// mid-job loses it to another after this (its jobs are bounded to half of it).
    pub job_lease: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            trusted_proxies: Vec::new(),
            session_idle: chrono::Duration::days(7),
            session_absolute: chrono::Duration::days(30),
            login_failures_per_account: 5,
            login_failures_per_ip: 50,
            login_window: Duration::from_mins(15),
            allow_private_targets: false,
            public_url: None,
            job_lease: kox_domain::jobs::LEASE,
        }
    }
}

type MemberCache =
    cache::TtlCache<(i64, i64), Option<(kox_domain::access::Role, kox_domain::access::Group)>>;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub limiter: Arc<auth::LoginLimiter>,
    /// Token hash → session or API token, for the hot path of every request (kept across
    /// writes that leave access alone: `Store::access_generation`).
    pub(crate) auth_cache: Arc<cache::TtlCache<String, auth::CachedAuth>>,
    /// (workspace, user) → role and group (as `auth_cache`).
    pub(crate) member_cache: Arc<MemberCache>,
    /// (workspace, request) → serialised JSON of hot list reads.
    pub(crate) responses: Arc<cache::TtlCache<(i64, String), axum::body::Bytes>>,
    /// One event reader per workspace for all its open streams.
    pub(crate) streams: Arc<streams::StreamHub>,
    /// Sends notifications out (bots, webhooks, e-mail): the worker's and the channel test's.
    pub sender: notifications::Sender,
    /// How busy the API is right now: the job worker gives way to people.
    pub load: Arc<ApiLoad>,
}

/// Requests being answered (event streams and health checks left out) and when the last one
/// arrived. Background work (draining the job queue) gives way while the API is busy, so a burst
/// of 10,000 deliveries does not halve how fast pages load.
#[derive(Debug, Default)]
pub struct ApiLoad {
    in_flight: std::sync::atomic::AtomicUsize,
    last_ms: std::sync::atomic::AtomicU64,
}

impl ApiLoad {
    fn now_ms() -> u64 {
        use std::time::{SystemTime, UNIX_EPOCH};
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64)
    }

    /// Counts a request until the guard drops.
    pub fn enter(self: &Arc<Self>) -> ApiLoadGuard {
        use std::sync::atomic::Ordering;
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        self.last_ms.store(Self::now_ms(), Ordering::Release);
        ApiLoadGuard(self.clone())
    }

    /// A request is being answered, or one arrived in the last 20 ms.
    pub fn busy(&self) -> bool {
        use std::sync::atomic::Ordering;
        self.in_flight.load(Ordering::Acquire) > 0
            || Self::now_ms().saturating_sub(self.last_ms.load(Ordering::Acquire)) < 20
    }
}

/// One request in flight (see `ApiLoad::enter`).
pub struct ApiLoadGuard(Arc<ApiLoad>);

impl Drop for ApiLoadGuard {
    fn drop(&mut self) {
        self.0
            .in_flight
            .fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

/// How long a cached read may be served when nothing changed in this process (see `cache`).
const CACHE_TTL: Duration = Duration::from_secs(1);
/// The longest a cached read is served while one request refreshes it.
const CACHE_MAX_STALE: Duration = Duration::from_secs(3);

impl AppState {
    pub fn new(store: Store, settings: Settings) -> Self {
        let limiter = auth::LoginLimiter::new(
            settings.login_window,
            settings.login_failures_per_account,
            settings.login_failures_per_ip,
        );
        let sender =
            notifications::Sender::new(settings.allow_private_targets, settings.public_url.clone());
        Self {
            store,
            sender,
            load: Arc::default(),
            settings: Arc::new(settings),
            limiter: Arc::new(limiter),
            auth_cache: Arc::new(cache::TtlCache::new(CACHE_TTL, CACHE_MAX_STALE, 10_000)),
            member_cache: Arc::new(cache::TtlCache::new(CACHE_TTL, CACHE_MAX_STALE, 10_000)),
            // A page of 200 accounts is ~120 KB of JSON: 256 entries keep the worst case near 30 MB.
            responses: Arc::new(cache::TtlCache::new(CACHE_TTL, CACHE_MAX_STALE, 256)),
            streams: Arc::default(),
        }
    }
}

/// Bodies above this are refused with 413 before they are parsed.
const BODY_LIMIT: usize = 256 * 1024;

/// The whole application: API, health check, UI.
pub fn app(state: AppState) -> Router {
    let (api, mut doc) = api::router().split_for_parts();
    api::document_common_refusals(&mut doc);
    let doc = Arc::new(doc);
    Router::new()
        .merge(api)
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(move || {
                let doc = doc.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .fallback(ui::serve_ui)
        .layer(axum::middleware::from_fn(compress))
        // After the compressor: a health check is two bytes and answered as often as anything.
        .route("/healthz", axum::routing::get(healthz))
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

/// API responses above a small size are compressed for clients that accept it (teams reach a
/// self-hosted server over office and VPN links; the 2,000-card board is ~0.9 MB of JSON). The
/// fastest level: most of the gain at a fraction of the time. Event streams are never
/// compressed (a compressor would hold events back), nor are images; the UI's assets arrive
/// precompressed and are left alone (they carry their `Content-Encoding`).
fn compression()
-> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
    tower_http::compression::CompressionLayer::new()
        .quality(tower_http::CompressionLevel::Fastest)
        .compress_when(
            SizeAbove::new(1024)
                .and(NotForContentType::GRPC)
                .and(NotForContentType::IMAGES)
                .and(NotForContentType::SSE),
        )
}

/// Compression only for requests that ask for it: a client that sends no `Accept-Encoding` (an
/// integration, a health check) pays nothing for the compressor, which otherwise wraps every
/// response (~10% of the cost of the smallest requests).
async fn compress(req: Request, next: Next) -> Response {
    use tower::{Layer, ServiceExt};
    if !req
        .headers()
        .contains_key(axum::http::header::ACCEPT_ENCODING)
    {
        return next.run(req).await;
    }
    match compression().layer(next).oneshot(req).await {
        Ok(res) => res.map(axum::body::Body::new),
        Err(never) => match never {},
    }
}

/// The OpenAPI document, for the snapshot test and the web client's type generation.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api::router().split_for_parts().1;
    api::document_common_refusals(&mut doc);
    doc
}

async fn healthz() -> &'static str {
    "ok"
}

/// Whether the client reached KOX over TLS: `secure_cookies` says KOX is served so, or a
/// trusted proxy says this request came so (`X-Forwarded-Proto: https`).
pub(crate) fn over_tls(
    settings: &Settings,
    peer: std::net::IpAddr,
    headers: &axum::http::HeaderMap,
) -> bool {
    settings.secure_cookies
        || (settings.trusted_proxies.contains(&peer)
            && headers
                .get("x-forwarded-proto")
                .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https")))
}

/// Cross-origin state changes are refused outright (a second CSRF defence beside the token):
/// the `Origin` must be this server, scheme and host. Every response gets conservative
/// security headers.
async fn guard(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    // Long-lived streams and health checks are not people waiting for an answer.
    let path = req.uri().path();
    let _counted = (path.starts_with("/api/") && !path.ends_with("/events/stream"))
        .then(|| state.load.enter());
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        && let Some(origin) = req.headers().get("origin").and_then(|o| o.to_str().ok())
    {
        let host = req
            .headers()
            .get("host")
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let peer = req
            .extensions()
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .map_or(std::net::IpAddr::from([127, 0, 0, 1]), |c| c.0.ip());
        let scheme = if over_tls(&state.settings, peer, req.headers()) {
            "https"
        } else {
            "http"
        };
        if !origin.eq_ignore_ascii_case(&format!("{scheme}://{host}")) {
            return error::ApiError::Invalid {
                code: "auth.cross_origin".into(),
                message: "cross-origin request refused".into(),
                field: None,
            }
            .into_response();
        }
    }
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    // The framework's own refusals carry the standard error body too (and the headers below).
    let bare = !res.headers().contains_key("content-type");
    if bare && res.status() == StatusCode::PAYLOAD_TOO_LARGE {
        res = error::ApiError::TooLarge.into_response();
    } else if bare && res.status() == StatusCode::METHOD_NOT_ALLOWED {
        let allow = res.headers().get("allow").cloned();
        res = error::ApiError::MethodNotAllowed.into_response();
        if let Some(a) = allow {
            res.headers_mut().insert("allow", a);
        }
    }
    security_headers(res.headers_mut(), api);
    res
}

/// The headers every answer carries: no sniffing, no framing, no referrer outside; API answers
/// are not for shared or browser caches, the UI gets its Content-Security-Policy.
pub(crate) fn security_headers(h: &mut axum::http::HeaderMap, api: bool) {
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    if api {
        // Answers about people and their work are not for shared or browser caches.
        if !h.contains_key("cache-control") {
            h.insert("cache-control", HeaderValue::from_static("no-store"));
        }
    } else {
        // The UI: its own scripts only (no inline script), antd's runtime styles, images from
        // the platforms, talking to this server only.
        h.insert("content-security-policy", HeaderValue::from_static(CSP));
    }
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data: blob: https:; font-src 'self' data:; connect-src 'self'; \
     object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    let app = app(state).into_make_service_with_connect_info::<SocketAddr>();
    // `tap_io` only so that the connection info (the peer address) comes with the wrapper.
    let listener = wire::Listener(listener).tap_io(|_| {});
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
