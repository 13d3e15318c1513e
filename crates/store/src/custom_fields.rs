//! Custom field definitions per workspace and entity, and the check of values against them.

use chrono::Utc;
use kox_domain::custom_fields::{self as cf, CustomField, FieldEntity, FieldKind};
use kox_domain::{CustomFieldId, WorkspaceId};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, Set};
use serde_json::{Map, Value};

use crate::Caller;
use crate::entities::custom_field;
use crate::error::invalid;
use crate::events::{NewEvent, json_of, record};
use crate::scoped;
use crate::{Result, Store, StoreError};

fn to_field(m: custom_field::Model) -> CustomField {
    CustomField {
        id: CustomFieldId(m.id),
        entity: FieldEntity::parse(&m.entity).unwrap_or(FieldEntity::Account),
        key: m.key,
        label: m.label,
        kind: FieldKind::parse(&m.kind).unwrap_or(FieldKind::Text),
        options: serde_json::from_value(m.options).unwrap_or_default(),
        required: m.required,
        position: m.position,
    }
}

pub struct NewField<'a> {
    pub entity: FieldEntity,
    pub key: &'a str,
    pub label: &'a str,
    pub kind: FieldKind,
    pub options: &'a [String],
    pub required: bool,
}

pub(crate) async fn load_fields(
    db: &impl ConnectionTrait,
    ws: WorkspaceId,
    entity: FieldEntity,
) -> Result<Vec<CustomField>> {
    Ok(scoped::in_ws::<custom_field::Entity>(ws)
        .filter(custom_field::Column::Entity.eq(entity.as_str()))
        .order_by_asc(custom_field::Column::Position)
        .order_by_asc(custom_field::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_field)
        .collect())
}

/// Validates custom values against the workspace's fields for `entity`, including that person
/// values name members of the workspace. `stored` are the record's current values: those of
/// fields still defined are kept unless `input` overrides them (a `null` removes one); values
/// of deleted fields are dropped here, at the record's next edit.
pub(crate) async fn check_values(
    db: &impl ConnectionTrait,
    ws: WorkspaceId,
    entity: FieldEntity,
    stored: &Map<String, Value>,
    input: &Map<String, Value>,
) -> Result<Map<String, Value>> {
    let defs = load_fields(db, ws, entity).await?;
    check_values_with(db, ws, &defs, stored, input).await
}

impl Store {
    /// The custom-field filters of a list (`cf.<key>=<value>`) as one condition on `table` (a
    /// fixed table name of this crate): each key must be a field of `entity`, each value fit
    /// the field's type.
    pub(crate) async fn custom_filters(
        &self,
        ws: WorkspaceId,
        entity: FieldEntity,
        table: &str,
        filters: &[(String, String)],
    ) -> Result<sea_orm::Condition> {
        let defs = load_fields(&self.read, ws, entity).await?;
        let mut cond = sea_orm::Condition::all();
        for (key, value) in filters {
            let def = defs.iter().find(|d| &d.key == key).ok_or_else(|| {
                invalid(
                    format!("cf.{key}"),
                    "custom_fields.unknown",
                    format!("there is no custom field \"{key}\""),
                )
            })?;
            cond = cond.add(crate::dialect::custom_condition(
                self.engine(),
                table,
                &def.key,
                def.kind,
                value,
            )?);
        }
        Ok(cond)
    }
}

