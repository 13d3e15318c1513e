//! People: users (global to the install), their membership, role and group in each workspace.

use chrono::Utc;
use kox_domain::access::{Group, Role};
use kox_domain::members::{Member, Membership, User};
use kox_domain::{UserId, WorkspaceId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use crate::Caller;
use crate::entities::{account, account_owner, api_token, member, session, user};
use crate::error::invalid;
use crate::events::{NewEvent, record};
use crate::scoped;
use crate::{Result, Store, StoreError};

/// A user with the hash to check a password against.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

fn to_user(m: &user::Model) -> User {
    User {
        id: UserId(m.id),
        email: m.email.clone(),
        name: m.name.clone(),
        locale: m.locale.clone(),
    }
}

fn parse_role(s: &str) -> Role {
    // Stored values come from Role::as_str; a foreign value is treated as the least privileged.
    Role::parse(s).unwrap_or(Role::Viewer)
}

fn parse_group(s: &str) -> Group {
    Group::parse(s).unwrap_or(Group::DataSupport)
}

pub struct NewMember<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub group: Group,
    /// Required when the e-mail has no user yet; ignored for an existing user.
    pub password_hash: Option<String>,
}

impl Store {
    /// A user outside any workspace (for `kox user add` before membership is set).
    pub async fn find_credentials(&self, email: &str) -> Result<Option<Credentials>> {
        let email = email.trim().to_lowercase();
        Ok(scoped::install_wide::<user::Entity>()
            .filter(user::Column::Email.eq(email))
            .one(&self.read)
            .await?
            .map(|m| Credentials {
                user: to_user(&m),
                password_hash: m.password_hash,
            }))
    }

    pub async fn get_user(&self, id: UserId) -> Result<User> {
        scoped::install_wide_by_id::<user::Entity>(id.0)
            .one(&self.read)
            .await?
            .map(|m| to_user(&m))
            .ok_or(StoreError::NotFound)
    }

    pub async fn update_profile(
        &self,
        caller: &Caller,
        id: UserId,
        name: Option<&str>,
        locale: Option<&str>,
    ) -> Result<User> {
        let txn = self.begin().await?;
        let before = scoped::install_wide_by_id::<user::Entity>(id.0)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut am: user::ActiveModel = before.clone().into();
        if let Some(n) = name {
            am.name = Set(kox_domain::members::parse_name(n)?);
        }
        if let Some(l) = locale {
            am.locale = Set(kox_domain::members::parse_locale(l)?);
        }
        let after = am.update(&txn).await?;
        record(
            &txn,
            caller,
            NewEvent::personal(id, "user", Some(id.0), "user.profile_updated")
                .before(json!({"name": before.name, "locale": before.locale}))
                .after(json!({"name": after.name, "locale": after.locale})),
        )
        .await?;
        self.commit(txn).await?;
        Ok(to_user(&after))
    }

    /// Sets a new password hash and ends every session of the user except `keep` (the one
    /// making the change) and every API token, in one transaction: whoever knew the old
    /// password is signed out.
    pub async fn set_password_hash(
        &self,
        caller: &Caller,
        id: UserId,
        hash: String,
        keep: Option<i64>,
    ) -> Result<()> {
        let txn = self.begin().await?;
        let m = scoped::install_wide_by_id::<user::Entity>(id.0)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut am: user::ActiveModel = m.into();
        am.password_hash = Set(hash);
        am.update(&txn).await?;
        let mut others = scoped::delete_install_wide::<session::Entity>()
            .filter(session::Column::UserId.eq(id.0));
        if let Some(k) = keep {
            others = others.filter(session::Column::Id.ne(k));
        }
        let ended = others.exec(&txn).await?.rows_affected;
        // The user's API tokens end too: whoever had the old password could have made one.
        let tokens = scoped::delete_install_wide::<api_token::Entity>()
            .filter(api_token::Column::UserId.eq(id.0))
            .exec(&txn)
            .await?
            .rows_affected;
        record(
            &txn,
            caller,
            NewEvent::personal(id, "user", Some(id.0), "user.password_changed")
                .after(json!({"sessions_ended": ended, "tokens_ended": tokens})),
        )
        .await?;
        self.commit(txn).await?;
        Ok(())
    }

