//! The durable job queue survives a killed server, on the `kox` binary as it runs in
//! production: a webhook delivery claimed by a server that is then SIGKILLed mid-request is
//! taken over by a second server once the (short) lease runs out, sent again with the same
//! `Idempotency-Key`, and recorded as sent — on SQLite and, when a local PostgreSQL lets the
//! test create a database, on PostgreSQL.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const LEASE_SECONDS: u64 = 3;

// ---------------------------------------------------------------------------------------------
// The installation: a data dir, a database and the `kox` processes on it

/// A database for one test, removed again on drop (also when the test fails).
struct Install {
    dir: PathBuf,
    url: String,
    /// The PostgreSQL database to drop, and the admin URL to drop it through.
    pg: Option<(String, String)>,
}

fn unique(prefix: &str) -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{prefix}_{}_{}", std::process::id(), t % 1_000_000_000)
}

impl Install {
    fn sqlite() -> Install {
        let dir = std::env::temp_dir().join(unique("kox_jobs_sqlite"));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("kox.db").display());
        Install { dir, url, pg: None }
    }

    /// A fresh database on the local PostgreSQL (`KOX_TEST_PG_URL`, default the `test`
    /// database of postgres@127.0.0.1:5432), or `None` when none can be created here.
    fn postgres() -> Option<Install> {
        let admin = std::env::var("KOX_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let name = unique("kox_jobs_pg");
        let created = Command::new("psql")
            .args([admin.as_str(), "-v", "ON_ERROR_STOP=1", "-qc"])
            .arg(format!("CREATE DATABASE {name}"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output();
        match created {
            Ok(o) if o.status.success() => {}
            Ok(o) => {
                eprintln!(
                    "skipping PostgreSQL: cannot create a database through {admin}: {}",
                    String::from_utf8_lossy(&o.stderr).trim()
                );
                return None;
            }
            Err(e) => {
                eprintln!("skipping PostgreSQL: cannot run psql: {e}");
                return None;
            }
        }
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        let dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir).unwrap();
        Some(Install {
            url: format!("{base}/{name}"),
            dir,
            pg: Some((name, admin)),
        })
    }

    /// `kox` with this installation's environment and nothing inherited from the caller's.
    fn kox(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_kox"));
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("KOX_") {
                c.env_remove(k);
            }
        }
        c.current_dir(&self.dir)
            .env("KOX_DATA_DIR", &self.dir)
            .env("KOX_DATABASE_URL", &self.url)
            .env("KOX_ALLOW_PRIVATE_TARGETS", "1")
            .env("KOX_JOB_LEASE_SECONDS", LEASE_SECONDS.to_string())
            .env("KOX_LOG", "warn")
            .stdin(Stdio::null());
        c
    }

    /// Runs a `kox` command to its end.
    fn run(&self, args: &[&str]) -> Output {
        self.kox().args(args).output().expect("kox runs")
    }

    /// Runs a `kox` command that must succeed and returns its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "kox {args:?} failed ({}): {}",
            o.status,
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }

    /// `kox serve` on a free port; its log goes to `<dir>/<name>.log`.
    fn serve(&self, name: &str) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let log = self.dir.join(format!("{name}.log"));
        let child = self
            .kox()
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("kox serve starts");
        Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        }
    }
}

impl Drop for Install {
    fn drop(&mut self) {
        if let Some((name, admin)) = &self.pg {
            let _ = Command::new("psql")
                .args([admin.as_str(), "-qc"])
                .arg(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        if std::thread::panicking() {
            eprintln!("the servers' logs are kept in {}", self.dir.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A running `kox serve`, SIGKILLed when dropped (also when the test fails).
struct Server {
    child: Child,
    base: String,
    log: PathBuf,
}

impl Server {
    fn kill(&mut self) {
        // `Child::kill` is SIGKILL: no shutdown, no lease given back.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn log(&self) -> String {
        read_log(&self.log)
    }

    async fn wait_healthy(&mut self, http: &reqwest::Client) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "kox serve exited ({status}) before answering:\n{}",
                    self.log()
                );
            }
            if let Ok(r) = http.get(format!("{}/healthz", self.base)).send().await
                && r.status().is_success()
            {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "kox serve never answered /healthz:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn read_log(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The webhook receiver: hangs in phase 1, answers 200 in phase 2

#[derive(Debug, Clone)]
struct Hit {
    /// Whether it came while the receiver answered (phase 2).
    answered: bool,
    key: Option<String>,
    at: Instant,
}

#[derive(Clone, Default)]
struct Receiver {
    answering: Arc<AtomicBool>,
    hits: Arc<Mutex<Vec<Hit>>>,
}

impl Receiver {
    async fn start() -> (Receiver, String) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/kox/events", listener.local_addr().unwrap());
        let rx = Receiver::default();
        let r = rx.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(r.clone().handle(stream));
            }
        });
        (rx, url)
    }

    async fn handle(self, mut stream: TcpStream) {
        let Some(key) = read_request(&mut stream).await else {
            return;
        };
        let answered = self.answering.load(Ordering::SeqCst);
        self.hits.lock().unwrap().push(Hit {
            answered,
            key,
            at: Instant::now(),
        });
        if answered {
            let body = r#"{"ok":true}"#;
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes()).await;
            let _ = stream.shutdown().await;
        } else {
            // Never answers: holds the connection until the sender goes away.
            let mut sink = [0u8; 1024];
            while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
        }
    }

    fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }

