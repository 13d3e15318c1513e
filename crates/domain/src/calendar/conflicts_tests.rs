// Case tables spell out their row type inline, which is the point of a table.
#![allow(clippy::type_complexity)]

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use proptest::prelude::*;

use super::*;
use crate::calendar::rules::{ClockTime, QuietWindow, RuleMode};

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn entry(id: i64, account: i64, at: &str) -> Entry {
    Entry {
        id,
        title: format!("帖子{id}"),
        account_id: Some(account),
        platform: Some("xiaohongshu".into()),
        tier: Some(Tier::Koc),
        campaign_id: None,
        topic_id: None,
        hashtags: vec![],
        stage: Stage::Publish,
        due_on: None,
        at: utc(at),
    }
}

/// Only the named rule on (as `mode`), every other rule off.
fn only(rule: ConflictRule, mode: RuleMode) -> ScheduleRules {
    let mut r = ScheduleRules::default();
    r.min_gap.mode = RuleMode::Off;
    r.account_daily.mode = RuleMode::Off;
    r.platform_daily.mode = RuleMode::Off;
    r.quiet_hours.mode = RuleMode::Off;
    r.embargo.mode = RuleMode::Off;
    r.topic_spacing.mode = RuleMode::Off;
    r.after_due.mode = RuleMode::Off;
    r.unapproved.mode = RuleMode::Off;
    r.past_slot.mode = RuleMode::Off;
    r.holiday.mode = RuleMode::Off;
    match rule {
        ConflictRule::MinGap => r.min_gap.mode = mode,
        ConflictRule::AccountDaily => r.account_daily.mode = mode,
        ConflictRule::PlatformDaily => r.platform_daily.mode = mode,
        ConflictRule::QuietHours => r.quiet_hours.mode = mode,
        ConflictRule::Embargo => r.embargo.mode = mode,
        ConflictRule::TopicSpacing => r.topic_spacing.mode = mode,
        ConflictRule::AfterDue => r.after_due.mode = mode,
        ConflictRule::Unapproved => r.unapproved.mode = mode,
        ConflictRule::PastSlot => r.past_slot.mode = mode,
        ConflictRule::Holiday => r.holiday.mode = mode,
    }
    r
}

struct World {
    embargoes: HashMap<i64, Embargo>,
    holidays: HashMap<NaiveDate, String>,
    topics: HashMap<i64, String>,
}

impl World {
    fn new() -> Self {
        let holidays = crate::calendar::holidays::rest_days(
            &crate::calendar::holidays::default_year(2026).unwrap(),
        );
        World {
            embargoes: [(
                9,
                Embargo {
                    name: "星河S7 上市".into(),
                    at: utc("2026-12-10T12:00:00Z"),
                },
            )]
            .into_iter()
            .collect(),
            holidays,
            topics: [(5, "智能座舱".to_owned())].into_iter().collect(),
        }
    }
    fn cx<'a>(&'a self, rules: &'a ScheduleRules, tz: Tz, now: &str) -> Context<'a> {
        Context {
            rules,
            tz,
            now: utc(now),
            embargoes: &self.embargoes,
            holidays: &self.holidays,
            topic_titles: &self.topics,
        }
    }
}

const SH: Tz = chrono_tz::Asia::Shanghai;
const NOW: &str = "2026-12-01T00:00:00Z";

fn rules_hit(
    s: &Schedule,
    item: &Entry,
    cx: &Context<'_>,
    proposing: bool,
) -> Vec<(ConflictRule, Vec<i64>)> {
    let mut v: Vec<_> = s
        .check(item, cx, proposing)
        .into_iter()
        .map(|c| {
            let mut o = c.others;
            o.sort_unstable();
            (c.rule, o)
        })
        .collect();
    v.sort();
    v
}

