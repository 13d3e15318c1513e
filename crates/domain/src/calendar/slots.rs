//! Recurring slots ("KOE 账号 每周二、四 20:00"): an RRULE, a time of day, a first day and a
//! zone, for one account or for a tier and platform. Their occurrences show as open slots.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::rules::ClockTime;
use crate::accounts::Tier;
use crate::validation::{self, FieldError, Fields};

/// Occurrences one slot may produce in one range (a daily slot over 366 days fits).
pub const MAX_OCCURRENCES: u16 = 800;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecurringSlotDraft {
    pub name: String,
    /// An RFC 5545 RRULE without `DTSTART`, e.g. `FREQ=WEEKLY;BYDAY=TU,TH`.
    pub rrule: String,
    /// The time of day each occurrence starts.
    pub time: ClockTime,
    /// The first day it may occur.
    pub starts_on: NaiveDate,
    /// An IANA zone; `null` for the workspace's.
    #[serde(default)]
    pub time_zone: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub account_id: Option<crate::AccountId>,
    #[serde(default)]
    pub tier: Option<Tier>,
    #[serde(default)]
    pub platform: Option<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RecurringSlot {
    pub id: i64,
    pub name: String,
    pub rrule: String,
    pub time: ClockTime,
    pub starts_on: NaiveDate,
    pub time_zone: Option<String>,
    #[schema(value_type = Option<i64>)]
    pub account_id: Option<crate::AccountId>,
    pub tier: Option<Tier>,
    pub platform: Option<String>,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl RecurringSlot {
    /// A stored slot and its times (the draft's fields spelled out: a flattened draft would
    /// carry the draft's refusal of unknown fields into the answer's schema).
    pub fn new(
        id: i64,
        d: RecurringSlotDraft,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    ) -> Self {
        Self {
            id,
            name: d.name,
            rrule: d.rrule,
            time: d.time,
            starts_on: d.starts_on,
            time_zone: d.time_zone,
            account_id: d.account_id,
            tier: d.tier,
            platform: d.platform,
            enabled: d.enabled,
            created_at,
            updated_at,
        }
    }

    pub fn draft(&self) -> RecurringSlotDraft {
        RecurringSlotDraft {
            name: self.name.clone(),
            rrule: self.rrule.clone(),
            time: self.time,
            starts_on: self.starts_on,
            time_zone: self.time_zone.clone(),
            account_id: self.account_id,
            tier: self.tier,
            platform: self.platform.clone(),
            enabled: self.enabled,
        }
    }
}

/// One occurrence of a recurring slot in a range.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SlotOccurrence {
    pub slot_id: i64,
    pub name: String,
    pub at: DateTime<Utc>,
    #[schema(value_type = Option<i64>)]
    pub account_id: Option<crate::AccountId>,
    pub tier: Option<Tier>,
    pub platform: Option<String>,
    /// The scheduled items of matching accounts at exactly this time (an empty list is an
    /// open slot).
    pub filled_by: Vec<i64>,
}

/// Parses an IANA zone name against the bundled zone database.
pub fn parse_zone(field: &str, raw: &str) -> Fields<Tz> {
    Tz::from_str(raw.trim()).map_err(|_| {
        FieldError::new(
            field,
            "validation.time_zone",
            "time zone must be an IANA name such as Asia/Shanghai",
        )
    })
}

/// The parts of an RRULE we refuse: a start or time inside it (given separately), and
/// frequencies finer than a day (they would flood the calendar).
fn check_rule_text(rule: &str) -> Fields<String> {
    let rule = rule
        .trim()
        .trim_start_matches("RRULE:")
        .trim()
        .to_ascii_uppercase();
    let bad = |msg: &str| FieldError::new("rrule", "calendar.invalid_rrule", msg);
    if rule.is_empty() || rule.len() > 500 || rule.contains('\n') || rule.contains('\r') {
        return Err(bad(
            "write the rule as one line, e.g. FREQ=WEEKLY;BYDAY=TU,TH",
        ));
    }
    let mut freq = None;
    for part in rule.split(';') {
        let Some((k, v)) = part.split_once('=') else {
            return Err(bad("each part of the rule is NAME=VALUE"));
        };
        match k {
            "FREQ" => freq = Some(v.to_owned()),
            "DTSTART" | "BYHOUR" | "BYMINUTE" | "BYSECOND" => {
                return Err(bad(
                    "the start and the time of day are set beside the rule, not in it",
                ));
            }
            _ => {}
        }
    }
    match freq.as_deref() {
        Some("DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY") => Ok(rule),
        Some(_) => Err(bad("a slot repeats daily, weekly, monthly or yearly")),
        None => Err(bad("the rule needs FREQ, e.g. FREQ=WEEKLY;BYDAY=TU,TH")),
    }
}

fn rule_set(draft: &RecurringSlotDraft, tz: Tz) -> Fields<rrule::RRuleSet> {
    let rule = check_rule_text(&draft.rrule)?;
    let start = draft.starts_on.and_time(draft.time.0);
    let text = format!(
        "DTSTART;TZID={}:{}\nRRULE:{rule}",
        tz.name(),
        start.format("%Y%m%dT%H%M%S")
    );
    rrule::RRuleSet::from_str(&text).map_err(|e| {
        FieldError::new(
            "rrule",
            "calendar.invalid_rrule",
            format!("not a valid RRULE: {e}"),
        )
    })
}

impl RecurringSlotDraft {
    /// `workspace_zone` is used when the slot names none.
    pub fn validate(mut self, workspace_zone: &str) -> Fields<Self> {
        self.name = validation::name("name", &self.name, 1, 80)?;
        self.time_zone = match self.time_zone.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(z) => Some(parse_zone("time_zone", z)?.name().to_owned()),
        };
        self.platform = self
            .platform
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        if self.account_id.is_some() && (self.tier.is_some() || self.platform.is_some()) {
            return Err(FieldError::new(
                "account_id",
                "calendar.slot_target",
                "a slot is for one account, or for a tier and platform",
            ));
        }
        let tz = self.zone(workspace_zone)?;
        self.rrule = check_rule_text(&self.rrule)?;
        rule_set(&self, tz)?;
        Ok(self)
    }

    pub fn zone(&self, workspace_zone: &str) -> Fields<Tz> {
        parse_zone(
            "time_zone",
            self.time_zone.as_deref().unwrap_or(workspace_zone),
        )
    }

    /// The occurrences in `[from, to)`.
    pub fn occurrences(
        &self,
        workspace_zone: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<DateTime<Utc>> {
        let Ok(tz) = self.zone(workspace_zone) else {
            return Vec::new();
        };
        let Ok(set) = rule_set(self, tz) else {
            return Vec::new();
        };
        let rtz = rrule::Tz::Tz(tz);
        // `after`/`before` are inclusive; a slot exactly at `to` belongs to the next range.
        set.after(rtz.from_utc_datetime(&from.naive_utc()))
            .before(rtz.from_utc_datetime(&to.naive_utc()))
            .all(MAX_OCCURRENCES)
            .dates
            .into_iter()
            .map(|d| d.with_timezone(&Utc))
            .filter(|d| *d >= from && *d < to)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(rule: &str, time: &str, zone: Option<&str>) -> RecurringSlotDraft {
        serde_json::from_value(serde_json::json!({
            "name": "KOE 晚间档", "rrule": rule, "time": time, "starts_on": "2026-12-01",
            "time_zone": zone, "tier": "KOE", "platform": "xiaohongshu"
        }))
        .unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn tuesdays_and_thursdays_at_eight_in_shanghai() {
        let s = slot("FREQ=WEEKLY;BYDAY=TU,TH", "20:00", None)
            .validate("Asia/Shanghai")
            .unwrap();
        let got = s.occurrences(
            "Asia/Shanghai",
            utc("2026-12-07T00:00:00Z"),
            utc("2026-12-14T00:00:00Z"),
        );
        // 20:00 in Shanghai is 12:00 UTC; Tuesday 8 and Thursday 10 December.
        assert_eq!(
            got,
            vec![utc("2026-12-08T12:00:00Z"), utc("2026-12-10T12:00:00Z")]
        );
    }

    #[test]
    fn a_slot_in_another_zone_follows_its_summer_time() {
        let s = slot("FREQ=DAILY", "09:00", Some("Europe/Berlin"))
            .validate("Asia/Shanghai")
            .unwrap();
        let mut s = s;
        s.starts_on = NaiveDate::from_ymd_opt(2026, 3, 27).unwrap();
        let got = s.occurrences(
            "Asia/Shanghai",
            utc("2026-03-28T00:00:00Z"),
            utc("2026-03-30T00:00:00Z"),
        );
        // Berlin moves to summer time on 29 March 2026: 09:00 is 08:00 UTC, then 07:00 UTC.
        assert_eq!(
            got,
            vec![utc("2026-03-28T08:00:00Z"), utc("2026-03-29T07:00:00Z")]
        );
    }

    #[test]
    fn bad_rules_and_zones_are_refused_with_their_field() {
        let cases: &[(&str, Option<&str>, &str, &str)] = &[
            (
                "FREQ=WEEKLY;BYDAY=XX",
                None,
                "rrule",
                "calendar.invalid_rrule",
            ),
            ("BYDAY=TU", None, "rrule", "calendar.invalid_rrule"),
            ("FREQ=HOURLY", None, "rrule", "calendar.invalid_rrule"),
            (
                "FREQ=WEEKLY;BYHOUR=20",
                None,
                "rrule",
                "calendar.invalid_rrule",
            ),
            (
                "FREQ=WEEKLY\nRRULE:FREQ=DAILY",
                None,
                "rrule",
                "calendar.invalid_rrule",
            ),
            ("", None, "rrule", "calendar.invalid_rrule"),
            (
                "FREQ=WEEKLY",
                Some("Mars/Olympus"),
                "time_zone",
                "validation.time_zone",
            ),
        ];
        for (rule, zone, field, code) in cases {
            let e = slot(rule, "20:00", *zone)
                .validate("Asia/Shanghai")
                .unwrap_err();
            assert_eq!((e.field.as_str(), e.code), (*field, *code), "{rule}");
        }
        let mut both = slot("FREQ=WEEKLY", "20:00", None);
        both.account_id = Some(crate::AccountId(1));
        assert_eq!(
            both.validate("Asia/Shanghai").unwrap_err().code,
            "calendar.slot_target"
        );
    }
}
