//! The SOP board: content items from 选题 to 复盘 — create, edit, move, drafts from a topic,
//! review (submit / approve / reject / override / withdraw), publish pack and publishing,
//! retro, comments, history, the board view, the first-pass rate; red lines and board
//! settings. The handler's extractor checks the coarse capability; the store applies the
//! fine rule (stage, account ownership) inside the write's transaction.

use std::collections::HashMap;

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use kox_domain::accounts::Tier;
use kox_domain::content::checks::{RedLine, RedLineDraft, RedLinePatch};
use kox_domain::content::{
    Board, Comment, ContentChecks, ContentDraft, ContentItem, ContentPatch, ContentSettings,
    FirstPassRow, PublishPack, ReviewRecord, Stage,
};
use kox_domain::members::Event;
use kox_domain::{AccountId, CampaignId, ContentId, UserId};
use kox_store::EventQuery;
use kox_store::content::{BoardFilter, FirstPassBy, ReviewAction, Who};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::types::{cached_json, unknown_parameter};
use crate::AppState;
use crate::auth::{
    ActOnContent, Can, CommentContent, ManageRedLines, ManageWorkspace, Member, PublishContent,
    WriteContent,
};
use crate::error::{ApiError, ApiResult, AppJson, AppPath, AppQuery, ErrorBody};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(board))
        .routes(routes!(create_item))
        .routes(routes!(check_item))
        .routes(routes!(get_item, update_item, delete_item))
        .routes(routes!(move_item))
        .routes(routes!(create_drafts))
        .routes(routes!(review_item))
        .routes(routes!(list_reviews))
        .routes(routes!(publish_pack))
        .routes(routes!(publish_item))
        .routes(routes!(retro_item))
        .routes(routes!(list_comments, add_comment))
        .routes(routes!(history))
        .routes(routes!(first_pass))
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(list_red_lines, create_red_line))
        .routes(routes!(update_red_line, delete_red_line))
}

fn who(m: &Member) -> Who {
    Who {
        user: m.user_id(),
        role: m.role,
    }
}

fn bad_type(field: &str, what: &str) -> ApiError {
    ApiError::invalid(
        field,
        "request.wrong_type",
        format!("{field} must be {what}"),
    )
}

fn id_param(q: &HashMap<String, String>, k: &str) -> ApiResult<Option<i64>> {
    q.get(k)
        .map(|v| v.parse::<i64>().map_err(|_| bad_type(k, "an id")))
        .transpose()
}

fn flag(q: &HashMap<String, String>, k: &str) -> ApiResult<bool> {
    match q.get(k).map(String::as_str) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(bad_type(k, "true or false")),
    }
}

/// The workspace's local date and a UTC instant for its midnight (for "today" and date ranges).
async fn local_today(state: &AppState, m: &Member) -> ApiResult<(NaiveDate, chrono_tz::Tz)> {
    let tz: chrono_tz::Tz = state
        .store
        .workspace_time_zone(m.workspace_id)
        .await?
        .parse()
        .unwrap_or(chrono_tz::Asia::Shanghai);
    Ok((Utc::now().with_timezone(&tz).date_naive(), tz))
}

fn parse_board_filter(q: &HashMap<String, String>, me: UserId) -> ApiResult<BoardFilter> {
    let mut f = BoardFilter {
        limit: 200,
        ..Default::default()
    };
    for (k, v) in q {
        match k.as_str() {
            "account" => f.account = id_param(q, k)?.map(AccountId),
            "campaign" => f.campaign = id_param(q, k)?.map(CampaignId),
            "assignee" => f.assignee = id_param(q, k)?.map(UserId),
            "tier" => {
                f.tier = Some(Tier::parse(v).ok_or_else(|| {
                    ApiError::invalid(
                        "tier",
                        "request.unknown_value",
                        "tier must be KOL, KOC, KOE or KOS",
                    )
                })?);
            }
            "platform" => f.platform = Some(v.clone()),
            "tag" => f.tag = Some(v.clone()),
            "q" => f.q = Some(v.chars().take(100).collect()),
            "mine" => f.mine = flag(q, k)?.then_some(me),
            "overdue" => f.overdue = flag(q, k)?,
            "cancelled" => f.cancelled = flag(q, k)?,
            "stage" => {
                f.stage = Some(Stage::parse(v).ok_or_else(|| {
                    ApiError::invalid("stage", "request.unknown_value", "unknown stage")
                })?);
            }
            "limit" => {
                f.limit = v
                    .parse::<u64>()
                    .ok()
                    .filter(|n| (1..=2000).contains(n))
                    .ok_or_else(|| {
                        ApiError::invalid(
                            "limit",
                            "validation.range",
                            "limit must be from 1 to 2000 (per column)",
                        )
                    })?;
            }
            "offset" => {
                f.offset = v
                    .parse::<u64>()
                    .map_err(|_| bad_type("offset", "a whole number ≥ 0"))?;
            }
            other => match other.strip_prefix("cf.") {
                Some(key) if !key.is_empty() => f.custom.push((key.to_owned(), v.clone())),
                _ => return Err(unknown_parameter(other)),
            },
        }
    }
    if f.offset > 0 && f.stage.is_none() {
        return Err(ApiError::invalid(
            "offset",
            "validation.offset_needs_stage",
            "page through one column at a time: give stage with offset",
        ));
    }
    f.custom.sort();
    Ok(f)
}