#[test]
fn minimum_gap_on_one_account() {
    let w = World::new();
    let r = only(ConflictRule::MinGap, RuleMode::Warn);
    let cx = w.cx(&r, SH, NOW);
    let s = Schedule::new(vec![
        entry(1, 1, "2026-12-08T02:00:00Z"), // 10:00 Shanghai
        entry(2, 2, "2026-12-08T03:00:00Z"), // another account
        entry(3, 1, "2026-12-08T10:00:00Z"),
    ]);
    let cases: &[(&str, Vec<(ConflictRule, Vec<i64>)>)] = &[
        // 11:00: 1 h after item 1.
        (
            "2026-12-08T03:00:00Z",
            vec![(ConflictRule::MinGap, vec![1])],
        ),
        // Exactly 4 h after item 1 and 4 h before item 3: allowed.
        ("2026-12-08T06:00:00Z", vec![]),
        (
            "2026-12-08T05:59:00Z",
            vec![(ConflictRule::MinGap, vec![1])],
        ),
        (
            "2026-12-08T07:00:00Z",
            vec![(ConflictRule::MinGap, vec![3])],
        ),
        (
            "2026-12-07T22:00:01Z",
            vec![(ConflictRule::MinGap, vec![1])],
        ),
        ("2026-12-07T22:00:00Z", vec![]),
    ];
    for (at, want) in cases {
        let mut me = entry(99, 1, at);
        me.title = "新帖".into();
        assert_eq!(&rules_hit(&s, &me, &cx, true), want, "{at}");
    }
    // The sentence names the other post and its local time; the item itself never conflicts.
    let c = &s.check(&entry(99, 1, "2026-12-08T03:00:00Z"), &cx, true)[0];
    assert_eq!(c.severity, ConflictSeverity::Warn);
    assert_eq!(c.params["other_title"], "帖子1");
    assert_eq!(c.params["gap_minutes"], 60);
    assert_eq!(c.params["min_hours"], 4);
    assert!(c.message.contains("10:00"), "{}", c.message);
    assert!(
        s.check(&entry(1, 1, "2026-12-08T02:00:00Z"), &cx, true)
            .is_empty()
    );
}

#[test]
fn posts_per_account_and_per_platform_per_local_day() {
    let w = World::new();
    let mut r = only(ConflictRule::AccountDaily, RuleMode::Block);
    r.account_daily.max = 2;
    let s = Schedule::new(vec![
        // 8 December in Shanghai runs from 7 Dec 16:00 UTC to 8 Dec 16:00 UTC.
        entry(1, 1, "2026-12-07T16:00:00Z"),
        entry(2, 1, "2026-12-08T15:59:00Z"),
        entry(3, 1, "2026-12-08T16:00:00Z"),
        entry(4, 2, "2026-12-08T05:00:00Z"),
    ]);
    let cx = w.cx(&r, SH, NOW);
    let cases: &[(&str, Vec<(ConflictRule, Vec<i64>)>)] = &[
        (
            "2026-12-08T04:00:00Z",
            vec![(ConflictRule::AccountDaily, vec![1, 2])],
        ),
        ("2026-12-07T15:59:00Z", vec![]),
        ("2026-12-09T04:00:00Z", vec![]),
    ];
    for (at, want) in cases {
        assert_eq!(&rules_hit(&s, &entry(99, 1, at), &cx, true), want, "{at}");
    }
    // The same instants in a workspace in New York fall on other local days.
    let cx_ny = w.cx(&r, chrono_tz::America::New_York, NOW);
    assert_eq!(
        rules_hit(&s, &entry(99, 1, "2026-12-08T04:00:00Z"), &cx_ny, true),
        vec![]
    );
    assert_eq!(
        rules_hit(&s, &entry(99, 1, "2026-12-08T16:30:00Z"), &cx_ny, true),
        vec![(ConflictRule::AccountDaily, vec![2, 3])]
    );
    let mut r = only(ConflictRule::PlatformDaily, RuleMode::Warn);
    r.platform_daily.max = 3;
    let cx = w.cx(&r, SH, NOW);
    let hit = s.check(&entry(99, 7, "2026-12-08T09:00:00Z"), &cx, true);
    assert_eq!(hit.len(), 1);
    assert_eq!(hit[0].params["count"], 4);
    let mut other = entry(99, 7, "2026-12-08T09:00:00Z");
    other.platform = Some("douyin".into());
    assert!(s.check(&other, &cx, true).is_empty());
}

