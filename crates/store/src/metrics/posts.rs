//! Post metric snapshots: rows (from a file or a push) find their post, are compared with the
//! snapshots already there, and are written a chunk per transaction with the rollups they
//! change. A re-import of the same rows writes nothing; an overlapping one writes only the
//! values that differ, recording what it replaced so that its undo puts it back.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use kox_domain::WorkspaceId;
use kox_domain::imports::{
    ImportIssue, MatchKind, MatchRow, PostCandidate, RowChoice, RowResolution,
};
use kox_domain::metrics::posts::{self as cols, Candidate, PostMatch, PostValues};
use kox_domain::validation::{FieldError, handle_key};
use sea_orm::{ConnectionTrait, Value as DbValue};

use crate::Result;
use crate::config::WorkspaceConfig;
use crate::dialect::{engine_of, stmt};

/// Rows per statement of a multi-row write.
const PER_STATEMENT: usize = 500;

/// `(?, ?, …), (?, ?, …)` for `rows` rows of `cols` values.
pub(crate) fn value_rows(rows: usize, cols: usize) -> String {
    let one = format!("({})", vec!["?"; cols].join(", "));
    vec![one; rows].join(", ")
}

/// A post's facts the rollups need.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ItemFacts {
    pub account_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub at: Option<DateTime<Utc>>,
}

/// A post KOX does not know yet, as the rows name it.
#[derive(Debug, Clone)]
pub(crate) struct NewPost {
    pub account_id: i64,
    pub title: String,
    pub published_at: Option<DateTime<Utc>>,
    pub post_id: Option<String>,
    pub post_url: Option<String>,
}

/// Where a row's numbers go.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    Item(i64),
    /// A new post, by its key in `PostIndex::pending`.
    New(String),
}

/// What the rows of one import (or push) are matched against, loaded once.
pub(crate) struct PostIndex {
    pub tz: Tz,
    platform_of: HashMap<i64, String>,
    accounts_by_handle: HashMap<String, Vec<(String, i64)>>,
    accounts_by_url: HashMap<String, i64>,
    by_post_id: HashMap<String, Vec<(Option<String>, i64)>>,
    by_url: HashMap<String, i64>,
    /// Each account's posts with a time, sorted by it.
    timed: HashMap<i64, Vec<Candidate>>,
    pub items: HashMap<i64, ItemFacts>,
    titles: HashMap<i64, String>,
    /// New posts met so far (key → what to create); `created` once written.
    pub pending: HashMap<String, NewPost>,
    pub created: HashMap<String, i64>,
    /// Accounts already looked up by the text a row named them with.
    named: HashMap<(String, Option<String>), Option<i64>>,
}

