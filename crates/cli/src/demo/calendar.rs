//! The demo's content calendar: the week's approved and drafted items scheduled across the
//! matrix (one pair on the same account too close together, so a conflict shows), two
//! recurring slots, and the launch campaign's coordination order with a wave already started
//! by a KOL post.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use kox_domain::accounts::{Account, Tier};
use kox_domain::calendar::orders::{AccountSpec, CoordinationOrderDraft, FollowUpRule};
use kox_domain::calendar::rules::ClockTime;
use kox_domain::calendar::slots::RecurringSlotDraft;
use kox_domain::content::{ContentDraft, ContentPatch, Stage};
use kox_domain::{CampaignId, UserId, WorkspaceId};
use kox_store::calendar::CalendarFilter;
use kox_store::content::ReviewAction;
use kox_store::{Caller, Store, StoreError};

use super::TEAM;

/// A local time on a day in Shanghai, as UTC.
fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .from_local_datetime(&day.and_hms_opt(hour, minute, 0).unwrap_or_default())
        .single()
        .map_or_else(Utc::now, |t| t.with_timezone(&Utc))
}

pub(super) async fn seed_calendar(
    store: &Store,
    ws: WorkspaceId,
    team: &[UserId],
    accounts: &[Account],
    campaigns: &[CampaignId],
    today: NaiveDate,
) -> Result<(), StoreError> {
    let caller = |i: usize| Caller::member(team[i], TEAM[i].2);
    let (director, editor) = (1, 2);
    let sys = Caller::system();
    let Some(launch) = campaigns.first().copied() else {
        return Ok(());
    };

    // Slots the team keeps every week.
    for (name, rule, time, tier) in [
        (
            "KOE 晚间档",
            "FREQ=WEEKLY;BYDAY=TU,TH",
            ClockTime::hm(20, 0),
            Tier::Koe,
        ),
        (
            "KOL 周五黄金档",
            "FREQ=WEEKLY;BYDAY=FR",
            ClockTime::hm(19, 30),
            Tier::Kol,
        ),
    ] {
        store
            .save_recurring_slot(
                &caller(director),
                ws,
                None,
                RecurringSlotDraft {
                    name: name.into(),
                    rrule: rule.into(),
                    time,
                    starts_on: today
                        - Duration::days(i64::from(today.weekday().num_days_from_monday())),
                    time_zone: None,
                    account_id: None,
                    tier: Some(tier),
                    platform: None,
                    enabled: true,
                },
            )
            .await?;
    }

    // The launch campaign's order: when a KOL post goes out, the owner KOCs follow within 2 h
    // and the stores' KOS accounts within a day.
    let spec = |tiers: &[Tier], tags: &[&str]| AccountSpec {
        tiers: tiers.to_vec(),
        platforms: vec![],
        account_tags: tags.iter().map(|t| (*t).to_owned()).collect(),
    };
    store
        .save_order(
            &caller(director),
            ws,
            None,
            CoordinationOrderDraft {
                campaign_id: launch,
                name: "KOL 首发后矩阵跟发".into(),
                enabled: true,
                trigger: spec(&[Tier::Kol], &[]),
                follow_ups: vec![
                    FollowUpRule {
                        spec: spec(&[Tier::Koc], &["车主", "试驾", "露营"]),
                        delay_minutes: 120,
                    },
                    FollowUpRule {
                        spec: spec(&[Tier::Kos], &[]),
                        delay_minutes: 24 * 60,
                    },
                ],
                title_template: "跟发｜{{trigger.title}}".into(),
                body_template: "转发 @{{trigger.account}} 的首发内容并加上自己的用车感受：{{trigger.url}}\n\n以 @{{account.handle}} 的口吻写，别照搬原文。".into(),
            },
        )
        .await?;

    // Unscheduled items get slots over the coming week, in the matrix's usual hours.
    let backlog = store
        .calendar_backlog(&sys, ws, &CalendarFilter::default())
        .await?;
    let hours = [(10, 0), (12, 30), (18, 0), (20, 0), (21, 30)];
    let mut first_of_account: Option<(i64, DateTime<Utc>)> = None;
    // A few stay unscheduled: the backlog beside the calendar is where a week's plan starts.
    let to_schedule = backlog.items.len().saturating_sub(4).min(12);
    for (n, item) in backlog.items.iter().take(to_schedule).enumerate() {
        // On or before the item's due day, never before tomorrow.
        let day = (today + Duration::days(1 + (n as i64 % 6)))
            .min(item.due_on.unwrap_or(NaiveDate::MAX))
            .max(today + Duration::days(1));
        let (h, m) = hours[n % hours.len()];
        let when = at(day, h, m);
        if n == 0 {
            first_of_account = item.account_id.map(|a| (a, when));
        }
        store
            .update_content(
                &caller(director),
                ws,
                kox_domain::ContentId(item.id),
                ContentPatch {
                    version: item.version,
                    planned_at: Some(Some(when)),
                    ..Default::default()
                },
            )
            .await?;
    }
    // A second post on the first scheduled account, an hour after its first (a min-gap warning).
    if let Some((account, first)) = first_of_account
        && let Some(a) = accounts.iter().find(|a| a.id.0 == account)
    {
        store
            .create_content(
                &caller(director),
                ws,
                ContentDraft {
                    stage: Stage::Draft,
                    title: "补充短视频：星河S7 电池包细节".into(),
                    body: "30 秒竖屏，补拍电池包底部防护。".into(),
                    account_id: Some(a.id),
                    campaign_id: Some(launch),
                    topic_id: None,
                    hashtags: vec![],
                    media: vec![],
                    assignee_id: a.owner_ids.first().copied(),
                    due_on: None,
                    planned_at: Some(first + Duration::hours(1)),
                    tags: vec!["补充".into()],
                    grade: None,
                    custom: serde_json::Map::new(),
                },
            )
            .await?;
    }

    // The KOL post that started a wave this morning.
    if let Some(kol) = accounts.iter().find(|a| a.tier == Tier::Kol) {
        let owner = kol.owner_ids.first().copied();
        let item = store
            .create_content(
                &caller(director),
                ws,
                ContentDraft {
                    stage: Stage::Draft,
                    title: "星河S7 首测：电池针刺实验现场".into(),
                    body: "十年汽车媒体人亲测：针刺、挤压、浸水三项实验全程无剪辑。".into(),
                    account_id: Some(kol.id),
                    campaign_id: Some(launch),
                    topic_id: None,
                    hashtags: ["星河S7", "安全是最大的豪华"]
                        .iter()
                        .filter_map(|t| kox_domain::campaigns::Hashtag::parse("t", t).ok())
                        .collect(),
                    media: vec!["首测视频.mp4".into()],
                    assignee_id: owner,
                    due_on: Some(today),
                    planned_at: None,
                    tags: vec!["首发".into()],
                    grade: None,
                    custom: serde_json::Map::new(),
                },
            )
            .await?;
        store
            .review_content(&caller(director), ws, item.id, ReviewAction::Submit, None)
            .await?;
        store
            .review_content(&caller(editor), ws, item.id, ReviewAction::Approve, None)
            .await?;
        let published = Utc::now() - Duration::minutes(40);
        store
            .publish_content(
                &caller(director),
                ws,
                item.id,
                "https://www.douyin.com/video/7441234567890123456",
                Some(published),
                None,
            )
            .await?;
        // The job the publish queued would do this as soon as the server runs; the demo shows
        // the wave at once (a second run makes no second wave).
        store.run_waves(ws, item.id.0).await?;
    }
    Ok(())
}
