//! Imports: a spreadsheet (XLSX, XLS, ODS, CSV or TSV, UTF-8 or GBK) is uploaded as the request
//! body, its columns mapped to a kind's fields, previewed as a dry run (every row's outcome and
//! every cell's error, by row and column), then committed in chunks in the background while
//! the client follows `done_rows`. Accounts are the first kind: who may create accounts may
//! import them (operators' new accounts are theirs; they update only accounts they own).

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use kox_domain::imports::{CommitRequest, Import, ImportKind, ImportPreview, PreviewRequest};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::types::{IdPath, WorkspacePath};
use crate::AppState;
use crate::auth::{Can, CreateAccounts, Member};
use crate::error::{ApiError, ApiResult, AppJson, AppPath, AppQuery, ErrorBody};

/// The largest file an import takes.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_import))
        .layer(DefaultBodyLimit::max(MAX_FILE_BYTES))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(get_import))
                .routes(routes!(preview_import))
                .routes(routes!(commit_import)),
        )
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// What the rows are.
    #[param(inline)]
    kind: ImportKind,
    /// The file's name; its extension decides how it is read (`.xlsx`, `.xls`, `.ods`, `.csv`,
    /// `.tsv`).
    file_name: String,
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/imports", tag = "imports",
    params(WorkspacePath, UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file as it is"),
    responses((status = 201, body = Import), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody)))]
async fn upload_import(
    State(state): State<AppState>,
    Can(m, ..): Can<CreateAccounts>,
    AppQuery(q): AppQuery<UploadQuery>,
    body: Bytes,
) -> ApiResult<(StatusCode, axum::Json<Import>)> {
    let file_name = q.file_name.clone();
    // Reading a large workbook is CPU work: off the async threads.
    let sheet =
        tokio::task::spawn_blocking(move || kox_domain::imports::sheet::read(&file_name, &body))
            .await
            .map_err(|e| ApiError::Internal(format!("reading an import: {e}")))??;
    let import = state
        .store
        .create_import(&m.caller(), m.workspace_id, q.kind, &q.file_name, sheet)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(import)))
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/imports/{id}", tag = "imports", params(IdPath),
    responses((status = 200, body = Import), (status = 404, body = ErrorBody)))]
async fn get_import(
    State(state): State<AppState>,
    m: Member,
    AppPath(p): AppPath<IdPath>,
) -> ApiResult<axum::Json<Import>> {
    Ok(axum::Json(
        state.store.get_import(m.workspace_id, p.id).await?,
    ))
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/imports/{id}/preview", tag = "imports", params(IdPath),
    request_body = PreviewRequest,
    responses((status = 200, body = ImportPreview), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn preview_import(
    State(state): State<AppState>,
    Can(m, ..): Can<CreateAccounts>,
    AppPath(p): AppPath<IdPath>,
    AppJson(req): AppJson<PreviewRequest>,
) -> ApiResult<axum::Json<ImportPreview>> {
    Ok(axum::Json(
        state
            .store
            .preview_import(&m.caller(), m.workspace_id, p.id, &req.mapping)
            .await?,
    ))
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/imports/{id}/commit", tag = "imports", params(IdPath),
    request_body = CommitRequest,
    responses((status = 202, body = Import, description = "The commit has started; follow `done_rows` and `status`"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn commit_import(
    State(state): State<AppState>,
    Can(m, ..): Can<CreateAccounts>,
    AppPath(p): AppPath<IdPath>,
    AppJson(req): AppJson<CommitRequest>,
) -> ApiResult<(StatusCode, axum::Json<Import>)> {
    let caller = m.caller();
    let started = state
        .store
        .start_import(&caller, m.workspace_id, p.id, &req)
        .await?;
    let store = state.store.clone();
    let (ws, id, skip) = (m.workspace_id, p.id, req.skip_invalid);
    // The writing outlives the request; its progress and result are on the import.
    tokio::spawn(async move {
        if let Err(e) = store.run_import(&caller, ws, id, skip).await {
            tracing::error!(import = id, error = %e, "an import could not record its end");
        }
    });
    Ok((StatusCode::ACCEPTED, axum::Json(started)))
}
