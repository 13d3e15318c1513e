//! The data kinds besides post snapshots, as data: each kind's file columns, what each column
//! holds, its natural key and its table. Accounts' daily followers (follower growth), comments
//! (the 24 h reply rate), spend (paid posts and boosts, in fen), revenue and conversions per
//! campaign and day (ROI), and the brand keyword search index (the search lift).
//!
//! Rows are read into typed values here; the store finds what they refer to (account, post,
//! campaign), then compares and writes them through one path for every kind.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::Value;

use super::values;
use crate::imports::{Column, ImportIssue, ImportKind, Mapping, SheetRow};
use crate::validation::FieldError;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// A count (`1.2万`, `3,456`); never negative.
    Count,
    /// Money in fen (`¥3,000.50`, `1.2万`, `3000元`).
    Money,
    /// A number (an index value, a rate).
    Number,
    /// A day in the workspace's zone.
    Day,
    /// A point in time in the workspace's zone.
    Time,
    Text,
    /// Yes/no (`是`, `否`, `TRUE`).
    Yes,
    /// Names a record the store finds (account, post, campaign).
    Ref,
}

/// A kind: its file columns (field, names, cell), the columns its table is keyed on and the
/// ones it holds.
pub struct KindSpec {
    pub kind: ImportKind,
    pub table: &'static str,
    pub columns: &'static [(Column, Cell)],
    /// Key columns of the table, in order (filled by the store from refs and fields).
    pub keys: &'static [&'static str],
    /// Value columns of the table (each a field of the same name).
    pub values: &'static [&'static str],
    /// Fields a row cannot do without.
    pub required: &'static [&'static str],
}

const fn col(
    field: &'static str,
    zh: &'static str,
    en: &'static str,
    also: &'static [&'static str],
) -> Column {
    Column {
        field,
        zh,
        en,
        also,
        required: false,
    }
}

const ACCOUNT: (Column, Cell) = (
    col(
        "account",
        "账号",
        "Account",
        &["账号id", "账号名称", "主页链接", "handle", "博主", "达人"],
    ),
    Cell::Ref,
);
const DAY: (Column, Cell) = (
    col("day", "日期", "Day", &["统计日期", "数据日期", "date"]),
    Cell::Day,
);
const CAMPAIGN: (Column, Cell) = (
    col(
        "campaign",
        "战役",
        "Campaign",
        &["活动", "项目", "campaign id", "战役名称"],
    ),
    Cell::Ref,
);
const POST_ID: (Column, Cell) = (
    col(
        "post_id",
        "作品 ID",
        "Post ID",
        &["作品id", "笔记id", "视频id", "微博id"],
    ),
    Cell::Ref,
);
const POST_URL: (Column, Cell) = (
    col(
        "post_url",
        "作品链接",
        "Post URL",
        &["链接", "笔记链接", "视频链接"],
    ),
    Cell::Ref,
);

pub const ACCOUNT_METRICS: KindSpec = KindSpec {
    kind: ImportKind::AccountMetrics,
    table: "account_follower_snapshots",
    columns: &[
        ACCOUNT,
        DAY,
        (
            col(
                "followers",
                "粉丝数",
                "Followers",
                &["粉丝总数", "总粉丝数", "粉丝量"],
            ),
            Cell::Count,
        ),
        (
            col(
                "followers_gained",
                "新增粉丝",
                "Followers gained",
                &["涨粉", "涨粉数", "新增关注"],
            ),
            Cell::Count,
        ),
        (
            col(
                "unfollows",
                "取关",
                "Unfollows",
                &["取关数", "掉粉", "取消关注"],
            ),
            Cell::Count,
        ),
    ],
    keys: &["account_id", "day"],
    values: &["followers", "followers_gained", "unfollows"],
    required: &["day"],
};

pub const COMMENTS: KindSpec = KindSpec {
    kind: ImportKind::Comments,
    table: "post_comments",
    columns: &[
        (
            col("comment_id", "评论 ID", "Comment ID", &["评论id", "id"]),
            Cell::Text,
        ),
        POST_ID,
        POST_URL,
        ACCOUNT,
        (
            col(
                "author",
                "评论者",
                "Author",
                &["用户昵称", "评论人", "昵称"],
            ),
            Cell::Text,
        ),
        (
            col("text", "评论内容", "Text", &["内容", "评论"]),
            Cell::Text,
        ),
        (
            col(
                "created_at",
                "评论时间",
                "Created at",
                &["时间", "发布时间"],
            ),
            Cell::Time,
        ),
        (
            col("replied_at", "回复时间", "Replied at", &["首次回复时间"]),
            Cell::Time,
        ),
        (
            col(
                "replied_by",
                "回复人",
                "Replied by",
                &["回复者", "回复账号"],
            ),
            Cell::Text,
        ),
    ],
    keys: &["item_id", "comment_id"],
    values: &["author", "text", "created_at", "replied_at", "replied_by"],
    required: &["comment_id", "created_at"],
};

