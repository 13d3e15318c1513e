//! Campaigns: a theme with a period, a budget in fen split by tier, required hashtags,
//! an optional embargo time, target KPIs and a status.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::accounts::Tier;
use crate::validation::{self, FieldError, Fields};

/// Money in fen (分). Never a float; 100 fen = 1 yuan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(pub i64);

/// One trillion yuan: far above any campaign, low enough that sums never overflow.
pub const MAX_FEN: i64 = 100_000_000_000_000;

impl Fen {
    pub fn parse(field: &str, v: i64) -> Fields<Fen> {
        if (0..=MAX_FEN).contains(&v) {
            Ok(Fen(v))
        } else {
            Err(FieldError::new(
                field,
                "validation.range",
                "amount must be between 0 and 1,000,000,000,000 yuan (in fen)",
            ))
        }
    }
}

/// A hashtag without its `#` marks. `#话题#`, `#话题` and `话题` are the same tag.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Hashtag(String);

impl Hashtag {
    pub fn parse(field: &str, raw: &str) -> Fields<Hashtag> {
        let t = raw
            .trim()
            .trim_start_matches(['#', '＃'])
            .trim_end_matches(['#', '＃'])
            .trim();
        let t = validation::text(field, t, 1, 50)?;
        if t.contains(char::is_whitespace) || t.contains(['#', '＃']) {
            return Err(FieldError::new(
                field,
                "validation.hashtag",
                "a hashtag is one word without spaces or inner #",
            ));
        }
        Ok(Hashtag(t))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    #[default]
    Planned,
    Active,
    Completed,
    Cancelled,
}

impl CampaignStatus {
    pub const ALL: [CampaignStatus; 4] = [
        CampaignStatus::Planned,
        CampaignStatus::Active,
        CampaignStatus::Completed,
        CampaignStatus::Cancelled,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Planned => "planned",
            CampaignStatus::Active => "active",
            CampaignStatus::Completed => "completed",
            CampaignStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<CampaignStatus> {
        CampaignStatus::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignDraft {
    pub name: String,
    #[serde(default)]
    pub theme: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Total budget in fen.
    #[serde(default)]
    #[schema(value_type = i64)]
    pub budget_fen: Fen,
    /// Budget split by tier, in fen; the parts may not exceed the total.
    #[serde(default)]
    #[schema(value_type = BTreeMap<Tier, i64>)]
    pub budget_by_tier: BTreeMap<Tier, Fen>,
    #[serde(default = "default_currency")]
    pub currency: String,
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub required_hashtags: Vec<Hashtag>,
    #[serde(default)]
    pub embargo_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub target_kpis: String,
    #[serde(default)]
    pub status: CampaignStatus,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub custom: serde_json::Map<String, serde_json::Value>,
}

fn default_currency() -> String {
    "CNY".into()
}

impl CampaignDraft {
    pub fn validate(mut self) -> Fields<Self> {
        self.name = validation::name("name", &self.name, 1, 100)?;
        self.theme = validation::text("theme", &self.theme, 0, 200)?;
        if self.ends_on < self.starts_on {
            return Err(FieldError::new(
                "ends_on",
                "campaigns.period_reversed",
                "the campaign must end on or after its start",
            ));
        }
        Fen::parse("budget_fen", self.budget_fen.0)?;
        let mut parts = 0i64;
        for (tier, fen) in &self.budget_by_tier {
            Fen::parse(&format!("budget_by_tier.{}", tier.as_str()), fen.0)?;
            parts += fen.0;
        }
        if parts > self.budget_fen.0 {
            return Err(FieldError::new(
                "budget_by_tier",
                "campaigns.budget_split_exceeds_total",
                "the tier budgets add up to more than the total budget",
            ));
        }
        if !matches!(self.currency.as_str(), "CNY" | "HKD" | "USD" | "EUR") {
            return Err(FieldError::new(
                "currency",
                "validation.currency",
                "currency must be CNY, HKD, USD or EUR",
            ));
        }
        let mut tags: Vec<Hashtag> = Vec::new();
        for (i, t) in self.required_hashtags.iter().enumerate() {
            let t = Hashtag::parse(&format!("required_hashtags.{i}"), t.as_str())?;
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        if tags.len() > 20 {
            return Err(FieldError::new(
                "required_hashtags",
                "validation.too_many",
                "at most 20 hashtags",
            ));
        }
        self.required_hashtags = tags;
        self.target_kpis = validation::text("target_kpis", &self.target_kpis, 0, 4000)?;
        Ok(self)
    }
}

crate::versioned::versioned!(Campaign => CampaignDraft, CampaignPatch {
    name, theme, starts_on, ends_on, budget_fen, budget_by_tier, currency, required_hashtags, embargo_at, target_kpis, status,
});

#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignPatch {
    pub version: i64,
    pub name: Option<String>,
    pub theme: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    #[schema(value_type = Option<i64>)]
    pub budget_fen: Option<Fen>,
    #[schema(value_type = Option<BTreeMap<Tier, i64>>)]
    pub budget_by_tier: Option<BTreeMap<Tier, Fen>>,
    pub currency: Option<String>,
    #[schema(value_type = Option<Vec<String>>)]
    pub required_hashtags: Option<Vec<Hashtag>>,
    /// `null` clears the embargo.
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub embargo_at: Option<Option<DateTime<Utc>>>,
    pub target_kpis: Option<String>,
    pub status: Option<CampaignStatus>,
    #[schema(value_type = Option<Object>)]
    pub custom: Option<serde_json::Map<String, serde_json::Value>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> CampaignDraft {
        serde_json::from_value(serde_json::json!({
            "name": " 星河S7 上市 ",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-31",
            "budget_fen": 100_000_000,
            "budget_by_tier": {"KOL": 60_000_000, "KOC": 30_000_000},
            "required_hashtags": ["#星河S7#", "星河S7", "#智能座舱"]
        }))
        .unwrap()
    }

    #[test]
    fn hashtags_in_any_form_normalise_to_one() {
        for raw in ["#星河S7#", "#星河S7", "星河S7", " ＃星河S7 "] {
            assert_eq!(
                Hashtag::parse("t", raw).unwrap().as_str(),
                "星河S7",
                "{raw}"
            );
        }
        for bad in ["#", "两个 词", "a#b", ""] {
            assert!(Hashtag::parse("t", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_valid_campaign_is_normalised() {
        let c = draft().validate().unwrap();
        assert_eq!(c.name, "星河S7 上市");
        assert_eq!(c.currency, "CNY");
        let tags: Vec<&str> = c.required_hashtags.iter().map(Hashtag::as_str).collect();
        assert_eq!(tags, ["星河S7", "智能座舱"]);
    }

    #[test]
    fn tier_budgets_may_not_exceed_the_total() {
        let mut c = draft();
        c.budget_by_tier.insert(Tier::Kos, Fen(10_000_001));
        assert_eq!(
            c.validate().unwrap_err().code,
            "campaigns.budget_split_exceeds_total"
        );
    }

    #[test]
    fn a_period_that_ends_before_it_starts_is_refused() {
        let mut c = draft();
        c.ends_on = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(c.validate().unwrap_err().field, "ends_on");
    }

    #[test]
    fn negative_money_is_refused() {
        let mut c = draft();
        c.budget_fen = Fen(-1);
        assert_eq!(c.validate().unwrap_err().field, "budget_fen");
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Campaign {
    #[schema(value_type = i64)]
    pub id: crate::CampaignId,
    pub name: String,
    pub theme: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    #[schema(value_type = i64)]
    pub budget_fen: Fen,
    #[schema(value_type = BTreeMap<Tier, i64>)]
    pub budget_by_tier: BTreeMap<Tier, Fen>,
    pub currency: String,
    #[schema(value_type = Vec<String>)]
    pub required_hashtags: Vec<Hashtag>,
    pub embargo_at: Option<DateTime<Utc>>,
    pub target_kpis: String,
    pub status: CampaignStatus,
    #[schema(value_type = Object)]
    pub custom: serde_json::Map<String, serde_json::Value>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
