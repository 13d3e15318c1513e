//! The event log as an activity feed per entity (any member) and as the workspace's audit
//! log (admins), which also lists members' sign-ins and failed sign-ins.

use axum::extract::State;
use chrono::NaiveDate;
use kox_domain::access::Capability;
use kox_domain::members::Event;
use kox_store::EventQuery;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::types::{WorkspacePath, whole_number};
use crate::AppState;
use crate::auth::{Can, Member, ReadAudit, Via};
use crate::error::{ApiError, ApiResult, AppQuery, ErrorBody};
use crate::streams::Pushed;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_events))
        .routes(routes!(export_events))
        .routes(routes!(stream_events))
}

/// How many events one stream reads per database query while it catches up.
const STREAM_BATCH: u64 = 200;
/// A stream rechecks its credential and the member's role at least this often (and at once
/// when the workspace's members change).
const STREAM_RECHECK: std::time::Duration = std::time::Duration::from_secs(5);

struct StreamState {
    state: AppState,
    ws: kox_domain::WorkspaceId,
    user: kox_domain::UserId,
    credential: kox_store::auth::Credential,
    /// The member as of the last check: what they may see of each event.
    caller: kox_domain::access::Caller,
    /// The last event sent (or skipped as already sent).
    last: i64,
    sub: crate::streams::Subscription,
    recheck: tokio::time::Interval,
    /// Read from the database until nothing is new (at the start, and after falling behind).
    catch_up: bool,
    buffer: std::collections::VecDeque<Pushed>,
}

