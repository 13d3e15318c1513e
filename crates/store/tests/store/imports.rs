//! The import framework on both engines: a GBK CSV previewed with its errors by row and
//! column, committed, committed again without writing anything twice, an edit through the
//! update path, and an operator who may only touch their own accounts.

use super::*;
use kox_domain::imports::{
    CommitRequest, ImportKind, ImportOptions, ImportStatus, Mapping, RowOutcome, sheet,
};

fn gbk(text: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(text).0.into_owned()
}

const FILE: &str = "层级,平台,账号ID,昵称,粉丝数,负责人,标签\n\
KOL,抖音,laowang,老王说车,386万,运营,汽车、测评\n\
koc,小红书,@ev_lily,莉莉的电车日记,1.2万,,宝妈\n\
KOX,微博,bad_tier,错,很多,不存在的人,\n\
KOC,小红书,EV_LILY,重复,5,,\n";

store_tests! {
    async fn a_gbk_sheet_is_previewed_committed_and_committed_again_without_duplicates(store: Store, _engine: Engine) {
        let (ws, op) = workspace(&store, "星河").await;
        let sys = Caller::system();
        let s = sheet::read("矩阵.csv", &gbk(FILE)).unwrap();
        assert_eq!(s.encoding, Some("gbk"));
        let import = store.create_import(&sys, ws, ImportKind::Accounts, "矩阵.csv", s).await.unwrap();
        assert_eq!((import.total_rows, import.status), (4, ImportStatus::Uploaded));
        assert_eq!(import.mapping.get("handle"), Some(&2), "the mapping is suggested from the headers");
        assert_eq!(import.sample.len(), 4);
        let mapping = import.mapping.clone();

        let p = store.preview_import(&sys, ws, import.id, &mapping, &[]).await.unwrap();
        assert_eq!((p.creates, p.updates, p.unchanged, p.invalid), (2, 0, 0, 2));
        let at: Vec<(u32, Option<String>, &str)> = p.issues.iter().map(|i| (i.row, i.column_letter.clone(), i.code.as_str())).collect();
        assert_eq!(at, [
            (4, Some("A".into()), "imports.unknown_tier"),
            (4, Some("E".into()), "imports.not_a_count"),
            (4, Some("F".into()), "imports.unknown_member"),
            (5, Some("C".into()), "imports.duplicate_row"),
        ]);
        assert_eq!(p.rows[0].outcome, RowOutcome::Invalid, "invalid rows are listed first");
        assert!(store.list_accounts(ws, &AccountFilter::default()).await.unwrap().items.is_empty(), "a preview writes nothing");

        // With invalid rows, a commit is refused unless they are to be left out.
        let strict = CommitRequest { mapping: mapping.clone(), skip_invalid: false, resolutions: vec![] };
        let e = store.start_import(&sys, ws, import.id, &strict).await.unwrap_err();
        assert!(matches!(e, StoreError::Invalid(ref f) if f.code == "imports.has_errors"), "{e:?}");
        let lenient = CommitRequest { mapping: mapping.clone(), skip_invalid: true, resolutions: vec![] };
        let started = store.start_import(&sys, ws, import.id, &lenient).await.unwrap();
        assert_eq!(started.status, ImportStatus::Committing);
        let busy = store.start_import(&sys, ws, import.id, &lenient).await.unwrap_err();
        assert!(matches!(busy, StoreError::Conflict { code: "imports.busy", .. }), "{busy:?}");
        let done = store.run_import(&sys, ws, import.id, &CommitRequest { mapping: import.mapping.clone(), skip_invalid: true, resolutions: vec![] }).await.unwrap();
        assert_eq!(done.status, ImportStatus::Done);
        assert_eq!(done.done_rows, 4);
        let r = done.result.clone().unwrap();
        assert_eq!((r.created, r.updated, r.unchanged, r.skipped, r.issues.len()), (2, 0, 0, 2, 4));

        let list = store.list_accounts(ws, &AccountFilter::default()).await.unwrap();
        assert_eq!(list.total, 2);
        let lily = list.items.iter().find(|a| a.handle == "ev_lily").unwrap();
        assert_eq!((lily.followers, lily.tier, lily.ownership), (12_000, Tier::Koc, Ownership::Partner));
        let laowang = list.items.iter().find(|a| a.handle == "laowang").unwrap();
        assert_eq!((laowang.followers, laowang.owner_ids.clone(), laowang.tags.clone()), (3_860_000, vec![op], vec!["汽车".to_owned(), "测评".into()]));
        let actions = events(&store, ws).await;
        assert_eq!(actions.iter().filter(|a| *a == "account.created").count(), 2);
        assert!(actions.contains(&"import.committed".to_owned()));

        // The same file again: matched on platform + handle, nothing written twice.
        let again = store.create_import(&sys, ws, ImportKind::Accounts, "矩阵.csv", sheet::read("矩阵.csv", &gbk(FILE)).unwrap()).await.unwrap();
        let p = store.preview_import(&sys, ws, again.id, &mapping, &[]).await.unwrap();
        assert_eq!((p.creates, p.updates, p.unchanged), (0, 0, 2));
        store.start_import(&sys, ws, again.id, &lenient).await.unwrap();
        let r = store.run_import(&sys, ws, again.id, &CommitRequest { mapping: again.mapping.clone(), skip_invalid: true, resolutions: vec![] }).await.unwrap().result.unwrap();
        assert_eq!((r.created, r.updated, r.unchanged), (0, 0, 2));
        assert_eq!(store.list_accounts(ws, &AccountFilter::default()).await.unwrap().total, 2);

        // A changed cell is an edit through the update path: a new version and an event.
        let edit = "平台,账号ID,粉丝数,人设定位\n小红书,Ev_Lily,1.5w,\n";
        let third = store.create_import(&sys, ws, ImportKind::Accounts, "更新.csv", sheet::read("更新.csv", edit.as_bytes()).unwrap()).await.unwrap();
        let p = store.preview_import(&sys, ws, third.id, &third.mapping, &[]).await.unwrap();
        assert_eq!((p.updates, p.rows[0].changed.clone()), (1, vec!["followers".to_owned()]));
        store.start_import(&sys, ws, third.id, &CommitRequest { mapping: third.mapping.clone(), skip_invalid: false, resolutions: vec![] }).await.unwrap();
        let r = store.run_import(&sys, ws, third.id, &CommitRequest { mapping: third.mapping.clone(), skip_invalid: false, resolutions: vec![] }).await.unwrap().result.unwrap();
        assert_eq!(r.updated, 1);
        let lily_now = store.get_account(ws, lily.id).await.unwrap();
        assert_eq!((lily_now.followers, lily_now.version, lily_now.persona.as_str()), (15_000, lily.version + 1, lily.persona.as_str()), "an empty cell changes nothing");
        assert!(events(&store, ws).await.contains(&"account.updated".to_owned()));
    }

    async fn an_operator_imports_new_accounts_as_theirs_and_only_edits_their_own(store: Store, _engine: Engine) {
        let (ws, op) = workspace(&store, "星河").await;
        let other = store.create_account(&Caller::system(), ws, draft("not_mine")).await.unwrap();
        let me = Caller::member(op, Role::Operator);
        let text = "层级,平台,账号ID,粉丝数\nKOC,抖音,mine,100\nKOL,抖音,not_mine,5\n";
        let i = store.create_import(&me, ws, ImportKind::Accounts, "a.csv", sheet::read("a.csv", text.as_bytes()).unwrap()).await.unwrap();
        let p = store.preview_import(&me, ws, i.id, &i.mapping, &[]).await.unwrap();
        assert_eq!((p.creates, p.invalid), (1, 1));
        assert_eq!((p.issues[0].row, p.issues[0].code.as_str()), (3, "imports.not_owner"));
        store.start_import(&me, ws, i.id, &CommitRequest { mapping: i.mapping.clone(), skip_invalid: true, resolutions: vec![] }).await.unwrap();
        store.run_import(&me, ws, i.id, &CommitRequest { mapping: i.mapping.clone(), skip_invalid: true, resolutions: vec![] }).await.unwrap();
        let list = store.list_accounts(ws, &AccountFilter::default()).await.unwrap();
        let mine = list.items.iter().find(|a| a.handle == "mine").unwrap();
        assert_eq!(mine.owner_ids, vec![op]);
        assert_eq!(store.get_account(ws, other.id).await.unwrap().followers, 3_860_000);
        // A viewer may not import at all.
        let viewer = Caller::member(op, Role::Viewer);
        let s = sheet::read("a.csv", text.as_bytes()).unwrap();
        assert!(matches!(store.create_import(&viewer, ws, ImportKind::Accounts, "a.csv", s).await, Err(StoreError::Forbidden)));
    }

    async fn a_wrong_mapping_is_refused_on_its_field(store: Store, _engine: Engine) {
        let (ws, _) = workspace(&store, "星河").await;
        let sys = Caller::system();
        let i = store.create_import(&sys, ws, ImportKind::Accounts, "a.csv", sheet::read("a.csv", "平台,账号ID\n抖音,x\n".as_bytes()).unwrap()).await.unwrap();
        let m: Mapping = [("platform".to_owned(), 0), ("handle".to_owned(), 7)].into_iter().collect();
        let e = store.preview_import(&sys, ws, i.id, &m, &[]).await.unwrap_err();
        assert!(matches!(e, StoreError::Invalid(ref f) if f.field == "mapping.handle" && f.code == "imports.unknown_column"), "{e:?}");
        let other_ws = workspace(&store, "别家").await.0;
        assert!(matches!(store.get_import(other_ws, i.id).await, Err(StoreError::NotFound)), "another workspace's import is not found");
    }
}

