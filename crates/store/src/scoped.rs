//! Workspace-scoped queries. A workspace's tables are read and written only through `in_ws`,
//! `by_id`, `update_in` and `delete_in`, which add the `workspace_id` filter, so a forgotten one
//! cannot be written by accident: the ORM's own entry points (`find`, `find_by_id`,
//! `update_many`, `delete_many`, `delete_by_id`) are disallowed by clippy (`clippy.toml`) outside
//! this module. Install-wide tables (users, sessions, API tokens, workspaces, the event log
//! whose rows may belong to no workspace) are reached through `install_wide` and its siblings,
//! which say so at every call.
#![allow(clippy::disallowed_methods)]

use kox_domain::WorkspaceId;
use sea_orm::{ColumnTrait, DeleteMany, EntityTrait, QueryFilter, Select, UpdateMany};

use crate::entities;

/// A table whose rows each belong to one workspace.
pub(crate) trait InWorkspace: EntityTrait {
    fn workspace_column() -> Self::Column;
}

/// A workspace table with a numeric `id` primary key.
pub(crate) trait WithId: InWorkspace {
    fn id_column() -> Self::Column;
}

/// A table that belongs to the installation, not to one workspace (each has an `id`).
pub(crate) trait InstallWide: EntityTrait {
    fn id_column() -> Self::Column;
}

macro_rules! in_workspace {
    ($($m:ident),* $(,)?) => {$(
        impl InWorkspace for entities::$m::Entity {
            fn workspace_column() -> Self::Column {
                entities::$m::Column::WorkspaceId
            }
        }
    )*};
}

macro_rules! with_id {
    ($($m:ident),* $(,)?) => {$(
        impl WithId for entities::$m::Entity {
            fn id_column() -> Self::Column {
                entities::$m::Column::Id
            }
        }
    )*};
}

in_workspace!(
    member,
    platform,
    account,
    account_owner,
    campaign,
    custom_field,
    content_item,
    content_transition,
    content_review,
    content_comment,
    red_line,
    invitation,
    import,
    import_mapping,
    job,
    notification,
    notification_channel,
    notification_rule,
    notification_preference,
    delivery,
    recurring_slot,
    holiday_year,
    coordination_order,
    wave,
    wave_follow_up,
    ics_feed,
    // Events of a workspace; personal events (sign-ins, tokens) have none.
    event,
);
with_id!(
    account,
    campaign,
    custom_field,
    content_item,
    content_transition,
    content_review,
    content_comment,
    red_line,
    invitation,
    import,
    import_mapping,
    job,
    notification,
    notification_channel,
    notification_rule,
    delivery,
    recurring_slot,
    holiday_year,
    coordination_order,
    wave,
    wave_follow_up,
    ics_feed,
);

macro_rules! install_wide {
    ($($m:ident),* $(,)?) => {$(
        impl InstallWide for entities::$m::Entity {
            fn id_column() -> Self::Column {
                entities::$m::Column::Id
            }
        }
    )*};
}

// Invitations belong to a workspace but are also found by their link and by the invited
// e-mail, from outside it.
install_wide!(
    workspace, user, session, api_token, event, invitation, ics_feed
);

/// The rows of one workspace.
pub(crate) fn in_ws<E: InWorkspace>(ws: WorkspaceId) -> Select<E> {
    E::find().filter(E::workspace_column().eq(ws.0))
}

/// One row of one workspace (another workspace's id finds nothing).
pub(crate) fn by_id<E: WithId>(ws: WorkspaceId, id: i64) -> Select<E> {
    in_ws::<E>(ws).filter(E::id_column().eq(id))
}

/// An update of rows of one workspace (add the row filters).
pub(crate) fn update_in<E: InWorkspace>(ws: WorkspaceId) -> UpdateMany<E> {
    E::update_many().filter(E::workspace_column().eq(ws.0))
}

/// A delete of rows of one workspace (add the row filters).
pub(crate) fn delete_in<E: InWorkspace>(ws: WorkspaceId) -> DeleteMany<E> {
    E::delete_many().filter(E::workspace_column().eq(ws.0))
}

/// Rows of an install-wide table.
pub(crate) fn install_wide<E: InstallWide>() -> Select<E> {
    E::find()
}

/// A person's memberships in every workspace (the one read of a workspace table across
/// workspaces: which workspaces may this user open).
pub(crate) fn members_of_user(user: i64) -> Select<entities::member::Entity> {
    entities::member::Entity::find().filter(entities::member::Column::UserId.eq(user))
}

/// One row of an install-wide table.
pub(crate) fn install_wide_by_id<E: InstallWide>(id: i64) -> Select<E> {
    E::find().filter(E::id_column().eq(id))
}

pub(crate) fn update_install_wide<E: InstallWide>() -> UpdateMany<E> {
    E::update_many()
}

pub(crate) fn delete_install_wide<E: InstallWide>() -> DeleteMany<E> {
    E::delete_many()
}
