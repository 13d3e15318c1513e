//! The SQL-dialect seam: every difference between SQLite and PostgreSQL that a query has to
//! know lives here — placeholders, batches sent as one round trip, JSON aggregation and the
//! board card, row and column locks, JSON filters on tags and custom fields, telling other
//! nodes about a commit. Outside this module only connection setup (`db.rs`) and migrations
//! (`migrate.rs`) look at the engine.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use kox_domain::WorkspaceId;
use kox_domain::custom_fields::FieldKind;
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value as DbValue};

use crate::error::invalid;
use crate::{Engine, Result};

pub(crate) fn engine_of(db: &impl ConnectionTrait) -> Engine {
    match db.get_database_backend() {
        DbBackend::Postgres => Engine::Postgres,
        _ => Engine::Sqlite,
    }
}

/// A raw statement written with `?` placeholders, numbered for PostgreSQL. The SQL text is
/// fixed in this crate; values are always bound.
pub(crate) fn stmt(engine: Engine, sql: &str, values: Vec<DbValue>) -> Statement {
    match engine {
        Engine::Sqlite => Statement::from_sql_and_values(DbBackend::Sqlite, sql, values),
        Engine::Postgres => {
            let mut out = String::with_capacity(sql.len() + 16);
            let mut n = 0;
            for ch in sql.chars() {
                if ch == '?' {
                    n += 1;
                    out.push('$');
                    out.push_str(&n.to_string());
                } else {
                    out.push(ch);
                }
            }
            Statement::from_sql_and_values(DbBackend::Postgres, out, values)
        }
    }
}

/// Statements with `?` placeholders and their values, written together.
pub(crate) type Batch = Vec<(String, Vec<DbValue>)>;

/// A batch as one SQL text (SQLite runs several statements in one call).
pub(crate) fn joined(batch: Batch) -> (String, Vec<DbValue>) {
    let sql = batch
        .iter()
        .map(|(s, _)| s.as_str())
        .collect::<Vec<_>>()
        .join(";\n");
    (sql, batch.into_iter().flat_map(|(_, v)| v).collect())
}

/// Runs a batch in the caller's transaction as one round trip and returns the rows it produced.
/// SQLite takes the statements as one call (one hand-off to its connection thread instead of one
/// per statement, which is what a hot write path spends most of its time on). PostgreSQL's
/// extended protocol takes one statement per call, so the batch becomes one statement: every
/// statement but the last a data-modifying `WITH` part, the last the main statement. The parts
/// run on one snapshot, so the statements of a batch must not read each other's effects; the
/// rows returned are the last statement's.
pub(crate) async fn run_batch(db: &impl ConnectionTrait, batch: Batch) -> Result<Vec<QueryResult>> {
    Ok(db
        .query_all_raw(batch_statement(engine_of(db), batch))
        .await?)
}

/// A batch as the one statement `run_batch` sends (see there).
pub(crate) fn batch_statement(engine: Engine, batch: Batch) -> Statement {
    let (sql, values) = match engine {
        Engine::Sqlite => joined(batch),
        Engine::Postgres => {
            let n = batch.len();
            let mut sql = String::new();
            let mut values = Vec::new();
            for (i, (s, v)) in batch.into_iter().enumerate() {
                if i + 1 < n {
                    sql.push_str(if i == 0 { "WITH " } else { ", " });
                    let _ = write!(sql, "s{i} AS ({s})");
                } else {
                    if n > 1 {
                        sql.push(' ');
                    }
                    sql.push_str(&s);
                }
                values.extend(v);
            }
            (sql, values)
        }
    };
    stmt(engine, &sql, values)
}

