//! Post metric snapshots from a platform export or a push: the columns such a file has, how one
//! row is read (counts, rates, durations and dates as the platforms write them), and how a row
//! without a post id finds its post — by title and publish time within the account chosen at
//! upload, tolerant of small differences in both (the 小红书 and 抖音 exports carry neither id
//! nor link).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::values::{self, Count, DateForm, When};
use crate::imports::{Column, ImportIssue, Mapping, SheetRow};
use crate::validation::FieldError;

/// The counts a snapshot holds, in the order of its columns.
pub const COUNTS: [&str; 7] = [
    "impressions",
    "reads",
    "likes",
    "saves",
    "comments",
    "shares",
    "follows",
];

/// The columns of a post metric import.
pub const COLUMNS: &[Column] = &[
    Column {
        field: "post_id",
        zh: "作品 ID",
        en: "Post ID",
        also: &[
            "作品id", "笔记id", "视频id", "稿件id", "bv号", "bvid", "bid", "mid", "微博id",
            "post id",
        ],
        required: false,
    },
    Column {
        field: "post_url",
        zh: "作品链接",
        en: "Post URL",
        also: &[
            "链接",
            "笔记链接",
            "视频链接",
            "稿件链接",
            "微博链接",
            "url",
        ],
        required: false,
    },
    Column {
        field: "account",
        zh: "账号",
        en: "Account",
        also: &["账号id", "作者", "博主", "账号名称", "主页链接", "handle"],
        required: false,
    },
    Column {
        field: "title",
        zh: "标题",
        en: "Title",
        also: &[
            "笔记标题",
            "作品名称",
            "视频标题",
            "视频描述",
            "稿件标题",
            "正文",
            "内容",
            "描述",
        ],
        required: false,
    },
    Column {
        field: "published_at",
        zh: "发布时间",
        en: "Published at",
        also: &["首次发布时间", "发布日期", "日期", "发文时间", "创建时间"],
        required: false,
    },
    Column {
        field: "as_of",
        zh: "数据日期",
        en: "As of",
        also: &["统计日期", "截止日期", "数据截止日期", "更新日期"],
        required: false,
    },
    Column {
        field: "impressions",
        zh: "曝光",
        en: "Impressions",
        also: &["曝光量", "曝光数", "展现量", "展现"],
        required: false,
    },
    Column {
        field: "reads",
        zh: "播放量",
        en: "Reads",
        also: &[
            "观看量",
            "阅读量",
            "阅读数",
            "浏览量",
            "播放",
            "观看",
            "阅读",
            "plays",
            "views",
        ],
        required: false,
    },
    Column {
        field: "likes",
        zh: "点赞",
        en: "Likes",
        also: &["点赞量", "点赞数", "喜欢", "赞"],
        required: false,
    },
    Column {
        field: "saves",
        zh: "收藏",
        en: "Saves",
        also: &["收藏量", "收藏数"],
        required: false,
    },
    Column {
        field: "comments",
        zh: "评论",
        en: "Comments",
        also: &["评论量", "评论数"],
        required: false,
    },
    Column {
        field: "shares",
        zh: "分享",
        en: "Shares",
        also: &[
            "分享量",
            "分享数",
            "转发",
            "转发量",
            "转发数",
            "转发聊天和朋友圈",
        ],
        required: false,
    },
    Column {
        field: "follows",
        zh: "涨粉",
        en: "Follows gained",
        also: &["涨粉量", "涨粉数", "粉丝增量", "关注量", "新增粉丝"],
        required: false,
    },
    Column {
        field: "completion_rate",
        zh: "完播率",
        en: "Completion rate",
        also: &[],
        required: false,
    },
    Column {
        field: "avg_watch_seconds",
        zh: "平均播放时长",
        en: "Average watch time",
        also: &["人均观看时长", "平均观看时长", "平均播放时长秒"],
        required: false,
    },
];

/// The mapping suggested from a file's headers.
pub fn suggest_mapping(headers: &[String]) -> Mapping {
    let names: Vec<(String, Vec<String>)> = COLUMNS.iter().map(Column::names).collect();
    crate::imports::suggest(headers, &names)
}

