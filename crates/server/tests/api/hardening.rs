//! What a probe of the running server found (issue: hardening), each kept closed by a test.

use kox_domain::access::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::content::open_stream;
use crate::db_tests;
use crate::harness::{PASSWORD, TestApp, assert_error};

db_tests! {
    async fn numbers_at_the_edges_of_a_query_are_a_400_naming_the_field(app: TestApp) {
        let c = app.login_as(Role::Admin).await;
        let too_big = "9223372036854775808"; // 2^63: past what the databases take
        for path in [
            format!("/accounts?offset={too_big}"),
            format!("/campaigns?offset={too_big}"),
            format!("/content/board?stage=topic&offset={too_big}"),
            "/accounts?offset=-1".to_owned(),
            "/accounts?offset=1e3".to_owned(),
        ] {
            assert_error(&c.get(&app.ws(&path)).await, StatusCode::BAD_REQUEST, "validation.range", Some("offset"));
        }
        for path in ["/accounts?limit=0", "/accounts?limit=201", "/campaigns?limit=99999999999999999999", "/content/board?limit=2001", "/content/board?limit=0"] {
            assert_error(&c.get(&app.ws(path)).await, StatusCode::BAD_REQUEST, "validation.range", Some("limit"));
        }
        for path in ["/events?limit=0", "/events?limit=201"] {
            assert_error(&c.get(&app.ws(path)).await, StatusCode::BAD_REQUEST, "validation.range", Some("limit"));
        }
        // The largest offset the databases take is an empty page, not an error.
        let max = i64::MAX;
        for path in [format!("/accounts?offset={max}"), format!("/campaigns?offset={max}"), format!("/content/board?stage=topic&offset={max}")] {
            let (s, body) = c.get(&app.ws(&path)).await;
            assert_eq!(s, StatusCode::OK, "{path}: {body}");
        }
        for id in ["-1", too_big, "abc"] {
            assert_error(
                &c.get(&app.ws(&format!("/events/stream?last_event_id={id}"))).await,
                StatusCode::BAD_REQUEST,
                "validation.range",
                Some("last_event_id"),
            );
        }
    }
}

/// Reads a stream until it ends; false if it is still open after `wait`.
async fn ends_within(res: &mut reqwest::Response, wait: std::time::Duration) -> bool {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, res.chunk()).await {
            Ok(Ok(Some(_))) => {}
            Ok(Ok(None) | Err(_)) => return true,
            Err(_) => return false,
        }
    }
}

