//! The other data kinds through one path: a read row's references (account, post, campaign)
//! are resolved into its natural key, compared with the row stored under that key, and written
//! (new or changed values only) with what it replaced; the rollups a kind feeds (a post's 24 h
//! reply rate, a campaign's money by day) are recomputed for the keys a chunk touched.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use kox_domain::WorkspaceId;
use kox_domain::imports::{ImportIssue, ImportKind};
use kox_domain::metrics::kinds::{Cell, KindSpec, Row};
use kox_domain::validation::FieldError;
use sea_orm::{ConnectionTrait, Value as DbValue};
use serde_json::Value;

use super::posts::{PostIndex, value_rows};
use crate::Result;
use crate::config::WorkspaceConfig;
use crate::dialect::{engine_of, stmt};

/// What refs resolve against besides the post index: campaigns by id and name, platforms by
/// code and name.
pub(crate) struct Refs {
    campaigns: HashMap<String, i64>,
    campaign_ids: BTreeSet<i64>,
    platforms: HashMap<String, String>,
    /// Chosen at upload.
    pub account_id: Option<i64>,
    pub campaign_id: Option<i64>,
}

impl Refs {
    pub(crate) async fn load(
        db: &impl ConnectionTrait,
        ws: WorkspaceId,
        cfg: &WorkspaceConfig,
    ) -> Result<Refs> {
        let mut campaigns = HashMap::new();
        let mut campaign_ids = BTreeSet::new();
        for r in db
            .query_all_raw(stmt(
                engine_of(db),
                "SELECT id, name FROM campaigns WHERE workspace_id = ?",
                vec![ws.0.into()],
            ))
            .await?
        {
            let id: i64 = r.try_get_by_index(0)?;
            let name: String = r.try_get_by_index(1)?;
            campaigns.insert(name.trim().to_lowercase(), id);
            campaign_ids.insert(id);
        }
        let mut platforms = HashMap::new();
        for (code, (_, _, name)) in &cfg.platforms {
            platforms.insert(code.to_lowercase(), code.clone());
            platforms.insert(name.to_lowercase(), code.clone());
        }
        Ok(Refs {
            campaigns,
            campaign_ids,
            platforms,
            account_id: None,
            campaign_id: None,
        })
    }

    fn campaign(&self, raw: &str) -> Option<i64> {
        let t = raw.trim();
        if let Ok(id) = t.parse::<i64>()
            && self.campaign_ids.contains(&id)
        {
            return Some(id);
        }
        self.campaigns.get(&t.to_lowercase()).copied()
    }
}

/// A row's natural key (the table's key columns after `workspace_id`) and its values.
pub(crate) struct Keyed {
    pub key: Vec<Value>,
    pub values: Vec<Value>,
}

fn refuse(field: &str, code: &'static str, message: String) -> FieldError {
    FieldError::new(field, code, message)
}