impl PostIndex {
    pub(crate) async fn load(
        db: &impl ConnectionTrait,
        ws: WorkspaceId,
        cfg: &WorkspaceConfig,
    ) -> Result<PostIndex> {
        let engine = engine_of(db);
        let tz: Tz = cfg.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
        let mut idx = PostIndex {
            tz,
            platform_of: HashMap::new(),
            accounts_by_handle: HashMap::new(),
            accounts_by_url: HashMap::new(),
            by_post_id: HashMap::new(),
            by_url: HashMap::new(),
            timed: HashMap::new(),
            items: HashMap::new(),
            titles: HashMap::new(),
            pending: HashMap::new(),
            created: HashMap::new(),
            named: HashMap::new(),
        };
        for r in db
            .query_all_raw(stmt(
                engine,
                "SELECT id, platform, handle, profile_url FROM accounts WHERE workspace_id = ?",
                vec![ws.0.into()],
            ))
            .await?
        {
            let id: i64 = r.try_get_by_index(0)?;
            let platform: String = r.try_get_by_index(1)?;
            let handle: String = r.try_get_by_index(2)?;
            let url: Option<String> = r.try_get_by_index(3)?;
            idx.accounts_by_handle
                .entry(handle_key(&handle))
                .or_default()
                .push((platform.clone(), id));
            if let Some(u) = url {
                idx.accounts_by_url.insert(cols::url_key(&u), id);
            }
            idx.platform_of.insert(id, platform);
        }
        for r in db
            .query_all_raw(stmt(
                engine,
                "SELECT id, account_id, campaign_id, title, published_at, planned_at, post_url, \
                 platform_post_id FROM content_items WHERE workspace_id = ? AND stage <> 'cancelled'",
                vec![ws.0.into()],
            ))
            .await?
        {
            let id: i64 = r.try_get_by_index(0)?;
            let account_id: Option<i64> = r.try_get_by_index(1)?;
            let campaign_id: Option<i64> = r.try_get_by_index(2)?;
            let title: String = r.try_get_by_index(3)?;
            let published: Option<DateTime<Utc>> = r.try_get_by_index(4)?;
            let planned: Option<DateTime<Utc>> = r.try_get_by_index(5)?;
            let url: Option<String> = r.try_get_by_index(6)?;
            let post_id: Option<String> = r.try_get_by_index(7)?;
            idx.add(id, account_id, campaign_id, title, published.or(planned), url, post_id);
        }
        for list in idx.timed.values_mut() {
            list.sort_by_key(|c| c.at);
        }
        Ok(idx)
    }

    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        id: i64,
        account_id: Option<i64>,
        campaign_id: Option<i64>,
        title: String,
        at: Option<DateTime<Utc>>,
        url: Option<String>,
        post_id: Option<String>,
    ) {
        let platform = account_id.and_then(|a| self.platform_of.get(&a).cloned());
        if let Some(p) = post_id {
            self.by_post_id.entry(p).or_default().push((platform, id));
        }
        if let Some(u) = url {
            self.by_url.insert(cols::url_key(&u), id);
        }
        if let (Some(a), Some(_)) = (account_id, at) {
            self.timed.entry(a).or_default().push(Candidate {
                id,
                title: title.clone(),
                at,
            });
        }
        self.titles.insert(id, title);
        self.items.insert(
            id,
            ItemFacts {
                account_id,
                campaign_id,
                at,
            },
        );
    }

    /// Records posts just created (their ids), so later rows find them by id, link or title.
    pub(crate) fn created_posts(&mut self, made: Vec<(String, i64)>) {
        for (key, id) in made {
            if let Some(p) = self.pending.get(&key).cloned() {
                self.add(
                    id,
                    Some(p.account_id),
                    None,
                    p.title.clone(),
                    p.published_at,
                    p.post_url.clone(),
                    p.post_id.clone(),
                );
                if let Some(list) = self.timed.get_mut(&p.account_id) {
                    list.sort_by_key(|c| c.at);
                }
            }
            self.created.insert(key, id);
        }
    }

    pub(crate) fn platform(&self, account: i64) -> Option<&str> {
        self.platform_of.get(&account).map(String::as_str)
    }

    /// The account a row names (handle, profile link), on `platform` when known.
    fn account_of(&self, raw: &str, platform: Option<&str>) -> Option<i64> {
        if raw.starts_with("http://") || raw.starts_with("https://") {
            return self.accounts_by_url.get(&cols::url_key(raw)).copied();
        }
        let hits = self.accounts_by_handle.get(&handle_key(raw))?;
        let on: Vec<i64> = hits
            .iter()
            .filter(|(p, _)| platform.is_none_or(|x| x == p))
            .map(|(_, id)| *id)
            .collect();
        (on.len() == 1).then(|| on[0])
    }

    /// `account_of`, remembered by the text (a million rows name a thousand accounts).
    fn account_named(&mut self, raw: &str, platform: Option<&str>) -> Option<i64> {
        let key = (raw.to_owned(), platform.map(str::to_owned));
        if let Some(hit) = self.named.get(&key) {
            return *hit;
        }
        let found = self.account_of(raw, platform);
        self.named.insert(key, found);
        found
    }

    /// The account a row names, on any platform (a handle two platforms share is ambiguous).
    pub(crate) fn account_of_public(&self, raw: &str) -> Option<i64> {
        self.account_of(raw, None)
    }

    /// The post with this platform id (one, on any platform) or link.
    pub(crate) fn find_post(&self, post_id: Option<&str>, url: Option<&str>) -> Option<i64> {
        if let Some(hits) = post_id.and_then(|p| self.by_post_id.get(p))
            && let [(_, id)] = hits.as_slice()
        {
            return Some(*id);
        }
        url.and_then(|u| self.by_url.get(&cols::url_key(u)).copied())
    }

    fn candidates_near(&self, account: i64, at: Option<DateTime<Utc>>) -> Vec<Candidate> {
        let Some(list) = self.timed.get(&account) else {
            return Vec::new();
        };
        match at {
            None => list.clone(),
            Some(t) => {
                let lo = t - chrono::Duration::hours(60);
                let hi = t + chrono::Duration::hours(60);
                let start = list.partition_point(|c| c.at < Some(lo));
                list[start..]
                    .iter()
                    .take_while(|c| c.at <= Some(hi))
                    .cloned()
                    .collect()
            }
        }
    }

    fn candidate(&self, id: i64) -> PostCandidate {
        PostCandidate {
            item_id: id,
            title: self.titles.get(&id).cloned().unwrap_or_default(),
            at: self.items.get(&id).and_then(|f| f.at),
        }
    }
}

/// How the rows of one import are read and matched.
pub(crate) struct Plan<'a> {
    pub account_id: Option<i64>,
    pub platform: Option<String>,
    pub resolutions: &'a HashMap<u32, RowResolution>,
}

