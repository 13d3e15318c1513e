//! Waves end to end over HTTP: a webhook channel and rule for `wave_follow_up` pointing at a
//! real receiver on 127.0.0.1, the trigger published through the API, the worker making the
//! follow-ups and the owners' notices arriving there, once each; and, on PostgreSQL, two
//! servers with two workers on one database making one wave.

use std::time::Duration as Wait;

use kox_store::Engine;

use super::*;
use crate::notifications::{Answer, Provider, Receiver, sending_settings};

const HOOK: &str = "/kox/waves";
const SECRET: &str = "whsec-wave-42";
const DOUYIN_POST: &str = "https://www.douyin.com/video/7312345678901234567";

/// What `prepare` made: the trigger (approved, ready to publish) and the accounts that follow.
struct Prepared {
    director: Client,
    trigger: i64,
    followers: Vec<i64>,
}

/// Through the server at `base`: a webhook channel and a rule for wave follow-ups, a campaign
/// with its order (KOL → KOC car owners in 2 h, KOS in a day), the accounts, and a KOL draft of
/// the campaign taken through review to 发布.
async fn prepare(app: &TestApp, base: &str, rx: &Receiver) -> Prepared {
    let url = rx.route(HOOK, Provider::Webhook, SECRET, Answer::AsProvider);
    let admin = app.login_on(base, Role::Admin).await;
    let director = app.login_on(base, Role::Director).await;
    let editor = app.login_on(base, Role::Editor).await;
    let (s, ch) = admin.post(&app.ws("/notification-channels"), json!({"name": "协同群机器人", "kind": "webhook", "config": {"url": url}, "secret": SECRET})).await;
    assert_eq!(s, StatusCode::CREATED, "{ch}");
    let (s, rule) = admin
        .post(
            &app.ws("/notification-rules"),
            json!({"channel_id": ch["id"], "kinds": ["wave_follow_up"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{rule}");
    let kol = account(app, "xinghe_dy", Tier::Kol, "douyin", &[], None).await;
    let followers = vec![
        account(
            app,
            "chezhu_xiaoyu",
            Tier::Koc,
            "xiaohongshu",
            &["车主", "北京"],
            Some(Role::Operator),
        )
        .await,
        account(
            app,
            "chezhu_laozhang",
            Tier::Koc,
            "douyin",
            &["车主"],
            Some(Role::Operator),
        )
        .await,
        account(
            app,
            "xinghe_4s_shanghai",
            Tier::Kos,
            "douyin",
            &[],
            Some(Role::Operator),
        )
        .await,
    ];
    account(
        app,
        "xinghe_lily",
        Tier::Koc,
        "xiaohongshu",
        &["宝妈"],
        Some(Role::Operator),
    )
    .await;
    let camp = campaign(app, &director, "星河S7 上市协同", None).await;
    let (s, o) = director
        .post(
            &app.ws("/coordination-orders"),
            order(
                camp,
                "KOL 首发后跟发",
                &["KOL"],
                &[(&["KOC"], &["车主"], 120), (&["KOS"], &[], 1440)],
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    let trigger = draft_on(app, &director, kol, "星河S7 赛道首测", None, Some(camp)).await["id"]
        .as_i64()
        .unwrap();
    let review = app.ws(&format!("/content/{trigger}/review"));
    let (s, r) = director.post(&review, json!({"action": "submit"})).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let (s, r) = editor.post(&review, json!({"action": "approve"})).await;
    assert_eq!(
        (s, r["stage"].as_str()),
        (StatusCode::OK, Some("publish")),
        "{r}"
    );
    Prepared {
        director,
        trigger,
        followers,
    }
}

async fn publish(app: &TestApp, p: &Prepared) {
    let (s, r) = p
        .director
        .post(
            &app.ws(&format!("/content/{}/publish", p.trigger)),
            json!({"post_url": DOUYIN_POST}),
        )
        .await;
    assert_eq!(
        (s, r["stage"].as_str()),
        (StatusCode::OK, Some("retro")),
        "{r}"
    );
}

/// The trigger's waves as the API lists them.
async fn waves_of(app: &TestApp, c: &Client, trigger: i64) -> Vec<Value> {
    let (s, w) = c
        .get(&app.ws(&format!("/waves?trigger_item_id={trigger}")))
        .await;
    assert_eq!(s, StatusCode::OK, "{w}");
    w["items"].as_array().unwrap().clone()
}

async fn count(app: &TestApp, table: &str) -> i64 {
    kox_store::testing::read_text(
        &app.store,
        &format!("SELECT CAST(COUNT(*) AS TEXT) FROM {table}"),
    )
    .await
    .parse()
    .unwrap()
}

fn sorted(mut v: Vec<i64>) -> Vec<i64> {
    v.sort_unstable();
    v
}

/// Waits for one delivery per follow-up, then checks that no more come, that each is signed,
/// of kind `wave_follow_up`, for the operator who owns the account, about one follow-up; and
/// that the trigger has exactly one wave with exactly those follow-ups.
async fn one_wave_arrived(app: &TestApp, rx: &Receiver, p: &Prepared) {
    let hits = rx.wait(HOOK, p.followers.len(), Wait::from_secs(20)).await;
    tokio::time::sleep(Wait::from_millis(800)).await;
    assert_eq!(
        rx.hits(HOOK).len(),
        p.followers.len(),
        "one delivery per follow-up, no more"
    );
    let waves = waves_of(app, &p.director, p.trigger).await;
    assert_eq!(waves.len(), 1, "{waves:?}");
    let w = &waves[0];
    assert_eq!(
        (w["total"].as_i64(), w["parent_wave_id"].clone()),
        (Some(p.followers.len() as i64), Value::Null),
        "{w}"
    );
    let follow_ups = w["follow_ups"].as_array().unwrap();
    assert_eq!(
        sorted(
            follow_ups
                .iter()
                .map(|f| f["account_id"].as_i64().unwrap())
                .collect()
        ),
        sorted(p.followers.clone())
    );
    let published = time_of(
        &p.director
            .get(&app.ws(&format!("/content/{}", p.trigger)))
            .await
            .1["published_at"],
    );
    for f in follow_ups {
        let delay = if f["handle"] == "xinghe_4s_shanghai" {
            1440
        } else {
            120
        };
        assert_eq!(
            time_of(&f["due_at"]),
            published + Duration::minutes(delay),
            "{f}"
        );
        let item = p
            .director
            .get(&app.ws(&format!("/content/{}", f["item_id"])))
            .await
            .1;
        assert_eq!(
            (
                item["stage"].as_str(),
                item["assignee_id"].as_i64(),
                item["title"].as_str()
            ),
            (
                Some("draft"),
                Some(app.user(Role::Operator).0),
                Some("跟发：星河S7 赛道首测")
            ),
            "{item}"
        );
        assert_eq!(time_of(&item["planned_at"]), time_of(&f["due_at"]));
    }
    let mut keys = std::collections::HashSet::new();
    for h in &hits {
        assert_eq!(h.verified, Ok(()));
        assert!(
            keys.insert(h.header("idempotency-key").unwrap()),
            "a duplicate delivery"
        );
        let event = h.json();
        assert_eq!(
            (event["type"].as_str(), event["workspace_id"].as_i64()),
            (Some("wave_follow_up"), Some(app.ws.0)),
            "{event}"
        );
        assert_eq!(
            event["recipients"],
            json!([app.user(Role::Operator).0]),
            "{event}"
        );
        assert_eq!(event["entity"]["type"], "content_item");
    }
    let told: Vec<i64> = hits
        .iter()
        .map(|h| h.json()["entity"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        sorted(told),
        sorted(
            follow_ups
                .iter()
                .map(|f| f["item_id"].as_i64().unwrap())
                .collect()
        )
    );
    assert_eq!(
        (
            count(app, "waves").await,
            count(app, "wave_follow_ups").await
        ),
        (1, p.followers.len() as i64)
    );
}

db_tests! {
    async fn a_published_trigger_makes_its_follow_ups_once_and_the_owners_hear_it_at_their_webhook(app: TestApp) {
        let rx = Receiver::start().await;
        let (base, _) = app.worker_server(sending_settings()).await;
        let p = prepare(&app, &base, &rx).await;
        assert!(waves_of(&app, &p.director, p.trigger).await.is_empty());
        publish(&app, &p).await;
        one_wave_arrived(&app, &rx, &p).await;
        // The wave's job is done; publishing again (the item is out) is refused and starts nothing.
        let admin = app.login_on(&base, Role::Admin).await;
        let (_, jobs) = admin.get(&app.ws("/jobs?limit=200")).await;
        let job = jobs.as_array().unwrap().iter().find(|j| j["idempotency_key"] == format!("wave:{}", p.trigger)).cloned().unwrap_or_else(|| panic!("no wave job: {jobs}"));
        assert_eq!((job["kind"].as_str(), job["state"].as_str(), job["attempts"].as_i64()), (Some("wave"), Some("done"), Some(1)), "{job}");
        let again = p.director.post(&app.ws(&format!("/content/{}/publish", p.trigger)), json!({"post_url": DOUYIN_POST})).await;
        assert_error(&again, StatusCode::CONFLICT, "content.not_in_stage", Some("stage"));
        tokio::time::sleep(Wait::from_millis(500)).await;
        assert_eq!(rx.hits(HOOK).len(), p.followers.len());
        assert_eq!(waves_of(&app, &p.director, p.trigger).await.len(), 1);
        // The operator's calendar shows the follow-ups as theirs to move, marked with the wave.
        let op = app.login_on(&base, Role::Operator).await;
        let w = &waves_of(&app, &op, p.trigger).await[0];
        let due = time_of(&w["follow_ups"][0]["due_at"]);
        let (s, view) = op.get(&app.ws(&format!("/calendar?from={}&to={}", iso(due - Duration::hours(1)), iso(due + Duration::days(2))))).await;
        assert_eq!(s, StatusCode::OK, "{view}");
        for f in w["follow_ups"].as_array().unwrap() {
            let i = on_calendar(&view, f["item_id"].as_i64().unwrap());
            assert_eq!((i["wave_id"].clone(), i["may_schedule"].as_bool()), (w["id"].clone(), Some(true)), "{i}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_two_servers_with_two_workers_make_one_wave() {
    let app = TestApp::spawn(Engine::Postgres).await;
    let rx = Receiver::start().await;
    let (a, store_a) = app.worker_server(sending_settings()).await;
    let (_b, store_b) = app.worker_server(sending_settings()).await;
    let p = prepare(&app, &a, &rx).await;
    publish(&app, &p).await;
    // Both nodes also run the trigger's waves at once, as a retried job or a stolen lease
    // would, while their workers take the queued job.
    let (ra, rb) = tokio::join!(
        store_a.run_waves(app.ws, p.trigger),
        store_b.run_waves(app.ws, p.trigger)
    );
    assert!(ra.unwrap() + rb.unwrap() <= 1);
    one_wave_arrived(&app, &rx, &p).await;
    assert_eq!(
        count(&app, "content_items").await,
        1 + p.followers.len() as i64
    );
}
