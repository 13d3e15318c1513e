//! What each provider receives: request bodies, signatures and how to read its answer.
//!
//! One [`Message`] becomes a Feishu/Lark card, a DingTalk action card or markdown, a WeCom
//! markdown or text message, an e-mail's subject and text, or a signed webhook. Bodies stay
//! within the providers' size limits (lines are shortened, then dropped, never cut inside a
//! character). [`read_answer`] turns what a provider answered into an [`Outcome`]: done, try
//! again (rate limits, 5xx) or failed for good (a bad secret or key). Pure: the caller passes
//! the time and does the sending.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use super::{ChannelKind, Message, NotificationKind, trim_chars, trimmed_answer};
use crate::jobs::Outcome;

/// The WeCom group bot's send address (the key is appended as `?key=`).
pub const WECOM_WEBHOOK: &str = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send";
/// Feishu refuses a bot request body over 20 KB.
pub const FEISHU_MAX_BYTES: usize = 20 * 1024;
/// DingTalk documents no exact limit; ours keeps a message as small as Feishu's.
pub const DINGTALK_MAX_BYTES: usize = 20 * 1024;
/// WeCom: a markdown message's content is at most 4096 bytes (UTF-8) …
pub const WECOM_MARKDOWN_MAX_BYTES: usize = 4096;
/// … and a text message's content at most 2048 bytes.
pub const WECOM_TEXT_MAX_BYTES: usize = 2048;

/// The button (or link) that opens the item in KOX.
const OPEN_IN_KOX: &str = "在 KOX 中打开";
/// Said instead of the link when the workspace's public address is not set.
const NO_LINK: &str = "未设置 KOX 的访问地址，无法附上链接";
/// The last line of every e-mail.
const EMAIL_FOOTER: &str = "你收到这封邮件，是因为你在 KOX 的通知设置中选择了邮件提醒。";

type HmacSha256 = Hmac<Sha256>;

fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes a key of any length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// Percent-encodes everything but the unreserved characters (A–Z a–z 0–9 - _ . ~), as `%XX`
/// in upper case (RFC 3986).
fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX_UPPER[usize::from(b >> 4)]));
            out.push(char::from(HEX_UPPER[usize::from(b & 0x0f)]));
        }
    }
    out
}

fn hex_lower(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(HEX_LOWER[usize::from(b >> 4)]));
        out.push(char::from(HEX_LOWER[usize::from(b & 0x0f)]));
    }
    out
}

/// `?` to start a query, `&` to add to one, nothing after a trailing `?` or `&`.
fn query_separator(url: &str) -> &'static str {
    if url.ends_with(['?', '&']) {
        ""
    } else if url.contains('?') {
        "&"
    } else {
        "?"
    }
}

// ---------------------------------------------------------------------------------------------
// Signatures and addresses

/// The `sign` of a Feishu/Lark custom bot with signature verification: HMAC-SHA256 whose key
/// is `"{timestamp}\n{secret}"` over an empty message, in base64. The timestamp is in seconds
/// and is sent beside the sign (Feishu accepts an hour either way).
pub fn feishu_sign(timestamp_secs: i64, secret: &str) -> String {
    let key = format!("{timestamp_secs}\n{secret}");
    STANDARD.encode(hmac_sha256(key.as_bytes(), &[]))
}

/// The `sign` of a DingTalk custom robot with 加签: HMAC-SHA256 keyed with the secret over
/// `"{timestamp}\n{secret}"`, in base64, URL-encoded for the query string. The timestamp is in
/// milliseconds (DingTalk accepts an hour either way).
pub fn dingtalk_sign(timestamp_ms: i64, secret: &str) -> String {
    let message = format!("{timestamp_ms}\n{secret}");
    url_encode(&STANDARD.encode(hmac_sha256(secret.as_bytes(), &[message.as_bytes()])))
}

/// The DingTalk webhook (`…/robot/send?access_token=…`) with `timestamp` and `sign` appended.
pub fn dingtalk_url(webhook: &str, secret: &str, timestamp_ms: i64) -> String {
    format!(
        "{webhook}{}timestamp={timestamp_ms}&sign={}",
        query_separator(webhook),
        dingtalk_sign(timestamp_ms, secret)
    )
}

/// The `X-KOX-Signature` header of a webhook request: `t=<unix seconds>,v1=<hex>`, where the
/// hex (lower case) is HMAC-SHA256 keyed with the channel's secret over the decimal timestamp,
/// a dot and the raw body bytes. A receiver recomputes it and refuses old timestamps.
pub fn webhook_signature(secret: &str, timestamp_secs: i64, body: &[u8]) -> String {
    let t = timestamp_secs.to_string();
    let mac = hmac_sha256(secret.as_bytes(), &[t.as_bytes(), b".", body]);
    format!("t={t},v1={}", hex_lower(&mac))
}

/// The WeCom group bot's address for its key.
pub fn wecom_url(key: &str) -> String {
    wecom_url_at(WECOM_WEBHOOK, key)
}

