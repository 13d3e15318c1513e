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
pub use events::EventQuery;
pub use kox_domain::access::Caller;
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

/// Totals of filtered lists, valid for one generation of the store: a list's total does not
/// depend on the page, so paging through a list (or many members on one filter) counts once
/// per change instead of once per page.
#[derive(Debug, Default)]
pub(crate) struct Totals {
    entries: std::sync::Mutex<std::collections::HashMap<(i64, String), (u64, u64)>>,
}

/// Entries kept before the cache starts over (a key is a workspace and a filter).
const TOTALS_KEPT: usize = 4096;

impl Store {
    /// `count`, or the total counted for the same key at the current generation. The generation
    /// is read before counting, so a write that commits meanwhile makes the entry stale.
    pub(crate) async fn cached_total(
        &self,
        ws: kox_domain::WorkspaceId,
        key: String,
        count: impl std::future::Future<Output = Result<u64>>,
    ) -> Result<u64> {
        let generation = self.generation();
        let key = (ws.0, key);
        if let Ok(map) = self.totals.entries.lock()
            && let Some((g, total)) = map.get(&key)
            && *g == generation
        {
            return Ok(*total);
        }
        let total = count.await?;
        if let Ok(mut map) = self.totals.entries.lock() {
            if map.len() >= TOTALS_KEPT {
                map.clear();
            }
            map.insert(key, (generation, total));
        }
        Ok(total)
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
