//! The workspace's schedule rules (成员与设置 → 排期规则): each rule off, warn or block, with
//! its numbers. Validated as a whole; a missing rule takes its default.

use chrono::{NaiveTime, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::ToSchema;

use crate::accounts::Tier;
use crate::validation::{FieldError, Fields};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum RuleMode {
    Off,
    #[default]
    Warn,
    Block,
}

/// A time of day as `HH:MM` in the workspace's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ToSchema)]
#[schema(value_type = String, example = "01:00")]
pub struct ClockTime(pub NaiveTime);

impl ClockTime {
    pub fn parse(field: &str, raw: &str) -> Fields<Self> {
        NaiveTime::parse_from_str(raw.trim(), "%H:%M")
            .map(ClockTime)
            .map_err(|_| {
                FieldError::new(
                    field,
                    "calendar.invalid_time",
                    "a time of day is written HH:MM, e.g. 20:00",
                )
            })
    }
    pub fn hm(h: u32, m: u32) -> Self {
        ClockTime(NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default())
    }
}

impl std::fmt::Display for ClockTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.0.hour(), self.0.minute())
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        ClockTime::parse("time", &raw).map_err(|e| serde::de::Error::custom(e.message))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModeRule {
    pub mode: RuleMode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoursRule {
    pub mode: RuleMode,
    pub hours: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CountRule {
    pub mode: RuleMode,
    pub max: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuietWindow {
    /// A platform code, or `null` for every platform.
    #[serde(default)]
    pub platform: Option<String>,
    pub start: ClockTime,
    pub end: ClockTime,
}

impl QuietWindow {
    /// Whether a local time of day falls in the window (`start` inclusive, `end` exclusive;
    /// a window may run over midnight).
    pub fn contains(&self, t: NaiveTime) -> bool {
        let (s, e) = (self.start.0, self.end.0);
        if s <= e {
            s <= t && t < e
        } else {
            t >= s || t < e
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuietRule {
    pub mode: RuleMode,
    pub windows: Vec<QuietWindow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpacingRule {
    pub mode: RuleMode,
    /// More than this many matrix accounts of one platform …
    pub accounts: u32,
    /// … within this many hours.
    pub hours: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayRule {
    pub mode: RuleMode,
    /// The tiers that should not post on statutory holidays.
    pub tiers: Vec<Tier>,
}

/// Every schedule rule of one workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ScheduleRules {
    /// The minimum gap between two posts of one account.
    pub min_gap: HoursRule,
    /// At most this many posts per account per day (workspace time zone).
    pub account_daily: CountRule,
    /// At most this many posts per platform per day across the matrix.
    pub platform_daily: CountRule,
    /// Hours of the night nobody reads (per platform or for all).
    pub quiet_hours: QuietRule,
    /// Nothing of a campaign before its embargo (T0).
    pub embargo: ModeRule,
    /// The same topic or required hashtag on many accounts of one platform at once.
    pub topic_spacing: SpacingRule,
    /// Scheduled after the item's due date.
    pub after_due: ModeRule,
    /// Scheduled within `hours` and not approved yet.
    pub unapproved: HoursRule,
    /// A new schedule in the past.
    pub past_slot: ModeRule,
    /// Posts of these tiers on a statutory holiday.
    pub holiday: HolidayRule,
}

impl Default for ScheduleRules {
    fn default() -> Self {
        Self {
            min_gap: HoursRule {
                mode: RuleMode::Warn,
                hours: 4,
            },
            account_daily: CountRule {
                mode: RuleMode::Warn,
                max: 3,
            },
            platform_daily: CountRule {
                mode: RuleMode::Off,
                max: 100,
            },
            quiet_hours: QuietRule {
                mode: RuleMode::Warn,
                windows: vec![QuietWindow {
                    platform: None,
                    start: ClockTime::hm(1, 0),
                    end: ClockTime::hm(7, 0),
                }],
            },
            embargo: ModeRule {
                mode: RuleMode::Block,
            },
            topic_spacing: SpacingRule {
                mode: RuleMode::Warn,
                accounts: 5,
                hours: 2,
            },
            after_due: ModeRule {
                mode: RuleMode::Warn,
            },
            unapproved: HoursRule {
                mode: RuleMode::Warn,
                hours: 24,
            },
            past_slot: ModeRule {
                mode: RuleMode::Block,
            },
            holiday: HolidayRule {
                mode: RuleMode::Warn,
                tiers: vec![Tier::Koe],
            },
        }
    }
}

fn bounded(field: &str, value: u32, min: u32, max: u32) -> Fields<()> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            "validation.range",
            format!("{field} must be between {min} and {max}"),
        ))
    }
}

pub const MAX_QUIET_WINDOWS: usize = 20;

impl ScheduleRules {
    /// Checks every number; platform codes of quiet windows are checked by the caller against
    /// the workspace's platforms.
    pub fn validate(mut self) -> Fields<Self> {
        bounded("min_gap.hours", self.min_gap.hours, 1, 168)?;
        bounded("account_daily.max", self.account_daily.max, 1, 100)?;
        bounded("platform_daily.max", self.platform_daily.max, 1, 100_000)?;
        bounded(
            "topic_spacing.accounts",
            self.topic_spacing.accounts,
            1,
            10_000,
        )?;
        bounded("topic_spacing.hours", self.topic_spacing.hours, 1, 168)?;
        bounded("unapproved.hours", self.unapproved.hours, 1, 720)?;
        if self.quiet_hours.windows.len() > MAX_QUIET_WINDOWS {
            return Err(FieldError::new(
                "quiet_hours.windows",
                "validation.too_many",
                format!("at most {MAX_QUIET_WINDOWS} quiet windows"),
            ));
        }
        for (i, w) in self.quiet_hours.windows.iter_mut().enumerate() {
            if w.start == w.end {
                return Err(FieldError::new(
                    format!("quiet_hours.windows.{i}.end"),
                    "validation.range",
                    "a quiet window ends at another time than it starts",
                ));
            }
            w.platform = w
                .platform
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned);
        }
        self.holiday.tiers.sort();
        self.holiday.tiers.dedup();
        Ok(self)
    }

    /// The longest window any rule looks around a slot, so a caller knows how much of the
    /// schedule to load around a range.
    pub fn reach(&self) -> chrono::Duration {
        let hours = self.min_gap.hours.max(self.topic_spacing.hours).max(48);
        chrono::Duration::hours(i64::from(hours))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_windows_may_run_over_midnight() {
        let w = |s: (u32, u32), e: (u32, u32)| QuietWindow {
            platform: None,
            start: ClockTime::hm(s.0, s.1),
            end: ClockTime::hm(e.0, e.1),
        };
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let cases: &[(QuietWindow, NaiveTime, bool)] = &[
            (w((1, 0), (7, 0)), t(1, 0), true),
            (w((1, 0), (7, 0)), t(6, 59), true),
            (w((1, 0), (7, 0)), t(7, 0), false),
            (w((1, 0), (7, 0)), t(0, 59), false),
            (w((23, 0), (6, 0)), t(23, 30), true),
            (w((23, 0), (6, 0)), t(2, 0), true),
            (w((23, 0), (6, 0)), t(6, 0), false),
            (w((23, 0), (6, 0)), t(12, 0), false),
        ];
        for (win, at, want) in cases {
            assert_eq!(win.contains(*at), *want, "{win:?} {at}");
        }
    }

    #[test]
    fn rules_default_when_left_out_and_are_bounded() {
        let r: ScheduleRules =
            serde_json::from_str(r#"{"min_gap":{"mode":"block","hours":6}}"#).unwrap();
        assert_eq!(r.min_gap.hours, 6);
        assert_eq!(r.embargo.mode, RuleMode::Block);
        assert!(r.clone().validate().is_ok());
        let cases: &[(&str, &str)] = &[
            (r#"{"min_gap":{"mode":"warn","hours":0}}"#, "min_gap.hours"),
            (
                r#"{"account_daily":{"mode":"warn","max":0}}"#,
                "account_daily.max",
            ),
            (
                r#"{"topic_spacing":{"mode":"warn","accounts":0,"hours":2}}"#,
                "topic_spacing.accounts",
            ),
            (
                r#"{"unapproved":{"mode":"warn","hours":1000}}"#,
                "unapproved.hours",
            ),
            (
                r#"{"quiet_hours":{"mode":"warn","windows":[{"start":"02:00","end":"02:00"}]}}"#,
                "quiet_hours.windows.0.end",
            ),
        ];
        for (json, field) in cases {
            let r: ScheduleRules = serde_json::from_str(json).unwrap();
            assert_eq!(r.validate().unwrap_err().field, *field, "{json}");
        }
        assert!(
            serde_json::from_str::<ScheduleRules>(
                r#"{"quiet_hours":{"mode":"warn","windows":[{"start":"25:00","end":"02:00"}]}}"#
            )
            .is_err()
        );
        assert!(serde_json::from_str::<ScheduleRules>(r#"{"nope":1}"#).is_err());
    }
}