fn mapping_draft(
    name: &str,
    kind: &str,
    columns: &serde_json::Value,
) -> kox_domain::imports::ImportMappingDraft {
    serde_json::from_value(serde_json::json!({"name": name, "kind": kind, "columns": columns}))
        .unwrap()
}

fn field_code(e: StoreError) -> String {
    match e {
        StoreError::Invalid(f) => format!("{}@{}", f.code, f.field),
        StoreError::Conflict { code, field, .. } => format!("{code}@{field}"),
        other => other.to_string(),
    }
}

store_tests! {
    async fn a_saved_mapping_maps_the_next_file_by_its_headers_whatever_their_order(store: Store, _engine: Engine) {
        let (ws, op) = workspace(&store, "星河").await;
        let sys = Caller::system();
        // Headers no suggestion would recognise: only the saved mapping maps them.
        let accounts = store.save_import_mapping(&sys, ws, None, mapping_draft("  达人总表  ", "accounts", &serde_json::json!({"platform": ["渠道名"], "handle": ["达人编号", "编号"], "tier": ["分层"]}))).await.unwrap();
        assert_eq!((accounts.name.as_str(), accounts.kind), ("达人总表", ImportKind::Accounts));
        let s = sheet::read("a.csv", "分层,编号,渠道名\nKOL,laowang,抖音\n".as_bytes()).unwrap();
        let i = store.create_import_mapped(&sys, ws, ImportKind::Accounts, "a.csv", s, Some(accounts.id)).await.unwrap();
        let want: Mapping = [("tier".to_owned(), 0), ("handle".to_owned(), 1), ("platform".to_owned(), 2)].into_iter().collect();
        assert_eq!(i.mapping, want);
        // A metric file: the mapping named at upload is the import's.
        let posts = store.save_import_mapping(&sys, ws, None, mapping_draft("达人总表", "post_metrics", &serde_json::json!({"post_url": ["作品地址"], "likes": ["点赞量"], "published_at": ["发文时间"]}))).await.unwrap();
        let file = "点赞量,发文时间,作品地址\n12,2026-12-01 10:00,https://www.douyin.com/video/7441234567890123456\n";
        let opts = ImportOptions { mapping_id: Some(posts.id), ..ImportOptions::default() };
        let m = store.create_file_import(&sys, ws, ImportKind::PostMetrics, "作品.csv", file.as_bytes().to_vec(), opts).await.unwrap();
        let want: Mapping = [("likes".to_owned(), 0), ("published_at".to_owned(), 1), ("post_url".to_owned(), 2)].into_iter().collect();
        assert_eq!((m.mapping, m.options.mapping_id), (want, Some(posts.id)));
        // Listed by name, one kind or all.
        let all = store.list_import_mappings(ws, None).await.unwrap();
        assert_eq!(all.iter().map(|x| x.id).collect::<Vec<_>>(), vec![accounts.id, posts.id].into_iter().collect::<Vec<_>>());
        assert_eq!(store.list_import_mappings(ws, Some(ImportKind::PostMetrics)).await.unwrap().len(), 1);

        // Refused, nothing written: the same name for the same kind, a field the kind has not,
        // no header, an upload naming another kind's or another workspace's mapping.
        let e = store.save_import_mapping(&sys, ws, None, mapping_draft("达人总表", "accounts", &serde_json::json!({"handle": ["号"]}))).await.unwrap_err();
        assert_eq!(field_code(e), "imports.mapping_name_taken@name");
        let e = store.save_import_mapping(&sys, ws, None, mapping_draft("新表", "spend", &serde_json::json!({"likes": ["点赞"]}))).await.unwrap_err();
        assert_eq!(field_code(e), "imports.unknown_field@columns.likes");
        let e = store.save_import_mapping(&sys, ws, None, mapping_draft("新表", "accounts", &serde_json::json!({"handle": [" "]}))).await.unwrap_err();
        assert_eq!(field_code(e), "validation.required@columns.handle");
        let e = store.save_import_mapping(&sys, ws, None, mapping_draft("新表", "accounts", &serde_json::json!({}))).await.unwrap_err();
        assert_eq!(field_code(e), "validation.required@columns");
        let s = sheet::read("a.csv", "分层,编号\nKOL,x\n".as_bytes()).unwrap();
        let e = store.create_import_mapped(&sys, ws, ImportKind::Accounts, "a.csv", s, Some(posts.id)).await.unwrap_err();
        assert_eq!(field_code(e), "imports.unknown_mapping@mapping_id");
        let other = workspace(&store, "别家").await.0;
        let opts = ImportOptions { mapping_id: Some(posts.id), ..ImportOptions::default() };
        let e = store.create_file_import(&sys, other, ImportKind::PostMetrics, "作品.csv", file.as_bytes().to_vec(), opts).await.unwrap_err();
        assert_eq!(field_code(e), "imports.unknown_mapping@mapping_id");
        assert!(store.list_imports(other, None).await.unwrap().is_empty(), "a refused upload leaves no import");
        assert_eq!(store.list_import_mappings(ws, None).await.unwrap().len(), 2);

        // Who: saving needs what importing the kind needs (an operator may import accounts,
        // not data; a viewer neither); anyone may list.
        let operator = Caller::member(op, Role::Operator);
        let viewer = Caller::member(op, Role::Viewer);
        assert!(store.save_import_mapping(&operator, ws, None, mapping_draft("我的表", "accounts", &serde_json::json!({"handle": ["号"]}))).await.is_ok());
        assert!(matches!(store.save_import_mapping(&operator, ws, None, mapping_draft("我的表", "post_metrics", &serde_json::json!({"likes": ["赞"]}))).await, Err(StoreError::Forbidden)));
        assert!(matches!(store.save_import_mapping(&viewer, ws, None, mapping_draft("看看", "accounts", &serde_json::json!({"handle": ["号"]}))).await, Err(StoreError::Forbidden)));
        assert!(matches!(store.delete_import_mapping(&operator, ws, posts.id).await, Err(StoreError::Forbidden)));

        // Replaced (renamed, a header added), then deleted.
        let renamed = store.save_import_mapping(&sys, ws, Some(posts.id), mapping_draft("抖音周报", "post_metrics", &serde_json::json!({"post_url": ["作品地址", "视频链接"], "likes": ["点赞量"]}))).await.unwrap();
        assert_eq!((renamed.id, renamed.name.as_str(), renamed.columns["post_url"].len()), (posts.id, "抖音周报", 2));
        store.delete_import_mapping(&sys, ws, posts.id).await.unwrap();
        assert!(matches!(store.delete_import_mapping(&sys, ws, posts.id).await, Err(StoreError::NotFound)));
        assert!(matches!(store.delete_import_mapping(&sys, other, accounts.id).await, Err(StoreError::NotFound)), "another workspace's mapping is not found");
    }
}