impl StreamState {
    /// Whether the stream may go on: its session or token still stands and the user is still
    /// a member; refreshes the role the next events are shown for.
    async fn still_allowed(&mut self) -> bool {
        let alive = self
            .state
            .store
            .credential_alive(self.credential, chrono::Utc::now())
            .await;
        match (alive, self.state.store.membership(self.ws, self.user).await) {
            (Ok(false), _) | (_, Ok(None)) => false,
            (Ok(true), Ok(Some((role, _)))) => {
                self.caller = kox_domain::access::Caller::member(self.user, role);
                true
            }
            (Err(e), _) | (_, Err(e)) => {
                tracing::warn!(error = %e, "event stream recheck failed");
                true
            }
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// For clients that cannot send the `Last-Event-ID` header.
    #[param(value_type = Option<i64>, minimum = 0)]
    last_event_id: Option<String>,
}

/// Server-Sent Events: every event of the workspace committed after `Last-Event-ID` (header, or
/// `last_event_id` query parameter; without either, from now on), as `event: change` with the
/// event's id, pushed within moments of the commit — also commits of other `kox serve`
/// instances on the same PostgreSQL database. Client IP addresses are shown to admins only.
/// The stream ends within seconds of its session or token (sign-out, revocation, a password
/// change) and when the member leaves the workspace. A user keeps at most 10 streams open;
/// opening another ends their oldest.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/events/stream", tag = "events",
    params(WorkspacePath, ("Last-Event-ID" = Option<i64>, Header, minimum = 0), StreamQuery),
    responses((status = 200, content_type = "text/event-stream", description = "`event: change`, `id: <event id>`, `data: <Event JSON>`"),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn stream_events(
    State(state): State<AppState>,
    m: Member,
    headers: axum::http::HeaderMap,
    AppQuery(q): AppQuery<StreamQuery>,
) -> ApiResult<
    axum::response::Sse<
        impl futures_util::Stream<Item = Result<axum::response::sse::Event, std::convert::Infallible>>,
    >,
> {
    let header = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let last = match header.or(q.last_event_id) {
        Some(v) => {
            let id = whole_number("last_event_id", Some(&v), 0, 0, i64::MAX.unsigned_abs())?;
            i64::try_from(id).unwrap_or(i64::MAX)
        }
        // Subscribe before reading the newest id, so nothing committed in between is missed.
        None => -1,
    };
    // Subscribe before reading the newest id, so nothing committed in between is missed.
    let sub = state
        .streams
        .subscribe(&state.store, m.workspace_id, m.user_id())
        .await?;
    let last = if last < 0 {
        state.store.last_event_id(m.workspace_id).await?
    } else {
        last
    };
    let mut recheck = tokio::time::interval(STREAM_RECHECK);
    recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    recheck.reset(); // the extractor has just checked
    let s = StreamState {
        caller: m.caller(),
        credential: match m.principal.via {
            Via::Session { id, .. } => kox_store::auth::Credential::Session(id),
            Via::Token { id } => kox_store::auth::Credential::Token(id),
        },
        ws: m.workspace_id,
        user: m.user_id(),
        state,
        last,
        sub,
        recheck,
        catch_up: true,
        buffer: std::collections::VecDeque::new(),
    };
    let stream = futures_util::stream::unfold(s, |mut s| async move {
        loop {
            if let Some(ev) = s.buffer.pop_front() {
                if ev.id <= s.last {
                    continue;
                }
                if !ev.for_user(s.user) {
                    s.last = ev.id;
                    continue;
                }
                s.last = ev.id;
                let data = if s.caller.sees_client_addresses() {
                    &ev.full
                } else {
                    &ev.public
                };
                let out = axum::response::sse::Event::default()
                    .event("change")
                    .id(ev.id.to_string())
                    .data(&**data);
                return Some((Ok(out), s));
            }
            if s.catch_up {
                match s.state.store.events_after(s.ws, s.last, STREAM_BATCH).await {
                    Ok(evs) if !evs.is_empty() => s.buffer.extend(evs.into_iter().map(Pushed::of)),
                    Ok(_) => s.catch_up = false,
                    Err(e) => {
                        tracing::warn!(error = %e, "event stream read failed");
                        s.catch_up = false;
                    }
                }
                continue;
            }
            tokio::select! {
                _ = s.sub.closed.changed() => return None,
                _ = s.recheck.tick() => {
                    if !s.still_allowed().await {
                        return None;
                    }
                }
                batch = s.sub.batches.recv() => match batch {
                    Ok(evs) => {
                        // A change among the members may be this member's role: recheck first.
                        if evs.iter().any(|e| e.entity_type == "member") && !s.still_allowed().await {
                            return None;
                        }
                        s.buffer.extend(evs.iter().filter(|e| e.id > s.last).cloned());
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => s.catch_up = true,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                },
            }
        }
    });
    Ok(axum::response::Sse::new(stream).keep_alive(axum::response::sse::KeepAlive::default()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    /// Newest first; pass the last id as `before` for the next page.
    pub items: Vec<Event>,
}

const ENTITY_TYPES: [&str; 8] = [
    "account",
    "campaign",
    "member",
    "custom_field",
    "platform",
    "workspace",
    "content_item",
    "red_line",
];

/// One entity's activity, or (admins) the audit log, a page at a time.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// With `entity_id`: that record's activity.
    entity_type: Option<String>,
    entity_id: Option<i64>,
    /// Only events with this action (e.g. `account.archived`).
    action: Option<String>,
    /// Events older than this event id (keyset paging).
    before: Option<i64>,
    /// Audit log: only what this member did (their user id).
    actor: Option<i64>,
    /// Audit log: events on or after this day (workspace time zone) …
    from: Option<NaiveDate>,
    /// … and on or before this day.
    to: Option<NaiveDate>,
    /// 1–200, default 50.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

impl EventsQuery {
    /// The store's query: one entity's activity (any member), or the audit log (admins).
    async fn query(self, state: &AppState, m: &Member) -> ApiResult<EventQuery> {
        let limit = self.limit.unwrap_or(50);
        if !(1..=200).contains(&limit) {
            return Err(ApiError::invalid(
                "limit",
                "validation.range",
                "limit must be from 1 to 200",
            ));
        }
        let entity = match (self.entity_type, self.entity_id) {
            (Some(t), Some(id)) if ENTITY_TYPES.contains(&t.as_str()) => Some((t, id)),
            (Some(_), Some(_)) => {
                return Err(ApiError::invalid(
                    "entity_type",
                    "request.unknown_value",
                    "unknown entity type",
                ));
            }
            (None, None) => None,
            (Some(_), None) => {
                return Err(ApiError::invalid(
                    "entity_id",
                    "validation.required",
                    "entity_id goes with entity_type",
                ));
            }
            (None, Some(_)) => {
                return Err(ApiError::invalid(
                    "entity_type",
                    "validation.required",
                    "entity_type goes with entity_id",
                ));
            }
        };
        if entity.is_none() && !m.can(Capability::AuditRead) {
            return Err(ApiError::Forbidden);
        }
        // Days a log can hold: anything else is a typo, and far-off years are past what the
        // databases' timestamps reach.
        for (field, day) in [("from", self.from), ("to", self.to)] {
            if day.is_some_and(|d| !(1970..=9999).contains(&chrono::Datelike::year(&d))) {
                return Err(ApiError::invalid(
                    field,
                    "validation.range",
                    "a day from 1970 to 9999",
                ));
            }
        }
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(ApiError::invalid(
                "to",
                "validation.range",
                "the last day comes before the first",
            ));
        }
        let (since, until) = if self.from.is_some() || self.to.is_some() {
            let tz = super::content::workspace_zone(state, m).await?;
            (
                self.from.map(|d| start_of(d, tz)),
                self.to.and_then(|d| d.succ_opt()).map(|d| start_of(d, tz)),
            )
        } else {
            (None, None)
        };
        Ok(EventQuery {
            entity,
            before: self.before,
            action: self.action,
            actor: self.actor.map(kox_domain::UserId),
            since,
            until,
            limit: limit.unsigned_abs(),
        })
    }
}

/// The first moment of a day in a time zone, in UTC.
fn start_of(day: NaiveDate, tz: chrono_tz::Tz) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    // A zone whose clocks skip midnight on that day starts it at the first moment that exists.
    tz.from_local_datetime(&midnight)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(midnight + chrono::Duration::hours(1)))
                .earliest()
        })
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&chrono::Utc))
}

