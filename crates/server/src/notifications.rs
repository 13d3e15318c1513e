//! Sending notifications out: group bots (Feishu/Lark, WeCom, DingTalk) and webhooks over
//! HTTP(S), e-mail over SMTP. Every call has a connect and a total timeout and reads at most
//! `MAX_ANSWER` bytes of the answer; no redirect is followed; an address that resolves to the
//! server's own networks is refused (checked on the addresses the connection will use) unless
//! the installation sets `allow_private_targets`. What each provider receives is built in
//! `kox_domain::notifications::providers`.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use kox_domain::jobs::Outcome;
use kox_domain::notifications::{
    Channel, ChannelKind, ChannelTest, Message, SmtpSecurity, providers, targets,
};
use kox_store::notifications::Outgoing;

/// Time to connect, and for the whole call.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// The most of an answer that is read (a receiver that sends 10 MB is not read to the end).
const MAX_ANSWER: usize = 16 * 1024;

/// What one attempt got: the outcome, the HTTP status, the answer (trimmed) or the error.
#[derive(Debug, Clone)]
pub struct Sent {
    pub outcome: Outcome,
    pub http_status: Option<u16>,
    pub answer: String,
}

impl Sent {
    fn refused(reason: impl Into<String>) -> Sent {
        let r = reason.into();
        Sent {
            outcome: Outcome::Fail(r.clone()),
            http_status: None,
            answer: r,
        }
    }
}

/// Resolves names for outbound calls and keeps only public addresses (see `targets`).
struct GuardedResolver {
    allow_private: bool,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| allow_private || targets::is_public(a.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(format!("{host} resolves to no public address (refused)").into());
            }
            let it: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(it)
        })
    }
}

/// The outbound side of notifications: one HTTP client (kept-alive connections), the
/// installation's address rule and public URL.
#[derive(Clone)]
pub struct Sender {
    http: reqwest::Client,
    allow_private: bool,
    public_url: Option<String>,
}

