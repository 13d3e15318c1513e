//! The first-pass rate (一次通过率): first-round approvals over items reviewed.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

/// One reviewed item's first round, for the first-pass rate.
#[derive(Debug, Clone, PartialEq)]
pub struct FirstRound {
    pub key: String,
    pub label: String,
    pub approved: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FirstPassRow {
    pub key: String,
    pub label: String,
    /// Items whose first review round ended (approved or rejected).
    pub reviewed: i64,
    /// Of those, approved in that first round.
    pub first_pass: i64,
    /// first_pass ÷ reviewed; `null` when nothing was reviewed.
    pub rate: Option<f64>,
}

/// First-pass rate = items approved at their first review ÷ items reviewed, per key.
/// Rows come out sorted by key.
pub fn first_pass_rates(rounds: &[FirstRound]) -> Vec<FirstPassRow> {
    let mut by: BTreeMap<&str, (String, i64, i64)> = BTreeMap::new();
    for r in rounds {
        let e = by.entry(&r.key).or_insert_with(|| (r.label.clone(), 0, 0));
        e.1 += 1;
        e.2 += i64::from(r.approved);
    }
    by.into_iter()
        .map(|(key, (label, reviewed, first_pass))| FirstPassRow {
            key: key.to_owned(),
            label,
            reviewed,
            first_pass,
            #[allow(clippy::cast_precision_loss)]
            rate: (reviewed > 0).then(|| first_pass as f64 / reviewed as f64),
        })
        .collect()
}

// Case tables spell out their row type inline, which is the point of a table.
#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;

    #[test]
    fn first_pass_rate_is_first_round_approvals_over_items_reviewed() {
        let r = |key: &str, approved| FirstRound {
            key: key.into(),
            label: key.to_uppercase(),
            approved,
        };
        let rows = first_pass_rates(&[r("a", true), r("a", false), r("b", true), r("a", true)]);
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].reviewed, rows[0].first_pass), (3, 2));
        assert!((rows[0].rate.unwrap() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(rows[1].rate, Some(1.0));
        assert!(first_pass_rates(&[]).is_empty());
    }
}
