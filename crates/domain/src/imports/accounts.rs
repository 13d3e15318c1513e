//! Accounts from a spreadsheet: the columns an account import knows, how a header is matched
//! to them, and how one row becomes a new account or an edit of the account with the same
//! platform and handle.
//!
//! A row of a new account needs 层级, 平台 and 账号 ID; 昵称 defaults to the handle and 归属类型
//! to the tier's usual one (KOL 付费合作, KOC 合作方, KOE/KOS 员工授权). For an account that exists,
//! only the mapped cells that hold something are written: an empty cell changes nothing.
//! Owners are members matched by e-mail or by name.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::{
    Column, ImportIssue, Mapping, SheetRow, header_key, parse_bool, parse_count, parse_date,
    parse_number, split_list,
};
use crate::UserId;
use crate::accounts::{Account, AccountDraft, AccountPatch, AccountStatus, Ownership, Tier};
use crate::custom_fields::{CustomField, FieldKind, validate_values};
use crate::members::{Member, Platform};
use crate::validation::{self, FieldError};

/// The built-in columns in the order an export writes them.
pub const COLUMNS: &[Column] = &[
    Column {
        field: "tier",
        zh: "层级",
        en: "Tier",
        also: &["账号层级", "账号类型", "类型", "分级", "kox"],
        required: true,
    },
    Column {
        field: "platform",
        zh: "平台",
        en: "Platform",
        also: &["渠道", "所属平台"],
        required: true,
    },
    Column {
        field: "handle",
        zh: "账号 ID",
        en: "Handle",
        also: &[
            "账号",
            "账号id",
            "id",
            "平台id",
            "用户id",
            "uid",
            "小红书号",
            "抖音号",
            "微博id",
            "b站id",
            "视频号id",
        ],
        required: true,
    },
    Column {
        field: "display_name",
        zh: "昵称",
        en: "Display name",
        also: &[
            "账号名称",
            "账号昵称",
            "达人昵称",
            "博主昵称",
            "名称",
            "name",
            "nickname",
        ],
        required: false,
    },
    Column {
        field: "followers",
        zh: "粉丝数",
        en: "Followers",
        also: &["粉丝", "粉丝量", "粉丝数量", "粉丝总数", "fans"],
        required: false,
    },
    Column {
        field: "ownership",
        zh: "归属类型",
        en: "Ownership",
        also: &["归属", "合作方式", "合作类型"],
        required: false,
    },
    Column {
        field: "owner_ids",
        zh: "负责人",
        en: "Owners",
        also: &["运营", "运营负责人", "对接人", "负责运营", "owner"],
        required: false,
    },
    Column {
        field: "status",
        zh: "状态",
        en: "Status",
        also: &["账号状态"],
        required: false,
    },
    Column {
        field: "tags",
        zh: "标签",
        en: "Tags",
        also: &["内容标签", "账号标签", "tag"],
        required: false,
    },
    Column {
        field: "persona",
        zh: "人设定位",
        en: "Persona",
        also: &["人设", "定位", "账号定位", "简介"],
        required: false,
    },
    Column {
        field: "profile_url",
        zh: "主页链接",
        en: "Profile URL",
        also: &["主页", "主页地址", "链接", "url", "profileurl"],
        required: false,
    },
];

/// A field an account import can fill, as the mapping step shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImportField {
    /// `tier`, `handle`, …, or `custom.<key>`.
    pub field: String,
    /// Needed to create an account.
    pub required: bool,
    /// A custom field's label (built-in fields are named by the UI).
    pub label: Option<String>,
}

/// The fields of an account import: the built-in columns, then the workspace's account fields.
pub fn fields(custom: &[CustomField]) -> Vec<ImportField> {
    COLUMNS
        .iter()
        .map(|c| ImportField {
            field: c.field.to_owned(),
            required: c.required,
            label: None,
        })
        .chain(custom.iter().map(|f| ImportField {
            field: format!("custom.{}", f.key),
            required: f.required,
            label: Some(f.label.clone()),
        }))
        .collect()
}

/// Which column each field probably is, from the headers: a header equal to a field's Chinese
/// or English name, one of its other names, or a custom field's label or key. Each column is
/// used once, by the first field that claims it.
pub fn suggest_mapping(headers: &[String], custom: &[CustomField]) -> Mapping {
    let mut names: Vec<(String, Vec<String>)> = COLUMNS.iter().map(Column::names).collect();
    names.extend(custom.iter().map(|f| {
        (
            format!("custom.{}", f.key),
            vec![header_key(&f.label), header_key(&f.key)],
        )
    }));
    super::suggest(headers, &names)
}

