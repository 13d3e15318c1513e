//! Roles, groups and the one capability table (role × action).
//!
//! Every endpoint asks `Role::can`; the UI receives the same table through `/api/v1/me`
//! so it can hide what a member cannot do. Ownership rules that need data (is this operator
//! an owner?) are a pair of capabilities, `…WriteAny` and `…WriteOwn`, that `Caller::scope`
//! turns into the rows a caller may change. `Caller` is the one type for who is acting.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::UserId;

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
            | C::AuditRead
            | C::NotificationsManage => self == R::Admin,
            C::CampaignsWrite | C::AccountsWriteAny | C::ScheduleManage => {
                matches!(self, R::Admin | R::Director)
            }
            C::AccountsCreate => matches!(self, R::Admin | R::Director | R::Operator),
            C::AccountsWriteOwn
            | C::ContentWriteOwn
            | C::ContentPublishOwn
            | C::MetricsWriteOwn => self == R::Operator,
            C::ContentWriteAny | C::ContentOverride | C::ContentPublishAny => {
                matches!(self, R::Admin | R::Director)
            }
            C::ContentWriteDraft => matches!(self, R::Editor | R::Planner),
            C::MetricsManage => matches!(self, R::Admin | R::Director | R::Analyst),
            C::ContentReview => matches!(self, R::Admin | R::Director | R::Editor),
            C::ContentComment => self != R::Viewer,
            C::RedLinesManage => matches!(self, R::Admin | R::Director | R::Editor | R::Planner),
            C::RedLinesLoosen => matches!(self, R::Admin | R::Director),
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
    /// The red-line list (topic library, templates, red lines: the content hub's job): add
    /// lines and tighten them.
    #[serde(rename = "red_lines.manage")]
    RedLinesManage,
    /// Loosen the red lines: disable, delete, downgrade block → warn, add an exception (those
    /// who may also override a block).
    #[serde(rename = "red_lines.loosen")]
    RedLinesLoosen,
    /// Notification channels (bots, webhooks, SMTP), rules, the delivery log and the job
    /// queue. Every member manages their own notifications and preferences.
    #[serde(rename = "notifications.manage")]
    NotificationsManage,
    /// The calendar's schedule rules, recurring slots, holidays and the campaigns'
    /// coordination orders (the strategy group's).
    #[serde(rename = "schedule.manage")]
    ScheduleManage,
    /// Import and push post data for any account, undo imports, and edit the metric registry
    /// and grade rules (the data group's).
    #[serde(rename = "metrics.manage")]
    MetricsManage,
    /// Enter data by hand for the items of owned accounts.
    #[serde(rename = "metrics.write_own")]
    MetricsWriteOwn,
}

impl Capability {
    pub const ALL: [Capability; 23] = [
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
        Capability::RedLinesLoosen,
        Capability::NotificationsManage,
        Capability::ScheduleManage,
        Capability::MetricsManage,
        Capability::MetricsWriteOwn,
    ];
}

/// Who is acting: the one caller type that every write records and every permission rule
/// reads. A member acts with their role in the workspace of the call; a signed-in person
/// outside any workspace (their sessions, tokens, password) and an anonymous login attempt
/// have no role; the command line and the demo seeder act as the installation itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// `None` for the system and for anonymous attempts.
    pub user: Option<UserId>,
    /// The role in the workspace of the call; `None` outside a workspace.
    pub role: Option<Role>,
    /// The client address, recorded with the events the call writes.
    pub ip: Option<String>,
    system: bool,
}

/// Which rows of a kind a caller may change, from the pair of capabilities `…_any`/`…_own`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Any,
    /// Only the rows this user owns.
    OwnedBy(UserId),
}

impl Caller {
    /// The command line and the demo seeder: every capability, no person behind it.
    pub fn system() -> Caller {
        Caller {
            user: None,
            role: None,
            ip: None,
            system: true,
        }
    }
    /// Someone not signed in (a login attempt).
    pub fn anonymous() -> Caller {
        Caller {
            system: false,
            ..Caller::system()
        }
    }
    /// A signed-in person acting on their own things, outside a workspace.
    pub fn person(user: UserId) -> Caller {
        Caller {
            user: Some(user),
            ..Caller::anonymous()
        }
    }
    /// A member acting in a workspace with their role there.
    pub fn member(user: UserId, role: Role) -> Caller {
        Caller {
            role: Some(role),
            ..Caller::person(user)
        }
    }
    #[must_use]
    pub fn from_ip(mut self, ip: &impl ToString) -> Caller {
        self.ip = Some(ip.to_string());
        self
    }
    pub fn is_system(&self) -> bool {
        self.system
    }
    /// The capability table applied to this caller.
    pub fn can(&self, cap: Capability) -> bool {
        self.system || self.role.is_some_and(|r| r.can(cap))
    }
    /// Client IP addresses are personal data: for those who read the audit log.
    pub fn sees_client_addresses(&self) -> bool {
        self.can(Capability::AuditRead)
    }
    /// The user and role behind a call whose rules need both (the SOP board's).
    pub fn acting_member(&self) -> Option<(UserId, Role)> {
        self.user.zip(self.role)
    }
    /// Which rows the caller may change, given the `any` and `own` capabilities of a kind;
    /// `None` when neither is held.
    pub fn scope(&self, any: Capability, own: Capability) -> Option<Scope> {
        if self.can(any) {
            Some(Scope::Any)
        } else if self.can(own) {
            self.user.map(Scope::OwnedBy)
        } else {
            None
        }
    }
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
        (C::RedLinesLoosen, &[Role::Admin, Role::Director]),
        (C::NotificationsManage, &[Role::Admin]),
        (C::ScheduleManage, &[Role::Admin, Role::Director]),
        (
            C::MetricsManage,
            &[Role::Admin, Role::Director, Role::Analyst],
        ),
        (C::MetricsWriteOwn, &[Role::Operator]),
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
        let (any, own) = (C::AccountsWriteAny, C::AccountsWriteOwn);
        let op = crate::UserId(7);
        assert_eq!(
            Caller::member(op, Role::Operator).scope(any, own),
            Some(Scope::OwnedBy(op))
        );
        assert_eq!(
            Caller::member(op, Role::Director).scope(any, own),
            Some(Scope::Any)
        );
        assert_eq!(Caller::system().scope(any, own), Some(Scope::Any));
        for role in [
            Role::Editor,
            Role::Planner,
            Role::Analyst,
            Role::Media,
            Role::Viewer,
        ] {
            assert_eq!(Caller::member(op, role).scope(any, own), None, "{role:?}");
        }
        // Outside a workspace nobody holds a workspace capability.
        assert_eq!(Caller::person(op).scope(any, own), None);
        assert_eq!(Caller::anonymous().scope(any, own), None);
    }

    #[test]
    fn a_caller_holds_what_its_role_holds() {
        for role in Role::ALL {
            let c = Caller::member(crate::UserId(1), role);
            for cap in Capability::ALL {
                assert_eq!(c.can(cap), role.can(cap), "{role:?} × {cap:?}");
            }
            assert_eq!(c.acting_member(), Some((crate::UserId(1), role)));
        }
        assert!(Capability::ALL.into_iter().all(|c| Caller::system().can(c)));
        assert!(
            !Capability::ALL
                .into_iter()
                .any(|c| Caller::person(crate::UserId(1)).can(c))
        );
        assert_eq!(Caller::system().acting_member(), None);
        assert_eq!(
            Caller::anonymous().from_ip(&"10.0.0.1").ip.as_deref(),
            Some("10.0.0.1")
        );
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
