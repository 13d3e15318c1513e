//! Checks on a content item before it is reviewed and published: red lines (see `red_lines`),
//! the campaign's required hashtags, the platform's title/body limits and the live post URL.
//! Pure.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::campaigns::Hashtag;
use crate::red_lines::{RedLineHit, RedLineSet, Severity};
use crate::validation::{self, FieldError, Fields};

/// Hashtags written in the text: `#话题#` (小红书/微博 style) and `#话题` followed by a space,
/// a line end or another tag.
pub fn hashtags_in(text: &str) -> Vec<Hashtag> {
    let mut out: Vec<Hashtag> = Vec::new();
    let is_mark = |c: char| c == '#' || c == '＃';
    let mut rest = text;
    while let Some(i) = rest.find(is_mark) {
        let after = &rest[i + rest[i..].chars().next().map_or(1, char::len_utf8)..];
        let end = after
            .find(|c: char| {
                is_mark(c)
                    || c.is_whitespace()
                    || "，。！？、,.!?;；:：()（）[]【】「」\"'“”".contains(c)
            })
            .unwrap_or(after.len());
        let word = &after[..end];
        if let Ok(t) = Hashtag::parse("body", word)
            && !out.contains(&t)
        {
            out.push(t);
        }
        // A closing `#` of `#a#` must not open the next tag.
        let consumed = if after[end..].starts_with(is_mark) {
            end + after[end..].chars().next().map_or(1, char::len_utf8)
        } else {
            end
        };
        rest = &after[consumed..];
    }
    out
}

/// The required hashtags present neither in the item's hashtag list nor in its body.
pub fn missing_hashtags(required: &[Hashtag], listed: &[Hashtag], body: &str) -> Vec<Hashtag> {
    let in_body = hashtags_in(body);
    let norm = |h: &Hashtag| h.as_str().to_lowercase();
    required
        .iter()
        .filter(|r| {
            let r = norm(r);
            !listed.iter().chain(in_body.iter()).any(|h| norm(h) == r)
        })
        .cloned()
        .collect()
}

/// Title and body limits of one platform, in characters (`None` = no limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    pub title_max: Option<i64>,
    pub body_max: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LengthCheck {
    pub field: String,
    pub count: i64,
    pub max: i64,
}

/// What an item needs before review and publishing; computed, never stored as truth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
pub struct ContentChecks {
    pub red_lines: Vec<RedLineHit>,
    #[schema(value_type = Vec<String>)]
    pub missing_hashtags: Vec<Hashtag>,
    pub over_length: Vec<LengthCheck>,
    pub title_count: i64,
    pub body_count: i64,
    pub title_max: Option<i64>,
    pub body_max: Option<i64>,
    pub media_missing: bool,
    /// A block-severity red line was hit: approval needs a director's override.
    pub blocking: bool,
}

impl ContentChecks {
    /// Block-severity hits, for the card.
    pub fn blocking_hits(&self) -> i64 {
        count(
            self.red_lines
                .iter()
                .filter(|h| h.severity == Severity::Block),
        )
    }
    /// Everything else worth a look, for the card.
    pub fn warnings(&self) -> i64 {
        count(
            self.red_lines
                .iter()
                .filter(|h| h.severity == Severity::Warn),
        ) + count(self.missing_hashtags.iter())
            + count(self.over_length.iter())
            + i64::from(self.media_missing)
    }
}

fn count<T>(it: impl Iterator<Item = T>) -> i64 {
    i64::try_from(it.count()).unwrap_or(i64::MAX)
}

/// What the checks look at.
pub struct CheckInput<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub hashtags: &'a [Hashtag],
    pub media: &'a [String],
    /// The campaign's required hashtags (empty without a campaign).
    pub required_hashtags: &'a [Hashtag],
    /// The account's platform limits (default without an account).
    pub limits: Limits,
    /// Media is expected once an account is chosen (every platform posts images or video).
    pub has_account: bool,
}

pub fn check(red_lines: &RedLineSet, input: &CheckInput<'_>) -> ContentChecks {
    let mut hits = red_lines.scan("title", input.title);
    hits.extend(red_lines.scan("body", input.body));
    let title_count = count(input.title.chars());
    let body_count = count(input.body.chars());
    let mut over = Vec::new();
    for (field, n, max) in [
        ("title", title_count, input.limits.title_max),
        ("body", body_count, input.limits.body_max),
    ] {
        if let Some(max) = max
            && n > max
        {
            over.push(LengthCheck {
                field: field.into(),
                count: n,
                max,
            });
        }
    }
    ContentChecks {
        blocking: hits.iter().any(|h| h.severity == Severity::Block),
        red_lines: hits,
        missing_hashtags: missing_hashtags(input.required_hashtags, input.hashtags, input.body),
        over_length: over,
        title_count,
        body_count,
        title_max: input.limits.title_max,
        body_max: input.limits.body_max,
        media_missing: input.has_account && input.media.is_empty(),
    }
}