/// Checks a mapping against the sheet and the fields: every field known, every column present,
/// no column used twice, and the fields a new account needs are mapped.
pub fn check_mapping(
    mapping: &Mapping,
    headers: &[String],
    custom: &[CustomField],
) -> Result<(), FieldError> {
    let known = fields(custom);
    super::check_columns(mapping, headers, |f| known.iter().any(|k| k.field == f))?;
    for f in ["platform", "handle"] {
        if !mapping.contains_key(f) {
            return Err(FieldError::new(
                format!("mapping.{f}"),
                "imports.field_required",
                format!("map a column to {f}: accounts are matched on platform and handle"),
            ));
        }
    }
    Ok(())
}

/// What the import reads against: the workspace's platforms, members and account fields.
pub struct Context<'a> {
    pub platforms: &'a [Platform],
    pub members: &'a [Member],
    pub fields: &'a [CustomField],
}

/// The values of one row, `None` where the column is not mapped or the cell is empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Values {
    pub tier: Option<Tier>,
    pub platform: Option<String>,
    pub handle: Option<String>,
    pub display_name: Option<String>,
    pub profile_url: Option<String>,
    pub persona: Option<String>,
    pub ownership: Option<Ownership>,
    pub status: Option<AccountStatus>,
    pub followers: Option<i64>,
    pub tags: Option<Vec<String>>,
    pub owner_ids: Option<Vec<UserId>>,
    pub custom: Map<String, Value>,
}

impl Values {
    /// The account this row is: platform code and handle key (`validation::handle_key`).
    pub fn key(&self) -> Option<(String, String)> {
        Some((
            self.platform.clone()?,
            validation::handle_key(self.handle.as_deref()?),
        ))
    }
}

fn one_of<T: Copy>(raw: &str, options: &[(T, &[&str])]) -> Option<T> {
    let k = header_key(raw);
    options
        .iter()
        .find(|(_, names)| names.iter().any(|n| header_key(n) == k))
        .map(|(v, _)| *v)
}

fn tier(raw: &str) -> Result<Tier, FieldError> {
    Tier::parse(raw.trim())
        .or_else(|| {
            one_of(
                raw,
                &[
                    (Tier::Kol, &["关键意见领袖", "达人", "key opinion leader"]),
                    (
                        Tier::Koc,
                        &["关键意见消费者", "素人", "key opinion consumer"],
                    ),
                    (Tier::Koe, &["关键意见员工", "员工", "key opinion employee"]),
                    (Tier::Kos, &["关键意见销售", "销售", "key opinion sales"]),
                ],
            )
        })
        .ok_or_else(|| {
            FieldError::new(
                "",
                "imports.unknown_tier",
                "the tier must be KOL, KOC, KOE or KOS",
            )
        })
}

fn ownership(raw: &str) -> Result<Ownership, FieldError> {
    Ownership::parse(raw.trim())
        .or_else(|| {
            one_of(
                raw,
                &[
                    (
                        Ownership::BrandOwned,
                        &["品牌自有", "自有", "官方", "brand-owned", "brand owned"],
                    ),
                    (
                        Ownership::EmployeeAuthorized,
                        &[
                            "员工授权",
                            "员工",
                            "授权",
                            "employee-authorized",
                            "employee authorized",
                        ],
                    ),
                    (Ownership::Partner, &["合作方", "合作", "置换", "partner"]),
                    (
                        Ownership::Paid,
                        &["付费合作", "付费", "投放", "商单", "paid"],
                    ),
                ],
            )
        })
        .ok_or_else(|| {
            FieldError::new(
                "",
                "imports.unknown_ownership",
                "ownership must be 品牌自有, 员工授权, 合作方 or 付费合作",
            )
        })
}

fn status(raw: &str) -> Result<AccountStatus, FieldError> {
    AccountStatus::parse(raw.trim())
        .or_else(|| {
            one_of(
                raw,
                &[
                    (AccountStatus::Active, &["活跃", "正常", "启用", "在用"]),
                    (AccountStatus::Paused, &["暂停", "停用", "暂停合作"]),
                    (AccountStatus::Archived, &["已归档", "归档"]),
                ],
            )
        })
        .ok_or_else(|| {
            FieldError::new(
                "",
                "imports.unknown_status",
                "the status must be 活跃, 暂停 or 已归档",
            )
        })
}

/// Other names people give the default platforms.
const PLATFORM_ALIASES: &[(&str, &[&str])] = &[
    ("xiaohongshu", &["红书", "xhs", "rednote", "red"]),
    ("douyin", &["dy", "tiktok", "抖音号"]),
    ("weibo", &["wb", "新浪微博"]),
    ("bilibili", &["b站", "哔哩哔哩", "bili", "bilibili"]),
    ("wechat_channels", &["微信视频号", "channels", "视频号"]),
    ("kuaishou", &["ks"]),
];