/// A row ready to write, or why not.
pub(crate) enum Resolved {
    Ready {
        row: u32,
        target: Target,
        how: MatchKind,
        values: Box<PostValues>,
        /// For the preview's list of rows to check.
        listed: Option<MatchRow>,
    },
    Skipped(u32),
    Invalid(Vec<ImportIssue>),
}

/// A row's issue not tied to a column yet (the preview adds the mapped column).
fn issue(row: u32, e: FieldError, value: String) -> ImportIssue {
    ImportIssue {
        row,
        column: None,
        column_letter: None,
        header: None,
        field: e.field,
        code: e.code.to_owned(),
        message: e.message,
        value,
    }
}

/// Finds a read row's post (and its account).
pub(crate) fn resolve(idx: &mut PostIndex, plan: &Plan<'_>, row: u32, v: PostValues) -> Resolved {
    if let Some(r) = plan.resolutions.get(&row) {
        match r.choice {
            RowChoice::Skip => return Resolved::Skipped(row),
            RowChoice::Match => {
                return match r.item_id.filter(|id| idx.items.contains_key(id)) {
                    Some(id) => Resolved::Ready {
                        row,
                        target: Target::Item(id),
                        how: MatchKind::Chosen,
                        listed: Some(listed_row(
                            row,
                            &v,
                            MatchKind::Chosen,
                            Some(id),
                            None,
                            Vec::new(),
                        )),
                        values: Box::new(v),
                    },
                    None => Resolved::Invalid(vec![issue(
                        row,
                        FieldError::new(
                            "item_id",
                            "metrics.unknown_post",
                            "the post chosen for this row is not in this workspace",
                        ),
                        r.item_id.map(|i| i.to_string()).unwrap_or_default(),
                    )]),
                };
            }
            RowChoice::New => {}
        }
    }
    let force_new = plan
        .resolutions
        .get(&row)
        .is_some_and(|r| r.choice == RowChoice::New);
    let platform = plan.platform.clone();
    let account = match (plan.account_id, v.account.as_deref()) {
        (Some(a), _) => Some(a),
        (None, Some(raw)) => match idx.account_named(raw, platform.as_deref()) {
            Some(a) => Some(a),
            None => {
                return Resolved::Invalid(vec![issue(
                    row,
                    FieldError::new(
                        "account",
                        "imports.unknown_account",
                        format!(
                            "no account \"{raw}\" in this workspace (matched by handle or profile link)"
                        ),
                    ),
                    raw.to_owned(),
                )]);
            }
        },
        (None, None) => None,
    };
    let platform = account
        .and_then(|a| idx.platform(a).map(str::to_owned))
        .or(platform);
    if !force_new {
        if let Some(pid) = v.post_id.as_deref()
            && let Some(hits) = idx.by_post_id.get(pid)
        {
            let on: Vec<i64> = hits
                .iter()
                .filter(|(p, _)| platform.is_none() || p.is_none() || *p == platform)
                .map(|(_, id)| *id)
                .collect();
            if let [id] = on.as_slice() {
                return ready(row, Target::Item(*id), MatchKind::Id, v, None);
            }
        }
        if let Some(u) = v.post_url.as_deref()
            && let Some(id) = idx.by_url.get(&cols::url_key(u)).copied()
        {
            return ready(row, Target::Item(id), MatchKind::Id, v, None);
        }
    }
    let Some(account) = account else {
        return Resolved::Invalid(vec![issue(
            row,
            FieldError::new(
                "account",
                "imports.account_required",
                "KOX does not know this post; to add it, choose the account at upload or map the account column",
            ),
            v.post_id
                .clone()
                .or_else(|| v.title.clone())
                .unwrap_or_default(),
        )]);
    };
    if !force_new && v.post_id.is_none() && v.post_url.is_none() {
        let at = v.published.map(|w| w.at);
        let cands = idx.candidates_near(account, at);
        match cols::match_post(v.title.as_deref(), v.published.as_ref(), idx.tz, &cands) {
            PostMatch::Exact(id) => return ready(row, Target::Item(id), MatchKind::Title, v, None),
            PostMatch::Weak { id, score } => {
                let listed = listed_row(
                    row,
                    &v,
                    MatchKind::Weak,
                    Some(id),
                    Some(score),
                    vec![idx.candidate(id)],
                );
                return ready(row, Target::Item(id), MatchKind::Weak, v, Some(listed));
            }
            PostMatch::Ambiguous(ids) => {
                let i = issue(
                    row,
                    FieldError::new(
                        "title",
                        "imports.ambiguous_post",
                        format!(
                            "{} posts fit this row's title and time: choose one in the preview",
                            ids.len()
                        ),
                    ),
                    v.title.clone().unwrap_or_default(),
                );
                return Resolved::Invalid(vec![i]);
            }
            PostMatch::None => {}
        }
    }
    // A post KOX did not know: one new item per distinct post.
    let key = match (&v.post_id, &v.post_url) {
        (Some(p), _) => format!("{account}|id|{p}"),
        (None, Some(u)) => format!("{account}|url|{}", cols::url_key(u)),
        (None, None) => format!(
            "{account}|t|{}|{}",
            cols::title_key(v.title.as_deref().unwrap_or(""))
                .iter()
                .collect::<String>(),
            v.published
                .map(|w| w.at.timestamp() / 60)
                .unwrap_or_default()
        ),
    };
    if let Some(id) = idx.created.get(&key) {
        return ready(row, Target::Item(*id), MatchKind::New, v, None);
    }
    idx.pending.entry(key.clone()).or_insert_with(|| NewPost {
        account_id: account,
        title: v
            .title
            .clone()
            .or_else(|| v.post_id.clone())
            .unwrap_or_else(|| "导入的作品".into())
            .chars()
            .take(200)
            .collect(),
        published_at: v.published.map(|w| w.at),
        post_id: v.post_id.clone(),
        post_url: v.post_url.clone(),
    });
    ready(row, Target::New(key), MatchKind::New, v, None)
}

