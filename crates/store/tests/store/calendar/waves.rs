//! Coordination orders and their waves on both engines: a published trigger queues the wave
//! job in its transaction; the job makes the follow-ups once (due at the real publish time
//! plus the delay, assigned to each account's owner, owners told), a second run makes none;
//! a follow-up's own publish cascades into a second wave whose parent is the first; an order
//! that would loop is refused when it is defined.

use super::*;
use chrono::Timelike;
use kox_domain::UserId;
use kox_domain::accounts::AccountStatus;
use kox_domain::calendar::FollowUpState;
use kox_domain::calendar::orders::{AccountSpec, CoordinationOrderDraft, FollowUpRule};
use kox_domain::content::ContentItem;
use kox_domain::jobs::{JobKind, JobState, LEASE};
use kox_domain::notifications::{Notification, NotificationKind};
use kox_store::content::ReviewAction;
use kox_store::jobs::{Finish, Finished};

/// An order on `campaign`: posts of `trigger` tiers start it; each group (tiers, tags, delay in
/// minutes) follows.
pub(super) fn order(
    campaign: CampaignId,
    name: &str,
    trigger: &[Tier],
    follow: &[(&[Tier], &[&str], i64)],
) -> CoordinationOrderDraft {
    CoordinationOrderDraft {
        campaign_id: campaign,
        name: name.into(),
        enabled: true,
        trigger: AccountSpec {
            tiers: trigger.to_vec(),
            ..AccountSpec::default()
        },
        follow_ups: follow
            .iter()
            .map(|(tiers, tags, delay)| FollowUpRule {
                spec: AccountSpec {
                    tiers: tiers.to_vec(),
                    platforms: vec![],
                    account_tags: tags.iter().map(|t| (*t).to_owned()).collect(),
                },
                delay_minutes: *delay,
            })
            .collect(),
        title_template: "跟发：{{trigger.title}}".into(),
        body_template: "原帖 {{trigger.url}} 来自 @{{trigger.account}}（{{campaign.name}}），@{{account.handle}} 请按时跟发".into(),
    }
}

async fn account(
    store: &Store,
    ws: WorkspaceId,
    handle: &str,
    tier: Tier,
    platform: &str,
    tags: &[&str],
    owner: UserId,
) -> AccountId {
    let mut d = draft(handle);
    d.tier = tier;
    d.platform = platform.into();
    d.tags = tags.iter().map(|t| (*t).to_owned()).collect();
    d.owner_ids = vec![owner];
    store
        .create_account(&Caller::system(), ws, d)
        .await
        .unwrap()
        .id
}

/// Takes a draft through review to 发布 and records its live post, published at `at`.
async fn publish(
    store: &Store,
    t: &Team,
    id: ContentId,
    url: &str,
    at: DateTime<Utc>,
) -> ContentItem {
    store
        .review_content(&caller(t.director), t.ws, id, ReviewAction::Submit, None)
        .await
        .unwrap();
    store
        .review_content(&caller(t.editor), t.ws, id, ReviewAction::Approve, None)
        .await
        .unwrap();
    store
        .publish_content(&caller(t.director), t.ws, id, url, Some(at), None)
        .await
        .unwrap()
}

async fn wave_notes(store: &Store, ws: WorkspaceId, user: UserId) -> Vec<Notification> {
    store
        .list_notifications(
            ws,
            user,
            false,
            Some(NotificationKind::WaveFollowUp.as_str()),
            None,
            100,
        )
        .await
        .unwrap()
        .items
}

async fn item_count(store: &Store) -> i64 {
    kox_store::testing::read_text(store, "SELECT CAST(COUNT(*) AS TEXT) FROM content_items")
        .await
        .parse()
        .unwrap()
}

/// A time a little in the past, to the second (what both engines store exactly).
fn ago(minutes: i64) -> DateTime<Utc> {
    (Utc::now() - Duration::minutes(minutes))
        .with_nanosecond(0)
        .unwrap()
}

const DOUYIN_POST: &str = "https://www.douyin.com/video/7312345678901234567";

