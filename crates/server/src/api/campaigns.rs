//! Campaigns: themes with a period, a budget in fen split by tier, required hashtags, an
//! optional embargo and target KPIs. Everyone reads them; admins and directors write.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use kox_domain::CampaignId;
use kox_domain::campaigns::{Campaign, CampaignDraft, CampaignPatch, CampaignStatus};
use kox_store::campaigns::CampaignFilter;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::types::{Page, page, unknown_parameter};
use crate::AppState;
use crate::auth::{Can, Member, WriteCampaigns};
use crate::error::{ApiError, ApiResult, AppJson, AppPath, AppQuery, ErrorBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_campaigns, create_campaign))
        .routes(routes!(get_campaign, update_campaign))
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/campaigns", tag = "campaigns",
    params(("workspace_id" = i64, Path), ("status" = Option<CampaignStatus>, Query), ("q" = Option<String>, Query),
        ("limit" = Option<u32>, Query), ("offset" = Option<u32>, Query)),
    responses((status = 200, body = Page<Campaign>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_campaigns(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<HashMap<String, String>>,
) -> ApiResult<axum::Json<Page<Campaign>>> {
    let mut f = CampaignFilter {
        page: page(
            q.get("limit").map(String::as_str),
            q.get("offset").map(String::as_str),
        )?,
        ..Default::default()
    };
    for (k, v) in &q {
        match k.as_str() {
            "limit" | "offset" => {}
            "status" => {
                f.status = Some(CampaignStatus::parse(v).ok_or_else(|| {
                    ApiError::invalid(
                        "status",
                        "request.unknown_value",
                        "status must be planned, active, completed or cancelled",
                    )
                })?);
            }
            "q" => f.q = Some(v.chars().take(100).collect()),
            other => {
                return Err(unknown_parameter(other));
            }
        }
    }
    Ok(axum::Json(
        state.store.list_campaigns(m.workspace_id, &f).await?.into(),
    ))
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/campaigns", tag = "campaigns", params(("workspace_id" = i64, Path)), request_body = CampaignDraft,
    responses((status = 201, body = Campaign), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_campaign(
    State(state): State<AppState>,
    Can(m, ..): Can<WriteCampaigns>,
    AppJson(draft): AppJson<CampaignDraft>,
) -> ApiResult<(StatusCode, axum::Json<Campaign>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(
            state
                .store
                .create_campaign(&m.actor(), m.workspace_id, draft)
                .await?,
        ),
    ))
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/campaigns/{id}", tag = "campaigns", params(("workspace_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = Campaign), (status = 404, body = ErrorBody)))]
async fn get_campaign(
    State(state): State<AppState>,
    m: Member,
    AppPath(ids): AppPath<(i64, i64)>,
) -> ApiResult<axum::Json<Campaign>> {
    let id = ids.1;
    Ok(axum::Json(
        state
            .store
            .get_campaign(m.workspace_id, CampaignId(id))
            .await?,
    ))
}

#[utoipa::path(patch, path = "/workspaces/{workspace_id}/campaigns/{id}", tag = "campaigns", params(("workspace_id" = i64, Path), ("id" = i64, Path)),
    request_body = CampaignPatch,
    responses((status = 200, body = Campaign), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_campaign(
    State(state): State<AppState>,
    Can(m, ..): Can<WriteCampaigns>,
    AppPath(ids): AppPath<(i64, i64)>,
    AppJson(patch): AppJson<CampaignPatch>,
) -> ApiResult<axum::Json<Campaign>> {
    let id = ids.1;
    Ok(axum::Json(
        state
            .store
            .update_campaign(&m.actor(), m.workspace_id, CampaignId(id), patch)
            .await?,
    ))
}
