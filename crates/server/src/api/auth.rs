//! Sign in and out. Sessions live in the database; the browser holds an HttpOnly cookie and
//! a readable CSRF cookie whose value must come back in `X-CSRF-Token` on state changes.

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use kox_store::Caller;
use kox_store::auth::NewSession;
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::me::{Me, load_me};
use crate::AppState;
use crate::auth::{
    CSRF_COOKIE, Principal, SESSION_COOKIE, Via, hash_secret, new_secret, verify_password_bounded,
};
use crate::error::{ApiError, ApiResult, AppJson, ErrorBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// A hash of a random password: verifying against it for unknown e-mails keeps the response
/// time the same whether or not the account exists.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| crate::auth::hash_password(&new_secret()).unwrap_or_default());

fn cookie(name: &str, value: &str, max_age: i64, http_only: bool, secure: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; SameSite=Lax; Max-Age={max_age}");
    if http_only {
        c.push_str("; HttpOnly");
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[utoipa::path(post, path = "/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn login(
    axum::extract::State(state): axum::extract::State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    AppJson(req): AppJson<LoginRequest>,
) -> ApiResult<Response> {
    let email = req.email.trim().to_lowercase();
    let ip = peer.ip();
    let caller = Caller::anonymous().from_ip(&ip);
    // Bounded before hashing, so an oversized password cannot burn CPU.
    for (field, len, max) in [
        ("email", email.len(), 200),
        ("password", req.password.len(), 1024),
    ] {
        if len > max {
            return Err(ApiError::invalid(
                field,
                "validation.too_long",
                format!("{field} is too long"),
            ));
        }
    }
    // Refused attempts are not written to the event log: the failures that led to the block
    // are, and a flood of blocked attempts must not turn into a flood of writes.
    let attempt = state
        .limiter
        .reserve(&email, ip)
        .map_err(|retry_after| ApiError::RateLimited { retry_after })?;
    let creds = state.store.find_credentials(&email).await?;
    let hash = creds
        .as_ref()
        .map_or_else(|| DUMMY_HASH.clone(), |c| c.password_hash.clone());
    let ok = verify_password_bounded(&req.password, &hash).await?;
    let subject = creds.as_ref().map(|c| c.user.id);
    let Some(creds) = creds.filter(|_| ok) else {
        state
            .store
            .record_auth_event(
                &caller,
                subject,
                "auth.login_failed",
                Some(json!({"email": email})),
            )
            .await?;
        return Err(ApiError::BadCredentials);
    };
    state.limiter.succeed(&email, ip, attempt);
    start_session(&state, creds.user.id, ip, &headers).await
}

/// Signs `user` in: a new session, its `auth.login` event, and the answer of signing in (`Me`
/// with the session and CSRF cookies).
pub(crate) async fn start_session(
    state: &AppState,
    user: kox_domain::UserId,
    ip: std::net::IpAddr,
    headers: &HeaderMap,
) -> ApiResult<Response> {
    let token = new_secret();
    let csrf = new_secret();
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let session = state
        .store
        .create_session(NewSession {
            token_hash: hash_secret(&token),
            user_id: user,
            csrf_token: csrf.clone(),
            user_agent: ua,
            ip: ip.to_string(),
            expires_at: Utc::now() + state.settings.session_absolute,
        })
        .await?;
    state
        .store
        .record_auth_event(
            &Caller::person(user).from_ip(&ip),
            Some(user),
            "auth.login",
            None,
        )
        .await?;
    let principal = Principal {
        user_id: user,
        via: Via::Session {
            id: session.id,
            csrf: csrf.clone(),
        },
        ip,
    };
    let me = load_me(state, &principal).await?;
    let max_age = state.settings.session_absolute.num_seconds();
    let sec = crate::over_tls(&state.settings, ip, headers);
    let mut res = axum::Json(me).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie(SESSION_COOKIE, &token, max_age, true, sec),
    );
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie(CSRF_COOKIE, &csrf, max_age, false, sec),
    );
    Ok(res)
}

#[utoipa::path(post, path = "/logout", tag = "auth", responses((status = 204), (status = 401, body = ErrorBody)))]
async fn logout(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: HeaderMap,
    p: Principal,
) -> ApiResult<Response> {
    if let Via::Session { id, .. } = p.via {
        state.store.delete_session(p.user_id, id).await?;
        state
            .store
            .record_auth_event(&p.caller(), Some(p.user_id), "auth.logout", None)
            .await?;
    }
    let sec = crate::over_tls(&state.settings, p.ip, &headers);
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, cookie(SESSION_COOKIE, "", 0, true, sec));
    res.headers_mut()
        .append(header::SET_COOKIE, cookie(CSRF_COOKIE, "", 0, false, sec));
    Ok(res)
}