// ---------------------------------------------------------------------------------------------
// Post URLs

/// Defaults per platform code: (title max, body max, URL patterns). A pattern is
/// `host/path-prefix`; the host matches itself and its subdomains; a bare `host/` accepts any
/// path (short links such as xhslink.com).
type PlatformDefault = (
    &'static str,
    Option<i64>,
    Option<i64>,
    &'static [&'static str],
);

pub const PLATFORM_DEFAULTS: &[PlatformDefault] = &[
    (
        "xiaohongshu",
        Some(20),
        Some(1000),
        &[
            "xiaohongshu.com/explore/",
            "xiaohongshu.com/discovery/item/",
            "xhslink.com/",
        ],
    ),
    (
        "douyin",
        Some(30),
        Some(1000),
        &[
            "douyin.com/video/",
            "douyin.com/note/",
            "iesdouyin.com/share/video/",
            "v.douyin.com/",
        ],
    ),
    (
        "weibo",
        None,
        Some(2000),
        &["weibo.com/", "weibo.cn/", "t.cn/"],
    ),
    (
        "bilibili",
        Some(80),
        Some(2000),
        &["bilibili.com/video/", "bilibili.com/read/", "b23.tv/"],
    ),
    (
        "wechat_channels",
        Some(16),
        Some(1000),
        &["channels.weixin.qq.com/", "weixin.qq.com/sph/"],
    ),
    (
        "kuaishou",
        None,
        Some(500),
        &[
            "kuaishou.com/short-video/",
            "kuaishou.com/f/",
            "v.kuaishou.com/",
        ],
    ),
    (
        "zhihu",
        Some(100),
        None,
        &[
            "zhihu.com/question/",
            "zhuanlan.zhihu.com/p/",
            "zhihu.com/zvideo/",
            "zhihu.com/pin/",
        ],
    ),
    (
        "dongchedi",
        Some(30),
        None,
        &[
            "dongchedi.com/article/",
            "dongchedi.com/video/",
            "dongchedi.com/ugc/",
        ],
    ),
    ("autohome", Some(30), None, &["autohome.com.cn/"]),
];

/// The built-in defaults of a platform code, if KOX knows it.
pub fn platform_defaults(code: &str) -> Option<(Limits, Vec<String>)> {
    PLATFORM_DEFAULTS
        .iter()
        .find(|d| d.0 == code)
        .map(|(_, t, b, p)| {
            (
                Limits {
                    title_max: *t,
                    body_max: *b,
                },
                p.iter().map(|s| (*s).to_owned()).collect(),
            )
        })
}

/// Normalises one URL pattern (`https://` and `www.` dropped, lowercase host, `/` after the host).
pub fn parse_url_pattern(field: &str, raw: &str) -> Fields<String> {
    let t = raw.trim();
    let t = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"))
        .unwrap_or(t);
    let (host, path) = t.split_once('/').unwrap_or((t, ""));
    let host = host.trim_start_matches("www.").to_lowercase();
    let ok = host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && !path.contains(char::is_whitespace)
        && t.len() <= 200;
    if ok {
        Ok(format!("{host}/{path}"))
    } else {
        Err(FieldError::new(
            field,
            "validation.url_pattern",
            "a pattern is a host and optional path prefix, e.g. xiaohongshu.com/explore/",
        ))
    }
}

/// Checks a live post URL against the platform's patterns and returns the normalised URL and,
/// for a full (non-short) link, the post id: the path segment after the pattern's prefix.
pub fn match_post_url(
    patterns: &[String],
    platform_name: &str,
    raw: &str,
) -> Fields<(String, Option<String>)> {
    let url = validation::http_url("post_url", raw)?;
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(&url);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.split(':').next().unwrap_or(host).to_lowercase();
    let path = path.split(['?', '#']).next().unwrap_or("");
    for p in patterns {
        let (ph, pp) = p.split_once('/').unwrap_or((p, ""));
        let host_ok = host == ph || host.ends_with(&format!(".{ph}"));
        if host_ok && path.starts_with(pp) {
            let id = (!pp.is_empty())
                .then(|| path[pp.len()..].split('/').find(|s| !s.is_empty()))
                .flatten()
                .map(str::to_owned);
            return Ok((url.clone(), id));
        }
    }
    Err(FieldError::new(
        "post_url",
        "content.post_url_platform",
        match example_post_url(patterns) {
            Some(e) => format!("this is not a {platform_name} post link; one looks like {e}"),
            None => format!("this is not a {platform_name} post link"),
        },
    ))
}

/// What a post link of the platform looks like, from its first link rule (`host/path-prefix`),
/// for the form's hint and the wrong-link message: `https://www.xiaohongshu.com/explore/…`. A
/// bare second-level host gets the `www.` a browser shows; `None` without rules.
pub fn example_post_url(patterns: &[String]) -> Option<String> {
    let p = patterns.first()?;
    let host = p.split('/').next().unwrap_or(p);
    let www = if host.matches('.').count() == 1 {
        "www."
    } else {
        ""
    };
    Some(format!("https://{www}{p}…"))
}

