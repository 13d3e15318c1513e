//! The durable job queue and the notifications outbox on both engines: what a change writes in
//! its own transaction (notifications, deliveries, jobs) and what a rolled-back change leaves
//! (nothing), review, assignment and reminder notices, claiming with leases (also by four
//! workers at once), preferences and quiet periods, channels and rules, the morning round, and
//! marking read.

// Short names (t for the team, d for a delivery, j for a job) keep the case bodies readable.
#![allow(clippy::many_single_char_names)]

use super::content::{Person, Team, caller, draft_for, item, team};
use super::*;
use chrono::{DateTime, FixedOffset, NaiveDate, Timelike};
use kox_domain::campaigns::CampaignDraft;
use kox_domain::content::{ContentDraft, ContentPatch, Stage};
use kox_domain::content_settings::{
    ApprovalMode, ApprovalSettings, ApprovalStep, ContentSettings, StepRule,
};
use kox_domain::jobs::{Job, JobKind, JobState, LEASE};
use kox_domain::notifications::{
    Attempt, Channel, ChannelConfig, ChannelDraft, ChannelKind, Delivery, DeliveryStatus, MarkRead,
    Notification, NotificationKind as K, Preferences, RuleDraft,
};
use kox_domain::{CampaignId, ContentId};
use kox_store::content::ReviewAction;
use kox_store::jobs::{DeliveryUpdate, Finish, Finished};
use serde_json::json;

async fn campaign(store: &Store, ws: WorkspaceId, name: &str) -> CampaignId {
    store
        .create_campaign(
            &Caller::system(),
            ws,
            CampaignDraft {
                name: name.into(),
                theme: String::new(),
                starts_on: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
                ends_on: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
                budget_fen: kox_domain::campaigns::Fen(0),
                budget_by_tier: std::collections::BTreeMap::default(),
                currency: "CNY".into(),
                required_hashtags: vec![],
                embargo_at: None,
                target_kpis: String::new(),
                status: kox_domain::campaigns::CampaignStatus::default(),
                custom: serde_json::Map::default(),
            },
        )
        .await
        .unwrap()
        .id
}

/// A plain draft of the operator's: written without telling anyone.
async fn new_draft(store: &Store, t: &Team) -> ContentId {
    store
        .create_content(&caller(t.op), t.ws, draft_for(t.account, "正文"))
        .await
        .unwrap()
        .id
}

fn patch(v: serde_json::Value) -> ContentPatch {
    serde_json::from_value(v).unwrap()
}

fn code(e: StoreError) -> String {
    match e {
        StoreError::Invalid(f) => format!("{}@{}", f.code, f.field),
        StoreError::Conflict { code, field, .. } => format!("{code}@{field}"),
        other => other.to_string(),
    }
}

/// A member's notifications, newest first.
async fn notes(store: &Store, ws: WorkspaceId, user: UserId) -> Vec<Notification> {
    store
        .list_notifications(ws, user, false, None, None, 200)
        .await
        .unwrap()
        .items
}

async fn notes_of(store: &Store, ws: WorkspaceId, user: UserId, kind: K) -> Vec<Notification> {
    store
        .list_notifications(ws, user, false, Some(kind.as_str()), None, 200)
        .await
        .unwrap()
        .items
}

async fn deliveries(store: &Store, ws: WorkspaceId) -> Vec<Delivery> {
    let mut d = store.list_deliveries(ws, None, None, 1000).await.unwrap();
    d.reverse();
    d
}

/// The workspace's jobs, oldest first.
async fn jobs(store: &Store, ws: WorkspaceId) -> Vec<Job> {
    let mut j = store.list_jobs(Some(ws), None, 5000).await.unwrap();
    j.reverse();
    j
}

async fn job(store: &Store, ws: WorkspaceId, id: i64) -> Job {
    jobs(store, ws)
        .await
        .into_iter()
        .find(|j| j.id == id)
        .unwrap()
}

async fn delivery(store: &Store, ws: WorkspaceId, id: i64) -> Delivery {
    deliveries(store, ws)
        .await
        .into_iter()
        .find(|d| d.id == id)
        .unwrap()
}

/// Rows of a table, whatever the workspace.
async fn count(store: &Store, table: &str) -> i64 {
    kox_store::testing::read_text(
        store,
        &format!("SELECT CAST(COUNT(*) AS TEXT) FROM {table}"),
    )
    .await
    .parse()
    .unwrap()
}

/// (notifications, deliveries, jobs) in the whole database.
async fn outbox(store: &Store) -> (i64, i64, i64) {
    (
        count(store, "notifications").await,
        count(store, "deliveries").await,
        count(store, "jobs").await,
    )
}

/// The job a delivery's row points at.
async fn job_of(store: &Store, d: i64) -> i64 {
    kox_store::testing::read_text(
        store,
        &format!("SELECT CAST(job_id AS TEXT) FROM deliveries WHERE id = {d}"),
    )
    .await
    .parse()
    .unwrap()
}

async fn webhook(store: &Store, t: &Team) -> Channel {
    store
        .create_channel(
            &caller(t.director),
            t.ws,
            ChannelDraft {
                name: "品牌群机器人".into(),
                kind: ChannelKind::Webhook,
                config: ChannelConfig {
                    url: Some("http://127.0.0.1:9/x".into()),
                    ..Default::default()
                },
                secret: Some("whsec-0123456789".into()),
                enabled: true,
            },
        )
        .await
        .unwrap()
}

async fn email_channel(store: &Store, t: &Team) -> Channel {
    store
        .create_channel(
            &caller(t.director),
            t.ws,
            ChannelDraft {
                name: "邮件".into(),
                kind: ChannelKind::Email,
                config: ChannelConfig {
                    smtp_host: Some("smtp.example.com".into()),
                    from: Some("KOX <kox@example.com>".into()),
                    ..Default::default()
                },
                secret: Some("smtp-password".into()),
                enabled: true,
            },
        )
        .await
        .unwrap()
}

async fn rule(store: &Store, t: &Team, channel: i64, kinds: &[K]) {
    store
        .create_rule(
            &caller(t.director),
            t.ws,
            RuleDraft {
                channel_id: channel,
                kinds: kinds.to_vec(),
                campaign_ids: vec![],
                tiers: vec![],
                account_ids: vec![],
                enabled: true,
            },
        )
        .await
        .unwrap();
}

async fn review(
    store: &Store,
    t: &Team,
    w: Person,
    id: ContentId,
    a: ReviewAction,
    reason: Option<&str>,
) -> kox_domain::content::ContentItem {
    store
        .review_content(&caller(w), t.ws, id, a, reason)
        .await
        .unwrap()
}

