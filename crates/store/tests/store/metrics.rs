//! Post data on both engines: a 抖音 export (BOM, CRLF, a banner row, a newline inside a quoted
//! title, `10w+`, `-`) imported for one account, its bad rows named by row and column; the
//! same file again changes nothing; an overlapping file changes one value; the rollups follow;
//! grades against the account's own baseline; a rule change re-grades; undo restores exactly.

// Short names for the preview (p), result (r), import (f, c, s) of each step read like the steps.
#![allow(clippy::many_single_char_names)]

use std::fmt::Write as _;

use super::*;
use kox_domain::imports::{CommitRequest, ImportKind, ImportOptions, ImportStatus};
use kox_domain::metrics::{Grade, GradeMethod, MetricDefinitions, PostMetricInput, PostMetricPush};

fn douyin(rows: &[(&str, &str, &str, &str)]) -> Vec<u8> {
    let mut s = String::from(
        "\u{feff}\"最多导出前1000条作品\"\r\n作品名称,发布时间,播放量,点赞量,评论量,收藏量\r\n",
    );
    for (title, at, plays, likes) in rows {
        let _ = writeln!(s, "\"{title}\",{at},{plays},{likes},-,10\r");
    }
    s.into_bytes()
}

const ROWS: &[(&str, &str, &str, &str)] = &[
    ("星河S7 首测\n上篇", "2026-11-01 20:00:00", "1.2万", "100"),
    ("星河S7 续航实测", "2026-11-02 20:00:00", "8000", "200"),
    ("星河S7 智能座舱", "2026-11-03 20:00:00", "9000", "300"),
    ("露营装备分享", "2026-11-04 20:00:00", "7000", "400"),
    ("周末自驾路线", "2026-11-05 20:00:00", "6000", "500"),
    ("星河S7 夜间灯光", "2026-11-06 20:00:00", "10w+", "5000"),
    ("坏行", "昨天", "-5", "1"),
];

async fn import(
    store: &Store,
    ws: WorkspaceId,
    account: i64,
    bytes: Vec<u8>,
    day: &str,
) -> kox_domain::imports::Import {
    let sys = Caller::system();
    let opts = ImportOptions {
        preset: Some("douyin_works".into()),
        account_id: Some(account),
        as_of: Some(day.parse().unwrap()),
        ..ImportOptions::default()
    };
    store
        .create_file_import(
            &sys,
            ws,
            ImportKind::PostMetrics,
            "作品数据.csv",
            bytes,
            opts,
        )
        .await
        .unwrap()
}

async fn commit(
    store: &Store,
    ws: WorkspaceId,
    i: &kox_domain::imports::Import,
) -> kox_domain::imports::ImportResult {
    let sys = Caller::system();
    let req = CommitRequest {
        mapping: i.mapping.clone(),
        skip_invalid: true,
        resolutions: vec![],
    };
    store.start_import(&sys, ws, i.id, &req).await.unwrap();
    let done = store.run_import(&sys, ws, i.id, &req).await.unwrap();
    assert_eq!(done.status, ImportStatus::Done, "{:?}", done.result);
    done.result.unwrap()
}

