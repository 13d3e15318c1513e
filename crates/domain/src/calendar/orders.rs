//! Coordination orders (协同指令): "when a KOL item of this campaign is published, the KOC
//! accounts tagged 车主 follow within 2 h and the KOS accounts within a day". Which accounts a
//! spec matches, the follow-up templates, and the refusal of orders that would chain into a
//! loop.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::accounts::{Tier, normalize_tags};
use crate::validation::{self, FieldError, Fields};

/// The longest a follow-up may be due after its trigger.
pub const MAX_DELAY_MINUTES: i64 = 30 * 24 * 60;
pub const MAX_FOLLOW_UPS: usize = 10;
pub const MAX_TEMPLATE: usize = 5000;

/// Which accounts: every list empty means any; tags match when the account has any of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct AccountSpec {
    #[serde(default)]
    pub tiers: Vec<Tier>,
    #[serde(default)]
    pub platforms: Vec<String>,
    #[serde(default)]
    pub account_tags: Vec<String>,
}

/// What a spec reads of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountFacts {
    pub id: i64,
    pub tier: Tier,
    pub platform: String,
    pub tags: Vec<String>,
    pub active: bool,
}

impl AccountSpec {
    pub fn matches(&self, a: &AccountFacts) -> bool {
        (self.tiers.is_empty() || self.tiers.contains(&a.tier))
            && (self.platforms.is_empty() || self.platforms.contains(&a.platform))
            && (self.account_tags.is_empty()
                || self.account_tags.iter().any(|t| a.tags.contains(t)))
    }
    fn validate(mut self, field: &str) -> Fields<Self> {
        self.tiers.sort();
        self.tiers.dedup();
        let mut platforms = Vec::new();
        for (i, p) in self.platforms.iter().enumerate() {
            let p = validation::text(&format!("{field}.platforms.{i}"), p, 1, 40)?;
            if !platforms.contains(&p) {
                platforms.push(p);
            }
        }
        self.platforms = platforms;
        self.account_tags = normalize_tags(&self.account_tags).map_err(|mut e| {
            e.field = format!("{field}.{}", e.field.replace("tags", "account_tags"));
            e
        })?;
        Ok(self)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpRule {
    pub spec: AccountSpec,
    /// Due this many minutes after the trigger's real publish time.
    pub delay_minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoordinationOrderDraft {
    #[schema(value_type = i64)]
    pub campaign_id: crate::CampaignId,
    pub name: String,
    #[serde(default = "yes")]
    pub enabled: bool,
    pub trigger: AccountSpec,
    pub follow_ups: Vec<FollowUpRule>,
    pub title_template: String,
    #[serde(default)]
    pub body_template: String,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CoordinationOrder {
    pub id: i64,
    #[schema(value_type = i64)]
    pub campaign_id: crate::CampaignId,
    pub name: String,
    pub enabled: bool,
    pub trigger: AccountSpec,
    pub follow_ups: Vec<FollowUpRule>,
    pub title_template: String,
    pub body_template: String,
    /// How many waves it has started.
    pub waves: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl CoordinationOrder {
    /// A stored order (the draft's fields spelled out: a flattened draft would carry the
    /// draft's refusal of unknown fields into the answer's schema).
    pub fn new(
        id: i64,
        d: CoordinationOrderDraft,
        waves: i64,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    ) -> Self {
        Self {
            id,
            campaign_id: d.campaign_id,
            name: d.name,
            enabled: d.enabled,
            trigger: d.trigger,
            follow_ups: d.follow_ups,
            title_template: d.title_template,
            body_template: d.body_template,
            waves,
            created_at,
            updated_at,
        }
    }

    pub fn draft(&self) -> CoordinationOrderDraft {
        CoordinationOrderDraft {
            campaign_id: self.campaign_id,
            name: self.name.clone(),
            enabled: self.enabled,
            trigger: self.trigger.clone(),
            follow_ups: self.follow_ups.clone(),
            title_template: self.title_template.clone(),
            body_template: self.body_template.clone(),
        }
    }
}

/// The placeholders a template may use.
pub const PLACEHOLDERS: [&str; 9] = [
    "trigger.title",
    "trigger.url",
    "trigger.account",
    "trigger.account_name",
    "trigger.platform",
    "trigger.published_at",
    "campaign.name",
    "account.handle",
    "account.name",
];

/// The placeholders of a template, in order, or the first unknown one as an error.
fn placeholders(field: &str, template: &str) -> Fields<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            return Err(FieldError::new(
                field,
                "calendar.unknown_placeholder",
                "a placeholder opened with {{ is not closed with }}",
            ));
        };
        let name = after[..close].trim();
        if !PLACEHOLDERS.contains(&name) {
            return Err(FieldError::new(
                field,
                "calendar.unknown_placeholder",
                format!(
                    "unknown placeholder {{{{{name}}}}}; use one of {}",
                    PLACEHOLDERS.join(", ")
                ),
            ));
        }
        out.push(name.to_owned());
        rest = &after[close + 2..];
    }
    Ok(out)
}

/// Fills a template; `values` holds every placeholder's text.
pub fn render<S: std::hash::BuildHasher>(
    template: &str,
    values: &HashMap<&str, String, S>,
) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        if let Some(close) = after.find("}}") {
            let name = after[..close].trim();
            out.push_str(values.get(name).map_or("", String::as_str));
            rest = &after[close + 2..];
        } else {
            out.push_str(&rest[open..]);
            rest = "";
        }
    }
    out.push_str(rest);
    out
}