pub const SPEND: KindSpec = KindSpec {
    kind: ImportKind::Spend,
    table: "spend_entries",
    columns: &[
        CAMPAIGN,
        ACCOUNT,
        POST_ID,
        POST_URL,
        DAY,
        (
            col(
                "amount",
                "金额",
                "Amount",
                &["花费", "消耗", "费用", "投放金额", "合作费用"],
            ),
            Cell::Money,
        ),
        (
            col(
                "paid_boost",
                "投流",
                "Paid boost",
                &["是否投流", "加热", "薯条", "dou+"],
            ),
            Cell::Yes,
        ),
        (col("currency", "币种", "Currency", &[]), Cell::Text),
    ],
    keys: &["scope", "scope_id", "day", "paid_boost"],
    values: &["amount", "currency"],
    required: &["day", "amount"],
};

pub const REVENUE: KindSpec = KindSpec {
    kind: ImportKind::Revenue,
    table: "campaign_revenue",
    columns: &[
        CAMPAIGN,
        DAY,
        (
            col(
                "revenue",
                "收入",
                "Revenue",
                &["销售额", "gmv", "成交金额", "营收"],
            ),
            Cell::Money,
        ),
        (
            col(
                "conversions",
                "转化数",
                "Conversions",
                &["订单数", "转化", "留资数", "线索数"],
            ),
            Cell::Count,
        ),
    ],
    keys: &["campaign_id", "day"],
    values: &["revenue", "conversions"],
    required: &["campaign", "day"],
};

pub const SEARCH_INDEX: KindSpec = KindSpec {
    kind: ImportKind::SearchIndex,
    table: "search_index",
    columns: &[
        (
            col("keyword", "关键词", "Keyword", &["搜索词", "品牌词"]),
            Cell::Text,
        ),
        (col("platform", "平台", "Platform", &["渠道"]), Cell::Text),
        DAY,
        (
            col("value", "指数", "Value", &["搜索指数", "搜索量", "热度"]),
            Cell::Number,
        ),
    ],
    keys: &["keyword", "platform", "day"],
    values: &["value"],
    required: &["keyword", "platform", "day", "value"],
};

/// The spec of a kind (post snapshots and accounts have their own paths: `None`).
pub fn spec(kind: ImportKind) -> Option<&'static KindSpec> {
    match kind {
        ImportKind::AccountMetrics => Some(&ACCOUNT_METRICS),
        ImportKind::Comments => Some(&COMMENTS),
        ImportKind::Spend => Some(&SPEND),
        ImportKind::Revenue => Some(&REVENUE),
        ImportKind::SearchIndex => Some(&SEARCH_INDEX),
        ImportKind::Accounts | ImportKind::PostMetrics => None,
    }
}

impl KindSpec {
    pub fn suggest_mapping(&self, headers: &[String]) -> Mapping {
        let names: Vec<(String, Vec<String>)> =
            self.columns.iter().map(|(c, _)| c.names()).collect();
        crate::imports::suggest(headers, &names)
    }

    pub fn cell(&self, field: &str) -> Option<Cell> {
        self.columns
            .iter()
            .find(|(c, _)| c.field == field)
            .map(|(_, k)| *k)
    }

    /// Whether a file must have a column for `field` (a required field; an account may instead
    /// be chosen at upload).
    pub fn needs_column(&self, field: &str) -> bool {
        self.required.contains(&field) && field != "account"
    }

    /// The field a duplicate row is reported on: its day, or (comments) its id.
    pub fn duplicate_field(&self) -> &'static str {
        if self.keys.contains(&"day") {
            "day"
        } else {
            "comment_id"
        }
    }

    /// Known fields, columns in the sheet, each once, and the required fields mapped.
    pub fn check_mapping(&self, mapping: &Mapping, headers: &[String]) -> Result<(), FieldError> {
        crate::imports::check_columns(mapping, headers, |f| self.cell(f).is_some())?;
        for f in self.required {
            if !mapping.contains_key(*f) && self.needs_column(f) {
                return Err(FieldError::new(
                    format!("mapping.{f}"),
                    "imports.field_required",
                    format!("map a column to {f}"),
                ));
            }
        }
        Ok(())
    }
}

