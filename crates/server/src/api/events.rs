//! The event log as an activity feed per entity (any member) and as the workspace's audit
//! log (admins), which also lists members' sign-ins and failed sign-ins.

use std::collections::HashMap;

use axum::extract::State;
use kox_domain::access::Capability;
use kox_domain::members::Event;
use kox_store::EventQuery;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::types::unknown_parameter;
use crate::AppState;
use crate::auth::Member;
use crate::error::{ApiError, ApiResult, AppQuery, ErrorBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_events))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    /// Newest first; pass the last id as `before` for the next page.
    pub items: Vec<Event>,
}

const ENTITY_TYPES: [&str; 6] = [
    "account",
    "campaign",
    "member",
    "custom_field",
    "platform",
    "workspace",
];

/// With `entity_type` and `entity_id`: that entity's activity, for any member. Without: the
/// audit log, for admins only.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/events", tag = "events",
    params(("workspace_id" = i64, Path), ("entity_type" = Option<String>, Query), ("entity_id" = Option<i64>, Query),
        ("action" = Option<String>, Query), ("before" = Option<i64>, Query), ("limit" = Option<u32>, Query)),
    responses((status = 200, body = EventPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_events(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<HashMap<String, String>>,
) -> ApiResult<axum::Json<EventPage>> {
    let int = |k: &str| -> ApiResult<Option<i64>> {
        q.get(k)
            .map(|v| {
                v.parse::<i64>().map_err(|_| {
                    ApiError::invalid(
                        k,
                        "request.wrong_type",
                        format!("{k} must be a whole number"),
                    )
                })
            })
            .transpose()
    };
    if let Some(bad) = q
        .keys()
        .find(|k| !["entity_type", "entity_id", "action", "before", "limit"].contains(&k.as_str()))
    {
        return Err(unknown_parameter(bad));
    }
    let limit = int("limit")?.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::invalid(
            "limit",
            "validation.range",
            "limit must be from 1 to 200",
        ));
    }
    let entity = match (q.get("entity_type"), int("entity_id")?) {
        (Some(t), Some(id)) if ENTITY_TYPES.contains(&t.as_str()) => Some((t.clone(), id)),
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
    let eq = EventQuery {
        entity,
        before: int("before")?,
        action: q.get("action").cloned(),
        limit: limit as u64,
    };
    Ok(axum::Json(EventPage {
        items: state.store.list_events(m.workspace_id, &eq).await?,
    }))
}
