//! Who is calling: sessions (cookie + CSRF header), API tokens (Bearer), workspace
//! membership and the capability check. Handlers declare what they need in their signature:
//! `Principal` (signed in), `Member` (member of the path's workspace), `Can<C>` (and the
//! capability table allows `C`). A handler without one of these stands out in review.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{ConnectInfo, FromRequestParts, RawPathParams};
use axum::http::Method;
use axum::http::request::Parts;
use base64::Engine as _;
use chrono::Utc;
use kox_domain::access::{Capability, Group, Role};
use kox_domain::{UserId, WorkspaceId};
use kox_store::Caller;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::ApiError;

pub const SESSION_COOKIE: &str = "kox_session";
pub const CSRF_COOKIE: &str = "kox_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Prefix of API tokens, so a leaked one is recognisable in logs and secret scanners.
pub const TOKEN_PREFIX: &str = "kox_";

/// Argon2id with the crate's default (OWASP-recommended) parameters.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes)
        .map_err(|e| ApiError::Internal(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("password hashing failed: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Argon2id is the one memory-hungry step of a request (~19 MiB per hash or check). At most one
/// per core runs at once; a caller waits up to `PASSWORD_WAIT` for a slot, then is told to come
/// back (503 with `Retry-After`), so a flood of sign-ins cannot grow memory without bound.
static PASSWORD_SLOTS: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(password_slots()));
const PASSWORD_WAIT: Duration = Duration::from_secs(2);

fn password_slots() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 4)
}

/// Runs blocking password work in one of `slots`' places, waiting at most `wait` for one.
async fn in_slot<T: Send + 'static>(
    slots: &tokio::sync::Semaphore,
    wait: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let permit = tokio::time::timeout(wait, slots.acquire())
        .await
        .map_err(|_| ApiError::Busy { retry_after: 1 })?
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let out = tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()));
    drop(permit);
    out
}

/// `hash_password` within the bound on concurrent password work: every request path that
/// hashes (member creation, password change) and `kox user add` go through here.
pub async fn hash_password_bounded(password: &str) -> Result<String, ApiError> {
    let p = password.to_owned();
    in_slot(&PASSWORD_SLOTS, PASSWORD_WAIT, move || hash_password(&p)).await?
}

/// `verify_password` within the same bound (sign-in, password change).
pub async fn verify_password_bounded(password: &str, hash: &str) -> Result<bool, ApiError> {
    let (p, h) = (password.to_owned(), hash.to_owned());
    in_slot(&PASSWORD_SLOTS, PASSWORD_WAIT, move || {
        verify_password(&p, &h)
    })
    .await
}

