//! Custom field definitions (DESIGN §7): typed fields per entity that show in forms and
//! tables, filter lists, and are validated on every write.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use kox_domain::CustomFieldId;
use kox_domain::custom_fields::{CustomField, FieldEntity, FieldKind};
use kox_store::custom_fields::NewField;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::types::unknown_parameter;
use crate::AppState;
use crate::auth::{Can, ManageCustomFields, Member};
use crate::error::{ApiError, ApiResult, AppJson, AppPath, AppQuery, ErrorBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_fields, create_field))
        .routes(routes!(update_field, delete_field))
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/custom-fields", tag = "custom-fields",
    params(("workspace_id" = i64, Path), ("entity" = Option<FieldEntity>, Query)),
    responses((status = 200, body = Vec<CustomField>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_fields(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<HashMap<String, String>>,
) -> ApiResult<axum::Json<Vec<CustomField>>> {
    let mut entity = None;
    for (k, v) in &q {
        match k.as_str() {
            "entity" => {
                entity = Some(FieldEntity::parse(v).ok_or_else(|| {
                    ApiError::invalid(
                        "entity",
                        "request.unknown_value",
                        "entity must be account or campaign",
                    )
                })?);
            }
            other => {
                return Err(unknown_parameter(other));
            }
        }
    }
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

#[utoipa::path(post, path = "/workspaces/{workspace_id}/custom-fields", tag = "custom-fields", params(("workspace_id" = i64, Path)), request_body = CreateField,
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
                .create_custom_field(&m.actor(), m.workspace_id, new)
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
    params(("workspace_id" = i64, Path), ("id" = i64, Path)), request_body = UpdateField,
    responses((status = 200, body = CustomField), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn update_field(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageCustomFields>,
    AppPath(ids): AppPath<(i64, i64)>,
    AppJson(req): AppJson<UpdateField>,
) -> ApiResult<axum::Json<CustomField>> {
    let id = ids.1;
    let f = state
        .store
        .update_custom_field(
            &m.actor(),
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
    params(("workspace_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_field(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageCustomFields>,
    AppPath(ids): AppPath<(i64, i64)>,
) -> ApiResult<StatusCode> {
    let id = ids.1;
    state
        .store
        .delete_custom_field(&m.actor(), m.workspace_id, CustomFieldId(id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
