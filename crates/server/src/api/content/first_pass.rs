//! The first-pass rate report.

use axum::extract::State;
use chrono::{NaiveDate, Utc};
use kox_domain::content::FirstPassRow;
use kox_store::content::FirstPassBy;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::local_today;
use crate::AppState;
use crate::api::types::WorkspacePath;
use crate::auth::Member;
use crate::error::{ApiError, ApiResult, AppQuery, ErrorBody};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(first_pass))
}

/// The first-pass report's grouping and period.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FirstPassQuery {
    /// Rows per submitter, account, campaign, or one row for all (default).
    #[param(inline)]
    by: Option<FirstPassGrouping>,
    /// First reviews that ended on or after this day (workspace time zone).
    from: Option<NaiveDate>,
    /// … and on or before this day.
    to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FirstPassGrouping {
    Person,
    Account,
    Campaign,
    All,
}

/// First-pass rate (一次通过率): items approved at their first review ÷ items reviewed, by the
/// submitter, account, campaign or overall, for first reviews that ended within the dates
/// (workspace time zone, `to` inclusive).
#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/first-pass", tag = "content",
    params(WorkspacePath, FirstPassQuery),
    responses((status = 200, body = Vec<FirstPassRow>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn first_pass(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<FirstPassQuery>,
) -> ApiResult<axum::Json<Vec<FirstPassRow>>> {
    let by = match q.by.unwrap_or(FirstPassGrouping::All) {
        FirstPassGrouping::All => FirstPassBy::All,
        FirstPassGrouping::Person => FirstPassBy::Person,
        FirstPassGrouping::Account => FirstPassBy::Account,
        FirstPassGrouping::Campaign => FirstPassBy::Campaign,
    };
    let (_, tz) = local_today(&state, &m).await?;
    let midnight = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(tz).earliest())
            .map(|t| t.with_timezone(&Utc))
    };
    let (from, to) = (q.from, q.to);
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
