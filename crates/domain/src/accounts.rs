//! The account matrix: tiers, ownership, status, and the rules an account's fields obey.
//!
//! `AccountDraft` is what a client sends to create an account; `AccountPatch` is a partial
//! edit. Both are validated here; the platform list and custom fields need workspace data,
//! so the caller checks those against what it loaded.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::UserId;
use crate::validation::{self, FieldError, Fields};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum Tier {
    Kol,
    Koc,
    Koe,
    Kos,
}

impl Tier {
    pub const ALL: [Tier; 4] = [Tier::Kol, Tier::Koc, Tier::Koe, Tier::Kos];
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Kol => "KOL",
            Tier::Koc => "KOC",
            Tier::Koe => "KOE",
            Tier::Kos => "KOS",
        }
    }
    pub fn parse(s: &str) -> Option<Tier> {
        Tier::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ownership {
    BrandOwned,
    EmployeeAuthorized,
    Partner,
    Paid,
}

impl Ownership {
    pub const ALL: [Ownership; 4] = [
        Ownership::BrandOwned,
        Ownership::EmployeeAuthorized,
        Ownership::Partner,
        Ownership::Paid,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Ownership::BrandOwned => "brand_owned",
            Ownership::EmployeeAuthorized => "employee_authorized",
            Ownership::Partner => "partner",
            Ownership::Paid => "paid",
        }
    }
    pub fn parse(s: &str) -> Option<Ownership> {
        Ownership::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    #[default]
    Active,
    Paused,
    Archived,
}

impl AccountStatus {
    pub const ALL: [AccountStatus; 3] = [
        AccountStatus::Active,
        AccountStatus::Paused,
        AccountStatus::Archived,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::Paused => "paused",
            AccountStatus::Archived => "archived",
        }
    }
    pub fn parse(s: &str) -> Option<AccountStatus> {
        AccountStatus::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

pub const MAX_TAGS: usize = 20;
pub const MAX_OWNERS: usize = 20;

/// The writable fields of an account, as a client sends them on create.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountDraft {
    pub tier: Tier,
    /// Platform code from the workspace's platform list, e.g. `xiaohongshu`.
    pub platform: String,
    pub handle: String,
    pub display_name: String,
    #[serde(default)]
    pub profile_url: Option<String>,
    #[serde(default)]
    pub persona: String,
    pub ownership: Ownership,
    #[serde(default)]
    pub status: AccountStatus,
    #[serde(default)]
    pub followers: i64,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    #[schema(value_type = Vec<i64>)]
    pub owner_ids: Vec<UserId>,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub custom: serde_json::Map<String, serde_json::Value>,
}

impl AccountDraft {
    /// Normalises every field (trimmed text, deduplicated tags and owners) or names the first bad one.
    pub fn validate(mut self) -> Fields<Self> {
        self.platform = validation::slug("platform", &self.platform, 40)?;
        self.handle = validation::handle("handle", &self.handle, 100)?;
        self.display_name = validation::name("display_name", &self.display_name, 1, 100)?;
        self.profile_url = match self.profile_url.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(u) => Some(validation::http_url("profile_url", u)?),
        };
        self.persona = validation::text("persona", &self.persona, 0, 2000)?;
        if !(0..=10_000_000_000).contains(&self.followers) {
            return Err(FieldError::new(
                "followers",
                "validation.range",
                "followers must be between 0 and 10,000,000,000",
            ));
        }
        self.tags = normalize_tags(&self.tags)?;
        let mut owners = self.owner_ids.clone();
        owners.sort();
        owners.dedup();
        if owners.len() > MAX_OWNERS {
            return Err(FieldError::new(
                "owner_ids",
                "validation.too_many",
                format!("at most {MAX_OWNERS} owners"),
            ));
        }
        self.owner_ids = owners;
        Ok(self)
    }
}

crate::versioned::versioned!(Account => AccountDraft, AccountPatch {
    tier, platform, handle, display_name, profile_url, persona, ownership, status, followers, tags, owner_ids,
});

/// A partial edit. `version` is the version the client last saw; see [`stale_fields`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountPatch {
    pub version: i64,
    pub tier: Option<Tier>,
    pub platform: Option<String>,
    pub handle: Option<String>,
    pub display_name: Option<String>,
    /// `null` clears the URL.
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    #[schema(value_type = Option<String>)]
    pub profile_url: Option<Option<String>>,
    pub persona: Option<String>,
    pub ownership: Option<Ownership>,
    pub status: Option<AccountStatus>,
    pub followers: Option<i64>,
    pub tags: Option<Vec<String>>,
    #[schema(value_type = Option<Vec<i64>>)]
    pub owner_ids: Option<Vec<UserId>>,
    #[schema(value_type = Option<Object>)]
    pub custom: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Tags: trimmed, `#` prefixes dropped, at most 30 characters each, deduplicated in order.
pub fn normalize_tags(tags: &[String]) -> Fields<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for (i, t) in tags.iter().enumerate() {
        let t = validation::text(
            &format!("tags.{i}"),
            t.trim().trim_start_matches('#'),
            1,
            30,
        )?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.len() > MAX_TAGS {
        return Err(FieldError::new(
            "tags",
            "validation.too_many",
            format!("at most {MAX_TAGS} tags"),
        ));
    }
    Ok(out)
}

