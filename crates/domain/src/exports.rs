//! The export framework's writing side: a table of typed cells (`Table`) written as an XLSX
//! workbook in memory (rust_xlsxwriter), and the tables of the lists a team takes out to a
//! spreadsheet — the account matrix, the campaigns, the board's cards and the audit log. No IO:
//! callers pass the rows, the names the rows refer to and the workspace's local clock.
//!
//! The account table writes the account import's columns under the same headers
//! (`imports::accounts::COLUMNS`) and values the import reads back (层级 KOL, 平台 by name,
//! 负责人 by name, 状态 活跃), so an exported matrix can be edited and imported again.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::accounts::{Account, AccountStatus, Ownership, Tier};
use crate::campaigns::{Campaign, CampaignStatus};
use crate::content::{BoardColumn, ReviewState};
use crate::custom_fields::{CustomField, FieldKind};
use crate::imports::accounts::COLUMNS as ACCOUNT_COLUMNS;
use crate::members::Event;

/// The language of an export's headers and labels (user data is written as it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en-US")]
    En,
}

impl Lang {
    fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// What joins the items of a list cell: 、 reads as a list in Chinese and the import
    /// splits on it (`imports::split_list`), as it does on the English comma.
    fn separator(self) -> &'static str {
        self.pick("、", ", ")
    }
}

/// One cell of an exported row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Number(f64),
    /// A share from 0 to 1, shown as a percentage.
    Percent(f64),
    /// Money in fen, written in yuan with two decimals.
    Money(i64),
    Date(NaiveDate),
    /// A moment in the workspace's time zone.
    Time(NaiveDateTime),
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }
}

/// A column: its header and its width in characters.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    pub width: f64,
}

fn col(header: impl Into<String>, width: f64) -> Column {
    Column {
        header: header.into(),
        width,
    }
}

/// A sheet: a header row, then one row per record (each as long as `columns`).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub sheet: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

/// Excel keeps at most this many characters in a cell; longer text is cut with a mark rather
/// than making a workbook Excel refuses to open.
const CELL_MAX: usize = 32_767;

fn fit(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().count() <= CELL_MAX {
        return s.into();
    }
    let mut cut: String = s.chars().take(CELL_MAX - 1).collect();
    cut.push('…');
    cut.into()
}

/// The table as an XLSX workbook: bold frozen header row with a filter, each column's width,
/// numbers as numbers, dates and times as Excel dates (so they sort and filter), text always
/// as text (a cell starting with `=` is never a formula).
///
/// # Errors
/// The writer's message, when the workbook cannot be written (only for tables past Excel's
/// limits: more than 1,048,575 rows or 16,384 columns).
pub fn to_xlsx(table: &Table) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, FormatAlign, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    // Sheet names are at most 31 characters and may not hold []:*?/\.
    let name: String = table
        .sheet
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    if !name.is_empty() {
        sheet.set_name(&name).map_err(err)?;
    }
    let header = Format::new()
        .set_bold()
        .set_background_color("#F5F5F5")
        .set_align(FormatAlign::VerticalCenter);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let time = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let money = Format::new().set_num_format("#,##0.00");
    let percent = Format::new().set_num_format("0.0%");
    let whole = Format::new().set_num_format("#,##0");
    let last_col =
        u16::try_from(table.columns.len().saturating_sub(1)).map_err(|e| e.to_string())?;
    for (c, column) in table.columns.iter().enumerate() {
        let c = u16::try_from(c).map_err(|e| e.to_string())?;
        sheet
            .write_string_with_format(0, c, fit(&column.header), &header)
            .map_err(err)?;
        sheet.set_column_width(c, column.width).map_err(err)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|e| e.to_string())?;
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).map_err(|e| e.to_string())?;
            match cell {
                Cell::Empty => continue,
                Cell::Text(s) => sheet.write_string(r, c, fit(s)),
                #[allow(clippy::cast_precision_loss)] // counts stay far below 2^53
                Cell::Int(n) => sheet.write_number_with_format(r, c, *n as f64, &whole),
                Cell::Number(n) => sheet.write_number(r, c, *n),
                Cell::Percent(n) => sheet.write_number_with_format(r, c, *n, &percent),
                #[allow(clippy::cast_precision_loss)] // MAX_FEN is far below 2^53
                Cell::Money(fen) => {
                    sheet.write_number_with_format(r, c, *fen as f64 / 100.0, &money)
                }
                // Excel's dates run from 1900 to 9999; a date outside (a typo such as year
                // 0026) is written as its text rather than failing the whole file.
                Cell::Date(d) => match excel_time(d.and_time(chrono::NaiveTime::MIN)) {
                    Ok(x) => sheet.write_datetime_with_format(r, c, x, &date),
                    Err(_) => sheet.write_string(r, c, d.format("%Y-%m-%d").to_string()),
                },
                Cell::Time(t) => match excel_time(*t) {
                    Ok(x) => sheet.write_datetime_with_format(r, c, x, &time),
                    Err(_) => sheet.write_string(r, c, t.format("%Y-%m-%d %H:%M").to_string()),
                },
            }
            .map_err(err)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    if !table.columns.is_empty() {
        let last_row = u32::try_from(table.rows.len()).map_err(|e| e.to_string())?;
        sheet.autofilter(0, 0, last_row, last_col).map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}

