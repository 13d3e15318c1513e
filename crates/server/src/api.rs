//! The route table: every capability's routes, all under `/api/v1`, read in one place.

mod accounts;
mod auth;
mod calendar;
mod campaigns;
mod content;
mod content_settings;
mod custom_fields;
mod events;
mod exports;
mod imports;
mod invitations;
mod me;
mod members;
mod metrics;
mod notifications;
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
        (name = "imports", description = "Spreadsheet imports: upload, map, preview, commit"),
        (name = "content", description = "The SOP board: content items from topic to retrospective, review, red lines"),
        (name = "members", description = "Members, roles and groups"),
        (name = "invitations", description = "Inviting people by e-mail; accepting by link or inside KOX"),
        (name = "custom-fields", description = "Custom field definitions"),
        (name = "events", description = "Activity feeds and the audit log"),
        (name = "calendar", description = "The shared content calendar: conflicts, schedule rules, coordination orders and waves, recurring slots, holidays, iCalendar feeds"),
        (name = "metrics", description = "Post data pushed or entered by hand, each post's snapshots and grade, the metric registry and grade rules"),
        (name = "notifications", description = "Notifications, channels (group bots, webhooks, e-mail), rules, preferences, the delivery log and the job queue"),
    )
)]
struct ApiDoc;

pub fn router() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .nest("/auth", auth::routes())
        .nest("/me", me::routes().merge(invitations::my_routes()))
        .merge(invitations::routes())
        .merge(workspaces::routes())
        .merge(accounts::routes())
        .merge(campaigns::routes())
        .merge(imports::routes())
        .merge(content::routes())
        .merge(content_settings::routes())
        .merge(red_lines::routes())
        .merge(members::routes())
        .merge(custom_fields::routes())
        .merge(events::routes())
        .merge(notifications::routes())
        .merge(calendar::routes())
        .merge(metrics::routes());
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .merge(calendar::feed_routes())
}

/// The refusals every operation can answer with, added to each operation's documented
/// responses: 401 for everything but signing in (no session or token, or one that ended); 404
/// under a workspace (one the caller is not a member of does not exist for them); and for a
/// request body 400 (not JSON, not an object, a wrong field) and 415 (not declared JSON). Each
/// is the standard error body.
pub fn document_common_refusals(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let error = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build(),
        )
    };
    for (path, item) in &mut doc.paths.paths {
        // Signing in and an invitation link's own pages need no session.
        // A calendar feed's secret is its own credential.
        let public = path == "/api/v1/auth/login"
            || path.starts_with("/api/v1/invitations/")
            || path.starts_with("/ics/");
        let in_workspace = path.contains("{workspace_id}");
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            let responses = &mut op.responses.responses;
            if !public {
                responses
                    .entry("401".into())
                    .or_insert_with(|| error("Not signed in, or the session or token has ended"));
            }
            if in_workspace {
                responses.entry("404".into()).or_insert_with(|| {
                    error("No such workspace, or not a member of it; or no such record in it")
                });
            }
            if op.request_body.is_some() {
                responses
                    .entry("400".into())
                    .or_insert_with(|| error("The body is not a JSON object of this shape"));
                responses
                    .entry("415".into())
                    .or_insert_with(|| error("The body is not declared as JSON"));
            }
        }
    }
}