/// With `entity_type` and `entity_id`: that entity's activity, for any member. Without: the
/// audit log, for admins only.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/events", tag = "events",
    params(WorkspacePath, EventsQuery),
    responses((status = 200, body = EventPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_events(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<EventsQuery>,
) -> ApiResult<axum::Json<EventPage>> {
    let eq = q.query(&state, &m).await?;
    Ok(axum::Json(EventPage {
        items: events_for(&state, &m, &eq).await?,
    }))
}

/// The audit log as an XLSX file (admins): every event under the same filters as the log
/// (`action`, `actor`, `from`, `to`; `before` and `limit` are ignored), newest first, each with
/// its object named and its changes as `field: before → after`; headers in the member's
/// language.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/events/export", tag = "events",
    params(WorkspacePath, EventsQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The workbook"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn export_events(
    State(state): State<AppState>,
    Can(m, ..): Can<ReadAudit>,
    AppQuery(q): AppQuery<EventsQuery>,
) -> ApiResult<axum::response::Response> {
    let mut eq = EventsQuery {
        entity_type: None,
        entity_id: None,
        before: None,
        limit: None,
        ..q
    }
    .query(&state, &m)
    .await?;
    eq.limit = 200;
    let mut rows: Vec<Event> = Vec::new();
    loop {
        let page = events_for(&state, &m, &eq).await?;
        let full = page.len() as u64 == eq.limit;
        eq.before = page.last().map(|e| e.id);
        rows.extend(page);
        if !full || rows.len() as u64 >= super::exports::MAX_ROWS {
            break;
        }
    }
    let ctx = super::exports::ExportContext::load(&state, &m, None).await?;
    ctx.send(("审计日志", "audit-log"), |names| {
        Ok(kox_domain::exports::events_table(&rows, names))
    })
}

/// A page of the workspace's events as this member may see them (`Event::seen_by`).
pub(crate) async fn events_for(
    state: &AppState,
    m: &Member,
    q: &EventQuery,
) -> ApiResult<Vec<Event>> {
    let caller = m.caller();
    Ok(state
        .store
        .list_events(m.workspace_id, q)
        .await?
        .into_iter()
        .map(|e| e.seen_by(&caller))
        .collect())
}
