//! The shared content calendar: the scheduled items of a range with their conflict marks, the
//! backlog, the slot check (also run by every change of `planned_at`), the schedule rules,
//! recurring slots and holidays (`settings`), coordination orders and waves (`waves`), and the
//! iCalendar feeds (`feeds`).

mod feeds;
mod settings;
mod waves;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use kox_domain::accounts::Tier;
use kox_domain::calendar::conflicts::{self, Context, Entry, Schedule};
use kox_domain::calendar::holidays;
use kox_domain::calendar::{
    CalendarItem, CalendarItems, CalendarView, Conflict, Holiday, SlotCheckResult, SlotOccurrence,
};
use kox_domain::content::{ContentAction, ReviewState, Stage, may};
use kox_domain::{UserId, WorkspaceId};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, QueryResult, Value as DbValue};
use serde_json::{Map, Value, json};

use crate::Caller;
use crate::config::WorkspaceConfig;
use crate::dialect::{engine_of, stmt};
use crate::scoped;
use crate::{Result, Store, StoreError};

pub use feeds::FeedSecret;
pub(crate) use waves::queue_waves;

/// What the calendar lists by (all optional; filters in the address bar).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CalendarFilter {
    pub account_id: Option<i64>,
    pub tier: Option<Tier>,
    pub platform: Option<String>,
    pub campaign_id: Option<i64>,
    /// Items of the accounts this member owns, or assigned to them.
    pub operator: Option<UserId>,
    pub stage: Option<Stage>,
}

/// An item as the calendar reads it (`ROW_COLUMNS`, the account's columns filled from the
/// configuration). Read row by row, each column by its position (`FromQueryResult`), or from
/// the database's JSON array of arrays (`Deserialize` takes a sequence in field order).
#[derive(Debug, Clone, serde::Deserialize)]
pub(crate) struct Row {
    pub id: i64,
    pub title: String,
    pub stage: String,
    pub review_state: String,
    pub account_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub topic_id: Option<i64>,
    pub assignee_id: Option<i64>,
    #[serde(deserialize_with = "rfc3339::opt")]
    pub planned_at: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "rfc3339::opt")]
    pub published_at: Option<DateTime<Utc>>,
    pub due_on: Option<chrono::NaiveDate>,
    pub version: i64,
    pub hashtags: Option<String>,
    pub handle: Option<String>,
    pub display_name: Option<String>,
    pub tier: Option<String>,
    pub platform: Option<String>,
    /// Read only for the feeds (`Stamps::Read`); a month's view does without.
    #[serde(deserialize_with = "rfc3339::opt")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "rfc3339::opt")]
    pub updated_at: Option<DateTime<Utc>>,
    pub wave_id: Option<i64>,
}

/// Timestamps in the database's JSON text, read by chrono's RFC 3339 parser first (serde's
/// default takes the general format parser, a few times slower over a month of rows).
mod rfc3339 {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer};

    fn parse<E: serde::de::Error>(s: &str) -> Result<DateTime<Utc>, E> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .or_else(|_| s.parse::<DateTime<Utc>>())
            .map_err(E::custom)
    }
    pub(super) fn opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        Option::<&str>::deserialize(d)?.map(parse).transpose()
    }
}

/// Reads by position, in `ROW_COLUMNS` order: by name, each of the 20 columns of thousands of
/// rows would be looked up by a name built for it.
impl FromQueryResult for Row {
    fn from_query_result(r: &QueryResult, _pre: &str) -> std::result::Result<Self, DbErr> {
        Ok(Row {
            id: r.try_get_by_index(0)?,
            title: r.try_get_by_index(1)?,
            stage: r.try_get_by_index(2)?,
            review_state: r.try_get_by_index(3)?,
            account_id: r.try_get_by_index(4)?,
            campaign_id: r.try_get_by_index(5)?,
            topic_id: r.try_get_by_index(6)?,
            assignee_id: r.try_get_by_index(7)?,
            planned_at: r.try_get_by_index(8)?,
            published_at: r.try_get_by_index(9)?,
            due_on: r.try_get_by_index(10)?,
            version: r.try_get_by_index(11)?,
            hashtags: r.try_get_by_index(12)?,
            handle: None,
            display_name: None,
            tier: None,
            platform: None,
            created_at: r.try_get_by_index(17)?,
            updated_at: r.try_get_by_index(18)?,
            wave_id: None,
        })
    }
}

