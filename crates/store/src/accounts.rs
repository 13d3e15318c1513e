//! The account matrix: list with filters, create, edit with field-level optimistic
//! concurrency, and the tier × platform overview.

use std::collections::HashMap;

use chrono::Utc;
use kox_domain::access::Role;
use kox_domain::accounts::{
    Account, AccountDraft, AccountPatch, AccountStatus, MatrixOverview, OperatorLoad,
    OverviewTotals, Ownership, Tier, TierPlatformCell,
};
use kox_domain::custom_fields::FieldEntity;
use kox_domain::{AccountId, UserId, WorkspaceId};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};
use serde_json::{Map, Value};

use crate::Caller;
use crate::custom_fields::check_values;
use crate::db::Tx;
use crate::dialect::{self, like_pattern, tag_condition};
use crate::entities::{account, account_owner, member, platform, user};
use crate::error::invalid;
use crate::events::{NewEvent, json_of, record_many};
use crate::lists::{JsonPage, Sort, parse_keys, row_key};
use crate::scoped;
use crate::versioning::{Edited, Loaded, Stamp, VersionedTable};
use crate::{Listed, Page, Result, Store, StoreError};
use kox_domain::access::{Capability, Scope};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AccountSort {
    #[default]
    CreatedDesc,
    FollowersDesc,
    FollowersAsc,
    HandleAsc,
}

#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    pub tier: Option<Tier>,
    pub platform: Option<String>,
    pub owner: Option<UserId>,
    /// `None` lists everything but archived accounts.
    pub status: Option<AccountStatus>,
    pub tag: Option<String>,
    pub q: Option<String>,
    /// Custom field key → value as typed in a filter box.
    pub custom: Vec<(String, String)>,
    pub sort: AccountSort,
    pub page: Page,
}

fn corrupt(what: &str, v: &str) -> StoreError {
    crate::db::other(format!("stored {what} {v:?} is not a known value"))
}

