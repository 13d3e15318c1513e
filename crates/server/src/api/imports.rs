//! Imports: a spreadsheet (XLSX, XLS, ODS, CSV or TSV, UTF-8 or GBK) is uploaded as the request
//! body, its columns mapped to a kind's fields, previewed as a dry run (every row's outcome and
//! every cell's error, by row and column), then committed in chunks in the background while
//! the client follows `done_rows`. Accounts are the first kind: who may create accounts may
//! import them (operators' new accounts are theirs; they update only accounts they own).

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use kox_domain::access::Capability;
use kox_domain::imports::{
    CommitRequest, Import, ImportKind, ImportMapping, ImportMappingDraft, ImportOptions,
    ImportPreview, PreviewRequest,
};
use kox_domain::metrics::presets::ImportPreset;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::types::{IdPath, WorkspacePath};
use crate::AppState;
use crate::auth::Member;
use crate::error::{ApiError, ApiResult, AppJson, AppPath, AppQuery, ErrorBody};

/// The largest file an import takes (a platform export is far smaller; a collector's year of
/// post metrics fits).
pub const MAX_FILE_BYTES: usize = 200 * 1024 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_import))
        .layer(DefaultBodyLimit::max(MAX_FILE_BYTES))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(list_imports))
                .routes(routes!(get_import))
                .routes(routes!(preview_import))
                .routes(routes!(commit_import))
                .routes(routes!(cancel_import))
                .routes(routes!(undo_import))
                .routes(routes!(import_errors))
                .routes(routes!(list_presets))
                .routes(routes!(list_mappings, create_mapping))
                .routes(routes!(update_mapping, delete_mapping)),
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
    /// A preset of `import-presets` (metric imports).
    preset: Option<String>,
    /// A saved mapping of `import-mappings` for this kind: the mapping starts as its.
    mapping_id: Option<i64>,
    /// The account every row is about (a per-account export).
    account_id: Option<i64>,
    /// Decode a text file as `utf-8`, `gbk`, `gb18030` or `utf-16` instead of detecting it.
    encoding: Option<String>,
    /// A workbook's sheet to read (default: the first).
    sheet: Option<String>,
    /// The day the counts are as of when the file has no such column (default: today).
    as_of: Option<chrono::NaiveDate>,
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/imports", tag = "imports",
    params(WorkspacePath, UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file as it is"),
    responses((status = 201, body = Import), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody)))]
async fn upload_import(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<UploadQuery>,
    body: axum::body::Body,
) -> ApiResult<(StatusCode, axum::Json<Import>)> {
    if q.kind != ImportKind::Accounts {
        if !m.role.can(Capability::MetricsManage) {
            return Err(ApiError::Forbidden);
        }
        let options = ImportOptions {
            preset: q.preset.clone(),
            mapping_id: q.mapping_id,
            account_id: q.account_id,
            encoding: q.encoding.clone(),
            sheet: q.sheet.clone(),
            as_of: q.as_of,
        };
        // Written to the file store as it arrives: a large export is never held in memory.
        let key = save_upload(&state, &m, body).await?;
        let import = state
            .store
            .create_file_import_at(
                &m.caller(),
                m.workspace_id,
                q.kind,
                &q.file_name,
                key,
                options,
            )
            .await?;
        return Ok((StatusCode::CREATED, axum::Json(import)));
    }
    if !m.role.can(Capability::AccountsCreate) {
        return Err(ApiError::Forbidden);
    }
    let body: Bytes = axum::body::to_bytes(body, MAX_FILE_BYTES)
        .await
        .map_err(|_| ApiError::TooLarge)?;
    let file_name = q.file_name.clone();
    // Reading a large workbook is CPU work: off the async threads.
    let sheet =
        tokio::task::spawn_blocking(move || kox_domain::imports::sheet::read(&file_name, &body))
            .await
            .map_err(|e| ApiError::Internal(format!("reading an import: {e}")))??;
    let import = state
        .store
        .create_import_mapped(
            &m.caller(),
            m.workspace_id,
            q.kind,
            &q.file_name,
            sheet,
            q.mapping_id,
        )
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
    responses((status = 200, body = ImportPreview), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "A push or a hand entry: no file to preview")))]
