//! Field-level optimistic concurrency for versioned records (accounts, campaigns; content items
//! next). Each record keeps its version and, per field, the version at which it last changed.

use std::collections::BTreeMap;

use kox_domain::accounts::stale_fields;
use serde::Serialize;
use serde_json::Value;

use crate::error::invalid;
use crate::{Result, StoreError};

pub(crate) struct FieldVersions {
    current: i64,
    fields: BTreeMap<String, i64>,
}

impl FieldVersions {
    pub(crate) fn load(current: i64, stored: &Value) -> Self {
        Self {
            current,
            fields: serde_json::from_value(stored.clone()).unwrap_or_default(),
        }
    }

    /// Refuses a write based on version `base` that touches fields changed since then.
    pub(crate) fn check(&self, base: i64, touched: &[&str]) -> Result<()> {
        if base > self.current || base < 1 {
            return Err(invalid(
                "version",
                "validation.version",
                "version must be a version of this record you have seen",
            ));
        }
        let stale = stale_fields(&self.fields, base, touched);
        if stale.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Stale(stale))
        }
    }

    /// The record's next version and the per-field map with `changed` stamped with it.
    pub(crate) fn advance(mut self, changed: &[&str]) -> (i64, Value) {
        let version = self.current + 1;
        for f in changed {
            self.fields.insert((*f).to_owned(), version);
        }
        (
            version,
            serde_json::to_value(&self.fields).unwrap_or_default(),
        )
    }
}

/// The named fields of a record as JSON, for an event's before/after.
pub(crate) fn changed_values<T: Serialize>(record: &T, fields: &[&str]) -> Value {
    let full = serde_json::to_value(record).unwrap_or_default();
    Value::Object(
        fields
            .iter()
            .filter_map(|f| full.get(*f).map(|v| ((*f).to_owned(), v.clone())))
            .collect(),
    )
}