impl Sender {
    pub fn new(allow_private: bool, public_url: Option<String>) -> Sender {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(CALL_TIMEOUT)
            .user_agent(concat!("KOX/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(GuardedResolver { allow_private }))
            .pool_max_idle_per_host(64)
            .build()
            .unwrap_or_default();
        Sender {
            http,
            allow_private,
            public_url: public_url.map(|u| u.trim_end_matches('/').to_owned()),
        }
    }

    /// The link back into KOX for what a message is about; none without a public URL.
    fn link(&self, entity: Option<&(String, i64)>) -> Option<String> {
        let base = self.public_url.as_deref()?;
        Some(match entity {
            Some((t, id)) if t == "content_item" => format!("{base}/content?item={id}"),
            _ => format!("{base}/notifications"),
        })
    }

    /// An IP written in the address is checked here (the resolver sees only names).
    fn literal_refused(&self, url: &str) -> Option<String> {
        if self.allow_private {
            return None;
        }
        let (host, _) = targets::host_port(url)?;
        let ip: IpAddr = host.parse().ok()?;
        (!targets::is_public(ip)).then(|| format!("{ip} is a private or local address (refused)"))
    }

    /// One attempt of a delivery.
    pub async fn send(&self, out: &Outgoing, now: DateTime<Utc>) -> Sent {
        let Some(channel) = &out.channel else {
            return Sent::refused("the channel was deleted");
        };
        if !channel.enabled {
            return Sent::refused("the channel is turned off");
        }
        let mut msg = out.message.clone();
        msg.link = self.link(out.entity.as_ref());
        match channel.kind {
            ChannelKind::Email => {
                let to: Vec<String> = match &out.delivery.target {
                    Some(t) => vec![t.clone()],
                    None => channel.config.to.clone(),
                };
                self.email(channel, out.secret.as_deref(), &to, &msg).await
            }
            ChannelKind::Webhook => {
                // The receiver gets the link back into KOX too (when the public URL is set).
                let mut event = out.event.clone();
                if let (Some(obj), Some(link)) = (event.as_object_mut(), msg.link.as_ref()) {
                    obj.insert("link".into(), serde_json::Value::String(link.clone()));
                }
                let body = providers::webhook_body(&event);
                self.webhook(
                    channel,
                    out.secret.as_deref(),
                    &out.delivery.idempotency_key,
                    body,
                    now,
                )
                .await
            }
            _ => self.bot(channel, out.secret.as_deref(), &msg, now).await,
        }
    }

    /// A channel's 发送测试: a test message now, and the provider's answer.
    pub async fn test(
        &self,
        channel: &Channel,
        secret: Option<&str>,
        to: Option<&str>,
    ) -> ChannelTest {
        let mut msg = Message {
            kind: Some(kox_domain::notifications::NotificationKind::Test),
            title: format!("KOX 测试消息：{}", channel.name),
            lines: vec!["这是一条测试消息：这个通知渠道工作正常。".into()],
            ..Message::default()
        };
        msg.link = self.link(None);
        let now = Utc::now();
        let sent = match channel.kind {
            ChannelKind::Email => {
                let mut list = channel.config.to.clone();
                list.extend(to.map(str::to_owned));
                self.email(channel, secret, &list, &msg).await
            }
            ChannelKind::Webhook => {
                let event = serde_json::json!({
                    "type": "test", "title": msg.title, "channel": channel.name, "created_at": now,
                });
                let key = format!("kox-test-{}-{}", channel.id, now.timestamp_millis());
                self.webhook(channel, secret, &key, providers::webhook_body(&event), now)
                    .await
            }
            _ => self.bot(channel, secret, &msg, now).await,
        };
        ChannelTest {
            ok: sent.outcome == Outcome::Done,
            status: sent.http_status,
            answer: sent.answer,
        }
    }

    async fn bot(
        &self,
        channel: &Channel,
        secret: Option<&str>,
        msg: &Message,
        now: DateTime<Utc>,
    ) -> Sent {
        let secret = secret.unwrap_or("");
        let (url, body) = match channel.kind {
            ChannelKind::Feishu => {
                let ts = now.timestamp();
                let signed = (!secret.is_empty()).then(|| (ts, providers::feishu_sign(ts, secret)));
                (
                    channel.config.url.clone().unwrap_or_default(),
                    providers::feishu_body(msg, signed),
                )
            }
            ChannelKind::Dingtalk => {
                let url = channel.config.url.clone().unwrap_or_default();
                let url = if secret.is_empty() {
                    url
                } else {
                    providers::dingtalk_url(&url, secret, now.timestamp_millis())
                };
                (url, providers::dingtalk_body(msg))
            }
            ChannelKind::Wecom => {
                let url = match channel.config.url.as_deref() {
                    Some(base) => providers::wecom_url_at(base, secret),
                    None => providers::wecom_url(secret),
                };
                (url, providers::wecom_body(msg))
            }
            ChannelKind::Webhook | ChannelKind::Email => {
                return Sent::refused("not a group bot");
            }
        };
        let body = serde_json::to_vec(&body).unwrap_or_default();
        self.post(channel.kind, &url, body, Vec::new()).await
    }

    async fn webhook(
        &self,
        channel: &Channel,
        secret: Option<&str>,
        key: &str,
        body: Vec<u8>,
        now: DateTime<Utc>,
    ) -> Sent {
        let url = channel.config.url.clone().unwrap_or_default();
        let signature = providers::webhook_signature(secret.unwrap_or(""), now.timestamp(), &body);
        let headers = vec![
            ("X-KOX-Signature", signature),
            ("Idempotency-Key", key.to_owned()),
        ];
        self.post(ChannelKind::Webhook, &url, body, headers).await
    }

    async fn post(
        &self,
        kind: ChannelKind,
        url: &str,
        body: Vec<u8>,
        headers: Vec<(&str, String)>,
    ) -> Sent {
        if let Some(r) = self.literal_refused(url) {
            return Sent::refused(r);
        }
        let mut req = self
            .http
            .post(url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/json; charset=utf-8",
            )
            .body(body);
        for (k, v) in headers {
            req = req.header(k, v);
        }
        let mut resp = match req.send().await {
            Ok(r) => r,
            Err(e) => {
                let reason = describe(&e);
                // A refused address cannot succeed on retry; a timeout or a reset may.
                let outcome = if reason.contains("(refused)") {
                    Outcome::Fail(reason.clone())
                } else {
                    Outcome::Retry(reason.clone())
                };
                return Sent {
                    outcome,
                    http_status: None,
                    answer: reason,
                };
            }
        };
        let status = resp.status().as_u16();
        let mut answer: Vec<u8> = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(c)) => {
                    let room = MAX_ANSWER.saturating_sub(answer.len());
                    answer.extend_from_slice(&c[..c.len().min(room)]);
                    if answer.len() >= MAX_ANSWER {
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    if answer.is_empty()
                        && (200..300).contains(&status)
                        && kind == ChannelKind::Webhook
                    {
                        break;
                    }
                    if answer.is_empty() {
                        return Sent {
                            outcome: Outcome::Retry(describe(&e)),
                            http_status: Some(status),
                            answer: describe(&e),
                        };
                    }
                    break;
                }
            }
        }
        let text = String::from_utf8_lossy(&answer).into_owned();
        Sent {
            outcome: providers::read_answer(kind, status, &text),
            http_status: Some(status),
            answer: kox_domain::notifications::trimmed_answer(&text),
        }
    }

