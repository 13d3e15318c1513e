//! Saved import mappings (`import-mappings`): a team's own preset for the file it imports every
//! week. Saving one needs what importing its kind needs; anyone in the workspace may list them.
//! An upload names one (`ImportOptions::mapping_id`) and its mapping is taken from it, each
//! field's headers matched as a preset's are.

use std::collections::BTreeMap;

use chrono::Utc;
use kox_domain::WorkspaceId;
use kox_domain::custom_fields::FieldEntity;
use kox_domain::imports::accounts::ImportField;
use kox_domain::imports::{ImportKind, ImportMapping, ImportMappingDraft};
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use crate::Caller;
use crate::custom_fields::load_fields;
use crate::entities::import_mapping;
use crate::error::invalid;
use crate::events::{NewEvent, record};
use crate::scoped;
use crate::{Result, Store, StoreError};

fn to_mapping(m: import_mapping::Model) -> ImportMapping {
    ImportMapping {
        id: m.id,
        name: m.name,
        kind: ImportKind::parse(&m.kind).unwrap_or(ImportKind::PostMetrics),
        columns: serde_json::from_value(m.columns).unwrap_or_default(),
        created_by: m.created_by.map(kox_domain::UserId),
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

fn name_taken(e: sea_orm::DbErr) -> StoreError {
    StoreError::from(e).on_duplicate(
        "imports.mapping_name_taken",
        "name",
        "this workspace already has a mapping of this name for this kind of file",
    )
}

impl Store {
    /// The fields an import of `kind` can fill in this workspace.
    async fn import_fields_of(
        &self,
        ws: WorkspaceId,
        kind: ImportKind,
    ) -> Result<Vec<ImportField>> {
        let account_fields = if kind == ImportKind::Accounts {
            load_fields(&self.read, ws, FieldEntity::Account).await?
        } else {
            Vec::new()
        };
        Ok(crate::imports::kind_fields(kind, &account_fields))
    }

    /// The workspace's saved mappings (of one kind), by name.
    pub async fn list_import_mappings(
        &self,
        ws: WorkspaceId,
        kind: Option<ImportKind>,
    ) -> Result<Vec<ImportMapping>> {
        let mut q = scoped::in_ws::<import_mapping::Entity>(ws);
        if let Some(k) = kind {
            q = q.filter(import_mapping::Column::Kind.eq(k.as_str()));
        }
        Ok(q.order_by_asc(import_mapping::Column::Name)
            .order_by_asc(import_mapping::Column::Id)
            .all(&self.read)
            .await?
            .into_iter()
            .map(to_mapping)
            .collect())
    }

    /// Creates a mapping (`id` none) or replaces one. Needs what importing its kind needs (for
    /// a replaced one, also its old kind's).
    pub async fn save_import_mapping(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: Option<i64>,
        d: ImportMappingDraft,
    ) -> Result<ImportMapping> {
        if !caller.can(d.kind.capability()) {
            return Err(StoreError::Forbidden);
        }
        let known = self.import_fields_of(ws, d.kind).await?;
        let d = d.check(&known)?;
        let now = Utc::now();
        let txn = self.begin().await?;
        let (mut am, before) = match id {
            Some(id) => {
                let m = scoped::by_id::<import_mapping::Entity>(ws, id)
                    .one(&txn)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                let old = to_mapping(m.clone());
                if !caller.can(old.kind.capability()) {
                    return Err(StoreError::Forbidden);
                }
                (import_mapping::ActiveModel::from(m), Some(old))
            }
            None => (
                import_mapping::ActiveModel {
                    workspace_id: Set(ws.0),
                    created_by: Set(caller.user.map(|u| u.0)),
                    created_at: Set(now),
                    ..Default::default()
                },
                None,
            ),
        };
        am.name = Set(d.name.clone());
        am.kind = Set(d.kind.as_str().into());
        am.columns = Set(json!(d.columns));
        am.updated_at = Set(now);
        let m = if id.is_some() {
            am.update(&txn).await.map_err(name_taken)?
        } else {
            am.insert(&txn).await.map_err(name_taken)?
        };
        let after = json!({"name": d.name, "kind": d.kind, "columns": d.columns});
        let event = match &before {
            Some(b) => NewEvent::change(ws, "import_mapping", Some(m.id), "import_mapping.updated")
                .before(json!({"name": b.name, "kind": b.kind, "columns": b.columns}))
                .after(after),
            None => NewEvent::change(ws, "import_mapping", Some(m.id), "import_mapping.created")
                .after(after),
        };
        record(&txn, caller, event).await?;
        self.commit(txn).await?;
        Ok(to_mapping(m))
    }

    pub async fn delete_import_mapping(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: i64,
    ) -> Result<()> {
        let txn = self.begin().await?;
        let m = scoped::by_id::<import_mapping::Entity>(ws, id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let old = to_mapping(m);
        if !caller.can(old.kind.capability()) {
            return Err(StoreError::Forbidden);
        }
        scoped::delete_in::<import_mapping::Entity>(ws)
            .filter(import_mapping::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "import_mapping", Some(id), "import_mapping.deleted")
                .before(json!({"name": old.name, "kind": old.kind, "columns": old.columns})),
        )
        .await?;
        self.commit(txn).await
    }

    /// A saved mapping's headers by field, for an upload of `kind` (`mapping_id`).
    pub(crate) async fn saved_mapping_columns(
        &self,
        ws: WorkspaceId,
        id: i64,
        kind: ImportKind,
    ) -> Result<BTreeMap<String, Vec<String>>> {
        scoped::by_id::<import_mapping::Entity>(ws, id)
            .one(&self.read)
            .await?
            .map(to_mapping)
            .filter(|m| m.kind == kind)
            .map(|m| m.columns)
            .ok_or_else(|| {
                invalid(
                    "mapping_id",
                    "imports.unknown_mapping",
                    format!("there is no saved {} mapping {id}", kind.as_str()),
                )
            })
    }
}
