//! The SOP board in the store: the workflow end to end, approvals as records, moves with
//! fractional positions, concurrency, the board view, the first-pass rate, red lines, and
//! change notifications (also across two stores on one PostgreSQL database).

// Short names (t for the team, d for a draft, b for a board) keep the case bodies readable.
#![allow(clippy::many_single_char_names)]

use super::*;
use kox_domain::campaigns::{CampaignDraft, Hashtag};
use kox_domain::content::{ContentDraft, ContentPatch, Decision, ReviewState, Stage};
use kox_domain::content_settings::{
    ApprovalMode, ApprovalSettings, ApprovalStep, ContentSettings, StepRule,
};
use kox_domain::red_lines::{RedLineDraft, RedLinePatch, Severity};
use kox_domain::{AccountId, CampaignId, ContentId};
use kox_store::content::{BoardFilter, FirstPassBy, ReviewAction};

/// A member of the test team: the caller of their board actions.
#[derive(Clone, Copy)]
pub(super) struct Person {
    pub(super) user: kox_domain::UserId,
    pub(super) role: Role,
}

pub(super) struct Team {
    pub(super) ws: WorkspaceId,
    pub(super) director: Person,
    pub(super) editor: Person,
    pub(super) editor2: Person,
    pub(super) planner: Person,
    pub(super) op: Person,
    pub(super) op2: Person,
    pub(super) analyst: Person,
    pub(super) account: AccountId,
    pub(super) account2: AccountId,
    pub(super) campaign: CampaignId,
}

pub(super) fn caller(w: Person) -> Caller {
    Caller::member(w.user, w.role)
}

pub(super) async fn team(store: &Store) -> Team {
    let (ws, op) = workspace(store, "星河汽车").await;
    let who = |role: Role, n: u32| {
        let store = store.clone();
        async move {
            let m = store
                .add_member(
                    &Caller::system(),
                    ws,
                    NewMember {
                        email: &format!("{}{n}@{}.cn", role.as_str(), ws.0),
                        name: &format!("{}{n}", role.as_str()),
                        role,
                        group: Group::ContentHub,
                        password_hash: Some("x".into()),
                    },
                )
                .await
                .unwrap();
            Person {
                user: m.user_id,
                role,
            }
        }
    };
    let director = who(Role::Director, 1).await;
    let editor = who(Role::Editor, 1).await;
    let editor2 = who(Role::Editor, 2).await;
    let planner = who(Role::Planner, 1).await;
    let op2 = who(Role::Operator, 2).await;
    let analyst = who(Role::Analyst, 1).await;
    let op = Person {
        user: op,
        role: Role::Operator,
    };
    let mut d = draft("xinghe_lily");
    d.platform = "xiaohongshu".into();
    d.tier = Tier::Koc;
    d.owner_ids = vec![op.user];
    let account = store
        .create_account(&Caller::system(), ws, d)
        .await
        .unwrap()
        .id;
    let mut d = draft("xinghe_dy");
    d.owner_ids = vec![op2.user];
    let account2 = store
        .create_account(&Caller::system(), ws, d)
        .await
        .unwrap()
        .id;
    let campaign = store
        .create_campaign(
            &Caller::system(),
            ws,
            CampaignDraft {
                name: "星河S7 上市".into(),
                theme: String::new(),
                starts_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
                ends_on: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
                budget_fen: kox_domain::campaigns::Fen(0),
                budget_by_tier: std::collections::BTreeMap::default(),
                currency: "CNY".into(),
                required_hashtags: vec![Hashtag::parse("t", "星河S7").unwrap()],
                embargo_at: None,
                target_kpis: String::new(),
                status: kox_domain::campaigns::CampaignStatus::default(),
                custom: serde_json::Map::default(),
            },
        )
        .await
        .unwrap()
        .id;
    Team {
        ws,
        director,
        editor,
        editor2,
        planner,
        op,
        op2,
        analyst,
        account,
        account2,
        campaign,
    }
}

pub(super) fn item(title: &str, body: &str) -> ContentDraft {
    serde_json::from_value(serde_json::json!({"title": title, "body": body})).unwrap()
}

pub(super) fn draft_for(account: AccountId, body: &str) -> ContentDraft {
    ContentDraft {
        stage: Stage::Draft,
        account_id: Some(account),
        media: vec!["封面.jpg".into()],
        ..item("星河S7 一周体验", body)
    }
}

async fn new_draft(store: &Store, t: &Team, body: &str) -> ContentId {
    store
        .create_content(&caller(t.op), t.ws, draft_for(t.account, body))
        .await
        .unwrap()
        .id
}

async fn review(
    store: &Store,
    t: &Team,
    w: Person,
    id: ContentId,
    a: ReviewAction,
    reason: Option<&str>,
) -> Result<kox_domain::content::ContentItem, StoreError> {
    store.review_content(&caller(w), t.ws, id, a, reason).await
}

fn code(e: StoreError) -> String {
    match e {
        StoreError::Invalid(f) => format!("{}@{}", f.code, f.field),
        StoreError::Conflict { code, field, .. } => format!("{code}@{field}"),
        StoreError::Stale(f) => format!("stale@{}", f.join(",")),
        other => other.to_string(),
    }
}

