//! iCalendar feeds: a member's secret URLs (their accounts, one account, one campaign) that
//! Feishu/Lark, Outlook and Apple Calendar subscribe to. Only the secret's SHA-256 is kept;
//! a revoked feed, or one of a member who left, answers nothing.

use chrono::{Duration, Utc};
use kox_domain::calendar::ics::{EventStatus, Feed, FeedEvent};
use kox_domain::calendar::{FeedDraft, FeedScope, IcsFeed};
use kox_domain::content::Stage;
use kox_domain::{UserId, WorkspaceId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use super::{Stamps, rows_between, zone};
use crate::Caller;
use crate::entities::{campaign, ics_feed, member};
use crate::error::invalid;
use crate::events::{NewEvent, record};
use crate::scoped;
use crate::{Result, Store, StoreError};

/// The feed a secret opens, as the `/ics/{secret}.ics` route finds it.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedSecret {
    pub workspace: WorkspaceId,
    pub user: UserId,
    pub feed: IcsFeed,
}

/// How far back and ahead a feed reaches.
const FEED_PAST_DAYS: i64 = 90;
const FEED_AHEAD_DAYS: i64 = 366;
/// A calendar event's length: a post is a moment; half an hour shows as a block.
const EVENT_MINUTES: i64 = 30;

fn to_feed(m: ics_feed::Model) -> IcsFeed {
    IcsFeed {
        id: m.id,
        scope: FeedScope::parse(&m.scope).unwrap_or(FeedScope::Member),
        target_id: m.target_id,
        name: m.name,
        created_at: m.created_at,
        last_used_at: m.last_used_at,
        revoked_at: m.revoked_at,
    }
}

impl Store {
    /// The member's feeds, newest first (revoked ones included, marked).
    pub async fn list_feeds(&self, ws: WorkspaceId, user: UserId) -> Result<Vec<IcsFeed>> {
        Ok(scoped::in_ws::<ics_feed::Entity>(ws)
            .filter(ics_feed::Column::UserId.eq(user.0))
            .order_by_desc(ics_feed::Column::Id)
            .all(&self.read)
            .await?
            .into_iter()
            .map(to_feed)
            .collect())
    }

