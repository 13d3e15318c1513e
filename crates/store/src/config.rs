//! The per-workspace configuration every content write and check reads (red lines, board
//! settings, platform limits, content custom fields, time zone, accounts and campaigns), cached,
//! and the defaults a new workspace starts with.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use kox_domain::WorkspaceId;
use kox_domain::calendar::conflicts::Embargo;
use kox_domain::calendar::{Holiday, ScheduleRules};
use kox_domain::campaigns::Hashtag;
use kox_domain::content::checks::{Limits, PLATFORM_DEFAULTS};
use kox_domain::content_settings::ContentSettings;
use kox_domain::custom_fields::FieldEntity;
use kox_domain::red_lines::{BUILTIN_RED_LINES, RedLineRule, RedLineSet, Severity};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, Set};
use serde_json::json;

use crate::content::{hashtags, strings};
use crate::custom_fields::load_fields;
use crate::entities::{account, platform, red_line, workspace};
use crate::scoped;
use crate::{Result, Store};

/// Red lines, board settings and platform limits of one workspace, as the checks need them.
#[derive(Debug)]
pub(crate) struct WorkspaceConfig {
    pub(crate) red_lines: RedLineSet,
    pub(crate) settings: ContentSettings,
    /// platform code → (limits, URL patterns, display name)
    pub(crate) platforms: HashMap<String, (Limits, Vec<String>, String)>,
    /// Custom field definitions of content items.
    pub(crate) fields: Vec<kox_domain::custom_fields::CustomField>,
    /// The workspace's IANA time zone.
    pub(crate) time_zone: String,
    /// account id → (platform, archived, owner user ids): what a create checks.
    pub(crate) accounts: HashMap<i64, (String, bool, Vec<i64>)>,
    /// account id → (tier, handle, display name): what the calendar shows of each item's account.
    pub(crate) account_labels: HashMap<i64, (String, String, String)>,
    /// campaign id → required hashtags.
    pub(crate) campaigns: HashMap<i64, Vec<Hashtag>>,
    /// The schedule rules (排期规则).
    pub(crate) schedule_rules: ScheduleRules,
    /// campaign id → its embargo (T0), for the campaigns that have one.
    pub(crate) embargoes: HashMap<i64, Embargo>,
    /// The years of holidays the workspace loaded or edited (others are KOX's defaults).
    pub(crate) holiday_years: HashMap<i32, Vec<Holiday>>,
}

/// Whether a change to this kind of entity (an event's `entity_type`) can change a workspace's
/// cached configuration. Committing such a change here, or hearing of one from another node,
/// drops the cache.
pub(crate) fn depends_on(entity_type: &str) -> bool {
    matches!(
        entity_type,
        "red_line"
            | "workspace"
            | "platform"
            | "account"
            | "campaign"
            | "member"
            | "custom_field"
            | "schedule_rules"
            | "holiday_year"
    )
}

/// (epoch it was loaded at, when, the configuration)
type ConfigEntry = (u64, Instant, Arc<WorkspaceConfig>);

/// Configuration changes rarely and is read on every content write, so it is cached. An entry
/// is dropped when this process changes configuration (the epoch moves) or another node
/// notifies a change (PostgreSQL), and in any case after a short time.
#[derive(Debug, Default)]
pub(crate) struct ConfigCache {
    epoch: std::sync::atomic::AtomicU64,
    entries: Mutex<HashMap<i64, ConfigEntry>>,
}

const CONFIG_TTL: Duration = Duration::from_secs(10);

impl ConfigCache {
    pub(crate) fn invalidate(&self) {
        self.epoch.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }
    fn get(&self, ws: i64) -> Option<Arc<WorkspaceConfig>> {
        let epoch = self.epoch.load(std::sync::atomic::Ordering::Acquire);
        let map = self.entries.lock().ok()?;
        map.get(&ws)
            .filter(|(e, at, _)| *e == epoch && at.elapsed() < CONFIG_TTL)
            .map(|(_, _, c)| c.clone())
    }
    fn put(&self, ws: i64, epoch: u64, cfg: Arc<WorkspaceConfig>) {
        if let Ok(mut map) = self.entries.lock() {
            if map.len() > 1000 {
                map.clear();
            }
            map.insert(ws, (epoch, Instant::now(), cfg));
        }
    }
}

