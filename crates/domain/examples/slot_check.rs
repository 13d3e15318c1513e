//! The slot-check benchmark (`bench/content_calendar.py` runs it with `--release`): 10,000 scheduled
//! items on 1,000 accounts over a month, then 2,001 proposed slots checked against them, each
//! timed on its own; and the same checks the all-pairs way (every rule against every item),
//! the baseline the index is measured against. Prints one JSON line.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use kox_domain::accounts::Tier;
use kox_domain::calendar::conflicts::{Context, Embargo, Entry, Schedule};
use kox_domain::calendar::rules::{CountRule, RuleMode, ScheduleRules};
use kox_domain::content::Stage;

const ITEMS: i64 = 10_000;
const ACCOUNTS: i64 = 1_000;
const PROBES: usize = 2_001;

/// A small deterministic generator (xorshift), so every run checks the same schedule.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: i64) -> i64 {
        (self.next() % n as u64) as i64
    }
}

fn entry(rng: &mut Rng, id: i64, start: DateTime<Utc>) -> Entry {
    let account = rng.below(ACCOUNTS);
    let tiers = [Tier::Kol, Tier::Koc, Tier::Koc, Tier::Koe, Tier::Kos];
    Entry {
        id,
        title: format!("排期 {id}"),
        account_id: Some(account),
        platform: Some(
            ["xiaohongshu", "douyin", "weibo", "bilibili", "channels"][(account % 5) as usize]
                .into(),
        ),
        tier: Some(tiers[(account % 5) as usize]),
        campaign_id: Some(1 + rng.below(3)),
        topic_id: Some(100 + rng.below(40)),
        hashtags: vec![["星河S7", "安全是最大的豪华", "星河冬测"][rng.below(3) as usize].into()],
        stage: [Stage::Draft, Stage::Review, Stage::Publish][rng.below(3) as usize],
        due_on: Some(
            NaiveDate::from_ymd_opt(2027, 1, 1 + rng.below(28) as u32).unwrap_or_default(),
        ),
        at: start + Duration::minutes(rng.below(30 * 24 * 60)),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let start = Utc
        .with_ymd_and_hms(2027, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let entries: Vec<Entry> = (0..ITEMS).map(|i| entry(&mut rng, i, start)).collect();
    let rules = ScheduleRules {
        platform_daily: CountRule {
            mode: RuleMode::Warn,
            max: 500,
        },
        ..ScheduleRules::default()
    };
    let embargoes: HashMap<i64, Embargo> = [(
        1,
        Embargo {
            name: "星河S7 上市".into(),
            at: start + Duration::days(3),
        },
    )]
    .into_iter()
    .collect();
    let holidays = kox_domain::calendar::holidays::rest_days(
        &kox_domain::calendar::holidays::default_year(2027).unwrap_or_default(),
    );
    let topics: HashMap<i64, String> = (100..140).map(|t| (t, format!("选题 {t}"))).collect();
    let cx = Context {
        rules: &rules,
        tz: chrono_tz::Asia::Shanghai,
        now: start - Duration::days(1),
        embargoes: &embargoes,
        holidays: &holidays,
        topic_titles: &topics,
    };

    let t = Instant::now();
    let schedule = Schedule::new(entries.clone());
    let build_ms = t.elapsed().as_secs_f64() * 1000.0;

    let probes: Vec<Entry> = (0..PROBES)
        .map(|i| entry(&mut rng, ITEMS + i as i64, start))
        .collect();
    let mut indexed = Vec::with_capacity(PROBES);
    let mut found = 0usize;
    for p in &probes {
        let t = Instant::now();
        let c = schedule.check(p, &cx, true);
        indexed.push(t.elapsed().as_secs_f64() * 1000.0);
        found += c.len();
    }
    // The baseline: each probe against a schedule of one entry at a time, i.e. every rule
    // against every item (what a check without the index does).
    let mut pairs = Vec::with_capacity(PROBES);
    for p in probes.iter().take(201) {
        let t = Instant::now();
        let mut n = 0usize;
        for e in &entries {
            let one = Schedule::new(vec![e.clone()]);
            n += one.check(p, &cx, true).len();
        }
        std::hint::black_box(n);
        pairs.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let med = median(indexed.clone());
    let p95 = {
        let mut v = indexed;
        v.sort_by(f64::total_cmp);
        v[v.len() * 95 / 100]
    };
    let pairs_med = median(pairs);
    println!(
        "{{\"items\":{ITEMS},\"accounts\":{ACCOUNTS},\"probes\":{PROBES},\"build_ms\":{build_ms:.3},\"check_median_ms\":{med:.4},\"check_p95_ms\":{p95:.4},\"all_pairs_median_ms\":{pairs_med:.3},\"conflicts_found\":{found}}}"
    );
}
