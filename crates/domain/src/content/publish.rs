//! The publish pack: what the operator copies to the platform.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::content::ContentChecks;

/// What the publish step hands the operator: copy-ready text and everything needed to post.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PublishPack {
    pub item_id: i64,
    pub account_id: i64,
    pub account_handle: String,
    pub account_name: String,
    pub platform: String,
    pub platform_name: String,
    pub title: String,
    pub body: String,
    pub hashtags: Vec<String>,
    /// The hashtags not already written in the body, in the platform's style
    /// (`#话题#` on 小红书 and 微博, `#话题` elsewhere).
    pub hashtag_text: String,
    /// Title, body and hashtag line, ready to paste.
    pub copy_text: String,
    pub media: Vec<String>,
    pub planned_at: Option<DateTime<Utc>>,
    pub checks: ContentChecks,
}