    async fn email(
        &self,
        channel: &Channel,
        secret: Option<&str>,
        to: &[String],
        msg: &Message,
    ) -> Sent {
        use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
        if to.is_empty() {
            return Sent::refused("no recipient: the channel lists no addresses");
        }
        let c = &channel.config;
        let host = c.smtp_host.clone().unwrap_or_default();
        let port = c.smtp_port.unwrap_or(587);
        if !self.allow_private {
            match tokio::net::lookup_host((host.as_str(), port)).await {
                Ok(addrs) => {
                    let addrs: Vec<SocketAddr> = addrs.collect();
                    if addrs.is_empty() || addrs.iter().any(|a| !targets::is_public(a.ip())) {
                        return Sent::refused(format!(
                            "{host} is a private or local address (refused)"
                        ));
                    }
                }
                Err(e) => {
                    return Sent {
                        outcome: Outcome::Retry(format!("cannot resolve {host}: {e}")),
                        http_status: None,
                        answer: format!("cannot resolve {host}: {e}"),
                    };
                }
            }
        }
        let from = match c
            .from
            .as_deref()
            .unwrap_or("")
            .parse::<lettre::message::Mailbox>()
        {
            Ok(m) => m,
            Err(e) => return Sent::refused(format!("sender: {e}")),
        };
        let mut builder = lettre::Message::builder()
            .from(from)
            .subject(providers::email_subject(msg));
        for t in to {
            match t.parse::<lettre::message::Mailbox>() {
                Ok(m) => builder = builder.to(m),
                Err(e) => return Sent::refused(format!("{t}: {e}")),
            }
        }
        let email = match builder
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(providers::email_text(msg))
        {
            Ok(m) => m,
            Err(e) => return Sent::refused(format!("the message: {e}")),
        };
        let transport = match c.smtp_security.unwrap_or_default() {
            SmtpSecurity::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
                &host,
            )),
            SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&host),
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&host),
        };
        let mut transport = match transport {
            Ok(t) => t.port(port).timeout(Some(CALL_TIMEOUT)),
            Err(e) => return Sent::refused(format!("SMTP: {e}")),
        };
        if let (Some(user), Some(pass)) = (c.smtp_user.clone(), secret.filter(|s| !s.is_empty())) {
            transport = transport.credentials(
                lettre::transport::smtp::authentication::Credentials::new(user, pass.to_owned()),
            );
        }
        let transport = transport.build();
        match tokio::time::timeout(CALL_TIMEOUT, transport.send(email)).await {
            Ok(Ok(r)) => Sent {
                outcome: Outcome::Done,
                http_status: None,
                answer: kox_domain::notifications::trimmed_answer(
                    &r.message().collect::<Vec<_>>().join(" "),
                ),
            },
            Ok(Err(e)) => {
                let reason = format!("SMTP: {e}");
                let outcome = if e.is_permanent() {
                    Outcome::Fail(reason.clone())
                } else {
                    Outcome::Retry(reason.clone())
                };
                Sent {
                    outcome,
                    http_status: None,
                    answer: kox_domain::notifications::trimmed_answer(&reason),
                }
            }
            Err(_) => Sent {
                outcome: Outcome::Retry("SMTP: timed out".into()),
                http_status: None,
                answer: "SMTP: timed out".into(),
            },
        }
    }
}

/// An error of an outbound call in a line (with the cause: a refused address, a timeout).
fn describe(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut s = if e.is_timeout() {
        "timed out".to_owned()
    } else if e.is_connect() {
        "cannot connect".to_owned()
    } else {
        "request failed".to_owned()
    };
    let mut source = e.source();
    while let Some(inner) = source {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        source = inner.source();
    }
    kox_domain::notifications::trimmed_answer(&s)
}
