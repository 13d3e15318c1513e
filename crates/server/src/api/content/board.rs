//! The board view: columns, filters, one page of cards per column.

use axum::extract::{RawQuery, State};
use axum::response::Response;
use chrono::Utc;
use kox_domain::accounts::Tier;
use kox_domain::content::{Board, Cards, Stage};
use kox_domain::custom_fields::FieldEntity;
use kox_domain::exports::board_table;
use kox_domain::{AccountId, CampaignId, UserId};
use kox_store::content::BoardFilter;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::local_today;
use crate::AppState;
use crate::api::exports::{ExportContext, MAX_ROWS, all_campaigns};
use crate::api::types::WorkspacePath;
use crate::api::types::{cached_bytes, json_bytes, offset_param, whole_number};
use crate::auth::Member;
use crate::error::{ApiError, ApiResult, AppFilterQuery, ErrorBody};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(board))
        .routes(routes!(export_board))
}

/// The board's filters and paging. Custom fields filter as `cf.<key>=<value>`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BoardQuery {
    account: Option<i64>,
    tier: Option<Tier>,
    platform: Option<String>,
    campaign: Option<i64>,
    assignee: Option<i64>,
    tag: Option<String>,
    /// Text in the title.
    q: Option<String>,
    /// Assigned to me, created by me or on an account I own.
    mine: Option<bool>,
    overdue: Option<bool>,
    /// Include the cancelled column.
    cancelled: Option<bool>,
    /// Only this column.
    stage: Option<Stage>,
    /// Cards per column, 1–2000, default 200.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 2000)]
    limit: Option<String>,
    /// With `stage`.
    #[param(value_type = Option<i64>, minimum = 0)]
    offset: Option<String>,
}

impl BoardQuery {
    fn filter(self, custom: Vec<(String, String)>, me: UserId) -> ApiResult<BoardFilter> {
        let limit = whole_number("limit", self.limit.as_deref(), 200, 1, 2000)?;
        let offset = offset_param(self.offset.as_deref())?;
        if offset > 0 && self.stage.is_none() {
            return Err(ApiError::invalid(
                "offset",
                "validation.offset_needs_stage",
                "page through one column at a time: give stage with offset",
            ));
        }
        let mut custom = custom;
        custom.sort();
        Ok(BoardFilter {
            account: self.account.map(AccountId),
            tier: self.tier,
            platform: self.platform,
            campaign: self.campaign.map(CampaignId),
            assignee: self.assignee.map(UserId),
            tag: self.tag,
            q: self.q.map(|q| q.chars().take(100).collect()),
            mine: self.mine.unwrap_or(false).then_some(me),
            overdue: self.overdue.unwrap_or(false),
            cancelled: self.cancelled.unwrap_or(false),
            custom,
            stage: self.stage,
            limit,
            offset,
        })
    }
}

/// The board: the five columns (and 已取消 with `cancelled=true`) with the workspace's names,
/// WIP limits, each column's total under the filters and a page of cards per column.
/// Custom fields filter as `cf.<key>=<value>`; `offset` pages through the column named by `stage`.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/board", tag = "content",
    params(WorkspacePath, BoardQuery),
    responses((status = 200, body = Board), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn board(
    State(state): State<AppState>,
    m: Member,
    RawQuery(raw): RawQuery,
    AppFilterQuery(q, custom): AppFilterQuery<BoardQuery>,
) -> ApiResult<Response> {
    let f = q.filter(custom, m.user_id())?;
    // "mine" depends on who asks; everything else is the same for every member.
    let who_key = if f.mine.is_some() { m.user_id().0 } else { 0 };
    let key = (
        m.workspace_id.0,
        format!("content/board?{}#{who_key}", raw.unwrap_or_default()),
    );
    // The columns are the same for every member and cached; what this member may do on the
    // board is added to each response.
    let columns = cached_bytes(&state, key, async {
        let (today, _) = local_today(&state, &m).await?;
        Ok(state
            .store
            .board(m.workspace_id, &f, today, Utc::now())
            .await?
            .columns)
    })
    .await?;
    let allowed = state
        .store
        .board_allowed(m.workspace_id, &m.caller(), &Stage::ALL)
        .await?;
    let mut body = Vec::with_capacity(columns.len() + 2048);
    body.extend_from_slice(b"{\"columns\":");
    body.extend_from_slice(&columns);
    body.extend_from_slice(b",\"allowed\":");
    serde_json::to_writer(&mut body, &allowed).map_err(|e| ApiError::Internal(e.to_string()))?;
    body.push(b'}');
    Ok(json_bytes(body))
}

/// The board as an XLSX file: every card under the board's filters (`limit` and `offset` are
/// ignored), column by column in board order, under the workspace's column names; headers in
/// the member's language.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/board/export", tag = "content",
    params(WorkspacePath, BoardQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The workbook"),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn export_board(
    State(state): State<AppState>,
    m: Member,
    AppFilterQuery(q, custom): AppFilterQuery<BoardQuery>,
) -> ApiResult<Response> {
    const PAGE: u64 = 2000;
    let mut f = q.filter(custom, m.user_id())?;
    f.limit = PAGE;
    f.offset = 0;
    let (today, _) = local_today(&state, &m).await?;
    let now = Utc::now();
    let ws = m.workspace_id;
    let mut columns = state.store.board(ws, &f, today, now).await?.columns;
    // A column longer than a page is read on, one page at a time, into its own cards.
    for column in &mut columns {
        let mut cards = column
            .items
            .to_vec()
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        while (cards.len() as u64) < column.total.unsigned_abs().min(MAX_ROWS) {
            let more = BoardFilter {
                stage: Some(column.stage),
                offset: cards.len() as u64,
                ..f.clone()
            };
            let page = state.store.board(ws, &more, today, now).await?;
            let Some(next) = page.columns.into_iter().find(|c| c.stage == column.stage) else {
                break;
            };
            let next = next
                .items
                .to_vec()
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            if next.is_empty() {
                break;
            }
            cards.extend(next);
        }
        column.items = Cards::Parsed(cards);
    }
    let ctx = ExportContext::load(&state, &m, Some(FieldEntity::ContentItem)).await?;
    let campaigns = all_campaigns(&state, ws)
        .await?
        .into_iter()
        .map(|c| (c.id.0, c.name))
        .collect();
    ctx.send(("内容看板", "board"), |names| {
        board_table(&columns, &campaigns, &ctx.fields, names)
            .map_err(|e| ApiError::Internal(e.to_string()))
    })
}
