//! The board view: columns, filters, one page of cards per column.

use std::collections::HashMap;

use axum::extract::{RawQuery, State};
use axum::response::Response;
use chrono::Utc;
use kox_domain::accounts::Tier;
use kox_domain::content::{Board, Stage};
use kox_domain::{AccountId, CampaignId, UserId};
use kox_store::content::BoardFilter;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{bad_type, flag, id_param, local_today, who};
use crate::AppState;
use crate::api::types::{cached_bytes, json_bytes, unknown_parameter};
use crate::auth::Member;
use crate::error::{ApiError, ApiResult, AppQuery, ErrorBody};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(board))
}

fn parse_board_filter(q: &HashMap<String, String>, me: UserId) -> ApiResult<BoardFilter> {
    let mut f = BoardFilter {
        limit: 200,
        ..Default::default()
    };
    for (k, v) in q {
        match k.as_str() {
            "account" => f.account = id_param(q, k)?.map(AccountId),
            "campaign" => f.campaign = id_param(q, k)?.map(CampaignId),
            "assignee" => f.assignee = id_param(q, k)?.map(UserId),
            "tier" => {
                f.tier = Some(Tier::parse(v).ok_or_else(|| {
                    ApiError::invalid(
                        "tier",
                        "request.unknown_value",
                        "tier must be KOL, KOC, KOE or KOS",
                    )
                })?);
            }
            "platform" => f.platform = Some(v.clone()),
            "tag" => f.tag = Some(v.clone()),
            "q" => f.q = Some(v.chars().take(100).collect()),
            "mine" => f.mine = flag(q, k)?.then_some(me),
            "overdue" => f.overdue = flag(q, k)?,
            "cancelled" => f.cancelled = flag(q, k)?,
            "stage" => {
                f.stage = Some(Stage::parse(v).ok_or_else(|| {
                    ApiError::invalid("stage", "request.unknown_value", "unknown stage")
                })?);
            }
            "limit" => {
                f.limit = v
                    .parse::<u64>()
                    .ok()
                    .filter(|n| (1..=2000).contains(n))
                    .ok_or_else(|| {
                        ApiError::invalid(
                            "limit",
                            "validation.range",
                            "limit must be from 1 to 2000 (per column)",
                        )
                    })?;
            }
            "offset" => {
                f.offset = v
                    .parse::<u64>()
                    .map_err(|_| bad_type("offset", "a whole number ≥ 0"))?;
            }
            other => match other.strip_prefix("cf.") {
                Some(key) if !key.is_empty() => f.custom.push((key.to_owned(), v.clone())),
                _ => return Err(unknown_parameter(other)),
            },
        }
    }
    if f.offset > 0 && f.stage.is_none() {
        return Err(ApiError::invalid(
            "offset",
            "validation.offset_needs_stage",
            "page through one column at a time: give stage with offset",
        ));
    }
    f.custom.sort();
    Ok(f)
}

/// The board: the five columns (and 已取消 with `cancelled=true`) with the workspace's names,
/// WIP limits, each column's total under the filters and a page of cards per column.
/// Custom fields filter as `cf.<key>=<value>`; `offset` pages through the column named by `stage`.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/board", tag = "content",
    params(("workspace_id" = i64, Path),
        ("account" = Option<i64>, Query), ("tier" = Option<Tier>, Query), ("platform" = Option<String>, Query),
        ("campaign" = Option<i64>, Query), ("assignee" = Option<i64>, Query), ("tag" = Option<String>, Query),
        ("q" = Option<String>, Query, description = "text in the title"),
        ("mine" = Option<bool>, Query, description = "assigned to me, created by me or on an account I own"),
        ("overdue" = Option<bool>, Query), ("cancelled" = Option<bool>, Query, description = "include the cancelled column"),
        ("stage" = Option<Stage>, Query, description = "only this column"),
        ("limit" = Option<u32>, Query, description = "cards per column, 1–2000, default 200"), ("offset" = Option<u32>, Query, description = "with stage")),
    responses((status = 200, body = Board), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn board(
    State(state): State<AppState>,
    m: Member,
    RawQuery(raw): RawQuery,
    AppQuery(q): AppQuery<HashMap<String, String>>,
) -> ApiResult<Response> {
    let f = parse_board_filter(&q, m.user_id())?;
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
        .board_allowed(m.workspace_id, who(&m), &Stage::ALL)
        .await?;
    let mut body = Vec::with_capacity(columns.len() + 2048);
    body.extend_from_slice(b"{\"columns\":");
    body.extend_from_slice(&columns);
    body.extend_from_slice(b",\"allowed\":");
    serde_json::to_writer(&mut body, &allowed).map_err(|e| ApiError::Internal(e.to_string()))?;
    body.push(b'}');
    Ok(json_bytes(body))
}
