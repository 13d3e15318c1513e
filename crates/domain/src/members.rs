//! People: e-mail addresses, passwords policy, display names and locales.

use crate::validation::{self, FieldError, Fields};

/// A lower-cased e-mail address with one `@` and a dotted domain.
pub fn parse_email(raw: &str) -> Fields<String> {
    let e = validation::text("email", raw, 3, 200)?.to_lowercase();
    let ok = match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !e.contains(char::is_whitespace)
        }
        None => false,
    };
    if ok {
        Ok(e)
    } else {
        Err(FieldError::new(
            "email",
            "validation.email",
            "not a valid e-mail address",
        ))
    }
}

/// At least 8 characters, at most 200 (argon2 input is bounded so a huge body cannot burn CPU).
pub fn check_password(raw: &str) -> Fields<()> {
    let n = raw.chars().count();
    if n < 8 {
        return Err(FieldError::new(
            "password",
            "validation.password_too_short",
            "the password needs at least 8 characters",
        ));
    }
    if n > 200 {
        return Err(FieldError::new(
            "password",
            "validation.too_long",
            "the password must be at most 200 characters",
        ));
    }
    Ok(())
}

pub fn parse_name(raw: &str) -> Fields<String> {
    validation::name("name", raw, 1, 50)
}

pub const LOCALES: [&str; 2] = ["zh-CN", "en-US"];