fn platform(ctx: &Context<'_>, raw: &str) -> Result<String, FieldError> {
    let k = header_key(raw);
    let found = ctx
        .platforms
        .iter()
        .find(|p| header_key(&p.code) == k || header_key(&p.name) == k)
        .or_else(|| {
            let code = PLATFORM_ALIASES
                .iter()
                .find(|(_, names)| names.iter().any(|n| header_key(n) == k))?
                .0;
            ctx.platforms.iter().find(|p| p.code == code)
        });
    match found {
        Some(p) if p.active => Ok(p.code.clone()),
        Some(p) => Err(FieldError::new(
            "",
            "accounts.unknown_platform",
            format!("the platform {} is switched off in this workspace", p.name),
        )),
        None => Err(FieldError::new(
            "",
            "accounts.unknown_platform",
            format!("\"{}\" is not a platform of this workspace", raw.trim()),
        )),
    }
}

/// A member by e-mail (any case) or by name; a name two members share must be an e-mail.
fn member(ctx: &Context<'_>, raw: &str) -> Result<UserId, FieldError> {
    let s = raw.trim().trim_start_matches('@');
    if let Some(m) = ctx.members.iter().find(|m| m.email.eq_ignore_ascii_case(s)) {
        return Ok(m.user_id);
    }
    let named: Vec<&Member> = ctx.members.iter().filter(|m| m.name.trim() == s).collect();
    match named.as_slice() {
        [m] => Ok(m.user_id),
        [] => Err(FieldError::new(
            "",
            "imports.unknown_member",
            format!("no member is called or has the e-mail \"{s}\""),
        )),
        _ => Err(FieldError::new(
            "",
            "imports.ambiguous_member",
            format!(
                "{} members are called \"{s}\"; write the e-mail instead",
                named.len()
            ),
        )),
    }
}

fn custom_value(ctx: &Context<'_>, f: &CustomField, raw: &str) -> Result<Value, FieldError> {
    let wrong =
        |what: &str| FieldError::new("", "custom_fields.wrong_type", format!("expected {what}"));
    Ok(match f.kind {
        FieldKind::Text | FieldKind::Url | FieldKind::Select => Value::String(raw.to_owned()),
        FieldKind::Number => parse_number(raw)
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| wrong("a number"))?,
        FieldKind::MultiSelect => Value::from(split_list(raw)),
        FieldKind::Date => {
            Value::String(parse_date(raw).ok_or_else(|| wrong("a date such as 2026-01-05"))?)
        }
        FieldKind::Person => Value::from(member(ctx, raw)?.0),
        FieldKind::Checkbox => Value::Bool(parse_bool(raw).ok_or_else(|| wrong("是 or 否"))?),
    })
}

/// Reads one row's mapped cells, or every cell that could not be read.
pub fn read_row(
    ctx: &Context<'_>,
    headers: &[String],
    mapping: &Mapping,
    row: &SheetRow,
) -> Result<Values, Vec<ImportIssue>> {
    let mut v = Values::default();
    let mut issues = Vec::new();
    for (field, col) in mapping {
        let raw = row.cell(*col).trim();
        if raw.is_empty() || raw == "-" || raw == "—" {
            continue;
        }
        let read: Result<(), FieldError> = (|| {
            match field.as_str() {
                "tier" => v.tier = Some(tier(raw)?),
                "platform" => v.platform = Some(platform(ctx, raw)?),
                "handle" => {
                    v.handle = Some(validation::handle(
                        "handle",
                        raw.trim_start_matches('@'),
                        100,
                    )?);
                }
                "display_name" => v.display_name = Some(raw.to_owned()),
                "profile_url" => v.profile_url = Some(raw.to_owned()),
                "persona" => v.persona = Some(raw.to_owned()),
                "ownership" => v.ownership = Some(ownership(raw)?),
                "status" => v.status = Some(status(raw)?),
                "followers" => {
                    v.followers = Some(parse_count(raw).ok_or_else(|| {
                        FieldError::new(
                            "",
                            "imports.not_a_count",
                            "followers must be a count such as 12000, 1.2万 or 8K",
                        )
                    })?);
                }
                "tags" => v.tags = Some(split_list(&raw.replace('#', "、"))),
                "owner_ids" => {
                    let mut ids = Vec::new();
                    for name in split_list(raw) {
                        ids.push(member(ctx, &name)?);
                    }
                    v.owner_ids = Some(ids);
                }
                other => {
                    let key = other.strip_prefix("custom.").unwrap_or(other);
                    let f = ctx.fields.iter().find(|f| f.key == key).ok_or_else(|| {
                        FieldError::new(
                            "",
                            "imports.unknown_field",
                            format!("there is no field \"{other}\""),
                        )
                    })?;
                    v.custom.insert(f.key.clone(), custom_value(ctx, f, raw)?);
                }
            }
            Ok(())
        })();
        if let Err(e) = read {
            issues.push(ImportIssue::at(row, headers, mapping, e, field));
        }
    }
    if issues.is_empty() {
        Ok(v)
    } else {
        issues.sort_by_key(|i| i.column);
        Err(issues)
    }
}

