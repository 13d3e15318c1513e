//! Notifications: what a member is told (in KOX, by e-mail, in a team's group chat or by
//! webhook), the channels and rules that route them, each member's preferences, and the
//! delivery records. What a bot or webhook receives is built in `providers`; which addresses a
//! channel may reach is decided in `targets`. Pure: no IO, no clock (callers pass `now`).

pub mod providers;
pub mod targets;

use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::accounts::Tier;
use crate::validation::{self, FieldError, Fields};

/// What happened that someone is told about. Other capabilities add kinds.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// An item was submitted for review: to the approvers of the step.
    ReviewRequested,
    /// Approved, rejected (with the reason) or overridden: to the submitter and the assignee.
    ReviewDecided,
    /// Someone @-mentioned the member in a comment.
    Mention,
    /// An item was assigned to the member.
    Assigned,
    /// The member's item is due tomorrow (workspace time zone).
    DueTomorrow,
    /// The member's item is past its due day.
    Overdue,
    /// The directors' daily list of what is overdue.
    OverdueDigest,
    /// An item is planned to go out in an hour: to the account's owners.
    PublishReminder,
    /// A coordination order's wave made a follow-up on an account the member owns.
    WaveFollowUp,
    /// A test message (a channel's 发送测试, or a member trying their settings).
    Test,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 10] = [
        NotificationKind::ReviewRequested,
        NotificationKind::ReviewDecided,
        NotificationKind::Mention,
        NotificationKind::Assigned,
        NotificationKind::DueTomorrow,
        NotificationKind::Overdue,
        NotificationKind::OverdueDigest,
        NotificationKind::PublishReminder,
        NotificationKind::WaveFollowUp,
        NotificationKind::Test,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::ReviewRequested => "review_requested",
            NotificationKind::ReviewDecided => "review_decided",
            NotificationKind::Mention => "mention",
            NotificationKind::Assigned => "assigned",
            NotificationKind::DueTomorrow => "due_tomorrow",
            NotificationKind::Overdue => "overdue",
            NotificationKind::OverdueDigest => "overdue_digest",
            NotificationKind::PublishReminder => "publish_reminder",
            NotificationKind::WaveFollowUp => "wave_follow_up",
            NotificationKind::Test => "test",
        }
    }

    pub fn parse(s: &str) -> Option<NotificationKind> {
        NotificationKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind's name in a Chinese group message.
    pub fn label_zh(self) -> &'static str {
        match self {
            NotificationKind::ReviewRequested => "待审核",
            NotificationKind::ReviewDecided => "审核结果",
            NotificationKind::Mention => "有人@你",
            NotificationKind::Assigned => "新指派",
            NotificationKind::DueTomorrow => "明天到期",
            NotificationKind::Overdue => "已逾期",
            NotificationKind::OverdueDigest => "逾期汇总",
            NotificationKind::PublishReminder => "发布提醒",
            NotificationKind::WaveFollowUp => "协同跟发",
            NotificationKind::Test => "测试消息",
        }
    }
}

/// One notification of one member, as their bell and list show it. The text is built by the UI
/// in its language from `kind` and `data`; `title` is the subject's name (an item's title).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Notification {
    pub id: i64,
    pub kind: NotificationKind,
    /// What it is about (`content_item` today) and its id, for the link that opens it.
    pub entity_type: Option<String>,
    pub entity_id: Option<i64>,
    pub title: String,
    /// Who caused it (none for reminders and digests).
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    /// The kind's facts: `decision`, `reason`, `comment`, `planned_at`, `due_on`, `account`,
    /// `count`, `items` …
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A page of the member's notifications, with their unread count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    pub unread: u64,
    /// Pass as `before` for the next (older) page; none at the end.
    pub next_before: Option<i64>,
}

/// The member's unread count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UnreadCount {
    pub unread: u64,
}

/// Marks notifications read: these ids, or all of the member's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct MarkRead {
    #[serde(default)]
    pub ids: Vec<i64>,
    #[serde(default)]
    pub all: bool,
}

