//! Data in over HTTP: a post export uploaded, previewed and committed by an analyst; who may
//! import, push, enter by hand and change the registry, and who is refused; bad bodies.

use kox_domain::access::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::db_tests;
use crate::harness::{TestApp, assert_error, finished};

const EXPORT: &str = "\u{feff}作品名称,发布时间,播放量,点赞量,评论量,收藏量\r\n星河S7 首测,2026-11-01 20:00:00,1.2万,100,-,10\r\n坏行,昨天,-5,1,1,1\r\n";

db_tests! {
    async fn an_analyst_imports_a_douyin_export_for_one_account(app: TestApp) {
        let account = app.operator_account("xinghe_api").await;
        let c = app.login_as(Role::Analyst).await;
        let (s, presets) = c.get(&app.ws("/import-presets")).await;
        assert_eq!((s, presets.as_array().map(Vec::len)), (StatusCode::OK, Some(5)));
        let url = app.ws(&format!("/imports?kind=post_metrics&file_name=a.csv&preset=douyin_works&account_id={account}&as_of=2026-11-10"));
        // The preset is for 抖音 accounts; this one is on 小红书.
        let wrong = c.upload(&url, EXPORT.as_bytes().to_vec()).await;
        assert_error(&wrong, StatusCode::BAD_REQUEST, "imports.unknown_account", Some("account_id"));
        let url = url.replace("preset=douyin_works", "preset=xiaohongshu_notes");
        let (s, imp) = c.upload(&url, EXPORT.replace("作品名称", "笔记标题").replace("发布时间", "首次发布时间").replace("播放量", "观看量").replace("点赞量", "点赞").replace("评论量", "评论").replace("收藏量", "收藏").into_bytes()).await;
        assert_eq!(s, StatusCode::CREATED, "{imp}");
        let id = imp["id"].as_i64().unwrap();
        let (s, p) = c.post(&app.ws(&format!("/imports/{id}/preview")), json!({"mapping": imp["mapping"]})).await;
        assert_eq!(s, StatusCode::OK, "{p}");
        assert_eq!((p["creates"].as_i64(), p["invalid"].as_i64(), p["posts"]["new_posts"].as_i64()), (Some(1), Some(1), Some(1)));
        assert_eq!((p["issues"][0]["row"].as_i64(), p["issues"][0]["column_letter"].as_str()), (Some(3), Some("B")));
        // The rows with errors as a workbook, each with what is wrong.
        let (s, _, bytes) = c.download(&app.ws(&format!("/imports/{id}/errors.xlsx"))).await;
        assert_eq!(s, StatusCode::OK);
        let sheet = kox_domain::imports::sheet::read("errors.xlsx", &bytes).unwrap();
        assert_eq!(sheet.headers.first().map(String::as_str), Some("行号"));
        assert_eq!(sheet.rows.len(), 1);
        assert_eq!(sheet.rows[0].cells[0], "3");
        let why = sheet.rows[0].cells.last().unwrap();
        assert!(why.contains("B 列（首次发布时间）") && why.contains("昨天"), "{why}");
        let refused = c.post(&app.ws(&format!("/imports/{id}/commit")), json!({"mapping": imp["mapping"]})).await;
        assert_error(&refused, StatusCode::BAD_REQUEST, "imports.has_errors", Some("skip_invalid"));
        let (s, _) = c.post(&app.ws(&format!("/imports/{id}/commit")), json!({"mapping": imp["mapping"], "skip_invalid": true})).await;
        assert_eq!(s, StatusCode::ACCEPTED);
        let done = finished(&c, &app.ws(&format!("/imports/{id}"))).await;
        assert_eq!((done["status"].as_str(), done["result"]["created"].as_i64(), done["result"]["new_posts"].as_i64()), (Some("done"), Some(1), Some(1)), "{done}");
        let (_, list) = c.get(&app.ws("/imports?kind=post_metrics")).await;
        assert_eq!(list[0]["id"], id);

        // Everyone reads a post's data; the operator who owns the account enters a day by hand.
        let (_, pushed) = c.post(&app.ws("/metrics/posts"), json!({"rows": [{"post_id": "x1", "account_id": account, "title": "第二篇", "published_at": "2026-11-02 20:00", "likes": 5}]})).await;
        let push_id = pushed["import_id"].as_i64().expect("the push is recorded as an import");
        // A push has no file: nothing to preview, and no rows kept to annotate.
        let again = c.post(&app.ws(&format!("/imports/{push_id}/preview")), json!({"mapping": {}})).await;
        assert_error(&again, StatusCode::CONFLICT, "imports.no_file", Some("id"));
        let (s, _, bytes) = c.download(&app.ws(&format!("/imports/{push_id}/errors.xlsx"))).await;
        assert_eq!(s, StatusCode::OK);
        assert!(kox_domain::imports::sheet::read("errors.xlsx", &bytes).unwrap().rows.is_empty());
        let (_, imports) = c.get(&app.ws("/imports?kind=post_metrics")).await;
        assert_eq!(imports.as_array().unwrap().len(), 2);
        let viewer = app.login_as(Role::Viewer).await;
        let (s, board) = viewer.get(&app.ws("/content/board")).await;
        assert_eq!(s, StatusCode::OK);
        let ids: Vec<i64> = board["columns"].as_array().unwrap().iter().flat_map(|col| col["items"].as_array().cloned().unwrap_or_default()).filter_map(|c| c["id"].as_i64()).collect();
        let first = *ids.iter().min().expect("the imported posts are on the board");
        let (s, m) = viewer.get(&app.ws(&format!("/content/{first}/metrics"))).await;
        assert_eq!(s, StatusCode::OK, "{m}");
        assert_eq!(m["latest"]["reads"], 12_000);
        let op = app.login_as(Role::Operator).await;
        let (s, m) = op.post(&app.ws(&format!("/content/{first}/metrics")), json!({"as_of": "2026-11-10", "likes": 150})).await;
        assert_eq!(s, StatusCode::OK, "{m}");
        assert_eq!(m["latest"]["likes"], 150);
        assert_eq!(m["latest"]["reads"], 12_000, "a value left out keeps the day's number (it is not a zero)");
        let bad = op.post(&app.ws(&format!("/content/{first}/metrics")), json!({"as_of": "2026-11-12", "likes": -1})).await;
        assert_error(&bad, StatusCode::BAD_REQUEST, "imports.negative", Some("likes"));
        let editor = app.login_as(Role::Editor).await;
        assert_error(&editor.post(&app.ws(&format!("/content/{first}/metrics")), json!({"likes": 1})).await, StatusCode::FORBIDDEN, "auth.forbidden", None);

        // Undo: analysts yes, editors no.
        assert_error(&editor.post(&app.ws(&format!("/imports/{id}/undo")), json!({})).await, StatusCode::FORBIDDEN, "auth.forbidden", None);
        let (s, undone) = c.post(&app.ws(&format!("/imports/{id}/undo")), json!({})).await;
        assert_eq!(s, StatusCode::OK, "{undone}");
        assert!(undone["undone_at"].is_string());
        assert_error(&c.post(&app.ws(&format!("/imports/{id}/undo")), json!({})).await, StatusCode::CONFLICT, "imports.not_undoable", None);
    }

    async fn only_the_data_group_and_leads_import_push_and_set_the_registry(app: TestApp) {
        for role in Role::ALL {
            let c = app.login_as(role).await;
            let up = c.upload(&app.ws("/imports?kind=post_metrics&file_name=a.csv"), "作品ID,点赞\nx,1\n".as_bytes().to_vec()).await;
            let push = c.post(&app.ws("/metrics/search-index"), json!({"rows": []})).await;
            let reg = c.send(reqwest::Method::PUT, &app.ws("/metric-definitions"), Some(json!({
                "interactions": {"likes": true, "saves": true, "comments": true, "shares": true},
                "rate_base": "reads", "cpm_base": "impressions", "roi": "ratio",
                "grades": {"s": 5.0, "a": 2.0, "b": 0.8, "baseline_posts": 30, "min_history": 5, "absolute": []}
            }))).await;
            let allowed = matches!(role, Role::Admin | Role::Director | Role::Analyst);
            if allowed {
                assert_eq!(up.0, StatusCode::CREATED, "{role:?}: {}", up.1);
                assert_eq!(push.0, StatusCode::OK, "{role:?}: {}", push.1);
                assert_eq!(reg.0, StatusCode::OK, "{role:?}: {}", reg.1);
            } else {
                assert_error(&up, StatusCode::FORBIDDEN, "auth.forbidden", None);
                assert_error(&push, StatusCode::FORBIDDEN, "auth.forbidden", None);
                assert_error(&reg, StatusCode::FORBIDDEN, "auth.forbidden", None);
            }
            // Everyone reads the registry and the grading status.
            assert_eq!(c.get(&app.ws("/metric-definitions")).await.0, StatusCode::OK);
            assert_eq!(c.get(&app.ws("/grades")).await.0, StatusCode::OK);
        }
        let d = app.login_as(Role::Director).await;
        let (_, reg) = d.get(&app.ws("/metric-definitions")).await;
        assert_eq!(reg["version"], 1, "one change, one version (the same definitions again add none)");
        let bad = d.send(reqwest::Method::PUT, &app.ws("/metric-definitions"), Some(json!({
            "interactions": {"likes": true, "saves": true, "comments": true, "shares": false},
            "rate_base": "reads", "cpm_base": "impressions", "roi": "ratio",
            "grades": {"s": 1.0, "a": 2.0, "b": 0.8, "baseline_posts": 30, "min_history": 5, "absolute": []}
        }))).await;
        assert_error(&bad, StatusCode::BAD_REQUEST, "metrics.grade_order", Some("grades.a"));
        let rows: Vec<serde_json::Value> = (0..10_001).map(|i| json!({"post_id": format!("p{i}"), "likes": 1})).collect();
        let many = d.post(&app.ws("/metrics/posts"), json!({"rows": rows})).await;
        assert_error(&many, StatusCode::BAD_REQUEST, "metrics.too_many_rows", Some("rows"));
        let png = d.upload(&app.ws("/imports?kind=post_metrics&file_name=a.png"), vec![0x89, b'P', b'N', b'G']).await;
        assert_error(&png, StatusCode::BAD_REQUEST, "imports.unsupported_file", Some("file"));
        let fake = d.upload(&app.ws("/imports?kind=post_metrics&file_name=a.xlsx"), b"PK\x03\x04not really a workbook".to_vec()).await;
        assert_error(&fake, StatusCode::BAD_REQUEST, "imports.unreadable_file", Some("file"));
    }

    async fn a_saved_mapping_is_saved_by_who_may_import_its_kind_and_read_by_everyone(app: TestApp) {
        let body = |name: &str, kind: &str| json!({"name": name, "kind": kind, "columns": {"likes": ["点赞量"], "published_at": ["发文时间"]}});
        let mut kept = None;
        for role in Role::ALL {
            let c = app.login_as(role).await;
            let made = c.post(&app.ws("/import-mappings"), body(&format!("{role:?} 的周报"), "post_metrics")).await;
            if matches!(role, Role::Admin | Role::Director | Role::Analyst) {
                assert_eq!(made.0, StatusCode::CREATED, "{role:?}: {}", made.1);
                kept.get_or_insert(made.1["id"].as_i64().unwrap());
            } else {
                assert_error(&made, StatusCode::FORBIDDEN, "auth.forbidden", None);
            }
            assert_eq!(c.get(&app.ws("/import-mappings?kind=post_metrics")).await.0, StatusCode::OK, "{role:?} reads the saved mappings");
        }
        let (_, list) = app.login_as(Role::Viewer).await.get(&app.ws("/import-mappings")).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 3, "{list}");
        let id = kept.unwrap();
        let d = app.login_as(Role::Director).await;
        // An upload naming it starts with its mapping.
        let up = d.upload(&app.ws(&format!("/imports?kind=post_metrics&file_name=a.csv&mapping_id={id}")),
            "发文时间,点赞量,作品ID\n2026-12-01 10:00,12,x\n".as_bytes().to_vec()).await;
        assert_eq!(up.0, StatusCode::CREATED, "{}", up.1);
        assert_eq!(up.1["mapping"], json!({"published_at": 0, "likes": 1}));
        let other = d.upload(&app.ws("/imports?kind=accounts&file_name=a.csv&mapping_id=999999"), "平台,账号ID\n抖音,x\n".as_bytes().to_vec()).await;
        assert_error(&other, StatusCode::BAD_REQUEST, "imports.unknown_mapping", Some("mapping_id"));
        // Bad input: a taken name, an unknown field, an unknown kind.
        let again = d.post(&app.ws("/import-mappings"), body("Admin 的周报", "post_metrics")).await;
        assert_error(&again, StatusCode::CONFLICT, "imports.mapping_name_taken", Some("name"));
        let field = d.post(&app.ws("/import-mappings"), json!({"name": "x", "kind": "spend", "columns": {"likes": ["赞"]}})).await;
        assert_error(&field, StatusCode::BAD_REQUEST, "imports.unknown_field", Some("columns.likes"));
        let kind = d.post(&app.ws("/import-mappings"), json!({"name": "x", "kind": "nonsense", "columns": {}})).await;
        assert_eq!(kind.0, StatusCode::BAD_REQUEST, "{}", kind.1);
        // Replaced and deleted; an operator may do neither to a data mapping.
        let op = app.login_as(Role::Operator).await;
        let path = app.ws(&format!("/import-mappings/{id}"));
        assert_error(&op.send(reqwest::Method::DELETE, &path, None).await, StatusCode::FORBIDDEN, "auth.forbidden", None);
        let put = d.send(reqwest::Method::PUT, &path, Some(body("抖音周报", "post_metrics"))).await;
        assert_eq!((put.0, put.1["name"].clone()), (StatusCode::OK, json!("抖音周报")));
        assert_eq!(d.send(reqwest::Method::DELETE, &path, None).await.0, StatusCode::NO_CONTENT);
        assert_error(&d.send(reqwest::Method::DELETE, &path, None).await, StatusCode::NOT_FOUND, "not_found", None);
    }
}