    async fn wait_for(&self, n: usize, within: Duration, what: impl Fn() -> String) -> Vec<Hit> {
        let deadline = Instant::now() + within;
        loop {
            let hits = self.hits();
            if hits.len() >= n {
                return hits;
            }
            assert!(
                Instant::now() < deadline,
                "the receiver got {} of {n} requests within {within:?}:\n{}",
                hits.len(),
                what()
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

/// Reads one HTTP/1.1 request (head and Content-Length body); its `Idempotency-Key`.
async fn read_request(stream: &mut TcpStream) -> Option<Option<String>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    };
    let length: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(header("idempotency-key"))
}

// ---------------------------------------------------------------------------------------------
// The API, with a bearer token

struct Api<'a> {
    http: &'a reqwest::Client,
    base: String,
    token: &'a str,
}

impl Api<'_> {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self
            .http
            .request(method.clone(), format!("{}/api/v1{path}", self.base))
            .bearer_auth(self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = r.status();
        let v: Value = r.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "{method} {path}: {status} {v}");
        v
    }

    async fn get(&self, path: &str) -> Value {
        self.call(reqwest::Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }
}

// ---------------------------------------------------------------------------------------------
// The test

async fn a_delivery_outlives_the_server_that_claimed_it(install: &Install) {
    let started = Instant::now();
    // 1. The demo workspace and tokens for its admin, director and editor.
    install.ok(&["demo"]);
    let token = |email: &str| {
        let out = install.ok(&["token", "create", "--email", email, "--name", "t"]);
        out.trim().to_owned()
    };
    let (admin_token, director_token) = (token("admin@kox.demo"), token("director@kox.demo"));
    assert!(!admin_token.is_empty() && !director_token.is_empty());

    // An unknown job is refused by name.
    let o = install.run(&["jobs", "retry", "999999"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && stderr.contains("no job 999999"),
        "kox jobs retry 999999: {} {stderr}",
        o.status
    );

    // 2. The receiver, hanging for now.
    let (rx, hook) = Receiver::start().await;

    // 3. The first server: a webhook channel and a rule for mentions, then a mention.
    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut first = install.serve("first");
    first.wait_healthy(&http).await;
    let api = |server: &Server, token| Api {
        http: &http,
        base: server.base.clone(),
        token,
    };
    let admin = api(&first, &admin_token);
    let me = admin.get("/me").await;
    let ws = me["workspaces"][0]["id"].as_i64().expect("a workspace");
    let w = |p: &str| format!("/workspaces/{ws}{p}");
    let channel = admin
        .post(
            &w("/notification-channels"),
            json!({"name": "数据平台", "kind": "webhook", "config": {"url": hook}, "secret": "whsec-kill"}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    admin
        .post(
            &w("/notification-rules"),
            json!({"channel_id": channel, "kinds": ["mention"]}),
        )
        .await;
    let members = admin.get(&w("/members")).await;
    let editor = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "editor@kox.demo")
        .and_then(|m| m["user_id"].as_i64())
        .unwrap_or_else(|| panic!("no editor among {members}"));
    let board = admin.get(&w("/content/board?limit=5")).await;
    let item = board["columns"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["items"].as_array().cloned().unwrap_or_default())
        .find_map(|i| i["id"].as_i64())
        .unwrap_or_else(|| panic!("no item on the board: {board}"));
    api(&first, &director_token)
        .post(
            &w(&format!("/content/{item}/comments")),
            json!({"body": "@陈思雨 标题再改改", "mentions": [editor]}),
        )
        .await;

    // 4. The first server sends and the receiver hangs: the job is leased to this process,
    // which is killed mid-request.
    let phase1 = rx
        .wait_for(1, Duration::from_secs(10), || first.log())
        .await;
    first.kill();
    rx.answering.store(true, Ordering::SeqCst);
    let killed_at = Instant::now();
    let first_try = phase1[0].clone();
    let key = first_try
        .key
        .clone()
        .expect("the webhook carries an Idempotency-Key");
    assert!(!first_try.answered);

    // 5–6. A second server on the same database takes the job over when its lease runs out.
    let mut second = install.serve("second");
    second.wait_healthy(&http).await;
    let admin = api(&second, &admin_token);
    let hits = rx
        .wait_for(2, Duration::from_secs(LEASE_SECONDS + 8), || second.log())
        .await;
    let second_try = hits[1].clone();
    assert!(second_try.answered, "{hits:?}");
    assert_eq!(
        second_try.key.as_deref(),
        Some(key.as_str()),
        "the second attempt carries the first one's Idempotency-Key"
    );
    let after = second_try.at - first_try.at;
    assert!(
        after >= Duration::from_millis(LEASE_SECONDS * 1000 - 500),
        "sent again after {after:?}, before the {LEASE_SECONDS} s lease ran out"
    );
    assert!(
        after <= Duration::from_secs(LEASE_SECONDS + 6),
        "sent again only after {after:?}"
    );

    // The delivery is sent, with the one attempt that got an answer.
    let deadline = Instant::now() + Duration::from_secs(5);
    let delivery = loop {
        let list = admin.get(&w("/deliveries?limit=50")).await;
        let d = list
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["channel_id"] == channel)
            .cloned()
            .unwrap_or_else(|| panic!("no delivery to the channel: {list}"));
        if d["status"] == "sent" {
            break d;
        }
        assert!(Instant::now() < deadline, "the delivery is not sent: {d}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(
        delivery["idempotency_key"].as_str(),
        Some(key.as_str()),
        "{delivery}"
    );
    let attempts = delivery["attempts"].as_array().unwrap();
    assert_eq!(
        (attempts.len(), attempts[0]["http_status"].as_u64()),
        (1, Some(200)),
        "{delivery}"
    );

    // The job is done on its second attempt, as the API and `kox jobs list` show.
    let job_key = format!("deliver:{}", delivery["id"]);
    let jobs = admin.get(&w("/jobs?state=done&limit=200")).await;
    let job = jobs
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["idempotency_key"] == job_key.as_str())
        .cloned()
        .unwrap_or_else(|| panic!("no done job {job_key}: {jobs}"));
    assert_eq!(job["attempts"].as_u64(), Some(2), "{job}");
    let listed = install.ok(&["jobs", "list", "--state", "done", "--limit", "200"]);
    let line = listed
        .lines()
        .find(|l| l.split_whitespace().any(|w| w == job_key))
        .unwrap_or_else(|| panic!("{job_key} is not listed as done:\n{listed}"));
    let cols: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        (cols[0], cols[1], cols[3].split('/').next()),
        (job["id"].to_string().as_str(), "done", Some("2")),
        "{line}"
    );

    // Exactly once in each phase: nothing more arrives (a retry would come within a second).
    tokio::time::sleep(Duration::from_millis(800)).await;
    let hits = rx.hits();
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert_eq!(
        hits.iter().filter(|h| h.answered).count(),
        1,
        "delivered once after the restart: {hits:?}"
    );
    assert!(hits.iter().all(|h| h.key.as_deref() == Some(key.as_str())));
    second.kill();
    eprintln!(
        "{}: redelivered {:?} after the first attempt ({:?} after the kill); test took {:?}",
        install.url,
        after,
        second_try.at - killed_at,
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_loses_no_delivery_on_sqlite() {
    let install = Install::sqlite();
    a_delivery_outlives_the_server_that_claimed_it(&install).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_loses_no_delivery_on_postgres() {
    let Some(install) = Install::postgres() else {
        return;
    };
    a_delivery_outlives_the_server_that_claimed_it(&install).await;
}
