//! Import presets: for each platform export, the headers its columns are known by. Presets are
//! data (`presets.json`, shipped in the binary), not code: a new export shape is a new entry.
//! A team's own saved mapping has the same shape (field → the headers it is taken from).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::imports::{ImportKind, Mapping, header_key};

/// A platform export's shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImportPreset {
    pub id: String,
    pub platform: String,
    pub kind: ImportKind,
    pub name_zh: String,
    pub name_en: String,
    /// The file holds one account's posts (the account is chosen at upload).
    pub per_account: bool,
    /// Where the export is found and what it lacks.
    pub note_zh: String,
    pub note_en: String,
    /// Field → the headers it is taken from, in order of preference.
    #[schema(value_type = Object)]
    pub columns: BTreeMap<String, Vec<String>>,
}

/// The presets KOX ships.
pub fn all() -> &'static [ImportPreset] {
    static PRESETS: OnceLock<Vec<ImportPreset>> = OnceLock::new();
    PRESETS.get_or_init(|| {
        // Part of the build and read by a test: a broken file never ships.
        serde_json::from_str(include_str!("presets.json")).expect("presets.json reads")
    })
}

pub fn find(id: &str) -> Option<&'static ImportPreset> {
    all().iter().find(|p| p.id == id)
}

/// The mapping a set of field → headers gives for a file's headers: each field takes the first
/// of its headers the file has (compared as `header_key` does), each column once.
pub fn apply(columns: &BTreeMap<String, Vec<String>>, headers: &[String]) -> Mapping {
    let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
    let mut used = vec![false; keys.len()];
    let mut out = Mapping::new();
    for (field, names) in columns {
        for n in names {
            let k = header_key(n);
            if let Some(i) = keys
                .iter()
                .enumerate()
                .position(|(i, x)| !used[i] && *x == k)
            {
                used[i] = true;
                out.insert(field.clone(), i);
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::posts;

    #[test]
    fn every_preset_reads_and_names_known_fields() {
        let presets = all();
        assert_eq!(presets.len(), 5);
        for p in presets {
            assert!(find(&p.id).is_some());
            for f in p.columns.keys() {
                assert!(posts::COLUMNS.iter().any(|c| c.field == f), "{}: {f}", p.id);
            }
            assert!(
                crate::members::DEFAULT_PLATFORMS
                    .iter()
                    .any(|(code, _)| *code == p.platform),
                "{}",
                p.id
            );
        }
    }

    #[test]
    fn a_preset_maps_its_platforms_file() {
        let headers: Vec<String> = [
            "作品名称",
            "发布时间",
            "体裁",
            "审核状态",
            "播放量",
            "完播率",
            "点赞量",
            "分享量",
            "评论量",
            "收藏量",
            "粉丝增量",
        ]
        .map(String::from)
        .to_vec();
        let m = apply(&find("douyin_works").unwrap().columns, &headers);
        let want: &[(&str, usize)] = &[
            ("title", 0),
            ("published_at", 1),
            ("reads", 4),
            ("completion_rate", 5),
            ("likes", 6),
            ("shares", 7),
            ("comments", 8),
            ("saves", 9),
            ("follows", 10),
        ];
        assert_eq!(m.len(), want.len());
        for (f, c) in want {
            assert_eq!(m.get(*f), Some(c), "{f}");
        }
    }
}