    pub async fn memberships(&self, user: UserId) -> Result<Vec<Membership>> {
        // A person's memberships across workspaces: the one read of members by user.
        let rows = scoped::members_of_user(user.0)
            .order_by_asc(member::Column::WorkspaceId)
            .all(&self.read)
            .await?;
        let workspaces = self
            .workspaces_by_id(rows.iter().map(|m| m.workspace_id))
            .await?;
        Ok(rows
            .into_iter()
            .map(|m| Membership {
                workspace_id: WorkspaceId(m.workspace_id),
                workspace_name: workspaces
                    .get(&m.workspace_id)
                    .map(|w| w.name.clone())
                    .unwrap_or_default(),
                workspace_time_zone: workspaces
                    .get(&m.workspace_id)
                    .map(|w| w.time_zone.clone())
                    .unwrap_or_default(),
                role: parse_role(&m.role),
                group: parse_group(&m.grp),
            })
            .collect())
    }

    /// The member's role in a workspace, or `None` if they are not a member (or it does not exist).
    pub async fn membership(&self, ws: WorkspaceId, user: UserId) -> Result<Option<(Role, Group)>> {
        Ok(scoped::in_ws::<member::Entity>(ws)
            .filter(member::Column::UserId.eq(user.0))
            .one(&self.read)
            .await?
            .map(|m| (parse_role(&m.role), parse_group(&m.grp))))
    }

    pub async fn list_members(&self, ws: WorkspaceId) -> Result<Vec<Member>> {
        let rows = scoped::in_ws::<member::Entity>(ws).all(&self.read).await?;
        let users: std::collections::HashMap<i64, user::Model> =
            scoped::install_wide::<user::Entity>()
                .filter(user::Column::Id.is_in(rows.iter().map(|m| m.user_id)))
                .all(&self.read)
                .await?
                .into_iter()
                .map(|u| (u.id, u))
                .collect();
        let mut out: Vec<Member> = rows
            .into_iter()
            .filter_map(|m| {
                let u = users.get(&m.user_id)?;
                Some(Member {
                    user_id: UserId(m.user_id),
                    email: u.email.clone(),
                    name: u.name.clone(),
                    role: parse_role(&m.role),
                    group: parse_group(&m.grp),
                    created_at: m.created_at,
                })
            })
            .collect();
        out.sort_by(|a, b| (a.group.as_str(), &a.name).cmp(&(b.group.as_str(), &b.name)));
        Ok(out)
    }

