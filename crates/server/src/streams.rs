//! Event streams share one reader per workspace: after each commit (of this process, or of
//! another node on the same PostgreSQL) the workspace's feed reads the new events once and hands
//! the batch to every open stream of the workspace, which filters it for its member in memory.
//! 500 open streams cost one query per commit, not 500. Each user keeps at most
//! `STREAMS_PER_USER` streams open; opening one more closes their oldest.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use kox_domain::members::Event;

/// An event as the feed hands it out: serialised once for those who see client addresses and
/// once for everyone else, so 500 streams do not serialise it 500 times.
#[derive(Clone)]
pub struct Pushed {
    pub id: i64,
    pub entity_type: String,
    pub entity_id: Option<i64>,
    pub full: Arc<str>,
    pub public: Arc<str>,
}

impl Pushed {
    /// Whether the member `user` may receive this event: a notification event goes only to
    /// the member whose inbox it is (its entity id).
    pub fn for_user(&self, user: kox_domain::UserId) -> bool {
        self.entity_type != kox_store::notifications::NOTIFICATION_ENTITY
            || self.entity_id == Some(user.0)
    }

    pub fn of(ev: Event) -> Pushed {
        let full: Arc<str> = serde_json::to_string(&ev).unwrap_or_default().into();
        let public = if ev.ip.is_some() {
            let p = ev.clone().seen_by(&kox_domain::access::Caller::anonymous());
            serde_json::to_string(&p).unwrap_or_default().into()
        } else {
            full.clone()
        };
        Pushed {
            id: ev.id,
            entity_id: ev.entity_id,
            entity_type: ev.entity_type,
            full,
            public,
        }
    }
}
use kox_domain::{UserId, WorkspaceId};
use kox_store::Store;
use tokio::sync::{broadcast, watch};

/// How many events a feed reads per query.
const BATCH: u64 = 200;
/// Batches a slow stream may fall behind before it reads for itself from the database.
const BACKLOG: usize = 64;
/// A feed re-reads at least this often even without a wake (a lost wake).
const POLL: std::time::Duration = std::time::Duration::from_secs(5);
/// Open streams per user (a browser tab each); the oldest is closed for a new one.
pub const STREAMS_PER_USER: usize = 10;

/// A user's open streams, oldest first: an id and the signal that closes it.
type OpenStreams = VecDeque<(u64, watch::Sender<bool>)>;

#[derive(Default)]
pub struct StreamHub {
    feeds: Mutex<HashMap<WorkspaceId, broadcast::Sender<Arc<[Pushed]>>>>,
    open: Mutex<HashMap<UserId, OpenStreams>>,
    next: AtomicU64,
}

/// A stream's place in the hub: the workspace's batches, and a signal that closes it.
pub struct Subscription {
    pub batches: broadcast::Receiver<Arc<[Pushed]>>,
    pub closed: watch::Receiver<bool>,
    hub: Arc<StreamHub>,
    user: UserId,
    id: u64,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut open = self
            .hub
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(list) = open.get_mut(&self.user) {
            list.retain(|(id, _)| *id != self.id);
            if list.is_empty() {
                open.remove(&self.user);
            }
        }
    }
}

impl StreamHub {
    /// Subscribes `user` to the workspace's batches (starting its feed if it has none) and
    /// closes the user's oldest stream beyond `STREAMS_PER_USER`. Every event committed after
    /// this returns reaches the subscription (the feed starts from the newest event read here).
    pub async fn subscribe(
        self: &Arc<Self>,
        store: &Store,
        ws: WorkspaceId,
        user: UserId,
    ) -> kox_store::Result<Subscription> {
        let existing = self
            .feeds
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&ws)
            .map(broadcast::Sender::subscribe);
        let batches = if let Some(rx) = existing {
            rx
        } else {
            let from = store.last_event_id(ws).await?;
            let mut feeds = self
                .feeds
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            feeds
                .entry(ws)
                .or_insert_with(|| {
                    let (tx, _) = broadcast::channel(BACKLOG);
                    tokio::spawn(feed(store.clone(), ws, from, tx.clone()));
                    tx
                })
                .subscribe()
        };
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let (close, closed) = watch::channel(false);
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let list = open.entry(user).or_default();
        list.push_back((id, close));
        while list.len() > STREAMS_PER_USER {
            if let Some((_, oldest)) = list.pop_front() {
                let _ = oldest.send(true);
            }
        }
        Ok(Subscription {
            batches,
            closed,
            hub: self.clone(),
            user,
            id,
        })
    }
}

/// The workspace's one reader: reads what is new after `last`, hands it out, waits for the
/// next commit. Streams catch up from their own `Last-Event-ID` themselves and skip what they
/// already have.
async fn feed(store: Store, ws: WorkspaceId, mut last: i64, tx: broadcast::Sender<Arc<[Pushed]>>) {
    let mut changes = store.subscribe_changes();
    loop {
        changes.borrow_and_update();
        loop {
            match store.events_after(ws, last, BATCH).await {
                Ok(evs) if !evs.is_empty() => {
                    last = evs.last().map_or(last, |e| e.id);
                    let full = evs.len() as u64 == BATCH;
                    // No receiver right now is fine: streams read their own gaps.
                    let _ = tx.send(evs.into_iter().map(Pushed::of).collect());
                    if !full {
                        break;
                    }
                }
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "event feed read failed");
                    break;
                }
            }
        }
        let _ = tokio::time::timeout(POLL, changes.changed()).await;
    }
}