impl CoordinationOrderDraft {
    pub fn validate(mut self) -> Fields<Self> {
        self.name = validation::name("name", &self.name, 1, 80)?;
        self.trigger = self.trigger.validate("trigger")?;
        if self.follow_ups.is_empty() {
            return Err(FieldError::new(
                "follow_ups",
                "validation.required",
                "an order names at least one group of accounts that follows",
            ));
        }
        if self.follow_ups.len() > MAX_FOLLOW_UPS {
            return Err(FieldError::new(
                "follow_ups",
                "validation.too_many",
                format!("at most {MAX_FOLLOW_UPS} follow-up groups"),
            ));
        }
        for (i, f) in self.follow_ups.iter_mut().enumerate() {
            if !(0..=MAX_DELAY_MINUTES).contains(&f.delay_minutes) {
                return Err(FieldError::new(
                    format!("follow_ups.{i}.delay_minutes"),
                    "calendar.delay_out_of_range",
                    "a follow-up is due between 0 minutes and 30 days after its trigger",
                ));
            }
            f.spec = std::mem::take(&mut f.spec).validate(&format!("follow_ups.{i}.spec"))?;
        }
        self.title_template = validation::text("title_template", &self.title_template, 1, 200)?;
        placeholders("title_template", &self.title_template)?;
        let body = self.body_template.trim_end().to_owned();
        if body.chars().count() > MAX_TEMPLATE {
            return Err(FieldError::new(
                "body_template",
                "validation.too_long",
                format!("body_template must be at most {MAX_TEMPLATE} characters"),
            ));
        }
        placeholders("body_template", &body)?;
        self.body_template = body;
        Ok(self)
    }
}

