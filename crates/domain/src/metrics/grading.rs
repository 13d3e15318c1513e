//! The metric registry (指标口径) and S/A/B/C grading.
//!
//! A post's grade compares its interactions with its own account's baseline: the median
//! interactions of the account's previous posts (at most `baseline_posts`, only posts with
//! data). S ≥ 5× the baseline, A ≥ 2×, B ≥ 0.8×, C below, by default. An absolute 爆文 threshold
//! per tier and platform makes a post S whatever its account's baseline. An account with fewer
//! than `min_history` earlier posts has no relative grade yet.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::accounts::Tier;
use crate::validation::{FieldError, Fields};

pub use crate::content::Grade;

/// The counts that make up interactions (赞藏评 by default): one switch per count, as the
/// settings page shows them.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InteractionParts {
    pub likes: bool,
    pub saves: bool,
    pub comments: bool,
    pub shares: bool,
}

/// What an interaction rate is divided by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RateBase {
    Reads,
    Impressions,
    Followers,
}

/// What a CPM is counted per thousand of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CpmBase {
    Impressions,
    Reads,
}

/// How ROI is stated: revenue ÷ spend (3:1 is 3.0), or (revenue − spend) ÷ spend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoiForm {
    Ratio,
    Net,
}

/// A 爆文 threshold: a post with at least `interactions` is S, for the tier and platform given
/// (`None`: any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AbsoluteRule {
    pub tier: Option<Tier>,
    pub platform: Option<String>,
    pub interactions: i64,
}

/// The grade rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeRules {
    /// S at this multiple of the baseline or more.
    pub s: f64,
    pub a: f64,
    pub b: f64,
    /// The baseline is the median of at most this many previous posts.
    pub baseline_posts: u32,
    /// Relative grades need at least this many previous posts with data.
    pub min_history: u32,
    #[serde(default)]
    pub absolute: Vec<AbsoluteRule>,
}

/// The workspace's metric definitions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MetricDefinitions {
    pub interactions: InteractionParts,
    pub rate_base: RateBase,
    pub cpm_base: CpmBase,
    pub roi: RoiForm,
    pub grades: GradeRules,
}

impl Default for MetricDefinitions {
    fn default() -> Self {
        MetricDefinitions {
            interactions: InteractionParts {
                likes: true,
                saves: true,
                comments: true,
                shares: false,
            },
            rate_base: RateBase::Reads,
            cpm_base: CpmBase::Impressions,
            roi: RoiForm::Ratio,
            grades: GradeRules {
                s: 5.0,
                a: 2.0,
                b: 0.8,
                baseline_posts: 30,
                min_history: 5,
                absolute: Vec::new(),
            },
        }
    }
}

impl MetricDefinitions {
    /// Checks a submitted definition: multiples falling from S to B, windows in range, at
    /// least one part of interactions, thresholds positive.
    pub fn validate(&self, platforms: &[String]) -> Fields<()> {
        let i = &self.interactions;
        if !(i.likes || i.saves || i.comments || i.shares) {
            return Err(FieldError::new(
                "interactions",
                "metrics.no_interactions",
                "interactions need at least one of likes, saves, comments and shares",
            ));
        }
        let g = &self.grades;
        for (field, v) in [("grades.s", g.s), ("grades.a", g.a), ("grades.b", g.b)] {
            if !(v.is_finite() && v > 0.0 && v <= 1000.0) {
                return Err(FieldError::new(
                    field,
                    "validation.range",
                    "a multiple is a number above 0 and at most 1000",
                ));
            }
        }
        if !(g.s > g.a && g.a > g.b) {
            return Err(FieldError::new(
                "grades.a",
                "metrics.grade_order",
                "the multiples must fall from S to A to B",
            ));
        }
        if !(1..=200).contains(&g.baseline_posts) {
            return Err(FieldError::new(
                "grades.baseline_posts",
                "validation.range",
                "the baseline takes 1 to 200 previous posts",
            ));
        }
        if g.min_history > g.baseline_posts {
            return Err(FieldError::new(
                "grades.min_history",
                "validation.range",
                "the minimum history cannot exceed the baseline's posts",
            ));
        }
        if g.absolute.len() > 50 {
            return Err(FieldError::new(
                "grades.absolute",
                "validation.too_many",
                "at most 50 thresholds",
            ));
        }
        for (n, r) in g.absolute.iter().enumerate() {
            if r.interactions <= 0 {
                return Err(FieldError::new(
                    format!("grades.absolute.{n}.interactions"),
                    "validation.range",
                    "a threshold is a count above 0",
                ));
            }
            if let Some(p) = &r.platform
                && !platforms.iter().any(|x| x == p)
            {
                return Err(FieldError::new(
                    format!("grades.absolute.{n}.platform"),
                    "accounts.unknown_platform",
                    format!("there is no platform \"{p}\""),
                ));
            }
        }
        Ok(())
    }

