//! Review: approval records and their decisions, and the reason a reviewer gives.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validation::{self, FieldError, Fields};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Pending,
    Approved,
    Rejected,
    Overridden,
    Withdrawn,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Pending => "pending",
            Decision::Approved => "approved",
            Decision::Rejected => "rejected",
            Decision::Overridden => "overridden",
            Decision::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(s: &str) -> Option<Decision> {
        [
            Decision::Pending,
            Decision::Approved,
            Decision::Rejected,
            Decision::Overridden,
            Decision::Withdrawn,
        ]
        .into_iter()
        .find(|d| d.as_str() == s)
    }
}

/// One approval request and its decision.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ReviewRecord {
    pub id: i64,
    pub round: i64,
    pub step: i64,
    pub requester_id: Option<i64>,
    pub requester_name: Option<String>,
    /// Who decided; for a pending request of an "all" step, the approver it waits for.
    pub approver_id: Option<i64>,
    pub approver_name: Option<String>,
    pub decision: Decision,
    pub reason: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// The reason a reviewer or a director gives: required, at most 1,000 characters.
pub fn parse_reason(raw: Option<&str>) -> Fields<String> {
    let r = validation::text("reason", raw.unwrap_or(""), 0, 1000)?;
    if r.is_empty() {
        Err(FieldError::new(
            "reason",
            "content.reason_required",
            "write the reason",
        ))
    } else {
        Ok(r)
    }
}

// Case tables spell out their row type inline, which is the point of a table.
#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_required_and_bounded() {
        assert_eq!(
            parse_reason(None).unwrap_err().code,
            "content.reason_required"
        );
        assert_eq!(
            parse_reason(Some("  ")).unwrap_err().code,
            "content.reason_required"
        );
        assert_eq!(parse_reason(Some(" 卖点不准确 ")).unwrap(), "卖点不准确");
        assert_eq!(
            parse_reason(Some(&"长".repeat(1001))).unwrap_err().code,
            "validation.too_long"
        );
    }
}