/// Whether a set of orders (of one campaign) could chain into a loop: order A leads to order
/// B when an account A's follow-ups reach is one that B's trigger fires on. Returns the names
/// of a loop's orders, in order, when there is one.
pub fn find_cycle(
    orders: &[(i64, &CoordinationOrderDraft)],
    accounts: &[AccountFacts],
) -> Option<Vec<i64>> {
    let edges: HashMap<i64, Vec<i64>> = orders
        .iter()
        .filter(|(_, o)| o.enabled)
        .map(|(id, a)| {
            let next = orders
                .iter()
                .filter(|(_, b)| b.enabled)
                .filter(|(_, b)| {
                    accounts.iter().any(|acc| {
                        acc.active
                            && b.trigger.matches(acc)
                            && a.follow_ups.iter().any(|f| f.spec.matches(acc))
                    })
                })
                .map(|(bid, _)| *bid)
                .collect();
            (*id, next)
        })
        .collect();
    // Depth-first search with colours: grey on the path, black done.
    let mut done: BTreeSet<i64> = BTreeSet::new();
    for start in edges.keys() {
        let mut path: Vec<(i64, usize)> = vec![(*start, 0)];
        if done.contains(start) {
            continue;
        }
        while let Some((node, next)) = path.last().copied() {
            let out = edges.get(&node).map_or(&[][..], Vec::as_slice);
            if next < out.len() {
                if let Some(p) = path.last_mut() {
                    p.1 += 1;
                }
                let to = out[next];
                if let Some(pos) = path.iter().position(|(n, _)| *n == to) {
                    return Some(path[pos..].iter().map(|(n, _)| *n).collect());
                }
                if !done.contains(&to) {
                    path.push((to, 0));
                }
            } else {
                done.insert(node);
                path.pop();
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(tiers: &[Tier], tags: &[&str]) -> AccountSpec {
        AccountSpec {
            tiers: tiers.to_vec(),
            platforms: vec![],
            account_tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        }
    }

    fn order(trigger: AccountSpec, follow: &[(AccountSpec, i64)]) -> CoordinationOrderDraft {
        CoordinationOrderDraft {
            campaign_id: crate::CampaignId(1),
            name: "KOL 发布后 KOC 跟发".into(),
            enabled: true,
            trigger,
            follow_ups: follow
                .iter()
                .map(|(s, d)| FollowUpRule {
                    spec: s.clone(),
                    delay_minutes: *d,
                })
                .collect(),
            title_template: "跟发：{{trigger.title}}".into(),
            body_template: "原帖 {{trigger.url}} 来自 @{{trigger.account}}".into(),
        }
    }

    fn acc(id: i64, tier: Tier, tags: &[&str]) -> AccountFacts {
        AccountFacts {
            id,
            tier,
            platform: "xiaohongshu".into(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            active: true,
        }
    }

    #[test]
    fn specs_match_by_tier_platform_and_any_tag() {
        let owner = acc(1, Tier::Koc, &["车主", "北京"]);
        let cases: &[(AccountSpec, bool)] = &[
            (AccountSpec::default(), true),
            (spec(&[Tier::Koc], &[]), true),
            (spec(&[Tier::Kol], &[]), false),
            (spec(&[Tier::Koc], &["车主"]), true),
            (spec(&[Tier::Koc], &["上海", "北京"]), true),
            (spec(&[], &["上海"]), false),
            (
                AccountSpec {
                    platforms: vec!["douyin".into()],
                    ..AccountSpec::default()
                },
                false,
            ),
        ];
        for (s, want) in cases {
            assert_eq!(s.matches(&owner), *want, "{s:?}");
        }
    }

    #[test]
    fn templates_know_their_placeholders() {
        let ok = order(spec(&[Tier::Kol], &[]), &[(spec(&[Tier::Koc], &[]), 120)]);
        assert!(ok.clone().validate().is_ok());
        let cases: &[(&str, &str, &str)] = &[
            ("title", "跟发 {{trigger.titel}}", "title_template"),
            ("body", "{{ account.phone }}", "body_template"),
            ("body", "原帖 {{trigger.url", "body_template"),
        ];
        for (which, text, field) in cases {
            let mut o = ok.clone();
            if *which == "title" {
                o.title_template = (*text).into();
            } else {
                o.body_template = (*text).into();
            }
            let e = o.validate().unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.code),
                (*field, "calendar.unknown_placeholder")
            );
        }
        let values: HashMap<&str, String> = [
            ("trigger.title", "星河S7 首测".to_owned()),
            (
                "trigger.url",
                "https://www.xiaohongshu.com/explore/abc".to_owned(),
            ),
            ("trigger.account", "auto_lab".to_owned()),
        ]
        .into_iter()
        .collect();
        assert_eq!(render(&ok.title_template, &values), "跟发：星河S7 首测");
        assert_eq!(
            render(&ok.body_template, &values),
            "原帖 https://www.xiaohongshu.com/explore/abc 来自 @auto_lab"
        );
    }

    #[test]
    fn delays_are_bounded_and_groups_required() {
        let cases: &[(i64, bool)] = &[(-1, false), (0, true), (43_200, true), (43_201, false)];
        for (delay, ok) in cases {
            let o = order(
                spec(&[Tier::Kol], &[]),
                &[(spec(&[Tier::Koc], &[]), *delay)],
            );
            let r = o.validate();
            assert_eq!(r.is_ok(), *ok, "{delay}");
            if let Err(e) = r {
                assert_eq!(e.field, "follow_ups.0.delay_minutes");
            }
        }
        assert_eq!(
            order(AccountSpec::default(), &[])
                .validate()
                .unwrap_err()
                .field,
            "follow_ups"
        );
    }

    #[test]
    fn chains_are_allowed_and_loops_are_found() {
        let accounts = [
            acc(1, Tier::Kol, &[]),
            acc(2, Tier::Koc, &["车主"]),
            acc(3, Tier::Kos, &[]),
        ];
        let kol_to_koc = order(
            spec(&[Tier::Kol], &[]),
            &[(spec(&[Tier::Koc], &["车主"]), 120)],
        );
        let koc_to_kos = order(spec(&[Tier::Koc], &[]), &[(spec(&[Tier::Kos], &[]), 1440)]);
        let kos_to_kol = order(spec(&[Tier::Kos], &[]), &[(spec(&[Tier::Kol], &[]), 60)]);
        let self_loop = order(spec(&[Tier::Koc], &[]), &[(spec(&[Tier::Koc], &[]), 60)]);
        // A cascade of two waves is fine.
        assert_eq!(
            find_cycle(&[(1, &kol_to_koc), (2, &koc_to_kos)], &accounts),
            None
        );
        let found = find_cycle(
            &[(1, &kol_to_koc), (2, &koc_to_kos), (3, &kos_to_kol)],
            &accounts,
        )
        .unwrap();
        assert_eq!(found.len(), 3);
        assert_eq!(find_cycle(&[(4, &self_loop)], &accounts), Some(vec![4]));
        // A disabled order breaks the loop; so does a follow-up group no account fits.
        let mut off = kos_to_kol.clone();
        off.enabled = false;
        assert_eq!(
            find_cycle(&[(1, &kol_to_koc), (2, &koc_to_kos), (3, &off)], &accounts),
            None
        );
        let nobody = order(
            spec(&[Tier::Kos], &[]),
            &[(spec(&[Tier::Kol], &["不存在"]), 60)],
        );
        assert_eq!(
            find_cycle(
                &[(1, &kol_to_koc), (2, &koc_to_kos), (3, &nobody)],
                &accounts
            ),
            None
        );
    }
}
