use kox_domain::access::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::db_tests;
use crate::harness::{TestApp, account_body, assert_error};

async fn count_accounts(app: &TestApp) -> u64 {
    app.store
        .list_accounts(
            app.ws,
            &kox_store::accounts::AccountFilter {
                status: None,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .total
}

db_tests! {
    async fn a_director_creates_an_account_and_sees_it_in_the_list(app: TestApp) {
        let c = app.login_as(Role::Director).await;
        let mut body = account_body(" commute_diary ");
        body["owner_ids"] = json!([app.user(Role::Operator).0]);
        body["profile_url"] = json!("https://www.xiaohongshu.com/user/profile/5f1a");
        let (s, a) = c.post(&app.ws("/accounts"), body).await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        assert_eq!(a["handle"], "commute_diary");
        assert_eq!(a["status"], "active");
        assert_eq!(a["version"], 1);
        let (s, list) = c.get(&app.ws("/accounts")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["id"], a["id"]);
        assert_eq!(list["items"][0]["owner_ids"], json!([app.user(Role::Operator).0]));
        let (_, feed) = c.get(&app.ws(&format!("/events?entity_type=account&entity_id={}", a["id"]))).await;
        assert_eq!(feed["items"][0]["action"], "account.created");
        assert_eq!(feed["items"][0]["actor_name"], "director");
    }

    async fn only_admins_directors_and_operators_may_create_accounts(app: TestApp) {
        for role in Role::ALL {
            let c = app.login_as(role).await;
            let r = c.post(&app.ws("/accounts"), account_body(&format!("by_{}", role.as_str()))).await;
            let expected = if matches!(role, Role::Admin | Role::Director | Role::Operator) { StatusCode::CREATED } else { StatusCode::FORBIDDEN };
            assert_eq!(r.0, expected, "{role:?}: {}", r.1);
            // Every member may read the matrix.
            assert_eq!(c.get(&app.ws("/accounts")).await.0, StatusCode::OK, "{role:?}");
            assert_eq!(c.get(&app.ws("/accounts/overview")).await.0, StatusCode::OK, "{role:?}");
        }
    }

    async fn an_operator_owns_what_they_create_and_edits_only_their_own_accounts(app: TestApp) {
        let op = app.login_as(Role::Operator).await;
        let (_, mine) = op.post(&app.ws("/accounts"), account_body("op_new")).await;
        assert_eq!(mine["owner_ids"], json!([app.user(Role::Operator).0]));
        let r = op.patch(&app.ws(&format!("/accounts/{}", mine["id"])), json!({"version": 1, "followers": 9000})).await;
        assert_eq!(r.0, StatusCode::OK, "{}", r.1);
        let director = app.login_as(Role::Director).await;
        let (_, theirs) = director.post(&app.ws("/accounts"), account_body("someone_elses")).await;
        let before = app.event_count().await;
        let r = op.patch(&app.ws(&format!("/accounts/{}", theirs["id"])), json!({"version": 1, "followers": 1})).await;
        assert_error(&r, StatusCode::FORBIDDEN, "auth.forbidden", None);
        assert_eq!(app.event_count().await, before);
        assert_eq!(director.get(&app.ws(&format!("/accounts/{}", theirs["id"]))).await.1["followers"], 8450);
        for role in [Role::Editor, Role::Planner, Role::Analyst, Role::Media, Role::Viewer] {
            let c = app.login_as(role).await;
            let r = c.patch(&app.ws(&format!("/accounts/{}", mine["id"])), json!({"version": 2, "followers": 1})).await;
            assert_error(&r, StatusCode::FORBIDDEN, "auth.forbidden", None);
        }
    }

    async fn archiving_hides_an_account_until_asked_for_and_restoring_brings_it_back(app: TestApp) {
        let c = app.login_as(Role::Admin).await;
        let id = app.operator_account("to_archive").await;
        let r = c.patch(&app.ws(&format!("/accounts/{id}")), json!({"version": 1, "status": "archived"})).await;
        assert_eq!(r.1["status"], "archived");
        assert_eq!(c.get(&app.ws("/accounts")).await.1["total"], 0);
        assert_eq!(c.get(&app.ws("/accounts?status=archived")).await.1["total"], 1);
        assert_eq!(c.get(&app.ws("/accounts/overview")).await.1["totals"]["accounts"], 0);
        c.patch(&app.ws(&format!("/accounts/{id}")), json!({"version": 2, "status": "active"})).await;
        assert_eq!(c.get(&app.ws("/accounts")).await.1["total"], 1);
        let (_, feed) = c.get(&app.ws(&format!("/events?entity_type=account&entity_id={id}"))).await;
        let actions: Vec<&str> = feed["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["account.restored", "account.archived", "account.created"]);
    }

    async fn filters_combine_and_pagination_reports_the_total(app: TestApp) {
        let c = app.login_as(Role::Director).await;
        let op = app.user(Role::Operator).0;
        let rows = [
            ("kol_douyin", "KOL", "douyin", 3_000_000, vec!["头部"], vec![op]),
            ("koc_xhs_a", "KOC", "xiaohongshu", 12_000, vec!["宝妈", "安全"], vec![op]),
            ("koc_xhs_b", "KOC", "xiaohongshu", 8_000, vec!["通勤"], vec![]),
            ("kos_store", "KOS", "douyin", 20_000, vec!["门店"], vec![]),
        ];
        for (handle, tier, platform, followers, tags, owners) in rows {
            let r = c.post(&app.ws("/accounts"), json!({"tier": tier, "platform": platform, "handle": handle, "display_name": if handle == "kos_store" { "星河门店名" } else { handle },
                "ownership": "partner", "followers": followers, "tags": tags, "owner_ids": owners, "persona": format!("{handle} 人设")})).await;
            assert_eq!(r.0, StatusCode::CREATED, "{}", r.1);
        }
        let handles = |v: &Value| v["items"].as_array().unwrap().iter().map(|a| a["handle"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
        let (_, r) = c.get(&app.ws("/accounts?tier=KOC&platform=xiaohongshu&sort=handle_asc")).await;
        assert_eq!(handles(&r), ["koc_xhs_a", "koc_xhs_b"]);
        let (_, r) = c.get(&app.ws(&format!("/accounts?owner={op}&sort=followers_desc"))).await;
        assert_eq!(handles(&r), ["kol_douyin", "koc_xhs_a"]);
        let (_, r) = c.get(&app.ws("/accounts?tag=安全")).await;
        assert_eq!(handles(&r), ["koc_xhs_a"]);
        // Text search looks at the handle (any case), the display name and the persona.
        let (_, r) = c.get(&app.ws("/accounts?q=XHS_A")).await;
        assert_eq!(handles(&r), ["koc_xhs_a"]);
        let (_, r) = c.get(&app.ws("/accounts?q=%E9%97%A8%E5%BA%97%E5%90%8D")).await;
        assert_eq!(handles(&r), ["kos_store"], "display name 门店名 matches");
        let (_, r) = c.get(&app.ws("/accounts?q=kol_douyin%20%E4%BA%BA%E8%AE%BE")).await;
        assert_eq!(handles(&r), ["kol_douyin"], "persona matches");
        let (_, r) = c.get(&app.ws("/accounts?q=100%25")).await;
        assert_eq!(handles(&r), Vec::<String>::new(), "% is a literal, not a wildcard");
        let (_, r) = c.get(&app.ws("/accounts?limit=2&offset=1&sort=followers_desc")).await;
        assert_eq!(r["total"], 4);
        assert_eq!(handles(&r), ["kos_store", "koc_xhs_a"]);
        let (_, o) = c.get(&app.ws("/accounts/overview")).await;
        assert_eq!(o["totals"], json!({"accounts": 4, "followers": 3_040_000}));
        let cell = o["by_tier_platform"].as_array().unwrap().iter().find(|x| x["tier"] == "KOC").unwrap().clone();
        assert_eq!(cell, json!({"tier": "KOC", "platform": "xiaohongshu", "accounts": 2, "followers": 20_000}));
        let ops = o["by_operator"].as_array().unwrap();
        assert_eq!(ops.len(), 1);
        assert_eq!((ops[0]["user_id"].as_i64(), ops[0]["accounts"].as_i64(), ops[0]["followers"].as_i64()), (Some(op), Some(2), Some(3_012_000)));
    }

    async fn bad_filters_are_400s_naming_the_parameter(app: TestApp) {
        let c = app.login_as(Role::Viewer).await;
        assert_error(&c.get(&app.ws("/accounts?tier=KOX")).await, StatusCode::BAD_REQUEST, "request.unknown_value", Some("tier"));
        assert_error(&c.get(&app.ws("/accounts?limit=0")).await, StatusCode::BAD_REQUEST, "validation.range", Some("limit"));
        assert_error(&c.get(&app.ws("/accounts?limit=abc")).await, StatusCode::BAD_REQUEST, "validation.range", Some("limit"));
        assert_error(&c.get(&app.ws("/accounts?owner=me")).await, StatusCode::BAD_REQUEST, "request.wrong_type", Some("owner"));
        assert_error(&c.get(&app.ws("/accounts?colour=red")).await, StatusCode::BAD_REQUEST, "request.unknown_parameter", Some("colour"));
        assert_error(&c.get(&app.ws("/accounts?cf.nope=1")).await, StatusCode::BAD_REQUEST, "custom_fields.unknown", Some("cf.nope"));
    }

    async fn a_stale_edit_conflicts_only_on_fields_changed_meanwhile(app: TestApp) {
        let c = app.login_as(Role::Director).await;
        let id = app.operator_account("concurrent").await;
        let path = app.ws(&format!("/accounts/{id}"));
        // Two people load version 1. The first changes the persona.
        let r = c.patch(&path, json!({"version": 1, "persona": "新人设"})).await;
        assert_eq!(r.1["version"], 2);
        // The second edits followers from version 1: no overlap, so it goes through.
        let r = c.patch(&path, json!({"version": 1, "followers": 99})).await;
        assert_eq!(r.0, StatusCode::OK, "{}", r.1);
        assert_eq!(r.1["persona"], "新人设");
        // Touching the persona from version 1 is a conflict naming it, and changes nothing.
        let r = c.patch(&path, json!({"version": 1, "persona": "旧人设", "tags": ["x"]})).await;
        assert_error(&r, StatusCode::CONFLICT, "conflict.stale_version", Some("persona"));
        let now = c.get(&path).await.1;
        assert_eq!((now["persona"].as_str(), now["version"].as_i64(), now["tags"].clone()), (Some("新人设"), Some(3), json!(["宝妈"])));
        assert_error(&c.patch(&path, json!({"version": 9, "followers": 1})).await, StatusCode::BAD_REQUEST, "validation.version", Some("version"));
    }

    async fn malformed_and_invalid_bodies_are_4xx_naming_the_field_and_write_nothing(app: TestApp) {
        let c = app.login_as(Role::Director).await;
        let id = app.operator_account("existing").await;
        let before = (app.event_count().await, count_accounts(&app).await);
        let res = c.http.post(format!("{}{}", app.base, app.ws("/accounts")))
            .header("x-csrf-token", c.csrf.clone().unwrap()).header("content-type", "application/json")
            .body("{\"tier\": \"KOC\",").send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "request.malformed_json");
        let cases: Vec<(Value, &str, &str)> = vec![
            (json!({"colour": "red"}), "request.unknown_field", "colour"),
            (json!({"followers": "many"}), "request.wrong_type", "followers"),
            (json!({"tier": "KOX"}), "request.unknown_value", "tier"),
            (json!({"ownership": "stolen"}), "request.unknown_value", "ownership"),
            (json!({"display_name": "长".repeat(101)}), "validation.too_long", "display_name"),
            (json!({"handle": ""}), "validation.required", "handle"),
            (json!({"platform": "myspace"}), "accounts.unknown_platform", "platform"),
            (json!({"profile_url": "javascript:alert(1)"}), "validation.url", "profile_url"),
            (json!({"owner_ids": [app.user(Role::Viewer).0, 999_999]}), "accounts.owner_not_member", "owner_ids.1"),
            (json!({"custom": {"anything": 1}}), "custom_fields.unknown", "custom.anything"),
        ];
        for (patch, code, field) in cases {
            let mut body = account_body("new_handle");
            for (k, v) in patch.as_object().unwrap() {
                body[k] = v.clone();
            }
            assert_error(&c.post(&app.ws("/accounts"), body).await, StatusCode::BAD_REQUEST, code, Some(field));
        }
        let missing = c.post(&app.ws("/accounts"), json!({"tier": "KOC"})).await;
        assert_error(&missing, StatusCode::BAD_REQUEST, "validation.required", None);
        assert_error(&c.post(&app.ws("/accounts"), account_body("existing")).await, StatusCode::CONFLICT, "accounts.handle_taken", Some("handle"));
        let patch = c.patch(&app.ws(&format!("/accounts/{id}")), json!({"version": 1, "status": "deleted"})).await;
        assert_error(&patch, StatusCode::BAD_REQUEST, "request.unknown_value", Some("status"));
        let huge = c.post(&app.ws("/accounts"), json!({"persona": "x".repeat(1_048_576)})).await;
        assert_error(&huge, StatusCode::PAYLOAD_TOO_LARGE, "request.too_large", None);
        assert_eq!((app.event_count().await, count_accounts(&app).await), before);
    }

    async fn another_workspaces_account_looks_exactly_like_a_missing_one(app: TestApp) {
        let c = app.login_as(Role::Admin).await;
        let foreign = c.get(&app.ws(&format!("/accounts/{}", app.foreign_account))).await;
        let missing = c.get(&app.ws("/accounts/987654")).await;
        assert_error(&foreign, StatusCode::NOT_FOUND, "not_found", None);
        assert_eq!(foreign, missing);
        let r = c.patch(&app.ws(&format!("/accounts/{}", app.foreign_account)), json!({"version": 1, "followers": 1})).await;
        assert_eq!(r, c.patch(&app.ws("/accounts/987654"), json!({"version": 1, "followers": 1})).await);
        assert_eq!(r.0, StatusCode::NOT_FOUND);
        // And the other workspace itself is invisible to non-members.
        let other = c.get(&format!("/api/v1/workspaces/{}/accounts", app.other_ws.0)).await;
        assert_eq!(other, c.get("/api/v1/workspaces/424242/accounts").await);
        assert_eq!(other.0, StatusCode::NOT_FOUND);
        assert_error(&c.get(&app.ws("/accounts/not-a-number")).await, StatusCode::NOT_FOUND, "not_found", None);
    }

    async fn thirty_two_concurrent_creations_all_succeed(app: TestApp) {
        let c = std::sync::Arc::new(app.login_as(Role::Director).await);
        let ws = app.ws("/accounts");
        let tasks: Vec<_> = (0..32).map(|i| {
            let c = c.clone();
            let ws = ws.clone();
            tokio::spawn(async move { c.post(&ws, account_body(&format!("concurrent_{i}"))).await })
        }).collect();
        for t in tasks {
            let (s, body) = t.await.unwrap();
            assert_eq!(s, StatusCode::CREATED, "{body}");
        }
        assert_eq!(count_accounts(&app).await, 32);
    }
}
