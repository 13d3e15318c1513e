//! Cells of platform exports as they really are: counts like `1.2万`, `3.4w`, `10w+` (at least
//! 100,000), `1.5k`, `3,456`, numbers stored as text (`3456.0`); `-`, `—`, `--` or empty for a
//! value the platform did not give (missing, never zero); rates as fractions (`0.166`) or
//! percentages (`11.14%`); durations like `32.50秒`, `1分05秒` or `00:01:05`; and dates in the
//! usual forms (`2026-11-03`, `2026/11/3`, `2026年11月3日 20:15`, `2026年01月05日22时30分05秒`,
//! `11-03`, Excel serial days), read in the workspace's time zone.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::validation::FieldError;

/// A metric cell: a count, or "at least" a count (`10w+`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub value: i64,
    /// Written with a `+`: the platform shows a floor, not the number.
    pub at_least: bool,
}

/// Whether a cell says "no value" (the platform did not give one).
pub fn is_missing(raw: &str) -> bool {
    matches!(
        raw.trim(),
        "" | "-"
            | "--"
            | "—"
            | "——"
            | "－"
            | "/"
            | "N/A"
            | "n/a"
            | "NA"
            | "null"
            | "NULL"
            | "暂无"
            | "无"
    )
}

/// Why a cell could not be read (an error code of the catalogue and a message).
pub type CellError = FieldError;

/// A count cell: `Ok(None)` when missing, an error for text that is no count or a negative one.
pub fn count(raw: &str) -> Result<Option<Count>, CellError> {
    if is_missing(raw) {
        return Ok(None);
    }
    let t = raw.trim();
    let at_least = t.ends_with('+');
    if t.starts_with('-') && t.len() > 1 {
        return Err(FieldError::new(
            "",
            "imports.negative",
            format!("\"{t}\" is negative; counts start at 0"),
        ));
    }
    // Numbers stored as text by a spreadsheet (`3456.0`) or written with a `.0`.
    let plain = t.trim_end_matches('+');
    if let Some(v) = super::super::imports::parse_count(plain) {
        return Ok(Some(Count { value: v, at_least }));
    }
    let digits = plain.replace([',', '，'], "");
    if digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && let Ok(f) = digits.parse::<f64>()
        && f.is_finite()
        && (0.0..9.0e15).contains(&f)
    {
        // A count given with decimals (an average the platform rounds): rounded.
        return Ok(Some(Count {
            value: f.round() as i64,
            at_least,
        }));
    }
    Err(FieldError::new(
        "",
        "imports.not_a_count",
        format!("\"{t}\" is not a count"),
    ))
}

/// A rate as a fraction: `0.166` stays, `11.14%` is 0.1114, `55.9 %` is 0.559.
pub fn rate(raw: &str) -> Result<Option<f64>, CellError> {
    if is_missing(raw) {
        return Ok(None);
    }
    let t = raw.trim();
    let (num, pct) = match t.strip_suffix('%').or_else(|| t.strip_suffix('％')) {
        Some(n) => (n.trim(), true),
        None => (t, false),
    };
    let v: f64 = num
        .replace([',', '，'], "")
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| {
            FieldError::new("", "imports.not_a_rate", format!("\"{t}\" is not a rate"))
        })?;
    if v < 0.0 {
        return Err(FieldError::new(
            "",
            "imports.negative",
            format!("\"{t}\" is negative"),
        ));
    }
    Ok(Some(if pct { v / 100.0 } else { v }))
}

