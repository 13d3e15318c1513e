use kox_domain::access::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::db_tests;
use crate::harness::{TestApp, account_body, assert_error};

db_tests! {
    async fn a_custom_field_is_defined_validated_on_write_and_filterable(app: TestApp) {
        let admin = app.login_as(Role::Admin).await;
        let (s, f) = admin.post(&app.ws("/custom-fields"), json!({"entity": "account", "key": "level", "label": "合作等级", "kind": "select", "options": ["核心", "重点", "常规"]})).await;
        assert_eq!(s, StatusCode::CREATED, "{f}");
        admin.post(&app.ws("/custom-fields"), json!({"entity": "account", "key": "verified", "label": "平台认证", "kind": "checkbox"})).await;
        admin.post(&app.ws("/custom-fields"), json!({"entity": "account", "key": "topics", "label": "内容方向", "kind": "multi_select", "options": ["续航", "智驾"]})).await;
        admin.post(&app.ws("/custom-fields"), json!({"entity": "account", "key": "media_owner", "label": "媒介负责人", "kind": "person"})).await;
        let (_, list) = admin.get(&app.ws("/custom-fields?entity=account")).await;
        assert_eq!(list.as_array().unwrap().iter().map(|f| f["key"].as_str().unwrap()).collect::<Vec<_>>(), ["level", "verified", "topics", "media_owner"]);
        let op = app.login_as(Role::Operator).await;
        let mut a = account_body("core_kol");
        a["custom"] = json!({"level": "核心", "verified": true, "topics": ["智驾"], "media_owner": app.user(Role::Media).0});
        assert_eq!(op.post(&app.ws("/accounts"), a).await.0, StatusCode::CREATED);
        let mut b = account_body("plain_koc");
        b["custom"] = json!({"level": "常规"});
        let (_, b) = op.post(&app.ws("/accounts"), b).await;
        let mut bad = account_body("bad");
        bad["custom"] = json!({"level": "SSS"});
        assert_error(&op.post(&app.ws("/accounts"), bad.clone()).await, StatusCode::BAD_REQUEST, "custom_fields.unknown_option", Some("custom.level"));
        bad["custom"] = json!({"media_owner": 999_999});
        assert_error(&op.post(&app.ws("/accounts"), bad).await, StatusCode::BAD_REQUEST, "custom_fields.not_a_member", Some("custom.media_owner"));
        let handles = |v: Value| v["items"].as_array().unwrap().iter().map(|a| a["handle"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
        assert_eq!(handles(op.get(&app.ws("/accounts?cf.level=核心")).await.1), ["core_kol"]);
        assert_eq!(handles(op.get(&app.ws("/accounts?cf.verified=true")).await.1), ["core_kol"]);
        assert_eq!(handles(op.get(&app.ws("/accounts?cf.verified=false")).await.1), ["plain_koc"]);
        assert_eq!(handles(op.get(&app.ws("/accounts?cf.topics=智驾")).await.1), ["core_kol"]);
        assert_eq!(handles(op.get(&app.ws(&format!("/accounts?cf.media_owner={}", app.user(Role::Media).0))).await.1), ["core_kol"]);
        assert_error(&op.get(&app.ws("/accounts?cf.verified=maybe")).await, StatusCode::BAD_REQUEST, "validation.filter", Some("cf.verified"));
        // A patch merges custom values: untouched keys stay, null removes one.
        let id = b["id"].as_i64().unwrap();
        let (_, b2) = op.patch(&app.ws(&format!("/accounts/{id}")), json!({"version": 1, "custom": {"verified": true}})).await;
        assert_eq!(b2["custom"], json!({"level": "常规", "verified": true}));
        let (_, b3) = op.patch(&app.ws(&format!("/accounts/{id}")), json!({"version": 2, "custom": {"level": null}})).await;
        assert_eq!(b3["custom"], json!({"verified": true}));
    }

    async fn only_admins_define_fields_and_definitions_are_checked(app: TestApp) {
        for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
            let c = app.login_as(role).await;
            let r = c.post(&app.ws("/custom-fields"), json!({"entity": "account", "key": "x", "label": "x", "kind": "text"})).await;
            assert_error(&r, StatusCode::FORBIDDEN, "auth.forbidden", None);
            assert_eq!(c.get(&app.ws("/custom-fields")).await.0, StatusCode::OK);
        }
        let admin = app.login_as(Role::Admin).await;
        let url = app.ws("/custom-fields");
        let post = |b: Value| admin.post(&url, b);
        assert_error(&post(json!({"entity": "account", "key": "Level", "label": "等级", "kind": "text"})).await, StatusCode::BAD_REQUEST, "validation.slug", Some("key"));
        assert_error(&post(json!({"entity": "account", "key": "level", "label": "等级", "kind": "select"})).await, StatusCode::BAD_REQUEST, "custom_fields.options_required", Some("options"));
        assert_error(&post(json!({"entity": "account", "key": "level", "label": "等级", "kind": "colour"})).await, StatusCode::BAD_REQUEST, "request.unknown_value", Some("kind"));
        let (_, f) = post(json!({"entity": "campaign", "key": "level", "label": "等级", "kind": "select", "options": ["高", "低"]})).await;
        assert_error(&post(json!({"entity": "campaign", "key": "level", "label": "等级2", "kind": "text"})).await, StatusCode::CONFLICT, "custom_fields.key_taken", Some("key"));
        let id = f["id"].as_i64().unwrap();
        let r = admin.patch(&app.ws(&format!("/custom-fields/{id}")), json!({"options": ["高"]})).await;
        assert_error(&r, StatusCode::BAD_REQUEST, "custom_fields.option_in_use", Some("options"));
        let (s, f2) = admin.patch(&app.ws(&format!("/custom-fields/{id}")), json!({"options": ["高", "中", "低"], "label": "优先级"})).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(f2["label"], "优先级");
        assert_eq!(admin.delete(&app.ws(&format!("/custom-fields/{id}"))).await.0, StatusCode::NO_CONTENT);
        assert_eq!(admin.get(&app.ws("/custom-fields?entity=campaign")).await.1, json!([]));
    }
}
