//! Content workflow: the SOP board's stages (选题 → 稿件 → 审核 → 发布 → 复盘, plus cancelled)
//! and review states; one module per concern: items, moves, who may do what, review, the board
//! view, publishing, comments, the first-pass rate. Checks on an item's text (hashtags,
//! lengths, post URLs, red lines) are in `content::checks`. No IO.

mod board;
pub mod checks;
mod comments;
mod first_pass;
mod items;
mod moves;
mod permissions;
mod publish;
mod review;

pub use board::*;
pub use checks::ContentChecks;
pub use comments::*;
pub use first_pass::*;
pub use items::*;
pub use moves::*;
pub use permissions::*;
pub use publish::*;
pub use review::*;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Topic,
    Draft,
    Review,
    Publish,
    Retro,
    Cancelled,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Topic,
        Stage::Draft,
        Stage::Review,
        Stage::Publish,
        Stage::Retro,
        Stage::Cancelled,
    ];
    /// The columns of the board, in order (cancelled items are shown only on request).
    pub const BOARD: [Stage; 5] = [
        Stage::Topic,
        Stage::Draft,
        Stage::Review,
        Stage::Publish,
        Stage::Retro,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Topic => "topic",
            Stage::Draft => "draft",
            Stage::Review => "review",
            Stage::Publish => "publish",
            Stage::Retro => "retro",
            Stage::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The column names a workspace starts with.
    pub fn default_name(self) -> &'static str {
        match self {
            Stage::Topic => "选题",
            Stage::Draft => "稿件",
            Stage::Review => "审核",
            Stage::Publish => "发布",
            Stage::Retro => "复盘",
            Stage::Cancelled => "已取消",
        }
    }

    /// The column's name in English, for a workspace that never renamed it.
    pub fn default_name_en(self) -> &'static str {
        match self {
            Stage::Topic => "Topics",
            Stage::Draft => "Drafts",
            Stage::Review => "Review",
            Stage::Publish => "Publish",
            Stage::Retro => "Retro",
            Stage::Cancelled => "Cancelled",
        }
    }

    /// Title, body, hashtags, media, account and campaign are what a reviewer approved: they
    /// are frozen from review on (withdraw or pull back to 稿件 to change them).
    pub fn content_locked(self) -> bool {
        matches!(self, Stage::Review | Stage::Publish | Stage::Retro)
    }

    /// Stages the content hub works in without an account owner's say.
    fn hub_stage(self) -> bool {
        matches!(self, Stage::Topic | Stage::Draft | Stage::Cancelled)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    #[default]
    None,
    Pending,
    Approved,
    Rejected,
}

impl ReviewState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::None => "none",
            ReviewState::Pending => "pending",
            ReviewState::Approved => "approved",
            ReviewState::Rejected => "rejected",
        }
    }
    pub fn parse(s: &str) -> Option<ReviewState> {
        [
            ReviewState::None,
            ReviewState::Pending,
            ReviewState::Approved,
            ReviewState::Rejected,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

/// Performance grade, filled in after publishing (S = 爆款).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Grade {
    S,
    A,
    B,
    C,
}

impl Grade {
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::S => "S",
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
        }
    }
    pub fn parse(s: &str) -> Option<Grade> {
        [Grade::S, Grade::A, Grade::B, Grade::C]
            .into_iter()
            .find(|g| g.as_str() == s)
    }
}
