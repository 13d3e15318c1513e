use kox_domain::access::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::db_tests;
use crate::harness::{TestApp, account_body, assert_error};

db_tests! {
    async fn a_workspace_starts_with_the_nine_platforms_and_admins_edit_the_list(app: TestApp) {
        let admin = app.login_as(Role::Admin).await;
        let (_, list) = admin.get(&app.ws("/platforms")).await;
        let names: Vec<&str> = list.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["小红书", "抖音", "微博", "B站", "视频号", "快手", "知乎", "懂车帝", "汽车之家"]);
        let (s, p) = admin.post(&app.ws("/platforms"), json!({"code": "toutiao", "name": "今日头条"})).await;
        assert_eq!(s, StatusCode::CREATED, "{p}");
        assert_error(&admin.post(&app.ws("/platforms"), json!({"code": "toutiao", "name": "头条"})).await, StatusCode::CONFLICT, "platforms.code_taken", Some("code"));
        assert_error(&admin.post(&app.ws("/platforms"), json!({"code": "头条", "name": "头条"})).await, StatusCode::BAD_REQUEST, "validation.slug", Some("code"));
        let (_, p) = admin.patch(&app.ws("/platforms/weibo"), json!({"active": false})).await;
        assert_eq!(p["active"], false);
        let mut body = account_body("on_weibo");
        body["platform"] = json!("weibo");
        assert_error(&admin.post(&app.ws("/accounts"), body).await, StatusCode::BAD_REQUEST, "accounts.unknown_platform", Some("platform"));
        assert_error(&admin.patch(&app.ws("/platforms/myspace"), json!({"active": false})).await, StatusCode::NOT_FOUND, "not_found", None);
        for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
            let c = app.login_as(role).await;
            assert_error(&c.post(&app.ws("/platforms"), json!({"code": "x", "name": "x"})).await, StatusCode::FORBIDDEN, "auth.forbidden", None);
            assert_error(&c.patch(&app.ws("/platforms/douyin"), json!({"name": "x"})).await, StatusCode::FORBIDDEN, "auth.forbidden", None);
            assert_error(&c.patch(&app.ws(""), json!({"name": "x"})).await, StatusCode::FORBIDDEN, "auth.forbidden", None);
            assert_eq!(c.get(&app.ws("")).await.1["name"], "测试品牌");
        }
    }

    async fn an_admin_renames_the_workspace_and_sets_its_time_zone(app: TestApp) {
        let admin = app.login_as(Role::Admin).await;
        let (s, w) = admin.patch(&app.ws(""), json!({"name": "星河汽车", "time_zone": "Asia/Hong_Kong"})).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!((w["name"].as_str(), w["time_zone"].as_str()), (Some("星河汽车"), Some("Asia/Hong_Kong")));
        assert_error(&admin.patch(&app.ws(""), json!({"time_zone": "somewhere"})).await, StatusCode::BAD_REQUEST, "validation.time_zone", Some("time_zone"));
        assert_eq!(admin.get("/api/v1/me").await.1["workspaces"][0]["name"], "星河汽车");
    }
}
