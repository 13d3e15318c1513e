//! Notifications: every member's own list, unread count and preferences; the admins'
//! channels (with a test send), rules, delivery log and job queue.

use axum::extract::State;
use axum::http::StatusCode;
use kox_domain::jobs::{Job, JobState};
use kox_domain::notifications::{
    Channel, ChannelDraft, ChannelPatch, ChannelTest, Delivery, DeliveryStatus, MarkRead,
    NotificationPage, Preferences, Rule, RuleDraft, RulePatch, UnreadCount,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::types::{IdPath, WorkspacePath};
use crate::AppState;
use crate::auth::{Can, ManageNotifications, Member};
use crate::error::{ApiError, ApiResult, AppJson, AppPath, AppQuery, ErrorBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_notifications))
        .routes(routes!(unread_notifications))
        .routes(routes!(mark_notifications_read))
        .routes(routes!(test_notification))
        .routes(routes!(list_channels, create_channel))
        .routes(routes!(update_channel, delete_channel))
        .routes(routes!(test_channel))
        .routes(routes!(list_rules, create_rule))
        .routes(routes!(update_rule, delete_rule))
        .routes(routes!(get_preferences, set_preferences))
        .routes(routes!(list_deliveries))
        .routes(routes!(retry_delivery))
        .routes(routes!(list_jobs))
        .routes(routes!(retry_job))
}

fn limit_of(limit: Option<i64>) -> ApiResult<u64> {
    let limit = limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::invalid(
            "limit",
            "validation.range",
            "limit must be from 1 to 200",
        ));
    }
    Ok(limit as u64)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NotificationsQuery {
    /// Only unread ones.
    unread: Option<bool>,
    /// Only this kind (`review_requested`, `mention` …).
    kind: Option<String>,
    /// Older than this notification id (the next page).
    before: Option<i64>,
    /// 1–200, default 50.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

/// The member's own notifications, newest first, with their unread count.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/notifications", tag = "notifications",
    params(WorkspacePath, NotificationsQuery),
    responses((status = 200, body = NotificationPage), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_notifications(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<NotificationsQuery>,
) -> ApiResult<axum::Json<NotificationPage>> {
    let limit = limit_of(q.limit)?;
    Ok(axum::Json(
        state
            .store
            .list_notifications(
                m.workspace_id,
                m.user_id(),
                q.unread.unwrap_or(false),
                q.kind.as_deref(),
                q.before,
                limit,
            )
            .await?,
    ))
}

/// The member's unread count (the bell; it also arrives on the event stream).
#[utoipa::path(get, path = "/workspaces/{workspace_id}/notifications/unread", tag = "notifications",
    params(WorkspacePath),
    responses((status = 200, body = UnreadCount), (status = 404, body = ErrorBody)))]
async fn unread_notifications(
    State(state): State<AppState>,
    m: Member,
) -> ApiResult<axum::Json<UnreadCount>> {
    Ok(axum::Json(
        state
            .store
            .unread_notifications(m.workspace_id, m.user_id())
            .await?,
    ))
}

