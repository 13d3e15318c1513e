//! Data in, the store side: post metric imports (a file kept in the file store, previewed and
//! committed by streaming it a chunk at a time), pushes and hand entry through the same rows
//! (`posts`), the metric registry with its versions, grades, and an import's undo.

pub(crate) mod kinds;
pub(crate) mod posts;

use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

use chrono::{NaiveDate, Utc};
use kox_domain::access::Capability;
use kox_domain::imports::accounts::ImportField;
use kox_domain::imports::sheet::{self, ReadOptions, SheetHead};
use kox_domain::imports::{
    CommitRequest, Import, ImportIssue, ImportKind, ImportOptions, ImportPreview, ImportResult,
    ImportRow, ImportStatus, MAX_LISTED_ISSUES, MAX_PREVIEW_ROWS, Mapping, MatchKind, PostPreview,
    PreviewRow, RowOutcome, RowResolution, SheetRow,
};
use kox_domain::metrics::kinds::KindSpec;
use kox_domain::metrics::posts::{self as cols, PostValues};
use kox_domain::metrics::values::DateForm;
use kox_domain::metrics::{
    Counts, GradeRecord, GradeStatus, ItemMetrics, MetricDefinitions, MetricRegistry,
    PostMetricInput, PostMetricPush, PushIssue, PushResult, Snapshot, presets,
};
use kox_domain::{FieldError, UserId, WorkspaceId};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, QueryFilter, Set, Value as DbValue};
use serde_json::{Value, json};

use self::posts::{Plan, PostIndex, Resolved, Stored, Target, Write};
use crate::Caller;
use crate::config::WorkspaceConfig;
use crate::dialect::stmt;
use crate::entities::import;
use crate::error::invalid;
use crate::events::{NewEvent, record};
use crate::scoped;
use crate::{Result, Store, StoreError};

/// Rows per chunk of a metric import: each chunk is one transaction. On SQLite (one writer)
/// a chunk is small enough that a board move waiting behind it still answers quickly.
pub const METRIC_CHUNK_ROWS: usize = 4000;
pub const METRIC_CHUNK_ROWS_SQLITE: usize = 1000;
/// The most data rows a metric file may have.
pub const MAX_METRIC_ROWS: usize = 2_000_000;
const SAMPLE_ROWS: usize = 5;
/// Date forms are judged against the first this many dated rows of a column.
const FORM_SAMPLE: usize = 200;

/// The fields a metric import of `kind` can fill.
pub fn import_fields(kind: ImportKind) -> Vec<ImportField> {
    let columns: Vec<&kox_domain::imports::Column> = match kox_domain::metrics::kinds::spec(kind) {
        Some(spec) => spec.columns.iter().map(|(c, _)| c).collect(),
        None => cols::COLUMNS.iter().collect(),
    };
    let spec = kox_domain::metrics::kinds::spec(kind);
    columns
        .into_iter()
        .map(|c| ImportField {
            field: c.field.to_owned(),
            required: c.required || spec.is_some_and(|s| s.needs_column(c.field)),
            label: None,
        })
        .collect()
}

fn json_of<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or_default()
}

/// A date column's usual form, learnt from its first dated rows; a row in another family is
/// refused (a year left out, or a serial day, beside full dates).
#[derive(Default)]
struct Forms {
    seen: Vec<DateForm>,
    main: Option<DateForm>,
}

impl Forms {
    fn family(f: DateForm) -> DateForm {
        match f {
            DateForm::Chinese | DateForm::Zoned => DateForm::Numeric,
            other => other,
        }
    }
    /// `Some(main)` when `f` is not of the column's form.
    fn check(&mut self, f: DateForm) -> Option<DateForm> {
        let f = Self::family(f);
        if self.main.is_none() {
            self.seen.push(f);
            if self.seen.len() < FORM_SAMPLE {
                // Until the sample is full, the most common so far is the form.
                let mut best = (0, f);
                for g in [DateForm::Numeric, DateForm::NoYear, DateForm::Serial] {
                    let n = self.seen.iter().filter(|x| **x == g).count();
                    if n > best.0 {
                        best = (n, g);
                    }
                }
                return (best.1 != f).then_some(best.1);
            }
            let mut best = (0, f);
            for g in [DateForm::Numeric, DateForm::NoYear, DateForm::Serial] {
                let n = self.seen.iter().filter(|x| **x == g).count();
                if n > best.0 {
                    best = (n, g);
                }
            }
            self.main = Some(best.1);
        }
        self.main.filter(|m| *m != f)
    }
}

/// What reading a file's rows needs, for the whole file.
struct Reading<'a> {
    ctx: cols::Context,
    headers: &'a [String],
    mapping: &'a Mapping,
    plan: Plan<'a>,
    forms: [Forms; 2],
    /// (post, day) hashes of the rows so far → the first row (a file naming one twice).
    seen: HashMap<u64, u32>,
}

/// Counts and lists of a preview or a commit, chunk by chunk.
#[derive(Default)]
struct Tally {
    creates: u32,
    updates: u32,
    unchanged: u32,
    invalid: u32,
    skipped: u32,
    issue_count: u32,
    issues: Vec<ImportIssue>,
    invalid_rows: Vec<PreviewRow>,
    other_rows: Vec<PreviewRow>,
    posts: PostPreview,
    accounts: BTreeSet<i64>,
    new_keys: BTreeSet<String>,
    /// Items written (their accounts are re-graded at the end).
    touched: BTreeSet<i64>,
    /// Every refused row's issues (the first `ANNOTATED_ROWS` rows), for the annotated file.
    by_row: HashMap<u32, Vec<ImportIssue>>,
    /// A commit stopped by a cancel.
    cancelled: bool,
    /// What stopped a commit (the chunks before it stay written).
    failed: Option<StoreError>,
}

/// At most this many refused rows are written to an import's annotated file.
pub const ANNOTATED_ROWS: usize = 100_000;

impl Tally {
    fn issue(&mut self, row: u32, mut issues: Vec<ImportIssue>) {
        self.invalid += 1;
        self.issue_count += issues.len() as u32;
        if self.by_row.len() < ANNOTATED_ROWS {
            self.by_row
                .entry(row)
                .or_default()
                .extend(issues.iter().cloned());
        }
        let room = MAX_LISTED_ISSUES.saturating_sub(self.issues.len());
        issues.truncate(room);
        if self.invalid_rows.len() < MAX_PREVIEW_ROWS {
            self.invalid_rows.push(PreviewRow {
                row,
                outcome: RowOutcome::Invalid,
                platform: None,
                handle: None,
                display_name: issues.first().map(|i| i.message.clone()),
                changed: Vec::new(),
                record_id: None,
            });
        }
        self.issues.extend(issues);
    }
}

fn key_hash(t: &Target, day: NaiveDate) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    t.hash(&mut h);
    day.hash(&mut h);
    h.finish()
}

/// Reads, checks and matches one chunk's rows: the rows ready to write (post, day, values).
#[allow(clippy::many_single_char_names)] // r: the reading, t: the tally, v: a row's values
fn read_chunk(
    r: &mut Reading<'_>,
    idx: &mut PostIndex,
    chunk: &[SheetRow],
    t: &mut Tally,
) -> Vec<(u32, Target, NaiveDate, PostValues)> {
    let mut out = Vec::with_capacity(chunk.len());
    for row in chunk {
        let v = match cols::read_row(&r.ctx, r.headers, r.mapping, row) {
            Ok(v) => v,
            Err(issues) => {
                t.issue(row.number, issues);
                continue;
            }
        };
        let mut form_issues = Vec::new();
        let published_form = v.published.map(|w| w.form);
        for (i, (field, form)) in [("published_at", published_form)].into_iter().enumerate() {
            if let Some(f) = form
                && let Some(main) = r.forms[i].check(f)
            {
                form_issues.push(ImportIssue::at(
                    row,
                    r.headers,
                    r.mapping,
                    FieldError::new(
                        field,
                        "imports.mixed_date_forms",
                        format!(
                            "this column's dates are written like {}; this one like {}: write them all one way",
                            main.example(),
                            f.example()
                        ),
                    ),
                    field,
                ));
            }
        }
        if !form_issues.is_empty() {
            t.issue(row.number, form_issues);
            continue;
        }
        let plan = &r.plan;
        // Only a row without an id or link can be ambiguous; its candidates are listed.
        let by_title = (v.post_id.is_none() && v.post_url.is_none()).then(|| v.clone());
        match posts::resolve(idx, plan, row.number, v) {
            Resolved::Skipped(n) => {
                t.skipped += 1;
                t.posts.skipped += 1;
                let _ = n;
            }
            Resolved::Invalid(mut issues) => {
                for i in &mut issues {
                    if let Some(col) = r.mapping.get(&i.field).copied() {
                        i.column = Some(col);
                        i.column_letter = Some(kox_domain::imports::column_letter(col));
                        i.header = r.headers.get(col).cloned();
                    }
                }
                let ambiguous = issues
                    .iter()
                    .any(|i| i.code == "imports.ambiguous_post")
                    .then(|| {
                        by_title
                            .as_ref()
                            .and_then(|v| posts::ambiguous_row(idx, plan, row.number, v))
                    })
                    .flatten();
                if let Some(a) = ambiguous {
                    t.posts.ambiguous += 1;
                    if t.posts.matches.len() < MAX_PREVIEW_ROWS {
                        t.posts.matches.push(a);
                    }
                }
                t.issue(row.number, issues);
            }
            Resolved::Ready {
                row: n,
                target,
                how,
                values,
                listed,
            } => {
                let day = values.as_of.unwrap_or(r.ctx.as_of);
                let h = key_hash(&target, day);
                if let Some(first) = r.seen.get(&h) {
                    let e = FieldError::new(
                        "as_of",
                        "imports.duplicate_row",
                        format!("row {first} already has this post's numbers for {day}"),
                    );
                    let field = if r.mapping.contains_key("post_id") {
                        "post_id"
                    } else {
                        "title"
                    };
                    t.issue(
                        n,
                        vec![ImportIssue::at(row, r.headers, r.mapping, e, field)],
                    );
                    continue;
                }
                r.seen.insert(h, n);
                match how {
                    MatchKind::Id => t.posts.by_id += 1,
                    MatchKind::Title => t.posts.by_title += 1,
                    MatchKind::Weak => t.posts.weak += 1,
                    MatchKind::Chosen => t.posts.chosen += 1,
                    MatchKind::New | MatchKind::Ambiguous => {}
                }
                if let Target::New(k) = &target {
                    t.new_keys.insert(k.clone());
                }
                if let Some(l) = listed
                    && t.posts.matches.len() < MAX_PREVIEW_ROWS
                {
                    t.posts.matches.push(l);
                }
                match &target {
                    Target::Item(id) => t
                        .accounts
                        .extend(idx.items.get(id).and_then(|f| f.account_id)),
                    Target::New(k) => t.accounts.extend(idx.pending.get(k).map(|p| p.account_id)),
                }
                out.push((n, target, day, *values));
            }
        }
    }
    out
}