/// Makes every insert of an event with `action` fail: a change refused by the database after
/// its notices were written, so that its transaction rolls back.
async fn fail_events(store: &Store, engine: Engine, action: &str) {
    use kox_store::testing::execute;
    match engine {
        Engine::Sqlite => {
            execute(
                store,
                &format!(
                    "CREATE TRIGGER refuse_event BEFORE INSERT ON events WHEN NEW.action = '{action}' \
                     BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
                ),
            )
            .await;
        }
        Engine::Postgres => {
            execute(
                store,
                &format!(
                    "CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                     IF NEW.action = '{action}' THEN RAISE EXCEPTION 'refused by the test'; END IF; \
                     RETURN NEW; END $$"
                ),
            )
            .await;
            execute(store, "CREATE TRIGGER refuse_event BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_event()").await;
        }
    }
}

async fn allow_events(store: &Store, engine: Engine) {
    let sql = match engine {
        Engine::Sqlite => "DROP TRIGGER refuse_event",
        Engine::Postgres => "DROP TRIGGER refuse_event ON events",
    };
    kox_store::testing::execute(store, sql).await;
}

/// Now, to the second: what the databases store and give back exactly.
fn now_s() -> DateTime<Utc> {
    Utc::now().with_nanosecond(0).unwrap()
}

fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}

fn sent(at: DateTime<Utc>, status: DeliveryStatus, answer: &str) -> Vec<Attempt> {
    vec![kox_store::notifications::attempt(
        at,
        status,
        Some(200),
        answer,
    )]
}

