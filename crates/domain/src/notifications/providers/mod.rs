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
mod tests;