/// Compares ready rows with the stored snapshots: what to write, and the counts.
async fn diff(
    db: &impl ConnectionTrait,
    ws: WorkspaceId,
    ready: &[(u32, i64, NaiveDate, PostValues)],
    t: &mut Tally,
) -> Result<Vec<Write>> {
    let keys = ready.iter().map(|(_, id, d, _)| (*id, *d)).collect();
    let stored = posts::existing(db, ws, &keys).await?;
    let mut writes = Vec::new();
    for (row, id, day, v) in ready {
        let (old, old_import) = match stored.get(&(*id, *day)) {
            Some((s, i)) => (Some(s), *i),
            None => (None, None),
        };
        let merged = Stored::merged(old, v);
        let outcome = match old {
            None => RowOutcome::Create,
            Some(o) if *o == merged => RowOutcome::Unchanged,
            Some(_) => RowOutcome::Update,
        };
        match outcome {
            RowOutcome::Create => t.creates += 1,
            RowOutcome::Update => t.updates += 1,
            _ => t.unchanged += 1,
        }
        if t.other_rows.len() < MAX_PREVIEW_ROWS {
            t.other_rows.push(PreviewRow {
                row: *row,
                outcome,
                platform: None,
                handle: None,
                display_name: v.title.clone(),
                changed: Vec::new(),
                record_id: Some(*id),
            });
        }
        if outcome != RowOutcome::Unchanged {
            writes.push(Write {
                item_id: *id,
                as_of: *day,
                values: merged,
                previous: old.copied(),
                previous_import: old_import,
            });
        }
    }
    Ok(writes)
}

impl Store {
    /// The registry in force (version 0: the defaults).
    pub async fn metric_registry(&self, ws: WorkspaceId) -> Result<MetricRegistry> {
        let row = self
            .read
            .query_one_raw(stmt(
                self.engine(),
                "SELECT version, CAST(definitions AS TEXT), created_by, created_at FROM metric_definitions \
                 WHERE workspace_id = ? ORDER BY version DESC LIMIT 1",
                vec![ws.0.into()],
            ))
            .await?;
        Ok(match row {
            None => MetricRegistry {
                version: 0,
                definitions: MetricDefinitions::default(),
                created_by: None,
                created_at: None,
            },
            Some(r) => {
                let text: String = r.try_get_by_index(1)?;
                MetricRegistry {
                    version: r.try_get_by_index(0)?,
                    definitions: serde_json::from_str(&text)
                        .map_err(|e| crate::db::other(format!("metric definitions: {e}")))?,
                    created_by: r.try_get_by_index::<Option<i64>>(2)?.map(UserId),
                    created_at: Some(r.try_get_by_index(3)?),
                }
            }
        })
    }

    /// A new version of the registry (when it differs from the one in force); grades are
    /// recomputed in the background by the caller (`regrade`).
    pub async fn set_metric_registry(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        d: MetricDefinitions,
    ) -> Result<(MetricRegistry, bool)> {
        if !caller.can(Capability::MetricsManage) {
            return Err(StoreError::Forbidden);
        }
        let cfg = self.workspace_config(ws).await?;
        let platforms: Vec<String> = cfg.platforms.keys().cloned().collect();
        d.validate(&platforms)?;
        let current = self.metric_registry(ws).await?;
        if current.definitions == d && current.version > 0 {
            return Ok((current, false));
        }
        let txn = self.begin().await?;
        let version = current.version + 1;
        txn.execute_raw(stmt(
            self.engine(),
            &format!(
                "INSERT INTO metric_definitions (workspace_id, version, definitions, created_by, created_at) \
                 VALUES (?, ?, {}, ?, ?)",
                if self.engine() == crate::Engine::Postgres { "CAST(? AS JSONB)" } else { "?" }
            ),
            vec![
                ws.0.into(),
                version.into(),
                serde_json::to_string(&d).unwrap_or_default().into(),
                caller.user.map(|u| u.0).into(),
                Utc::now().into(),
            ],
        ))
        .await?;
        record(
            &txn,
            caller,
            NewEvent::change(
                ws,
                "metric_definitions",
                Some(version),
                "metrics.rules_changed",
            )
            .before(json_of(&current.definitions))
            .after(json_of(&d)),
        )
        .await?;
        // Every grade again, in the background (one pending re-grade per workspace).
        crate::jobs::schedule(
            &txn,
            ws,
            &crate::jobs::NewJob {
                kind: kox_domain::jobs::JobKind::Regrade,
                payload: json!({"version": version}),
                run_at: Utc::now(),
                key: format!("regrade:{version}"),
            },
        )
        .await?;
        self.commit(txn).await?;
        Ok((self.metric_registry(ws).await?, true))
    }

    /// Grades every post with data of `accounts` (all accounts when `None`) by the registry
    /// in force; writes only grades that changed. Answers how many changed.
    pub async fn regrade(&self, ws: WorkspaceId, accounts: Option<&BTreeSet<i64>>) -> Result<u64> {
        let reg = self.metric_registry(ws).await?;
        let cfg = self.workspace_config(ws).await?;
        let engine = self.engine();
        let list: Vec<i64> = if let Some(a) = accounts {
            a.iter().copied().collect()
        } else {
            {
                let rows = self
                    .read
                    .query_all_raw(stmt(
                        engine,
                        "SELECT DISTINCT account_id FROM post_metrics_latest WHERE workspace_id = ? AND account_id IS NOT NULL",
                        vec![ws.0.into()],
                    ))
                    .await?;
                rows.iter()
                    .map(|r| r.try_get_by_index::<i64>(0))
                    .collect::<std::result::Result<_, _>>()?
            }
        };
        let mut changed = 0u64;
        for part in list.chunks(200) {
            changed += self.regrade_part(ws, &cfg, &reg, part).await?;
        }
        Ok(changed)
    }

    async fn regrade_part(
        &self,
        ws: WorkspaceId,
        cfg: &WorkspaceConfig,
        reg: &MetricRegistry,
        accounts: &[i64],
    ) -> Result<u64> {
        if accounts.is_empty() {
            return Ok(0);
        }
        let engine = self.engine();
        let keys = accounts
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!(
            "SELECT l.item_id, l.account_id, l.as_of, l.likes, l.saves, l.comments, l.shares, \
             g.grade, g.method, g.rule_version, g.interactions, g.baseline, g.baseline_posts, g.as_of, g.threshold \
             FROM post_metrics_latest l JOIN content_items c ON c.id = l.item_id \
             LEFT JOIN item_grades g ON g.item_id = l.item_id \
             WHERE l.workspace_id = ? AND l.account_id IN ({keys}) \
             ORDER BY l.account_id, COALESCE(c.published_at, c.planned_at, c.created_at), l.item_id"
        );
        let rows = self
            .read
            .query_all_raw(stmt(engine, &sql, vec![ws.0.into()]))
            .await?;
        let d = &reg.definitions;
        let mut writes: Vec<(i64, kox_domain::metrics::GradeOutcome, NaiveDate)> = Vec::new();
        let mut earlier: Vec<i64> = Vec::new();
        let mut current_account = None;
        for r in &rows {
            let item: i64 = r.try_get_by_index(0)?;
            let account: i64 = r.try_get_by_index(1)?;
            let as_of: NaiveDate = r.try_get_by_index(2)?;
            if current_account != Some(account) {
                earlier.clear();
                current_account = Some(account);
            }
            let counts = Counts {
                likes: r.try_get_by_index(3)?,
                saves: r.try_get_by_index(4)?,
                comments: r.try_get_by_index(5)?,
                shares: r.try_get_by_index(6)?,
                ..Counts::default()
            };
            let n = d.interactions(&counts);
            let tier = cfg
                .account_labels
                .get(&account)
                .and_then(|l| kox_domain::accounts::Tier::parse(&l.0));
            let platform = cfg.accounts.get(&account).map(|a| a.0.as_str());
            let g = d.grades.grade(n, &earlier, tier, platform);
            earlier.push(n);
            let old_grade: Option<String> = r.try_get_by_index(7)?;
            let old_version: Option<i64> = r.try_get_by_index(9)?;
            let old_n: Option<i64> = r.try_get_by_index(10)?;
            let old_baseline: Option<f64> = r.try_get_by_index(11)?;
            let old_posts: Option<i64> = r.try_get_by_index(12)?;
            let old_as_of: Option<NaiveDate> = r.try_get_by_index(13)?;
            let same = old_version == Some(reg.version)
                && old_grade.as_deref() == g.grade.map(kox_domain::metrics::Grade::as_str)
                && old_n == Some(g.interactions)
                && old_baseline == g.baseline
                && old_posts == Some(i64::from(g.baseline_posts))
                && old_as_of == Some(as_of);
            if !same {
                writes.push((item, g, as_of));
            }
        }
        if writes.is_empty() {
            return Ok(0);
        }
        let txn = self.begin().await?;
        let now = Utc::now();
        for part in writes.chunks(400) {
            let sql = format!(
                "INSERT INTO item_grades (item_id, workspace_id, grade, method, interactions, baseline, \
                 baseline_posts, multiple, threshold, rule_version, as_of, graded_at) VALUES {} \
                 ON CONFLICT (item_id) DO UPDATE SET grade = excluded.grade, method = excluded.method, \
                 interactions = excluded.interactions, baseline = excluded.baseline, \
                 baseline_posts = excluded.baseline_posts, multiple = excluded.multiple, \
                 threshold = excluded.threshold, rule_version = excluded.rule_version, \
                 as_of = excluded.as_of, graded_at = excluded.graded_at",
                posts::value_rows(part.len(), 12)
            );
            let mut values: Vec<DbValue> = Vec::with_capacity(part.len() * 12);
            for (item, g, as_of) in part {
                values.extend([
                    (*item).into(),
                    ws.0.into(),
                    g.grade.map(|x| x.as_str().to_owned()).into(),
                    json_of(&g.method)
                        .as_str()
                        .unwrap_or("relative")
                        .to_owned()
                        .into(),
                    g.interactions.into(),
                    g.baseline.into(),
                    i64::from(g.baseline_posts).into(),
                    g.multiple.into(),
                    g.threshold.into(),
                    reg.version.into(),
                    (*as_of).into(),
                    now.into(),
                ]);
            }
            txn.execute_raw(stmt(engine, &sql, values)).await?;
            // The board's letter.
            for grade in [None, Some("S"), Some("A"), Some("B"), Some("C")] {
                let ids: Vec<String> = part
                    .iter()
                    .filter(|(_, g, _)| g.grade.map(kox_domain::metrics::Grade::as_str) == grade)
                    .map(|(i, ..)| i.to_string())
                    .collect();
                if ids.is_empty() {
                    continue;
                }
                txn.execute_raw(stmt(
                    engine,
                    &format!(
                        "UPDATE content_items SET grade = ? WHERE workspace_id = ? AND id IN ({})",
                        ids.join(",")
                    ),
                    vec![grade.map(str::to_owned).into(), ws.0.into()],
                ))
                .await?;
            }
        }
        self.commit(txn).await?;
        Ok(writes.len() as u64)
    }

