//! Driver errors mapped once: not found, conflicts on a named constraint, validation, stale
//! versions, and everything else (logged by the server, never shown).

use kox_domain::FieldError;
use sea_orm::{DbErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A conditional write whose condition (e.g. "the caller owns this account") did not hold.
    #[error("forbidden")]
    Forbidden,
    /// Refused, with the reason in terms of the work (`content.not_account_owner`: not an owner
    /// of the item's account) and what the message names (`params`, e.g. the handle).
    #[error("refused: {code}")]
    Refused {
        code: &'static str,
        message: String,
        field: Option<&'static str>,
        params: serde_json::Map<String, serde_json::Value>,
    },
    /// A unique or foreign-key constraint refused the write; `field` is what the UI should mark.
    #[error("conflict on {field}")]
    Conflict {
        code: &'static str,
        field: String,
        message: String,
        /// What the message is about (a calendar conflict's reasons and the other items).
        params: serde_json::Map<String, serde_json::Value>,
    },
    #[error("invalid: {0}")]
    Invalid(#[from] FieldError),
    /// Field-level optimistic concurrency: these fields changed since the client's version.
    #[error("stale version: {0:?}")]
    Stale(Vec<String>),
    #[error("database error: {0}")]
    Other(DbErr),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl From<DbErr> for StoreError {
    fn from(e: DbErr) -> Self {
        match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) => StoreError::Conflict {
                params: serde_json::Map::new(),
                code: "conflict.duplicate",
                field: String::new(),
                message: format!("already exists ({detail})"),
            },
            _ => match e {
                DbErr::RecordNotFound(_) => StoreError::NotFound,
                other => StoreError::Other(other),
            },
        }
    }
}

impl StoreError {
    /// Names the field a unique violation is about, for the callers that know which one it is.
    pub(crate) fn on_duplicate(self, code: &'static str, field: &str, message: &str) -> Self {
        match self {
            StoreError::Conflict {
                code: "conflict.duplicate",
                ..
            } => StoreError::Conflict {
                params: serde_json::Map::new(),
                code,
                field: field.into(),
                message: message.into(),
            },
            other => other,
        }
    }
}

pub(crate) fn invalid(
    field: impl Into<String>,
    code: &'static str,
    message: impl Into<String>,
) -> StoreError {
    StoreError::Invalid(FieldError::new(field, code, message))
}
