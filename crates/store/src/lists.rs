//! Offset pages of filtered lists, and what the store remembers about a list between requests.
//!
//! A list is a workspace and a filter (including its sort). For the current generation of the
//! store (see `Store::generation`) the store keeps each list's total, which does not depend on
//! the page, and **anchors**: the sort key of the rows it has seen at known positions. A page
//! at offset `o` then starts from the nearest anchor at or before `o` — a keyset condition
//! (`(followers, id) <= (…)`) the index walks to directly, plus a short offset — instead of
//! skipping `o` rows one by one (what an OFFSET costs on both engines). The anchors are taken
//! from the pages themselves, so they cost nothing to collect; any committed write (here, or on
//! another node: `listen_for_changes`) moves the generation and with it drops them, so a page
//! never starts from a stale position.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use sea_orm::Value;
use sea_orm::sea_query::{Expr, ExprTrait, IntoColumnRef, Order};

use crate::{Result, Store};

/// Offset pagination shared by list endpoints.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: u64,
    pub offset: u64,
}

impl Default for Page {
    fn default() -> Self {
        Self {
            limit: 50,
            offset: 0,
        }
    }
}

/// One page of a list and the total count across pages.
#[derive(Debug, Clone)]
pub struct Listed<T> {
    pub items: Vec<T>,
    pub total: u64,
}

/// One page of a list as the JSON the API sends: `{"items":[…],"total":n}`, with the items
/// written by the database where the engine can (`dialect::json_rows`), or put together from
/// each row's JSON where it cannot (`rows`). `parse` gives the typed page.
#[derive(Debug)]
pub struct JsonPage<T> {
    /// A JSON array, written by the database or by serde: never parsed on the way out.
    items: String,
    pub total: u64,
    of: std::marker::PhantomData<fn() -> T>,
}

impl<T> JsonPage<T> {
    /// A page whose items were written as a JSON array (by the database, `dialect::json_rows`,
    /// or row by row by serde, `rows`).
    pub(crate) fn written(items: String, total: u64) -> Self {
        debug_assert!(
            serde_json::from_str::<&serde_json::value::RawValue>(&items).is_ok(),
            "a page's JSON: {items}"
        );
        JsonPage {
            items,
            total,
            of: std::marker::PhantomData,
        }
    }

    /// The items: a JSON array.
    pub fn items_json(&self) -> &str {
        &self.items
    }

    /// The response body: `{"items":[…],"total":n}`.
    pub fn into_json(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.items.len() + 32);
        out.extend_from_slice(b"{\"items\":");
        out.extend_from_slice(self.items.as_bytes());
        out.extend_from_slice(format!(",\"total\":{}}}", self.total).as_bytes());
        out
    }
}

impl<T: serde::de::DeserializeOwned> JsonPage<T> {
    pub fn parse(&self) -> Result<Listed<T>> {
        Ok(Listed {
            items: serde_json::from_str(&self.items)
                .map_err(|e| crate::db::other(format!("a page's JSON: {e}")))?,
            total: self.total,
        })
    }
}

/// Sort keys written by `dialect::json_keys`, as values to compare with.
pub(crate) fn parse_keys(json: &str) -> Result<Vec<Vec<Value>>> {
    let keys: Vec<Vec<serde_json::Value>> = serde_json::from_str(json)
        .map_err(|e| crate::db::other(format!("a page's sort keys: {e}")))?;
    keys.into_iter()
        .map(|k| {
            k.into_iter()
                .map(|v| match v {
                    serde_json::Value::Number(n) if n.is_i64() => Ok(n.as_i64().into()),
                    serde_json::Value::String(s) => Ok(s.into()),
                    other => Err(crate::db::other(format!("a sort key: {other}"))),
                })
                .collect()
        })
        .collect()
}

/// The sort key of a row read as columns (`names`: the sort's columns, numbers or text).
pub(crate) fn row_key(row: &sea_orm::QueryResult, names: &[&str]) -> Result<Vec<Value>> {
    names
        .iter()
        .map(|n| match row.try_get::<i64>("", n) {
            Ok(v) => Ok(v.into()),
            Err(_) => Ok(row.try_get::<String>("", n)?.into()),
        })
        .collect()
}

/// Lists kept before the cache starts over.
const LISTS_KEPT: usize = 4096;
/// Every how many positions an anchor is kept: a page starts at most this many rows before
/// its offset once the list has been read around it.
const ANCHOR_STRIDE: u64 = 8;
/// Anchors kept per list (a list of 80,000 rows read everywhere keeps one per 8 rows).
const ANCHORS_KEPT: usize = 10_000;

