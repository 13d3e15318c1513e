//! Board moves: fractional positions within a column, each stage change a transition row.

use chrono::Utc;
use kox_domain::content::{
    self as c, ContentAction, ContentChecks, ContentItem, MoveKind, ReviewState, Stage, Transition,
};
use kox_domain::{ContentId, UserId, WorkspaceId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, FromQueryResult, QueryFilter, QueryOrder, Value as DbValue,
};
use serde_json::json;

use super::{
    Context, ReviewAction, compute_checks, on_board, permit, stage_of, to_item,
    transition_statement,
};
use crate::Caller;
use crate::db::Tx;
use crate::dialect::{self, stmt};
use crate::entities::{content_item, content_transition};
use crate::error::invalid;
use crate::events::{NewEvent, write_with_event};
use crate::scoped;
use crate::{Result, Store, StoreError};

#[derive(Debug, FromQueryResult)]
struct MoveRow {
    owns: i64,
    account_platform: Option<String>,
    campaign_hashtags: Option<String>,
    after_position: Option<f64>,
    next_position: Option<f64>,
    column_end: Option<f64>,
}

impl Store {
    /// Moves an item to `to`, after `after` in that column (`None` = top). A move to 审核 is a
    /// submission; 审核 → 稿件 withdraws the pending round; 发布 → 稿件 pulls an approved item
    /// back (it must be reviewed again).
    pub async fn move_content(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: ContentId,
        to: Stage,
        after: Option<ContentId>,
    ) -> Result<ContentItem> {
        let (me, role) = on_board(caller)?;
        if after == Some(id) {
            return Err(invalid(
                "after_id",
                "content.neighbour_moved",
                "an item cannot follow itself",
            ));
        }
        let cfg = self.workspace_config(ws).await?;
        let txn = self.begin().await?;
        let engine = self.engine();
        Self::lock_column(&txn, ws, to).await?;
        // One statement reads the item, whether the mover owns its account, what the checks
        // need (platform, campaign hashtags), the neighbours' positions in the target column and
        // the last place given out at its end (`board_columns`).
        let after_sub = "(SELECT a.position FROM content_items a WHERE a.id = ? AND a.workspace_id = ? AND a.stage = ?)";
        let lock = dialect::row_lock(engine, "i");
        let next_cond = if after.is_some() {
            format!("AND n.position > {after_sub}")
        } else {
            String::new()
        };
        let sql = format!(
            "SELECT i.*, \
             (SELECT COUNT(*) FROM account_owners o WHERE o.account_id = i.account_id AND o.user_id = ?) AS owns, \
             (SELECT ac.platform FROM accounts ac WHERE ac.id = i.account_id) AS account_platform, \
             (SELECT CAST(cp.required_hashtags AS TEXT) FROM campaigns cp WHERE cp.id = i.campaign_id) AS campaign_hashtags, \
             {after_sub} AS after_position, \
             (SELECT MIN(n.position) FROM content_items n WHERE n.workspace_id = ? AND n.stage = ? AND n.id <> i.id {next_cond}) AS next_position, \
             (SELECT bc.last_position FROM board_columns bc WHERE bc.workspace_id = ? AND bc.stage = ?) AS column_end \
             FROM content_items i WHERE i.id = ? AND i.workspace_id = ?{lock}"
        );
        let after_id = after.map_or(-1, |a| a.0);
        let mut values: Vec<DbValue> = vec![
            me.0.into(),
            after_id.into(),
            ws.0.into(),
            to.as_str().into(),
            ws.0.into(),
            to.as_str().into(),
        ];
        if after.is_some() {
            values.extend([after_id.into(), ws.0.into(), to.as_str().into()]);
        }
        values.extend([ws.0.into(), to.as_str().into(), id.0.into(), ws.0.into()]);
        let raw = txn
            .query_one_raw(stmt(engine, &sql, values))
            .await?
            .ok_or(StoreError::NotFound)?;
        let model = content_item::Model::from_query_result(&raw, "")?;
        let row = MoveRow::from_query_result(&raw, "")?;
        let from = stage_of(&model.stage)?;
        let owns = row.owns > 0;
        if after.is_some() && row.after_position.is_none() {
            return Err(StoreError::Conflict {
                params: serde_json::Map::new(),
                code: "content.neighbour_moved",
                field: "after_id".into(),
                message:
                    "the card to place this one after is no longer in that column; reload the board"
                        .into(),
            });
        }
        let kind = c::check_move(
            from,
            to,
            cfg.settings.approval.mode,
            model.account_id.is_some(),
        )?;
        // The workflow's answer first: an illegal step is illegal for everyone.
        permit(
            &txn,
            ws,
            role,
            ContentAction::Move { to },
            from,
            owns,
            model.account_id,
        )
        .await?;
        if kind == MoveKind::Submit {
            drop(txn);
            return self
                .review_content(caller, ws, id, ReviewAction::Submit, None)
                .await;
        }
        if kind == MoveKind::Withdraw {
            drop(txn);
            return self
                .review_content(caller, ws, id, ReviewAction::Withdraw, None)
                .await;
        }
        let ctx = Context {
            platform: row.account_platform,
            required_hashtags: row
                .campaign_hashtags
                .and_then(|h| serde_json::from_str(&h).ok())
                .unwrap_or_default(),
            ..Context::default()
        };
        let mut item = to_item(model, ContentChecks::default())?;
        let checks = compute_checks(&cfg, &item.draft(), &ctx);
        if (from, to) == (Stage::Draft, Stage::Publish) && checks.blocking {
            return Err(invalid(
                "body",
                "content.red_line_block",
                "red-line hits must be fixed before publishing",
            ));
        }
        // A card placed last goes past the last place given out at the column's end too, which
        // a card created meanwhile may hold (the column's row is locked now: none can be).
        let at_end = row.next_position.is_none();
        let prev = if at_end {
            match (row.after_position, row.column_end) {
                (Some(a), Some(e)) => Some(a.max(e)),
                (a, e) => a.or(e),
            }
        } else {
            row.after_position
        };
        let position = if let Some(p) = c::position_between(prev, row.next_position) {
            p
        } else {
            Self::renumber(&txn, ws, to).await?;
            let (prev, next) = Self::neighbours(&txn, ws, to, id, after).await?;
            c::position_between(prev, next).unwrap_or(0.0)
        };
        let now = Utc::now();
        let review_state = match kind {
            MoveKind::PullBack => Some(ReviewState::None),
            _ => None,
        };
        let mut sql = String::from(
            "UPDATE content_items SET stage = ?, position = ?, version = version + 1, updated_at = ?",
        );
        let mut values: Vec<DbValue> = vec![to.as_str().into(), position.into(), now.into()];
        if let Some(rs) = review_state {
            sql.push_str(", review_state = ?");
            values.push(rs.as_str().into());
        }
        sql.push_str(" WHERE id = ? AND workspace_id = ?");
        values.extend([id.0.into(), ws.0.into()]);
        let mut batch = vec![(sql, values)];
        if at_end {
            batch.push(super::column_reached(ws, to, position));
        }
        if from != to {
            batch.push(transition_statement(ws, id.0, Some(from), to, caller, now));
        }
        write_with_event(
            &txn,
            caller,
            NewEvent::change(ws, "content_item", Some(id.0), "content.moved")
                .before(json!({"stage": from, "position": item.position}))
                .after(json!({"stage": to, "position": position, "after_id": after})),
            batch,
        )
        .await?;
        if from != to && (to == Stage::Cancelled || from == Stage::Cancelled) {
            super::notices::sync_reminder(&txn, ws, id.0, to, item.planned_at).await?;
        }
        self.commit(txn).await?;
        item.stage = to;
        item.position = position;
        item.version += 1;
        item.updated_at = now;
        if let Some(rs) = review_state {
            item.review_state = rs;
        }
        item.checks = checks;
        Ok(item)
    }