#[test]
fn quiet_hours_per_platform_in_the_workspace_zone() {
    let w = World::new();
    let mut r = only(ConflictRule::QuietHours, RuleMode::Warn);
    r.quiet_hours.windows = vec![
        QuietWindow {
            platform: None,
            start: ClockTime::hm(1, 0),
            end: ClockTime::hm(7, 0),
        },
        QuietWindow {
            platform: Some("douyin".into()),
            start: ClockTime::hm(23, 0),
            end: ClockTime::hm(1, 0),
        },
    ];
    let cx = w.cx(&r, SH, NOW);
    let s = Schedule::new(vec![]);
    let cases: &[(&str, &str, bool)] = &[
        ("xiaohongshu", "2026-12-08T17:30:00Z", true),  // 01:30
        ("xiaohongshu", "2026-12-08T23:00:00Z", false), // 07:00
        ("xiaohongshu", "2026-12-08T15:30:00Z", false), // 23:30
        ("douyin", "2026-12-08T15:30:00Z", true),       // 23:30
        ("douyin", "2026-12-08T16:30:00Z", true),       // 00:30
    ];
    for (platform, at, want) in cases {
        let mut e = entry(99, 1, at);
        e.platform = Some((*platform).into());
        assert_eq!(!s.check(&e, &cx, true).is_empty(), *want, "{platform} {at}");
    }
    let c = &s.check(&entry(99, 1, "2026-12-08T17:30:00Z"), &cx, true)[0];
    assert_eq!(c.params["local_time"], "01:30");
}

#[test]
fn embargo_due_date_approval_past_and_holidays() {
    let w = World::new();
    let s = Schedule::new(vec![]);
    let mut e = entry(99, 1, "2026-12-10T11:59:00Z");
    e.campaign_id = Some(9);
    let r = only(ConflictRule::Embargo, RuleMode::Block);
    let cx = w.cx(&r, SH, NOW);
    let hit = s.check(&e, &cx, true);
    assert_eq!(
        (hit[0].rule, hit[0].severity),
        (ConflictRule::Embargo, ConflictSeverity::Block)
    );
    assert!(blocking(&hit));
    e.at = utc("2026-12-10T12:00:00Z");
    assert!(s.check(&e, &cx, true).is_empty());

    let r = only(ConflictRule::AfterDue, RuleMode::Warn);
    let cx = w.cx(&r, SH, NOW);
    let cases: &[(&str, &str, bool)] = &[
        ("2026-12-08", "2026-12-08T15:59:00Z", false), // 23:59 local on the due day
        ("2026-12-08", "2026-12-08T16:00:00Z", true),  // 00:00 the day after
    ];
    for (due, at, want) in cases {
        let mut e = entry(99, 1, at);
        e.due_on = Some(due.parse().unwrap());
        assert_eq!(!s.check(&e, &cx, true).is_empty(), *want, "{due} {at}");
    }

    let r = only(ConflictRule::Unapproved, RuleMode::Warn);
    let cx = w.cx(&r, SH, NOW);
    let cases: &[(Stage, &str, bool)] = &[
        (Stage::Draft, "2026-12-01T23:00:00Z", true),
        (Stage::Review, "2026-12-01T23:00:00Z", true),
        (Stage::Publish, "2026-12-01T23:00:00Z", false),
        (Stage::Draft, "2026-12-02T00:00:00Z", false),
    ];
    for (stage, at, want) in cases {
        let mut e = entry(99, 1, at);
        e.stage = *stage;
        assert_eq!(!s.check(&e, &cx, true).is_empty(), *want, "{stage:?} {at}");
    }

    let r = only(ConflictRule::PastSlot, RuleMode::Block);
    let cx = w.cx(&r, SH, NOW);
    let past = entry(99, 1, "2026-11-30T23:59:00Z");
    assert!(blocking(&s.check(&past, &cx, true)));
    // An item already in the past is not a conflict on the calendar, only a new schedule is.
    assert!(s.check(&past, &cx, false).is_empty());

    let r = only(ConflictRule::Holiday, RuleMode::Warn);
    let cx = w.cx(&r, SH, NOW);
    let cases: &[(Tier, &str, bool)] = &[
        (Tier::Koe, "2026-10-02T02:00:00Z", true),  // 国庆
        (Tier::Koc, "2026-10-02T02:00:00Z", false), // not a tier the rule names
        (Tier::Koe, "2026-10-10T02:00:00Z", false), // 调休上班
        (Tier::Koe, "2026-09-30T17:00:00Z", true),  // 01:00 on 1 October in Shanghai
    ];
    for (tier, at, want) in cases {
        let mut e = entry(99, 1, at);
        e.tier = Some(*tier);
        assert_eq!(!s.check(&e, &cx, false).is_empty(), *want, "{tier:?} {at}");
    }
}