/// Marks the member's notifications read: `ids`, or `all`.
#[utoipa::path(post, path = "/workspaces/{workspace_id}/notifications/read", tag = "notifications",
    params(WorkspacePath), request_body = MarkRead,
    responses((status = 200, body = UnreadCount), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn mark_notifications_read(
    State(state): State<AppState>,
    m: Member,
    AppJson(req): AppJson<MarkRead>,
) -> ApiResult<axum::Json<UnreadCount>> {
    Ok(axum::Json(
        state
            .store
            .mark_notifications_read(&m.caller(), m.workspace_id, m.user_id(), &req)
            .await?,
    ))
}

/// Sends the member a test notification through their own settings (the bell, and e-mail if
/// they chose e-mail for tests).
#[utoipa::path(post, path = "/workspaces/{workspace_id}/notifications/test", tag = "notifications",
    params(WorkspacePath),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn test_notification(State(state): State<AppState>, m: Member) -> ApiResult<StatusCode> {
    state
        .store
        .notify_test(&m.caller(), m.workspace_id, m.user_id())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The workspace's channels. Secrets are never returned (`secret_set` says whether one is
/// stored).
#[utoipa::path(get, path = "/workspaces/{workspace_id}/notification-channels", tag = "notifications",
    params(WorkspacePath),
    responses((status = 200, body = Vec<Channel>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_channels(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageNotifications>,
) -> ApiResult<axum::Json<Vec<Channel>>> {
    Ok(axum::Json(state.store.list_channels(m.workspace_id).await?))
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/notification-channels", tag = "notifications",
    params(WorkspacePath), request_body = ChannelDraft,
    responses((status = 201, body = Channel), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn create_channel(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageNotifications>,
    AppJson(d): AppJson<ChannelDraft>,
) -> ApiResult<(StatusCode, axum::Json<Channel>)> {
    check_target(&state, d.config.url.as_deref()).await?;
    let c = state
        .store
        .create_channel(&m.caller(), m.workspace_id, d)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(c)))
}

/// A change of name, settings, secret (`""` or absent keeps it) or on/off.
#[utoipa::path(patch, path = "/workspaces/{workspace_id}/notification-channels/{id}", tag = "notifications",
    params(IdPath), request_body = ChannelPatch,
    responses((status = 200, body = Channel), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn update_channel(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageNotifications>,
    AppPath(at): AppPath<IdPath>,
    AppJson(p): AppJson<ChannelPatch>,
) -> ApiResult<axum::Json<Channel>> {
    if let Some(c) = &p.config {
        check_target(&state, c.url.as_deref()).await?;
    }
    Ok(axum::Json(
        state
            .store
            .update_channel(&m.caller(), m.workspace_id, at.id, p)
            .await?,
    ))
}

#[utoipa::path(delete, path = "/workspaces/{workspace_id}/notification-channels/{id}", tag = "notifications",
    params(IdPath),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_channel(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageNotifications>,
    AppPath(at): AppPath<IdPath>,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_channel(&m.caller(), m.workspace_id, at.id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sends a test message through the channel now and answers with what the provider said
/// (e-mail: also to the admin who asks).
#[utoipa::path(post, path = "/workspaces/{workspace_id}/notification-channels/{id}/test", tag = "notifications",
    params(IdPath),
    responses((status = 200, body = ChannelTest), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn test_channel(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageNotifications>,
    AppPath(at): AppPath<IdPath>,
) -> ApiResult<axum::Json<ChannelTest>> {
    let (channel, secret) = state.store.channel_for_send(m.workspace_id, at.id).await?;
    let me = state.store.get_user(m.user_id()).await?;
    Ok(axum::Json(
        state
            .sender
            .test(&channel, secret.as_deref(), Some(&me.email))
            .await,
    ))
}

/// A webhook address must not point into the server's own networks (resolved now; the sender
/// checks again on every call).
async fn check_target(state: &AppState, url: Option<&str>) -> ApiResult<()> {
    let Some(url) = url.map(str::trim).filter(|u| !u.is_empty()) else {
        return Ok(());
    };
    if state.settings.allow_private_targets {
        return Ok(());
    }
    let Some((host, port)) = kox_domain::notifications::targets::host_port(url) else {
        return Ok(()); // the store's validation names the field
    };
    let private = |ip: std::net::IpAddr| !kox_domain::notifications::targets::is_public(ip);
    let refused = if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        private(ip)
    } else {
        match tokio::time::timeout(
            std::time::Duration::from_secs(5),
            tokio::net::lookup_host((host.as_str(), port)),
        )
        .await
        {
            Ok(Ok(addrs)) => addrs.into_iter().any(|a| private(a.ip())),
            // Unknown today: the sender refuses it later if it resolves privately.
            _ => false,
        }
    };
    if refused {
        return Err(ApiError::invalid(
            "config.url",
            "notifications.private_target",
            "this address is on a private or local network; KOX sends only to public addresses",
        ));
    }
    Ok(())
}

/// Which kinds go to which channel, optionally only for some campaigns, tiers or accounts.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/notification-rules", tag = "notifications",
    params(WorkspacePath),
    responses((status = 200, body = Vec<Rule>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_rules(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageNotifications>,
) -> ApiResult<axum::Json<Vec<Rule>>> {
    Ok(axum::Json(state.store.list_rules(m.workspace_id).await?))
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/notification-rules", tag = "notifications",
    params(WorkspacePath), request_body = RuleDraft,
    responses((status = 201, body = Rule), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn create_rule(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageNotifications>,
    AppJson(d): AppJson<RuleDraft>,
) -> ApiResult<(StatusCode, axum::Json<Rule>)> {
    let r = state
        .store
        .create_rule(&m.caller(), m.workspace_id, d)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(r)))
}

#[utoipa::path(patch, path = "/workspaces/{workspace_id}/notification-rules/{id}", tag = "notifications",
    params(IdPath), request_body = RulePatch,
    responses((status = 200, body = Rule), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn update_rule(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageNotifications>,
    AppPath(at): AppPath<IdPath>,
    AppJson(p): AppJson<RulePatch>,
) -> ApiResult<axum::Json<Rule>> {
    Ok(axum::Json(
        state
            .store
            .update_rule(&m.caller(), m.workspace_id, at.id, p)
            .await?,
    ))
}

#[utoipa::path(delete, path = "/workspaces/{workspace_id}/notification-rules/{id}", tag = "notifications",
    params(IdPath),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_rule(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageNotifications>,
    AppPath(at): AppPath<IdPath>,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_rule(&m.caller(), m.workspace_id, at.id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `/workspaces/{workspace_id}/notification-preferences/{user_id}`
#[derive(Debug, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Path)]
pub struct PreferencesPath {
    #[allow(dead_code)]
    pub workspace_id: i64,
    /// The member themselves: nobody else's preferences can be read or changed.
    pub user_id: i64,
}

fn own(m: &Member, user_id: i64) -> ApiResult<()> {
    if m.user_id().0 == user_id {
        Ok(())
    } else {
        Err(ApiError::Refused {
            code: "notifications.not_yours".into(),
            message: "members choose their own notifications".into(),
            field: Some("user_id".into()),
            params: serde_json::Map::new(),
        })
    }
}

/// The member's own choices (defaults until they change them: everything in KOX, no e-mail).
#[utoipa::path(get, path = "/workspaces/{workspace_id}/notification-preferences/{user_id}", tag = "notifications",
    params(PreferencesPath),
    responses((status = 200, body = Preferences), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_preferences(
    State(state): State<AppState>,
    m: Member,
    AppPath(at): AppPath<PreferencesPath>,
) -> ApiResult<axum::Json<Preferences>> {
    own(&m, at.user_id)?;
    Ok(axum::Json(
        state
            .store
            .get_preferences(m.workspace_id, m.user_id())
            .await?,
    ))
}

#[utoipa::path(put, path = "/workspaces/{workspace_id}/notification-preferences/{user_id}", tag = "notifications",
    params(PreferencesPath), request_body = Preferences,
    responses((status = 200, body = Preferences), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn set_preferences(
    State(state): State<AppState>,
    m: Member,
    AppPath(at): AppPath<PreferencesPath>,
    AppJson(p): AppJson<Preferences>,
) -> ApiResult<axum::Json<Preferences>> {
    own(&m, at.user_id)?;
    Ok(axum::Json(
        state
            .store
            .set_preferences(m.workspace_id, m.user_id(), p)
            .await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    /// queued, sending, sent, retrying, failed or dead.
    status: Option<String>,
    /// Older than this delivery id (the next page).
    before: Option<i64>,
    /// 1–200, default 50.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

/// The delivery log: every message to a channel or an inbox, with each attempt and the
/// provider's answer.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/deliveries", tag = "notifications",
    params(WorkspacePath, DeliveriesQuery),
    responses((status = 200, body = Vec<Delivery>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_deliveries(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageNotifications>,
    AppQuery(q): AppQuery<DeliveriesQuery>,
) -> ApiResult<axum::Json<Vec<Delivery>>> {
    let limit = limit_of(q.limit)?;
    let status = match q.status.as_deref() {
        None => None,
        Some(s) => Some(DeliveryStatus::parse(s).ok_or_else(|| {
            ApiError::invalid(
                "status",
                "notifications.unknown_status",
                "unknown delivery status",
            )
        })?),
    };
    Ok(axum::Json(
        state
            .store
            .list_deliveries(m.workspace_id, status, q.before, limit)
            .await?,
    ))
}

/// Sends a delivery again now (a dead letter after the channel was fixed).
#[utoipa::path(post, path = "/workspaces/{workspace_id}/deliveries/{id}/retry", tag = "notifications",
    params(IdPath),
    responses((status = 200, body = Delivery), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn retry_delivery(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageNotifications>,
    AppPath(at): AppPath<IdPath>,
) -> ApiResult<axum::Json<Delivery>> {
    Ok(axum::Json(
        state.store.retry_delivery(m.workspace_id, at.id).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct JobsQuery {
    /// queued, running, done, dead or cancelled.
    state: Option<String>,
    /// 1–200, default 50.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

/// The workspace's job queue (admins): what waits, what runs, what died.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/jobs", tag = "notifications",
    params(WorkspacePath, JobsQuery),
    responses((status = 200, body = Vec<Job>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_jobs(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageNotifications>,
    AppQuery(q): AppQuery<JobsQuery>,
) -> ApiResult<axum::Json<Vec<Job>>> {
    let limit = limit_of(q.limit)?;
    let js = match q.state.as_deref() {
        None => None,
        Some(s) => Some(JobState::parse(s).ok_or_else(|| {
            ApiError::invalid("state", "request.unknown_value", "unknown job state")
        })?),
    };
    Ok(axum::Json(
        state
            .store
            .list_jobs(Some(m.workspace_id), js, limit)
            .await?,
    ))
}

/// Queues a dead job again now, its attempts reset.
#[utoipa::path(post, path = "/workspaces/{workspace_id}/jobs/{id}/retry", tag = "notifications",
    params(IdPath),
    responses((status = 200, body = Job), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn retry_job(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageNotifications>,
    AppPath(at): AppPath<IdPath>,
) -> ApiResult<axum::Json<Job>> {
    Ok(axum::Json(
        state.store.retry_job(Some(m.workspace_id), at.id).await?,
    ))
}
