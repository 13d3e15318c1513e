//! The route table: every capability's routes, all under `/api/v1`, read in one place.

mod accounts;
mod auth;
mod campaigns;
mod content;
mod content_settings;
mod custom_fields;
mod events;
mod me;
mod members;
mod red_lines;
pub(crate) mod types;
mod workspaces;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "KOX API", version = "1", description = "KOX matrix operations platform. Errors are `{\"error\":{\"code\",\"message\",\"field\"}}`. Cookie-authenticated state changes need the `X-CSRF-Token` header; integrations use `Authorization: Bearer <token>`."),
    components(schemas(crate::error::ErrorBody)),
    tags(
        (name = "auth", description = "Sign in and out"),
        (name = "me", description = "The signed-in user, their sessions and API tokens"),
        (name = "workspaces", description = "Workspace settings and platforms"),
        (name = "accounts", description = "The account matrix"),
        (name = "campaigns", description = "Campaigns"),
        (name = "content", description = "The SOP board: content items from topic to retrospective, review, red lines"),
        (name = "members", description = "Members, roles and groups"),
        (name = "custom-fields", description = "Custom field definitions"),
        (name = "events", description = "Activity feeds and the audit log"),
    )
)]
struct ApiDoc;

pub fn router() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .nest("/auth", auth::routes())
        .nest("/me", me::routes())
        .merge(workspaces::routes())
        .merge(accounts::routes())
        .merge(campaigns::routes())
        .merge(content::routes())
        .merge(content_settings::routes())
        .merge(red_lines::routes())
        .merge(members::routes())
        .merge(custom_fields::routes())
        .merge(events::routes());
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", v1)
}
