//! The calendar's settings: schedule rules (on the workspace row), recurring slots, and the
//! years of holidays a workspace loaded or edited.

use chrono::Utc;
use kox_domain::WorkspaceId;
use kox_domain::calendar::holidays::{self, HolidaySource, HolidayYear};
use kox_domain::calendar::rules::ClockTime;
use kox_domain::calendar::slots::{RecurringSlot, RecurringSlotDraft};
use kox_domain::calendar::{Holiday, ScheduleRules};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use super::as_json;
use crate::Caller;
use crate::config::WorkspaceConfig;
use crate::entities::{account, holiday_year, recurring_slot, workspace};
use crate::error::invalid;
use crate::events::{NewEvent, record};
use crate::scoped;
use crate::{Result, Store, StoreError};

fn known_platform(cfg: &WorkspaceConfig, field: &str, code: Option<&str>) -> Result<()> {
    match code {
        Some(p) if !cfg.platforms.contains_key(p) => Err(invalid(
            field,
            "accounts.unknown_platform",
            format!("there is no platform {p:?} in this workspace"),
        )),
        _ => Ok(()),
    }
}

fn to_slot(m: recurring_slot::Model) -> RecurringSlot {
    RecurringSlot::new(
        m.id,
        RecurringSlotDraft {
            name: m.name,
            rrule: m.rrule,
            time: ClockTime::parse("time", &m.time_of_day).unwrap_or(ClockTime::hm(20, 0)),
            starts_on: m.starts_on,
            time_zone: m.time_zone,
            account_id: m.account_id.map(kox_domain::AccountId),
            tier: m
                .tier
                .as_deref()
                .and_then(kox_domain::accounts::Tier::parse),
            platform: m.platform,
            enabled: m.enabled,
        },
        m.created_at,
        m.updated_at,
    )
}

impl Store {
    pub async fn schedule_rules(&self, ws: WorkspaceId) -> Result<ScheduleRules> {
        Ok(self.workspace_config(ws).await?.schedule_rules.clone())
    }