fn excel_time(t: NaiveDateTime) -> Result<rust_xlsxwriter::ExcelDateTime, String> {
    use chrono::{Datelike, Timelike};
    let small = |n: u32| u8::try_from(n).map_err(|e| e.to_string());
    let year = u16::try_from(t.year()).map_err(|e| e.to_string())?;
    let (month, day) = (small(t.month())?, small(t.day())?);
    let (hour, minute, second) = (small(t.hour())?, small(t.minute())?, small(t.second())?);
    let hour = u16::from(hour);
    rust_xlsxwriter::ExcelDateTime::from_ymd(year, month, day)
        .and_then(|d| d.and_hms(hour, minute, second))
        .map_err(|e| e.to_string())
}

/// Names a table refers to by id or code, and the workspace's clock.
pub struct Names<'a> {
    pub lang: Lang,
    /// Platform code → display name.
    pub platforms: &'a HashMap<String, String>,
    /// Member id → name (also former members that records still name).
    pub people: &'a HashMap<i64, String>,
    /// A moment as the workspace's local time.
    pub local: &'a dyn Fn(DateTime<Utc>) -> NaiveDateTime,
}

impl Names<'_> {
    fn platform(&self, code: &str) -> String {
        self.platforms
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    }
    fn person(&self, id: i64) -> String {
        self.people
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("#{id}"))
    }
    fn people_list(&self, ids: impl IntoIterator<Item = i64>) -> Cell {
        Cell::text(
            ids.into_iter()
                .map(|id| self.person(id))
                .collect::<Vec<_>>()
                .join(self.lang.separator()),
        )
    }
    fn list(&self, items: &[impl AsRef<str>]) -> Cell {
        Cell::text(
            items
                .iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(self.lang.separator()),
        )
    }
    fn time(&self, t: Option<DateTime<Utc>>) -> Cell {
        t.map_or(Cell::Empty, |t| Cell::Time((self.local)(t)))
    }

    /// A custom field's value as the import reads it back: options and text as they are,
    /// people by name, 是/否 for a checkbox, dates as dates.
    fn custom(&self, field: &CustomField, value: Option<&Value>) -> Cell {
        let Some(v) = value.filter(|v| !v.is_null()) else {
            return Cell::Empty;
        };
        match (field.kind, v) {
            (FieldKind::Number, Value::Number(n)) => n
                .as_i64()
                .map_or_else(|| n.as_f64().map_or(Cell::Empty, Cell::Number), Cell::Int),
            (FieldKind::Checkbox, Value::Bool(b)) => Cell::text(if *b {
                self.lang.pick("是", "yes")
            } else {
                self.lang.pick("否", "no")
            }),
            (FieldKind::Date, Value::String(s)) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_or_else(|_| Cell::text(s.clone()), Cell::Date),
            (FieldKind::Person, Value::Number(n)) => n
                .as_i64()
                .map_or(Cell::Empty, |id| Cell::text(self.person(id))),
            (_, Value::Array(items)) => Cell::text(
                items
                    .iter()
                    .map(|i| match i {
                        Value::String(s) => s.clone(),
                        Value::Number(n) if field.kind == FieldKind::Person => n
                            .as_i64()
                            .map_or_else(|| n.to_string(), |id| self.person(id)),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(self.lang.separator()),
            ),
            (_, Value::String(s)) => Cell::text(s.clone()),
            (_, other) => Cell::text(other.to_string()),
        }
    }
}

pub fn tier_label(t: Tier) -> &'static str {
    t.as_str()
}

