//! The test application: a migrated database with one member per role in workspace "测试品牌",
//! a second workspace "别的品牌" with its own admin and account, and the server on 127.0.0.1:0.

use std::sync::LazyLock;

use kox_domain::access::{Group, Role};
use kox_domain::accounts::{AccountDraft, Ownership, Tier};
use kox_domain::{UserId, WorkspaceId};
use kox_store::members::NewMember;
use kox_store::testing::TestDb;
use kox_store::{Caller, Engine, Store};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const PASSWORD: &str = "correct-horse-9";
static HASH: LazyLock<String> =
    LazyLock::new(|| kox_server::hash_password(PASSWORD).expect("hashes"));

/// Runs each test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! db_tests {
    ($(async fn $name:ident($app:ident: TestApp) $body:block)*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn run($app: TestApp) $body
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() { run($crate::harness::TestApp::spawn(kox_store::Engine::Sqlite).await).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() { run($crate::harness::TestApp::spawn(kox_store::Engine::Postgres).await).await }
        }
    )*};
}

pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub ws: WorkspaceId,
    pub other_ws: WorkspaceId,
    /// An account in the other workspace: its id must look missing from ours.
    pub foreign_account: i64,
    pub users: Vec<(Role, UserId)>,
    db: TestDb,
}

pub fn email(role: Role) -> String {
    format!("{}@t.cn", role.as_str())
}

impl TestApp {
    pub async fn spawn(engine: Engine) -> TestApp {
        let (store, db) = TestDb::store(engine).await;
        let sys = Caller::system();
        let ws = store
            .create_workspace(&sys, "测试品牌", "Asia/Shanghai")
            .await
            .unwrap()
            .id;
        let mut users = Vec::new();
        for role in Role::ALL {
            let m = store
                .add_member(
                    &sys,
                    ws,
                    NewMember {
                        email: &email(role),
                        name: role.as_str(),
                        role,
                        group: Group::Strategy,
                        password_hash: Some(HASH.clone()),
                    },
                )
                .await
                .unwrap();
            users.push((role, m.user_id));
        }
        let other_ws = store
            .create_workspace(&sys, "别的品牌", "Asia/Shanghai")
            .await
            .unwrap()
            .id;
        store
            .add_member(
                &sys,
                other_ws,
                NewMember {
                    email: "boss@other.cn",
                    name: "别人",
                    role: Role::Admin,
                    group: Group::Strategy,
                    password_hash: Some(HASH.clone()),
                },
            )
            .await
            .unwrap();
        let foreign = store
            .create_account(&sys, other_ws, draft("other_brand_kol"))
            .await
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = kox_server::AppState::new(store.clone(), kox_server::Settings::default());
        tokio::spawn(kox_server::serve(listener, state, std::future::pending()));
        TestApp {
            base,
            store,
            ws,
            other_ws,
            foreign_account: foreign.id.0,
            users,
            db,
        }
    }

    /// A second `kox serve` on this test's database (its own store and caches, listening for
    /// the other node's changes on PostgreSQL), with `settings`; returns its base URL and store.
    pub async fn second_server(
        &self,
        settings: kox_server::Settings,
    ) -> (String, kox_store::Store) {
        let (base, state) = self.spawn_node(settings).await;
        (base, state.store)
    }

    /// A second server (as `second_server`) that also runs the job worker, as `kox serve`
    /// does (the harness's own server runs none): it sends the deliveries of every node.
    pub async fn worker_server(
        &self,
        settings: kox_server::Settings,
    ) -> (String, kox_store::Store) {
        let (base, state) = self.spawn_node(settings).await;
        tokio::spawn(kox_server::jobs::run(state.clone()));
        (base, state.store)
    }

    async fn spawn_node(&self, settings: kox_server::Settings) -> (String, kox_server::AppState) {
        let store = kox_store::Store::connect(&self.db_url()).await.unwrap();
        store.listen_for_changes();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = kox_server::AppState::new(store, settings);
        tokio::spawn(kox_server::serve(
            listener,
            state.clone(),
            std::future::pending(),
        ));
        (base, state)
    }

    /// The database URL, for a second server on the same database.
    pub fn db_url(&self) -> String {
        self.db.url.clone()
    }

