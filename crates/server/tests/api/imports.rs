//! Imports over HTTP: an XLSX uploaded as the request body, previewed, committed in the
//! background and followed to its end; who may import; bad files and bodies.

use kox_domain::access::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::db_tests;
use crate::harness::{TestApp, assert_error, finished};

fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

db_tests! {
    async fn a_workbook_is_uploaded_previewed_and_committed(app: TestApp) {
        let c = app.login_as(Role::Director).await;
        let file = workbook(&[
            &["层级", "平台", "账号 ID", "昵称", "粉丝数"],
            &["KOL", "抖音", "api_laowang", "老王说车", "386万"],
            &["KOC", "小红书", "api_lily", "莉莉", "1.2万"],
        ]);
        let (s, imp) = c.upload(&app.ws("/imports?kind=accounts&file_name=%E7%9F%A9%E9%98%B5.xlsx"), file).await;
        assert_eq!(s, StatusCode::CREATED, "{imp}");
        assert_eq!((imp["total_rows"].as_i64(), imp["status"].as_str(), imp["file_name"].as_str()), (Some(2), Some("uploaded"), Some("矩阵.xlsx")));
        assert_eq!(imp["mapping"], json!({"tier": 0, "platform": 1, "handle": 2, "display_name": 3, "followers": 4}));
        let id = imp["id"].as_i64().unwrap();
        let (s, p) = c.post(&app.ws(&format!("/imports/{id}/preview")), json!({"mapping": imp["mapping"]})).await;
        assert_eq!(s, StatusCode::OK, "{p}");
        assert_eq!((p["creates"].as_i64(), p["invalid"].as_i64()), (Some(2), Some(0)));
        let (s, started) = c.post(&app.ws(&format!("/imports/{id}/commit")), json!({"mapping": imp["mapping"]})).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{started}");
        let done = finished(&c, &app.ws(&format!("/imports/{id}"))).await;
        assert_eq!(done["status"], "done", "{done}");
        assert_eq!(done["result"]["created"], 2);
        let (_, list) = c.get(&app.ws("/accounts?sort=followers_desc")).await;
        assert_eq!(list["items"][0]["handle"], "api_laowang");
        assert_eq!(list["items"][0]["followers"], 3_860_000);
    }

    async fn admins_directors_and_operators_import_and_the_others_are_refused(app: TestApp) {
        let file = workbook(&[&["平台", "账号 ID"], &["抖音", "x"]]);
        for role in Role::ALL {
            let c = app.login_as(role).await;
            let allowed = matches!(role, Role::Admin | Role::Director | Role::Operator);
            let r = c.upload(&app.ws("/imports?kind=accounts&file_name=a.xlsx"), file.clone()).await;
            if allowed {
                assert_eq!(r.0, StatusCode::CREATED, "{role:?} {}", r.1);
                let id = r.1["id"].as_i64().unwrap();
                assert_eq!(c.get(&app.ws(&format!("/imports/{id}"))).await.0, StatusCode::OK);
            } else {
                assert_error(&r, StatusCode::FORBIDDEN, "auth.forbidden", None);
            }
        }
        // A reader cannot preview or commit someone's upload either.
        let d = app.login_as(Role::Director).await;
        let id = d.upload(&app.ws("/imports?kind=accounts&file_name=a.xlsx"), file).await.1["id"].as_i64().unwrap();
        let v = app.login_as(Role::Viewer).await;
        let body = json!({"mapping": {"platform": 0, "handle": 1}});
        assert_error(&v.post(&app.ws(&format!("/imports/{id}/preview")), body.clone()).await, StatusCode::FORBIDDEN, "auth.forbidden", None);
        assert_error(&v.post(&app.ws(&format!("/imports/{id}/commit")), body).await, StatusCode::FORBIDDEN, "auth.forbidden", None);
    }

    async fn bad_files_mappings_and_commits_are_refused_and_change_nothing(app: TestApp) {
        let c = app.login_as(Role::Director).await;
        let before = app.event_count().await;
        let cases: &[(&str, Vec<u8>, &str)] = &[
            ("a.pdf", b"%PDF".to_vec(), "imports.unsupported_file"),
            ("a.xlsx", b"not a zip".to_vec(), "imports.unreadable_file"),
            ("a.csv", Vec::new(), "imports.empty_file"),
        ];
        for (name, bytes, code) in cases {
            let r = c.upload(&app.ws(&format!("/imports?kind=accounts&file_name={name}")), bytes.clone()).await;
            assert_error(&r, StatusCode::BAD_REQUEST, code, Some("file"));
        }
        let r = c.upload(&app.ws("/imports?kind=metrics&file_name=a.csv"), b"a\n1".to_vec()).await;
        assert_eq!(r.0, StatusCode::BAD_REQUEST, "{}", r.1);
        assert_eq!(r.1["error"]["field"], "kind");
        let big = vec![b'a'; kox_server_limit() + 1];
        let r = c.upload(&app.ws("/imports?kind=accounts&file_name=a.csv"), big).await;
        assert_eq!(r.0, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.1);
        assert_eq!(app.event_count().await, before, "refused uploads write nothing");

        let text = "层级,平台,账号ID,粉丝数\nKOL,抖音,ok_row,5\n大V,抖音,bad_row,很多\n";
        let (_, imp) = c.upload(&app.ws("/imports?kind=accounts&file_name=a.csv"), text.as_bytes().to_vec()).await;
        let id = imp["id"].as_i64().unwrap();
        let r = c.post(&app.ws(&format!("/imports/{id}/preview")), json!({"mapping": {"platform": 1, "handle": 9}})).await;
        assert_error(&r, StatusCode::BAD_REQUEST, "imports.unknown_column", Some("mapping.handle"));
        let r = c.post(&app.ws(&format!("/imports/{id}/preview")), json!({"mapping": {"platform": 1, "handle": 2}, "extra": 1})).await;
        assert_eq!(r.0, StatusCode::BAD_REQUEST, "{}", r.1);
        let r = c.post(&app.ws(&format!("/imports/{id}/commit")), json!({"mapping": imp["mapping"]})).await;
        assert_error(&r, StatusCode::BAD_REQUEST, "imports.has_errors", Some("skip_invalid"));
        assert_eq!(c.get(&app.ws("/accounts")).await.1["total"], 0, "a refused commit writes nothing");
        let (s, _) = c.post(&app.ws(&format!("/imports/{id}/commit")), json!({"mapping": imp["mapping"], "skip_invalid": true})).await;
        assert_eq!(s, StatusCode::ACCEPTED);
        let done = finished(&c, &app.ws(&format!("/imports/{id}"))).await;
        assert_eq!((done["result"]["created"].as_i64(), done["result"]["skipped"].as_i64()), (Some(1), Some(1)), "{done}");
        assert_eq!(done["result"]["issues"][0]["row"], 3);
        assert_eq!(c.get(&app.ws("/imports/999999")).await.0, StatusCode::NOT_FOUND);
    }
}

fn kox_server_limit() -> usize {
    200 * 1024 * 1024
}
