use kox_domain::access::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::db_tests;
use crate::harness::{PASSWORD, TestApp, assert_error};

db_tests! {
    async fn signing_in_sets_an_http_only_session_cookie_and_returns_the_capabilities(app: TestApp) {
        let c = app.anonymous();
        let res = c.http.post(format!("{}/api/v1/auth/login", app.base)).json(&json!({"email": "OPERATOR@t.cn", "password": PASSWORD})).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let cookies: Vec<String> = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
        let session = cookies.iter().find(|c| c.starts_with("kox_session=")).expect("session cookie");
        assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"), "{session}");
        let csrf = cookies.iter().find(|c| c.starts_with("kox_csrf=")).expect("csrf cookie");
        assert!(!csrf.contains("HttpOnly"));
        let me: serde_json::Value = res.json().await.unwrap();
        assert_eq!(me["user"]["email"], "operator@t.cn");
        assert_eq!(me["workspaces"][0]["role"], "operator");
        assert_eq!(
            me["workspaces"][0]["capabilities"],
            json!(["accounts.create", "accounts.write_own", "content.write_own", "content.publish_own", "content.comment", "metrics.write_own"])
        );
    }

    async fn a_wrong_password_and_an_unknown_email_get_the_same_answer_and_are_audited(app: TestApp) {
        let c = app.anonymous();
        let wrong = c.post("/api/v1/auth/login", json!({"email": "viewer@t.cn", "password": "nope-nope-nope"})).await;
        let unknown = c.post("/api/v1/auth/login", json!({"email": "ghost@t.cn", "password": "nope-nope-nope"})).await;
        assert_error(&wrong, StatusCode::UNAUTHORIZED, "auth.invalid_credentials", None);
        assert_eq!(wrong.1, unknown.1);
        let admin = app.login_as(Role::Admin).await;
        let (_, log) = admin.get(&app.ws("/events?action=auth.login_failed")).await;
        assert_eq!(log["items"].as_array().unwrap().len(), 1, "only the member's failure shows in this workspace: {log}");
        assert_eq!(log["items"][0]["after"]["email"], "viewer@t.cn");
    }

    async fn after_five_failed_sign_ins_an_account_is_rate_limited_even_with_the_right_password(app: TestApp) {
        let c = app.anonymous();
        for _ in 0..5 {
            let r = c.post("/api/v1/auth/login", json!({"email": "editor@t.cn", "password": "wrong-password"})).await;
            assert_eq!(r.0, StatusCode::UNAUTHORIZED);
        }
        let r = c.post("/api/v1/auth/login", json!({"email": "editor@t.cn", "password": PASSWORD})).await;
        assert_error(&r, StatusCode::TOO_MANY_REQUESTS, "auth.rate_limited", None);
        // Other accounts from the same address are not locked out by it.
        app.login_as(Role::Planner).await;
    }

    async fn a_cookie_request_that_changes_state_without_the_csrf_header_is_refused_and_writes_nothing(app: TestApp) {
        let mut c = app.login_as(Role::Director).await;
        let token = c.csrf.take();
        let before = app.event_count().await;
        let r = c.post(&app.ws("/campaigns"), json!({"name": "x", "starts_on": "2026-12-01", "ends_on": "2026-12-02"})).await;
        assert_error(&r, StatusCode::BAD_REQUEST, "auth.csrf", None);
        c.csrf = Some("forged".into());
        let r = c.post(&app.ws("/campaigns"), json!({"name": "x", "starts_on": "2026-12-01", "ends_on": "2026-12-02"})).await;
        assert_error(&r, StatusCode::BAD_REQUEST, "auth.csrf", None);
        assert_eq!(app.event_count().await, before);
        c.csrf = token;
        let r = c.post(&app.ws("/campaigns"), json!({"name": "x", "starts_on": "2026-12-01", "ends_on": "2026-12-02"})).await;
        assert_eq!(r.0, StatusCode::CREATED, "{}", r.1);
    }

    async fn a_cross_origin_state_change_is_refused(app: TestApp) {
        let c = app.login_as(Role::Director).await;
        let res = c.http.post(format!("{}{}", app.base, app.ws("/campaigns")))
            .header("origin", "https://evil.example")
            .header("x-csrf-token", c.csrf.clone().unwrap())
            .json(&json!({"name": "x", "starts_on": "2026-12-01", "ends_on": "2026-12-02"}))
            .send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "auth.cross_origin");
    }

    async fn signing_out_ends_the_session(app: TestApp) {
        let c = app.login_as(Role::Analyst).await;
        assert_eq!(c.get("/api/v1/me").await.0, StatusCode::OK);
        assert_eq!(c.post("/api/v1/auth/logout", json!({})).await.0, StatusCode::NO_CONTENT);
        assert_error(&c.get("/api/v1/me").await, StatusCode::UNAUTHORIZED, "auth.required", None);
    }

    async fn a_user_lists_their_sessions_and_revokes_another_one(app: TestApp) {
        let laptop = app.login_as(Role::Media).await;
        let phone = app.login_as(Role::Media).await;
        let (s, list) = laptop.get("/api/v1/me/sessions").await;
        assert_eq!(s, StatusCode::OK);
        let list = list.as_array().unwrap().clone();
        assert_eq!(list.len(), 2);
        let other = list.iter().find(|x| x["current"] == false).unwrap()["id"].as_i64().unwrap();
        assert_eq!(laptop.delete(&format!("/api/v1/me/sessions/{other}")).await.0, StatusCode::NO_CONTENT);
        assert_eq!(phone.get("/api/v1/me").await.0, StatusCode::UNAUTHORIZED);
        assert_eq!(laptop.get("/api/v1/me").await.0, StatusCode::OK);
        // Someone else's session id looks missing.
        let viewer = app.login_as(Role::Viewer).await;
        let mine = laptop.get("/api/v1/me/sessions").await.1[0]["id"].as_i64().unwrap();
        assert_error(&viewer.delete(&format!("/api/v1/me/sessions/{mine}")).await, StatusCode::NOT_FOUND, "not_found", None);
    }

    async fn an_api_token_carries_its_users_permissions_until_revoked(app: TestApp) {
        let op = app.login_as(Role::Operator).await;
        let (s, created) = op.post("/api/v1/me/tokens", json!({"name": "数据脚本"})).await;
        assert_eq!(s, StatusCode::CREATED, "{created}");
        let token = created["token"].as_str().unwrap().to_owned();
        assert!(token.starts_with("kox_"));
        let http = reqwest::Client::new();
        let get = |p: String| http.get(format!("{}{p}", app.base)).bearer_auth(&token).send();
        assert_eq!(get(app.ws("/accounts")).await.unwrap().status(), StatusCode::OK);
        // No CSRF header is needed with a token, and the operator's limits still apply.
        let res = http.post(format!("{}{}", app.base, app.ws("/campaigns"))).bearer_auth(&token)
            .json(&json!({"name": "x", "starts_on": "2026-12-01", "ends_on": "2026-12-02"})).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let (_, list) = op.get("/api/v1/me/tokens").await;
        assert_eq!(list[0]["name"], "数据脚本");
        assert!(list[0].get("token").is_none(), "the secret is shown only once");
        let id = created["id"].as_i64().unwrap();
        assert_eq!(op.delete(&format!("/api/v1/me/tokens/{id}")).await.0, StatusCode::NO_CONTENT);
        assert_eq!(get(app.ws("/accounts")).await.unwrap().status(), StatusCode::UNAUTHORIZED);
        let admin = app.login_as(Role::Admin).await;
        let (_, log) = admin.get(&app.ws("/events?action=token.created")).await;
        assert_eq!(log["items"].as_array().unwrap().len(), 1);
    }

    async fn the_language_is_remembered_per_user(app: TestApp) {
        let c = app.login_as(Role::Planner).await;
        let (s, me) = c.patch("/api/v1/me", json!({"locale": "en-US"})).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(me["user"]["locale"], "en-US");
        let again = app.login_as(Role::Planner).await;
        assert_eq!(again.get("/api/v1/me").await.1["user"]["locale"], "en-US");
        assert_error(&c.patch("/api/v1/me", json!({"locale": "fr-FR"})).await, StatusCode::BAD_REQUEST, "validation.locale", Some("locale"));
        assert_eq!(app.login_as(Role::Editor).await.get("/api/v1/me").await.1["user"]["locale"], "zh-CN");
    }

    async fn every_api_endpoint_refuses_callers_who_are_not_signed_in(app: TestApp) {
        let c = app.anonymous();
        for path in ["/api/v1/me", "/api/v1/me/sessions", "/api/v1/me/tokens"] {
            assert_error(&c.get(path).await, StatusCode::UNAUTHORIZED, "auth.required", None);
        }
        for rest in ["", "/accounts", "/accounts/overview", "/campaigns", "/members", "/custom-fields", "/events", "/platforms"] {
            assert_error(&c.get(&app.ws(rest)).await, StatusCode::UNAUTHORIZED, "auth.required", None);
        }
        assert_error(&c.post(&app.ws("/accounts"), crate::harness::account_body("anon")).await, StatusCode::UNAUTHORIZED, "auth.required", None);
        let bogus = reqwest::Client::new().get(format!("{}/api/v1/me", app.base)).bearer_auth("kox_not-a-token").send().await.unwrap();
        assert_eq!(bogus.status(), StatusCode::UNAUTHORIZED);
    }

    async fn health_is_public_and_unknown_api_paths_are_json_404s(app: TestApp) {
        let c = app.anonymous();
        let (s, body) = c.get("/healthz").await;
        assert_eq!((s, body), (StatusCode::OK, serde_json::Value::String("ok".into())));
        assert_error(&c.get("/api/v1/nothing-here").await, StatusCode::NOT_FOUND, "not_found", None);
        let page = c.http.get(format!("{}/accounts", app.base)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        assert_eq!(page.headers()["cache-control"], "no-cache");
    }
}

