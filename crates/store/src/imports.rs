//! The import framework's store side: an uploaded sheet is kept (`imports` table), previewed
//! against the workspace's data as often as the user remaps it, and committed in chunks of
//! `CHUNK_ROWS`, each chunk one transaction that also records the progress. Rows are matched
//! on their key (accounts: platform + handle), so committing again after a stop writes nothing
//! twice. Accounts are the first kind.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, Utc};
use kox_domain::access::{Capability, Scope};
use kox_domain::accounts::{Account, AccountDraft, AccountPatch};
use kox_domain::custom_fields::{CustomField, FieldEntity, validate_values};
use kox_domain::imports::accounts::{self as rows, Context, ImportField, Values};
use kox_domain::imports::{
    CHUNK_ROWS, CommitRequest, Import, ImportIssue, ImportKind, ImportPreview, ImportResult,
    ImportRow, ImportStatus, MAX_LISTED_ISSUES, MAX_PREVIEW_ROWS, Mapping, PreviewRow, RowOutcome,
    Sheet, SheetRow,
};
use kox_domain::versioned::{Patch as _, Versioned as _};
use kox_domain::{FieldError, UserId, WorkspaceId};
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, Set};
use serde_json::Value;

use crate::Caller;
use crate::entities::import;
use crate::error::invalid;
use crate::events::{NewEvent, record};
use crate::scoped;
use crate::{Result, Store, StoreError};

/// A commit that has not reported progress for this long has stopped (its process ended); it
/// may be committed again.
const STALE_AFTER_SECS: i64 = 60;
const SAMPLE_ROWS: usize = 5;
/// Serialises account-handle checks (the same key as `accounts::HANDLES_LOCK`).
const HANDLES_LOCK: i32 = 100;

fn json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or_default()
}

fn corrupt(what: &str) -> StoreError {
    crate::db::other(format!("a stored import's {what} could not be read"))
}

/// What one row does, planned against the accounts as they are.
enum Action {
    Create(Box<AccountDraft>),
    Update {
        id: kox_domain::AccountId,
        patch: Box<AccountPatch>,
    },
    Unchanged(kox_domain::AccountId),
    Invalid(Vec<ImportIssue>),
}

struct Planned {
    row: u32,
    values: Option<Values>,
    action: Action,
}

/// What an account import reads against.
struct Setting {
    platforms: Vec<kox_domain::members::Platform>,
    members: Vec<kox_domain::members::Member>,
    fields: Vec<CustomField>,
    scope: Scope,
}

impl Setting {
    fn ctx(&self) -> Context<'_> {
        Context {
            platforms: &self.platforms,
            members: &self.members,
            fields: &self.fields,
        }
    }
}

/// The fields an import of `kind` can fill: an account import's include the workspace's
/// account fields (`account_fields`; unused for the other kinds).
pub(crate) fn kind_fields(kind: ImportKind, account_fields: &[CustomField]) -> Vec<ImportField> {
    match kind {
        ImportKind::Accounts => rows::fields(account_fields),
        other => crate::metrics::import_fields(other),
    }
}