/// The statement that tells other `kox serve` instances on this PostgreSQL about a commit (a
/// NOTIFY is delivered when, and only if, its transaction commits). The payload is
/// `workspace:entity type` only; listeners read the events themselves. SQLite has one process:
/// nothing to tell.
pub(crate) fn notify_statement(
    engine: Engine,
    ws: Option<WorkspaceId>,
    entity_type: &str,
) -> Option<(String, Vec<DbValue>)> {
    match engine {
        Engine::Sqlite => None,
        Engine::Postgres => Some((
            "SELECT pg_notify(?, ?)".into(),
            vec![
                crate::events::CHANNEL.into(),
                format!("{}:{entity_type}", ws.map_or(0, |w| w.0)).into(),
            ],
        )),
    }
}

/// How the statements of a batch name the row its statement `part` (an `INSERT … RETURNING *`)
/// inserted. SQLite runs the statements in order and `last_insert_rowid()` is the new row only
/// until the next INSERT, so the statement right after it (an `INSERT … SELECT <id>…<from>` into
/// `next_table`) names it that way and the later ones read it back through the row that one
/// inserted (`next_table.next_column`). PostgreSQL runs the batch as one statement whose part
/// `s<part>` returns the row (`run_batch`).
pub(crate) struct InsertedRow {
    /// The new row's id in the next statement, an `INSERT … SELECT <id>…<from>`.
    pub id_in_next: String,
    pub from_in_next: String,
    /// The new row's id in the statements after the next.
    pub id_after: String,
}

pub(crate) fn inserted_row(
    engine: Engine,
    part: usize,
    next_table: &str,
    next_column: &str,
) -> InsertedRow {
    match engine {
        Engine::Sqlite => InsertedRow {
            id_in_next: "last_insert_rowid()".into(),
            from_in_next: String::new(),
            id_after: format!(
                "(SELECT {next_column} FROM {next_table} WHERE rowid = last_insert_rowid())"
            ),
        },
        Engine::Postgres => InsertedRow {
            id_in_next: format!("s{part}.id"),
            from_in_next: format!(" FROM s{part}"),
            id_after: format!("(SELECT id FROM s{part})"),
        },
    }
}

/// The statement that ends an `inserted_row` batch: PostgreSQL returns only the last
/// statement's rows, so it selects the row part `part` inserted (and sends the batch's
/// notification, if any); on SQLite the INSERT's own `RETURNING` row is among the batch's rows.
pub(crate) fn inserted_row_last(
    engine: Engine,
    part: usize,
    notify: Option<(String, Vec<DbValue>)>,
) -> Option<(String, Vec<DbValue>)> {
    match (engine, notify) {
        (Engine::Sqlite, _) => None,
        (Engine::Postgres, None) => Some((format!("SELECT s{part}.* FROM s{part}"), Vec::new())),
        (Engine::Postgres, Some((n, v))) => Some((
            format!("SELECT s{part}.*, ({n}) IS NULL AS notified FROM s{part}"),
            v,
        )),
    }
}

/// How a later statement of a batch reads `column` of the one row that the batch's statement
/// `part` wrote with `… RETURNING {column}`: PostgreSQL from that part's `RETURNING` (the batch
/// is one statement on one snapshot, which does not see its own writes in the table); SQLite
/// from the table, found by `condition` and its values, since its statements run in order.
/// The names and the condition are fixed SQL of this crate.
pub(crate) fn written_value(
    engine: Engine,
    part: usize,
    column: &str,
    table: &str,
    condition: &str,
    values: Vec<DbValue>,
) -> Expr {
    match engine {
        Engine::Sqlite => Expr::cust_with_values(
            format!("(SELECT {column} FROM {table} WHERE {condition})"),
            values,
        ),
        Engine::Postgres => Expr::cust(format!("(SELECT {column} FROM s{part})")),
    }
}

/// Whether a write that needs nothing from the database between its statements should be sent
/// as one atomic call on the writer (`Store::sqlite_atomic`): SQLite, where every statement is
/// a hand-off to the one writer connection's thread.
pub(crate) fn one_call_writes(engine: Engine) -> bool {
    engine == Engine::Sqlite
}