    /// Adds a member; creates the user when the e-mail is new to this install.
    pub async fn add_member(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        new: NewMember<'_>,
    ) -> Result<Member> {
        let email = kox_domain::members::parse_email(new.email)?;
        let name = kox_domain::members::parse_name(new.name)?;
        let txn = self.begin().await?;
        let existing = scoped::install_wide::<user::Entity>()
            .filter(user::Column::Email.eq(email.as_str()))
            .one(&txn)
            .await?;
        let u = if let Some(u) = existing {
            u
        } else {
            let hash = new.password_hash.ok_or_else(|| {
                invalid(
                    "password",
                    "validation.required",
                    "a new user needs an initial password",
                )
            })?;
            user::ActiveModel {
                email: Set(email.clone()),
                name: Set(name),
                password_hash: Set(hash),
                locale: Set("zh-CN".into()),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        };
        if scoped::in_ws::<member::Entity>(ws)
            .filter(member::Column::UserId.eq(u.id))
            .one(&txn)
            .await?
            .is_some()
        {
            return Err(StoreError::Conflict {
                params: serde_json::Map::new(),
                code: "members.already_member",
                field: "email".into(),
                message: "this person is already a member of the workspace".into(),
            });
        }
        let m = member::ActiveModel {
            workspace_id: Set(ws.0),
            user_id: Set(u.id),
            role: Set(new.role.as_str().into()),
            grp: Set(new.group.as_str().into()),
            created_at: Set(Utc::now()),
        }
        .insert(&txn)
        .await?;
        let out = Member {
            user_id: UserId(u.id),
            email: u.email,
            name: u.name,
            role: new.role,
            group: new.group,
            created_at: m.created_at,
        };
        record(&txn, caller, NewEvent::change(ws, "member", Some(u.id), "member.added").subject(out.user_id).after(json!({"email": out.email, "name": out.name, "role": out.role, "group": out.group})))
        .await?;
        self.commit(txn).await?;
        Ok(out)
    }

    async fn admin_count(db: &impl sea_orm::ConnectionTrait, ws: WorkspaceId) -> Result<u64> {
        Ok(scoped::in_ws::<member::Entity>(ws)
            .filter(member::Column::Role.eq(Role::Admin.as_str()))
            .count(db)
            .await?)
    }

    /// Changes a member's role and/or group. The last admin cannot stop being one.
    pub async fn update_member(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        user: UserId,
        role: Option<Role>,
        group: Option<Group>,
    ) -> Result<Member> {
        let txn = self.begin().await?;
        let before = scoped::in_ws::<member::Entity>(ws)
            .filter(member::Column::UserId.eq(user.0))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if before.role == Role::Admin.as_str()
            && role.is_some_and(|r| r != Role::Admin)
            && Self::admin_count(&txn, ws).await? <= 1
        {
            return Err(invalid(
                "role",
                "members.last_admin",
                "the workspace needs at least one admin",
            ));
        }
        let mut am: member::ActiveModel = before.clone().into();
        if let Some(r) = role {
            am.role = Set(r.as_str().into());
        }
        if let Some(g) = group {
            am.grp = Set(g.as_str().into());
        }
        let after = am.update(&txn).await?;
        let u = scoped::install_wide_by_id::<user::Entity>(user.0)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let action = if before.role == after.role {
            "member.group_changed"
        } else {
            "member.role_changed"
        };
        record(
            &txn,
            caller,
            NewEvent::change(ws, "member", Some(user.0), action)
                .subject(user)
                .before(json!({"role": before.role, "group": before.grp}))
                .after(json!({"role": after.role, "group": after.grp})),
        )
        .await?;
        self.commit(txn).await?;
        Ok(Member {
            user_id: user,
            email: u.email,
            name: u.name,
            role: parse_role(&after.role),
            group: parse_group(&after.grp),
            created_at: after.created_at,
        })
    }

    /// Removes a member from the workspace (the user and their history stay). Their account
    /// ownerships in this workspace end with the membership.
    pub async fn remove_member(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        user: UserId,
    ) -> Result<()> {
        let txn = self.begin().await?;
        let before = scoped::in_ws::<member::Entity>(ws)
            .filter(member::Column::UserId.eq(user.0))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if before.role == Role::Admin.as_str() && Self::admin_count(&txn, ws).await? <= 1 {
            return Err(invalid(
                "user_id",
                "members.last_admin",
                "the workspace needs at least one admin",
            ));
        }
        // The accounts they owned change (their owners): `updated_at` moves with them, which
        // is also what tells the row cache to read them again (`accounts::account_stamp`).
        scoped::update_in::<account::Entity>(ws)
            .col_expr(account::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(account::Column::Id.in_subquery(crate::accounts::owned_by(ws, user)))
            .exec(&txn)
            .await?;
        scoped::delete_in::<account_owner::Entity>(ws)
            .filter(account_owner::Column::UserId.eq(user.0))
            .exec(&txn)
            .await?;
        scoped::delete_in::<member::Entity>(ws)
            .filter(member::Column::UserId.eq(user.0))
            .exec(&txn)
            .await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "member", Some(user.0), "member.removed")
                .subject(user)
                .before(json!({"role": before.role, "group": before.grp})),
        )
        .await?;
        self.commit(txn).await?;
        Ok(())
    }

    /// Which of these ids are not members of the workspace.
    pub(crate) async fn non_members(
        db: &impl sea_orm::ConnectionTrait,
        ws: WorkspaceId,
        ids: &[i64],
    ) -> Result<Vec<i64>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let found: Vec<i64> = scoped::in_ws::<member::Entity>(ws)
            .filter(member::Column::UserId.is_in(ids.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.user_id)
            .collect();
        Ok(ids.iter().copied().filter(|i| !found.contains(i)).collect())
    }
}
