//! Short-lived read caches for the hot paths (who is calling, their membership, the account
//! list and overview). An entry is served only while the store's generation is unchanged —
//! so any write committed by this process invalidates everything at once — and for at most
//! `ttl`, which bounds how long another process's write (a second `kox serve` on the same
//! PostgreSQL, or the `kox` command line) can go unseen.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct TtlCache<K, V> {
    ttl: Duration,
    max_entries: usize,
    map: Mutex<HashMap<K, (u64, Instant, V)>>,
}

impl<K: Eq + Hash, V: Clone> TtlCache<K, V> {
    pub fn new(ttl: Duration, max_entries: usize) -> Self {
        Self {
            ttl,
            max_entries,
            map: Mutex::new(HashMap::new()),
        }
    }

    pub fn get(&self, key: &K, generation: u64) -> Option<V> {
        let map = self
            .map
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(key)
            .filter(|(g, at, _)| *g == generation && at.elapsed() < self.ttl)
            .map(|(_, _, v)| v.clone())
    }

    pub fn put(&self, key: K, generation: u64, value: V) {
        let mut map = self
            .map
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= self.max_entries {
            map.retain(|_, (g, at, _)| *g == generation && at.elapsed() < self.ttl);
            if map.len() >= self.max_entries {
                map.clear();
            }
        }
        map.insert(key, (generation, Instant::now(), value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_served_only_at_its_generation_and_within_its_ttl() {
        let c = TtlCache::new(Duration::from_millis(50), 10);
        c.put("k", 1, 42);
        assert_eq!(c.get(&"k", 1), Some(42));
        assert_eq!(
            c.get(&"k", 2),
            None,
            "a newer generation means a write happened"
        );
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(c.get(&"k", 1), None, "expired");
    }

    #[test]
    fn the_cache_stays_bounded() {
        let c = TtlCache::new(Duration::from_secs(60), 3);
        for i in 0..10 {
            c.put(i, 1, i);
        }
        assert!(c.map.lock().unwrap().len() <= 3);
        assert_eq!(c.get(&9, 1), Some(9));
    }
}