/// Appended to a `SELECT … FROM <table> <alias>` that reads a row it is about to write:
/// PostgreSQL locks the row until the transaction ends; SQLite's one writer already serialises.
/// `n` new ids of `table` for rows about to be inserted with them, in the caller's write
/// transaction: PostgreSQL takes them from the table's sequence; SQLite (one writer, whose
/// transaction holds the write lock from its start) counts on from the largest id, and its
/// AUTOINCREMENT sequence follows the inserted ids.
pub(crate) async fn reserve_ids(
    db: &impl ConnectionTrait,
    table: &str,
    n: usize,
) -> Result<Vec<i64>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    debug_assert!(table.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
    match engine_of(db) {
        Engine::Postgres => {
            let sql = format!(
                "SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1)"
            );
            let rows = db
                .query_all_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    sql,
                    [(n as i64).into()],
                ))
                .await?;
            rows.iter()
                .map(|r| Ok(r.try_get_by_index::<i64>(0)?))
                .collect()
        }
        Engine::Sqlite => {
            let sql = format!(
                "SELECT MAX(COALESCE((SELECT MAX(id) FROM {table}), 0), \
                 COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0))"
            );
            let max: i64 = match db
                .query_one_raw(Statement::from_string(DbBackend::Sqlite, sql))
                .await?
            {
                Some(r) => r.try_get_by_index(0)?,
                None => 0,
            };
            Ok((1..=n as i64).map(|i| max + i).collect())
        }
    }
}

pub(crate) fn row_lock(engine: Engine, alias: &str) -> String {
    match engine {
        Engine::Sqlite => String::new(),
        Engine::Postgres => format!(" FOR UPDATE OF {alias}"),
    }
}