/// A duration in seconds: `32.50秒`, `32.5s`, `1分05秒`, `1m5s`, `00:01:05`, `01:05`, or a plain
/// number of seconds.
pub fn seconds(raw: &str) -> Result<Option<f64>, CellError> {
    if is_missing(raw) {
        return Ok(None);
    }
    let t = raw.trim();
    let bad = || {
        FieldError::new(
            "",
            "imports.not_a_duration",
            format!("\"{t}\" is not a duration"),
        )
    };
    if t.contains(':') {
        let parts: Vec<&str> = t.split(':').collect();
        if parts.len() > 3 {
            return Err(bad());
        }
        let mut total = 0.0;
        for p in &parts {
            let v: f64 = p.trim().parse().map_err(|_| bad())?;
            if !(v.is_finite() && v >= 0.0) {
                return Err(bad());
            }
            total = total * 60.0 + v;
        }
        return Ok(Some(total));
    }
    let mut total = 0.0;
    let mut num = String::new();
    let mut any = false;
    for c in t.chars() {
        match c {
            '0'..='9' | '.' => num.push(c),
            ' ' => {}
            _ => {
                let factor = match c {
                    '时' | '小' | 'h' | 'H' => 3600.0,
                    '分' | 'm' | 'M' => 60.0,
                    '秒' | 's' | 'S' => 1.0,
                    // The 时 of 小时 and the 钟 of 分钟 follow their unit.
                    '钟' => continue,
                    _ => return Err(bad()),
                };
                if num.is_empty() {
                    if c == '时' {
                        continue;
                    }
                    return Err(bad());
                }
                total += num.parse::<f64>().map_err(|_| bad())? * factor;
                num.clear();
                any = true;
            }
        }
    }
    if !num.is_empty() {
        total += num.parse::<f64>().map_err(|_| bad())?;
        any = true;
    }
    if any && total.is_finite() {
        Ok(Some(total))
    } else {
        Err(bad())
    }
}

/// A point in time read from a cell, with how precisely the cell gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    pub at: DateTime<Utc>,
    /// The cell had no time of day (midnight in the workspace's zone was taken).
    pub date_only: bool,
    /// The form it was written in (for a column that mixes forms).
    pub form: DateForm,
}

/// The forms a date is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateForm {
    /// `2026-11-03`, `2026/11/3`, `2026.11.3`
    Numeric,
    /// `2026年11月3日`
    Chinese,
    /// `11-03`, `11/3`, `11月3日`: the year is the nearest that does not put it in the future.
    NoYear,
    /// An Excel serial day (`46329`, `46329.75`).
    Serial,
    /// RFC 3339 with a zone (`2026-11-03T12:15:00Z`).
    Zoned,
}

impl DateForm {
    pub fn example(self) -> &'static str {
        match self {
            DateForm::Numeric => "2026-11-03",
            DateForm::Chinese => "2026年11月3日",
            DateForm::NoYear => "11-03",
            DateForm::Serial => "46329",
            DateForm::Zoned => "2026-11-03T12:15:00Z",
        }
    }
}

/// Excel's day 0 (its serial 1 is 1900-01-01, counting the 1900 leap day it believes in).
fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default()
}

/// A date, with or without a time, in `tz`. `today` (in `tz`) decides the year of a date written
/// without one: this year, or last year when that would be more than a week ahead.
pub fn when(raw: &str, tz: Tz, today: NaiveDate) -> Result<Option<When>, CellError> {
    if is_missing(raw) {
        return Ok(None);
    }
    let t = raw.trim();
    let bad = || FieldError::new("", "imports.not_a_date", format!("\"{t}\" is not a date"));
    if let Ok(z) = DateTime::parse_from_rfc3339(t) {
        return Ok(Some(When {
            at: z.with_timezone(&Utc),
            date_only: false,
            form: DateForm::Zoned,
        }));
    }
    // An Excel serial day, with the time as its fraction.
    if let Ok(n) = t.parse::<f64>() {
        if !(1.0..2_958_466.0).contains(&n) || !t.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(bad());
        }
        let days = n.trunc() as i64;
        let secs = ((n - n.trunc()) * 86_400.0).round() as i64;
        let local =
            excel_epoch().and_time(NaiveTime::MIN) + Duration::days(days) + Duration::seconds(secs);
        return Ok(Some(When {
            at: local_to_utc(tz, local).ok_or_else(bad)?,
            date_only: secs == 0,
            form: DateForm::Serial,
        }));
    }
    let (day_part, time_part) = split_day_time(t);
    let chinese = day_part.contains('年') || day_part.contains('月');
    let fields: Vec<&str> = day_part
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|s| !s.is_empty())
        .collect();
    let num = |s: &str| s.trim().parse::<u32>().map_err(|_| bad());
    let (date, form) = match fields.as_slice() {
        [y, m, d] => {
            let y = i32::try_from(num(y)?).map_err(|_| bad())?;
            if !(1900..=9999).contains(&y) {
                return Err(bad());
            }
            let form = if chinese {
                DateForm::Chinese
            } else {
                DateForm::Numeric
            };
            (
                NaiveDate::from_ymd_opt(y, num(m)?, num(d)?).ok_or_else(bad)?,
                form,
            )
        }
        [m, d] => {
            let (m, d) = (num(m)?, num(d)?);
            let this = NaiveDate::from_ymd_opt(today.year(), m, d);
            let date = match this {
                Some(x) if x <= today + Duration::days(7) => x,
                _ => NaiveDate::from_ymd_opt(today.year() - 1, m, d).ok_or_else(bad)?,
            };
            (date, DateForm::NoYear)
        }
        _ => return Err(bad()),
    };
    let time = match time_part {
        None => None,
        Some(s) => Some(time_of_day(s).ok_or_else(bad)?),
    };
    let local = date.and_time(time.unwrap_or(NaiveTime::MIN));
    Ok(Some(When {
        at: local_to_utc(tz, local).ok_or_else(bad)?,
        date_only: time.is_none(),
        form,
    }))
}

