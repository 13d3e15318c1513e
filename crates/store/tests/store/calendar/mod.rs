//! The shared content calendar in the store, on both engines: the range with its conflict
//! marks, holidays and recurring slots (and its filters); `planned_at` edits refused by a
//! blocking rule with every reason and nothing written, let through with a warning; and each
//! piece of bad input the issue lists refused with its code and field, nothing written.
//! Coordination orders and their waves are in `waves.rs`.

// Short names (t for the team, c for a conflict) keep the case bodies readable.
#![allow(clippy::many_single_char_names)]

mod waves;

use super::content::{Person, Team, caller, item, team};
use super::*;
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Weekday};
use chrono_tz::Tz;
use kox_domain::calendar::holidays::{HolidayKind, HolidaySource};
use kox_domain::calendar::slots::RecurringSlotDraft;
use kox_domain::calendar::{CalendarItem, CalendarView, Conflict, ConflictRule, Holiday};
use kox_domain::campaigns::CampaignDraft;
use kox_domain::content::{ContentDraft, ContentPatch, Stage};
use kox_domain::{AccountId, CampaignId, ContentId};
use kox_store::calendar::CalendarFilter;
use serde_json::{Value, json};

pub(super) const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

/// A local time in Shanghai as UTC.
pub(super) fn local(day: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    SHANGHAI
        .from_local_datetime(&day.and_hms_opt(h, m, 0).unwrap())
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

/// The Monday (Shanghai) two to three weeks ahead: every time of its week is in the future and
/// outside the "not approved yet" window of 24 h.
pub(super) fn monday_ahead() -> NaiveDate {
    let mut d = (Utc::now() + Duration::days(14))
        .with_timezone(&SHANGHAI)
        .date_naive();
    while d.weekday() != Weekday::Mon {
        d = d.succ_opt().unwrap();
    }
    d
}

pub(super) async fn campaign(
    store: &Store,
    ws: WorkspaceId,
    name: &str,
    embargo_at: Option<DateTime<Utc>>,
) -> CampaignId {
    store
        .create_campaign(
            &Caller::system(),
            ws,
            CampaignDraft {
                name: name.into(),
                theme: "新车上市".into(),
                starts_on: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
                ends_on: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
                budget_fen: kox_domain::campaigns::Fen(0),
                budget_by_tier: std::collections::BTreeMap::default(),
                currency: "CNY".into(),
                required_hashtags: vec![],
                embargo_at,
                target_kpis: String::new(),
                status: kox_domain::campaigns::CampaignStatus::default(),
                custom: serde_json::Map::default(),
            },
        )
        .await
        .unwrap()
        .id
}

/// A draft of `who` on `account`, planned at `at` (or not yet).
pub(super) async fn scheduled(
    store: &Store,
    t: &Team,
    who: Person,
    account: AccountId,
    title: &str,
    at: Option<DateTime<Utc>>,
    campaign: Option<CampaignId>,
) -> ContentId {
    let d = ContentDraft {
        stage: Stage::Draft,
        account_id: Some(account),
        campaign_id: campaign,
        planned_at: at,
        media: vec!["封面.jpg".into()],
        ..item(title, "实拍一周，通勤和周末露营都试了")
    };
    store
        .create_content(&caller(who), t.ws, d)
        .await
        .unwrap()
        .id
}

pub(super) fn patch(v: Value) -> ContentPatch {
    serde_json::from_value(v).unwrap()
}

pub(super) fn code(e: StoreError) -> String {
    match e {
        StoreError::Invalid(f) => format!("{}@{}", f.code, f.field),
        StoreError::Conflict { code, field, .. } => format!("{code}@{field}"),
        other => other.to_string(),
    }
}

/// A conflict as (rule, severity, others), in the API's words.
fn said(c: &Conflict) -> (String, String, Vec<i64>) {
    (
        serde_json::to_value(c.rule)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned(),
        serde_json::to_value(c.severity)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned(),
        c.others.clone(),
    )
}

fn marks(view: &CalendarView, id: ContentId) -> Vec<(String, String, Vec<i64>)> {
    let mut m: Vec<_> = found(view, id).conflicts.iter().map(said).collect();
    m.sort();
    m
}

fn found(view: &CalendarView, id: ContentId) -> &CalendarItem {
    view.items
        .iter()
        .find(|i| i.id == id.0)
        .unwrap_or_else(|| panic!("item {} is not on the calendar: {view:?}", id.0))
}

fn ids(view: &CalendarView) -> Vec<i64> {
    let mut v: Vec<i64> = view.items.iter().map(|i| i.id).collect();
    v.sort_unstable();
    v
}

fn sorted(mut v: Vec<i64>) -> Vec<i64> {
    v.sort_unstable();
    v
}

fn s(x: &str) -> String {
    x.to_owned()
}

fn slot(v: Value) -> RecurringSlotDraft {
    serde_json::from_value(v).unwrap()
}

store_tests! {
    async fn the_range_carries_conflict_marks_open_slots_and_holidays_and_filters_narrow_it(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let mon = monday_ahead();
        let wed = mon + Duration::days(2);
        let thu = mon + Duration::days(3);
        let embargo = campaign(&store, t.ws, "星河S7 发布会", Some(local(wed + Duration::days(1), 12, 0))).await;
        // Two posts of the operator's account two hours apart (the gap is 4 h: a warning on
        // each), one of the other account at the same time as the first (no conflict), one of
        // the embargoed campaign before T0 (blocked), and one on the Thursday slot at 20:00.
        let a = scheduled(&store, &t, t.op, t.account, "星河S7 早高峰通勤实测", Some(local(wed, 10, 0)), None).await;
        let b = scheduled(&store, &t, t.op, t.account, "星河S7 午间充电体验", Some(local(wed, 12, 0)), None).await;
        let c = scheduled(&store, &t, t.op2, t.account2, "星河S7 长测第一天", Some(local(wed, 10, 0)), None).await;
        // Scheduling before T0 is refused while the embargo blocks (a new item's time meets the
        // rules too), so this one came in while the rule only warned.
        let rules = store.schedule_rules(t.ws).await.unwrap();
        let mut warn_only = rules.clone();
        warn_only.embargo.mode = kox_domain::calendar::rules::RuleMode::Warn;
        store.set_schedule_rules(&caller(t.director), t.ws, warn_only).await.unwrap();
        let d = scheduled(&store, &t, t.op2, t.account2, "星河S7 发布会预热", Some(local(wed, 15, 0)), Some(embargo)).await;
        store.set_schedule_rules(&caller(t.director), t.ws, rules).await.unwrap();
        let e = scheduled(&store, &t, t.op, t.account, "星河S7 夜间露营", Some(local(thu, 20, 0)), None).await;
        let cancelled = scheduled(&store, &t, t.op, t.account, "撤下的选题", Some(local(wed, 18, 0)), None).await;
        store.move_content(&caller(t.director), t.ws, cancelled, Stage::Cancelled, None).await.unwrap();
        // Outside the range, and one without a time: not on this calendar.
        let next_week = scheduled(&store, &t, t.op, t.account, "下周的稿件", Some(local(mon + Duration::days(7), 10, 0)), None).await;
        scheduled(&store, &t, t.op, t.account, "还没排期", None, None).await;
        // KOC on 小红书 every Tuesday and Thursday at 20:00; a disabled slot shows nothing.
        let tu_th = store.save_recurring_slot(&caller(t.director), t.ws, None, slot(json!({
            "name": "KOC 小红书 晚间档", "rrule": "FREQ=WEEKLY;BYDAY=TU,TH", "time": "20:00",
            "starts_on": mon.to_string(), "tier": "KOC", "platform": "xiaohongshu"}))).await.unwrap();
        store.save_recurring_slot(&caller(t.director), t.ws, None, slot(json!({
            "name": "停用的早档", "rrule": "FREQ=DAILY", "time": "08:00", "starts_on": mon.to_string(),
            "account_id": t.account2.0, "enabled": false}))).await.unwrap();

        let (from, to) = (local(mon, 0, 0), local(mon + Duration::days(7), 0, 0));
        let all = CalendarFilter::default();
        let view = store.calendar(&caller(t.director), t.ws, from, to, &all).await.unwrap();
        assert_eq!(view.time_zone, "Asia/Shanghai");
        assert_eq!(ids(&view), sorted(vec![a.0, b.0, c.0, d.0, e.0]), "cancelled and out-of-range items are left out");
        assert!(!ids(&view).contains(&next_week.0));
        assert_eq!(marks(&view, a), vec![(s("min_gap"), s("warn"), vec![b.0])]);
        assert_eq!(marks(&view, b), vec![(s("min_gap"), s("warn"), vec![a.0])]);
        assert_eq!(marks(&view, c), vec![], "another account at the same time is fine");
        assert_eq!(marks(&view, d), vec![(s("embargo"), s("block"), vec![])]);
        assert_eq!(found(&view, d).conflicts[0].params["campaign_name"], "星河S7 发布会");
        assert_eq!(found(&view, a).conflicts[0].params["gap_minutes"], 120);
        assert_eq!(marks(&view, e), vec![]);
        assert_eq!(view.conflict_count, 3);
        let first = found(&view, a);
        assert_eq!((first.handle.as_deref(), first.tier, first.stage, first.planned_at), (Some("xinghe_lily"), Some(Tier::Koc), Stage::Draft, Some(local(wed, 10, 0))));
        // Occurrences: Tuesday (open) and Thursday (filled by e).
        let occ: Vec<(DateTime<Utc>, i64, Vec<i64>)> = view.slots.iter().map(|o| (o.at, o.slot_id, o.filled_by.clone())).collect();
        assert_eq!(occ, vec![(local(mon + Duration::days(1), 20, 0), tu_th.id, vec![]), (local(thu, 20, 0), tu_th.id, vec![e.0])]);
        assert!(view.holidays.iter().all(|h| h.date >= mon && h.date < mon + Duration::days(7)), "{:?}", view.holidays);
        // The conflicts panel: the three marked items.
        let open = store.calendar_conflicts(&caller(t.director), t.ws, from, to, &all).await.unwrap();
        assert_eq!(sorted(open.items.iter().map(|i| i.id).collect()), sorted(vec![a.0, b.0, d.0]));

        // Filters: tier, account, operator, stage.
        let with = |f: CalendarFilter| { let store = store.clone(); let who = caller(t.director); async move { ids(&store.calendar(&who, t.ws, from, to, &f).await.unwrap()) } };
        assert_eq!(with(CalendarFilter { tier: Some(Tier::Kol), ..Default::default() }).await, sorted(vec![c.0, d.0]));
        assert_eq!(with(CalendarFilter { tier: Some(Tier::Koe), ..Default::default() }).await, Vec::<i64>::new());
        assert_eq!(with(CalendarFilter { account_id: Some(t.account.0), ..Default::default() }).await, sorted(vec![a.0, b.0, e.0]));
        assert_eq!(with(CalendarFilter { operator: Some(t.op2.user), ..Default::default() }).await, sorted(vec![c.0, d.0]));
        assert_eq!(with(CalendarFilter { campaign_id: Some(embargo.0), ..Default::default() }).await, vec![d.0]);
        assert_eq!(with(CalendarFilter { stage: Some(Stage::Cancelled), ..Default::default() }).await, vec![cancelled.0]);
        assert_eq!(with(CalendarFilter { stage: Some(Stage::Draft), tier: Some(Tier::Koc), ..Default::default() }).await, sorted(vec![a.0, b.0, e.0]));
        // A filtered view still checks against the whole matrix: a keeps its mark with b.
        let narrow = store.calendar(&caller(t.director), t.ws, local(wed, 0, 0), local(wed, 11, 0), &CalendarFilter { account_id: Some(t.account.0), ..Default::default() }).await.unwrap();
        assert_eq!(ids(&narrow), vec![a.0]);
        assert_eq!(marks(&narrow, a), vec![(s("min_gap"), s("warn"), vec![b.0])]);
        // Who may move what: the operator their own account's items only.
        let as_op = store.calendar(&caller(t.op), t.ws, from, to, &all).await.unwrap();
        for i in &as_op.items {
            assert_eq!(i.may_schedule, i.account_id == Some(t.account.0), "{i:?}");
        }
        // The backlog: the draft without a time.
        let backlog = store.calendar_backlog(&caller(t.director), t.ws, &all).await.unwrap();
        assert_eq!(backlog.items.iter().map(|i| i.title.as_str()).collect::<Vec<_>>(), vec!["还没排期"]);
    }

    async fn a_long_range_is_read_in_parts_and_marks_what_straddles_their_boundaries(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let mon = monday_ahead();
        // A four-day range is read and checked in parts (one per core, up to four, a day at
        // least). Across every midnight of it, two posts of one account 90 minutes apart (the
        // gap is 4 h): each is marked with the other whichever part it fell in.
        let mut pairs = Vec::new();
        for d in 0..4 {
            let day = mon + Duration::days(d);
            let late = scheduled(&store, &t, t.op, t.account, &format!("夜间档 {d}"), Some(local(day, 23, 0)), None).await;
            let early = scheduled(&store, &t, t.op, t.account, &format!("零点档 {d}"), Some(local(day + Duration::days(1), 0, 30)), None).await;
            pairs.push((late, early));
        }
        let (from, to) = (local(mon, 0, 0), local(mon + Duration::days(4), 0, 0));
        let view = store.calendar(&caller(t.director), t.ws, from, to, &CalendarFilter::default()).await.unwrap();
        // The last pair's second post is after the range: not listed, still a mark on the first.
        let listed: Vec<i64> = pairs.iter().flat_map(|(a, b)| [a.0, b.0]).filter(|&i| i != pairs[3].1.0).collect();
        assert_eq!(ids(&view), sorted(listed), "each item once");
        for (late, early) in &pairs {
            assert_eq!(marks(&view, *late), vec![(s("min_gap"), s("warn"), vec![early.0])]);
            if *early != pairs[3].1 {
                assert_eq!(marks(&view, *early), vec![(s("min_gap"), s("warn"), vec![late.0])]);
            }
        }
        assert_eq!(view.conflict_count, 7);
        // The same marks as each pair read on its own short range (one part).
        for (late, early) in &pairs[..3] {
            let at = found(&view, *late).planned_at.unwrap();
            let one = store.calendar(&caller(t.director), t.ws, at, at + Duration::hours(2), &CalendarFilter::default()).await.unwrap();
            assert_eq!((marks(&one, *late), marks(&one, *early)), (marks(&view, *late), marks(&view, *early)));
        }
    }

    async fn holidays_of_a_range_come_from_the_shipped_year_or_the_one_the_workspace_loaded(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let day = |m, d| NaiveDate::from_ymd_opt(2027, m, d).unwrap();
        let (from, to) = (local(day(9, 28), 0, 0), local(day(10, 8), 0, 0));
        let view = store.calendar(&caller(t.director), t.ws, from, to, &CalendarFilter::default()).await.unwrap();
        let got: Vec<(NaiveDate, &str)> = view.holidays.iter().map(|h| (h.date, h.name.as_str())).collect();
        assert_eq!(got, vec![(day(10, 1), "国庆节"), (day(10, 2), "国庆节"), (day(10, 3), "国庆节")]);
        assert_eq!(store.holiday_year(t.ws, 2027).await.unwrap().source, HolidaySource::Default);
        // The admin loads 2027 as announced: seven days off and an adjusted working day.
        let mut days: Vec<Holiday> = (1..=7).map(|d| Holiday { date: day(10, d), name: "国庆节".into(), kind: HolidayKind::Holiday }).collect();
        days.push(Holiday { date: day(9, 26), name: "国庆节调休".into(), kind: HolidayKind::Workday });
        let year = store.set_holiday_year(&caller(t.director), t.ws, 2027, days).await.unwrap();
        assert_eq!((year.source, year.days.len(), year.days[0].date), (HolidaySource::Custom, 8, day(9, 26)), "sorted by date");
        let view = store.calendar(&caller(t.director), t.ws, from, to, &CalendarFilter::default()).await.unwrap();
        assert_eq!(view.holidays.len(), 7, "the working day is before the range: {:?}", view.holidays);
        assert_eq!(view.holidays.last().unwrap().date, day(10, 7));
        let wider = store.calendar(&caller(t.director), t.ws, local(day(9, 20), 0, 0), to, &CalendarFilter::default()).await.unwrap();
        assert_eq!(wider.holidays[0].kind, HolidayKind::Workday);
        // A KOE account on a holiday gets the holiday warning (the default rule).
        let mut koe = draft("xinghe_koe");
        koe.tier = Tier::Koe;
        koe.owner_ids = vec![t.op.user];
        let koe = store.create_account(&Caller::system(), t.ws, koe).await.unwrap().id;
        let on_holiday = scheduled(&store, &t, t.op, koe, "国庆自驾", Some(local(day(10, 5), 10, 0)), None).await;
        let view = store.calendar(&caller(t.director), t.ws, from, to, &CalendarFilter::default()).await.unwrap();
        assert_eq!(marks(&view, on_holiday), vec![(s("holiday"), s("warn"), vec![])]);
        // Reset: the shipped days again, and 10-05 is a plain day.
        assert_eq!(store.reset_holiday_year(&caller(t.director), t.ws, 2027).await.unwrap().source, HolidaySource::Default);
        let view = store.calendar(&caller(t.director), t.ws, from, to, &CalendarFilter::default()).await.unwrap();
        assert_eq!(view.holidays.len(), 3);
        assert_eq!(marks(&view, on_holiday), vec![]);
    }

    async fn a_blocking_planned_at_is_refused_with_every_reason_and_nothing_is_written(store: Store, _engine: Engine) {
        let t = team(&store).await;
        // T0 at noon (Shanghai) a week after the coming Monday; every slot below is at a
        // daytime hour, outside the quiet hours.
        let t0 = local(monday_ahead() + Duration::days(7), 12, 0);
        let launch = campaign(&store, t.ws, "星河S7 上市发布", Some(t0)).await;
        let id = scheduled(&store, &t, t.op, t.account, "星河S7 首发评测", None, Some(launch)).await;
        let before = store.get_content(t.ws, id).await.unwrap();
        let trail = events(&store, t.ws).await;
        // Before T0: the embargo blocks.
        let early = t0 - Duration::days(3);
        let err = store.update_content(&caller(t.op), t.ws, id, patch(json!({"version": before.version, "planned_at": early}))).await.unwrap_err();
        let StoreError::Conflict { code: refused, field, params, .. } = err else { panic!("{err:?}") };
        assert_eq!((refused, field.as_str()), ("calendar.conflict", "planned_at"));
        let listed: Vec<&Value> = params["conflicts"].as_array().unwrap().iter().collect();
        assert_eq!(listed.len(), 1, "{params:?}");
        assert_eq!((listed[0]["rule"].as_str(), listed[0]["severity"].as_str()), (Some("embargo"), Some("block")));
        assert_eq!(listed[0]["params"]["campaign_name"], "星河S7 上市发布");
        // In the past and before T0: both reasons.
        let err = store.update_content(&caller(t.op), t.ws, id, patch(json!({"version": before.version, "planned_at": local(Utc::now().with_timezone(&SHANGHAI).date_naive() - Duration::days(1), 12, 0)}))).await.unwrap_err();
        let StoreError::Conflict { params, message, .. } = err else { panic!("{err:?}") };
        let mut rules: Vec<&str> = params["conflicts"].as_array().unwrap().iter().map(|c| c["rule"].as_str().unwrap()).collect();
        rules.sort_unstable();
        assert_eq!(rules, vec!["embargo", "past_slot"]);
        assert!(message.contains("already passed") && message.contains("embargo"), "{message}");
        // Nothing was written: the item as it was, no event, no reminder queued.
        let after = store.get_content(t.ws, id).await.unwrap();
        assert_eq!((after.version, after.planned_at), (before.version, None));
        assert_eq!(events(&store, t.ws).await, trail);
        assert!(store.list_jobs(Some(t.ws), None, 100).await.unwrap().iter().all(|j| !j.idempotency_key.starts_with("publish_reminder")));
        // The slot check says the same without writing.
        let dry = store.check_slot(t.ws, id.0, early).await.unwrap();
        assert!(dry.blocking);
        assert_eq!(dry.conflicts.iter().map(said).collect::<Vec<_>>(), vec![(s("embargo"), s("block"), vec![])]);

        // A slot after T0 that is only too close to another post: a warning, saved.
        let slot_at = t0 + Duration::days(2);
        let other = scheduled(&store, &t, t.op, t.account, "星河S7 用车第二周", Some(slot_at - Duration::hours(1)), None).await;
        let dry = store.check_slot(t.ws, id.0, slot_at).await.unwrap();
        assert!(!dry.blocking);
        assert_eq!(dry.conflicts.iter().map(said).collect::<Vec<_>>(), vec![(s("min_gap"), s("warn"), vec![other.0])]);
        let saved = store.update_content(&caller(t.op), t.ws, id, patch(json!({"version": before.version, "planned_at": slot_at}))).await.unwrap();
        assert_eq!((saved.planned_at, saved.version), (Some(slot_at), before.version + 1));
        assert_eq!(store.get_content(t.ws, id).await.unwrap().planned_at, Some(slot_at));
        let written = events(&store, t.ws).await;
        assert!(written.len() > trail.len() && written.contains(&"content.updated".to_owned()), "{written:?}");
        let view = store.calendar(&caller(t.op), t.ws, slot_at - Duration::days(1), slot_at + Duration::days(1), &CalendarFilter::default()).await.unwrap();
        assert_eq!(marks(&view, id), vec![(s("min_gap"), s("warn"), vec![other.0])], "the warning stays visible on the item");
        // A rule switched to block refuses the same kind of slot.
        let mut rules = store.schedule_rules(t.ws).await.unwrap();
        rules.min_gap.mode = kox_domain::calendar::rules::RuleMode::Block;
        store.set_schedule_rules(&caller(t.director), t.ws, rules).await.unwrap();
        let moved = slot_at + Duration::minutes(30);
        let err = store.update_content(&caller(t.op), t.ws, id, patch(json!({"version": saved.version, "planned_at": moved}))).await.unwrap_err();
        assert_eq!(code(err), "calendar.conflict@planned_at");
        assert_eq!(store.get_content(t.ws, id).await.unwrap().planned_at, Some(slot_at));

        // A new item with a time before T0 meets the same rule: refused, and no item, event or
        // reminder is left behind.
        let trail = events(&store, t.ws).await;
        let backlog = store.calendar_backlog(&caller(t.op), t.ws, &CalendarFilter::default()).await.unwrap().items.len();
        let d = ContentDraft {
            stage: Stage::Draft,
            account_id: Some(t.account),
            campaign_id: Some(launch),
            planned_at: Some(early),
            ..item("星河S7 抢跑的预热", "发布会前一天的预热")
        };
        let err = store.create_content(&caller(t.op), t.ws, d).await.unwrap_err();
        let StoreError::Conflict { code: refused, params, .. } = err else { panic!("{err:?}") };
        assert_eq!(refused, "calendar.conflict");
        assert_eq!(params["conflicts"][0]["rule"], "embargo");
        assert_eq!(events(&store, t.ws).await, trail);
        let view = store.calendar(&caller(t.op), t.ws, early - Duration::days(1), early + Duration::days(1), &CalendarFilter::default()).await.unwrap();
        assert!(view.items.iter().all(|i| i.title != "星河S7 抢跑的预热"), "nothing was written");
        assert_eq!(store.calendar_backlog(&caller(t.op), t.ws, &CalendarFilter::default()).await.unwrap().items.len(), backlog);
    }

    async fn an_invalid_rrule_is_refused_and_nothing_is_written(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let trail = events(&store, t.ws).await;
        for rule in ["FREQ=WEEKLY;BYDAY=XX", "FREQ=HOURLY", "BYDAY=TU,TH", "FREQ=WEEKLY;BYHOUR=20", "每周二"] {
            let err = store.save_recurring_slot(&caller(t.director), t.ws, None, slot(json!({
                "name": "KOE 晚间档", "rrule": rule, "time": "20:00", "starts_on": "2026-12-01", "tier": "KOE", "platform": "xiaohongshu"}))).await.unwrap_err();
            assert_eq!(code(err), "calendar.invalid_rrule@rrule", "{rule}");
        }
        assert!(store.list_recurring_slots(t.ws).await.unwrap().is_empty());
        assert_eq!(events(&store, t.ws).await, trail);
    }

    async fn an_unknown_time_zone_is_refused_and_nothing_is_written(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let trail = events(&store, t.ws).await;
        for zone in ["Asia/Beijing", "北京时间", "UTC+8"] {
            let err = store.save_recurring_slot(&caller(t.director), t.ws, None, slot(json!({
                "name": "KOE 晚间档", "rrule": "FREQ=WEEKLY;BYDAY=TU,TH", "time": "20:00", "starts_on": "2026-12-01",
                "time_zone": zone, "tier": "KOE", "platform": "xiaohongshu"}))).await.unwrap_err();
            assert_eq!(code(err), "validation.time_zone@time_zone", "{zone}");
        }
        assert!(store.list_recurring_slots(t.ws).await.unwrap().is_empty());
        // The workspace's own zone likewise.
        let err = store.update_workspace(&Caller::system(), t.ws, None, Some("Asia/Beijing")).await.unwrap_err();
        assert_eq!(code(err), "validation.time_zone@time_zone");
        assert_eq!(events(&store, t.ws).await, trail);
        let view = store.calendar(&caller(t.director), t.ws, Utc::now(), Utc::now() + Duration::days(1), &CalendarFilter::default()).await.unwrap();
        assert_eq!(view.time_zone, "Asia/Shanghai");
    }

    async fn another_workspaces_account_or_campaign_is_unknown_here_and_nothing_is_written(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let (other, _) = workspace(&store, "别的品牌").await;
        let foreign_account = store.create_account(&Caller::system(), other, draft("other_brand_kol")).await.unwrap().id;
        let foreign_campaign = campaign(&store, other, "别家的新车", None).await;
        let trail = events(&store, t.ws).await;
        let err = store.save_recurring_slot(&caller(t.director), t.ws, None, slot(json!({
            "name": "别人的账号", "rrule": "FREQ=DAILY", "time": "20:00", "starts_on": "2026-12-01", "account_id": foreign_account.0}))).await.unwrap_err();
        assert_eq!(code(err), "content.unknown_account@account_id");
        let order = waves::order(foreign_campaign, "别家的协同", &[Tier::Kol], &[(&[Tier::Koc], &[], 120)]);
        let err = store.save_order(&caller(t.director), t.ws, None, order).await.unwrap_err();
        assert_eq!(code(err), "content.unknown_campaign@campaign_id");
        for (scope, target, want) in [("account", foreign_account.0, "content.unknown_account@target_id"), ("campaign", foreign_campaign.0, "content.unknown_campaign@target_id")] {
            let d = serde_json::from_value(json!({"scope": scope, "target_id": target})).unwrap();
            let err = store.create_feed(&caller(t.op), t.ws, d, "hash-of-a-secret").await.unwrap_err();
            assert_eq!(code(err), want);
        }
        assert!(store.list_recurring_slots(t.ws).await.unwrap().is_empty());
        assert!(store.list_orders(t.ws, None).await.unwrap().is_empty());
        assert!(store.list_feeds(t.ws, t.op.user).await.unwrap().is_empty());
        assert_eq!(events(&store, t.ws).await, trail);
        // The other workspace's order, slot and item are not ours to change either.
        let theirs = store.save_recurring_slot(&Caller::system(), other, None, slot(json!({
            "name": "他们的档", "rrule": "FREQ=DAILY", "time": "20:00", "starts_on": "2026-12-01"}))).await.unwrap();
        assert!(matches!(store.delete_recurring_slot(&caller(t.director), t.ws, theirs.id).await, Err(StoreError::NotFound)));
        assert_eq!(store.list_recurring_slots(other).await.unwrap().len(), 1);
        assert!(matches!(store.check_slot(t.ws, i64::MAX, Utc::now()).await, Err(StoreError::NotFound)));
    }

    async fn a_range_over_366_days_is_refused(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let from = local(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), 0, 0);
        let f = CalendarFilter::default();
        let err = store.calendar(&caller(t.director), t.ws, from, from + Duration::days(367), &f).await.unwrap_err();
        assert_eq!(code(err), "calendar.range_too_long@to");
        let err = store.calendar_conflicts(&caller(t.director), t.ws, from, from + Duration::days(366) + Duration::seconds(1), &f).await.unwrap_err();
        assert_eq!(code(err), "calendar.range_too_long@to");
        let err = store.calendar(&caller(t.director), t.ws, from, from, &f).await.unwrap_err();
        assert_eq!(code(err), "calendar.invalid_range@to");
        // 366 days exactly is a year view.
        assert!(store.calendar(&caller(t.director), t.ws, from, from + Duration::days(366), &f).await.is_ok());
    }

    async fn a_workspace_in_another_zone_counts_its_days_and_slots_in_that_zone(store: Store, _engine: Engine) {
        let (ws, op) = workspace(&store, "星河汽车欧洲").await;
        store.update_workspace(&Caller::system(), ws, None, Some("Europe/Berlin")).await.unwrap();
        let berlin: Tz = chrono_tz::Europe::Berlin;
        let mut d = draft("berlin_koc");
        d.tier = Tier::Koc;
        d.owner_ids = vec![op];
        let acc = store.create_account(&Caller::system(), ws, d).await.unwrap().id;
        // Three posts a day is the default limit; four on one Berlin day warn, and a post at
        // 23:30 Berlin (the next day in Shanghai) still counts for that Berlin day.
        let mon = monday_ahead();
        let at = |h: u32, m: u32| berlin.from_local_datetime(&mon.and_hms_opt(h, m, 0).unwrap()).single().unwrap().with_timezone(&Utc);
        let mut made = vec![];
        for (i, (h, m)) in [(8, 0), (12, 30), (17, 0), (23, 30)].into_iter().enumerate() {
            let draft = ContentDraft { stage: Stage::Draft, account_id: Some(acc), planned_at: Some(at(h, m)), ..item(&format!("欧洲试驾日记 第{i}篇"), "") };
            made.push(store.create_content(&Caller::member(op, Role::Operator), ws, draft).await.unwrap().id);
        }
        let view = store.calendar(&Caller::member(op, Role::Operator), ws, at(0, 0), at(0, 0) + Duration::days(1), &CalendarFilter::default()).await.unwrap();
        assert_eq!(view.time_zone, "Europe/Berlin");
        assert_eq!(view.items.len(), 4);
        for id in &made {
            let daily: Vec<&Conflict> = found(&view, *id).conflicts.iter().filter(|c| c.rule == ConflictRule::AccountDaily).collect();
            assert_eq!((daily.len(), found(&view, *id).conflicts.len()), (1, 1), "{id:?}: {view:?}");
            assert_eq!(daily[0].params["count"], 4);
            assert_eq!(daily[0].params["day"], json!(mon.to_string()));
        }
        // A slot at 20:00 in the workspace's zone.
        let s = store.save_recurring_slot(&Caller::system(), ws, None, slot(json!({
            "name": "柏林晚间档", "rrule": "FREQ=DAILY", "time": "20:00", "starts_on": mon.to_string(), "account_id": acc.0}))).await.unwrap();
        let view = store.calendar(&Caller::member(op, Role::Operator), ws, at(0, 0), at(0, 0) + Duration::days(1), &CalendarFilter::default()).await.unwrap();
        assert_eq!(view.slots.iter().map(|o| (o.slot_id, o.at)).collect::<Vec<_>>(), vec![(s.id, at(20, 0))]);
    }
}
