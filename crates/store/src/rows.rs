//! Each row's API JSON, kept between reads where the database sends rows rather than JSON
//! (PostgreSQL: `dialect::json_rows` is `None` there). A page is then read in two steps: the
//! page's rows as their ids and **stamps** — what the row's JSON depends on that changes
//! whenever any of it does (the version and `updated_at` that every write of the row moves,
//! plus whatever the JSON takes from other tables, such as an account's owners) — then the full
//! rows of only those ids whose JSON is not kept under the same stamp. The database sends a
//! few narrow columns instead of every column of every row, and the server decodes and
//! serialises only rows it has not seen at that stamp (measured on the 50-row account page with
//! a random offset: most of the database's time went to writing out the rows, most of the
//! server's to decoding and serialising them again).
//!
//! A stamp is compared, never trusted to be newer: an entry is used only when its stamp is
//! exactly the one the page read, so a write from this process, another `kox serve` or the
//! command line is seen by the next read, with no invalidation to forget.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::Result;

/// Rows kept before the cache starts over (a row's JSON is about 500 bytes).
const ROWS_KEPT: usize = 100_000;

/// A row: its table and id.
type RowKey = (&'static str, i64);

#[derive(Debug, Default)]
pub(crate) struct RowJson {
    /// Each row's stamp and JSON.
    map: Mutex<HashMap<RowKey, (String, Arc<str>)>>,
}

/// One row of a page as the narrow read gives it.
pub(crate) struct Stamped {
    pub(crate) id: i64,
    pub(crate) stamp: String,
}

/// A full row read because its JSON was not kept: its id, the stamp it was read at and its JSON.
pub(crate) struct Filled {
    pub(crate) id: i64,
    pub(crate) stamp: String,
    pub(crate) json: String,
}

impl RowJson {
    /// Each row's kept JSON, if kept under the row's stamp.
    fn kept(&self, table: &'static str, rows: &[Stamped]) -> Vec<Option<Arc<str>>> {
        let Ok(map) = self.map.lock() else {
            return vec![None; rows.len()];
        };
        rows.iter()
            .map(|r| match map.get(&(table, r.id)) {
                Some((s, json)) if *s == r.stamp => Some(json.clone()),
                _ => None,
            })
            .collect()
    }

    fn put(&self, table: &'static str, id: i64, stamp: String, json: Arc<str>) {
        let Ok(mut map) = self.map.lock() else { return };
        if map.len() >= ROWS_KEPT && !map.contains_key(&(table, id)) {
            map.clear();
        }
        map.insert((table, id), (stamp, json));
    }

    /// The JSON array of the page `rows` (in their order) of `table`: kept JSON where the stamp
    /// matches, the rest from `fill`, which reads the given ids' full rows (in any order) and
    /// writes each one's JSON. A row that `fill` no longer finds was deleted meanwhile and is
    /// left out; a row it finds changed since the narrow read is sent as it is now.
    pub(crate) async fn page<F, Fut>(
        &self,
        table: &'static str,
        rows: &[Stamped],
        fill: F,
    ) -> Result<String>
    where
        F: FnOnce(Vec<i64>) -> Fut,
        Fut: std::future::Future<Output = Result<Vec<Filled>>>,
    {
        let mut kept = self.kept(table, rows);
        let missing: Vec<i64> = rows
            .iter()
            .zip(&kept)
            .filter(|(_, k)| k.is_none())
            .map(|(r, _)| r.id)
            .collect();
        if !missing.is_empty() {
            let mut filled: HashMap<i64, Arc<str>> = HashMap::new();
            for f in fill(missing).await? {
                let json: Arc<str> = f.json.into();
                self.put(table, f.id, f.stamp, json.clone());
                filled.insert(f.id, json);
            }
            for (r, k) in rows.iter().zip(kept.iter_mut()) {
                if k.is_none() {
                    *k = filled.get(&r.id).cloned();
                }
            }
        }
        let mut out =
            String::with_capacity(2 + kept.iter().flatten().map(|j| j.len() + 1).sum::<usize>());
        out.push('[');
        for (i, json) in kept.iter().flatten().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(json);
        }
        out.push(']');
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamped(id: i64, stamp: &str) -> Stamped {
        Stamped {
            id,
            stamp: stamp.into(),
        }
    }

    fn filled(id: i64, stamp: &str) -> Filled {
        Filled {
            id,
            stamp: stamp.into(),
            json: format!("{{\"id\":{id},\"s\":\"{stamp}\"}}"),
        }
    }

    #[tokio::test]
    async fn a_row_is_read_again_exactly_when_its_stamp_differs() {
        let cache = RowJson::default();
        let page = cache
            .page("t", &[stamped(1, "a"), stamped(2, "a")], |ids| async move {
                assert_eq!(ids, vec![1, 2]);
                Ok(vec![filled(2, "a"), filled(1, "a")])
            })
            .await
            .unwrap();
        assert_eq!(page, r#"[{"id":1,"s":"a"},{"id":2,"s":"a"}]"#);
        // Row 2 changed (new stamp): only it is read; row 1 comes from the cache.
        let page = cache
            .page("t", &[stamped(1, "a"), stamped(2, "b")], |ids| async move {
                assert_eq!(ids, vec![2]);
                Ok(vec![filled(2, "b")])
            })
            .await
            .unwrap();
        assert_eq!(page, r#"[{"id":1,"s":"a"},{"id":2,"s":"b"}]"#);
        // Nothing changed: nothing is read.
        let page = cache
            .page("t", &[stamped(2, "b")], |_| async move {
                panic!("a kept row was read again")
            })
            .await
            .unwrap();
        assert_eq!(page, r#"[{"id":2,"s":"b"}]"#);
        // Another table's row 2 is another row.
        let page = cache
            .page("u", &[stamped(2, "b")], |ids| async move {
                assert_eq!(ids, vec![2]);
                Ok(vec![filled(2, "b")])
            })
            .await
            .unwrap();
        assert_eq!(page, r#"[{"id":2,"s":"b"}]"#);
    }

    #[tokio::test]
    async fn a_row_deleted_between_the_reads_is_left_out() {
        let cache = RowJson::default();
        let page = cache
            .page(
                "t",
                &[stamped(1, "a"), stamped(2, "a"), stamped(3, "a")],
                |_| async move { Ok(vec![filled(1, "a"), filled(3, "a")]) },
            )
            .await
            .unwrap();
        assert_eq!(page, r#"[{"id":1,"s":"a"},{"id":3,"s":"a"}]"#);
        let empty = cache
            .page("t", &[], |_| async move { Ok(vec![]) })
            .await
            .unwrap();
        assert_eq!(empty, "[]");
    }
}