async fn preview_import(
    State(state): State<AppState>,
    m: Member,
    AppPath(p): AppPath<IdPath>,
    AppJson(req): AppJson<PreviewRequest>,
) -> ApiResult<axum::Json<ImportPreview>> {
    Ok(axum::Json(
        state
            .store
            .preview_import(
                &m.caller(),
                m.workspace_id,
                p.id,
                &req.mapping,
                &req.resolutions,
            )
            .await?,
    ))
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/imports/{id}/commit", tag = "imports", params(IdPath),
    request_body = CommitRequest,
    responses((status = 202, body = Import, description = "The commit has started; follow `done_rows` and `status`"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn commit_import(
    State(state): State<AppState>,
    m: Member,
    AppPath(p): AppPath<IdPath>,
    AppJson(req): AppJson<CommitRequest>,
) -> ApiResult<(StatusCode, axum::Json<Import>)> {
    let caller = m.caller();
    let started = state
        .store
        .start_import(&caller, m.workspace_id, p.id, &req)
        .await?;
    let store = state.store.clone();
    let (ws, id) = (m.workspace_id, p.id);
    // The writing outlives the request; its progress and result are on the import.
    tokio::spawn(async move {
        if let Err(e) = store.run_import(&caller, ws, id, &req).await {
            tracing::error!(import = id, error = %e, "an import could not record its end");
        }
    });
    Ok((StatusCode::ACCEPTED, axum::Json(started)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only imports of this kind.
    #[param(inline)]
    kind: Option<ImportKind>,
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/imports", tag = "imports",
    params(WorkspacePath, ListQuery),
    responses((status = 200, body = Vec<Import>, description = "The workspace's imports, newest first (at most 200), with who, when, counts and errors"),
        (status = 400, body = ErrorBody)))]
async fn list_imports(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<ListQuery>,
) -> ApiResult<axum::Json<Vec<Import>>> {
    Ok(axum::Json(
        state.store.list_imports(m.workspace_id, q.kind).await?,
    ))
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/imports/{id}/cancel", tag = "imports", params(IdPath),
    responses((status = 200, body = Import, description = "The commit stops after its current chunk"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn cancel_import(
    State(state): State<AppState>,
    m: Member,
    AppPath(p): AppPath<IdPath>,
) -> ApiResult<axum::Json<Import>> {
    Ok(axum::Json(
        state
            .store
            .cancel_import(&m.caller(), m.workspace_id, p.id)
            .await?,
    ))
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/imports/{id}/undo", tag = "imports", params(IdPath),
    responses((status = 200, body = Import, description = "Everything the import wrote is taken back"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn undo_import(
    State(state): State<AppState>,
    m: Member,
    AppPath(p): AppPath<IdPath>,
) -> ApiResult<axum::Json<Import>> {
    Ok(axum::Json(
        state
            .store
            .undo_import(&m.caller(), m.workspace_id, p.id)
            .await?,
    ))
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/import-presets", tag = "imports", params(WorkspacePath),
    responses((status = 200, body = Vec<ImportPreset>, description = "The platform exports KOX knows")))]
async fn list_presets(_m: Member) -> axum::Json<Vec<ImportPreset>> {
    axum::Json(kox_domain::metrics::presets::all().to_vec())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportMappings {
    items: Vec<ImportMapping>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MappingsQuery {
    /// Only the mappings for this kind of file.
    #[param(inline)]
    kind: Option<ImportKind>,
}

/// The workspace's saved mappings, by name (anyone in the workspace may read them).
#[utoipa::path(get, path = "/workspaces/{workspace_id}/import-mappings", tag = "imports",
    params(WorkspacePath, MappingsQuery),
    responses((status = 200, body = ImportMappings), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_mappings(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<MappingsQuery>,
) -> ApiResult<axum::Json<ImportMappings>> {
    Ok(axum::Json(ImportMappings {
        items: state
            .store
            .list_import_mappings(m.workspace_id, q.kind)
            .await?,
    }))
}

/// Saves a mapping to reuse ("小红书 周报导出"): each field with the header(s) it is read
/// from. Needs what importing its kind needs.
#[utoipa::path(post, path = "/workspaces/{workspace_id}/import-mappings", tag = "imports",
    params(WorkspacePath), request_body = ImportMappingDraft,
    responses((status = 201, body = ImportMapping), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "A mapping of this name and kind exists")))]
async fn create_mapping(
    State(state): State<AppState>,
    m: Member,
    AppJson(d): AppJson<ImportMappingDraft>,
) -> ApiResult<(StatusCode, axum::Json<ImportMapping>)> {
    let saved = state
        .store
        .save_import_mapping(&m.caller(), m.workspace_id, None, d)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(saved)))
}

#[utoipa::path(put, path = "/workspaces/{workspace_id}/import-mappings/{id}", tag = "imports",
    params(IdPath), request_body = ImportMappingDraft,
    responses((status = 200, body = ImportMapping), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "A mapping of this name and kind exists")))]
async fn update_mapping(
    State(state): State<AppState>,
    m: Member,
    AppPath(p): AppPath<IdPath>,
    AppJson(d): AppJson<ImportMappingDraft>,
) -> ApiResult<axum::Json<ImportMapping>> {
    Ok(axum::Json(
        state
            .store
            .save_import_mapping(&m.caller(), m.workspace_id, Some(p.id), d)
            .await?,
    ))
}

#[utoipa::path(delete, path = "/workspaces/{workspace_id}/import-mappings/{id}", tag = "imports",
    params(IdPath),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_mapping(
    State(state): State<AppState>,
    m: Member,
    AppPath(p): AppPath<IdPath>,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_import_mapping(&m.caller(), m.workspace_id, p.id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ErrorsQuery {
    /// The language of the headers and reasons (default: Chinese).
    #[param(inline)]
    lang: Option<kox_domain::exports::Lang>,
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/imports/{id}/errors.xlsx", tag = "imports", params(IdPath, ErrorsQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        description = "The rows with errors as the file had them, with their row number and a column saying what is wrong (with the import's last mapping)"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn import_errors(
    State(state): State<AppState>,
    m: Member,
    AppPath(p): AppPath<IdPath>,
    AppQuery(q): AppQuery<ErrorsQuery>,
) -> ApiResult<axum::response::Response> {
    let (headers, rows) = state
        .store
        .import_error_rows(&m.caller(), m.workspace_id, p.id)
        .await?;
    let lang = q.lang.unwrap_or_default();
    let table = kox_domain::exports::import_errors_table(&headers, &rows, lang);
    let bytes = kox_domain::exports::to_xlsx(&table).map_err(ApiError::Internal)?;
    let name = match lang {
        kox_domain::exports::Lang::Zh => format!("导入错误-{}.xlsx", p.id),
        kox_domain::exports::Lang::En => format!("import-errors-{}.xlsx", p.id),
    };
    Ok(super::exports::xlsx_download(
        bytes,
        &name,
        &format!("import-errors-{}.xlsx", p.id),
    ))
}

/// Writes an upload to the file store as it arrives, at most `MAX_FILE_BYTES`; answers its key.
async fn save_upload(state: &AppState, m: &Member, body: axum::body::Body) -> ApiResult<String> {
    use futures_util::StreamExt as _;
    use tokio::io::AsyncWriteExt as _;
    let (key, mut file) = state.store.upload_target(m.workspace_id).await?;
    let mut stream = body.into_data_stream();
    let mut size = 0usize;
    let failed = loop {
        match stream.next().await {
            None => break None,
            Some(Err(_)) => break Some(ApiError::TooLarge),
            Some(Ok(chunk)) => {
                size += chunk.len();
                if size > MAX_FILE_BYTES {
                    break Some(ApiError::TooLarge);
                }
                if let Err(e) = file.write_all(&chunk).await {
                    break Some(ApiError::Internal(format!("keeping an upload: {e}")));
                }
            }
        }
    };
    let flushed = file.flush().await;
    drop(file);
    if let Some(e) = failed {
        state.store.discard_upload(&key).await?;
        return Err(e);
    }
    flushed.map_err(|e| ApiError::Internal(format!("keeping an upload: {e}")))?;
    Ok(key)
}