/// One row, read: each mapped field's value (`Value::Null` for a missing cell).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub fields: BTreeMap<String, Value>,
}

impl Row {
    pub fn text(&self, field: &str) -> Option<&str> {
        self.fields.get(field).and_then(Value::as_str)
    }
    pub fn day(&self, field: &str) -> Option<NaiveDate> {
        self.text(field).and_then(|s| s.parse().ok())
    }
}

/// Money as fen: `¥3,000.50` → 300050, `1.2万` → 1200000, `3000元` → 300000.
pub fn fen(raw: &str) -> Result<Option<i64>, FieldError> {
    if values::is_missing(raw) {
        return Ok(None);
    }
    let t = raw.trim();
    let s: String = t
        .trim_start_matches(['¥', '￥'])
        .trim_end_matches('元')
        .trim_end_matches("RMB")
        .trim()
        .to_owned();
    let bad = || {
        FieldError::new(
            "",
            "imports.not_money",
            format!("\"{t}\" is not an amount of money"),
        )
    };
    let (num, factor) = match s.char_indices().last() {
        Some((i, '万' | 'w' | 'W')) => (&s[..i], 10_000.0),
        Some((i, 'k' | 'K' | '千')) => (&s[..i], 1_000.0),
        _ => (s.as_str(), 1.0),
    };
    let clean: String = num
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' '))
        .collect();
    if clean.is_empty()
        || !clean
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return Err(bad());
    }
    let v: f64 = clean.parse().map_err(|_| bad())?;
    let fen = (v * factor * 100.0).round();
    if !fen.is_finite() || fen.abs() > 9.0e15 {
        return Err(bad());
    }
    if fen < 0.0 {
        return Err(FieldError::new(
            "",
            "imports.negative",
            format!("\"{t}\" is negative"),
        ));
    }
    Ok(Some(fen as i64))
}

