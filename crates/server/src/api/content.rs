//! The SOP board's API: content items from 选题 to 复盘, one module per concern (items, moves,
//! review, publishing, comments, the board view, the first-pass report). The handler's extractor
//! checks the coarse capability; the store applies the fine rule (stage, account ownership)
//! inside the write's transaction.

mod board;
mod comments;
mod first_pass;
mod items;
mod moves;
mod publish;
mod review;

use chrono::{NaiveDate, Utc};
use kox_domain::content::ContentItem;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;
use crate::auth::Member;
use crate::error::ApiResult;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(board::routes())
        .merge(items::routes())
        .merge(moves::routes())
        .merge(review::routes())
        .merge(publish::routes())
        .merge(comments::routes())
        .merge(first_pass::routes())
}

/// The item as this member sees it: with what they may do with it now (`ContentItem::allowed`).
async fn for_member(
    state: &AppState,
    m: &Member,
    item: ContentItem,
) -> ApiResult<axum::Json<ContentItem>> {
    Ok(axum::Json(
        state
            .store
            .with_allowed(m.workspace_id, &m.caller(), item)
            .await?,
    ))
}

/// The workspace's local date and its time zone (for "today" and date ranges).
async fn local_today(state: &AppState, m: &Member) -> ApiResult<(NaiveDate, chrono_tz::Tz)> {
    let tz = workspace_zone(state, m).await?;
    Ok((Utc::now().with_timezone(&tz).date_naive(), tz))
}

/// The member's workspace's time zone (Asia/Shanghai if what is stored is not one KOX knows).
pub(crate) async fn workspace_zone(state: &AppState, m: &Member) -> ApiResult<chrono_tz::Tz> {
    Ok(state
        .store
        .workspace_time_zone(m.workspace_id)
        .await?
        .parse()
        .unwrap_or(chrono_tz::Asia::Shanghai))
}
