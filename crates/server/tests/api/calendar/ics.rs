//! The iCalendar feeds, read without a cookie and parsed by an independent parser (the `ical`
//! crate, not KOX's writer): the member's events with their times in the workspace's zone and
//! a VTIMEZONE that agrees with them, stable UIDs, SEQUENCE moving with edits, cancelled items,
//! the names and refresh hints calendar clients read; revoked and wrong secrets answer 404.
//! A workspace in Berlin gets its zone and its summer time.

use std::collections::HashMap;

use chrono::{NaiveDateTime, Timelike};
use ical::parser::ical::component::{IcalCalendar, IcalEvent, IcalTimeZoneTransitionType};
use ical::property::Property;

use super::*;

/// Fetches a feed as a calendar client does: no cookie, no token.
async fn fetch(app: &TestApp, url: &str) -> (StatusCode, String, String) {
    let res = reqwest::get(format!("{}{url}", app.base)).await.unwrap();
    let status = res.status();
    let kind = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, res.text().await.unwrap())
}

fn parse(text: &str) -> IcalCalendar {
    let mut cals = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let cal = cals
        .next()
        .expect("a calendar")
        .unwrap_or_else(|e| panic!("does not parse: {e}\n{text}"));
    assert!(cals.next().is_none(), "one calendar");
    cal
}

fn prop<'a>(props: &'a [Property], name: &str) -> &'a Property {
    props
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no {name} in {props:?}"))
}

fn value(props: &[Property], name: &str) -> String {
    prop(props, name).value.clone().unwrap_or_default()
}

fn param(p: &Property, name: &str) -> Option<String> {
    p.params
        .as_ref()?
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.join(","))
}

/// The feed's events by the item their link opens.
fn by_item(cal: &IcalCalendar) -> HashMap<i64, IcalEvent> {
    cal.events
        .iter()
        .map(|e| {
            let url = value(&e.properties, "URL");
            let id = url
                .rsplit_once("item=")
                .and_then(|(_, id)| id.parse().ok())
                .unwrap_or_else(|| panic!("URL {url} does not link to an item"));
            (id, e.clone())
        })
        .collect()
}

fn offset(raw: &str) -> i64 {
    let sign = if raw.starts_with('-') { -1 } else { 1 };
    let digits = &raw[1..];
    sign * (digits[0..2].parse::<i64>().unwrap() * 3600 + digits[2..4].parse::<i64>().unwrap() * 60)
}

/// Reads an event's DTSTART the way a client does: its local time in the zone it names, that
/// zone's offset from the feed's own VTIMEZONE (the last observance that started before it).
fn start_of(cal: &IcalCalendar, e: &IcalEvent) -> (String, String, DateTime<Utc>) {
    let p = prop(&e.properties, "DTSTART");
    let tzid = param(p, "TZID").expect("DTSTART names its zone");
    let raw = p.value.clone().unwrap();
    let local = NaiveDateTime::parse_from_str(&raw, "%Y%m%dT%H%M%S").unwrap();
    let zone = cal
        .timezones
        .iter()
        .find(|z| value(&z.properties, "TZID") == tzid)
        .unwrap_or_else(|| panic!("no VTIMEZONE for {tzid}"));
    let (_, off) = zone
        .transitions
        .iter()
        .map(|t| {
            let since =
                NaiveDateTime::parse_from_str(&value(&t.properties, "DTSTART"), "%Y%m%dT%H%M%S")
                    .unwrap();
            (since, offset(&value(&t.properties, "TZOFFSETTO")))
        })
        .filter(|(since, _)| *since <= local)
        .max_by_key(|(since, _)| *since)
        .expect("an observance before the event");
    (tzid, raw, (local - Duration::seconds(off)).and_utc())
}

fn stamp(day: NaiveDate, hm: &str) -> String {
    format!("{}T{hm}00", day.format("%Y%m%d"))
}

