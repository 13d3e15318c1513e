//! The account matrix: list with filters (tier, platform, owner, status, tag, text, custom
//! fields), create, edit and archive, and the tier × platform overview. Operators edit only
//! the accounts they own; accounts they create are theirs.

use std::collections::HashMap;

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use kox_domain::access::Capability;
use kox_domain::accounts::{
    Account, AccountDraft, AccountPatch, AccountStatus, MatrixOverview, Tier,
};
use kox_domain::{AccountId, UserId};
use kox_store::accounts::{AccountFilter, AccountSort};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::types::{Page, cached_json, page, unknown_parameter};
use crate::AppState;
use crate::auth::{Can, CreateAccounts, EditAccounts, Member};
use crate::error::{ApiError, ApiResult, AppJson, AppPath, AppQuery, ErrorBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_accounts, create_account))
        .routes(routes!(matrix_overview))
        .routes(routes!(get_account, update_account))
}

fn parse_filter(q: &HashMap<String, String>) -> ApiResult<AccountFilter> {
    let mut f = AccountFilter {
        page: page(
            q.get("limit").map(String::as_str),
            q.get("offset").map(String::as_str),
        )?,
        ..Default::default()
    };
    for (k, v) in q {
        match k.as_str() {
            "limit" | "offset" => {}
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
            "owner" => {
                f.owner = Some(UserId(v.parse().map_err(|_| {
                    ApiError::invalid("owner", "request.wrong_type", "owner must be a user id")
                })?));
            }
            "status" => {
                f.status = Some(AccountStatus::parse(v).ok_or_else(|| {
                    ApiError::invalid(
                        "status",
                        "request.unknown_value",
                        "status must be active, paused or archived",
                    )
                })?);
            }
            "tag" => f.tag = Some(v.clone()),
            "q" => f.q = Some(v.chars().take(100).collect()),
            "sort" => {
                f.sort = match v.as_str() {
                    "created_desc" => AccountSort::CreatedDesc,
                    "followers_desc" => AccountSort::FollowersDesc,
                    "followers_asc" => AccountSort::FollowersAsc,
                    "handle_asc" => AccountSort::HandleAsc,
                    _ => {
                        return Err(ApiError::invalid(
                            "sort",
                            "request.unknown_value",
                            "sort must be created_desc, followers_desc, followers_asc or handle_asc",
                        ));
                    }
                };
            }
            other => match other.strip_prefix("cf.") {
                Some(key) if !key.is_empty() => f.custom.push((key.to_owned(), v.clone())),
                _ => {
                    return Err(unknown_parameter(other));
                }
            },
        }
    }
    f.custom.sort();
    Ok(f)
}

/// Lists accounts, newest first. Archived accounts are left out unless `status=archived`.
/// Custom fields filter as `cf.<key>=<value>`.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/accounts", tag = "accounts",
    params(("workspace_id" = i64, Path),
        ("limit" = Option<u32>, Query, description = "1–200, default 50"), ("offset" = Option<u32>, Query),
        ("tier" = Option<Tier>, Query), ("platform" = Option<String>, Query), ("owner" = Option<i64>, Query, description = "owner's user id"),
        ("status" = Option<AccountStatus>, Query), ("tag" = Option<String>, Query), ("q" = Option<String>, Query, description = "text in handle, name or persona"),
        ("sort" = Option<String>, Query, description = "created_desc | followers_desc | followers_asc | handle_asc")),
    responses((status = 200, body = Page<Account>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_accounts(
    State(state): State<AppState>,
    m: Member,
    RawQuery(raw): RawQuery,
    AppQuery(q): AppQuery<HashMap<String, String>>,
) -> ApiResult<Response> {
    let key = (
        m.workspace_id.0,
        format!("accounts?{}", raw.unwrap_or_default()),
    );
    cached_json(&state, key, async {
        let f = parse_filter(&q)?;
        Ok(Page::from(
            state.store.list_accounts(m.workspace_id, &f).await?,
        ))
    })
    .await
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/accounts", tag = "accounts", params(("workspace_id" = i64, Path)), request_body = AccountDraft,
    responses((status = 201, body = Account), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_account(
    State(state): State<AppState>,
    Can(m, ..): Can<CreateAccounts>,
    AppJson(mut draft): AppJson<AccountDraft>,
) -> ApiResult<(StatusCode, axum::Json<Account>)> {
    // An operator's new account is theirs, or they could not edit what they just made.
    if !m.can(Capability::AccountsWriteAny) && !draft.owner_ids.contains(&m.user_id()) {
        draft.owner_ids.push(m.user_id());
    }
    let a = state
        .store
        .create_account(&m.actor(), m.workspace_id, draft)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(a)))
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/accounts/overview", tag = "accounts", params(("workspace_id" = i64, Path)),
    responses((status = 200, body = MatrixOverview), (status = 404, body = ErrorBody)))]
async fn matrix_overview(State(state): State<AppState>, m: Member) -> ApiResult<Response> {
    cached_json(
        &state,
        (m.workspace_id.0, "accounts/overview".into()),
        async { Ok(state.store.matrix_overview(m.workspace_id).await?) },
    )
    .await
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/accounts/{id}", tag = "accounts", params(("workspace_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = Account), (status = 404, body = ErrorBody)))]
async fn get_account(
    State(state): State<AppState>,
    m: Member,
    AppPath(ids): AppPath<(i64, i64)>,
) -> ApiResult<axum::Json<Account>> {
    let id = ids.1;
    Ok(axum::Json(
        state
            .store
            .get_account(m.workspace_id, AccountId(id))
            .await?,
    ))
}

/// Edits an account. Send the `version` you loaded; a write conflicts (409) only if it
/// touches fields someone else changed since. Archive with `{"status":"archived"}`.
#[utoipa::path(patch, path = "/workspaces/{workspace_id}/accounts/{id}", tag = "accounts", params(("workspace_id" = i64, Path), ("id" = i64, Path)),
    request_body = AccountPatch,
    responses((status = 200, body = Account), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_account(
    State(state): State<AppState>,
    Can(m, ..): Can<EditAccounts>,
    AppPath(ids): AppPath<(i64, i64)>,
    AppJson(patch): AppJson<AccountPatch>,
) -> ApiResult<axum::Json<Account>> {
    let id = ids.1;
    let must_own = (!m.can(Capability::AccountsWriteAny)).then(|| m.user_id());
    Ok(axum::Json(
        state
            .store
            .update_account(&m.actor(), m.workspace_id, AccountId(id), patch, must_own)
            .await?,
    ))
}
