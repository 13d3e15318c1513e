//! The content calendar over HTTP: who may change the schedule settings (directors, admins)
//! and who may read them (every member), who may move which item and that the calendar's
//! `may_schedule` says the same, a blocking `planned_at` refused with 409 and every reason
//! (and the dry-run check saying the same), and each piece of bad input the issue lists
//! refused with its code and field, nothing written. The iCalendar feeds are in `ics.rs`,
//! waves end to end in `waves.rs`.

mod bad_input;
mod ics;
mod waves;

use chrono::{DateTime, Datelike, Duration, NaiveDate, SecondsFormat, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use kox_domain::access::Role;
use kox_domain::accounts::Tier;
use kox_store::Caller;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::db_tests;
use crate::harness::{Client, TestApp, account_body, assert_error};

pub(crate) const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

/// A local time in Shanghai as UTC.
pub(crate) fn local(day: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    SHANGHAI
        .from_local_datetime(&day.and_hms_opt(h, m, 0).unwrap())
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

/// The Monday (Shanghai) two to three weeks ahead: all of its week is in the future and out of
/// the "not approved yet" window.
pub(crate) fn monday_ahead() -> NaiveDate {
    let mut d = (Utc::now() + Duration::days(14))
        .with_timezone(&SHANGHAI)
        .date_naive();
    while d.weekday() != Weekday::Mon {
        d = d.succ_opt().unwrap();
    }
    d
}

/// RFC 3339 in UTC (no `+` to escape in a query string).
pub(crate) fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(crate) fn time_of(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap_or_else(|| panic!("not a time: {v}")))
        .unwrap()
        .with_timezone(&Utc)
}

/// The calendar of the week starting `mon`, as `c` sees it.
pub(crate) async fn week(app: &TestApp, c: &Client, mon: NaiveDate) -> Value {
    let (from, to) = (local(mon, 0, 0), local(mon + Duration::days(7), 0, 0));
    let (s, v) = c
        .get(&app.ws(&format!("/calendar?from={}&to={}", iso(from), iso(to))))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

pub(crate) fn on_calendar(view: &Value, id: i64) -> Value {
    view["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("item {id} is not on the calendar: {view}"))
}

pub(crate) async fn campaign(
    app: &TestApp,
    c: &Client,
    name: &str,
    embargo_at: Option<DateTime<Utc>>,
) -> i64 {
    let (s, camp) = c
        .post(
            &app.ws("/campaigns"),
            json!({"name": name, "theme": "新车上市", "starts_on": "2026-11-20", "ends_on": "2027-12-31",
                   "embargo_at": embargo_at.map(iso), "status": "active"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{camp}");
    camp["id"].as_i64().unwrap()
}

/// A draft on `account`, created by `c`.
pub(crate) async fn draft_on(
    app: &TestApp,
    c: &Client,
    account: i64,
    title: &str,
    planned_at: Option<DateTime<Utc>>,
    campaign: Option<i64>,
) -> Value {
    let (s, item) = c
        .post(
            &app.ws("/content"),
            json!({"stage": "draft", "title": title, "body": "实拍一周，通勤和周末露营都试了",
                   "account_id": account, "campaign_id": campaign, "media": ["封面.jpg"],
                   "planned_at": planned_at.map(iso)}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{item}");
    item
}

/// An account made in the store: its tier, platform, tags and owner.
pub(crate) async fn account(
    app: &TestApp,
    handle: &str,
    tier: Tier,
    platform: &str,
    tags: &[&str],
    owner: Option<Role>,
) -> i64 {
    let mut d = crate::harness::draft(handle);
    d.tier = tier;
    d.platform = platform.into();
    d.tags = tags.iter().map(|t| (*t).to_owned()).collect();
    d.owner_ids = owner.map(|r| app.user(r)).into_iter().collect();
    app.store
        .create_account(&Caller::system(), app.ws, d)
        .await
        .unwrap()
        .id
        .0
}

/// A coordination order: posts of `trigger` tiers start it; each group (tiers, tags, delay in
/// minutes) follows.
pub(crate) fn order(
    campaign: i64,
    name: &str,
    trigger: &[&str],
    follow: &[(&[&str], &[&str], i64)],
) -> Value {
    json!({
        "campaign_id": campaign, "name": name, "trigger": {"tiers": trigger},
        "follow_ups": follow.iter().map(|(tiers, tags, delay)| json!({"spec": {"tiers": tiers, "account_tags": tags}, "delay_minutes": delay})).collect::<Vec<_>>(),
        "title_template": "跟发：{{trigger.title}}",
        "body_template": "原帖 {{trigger.url}} 来自 @{{trigger.account}}，@{{account.handle}} 请按时跟发",
    })
}

fn slot_body(name: &str) -> Value {
    json!({"name": name, "rrule": "FREQ=WEEKLY;BYDAY=TU,TH", "time": "20:00", "starts_on": "2026-12-01",
           "tier": "KOE", "platform": "xiaohongshu"})
}

/// The conflicts of a 409 or a check as (rule, severity, others), sorted.
pub(crate) fn reasons(conflicts: &Value) -> Vec<(String, String, Vec<i64>)> {
    let mut v: Vec<_> = conflicts
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {conflicts}"))
        .iter()
        .map(|c| {
            assert!(c["message"].as_str().is_some_and(|m| !m.is_empty()), "{c}");
            (
                c["rule"].as_str().unwrap().to_owned(),
                c["severity"].as_str().unwrap().to_owned(),
                c["others"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|o| o.as_i64().unwrap())
                    .collect(),
            )
        })
        .collect();
    v.sort();
    v
}

pub(crate) fn r(rule: &str, severity: &str, others: &[i64]) -> (String, String, Vec<i64>) {
    (rule.to_owned(), severity.to_owned(), others.to_vec())
}

/// What a refused write must leave as it was: the orders, slots, 2027's holidays and rules.
async fn settings(app: &TestApp, c: &Client) -> Vec<Value> {
    let mut out = vec![];
    for p in [
        "/coordination-orders",
        "/recurring-slots",
        "/holidays?year=2027",
        "/schedule-rules",
    ] {
        let (s, v) = c.get(&app.ws(p)).await;
        assert_eq!(s, StatusCode::OK, "{p}: {v}");
        out.push(v);
    }
    out
}

db_tests! {
    async fn directors_and_admins_change_the_schedule_settings_and_every_member_reads_them(app: TestApp) {
        let director = app.login_as(Role::Director).await;
        let camp = campaign(&app, &director, "星河S7 上市协同", None).await;
        let existing_order = director.post(&app.ws("/coordination-orders"), order(camp, "KOL → KOC", &["KOL"], &[(&["KOC"], &[], 120)])).await.1["id"].as_i64().unwrap();
        let existing_slot = director.post(&app.ws("/recurring-slots"), slot_body("KOE 晚间档")).await.1["id"].as_i64().unwrap();
        let item = draft_on(&app, &director, app.operator_account("xinghe_lily").await, "星河S7 一周体验", Some(local(monday_ahead() + Duration::days(2), 10, 0)), None).await["id"].as_i64().unwrap();
        let mon = monday_ahead();
        let (from, to) = (iso(local(mon, 0, 0)), iso(local(mon + Duration::days(7), 0, 0)));
        let reads = [
            format!("/calendar?from={from}&to={to}"), "/calendar/backlog".into(), format!("/calendar/conflicts?from={from}&to={to}"),
            "/schedule-rules".into(), "/coordination-orders".into(), format!("/waves?order_id={existing_order}"), "/recurring-slots".into(),
            "/holidays?year=2027".into(), "/ics-feeds".into(),
        ];
        let holidays = json!({"days": [{"date": "2027-10-01", "name": "国庆节", "kind": "holiday"}]});
        for role in Role::ALL {
            let c = app.login_as(role).await;
            for p in &reads {
                let (s, v) = c.get(&app.ws(p)).await;
                assert_eq!(s, StatusCode::OK, "{role:?} reads {p}: {v}");
            }
            let (s, v) = c.post(&app.ws("/calendar/check"), json!({"item_id": item, "planned_at": iso(local(mon + Duration::days(3), 15, 0))})).await;
            assert_eq!((s, v["blocking"].as_bool()), (StatusCode::OK, Some(false)), "{role:?}: {v}");
            // Every member subscribes to what they may read.
            let (s, feed) = c.post(&app.ws("/ics-feeds"), json!({"scope": "member"})).await;
            assert_eq!(s, StatusCode::CREATED, "{role:?}: {feed}");
            let before = settings(&app, &c).await;
            let rules = c.send(Method::PUT, &app.ws("/schedule-rules"), Some(json!({"min_gap": {"mode": "warn", "hours": 5}}))).await;
            let created = c.post(&app.ws("/coordination-orders"), order(camp, &format!("{} 的指令", role.as_str()), &["KOL"], &[(&["KOC"], &[], 60)])).await;
            let renamed = c.send(Method::PUT, &app.ws(&format!("/coordination-orders/{existing_order}")), Some(order(camp, &format!("{} 改名", role.as_str()), &["KOL"], &[(&["KOC"], &[], 120)]))).await;
            let slot = c.post(&app.ws("/recurring-slots"), slot_body("KOC 午间档")).await;
            let slot_put = c.send(Method::PUT, &app.ws(&format!("/recurring-slots/{existing_slot}")), Some(slot_body("KOE 晚间档（改）"))).await;
            let year = c.send(Method::PUT, &app.ws("/holidays/2027"), Some(holidays.clone())).await;
            if matches!(role, Role::Admin | Role::Director) {
                assert_eq!((rules.0, rules.1["min_gap"]["hours"].as_i64()), (StatusCode::OK, Some(5)), "{}", rules.1);
                assert_eq!(created.0, StatusCode::CREATED, "{}", created.1);
                assert_eq!((renamed.0, renamed.1["name"].as_str()), (StatusCode::OK, Some(format!("{} 改名", role.as_str()).as_str())), "{}", renamed.1);
                assert_eq!(slot.0, StatusCode::CREATED, "{}", slot.1);
                assert_eq!(slot_put.0, StatusCode::OK, "{}", slot_put.1);
                assert_eq!((year.0, year.1["source"].as_str()), (StatusCode::OK, Some("custom")), "{}", year.1);
                let (s, reset) = c.delete(&app.ws("/holidays/2027")).await;
                assert_eq!((s, reset["source"].as_str()), (StatusCode::OK, Some("default")), "{reset}");
                for (path, id) in [("/coordination-orders", &created.1["id"]), ("/recurring-slots", &slot.1["id"])] {
                    assert_eq!(c.delete(&app.ws(&format!("{path}/{id}"))).await.0, StatusCode::NO_CONTENT);
                    assert_eq!(c.delete(&app.ws(&format!("{path}/{id}"))).await.0, StatusCode::NOT_FOUND, "deleted");
                }
            } else {
                for res in [&rules, &created, &renamed, &slot, &slot_put, &year] {
                    assert_error(res, StatusCode::FORBIDDEN, "auth.forbidden", None);
                }
                for path in [format!("/coordination-orders/{existing_order}"), format!("/recurring-slots/{existing_slot}"), "/holidays/2027".into()] {
                    assert_error(&c.delete(&app.ws(&path)).await, StatusCode::FORBIDDEN, "auth.forbidden", None);
                }
                assert_eq!(settings(&app, &c).await, before, "{role:?} changed nothing");
            }
        }
        let orders = director.get(&app.ws("/coordination-orders")).await.1;
        assert_eq!(orders["items"].as_array().unwrap().len(), 1, "{orders}");
        // Without signing in: nothing.
        assert_eq!(app.anonymous().get(&app.ws(&format!("/calendar?from={from}&to={to}"))).await.0, StatusCode::UNAUTHORIZED);
    }

    async fn who_may_move_an_item_is_what_the_calendar_says_and_operators_move_only_their_own(app: TestApp) {
        let mine = app.operator_account("xinghe_lily").await;
        let director = app.login_as(Role::Director).await;
        let (_, other) = director.post(&app.ws("/accounts"), account_body("xinghe_dealer")).await;
        let other = other["id"].as_i64().unwrap();
        let mon = monday_ahead();
        let wed = mon + Duration::days(2);
        let a = draft_on(&app, &director, mine, "星河S7 通勤一周", Some(local(wed, 10, 0)), None).await["id"].as_i64().unwrap();
        let b = draft_on(&app, &director, other, "星河S7 到店实拍", Some(local(wed, 10, 0)), None).await["id"].as_i64().unwrap();
        // (may move the operator's item, may move the other) by role: drafts are the content
        // hub's to edit too; operators their own accounts' only; the rest none.
        let want = |role: Role| match role {
            Role::Admin | Role::Director | Role::Editor | Role::Planner => (true, true),
            Role::Operator => (true, false),
            Role::Analyst | Role::Media | Role::Viewer => (false, false),
        };
        for (n, role) in Role::ALL.into_iter().enumerate() {
            let c = app.login_as(role).await;
            let view = week(&app, &c, mon).await;
            let may = (on_calendar(&view, a)["may_schedule"].as_bool().unwrap(), on_calendar(&view, b)["may_schedule"].as_bool().unwrap());
            assert_eq!(may, want(role), "{role:?}");
            for (id, allowed) in [(a, may.0), (b, may.1)] {
                let cur = c.get(&app.ws(&format!("/content/{id}"))).await.1;
                let to = local(wed, 10, 0) + Duration::minutes(n as i64 + 1);
                let res = c.patch(&app.ws(&format!("/content/{id}")), json!({"version": cur["version"], "planned_at": iso(to)})).await;
                let now = c.get(&app.ws(&format!("/content/{id}"))).await.1;
                if allowed {
                    assert_eq!(res.0, StatusCode::OK, "{role:?} {id}: {}", res.1);
                    assert_eq!(time_of(&now["planned_at"]), to);
                } else {
                    let code = if role == Role::Operator { "content.not_account_owner" } else { "auth.forbidden" };
                    assert_error(&res, StatusCode::FORBIDDEN, code, None);
                    assert_eq!(now["version"], cur["version"], "{role:?} wrote nothing");
                }
            }
        }
    }

    async fn a_blocking_planned_at_is_a_409_with_every_reason_and_the_check_says_the_same(app: TestApp) {
        let mine = app.operator_account("xinghe_lily").await;
        let director = app.login_as(Role::Director).await;
        let op = app.login_as(Role::Operator).await;
        let mon = monday_ahead();
        let t0 = local(mon + Duration::days(7), 12, 0);
        let camp = campaign(&app, &director, "星河S7 上市发布", Some(t0)).await;
        let (s, rules) = director.send(Method::PUT, &app.ws("/schedule-rules"), Some(json!({"min_gap": {"mode": "block", "hours": 4}}))).await;
        assert_eq!(s, StatusCode::OK, "{rules}");
        let other = draft_on(&app, &op, mine, "星河S7 用车第二周", Some(local(mon + Duration::days(5), 11, 0)), None).await["id"].as_i64().unwrap();
        let item = draft_on(&app, &op, mine, "星河S7 首发评测", None, Some(camp)).await;
        let id = item["id"].as_i64().unwrap();
        // Before T0 and an hour after another post of the account: two blocking reasons.
        let proposed = local(mon + Duration::days(5), 12, 0);
        let res = op.patch(&app.ws(&format!("/content/{id}")), json!({"version": item["version"], "planned_at": iso(proposed)})).await;
        assert_error(&res, StatusCode::CONFLICT, "calendar.conflict", Some("planned_at"));
        let refused = &res.1["error"]["params"]["conflicts"];
        assert_eq!(reasons(refused), vec![r("embargo", "block", &[]), r("min_gap", "block", &[other])]);
        let gap = refused.as_array().unwrap().iter().find(|c| c["rule"] == "min_gap").unwrap();
        assert_eq!((gap["params"]["gap_minutes"].as_i64(), gap["params"]["min_hours"].as_i64()), (Some(60), Some(4)), "{gap}");
        assert_eq!(gap["params"]["other_title"], "星河S7 用车第二周");
        let now = op.get(&app.ws(&format!("/content/{id}"))).await.1;
        assert_eq!((now["version"].clone(), now["planned_at"].clone()), (item["version"].clone(), Value::Null), "nothing written");
        // The dry run: the same reasons, blocking.
        let (s, check) = op.post(&app.ws("/calendar/check"), json!({"item_id": id, "planned_at": iso(proposed)})).await;
        assert_eq!((s, check["blocking"].as_bool()), (StatusCode::OK, Some(true)), "{check}");
        assert_eq!(&check["conflicts"], refused);
        // A free slot: after T0, far from the other post.
        let free = local(mon + Duration::days(8), 15, 0);
        let (s, check) = op.post(&app.ws("/calendar/check"), json!({"item_id": id, "planned_at": iso(free)})).await;
        assert_eq!((s, check), (StatusCode::OK, json!({"conflicts": [], "blocking": false})));
        let (s, saved) = op.patch(&app.ws(&format!("/content/{id}")), json!({"version": item["version"], "planned_at": iso(free)})).await;
        assert_eq!(s, StatusCode::OK, "{saved}");
        assert_eq!(time_of(&op.get(&app.ws(&format!("/content/{id}"))).await.1["planned_at"]), free);
        // A warning lets the change through and shows on the calendar.
        director.send(Method::PUT, &app.ws("/schedule-rules"), Some(json!({}))).await;
        let close = local(mon + Duration::days(5), 13, 0) + Duration::days(3);
        let near = draft_on(&app, &op, mine, "星河S7 充电实测", Some(close - Duration::hours(2)), None).await["id"].as_i64().unwrap();
        let (s, saved) = op.patch(&app.ws(&format!("/content/{id}")), json!({"version": saved["version"], "planned_at": iso(close)})).await;
        assert_eq!(s, StatusCode::OK, "{saved}");
        let view = week(&app, &op, mon + Duration::days(7)).await;
        assert_eq!(reasons(&on_calendar(&view, id)["conflicts"]), vec![r("min_gap", "warn", &[near])]);
        let (s, panel) = op.get(&app.ws(&format!("/calendar/conflicts?from={}&to={}", iso(local(mon + Duration::days(7), 0, 0)), iso(local(mon + Duration::days(14), 0, 0))))).await;
        assert_eq!(s, StatusCode::OK);
        let mut listed: Vec<i64> = panel["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
        listed.sort_unstable();
        let mut both = vec![id, near];
        both.sort_unstable();
        assert_eq!(listed, both);
    }
}
