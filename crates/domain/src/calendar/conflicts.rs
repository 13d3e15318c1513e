//! Schedule conflicts: a proposed slot for one item checked against the matrix's schedule.
//!
//! The schedule is indexed once (sorted by time, per account, per platform, per topic and
//! hashtag on a platform); a check is a binary search and a walk over the window each rule
//! looks at, never all pairs. The calendar checks every visible item against the same index.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::rules::{RuleMode, ScheduleRules};
use crate::accounts::Tier;
use crate::content::Stage;

/// Which rule a conflict breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConflictRule {
    MinGap,
    AccountDaily,
    PlatformDaily,
    QuietHours,
    Embargo,
    TopicSpacing,
    AfterDue,
    Unapproved,
    PastSlot,
    Holiday,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConflictSeverity {
    /// Let through, shown on the item.
    Warn,
    /// Refused.
    Block,
}

/// One reason a slot is a problem.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Conflict {
    pub rule: ConflictRule,
    pub severity: ConflictSeverity,
    /// An English sentence; the UI writes its own from `params`.
    pub message: String,
    /// The other items involved.
    pub others: Vec<i64>,
    /// What the sentence names (per rule: the other item's title and time, the counts …).
    #[schema(value_type = Object)]
    pub params: Map<String, Value>,
}

/// One scheduled item as the rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: i64,
    pub title: String,
    pub account_id: Option<i64>,
    pub platform: Option<String>,
    pub tier: Option<Tier>,
    pub campaign_id: Option<i64>,
    pub topic_id: Option<i64>,
    /// The campaign's required hashtags this item carries.
    pub hashtags: Vec<String>,
    pub stage: Stage,
    pub due_on: Option<NaiveDate>,
    /// When it goes out: the real publish time once published, else the planned time.
    pub at: DateTime<Utc>,
}

/// A campaign's embargo (T0).
#[derive(Debug, Clone, PartialEq)]
pub struct Embargo {
    pub name: String,
    pub at: DateTime<Utc>,
}

/// What the rules read besides the schedule.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub rules: &'a ScheduleRules,
    pub tz: Tz,
    pub now: DateTime<Utc>,
    /// campaign id → its embargo.
    pub embargoes: &'a HashMap<i64, Embargo>,
    /// Statutory rest days (not adjusted working days) → the holiday's name.
    pub holidays: &'a HashMap<NaiveDate, String>,
    /// topic id → its title, for the sentence.
    pub topic_titles: &'a HashMap<i64, String>,
}

impl Context<'_> {
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.tz).date_naive()
    }
    fn local_hm(&self, at: DateTime<Utc>) -> String {
        // Written out: a `format("%H:%M")` parses its pattern on every call (thousands per
        // month's view).
        let t = at.with_timezone(&self.tz);
        format!("{:02}:{:02}", t.hour(), t.minute())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Topic(i64),
    Hashtag(String),
}

/// The schedule indexed for checks.
#[derive(Debug, Default)]
pub struct Schedule {
    entries: Vec<Entry>,
    by_account: HashMap<i64, Vec<usize>>,
    by_platform: HashMap<String, Vec<usize>>,
    by_key: HashMap<(String, Key), Vec<usize>>,
    by_id: HashMap<i64, usize>,
}

fn keys(e: &Entry) -> Vec<Key> {
    let mut k: Vec<Key> = e.topic_id.map(Key::Topic).into_iter().collect();
    k.extend(e.hashtags.iter().cloned().map(Key::Hashtag));
    k
}

impl Schedule {
    pub fn new(mut entries: Vec<Entry>) -> Self {
        entries.sort_by_key(|e| (e.at, e.id));
        let mut s = Schedule::default();
        for (i, e) in entries.iter().enumerate() {
            s.by_id.insert(e.id, i);
            if let Some(a) = e.account_id {
                s.by_account.entry(a).or_default().push(i);
            }
            if let Some(p) = &e.platform {
                s.by_platform.entry(p.clone()).or_default().push(i);
                for k in keys(e) {
                    s.by_key.entry((p.clone(), k)).or_default().push(i);
                }
            }
        }
        s.entries = entries;
        s
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
    pub fn get(&self, id: i64) -> Option<&Entry> {
        self.by_id.get(&id).map(|i| &self.entries[*i])
    }

    /// The entries of a list whose time is after `from` (or at it, if `from_inclusive`) and
    /// before `to`, leaving out `skip`.
    fn window<'s>(
        &'s self,
        list: &'s [usize],
        (from, from_inclusive): (DateTime<Utc>, bool),
        to: DateTime<Utc>,
        skip: i64,
    ) -> impl Iterator<Item = &'s Entry> + 's {
        let start = list.partition_point(|i| {
            let t = self.entries[*i].at;
            if from_inclusive { t < from } else { t <= from }
        });
        list[start..]
            .iter()
            .map(|i| &self.entries[*i])
            .take_while(move |e| e.at < to)
            .filter(move |e| e.id != skip)
    }