    /// A post's interactions from its counts, as this registry counts them (missing is 0).
    pub fn interactions(&self, c: &Counts) -> i64 {
        let i = &self.interactions;
        let part = |on: bool, v: Option<i64>| if on { v.unwrap_or(0) } else { 0 };
        part(i.likes, c.likes)
            + part(i.saves, c.saves)
            + part(i.comments, c.comments)
            + part(i.shares, c.shares)
    }
}

/// A post's counts (any may be missing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Counts {
    pub impressions: Option<i64>,
    pub reads: Option<i64>,
    pub likes: Option<i64>,
    pub saves: Option<i64>,
    pub comments: Option<i64>,
    pub shares: Option<i64>,
    pub follows: Option<i64>,
}

/// How a grade was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GradeMethod {
    /// Against the account's own baseline.
    Relative,
    /// At or over a 爆文 threshold.
    Absolute,
    /// Too few earlier posts with data for a relative grade.
    TooLittleHistory,
}

/// A grade with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GradeOutcome {
    pub grade: Option<Grade>,
    pub method: GradeMethod,
    pub interactions: i64,
    /// The median interactions of the earlier posts compared with.
    pub baseline: Option<f64>,
    /// How many earlier posts the baseline is the median of.
    pub baseline_posts: u32,
    /// Interactions ÷ baseline.
    pub multiple: Option<f64>,
    /// The 爆文 threshold that applied, if any.
    pub threshold: Option<i64>,
}

/// The median of some counts (`None` for none).
pub fn median(values: &[i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2] as f64
    } else {
        f64::midpoint(v[n / 2 - 1] as f64, v[n / 2] as f64)
    })
}

impl GradeRules {
    /// The threshold for a tier and platform: the most specific rule that fits.
    pub fn threshold(&self, tier: Option<Tier>, platform: Option<&str>) -> Option<i64> {
        self.absolute
            .iter()
            .filter(|r| r.tier.is_none_or(|t| Some(t) == tier))
            .filter(|r| r.platform.as_deref().is_none_or(|p| Some(p) == platform))
            .max_by_key(|r| u8::from(r.tier.is_some()) + u8::from(r.platform.is_some()))
            .map(|r| r.interactions)
    }