    /// How far grading is with the registry in force.
    pub async fn grade_status(&self, ws: WorkspaceId) -> Result<GradeStatus> {
        let reg = self.metric_registry(ws).await?;
        let r = self
            .read
            .query_one_raw(stmt(
                self.engine(),
                "SELECT COUNT(*), \
                 SUM(CASE WHEN g.rule_version = ? THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN g.rule_version = ? AND g.grade = 'S' THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN g.rule_version = ? AND g.grade = 'A' THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN g.rule_version = ? AND g.grade = 'B' THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN g.rule_version = ? AND g.grade = 'C' THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN g.rule_version = ? AND g.grade IS NULL THEN 1 ELSE 0 END) \
                 FROM post_metrics_latest l LEFT JOIN item_grades g ON g.item_id = l.item_id \
                 WHERE l.workspace_id = ?",
                vec![
                    reg.version.into(),
                    reg.version.into(),
                    reg.version.into(),
                    reg.version.into(),
                    reg.version.into(),
                    reg.version.into(),
                    ws.0.into(),
                ],
            ))
            .await?;
        let n = |i: usize| -> Result<u64> {
            Ok(match &r {
                Some(r) => r.try_get_by_index::<Option<i64>>(i)?.unwrap_or(0) as u64,
                None => 0,
            })
        };
        Ok(GradeStatus {
            rule_version: reg.version,
            posts: n(0)?,
            current: n(1)?,
            s: n(2)?,
            a: n(3)?,
            b: n(4)?,
            c: n(5)?,
            ungraded: n(6)?,
        })
    }