/// Resolves a read row into its key and values.
pub(crate) fn resolve(
    spec: &KindSpec,
    idx: &PostIndex,
    refs: &Refs,
    row: &Row,
) -> std::result::Result<Keyed, FieldError> {
    let account = || -> std::result::Result<Option<i64>, FieldError> {
        match row.text("account") {
            Some(raw) => idx.account_of_public(raw).map(Some).ok_or_else(|| {
                refuse(
                    "account",
                    "imports.unknown_account",
                    format!(
                        "no account \"{raw}\" in this workspace (matched by handle or profile link)"
                    ),
                )
            }),
            None => Ok(refs.account_id),
        }
    };
    let campaign = || -> std::result::Result<Option<i64>, FieldError> {
        match row.text("campaign") {
            Some(raw) => refs.campaign(raw).map(Some).ok_or_else(|| {
                refuse(
                    "campaign",
                    "imports.unknown_campaign",
                    format!("no campaign \"{raw}\" in this workspace (by name or id)"),
                )
            }),
            None => Ok(refs.campaign_id),
        }
    };
    let post = || -> std::result::Result<Option<i64>, FieldError> {
        let (id, url) = (row.text("post_id"), row.text("post_url"));
        if id.is_none() && url.is_none() {
            return Ok(None);
        }
        idx.find_post(id, url).map(Some).ok_or_else(|| {
            refuse(
                if id.is_some() { "post_id" } else { "post_url" },
                "metrics.unknown_post",
                format!("KOX has no post {}", id.or(url).unwrap_or_default()),
            )
        })
    };
    let day = || {
        row.day("day")
            .map(|d| Value::from(d.to_string()))
            .ok_or_else(|| refuse("day", "validation.required", "the row has no day".into()))
    };
    let key: Vec<Value> = match spec.kind {
        ImportKind::AccountMetrics => {
            let a = account()?.ok_or_else(|| {
                refuse(
                    "account",
                    "imports.account_required",
                    "map the account column or choose the account at upload".into(),
                )
            })?;
            vec![a.into(), day()?]
        }
        ImportKind::Comments => {
            let item = post()?.ok_or_else(|| {
                refuse(
                    "post_id",
                    "metrics.unknown_post",
                    "a comment needs its post's ID or link".into(),
                )
            })?;
            let id = row.text("comment_id").unwrap_or_default();
            vec![item.into(), id.into()]
        }
        ImportKind::Spend => {
            let (scope, id) = if let Some(item) = post()? {
                ("item", item)
            } else if let Some(a) = row
                .text("account")
                .map(|_| account())
                .transpose()?
                .flatten()
            {
                ("account", a)
            } else if let Some(c) = campaign()? {
                ("campaign", c)
            } else if let Some(a) = refs.account_id {
                ("account", a)
            } else {
                return Err(refuse(
                    "campaign",
                    "imports.field_required",
                    "spend needs a post, an account or a campaign".into(),
                ));
            };
            let boost = row
                .fields
                .get("paid_boost")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            vec![scope.into(), id.into(), day()?, boost.into()]
        }
        ImportKind::Revenue => {
            let c = campaign()?.ok_or_else(|| {
                refuse(
                    "campaign",
                    "imports.field_required",
                    "revenue needs its campaign".into(),
                )
            })?;
            vec![c.into(), day()?]
        }
        ImportKind::SearchIndex => {
            let raw = row.text("platform").unwrap_or_default();
            let platform = refs
                .platforms
                .get(&raw.trim().to_lowercase())
                .cloned()
                .ok_or_else(|| {
                    refuse(
                        "platform",
                        "accounts.unknown_platform",
                        format!("there is no platform \"{raw}\" in this workspace"),
                    )
                })?;
            vec![
                row.text("keyword").unwrap_or_default().into(),
                platform.into(),
                day()?,
            ]
        }
        ImportKind::Accounts | ImportKind::PostMetrics => {
            return Err(refuse(
                "kind",
                "validation.format",
                "not a data kind of this path".into(),
            ));
        }
    };
    let values = spec
        .values
        .iter()
        .map(|f| match (*f, row.fields.get(*f)) {
            ("currency", None | Some(Value::Null)) => Value::from("CNY"),
            (_, Some(v)) => v.clone(),
            (_, None) => Value::Null,
        })
        .collect();
    Ok(Keyed { key, values })
}

/// The type a table column binds as.
fn cell_of(spec: &KindSpec, column: &str) -> Cell {
    match column {
        "account_id" | "item_id" | "campaign_id" | "scope_id" => Cell::Count,
        "scope" | "comment_id" | "keyword" | "platform" => Cell::Text,
        "day" => Cell::Day,
        "paid_boost" => Cell::Yes,
        other => spec.cell(other).unwrap_or(Cell::Text),
    }
}

fn bind(cell: Cell, v: &Value) -> DbValue {
    match cell {
        Cell::Count | Cell::Money => v.as_i64().into(),
        Cell::Number => v.as_f64().into(),
        Cell::Yes => v.as_bool().into(),
        Cell::Day => v.as_str().and_then(|s| s.parse::<NaiveDate>().ok()).into(),
        Cell::Time => v
            .as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|d| d.with_timezone(&Utc))
            .into(),
        Cell::Text | Cell::Ref => v.as_str().map(str::to_owned).into(),
    }
}

