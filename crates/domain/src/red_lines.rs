//! The red-line library (红线): the workspace's phrases and the advertising-law absolute terms
//! (最, 第一, 国家级 …) with their exceptions, and matching them in Chinese text: Aho-Corasick
//! without word boundaries, the longest rule winning, positions in characters for highlighting.
//! An exception excuses a hit only where the exception is the word used: its occurrence must
//! begin and end where the text's words do (jieba's segmentation), so 绝对值 excuses 绝对 in
//! 求绝对值 but not in 绝对值得 (绝对 / 值得). Pure.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::access::{Caller, Capability};
use crate::validation::{self, FieldError, Fields};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Blocks approval unless a director overrides with a written reason.
    #[default]
    Block,
    /// Shown on the card and in review; the reviewer decides.
    Warn,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Block => "block",
            Severity::Warn => "warn",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        [Severity::Block, Severity::Warn]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// Advertising-law absolute terms (《广告法》第九条: 国家级, 最高级, 最佳 and the like) every
/// workspace starts with, each with the everyday phrases that contain it but claim nothing
/// (最近, 第一次 …). Workspaces edit, disable or delete them like their own lines.
pub const BUILTIN_RED_LINES: &[(&str, Severity, &[&str])] = &[
    (
        "最",
        Severity::Block,
        &["最近", "最后", "最初", "最终", "最新款", "最快捷键"],
    ),
    (
        "第一",
        Severity::Block,
        &[
            "第一次",
            "第一时间",
            "第一步",
            "第一天",
            "第一眼",
            "第一批",
            "第一视角",
            "第一人称",
        ],
    ),
    ("唯一", Severity::Block, &["唯一标识"]),
    ("首个", Severity::Block, &[]),
    ("首选", Severity::Block, &[]),
    ("国家级", Severity::Block, &[]),
    ("世界级", Severity::Block, &[]),
    ("全球级", Severity::Block, &[]),
    ("顶级", Severity::Block, &[]),
    ("极致", Severity::Block, &[]),
    ("极品", Severity::Block, &[]),
    ("销量冠军", Severity::Block, &[]),
    ("独一无二", Severity::Block, &[]),
    ("史无前例", Severity::Block, &[]),
    ("万能", Severity::Block, &[]),
    ("零风险", Severity::Block, &[]),
    ("100%", Severity::Warn, &[]),
    ("绝对", Severity::Warn, &["绝对值"]),
    ("永久", Severity::Warn, &[]),
];

/// A red line as the matcher needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedLineRule {
    pub phrase: String,
    pub severity: Severity,
    pub exceptions: Vec<String>,
    pub note: String,
}

/// A red line as the workspace stores and edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RedLine {
    pub id: i64,
    pub phrase: String,
    pub severity: Severity,
    pub exceptions: Vec<String>,
    pub note: String,
    /// One of the built-in advertising-law terms (possibly edited).
    pub builtin: bool,
    pub enabled: bool,
    /// What the member who asked may do with this line (see [`RedLine::with_allowed`]).
    #[serde(default)]
    #[schema(required = true)]
    pub allowed: RedLineAllowed,
}

/// What one member may change on one line, from the loosening rule
/// ([`RedLineDraft::loosened_by`]): the UI shows exactly these controls.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[allow(clippy::struct_excessive_bools)] // one switch per control, as the UI reads them
pub struct RedLineAllowed {
    /// Edit the line at all (`red_lines.manage`).
    pub edit: bool,
    /// Delete it (always loosening).
    pub remove: bool,
    /// Flip its enabled switch.
    pub toggle: bool,
    /// Change its phrase.
    pub phrase: bool,
    /// Make it `warn`.
    pub warn: bool,
    /// Add exceptions (removing one never loosens).
    pub add_exceptions: bool,
    /// Something above is held back for want of `red_lines.loosen` (the UI says why).
    pub limited: bool,
}

