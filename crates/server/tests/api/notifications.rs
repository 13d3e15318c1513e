//! Notifications over HTTP: who manages channels and rules, bad input, write-only secrets, the
//! worker delivering to real receivers on 127.0.0.1 (Feishu, DingTalk, WeCom and a webhook,
//! each signature recomputed here with our own HMAC from what arrived; e-mail to an SMTP server
//! in the test), failures and retries, the channel test, the bell and its event stream, and
//! workers sharing one queue.
#![allow(clippy::many_single_char_names)]

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::response::IntoResponse;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use kox_domain::access::Role;
use kox_store::Engine;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Sha256;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::time::Instant;

use crate::content::{next_event, open_stream};
use crate::db_tests;
use crate::harness::{Client, TestApp, assert_error};

// ---------------------------------------------------------------------------------------------
// Signatures, recomputed here from what arrived (never with KOX's own functions)

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut m = HmacSha256::new_from_slice(key).unwrap();
    m.update(message);
    m.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// `%XX` decoding (a query value as it arrived).
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Feishu: HMAC-SHA256 whose key is `timestamp + "\n" + secret` over an empty message, base64.
fn feishu_expected(ts: &str, secret: &str) -> String {
    STANDARD.encode(hmac(format!("{ts}\n{secret}").as_bytes(), b""))
}

/// DingTalk: the sign as it arrived in the query (URL-encoded base64) against HMAC-SHA256 with
/// key = secret over `timestamp_ms + "\n" + secret`.
fn dingtalk_matches(ts_ms: &str, secret: &str, sign_in_query: &str) -> Result<(), String> {
    if sign_in_query.contains(['+', '/', '=']) {
        return Err(format!("the sign is not URL-encoded: {sign_in_query}"));
    }
    let sign = percent_decode(sign_in_query).ok_or("the sign does not URL-decode")?;
    let mac = STANDARD
        .decode(sign)
        .map_err(|e| format!("the sign is not base64: {e}"))?;
    let mut m = HmacSha256::new_from_slice(secret.as_bytes()).unwrap();
    m.update(format!("{ts_ms}\n{secret}").as_bytes());
    m.verify_slice(&mac)
        .map_err(|_| "sign not match".to_owned())
}

#[test]
fn our_own_verifiers_agree_with_the_reference_check_values() {
    assert_eq!(
        feishu_expected("1599360473", "secret"),
        "q4jswNiMy51J5JuQV566yJat0/lQ/c+22kINzUgKsGU="
    );
    assert!(
        dingtalk_matches(
            "1700000000000",
            "secret",
            "OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D"
        )
        .is_ok()
    );
    assert!(
        dingtalk_matches(
            "1700000000001",
            "secret",
            "OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D"
        )
        .is_err()
    );
    assert!(
        dingtalk_matches(
            "1700000000000",
            "secret",
            "OuzzJR5+xZ4/EYwqtNt6sMYZQMTa/HEGvc9miJe7XzY="
        )
        .is_err(),
        "the sign travels URL-encoded"
    );
    assert_eq!(
        decode_rfc2047("=?utf-8?b?W0tPWF0g5pyJ5Lq6QOS9oA==?="),
        "[KOX] 有人@你"
    );
    assert_eq!(
        decode_rfc2047("=?UTF-8?Q?=5BKOX=5D_?= =?UTF-8?Q?=E6=9C=89?="),
        "[KOX] 有"
    );
}

// ---------------------------------------------------------------------------------------------
// A receiver of bot messages and webhooks

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Provider {
    Feishu,
    Dingtalk,
    Wecom,
    Webhook,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Answer {
    /// Checks the signature (or key) and answers as the provider does: success or its refusal.
    AsProvider,
    /// 500 "upstream busy".
    Status500,
    /// 200 with Feishu's refusal of a signature, whatever arrived.
    FeishuSignFail,
    /// Accepts and never answers.
    Hang,
    /// 200 with a body of 10 MB.
    Huge,
}

#[derive(Clone)]
struct Route {
    provider: Provider,
    secret: String,
    answer: Answer,
}

#[derive(Clone, Debug)]
pub(crate) struct Hit {
    path: String,
    raw_query: String,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
    /// The provider's signature (or key) as checked here.
    pub(crate) verified: Result<(), String>,
    at: Instant,
}

impl Hit {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn query(&self, key: &str) -> Option<String> {
        self.raw_query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.to_owned())
    }
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

fn verify(
    p: Provider,
    secret: &str,
    hit_query: &str,
    headers: &axum::http::HeaderMap,
    body: &[u8],
) -> Result<(), String> {
    let query = |key: &str| {
        hit_query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.to_owned())
    };
    match p {
        Provider::Feishu => {
            let v: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
            let ts = v["timestamp"].as_str().ok_or("timestamp is not a string")?;
            let secs: i64 = ts.parse().map_err(|_| "timestamp is not a number")?;
            if (unix_now() - secs).abs() > 3600 {
                return Err(format!("timestamp {ts} is not in seconds within an hour"));
            }
            let sign = v["sign"].as_str().ok_or("no sign")?;
            if sign == feishu_expected(ts, secret) {
                Ok(())
            } else {
                Err(format!("sign match fail: {sign}"))
            }
        }
        Provider::Dingtalk => {
            let ts = query("timestamp").ok_or("no timestamp in the query")?;
            let ms: i64 = ts.parse().map_err(|_| "timestamp is not a number")?;
            if (unix_now() * 1000 - ms).abs() > 3_600_000 {
                return Err(format!(
                    "timestamp {ts} is not in milliseconds within an hour"
                ));
            }
            let sign = query("sign").ok_or("no sign in the query")?;
            dingtalk_matches(&ts, secret, &sign)
        }
        Provider::Wecom => {
            let key = query("key").ok_or("no key")?;
            if percent_decode(&key).as_deref() == Some(secret) {
                Ok(())
            } else {
                Err(format!("invalid webhook url: key {key}"))
            }
        }
        Provider::Webhook => {
            let sig = headers
                .get("x-kox-signature")
                .and_then(|v| v.to_str().ok())
                .ok_or("no X-KOX-Signature")?;
            let (t, v1) = sig
                .split_once(',')
                .and_then(|(t, v)| Some((t.strip_prefix("t=")?, v.strip_prefix("v1=")?)))
                .ok_or_else(|| format!("X-KOX-Signature {sig} is not t=…,v1=…"))?;
            let secs: i64 = t.parse().map_err(|_| "t is not a number")?;
            if (unix_now() - secs).abs() > 300 {
                return Err(format!("t={t} is too old"));
            }
            let mut signed = format!("{t}.").into_bytes();
            signed.extend_from_slice(body);
            if v1 != hex(&hmac(secret.as_bytes(), &signed)) {
                return Err(format!("v1 does not match: {sig}"));
            }
            match headers.get("idempotency-key").and_then(|v| v.to_str().ok()) {
                Some(k) if !k.is_empty() => Ok(()),
                _ => Err("no Idempotency-Key".into()),
            }
        }
    }
}

fn provider_answer(p: Provider, verified: &Result<(), String>) -> axum::response::Response {
    let ok = verified.is_ok();
    match p {
        Provider::Feishu if ok => {
            axum::Json(json!({"code": 0, "msg": "success", "data": {}})).into_response()
        }
        Provider::Feishu => axum::Json(json!({"code": 19021, "data": {},
            "msg": "sign match fail or timestamp is not within one hour from current time"}))
        .into_response(),
        Provider::Dingtalk if ok => {
            axum::Json(json!({"errcode": 0, "errmsg": "ok"})).into_response()
        }
        Provider::Dingtalk => {
            axum::Json(json!({"errcode": 310_000, "errmsg": "sign not match"})).into_response()
        }
        Provider::Wecom if ok => axum::Json(json!({"errcode": 0, "errmsg": "ok"})).into_response(),
        Provider::Wecom => {
            axum::Json(json!({"errcode": 93000, "errmsg": "invalid webhook url"})).into_response()
        }
        Provider::Webhook if ok => (StatusCode::OK, "received").into_response(),
        Provider::Webhook => (StatusCode::UNAUTHORIZED, "bad signature").into_response(),
    }
}