#[test]
fn the_same_topic_or_hashtag_on_many_accounts_at_once() {
    let w = World::new();
    let mut r = only(ConflictRule::TopicSpacing, RuleMode::Warn);
    r.topic_spacing.accounts = 2;
    r.topic_spacing.hours = 2;
    let cx = w.cx(&r, SH, NOW);
    let tagged = |id, account, at: &str, tag: &str| {
        let mut e = entry(id, account, at);
        e.hashtags = vec![tag.into()];
        e
    };
    let mut topic = entry(3, 3, "2026-12-08T02:30:00Z");
    topic.topic_id = Some(5);
    let s = Schedule::new(vec![
        tagged(1, 1, "2026-12-08T02:00:00Z", "星河S7"),
        tagged(2, 2, "2026-12-08T03:00:00Z", "星河S7"),
        tagged(4, 1, "2026-12-08T03:30:00Z", "星河S7"), // same account as 1: one account
        topic,
    ]);
    let cases: &[(&str, Option<i64>, &str, Vec<(ConflictRule, Vec<i64>)>)] = &[
        (
            "星河S7",
            None,
            "2026-12-08T02:30:00Z",
            vec![(ConflictRule::TopicSpacing, vec![1, 2, 4])],
        ),
        ("星河S7", None, "2026-12-08T06:00:00Z", vec![]),
        ("别的", None, "2026-12-08T02:30:00Z", vec![]),
        ("别的", Some(5), "2026-12-08T02:40:00Z", vec![]),
    ];
    for (tag, topic, at, want) in cases {
        let mut e = tagged(99, 7, at, tag);
        e.topic_id = *topic;
        assert_eq!(&rules_hit(&s, &e, &cx, true), want, "{tag} {at}");
    }
    // The same topic on a third account: 2 accounts with topic 5 is not more than 2.
    r.topic_spacing.accounts = 1;
    let cx = w.cx(&r, SH, NOW);
    let mut e = entry(99, 7, "2026-12-08T02:40:00Z");
    e.topic_id = Some(5);
    let hit = s.check(&e, &cx, true);
    assert_eq!(hit[0].params["key"], "智能座舱");
    assert_eq!(hit[0].params["key_kind"], "topic");
    // Another platform is another audience.
    e.platform = Some("douyin".into());
    assert!(s.check(&e, &cx, true).is_empty());
}

// --- The index against a brute-force oracle ---------------------------------------------

