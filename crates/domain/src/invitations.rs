//! Invitations: how a person joins a workspace. An admin invites an e-mail with a role and a
//! group; the person accepts — by the link shown once to the admin (a new person sets their
//! password there), or inside KOX when they already have an account. Nobody is pulled into a
//! workspace without accepting, and the admin's answer is the same whether or not the e-mail
//! already has an account in this install (nor does it show that account's name).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::access::{Group, Role};
use crate::members::{parse_email, parse_name};
use crate::validation::Fields;

/// How long an invitation link can be used.
pub const VALID_FOR: Duration = Duration::days(7);

/// What an admin fills in to invite someone.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationDraft {
    #[schema(min_length = 3, max_length = 200)]
    pub email: String,
    /// How the team will call the person (their own account keeps its own name).
    #[schema(min_length = 1, max_length = 50)]
    pub name: String,
    pub role: Role,
    pub group: Group,
}

impl InvitationDraft {
    /// The draft with its e-mail normalised (trimmed, lower case) and its name checked.
    pub fn validated(self) -> Fields<Self> {
        Ok(Self {
            email: parse_email(&self.email)?,
            name: parse_name(&self.name)?,
            ..self
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    /// Waiting for the person.
    Pending,
    /// The link's time ran out before anyone accepted.
    Expired,
    Accepted,
    Declined,
    /// Withdrawn by an admin, or replaced by a newer invitation of the same e-mail.
    Revoked,
}

impl InvitationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Expired => "expired",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Revoked => "revoked",
        }
    }

    /// The stored status (`pending`, `accepted`, `declined`, `revoked`) as it stands at `now`:
    /// a pending invitation past its time is expired.
    pub fn at(stored: &str, expires_at: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        match stored {
            "accepted" => Self::Accepted,
            "declined" => Self::Declined,
            "revoked" => Self::Revoked,
            _ if expires_at <= now => Self::Expired,
            _ => Self::Pending,
        }
    }
}

/// An invitation as its workspace's admins see it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Invitation {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub group: Group,
    pub status: InvitationStatus,
    pub invited_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A new invitation and its link, which is shown this once (only its hash is kept).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CreatedInvitation {
    pub invitation: Invitation,
    /// The path of the acceptance page, `/invite/<secret>`: send it to the person.
    pub link: String,
}

/// An invitation as the invited person sees it (by its link, or in KOX for their e-mail).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct InvitationView {
    pub id: i64,
    pub workspace_id: i64,
    pub workspace_name: String,
    pub invited_by_name: Option<String>,
    pub email: String,
    pub role: Role,
    pub group: Group,
    pub expires_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_invitation_expires_with_its_time_and_decided_ones_stay_decided() {
        let now = Utc::now();
        let later = now + Duration::hours(1);
        assert_eq!(
            InvitationStatus::at("pending", later, now),
            InvitationStatus::Pending
        );
        assert_eq!(
            InvitationStatus::at("pending", now, now),
            InvitationStatus::Expired
        );
        assert_eq!(
            InvitationStatus::at("accepted", now - Duration::days(30), now),
            InvitationStatus::Accepted
        );
        assert_eq!(
            InvitationStatus::at("revoked", later, now),
            InvitationStatus::Revoked
        );
    }

    #[test]
    fn a_draft_is_normalised_and_checked() {
        let d = InvitationDraft {
            email: "  Li.Na@Xinghe.CN ".into(),
            name: "李娜".into(),
            role: Role::Operator,
            group: Group::Operations,
        };
        assert_eq!(d.clone().validated().unwrap().email, "li.na@xinghe.cn");
        let bad = InvitationDraft {
            email: "nobody".into(),
            ..d.clone()
        };
        assert_eq!(bad.validated().unwrap_err().field, "email");
        let unnamed = InvitationDraft {
            name: " ".into(),
            ..d
        };
        assert_eq!(unnamed.validated().unwrap_err().field, "name");
    }
}