db_tests! {
    async fn changing_the_password_keeps_this_session_and_ends_the_others(app: TestApp) {
        let here = app.login_as(Role::Editor).await;
        let elsewhere = app.login_as(Role::Editor).await;
        let r = here.post("/api/v1/me/password", json!({"current_password": "wrong-one-1", "new_password": "brand-new-pass"})).await;
        assert_error(&r, StatusCode::BAD_REQUEST, "auth.wrong_password", Some("current_password"));
        let r = here.post("/api/v1/me/password", json!({"current_password": PASSWORD, "new_password": "short"})).await;
        assert_error(&r, StatusCode::BAD_REQUEST, "validation.password_too_short", Some("new_password"));
        // Nothing changed so far: the old password still works.
        app.login_as(Role::Editor).await;
        let r = here.post("/api/v1/me/password", json!({"current_password": PASSWORD, "new_password": "brand-new-pass"})).await;
        assert_eq!(r.0, StatusCode::NO_CONTENT, "{}", r.1);
        assert_eq!(here.get("/api/v1/me").await.0, StatusCode::OK);
        assert_eq!(elsewhere.get("/api/v1/me").await.0, StatusCode::UNAUTHORIZED);
        let old = app.anonymous().post("/api/v1/auth/login", json!({"email": "editor@t.cn", "password": PASSWORD})).await;
        assert_error(&old, StatusCode::UNAUTHORIZED, "auth.invalid_credentials", None);
        let new = app.anonymous().post("/api/v1/auth/login", json!({"email": "editor@t.cn", "password": "brand-new-pass"})).await;
        assert_eq!(new.0, StatusCode::OK);
        let admin = app.login_as(Role::Admin).await;
        let (_, log) = admin.get(&app.ws("/events?action=user.password_changed")).await;
        assert_eq!(log["items"][0]["after"]["sessions_ended"], 2, "{log}");
        let anon = app.anonymous().post("/api/v1/me/password", json!({"current_password": "x", "new_password": "yyyyyyyy"})).await;
        assert_error(&anon, StatusCode::UNAUTHORIZED, "auth.required", None);
    }
}