    pub async fn set_schedule_rules(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        rules: ScheduleRules,
    ) -> Result<ScheduleRules> {
        let rules = rules.validate()?;
        let cfg = self.workspace_config(ws).await?;
        for (i, w) in rules.quiet_hours.windows.iter().enumerate() {
            known_platform(
                &cfg,
                &format!("quiet_hours.windows.{i}.platform"),
                w.platform.as_deref(),
            )?;
        }
        let before = cfg.schedule_rules.clone();
        if before == rules {
            return Ok(rules);
        }
        let txn = self.begin().await?;
        scoped::update_install_wide::<workspace::Entity>()
            .col_expr(
                workspace::Column::ScheduleRules,
                Expr::value(as_json(&rules)),
            )
            .filter(workspace::Column::Id.eq(ws.0))
            .exec(&txn)
            .await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "schedule_rules", None, "schedule_rules.updated")
                .before(as_json(&before))
                .after(as_json(&rules)),
        )
        .await?;
        self.commit(txn).await?;
        Ok(rules)
    }

    pub async fn list_recurring_slots(&self, ws: WorkspaceId) -> Result<Vec<RecurringSlot>> {
        Ok(scoped::in_ws::<recurring_slot::Entity>(ws)
            .order_by_asc(recurring_slot::Column::Id)
            .all(&self.read)
            .await?
            .into_iter()
            .map(to_slot)
            .collect())
    }

    async fn checked_slot(
        &self,
        ws: WorkspaceId,
        d: RecurringSlotDraft,
    ) -> Result<RecurringSlotDraft> {
        let cfg = self.workspace_config(ws).await?;
        let d = d.validate(&cfg.time_zone)?;
        known_platform(&cfg, "platform", d.platform.as_deref())?;
        if let Some(a) = d.account_id
            && scoped::by_id::<account::Entity>(ws, a.0)
                .one(&self.read)
                .await?
                .is_none()
        {
            return Err(invalid(
                "account_id",
                "content.unknown_account",
                "there is no such account in this workspace",
            ));
        }
        Ok(d)
    }

    /// Creates (`id` none) or replaces a recurring slot.
    pub async fn save_recurring_slot(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: Option<i64>,
        d: RecurringSlotDraft,
    ) -> Result<RecurringSlot> {
        let d = self.checked_slot(ws, d).await?;
        let now = Utc::now();
        let txn = self.begin().await?;
        let mut am = match id {
            Some(id) => scoped::by_id::<recurring_slot::Entity>(ws, id)
                .one(&txn)
                .await?
                .ok_or(StoreError::NotFound)?
                .into(),
            None => recurring_slot::ActiveModel {
                workspace_id: Set(ws.0),
                created_at: Set(now),
                ..Default::default()
            },
        };
        am.name = Set(d.name.clone());
        am.rrule = Set(d.rrule.clone());
        am.time_of_day = Set(d.time.to_string());
        am.starts_on = Set(d.starts_on);
        am.time_zone = Set(d.time_zone.clone());
        am.account_id = Set(d.account_id.map(|a| a.0));
        am.tier = Set(d.tier.map(|t| t.as_str().to_owned()));
        am.platform = Set(d.platform.clone());
        am.enabled = Set(d.enabled);
        am.updated_at = Set(now);
        let m = if id.is_some() {
            am.update(&txn).await?
        } else {
            am.insert(&txn).await?
        };
        let action = if id.is_some() {
            "recurring_slot.updated"
        } else {
            "recurring_slot.created"
        };
        record(
            &txn,
            caller,
            NewEvent::change(ws, "recurring_slot", Some(m.id), action).after(as_json(&d)),
        )
        .await?;
        self.commit(txn).await?;
        Ok(to_slot(m))
    }

    pub async fn delete_recurring_slot(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: i64,
    ) -> Result<()> {
        let txn = self.begin().await?;
        let m = scoped::by_id::<recurring_slot::Entity>(ws, id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        scoped::delete_in::<recurring_slot::Entity>(ws)
            .filter(recurring_slot::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "recurring_slot", Some(id), "recurring_slot.deleted")
                .before(json!({"name": m.name, "rrule": m.rrule})),
        )
        .await?;
        self.commit(txn).await
    }

    /// A year's holidays: the workspace's own, else what KOX ships, else none.
    pub async fn holiday_year(&self, ws: WorkspaceId, year: i32) -> Result<HolidayYear> {
        let year = holidays::check_year(year)?;
        let cfg = self.workspace_config(ws).await?;
        Ok(match cfg.holiday_years.get(&year) {
            Some(days) => HolidayYear {
                year,
                source: HolidaySource::Custom,
                days: days.clone(),
            },
            None => match holidays::default_year(year) {
                Some(days) => HolidayYear {
                    year,
                    source: HolidaySource::Default,
                    days,
                },
                None => HolidayYear {
                    year,
                    source: HolidaySource::None,
                    days: Vec::new(),
                },
            },
        })
    }

    /// Loads or edits a year (replacing it whole).
    pub async fn set_holiday_year(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        year: i32,
        days: Vec<Holiday>,
    ) -> Result<HolidayYear> {
        let days = holidays::validate_year(year, days)?;
        let before = self.holiday_year(ws, year).await?;
        let now = Utc::now();
        let txn = self.begin().await?;
        let existing = scoped::in_ws::<holiday_year::Entity>(ws)
            .filter(holiday_year::Column::Year.eq(i64::from(year)))
            .one(&txn)
            .await?;
        match existing {
            Some(m) => {
                let mut am: holiday_year::ActiveModel = m.into();
                am.days = Set(as_json(&days));
                am.updated_at = Set(now);
                am.update(&txn).await?;
            }
            None => {
                holiday_year::ActiveModel {
                    workspace_id: Set(ws.0),
                    year: Set(i64::from(year)),
                    days: Set(as_json(&days)),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
        record(
            &txn,
            caller,
            NewEvent::change(
                ws,
                "holiday_year",
                Some(i64::from(year)),
                "holidays.updated",
            )
            .before(json!({"count": before.days.len(), "source": before.source}))
            .after(json!({"count": days.len()})),
        )
        .await?;
        self.commit(txn).await?;
        Ok(HolidayYear {
            year,
            source: HolidaySource::Custom,
            days,
        })
    }

    /// Drops the workspace's own list of a year: KOX's default shows again.
    pub async fn reset_holiday_year(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        year: i32,
    ) -> Result<HolidayYear> {
        let year = holidays::check_year(year)?;
        let txn = self.begin().await?;
        let n = scoped::delete_in::<holiday_year::Entity>(ws)
            .filter(holiday_year::Column::Year.eq(i64::from(year)))
            .exec(&txn)
            .await?
            .rows_affected;
        if n > 0 {
            record(
                &txn,
                caller,
                NewEvent::change(ws, "holiday_year", Some(i64::from(year)), "holidays.reset"),
            )
            .await?;
        }
        self.commit(txn).await?;
        self.holiday_year(ws, year).await
    }
}
