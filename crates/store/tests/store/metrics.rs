//! Post data on both engines: a 抖音 export (BOM, CRLF, a banner row, a newline inside a quoted
//! title, `10w+`, `-`) imported for one account, its bad rows named by row and column; the
//! same file again changes nothing; an overlapping file changes one value; the rollups follow;
//! grades against the account's own baseline; a rule change re-grades; undo restores exactly.

use super::*;
use kox_domain::imports::{CommitRequest, ImportKind, ImportOptions, ImportStatus};
use kox_domain::metrics::{Grade, GradeMethod, MetricDefinitions, PostMetricInput, PostMetricPush};

fn douyin(rows: &[(&str, &str, &str, &str)]) -> Vec<u8> {
    let mut s = String::from(
        "\u{feff}\"最多导出前1000条作品\"\r\n作品名称,发布时间,播放量,点赞量,评论量,收藏量\r\n",
    );
    for (title, at, plays, likes) in rows {
        s.push_str(&format!("\"{title}\",{at},{plays},{likes},-,10\r\n"));
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