/// The target field a validation error is about (`tags.3` → `tags`, `custom.level` stays).
fn field_of(e: &FieldError) -> String {
    if e.field.starts_with("custom.") {
        return e.field.clone();
    }
    e.field.split('.').next().unwrap_or_default().to_owned()
}

/// A validation error of a row as an issue on the column it came from.
pub fn row_issue(
    row: &SheetRow,
    headers: &[String],
    mapping: &Mapping,
    e: FieldError,
) -> ImportIssue {
    let field = field_of(&e);
    ImportIssue::at(row, headers, mapping, e, &field)
}

/// The tier's usual ownership, for a new account whose row leaves it out.
pub fn default_ownership(tier: Tier) -> Ownership {
    match tier {
        Tier::Kol => Ownership::Paid,
        Tier::Koc => Ownership::Partner,
        Tier::Koe | Tier::Kos => Ownership::EmployeeAuthorized,
    }
}

/// The new account a row describes, validated (custom values included). `also_owner` is added
/// to the owners (an operator's import makes their new accounts theirs).
pub fn new_account(
    ctx: &Context<'_>,
    v: &Values,
    also_owner: Option<UserId>,
) -> Result<AccountDraft, FieldError> {
    let tier = v.tier.ok_or_else(|| {
        FieldError::new(
            "tier",
            "validation.required",
            "a new account needs its tier (KOL, KOC, KOE or KOS)",
        )
    })?;
    let handle = v.handle.clone().ok_or_else(|| {
        FieldError::new(
            "handle",
            "validation.required",
            "a new account needs its handle",
        )
    })?;
    let mut owner_ids = v.owner_ids.clone().unwrap_or_default();
    if let Some(u) = also_owner.filter(|u| !owner_ids.contains(u)) {
        owner_ids.push(u);
    }
    let d = AccountDraft {
        tier,
        platform: v.platform.clone().ok_or_else(|| {
            FieldError::new(
                "platform",
                "validation.required",
                "a new account needs its platform",
            )
        })?,
        display_name: v.display_name.clone().unwrap_or_else(|| handle.clone()),
        handle,
        profile_url: v.profile_url.clone(),
        persona: v.persona.clone().unwrap_or_default(),
        ownership: v.ownership.unwrap_or_else(|| default_ownership(tier)),
        status: v.status.unwrap_or_default(),
        followers: v.followers.unwrap_or(0),
        tags: v.tags.clone().unwrap_or_default(),
        owner_ids,
        custom: Map::new(),
    };
    let mut d = d.validate()?;
    let specs: Vec<_> = ctx.fields.iter().map(CustomField::spec).collect();
    d.custom = validate_values(&specs, &v.custom)?;
    Ok(d)
}

/// The edit a row makes to `existing`: the mapped, filled cells whose value differs. `None`
/// when the row changes nothing. The patch is based on `existing`'s version.
pub fn edit(existing: &Account, v: &Values) -> Option<AccountPatch> {
    fn differs<T: PartialEq + Clone>(new: Option<&T>, old: &T) -> Option<T> {
        new.filter(|n| *n != old).cloned()
    }
    let mut owners = v.owner_ids.clone();
    if let Some(o) = owners.as_mut() {
        o.sort();
        o.dedup();
    }
    let custom: Map<String, Value> = v
        .custom
        .iter()
        .filter(|(k, val)| existing.custom.get(*k) != Some(*val))
        .map(|(k, val)| (k.clone(), val.clone()))
        .collect();
    let p = AccountPatch {
        version: existing.version,
        tier: differs(v.tier.as_ref(), &existing.tier),
        platform: None,
        handle: None,
        display_name: differs(v.display_name.as_ref(), &existing.display_name),
        profile_url: v
            .profile_url
            .as_ref()
            .filter(|u| existing.profile_url.as_ref() != Some(*u))
            .map(|u| Some(u.clone())),
        persona: differs(v.persona.as_ref(), &existing.persona),
        ownership: differs(v.ownership.as_ref(), &existing.ownership),
        status: differs(v.status.as_ref(), &existing.status),
        followers: differs(v.followers.as_ref(), &existing.followers),
        tags: differs(v.tags.as_ref(), &existing.tags),
        owner_ids: differs(owners.as_ref(), &existing.owner_ids),
        custom: (!custom.is_empty()).then_some(custom),
    };
    (p != AccountPatch {
        version: existing.version,
        ..AccountPatch::default()
    })
    .then_some(p)
}

#[cfg(test)]
mod tests;
