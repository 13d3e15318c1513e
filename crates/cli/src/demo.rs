//! The demo workspace: 星河汽车 launching the 星河 S7 electric SUV, with a team of 12 across
//! the four groups, ~40 accounts over every tier and platform, three campaigns and a few
//! custom fields. `scale` multiplies the accounts (for benchmarks). Long because it is data:
//! every name, persona, draft and retro note is written out in Chinese, as a team would.

use chrono::{NaiveDate, TimeZone, Utc};
use kox_domain::access::{Group, Role};
use kox_domain::accounts::{AccountDraft, AccountStatus, Ownership, Tier};
use kox_domain::campaigns::{CampaignDraft, CampaignStatus, Fen, Hashtag};
use kox_domain::custom_fields::{FieldEntity, FieldKind};
use kox_domain::{UserId, WorkspaceId};
use kox_store::custom_fields::NewField;
use kox_store::members::NewMember;
use kox_store::{Caller, Store};
use serde_json::{Map, Value, json};

mod calendar;
mod content;
use content::seed_content;

pub const DEMO_PASSWORD: &str = "kox-demo-2026";

/// (e-mail, name, role, group) — one login per role first, then the rest of the team.
pub const TEAM: [(&str, &str, Role, Group); 12] = [
    ("admin@kox.demo", "周明", Role::Admin, Group::Strategy),
    ("director@kox.demo", "林悦", Role::Director, Group::Strategy),
    ("editor@kox.demo", "陈思雨", Role::Editor, Group::ContentHub),
    (
        "planner@kox.demo",
        "王浩然",
        Role::Planner,
        Group::ContentHub,
    ),
    (
        "operator@kox.demo",
        "李娜",
        Role::Operator,
        Group::Operations,
    ),
    (
        "analyst@kox.demo",
        "孙佳",
        Role::Analyst,
        Group::DataSupport,
    ),
    ("media@kox.demo", "黄磊", Role::Media, Group::DataSupport),
    ("viewer@kox.demo", "郑国栋", Role::Viewer, Group::Strategy),
    (
        "designer@kox.demo",
        "赵婷",
        Role::Planner,
        Group::ContentHub,
    ),
    (
        "koe-ops@kox.demo",
        "张伟",
        Role::Operator,
        Group::Operations,
    ),
    (
        "kos-ops@kox.demo",
        "刘洋",
        Role::Operator,
        Group::Operations,
    ),
    ("scout@kox.demo", "吴倩", Role::Media, Group::DataSupport),
];

/// (tier, platform, handle, name, persona, ownership, followers, tags, owner index in TEAM)
type Row = (
    Tier,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Ownership,
    i64,
    &'static [&'static str],
    usize,
);

