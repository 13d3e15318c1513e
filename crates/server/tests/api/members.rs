use kox_domain::access::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::db_tests;
use crate::harness::{TestApp, assert_error};

db_tests! {
    async fn a_new_person_joins_by_the_invitation_link_and_can_then_sign_in(app: TestApp) {
        let admin = app.login_as(Role::Admin).await;
        let (s, created) = admin.post(&app.ws("/invitations"), json!({"email": " New.Op@t.cn ", "name": "新运营", "role": "operator", "group": "operations"})).await;
        assert_eq!(s, StatusCode::CREATED, "{created}");
        assert_eq!((created["invitation"]["email"].as_str(), created["invitation"]["status"].as_str()), (Some("new.op@t.cn"), Some("pending")));
        let link = created["link"].as_str().unwrap();
        let token = link.strip_prefix("/invite/").unwrap();
        let (_, open) = admin.get(&app.ws("/invitations")).await;
        assert_eq!(open.as_array().unwrap().len(), 1, "{open}");

        // The link, without signing in: what it offers, then a password too short, then joining.
        let mut person = app.anonymous();
        let (s, view) = person.get(&format!("/api/v1/invitations/{token}")).await;
        assert_eq!((s, view["workspace_name"].as_str(), view["role"].as_str()), (StatusCode::OK, Some("测试品牌"), Some("operator")), "{view}");
        let register = format!("/api/v1/invitations/{token}/register");
        assert_error(&person.post(&register, json!({"name": "新运营", "password": "short"})).await, StatusCode::BAD_REQUEST, "validation.password_too_short", Some("password"));
        let (s, me) = person.post(&register, json!({"name": "新运营", "password": "welcome-2026"})).await;
        assert_eq!(s, StatusCode::CREATED, "{me}");
        assert_eq!((me["workspaces"][0]["role"].as_str(), me["workspaces"][0]["group"].as_str()), (Some("operator"), Some("operations")));
        person.csrf = me["csrf_token"].as_str().map(str::to_owned);
        assert_eq!(person.get(&app.ws("/accounts")).await.0, StatusCode::OK, "signed in by the link");
        // A link works once.
        assert_error(&app.anonymous().get(&format!("/api/v1/invitations/{token}")).await, StatusCode::CONFLICT, "invitations.not_valid", None);
        assert_error(&app.anonymous().post(&register, json!({"name": "别人", "password": "welcome-2026"})).await, StatusCode::CONFLICT, "invitations.not_valid", None);
        let (s, _) = app.anonymous().post("/api/v1/auth/login", json!({"email": "new.op@t.cn", "password": "welcome-2026"})).await;
        assert_eq!(s, StatusCode::OK);
        assert!(admin.get(&app.ws("/invitations")).await.1.as_array().unwrap().is_empty());
        let (_, joined) = admin.get(&app.ws("/events?action=member.joined")).await;
        assert_eq!(joined["items"][0]["after"]["email"], "new.op@t.cn", "{joined}");

        // A member is not invited again; bad input names its field.
        let again = admin.post(&app.ws("/invitations"), json!({"email": "new.op@t.cn", "name": "x", "role": "viewer", "group": "strategy"})).await;
        assert_error(&again, StatusCode::CONFLICT, "members.already_member", Some("email"));
        let bad_role = admin.post(&app.ws("/invitations"), json!({"email": "someone@t.cn", "name": "x", "role": "god", "group": "strategy"})).await;
        assert_error(&bad_role, StatusCode::BAD_REQUEST, "request.unknown_value", Some("role"));
        let bad_mail = admin.post(&app.ws("/invitations"), json!({"email": "someone", "name": "x", "role": "viewer", "group": "strategy"})).await;
        assert_error(&bad_mail, StatusCode::BAD_REQUEST, "validation.email", Some("email"));
        assert_error(&app.anonymous().get("/api/v1/invitations/not-a-real-link").await, StatusCode::CONFLICT, "invitations.not_valid", None);

        // A withdrawn invitation's link is dead, and a newer one replaces an older one.
        let (_, first) = admin.post(&app.ws("/invitations"), json!({"email": "later@t.cn", "name": "后来者", "role": "viewer", "group": "strategy"})).await;
        let (_, second) = admin.post(&app.ws("/invitations"), json!({"email": "later@t.cn", "name": "后来者", "role": "analyst", "group": "data_support"})).await;
        let dead = first["link"].as_str().unwrap().replace("/invite/", "/api/v1/invitations/");
        assert_error(&app.anonymous().get(&dead).await, StatusCode::CONFLICT, "invitations.not_valid", None);
        let id = second["invitation"]["id"].as_i64().unwrap();
        assert_eq!(admin.delete(&app.ws(&format!("/invitations/{id}"))).await.0, StatusCode::NO_CONTENT);
        let live = second["link"].as_str().unwrap().replace("/invite/", "/api/v1/invitations/");
        assert_error(&app.anonymous().get(&live).await, StatusCode::CONFLICT, "invitations.not_valid", None);
        assert_error(&admin.delete(&app.ws(&format!("/invitations/{id}"))).await, StatusCode::CONFLICT, "invitations.not_valid", None);
    }

    async fn an_existing_user_is_invited_like_anyone_and_joins_only_by_accepting(app: TestApp) {
        let admin = app.login_as(Role::Admin).await;
        // boss@other.cn has an account (another workspace's admin, named 别人); nobody@t.cn has none.
        let boss = app.login("boss@other.cn").await;
        let invite = |email: &str| json!({"email": email, "name": "供应商对接人", "role": "media", "group": "data_support"});
        let (s1, known) = admin.post(&app.ws("/invitations"), invite("boss@other.cn")).await;
        let (s2, unknown) = admin.post(&app.ws("/invitations"), invite("nobody@t.cn")).await;
        assert_eq!((s1, s2), (StatusCode::CREATED, StatusCode::CREATED));
        let shape = |v: &serde_json::Value| {
            let mut keys: Vec<String> = v["invitation"].as_object().unwrap().keys().cloned().collect();
            keys.sort();
            (keys, v["invitation"]["name"].clone(), v["invitation"]["status"].clone())
        };
        assert_eq!(shape(&known), shape(&unknown), "the same answer whether the e-mail has an account or not");
        assert!(!known.to_string().contains("别人"), "the account's own name is not shown: {known}");
        let members = admin.get(&app.ws("/members")).await.1;
        assert!(!members.to_string().contains("boss@other.cn"), "not pulled in before accepting");

        // The person sees the invitation in KOX; the new-account path is not for an account.
        let (_, me) = boss.get("/api/v1/me").await;
        assert_eq!(me["invitations"][0]["workspace_name"], "测试品牌", "{me}");
        let id = me["invitations"][0]["id"].as_i64().unwrap();
        let token = known["link"].as_str().unwrap().trim_start_matches("/invite/");
        assert_error(&app.anonymous().post(&format!("/api/v1/invitations/{token}/register"), json!({"name": "冒名", "password": "welcome-2026"})).await, StatusCode::CONFLICT, "invitations.sign_in", None);
        // Nobody else can accept it, and our log shows nothing of boss before joining.
        let viewer = app.login_as(Role::Viewer).await;
        assert_error(&viewer.post(&format!("/api/v1/me/invitations/{id}/accept"), json!({})).await, StatusCode::NOT_FOUND, "not_found", None);
        let boss_id = boss.get("/api/v1/me").await.1["user"]["id"].as_i64().unwrap();
        let theirs = |log: &serde_json::Value| log["items"].as_array().unwrap().iter().filter(|e| e["actor_id"] == boss_id).map(|e| e["action"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
        assert_eq!(theirs(&admin.get(&app.ws("/events?limit=200")).await.1), Vec::<String>::new());

        assert_eq!(boss.post(&format!("/api/v1/me/invitations/{id}/accept"), json!({})).await.0, StatusCode::NO_CONTENT);
        let (_, me) = boss.get("/api/v1/me").await;
        assert!(me["invitations"].as_array().unwrap().is_empty());
        let ours = me["workspaces"].as_array().unwrap().iter().find(|w| w["id"] == app.ws.0).expect("joined");
        assert_eq!(ours["role"], "media");
        // From now on their sign-ins are ours to see; what came before stays theirs.
        app.login("boss@other.cn").await;
        let log = admin.get(&app.ws("/events?limit=200")).await.1;
        assert_eq!(theirs(&log), vec!["auth.login".to_owned(), "member.joined".to_owned()], "{log}");
        assert_error(&boss.post(&format!("/api/v1/me/invitations/{id}/accept"), json!({})).await, StatusCode::CONFLICT, "invitations.not_valid", None);

        // Declining: the other workspace invites one of ours, who says no.
        let (_, other_invite) = boss.post(&format!("/api/v1/workspaces/{}/invitations", app.other_ws.0), json!({"email": "viewer@t.cn", "name": "v", "role": "viewer", "group": "strategy"})).await;
        let other_id = other_invite["invitation"]["id"].as_i64().unwrap();
        assert_eq!(viewer.post(&format!("/api/v1/me/invitations/{other_id}/decline"), json!({})).await.0, StatusCode::NO_CONTENT);
        assert!(viewer.get("/api/v1/me").await.1["invitations"].as_array().unwrap().is_empty());
        let (_, left) = boss.get(&format!("/api/v1/workspaces/{}/invitations", app.other_ws.0)).await;
        assert!(left.as_array().unwrap().is_empty(), "{left}");
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
            let add = c.post(&app.ws("/invitations"), json!({"email": "x@t.cn", "name": "x", "role": "viewer", "group": "strategy"})).await;
            assert_error(&add, StatusCode::FORBIDDEN, "auth.forbidden", None);
            assert_error(&c.get(&app.ws("/invitations")).await, StatusCode::FORBIDDEN, "auth.forbidden", None);
            assert_error(&c.delete(&app.ws("/invitations/1")).await, StatusCode::FORBIDDEN, "auth.forbidden", None);
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

    async fn a_role_change_takes_effect_on_the_next_request_however_busy_the_board_is(app: TestApp) {
        let admin = app.login_as(Role::Admin).await;
        let planner = app.login_as(Role::Planner).await;
        let topic = || json!({"title": "双十一选题", "body": ""});
        // The planner's sign-in and membership are cached now, and board writes (which leave
        // access alone) keep them cached.
        assert_eq!(planner.post(&app.ws("/content"), topic()).await.0, StatusCode::CREATED);
        let director = app.login_as(Role::Director).await;
        assert_eq!(director.post(&app.ws("/content"), topic()).await.0, StatusCode::CREATED);
        assert_eq!(planner.post(&app.ws("/content"), topic()).await.0, StatusCode::CREATED);
        let uid = app.user(Role::Planner).0;
        let (s, m) = admin.patch(&app.ws(&format!("/members/{uid}")), json!({"role": "viewer"})).await;
        assert_eq!(s, StatusCode::OK, "{m}");
        assert_error(&planner.post(&app.ws("/content"), topic()).await, StatusCode::FORBIDDEN, "auth.forbidden", None);
        assert_eq!(admin.delete(&app.ws(&format!("/members/{uid}"))).await.0, StatusCode::NO_CONTENT);
        assert_error(&planner.get(&app.ws("/content/board")).await, StatusCode::NOT_FOUND, "not_found", None);
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