    /// Every conflict of `item` at its `at`. `proposing`: a new schedule (the past is refused
    /// only then; an item already in the past is history, not a conflict).
    pub fn check(&self, item: &Entry, cx: &Context<'_>, proposing: bool) -> Vec<Conflict> {
        let r = cx.rules;
        let mut out = Vec::new();
        let at = item.at;
        let day = cx.local_date(at);
        let (day_from, day_to) = day_bounds(cx.tz, day);
        let empty: Vec<usize> = Vec::new();
        let account_list = item
            .account_id
            .and_then(|a| self.by_account.get(&a))
            .unwrap_or(&empty);
        if item.account_id.is_some() && r.min_gap.mode != RuleMode::Off {
            let gap = Duration::hours(i64::from(r.min_gap.hours));
            for o in self.window(account_list, (at - gap, false), at + gap, item.id) {
                let minutes = (at - o.at).num_minutes().abs();
                out.push(conflict(
                    ConflictRule::MinGap,
                    r.min_gap.mode,
                    format!(
                        "only {} h {} min from 《{}》 at {}; this account keeps {} h between posts",
                        minutes / 60,
                        minutes % 60,
                        o.title,
                        cx.local_hm(o.at),
                        r.min_gap.hours
                    ),
                    vec![o.id],
                    json!({"other_title": o.title, "other_at": o.at, "gap_minutes": minutes, "min_hours": r.min_gap.hours}),
                ));
            }
        }
        if item.account_id.is_some() && r.account_daily.mode != RuleMode::Off {
            let others: Vec<i64> = self
                .window(account_list, (day_from, true), day_to, item.id)
                .map(|e| e.id)
                .collect();
            let count = others.len() + 1;
            if count > r.account_daily.max as usize {
                out.push(conflict(
                    ConflictRule::AccountDaily,
                    r.account_daily.mode,
                    format!(
                        "{count} posts on this account on {day}; the limit is {} a day",
                        r.account_daily.max
                    ),
                    others,
                    json!({"count": count, "max": r.account_daily.max, "day": day}),
                ));
            }
        }
        if let Some(p) = &item.platform {
            if r.platform_daily.mode != RuleMode::Off {
                let list = self.by_platform.get(p).unwrap_or(&empty);
                let others: Vec<i64> = self
                    .window(list, (day_from, true), day_to, item.id)
                    .map(|e| e.id)
                    .collect();
                let count = others.len() + 1;
                if count > r.platform_daily.max as usize {
                    out.push(conflict(
                        ConflictRule::PlatformDaily,
                        r.platform_daily.mode,
                        format!(
                            "{count} posts on {p} across the matrix on {day}; the limit is {} a day",
                            r.platform_daily.max
                        ),
                        others,
                        json!({"platform": p, "count": count, "max": r.platform_daily.max, "day": day}),
                    ));
                }
            }
            if r.topic_spacing.mode != RuleMode::Off {
                let span = Duration::hours(i64::from(r.topic_spacing.hours));
                for k in keys(item) {
                    let Some(list) = self.by_key.get(&(p.clone(), k.clone())) else {
                        continue;
                    };
                    let mut accounts = BTreeSet::new();
                    let mut others = Vec::new();
                    for o in self.window(list, (at - span, false), at + span, item.id) {
                        if o.account_id.is_some() && o.account_id != item.account_id {
                            accounts.insert(o.account_id);
                            others.push(o.id);
                        }
                    }
                    let n = accounts.len() + usize::from(item.account_id.is_some());
                    if n > r.topic_spacing.accounts as usize {
                        let (kind, name) = match &k {
                            Key::Topic(t) => {
                                ("topic", cx.topic_titles.get(t).cloned().unwrap_or_default())
                            }
                            Key::Hashtag(h) => ("hashtag", h.clone()),
                        };
                        out.push(conflict(
                            ConflictRule::TopicSpacing,
                            r.topic_spacing.mode,
                            format!(
                                "{n} accounts on {p} post the same {kind} {name} within {} h; more than {} looks coordinated",
                                r.topic_spacing.hours, r.topic_spacing.accounts
                            ),
                            others,
                            json!({"key_kind": kind, "key": name, "accounts": n, "max_accounts": r.topic_spacing.accounts, "hours": r.topic_spacing.hours}),
                        ));
                    }
                }
            }
        }
        Self::check_alone(item, cx, proposing, &mut out);
        out
    }

