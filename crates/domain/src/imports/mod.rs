//! The import framework: a spreadsheet is parsed (`sheet`), its columns mapped to a target's
//! fields, every row validated into what would be written, previewed, then committed in
//! chunks. Accounts are the first target (`accounts`); later targets (metrics, spend) plug in
//! with their own column list and row conversion.
//!
//! Cell values are read the way Chinese teams write them: counts like `1.2万`, `1.5w`, `8K`,
//! `3,456`, `100万+`; lists split on `、，,;；/` and new lines; yes/no as `是/否`, `✓`, `TRUE`.

pub mod accounts;
pub mod sheet;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validation::FieldError;

pub use sheet::{Sheet, SheetRow, column_letter};

/// What an import writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Accounts,
    /// Post metric snapshots (`metrics::posts`).
    PostMetrics,
    /// Accounts' daily followers (`metrics::kinds`).
    AccountMetrics,
    /// Comments with when and by whom they were answered.
    Comments,
    /// Spend per post, account or campaign and day.
    Spend,
    /// Revenue and conversions per campaign and day.
    Revenue,
    /// The brand keyword search index per platform and day.
    SearchIndex,
}

impl ImportKind {
    pub const ALL: [ImportKind; 7] = [
        ImportKind::Accounts,
        ImportKind::PostMetrics,
        ImportKind::AccountMetrics,
        ImportKind::Comments,
        ImportKind::Spend,
        ImportKind::Revenue,
        ImportKind::SearchIndex,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Accounts => "accounts",
            ImportKind::PostMetrics => "post_metrics",
            ImportKind::AccountMetrics => "account_metrics",
            ImportKind::Comments => "comments",
            ImportKind::Spend => "spend",
            ImportKind::Revenue => "revenue",
            ImportKind::SearchIndex => "search_index",
        }
    }
    pub fn parse(s: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// What importing this kind (and saving a mapping for it) needs: creating accounts, or
    /// managing the data.
    pub fn capability(self) -> crate::access::Capability {
        match self {
            ImportKind::Accounts => crate::access::Capability::AccountsCreate,
            _ => crate::access::Capability::MetricsManage,
        }
    }
}

/// Where an import is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Parsed; mapping and preview may be repeated.
    Uploaded,
    /// Being written, chunk by chunk.
    Committing,
    /// Every row was written (or skipped as the user chose).
    Done,
    /// Stopped by an error; the rows written before it stay, and committing again resumes
    /// (rows are matched on platform + handle, so nothing is written twice).
    Failed,
}

impl ImportStatus {
    pub const ALL: [ImportStatus; 4] = [
        ImportStatus::Uploaded,
        ImportStatus::Committing,
        ImportStatus::Done,
        ImportStatus::Failed,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Uploaded => "uploaded",
            ImportStatus::Committing => "committing",
            ImportStatus::Done => "done",
            ImportStatus::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> Option<ImportStatus> {
        ImportStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Target field → column index (0-based) of the sheet. A field left out is not imported.
pub type Mapping = BTreeMap<String, usize>;

/// How many rows a commit writes per transaction (and between progress reports).
pub const CHUNK_ROWS: usize = 1000;
/// At most this many issues are listed in a preview or a result (all are counted).
pub const MAX_LISTED_ISSUES: usize = 1000;
/// At most this many rows are listed in a preview (all are counted).
pub const MAX_PREVIEW_ROWS: usize = 200;

/// An uploaded file and where its import is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Import {
    pub id: i64,
    pub kind: ImportKind,
    pub file_name: String,
    /// How a text file was decoded (`utf-8`, `utf-16`, `gbk`); `null` for a workbook.
    pub encoding: Option<String>,
    /// The header's row number in the file.
    pub header_row: u32,
    pub headers: Vec<String>,
    /// The first rows, to show beside the mapping.
    pub sample: Vec<ImportRow>,
    /// Data rows in the file (empty rows are not counted).
    pub total_rows: u32,
    pub status: ImportStatus,
    /// The mapping last previewed or committed; after the upload, the one suggested from the
    /// headers.
    pub mapping: Mapping,
    /// What the file's columns can be mapped to.
    pub fields: Vec<accounts::ImportField>,
    /// Rows written so far by a commit.
    pub done_rows: u32,
    /// What the commit did, once it has ended (or stopped).
    pub result: Option<ImportResult>,
    /// The choices made at upload (metric imports).
    pub options: ImportOptions,
    /// A workbook's sheets (the one read is `options.sheet`, or the first).
    pub sheets: Vec<String>,
    /// When the import was undone (everything it wrote taken back).
    pub undone_at: Option<chrono::DateTime<chrono::Utc>>,
    #[schema(value_type = Option<i64>)]
    pub created_by: Option<crate::UserId>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// The choices made at upload.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImportOptions {
    /// The preset the mapping was suggested from (`import-presets`).
    pub preset: Option<String>,
    /// A saved mapping the mapping was taken from (`import-mappings`).
    pub mapping_id: Option<i64>,
    /// The account every row is about (a per-account export: 小红书, 抖音 …).
    pub account_id: Option<i64>,
    /// The encoding asked for instead of the detected one.
    pub encoding: Option<String>,
    /// The workbook sheet read (default: the first).
    pub sheet: Option<String>,
    /// The day the counts are as of when the file has no such column (default: the upload's
    /// day in the workspace's zone).
    pub as_of: Option<chrono::NaiveDate>,
}

/// How the user settled a row's post in the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowChoice {
    /// This post (`item_id`).
    Match,
    /// A new post of the row's account.
    New,
    /// Leave the row out (recorded in the result).
    Skip,
}

/// A row's post as the user settled it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RowResolution {
    pub row: u32,
    pub choice: RowChoice,
    pub item_id: Option<i64>,
}

