//! Connections. SQLite gets exactly one writer connection (every write transaction starts
//! with BEGIN IMMEDIATE) and a small read pool, in WAL mode with busy_timeout set first;
//! PostgreSQL gets one pool for both.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sea_orm::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbBackend, SqliteTransactionMode,
    SqlxPostgresConnector, SqlxSqliteConnector, TransactionOptions, TransactionTrait,
};

use crate::{Result, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// What a commit waits for before it is acknowledged. One setting for both engines, so that a
/// team moving from SQLite to PostgreSQL keeps the guarantee it had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// A commit survives a crash of KOX or of the database server; the last moments of
    /// commits may be lost if the machine itself loses power. SQLite `synchronous=NORMAL` in
    /// WAL mode, PostgreSQL `synchronous_commit=off` (never corrupts, at most about three
    /// `wal_writer_delay` of commits lost on power loss). The default: it keeps a commit off
    /// the disk's flush latency (about 1.5 ms per commit on an ordinary SSD).
    #[default]
    Normal,
    /// A commit is acknowledged only after it is flushed to disk: SQLite `synchronous=FULL`,
    /// PostgreSQL `synchronous_commit=on`.
    Full,
}

impl FromStr for Durability {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "normal" => Ok(Durability::Normal),
            "full" => Ok(Durability::Full),
            _ => Err(format!(
                "durability must be \"normal\" or \"full\", not {s:?}"
            )),
        }
    }
}

#[derive(Clone)]
pub struct Store {
    pub(crate) write: DatabaseConnection,
    pub(crate) read: DatabaseConnection,
    engine: Engine,
    /// Bumped after every committed change made through this store; read caches compare it.
    generation: Arc<std::sync::atomic::AtomicU64>,
    /// Bumped with `generation` by the changes that may change who is signed in or what role
    /// they hold (`auth::depends_on`); the caches of credentials and memberships compare it.
    access_generation: Arc<std::sync::atomic::AtomicU64>,
    /// The SQLite file, for backups; `None` on PostgreSQL.
    sqlite_path: Option<std::path::PathBuf>,
    /// Tells waiting event streams that something was committed (carries the generation).
    changes: Arc<tokio::sync::watch::Sender<u64>>,
    /// Tells the job workers that a job was queued (here, or on another node: `job` notices).
    job_wakes: Arc<tokio::sync::watch::Sender<u64>>,
    /// Red lines, board settings and platform limits per workspace.
    pub(crate) config: Arc<crate::config::ConfigCache>,
    /// List totals and page anchors per generation.
    pub(crate) lists: Arc<crate::lists::Lists>,
    /// Rows' API JSON by stamp, for pages read as rows (PostgreSQL).
    pub(crate) rows: Arc<crate::rows::RowJson>,
    /// Uploaded files (`files`).
    pub(crate) files: Arc<crate::files::Files>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("engine", &self.engine)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens `sqlite://path` or `postgres://…` with the default durability. Creates the SQLite
    /// file and its folder if missing.
    pub async fn connect(url: &str) -> Result<Store> {
        Self::open(url, Durability::default()).await
    }

