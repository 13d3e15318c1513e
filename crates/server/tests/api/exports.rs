//! Exports over HTTP: the account matrix, campaigns, board and audit log as XLSX files read
//! back with the import's own reader; filters apply, every row leaves, the account sheet
//! imports again unchanged; who may export what; the audit log's filters and object names.

use kox_domain::access::Role;
use kox_domain::imports::sheet;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::db_tests;
use crate::harness::{Client, TestApp, account_body, assert_error, finished};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Downloads an export and reads it as the import would: headers and rows of text.
async fn export(c: &Client, path: &str) -> sheet::Sheet {
    let (status, headers, bytes) = c.download(path).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    assert_eq!(headers["content-type"], XLSX);
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\""),
        "{disposition}"
    );
    assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
    sheet::read("export.xlsx", &bytes).expect("the export is a readable workbook")
}

fn column(s: &sheet::Sheet, header: &str) -> Vec<String> {
    let i = s
        .headers
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column {header} in {:?}", s.headers));
    s.rows.iter().map(|r| r.cell(i).to_owned()).collect()
}

db_tests! {
    async fn the_account_export_holds_every_filtered_account_and_imports_back_unchanged(app: TestApp) {
        let d = app.login_as(Role::Director).await;
        let operator = app.user(Role::Operator).0;
        // More accounts than one page of the list, so the export must read on.
        for i in 0..230 {
            let mut body = account_body(&format!("exp_{i:03}"));
            if i % 10 == 0 {
                body["tier"] = json!("KOL");
                body["ownership"] = json!("paid");
                body["owner_ids"] = json!([operator]);
                body["tags"] = json!(["汽车", "测评"]);
            }
            let (s, a) = d.post(&app.ws("/accounts"), body).await;
            assert_eq!(s, StatusCode::CREATED, "{a}");
        }
        let all = export(&d, &app.ws("/accounts/export")).await;
        assert_eq!(all.headers[..5], ["层级", "平台", "账号 ID", "昵称", "粉丝数"]);
        assert_eq!(all.rows.len(), 230);
        let kol = export(&d, &app.ws("/accounts/export?tier=KOL&sort=handle_asc")).await;
        assert_eq!(kol.rows.len(), 23);
        assert_eq!(column(&kol, "账号 ID")[..2], ["exp_000", "exp_010"]);
        assert!(column(&kol, "层级").iter().all(|t| t == "KOL"));
        assert!(column(&kol, "归属类型").iter().all(|t| t == "付费合作"));
        assert!(column(&kol, "标签").iter().all(|t| t == "汽车、测评"));
        let (_, members) = d.get(&app.ws("/members")).await;
        let operator_name = members.as_array().unwrap().iter().find(|m| m["user_id"] == operator).unwrap()["name"].clone();
        assert!(column(&kol, "负责人").iter().all(|n| Value::String(n.clone()) == operator_name), "{operator_name}");
        assert!(column(&kol, "平台").iter().all(|p| p == "小红书"));

        // The exported file goes back in through the import: every row is found and unchanged.
        let (_, bytes) = {
            let (s, _, b) = d.download(&app.ws("/accounts/export")).await;
            (s, b)
        };
        let (s, imp) = d.upload(&app.ws("/imports?kind=accounts&file_name=export.xlsx"), bytes).await;
        assert_eq!(s, StatusCode::CREATED, "{imp}");
        let id = imp["id"].as_i64().unwrap();
        let (s, p) = d.post(&app.ws(&format!("/imports/{id}/preview")), json!({"mapping": imp["mapping"]})).await;
        assert_eq!(s, StatusCode::OK, "{p}");
        assert_eq!((p["creates"].as_i64(), p["updates"].as_i64(), p["invalid"].as_i64(), p["unchanged"].as_i64()), (Some(0), Some(0), Some(0), Some(230)), "{p}");
        let (s, _) = d.post(&app.ws(&format!("/imports/{id}/commit")), json!({"mapping": imp["mapping"]})).await;
        assert_eq!(s, StatusCode::ACCEPTED);
        let done = finished(&d, &app.ws(&format!("/imports/{id}"))).await;
        assert_eq!(done["result"]["unchanged"], 230, "{done}");
    }

    async fn campaigns_and_the_board_export_as_filtered_with_their_names(app: TestApp) {
        let d = app.login_as(Role::Director).await;
        let (s, camp) = d.post(&app.ws("/campaigns"), json!({
            "name": "星河S7 上市", "theme": "冬季续航", "starts_on": "2026-12-01", "ends_on": "2026-12-31",
            "budget_fen": 50_000_000, "budget_by_tier": {"KOL": 30_000_000, "KOC": 10_000_000},
            "required_hashtags": ["星河S7"], "target_kpis": "曝光 1000 万"
        })).await;
        assert_eq!(s, StatusCode::CREATED, "{camp}");
        d.post(&app.ws("/campaigns"), json!({"name": "旧战役", "starts_on": "2026-01-01", "ends_on": "2026-01-31", "status": "completed"})).await;
        let sheet = export(&d, &app.ws("/campaigns/export")).await;
        assert_eq!(sheet.rows.len(), 2);
        let active = export(&d, &app.ws("/campaigns/export?q=%E6%98%9F%E6%B2%B3")).await;
        assert_eq!(column(&active, "名称"), ["星河S7 上市"]);
        assert_eq!(column(&active, "总预算（元）"), ["500000"]);
        assert_eq!(column(&active, "KOL 预算（元）"), ["300000"]);
        assert_eq!(column(&active, "KOE 预算（元）"), [""]);
        assert_eq!(column(&active, "必带话题"), ["#星河S7"]);
        assert_eq!(column(&active, "开始日期"), ["2026-12-01"]);

        let campaign = camp["id"].as_i64().unwrap();
        for (i, title) in ["冬季续航实测", "充电桩地图", "车主故事"].iter().enumerate() {
            let body = if i == 0 { json!({"title": title, "campaign_id": campaign}) } else { json!({"title": title}) };
            let (s, it) = d.post(&app.ws("/content"), body).await;
            assert_eq!(s, StatusCode::CREATED, "{it}");
        }
        let board = export(&d, &app.ws("/content/board/export")).await;
        assert_eq!(board.rows.len(), 3);
        assert!(column(&board, "阶段").iter().all(|s| s == "选题"));
        let filtered = export(&d, &app.ws(&format!("/content/board/export?campaign={campaign}"))).await;
        assert_eq!(column(&filtered, "标题"), ["冬季续航实测"]);
        assert_eq!(column(&filtered, "营销战役"), ["星河S7 上市"]);
        // A bad filter is the list's own 400, not a file.
        assert_error(&d.get(&app.ws("/content/board/export?tier=XYZ")).await, StatusCode::BAD_REQUEST, "request.unknown_value", Some("tier"));
    }

    async fn every_member_exports_lists_and_only_admins_export_the_audit_log(app: TestApp) {
        for role in Role::ALL {
            let c = app.login_as(role).await;
            for path in ["/accounts/export", "/campaigns/export", "/content/board/export"] {
                let (s, _, _) = c.download(&app.ws(path)).await;
                assert_eq!(s, StatusCode::OK, "{role:?} {path}");
            }
            let r = c.get(&app.ws("/events/export")).await;
            if role == Role::Admin {
                assert_eq!(r.0, StatusCode::OK, "{role:?}");
            } else {
                assert_error(&r, StatusCode::FORBIDDEN, "auth.forbidden", None);
            }
        }
        // Not a member of the workspace: it does not exist for them.
        let anon = app.anonymous();
        assert_eq!(anon.get(&app.ws("/accounts/export")).await.0, StatusCode::UNAUTHORIZED);
    }

    async fn an_english_speaking_member_gets_english_headers(app: TestApp) {
        let c = app.login_as(Role::Director).await;
        let (s, me) = c.patch("/api/v1/me", json!({"locale": "en-US"})).await;
        assert_eq!(s, StatusCode::OK, "{me}");
        c.post(&app.ws("/accounts"), account_body("en_export")).await;
        let sheet = export(&c, &app.ws("/accounts/export")).await;
        assert_eq!(sheet.headers[..3], ["Tier", "Platform", "Handle"]);
        assert_eq!(column(&sheet, "Ownership"), ["Partner"]);
        assert_eq!(column(&sheet, "Status"), ["Active"]);
        // A default platform the workspace never renamed reads in English too.
        assert_eq!(column(&sheet, "Platform"), ["Xiaohongshu (RED)"]);
    }

    async fn the_audit_log_filters_by_person_and_day_and_names_each_object(app: TestApp) {
        let admin = app.login_as(Role::Admin).await;
        let d = app.login_as(Role::Director).await;
        let (_, item) = d.post(&app.ws("/content"), json!({"title": "冬季续航实测"})).await;
        let (_, acc) = admin.post(&app.ws("/accounts"), account_body("audit_named")).await;
        let director = app.user(Role::Director).0;

        let (s, page) = admin.get(&app.ws(&format!("/events?actor={director}"))).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        let items = page["items"].as_array().unwrap();
        assert!(!items.is_empty());
        assert!(items.iter().all(|e| e["actor_id"] == director), "{page}");
        let created = items.iter().find(|e| e["action"] == "content.created").expect("the director's create");
        assert_eq!(created["entity_name"], "冬季续航实测");
        assert_eq!(created["entity_id"], item["id"]);

        let (_, page) = admin.get(&app.ws("/events?action=account.created")).await;
        assert_eq!(page["items"][0]["entity_name"], "@audit_named");
        assert_eq!(page["items"][0]["entity_id"], acc["id"]);

        // Days are the workspace's days; a range before today holds nothing of today's work.
        let (_, page) = admin.get(&app.ws("/events?from=2020-01-01&to=2020-12-31")).await;
        assert_eq!(page["items"], json!([]));
        let today = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
        let (_, page) = admin.get(&app.ws(&format!("/events?from={today}&to={today}&actor={director}"))).await;
        assert!(page["items"].as_array().unwrap().iter().any(|e| e["action"] == "content.created"), "{page}");
        assert_error(&admin.get(&app.ws("/events?from=2026-02-01&to=2026-01-01")).await, StatusCode::BAD_REQUEST, "validation.range", Some("to"));
        assert_error(&admin.get(&app.ws("/events?from=yesterday")).await, StatusCode::BAD_REQUEST, "request.wrong_type", Some("from"));
        assert_error(&admin.get(&app.ws("/events?from=1900-01-01")).await, StatusCode::BAD_REQUEST, "validation.range", Some("from"));

        let sheet = export(&admin, &app.ws(&format!("/events/export?actor={director}"))).await;
        let objects = column(&sheet, "对象");
        assert!(objects.contains(&"内容《冬季续航实测》".to_owned()), "{objects:?}");
        assert!(column(&sheet, "操作").contains(&"创建内容".to_owned()));
        assert!(column(&sheet, "操作人").iter().all(|n| !n.is_empty()));
    }
}