/// How a metric row found its post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// KOX's own id, a platform post id or a link.
    Id,
    /// The same title at the same time.
    Title,
    /// The closest post, not a sure one: check it.
    Weak,
    /// Several posts fit as well: choose.
    Ambiguous,
    /// KOX did not know the post: it is created as a published item (导入).
    New,
    /// As the user chose.
    Chosen,
}

/// A post the row may be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PostCandidate {
    pub item_id: i64,
    pub title: String,
    pub at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A row whose post the user should look at (weak or ambiguous), or did settle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MatchRow {
    pub row: u32,
    pub title: Option<String>,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
    pub account_id: Option<i64>,
    #[serde(rename = "match")]
    pub kind: MatchKind,
    /// The post taken (weak, chosen) or none yet (ambiguous).
    pub item_id: Option<i64>,
    /// Title likeness of the post taken, 0 to 1.
    pub score: Option<f64>,
    pub candidates: Vec<PostCandidate>,
}

/// What a metric import's rows are about.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PostPreview {
    /// Accounts the rows are about.
    pub accounts: u32,
    /// Rows by how they found their post.
    pub by_id: u32,
    pub by_title: u32,
    pub weak: u32,
    pub ambiguous: u32,
    pub chosen: u32,
    /// Posts KOX did not know (each counted once, however many rows it has).
    pub new_posts: u32,
    /// Rows the user chose to leave out.
    pub skipped: u32,
    /// The weak, ambiguous and chosen rows (the first `MAX_PREVIEW_ROWS`).
    pub matches: Vec<MatchRow>,
}

/// One data row of the file as it was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImportRow {
    pub row: u32,
    pub cells: Vec<String>,
}

/// What committing a row would do (preview) or did (result).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    Create,
    Update,
    Unchanged,
    Invalid,
}

/// A row of the preview: what it is and what would happen to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PreviewRow {
    pub row: u32,
    pub outcome: RowOutcome,
    /// The record the row matches or makes, as far as it could be read.
    pub platform: Option<String>,
    pub handle: Option<String>,
    pub display_name: Option<String>,
    /// For an update, the fields it changes.
    pub changed: Vec<String>,
    /// The matched record's id (an update or an unchanged row).
    pub record_id: Option<i64>,
}

/// A dry run: everything checked against the workspace's data as it is now, nothing written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImportPreview {
    pub total_rows: u32,
    pub creates: u32,
    pub updates: u32,
    pub unchanged: u32,
    /// Rows with at least one issue.
    pub invalid: u32,
    /// Every issue is counted here; the first `MAX_LISTED_ISSUES` are listed.
    pub issue_count: u32,
    pub issues: Vec<ImportIssue>,
    /// The first rows, invalid ones first.
    pub rows: Vec<PreviewRow>,
    /// For a metric import: how rows found their posts.
    pub posts: Option<PostPreview>,
}

