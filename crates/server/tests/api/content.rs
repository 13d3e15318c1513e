//! The SOP board over HTTP: the whole workflow, every endpoint × role, bad input, the event
//! stream with Last-Event-ID replay, and the stream across two servers on one PostgreSQL.

use std::time::Duration;

use kox_domain::access::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::db_tests;
use crate::harness::{Client, TestApp, assert_error};

async fn draft(app: &TestApp, op: &Client, account: i64, body: &str) -> Value {
    let (s, item) = op
        .post(
            &app.ws("/content"),
            json!({"stage": "draft", "title": "星河S7 通勤一周", "body": body, "account_id": account, "media": ["封面.jpg"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{item}");
    item
}

fn path(app: &TestApp, id: i64, rest: &str) -> String {
    app.ws(&format!("/content/{id}{rest}"))
}

/// Reads one SSE message (`event`, `id`, `data`) from a streaming response, waiting at most `wait`.
pub(crate) async fn next_event(
    res: &mut reqwest::Response,
    buf: &mut String,
    wait: Duration,
) -> Option<(String, i64, Value)> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        if let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let (mut ev, mut id, mut data) = (String::new(), 0, String::new());
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("event:") {
                    v.trim().clone_into(&mut ev);
                } else if let Some(v) = line.strip_prefix("id:") {
                    id = v.trim().parse().unwrap_or(0);
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim());
                }
            }
            if ev.is_empty() {
                continue; // a keep-alive comment
            }
            return Some((ev, id, serde_json::from_str(&data).unwrap_or(Value::Null)));
        }
        let chunk = tokio::time::timeout_at(deadline, res.chunk())
            .await
            .ok()?
            .ok()??;
        buf.push_str(&String::from_utf8_lossy(&chunk));
    }
}

