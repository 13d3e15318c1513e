//! Roles, groups and the one capability table (role × action).
//!
//! Every endpoint asks `Role::can`; the UI receives the same table through `/api/v1/me`
//! so it can hide what a member cannot do. Account ownership is the one rule that needs
//! data (is this operator an owner?), so it is expressed as two capabilities:
//! `AccountsWriteAny` and `AccountsWriteOwn`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Director,
    Editor,
    Planner,
    Operator,
    Analyst,
    Media,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Admin,
        Role::Director,
        Role::Editor,
        Role::Planner,
        Role::Operator,
        Role::Analyst,
        Role::Media,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Director => "director",
            Role::Editor => "editor",
            Role::Planner => "planner",
            Role::Operator => "operator",
            Role::Analyst => "analyst",
            Role::Media => "media",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The capability table. Reading workspace data (accounts, campaigns, members, overview,
    /// an entity's activity) needs membership only and is not listed.
    pub fn can(self, cap: Capability) -> bool {
        use Capability as C;
        use Role as R;
        match cap {
            C::WorkspaceManage
            | C::MembersManage
            | C::CustomFieldsManage
            | C::PlatformsManage
            | C::AuditRead => self == R::Admin,
            C::CampaignsWrite | C::AccountsWriteAny => matches!(self, R::Admin | R::Director),
            C::AccountsCreate => matches!(self, R::Admin | R::Director | R::Operator),
            C::AccountsWriteOwn | C::ContentWriteOwn | C::ContentPublishOwn => self == R::Operator,
            C::ContentWriteAny | C::ContentOverride | C::ContentPublishAny => {
                matches!(self, R::Admin | R::Director)
            }
            C::ContentWriteDraft => matches!(self, R::Editor | R::Planner),
            C::ContentReview => matches!(self, R::Admin | R::Director | R::Editor),
            C::ContentComment => self != R::Viewer,
            C::RedLinesManage => matches!(self, R::Admin | R::Director | R::Editor | R::Planner),
        }
    }

    pub fn capabilities(self) -> Vec<Capability> {
        Capability::ALL
            .into_iter()
            .filter(|c| self.can(*c))
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Strategy,
    ContentHub,
    Operations,
    DataSupport,
}

impl Group {
    pub const ALL: [Group; 4] = [
        Group::Strategy,
        Group::ContentHub,
        Group::Operations,
        Group::DataSupport,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Group::Strategy => "strategy",
            Group::ContentHub => "content_hub",
            Group::Operations => "operations",
            Group::DataSupport => "data_support",
        }
    }

    pub fn parse(s: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum Capability {
    #[serde(rename = "workspace.manage")]
    WorkspaceManage,
    #[serde(rename = "members.manage")]
    MembersManage,
    #[serde(rename = "custom_fields.manage")]
    CustomFieldsManage,
    #[serde(rename = "platforms.manage")]
    PlatformsManage,
    #[serde(rename = "audit.read")]
    AuditRead,
    #[serde(rename = "campaigns.write")]
    CampaignsWrite,
    #[serde(rename = "accounts.create")]
    AccountsCreate,
    #[serde(rename = "accounts.write_any")]
    AccountsWriteAny,
    #[serde(rename = "accounts.write_own")]
    AccountsWriteOwn,
    /// Create, edit and move any content item.
    #[serde(rename = "content.write_any")]
    ContentWriteAny,
    /// The content hub: create topics and drafts, edit and move them while in 选题/稿件.
    #[serde(rename = "content.write_draft")]
    ContentWriteDraft,
    /// Items of the accounts this member owns.
    #[serde(rename = "content.write_own")]
    ContentWriteOwn,
    /// Approve or reject in review.
    #[serde(rename = "content.review")]
    ContentReview,
    /// Approve despite red-line hits, with a written reason.
    #[serde(rename = "content.override")]
    ContentOverride,
    /// Mark any item published.
    #[serde(rename = "content.publish_any")]
    ContentPublishAny,
    /// Mark items of owned accounts published.
    #[serde(rename = "content.publish_own")]
    ContentPublishOwn,
    #[serde(rename = "content.comment")]
    ContentComment,
    /// The red-line list (topic library, templates, red lines: the content hub's job).
    #[serde(rename = "red_lines.manage")]
    RedLinesManage,
}

impl Capability {
    pub const ALL: [Capability; 18] = [
        Capability::WorkspaceManage,
        Capability::MembersManage,
        Capability::CustomFieldsManage,
        Capability::PlatformsManage,
        Capability::AuditRead,
        Capability::CampaignsWrite,
        Capability::AccountsCreate,
        Capability::AccountsWriteAny,
        Capability::AccountsWriteOwn,
        Capability::ContentWriteAny,
        Capability::ContentWriteDraft,
        Capability::ContentWriteOwn,
        Capability::ContentReview,
        Capability::ContentOverride,
        Capability::ContentPublishAny,
        Capability::ContentPublishOwn,
        Capability::ContentComment,
        Capability::RedLinesManage,
    ];
}

/// May this member change this account? Admins and directors change any; operators only
/// the accounts they own.
pub fn may_write_account(role: Role, is_owner: bool) -> bool {
    role.can(Capability::AccountsWriteAny) || (role.can(Capability::AccountsWriteOwn) && is_owner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Capability as C;

    /// The whole table, written out the way DESIGN §5 reads: one row per capability,
    /// the roles that hold it. Every other role must be refused.
    const TABLE: &[(Capability, &[Role])] = &[
        (C::WorkspaceManage, &[Role::Admin]),
        (C::MembersManage, &[Role::Admin]),
        (C::CustomFieldsManage, &[Role::Admin]),
        (C::PlatformsManage, &[Role::Admin]),
        (C::AuditRead, &[Role::Admin]),
        (C::CampaignsWrite, &[Role::Admin, Role::Director]),
        (
            C::AccountsCreate,
            &[Role::Admin, Role::Director, Role::Operator],
        ),
        (C::AccountsWriteAny, &[Role::Admin, Role::Director]),
        (C::AccountsWriteOwn, &[Role::Operator]),
        (C::ContentWriteAny, &[Role::Admin, Role::Director]),
        (C::ContentWriteDraft, &[Role::Editor, Role::Planner]),
        (C::ContentWriteOwn, &[Role::Operator]),
        (
            C::ContentReview,
            &[Role::Admin, Role::Director, Role::Editor],
        ),
        (C::ContentOverride, &[Role::Admin, Role::Director]),
        (C::ContentPublishAny, &[Role::Admin, Role::Director]),
        (C::ContentPublishOwn, &[Role::Operator]),
        (
            C::ContentComment,
            &[
                Role::Admin,
                Role::Director,
                Role::Editor,
                Role::Planner,
                Role::Operator,
                Role::Analyst,
                Role::Media,
            ],
        ),
        (
            C::RedLinesManage,
            &[Role::Admin, Role::Director, Role::Editor, Role::Planner],
        ),
    ];

    #[test]
    fn every_role_holds_exactly_the_capabilities_in_the_table() {
        assert_eq!(TABLE.len(), Capability::ALL.len());
        for (cap, holders) in TABLE {
            for role in Role::ALL {
                assert_eq!(
                    role.can(*cap),
                    holders.contains(&role),
                    "{role:?} × {cap:?}"
                );
            }
        }
    }

    #[test]
    fn operators_write_only_accounts_they_own() {
        assert!(may_write_account(Role::Operator, true));
        assert!(!may_write_account(Role::Operator, false));
        assert!(may_write_account(Role::Director, false));
        for role in [
            Role::Editor,
            Role::Planner,
            Role::Analyst,
            Role::Media,
            Role::Viewer,
        ] {
            assert!(!may_write_account(role, true), "{role:?}");
        }
    }

    #[test]
    fn viewers_hold_no_capability() {
        assert!(Role::Viewer.capabilities().is_empty());
    }

    #[test]
    fn role_and_group_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        for g in Group::ALL {
            assert_eq!(Group::parse(g.as_str()), Some(g));
        }
        assert_eq!(Role::parse("superuser"), None);
    }
}