fn ready(
    row: u32,
    target: Target,
    how: MatchKind,
    v: PostValues,
    listed: Option<MatchRow>,
) -> Resolved {
    Resolved::Ready {
        row,
        target,
        how,
        values: Box::new(v),
        listed,
    }
}

/// The preview's view of an ambiguous row (its candidates), for the issue's row.
pub(crate) fn ambiguous_row(
    idx: &PostIndex,
    plan: &Plan<'_>,
    row: u32,
    v: &PostValues,
) -> Option<MatchRow> {
    let account = plan.account_id.or_else(|| {
        v.account
            .as_deref()
            .and_then(|raw| idx.account_of(raw, plan.platform.as_deref()))
    })?;
    let cands = idx.candidates_near(account, v.published.map(|w| w.at));
    match cols::match_post(v.title.as_deref(), v.published.as_ref(), idx.tz, &cands) {
        PostMatch::Ambiguous(ids) => Some(listed_row(
            row,
            v,
            MatchKind::Ambiguous,
            None,
            None,
            ids.iter().map(|i| idx.candidate(*i)).collect(),
        )),
        _ => None,
    }
}

fn listed_row(
    row: u32,
    v: &PostValues,
    kind: MatchKind,
    item_id: Option<i64>,
    score: Option<f64>,
    candidates: Vec<PostCandidate>,
) -> MatchRow {
    MatchRow {
        row,
        title: v.title.clone(),
        published_at: v.published.map(|w| w.at),
        account_id: None,
        kind,
        item_id,
        score,
        candidates,
    }
}

/// A snapshot's stored values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Stored {
    pub counts: [Option<i64>; 7],
    pub at_least: i64,
    pub completion_rate: Option<f64>,
    pub avg_watch_seconds: Option<f64>,
}

impl Stored {
    /// What a row makes of what is stored: a value the row gives replaces it; one it leaves
    /// missing keeps it.
    pub(crate) fn merged(old: Option<&Stored>, v: &PostValues) -> Stored {
        let mut out = old.copied().unwrap_or(Stored {
            counts: [None; 7],
            at_least: 0,
            completion_rate: None,
            avg_watch_seconds: None,
        });
        for (i, c) in v.counts.iter().enumerate() {
            if let Some(c) = c {
                out.counts[i] = Some(c.value);
                if c.at_least {
                    out.at_least |= 1 << i;
                } else {
                    out.at_least &= !(1 << i);
                }
            }
        }
        if v.completion_rate.is_some() {
            out.completion_rate = v.completion_rate;
        }
        if v.avg_watch_seconds.is_some() {
            out.avg_watch_seconds = v.avg_watch_seconds;
        }
        out
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        for (i, name) in cols::COUNTS.iter().enumerate() {
            m.insert((*name).into(), self.counts[i].into());
        }
        m.insert("at_least".into(), self.at_least.into());
        m.insert("completion_rate".into(), self.completion_rate.into());
        m.insert("avg_watch_seconds".into(), self.avg_watch_seconds.into());
        serde_json::Value::Object(m)
    }

    pub(crate) fn from_json(v: &serde_json::Value) -> Stored {
        let mut counts = [None; 7];
        for (i, name) in cols::COUNTS.iter().enumerate() {
            counts[i] = v.get(*name).and_then(serde_json::Value::as_i64);
        }
        Stored {
            counts,
            at_least: v
                .get("at_least")
                .and_then(serde_json::Value::as_i64)
                .unwrap_or(0),
            completion_rate: v.get("completion_rate").and_then(serde_json::Value::as_f64),
            avg_watch_seconds: v
                .get("avg_watch_seconds")
                .and_then(serde_json::Value::as_f64),
        }
    }
}

