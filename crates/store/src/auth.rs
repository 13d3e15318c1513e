//! Sessions and API tokens. Only hashes of the secrets are stored; the server makes and
//! hashes them. `touch_*` writes are throttled by the caller's `now`, not on every request.

use chrono::{DateTime, Duration, Utc};
use kox_domain::UserId;
use kox_domain::members::{SessionInfo, TokenInfo};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use crate::Caller;
use crate::entities::{api_token, session};
use crate::events::{NewEvent, record};
use crate::scoped;
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: i64,
    pub user_id: UserId,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub struct NewSession {
    pub token_hash: String,
    pub user_id: UserId,
    pub csrf_token: String,
    pub user_agent: String,
    pub ip: String,
    pub expires_at: DateTime<Utc>,
}

/// A signed-in caller's credential, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    Session(i64),
    Token(i64),
}

/// Whether a change to this kind of entity (an event's `entity_type`) may change a credential
/// (a session, a token, a password) or a membership (a role, a member, an invitation taken up),
/// which the server caches per request between changes of `Store::access_generation`. Only the
/// kinds listed are known to leave them alone; any other kind, including one added later,
/// counts until it is listed here.
pub(crate) fn depends_on(entity_type: &str) -> bool {
    !matches!(
        entity_type,
        "content_item"
            | "account"
            | "campaign"
            | "custom_field"
            | "red_line"
            | "platform"
            | "import"
            | "import_mapping"
            | "schedule_rules"
            | "recurring_slot"
            | "holiday_year"
            | "coordination_order"
            | "wave"
            | "ics_feed"
    )
}
impl Store {
    pub async fn create_session(&self, s: NewSession) -> Result<SessionRow> {
        let now = Utc::now();
        let m = session::ActiveModel {
            token_hash: Set(s.token_hash),
            user_id: Set(s.user_id.0),
            csrf_token: Set(s.csrf_token),
            user_agent: Set(s.user_agent.chars().take(300).collect()),
            ip: Set(s.ip),
            created_at: Set(now),
            last_seen_at: Set(now),
            expires_at: Set(s.expires_at),
            ..Default::default()
        }
        .insert(&self.write)
        .await?;
        Ok(to_row(m))
    }

    pub async fn find_session(&self, token_hash: &str) -> Result<Option<SessionRow>> {
        Ok(scoped::install_wide::<session::Entity>()
            .filter(session::Column::TokenHash.eq(token_hash))
            .one(&self.read)
            .await?
            .map(to_row))
    }

    /// Whether the credential a long-lived request (an event stream) was opened with still
    /// stands: the session is not signed out, ended by a password change or expired; the token
    /// is not revoked.
    pub async fn credential_alive(
        &self,
        credential: Credential,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        Ok(match credential {
            Credential::Session(id) => scoped::install_wide_by_id::<session::Entity>(id)
                .filter(session::Column::ExpiresAt.gt(now))
                .one(&self.read)
                .await?
                .is_some(),
            Credential::Token(id) => scoped::install_wide_by_id::<api_token::Entity>(id)
                .one(&self.read)
                .await?
                .is_some(),
        })
    }

    /// Records activity on a session; callers do this at most once a minute per session.
    pub async fn touch_session(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        scoped::update_install_wide::<session::Entity>()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .filter(session::Column::Id.eq(id))
            .exec(&self.write)
            .await?;
        Ok(())
    }

    pub async fn delete_session(&self, user: UserId, id: i64) -> Result<()> {
        let res = scoped::delete_install_wide::<session::Entity>()
            .filter(session::Column::Id.eq(id))
            .filter(session::Column::UserId.eq(user.0))
            .exec(&self.write)
            .await?;
        if res.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        self.bump();
        Ok(())
    }

