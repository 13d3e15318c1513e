//! Statutory holidays and adjusted working days (法定节假日 / 调休), per year. The years KOX
//! ships are defaults; an admin loads or edits a year, which then replaces the default.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validation::{self, FieldError, Fields};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    /// A day off (放假).
    Holiday,
    /// A weekend day worked instead (调休上班).
    Workday,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: String,
    pub kind: HolidayKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HolidaySource {
    /// What KOX ships for the year.
    Default,
    /// Loaded or edited by the workspace.
    Custom,
    /// Nothing known for the year.
    None,
}

/// One year's days as the API shows them.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct HolidayYear {
    pub year: i32,
    pub source: HolidaySource,
    pub days: Vec<Holiday>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolidayYearInput {
    pub days: Vec<Holiday>,
}

pub const MIN_YEAR: i32 = 2000;
pub const MAX_YEAR: i32 = 2100;

pub fn check_year(year: i32) -> Fields<i32> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        Ok(year)
    } else {
        Err(FieldError::new(
            "year",
            "validation.range",
            format!("year must be between {MIN_YEAR} and {MAX_YEAR}"),
        ))
    }
}

/// Checks a year's list: every day in that year, each day once, names present; sorted.
pub fn validate_year(year: i32, mut days: Vec<Holiday>) -> Fields<Vec<Holiday>> {
    check_year(year)?;
    if days.len() > 366 {
        return Err(FieldError::new(
            "days",
            "validation.too_many",
            "at most 366 days a year",
        ));
    }
    for (i, d) in days.iter_mut().enumerate() {
        if d.date.year() != year {
            return Err(FieldError::new(
                format!("days.{i}.date"),
                "validation.range",
                format!("{} is not in {year}", d.date),
            ));
        }
        d.name = validation::name(&format!("days.{i}.name"), &d.name, 1, 40)?;
    }
    days.sort_by_key(|d| d.date);
    if let Some(w) = days.windows(2).find(|w| w[0].date == w[1].date) {
        let i = days.iter().position(|d| d.date == w[1].date).unwrap_or(0) + 1;
        return Err(FieldError::new(
            format!("days.{i}.date"),
            "conflict.duplicate",
            format!("{} is listed twice", w[1].date),
        ));
    }
    Ok(days)
}

fn span(out: &mut Vec<Holiday>, name: &str, kind: HolidayKind, dates: &[(i32, u32, u32)]) {
    for (y, m, d) in dates {
        if let Some(date) = NaiveDate::from_ymd_opt(*y, *m, *d) {
            out.push(Holiday {
                date,
                name: name.into(),
                kind,
            });
        }
    }
}

fn range(y: i32, m: u32, from: u32, to: u32) -> Vec<(i32, u32, u32)> {
    (from..=to).map(|d| (y, m, d)).collect()
}

/// The days KOX ships for a year: 2026 as the State Council announced it (with 调休), 2027 as
/// the statutory days under the 2025 rules (its 调休 is announced late in the year before and
/// is loaded by the admin).
pub fn default_year(year: i32) -> Option<Vec<Holiday>> {
    use HolidayKind::{Holiday as Off, Workday as Work};
    let mut d = Vec::new();
    match year {
        2026 => {
            span(&mut d, "元旦", Off, &range(2026, 1, 1, 3));
            span(&mut d, "元旦调休", Work, &[(2026, 1, 4)]);
            span(&mut d, "春节", Off, &range(2026, 2, 15, 23));
            span(&mut d, "春节调休", Work, &[(2026, 2, 14), (2026, 2, 28)]);
            span(&mut d, "清明节", Off, &range(2026, 4, 4, 6));
            span(&mut d, "劳动节", Off, &range(2026, 5, 1, 5));
            span(&mut d, "劳动节调休", Work, &[(2026, 5, 9)]);
            span(&mut d, "端午节", Off, &range(2026, 6, 19, 21));
            span(&mut d, "中秋节", Off, &range(2026, 9, 25, 27));
            span(&mut d, "国庆节", Off, &range(2026, 10, 1, 7));
            span(&mut d, "国庆节调休", Work, &[(2026, 9, 20), (2026, 10, 10)]);
        }
        2027 => {
            span(&mut d, "元旦", Off, &[(2027, 1, 1)]);
            span(&mut d, "春节", Off, &range(2027, 2, 5, 8));
            span(&mut d, "清明节", Off, &[(2027, 4, 5)]);
            span(&mut d, "劳动节", Off, &range(2027, 5, 1, 2));
            span(&mut d, "端午节", Off, &[(2027, 6, 9)]);
            span(&mut d, "中秋节", Off, &[(2027, 9, 15)]);
            span(&mut d, "国庆节", Off, &range(2027, 10, 1, 3));
        }
        _ => return None,
    }
    d.sort_by_key(|h| h.date);
    Some(d)
}

/// The rest days of a list (what the holiday rule reads), by date.
pub fn rest_days(days: &[Holiday]) -> HashMap<NaiveDate, String> {
    days.iter()
        .filter(|d| d.kind == HolidayKind::Holiday)
        .map(|d| (d.date, d.name.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_years_are_valid_and_2026_has_its_adjusted_working_days() {
        for y in [2026, 2027] {
            let days = default_year(y).unwrap();
            assert_eq!(validate_year(y, days.clone()).unwrap(), days);
        }
        let d26 = default_year(2026).unwrap();
        let off = d26
            .iter()
            .filter(|d| d.kind == HolidayKind::Holiday)
            .count();
        // 3 + 9 + 3 + 5 + 3 + 3 + 7 days off, six weekend days worked.
        assert_eq!(off, 33);
        assert_eq!(d26.len() - off, 6);
        let rest = rest_days(&d26);
        assert_eq!(
            rest.get(&NaiveDate::from_ymd_opt(2026, 10, 3).unwrap())
                .unwrap(),
            "国庆节"
        );
        assert!(!rest.contains_key(&NaiveDate::from_ymd_opt(2026, 10, 10).unwrap()));
        assert!(default_year(2025).is_none());
    }

    #[test]
    fn a_year_refuses_days_of_another_year_and_duplicates() {
        let day = |s: &str| Holiday {
            date: s.parse().unwrap(),
            name: "元旦".into(),
            kind: HolidayKind::Holiday,
        };
        assert_eq!(
            validate_year(2026, vec![day("2027-01-01")])
                .unwrap_err()
                .field,
            "days.0.date"
        );
        assert_eq!(
            validate_year(2026, vec![day("2026-01-01"), day("2026-01-01")])
                .unwrap_err()
                .code,
            "conflict.duplicate"
        );
        assert_eq!(validate_year(1999, vec![]).unwrap_err().field, "year");
        let mut unnamed = day("2026-01-01");
        unnamed.name = " ".into();
        assert_eq!(
            validate_year(2026, vec![unnamed]).unwrap_err().field,
            "days.0.name"
        );
    }
}