    pub fn user(&self, role: Role) -> UserId {
        self.users
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, u)| *u)
            .unwrap()
    }

    /// A path inside the test workspace.
    pub fn ws(&self, rest: &str) -> String {
        format!("/api/v1/workspaces/{}{rest}", self.ws.0)
    }

    pub fn anonymous(&self) -> Client {
        Client {
            base: self.base.clone(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .unwrap(),
            csrf: None,
        }
    }

    pub async fn login(&self, email: &str) -> Client {
        let mut c = self.anonymous();
        let (status, body) = c
            .post(
                "/api/v1/auth/login",
                json!({"email": email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "login {email}: {body}");
        c.csrf = body["csrf_token"].as_str().map(str::to_owned);
        c
    }

    pub async fn login_as(&self, role: Role) -> Client {
        self.login(&email(role)).await
    }

    /// Signs `role`'s member in on another server of this test's database (`second_server`,
    /// `worker_server`), whose base URL the client then uses.
    pub async fn login_on(&self, base: &str, role: Role) -> Client {
        let mut c = self.anonymous();
        c.base = base.to_owned();
        let (status, body) = c
            .post(
                "/api/v1/auth/login",
                json!({"email": email(role), "password": PASSWORD}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "login {role:?} on {base}: {body}");
        c.csrf = body["csrf_token"].as_str().map(str::to_owned);
        c
    }

    /// An account owned by the operator, created directly in the store.
    pub async fn operator_account(&self, handle: &str) -> i64 {
        let mut d = draft(handle);
        d.owner_ids = vec![self.user(Role::Operator)];
        self.store
            .create_account(&Caller::system(), self.ws, d)
            .await
            .unwrap()
            .id
            .0
    }

    pub async fn event_count(&self) -> usize {
        self.store
            .list_events(
                self.ws,
                &kox_store::EventQuery {
                    limit: 200,
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .len()
    }
}

pub fn draft(handle: &str) -> AccountDraft {
    AccountDraft {
        tier: Tier::Koc,
        platform: "xiaohongshu".into(),
        handle: handle.into(),
        display_name: "小雨妈妈的车生活".into(),
        profile_url: None,
        persona: "二胎宝妈".into(),
        ownership: Ownership::Partner,
        status: kox_domain::accounts::AccountStatus::default(),
        followers: 12_800,
        tags: vec!["宝妈".into()],
        owner_ids: vec![],
        custom: serde_json::Map::default(),
    }
}

pub fn account_body(handle: &str) -> Value {
    json!({"tier": "KOC", "platform": "xiaohongshu", "handle": handle, "display_name": "通勤日记", "ownership": "partner", "followers": 8450, "tags": ["通勤"]})
}

pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    pub csrf: Option<String>,
}

impl Client {
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(c) = &self.csrf {
            req = req.header("x-csrf-token", c);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }
    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, Some(body)).await
    }
    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::PATCH, path, Some(body)).await
    }
    /// POSTs raw bytes (a file upload).
    pub async fn upload(&self, path: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/octet-stream")
            .body(bytes);
        if let Some(c) = &self.csrf {
            req = req.header("x-csrf-token", c);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }
    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::DELETE, path, None).await
    }
    /// GETs a file (an export): its status, headers and bytes.
    pub async fn download(&self, path: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
        let res = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        (status, headers, res.bytes().await.unwrap().to_vec())
    }
}

/// Follows an import until its commit ends; its last state.
pub async fn finished(c: &Client, path: &str) -> Value {
    for _ in 0..200 {
        let (s, imp) = c.get(path).await;
        assert_eq!(s, StatusCode::OK, "{imp}");
        if imp["status"] != "committing" {
            return imp;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import did not finish");
}

/// Asserts an error response: status, code and (if given) field.
#[track_caller]
pub fn assert_error(
    res: &(StatusCode, Value),
    status: StatusCode,
    code: &str,
    field: Option<&str>,
) {
    assert_eq!(res.0, status, "{}", res.1);
    assert_eq!(res.1["error"]["code"], code, "{}", res.1);
    if let Some(f) = field {
        assert_eq!(res.1["error"]["field"], f, "{}", res.1);
    }
    assert!(
        res.1["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{}",
        res.1
    );
}
