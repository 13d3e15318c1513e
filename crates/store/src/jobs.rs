//! The durable job queue. A job is written in the transaction of the change that needs it (the
//! outbox: a rolled-back change leaves no job, a committed one cannot lose it), claimed by a
//! worker with a lease, and finished, retried with back-off or declared dead. Claiming takes
//! due jobs and jobs whose lease ran out in one statement: on PostgreSQL the candidates are
//! locked `FOR UPDATE SKIP LOCKED`, so any number of `kox serve` share the queue and each job
//! runs once per attempt; on SQLite the one writer connection serialises claims. Committing a
//! transaction that queued a job wakes the workers (`Store::subscribe_jobs`; other nodes hear
//! a `job` notice), so nothing polls busily.

use chrono::{DateTime, Utc};
use kox_domain::WorkspaceId;
use kox_domain::jobs::{Job, JobKind, JobState};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect, Value as DbValue,
};
use serde_json::Value;

use crate::db::Tx;
use crate::dialect::{self, engine_of, stmt};
use crate::entities::{delivery, job};
use crate::error::invalid;
use crate::scoped;
use crate::{Engine, Result, Store, StoreError};

/// The entity name of the notice another node hears when a job is queued.
pub(crate) const JOB_NOTICE: &str = "job";

/// A job to write: `key` is unique in the workspace (the same reminder is scheduled once).
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: JobKind,
    pub payload: Value,
    pub run_at: DateTime<Utc>,
    pub key: String,
}

/// A job a worker holds: run it, then `finish_jobs`.
#[derive(Debug, Clone, PartialEq)]
pub struct Claimed {
    pub id: i64,
    pub workspace_id: WorkspaceId,
    pub kind: Option<JobKind>,
    pub payload: Value,
    /// This attempt's number (1 for the first).
    pub attempt: u32,
    pub max_attempts: u32,
    pub key: String,
}

/// What became of a claimed job.
#[derive(Debug, Clone, PartialEq)]
pub enum Finish {
    Done,
    /// Queued again for `at`, with the reason.
    Retry {
        at: DateTime<Utc>,
        error: String,
    },
    /// No more attempts (or a failure no retry can fix).
    Dead(String),
}

/// A finished job and, for a delivery, its record's new state.
#[derive(Debug, Clone)]
pub struct Finished {
    pub job: i64,
    pub finish: Finish,
    pub delivery: Option<DeliveryUpdate>,
}

