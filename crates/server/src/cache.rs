//! Short-lived read caches for the hot paths (who is calling, their membership, the account
//! list and overview). An entry is used only while the generation it was stored under is
//! current: the store's generation for lists, which any write committed by this process moves,
//! and its access generation for who is calling, which only writes that may change a credential
//! or a membership move (`Store::access_generation`). Within a generation an
//! entry is fresh for `ttl`; after that it may still be served for up to `max_stale` while one
//! request refreshes it, so an expiry under load never sends every waiting request to the
//! database at once. `max_stale` bounds how long another process's write (a second
//! `kox serve` on the same PostgreSQL, or the `kox` command line) can go unseen.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct TtlCache<K, V> {
    ttl: Duration,
    max_stale: Duration,
    max_entries: usize,
    map: Mutex<HashMap<K, (u64, Instant, V)>>,
    locks: Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>,
}

enum Lookup<V> {
    Fresh(V),
    Stale(V),
    Miss,
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    pub fn new(ttl: Duration, max_stale: Duration, max_entries: usize) -> Self {
        Self {
            ttl,
            max_stale,
            max_entries,
            map: Mutex::new(HashMap::new()),
            locks: Mutex::new(HashMap::new()),
        }
    }

    fn lookup(&self, key: &K, generation: u64) -> Lookup<V> {
        let map = self
            .map
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match map.get(key) {
            Some((g, at, v)) if *g == generation && at.elapsed() < self.ttl => {
                Lookup::Fresh(v.clone())
            }
            Some((g, at, v)) if *g == generation && at.elapsed() < self.max_stale => {
                Lookup::Stale(v.clone())
            }
            _ => Lookup::Miss,
        }
    }

    fn put(&self, key: K, generation: u64, value: V) {
        let mut map = self
            .map
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= self.max_entries {
            map.retain(|_, (g, at, _)| *g == generation && at.elapsed() < self.max_stale);
            if map.len() >= self.max_entries {
                map.clear();
            }
        }
        map.insert(key, (generation, Instant::now(), value));
    }

    fn lock_for(&self, key: &K) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self
            .locks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if locks.len() > self.max_entries {
            // A lock somebody holds or waits on has another Arc alive; the rest can go.
            locks.retain(|_, l| Arc::strong_count(l) > 1);
        }
        locks.entry(key.clone()).or_default().clone()
    }

    /// The cached value, or `compute`'s — computed by one caller at a time per key.
    /// `generation` must be read before anything `compute` reads.
    pub async fn get_or_compute<E, Fut>(
        &self,
        key: K,
        generation: u64,
        compute: impl FnOnce() -> Fut,
    ) -> Result<V, E>
    where
        Fut: Future<Output = Result<V, E>>,
    {
        match self.lookup(&key, generation) {
            Lookup::Fresh(v) => Ok(v),
            Lookup::Stale(v) => match self.lock_for(&key).try_lock_owned() {
                // This caller refreshes; everyone arriving meanwhile gets the stale copy.
                Ok(_guard) => {
                    let v = compute().await?;
                    self.put(key, generation, v.clone());
                    Ok(v)
                }
                Err(_) => Ok(v),
            },
            Lookup::Miss => {
                let lock = self.lock_for(&key);
                let _guard = lock.lock().await;
                if let Lookup::Fresh(v) | Lookup::Stale(v) = self.lookup(&key, generation) {
                    return Ok(v);
                }
                let v = compute().await?;
                self.put(key, generation, v.clone());
                Ok(v)
            }
        }
    }

    /// Replaces an entry after the caller changed what it caches (e.g. a session's last use).
    pub fn refresh(&self, key: K, generation: u64, value: V) {
        self.put(key, generation, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    async fn get(
        c: &TtlCache<&'static str, usize>,
        generation: u64,
        calls: &AtomicUsize,
        value: usize,
    ) -> usize {
        c.get_or_compute::<(), _>("k", generation, || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Ok(value)
        })
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn an_entry_is_reused_within_its_generation_and_recomputed_after_a_write() {
        let c = TtlCache::new(Duration::from_mins(1), Duration::from_mins(1), 10);
        let calls = AtomicUsize::new(0);
        assert_eq!(get(&c, 1, &calls, 10).await, 10);
        assert_eq!(get(&c, 1, &calls, 11).await, 10);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(
            get(&c, 2, &calls, 12).await,
            12,
            "a newer generation means a write happened"
        );
    }

    #[tokio::test]
    async fn an_expired_entry_is_recomputed_and_a_long_expired_one_is_never_served() {
        let c = TtlCache::new(Duration::from_millis(20), Duration::from_millis(60), 10);
        let calls = AtomicUsize::new(0);
        get(&c, 1, &calls, 1).await;
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert_eq!(
            get(&c, 1, &calls, 2).await,
            2,
            "a stale entry is refreshed by the caller that finds it"
        );
        tokio::time::sleep(Duration::from_millis(70)).await;
        assert_eq!(get(&c, 1, &calls, 3).await, 3);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn concurrent_misses_compute_once() {
        let c = Arc::new(TtlCache::new(
            Duration::from_mins(1),
            Duration::from_mins(1),
            10,
        ));
        let calls = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let (c, calls) = (c.clone(), calls.clone());
                tokio::spawn(async move {
                    c.get_or_compute::<(), _>("k", 1, || async {
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok(7)
                    })
                    .await
                    .unwrap()
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap(), 7);
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn the_cache_stays_bounded() {
        let c = TtlCache::new(Duration::from_mins(1), Duration::from_mins(1), 3);
        for i in 0..10 {
            c.put(i, 1, i);
        }
        assert!(c.map.lock().unwrap().len() <= 3);
        assert!(matches!(c.lookup(&9, 1), Lookup::Fresh(9)));
    }
}