const ACCOUNTS: [Row; 40] = [
    (
        Tier::Kol,
        "douyin",
        "chezhu_laowang",
        "老王说车",
        "十年汽车媒体人，擅长长测与横评，说话直接",
        Ownership::Paid,
        3_860_000,
        &["头部", "评测"],
        6,
    ),
    (
        Tier::Kol,
        "bilibili",
        "dianche_yanjiusuo",
        "电车研究所",
        "硬核拆解三电系统，理工男人设",
        Ownership::Paid,
        1_240_000,
        &["硬核", "三电"],
        6,
    ),
    (
        Tier::Kol,
        "xiaohongshu",
        "lily_drive",
        "Lily开车去旅行",
        "都市白领自驾游博主，注重颜值与舒适",
        Ownership::Paid,
        682_000,
        &["生活方式", "自驾"],
        6,
    ),
    (
        Tier::Kol,
        "weibo",
        "qiche_toutiao",
        "汽车头条君",
        "汽车资讯大号，热点快讯",
        Ownership::Partner,
        5_120_000,
        &["资讯"],
        6,
    ),
    (
        Tier::Kol,
        "dongchedi",
        "ceping_xiaoli",
        "测评小李",
        "懂车帝认证评测员，数据党",
        Ownership::Paid,
        905_000,
        &["评测", "数据党"],
        11,
    ),
    (
        Tier::Kol,
        "autohome",
        "jiayong_che_zhinan",
        "家用车指南",
        "专注家庭用车选购建议",
        Ownership::Partner,
        433_000,
        &["家庭"],
        11,
    ),
    (
        Tier::Kol,
        "zhihu",
        "zhineng_jiashi_lun",
        "智能驾驶论",
        "自动驾驶从业者，知乎汽车话题优秀答主",
        Ownership::Paid,
        276_000,
        &["智驾"],
        11,
    ),
    (
        Tier::Kol,
        "kuaishou",
        "dongbei_laotie_kanche",
        "东北老铁看车",
        "东北口音接地气，三四线城市用户多",
        Ownership::Paid,
        2_310_000,
        &["下沉市场"],
        6,
    ),
    (
        Tier::Koc,
        "xiaohongshu",
        "baoma_xiaoyu",
        "小雨妈妈的车生活",
        "二胎宝妈，关注儿童座椅与安全",
        Ownership::Partner,
        12_800,
        &["宝妈", "安全"],
        4,
    ),
    (
        Tier::Koc,
        "xiaohongshu",
        "dagong_ren_kaiche",
        "打工人通勤日记",
        "一线城市通勤族，关注续航和充电",
        Ownership::Partner,
        8_450,
        &["通勤", "续航"],
        4,
    ),
    (
        Tier::Koc,
        "xiaohongshu",
        "tiyan_guan_amy",
        "Amy的试驾笔记",
        "试驾爱好者，喜欢对比同级车型",
        Ownership::Partner,
        21_300,
        &["试驾"],
        4,
    ),
    (
        Tier::Koc,
        "xiaohongshu",
        "luying_xiaodui",
        "周末露营小队",
        "露营玩家，关注后备箱与外放电",
        Ownership::Partner,
        15_600,
        &["露营", "外放电"],
        4,
    ),
    (
        Tier::Koc,
        "xiaohongshu",
        "xinshou_siji_mia",
        "新手司机Mia",
        "刚拿驾照的女生，关注好停车好上手",
        Ownership::Partner,
        3_200,
        &["新手"],
        4,
    ),
    (
        Tier::Koc,
        "douyin",
        "chezhu_ajie",
        "阿杰的电车一年",
        "真实车主，记录用车成本",
        Ownership::Partner,
        45_700,
        &["车主", "用车成本"],
        4,
    ),
    (
        Tier::Koc,
        "douyin",
        "chongdian_zhuang_ge",
        "充电桩哥",
        "充电桩安装师傅，讲充电知识",
        Ownership::Partner,
        38_900,
        &["充电"],
        4,
    ),
    (
        Tier::Koc,
        "douyin",
        "xiaozhen_nianqing",
        "小镇青年看世界",
        "县城青年，关注性价比",
        Ownership::Partner,
        9_800,
        &["性价比"],
        4,
    ),
    (
        Tier::Koc,
        "douyin",
        "laoba_kaiche",
        "老爸的第一台电车",
        "50后换电车的真实体验",
        Ownership::Partner,
        6_600,
        &["银发"],
        4,
    ),
    (
        Tier::Koc,
        "weibo",
        "dianche_xiaobai",
        "电车小白成长记",
        "从油车转电车的心路历程",
        Ownership::Partner,
        5_400,
        &["转电"],
        4,
    ),
    (
        Tier::Koc,
        "bilibili",
        "vlog_xiaochen",
        "小陈的汽车vlog",
        "大学生vlog博主，年轻化表达",
        Ownership::Partner,
        27_100,
        &["年轻", "vlog"],
        4,
    ),
    (
        Tier::Koc,
        "bilibili",
        "moxing_wanjia",
        "车模玩家阿飞",
        "汽车模型与改装爱好者",
        Ownership::Partner,
        11_900,
        &["改装"],
        4,
    ),
    (
        Tier::Koc,
        "kuaishou",
        "huoche_siji_dage",
        "货车司机大哥",
        "跑长途的司机，聊驾驶疲劳与辅助驾驶",
        Ownership::Partner,
        52_300,
        &["长途"],
        4,
    ),
    (
        Tier::Koc,
        "wechat_channels",
        "jiating_licai_ma",
        "家庭理财妈妈",
        "关注购车贷款与保值率",
        Ownership::Partner,
        7_700,
        &["理财"],
        4,
    ),
    (
        Tier::Koc,
        "zhihu",
        "gongchengshi_chezhu",
        "工程师车主",
        "理性分析用车体验的车主",
        Ownership::Partner,
        4_300,
        &["理性"],
        4,
    ),
    (
        Tier::Kos,
        "douyin",
        "xinghe_shanghai_xiaozhou",
        "星河上海徐汇店·小周",
        "4S店销冠，讲购车政策与金融方案",
        Ownership::EmployeeAuthorized,
        18_600,
        &["上海", "门店"],
        10,
    ),
    (
        Tier::Kos,
        "douyin",
        "xinghe_beijing_dawei",
        "星河北京亦庄店·大伟",
        "资深销售顾问，试驾邀约达人",
        Ownership::EmployeeAuthorized,
        14_200,
        &["北京", "门店"],
        10,
    ),
    (
        Tier::Kos,
        "douyin",
        "xinghe_chengdu_tingting",
        "星河成都高新店·婷婷",
        "川妹子销售，直播讲车",
        Ownership::EmployeeAuthorized,
        22_800,
        &["成都", "直播"],
        10,
    ),
    (
        Tier::Kos,
        "wechat_channels",
        "xinghe_guangzhou_ajun",
        "星河广州天河店·阿军",
        "粤语讲车，老客户转介绍多",
        Ownership::EmployeeAuthorized,
        6_900,
        &["广州"],
        10,
    ),
    (
        Tier::Kos,
        "wechat_channels",
        "xinghe_hangzhou_xiaomei",
        "星河杭州滨江店·小美",
        "擅长女性用户沟通",
        Ownership::EmployeeAuthorized,
        5_300,
        &["杭州"],
        10,
    ),
    (
        Tier::Kos,
        "kuaishou",
        "xinghe_shenyang_laozhao",
        "星河沈阳店·老赵",
        "东北门店店长，团购活动",
        Ownership::EmployeeAuthorized,
        31_400,
        &["沈阳", "团购"],
        10,
    ),
    (
        Tier::Kos,
        "dongchedi",
        "xinghe_wuhan_xiaoqiang",
        "星河武汉光谷店·小强",
        "懂车帝经销商号，报价答疑",
        Ownership::EmployeeAuthorized,
        9_100,
        &["武汉", "报价"],
        10,
    ),
    (
        Tier::Kos,
        "autohome",
        "xinghe_xian_lina",
        "星河西安曲江店·丽娜",
        "汽车之家经销商号，线索转化",
        Ownership::EmployeeAuthorized,
        4_800,
        &["西安", "线索"],
        10,
    ),
    (
        Tier::Koe,
        "zhihu",
        "xinghe_sandian_gong",
        "星河三电工程师老郑",
        "电池系统工程师，讲热管理与安全",
        Ownership::EmployeeAuthorized,
        36_500,
        &["工程师", "电池"],
        9,
    ),
    (
        Tier::Koe,
        "bilibili",
        "xinghe_zhijia_team",
        "星河智驾实验室",
        "智驾团队官方账号，路测视频",
        Ownership::BrandOwned,
        88_200,
        &["智驾", "官方"],
        9,
    ),
    (
        Tier::Koe,
        "weibo",
        "xinghe_sheji_shi",
        "星河设计师Anna",
        "外观设计师，讲设计语言与配色",
        Ownership::EmployeeAuthorized,
        23_900,
        &["设计"],
        9,
    ),
    (
        Tier::Koe,
        "xiaohongshu",
        "xinghe_neishi_sheji",
        "星河内饰设计小雅",
        "内饰设计师，材质与氛围灯",
        Ownership::EmployeeAuthorized,
        15_100,
        &["设计", "内饰"],
        9,
    ),
    (
        Tier::Koe,
        "wechat_channels",
        "xinghe_ceshi_gong",
        "星河测试工程师阿强",
        "高寒高温测试，极限工况",
        Ownership::EmployeeAuthorized,
        12_700,
        &["测试"],
        9,
    ),
    (
        Tier::Koe,
        "douyin",
        "xinghe_guanfang",
        "星河汽车",
        "品牌官方号",
        Ownership::BrandOwned,
        1_560_000,
        &["官方"],
        1,
    ),
    (
        Tier::Koe,
        "weibo",
        "xinghe_guanwei",
        "星河汽车官微",
        "品牌官方微博，新闻与活动",
        Ownership::BrandOwned,
        920_000,
        &["官方"],
        1,
    ),
    (
        Tier::Koe,
        "xiaohongshu",
        "xinghe_chezhu_julebu",
        "星河车主俱乐部",
        "官方车主社区运营号",
        Ownership::BrandOwned,
        64_300,
        &["官方", "车主"],
        4,
    ),
    (
        Tier::Koe,
        "zhihu",
        "xinghe_chanpin_jingli",
        "星河S7产品经理",
        "产品经理答疑，配置与定价逻辑",
        Ownership::EmployeeAuthorized,
        19_600,
        &["产品"],
        9,
    ),
];

