//! The demo's SOP board: topic cards from the planner and drafts on the operators' accounts in
//! every stage, with review rounds, red-line blocks, publishing and retro notes.

use chrono::NaiveDate;
use kox_domain::access::Role;
use kox_domain::campaigns::Hashtag;
use kox_domain::red_lines::{RedLineDraft, Severity};
use kox_domain::{UserId, WorkspaceId};
use kox_store::{Caller, Store};
use serde_json::Map;

use super::TEAM;

/// The SOP board of the launch week: topics from the content hub, drafts on the operators'
/// accounts in every stage, one rejected with a reason, a few published and reviewed.
pub(super) async fn seed_content(
    store: &Store,
    ws: WorkspaceId,
    team: &[UserId],
    accounts: &[kox_domain::accounts::Account],
    campaigns: &[kox_domain::CampaignId],
    today: NaiveDate,
) -> Result<(), kox_store::StoreError> {
    use kox_domain::content::ContentDraft;
    use kox_domain::red_lines::RedLinePatch;
    use kox_store::content::ReviewAction;
    let caller = |i: usize| Caller::member(team[i], TEAM[i].2);
    let (director, editor, planner) = (1, 2, 3);
    // The launch slogan contains 最; legal cleared it as a whole phrase.
    if let Some(zui) = store
        .list_red_lines(ws)
        .await?
        .into_iter()
        .find(|r| r.phrase == "最")
    {
        let mut ex = zui.exceptions.clone();
        ex.push("安全是最大的豪华".into());
        store
            .update_red_line(
                &caller(director),
                ws,
                zui.id,
                RedLinePatch {
                    exceptions: Some(ex),
                    ..Default::default()
                },
            )
            .await?;
    }
    for (phrase, note) in [
        ("秒杀全网", "品牌禁用：攻击竞品"),
        ("吊打", "品牌禁用：攻击竞品"),
        ("自燃", "敏感话题，需公关审核"),
    ] {
        store
            .create_red_line(
                &caller(director),
                ws,
                RedLineDraft {
                    phrase: phrase.into(),
                    severity: if phrase == "自燃" {
                        Severity::Warn
                    } else {
                        Severity::Block
                    },
                    exceptions: vec![],
                    note: note.into(),
                    enabled: true,
                },
            )
            .await?;
    }
    let tags = |t: &[&str]| -> Vec<Hashtag> {
        t.iter()
            .filter_map(|x| Hashtag::parse("t", x).ok())
            .collect()
    };
    let launch = campaigns.first().copied();
    let topic = |title: &str, body: &str| ContentDraft {
        stage: kox_domain::content::Stage::Topic,
        title: title.into(),
        body: body.into(),
        account_id: None,
        campaign_id: launch,
        topic_id: None,
        hashtags: tags(&["星河S7", "安全是最大的豪华"]),
        media: vec![],
        assignee_id: None,
        due_on: None,
        planned_at: None,
        tags: vec!["上市首发".into()],
        grade: None,
        custom: Map::new(),
    };
    let topics = [
        topic(
            "电池针刺实验｜安全是最大的豪华",
            "从针刺、挤压、浸水三项实验讲清楚星河S7的电池安全设计。\n\n#安全是最大的豪华#",
        ),
        topic(
            "带娃出行一周：星河S7 智能座舱真实体验",
            "宝妈视角：儿童锁、后排娱乐、哨兵模式，一周通勤+周末露营。",
        ),
        topic(
            "工程师讲解：800V 快充 10 分钟能跑多远",
            "KOE 工程师出镜，实测 10%→80% 充电曲线，解释热管理。",
        ),
        topic(
            "门店试驾日：到店即送充电卡",
            "KOS 门店直播脚本，主推试驾预约与金融政策。",
        ),
        topic(
            "冬季续航预热：哈尔滨 -25℃ 冷启动",
            "为冬测战役预热，短视频 30 秒。",
        ),
        topic(
            "车主故事征集：我和星河的第一次长途",
            "KOC 征集帖，鼓励车主分享第一次长途自驾。",
        ),
    ];
    let mut topic_ids = Vec::new();
    for (i, t) in topics.into_iter().enumerate() {
        let mut t = t;
        if i == 4 {
            t.campaign_id = campaigns.get(1).copied();
            t.hashtags = tags(&["星河冬测", "真实续航"]);
        }
        topic_ids.push(store.create_content(&caller(planner), ws, t).await?.id);
    }
    // Each operator drafts topics for the accounts they own.
    let mut step = 0usize;
    let mut in_review = Vec::new();
    let mut approved = Vec::new();
    let mut published = Vec::new();
    for (n, a) in accounts.iter().enumerate().take(24) {
        let Some(owner) = a.owner_ids.first().copied() else {
            continue;
        };
        let Some(oi) = team.iter().position(|u| *u == owner) else {
            continue;
        };
        if TEAM[oi].2 != Role::Operator {
            continue;
        }
        let topic_id = topic_ids[n % 4];
        let drafts = store
            .create_drafts_from_topic(&caller(oi), ws, topic_id, &[a.id])
            .await?;
        let Some(d) = drafts.first() else { continue };
        let id = d.id;
        let patch_body = |body: String| kox_domain::content::ContentPatch {
            version: d.version,
            body: Some(body),
            media: Some(vec!["封面图.jpg".into(), "实拍视频.mp4".into()]),
            // One draft in six is a day late; the rest are due over the coming week.
            due_on: Some(Some(
                today + chrono::Duration::days([-1, 1, 2, 3, 5, 7][n % 6]),
            )),
            ..Default::default()
        };
        let persona_body = format!("{}\n\n——{}", d.body, a.persona);
        step += 1;
        match step % 6 {
            // Stays a draft.
            0 => {
                store
                    .update_content(&caller(oi), ws, id, patch_body(persona_body))
                    .await?;
            }
            // In review; one of them with a red-line hit waiting for a decision.
            1 => {
                let body = if n % 2 == 0 {
                    format!("{persona_body}\n续航秒杀全网同级！")
                } else {
                    persona_body
                };
                store
                    .update_content(&caller(oi), ws, id, patch_body(body))
                    .await?;
                store
                    .review_content(&caller(oi), ws, id, ReviewAction::Submit, None)
                    .await?;
                in_review.push((id, oi));
            }
            // Rejected back to 稿件 with the reason.
            2 => {
                store
                    .update_content(&caller(oi), ws, id, patch_body(persona_body))
                    .await?;
                store
                    .review_content(&caller(oi), ws, id, ReviewAction::Submit, None)
                    .await?;
                store
                    .review_content(
                        &caller(editor),
                        ws,
                        id,
                        ReviewAction::Reject,
                        Some("卖点顺序调整：先讲电池安全，再讲座舱；补充实拍图。"),
                    )
                    .await?;
            }
            // Approved, waiting to be posted.
            3 => {
                store
                    .update_content(&caller(oi), ws, id, patch_body(persona_body))
                    .await?;
                store
                    .review_content(&caller(oi), ws, id, ReviewAction::Submit, None)
                    .await?;
                store
                    .review_content(&caller(editor), ws, id, ReviewAction::Approve, None)
                    .await?;
                approved.push((id, oi));
            }
            // Published (and, every other one, closed with a retro note).
            _ => {
                store
                    .update_content(&caller(oi), ws, id, patch_body(persona_body))
                    .await?;
                store
                    .review_content(&caller(oi), ws, id, ReviewAction::Submit, None)
                    .await?;
                store
                    .review_content(&caller(editor), ws, id, ReviewAction::Approve, None)
                    .await?;
                let url = demo_post_url(&a.platform, n);
                store
                    .publish_content(&caller(oi), ws, id, &url, None, None)
                    .await?;
                published.push((id.0, a.id.0));
                if step % 6 == 5 {
                    store
                        .retro_content(
                            &caller(oi),
                            ws,
                            id,
                            "首小时互动高于账号均值 2 倍，评论区集中问续航；封面用实拍图效果更好。",
                            true,
                        )
                        .await?;
                }
            }
        }
    }
    seed_metrics(store, ws, &published).await?;
    seed_notifications(store, ws, team, &in_review, &approved, launch).await
}