    /// A post's snapshots, latest values, interactions and grade.
    pub async fn item_metrics(&self, ws: WorkspaceId, item_id: i64) -> Result<ItemMetrics> {
        let engine = self.engine();
        let exists = self
            .read
            .query_one_raw(stmt(
                engine,
                "SELECT account_id FROM content_items WHERE workspace_id = ? AND id = ?",
                vec![ws.0.into(), item_id.into()],
            ))
            .await?
            .ok_or(StoreError::NotFound)?;
        let account: Option<i64> = exists.try_get_by_index(0)?;
        let rows = self
            .read
            .query_all_raw(stmt(
                engine,
                "SELECT as_of, impressions, reads, likes, saves, comments, shares, follows, at_least, \
                 completion_rate, avg_watch_seconds, import_id, updated_at FROM post_metric_snapshots \
                 WHERE workspace_id = ? AND item_id = ? ORDER BY as_of",
                vec![ws.0.into(), item_id.into()],
            ))
            .await?;
        let mut snapshots = Vec::with_capacity(rows.len());
        for r in &rows {
            let at_least: i64 = r.try_get_by_index(8)?;
            snapshots.push(Snapshot {
                as_of: r.try_get_by_index(0)?,
                counts: Counts {
                    impressions: r.try_get_by_index(1)?,
                    reads: r.try_get_by_index(2)?,
                    likes: r.try_get_by_index(3)?,
                    saves: r.try_get_by_index(4)?,
                    comments: r.try_get_by_index(5)?,
                    shares: r.try_get_by_index(6)?,
                    follows: r.try_get_by_index(7)?,
                },
                at_least: cols::COUNTS
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| at_least & (1 << i) != 0)
                    .map(|(_, n)| (*n).to_owned())
                    .collect(),
                completion_rate: r.try_get_by_index(9)?,
                avg_watch_seconds: r.try_get_by_index(10)?,
                import_id: r.try_get_by_index(11)?,
                updated_at: r.try_get_by_index(12)?,
            });
        }
        let reg = self.metric_registry(ws).await?;
        let latest = snapshots.last().cloned();
        let interactions = latest
            .as_ref()
            .map(|s| reg.definitions.interactions(&s.counts));
        let followers = match account {
            Some(a) => self
                .read
                .query_one_raw(stmt(
                    engine,
                    "SELECT followers FROM accounts WHERE id = ?",
                    vec![a.into()],
                ))
                .await?
                .map(|r| r.try_get_by_index::<Option<i64>>(0))
                .transpose()?
                .flatten(),
            None => None,
        };
        let interaction_rate = latest.as_ref().and_then(|s| {
            let base = match reg.definitions.rate_base {
                kox_domain::metrics::grading::RateBase::Reads => s.counts.reads,
                kox_domain::metrics::grading::RateBase::Impressions => s.counts.impressions,
                kox_domain::metrics::grading::RateBase::Followers => followers,
            }?;
            (base > 0).then(|| interactions.unwrap_or(0) as f64 / base as f64)
        });
        let g = self
            .read
            .query_one_raw(stmt(
                engine,
                "SELECT grade, method, interactions, baseline, baseline_posts, multiple, threshold, \
                 rule_version, as_of, graded_at FROM item_grades WHERE item_id = ? AND workspace_id = ?",
                vec![item_id.into(), ws.0.into()],
            ))
            .await?;
        let grade = match g {
            None => None,
            Some(r) => {
                let method: String = r.try_get_by_index(1)?;
                Some(GradeRecord {
                    outcome: kox_domain::metrics::GradeOutcome {
                        grade: r
                            .try_get_by_index::<Option<String>>(0)?
                            .as_deref()
                            .and_then(kox_domain::metrics::Grade::parse),
                        method: serde_json::from_value(Value::String(method))
                            .unwrap_or(kox_domain::metrics::GradeMethod::Relative),
                        interactions: r.try_get_by_index(2)?,
                        baseline: r.try_get_by_index(3)?,
                        baseline_posts: r.try_get_by_index::<i64>(4)? as u32,
                        multiple: r.try_get_by_index(5)?,
                        threshold: r.try_get_by_index(6)?,
                    },
                    rule_version: r.try_get_by_index(7)?,
                    as_of: r.try_get_by_index(8)?,
                    graded_at: r.try_get_by_index(9)?,
                })
            }
        };
        let replies = self
            .read
            .query_one_raw(stmt(
                engine,
                "SELECT comments, replied_24h FROM item_reply_stats WHERE item_id = ? AND workspace_id = ?",
                vec![item_id.into(), ws.0.into()],
            ))
            .await?
            .map(|r| -> Result<kox_domain::metrics::ReplyStats> {
                Ok(kox_domain::metrics::ReplyStats {
                    comments: r.try_get_by_index(0)?,
                    replied_24h: r.try_get_by_index(1)?,
                })
            })
            .transpose()?;
        Ok(ItemMetrics {
            item_id,
            snapshots,
            latest,
            interactions,
            interaction_rate,
            grade,
            replies,
        })
    }

    /// Keeps an uploaded metric file in the file store and reads its header, sample and row
    /// count; the mapping starts as the preset's, the saved mapping's, or one suggested from
    /// the headers.
    pub async fn create_file_import(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        kind: ImportKind,
        file_name: &str,
        bytes: Vec<u8>,
        options: ImportOptions,
    ) -> Result<Import> {
        if !caller.can(Capability::MetricsManage) {
            return Err(StoreError::Forbidden);
        }
        let (key, mut file) = self.upload_target(ws).await?;
        let kept = async {
            tokio::io::AsyncWriteExt::write_all(&mut file, &bytes).await?;
            tokio::io::AsyncWriteExt::flush(&mut file).await
        };
        kept.await
            .map_err(|e| crate::db::other(format!("cannot keep the upload: {e}")))?;
        drop((file, bytes));
        self.create_file_import_at(caller, ws, kind, file_name, key, options)
            .await
    }

    /// A new file in the file store for an upload to be written to as it arrives: its key and
    /// the file.
    pub async fn upload_target(&self, ws: WorkspaceId) -> Result<(String, tokio::fs::File)> {
        let key = format!("imports/{}/{:016x}", ws.0, rand_suffix());
        let file = self.files.create(&key).await?;
        Ok((key, file))
    }

    /// Removes an upload that was not finished (too large, or the connection broke).
    pub async fn discard_upload(&self, key: &str) -> Result<()> {
        self.files.delete(key).await
    }

    /// `create_file_import` for an upload already written to the file store under `key` (it
    /// is removed when it cannot be read).
    pub async fn create_file_import_at(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        kind: ImportKind,
        file_name: &str,
        key: String,
        mut options: ImportOptions,
    ) -> Result<Import> {
        if !caller.can(Capability::MetricsManage) {
            self.files.delete(&key).await?;
            return Err(StoreError::Forbidden);
        }
        let cfg = self.workspace_config(ws).await?;
        // What the upload names is checked before the file is read; a refusal removes it.
        let named = async {
            let file_name = kox_domain::validation::text("file_name", file_name, 1, 200)?;
            let preset = match &options.preset {
                Some(p) => Some(presets::find(p).filter(|x| x.kind == kind).ok_or_else(|| {
                    invalid(
                        "preset",
                        "imports.unknown_preset",
                        format!("there is no {} preset \"{p}\"", kind.as_str()),
                    )
                })?),
                None => None,
            };
            if let Some(a) = options.account_id {
                let Some(acc) = cfg.accounts.get(&a) else {
                    return Err(invalid(
                        "account_id",
                        "imports.unknown_account",
                        "there is no such account in this workspace",
                    ));
                };
                if let Some(p) = preset
                    && p.platform != acc.0
                {
                    return Err(invalid(
                        "account_id",
                        "imports.unknown_account",
                        format!("the {} preset is for {} accounts", p.name_en, p.platform),
                    ));
                }
            }
            let saved = match options.mapping_id {
                Some(id) => Some(self.saved_mapping_columns(ws, id, kind).await?),
                None => None,
            };
            Ok::<_, StoreError>((file_name, preset, saved))
        };
        let (file_name, preset, saved) = match named.await {
            Ok(x) => x,
            Err(e) => {
                self.files.delete(&key).await?;
                return Err(e);
            }
        };
        let opts = ReadOptions {
            encoding: options.encoding.clone(),
            sheet: options.sheet.clone(),
            max_rows: MAX_METRIC_ROWS,
        };
        let name = file_name.clone();
        let file = self.files.open(&key)?;
        let read = tokio::task::spawn_blocking(move || {
            let mut sample: Vec<ImportRow> = Vec::new();
            let src = std::io::BufReader::with_capacity(256 * 1024, file);
            let (head, total) = sheet::stream_from(&name, src, &opts, 10_000, |_, chunk| {
                if sample.len() < SAMPLE_ROWS {
                    sample.extend(chunk.into_iter().take(SAMPLE_ROWS - sample.len()).map(|r| {
                        ImportRow {
                            row: r.number,
                            cells: r.cells,
                        }
                    }));
                }
                true
            })?;
            Ok::<(SheetHead, u32, Vec<ImportRow>), FieldError>((head, total, sample))
        })
        .await
        .map_err(|e| crate::db::other(format!("reading an import: {e}")))?;
        let (head, total, sample) = match read {
            Ok(x) => x,
            Err(e) => {
                self.files.delete(&key).await?;
                return Err(e.into());
            }
        };
        let mapping = match (saved, preset, kox_domain::metrics::kinds::spec(kind)) {
            (Some(columns), ..) => presets::apply(&columns, &head.headers),
            (None, Some(p), _) => presets::apply(&p.columns, &head.headers),
            (None, None, Some(spec)) => spec.suggest_mapping(&head.headers),
            (None, None, None) => cols::suggest_mapping(&head.headers),
        };
        options.encoding = options.encoding.or(head.encoding.map(str::to_owned));
        let tz: chrono_tz::Tz = cfg.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
        options.as_of = Some(
            options
                .as_of
                .unwrap_or_else(|| Utc::now().with_timezone(&tz).date_naive()),
        );
        let mut stored_options = json_of(&options);
        stored_options["sheets"] = json!(head.sheets);
        let now = Utc::now();
        let txn = self.begin().await?;
        let m = import::ActiveModel {
            workspace_id: Set(ws.0),
            kind: Set(kind.as_str().into()),
            file_name: Set(file_name.clone()),
            encoding: Set(head.encoding.map(str::to_owned)),
            header_row: Set(i64::from(head.header_row)),
            headers: Set(json_of(&head.headers)),
            sample: Set(json_of(&sample)),
            sheet_rows: Set(json!([])),
            total_rows: Set(i64::from(total)),
            status: Set(ImportStatus::Uploaded.as_str().into()),
            mapping: Set(json_of(&mapping)),
            done_rows: Set(0),
            result: Set(None),
            created_by: Set(caller.user.map(|u| u.0)),
            created_at: Set(now),
            updated_at: Set(now),
            options: Set(Some(stored_options)),
            file_key: Set(Some(key)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "import", Some(m.id), "import.uploaded")
                .after(json!({"file_name": file_name, "kind": kind, "rows": total})),
        )
        .await?;
        self.commit(txn).await?;
        self.get_import(ws, m.id).await
    }

    /// Reads a metric import's rows a chunk at a time, matches and compares them, and (with
    /// `commit`) writes each chunk in its own transaction with its rollups and the progress.
    async fn walk_metric_rows(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        m: &import::Model,
        mapping: &Mapping,
        resolutions: &[RowResolution],
        commit: bool,
    ) -> Result<Tally> {
        let cfg = self.workspace_config(ws).await?;
        let options: ImportOptions = m
            .options
            .clone()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        let headers: Vec<String> = serde_json::from_value(m.headers.clone())
            .map_err(|_| crate::db::other("a stored import's headers could not be read".into()))?;
        let key = m.file_key.clone().ok_or_else(no_file)?;
        cols::check_mapping(mapping, &headers)?;
        let file = self.files.open(&key)?;
        let tz: chrono_tz::Tz = cfg.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
        let today = Utc::now().with_timezone(&tz).date_naive();
        let platform = options
            .preset
            .as_deref()
            .and_then(presets::find)
            .map(|p| p.platform.clone());
        let by_row: HashMap<u32, RowResolution> = resolutions.iter().map(|r| (r.row, *r)).collect();
        let mut reading = Reading {
            ctx: cols::Context {
                tz,
                today,
                as_of: options.as_of.unwrap_or(today),
            },
            headers: &headers,
            mapping,
            plan: Plan {
                account_id: options.account_id,
                platform,
                resolutions: &by_row,
            },
            forms: [Forms::default(), Forms::default()],
            seen: HashMap::new(),
        };
        let mut idx = PostIndex::load(&self.read, ws, &cfg).await?;
        let (mut rx, reader) = spawn_reader(m, &options, file, self.chunk_rows());
        let mut t = Tally::default();
        let mut done = 0i64;
        let mut outcome = Ok(());
        while let Some(chunk) = rx.recv().await {
            let ready = read_chunk(&mut reading, &mut idx, &chunk, &mut t);
            done += chunk.len() as i64;
            drop(chunk);
            let step = if commit {
                self.write_metric_chunk(caller, ws, &cfg, &mut idx, m.id, ready, done, &mut t)
                    .await
            } else {
                let items: Vec<(u32, i64, NaiveDate, PostValues)> = ready
                    .into_iter()
                    .filter_map(|(row, target, day, v)| match target {
                        Target::Item(id) => Some((row, id, day, v)),
                        Target::New(_) => {
                            t.creates += 1;
                            None
                        }
                    })
                    .collect();
                diff(&self.read, ws, &items, &mut t).await.map(|_| ())
            };
            if !self
                .go_on(ws, m.id, commit, step, &mut outcome, &mut t)
                .await?
            {
                break;
            }
        }
        drop(rx);
        finish(reader, outcome, commit, &mut t).await?;
        t.posts.accounts = t.accounts.len() as u32;
        t.posts.new_posts = t.new_keys.len() as u32;
        Ok(t)
    }

    #[allow(clippy::too_many_arguments)]
    async fn write_metric_chunk(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        cfg: &WorkspaceConfig,
        idx: &mut PostIndex,
        import_id: i64,
        ready: Vec<(u32, Target, NaiveDate, PostValues)>,
        done: i64,
        t: &mut Tally,
    ) -> Result<()> {
        let txn = self.begin().await?;
        let new_keys = in_order(ready.iter().filter_map(|(_, target, ..)| match target {
            Target::New(k) if !idx.created.contains_key(k) => Some(k.clone()),
            _ => None,
        }));
        let made = posts::create_posts(
            &txn,
            ws,
            caller.user.map(|u| u.0),
            Some(import_id),
            idx,
            &new_keys,
        )
        .await?;
        idx.created_posts(made);
        let items: Vec<(u32, i64, NaiveDate, PostValues)> = ready
            .into_iter()
            .filter_map(|(row, target, day, v)| {
                let id = match target {
                    Target::Item(id) => id,
                    Target::New(k) => *idx.created.get(&k)?,
                };
                Some((row, id, day, v))
            })
            .collect();
        let writes = diff(&txn, ws, &items, t).await?;
        t.touched.extend(writes.iter().map(|w| w.item_id));
        posts::write_snapshots(&txn, ws, cfg, idx, Some(import_id), &writes).await?;
        scoped::update_in::<import::Entity>(ws)
            .col_expr(
                import::Column::DoneRows,
                sea_orm::sea_query::Expr::value(done),
            )
            .col_expr(
                import::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .filter(import::Column::Id.eq(import_id))
            .exec(&txn)
            .await?;
        self.commit(txn).await
    }

    fn chunk_rows(&self) -> usize {
        match self.engine() {
            crate::Engine::Sqlite => METRIC_CHUNK_ROWS_SQLITE,
            crate::Engine::Postgres => METRIC_CHUNK_ROWS,
        }
    }

    /// After a chunk: whether the walk goes on (not after an error or a cancel).
    async fn go_on(
        &self,
        ws: WorkspaceId,
        id: i64,
        commit: bool,
        step: Result<()>,
        outcome: &mut Result<()>,
        t: &mut Tally,
    ) -> Result<bool> {
        if let Err(e) = step {
            *outcome = Err(e);
            return Ok(false);
        }
        if commit && self.cancel_requested(ws, id).await? {
            t.cancelled = true;
            return Ok(false);
        }
        Ok(true)
    }

    async fn cancel_requested(&self, ws: WorkspaceId, id: i64) -> Result<bool> {
        let r = self
            .write
            .query_one_raw(stmt(
                self.engine(),
                "SELECT cancel_requested FROM imports WHERE workspace_id = ? AND id = ?",
                vec![ws.0.into(), id.into()],
            ))
            .await?;
        Ok(match r {
            Some(r) => r.try_get_by_index::<Option<bool>>(0)?.unwrap_or(false),
            None => false,
        })
    }

    /// A dry run of a metric import.
    pub(crate) async fn preview_metric_import(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        m: &import::Model,
        mapping: &Mapping,
        resolutions: &[RowResolution],
    ) -> Result<ImportPreview> {
        let spec = Self::spec_of(m)?;
        let t = match spec {
            Some(spec) => self.walk_kind_rows(ws, m, spec, mapping, false).await?,
            None => {
                self.walk_metric_rows(caller, ws, m, mapping, resolutions, false)
                    .await?
            }
        };
        let mut rows = t.invalid_rows;
        rows.extend(t.other_rows);
        rows.truncate(MAX_PREVIEW_ROWS);
        Ok(ImportPreview {
            total_rows: m.total_rows as u32,
            creates: t.creates,
            updates: t.updates,
            unchanged: t.unchanged,
            invalid: t.invalid,
            issue_count: t.issue_count,
            issues: t.issues,
            rows,
            // Only post snapshots find posts.
            posts: spec.is_none().then_some(t.posts),
        })
    }

    /// Writes a claimed metric import; answers what it did (or, on a stop, what it did before
    /// and why it stopped). The accounts it touched are re-graded either way.
    pub(crate) async fn write_metric_import(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        m: &import::Model,
        req: &CommitRequest,
    ) -> std::result::Result<ImportResult, (ImportResult, StoreError)> {
        let spec = match Self::spec_of(m) {
            Ok(s) => s,
            Err(e) => return Err((ImportResult::default(), e)),
        };
        let out = match spec {
            Some(spec) => self.walk_kind_rows(ws, m, spec, &req.mapping, true).await,
            None => {
                self.walk_metric_rows(caller, ws, m, &req.mapping, &req.resolutions, true)
                    .await
            }
        };
        let (mut t, err) = match out {
            Ok(mut t) => {
                let e = t.failed.take();
                (t, e)
            }
            Err(e) => (Tally::default(), Some(e)),
        };
        let cancelled = std::mem::take(&mut t.cancelled);
        let result = ImportResult {
            created: t.creates,
            updated: t.updates,
            unchanged: t.unchanged,
            skipped: t.invalid + t.skipped,
            issues: t.issues,
            error: None,
            new_posts: t.new_keys.len() as u32,
            cancelled,
        };
        // What was written is graded, whatever stopped the rest.
        if spec.is_none() {
            let accounts = self.accounts_of_import(ws, m.id).await.unwrap_or_default();
            if let Err(e) = self.regrade(ws, Some(&accounts)).await {
                tracing::warn!(import = m.id, error = %e, "grading after an import failed");
            }
        }
        match err {
            None => Ok(result),
            Some(e) => Err((result, e)),
        }
    }

    async fn accounts_of_import(&self, ws: WorkspaceId, id: i64) -> Result<BTreeSet<i64>> {
        let rows = self
            .read
            .query_all_raw(stmt(
                self.engine(),
                "SELECT DISTINCT c.account_id FROM post_metric_snapshots s JOIN content_items c ON c.id = s.item_id \
                 WHERE s.workspace_id = ? AND s.import_id = ? AND c.account_id IS NOT NULL",
                vec![ws.0.into(), id.into()],
            ))
            .await?;
        rows.iter()
            .map(|r| Ok(r.try_get_by_index::<i64>(0)?))
            .collect()
    }

    /// Asks a running commit to stop after its current chunk.
    pub async fn cancel_import(&self, caller: &Caller, ws: WorkspaceId, id: i64) -> Result<Import> {
        if !caller.can(Capability::MetricsManage) {
            return Err(StoreError::Forbidden);
        }
        let m = self.import_model(ws, id).await?;
        if m.status != ImportStatus::Committing.as_str() {
            return Err(StoreError::Conflict {
                params: serde_json::Map::new(),
                code: "imports.busy",
                field: "id".into(),
                message: "only a running commit can be cancelled".into(),
            });
        }
        scoped::update_in::<import::Entity>(ws)
            .col_expr(
                import::Column::CancelRequested,
                sea_orm::sea_query::Expr::value(true),
            )
            .filter(import::Column::Id.eq(id))
            .exec(&self.write)
            .await?;
        self.get_import(ws, id).await
    }

    /// Takes back everything a metric import wrote: the snapshots it created are deleted, the
    /// values it replaced put back, the posts it created removed (with their data), the
    /// rollups and grades recomputed. A snapshot a later import changed again keeps that
    /// later value.
    pub async fn undo_import(&self, caller: &Caller, ws: WorkspaceId, id: i64) -> Result<Import> {
        if !caller.can(Capability::MetricsManage) {
            return Err(StoreError::Forbidden);
        }
        let m = self.import_model(ws, id).await?;
        if m.kind == ImportKind::Accounts.as_str() {
            return Err(invalid(
                "id",
                "imports.undo_unsupported",
                "an account import cannot be undone; edit or archive the accounts",
            ));
        }
        if m.undone_at.is_some()
            || m.status == ImportStatus::Uploaded.as_str()
            || m.status == ImportStatus::Committing.as_str()
        {
            return Err(StoreError::Conflict {
                params: serde_json::Map::new(),
                code: "imports.not_undoable",
                field: "id".into(),
                message: "only a committed import that is not undone yet can be undone".into(),
            });
        }
        let cfg = self.workspace_config(ws).await?;
        if let Some(spec) = Self::spec_of(&m)? {
            let idx = PostIndex::load(&self.read, ws, &cfg).await?;
            let txn = self.begin().await?;
            let (removed, restored) = kinds::undo(&txn, ws, spec, &idx, id).await?;
            txn.execute_raw(stmt(
                self.engine(),
                "DELETE FROM metric_changes WHERE import_id = ?",
                vec![id.into()],
            ))
            .await?;
            let what = json!({"rows_removed": removed, "values_restored": restored});
            self.mark_undone(&txn, caller, ws, id, what).await?;
            self.commit(txn).await?;
            return self.get_import(ws, id).await;
        }
        let accounts = self.accounts_of_import(ws, id).await?;
        let engine = self.engine();
        let txn = self.begin().await?;
        let mut items: BTreeSet<i64> = BTreeSet::new();
        for r in txn
            .query_all_raw(stmt(
                engine,
                "SELECT item_id FROM post_metric_snapshots WHERE workspace_id = ? AND import_id = ? \
                 UNION SELECT item_id FROM post_metric_changes WHERE import_id = ?",
                vec![ws.0.into(), id.into(), id.into()],
            ))
            .await?
        {
            items.insert(r.try_get_by_index(0)?);
        }
        // The values this import replaced, where the snapshot is still as it wrote it.
        let changes = txn
            .query_all_raw(stmt(
                engine,
                "SELECT ch.item_id, ch.as_of, CAST(ch.previous AS TEXT) FROM post_metric_changes ch \
                 JOIN post_metric_snapshots s ON s.item_id = ch.item_id AND s.as_of = ch.as_of \
                 WHERE ch.import_id = ? AND s.import_id = ?",
                vec![id.into(), id.into()],
            ))
            .await?;
        let mut restores = Vec::with_capacity(changes.len());
        for r in &changes {
            let text: String = r.try_get_by_index(2)?;
            let prev: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            restores.push(Write {
                item_id: r.try_get_by_index(0)?,
                as_of: r.try_get_by_index(1)?,
                values: Stored::from_json(&prev),
                previous: None,
                // Where the replaced values came from, written back below.
                previous_import: prev.get("import_id").and_then(Value::as_i64),
            });
        }
        let put_back: std::collections::HashSet<(i64, NaiveDate)> =
            restores.iter().map(|w| (w.item_id, w.as_of)).collect();
        // The snapshots it created (still its own) go; those it changed get their values back.
        let own = txn
            .query_all_raw(stmt(
                engine,
                "SELECT item_id, as_of FROM post_metric_snapshots WHERE workspace_id = ? AND import_id = ?",
                vec![ws.0.into(), id.into()],
            ))
            .await?;
        let mut deletes: Vec<(i64, NaiveDate)> = Vec::new();
        for r in &own {
            let k: (i64, NaiveDate) = (r.try_get_by_index(0)?, r.try_get_by_index(1)?);
            if !put_back.contains(&k) {
                deletes.push(k);
            }
        }
        for part in deletes.chunks(400) {
            let cond = vec!["(item_id = ? AND as_of = ?)"; part.len()].join(" OR ");
            let mut values: Vec<DbValue> = Vec::with_capacity(part.len() * 2);
            for (i, d) in part {
                values.push((*i).into());
                values.push((*d).into());
            }
            txn.execute_raw(stmt(
                engine,
                &format!("DELETE FROM post_metric_snapshots WHERE {cond}"),
                values,
            ))
            .await?;
        }
        let idx = PostIndex::load(&txn, ws, &cfg).await?;
        // Restored values are written as they were (the import that wrote them is not kept:
        // `NULL` stands for "before this import").
        posts::write_snapshots(&txn, ws, &cfg, &idx, None, &restores).await?;
        // Each restored snapshot is again the earlier import's (or a hand entry's).
        let mut by_import: HashMap<i64, Vec<(i64, NaiveDate)>> = HashMap::new();
        for w in &restores {
            if let Some(i) = w.previous_import {
                by_import.entry(i).or_default().push((w.item_id, w.as_of));
            }
        }
        for (earlier, keys) in by_import {
            for part in keys.chunks(400) {
                let cond = vec!["(item_id = ? AND as_of = ?)"; part.len()].join(" OR ");
                let mut values: Vec<DbValue> = vec![earlier.into(), ws.0.into()];
                for (i, d) in part {
                    values.push((*i).into());
                    values.push((*d).into());
                }
                txn.execute_raw(stmt(
                    engine,
                    &format!("UPDATE post_metric_snapshots SET import_id = ? WHERE workspace_id = ? AND ({cond})"),
                    values,
                ))
                .await?;
            }
        }
        // The posts it created, unless someone has worked on them since.
        let created = txn
            .query_all_raw(stmt(
                engine,
                // Not one that someone edited, or that other data (a later import, a hand entry,
                // comments, spend) now hangs on: it stays, with that data.
                "SELECT c.id FROM content_items c WHERE c.workspace_id = ? AND c.import_id = ? \
                 AND c.version = 1 \
                 AND NOT EXISTS (SELECT 1 FROM post_metric_snapshots s WHERE s.item_id = c.id) \
                 AND NOT EXISTS (SELECT 1 FROM post_comments p WHERE p.item_id = c.id) \
                 AND NOT EXISTS (SELECT 1 FROM spend_entries e WHERE e.scope = 'item' AND e.scope_id = c.id)",
                vec![ws.0.into(), id.into()],
            ))
            .await?;
        let created: Vec<i64> = created
            .iter()
            .map(|r| r.try_get_by_index::<i64>(0))
            .collect::<std::result::Result<_, _>>()?;
        posts::refresh_rollups(&txn, ws, &cfg, &idx, &items).await?;
        for part in created.chunks(500) {
            let list = part
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            for sql in [
                format!("DELETE FROM post_metric_snapshots WHERE item_id IN ({list})"),
                format!("DELETE FROM item_grades WHERE item_id IN ({list})"),
            ] {
                txn.execute_raw(stmt(engine, &sql, Vec::new())).await?;
            }
            let set: BTreeSet<i64> = part.iter().copied().collect();
            posts::refresh_rollups(&txn, ws, &cfg, &idx, &set).await?;
            txn.execute_raw(stmt(
                engine,
                &format!("DELETE FROM content_items WHERE workspace_id = ? AND id IN ({list})"),
                vec![ws.0.into()],
            ))
            .await?;
        }
        txn.execute_raw(stmt(
            engine,
            "DELETE FROM post_metric_changes WHERE import_id = ?",
            vec![id.into()],
        ))
        .await?;
        let what = json!({
            "snapshots_removed": deletes.len(), "values_restored": restores.len(),
            "posts_removed": created.len(),
        });
        self.mark_undone(&txn, caller, ws, id, what).await?;
        self.commit(txn).await?;
        self.regrade(ws, Some(&accounts)).await?;
        self.get_import(ws, id).await
    }

    /// Pushed snapshots (or one entered by hand): the same reading, matching and writing as a
    /// file's rows, recorded as an import so that it can be undone.
    pub async fn push_post_metrics(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        push: PostMetricPush,
        file_name: &str,
    ) -> Result<PushResult> {
        let manage = caller.can(Capability::MetricsManage);
        if !manage && !caller.can(Capability::MetricsWriteOwn) {
            return Err(StoreError::Forbidden);
        }
        if push.rows.len() > kox_domain::metrics::MAX_PUSH_ROWS {
            return Err(invalid(
                "rows",
                "metrics.too_many_rows",
                format!(
                    "a push takes at most {} rows; this one has {}",
                    kox_domain::metrics::MAX_PUSH_ROWS,
                    push.rows.len()
                ),
            ));
        }
        let cfg = self.workspace_config(ws).await?;
        let tz: chrono_tz::Tz = cfg.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
        let today = Utc::now().with_timezone(&tz).date_naive();
        let mut idx = PostIndex::load(&self.read, ws, &cfg).await?;
        let headers: Vec<String> = PUSH_FIELDS.iter().map(|f| (*f).to_owned()).collect();
        let mapping: Mapping = PUSH_FIELDS
            .iter()
            .enumerate()
            .map(|(i, f)| ((*f).to_owned(), i))
            .collect();
        let ctx = cols::Context {
            tz,
            today,
            as_of: today,
        };
        let mut result = PushResult {
            import_id: None,
            created: 0,
            updated: 0,
            unchanged: 0,
            new_posts: 0,
            refused: 0,
            issues: Vec::new(),
        };
        let mut seen: HashMap<u64, usize> = HashMap::new();
        let mut ready: Vec<(usize, Target, NaiveDate, PostValues)> = Vec::new();
        let me = caller.user.map(|u| u.0);
        let owned = |account: Option<i64>| -> bool {
            manage
                || account
                    .and_then(|a| cfg.accounts.get(&a))
                    .is_some_and(|a| me.is_some_and(|u| a.2.contains(&u)))
        };
        let empty = HashMap::new();
        for (index, input) in push.rows.iter().enumerate() {
            let mut refuse = |field: &str, code: &str, message: String| {
                result.refused += 1;
                if result.issues.len() < MAX_LISTED_ISSUES {
                    result.issues.push(PushIssue {
                        index,
                        field: field.to_owned(),
                        code: code.to_owned(),
                        message,
                    });
                }
            };
            let mut cells = push_cells(input);
            // A row that names KOX's item needs nothing else to find its post.
            if let Some(id) = input.item_id
                && cells[..3].iter().all(String::is_empty)
            {
                cells[2] = format!("#{id}");
            }
            let row = SheetRow {
                number: index as u32,
                cells,
            };
            let v = match cols::read_row(&ctx, &headers, &mapping, &row) {
                Ok(v) => v,
                Err(issues) => {
                    let i = &issues[0];
                    refuse(&i.field, &i.code, i.message.clone());
                    continue;
                }
            };
            if let Some(a) = input.account_id.filter(|a| !cfg.accounts.contains_key(a)) {
                refuse(
                    "account_id",
                    "imports.unknown_account",
                    format!("there is no account {a} in this workspace"),
                );
                continue;
            }
            let target = if let Some(id) = input.item_id {
                {
                    if !idx.items.contains_key(&id) {
                        refuse(
                            "item_id",
                            "metrics.unknown_post",
                            format!("there is no item {id} in this workspace"),
                        );
                        continue;
                    }
                    Target::Item(id)
                }
            } else {
                let plan = Plan {
                    account_id: input.account_id,
                    platform: None,
                    resolutions: &empty,
                };
                match posts::resolve(&mut idx, &plan, index as u32, v.clone()) {
                    Resolved::Ready { target, .. } => target,
                    Resolved::Skipped(_) => continue,
                    Resolved::Invalid(issues) => {
                        let i = &issues[0];
                        refuse(&i.field, &i.code, i.message.clone());
                        continue;
                    }
                }
            };
            let account = match &target {
                Target::Item(id) => idx.items.get(id).and_then(|f| f.account_id),
                Target::New(k) => idx.pending.get(k).map(|p| p.account_id),
            };
            if !owned(account) {
                refuse(
                    "item_id",
                    "auth.forbidden",
                    "you may enter data only for the posts of accounts you own".into(),
                );
                continue;
            }
            let day = v.as_of.unwrap_or(today);
            if let Some(first) = seen.insert(key_hash(&target, day), index) {
                refuse(
                    "as_of",
                    "imports.duplicate_row",
                    format!("row {first} already has this post's numbers for {day}"),
                );
                continue;
            }
            ready.push((index, target, day, v));
        }
        if ready.is_empty() {
            // Every row refused: nothing written, nothing to list or undo.
            return Ok(result);
        }
        // Recorded as an import of its own: listed, and undone as a whole.
        let now = Utc::now();
        let txn = self.begin().await?;
        let m = import::ActiveModel {
            workspace_id: Set(ws.0),
            kind: Set(ImportKind::PostMetrics.as_str().into()),
            file_name: Set(file_name.to_owned()),
            encoding: Set(None),
            header_row: Set(0),
            headers: Set(json_of(&headers)),
            sample: Set(json!([])),
            sheet_rows: Set(json!([])),
            total_rows: Set(push.rows.len() as i64),
            status: Set(ImportStatus::Committing.as_str().into()),
            mapping: Set(json_of(&mapping)),
            done_rows: Set(0),
            result: Set(None),
            created_by: Set(me),
            created_at: Set(now),
            updated_at: Set(now),
            options: Set(Some(json!({"as_of": today}))),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        result.import_id = Some(m.id);
        let new_keys = in_order(ready.iter().filter_map(|(_, t, ..)| match t {
            Target::New(k) => Some(k.clone()),
            Target::Item(_) => None,
        }));
        let made = posts::create_posts(&txn, ws, me, Some(m.id), &idx, &new_keys).await?;
        result.new_posts = made.len() as u32;
        idx.created_posts(made);
        let items: Vec<(u32, i64, NaiveDate, PostValues)> = ready
            .into_iter()
            .filter_map(|(i, target, day, v)| {
                let id = match target {
                    Target::Item(id) => id,
                    Target::New(k) => *idx.created.get(&k)?,
                };
                Some((i as u32, id, day, v))
            })
            .collect();
        let mut t = Tally::default();
        let writes = diff(&txn, ws, &items, &mut t).await?;
        posts::write_snapshots(&txn, ws, &cfg, &idx, Some(m.id), &writes).await?;
        result.created = t.creates;
        result.updated = t.updates;
        result.unchanged = t.unchanged;
        let r = ImportResult {
            created: t.creates,
            updated: t.updates,
            unchanged: t.unchanged,
            skipped: result.refused,
            issues: Vec::new(),
            error: None,
            new_posts: result.new_posts,
            cancelled: false,
        };
        scoped::update_in::<import::Entity>(ws)
            .col_expr(
                import::Column::Status,
                sea_orm::sea_query::Expr::value(ImportStatus::Done.as_str()),
            )
            .col_expr(
                import::Column::DoneRows,
                sea_orm::sea_query::Expr::value(push.rows.len() as i64),
            )
            .col_expr(
                import::Column::Result,
                sea_orm::sea_query::Expr::value(json_of(&r)),
            )
            .filter(import::Column::Id.eq(m.id))
            .exec(&txn)
            .await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "import", Some(m.id), "metrics.pushed").after(json!({
                "created": r.created, "updated": r.updated, "unchanged": r.unchanged,
                "refused": result.refused, "new_posts": r.new_posts,
            })),
        )
        .await?;
        self.commit(txn).await?;
        let accounts: BTreeSet<i64> = writes
            .iter()
            .filter_map(|w| idx.items.get(&w.item_id).and_then(|f| f.account_id))
            .collect();
        self.regrade(ws, Some(&accounts)).await?;
        Ok(result)
    }
}

