//! KOX domain: the types, rules and tables every layer agrees on.
//!
//! Pure code only — no IO, no async, no clock (callers pass `now`), no randomness.
//! Values with rules get a parsing constructor, so code holding one never re-checks it.

pub mod access;
pub mod accounts;
pub mod calendar;
pub mod campaigns;
pub mod content;
pub mod content_settings;
pub mod custom_fields;
pub mod errors;
pub mod exports;
pub mod imports;
pub mod invitations;
pub mod jobs;
pub mod members;
pub mod metrics;
pub mod notifications;
pub mod red_lines;
pub mod validation;
pub mod versioned;

pub use validation::{FieldError, Fields};

/// Opaque numeric ids, one type per entity so they cannot be swapped by accident.
macro_rules! id_type {
    ($($name:ident),* $(,)?) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { self.0.fmt(f) }
        }
    )*};
}
id_type!(
    WorkspaceId,
    UserId,
    AccountId,
    CampaignId,
    CustomFieldId,
    ContentId
);
