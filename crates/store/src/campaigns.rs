//! Campaigns: create, list, edit with field-level optimistic concurrency.

use chrono::Utc;
use kox_domain::campaigns::{Campaign, CampaignDraft, CampaignPatch, CampaignStatus};
use kox_domain::custom_fields::FieldEntity;
use kox_domain::{CampaignId, WorkspaceId};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use serde_json::{Map, Value};

use crate::Caller;
use crate::custom_fields::check_values;
use crate::db::Tx;
use crate::entities::campaign;
use crate::events::{NewEvent, json_of, record};
use crate::lists::Sort;
use crate::scoped;
use crate::versioning::{Loaded, Stamp, VersionedTable};
use crate::{Listed, Page, Result, Store, StoreError};
use sea_orm::sea_query::Order;

#[derive(Debug, Clone, Default)]
pub struct CampaignFilter {
    pub status: Option<CampaignStatus>,
    pub q: Option<String>,
    pub page: Page,
}

fn to_campaign(m: campaign::Model) -> Result<Campaign> {
    Ok(Campaign {
        id: CampaignId(m.id),
        name: m.name,
        theme: m.theme,
        starts_on: m.starts_on,
        ends_on: m.ends_on,
        budget_fen: kox_domain::campaigns::Fen(m.budget_fen),
        budget_by_tier: serde_json::from_value(m.budget_by_tier).unwrap_or_default(),
        currency: m.currency,
        required_hashtags: serde_json::from_value(m.required_hashtags).unwrap_or_default(),
        embargo_at: m.embargo_at,
        target_kpis: m.target_kpis,
        status: CampaignStatus::parse(&m.status).ok_or_else(|| {
            crate::db::other(format!(
                "stored campaign status {:?} is not known",
                m.status
            ))
        })?,
        custom: match m.custom {
            Value::Object(o) => o,
            _ => Map::new(),
        },
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn fill(am: &mut campaign::ActiveModel, d: &CampaignDraft) {
    am.name = Set(d.name.clone());
    am.theme = Set(d.theme.clone());
    am.starts_on = Set(d.starts_on);
    am.ends_on = Set(d.ends_on);
    am.budget_fen = Set(d.budget_fen.0);
    am.budget_by_tier = Set(serde_json::to_value(&d.budget_by_tier).unwrap_or_default());
    am.currency = Set(d.currency.clone());
    am.required_hashtags = Set(serde_json::to_value(&d.required_hashtags).unwrap_or_default());
    am.embargo_at = Set(d.embargo_at);
    am.target_kpis = Set(d.target_kpis.clone());
    am.status = Set(d.status.as_str().into());
    am.custom = Set(Value::Object(d.custom.clone()));
}

impl Store {
    pub async fn list_campaigns(
        &self,
        ws: WorkspaceId,
        f: &CampaignFilter,
    ) -> Result<Listed<Campaign>> {
        let mut cond = Condition::all();
        if let Some(s) = f.status {
            cond = cond.add(campaign::Column::Status.eq(s.as_str()));
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            cond = cond.add(
                Condition::any()
                    .add(campaign::Column::Name.contains(q))
                    .add(campaign::Column::Theme.contains(q)),
            );
        }
        let mut q = scoped::in_ws::<campaign::Entity>(ws).filter(cond);
        let counted = q.clone();
        let list = self.list_key(
            ws,
            format!(
                "campaigns {:?}",
                CampaignFilter {
                    page: Page::default(),
                    ..f.clone()
                }
            ),
        );
        let total = self
            .cached_total(&list, async { Ok(counted.count(&self.read).await?) })
            .await?;
        let sort = Sort {
            columns: &[campaign::Column::StartsOn, campaign::Column::Id],
            order: Order::Desc,
        };
        let start = self.page_start(&list, &sort, f.page.offset);
        if let Some(from) = start.from {
            q = q.filter(from);
        }
        for c in sort.columns {
            q = q.order_by(*c, sort.order.clone());
        }
        let items = q
            .limit(f.page.limit)
            .offset(start.offset)
            .all(&self.read)
            .await?
            .into_iter()
            .map(to_campaign)
            .collect::<Result<Vec<_>>>()?;
        self.remember_page(
            &list,
            f.page.offset,
            items
                .iter()
                .map(|c| vec![c.starts_on.into(), c.id.0.into()]),
        );
        Ok(Listed { items, total })
    }

    pub async fn get_campaign(&self, ws: WorkspaceId, id: CampaignId) -> Result<Campaign> {
        scoped::by_id::<campaign::Entity>(ws, id.0)
            .one(&self.read)
            .await?
            .ok_or(StoreError::NotFound)
            .and_then(to_campaign)
    }

    pub async fn create_campaign(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        draft: CampaignDraft,
    ) -> Result<Campaign> {
        let mut d = draft.validate()?;
        let txn = self.begin().await?;
        d.custom = check_values(&txn, ws, FieldEntity::Campaign, &Map::new(), &d.custom).await?;
        let now = Utc::now();
        let mut am = campaign::ActiveModel {
            workspace_id: Set(ws.0),
            version: Set(1),
            field_versions: Set(serde_json::json!({})),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        fill(&mut am, &d);
        let m = am.insert(&txn).await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "campaign", Some(m.id), "campaign.created").after(json_of(&d)),
        )
        .await?;
        let out = to_campaign(m)?;
        self.commit(txn).await?;
        Ok(out)
    }

    pub async fn update_campaign(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: CampaignId,
        patch: CampaignPatch,
    ) -> Result<Campaign> {
        self.update_versioned(caller, ws, id.0, patch, &mut CampaignEdit)
            .await
    }
}

/// A campaign edit: no rules beyond the draft's own validation.
struct CampaignEdit;

impl VersionedTable for CampaignEdit {
    type Draft = CampaignDraft;
    type Record = Campaign;
    type Row = campaign::Model;
    const ENTITY: &'static str = "campaign";
    const FIELDS: FieldEntity = FieldEntity::Campaign;

    async fn load(&mut self, txn: &Tx, ws: WorkspaceId, id: i64) -> Result<Loaded<Self>> {
        let row = scoped::by_id::<campaign::Entity>(ws, id)
            .one(txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let record = to_campaign(row.clone())?;
        Ok(Loaded {
            draft: record.draft(),
            version: row.version,
            field_versions: row.field_versions.clone(),
            record,
            row,
        })
    }

    async fn write(
        &mut self,
        txn: &Tx,
        _ws: WorkspaceId,
        row: campaign::Model,
        next: &CampaignDraft,
        _changed: &[&'static str],
        stamp: Stamp,
    ) -> Result<Campaign> {
        let mut am: campaign::ActiveModel = row.into();
        fill(&mut am, next);
        am.version = Set(stamp.version);
        am.field_versions = Set(stamp.field_versions);
        am.updated_at = Set(stamp.at);
        to_campaign(am.update(txn).await?)
    }

    fn action(&self, _: &CampaignDraft, _: &CampaignDraft, _: &[&'static str]) -> &'static str {
        "campaign.updated"
    }
}