store_tests! {
    async fn a_burst_to_a_rate_limited_bot_is_spaced_to_its_limit_and_nothing_is_dropped(store: Store, _engine: Engine) {
        let t = team(&store).await;
        // WeCom takes 20 messages a minute: one every 3 s.
        let wecom = store
            .create_channel(
                &caller(t.director),
                t.ws,
                ChannelDraft {
                    name: "企业微信群".into(),
                    kind: ChannelKind::Wecom,
                    config: ChannelConfig::default(),
                    secret: Some("693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa".into()),
                    enabled: true,
                },
            )
            .await
            .unwrap();
        let hook = webhook(&store, &t).await;
        rule(&store, &t, wecom.id, &[K::Mention]).await;
        rule(&store, &t, hook.id, &[K::Mention]).await;
        let id = new_draft(&store, &t).await;
        let before = Utc::now();
        for i in 0..4 {
            store.add_comment(&caller(t.editor), t.ws, id, &format!("第{i}条 @运营"), &[t.op.user]).await.unwrap();
        }
        let d = deliveries(&store, t.ws).await;
        let at = |kind: ChannelKind| -> Vec<DateTime<Utc>> {
            let mut v: Vec<_> = d.iter().filter(|x| x.channel_kind == kind).map(|x| x.next_attempt_at.unwrap()).collect();
            v.sort();
            v
        };
        let bot = at(ChannelKind::Wecom);
        assert_eq!(bot.len(), 4, "every message is kept");
        assert!(bot[0] >= before - Duration::seconds(1) && bot[0] <= Utc::now());
        for w in bot.windows(2) {
            assert_eq!((w[1] - w[0]).num_milliseconds(), 3000, "spaced to 20 a minute: {bot:?}");
        }
        // Each delivery's job waits for its slot too.
        for x in d.iter().filter(|x| x.channel_kind == ChannelKind::Wecom) {
            let j = job(&store, t.ws, job_of(&store, x.id).await).await;
            assert_eq!(j.run_at, x.next_attempt_at.unwrap());
        }
        // A generic webhook has no limit of ours: all at once.
        let plain = at(ChannelKind::Webhook);
        assert_eq!(plain.len(), 4);
        assert!(plain.iter().all(|t| *t <= Utc::now()));
    }

    async fn a_mention_writes_its_notification_delivery_and_job_with_the_comment_and_a_refused_change_writes_none(store: Store, engine: Engine) {
        let t = team(&store).await;
        let ch = webhook(&store, &t).await;
        rule(&store, &t, ch.id, &[K::Mention, K::ReviewRequested]).await;
        let id = new_draft(&store, &t).await;
        assert_eq!(outbox(&store).await, (0, 0, 0), "a draft nobody is told about writes nothing");

        store.add_comment(&caller(t.editor), t.ws, id, "@运营 请补充实拍图", &[t.op.user]).await.unwrap();
        let n = notes(&store, t.ws, t.op.user).await;
        assert_eq!(n.len(), 1);
        assert_eq!((n[0].kind, n[0].entity_type.as_deref(), n[0].entity_id), (K::Mention, Some("content_item"), Some(id.0)));
        assert_eq!((n[0].actor_id, n[0].actor_name.as_deref(), n[0].read_at), (Some(t.editor.user.0), Some("editor1"), None));
        assert_eq!(n[0].title, "星河S7 一周体验");
        assert_eq!(n[0].data["comment"], "@运营 请补充实拍图");
        assert!(notes(&store, t.ws, t.editor.user).await.is_empty(), "the author is not told");
        let d = deliveries(&store, t.ws).await;
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].channel_id, d[0].channel_kind, d[0].kind, d[0].status), (Some(ch.id), ChannelKind::Webhook, K::Mention, DeliveryStatus::Queued));
        assert_eq!((d[0].target.as_deref(), d[0].attempts.len()), (None, 0));
        assert_eq!(d[0].idempotency_key, format!("kox-{}-{}", t.ws.0, d[0].id));
        let j = jobs(&store, t.ws).await;
        assert_eq!(j.len(), 1);
        assert_eq!((j[0].kind, j[0].state, j[0].attempts, j[0].max_attempts), (JobKind::Deliver, JobState::Queued, 0, 8));
        assert_eq!(j[0].idempotency_key, format!("deliver:{}", d[0].id));
        assert_eq!(job_of(&store, d[0].id).await, j[0].id);
        assert!(j[0].run_at <= Utc::now());
        assert_eq!(outbox(&store).await, (1, 1, 1));
        let out = store.outgoing(t.ws, d[0].id).await.unwrap();
        assert_eq!(out.message.title, "有人@你：《星河S7 一周体验》");
        assert_eq!(out.message.mention_names, vec!["运营".to_owned()]);
        assert_eq!(out.secret.as_deref(), Some("whsec-0123456789"));
        assert_eq!(out.event["recipients"], json!([t.op.user.0]));

        // A mention of someone outside the workspace is refused inside the transaction: the
        // member mentioned beside them is not told either.
        let (_, stranger) = workspace(&store, "别家").await;
        let err = store.add_comment(&caller(t.editor), t.ws, id, "@运营 @外人", &[t.op.user, stranger]).await.unwrap_err();
        assert_eq!(code(err), "content.mention_not_member@mentions.1");
        assert_eq!(outbox(&store).await, (1, 1, 1));
        assert_eq!(store.list_comments(t.ws, id).await.unwrap().len(), 1);

        // The author mentioning themselves: nobody is told anything.
        store.add_comment(&caller(t.editor), t.ws, id, "@editor1 自己记一下", &[t.editor.user]).await.unwrap();
        assert!(notes(&store, t.ws, t.editor.user).await.is_empty());
        assert_eq!(outbox(&store).await, (1, 1, 1), "a mention of nobody but the author sends nothing");

        // A change refused by the database after its notices were written (the submission's own
        // event fails): the approvers' notifications, the delivery and its job roll back with it.
        fail_events(&store, engine, "content.submitted").await;
        let refused = store.review_content(&caller(t.op), t.ws, id, ReviewAction::Submit, None).await;
        assert!(matches!(refused, Err(StoreError::Other(_))), "{refused:?}");
        assert_eq!(outbox(&store).await, (1, 1, 1));
        assert_eq!(store.get_content(t.ws, id).await.unwrap().stage, Stage::Draft);
        for p in [t.director, t.editor, t.editor2] {
            assert!(notes_of(&store, t.ws, p.user, K::ReviewRequested).await.is_empty());
        }
        allow_events(&store, engine).await;
        review(&store, &t, t.op, id, ReviewAction::Submit, None).await;
        for p in [t.director, t.editor, t.editor2] {
            assert_eq!(notes_of(&store, t.ws, p.user, K::ReviewRequested).await.len(), 1);
        }
        // Three reviewers, one more channel message and its job.
        assert_eq!(outbox(&store).await, (4, 2, 2));
    }

    async fn review_requests_go_to_the_steps_approvers_and_decisions_to_the_submitter_and_assignee(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let requested = |p: Person| notes_of(&store, t.ws, p.user, K::ReviewRequested);
        let decided = |p: Person| notes_of(&store, t.ws, p.user, K::ReviewDecided);
        // One review by any reviewer (the default): every editor, director and admin is asked.
        let plain = new_draft(&store, &t).await;
        review(&store, &t, t.op, plain, ReviewAction::Submit, None).await;
        for p in [t.director, t.editor, t.editor2] {
            let n = requested(p).await;
            assert_eq!(n.len(), 1, "{:?}", p.role);
            assert_eq!((n[0].entity_id, n[0].actor_id, &n[0].data), (Some(plain.0), Some(t.op.user.0), &json!({"round": 1, "step": 1})));
        }
        for p in [t.op, t.op2, t.planner] {
            assert!(notes(&store, t.ws, p.user).await.is_empty(), "{:?}", p.role);
        }

        // Two steps: any of the two editors, then both the second editor and the director.
        let s = ContentSettings {
            approval: ApprovalSettings {
                mode: ApprovalMode::MultiLevel,
                steps: vec![
                    ApprovalStep { name: "内容".into(), rule: StepRule::Any, approver_ids: vec![t.editor.user, t.editor2.user] },
                    ApprovalStep { name: "品牌与法务".into(), rule: StepRule::All, approver_ids: vec![t.editor2.user, t.director.user] },
                ],
            },
            ..ContentSettings::default()
        };
        store.update_content_settings(&caller(t.director), t.ws, s).await.unwrap();
        let d = ContentDraft { assignee_id: Some(t.planner.user), ..draft_for(t.account, "正文") };
        let id = store.create_content(&caller(t.op), t.ws, d).await.unwrap().id;
        assert_eq!(notes_of(&store, t.ws, t.planner.user, K::Assigned).await.len(), 1);
        review(&store, &t, t.op, id, ReviewAction::Submit, None).await;
        assert_eq!(requested(t.editor).await.len(), 2);
        assert_eq!(requested(t.editor2).await.len(), 2);
        assert_eq!(requested(t.director).await.len(), 1, "the director decides step 2 only");

        review(&store, &t, t.editor, id, ReviewAction::Reject, Some("补充实拍图")).await;
        for p in [t.op, t.planner] {
            let n = decided(p).await;
            assert_eq!(n.len(), 1, "{:?}", p.role);
            assert_eq!((n[0].entity_id, n[0].actor_id), (Some(id.0), Some(t.editor.user.0)));
            assert_eq!(n[0].data, json!({"decision": "rejected", "reason": "补充实拍图"}));
        }
        for p in [t.editor, t.editor2, t.director] {
            assert!(decided(p).await.is_empty());
        }

        review(&store, &t, t.op, id, ReviewAction::Submit, None).await;
        assert_eq!((requested(t.editor).await.len(), requested(t.editor2).await.len(), requested(t.director).await.len()), (3, 3, 1));
        // Step 1 done: step 2's approvers are asked, and no decision is announced yet.
        review(&store, &t, t.editor, id, ReviewAction::Approve, None).await;
        assert_eq!((requested(t.editor).await.len(), requested(t.editor2).await.len(), requested(t.director).await.len()), (3, 4, 2));
        assert_eq!(requested(t.director).await[0].data, json!({"round": 2, "step": 2}));
        assert_eq!(decided(t.op).await.len(), 1);
        review(&store, &t, t.editor2, id, ReviewAction::Approve, None).await;
        assert_eq!(decided(t.op).await.len(), 1, "the director has not approved yet");
        let done = review(&store, &t, t.director, id, ReviewAction::Approve, None).await;
        assert_eq!(done.stage, Stage::Publish);
        for p in [t.op, t.planner] {
            let n = decided(p).await;
            assert_eq!(n.len(), 2, "{:?}", p.role);
            assert_eq!((n[0].actor_id, &n[0].data), (Some(t.director.user.0), &json!({"decision": "approved", "reason": null})));
        }
        assert!(decided(t.editor2).await.is_empty());
    }

    async fn assignments_are_announced_and_the_publish_reminder_follows_planned_at(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let topic = store
            .create_content(&caller(t.planner), t.ws, ContentDraft { assignee_id: Some(t.op.user), ..item("电池针刺实验", "") })
            .await
            .unwrap();
        let n = notes(&store, t.ws, t.op.user).await;
        assert_eq!(n.len(), 1);
        assert_eq!((n[0].kind, n[0].entity_id, n[0].actor_id), (K::Assigned, Some(topic.id.0), Some(t.planner.user.0)));
        assert_eq!(n[0].data["stage"], "topic");
        // Taking a card oneself tells nobody.
        store.create_content(&caller(t.planner), t.ws, ContentDraft { assignee_id: Some(t.planner.user), ..item("自己的选题", "") }).await.unwrap();
        assert!(notes(&store, t.ws, t.planner.user).await.is_empty());
        // A new assignee is told; the old one hears nothing more; an edit of another field
        // tells nobody again.
        let moved = store.update_content(&caller(t.planner), t.ws, topic.id, patch(json!({"version": topic.version, "assignee_id": t.op2.user.0}))).await.unwrap();
        assert_eq!(notes_of(&store, t.ws, t.op2.user, K::Assigned).await.len(), 1);
        store.update_content(&caller(t.planner), t.ws, topic.id, patch(json!({"version": moved.version, "body": "三项实验"}))).await.unwrap();
        assert_eq!(notes(&store, t.ws, t.op.user).await.len(), 1);
        assert_eq!(notes(&store, t.ws, t.op2.user).await.len(), 1);
        assert!(jobs(&store, t.ws).await.is_empty(), "nothing is planned yet");

        // Planned for tomorrow: the reminder is queued an hour before.
        let at = now_s() + Duration::days(1);
        let d = store.create_content(&caller(t.op), t.ws, ContentDraft { planned_at: Some(at), ..draft_for(t.account, "正文") }).await.unwrap();
        let key = format!("publish_reminder:{}", d.id.0);
        let j = jobs(&store, t.ws).await;
        assert_eq!(j.len(), 1);
        assert_eq!((j[0].kind, j[0].state, j[0].idempotency_key.as_str(), j[0].run_at), (JobKind::PublishReminder, JobState::Queued, key.as_str(), at - Duration::hours(1)));
        let first = j[0].id;
        // Moved: the same job, rescheduled.
        let later = at + Duration::days(1);
        let d = store.update_content(&caller(t.op), t.ws, d.id, patch(json!({"version": d.version, "planned_at": later}))).await.unwrap();
        let j = jobs(&store, t.ws).await;
        assert_eq!(j.len(), 1);
        assert_eq!((j[0].id, j[0].state, j[0].run_at), (first, JobState::Queued, later - Duration::hours(1)));
        // Cleared: cancelled; planned again: the same job queued again.
        let d = store.update_content(&caller(t.op), t.ws, d.id, patch(json!({"version": d.version, "planned_at": null}))).await.unwrap();
        assert_eq!(job(&store, t.ws, first).await.state, JobState::Cancelled);
        // Within the hour: due at once.
        let soon = now_s() + Duration::minutes(30);
        let d = store.update_content(&caller(t.op), t.ws, d.id, patch(json!({"version": d.version, "planned_at": soon}))).await.unwrap();
        let j = jobs(&store, t.ws).await;
        assert_eq!((j.len(), j[0].id, j[0].state), (1, first, JobState::Queued));
        assert!(j[0].run_at <= Utc::now() && j[0].run_at > Utc::now() - Duration::minutes(1), "{:?}", j[0].run_at);
        let d = store.update_content(&caller(t.op), t.ws, d.id, patch(json!({"version": d.version, "planned_at": later}))).await.unwrap();
        assert_eq!(job(&store, t.ws, first).await.run_at, later - Duration::hours(1));
        // Published: nothing left to remind of.
        review(&store, &t, t.op, d.id, ReviewAction::Submit, None).await;
        assert_eq!(job(&store, t.ws, first).await.state, JobState::Queued, "review leaves the reminder");
        review(&store, &t, t.editor, d.id, ReviewAction::Approve, None).await;
        store
            .publish_content(&caller(t.op), t.ws, d.id, "https://www.xiaohongshu.com/explore/6650a1b2c3d4e5f6a7b8c9d0", None, None)
            .await
            .unwrap();
        let j = jobs(&store, t.ws).await;
        assert_eq!(j.len(), 1);
        assert_eq!((j[0].id, j[0].state), (first, JobState::Cancelled));

        // The reminder job tells the account's owners while the item is still planned then.
        let e = store.create_content(&caller(t.op), t.ws, ContentDraft { planned_at: Some(at), ..draft_for(t.account, "另一篇") }).await.unwrap();
        assert!(!store.run_publish_reminder(t.ws, e.id.0, Some(later)).await.unwrap(), "planned for another time");
        assert!(store.run_publish_reminder(t.ws, e.id.0, Some(at)).await.unwrap());
        let n = notes_of(&store, t.ws, t.op.user, K::PublishReminder).await;
        assert_eq!((n.len(), n[0].entity_id, n[0].actor_id), (1, Some(e.id.0), None));
    }

    async fn a_claim_takes_due_jobs_once_and_finishing_retrying_and_leases_keep_one_owner(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let ch = webhook(&store, &t).await;
        rule(&store, &t, ch.id, &[K::Mention]).await;
        let id = new_draft(&store, &t).await;
        for i in 0..3 {
            store.add_comment(&caller(t.editor), t.ws, id, &format!("第{i}条 @运营"), &[t.op.user]).await.unwrap();
        }
        let ds = deliveries(&store, t.ws).await;
        assert_eq!(ds.len(), 3);
        // A job not due yet stays.
        let later = kox_store::testing::enqueue_jobs(&store, t.ws, JobKind::PublishReminder, 1, Utc::now() + Duration::hours(5)).await[0];
        assert_eq!(store.next_job_at().await.unwrap().map(|a| a <= Utc::now()), Some(true));

        let now = Utc::now() + Duration::seconds(1);
        let claimed = store.claim_jobs("w1", 10, now, LEASE).await.unwrap();
        assert_eq!(claimed.len(), 3);
        for (c, d) in claimed.iter().zip(&ds) {
            assert_eq!((c.workspace_id, c.kind, c.attempt, c.max_attempts), (t.ws, Some(JobKind::Deliver), 1, 8));
            assert_eq!(c.payload, json!({"delivery_id": d.id}));
            assert_eq!(c.key, format!("deliver:{}", d.id));
            assert_eq!(c.id, job_of(&store, d.id).await);
        }
        assert!(claimed.iter().all(|c| c.id != later));
        assert!(store.claim_jobs("w2", 10, now, LEASE).await.unwrap().is_empty(), "leased jobs are not claimed twice");
        for d in deliveries(&store, t.ws).await {
            assert_eq!(d.status, DeliveryStatus::Sending);
        }
        for c in &claimed {
            let j = job(&store, t.ws, c.id).await;
            assert_eq!((j.state, j.attempts, j.lease_owner.as_deref()), (JobState::Running, 1, Some("w1")));
            let until = j.lease_until.unwrap();
            assert!((until - (now + Duration::seconds(60))).num_milliseconds().abs() < 5, "{until}");
        }
        assert_eq!(store.next_job_at().await.unwrap().map(|a| (a - now - Duration::seconds(60)).num_seconds()), Some(0), "the earliest lease");

        // Done, retry later, dead.
        let retry_at = now_s() + Duration::minutes(10);
        let finished = vec![
            Finished { job: claimed[0].id, finish: Finish::Done, delivery: Some(DeliveryUpdate { id: ds[0].id, status: DeliveryStatus::Sent, attempts: sent(now_s(), DeliveryStatus::Sent, "ok"), next_attempt_at: None }) },
            Finished { job: claimed[1].id, finish: Finish::Retry { at: retry_at, error: "HTTP 502".into() }, delivery: Some(DeliveryUpdate { id: ds[1].id, status: DeliveryStatus::Retrying, attempts: sent(now_s(), DeliveryStatus::Retrying, "bad gateway"), next_attempt_at: Some(retry_at) }) },
            Finished { job: claimed[2].id, finish: Finish::Dead("HTTP 401".into()), delivery: Some(DeliveryUpdate { id: ds[2].id, status: DeliveryStatus::Failed, attempts: sent(now_s(), DeliveryStatus::Failed, "bad signature"), next_attempt_at: None }) },
        ];
        store.finish_jobs("w1", &finished).await.unwrap();
        let (j0, j1, j2) = (job(&store, t.ws, claimed[0].id).await, job(&store, t.ws, claimed[1].id).await, job(&store, t.ws, claimed[2].id).await);
        assert_eq!((j0.state, j0.last_error.as_deref(), j0.lease_owner.as_deref(), j0.lease_until), (JobState::Done, None, None, None));
        assert_eq!((j1.state, j1.run_at, j1.last_error.as_deref(), j1.lease_owner.as_deref()), (JobState::Queued, retry_at, Some("HTTP 502"), None));
        assert_eq!((j2.state, j2.last_error.as_deref(), j2.attempts), (JobState::Dead, Some("HTTP 401"), 1));
        let (d0, d1, d2) = (delivery(&store, t.ws, ds[0].id).await, delivery(&store, t.ws, ds[1].id).await, delivery(&store, t.ws, ds[2].id).await);
        assert_eq!((d0.status, d0.attempts.len(), d0.attempts[0].answer.as_str(), d0.next_attempt_at), (DeliveryStatus::Sent, 1, "ok", None));
        assert_eq!((d1.status, d1.next_attempt_at), (DeliveryStatus::Retrying, Some(retry_at)));
        assert_eq!((d2.status, d2.attempts[0].http_status), (DeliveryStatus::Failed, Some(200)));

        // The retry is due at its time, and counts its attempt.
        assert!(store.claim_jobs("w1", 10, now, LEASE).await.unwrap().is_empty());
        let t1 = retry_at + Duration::seconds(1);
        let again = store.claim_jobs("w1", 10, t1, LEASE).await.unwrap();
        assert_eq!(again.iter().map(|c| (c.id, c.attempt)).collect::<Vec<_>>(), vec![(claimed[1].id, 2)]);
        // w1 stalls past its lease: w2 takes the job, and w1's late answer changes nothing.
        let t2 = t1 + Duration::seconds(61);
        let taken = store.claim_jobs("w2", 10, t2, LEASE).await.unwrap();
        assert_eq!(taken.iter().map(|c| (c.id, c.attempt)).collect::<Vec<_>>(), vec![(claimed[1].id, 3)]);
        let late = Finished { job: claimed[1].id, finish: Finish::Done, delivery: Some(DeliveryUpdate { id: ds[1].id, status: DeliveryStatus::Sent, attempts: vec![], next_attempt_at: None }) };
        store.finish_jobs("w1", &[late]).await.unwrap();
        let j1 = job(&store, t.ws, claimed[1].id).await;
        assert_eq!((j1.state, j1.lease_owner.as_deref(), j1.attempts), (JobState::Running, Some("w2"), 3));
        assert_eq!(delivery(&store, t.ws, ds[1].id).await.status, DeliveryStatus::Sending);
        let dead = Finished { job: claimed[1].id, finish: Finish::Dead("gave up".into()), delivery: Some(DeliveryUpdate { id: ds[1].id, status: DeliveryStatus::Dead, attempts: sent(now_s(), DeliveryStatus::Dead, "timeout"), next_attempt_at: None }) };
        store.finish_jobs("w2", &[dead]).await.unwrap();
        let j1 = job(&store, t.ws, claimed[1].id).await;
        assert_eq!((j1.state, j1.last_error.as_deref(), j1.lease_owner), (JobState::Dead, Some("gave up"), None));
        assert_eq!(delivery(&store, t.ws, ds[1].id).await.status, DeliveryStatus::Dead);

        // The same for a job without a delivery (finished in one statement).
        let plain = kox_store::testing::enqueue_jobs(&store, t.ws, JobKind::DailyDigest, 1, t2).await;
        let mut plain_claim = store.claim_jobs("w1", 10, t2 + Duration::seconds(1), LEASE).await.unwrap();
        assert_eq!(plain_claim.iter().map(|c| c.id).collect::<Vec<_>>(), plain);
        let stolen = store.claim_jobs("w3", 10, t2 + Duration::seconds(62), LEASE).await.unwrap();
        assert_eq!(stolen.iter().map(|c| (c.id, c.attempt)).collect::<Vec<_>>(), vec![(plain[0], 2)]);
        let c = plain_claim.remove(0);
        store.finish_jobs("w1", &[Finished { job: c.id, finish: Finish::Done, delivery: None }]).await.unwrap();
        assert_eq!(job(&store, t.ws, c.id).await.state, JobState::Running);
        store.finish_jobs("w3", &[Finished { job: c.id, finish: Finish::Done, delivery: None }]).await.unwrap();
        assert_eq!(job(&store, t.ws, c.id).await.state, JobState::Done);

        // A dead job is queued again now, from scratch; its delivery shows queued.
        let before = Utc::now();
        let back = store.retry_job(Some(t.ws), claimed[1].id).await.unwrap();
        assert_eq!((back.state, back.attempts, back.last_error.as_deref()), (JobState::Queued, 0, None));
        assert!(back.run_at >= before - Duration::seconds(1) && back.run_at <= Utc::now());
        let d1 = delivery(&store, t.ws, ds[1].id).await;
        assert_eq!(d1.status, DeliveryStatus::Queued);
        assert!(d1.next_attempt_at.is_some_and(|a| a >= before - Duration::seconds(1)));
        let err = store.retry_job(Some(t.ws), claimed[1].id).await.unwrap_err();
        assert_eq!(code(err), "jobs.not_retryable@state");
        // Another workspace's job is not found; the command line reaches every workspace.
        let (other, _) = workspace(&store, "别家").await;
        assert!(matches!(store.retry_job(Some(other), claimed[2].id).await, Err(StoreError::NotFound)));
        assert_eq!(store.retry_job(None, claimed[2].id).await.unwrap().state, JobState::Queued);
        // Resending a delivery goes through its job.
        let r = store.retry_delivery(t.ws, ds[0].id).await.unwrap();
        assert_eq!(r.status, DeliveryStatus::Queued);
        assert_eq!(job(&store, t.ws, claimed[0].id).await.state, JobState::Queued);
        let again = store.claim_jobs("w1", 10, Utc::now() + Duration::seconds(1), LEASE).await.unwrap();
        let mut ids: Vec<i64> = again.iter().map(|c| c.id).collect();
        ids.sort_unstable();
        assert_eq!(ids, vec![claimed[0].id, claimed[1].id, claimed[2].id]);
        assert!(again.iter().all(|c| c.attempt == 1));
        assert_eq!(job(&store, t.ws, later).await.state, JobState::Queued);
    }

    async fn four_workers_claiming_at_once_run_every_job_exactly_once(store: Store, _engine: Engine) {
        let (ws, _) = workspace(&store, "星河").await;
        let mut all = kox_store::testing::enqueue_jobs(&store, ws, JobKind::Deliver, 500, Utc::now() - Duration::seconds(1)).await;
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 500);
        let workers: Vec<_> = (0..4)
            .map(|w| {
                let store = store.clone();
                tokio::spawn(async move {
                    let owner = format!("worker-{w}");
                    let mut mine = Vec::new();
                    loop {
                        let got = store.claim_jobs(&owner, 7, Utc::now(), LEASE).await.unwrap();
                        if got.is_empty() {
                            break;
                        }
                        assert!(got.iter().all(|c| c.attempt == 1), "{got:?}");
                        let done: Vec<Finished> = got.iter().map(|c| Finished { job: c.id, finish: Finish::Done, delivery: None }).collect();
                        store.finish_jobs(&owner, &done).await.unwrap();
                        mine.extend(got.into_iter().map(|c| c.id));
                    }
                    mine
                })
            })
            .collect();
        let mut claimed = Vec::new();
        for w in workers {
            claimed.extend(w.await.unwrap());
        }
        claimed.sort_unstable();
        assert_eq!(claimed.len(), 500, "every job claimed once, none twice");
        assert_eq!(claimed, all);
        let done = store.list_jobs(Some(ws), Some(JobState::Done), 1000).await.unwrap();
        assert_eq!(done.len(), 500);
        assert!(done.iter().all(|j| j.attempts == 1 && j.lease_owner.is_none()));
        assert!(store.list_jobs(Some(ws), Some(JobState::Queued), 10).await.unwrap().is_empty());
        assert!(store.list_jobs(Some(ws), Some(JobState::Running), 10).await.unwrap().is_empty());
        assert_eq!(store.next_job_at().await.unwrap(), None);
    }

    async fn preferences_choose_the_bell_and_e_mail_and_a_quiet_period_holds_e_mail(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let p = store.get_preferences(t.ws, t.op.user).await.unwrap();
        assert_eq!(p, Preferences::default());
        assert_eq!((p.in_app, p.email), (K::ALL.to_vec(), vec![]));
        let set = |user: UserId, p: Preferences| {
            let store = store.clone();
            async move { store.set_preferences(t.ws, user, p).await }
        };
        let err = set(t.op.user, Preferences { quiet_from: Some("22:00".into()), ..Preferences::default() }).await.unwrap_err();
        assert_eq!(code(err), "validation.required@quiet_until");
        let err = set(t.op.user, Preferences { mobile: Some("138-abc".into()), ..Preferences::default() }).await.unwrap_err();
        assert_eq!(code(err), "validation.phone@mobile");
        assert_eq!(store.get_preferences(t.ws, t.op.user).await.unwrap(), Preferences::default(), "refused choices are not kept");

        // Mentions by e-mail only.
        let no_bell: Vec<K> = K::ALL.into_iter().filter(|k| *k != K::Mention).collect();
        let saved = set(t.op.user, Preferences { in_app: no_bell.clone(), email: vec![K::Mention], mobile: Some("138 0013 8000".into()), ..Preferences::default() }).await.unwrap();
        assert_eq!(saved.mobile.as_deref(), Some("13800138000"));
        assert_eq!(store.get_preferences(t.ws, t.op.user).await.unwrap(), saved);
        let id = new_draft(&store, &t).await;
        // No e-mail channel yet: nothing to send it with.
        store.add_comment(&caller(t.editor), t.ws, id, "@运营 看一下", &[t.op.user]).await.unwrap();
        assert_eq!(outbox(&store).await, (0, 0, 0));
        let mail = email_channel(&store, &t).await;
        let before = Utc::now();
        store.add_comment(&caller(t.editor), t.ws, id, "@运营 再看一下", &[t.op.user]).await.unwrap();
        assert!(notes(&store, t.ws, t.op.user).await.is_empty(), "not in the bell");
        let d = deliveries(&store, t.ws).await;
        assert_eq!(d.len(), 1);
        let op_email = format!("op@{}.cn", t.ws.0);
        assert_eq!((d[0].channel_id, d[0].channel_kind, d[0].target.as_deref(), d[0].kind), (Some(mail.id), ChannelKind::Email, Some(op_email.as_str()), K::Mention));
        assert!(d[0].next_attempt_at.is_some_and(|a| a >= before - Duration::seconds(1) && a <= Utc::now()));
        let out = store.outgoing(t.ws, d[0].id).await.unwrap();
        assert!(out.message.mention_mobiles.is_empty(), "an e-mail @s nobody");

        // A quiet period around now (Shanghai time): the bell at once, the e-mail at its end.
        let local = Utc::now().with_timezone(&shanghai());
        let until_local = (local + Duration::hours(2)).with_second(0).unwrap().with_nanosecond(0).unwrap();
        let quiet = Preferences {
            email: vec![K::Mention],
            quiet_from: Some((local - Duration::hours(1)).format("%H:%M").to_string()),
            quiet_until: Some(until_local.format("%H:%M").to_string()),
            ..Preferences::default()
        };
        set(t.op2.user, quiet).await.unwrap();
        store.add_comment(&caller(t.editor), t.ws, id, "@运营2 夜里别吵", &[t.op2.user]).await.unwrap();
        assert_eq!(notes_of(&store, t.ws, t.op2.user, K::Mention).await.len(), 1);
        let d = deliveries(&store, t.ws).await;
        assert_eq!(d.len(), 2);
        let held = &d[1];
        assert_eq!((held.channel_kind, held.target.clone()), (ChannelKind::Email, Some(format!("operator2@{}.cn", t.ws.0))));
        let end = until_local.with_timezone(&Utc);
        assert_eq!(held.next_attempt_at, Some(end));
        assert_eq!(job(&store, t.ws, job_of(&store, held.id).await).await.run_at, end);
        assert!(store.claim_jobs("w", 10, Utc::now() + Duration::seconds(1), LEASE).await.unwrap().iter().all(|c| c.payload["delivery_id"] != json!(held.id)));
        // A disabled e-mail channel sends nothing.
        store.update_channel(&caller(t.director), t.ws, mail.id, kox_domain::notifications::ChannelPatch { enabled: Some(false), ..Default::default() }).await.unwrap();
        store.add_comment(&caller(t.editor), t.ws, id, "@运营 第三次", &[t.op.user]).await.unwrap();
        assert_eq!(deliveries(&store, t.ws).await.len(), 2);
    }

    async fn channels_are_checked_for_their_kind_and_rules_for_the_workspaces_own_ids(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let dir = caller(t.director);
        let chan = |kind: ChannelKind, url: Option<&str>, secret: Option<&str>| ChannelDraft {
            name: "群".into(),
            kind,
            config: ChannelConfig { url: url.map(Into::into), ..Default::default() },
            secret: secret.map(Into::into),
            enabled: true,
        };
        let feishu = "https://open.feishu.cn/open-apis/bot/v2/hook/abc";
        let err = store.create_channel(&dir, t.ws, chan(ChannelKind::Feishu, Some(feishu), None)).await.unwrap_err();
        assert_eq!(code(err), "notifications.secret_required@secret");
        let err = store.create_channel(&dir, t.ws, chan(ChannelKind::Feishu, Some(feishu), Some("  "))).await.unwrap_err();
        assert_eq!(code(err), "notifications.secret_required@secret");
        let err = store.create_channel(&dir, t.ws, chan(ChannelKind::Wecom, None, Some("not a key!"))).await.unwrap_err();
        assert_eq!(code(err), "notifications.bad_key@secret");
        let err = store.create_channel(&dir, t.ws, chan(ChannelKind::Webhook, Some("ftp://example.com/x"), Some("s"))).await.unwrap_err();
        assert_eq!(code(err), "validation.url@config.url");
        assert!(store.list_channels(t.ws).await.unwrap().is_empty(), "refused channels are not written");

        let secret = "SEC0123456789abcdef";
        let f = store.create_channel(&dir, t.ws, chan(ChannelKind::Feishu, Some(feishu), Some(secret))).await.unwrap();
        let w = store.create_channel(&dir, t.ws, chan(ChannelKind::Wecom, None, Some("693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"))).await.unwrap();
        let listed = store.list_channels(t.ws).await.unwrap();
        assert_eq!(listed.iter().map(|c| (c.id, c.secret_set)).collect::<Vec<_>>(), vec![(f.id, true), (w.id, true)]);
        let shown = serde_json::to_string(&listed).unwrap();
        assert!(!shown.contains(secret) && !shown.contains("693a91f6"), "{shown}");
        // An edit that sends no secret keeps the stored one.
        let renamed = store.update_channel(&dir, t.ws, f.id, kox_domain::notifications::ChannelPatch { name: Some("飞书群".into()), secret: Some(String::new()), ..Default::default() }).await.unwrap();
        assert!(renamed.secret_set);
        assert_eq!(store.channel_for_send(t.ws, f.id).await.unwrap().1.as_deref(), Some(secret));

        // A rule may only name the workspace's own channels, campaigns and accounts.
        let (other, _) = workspace(&store, "别家").await;
        let theirs = campaign(&store, other, "别家的战役").await;
        let d = |campaign_ids: Vec<i64>, channel_id: i64| RuleDraft { channel_id, kinds: vec![K::Mention], campaign_ids, tiers: vec![], account_ids: vec![], enabled: true };
        let err = store.create_rule(&dir, t.ws, d(vec![theirs.0], f.id)).await.unwrap_err();
        assert_eq!(code(err), "notifications.unknown_campaign@campaign_ids.0");
        let err = store.create_rule(&dir, t.ws, d(vec![t.campaign.0, theirs.0], f.id)).await.unwrap_err();
        assert_eq!(code(err).split('@').next(), Some("notifications.unknown_campaign"));
        let their_channel = store
            .create_channel(&Caller::system(), other, chan(ChannelKind::Webhook, Some("https://example.com/hook"), Some("s")))
            .await
            .unwrap();
        let err = store.create_rule(&dir, t.ws, d(vec![], their_channel.id)).await.unwrap_err();
        assert_eq!(code(err), "notifications.unknown_channel@channel_id");
        let err = store.create_rule(&dir, t.ws, RuleDraft { kinds: vec![], ..d(vec![], f.id) }).await.unwrap_err();
        assert_eq!(code(err), "validation.required@kinds");
        assert!(store.list_rules(t.ws).await.unwrap().is_empty(), "refused rules are not written");
        assert!(!events(&store, t.ws).await.contains(&"notification_rule.created".to_owned()));

        // A rule for one campaign sends only about that campaign's items.
        let r = store.create_rule(&dir, t.ws, d(vec![t.campaign.0], f.id)).await.unwrap();
        assert_eq!(store.list_rules(t.ws).await.unwrap(), vec![r.clone()]);
        let plain = new_draft(&store, &t).await;
        store.add_comment(&caller(t.editor), t.ws, plain, "@运营", &[t.op.user]).await.unwrap();
        assert!(deliveries(&store, t.ws).await.is_empty());
        let in_campaign = store
            .create_content(&caller(t.op), t.ws, ContentDraft { campaign_id: Some(t.campaign), ..draft_for(t.account, "正文") })
            .await
            .unwrap()
            .id;
        store.add_comment(&caller(t.editor), t.ws, in_campaign, "@运营", &[t.op.user]).await.unwrap();
        let ds = deliveries(&store, t.ws).await;
        assert_eq!(ds.iter().map(|x| (x.channel_id, x.channel_kind)).collect::<Vec<_>>(), vec![(Some(f.id), ChannelKind::Feishu)]);
        let out = store.outgoing(t.ws, ds[0].id).await.unwrap();
        assert!(out.message.lines.contains(&"战役：星河S7 上市".to_owned()), "{:?}", out.message.lines);
        // A disabled rule sends nothing; a deleted channel takes its rules with it.
        store.update_rule(&dir, t.ws, r.id, kox_domain::notifications::RulePatch { enabled: Some(false), ..Default::default() }).await.unwrap();
        store.add_comment(&caller(t.editor), t.ws, in_campaign, "@运营", &[t.op.user]).await.unwrap();
        assert_eq!(deliveries(&store, t.ws).await.len(), 1);
        store.delete_channel(&dir, t.ws, f.id).await.unwrap();
        assert!(store.list_rules(t.ws).await.unwrap().is_empty());
    }

    async fn the_morning_round_tells_assignees_of_due_and_overdue_items_and_directors_of_everything_overdue(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let day = Utc::now().with_timezone(&shanghai()).date_naive();
        let p = caller(t.planner);
        let with = |title: &str, due: i64, assignee: Option<UserId>| ContentDraft { due_on: Some(day + Duration::days(due)), assignee_id: assignee, ..item(title, "") };
        let tomorrow = store.create_content(&p, t.ws, with("明天交", 1, Some(t.op.user))).await.unwrap().id;
        let late = store.create_content(&p, t.ws, with("晚了", -2, Some(t.op2.user))).await.unwrap().id;
        let late_nobody = store.create_content(&p, t.ws, with("没人管", -1, None)).await.unwrap().id;
        store.create_content(&p, t.ws, with("还早", 5, Some(t.op.user))).await.unwrap();
        store.create_content(&p, t.ws, with("今天", 0, Some(t.op.user))).await.unwrap();
        let cancelled = store.create_content(&p, t.ws, with("取消了", -3, Some(t.op.user))).await.unwrap().id;
        store.move_content(&p, t.ws, cancelled, Stage::Cancelled, None).await.unwrap();

        store.run_daily_digest(t.ws, day).await.unwrap();
        let due = notes_of(&store, t.ws, t.op.user, K::DueTomorrow).await;
        assert_eq!(due.iter().map(|n| n.entity_id).collect::<Vec<_>>(), vec![Some(tomorrow.0)]);
        assert_eq!((due[0].actor_id, &due[0].data["due_on"]), (None, &json!((day + Duration::days(1)).to_string())));
        assert!(notes_of(&store, t.ws, t.op.user, K::Overdue).await.is_empty());
        let overdue = notes_of(&store, t.ws, t.op2.user, K::Overdue).await;
        assert_eq!(overdue.iter().map(|n| n.entity_id).collect::<Vec<_>>(), vec![Some(late.0)]);
        assert_eq!(overdue[0].data["days"], 2);
        let digest = notes(&store, t.ws, t.director.user).await;
        assert_eq!(digest.len(), 1);
        assert_eq!((digest[0].kind, digest[0].entity_id, digest[0].data["count"].clone()), (K::OverdueDigest, None, json!(2)));
        let listed: Vec<i64> = digest[0].data["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
        assert_eq!(listed, vec![late.0, late_nobody.0]);
        for p in [t.editor, t.planner] {
            assert!(notes(&store, t.ws, p.user).await.is_empty(), "{:?}", p.role);
        }
        // The next morning is queued: tomorrow at 09:00 Shanghai time.
        let next = day + Duration::days(1);
        let morning = next.and_hms_opt(9, 0, 0).unwrap().and_local_timezone(shanghai()).unwrap().with_timezone(&Utc);
        let j: Vec<Job> = jobs(&store, t.ws).await.into_iter().filter(|j| j.kind == JobKind::DailyDigest).collect();
        assert_eq!(j.len(), 1);
        assert_eq!((j[0].idempotency_key.clone(), j[0].run_at, j[0].state), (format!("daily_digest:{next}"), morning, JobState::Queued));
        // Run twice (a retried job): the next morning is still one job.
        store.run_daily_digest(t.ws, day).await.unwrap();
        assert_eq!(jobs(&store, t.ws).await.into_iter().filter(|j| j.kind == JobKind::DailyDigest).count(), 1);
        store.schedule_mornings().await.unwrap();
        let days: Vec<String> = jobs(&store, t.ws).await.into_iter().filter(|j| j.kind == JobKind::DailyDigest).map(|j| j.idempotency_key).collect();
        assert!(days.contains(&format!("daily_digest:{next}")), "{days:?}");
    }

    async fn a_member_reads_and_marks_only_their_own_notifications(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let id = new_draft(&store, &t).await;
        for i in 0..3 {
            store.add_comment(&caller(t.editor), t.ws, id, &format!("第{i}条"), &[t.op.user]).await.unwrap();
        }
        store.add_comment(&caller(t.editor), t.ws, id, "给运营2", &[t.op2.user]).await.unwrap();
        let unread = |u: UserId| {
            let store = store.clone();
            async move { store.unread_notifications(t.ws, u).await.unwrap().unread }
        };
        assert_eq!((unread(t.op.user).await, unread(t.op2.user).await), (3, 1));
        let first = store.list_notifications(t.ws, t.op.user, false, None, None, 2).await.unwrap();
        assert_eq!((first.items.len(), first.unread), (2, 3));
        assert_eq!(first.items[0].data["comment"], "第2条", "newest first");
        let rest = store.list_notifications(t.ws, t.op.user, false, None, first.next_before, 2).await.unwrap();
        assert_eq!((rest.items.len(), rest.next_before), (1, None));
        assert_eq!(rest.items[0].data["comment"], "第0条");
        let err = store.list_notifications(t.ws, t.op.user, false, Some("nope"), None, 2).await.unwrap_err();
        assert_eq!(code(err), "notifications.unknown_kind@kind");

        let theirs = notes(&store, t.ws, t.op2.user).await[0].id;
        let me = Caller::member(t.op.user, t.op.role);
        let left = store.mark_notifications_read(&me, t.ws, t.op.user, &MarkRead { ids: vec![first.items[0].id, theirs], all: false }).await.unwrap();
        assert_eq!(left.unread, 2);
        assert_eq!(unread(t.op2.user).await, 1, "another member's id is ignored");
        let page = store.list_notifications(t.ws, t.op.user, true, None, None, 10).await.unwrap();
        assert_eq!((page.items.len(), page.unread), (2, 2));
        assert!(page.items.iter().all(|n| n.read_at.is_none()));
        assert!(notes(&store, t.ws, t.op.user).await[0].read_at.is_some());
        let err = store.mark_notifications_read(&me, t.ws, t.op.user, &MarkRead::default()).await.unwrap_err();
        assert_eq!(code(err), "validation.required@ids");
        assert_eq!(store.mark_notifications_read(&me, t.ws, t.op.user, &MarkRead { ids: vec![], all: true }).await.unwrap().unread, 0);
        assert_eq!(unread(t.op.user).await, 0);
        assert_eq!(unread(t.op2.user).await, 1);
        // Another workspace shows none of them.
        let (other, _) = workspace(&store, "别家").await;
        assert_eq!(store.unread_notifications(other, t.op2.user).await.unwrap().unread, 0);
        let none = store.mark_notifications_read(&Caller::member(t.op2.user, Role::Operator), other, t.op2.user, &MarkRead { ids: vec![], all: true }).await.unwrap();
        assert_eq!(none.unread, 0);
        assert_eq!(unread(t.op2.user).await, 1);
    }
}