/// An HTTP server on 127.0.0.1 that records every request and answers by its path's route.
#[derive(Clone, Default)]
pub(crate) struct Receiver {
    base: String,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    hits: Arc<Mutex<Vec<Hit>>>,
}

async fn receive(
    axum::extract::State(r): axum::extract::State<Receiver>,
    req: axum::extract::Request,
) -> axum::response::Response {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default()
        .to_vec();
    let path = parts.uri.path().to_owned();
    let raw_query = parts.uri.query().unwrap_or("").to_owned();
    let route = r.routes.lock().unwrap().get(&path).cloned();
    let Some(route) = route else {
        return (StatusCode::NOT_FOUND, "no such hook").into_response();
    };
    let verified = verify(
        route.provider,
        &route.secret,
        &raw_query,
        &parts.headers,
        &body,
    );
    r.hits.lock().unwrap().push(Hit {
        path,
        raw_query,
        headers: parts.headers,
        body,
        verified: verified.clone(),
        at: Instant::now(),
    });
    match route.answer {
        Answer::AsProvider => provider_answer(route.provider, &verified),
        Answer::Status500 => (StatusCode::INTERNAL_SERVER_ERROR, "upstream busy").into_response(),
        Answer::FeishuSignFail => {
            axum::Json(json!({"code": 19021, "msg": "sign match fail"})).into_response()
        }
        Answer::Hang => match std::future::pending::<std::convert::Infallible>().await {},
        Answer::Huge => (StatusCode::OK, vec![b'x'; 10 * 1024 * 1024]).into_response(),
    }
}

impl Receiver {
    pub(crate) async fn start() -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let r = Receiver {
            base: format!("http://{}", listener.local_addr().unwrap()),
            ..Receiver::default()
        };
        let app = axum::Router::new().fallback(receive).with_state(r.clone());
        tokio::spawn(async move {
            axum::serve(listener, app).await.ok();
        });
        r
    }

    /// Answers on `path` as `answer` says; returns the full URL.
    pub(crate) fn route(
        &self,
        path: &str,
        provider: Provider,
        secret: &str,
        answer: Answer,
    ) -> String {
        self.routes.lock().unwrap().insert(
            path.to_owned(),
            Route {
                provider,
                secret: secret.to_owned(),
                answer,
            },
        );
        format!("{}{path}", self.base)
    }

    pub(crate) fn hits(&self, path: &str) -> Vec<Hit> {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|h| h.path == path)
            .cloned()
            .collect()
    }

    /// Waits until `path` got at least `n` requests.
    pub(crate) async fn wait(&self, path: &str, n: usize, within: Duration) -> Vec<Hit> {
        let deadline = Instant::now() + within;
        loop {
            let hits = self.hits(path);
            if hits.len() >= n {
                return hits;
            }
            assert!(
                Instant::now() < deadline,
                "{path} got {} of {n} requests within {within:?}",
                hits.len()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// An SMTP server that records what it is given

#[derive(Clone, Debug)]
struct Mail {
    from: String,
    to: Vec<String>,
    data: String,
}

#[derive(Clone, Default)]
struct Smtp {
    port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl Smtp {
    async fn start() -> Smtp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let s = Smtp {
            port: listener.local_addr().unwrap().port(),
            ..Smtp::default()
        };
        let mails = s.mails.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let mails = mails.clone();
                tokio::spawn(async move {
                    let _ = smtp_session(sock, mails).await;
                });
            }
        });
        s
    }

    fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }
}

/// `<a@b.c>` (and any parameters after it) → `a@b.c`.
fn path_of(arg: &str) -> String {
    arg.trim()
        .trim_start_matches('<')
        .split('>')
        .next()
        .unwrap_or("")
        .to_owned()
}

async fn smtp_session(
    sock: tokio::net::TcpStream,
    mails: Arc<Mutex<Vec<Mail>>>,
) -> std::io::Result<()> {
    let (r, mut w) = sock.into_split();
    let mut r = BufReader::new(r);
    w.write_all(b"220 kox-test ESMTP ready\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if r.read_until(b'\n', &mut buf).await? == 0 {
            return Ok(());
        }
        let line = String::from_utf8_lossy(&buf).trim_end().to_owned();
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-kox-test\r\n250 8BITMIME\r\n"
        } else if upper.starts_with("HELO") {
            b"250 kox-test\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = path_of(&line[10..]);
            to.clear();
            b"250 2.1.0 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            to.push(path_of(&line[8..]));
            b"250 2.1.5 OK\r\n"
        } else if upper == "DATA" {
            w.write_all(b"354 end data with <CR><LF>.<CR><LF>\r\n")
                .await?;
            let mut data = String::new();
            loop {
                buf.clear();
                if r.read_until(b'\n', &mut buf).await? == 0 {
                    return Ok(());
                }
                let l = String::from_utf8_lossy(&buf).into_owned();
                if l == ".\r\n" || l == ".\n" {
                    break;
                }
                data.push_str(l.strip_prefix('.').unwrap_or(&l));
            }
            mails.lock().unwrap().push(Mail {
                from: from.clone(),
                to: std::mem::take(&mut to),
                data,
            });
            b"250 2.0.0 queued as kox-test-1\r\n"
        } else if upper == "RSET" || upper == "NOOP" {
            b"250 2.0.0 OK\r\n"
        } else if upper == "QUIT" {
            w.write_all(b"221 2.0.0 bye\r\n").await?;
            return Ok(());
        } else {
            b"502 5.5.2 command not recognized\r\n"
        };
        w.write_all(reply).await?;
    }
}