/// Checks a mapping: known fields, columns that exist and are used once, a way to find the
/// post (an id, a link, or a title), and at least one count.
pub fn check_mapping(mapping: &Mapping, headers: &[String]) -> Result<(), FieldError> {
    crate::imports::check_columns(mapping, headers, |f| COLUMNS.iter().any(|c| c.field == f))?;
    if !["post_id", "post_url", "title"]
        .iter()
        .any(|f| mapping.contains_key(*f))
    {
        return Err(FieldError::new(
            "mapping.post_id",
            "imports.field_required",
            "map a post ID, a post link or a title: rows are matched to posts by one of them",
        ));
    }
    if !COUNTS.iter().any(|f| mapping.contains_key(*f)) {
        return Err(FieldError::new(
            "mapping.likes",
            "imports.field_required",
            "map at least one count (plays, likes, saves, comments …)",
        ));
    }
    Ok(())
}

/// What a row is read against.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub tz: Tz,
    /// Today in `tz`: the year of a date written without one, and the default as-of date.
    pub today: NaiveDate,
    /// The snapshot's date when the file has no as-of column.
    pub as_of: NaiveDate,
}

/// One row, read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostValues {
    pub post_id: Option<String>,
    pub post_url: Option<String>,
    pub account: Option<String>,
    pub title: Option<String>,
    pub published: Option<When>,
    pub as_of: Option<NaiveDate>,
    /// In the order of `COUNTS`.
    pub counts: [Option<Count>; 7],
    pub completion_rate: Option<f64>,
    pub avg_watch_seconds: Option<f64>,
}

impl PostValues {
    /// The bit of each count written as a floor (`10w+`), in the order of `COUNTS`.
    pub fn at_least_bits(&self) -> i64 {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_some_and(|c| c.at_least))
            .map(|(i, _)| 1i64 << i)
            .sum()
    }
    pub fn count(&self, name: &str) -> Option<i64> {
        COUNTS
            .iter()
            .position(|c| *c == name)
            .and_then(|i| self.counts[i])
            .map(|c| c.value)
    }
}

fn cell_error(field: &str, mut e: values::CellError) -> FieldError {
    field.clone_into(&mut e.field);
    e
}

/// Reads one row: each mapped cell in its kind; every bad cell is an issue on its column.
pub fn read_row(
    ctx: &Context,
    headers: &[String],
    mapping: &Mapping,
    row: &SheetRow,
) -> Result<PostValues, Vec<ImportIssue>> {
    let mut v = PostValues {
        as_of: Some(ctx.as_of),
        ..PostValues::default()
    };
    let mut issues = Vec::new();
    for (field, &col) in mapping {
        let raw = row.cell(col).trim();
        let read: Result<(), FieldError> = (|| {
            if let Some(i) = COUNTS.iter().position(|c| c == field) {
                v.counts[i] = values::count(raw).map_err(|e| cell_error(field, e))?;
                return Ok(());
            }
            if values::is_missing(raw) {
                return Ok(());
            }
            match field.as_str() {
                "post_id" => v.post_id = Some(clip(raw, 200, field)?),
                "post_url" => v.post_url = Some(post_url(raw)?),
                "account" => v.account = Some(clip(raw.trim_start_matches('@'), 200, field)?),
                "title" => v.title = Some(clip(raw, 1000, field)?),
                "published_at" => {
                    v.published =
                        values::when(raw, ctx.tz, ctx.today).map_err(|e| cell_error(field, e))?;
                }
                "as_of" => {
                    let w =
                        values::when(raw, ctx.tz, ctx.today).map_err(|e| cell_error(field, e))?;
                    v.as_of = w.map(|w| w.at.with_timezone(&ctx.tz).date_naive());
                }
                "completion_rate" => {
                    v.completion_rate = values::rate(raw).map_err(|e| cell_error(field, e))?;
                }
                "avg_watch_seconds" => {
                    v.avg_watch_seconds = values::seconds(raw).map_err(|e| cell_error(field, e))?;
                }
                other => {
                    return Err(FieldError::new(
                        other,
                        "imports.unknown_field",
                        format!("there is no field \"{other}\""),
                    ));
                }
            }
            Ok(())
        })();
        if let Err(e) = read {
            issues.push(ImportIssue::at(row, headers, mapping, e, field));
        }
    }
    if v.post_id.is_none() && v.post_url.is_none() && v.title.is_none() {
        let field = ["post_id", "post_url", "title"]
            .into_iter()
            .find(|f| mapping.contains_key(*f))
            .unwrap_or("post_id");
        if !issues.iter().any(|i| i.field == field) {
            issues.push(ImportIssue::at(
                row,
                headers,
                mapping,
                FieldError::new(
                    field,
                    "validation.required",
                    "the row names no post: its ID, link and title are empty",
                ),
                field,
            ));
        }
    }
    if issues.is_empty() {
        Ok(v)
    } else {
        issues.sort_by_key(|i| i.column);
        Err(issues)
    }
}