store_tests! {
    async fn a_published_trigger_makes_its_follow_ups_once_assigned_to_the_owners_who_are_told(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let launch = campaign(&store, t.ws, "星河S7 上市协同", None).await;
        // t.account2 is the KOL (douyin, op2's); two KOC car owners, one plain KOC (t.account),
        // an archived car owner, and a KOS dealer.
        let owner_xhs = account(&store, t.ws, "chezhu_xiaoyu", Tier::Koc, "xiaohongshu", &["车主", "北京"], t.op.user).await;
        let owner_dy = account(&store, t.ws, "chezhu_laozhang", Tier::Koc, "douyin", &["车主"], t.op2.user).await;
        let dealer = account(&store, t.ws, "xinghe_4s_shanghai", Tier::Kos, "douyin", &[], t.op.user).await;
        let gone = account(&store, t.ws, "chezhu_old", Tier::Koc, "douyin", &["车主"], t.op.user).await;
        store.update_account(&Caller::system(), t.ws, gone, kox_domain::accounts::AccountPatch { version: 1, status: Some(AccountStatus::Archived), ..Default::default() }).await.unwrap();
        let o = store.save_order(&caller(t.director), t.ws, None, order(launch, "KOL 首发后 车主跟发", &[Tier::Kol], &[(&[Tier::Koc], &["车主"], 120), (&[Tier::Kos], &[], 1440)])).await.unwrap();
        assert_eq!(o.waves, 0);

        let trigger = scheduled(&store, &t, t.op2, t.account2, "星河S7 赛道首测", None, Some(launch)).await;
        let published_at = ago(10);
        publish(&store, &t, trigger, DOUYIN_POST, published_at).await;
        // The publish queued the wave job in its own transaction; nothing is made before it runs.
        let queued: Vec<_> = store.list_jobs(Some(t.ws), None, 100).await.unwrap().into_iter().filter(|j| j.kind == JobKind::Wave).collect();
        assert_eq!(queued.len(), 1);
        assert_eq!((queued[0].idempotency_key.as_str(), queued[0].state), (format!("wave:{}", trigger.0).as_str(), JobState::Queued));
        assert!(store.list_waves(t.ws, None, Some(trigger.0)).await.unwrap().items.is_empty());
        let items_before = item_count(&store).await;

        // A worker claims it and runs it, as the server's worker does.
        let claimed: Vec<_> = store.claim_jobs("w1", 10, Utc::now() + Duration::seconds(1), LEASE).await.unwrap().into_iter().filter(|c| c.kind == Some(JobKind::Wave)).collect();
        assert_eq!(claimed.len(), 1);
        assert_eq!(claimed[0].payload, json!({"item_id": trigger.0}));
        let item = claimed[0].payload["item_id"].as_i64().unwrap();
        assert_eq!(store.run_waves(claimed[0].workspace_id, item).await.unwrap(), 1);
        store.finish_jobs("w1", &[Finished { job: claimed[0].id, finish: Finish::Done, delivery: None }]).await.unwrap();

        let waves = store.list_waves(t.ws, None, Some(trigger.0)).await.unwrap().items;
        assert_eq!(waves.len(), 1);
        let w = &waves[0];
        assert_eq!((w.order_id, w.trigger_item_id, w.parent_wave_id, w.triggered_at, w.total, w.published), (o.id, trigger.0, None, published_at, 3, 0));
        assert_eq!((w.order_name.as_str(), w.trigger_title.as_str()), ("KOL 首发后 车主跟发", "星河S7 赛道首测"));
        let mut by_account: Vec<(i64, DateTime<Utc>, FollowUpState)> = w.follow_ups.iter().map(|f| (f.account_id.unwrap(), f.due_at, f.state)).collect();
        by_account.sort_by_key(|f| f.0);
        let mut want = vec![
            (owner_xhs.0, published_at + Duration::minutes(120), FollowUpState::Pending),
            (owner_dy.0, published_at + Duration::minutes(120), FollowUpState::Pending),
            (dealer.0, published_at + Duration::minutes(1440), FollowUpState::Pending),
        ];
        want.sort_by_key(|f| f.0);
        assert_eq!(by_account, want, "car owners in 2 h, the dealer in a day; no plain KOC, no archived account, not the trigger");
        assert_eq!(item_count(&store).await, items_before + 3);
        for f in &w.follow_ups {
            let it = store.get_content(t.ws, ContentId(f.item_id)).await.unwrap();
            let owner = if it.account_id == Some(owner_dy) { t.op2.user } else { t.op.user };
            assert_eq!((it.stage, it.assignee_id, it.planned_at, it.campaign_id), (Stage::Draft, Some(owner), Some(f.due_at), Some(launch)));
            assert_eq!(it.title, "跟发：星河S7 赛道首测");
            let handle = f.handle.clone().unwrap();
            assert_eq!(it.body, format!("原帖 {DOUYIN_POST} 来自 @xinghe_dy（星河S7 上市协同），@{handle} 请按时跟发"));
            assert_eq!(it.tags, vec!["协同跟发".to_owned()]);
        }
        // Each owner is told of each follow-up on their accounts.
        let mine = wave_notes(&store, t.ws, t.op.user).await;
        let theirs = wave_notes(&store, t.ws, t.op2.user).await;
        assert_eq!((mine.len(), theirs.len()), (2, 1));
        let of = |n: &[Notification]| sorted(n.iter().map(|n| n.entity_id.unwrap()).collect());
        let follow_of = |a: AccountId| w.follow_ups.iter().find(|f| f.account_id == Some(a.0)).unwrap().item_id;
        assert_eq!(of(&mine), sorted(vec![follow_of(owner_xhs), follow_of(dealer)]));
        assert_eq!(of(&theirs), vec![follow_of(owner_dy)]);
        assert_eq!(theirs[0].data["trigger_url"], DOUYIN_POST);
        assert!(wave_notes(&store, t.ws, t.director.user).await.is_empty());
        // The calendar shows them as follow-ups of the wave.
        let view = store.calendar(&caller(t.director), t.ws, published_at, published_at + Duration::days(2), &CalendarFilter::default()).await.unwrap();
        for f in &w.follow_ups {
            assert_eq!(view.items.iter().find(|i| i.id == f.item_id).unwrap().wave_id, Some(w.id));
        }

        // Run again (a retried job, a second server): nothing more.
        assert_eq!(store.run_waves(t.ws, trigger.0).await.unwrap(), 0);
        assert_eq!(item_count(&store).await, items_before + 3);
        assert_eq!(store.list_waves(t.ws, None, Some(trigger.0)).await.unwrap().items.len(), 1);
        assert_eq!(wave_notes(&store, t.ws, t.op.user).await.len(), 2);
        assert_eq!(store.list_orders(t.ws, Some(launch.0)).await.unwrap()[0].waves, 1);
        // An item of another campaign, or published without a matching order, starts nothing.
        let elsewhere = scheduled(&store, &t, t.op2, t.account2, "日常口碑", None, Some(t.campaign)).await;
        publish(&store, &t, elsewhere, "https://www.douyin.com/video/7312345678901234999", ago(5)).await;
        assert_eq!(store.run_waves(t.ws, elsewhere.0).await.unwrap(), 0);
        assert!(store.list_jobs(Some(t.ws), None, 100).await.unwrap().iter().all(|j| j.idempotency_key != format!("wave:{}", elsewhere.0)), "no order on that campaign, no job");
    }

    async fn a_follow_up_cascades_into_a_second_wave_and_orders_that_would_loop_are_refused(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let launch = campaign(&store, t.ws, "星河S7 上市协同", None).await;
        let owner_xhs = account(&store, t.ws, "chezhu_xiaoyu", Tier::Koc, "xiaohongshu", &["车主"], t.op.user).await;
        let dealer = account(&store, t.ws, "xinghe_4s_shanghai", Tier::Kos, "douyin", &[], t.op2.user).await;
        let first = store.save_order(&caller(t.director), t.ws, None, order(launch, "KOL → 车主", &[Tier::Kol], &[(&[Tier::Koc], &["车主"], 120)])).await.unwrap();
        let second = store.save_order(&caller(t.director), t.ws, None, order(launch, "车主 → 经销商", &[Tier::Koc], &[(&[Tier::Kos], &[], 1440)])).await.unwrap();

        let trigger = scheduled(&store, &t, t.op2, t.account2, "星河S7 赛道首测", None, Some(launch)).await;
        publish(&store, &t, trigger, DOUYIN_POST, ago(30)).await;
        assert_eq!(store.run_waves(t.ws, trigger.0).await.unwrap(), 1, "only the KOL order fires on a KOL post");
        let w1 = store.list_waves(t.ws, None, Some(trigger.0)).await.unwrap().items.remove(0);
        assert_eq!((w1.order_id, w1.total), (first.id, 1));
        assert_eq!(w1.follow_ups[0].account_id, Some(owner_xhs.0));

        // The car owner's follow-up goes out: its own publish queues and starts the next wave.
        let follow = ContentId(w1.follow_ups[0].item_id);
        let at = ago(5);
        publish(&store, &t, follow, "https://www.xiaohongshu.com/explore/6650a1b2c3d4e5f6a7b8c9d0", at).await;
        assert!(store.list_jobs(Some(t.ws), None, 100).await.unwrap().iter().any(|j| j.idempotency_key == format!("wave:{}", follow.0)));
        assert_eq!(store.run_waves(t.ws, follow.0).await.unwrap(), 1);
        let w2 = store.list_waves(t.ws, None, Some(follow.0)).await.unwrap().items.remove(0);
        assert_eq!((w2.order_id, w2.parent_wave_id, w2.total), (second.id, Some(w1.id), 1));
        assert_eq!((w2.follow_ups[0].account_id, w2.follow_ups[0].due_at), (Some(dealer.0), at + Duration::minutes(1440)));
        assert_eq!(store.get_content(t.ws, ContentId(w2.follow_ups[0].item_id)).await.unwrap().assignee_id, Some(t.op2.user));
        // The first wave counts its follow-up as out on time.
        let w1 = store.list_waves(t.ws, Some(first.id), None).await.unwrap().items.remove(0);
        assert_eq!((w1.published, w1.on_time, w1.late, w1.follow_ups[0].state), (1, 1, 0, FollowUpState::OnTime));
        assert_eq!(store.run_waves(t.ws, follow.0).await.unwrap(), 0, "once");

        // Orders that would trigger each other in a loop are refused, and nothing is written.
        let trail = events(&store, t.ws).await;
        let looping = order(launch, "经销商 → KOL", &[Tier::Kos], &[(&[Tier::Kol], &[], 60)]);
        let err = store.save_order(&caller(t.director), t.ws, None, looping.clone()).await.unwrap_err();
        assert_eq!(code(err), "calendar.order_cycle@follow_ups");
        let err = store.save_order(&caller(t.director), t.ws, None, order(launch, "车主互转", &[Tier::Koc], &[(&[Tier::Koc], &["车主"], 30)])).await.unwrap_err();
        assert_eq!(code(err), "calendar.order_cycle@follow_ups", "an order that triggers itself");
        let back = order(launch, "车主 → 经销商", &[Tier::Koc], &[(&[Tier::Kol], &[], 60)]);
        let err = store.save_order(&caller(t.director), t.ws, Some(second.id), back).await.unwrap_err();
        assert_eq!(code(err), "calendar.order_cycle@follow_ups", "an edit that closes the loop");
        let orders = store.list_orders(t.ws, Some(launch.0)).await.unwrap();
        assert_eq!(orders.iter().map(|o| o.id).collect::<Vec<_>>(), vec![first.id, second.id]);
        assert_eq!(orders[1].follow_ups[0].spec.tiers, vec![Tier::Kos], "unchanged");
        assert_eq!(events(&store, t.ws).await, trail);
        // Off, the same order closes no loop; turning it on is refused.
        let mut off = looping;
        off.enabled = false;
        let saved = store.save_order(&caller(t.director), t.ws, None, off.clone()).await.unwrap();
        off.enabled = true;
        let err = store.save_order(&caller(t.director), t.ws, Some(saved.id), off).await.unwrap_err();
        assert_eq!(code(err), "calendar.order_cycle@follow_ups");
        assert!(!store.list_orders(t.ws, None).await.unwrap().iter().find(|o| o.id == saved.id).unwrap().enabled);
    }

    async fn a_template_with_an_unknown_placeholder_is_refused_and_nothing_is_written(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let launch = campaign(&store, t.ws, "星河S7 上市协同", None).await;
        let trail = events(&store, t.ws).await;
        for (title, body, field) in [
            ("跟发：{{trigger.titel}}", "", "title_template"),
            ("跟发：{{trigger.title}}", "联系电话 {{account.phone}}", "body_template"),
            ("跟发：{{trigger.title}}", "原帖 {{trigger.url", "body_template"),
        ] {
            let mut o = order(launch, "KOL 首发后 车主跟发", &[Tier::Kol], &[(&[Tier::Koc], &["车主"], 120)]);
            o.title_template = title.into();
            o.body_template = body.into();
            let err = store.save_order(&caller(t.director), t.ws, None, o).await.unwrap_err();
            assert_eq!(code(err), format!("calendar.unknown_placeholder@{field}"), "{title} {body}");
        }
        assert!(store.list_orders(t.ws, None).await.unwrap().is_empty());
        assert_eq!(events(&store, t.ws).await, trail);
    }

    async fn a_follow_up_delay_that_is_negative_or_over_thirty_days_is_refused_and_nothing_is_written(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let launch = campaign(&store, t.ws, "星河S7 上市协同", None).await;
        let trail = events(&store, t.ws).await;
        for (delays, field) in [(vec![-1], "follow_ups.0.delay_minutes"), (vec![120, 43_201], "follow_ups.1.delay_minutes"), (vec![i64::MIN], "follow_ups.0.delay_minutes")] {
            let groups: Vec<(&[Tier], &[&str], i64)> = delays.iter().map(|d| (&[Tier::Koc][..], &[][..], *d)).collect();
            let err = store.save_order(&caller(t.director), t.ws, None, order(launch, "KOL 首发后跟发", &[Tier::Kol], &groups)).await.unwrap_err();
            assert_eq!(code(err), format!("calendar.delay_out_of_range@{field}"), "{delays:?}");
        }
        assert!(store.list_orders(t.ws, None).await.unwrap().is_empty());
        assert_eq!(events(&store, t.ws).await, trail);
        // The bounds themselves are fine: at once, and thirty days.
        let ok = store.save_order(&caller(t.director), t.ws, None, order(launch, "KOL 首发后跟发", &[Tier::Kol], &[(&[Tier::Koc], &[], 0), (&[Tier::Kos], &[], 43_200)])).await.unwrap();
        assert_eq!(ok.follow_ups.iter().map(|f| f.delay_minutes).collect::<Vec<_>>(), vec![0, 43_200]);
    }
}