fn read_cell(r: &sea_orm::QueryResult, i: usize, cell: Cell) -> Result<Value> {
    Ok(match cell {
        Cell::Count | Cell::Money => r
            .try_get_by_index::<Option<i64>>(i)?
            .map_or(Value::Null, Value::from),
        Cell::Number => r
            .try_get_by_index::<Option<f64>>(i)?
            .map_or(Value::Null, Value::from),
        Cell::Yes => r
            .try_get_by_index::<Option<bool>>(i)?
            .map_or(Value::Null, Value::from),
        Cell::Day => r
            .try_get_by_index::<Option<NaiveDate>>(i)?
            .map_or(Value::Null, |d| d.to_string().into()),
        Cell::Time => r
            .try_get_by_index::<Option<DateTime<Utc>>>(i)?
            .map_or(Value::Null, |d| d.to_rfc3339().into()),
        Cell::Text | Cell::Ref => r
            .try_get_by_index::<Option<String>>(i)?
            .map_or(Value::Null, Value::from),
    })
}

/// The stored rows under `keys`.
pub(crate) async fn existing(
    db: &impl ConnectionTrait,
    ws: WorkspaceId,
    spec: &KindSpec,
    keys: &[Vec<Value>],
) -> Result<HashMap<Vec<Value>, Vec<Value>>> {
    let mut out = HashMap::new();
    let engine = engine_of(db);
    let key_cols = spec.keys.join(", ");
    let all: Vec<&str> = spec.keys.iter().chain(spec.values).copied().collect();
    for part in keys.chunks(400) {
        let tuple = format!("({})", vec!["?"; spec.keys.len()].join(", "));
        let sql = format!(
            "SELECT {} FROM {} WHERE workspace_id = ? AND ({key_cols}) IN ({})",
            all.join(", "),
            spec.table,
            vec![tuple; part.len()].join(", ")
        );
        let mut values: Vec<DbValue> = vec![ws.0.into()];
        for k in part {
            for (c, v) in spec.keys.iter().zip(k) {
                values.push(bind(cell_of(spec, c), v));
            }
        }
        for r in db.query_all_raw(stmt(engine, &sql, values)).await? {
            let mut row = Vec::with_capacity(all.len());
            for (i, c) in all.iter().enumerate() {
                row.push(read_cell(&r, i, cell_of(spec, c))?);
            }
            let vals = row.split_off(spec.keys.len());
            out.insert(row, vals);
        }
    }
    Ok(out)
}

/// A row to write: its key, new values, and what it replaced.
pub(crate) struct KindWrite {
    pub key: Vec<Value>,
    pub values: Vec<Value>,
    pub previous: Option<Vec<Value>>,
}

/// A value the row leaves missing keeps what is stored.
pub(crate) fn merged(old: Option<&Vec<Value>>, new: &[Value]) -> Vec<Value> {
    new.iter()
        .enumerate()
        .map(|(i, v)| match (v, old) {
            (Value::Null, Some(o)) => o[i].clone(),
            _ => v.clone(),
        })
        .collect()
}

