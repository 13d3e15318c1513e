//! The board view: each column's cards, filtered, one page per column, written as JSON by the
//! database.

use chrono::{DateTime, NaiveDate, Utc};
use kox_domain::accounts::Tier;
use kox_domain::content::{Board, BoardAllowed, BoardColumn, Cards, Stage};
use kox_domain::custom_fields::FieldEntity;
use kox_domain::{AccountId, CampaignId, UserId, WorkspaceId};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait};

use crate::dialect::{card_json, json_array_of_cards, like_pattern, tag_condition};
use crate::entities::{account, content_item};
use crate::{Result, Store};

/// Board filters; the page is per column.
#[derive(Debug, Clone, Default)]
pub struct BoardFilter {
    pub account: Option<AccountId>,
    pub tier: Option<Tier>,
    pub platform: Option<String>,
    pub campaign: Option<CampaignId>,
    pub assignee: Option<UserId>,
    pub tag: Option<String>,
    pub q: Option<String>,
    /// Items assigned to, created by, or on an account owned by this user.
    pub mine: Option<UserId>,
    pub overdue: bool,
    /// Show the cancelled column too.
    pub cancelled: bool,
    pub custom: Vec<(String, String)>,
    /// Only this column (to page through one column).
    pub stage: Option<Stage>,
    pub limit: u64,
    pub offset: u64,
}