pub fn ownership_label(o: Ownership, lang: Lang) -> &'static str {
    match o {
        Ownership::BrandOwned => lang.pick("品牌自有", "Brand-owned"),
        Ownership::EmployeeAuthorized => lang.pick("员工授权", "Employee-authorized"),
        Ownership::Partner => lang.pick("合作方", "Partner"),
        Ownership::Paid => lang.pick("付费合作", "Paid"),
    }
}

pub fn account_status_label(s: AccountStatus, lang: Lang) -> &'static str {
    match s {
        AccountStatus::Active => lang.pick("活跃", "Active"),
        AccountStatus::Paused => lang.pick("暂停", "Paused"),
        AccountStatus::Archived => lang.pick("已归档", "Archived"),
    }
}

pub fn campaign_status_label(s: CampaignStatus, lang: Lang) -> &'static str {
    match s {
        CampaignStatus::Planned => lang.pick("筹备中", "Planned"),
        CampaignStatus::Active => lang.pick("进行中", "Active"),
        CampaignStatus::Completed => lang.pick("已结束", "Completed"),
        CampaignStatus::Cancelled => lang.pick("已取消", "Cancelled"),
    }
}

fn review_label(s: ReviewState, lang: Lang) -> &'static str {
    match s {
        ReviewState::None => "",
        ReviewState::Pending => lang.pick("待审核", "Pending"),
        ReviewState::Approved => lang.pick("已通过", "Approved"),
        ReviewState::Rejected => lang.pick("已驳回", "Rejected"),
    }
}

fn custom_columns(fields: &[CustomField]) -> impl Iterator<Item = Column> + '_ {
    fields.iter().map(|f| col(f.label.clone(), 16.0))
}

/// The account matrix, one row per account, in the account import's columns and then the
/// custom fields'.
pub fn accounts_table(accounts: &[Account], fields: &[CustomField], names: &Names<'_>) -> Table {
    let lang = names.lang;
    let widths: HashMap<&str, f64> = [
        ("handle", 22.0),
        ("display_name", 22.0),
        ("persona", 30.0),
        ("profile_url", 36.0),
        ("owner_ids", 18.0),
        ("tags", 24.0),
    ]
    .into_iter()
    .collect();
    let columns = ACCOUNT_COLUMNS
        .iter()
        .map(|c| {
            col(
                lang.pick(c.zh, c.en),
                widths.get(c.field).copied().unwrap_or(12.0),
            )
        })
        .chain(custom_columns(fields))
        .collect();
    let rows = accounts
        .iter()
        .map(|a| {
            ACCOUNT_COLUMNS
                .iter()
                .map(|c| match c.field {
                    "tier" => Cell::text(tier_label(a.tier)),
                    "platform" => Cell::text(names.platform(&a.platform)),
                    "handle" => Cell::text(a.handle.clone()),
                    "display_name" => Cell::text(a.display_name.clone()),
                    "followers" => Cell::Int(a.followers),
                    "ownership" => Cell::text(ownership_label(a.ownership, lang)),
                    "owner_ids" => names.people_list(a.owner_ids.iter().map(|u| u.0)),
                    "status" => Cell::text(account_status_label(a.status, lang)),
                    "tags" => names.list(&a.tags),
                    "persona" => Cell::text(a.persona.clone()),
                    "profile_url" => Cell::text(a.profile_url.clone().unwrap_or_default()),
                    _ => Cell::Empty,
                })
                .chain(fields.iter().map(|f| names.custom(f, a.custom.get(&f.key))))
                .collect()
        })
        .collect();
    Table {
        sheet: lang.pick("账号矩阵", "Accounts").into(),
        columns,
        rows,
    }
}

