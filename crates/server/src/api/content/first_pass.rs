//! The first-pass rate report.

use std::collections::HashMap;

use axum::extract::State;
use chrono::{NaiveDate, Utc};
use kox_domain::content::FirstPassRow;
use kox_store::content::FirstPassBy;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{bad_type, local_today};
use crate::AppState;
use crate::api::types::unknown_parameter;
use crate::auth::Member;
use crate::error::{ApiError, ApiResult, AppQuery, ErrorBody};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(first_pass))
}

/// First-pass rate (一次通过率): items approved at their first review ÷ items reviewed, by the
/// submitter, account, campaign or overall, for first reviews that ended within the dates
/// (workspace time zone, `to` inclusive).
#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/first-pass", tag = "content",
    params(("workspace_id" = i64, Path), ("by" = Option<String>, Query, description = "person | account | campaign | all (default)"),
        ("from" = Option<NaiveDate>, Query), ("to" = Option<NaiveDate>, Query)),
    responses((status = 200, body = Vec<FirstPassRow>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn first_pass(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<HashMap<String, String>>,
) -> ApiResult<axum::Json<Vec<FirstPassRow>>> {
    if let Some(bad) = q
        .keys()
        .find(|k| !["by", "from", "to"].contains(&k.as_str()))
    {
        return Err(unknown_parameter(bad));
    }
    let by = match q.get("by").map(String::as_str) {
        None | Some("all") => FirstPassBy::All,
        Some("person") => FirstPassBy::Person,
        Some("account") => FirstPassBy::Account,
        Some("campaign") => FirstPassBy::Campaign,
        Some(_) => {
            return Err(ApiError::invalid(
                "by",
                "request.unknown_value",
                "by must be person, account, campaign or all",
            ));
        }
    };
    let (_, tz) = local_today(&state, &m).await?;
    let date = |k: &str| -> ApiResult<Option<NaiveDate>> {
        q.get(k)
            .map(|v| {
                v.parse::<NaiveDate>()
                    .map_err(|_| bad_type(k, "a date YYYY-MM-DD"))
            })
            .transpose()
    };
    let midnight = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(tz).earliest())
            .map(|t| t.with_timezone(&Utc))
    };
    let (from, to) = (date("from")?, date("to")?);
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        return Err(ApiError::invalid(
            "to",
            "validation.range",
            "to must not be before from",
        ));
    }
    let from = from.and_then(midnight);
    let to = to.and_then(|d| d.succ_opt()).and_then(midnight);
    Ok(axum::Json(
        state.store.first_pass(m.workspace_id, by, from, to).await?,
    ))
}