impl Store {
    /// The board: each column's cards in order (a page per column) and its total under the
    /// filters. Cards carry the check summary stored at their last save.
    pub async fn board(
        &self,
        ws: WorkspaceId,
        f: &BoardFilter,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Board> {
        let cfg = self.workspace_config(ws).await?;
        let settings = &cfg.settings;
        let mut stages: Vec<Stage> = Stage::BOARD.to_vec();
        if f.cancelled {
            stages.push(Stage::Cancelled);
        }
        if let Some(s) = f.stage {
            stages = vec![s];
        }
        let ci = content_item::Entity;
        let col = |c: content_item::Column| Expr::col((ci, c));
        let mut cond = Condition::all()
            .add(col(content_item::Column::WorkspaceId).eq(ws.0))
            .add(col(content_item::Column::Stage).is_in(stages.iter().map(|s| s.as_str())));
        if let Some(a) = f.account {
            cond = cond.add(col(content_item::Column::AccountId).eq(a.0));
        }
        if let Some(t) = f.tier {
            cond = cond.add(Expr::col((account::Entity, account::Column::Tier)).eq(t.as_str()));
        }
        if let Some(p) = &f.platform {
            cond = cond.add(Expr::col((account::Entity, account::Column::Platform)).eq(p.as_str()));
        }
        if let Some(cid) = f.campaign {
            cond = cond.add(col(content_item::Column::CampaignId).eq(cid.0));
        }
        if let Some(u) = f.assignee {
            cond = cond.add(col(content_item::Column::AssigneeId).eq(u.0));
        }
        if let Some(t) = f.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            cond = cond.add(tag_condition(
                self.engine(),
                "content_items",
                t.trim_start_matches('#'),
            ));
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let like = like_pattern(q);
            cond = cond.add(
                Expr::expr(Func::lower(col(content_item::Column::Title)))
                    .like(sea_orm::sea_query::LikeExpr::new(like).escape('\\')),
            );
        }
        if let Some(me) = f.mine {
            let owned = Query::select()
                .column(crate::entities::account_owner::Column::AccountId)
                .from(crate::entities::account_owner::Entity)
                .and_where(crate::entities::account_owner::Column::WorkspaceId.eq(ws.0))
                .and_where(crate::entities::account_owner::Column::UserId.eq(me.0))
                .to_owned();
            cond = cond.add(
                Condition::any()
                    .add(col(content_item::Column::AssigneeId).eq(me.0))
                    .add(col(content_item::Column::CreatedBy).eq(me.0))
                    .add(col(content_item::Column::AccountId).in_subquery(owned)),
            );
        }
        if f.overdue {
            cond = cond
                .add(
                    col(content_item::Column::Stage).is_in(["topic", "draft", "review", "publish"]),
                )
                .add(
                    Condition::any()
                        .add(col(content_item::Column::DueOn).lt(today))
                        .add(col(content_item::Column::PlannedAt).lt(now)),
                );
        }
        if !f.custom.is_empty() {
            cond = cond.add(
                self.custom_filters(ws, FieldEntity::ContentItem, "content_items", &f.custom)
                    .await?,
            );
        }
        let limit = f.limit.clamp(1, 2000);
        let mut columns: Vec<BoardColumn> = Vec::with_capacity(stages.len());
        let mut page_lengths: Vec<u64> = Vec::with_capacity(stages.len());
        // One indexed walk per column in (position, id) order, one page each (a column of 20,000
        // closed items costs a page, not a scan); the database writes each page as one JSON
        // array, so no row crosses the driver one by one; and all columns are one statement — one
        // snapshot, so a card moved while the board is read is in exactly one column.
        let engine = self.engine();
        let mut board = Query::select();
        for (i, stage) in stages.iter().enumerate() {
            let page = Query::select()
                .expr_as(card_json(engine, today, now), "card")
                .expr_as(Expr::col((ci, content_item::Column::Position)), "pos")
                .expr_as(Expr::col((ci, content_item::Column::Id)), "iid")
                .from(ci)
                .left_join(
                    account::Entity,
                    Expr::col((account::Entity, account::Column::Id))
                        .equals((ci, content_item::Column::AccountId)),
                )
                .cond_where(cond.clone())
                .and_where(col(content_item::Column::Stage).eq(stage.as_str()))
                .order_by((ci, content_item::Column::Position), Order::Asc)
                .order_by((ci, content_item::Column::Id), Order::Asc)
                .limit(limit)
                .offset(f.offset)
                .to_owned();
            let column = Query::select()
                .expr_as(Expr::cust("COUNT(*)"), "n")
                .expr_as(Expr::cust(json_array_of_cards(engine)), "cards")
                .from_subquery(page, Alias::new("t"))
                .to_owned();
            // Each part is an aggregate: exactly one row, so the parts join as one row.
            let c = format!("c{i}");
            board
                .expr_as(Expr::cust(format!("{c}.n")), Alias::new(format!("n{i}")))
                .expr_as(
                    Expr::cust(format!("{c}.cards")),
                    Alias::new(format!("cards{i}")),
                )
                .from_subquery(column, Alias::new(c));
        }
        let row = self
            .read
            .query_one(&board)
            .await?
            .ok_or_else(|| crate::db::other("the board query returned no row".into()))?;
        for (i, stage) in stages.iter().enumerate() {
            let n: i64 = row.try_get("", &format!("n{i}"))?;
            let cards: String = row.try_get("", &format!("cards{i}"))?;
            let raw = serde_json::value::RawValue::from_string(cards)
                .map_err(|e| crate::db::other(format!("board JSON: {e}")))?;
            page_lengths.push(u64::try_from(n).unwrap_or(0));
            columns.push(BoardColumn {
                stage: *stage,
                name: settings.name(*stage).to_owned(),
                total: n,
                wip_limit: settings.wip_limits.get(stage).copied(),
                items: Cards::Json(raw),
            });
        }
        // A column's total is its page's length unless the page may not be all of it.
        let partial = f.offset > 0 || page_lengths.iter().any(|n| *n >= limit);
        if partial {
            let counts = Query::select()
                .column((ci, content_item::Column::Stage))
                .expr_as(Expr::cust("COUNT(*)"), "n")
                .from(ci)
                .left_join(
                    account::Entity,
                    Expr::col((account::Entity, account::Column::Id))
                        .equals((ci, content_item::Column::AccountId)),
                )
                .cond_where(cond)
                .group_by_col((ci, content_item::Column::Stage))
                .to_owned();
            for r in self.read.query_all(&counts).await? {
                let stage: String = r.try_get("", "stage")?;
                let n: i64 = r.try_get("", "n")?;
                if let Some(column) = columns.iter_mut().find(|c| c.stage.as_str() == stage) {
                    column.total = n;
                }
            }
        }
        Ok(Board {
            columns,
            allowed: BoardAllowed::default(),
        })
    }
}