fn to_account(m: account::Model, owners: Vec<UserId>) -> Result<Account> {
    Ok(Account {
        id: AccountId(m.id),
        tier: Tier::parse(&m.tier).ok_or_else(|| corrupt("tier", &m.tier))?,
        ownership: Ownership::parse(&m.ownership)
            .ok_or_else(|| corrupt("ownership", &m.ownership))?,
        status: AccountStatus::parse(&m.status).ok_or_else(|| corrupt("status", &m.status))?,
        platform: m.platform,
        handle: m.handle,
        display_name: m.display_name,
        profile_url: m.profile_url,
        persona: m.persona,
        followers: m.followers,
        tags: serde_json::from_value(m.tags).unwrap_or_default(),
        owner_ids: owners,
        custom: match m.custom {
            Value::Object(o) => o,
            _ => Map::new(),
        },
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// What an account's JSON depends on that changes whenever any of it does (`rows`): every
/// write of the row moves its version and `updated_at`, and every write of its owners (in their
/// own table) is such a write, or moves `updated_at` itself (a member's removal,
/// `remove_member`).
fn account_stamp(version: i64, updated_at: chrono::DateTime<Utc>) -> String {
    format!("{version} {}", updated_at.timestamp_micros())
}

/// The advisory-lock key that serialises handle checks within a workspace (board columns use
/// 0–5).
const HANDLES_LOCK: i32 = 100;

/// The columns of an account page (`list_accounts`), named as `Account`'s fields.
const ACCOUNT_JSON: &[(&str, dialect::JsonCol)] = {
    use dialect::JsonCol::{Json, Plain, Time};
    &[
        ("id", Plain),
        ("tier", Plain),
        ("platform", Plain),
        ("handle", Plain),
        ("display_name", Plain),
        ("profile_url", Plain),
        ("persona", Plain),
        ("ownership", Plain),
        ("status", Plain),
        ("followers", Plain),
        ("tags", Json),
        ("owner_ids", Json),
        ("custom", Json),
        ("version", Plain),
        ("created_at", Time),
        ("updated_at", Time),
    ]
};

async fn owners_of(
    db: &impl ConnectionTrait,
    ws: WorkspaceId,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<UserId>>> {
    let mut out: HashMap<i64, Vec<UserId>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    for o in scoped::in_ws::<account_owner::Entity>(ws)
        .filter(account_owner::Column::AccountId.is_in(ids.iter().copied()))
        .order_by_asc(account_owner::Column::UserId)
        .all(db)
        .await?
    {
        out.entry(o.account_id).or_default().push(UserId(o.user_id));
    }
    Ok(out)
}

/// The ids of the accounts `user` owns in `ws`, as a subquery.
pub(crate) fn owned_by(ws: WorkspaceId, user: UserId) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(account_owner::Column::AccountId)
        .from(account_owner::Entity)
        .and_where(account_owner::Column::WorkspaceId.eq(ws.0))
        .and_where(account_owner::Column::UserId.eq(user.0))
        .to_owned()
}

/// The account's columns from its writable fields (create and edit).
fn fill(am: &mut account::ActiveModel, d: &AccountDraft) {
    am.tier = Set(d.tier.as_str().into());
    am.platform = Set(d.platform.clone());
    am.handle = Set(d.handle.clone());
    am.display_name = Set(d.display_name.clone());
    am.profile_url = Set(d.profile_url.clone());
    am.persona = Set(d.persona.clone());
    am.ownership = Set(d.ownership.as_str().into());
    am.status = Set(d.status.as_str().into());
    am.followers = Set(d.followers);
    am.tags = Set(Value::from(d.tags.clone()));
    am.custom = Set(Value::Object(d.custom.clone()));
}

fn handle_taken(e: sea_orm::DbErr) -> StoreError {
    StoreError::from(e).on_duplicate(
        "accounts.handle_taken",
        "handle",
        "this platform already has an account with this handle",
    )
}

/// An account edit: operators edit only accounts they own.
struct AccountEdit {
    scope: Scope,
    /// The account, once loaded.
    id: i64,
}

impl VersionedTable for AccountEdit {
    type Draft = AccountDraft;
    type Record = Account;
    type Row = account::Model;
    const ENTITY: &'static str = "account";
    const FIELDS: FieldEntity = FieldEntity::Account;

    async fn load(&mut self, txn: &Tx, ws: WorkspaceId, id: i64) -> Result<Loaded<Self>> {
        let row = scoped::by_id::<account::Entity>(ws, id)
            .one(txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let owners = owners_of(txn, ws, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        let record = to_account(row.clone(), owners)?;
        self.id = row.id;
        if let Scope::OwnedBy(u) = self.scope
            && !record.owner_ids.contains(&u)
        {
            return Err(StoreError::Forbidden);
        }
        Ok(Loaded {
            draft: record.draft(),
            version: row.version,
            field_versions: row.field_versions.clone(),
            record,
            row,
        })
    }

    async fn check(
        &mut self,
        txn: &Tx,
        ws: WorkspaceId,
        _before: &AccountDraft,
        next: &AccountDraft,
        changed: &[&'static str],
    ) -> Result<()> {
        Store::check_references(txn, ws, next, changed.contains(&"platform")).await?;
        if changed.contains(&"handle") || changed.contains(&"platform") {
            Store::check_handle_free(txn, ws, next, Some(self.id)).await?;
        }
        Ok(())
    }

    async fn write(
        &mut self,
        txn: &Tx,
        ws: WorkspaceId,
        row: account::Model,
        next: &AccountDraft,
        changed: &[&'static str],
        stamp: Stamp,
    ) -> Result<Account> {
        let id = row.id;
        let mut am: account::ActiveModel = row.into();
        fill(&mut am, next);
        am.version = Set(stamp.version);
        am.field_versions = Set(stamp.field_versions);
        am.updated_at = Set(stamp.at);
        let m = am.update(txn).await.map_err(handle_taken)?;
        if changed.contains(&"owner_ids") {
            Store::write_owners(txn, ws, id, &next.owner_ids).await?;
        }
        to_account(m, next.owner_ids.clone())
    }

    fn action(
        &self,
        before: &AccountDraft,
        next: &AccountDraft,
        changed: &[&'static str],
    ) -> &'static str {
        match (changed, next.status) {
            (["status"], AccountStatus::Archived) => "account.archived",
            (["status"], _) if before.status == AccountStatus::Archived => "account.restored",
            _ => "account.updated",
        }
    }
}

impl Store {
    /// A page of accounts, newest first unless sorted otherwise; archived accounts only with
    /// `status=archived`.
    pub async fn account_page(
        &self,
        ws: WorkspaceId,
        f: &AccountFilter,
    ) -> Result<JsonPage<Account>> {
        use account::Column::{Followers, Handle, Id};
        let mut cond = Condition::all();
        cond = match f.status {
            Some(s) => cond.add(account::Column::Status.eq(s.as_str())),
            None => cond.add(account::Column::Status.ne(AccountStatus::Archived.as_str())),
        };
        if let Some(t) = f.tier {
            cond = cond.add(account::Column::Tier.eq(t.as_str()));
        }
        if let Some(p) = &f.platform {
            cond = cond.add(account::Column::Platform.eq(p.as_str()));
        }
        if let Some(o) = f.owner {
            cond = cond.add(account::Column::Id.in_subquery(owned_by(ws, o)));
        }
        if let Some(t) = f.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            cond = cond.add(tag_condition(
                self.engine(),
                "accounts",
                t.trim_start_matches('#'),
            ));
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let like = like_pattern(q);
            let lower =
                |c: account::Column| Expr::expr(Func::lower(Expr::col((account::Entity, c))));
            cond = cond.add(
                Condition::any()
                    .add(
                        lower(account::Column::Handle)
                            .like(sea_orm::sea_query::LikeExpr::new(&like).escape('\\')),
                    )
                    .add(
                        lower(account::Column::DisplayName)
                            .like(sea_orm::sea_query::LikeExpr::new(&like).escape('\\')),
                    )
                    .add(
                        account::Column::Persona
                            .like(sea_orm::sea_query::LikeExpr::new(&like).escape('\\')),
                    ),
            );
        }
        if !f.custom.is_empty() {
            cond = cond.add(
                self.custom_filters(ws, FieldEntity::Account, "accounts", &f.custom)
                    .await?,
            );
        }
        let mut q = scoped::in_ws::<account::Entity>(ws).filter(cond);
        let counted = q.clone();
        let list = self.list_key(
            ws,
            format!(
                "accounts {:?}",
                AccountFilter {
                    page: Page::default(),
                    ..f.clone()
                }
            ),
        );
        let total = self
            .cached_total(&list, async { Ok(counted.count(&self.read).await?) })
            .await?;
        let sort = match f.sort {
            AccountSort::CreatedDesc => Sort {
                columns: &[Id],
                order: Order::Desc,
            },
            AccountSort::FollowersDesc => Sort {
                columns: &[Followers, Id],
                order: Order::Desc,
            },
            AccountSort::FollowersAsc => Sort {
                columns: &[Followers, Id],
                order: Order::Asc,
            },
            AccountSort::HandleAsc => Sort {
                columns: &[Handle, Id],
                order: Order::Asc,
            },
        };
        for c in sort.columns {
            q = q.order_by(*c, sort.order.clone());
        }
        let start = self.page_start(&list, &sort, f.page.offset);
        if let Some(from) = start.from {
            q = q.filter(from);
        }
        // The page and each account's owners in one statement. The owners are looked up around
        // the page, not inside it: PostgreSQL computes the select list of every row an OFFSET
        // skips. (A deferred join — the page's ids first, then their rows — made SQLite's skip
        // no cheaper and PostgreSQL's plan a hash join over the whole table.)
        let key_names: Vec<&str> = sort
            .columns
            .iter()
            .map(|c| sea_orm::IdenStatic::as_str(c))
            .collect();
        let q = q.limit(f.page.limit).offset(start.offset);
        let Some(page_json) = dialect::json_rows(self.engine(), "q", ACCOUNT_JSON) else {
            return self
                .account_page_by_rows(ws, &list, f, sort.columns, q, total)
                .await;
        };
        let p = Alias::new("p");
        let mut page = Query::select();
        page.expr(Expr::cust("p.*"))
            .expr_as(
                Expr::cust(dialect::ids_json(
                    self.engine(),
                    "user_id",
                    "account_owners",
                    "account_owners.account_id = p.id",
                )),
                Alias::new("owner_ids"),
            )
            .from_subquery(q.into_query(), p.clone());
        for c in sort.columns {
            page.order_by((p.clone(), *c), sort.order.clone());
        }
        // The page as the API's JSON, written by the database, and its sort keys.
        let mut one = Query::select();
        one.expr_as(Expr::cust(page_json), Alias::new("page"))
            .expr_as(
                Expr::cust(dialect::json_keys("q", &key_names)),
                Alias::new("keys"),
            )
            .from_subquery(page, Alias::new("q"));
        let row = self
            .read
            .query_one(&one)
            .await?
            .ok_or_else(|| crate::db::other("the page query returned no row".into()))?;
        let keys: String = row.try_get("", "keys")?;
        self.remember_page(&list, f.page.offset, parse_keys(&keys)?.into_iter());
        Ok(JsonPage::written(row.try_get("", "page")?, total))
    }

    /// Where the database does not write the page's JSON: the page read narrow — each row's
    /// id, stamp and sort key — and each row's JSON from the row cache, or from its full row
    /// where the cache has not seen it at that stamp (`rows`).
    async fn account_page_by_rows(
        &self,
        ws: WorkspaceId,
        list: &crate::lists::ListKey,
        f: &AccountFilter,
        sort_columns: &[account::Column],
        q: sea_orm::Select<account::Entity>,
        total: u64,
    ) -> Result<JsonPage<Account>> {
        use account::Column::{Id, UpdatedAt, Version};
        let mut q = q.select_only().columns([Id, Version, UpdatedAt]);
        for c in sort_columns.iter().filter(|c| !matches!(c, Id)) {
            q = q.column(*c);
        }
        let key_names: Vec<&str> = sort_columns
            .iter()
            .map(|c| sea_orm::IdenStatic::as_str(c))
            .collect();
        let rows = self.read.query_all(&q.into_query()).await?;
        self.remember_page(
            list,
            f.page.offset,
            rows.iter()
                .map(|r| row_key(r, &key_names))
                .collect::<Result<Vec<_>>>()?
                .into_iter(),
        );
        let stamped = rows
            .iter()
            .map(|r| {
                Ok(crate::rows::Stamped {
                    id: r.try_get("", "id")?,
                    stamp: account_stamp(r.try_get("", "version")?, r.try_get("", "updated_at")?),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let items = self
            .rows
            .page("accounts", &stamped, |ids| async move {
                let mut owners = owners_of(&self.read, ws, &ids).await?;
                let models = scoped::in_ws::<account::Entity>(ws)
                    .filter(Id.is_in(ids))
                    .all(&self.read)
                    .await?;
                models
                    .into_iter()
                    .map(|m| {
                        let stamp = account_stamp(m.version, m.updated_at);
                        let id = m.id;
                        let owners = owners.remove(&id).unwrap_or_default();
                        let json = serde_json::to_string(&to_account(m, owners)?)
                            .map_err(|e| crate::db::other(format!("an account's JSON: {e}")))?;
                        Ok(crate::rows::Filled { id, stamp, json })
                    })
                    .collect()
            })
            .await?;
        Ok(JsonPage::written(items, total))
    }

    /// `account_page`, parsed.
    pub async fn list_accounts(
        &self,
        ws: WorkspaceId,
        f: &AccountFilter,
    ) -> Result<Listed<Account>> {
        self.account_page(ws, f).await?.parse()
    }

    pub async fn get_account(&self, ws: WorkspaceId, id: AccountId) -> Result<Account> {
        Self::load_account(&self.read, ws, id).await
    }

    async fn load_account(
        db: &impl ConnectionTrait,
        ws: WorkspaceId,
        id: AccountId,
    ) -> Result<Account> {
        let m = scoped::by_id::<account::Entity>(ws, id.0)
            .one(db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let owners = owners_of(db, ws, &[m.id])
            .await?
            .remove(&m.id)
            .unwrap_or_default();
        to_account(m, owners)
    }

    /// No other account of the platform has the same handle as people read it (NFKC,
    /// case-folded: `ＸＩＮＧＨＥ_Lily` is `xinghe_lily`; `validation::handle_key`). Writes that
    /// check are serialised per workspace (PostgreSQL; SQLite's one writer already does).
    async fn check_handle_free(
        txn: &Tx,
        ws: WorkspaceId,
        d: &AccountDraft,
        except: Option<i64>,
    ) -> Result<()> {
        dialect::lock_key(txn, ws, HANDLES_LOCK).await?;
        let key = kox_domain::validation::handle_key(&d.handle);
        let taken = scoped::in_ws::<account::Entity>(ws)
            .select_only()
            .column(account::Column::Id)
            .column(account::Column::Handle)
            .filter(account::Column::Platform.eq(d.platform.as_str()))
            .into_tuple::<(i64, String)>()
            .all(txn)
            .await?
            .into_iter()
            .any(|(id, h)| Some(id) != except && kox_domain::validation::handle_key(&h) == key);
        if taken {
            return Err(StoreError::Conflict {
                params: serde_json::Map::new(),
                code: "accounts.handle_taken",
                field: "handle".into(),
                message: "this platform already has an account with this handle".into(),
            });
        }
        Ok(())
    }

    /// Checks what needs workspace data: the platform is listed and active, owners are members.
    async fn check_references(
        db: &impl ConnectionTrait,
        ws: WorkspaceId,
        d: &AccountDraft,
        platform_changed: bool,
    ) -> Result<()> {
        if platform_changed {
            let p = scoped::in_ws::<platform::Entity>(ws)
                .filter(platform::Column::Code.eq(d.platform.as_str()))
                .one(db)
                .await?;
            if !p.is_some_and(|p| p.active) {
                return Err(invalid(
                    "platform",
                    "accounts.unknown_platform",
                    "this platform is not in the workspace's active platform list",
                ));
            }
        }
        let ids: Vec<i64> = d.owner_ids.iter().map(|u| u.0).collect();
        if let Some(bad) = Self::non_members(db, ws, &ids).await?.first() {
            let i = ids.iter().position(|x| x == bad).unwrap_or(0);
            return Err(invalid(
                format!("owner_ids.{i}"),
                "accounts.owner_not_member",
                "an owner must be a member of the workspace",
            ));
        }
        Ok(())
    }

    async fn write_owners(
        db: &impl ConnectionTrait,
        ws: WorkspaceId,
        id: i64,
        owners: &[UserId],
    ) -> Result<()> {
        scoped::delete_in::<account_owner::Entity>(ws)
            .filter(account_owner::Column::AccountId.eq(id))
            .exec(db)
            .await?;
        if owners.is_empty() {
            return Ok(());
        }
        account_owner::Entity::insert_many(owners.iter().map(|u| account_owner::ActiveModel {
            workspace_id: Set(ws.0),
            account_id: Set(id),
            user_id: Set(u.0),
        }))
        .exec(db)
        .await?;
        Ok(())
    }

    pub async fn create_account(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        mut draft: AccountDraft,
    ) -> Result<Account> {
        // An operator's new account is theirs, or they could not edit what they just made.
        if let Some(Scope::OwnedBy(u)) =
            caller.scope(Capability::AccountsWriteAny, Capability::AccountsWriteOwn)
            && !draft.owner_ids.contains(&u)
        {
            draft.owner_ids.push(u);
        }
        let mut d = draft.validate()?;
        let txn = self.begin().await?;
        Self::check_references(&txn, ws, &d, true).await?;
        Self::check_handle_free(&txn, ws, &d, None).await?;
        d.custom = check_values(&txn, ws, FieldEntity::Account, &Map::new(), &d.custom).await?;
        let out = Self::insert_accounts(&txn, caller, ws, vec![d])
            .await?
            .pop()
            .ok_or_else(|| crate::db::other("the insert returned no account".into()))?;
        self.commit(txn).await?;
        Ok(out)
    }

    /// Writes new accounts, checked and validated, with their owners and one `account.created`
    /// event each, in the caller's transaction (a create: one; an import's chunk: many).
    pub(crate) async fn insert_accounts(
        txn: &Tx,
        caller: &Caller,
        ws: WorkspaceId,
        drafts: Vec<AccountDraft>,
    ) -> Result<Vec<Account>> {
        let now = Utc::now();
        let mut out = Vec::with_capacity(drafts.len());
        // 16 values an account; SQLite and PostgreSQL both take this many in one statement.
        for part in drafts.chunks(500) {
            let models = part.iter().map(|d| {
                let mut am = account::ActiveModel {
                    workspace_id: Set(ws.0),
                    version: Set(1),
                    field_versions: Set(Value::Object(Map::new())),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                };
                fill(&mut am, d);
                am
            });
            account::Entity::insert_many(models)
                .exec_without_returning(txn)
                .await
                .map_err(handle_taken)?;
            // Read back by key (the unique platform + handle; RETURNING is not used on SQLite).
            let mut keys = Condition::any();
            for d in part {
                keys = keys.add(
                    Condition::all()
                        .add(account::Column::Platform.eq(d.platform.as_str()))
                        .add(account::Column::Handle.eq(d.handle.as_str())),
                );
            }
            let rows = scoped::in_ws::<account::Entity>(ws)
                .filter(keys)
                .all(txn)
                .await?;
            let mut by_key: HashMap<(String, String), account::Model> = rows
                .into_iter()
                .map(|m| ((m.platform.clone(), m.handle.clone()), m))
                .collect();
            let mut owners = Vec::new();
            let mut events = Vec::with_capacity(part.len());
            let mut written = Vec::with_capacity(part.len());
            for d in part {
                let m = by_key
                    .remove(&(d.platform.clone(), d.handle.clone()))
                    .ok_or_else(|| {
                        crate::db::other("an inserted account was not returned".into())
                    })?;
                owners.extend(d.owner_ids.iter().map(|u| account_owner::ActiveModel {
                    workspace_id: Set(ws.0),
                    account_id: Set(m.id),
                    user_id: Set(u.0),
                }));
                events.push(
                    NewEvent::change(ws, "account", Some(m.id), "account.created")
                        .after(json_of(d)),
                );
                written.push(to_account(m, d.owner_ids.clone())?);
            }
            for o in owners.chunks(5000) {
                account_owner::Entity::insert_many(o.iter().cloned())
                    .exec(txn)
                    .await?;
            }
            record_many(txn, caller, &events).await?;
            out.extend(written);
        }
        Ok(out)
    }

    /// An edit of account `id` through the one update path, inside the caller's transaction
    /// (an import's chunk). `None` when it changes nothing.
    pub(crate) async fn edit_account_in(
        txn: &Tx,
        caller: &Caller,
        ws: WorkspaceId,
        id: AccountId,
        patch: AccountPatch,
    ) -> Result<Option<Account>> {
        let scope = caller
            .scope(Capability::AccountsWriteAny, Capability::AccountsWriteOwn)
            .ok_or(StoreError::Forbidden)?;
        Ok(
            match Self::edit_versioned(
                txn,
                caller,
                ws,
                id.0,
                patch,
                &mut AccountEdit { scope, id: 0 },
            )
            .await?
            {
                Edited::Unchanged(_) => None,
                Edited::Written(a) => Some(a),
            },
        )
    }

    /// The accounts whose platform and handle key (`validation::handle_key`) are among `keys`,
    /// by key; every account of the workspace when `keys` is `None`.
    pub(crate) async fn accounts_by_key(
        db: &impl ConnectionTrait,
        ws: WorkspaceId,
        keys: Option<&std::collections::HashSet<(String, String)>>,
    ) -> Result<HashMap<(String, String), Account>> {
        let narrow: Vec<(i64, String, String)> = scoped::in_ws::<account::Entity>(ws)
            .select_only()
            .column(account::Column::Id)
            .column(account::Column::Platform)
            .column(account::Column::Handle)
            .into_tuple()
            .all(db)
            .await?;
        let wanted: HashMap<i64, (String, String)> = narrow
            .into_iter()
            .map(|(id, p, h)| (id, (p, kox_domain::validation::handle_key(&h))))
            .filter(|(_, k)| keys.is_none_or(|ks| ks.contains(k)))
            .collect();
        let mut out = HashMap::with_capacity(wanted.len());
        let ids: Vec<i64> = wanted.keys().copied().collect();
        for part in ids.chunks(5000) {
            let mut owners = owners_of(db, ws, part).await?;
            for m in scoped::in_ws::<account::Entity>(ws)
                .filter(account::Column::Id.is_in(part.iter().copied()))
                .all(db)
                .await?
            {
                let key = wanted.get(&m.id).cloned().unwrap_or_default();
                let o = owners.remove(&m.id).unwrap_or_default();
                out.insert(key, to_account(m, o)?);
            }
        }
        Ok(out)
    }

    /// Applies a patch. The caller's scope (`accounts.write_any` or `accounts.write_own`)
    /// decides which accounts they may change; ownership is checked inside the transaction. A
    /// write based on an old version is refused only when it touches fields changed since then.
    pub async fn update_account(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        id: AccountId,
        patch: AccountPatch,
    ) -> Result<Account> {
        let scope = caller
            .scope(Capability::AccountsWriteAny, Capability::AccountsWriteOwn)
            .ok_or(StoreError::Forbidden)?;
        self.update_versioned(caller, ws, id.0, patch, &mut AccountEdit { scope, id: 0 })
            .await
    }

    /// Counts and followers by tier × platform and per operator (archived accounts excluded;
    /// every operator is listed, also those without accounts).
    pub async fn matrix_overview(&self, ws: WorkspaceId) -> Result<MatrixOverview> {
        let live = AccountStatus::Archived.as_str();
        let sum_followers = "COALESCE(CAST(SUM(accounts.followers) AS BIGINT), 0)";
        let cells_q = Query::select()
            .column((account::Entity, account::Column::Tier))
            .column((account::Entity, account::Column::Platform))
            .expr_as(Expr::cust("COUNT(*)"), "accounts")
            .expr_as(Expr::cust(sum_followers), "followers")
            .from(account::Entity)
            .and_where(account::Column::WorkspaceId.eq(ws.0))
            .and_where(account::Column::Status.ne(live))
            .group_by_col((account::Entity, account::Column::Tier))
            .group_by_col((account::Entity, account::Column::Platform))
            .to_owned();
        let mut cells = Vec::new();
        let (mut total_accounts, mut total_followers) = (0i64, 0i64);
        for r in self.read.query_all(&cells_q).await? {
            let tier: String = r.try_get("", "tier")?;
            let accounts: i64 = r.try_get("", "accounts")?;
            let followers: i64 = r.try_get("", "followers")?;
            total_accounts += accounts;
            total_followers += followers;
            cells.push(TierPlatformCell {
                tier: Tier::parse(&tier).ok_or_else(|| corrupt("tier", &tier))?,
                platform: r.try_get("", "platform")?,
                accounts,
                followers,
            });
        }
        cells.sort_by(|a, b| (a.tier, &a.platform).cmp(&(b.tier, &b.platform)));

        let ops_q = Query::select()
            .column((account_owner::Entity, account_owner::Column::UserId))
            .expr_as(Expr::cust("COUNT(*)"), "accounts")
            .expr_as(Expr::cust(sum_followers), "followers")
            .from(account_owner::Entity)
            .inner_join(
                account::Entity,
                Expr::col((account::Entity, account::Column::Id))
                    .equals((account_owner::Entity, account_owner::Column::AccountId)),
            )
            .and_where(
                Expr::col((account_owner::Entity, account_owner::Column::WorkspaceId)).eq(ws.0),
            )
            .and_where(Expr::col((account::Entity, account::Column::Status)).ne(live))
            .group_by_col((account_owner::Entity, account_owner::Column::UserId))
            .to_owned();
        let mut loads: HashMap<i64, (i64, i64)> = HashMap::new();
        for r in self.read.query_all(&ops_q).await? {
            loads.insert(
                r.try_get("", "user_id")?,
                (r.try_get("", "accounts")?, r.try_get("", "followers")?),
            );
        }
        let operators: Vec<i64> = scoped::in_ws::<member::Entity>(ws)
            .filter(member::Column::Role.eq(Role::Operator.as_str()))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|m| m.user_id)
            .collect();
        let mut ids: Vec<i64> = loads.keys().copied().chain(operators).collect();
        ids.sort_unstable();
        ids.dedup();
        let names: HashMap<i64, String> = scoped::install_wide::<user::Entity>()
            .filter(user::Column::Id.is_in(ids.clone()))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        let mut by_operator: Vec<OperatorLoad> = ids
            .into_iter()
            .map(|id| {
                let (accounts, followers) = loads.get(&id).copied().unwrap_or((0, 0));
                OperatorLoad {
                    user_id: UserId(id),
                    name: names.get(&id).cloned().unwrap_or_default(),
                    accounts,
                    followers,
                }
            })
            .collect();
        by_operator.sort_by(|a, b| b.accounts.cmp(&a.accounts).then(a.name.cmp(&b.name)));
        Ok(MatrixOverview {
            totals: OverviewTotals {
                accounts: total_accounts,
                followers: total_followers,
            },
            by_tier_platform: cells,
            by_operator,
        })
    }
}