db_tests! {
    async fn a_member_feed_carries_their_items_in_shanghai_time_with_stable_uids_and_growing_sequences(app: TestApp) {
        let mine = app.operator_account("xinghe_lily").await;
        let director = app.login_as(Role::Director).await;
        let op = app.login_as(Role::Operator).await;
        let (_, other) = director.post(&app.ws("/accounts"), account_body("xinghe_dealer")).await;
        let other = other["id"].as_i64().unwrap();
        let mon = monday_ahead();
        let (tue, wed, thu) = (mon + Duration::days(1), mon + Duration::days(2), mon + Duration::days(3));
        let camping = draft_on(&app, &op, mine, "星河S7 夜间露营", Some(local(tue, 20, 15)), None).await;
        let camping_id = camping["id"].as_i64().unwrap();
        let dropped = draft_on(&app, &op, mine, "撤下的口播", Some(local(wed, 9, 30)), None).await["id"].as_i64().unwrap();
        let (s, moved) = op.post(&app.ws(&format!("/content/{dropped}/move")), json!({"stage": "cancelled"})).await;
        assert_eq!(s, StatusCode::OK, "{moved}");
        let (s, assigned) = director.post(&app.ws("/content"), json!({"stage": "draft", "title": "到店试驾跟拍", "account_id": other,
            "assignee_id": app.user(Role::Operator).0, "planned_at": iso(local(thu, 11, 0))})).await;
        assert_eq!(s, StatusCode::CREATED, "{assigned}");
        let assigned = assigned["id"].as_i64().unwrap();
        let not_mine = draft_on(&app, &director, other, "经销商周末活动", Some(local(thu, 15, 0)), None).await["id"].as_i64().unwrap();
        let unscheduled = draft_on(&app, &op, mine, "还没排期", None, None).await["id"].as_i64().unwrap();

        let (s, feed) = op.post(&app.ws("/ics-feeds"), json!({"scope": "member"})).await;
        assert_eq!(s, StatusCode::CREATED, "{feed}");
        let url = feed["url"].as_str().unwrap().to_owned();
        let secret = url.strip_prefix("/ics/").and_then(|r| r.strip_suffix(".ics")).unwrap_or_else(|| panic!("{url}")).to_owned();
        assert!(secret.len() >= 32, "a long secret: {url}");
        assert_eq!(feed["feed"]["name"], "KOX · 我的账号");
        let (s, kind, text) = fetch(&app, &url).await;
        assert_eq!(s, StatusCode::OK, "{text}");
        assert!(kind.starts_with("text/calendar"), "{kind}");
        let cal = parse(&text);
        assert_eq!(value(&cal.properties, "VERSION"), "2.0");
        assert_eq!((value(&cal.properties, "NAME"), value(&cal.properties, "X-WR-CALNAME")), ("KOX · 我的账号".into(), "KOX · 我的账号".into()));
        let refresh = prop(&cal.properties, "REFRESH-INTERVAL");
        assert_eq!((param(refresh, "VALUE").as_deref(), refresh.value.as_deref()), (Some("DURATION"), Some("PT1H")));
        assert_eq!(value(&cal.properties, "X-PUBLISHED-TTL"), "PT1H");
        // One VTIMEZONE, Shanghai: no summer time, +08:00 throughout.
        assert_eq!(cal.timezones.len(), 1);
        let tz = &cal.timezones[0];
        assert_eq!(value(&tz.properties, "TZID"), "Asia/Shanghai");
        assert!(!tz.transitions.is_empty());
        for t in &tz.transitions {
            assert!(matches!(t.transition, IcalTimeZoneTransitionType::STANDARD));
            assert_eq!(value(&t.properties, "TZOFFSETTO"), "+0800");
        }
        // The operator's items and the one assigned to them; not someone else's, not the
        // unscheduled one.
        let events = by_item(&cal);
        let mut got: Vec<i64> = events.keys().copied().collect();
        got.sort_unstable();
        let mut want = vec![camping_id, dropped, assigned];
        want.sort_unstable();
        assert_eq!(got, want, "{text}");
        assert!(!events.contains_key(&not_mine) && !events.contains_key(&unscheduled));
        let e = &events[&camping_id];
        assert_eq!(start_of(&cal, e), ("Asia/Shanghai".into(), stamp(tue, "2015"), local(tue, 20, 15)));
        assert!(value(&e.properties, "SUMMARY").contains("星河S7 夜间露营") && value(&e.properties, "SUMMARY").contains("@xinghe_lily"), "{e:?}");
        assert_eq!(value(&e.properties, "STATUS"), "TENTATIVE");
        assert_eq!(value(&events[&dropped].properties, "STATUS"), "CANCELLED");
        assert_eq!(start_of(&cal, &events[&assigned]).2, local(thu, 11, 0));
        let uids: HashMap<i64, String> = events.iter().map(|(id, e)| (*id, value(&e.properties, "UID"))).collect();
        assert_eq!(uids.values().collect::<std::collections::HashSet<_>>().len(), 3, "{uids:?}");
        let seq: i64 = value(&e.properties, "SEQUENCE").parse().unwrap();

        // Fetched again: the same UIDs and sequences.
        let again = parse(&fetch(&app, &url).await.2);
        let again = by_item(&again);
        for (id, uid) in &uids {
            assert_eq!(&value(&again[id].properties, "UID"), uid);
        }
        assert_eq!(value(&again[&camping_id].properties, "SEQUENCE"), seq.to_string());
        // An edit: the same UID, a higher SEQUENCE, the new time.
        let (s, edited) = op.patch(&app.ws(&format!("/content/{camping_id}")), json!({"version": camping["version"], "planned_at": iso(local(tue, 21, 0)), "title": "星河S7 夜间露营（改期）"})).await;
        assert_eq!(s, StatusCode::OK, "{edited}");
        let cal = parse(&fetch(&app, &url).await.2);
        let e = by_item(&cal).remove(&camping_id).unwrap();
        assert_eq!(value(&e.properties, "UID"), uids[&camping_id]);
        assert!(value(&e.properties, "SEQUENCE").parse::<i64>().unwrap() > seq, "{e:?}");
        assert_eq!(start_of(&cal, &e).1, stamp(tue, "2100"));
        assert!(value(&e.properties, "SUMMARY").contains("改期"));

        // Only its member revokes it; then, and for a wrong secret, 404.
        let id = feed["feed"]["id"].as_i64().unwrap();
        assert_error(&director.delete(&app.ws(&format!("/ics-feeds/{id}"))).await, StatusCode::NOT_FOUND, "not_found", None);
        assert_eq!(fetch(&app, &url).await.0, StatusCode::OK);
        let wrong: String = secret.chars().rev().collect();
        assert_eq!(fetch(&app, &format!("/ics/{wrong}.ics")).await.0, StatusCode::NOT_FOUND);
        assert_eq!(fetch(&app, &format!("/ics/{secret}")).await.0, StatusCode::NOT_FOUND);
        assert_eq!(op.delete(&app.ws(&format!("/ics-feeds/{id}"))).await.0, StatusCode::NO_CONTENT);
        assert_eq!(fetch(&app, &url).await.0, StatusCode::NOT_FOUND);
        let (_, list) = op.get(&app.ws("/ics-feeds")).await;
        assert!(list["items"][0]["revoked_at"].is_string(), "{list}");
        assert!(list["items"][0]["last_used_at"].is_string(), "{list}");

        // A feed of one account: that account's items, whoever owns them.
        let (s, acc_feed) = director.post(&app.ws("/ics-feeds"), json!({"scope": "account", "target_id": other})).await;
        assert_eq!(s, StatusCode::CREATED, "{acc_feed}");
        let cal = parse(&fetch(&app, acc_feed["url"].as_str().unwrap()).await.2);
        assert_eq!(value(&cal.properties, "X-WR-CALNAME"), "KOX · @xinghe_dealer");
        let mut got: Vec<i64> = by_item(&cal).into_keys().collect();
        got.sort_unstable();
        let mut want = vec![assigned, not_mine];
        want.sort_unstable();
        assert_eq!(got, want);
    }

    async fn a_workspace_in_berlin_gets_its_zone_and_summer_time_in_the_feed(app: TestApp) {
        let admin = app.login_as(Role::Admin).await;
        let (s, w) = admin.patch(&app.ws(""), json!({"time_zone": "Europe/Berlin"})).await;
        assert_eq!((s, w["time_zone"].as_str()), (StatusCode::OK, Some("Europe/Berlin")), "{w}");
        let berlin: Tz = chrono_tz::Europe::Berlin;
        let mine = app.operator_account("berlin_koc").await;
        let op = app.login_as(Role::Operator).await;
        // One post in winter time and one in summer time, both at 19:30 in Berlin.
        let soon = Utc::now() + Duration::days(14);
        let at = |y: i32, m: u32, d: u32| berlin.with_ymd_and_hms(y, m, d, 19, 30, 0).single().unwrap().with_timezone(&Utc);
        let next = |m: u32, d: u32| [soon.year(), soon.year() + 1].into_iter().map(|y| at(y, m, d)).find(|t| *t > soon).unwrap();
        let (winter, summer) = (next(1, 20), next(7, 14));
        let w_id = draft_on(&app, &op, mine, "冬季续航实测", Some(winter), None).await["id"].as_i64().unwrap();
        let s_id = draft_on(&app, &op, mine, "夏季高速巡航", Some(summer), None).await["id"].as_i64().unwrap();
        let (_, feed) = op.post(&app.ws("/ics-feeds"), json!({"scope": "member", "name": "我的欧洲排期"})).await;
        let (status, _, text) = fetch(&app, feed["url"].as_str().unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        let cal = parse(&text);
        assert_eq!(value(&cal.properties, "NAME"), "我的欧洲排期");
        let tz = &cal.timezones[0];
        assert_eq!(value(&tz.properties, "TZID"), "Europe/Berlin");
        let kinds = |k: fn(&IcalTimeZoneTransitionType) -> bool| tz.transitions.iter().filter(|t| k(&t.transition)).map(|t| value(&t.properties, "TZOFFSETTO")).collect::<Vec<_>>();
        let daylight = kinds(|t| matches!(t, IcalTimeZoneTransitionType::DAYLIGHT));
        let standard = kinds(|t| matches!(t, IcalTimeZoneTransitionType::STANDARD));
        assert!(!daylight.is_empty() && daylight.iter().all(|o| o == "+0200"), "{daylight:?}");
        assert!(!standard.is_empty() && standard.iter().all(|o| o == "+0100"), "{standard:?}");
        let events = by_item(&cal);
        let day = |t: DateTime<Utc>| t.with_timezone(&berlin).date_naive();
        assert_eq!(start_of(&cal, &events[&w_id]), ("Europe/Berlin".into(), stamp(day(winter), "1930"), winter));
        assert_eq!(start_of(&cal, &events[&s_id]), ("Europe/Berlin".into(), stamp(day(summer), "1930"), summer));
        assert_eq!((winter.hour(), summer.hour()), (18, 17), "19:30 in Berlin is 18:30 UTC in winter, 17:30 in summer");
    }
}