/// Splits `2026-11-03 20:15`, `2026-11-03T20:15:00`, `2026年01月05日22时30分05秒` into day and time.
fn split_day_time(t: &str) -> (&str, Option<&str>) {
    if let Some(i) = t.find(['T', ' ']) {
        let rest = t[i + 1..].trim();
        return (&t[..i], (!rest.is_empty()).then_some(rest));
    }
    if let Some(i) = t.find('日') {
        let rest = t[i + '日'.len_utf8()..].trim();
        return (
            &t[..i + '日'.len_utf8()],
            (!rest.is_empty()).then_some(rest),
        );
    }
    (t, None)
}

/// `20:15`, `20:15:30`, `20:15:30.5`, `20时15分`, `22时30分05秒`, `20点15分`.
fn time_of_day(s: &str) -> Option<NaiveTime> {
    let parts: Vec<&str> = s
        .trim_end_matches(['秒', 'Z'])
        .split([':', '时', '点', '分'])
        .filter(|p| !p.is_empty())
        .collect();
    let n = |i: usize| -> Option<f64> {
        parts
            .get(i)
            .map_or(Some(0.0), |p| p.trim().parse::<f64>().ok())
    };
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let (h, m, sec) = (n(0)?, n(1)?, n(2)?);
    NaiveTime::from_hms_opt(h as u32, m as u32, sec as u32)
        .filter(|_| h.fract() == 0.0 && m.fract() == 0.0 && (0.0..60.0).contains(&sec))
}