impl Row {
    pub(crate) fn stage(&self) -> Stage {
        Stage::parse(&self.stage).unwrap_or(Stage::Draft)
    }
    /// When it goes out: the real publish time once published, else the planned time.
    pub(crate) fn at(&self) -> Option<DateTime<Utc>> {
        self.published_at.or(self.planned_at)
    }
    fn entry(&self, cfg: &WorkspaceConfig) -> Option<Entry> {
        let at = self.at()?;
        let required = self
            .campaign_id
            .and_then(|c| cfg.campaigns.get(&c))
            .map(Vec::as_slice)
            .unwrap_or_default();
        let tags: Vec<String> = self
            .hashtags
            .as_deref()
            .and_then(|h| serde_json::from_str::<Vec<String>>(h).ok())
            .unwrap_or_default();
        Some(Entry {
            id: self.id,
            title: self.title.clone(),
            account_id: self.account_id,
            platform: self.platform.clone(),
            tier: self.tier.as_deref().and_then(Tier::parse),
            campaign_id: self.campaign_id,
            topic_id: self.topic_id,
            hashtags: tags
                .into_iter()
                .filter(|t| required.iter().any(|r| r.as_str() == t))
                .collect(),
            stage: self.stage(),
            due_on: self.due_on,
            at,
        })
    }
}

/// The columns of `Row`, in its order.
/// The account's columns are filled from the cached configuration (`with_accounts`): a join
/// per row was a third of a month's read. The wave an item follows comes by its own query
/// (`with_waves`): joined, PostgreSQL's plan for a month of items just written (no statistics
/// yet) probed the follow-ups once per item.
const ROW_COLUMNS: &str = "c.id, c.title, c.stage, c.review_state, c.account_id, \
    c.campaign_id, c.topic_id, c.assignee_id, c.planned_at, c.published_at, c.due_on, \
    c.version, CAST(c.hashtags AS TEXT), NULL, NULL, NULL, NULL, c.created_at, c.updated_at, \
    NULL";

const ROW_FROM: &str = "FROM content_items c";

/// Whether a read takes the items' creation and change times (the feeds' DTSTAMP and CREATED):
/// a month's view does without two timestamps per row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stamps {
    Read,
    Skip,
}

/// Fills each row's wave (the coordination wave it was created as a follow-up of).
async fn with_waves(db: &impl ConnectionTrait, ws: WorkspaceId, rows: &mut [Row]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let engine = engine_of(db);
    let (join, list) = crate::dialect::ids_join(engine, &ids);
    let sql = format!(
        "SELECT f.item_id, f.wave_id FROM {join} \
         wave_follow_ups f ON f.workspace_id = ? AND f.item_id = ids.id"
    );
    let mut waves = HashMap::new();
    for r in db
        .query_all_raw(stmt(engine, &sql, vec![list, ws.0.into()]))
        .await?
    {
        waves.insert(r.try_get_by_index::<i64>(0)?, r.try_get_by_index::<i64>(1)?);
    }
    if !waves.is_empty() {
        for r in rows.iter_mut() {
            r.wave_id = waves.get(&r.id).copied();
        }
    }
    Ok(())
}

/// Fills each row's account columns from the configuration.
pub(crate) fn with_accounts(mut rows: Vec<Row>, cfg: &WorkspaceConfig) -> Vec<Row> {
    for r in &mut rows {
        if let Some(a) = r.account_id {
            if let Some((tier, handle, name)) = cfg.account_labels.get(&a) {
                r.tier = Some(tier.clone());
                r.handle = Some(handle.clone());
                r.display_name = Some(name.clone());
            }
            r.platform = cfg.accounts.get(&a).map(|x| x.0.clone());
        }
    }
    rows
}