/// Writes rows (upserts), what they replaced, and the rollups they change.
pub(crate) async fn write(
    txn: &impl ConnectionTrait,
    ws: WorkspaceId,
    spec: &KindSpec,
    idx: &PostIndex,
    import_id: Option<i64>,
    writes: &[KindWrite],
) -> Result<()> {
    if writes.is_empty() {
        return Ok(());
    }
    let engine = engine_of(txn);
    let now = Utc::now();
    let cols: Vec<&str> = spec.keys.iter().chain(spec.values).copied().collect();
    let set: Vec<String> = spec
        .values
        .iter()
        .chain(["import_id", "updated_at"].iter())
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    let width = cols.len() + 3;
    for part in writes.chunks(300) {
        let sql = format!(
            "INSERT INTO {} (workspace_id, {}, import_id, updated_at) VALUES {} \
             ON CONFLICT (workspace_id, {}) DO UPDATE SET {}",
            spec.table,
            cols.join(", "),
            value_rows(part.len(), width),
            spec.keys.join(", "),
            set.join(", ")
        );
        let mut values: Vec<DbValue> = Vec::with_capacity(part.len() * width);
        for w in part {
            values.push(ws.0.into());
            for (c, v) in cols.iter().zip(w.key.iter().chain(&w.values)) {
                values.push(bind(cell_of(spec, c), v));
            }
            values.push(import_id.into());
            values.push(now.into());
        }
        txn.execute_raw(stmt(engine, &sql, values)).await?;
    }
    if let Some(import) = import_id {
        let replaced: Vec<&KindWrite> = writes.iter().filter(|w| w.previous.is_some()).collect();
        for part in replaced.chunks(300) {
            let sql = format!(
                "INSERT INTO metric_changes (import_id, kind, row_key, previous) VALUES {}",
                value_rows(part.len(), 4)
            );
            let mut values: Vec<DbValue> = Vec::with_capacity(part.len() * 4);
            for w in part {
                values.push(import.into());
                values.push(spec.kind.as_str().into());
                values.push(Value::from(w.key.clone()).into());
                values.push(Value::from(w.previous.clone().unwrap_or_default()).into());
            }
            txn.execute_raw(stmt(engine, &sql, values)).await?;
        }
    }
    let keys: Vec<Vec<Value>> = writes.iter().map(|w| w.key.clone()).collect();
    refresh(txn, ws, spec, idx, &keys).await
}

/// Recomputes the rollups a kind feeds for the keys written (or removed).
pub(crate) async fn refresh(
    txn: &impl ConnectionTrait,
    ws: WorkspaceId,
    spec: &KindSpec,
    idx: &PostIndex,
    keys: &[Vec<Value>],
) -> Result<()> {
    let engine = engine_of(txn);
    match spec.kind {
        ImportKind::Comments => {
            let items: BTreeSet<i64> = keys.iter().filter_map(|k| k[0].as_i64()).collect();
            let items: Vec<i64> = items.into_iter().collect();
            for part in items.chunks(1000) {
                let list = part
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(",");
                let rows = txn
                    .query_all_raw(stmt(
                        engine,
                        &format!("SELECT item_id, created_at, replied_at FROM post_comments WHERE workspace_id = ? AND item_id IN ({list})"),
                        vec![ws.0.into()],
                    ))
                    .await?;
                let mut stats: HashMap<i64, (i64, i64)> = HashMap::new();
                for r in &rows {
                    let item: i64 = r.try_get_by_index(0)?;
                    let created: Option<DateTime<Utc>> = r.try_get_by_index(1)?;
                    let replied: Option<DateTime<Utc>> = r.try_get_by_index(2)?;
                    let s = stats.entry(item).or_default();
                    s.0 += 1;
                    if let (Some(c), Some(r)) = (created, replied)
                        && r - c <= chrono::Duration::hours(24)
                    {
                        s.1 += 1;
                    }
                }
                txn.execute_raw(stmt(
                    engine,
                    &format!("DELETE FROM item_reply_stats WHERE item_id IN ({list})"),
                    Vec::new(),
                ))
                .await?;
                let stats: Vec<(i64, (i64, i64))> = stats.into_iter().collect();
                for chunk in stats.chunks(500) {
                    let sql = format!(
                        "INSERT INTO item_reply_stats (item_id, workspace_id, comments, replied_24h) VALUES {}",
                        value_rows(chunk.len(), 4)
                    );
                    let mut values: Vec<DbValue> = Vec::new();
                    for (item, (n, ok)) in chunk {
                        values.extend([(*item).into(), ws.0.into(), (*n).into(), (*ok).into()]);
                    }
                    txn.execute_raw(stmt(engine, &sql, values)).await?;
                }
            }
            Ok(())
        }
        ImportKind::Spend | ImportKind::Revenue => {
            let mut campaigns: BTreeSet<i64> = BTreeSet::new();
            let mut days: BTreeSet<String> = BTreeSet::new();
            for k in keys {
                if spec.kind == ImportKind::Revenue {
                    campaigns.extend(k[0].as_i64());
                    days.extend(k[1].as_str().map(str::to_owned));
                } else {
                    let id = k[1].as_i64().unwrap_or_default();
                    match k[0].as_str() {
                        Some("campaign") => {
                            campaigns.insert(id);
                        }
                        Some("item") => {
                            campaigns.extend(idx.items.get(&id).and_then(|f| f.campaign_id));
                        }
                        _ => {}
                    }
                    days.extend(k[2].as_str().map(str::to_owned));
                }
            }
            refresh_money(txn, ws, &campaigns, &days).await
        }
        _ => Ok(()),
    }
}