/// Where a channel sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// Feishu / Lark custom bot: webhook URL and signing secret.
    Feishu,
    /// WeCom (企业微信) group bot: the key of its webhook.
    Wecom,
    /// DingTalk custom robot: webhook (with access_token) and signing secret.
    Dingtalk,
    /// Any HTTP receiver: URL and secret; signed JSON.
    Webhook,
    /// E-mail over SMTP: to the members who chose e-mail, and to the channel's own addresses.
    Email,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 5] = [
        ChannelKind::Feishu,
        ChannelKind::Wecom,
        ChannelKind::Dingtalk,
        ChannelKind::Webhook,
        ChannelKind::Email,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Feishu => "feishu",
            ChannelKind::Wecom => "wecom",
            ChannelKind::Dingtalk => "dingtalk",
            ChannelKind::Webhook => "webhook",
            ChannelKind::Email => "email",
        }
    }

    pub fn parse(s: &str) -> Option<ChannelKind> {
        ChannelKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Messages one group bot accepts per minute (the providers' documented limits); a burst is
    /// spaced to fit, never dropped. None: no limit of ours.
    pub fn per_minute(self) -> Option<u32> {
        match self {
            ChannelKind::Feishu => Some(100),
            ChannelKind::Wecom | ChannelKind::Dingtalk => Some(20),
            ChannelKind::Webhook | ChannelKind::Email => None,
        }
    }
}

/// How an SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// STARTTLS on the submission port (587).
    #[default]
    Starttls,
    /// TLS from the first byte (465).
    Tls,
    /// No encryption: only for a relay on the same host or network.
    None,
}

/// A channel's settings that are not secret (returned by the API as they are).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ChannelConfig {
    /// Feishu, DingTalk and webhook: the address messages are POSTed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// E-mail: the SMTP server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp_host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp_port: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp_security: Option<SmtpSecurity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp_user: Option<String>,
    /// E-mail: the sender address ("KOX <kox@brand.cn>").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// E-mail: addresses that get every message a rule sends to this channel.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<String>,
}

/// A channel as the API shows it: the secret is never returned, only whether one is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Channel {
    pub id: i64,
    pub name: String,
    pub kind: ChannelKind,
    pub config: ChannelConfig,
    /// A secret (signing secret, WeCom key, SMTP password) is stored; its value is write-only.
    pub secret_set: bool,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelDraft {
    pub name: String,
    pub kind: ChannelKind,
    #[serde(default)]
    pub config: ChannelConfig,
    /// Feishu/DingTalk signing secret, the WeCom webhook key, the webhook's HMAC secret, the
    /// SMTP password.
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// A change to a channel; absent fields stay. `secret: ""` keeps the stored secret too (a form
/// that shows •••• sends nothing or an empty string).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ChannelPatch {
    pub name: Option<String>,
    pub config: Option<ChannelConfig>,
    pub secret: Option<String>,
    pub enabled: Option<bool>,
}

/// The result of a channel's test message: what the provider answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChannelTest {
    pub ok: bool,
    /// The HTTP status (none for e-mail and for a connection that failed).
    pub status: Option<u16>,
    /// The provider's answer, trimmed, or why nothing was sent.
    pub answer: String,
}

const WECOM_KEY_LEN: std::ops::RangeInclusive<usize> = 8..=64;