/// The data group's numbers: each account with a published post gets six earlier posts from
/// its platform export (created as 导入 items, the baseline its grades compare with), and every
/// published post three days of snapshots — one post far above its account's usual, so the
/// board shows an S.
async fn seed_metrics(
    store: &Store,
    ws: WorkspaceId,
    published: &[(i64, i64)],
) -> Result<(), kox_store::StoreError> {
    use kox_domain::metrics::{PostMetricInput, PostMetricPush};
    let today = chrono::Utc::now().date_naive();
    let titles = [
        "车内空间实测",
        "周末露营装备",
        "城市通勤一周",
        "充电桩体验",
        "家庭出游记录",
        "新车提车作业",
    ];
    let mut rows = Vec::new();
    let mut accounts: Vec<i64> = published.iter().map(|p| p.1).collect();
    accounts.dedup();
    for (k, account) in accounts.iter().enumerate() {
        for (j, t) in titles.iter().enumerate() {
            let day = today - chrono::Duration::days(60 - 7 * j as i64);
            let base = 800 + 150 * ((k + j) % 5) as i64;
            rows.push(PostMetricInput {
                post_id: Some(format!("demo{account}{j:02}")),
                account_id: Some(*account),
                title: Some(format!("{t}｜第{}期", j + 1)),
                published_at: Some(format!("{day} 20:00")),
                as_of: Some(today),
                reads: Some(base * 12),
                likes: Some(base),
                saves: Some(base / 4),
                comments: Some(base / 10),
                shares: Some(base / 20),
                ..PostMetricInput::default()
            });
        }
    }
    for (n, (item, _)) in published.iter().enumerate() {
        let boost = if n == 0 { 9 } else { 1 + (n % 3) as i64 };
        for d in 0..3 {
            let grow = 3 + d;
            rows.push(PostMetricInput {
                item_id: Some(*item),
                as_of: Some(today - chrono::Duration::days(2 - d)),
                impressions: Some(4000 * boost * grow),
                reads: Some(2500 * boost * grow),
                likes: Some(120 * boost * grow),
                saves: Some(40 * boost * grow),
                comments: Some(15 * boost * grow),
                shares: Some(6 * boost * grow),
                follows: Some(3 * boost * grow),
                completion_rate: Some(0.18 + 0.01 * d as f64),
                avg_watch_seconds: Some(21.5),
                ..PostMetricInput::default()
            });
        }
    }
    store
        .push_post_metrics(&Caller::system(), ws, PostMetricPush { rows }, "数据组采集")
        .await?;
    // The data group's own mapping for the weekly sheet its collector writes (headers no preset
    // knows): chosen at upload, it maps the file by itself.
    let columns = [
        ("post_url", vec!["作品链接", "链接"]),
        ("account", vec!["达人账号"]),
        ("title", vec!["内容标题"]),
        ("published_at", vec!["发文时间"]),
        ("reads", vec!["阅读/播放"]),
        ("likes", vec!["赞"]),
        ("saves", vec!["藏"]),
        ("comments", vec!["评"]),
        ("shares", vec!["转"]),
    ]
    .into_iter()
    .map(|(f, h)| (f.to_owned(), h.into_iter().map(str::to_owned).collect()))
    .collect();
    store
        .save_import_mapping(
            &Caller::system(),
            ws,
            None,
            kox_domain::imports::ImportMappingDraft {
                name: "数据组周报表".into(),
                kind: kox_domain::imports::ImportKind::PostMetrics,
                columns,
            },
        )
        .await?;
    Ok(())
}

