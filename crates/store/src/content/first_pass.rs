//! The first-pass rate (一次通过率) per person, account, campaign or overall, from the review records.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kox_domain::WorkspaceId;
use kox_domain::content::{self as c, Decision, FirstPassRow, FirstRound};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};

use crate::entities::{account, content_item, content_review};
use crate::scoped;
use crate::{Result, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstPassBy {
    Person,
    Account,
    Campaign,
    All,
}

impl Store {
    /// First-pass rate per person (the submitter), account, campaign or overall, over the items
    /// whose first review ended within `[from, to]` (workspace-local dates, given as UTC bounds).
    pub async fn first_pass(
        &self,
        ws: WorkspaceId,
        by: FirstPassBy,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<FirstPassRow>> {
        let rows = scoped::in_ws::<content_review::Entity>(ws)
            .filter(content_review::Column::EndsRound.eq(true))
            .order_by_asc(content_review::Column::ItemId)
            .order_by_asc(content_review::Column::Round)
            .all(&self.read)
            .await?;
        // Each item's first ended round.
        let mut first: Vec<content_review::Model> = Vec::new();
        for r in rows {
            if first.last().is_none_or(|f| f.item_id != r.item_id) {
                first.push(r);
            }
        }
        first.retain(|r| {
            r.decided_at
                .is_some_and(|d| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d < t))
        });
        let items: HashMap<i64, content_item::Model> = if first.is_empty() {
            HashMap::new()
        } else {
            scoped::in_ws::<content_item::Entity>(ws)
                .filter(content_item::Column::Id.is_in(first.iter().map(|r| r.item_id)))
                .all(&self.read)
                .await?
                .into_iter()
                .map(|m| (m.id, m))
                .collect()
        };
        let labels: HashMap<i64, String> = match by {
            FirstPassBy::Person => {
                self.user_names(first.iter().filter_map(|r| r.requester_id))
                    .await?
            }
            FirstPassBy::Account => scoped::in_ws::<account::Entity>(ws)
                .all(&self.read)
                .await?
                .into_iter()
                .map(|a| (a.id, a.display_name))
                .collect(),
            FirstPassBy::Campaign => scoped::in_ws::<crate::entities::campaign::Entity>(ws)
                .all(&self.read)
                .await?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect(),
            FirstPassBy::All => HashMap::new(),
        };
        let rounds: Vec<FirstRound> = first
            .iter()
            .map(|r| {
                let item = items.get(&r.item_id);
                let key = match by {
                    FirstPassBy::Person => r.requester_id,
                    FirstPassBy::Account => item.and_then(|i| i.account_id),
                    FirstPassBy::Campaign => item.and_then(|i| i.campaign_id),
                    FirstPassBy::All => Some(0),
                };
                let (key, label) = match (by, key) {
                    (FirstPassBy::All, _) => ("all".to_owned(), "全部".to_owned()),
                    (_, Some(k)) => (k.to_string(), labels.get(&k).cloned().unwrap_or_default()),
                    (_, None) => ("none".to_owned(), "未指定".to_owned()),
                };
                FirstRound {
                    key,
                    label,
                    approved: matches!(
                        Decision::parse(&r.decision),
                        Some(Decision::Approved | Decision::Overridden)
                    ),
                }
            })
            .collect();
        Ok(c::first_pass_rates(&rounds))
    }
}
