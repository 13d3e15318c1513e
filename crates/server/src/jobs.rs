//! The job worker: claims due jobs from the durable queue (`kox_store::jobs`) and runs them —
//! deliveries, publish reminders, the morning round — with at most `IN_FLIGHT` at once, each
//! bounded by `JOB_TIMEOUT` so that a receiver that hangs never holds the others up. Results
//! are written back in small batches. The worker sleeps until a job is queued (a commit wakes
//! it; other nodes' commits arrive as notices) or the next one is due, with a slow poll as a
//! safety net.

use std::time::Duration;

use chrono::Utc;
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use kox_domain::jobs::{self as j, JobKind, Outcome};
use kox_domain::notifications::DeliveryStatus;
use kox_store::Store;
use kox_store::jobs::{Claimed, DeliveryUpdate, Finish, Finished};

use crate::notifications::Sender;

/// Jobs run at once by one worker.
pub const IN_FLIGHT: usize = 128;
/// Jobs at once while the API is busy answering people.
pub const YIELDING: usize = 32;
/// The longest one job may take (below the lease, so a slow job is never run twice).
pub const JOB_TIMEOUT: Duration = Duration::from_secs(30);
/// The safety net: the queue is looked at at least this often.
pub const POLL: Duration = Duration::from_secs(5);

/// A worker's name in the leases it takes: host, process and a random part.
pub fn worker_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "kox".into());
    format!(
        "{host}-{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    )
}

