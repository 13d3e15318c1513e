//! Board settings: column names, WIP limits and the approval mode.

use kox_domain::WorkspaceId;
use kox_domain::access::Role;
use kox_domain::content_settings::ContentSettings;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, QueryFilter};

use crate::Caller;
use crate::entities::{member, workspace};
use crate::error::invalid;
use crate::events::{NewEvent, json_of, record};
use crate::scoped;
use crate::{Result, Store, StoreError};

impl Store {
    pub async fn content_settings(&self, ws: WorkspaceId) -> Result<ContentSettings> {
        let w = scoped::install_wide_by_id::<workspace::Entity>(ws.0)
            .one(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(w.content_settings
            .and_then(|v| serde_json::from_value::<ContentSettings>(v).ok())
            .and_then(|s| s.validate().ok())
            .unwrap_or_default())
    }

    /// Approvers of multi-level steps must be members who may review.
    pub async fn update_content_settings(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        settings: ContentSettings,
    ) -> Result<ContentSettings> {
        let s = settings.validate()?;
        let txn = self.begin().await?;
        for (i, step) in s.approval.steps.iter().enumerate() {
            for (j, u) in step.approver_ids.iter().enumerate() {
                let m = scoped::in_ws::<member::Entity>(ws)
                    .filter(member::Column::UserId.eq(u.0))
                    .one(&txn)
                    .await?;
                let ok = m
                    .and_then(|m| Role::parse(&m.role))
                    .is_some_and(|r| r.can(kox_domain::access::Capability::ContentReview));
                if !ok {
                    return Err(invalid(
                        format!("approval.steps.{i}.approver_ids.{j}"),
                        "content.approver_cannot_review",
                        "an approver must be a member who may review (editor, director or admin)",
                    ));
                }
            }
        }
        let before = self.content_settings(ws).await?;
        scoped::update_install_wide::<workspace::Entity>()
            .col_expr(workspace::Column::ContentSettings, Expr::value(json_of(&s)))
            .filter(workspace::Column::Id.eq(ws.0))
            .exec(&txn)
            .await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "workspace", Some(ws.0), "content.settings_updated")
                .before(json_of(&before))
                .after(json_of(&s)),
        )
        .await?;
        self.commit(txn).await?;
        Ok(s)
    }
}