/// The rows of a condition on `c`. Where the engine gains by it (`dialect::json_tuples`) and
/// no order or limit applies, as one JSON text the database writes; else row by row.
async fn read_rows(
    db: &impl ConnectionTrait,
    condition: &str,
    values: Vec<DbValue>,
    tail: &str,
    stamps: Stamps,
) -> Result<Vec<Row>> {
    let engine = engine_of(db);
    let columns = match stamps {
        Stamps::Read => ROW_COLUMNS.to_owned(),
        Stamps::Skip => ROW_COLUMNS.replace("c.created_at, c.updated_at", "NULL, NULL"),
    };
    if tail.is_empty()
        && let Some(agg) = crate::dialect::json_tuples(engine, &columns)
    {
        let sql = format!("SELECT {agg} {ROW_FROM} WHERE {condition}");
        let text: String = match db.query_one_raw(stmt(engine, &sql, values)).await? {
            Some(r) => r.try_get_by_index(0)?,
            None => "[]".into(),
        };
        return serde_json::from_str(&text)
            .map_err(|e| crate::db::other(format!("calendar rows: {e}")));
    }
    let sql = format!("SELECT {columns} {ROW_FROM} WHERE {condition} {tail}");
    Ok(Row::find_by_statement(stmt(engine, &sql, values))
        .all(db)
        .await?)
}

/// The items that go out in `[from, to)` (planned or published), cancelled ones included.
pub(crate) async fn rows_between(
    db: &impl ConnectionTrait,
    cfg: &WorkspaceConfig,
    ws: WorkspaceId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    stamps: Stamps,
) -> Result<Vec<Row>> {
    let values: Vec<DbValue> = vec![ws.0.into(), from.into(), to.into(), from.into(), to.into()];
    let mut rows = read_rows(
        db,
        "c.workspace_id = ? AND ((c.planned_at >= ? AND c.planned_at < ?) \
         OR (c.published_at >= ? AND c.published_at < ?))",
        values,
        "",
        stamps,
    )
    .await?;
    rows.retain(|r| r.at().is_some_and(|at| at >= from && at < to));
    with_waves(db, ws, &mut rows).await?;
    Ok(with_accounts(rows, cfg))
}

/// Rows by a condition on `c` (the backlog, one item, a wave's follow-ups), newest first.
pub(crate) async fn rows_where(
    db: &impl ConnectionTrait,
    cfg: &WorkspaceConfig,
    ws: WorkspaceId,
    condition: &str,
    mut values: Vec<DbValue>,
    limit: u32,
) -> Result<Vec<Row>> {
    values.insert(0, ws.0.into());
    let mut rows = read_rows(
        db,
        &format!("c.workspace_id = ? AND {condition}"),
        values,
        &format!("ORDER BY c.id DESC LIMIT {limit}"),
        Stamps::Skip,
    )
    .await?;
    with_waves(db, ws, &mut rows).await?;
    Ok(with_accounts(rows, cfg))
}

fn zone(cfg: &WorkspaceConfig) -> Tz {
    cfg.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai)
}