fn local_to_utc(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&local)
        .earliest()
        .map(|d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(v: i64) -> Count {
        Count {
            value: v,
            at_least: false,
        }
    }

    #[test]
    fn counts_as_exports_write_them() {
        let cases: &[(&str, Option<Count>)] = &[
            ("3456", Some(c(3456))),
            ("3,456", Some(c(3456))),
            ("3456.0", Some(c(3456))),
            ("1.2万", Some(c(12_000))),
            ("3.4w", Some(c(34_000))),
            ("1.5k", Some(c(1_500))),
            (
                "10w+",
                Some(Count {
                    value: 100_000,
                    at_least: true,
                }),
            ),
            (
                "100万+",
                Some(Count {
                    value: 1_000_000,
                    at_least: true,
                }),
            ),
            ("-", None),
            ("—", None),
            ("--", None),
            ("", None),
            ("  ", None),
            ("12.7", Some(c(13))),
        ];
        for (raw, want) in cases {
            assert_eq!(count(raw).unwrap(), *want, "{raw:?}");
        }
        assert_eq!(count("-5").unwrap_err().code, "imports.negative");
        assert_eq!(count("很多").unwrap_err().code, "imports.not_a_count");
        assert_eq!(count("1e5").unwrap_err().code, "imports.not_a_count");
    }

    #[test]
    fn rates_and_durations() {
        assert_eq!(rate("0.166").unwrap(), Some(0.166));
        assert!((rate("11.14%").unwrap().unwrap() - 0.1114).abs() < 1e-12);
        assert!((rate("55.9 %").unwrap().unwrap() - 0.559).abs() < 1e-12);
        assert_eq!(rate("-").unwrap(), None);
        assert_eq!(rate("高").unwrap_err().code, "imports.not_a_rate");
        let d: &[(&str, Option<f64>)] = &[
            ("32.50秒", Some(32.5)),
            ("32.5s", Some(32.5)),
            ("1分05秒", Some(65.0)),
            ("1分钟5秒", Some(65.0)),
            ("1m5s", Some(65.0)),
            ("00:01:05", Some(65.0)),
            ("01:05", Some(65.0)),
            ("1小时", Some(3600.0)),
            ("40", Some(40.0)),
            ("-", None),
        ];
        for (raw, want) in d {
            assert_eq!(seconds(raw).unwrap(), *want, "{raw:?}");
        }
        assert!(seconds("很久").is_err());
        assert!(seconds("秒").is_err());
    }

    #[test]
    fn dates_in_the_workspace_zone() {
        let tz: Tz = chrono_tz::Asia::Shanghai;
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let utc = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let cases: &[(&str, &str, bool, DateForm)] = &[
            (
                "2026-11-03",
                "2026-11-02T16:00:00Z",
                true,
                DateForm::Numeric,
            ),
            ("2026/11/3", "2026-11-02T16:00:00Z", true, DateForm::Numeric),
            ("2026.11.3", "2026-11-02T16:00:00Z", true, DateForm::Numeric),
            (
                "2026-11-03 20:15",
                "2026-11-03T12:15:00Z",
                false,
                DateForm::Numeric,
            ),
            (
                "2025-09-26 19:30:00",
                "2025-09-26T11:30:00Z",
                false,
                DateForm::Numeric,
            ),
            (
                "2026-11-03T20:15:00",
                "2026-11-03T12:15:00Z",
                false,
                DateForm::Numeric,
            ),
            (
                "2026年11月3日 20:15",
                "2026-11-03T12:15:00Z",
                false,
                DateForm::Chinese,
            ),
            (
                "2026年01月05日22时30分05秒",
                "2026-01-05T14:30:05Z",
                false,
                DateForm::Chinese,
            ),
            (
                "2026年06月03日 16:41:25",
                "2026-06-03T08:41:25Z",
                false,
                DateForm::Chinese,
            ),
            ("11-03", "2026-11-02T16:00:00Z", true, DateForm::NoYear),
            ("12-10", "2026-12-09T16:00:00Z", true, DateForm::NoYear),
            // More than a week ahead: last year's.
            ("12-25", "2025-12-24T16:00:00Z", true, DateForm::NoYear),
            ("11月3日", "2026-11-02T16:00:00Z", true, DateForm::NoYear),
            ("46329", "2026-11-02T16:00:00Z", true, DateForm::Serial),
            ("46329.5", "2026-11-03T04:00:00Z", false, DateForm::Serial),
            (
                "2026-11-03T12:15:00Z",
                "2026-11-03T12:15:00Z",
                false,
                DateForm::Zoned,
            ),
        ];
        for (raw, want, date_only, form) in cases {
            let w = when(raw, tz, today).unwrap().unwrap();
            assert_eq!(
                (w.at, w.date_only, w.form),
                (utc(want), *date_only, *form),
                "{raw}"
            );
        }
        // Another zone: the same cell is another instant.
        let ny: Tz = chrono_tz::America::New_York;
        assert_eq!(
            when("2026-11-03 20:15", ny, today).unwrap().unwrap().at,
            utc("2026-11-04T01:15:00Z")
        );
        for bad in [
            "2026-02-30",
            "明天",
            "2026-11-03 25:00",
            "13-40",
            "0",
            "1800-01-01",
        ] {
            assert_eq!(
                when(bad, tz, today).unwrap_err().code,
                "imports.not_a_date",
                "{bad}"
            );
        }
        assert_eq!(when("-", tz, today).unwrap(), None);
    }
}