/// The campaigns, one row each: period, status, budget and its split by tier, hashtags,
/// embargo, target KPIs, then the custom fields.
pub fn campaigns_table(campaigns: &[Campaign], fields: &[CustomField], names: &Names<'_>) -> Table {
    let lang = names.lang;
    let mut columns = vec![
        col(lang.pick("名称", "Name"), 24.0),
        col(lang.pick("主题", "Theme"), 30.0),
        col(lang.pick("状态", "Status"), 10.0),
        col(lang.pick("开始日期", "Starts"), 12.0),
        col(lang.pick("结束日期", "Ends"), 12.0),
        col(lang.pick("总预算（元）", "Budget (yuan)"), 16.0),
    ];
    columns.extend(Tier::ALL.iter().map(|t| {
        col(
            match lang {
                Lang::Zh => format!("{} 预算（元）", t.as_str()),
                Lang::En => format!("{} budget (yuan)", t.as_str()),
            },
            16.0,
        )
    }));
    columns.extend([
        col(lang.pick("币种", "Currency"), 8.0),
        col(lang.pick("必带话题", "Required hashtags"), 26.0),
        col(lang.pick("解禁时间", "Embargo"), 18.0),
        col(lang.pick("目标 KPI", "Target KPIs"), 30.0),
    ]);
    columns.extend(custom_columns(fields));
    let rows = campaigns
        .iter()
        .map(|c| {
            let mut row = vec![
                Cell::text(c.name.clone()),
                Cell::text(c.theme.clone()),
                Cell::text(campaign_status_label(c.status, lang)),
                Cell::Date(c.starts_on),
                Cell::Date(c.ends_on),
                Cell::Money(c.budget_fen.0),
            ];
            row.extend(Tier::ALL.iter().map(|t| {
                c.budget_by_tier
                    .get(t)
                    .map_or(Cell::Empty, |f| Cell::Money(f.0))
            }));
            let tags: Vec<String> = c
                .required_hashtags
                .iter()
                .map(|h| format!("#{}", h.as_str()))
                .collect();
            row.extend([
                Cell::text(c.currency.clone()),
                names.list(&tags),
                names.time(c.embargo_at),
                Cell::text(c.target_kpis.clone()),
            ]);
            row.extend(fields.iter().map(|f| names.custom(f, c.custom.get(&f.key))));
            row
        })
        .collect();
    Table {
        sheet: lang.pick("营销战役", "Campaigns").into(),
        columns,
        rows,
    }
}

/// The board's cards column by column (in board order), under the workspace's column names.
pub fn board_table(
    columns: &[BoardColumn],
    campaigns: &std::collections::BTreeMap<i64, String>,
    fields: &[CustomField],
    names: &Names<'_>,
) -> Result<Table, serde_json::Error> {
    let lang = names.lang;
    let mut header = vec![
        col(lang.pick("阶段", "Stage"), 10.0),
        col(lang.pick("标题", "Title"), 36.0),
        col(lang.pick("账号", "Account"), 22.0),
        col(lang.pick("平台", "Platform"), 10.0),
        col(lang.pick("层级", "Tier"), 8.0),
        col(lang.pick("营销战役", "Campaign"), 20.0),
        col(lang.pick("负责人", "Assignee"), 12.0),
        col(lang.pick("截止日期", "Due"), 12.0),
        col(lang.pick("计划发布", "Planned"), 18.0),
        col(lang.pick("发布时间", "Published"), 18.0),
        col(lang.pick("审核", "Review"), 10.0),
        col(lang.pick("逾期", "Overdue"), 8.0),
        col(lang.pick("红线命中", "Red-line hits"), 10.0),
        col(lang.pick("其他提醒", "Warnings"), 10.0),
        col(lang.pick("评论", "Comments"), 8.0),
        col(lang.pick("标签", "Tags"), 20.0),
    ];
    header.extend(custom_columns(fields));
    let mut rows = Vec::new();
    for column in columns {
        let stage = if lang == Lang::En && column.name == column.stage.default_name() {
            column.stage.default_name_en().to_owned()
        } else {
            column.name.clone()
        };
        for card in column.items.to_vec()? {
            let mut row = vec![
                Cell::text(stage.clone()),
                Cell::text(card.title.clone()),
                Cell::text(
                    card.account_handle
                        .clone()
                        .map(|h| format!("@{h}"))
                        .unwrap_or_default(),
                ),
                Cell::text(
                    card.platform
                        .as_deref()
                        .map(|p| names.platform(p))
                        .unwrap_or_default(),
                ),
                Cell::text(card.tier.map(tier_label).unwrap_or_default()),
                Cell::text(
                    card.campaign_id
                        .and_then(|c| campaigns.get(&c).cloned())
                        .unwrap_or_default(),
                ),
                Cell::text(
                    card.assignee_id
                        .map(|a| names.person(a))
                        .unwrap_or_default(),
                ),
                card.due_on.map_or(Cell::Empty, Cell::Date),
                names.time(card.planned_at),
                names.time(card.published_at),
                Cell::text(review_label(card.review_state, lang)),
                Cell::text(if card.overdue {
                    lang.pick("是", "yes")
                } else {
                    ""
                }),
                Cell::Int(card.red_line_hits),
                Cell::Int(card.warnings),
                Cell::Int(card.comments),
                names.list(&card.tags),
            ];
            row.extend(
                fields
                    .iter()
                    .map(|f| names.custom(f, card.custom.get(&f.key))),
            );
            rows.push(row);
        }
    }
    Ok(Table {
        sheet: lang.pick("内容看板", "Board").into(),
        columns: header,
        rows,
    })
}