/// Serialises writes to one (workspace, key) — e.g. positions within one board column — until
/// the transaction ends: a PostgreSQL advisory lock. SQLite's one writer already serialises.
pub(crate) async fn lock_key(db: &impl ConnectionTrait, ws: WorkspaceId, key: i32) -> Result<()> {
    if engine_of(db) == Engine::Postgres {
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1, $2)",
            [lock_space(ws).into(), key.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Runs `sql`, a statement whose only purpose is to lock rows until the transaction ends, on
/// PostgreSQL; SQLite's one writer already serialises, so there it does nothing. E.g. a board
/// column's lock (`Store::lock_column`): an upsert of the column's row whose update changes
/// nothing (`… DO UPDATE … WHERE false` still locks the conflicting row, and a concurrent first
/// insert waits for this one). `sql` is fixed SQL of this crate; its values are bound.
pub(crate) async fn lock_rows(
    db: &impl ConnectionTrait,
    sql: &str,
    values: Vec<DbValue>,
) -> Result<()> {
    if engine_of(db) == Engine::Postgres {
        db.execute_raw(stmt(Engine::Postgres, sql, values)).await?;
    }
    Ok(())
}

/// The first half of a workspace's advisory lock keys.
fn lock_space(ws: WorkspaceId) -> i32 {
    i32::try_from(ws.0).unwrap_or(i32::MAX)
}

/// A JSON array (as text) of `column` over the rows of `table` matching `condition`, in
/// ascending order — e.g. an account's owner ids beside each account of a page, so the page is
/// one statement. The arguments are fixed SQL of this crate, never user input.
pub(crate) fn ids_json(engine: Engine, column: &str, table: &str, condition: &str) -> String {
    match engine {
        Engine::Sqlite => format!(
            "(SELECT json_group_array({column}) FROM (SELECT {column} FROM {table} WHERE {condition} ORDER BY {column}))"
        ),
        Engine::Postgres => format!(
            "(SELECT CAST(COALESCE(json_agg({column} ORDER BY {column}), '[]'::json) AS TEXT) FROM {table} WHERE {condition})"
        ),
    }
}

/// How a column goes into a JSON object written by the database (`json_rows`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum JsonCol {
    /// A number, text or NULL, as it is.
    Plain,
    /// A column that holds JSON as text (a JSON column, or `ids_json`).
    Json,
    /// A UTC timestamp (stored as RFC 3339 text with `+00:00`), written as serde writes a
    /// `DateTime<Utc>` (the same digits, `Z` for the offset).
    Time,
}

/// SQLite: one row with one text column, the JSON array the API sends for the ordered subquery
/// `alias` — an object per row, keyed by column name, each value written exactly as serde
/// writes the domain type's field (text and numbers by `json_quote`, JSON columns as stored,
/// timestamps with `Z`), so the server sends it as it is (`JsonPage`). SQLite aggregates the
/// rows of an ordered subquery in its order, as the board's columns do. The objects are
/// concatenated, not built with `json_object`: that parsed every JSON column again and was, with
/// parsing the page in Rust and serialising it again, a third of a list read.
/// `None` on PostgreSQL: building the JSON there cost the database more than it saved
/// (measured: 1,229 vs 1,941 pages/s with pgbench); its pages are read narrow and filled from
/// each row's kept JSON instead (`rows`).
pub(crate) fn json_rows(
    engine: Engine,
    alias: &str,
    columns: &[(&str, JsonCol)],
) -> Option<String> {
    if engine == Engine::Postgres {
        return None;
    }
    let fields = columns
        .iter()
        .enumerate()
        .map(|(i, (name, kind))| {
            let sep = if i == 0 { "{" } else { "," };
            let col = format!("{alias}.{name}");
            let value = match kind {
                JsonCol::Plain => format!("json_quote({col})"),
                JsonCol::Json => format!("COALESCE({col}, 'null')"),
                JsonCol::Time => format!(
                    "json_quote(CASE WHEN {col} LIKE '%+00:00' THEN substr({col}, 1, length({col}) - 6) || 'Z' ELSE {col} END)"
                ),
            };
            format!("'{sep}\"{name}\":', {value}")
        })
        .collect::<Vec<_>>()
        .join(", ");
    Some(format!(
        "'[' || COALESCE(group_concat(concat({fields}, '}}'), ','), '') || ']'"
    ))
}

/// SQLite: a whole result as one JSON array of arrays (`[[id, title, …], …]`) in one row, for
/// reads of thousands of rows (the calendar's range): SQLite hands rows to the driver one by
/// one across threads, a cost per row that one text value does not pay. The columns are plain
/// SQL expressions (a JSON column comes back as its text). `None` on PostgreSQL, whose rows
/// arrive in batches.
pub(crate) fn json_tuples(engine: Engine, columns: &str) -> Option<String> {
    (engine == Engine::Sqlite)
        .then(|| format!("COALESCE(json_group_array(json_array({columns})), '[]')"))
}

/// SQLite: the sort keys of the rows of subquery `alias` in its order, as a JSON array of
/// arrays (`[[followers, id], …]`), beside `json_rows` — what a page remembers as anchors.
pub(crate) fn json_keys(alias: &str, columns: &[&str]) -> String {
    let cols = columns
        .iter()
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("COALESCE(json_group_array(json_array({cols})), '[]')")
}

/// A JSON array of the `card` column of subquery `t`, in `(pos, iid)` order, as text — the
/// database writes a page of cards as one value, so no row crosses the driver one by one.
pub(crate) fn json_array_of_cards(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => "'[' || COALESCE(group_concat(t.card, ','), '') || ']'",
        Engine::Postgres => {
            "CAST(COALESCE(json_agg(t.card ORDER BY t.pos, t.iid), '[]'::json) AS TEXT)"
        }
    }
}