// Case tables spell out their row type inline, which is the point of a table.
#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_are_read_in_both_forms_and_required_ones_reported_missing() {
        let h = |s: &str| Hashtag::parse("t", s).unwrap();
        assert_eq!(
            hashtags_in("提车啦 #星河S7# #智能驾驶 好开\n#续航#"),
            vec![h("星河S7"), h("智能驾驶"), h("续航")]
        );
        assert_eq!(
            hashtags_in("#星河S7##新能源#"),
            vec![h("星河S7"), h("新能源")]
        );
        assert_eq!(hashtags_in("没有话题 # 空的"), vec![]);
        let required = [h("星河S7"), h("星河S7上市"), h("电车")];
        assert_eq!(
            missing_hashtags(&required, &[h("电车")], "好车 #星河s7#"),
            vec![h("星河S7上市")]
        );
    }

    #[test]
    fn lengths_are_counted_in_characters_against_the_platform_limits() {
        let set = RedLineSet::new(vec![]);
        let title = "星".repeat(21);
        let c = check(
            &set,
            &CheckInput {
                title: &title,
                body: "正文",
                hashtags: &[],
                media: &[],
                required_hashtags: &[],
                limits: Limits {
                    title_max: Some(20),
                    body_max: Some(1000),
                },
                has_account: true,
            },
        );
        assert_eq!(c.title_count, 21);
        assert_eq!(
            c.over_length,
            vec![LengthCheck {
                field: "title".into(),
                count: 21,
                max: 20
            }]
        );
        assert!(c.media_missing);
        assert!(!c.blocking);
        assert_eq!(c.warnings(), 2);
    }

    #[test]
    fn post_urls_are_recognised_per_platform_with_short_links() {
        let (limits, xhs) = platform_defaults("xiaohongshu").unwrap();
        assert_eq!(limits.title_max, Some(20));
        let (_, douyin) = platform_defaults("douyin").unwrap();
        let ok = |p: &[String], u: &str| match_post_url(p, "x", u).map(|(_, id)| id);
        let cases: &[(&[String], &str, Result<Option<&str>, &str>)] = &[
            (
                &xhs,
                "https://www.xiaohongshu.com/explore/6650a1b2c3d4e5f6a7b8c9d0?xsec=1",
                Ok(Some("6650a1b2c3d4e5f6a7b8c9d0")),
            ),
            (&xhs, "http://xhslink.com/a/Bc12", Ok(None)),
            (
                &xhs,
                "https://www.douyin.com/video/7312345678901234567",
                Err("content.post_url_platform"),
            ),
            (
                &xhs,
                "https://evil-xiaohongshu.com/explore/1",
                Err("content.post_url_platform"),
            ),
            (
                &xhs,
                "https://www.xiaohongshu.com/user/profile/1",
                Err("content.post_url_platform"),
            ),
            (&xhs, "xiaohongshu.com/explore/1", Err("validation.url")),
            (
                &douyin,
                "https://www.douyin.com/video/7312345678901234567",
                Ok(Some("7312345678901234567")),
            ),
            (&douyin, "https://v.douyin.com/iRNBho6u/", Ok(None)),
        ];
        for (patterns, url, want) in cases {
            assert_eq!(
                ok(patterns, url).map_err(|e| e.code),
                want.map(|o| o.map(str::to_owned)),
                "{url}"
            );
        }
    }

    #[test]
    fn a_wrong_link_names_the_platform_and_what_its_links_look_like() {
        let xhs: Vec<String> = vec!["xiaohongshu.com/explore/".into(), "xhslink.com/".into()];
        let cases: &[(&[String], Option<&str>)] = &[
            (&xhs, Some("https://www.xiaohongshu.com/explore/…")),
            (&["v.douyin.com/".into()], Some("https://v.douyin.com/…")),
            (&["b23.tv/".into()], Some("https://www.b23.tv/…")),
            (&[], None),
        ];
        for (patterns, want) in cases {
            assert_eq!(example_post_url(patterns).as_deref(), *want);
        }
        let e = match_post_url(&xhs, "小红书", "https://www.douyin.com/video/1").unwrap_err();
        assert_eq!(
            e.message,
            "this is not a 小红书 post link; one looks like https://www.xiaohongshu.com/explore/…"
        );
    }

    #[test]
    fn url_patterns_are_normalised_or_refused() {
        assert_eq!(
            parse_url_pattern("p", " https://www.XiaoHongShu.com/explore/ ").unwrap(),
            "xiaohongshu.com/explore/"
        );
        assert_eq!(parse_url_pattern("p", "b23.tv").unwrap(), "b23.tv/");
        assert!(parse_url_pattern("p", "not a host").is_err());
        assert!(parse_url_pattern("p", "localhost/").is_err());
    }
}