#[derive(Debug, Default)]
pub(crate) struct Lists {
    entries: Mutex<HashMap<(i64, String), Entry>>,
}

#[derive(Debug)]
struct Entry {
    generation: u64,
    total: Option<u64>,
    /// position → the sort key of the row at that position.
    anchors: BTreeMap<u64, Vec<Value>>,
}

/// One list as of the generation read when the request began.
pub(crate) struct ListKey {
    key: (i64, String),
    generation: u64,
}

/// The sort of a list: its columns and one direction for all of them; the last column is
/// unique (the id), so a sort key names exactly one row.
pub(crate) struct Sort<C: 'static> {
    pub(crate) columns: &'static [C],
    pub(crate) order: Order,
}

/// Where a page starts: rows at or after `from` in the list's order (`None`: the list's
/// beginning), then `offset` rows skipped.
pub(crate) struct Start {
    pub(crate) from: Option<Expr>,
    pub(crate) offset: u64,
}

impl Store {
    /// The list `key` (a filter, sort included, without its page) of workspace `ws`, as of now.
    pub(crate) fn list_key(&self, ws: kox_domain::WorkspaceId, key: String) -> ListKey {
        ListKey {
            key: (ws.0, key),
            generation: self.generation(),
        }
    }

    /// `count`, or the total counted for the same list at the current generation. The
    /// generation was read before counting, so a write that commits meanwhile makes the entry
    /// stale.
    pub(crate) async fn cached_total(
        &self,
        list: &ListKey,
        count: impl std::future::Future<Output = Result<u64>>,
    ) -> Result<u64> {
        if let Some(total) = self.lists.with(list, |e| e.total).flatten() {
            return Ok(total);
        }
        let total = count.await?;
        self.lists.with(list, |e| e.total = Some(total));
        Ok(total)
    }

    /// Where the page at `offset` starts, given what is known of the list.
    pub(crate) fn page_start<C>(&self, list: &ListKey, sort: &Sort<C>, offset: u64) -> Start
    where
        C: IntoColumnRef + Copy,
    {
        let anchor = self
            .lists
            .with(list, |e| {
                e.anchors
                    .range(..=offset)
                    .next_back()
                    .map(|(p, k)| (*p, k.clone()))
            })
            .flatten();
        match anchor {
            Some((pos, key)) if pos > 0 && key.len() == sort.columns.len() => {
                let columns = Expr::tuple(sort.columns.iter().map(|c| Expr::col(*c)));
                let values = Expr::tuple(key.into_iter().map(Expr::val));
                Start {
                    from: Some(match sort.order {
                        Order::Desc => columns.lte(values),
                        _ => columns.gte(values),
                    }),
                    offset: offset - pos,
                }
            }
            _ => Start { from: None, offset },
        }
    }

    /// Remembers the sort keys of a page read at `offset` (in page order).
    pub(crate) fn remember_page(
        &self,
        list: &ListKey,
        offset: u64,
        keys: impl Iterator<Item = Vec<Value>>,
    ) {
        let wanted: Vec<(u64, Vec<Value>)> = (offset..)
            .zip(keys)
            .filter(|(p, _)| *p > 0 && p % ANCHOR_STRIDE == 0)
            .collect();
        if wanted.is_empty() {
            return;
        }
        self.lists.with(list, |e| {
            for (p, k) in wanted {
                if e.anchors.len() >= ANCHORS_KEPT {
                    break;
                }
                e.anchors.insert(p, k);
            }
        });
    }
}

impl Lists {
    /// Runs `f` on the list's entry for its generation (a fresh one if the entry is missing or
    /// from another generation); `None` if the generation has moved on since the request began
    /// (nothing is read from or written to a newer entry).
    fn with<T>(&self, list: &ListKey, f: impl FnOnce(&mut Entry) -> T) -> Option<T> {
        let mut map = self.entries.lock().ok()?;
        if map.len() >= LISTS_KEPT && !map.contains_key(&list.key) {
            map.clear();
        }
        let e = map.entry(list.key.clone()).or_insert_with(|| Entry {
            generation: list.generation,
            total: None,
            anchors: BTreeMap::new(),
        });
        if e.generation < list.generation {
            *e = Entry {
                generation: list.generation,
                total: None,
                anchors: BTreeMap::new(),
            };
        } else if e.generation > list.generation {
            return None;
        }
        Some(f(e))
    }
}