/// Checks a channel's settings and secret for its kind; returns them normalised. `secret` is
/// the stored one on an update that keeps it.
pub fn validated_channel(
    kind: ChannelKind,
    config: ChannelConfig,
    secret: Option<&str>,
) -> Fields<ChannelConfig> {
    let mut c = config;
    let need_url = matches!(
        kind,
        ChannelKind::Feishu | ChannelKind::Dingtalk | ChannelKind::Webhook
    );
    if need_url {
        let url = c.url.as_deref().unwrap_or("");
        if url.trim().is_empty() {
            return Err(FieldError::new(
                "config.url",
                "validation.required",
                "the webhook address is required",
            ));
        }
        c.url = Some(targets::check_url("config.url", url)?);
    } else if kind == ChannelKind::Wecom {
        // A WeCom bot needs only its key; an address replaces WeCom's own (a proxy).
        c.url = match c.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(u) => Some(targets::check_url("config.url", u)?),
            None => None,
        };
    } else {
        c.url = None;
    }
    let secret = secret.map(str::trim).filter(|s| !s.is_empty());
    match kind {
        ChannelKind::Feishu | ChannelKind::Dingtalk | ChannelKind::Webhook => {
            if secret.is_none() {
                return Err(FieldError::new(
                    "secret",
                    "notifications.secret_required",
                    "the signing secret is required",
                ));
            }
        }
        ChannelKind::Wecom => {
            let key = secret.unwrap_or("");
            let ok = WECOM_KEY_LEN.contains(&key.len())
                && key
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-');
            if !ok {
                return Err(FieldError::new(
                    "secret",
                    "notifications.bad_key",
                    "the WeCom bot key is the key=… part of its webhook address (letters, digits and -)",
                ));
            }
        }
        ChannelKind::Email => {}
    }
    if kind == ChannelKind::Email {
        let host = c.smtp_host.as_deref().unwrap_or("").trim().to_owned();
        if host.is_empty() || host.contains(char::is_whitespace) || host.len() > 253 {
            return Err(FieldError::new(
                "config.smtp_host",
                "validation.required",
                "the SMTP server is required",
            ));
        }
        c.smtp_host = Some(host);
        let security = c.smtp_security.unwrap_or_default();
        c.smtp_security = Some(security);
        c.smtp_port = Some(match c.smtp_port {
            Some(0) => {
                return Err(FieldError::new(
                    "config.smtp_port",
                    "validation.range",
                    "the port is 1–65535",
                ));
            }
            Some(p) => p,
            None => match security {
                SmtpSecurity::Starttls => 587,
                SmtpSecurity::Tls => 465,
                SmtpSecurity::None => 25,
            },
        });
        c.smtp_user = c
            .smtp_user
            .map(|u| u.trim().to_owned())
            .filter(|u| !u.is_empty());
        let from = c.from.as_deref().unwrap_or("").trim().to_owned();
        if !looks_like_mailbox(&from) {
            return Err(FieldError::new(
                "config.from",
                "validation.email",
                "the sender must be an e-mail address",
            ));
        }
        c.from = Some(from);
        for (i, to) in c.to.iter_mut().enumerate() {
            *to = to.trim().to_owned();
            if !looks_like_mailbox(to) {
                return Err(FieldError::new(
                    format!("config.to.{i}"),
                    "validation.email",
                    "must be an e-mail address",
                ));
            }
        }
        if c.to.len() > 50 {
            return Err(FieldError::new(
                "config.to",
                "validation.too_many",
                "at most 50 addresses",
            ));
        }
    } else {
        c.smtp_host = None;
        c.smtp_port = None;
        c.smtp_security = None;
        c.smtp_user = None;
        c.from = None;
        c.to = Vec::new();
    }
    Ok(c)
}

/// `a@b.c` or `Name <a@b.c>`.
fn looks_like_mailbox(s: &str) -> bool {
    let addr = match (s.rfind('<'), s.ends_with('>')) {
        (Some(i), true) => &s[i + 1..s.len() - 1],
        _ => s,
    };
    let mut parts = addr.split('@');
    matches!((parts.next(), parts.next(), parts.next()), (Some(l), Some(d), None)
        if !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
            && !addr.contains(char::is_whitespace))
        && s.len() <= 254
}

/// Routes kinds of notification to a channel, optionally only for some campaigns, tiers or
/// accounts (all empty: every item).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Rule {
    pub id: i64,
    pub channel_id: i64,
    pub kinds: Vec<NotificationKind>,
    pub campaign_ids: Vec<i64>,
    pub tiers: Vec<Tier>,
    pub account_ids: Vec<i64>,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleDraft {
    pub channel_id: i64,
    pub kinds: Vec<NotificationKind>,
    #[serde(default)]
    pub campaign_ids: Vec<i64>,
    #[serde(default)]
    pub tiers: Vec<Tier>,
    #[serde(default)]
    pub account_ids: Vec<i64>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RulePatch {
    pub channel_id: Option<i64>,
    pub kinds: Option<Vec<NotificationKind>>,
    pub campaign_ids: Option<Vec<i64>>,
    pub tiers: Option<Vec<Tier>>,
    pub account_ids: Option<Vec<i64>>,
    pub enabled: Option<bool>,
}

/// What a rule's filters look at: the item a notification is about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subject {
    pub campaign_id: Option<i64>,
    pub tier: Option<Tier>,
    pub account_id: Option<i64>,
}

impl Rule {
    /// Does this rule send `kind` about `s`? Each non-empty filter must hold.
    pub fn matches(&self, kind: NotificationKind, s: &Subject) -> bool {
        self.enabled
            && self.kinds.contains(&kind)
            && (self.campaign_ids.is_empty()
                || s.campaign_id
                    .is_some_and(|c| self.campaign_ids.contains(&c)))
            && (self.tiers.is_empty() || s.tier.is_some_and(|t| self.tiers.contains(&t)))
            && (self.account_ids.is_empty()
                || s.account_id.is_some_and(|a| self.account_ids.contains(&a)))
    }
}