impl RedLine {
    /// The line's editable fields as they are.
    pub fn draft(&self) -> RedLineDraft {
        RedLineDraft {
            phrase: self.phrase.clone(),
            severity: self.severity,
            exceptions: self.exceptions.clone(),
            note: self.note.clone(),
            enabled: self.enabled,
        }
    }

    /// The line with what `caller` may do with it: each control is allowed unless the change
    /// it makes loosens the line and the caller may not loosen.
    #[must_use]
    pub fn with_allowed(mut self, caller: &Caller) -> Self {
        let edit = caller.can(Capability::RedLinesManage);
        let loosen = edit && caller.can(Capability::RedLinesLoosen);
        let was = self.draft();
        let ok = |change: fn(&mut RedLineDraft)| {
            let mut next = was.clone();
            change(&mut next);
            edit && (loosen || !was.loosened_by(&next))
        };
        let toggle = ok(|d| d.enabled = !d.enabled);
        let phrase = ok(|d| d.phrase.push('\u{fffd}'));
        let warn = ok(|d| d.severity = Severity::Warn);
        let add_exceptions = ok(|d| d.exceptions.push("\u{fffd}".into()));
        self.allowed = RedLineAllowed {
            edit,
            remove: loosen,
            toggle,
            phrase,
            warn,
            add_exceptions,
            limited: edit && !(toggle && phrase && warn && add_exceptions),
        };
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedLineDraft {
    pub phrase: String,
    #[serde(default)]
    pub severity: Severity,
    #[serde(default)]
    pub exceptions: Vec<String>,
    #[serde(default)]
    pub note: String,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedLinePatch {
    pub phrase: Option<String>,
    pub severity: Option<Severity>,
    pub exceptions: Option<Vec<String>>,
    pub note: Option<String>,
    pub enabled: Option<bool>,
}

impl RedLineDraft {
    pub fn validate(mut self) -> Fields<Self> {
        self.phrase = validation::text("phrase", &self.phrase, 1, 50)?;
        let mut ex: Vec<String> = Vec::new();
        for (i, e) in self.exceptions.iter().enumerate() {
            let e = validation::text(&format!("exceptions.{i}"), e, 1, 50)?;
            // An exception excuses the phrase only where it contains it.
            if !e.to_lowercase().contains(&self.phrase.to_lowercase()) {
                return Err(FieldError::new(
                    format!("exceptions.{i}"),
                    "red_lines.exception_unrelated",
                    "an exception must contain the phrase it excuses (e.g. 最近 for 最)",
                ));
            }
            if !ex.contains(&e) {
                ex.push(e);
            }
        }
        if ex.len() > 50 {
            return Err(FieldError::new(
                "exceptions",
                "validation.too_many",
                "at most 50 exceptions",
            ));
        }
        self.exceptions = ex;
        self.note = validation::text("note", &self.note, 0, 200)?;
        Ok(self)
    }

    /// Whether changing a line from `self` to `next` loosens the rules: it stops matching where
    /// it matched (disabled, a new phrase, a new exception) or stops blocking (block → warn).
    /// Loosening is for those who may override a block (`red_lines.loosen`); the content hub
    /// may add lines and tighten them. A disabled line's edits loosen nothing until it is
    /// enabled again — and enabling is tightening.
    pub fn loosened_by(&self, next: &RedLineDraft) -> bool {
        if !self.enabled {
            return false;
        }
        !next.enabled
            || next.phrase.to_lowercase() != self.phrase.to_lowercase()
            || (self.severity == Severity::Block && next.severity == Severity::Warn)
            || next.exceptions.iter().any(|e| !self.exceptions.contains(e))
    }

    /// Red lines are edited without version checks (a settings list, not a shared record).
    pub fn apply(&mut self, p: RedLinePatch) {
        if let Some(v) = p.phrase {
            self.phrase = v;
        }
        if let Some(v) = p.severity {
            self.severity = v;
        }
        if let Some(v) = p.exceptions {
            self.exceptions = v;
        }
        if let Some(v) = p.note {
            self.note = v;
        }
        if let Some(v) = p.enabled {
            self.enabled = v;
        }
    }
}

/// Where a red line was found. `start`/`end` count characters (Unicode scalar values), `end`
/// exclusive, so a browser slices with `Array.from(text)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RedLineHit {
    pub phrase: String,
    pub severity: Severity,
    /// `title` or `body`.
    pub field: String,
    pub start: usize,
    pub end: usize,
    pub note: String,
}

/// The compiled matcher of one workspace's enabled red lines.
#[derive(Debug, Clone)]
pub struct RedLineSet {
    rules: Vec<RedLineRule>,
    /// Pattern i belongs to `owner[i]` = (rule index, is an exception).
    owner: Vec<(usize, bool)>,
    ac: Option<AhoCorasick>,
}

impl RedLineSet {
    pub fn new(rules: Vec<RedLineRule>) -> RedLineSet {
        let mut patterns: Vec<&str> = Vec::new();
        let mut owner = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            patterns.push(&r.phrase);
            owner.push((i, false));
            for e in &r.exceptions {
                patterns.push(e);
                owner.push((i, true));
            }
        }
        // Overlapping search needs the standard match semantics; every phrase and exception is
        // reported wherever it occurs, so "最新款最强" yields 最 twice and 最新款 once.
        let ac = (!patterns.is_empty())
            .then(|| {
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .ascii_case_insensitive(true)
                    .build(&patterns)
                    .ok()
            })
            .flatten();
        RedLineSet { rules, owner, ac }
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Every hit in `text`, in order of position; a hit inside one of its rule's exceptions is
    /// excused where that exception is a word of the text (or words: it begins and ends on
    /// word boundaries). When one rule's hit lies inside a longer rule's hit (最 inside 最佳 if both are
    /// listed), only the longer is reported.
    pub fn scan(&self, field: &str, text: &str) -> Vec<RedLineHit> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let mut hits: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, rule) in bytes
        let mut excused: Vec<(usize, usize, usize)> = Vec::new();
        for m in ac.find_overlapping_iter(text) {
            let (rule, is_exception) = self.owner[m.pattern().as_usize()];
            let span = (m.start(), m.end(), rule);
            if is_exception {
                excused.push(span);
            } else {
                hits.push(span);
            }
        }
        // The text is segmented only when an exception covers a hit (rarely).
        let mut words: Option<Vec<usize>> = None;
        hits.retain(|&(s, e, r)| {
            !excused.iter().any(|&(xs, xe, xr)| {
                xr == r && xs <= s && e <= xe && {
                    let w = words.get_or_insert_with(|| word_bounds(text));
                    w.binary_search(&xs).is_ok() && w.binary_search(&xe).is_ok()
                }
            })
        });
        let all = hits.clone();
        hits.retain(|&(s, e, r)| {
            !all.iter()
                .any(|&(os, oe, or)| or != r && os <= s && e <= oe && (oe - os) > (e - s))
        });
        hits.sort_unstable();
        hits.dedup();
        let to_char = CharIndex::new(text);
        hits.into_iter()
            .map(|(s, e, r)| {
                let rule = &self.rules[r];
                RedLineHit {
                    phrase: rule.phrase.clone(),
                    severity: rule.severity,
                    field: field.to_owned(),
                    start: to_char.at(s),
                    end: to_char.at(e),
                    note: rule.note.clone(),
                }
            })
            .collect()
    }
}

