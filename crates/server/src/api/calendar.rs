//! The shared content calendar: the range with conflict marks, the backlog, the slot check,
//! schedule rules, coordination orders and their waves, recurring slots, holidays, and the
//! members' iCalendar feeds (`/ics/{secret}.ics`, where the secret is the credential).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use kox_domain::UserId;
use kox_domain::accounts::Tier;
use kox_domain::calendar::holidays::{HolidayYear, HolidayYearInput};
use kox_domain::calendar::orders::{CoordinationOrder, CoordinationOrderDraft};
use kox_domain::calendar::slots::{RecurringSlot, RecurringSlotDraft};
use kox_domain::calendar::{
    CalendarItems, CalendarView, FeedDraft, IcsFeeds, NewIcsFeed, ScheduleRules, SlotCheck,
    SlotCheckResult, Waves,
};
use kox_domain::content::Stage;
use kox_store::calendar::CalendarFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::types::{IdPath, WorkspacePath, json_bytes, json_with_list};
use crate::AppState;
use crate::auth::{Can, ManageSchedule, Member, hash_secret, new_secret};
use crate::error::{ApiError, ApiResult, AppJson, AppPath, AppQuery, ErrorBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(calendar))
        .routes(routes!(calendar_backlog))
        .routes(routes!(calendar_conflicts))
        .routes(routes!(check_slot))
        .routes(routes!(get_schedule_rules, set_schedule_rules))
        .routes(routes!(list_orders, create_order))
        .routes(routes!(update_order, delete_order))
        .routes(routes!(list_waves))
        .routes(routes!(list_slots, create_slot))
        .routes(routes!(update_slot, delete_slot))
        .routes(routes!(get_holidays))
        .routes(routes!(set_holidays, reset_holidays))
        .routes(routes!(list_feeds, create_feed))
        .routes(routes!(revoke_feed))
}

/// The feed itself, outside `/api/v1`: calendar clients send no cookie.
pub fn feed_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(ics_feed))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// Start of the range (RFC 3339).
    from: DateTime<Utc>,
    /// End of the range, exclusive; at most 366 days after `from`.
    to: DateTime<Utc>,
    account_id: Option<i64>,
    #[param(inline)]
    tier: Option<Tier>,
    platform: Option<String>,
    campaign_id: Option<i64>,
    /// A member: items of the accounts they own, or assigned to them.
    operator: Option<i64>,
    /// One stage (cancelled items show only when asked for).
    #[param(inline)]
    stage: Option<Stage>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BacklogQuery {
    account_id: Option<i64>,
    #[param(inline)]
    tier: Option<Tier>,
    platform: Option<String>,
    campaign_id: Option<i64>,
    operator: Option<i64>,
    #[param(inline)]
    stage: Option<Stage>,
}

fn filter(
    account_id: Option<i64>,
    tier: Option<Tier>,
    platform: Option<String>,
    campaign_id: Option<i64>,
    operator: Option<i64>,
    stage: Option<Stage>,
) -> CalendarFilter {
    CalendarFilter {
        account_id,
        tier,
        platform: platform.filter(|p| !p.is_empty()),
        campaign_id,
        operator: operator.map(UserId),
        stage,
    }
}

impl CalendarQuery {
    fn filter(self) -> (DateTime<Utc>, DateTime<Utc>, CalendarFilter) {
        (
            self.from,
            self.to,
            filter(
                self.account_id,
                self.tier,
                self.platform,
                self.campaign_id,
                self.operator,
                self.stage,
            ),
        )
    }
}