/// A campaign's money by day: spend on the campaign and on its posts, boosted spend, revenue
/// and conversions.
async fn refresh_money(
    txn: &impl ConnectionTrait,
    ws: WorkspaceId,
    campaigns: &BTreeSet<i64>,
    days: &BTreeSet<String>,
) -> Result<()> {
    if campaigns.is_empty() || days.is_empty() {
        return Ok(());
    }
    let engine = engine_of(txn);
    let list = campaigns
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let marks = vec!["?"; days.len()].join(", ");
    let day_values: Vec<DbValue> = days
        .iter()
        .map(|d| d.parse::<NaiveDate>().ok().into())
        .collect();
    let with_ws = |mut v: Vec<DbValue>| {
        v.insert(0, ws.0.into());
        v
    };
    let mut sums: HashMap<(i64, NaiveDate), [i64; 4]> = HashMap::new();
    let spend = format!(
        "SELECT x.campaign_id, x.day, CAST(SUM(x.amount) AS BIGINT), \
         CAST(SUM(CASE WHEN x.paid_boost THEN x.amount ELSE 0 END) AS BIGINT) FROM (\
         SELECT s.scope_id AS campaign_id, s.day AS day, s.amount AS amount, s.paid_boost AS paid_boost \
         FROM spend_entries s WHERE s.workspace_id = ? AND s.scope = 'campaign' AND s.scope_id IN ({list}) \
         UNION ALL SELECT c.campaign_id, s.day, s.amount, s.paid_boost FROM spend_entries s \
         JOIN content_items c ON c.id = s.scope_id WHERE s.workspace_id = ? AND s.scope = 'item' AND c.campaign_id IN ({list})\
         ) x WHERE x.day IN ({marks}) GROUP BY x.campaign_id, x.day"
    );
    let mut values = with_ws(vec![ws.0.into()]);
    values.extend(day_values.clone());
    for r in txn.query_all_raw(stmt(engine, &spend, values)).await? {
        let k: (i64, NaiveDate) = (r.try_get_by_index(0)?, r.try_get_by_index(1)?);
        let s = sums.entry(k).or_default();
        s[0] = r.try_get_by_index::<Option<i64>>(2)?.unwrap_or(0);
        s[1] = r.try_get_by_index::<Option<i64>>(3)?.unwrap_or(0);
    }
    let revenue = format!(
        "SELECT campaign_id, day, COALESCE(revenue, 0), COALESCE(conversions, 0) FROM campaign_revenue \
         WHERE workspace_id = ? AND campaign_id IN ({list}) AND day IN ({marks})"
    );
    for r in txn
        .query_all_raw(stmt(engine, &revenue, with_ws(day_values.clone())))
        .await?
    {
        let k: (i64, NaiveDate) = (r.try_get_by_index(0)?, r.try_get_by_index(1)?);
        let s = sums.entry(k).or_default();
        s[2] = r.try_get_by_index(2)?;
        s[3] = r.try_get_by_index(3)?;
    }
    txn.execute_raw(stmt(
        engine,
        &format!("DELETE FROM campaign_money_daily WHERE workspace_id = ? AND campaign_id IN ({list}) AND day IN ({marks})"),
        with_ws(day_values),
    ))
    .await?;
    let rows: Vec<((i64, NaiveDate), [i64; 4])> = sums.into_iter().collect();
    for chunk in rows.chunks(300) {
        let sql = format!(
            "INSERT INTO campaign_money_daily (campaign_id, day, workspace_id, spend, boost_spend, revenue, conversions) VALUES {}",
            value_rows(chunk.len(), 7)
        );
        let mut values: Vec<DbValue> = Vec::new();
        for ((c, d), s) in chunk {
            values.extend([
                (*c).into(),
                (*d).into(),
                ws.0.into(),
                s[0].into(),
                s[1].into(),
                s[2].into(),
                s[3].into(),
            ]);
        }
        txn.execute_raw(stmt(engine, &sql, values)).await?;
    }
    Ok(())
}