/// The board: the five columns (and 已取消 with `cancelled=true`) with the workspace's names,
/// WIP limits, each column's total under the filters and a page of cards per column.
/// Custom fields filter as `cf.<key>=<value>`; `offset` pages through the column named by `stage`.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/board", tag = "content",
    params(("workspace_id" = i64, Path),
        ("account" = Option<i64>, Query), ("tier" = Option<Tier>, Query), ("platform" = Option<String>, Query),
        ("campaign" = Option<i64>, Query), ("assignee" = Option<i64>, Query), ("tag" = Option<String>, Query),
        ("q" = Option<String>, Query, description = "text in the title"),
        ("mine" = Option<bool>, Query, description = "assigned to me, created by me or on an account I own"),
        ("overdue" = Option<bool>, Query), ("cancelled" = Option<bool>, Query, description = "include the cancelled column"),
        ("stage" = Option<Stage>, Query, description = "only this column"),
        ("limit" = Option<u32>, Query, description = "cards per column, 1–2000, default 200"), ("offset" = Option<u32>, Query, description = "with stage")),
    responses((status = 200, body = Board), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn board(
    State(state): State<AppState>,
    m: Member,
    RawQuery(raw): RawQuery,
    AppQuery(q): AppQuery<HashMap<String, String>>,
) -> ApiResult<Response> {
    let f = parse_board_filter(&q, m.user_id())?;
    // "mine" depends on who asks; everything else is the same for every member.
    let who_key = if f.mine.is_some() { m.user_id().0 } else { 0 };
    let key = (
        m.workspace_id.0,
        format!("content/board?{}#{who_key}", raw.unwrap_or_default()),
    );
    cached_json(&state, key, async {
        let (today, _) = local_today(&state, &m).await?;
        Ok(state
            .store
            .board(m.workspace_id, &f, today, Utc::now())
            .await?)
    })
    .await
}

/// Creates a topic card (选题, no account needed) or a draft (稿件, for one account).
#[utoipa::path(post, path = "/workspaces/{workspace_id}/content", tag = "content", params(("workspace_id" = i64, Path)), request_body = ContentDraft,
    responses((status = 201, body = ContentItem), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_item(
    State(state): State<AppState>,
    Can(m, ..): Can<WriteContent>,
    AppJson(draft): AppJson<ContentDraft>,
) -> ApiResult<(StatusCode, axum::Json<ContentItem>)> {
    let item = state
        .store
        .create_content(&m.actor(), m.workspace_id, who(&m), draft)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(item)))
}

/// Runs the checks on text without saving it (live feedback while editing).
#[utoipa::path(post, path = "/workspaces/{workspace_id}/content/check", tag = "content", params(("workspace_id" = i64, Path)), request_body = ContentDraft,
    responses((status = 200, body = ContentChecks), (status = 400, body = ErrorBody)))]