const SNAPSHOT_VALUES: &str = "impressions, reads, likes, saves, comments, shares, follows, \
    at_least, completion_rate, avg_watch_seconds";

fn stored_of(r: &sea_orm::QueryResult, from: usize) -> Result<Stored> {
    let mut counts = [None; 7];
    for (i, c) in counts.iter_mut().enumerate() {
        *c = r.try_get_by_index(from + i)?;
    }
    Ok(Stored {
        counts,
        at_least: r.try_get_by_index(from + 7)?,
        completion_rate: r.try_get_by_index(from + 8)?,
        avg_watch_seconds: r.try_get_by_index(from + 9)?,
    })
}

/// The stored snapshots of `keys`.
pub(crate) async fn existing(
    db: &impl ConnectionTrait,
    ws: WorkspaceId,
    keys: &HashSet<(i64, NaiveDate)>,
) -> Result<HashMap<(i64, NaiveDate), (Stored, Option<i64>)>> {
    let mut out = HashMap::new();
    if keys.is_empty() {
        return Ok(out);
    }
    let items: BTreeSet<i64> = keys.iter().map(|k| k.0).collect();
    let lo = keys.iter().map(|k| k.1).min().unwrap_or_default();
    let hi = keys.iter().map(|k| k.1).max().unwrap_or_default();
    let items: Vec<i64> = items.into_iter().collect();
    for part in items.chunks(2000) {
        let list = part
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!(
            "SELECT item_id, as_of, {SNAPSHOT_VALUES}, import_id FROM post_metric_snapshots \
             WHERE workspace_id = ? AND item_id IN ({list}) AND as_of >= ? AND as_of <= ?"
        );
        for r in db
            .query_all_raw(stmt(
                engine_of(db),
                &sql,
                vec![ws.0.into(), lo.into(), hi.into()],
            ))
            .await?
        {
            let key: (i64, NaiveDate) = (r.try_get_by_index(0)?, r.try_get_by_index(1)?);
            if keys.contains(&key) {
                out.insert(key, (stored_of(&r, 2)?, r.try_get_by_index(12)?));
            }
        }
    }
    Ok(out)
}

/// A snapshot to write: its key, its new values, what it replaced.
pub(crate) struct Write {
    pub item_id: i64,
    pub as_of: NaiveDate,
    pub values: Stored,
    pub previous: Option<Stored>,
    /// The import that wrote the replaced values (kept with them, for an undo).
    pub previous_import: Option<i64>,
}

/// Writes snapshots (upserts), the replaced values, and the rollups they change, in `txn`.
pub(crate) async fn write_snapshots(
    txn: &impl ConnectionTrait,
    ws: WorkspaceId,
    cfg: &WorkspaceConfig,
    idx: &PostIndex,
    import_id: Option<i64>,
    writes: &[Write],
) -> Result<()> {
    if writes.is_empty() {
        return Ok(());
    }
    let engine = engine_of(txn);
    let now = Utc::now();
    for part in writes.chunks(PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO post_metric_snapshots (item_id, as_of, workspace_id, {SNAPSHOT_VALUES}, \
             import_id, updated_at) VALUES {} ON CONFLICT (item_id, as_of) DO UPDATE SET \
             impressions = excluded.impressions, reads = excluded.reads, likes = excluded.likes, \
             saves = excluded.saves, comments = excluded.comments, shares = excluded.shares, \
             follows = excluded.follows, at_least = excluded.at_least, \
             completion_rate = excluded.completion_rate, \
             avg_watch_seconds = excluded.avg_watch_seconds, import_id = excluded.import_id, \
             updated_at = excluded.updated_at",
            value_rows(part.len(), 15)
        );
        let mut values: Vec<DbValue> = Vec::with_capacity(part.len() * 15);
        for w in part {
            values.push(w.item_id.into());
            values.push(w.as_of.into());
            values.push(ws.0.into());
            for c in w.values.counts {
                values.push(c.into());
            }
            values.push(w.values.at_least.into());
            values.push(w.values.completion_rate.into());
            values.push(w.values.avg_watch_seconds.into());
            values.push(import_id.into());
            values.push(now.into());
        }
        txn.execute_raw(stmt(engine, &sql, values)).await?;
    }
    if let Some(import) = import_id {
        let replaced: Vec<&Write> = writes.iter().filter(|w| w.previous.is_some()).collect();
        for part in replaced.chunks(PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO post_metric_changes (import_id, item_id, as_of, previous) VALUES {}",
                value_rows(part.len(), 4)
            );
            let mut values: Vec<DbValue> = Vec::with_capacity(part.len() * 4);
            for w in part {
                values.push(import.into());
                values.push(w.item_id.into());
                values.push(w.as_of.into());
                values.push(
                    w.previous
                        .map(|p| {
                            let mut j = p.json();
                            j["import_id"] = w.previous_import.into();
                            j
                        })
                        .into(),
                );
            }
            txn.execute_raw(stmt(engine, &sql, values)).await?;
        }
    }
    advance_rollups(txn, ws, cfg, idx, writes).await
}