/// The WeCom send address at another base (tests point it at a local receiver).
pub fn wecom_url_at(base: &str, key: &str) -> String {
    format!("{base}{}key={}", query_separator(base), url_encode(key))
}

// ---------------------------------------------------------------------------------------------
// Fitting a message into a size limit

/// Lines are shortened to these lengths (characters), one after the other, until the message
/// fits.
const LINE_CAPS: [usize; 3] = [500, 200, 80];

/// The message, shortened until `size` of it is at most `limit`: the title to 200 characters,
/// then every line to 500, 200, 80 characters, then the last lines dropped (with a line saying
/// how many), then the mentions, the title to 50 characters and the link. Only characters are
/// cut, so what is left is valid UTF-8.
fn fitted(msg: &Message, limit: usize, size: impl Fn(&Message) -> usize) -> Message {
    let mut m = msg.clone();
    m.title = trim_chars(&msg.title, 200);
    if size(&m) <= limit {
        return m;
    }
    for cap in LINE_CAPS {
        m.lines = msg.lines.iter().map(|l| trim_chars(l, cap)).collect();
        if size(&m) <= limit {
            return m;
        }
    }
    let short = m.lines.clone();
    let first = |k: usize| -> Vec<String> {
        let mut lines = short[..k].to_vec();
        if k < short.len() {
            lines.push(format!("……另有 {} 行未显示", short.len() - k));
        }
        lines
    };
    // The most lines that fit (`short.len()` itself does not).
    let (mut lo, mut hi) = (0, short.len().saturating_sub(1));
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        m.lines = first(mid);
        if size(&m) <= limit {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    m.lines = first(lo);
    if size(&m) <= limit {
        return m;
    }
    m.mention_mobiles.clear();
    m.mention_open_ids.clear();
    m.mention_names.clear();
    m.title = trim_chars(&msg.title, 50);
    if size(&m) <= limit {
        return m;
    }
    m.link = None;
    m
}

/// At most `max` bytes of `s`, cut on a character boundary, with "…" where it was cut.
fn truncate_bytes(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max.saturating_sub('…'.len_utf8());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let mut out = s[..end].to_owned();
    out.push('…');
    out
}

fn json_len(v: &Value) -> usize {
    v.to_string().len()
}

/// `@name` for each person the text names (those the provider cannot @ by id).
fn named(m: &Message) -> impl Iterator<Item = String> + '_ {
    m.mention_names
        .iter()
        .filter(|n| !n.trim().is_empty())
        .map(|n| format!("@{}", n.trim()))
}

// ---------------------------------------------------------------------------------------------
// Feishu / Lark

/// The card header's colour for a kind.
fn feishu_template(kind: Option<NotificationKind>) -> &'static str {
    match kind {
        Some(NotificationKind::ReviewRequested) => "orange",
        Some(NotificationKind::ReviewDecided) => "green",
        Some(NotificationKind::Overdue | NotificationKind::OverdueDigest) => "red",
        Some(NotificationKind::PublishReminder) => "purple",
        _ => "blue",
    }
}

/// Text for lark_md with its tags disarmed: a comment that says `<at id=all></at>` must not
/// @ the whole group.
fn lark_escape(s: &str) -> String {
    s.replace('<', "&#60;").replace('>', "&#62;")
}

