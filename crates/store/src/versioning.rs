//! The one update path for versioned records (accounts, campaigns, content items, and every
//! capability after them): field-level optimistic concurrency, validation, custom values, the
//! diff, the event. Each record keeps its version and, per field, the version at which it last
//! changed. An entity plugs in with `VersionedTable`: how its row is read and written, and its
//! own checks — nothing else.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use kox_domain::WorkspaceId;
use kox_domain::accounts::stale_fields;
use kox_domain::custom_fields::FieldEntity;
use kox_domain::versioned::{Patch, Versioned};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::Caller;
use crate::custom_fields::check_values;
use crate::db::Tx;
use crate::error::invalid;
use crate::events::{NewEvent, record};
use crate::{Result, Store, StoreError};

/// A record as read for an edit.
pub(crate) struct Loaded<T: VersionedTable> {
    /// Returned as it is when the edit changes nothing.
    pub record: T::Record,
    pub draft: T::Draft,
    pub version: i64,
    pub field_versions: Value,
    /// What `write` needs to write the row (the ORM model).
    pub row: T::Row,
}

/// The version bookkeeping a write stores with the new values.
pub(crate) struct Stamp {
    pub version: i64,
    pub field_versions: Value,
    pub at: DateTime<Utc>,
}

/// One entity's part of the update path. Implemented by a value that carries what the entity's
/// rules need for this one edit (who edits, the cached configuration, …).
pub(crate) trait VersionedTable: Sized {
    type Draft: Versioned;
    type Record;
    type Row;
    /// The event's entity type.
    const ENTITY: &'static str;
    /// Whose custom-field definitions apply.
    const FIELDS: FieldEntity;

    /// Reads the record inside the write (locked where the engine needs it), refusing an editor
    /// who may not edit it at all.
    async fn load(&mut self, txn: &Tx, ws: WorkspaceId, id: i64) -> Result<Loaded<Self>>;

    /// Merges custom-field values into the stored ones.
    async fn custom_values(
        &self,
        txn: &Tx,
        ws: WorkspaceId,
        stored: &Map<String, Value>,
        input: &Map<String, Value>,
    ) -> Result<Map<String, Value>> {
        check_values(txn, ws, Self::FIELDS, stored, input).await
    }

    /// The entity's own rules for an edit that changes `changed` (by default none beyond the
    /// draft's validation).
    async fn check(
        &mut self,
        _txn: &Tx,
        _ws: WorkspaceId,
        _before: &Self::Draft,
        _next: &Self::Draft,
        _changed: &[&'static str],
    ) -> Result<()> {
        Ok(())
    }

    /// Writes the new values with `stamp` and returns the stored record.
    async fn write(
        &mut self,
        txn: &Tx,
        ws: WorkspaceId,
        row: Self::Row,
        next: &Self::Draft,
        changed: &[&'static str],
        stamp: Stamp,
    ) -> Result<Self::Record>;

    /// The event's action (e.g. an account whose only change is its status is archived).
    fn action(
        &self,
        before: &Self::Draft,
        next: &Self::Draft,
        changed: &[&'static str],
    ) -> &'static str;

    /// What an edit that changes nothing answers (by default the record as read).
    async fn unchanged(&self, _store: &Store, record: Self::Record) -> Result<Self::Record> {
        Ok(record)
    }
}

impl Store {
    /// Applies `patch` to record `id`: refused (409) only when it touches fields changed since
    /// the version it was based on; validated; custom values merged; nothing written when
    /// nothing changes; otherwise the row, its version bookkeeping and one event with the
    /// changed fields' before and after, in one transaction.
    pub(crate) async fn update_versioned<T: VersionedTable>(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: i64,
        patch: <T::Draft as Versioned>::Patch,
        table: &mut T,
    ) -> Result<T::Record> {
        let txn = self.begin().await?;
        match Self::edit_versioned(&txn, caller, ws, id, patch, table).await? {
            Edited::Unchanged(record) => {
                drop(txn);
                table.unchanged(self, record).await
            }
            Edited::Written(out) => {
                self.commit(txn).await?;
                Ok(out)
            }
        }
    }

    /// `update_versioned` inside the caller's transaction (an import edits many records in
    /// one): the same checks, write and event, without the commit.
    pub(crate) async fn edit_versioned<T: VersionedTable>(
        txn: &Tx,
        caller: &Caller,
        ws: WorkspaceId,
        id: i64,
        mut patch: <T::Draft as Versioned>::Patch,
        table: &mut T,
    ) -> Result<Edited<T::Record>> {
        let loaded = table.load(txn, ws, id).await?;
        let versions = FieldVersions::load(loaded.version, &loaded.field_versions);
        versions.check(patch.base_version(), &patch.touched())?;
        let custom_input = patch.take_custom();
        let before = loaded.draft;
        let mut next = before.clone();
        next.apply(patch);
        let mut next = next.validated()?;
        if let Some(input) = custom_input {
            next.set_custom(
                table
                    .custom_values(txn, ws, before.custom(), &input)
                    .await?,
            );
        }
        let changed = before.diff(&next);
        if changed.is_empty() {
            return Ok(Edited::Unchanged(loaded.record));
        }
        table.check(txn, ws, &before, &next, &changed).await?;
        let (version, field_versions) = versions.advance(&changed);
        let stamp = Stamp {
            version,
            field_versions,
            at: Utc::now(),
        };
        let out = table
            .write(txn, ws, loaded.row, &next, &changed, stamp)
            .await?;
        record(
            txn,
            caller,
            NewEvent::change(
                ws,
                T::ENTITY,
                Some(id),
                table.action(&before, &next, &changed),
            )
            .before(changed_values(&before, &changed))
            .after(changed_values(&next, &changed)),
        )
        .await?;
        Ok(Edited::Written(out))
    }
}

/// What an edit did.
pub(crate) enum Edited<R> {
    /// Nothing changed; the record as read.
    Unchanged(R),
    /// The stored record after the edit.
    Written(R),
}

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
