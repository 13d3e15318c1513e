//! Publishing: the copy-ready publish pack, the live post URL that moves an item to 复盘, and
//! the retro note that closes it.

use chrono::{DateTime, Utc};
use kox_domain::content::checks::{self};
use kox_domain::content::{ContentAction, ContentItem, PublishPack, Stage};
use kox_domain::{ContentId, WorkspaceId};
use serde_json::json;

use super::insert_transition;
use crate::Caller;
use crate::entities::account;
use crate::error::invalid;
use crate::events::{NewEvent, record};
use crate::scoped;
use crate::{Result, Store, StoreError};

impl Store {
    pub async fn publish_pack(&self, ws: WorkspaceId, id: ContentId) -> Result<PublishPack> {
        let item = self.get_content(ws, id).await?;
        let account_id = item.account_id.ok_or_else(|| {
            invalid(
                "account_id",
                "content.account_required",
                "this item has no account yet",
            )
        })?;
        let a = scoped::by_id::<account::Entity>(ws, account_id.0)
            .one(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        let cfg = self.workspace_config(ws).await?;
        let platform = cfg.platforms.get(&a.platform);
        let platform_name = platform.map_or_else(|| a.platform.clone(), |p| p.2.clone());
        let post_url_example = platform.and_then(|p| checks::example_post_url(&p.1));
        let in_body = checks::hashtags_in(&item.body);
        let hashtag_text = item
            .hashtags
            .iter()
            .filter(|h| !in_body.contains(h))
            .map(|h| kox_domain::content::hashtag_for(&a.platform, h.as_str()))
            .collect::<Vec<_>>()
            .join(" ");
        let mut copy_text = item.title.clone();
        for part in [&item.body, &hashtag_text] {
            if !part.is_empty() {
                copy_text.push_str("\n\n");
                copy_text.push_str(part);
            }
        }
        Ok(PublishPack {
            item_id: item.id.0,
            account_id: a.id,
            account_handle: a.handle,
            account_name: a.display_name,
            platform: a.platform,
            platform_name,
            title: item.title.clone(),
            body: item.body.clone(),
            hashtags: item
                .hashtags
                .iter()
                .map(|h| h.as_str().to_owned())
                .collect(),
            hashtag_text,
            copy_text,
            media: item.media.clone(),
            post_url_example,
            planned_at: item.planned_at,
            checks: item.checks,
        })
    }

    /// Records the live post: the URL must be a post link of the account's platform.
    #[allow(clippy::too_many_arguments)]
    pub async fn publish_content(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: ContentId,
        post_url: &str,
        published_at: Option<DateTime<Utc>>,
        platform_post_id: Option<&str>,
    ) -> Result<ContentItem> {
        let cfg = self.workspace_config(ws).await?;
        let txn = self.begin().await?;
        let (row, stage) = Self::lock_for(&txn, ws, id, caller, ContentAction::Publish).await?;
        if stage != Stage::Publish {
            return Err(invalid(
                "stage",
                "content.not_in_stage",
                "only an item in 发布 can be marked published",
            ));
        }
        let acc = scoped::by_id::<account::Entity>(ws, row.account_id.unwrap_or(-1))
            .one(&txn)
            .await?
            .ok_or_else(|| {
                invalid(
                    "account_id",
                    "content.account_required",
                    "this item has no account",
                )
            })?;
        let (patterns, name) = cfg
            .platforms
            .get(&acc.platform)
            .map(|p| (p.1.clone(), p.2.clone()))
            .unwrap_or_default();
        let (url, extracted) = checks::match_post_url(&patterns, &name, post_url)?;
        let now = Utc::now();
        let at = published_at.unwrap_or(now);
        if at > now + chrono::Duration::minutes(5) {
            return Err(invalid(
                "published_at",
                "content.published_in_future",
                "a post cannot have been published in the future",
            ));
        }
        // Nothing of a campaign goes out before its embargo (T0) when the rule blocks.
        if let Some(c) = kox_domain::calendar::conflicts::embargo(
            &cfg.schedule_rules,
            &cfg.embargoes,
            row.campaign_id,
            at,
        )
        .filter(|c| c.severity == kox_domain::calendar::ConflictSeverity::Block)
        {
            let mut e = crate::calendar::refusal(&[c]);
            if let StoreError::Conflict { field, .. } = &mut e {
                *field = "published_at".into();
            }
            return Err(e);
        }
        let post_id = match platform_post_id.map(str::trim).filter(|s| !s.is_empty()) {
            Some(p) => Some(kox_domain::validation::text("platform_post_id", p, 1, 100)?),
            None => extracted,
        };
        self.update_item_columns(
            &txn,
            ws,
            id,
            &[
                ("stage", Stage::Retro.as_str().into()),
                ("post_url", url.clone().into()),
                ("platform_post_id", post_id.clone().into()),
                ("published_at", at.into()),
            ],
            now,
        )
        .await?;
        insert_transition(&txn, ws, id.0, Some(stage), Stage::Retro, caller, now).await?;
        // Out: nothing left to remind of; the campaign's coordination orders may start waves.
        super::notices::sync_reminder(&txn, ws, id.0, Stage::Retro, None).await?;
        crate::calendar::queue_waves(&txn, ws, id.0, row.campaign_id).await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "content_item", Some(id.0), "content.published")
                .after(json!({"post_url": url, "platform_post_id": post_id, "published_at": at, "stage": Stage::Retro})),
        )
        .await?;
        self.commit(txn).await?;
        self.get_content(ws, id).await
    }

    /// The short retrospective that closes a published item; may be edited afterwards.
    pub async fn retro_content(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: ContentId,
        note: &str,
        reuse_topic: bool,
    ) -> Result<ContentItem> {
        let note = kox_domain::validation::text("note", note, 1, 2000)?;
        let txn = self.begin().await?;
        let (row, stage) = Self::lock_for(&txn, ws, id, caller, ContentAction::Retro).await?;
        if stage != Stage::Retro {
            return Err(invalid(
                "stage",
                "content.not_in_stage",
                "a retrospective is written after publishing, in 复盘",
            ));
        }
        let now = Utc::now();
        let closed = row.closed_at.unwrap_or(now);
        self.update_item_columns(
            &txn,
            ws,
            id,
            &[
                ("retro_note", note.clone().into()),
                ("reuse_topic", reuse_topic.into()),
                ("closed_at", closed.into()),
            ],
            now,
        )
        .await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "content_item", Some(id.0), "content.retro")
                .before(json!({"retro_note": row.retro_note, "reuse_topic": row.reuse_topic}))
                .after(json!({"retro_note": note, "reuse_topic": reuse_topic})),
        )
        .await?;
        self.commit(txn).await?;
        self.get_content(ws, id).await
    }
}