/// What the bell shows on the first morning: @mentions in review comments, an approved item
/// planned for this evening (its owner is reminded an hour before), a topic assigned to an
/// operator; and, for the admin, a Feishu group bot and its rule, switched off until the team
/// pastes its own webhook.
async fn seed_notifications(
    store: &Store,
    ws: WorkspaceId,
    team: &[UserId],
    in_review: &[(kox_domain::ContentId, usize)],
    approved: &[(kox_domain::ContentId, usize)],
    launch: Option<kox_domain::CampaignId>,
) -> Result<(), kox_store::StoreError> {
    use kox_domain::notifications::{
        ChannelConfig, ChannelDraft, ChannelKind, NotificationKind, RuleDraft,
    };
    let caller = |i: usize| Caller::member(team[i], TEAM[i].2);
    let (admin, director, editor) = (0, 1, 2);
    for (k, (id, oi)) in in_review.iter().take(3).enumerate() {
        let (author, text, mention) = match k {
            0 => (
                director,
                "@陈思雨 这条是上市首发的重点稿，今天下班前请优先审一下。",
                editor,
            ),
            1 => (
                editor,
                "封面换成实拍图会更好，@{} 改完直接重新提交就行。",
                *oi,
            ),
            _ => (
                director,
                "续航数据请附上测试条件，@{} 注意和官方口径一致。",
                *oi,
            ),
        };
        let body = text.replace("{}", TEAM[mention].1);
        store
            .add_comment(&caller(author), ws, *id, &body, &[team[mention]])
            .await?;
    }
    if let Some((id, oi)) = approved.first() {
        let item = store.get_content(ws, *id).await?;
        let tonight = chrono::Utc::now() + chrono::Duration::hours(6);
        store
            .update_content(
                &caller(*oi),
                ws,
                *id,
                kox_domain::content::ContentPatch {
                    version: item.version,
                    planned_at: Some(Some(tonight)),
                    ..Default::default()
                },
            )
            .await?;
    }
    let channel = store
        .create_channel(
            &caller(admin),
            ws,
            ChannelDraft {
                name: "内容审核群（飞书）".into(),
                kind: ChannelKind::Feishu,
                config: ChannelConfig {
                    url: Some(
                        "https://open.feishu.cn/open-apis/bot/v2/hook/请替换为你们群机器人的地址"
                            .into(),
                    ),
                    ..Default::default()
                },
                secret: Some("请替换为签名校验密钥".into()),
                enabled: false,
            },
        )
        .await?;
    store
        .create_rule(
            &caller(admin),
            ws,
            RuleDraft {
                channel_id: channel.id,
                kinds: vec![
                    NotificationKind::ReviewRequested,
                    NotificationKind::ReviewDecided,
                ],
                campaign_ids: launch.map(|c| c.0).into_iter().collect(),
                tiers: vec![],
                account_ids: vec![],
                enabled: true,
            },
        )
        .await?;
    Ok(())
}

fn demo_post_url(platform: &str, n: usize) -> String {
    match platform {
        "xiaohongshu" => format!("https://www.xiaohongshu.com/explore/6650a1b2c3d4e5f6a7b8c{n:03}"),
        "douyin" => format!("https://www.douyin.com/video/73123456789012{n:05}"),
        "bilibili" => format!("https://www.bilibili.com/video/BV1xK4y1a7{n:02}"),
        "weibo" => format!("https://weibo.com/6543210987/P{n:08}"),
        "zhihu" => format!("https://www.zhihu.com/question/6301234{n:03}"),
        "kuaishou" => format!("https://www.kuaishou.com/short-video/3x{n:010}"),
        "wechat_channels" => format!("https://channels.weixin.qq.com/web/pages/feed?id={n}"),
        "dongchedi" => format!("https://www.dongchedi.com/article/7301234567{n:04}"),
        _ => format!("https://www.autohome.com.cn/news/2026{n:04}.html"),
    }
}
