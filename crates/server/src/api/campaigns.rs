//! Campaigns: themes with a period, a budget in fen split by tier, required hashtags, an
//! optional embargo and target KPIs. Everyone reads them; admins and directors write.

use axum::extract::State;
use axum::http::StatusCode;
use kox_domain::CampaignId;
use kox_domain::campaigns::{Campaign, CampaignDraft, CampaignPatch, CampaignStatus};
use kox_store::campaigns::CampaignFilter;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::exports::{ExportContext, campaigns_where};
use super::types::{IdPath, WorkspacePath};
use super::types::{Page, page};
use crate::AppState;
use crate::auth::{Can, Member, WriteCampaigns};
use crate::error::{ApiResult, AppJson, AppPath, AppQuery, ErrorBody};
use axum::response::Response;
use kox_domain::custom_fields::FieldEntity;
use kox_domain::exports::campaigns_table;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_campaigns, create_campaign))
        .routes(routes!(export_campaigns))
        .routes(routes!(get_campaign, update_campaign))
}

/// The campaign list's filters and page.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CampaignQuery {
    status: Option<CampaignStatus>,
    /// Text in the name or theme.
    q: Option<String>,
    /// 1–200, default 50.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    #[param(value_type = Option<i64>, minimum = 0)]
    offset: Option<String>,
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/campaigns", tag = "campaigns",
    params(WorkspacePath, CampaignQuery),
    responses((status = 200, body = Page<Campaign>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_campaigns(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<CampaignQuery>,
) -> ApiResult<axum::Json<Page<Campaign>>> {
    let f = CampaignFilter {
        page: page(q.limit.as_deref(), q.offset.as_deref())?,
        status: q.status,
        q: q.q.map(|q| q.chars().take(100).collect()),
    };
    Ok(axum::Json(
        state.store.list_campaigns(m.workspace_id, &f).await?.into(),
    ))
}

/// The campaign list as an XLSX file: every campaign under the list's filters (`limit` and
/// `offset` are ignored), budgets in yuan with the split by tier; headers in the member's
/// language.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/campaigns/export", tag = "campaigns",
    params(WorkspacePath, CampaignQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The workbook"),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn export_campaigns(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<CampaignQuery>,
) -> ApiResult<Response> {
    let ctx = ExportContext::load(&state, &m, Some(FieldEntity::Campaign)).await?;
    let f = CampaignFilter {
        page: kox_store::Page::default(),
        status: q.status,
        q: q.q.map(|q| q.chars().take(100).collect()),
    };
    let rows = campaigns_where(&state, m.workspace_id, f).await?;
    ctx.send(("营销战役", "campaigns"), |names| {
        Ok(campaigns_table(&rows, &ctx.fields, names))
    })
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/campaigns", tag = "campaigns", params(WorkspacePath), request_body = CampaignDraft,
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
                .create_campaign(&m.caller(), m.workspace_id, draft)
                .await?,
        ),
    ))
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/campaigns/{id}", tag = "campaigns", params(IdPath),
    responses((status = 200, body = Campaign), (status = 404, body = ErrorBody)))]
async fn get_campaign(
    State(state): State<AppState>,
    m: Member,
    AppPath(p): AppPath<IdPath>,
) -> ApiResult<axum::Json<Campaign>> {
    let id = p.id;
    Ok(axum::Json(
        state
            .store
            .get_campaign(m.workspace_id, CampaignId(id))
            .await?,
    ))
}

#[utoipa::path(patch, path = "/workspaces/{workspace_id}/campaigns/{id}", tag = "campaigns", params(IdPath),
    request_body = CampaignPatch,
    responses((status = 200, body = Campaign), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_campaign(
    State(state): State<AppState>,
    Can(m, ..): Can<WriteCampaigns>,
    AppPath(p): AppPath<IdPath>,
    AppJson(patch): AppJson<CampaignPatch>,
) -> ApiResult<axum::Json<Campaign>> {
    let id = p.id;
    Ok(axum::Json(
        state
            .store
            .update_campaign(&m.caller(), m.workspace_id, CampaignId(id), patch)
            .await?,
    ))
}