/// Runs the worker until the process ends.
pub async fn run(state: crate::AppState) {
    let (store, sender, load) = (
        state.store.clone(),
        state.sender.clone(),
        state.load.clone(),
    );
    let lease = state.settings.job_lease.max(Duration::from_secs(2));
    // A job ends well inside its lease, so a slow one is never taken by a second worker.
    let job_timeout = JOB_TIMEOUT.min(lease / 2);
    let owner = worker_name();
    // While the API is busy the worker works in short bursts: at most YIELDING jobs at once,
    // and before each refill a pause a quarter longer than the time since the last one (under
    // half the machine).
    let mut burst_started = std::time::Instant::now();
    let mut wakes = store.subscribe_jobs();
    if let Err(e) = store.schedule_mornings().await {
        tracing::warn!(error = %e, "cannot schedule the morning rounds");
    }
    let mut inflight = FuturesUnordered::new();
    let mut more = true;
    let mut last_morning_check = Utc::now();
    loop {
        let busy = load.busy();
        // Claims refill the work in flight when it is half done (a job that hangs holds one
        // place, never the others).
        let claim_now = more && inflight.len() < if busy { YIELDING / 2 } else { IN_FLIGHT / 2 };
        if claim_now {
            let room = if busy {
                // A quarter longer than the time since the last refill, before this one.
                let took = burst_started.elapsed().min(Duration::from_millis(100));
                tokio::time::sleep(took * 5 / 4).await;
                YIELDING - inflight.len()
            } else {
                IN_FLIGHT - inflight.len()
            };
            burst_started = std::time::Instant::now();
            match store
                .claim_jobs(&owner, room as u32, Utc::now(), lease)
                .await
            {
                Ok(claimed) => {
                    more = claimed.len() == room;
                    for c in claimed {
                        let (store, sender) = (store.clone(), sender.clone());
                        let job = c.clone();
                        // Each job is its own task: the loop stops polling what it holds while
                        // it claims or records, and a job waiting there with a database
                        // connection would hold up the claim (and every writer behind it).
                        let task = tokio::spawn(async move {
                            match tokio::time::timeout(job_timeout, run_one(&store, &sender, &c))
                                .await
                            {
                                Ok(f) => f,
                                Err(_) => retry_or_dead(&c, "timed out".into(), None),
                            }
                        });
                        inflight.push(async move {
                            match task.await {
                                Ok(f) => f,
                                Err(e) => {
                                    retry_or_dead(&job, format!("the job stopped: {e}"), None)
                                }
                            }
                        });
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "claiming jobs failed");
                    more = false;
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
        if inflight.is_empty() {
            // Asleep until a job is queued, the next one is due, or the poll.
            let wait = match store.next_job_at().await {
                Ok(Some(at)) => (at - Utc::now())
                    .to_std()
                    .unwrap_or(Duration::ZERO)
                    .min(POLL),
                Ok(None) | Err(_) => POLL,
            };
            if wait.is_zero() {
                more = true;
                // Due already but not claimable (a lease still running elsewhere): not a spin.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            tokio::select! {
                _ = wakes.changed() => {}
                () = tokio::time::sleep(wait) => {}
            }
            more = true;
            if (Utc::now() - last_morning_check).num_minutes() >= 60 {
                last_morning_check = Utc::now();
                if let Err(e) = store.schedule_mornings().await {
                    tracing::warn!(error = %e, "cannot schedule the morning rounds");
                }
            }
            continue;
        }
        let mut done = Vec::new();
        tokio::select! {
            Some(f) = inflight.next() => done.push(f),
            _ = wakes.changed() => { more = true; }
        }
        while let Some(Some(f)) = futures_util::FutureExt::now_or_never(inflight.next()) {
            done.push(f);
        }
        if !done.is_empty() {
            // A finished batch may have queued more (a retry due now, the next morning).
            more = true;
            if let Err(e) = store.finish_jobs(&owner, &done).await {
                tracing::warn!(error = %e, "recording finished jobs failed; their leases will run out and they run again");
            }
        }
    }
}

/// The next attempt after a failure, or dead when none is left.
fn retry_or_dead(
    c: &Claimed,
    reason: String,
    delivery: Option<(i64, Vec<kox_domain::notifications::Attempt>)>,
) -> Finished {
    let now = Utc::now();
    let last = c.attempt >= c.max_attempts;
    let at = now
        + chrono::Duration::from_std(j::backoff(c.attempt, rand::random::<f64>()))
            .unwrap_or(chrono::Duration::seconds(10));
    Finished {
        job: c.id,
        finish: if last {
            Finish::Dead(reason)
        } else {
            Finish::Retry { at, error: reason }
        },
        delivery: delivery.map(|(id, attempts)| DeliveryUpdate {
            id,
            status: if last {
                DeliveryStatus::Dead
            } else {
                DeliveryStatus::Retrying
            },
            attempts,
            next_attempt_at: (!last).then_some(at),
        }),
    }
}

async fn run_one(store: &Store, sender: &Sender, c: &Claimed) -> Finished {
    let done = Finished {
        job: c.id,
        finish: Finish::Done,
        delivery: None,
    };
    if c.attempt > c.max_attempts {
        // Its last lease ran out (the worker died): nothing is left to try.
        return Finished {
            finish: Finish::Dead("the worker running it stopped on the last attempt".into()),
            ..done
        };
    }
    let ws = c.workspace_id;
    match c.kind {
        Some(JobKind::Deliver) => {
            let Some(id) = c
                .payload
                .get("delivery_id")
                .and_then(serde_json::Value::as_i64)
            else {
                return Finished {
                    finish: Finish::Dead("no delivery in the job".into()),
                    ..done
                };
            };
            let out = match store.outgoing(ws, id).await {
                Ok(o) => o,
                Err(kox_store::StoreError::NotFound) => {
                    return Finished {
                        finish: Finish::Dead("the delivery is gone".into()),
                        ..done
                    };
                }
                Err(e) => return retry_or_dead(c, e.to_string(), None),
            };
            let now = Utc::now();
            let sent = sender.send(&out, now).await;
            let mut attempts = out.delivery.attempts.clone();
            let status = match &sent.outcome {
                Outcome::Done => DeliveryStatus::Sent,
                Outcome::Retry(_) if c.attempt < c.max_attempts => DeliveryStatus::Retrying,
                Outcome::Retry(_) => DeliveryStatus::Dead,
                Outcome::Fail(_) => DeliveryStatus::Failed,
            };
            attempts.push(kox_store::notifications::attempt(
                now,
                status,
                sent.http_status,
                &sent.answer,
            ));
            // Only the latest attempts are kept in the record (retries are bounded anyway).
            if attempts.len() > 20 {
                attempts.drain(..attempts.len() - 20);
            }
            match sent.outcome {
                Outcome::Done => Finished {
                    delivery: Some(DeliveryUpdate {
                        id,
                        status,
                        attempts,
                        next_attempt_at: None,
                    }),
                    ..done
                },
                Outcome::Retry(reason) => retry_or_dead(c, reason, Some((id, attempts))),
                Outcome::Fail(reason) => Finished {
                    finish: Finish::Dead(reason),
                    delivery: Some(DeliveryUpdate {
                        id,
                        status,
                        attempts,
                        next_attempt_at: None,
                    }),
                    ..done
                },
            }
        }
        Some(JobKind::PublishReminder) => {
            let item = c
                .payload
                .get("item_id")
                .and_then(serde_json::Value::as_i64)
                .unwrap_or(0);
            let planned = c
                .payload
                .get("planned_at")
                .and_then(|v| serde_json::from_value(v.clone()).ok());
            match store.run_publish_reminder(ws, item, planned).await {
                Ok(_) => done,
                Err(e) => retry_or_dead(c, e.to_string(), None),
            }
        }
        Some(JobKind::DailyDigest) => {
            let day = c
                .payload
                .get("day")
                .and_then(|v| serde_json::from_value(v.clone()).ok())
                .unwrap_or_else(|| Utc::now().date_naive());
            match store.run_daily_digest(ws, day).await {
                Ok(()) => done,
                Err(e) => retry_or_dead(c, e.to_string(), None),
            }
        }
        Some(JobKind::Wave) => {
            let item = c
                .payload
                .get("item_id")
                .and_then(serde_json::Value::as_i64)
                .unwrap_or(0);
            match store.run_waves(ws, item).await {
                Ok(_) => done,
                Err(e) => retry_or_dead(c, e.to_string(), None),
            }
        }
        Some(JobKind::Regrade) => match store.regrade(ws, None).await {
            Ok(_) => done,
            Err(e) => retry_or_dead(c, e.to_string(), None),
        },
        None => Finished {
            finish: Finish::Dead("unknown job kind".into()),
            ..done
        },
    }
}