/// Writes built-in red lines and platform limits for a workspace that has none yet.
pub(crate) async fn seed_content_defaults(
    db: &impl ConnectionTrait,
    ws: WorkspaceId,
) -> Result<()> {
    let now = Utc::now();
    for (phrase, severity, exceptions) in BUILTIN_RED_LINES {
        let exists = scoped::in_ws::<red_line::Entity>(ws)
            .filter(red_line::Column::Phrase.eq(*phrase))
            .one(db)
            .await?
            .is_some();
        if exists {
            continue;
        }
        red_line::ActiveModel {
            workspace_id: Set(ws.0),
            phrase: Set((*phrase).into()),
            severity: Set(severity.as_str().into()),
            exceptions: Set(json!(exceptions)),
            note: Set("广告法极限词".into()),
            builtin: Set(true),
            enabled: Set(true),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    for (code, title_max, body_max, patterns) in PLATFORM_DEFAULTS {
        if let Some(p) = scoped::in_ws::<platform::Entity>(ws)
            .filter(platform::Column::Code.eq(*code))
            .one(db)
            .await?
            && p.url_patterns.is_none()
        {
            let mut am: platform::ActiveModel = p.into();
            am.title_max = Set(*title_max);
            am.body_max = Set(*body_max);
            am.url_patterns = Set(Some(json!(patterns)));
            am.update(db).await?;
        }
    }
    scoped::update_install_wide::<workspace::Entity>()
        .col_expr(workspace::Column::ContentSeeded, Expr::value(true))
        .filter(workspace::Column::Id.eq(ws.0))
        .exec(db)
        .await?;
    Ok(())
}

impl Store {
    pub(crate) async fn workspace_config(&self, ws: WorkspaceId) -> Result<Arc<WorkspaceConfig>> {
        if let Some(c) = self.config.get(ws.0) {
            return Ok(c);
        }
        let epoch = self.config.epoch.load(std::sync::atomic::Ordering::Acquire);
        let lines = scoped::in_ws::<red_line::Entity>(ws)
            .filter(red_line::Column::Enabled.eq(true))
            .all(&self.read)
            .await?;
        let rules = lines
            .into_iter()
            .map(|l| RedLineRule {
                severity: Severity::parse(&l.severity).unwrap_or_default(),
                exceptions: strings(&l.exceptions),
                phrase: l.phrase,
                note: l.note,
            })
            .collect();
        let settings = self.content_settings(ws).await?;
        let platforms = scoped::in_ws::<platform::Entity>(ws)
            .all(&self.read)
            .await?
            .into_iter()
            .map(|p| {
                (
                    p.code,
                    (
                        Limits {
                            title_max: p.title_max,
                            body_max: p.body_max,
                        },
                        p.url_patterns.as_ref().map(strings).unwrap_or_default(),
                        p.name,
                    ),
                )
            })
            .collect();
        let fields = load_fields(&self.read, ws, FieldEntity::ContentItem).await?;
        let w = scoped::install_wide_by_id::<workspace::Entity>(ws.0)
            .one(&self.read)
            .await?
            .ok_or(crate::StoreError::NotFound)?;
        let time_zone = w.time_zone;
        let schedule_rules = w
            .schedule_rules
            .and_then(|r| serde_json::from_value(r).ok())
            .unwrap_or_default();
        let mut owners: HashMap<i64, Vec<i64>> = HashMap::new();
        for o in scoped::in_ws::<crate::entities::account_owner::Entity>(ws)
            .all(&self.read)
            .await?
        {
            owners.entry(o.account_id).or_default().push(o.user_id);
        }
        let mut account_labels = HashMap::new();
        let accounts = scoped::in_ws::<account::Entity>(ws)
            .all(&self.read)
            .await?
            .into_iter()
            .map(|a| {
                let o = owners.remove(&a.id).unwrap_or_default();
                account_labels.insert(a.id, (a.tier, a.handle, a.display_name));
                (a.id, (a.platform, a.status == "archived", o))
            })
            .collect();
        let campaign_rows = scoped::in_ws::<crate::entities::campaign::Entity>(ws)
            .all(&self.read)
            .await?;
        let embargoes = campaign_rows
            .iter()
            .filter_map(|c| {
                c.embargo_at.map(|at| {
                    (
                        c.id,
                        Embargo {
                            name: c.name.clone(),
                            at,
                        },
                    )
                })
            })
            .collect();
        let campaigns = campaign_rows
            .into_iter()
            .map(|c| (c.id, hashtags(&c.required_hashtags)))
            .collect();
        let holiday_years = scoped::in_ws::<crate::entities::holiday_year::Entity>(ws)
            .all(&self.read)
            .await?
            .into_iter()
            .map(|h| {
                (
                    h.year as i32,
                    serde_json::from_value(h.days).unwrap_or_default(),
                )
            })
            .collect();
        let cfg = Arc::new(WorkspaceConfig {
            red_lines: RedLineSet::new(rules),
            settings,
            platforms,
            fields,
            time_zone,
            accounts,
            account_labels,
            campaigns,
            schedule_rules,
            embargoes,
            holiday_years,
        });
        self.config.put(ws.0, epoch, cfg.clone());
        Ok(cfg)
    }

    /// Workspaces created before the board existed get their defaults once, after migrating.
    pub(crate) async fn seed_all_content_defaults(&self) -> Result<()> {
        let pending = scoped::install_wide::<workspace::Entity>()
            .filter(workspace::Column::ContentSeeded.eq(false))
            .all(&self.write)
            .await?;
        for w in pending {
            let txn = self.begin().await?;
            seed_content_defaults(&txn, WorkspaceId(w.id)).await?;
            self.commit(txn).await?;
        }
        Ok(())
    }

    /// The workspace's time zone (cached with its configuration).
    pub async fn workspace_time_zone(&self, ws: WorkspaceId) -> Result<String> {
        Ok(self.workspace_config(ws).await?.time_zone.clone())
    }
}
