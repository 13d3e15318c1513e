//! Board settings: column names, WIP limits and the approval mode (none / optional /
//! required / multi-level with any-or-all steps). No IO.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::UserId;
use crate::content::Stage;
use crate::validation::{self, FieldError, Fields};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalMode {
    /// No review: a draft moves straight to 发布.
    None,
    /// A draft may go to 发布 directly or through review.
    Optional,
    /// Every draft passes one review by an editor, director or admin.
    #[default]
    Required,
    /// Every draft passes the configured steps in order.
    MultiLevel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum StepRule {
    /// One approval from the step's approvers completes the step.
    #[default]
    Any,
    /// Every approver of the step must approve.
    All,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalStep {
    pub name: String,
    // Always sent back; a request may leave it out (then `any`).
    #[serde(default)]
    #[schema(required = true)]
    pub rule: StepRule,
    #[schema(value_type = Vec<i64>)]
    pub approver_ids: Vec<UserId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ApprovalSettings {
    pub mode: ApprovalMode,
    #[serde(default)]
    #[schema(required = true)]
    pub steps: Vec<ApprovalStep>,
}

/// Column names per stage, WIP limits per stage and the approval flow of one workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContentSettings {
    #[schema(value_type = BTreeMap<Stage, String>)]
    pub stage_names: BTreeMap<Stage, String>,
    /// Absent = no limit. Exceeding a limit warns; it never refuses a move.
    #[serde(default)]
    #[schema(value_type = BTreeMap<Stage, i64>, required = true)]
    pub wip_limits: BTreeMap<Stage, i64>,
    #[serde(default)]
    #[schema(required = true)]
    pub approval: ApprovalSettings,
}

impl Default for ContentSettings {
    fn default() -> Self {
        Self {
            stage_names: Stage::ALL
                .into_iter()
                .map(|s| (s, s.default_name().to_owned()))
                .collect(),
            wip_limits: BTreeMap::new(),
            approval: ApprovalSettings::default(),
        }
    }
}

pub const MAX_APPROVAL_STEPS: usize = 5;

impl ContentSettings {
    /// Normalises names (missing ones get their default) and checks limits and steps. Whether
    /// approvers are members who may review is checked by the store.
    pub fn validate(mut self) -> Fields<Self> {
        for s in Stage::ALL {
            let name = self
                .stage_names
                .get(&s)
                .map_or_else(|| s.default_name().to_owned(), Clone::clone);
            let name = validation::text(&format!("stage_names.{}", s.as_str()), &name, 0, 20)?;
            let name = if name.is_empty() {
                s.default_name().to_owned()
            } else {
                name
            };
            self.stage_names.insert(s, name);
        }
        for (s, n) in &self.wip_limits {
            if !(1..=10_000).contains(n) {
                return Err(FieldError::new(
                    format!("wip_limits.{}", s.as_str()),
                    "validation.range",
                    "a WIP limit is between 1 and 10,000",
                ));
            }
        }
        let steps = &mut self.approval.steps;
        match self.approval.mode {
            ApprovalMode::MultiLevel => {
                if steps.is_empty() || steps.len() > MAX_APPROVAL_STEPS {
                    return Err(FieldError::new(
                        "approval.steps",
                        "content.steps_required",
                        format!("multi-level review needs 1 to {MAX_APPROVAL_STEPS} steps"),
                    ));
                }
                for (i, step) in steps.iter_mut().enumerate() {
                    step.name =
                        validation::text(&format!("approval.steps.{i}.name"), &step.name, 1, 40)?;
                    step.approver_ids.sort();
                    step.approver_ids.dedup();
                    if step.approver_ids.is_empty() || step.approver_ids.len() > 20 {
                        return Err(FieldError::new(
                            format!("approval.steps.{i}.approver_ids"),
                            "content.approvers_required",
                            "each step needs 1 to 20 approvers",
                        ));
                    }
                }
            }
            // Steps only mean something in multi-level mode; keeping them would let a later
            // switch back silently revive an old configuration.
            _ => steps.clear(),
        }
        Ok(self)
    }

    pub fn name(&self, s: Stage) -> &str {
        self.stage_names
            .get(&s)
            .map_or(s.default_name(), String::as_str)
    }

    /// How many approval steps a review round has.
    pub fn step_count(&self) -> usize {
        match self.approval.mode {
            ApprovalMode::MultiLevel => self.approval.steps.len().max(1),
            _ => 1,
        }
    }
}

// Case tables spell out their row type inline, which is the point of a table.
#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;
    use crate::content::*;

    use ApprovalMode as M;
    use Stage as S;

    #[test]
    fn settings_fill_default_names_and_drop_steps_outside_multi_level() {
        let s = ContentSettings {
            stage_names: BTreeMap::from([
                (S::Review, "  三审  ".into()),
                (S::Topic, String::new()),
            ]),
            wip_limits: BTreeMap::from([(S::Review, 8)]),
            approval: ApprovalSettings {
                mode: M::Required,
                steps: vec![ApprovalStep {
                    name: "法务".into(),
                    rule: StepRule::All,
                    approver_ids: vec![UserId(3)],
                }],
            },
        }
        .validate()
        .unwrap();
        assert_eq!(s.name(S::Review), "三审");
        assert_eq!(s.name(S::Topic), "选题");
        assert_eq!(s.name(S::Cancelled), "已取消");
        assert!(s.approval.steps.is_empty());
        assert_eq!(s.step_count(), 1);
    }

    #[test]
    fn multi_level_needs_steps_with_approvers_and_limits_stay_in_range() {
        let mut s = ContentSettings::default();
        s.approval.mode = M::MultiLevel;
        assert_eq!(
            s.clone().validate().unwrap_err().code,
            "content.steps_required"
        );
        s.approval.steps.push(ApprovalStep {
            name: "品牌".into(),
            rule: StepRule::Any,
            approver_ids: vec![],
        });
        assert_eq!(
            s.clone().validate().unwrap_err().field,
            "approval.steps.0.approver_ids"
        );
        s.approval.steps[0].approver_ids = vec![UserId(2), UserId(2), UserId(1)];
        let ok = s.clone().validate().unwrap();
        assert_eq!(
            ok.approval.steps[0].approver_ids,
            vec![UserId(1), UserId(2)]
        );
        s.wip_limits.insert(S::Draft, 0);
        assert_eq!(s.validate().unwrap_err().field, "wip_limits.draft");
    }
}