/// The push's fields in the order its rows are laid out as cells.
const PUSH_FIELDS: [&str; 15] = [
    "post_id",
    "post_url",
    "title",
    "published_at",
    "as_of",
    "impressions",
    "reads",
    "likes",
    "saves",
    "comments",
    "shares",
    "follows",
    "completion_rate",
    "avg_watch_seconds",
    "account",
];

/// A pushed row as the cells a file row would have (the same reading applies).
fn push_cells(i: &PostMetricInput) -> Vec<String> {
    let n = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    let f = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    vec![
        i.post_id.clone().unwrap_or_default(),
        i.post_url.clone().unwrap_or_default(),
        i.title.clone().unwrap_or_default(),
        i.published_at.clone().unwrap_or_default(),
        i.as_of.map(|d| d.to_string()).unwrap_or_default(),
        n(i.impressions),
        n(i.reads),
        n(i.likes),
        n(i.saves),
        n(i.comments),
        n(i.shares),
        n(i.follows),
        f(i.completion_rate),
        f(i.avg_watch_seconds),
        String::new(),
    ]
}

/// The distinct keys in the order first met (new posts get their ids in file order).
fn in_order(keys: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    keys.filter(|k| seen.insert(k.clone())).collect()
}

fn rand_suffix() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    let t = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    t.hash(&mut h);
    std::process::id().hash(&mut h);
    h.finish()
}