/// The segmenter, built from jieba's embedded dictionary on first use (about 0.4 s; only a text
/// with a hit inside an exception needs it).
static SEGMENTER: LazyLock<jieba_rs::Jieba> = LazyLock::new(jieba_rs::Jieba::new);

/// The byte offsets where the words of `text` begin, and its end, ascending. Without jieba's
/// HMM: a run it has no word for stays single characters, so only dictionary words join
/// characters, and an exception is never excused by a word guessed around it.
fn word_bounds(text: &str) -> Vec<usize> {
    let base = text.as_ptr() as usize;
    let mut bounds: Vec<usize> = SEGMENTER
        .cut(text, false)
        .into_iter()
        .map(|w| w.as_ptr() as usize - base)
        .collect();
    bounds.push(text.len());
    bounds
}

/// Byte offset → character offset for one text.
struct CharIndex(Vec<usize>);

impl CharIndex {
    fn new(text: &str) -> Self {
        let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        v.push(text.len());
        CharIndex(v)
    }
    fn at(&self, byte: usize) -> usize {
        self.0.partition_point(|&b| b < byte)
    }
}

// Case tables spell out their row type inline, which is the point of a table.
#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;

    #[test]
    fn each_line_says_which_controls_a_member_has_from_the_loosening_rule() {
        use crate::UserId;
        use crate::access::Role;
        let line = |enabled: bool, severity: Severity| RedLine {
            id: 1,
            phrase: "最".into(),
            severity,
            exceptions: vec!["最近".into()],
            note: String::new(),
            builtin: true,
            enabled,
            allowed: RedLineAllowed::default(),
        };
        let who = |role| Caller::member(UserId(1), role);
        let everything = RedLineAllowed {
            edit: true,
            remove: true,
            toggle: true,
            phrase: true,
            warn: true,
            add_exceptions: true,
            limited: false,
        };
        // (role, enabled, severity) → (remove, toggle, phrase, warn, add_exceptions, limited)
        let cases: &[(Role, bool, Severity, Option<[bool; 6]>)] = &[
            (Role::Director, true, Severity::Block, None),
            (Role::Admin, false, Severity::Warn, None),
            // The hub tightens: nothing that loosens a live line, everything on a disabled one
            // but deleting it.
            (
                Role::Editor,
                true,
                Severity::Block,
                Some([false, false, false, false, false, true]),
            ),
            (
                Role::Planner,
                true,
                Severity::Warn,
                Some([false, false, false, true, false, true]),
            ),
            (
                Role::Editor,
                false,
                Severity::Block,
                Some([false, true, true, true, true, false]),
            ),
        ];
        for (role, enabled, severity, want) in cases {
            let got = line(*enabled, *severity).with_allowed(&who(*role)).allowed;
            let want = want.map_or(
                everything,
                |[remove, toggle, phrase, warn, add_exceptions, limited]| RedLineAllowed {
                    edit: true,
                    remove,
                    toggle,
                    phrase,
                    warn,
                    add_exceptions,
                    limited,
                },
            );
            assert_eq!(got, want, "{role:?} enabled={enabled} {severity:?}");
        }
        for role in [Role::Operator, Role::Viewer, Role::Analyst] {
            assert_eq!(
                line(true, Severity::Block).with_allowed(&who(role)).allowed,
                RedLineAllowed::default(),
                "{role:?}"
            );
        }
    }

    fn builtin_rules() -> Vec<RedLineRule> {
        BUILTIN_RED_LINES
            .iter()
            .map(|(p, s, ex)| RedLineRule {
                phrase: (*p).into(),
                severity: *s,
                exceptions: ex.iter().map(|e| (*e).into()).collect(),
                note: String::new(),
            })
            .collect()
    }

    fn builtin() -> RedLineSet {
        RedLineSet::new(builtin_rules())
    }

    fn spans(set: &RedLineSet, text: &str) -> Vec<(String, usize, usize)> {
        set.scan("body", text)
            .into_iter()
            .map(|h| (h.phrase, h.start, h.end))
            .collect()
    }

    #[test]
    fn advertising_law_terms_are_found_in_chinese_text_with_character_positions() {
        let set = builtin();
        let cases: &[(&str, &[(&str, usize, usize)])] = &[
            ("全网最强的电车", &[("最", 2, 3)]),
            ("最近试驾了星河S7", &[]),
            ("这是我第一次开电车，它是同级第一", &[("第一", 14, 16)]),
            (
                "国家级实验室认证，顶级音响",
                &[("国家级", 0, 3), ("顶级", 9, 11)],
            ),
            ("续航100%真实", &[("100%", 2, 6)]),
            ("🚗 极致体验", &[("极致", 2, 4)]),
            ("普通的一天", &[]),
            ("", &[]),
        ];
        for (text, want) in cases {
            let want: Vec<(String, usize, usize)> =
                want.iter().map(|(p, s, e)| ((*p).into(), *s, *e)).collect();
            assert_eq!(spans(&set, text), want, "{text}");
        }
    }

    #[test]
    fn the_character_offsets_slice_the_hit_out_of_the_text() {
        let text = "👍星河S7，最佳选择";
        let hit = &builtin().scan("title", text)[0];
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[hit.start..hit.end].iter().collect::<String>(), "最");
        assert_eq!(hit.field, "title");
    }

    #[test]
    fn an_exception_excuses_only_its_own_rule_and_the_longest_rule_wins() {
        let rule = |p: &str, ex: &[&str], s| RedLineRule {
            phrase: p.into(),
            severity: s,
            exceptions: ex.iter().map(|e| (*e).into()).collect(),
            note: "品牌红线".into(),
        };
        let set = RedLineSet::new(vec![
            rule("秒杀", &["秒杀价"], Severity::Block),
            rule("秒杀全网", &[], Severity::Block),
            rule("SALE", &[], Severity::Warn),
        ]);
        assert_eq!(spans(&set, "今日秒杀价"), vec![]);
        assert_eq!(spans(&set, "续航秒杀全网"), vec![("秒杀全网".into(), 2, 6)]);
        // ASCII is matched without case; the note travels with the hit.
        let h = set.scan("title", "Black Sale");
        assert_eq!(
            (h[0].start, h[0].end, h[0].note.as_str()),
            (6, 10, "品牌红线")
        );
        assert!(RedLineSet::new(vec![]).scan("body", "最").is_empty());
    }

    #[test]
    fn an_exception_excuses_a_hit_only_where_it_is_the_word_used() {
        let mut rules = builtin_rules();
        // A workspace's own exception beside the built-in 绝对值.
        for r in rules.iter_mut().filter(|r| r.phrase == "绝对") {
            r.exceptions.push("绝对温度".into());
        }
        let set = RedLineSet::new(rules);
        // (text, the hits still reported)
        let cases: &[(&str, &[(&str, usize, usize)])] = &[
            // The exception is the word used: excused.
            ("先求出绝对值再比较", &[]),
            ("绝对值是非负数", &[]),
            ("绝对温度的单位是开尔文", &[]),
            ("最近试驾了星河S7", &[]),
            ("最后一公里也很顺", &[]),
            ("最终版本定稿", &[]),
            ("最新款SUV上市", &[]),
            ("这是我第一次开电车", &[]),
            ("第一时间送达", &[]),
            // The exception's characters are there, but the words are others: reported.
            ("这台车绝对值得买", &[("绝对", 3, 5)]),
            ("绝对值得一试", &[("绝对", 0, 2)]),
            ("最新款式全网同步", &[("最", 0, 1)]),
            ("这是最近期的数据里最好的", &[("最", 2, 3), ("最", 9, 10)]),
            // One text, both: only the hit outside a word of its exception is reported.
            ("绝对值和绝对值得", &[("绝对", 4, 6)]),
        ];
        for (text, want) in cases {
            let want: Vec<(String, usize, usize)> =
                want.iter().map(|(p, s, e)| ((*p).into(), *s, *e)).collect();
            assert_eq!(spans(&set, text), want, "{text}");
        }
    }

    #[test]
    fn a_red_line_exception_must_contain_its_phrase() {
        let d = |ex: &[&str]| RedLineDraft {
            phrase: " 最 ".into(),
            severity: Severity::Block,
            exceptions: ex.iter().map(|e| (*e).into()).collect(),
            note: String::new(),
            enabled: true,
        };
        assert_eq!(
            d(&["最近", "最近"]).validate().unwrap().exceptions,
            vec!["最近"]
        );
        assert_eq!(d(&["近期"]).validate().unwrap_err().field, "exceptions.0");
        assert_eq!(d(&[]).validate().unwrap().phrase, "最");
    }
}