/// A fresh random secret, URL-safe.
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Secrets are stored as SHA-256: they are random and long, so a fast hash is enough.
pub fn hash_secret(secret: &str) -> String {
    let d = Sha256::digest(secret.as_bytes());
    d.iter().fold(String::with_capacity(64), |mut s, b| {
        use std::fmt::Write as _;
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Counts failed logins per account and per IP in a sliding window.
pub struct LoginLimiter {
    window: Duration,
    per_account: usize,
    per_ip: usize,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginLimiter {
    pub fn new(window: Duration, per_account: usize, per_ip: usize) -> Self {
        Self {
            window,
            per_account,
            per_ip,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Reserves one attempt for this account and address, or says how many seconds to wait
    /// if either has used up its window. The attempt counts from here, before the password is
    /// checked, so a burst of concurrent attempts gets at most the limit through; a successful
    /// sign-in gives its reservation back (`succeed`).
    pub fn reserve(&self, email: &str, ip: IpAddr) -> Result<Instant, u64> {
        let now = Instant::now();
        let mut map = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() > 100_000 {
            // Bounded memory under a credential-stuffing flood: forget old windows.
            map.retain(|_, v| {
                v.last()
                    .is_some_and(|t| now.duration_since(*t) < self.window)
            });
        }
        let keys = [
            (format!("a:{email}"), self.per_account),
            (format!("i:{ip}"), self.per_ip),
        ];
        let mut wait = None;
        for (key, limit) in &keys {
            if let Some(v) = map.get_mut(key) {
                v.retain(|t| now.duration_since(*t) < self.window);
                if v.len() >= *limit
                    && let Some(first) = v.first()
                {
                    let secs = self
                        .window
                        .saturating_sub(now.duration_since(*first))
                        .as_secs()
                        .max(1);
                    wait = Some(wait.map_or(secs, |w: u64| w.max(secs)));
                }
            }
        }
        if let Some(w) = wait {
            return Err(w);
        }
        for (key, _) in keys {
            map.entry(key).or_default().push(now);
        }
        Ok(now)
    }

    /// A sign-in succeeded: the account's failures are forgotten and the address's
    /// reservation `at` is given back (a success is not a failure of that address).
    pub fn succeed(&self, email: &str, ip: IpAddr, at: Instant) {
        let mut map = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.remove(&format!("a:{email}"));
        if let Some(v) = map.get_mut(&format!("i:{ip}"))
            && let Some(i) = v.iter().position(|t| *t == at)
        {
            v.remove(i);
        }
    }
}

/// What a token hash resolved to, as cached between requests.
#[derive(Debug, Clone)]
pub enum CachedAuth {
    Session(kox_store::auth::SessionRow),
    Token {
        id: i64,
        user: UserId,
        last_used: Option<chrono::DateTime<Utc>>,
    },
}

#[derive(Debug, Clone)]
pub enum Via {
    Session { id: i64, csrf: String },
    Token { id: i64 },
}

/// A signed-in caller.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: UserId,
    pub via: Via,
    pub ip: IpAddr,
}

impl Principal {
    /// The person acting on their own things (sessions, tokens, password), outside a workspace.
    pub fn caller(&self) -> Caller {
        Caller::person(self.user_id).from_ip(&self.ip)
    }
}

pub fn client_ip(parts: &Parts) -> IpAddr {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip())
}

pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(p) = parts.extensions.get::<Principal>() {
            return Ok(p.clone());
        }
        let ip = client_ip(parts);
        let now = Utc::now();
        let bearer = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let generation = state.store.access_generation();
        let principal = if let Some(token) = bearer {
            let hash = hash_secret(token.trim());
            let cached = state
                .auth_cache
                .get_or_compute(hash.clone(), generation, || async {
                    let (id, user, last_used) = state
                        .store
                        .find_token(&hash)
                        .await?
                        .ok_or(ApiError::Unauthenticated)?;
                    Ok::<_, ApiError>(CachedAuth::Token {
                        id,
                        user,
                        last_used,
                    })
                })
                .await?;
            let CachedAuth::Token {
                id,
                user,
                last_used,
            } = cached
            else {
                return Err(ApiError::Unauthenticated);
            };
            if last_used.is_none_or(|t| now - t > chrono::Duration::seconds(60)) {
                state.store.touch_token(id, now).await?;
                state.auth_cache.refresh(
                    hash,
                    generation,
                    CachedAuth::Token {
                        id,
                        user,
                        last_used: Some(now),
                    },
                );
            }
            Principal {
                user_id: user,
                via: Via::Token { id },
                ip,
            }
        } else {
            let token = cookie(parts, SESSION_COOKIE).ok_or(ApiError::Unauthenticated)?;
            let hash = hash_secret(token);
            let cached = state
                .auth_cache
                .get_or_compute(hash.clone(), generation, || async {
                    let s = state
                        .store
                        .find_session(&hash)
                        .await?
                        .ok_or(ApiError::Unauthenticated)?;
                    Ok::<_, ApiError>(CachedAuth::Session(s))
                })
                .await?;
            let CachedAuth::Session(mut s) = cached else {
                return Err(ApiError::Unauthenticated);
            };
            if s.expires_at <= now || now - s.last_seen_at > state.settings.session_idle {
                return Err(ApiError::Unauthenticated);
            }
            // Cookies ride along on cross-site requests; a state change must also carry the
            // CSRF token, which only our own pages can read.
            if !is_safe(&parts.method) {
                let sent = parts
                    .headers
                    .get(CSRF_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                if sent.is_empty() || sent != s.csrf_token {
                    return Err(ApiError::Invalid {
                        code: "auth.csrf".into(),
                        message: "missing or wrong X-CSRF-Token header".into(),
                        field: None,
                    });
                }
            }
            if now - s.last_seen_at > chrono::Duration::seconds(60) {
                state.store.touch_session(s.id, now).await?;
                s.last_seen_at = now;
                state
                    .auth_cache
                    .refresh(hash, generation, CachedAuth::Session(s.clone()));
            }
            Principal {
                user_id: s.user_id,
                via: Via::Session {
                    id: s.id,
                    csrf: s.csrf_token,
                },
                ip,
            }
        };
        parts.extensions.insert(principal.clone());
        Ok(principal)
    }
}

/// A member of the workspace named by the `workspace_id` path segment. A workspace the
/// caller does not belong to is indistinguishable from one that does not exist.
#[derive(Debug, Clone)]
pub struct Member {
    pub principal: Principal,
    pub workspace_id: WorkspaceId,
    pub role: Role,
    pub group: Group,
}

impl Member {
    /// The member acting in this workspace, with their role.
    pub fn caller(&self) -> Caller {
        Caller::member(self.principal.user_id, self.role).from_ip(&self.principal.ip)
    }
    pub fn user_id(&self) -> UserId {
        self.principal.user_id
    }
    pub fn can(&self, cap: Capability) -> bool {
        self.role.can(cap)
    }
}

impl FromRequestParts<AppState> for Member {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let principal = Principal::from_request_parts(parts, state).await?;
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound)?;
        let ws: i64 = params
            .iter()
            .find(|(k, _)| *k == "workspace_id")
            .and_then(|(_, v)| v.parse().ok())
            .ok_or(ApiError::NotFound)?;
        let ws = WorkspaceId(ws);
        let generation = state.store.access_generation();
        let key = (ws.0, principal.user_id.0);
        let membership = state
            .member_cache
            .get_or_compute(key, generation, || async {
                Ok::<_, ApiError>(state.store.membership(ws, principal.user_id).await?)
            })
            .await?;
        let (role, group) = membership.ok_or(ApiError::NotFound)?;
        Ok(Member {
            principal,
            workspace_id: ws,
            role,
            group,
        })
    }
}

/// A capability check, declared as a type so it shows in the handler's signature.
pub trait Cap {
    fn allowed(role: Role) -> bool;
}

macro_rules! caps {
    ($($(#[$doc:meta])* $name:ident => $check:expr;)*) => {$(
        $(#[$doc])*
        pub struct $name;
        impl Cap for $name {
            fn allowed(role: Role) -> bool {
                let check: fn(Role) -> bool = $check;
                check(role)
            }
        }
    )*};
}

caps! {
    ManageWorkspace => |r| r.can(Capability::WorkspaceManage);
    ManageMembers => |r| r.can(Capability::MembersManage);
    ManageCustomFields => |r| r.can(Capability::CustomFieldsManage);
    ManagePlatforms => |r| r.can(Capability::PlatformsManage);
    ReadAudit => |r| r.can(Capability::AuditRead);
    WriteCampaigns => |r| r.can(Capability::CampaignsWrite);
    CreateAccounts => |r| r.can(Capability::AccountsCreate);
    /// Edit some accounts: all of them, or (operators) the ones they own — the store
    /// checks ownership inside the write's transaction.
    EditAccounts => |r| r.can(Capability::AccountsWriteAny) || r.can(Capability::AccountsWriteOwn);
    /// Write some content items: any (admins, directors), hub-stage ones (editors, planners) or
    /// those of owned accounts (operators) — the store applies the stage and ownership rule.
    WriteContent => |r| r.can(Capability::ContentWriteAny)
        || r.can(Capability::ContentWriteDraft)
        || r.can(Capability::ContentWriteOwn);
    /// Submit, withdraw, approve, reject or override; the store checks which one.
    ActOnContent => |r| r.can(Capability::ContentWriteAny)
        || r.can(Capability::ContentWriteDraft)
        || r.can(Capability::ContentWriteOwn)
        || r.can(Capability::ContentReview);
    PublishContent => |r| r.can(Capability::ContentPublishAny) || r.can(Capability::ContentPublishOwn);
    CommentContent => |r| r.can(Capability::ContentComment);
    ManageRedLines => |r| r.can(Capability::RedLinesManage);
    ManageNotifications => |r| r.can(Capability::NotificationsManage);
    ManageSchedule => |r| r.can(Capability::ScheduleManage);
}

/// A member whose role passes `C`; otherwise 403.
pub struct Can<C: Cap>(pub Member, pub PhantomData<C>);

impl<C: Cap + Send + Sync> FromRequestParts<AppState> for Can<C> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let m = Member::from_request_parts(parts, state).await?;
        if C::allowed(m.role) {
            Ok(Can(m, PhantomData))
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_against_their_argon2id_hash_only() {
        let h = hash_password("kox-demo-2026").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("kox-demo-2026", &h));
        assert!(!verify_password("kox-demo-2027", &h));
        assert!(!verify_password("kox-demo-2026", "not a hash"));
    }

    #[test]
    fn the_limiter_blocks_an_account_after_its_failures_and_forgets_on_success() {
        let l = LoginLimiter::new(Duration::from_mins(1), 3, 100);
        let ip = IpAddr::from([10, 0, 0, 1]);
        for _ in 0..3 {
            assert!(l.reserve("a@b.cn", ip).is_ok());
        }
        assert!(l.reserve("a@b.cn", ip).is_err());
        let other = l.reserve("other@b.cn", ip).unwrap();
        l.succeed("other@b.cn", ip, other);
        // A success forgets the account's failures.
        l.succeed("a@b.cn", ip, Instant::now());
        assert!(l.reserve("a@b.cn", ip).is_ok());
    }

    #[test]
    fn the_limiter_blocks_an_ip_across_accounts_and_a_success_gives_its_reservation_back() {
        let l = LoginLimiter::new(Duration::from_mins(1), 100, 2);
        let ip = IpAddr::from([10, 0, 0, 2]);
        let ok = l.reserve("w@b.cn", ip).unwrap();
        l.succeed("w@b.cn", ip, ok);
        l.reserve("x@b.cn", ip).unwrap();
        l.reserve("y@b.cn", ip).unwrap();
        assert!(l.reserve("z@b.cn", ip).is_err());
        assert!(l.reserve("z@b.cn", IpAddr::from([10, 0, 0, 3])).is_ok());
    }

    #[test]
    fn a_burst_of_concurrent_attempts_gets_at_most_the_limit_through() {
        let l = std::sync::Arc::new(LoginLimiter::new(Duration::from_mins(1), 5, 50));
        let ip = IpAddr::from([10, 0, 0, 4]);
        let through = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..40 {
                s.spawn(|| {
                    if l.reserve("burst@b.cn", ip).is_ok() {
                        through.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                });
            }
        });
        assert_eq!(through.into_inner(), 5);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn password_work_runs_at_most_as_many_at_once_as_there_are_slots() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(2));
        let running = std::sync::Arc::new(AtomicUsize::new(0));
        let peak = std::sync::Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (slots, running, peak) = (slots.clone(), running.clone(), peak.clone());
            tasks.push(tokio::spawn(async move {
                in_slot(&slots, Duration::from_secs(30), move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                })
                .await
            }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert_eq!(peak.load(Ordering::SeqCst), 2);
        // A caller that cannot get a slot in time is told to come back, not queued forever.
        let held = slots.clone().acquire_many_owned(2).await.unwrap();
        let busy = in_slot(&slots, Duration::from_millis(50), || ()).await;
        assert!(
            matches!(busy, Err(ApiError::Busy { retry_after: 1 })),
            "{busy:?}"
        );
        drop(held);
        assert!(password_slots() >= 1);
    }
}