db_tests! {
    async fn a_live_stream_ends_with_its_session_its_token_and_a_password_change(app: TestApp) {
        let wait = std::time::Duration::from_secs(8);
        let url = format!("{}{}", app.base, app.ws("/events/stream"));
        // Signing out ends the session's stream.
        let editor = app.login_as(Role::Editor).await;
        let mut res = open_stream(&editor, &url, None).await;
        assert!(!ends_within(&mut res, std::time::Duration::from_millis(300)).await, "open while signed in");
        assert_eq!(editor.post("/api/v1/auth/logout", json!({})).await.0, StatusCode::NO_CONTENT);
        assert!(ends_within(&mut res, wait).await, "the stream ended after sign-out");
        // Revoking a token ends the token's stream.
        let op = app.login_as(Role::Operator).await;
        let (_, created) = op.post("/api/v1/me/tokens", json!({"name": "大屏"})).await;
        let token = created["token"].as_str().unwrap().to_owned();
        let mut res = reqwest::Client::new().get(&url).bearer_auth(&token).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(op.delete(&format!("/api/v1/me/tokens/{}", created["id"])).await.0, StatusCode::NO_CONTENT);
        assert!(ends_within(&mut res, wait).await, "the stream ended after revocation");
        // A password change ends the other sessions' streams and the tokens' streams.
        let (_, created) = op.post("/api/v1/me/tokens", json!({"name": "脚本"})).await;
        let token = created["token"].as_str().unwrap().to_owned();
        let elsewhere = app.login_as(Role::Operator).await;
        let mut by_session = open_stream(&elsewhere, &url, None).await;
        let mut by_token = reqwest::Client::new().get(&url).bearer_auth(&token).send().await.unwrap();
        let r = op.post("/api/v1/me/password", json!({"current_password": PASSWORD, "new_password": "brand-new-pass-2"})).await;
        assert!(r.0.is_success(), "{}", r.1);
        assert!(ends_within(&mut by_session, wait).await, "the other session's stream ended");
        assert!(ends_within(&mut by_token, wait).await, "the token's stream ended");
        let after = reqwest::Client::new().get(format!("{}/api/v1/me", app.base)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(after.status(), StatusCode::UNAUTHORIZED, "a password change ends the user's tokens");
    }

    async fn a_token_cannot_mint_tokens(app: TestApp) {
        let op = app.login_as(Role::Operator).await;
        let (_, created) = op.post("/api/v1/me/tokens", json!({"name": "脚本"})).await;
        let token = created["token"].as_str().unwrap().to_owned();
        let res = reqwest::Client::new()
            .post(format!("{}/api/v1/me/tokens", app.base))
            .bearer_auth(&token)
            .json(&json!({"name": "子令牌"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let (_, list) = op.get("/api/v1/me/tokens").await;
        assert_eq!(list.as_array().unwrap().len(), 1, "nothing was created: {list}");
    }

    async fn client_addresses_in_activity_and_histories_are_for_admins_only(app: TestApp) {
        let account = app.operator_account("xinghe_ip").await;
        let op = app.login_as(Role::Operator).await;
        let (s, item) = op.post(&app.ws("/content"), json!({"title": "IP 测试", "stage": "draft", "account_id": account})).await;
        assert_eq!(s, StatusCode::CREATED, "{item}");
        let history = app.ws(&format!("/content/{}/history", item["id"]));
        let activity = app.ws(&format!("/events?entity_type=content_item&entity_id={}", item["id"]));
        for role in Role::ALL {
            let c = app.login_as(role).await;
            let (s, h) = c.get(&history).await;
            assert_eq!(s, StatusCode::OK, "{role:?}: {h}");
            let (s, a) = c.get(&activity).await;
            assert_eq!(s, StatusCode::OK, "{role:?}: {a}");
            let (h_ip, a_ip) = (&h[0]["ip"], &a["items"][0]["ip"]);
            if role == Role::Admin {
                assert_eq!((h_ip.as_str(), a_ip.as_str()), (Some("127.0.0.1"), Some("127.0.0.1")), "{role:?}");
            } else {
                assert!(h_ip.is_null() && a_ip.is_null(), "{role:?} sees {h_ip} / {a_ip}");
            }
        }
    }
}

db_tests! {
    async fn a_burst_of_wrong_passwords_gets_at_most_the_limit_of_answers(app: TestApp) {
        let attempts = (0..40).map(|_| {
            let c = app.anonymous();
            async move { c.post("/api/v1/auth/login", json!({"email": "viewer@t.cn", "password": "wrong-password-1"})).await.0 }
        });
        let codes = futures_util::future::join_all(attempts).await;
        let checked = codes.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
        let limited = codes.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
        assert_eq!((checked, limited), (5, 35), "{codes:?}");
    }
}

db_tests! {
    async fn refusals_carry_the_error_body_and_api_answers_are_not_cached(app: TestApp) {
        let c = app.login_as(Role::Admin).await;
        let http = &c.http;
        // A JSON body must say it is JSON, and be an object.
        let res = http
            .post(format!("{}/api/v1/auth/login", app.base))
            .header("content-type", "text/plain")
            .body(format!(r#"{{"email":"admin@t.cn","password":"{PASSWORD}"}}"#))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "request.unsupported_media_type");
        let id = app.operator_account("xinghe_arr").await;
        let r = c.send(reqwest::Method::PATCH, &app.ws(&format!("/accounts/{id}")), Some(json!([null, null]))).await;
        assert_error(&r, StatusCode::BAD_REQUEST, "request.wrong_type", None);
        assert_eq!(c.get(&app.ws(&format!("/accounts/{id}"))).await.1["version"], 1, "nothing changed");
        // A method the path does not have: 405 with the error body, its Allow and the headers.
        let res = http.delete(format!("{}/api/v1/auth/login", app.base)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert!(res.headers().contains_key("allow"));
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "request.method_not_allowed");
        // API answers are not for caches; the UI gets a policy with no inline script.
        let res = http.get(format!("{}{}", app.base, app.ws("/accounts"))).send().await.unwrap();
        assert_eq!(res.headers()["cache-control"], "no-store");
        let res = http.get(format!("{}/", app.base)).send().await.unwrap();
        let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-eval") && !csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    }
}

/// Sends `request` on a fresh connection and reads the whole answer (the server closes it).
async fn raw_exchange(base: &str, request: &[u8]) -> (String, serde_json::Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut tcp = tokio::net::TcpStream::connect(base.trim_start_matches("http://"))
        .await
        .unwrap();
    tcp.write_all(request).await.unwrap();
    let mut out = Vec::new();
    tcp.read_to_end(&mut out).await.unwrap();
    let out = String::from_utf8(out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    let json = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {out}"));
    (head.to_ascii_lowercase(), json)
}

db_tests! {
    async fn requests_too_large_for_http_itself_get_the_error_body_and_headers(app: TestApp) {
        // A URI over 64 KiB (414), more headers than HTTP is read with (431), a request line
        // that is not HTTP (400): answered below the router, in the API's shape all the same.
        let long = format!("GET /api/v1/accounts?q={} HTTP/1.1\r\nhost: kox\r\n\r\n", "x".repeat(70_000));
        let many = (0..120).fold(String::new(), |mut h, i| {
            use std::fmt::Write as _;
            let _ = write!(h, "x-h{i}: {i}\r\n");
            h
        });
        let many = format!("GET /healthz HTTP/1.1\r\nhost: kox\r\n{many}\r\n");
        for (request, status, code) in [
            (long.as_bytes(), "414", "request.uri_too_long"),
            (many.as_bytes(), "431", "request.headers_too_large"),
            (b"NOT HTTP AT ALL\r\n\r\n".as_slice(), "400", "request.unreadable"),
        ] {
            let (head, body) = raw_exchange(&app.base, request).await;
            assert!(head.starts_with(&format!("http/1.1 {status} ")), "{head}");
            assert!(head.contains("content-type: application/json"), "{head}");
            assert!(head.contains("x-content-type-options: nosniff"), "{head}");
            assert!(head.contains("cache-control: no-store"), "{head}");
            assert_eq!(body["error"]["code"], code, "{body}");
        }
        // The connection next to it is served as usual.
        let (s, _) = app.login_as(Role::Admin).await.get(&app.ws("/accounts")).await;
        assert_eq!(s, StatusCode::OK);
    }
}

db_tests! {
    async fn handles_and_names_are_what_they_look_like(app: TestApp) {
        let c = app.login_as(Role::Director).await;
        let body = |handle: &str, name: &str| json!({"tier": "KOC", "platform": "xiaohongshu", "handle": handle, "display_name": name, "ownership": "partner", "followers": 1});
        let (s, first) = c.post(&app.ws("/accounts"), body("xinghe_lily", "星河莉莉")).await;
        assert_eq!(s, StatusCode::CREATED, "{first}");
        // Fullwidth letters, another case, a zero-width space or a bidi override: the same handle or refused.
        for look_alike in ["ＸＩＮＧＨＥ_lily", "XINGHE_Lily", " xinghe_lily "] {
            assert_error(&c.post(&app.ws("/accounts"), body(look_alike, "另一个")).await, StatusCode::CONFLICT, "accounts.handle_taken", Some("handle"));
        }
        for hidden in ["xinghe\u{200b}_lily", "\u{202e}ylil_ehgnix", "xinghe_lily\u{feff}"] {
            assert_error(&c.post(&app.ws("/accounts"), body(hidden, "另一个")).await, StatusCode::BAD_REQUEST, "validation.invisible_chars", Some("handle"));
        }
        assert_error(&c.post(&app.ws("/accounts"), body("xinghe_dy", "星河\u{200b}官方")).await, StatusCode::BAD_REQUEST, "validation.invisible_chars", Some("display_name"));
        // Renaming another account onto a look-alike is refused too; the account itself may change case.
        let (_, second) = c.post(&app.ws("/accounts"), body("xinghe_dy", "星河抖音")).await;
        let r = c.patch(&app.ws(&format!("/accounts/{}", second["id"])), json!({"version": 1, "handle": "Xinghe_LILY"})).await;
        assert_error(&r, StatusCode::CONFLICT, "accounts.handle_taken", Some("handle"));
        let r = c.patch(&app.ws(&format!("/accounts/{}", first["id"])), json!({"version": 1, "handle": "XingHe_Lily"})).await;
        assert_eq!(r.0, StatusCode::OK, "{}", r.1);
        // The fullwidth form is stored as people read it.
        let (_, third) = c.post(&app.ws("/accounts"), body("ＸＩＮＧＨＥ_ks", "星河快手")).await;
        assert_eq!(third["handle"], "XINGHE_ks");
        // A title or a member name may carry emoji joined with ZWJ, not hidden characters.
        let planner = app.login_as(Role::Planner).await;
        assert_eq!(planner.post(&app.ws("/content"), json!({"title": "一家人出游 👨\u{200d}👩\u{200d}👧"})).await.0, StatusCode::CREATED);
        assert_error(&planner.post(&app.ws("/content"), json!({"title": "最\u{200b}强"})).await, StatusCode::BAD_REQUEST, "validation.invisible_chars", Some("title"));
    }
}

db_tests! {
    async fn a_user_keeps_at_most_ten_streams_and_a_new_one_ends_the_oldest(app: TestApp) {
        let viewer = app.login_as(Role::Viewer).await;
        let url = format!("{}{}", app.base, app.ws("/events/stream"));
        let mut streams = Vec::new();
        for _ in 0..10 {
            streams.push(open_stream(&viewer, &url, None).await);
        }
        let mut newest = open_stream(&viewer, &url, None).await;
        assert!(ends_within(&mut streams[0], std::time::Duration::from_secs(3)).await, "the oldest stream ended");
        for s in &mut streams[1..] {
            assert!(!ends_within(s, std::time::Duration::from_millis(100)).await, "the others stay open");
        }
        // Another user's streams are not counted against this one; and the open ones still carry events.
        let planner = app.login_as(Role::Planner).await;
        let mut buf = String::new();
        let (_, created) = planner.post(&app.ws("/content"), json!({"title": "十一个窗口"})).await;
        let (_, _, data) = crate::content::next_event(&mut newest, &mut buf, std::time::Duration::from_secs(3)).await.expect("an event");
        assert_eq!(data["entity_id"], created["id"]);
        let mut buf = String::new();
        let (_, _, data) = crate::content::next_event(&mut streams[9], &mut buf, std::time::Duration::from_secs(3)).await.expect("an event");
        assert_eq!(data["entity_id"], created["id"]);
    }
}

/// Two `kox serve` on one PostgreSQL: signing out through one ends the stream open on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_on_one_server_ends_the_stream_on_another_on_postgres() {
    let a = TestApp::spawn(kox_store::Engine::Postgres).await;
    let (b_base, _) = a.second_server(kox_server::Settings::default()).await;
    // One session, used through both servers (the cookie is the same credential).
    let on_a = a.login_as(Role::Editor).await;
    let mut on_b = crate::harness::Client {
        base: b_base.clone(),
        http: on_a.http.clone(),
        csrf: on_a.csrf.clone(),
    };
    let mut res = open_stream(&on_b, &format!("{b_base}{}", a.ws("/events/stream")), None).await;
    assert!(!ends_within(&mut res, std::time::Duration::from_millis(300)).await);
    on_b.base = a.base.clone();
    assert_eq!(
        on_b.post("/api/v1/auth/logout", json!({})).await.0,
        StatusCode::NO_CONTENT
    );
    assert!(
        ends_within(&mut res, std::time::Duration::from_secs(8)).await,
        "B's stream ended after signing out on A"
    );
}

db_tests! {
    async fn x_forwarded_proto_counts_only_from_a_trusted_proxy_and_the_origin_check_compares_the_scheme(app: TestApp) {
        let login = json!({"email": "editor@t.cn", "password": PASSWORD});
        let host = app.base.trim_start_matches("http://").to_owned();
        let http = reqwest::Client::new();
        // Not a trusted proxy: the header is the client's own claim and changes nothing.
        let res = http.post(format!("{}/api/v1/auth/login", app.base)).header("x-forwarded-proto", "https").json(&login).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers().get_all("set-cookie").iter().all(|c| !c.to_str().unwrap().contains("Secure")));
        let refused = http.post(format!("{}/api/v1/auth/login", app.base)).header("origin", format!("https://{host}")).header("x-forwarded-proto", "https").json(&login).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "an https Origin for a plain-HTTP server");
        let same = http.post(format!("{}/api/v1/auth/login", app.base)).header("origin", format!("http://{host}")).json(&login).send().await.unwrap();
        assert_eq!(same.status(), StatusCode::OK);
        // Behind a proxy named in trusted_proxies, its X-Forwarded-Proto is believed.
        let settings = kox_server::Settings { trusted_proxies: vec![std::net::IpAddr::from([127, 0, 0, 1])], ..Default::default() };
        let (proxied, _) = app.second_server(settings).await;
        let phost = proxied.trim_start_matches("http://").to_owned();
        let res = http.post(format!("{proxied}/api/v1/auth/login")).header("x-forwarded-proto", "https").header("origin", format!("https://{phost}")).json(&login).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers().get_all("set-cookie").iter().all(|c| c.to_str().unwrap().contains("Secure")));
        let res = http.post(format!("{proxied}/api/v1/auth/login")).header("x-forwarded-proto", "https").header("origin", format!("http://{phost}")).json(&login).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "an http Origin for a TLS front");
    }
}