/// Checks a rule's lists (the store checks that the ids are the workspace's).
pub fn validated_rule(mut d: RuleDraft) -> Fields<RuleDraft> {
    if d.kinds.is_empty() {
        return Err(FieldError::new(
            "kinds",
            "validation.required",
            "choose at least one kind",
        ));
    }
    d.kinds.sort_unstable();
    d.kinds.dedup();
    for (field, list) in [
        ("campaign_ids", &mut d.campaign_ids),
        ("account_ids", &mut d.account_ids),
    ] {
        list.sort_unstable();
        list.dedup();
        if list.len() > 200 {
            return Err(FieldError::new(field, "validation.too_many", "at most 200"));
        }
    }
    d.tiers.sort_unstable_by_key(|t| t.as_str());
    d.tiers.dedup();
    Ok(d)
}

/// A member's own choices: which kinds reach them in KOX and by e-mail, a quiet period for
/// e-mail, and how group bots can @ them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    /// Kinds shown in KOX (the bell). Default: all.
    pub in_app: Vec<NotificationKind>,
    /// Kinds also sent by e-mail. Default: none.
    pub email: Vec<NotificationKind>,
    /// E-mail held from this time (workspace time zone, "22:00") …
    pub quiet_from: Option<String>,
    /// … until this time ("08:00"); in-app is always immediate.
    pub quiet_until: Option<String>,
    /// For group bots to @ the member: a mobile number (WeCom, DingTalk, Feishu) …
    pub mobile: Option<String>,
    /// … and their Feishu/Lark open_id (ou_…).
    pub feishu_open_id: Option<String>,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            in_app: NotificationKind::ALL.to_vec(),
            email: Vec::new(),
            quiet_from: None,
            quiet_until: None,
            mobile: None,
            feishu_open_id: None,
        }
    }
}

fn clock(field: &str, v: Option<String>) -> Fields<Option<String>> {
    let Some(v) = v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    NaiveTime::parse_from_str(&v, "%H:%M")
        .map(|t| Some(t.format("%H:%M").to_string()))
        .map_err(|_| FieldError::new(field, "validation.time", "a time like 22:00"))
}

/// Checks preferences: times as HH:MM (both or neither), a mobile of digits, an open_id.
pub fn validated_preferences(mut p: Preferences) -> Fields<Preferences> {
    p.in_app.sort_unstable();
    p.in_app.dedup();
    p.email.sort_unstable();
    p.email.dedup();
    p.quiet_from = clock("quiet_from", p.quiet_from)?;
    p.quiet_until = clock("quiet_until", p.quiet_until)?;
    if p.quiet_from.is_some() != p.quiet_until.is_some() {
        let field = if p.quiet_from.is_some() {
            "quiet_until"
        } else {
            "quiet_from"
        };
        return Err(FieldError::new(
            field,
            "validation.required",
            "a quiet period needs both its start and its end",
        ));
    }
    p.mobile = p
        .mobile
        .map(|m| m.trim().replace([' ', '-'], ""))
        .filter(|m| !m.is_empty());
    if let Some(m) = &p.mobile {
        let digits = m.strip_prefix('+').unwrap_or(m);
        if !(5..=20).contains(&digits.len()) || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(FieldError::new(
                "mobile",
                "validation.phone",
                "a mobile number of digits",
            ));
        }
    }
    p.feishu_open_id = p
        .feishu_open_id
        .map(|o| o.trim().to_owned())
        .filter(|o| !o.is_empty());
    if let Some(o) = &p.feishu_open_id
        && (o.len() > 64 || !o.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        return Err(FieldError::new(
            "feishu_open_id",
            "validation.format",
            "a Feishu open_id like ou_…",
        ));
    }
    Ok(p)
}