/// A delivery record after an attempt: its status, the attempts so far (the whole list), the
/// next attempt's time.
#[derive(Debug, Clone)]
pub struct DeliveryUpdate {
    pub id: i64,
    pub status: kox_domain::notifications::DeliveryStatus,
    pub attempts: Vec<kox_domain::notifications::Attempt>,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

fn to_job(m: job::Model) -> Job {
    Job {
        id: m.id,
        kind: JobKind::parse(&m.kind).unwrap_or(JobKind::Deliver),
        state: JobState::parse(&m.state).unwrap_or(JobState::Dead),
        run_at: m.run_at,
        attempts: m.attempts.max(0) as u32,
        max_attempts: m.max_attempts.max(0) as u32,
        last_error: m.last_error,
        idempotency_key: m.idempotency_key,
        lease_owner: m.lease_owner,
        lease_until: m.lease_until,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// Writes a job in the caller's transaction; a job of the same key that is not running is
/// replaced (rescheduled: queued again for the new time with its attempts reset). Returns the
/// job's id.
pub(crate) async fn schedule(txn: &Tx, ws: WorkspaceId, job: &NewJob) -> Result<i64> {
    let now = Utc::now();
    let engine = engine_of(txn);
    let values: Vec<DbValue> = vec![
        ws.0.into(),
        job.kind.as_str().into(),
        job.payload.clone().into(),
        JobState::Queued.as_str().into(),
        job.run_at.into(),
        i32::try_from(job.kind.max_attempts()).unwrap_or(5).into(),
        job.key.clone().into(),
        now.into(),
        now.into(),
    ];
    let payload = match engine {
        Engine::Sqlite => "?",
        Engine::Postgres => "CAST(? AS JSONB)",
    };
    let sql = format!(
        "INSERT INTO jobs (workspace_id, kind, payload, state, run_at, attempts, max_attempts, \
         idempotency_key, created_at, updated_at) VALUES (?, ?, {payload}, ?, ?, 0, ?, ?, ?, ?) \
         ON CONFLICT (workspace_id, idempotency_key) DO UPDATE SET payload = excluded.payload, \
         run_at = excluded.run_at, state = excluded.state, attempts = 0, last_error = NULL, \
         lease_owner = NULL, lease_until = NULL, updated_at = excluded.updated_at \
         WHERE jobs.state <> 'running' RETURNING id"
    );
    let row = txn.query_one_raw(stmt(engine, &sql, values)).await?;
    let id = match row {
        Some(r) => r.try_get_by_index::<i64>(0)?,
        // A running job of that key keeps running; it is the job.
        None => scoped::in_ws::<job::Entity>(ws)
            .filter(job::Column::IdempotencyKey.eq(job.key.clone()))
            .one(txn)
            .await?
            .map(|m| m.id)
            .ok_or(StoreError::NotFound)?,
    };
    queued(txn, ws).await?;
    Ok(id)
}

/// Many new jobs in one statement (a burst of deliveries); keys must be new.
pub(crate) async fn enqueue_many(txn: &Tx, ws: WorkspaceId, jobs: &[NewJob]) -> Result<Vec<i64>> {
    if jobs.is_empty() {
        return Ok(Vec::new());
    }
    let engine = engine_of(txn);
    let now = Utc::now();
    let payload = match engine {
        Engine::Sqlite => "?",
        Engine::Postgres => "CAST(? AS JSONB)",
    };
    let mut ids = Vec::with_capacity(jobs.len());
    // 9 values a row; PostgreSQL takes at most 65,535 in one statement.
    for part in jobs.chunks(1000) {
        let row = format!("(?, ?, {payload}, ?, ?, 0, ?, ?, ?, ?)");
        let sql = format!(
            "INSERT INTO jobs (workspace_id, kind, payload, state, run_at, attempts, max_attempts, \
             idempotency_key, created_at, updated_at) VALUES {} RETURNING id",
            vec![row.as_str(); part.len()].join(", ")
        );
        let mut values: Vec<DbValue> = Vec::with_capacity(part.len() * 9);
        for j in part {
            values.extend([
                ws.0.into(),
                j.kind.as_str().into(),
                j.payload.clone().into(),
                JobState::Queued.as_str().into(),
                j.run_at.into(),
                i32::try_from(j.kind.max_attempts()).unwrap_or(5).into(),
                j.key.clone().into(),
                now.into(),
                now.into(),
            ]);
        }
        let rows = txn.query_all_raw(stmt(engine, &sql, values)).await?;
        for r in rows {
            ids.push(r.try_get_by_index::<i64>(0)?);
        }
    }
    // RETURNING lists rows in insert order on both engines for a single VALUES list; sort
    // anyway so callers can zip with their input by position.
    ids.sort_unstable();
    queued(txn, ws).await?;
    Ok(ids)
}

/// Cancels the queued job of `key` (a reminder no longer needed). A running one finishes.
pub(crate) async fn cancel(txn: &Tx, ws: WorkspaceId, key: &str) -> Result<()> {
    scoped::update_in::<job::Entity>(ws)
        .col_expr(
            job::Column::State,
            Expr::value(JobState::Cancelled.as_str()),
        )
        .col_expr(job::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(job::Column::IdempotencyKey.eq(key))
        .filter(job::Column::State.eq(JobState::Queued.as_str()))
        .exec(txn)
        .await?;
    Ok(())
}

/// The transaction queued a job: committing wakes this node's workers, and other nodes hear it.
async fn queued(txn: &Tx, ws: WorkspaceId) -> Result<()> {
    if !txn
        .jobs_queued
        .swap(true, std::sync::atomic::Ordering::AcqRel)
        && let Some(n) = dialect::notify_statement(engine_of(txn), Some(ws), JOB_NOTICE)
    {
        dialect::run_batch(txn, vec![n]).await?;
    }
    Ok(())
}

impl Store {
    /// Claims up to `limit` due jobs (and jobs whose lease ran out) for `owner` until
    /// `now + lease`, counting an attempt on each. Deliveries of claimed jobs show `sending`.
    pub async fn claim_jobs(
        &self,
        owner: &str,
        limit: u32,
        now: DateTime<Utc>,
        lease: std::time::Duration,
    ) -> Result<Vec<Claimed>> {
        let until =
            now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60));
        let lock = match self.engine() {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE SKIP LOCKED",
        };
        let sql = format!(
            "UPDATE jobs SET state = 'running', lease_owner = ?, lease_until = ?, \
             attempts = attempts + 1, updated_at = ? WHERE id IN (SELECT id FROM jobs \
             WHERE (state = 'queued' AND run_at <= ?) OR (state = 'running' AND lease_until < ?) \
             ORDER BY run_at LIMIT ?{lock}) \
             RETURNING id, workspace_id, kind, payload, attempts, max_attempts, idempotency_key"
        );
        let values: Vec<DbValue> = vec![
            owner.into(),
            until.into(),
            now.into(),
            now.into(),
            now.into(),
            i64::from(limit).into(),
        ];
        let txn = self.begin().await?;
        let rows = txn.query_all_raw(stmt(self.engine(), &sql, values)).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let payload: Value = match self.engine() {
                Engine::Sqlite => {
                    let text: String = r.try_get_by_index(3)?;
                    serde_json::from_str(&text).unwrap_or(Value::Null)
                }
                Engine::Postgres => r.try_get_by_index(3)?,
            };
            let kind: String = r.try_get_by_index(2)?;
            out.push(Claimed {
                id: r.try_get_by_index(0)?,
                workspace_id: WorkspaceId(r.try_get_by_index(1)?),
                kind: JobKind::parse(&kind),
                payload,
                attempt: r.try_get_by_index::<i32>(4)?.max(0) as u32,
                max_attempts: r.try_get_by_index::<i32>(5)?.max(0) as u32,
                key: r.try_get_by_index(6)?,
            });
        }
        let deliveries: Vec<i64> = out
            .iter()
            .filter(|c| c.kind == Some(JobKind::Deliver))
            .map(|c| c.id)
            .collect();
        if !deliveries.is_empty() {
            // Install-wide on purpose: the worker serves every workspace; the ids are the jobs
            // this claim just took.
            for part in deliveries.chunks(500) {
                let sql = format!(
                    "UPDATE deliveries SET status = 'sending', updated_at = ? WHERE job_id IN ({})",
                    vec!["?"; part.len()].join(", ")
                );
                let mut values: Vec<DbValue> = vec![now.into()];
                values.extend(part.iter().map(|i| DbValue::from(*i)));
                txn.execute_raw(stmt(self.engine(), &sql, values)).await?;
            }
        }
        self.commit(txn).await?;
        out.sort_by_key(|c| c.id);
        Ok(out)
    }

    /// Records what became of claimed jobs, in one transaction; a job whose lease `owner` no
    /// longer holds (it expired and another worker took it) is left to that worker.
    pub async fn finish_jobs(&self, owner: &str, done: &[Finished]) -> Result<()> {
        if done.is_empty() {
            return Ok(());
        }
        let now = Utc::now();
        let txn = self.begin().await?;
        let engine = self.engine();
        let plain: Vec<i64> = done
            .iter()
            .filter(|f| f.finish == Finish::Done && f.delivery.is_none())
            .map(|f| f.job)
            .collect();
        for part in plain.chunks(500) {
            let sql = format!(
                "UPDATE jobs SET state = 'done', lease_owner = NULL, lease_until = NULL, \
                 last_error = NULL, updated_at = ? WHERE lease_owner = ? AND state = 'running' \
                 AND id IN ({})",
                vec!["?"; part.len()].join(", ")
            );
            let mut values: Vec<DbValue> = vec![now.into(), owner.into()];
            values.extend(part.iter().map(|i| DbValue::from(*i)));
            txn.execute_raw(stmt(engine, &sql, values)).await?;
        }
        for f in done {
            if f.finish == Finish::Done && f.delivery.is_none() {
                continue;
            }
            let (state, run_at, error): (&str, Option<DateTime<Utc>>, Option<String>) =
                match &f.finish {
                    Finish::Done => ("done", None, None),
                    Finish::Retry { at, error } => ("queued", Some(*at), Some(error.clone())),
                    Finish::Dead(e) => ("dead", None, Some(e.clone())),
                };
            let res = txn
                .execute_raw(stmt(
                    engine,
                    "UPDATE jobs SET state = ?, run_at = COALESCE(?, run_at), last_error = ?, \
                     lease_owner = NULL, lease_until = NULL, updated_at = ? \
                     WHERE id = ? AND lease_owner = ? AND state = 'running'",
                    vec![
                        state.into(),
                        run_at.into(),
                        error.into(),
                        now.into(),
                        f.job.into(),
                        owner.into(),
                    ],
                ))
                .await?;
            if res.rows_affected() == 0 {
                continue;
            }
            if let Some(d) = &f.delivery {
                txn.execute_raw(stmt(
                    engine,
                    &format!(
                        "UPDATE deliveries SET status = ?, attempts = {}, next_attempt_at = ?, \
                         updated_at = ? WHERE id = ? AND job_id = ?",
                        match engine {
                            Engine::Sqlite => "?",
                            Engine::Postgres => "CAST(? AS JSONB)",
                        }
                    ),
                    vec![
                        d.status.as_str().into(),
                        serde_json::to_value(&d.attempts).unwrap_or_default().into(),
                        d.next_attempt_at.into(),
                        now.into(),
                        d.id.into(),
                        f.job.into(),
                    ],
                ))
                .await?;
            }
        }
        self.commit(txn).await?;
        Ok(())
    }

    /// When the next queued job is due (the worker sleeps until then, or until woken).
    pub async fn next_job_at(&self) -> Result<Option<DateTime<Utc>>> {
        let row = self
            .read
            .query_one_raw(stmt(
                self.engine(),
                "SELECT MIN(CASE WHEN state = 'queued' THEN run_at ELSE lease_until END) \
                 FROM jobs WHERE state IN ('queued', 'running')",
                vec![],
            ))
            .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(match self.engine() {
            Engine::Sqlite => r
                .try_get_by_index::<Option<String>>(0)?
                .and_then(|s| parse_sqlite_time(&s)),
            Engine::Postgres => r.try_get_by_index::<Option<DateTime<Utc>>>(0)?,
        })
    }

    /// The workspace's jobs in one state, newest first (the admins' queue, `kox jobs`).
    pub async fn list_jobs(
        &self,
        ws: Option<WorkspaceId>,
        state: Option<JobState>,
        limit: u64,
    ) -> Result<Vec<Job>> {
        let rows = match ws {
            Some(ws) => {
                let mut q = scoped::in_ws::<job::Entity>(ws);
                if let Some(s) = state {
                    q = q.filter(job::Column::State.eq(s.as_str()));
                }
                q.order_by_desc(job::Column::Id)
                    .limit(limit)
                    .all(&self.read)
                    .await?
            }
            None => self.jobs_everywhere(state, limit).await?,
        };
        Ok(rows.into_iter().map(to_job).collect())
    }

    /// Every workspace's jobs (the command line, acting as the installation).
    async fn jobs_everywhere(
        &self,
        state: Option<JobState>,
        limit: u64,
    ) -> Result<Vec<job::Model>> {
        use sea_orm::EntityTrait;
        #[allow(clippy::disallowed_methods)]
        let mut q = job::Entity::find();
        if let Some(s) = state {
            q = q.filter(job::Column::State.eq(s.as_str()));
        }
        Ok(q.order_by_desc(job::Column::Id)
            .limit(limit)
            .all(&self.read)
            .await?)
    }

    /// Queues a dead (or failed, or finished) job again now, with its attempts reset; its
    /// delivery shows `queued`. `ws` None: any workspace (the command line).
    pub async fn retry_job(&self, ws: Option<WorkspaceId>, id: i64) -> Result<Job> {
        let now = Utc::now();
        let txn = self.begin().await?;
        let row = if let Some(ws) = ws {
            scoped::by_id::<job::Entity>(ws, id).one(&txn).await?
        } else {
            use sea_orm::EntityTrait;
            #[allow(clippy::disallowed_methods)]
            job::Entity::find_by_id(id).one(&txn).await?
        }
        .ok_or(StoreError::NotFound)?;
        if row.state == JobState::Running.as_str() || row.state == JobState::Queued.as_str() {
            return Err(invalid(
                "state",
                "jobs.not_retryable",
                "the job is already queued or running",
            ));
        }
        let ws = WorkspaceId(row.workspace_id);
        scoped::update_in::<job::Entity>(ws)
            .col_expr(job::Column::State, Expr::value(JobState::Queued.as_str()))
            .col_expr(job::Column::Attempts, Expr::value(0))
            .col_expr(job::Column::RunAt, Expr::value(now))
            .col_expr(job::Column::LastError, Expr::value(None::<String>))
            .col_expr(job::Column::UpdatedAt, Expr::value(now))
            .filter(job::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        scoped::update_in::<delivery::Entity>(ws)
            .col_expr(delivery::Column::Status, Expr::value("queued"))
            .col_expr(delivery::Column::NextAttemptAt, Expr::value(Some(now)))
            .col_expr(delivery::Column::UpdatedAt, Expr::value(now))
            .filter(delivery::Column::JobId.eq(id))
            .exec(&txn)
            .await?;
        queued(&txn, ws).await?;
        self.commit(txn).await?;
        let m = scoped::by_id::<job::Entity>(ws, id)
            .one(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(to_job(m))
    }
}

/// A timestamp as sqlx writes it into SQLite (RFC 3339, or with a space).
fn parse_sqlite_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .or_else(|| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%:z").ok())
        .map(|d| d.with_timezone(&Utc))
}
