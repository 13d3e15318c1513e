//! Store tests: one body, a `sqlite` and a `postgres` variant, a fresh database each.

use chrono::{Duration, Utc};
use kox_domain::access::{Group, Role};
use kox_domain::accounts::{AccountDraft, AccountPatch, Ownership, Tier};
use kox_domain::{UserId, WorkspaceId};
use kox_store::accounts::AccountFilter;
use kox_store::auth::NewSession;
use kox_store::members::NewMember;
use kox_store::testing::TestDb;
use kox_store::{Caller, Engine, EventQuery, Store, StoreError};

macro_rules! store_tests {
    ($(async fn $name:ident($store:ident: Store, $engine:ident: Engine) $body:block)*) => {$(
        mod $name {
            use super::*;
            async fn run($store: Store, $engine: Engine) $body
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() { let (s, _db) = TestDb::store(Engine::Sqlite).await; run(s, Engine::Sqlite).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() { let (s, _db) = TestDb::store(Engine::Postgres).await; run(s, Engine::Postgres).await }
        }
    )*};
}

fn draft(handle: &str) -> AccountDraft {
    AccountDraft {
        tier: Tier::Kol,
        platform: "douyin".into(),
        handle: handle.into(),
        display_name: "老王说车".into(),
        profile_url: None,
        persona: "十年汽车媒体人".into(),
        ownership: Ownership::Paid,
        status: kox_domain::accounts::AccountStatus::default(),
        followers: 3_860_000,
        tags: vec![],
        owner_ids: vec![],
        custom: serde_json::Map::default(),
    }
}

async fn workspace(store: &Store, name: &str) -> (WorkspaceId, UserId) {
    let ws = store
        .create_workspace(&Caller::system(), name, "Asia/Shanghai")
        .await
        .unwrap()
        .id;
    let m = store
        .add_member(
            &Caller::system(),
            ws,
            NewMember {
                email: &format!("op@{}.cn", ws.0),
                name: "运营",
                role: Role::Operator,
                group: Group::Operations,
                password_hash: Some("x".into()),
            },
        )
        .await
        .unwrap();
    (ws, m.user_id)
}

async fn events(store: &Store, ws: WorkspaceId) -> Vec<String> {
    store
        .list_events(
            ws,
            &EventQuery {
                limit: 200,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

/// One setting, the same guarantee on both engines; `full` is the stricter one.
/// A page read again shows each account as it is now, whoever changed it: an edit and a
/// member's removal made through another store on the same database (another `kox serve`, or
/// the command line) are seen by the first store's next read, with nothing telling it — the
/// row cache checks each row's stamp (PostgreSQL), SQLite reads every row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_read_again_shows_changes_made_by_another_store() {
    for engine in [Engine::Sqlite, Engine::Postgres] {
        let db = TestDb::create(engine).await;
        let a = Store::connect(&db.url).await.unwrap();
        a.migrate(None).await.unwrap();
        let b = Store::connect(&db.url).await.unwrap();
        let (ws, op) = workspace(&a, "星河").await;
        let mut ids = vec![];
        for h in ["r1", "r2", "r3"] {
            let mut d = draft(h);
            d.owner_ids = vec![op];
            ids.push(
                a.create_account(&Caller::person(op), ws, d)
                    .await
                    .unwrap()
                    .id,
            );
        }
        let page = a
            .list_accounts(ws, &AccountFilter::default())
            .await
            .unwrap();
        assert!(
            page.items
                .iter()
                .all(|x| x.owner_ids == vec![op] && x.followers == 3_860_000),
            "{engine:?}"
        );
        let patch = AccountPatch {
            version: 1,
            followers: Some(12),
            ..Default::default()
        };
        b.update_account(&Caller::system(), ws, ids[1], patch)
            .await
            .unwrap();
        let page = a
            .list_accounts(ws, &AccountFilter::default())
            .await
            .unwrap();
        let followers: Vec<i64> = page.items.iter().map(|x| x.followers).collect();
        assert_eq!(followers, vec![3_860_000, 12, 3_860_000], "{engine:?}");
        b.remove_member(&Caller::system(), ws, op).await.unwrap();
        let page = a
            .list_accounts(ws, &AccountFilter::default())
            .await
            .unwrap();
        assert!(
            page.items.iter().all(|x| x.owner_ids.is_empty()),
            "{engine:?}: {:?}",
            page.items
        );
        // Each account in the page is the account read by id.
        for x in &page.items {
            assert_eq!(x, &a.get_account(ws, x.id).await.unwrap(), "{engine:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn durability_sets_what_each_engine_waits_for_on_commit() {
    use kox_store::Durability;
    use kox_store::testing::read_text;
    for engine in [Engine::Sqlite, Engine::Postgres] {
        let db = TestDb::create(engine).await;
        for (d, sqlite, postgres) in [
            (Durability::Normal, "1", "off"),
            (Durability::Full, "2", "on"),
        ] {
            let store = Store::open(&db.url, d).await.unwrap();
            let got = match engine {
                Engine::Sqlite => {
                    read_text(
                        &store,
                        "SELECT CAST(synchronous AS TEXT) FROM pragma_synchronous",
                    )
                    .await
                }
                Engine::Postgres => {
                    read_text(&store, "SELECT current_setting('synchronous_commit')").await
                }
            };
            assert_eq!(
                got,
                if engine == Engine::Sqlite {
                    sqlite
                } else {
                    postgres
                },
                "{engine:?} {d:?}"
            );
        }
        assert_eq!(Store::connect(&db.url).await.unwrap().engine(), engine);
    }
}

store_tests! {
    async fn statistics_exist_after_analyze(store: Store, engine: Engine) {
        use kox_store::testing::read_text;
        let (ws, op) = workspace(&store, "星河").await;
        for i in 0..30 {
            store.create_account(&Caller::person(op), ws, draft(&format!("stat{i}"))).await.unwrap();
        }
        let sql = match engine {
            Engine::Sqlite => "SELECT CAST(COUNT(*) AS TEXT) FROM sqlite_master WHERE name = 'sqlite_stat1'",
            Engine::Postgres => "SELECT CAST(COUNT(*) AS TEXT) FROM pg_stat_user_tables WHERE relname = 'accounts' AND last_analyze IS NOT NULL",
        };
        assert_eq!(read_text(&store, sql).await, "0");
        store.analyze(&["accounts", "account_owners"]).await.unwrap();
        assert_eq!(read_text(&store, sql).await, "1");
        if engine == Engine::Sqlite {
            let rows = read_text(&store, "SELECT CAST(COUNT(*) AS TEXT) FROM sqlite_stat1 WHERE tbl = 'accounts'").await;
            assert_ne!(rows, "0");
        }
    }

    async fn migrating_twice_is_a_no_op_and_records_the_version(store: Store, _engine: Engine) {
        let v = store.schema_version().await.unwrap();
        assert!(v >= 1);
        let again = store.migrate(None).await.unwrap();
        assert!(again.applied.is_empty());
        assert_eq!(again.version, v);
    }

    async fn a_page_carries_its_owners_and_a_remembered_total_follows_every_write(store: Store, _engine: Engine) {
        let (ws, op) = workspace(&store, "星河").await;
        let page = |offset| AccountFilter { page: kox_store::Page { limit: 2, offset }, ..Default::default() };
        for h in ["a1", "a2", "a3"] {
            let mut d = draft(h);
            d.owner_ids = vec![op];
            store.create_account(&Caller::person(op), ws, d).await.unwrap();
        }
        let first = store.list_accounts(ws, &page(0)).await.unwrap();
        assert_eq!((first.total, first.items.len()), (3, 2));
        assert_eq!(first.items[0].owner_ids, vec![op]);
        // Another page of the same filter has the same total; a write moves it at once.
        assert_eq!(store.list_accounts(ws, &page(2)).await.unwrap().total, 3);
        store.create_account(&Caller::person(op), ws, draft("a4")).await.unwrap();
        let after = store.list_accounts(ws, &page(2)).await.unwrap();
        assert_eq!((after.total, after.items.len()), (4, 2));
        assert!(after.items[1].owner_ids.contains(&op));
        assert!(store.list_accounts(ws, &page(0)).await.unwrap().items[0].owner_ids.is_empty());
    }

    async fn a_page_written_as_json_by_the_database_equals_each_account_read_by_id(store: Store, _engine: Engine) {
        use kox_store::accounts::AccountSort;
        let (ws, op) = workspace(&store, "星河").await;
        let other = store
            .add_member(&Caller::system(), ws, NewMember { email: "op2@xinghe.cn", name: "小李", role: Role::Operator, group: Group::Operations, password_hash: Some("x".into()) })
            .await
            .unwrap()
            .user_id;
        for (i, h) in ["b_lily", "a_老王", "c_quote"].into_iter().enumerate() {
            let mut d = draft(h);
            d.followers = [3_860_000, 12_000, 20_000][i];
            d.tags = vec!["新能源".into(), "say \"hi\"\n🚗".into()];
            d.persona = "十年汽车媒体人\t「真实」\\ 测评".into();
            d.profile_url = (i != 1).then(|| format!("https://www.douyin.com/user/{h}"));
            d.owner_ids = if i == 2 { vec![other, op] } else { vec![op] };
            store.create_account(&Caller::person(op), ws, d).await.unwrap();
        }
        for sort in [AccountSort::CreatedDesc, AccountSort::FollowersDesc, AccountSort::FollowersAsc, AccountSort::HandleAsc] {
            let page = store.list_accounts(ws, &AccountFilter { sort, ..Default::default() }).await.unwrap();
            assert_eq!(page.items.len(), 3);
            for a in &page.items {
                assert_eq!(a, &store.get_account(ws, a.id).await.unwrap(), "{sort:?}");
            }
            let handles: Vec<&str> = page.items.iter().map(|a| a.handle.as_str()).collect();
            let want: &[&str] = match sort {
                AccountSort::CreatedDesc => &["c_quote", "a_老王", "b_lily"],
                AccountSort::FollowersDesc => &["b_lily", "c_quote", "a_老王"],
                AccountSort::FollowersAsc => &["a_老王", "c_quote", "b_lily"],
                AccountSort::HandleAsc => &["a_老王", "b_lily", "c_quote"],
            };
            assert_eq!(handles, want, "{sort:?}");
        }
        let mut both = store.list_accounts(ws, &AccountFilter::default()).await.unwrap().items[0].owner_ids.clone();
        both.sort();
        let mut want = vec![op, other];
        want.sort();
        assert_eq!(both, want);
        // The items the API sends are byte for byte what serde writes for each account.
        let raw = store.account_page(ws, &AccountFilter::default()).await.unwrap();
        let items: Vec<&serde_json::value::RawValue> = serde_json::from_str(raw.items_json()).unwrap();
        assert_eq!(items.len(), 3);
        for item in items {
            let a: kox_domain::accounts::Account = serde_json::from_str(item.get()).unwrap();
            let by_id = store.get_account(ws, a.id).await.unwrap();
            assert_eq!(item.get(), serde_json::to_string(&by_id).unwrap());
        }
        // An empty page is an empty list, not an error.
        let empty = store.list_accounts(ws, &AccountFilter { page: kox_store::Page { limit: 10, offset: 50 }, ..Default::default() }).await.unwrap();
        assert!(empty.items.is_empty());
        assert_eq!(empty.total, 3);
    }

    async fn a_deep_page_starting_from_a_remembered_row_is_the_page_an_offset_gives(store: Store, _engine: Engine) {
        use kox_store::accounts::AccountSort;
        let (ws, op) = workspace(&store, "星河").await;
        for i in 0..60 {
            let mut d = draft(&format!("h{:02}", (i * 37) % 60));
            d.followers = (i % 7) * 1000; // ties, so the id decides within them
            store.create_account(&Caller::person(op), ws, d).await.unwrap();
        }
        let handles = |l: kox_store::Listed<kox_domain::accounts::Account>| l.items.into_iter().map(|a| a.handle).collect::<Vec<_>>();
        let mut count = 60;
        for (n, sort) in [AccountSort::CreatedDesc, AccountSort::FollowersDesc, AccountSort::FollowersAsc, AccountSort::HandleAsc].into_iter().enumerate() {
            let f = |offset, limit| AccountFilter { sort, page: kox_store::Page { limit, offset }, ..Default::default() };
            for round in 0..2 {
                // Every page of 5 from the end, twice (the first pass remembers where every 8th
                // row is, the second starts its pages from those rows), then the whole list in
                // one page to compare with.
                let mut pages = vec![];
                for _ in 0..2 {
                    for offset in (0..count).rev() {
                        pages.push((offset, handles(store.list_accounts(ws, &f(offset as u64, 5)).await.unwrap())));
                    }
                }
                let all = handles(store.list_accounts(ws, &f(0, 200)).await.unwrap());
                assert_eq!(all.len(), count);
                for (offset, page) in pages {
                    assert_eq!(page, all[offset..(offset + 5).min(all.len())], "{sort:?} at {offset}, round {round}");
                }
                // A write shifts every position: what was remembered must not be used after it.
                if round == 0 {
                    let mut d = draft(&format!("a_new{n}"));
                    d.followers = 3500;
                    store.create_account(&Caller::person(op), ws, d).await.unwrap();
                    count += 1;
                }
            }
        }
    }

    async fn a_deep_campaign_page_starting_from_a_remembered_row_is_the_page_an_offset_gives(store: Store, _engine: Engine) {
        use kox_domain::campaigns::{CampaignDraft, CampaignStatus, Fen};
        use kox_store::campaigns::CampaignFilter;
        let (ws, _) = workspace(&store, "星河").await;
        let create = |i: u32| {
            let store = store.clone();
            async move {
                // Several campaigns share a start day, so the id decides within it.
                let starts_on = chrono::NaiveDate::from_ymd_opt(2026, 1 + (i * 7) % 12, 1 + i % 3).unwrap();
                let d = CampaignDraft {
                    name: format!("星河S7 第{i}波"),
                    theme: String::new(),
                    starts_on,
                    ends_on: starts_on + Duration::days(30),
                    budget_fen: Fen(0),
                    budget_by_tier: std::collections::BTreeMap::default(),
                    currency: "CNY".into(),
                    required_hashtags: vec![],
                    embargo_at: None,
                    target_kpis: String::new(),
                    status: CampaignStatus::default(),
                    custom: serde_json::Map::default(),
                };
                store.create_campaign(&Caller::system(), ws, d).await.unwrap();
            }
        };
        for i in 0..40 {
            create(i).await;
        }
        let f = |offset, limit| CampaignFilter { page: kox_store::Page { limit, offset }, ..Default::default() };
        let names = |l: kox_store::Listed<kox_domain::campaigns::Campaign>| l.items.into_iter().map(|c| c.name).collect::<Vec<_>>();
        for round in 0..2 {
            let mut pages = vec![];
            for _ in 0..2 {
                for offset in (0..40 + round).rev() {
                    pages.push((offset, names(store.list_campaigns(ws, &f(offset as u64, 4)).await.unwrap())));
                }
            }
            let all = names(store.list_campaigns(ws, &f(0, 200)).await.unwrap());
            assert_eq!(all.len(), 40 + round);
            for (offset, page) in pages {
                assert_eq!(page, all[offset..(offset + 4).min(all.len())], "at {offset}, round {round}");
            }
            if round == 0 {
                create(40).await;
            }
        }
    }

    async fn every_write_records_its_event_and_a_refused_write_records_none(store: Store, _engine: Engine) {
        let (ws, op) = workspace(&store, "星河").await;
        let mut d = draft("laowang");
        d.owner_ids = vec![op];
        let a = store.create_account(&Caller::person(op), ws, d.clone()).await.unwrap();
        let before = events(&store, ws).await;
        assert_eq!(before[0], "account.created");
        let dup = store.create_account(&Caller::person(op), ws, d).await.unwrap_err();
        assert!(matches!(dup, StoreError::Conflict { code: "accounts.handle_taken", .. }), "{dup:?}");
        assert_eq!(events(&store, ws).await, before);
        let patch = AccountPatch { version: 1, followers: Some(4_000_000), ..Default::default() };
        let up = store.update_account(&Caller::member(op, Role::Operator), ws, a.id, patch).await.unwrap();
        assert_eq!(up.version, 2);
        let feed = store.list_events(ws, &EventQuery { entity: Some(("account".into(), a.id.0)), limit: 10, ..Default::default() }).await.unwrap();
        assert_eq!(feed[0].before, Some(serde_json::json!({"followers": 3_860_000})));
        assert_eq!(feed[0].after, Some(serde_json::json!({"followers": 4_000_000})));
        assert_eq!(feed[0].actor_id, Some(op));
    }

    async fn a_conditional_write_by_a_non_owner_is_forbidden_and_changes_nothing(store: Store, _engine: Engine) {
        let (ws, op) = workspace(&store, "星河").await;
        let a = store.create_account(&Caller::system(), ws, draft("laowang")).await.unwrap();
        let patch = AccountPatch { version: 1, followers: Some(1), ..Default::default() };
        assert!(matches!(store.update_account(&Caller::member(op, Role::Operator), ws, a.id, patch).await, Err(StoreError::Forbidden)));
        assert_eq!(store.get_account(ws, a.id).await.unwrap().followers, 3_860_000);
    }

    async fn workspaces_never_see_each_others_rows(store: Store, _engine: Engine) {
        let (a, _) = workspace(&store, "品牌甲").await;
        let (b, _) = workspace(&store, "品牌乙").await;
        let acc = store.create_account(&Caller::system(), a, draft("same_handle")).await.unwrap();
        // The same handle is free in another workspace.
        store.create_account(&Caller::system(), b, draft("same_handle")).await.unwrap();
        assert_eq!(store.list_accounts(a, &AccountFilter::default()).await.unwrap().total, 1);
        assert!(matches!(store.get_account(b, acc.id).await, Err(StoreError::NotFound)));
        let patch = AccountPatch { version: 1, followers: Some(1), ..Default::default() };
        assert!(matches!(store.update_account(&Caller::system(), b, acc.id, patch).await, Err(StoreError::NotFound)));
        assert_eq!(store.list_members(a).await.unwrap().len(), 1);
        assert!(store.membership(b, store.list_members(a).await.unwrap()[0].user_id).await.unwrap().is_none());
    }

    async fn thirty_two_concurrent_writers_never_see_database_is_locked(store: Store, _engine: Engine) {
        let (ws, op) = workspace(&store, "星河").await;
        let tasks: Vec<_> = (0..32)
            .map(|i| {
                let store = store.clone();
                tokio::spawn(async move {
                    let mut d = draft(&format!("writer_{i}"));
                    d.owner_ids = vec![op];
                    store.create_account(&Caller::person(op), ws, d).await
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let o = store.matrix_overview(ws).await.unwrap();
        assert_eq!(o.totals.accounts, 32);
        assert_eq!(o.by_operator[0].accounts, 32);
    }

    async fn only_changes_to_credentials_and_memberships_move_the_access_generation(store: Store, _engine: Engine) {
        let (ws, op) = workspace(&store, "星河").await;
        let director = Caller::member(op, Role::Director);
        let (a, g) = (store.access_generation(), store.generation());
        // The matrix and the board: writes that leave who may do what alone.
        let acc = store.create_account(&Caller::system(), ws, draft("gen_a")).await.unwrap();
        store.update_account(&Caller::system(), ws, acc.id, AccountPatch { version: 1, followers: Some(1), ..Default::default() }).await.unwrap();
        let topic = serde_json::from_value(serde_json::json!({"title": "选题", "body": ""})).unwrap();
        let item = store.create_content(&director, ws, topic).await.unwrap();
        store.move_content(&director, ws, item.id, kox_domain::content::Stage::Cancelled, None).await.unwrap();
        assert!(store.generation() >= g + 4);
        assert_eq!(store.access_generation(), a);
        // A token, a session, a role, a password: each moves it.
        let moved = |before: u64| store.access_generation() > before;
        let a = store.access_generation();
        let t = store.create_token(&Caller::person(op), op, "脚本", "h1".into()).await.unwrap();
        assert!(moved(a));
        let a = store.access_generation();
        store.revoke_token(&Caller::person(op), op, t.id).await.unwrap();
        assert!(moved(a));
        let a = store.access_generation();
        let s = store.create_session(NewSession {
            token_hash: "s1".into(), user_id: op, csrf_token: "c".into(), user_agent: "t".into(), ip: "127.0.0.1".into(), expires_at: Utc::now() + Duration::days(1),
        }).await.unwrap();
        store.delete_session(op, s.id).await.unwrap();
        assert!(moved(a));
        let a = store.access_generation();
        store.update_member(&Caller::system(), ws, op, Some(Role::Viewer), None).await.unwrap();
        assert!(moved(a));
        let a = store.access_generation();
        store.set_password_hash(&Caller::person(op), op, "y".into(), None).await.unwrap();
        assert!(moved(a));
    }

    async fn expired_and_idle_sessions_are_purged(store: Store, _engine: Engine) {
        let (_, op) = workspace(&store, "星河").await;
        let new = |hash: &str, expires| NewSession {
            token_hash: hash.into(), user_id: op, csrf_token: "c".into(), user_agent: "t".into(), ip: "127.0.0.1".into(), expires_at: expires,
        };
        store.create_session(new("live", Utc::now() + Duration::days(1))).await.unwrap();
        store.create_session(new("expired", Utc::now() - Duration::seconds(1))).await.unwrap();
        let idle = store.create_session(new("idle", Utc::now() + Duration::days(1))).await.unwrap();
        store.touch_session(idle.id, Utc::now() - Duration::days(8)).await.unwrap();
        assert_eq!(store.purge_sessions(Duration::days(7)).await.unwrap(), 2);
        assert!(store.find_session("live").await.unwrap().is_some());
        assert!(store.find_session("idle").await.unwrap().is_none());
        assert_eq!(store.list_sessions(op, None, Duration::days(7)).await.unwrap().len(), 1);
    }

    async fn a_backup_is_a_readable_copy_on_sqlite_and_a_pointer_to_pg_dump_on_postgres(store: Store, engine: Engine) {
        let (ws, _) = workspace(&store, "星河").await;
        store.create_account(&Caller::system(), ws, draft("backed_up")).await.unwrap();
        let dir = std::env::temp_dir().join(format!("kox-backup-test-{}-{}", std::process::id(), ws.0));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("copy.db");
        let res = store.backup_to(&file).await;
        match engine {
            Engine::Sqlite => {
                res.unwrap();
                let copy = Store::connect(&format!("sqlite://{}", file.display())).await.unwrap();
                assert_eq!(copy.list_accounts(ws, &AccountFilter::default()).await.unwrap().items[0].handle, "backed_up");
                assert!(store.backup_to(&file).await.is_err(), "an existing file is never overwritten");
            }
            Engine::Postgres => assert!(res.unwrap_err().to_string().contains("pg_dump")),
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
mod calendar;
mod content;
mod imports;
mod jobs;
mod metrics;
