//! KOX persistence: migrations, queries and transactions for SQLite and PostgreSQL from one
//! code path (SeaORM). ORM types never leave this crate: functions take and return domain
//! types. Engine-only behaviour (SQLite pragmas, the backup command, JSON operators) lives in
//! clearly named functions that `match` on the backend.

mod config;
mod db;
mod dialect;
mod entities;
mod error;
mod migrate;
mod scoped;
mod versioning;

pub mod accounts;
pub mod auth;
pub mod campaigns;
pub mod content;
mod content_settings;
pub mod custom_fields;
pub mod events;
pub mod members;
mod red_lines;
pub mod workspaces;

pub use db::{Engine, Store, redact as redact_url};
pub use error::{Result, StoreError};
pub use events::{Actor, EventQuery};
pub use migrate::MigrationReport;

/// Offset pagination shared by list endpoints.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: u64,
    pub offset: u64,
}

impl Default for Page {
    fn default() -> Self {
        Self {
            limit: 50,
            offset: 0,
        }
    }
}

/// One page of a list and the total count across pages.
#[derive(Debug, Clone)]
pub struct Listed<T> {
    pub items: Vec<T>,
    pub total: u64,
}

#[cfg(feature = "test-support")]
pub mod testing;