/// An open_id Feishu can @ (`ou_…`; never `all`).
fn is_open_id(id: &str) -> bool {
    !id.is_empty()
        && id != "all"
        && id.len() <= 64
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The card's text: the lines, then the @ of each open_id and the names of the others.
fn feishu_text(m: &Message) -> String {
    let mut parts: Vec<String> = m.lines.iter().map(|l| lark_escape(l)).collect();
    let ats: Vec<String> = m
        .mention_open_ids
        .iter()
        .filter(|id| is_open_id(id))
        .map(|id| format!("<at id={id}></at>"))
        .chain(named(m).map(|n| lark_escape(&n)))
        .collect();
    if !ats.is_empty() {
        parts.push(ats.join(" "));
    }
    let text = parts.join("\n");
    if text.trim().is_empty() {
        // Feishu refuses an empty text; say at least what kind of message it is.
        m.kind
            .map_or_else(|| m.title.clone(), |k| k.label_zh().to_owned())
    } else {
        text
    }
}

fn feishu_card(m: &Message) -> Value {
    let footer = match &m.link {
        Some(link) => json!({
            "tag": "action",
            "actions": [{
                "tag": "button",
                "text": {"tag": "plain_text", "content": OPEN_IN_KOX},
                "type": "primary",
                "url": link,
            }],
        }),
        None => json!({
            "tag": "note",
            "elements": [{"tag": "plain_text", "content": NO_LINK}],
        }),
    };
    json!({
        "msg_type": "interactive",
        "card": {
            "header": {
                "title": {"tag": "plain_text", "content": m.title},
                "template": feishu_template(m.kind),
            },
            "elements": [
                {"tag": "div", "text": {"tag": "lark_md", "content": feishu_text(m)}},
                footer,
            ],
        },
    })
}

/// A Feishu/Lark custom bot's message: an interactive card with the title in a header coloured
/// by kind, the lines and @ mentions, and a button that opens KOX (or a note that the public
/// address is unset). `signed` is `(timestamp in seconds, feishu_sign(…))` when the bot checks
/// signatures. At most [`FEISHU_MAX_BYTES`] serialised.
pub fn feishu_body(msg: &Message, signed: Option<(i64, String)>) -> Value {
    // `,"timestamp":"…","sign":"…"` and room to spare.
    let extra = signed
        .as_ref()
        .map_or(0, |(ts, sign)| 40 + ts.to_string().len() + sign.len());
    let m = fitted(msg, FEISHU_MAX_BYTES, |m| json_len(&feishu_card(m)) + extra);
    let mut body = feishu_card(&m);
    if let Some((ts, sign)) = signed {
        body["timestamp"] = Value::String(ts.to_string());
        body["sign"] = Value::String(sign);
    }
    body
}

// ---------------------------------------------------------------------------------------------
// DingTalk

/// The markdown: the title as a heading, the lines as a list, the link when the message carries
/// it inline, and the @ of each mobile (DingTalk only @s a mobile the text names) and name.
fn dingtalk_markdown(m: &Message, inline_link: bool) -> String {
    let mut text = format!("#### {}\n\n", m.title);
    text.push_str(
        &m.lines
            .iter()
            .map(|l| format!("- {l}"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    match &m.link {
        Some(link) if inline_link => {
            text.push_str("\n\n[");
            text.push_str(OPEN_IN_KOX);
            text.push_str("](");
            text.push_str(link);
            text.push(')');
        }
        Some(_) => {}
        None => {
            text.push_str("\n\n");
            text.push_str(NO_LINK);
        }
    }
    let ats: Vec<String> = m
        .mention_mobiles
        .iter()
        .map(|mobile| format!("@{mobile}"))
        .chain(named(m))
        .collect();
    if !ats.is_empty() {
        text.push_str("\n\n");
        text.push_str(&ats.join(" "));
    }
    text
}

fn dingtalk_message(m: &Message) -> Value {
    let at = json!({"atMobiles": m.mention_mobiles, "isAtAll": false});
    // An action card @s nobody, so a message that @s people carries its link in markdown.
    match &m.link {
        Some(link) if m.mention_mobiles.is_empty() => json!({
            "msgtype": "actionCard",
            "actionCard": {
                "title": m.title,
                "text": dingtalk_markdown(m, false),
                "btnOrientation": "0",
                "singleTitle": OPEN_IN_KOX,
                "singleURL": link,
            },
            "at": at,
        }),
        _ => json!({
            "msgtype": "markdown",
            "markdown": {"title": m.title, "text": dingtalk_markdown(m, true)},
            "at": at,
        }),
    }
}

/// A DingTalk custom robot's message: an action card with a button that opens KOX, or markdown
/// when there is no link (with a note that the public address is unset) or when it @s people
/// (DingTalk @s only in text and markdown; the link is then in the text). `at.atMobiles` lists
/// the mobiles, which the text names too. At most [`DINGTALK_MAX_BYTES`] serialised.
pub fn dingtalk_body(msg: &Message) -> Value {
    let m = fitted(msg, DINGTALK_MAX_BYTES, |m| json_len(&dingtalk_message(m)));
    dingtalk_message(&m)
}

// ---------------------------------------------------------------------------------------------
// WeCom

fn wecom_markdown(m: &Message) -> String {
    let mut parts = vec![format!("**{}**", m.title)];
    parts.extend(m.lines.iter().cloned());
    let names: Vec<String> = named(m).collect();
    if !names.is_empty() {
        parts.push(names.join(" "));
    }
    parts.push(match &m.link {
        Some(link) => format!("[{OPEN_IN_KOX}]({link})"),
        None => format!("<font color=\"comment\">{NO_LINK}</font>"),
    });
    parts.join("\n")
}

fn wecom_text(m: &Message) -> String {
    let mut parts = vec![m.title.clone()];
    parts.extend(m.lines.iter().cloned());
    let names: Vec<String> = named(m).collect();
    if !names.is_empty() {
        parts.push(names.join(" "));
    }
    parts.push(match &m.link {
        Some(link) => format!("{OPEN_IN_KOX}：{link}"),
        None => NO_LINK.to_owned(),
    });
    parts.join("\n")
}

/// A WeCom group bot's message: markdown (the title in bold, the lines, a link that opens KOX)
/// of at most 4096 bytes. WeCom markdown cannot @ by mobile, so a message that @s people is
/// text instead (at most 2048 bytes) with `mentioned_mobile_list`.
pub fn wecom_body(msg: &Message) -> Value {
    if msg.mention_mobiles.is_empty() {
        let m = fitted(msg, WECOM_MARKDOWN_MAX_BYTES, |m| wecom_markdown(m).len());
        let content = truncate_bytes(&wecom_markdown(&m), WECOM_MARKDOWN_MAX_BYTES);
        json!({"msgtype": "markdown", "markdown": {"content": content}})
    } else {
        let m = fitted(msg, WECOM_TEXT_MAX_BYTES, |m| wecom_text(m).len());
        let content = truncate_bytes(&wecom_text(&m), WECOM_TEXT_MAX_BYTES);
        json!({
            "msgtype": "text",
            "text": {"content": content, "mentioned_mobile_list": msg.mention_mobiles},
        })
    }
}

// ---------------------------------------------------------------------------------------------
// E-mail and webhooks

/// An e-mail's subject: `[KOX] ` and the title, on one line.
pub fn email_subject(msg: &Message) -> String {
    let title: String = msg
        .title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("[KOX] {}", title.trim())
}

/// An e-mail's plain text: the title, the lines, the link (or that the public address is
/// unset), and why the member receives it.
pub fn email_text(msg: &Message) -> String {
    let mut text = format!("{}\n\n", msg.title.trim());
    for line in &msg.lines {
        text.push_str(line);
        text.push('\n');
    }
    if !msg.lines.is_empty() {
        text.push('\n');
    }
    if let Some(link) = &msg.link {
        text.push_str(OPEN_IN_KOX);
        text.push('：');
        text.push_str(link);
    } else {
        text.push_str(NO_LINK);
        text.push('。');
    }
    text.push_str("\n\n");
    text.push_str(EMAIL_FOOTER);
    text
}

/// A webhook's body: the event as compact JSON, exactly the bytes that are signed and sent.
pub fn webhook_body(event: &Value) -> Vec<u8> {
    event.to_string().into_bytes()
}

// ---------------------------------------------------------------------------------------------
// Answers

/// A chat provider's name in reasons, its codes that mean "slow down" or "busy", and how it
/// names its result code and message.
struct Provider {
    name: &'static str,
    retry: &'static [i64],
}

fn provider(kind: ChannelKind) -> Option<Provider> {
    match kind {
        ChannelKind::Feishu => Some(Provider {
            name: "飞书",
            // 9499: too many requests; 11232: frequency limited.
            retry: &[9499, 11232],
        }),
        ChannelKind::Dingtalk => Some(Provider {
            name: "钉钉",
            // 130101: sent too fast; 660026: throttled.
            retry: &[130_101, 660_026],
        }),
        ChannelKind::Wecom => Some(Provider {
            name: "企业微信",
            // 45009: over the rate limit; -1: system busy.
            retry: &[45009, -1],
        }),
        ChannelKind::Webhook | ChannelKind::Email => None,
    }
}

/// The result code and message of a chat provider's JSON answer.
fn answer_code(kind: ChannelKind, body: &str) -> Option<(i64, String)> {
    let v: Value = serde_json::from_str(body.trim()).ok()?;
    let (code_keys, msg_keys): (&[&str], &[&str]) = match kind {
        ChannelKind::Feishu => (&["code", "StatusCode"], &["msg", "StatusMessage"]),
        _ => (&["errcode"], &["errmsg"]),
    };
    let code = code_keys.iter().find_map(|k| v.get(*k)?.as_i64())?;
    let msg = msg_keys
        .iter()
        .find_map(|k| v.get(*k)?.as_str())
        .unwrap_or("");
    Some((code, msg.to_owned()))
}

/// What an attempt came to, from the provider's HTTP status and body. 408, 429 and 5xx are
/// tried again; any other non-2xx status fails. A 2xx from a webhook or e-mail is done; a chat
/// provider answers 2xx with a code in its JSON: 0 is done, its rate-limit and busy codes are
/// tried again, any other (a bad signature, an unknown key, an address not allowed, a missing
/// keyword) fails, and so does an answer that is not its JSON.
pub fn read_answer(kind: ChannelKind, http_status: u16, body: &str) -> Outcome {
    let http_reason = || format!("HTTP {http_status}: {}", trimmed_answer(body));
    let provider = provider(kind);
    if matches!(http_status, 408 | 429 | 500..=599) {
        return Outcome::Retry(http_reason());
    }
    if !(200..300).contains(&http_status) {
        // A provider that says "slow down" with a 4xx is still only asking to wait.
        let throttled = provider.as_ref().is_some_and(|p| {
            answer_code(kind, body).is_some_and(|(code, _)| p.retry.contains(&code))
        });
        return if throttled {
            Outcome::Retry(http_reason())
        } else {
            Outcome::Fail(http_reason())
        };
    }
    let Some(p) = provider else {
        return Outcome::Done;
    };
    match answer_code(kind, body) {
        Some((0, _)) => Outcome::Done,
        Some((code, msg)) => {
            let reason = format!("{}返回 {code}: {}", p.name, trim_chars(msg.trim(), 300));
            if p.retry.contains(&code) {
                Outcome::Retry(reason)
            } else {
                Outcome::Fail(reason)
            }
        }
        None => Outcome::Fail(format!(
            "{}的应答无法识别: {}",
            p.name,
            trimmed_answer(body)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> Message {
        Message {
            kind: Some(NotificationKind::ReviewRequested),
            title: "待审核：《星河S7 城市通勤 30 天》".to_owned(),
            lines: vec![
                "账号：@小红书_阿May · 小红书".to_owned(),
                "提交人：李娜".to_owned(),
            ],
            link: Some("https://kox.brand.cn/content/42".to_owned()),
            mention_mobiles: Vec::new(),
            mention_open_ids: Vec::new(),
            mention_names: Vec::new(),
        }
    }

    /// A message far over every limit: long lines, many of them, and a long title.
    fn huge() -> Message {
        Message {
            title: "超长标题".repeat(200),
            lines: (0..300)
                .map(|i| format!("第{i}行：{}", "内容😀é".repeat(400)))
                .collect(),
            mention_mobiles: vec!["13800138000".to_owned()],
            mention_open_ids: vec!["ou_abc123".to_owned()],
            mention_names: vec!["李娜".to_owned()],
            ..message()
        }
    }

    #[test]
    fn feishu_sign_matches_the_documented_value_and_not_the_swapped_key() {
        let sign = feishu_sign(1_599_360_473, "secret");
        assert_eq!(sign, "q4jswNiMy51J5JuQV566yJat0/lQ/c+22kINzUgKsGU=");
        assert_ne!(sign, "dDiq7SBN7OKhpDBu0eR4W8QaQlwNL+OL2xLd/AKCyeE=");
    }

    #[test]
    fn dingtalk_sign_matches_the_documented_value_url_encoded() {
        assert_eq!(
            dingtalk_sign(1_700_000_000_000, "secret"),
            "OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D"
        );
    }

    #[test]
    fn url_encoding_keeps_only_unreserved_characters() {
        assert_eq!(url_encode("aZ09-_.~"), "aZ09-_.~");
        assert_eq!(url_encode("a+b/c=d e&"), "a%2Bb%2Fc%3Dd%20e%26");
        assert_eq!(url_encode("李"), "%E6%9D%8E");
    }

    #[test]
    fn dingtalk_url_appends_timestamp_and_sign_to_the_query_or_starts_one() {
        let sign = "OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D";
        assert_eq!(
            dingtalk_url(
                "https://oapi.dingtalk.com/robot/send?access_token=abc",
                "secret",
                1_700_000_000_000
            ),
            format!(
                "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign={sign}"
            )
        );
        assert_eq!(
            dingtalk_url("http://127.0.0.1:9/robot", "secret", 1_700_000_000_000),
            format!("http://127.0.0.1:9/robot?timestamp=1700000000000&sign={sign}")
        );
    }

    #[test]
    fn webhook_signature_signs_timestamp_dot_body_with_the_secret() {
        let body = br#"{"event":"test"}"#;
        let sig = webhook_signature("whsec_test", 1_700_000_000, body);
        // Computed independently with the hmac crate …
        let mut mac = HmacSha256::new_from_slice(b"whsec_test").unwrap();
        mac.update(b"1700000000.{\"event\":\"test\"}");
        let expected = hex_lower(&mac.finalize().into_bytes());
        assert_eq!(sig, format!("t=1700000000,v1={expected}"));
        // … and with Python's hmac module.
        assert_eq!(
            sig,
            "t=1700000000,v1=21d2d3606ebbdbf9307ee15e83085df2b83c83dd87cc2e6d2ea6b1cb61afdc3c"
        );
        // Key and message swapped would give this instead.
        assert!(!sig.contains("11f8dba37560b71ba1b8bfe740454980c82891c2d8d04732febc230ccf96cc8e"));
        // The body and the timestamp are both signed.
        assert_ne!(sig, webhook_signature("whsec_test", 1_700_000_000, b"{}"));
        assert_ne!(
            sig.split_once(",v1=").unwrap().1,
            webhook_signature("whsec_test", 1_700_000_001, body)
                .split_once(",v1=")
                .unwrap()
                .1
        );
    }

    #[test]
    fn wecom_urls_carry_the_key_at_the_default_or_given_base() {
        assert_eq!(
            wecom_url("693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"),
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
        );
        assert_eq!(
            wecom_url_at("http://127.0.0.1:1234/cgi-bin/webhook/send", "k-1"),
            "http://127.0.0.1:1234/cgi-bin/webhook/send?key=k-1"
        );
    }

    #[test]
    fn feishu_card_has_header_text_button_and_signature() {
        let body = feishu_body(&message(), Some((1_599_360_473, "c2lnbg==".to_owned())));
        assert_eq!(body["msg_type"], "interactive");
        assert_eq!(body["timestamp"], "1599360473");
        assert_eq!(body["sign"], "c2lnbg==");
        let card = &body["card"];
        assert_eq!(card["header"]["title"]["tag"], "plain_text");
        assert_eq!(
            card["header"]["title"]["content"],
            "待审核：《星河S7 城市通勤 30 天》"
        );
        assert_eq!(card["header"]["template"], "orange");
        let elements = card["elements"].as_array().unwrap();
        assert_eq!(elements.len(), 2);
        assert_eq!(elements[0]["tag"], "div");
        assert_eq!(elements[0]["text"]["tag"], "lark_md");
        assert_eq!(
            elements[0]["text"]["content"],
            "账号：@小红书_阿May · 小红书\n提交人：李娜"
        );
        assert_eq!(elements[1]["tag"], "action");
        let button = &elements[1]["actions"][0];
        assert_eq!(button["tag"], "button");
        assert_eq!(button["text"]["content"], "在 KOX 中打开");
        assert_eq!(button["type"], "primary");
        assert_eq!(button["url"], "https://kox.brand.cn/content/42");
    }

    #[test]
    fn feishu_card_without_link_or_secret_has_a_note_and_no_signature() {
        let msg = Message {
            link: None,
            ..message()
        };
        let body = feishu_body(&msg, None);
        assert!(body.get("timestamp").is_none());
        assert!(body.get("sign").is_none());
        let note = &body["card"]["elements"][1];
        assert_eq!(note["tag"], "note");
        assert_eq!(note["elements"][0]["tag"], "plain_text");
        assert_eq!(
            note["elements"][0]["content"],
            "未设置 KOX 的访问地址，无法附上链接"
        );
    }

    #[test]
    fn feishu_header_colour_follows_the_kind() {
        use NotificationKind as K;
        let colour = |kind| {
            let msg = Message { kind, ..message() };
            feishu_body(&msg, None)["card"]["header"]["template"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        assert_eq!(colour(Some(K::ReviewRequested)), "orange");
        assert_eq!(colour(Some(K::ReviewDecided)), "green");
        assert_eq!(colour(Some(K::Mention)), "blue");
        assert_eq!(colour(Some(K::Overdue)), "red");
        assert_eq!(colour(Some(K::OverdueDigest)), "red");
        assert_eq!(colour(Some(K::PublishReminder)), "purple");
        assert_eq!(colour(Some(K::Assigned)), "blue");
        assert_eq!(colour(Some(K::Test)), "blue");
        assert_eq!(colour(None), "blue");
    }

    #[test]
    fn feishu_mentions_open_ids_and_names_and_disarms_tags_in_lines() {
        let msg = Message {
            lines: vec!["评论：<at id=all></at> 看这里".to_owned()],
            mention_open_ids: vec!["ou_1a2b".to_owned(), "all".to_owned()],
            mention_names: vec!["李娜".to_owned()],
            ..message()
        };
        let content = feishu_body(&msg, None)["card"]["elements"][0]["text"]["content"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            content,
            "评论：&#60;at id=all&#62;&#60;/at&#62; 看这里\n<at id=ou_1a2b></at> @李娜"
        );
    }

    #[test]
    fn feishu_text_is_never_empty() {
        let msg = Message {
            kind: Some(NotificationKind::Test),
            lines: Vec::new(),
            ..message()
        };
        assert_eq!(
            feishu_body(&msg, None)["card"]["elements"][0]["text"]["content"],
            "测试消息"
        );
    }

    #[test]
    fn dingtalk_with_a_link_is_an_action_card() {
        let body = dingtalk_body(&message());
        assert_eq!(body["msgtype"], "actionCard");
        let card = &body["actionCard"];
        assert_eq!(card["title"], "待审核：《星河S7 城市通勤 30 天》");
        assert_eq!(
            card["text"],
            "#### 待审核：《星河S7 城市通勤 30 天》\n\n- 账号：@小红书_阿May · 小红书\n- 提交人：李娜"
        );
        assert_eq!(card["btnOrientation"], "0");
        assert_eq!(card["singleTitle"], "在 KOX 中打开");
        assert_eq!(card["singleURL"], "https://kox.brand.cn/content/42");
        assert_eq!(body["at"]["atMobiles"], json!([]));
        assert_eq!(body["at"]["isAtAll"], false);
    }

    #[test]
    fn dingtalk_without_a_link_is_markdown_with_the_note() {
        let msg = Message {
            link: None,
            ..message()
        };
        let body = dingtalk_body(&msg);
        assert_eq!(body["msgtype"], "markdown");
        assert_eq!(
            body["markdown"]["title"],
            "待审核：《星河S7 城市通勤 30 天》"
        );
        let text = body["markdown"]["text"].as_str().unwrap();
        assert!(text.starts_with("#### 待审核：《星河S7 城市通勤 30 天》\n\n- 账号："));
        assert!(text.ends_with("未设置 KOX 的访问地址，无法附上链接"));
        assert_eq!(body["at"]["isAtAll"], false);
    }

    #[test]
    fn dingtalk_mentions_name_each_mobile_in_the_text_and_in_at() {
        let msg = Message {
            mention_mobiles: vec!["13800138000".to_owned(), "13900139000".to_owned()],
            mention_names: vec!["王芳".to_owned()],
            ..message()
        };
        let body = dingtalk_body(&msg);
        // An action card cannot @: markdown with the link in the text.
        assert_eq!(body["msgtype"], "markdown");
        let text = body["markdown"]["text"].as_str().unwrap();
        assert!(text.contains("[在 KOX 中打开](https://kox.brand.cn/content/42)"));
        assert!(text.ends_with("\n\n@13800138000 @13900139000 @王芳"));
        assert_eq!(
            body["at"]["atMobiles"],
            json!(["13800138000", "13900139000"])
        );
        assert_eq!(body["at"]["isAtAll"], false);
    }

    #[test]
    fn wecom_is_markdown_with_bold_title_and_link() {
        let body = wecom_body(&message());
        assert_eq!(body["msgtype"], "markdown");
        assert_eq!(
            body["markdown"]["content"],
            "**待审核：《星河S7 城市通勤 30 天》**\n账号：@小红书_阿May · 小红书\n提交人：李娜\n[在 KOX 中打开](https://kox.brand.cn/content/42)"
        );
        let no_link = wecom_body(&Message {
            link: None,
            ..message()
        });
        assert!(
            no_link["markdown"]["content"]
                .as_str()
                .unwrap()
                .contains("未设置 KOX 的访问地址，无法附上链接")
        );
    }

    #[test]
    fn wecom_mentions_by_mobile_are_a_text_message() {
        let msg = Message {
            mention_mobiles: vec!["13800138000".to_owned()],
            ..message()
        };
        let body = wecom_body(&msg);
        assert_eq!(body["msgtype"], "text");
        assert_eq!(
            body["text"]["content"],
            "待审核：《星河S7 城市通勤 30 天》\n账号：@小红书_阿May · 小红书\n提交人：李娜\n在 KOX 中打开：https://kox.brand.cn/content/42"
        );
        assert_eq!(
            body["text"]["mentioned_mobile_list"],
            json!(["13800138000"])
        );
    }

    #[test]
    fn long_messages_stay_within_every_limit_as_valid_utf8() {
        let msg = huge();
        let feishu = feishu_body(&msg, Some((1_599_360_473, feishu_sign(1, "s"))));
        let bytes = serde_json::to_vec(&feishu).unwrap();
        assert!(bytes.len() <= FEISHU_MAX_BYTES, "{}", bytes.len());
        assert!(String::from_utf8(bytes).is_ok());
        let content = feishu["card"]["elements"][0]["text"]["content"]
            .as_str()
            .unwrap();
        assert!(content.starts_with("第0行："));
        assert!(content.contains("行未显示"));
        assert!(content.ends_with("<at id=ou_abc123></at> @李娜"));
        assert_eq!(feishu["sign"], feishu_sign(1, "s"));

        let dingtalk = serde_json::to_vec(&dingtalk_body(&msg)).unwrap();
        assert!(dingtalk.len() <= DINGTALK_MAX_BYTES, "{}", dingtalk.len());
        assert!(String::from_utf8(dingtalk).is_ok());

        let markdown = wecom_body(&Message {
            mention_mobiles: Vec::new(),
            ..msg.clone()
        });
        let content = markdown["markdown"]["content"].as_str().unwrap();
        assert!(
            content.len() <= WECOM_MARKDOWN_MAX_BYTES,
            "{}",
            content.len()
        );
        assert!(content.ends_with("[在 KOX 中打开](https://kox.brand.cn/content/42)"));

        let text = wecom_body(&msg);
        let content = text["text"]["content"].as_str().unwrap();
        assert!(content.len() <= WECOM_TEXT_MAX_BYTES, "{}", content.len());
        assert_eq!(
            text["text"]["mentioned_mobile_list"],
            json!(["13800138000"])
        );

        // A single enormous line is shortened, not dropped.
        let one = Message {
            lines: vec!["长".repeat(10_000)],
            ..message()
        };
        let content = wecom_body(&one)["markdown"]["content"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(content.len() <= WECOM_MARKDOWN_MAX_BYTES);
        assert!(content.contains("长长长…"));
    }

    #[test]
    fn truncating_bytes_cuts_on_a_character_boundary() {
        assert_eq!(truncate_bytes("abc", 3), "abc");
        let cut = truncate_bytes("李娜李娜", 8);
        assert!(cut.len() <= 8);
        assert_eq!(cut, "李…");
        assert_eq!(truncate_bytes("ab😀cd", 7), "ab…");
    }

    #[test]
    fn email_has_subject_text_link_and_why() {
        let msg = Message {
            title: "待审核：《星河S7》\r\nBcc: x@y.z".to_owned(),
            ..message()
        };
        assert_eq!(email_subject(&msg), "[KOX] 待审核：《星河S7》  Bcc: x@y.z");
        assert!(!email_subject(&msg).contains(['\r', '\n']));
        let text = email_text(&message());
        assert_eq!(
            text,
            "待审核：《星河S7 城市通勤 30 天》\n\n账号：@小红书_阿May · 小红书\n提交人：李娜\n\n在 KOX 中打开：https://kox.brand.cn/content/42\n\n你收到这封邮件，是因为你在 KOX 的通知设置中选择了邮件提醒。"
        );
        let no_link = email_text(&Message {
            link: None,
            ..message()
        });
        assert!(no_link.contains("未设置 KOX 的访问地址，无法附上链接"));
        assert_eq!(
            no_link.lines().last(),
            Some("你收到这封邮件，是因为你在 KOX 的通知设置中选择了邮件提醒。")
        );
    }

    #[test]
    fn webhook_body_is_compact_json() {
        let event = json!({"event": "review_requested", "data": {"title": "星河", "id": 42}});
        let body = webhook_body(&event);
        assert_eq!(
            String::from_utf8(body.clone()).unwrap(),
            r#"{"data":{"id":42,"title":"星河"},"event":"review_requested"}"#
        );
        assert_eq!(serde_json::from_slice::<Value>(&body).unwrap(), event);
    }

    fn done(o: &Outcome) -> bool {
        *o == Outcome::Done
    }
    fn retry(o: &Outcome) -> bool {
        matches!(o, Outcome::Retry(_))
    }
    fn fail(o: &Outcome) -> bool {
        matches!(o, Outcome::Fail(_))
    }

    #[test]
    fn http_statuses_are_read_alike_for_every_channel() {
        for kind in ChannelKind::ALL {
            for status in [408, 429, 500, 502, 503, 599] {
                let o = read_answer(kind, status, " busy ");
                assert_eq!(
                    o,
                    Outcome::Retry(format!("HTTP {status}: busy")),
                    "{kind:?}"
                );
            }
            for status in [400, 401, 403, 404, 413, 302] {
                let o = read_answer(kind, status, "no");
                assert_eq!(o, Outcome::Fail(format!("HTTP {status}: no")), "{kind:?}");
            }
        }
        let long = "x".repeat(2000);
        let Outcome::Fail(reason) = read_answer(ChannelKind::Webhook, 400, &long) else {
            panic!("a 400 fails");
        };
        assert!(reason.chars().count() <= 510);
        assert!(done(&read_answer(ChannelKind::Webhook, 200, "")));
        assert!(done(&read_answer(ChannelKind::Webhook, 204, "anything")));
        assert!(done(&read_answer(ChannelKind::Email, 250, "")));
        assert!(done(&read_answer(ChannelKind::Email, 200, "")));
    }

    #[test]
    fn feishu_answers_by_code() {
        let f = |body: &str| read_answer(ChannelKind::Feishu, 200, body);
        assert!(done(&f(
            r#"{"StatusCode":0,"StatusMessage":"success","code":0,"data":{},"msg":"success"}"#
        )));
        assert!(done(&f(r#"{"code":0,"msg":"success","data":{}}"#)));
        assert!(done(&f(r#"{"StatusCode":0,"StatusMessage":"success"}"#)));
        assert!(retry(&f(r#"{"code":9499,"msg":"Too Many Request"}"#)));
        assert!(retry(&f(r#"{"code":11232,"msg":"frequency limited"}"#)));
        assert_eq!(
            f(r#"{"code":19021,"data":{},"msg":"sign match fail or timestamp is not within one hour from current time"}"#),
            Outcome::Fail(
                "飞书返回 19021: sign match fail or timestamp is not within one hour from current time"
                    .to_owned()
            )
        );
        assert!(fail(&f(r#"{"code":19024,"msg":"Key Words Not Found"}"#)));
        assert!(fail(&f(r#"{"code":19001,"msg":"param invalid"}"#)));
        assert!(fail(&f("<html>ok</html>")));
        assert!(fail(&f("")));
        assert!(fail(&f(r#"{"data":{}}"#)));
        // Rate limited with a 4xx is still only rate limited.
        assert!(retry(&read_answer(
            ChannelKind::Feishu,
            400,
            r#"{"code":9499,"msg":"Too Many Request"}"#
        )));
    }

    #[test]
    fn dingtalk_answers_by_errcode() {
        let d = |body: &str| read_answer(ChannelKind::Dingtalk, 200, body);
        assert!(done(&d(r#"{"errcode":0,"errmsg":"ok"}"#)));
        assert!(retry(&d(
            r#"{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}"#
        )));
        assert!(retry(&d(r#"{"errcode":660026,"errmsg":"throttled"}"#)));
        assert_eq!(
            d(r#"{"errcode":310000,"errmsg":"sign not match"}"#),
            Outcome::Fail("钉钉返回 310000: sign not match".to_owned())
        );
        assert!(fail(&d(
            r#"{"errcode":300001,"errmsg":"token is not exist"}"#
        )));
        assert!(fail(&d("not json")));
    }

    #[test]
    fn wecom_answers_by_errcode() {
        let w = |body: &str| read_answer(ChannelKind::Wecom, 200, body);
        assert!(done(&w(r#"{"errcode":0,"errmsg":"ok"}"#)));
        assert!(retry(&w(
            r#"{"errcode":45009,"errmsg":"api freq out of limit"}"#
        )));
        assert!(retry(&w(r#"{"errcode":-1,"errmsg":"system busy"}"#)));
        assert_eq!(
            w(r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#),
            Outcome::Fail("企业微信返回 93000: invalid webhook url".to_owned())
        );
        assert!(fail(&w(
            r#"{"errcode":40008,"errmsg":"invalid message type"}"#
        )));
        assert!(fail(&w("{}")));
    }
}