    /// [`Store::connect`] with a chosen [`Durability`].
    pub async fn open(url: &str, durability: Durability) -> Result<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)
                .map_err(|e| other(format!("{}: {e}", redact(url))))?
                .options([(
                    "synchronous_commit",
                    match durability {
                        Durability::Normal => "off",
                        Durability::Full => "on",
                    },
                )]);
            // No ping before each use (sqlx's default): it doubles the round trips of every
            // query; a connection that broke is retired by the error it causes and by
            // max_lifetime.
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .test_before_acquire(false)
                .max_lifetime(Duration::from_mins(30))
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await
                .map_err(|e| {
                    StoreError::Other(sea_orm::DbErr::Conn(sea_orm::RuntimeErr::Internal(
                        e.to_string(),
                    )))
                })?;
            let conn = SqlxPostgresConnector::from_sqlx_postgres_pool(pool);
            return Ok(Store {
                write: conn.clone(),
                read: conn,
                engine: Engine::Postgres,
                generation: Arc::default(),
                access_generation: Arc::default(),
                sqlite_path: None,
                changes: Arc::new(tokio::sync::watch::channel(0).0),
                job_wakes: Arc::new(tokio::sync::watch::channel(0).0),
                config: Arc::default(),
                lists: Arc::default(),
                rows: Arc::default(),
                files: Arc::new(crate::files::Files::new(
                    std::env::temp_dir().join("kox-files"),
                )),
            });
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or_else(|| {
                other(format!(
                    "unsupported database URL (use sqlite://FILE or postgres://…): {}",
                    redact(url)
                ))
            })?;
        let path = std::path::PathBuf::from(path.split('?').next().unwrap_or(path));
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| other(format!("cannot create {}: {e}", dir.display())))?;
        }
        owner_only(&path)?;
        let opts = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
            .map_err(|e| other(e.to_string()))?
            // busy_timeout first: every later pragma may itself wait on a lock.
            .busy_timeout(Duration::from_secs(10))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match durability {
                Durability::Normal => SqliteSynchronous::Normal,
                Durability::Full => SqliteSynchronous::Full,
            })
            .foreign_keys(true)
            .pragma("cache_size", "-16000")
            // A multi-row write's statement journal in memory, not in a temporary file (a
            // metric import's chunk spent a sixth of its time writing one).
            .pragma("temp_store", "memory");
        // A SQLite connection is a file handle in this process: nothing to ping before use
        // (sqlx's default ping would cost a thread hand-off per query).
        let writer = SqlitePoolOptions::new()
            .test_before_acquire(false)
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts.clone())
            .await
            .map_err(|e| other(e.to_string()))?;
        let reader = SqlitePoolOptions::new()
            .test_before_acquire(false)
            .max_connections(4)
            .idle_timeout(None)
            .max_lifetime(None)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts.read_only(true).pragma("cache_size", "-4000"))
            .await
            .map_err(|e| other(e.to_string()))?;
        Ok(Store {
            write: SqlxSqliteConnector::from_sqlx_sqlite_pool(writer),
            read: SqlxSqliteConnector::from_sqlx_sqlite_pool(reader),
            engine: Engine::Sqlite,
            generation: Arc::default(),
            access_generation: Arc::default(),
            files: Arc::new(crate::files::Files::new(
                path.parent()
                    .map_or_else(|| "files".into(), |d| d.join("files")),
            )),
            sqlite_path: Some(path),
            changes: Arc::new(tokio::sync::watch::channel(0).0),
            job_wakes: Arc::new(tokio::sync::watch::channel(0).0),
            config: Arc::default(),
            lists: Arc::default(),
            rows: Arc::default(),
        })
    }

    /// Changes with every committed write of this process (see `commit`). A cached read taken at
    /// one generation is current as long as the generation has not moved — for this process's
    /// writes; other processes' writes are bounded by the caller's time-to-live.
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Like `generation`, but moved only by changes that may change a credential or a
    /// membership (`auth::depends_on`), and by any change whose kind is not known: what the
    /// server's caches of who is calling compare, so that the writes of a busy board do not
    /// send every request's sign-in and membership back to the database.
    pub fn access_generation(&self) -> u64 {
        self.access_generation
            .load(std::sync::atomic::Ordering::Acquire)
    }

    /// Commits a write transaction and moves the generation, after the commit so that no reader
    /// can cache pre-commit data under the new generation. A transaction that recorded a change
    /// to something the workspace configuration cache holds invalidates it (see `Tx`).
    pub(crate) async fn commit(&self, txn: Tx) -> Result<()> {
        let config_changed = txn
            .config_changed
            .load(std::sync::atomic::Ordering::Acquire);
        let access = txn.access.load(std::sync::atomic::Ordering::Acquire) != ONLY_OTHER_KINDS;
        let jobs = txn.jobs_queued.load(std::sync::atomic::Ordering::Acquire);
        txn.inner.commit().await?;
        if config_changed {
            self.config.invalidate();
        }
        self.moved(access);
        if jobs {
            self.wake_jobs();
        }
        Ok(())
    }

    /// Wakes this process's job workers (a job was queued or became due).
    pub(crate) fn wake_jobs(&self) {
        self.job_wakes.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Resolves when a job is queued after the call, by this process or (PostgreSQL, with
    /// `listen_for_changes`) another node: what a job worker waits on besides its timer.
    pub fn subscribe_jobs(&self) -> tokio::sync::watch::Receiver<u64> {
        self.job_wakes.subscribe()
    }

    /// Moves the generations after a change committed outside `commit` (single-statement
    /// writes), of any kind.
    pub(crate) fn bump(&self) {
        self.moved(true);
    }

    /// Moves the generation after a committed change of one kind (an event's `entity_type`).
    pub(crate) fn bump_for(&self, entity_type: &str) {
        self.moved(crate::auth::depends_on(entity_type));
    }

    fn moved(&self, access: bool) {
        // The access generation first: a reader that sees the new generation sees it too.
        if access {
            self.access_generation
                .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        }
        let g = self
            .generation
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        self.changes.send_replace(g + 1);
    }

    /// Resolves whenever a change is committed after the call (by this process, or by another
    /// node when `listen_for_changes` runs). Wakes are coalesced: a slow reader sees one wake
    /// for many commits and reads everything new.
    pub fn subscribe_changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// On PostgreSQL, listens for commits of other `kox serve` instances sharing the database
    /// and wakes this one's event streams and caches. Returns at once; the listener runs until
    /// the process ends and reconnects after errors. Does nothing on SQLite (one process).
    pub fn listen_for_changes(&self) {
        if self.engine != Engine::Postgres {
            return;
        }
        let store = self.clone();
        tokio::spawn(async move {
            loop {
                let pool = store.write.get_postgres_connection_pool().clone();
                match sea_orm::sqlx::postgres::PgListener::connect_with(&pool).await {
                    Ok(mut listener) => match listener.listen(crate::events::CHANNEL).await {
                        Ok(()) => {
                            // Anything may have happened while we were not listening.
                            store.config.invalidate();
                            store.bump();
                            store.wake_jobs();
                            while let Ok(n) = listener.recv().await {
                                let entity = n.payload().split_once(':').map_or("", |p| p.1);
                                if entity == crate::jobs::JOB_NOTICE {
                                    store.wake_jobs();
                                    continue;
                                }
                                if crate::config::depends_on(entity) {
                                    store.config.invalidate();
                                }
                                store.bump_for(entity);
                            }
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "cannot LISTEN for other nodes' changes");
                        }
                    },
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot connect to LISTEN for other nodes' changes");
                    }
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub(crate) fn backend(&self) -> DbBackend {
        match self.engine {
            Engine::Sqlite => DbBackend::Sqlite,
            Engine::Postgres => DbBackend::Postgres,
        }
    }

    /// Where uploaded files are kept (default: `files/` beside the SQLite file; on PostgreSQL
    /// the command line sets the data directory's).
    pub fn set_files_dir(&self, dir: std::path::PathBuf) {
        self.files.set_root(dir);
    }

    pub fn sqlite_path(&self) -> Option<&std::path::Path> {
        self.sqlite_path.as_deref()
    }

    /// A write transaction. On SQLite it takes the write lock up front (BEGIN IMMEDIATE), so a
    /// transaction never upgrades from read to write halfway and hits "database is locked".
    pub(crate) async fn begin(&self) -> Result<Tx> {
        let opts = TransactionOptions {
            isolation_level: None,
            // Not `READ WRITE`: it is PostgreSQL's default, and sea-orm sends it as a second
            // round trip (`SET TRANSACTION`) after the `BEGIN` of every write.
            access_mode: None,
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate)
                .filter(|_| self.engine == Engine::Sqlite),
        };
        Ok(Tx {
            inner: self.write.begin_with_options(opts).await?,
            config_changed: std::sync::atomic::AtomicBool::new(false),
            access: std::sync::atomic::AtomicU8::new(NOTHING_NOTED),
            jobs_queued: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// A write that needs nothing from the database between its statements (a create), as one
    /// atomic unit in one round trip: on SQLite one call on the writer (`sqlite_atomic`); on
    /// PostgreSQL one statement (`dialect::batch_statement`) outside any transaction block, which
    /// PostgreSQL commits by itself. Returns the rows the batch produced; `entity_type` is what
    /// it changes (caches).
    pub(crate) async fn write_atomic(
        &self,
        entity_type: &str,
        batch: crate::dialect::Batch,
    ) -> Result<Vec<sea_orm::QueryResult>> {
        let rows = if crate::dialect::one_call_writes(self.engine) {
            self.sqlite_atomic(batch).await?
        } else {
            sea_orm::ConnectionTrait::query_all_raw(
                &self.write,
                crate::dialect::batch_statement(self.engine, batch),
            )
            .await?
        };
        if crate::config::depends_on(entity_type) {
            self.config.invalidate();
        }
        self.bump_for(entity_type);
        Ok(rows)
    }

    /// SQLite only: `BEGIN IMMEDIATE; <statements>; COMMIT` as one call on the writer connection,
    /// rolled back if any statement fails, returning the rows the statements produced. A write
    /// that needs nothing from the database between its statements (a create) then costs one
    /// hand-off to the connection's thread instead of one per statement.
    async fn sqlite_atomic(
        &self,
        batch: Vec<(String, Vec<sea_orm::Value>)>,
    ) -> Result<Vec<sea_orm::QueryResult>> {
        use sea_orm::sqlx;
        let (body, values) = crate::dialect::joined(batch);
        let sql = format!("BEGIN IMMEDIATE;\n{body};\nCOMMIT");
        let pool = self.write.get_sqlite_connection_pool();
        let mut conn = pool.acquire().await.map_err(sqlx_error)?;
        let res = sqlx::query_with(
            sqlx::AssertSqlSafe(sql),
            sea_query_sqlx::SqlxValues(sea_orm::sea_query::Values(values)),
        )
        .fetch_all(&mut *conn)
        .await;
        match res {
            Ok(rows) => Ok(rows.into_iter().map(sea_orm::QueryResult::from).collect()),
            Err(e) => {
                // The statements after the failing one did not run; the transaction is open.
                if let Err(r) = sqlx::query("ROLLBACK").execute(&mut *conn).await {
                    tracing::warn!(error = %r, "rollback after a failed batch");
                }
                Err(sqlx_error(e))
            }
        }
    }

    /// Refreshes the planner's statistics of `tables` after a bulk load into them (the demo's
    /// accounts, an import): until they exist the planner guesses, and PostgreSQL without
    /// autovacuum (or before its first pass) sorted the whole accounts table to serve one page
    /// of it. Only the tables a load filled: statistics taken of a table that is still nearly
    /// empty and grows afterwards mislead the planner more than none (measured on the board:
    /// 64 ms instead of 40 ms after 2,000 items were added to a 22-item table analysed first).
    pub async fn analyze(&self, tables: &[&str]) -> Result<()> {
        use sea_orm::ConnectionTrait;
        for t in tables {
            if !t.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                return Err(other(format!("not a table name: {t:?}")));
            }
            self.write
                .execute_unprepared(&format!("ANALYZE {t}"))
                .await?;
        }
        Ok(())
    }

    /// A consistent online copy of the SQLite database (`VACUUM INTO`). PostgreSQL deployments
    /// use `pg_dump`, which knows far more about their setup than we could.
    pub async fn backup_to(&self, target: &std::path::Path) -> Result<()> {
        use sea_orm::ConnectionTrait;
        match self.engine {
            Engine::Postgres => Err(other(
                "backups of a PostgreSQL database are made with pg_dump, e.g. `pg_dump -Fc \"$KOX_DATABASE_URL\" > kox.dump`".into(),
            )),
            Engine::Sqlite => {
                if target.exists() {
                    return Err(other(format!("{} already exists; choose a new file", target.display())));
                }
                // An empty file of the owner's only: VACUUM INTO writes into it.
                owner_only(target)?;
                let stmt = sea_orm::Statement::from_sql_and_values(
                    DbBackend::Sqlite,
                    "VACUUM INTO ?",
                    [target.display().to_string().into()],
                );
                self.write.execute_raw(stmt).await?;
                Ok(())
            }
        }
    }
}

/// Creates `path` if it is missing, and leaves it readable and writable by its owner only: the
/// database holds password hashes, sessions and people's data. SQLite gives the database's
/// `-wal` and `-shm` files the database file's mode.
fn owner_only(path: &std::path::Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)
            .and_then(|_| std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)))
            .map_err(|e| other(format!("cannot create {}: {e}", path.display())))?;
    }
    Ok(())
}

/// An error of a statement sent through sqlx directly (the one-call write paths), as sea-orm
/// would have reported it, so that the store reads it the same way (constraint names, codes).
fn sqlx_error(e: sea_orm::sqlx::Error) -> StoreError {
    StoreError::from(sea_orm::DbErr::Query(sea_orm::RuntimeErr::SqlxError(
        e.into(),
    )))
}

/// A write transaction of this store. Every change records its event through it (`events::record`),
/// and it remembers whether one of them is about something the per-workspace configuration
/// cache holds, so that committing it invalidates the cache, and whether all of them are of
/// kinds that leave credentials and memberships alone (`auth::depends_on`), so that committing
/// it keeps the access generation: invalidation follows from the events a write records, never
/// from a call someone has to remember. A transaction that noted nothing counts as a change
/// to access.
pub(crate) struct Tx {
    inner: DatabaseTransaction,
    config_changed: std::sync::atomic::AtomicBool,
    /// `NOTHING_NOTED`, `ONLY_OTHER_KINDS` or `ACCESS_NOTED`.
    access: std::sync::atomic::AtomicU8,
    /// A job was queued: committing wakes the workers.
    pub(crate) jobs_queued: std::sync::atomic::AtomicBool,
}

const NOTHING_NOTED: u8 = 0;
const ONLY_OTHER_KINDS: u8 = 1;
const ACCESS_NOTED: u8 = 2;

impl Tx {
    /// Called for every event recorded in this transaction.
    pub(crate) fn note_change(&self, entity_type: &str) {
        use std::sync::atomic::Ordering;
        if crate::config::depends_on(entity_type) {
            self.config_changed.store(true, Ordering::Release);
        }
        if crate::auth::depends_on(entity_type) {
            self.access.store(ACCESS_NOTED, Ordering::Release);
        } else {
            let _ = self.access.compare_exchange(
                NOTHING_NOTED,
                ONLY_OTHER_KINDS,
                Ordering::AcqRel,
                Ordering::Acquire,
            );
        }
    }
}

// Delegation only: a `Tx` runs queries exactly as the transaction it wraps.
#[async_trait::async_trait]
impl sea_orm::ConnectionTrait for Tx {
    fn get_database_backend(&self) -> DbBackend {
        self.inner.get_database_backend()
    }
    async fn execute_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> std::result::Result<sea_orm::ExecResult, sea_orm::DbErr> {
        self.inner.execute_raw(stmt).await
    }
    async fn execute_unprepared(
        &self,
        sql: &str,
    ) -> std::result::Result<sea_orm::ExecResult, sea_orm::DbErr> {
        self.inner.execute_unprepared(sql).await
    }
    async fn query_one_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> std::result::Result<Option<sea_orm::QueryResult>, sea_orm::DbErr> {
        self.inner.query_one_raw(stmt).await
    }
    async fn query_all_raw(
        &self,
        stmt: sea_orm::Statement,
    ) -> std::result::Result<Vec<sea_orm::QueryResult>, sea_orm::DbErr> {
        self.inner.query_all_raw(stmt).await
    }
}

pub(crate) fn other(msg: String) -> StoreError {
    StoreError::Other(sea_orm::DbErr::Custom(msg))
}

/// Hides the password of a database URL for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}://{user}:***@{}", &url[..s], &url[at + 1..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_urls_are_printed_without_their_password() {
        assert_eq!(
            super::redact("postgres://kox:s3cret@db:5432/kox"),
            "postgres://kox:***@db:5432/kox"
        );
        assert_eq!(
            super::redact("sqlite://./data/kox.db"),
            "sqlite://./data/kox.db"
        );
    }
}