/// The audit log's actions as a spreadsheet names them (the UI's own translations name them
/// the same way); an action not listed is written as its code.
const ACTIONS: &[(&str, &str, &str)] = &[
    ("account.archived", "归档账号", "Archived account"),
    ("account.created", "创建账号", "Created account"),
    ("account.restored", "恢复账号", "Restored account"),
    ("account.updated", "修改账号", "Updated account"),
    ("auth.login", "登录", "Signed in"),
    ("auth.login_failed", "登录失败", "Failed sign-in"),
    ("auth.logout", "退出登录", "Signed out"),
    ("campaign.created", "创建战役", "Created campaign"),
    ("campaign.updated", "修改战役", "Updated campaign"),
    ("content.approved", "审核通过", "Approved"),
    ("content.commented", "评论", "Commented"),
    ("content.created", "创建内容", "Created content"),
    ("content.deleted", "删除内容", "Deleted content"),
    ("content.moved", "移动", "Moved"),
    ("content.overridden", "强制通过", "Approved anyway"),
    ("content.published", "登记发布", "Recorded the post"),
    ("content.rejected", "驳回", "Rejected"),
    ("content.retro", "完成复盘", "Finished the retro"),
    (
        "content.settings_updated",
        "修改看板与审核设置",
        "Changed board and review settings",
    ),
    ("content.submitted", "提交审核", "Submitted for review"),
    ("content.updated", "修改内容", "Edited content"),
    ("content.withdrawn", "撤回审核", "Withdrew review"),
    (
        "custom_field.created",
        "创建自定义字段",
        "Created custom field",
    ),
    (
        "custom_field.deleted",
        "删除自定义字段",
        "Deleted custom field",
    ),
    (
        "custom_field.updated",
        "修改自定义字段",
        "Updated custom field",
    ),
    ("invitation.created", "发出邀请", "Invited"),
    ("invitation.declined", "拒绝邀请", "Declined invitation"),
    ("invitation.revoked", "撤回邀请", "Revoked invitation"),
    ("member.added", "添加成员", "Added member"),
    ("member.group_changed", "变更小组", "Changed group"),
    ("member.joined", "接受邀请加入", "Joined by invitation"),
    ("member.removed", "移除成员", "Removed member"),
    ("member.role_changed", "变更角色", "Changed role"),
    ("platform.created", "添加平台", "Added platform"),
    ("platform.updated", "修改平台", "Updated platform"),
    ("red_line.created", "添加红线词", "Added a red line"),
    ("red_line.deleted", "删除红线词", "Deleted a red line"),
    ("red_line.updated", "修改红线词", "Edited a red line"),
    ("session.revoked", "注销会话", "Revoked session"),
    ("token.created", "创建 API 令牌", "Created API token"),
    ("token.revoked", "吊销 API 令牌", "Revoked API token"),
    ("user.password_changed", "修改密码", "Changed password"),
    ("user.profile_updated", "修改个人资料", "Updated profile"),
    ("workspace.created", "创建工作区", "Created workspace"),
    ("workspace.updated", "修改工作区", "Updated workspace"),
];

/// The kinds of record an event is about, as the audit log names them before the record's
/// own name (内容《…》, 平台 小红书).
const ENTITIES: &[(&str, &str, &str)] = &[
    ("account", "账号", "Account"),
    ("api_token", "API 令牌", "API token"),
    ("campaign", "战役", "Campaign"),
    ("content_item", "内容", "Content"),
    ("custom_field", "自定义字段", "Custom field"),
    ("import", "导入", "Import"),
    ("invitation", "邀请", "Invitation"),
    ("member", "成员", "Member"),
    ("platform", "平台", "Platform"),
    ("red_line", "红线词", "Red line"),
    ("session", "会话", "Session"),
    ("user", "用户", "User"),
    ("workspace", "工作区", "Workspace"),
];

fn label_in(
    table: &[(&str, &'static str, &'static str)],
    code: &str,
    lang: Lang,
) -> Option<&'static str> {
    table
        .iter()
        .find(|(c, ..)| *c == code)
        .map(|(_, zh, en)| lang.pick(zh, en))
}

