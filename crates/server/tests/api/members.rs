use kox_domain::access::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::db_tests;
use crate::harness::{TestApp, assert_error};

db_tests! {
    async fn an_admin_adds_a_member_who_can_then_sign_in(app: TestApp) {
        let admin = app.login_as(Role::Admin).await;
        let (s, m) = admin.post(&app.ws("/members"), json!({"email": "New.Op@t.cn", "name": "新运营", "role": "operator", "group": "operations", "password": "welcome-2026"})).await;
        assert_eq!(s, StatusCode::CREATED, "{m}");
        assert_eq!(m["email"], "new.op@t.cn");
        let c = app.anonymous();
        let (s, me) = c.post("/api/v1/auth/login", json!({"email": "new.op@t.cn", "password": "welcome-2026"})).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(me["workspaces"][0]["group"], "operations");
        // The same person cannot be added twice; a new person needs a password.
        let again = admin.post(&app.ws("/members"), json!({"email": "new.op@t.cn", "name": "x", "role": "viewer", "group": "strategy"})).await;
        assert_error(&again, StatusCode::CONFLICT, "members.already_member", Some("email"));
        let nopw = admin.post(&app.ws("/members"), json!({"email": "someone@t.cn", "name": "x", "role": "viewer", "group": "strategy"})).await;
        assert_error(&nopw, StatusCode::BAD_REQUEST, "validation.required", Some("password"));
        let short = admin.post(&app.ws("/members"), json!({"email": "someone@t.cn", "name": "x", "role": "viewer", "group": "strategy", "password": "short"})).await;
        assert_error(&short, StatusCode::BAD_REQUEST, "validation.password_too_short", Some("password"));
        let bad_role = admin.post(&app.ws("/members"), json!({"email": "someone@t.cn", "name": "x", "role": "god", "group": "strategy", "password": "welcome-2026"})).await;
        assert_error(&bad_role, StatusCode::BAD_REQUEST, "request.unknown_value", Some("role"));
    }

    async fn only_admins_manage_members_but_everyone_sees_the_team(app: TestApp) {
        let target = app.user(Role::Viewer).0;
        for role in Role::ALL {
            let c = app.login_as(role).await;
            let (s, list) = c.get(&app.ws("/members")).await;
            assert_eq!(s, StatusCode::OK);
            assert_eq!(list.as_array().unwrap().len(), 8);
            if role == Role::Admin {
                continue;
            }
            let add = c.post(&app.ws("/members"), json!({"email": "x@t.cn", "name": "x", "role": "viewer", "group": "strategy", "password": "welcome-2026"})).await;
            assert_error(&add, StatusCode::FORBIDDEN, "auth.forbidden", None);
            assert_error(&c.patch(&app.ws(&format!("/members/{target}")), json!({"role": "admin"})).await, StatusCode::FORBIDDEN, "auth.forbidden", None);
            assert_error(&c.delete(&app.ws(&format!("/members/{target}"))).await, StatusCode::FORBIDDEN, "auth.forbidden", None);
        }
    }

    async fn role_changes_are_audited_and_the_last_admin_stays_an_admin(app: TestApp) {
        let admin = app.login_as(Role::Admin).await;
        let viewer = app.user(Role::Viewer).0;
        let (s, m) = admin.patch(&app.ws(&format!("/members/{viewer}")), json!({"role": "analyst", "group": "data_support"})).await;
        assert_eq!(s, StatusCode::OK, "{m}");
        assert_eq!((m["role"].as_str(), m["group"].as_str()), (Some("analyst"), Some("data_support")));
        let (_, log) = admin.get(&app.ws("/events?action=member.role_changed")).await;
        assert_eq!(log["items"][0]["before"]["role"], "viewer");
        assert_eq!(log["items"][0]["after"]["role"], "analyst");
        let me = app.user(Role::Admin).0;
        let r = admin.patch(&app.ws(&format!("/members/{me}")), json!({"role": "viewer"})).await;
        assert_error(&r, StatusCode::CONFLICT, "members.last_admin", Some("role"));
        assert_error(&admin.delete(&app.ws(&format!("/members/{me}"))).await, StatusCode::CONFLICT, "members.last_admin", None);
    }

    async fn removing_a_member_ends_their_access_and_their_account_ownerships(app: TestApp) {
        let admin = app.login_as(Role::Admin).await;
        let op = app.login_as(Role::Operator).await;
        let id = app.operator_account("owned_by_op").await;
        let uid = app.user(Role::Operator).0;
        assert_eq!(admin.delete(&app.ws(&format!("/members/{uid}"))).await.0, StatusCode::NO_CONTENT);
        assert_error(&op.get(&app.ws("/accounts")).await, StatusCode::NOT_FOUND, "not_found", None);
        assert_eq!(admin.get(&app.ws(&format!("/accounts/{id}"))).await.1["owner_ids"], json!([]));
        assert_error(&admin.delete(&app.ws(&format!("/members/{uid}"))).await, StatusCode::NOT_FOUND, "not_found", None);
        let (_, log) = admin.get(&app.ws("/events?action=member.removed")).await;
        assert_eq!(log["items"].as_array().unwrap().len(), 1);
    }

    async fn the_audit_log_is_for_admins_and_shows_sign_ins(app: TestApp) {
        let admin = app.login_as(Role::Admin).await;
        let (s, log) = admin.get(&app.ws("/events")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(log["items"].as_array().unwrap().iter().any(|e| e["action"] == "auth.login"), "{log}");
        for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
            let c = app.login_as(role).await;
            assert_error(&c.get(&app.ws("/events")).await, StatusCode::FORBIDDEN, "auth.forbidden", None);
        }
        assert_error(&admin.get(&app.ws("/events?entity_type=account")).await, StatusCode::BAD_REQUEST, "validation.required", Some("entity_id"));
        assert_error(&admin.get(&app.ws("/events?entity_type=secrets&entity_id=1")).await, StatusCode::BAD_REQUEST, "request.unknown_value", Some("entity_type"));
        // The other workspace's admin sees none of our members' sign-ins.
        let other = app.login("boss@other.cn").await;
        let (_, theirs) = other.get(&format!("/api/v1/workspaces/{}/events?action=auth.login", app.other_ws.0)).await;
        assert_eq!(theirs["items"].as_array().unwrap().len(), 1, "{theirs}");
    }
}