/// What a commit wrote.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImportResult {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// Invalid rows left out because the commit was asked to skip them.
    pub skipped: u32,
    /// The skipped rows' issues (the first `MAX_LISTED_ISSUES`).
    pub issues: Vec<ImportIssue>,
    /// Why the commit stopped, if it did; committing again resumes.
    pub error: Option<String>,
    /// Posts created (metric imports: posts KOX did not know).
    #[serde(default)]
    pub new_posts: u32,
    /// The commit was cancelled after this many rows (what was written stays, and can be
    /// undone).
    #[serde(default)]
    pub cancelled: bool,
}

/// A mapping a team saved to reuse on the next file of the same kind (`import-mappings`): each
/// field with the header (or headers) it is read from, matched as a preset's are — case,
/// spaces and full-width forms aside — so it fits next week's export whatever the columns'
/// order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImportMapping {
    pub id: i64,
    pub name: String,
    pub kind: ImportKind,
    /// Field → the headers it is read from, the first one present wins.
    pub columns: BTreeMap<String, Vec<String>>,
    #[schema(value_type = Option<i64>)]
    pub created_by: Option<crate::UserId>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A saved mapping as written (create or replace).
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportMappingDraft {
    /// 1–60 characters, unique per kind in the workspace.
    pub name: String,
    pub kind: ImportKind,
    /// Field → the headers it is read from (1–5 per field, each 1–200 characters).
    pub columns: BTreeMap<String, Vec<String>>,
}

impl ImportMappingDraft {
    /// Trimmed, with every field one of `known` (the kind's fields) and every header named.
    pub fn check(self, known: &[accounts::ImportField]) -> Result<Self, FieldError> {
        let name = crate::validation::text("name", &self.name, 1, 60)?;
        if self.columns.is_empty() {
            return Err(FieldError::new(
                "columns",
                "validation.required",
                "map at least one field to a header",
            ));
        }
        let mut columns = BTreeMap::new();
        for (field, headers) in self.columns {
            let path = format!("columns.{field}");
            if !known.iter().any(|k| k.field == field) {
                return Err(FieldError::new(
                    path,
                    "imports.unknown_field",
                    format!("{} imports have no field \"{field}\"", self.kind.as_str()),
                ));
            }
            if headers.is_empty() || headers.len() > 5 {
                return Err(FieldError::new(
                    path,
                    "validation.too_many",
                    "name one to five headers for a field",
                ));
            }
            let headers = headers
                .iter()
                .map(|h| crate::validation::text(&path, h, 1, 200))
                .collect::<Result<Vec<_>, _>>()?;
            columns.insert(field, headers);
        }
        Ok(Self {
            name,
            kind: self.kind,
            columns,
        })
    }
}

/// A mapping to preview.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    #[schema(value_type = Object)]
    pub mapping: Mapping,
    /// Posts settled by the user (metric imports).
    #[serde(default)]
    pub resolutions: Vec<RowResolution>,
}

/// A mapping to commit.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitRequest {
    #[schema(value_type = Object)]
    pub mapping: Mapping,
    /// Write the valid rows and leave out the invalid ones (listed in the result). Without it,
    /// a file with any invalid row is refused and nothing is written.
    #[serde(default)]
    pub skip_invalid: bool,
    /// Posts settled by the user (metric imports).
    #[serde(default)]
    pub resolutions: Vec<RowResolution>,
}

/// One problem with one cell (or a whole row, where `column` is `None`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImportIssue {
    /// The row's number in the file, as the spreadsheet program shows it.
    pub row: u32,
    /// The column's index (0-based); `None` when the row as a whole is refused.
    pub column: Option<usize>,
    /// The column's letter (`A`, `B`, …, `AA`).
    pub column_letter: Option<String>,
    /// The column's header in the file.
    pub header: Option<String>,
    /// The target field (`followers`, `custom.level`).
    pub field: String,
    /// An error code of the catalogue (`validation.required`, `imports.unknown_owner`, …).
    pub code: String,
    pub message: String,
    /// The cell as it was in the file.
    pub value: String,
}

impl ImportIssue {
    /// An issue in `row` on the column mapped to the issue's field (if any).
    pub fn at(
        row: &SheetRow,
        headers: &[String],
        mapping: &Mapping,
        e: FieldError,
        target_field: &str,
    ) -> Self {
        let column = mapping.get(target_field).copied();
        Self {
            row: row.number,
            column,
            column_letter: column.map(column_letter),
            header: column.and_then(|c| headers.get(c).cloned()),
            field: target_field.to_owned(),
            code: e.code.to_owned(),
            message: e.message,
            value: column.map(|c| row.cell(c).to_owned()).unwrap_or_default(),
        }
    }
}

