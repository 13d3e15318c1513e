//! The account matrix: list with filters (tier, platform, owner, status, tag, text, custom
//! fields), create, edit and archive, and the tier × platform overview. Operators edit only
//! the accounts they own; accounts they create are theirs.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use kox_domain::accounts::{
    Account, AccountDraft, AccountPatch, AccountStatus, MatrixOverview, Tier,
};
use kox_domain::{AccountId, UserId};
use kox_store::accounts::{AccountFilter, AccountSort};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::exports::{ExportContext, MAX_ROWS};
use super::types::{IdPath, WorkspacePath};
use super::types::{Page, cached_json, cached_page, page};
use crate::AppState;
use crate::auth::{Can, CreateAccounts, EditAccounts, Member};
use crate::error::{ApiResult, AppFilterQuery, AppJson, AppPath, ErrorBody};
use kox_domain::custom_fields::FieldEntity;
use kox_domain::exports::accounts_table;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_accounts, create_account))
        .routes(routes!(matrix_overview))
        .routes(routes!(export_accounts))
        .routes(routes!(get_account, update_account))
}

/// The account list's filters and page. Custom fields filter as `cf.<key>=<value>`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AccountQuery {
    /// 1–200, default 50.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    #[param(value_type = Option<i64>, minimum = 0)]
    offset: Option<String>,
    tier: Option<Tier>,
    platform: Option<String>,
    /// The owner's user id.
    owner: Option<i64>,
    /// Without it, every account but the archived ones.
    status: Option<AccountStatus>,
    tag: Option<String>,
    /// Text in handle, name or persona.
    q: Option<String>,
    #[param(inline)]
    sort: Option<AccountSortParam>,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountSortParam {
    CreatedDesc,
    FollowersDesc,
    FollowersAsc,
    HandleAsc,
}

impl AccountQuery {
    fn filter(self, custom: Vec<(String, String)>) -> ApiResult<AccountFilter> {
        let mut custom = custom;
        custom.sort();
        Ok(AccountFilter {
            page: page(self.limit.as_deref(), self.offset.as_deref())?,
            tier: self.tier,
            platform: self.platform,
            owner: self.owner.map(UserId),
            status: self.status,
            tag: self.tag,
            q: self.q.map(|q| q.chars().take(100).collect()),
            custom,
            sort: match self.sort.unwrap_or(AccountSortParam::CreatedDesc) {
                AccountSortParam::CreatedDesc => AccountSort::CreatedDesc,
                AccountSortParam::FollowersDesc => AccountSort::FollowersDesc,
                AccountSortParam::FollowersAsc => AccountSort::FollowersAsc,
                AccountSortParam::HandleAsc => AccountSort::HandleAsc,
            },
        })
    }
}

/// Lists accounts, newest first. Archived accounts are left out unless `status=archived`.
/// Custom fields filter as `cf.<key>=<value>`.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/accounts", tag = "accounts",
    params(WorkspacePath, AccountQuery),
    responses((status = 200, body = Page<Account>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_accounts(
    State(state): State<AppState>,
    m: Member,
    RawQuery(raw): RawQuery,
    AppFilterQuery(q, custom): AppFilterQuery<AccountQuery>,
) -> ApiResult<Response> {
    let f = q.filter(custom)?;
    let key = (
        m.workspace_id.0,
        format!("accounts?{}", raw.unwrap_or_default()),
    );
    cached_page(&state, key, async {
        Ok(state.store.account_page(m.workspace_id, &f).await?)
    })
    .await
}

/// The account list as an XLSX file: every account under the list's filters and sort (`limit`
/// and `offset` are ignored), in the account import's columns, so the file can be edited and
/// imported again; headers in the member's language.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/accounts/export", tag = "accounts",
    params(WorkspacePath, AccountQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The workbook"),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn export_accounts(
    State(state): State<AppState>,
    m: Member,
    AppFilterQuery(q, custom): AppFilterQuery<AccountQuery>,
) -> ApiResult<Response> {
    let mut f = q.filter(custom)?;
    let ctx = ExportContext::load(&state, &m, Some(FieldEntity::Account)).await?;
    let mut rows = Vec::new();
    f.page = kox_store::Page {
        limit: 1000,
        offset: 0,
    };
    loop {
        let page = state.store.list_accounts(m.workspace_id, &f).await?;
        let full = page.items.len() as u64 == f.page.limit;
        rows.extend(page.items);
        if !full || rows.len() as u64 >= MAX_ROWS {
            break;
        }
        f.page.offset += f.page.limit;
    }
    ctx.send(("账号矩阵", "accounts"), |names| {
        Ok(accounts_table(&rows, &ctx.fields, names))
    })
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/accounts", tag = "accounts", params(WorkspacePath), request_body = AccountDraft,
    responses((status = 201, body = Account), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_account(
    State(state): State<AppState>,
    Can(m, ..): Can<CreateAccounts>,
    AppJson(draft): AppJson<AccountDraft>,
) -> ApiResult<(StatusCode, axum::Json<Account>)> {
    let a = state
        .store
        .create_account(&m.caller(), m.workspace_id, draft)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(a)))
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/accounts/overview", tag = "accounts", params(WorkspacePath),
    responses((status = 200, body = MatrixOverview), (status = 404, body = ErrorBody)))]
async fn matrix_overview(State(state): State<AppState>, m: Member) -> ApiResult<Response> {
    cached_json(
        &state,
        (m.workspace_id.0, "accounts/overview".into()),
        async { Ok(state.store.matrix_overview(m.workspace_id).await?) },
    )
    .await
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/accounts/{id}", tag = "accounts", params(IdPath),
    responses((status = 200, body = Account), (status = 404, body = ErrorBody)))]
async fn get_account(
    State(state): State<AppState>,
    m: Member,
    AppPath(p): AppPath<IdPath>,
) -> ApiResult<axum::Json<Account>> {
    let id = p.id;
    Ok(axum::Json(
        state
            .store
            .get_account(m.workspace_id, AccountId(id))
            .await?,
    ))
}

/// Edits an account. Send the `version` you loaded; a write conflicts (409) only if it
/// touches fields someone else changed since. Archive with `{"status":"archived"}`.
#[utoipa::path(patch, path = "/workspaces/{workspace_id}/accounts/{id}", tag = "accounts", params(IdPath),
    request_body = AccountPatch,
    responses((status = 200, body = Account), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_account(
    State(state): State<AppState>,
    Can(m, ..): Can<EditAccounts>,
    AppPath(p): AppPath<IdPath>,
    AppJson(patch): AppJson<AccountPatch>,
) -> ApiResult<axum::Json<Account>> {
    let id = p.id;
    Ok(axum::Json(
        state
            .store
            .update_account(&m.caller(), m.workspace_id, AccountId(id), patch)
            .await?,
    ))
}