store_tests! {
    async fn a_topic_becomes_drafts_that_go_through_review_publishing_and_retro(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let topic = store
            .create_content(&caller(t.planner), t.ws, ContentDraft { campaign_id: Some(t.campaign), ..item("电池针刺实验", "三项实验讲清楚电池安全") })
            .await
            .unwrap();
        assert_eq!(topic.stage, Stage::Topic);
        assert_eq!(topic.checks.missing_hashtags, vec![Hashtag::parse("t", "星河S7").unwrap()]);
        // An operator drafts for their own account only, and hears whose account it is.
        let refused = store.create_drafts_from_topic(&caller(t.op), t.ws, topic.id, &[t.account2]).await;
        assert!(matches!(&refused, Err(StoreError::Refused { code: "content.not_account_owner", params, .. }) if params.contains_key("handle")), "{refused:?}");
        let drafts = store.create_drafts_from_topic(&caller(t.op), t.ws, topic.id, &[t.account]).await.unwrap();
        let d = &drafts[0];
        assert_eq!((d.stage, d.topic_id, d.campaign_id, d.account_id), (Stage::Draft, Some(topic.id), Some(t.campaign), Some(t.account)));
        let id = d.id;

        let submitted = review(&store, &t, t.op, id, ReviewAction::Submit, None).await.unwrap();
        assert_eq!((submitted.stage, submitted.review_state, submitted.review_round), (Stage::Review, ReviewState::Pending, 1));
        assert_eq!(code(review(&store, &t, t.editor, id, ReviewAction::Reject, Some(" ")).await.unwrap_err()), "content.reason_required@reason");
        let rejected = review(&store, &t, t.editor, id, ReviewAction::Reject, Some("补充实拍图")).await.unwrap();
        assert_eq!((rejected.stage, rejected.review_state), (Stage::Draft, ReviewState::Rejected));

        review(&store, &t, t.op, id, ReviewAction::Submit, None).await.unwrap();
        let approved = review(&store, &t, t.editor, id, ReviewAction::Approve, None).await.unwrap();
        assert_eq!((approved.stage, approved.review_state, approved.review_round), (Stage::Publish, ReviewState::Approved, 2));

        let pack = store.publish_pack(t.ws, id).await.unwrap();
        assert_eq!(pack.platform, "xiaohongshu");
        assert!(pack.copy_text.starts_with("电池针刺实验\n\n三项实验讲清楚电池安全"));
        assert_eq!(pack.hashtag_text, "");

        let wrong = store.publish_content(&caller(t.op), t.ws, id, "https://www.douyin.com/video/7312345678901234567", None, None).await;
        assert_eq!(code(wrong.unwrap_err()), "content.post_url_platform@post_url");
        assert_eq!(store.get_content(t.ws, id).await.unwrap().stage, Stage::Publish);
        let published = store
            .publish_content(&caller(t.op), t.ws, id, "https://www.xiaohongshu.com/explore/6650a1b2c3d4e5f6a7b8c9d0", None, None)
            .await
            .unwrap();
        assert_eq!(published.stage, Stage::Retro);
        assert!(published.published_at.is_some());
        assert_eq!(published.platform_post_id.as_deref(), Some("6650a1b2c3d4e5f6a7b8c9d0"));

        assert_eq!(code(store.retro_content(&caller(t.op), t.ws, id, "  ", true).await.unwrap_err()), "validation.required@note");
        let closed = store.retro_content(&caller(t.op), t.ws, id, "封面用实拍图效果更好", true).await.unwrap();
        assert!(closed.closed_at.is_some());
        assert_eq!(closed.reuse_topic, Some(true));
        // The board's card (written as JSON by the database) agrees with the item.
        let b = store.board(t.ws, &BoardFilter { limit: 10, ..Default::default() }, Utc::now().date_naive(), Utc::now()).await.unwrap();
        let card = b.columns[4].items.to_vec().unwrap().into_iter().find(|c| c.id == id.0).unwrap();
        assert_eq!((card.published_at, card.closed, card.overdue, card.tier), (published.published_at, true, false, Some(Tier::Koc)));
        assert_eq!((card.account_handle.as_deref(), card.campaign_id, card.position), (Some("xinghe_lily"), Some(t.campaign.0), closed.position));

        let path: Vec<(Option<Stage>, Stage)> = store.list_transitions(t.ws, id).await.unwrap().into_iter().map(|x| (x.from, x.to)).collect();
        assert_eq!(path, vec![(None, Stage::Draft), (Some(Stage::Draft), Stage::Review), (Some(Stage::Review), Stage::Draft), (Some(Stage::Draft), Stage::Review), (Some(Stage::Review), Stage::Publish), (Some(Stage::Publish), Stage::Retro)]);
        let records = store.list_reviews(t.ws, id).await.unwrap();
        let decisions: Vec<(i64, Decision, Option<&str>)> = records.iter().map(|r| (r.round, r.decision, r.reason.as_deref())).collect();
        assert_eq!(decisions, vec![(1, Decision::Rejected, Some("补充实拍图")), (2, Decision::Approved, None)]);
        assert_eq!(records[0].approver_id, Some(t.editor.user.0));
        assert_eq!(records[0].requester_id, Some(t.op.user.0));
        let actions = events(&store, t.ws).await;
        for a in ["content.created", "content.submitted", "content.rejected", "content.approved", "content.published", "content.retro"] {
            assert!(actions.contains(&a.to_owned()), "{a} missing from {actions:?}");
        }
    }

    async fn nobody_approves_their_own_item_and_red_lines_block_until_a_director_overrides(store: Store, _engine: Engine) {
        let t = team(&store).await;
        // An editor's own draft (assigned to them) cannot be approved by them.
        let own = store
            .create_content(&caller(t.editor), t.ws, ContentDraft { assignee_id: Some(t.editor.user), ..draft_for(t.account, "日常分享") })
            .await
            .unwrap()
            .id;
        review(&store, &t, t.editor, own, ReviewAction::Submit, None).await.unwrap();
        assert_eq!(code(review(&store, &t, t.editor, own, ReviewAction::Approve, None).await.unwrap_err()), "content.self_approval@action");
        review(&store, &t, t.editor2, own, ReviewAction::Approve, None).await.unwrap();

        let id = new_draft(&store, &t, "续航全网最强，国家级认证").await;
        let item = store.get_content(t.ws, id).await.unwrap();
        assert!(item.checks.blocking);
        let phrases: Vec<&str> = item.checks.red_lines.iter().map(|h| h.phrase.as_str()).collect();
        assert_eq!(phrases, vec!["最", "国家级"]);
        review(&store, &t, t.op, id, ReviewAction::Submit, None).await.unwrap();
        assert_eq!(code(review(&store, &t, t.editor, id, ReviewAction::Approve, None).await.unwrap_err()), "content.red_line_block@body");
        assert!(matches!(review(&store, &t, t.editor, id, ReviewAction::Override, Some("法务已确认")).await, Err(StoreError::Forbidden)));
        assert!(matches!(review(&store, &t, t.op, id, ReviewAction::Approve, None).await, Err(StoreError::Forbidden)));
        assert_eq!(code(review(&store, &t, t.director, id, ReviewAction::Override, None).await.unwrap_err()), "content.reason_required@reason");
        let done = review(&store, &t, t.director, id, ReviewAction::Override, Some("国家级认证有证书，法务已确认")).await.unwrap();
        assert_eq!((done.stage, done.override_reason.as_deref()), (Stage::Publish, Some("国家级认证有证书，法务已确认")));
        let records = store.list_reviews(t.ws, id).await.unwrap();
        let last = records.last().unwrap();
        assert_eq!(last.decision, Decision::Overridden);
        // The decision keeps the hits it passed, as they were then.
        let passed: Vec<(&str, Severity)> = last.red_line_hits.iter().map(|h| (h.phrase.as_str(), h.severity)).collect();
        assert_eq!(passed, vec![("最", Severity::Block), ("国家级", Severity::Block)]);
        let plain = store.list_reviews(t.ws, own).await.unwrap();
        assert_eq!((plain.last().unwrap().decision, plain.last().unwrap().red_line_hits.len()), (Decision::Approved, 0));
        assert!(records.iter().filter(|r| r.decision != Decision::Overridden).all(|r| r.red_line_hits.is_empty()));
        // The audit log says the same.
        let log = store.list_events(t.ws, &EventQuery { limit: 1, ..Default::default() }).await.unwrap();
        assert_eq!(log[0].after.as_ref().unwrap()["red_line_hits"][0]["phrase"], "最", "{:?}", log[0]);
    }

    async fn illegal_and_unauthorised_moves_change_nothing(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let topic = store.create_content(&caller(t.planner), t.ws, item("选题", "")).await.unwrap();
        let before = events(&store, t.ws).await.len();
        let mv = |w: Person, id: ContentId, to: Stage| {
            let store = store.clone();
            let ws = t.ws;
            async move { store.move_content(&caller(w), ws, id, to, None).await }
        };
        assert_eq!(code(mv(t.planner, topic.id, Stage::Publish).await.unwrap_err()), "content.invalid_transition@stage");
        assert_eq!(code(mv(t.planner, topic.id, Stage::Draft).await.unwrap_err()), "content.account_required@account_id");
        assert!(matches!(mv(t.analyst, topic.id, Stage::Cancelled).await, Err(StoreError::Forbidden)));
        let d = new_draft(&store, &t, "正文").await;
        assert!(matches!(mv(t.op2, d, Stage::Topic).await, Err(StoreError::Refused { code: "content.not_account_owner", .. })));
        assert_eq!(code(mv(t.op, d, Stage::Publish).await.unwrap_err()), "content.invalid_transition@stage");
        assert_eq!(code(mv(t.op, d, Stage::Retro).await.unwrap_err()), "content.invalid_transition@stage");
        // Another workspace's item is not found.
        let (other, _) = workspace(&store, "别家").await;
        assert!(matches!(store.move_content(&caller(t.op), other, d, Stage::Topic, None).await, Err(StoreError::NotFound)));
        assert_eq!(store.get_content(t.ws, d).await.unwrap().stage, Stage::Draft);
        assert_eq!(events(&store, t.ws).await.len(), before + 1, "only the draft's creation was written");
        // A move to 审核 is a submission.
        let r = mv(t.op, d, Stage::Review).await.unwrap();
        assert_eq!((r.stage, r.review_state), (Stage::Review, ReviewState::Pending));
        let w = mv(t.op, d, Stage::Draft).await.unwrap();
        assert_eq!((w.stage, w.review_state), (Stage::Draft, ReviewState::None));
        assert_eq!(store.list_reviews(t.ws, d).await.unwrap()[0].decision, Decision::Withdrawn);
    }

    async fn moves_place_a_card_between_its_neighbours_and_renumber_when_the_gap_runs_out(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let mut ids = Vec::new();
        for i in 0..3 {
            ids.push(store.create_content(&caller(t.planner), t.ws, item(&format!("选题{i}"), "")).await.unwrap().id);
        }
        let order = |store: Store, ws| async move {
            let b = store.board(ws, &BoardFilter { limit: 100, ..Default::default() }, Utc::now().date_naive(), Utc::now()).await.unwrap();
            b.columns[0].items.to_vec().unwrap().iter().map(|c| c.id).collect::<Vec<i64>>()
        };
        assert_eq!(order(store.clone(), t.ws).await, vec![ids[0].0, ids[1].0, ids[2].0]);
        // Put the last card after the first, then keep inserting right after the first card
        // until halving runs out of room: the column is renumbered and the order holds.
        store.move_content(&caller(t.planner), t.ws, ids[2], Stage::Topic, Some(ids[0])).await.unwrap();
        assert_eq!(order(store.clone(), t.ws).await, vec![ids[0].0, ids[2].0, ids[1].0]);
        let (a, b) = (ids[1], ids[2]);
        for k in 0..70 {
            let (mover, anchor) = if k % 2 == 0 { (a, ids[0]) } else { (b, ids[0]) };
            store.move_content(&caller(t.planner), t.ws, mover, Stage::Topic, Some(anchor)).await.unwrap();
        }
        assert_eq!(order(store.clone(), t.ws).await, vec![ids[0].0, b.0, a.0]);
        // A neighbour in another column is refused.
        let d = new_draft(&store, &t, "正文").await;
        let err = store.move_content(&caller(t.planner), t.ws, ids[1], Stage::Topic, Some(d)).await.unwrap_err();
        assert_eq!(code(err), "content.neighbour_moved@after_id");
        // Top of a column.
        store.move_content(&caller(t.planner), t.ws, ids[1], Stage::Topic, None).await.unwrap();
        assert_eq!(order(store.clone(), t.ws).await[0], ids[1].0);
    }

    async fn a_card_placed_at_the_end_of_a_column_goes_after_every_card_and_never_shares_a_place(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let (ws, p) = (t.ws, caller(t.planner));
        let topic = |title: String| {
            let (store, p) = (store.clone(), p.clone());
            async move { store.create_content(&p, ws, item(&title, "")).await.unwrap().id }
        };
        let column = |store: Store, i: usize| async move {
            let b = store.board(ws, &BoardFilter { limit: 1000, cancelled: true, ..Default::default() }, Utc::now().date_naive(), Utc::now()).await.unwrap();
            b.columns[i].items.to_vec().unwrap().iter().map(|c| (c.id, c.position)).collect::<Vec<(i64, f64)>>()
        };
        let ids = |cards: &[(i64, f64)]| cards.iter().map(|c| c.0).collect::<Vec<i64>>();
        let mut order = Vec::new();
        for i in 0..3 {
            order.push(topic(format!("选题{i}")).await.0);
        }
        // Cards an older KOX placed, before the column kept its end: a new card still goes last.
        kox_store::testing::execute(&store, "DELETE FROM board_columns").await;
        let late = topic("晚到的选题".into()).await;
        order.push(late.0);
        assert_eq!(ids(&column(store.clone(), 0).await), order);
        // A card moved to the bottom, then a new one: the new one goes after it.
        store.move_content(&p, ws, ContentId(order[0]), Stage::Topic, Some(late)).await.unwrap();
        let next = topic("下一个选题".into()).await;
        order.rotate_left(1);
        order.push(next.0);
        assert_eq!(ids(&column(store.clone(), 0).await), order);
        // Creates and moves at once: every new card joins the end (behind `next`, where the
        // moves put cards meanwhile), in the order the creates committed, and no two cards of a
        // column share a place.
        let tasks: Vec<_> = (0..24)
            .map(|i| {
                let (store, p, moved) = (store.clone(), p.clone(), ContentId(order[i % 3]));
                tokio::spawn(async move {
                    match i % 4 {
                        0 | 1 => Some(store.create_content(&p, ws, item(&format!("并发选题{i}"), "")).await.unwrap().id.0),
                        2 => {
                            store.move_content(&p, ws, moved, Stage::Cancelled, None).await.unwrap();
                            None
                        }
                        _ => {
                            store.move_content(&p, ws, moved, Stage::Topic, Some(next)).await.unwrap();
                            None
                        }
                    }
                })
            })
            .collect();
        let mut created = Vec::new();
        for task in tasks {
            created.extend(task.await.unwrap());
        }
        created.sort_unstable();
        for i in [0, 5] {
            let cards = column(store.clone(), i).await;
            assert!(cards.windows(2).all(|w| w[0].1 < w[1].1), "column {i}: {cards:?}");
        }
        let cards = ids(&column(store.clone(), 0).await);
        let after_next = &cards[cards.iter().position(|c| *c == next.0).unwrap() + 1..];
        let mut new_ones: Vec<i64> = after_next.iter().copied().filter(|c| created.contains(c)).collect();
        new_ones.sort_unstable();
        assert_eq!(new_ones, created);
        // After a renumbered column, too, a new card goes last.
        let (a, b) = (topic("甲".into()).await, topic("乙".into()).await);
        for k in 0..70 {
            store.move_content(&p, ws, if k % 2 == 0 { a } else { b }, Stage::Topic, Some(next)).await.unwrap();
        }
        let last = topic("最后的选题".into()).await;
        let cards = column(store.clone(), 0).await;
        assert_eq!(cards.last().unwrap().0, last.0);
        assert!(cards.windows(2).all(|w| w[0].1 < w[1].1), "{cards:?}");
    }

    async fn concurrent_edits_conflict_only_on_fields_changed_meanwhile_and_content_freezes_in_review(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let id = new_draft(&store, &t, "初稿");
        let id = id.await;
        let patch = |v: serde_json::Value| serde_json::from_value::<ContentPatch>(v).unwrap();
        store.update_content(&caller(t.op), t.ws, id, patch(serde_json::json!({"version": 1, "title": "新标题"}))).await.unwrap();
        // Based on version 1 but touching the body only: fine.
        store.update_content(&caller(t.director), t.ws, id, patch(serde_json::json!({"version": 1, "body": "二稿"}))).await.unwrap();
        let stale = store.update_content(&caller(t.director), t.ws, id, patch(serde_json::json!({"version": 1, "title": "另一个", "due_on": "2026-12-01"}))).await;
        assert_eq!(code(stale.unwrap_err()), "stale@title");
        let item = store.get_content(t.ws, id).await.unwrap();
        assert_eq!((item.title.as_str(), item.body.as_str(), item.due_on), ("新标题", "二稿", None));
        assert!(matches!(
            store.update_content(&caller(t.op2), t.ws, id, patch(serde_json::json!({"version": 3, "body": "x"}))).await,
            Err(StoreError::Refused { code: "content.not_account_owner", .. })
        ));
        review(&store, &t, t.op, id, ReviewAction::Submit, None).await.unwrap();
        let v = store.get_content(t.ws, id).await.unwrap().version;
        let locked = store.update_content(&caller(t.director), t.ws, id, patch(serde_json::json!({"version": v, "body": "偷偷改"}))).await;
        assert_eq!(code(locked.unwrap_err()), "content.locked@body");
        let ok = store.update_content(&caller(t.director), t.ws, id, patch(serde_json::json!({"version": v, "due_on": "2026-12-01"}))).await.unwrap();
        assert_eq!(ok.due_on, chrono::NaiveDate::from_ymd_opt(2026, 12, 1));
    }

    async fn the_board_filters_counts_and_pages_each_column(store: Store, _engine: Engine) {
        let t = team(&store).await;
        for i in 0..5 {
            store.create_content(&caller(t.planner), t.ws, ContentDraft { tags: vec!["上市".into()], ..item(&format!("选题{i}"), "") }).await.unwrap();
        }
        let d = store
            .create_content(&caller(t.op), t.ws, ContentDraft { campaign_id: Some(t.campaign), due_on: chrono::NaiveDate::from_ymd_opt(2020, 1, 1), ..draft_for(t.account, "最好的车") })
            .await
            .unwrap();
        store.create_content(&caller(t.op2), t.ws, draft_for(t.account2, "正文")).await.unwrap();
        let (other, _) = workspace(&store, "别家").await;
        let today = Utc::now().date_naive();
        let board = |f: BoardFilter| {
            let store = store.clone();
            let ws = t.ws;
            async move { store.board(ws, &f, today, Utc::now()).await.unwrap() }
        };
        let all = board(BoardFilter { limit: 2, ..Default::default() }).await;
        let names: Vec<&str> = all.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["选题", "稿件", "审核", "发布", "复盘"]);
        assert_eq!((all.columns[0].total, all.columns[0].items.to_vec().unwrap().len()), (5, 2));
        assert_eq!(all.columns[1].total, 2);
        let page = board(BoardFilter { limit: 2, offset: 4, stage: Some(Stage::Topic), ..Default::default() }).await;
        assert_eq!((page.columns.len(), page.columns[0].items.to_vec().unwrap().len(), page.columns[0].total), (1, 1, 5));
        let past = board(BoardFilter { limit: 2, offset: 10, stage: Some(Stage::Topic), ..Default::default() }).await;
        assert_eq!((past.columns[0].items.to_vec().unwrap().len(), past.columns[0].total), (0, 5));
        let kol = board(BoardFilter { limit: 50, tier: Some(Tier::Kol), ..Default::default() }).await;
        assert_eq!(kol.columns.iter().map(|c| c.total).sum::<i64>(), 1, "only the douyin KOL draft");
        let mine = board(BoardFilter { limit: 50, mine: Some(t.op.user), ..Default::default() }).await;
        let cards = mine.columns[1].items.to_vec().unwrap();
        let card = &cards[0];
        assert_eq!(mine.columns.iter().map(|c| c.total).sum::<i64>(), 1);
        assert_eq!((card.id, card.platform.as_deref(), card.tier, card.overdue), (d.id.0, Some("xiaohongshu"), Some(Tier::Koc), true));
        assert_eq!(card.red_line_hits, 1);
        assert!(card.warnings >= 1, "the campaign hashtag is missing");
        let overdue = board(BoardFilter { limit: 50, overdue: true, ..Default::default() }).await;
        assert_eq!(overdue.columns.iter().map(|c| c.total).sum::<i64>(), 1);
        let tagged = board(BoardFilter { limit: 50, tag: Some("上市".into()), ..Default::default() }).await;
        assert_eq!(tagged.columns[0].total, 5);
        let camp = board(BoardFilter { limit: 50, campaign: Some(t.campaign), ..Default::default() }).await;
        assert_eq!(camp.columns[1].items.to_vec().unwrap()[0].id, d.id.0);
        let q = board(BoardFilter { limit: 50, q: Some("选题3".into()), ..Default::default() }).await;
        assert_eq!(q.columns[0].total, 1);
        let elsewhere = store.board(other, &BoardFilter { limit: 50, ..Default::default() }, today, Utc::now()).await.unwrap();
        assert!(elsewhere.columns.iter().all(|c| c.total == 0));
        // Renamed columns and WIP limits come from the settings.
        let mut s = ContentSettings::default();
        s.stage_names.insert(Stage::Review, "三审".into());
        s.wip_limits.insert(Stage::Draft, 1);
        store.update_content_settings(&caller(t.director), t.ws, s).await.unwrap();
        let b = board(BoardFilter { limit: 50, ..Default::default() }).await;
        assert_eq!((b.columns[2].name.as_str(), b.columns[1].wip_limit), ("三审", Some(1)));
    }

    async fn multi_level_review_needs_every_approver_of_an_all_step(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let bad = ContentSettings {
            approval: ApprovalSettings { mode: ApprovalMode::MultiLevel, steps: vec![ApprovalStep { name: "品牌".into(), rule: StepRule::Any, approver_ids: vec![t.op2.user] }] },
            ..ContentSettings::default()
        };
        assert_eq!(code(store.update_content_settings(&caller(t.director), t.ws, bad).await.unwrap_err()), "content.approver_cannot_review@approval.steps.0.approver_ids.0");
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
        let id = new_draft(&store, &t, "正文").await;
        review(&store, &t, t.op, id, ReviewAction::Submit, None).await.unwrap();
        assert_eq!(code(review(&store, &t, t.director, id, ReviewAction::Approve, None).await.unwrap_err()), "content.not_approver@action");
        let s1 = review(&store, &t, t.editor, id, ReviewAction::Approve, None).await.unwrap();
        assert_eq!((s1.stage, s1.review_step), (Stage::Review, 1));
        assert_eq!(code(review(&store, &t, t.editor, id, ReviewAction::Approve, None).await.unwrap_err()), "content.not_approver@action");
        let s2 = review(&store, &t, t.editor2, id, ReviewAction::Approve, None).await.unwrap();
        assert_eq!((s2.stage, s2.review_step), (Stage::Review, 1), "the director has not approved yet");
        assert_eq!(code(review(&store, &t, t.editor2, id, ReviewAction::Approve, None).await.unwrap_err()), "content.already_decided@action");
        let done = review(&store, &t, t.director, id, ReviewAction::Approve, None).await.unwrap();
        assert_eq!((done.stage, done.review_state), (Stage::Publish, ReviewState::Approved));
        let n = store.list_reviews(t.ws, id).await.unwrap().iter().filter(|r| r.decision == Decision::Approved).count();
        assert_eq!(n, 3);
        // Without review, a draft goes straight to 发布 by a move.
        let mut s = ContentSettings::default();
        s.approval.mode = ApprovalMode::None;
        store.update_content_settings(&caller(t.director), t.ws, s).await.unwrap();
        let d = new_draft(&store, &t, "正文").await;
        assert_eq!(code(review(&store, &t, t.op, d, ReviewAction::Submit, None).await.unwrap_err()), "content.review_disabled@action");
        let moved = store.move_content(&caller(t.op), t.ws, d, Stage::Publish, None).await.unwrap();
        assert_eq!(moved.stage, Stage::Publish);
    }

    async fn first_pass_rate_counts_each_items_first_review(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let a = new_draft(&store, &t, "一").await;
        let b = new_draft(&store, &t, "二").await;
        let c = store.create_content(&caller(t.op2), t.ws, draft_for(t.account2, "三")).await.unwrap().id;
        for id in [a, b] {
            review(&store, &t, t.op, id, ReviewAction::Submit, None).await.unwrap();
        }
        review(&store, &t, t.op2, c, ReviewAction::Submit, None).await.unwrap();
        review(&store, &t, t.editor, a, ReviewAction::Approve, None).await.unwrap();
        review(&store, &t, t.editor, b, ReviewAction::Reject, Some("重写")).await.unwrap();
        review(&store, &t, t.op, b, ReviewAction::Submit, None).await.unwrap();
        review(&store, &t, t.editor, b, ReviewAction::Approve, None).await.unwrap();
        review(&store, &t, t.editor, c, ReviewAction::Approve, None).await.unwrap();
        // A withdrawal is not a round: submitted, withdrawn, submitted again and approved is a
        // first pass, in round 1.
        let d = new_draft(&store, &t, "四").await;
        review(&store, &t, t.op, d, ReviewAction::Submit, None).await.unwrap();
        review(&store, &t, t.op, d, ReviewAction::Withdraw, None).await.unwrap();
        assert_eq!(review(&store, &t, t.op, d, ReviewAction::Submit, None).await.unwrap().review_round, 1);
        review(&store, &t, t.editor, d, ReviewAction::Approve, None).await.unwrap();
        let all = store.first_pass(t.ws, FirstPassBy::All, None, None).await.unwrap();
        assert_eq!((all[0].reviewed, all[0].first_pass), (4, 3));
        let by_person = store.first_pass(t.ws, FirstPassBy::Person, None, None).await.unwrap();
        let op = by_person.iter().find(|r| r.key == t.op.user.0.to_string()).unwrap();
        assert_eq!((op.reviewed, op.first_pass), (3, 2));
        let by_account = store.first_pass(t.ws, FirstPassBy::Account, None, None).await.unwrap();
        assert_eq!(by_account.len(), 2);
        assert_eq!(by_account.iter().find(|r| r.key == t.account2.0.to_string()).unwrap().label, "老王说车");
        let future = Utc::now() + Duration::days(1);
        assert!(store.first_pass(t.ws, FirstPassBy::All, Some(future), None).await.unwrap().is_empty());
    }

    async fn red_lines_are_editable_and_take_effect_on_the_next_check(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let lines = store.list_red_lines(t.ws).await.unwrap();
        assert!(lines.iter().any(|l| l.phrase == "国家级" && l.builtin && l.enabled));
        let new = store
            .create_red_line(&caller(t.editor), t.ws, RedLineDraft { phrase: "秒杀全网".into(), severity: Severity::Block, exceptions: vec![], note: "攻击竞品".into(), enabled: true })
            .await
            .unwrap();
        let dup = store
            .create_red_line(&caller(t.editor), t.ws, RedLineDraft { phrase: "秒杀全网".into(), severity: Severity::Warn, exceptions: vec![], note: String::new(), enabled: true })
            .await;
        assert_eq!(code(dup.unwrap_err()), "red_lines.duplicate@phrase");
        let id = new_draft(&store, &t, "续航秒杀全网").await;
        let hits = store.get_content(t.ws, id).await.unwrap().checks.red_lines;
        assert_eq!((hits[0].phrase.as_str(), hits[0].start, hits[0].end, hits[0].note.as_str()), ("秒杀全网", 2, 6, "攻击竞品"));
        store.update_red_line(&caller(t.director), t.ws, new.id, RedLinePatch { enabled: Some(false), ..Default::default() }).await.unwrap();
        assert!(store.get_content(t.ws, id).await.unwrap().checks.red_lines.is_empty());
        store.delete_red_line(&caller(t.director), t.ws, new.id).await.unwrap();
        assert!(matches!(store.delete_red_line(&caller(t.director), t.ws, new.id).await, Err(StoreError::NotFound)));
    }

    async fn the_hub_adds_and_tightens_red_lines_and_only_directors_loosen_them(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let builtin = store.list_red_lines(t.ws).await.unwrap().into_iter().find(|l| l.phrase == "国家级").unwrap();
        let line = store
            .create_red_line(&caller(t.planner), t.ws, RedLineDraft { phrase: "秒杀".into(), severity: Severity::Warn, exceptions: vec![], note: String::new(), enabled: true })
            .await
            .unwrap();
        // Tightening (warn → block, a note, dropping an exception) is the hub's to do.
        let tightened = store.update_red_line(&caller(t.editor), t.ws, line.id, RedLinePatch { severity: Some(Severity::Block), note: Some("攻击竞品".into()), ..Default::default() }).await.unwrap();
        assert_eq!(tightened.severity, Severity::Block);
        // Every way of loosening is refused to the hub and leaves the line as it was.
        let loosen = [
            RedLinePatch { enabled: Some(false), ..Default::default() },
            RedLinePatch { severity: Some(Severity::Warn), ..Default::default() },
            RedLinePatch { exceptions: Some(vec!["秒杀价".into()]), ..Default::default() },
            RedLinePatch { phrase: Some("秒杀全网".into()), ..Default::default() },
        ];
        for who in [t.editor, t.planner] {
            for p in loosen.clone() {
                assert!(matches!(store.update_red_line(&caller(who), t.ws, line.id, p.clone()).await, Err(StoreError::Forbidden)), "{:?} {p:?}", who.role);
            }
            for p in [
                RedLinePatch { enabled: Some(false), ..Default::default() },
                RedLinePatch { severity: Some(Severity::Warn), ..Default::default() },
                RedLinePatch { exceptions: Some(vec!["国家级认证".into()]), ..Default::default() },
            ] {
                assert!(matches!(store.update_red_line(&caller(who), t.ws, builtin.id, p.clone()).await, Err(StoreError::Forbidden)), "built-in {p:?}");
            }
            assert!(matches!(store.delete_red_line(&caller(who), t.ws, line.id).await, Err(StoreError::Forbidden)));
            assert!(matches!(store.delete_red_line(&caller(who), t.ws, builtin.id).await, Err(StoreError::Forbidden)));
        }
        let lines = store.list_red_lines(t.ws).await.unwrap();
        assert_eq!(lines.iter().find(|l| l.id == line.id), Some(&tightened));
        assert_eq!(lines.iter().find(|l| l.id == builtin.id), Some(&builtin));
        // A director loosens; a disabled line may then be edited by the hub and enabled again.
        store.update_red_line(&caller(t.director), t.ws, line.id, RedLinePatch { enabled: Some(false), ..Default::default() }).await.unwrap();
        let back = store.update_red_line(&caller(t.editor), t.ws, line.id, RedLinePatch { exceptions: Some(vec!["秒杀价".into()]), enabled: Some(true), ..Default::default() }).await.unwrap();
        assert!(back.enabled && back.exceptions == vec!["秒杀价".to_owned()]);
        store.delete_red_line(&caller(t.director), t.ws, line.id).await.unwrap();
    }

    async fn comments_name_members_and_count_on_the_card(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let id = new_draft(&store, &t, "正文").await;
        let c = store.add_comment(&caller(t.editor), t.ws, id, "@运营 请补充实拍图", &[t.op.user]).await.unwrap();
        assert_eq!((c.mentions.clone(), c.author_name.as_deref()), (vec![t.op.user.0], Some("editor1")));
        let (other, stranger) = workspace(&store, "别家").await;
        let _ = other;
        assert_eq!(code(store.add_comment(&caller(t.editor), t.ws, id, "hi", &[stranger]).await.unwrap_err()), "content.mention_not_member@mentions.0");
        assert_eq!(store.list_comments(t.ws, id).await.unwrap().len(), 1);
        let b = store.board(t.ws, &BoardFilter { limit: 10, ..Default::default() }, Utc::now().date_naive(), Utc::now()).await.unwrap();
        assert_eq!(b.columns[1].items.to_vec().unwrap()[0].comments, 1);
    }

    async fn a_commit_wakes_change_subscribers_and_events_after_replays_in_order(store: Store, _engine: Engine) {
        let t = team(&store).await;
        let from = store.last_event_id(t.ws).await.unwrap();
        let mut rx = store.subscribe_changes();
        rx.borrow_and_update();
        let id = new_draft(&store, &t, "正文").await;
        tokio::time::timeout(std::time::Duration::from_secs(2), rx.changed()).await.unwrap().unwrap();
        store.move_content(&caller(t.op), t.ws, id, Stage::Topic, None).await.unwrap();
        let evs = store.events_after(t.ws, from, 10).await.unwrap();
        let actions: Vec<&str> = evs.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, vec!["content.created", "content.moved"]);
        assert!(evs[0].id < evs[1].id);
        assert!(store.events_after(t.ws, evs[1].id, 10).await.unwrap().is_empty());
    }
}

