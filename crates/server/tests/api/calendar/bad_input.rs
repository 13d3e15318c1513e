//! Each piece of bad input the issue lists, over HTTP: a 4xx with its code and field, and
//! nothing written (read back through the API).

use super::*;

async fn list(app: &TestApp, c: &Client, path: &str) -> Vec<Value> {
    let (s, v) = c.get(&app.ws(path)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"].as_array().unwrap().clone()
}

db_tests! {
    async fn an_invalid_rrule_is_a_400_on_rrule_and_no_slot_is_written(app: TestApp) {
        let director = app.login_as(Role::Director).await;
        for rule in ["FREQ=WEEKLY;BYDAY=XX", "FREQ=HOURLY", "BYDAY=TU,TH", "FREQ=WEEKLY;BYHOUR=20", "DTSTART:20261201T200000\nRRULE:FREQ=DAILY", "每周二、四"] {
            let mut body = slot_body("KOE 晚间档");
            body["rrule"] = json!(rule);
            assert_error(&director.post(&app.ws("/recurring-slots"), body).await, StatusCode::BAD_REQUEST, "calendar.invalid_rrule", Some("rrule"));
        }
        assert!(list(&app, &director, "/recurring-slots").await.is_empty());
        // Editing a good slot into a bad one leaves it as it was.
        let (s, good) = director.post(&app.ws("/recurring-slots"), slot_body("KOE 晚间档")).await;
        assert_eq!(s, StatusCode::CREATED, "{good}");
        let mut bad = slot_body("KOE 晚间档");
        bad["rrule"] = json!("FREQ=MINUTELY");
        assert_error(&director.send(Method::PUT, &app.ws(&format!("/recurring-slots/{}", good["id"])), Some(bad)).await, StatusCode::BAD_REQUEST, "calendar.invalid_rrule", Some("rrule"));
        assert_eq!(list(&app, &director, "/recurring-slots").await[0]["rrule"], "FREQ=WEEKLY;BYDAY=TU,TH");
    }

    async fn an_unknown_time_zone_is_a_400_on_time_zone_and_nothing_is_written(app: TestApp) {
        let director = app.login_as(Role::Director).await;
        for zone in ["Asia/Beijing", "Mars/Olympus", "北京时间"] {
            let mut body = slot_body("KOE 晚间档");
            body["time_zone"] = json!(zone);
            assert_error(&director.post(&app.ws("/recurring-slots"), body).await, StatusCode::BAD_REQUEST, "validation.time_zone", Some("time_zone"));
        }
        assert!(list(&app, &director, "/recurring-slots").await.is_empty());
        // The workspace's zone, which the calendar, the slots and the feeds count in: a name
        // only shaped like a zone is refused too.
        let admin = app.login_as(Role::Admin).await;
        assert_error(&admin.patch(&app.ws(""), json!({"time_zone": "Asia/Beijing"})).await, StatusCode::BAD_REQUEST, "validation.time_zone", Some("time_zone"));
        assert_eq!(admin.get(&app.ws("")).await.1["time_zone"], "Asia/Shanghai");
        let (from, to) = (iso(Utc::now()), iso(Utc::now() + Duration::days(1)));
        assert_eq!(admin.get(&app.ws(&format!("/calendar?from={from}&to={to}"))).await.1["time_zone"], "Asia/Shanghai");
    }

    async fn a_slot_in_the_past_is_a_409_on_planned_at_and_the_item_keeps_its_time(app: TestApp) {
        let mine = app.operator_account("xinghe_lily").await;
        let op = app.login_as(Role::Operator).await;
        let planned = local(monday_ahead() + Duration::days(1), 20, 0);
        let item = draft_on(&app, &op, mine, "星河S7 夜间露营", Some(planned), None).await;
        let id = item["id"].as_i64().unwrap();
        let yesterday = local(Utc::now().with_timezone(&SHANGHAI).date_naive() - Duration::days(1), 14, 0);
        let res = op.patch(&app.ws(&format!("/content/{id}")), json!({"version": item["version"], "planned_at": iso(yesterday)})).await;
        assert_error(&res, StatusCode::CONFLICT, "calendar.conflict", Some("planned_at"));
        assert_eq!(reasons(&res.1["error"]["params"]["conflicts"]), vec![r("past_slot", "block", &[])]);
        let now = op.get(&app.ws(&format!("/content/{id}"))).await.1;
        assert_eq!((time_of(&now["planned_at"]), &now["version"]), (planned, &item["version"]));
        let (s, check) = op.post(&app.ws("/calendar/check"), json!({"item_id": id, "planned_at": iso(yesterday)})).await;
        assert_eq!((s, check["blocking"].as_bool()), (StatusCode::OK, Some(true)), "{check}");
    }

    async fn an_order_that_cycles_back_on_itself_is_a_400_on_follow_ups_and_not_written(app: TestApp) {
        let director = app.login_as(Role::Director).await;
        let camp = campaign(&app, &director, "星河S7 上市协同", None).await;
        for o in [order(camp, "KOL → 车主", &["KOL"], &[(&["KOC"], &["车主"], 120)]), order(camp, "车主 → 经销商", &["KOC"], &[(&["KOS"], &[], 1440)])] {
            assert_eq!(director.post(&app.ws("/coordination-orders"), o).await.0, StatusCode::CREATED);
        }
        // The accounts the orders reach (a loop needs accounts that close it).
        account(&app, "xinghe_dy", Tier::Kol, "douyin", &[], None).await;
        account(&app, "chezhu_xiaoyu", Tier::Koc, "xiaohongshu", &["车主"], Some(Role::Operator)).await;
        account(&app, "xinghe_4s", Tier::Kos, "douyin", &[], Some(Role::Operator)).await;
        let before = list(&app, &director, "/coordination-orders").await;
        assert_error(&director.post(&app.ws("/coordination-orders"), order(camp, "经销商 → KOL", &["KOS"], &[(&["KOL"], &[], 60)])).await,
            StatusCode::BAD_REQUEST, "calendar.order_cycle", Some("follow_ups"));
        assert_error(&director.post(&app.ws("/coordination-orders"), order(camp, "车主互转", &["KOC"], &[(&["KOC"], &[], 30)])).await,
            StatusCode::BAD_REQUEST, "calendar.order_cycle", Some("follow_ups"));
        let second = before[1]["id"].as_i64().unwrap();
        assert_error(&director.send(Method::PUT, &app.ws(&format!("/coordination-orders/{second}")), Some(order(camp, "车主 → KOL", &["KOC"], &[(&["KOL"], &[], 60)]))).await,
            StatusCode::BAD_REQUEST, "calendar.order_cycle", Some("follow_ups"));
        assert_eq!(list(&app, &director, "/coordination-orders").await, before);
    }

    async fn a_template_with_an_unknown_placeholder_is_a_400_on_that_template(app: TestApp) {
        let director = app.login_as(Role::Director).await;
        let camp = campaign(&app, &director, "星河S7 上市协同", None).await;
        for (field, text) in [("title_template", "跟发：{{trigger.titel}}"), ("body_template", "联系 {{account.phone}}"), ("body_template", "原帖 {{trigger.url")] {
            let mut o = order(camp, "KOL → 车主", &["KOL"], &[(&["KOC"], &["车主"], 120)]);
            o[field] = json!(text);
            assert_error(&director.post(&app.ws("/coordination-orders"), o).await, StatusCode::BAD_REQUEST, "calendar.unknown_placeholder", Some(field));
        }
        assert!(list(&app, &director, "/coordination-orders").await.is_empty());
    }

    async fn a_follow_up_delay_that_is_negative_or_over_thirty_days_is_a_400_on_its_delay(app: TestApp) {
        let director = app.login_as(Role::Director).await;
        let camp = campaign(&app, &director, "星河S7 上市协同", None).await;
        for (groups, field) in [
            (vec![-1], "follow_ups.0.delay_minutes"),
            (vec![60, 30 * 24 * 60 + 1], "follow_ups.1.delay_minutes"),
        ] {
            let follow: Vec<(&[&str], &[&str], i64)> = groups.iter().map(|d| (&["KOC"][..], &[][..], *d)).collect();
            assert_error(&director.post(&app.ws("/coordination-orders"), order(camp, "KOL → KOC", &["KOL"], &follow)).await,
                StatusCode::BAD_REQUEST, "calendar.delay_out_of_range", Some(field));
        }
        assert!(list(&app, &director, "/coordination-orders").await.is_empty());
    }

    async fn another_workspaces_account_or_campaign_is_a_400_naming_it_and_nothing_is_written(app: TestApp) {
        let director = app.login_as(Role::Director).await;
        let foreign_campaign = app.store.create_campaign(&Caller::system(), app.other_ws, serde_json::from_value(json!({
            "name": "别家的新车", "starts_on": "2026-12-01", "ends_on": "2026-12-31"})).unwrap()).await.unwrap().id.0;
        let mut slot = slot_body("别人的账号");
        slot["account_id"] = json!(app.foreign_account);
        slot["tier"] = Value::Null;
        slot["platform"] = Value::Null;
        assert_error(&director.post(&app.ws("/recurring-slots"), slot).await, StatusCode::BAD_REQUEST, "content.unknown_account", Some("account_id"));
        assert_error(&director.post(&app.ws("/coordination-orders"), order(foreign_campaign, "KOL → KOC", &["KOL"], &[(&["KOC"], &[], 120)])).await,
            StatusCode::BAD_REQUEST, "content.unknown_campaign", Some("campaign_id"));
        for (scope, target, code) in [("account", app.foreign_account, "content.unknown_account"), ("campaign", foreign_campaign, "content.unknown_campaign")] {
            assert_error(&director.post(&app.ws("/ics-feeds"), json!({"scope": scope, "target_id": target})).await, StatusCode::BAD_REQUEST, code, Some("target_id"));
        }
        assert!(list(&app, &director, "/recurring-slots").await.is_empty());
        assert!(list(&app, &director, "/coordination-orders").await.is_empty());
        assert!(list(&app, &director, "/ics-feeds").await.is_empty());
        // Their orders and items are not ours to change or check.
        let theirs = app.store.save_order(&Caller::system(), app.other_ws, None, serde_json::from_value(order(foreign_campaign, "别家的协同", &["KOL"], &[(&["KOC"], &[], 120)])).unwrap()).await.unwrap();
        assert_error(&director.delete(&app.ws(&format!("/coordination-orders/{}", theirs.id))).await, StatusCode::NOT_FOUND, "not_found", None);
        assert_error(&director.send(Method::PUT, &app.ws(&format!("/coordination-orders/{}", theirs.id)), Some(order(foreign_campaign, "改别家的", &["KOL"], &[(&["KOC"], &[], 120)]))).await,
            StatusCode::BAD_REQUEST, "content.unknown_campaign", Some("campaign_id"));
        assert_eq!(app.store.list_orders(app.other_ws, None).await.unwrap()[0].name, "别家的协同");
        let mine = app.operator_account("xinghe_lily").await;
        let id = draft_on(&app, &director, mine, "星河S7 一周体验", None, None).await["id"].as_i64().unwrap();
        let other = app.login("boss@other.cn").await;
        let res = other.post(&format!("/api/v1/workspaces/{}/calendar/check", app.other_ws.0), json!({"item_id": id, "planned_at": iso(Utc::now() + Duration::days(20))})).await;
        assert_error(&res, StatusCode::NOT_FOUND, "not_found", None);
    }

    async fn a_range_over_366_days_is_a_400_on_to(app: TestApp) {
        let c = app.login_as(Role::Viewer).await;
        let from = local(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), 0, 0);
        for (path, to) in [("/calendar", from + Duration::days(367)), ("/calendar/conflicts", from + Duration::days(366) + Duration::seconds(1))] {
            assert_error(&c.get(&app.ws(&format!("{path}?from={}&to={}", iso(from), iso(to)))).await, StatusCode::BAD_REQUEST, "calendar.range_too_long", Some("to"));
        }
        assert_error(&c.get(&app.ws(&format!("/calendar?from={}&to={}", iso(from), iso(from)))).await, StatusCode::BAD_REQUEST, "calendar.invalid_range", Some("to"));
        let res = c.get(&app.ws(&format!("/calendar?from=明天&to={}", iso(from)))).await;
        assert_eq!((res.0, res.1["error"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("from")), "{}", res.1);
        let (s, year) = c.get(&app.ws(&format!("/calendar?from={}&to={}", iso(from), iso(from + Duration::days(366))))).await;
        assert_eq!(s, StatusCode::OK, "{year}");
        assert_eq!(year["holidays"].as_array().unwrap().len(), 13, "all of 2027's shipped days: {year}");
    }
}