pub(crate) fn to_import(m: import::Model, fields: &[CustomField]) -> Result<Import> {
    let mut status = ImportStatus::parse(&m.status).ok_or_else(|| corrupt("status"))?;
    let mut result: Option<ImportResult> = match m.result {
        Some(v) => Some(serde_json::from_value(v).map_err(|_| corrupt("result"))?),
        None => None,
    };
    if status == ImportStatus::Committing
        && Utc::now() - m.updated_at > Duration::seconds(STALE_AFTER_SECS)
    {
        status = ImportStatus::Failed;
        result.get_or_insert_with(ImportResult::default).error =
            Some("the commit stopped (its server ended); commit again to resume".into());
    }
    let kind = ImportKind::parse(&m.kind).ok_or_else(|| corrupt("kind"))?;
    let (options, sheets): (kox_domain::imports::ImportOptions, Vec<String>) = match m.options {
        Some(v) => {
            let sheets = v
                .get("sheets")
                .and_then(|s| serde_json::from_value(s.clone()).ok())
                .unwrap_or_default();
            (
                serde_json::from_value(v).map_err(|_| corrupt("options"))?,
                sheets,
            )
        }
        None => Default::default(),
    };
    Ok(Import {
        id: m.id,
        kind,
        file_name: m.file_name,
        encoding: m.encoding,
        header_row: m.header_row as u32,
        headers: serde_json::from_value(m.headers).map_err(|_| corrupt("headers"))?,
        sample: serde_json::from_value(m.sample).map_err(|_| corrupt("sample"))?,
        total_rows: m.total_rows as u32,
        status,
        mapping: serde_json::from_value(m.mapping).map_err(|_| corrupt("mapping"))?,
        fields: kind_fields(kind, fields),
        done_rows: m.done_rows as u32,
        result,
        options,
        sheets,
        undone_at: m.undone_at,
        created_by: m.created_by.map(UserId),
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// The stored rows, taken out of the row read (a copy of 10,000 rows' JSON tree would double the
/// import's memory for nothing).
fn sheet_rows(m: &mut import::Model) -> Result<Vec<SheetRow>> {
    let raw: Vec<(u32, Vec<String>)> =
        serde_json::from_value(m.sheet_rows.take()).map_err(|_| corrupt("rows"))?;
    Ok(raw
        .into_iter()
        .map(|(number, cells)| SheetRow { number, cells })
        .collect())
}

impl Store {
    async fn import_setting(&self, caller: &Caller, ws: WorkspaceId) -> Result<Setting> {
        Ok(Setting {
            platforms: self.list_platforms(ws).await?,
            members: self.list_members(ws).await?,
            fields: self
                .list_custom_fields(ws, Some(FieldEntity::Account))
                .await?,
            scope: caller
                .scope(Capability::AccountsWriteAny, Capability::AccountsWriteOwn)
                .ok_or(StoreError::Forbidden)?,
        })
    }

    pub(crate) async fn import_model(&self, ws: WorkspaceId, id: i64) -> Result<import::Model> {
        scoped::by_id::<import::Entity>(ws, id)
            .one(&self.read)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Keeps a parsed sheet for mapping, preview and commit; the mapping starts as the one
    /// suggested from its headers.
    pub async fn create_import(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        kind: ImportKind,
        file_name: &str,
        sheet: Sheet,
    ) -> Result<Import> {
        self.create_import_mapped(caller, ws, kind, file_name, sheet, None)
            .await
    }

    /// `create_import` with the mapping taken from a saved one (`import-mappings`) instead.
    pub async fn create_import_mapped(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        kind: ImportKind,
        file_name: &str,
        sheet: Sheet,
        mapping_id: Option<i64>,
    ) -> Result<Import> {
        let setting = self.import_setting(caller, ws).await?;
        let file_name = kox_domain::validation::text("file_name", file_name, 1, 200)?;
        let mapping = match mapping_id {
            Some(id) => kox_domain::metrics::presets::apply(
                &self.saved_mapping_columns(ws, id, kind).await?,
                &sheet.headers,
            ),
            None => rows::suggest_mapping(&sheet.headers, &setting.fields),
        };
        let sample: Vec<ImportRow> = sheet
            .rows
            .iter()
            .take(SAMPLE_ROWS)
            .map(|r| ImportRow {
                row: r.number,
                cells: r.cells.clone(),
            })
            .collect();
        let cells: Vec<(u32, &Vec<String>)> =
            sheet.rows.iter().map(|r| (r.number, &r.cells)).collect();
        let now = Utc::now();
        let txn = self.begin().await?;
        let m = import::ActiveModel {
            workspace_id: Set(ws.0),
            kind: Set(kind.as_str().into()),
            file_name: Set(file_name.clone()),
            encoding: Set(sheet.encoding.map(str::to_owned)),
            header_row: Set(i64::from(sheet.header_row)),
            headers: Set(json(&sheet.headers)),
            sample: Set(json(&sample)),
            sheet_rows: Set(json(&cells)),
            total_rows: Set(sheet.rows.len() as i64),
            status: Set(ImportStatus::Uploaded.as_str().into()),
            mapping: Set(json(&mapping)),
            done_rows: Set(0),
            result: Set(None),
            created_by: Set(caller.user.map(|u| u.0)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "import", Some(m.id), "import.uploaded").after(
                serde_json::json!({"file_name": file_name, "kind": kind, "rows": sheet.rows.len()}),
            ),
        )
        .await?;
        self.commit(txn).await?;
        to_import(m, &setting.fields)
    }

    /// The workspace's imports, newest first (at most 200).
    pub async fn list_imports(
        &self,
        ws: WorkspaceId,
        kind: Option<ImportKind>,
    ) -> Result<Vec<Import>> {
        use sea_orm::QueryOrder as _;
        use sea_orm::QuerySelect as _;
        let fields = self
            .list_custom_fields(ws, Some(FieldEntity::Account))
            .await?;
        let mut q = scoped::in_ws::<import::Entity>(ws)
            .select_only()
            .columns([
                import::Column::Id,
                import::Column::WorkspaceId,
                import::Column::Kind,
                import::Column::FileName,
                import::Column::Encoding,
                import::Column::HeaderRow,
                import::Column::Headers,
                import::Column::Sample,
                import::Column::TotalRows,
                import::Column::Status,
                import::Column::Mapping,
                import::Column::DoneRows,
                import::Column::Result,
                import::Column::CreatedBy,
                import::Column::CreatedAt,
                import::Column::UpdatedAt,
                import::Column::Options,
                import::Column::FileKey,
                import::Column::UndoneAt,
                import::Column::CancelRequested,
            ])
            .expr_as(
                sea_orm::sea_query::Expr::cust(match self.engine() {
                    crate::Engine::Postgres => "'[]'::jsonb",
                    crate::Engine::Sqlite => "'[]'",
                }),
                "sheet_rows",
            )
            .order_by_desc(import::Column::Id)
            .limit(200);
        if let Some(k) = kind {
            q = q.filter(import::Column::Kind.eq(k.as_str()));
        }
        q.into_model::<import::Model>()
            .all(&self.read)
            .await?
            .into_iter()
            .map(|m| to_import(m, &fields))
            .collect()
    }

    pub async fn get_import(&self, ws: WorkspaceId, id: i64) -> Result<Import> {
        let fields = self
            .list_custom_fields(ws, Some(FieldEntity::Account))
            .await?;
        to_import(self.import_model(ws, id).await?, &fields)
    }

    /// Plans every row against `index` (the accounts the rows may match, by key). `seen`
    /// carries the keys of earlier rows, so a file naming one account twice is caught.
    fn plan(
        setting: &Setting,
        headers: &[String],
        mapping: &Mapping,
        chunk: &[SheetRow],
        index: &HashMap<(String, String), Account>,
        seen: &mut HashMap<(String, String), u32>,
    ) -> Vec<Planned> {
        let ctx = setting.ctx();
        chunk
            .iter()
            .map(|r| {
                let invalid = |issues: Vec<ImportIssue>, values: Option<Values>| Planned {
                    row: r.number,
                    values,
                    action: Action::Invalid(issues),
                };
                let v = match rows::read_row(&ctx, headers, mapping, r) {
                    Ok(v) => v,
                    Err(issues) => return invalid(issues, None),
                };
                let Some(key) = v.key() else {
                    let field = if v.platform.is_none() {
                        "platform"
                    } else {
                        "handle"
                    };
                    let e = FieldError::new(
                        field,
                        "validation.required",
                        "every row needs its platform and handle",
                    );
                    return invalid(vec![rows::row_issue(r, headers, mapping, e)], Some(v));
                };
                if let Some(first) = seen.get(&key) {
                    let e = FieldError::new(
                        "handle",
                        "imports.duplicate_row",
                        format!("row {first} already has this platform and handle"),
                    );
                    return invalid(vec![rows::row_issue(r, headers, mapping, e)], Some(v));
                }
                seen.insert(key.clone(), r.number);
                let action = if let Some(a) = index.get(&key) {
                    {
                        if let Scope::OwnedBy(u) = setting.scope
                            && !a.owner_ids.contains(&u)
                        {
                            let e = FieldError::new(
                                "handle",
                                "imports.not_owner",
                                format!("you are not an owner of @{}", a.handle),
                            );
                            return invalid(vec![rows::row_issue(r, headers, mapping, e)], Some(v));
                        }
                        match rows::edit(a, &v) {
                            None => Action::Unchanged(a.id),
                            Some(patch) => match check_edit(&ctx, a, &patch) {
                                Ok(()) => Action::Update {
                                    id: a.id,
                                    patch: Box::new(patch),
                                },
                                Err(e) => {
                                    Action::Invalid(vec![rows::row_issue(r, headers, mapping, e)])
                                }
                            },
                        }
                    }
                } else {
                    {
                        let also = match setting.scope {
                            Scope::OwnedBy(u) => Some(u),
                            Scope::Any => None,
                        };
                        match rows::new_account(&ctx, &v, also) {
                            Ok(d) => Action::Create(Box::new(d)),
                            Err(e) => {
                                Action::Invalid(vec![rows::row_issue(r, headers, mapping, e)])
                            }
                        }
                    }
                };
                Planned {
                    row: r.number,
                    values: Some(v),
                    action,
                }
            })
            .collect()
    }

    /// A dry run of `mapping`: every row read, validated and matched; nothing written but the
    /// mapping, which the import remembers.
    pub async fn preview_import(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: i64,
        mapping: &Mapping,
        resolutions: &[kox_domain::imports::RowResolution],
    ) -> Result<ImportPreview> {
        let mut m = self.import_model(ws, id).await?;
        if m.kind != ImportKind::Accounts.as_str() {
            if !caller.can(Capability::MetricsManage) {
                return Err(StoreError::Forbidden);
            }
            let p = self
                .preview_metric_import(caller, ws, &m, mapping, resolutions)
                .await?;
            self.remember_mapping(ws, id, mapping).await?;
            return Ok(p);
        }
        let setting = self.import_setting(caller, ws).await?;
        let headers: Vec<String> =
            serde_json::from_value(m.headers.clone()).map_err(|_| corrupt("headers"))?;
        rows::check_mapping(mapping, &headers, &setting.fields)?;
        let data = sheet_rows(&mut m)?;
        let index = Self::accounts_by_key(&self.read, ws, None).await?;
        let mut p = ImportPreview {
            total_rows: data.len() as u32,
            creates: 0,
            updates: 0,
            unchanged: 0,
            invalid: 0,
            issue_count: 0,
            issues: Vec::new(),
            rows: Vec::new(),
            posts: None,
        };
        // Planned a chunk at a time (as the commit writes them), keeping only the rows the
        // preview lists: the invalid ones first, then the others, each in sheet order.
        let (mut invalid_rows, mut other_rows) = (Vec::new(), Vec::new());
        let mut seen = HashMap::new();
        for chunk in data.chunks(CHUNK_ROWS) {
            for pl in Self::plan(&setting, &headers, mapping, chunk, &index, &mut seen) {
                let (outcome, changed, record_id) = match &pl.action {
                    Action::Create(_) => (RowOutcome::Create, Vec::new(), None),
                    Action::Update { id, patch } => (
                        RowOutcome::Update,
                        patch.touched().into_iter().map(str::to_owned).collect(),
                        Some(id.0),
                    ),
                    Action::Unchanged(id) => (RowOutcome::Unchanged, Vec::new(), Some(id.0)),
                    Action::Invalid(issues) => {
                        p.issue_count += issues.len() as u32;
                        let room = MAX_LISTED_ISSUES.saturating_sub(p.issues.len());
                        p.issues.extend(issues.iter().take(room).cloned());
                        (RowOutcome::Invalid, Vec::new(), None)
                    }
                };
                match outcome {
                    RowOutcome::Create => p.creates += 1,
                    RowOutcome::Update => p.updates += 1,
                    RowOutcome::Unchanged => p.unchanged += 1,
                    RowOutcome::Invalid => p.invalid += 1,
                }
                let listed = if outcome == RowOutcome::Invalid {
                    &mut invalid_rows
                } else {
                    &mut other_rows
                };
                if listed.len() < MAX_PREVIEW_ROWS {
                    let v = pl.values.as_ref();
                    listed.push(PreviewRow {
                        row: pl.row,
                        outcome,
                        platform: v.and_then(|v| v.platform.clone()),
                        handle: v.and_then(|v| v.handle.clone()),
                        display_name: v.and_then(|v| v.display_name.clone()),
                        changed,
                        record_id,
                    });
                }
            }
        }
        drop(data);
        invalid_rows.extend(other_rows);
        invalid_rows.truncate(MAX_PREVIEW_ROWS);
        p.rows = invalid_rows;
        self.remember_mapping(ws, id, mapping).await?;
        Ok(p)
    }

    /// The mapping last previewed is remembered (no event: nothing the workspace holds
    /// changed).
    async fn remember_mapping(&self, ws: WorkspaceId, id: i64, mapping: &Mapping) -> Result<()> {
        scoped::update_in::<import::Entity>(ws)
            .col_expr(
                import::Column::Mapping,
                sea_orm::sea_query::Expr::value(json(mapping)),
            )
            .filter(import::Column::Id.eq(id))
            .filter(import::Column::Status.ne(ImportStatus::Committing.as_str()))
            .exec(&self.write)
            .await?;
        Ok(())
    }

    /// Claims the import for a commit of `req.mapping`. Refused when a commit is running, when
    /// the mapping is wrong, or when a row is invalid and `skip_invalid` is not set (nothing is
    /// written then). `run_import` does the writing.
    pub async fn start_import(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: i64,
        req: &CommitRequest,
    ) -> Result<Import> {
        // A metric commit that leaves invalid rows out checks every row as it writes: no dry
        // run first (a file of a million rows is read once). Otherwise the dry run decides.
        let m = self.import_model(ws, id).await?;
        let invalid_rows = if m.kind != ImportKind::Accounts.as_str() && req.skip_invalid {
            Self::check_metric_mapping(caller, &m, &req.mapping)?;
            0
        } else {
            self.preview_import(caller, ws, id, &req.mapping, &req.resolutions)
                .await?
                .invalid
        };
        drop(m);
        if invalid_rows > 0 && !req.skip_invalid {
            return Err(invalid(
                "skip_invalid",
                "imports.has_errors",
                format!(
                    "{invalid_rows} rows have errors; fix the file or the mapping, or commit with skip_invalid to leave them out"
                ),
            ));
        }
        let stale = Utc::now() - Duration::seconds(STALE_AFTER_SECS);
        let claimed = scoped::update_in::<import::Entity>(ws)
            .col_expr(
                import::Column::Status,
                sea_orm::sea_query::Expr::value(ImportStatus::Committing.as_str()),
            )
            .col_expr(
                import::Column::DoneRows,
                sea_orm::sea_query::Expr::value(0i64),
            )
            .col_expr(
                import::Column::Result,
                sea_orm::sea_query::Expr::value(Option::<Value>::None),
            )
            .col_expr(
                import::Column::CancelRequested,
                sea_orm::sea_query::Expr::value(false),
            )
            .col_expr(
                import::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .filter(import::Column::Id.eq(id))
            .filter(
                sea_orm::Condition::any()
                    .add(import::Column::Status.ne(ImportStatus::Committing.as_str()))
                    .add(import::Column::UpdatedAt.lt(stale)),
            )
            .exec(&self.write)
            .await?;
        if claimed.rows_affected == 0 {
            return Err(StoreError::Conflict {
                params: serde_json::Map::new(),
                code: "imports.busy",
                field: "id".into(),
                message: "this import is being committed".into(),
            });
        }
        self.get_import(ws, id).await
    }

    /// Writes a claimed import in chunks, each chunk (its accounts, their events and the
    /// progress) in one transaction. A chunk that fails is rolled back and the import marked
    /// failed with the reason; the chunks before it stay, and committing again resumes.
    pub async fn run_import(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: i64,
        req: &CommitRequest,
    ) -> Result<Import> {
        let m = self.import_model(ws, id).await?;
        let metric = m.kind != ImportKind::Accounts.as_str();
        let outcome = if metric {
            self.write_metric_import(caller, ws, &m, req).await
        } else {
            drop(m);
            self.write_import(caller, ws, id, req.skip_invalid).await
        };
        let (status, result) = match outcome {
            Ok(r) => (ImportStatus::Done, r),
            Err((mut r, e)) => {
                tracing::warn!(import = id, error = %e, "an import stopped");
                r.error = Some(match &e {
                    StoreError::Invalid(f) => format!("{}: {}", f.field, f.message),
                    _ => "the import stopped on a database error; commit again to resume".into(),
                });
                (ImportStatus::Failed, r)
            }
        };
        let txn = self.begin().await?;
        scoped::update_in::<import::Entity>(ws)
            .col_expr(
                import::Column::Status,
                sea_orm::sea_query::Expr::value(status.as_str()),
            )
            .col_expr(
                import::Column::Result,
                sea_orm::sea_query::Expr::value(json(&result)),
            )
            .col_expr(
                import::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .filter(import::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        let action = if status == ImportStatus::Done {
            "import.committed"
        } else {
            "import.failed"
        };
        record(
            &txn,
            caller,
            NewEvent::change(ws, "import", Some(id), action).after(json(&serde_json::json!({
                "created": result.created, "updated": result.updated,
                "unchanged": result.unchanged, "skipped": result.skipped,
                "new_posts": result.new_posts, "cancelled": result.cancelled,
            }))),
        )
        .await?;
        self.commit(txn).await?;
        if metric {
            self.analyze(&["post_metric_snapshots", "post_metrics_latest"])
                .await?;
        } else {
            self.analyze(&["accounts", "account_owners"]).await?;
        }
        self.get_import(ws, id).await
    }

    async fn write_import(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: i64,
        skip_invalid: bool,
    ) -> std::result::Result<ImportResult, (ImportResult, StoreError)> {
        let mut result = ImportResult::default();
        macro_rules! tried {
            ($e:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(e) => return Err((result, StoreError::from(e))),
                }
            };
        }
        let mut m = tried!(self.import_model(ws, id).await);
        let setting = tried!(self.import_setting(caller, ws).await);
        let headers: Vec<String> =
            tried!(serde_json::from_value(m.headers.clone()).map_err(|_| corrupt("headers")));
        let mapping: Mapping =
            tried!(serde_json::from_value(m.mapping.clone()).map_err(|_| corrupt("mapping")));
        let data = tried!(sheet_rows(&mut m));
        drop(m);
        let mut seen = HashMap::new();
        let mut done = 0i64;
        for chunk in data.chunks(CHUNK_ROWS) {
            let txn = tried!(self.begin().await);
            tried!(crate::dialect::lock_key(&txn, ws, HANDLES_LOCK).await);
            // The keys of the chunk, read again inside the lock: what other writers did since
            // the preview counts.
            let ctx = setting.ctx();
            let keys: HashSet<(String, String)> = chunk
                .iter()
                .filter_map(|r| rows::read_row(&ctx, &headers, &mapping, r).ok()?.key())
                .collect();
            let index = tried!(Self::accounts_by_key(&txn, ws, Some(&keys)).await);
            let planned = Self::plan(&setting, &headers, &mapping, chunk, &index, &mut seen);
            let mut creates = Vec::new();
            let mut part = ImportResult::default();
            for pl in planned {
                match pl.action {
                    Action::Create(d) => creates.push(*d),
                    Action::Update { id: aid, patch } => {
                        tried!(Self::edit_account_in(&txn, caller, ws, aid, *patch).await);
                        part.updated += 1;
                    }
                    Action::Unchanged(_) => part.unchanged += 1,
                    Action::Invalid(issues) if skip_invalid => {
                        part.skipped += 1;
                        let room = MAX_LISTED_ISSUES.saturating_sub(result.issues.len());
                        result.issues.extend(issues.into_iter().take(room));
                    }
                    Action::Invalid(issues) => {
                        let first = issues.into_iter().next();
                        let e = first.map_or_else(
                            || {
                                FieldError::new(
                                    "rows",
                                    "imports.has_errors",
                                    format!("row {} has errors", pl.row),
                                )
                            },
                            |i| {
                                FieldError::new(
                                    "rows",
                                    "imports.has_errors",
                                    format!("row {}: {}", i.row, i.message),
                                )
                            },
                        );
                        return Err((result, StoreError::Invalid(e)));
                    }
                }
            }
            part.created = creates.len() as u32;
            tried!(Self::insert_accounts(&txn, caller, ws, creates).await);
            done += chunk.len() as i64;
            tried!(
                scoped::update_in::<import::Entity>(ws)
                    .col_expr(
                        import::Column::DoneRows,
                        sea_orm::sea_query::Expr::value(done)
                    )
                    .col_expr(
                        import::Column::UpdatedAt,
                        sea_orm::sea_query::Expr::value(Utc::now())
                    )
                    .filter(import::Column::Id.eq(id))
                    .exec(&txn)
                    .await
            );
            tried!(self.commit(txn).await);
            result.created += part.created;
            result.updated += part.updated;
            result.unchanged += part.unchanged;
            result.skipped += part.skipped;
        }
        Ok(result)
    }
}

/// Whether `patch` leaves `a` valid (the draft's rules and the custom fields'), as the update
/// path will check it.
fn check_edit(
    ctx: &Context<'_>,
    a: &Account,
    patch: &AccountPatch,
) -> std::result::Result<(), FieldError> {
    let mut p = patch.clone();
    let custom = p.take_custom();
    let mut next = a.draft();
    next.apply(p);
    let mut next = next.validate()?;
    if let Some(c) = custom {
        next.custom.extend(c);
        let specs: Vec<_> = ctx.fields.iter().map(CustomField::spec).collect();
        validate_values(&specs, &next.custom)?;
    }
    Ok(())
}