/// The calendar of a range: every account's planned and published items (filtered), each with
/// its conflict marks, the recurring slots' occurrences and the holidays.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/calendar", tag = "calendar",
    params(WorkspacePath, CalendarQuery),
    responses((status = 200, body = CalendarView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn calendar(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<CalendarQuery>,
) -> ApiResult<axum::response::Response> {
    let (from, to, f) = q.filter();
    let mut view = state
        .store
        .calendar(&m.caller(), m.workspace_id, from, to, &f)
        .await?;
    let items = std::mem::take(&mut view.items);
    Ok(json_bytes(json_with_list(&view, "items", items).await?))
}

/// Drafted and approved items without a publish time, newest first (at most 200).
#[utoipa::path(get, path = "/workspaces/{workspace_id}/calendar/backlog", tag = "calendar",
    params(WorkspacePath, BacklogQuery),
    responses((status = 200, body = CalendarItems), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn calendar_backlog(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<BacklogQuery>,
) -> ApiResult<axum::Json<CalendarItems>> {
    let f = filter(
        q.account_id,
        q.tier,
        q.platform,
        q.campaign_id,
        q.operator,
        q.stage,
    );
    Ok(axum::Json(
        state
            .store
            .calendar_backlog(&m.caller(), m.workspace_id, &f)
            .await?,
    ))
}

/// The items of a range that have conflicts (the 冲突 panel).
#[utoipa::path(get, path = "/workspaces/{workspace_id}/calendar/conflicts", tag = "calendar",
    params(WorkspacePath, CalendarQuery),
    responses((status = 200, body = CalendarItems), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn calendar_conflicts(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<CalendarQuery>,
) -> ApiResult<axum::Json<CalendarItems>> {
    let (from, to, f) = q.filter();
    Ok(axum::Json(
        state
            .store
            .calendar_conflicts(&m.caller(), m.workspace_id, from, to, &f)
            .await?,
    ))
}

/// Dry-runs a slot for an item: the conflicts it would have there, and whether they refuse
/// it. Nothing is written.
#[utoipa::path(post, path = "/workspaces/{workspace_id}/calendar/check", tag = "calendar",
    params(WorkspacePath), request_body = SlotCheck,
    responses((status = 200, body = SlotCheckResult), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn check_slot(
    State(state): State<AppState>,
    m: Member,
    AppJson(c): AppJson<SlotCheck>,
) -> ApiResult<axum::Json<SlotCheckResult>> {
    Ok(axum::Json(
        state
            .store
            .check_slot(m.workspace_id, c.item_id, c.planned_at)
            .await?,
    ))
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/schedule-rules", tag = "calendar",
    params(WorkspacePath),
    responses((status = 200, body = ScheduleRules), (status = 404, body = ErrorBody)))]
async fn get_schedule_rules(
    State(state): State<AppState>,
    m: Member,
) -> ApiResult<axum::Json<ScheduleRules>> {
    Ok(axum::Json(
        state.store.schedule_rules(m.workspace_id).await?,
    ))
}

/// Replaces the schedule rules (a rule left out takes its default).
#[utoipa::path(put, path = "/workspaces/{workspace_id}/schedule-rules", tag = "calendar",
    params(WorkspacePath), request_body = ScheduleRules,
    responses((status = 200, body = ScheduleRules), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn set_schedule_rules(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageSchedule>,
    AppJson(r): AppJson<ScheduleRules>,
) -> ApiResult<axum::Json<ScheduleRules>> {
    Ok(axum::Json(
        state
            .store
            .set_schedule_rules(&m.caller(), m.workspace_id, r)
            .await?,
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CoordinationOrders {
    items: Vec<CoordinationOrder>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrdersQuery {
    /// One campaign's orders.
    campaign_id: Option<i64>,
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/coordination-orders", tag = "calendar",
    params(WorkspacePath, OrdersQuery),
    responses((status = 200, body = CoordinationOrders), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_orders(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<OrdersQuery>,
) -> ApiResult<axum::Json<CoordinationOrders>> {
    Ok(axum::Json(CoordinationOrders {
        items: state
            .store
            .list_orders(m.workspace_id, q.campaign_id)
            .await?,
    }))
}

/// A coordination order (协同指令) on a campaign; refused (`calendar.order_cycle`) when it
/// would chain into a loop with the campaign's other orders.
#[utoipa::path(post, path = "/workspaces/{workspace_id}/coordination-orders", tag = "calendar",
    params(WorkspacePath), request_body = CoordinationOrderDraft,
    responses((status = 201, body = CoordinationOrder), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn create_order(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageSchedule>,
    AppJson(d): AppJson<CoordinationOrderDraft>,
) -> ApiResult<(StatusCode, axum::Json<CoordinationOrder>)> {
    let o = state
        .store
        .save_order(&m.caller(), m.workspace_id, None, d)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(o)))
}

#[utoipa::path(put, path = "/workspaces/{workspace_id}/coordination-orders/{id}", tag = "calendar",
    params(IdPath), request_body = CoordinationOrderDraft,
    responses((status = 200, body = CoordinationOrder), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn update_order(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageSchedule>,
    AppPath(at): AppPath<IdPath>,
    AppJson(d): AppJson<CoordinationOrderDraft>,
) -> ApiResult<axum::Json<CoordinationOrder>> {
    Ok(axum::Json(
        state
            .store
            .save_order(&m.caller(), m.workspace_id, Some(at.id), d)
            .await?,
    ))
}

/// Deletes an order and the record of its waves (the follow-up items stay).
#[utoipa::path(delete, path = "/workspaces/{workspace_id}/coordination-orders/{id}", tag = "calendar",
    params(IdPath),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_order(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageSchedule>,
    AppPath(at): AppPath<IdPath>,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_order(&m.caller(), m.workspace_id, at.id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WavesQuery {
    order_id: Option<i64>,
    /// The waves a published item started.
    trigger_item_id: Option<i64>,
}

/// Waves, newest first (at most 50), each with its follow-ups and how many went out on time.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/waves", tag = "calendar",
    params(WorkspacePath, WavesQuery),
    responses((status = 200, body = Waves), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_waves(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<WavesQuery>,
) -> ApiResult<axum::Json<Waves>> {
    Ok(axum::Json(
        state
            .store
            .list_waves(m.workspace_id, q.order_id, q.trigger_item_id)
            .await?,
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecurringSlots {
    items: Vec<RecurringSlot>,
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/recurring-slots", tag = "calendar",
    params(WorkspacePath),
    responses((status = 200, body = RecurringSlots), (status = 404, body = ErrorBody)))]
async fn list_slots(
    State(state): State<AppState>,
    m: Member,
) -> ApiResult<axum::Json<RecurringSlots>> {
    Ok(axum::Json(RecurringSlots {
        items: state.store.list_recurring_slots(m.workspace_id).await?,
    }))
}

/// A recurring slot ("KOE 账号 每周二、四 20:00"): an RRULE without DTSTART, a time of day, a
/// first day, a zone; for one account or for a tier and platform.
#[utoipa::path(post, path = "/workspaces/{workspace_id}/recurring-slots", tag = "calendar",
    params(WorkspacePath), request_body = RecurringSlotDraft,
    responses((status = 201, body = RecurringSlot), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn create_slot(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageSchedule>,
    AppJson(d): AppJson<RecurringSlotDraft>,
) -> ApiResult<(StatusCode, axum::Json<RecurringSlot>)> {
    let s = state
        .store
        .save_recurring_slot(&m.caller(), m.workspace_id, None, d)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(s)))
}

#[utoipa::path(put, path = "/workspaces/{workspace_id}/recurring-slots/{id}", tag = "calendar",
    params(IdPath), request_body = RecurringSlotDraft,
    responses((status = 200, body = RecurringSlot), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn update_slot(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageSchedule>,
    AppPath(at): AppPath<IdPath>,
    AppJson(d): AppJson<RecurringSlotDraft>,
) -> ApiResult<axum::Json<RecurringSlot>> {
    Ok(axum::Json(
        state
            .store
            .save_recurring_slot(&m.caller(), m.workspace_id, Some(at.id), d)
            .await?,
    ))
}

#[utoipa::path(delete, path = "/workspaces/{workspace_id}/recurring-slots/{id}", tag = "calendar",
    params(IdPath),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_slot(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageSchedule>,
    AppPath(at): AppPath<IdPath>,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_recurring_slot(&m.caller(), m.workspace_id, at.id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HolidaysQuery {
    /// 2000–2100.
    #[param(value_type = i32, minimum = 2000, maximum = 2100)]
    year: i32,
}

/// `/workspaces/{workspace_id}/holidays/{year}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct YearPath {
    #[allow(dead_code)]
    workspace_id: i64,
    year: i32,
}

/// A year's statutory holidays and adjusted working days: the workspace's own, else what KOX
/// ships (`source`).
#[utoipa::path(get, path = "/workspaces/{workspace_id}/holidays", tag = "calendar",
    params(WorkspacePath, HolidaysQuery),
    responses((status = 200, body = HolidayYear), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_holidays(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<HolidaysQuery>,
) -> ApiResult<axum::Json<HolidayYear>> {
    Ok(axum::Json(
        state.store.holiday_year(m.workspace_id, q.year).await?,
    ))
}

/// Loads or edits a year (the whole list).
#[utoipa::path(put, path = "/workspaces/{workspace_id}/holidays/{year}", tag = "calendar",
    params(YearPath), request_body = HolidayYearInput,
    responses((status = 200, body = HolidayYear), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn set_holidays(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageSchedule>,
    AppPath(at): AppPath<YearPath>,
    AppJson(d): AppJson<HolidayYearInput>,
) -> ApiResult<axum::Json<HolidayYear>> {
    Ok(axum::Json(
        state
            .store
            .set_holiday_year(&m.caller(), m.workspace_id, at.year, d.days)
            .await?,
    ))
}

/// Drops the workspace's own list of a year: what KOX ships shows again.
#[utoipa::path(delete, path = "/workspaces/{workspace_id}/holidays/{year}", tag = "calendar",
    params(YearPath),
    responses((status = 200, body = HolidayYear), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn reset_holidays(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageSchedule>,
    AppPath(at): AppPath<YearPath>,
) -> ApiResult<axum::Json<HolidayYear>> {
    Ok(axum::Json(
        state
            .store
            .reset_holiday_year(&m.caller(), m.workspace_id, at.year)
            .await?,
    ))
}

/// The member's own iCalendar feeds (revoked ones marked).
#[utoipa::path(get, path = "/workspaces/{workspace_id}/ics-feeds", tag = "calendar",
    params(WorkspacePath),
    responses((status = 200, body = IcsFeeds), (status = 404, body = ErrorBody)))]
async fn list_feeds(State(state): State<AppState>, m: Member) -> ApiResult<axum::Json<IcsFeeds>> {
    Ok(axum::Json(IcsFeeds {
        items: state.store.list_feeds(m.workspace_id, m.user_id()).await?,
    }))
}

/// A new feed of the member's accounts, an account or a campaign. Its address carries the
/// secret and is shown this once (absolute when KOX knows its public URL, else a path on this
/// server).
#[utoipa::path(post, path = "/workspaces/{workspace_id}/ics-feeds", tag = "calendar",
    params(WorkspacePath), request_body = FeedDraft,
    responses((status = 201, body = NewIcsFeed), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn create_feed(
    State(state): State<AppState>,
    m: Member,
    AppJson(d): AppJson<FeedDraft>,
) -> ApiResult<(StatusCode, axum::Json<NewIcsFeed>)> {
    let secret = new_secret();
    let feed = state
        .store
        .create_feed(&m.caller(), m.workspace_id, d, &hash_secret(&secret))
        .await?;
    let base = state
        .settings
        .public_url
        .as_deref()
        .unwrap_or("")
        .trim_end_matches('/');
    Ok((
        StatusCode::CREATED,
        axum::Json(NewIcsFeed {
            feed,
            url: format!("{base}/ics/{secret}.ics"),
        }),
    ))
}

/// Revokes one of the member's feeds: its address answers 404 from now on.
#[utoipa::path(delete, path = "/workspaces/{workspace_id}/ics-feeds/{id}", tag = "calendar",
    params(IdPath),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn revoke_feed(
    State(state): State<AppState>,
    m: Member,
    AppPath(at): AppPath<IdPath>,
) -> ApiResult<StatusCode> {
    state
        .store
        .revoke_feed(&m.caller(), m.workspace_id, at.id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `/ics/{file}`: the feed's secret followed by `.ics`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct FeedPath {
    /// `<secret>.ics`
    file: String,
}

/// A member's calendar feed (text/calendar) for Feishu/Lark, Outlook and Apple Calendar. No
/// cookie: the secret in the address is the credential; an unknown or revoked one is 404.
#[utoipa::path(get, path = "/ics/{file}", tag = "calendar",
    params(FeedPath),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = ErrorBody)))]
async fn ics_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    AppPath(p): AppPath<FeedPath>,
) -> ApiResult<Response> {
    let secret = p.file.strip_suffix(".ics").ok_or(ApiError::NotFound)?;
    let feed = state
        .store
        .feed_by_secret(&hash_secret(secret))
        .await?
        .ok_or(ApiError::NotFound)?;
    let (base, host) = if let Some(u) = state.settings.public_url.as_deref() {
        let u = u.trim_end_matches('/');
        let host = u
            .split("://")
            .nth(1)
            .unwrap_or(u)
            .split('/')
            .next()
            .unwrap_or("kox");
        (u.to_owned(), host.to_owned())
    } else {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost")
            .to_owned();
        let https = headers
            .get("x-forwarded-proto")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
            || state.settings.secure_cookies;
        (
            format!("{}://{host}", if https { "https" } else { "http" }),
            host,
        )
    };
    let body = state.store.feed_ics(&feed, &base, &host).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "inline; filename=\"kox.ics\""),
        ],
        body,
    )
        .into_response())
}