    /// A new feed for the calling member; `secret_hash` is the SHA-256 of the secret the
    /// caller shows once.
    pub async fn create_feed(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        d: FeedDraft,
        secret_hash: &str,
    ) -> Result<IcsFeed> {
        let user = caller.user.ok_or(StoreError::Forbidden)?;
        let d = d.validate()?;
        let default_name = match (d.scope, d.target_id) {
            (FeedScope::Account, Some(a)) => {
                let acc = scoped::by_id::<crate::entities::account::Entity>(ws, a)
                    .one(&self.read)
                    .await?
                    .ok_or_else(|| {
                        invalid(
                            "target_id",
                            "content.unknown_account",
                            "there is no such account in this workspace",
                        )
                    })?;
                format!("KOX · @{}", acc.handle)
            }
            (FeedScope::Campaign, Some(c)) => {
                let camp = scoped::by_id::<campaign::Entity>(ws, c)
                    .one(&self.read)
                    .await?
                    .ok_or_else(|| {
                        invalid(
                            "target_id",
                            "content.unknown_campaign",
                            "there is no such campaign in this workspace",
                        )
                    })?;
                format!("KOX · {}", camp.name)
            }
            _ => "KOX · 我的账号".to_owned(),
        };
        let now = Utc::now();
        let txn = self.begin().await?;
        let m = ics_feed::ActiveModel {
            workspace_id: Set(ws.0),
            user_id: Set(user.0),
            scope: Set(d.scope.as_str().into()),
            target_id: Set(d.target_id),
            name: Set(d.name.unwrap_or(default_name)),
            secret_hash: Set(secret_hash.to_owned()),
            created_at: Set(now),
            last_used_at: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "ics_feed", Some(m.id), "ics_feed.created")
                .after(json!({"scope": m.scope, "target_id": m.target_id, "name": m.name})),
        )
        .await?;
        self.commit(txn).await?;
        Ok(to_feed(m))
    }

    /// Revokes one of the member's feeds (its URL answers 404 from now on).
    pub async fn revoke_feed(&self, caller: &Caller, ws: WorkspaceId, id: i64) -> Result<()> {
        let user = caller.user.ok_or(StoreError::Forbidden)?;
        let txn = self.begin().await?;
        let m = scoped::by_id::<ics_feed::Entity>(ws, id)
            .one(&txn)
            .await?
            .filter(|m| m.user_id == user.0)
            .ok_or(StoreError::NotFound)?;
        if m.revoked_at.is_none() {
            let mut am: ics_feed::ActiveModel = m.into();
            am.revoked_at = Set(Some(Utc::now()));
            am.update(&txn).await?;
            record(
                &txn,
                caller,
                NewEvent::change(ws, "ics_feed", Some(id), "ics_feed.revoked"),
            )
            .await?;
        }
        self.commit(txn).await
    }

    /// The live feed a secret's hash opens: none when unknown, revoked, or its member left.
    pub async fn feed_by_secret(&self, secret_hash: &str) -> Result<Option<FeedSecret>> {
        let Some(m) = scoped::install_wide::<ics_feed::Entity>()
            .filter(ics_feed::Column::SecretHash.eq(secret_hash))
            .one(&self.read)
            .await?
        else {
            return Ok(None);
        };
        if m.revoked_at.is_some() {
            return Ok(None);
        }
        let ws = WorkspaceId(m.workspace_id);
        let still_member = scoped::in_ws::<member::Entity>(ws)
            .filter(member::Column::UserId.eq(m.user_id))
            .one(&self.read)
            .await?
            .is_some();
        if !still_member {
            return Ok(None);
        }
        Ok(Some(FeedSecret {
            workspace: ws,
            user: UserId(m.user_id),
            feed: to_feed(m),
        }))
    }

    /// The feed's iCalendar text; `base` is the address links point back to.
    pub async fn feed_ics(&self, f: &FeedSecret, base: &str, host: &str) -> Result<String> {
        let ws = f.workspace;
        let cfg = self.workspace_config(ws).await?;
        // UIDs name the install's host without a port: the same item is the same event
        // whichever address the feed was fetched through.
        let uid_host = host.split(':').next().unwrap_or(host);
        let now = Utc::now();
        let rows = rows_between(
            &self.read,
            &cfg,
            ws,
            now - Duration::days(FEED_PAST_DAYS),
            now + Duration::days(FEED_AHEAD_DAYS),
            Stamps::Read,
        )
        .await?;
        let events = rows
            .iter()
            .filter(|r| match (f.feed.scope, f.feed.target_id) {
                (FeedScope::Account, Some(a)) => r.account_id == Some(a),
                (FeedScope::Campaign, Some(c)) => r.campaign_id == Some(c),
                _ => {
                    r.assignee_id == Some(f.user.0)
                        || r.account_id
                            .and_then(|a| cfg.accounts.get(&a))
                            .is_some_and(|a| a.2.contains(&f.user.0))
                }
            })
            .filter_map(|r| {
                let start = r.at()?;
                let stage = r.stage();
                let account = r
                    .handle
                    .as_deref()
                    .map(|h| format!("@{h}"))
                    .unwrap_or_default();
                let mut description = format!("账号 {account}\n阶段 {}", stage_zh(stage));
                if let Some(p) = &r.platform {
                    let name = cfg.platforms.get(p).map_or(p.as_str(), |x| x.2.as_str());
                    description.push_str("\n平台 ");
                    description.push_str(name);
                }
                let link = format!("{base}/content?item={}", r.id);
                description.push('\n');
                description.push_str(&link);
                Some(FeedEvent {
                    uid: format!("kox-{}-item-{}@{uid_host}", ws.0, r.id),
                    sequence: r.version,
                    summary: if account.is_empty() {
                        r.title.clone()
                    } else {
                        format!("{account} {}", r.title)
                    },
                    description,
                    location: None,
                    categories: r
                        .tier
                        .iter()
                        .cloned()
                        .chain(std::iter::once(stage_zh(stage).to_owned()))
                        .collect(),
                    url: Some(link),
                    start,
                    minutes: EVENT_MINUTES,
                    status: match stage {
                        Stage::Cancelled => EventStatus::Cancelled,
                        Stage::Publish | Stage::Retro => EventStatus::Confirmed,
                        _ => EventStatus::Tentative,
                    },
                    stamp: r.updated_at.unwrap_or(now),
                    created: r.created_at.unwrap_or(now),
                })
            })
            .collect();
        // Recorded without an event: a fetch changes nothing anyone watches.
        scoped::update_in::<ics_feed::Entity>(ws)
            .col_expr(ics_feed::Column::LastUsedAt, Expr::value(now))
            .filter(ics_feed::Column::Id.eq(f.feed.id))
            .exec(&self.write)
            .await?;
        Ok(Feed {
            name: f.feed.name.clone(),
            description: "KOX 内容日历".into(),
            tz: zone(&cfg),
            events,
        }
        .write())
    }
}

fn stage_zh(s: Stage) -> &'static str {
    match s {
        Stage::Topic => "选题",
        Stage::Draft => "稿件",
        Stage::Review => "审核",
        Stage::Publish => "发布",
        Stage::Retro => "复盘",
        Stage::Cancelled => "已取消",
    }
}