impl Preferences {
    /// When e-mail written at `now` may go out: `now`, or the end of the quiet period that
    /// `now` falls in (times in the workspace's zone, given as the offset of `now` there).
    pub fn email_at(&self, now: DateTime<Utc>, zone: chrono_tz::Tz) -> DateTime<Utc> {
        let (Some(from), Some(until)) = (&self.quiet_from, &self.quiet_until) else {
            return now;
        };
        let (Ok(from), Ok(until)) = (
            NaiveTime::parse_from_str(from, "%H:%M"),
            NaiveTime::parse_from_str(until, "%H:%M"),
        ) else {
            return now;
        };
        let local = now.with_timezone(&zone);
        let t = local.time();
        let quiet = if from <= until {
            t >= from && t < until
        } else {
            t >= from || t < until
        };
        if !quiet {
            return now;
        }
        let mut day = local.date_naive();
        if t >= until {
            day = day.succ_opt().unwrap_or(day);
        }
        day.and_time(until)
            .and_local_timezone(zone)
            .earliest()
            .map_or(now, |d| d.with_timezone(&Utc))
    }
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Queued,
    Sending,
    Sent,
    /// Failed for now (5xx, timeout, rate limit); tried again at `next_attempt_at`.
    Retrying,
    /// Failed for good (the provider refused: bad secret, unknown key); fix the channel and
    /// resend.
    Failed,
    /// Failed on every attempt; resend after fixing the channel.
    Dead,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 6] = [
        DeliveryStatus::Queued,
        DeliveryStatus::Sending,
        DeliveryStatus::Sent,
        DeliveryStatus::Retrying,
        DeliveryStatus::Failed,
        DeliveryStatus::Dead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Queued => "queued",
            DeliveryStatus::Sending => "sending",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Retrying => "retrying",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Dead => "dead",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryStatus> {
        DeliveryStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One try of a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Attempt {
    pub at: DateTime<Utc>,
    pub status: DeliveryStatus,
    pub http_status: Option<u16>,
    /// The provider's answer (trimmed) or the error.
    pub answer: String,
}

/// A message to one channel (or one member's e-mail) and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Delivery {
    pub id: i64,
    pub channel_id: Option<i64>,
    pub channel_name: Option<String>,
    pub channel_kind: ChannelKind,
    /// The e-mail address, for a member's e-mail.
    pub target: Option<String>,
    pub kind: NotificationKind,
    pub title: String,
    pub status: DeliveryStatus,
    pub attempts: Vec<Attempt>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Sent to webhooks as `Idempotency-Key`; the same for every attempt.
    pub idempotency_key: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The text of a message to a group or an inbox, in Chinese, built once for every provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Message {
    pub kind: Option<NotificationKind>,
    /// "待审核：《星河S7 城市通勤 30 天》"
    pub title: String,
    /// Facts, one per line: "账号：@小红书_阿May · 小红书", "提交人：李娜".
    pub lines: Vec<String>,
    /// The link back into KOX; none when the workspace's public address is not set.
    pub link: Option<String>,
    /// People to @ where the provider supports it.
    pub mention_mobiles: Vec<String>,
    pub mention_open_ids: Vec<String>,
    /// Their names, written into the text ("@李娜").
    pub mention_names: Vec<String>,
}

pub(crate) fn trim_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A title as a short message quotes it: at most 60 characters.
pub fn short_title(title: &str) -> String {
    trim_chars(title.trim(), 60)
}

/// The answer text kept from a provider: at most 500 characters.
pub fn trimmed_answer(s: &str) -> String {
    trim_chars(s.trim(), 500)
}

/// A channel's name: 1–60 characters.
pub fn channel_name(v: &str) -> Fields<String> {
    validation::name("name", v, 1, 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        // Shanghai is UTC+8 all year.
        chrono_tz::Asia::Shanghai
            .with_ymd_and_hms(2026, 12, 7, h, m, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn e_mail_waits_out_a_quiet_period_across_midnight() {
        let p = Preferences {
            quiet_from: Some("22:00".into()),
            quiet_until: Some("08:00".into()),
            ..Preferences::default()
        };
        let sh = chrono_tz::Asia::Shanghai;
        assert_eq!(p.email_at(at(21, 59), sh), at(21, 59));
        let morning = sh
            .with_ymd_and_hms(2026, 12, 8, 8, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(p.email_at(at(23, 30), sh), morning);
        assert_eq!(p.email_at(at(7, 0), sh), at(8, 0));
        assert_eq!(p.email_at(at(8, 0), sh), at(8, 0));
        assert_eq!(Preferences::default().email_at(at(23, 0), sh), at(23, 0));
    }

    #[test]
    fn a_quiet_period_within_a_day_holds_e_mail_until_its_end() {
        let p = Preferences {
            quiet_from: Some("12:00".into()),
            quiet_until: Some("13:30".into()),
            ..Preferences::default()
        };
        let sh = chrono_tz::Asia::Shanghai;
        assert_eq!(p.email_at(at(12, 10), sh), at(13, 30));
        assert_eq!(p.email_at(at(13, 30), sh), at(13, 30));
        assert_eq!(p.email_at(at(11, 0), sh), at(11, 0));
    }

    #[test]
    fn preferences_are_checked_field_by_field() {
        let half = Preferences {
            quiet_from: Some("22:00".into()),
            ..Preferences::default()
        };
        assert_eq!(
            validated_preferences(half).unwrap_err().field,
            "quiet_until"
        );
        let bad_time = Preferences {
            quiet_from: Some("25:00".into()),
            quiet_until: Some("08:00".into()),
            ..Preferences::default()
        };
        assert_eq!(
            validated_preferences(bad_time).unwrap_err().code,
            "validation.time"
        );
        let bad_mobile = Preferences {
            mobile: Some("138-abc".into()),
            ..Preferences::default()
        };
        assert_eq!(
            validated_preferences(bad_mobile).unwrap_err().code,
            "validation.phone"
        );
        let ok = validated_preferences(Preferences {
            mobile: Some("138 0013 8000".into()),
            quiet_from: Some("22:00".into()),
            quiet_until: Some("8:00".into()),
            email: vec![NotificationKind::Mention, NotificationKind::Mention],
            ..Preferences::default()
        })
        .unwrap();
        assert_eq!(ok.mobile.as_deref(), Some("13800138000"));
        assert_eq!(ok.quiet_until.as_deref(), Some("08:00"));
        assert_eq!(ok.email, vec![NotificationKind::Mention]);
    }

    #[test]
    fn each_channel_kind_needs_its_own_settings() {
        let url = |u: &str| ChannelConfig {
            url: Some(u.into()),
            ..ChannelConfig::default()
        };
        let e = validated_channel(ChannelKind::Feishu, url("https://open.feishu.cn/x"), None)
            .unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.code),
            ("secret", "notifications.secret_required")
        );
        let e =
            validated_channel(ChannelKind::Webhook, url("ftp://x.cn/a"), Some("s")).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("config.url", "validation.url"));
        let e = validated_channel(ChannelKind::Dingtalk, ChannelConfig::default(), Some("s"))
            .unwrap_err();
        assert_eq!(e.field, "config.url");
        let e = validated_channel(
            ChannelKind::Wecom,
            ChannelConfig::default(),
            Some("not a key!"),
        )
        .unwrap_err();
        assert_eq!(e.code, "notifications.bad_key");
        let ok = validated_channel(
            ChannelKind::Wecom,
            ChannelConfig::default(),
            Some("693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"),
        )
        .unwrap();
        assert_eq!(ok.url, None);
        let e = validated_channel(
            ChannelKind::Email,
            ChannelConfig {
                smtp_host: Some("smtp.exmail.qq.com".into()),
                from: Some("not an address".into()),
                ..ChannelConfig::default()
            },
            None,
        )
        .unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.code),
            ("config.from", "validation.email")
        );
        let mail = validated_channel(
            ChannelKind::Email,
            ChannelConfig {
                smtp_host: Some(" smtp.exmail.qq.com ".into()),
                smtp_security: Some(SmtpSecurity::Tls),
                from: Some("KOX <kox@brand.cn>".into()),
                url: Some("https://ignored.example".into()),
                ..ChannelConfig::default()
            },
            Some("pw"),
        )
        .unwrap();
        assert_eq!(mail.smtp_host.as_deref(), Some("smtp.exmail.qq.com"));
        assert_eq!(mail.smtp_port, Some(465));
        assert_eq!(mail.url, None);
    }

    #[test]
    fn a_rule_sends_only_what_all_its_filters_allow() {
        let rule = Rule {
            id: 1,
            channel_id: 1,
            kinds: vec![NotificationKind::ReviewRequested],
            campaign_ids: vec![7],
            tiers: vec![Tier::Kol],
            account_ids: vec![],
            enabled: true,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        let s = Subject {
            campaign_id: Some(7),
            tier: Some(Tier::Kol),
            account_id: Some(3),
        };
        assert!(rule.matches(NotificationKind::ReviewRequested, &s));
        assert!(!rule.matches(NotificationKind::Mention, &s));
        assert!(!rule.matches(
            NotificationKind::ReviewRequested,
            &Subject {
                tier: Some(Tier::Koc),
                ..s.clone()
            }
        ));
        assert!(!rule.matches(
            NotificationKind::ReviewRequested,
            &Subject {
                campaign_id: None,
                ..s.clone()
            }
        ));
        assert!(
            !Rule {
                enabled: false,
                ..rule.clone()
            }
            .matches(NotificationKind::ReviewRequested, &s)
        );
        let any = Rule {
            campaign_ids: vec![],
            tiers: vec![],
            ..rule
        };
        assert!(any.matches(NotificationKind::ReviewRequested, &Subject::default()));
    }
}