/// A header of a message, unfolded (continuation lines joined), as it was written.
fn mail_header(data: &str, name: &str) -> Option<String> {
    let head = data.split("\r\n\r\n").next()?;
    let mut found: Option<String> = None;
    for line in head.split("\r\n") {
        if let Some(v) = &mut found {
            if line.starts_with([' ', '\t']) {
                v.push_str(line);
                continue;
            }
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case(name)
        {
            found = Some(v.trim_start().to_owned());
        }
    }
    found
}

fn q_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'_' => out.push(b' '),
            b'=' if i + 3 <= b.len() => {
                if let Some(v) = std::str::from_utf8(&b[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    out.push(v);
                    i += 3;
                    continue;
                }
                out.push(b'=');
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// Decodes RFC 2047 encoded-words (`=?charset?B|Q?…?=`); whitespace between two encoded words
/// is dropped, text outside them is kept.
fn decode_rfc2047(s: &str) -> String {
    let mut out = String::new();
    let mut bytes: Vec<u8> = Vec::new();
    let mut rest = s;
    let flush = |bytes: &mut Vec<u8>, out: &mut String| {
        out.push_str(&String::from_utf8_lossy(bytes));
        bytes.clear();
    };
    loop {
        let Some(start) = rest.find("=?") else {
            flush(&mut bytes, &mut out);
            out.push_str(rest);
            return out;
        };
        let between = &rest[..start];
        // Whitespace between two encoded words is not part of the text.
        if !between.trim().is_empty() || bytes.is_empty() {
            flush(&mut bytes, &mut out);
            out.push_str(between);
        }
        let word = &rest[start + 2..];
        let mut parts = word.splitn(3, '?');
        let (Some(_charset), Some(enc), Some(tail)) = (parts.next(), parts.next(), parts.next())
        else {
            out.push_str(&rest[start..]);
            return out;
        };
        let Some(end) = tail.find("?=") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let text = &tail[..end];
        if enc.eq_ignore_ascii_case("b") {
            bytes.extend(STANDARD.decode(text).unwrap_or_default());
        } else {
            bytes.extend(q_decode(text));
        }
        rest = &tail[end + 2..];
    }
}

/// The text of a single-part message, its transfer encoding undone.
fn mail_text(data: &str) -> String {
    let body = data.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let encoding = mail_header(data, "Content-Transfer-Encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();
    match encoding.trim() {
        "base64" => {
            let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
            String::from_utf8_lossy(&STANDARD.decode(compact).unwrap_or_default()).into_owned()
        }
        "quoted-printable" => {
            let joined = body.replace("=\r\n", "");
            let mut out = Vec::new();
            let b = joined.as_bytes();
            let mut i = 0;
            while i < b.len() {
                if b[i] == b'='
                    && i + 3 <= b.len()
                    && let Ok(v) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
                {
                    out.push(v);
                    i += 3;
                    continue;
                }
                out.push(b[i]);
                i += 1;
            }
            String::from_utf8_lossy(&out).into_owned()
        }
        _ => body.to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

const SECRET: &str = "SEC-feishu-7f3a9c1e";

/// A node that may send to 127.0.0.1 and links to a public address, as the end-to-end tests
/// need.
pub(crate) fn sending_settings() -> kox_server::Settings {
    kox_server::Settings {
        allow_private_targets: true,
        public_url: Some("https://kox.example.cn".into()),
        ..Default::default()
    }
}

fn link(item: i64) -> String {
    format!("https://kox.example.cn/content?item={item}")
}

async fn create_channel(c: &Client, app: &TestApp, body: Value) -> Value {
    let (s, ch) = c.post(&app.ws("/notification-channels"), body).await;
    assert_eq!(s, StatusCode::CREATED, "{ch}");
    ch
}

async fn channel_id(c: &Client, app: &TestApp, body: Value) -> i64 {
    create_channel(c, app, body).await["id"].as_i64().unwrap()
}

async fn mention_rule(c: &Client, app: &TestApp, channel: i64) -> i64 {
    let (s, r) = c
        .post(
            &app.ws("/notification-rules"),
            json!({"channel_id": channel, "kinds": ["mention"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    r["id"].as_i64().unwrap()
}

async fn new_item(c: &Client, app: &TestApp, title: &str) -> i64 {
    let (s, item) = c
        .post(&app.ws("/content"), json!({"title": title, "body": ""}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{item}");
    item["id"].as_i64().unwrap()
}

async fn comment(c: &Client, app: &TestApp, item: i64, body: &str, mentions: &[i64]) -> i64 {
    let (s, cm) = c
        .post(
            &app.ws(&format!("/content/{item}/comments")),
            json!({"body": body, "mentions": mentions}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{cm}");
    cm["id"].as_i64().unwrap()
}

async fn deliveries(c: &Client, app: &TestApp) -> Vec<Value> {
    let (s, list) = c.get(&app.ws("/deliveries?limit=200")).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    list.as_array().unwrap().clone()
}

/// Polls the delivery log until a delivery to `channel` satisfies `done`.
async fn delivery_to(
    c: &Client,
    app: &TestApp,
    channel: i64,
    within: Duration,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + within;
    loop {
        let list = deliveries(c, app).await;
        if let Some(d) = list.iter().find(|d| d["channel_id"] == channel && done(d)) {
            return d.clone();
        }
        assert!(
            Instant::now() < deadline,
            "no delivery to channel {channel} as expected within {within:?}: {}",
            Value::Array(list)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn sent(d: &Value) -> bool {
    d["status"] == "sent"
}

async fn job_of(c: &Client, app: &TestApp, delivery: i64) -> Value {
    let (s, jobs) = c.get(&app.ws("/jobs?limit=200")).await;
    assert_eq!(s, StatusCode::OK, "{jobs}");
    jobs.as_array()
        .unwrap()
        .iter()
        .find(|j| j["idempotency_key"] == format!("deliver:{delivery}"))
        .cloned()
        .unwrap_or_else(|| panic!("no job for delivery {delivery}: {jobs}"))
}

fn at(v: &Value) -> chrono::DateTime<chrono::Utc> {
    let t = v
        .as_str()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .unwrap_or_else(|| panic!("not a time: {v}"));
    t.with_timezone(&chrono::Utc)
}

fn prefs(mobile: Option<&str>, email: &[&str]) -> Value {
    json!({
        "in_app": ["review_requested", "review_decided", "mention", "assigned", "due_tomorrow",
                   "overdue", "overdue_digest", "publish_reminder", "test"],
        "email": email, "mobile": mobile,
    })
}

/// The channels, the rules and the number of events about them: what a refused write must
/// leave as it was.
async fn state_of(c: &Client, app: &TestApp) -> (Value, Value, usize) {
    let channels = c.get(&app.ws("/notification-channels")).await.1;
    let rules = c.get(&app.ws("/notification-rules")).await.1;
    let events = app
        .store
        .list_events(
            app.ws,
            &kox_store::EventQuery {
                limit: 200,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action.starts_with("notification_"))
        .count();
    (channels, rules, events)
}

// ---------------------------------------------------------------------------------------------

db_tests! {
    async fn admins_manage_channels_rules_and_the_queue_and_every_member_their_own_bell(app: TestApp) {
        let admin = app.login_as(Role::Admin).await;
        // Admins: create, list, change and delete channels and rules; read deliveries and jobs.
        let ch = create_channel(&admin, &app, json!({"name": "运营群机器人", "kind": "webhook",
            "config": {"url": "https://8.8.8.8/kox/hook"}, "secret": "whsec-admin-1"})).await;
        let id = ch["id"].as_i64().unwrap();
        assert_eq!((ch["kind"].as_str(), ch["secret_set"].as_bool(), ch["enabled"].as_bool()), (Some("webhook"), Some(true), Some(true)), "{ch}");
        let (s, list) = admin.get(&app.ws("/notification-channels")).await;
        assert_eq!((s, list.as_array().unwrap().len()), (StatusCode::OK, 1), "{list}");
        let (s, upd) = admin.patch(&app.ws(&format!("/notification-channels/{id}")), json!({"name": "运营群", "enabled": false})).await;
        assert_eq!((s, upd["name"].as_str(), upd["enabled"].as_bool()), (StatusCode::OK, Some("运营群"), Some(false)), "{upd}");
        let rule = mention_rule(&admin, &app, id).await;
        let (s, r) = admin.patch(&app.ws(&format!("/notification-rules/{rule}")), json!({"kinds": ["mention", "review_requested", "mention"]})).await;
        assert_eq!((s, r["kinds"].clone()), (StatusCode::OK, json!(["review_requested", "mention"])), "{r}");
        assert_eq!(admin.get(&app.ws("/notification-rules")).await.1.as_array().unwrap().len(), 1);
        assert_eq!(admin.get(&app.ws("/deliveries")).await.0, StatusCode::OK);
        assert_eq!(admin.get(&app.ws("/jobs")).await.0, StatusCode::OK);
        assert_eq!(admin.delete(&app.ws(&format!("/notification-rules/{rule}"))).await.0, StatusCode::NO_CONTENT);
        assert_eq!(admin.delete(&app.ws(&format!("/notification-channels/{id}"))).await.0, StatusCode::NO_CONTENT);
        assert_eq!(admin.get(&app.ws("/notification-channels")).await.1, json!([]));

        // One channel and rule stay for the others to try.
        let id = channel_id(&admin, &app, json!({"name": "告警", "kind": "webhook",
            "config": {"url": "https://8.8.8.8/kox/hook"}, "secret": "whsec-admin-2"})).await;
        let rule = mention_rule(&admin, &app, id).await;
        let before = state_of(&admin, &app).await;
        let admin_id = app.user(Role::Admin).0;
        for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
            let c = app.login_as(role).await;
            let forbidden = |res: (StatusCode, Value)| assert_error(&res, StatusCode::FORBIDDEN, "auth.forbidden", None);
            forbidden(c.get(&app.ws("/notification-channels")).await);
            forbidden(c.post(&app.ws("/notification-channels"), json!({"name": "x", "kind": "webhook", "config": {"url": "https://8.8.8.8/x"}, "secret": "s"})).await);
            forbidden(c.patch(&app.ws(&format!("/notification-channels/{id}")), json!({"enabled": false})).await);
            forbidden(c.delete(&app.ws(&format!("/notification-channels/{id}"))).await);
            forbidden(c.post(&app.ws(&format!("/notification-channels/{id}/test")), json!({})).await);
            forbidden(c.get(&app.ws("/notification-rules")).await);
            forbidden(c.post(&app.ws("/notification-rules"), json!({"channel_id": id, "kinds": ["mention"]})).await);
            forbidden(c.patch(&app.ws(&format!("/notification-rules/{rule}")), json!({"enabled": false})).await);
            forbidden(c.delete(&app.ws(&format!("/notification-rules/{rule}"))).await);
            forbidden(c.get(&app.ws("/deliveries")).await);
            forbidden(c.post(&app.ws("/deliveries/1/retry"), json!({})).await);
            forbidden(c.get(&app.ws("/jobs")).await);
            forbidden(c.post(&app.ws("/jobs/1/retry"), json!({})).await);

            // Their own bell and settings.
            let me = app.user(role).0;
            let (s, page) = c.get(&app.ws("/notifications")).await;
            assert_eq!((s, page["unread"].as_u64(), page["items"].clone()), (StatusCode::OK, Some(0), json!([])), "{role:?} {page}");
            let (s, n) = c.get(&app.ws("/notifications/unread")).await;
            assert_eq!((s, n.clone()), (StatusCode::OK, json!({"unread": 0})), "{n}");
            let (s, n) = c.post(&app.ws("/notifications/read"), json!({"all": true})).await;
            assert_eq!((s, n.clone()), (StatusCode::OK, json!({"unread": 0})), "{n}");
            let mine = app.ws(&format!("/notification-preferences/{me}"));
            let (s, p) = c.get(&mine).await;
            assert_eq!((s, p["email"].clone(), p["in_app"].as_array().map(Vec::len)), (StatusCode::OK, json!([]), Some(10)), "defaults: {p}");
            assert!(p["in_app"].as_array().unwrap().contains(&json!("wave_follow_up")), "coordination follow-ups ring the bell by default: {p}");
            let (s, p) = c.send(reqwest::Method::PUT, &mine, Some(json!({"in_app": ["test", "mention", "test"], "email": ["mention"], "mobile": "138 0013-8000", "quiet_from": "22:00", "quiet_until": "08:00"}))).await;
            assert_eq!(s, StatusCode::OK, "{p}");
            assert_eq!((p["in_app"].clone(), p["mobile"].as_str(), p["quiet_until"].as_str()), (json!(["mention", "test"]), Some("13800138000"), Some("08:00")), "{p}");
            assert_eq!(c.get(&mine).await.1, p);
            // Nobody else's.
            let theirs = app.ws(&format!("/notification-preferences/{admin_id}"));
            assert_error(&c.get(&theirs).await, StatusCode::FORBIDDEN, "notifications.not_yours", Some("user_id"));
            assert_error(&c.send(reqwest::Method::PUT, &theirs, Some(prefs(Some("13900000000"), &["mention"]))).await, StatusCode::FORBIDDEN, "notifications.not_yours", Some("user_id"));
        }
        assert_eq!(state_of(&admin, &app).await, before, "the refusals wrote nothing");
        assert_eq!(app.store.get_preferences(app.ws, app.user(Role::Admin)).await.unwrap(), kox_domain::notifications::Preferences::default());
        let admin_prefs = app.ws(&format!("/notification-preferences/{admin_id}"));
        assert_eq!(admin.get(&admin_prefs).await.1["mobile"], Value::Null);
        // An admin is no exception.
        let editor = app.user(Role::Editor).0;
        assert_error(&admin.get(&app.ws(&format!("/notification-preferences/{editor}"))).await, StatusCode::FORBIDDEN, "notifications.not_yours", Some("user_id"));
        assert_eq!(app.store.get_preferences(app.ws, app.user(Role::Editor)).await.unwrap().mobile.as_deref(), Some("13800138000"));
    }

    async fn bad_channels_rules_and_filters_are_refused_naming_the_field_and_nothing_is_written(app: TestApp) {
        let admin = app.login_as(Role::Admin).await;
        let existing = channel_id(&admin, &app, json!({"name": "已有", "kind": "webhook", "config": {"url": "https://8.8.8.8/hook"}, "secret": "s1"})).await;
        let before = state_of(&admin, &app).await;
        let channels = app.ws("/notification-channels");
        let create = |body: Value| admin.post(&channels, body);
        assert_error(&create(json!({"name": "x", "kind": "webhook", "config": {"url": "ftp://files.example.cn/hook"}, "secret": "s"})).await, StatusCode::BAD_REQUEST, "validation.url", Some("config.url"));
        assert_error(&create(json!({"name": "x", "kind": "webhook", "config": {"url": "javascript:alert(1)"}, "secret": "s"})).await, StatusCode::BAD_REQUEST, "validation.url", Some("config.url"));
        assert_error(&create(json!({"name": "x", "kind": "feishu", "config": {"url": "https://8.8.8.8/open-apis/bot/v2/hook/abc"}})).await, StatusCode::BAD_REQUEST, "notifications.secret_required", Some("secret"));
        assert_error(&create(json!({"name": "x", "kind": "feishu", "config": {"url": "https://8.8.8.8/open-apis/bot/v2/hook/abc"}, "secret": "   "})).await, StatusCode::BAD_REQUEST, "notifications.secret_required", Some("secret"));
        assert_error(&create(json!({"name": "x", "kind": "wecom", "secret": "not a key!"})).await, StatusCode::BAD_REQUEST, "notifications.bad_key", Some("secret"));
        assert_error(&create(json!({"name": "x", "kind": "wecom"})).await, StatusCode::BAD_REQUEST, "notifications.bad_key", Some("secret"));
        // The server's own networks, by address or by name (the default allows none of them).
        for url in ["http://127.0.0.1:9/x", "http://localhost/x", "http://169.254.169.254/", "http://10.0.0.8/hook", "http://[::1]:8080/x", "http://[::ffff:127.0.0.1]/x"] {
            for kind in ["webhook", "dingtalk", "feishu"] {
                let r = create(json!({"name": "内网", "kind": kind, "config": {"url": url}, "secret": "s"})).await;
                assert_error(&r, StatusCode::BAD_REQUEST, "notifications.private_target", Some("config.url"));
            }
        }
        let r = create(json!({"name": "内网", "kind": "wecom", "config": {"url": "http://127.0.0.1:9/cgi-bin/webhook/send"}, "secret": "abcd-1234-efgh"})).await;
        assert_error(&r, StatusCode::BAD_REQUEST, "notifications.private_target", Some("config.url"));
        let r = admin.patch(&app.ws(&format!("/notification-channels/{existing}")), json!({"config": {"url": "http://169.254.169.254/latest/meta-data"}})).await;
        assert_error(&r, StatusCode::BAD_REQUEST, "notifications.private_target", Some("config.url"));
        let r = admin.patch(&app.ws(&format!("/notification-channels/{existing}")), json!({"config": {"url": "gopher://8.8.8.8/"}})).await;
        assert_error(&r, StatusCode::BAD_REQUEST, "validation.url", Some("config.url"));

        // Rules: another workspace's campaign or channel, an unknown kind.
        let boss = app.login("boss@other.cn").await;
        let (s, theirs) = boss.post(&format!("/api/v1/workspaces/{}/campaigns", app.other_ws.0), json!({"name": "别人的战役", "starts_on": "2026-12-01", "ends_on": "2026-12-31"})).await;
        assert_eq!(s, StatusCode::CREATED, "{theirs}");
        let (s, their_channel) = boss.post(&format!("/api/v1/workspaces/{}/notification-channels", app.other_ws.0), json!({"name": "别人的群", "kind": "wecom", "secret": "their-key-123"})).await;
        assert_eq!(s, StatusCode::CREATED, "{their_channel}");
        let rules = app.ws("/notification-rules");
        let rule = |body: Value| admin.post(&rules, body);
        assert_error(&rule(json!({"channel_id": existing, "kinds": ["mention"], "campaign_ids": [theirs["id"]]})).await, StatusCode::BAD_REQUEST, "notifications.unknown_campaign", Some("campaign_ids.0"));
        assert_error(&rule(json!({"channel_id": their_channel["id"], "kinds": ["mention"]})).await, StatusCode::BAD_REQUEST, "notifications.unknown_channel", Some("channel_id"));
        assert_error(&rule(json!({"channel_id": existing, "kinds": ["mention"], "account_ids": [app.foreign_account]})).await, StatusCode::BAD_REQUEST, "notifications.unknown_account", Some("account_ids.0"));
        assert_error(&rule(json!({"channel_id": existing, "kinds": []})).await, StatusCode::BAD_REQUEST, "validation.required", Some("kinds"));
        assert_error(&rule(json!({"channel_id": existing, "kinds": ["mention", "birthday"]})).await, StatusCode::BAD_REQUEST, "request.unknown_value", Some("kinds[1]"));
        // Filters.
        assert_error(&admin.get(&app.ws("/deliveries?status=lost")).await, StatusCode::BAD_REQUEST, "notifications.unknown_status", Some("status"));
        assert_error(&admin.get(&app.ws("/deliveries?limit=0")).await, StatusCode::BAD_REQUEST, "validation.range", Some("limit"));
        assert_error(&admin.get(&app.ws("/notifications?kind=birthday")).await, StatusCode::BAD_REQUEST, "notifications.unknown_kind", Some("kind"));
        assert_error(&admin.post(&app.ws("/notifications/read"), json!({})).await, StatusCode::BAD_REQUEST, "validation.required", Some("ids"));
        assert_eq!(state_of(&admin, &app).await, before, "nothing was written");
    }

    async fn channel_secrets_are_write_only_and_an_empty_secret_keeps_the_one_stored(app: TestApp) {
        let rx = Receiver::start().await;
        let url = rx.route("/open-apis/bot/v2/hook/team", Provider::Feishu, SECRET, Answer::AsProvider);
        let (base, _) = app.second_server(sending_settings()).await;
        let admin = app.login_on(&base, Role::Admin).await;
        let ch = create_channel(&admin, &app, json!({"name": "飞书运营群", "kind": "feishu", "config": {"url": url}, "secret": format!("  {SECRET}  ")})).await;
        assert!(!ch.to_string().contains(SECRET), "{ch}");
        assert_eq!(ch["secret_set"], true);
        let id = ch["id"].as_i64().unwrap();
        let (_, list) = admin.get(&app.ws("/notification-channels")).await;
        assert!(!list.to_string().contains(SECRET), "{list}");
        assert!(!list.to_string().contains("secret\":"), "no secret field: {list}");
        assert_eq!(list[0]["secret_set"], true);

        let test = app.ws(&format!("/notification-channels/{id}/test"));
        let (s, t) = admin.post(&test, json!({})).await;
        assert_eq!((s, t["ok"].as_bool(), t["status"].as_u64()), (StatusCode::OK, Some(true), Some(200)), "{t}");
        // Kept by "" and by leaving it out.
        let (s, upd) = admin.patch(&app.ws(&format!("/notification-channels/{id}")), json!({"name": "飞书运营群（改名）", "secret": ""})).await;
        assert_eq!((s, upd["secret_set"].as_bool()), (StatusCode::OK, Some(true)), "{upd}");
        assert!(!upd.to_string().contains(SECRET));
        assert_eq!(admin.post(&test, json!({})).await.1["ok"], true);
        let (s, _) = admin.patch(&app.ws(&format!("/notification-channels/{id}")), json!({"enabled": true})).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(admin.post(&test, json!({})).await.1["ok"], true);
        let hits = rx.wait("/open-apis/bot/v2/hook/team", 3, Duration::from_secs(2)).await;
        for h in &hits {
            assert_eq!(h.verified, Ok(()), "signed with the stored secret: {}", h.text());
        }
        assert!(hits[1].json()["card"]["header"]["title"]["content"].as_str().unwrap().contains("飞书运营群（改名）"));
        // Nor does the audit log hold it.
        let (_, log) = admin.get(&app.ws("/events?limit=200")).await;
        assert!(log.to_string().contains("notification_channel.updated"), "{log}");
        assert!(!log.to_string().contains(SECRET), "{log}");
        // A new secret replaces it (the receiver, expecting the old one, refuses).
        admin.patch(&app.ws(&format!("/notification-channels/{id}")), json!({"secret": "a-new-one"})).await;
        let (_, t) = admin.post(&test, json!({})).await;
        assert_eq!(t["ok"], false, "{t}");
    }

    async fn the_channel_test_answers_with_what_the_receiver_said(app: TestApp) {
        let rx = Receiver::start().await;
        let good = rx.route("/feishu/good", Provider::Feishu, "right-secret", Answer::AsProvider);
        let other = rx.route("/feishu/other", Provider::Feishu, "what-the-bot-expects", Answer::AsProvider);
        let busy = rx.route("/hook/busy", Provider::Webhook, "s", Answer::Status500);
        let hook = rx.route("/hook/ok", Provider::Webhook, "whsec-test", Answer::AsProvider);
        let ding = rx.route("/robot/send", Provider::Dingtalk, "ding-secret", Answer::AsProvider);
        let wecom = rx.route("/cgi-bin/webhook/send", Provider::Wecom, "abcd-1234-efgh-5678", Answer::AsProvider);
        let (base, _) = app.second_server(sending_settings()).await;
        let admin = app.login_on(&base, Role::Admin).await;
        let test = |id: i64| {
            let admin = &admin;
            let path = app.ws(&format!("/notification-channels/{id}/test"));
            async move {
                let (s, t) = admin.post(&path, json!({})).await;
                assert_eq!(s, StatusCode::OK, "{t}");
                t
            }
        };
        let id = channel_id(&admin, &app, json!({"name": "飞书", "kind": "feishu", "config": {"url": good}, "secret": "right-secret"})).await;
        let t = test(id).await;
        assert_eq!((t["ok"].as_bool(), t["status"].as_u64()), (Some(true), Some(200)), "{t}");
        assert!(t["answer"].as_str().unwrap().contains("success"), "{t}");
        let hit = &rx.hits("/feishu/good")[0];
        assert_eq!(hit.verified, Ok(()));
        assert_eq!(hit.json()["card"]["header"]["title"]["content"], "KOX 测试消息：飞书");
        assert!(hit.text().contains("https://kox.example.cn/notifications"), "{}", hit.text());

        let id = channel_id(&admin, &app, json!({"name": "飞书（密钥不对）", "kind": "feishu", "config": {"url": other}, "secret": "right-secret"})).await;
        let t = test(id).await;
        assert_eq!((t["ok"].as_bool(), t["status"].as_u64()), (Some(false), Some(200)), "{t}");
        assert!(t["answer"].as_str().unwrap().contains("19021"), "the provider's answer: {t}");
        assert!(rx.hits("/feishu/other")[0].verified.is_err());

        let id = channel_id(&admin, &app, json!({"name": "忙", "kind": "webhook", "config": {"url": busy}, "secret": "s"})).await;
        let t = test(id).await;
        assert_eq!((t["ok"].clone(), t["status"].clone(), t["answer"].clone()), (json!(false), json!(500), json!("upstream busy")), "{t}");

        let id = channel_id(&admin, &app, json!({"name": "Webhook", "kind": "webhook", "config": {"url": hook}, "secret": "whsec-test"})).await;
        let t = test(id).await;
        assert_eq!((t["ok"].as_bool(), t["status"].as_u64(), t["answer"].as_str()), (Some(true), Some(200), Some("received")), "{t}");
        let hit = &rx.hits("/hook/ok")[0];
        assert_eq!(hit.verified, Ok(()));
        assert_eq!(hit.json()["type"], "test");
        assert!(hit.header("idempotency-key").unwrap().starts_with("kox-test-"));
        assert_eq!(hit.header("content-type").as_deref(), Some("application/json; charset=utf-8"));

        let id = channel_id(&admin, &app, json!({"name": "钉钉", "kind": "dingtalk", "config": {"url": format!("{ding}?access_token=x")}, "secret": "ding-secret"})).await;
        assert_eq!(test(id).await["ok"], true);
        let hit = &rx.hits("/robot/send")[0];
        assert_eq!((hit.verified.clone(), hit.query("access_token")), (Ok(()), Some("x".into())));
        let id = channel_id(&admin, &app, json!({"name": "企微", "kind": "wecom", "config": {"url": wecom}, "secret": "abcd-1234-efgh-5678"})).await;
        assert_eq!(test(id).await["ok"], true);
        assert_eq!(rx.hits("/cgi-bin/webhook/send")[0].verified, Ok(()));

        // The default node sends to no private address, even a channel another node saved.
        let plain = app.login_as(Role::Admin).await;
        let (s, t) = plain.post(&app.ws(&format!("/notification-channels/{id}/test")), json!({})).await;
        assert_eq!((s, t["ok"].as_bool(), t["status"].clone()), (StatusCode::OK, Some(false), Value::Null), "{t}");
        assert!(t["answer"].as_str().unwrap().contains("refused"), "{t}");
        assert_eq!(rx.hits("/cgi-bin/webhook/send").len(), 1, "nothing left the default node");
    }

    async fn a_mention_reaches_every_bot_and_the_webhook_signed_with_a_link_back(app: TestApp) {
        let rx = Receiver::start().await;
        let feishu = rx.route("/open-apis/bot/v2/hook/abc", Provider::Feishu, "fs-secret-1", Answer::AsProvider);
        let ding = rx.route("/robot/send", Provider::Dingtalk, "SECdingtalk42", Answer::AsProvider);
        let wecom = rx.route("/cgi-bin/webhook/send", Provider::Wecom, "693a91f6-7xxx-4bc4", Answer::AsProvider);
        let hook = rx.route("/kox/events", Provider::Webhook, "whsec-e2e", Answer::AsProvider);
        let (base, _) = app.worker_server(sending_settings()).await;
        let admin = app.login_on(&base, Role::Admin).await;
        let editor = app.login_on(&base, Role::Editor).await;
        let editor_id = app.user(Role::Editor).0;
        let (s, p) = editor.send(reqwest::Method::PUT, &app.ws(&format!("/notification-preferences/{editor_id}")), Some(prefs(Some("13800138000"), &[]))).await;
        assert_eq!(s, StatusCode::OK, "{p}");
        let channels = [
            channel_id(&admin, &app, json!({"name": "飞书群", "kind": "feishu", "config": {"url": feishu}, "secret": "fs-secret-1"})).await,
            channel_id(&admin, &app, json!({"name": "钉钉群", "kind": "dingtalk", "config": {"url": format!("{ding}?access_token=x")}, "secret": "SECdingtalk42"})).await,
            channel_id(&admin, &app, json!({"name": "企微群", "kind": "wecom", "config": {"url": wecom}, "secret": "693a91f6-7xxx-4bc4"})).await,
            channel_id(&admin, &app, json!({"name": "数据平台", "kind": "webhook", "config": {"url": hook}, "secret": "whsec-e2e"})).await,
        ];
        for c in channels {
            mention_rule(&admin, &app, c).await;
        }
        let item = new_item(&admin, &app, "星河S7 城市通勤 30 天").await;
        comment(&admin, &app, item, "@editor 标题再改改", &[editor_id]).await;
        let wait = Duration::from_secs(10);
        let link = link(item);

        let f = &rx.wait("/open-apis/bot/v2/hook/abc", 1, wait).await[0];
        assert_eq!(f.verified, Ok(()), "{}", f.text());
        let body = f.json();
        assert_eq!(body["msg_type"], "interactive");
        assert!(body["timestamp"].is_string() && body["sign"].is_string(), "{body}");
        assert_eq!(body["card"]["header"]["title"]["content"], "有人@你：《星河S7 城市通勤 30 天》");
        assert_eq!(body["card"]["elements"][1]["actions"][0]["url"], link.as_str(), "{body}");
        let text = body["card"]["elements"][0]["text"]["content"].as_str().unwrap();
        assert!(text.contains("评论：@editor 标题再改改") && text.contains("操作人：admin") && text.ends_with("@editor"), "{text}");

        let d = &rx.wait("/robot/send", 1, wait).await[0];
        assert_eq!(d.verified, Ok(()), "{}", d.raw_query);
        assert_eq!(d.query("access_token").as_deref(), Some("x"));
        let body = d.json();
        assert_eq!(body["msgtype"], "markdown", "an @ by mobile is markdown: {body}");
        assert_eq!(body["at"]["atMobiles"], json!(["13800138000"]));
        assert_eq!(body["at"]["isAtAll"], false);
        let text = body["markdown"]["text"].as_str().unwrap();
        assert!(text.contains("@13800138000") && text.contains(&format!("]({link})")), "{text}");

        let w = &rx.wait("/cgi-bin/webhook/send", 1, wait).await[0];
        assert_eq!(w.verified, Ok(()), "{}", w.raw_query);
        let body = w.json();
        assert_eq!(body["msgtype"], "text", "{body}");
        assert_eq!(body["text"]["mentioned_mobile_list"], json!(["13800138000"]));
        assert!(body["text"]["content"].as_str().unwrap().contains(&link), "{body}");

        let h = &rx.wait("/kox/events", 1, wait).await[0];
        assert_eq!(h.verified, Ok(()), "{:?}", h.headers);
        let event = h.json();
        assert_eq!((event["type"].as_str(), event["entity"].clone(), event["recipients"].clone(), event["workspace_id"].as_i64()),
            (Some("mention"), json!({"type": "content_item", "id": item}), json!([editor_id]), Some(app.ws.0)), "{event}");
        assert_eq!(event["data"]["comment"], "@editor 标题再改改");
        assert_eq!(event["link"].as_str(), Some(link.as_str()), "{event}");

        for (c, path) in channels.into_iter().zip(["/open-apis/bot/v2/hook/abc", "/robot/send", "/cgi-bin/webhook/send", "/kox/events"]) {
            let d = delivery_to(&admin, &app, c, Duration::from_secs(5), sent).await;
            assert_eq!(d["kind"], "mention");
            assert_eq!(d["attempts"].as_array().unwrap().len(), 1, "{d}");
            assert_eq!((d["attempts"][0]["status"].as_str(), d["attempts"][0]["http_status"].as_u64()), (Some("sent"), Some(200)), "{d}");
            assert!(d["next_attempt_at"].is_null(), "{d}");
            assert_eq!(rx.hits(path).len(), 1, "{path} got one request");
            if path == "/kox/events" {
                assert_eq!(h.header("idempotency-key").as_deref(), d["idempotency_key"].as_str(), "{d}");
            }
            let job = job_of(&admin, &app, d["id"].as_i64().unwrap()).await;
            assert_eq!((job["state"].as_str(), job["attempts"].as_u64()), (Some("done"), Some(1)), "{job}");
        }
        // The mentioned member's bell; the author is not told of their own comment.
        assert_eq!(editor.get(&app.ws("/notifications/unread")).await.1["unread"], 1);
        assert_eq!(admin.get(&app.ws("/notifications/unread")).await.1["unread"], 0);
    }

    async fn a_member_who_chose_email_gets_one_message_with_an_encoded_chinese_subject(app: TestApp) {
        let smtp = Smtp::start().await;
        let (base, _) = app.worker_server(sending_settings()).await;
        let admin = app.login_on(&base, Role::Admin).await;
        let editor = app.login_on(&base, Role::Editor).await;
        let (editor_id, operator_id) = (app.user(Role::Editor).0, app.user(Role::Operator).0);
        let (s, p) = editor.send(reqwest::Method::PUT, &app.ws(&format!("/notification-preferences/{editor_id}")), Some(prefs(None, &["mention"]))).await;
        assert_eq!(s, StatusCode::OK, "{p}");
        let ch = channel_id(&admin, &app, json!({"name": "邮件", "kind": "email", "config": {"smtp_host": "127.0.0.1", "smtp_port": smtp.port, "smtp_security": "none", "from": "KOX <kox@example.cn>"}})).await;
        let item = new_item(&admin, &app, "星河S7 城市通勤 30 天").await;
        // The operator kept the default (no e-mail): only the editor's address gets mail.
        comment(&admin, &app, item, "请尽快确认", &[editor_id, operator_id]).await;
        let deadline = Instant::now() + Duration::from_secs(10);
        while smtp.mails().is_empty() {
            assert!(Instant::now() < deadline, "no mail within 10 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let d = delivery_to(&admin, &app, ch, Duration::from_secs(5), sent).await;
        assert_eq!((d["channel_kind"].as_str(), d["target"].as_str(), d["attempts"].as_array().map(Vec::len)), (Some("email"), Some("editor@t.cn"), Some(1)), "{d}");
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mails = smtp.mails();
        assert_eq!(mails.len(), 1, "{mails:?}");
        let m = &mails[0];
        assert_eq!((m.from.as_str(), m.to.clone()), ("kox@example.cn", vec!["editor@t.cn".to_owned()]));
        assert!(mail_header(&m.data, "To").unwrap().contains("editor@t.cn"), "{}", m.data);
        assert!(mail_header(&m.data, "From").unwrap().contains("kox@example.cn"), "{}", m.data);
        let raw = mail_header(&m.data, "Subject").expect("a subject");
        assert!(raw.is_ascii() && raw.to_ascii_lowercase().contains("=?utf-8?"), "RFC 2047 encoded: {raw}");
        let subject = decode_rfc2047(&raw);
        assert!(subject.starts_with("[KOX] "), "{subject}");
        assert_eq!(subject, "[KOX] 有人@你：《星河S7 城市通勤 30 天》");
        let text = mail_text(&m.data);
        assert!(text.contains("评论：请尽快确认") && text.contains(&link(item)), "{text}");
        assert!(d["idempotency_key"].as_str().unwrap().starts_with("kox-"));
    }

    async fn failures_retry_or_fail_for_good_and_a_fixed_channel_sends_on_retry(app: TestApp) {
        let rx = Receiver::start().await;
        let busy = rx.route("/hook/busy", Provider::Webhook, "s", Answer::Status500);
        let refuses = rx.route("/feishu/refuses", Provider::Feishu, "fs", Answer::FeishuSignFail);
        let healthy = rx.route("/feishu/healthy", Provider::Feishu, "fs", Answer::AsProvider);
        let (base, _) = app.worker_server(sending_settings()).await;
        let admin = app.login_on(&base, Role::Admin).await;
        let busy_ch = channel_id(&admin, &app, json!({"name": "忙的接收方", "kind": "webhook", "config": {"url": busy}, "secret": "s"})).await;
        let feishu_ch = channel_id(&admin, &app, json!({"name": "飞书", "kind": "feishu", "config": {"url": refuses}, "secret": "fs"})).await;
        mention_rule(&admin, &app, busy_ch).await;
        mention_rule(&admin, &app, feishu_ch).await;
        let item = new_item(&admin, &app, "失败重试").await;
        let started = chrono::Utc::now();
        comment(&admin, &app, item, "看一下", &[app.user(Role::Editor).0]).await;

        // 500: tried again later, the attempt recorded.
        let d = delivery_to(&admin, &app, busy_ch, Duration::from_secs(10), |d| d["status"] == "retrying").await;
        let attempts = d["attempts"].as_array().unwrap();
        assert_eq!(attempts.len(), 1, "{d}");
        assert_eq!((attempts[0]["status"].as_str(), attempts[0]["http_status"].as_u64(), attempts[0]["answer"].as_str()), (Some("retrying"), Some(500), Some("upstream busy")), "{d}");
        assert!(at(&d["next_attempt_at"]) > chrono::Utc::now(), "{d}");
        assert!(at(&d["next_attempt_at"]) > started + chrono::Duration::seconds(5), "backs off: {d}");
        let job = job_of(&admin, &app, d["id"].as_i64().unwrap()).await;
        assert_eq!((job["state"].as_str(), job["attempts"].as_u64()), (Some("queued"), Some(1)), "{job}");
        assert!(job["last_error"].as_str().unwrap().contains("HTTP 500"), "{job}");
        // A queued delivery is not sent twice at once.
        let r = admin.post(&app.ws(&format!("/deliveries/{}/retry", d["id"])), json!({})).await;
        assert_eq!(r.1["error"]["code"], "jobs.not_retryable", "{}", r.1);
        assert_eq!(admin.get(&app.ws("/deliveries?status=retrying")).await.1.as_array().unwrap().len(), 1);

        // Feishu refuses the signature: failed for good, at once, no retry.
        let d = delivery_to(&admin, &app, feishu_ch, Duration::from_secs(10), |d| d["status"] == "failed").await;
        assert_eq!(d["attempts"].as_array().unwrap().len(), 1, "{d}");
        assert!(d["attempts"][0]["answer"].as_str().unwrap().contains("sign match fail"), "{d}");
        assert!(d["next_attempt_at"].is_null(), "{d}");
        let id = d["id"].as_i64().unwrap();
        let job = job_of(&admin, &app, id).await;
        assert_eq!(job["state"], "dead", "{job}");
        assert!(job["last_error"].as_str().unwrap().contains("19021"), "{job}");
        assert_eq!(admin.get(&app.ws("/deliveries?status=failed")).await.1.as_array().unwrap().len(), 1);
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(rx.hits("/feishu/refuses").len(), 1, "not tried again");

        // Fixed, then sent again.
        let (s, fixed) = admin.patch(&app.ws(&format!("/notification-channels/{feishu_ch}")), json!({"config": {"url": healthy}})).await;
        assert_eq!(s, StatusCode::OK, "{fixed}");
        let (s, again) = admin.post(&app.ws(&format!("/deliveries/{id}/retry")), json!({})).await;
        assert_eq!((s, again["id"].as_i64(), again["channel_name"].as_str()), (StatusCode::OK, Some(id), Some("飞书")), "{again}");
        // Queued again now (the worker may already hold it).
        assert!(["queued", "sending", "sent"].contains(&again["status"].as_str().unwrap()), "{again}");
        let d = delivery_to(&admin, &app, feishu_ch, Duration::from_secs(10), sent).await;
        assert_eq!(d["id"], id);
        let attempts = d["attempts"].as_array().unwrap();
        assert_eq!(attempts.len(), 2, "{d}");
        assert_eq!((attempts[1]["status"].as_str(), attempts[1]["http_status"].as_u64()), (Some("sent"), Some(200)), "{d}");
        let hits = rx.hits("/feishu/healthy");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].verified, Ok(()));
        assert_eq!(job_of(&admin, &app, id).await["state"], "done");
        assert_error(&admin.post(&app.ws("/deliveries/999999/retry"), json!({})).await, StatusCode::NOT_FOUND, "not_found", None);
    }

    async fn a_receiver_that_hangs_or_floods_holds_no_other_delivery_up(app: TestApp) {
        let rx = Receiver::start().await;
        let hang = rx.route("/hook/hang", Provider::Webhook, "s", Answer::Hang);
        let huge = rx.route("/hook/huge", Provider::Webhook, "s", Answer::Huge);
        let ok = rx.route("/hook/ok", Provider::Webhook, "s", Answer::AsProvider);
        let (base, _) = app.worker_server(sending_settings()).await;
        let admin = app.login_on(&base, Role::Admin).await;
        let hang_ch = channel_id(&admin, &app, json!({"name": "不回应", "kind": "webhook", "config": {"url": hang}, "secret": "s"})).await;
        mention_rule(&admin, &app, hang_ch).await;
        let item = new_item(&admin, &app, "卡住的接收方").await;
        let editor = app.user(Role::Editor).0;
        comment(&admin, &app, item, "第一条", &[editor]).await;
        let hung_at = rx.wait("/hook/hang", 1, Duration::from_secs(10)).await[0].at;

        // Queued after it: delivered at once.
        let huge_ch = channel_id(&admin, &app, json!({"name": "10 MB", "kind": "webhook", "config": {"url": huge}, "secret": "s"})).await;
        let ok_ch = channel_id(&admin, &app, json!({"name": "正常", "kind": "webhook", "config": {"url": ok}, "secret": "s"})).await;
        mention_rule(&admin, &app, huge_ch).await;
        mention_rule(&admin, &app, ok_ch).await;
        comment(&admin, &app, item, "第二条", &[editor]).await;
        let got = rx.wait("/hook/ok", 1, Duration::from_secs(5)).await[0].at;
        assert!(got - hung_at < Duration::from_secs(6), "not held up by the hanging receiver");
        delivery_to(&admin, &app, ok_ch, Duration::from_secs(3), sent).await;
        let flooded = delivery_to(&admin, &app, huge_ch, Duration::from_secs(5), sent).await;
        let answer = flooded["attempts"][0]["answer"].as_str().unwrap();
        assert!(answer.chars().count() <= 500 && answer.starts_with("xxx"), "trimmed: {} chars", answer.chars().count());
        assert_eq!(flooded["attempts"][0]["http_status"], 200);
        let hanging = deliveries(&admin, &app).await.into_iter().filter(|d| d["channel_id"] == hang_ch).min_by_key(|d| d["id"].as_i64()).unwrap();
        assert_eq!(hanging["status"], "sending", "{hanging}");

        // The hanging attempt ends by its timeout and is tried again later.
        let d = delivery_to(&admin, &app, hang_ch, Duration::from_secs(14), |d| d["id"] == hanging["id"] && d["status"] == "retrying").await;
        assert!(hung_at.elapsed() < Duration::from_secs(15), "timed out within 15 s: {:?}", hung_at.elapsed());
        let attempt = &d["attempts"][0];
        assert!(attempt["answer"].as_str().unwrap().contains("timed out"), "{d}");
        assert!(attempt["http_status"].is_null(), "{d}");
        assert!(at(&d["next_attempt_at"]) > chrono::Utc::now(), "{d}");
        // Still delivering.
        comment(&admin, &app, item, "第三条", &[editor]).await;
        rx.wait("/hook/ok", 2, Duration::from_secs(5)).await;
    }

    async fn the_bell_counts_mentions_and_only_the_member_s_own_stream_hears_it(app: TestApp) {
        let admin = app.login_as(Role::Admin).await;
        let editor = app.login_as(Role::Editor).await;
        let operator = app.login_as(Role::Operator).await;
        let (editor_id, admin_id) = (app.user(Role::Editor).0, app.user(Role::Admin).0);
        let url = format!("{}{}", app.base, app.ws("/events/stream"));
        let mut editor_stream = open_stream(&editor, &url, None).await;
        let mut operator_stream = open_stream(&operator, &url, None).await;
        let item = new_item(&admin, &app, "铃铛").await;
        assert_eq!(editor.get(&app.ws("/notifications/unread")).await.1["unread"], 0);
        comment(&admin, &app, item, "@editor @admin 看看", &[editor_id, admin_id]).await;

        let (_, n) = editor.get(&app.ws("/notifications/unread")).await;
        assert_eq!(n["unread"], 1, "{n}");
        assert_eq!(admin.get(&app.ws("/notifications/unread")).await.1["unread"], 0, "not told of their own comment");
        assert_eq!(operator.get(&app.ws("/notifications/unread")).await.1["unread"], 0);
        let (_, page) = editor.get(&app.ws("/notifications?unread=true&kind=mention")).await;
        let first = &page["items"][0];
        assert_eq!((first["kind"].as_str(), first["entity_type"].as_str(), first["entity_id"].as_i64(), first["actor_id"].as_i64(), first["actor_name"].as_str(), first["title"].as_str()),
            (Some("mention"), Some("content_item"), Some(item), Some(admin_id), Some("admin"), Some("铃铛")), "{page}");
        assert_eq!(first["data"]["comment"], "@editor @admin 看看");

        let mut buf = String::new();
        let notice = loop {
            let (_, _, ev) = next_event(&mut editor_stream, &mut buf, Duration::from_secs(5)).await.expect("the editor's stream hears the notification");
            if ev["entity_type"] == "notification" {
                break ev;
            }
        };
        assert_eq!((notice["entity_id"].as_i64(), notice["action"].as_str(), notice["after"]["unread"].as_u64()), (Some(editor_id), Some("notification.created"), Some(1)), "{notice}");

        // The operator's stream: the comment, a later one, and no notification in between.
        let marker = comment(&admin, &app, item, "无人被@", &[]).await;
        let mut buf = String::new();
        loop {
            let (_, _, ev) = next_event(&mut operator_stream, &mut buf, Duration::from_secs(5)).await.expect("the operator's stream goes on");
            assert_ne!(ev["entity_type"], "notification", "another member's notification: {ev}");
            if ev["after"]["comment_id"] == marker {
                break;
            }
        }

        let (s, n) = editor.post(&app.ws("/notifications/read"), json!({"all": true})).await;
        assert_eq!((s, n), (StatusCode::OK, json!({"unread": 0})));
        assert_eq!(editor.get(&app.ws("/notifications/unread")).await.1["unread"], 0);
        let mut buf = String::new();
        let read = loop {
            let (_, _, ev) = next_event(&mut editor_stream, &mut buf, Duration::from_secs(5)).await.expect("the editor's other tabs hear the new count");
            if ev["entity_type"] == "notification" {
                break ev;
            }
        };
        assert_eq!((read["action"].as_str(), read["after"]["unread"].as_u64()), (Some("notification.read"), Some(0)), "{read}");
        let (_, page) = editor.get(&app.ws("/notifications")).await;
        assert!(page["items"][0]["read_at"].is_string(), "{page}");
        // Marking one by id.
        comment(&admin, &app, item, "再@一次", &[editor_id]).await;
        let (_, page) = editor.get(&app.ws("/notifications?unread=true")).await;
        let id = page["items"][0]["id"].as_i64().unwrap();
        assert_eq!(editor.post(&app.ws("/notifications/read"), json!({"ids": [id]})).await.1, json!({"unread": 0}));
    }
}

// ---------------------------------------------------------------------------------------------
// Many deliveries: each webhook call arrives once

/// Sends `channels × comments` deliveries through `workers` worker nodes on the test's database
/// and checks that every Idempotency-Key arrived exactly once and every delivery shows sent.
async fn drain(app: &TestApp, workers: usize, channels: usize, comments: usize) {
    let rx = Receiver::start().await;
    let url = rx.route("/many", Provider::Webhook, "whsec-many", Answer::AsProvider);
    let mut nodes = Vec::new();
    for _ in 0..workers {
        let (base, _) = app.worker_server(sending_settings()).await;
        nodes.push(Arc::new(app.login_on(&base, Role::Admin).await));
    }
    let admin = &nodes[0];
    for i in 0..channels {
        let id = channel_id(admin, app, json!({"name": format!("接收方{i}"), "kind": "webhook", "config": {"url": url}, "secret": "whsec-many"})).await;
        mention_rule(admin, app, id).await;
    }
    let mut items = Vec::new();
    for i in 0..10 {
        items.push(new_item(admin, app, &format!("批量{i}")).await);
    }
    let editor = app.user(Role::Editor).0;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..comments {
        let c = nodes[i % nodes.len()].clone();
        let path = app.ws(&format!("/content/{}/comments", items[i % items.len()]));
        tasks.spawn(async move {
            let (s, body) = c
                .post(
                    &path,
                    json!({"body": format!("第{i}条"), "mentions": [editor]}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{body}");
        });
        if tasks.len() >= 10 {
            tasks.join_next().await.unwrap().unwrap();
        }
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap();
    }
    let total = channels * comments;
    let hits = rx.wait("/many", total, Duration::from_secs(20)).await;
    let took = started.elapsed();
    // Anything late would be a duplicate.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(rx.hits("/many").len(), hits.len(), "late duplicates");
    let mut keys: HashMap<String, usize> = HashMap::new();
    for h in &hits {
        assert_eq!(h.verified, Ok(()));
        *keys
            .entry(h.header("idempotency-key").unwrap())
            .or_default() += 1;
    }
    let dupes: Vec<_> = keys.iter().filter(|(_, n)| **n > 1).collect();
    assert!(dupes.is_empty(), "duplicates: {dupes:?}");
    assert_eq!(hits.len(), total);

    // Every delivery is sent, once, and its key is one that arrived.
    let deadline = Instant::now() + Duration::from_secs(10);
    let expected: HashSet<String> = loop {
        let mut all = Vec::new();
        let mut before: Option<i64> = None;
        loop {
            let q = before.map_or_else(
                || "/deliveries?limit=200".to_owned(),
                |b| format!("/deliveries?limit=200&before={b}"),
            );
            let (s, page) = admin.get(&app.ws(&q)).await;
            assert_eq!(s, StatusCode::OK, "{page}");
            let page = page.as_array().unwrap().clone();
            if page.is_empty() {
                break;
            }
            before = page.last().and_then(|d| d["id"].as_i64());
            all.extend(page);
        }
        assert_eq!(all.len(), total);
        if all.iter().all(sent) {
            assert!(
                all.iter()
                    .all(|d| d["attempts"].as_array().unwrap().len() == 1)
            );
            break all
                .iter()
                .map(|d| d["idempotency_key"].as_str().unwrap().to_owned())
                .collect();
        }
        assert!(
            Instant::now() < deadline,
            "not all sent: {:?}",
            all.iter().filter(|d| !sent(d)).take(3).collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let arrived: HashSet<String> = keys.into_keys().collect();
    assert_eq!(arrived, expected, "none missing, none foreign");
    eprintln!("{total} deliveries through {workers} worker(s) in {took:?}");
}

mod many_deliveries_each_arrive_once {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres_two_servers_share_the_queue() {
        let app = TestApp::spawn(Engine::Postgres).await;
        drain(&app, 2, 20, 50).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite_one_server() {
        let app = TestApp::spawn(Engine::Sqlite).await;
        drain(&app, 1, 10, 20).await;
    }
}