/// One account's rollup for a day: its posts published that day and the sums of their latest
/// counts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccountDay {
    pub day: NaiveDate,
    pub posts: i64,
    pub reads: i64,
    pub likes: i64,
    pub saves: i64,
    pub comments: i64,
}

impl Store {
    /// An account's daily rollups, oldest first (what dashboards read instead of snapshots).
    pub async fn account_days(&self, ws: WorkspaceId, account_id: i64) -> Result<Vec<AccountDay>> {
        let rows = self
            .read
            .query_all_raw(stmt(
                self.engine(),
                "SELECT day, posts, reads, likes, saves, comments FROM account_metrics_daily \
                 WHERE workspace_id = ? AND account_id = ? ORDER BY day",
                vec![ws.0.into(), account_id.into()],
            ))
            .await?;
        rows.iter()
            .map(|r| {
                Ok(AccountDay {
                    day: r.try_get_by_index(0)?,
                    posts: r.try_get_by_index(1)?,
                    reads: r.try_get_by_index(2)?,
                    likes: r.try_get_by_index(3)?,
                    saves: r.try_get_by_index(4)?,
                    comments: r.try_get_by_index(5)?,
                })
            })
            .collect()
    }
}

type Reader = tokio::task::JoinHandle<std::result::Result<(SheetHead, u32), FieldError>>;