/// (account or campaign, day) → [posts, the seven counts]: what a chunk adds to the day rollups.
type Deltas = HashMap<(i64, NaiveDate), [i64; 8]>;

/// A post's latest snapshot as the rollups hold it, with where it is counted.
struct Latest {
    as_of: NaiveDate,
    account_id: Option<i64>,
    campaign_id: Option<i64>,
    day: Option<NaiveDate>,
    values: Stored,
}

/// Moves the rollups on by what `writes` change, without reading any snapshot again: a
/// post's latest becomes a written snapshot at or after it, and each account's and campaign's
/// day gains the difference (what the post counted before is taken off where it was counted).
async fn advance_rollups(
    txn: &impl ConnectionTrait,
    ws: WorkspaceId,
    cfg: &WorkspaceConfig,
    idx: &PostIndex,
    writes: &[Write],
) -> Result<()> {
    let engine = engine_of(txn);
    let tz: Tz = cfg.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
    // The newest written snapshot of each post.
    let mut newest: HashMap<i64, &Write> = HashMap::new();
    for w in writes {
        match newest.get(&w.item_id) {
            Some(x) if x.as_of > w.as_of => {}
            _ => {
                newest.insert(w.item_id, w);
            }
        }
    }
    let ids: Vec<i64> = newest.keys().copied().collect();
    let mut current: HashMap<i64, Latest> = HashMap::with_capacity(ids.len());
    for part in ids.chunks(2000) {
        let list = part
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!(
            "SELECT item_id, as_of, account_id, campaign_id, day, impressions, reads, likes, saves, \
             comments, shares, follows, at_least FROM post_metrics_latest WHERE item_id IN ({list})"
        );
        for r in txn.query_all_raw(stmt(engine, &sql, Vec::new())).await? {
            let mut counts = [None; 7];
            for (i, c) in counts.iter_mut().enumerate() {
                *c = r.try_get_by_index(5 + i)?;
            }
            current.insert(
                r.try_get_by_index(0)?,
                Latest {
                    as_of: r.try_get_by_index(1)?,
                    account_id: r.try_get_by_index(2)?,
                    campaign_id: r.try_get_by_index(3)?,
                    day: r.try_get_by_index(4)?,
                    values: Stored {
                        counts,
                        at_least: r.try_get_by_index(12)?,
                        completion_rate: None,
                        avg_watch_seconds: None,
                    },
                },
            );
        }
    }
    let (mut by_account, mut by_campaign): (Deltas, Deltas) = (HashMap::new(), HashMap::new());
    let mut add = |l: &Latest, sign: i64| {
        let Some(day) = l.day else { return };
        let mut d = [sign; 8];
        for (i, c) in l.values.counts.iter().enumerate() {
            d[i + 1] = sign * c.unwrap_or(0);
        }
        for (map, key) in [
            (&mut by_account, l.account_id),
            (&mut by_campaign, l.campaign_id),
        ] {
            if let Some(k) = key {
                let e = map.entry((k, day)).or_insert([0; 8]);
                for i in 0..8 {
                    e[i] += d[i];
                }
            }
        }
    };
    let mut changed: Vec<(i64, Latest)> = Vec::new();
    for (item, w) in &newest {
        let old = current.get(item);
        if old.is_some_and(|o| o.as_of > w.as_of) {
            continue;
        }
        let f = idx.items.get(item).copied().unwrap_or(ItemFacts {
            account_id: None,
            campaign_id: None,
            at: None,
        });
        let new = Latest {
            as_of: w.as_of,
            account_id: f.account_id,
            campaign_id: f.campaign_id,
            day: f.at.map(|t| t.with_timezone(&tz).date_naive()),
            values: w.values,
        };
        if let Some(o) = old {
            add(o, -1);
        }
        add(&new, 1);
        changed.push((*item, new));
    }
    for chunk in changed.chunks(PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO post_metrics_latest (item_id, workspace_id, account_id, campaign_id, day, as_of, \
             impressions, reads, likes, saves, comments, shares, follows, at_least) VALUES {} \
             ON CONFLICT (item_id) DO UPDATE SET account_id = excluded.account_id, \
             campaign_id = excluded.campaign_id, day = excluded.day, as_of = excluded.as_of, \
             impressions = excluded.impressions, reads = excluded.reads, likes = excluded.likes, \
             saves = excluded.saves, comments = excluded.comments, shares = excluded.shares, \
             follows = excluded.follows, at_least = excluded.at_least",
            value_rows(chunk.len(), 14)
        );
        let mut values: Vec<DbValue> = Vec::with_capacity(chunk.len() * 14);
        for (item, l) in chunk {
            values.extend([
                (*item).into(),
                ws.0.into(),
                l.account_id.into(),
                l.campaign_id.into(),
                l.day.into(),
                l.as_of.into(),
            ]);
            for c in l.values.counts {
                values.push(c.into());
            }
            values.push(l.values.at_least.into());
        }
        txn.execute_raw(stmt(engine, &sql, values)).await?;
    }
    for (table, key, deltas) in [
        ("account_metrics_daily", "account_id", &by_account),
        ("campaign_metrics_daily", "campaign_id", &by_campaign),
    ] {
        let rows: Vec<(&(i64, NaiveDate), &[i64; 8])> = deltas
            .iter()
            .filter(|(_, d)| d.iter().any(|x| *x != 0))
            .collect();
        for chunk in rows.chunks(PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO {table} ({key}, day, workspace_id, posts, impressions, reads, likes, saves, \
                 comments, shares, follows) VALUES {} ON CONFLICT ({key}, day) DO UPDATE SET \
                 posts = {table}.posts + excluded.posts, \
                 impressions = {table}.impressions + excluded.impressions, \
                 reads = {table}.reads + excluded.reads, likes = {table}.likes + excluded.likes, \
                 saves = {table}.saves + excluded.saves, comments = {table}.comments + excluded.comments, \
                 shares = {table}.shares + excluded.shares, follows = {table}.follows + excluded.follows",
                value_rows(chunk.len(), 11)
            );
            let mut values: Vec<DbValue> = Vec::with_capacity(chunk.len() * 11);
            for ((k, day), d) in chunk {
                values.extend([(*k).into(), (*day).into(), ws.0.into()]);
                values.extend(d.iter().map(|x| DbValue::from(*x)));
            }
            txn.execute_raw(stmt(engine, &sql, values)).await?;
        }
    }
    Ok(())
}

