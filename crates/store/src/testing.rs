//! Test support: a fresh, migrated database per test on either engine. SQLite gets a new file
//! in the temp folder; PostgreSQL a new database on the server named by `KOX_TEST_PG_URL`
//! (default: the local `test` database), dropped again when the guard goes.

use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::{ConnectionTrait, Database};

use crate::{Engine, Store};

static SEQ: AtomicU64 = AtomicU64::new(0);

pub fn pg_admin_url() -> String {
    std::env::var("KOX_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// Owns the test database; dropping it removes the file or the PostgreSQL database.
pub struct TestDb {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Database(String),
}

fn unique_name() -> String {
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("kox_t_{}_{}_{}", std::process::id(), t % 1_000_000_000, n)
}

impl TestDb {
    /// Creates an empty database (not yet migrated).
    pub async fn create(engine: Engine) -> TestDb {
        let name = unique_name();
        match engine {
            Engine::Sqlite => {
                let dir = std::env::temp_dir().join(&name);
                std::fs::create_dir_all(&dir).expect("temp dir is writable");
                let file = dir.join("kox.db");
                TestDb {
                    url: format!("sqlite://{}", file.display()),
                    cleanup: Cleanup::File(dir),
                }
            }
            Engine::Postgres => {
                let admin_url = pg_admin_url();
                let admin = Database::connect(&admin_url)
                    .await
                    .expect("PostgreSQL for tests is reachable (KOX_TEST_PG_URL)");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("can create a test database");
                admin.close().await.ok();
                let base = admin_url
                    .rsplit_once('/')
                    .map_or(admin_url.as_str(), |(b, _)| b)
                    .to_owned();
                TestDb {
                    url: format!("{base}/{name}"),
                    cleanup: Cleanup::Database(name),
                }
            }
        }
    }

    /// A fresh, migrated store and its guard.
    pub async fn store(engine: Engine) -> (Store, TestDb) {
        let db = TestDb::create(engine).await;
        let store = Store::connect(&db.url).await.expect("test database opens");
        store.migrate(None).await.expect("migrations apply");
        (store, db)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Database(name) => {
                let name = name.clone();
                // Drop runs inside the test's runtime; a separate thread with its own runtime
                // can block on the DROP without stalling it.
                let _ = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    else {
                        return;
                    };
                    rt.block_on(async {
                        if let Ok(admin) = Database::connect(&pg_admin_url()).await {
                            let _ = admin
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                                ))
                                .await;
                            let _ = admin.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// The first column of the first row of `sql` (which must yield text), read through the
/// store's own connections: how they were set up, what the database holds beyond the API.
pub async fn read_text(store: &Store, sql: &str) -> String {
    let row = store
        .write
        .query_one_raw(sea_orm::Statement::from_string(
            store.write.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("the test's query runs")
        .expect("the test's query yields a row");
    row.try_get_by_index::<String>(0)
        .expect("the first column is text")
}

/// Runs `sql` through the store's writer: a test changing what the database holds behind the
/// store's back (e.g. rows an older KOX did not write).
pub async fn execute(store: &Store, sql: &str) {
    store
        .write
        .execute_raw(sea_orm::Statement::from_string(
            store.write.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("the test's statement runs");
}

/// Queues `n` jobs of `kind` in `ws`, due at `run_at`, in one transaction (each with a new key),
/// as a change would through the outbox: what the queue's tests claim. Returns their ids.
pub async fn enqueue_jobs(
    store: &Store,
    ws: kox_domain::WorkspaceId,
    kind: kox_domain::jobs::JobKind,
    n: usize,
    run_at: chrono::DateTime<chrono::Utc>,
) -> Vec<i64> {
    let jobs: Vec<crate::jobs::NewJob> = (0..n)
        .map(|i| crate::jobs::NewJob {
            kind,
            payload: serde_json::json!({ "n": i }),
            run_at,
            key: format!("test:{}", SEQ.fetch_add(1, Ordering::Relaxed)),
        })
        .collect();
    let txn = store.begin().await.expect("a write transaction opens");
    let ids = crate::jobs::enqueue_many(&txn, ws, &jobs)
        .await
        .expect("the jobs are written");
    store.commit(txn).await.expect("the jobs commit");
    ids
}
