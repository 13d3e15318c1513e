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
    /// The hashtags not already written in the body, in the platform's style (`hashtag_for`).
    pub hashtag_text: String,
    /// Title, body and hashtag line, ready to paste.
    pub copy_text: String,
    pub media: Vec<String>,
    /// What a post link of the account's platform looks like (`checks::example_post_url`).
    pub post_url_example: Option<String>,
    pub planned_at: Option<DateTime<Utc>>,
    pub checks: ContentChecks,
}

/// A hashtag as a post on `platform` (a platform code) writes it: 微博 closes a topic
/// (`#话题#`); 小红书, 抖音, B站, 视频号 and the rest end it at the next space (`#话题`), and a
/// closing `#` there would show as part of the text.
pub fn hashtag_for(platform: &str, tag: &str) -> String {
    if platform == "weibo" {
        format!("#{tag}#")
    } else {
        format!("#{tag}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_platform_writes_a_hashtag_its_own_way() {
        let cases: &[(&str, &str)] = &[
            ("weibo", "#星河S7上市#"),
            ("xiaohongshu", "#星河S7上市"),
            ("douyin", "#星河S7上市"),
            ("bilibili", "#星河S7上市"),
            ("shipinhao", "#星河S7上市"),
            ("a_platform_added_later", "#星河S7上市"),
        ];
        for (platform, want) in cases {
            assert_eq!(hashtag_for(platform, "星河S7上市"), *want, "{platform}");
        }
    }
}
