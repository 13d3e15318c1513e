//! Invitations in the store (see `kox_domain::invitations`): created by a workspace's admins,
//! found by their link's hash or by the invited e-mail, accepted once.

use chrono::{DateTime, Utc};
use kox_domain::access::{Group, Role};
use kox_domain::invitations::{
    Invitation, InvitationDraft, InvitationStatus, InvitationView, VALID_FOR,
};
use kox_domain::{UserId, WorkspaceId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use crate::Caller;
use crate::db::Tx;
use crate::entities::{invitation, member, user};
use crate::events::{NewEvent, record};
use crate::scoped;
use crate::{Result, Store, StoreError};

fn not_valid() -> StoreError {
    StoreError::Conflict {
        params: serde_json::Map::new(),
        code: "invitations.not_valid",
        field: String::new(),
        message: "this invitation was used, withdrawn or has expired; ask for a new one".into(),
    }
}

fn role_of(r: &invitation::Model) -> Role {
    Role::parse(&r.role).unwrap_or(Role::Viewer)
}

fn group_of(r: &invitation::Model) -> Group {
    Group::parse(&r.grp).unwrap_or(Group::DataSupport)
}

impl Store {
    /// Invites `draft.email` into `ws`. The answer does not depend on whether the e-mail has
    /// an account in this install; an earlier pending invitation of the same e-mail is
    /// replaced (its link stops working). `token_hash` is the hash of the link's secret.
    pub async fn create_invitation(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        draft: InvitationDraft,
        token_hash: String,
    ) -> Result<Invitation> {
        let d = draft.validated()?;
        let now = Utc::now();
        let txn = self.begin().await?;
        // Already in the team: the admin sees the team, so saying so reveals nothing new.
        let known = scoped::install_wide::<user::Entity>()
            .filter(user::Column::Email.eq(d.email.as_str()))
            .one(&txn)
            .await?;
        let already = match known {
            Some(u) => scoped::in_ws::<member::Entity>(ws)
                .filter(member::Column::UserId.eq(u.id))
                .one(&txn)
                .await?
                .is_some(),
            None => false,
        };
        if already {
            return Err(StoreError::Conflict {
                params: serde_json::Map::new(),
                code: "members.already_member",
                field: "email".into(),
                message: "this person is already a member of the workspace".into(),
            });
        }
        scoped::update_in::<invitation::Entity>(ws)
            .col_expr(invitation::Column::Status, Expr::value("revoked"))
            .col_expr(invitation::Column::DecidedAt, Expr::value(now))
            .filter(invitation::Column::Email.eq(d.email.as_str()))
            .filter(invitation::Column::Status.eq("pending"))
            .exec(&txn)
            .await?;
        let row = invitation::ActiveModel {
            workspace_id: Set(ws.0),
            email: Set(d.email.clone()),
            name: Set(d.name.clone()),
            role: Set(d.role.as_str().into()),
            grp: Set(d.group.as_str().into()),
            token_hash: Set(token_hash),
            status: Set("pending".into()),
            invited_by: Set(caller.user.map(|u| u.0)),
            accepted_by: Set(None),
            created_at: Set(now),
            expires_at: Set(now + VALID_FOR),
            decided_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "invitation", Some(row.id), "invitation.created")
                .after(json!({"email": d.email, "name": d.name, "role": d.role, "group": d.group})),
        )
        .await?;
        self.commit(txn).await?;
        let names = self.user_names(row.invited_by.into_iter()).await?;
        Ok(to_invitation(row, &names, now))
    }

    /// The workspace's open invitations (pending or expired), newest first.
    pub async fn list_invitations(&self, ws: WorkspaceId) -> Result<Vec<Invitation>> {
        let rows = scoped::in_ws::<invitation::Entity>(ws)
            .filter(invitation::Column::Status.eq("pending"))
            .order_by_desc(invitation::Column::Id)
            .all(&self.read)
            .await?;
        let names = self
            .user_names(rows.iter().filter_map(|r| r.invited_by))
            .await?;
        let now = Utc::now();
        Ok(rows
            .into_iter()
            .map(|r| to_invitation(r, &names, now))
            .collect())
    }

    /// Withdraws a pending invitation: its link stops working.
    pub async fn revoke_invitation(&self, caller: &Caller, ws: WorkspaceId, id: i64) -> Result<()> {
        let txn = self.begin().await?;
        let row = scoped::by_id::<invitation::Entity>(ws, id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if row.status != "pending" {
            return Err(not_valid());
        }
        scoped::update_in::<invitation::Entity>(ws)
            .col_expr(invitation::Column::Status, Expr::value("revoked"))
            .col_expr(invitation::Column::DecidedAt, Expr::value(Utc::now()))
            .filter(invitation::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "invitation", Some(id), "invitation.revoked")
                .before(json!({"email": row.email, "role": row.role})),
        )
        .await?;
        self.commit(txn).await
    }

    /// The pending invitation a link's hash opens (as the person sees it).
    pub async fn invitation_by_token(&self, token_hash: &str) -> Result<InvitationView> {
        let row = scoped::install_wide::<invitation::Entity>()
            .filter(invitation::Column::TokenHash.eq(token_hash))
            .one(&self.read)
            .await?
            .filter(|r| open_at(r, Utc::now()))
            .ok_or_else(not_valid)?;
        Ok(self.views(vec![row]).await?.remove(0))
    }

    /// The pending invitations of a user's e-mail (accepted inside KOX, without a link).
    pub async fn invitations_for(&self, email: &str) -> Result<Vec<InvitationView>> {
        let now = Utc::now();
        let rows: Vec<invitation::Model> = scoped::install_wide::<invitation::Entity>()
            .filter(invitation::Column::Email.eq(email))
            .filter(invitation::Column::Status.eq("pending"))
            .order_by_asc(invitation::Column::Id)
            .all(&self.read)
            .await?
            .into_iter()
            .filter(|r| open_at(r, now))
            .collect();
        self.views(rows).await
    }

    /// A new person accepts by the link: their account is created with `password_hash` and
    /// joins the workspace. An e-mail that already has an account signs in and accepts in KOX
    /// instead (`invitations.sign_in`). Returns the new user.
    pub async fn register_by_invitation(
        &self,
        from: &Caller,
        token_hash: &str,
        name: &str,
        password_hash: String,
    ) -> Result<UserId> {
        let name = kox_domain::members::parse_name(name)?;
        let now = Utc::now();
        let txn = self.begin().await?;
        let row = scoped::install_wide::<invitation::Entity>()
            .filter(invitation::Column::TokenHash.eq(token_hash))
            .one(&txn)
            .await?
            .filter(|r| open_at(r, now))
            .ok_or_else(not_valid)?;
        let exists = scoped::install_wide::<user::Entity>()
            .filter(user::Column::Email.eq(row.email.as_str()))
            .one(&txn)
            .await?
            .is_some();
        if exists {
            return Err(StoreError::Conflict {
                params: serde_json::Map::new(),
                code: "invitations.sign_in",
                field: String::new(),
                message: "an account with this e-mail exists: sign in to accept".into(),
            });
        }
        let u = user::ActiveModel {
            email: Set(row.email.clone()),
            name: Set(name),
            password_hash: Set(password_hash),
            locale: Set("zh-CN".into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let user = UserId(u.id);
        let mut caller = Caller::person(user);
        caller.ip.clone_from(&from.ip);
        Self::join(&txn, &caller, &row, user, now).await?;
        self.commit(txn).await?;
        Ok(user)
    }

    /// The signed-in person accepts an invitation of their e-mail: they join its workspace.
    pub async fn accept_invitation(&self, caller: &Caller, id: i64) -> Result<WorkspaceId> {
        let (row, user, now, txn) = self.mine(caller, id).await?;
        let already = scoped::in_ws::<member::Entity>(WorkspaceId(row.workspace_id))
            .filter(member::Column::UserId.eq(user.0))
            .one(&txn)
            .await?
            .is_some();
        if already {
            Self::decide(&txn, &row, "accepted", Some(user), now).await?;
        } else {
            Self::join(&txn, caller, &row, user, now).await?;
        }
        self.commit(txn).await?;
        Ok(WorkspaceId(row.workspace_id))
    }

    /// The signed-in person declines an invitation of their e-mail.
    pub async fn decline_invitation(&self, caller: &Caller, id: i64) -> Result<()> {
        let (row, _, now, txn) = self.mine(caller, id).await?;
        Self::decide(&txn, &row, "declined", None, now).await?;
        record(
            &txn,
            caller,
            NewEvent::change(
                WorkspaceId(row.workspace_id),
                "invitation",
                Some(row.id),
                "invitation.declined",
            ),
        )
        .await?;
        self.commit(txn).await
    }

    /// An open invitation of the caller's own e-mail, in a new transaction.
    async fn mine(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Result<(invitation::Model, UserId, DateTime<Utc>, Tx)> {
        let user = caller.user.ok_or(StoreError::Forbidden)?;
        let email = self.get_user(user).await?.email;
        let now = Utc::now();
        let txn = self.begin().await?;
        // Someone else's invitation does not exist for this caller.
        let row = scoped::install_wide_by_id::<invitation::Entity>(id)
            .filter(invitation::Column::Email.eq(email.as_str()))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !open_at(&row, now) {
            return Err(not_valid());
        }
        Ok((row, user, now, txn))
    }

    /// Marks the invitation decided, unless another request decided it first.
    async fn decide(
        txn: &Tx,
        row: &invitation::Model,
        status: &str,
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let done = scoped::update_in::<invitation::Entity>(WorkspaceId(row.workspace_id))
            .col_expr(invitation::Column::Status, Expr::value(status))
            .col_expr(invitation::Column::AcceptedBy, Expr::value(by.map(|u| u.0)))
            .col_expr(invitation::Column::DecidedAt, Expr::value(now))
            .filter(invitation::Column::Id.eq(row.id))
            .filter(invitation::Column::Status.eq("pending"))
            .exec(txn)
            .await?;
        if done.rows_affected == 1 {
            Ok(())
        } else {
            Err(not_valid())
        }
    }

    /// The membership an accepted invitation gives, and its event (the person as actor).
    async fn join(
        txn: &Tx,
        caller: &Caller,
        row: &invitation::Model,
        user: UserId,
        now: DateTime<Utc>,
    ) -> Result<()> {
        Self::decide(txn, row, "accepted", Some(user), now).await?;
        let ws = WorkspaceId(row.workspace_id);
        let (role, group) = (role_of(row), group_of(row));
        member::ActiveModel {
            workspace_id: Set(ws.0),
            user_id: Set(user.0),
            role: Set(role.as_str().into()),
            grp: Set(group.as_str().into()),
            created_at: Set(now),
        }
        .insert(txn)
        .await?;
        record(
            txn,
            caller,
            NewEvent::change(ws, "member", Some(user.0), "member.joined")
                .subject(user)
                .after(json!({"email": row.email, "name": row.name, "role": role, "group": group, "invitation_id": row.id})),
        )
        .await
    }

    async fn views(&self, rows: Vec<invitation::Model>) -> Result<Vec<InvitationView>> {
        let people = self
            .user_names(rows.iter().filter_map(|r| r.invited_by))
            .await?;
        let workspaces = self
            .workspaces_by_id(rows.iter().map(|r| r.workspace_id))
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| InvitationView {
                id: r.id,
                workspace_id: r.workspace_id,
                workspace_name: workspaces
                    .get(&r.workspace_id)
                    .map(|w| w.name.clone())
                    .unwrap_or_default(),
                invited_by_name: r.invited_by.and_then(|u| people.get(&u).cloned()),
                role: role_of(&r),
                group: group_of(&r),
                email: r.email,
                expires_at: r.expires_at,
            })
            .collect())
    }
}

/// Pending and within its time.
fn open_at(r: &invitation::Model, now: DateTime<Utc>) -> bool {
    InvitationStatus::at(&r.status, r.expires_at, now) == InvitationStatus::Pending
}

fn to_invitation(
    r: invitation::Model,
    names: &std::collections::HashMap<i64, String>,
    now: DateTime<Utc>,
) -> Invitation {
    Invitation {
        id: r.id,
        status: InvitationStatus::at(&r.status, r.expires_at, now),
        role: role_of(&r),
        group: group_of(&r),
        invited_by_name: r.invited_by.and_then(|u| names.get(&u).cloned()),
        email: r.email,
        name: r.name,
        created_at: r.created_at,
        expires_at: r.expires_at,
    }
}