/// The holidays of the years a range touches: the workspace's own where loaded, else KOX's.
pub(crate) fn holidays_between(
    cfg: &WorkspaceConfig,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Holiday> {
    let tz = zone(cfg);
    let (y0, y1) = (from.with_timezone(&tz).year(), to.with_timezone(&tz).year());
    (y0..=y1)
        .flat_map(|y| {
            cfg.holiday_years
                .get(&y)
                .cloned()
                .or_else(|| holidays::default_year(y))
                .unwrap_or_default()
        })
        .collect()
}

/// What the rules read besides the schedule, for one check or one view.
struct Facts {
    tz: Tz,
    rest_days: HashMap<chrono::NaiveDate, String>,
    topic_titles: HashMap<i64, String>,
}

impl Facts {
    async fn load(
        db: &impl ConnectionTrait,
        ws: WorkspaceId,
        cfg: &WorkspaceConfig,
        rows: &[&Row],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Self> {
        let topics: BTreeSet<i64> = rows.iter().filter_map(|r| r.topic_id).collect();
        let mut topic_titles = HashMap::new();
        if !topics.is_empty() {
            let ids: Vec<i64> = topics.into_iter().collect();
            let engine = engine_of(db);
            let (join, list) = crate::dialect::ids_join(engine, &ids);
            let sql = format!(
                "SELECT c.id, c.title FROM {join} \
                 content_items c ON c.workspace_id = ? AND c.id = ids.id"
            );
            for r in db
                .query_all_raw(stmt(engine, &sql, vec![list, ws.0.into()]))
                .await?
            {
                topic_titles.insert(
                    r.try_get::<i64>("", "id")?,
                    r.try_get::<String>("", "title")?,
                );
            }
        }
        Ok(Facts {
            tz: zone(cfg),
            rest_days: holidays::rest_days(&holidays_between(cfg, from, to)),
            topic_titles,
        })
    }
    fn context<'a>(&'a self, cfg: &'a WorkspaceConfig, now: DateTime<Utc>) -> Context<'a> {
        Context {
            rules: &cfg.schedule_rules,
            tz: self.tz,
            now,
            embargoes: &cfg.embargoes,
            holidays: &self.rest_days,
            topic_titles: &self.topic_titles,
        }
    }
}

/// Whether a row passes the calendar's filters.
fn passes(r: &Row, f: &CalendarFilter, cfg: &WorkspaceConfig) -> bool {
    let stage = r.stage();
    f.account_id.is_none_or(|a| r.account_id == Some(a))
        && f.tier.is_none_or(|t| r.tier.as_deref() == Some(t.as_str()))
        && f.platform
            .as_ref()
            .is_none_or(|p| r.platform.as_ref() == Some(p))
        && f.campaign_id.is_none_or(|c| r.campaign_id == Some(c))
        && f.stage.map_or(stage != Stage::Cancelled, |s| s == stage)
        && f.operator.is_none_or(|u| {
            r.assignee_id == Some(u.0)
                || r.account_id
                    .and_then(|a| cfg.accounts.get(&a))
                    .is_some_and(|a| a.2.contains(&u.0))
        })
}

/// Whether the caller may move the item (the content rules for an edit, by stage and owner).
fn may_schedule(caller: &Caller, r: &Row, cfg: &WorkspaceConfig) -> bool {
    let stage = r.stage();
    if matches!(stage, Stage::Retro | Stage::Cancelled) {
        return false;
    }
    // The command line and the seeder act with every capability and as nobody.
    let Some((me, role)) = caller.acting_member() else {
        return caller.can(kox_domain::access::Capability::ContentWriteAny);
    };
    let owns = r
        .account_id
        .and_then(|a| cfg.accounts.get(&a))
        .is_some_and(|a| a.2.contains(&me.0));
    may(role, ContentAction::Edit, stage, owns)
}

fn item(caller: &Caller, r: &Row, cfg: &WorkspaceConfig, conflicts: Vec<Conflict>) -> CalendarItem {
    CalendarItem {
        id: r.id,
        title: r.title.clone(),
        stage: r.stage(),
        review_state: ReviewState::parse(&r.review_state).unwrap_or(ReviewState::None),
        account_id: r.account_id,
        handle: r.handle.clone(),
        display_name: r.display_name.clone(),
        tier: r.tier.as_deref().and_then(Tier::parse),
        platform: r.platform.clone(),
        campaign_id: r.campaign_id,
        assignee_id: r.assignee_id,
        at: r.at(),
        planned_at: r.planned_at,
        published_at: r.published_at,
        due_on: r.due_on,
        version: r.version,
        wave_id: r.wave_id,
        may_schedule: may_schedule(caller, r, cfg),
        conflicts,
    }
}

/// Whether an item's slot is still ahead of it (not published, not cancelled): only those get
/// conflict marks.
fn open(r: &Row) -> bool {
    r.planned_at.is_some()
        && r.published_at.is_none()
        && !matches!(r.stage(), Stage::Retro | Stage::Cancelled)
}

/// The refusal of a slot with blocking conflicts: 409 with every reason.
pub(crate) fn refusal(conflicts: &[Conflict]) -> StoreError {
    let reasons: Vec<&str> = conflicts
        .iter()
        .filter(|c| c.severity == kox_domain::calendar::ConflictSeverity::Block)
        .map(|c| c.message.as_str())
        .collect();
    let mut params = Map::new();
    params.insert("conflicts".into(), json!(conflicts));
    StoreError::Conflict {
        code: "calendar.conflict",
        field: "planned_at".into(),
        message: format!("this slot is refused: {}", reasons.join("; ")),
        params,
    }
}

impl Store {
    /// A range of the calendar: its items (filtered) with their conflict marks, the open
    /// recurring slots and the holidays.
    pub async fn calendar(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        f: &CalendarFilter,
    ) -> Result<CalendarView> {
        kox_domain::calendar::check_range(from, to)?;
        let cfg = self.workspace_config(ws).await?;
        let (items, rows) = self.marked(caller, ws, &cfg, from, to, f).await?;
        let slots = self.open_slots(ws, &cfg, from, to, &rows).await?;
        let conflict_count = items.iter().filter(|i| !i.conflicts.is_empty()).count() as i64;
        Ok(CalendarView {
            from,
            to,
            time_zone: cfg.time_zone.clone(),
            items,
            slots,
            holidays: holidays_between(&cfg, from, to)
                .into_iter()
                .filter(|h| {
                    let (s, e) = conflicts::day_bounds(zone(&cfg), h.date);
                    e > from && s < to
                })
                .collect(),
            conflict_count,
        })
    }

    /// The items of a range with at least one conflict.
    pub async fn calendar_conflicts(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        f: &CalendarFilter,
    ) -> Result<CalendarItems> {
        kox_domain::calendar::check_range(from, to)?;
        let cfg = self.workspace_config(ws).await?;
        let (mut items, _) = self.marked(caller, ws, &cfg, from, to, f).await?;
        items.retain(|i| !i.conflicts.is_empty());
        Ok(CalendarItems { items })
    }

    /// The items of `[from, to)` passing the filter, each checked against the whole matrix's
    /// schedule around the range; also every row of the range (for the slots). A range of two
    /// days or more is read and checked in parts at once, one per core (a month's read is most
    /// of the answer's time); each part's schedule is its own range and the rules' reach around
    /// it, so the marks are those of one pass.
    async fn marked(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        cfg: &Arc<WorkspaceConfig>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        f: &CalendarFilter,
    ) -> Result<(Vec<CalendarItem>, Vec<Row>)> {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let parts = i32::try_from(cores.min(4))
            .unwrap_or(1)
            .min(i32::try_from((to - from).num_days()).unwrap_or(i32::MAX))
            .max(1);
        if parts == 1 {
            return self.marked_part(caller, ws, cfg, from, to, f).await;
        }
        let step = (to - from) / parts;
        let tasks: Vec<_> = (0..parts)
            .map(|i| {
                let a = from + step * i;
                let b = if i + 1 == parts { to } else { a + step };
                let (store, caller, cfg, f) =
                    (self.clone(), caller.clone(), cfg.clone(), f.clone());
                tokio::spawn(async move { store.marked_part(&caller, ws, &cfg, a, b, &f).await })
            })
            .collect();
        let (mut items, mut rows) = (Vec::new(), Vec::new());
        for t in tasks {
            let (i, r) = t
                .await
                .map_err(|e| crate::db::other(format!("calendar part: {e}")))??;
            items.extend(i);
            rows.extend(r);
        }
        Ok((items, rows))
    }

    /// `marked` for one range: its visible items and the rows that go out in it.
    async fn marked_part(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        cfg: &WorkspaceConfig,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        f: &CalendarFilter,
    ) -> Result<(Vec<CalendarItem>, Vec<Row>)> {
        let reach = cfg.schedule_rules.reach();
        let rows =
            rows_between(&self.read, cfg, ws, from - reach, to + reach, Stamps::Skip).await?;
        let schedule = Schedule::new(
            rows.iter()
                .filter(|r| r.stage() != Stage::Cancelled)
                .filter_map(|r| r.entry(cfg))
                .collect(),
        );
        let visible: Vec<&Row> = rows
            .iter()
            .filter(|r| r.at().is_some_and(|at| at >= from && at < to) && passes(r, f, cfg))
            .collect();
        let facts = Facts::load(&self.read, ws, cfg, &visible, from - reach, to + reach).await?;
        let cx = facts.context(cfg, Utc::now());
        let items = visible
            .iter()
            .map(|r| {
                let conflicts = match (open(r), schedule.get(r.id)) {
                    (true, Some(e)) => schedule.check(e, &cx, false),
                    _ => Vec::new(),
                };
                item(caller, r, cfg, conflicts)
            })
            .collect();
        let mut rows = rows;
        rows.retain(|r| r.at().is_some_and(|at| at >= from && at < to));
        Ok((items, rows))
    }

    /// Recurring slots' occurrences in the range, each with the items already at that time on
    /// a matching account.
    async fn open_slots(
        &self,
        ws: WorkspaceId,
        cfg: &WorkspaceConfig,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        rows: &[Row],
    ) -> Result<Vec<SlotOccurrence>> {
        let slots = self.list_recurring_slots(ws).await?;
        let mut at_time: HashMap<DateTime<Utc>, Vec<&Row>> = HashMap::new();
        for r in rows {
            if let Some(at) = r.at()
                && r.stage() != Stage::Cancelled
            {
                at_time.entry(at).or_default().push(r);
            }
        }
        let mut out = Vec::new();
        for s in slots.iter().filter(|s| s.enabled) {
            let d = s.draft();
            for at in d.occurrences(&cfg.time_zone, from, to) {
                let filled_by = at_time
                    .get(&at)
                    .map(|rs| {
                        rs.iter()
                            .filter(|r| match d.account_id {
                                Some(a) => r.account_id == Some(a.0),
                                None => {
                                    d.tier.is_none_or(|t| r.tier.as_deref() == Some(t.as_str()))
                                        && d.platform
                                            .as_ref()
                                            .is_none_or(|p| r.platform.as_ref() == Some(p))
                                }
                            })
                            .map(|r| r.id)
                            .collect()
                    })
                    .unwrap_or_default();
                out.push(SlotOccurrence {
                    slot_id: s.id,
                    name: d.name.clone(),
                    at,
                    account_id: d.account_id,
                    tier: d.tier,
                    platform: d.platform.clone(),
                    filled_by,
                });
            }
        }
        out.sort_by_key(|o| (o.at, o.slot_id));
        Ok(out)
    }

    /// Drafted and approved items without a publish time (newest first, at most 200).
    pub async fn calendar_backlog(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        f: &CalendarFilter,
    ) -> Result<CalendarItems> {
        let cfg = self.workspace_config(ws).await?;
        let rows = rows_where(
            &self.read,
            &cfg,
            ws,
            "c.planned_at IS NULL AND c.published_at IS NULL AND c.stage IN ('draft', 'review', 'publish')",
            Vec::new(),
            1000,
        )
        .await?;
        let items = rows
            .iter()
            .filter(|r| {
                passes(
                    r,
                    &CalendarFilter {
                        stage: None,
                        ..f.clone()
                    },
                    &cfg,
                )
            })
            .filter(|r| f.stage.is_none_or(|s| s == r.stage()))
            .take(200)
            .map(|r| item(caller, r, &cfg, Vec::new()))
            .collect();
        Ok(CalendarItems { items })
    }

    /// Dry-runs a slot for an item: the conflicts it would have there.
    pub async fn check_slot(
        &self,
        ws: WorkspaceId,
        item_id: i64,
        at: DateTime<Utc>,
    ) -> Result<SlotCheckResult> {
        let cfg = self.workspace_config(ws).await?;
        let conflicts = slot_conflicts(&self.read, ws, &cfg, item_id, at, true).await?;
        Ok(SlotCheckResult {
            blocking: conflicts::blocking(&conflicts),
            conflicts,
        })
    }
}

/// The conflicts of one item at `at` against the matrix's schedule around it, read through
/// `db` (the edit's transaction, so what it sees is what it writes against).
pub(crate) async fn slot_conflicts(
    db: &impl ConnectionTrait,
    ws: WorkspaceId,
    cfg: &WorkspaceConfig,
    item_id: i64,
    at: DateTime<Utc>,
    proposing: bool,
) -> Result<Vec<Conflict>> {
    let mut me = rows_where(db, cfg, ws, "c.id = ?", vec![item_id.into()], 1)
        .await?
        .pop()
        .ok_or(StoreError::NotFound)?;
    me.planned_at = Some(at);
    me.published_at = None;
    slot_conflicts_of(db, ws, cfg, &me, proposing).await
}

/// The conflicts of an item as given (its account, campaign, stage and time may be the
/// edit's, not yet stored).
pub(crate) async fn slot_conflicts_of(
    db: &impl ConnectionTrait,
    ws: WorkspaceId,
    cfg: &WorkspaceConfig,
    me: &Row,
    proposing: bool,
) -> Result<Vec<Conflict>> {
    let Some(entry) = me.entry(cfg) else {
        return Ok(Vec::new());
    };
    let reach = cfg.schedule_rules.reach();
    let rows = rows_between(
        db,
        cfg,
        ws,
        entry.at - reach,
        entry.at + reach,
        Stamps::Skip,
    )
    .await?;
    let schedule = Schedule::new(
        rows.iter()
            .filter(|r| r.stage() != Stage::Cancelled && r.id != me.id)
            .filter_map(|r| r.entry(cfg))
            .collect(),
    );
    let facts = Facts::load(db, ws, cfg, &[me], entry.at - reach, entry.at + reach).await?;
    Ok(schedule.check(&entry, &facts.context(cfg, Utc::now()), proposing))
}

/// The conflicts of an edit that moves an item to `at` (its account, campaign, due day and
/// hashtags as the edit leaves them), read in the edit's transaction.
pub(crate) async fn edit_conflicts(
    db: &impl ConnectionTrait,
    ws: WorkspaceId,
    cfg: &WorkspaceConfig,
    id: i64,
    next: &kox_domain::content::ContentDraft,
    at: DateTime<Utc>,
) -> Result<Vec<Conflict>> {
    let mut me = rows_where(db, cfg, ws, "c.id = ?", vec![id.into()], 1)
        .await?
        .pop()
        .ok_or(StoreError::NotFound)?;
    let account = next.account_id.map(|a| a.0);
    if account != me.account_id {
        let a = match account {
            Some(a) => {
                scoped::by_id::<crate::entities::account::Entity>(ws, a)
                    .one(db)
                    .await?
            }
            None => None,
        };
        me.account_id = account;
        me.handle = a.as_ref().map(|a| a.handle.clone());
        me.display_name = a.as_ref().map(|a| a.display_name.clone());
        me.tier = a.as_ref().map(|a| a.tier.clone());
        me.platform = a.map(|a| a.platform);
    }
    me.campaign_id = next.campaign_id.map(|c| c.0);
    me.due_on = next.due_on;
    me.hashtags = Some(json!(next.hashtags).to_string());
    me.planned_at = Some(at);
    me.published_at = None;
    slot_conflicts_of(db, ws, cfg, &me, true).await
}

/// The JSON of a value, for event records.
pub(crate) fn as_json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}