/// A built-in column: its field, its header in Chinese and English, other headers people use.
pub struct Column {
    pub field: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub also: &'static [&'static str],
    pub required: bool,
}

impl Column {
    /// The field and the header keys it is known by: its Chinese and English names first.
    pub fn names(&self) -> (String, Vec<String>) {
        let mut n = vec![
            header_key(self.zh),
            header_key(self.en),
            header_key(self.field),
        ];
        n.extend(self.also.iter().map(|a| header_key(a)));
        (self.field.to_owned(), n)
    }
}

/// Which column each field probably is: `names` gives each field's header keys, its two
/// exact names first. Each column is used once, by the first field that claims it; exact names
/// are tried before the other names, so `账号 ID` goes to the handle before `账号` could take it.
pub fn suggest(headers: &[String], names: &[(String, Vec<String>)]) -> Mapping {
    let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
    let mut out = Mapping::new();
    let mut used = vec![false; keys.len()];
    for pass in 0..2 {
        for (field, ns) in names {
            if out.contains_key(field) {
                continue;
            }
            let exact = &ns[..ns.len().min(2)];
            let hit = keys.iter().enumerate().position(|(i, k)| {
                !used[i]
                    && !k.is_empty()
                    && if pass == 0 {
                        exact.contains(k)
                    } else {
                        ns.contains(k)
                    }
            });
            if let Some(i) = hit {
                used[i] = true;
                out.insert(field.clone(), i);
            }
        }
    }
    out
}

/// Checks a mapping's columns: every field `known`, every column in the sheet, none used twice.
pub fn check_columns(
    mapping: &Mapping,
    headers: &[String],
    known: impl Fn(&str) -> bool,
) -> Result<(), FieldError> {
    let mut seen: Vec<(usize, &str)> = Vec::new();
    for (field, col) in mapping {
        let path = format!("mapping.{field}");
        if !known(field) {
            return Err(FieldError::new(
                path,
                "imports.unknown_field",
                format!("there is no field \"{field}\" to import into"),
            ));
        }
        if *col >= headers.len() {
            return Err(FieldError::new(
                path,
                "imports.unknown_column",
                format!("the file has no column {}", col + 1),
            ));
        }
        if let Some((_, other)) = seen.iter().find(|(c, _)| c == col) {
            return Err(FieldError::new(
                path,
                "imports.column_twice",
                format!(
                    "column {} is already mapped to {other}",
                    column_letter(*col)
                ),
            ));
        }
        seen.push((*col, field));
    }
    Ok(())
}

/// A count as people write it: `3456`, `3,456`, `1.2万`, `1.5w`, `8K`, `2.3亿`, `100万+`,
/// `12.0`. `None` for anything else (including negative numbers and fractions of one).
pub fn parse_count(raw: &str) -> Option<i64> {
    let s: String = raw
        .trim()
        .trim_end_matches('+')
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '_'))
        .collect();
    let (num, factor) = match s.char_indices().last() {
        Some((i, c)) => match c {
            '万' | 'w' | 'W' => (&s[..i], 10_000.0),
            '亿' => (&s[..i], 100_000_000.0),
            'k' | 'K' | '千' => (&s[..i], 1_000.0),
            'm' | 'M' => (&s[..i], 1_000_000.0),
            _ => (s.as_str(), 1.0),
        },
        None => return None,
    };
    if num.is_empty() || !num.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let n: f64 = num.parse().ok()?;
    let v = (n * factor).round();
    (v.is_finite() && (0.0..9.0e15).contains(&v) && (n * factor - v).abs() < 1e-6 * factor.max(1.0))
        .then_some(v as i64)
}

/// A number for a custom number field: plain decimals, thousands separators, `%` kept as the
/// number written (`12.5%` → 12.5), and counts (`1.2万`).
pub fn parse_number(raw: &str) -> Option<f64> {
    let s: String = raw
        .trim()
        .trim_end_matches('%')
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '¥' | '￥'))
        .collect();
    if let Ok(n) = s.parse::<f64>() {
        return n.is_finite().then_some(n);
    }
    parse_count(&s).map(|n| n as f64)
}

