//! Channels (group bots, webhooks, SMTP; secrets write-only) and the rules that route kinds to
//! them.

use std::collections::BTreeSet;

use chrono::Utc;
use kox_domain::WorkspaceId;
use kox_domain::notifications::{
    self as n, Channel, ChannelDraft, ChannelKind, ChannelPatch, Rule, RuleDraft, RulePatch,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use crate::Caller;
use crate::entities::{account, campaign, notification_channel, notification_rule};
use crate::error::invalid;
use crate::events::NewEvent;
use crate::scoped;
use crate::{Result, Store, StoreError};

use super::{ids_in, kinds_json, to_channel, to_rule};

impl Store {
    pub async fn list_channels(&self, ws: WorkspaceId) -> Result<Vec<Channel>> {
        Ok(scoped::in_ws::<notification_channel::Entity>(ws)
            .order_by_asc(notification_channel::Column::Id)
            .all(&self.read)
            .await?
            .into_iter()
            .map(to_channel)
            .collect())
    }

    async fn channel_row(
        &self,
        db: &impl ConnectionTrait,
        ws: WorkspaceId,
        id: i64,
    ) -> Result<notification_channel::Model> {
        scoped::by_id::<notification_channel::Entity>(ws, id)
            .one(db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn create_channel(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        d: ChannelDraft,
    ) -> Result<Channel> {
        let name = n::channel_name(&d.name)?;
        let secret = d
            .secret
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        let config = n::validated_channel(d.kind, d.config, secret.as_deref())?;
        let now = Utc::now();
        let txn = self.begin().await?;
        let m = notification_channel::ActiveModel {
            workspace_id: Set(ws.0),
            name: Set(name.clone()),
            kind: Set(d.kind.as_str().into()),
            config: Set(serde_json::to_value(&config).unwrap_or_default()),
            secret: Set(secret),
            enabled: Set(d.enabled),
            next_send_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        crate::events::record(
            &txn,
            caller,
            NewEvent::change(
                ws,
                "notification_channel",
                Some(m.id),
                "notification_channel.created",
            )
            .after(json!({"name": name, "kind": d.kind})),
        )
        .await?;
        self.commit(txn).await?;
        Ok(to_channel(m))
    }

    pub async fn update_channel(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: i64,
        p: ChannelPatch,
    ) -> Result<Channel> {
        let txn = self.begin().await?;
        let row = self.channel_row(&txn, ws, id).await?;
        let kind = ChannelKind::parse(&row.kind).unwrap_or(ChannelKind::Webhook);
        let before = to_channel(row.clone());
        let secret = match p.secret.map(|s| s.trim().to_owned()) {
            Some(s) if !s.is_empty() => Some(s),
            _ => row.secret.clone(),
        };
        let config = n::validated_channel(
            kind,
            p.config.unwrap_or_else(|| before.config.clone()),
            secret.as_deref(),
        )?;
        let name = match &p.name {
            Some(v) => n::channel_name(v)?,
            None => row.name.clone(),
        };
        let mut am: notification_channel::ActiveModel = row.into();
        am.name = Set(name);
        am.config = Set(serde_json::to_value(&config).unwrap_or_default());
        am.secret = Set(secret);
        if let Some(e) = p.enabled {
            am.enabled = Set(e);
        }
        am.updated_at = Set(Utc::now());
        let m = am.update(&txn).await?;
        let after = to_channel(m.clone());
        crate::events::record(
            &txn,
            caller,
            NewEvent::change(
                ws,
                "notification_channel",
                Some(id),
                "notification_channel.updated",
            )
            .before(
                json!({"name": before.name, "enabled": before.enabled, "config": before.config}),
            )
            .after(json!({"name": after.name, "enabled": after.enabled, "config": after.config})),
        )
        .await?;
        self.commit(txn).await?;
        Ok(after)
    }

    pub async fn delete_channel(&self, caller: &Caller, ws: WorkspaceId, id: i64) -> Result<()> {
        let txn = self.begin().await?;
        let row = self.channel_row(&txn, ws, id).await?;
        scoped::delete_in::<notification_rule::Entity>(ws)
            .filter(notification_rule::Column::ChannelId.eq(id))
            .exec(&txn)
            .await?;
        scoped::delete_in::<notification_channel::Entity>(ws)
            .filter(notification_channel::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        crate::events::record(
            &txn,
            caller,
            NewEvent::change(
                ws,
                "notification_channel",
                Some(id),
                "notification_channel.deleted",
            )
            .before(json!({"name": row.name, "kind": row.kind})),
        )
        .await?;
        self.commit(txn).await?;
        Ok(())
    }

    /// A channel with its secret, for sending (never for the API).
    pub async fn channel_for_send(
        &self,
        ws: WorkspaceId,
        id: i64,
    ) -> Result<(Channel, Option<String>)> {
        let row = self.channel_row(&self.read, ws, id).await?;
        let secret = row.secret.clone();
        Ok((to_channel(row), secret))
    }

    pub async fn list_rules(&self, ws: WorkspaceId) -> Result<Vec<Rule>> {
        Ok(scoped::in_ws::<notification_rule::Entity>(ws)
            .order_by_asc(notification_rule::Column::Id)
            .all(&self.read)
            .await?
            .into_iter()
            .map(|m| to_rule(&m))
            .collect())
    }

    /// The rule's channel, campaigns and accounts must be the workspace's.
    async fn check_rule_refs(
        &self,
        db: &impl ConnectionTrait,
        ws: WorkspaceId,
        d: &RuleDraft,
    ) -> Result<()> {
        if scoped::by_id::<notification_channel::Entity>(ws, d.channel_id)
            .one(db)
            .await?
            .is_none()
        {
            return Err(invalid(
                "channel_id",
                "notifications.unknown_channel",
                "no such channel in this workspace",
            ));
        }
        let campaigns = ids_in::<campaign::Entity>(db, ws, &d.campaign_ids).await?;
        let accounts = ids_in::<account::Entity>(db, ws, &d.account_ids).await?;
        let missing =
            |ids: &[i64], found: &BTreeSet<i64>| ids.iter().position(|c| !found.contains(c));
        if let Some(i) = missing(&d.campaign_ids, &campaigns) {
            return Err(invalid(
                format!("campaign_ids.{i}"),
                "notifications.unknown_campaign",
                "no such campaign in this workspace",
            ));
        }
        if let Some(i) = missing(&d.account_ids, &accounts) {
            return Err(invalid(
                format!("account_ids.{i}"),
                "notifications.unknown_account",
                "no such account in this workspace",
            ));
        }
        Ok(())
    }

    pub async fn create_rule(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        d: RuleDraft,
    ) -> Result<Rule> {
        let d = n::validated_rule(d)?;
        let now = Utc::now();
        let txn = self.begin().await?;
        self.check_rule_refs(&txn, ws, &d).await?;
        let m = notification_rule::ActiveModel {
            workspace_id: Set(ws.0),
            channel_id: Set(d.channel_id),
            kinds: Set(kinds_json(&d.kinds)),
            campaign_ids: Set(json!(d.campaign_ids)),
            tiers: Set(json!(d.tiers)),
            account_ids: Set(json!(d.account_ids)),
            enabled: Set(d.enabled),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let rule = to_rule(&m);
        crate::events::record(
            &txn,
            caller,
            NewEvent::change(
                ws,
                "notification_rule",
                Some(rule.id),
                "notification_rule.created",
            )
            .after(crate::events::json_of(&rule)),
        )
        .await?;
        self.commit(txn).await?;
        Ok(rule)
    }

    pub async fn update_rule(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: i64,
        p: RulePatch,
    ) -> Result<Rule> {
        let txn = self.begin().await?;
        let row = scoped::by_id::<notification_rule::Entity>(ws, id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let before = to_rule(&row);
        let d = n::validated_rule(RuleDraft {
            channel_id: p.channel_id.unwrap_or(before.channel_id),
            kinds: p.kinds.unwrap_or_else(|| before.kinds.clone()),
            campaign_ids: p
                .campaign_ids
                .unwrap_or_else(|| before.campaign_ids.clone()),
            tiers: p.tiers.unwrap_or_else(|| before.tiers.clone()),
            account_ids: p.account_ids.unwrap_or_else(|| before.account_ids.clone()),
            enabled: p.enabled.unwrap_or(before.enabled),
        })?;
        self.check_rule_refs(&txn, ws, &d).await?;
        let mut am: notification_rule::ActiveModel = row.into();
        am.channel_id = Set(d.channel_id);
        am.kinds = Set(kinds_json(&d.kinds));
        am.campaign_ids = Set(json!(d.campaign_ids));
        am.tiers = Set(json!(d.tiers));
        am.account_ids = Set(json!(d.account_ids));
        am.enabled = Set(d.enabled);
        am.updated_at = Set(Utc::now());
        let rule = to_rule(&am.update(&txn).await?);
        crate::events::record(
            &txn,
            caller,
            NewEvent::change(
                ws,
                "notification_rule",
                Some(id),
                "notification_rule.updated",
            )
            .before(crate::events::json_of(&before))
            .after(crate::events::json_of(&rule)),
        )
        .await?;
        self.commit(txn).await?;
        Ok(rule)
    }

    pub async fn delete_rule(&self, caller: &Caller, ws: WorkspaceId, id: i64) -> Result<()> {
        let txn = self.begin().await?;
        let row = scoped::by_id::<notification_rule::Entity>(ws, id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        scoped::delete_in::<notification_rule::Entity>(ws)
            .filter(notification_rule::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        crate::events::record(
            &txn,
            caller,
            NewEvent::change(
                ws,
                "notification_rule",
                Some(id),
                "notification_rule.deleted",
            )
            .before(crate::events::json_of(&to_rule(&row))),
        )
        .await?;
        self.commit(txn).await?;
        Ok(())
    }
}
