//! Content items: the fields a client writes (draft, patch) and the item as stored.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::accounts::normalize_tags;
use crate::campaigns::Hashtag;
use crate::content::{Allowed, ContentChecks, Grade, ReviewState, Stage};
use crate::validation::{self, FieldError, Fields};
use crate::{AccountId, CampaignId, ContentId, UserId};

pub const MAX_TITLE: usize = 200;
/// Long-form posts (知乎, 汽车之家) run to tens of thousands of characters; platforms cap lower.
pub const MAX_BODY: usize = 50_000;
pub const MAX_MEDIA: usize = 50;
pub const MAX_HASHTAGS: usize = 30;

/// The writable fields of a content item as a client sends them on create.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContentDraft {
    /// `topic` (default) or `draft`.
    #[serde(default = "default_stage")]
    pub stage: Stage,
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub account_id: Option<AccountId>,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub campaign_id: Option<CampaignId>,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub topic_id: Option<ContentId>,
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub hashtags: Vec<Hashtag>,
    #[serde(default)]
    pub media: Vec<String>,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub assignee_id: Option<UserId>,
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
    #[serde(default)]
    pub planned_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub grade: Option<Grade>,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub custom: serde_json::Map<String, serde_json::Value>,
}

fn default_stage() -> Stage {
    Stage::Topic
}

fn normalize_hashtags(tags: &[Hashtag]) -> Fields<Vec<Hashtag>> {
    let mut out: Vec<Hashtag> = Vec::new();
    for (i, t) in tags.iter().enumerate() {
        let t = Hashtag::parse(&format!("hashtags.{i}"), t.as_str())?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.len() > MAX_HASHTAGS {
        return Err(FieldError::new(
            "hashtags",
            "validation.too_many",
            format!("at most {MAX_HASHTAGS} hashtags"),
        ));
    }
    Ok(out)
}

impl ContentDraft {
    pub fn validate(mut self) -> Fields<Self> {
        self.title = validation::name("title", &self.title, 1, MAX_TITLE)?;
        // Body text keeps its own leading indentation and blank lines: only trailing space goes.
        let body = self.body.trim_end().to_owned();
        if body.chars().count() > MAX_BODY {
            return Err(FieldError::new(
                "body",
                "validation.too_long",
                format!("body must be at most {MAX_BODY} characters"),
            ));
        }
        if body
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
        {
            return Err(FieldError::new(
                "body",
                "validation.control_chars",
                "body contains control characters",
            ));
        }
        self.body = body;
        self.hashtags = normalize_hashtags(&self.hashtags)?;
        let mut media = Vec::new();
        for (i, m) in self.media.iter().enumerate() {
            let m = validation::text(&format!("media.{i}"), m, 1, 500)?;
            if !media.contains(&m) {
                media.push(m);
            }
        }
        if media.len() > MAX_MEDIA {
            return Err(FieldError::new(
                "media",
                "validation.too_many",
                format!("at most {MAX_MEDIA} media references"),
            ));
        }
        self.media = media;
        self.tags = normalize_tags(&self.tags)?;
        Ok(self)
    }
}

crate::versioned::versioned!(ContentItem => ContentDraft, ContentPatch {
    title, body, account_id, campaign_id, hashtags, media, assignee_id, due_on, planned_at, tags, grade,
} + { stage, topic_id });

/// The fields that are frozen from review on (see [`Stage::content_locked`]).
pub const LOCKED_FIELDS: [&str; 6] = [
    "title",
    "body",
    "hashtags",
    "media",
    "account_id",
    "campaign_id",
];

/// A partial edit; `null` clears a nullable field. `version` is the version the client saw.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContentPatch {
    pub version: i64,
    pub title: Option<String>,
    pub body: Option<String>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    #[schema(value_type = Option<i64>)]
    pub account_id: Option<Option<AccountId>>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    #[schema(value_type = Option<i64>)]
    pub campaign_id: Option<Option<CampaignId>>,
    #[schema(value_type = Option<Vec<String>>)]
    pub hashtags: Option<Vec<Hashtag>>,
    pub media: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    #[schema(value_type = Option<i64>)]
    pub assignee_id: Option<Option<UserId>>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    #[schema(value_type = Option<NaiveDate>)]
    pub due_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub planned_at: Option<Option<DateTime<Utc>>>,
    pub tags: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    #[schema(value_type = Option<Grade>)]
    pub grade: Option<Option<Grade>>,
    #[schema(value_type = Option<Object>)]
    pub custom: Option<serde_json::Map<String, serde_json::Value>>,
}