/// A list cell: items split on `、，,;；/|` and new lines, trimmed, empty ones dropped.
pub fn split_list(raw: &str) -> Vec<String> {
    raw.split(['、', '，', ',', ';', '；', '/', '|', '\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A yes/no cell.
pub fn parse_bool(raw: &str) -> Option<bool> {
    match raw.trim().to_lowercase().as_str() {
        "是" | "有" | "对" | "✓" | "✔" | "√" | "true" | "yes" | "y" | "1" | "x" => {
            Some(true)
        }
        "否" | "无" | "不是" | "✗" | "✘" | "×" | "false" | "no" | "n" | "0" => Some(false),
        _ => None,
    }
}

/// A date cell: `2026-01-05`, `2026/1/5`, `2026.1.5`, `2026年1月5日`, with or without a time after
/// it (which is dropped). Returned as `YYYY-MM-DD`.
pub fn parse_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    let day = s.split([' ', 'T']).next().unwrap_or("");
    let day = day.split_once('日').map_or(day, |(d, _)| d);
    let normal: String = day
        .replace(['年', '月', '/', '.'], "-")
        .trim_end_matches('日')
        .to_owned();
    let d = chrono::NaiveDate::parse_from_str(&normal, "%Y-%m-%d").ok()?;
    Some(d.format("%Y-%m-%d").to_string())
}

/// A header as it is compared with a field's names: lower case, without spaces, brackets'
/// contents (`粉丝数（万）` stays `粉丝数万`) or punctuation.
pub fn header_key(h: &str) -> String {
    h.chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '*' | '＊' | ':' | '：' | '_' | '-' | '(' | ')' | '（' | '）'
                )
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_as_people_write_them() {
        let cases: &[(&str, Option<i64>)] = &[
            ("3456", Some(3456)),
            ("3,456", Some(3456)),
            (" 3，456 ", Some(3456)),
            ("1.2万", Some(12_000)),
            ("1.5w", Some(15_000)),
            ("1.5W", Some(15_000)),
            ("8K", Some(8_000)),
            ("8k", Some(8_000)),
            ("2.3亿", Some(230_000_000)),
            ("100万+", Some(1_000_000)),
            ("万+", None),
            ("12.0", Some(12)),
            ("12.5", None),
            ("1.23456万", None),
            ("-5", None),
            ("", None),
            ("-", None),
            ("abc", None),
            ("1e5", None),
            ("1.2.3万", None),
        ];
        for (raw, want) in cases {
            assert_eq!(parse_count(raw), *want, "{raw:?}");
        }
    }

    #[test]
    fn numbers_lists_bools_and_dates() {
        assert_eq!(parse_number("12.5%"), Some(12.5));
        assert_eq!(parse_number("¥3,000"), Some(3000.0));
        assert_eq!(parse_number("1.2万"), Some(12000.0));
        assert_eq!(parse_number("-0.5"), Some(-0.5));
        assert_eq!(parse_number("x"), None);
        assert_eq!(
            split_list("美妆、 护肤，,测评;新品\n种草"),
            ["美妆", "护肤", "测评", "新品", "种草"]
        );
        assert_eq!(split_list("  "), Vec::<String>::new());
        let bools: &[(&str, Option<bool>)] = &[
            ("是", Some(true)),
            ("否", Some(false)),
            ("√", Some(true)),
            ("TRUE", Some(true)),
            ("0", Some(false)),
            ("也许", None),
        ];
        for (raw, want) in bools {
            assert_eq!(parse_bool(raw), *want, "{raw}");
        }
        let dates: &[(&str, Option<&str>)] = &[
            ("2026-01-05", Some("2026-01-05")),
            ("2026/1/5", Some("2026-01-05")),
            ("2026.1.5", Some("2026-01-05")),
            ("2026年1月5日", Some("2026-01-05")),
            ("2026年01月05日22时30分05秒", Some("2026-01-05")),
            ("2026-01-05 19:30:00", Some("2026-01-05")),
            ("2026-02-30", None),
            ("明天", None),
        ];
        for (raw, want) in dates {
            assert_eq!(parse_date(raw).as_deref(), *want, "{raw}");
        }
    }

    #[test]
    fn header_keys_ignore_case_space_and_marks() {
        assert_eq!(header_key(" 粉丝数（万） "), "粉丝数万");
        assert_eq!(header_key("Display name*"), "displayname");
        assert_eq!(header_key("账号 ID"), "账号id");
    }
}
