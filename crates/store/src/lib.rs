//! KOX persistence: migrations, queries and transactions for SQLite and PostgreSQL from one
//! code path (SeaORM). ORM types never leave this crate: functions take and return domain
//! types. Engine-only behaviour (SQLite pragmas, the backup command, JSON operators) lives in
//! clearly named functions that `match` on the backend.

mod config;
mod db;
mod dialect;
mod entities;
mod error;
mod files;
mod lists;
mod migrate;
mod rows;
mod scoped;
mod versioning;

pub mod accounts;
pub mod auth;
pub mod calendar;
pub mod campaigns;
pub mod content;
mod content_settings;
pub mod custom_fields;
pub mod events;
pub mod import_mappings;
pub mod imports;
pub mod invitations;
pub mod jobs;
pub mod members;
pub mod metrics;
pub mod notifications;
mod red_lines;
pub mod workspaces;

pub use db::{Durability, Engine, Store, redact as redact_url};
pub use error::{Result, StoreError};
pub use events::EventQuery;
pub use kox_domain::access::Caller;
pub use migrate::MigrationReport;

pub use lists::{JsonPage, Listed, Page};

#[cfg(feature = "test-support")]
pub mod testing;