/// An audit action in words (`content.approved` → 审核通过).
pub fn action_label(action: &str, lang: Lang) -> String {
    label_in(ACTIONS, action, lang).map_or_else(|| action.to_owned(), str::to_owned)
}

/// The object of an event in words: its kind and name, a content item's title in 《》
/// (内容《春季新品测评》, 平台 小红书, Content “…”), or its kind and id when it has no name.
pub fn object_label(e: &Event, lang: Lang) -> String {
    let kind = label_in(ENTITIES, &e.entity_type, lang).unwrap_or(e.entity_type.as_str());
    match (&e.entity_name, e.entity_id) {
        (Some(n), _) if e.entity_type == "content_item" => match lang {
            Lang::Zh => format!("{kind}《{n}》"),
            Lang::En => format!("{kind} “{n}”"),
        },
        (Some(n), _) => format!("{kind} {n}"),
        (None, Some(id)) => format!("{kind} #{id}"),
        (None, None) => kind.to_owned(),
    }
}

/// The audit log: time, person, action, object and the fields that changed, each as
/// `field: before → after`.
pub fn events_table(events: &[Event], names: &Names<'_>) -> Table {
    let lang = names.lang;
    let columns = vec![
        col(lang.pick("时间", "Time"), 18.0),
        col(lang.pick("操作人", "Actor"), 12.0),
        col(lang.pick("操作", "Action"), 18.0),
        col(lang.pick("对象", "Object"), 28.0),
        col(lang.pick("变更", "Changes"), 60.0),
        col(lang.pick("IP 地址", "IP address"), 16.0),
    ];
    let rows = events
        .iter()
        .map(|e| {
            vec![
                Cell::Time((names.local)(e.created_at)),
                Cell::text(
                    e.actor_name
                        .clone()
                        .unwrap_or_else(|| lang.pick("系统", "System").into()),
                ),
                Cell::text(action_label(&e.action, lang)),
                Cell::text(object_label(e, lang)),
                Cell::text(
                    changes(e.before.as_ref(), e.after.as_ref())
                        .into_iter()
                        .map(|(k, b, a)| format!("{k}: {b} → {a}"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                Cell::text(e.ip.clone().unwrap_or_default()),
            ]
        })
        .collect();
    Table {
        sheet: lang.pick("审计日志", "Audit log").into(),
        columns,
        rows,
    }
}

/// The fields whose values differ between an event's before and after, with both values as
/// short text (`—` for none); bookkeeping fields (version, times of the write) are left out.
pub fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<(String, String, String)> {
    let empty = serde_json::Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| {
            !matches!(
                k.as_str(),
                "version" | "field_versions" | "updated_at" | "created_at"
            )
        })
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| (k.clone(), short(b.get(k)), short(a.get(k))))
        .collect()
}

fn short(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "—".into(),
        Some(Value::String(s)) if s.is_empty() => "—".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

// Case tables spell out their row type inline, which is the point of a table.
/// What a row's import issue says in Chinese, by its code (the message is the API's English).
fn issue_zh(code: &str) -> Option<&'static str> {
    Some(match code {
        "validation.required" => "必填，不能为空",
        "validation.too_long" => "内容过长",
        "validation.format" => "格式不对",
        "validation.url" => "不是有效的链接",
        "imports.not_a_count" => "不是数量（如 3456、1.2万、10w+）",
        "imports.negative" => "不能为负数",
        "imports.not_a_rate" => "不是比率（如 11.14% 或 0.166）",
        "imports.not_a_duration" => "不是时长（如 32.50秒）",
        "imports.not_a_date" => "不是日期（如 2026-11-03 或 2026年11月3日 20:15）",
        "imports.not_money" => "不是金额（如 ¥3,000.50）",
        "imports.mixed_date_forms" => "这一列的日期写法不一致",
        "imports.duplicate_row" => "与前面的行重复",
        "imports.unknown_account" => "找不到这个账号",
        "imports.account_required" => "KOX 不认识这篇作品：请在上传时选择账号，或映射账号列",
        "imports.ambiguous_post" => "有多篇作品都可能是它：请在预览中选择",
        "imports.unknown_campaign" => "找不到这个战役",
        "metrics.unknown_post" => "找不到这篇作品",
        "accounts.unknown_platform" => "没有这个平台",
        "imports.unknown_tier" => "层级应为 KOL、KOC、KOE 或 KOS",
        "imports.unknown_member" => "找不到这位成员",
        "imports.unknown_ownership" => "归属类型不对",
        "imports.unknown_status" => "状态不对",
        "imports.not_owner" => "你不是这个账号的负责人",
        _ => return None,
    })
}

/// The rows of an import that have issues, as the file had them, with a last column saying
/// what is wrong (column letter, header, reason, the cell): fix them and import the file
/// again.
pub fn import_errors_table(
    headers: &[String],
    rows: &[(u32, Vec<String>, Vec<crate::imports::ImportIssue>)],
    lang: Lang,
) -> Table {
    let mut columns = vec![col(lang.pick("行号", "Row"), 8.0)];
    columns.extend(headers.iter().map(|h| col(h.clone(), 16.0)));
    columns.push(col(lang.pick("错误", "Errors"), 60.0));
    let rows = rows
        .iter()
        .map(|(number, cells, issues)| {
            let mut out = vec![Cell::Int(i64::from(*number))];
            out.extend(
                (0..headers.len()).map(|i| Cell::text(cells.get(i).cloned().unwrap_or_default())),
            );
            let why = issues
                .iter()
                .map(|i| {
                    let place = match (&i.column_letter, &i.header) {
                        (Some(l), Some(h)) => match lang {
                            Lang::Zh => format!("{l} 列（{h}）"),
                            Lang::En => format!("column {l} ({h})"),
                        },
                        _ => i.field.clone(),
                    };
                    let reason = match lang {
                        Lang::Zh => {
                            issue_zh(&i.code).map_or_else(|| i.message.clone(), str::to_owned)
                        }
                        Lang::En => i.message.clone(),
                    };
                    if i.value.is_empty() {
                        format!("{place}：{reason}")
                    } else {
                        format!("{place}：{reason}（“{}”）", i.value)
                    }
                })
                .collect::<Vec<_>>()
                .join("；");
            out.push(Cell::text(why));
            out
        })
        .collect();
    Table {
        sheet: lang.pick("错误行", "Rows with errors").to_owned(),
        columns,
        rows,
    }
}

#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;
    use crate::imports::sheet;

    fn platforms() -> HashMap<String, String> {
        [("xiaohongshu".to_owned(), "小红书".to_owned())]
            .into_iter()
            .collect()
    }

    fn people() -> HashMap<i64, String> {
        [(7, "王芳".to_owned()), (8, "李强".to_owned())]
            .into_iter()
            .collect()
    }

    fn local(t: DateTime<Utc>) -> NaiveDateTime {
        (t + chrono::Duration::hours(8)).naive_utc()
    }

    fn account() -> Account {
        Account {
            id: crate::AccountId(1),
            tier: Tier::Koc,
            platform: "xiaohongshu".into(),
            handle: "xinghe_lily".into(),
            display_name: "莉莉爱开车".into(),
            profile_url: None,
            persona: "=1+1 新手妈妈".into(),
            ownership: Ownership::Partner,
            status: AccountStatus::Active,
            followers: 12_500,
            tags: vec!["亲子".into(), "城市通勤".into()],
            owner_ids: vec![crate::UserId(7), crate::UserId(8)],
            custom: serde_json::Map::new(),
            version: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn an_exported_account_reads_back_through_the_import_with_the_same_values() {
        let (p, u) = (platforms(), people());
        let names = Names {
            lang: Lang::Zh,
            platforms: &p,
            people: &u,
            local: &local,
        };
        let bytes = to_xlsx(&accounts_table(&[account()], &[], &names)).expect("written");
        let read = sheet::read("账号.xlsx", &bytes).expect("read back");
        let headers: Vec<&str> = read.headers.iter().map(String::as_str).collect();
        assert_eq!(&headers[..4], ["层级", "平台", "账号 ID", "昵称"]);
        let row = &read.rows[0];
        let cell = |h: &str| {
            row.cell(headers.iter().position(|x| *x == h).expect(h))
                .to_owned()
        };
        assert_eq!(cell("层级"), "KOC");
        assert_eq!(cell("平台"), "小红书");
        assert_eq!(cell("粉丝数"), "12500");
        assert_eq!(cell("归属类型"), "合作方");
        assert_eq!(cell("负责人"), "王芳、李强");
        assert_eq!(cell("状态"), "活跃");
        assert_eq!(cell("标签"), "亲子、城市通勤");
        // Text that looks like a formula stays text.
        assert_eq!(cell("人设定位"), "=1+1 新手妈妈");
    }

    #[test]
    fn dates_excel_cannot_hold_are_written_as_text() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let table = Table {
            sheet: "战役".into(),
            columns: vec![col("开始", 12.0), col("结束", 12.0)],
            rows: vec![
                vec![Cell::Date(d(26, 12, 1)), Cell::Date(d(2026, 12, 31))],
                vec![
                    Cell::Time(d(12026, 1, 1).and_hms_opt(8, 0, 0).unwrap()),
                    Cell::Empty,
                ],
            ],
        };
        let bytes = to_xlsx(&table).expect("a workbook, not an error");
        let read = sheet::read("战役.xlsx", &bytes).expect("read back");
        assert_eq!(read.rows[0].cell(0), "0026-12-01");
        assert_eq!(read.rows[1].cell(0), "+12026-01-01 08:00");
    }

    #[test]
    fn english_exports_use_english_headers_and_labels() {
        let (p, u) = (platforms(), people());
        let names = Names {
            lang: Lang::En,
            platforms: &p,
            people: &u,
            local: &local,
        };
        let t = accounts_table(&[account()], &[], &names);
        assert_eq!(t.columns[0].header, "Tier");
        assert_eq!(t.sheet, "Accounts");
        assert!(t.rows[0].contains(&Cell::text("Partner")));
        assert!(t.rows[0].contains(&Cell::text("王芳, 李强")));
    }

    #[test]
    fn changes_list_only_fields_that_differ_and_skip_bookkeeping() {
        let cases: &[(Value, Value, &[(&str, &str, &str)])] = &[
            (
                serde_json::json!({"title": "旧", "version": 1, "body": "同"}),
                serde_json::json!({"title": "新", "version": 2, "body": "同"}),
                &[("title", "旧", "新")],
            ),
            (
                serde_json::json!({}),
                serde_json::json!({"name": "小红书"}),
                &[("name", "—", "小红书")],
            ),
            (
                serde_json::json!({"followers": 10}),
                serde_json::json!({"followers": null}),
                &[("followers", "10", "—")],
            ),
            (
                serde_json::json!({"tags": ["a"]}),
                serde_json::json!({"tags": ["a"]}),
                &[],
            ),
        ];
        for (b, a, want) in cases {
            let got = changes(Some(b), Some(a));
            let want: Vec<(String, String, String)> = want
                .iter()
                .map(|(k, x, y)| ((*k).into(), (*x).into(), (*y).into()))
                .collect();
            assert_eq!(got, want, "{b} → {a}");
        }
    }

    #[test]
    fn an_event_names_its_object_by_kind_and_name() {
        let event = |ty: &str, id: Option<i64>, name: Option<&str>| Event {
            id: 1,
            actor_id: None,
            actor_name: None,
            entity_type: ty.into(),
            entity_id: id,
            entity_name: name.map(Into::into),
            action: "x.updated".into(),
            before: None,
            after: None,
            ip: None,
            created_at: Utc::now(),
        };
        let cases: &[(Event, Lang, &str)] = &[
            (
                event("content_item", Some(3), Some("星河S7 冬季续航实测")),
                Lang::Zh,
                "内容《星河S7 冬季续航实测》",
            ),
            (
                event("content_item", Some(3), Some("Winter range")),
                Lang::En,
                "Content “Winter range”",
            ),
            (
                event("platform", None, Some("小红书")),
                Lang::Zh,
                "平台 小红书",
            ),
            (
                event("account", Some(9), Some("@xinghe_lily")),
                Lang::Zh,
                "账号 @xinghe_lily",
            ),
            (event("red_line", Some(4), None), Lang::Zh, "红线词 #4"),
            (
                event("something_new", None, None),
                Lang::En,
                "something_new",
            ),
        ];
        for (e, lang, want) in cases {
            assert_eq!(object_label(e, *lang), *want);
        }
        assert_eq!(action_label("content.approved", Lang::Zh), "审核通过");
        assert_eq!(action_label("content.approved", Lang::En), "Approved");
        assert_eq!(action_label("future.thing", Lang::Zh), "future.thing");
        assert!(
            ACTIONS.windows(2).all(|w| w[0].0 < w[1].0),
            "ACTIONS sorted, unique"
        );
    }

    #[test]
    fn an_overlong_cell_is_cut_to_what_excel_keeps() {
        let long = "字".repeat(CELL_MAX + 10);
        assert_eq!(fit(&long).chars().count(), CELL_MAX);
        assert_eq!(fit("短"), "短");
    }
}