    /// The rules that look at the item alone (its time, campaign, due date, stage).
    fn check_alone(item: &Entry, cx: &Context<'_>, proposing: bool, out: &mut Vec<Conflict>) {
        let r = cx.rules;
        let at = item.at;
        let day = cx.local_date(at);
        if r.quiet_hours.mode != RuleMode::Off {
            let t = at.with_timezone(&cx.tz).time();
            if let Some(w) = r.quiet_hours.windows.iter().find(|w| {
                (w.platform.is_none() || w.platform.as_deref() == item.platform.as_deref())
                    && w.contains(t)
            }) {
                out.push(conflict(
                    ConflictRule::QuietHours,
                    r.quiet_hours.mode,
                    format!("{} falls in the quiet hours {}–{}", cx.local_hm(at), w.start, w.end),
                    vec![],
                    json!({"start": w.start.to_string(), "end": w.end.to_string(), "local_time": cx.local_hm(at)}),
                ));
            }
        }
        out.extend(embargo(r, cx.embargoes, item.campaign_id, at));
        if r.after_due.mode != RuleMode::Off
            && let Some(due) = item.due_on
            && day > due
        {
            out.push(conflict(
                ConflictRule::AfterDue,
                r.after_due.mode,
                format!("scheduled on {day}, after its due date {due}"),
                vec![],
                json!({"due_on": due}),
            ));
        }
        if r.unapproved.mode != RuleMode::Off
            && matches!(item.stage, Stage::Topic | Stage::Draft | Stage::Review)
            && at >= cx.now
            && at < cx.now + Duration::hours(i64::from(r.unapproved.hours))
        {
            out.push(conflict(
                ConflictRule::Unapproved,
                r.unapproved.mode,
                format!(
                    "goes out within {} h and is not approved yet",
                    r.unapproved.hours
                ),
                vec![],
                json!({"hours": r.unapproved.hours, "stage": item.stage}),
            ));
        }
        if proposing && r.past_slot.mode != RuleMode::Off && at < cx.now {
            out.push(conflict(
                ConflictRule::PastSlot,
                r.past_slot.mode,
                "this time has already passed".into(),
                vec![],
                json!({}),
            ));
        }
        if r.holiday.mode != RuleMode::Off
            && let Some(t) = item.tier
            && r.holiday.tiers.contains(&t)
            && let Some(name) = cx.holidays.get(&day)
        {
            out.push(conflict(
                ConflictRule::Holiday,
                r.holiday.mode,
                format!(
                    "{day} is a statutory holiday ({name}); {} accounts do not post on holidays",
                    t.as_str()
                ),
                vec![],
                json!({"day": day, "name": name, "tier": t}),
            ));
        }
    }
}

/// The embargo rule alone (a publish before T0 is refused by it too).
pub fn embargo<S: std::hash::BuildHasher>(
    r: &ScheduleRules,
    embargoes: &HashMap<i64, Embargo, S>,
    campaign: Option<i64>,
    at: DateTime<Utc>,
) -> Option<Conflict> {
    let c = campaign?;
    let e = embargoes.get(&c)?;
    (r.embargo.mode != RuleMode::Off && at < e.at).then(|| {
        conflict(
            ConflictRule::Embargo,
            r.embargo.mode,
            format!("campaign 《{}》 is under embargo until {}", e.name, e.at),
            vec![],
            json!({"campaign_id": c, "campaign_name": e.name, "embargo_at": e.at}),
        )
    })
}

/// Whether any of the conflicts refuses the change.
pub fn blocking(conflicts: &[Conflict]) -> bool {
    conflicts
        .iter()
        .any(|c| c.severity == ConflictSeverity::Block)
}

/// The UTC bounds `[start, end)` of a local day.
pub fn day_bounds(tz: Tz, day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = |d: NaiveDate| {
        let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        // A zone that skips midnight (a DST jump) starts the day at its first instant.
        tz.from_local_datetime(&midnight)
            .earliest()
            .or_else(|| {
                tz.from_local_datetime(&(midnight + Duration::hours(1)))
                    .earliest()
            })
            .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
    };
    (start(day), start(day.succ_opt().unwrap_or(day)))
}

fn conflict(
    rule: ConflictRule,
    mode: RuleMode,
    message: String,
    others: Vec<i64>,
    params: Value,
) -> Conflict {
    Conflict {
        rule,
        severity: if mode == RuleMode::Block {
            ConflictSeverity::Block
        } else {
            ConflictSeverity::Warn
        },
        message,
        others,
        params: match params {
            Value::Object(m) => m,
            _ => Map::new(),
        },
    }
}

#[cfg(test)]
#[path = "conflicts_tests.rs"]
mod tests;
