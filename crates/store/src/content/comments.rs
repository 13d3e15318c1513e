//! Comments on content items, with @mentions of members.

use std::collections::HashMap;

use chrono::Utc;
use kox_domain::content::{self as c, Comment, ContentAction};
use kox_domain::{ContentId, UserId, WorkspaceId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use super::{forbidden_unless, on_board, stage_of};
use crate::Caller;
use crate::entities::{content_comment, content_item};
use crate::error::invalid;
use crate::events::{NewEvent, record};
use crate::scoped;
use crate::{Result, Store};

fn to_comment(m: content_comment::Model, names: &HashMap<i64, String>) -> Comment {
    Comment {
        id: m.id,
        author_id: m.author_id,
        author_name: m.author_id.and_then(|a| names.get(&a).cloned()),
        mentions: serde_json::from_value(m.mentions).unwrap_or_default(),
        body: m.body,
        created_at: m.created_at,
    }
}

impl Store {
    pub async fn list_comments(&self, ws: WorkspaceId, id: ContentId) -> Result<Vec<Comment>> {
        Self::load_row(&self.read, ws, id).await?;
        let rows = scoped::in_ws::<content_comment::Entity>(ws)
            .filter(content_comment::Column::ItemId.eq(id.0))
            .order_by_asc(content_comment::Column::Id)
            .all(&self.read)
            .await?;
        let names = self
            .user_names(rows.iter().filter_map(|r| r.author_id))
            .await?;
        Ok(rows.into_iter().map(|r| to_comment(r, &names)).collect())
    }

    pub async fn add_comment(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: ContentId,
        body: &str,
        mentions: &[UserId],
    ) -> Result<Comment> {
        let (me, role) = on_board(caller)?;
        let body = kox_domain::validation::text("body", body, 1, 2000)?;
        let mut mentions: Vec<i64> = mentions.iter().map(|u| u.0).collect();
        mentions.sort_unstable();
        mentions.dedup();
        if mentions.len() > 50 {
            return Err(invalid(
                "mentions",
                "validation.too_many",
                "at most 50 mentions",
            ));
        }
        // Read before the transaction: on PostgreSQL reads share the writers' pool, and a
        // transaction that waits for a second connection while 16 others wait for its row lock
        // would wait for the pool's timeout.
        let tz = self.workspace_config(ws).await?.time_zone.clone();
        let names = self.user_names(std::iter::once(me.0)).await?;
        let txn = self.begin().await?;
        let row = Self::lock_row(&txn, ws, id).await?;
        forbidden_unless(c::may(
            role,
            ContentAction::Comment,
            stage_of(&row.stage)?,
            false,
        ))?;
        if let Some(bad) = Self::non_members(&txn, ws, &mentions).await?.first() {
            let i = mentions.iter().position(|m| m == bad).unwrap_or(0);
            return Err(invalid(
                format!("mentions.{i}"),
                "content.mention_not_member",
                "you can only mention members of the workspace",
            ));
        }
        let now = Utc::now();
        let m = content_comment::ActiveModel {
            workspace_id: Set(ws.0),
            item_id: Set(id.0),
            author_id: Set(me.0.into()),
            body: Set(body.clone()),
            mentions: Set(json!(mentions)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        scoped::update_in::<content_item::Entity>(ws)
            .col_expr(
                content_item::Column::Comments,
                Expr::col(content_item::Column::Comments).add(1),
            )
            .filter(content_item::Column::Id.eq(id.0))
            .exec(&txn)
            .await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "content_item", Some(id.0), "content.commented")
                .after(json!({"comment_id": m.id, "body": body, "mentions": mentions})),
        )
        .await?;
        super::notices::mentioned(&txn, caller, ws, &tz, &row, &mentions, &body).await?;
        self.commit(txn).await?;
        Ok(to_comment(m, &names))
    }
}