/// Recomputes the latest snapshot of `items` and the account and campaign days they fall on.
pub(crate) async fn refresh_rollups(
    txn: &impl ConnectionTrait,
    ws: WorkspaceId,
    cfg: &WorkspaceConfig,
    idx: &PostIndex,
    items: &BTreeSet<i64>,
) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let engine = engine_of(txn);
    let tz: Tz = cfg.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
    let ids: Vec<i64> = items.iter().copied().collect();
    let mut accounts: BTreeSet<i64> = BTreeSet::new();
    let mut campaigns: BTreeSet<i64> = BTreeSet::new();
    let mut days: BTreeSet<NaiveDate> = BTreeSet::new();
    for part in ids.chunks(2000) {
        let list = part
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        // Each item's newest snapshot.
        let sql = format!(
            "SELECT s.item_id, s.as_of, {} FROM post_metric_snapshots s WHERE s.item_id IN ({list}) \
             AND s.as_of = (SELECT MAX(x.as_of) FROM post_metric_snapshots x WHERE x.item_id = s.item_id)",
            SNAPSHOT_VALUES
                .split(", ")
                .map(|c| format!("s.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let rows = txn.query_all_raw(stmt(engine, &sql, Vec::new())).await?;
        let mut latest: Vec<(i64, NaiveDate, Stored)> = Vec::with_capacity(rows.len());
        for r in &rows {
            latest.push((
                r.try_get_by_index(0)?,
                r.try_get_by_index(1)?,
                stored_of(r, 2)?,
            ));
        }
        // The old rows' account and campaign days also change when an item moved or lost
        // its data.
        let old = format!(
            "SELECT account_id, campaign_id, day FROM post_metrics_latest WHERE item_id IN ({list})"
        );
        for r in txn.query_all_raw(stmt(engine, &old, Vec::new())).await? {
            let (a, c, d): (Option<i64>, Option<i64>, Option<NaiveDate>) = (
                r.try_get_by_index(0)?,
                r.try_get_by_index(1)?,
                r.try_get_by_index(2)?,
            );
            accounts.extend(a);
            campaigns.extend(c);
            days.extend(d);
        }
        txn.execute_raw(stmt(
            engine,
            &format!("DELETE FROM post_metrics_latest WHERE item_id IN ({list})"),
            Vec::new(),
        ))
        .await?;
        for chunk in latest.chunks(PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO post_metrics_latest (item_id, workspace_id, account_id, campaign_id, \
                 day, as_of, impressions, reads, likes, saves, comments, shares, follows, at_least) \
                 VALUES {}",
                value_rows(chunk.len(), 14)
            );
            let mut values: Vec<DbValue> = Vec::with_capacity(chunk.len() * 14);
            for (item, as_of, s) in chunk {
                let f = idx.items.get(item).copied().unwrap_or(ItemFacts {
                    account_id: None,
                    campaign_id: None,
                    at: None,
                });
                let day = f.at.map(|t| t.with_timezone(&tz).date_naive());
                accounts.extend(f.account_id);
                campaigns.extend(f.campaign_id);
                days.extend(day);
                values.push((*item).into());
                values.push(ws.0.into());
                values.push(f.account_id.into());
                values.push(f.campaign_id.into());
                values.push(day.into());
                values.push((*as_of).into());
                for c in s.counts {
                    values.push(c.into());
                }
                values.push(s.at_least.into());
            }
            txn.execute_raw(stmt(engine, &sql, values)).await?;
        }
    }
    for (table, key, set) in [
        ("account_metrics_daily", "account_id", &accounts),
        ("campaign_metrics_daily", "campaign_id", &campaigns),
    ] {
        if set.is_empty() || days.is_empty() {
            continue;
        }
        let keys = set.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let day_marks = vec!["?"; days.len()].join(", ");
        let day_values: Vec<DbValue> = days.iter().map(|d| (*d).into()).collect();
        let mut values = day_values.clone();
        values.insert(0, ws.0.into());
        txn.execute_raw(stmt(
            engine,
            &format!(
                "DELETE FROM {table} WHERE workspace_id = ? AND {key} IN ({keys}) AND day IN ({day_marks})"
            ),
            values.clone(),
        ))
        .await?;
        txn.execute_raw(stmt(
            engine,
            &format!(
                "INSERT INTO {table} ({key}, day, workspace_id, posts, impressions, reads, likes, \
                 saves, comments, shares, follows) \
                 SELECT {key}, day, workspace_id, COUNT(*), COALESCE(SUM(impressions), 0), \
                 COALESCE(SUM(reads), 0), COALESCE(SUM(likes), 0), COALESCE(SUM(saves), 0), \
                 COALESCE(SUM(comments), 0), COALESCE(SUM(shares), 0), COALESCE(SUM(follows), 0) \
                 FROM post_metrics_latest WHERE workspace_id = ? AND {key} IN ({keys}) \
                 AND day IN ({day_marks}) GROUP BY {key}, day, workspace_id"
            ),
            values,
        ))
        .await?;
    }
    Ok(())
}

/// Creates the pending posts of `keys` as published items of their accounts (marked with the
/// import), in `txn`; answers each key's new id.
pub(crate) async fn create_posts(
    txn: &impl ConnectionTrait,
    ws: WorkspaceId,
    caller_user: Option<i64>,
    import_id: Option<i64>,
    idx: &PostIndex,
    keys: &[String],
) -> Result<Vec<(String, i64)>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let engine = engine_of(txn);
    let ids = crate::dialect::reserve_ids(txn, "content_items", keys.len()).await?;
    let now = Utc::now();
    let mut out = Vec::with_capacity(keys.len());
    let pairs: Vec<(&String, i64)> = keys.iter().zip(ids).collect();
    for part in pairs.chunks(200) {
        let sql = format!(
            "INSERT INTO content_items (id, workspace_id, stage, position, account_id, title, body, \
             hashtags, media, published_at, post_url, platform_post_id, review_state, review_round, \
             review_step, tags, custom, red_line_hits, warnings, comments, created_by, version, \
             field_versions, created_at, updated_at, import_id) VALUES {}",
            value_rows(part.len(), 26)
        );
        let mut values: Vec<DbValue> = Vec::with_capacity(part.len() * 26);
        for (key, id) in part {
            let Some(p) = idx.pending.get(*key) else {
                continue;
            };
            values.extend([
                (*id).into(),
                ws.0.into(),
                "retro".into(),
                (*id as f64).into(),
                p.account_id.into(),
                p.title.clone().into(),
                String::new().into(),
                serde_json::json!([]).into(),
                serde_json::json!([]).into(),
                p.published_at.into(),
                p.post_url.clone().into(),
                p.post_id.clone().into(),
                "none".into(),
                0i64.into(),
                0i64.into(),
                serde_json::json!(["导入"]).into(),
                serde_json::json!({}).into(),
                0i64.into(),
                0i64.into(),
                0i64.into(),
                caller_user.into(),
                1i64.into(),
                serde_json::json!({}).into(),
                now.into(),
                now.into(),
                import_id.into(),
            ]);
            out.push(((*key).clone(), *id));
        }
        txn.execute_raw(stmt(engine, &sql, values)).await?;
    }
    Ok(out)
}