/// The end of a walk over an import's rows: the reader's outcome, or what stopped the walk. A
/// commit that stops keeps what it counted (the chunks before were written).
async fn finish(reader: Reader, outcome: Result<()>, commit: bool, t: &mut Tally) -> Result<()> {
    let read = reader
        .await
        .map_err(|e| crate::db::other(format!("reading an import: {e}")))?;
    match outcome {
        Err(e) if commit => t.failed = Some(e),
        Err(e) => return Err(e),
        Ok(()) => {
            read?;
        }
    }
    Ok(())
}

/// Reads an import's file on a blocking thread, a few chunks ahead of the writing.
fn spawn_reader(
    m: &import::Model,
    options: &ImportOptions,
    file: std::fs::File,
    chunk: usize,
) -> (tokio::sync::mpsc::Receiver<Vec<SheetRow>>, Reader) {
    let (tx, rx) = tokio::sync::mpsc::channel::<Vec<SheetRow>>(2);
    let opts = ReadOptions {
        encoding: options.encoding.clone(),
        sheet: options.sheet.clone(),
        max_rows: MAX_METRIC_ROWS,
    };
    let file_name = m.file_name.clone();
    let reader = tokio::task::spawn_blocking(move || {
        let src = std::io::BufReader::with_capacity(256 * 1024, file);
        sheet::stream_from(&file_name, src, &opts, chunk, |_, rows| {
            tx.blocking_send(rows).is_ok()
        })
    });
    (rx, reader)
}

/// A push or a hand entry has no file to read again.
fn no_file() -> StoreError {
    StoreError::Conflict {
        params: serde_json::Map::new(),
        code: "imports.no_file",
        field: "id".into(),
        message: "this import came from a push or a hand entry: there is no file to read".into(),
    }
}

fn options_of(m: &import::Model) -> ImportOptions {
    m.options
        .clone()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

fn headers_of(m: &import::Model) -> Result<Vec<String>> {
    serde_json::from_value(m.headers.clone())
        .map_err(|_| crate::db::other("a stored import's headers could not be read".into()))
}

impl Store {
    async fn mark_undone(
        &self,
        txn: &crate::db::Tx,
        caller: &Caller,
        ws: WorkspaceId,
        id: i64,
        what: Value,
    ) -> Result<()> {
        scoped::update_in::<import::Entity>(ws)
            .col_expr(
                import::Column::UndoneAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .col_expr(
                import::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .filter(import::Column::Id.eq(id))
            .exec(txn)
            .await?;
        record(
            txn,
            caller,
            NewEvent::change(ws, "import", Some(id), "import.undone").after(what),
        )
        .await?;
        Ok(())
    }

    /// Checks a metric import's mapping (and the caller) without reading its rows.
    pub(crate) fn check_metric_mapping(
        caller: &Caller,
        m: &import::Model,
        mapping: &Mapping,
    ) -> Result<()> {
        if !caller.can(Capability::MetricsManage) {
            return Err(StoreError::Forbidden);
        }
        if m.file_key.is_none() {
            return Err(no_file());
        }
        let headers = headers_of(m)?;
        match Self::spec_of(m)? {
            Some(spec) => spec.check_mapping(mapping, &headers)?,
            None => cols::check_mapping(mapping, &headers)?,
        }
        Ok(())
    }

    /// The kind's spec when it is one of the other data kinds (`None`: post snapshots).
    fn spec_of(m: &import::Model) -> Result<Option<&'static KindSpec>> {
        let kind = ImportKind::parse(&m.kind)
            .ok_or_else(|| crate::db::other("a stored import's kind could not be read".into()))?;
        Ok(kox_domain::metrics::kinds::spec(kind))
    }

    /// Reads a kind's rows a chunk at a time, resolves and compares them, and (with `commit`)
    /// writes each chunk in its own transaction with its rollups and the progress.
    #[allow(clippy::many_single_char_names)] // m: the import, t: the tally, r: a row's values
    async fn walk_kind_rows(
        &self,
        ws: WorkspaceId,
        m: &import::Model,
        spec: &'static KindSpec,
        mapping: &Mapping,
        commit: bool,
    ) -> Result<Tally> {
        let cfg = self.workspace_config(ws).await?;
        let options = options_of(m);
        let headers = headers_of(m)?;
        let key = m.file_key.clone().ok_or_else(no_file)?;
        spec.check_mapping(mapping, &headers)?;
        let file = self.files.open(&key)?;
        let tz: chrono_tz::Tz = cfg.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
        let today = Utc::now().with_timezone(&tz).date_naive();
        let ctx = cols::Context {
            tz,
            today,
            as_of: options.as_of.unwrap_or(today),
        };
        let idx = PostIndex::load(&self.read, ws, &cfg).await?;
        let mut refs = kinds::Refs::load(&self.read, ws, &cfg).await?;
        refs.account_id = options.account_id;
        let (mut rx, reader) = spawn_reader(m, &options, file, self.chunk_rows());
        let mut t = Tally::default();
        let mut seen: HashMap<String, u32> = HashMap::new();
        let mut done = 0i64;
        let mut outcome = Ok(());
        while let Some(chunk) = rx.recv().await {
            done += chunk.len() as i64;
            let mut ready: Vec<(u32, kinds::Keyed)> = Vec::with_capacity(chunk.len());
            for row in &chunk {
                let r = match kox_domain::metrics::kinds::read_row(
                    spec, &ctx, &headers, mapping, row,
                ) {
                    Ok(r) => r,
                    Err(issues) => {
                        t.issue(row.number, issues);
                        continue;
                    }
                };
                match kinds::resolve(spec, &idx, &refs, &r) {
                    Ok(k) => {
                        let key = serde_json::to_string(&k.key).unwrap_or_default();
                        if let Some(first) = seen.insert(key, row.number) {
                            let field = spec.duplicate_field();
                            let e = FieldError::new(
                                field,
                                "imports.duplicate_row",
                                format!(
                                    "row {first} already has this row's {}",
                                    spec.keys.join(" + ")
                                ),
                            );
                            t.issue(
                                row.number,
                                vec![ImportIssue::at(row, &headers, mapping, e, field)],
                            );
                            continue;
                        }
                        ready.push((row.number, k));
                    }
                    Err(e) => {
                        let field = e.field.clone();
                        let value = r.text(&field).unwrap_or_default().to_owned();
                        let mut i = kinds::row_issue(row.number, e, value);
                        if let Some(col) = mapping.get(&field).copied() {
                            i.column = Some(col);
                            i.column_letter = Some(kox_domain::imports::column_letter(col));
                            i.header = headers.get(col).cloned();
                        }
                        t.issue(row.number, vec![i]);
                    }
                }
            }
            drop(chunk);
            let step = self
                .kind_chunk(ws, spec, &idx, commit.then_some(m.id), ready, done, &mut t)
                .await;
            if !self
                .go_on(ws, m.id, commit, step, &mut outcome, &mut t)
                .await?
            {
                break;
            }
        }
        drop(rx);
        finish(reader, outcome, commit, &mut t).await?;
        Ok(t)
    }

    /// Compares a chunk's rows with what is stored and, for a commit of `import`, writes it in
    /// one transaction with its rollups and the progress.
    #[allow(clippy::too_many_arguments)]
    async fn kind_chunk(
        &self,
        ws: WorkspaceId,
        spec: &'static KindSpec,
        idx: &PostIndex,
        import: Option<i64>,
        ready: Vec<(u32, kinds::Keyed)>,
        done: i64,
        t: &mut Tally,
    ) -> Result<()> {
        let keys: Vec<Vec<Value>> = ready.iter().map(|(_, k)| k.key.clone()).collect();
        let txn = match import {
            Some(_) => Some(self.begin().await?),
            None => None,
        };
        let stored = match &txn {
            Some(x) => kinds::existing(x, ws, spec, &keys).await?,
            None => kinds::existing(&self.read, ws, spec, &keys).await?,
        };
        let mut writes = Vec::new();
        for (row, k) in ready {
            let old = stored.get(&k.key);
            let values = kinds::merged(old, &k.values);
            let outcome = match old {
                None => RowOutcome::Create,
                Some(o) if *o == values => RowOutcome::Unchanged,
                Some(_) => RowOutcome::Update,
            };
            match outcome {
                RowOutcome::Create => t.creates += 1,
                RowOutcome::Update => t.updates += 1,
                _ => t.unchanged += 1,
            }
            if t.other_rows.len() < MAX_PREVIEW_ROWS {
                let label = k
                    .key
                    .iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(" · ");
                t.other_rows.push(PreviewRow {
                    row,
                    outcome,
                    platform: None,
                    handle: None,
                    display_name: Some(label),
                    changed: Vec::new(),
                    record_id: None,
                });
            }
            if outcome != RowOutcome::Unchanged {
                writes.push(kinds::KindWrite {
                    key: k.key,
                    values,
                    previous: old.cloned(),
                });
            }
        }
        if let (Some(txn), Some(id)) = (txn, import) {
            kinds::write(&txn, ws, spec, idx, Some(id), &writes).await?;
            scoped::update_in::<import::Entity>(ws)
                .col_expr(
                    import::Column::DoneRows,
                    sea_orm::sea_query::Expr::value(done),
                )
                .col_expr(
                    import::Column::UpdatedAt,
                    sea_orm::sea_query::Expr::value(Utc::now()),
                )
                .filter(import::Column::Id.eq(id))
                .exec(&txn)
                .await?;
            self.commit(txn).await?;
        }
        Ok(())
    }

    /// Rows of one of the other data kinds pushed through the API: each row an object of the
    /// kind's fields holding what a file's cell would; the same checks, recorded as an import
    /// that can be undone.
    pub async fn push_kind_rows(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        kind: ImportKind,
        rows: Vec<serde_json::Map<String, Value>>,
    ) -> Result<PushResult> {
        if !caller.can(Capability::MetricsManage) {
            return Err(StoreError::Forbidden);
        }
        let spec = kox_domain::metrics::kinds::spec(kind)
            .ok_or_else(|| invalid("kind", "validation.format", "not a data kind"))?;
        if rows.len() > kox_domain::metrics::MAX_PUSH_ROWS {
            return Err(invalid(
                "rows",
                "metrics.too_many_rows",
                format!(
                    "a push takes at most {} rows; this one has {}",
                    kox_domain::metrics::MAX_PUSH_ROWS,
                    rows.len()
                ),
            ));
        }
        let cfg = self.workspace_config(ws).await?;
        let tz: chrono_tz::Tz = cfg.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
        let today = Utc::now().with_timezone(&tz).date_naive();
        let ctx = cols::Context {
            tz,
            today,
            as_of: today,
        };
        let headers: Vec<String> = spec
            .columns
            .iter()
            .map(|(c, _)| c.field.to_owned())
            .collect();
        let mapping: Mapping = headers
            .iter()
            .enumerate()
            .map(|(i, f)| (f.clone(), i))
            .collect();
        let idx = PostIndex::load(&self.read, ws, &cfg).await?;
        let refs = kinds::Refs::load(&self.read, ws, &cfg).await?;
        let mut result = PushResult {
            import_id: None,
            created: 0,
            updated: 0,
            unchanged: 0,
            new_posts: 0,
            refused: 0,
            issues: Vec::new(),
        };
        let mut ready = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (index, obj) in rows.iter().enumerate() {
            let mut refuse = |field: &str, code: &str, message: String| {
                result.refused += 1;
                if result.issues.len() < MAX_LISTED_ISSUES {
                    result.issues.push(PushIssue {
                        index,
                        field: field.to_owned(),
                        code: code.to_owned(),
                        message,
                    });
                }
            };
            if let Some(unknown) = obj.keys().find(|k| !headers.contains(k)) {
                let e = FieldError::new(
                    "rows",
                    "imports.unknown_field",
                    format!("there is no field \"{unknown}\" in {} rows", kind.as_str()),
                );
                refuse(unknown, e.code, e.message);
                continue;
            }
            let cells = headers
                .iter()
                .map(|h| match obj.get(h) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                })
                .collect();
            let row = SheetRow {
                number: index as u32,
                cells,
            };
            let r = match kox_domain::metrics::kinds::read_row(spec, &ctx, &headers, &mapping, &row)
            {
                Ok(r) => r,
                Err(issues) => {
                    refuse(&issues[0].field, &issues[0].code, issues[0].message.clone());
                    continue;
                }
            };
            match kinds::resolve(spec, &idx, &refs, &r) {
                Ok(k) => {
                    let key = serde_json::to_string(&k.key).unwrap_or_default();
                    if let Some(first) = seen.insert(key, index) {
                        let e = FieldError::new(
                            "rows",
                            "imports.duplicate_row",
                            format!(
                                "row {first} already has this row's {}",
                                spec.keys.join(" + ")
                            ),
                        );
                        refuse(spec.duplicate_field(), e.code, e.message);
                        continue;
                    }
                    ready.push((index as u32, k));
                }
                Err(e) => refuse(&e.field, e.code, e.message),
            }
        }
        if ready.is_empty() {
            return Ok(result);
        }
        let now = Utc::now();
        let txn = self.begin().await?;
        let m = import::ActiveModel {
            workspace_id: Set(ws.0),
            kind: Set(kind.as_str().into()),
            file_name: Set("API".into()),
            encoding: Set(None),
            header_row: Set(0),
            headers: Set(json_of(&headers)),
            sample: Set(json!([])),
            sheet_rows: Set(json!([])),
            total_rows: Set(rows.len() as i64),
            status: Set(ImportStatus::Committing.as_str().into()),
            mapping: Set(json_of(&mapping)),
            done_rows: Set(0),
            result: Set(None),
            created_by: Set(caller.user.map(|u| u.0)),
            created_at: Set(now),
            updated_at: Set(now),
            options: Set(Some(json!({}))),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        self.commit(txn).await?;
        result.import_id = Some(m.id);
        let mut t = Tally::default();
        self.kind_chunk(ws, spec, &idx, Some(m.id), ready, rows.len() as i64, &mut t)
            .await?;
        result.created = t.creates;
        result.updated = t.updates;
        result.unchanged = t.unchanged;
        let r = ImportResult {
            created: t.creates,
            updated: t.updates,
            unchanged: t.unchanged,
            skipped: result.refused,
            issues: Vec::new(),
            error: None,
            new_posts: 0,
            cancelled: false,
        };
        let txn = self.begin().await?;
        scoped::update_in::<import::Entity>(ws)
            .col_expr(
                import::Column::Status,
                sea_orm::sea_query::Expr::value(ImportStatus::Done.as_str()),
            )
            .col_expr(
                import::Column::Result,
                sea_orm::sea_query::Expr::value(json_of(&r)),
            )
            .filter(import::Column::Id.eq(m.id))
            .exec(&txn)
            .await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "import", Some(m.id), "metrics.pushed").after(json!({
                "kind": kind, "created": r.created, "updated": r.updated,
                "unchanged": r.unchanged, "refused": result.refused,
            })),
        )
        .await?;
        self.commit(txn).await?;
        Ok(result)
    }
}