/// A case-insensitive "contains" pattern for LIKE with `\\` as the escape character.
pub(crate) fn like_pattern(q: &str) -> String {
    format!(
        "%{}%",
        q.to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

/// A list of ids as a table `ids(id)` that drives a join — `FROM {ids_join} t ON t.id = ids.id`
/// — the list bound as one value: the statement's text is the same for every list (prepared
/// once, no thousands of literals to parse), the list is unpacked once (PostgreSQL's `unnest`
/// of a bigint array, SQLite's `json_each`) and each id looks up its row by index. (A
/// `t.id = ANY(?)` test is re-evaluated per row by a prepared plan; SQLite is told the order by
/// `CROSS JOIN`, or it may unpack the list once per row of the other table.)
pub(crate) fn ids_join(engine: Engine, ids: &[i64]) -> (&'static str, DbValue) {
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    match engine {
        Engine::Sqlite => (
            "(SELECT value AS id FROM json_each(?)) AS ids CROSS JOIN",
            format!("[{list}]").into(),
        ),
        Engine::Postgres => (
            "unnest(CAST(? AS BIGINT[])) AS ids(id) JOIN",
            format!("{{{list}}}").into(),
        ),
    }
}

/// Tag membership in a JSON `tags` array: SQLite's json_each, PostgreSQL's jsonb containment.
/// `table` is a fixed table name of this crate, never user input.
pub(crate) fn tag_condition(engine: Engine, table: &str, tag: &str) -> Expr {
    match engine {
        Engine::Sqlite => Expr::cust_with_values(
            format!("EXISTS (SELECT 1 FROM json_each({table}.tags) WHERE json_each.value = ?)"),
            [tag],
        ),
        Engine::Postgres => Expr::cust_with_values(
            format!("{table}.tags @> jsonb_build_array($1::text)"),
            [tag],
        ),
    }
}

/// A custom-field filter. The key has been checked against the workspace's definitions
/// (a lowercase slug), so it is safe inside the JSON path; the value is always bound.
pub(crate) fn custom_condition(
    engine: Engine,
    table: &str,
    key: &str,
    kind: FieldKind,
    value: &str,
) -> Result<Expr> {
    let bad = || {
        invalid(
            format!("cf.{key}"),
            "validation.filter",
            "this filter value does not fit the field's type",
        )
    };
    Ok(match (engine, kind) {
        (Engine::Sqlite, FieldKind::MultiSelect) => Expr::cust_with_values(
            format!(
                "EXISTS (SELECT 1 FROM json_each({table}.custom, '$.{key}') WHERE json_each.value = ?)"
            ),
            [value],
        ),
        (Engine::Postgres, FieldKind::MultiSelect) => Expr::cust_with_values(
            format!("{table}.custom -> '{key}' @> jsonb_build_array($1::text)"),
            [value],
        ),
        (Engine::Sqlite, FieldKind::Number | FieldKind::Person) => {
            let n: f64 = value.parse().map_err(|_| bad())?;
            Expr::cust_with_values(format!("json_extract({table}.custom, '$.{key}') = ?"), [n])
        }
        (Engine::Postgres, FieldKind::Number | FieldKind::Person) => {
            let n: f64 = value.parse().map_err(|_| bad())?;
            Expr::cust_with_values(format!("({table}.custom ->> '{key}')::float8 = $1"), [n])
        }
        (Engine::Sqlite, FieldKind::Checkbox) => {
            let b: bool = value.parse().map_err(|_| bad())?;
            // json_extract gives 1/0 for JSON booleans; an absent value counts as unchecked.
            Expr::cust_with_values(
                format!("COALESCE(json_extract({table}.custom, '$.{key}'), 0) = ?"),
                [i64::from(b)],
            )
        }
        (Engine::Postgres, FieldKind::Checkbox) => {
            let b: bool = value.parse().map_err(|_| bad())?;
            Expr::cust_with_values(
                format!("COALESCE({table}.custom ->> '{key}', 'false') = $1"),
                [b.to_string()],
            )
        }
        (Engine::Sqlite, _) => Expr::cust_with_values(
            format!("json_extract({table}.custom, '$.{key}') = ?"),
            [value],
        ),
        (Engine::Postgres, _) => {
            Expr::cust_with_values(format!("{table}.custom ->> '{key}' = $1"), [value])
        }
    })
}

/// One board card as JSON, written by the database in exactly the shape of `ContentCard`
/// (timestamps as RFC 3339 in UTC with `Z`, like the rest of the API). Engine-specific: SQLite's
/// concatenation over its text timestamps, PostgreSQL's row of named columns over timestamptz.
pub(crate) fn card_json(engine: Engine, today: NaiveDate, now: DateTime<Utc>) -> Expr {
    let open = "content_items.stage IN ('topic', 'draft', 'review', 'publish')";
    match engine {
        // Concatenated, not json_object: that parsed the JSON columns again, and the column's
        // array parsed every card once more (a cold board read was mostly JSON parsing).
        Engine::Sqlite => Expr::cust_with_values(
            format!(
                "concat('{{\"id\":', content_items.id, ',\"stage\":', json_quote(content_items.stage), \
                 ',\"position\":', json_quote(content_items.position), ',\"title\":', json_quote(content_items.title), \
                 ',\"account_id\":', json_quote(content_items.account_id), ',\"account_handle\":', json_quote(accounts.handle), \
                 ',\"account_name\":', json_quote(accounts.display_name), ',\"platform\":', json_quote(accounts.platform), \
                 ',\"tier\":', json_quote(accounts.tier), ',\"campaign_id\":', json_quote(content_items.campaign_id), \
                 ',\"assignee_id\":', json_quote(content_items.assignee_id), ',\"due_on\":', json_quote(content_items.due_on), \
                 ',\"planned_at\":', json_quote(replace(content_items.planned_at, '+00:00', 'Z')), \
                 ',\"published_at\":', json_quote(replace(content_items.published_at, '+00:00', 'Z')), \
                 ',\"review_state\":', json_quote(content_items.review_state), \
                 ',\"closed\":', CASE WHEN content_items.closed_at IS NULL THEN 'false' ELSE 'true' END, \
                 ',\"overdue\":', CASE WHEN {open} AND ((content_items.due_on IS NOT NULL AND content_items.due_on < ?) OR (content_items.planned_at IS NOT NULL AND content_items.planned_at < ?)) THEN 'true' ELSE 'false' END, \
                 ',\"tags\":', content_items.tags, ',\"custom\":', content_items.custom, \
                 ',\"red_line_hits\":', json_quote(content_items.red_line_hits), ',\"warnings\":', json_quote(content_items.warnings), \
                 ',\"comments\":', json_quote(content_items.comments), ',\"version\":', json_quote(content_items.version), \
                 ',\"grade\":', json_quote(content_items.grade), '}}')"
            ),
            [DbValue::from(today), DbValue::from(now)],
        ),
        // A row whose column names are the keys, which json_agg writes as an object:
        // json_build_object works out the type of each of its 22 arguments again for every
        // card (12–13 ms of a 2,000-card column against 8–9 ms as a row).
        Engine::Postgres => Expr::cust_with_values(
            format!(
                "(SELECT c FROM (SELECT content_items.id AS id, content_items.stage AS stage, content_items.position AS position, \
                 content_items.title AS title, content_items.account_id AS account_id, accounts.handle AS account_handle, \
                 accounts.display_name AS account_name, accounts.platform AS platform, accounts.tier AS tier, \
                 content_items.campaign_id AS campaign_id, content_items.assignee_id AS assignee_id, content_items.due_on AS due_on, \
                 to_char(content_items.planned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS planned_at, \
                 to_char(content_items.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS published_at, \
                 content_items.review_state AS review_state, content_items.closed_at IS NOT NULL AS closed, \
                 ({open} AND ((content_items.due_on IS NOT NULL AND content_items.due_on < $1) OR (content_items.planned_at IS NOT NULL AND content_items.planned_at < $2))) AS overdue, \
                 content_items.tags AS tags, content_items.custom AS custom, \
                 content_items.red_line_hits AS red_line_hits, content_items.warnings AS warnings, content_items.comments AS comments, \
                 content_items.version AS version, content_items.grade AS grade) c)"
            ),
            [DbValue::from(today), DbValue::from(now)],
        ),
    }
}
