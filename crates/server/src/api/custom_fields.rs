//! Custom field definitions (DESIGN §7): typed fields per entity that show in forms and
//! tables, filter lists, and are validated on every write.

use axum::extract::State;
use axum::http::StatusCode;
use kox_domain::CustomFieldId;
use kox_domain::custom_fields::{CustomField, FieldEntity, FieldKind};
use kox_store::custom_fields::NewField;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::types::{IdPath, WorkspacePath};
use crate::AppState;
use crate::auth::{Can, ManageCustomFields, Member};
use crate::error::{ApiResult, AppJson, AppPath, AppQuery, ErrorBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_fields, create_field))
        .routes(routes!(update_field, delete_field))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FieldQuery {
    /// Only the fields of this kind of record.
    entity: Option<FieldEntity>,
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/custom-fields", tag = "custom-fields",
    params(WorkspacePath, FieldQuery),
    responses((status = 200, body = Vec<CustomField>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_fields(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<FieldQuery>,
) -> ApiResult<axum::Json<Vec<CustomField>>> {
    let entity = q.entity;
    Ok(axum::Json(
        state
            .store
            .list_custom_fields(m.workspace_id, entity)
            .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateField {
    pub entity: FieldEntity,
    /// Lowercase key used in the API and filters (`cf.<key>`), e.g. `cooperation_level`.
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub required: bool,
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/custom-fields", tag = "custom-fields", params(WorkspacePath), request_body = CreateField,
    responses((status = 201, body = CustomField), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_field(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageCustomFields>,
    AppJson(req): AppJson<CreateField>,
) -> ApiResult<(StatusCode, axum::Json<CustomField>)> {
    let new = NewField {
        entity: req.entity,
        key: &req.key,
        label: &req.label,
        kind: req.kind,
        options: &req.options,
        required: req.required,
    };
    Ok((
        StatusCode::CREATED,
        axum::Json(
            state
                .store
                .create_custom_field(&m.caller(), m.workspace_id, new)
                .await?,
        ),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateField {
    pub label: Option<String>,
    /// The full new option list; existing options may be added to, not removed.
    pub options: Option<Vec<String>>,
    pub required: Option<bool>,
}

#[utoipa::path(patch, path = "/workspaces/{workspace_id}/custom-fields/{id}", tag = "custom-fields",
    params(IdPath), request_body = UpdateField,
    responses((status = 200, body = CustomField), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn update_field(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageCustomFields>,
    AppPath(p): AppPath<IdPath>,
    AppJson(req): AppJson<UpdateField>,
) -> ApiResult<axum::Json<CustomField>> {
    let id = p.id;
    let f = state
        .store
        .update_custom_field(
            &m.caller(),
            m.workspace_id,
            CustomFieldId(id),
            req.label.as_deref(),
            req.options.as_deref(),
            req.required,
        )
        .await?;
    Ok(axum::Json(f))
}

#[utoipa::path(delete, path = "/workspaces/{workspace_id}/custom-fields/{id}", tag = "custom-fields",
    params(IdPath),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_field(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageCustomFields>,
    AppPath(p): AppPath<IdPath>,
) -> ApiResult<StatusCode> {
    let id = p.id;
    state
        .store
        .delete_custom_field(&m.caller(), m.workspace_id, CustomFieldId(id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