    /// Live sessions of a user (expired ones are not listed; they are purged by `purge_sessions`).
    pub async fn list_sessions(
        &self,
        user: UserId,
        current: Option<i64>,
        idle: Duration,
    ) -> Result<Vec<SessionInfo>> {
        let now = Utc::now();
        Ok(scoped::install_wide::<session::Entity>()
            .filter(session::Column::UserId.eq(user.0))
            .filter(session::Column::ExpiresAt.gt(now))
            .filter(session::Column::LastSeenAt.gt(now - idle))
            .order_by_desc(session::Column::LastSeenAt)
            .all(&self.read)
            .await?
            .into_iter()
            .map(|m| SessionInfo {
                id: m.id,
                created_at: m.created_at,
                last_seen_at: m.last_seen_at,
                expires_at: m.expires_at,
                user_agent: m.user_agent,
                ip: m.ip,
                current: Some(m.id) == current,
            })
            .collect())
    }

    pub async fn purge_sessions(&self, idle: Duration) -> Result<u64> {
        let now = Utc::now();
        let res = scoped::delete_install_wide::<session::Entity>()
            .filter(
                sea_orm::Condition::any()
                    .add(session::Column::ExpiresAt.lte(now))
                    .add(session::Column::LastSeenAt.lte(now - idle)),
            )
            .exec(&self.write)
            .await?;
        self.bump();
        Ok(res.rows_affected)
    }

    pub async fn create_token(
        &self,
        caller: &Caller,
        user: UserId,
        name: &str,
        token_hash: String,
    ) -> Result<TokenInfo> {
        let name = kox_domain::validation::text("name", name, 1, 60)?;
        let txn = self.begin().await?;
        let m = api_token::ActiveModel {
            token_hash: Set(token_hash),
            user_id: Set(user.0),
            name: Set(name),
            created_at: Set(Utc::now()),
            last_used_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        record(
            &txn,
            caller,
            NewEvent::personal(user, "api_token", Some(m.id), "token.created")
                .after(json!({"name": m.name})),
        )
        .await?;
        self.commit(txn).await?;
        Ok(to_token(m))
    }

    /// The token's id and owner.
    pub async fn find_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<(i64, UserId, Option<DateTime<Utc>>)>> {
        Ok(scoped::install_wide::<api_token::Entity>()
            .filter(api_token::Column::TokenHash.eq(token_hash))
            .one(&self.read)
            .await?
            .map(|m| (m.id, UserId(m.user_id), m.last_used_at)))
    }

    pub async fn touch_token(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        scoped::update_install_wide::<api_token::Entity>()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(id))
            .exec(&self.write)
            .await?;
        Ok(())
    }

    pub async fn list_tokens(&self, user: UserId) -> Result<Vec<TokenInfo>> {
        Ok(scoped::install_wide::<api_token::Entity>()
            .filter(api_token::Column::UserId.eq(user.0))
            .order_by_desc(api_token::Column::Id)
            .all(&self.read)
            .await?
            .into_iter()
            .map(to_token)
            .collect())
    }

    pub async fn revoke_token(&self, caller: &Caller, user: UserId, id: i64) -> Result<()> {
        let txn = self.begin().await?;
        let m = scoped::install_wide_by_id::<api_token::Entity>(id)
            .filter(api_token::Column::UserId.eq(user.0))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        scoped::delete_install_wide::<api_token::Entity>()
            .filter(api_token::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        record(
            &txn,
            caller,
            NewEvent::personal(user, "api_token", Some(id), "token.revoked")
                .before(json!({"name": m.name})),
        )
        .await?;
        self.commit(txn).await?;
        Ok(())
    }
}

fn to_row(m: session::Model) -> SessionRow {
    SessionRow {
        id: m.id,
        user_id: UserId(m.user_id),
        csrf_token: m.csrf_token,
        created_at: m.created_at,
        last_seen_at: m.last_seen_at,
        expires_at: m.expires_at,
    }
}

fn to_token(m: api_token::Model) -> TokenInfo {
    TokenInfo {
        id: m.id,
        name: m.name,
        created_at: m.created_at,
        last_used_at: m.last_used_at,
    }
}