pub(crate) async fn open_stream(c: &Client, url: &str, last: Option<i64>) -> reqwest::Response {
    let mut req = c.http.get(url);
    if let Some(l) = last {
        req = req.header("Last-Event-ID", l.to_string());
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    res
}

db_tests! {
    async fn a_refusal_says_why_in_terms_of_the_work(app: TestApp) {
        let d = app.login_as(Role::Director).await;
        let (_, acc) = d.post(&app.ws("/accounts"), crate::harness::account_body("not_yours")).await;
        let op = app.login_as(Role::Operator).await;
        let r = op.post(&app.ws("/content"), json!({"title": "别人的账号", "stage": "draft", "account_id": acc["id"]})).await;
        assert_error(&r, StatusCode::FORBIDDEN, "content.not_account_owner", Some("account_id"));
        assert_eq!(r.1["error"]["params"], json!({"handle": "not_yours"}));
        assert!(r.1["error"]["message"].as_str().unwrap().contains("@not_yours"));
        // The director's draft on that account: the operator may not edit it either, for the same reason.
        let (s, item) = d.post(&app.ws("/content"), json!({"title": "主管的稿件", "stage": "draft", "account_id": acc["id"]})).await;
        assert_eq!(s, StatusCode::CREATED, "{item}");
        let r = op.patch(&app.ws(&format!("/content/{}", item["id"])), json!({"version": item["version"], "body": "改一下"})).await;
        assert_error(&r, StatusCode::FORBIDDEN, "content.not_account_owner", Some("account_id"));
        // A viewer is refused by role, with no params.
        let v = app.login_as(Role::Viewer).await;
        let r = v.patch(&app.ws(&format!("/content/{}", item["id"])), json!({"version": item["version"], "body": "改一下"})).await;
        assert_error(&r, StatusCode::FORBIDDEN, "auth.forbidden", None);
        assert!(r.1["error"].get("params").is_none(), "{}", r.1);
    }

    async fn an_operator_and_an_editor_take_a_draft_from_review_to_retro(app: TestApp) {
        let account = app.operator_account("xinghe_lily").await;
        let op = app.login_as(Role::Operator).await;
        let editor = app.login_as(Role::Editor).await;
        let item = draft(&app, &op, account, "全网最强的通勤车").await;
        let id = item["id"].as_i64().unwrap();
        assert_eq!(item["checks"]["red_lines"][0]["phrase"], "最");
        assert_eq!((item["checks"]["red_lines"][0]["start"].as_i64(), item["checks"]["red_lines"][0]["end"].as_i64()), (Some(2), Some(3)));
        assert_eq!(item["checks"]["blocking"], true);

        let (s, r) = op.post(&path(&app, id, "/review"), json!({"action": "submit"})).await;
        assert_eq!((s, r["stage"].as_str()), (StatusCode::OK, Some("review")), "{r}");
        assert_error(&op.post(&path(&app, id, "/review"), json!({"action": "approve"})).await, StatusCode::FORBIDDEN, "auth.forbidden", None);
        assert_error(&editor.post(&path(&app, id, "/review"), json!({"action": "approve"})).await, StatusCode::BAD_REQUEST, "content.red_line_block", Some("body"));
        let (s, r) = editor.post(&path(&app, id, "/review"), json!({"action": "reject", "reason": "不能用极限词"})).await;
        assert_eq!((s, r["stage"].as_str(), r["review_state"].as_str()), (StatusCode::OK, Some("draft"), Some("rejected")));
        let (_, reviews) = op.get(&path(&app, id, "/reviews")).await;
        assert_eq!(reviews[0]["reason"], "不能用极限词");
        assert_eq!(reviews[0]["approver_name"], "editor");

        // Two people edit the card: the second save of the same field conflicts.
        let v = r["version"].as_i64().unwrap();
        let (s, fixed) = op.patch(&path(&app, id, ""), json!({"version": v, "body": "很适合通勤的车 #星河S7#"})).await;
        assert_eq!(s, StatusCode::OK, "{fixed}");
        assert_eq!(fixed["checks"]["blocking"], false);
        let director = app.login_as(Role::Director).await;
        assert_error(&director.patch(&path(&app, id, ""), json!({"version": v, "body": "别的"})).await, StatusCode::CONFLICT, "conflict.stale_version", Some("body"));

        op.post(&path(&app, id, "/review"), json!({"action": "submit"})).await;
        let (s, r) = editor.post(&path(&app, id, "/review"), json!({"action": "approve"})).await;
        assert_eq!((s, r["stage"].as_str()), (StatusCode::OK, Some("publish")), "{r}");

        let (s, pack) = op.get(&path(&app, id, "/publish-pack")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(pack["copy_text"], "星河S7 通勤一周\n\n很适合通勤的车 #星河S7#");
        let before = app.event_count().await;
        assert_error(
            &op.post(&path(&app, id, "/publish"), json!({"post_url": "https://www.bilibili.com/video/BV1xK4y1a7"})).await,
            StatusCode::BAD_REQUEST, "content.post_url_platform", Some("post_url"),
        );
        assert_eq!(app.event_count().await, before, "a refused publish writes nothing");
        let (s, r) = op.post(&path(&app, id, "/publish"), json!({"post_url": "https://www.xiaohongshu.com/explore/6650a1b2c3d4e5f6a7b8c9d0?xsec_token=1"})).await;
        assert_eq!((s, r["stage"].as_str(), r["platform_post_id"].as_str()), (StatusCode::OK, Some("retro"), Some("6650a1b2c3d4e5f6a7b8c9d0")), "{r}");
        assert!(r["published_at"].is_string());
        assert_error(&op.post(&path(&app, id, "/retro"), json!({"note": "", "reuse_topic": false})).await, StatusCode::BAD_REQUEST, "validation.required", Some("note"));
        let (s, r) = op.post(&path(&app, id, "/retro"), json!({"note": "实拍封面点击率高", "reuse_topic": true})).await;
        assert_eq!((s, r["closed_at"].is_string()), (StatusCode::OK, true));

        let (_, history) = editor.get(&path(&app, id, "/history")).await;
        let actions: Vec<&str> = history.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert_eq!(actions, vec!["content.retro", "content.published", "content.approved", "content.submitted", "content.updated", "content.rejected", "content.submitted", "content.created"]);
        let (_, fp) = editor.get(&app.ws("/content/first-pass?by=person")).await;
        assert_eq!((fp[0]["reviewed"].as_i64(), fp[0]["first_pass"].as_i64(), fp[0]["label"].as_str()), (Some(1), Some(0), Some("operator")));
    }

    async fn each_member_is_told_what_they_may_do_with_an_item_and_on_the_board(app: TestApp) {
        let account = app.operator_account("xinghe_allowed").await;
        let op = app.login_as(Role::Operator).await;
        let editor = app.login_as(Role::Editor).await;
        let viewer = app.login_as(Role::Viewer).await;
        let item = draft(&app, &op, account, "很适合通勤的车").await;
        let id = item["id"].as_i64().unwrap();
        let names = |v: &Value| -> Vec<String> {
            v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_owned()).collect()
        };
        assert_eq!(names(&item["allowed"]["actions"]), ["edit", "delete", "submit", "comment"]);
        assert_eq!(names(&item["allowed"]["moves"]), ["topic", "draft", "review", "cancelled"]);
        assert_eq!(item["allowed"]["content_locked"], false);
        // The hub works on every draft (and submits from the drawer), but drags only among
        // 选题, 稿件 and 已取消.
        let (_, seen) = editor.get(&path(&app, id, "")).await;
        assert_eq!(names(&seen["allowed"]["actions"]), ["edit", "delete", "submit", "comment"]);
        assert_eq!(names(&seen["allowed"]["moves"]), ["topic", "draft", "cancelled"]);
        let (_, seen) = viewer.get(&path(&app, id, "")).await;
        assert!(seen["allowed"]["actions"].as_array().unwrap().is_empty());

        // In review the submitter may withdraw, the editor decides; nobody is offered more.
        let (_, r) = op.post(&path(&app, id, "/review"), json!({"action": "submit"})).await;
        assert_eq!(names(&r["allowed"]["actions"]), ["edit", "withdraw", "comment"]);
        assert_eq!(r["allowed"]["content_locked"], true);
        let (_, seen) = editor.get(&path(&app, id, "")).await;
        assert_eq!(names(&seen["allowed"]["actions"]), ["withdraw", "approve", "reject", "comment"]);
        let (_, r) = editor.post(&path(&app, id, "/review"), json!({"action": "approve"})).await;
        assert_eq!(names(&r["allowed"]["actions"]), ["comment"], "the editor does not publish");
        let (_, seen) = op.get(&path(&app, id, "")).await;
        assert_eq!(names(&seen["allowed"]["actions"]), ["edit", "publish", "comment"]);
        let (_, r) = op.post(&path(&app, id, "/publish"), json!({"post_url": "https://www.xiaohongshu.com/explore/6650a1b2c3d4e5f6a7b8c9d0"})).await;
        // A published item stays in 复盘: no column to drag it to but its own.
        assert_eq!(names(&r["allowed"]["moves"]), ["retro"]);
        assert_error(&op.post(&path(&app, id, "/move"), json!({"stage": "cancelled"})).await, StatusCode::BAD_REQUEST, "content.invalid_transition", Some("stage"));

        // The board: the cards are the same for everyone; what each member may do comes with it.
        let (s, board) = op.get(&app.ws("/content/board")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(board["allowed"]["create_stage"], "draft");
        assert_eq!(board["allowed"]["own_accounts"], json!([account]));
        let moves = |b: &Value, stage: &str, owns: bool| -> Vec<String> {
            let m = b["allowed"]["moves"].as_array().unwrap().iter()
                .find(|m| m["stage"] == stage && m["owns"] == owns && m["has_account"] == true).unwrap();
            names(&m["to"])
        };
        assert_eq!(moves(&board, "draft", true), ["topic", "draft", "review", "cancelled"]);
        assert!(moves(&board, "draft", false).is_empty());
        let (_, board) = editor.get(&app.ws("/content/board")).await;
        assert_eq!(board["allowed"]["create_stage"], "topic");
        assert_eq!(moves(&board, "draft", false), ["topic", "draft", "cancelled"]);
        assert_eq!(moves(&board, "retro", false), Vec::<String>::new());
        let (_, board) = viewer.get(&app.ws("/content/board")).await;
        assert_eq!(board["allowed"]["create_stage"], Value::Null);
    }

    async fn every_content_endpoint_checks_the_role(app: TestApp) {
        let account = app.operator_account("xinghe_role").await;
        let op = app.login_as(Role::Operator).await;
        for role in Role::ALL {
            let c = app.login_as(role).await;
            let topic = c.post(&app.ws("/content"), json!({"title": format!("{} 的选题", role.as_str())})).await;
            let may_topic = matches!(role, Role::Admin | Role::Director | Role::Editor | Role::Planner);
            assert_eq!(topic.0, if may_topic { StatusCode::CREATED } else { StatusCode::FORBIDDEN }, "{role:?} topic: {}", topic.1);
            // An operator's refusal says why: a topic is on none of their accounts.
            if role == Role::Operator {
                assert_error(&topic, StatusCode::FORBIDDEN, "content.not_account_owner", Some("account_id"));
            }
            assert_eq!(c.get(&app.ws("/content/board")).await.0, StatusCode::OK, "{role:?} board");
            assert_eq!(c.get(&app.ws("/content/settings")).await.0, StatusCode::OK);
            let (s, lines) = c.get(&app.ws("/red-lines")).await;
            assert_eq!(s, StatusCode::OK);
            // Each line says what this member may do with it: the hub tightens, directors and
            // admins may also loosen, everyone else only reads.
            let zui = lines.as_array().unwrap().iter().find(|l| l["phrase"] == "最").unwrap();
            let may_loosen = matches!(role, Role::Admin | Role::Director);
            let a = &zui["allowed"];
            assert_eq!((a["edit"].as_bool(), a["toggle"].as_bool(), a["remove"].as_bool(), a["limited"].as_bool()), (Some(may_topic), Some(may_loosen), Some(may_loosen), Some(may_topic && !may_loosen)), "{role:?}: {a}");

            // A fresh item in review for each decision.
            let id = draft(&app, &op, account, "正文").await["id"].as_i64().unwrap();
            op.post(&path(&app, id, "/review"), json!({"action": "submit"})).await;
            let approve = c.post(&path(&app, id, "/review"), json!({"action": "approve"})).await;
            let may_review = matches!(role, Role::Admin | Role::Director | Role::Editor);
            assert_eq!(approve.0, if may_review { StatusCode::OK } else { StatusCode::FORBIDDEN }, "{role:?} approve: {}", approve.1);
            if !may_review {
                app.login_as(Role::Editor).await.post(&path(&app, id, "/review"), json!({"action": "approve"})).await;
            }
            let publish = c.post(&path(&app, id, "/publish"), json!({"post_url": "http://xhslink.com/a/Bc12"})).await;
            let may_publish = matches!(role, Role::Admin | Role::Director | Role::Operator);
            assert_eq!(publish.0, if may_publish { StatusCode::OK } else { StatusCode::FORBIDDEN }, "{role:?} publish: {}", publish.1);

            let comment = c.post(&path(&app, id, "/comments"), json!({"body": "看过了"})).await;
            assert_eq!(comment.0, if role == Role::Viewer { StatusCode::FORBIDDEN } else { StatusCode::CREATED }, "{role:?} comment");
            let line = c.post(&app.ws("/red-lines"), json!({"phrase": format!("禁用词{}", role.as_str()), "severity": "warn"})).await;
            assert_eq!(line.0, if may_topic { StatusCode::CREATED } else { StatusCode::FORBIDDEN }, "{role:?} red line");
            let settings = c.send(reqwest::Method::PUT, &app.ws("/content/settings"), Some(json!({"stage_names": {"review": "审核"}, "approval": {"mode": "required"}}))).await;
            assert_eq!(settings.0, if role == Role::Admin { StatusCode::OK } else { StatusCode::FORBIDDEN }, "{role:?} settings");
            let edit = c.patch(&path(&app, id, ""), json!({"version": 1, "tags": ["复盘"]})).await;
            let may_edit_published = matches!(role, Role::Admin | Role::Director | Role::Operator);
            assert_eq!(edit.0 == StatusCode::OK, may_edit_published, "{role:?} edit in 复盘: {}", edit.1);
        }
    }

    async fn bad_input_is_refused_with_its_field_and_changes_nothing(app: TestApp) {
        let account = app.operator_account("xinghe_bad").await;
        let op = app.login_as(Role::Operator).await;
        let planner = app.login_as(Role::Planner).await;
        let (_, topic) = planner.post(&app.ws("/content"), json!({"title": "选题"})).await;
        let tid = topic["id"].as_i64().unwrap();
        let planner2 = app.login_as(Role::Planner).await;
        let before = app.event_count().await;
        assert_error(&planner.post(&path(&app, tid, "/move"), json!({"stage": "publish", "after_id": null})).await, StatusCode::BAD_REQUEST, "content.invalid_transition", Some("stage"));
        assert_error(&planner.post(&path(&app, tid, "/move"), json!({"stage": "draft"})).await, StatusCode::BAD_REQUEST, "content.account_required", Some("account_id"));
        assert_error(&planner.post(&path(&app, tid, "/move"), json!({"stage": "later"})).await, StatusCode::BAD_REQUEST, "request.unknown_value", Some("stage"));
        assert_error(&planner.post(&app.ws("/content"), json!({"title": ""})).await, StatusCode::BAD_REQUEST, "validation.required", Some("title"));
        assert_error(&planner.post(&app.ws("/content"), json!({"title": "t", "stage": "draft"})).await, StatusCode::BAD_REQUEST, "content.account_required", Some("account_id"));
        assert_error(&planner.post(&app.ws("/content"), json!({"title": "t", "account_id": app.foreign_account})).await, StatusCode::BAD_REQUEST, "content.unknown_account", Some("account_id"));
        assert_error(&planner.post(&app.ws("/content"), json!({"title": "t", "colour": "red"})).await, StatusCode::BAD_REQUEST, "request.unknown_field", None);
        // The server answers 413 before reading the whole body and closes that connection, so the
        // 1 MB request goes on a connection of its own.
        let huge = "字".repeat(400_000);
        let res = planner2.post(&app.ws("/content"), json!({"title": "t", "body": huge})).await;
        assert_error(&res, StatusCode::PAYLOAD_TOO_LARGE, "request.too_large", None);
        assert_error(&planner.get(&app.ws("/content/board?colour=red")).await, StatusCode::BAD_REQUEST, "request.unknown_parameter", Some("colour"));
        assert_error(&planner.get(&app.ws("/content/board?limit=5000")).await, StatusCode::BAD_REQUEST, "validation.range", Some("limit"));
        assert_error(&planner.get(&app.ws("/content/board?offset=5")).await, StatusCode::BAD_REQUEST, "validation.offset_needs_stage", Some("offset"));
        assert_error(&planner.get(&app.ws("/content/first-pass?from=2026-12-01&to=2026-11-01")).await, StatusCode::BAD_REQUEST, "validation.range", Some("to"));
        assert_eq!(app.event_count().await, before);

        // Another workspace's item looks missing everywhere.
        let boss = app.login("boss@other.cn").await;
        let (_, theirs) = boss.post(&format!("/api/v1/workspaces/{}/content", app.other_ws.0), json!({"title": "别人的选题"})).await;
        let foreign = theirs["id"].as_i64().unwrap();
        let admin = app.login_as(Role::Admin).await;
        for res in [
            admin.get(&path(&app, foreign, "")).await,
            admin.patch(&path(&app, foreign, ""), json!({"version": 1, "title": "x"})).await,
            admin.post(&path(&app, foreign, "/move"), json!({"stage": "cancelled"})).await,
            admin.post(&path(&app, foreign, "/review"), json!({"action": "submit"})).await,
            admin.get(&path(&app, foreign, "/history")).await,
            admin.post(&path(&app, foreign, "/comments"), json!({"body": "hi"})).await,
        ] {
            assert_eq!(res.0, StatusCode::NOT_FOUND, "{}", res.1);
        }

        let id = draft(&app, &op, account, "正文").await["id"].as_i64().unwrap();
        op.post(&path(&app, id, "/review"), json!({"action": "submit"})).await;
        assert_error(&op.post(&path(&app, id, "/review"), json!({"action": "submit"})).await, StatusCode::BAD_REQUEST, "content.invalid_transition", Some("stage"));
        assert_error(&op.post(&path(&app, id, "/publish"), json!({"post_url": "http://xhslink.com/a/Bc12"})).await, StatusCode::CONFLICT, "content.not_in_stage", Some("stage"));
        let editor = app.login_as(Role::Editor).await;
        assert_error(&editor.post(&path(&app, id, "/review"), json!({"action": "reject"})).await, StatusCode::BAD_REQUEST, "content.reason_required", Some("reason"));
        assert_error(&editor.post(&path(&app, id, "/review"), json!({"action": "dance"})).await, StatusCode::BAD_REQUEST, "request.unknown_value", Some("action"));
        assert_error(&op.patch(&path(&app, id, ""), json!({"version": 2, "body": "改"})).await, StatusCode::CONFLICT, "content.locked", Some("body"));
        // Refusals by the item's current state are conflicts (409), not malformed requests.
        let (s, approved) = editor.post(&path(&app, id, "/review"), json!({"action": "approve"})).await;
        assert_eq!((s, approved["stage"].as_str()), (StatusCode::OK, Some("publish")), "{approved}");
        assert_error(&editor.post(&path(&app, id, "/review"), json!({"action": "approve"})).await, StatusCode::CONFLICT, "content.review_not_pending", Some("action"));
        assert_error(&admin.delete(&path(&app, id, "")).await, StatusCode::CONFLICT, "content.not_in_stage", Some("stage"));
        assert_error(&planner.post(&app.ws("/red-lines"), json!({"phrase": "最"})).await, StatusCode::CONFLICT, "red_lines.duplicate", Some("phrase"));
        let admin_settings = admin.send(reqwest::Method::PUT, &app.ws("/content/settings"), Some(json!({"stage_names": {}, "approval": {"mode": "multi_level", "steps": []}}))).await;
        assert_error(&admin_settings, StatusCode::BAD_REQUEST, "content.steps_required", Some("approval.steps"));
        assert_error(&admin.patch(&app.ws("/platforms/xiaohongshu"), json!({"title_max": 0})).await, StatusCode::BAD_REQUEST, "validation.range", Some("title_max"));
        let (s, p) = admin.patch(&app.ws("/platforms/xiaohongshu"), json!({"title_max": 30, "url_patterns": ["https://www.xiaohongshu.com/explore/"]})).await;
        assert_eq!((s, p["title_max"].as_i64(), p["url_patterns"].clone()), (StatusCode::OK, Some(30), json!(["xiaohongshu.com/explore/"])));
    }

    async fn the_board_shows_columns_with_names_totals_and_wip_limits(app: TestApp) {
        let account = app.operator_account("xinghe_board").await;
        let op = app.login_as(Role::Operator).await;
        for i in 0..3 {
            draft(&app, &op, account, &format!("第{i}篇")).await;
        }
        let admin = app.login_as(Role::Admin).await;
        let (s, _) = admin.send(reqwest::Method::PUT, &app.ws("/content/settings"), Some(json!({"stage_names": {"draft": "初稿"}, "wip_limits": {"draft": 2}, "approval": {"mode": "optional"}}))).await;
        assert_eq!(s, StatusCode::OK);
        let (s, board) = op.get(&app.ws("/content/board?mine=true&limit=2")).await;
        assert_eq!(s, StatusCode::OK, "{board}");
        let draft_col = &board["columns"][1];
        assert_eq!((draft_col["name"].as_str(), draft_col["total"].as_i64(), draft_col["wip_limit"].as_i64()), (Some("初稿"), Some(3), Some(2)));
        assert_eq!(draft_col["items"].as_array().unwrap().len(), 2);
        assert_eq!(draft_col["items"][0]["account_handle"], "xinghe_board");
        let (_, page2) = op.get(&app.ws("/content/board?stage=draft&limit=2&offset=2")).await;
        assert_eq!(page2["columns"].as_array().unwrap().len(), 1);
        assert_eq!(page2["columns"][0]["items"].as_array().unwrap().len(), 1);
        // Drag and drop: put the third card first, then after the second.
        let ids: Vec<i64> = board["columns"][1]["items"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
        let third = page2["columns"][0]["items"][0]["id"].as_i64().unwrap();
        let (s, moved) = op.post(&path(&app, third, "/move"), json!({"stage": "draft", "after_id": null})).await;
        assert_eq!(s, StatusCode::OK, "{moved}");
        let (_, b) = op.get(&app.ws("/content/board")).await;
        let order: Vec<i64> = b["columns"][1]["items"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
        assert_eq!(order, vec![third, ids[0], ids[1]]);
        op.post(&path(&app, third, "/move"), json!({"stage": "draft", "after_id": ids[0]})).await;
        let (_, b) = op.get(&app.ws("/content/board")).await;
        let order: Vec<i64> = b["columns"][1]["items"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
        assert_eq!(order, vec![ids[0], third, ids[1]]);
        // Optional review: a draft may go straight to 发布.
        let (s, r) = op.post(&path(&app, third, "/move"), json!({"stage": "publish"})).await;
        assert_eq!((s, r["stage"].as_str()), (StatusCode::OK, Some("publish")), "{r}");
    }

    async fn the_event_stream_pushes_changes_and_replays_from_last_event_id(app: TestApp) {
        let planner = app.login_as(Role::Planner).await;
        let viewer = app.login_as(Role::Viewer).await;
        let url = format!("{}{}", app.base, app.ws("/events/stream"));
        let mut res = open_stream(&viewer, &url, None).await;
        let mut buf = String::new();
        let (_, created) = planner.post(&app.ws("/content"), json!({"title": "直播选题"})).await;
        let id = created["id"].as_i64().unwrap();
        let (ev, first_id, data) = next_event(&mut res, &mut buf, Duration::from_secs(3)).await.expect("an event within 3 s");
        assert_eq!((ev.as_str(), data["action"].as_str(), data["entity_id"].as_i64()), ("change", Some("content.created"), Some(id)));
        assert_eq!(data["id"].as_i64(), Some(first_id));
        drop(res);
        // While disconnected, two more changes; a reconnect with Last-Event-ID gets both.
        planner.post(&path(&app, id, "/move"), json!({"stage": "cancelled"})).await;
        planner.post(&path(&app, id, "/comments"), json!({"body": "先不做了"})).await;
        let mut res = open_stream(&viewer, &url, Some(first_id)).await;
        let mut buf = String::new();
        let a = next_event(&mut res, &mut buf, Duration::from_secs(3)).await.unwrap();
        let b = next_event(&mut res, &mut buf, Duration::from_secs(3)).await.unwrap();
        assert_eq!((a.2["action"].as_str(), b.2["action"].as_str()), (Some("content.moved"), Some("content.commented")));
        assert!(a.2["ip"].is_null());
        // Another workspace's stream is not ours to read; garbage ids are refused.
        assert_eq!(viewer.get(&format!("/api/v1/workspaces/{}/events/stream", app.other_ws.0)).await.0, StatusCode::NOT_FOUND);
        let bad = viewer.http.get(&url).header("Last-Event-ID", "yesterday").send().await.unwrap();
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        assert_eq!(app.anonymous().http.get(&url).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }
}

/// Two `kox serve` instances on one PostgreSQL database: a change made through one reaches an
/// event stream opened on the other (LISTEN/NOTIFY carries the ids, the stream reads the rows).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_on_one_server_reaches_a_stream_on_another_server_on_postgres() {
    let a = TestApp::spawn(kox_store::Engine::Postgres).await;
    let (b_base, b_store) = a.second_server(kox_server::Settings::default()).await;
    // Wait until B's listener is connected (its first wake).
    for _ in 0..500 {
        if b_store.generation() > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(b_store.generation() > 0, "the listener on B connected");

    let mut on_b = a.login_as(Role::Editor).await;
    on_b.base = b_base.clone();
    let (s, _) = on_b
        .post(
            "/api/v1/auth/login",
            json!({"email": "editor@t.cn", "password": crate::harness::PASSWORD}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let mut res = open_stream(&on_b, &format!("{b_base}{}", a.ws("/events/stream")), None).await;
    let mut buf = String::new();
    let planner_on_a = a.login_as(Role::Planner).await;
    let (_, created) = planner_on_a
        .post(&a.ws("/content"), json!({"title": "跨实例选题"}))
        .await;
    let (_, _, data) = next_event(&mut res, &mut buf, Duration::from_secs(3))
        .await
        .expect("B streams A's change within 3 s");
    assert_eq!(data["entity_id"], created["id"]);
    // And B's cached board sees it at once, not after its cache expires.
    let (_, board) = on_b.get(&a.ws("/content/board")).await;
    assert_eq!(board["columns"][0]["total"], 1);
}