/// Reads one row of a kind: each mapped cell in its type; every bad cell an issue on its
/// column; a required field left empty an issue too.
pub fn read_row(
    spec: &KindSpec,
    ctx: &super::posts::Context,
    headers: &[String],
    mapping: &Mapping,
    row: &SheetRow,
) -> Result<Row, Vec<ImportIssue>> {
    let mut out = Row::default();
    let mut issues = Vec::new();
    for (field, &col) in mapping {
        let raw = row.cell(col).trim();
        let Some(cell) = spec.cell(field) else {
            continue;
        };
        let read: Result<Value, FieldError> = (|| {
            if values::is_missing(raw) && !matches!(cell, Cell::Money | Cell::Count) {
                return Ok(Value::Null);
            }
            Ok(match cell {
                Cell::Count => values::count(raw)?.map_or(Value::Null, |c| c.value.into()),
                Cell::Money => fen(raw)?.map_or(Value::Null, Value::from),
                Cell::Number => {
                    let n = crate::imports::parse_number(raw).ok_or_else(|| {
                        FieldError::new(
                            "",
                            "imports.not_a_count",
                            format!("\"{raw}\" is not a number"),
                        )
                    })?;
                    Value::from(n)
                }
                Cell::Day | Cell::Time => match values::when(raw, ctx.tz, ctx.today)? {
                    None => Value::Null,
                    Some(w) if cell == Cell::Day => {
                        w.at.with_timezone(&ctx.tz).date_naive().to_string().into()
                    }
                    Some(w) => w.at.to_rfc3339().into(),
                },
                Cell::Yes => crate::imports::parse_bool(raw)
                    .ok_or_else(|| {
                        FieldError::new(
                            "",
                            "validation.format",
                            format!("\"{raw}\" is not yes or no"),
                        )
                    })?
                    .into(),
                Cell::Text | Cell::Ref => {
                    if raw.chars().count() > 2000 {
                        return Err(FieldError::new(
                            "",
                            "validation.too_long",
                            "at most 2000 characters",
                        ));
                    }
                    Value::from(raw.trim_start_matches('@'))
                }
            })
        })();
        match read {
            Ok(v) => {
                out.fields.insert(field.clone(), v);
            }
            Err(mut e) => {
                e.field.clone_from(field);
                issues.push(ImportIssue::at(row, headers, mapping, e, field));
            }
        }
    }
    for f in spec.required {
        if mapping.contains_key(*f)
            && out.fields.get(*f).is_none_or(Value::is_null)
            && !issues.iter().any(|i| i.field == *f)
        {
            issues.push(ImportIssue::at(
                row,
                headers,
                mapping,
                FieldError::new(*f, "validation.required", format!("{f} is empty")),
                f,
            ));
        }
    }
    if issues.is_empty() {
        Ok(out)
    } else {
        issues.sort_by_key(|i| i.column);
        Err(issues)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_in_fen() {
        let cases: &[(&str, Option<i64>)] = &[
            ("¥3,000.50", Some(300_050)),
            ("3000元", Some(300_000)),
            ("1.2万", Some(1_200_000)),
            ("0", Some(0)),
            ("-", None),
        ];
        for (raw, want) in cases {
            assert_eq!(fen(raw).unwrap(), *want, "{raw}");
        }
        assert_eq!(fen("-5").unwrap_err().code, "imports.negative");
        assert_eq!(fen("很多钱").unwrap_err().code, "imports.not_money");
    }

    #[test]
    fn each_kind_maps_its_usual_headers_and_reads_its_cells() {
        let headers: Vec<String> = ["账号ID", "日期", "粉丝总数", "新增粉丝", "取关数"]
            .map(String::from)
            .to_vec();
        let m = ACCOUNT_METRICS.suggest_mapping(&headers);
        assert_eq!(m.len(), 5);
        assert!(ACCOUNT_METRICS.check_mapping(&m, &headers).is_ok());
        let ctx = super::super::posts::Context {
            tz: chrono_tz::Asia::Shanghai,
            today: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
            as_of: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
        };
        let row = SheetRow {
            number: 2,
            cells: ["lily", "2026/12/1", "1.2万", "35", "-"]
                .map(String::from)
                .to_vec(),
        };
        let r = read_row(&ACCOUNT_METRICS, &ctx, &headers, &m, &row).unwrap();
        assert_eq!(
            (
                r.text("account"),
                r.day("day"),
                r.fields["followers"].as_i64()
            ),
            (
                Some("lily"),
                NaiveDate::from_ymd_opt(2026, 12, 1),
                Some(12_000)
            )
        );
        assert!(r.fields["unfollows"].is_null(), "missing, not zero");
        let bad = SheetRow {
            number: 3,
            cells: ["lily", "", "-3", "", ""].map(String::from).to_vec(),
        };
        let e = read_row(&ACCOUNT_METRICS, &ctx, &headers, &m, &bad).unwrap_err();
        let got: Vec<(&str, &str)> = e
            .iter()
            .map(|i| (i.field.as_str(), i.code.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("day", "validation.required"),
                ("followers", "imports.negative")
            ]
        );

        let h: Vec<String> = ["关键词", "平台", "日期", "搜索指数"]
            .map(String::from)
            .to_vec();
        let m = SEARCH_INDEX.suggest_mapping(&h);
        let r = read_row(
            &SEARCH_INDEX,
            &ctx,
            &h,
            &m,
            &SheetRow {
                number: 2,
                cells: ["星河S7", "抖音", "11-30", "12,345.5"]
                    .map(String::from)
                    .to_vec(),
            },
        )
        .unwrap();
        assert_eq!(r.fields["value"].as_f64(), Some(12_345.5));
        assert_eq!(r.text("day"), Some("2026-11-30"));
        let h: Vec<String> = ["评论ID", "作品ID", "评论内容", "评论时间", "回复时间"]
            .map(String::from)
            .to_vec();
        let m = COMMENTS.suggest_mapping(&h);
        assert!(COMMENTS.check_mapping(&m, &h).is_ok());
        let r = read_row(
            &COMMENTS,
            &ctx,
            &h,
            &m,
            &SheetRow {
                number: 2,
                cells: [
                    "c1",
                    "7301",
                    "续航多少？",
                    "2026-11-03 20:15",
                    "2026-11-04 09:00",
                ]
                .map(String::from)
                .to_vec(),
            },
        )
        .unwrap();
        assert_eq!(r.text("created_at"), Some("2026-11-03T12:15:00+00:00"));
        assert!(
            SPEND
                .check_mapping(
                    &SPEND.suggest_mapping(&["战役", "日期", "花费"].map(String::from)),
                    &["战役", "日期", "花费"].map(String::from)
                )
                .is_ok()
        );
    }
}
