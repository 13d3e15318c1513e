//! The red-line library (红线词库): the workspace's phrases and the built-in advertising-law terms.

use chrono::Utc;
use kox_domain::WorkspaceId;
use kox_domain::red_lines::{RedLine, RedLineAllowed, RedLineDraft, RedLinePatch, Severity};
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use crate::Caller;
use crate::content::strings;
use crate::entities::red_line;
use crate::events::{NewEvent, json_of, record};
use crate::scoped;
use crate::{Result, Store, StoreError};
use kox_domain::access::Capability;

impl Store {
    pub async fn list_red_lines(&self, ws: WorkspaceId) -> Result<Vec<RedLine>> {
        Ok(scoped::in_ws::<red_line::Entity>(ws)
            .order_by_desc(red_line::Column::Builtin)
            .order_by_asc(red_line::Column::Id)
            .all(&self.read)
            .await?
            .into_iter()
            .map(to_red_line)
            .collect())
    }

    pub async fn create_red_line(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        d: RedLineDraft,
    ) -> Result<RedLine> {
        let d = d.validate()?;
        let txn = self.begin().await?;
        let m = red_line::ActiveModel {
            workspace_id: Set(ws.0),
            phrase: Set(d.phrase.clone()),
            severity: Set(d.severity.as_str().into()),
            exceptions: Set(json!(d.exceptions)),
            note: Set(d.note.clone()),
            builtin: Set(false),
            enabled: Set(d.enabled),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(|e| {
            StoreError::from(e).on_duplicate(
                "red_lines.duplicate",
                "phrase",
                "this phrase is already a red line",
            )
        })?;
        let out = to_red_line(m);
        record(
            &txn,
            caller,
            NewEvent::change(ws, "red_line", Some(out.id), "red_line.created").after(json_of(&out)),
        )
        .await?;
        self.commit(txn).await?;
        Ok(out)
    }

    /// Applies a patch; a change that loosens the line (`RedLineDraft::loosened_by`) needs
    /// `red_lines.loosen`.
    pub async fn update_red_line(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: i64,
        patch: RedLinePatch,
    ) -> Result<RedLine> {
        let txn = self.begin().await?;
        let row = scoped::by_id::<red_line::Entity>(ws, id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let before = to_red_line(row.clone());
        let mut d = before.draft();
        let was = d.clone();
        d.apply(patch);
        let d = d.validate()?;
        if was.loosened_by(&d) && !caller.can(Capability::RedLinesLoosen) {
            return Err(StoreError::Forbidden);
        }
        let mut am: red_line::ActiveModel = row.into();
        am.phrase = Set(d.phrase);
        am.severity = Set(d.severity.as_str().into());
        am.exceptions = Set(json!(d.exceptions));
        am.note = Set(d.note);
        am.enabled = Set(d.enabled);
        let out = to_red_line(am.update(&txn).await.map_err(|e| {
            StoreError::from(e).on_duplicate(
                "red_lines.duplicate",
                "phrase",
                "this phrase is already a red line",
            )
        })?);
        record(
            &txn,
            caller,
            NewEvent::change(ws, "red_line", Some(id), "red_line.updated")
                .before(json_of(&before))
                .after(json_of(&out)),
        )
        .await?;
        self.commit(txn).await?;
        Ok(out)
    }

    /// Deleting a line loosens the rules: `red_lines.loosen` only.
    pub async fn delete_red_line(&self, caller: &Caller, ws: WorkspaceId, id: i64) -> Result<()> {
        if !caller.can(Capability::RedLinesLoosen) {
            return Err(StoreError::Forbidden);
        }
        let txn = self.begin().await?;
        let row = scoped::by_id::<red_line::Entity>(ws, id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let before = to_red_line(row);
        scoped::delete_in::<red_line::Entity>(ws)
            .filter(red_line::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "red_line", Some(id), "red_line.deleted").before(json_of(&before)),
        )
        .await?;
        self.commit(txn).await?;
        Ok(())
    }
}

fn to_red_line(m: red_line::Model) -> RedLine {
    RedLine {
        id: m.id,
        severity: Severity::parse(&m.severity).unwrap_or_default(),
        exceptions: strings(&m.exceptions),
        phrase: m.phrase,
        note: m.note,
        builtin: m.builtin,
        enabled: m.enabled,
        allowed: RedLineAllowed::default(),
    }
}
