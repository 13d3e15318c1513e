//! Workspaces (one brand team each) and their platform list.

use chrono::Utc;
use kox_domain::WorkspaceId;
use kox_domain::members::{DEFAULT_PLATFORMS, Platform, PlatformPatch, Workspace};
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use crate::Caller;
use crate::entities::{platform, workspace};
use crate::events::{NewEvent, json_of, record};
use crate::scoped;
use crate::{Result, Store, StoreError};

fn to_workspace(m: workspace::Model) -> Workspace {
    Workspace {
        id: WorkspaceId(m.id),
        name: m.name,
        time_zone: m.time_zone,
        created_at: m.created_at,
    }
}

fn to_platform(m: platform::Model) -> Platform {
    Platform {
        code: m.code,
        name: m.name,
        position: m.position,
        active: m.active,
        title_max: m.title_max,
        body_max: m.body_max,
        url_patterns: m
            .url_patterns
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default(),
    }
}

impl Store {
    /// Workspace id → row (name, time zone …), for the given ids (one query).
    pub(crate) async fn workspaces_by_id(
        &self,
        ids: impl Iterator<Item = i64>,
    ) -> Result<std::collections::HashMap<i64, workspace::Model>> {
        let mut ids: Vec<i64> = ids.collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(std::collections::HashMap::new());
        }
        Ok(scoped::install_wide::<workspace::Entity>()
            .filter(workspace::Column::Id.is_in(ids))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|w| (w.id, w))
            .collect())
    }

    /// A new workspace with the default platform list.
    pub async fn create_workspace(
        &self,
        caller: &Caller,
        name: &str,
        time_zone: &str,
    ) -> Result<Workspace> {
        let name = kox_domain::validation::text("name", name, 1, 100)?;
        let time_zone = kox_domain::members::parse_time_zone(time_zone)?;
        let txn = self.begin().await?;
        let ws = workspace::ActiveModel {
            name: Set(name),
            time_zone: Set(time_zone),
            created_at: Set(Utc::now()),
            content_settings: Set(None),
            content_seeded: Set(false),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for (i, (code, label)) in DEFAULT_PLATFORMS.iter().enumerate() {
            platform::ActiveModel {
                workspace_id: Set(ws.id),
                code: Set((*code).into()),
                name: Set((*label).into()),
                position: Set(i as i64 * 10),
                active: Set(true),
                title_max: Set(None),
                body_max: Set(None),
                url_patterns: Set(None),
            }
            .insert(&txn)
            .await?;
        }
        crate::config::seed_content_defaults(&txn, WorkspaceId(ws.id)).await?;
        let out = to_workspace(ws);
        record(
            &txn,
            caller,
            NewEvent::change(out.id, "workspace", Some(out.id.0), "workspace.created")
                .after(json!({"name": out.name, "time_zone": out.time_zone})),
        )
        .await?;
        self.commit(txn).await?;
        Ok(out)
    }

    pub async fn get_workspace(&self, ws: WorkspaceId) -> Result<Workspace> {
        scoped::install_wide_by_id::<workspace::Entity>(ws.0)
            .one(&self.read)
            .await?
            .map(to_workspace)
            .ok_or(StoreError::NotFound)
    }

    /// Every workspace of the installation (the job scheduler's morning rounds).
    pub async fn all_workspaces(&self) -> Result<Vec<Workspace>> {
        Ok(scoped::install_wide::<workspace::Entity>()
            .all(&self.read)
            .await?
            .into_iter()
            .map(to_workspace)
            .collect())
    }

    pub async fn count_workspaces(&self) -> Result<u64> {
        use sea_orm::PaginatorTrait;
        Ok(scoped::install_wide::<workspace::Entity>()
            .count(&self.write)
            .await?)
    }

    pub async fn update_workspace(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        name: Option<&str>,
        time_zone: Option<&str>,
    ) -> Result<Workspace> {
        let txn = self.begin().await?;
        let before = scoped::install_wide_by_id::<workspace::Entity>(ws.0)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut am: workspace::ActiveModel = before.clone().into();
        if let Some(n) = name {
            am.name = Set(kox_domain::validation::text("name", n, 1, 100)?);
        }
        if let Some(tz) = time_zone {
            am.time_zone = Set(kox_domain::members::parse_time_zone(tz)?);
        }
        let after = am.update(&txn).await?;
        record(
            &txn,
            caller,
            NewEvent::change(ws, "workspace", Some(ws.0), "workspace.updated")
                .before(json!({"name": before.name, "time_zone": before.time_zone}))
                .after(json!({"name": after.name, "time_zone": after.time_zone})),
        )
        .await?;
        self.commit(txn).await?;
        Ok(to_workspace(after))
    }

    pub async fn list_platforms(&self, ws: WorkspaceId) -> Result<Vec<Platform>> {
        Ok(scoped::in_ws::<platform::Entity>(ws)
            .order_by_asc(platform::Column::Position)
            .order_by_asc(platform::Column::Code)
            .all(&self.read)
            .await?
            .into_iter()
            .map(to_platform)
            .collect())
    }

    pub async fn create_platform(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        code: &str,
        name: &str,
    ) -> Result<Platform> {
        let code = kox_domain::validation::slug("code", code, 40)?;
        let name = kox_domain::validation::text("name", name, 1, 30)?;
        let txn = self.begin().await?;
        let last = scoped::in_ws::<platform::Entity>(ws)
            .order_by_desc(platform::Column::Position)
            .one(&txn)
            .await?
            .map_or(0, |p| p.position + 10);
        let m = platform::ActiveModel {
            workspace_id: Set(ws.0),
            code: Set(code),
            name: Set(name),
            position: Set(last),
            active: Set(true),
            title_max: Set(None),
            body_max: Set(None),
            url_patterns: Set(None),
        }
        .insert(&txn)
        .await
        .map_err(|e| {
            StoreError::from(e).on_duplicate(
                "platforms.code_taken",
                "code",
                "a platform with this code exists",
            )
        })?;
        let out = to_platform(m);
        record(
            &txn,
            caller,
            NewEvent::change(ws, "platform", None, "platform.created").after(json_of(&out)),
        )
        .await?;
        self.commit(txn).await?;
        Ok(out)
    }

    pub async fn update_platform(
        &self,
        caller: &Caller,
        ws: WorkspaceId,
        code: &str,
        patch: PlatformPatch,
    ) -> Result<Platform> {
        let patch = patch.validate()?;
        let txn = self.begin().await?;
        let before = scoped::in_ws::<platform::Entity>(ws)
            .filter(platform::Column::Code.eq(code))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut am: platform::ActiveModel = before.clone().into();
        if let Some(n) = &patch.name {
            am.name = Set(kox_domain::validation::text("name", n, 1, 30)?);
        }
        if let Some(a) = patch.active {
            am.active = Set(a);
        }
        if let Some(t) = patch.title_max {
            am.title_max = Set(t);
        }
        if let Some(b) = patch.body_max {
            am.body_max = Set(b);
        }
        if let Some(p) = &patch.url_patterns {
            am.url_patterns = Set(Some(json!(p)));
        }
        let after = to_platform(am.update(&txn).await?);
        record(
            &txn,
            caller,
            NewEvent::change(ws, "platform", None, "platform.updated")
                .before(json_of(&to_platform(before)))
                .after(json_of(&after)),
        )
        .await?;
        self.commit(txn).await?;
        Ok(after)
    }
}

impl Store {
    /// A workspace by id or exact name; `None` picks the only workspace when there is one.
    pub async fn find_workspace(&self, id_or_name: Option<&str>) -> Result<Option<WorkspaceId>> {
        let all = scoped::install_wide::<workspace::Entity>()
            .order_by_asc(workspace::Column::Id)
            .all(&self.write)
            .await?;
        Ok(match id_or_name {
            None if all.len() == 1 => Some(WorkspaceId(all[0].id)),
            None => None,
            Some(s) => all
                .iter()
                .find(|w| w.id.to_string() == s || w.name == s)
                .map(|w| WorkspaceId(w.id)),
        })
    }
}