/// `check_values` with the field definitions already at hand (e.g. cached).
pub(crate) async fn check_values_with(
    db: &impl ConnectionTrait,
    ws: WorkspaceId,
    defs: &[CustomField],
    stored: &Map<String, Value>,
    input: &Map<String, Value>,
) -> Result<Map<String, Value>> {
    let specs: Vec<_> = defs.iter().map(CustomField::spec).collect();
    let mut merged: Map<String, Value> = stored
        .iter()
        .filter(|(k, _)| specs.iter().any(|s| &s.key == *k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    merged.extend(input.iter().map(|(k, v)| (k.clone(), v.clone())));
    let out = cf::validate_values(&specs, &merged)?;
    for (path, id) in cf::person_ids(&specs, &out) {
        if !Store::non_members(db, ws, &[id]).await?.is_empty() {
            return Err(invalid(
                path,
                "custom_fields.not_a_member",
                "this person is not a member of the workspace",
            ));
        }
    }
    Ok(out)
}

impl Store {
    pub async fn list_custom_fields(
        &self,
        ws: WorkspaceId,
        entity: Option<FieldEntity>,
    ) -> Result<Vec<CustomField>> {
        let mut q = scoped::in_ws::<custom_field::Entity>(ws);
        if let Some(e) = entity {
            q = q.filter(custom_field::Column::Entity.eq(e.as_str()));
        }
        Ok(q.order_by_asc(custom_field::Column::Entity)
            .order_by_asc(custom_field::Column::Position)
            .order_by_asc(custom_field::Column::Id)
            .all(&self.read)
            .await?
            .into_iter()
            .map(to_field)
            .collect())
    }

    pub async fn create_custom_field(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        new: NewField<'_>,
    ) -> Result<CustomField> {
        let (key, label, options) =
            cf::validate_definition(new.key, new.label, new.kind, new.options)?;
        let txn = self.begin().await?;
        let position = load_fields(&txn, ws, new.entity)
            .await?
            .last()
            .map_or(0, |f| f.position + 10);
        let m = custom_field::ActiveModel {
            workspace_id: Set(ws.0),
            entity: Set(new.entity.as_str().into()),
            key: Set(key),
            label: Set(label),
            kind: Set(new.kind.as_str().into()),
            options: Set(Value::from(options)),
            // Required applies to writes from now on: a record saved before keeps working until
            // its custom values are next edited, when the field must be filled.
            required: Set(new.required),
            position: Set(position),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(|e| {
            StoreError::from(e).on_duplicate(
                "custom_fields.key_taken",
                "key",
                "a field with this key exists",
            )
        })?;
        let out = to_field(m);
        record(
            &txn,
            caller,
            NewEvent::change(ws, "custom_field", Some(out.id.0), "custom_field.created")
                .after(json_of(&out)),
        )
        .await?;
        self.commit(txn).await?;
        Ok(out)
    }

    pub async fn update_custom_field(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: CustomFieldId,
        label: Option<&str>,
        options: Option<&[String]>,
        required: Option<bool>,
    ) -> Result<CustomField> {
        let txn = self.begin().await?;
        let before = scoped::by_id::<custom_field::Entity>(ws, id.0)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let old = to_field(before.clone());
        let mut am: custom_field::ActiveModel = before.into();
        if let Some(l) = label {
            am.label = Set(kox_domain::validation::text("label", l, 1, 50)?);
        }
        if let Some(o) = options {
            let o = cf::validate_options(old.kind, o)?;
            if let Some(gone) = old.options.iter().find(|x| !o.contains(x)) {
                // Values already stored would stop matching their definition.
                return Err(invalid(
                    "options",
                    "custom_fields.option_in_use",
                    format!(
                        "option \"{gone}\" cannot be removed; rename fields by adding a new option"
                    ),
                ));
            }
            am.options = Set(Value::from(o));
        }
        if let Some(r) = required {
            am.required = Set(r);
        }
        let out = to_field(am.update(&txn).await?);
        record(
            &txn,
            caller,
            NewEvent::change(ws, "custom_field", Some(id.0), "custom_field.updated")
                .before(json_of(&old))
                .after(json_of(&out)),
        )
        .await?;
        self.commit(txn).await?;
        Ok(out)
    }

    /// Deletes the definition. Stored values stay in the records' history (events) but are no
    /// longer shown or accepted.
    pub async fn delete_custom_field(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: CustomFieldId,
    ) -> Result<()> {
        let txn = self.begin().await?;
        let before = scoped::by_id::<custom_field::Entity>(ws, id.0)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        scoped::delete_in::<custom_field::Entity>(ws)
            .filter(custom_field::Column::Id.eq(id.0))
            .exec(&txn)
            .await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "custom_field", Some(id.0), "custom_field.deleted")
                .before(json_of(&to_field(before))),
        )
        .await?;
        self.commit(txn).await?;
        Ok(())
    }
}