/// One content item: one planned post for one account, the card that moves on the board.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ContentItem {
    #[schema(value_type = i64)]
    pub id: ContentId,
    pub stage: Stage,
    pub position: f64,
    #[schema(value_type = Option<i64>)]
    pub account_id: Option<AccountId>,
    #[schema(value_type = Option<i64>)]
    pub campaign_id: Option<CampaignId>,
    #[schema(value_type = Option<i64>)]
    pub topic_id: Option<ContentId>,
    pub title: String,
    pub body: String,
    #[schema(value_type = Vec<String>)]
    pub hashtags: Vec<Hashtag>,
    pub media: Vec<String>,
    #[schema(value_type = Option<i64>)]
    pub assignee_id: Option<UserId>,
    pub due_on: Option<NaiveDate>,
    pub planned_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub post_url: Option<String>,
    pub platform_post_id: Option<String>,
    pub review_state: ReviewState,
    /// 0 before the first submission; each submission starts the next round.
    pub review_round: i64,
    /// The approval step the pending round is at (multi-level review).
    pub review_step: i64,
    pub override_reason: Option<String>,
    pub retro_note: Option<String>,
    pub reuse_topic: Option<bool>,
    pub closed_at: Option<DateTime<Utc>>,
    pub grade: Option<Grade>,
    pub tags: Vec<String>,
    #[schema(value_type = Object)]
    pub custom: serde_json::Map<String, serde_json::Value>,
    #[schema(value_type = Option<i64>)]
    pub created_by: Option<UserId>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Checks against the workspace's current red lines, the campaign's hashtags and the
    /// platform's limits.
    pub checks: ContentChecks,
    /// What the member who asked may do with it now (the server fills this per request).
    pub allowed: Allowed,
}

// Case tables spell out their row type inline, which is the point of a table.
#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;
    use crate::content::*;
    use crate::versioned::{Patch, Versioned};

    use Stage as S;

    fn draft(title: &str, body: &str) -> ContentDraft {
        serde_json::from_value(serde_json::json!({"title": title, "body": body})).unwrap()
    }

    #[test]
    fn drafts_are_trimmed_and_bounded_in_characters() {
        let d = draft("  星河S7 试驾  ", "第一段\n\n  缩进保留  \n")
            .validate()
            .unwrap();
        assert_eq!(d.title, "星河S7 试驾");
        assert_eq!(d.body, "第一段\n\n  缩进保留");
        assert_eq!(d.stage, S::Topic);
        assert_eq!(
            draft("", "").validate().unwrap_err().code,
            "validation.required"
        );
        // 200 Chinese characters are 600 bytes and still fit.
        assert!(draft(&"字".repeat(200), "").validate().is_ok());
        assert_eq!(
            draft(&"字".repeat(201), "").validate().unwrap_err().field,
            "title"
        );
        assert_eq!(
            draft("t", &"字".repeat(MAX_BODY + 1))
                .validate()
                .unwrap_err()
                .code,
            "validation.too_long"
        );
        let mut d = draft("t", "");
        d.hashtags = vec![
            Hashtag::parse("h", "#星河S7#").unwrap(),
            Hashtag::parse("h", "星河S7").unwrap(),
        ];
        assert_eq!(d.validate().unwrap().hashtags.len(), 1);
    }

    #[test]
    fn a_patch_names_what_it_touches_and_the_diff_what_changed() {
        let before = draft("标题", "正文").validate().unwrap();
        let patch: ContentPatch = serde_json::from_value(serde_json::json!({
            "version": 1, "title": "标题", "body": "新正文", "due_on": null
        }))
        .unwrap();
        assert_eq!(patch.touched(), vec!["title", "body", "due_on"]);
        let mut after = before.clone();
        after.apply(patch);
        assert_eq!(before.diff(&after), vec!["body"]);
    }
}