/// Field-level optimistic concurrency: a write based on `base_version` conflicts only on the
/// fields it touches that somebody changed after that version. `field_versions` records, per
/// field, the version at which it last changed.
pub fn stale_fields(
    field_versions: &BTreeMap<String, i64>,
    base_version: i64,
    touched: &[&str],
) -> Vec<String> {
    touched
        .iter()
        .filter(|f| field_versions.get(**f).is_some_and(|v| *v > base_version))
        .map(|f| (*f).to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::versioned::{Patch, Versioned};

    fn draft() -> AccountDraft {
        AccountDraft {
            tier: Tier::Koc,
            platform: "xiaohongshu".into(),
            handle: " ev_lily ".into(),
            display_name: "莉莉的电车日记".into(),
            profile_url: Some(String::new()),
            persona: "二胎宝妈，关注家用安全".into(),
            ownership: Ownership::Partner,
            status: AccountStatus::Active,
            followers: 12_000,
            tags: vec!["#宝妈".into(), "宝妈".into(), "安全".into()],
            owner_ids: vec![UserId(3), UserId(2), UserId(3)],
            custom: serde_json::Map::new(),
        }
    }

    #[test]
    fn a_valid_draft_is_normalised() {
        let d = draft().validate().unwrap();
        assert_eq!(d.handle, "ev_lily");
        assert_eq!(d.profile_url, None);
        assert_eq!(d.tags, vec!["宝妈", "安全"]);
        assert_eq!(d.owner_ids, vec![UserId(2), UserId(3)]);
    }

    #[test]
    fn each_bad_field_is_named() {
        type Mutation = Box<dyn Fn(&mut AccountDraft)>;
        let cases: Vec<(Mutation, &str)> = vec![
            (Box::new(|d| d.handle = "  ".into()), "handle"),
            (Box::new(|d| d.handle = "a b".into()), "handle"),
            (
                Box::new(|d| d.display_name = "长".repeat(101)),
                "display_name",
            ),
            (
                Box::new(|d| d.profile_url = Some("xhs.com/u/1".into())),
                "profile_url",
            ),
            (Box::new(|d| d.followers = -1), "followers"),
            (Box::new(|d| d.platform = "小红书".into()), "platform"),
            (Box::new(|d| d.tags = vec!["x".repeat(31)]), "tags.0"),
            (
                Box::new(|d| d.tags = (0..21).map(|i| i.to_string()).collect()),
                "tags",
            ),
            (Box::new(|d| d.persona = "人".repeat(2001)), "persona"),
        ];
        for (mutate, field) in cases {
            let mut d = draft();
            mutate(&mut d);
            assert_eq!(d.validate().unwrap_err().field, field);
        }
    }

    #[test]
    fn a_patch_touches_the_fields_it_names_but_changes_only_differing_values() {
        let before = draft().validate().unwrap();
        let patch = AccountPatch {
            version: 1,
            display_name: Some(" 莉莉的电车日记 ".into()),
            followers: Some(15_000),
            profile_url: Some(None),
            ..AccountPatch::default()
        };
        assert_eq!(
            patch.touched(),
            vec!["display_name", "profile_url", "followers"]
        );
        let mut after = before.clone();
        after.apply(patch);
        let after = after.validate().unwrap();
        assert_eq!(before.diff(&after), vec!["followers"]);
        assert_eq!(after.followers, 15_000);
    }

    #[test]
    fn a_stale_write_conflicts_only_on_fields_changed_since_its_version() {
        let versions = BTreeMap::from([("persona".to_owned(), 3), ("followers".to_owned(), 5)]);
        assert_eq!(
            stale_fields(&versions, 4, &["persona", "tags"]),
            Vec::<String>::new()
        );
        assert_eq!(
            stale_fields(&versions, 4, &["followers", "tags"]),
            vec!["followers"]
        );
        assert_eq!(
            stale_fields(&versions, 5, &["followers"]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn tier_parses_case_insensitively() {
        assert_eq!(Tier::parse("kol"), Some(Tier::Kol));
        assert_eq!(Tier::parse("KOX"), None);
    }
}

/// An account as stored and served (read back from the database's JSON for list pages).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Account {
    #[schema(value_type = i64)]
    pub id: crate::AccountId,
    pub tier: Tier,
    pub platform: String,
    pub handle: String,
    pub display_name: String,
    pub profile_url: Option<String>,
    pub persona: String,
    pub ownership: Ownership,
    pub status: AccountStatus,
    pub followers: i64,
    pub tags: Vec<String>,
    #[schema(value_type = Vec<i64>)]
    pub owner_ids: Vec<UserId>,
    #[schema(value_type = Object)]
    pub custom: serde_json::Map<String, serde_json::Value>,
    pub version: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Accounts and followers per tier × platform, and per owning operator.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MatrixOverview {
    pub totals: OverviewTotals,
    pub by_tier_platform: Vec<TierPlatformCell>,
    pub by_operator: Vec<OperatorLoad>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OverviewTotals {
    pub accounts: i64,
    pub followers: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TierPlatformCell {
    pub tier: Tier,
    pub platform: String,
    pub accounts: i64,
    pub followers: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OperatorLoad {
    #[schema(value_type = i64)]
    pub user_id: UserId,
    pub name: String,
    pub accounts: i64,
    pub followers: i64,
}