    /// Spreads a column's cards out again (when halving runs out of room between two), and
    /// records the new last place at the column's end.
    async fn renumber(db: &Tx, ws: WorkspaceId, stage: Stage) -> Result<()> {
        let ids: Vec<i64> = scoped::in_ws::<content_item::Entity>(ws)
            .filter(content_item::Column::Stage.eq(stage.as_str()))
            .order_by_asc(content_item::Column::Position)
            .order_by_asc(content_item::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect();
        let mut last = 0.0;
        for (i, id) in ids.into_iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let p = (i as f64 + 1.0) * c::POSITION_STEP;
            scoped::update_in::<content_item::Entity>(ws)
                .col_expr(content_item::Column::Position, Expr::value(p))
                .filter(content_item::Column::Id.eq(id))
                .exec(db)
                .await?;
            last = p;
        }
        let (sql, values) = super::column_reached(ws, stage, last);
        db.execute_raw(stmt(dialect::engine_of(db), &sql, values))
            .await?;
        Ok(())
    }

    async fn neighbours(
        db: &Tx,
        ws: WorkspaceId,
        stage: Stage,
        id: ContentId,
        after: Option<ContentId>,
    ) -> Result<(Option<f64>, Option<f64>)> {
        let rows = scoped::in_ws::<content_item::Entity>(ws)
            .filter(content_item::Column::Stage.eq(stage.as_str()))
            .filter(content_item::Column::Id.ne(id.0))
            .order_by_asc(content_item::Column::Position)
            .order_by_asc(content_item::Column::Id)
            .all(db)
            .await?;
        let idx = match after {
            None => 0,
            Some(a) => rows
                .iter()
                .position(|r| r.id == a.0)
                .map_or(rows.len(), |i| i + 1),
        };
        Ok((
            idx.checked_sub(1)
                .and_then(|i| rows.get(i))
                .map(|r| r.position),
            rows.get(idx).map(|r| r.position),
        ))
    }

    /// Every stage change of an item, oldest first.
    pub async fn list_transitions(
        &self,
        ws: WorkspaceId,
        id: ContentId,
    ) -> Result<Vec<Transition>> {
        let rows = scoped::in_ws::<content_transition::Entity>(ws)
            .filter(content_transition::Column::ItemId.eq(id.0))
            .order_by_asc(content_transition::Column::Id)
            .all(&self.read)
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok(Transition {
                    from: r.from_stage.as_deref().map(stage_of).transpose()?,
                    to: stage_of(&r.to_stage)?,
                    actor_id: r.actor_id.map(UserId),
                    at: r.created_at,
                })
            })
            .collect()
    }
}