async fn check_item(
    State(state): State<AppState>,
    m: Member,
    AppJson(mut draft): AppJson<ContentDraft>,
) -> ApiResult<axum::Json<ContentChecks>> {
    // The title may be empty while someone is still typing.
    if draft.title.trim().is_empty() {
        draft.title = "-".into();
    }
    let mut checks = state
        .store
        .check_content(m.workspace_id, m.user_id(), draft.clone())
        .await?;
    if draft.title == "-" {
        checks.red_lines.retain(|h| h.field != "title");
        checks.over_length.retain(|l| l.field != "title");
        checks.title_count = 0;
    }
    Ok(axum::Json(checks))
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/{id}", tag = "content", params(("workspace_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = ContentItem), (status = 404, body = ErrorBody)))]
async fn get_item(
    State(state): State<AppState>,
    m: Member,
    AppPath(ids): AppPath<(i64, i64)>,
) -> ApiResult<axum::Json<ContentItem>> {
    Ok(axum::Json(
        state
            .store
            .get_content(m.workspace_id, ContentId(ids.1))
            .await?,
    ))
}

/// Edits an item. Send the `version` you loaded; a write conflicts (409) only if it touches
/// fields someone changed since. Title, body, hashtags, media, account and campaign are frozen
/// from 审核 on.
#[utoipa::path(patch, path = "/workspaces/{workspace_id}/content/{id}", tag = "content", params(("workspace_id" = i64, Path), ("id" = i64, Path)),
    request_body = ContentPatch,
    responses((status = 200, body = ContentItem), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_item(
    State(state): State<AppState>,
    Can(m, ..): Can<WriteContent>,
    AppPath(ids): AppPath<(i64, i64)>,
    AppJson(patch): AppJson<ContentPatch>,
) -> ApiResult<axum::Json<ContentItem>> {
    Ok(axum::Json(
        state
            .store
            .update_content(&m.actor(), m.workspace_id, who(&m), ContentId(ids.1), patch)
            .await?,
    ))
}

/// Deletes an item that was never reviewed (others are cancelled instead).
#[utoipa::path(delete, path = "/workspaces/{workspace_id}/content/{id}", tag = "content", params(("workspace_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_item(
    State(state): State<AppState>,
    Can(m, ..): Can<WriteContent>,
    AppPath(ids): AppPath<(i64, i64)>,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_content(&m.actor(), m.workspace_id, who(&m), ContentId(ids.1))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveRequest {
    pub stage: Stage,
    /// The card this one should follow in the target column; `null` puts it at the top.
    #[serde(default)]
    pub after_id: Option<i64>,
}

/// Moves a card (drag and drop). Only legal workflow steps: e.g. 选题 → 稿件 needs an account,
/// 稿件 → 审核 submits for review, 审核 → 发布 happens by approval and 发布 → 复盘 by publishing.
#[utoipa::path(post, path = "/workspaces/{workspace_id}/content/{id}/move", tag = "content", params(("workspace_id" = i64, Path), ("id" = i64, Path)),
    request_body = MoveRequest,
    responses((status = 200, body = ContentItem), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn move_item(
    State(state): State<AppState>,
    Can(m, ..): Can<WriteContent>,
    AppPath(ids): AppPath<(i64, i64)>,
    AppJson(req): AppJson<MoveRequest>,
) -> ApiResult<axum::Json<ContentItem>> {
    Ok(axum::Json(
        state
            .store
            .move_content(
                &m.actor(),
                m.workspace_id,
                who(&m),
                ContentId(ids.1),
                req.stage,
                req.after_id.map(ContentId),
            )
            .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftsRequest {
    pub account_ids: Vec<i64>,
}

/// Turns a topic card into one draft per account (title, body, hashtags and campaign copied).
#[utoipa::path(post, path = "/workspaces/{workspace_id}/content/{id}/drafts", tag = "content", params(("workspace_id" = i64, Path), ("id" = i64, Path)),
    request_body = DraftsRequest,
    responses((status = 201, body = Vec<ContentItem>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn create_drafts(
    State(state): State<AppState>,
    Can(m, ..): Can<WriteContent>,
    AppPath(ids): AppPath<(i64, i64)>,
    AppJson(req): AppJson<DraftsRequest>,
) -> ApiResult<(StatusCode, axum::Json<Vec<ContentItem>>)> {
    let accounts: Vec<AccountId> = req.account_ids.into_iter().map(AccountId).collect();
    let items = state
        .store
        .create_drafts_from_topic(
            &m.actor(),
            m.workspace_id,
            who(&m),
            ContentId(ids.1),
            &accounts,
        )
        .await?;
    Ok((StatusCode::CREATED, axum::Json(items)))
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewActionName {
    Submit,
    Approve,
    Reject,
    Override,
    Withdraw,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    pub action: ReviewActionName,
    /// Required to reject and to override.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Review: the author submits (or withdraws); an editor, director or admin other than the
/// submitter and the assignee approves or rejects (with a reason); a red-line hit blocks
/// approval unless a director or admin overrides with a written reason.
#[utoipa::path(post, path = "/workspaces/{workspace_id}/content/{id}/review", tag = "content", params(("workspace_id" = i64, Path), ("id" = i64, Path)),
    request_body = ReviewRequest,
    responses((status = 200, body = ContentItem), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn review_item(
    State(state): State<AppState>,
    Can(m, ..): Can<ActOnContent>,
    AppPath(ids): AppPath<(i64, i64)>,
    AppJson(req): AppJson<ReviewRequest>,
) -> ApiResult<axum::Json<ContentItem>> {
    let action = match req.action {
        ReviewActionName::Submit => ReviewAction::Submit,
        ReviewActionName::Approve => ReviewAction::Approve,
        ReviewActionName::Reject => ReviewAction::Reject,
        ReviewActionName::Override => ReviewAction::Override,
        ReviewActionName::Withdraw => ReviewAction::Withdraw,
    };
    Ok(axum::Json(
        state
            .store
            .review_content(
                &m.actor(),
                m.workspace_id,
                who(&m),
                ContentId(ids.1),
                action,
                req.reason.as_deref(),
            )
            .await?,
    ))
}

/// Every approval request of the item and its decision, oldest first.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/{id}/reviews", tag = "content", params(("workspace_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = Vec<ReviewRecord>), (status = 404, body = ErrorBody)))]
async fn list_reviews(
    State(state): State<AppState>,
    m: Member,
    AppPath(ids): AppPath<(i64, i64)>,
) -> ApiResult<axum::Json<Vec<ReviewRecord>>> {
    Ok(axum::Json(
        state
            .store
            .list_reviews(m.workspace_id, ContentId(ids.1))
            .await?,
    ))
}

/// Everything needed to post by hand: account, platform, copy-ready text with hashtags, media.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/{id}/publish-pack", tag = "content", params(("workspace_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = PublishPack), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn publish_pack(
    State(state): State<AppState>,
    m: Member,
    AppPath(ids): AppPath<(i64, i64)>,
) -> ApiResult<axum::Json<PublishPack>> {
    Ok(axum::Json(
        state
            .store
            .publish_pack(m.workspace_id, ContentId(ids.1))
            .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    /// The live post's link; it must be a post link of the account's platform.
    pub post_url: String,
    /// Defaults to now.
    #[serde(default)]
    pub published_at: Option<DateTime<Utc>>,
    /// Taken from the link when not given.
    #[serde(default)]
    pub platform_post_id: Option<String>,
}

/// Marks an item in 发布 published with its live URL; it moves to 复盘.
#[utoipa::path(post, path = "/workspaces/{workspace_id}/content/{id}/publish", tag = "content", params(("workspace_id" = i64, Path), ("id" = i64, Path)),
    request_body = PublishRequest,
    responses((status = 200, body = ContentItem), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn publish_item(
    State(state): State<AppState>,
    Can(m, ..): Can<PublishContent>,
    AppPath(ids): AppPath<(i64, i64)>,
    AppJson(req): AppJson<PublishRequest>,
) -> ApiResult<axum::Json<ContentItem>> {
    Ok(axum::Json(
        state
            .store
            .publish_content(
                &m.actor(),
                m.workspace_id,
                who(&m),
                ContentId(ids.1),
                &req.post_url,
                req.published_at,
                req.platform_post_id.as_deref(),
            )
            .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetroRequest {
    /// What worked, what did not (required).
    pub note: String,
    /// Reuse the topic for another post?
    pub reuse_topic: bool,
}

/// The short retrospective that closes a published item (may be edited later).
#[utoipa::path(post, path = "/workspaces/{workspace_id}/content/{id}/retro", tag = "content", params(("workspace_id" = i64, Path), ("id" = i64, Path)),
    request_body = RetroRequest,
    responses((status = 200, body = ContentItem), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn retro_item(
    State(state): State<AppState>,
    Can(m, ..): Can<WriteContent>,
    AppPath(ids): AppPath<(i64, i64)>,
    AppJson(req): AppJson<RetroRequest>,
) -> ApiResult<axum::Json<ContentItem>> {
    Ok(axum::Json(
        state
            .store
            .retro_content(
                &m.actor(),
                m.workspace_id,
                who(&m),
                ContentId(ids.1),
                &req.note,
                req.reuse_topic,
            )
            .await?,
    ))
}

#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/{id}/comments", tag = "content", params(("workspace_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = Vec<Comment>), (status = 404, body = ErrorBody)))]
async fn list_comments(
    State(state): State<AppState>,
    m: Member,
    AppPath(ids): AppPath<(i64, i64)>,
) -> ApiResult<axum::Json<Vec<Comment>>> {
    Ok(axum::Json(
        state
            .store
            .list_comments(m.workspace_id, ContentId(ids.1))
            .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    pub body: String,
    /// Members @mentioned in the body.
    #[serde(default)]
    pub mentions: Vec<i64>,
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/content/{id}/comments", tag = "content", params(("workspace_id" = i64, Path), ("id" = i64, Path)),
    request_body = NewComment,
    responses((status = 201, body = Comment), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn add_comment(
    State(state): State<AppState>,
    Can(m, ..): Can<CommentContent>,
    AppPath(ids): AppPath<(i64, i64)>,
    AppJson(req): AppJson<NewComment>,
) -> ApiResult<(StatusCode, axum::Json<Comment>)> {
    let mentions: Vec<UserId> = req.mentions.into_iter().map(UserId).collect();
    let c = state
        .store
        .add_comment(
            &m.actor(),
            m.workspace_id,
            who(&m),
            ContentId(ids.1),
            &req.body,
            &mentions,
        )
        .await?;
    Ok((StatusCode::CREATED, axum::Json(c)))
}

/// The item's history, newest first: every move, review decision, edit, comment.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/{id}/history", tag = "content",
    params(("workspace_id" = i64, Path), ("id" = i64, Path), ("before" = Option<i64>, Query), ("limit" = Option<u32>, Query)),
    responses((status = 200, body = Vec<Event>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn history(
    State(state): State<AppState>,
    m: Member,
    AppPath(ids): AppPath<(i64, i64)>,
    AppQuery(q): AppQuery<HashMap<String, String>>,
) -> ApiResult<axum::Json<Vec<Event>>> {
    if let Some(bad) = q
        .keys()
        .find(|k| !["before", "limit"].contains(&k.as_str()))
    {
        return Err(unknown_parameter(bad));
    }
    let limit = id_param(&q, "limit")?.unwrap_or(100);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::invalid(
            "limit",
            "validation.range",
            "limit must be from 1 to 200",
        ));
    }
    // Another workspace's item is not found here, not an empty history.
    state
        .store
        .get_content(m.workspace_id, ContentId(ids.1))
        .await?;
    let eq = EventQuery {
        entity: Some(("content_item".into(), ids.1)),
        before: id_param(&q, "before")?,
        action: None,
        limit: limit.unsigned_abs(),
    };
    Ok(axum::Json(
        state.store.list_events(m.workspace_id, &eq).await?,
    ))
}

/// First-pass rate (一次通过率): items approved at their first review ÷ items reviewed, by the
/// submitter, account, campaign or overall, for first reviews that ended within the dates
/// (workspace time zone, `to` inclusive).
#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/first-pass", tag = "content",
    params(("workspace_id" = i64, Path), ("by" = Option<String>, Query, description = "person | account | campaign | all (default)"),
        ("from" = Option<NaiveDate>, Query), ("to" = Option<NaiveDate>, Query)),
    responses((status = 200, body = Vec<FirstPassRow>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn first_pass(
    State(state): State<AppState>,
    m: Member,
    AppQuery(q): AppQuery<HashMap<String, String>>,
) -> ApiResult<axum::Json<Vec<FirstPassRow>>> {
    if let Some(bad) = q
        .keys()
        .find(|k| !["by", "from", "to"].contains(&k.as_str()))
    {
        return Err(unknown_parameter(bad));
    }
    let by = match q.get("by").map(String::as_str) {
        None | Some("all") => FirstPassBy::All,
        Some("person") => FirstPassBy::Person,
        Some("account") => FirstPassBy::Account,
        Some("campaign") => FirstPassBy::Campaign,
        Some(_) => {
            return Err(ApiError::invalid(
                "by",
                "request.unknown_value",
                "by must be person, account, campaign or all",
            ));
        }
    };
    let (_, tz) = local_today(&state, &m).await?;
    let date = |k: &str| -> ApiResult<Option<NaiveDate>> {
        q.get(k)
            .map(|v| {
                v.parse::<NaiveDate>()
                    .map_err(|_| bad_type(k, "a date YYYY-MM-DD"))
            })
            .transpose()
    };
    let midnight = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(tz).earliest())
            .map(|t| t.with_timezone(&Utc))
    };
    let (from, to) = (date("from")?, date("to")?);
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        return Err(ApiError::invalid(
            "to",
            "validation.range",
            "to must not be before from",
        ));
    }
    let from = from.and_then(midnight);
    let to = to.and_then(|d| d.succ_opt()).and_then(midnight);
    Ok(axum::Json(
        state.store.first_pass(m.workspace_id, by, from, to).await?,
    ))
}

/// Column names, WIP limits and the approval flow.
#[utoipa::path(get, path = "/workspaces/{workspace_id}/content/settings", tag = "content", params(("workspace_id" = i64, Path)),
    responses((status = 200, body = ContentSettings), (status = 404, body = ErrorBody)))]
async fn get_settings(
    State(state): State<AppState>,
    m: Member,
) -> ApiResult<axum::Json<ContentSettings>> {
    Ok(axum::Json(
        state.store.content_settings(m.workspace_id).await?,
    ))
}

#[utoipa::path(put, path = "/workspaces/{workspace_id}/content/settings", tag = "content", params(("workspace_id" = i64, Path)),
    request_body = ContentSettings,
    responses((status = 200, body = ContentSettings), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn put_settings(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageWorkspace>,
    AppJson(s): AppJson<ContentSettings>,
) -> ApiResult<axum::Json<ContentSettings>> {
    Ok(axum::Json(
        state
            .store
            .update_content_settings(&m.actor(), m.workspace_id, s)
            .await?,
    ))
}

/// The workspace's red lines: its own and the built-in advertising-law terms (editable).
#[utoipa::path(get, path = "/workspaces/{workspace_id}/red-lines", tag = "content", params(("workspace_id" = i64, Path)),
    responses((status = 200, body = Vec<RedLine>), (status = 404, body = ErrorBody)))]
async fn list_red_lines(
    State(state): State<AppState>,
    m: Member,
) -> ApiResult<axum::Json<Vec<RedLine>>> {
    Ok(axum::Json(
        state.store.list_red_lines(m.workspace_id).await?,
    ))
}

#[utoipa::path(post, path = "/workspaces/{workspace_id}/red-lines", tag = "content", params(("workspace_id" = i64, Path)),
    request_body = RedLineDraft,
    responses((status = 201, body = RedLine), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_red_line(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageRedLines>,
    AppJson(d): AppJson<RedLineDraft>,
) -> ApiResult<(StatusCode, axum::Json<RedLine>)> {
    let r = state
        .store
        .create_red_line(&m.actor(), m.workspace_id, d)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(r)))
}

#[utoipa::path(patch, path = "/workspaces/{workspace_id}/red-lines/{id}", tag = "content", params(("workspace_id" = i64, Path), ("id" = i64, Path)),
    request_body = RedLinePatch,
    responses((status = 200, body = RedLine), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_red_line(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageRedLines>,
    AppPath(ids): AppPath<(i64, i64)>,
    AppJson(p): AppJson<RedLinePatch>,
) -> ApiResult<axum::Json<RedLine>> {
    Ok(axum::Json(
        state
            .store
            .update_red_line(&m.actor(), m.workspace_id, ids.1, p)
            .await?,
    ))
}

#[utoipa::path(delete, path = "/workspaces/{workspace_id}/red-lines/{id}", tag = "content", params(("workspace_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_red_line(
    State(state): State<AppState>,
    Can(m, ..): Can<ManageRedLines>,
    AppPath(ids): AppPath<(i64, i64)>,
) -> ApiResult<StatusCode> {
    state
        .store
        .delete_red_line(&m.actor(), m.workspace_id, ids.1)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