/// A campaign's money for a day (fen), from spend and revenue.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CampaignDay {
    pub day: NaiveDate,
    pub spend: i64,
    pub boost_spend: i64,
    pub revenue: i64,
    pub conversions: i64,
}

impl Store {
    /// A campaign's daily money rollup, oldest first.
    pub async fn campaign_days(
        &self,
        ws: WorkspaceId,
        campaign_id: i64,
    ) -> Result<Vec<CampaignDay>> {
        let rows = self
            .read
            .query_all_raw(stmt(
                self.engine(),
                "SELECT day, spend, boost_spend, revenue, conversions FROM campaign_money_daily \
                 WHERE workspace_id = ? AND campaign_id = ? ORDER BY day",
                vec![ws.0.into(), campaign_id.into()],
            ))
            .await?;
        rows.iter()
            .map(|r| {
                Ok(CampaignDay {
                    day: r.try_get_by_index(0)?,
                    spend: r.try_get_by_index(1)?,
                    boost_spend: r.try_get_by_index(2)?,
                    revenue: r.try_get_by_index(3)?,
                    conversions: r.try_get_by_index(4)?,
                })
            })
            .collect()
    }

    /// An account's daily follower snapshots: (day, followers), oldest first.
    pub async fn follower_days(
        &self,
        ws: WorkspaceId,
        account_id: i64,
    ) -> Result<Vec<(NaiveDate, Option<i64>)>> {
        let rows = self
            .read
            .query_all_raw(stmt(
                self.engine(),
                "SELECT day, followers FROM account_follower_snapshots \
                 WHERE workspace_id = ? AND account_id = ? ORDER BY day",
                vec![ws.0.into(), account_id.into()],
            ))
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
            .collect()
    }
}

/// A refused row: its number, its cells as the file had them, its issues.
pub type AnnotatedRow = (u32, Vec<String>, Vec<ImportIssue>);

impl Store {
    /// The rows of an import that a commit would refuse (with its last mapping), each with its
    /// cells and issues, in file order: the annotated file's rows.
    pub async fn import_error_rows(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: i64,
    ) -> Result<(Vec<String>, Vec<AnnotatedRow>)> {
        let m = self.import_model(ws, id).await?;
        let headers = headers_of(&m)?;
        let mapping: Mapping = serde_json::from_value(m.mapping.clone())
            .map_err(|_| crate::db::other("a stored import's mapping could not be read".into()))?;
        if m.kind == ImportKind::Accounts.as_str() {
            // An account sheet is kept in the import (at most 50,000 rows); its first
            // `MAX_LISTED_ISSUES` issues are listed.
            let p = self.preview_import(caller, ws, id, &mapping, &[]).await?;
            let mut by_row: std::collections::BTreeMap<u32, Vec<ImportIssue>> =
                std::collections::BTreeMap::new();
            for i in p.issues {
                by_row.entry(i.row).or_default().push(i);
            }
            let mut m = m;
            let raw: Vec<(u32, Vec<String>)> =
                serde_json::from_value(m.sheet_rows.take()).unwrap_or_default();
            let rows = raw
                .into_iter()
                .filter_map(|(n, cells)| by_row.remove(&n).map(|i| (n, cells, i)))
                .collect();
            return Ok((headers, rows));
        }
        if !caller.can(Capability::MetricsManage) {
            return Err(StoreError::Forbidden);
        }
        if m.file_key.is_none() {
            // A push answered its refused rows when it was made; none are kept.
            return Ok((headers, Vec::new()));
        }
        let resolutions: Vec<RowResolution> = Vec::new();
        let t = match Self::spec_of(&m)? {
            Some(spec) => self.walk_kind_rows(ws, &m, spec, &mapping, false).await?,
            None => {
                self.walk_metric_rows(caller, ws, &m, &mapping, &resolutions, false)
                    .await?
            }
        };
        let mut by_row = t.by_row;
        let key = m.file_key.clone().ok_or_else(no_file)?;
        let file = self.files.open(&key)?;
        let (mut rx, reader) = spawn_reader(&m, &options_of(&m), file, self.chunk_rows());
        let mut rows = Vec::new();
        while let Some(chunk) = rx.recv().await {
            for r in chunk {
                if let Some(i) = by_row.remove(&r.number) {
                    rows.push((r.number, r.cells, i));
                }
            }
        }
        reader
            .await
            .map_err(|e| crate::db::other(format!("reading an import: {e}")))??;
        Ok((headers, rows))
    }
}