store_tests! {
    async fn an_export_is_imported_once_updated_graded_and_undone(store: Store, _engine: Engine) {
        let (ws, _) = workspace(&store, "星河").await;
        let sys = Caller::system();
        let acc = store.create_account(&sys, ws, draft("xinghe_dy")).await.unwrap().id.0;

        let first = import(&store, ws, acc, douyin(ROWS), "2026-11-10").await;
        assert_eq!((first.total_rows, first.encoding.as_deref(), first.header_row), (7, Some("utf-8"), 2));
        assert_eq!(first.mapping.get("likes"), Some(&3), "the preset maps the export's headers");
        let p = store.preview_import(&sys, ws, first.id, &first.mapping, &[]).await.unwrap();
        let posts = p.posts.clone().unwrap();
        assert_eq!((p.creates, p.invalid, posts.new_posts), (6, 1, 6));
        let at: Vec<(u32, Option<String>, &str)> = p.issues.iter().map(|i| (i.row, i.column_letter.clone(), i.code.as_str())).collect();
        // The first title spans two lines inside its quotes: still one row (the banner is row 1,
        // the header row 2).
        assert_eq!(at, [(9, Some("B".into()), "imports.not_a_date"), (9, Some("C".into()), "imports.negative")]);

        let r = commit(&store, ws, &first).await;
        assert_eq!((r.created, r.updated, r.unchanged, r.skipped, r.new_posts), (6, 0, 0, 1, 6));
        let days = store.account_days(ws, acc).await.unwrap();
        assert_eq!(days.len(), 6);
        assert_eq!((days[0].day.to_string(), days[0].posts, days[0].reads, days[0].likes, days[0].saves), ("2026-11-01".into(), 1, 12_000, 100, 10));
        assert_eq!(days[5].reads, 100_000, "10w+ is kept as its floor");

        // Grades: five posts of history, then the sixth against their median (210 → 5010 / 310).
        assert_eq!(store.list_imports(ws, Some(ImportKind::PostMetrics)).await.unwrap().len(), 1);
        // Imported posts are created with consecutive ids in file order.
        let items = [min_item_id(&store, ws).await];
        let first_post = store.item_metrics(ws, items[0]).await.unwrap();
        assert_eq!(first_post.grade.as_ref().unwrap().outcome.method, GradeMethod::TooLittleHistory);
        let last = store.item_metrics(ws, items[0] + 5).await.unwrap();
        let g = last.grade.clone().unwrap();
        // Interactions = likes + saves (+ comments, missing): 110, 210, 310, 410, 510 → median 310.
        assert_eq!((g.outcome.interactions, g.outcome.baseline, g.outcome.grade), (5010, Some(310.0), Some(Grade::S)));
        assert_eq!(g.rule_version, 0);
        assert_eq!(last.latest.as_ref().unwrap().at_least, vec!["reads".to_owned()]);

        // The same file again: nothing changes.
        let again = import(&store, ws, acc, douyin(ROWS), "2026-11-10").await;
        let p = store.preview_import(&sys, ws, again.id, &again.mapping, &[]).await.unwrap();
        assert_eq!((p.creates, p.updates, p.unchanged, p.posts.unwrap().by_title), (0, 0, 6, 6));
        let r = commit(&store, ws, &again).await;
        assert_eq!((r.created, r.updated, r.unchanged, r.new_posts), (0, 0, 6, 0));

        // An overlapping file with one value changed (titles edited a little, times a few
        // minutes off): one update.
        let overlap = douyin(&[("星河S7 首测 上篇", "2026-11-01 20:05:00", "1.2万", "150"), ("星河S7续航实测", "2026-11-02 20:00:00", "8000", "200")]);
        let third = import(&store, ws, acc, overlap, "2026-11-10").await;
        let r = commit(&store, ws, &third).await;
        assert_eq!((r.created, r.updated, r.unchanged), (0, 1, 1));
        assert_eq!(store.account_days(ws, acc).await.unwrap()[0].likes, 150);

        // A rule change makes a new version and re-grades.
        let mut d = MetricDefinitions::default();
        d.grades.s = 20.0;
        let (reg, changed) = store.set_metric_registry(&sys, ws, d).await.unwrap();
        assert!(changed);
        assert_eq!(reg.version, 1);
        store.regrade(ws, None).await.unwrap();
        let g = store.item_metrics(ws, items[0] + 5).await.unwrap().grade.unwrap();
        assert_eq!((g.rule_version, g.outcome.grade), (1, Some(Grade::A)));
        let st = store.grade_status(ws).await.unwrap();
        assert_eq!((st.posts, st.current), (6, 6));

        // Undo the overlap: the old value is back, and the rollup with it.
        store.undo_import(&sys, ws, third.id).await.unwrap();
        assert_eq!(store.account_days(ws, acc).await.unwrap()[0].likes, 100);
        let back = store.item_metrics(ws, items[0]).await.unwrap();
        assert_eq!(back.snapshots[0].import_id, Some(first.id), "the restored values are the first import's again");
        let e = store.undo_import(&sys, ws, third.id).await.unwrap_err();
        assert!(matches!(e, StoreError::Conflict { code: "imports.not_undoable", .. }), "{e:?}");
        // Undo the first: its posts and their data go.
        store.undo_import(&sys, ws, first.id).await.unwrap();
        assert!(store.account_days(ws, acc).await.unwrap().is_empty());
        assert!(store.item_metrics(ws, items[0]).await.is_err());
    }

    async fn a_push_is_checked_row_by_row_and_refused_over_ten_thousand(store: Store, _engine: Engine) {
        let (ws, _) = workspace(&store, "星河").await;
        let sys = Caller::system();
        let acc = store.create_account(&sys, ws, draft("xinghe_dy")).await.unwrap().id.0;
        let row = |pid: &str, likes: i64| PostMetricInput {
            post_id: Some(pid.into()),
            account_id: Some(acc),
            title: Some(format!("作品 {pid}")),
            published_at: Some("2026-11-03 20:15".into()),
            as_of: Some("2026-11-10".parse().unwrap()),
            likes: Some(likes),
            ..PostMetricInput::default()
        };
        let r = store.push_post_metrics(&sys, ws, PostMetricPush { rows: vec![row("7301", 10), row("7302", -3), row("7301", 11)] }, "API").await.unwrap();
        assert_eq!((r.created, r.new_posts, r.refused), (1, 1, 2));
        let why: Vec<(usize, &str)> = r.issues.iter().map(|i| (i.index, i.code.as_str())).collect();
        assert_eq!(why, [(1, "imports.negative"), (2, "imports.duplicate_row")]);
        // Again: unchanged; a changed value: updated.
        let r = store.push_post_metrics(&sys, ws, PostMetricPush { rows: vec![row("7301", 10)] }, "API").await.unwrap();
        assert_eq!((r.created, r.updated, r.unchanged, r.new_posts), (0, 0, 1, 0));
        let r = store.push_post_metrics(&sys, ws, PostMetricPush { rows: vec![row("7301", 12)] }, "API").await.unwrap();
        assert_eq!((r.updated, r.unchanged), (1, 0));
        // A post an import created keeps living when later data hangs on it: undoing the push
        // that created 7301 leaves the post with the later pushes' numbers, rollups included.
        let first_push = store.list_imports(ws, None).await.unwrap().last().unwrap().id;
        let item = min_item_id(&store, ws).await;
        let later = PostMetricInput { item_id: Some(item), as_of: Some("2026-11-12".parse().unwrap()), likes: Some(20), ..PostMetricInput::default() };
        store.push_post_metrics(&sys, ws, PostMetricPush { rows: vec![later] }, "API").await.unwrap();
        store.undo_import(&sys, ws, first_push).await.unwrap();
        let kept = store.item_metrics(ws, item).await.expect("the post stays");
        assert_eq!(kept.latest.unwrap().counts.likes, Some(20));
        assert_eq!(store.account_days(ws, acc).await.unwrap().iter().map(|d| (d.posts, d.likes)).collect::<Vec<_>>(), [(1, 20)]);
        // Every row refused: nothing written and no import to list.
        let before = store.list_imports(ws, None).await.unwrap().len();
        let r = store.push_post_metrics(&sys, ws, PostMetricPush { rows: vec![row("7303", -1)] }, "API").await.unwrap();
        assert_eq!((r.import_id, r.refused), (None, 1));
        assert_eq!(store.list_imports(ws, None).await.unwrap().len(), before);
        let too_many = PostMetricPush { rows: vec![row("1", 1); 10_001] };
        let e = store.push_post_metrics(&sys, ws, too_many, "API").await.unwrap_err();
        assert!(matches!(e, StoreError::Invalid(ref f) if f.code == "metrics.too_many_rows"), "{e:?}");
        // Nobody without the capability.
        let viewer = Caller::member(UserId(1), Role::Viewer);
        let e = store.push_post_metrics(&viewer, ws, PostMetricPush { rows: vec![row("7301", 1)] }, "API").await.unwrap_err();
        assert!(matches!(e, StoreError::Forbidden));
    }
}