    /// Grades a post with `interactions`, its account's earlier posts' interactions in
    /// `earlier` (oldest first; only the last `baseline_posts` count).
    pub fn grade(
        &self,
        interactions: i64,
        earlier: &[i64],
        tier: Option<Tier>,
        platform: Option<&str>,
    ) -> GradeOutcome {
        let window = &earlier[earlier.len().saturating_sub(self.baseline_posts as usize)..];
        let baseline = median(window);
        let threshold = self.threshold(tier, platform);
        let enough = window.len() >= self.min_history as usize && !window.is_empty();
        let multiple = baseline
            .filter(|_| enough)
            .map(|b| interactions as f64 / b.max(1.0));
        let mut out = GradeOutcome {
            grade: None,
            method: GradeMethod::TooLittleHistory,
            interactions,
            baseline,
            baseline_posts: window.len() as u32,
            multiple,
            threshold,
        };
        if threshold.is_some_and(|t| interactions >= t) {
            out.grade = Some(Grade::S);
            out.method = GradeMethod::Absolute;
        } else if let Some(m) = multiple {
            out.method = GradeMethod::Relative;
            out.grade = Some(if m >= self.s {
                Grade::S
            } else if m >= self.a {
                Grade::A
            } else if m >= self.b {
                Grade::B
            } else {
                Grade::C
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_against_the_accounts_own_baseline() {
        let rules = MetricDefinitions::default().grades;
        // Earlier posts 100, 200, 300, 400, 500: median 300.
        let earlier = [100, 200, 300, 400, 500];
        let cases: &[(i64, Option<Grade>)] = &[
            (1500, Some(Grade::S)),
            (1499, Some(Grade::A)),
            (600, Some(Grade::A)),
            (599, Some(Grade::B)),
            (240, Some(Grade::B)),
            (239, Some(Grade::C)),
            (0, Some(Grade::C)),
        ];
        for (n, want) in cases {
            let g = rules.grade(*n, &earlier, Some(Tier::Koc), Some("douyin"));
            assert_eq!(g.grade, *want, "{n}");
            assert_eq!(g.baseline, Some(300.0));
            assert_eq!(g.method, GradeMethod::Relative);
        }
        // Only the last 30 count: 40 posts of 10 then 30 of 1000 → the median is 1000.
        let mut long = vec![10; 40];
        long.extend(vec![1000; 30]);
        let g = rules.grade(2000, &long, None, None);
        assert_eq!(
            (g.baseline, g.baseline_posts, g.grade),
            (Some(1000.0), 30, Some(Grade::A))
        );
        // An even window: the mean of the middle two.
        assert_eq!(median(&[1, 2, 3, 10]), Some(2.5));
    }

    #[test]
    fn too_little_history_and_thresholds() {
        let mut rules = MetricDefinitions::default().grades;
        let g = rules.grade(
            99_999,
            &[10, 20, 30, 40],
            Some(Tier::Kol),
            Some("xiaohongshu"),
        );
        assert_eq!((g.grade, g.method), (None, GradeMethod::TooLittleHistory));
        rules.absolute = vec![
            AbsoluteRule {
                tier: None,
                platform: None,
                interactions: 100_000,
            },
            AbsoluteRule {
                tier: Some(Tier::Koc),
                platform: Some("xiaohongshu".into()),
                interactions: 10_000,
            },
        ];
        // The most specific threshold applies, history or not.
        let g = rules.grade(10_000, &[], Some(Tier::Koc), Some("xiaohongshu"));
        assert_eq!(
            (g.grade, g.method, g.threshold),
            (Some(Grade::S), GradeMethod::Absolute, Some(10_000))
        );
        let g = rules.grade(10_000, &[], Some(Tier::Kol), Some("xiaohongshu"));
        assert_eq!((g.grade, g.threshold), (None, Some(100_000)));
        // A zero baseline: any interaction is a large multiple.
        let g = rules.grade(3, &[0, 0, 0, 0, 0], None, None);
        assert_eq!((g.multiple, g.grade), (Some(3.0), Some(Grade::A)));
    }

    #[test]
    fn interactions_and_validation() {
        let mut d = MetricDefinitions::default();
        let c = Counts {
            likes: Some(10),
            saves: Some(5),
            comments: None,
            shares: Some(7),
            ..Counts::default()
        };
        assert_eq!(d.interactions(&c), 15);
        d.interactions.shares = true;
        assert_eq!(d.interactions(&c), 22);
        assert!(d.validate(&[]).is_ok());
        d.grades.a = 6.0;
        assert_eq!(d.validate(&[]).unwrap_err().code, "metrics.grade_order");
        let d = MetricDefinitions {
            interactions: InteractionParts {
                likes: false,
                saves: false,
                comments: false,
                shares: false,
            },
            ..MetricDefinitions::default()
        };
        assert_eq!(d.validate(&[]).unwrap_err().code, "metrics.no_interactions");
        let mut d = MetricDefinitions::default();
        d.grades.absolute.push(AbsoluteRule {
            tier: None,
            platform: Some("myspace".into()),
            interactions: 5,
        });
        assert_eq!(
            d.validate(&["douyin".into()]).unwrap_err().field,
            "grades.absolute.0.platform"
        );
    }
}