/// Every rule the slow way: all pairs, no index.
fn oracle(
    all: &[Entry],
    item: &Entry,
    cx: &Context<'_>,
    proposing: bool,
) -> Vec<(ConflictRule, Vec<i64>)> {
    let r = cx.rules;
    let mut out = Vec::new();
    let others: Vec<&Entry> = all.iter().filter(|e| e.id != item.id).collect();
    let day = cx.local_date(item.at);
    if item.account_id.is_some() && r.min_gap.mode != RuleMode::Off {
        for o in &others {
            if o.account_id == item.account_id
                && (o.at - item.at).abs() < Duration::hours(i64::from(r.min_gap.hours))
            {
                out.push((ConflictRule::MinGap, vec![o.id]));
            }
        }
    }
    if item.account_id.is_some() && r.account_daily.mode != RuleMode::Off {
        let same: Vec<i64> = others
            .iter()
            .filter(|o| o.account_id == item.account_id && cx.local_date(o.at) == day)
            .map(|o| o.id)
            .collect();
        if same.len() + 1 > r.account_daily.max as usize {
            out.push((ConflictRule::AccountDaily, same));
        }
    }
    if item.platform.is_some() && r.platform_daily.mode != RuleMode::Off {
        let same: Vec<i64> = others
            .iter()
            .filter(|o| o.platform == item.platform && cx.local_date(o.at) == day)
            .map(|o| o.id)
            .collect();
        if same.len() + 1 > r.platform_daily.max as usize {
            out.push((ConflictRule::PlatformDaily, same));
        }
    }
    if item.platform.is_some() && r.topic_spacing.mode != RuleMode::Off {
        let mut keys: Vec<(Option<i64>, Option<String>)> =
            item.topic_id.map(|t| (Some(t), None)).into_iter().collect();
        keys.extend(item.hashtags.iter().map(|h| (None, Some(h.clone()))));
        for (topic, tag) in keys {
            let near: Vec<&&Entry> = others
                .iter()
                .filter(|o| {
                    o.platform == item.platform
                        && (o.at - item.at).abs()
                            < Duration::hours(i64::from(r.topic_spacing.hours))
                        && o.account_id.is_some()
                        && o.account_id != item.account_id
                        && match (&topic, &tag) {
                            (Some(t), _) => o.topic_id == Some(*t),
                            (_, Some(h)) => o.hashtags.contains(h),
                            _ => false,
                        }
                })
                .collect();
            let accounts: BTreeSet<Option<i64>> = near.iter().map(|o| o.account_id).collect();
            if accounts.len() + usize::from(item.account_id.is_some())
                > r.topic_spacing.accounts as usize
            {
                out.push((
                    ConflictRule::TopicSpacing,
                    near.iter().map(|o| o.id).collect(),
                ));
            }
        }
    }
    // The rules that read the item alone are the same code either way.
    let mut alone = Vec::new();
    Schedule::check_alone(item, cx, proposing, &mut alone);
    out.extend(alone.into_iter().map(|c| (c.rule, c.others)));
    for o in &mut out {
        o.1.sort_unstable();
    }
    out.sort();
    out
}

fn arb_entry(id: i64) -> impl Strategy<Value = Entry> {
    (
        0..6i64,                                    // account
        0..2usize,                                  // platform
        0..(72 * 60i64),                            // minutes into three days
        proptest::option::of(0..3i64),              // topic
        proptest::collection::vec(0..3usize, 0..2), // hashtags
    )
        .prop_map(move |(account, platform, minutes, topic, tags)| Entry {
            id,
            title: format!("帖子{id}"),
            account_id: Some(account),
            platform: Some(["xiaohongshu", "douyin"][platform].into()),
            tier: Some(Tier::Koc),
            campaign_id: None,
            topic_id: topic,
            hashtags: tags.into_iter().map(|t| format!("tag{t}")).collect(),
            stage: Stage::Publish,
            due_on: None,
            at: utc("2026-12-07T00:00:00Z") + Duration::minutes(minutes),
        })
}

fn arb_schedule() -> impl Strategy<Value = Vec<Entry>> {
    (1..60usize).prop_flat_map(|n| (0..n as i64).map(arb_entry).collect::<Vec<_>>())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn the_index_finds_exactly_what_all_pairs_find(
        schedule in arb_schedule(),
        probe in arb_entry(1000),
        gap in 1..8u32,
        daily in 1..4u32,
        platform_daily in 1..20u32,
        spread in (1..4u32, 1..6u32),
    ) {
        let w = World::new();
        let mut r = ScheduleRules::default();
        r.min_gap.hours = gap;
        r.account_daily.max = daily;
        r.platform_daily = crate::calendar::rules::CountRule { mode: RuleMode::Warn, max: platform_daily };
        r.topic_spacing.accounts = spread.0;
        r.topic_spacing.hours = spread.1;
        let cx = w.cx(&r, SH, NOW);
        let s = Schedule::new(schedule.clone());
        // A new item, and each item already scheduled checked where it is.
        prop_assert_eq!(rules_hit(&s, &probe, &cx, true), oracle(&schedule, &probe, &cx, true));
        for e in schedule.iter().take(10) {
            prop_assert_eq!(rules_hit(&s, e, &cx, false), oracle(&schedule, e, &cx, false));
        }
    }
}