async fn min_item_id(store: &Store, ws: WorkspaceId) -> i64 {
    let mut id = 1;
    while store.item_metrics(ws, id).await.is_err() {
        id += 1;
        assert!(id < 10_000, "no imported post found");
    }
    id
}

async fn kind_import(
    store: &Store,
    ws: WorkspaceId,
    kind: ImportKind,
    name: &str,
    text: &str,
    account: Option<i64>,
) -> kox_domain::imports::Import {
    let opts = ImportOptions {
        account_id: account,
        ..ImportOptions::default()
    };
    store
        .create_file_import(
            &Caller::system(),
            ws,
            kind,
            name,
            text.as_bytes().to_vec(),
            opts,
        )
        .await
        .unwrap()
}

store_tests! {
    async fn followers_comments_money_and_search_come_in_through_the_same_path(store: Store, _engine: Engine) {
        let (ws, _) = workspace(&store, "星河").await;
        let sys = Caller::system();
        let acc = store.create_account(&sys, ws, draft("xinghe_dy")).await.unwrap().id.0;
        let campaign = store
            .create_campaign(&sys, ws, kox_domain::campaigns::CampaignDraft {
                name: "星河S7 上市".into(),
                theme: String::new(),
                starts_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
                ends_on: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
                budget_fen: kox_domain::campaigns::Fen(0),
                budget_by_tier: std::collections::BTreeMap::default(),
                currency: "CNY".into(),
                required_hashtags: vec![],
                embargo_at: None,
                target_kpis: String::new(),
                status: kox_domain::campaigns::CampaignStatus::default(),
                custom: serde_json::Map::default(),
            })
            .await
            .unwrap()
            .id
            .0;

        // Followers for the account chosen at upload; a bad count named by row and column.
        let f = kind_import(&store, ws, ImportKind::AccountMetrics, "粉丝.csv", "日期,粉丝总数,新增粉丝\n2026-12-01,1.2万,35\n2026-12-02,12100,-\n2026-12-03,很多,1\n", Some(acc)).await;
        let p = store.preview_import(&sys, ws, f.id, &f.mapping, &[]).await.unwrap();
        assert_eq!((p.creates, p.invalid), (2, 1));
        assert_eq!((p.issues[0].row, p.issues[0].column_letter.as_deref(), p.issues[0].code.as_str()), (4, Some("B"), "imports.not_a_count"));
        let r = commit(&store, ws, &f).await;
        assert_eq!((r.created, r.skipped), (2, 1));
        let again = kind_import(&store, ws, ImportKind::AccountMetrics, "粉丝.csv", "日期,粉丝总数,新增粉丝\n2026-12-01,1.2万,35\n2026-12-02,12100,-\n", Some(acc)).await;
        let r = commit(&store, ws, &again).await;
        assert_eq!((r.created, r.updated, r.unchanged), (0, 0, 2), "the same rows again change nothing");

        // Comments on a post known by its id: the 24 h reply rate follows.
        let post = store
            .push_post_metrics(&sys, ws, PostMetricPush { rows: vec![PostMetricInput { post_id: Some("7301".into()), account_id: Some(acc), title: Some("星河S7 首测".into()), published_at: Some("2026-11-03 20:00".into()), likes: Some(10), ..PostMetricInput::default() }] }, "API")
            .await
            .unwrap();
        assert_eq!(post.new_posts, 1);
        let item = min_item_id(&store, ws).await;
        let c = kind_import(&store, ws, ImportKind::Comments, "评论.csv", "评论ID,作品ID,评论内容,评论时间,回复时间\nc1,7301,续航多少？,2026-11-03 20:15,2026-11-04 09:00\nc2,7301,价格呢,2026-11-03 21:00,2026-11-05 09:00\nc3,7301,好看,2026-11-03 22:00,\nc4,9999,不存在,2026-11-03 22:00,\n", None).await;
        let r = commit(&store, ws, &c).await;
        assert_eq!((r.created, r.skipped), (3, 1));
        let m = store.item_metrics(ws, item).await.unwrap();
        assert_eq!(m.replies.map(|s| (s.comments, s.replied_24h)), Some((3, 1)));

        // Spend on the campaign and revenue: the campaign's money by day.
        let s = kind_import(&store, ws, ImportKind::Spend, "投放.csv", "战役,日期,花费,是否投流\n星河S7 上市,2026-12-01,\"¥3,000.50\",否\n星河S7 上市,2026-12-01,1000,是\n不存在的战役,2026-12-01,5,否\n", None).await;
        let r = commit(&store, ws, &s).await;
        assert_eq!((r.created, r.skipped), (2, 1));
        let v = store.push_kind_rows(&sys, ws, ImportKind::Revenue, vec![serde_json::json!({"campaign": campaign.to_string(), "day": "2026-12-01", "revenue": "1.2万", "conversions": 7}).as_object().unwrap().clone()]).await.unwrap();
        assert_eq!((v.created, v.refused), (1, 0));
        let money = store.campaign_days(ws, campaign).await.unwrap();
        assert_eq!(money, vec![kox_store::metrics::CampaignDay { day: "2026-12-01".parse().unwrap(), spend: 400_050, boost_spend: 100_000, revenue: 1_200_000, conversions: 7 }]);

        // The search index, pushed: an unknown platform and an unknown field refused by index.
        let rows: Vec<serde_json::Map<String, serde_json::Value>> = [
            serde_json::json!({"keyword": "星河S7", "platform": "抖音", "day": "2026-12-01", "value": "12,345.5"}),
            serde_json::json!({"keyword": "星河S7", "platform": "火星", "day": "2026-12-01", "value": 1}),
            serde_json::json!({"keyword": "星河S7", "platform": "抖音", "day": "2026-12-02", "value": 1, "colour": "red"}),
        ].into_iter().map(|v| v.as_object().unwrap().clone()).collect();
        let r = store.push_kind_rows(&sys, ws, ImportKind::SearchIndex, rows).await.unwrap();
        let why: Vec<(usize, &str)> = r.issues.iter().map(|i| (i.index, i.code.as_str())).collect();
        assert_eq!((r.created, why), (1, vec![(1, "accounts.unknown_platform"), (2, "imports.unknown_field")]));

        // Undo the spend import: the campaign's day keeps only the revenue.
        store.undo_import(&sys, ws, s.id).await.unwrap();
        let money = store.campaign_days(ws, campaign).await.unwrap();
        assert_eq!((money[0].spend, money[0].revenue), (0, 1_200_000));
        // Undo the second followers import (it changed nothing), then the first: none left.
        store.undo_import(&sys, ws, again.id).await.unwrap();
        store.undo_import(&sys, ws, f.id).await.unwrap();
        assert!(store.follower_days(ws, acc).await.unwrap().is_empty());
    }
}