pub struct Seeded {
    pub workspace: WorkspaceId,
    pub accounts: usize,
}

pub async fn seed(store: &Store, scale: usize) -> Result<Seeded, String> {
    let err = |e: kox_store::StoreError| e.to_string();
    let sys = Caller::system();
    let ws = store
        .create_workspace(&sys, "星河汽车 · 新能源品牌部", "Asia/Shanghai")
        .await
        .map_err(err)?;
    let hash = kox_server::hash_password(DEMO_PASSWORD).map_err(|e| format!("{e:?}"))?;
    let mut ids: Vec<UserId> = Vec::new();
    for (email, name, role, group) in TEAM {
        let m = store
            .add_member(
                &sys,
                ws.id,
                NewMember {
                    email,
                    name,
                    role,
                    group,
                    password_hash: Some(hash.clone()),
                },
            )
            .await
            .map_err(err)?;
        ids.push(m.user_id);
    }

    let fields = [
        NewField {
            entity: FieldEntity::Account,
            key: "cooperation_level",
            label: "合作等级",
            kind: FieldKind::Select,
            options: &["核心".into(), "重点".into(), "常规".into()],
            required: false,
        },
        NewField {
            entity: FieldEntity::Account,
            key: "contract_until",
            label: "合约到期",
            kind: FieldKind::Date,
            options: &[],
            required: false,
        },
        NewField {
            entity: FieldEntity::Account,
            key: "verified",
            label: "平台认证",
            kind: FieldKind::Checkbox,
            options: &[],
            required: false,
        },
        NewField {
            entity: FieldEntity::Campaign,
            key: "owner",
            label: "战役负责人",
            kind: FieldKind::Person,
            options: &[],
            required: false,
        },
    ];
    for f in fields {
        store
            .create_custom_field(&sys, ws.id, f)
            .await
            .map_err(err)?;
    }

    let mut created = 0;
    let mut accounts = Vec::new();
    for round in 0..scale.max(1) {
        for (i, (tier, platform, handle, name, persona, ownership, followers, tags, owner)) in
            ACCOUNTS.iter().enumerate()
        {
            let (handle, name) = if round == 0 {
                ((*handle).to_owned(), (*name).to_owned())
            } else {
                (format!("{handle}_{round}"), format!("{name}{round}"))
            };
            let mut custom = Map::new();
            let level = match tier {
                Tier::Kol => "核心",
                Tier::Koe => "重点",
                _ => "常规",
            };
            custom.insert("cooperation_level".into(), Value::from(level));
            if matches!(ownership, Ownership::Paid | Ownership::Partner) {
                custom.insert(
                    "contract_until".into(),
                    Value::from(format!("2027-0{}-28", 1 + i % 6)),
                );
            }
            custom.insert("verified".into(), Value::from(*followers > 100_000));
            let status = if i % 13 == 12 {
                AccountStatus::Paused
            } else {
                AccountStatus::Active
            };
            let draft = AccountDraft {
                tier: *tier,
                platform: (*platform).into(),
                handle,
                display_name: name,
                profile_url: Some(profile_url(platform, i + round * 100)),
                persona: (*persona).into(),
                ownership: *ownership,
                status,
                followers: followers + (round as i64 * 37) % 1000,
                tags: tags.iter().map(|t| (*t).to_owned()).collect(),
                owner_ids: vec![ids[*owner]],
                custom,
            };
            let a = store
                .create_account(&sys, ws.id, draft)
                .await
                .map_err(err)?;
            if round == 0 {
                accounts.push(a);
            }
            created += 1;
        }
    }

    let tags = |t: &[&str]| {
        t.iter()
            .map(|x| Hashtag::parse("t", x))
            .collect::<Result<Vec<_>, _>>()
    };
    let campaigns = [
        CampaignDraft {
            name: "星河S7 上市首发".into(),
            theme: "「安全是最大的豪华」：主推电池安全与智能座舱".into(),
            starts_on: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default(),
            ends_on: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default(),
            budget_fen: Fen(300_000_000),
            budget_by_tier: [
                (Tier::Kol, Fen(180_000_000)),
                (Tier::Koc, Fen(60_000_000)),
                (Tier::Kos, Fen(30_000_000)),
                (Tier::Koe, Fen(10_000_000)),
            ]
            .into(),
            currency: "CNY".into(),
            required_hashtags: tags(&["星河S7", "安全是最大的豪华"]).map_err(|e| e.to_string())?,
            embargo_at: Some(
                Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0)
                    .single()
                    .unwrap_or_default(),
            ),
            target_kpis: "ROI ≥ 3:1；品牌搜索指数 +50%；S级爆文 10 篇；评论 24 小时回复率 ≥ 90%"
                .into(),
            status: CampaignStatus::Active,
            custom: Map::from_iter([("owner".to_owned(), json!(ids[1].0))]),
        },
        CampaignDraft {
            name: "冬季续航实测季".into(),
            theme: "北方真实冬季续航，KOE 工程师 + KOC 车主联合实测".into(),
            starts_on: NaiveDate::from_ymd_opt(2027, 1, 5).unwrap_or_default(),
            ends_on: NaiveDate::from_ymd_opt(2027, 2, 28).unwrap_or_default(),
            budget_fen: Fen(80_000_000),
            budget_by_tier: [(Tier::Koc, Fen(40_000_000)), (Tier::Koe, Fen(20_000_000))].into(),
            currency: "CNY".into(),
            required_hashtags: tags(&["星河冬测", "真实续航"]).map_err(|e| e.to_string())?,
            embargo_at: None,
            target_kpis: "实测内容 60 篇；互动量 50 万；负面舆情 24 小时内响应".into(),
            status: CampaignStatus::Planned,
            custom: Map::from_iter([("owner".to_owned(), json!(ids[1].0))]),
        },
        CampaignDraft {
            name: "双十一购车节".into(),
            theme: "限时金融政策 + 门店直播，KOS 主导转化".into(),
            starts_on: NaiveDate::from_ymd_opt(2026, 10, 20).unwrap_or_default(),
            ends_on: NaiveDate::from_ymd_opt(2026, 11, 11).unwrap_or_default(),
            budget_fen: Fen(50_000_000),
            budget_by_tier: [(Tier::Kos, Fen(35_000_000)), (Tier::Kol, Fen(15_000_000))].into(),
            currency: "CNY".into(),
            required_hashtags: tags(&["星河双十一"]).map_err(|e| e.to_string())?,
            embargo_at: None,
            target_kpis: "留资 3000 条；到店 600 组；成交 180 台".into(),
            status: CampaignStatus::Completed,
            custom: Map::new(),
        },
    ];
    let mut campaign_ids = Vec::new();
    for c in campaigns {
        campaign_ids.push(store.create_campaign(&sys, ws.id, c).await.map_err(err)?.id);
    }
    // Due dates count from the day the demo is seeded, in the workspace's zone: a new user sees
    // a board with a card or two overdue, not one where every card is late.
    let today = ws.time_zone.parse::<chrono_tz::Tz>().map_or_else(
        |_| Utc::now().date_naive(),
        |tz| Utc::now().with_timezone(&tz).date_naive(),
    );
    seed_content(store, ws.id, &ids, &accounts, &campaign_ids, today)
        .await
        .map_err(err)?;
    Box::pin(calendar::seed_calendar(
        store,
        ws.id,
        &ids,
        &accounts,
        &campaign_ids,
        today,
    ))
    .await
    .map_err(err)?;
    // A new operator invited by the admin, not yet joined (the members page lists it; its
    // link was never shown, so an admin withdraws it or invites again for a fresh one).
    let admin = Caller::member(ids[0], TEAM[0].2);
    store
        .create_invitation(
            &admin,
            ws.id,
            kox_domain::invitations::InvitationDraft {
                email: "zhao.ting@kox.demo".into(),
                name: "赵婷".into(),
                role: Role::Operator,
                group: Group::Operations,
            },
            kox_server::hash_secret(&kox_server::new_secret()),
        )
        .await
        .map_err(err)?;
    // The accounts came in as a bulk load; the content is a handful of items that grow later.
    store
        .analyze(&["accounts", "account_owners"])
        .await
        .map_err(err)?;
    Ok(Seeded {
        workspace: ws.id,
        accounts: created,
    })
}

fn profile_url(platform: &str, n: usize) -> String {
    let id = 5_000_000_000u64 + (n as u64) * 7919;
    match platform {
        "xiaohongshu" => format!("https://www.xiaohongshu.com/user/profile/{id:x}"),
        "douyin" => format!("https://www.douyin.com/user/MS4wLjABAAAA{id}"),
        "weibo" => format!("https://weibo.com/u/{id}"),
        "bilibili" => format!("https://space.bilibili.com/{id}"),
        "kuaishou" => format!("https://www.kuaishou.com/profile/3x{id:x}"),
        "zhihu" => format!("https://www.zhihu.com/people/{id:x}"),
        "dongchedi" => format!("https://www.dongchedi.com/user/{id}"),
        "autohome" => format!("https://i.autohome.com.cn/{id}"),
        _ => format!("https://channels.weixin.qq.com/{id}"),
    }
}
