//! A member's own notifications: the list, the unread count, marking read, a test, and their
//! preferences.

use chrono::Utc;
use kox_domain::notifications::{
    self as n, MarkRead, NotificationKind, NotificationPage, Preferences, UnreadCount,
};
use kox_domain::{UserId, WorkspaceId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde_json::json;

use crate::Caller;
use crate::entities::{notification, notification_preference};
use crate::error::invalid;
use crate::events::{NewEvent, record_many};
use crate::scoped;
use crate::{Result, Store};

use super::{NOTIFICATION_ENTITY, Notice, notify, prefs_of, to_notification, unread};

fn validated_kinds_filter(s: Option<&str>) -> Result<Option<NotificationKind>> {
    match s {
        None => Ok(None),
        Some(k) => NotificationKind::parse(k).map(Some).ok_or_else(|| {
            invalid(
                "kind",
                "notifications.unknown_kind",
                "unknown notification kind",
            )
        }),
    }
}

impl Store {
    /// The member's notifications, newest first, a page at a time (`before`: an id).
    pub async fn list_notifications(
        &self,
        ws: WorkspaceId,
        user: UserId,
        unread_only: bool,
        kind: Option<&str>,
        before: Option<i64>,
        limit: u64,
    ) -> Result<NotificationPage> {
        let kind = validated_kinds_filter(kind)?;
        let mut q = scoped::in_ws::<notification::Entity>(ws)
            .filter(notification::Column::UserId.eq(user.0));
        if unread_only {
            q = q.filter(notification::Column::ReadAt.is_null());
        }
        if let Some(k) = kind {
            q = q.filter(notification::Column::Kind.eq(k.as_str()));
        }
        if let Some(b) = before {
            q = q.filter(notification::Column::Id.lt(b));
        }
        let rows = q
            .order_by_desc(notification::Column::Id)
            .limit(limit + 1)
            .all(&self.read)
            .await?;
        let more = rows.len() as u64 > limit;
        let rows: Vec<_> = rows.into_iter().take(limit as usize).collect();
        let names = self
            .user_names(rows.iter().filter_map(|r| r.actor_id))
            .await?;
        let next_before = if more {
            rows.last().map(|r| r.id)
        } else {
            None
        };
        Ok(NotificationPage {
            items: rows
                .into_iter()
                .map(|r| to_notification(r, &names))
                .collect(),
            unread: unread(&self.read, ws, user).await?,
            next_before,
        })
    }

    pub async fn unread_notifications(&self, ws: WorkspaceId, user: UserId) -> Result<UnreadCount> {
        Ok(UnreadCount {
            unread: unread(&self.read, ws, user).await?,
        })
    }

    /// Marks the member's notifications read (these ids, or all); other ids are ignored. The
    /// member's other tabs hear the new count.
    pub async fn mark_notifications_read(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        user: UserId,
        req: &MarkRead,
    ) -> Result<UnreadCount> {
        if !req.all && req.ids.is_empty() {
            return Err(invalid(
                "ids",
                "validation.required",
                "name the notifications, or all",
            ));
        }
        if req.ids.len() > 500 {
            return Err(invalid(
                "ids",
                "validation.too_many",
                "at most 500 at a time",
            ));
        }
        let now = Utc::now();
        let txn = self.begin().await?;
        let mut q = scoped::update_in::<notification::Entity>(ws)
            .col_expr(notification::Column::ReadAt, Expr::value(Some(now)))
            .filter(notification::Column::UserId.eq(user.0))
            .filter(notification::Column::ReadAt.is_null());
        if !req.all {
            q = q.filter(notification::Column::Id.is_in(req.ids.clone()));
        }
        q.exec(&txn).await?;
        let count = unread(&txn, ws, user).await?;
        record_many(
            &txn,
            caller,
            &[
                NewEvent::change(ws, NOTIFICATION_ENTITY, Some(user.0), "notification.read")
                    .subject(user)
                    .after(json!({"unread": count})),
            ],
        )
        .await?;
        self.commit(txn).await?;
        Ok(UnreadCount { unread: count })
    }

    /// A test notification to the member themselves, through their own choices (the bell, and
    /// e-mail if they chose it for tests).
    pub async fn notify_test(&self, caller: &Caller, ws: WorkspaceId, user: UserId) -> Result<()> {
        let tz = self.workspace_config(ws).await?.time_zone.clone();
        let txn = self.begin().await?;
        notify(
            &txn,
            caller,
            ws,
            &tz,
            Notice {
                kind: NotificationKind::Test,
                recipients: vec![user],
                actor: Some(user),
                item: None,
                title: "KOX 测试通知".into(),
                data: json!({}),
                lines: vec!["这是一条测试通知：你的通知设置工作正常。".into()],
            },
        )
        .await?;
        self.commit(txn).await?;
        Ok(())
    }

    pub async fn get_preferences(&self, ws: WorkspaceId, user: UserId) -> Result<Preferences> {
        Ok(scoped::in_ws::<notification_preference::Entity>(ws)
            .filter(notification_preference::Column::UserId.eq(user.0))
            .one(&self.read)
            .await?
            .map(|p| prefs_of(&p.prefs))
            .unwrap_or_default())
    }

    pub async fn set_preferences(
        &self,
        ws: WorkspaceId,
        user: UserId,
        p: Preferences,
    ) -> Result<Preferences> {
        let p = n::validated_preferences(p)?;
        let now = Utc::now();
        let txn = self.begin().await?;
        let existing = scoped::in_ws::<notification_preference::Entity>(ws)
            .filter(notification_preference::Column::UserId.eq(user.0))
            .one(&txn)
            .await?;
        let value = serde_json::to_value(&p).unwrap_or_default();
        match existing {
            Some(row) => {
                let mut am: notification_preference::ActiveModel = row.into();
                am.prefs = Set(value);
                am.updated_at = Set(now);
                am.update(&txn).await?;
            }
            None => {
                notification_preference::ActiveModel {
                    workspace_id: Set(ws.0),
                    user_id: Set(user.0),
                    prefs: Set(value),
                    updated_at: Set(now),
                }
                .insert(&txn)
                .await?;
            }
        }
        self.commit(txn).await?;
        Ok(p)
    }
}