/// Two stores on one PostgreSQL database stand for two `kox serve` instances: a commit through
/// one wakes the other's subscribers (LISTEN/NOTIFY), and the other reads the new event.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commit_on_one_node_wakes_the_other_node_on_postgres() {
    let (a, db) = TestDb::store(Engine::Postgres).await;
    let b = Store::connect(&db.url).await.unwrap();
    b.listen_for_changes();
    let t = team(&a).await;
    let mut rx = b.subscribe_changes();
    // The listener is connected once it has announced itself with a first wake.
    until(|| b.generation() > 0).await;
    rx.borrow_and_update();
    let from = b.last_event_id(t.ws).await.unwrap();
    let id = new_draft(&a, &t, "跨节点").await;
    tokio::time::timeout(std::time::Duration::from_secs(3), rx.changed())
        .await
        .unwrap()
        .unwrap();
    let evs = b.events_after(t.ws, from, 10).await.unwrap();
    assert_eq!(evs[0].entity_id, Some(id.0));
    assert_eq!(evs[0].action, "content.created");
}

/// Waits (up to 5 s) until `f` holds.
async fn until(f: impl Fn() -> bool) {
    tokio::time::timeout(std::time::Duration::from_secs(5), async {
        while !f() {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    })
    .await
    .unwrap();
}

/// Another node's board write leaves this node's access generation (its caches of who is
/// calling); another node's role change moves it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_nodes_role_change_moves_the_access_generation_and_its_board_writes_do_not() {
    let (a, db) = TestDb::store(Engine::Postgres).await;
    let b = Store::connect(&db.url).await.unwrap();
    b.listen_for_changes();
    let t = team(&a).await;
    until(|| b.generation() > 0).await;
    // The listener's first wake counts as a change of any kind; let it settle first.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let (access, generation) = (b.access_generation(), b.generation());
    new_draft(&a, &t, "跨节点").await;
    until(|| b.generation() > generation).await;
    assert_eq!(b.access_generation(), access);
    a.update_member(
        &Caller::system(),
        t.ws,
        t.op2.user,
        Some(Role::Viewer),
        None,
    )
    .await
    .unwrap();
    until(|| b.access_generation() > access).await;
}
