//! Exports: a list as the member sees it (the same filters as its page, all rows) sent as an
//! XLSX download. The routes sit with their lists (`/accounts/export`, `/campaigns/export`,
//! `/content/board/export`, `/events/export`); this module holds what they share: the names a
//! table refers to, the member's language and the download response. The tables themselves
//! are `kox_domain::exports`.

use std::collections::HashMap;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDateTime, Utc};
use kox_domain::exports::{Lang, Names, Table, to_xlsx};
use kox_domain::members::platform_display_name;

use crate::AppState;
use crate::auth::Member;
use crate::error::{ApiError, ApiResult};

/// At most this many rows leave in one file: far above any team's matrix or board, and a
/// bound on the memory one request can take.
pub(crate) const MAX_ROWS: u64 = 100_000;

/// What an export needs besides its rows: the member's language (their saved UI language),
/// the workspace's platform names, people, clock and the custom fields of the exported kind.
pub(crate) struct ExportContext {
    pub lang: Lang,
    pub fields: Vec<kox_domain::custom_fields::CustomField>,
    pub platforms: HashMap<String, String>,
    pub people: HashMap<i64, String>,
    pub tz: chrono_tz::Tz,
}

impl ExportContext {
    /// `entity`: whose custom fields become columns (none for the audit log).
    pub(crate) async fn load(
        state: &AppState,
        m: &Member,
        entity: Option<kox_domain::custom_fields::FieldEntity>,
    ) -> ApiResult<Self> {
        let fields = match entity {
            Some(e) => {
                state
                    .store
                    .list_custom_fields(m.workspace_id, Some(e))
                    .await?
            }
            None => Vec::new(),
        };
        let user = state.store.get_user(m.user_id()).await?;
        let lang = if user.locale == "en-US" {
            Lang::En
        } else {
            Lang::Zh
        };
        let platforms = state
            .store
            .list_platforms(m.workspace_id)
            .await?
            .into_iter()
            .map(|p| {
                let name = platform_display_name(&p.code, &p.name, lang == Lang::En);
                (p.code, name)
            })
            .collect();
        let people = state
            .store
            .list_members(m.workspace_id)
            .await?
            .into_iter()
            .map(|p| (p.user_id.0, p.name))
            .collect();
        let tz = super::content::workspace_zone(state, m).await?;
        Ok(Self {
            lang,
            fields,
            platforms,
            people,
            tz,
        })
    }

    /// Builds a table with the names, then sends it as `<stem>-<local date>.xlsx`.
    pub(crate) fn send(
        &self,
        stem: (&str, &str),
        build: impl FnOnce(&Names<'_>) -> ApiResult<Table>,
    ) -> ApiResult<Response> {
        let tz = self.tz;
        let local = move |t: DateTime<Utc>| -> NaiveDateTime { t.with_timezone(&tz).naive_local() };
        let names = Names {
            lang: self.lang,
            platforms: &self.platforms,
            people: &self.people,
            local: &local,
        };
        let table = build(&names)?;
        let bytes = to_xlsx(&table).map_err(ApiError::Internal)?;
        let day = Utc::now().with_timezone(&tz).format("%Y-%m-%d");
        let (zh, en) = stem;
        let name = match self.lang {
            Lang::Zh => format!("{zh}-{day}.xlsx"),
            Lang::En => format!("{en}-{day}.xlsx"),
        };
        Ok(xlsx_download(bytes, &name, &format!("{en}-{day}.xlsx")))
    }
}

/// An XLSX body as a download named `name` (UTF-8, RFC 6266/5987) with an ASCII fallback.
pub(crate) fn xlsx_download(bytes: Vec<u8>, name: &str, ascii: &str) -> Response {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// Every campaign of the workspace.
pub(crate) async fn all_campaigns(
    state: &AppState,
    ws: kox_domain::WorkspaceId,
) -> ApiResult<Vec<kox_domain::campaigns::Campaign>> {
    campaigns_where(state, ws, kox_store::campaigns::CampaignFilter::default()).await
}

/// The campaigns under a filter, all pages of it.
pub(crate) async fn campaigns_where(
    state: &AppState,
    ws: kox_domain::WorkspaceId,
    mut f: kox_store::campaigns::CampaignFilter,
) -> ApiResult<Vec<kox_domain::campaigns::Campaign>> {
    f.page = kox_store::Page {
        limit: 1000,
        offset: 0,
    };
    let mut rows = Vec::new();
    loop {
        let page = state.store.list_campaigns(ws, &f).await?;
        let full = page.items.len() as u64 == f.page.limit;
        rows.extend(page.items);
        if !full || rows.len() as u64 >= MAX_ROWS {
            return Ok(rows);
        }
        f.page.offset += f.page.limit;
    }
}