pub fn parse_locale(raw: &str) -> Fields<String> {
    if LOCALES.contains(&raw) {
        Ok(raw.to_owned())
    } else {
        Err(FieldError::new(
            "locale",
            "validation.locale",
            "locale must be zh-CN or en-US",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_lowercased_and_checked() {
        assert_eq!(parse_email(" Li.Na@Brand.CN ").unwrap(), "li.na@brand.cn");
        for bad in [
            "lina",
            "@brand.cn",
            "li@brand",
            "li na@brand.cn",
            "li@@brand.cn",
            "li@.cn",
        ] {
            assert!(parse_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_have_a_minimum_and_maximum_length() {
        assert!(check_password("短密码").is_err());
        assert!(check_password("kox-demo-2026").is_ok());
        assert!(check_password(&"x".repeat(201)).is_err());
    }

    #[test]
    fn only_known_locales_are_accepted() {
        assert!(parse_locale("zh-CN").is_ok());
        assert!(parse_locale("fr-FR").is_err());
    }
}

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::access::{Group, Role};
use crate::{UserId, WorkspaceId};

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct User {
    #[schema(value_type = i64)]
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub locale: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Member {
    #[schema(value_type = i64)]
    pub user_id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub group: Group,
    pub created_at: DateTime<Utc>,
}

/// A user's place in one workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub workspace_id: WorkspaceId,
    pub workspace_name: String,
    /// The workspace's IANA time zone: its "today", due dates and date ranges.
    pub workspace_time_zone: String,
    pub role: Role,
    pub group: Group,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Workspace {
    #[schema(value_type = i64)]
    pub id: WorkspaceId,
    pub name: String,
    pub time_zone: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Platform {
    pub code: String,
    pub name: String,
    pub position: i64,
    pub active: bool,
    /// Title limit in characters; `null` = no limit.
    pub title_max: Option<i64>,
    /// Body limit in characters; `null` = no limit.
    pub body_max: Option<i64>,
    /// Live post URLs are recognised by these `host/path-prefix` patterns (subdomains match;
    /// `host/` alone accepts any path, e.g. short links).
    pub url_patterns: Vec<String>,
}

/// A partial edit of a platform.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlatformPatch {
    pub name: Option<String>,
    /// Inactive platforms keep their accounts but take no new ones.
    pub active: Option<bool>,
    /// `null` removes the limit.
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    #[schema(value_type = Option<i64>)]
    pub title_max: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::validation::double_option")]
    #[schema(value_type = Option<i64>)]
    pub body_max: Option<Option<i64>>,
    pub url_patterns: Option<Vec<String>>,
}

impl PlatformPatch {
    /// Checks limits and normalises URL patterns.
    pub fn validate(mut self) -> crate::Fields<Self> {
        for (field, v) in [("title_max", self.title_max), ("body_max", self.body_max)] {
            if let Some(Some(n)) = v
                && !(1..=1_000_000).contains(&n)
            {
                return Err(crate::FieldError::new(
                    field,
                    "validation.range",
                    "a limit is between 1 and 1,000,000 characters",
                ));
            }
        }
        if let Some(p) = self.url_patterns.take() {
            let mut out: Vec<String> = Vec::new();
            for (i, raw) in p.iter().enumerate() {
                let v =
                    crate::content::checks::parse_url_pattern(&format!("url_patterns.{i}"), raw)?;
                if !out.contains(&v) {
                    out.push(v);
                }
            }
            if out.len() > 30 {
                return Err(crate::FieldError::new(
                    "url_patterns",
                    "validation.too_many",
                    "at most 30 patterns",
                ));
            }
            self.url_patterns = Some(out);
        }
        Ok(self)
    }
}

/// The platforms a new workspace starts with; afterwards the list is the workspace's data.
pub const DEFAULT_PLATFORMS: [(&str, &str); 9] = [
    ("xiaohongshu", "小红书"),
    ("douyin", "抖音"),
    ("weibo", "微博"),
    ("bilibili", "B站"),
    ("wechat_channels", "视频号"),
    ("kuaishou", "快手"),
    ("zhihu", "知乎"),
    ("dongchedi", "懂车帝"),
    ("autohome", "汽车之家"),
];

/// The default platforms' names in English, for a workspace that never renamed them.
pub const DEFAULT_PLATFORMS_EN: [(&str, &str); 9] = [
    ("xiaohongshu", "Xiaohongshu (RED)"),
    ("douyin", "Douyin"),
    ("weibo", "Weibo"),
    ("bilibili", "Bilibili"),
    ("wechat_channels", "WeChat Channels"),
    ("kuaishou", "Kuaishou"),
    ("zhihu", "Zhihu"),
    ("dongchedi", "Dongchedi"),
    ("autohome", "Autohome"),
];

/// A platform's name as a member reading `lang` sees it: a default platform the workspace never
/// renamed in their language, any other as stored.
pub fn platform_display_name(code: &str, stored: &str, english: bool) -> String {
    let default = DEFAULT_PLATFORMS.iter().find(|(c, _)| *c == code);
    match (english, default) {
        (true, Some((_, zh))) if *zh == stored => DEFAULT_PLATFORMS_EN
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(stored, |(_, en)| en)
            .to_owned(),
        _ => stored.to_owned(),
    }
}

/// An IANA time zone name such as `Asia/Shanghai`, checked against the bundled zone database
/// (the calendar counts days, slots and feeds in it; a name only shaped like one, such as
/// `Asia/Beijing`, would silently fall back to another zone).
pub fn parse_time_zone(raw: &str) -> crate::Fields<String> {
    crate::calendar::slots::parse_zone("time_zone", raw).map(|tz| tz.name().to_owned())
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SessionInfo {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub user_agent: String,
    pub ip: String,
    /// True for the session making this request.
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// One row of the event log: who did what to which entity, with before/after.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Event {
    pub id: i64,
    #[schema(value_type = Option<i64>)]
    pub actor_id: Option<UserId>,
    pub actor_name: Option<String>,
    pub entity_type: String,
    pub entity_id: Option<i64>,
    /// What the record is called now (a content item's title, `@handle` of an account, a
    /// member's name …), or in the event's snapshot when it is gone; the audit log shows it.
    pub entity_name: Option<String>,
    pub action: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Event {
    /// The event as `caller` may see it: client IP addresses are personal data, for those who
    /// read the audit log (admins) only.
    #[must_use]
    pub fn seen_by(mut self, caller: &crate::access::Caller) -> Event {
        if !caller.sees_client_addresses() {
            self.ip = None;
        }
        self
    }
}