/// Takes back a kind's rows an import wrote: its own rows go unless it replaced them, whose
/// values come back. Answers (rows removed, values restored).
pub(crate) async fn undo(
    txn: &impl ConnectionTrait,
    ws: WorkspaceId,
    spec: &KindSpec,
    idx: &PostIndex,
    import_id: i64,
) -> Result<(usize, usize)> {
    let engine = engine_of(txn);
    let all: Vec<&str> = spec.keys.iter().chain(spec.values).copied().collect();
    let rows = txn
        .query_all_raw(stmt(
            engine,
            &format!(
                "SELECT {} FROM {} WHERE workspace_id = ? AND import_id = ?",
                spec.keys.join(", "),
                spec.table
            ),
            vec![ws.0.into(), import_id.into()],
        ))
        .await?;
    let mut own: Vec<Vec<Value>> = Vec::with_capacity(rows.len());
    for r in &rows {
        let mut k = Vec::new();
        for (i, c) in spec.keys.iter().enumerate() {
            k.push(read_cell(r, i, cell_of(spec, c))?);
        }
        own.push(k);
    }
    let changes = txn
        .query_all_raw(stmt(
            engine,
            "SELECT CAST(row_key AS TEXT), CAST(previous AS TEXT) FROM metric_changes WHERE import_id = ? AND kind = ?",
            vec![import_id.into(), spec.kind.as_str().into()],
        ))
        .await?;
    let mut previous: HashMap<Vec<Value>, Vec<Value>> = HashMap::new();
    for r in &changes {
        let k: String = r.try_get_by_index(0)?;
        let p: String = r.try_get_by_index(1)?;
        if let (Ok(k), Ok(p)) = (serde_json::from_str(&k), serde_json::from_str(&p)) {
            previous.insert(k, p);
        }
    }
    let mut restores = Vec::new();
    let mut deletes = Vec::new();
    for k in own {
        match previous.remove(&k) {
            Some(p) => restores.push(KindWrite {
                key: k,
                values: p,
                previous: None,
            }),
            None => deletes.push(k),
        }
    }
    for part in deletes.chunks(300) {
        let tuple = format!("({})", vec!["?"; spec.keys.len()].join(", "));
        let sql = format!(
            "DELETE FROM {} WHERE workspace_id = ? AND ({}) IN ({})",
            spec.table,
            spec.keys.join(", "),
            vec![tuple; part.len()].join(", ")
        );
        let mut values: Vec<DbValue> = vec![ws.0.into()];
        for k in part {
            for (c, v) in spec.keys.iter().zip(k) {
                values.push(bind(cell_of(spec, c), v));
            }
        }
        txn.execute_raw(stmt(engine, &sql, values)).await?;
    }
    let _ = all;
    // Restored rows are written as before this import (`NULL`: not this import's any more).
    write(txn, ws, spec, idx, None, &restores).await?;
    refresh(txn, ws, spec, idx, &deletes).await?;
    Ok((deletes.len(), restores.len()))
}

/// Issues of a refused row, on its column where the field is mapped.
pub(crate) fn row_issue(row: u32, e: FieldError, value: String) -> ImportIssue {
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