fn clip(raw: &str, max: usize, field: &str) -> Result<String, FieldError> {
    if raw.chars().count() > max {
        return Err(FieldError::new(
            field,
            "validation.too_long",
            format!("at most {max} characters"),
        ));
    }
    Ok(raw.to_owned())
}

fn post_url(raw: &str) -> Result<String, FieldError> {
    crate::validation::http_url("post_url", raw)
}

/// A post link as it is compared: without scheme, `www.`, query, fragment or trailing `/`,
/// lower-case host.
pub fn url_key(url: &str) -> String {
    let s = url.trim();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s);
    let s = s
        .split(['?', '#'])
        .next()
        .unwrap_or(s)
        .trim_end_matches('/');
    let (host, path) = s.split_once('/').unwrap_or((s, ""));
    let host = host.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    if path.is_empty() {
        host.to_owned()
    } else {
        format!("{host}/{path}")
    }
}

/// The rows of a column whose dates mix forms that read differently (a year left out, or an
/// Excel serial day, beside full dates): each such row with the form the column otherwise
/// uses. A column of `2026-11-03` and `2026年11月3日` is fine.
pub fn mixed_forms(forms: &[(u32, DateForm)]) -> Vec<(u32, DateForm, DateForm)> {
    let mut tally: HashMap<DateForm, usize> = HashMap::new();
    for (_, f) in forms {
        *tally.entry(family(*f)).or_default() += 1;
    }
    if tally.len() < 2 {
        return Vec::new();
    }
    let main = tally
        .iter()
        .max_by_key(|(f, n)| (**n, std::cmp::Reverse(**f as u8)))
        .map_or(DateForm::Numeric, |(f, _)| *f);
    forms
        .iter()
        .filter(|(_, f)| family(*f) != main)
        .map(|(row, f)| (*row, *f, main))
        .collect()
}

fn family(f: DateForm) -> DateForm {
    match f {
        DateForm::Chinese | DateForm::Zoned => DateForm::Numeric,
        other => other,
    }
}

/// A post the file's row may be.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: i64,
    pub title: String,
    /// When it went out (or was planned to).
    pub at: Option<DateTime<Utc>>,
}

/// How a row found its post.
#[derive(Debug, Clone, PartialEq)]
pub enum PostMatch {
    /// The same title (or one inside the other) within two hours: taken.
    Exact(i64),
    /// The one close candidate, but title or time differ more: taken unless the user says
    /// otherwise in the preview.
    Weak { id: i64, score: f64 },
    /// Several candidates fit as well: the user chooses.
    Ambiguous(Vec<i64>),
    /// No post fits: a new published item of the account.
    None,
}

/// Lower-case letters, digits and CJK only (no spaces, punctuation, emoji or hashtags' `#`).
pub fn title_key(t: &str) -> Vec<char> {
    t.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// How alike two titles are, 0 to 1: equal 1; one inside the other (4+ characters) 0.9; else
/// the Dice coefficient of their character pairs.
pub fn title_similarity(a: &[char], b: &[char]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let inside = |x: &[char], y: &[char]| x.len() >= 4 && y.windows(x.len()).any(|w| w == x);
    if inside(a, b) || inside(b, a) {
        return 0.9;
    }
    let pairs = |s: &[char]| -> HashMap<(char, char), i32> {
        let mut m = HashMap::new();
        for w in s.windows(2) {
            *m.entry((w[0], w[1])).or_insert(0) += 1;
        }
        m
    };
    let (pa, pb) = (pairs(a), pairs(b));
    let total: i32 = pa.values().sum::<i32>() + pb.values().sum::<i32>();
    if total == 0 {
        return 0.0;
    }
    let common: i32 = pa
        .iter()
        .map(|(k, n)| (*n).min(pb.get(k).copied().unwrap_or(0)))
        .sum();
    f64::from(2 * common) / f64::from(total)
}

/// Hours between a row's time and a candidate's (a date-only cell: from the candidate's day in
/// the zone, 0 on the same day).
fn hours_apart(w: &When, at: DateTime<Utc>, tz: Tz) -> f64 {
    if w.date_only {
        let day = w.at.with_timezone(&tz).date_naive();
        let other = at.with_timezone(&tz).date_naive();
        return ((other - day).num_days().abs() * 24) as f64;
    }
    (w.at - at).num_seconds().abs() as f64 / 3600.0
}

/// Finds the post a row without an id or link is, among its account's posts: by title and
/// publish time, each tolerant of small differences.
pub fn match_post(
    title: Option<&str>,
    published: Option<&When>,
    tz: Tz,
    candidates: &[Candidate],
) -> PostMatch {
    let key = title.map(title_key).unwrap_or_default();
    let mut scored: Vec<(f64, bool, i64)> = Vec::new();
    for c in candidates {
        let sim = title_similarity(&key, &title_key(&c.title));
        let hours = match (published, c.at) {
            (Some(w), Some(at)) => Some(hours_apart(w, at, tz)),
            _ => None,
        };
        // Within 36 hours, or no time to compare (then the title must be near-equal).
        let (near, close) = match hours {
            Some(h) => (h <= 36.0, h <= 2.0),
            None => (sim >= 0.9, false),
        };
        if !near {
            continue;
        }
        if key.is_empty() {
            // No title: only the time can tell, and only a close one.
            if close {
                scored.push((0.5, false, c.id));
            }
            continue;
        }
        if sim >= 0.5 {
            scored.push((sim, sim >= 0.9 && close, c.id));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
    match scored.as_slice() {
        [] => PostMatch::None,
        [(_, true, id)] => PostMatch::Exact(*id),
        [(s, false, id)] => PostMatch::Weak { id: *id, score: *s },
        [(s0, e0, id), (s1, e1, _), ..] => {
            if *e0 && !*e1 && s0 - s1 >= 0.05 {
                PostMatch::Exact(*id)
            } else if s0 - s1 >= 0.2 {
                PostMatch::Weak {
                    id: *id,
                    score: *s0,
                }
            } else {
                PostMatch::Ambiguous(
                    scored
                        .iter()
                        .take_while(|(s, ..)| s0 - s < 0.2)
                        .map(|(.., id)| *id)
                        .take(10)
                        .collect(),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn each_platforms_headers_map_themselves() {
        let xhs = headers(&[
            "笔记标题",
            "首次发布时间",
            "体裁",
            "曝光",
            "观看量",
            "封面点击率",
            "点赞",
            "评论",
            "收藏",
            "涨粉",
            "分享",
            "人均观看时长",
            "弹幕",
        ]);
        let m = suggest_mapping(&xhs);
        let want: &[(&str, usize)] = &[
            ("title", 0),
            ("published_at", 1),
            ("impressions", 3),
            ("reads", 4),
            ("likes", 6),
            ("comments", 7),
            ("saves", 8),
            ("follows", 9),
            ("shares", 10),
            ("avg_watch_seconds", 11),
        ];
        for (f, c) in want {
            assert_eq!(m.get(*f), Some(c), "{f}");
        }
        let dy = headers(&[
            "作品名称",
            "发布时间",
            "体裁",
            "审核状态",
            "播放量",
            "完播率",
            "5s完播率",
            "封面点击率",
            "2s跳出率",
            "平均播放时长",
            "点赞量",
            "分享量",
            "评论量",
            "收藏量",
            "主页访问量",
            "粉丝增量",
        ]);
        let m = suggest_mapping(&dy);
        assert_eq!(m.get("reads"), Some(&4));
        assert_eq!(m.get("completion_rate"), Some(&5));
        assert_eq!(m.get("follows"), Some(&15));
        let sph = headers(&[
            "视频描述",
            "视频ID",
            "发布时间",
            "完播率",
            "平均播放时长",
            "播放量",
            "推荐",
            "喜欢",
            "评论量",
            "分享量",
            "关注量",
            "转发聊天和朋友圈",
        ]);
        let m = suggest_mapping(&sph);
        assert_eq!(
            (m.get("post_id"), m.get("likes"), m.get("follows")),
            (Some(&1), Some(&7), Some(&10))
        );
        assert!(check_mapping(&m, &sph).is_ok());
    }

    #[test]
    fn rows_read_as_the_exports_write_them() {
        let h = headers(&[
            "视频描述",
            "发布时间",
            "播放量",
            "完播率",
            "平均播放时长",
            "喜欢",
            "评论量",
        ]);
        let m = suggest_mapping(&h);
        let ctx = Context {
            tz: chrono_tz::Asia::Shanghai,
            today: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
            as_of: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
        };
        let row = SheetRow {
            number: 4,
            cells: [
                "星河S7 智能座舱\n实测",
                "2026/5/29",
                "10w+",
                "11.14%",
                "32.50秒",
                "3,456",
                "-",
            ]
            .map(String::from)
            .to_vec(),
        };
        let v = read_row(&ctx, &h, &m, &row).unwrap();
        assert_eq!(v.count("reads"), Some(100_000));
        assert_eq!(v.at_least_bits(), 1 << 1);
        assert_eq!(v.count("likes"), Some(3456));
        assert_eq!(v.count("comments"), None);
        assert!((v.completion_rate.unwrap() - 0.1114).abs() < 1e-12);
        assert_eq!(v.avg_watch_seconds, Some(32.5));
        assert!(v.published.unwrap().date_only);
        let bad = SheetRow {
            number: 5,
            cells: ["", "昨天", "-5", "x", "", "1.2万", "3"]
                .map(String::from)
                .to_vec(),
        };
        let issues = read_row(&ctx, &h, &m, &bad).unwrap_err();
        let got: Vec<(Option<usize>, &str)> =
            issues.iter().map(|i| (i.column, i.code.as_str())).collect();
        assert_eq!(
            got,
            [
                (Some(0), "validation.required"),
                (Some(1), "imports.not_a_date"),
                (Some(2), "imports.negative"),
                (Some(3), "imports.not_a_rate")
            ]
        );
        assert!(issues.iter().all(|i| i.row == 5));
    }

    #[test]
    fn mixed_date_forms_are_named() {
        let forms = [
            (2, DateForm::Numeric),
            (3, DateForm::Chinese),
            (4, DateForm::NoYear),
            (5, DateForm::Numeric),
            (6, DateForm::Serial),
        ];
        let got = mixed_forms(&forms);
        assert_eq!(
            got,
            [
                (4, DateForm::NoYear, DateForm::Numeric),
                (6, DateForm::Serial, DateForm::Numeric)
            ]
        );
        assert!(mixed_forms(&[(2, DateForm::Numeric), (3, DateForm::Chinese)]).is_empty());
    }

    #[test]
    fn titles_and_times_find_their_post() {
        let tz = chrono_tz::Asia::Shanghai;
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let cands = vec![
            Candidate {
                id: 1,
                title: "星河S7 智能座舱实测！".into(),
                at: Some(at("2026-11-03T12:00:00Z")),
            },
            Candidate {
                id: 2,
                title: "周末带娃去露营🏕️".into(),
                at: Some(at("2026-11-04T12:00:00Z")),
            },
            Candidate {
                id: 3,
                title: "星河S7 续航实测".into(),
                at: Some(at("2026-11-10T12:00:00Z")),
            },
            Candidate {
                id: 4,
                title: "星河S7 续航实测 第二期".into(),
                at: Some(at("2026-11-10T13:00:00Z")),
            },
        ];
        let when = |s: &str| {
            values::when(s, tz, NaiveDate::from_ymd_opt(2026, 12, 7).unwrap())
                .unwrap()
                .unwrap()
        };
        // Punctuation and spacing aside, the same title, 15 minutes apart.
        assert_eq!(
            match_post(
                Some("星河S7智能座舱实测"),
                Some(&when("2026-11-03 20:15")),
                tz,
                &cands
            ),
            PostMatch::Exact(1)
        );
        // A date-only cell on the same day.
        assert_eq!(
            match_post(
                Some("周末带娃去露营"),
                Some(&when("2026-11-04")),
                tz,
                &cands
            ),
            PostMatch::Exact(2)
        );
        // An edited title a day off: weak.
        assert!(matches!(
            match_post(
                Some("周末带娃露营 好玩"),
                Some(&when("2026-11-05 10:00")),
                tz,
                &cands
            ),
            PostMatch::Weak { id: 2, .. }
        ));
        // Two alike posts an hour apart: the user chooses.
        assert!(
            matches!(match_post(Some("星河S7 续航"), Some(&when("2026-11-10 20:30")), tz, &cands), PostMatch::Ambiguous(ids) if ids.contains(&3) && ids.contains(&4))
        );
        // Nothing near in time: a new post.
        assert_eq!(
            match_post(
                Some("星河S7智能座舱实测"),
                Some(&when("2026-10-01 20:15")),
                tz,
                &cands
            ),
            PostMatch::None
        );
        assert_eq!(
            match_post(
                Some("完全不同的内容"),
                Some(&when("2026-11-03 20:00")),
                tz,
                &cands
            ),
            PostMatch::None
        );
    }

    #[test]
    fn links_compare_without_their_decoration() {
        assert_eq!(
            url_key("https://www.XiaoHongShu.com/explore/abc/?xsec=1#c"),
            "xiaohongshu.com/explore/abc"
        );
        assert_eq!(
            url_key("http://xiaohongshu.com/explore/abc"),
            "xiaohongshu.com/explore/abc"
        );
    }
}
