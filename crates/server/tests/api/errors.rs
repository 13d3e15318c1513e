//! The error-code catalogue is complete: every code the source answers with is listed in
//! `kox_domain::errors::ERROR_CODES` (which the OpenAPI document exports as `ErrorCode`, and
//! the web's translation test reads), and every listed code is still used somewhere.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kox_domain::errors::ERROR_CODES;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The source without its `#[cfg(test)] mod tests { … }` blocks: test modules spell out codes
/// they expect, not codes they answer with. (Braces are counted; good enough for this crate's
/// code, whose test modules hold no unbalanced braces in strings.)
fn without_test_modules(text: &str) -> String {
    let marker = "#[cfg(test)]\nmod tests {";
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(marker) {
        out.push_str(&rest[..i]);
        let body = &rest[i + marker.len()..];
        let mut depth = 1;
        let mut end = body.len();
        for (j, ch) in body.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &body[end..];
    }
    out.push_str(rest);
    out
}

/// The codes the crates' sources pass where an error is built: the second argument of
/// `invalid(..)`, `FieldError::new(..)`, `refuse(..)`, a `code:` field, `on_duplicate("..")`,
/// and the fixed codes of `ApiError::parts`.
fn codes_in_sources() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for krate in ["domain", "store", "server", "cli"] {
        sources(&root.join(krate).join("src"), &mut files);
    }
    let code = r#""([a-z_]+(?:\.[a-z_]+)*)""#;
    let patterns = [
        format!(r"(?:invalid|FieldError::new|refuse)\(\s*(?:[^,()]|\([^()]*\))*,\s*{code}"),
        format!(r"\bcode:\s*{code}"),
        format!(r"on_duplicate\(\s*{code}"),
        format!(r"StatusCode::[A-Z_]+,\s*{code}"),
        // A request-shape code chosen by an `if … else` chain: the literal alone on its line
        // (event actions are alone on theirs too, but never in these namespaces).
        r#"(?m)^\s*"((?:request|validation|conflict)\.[a-z_]+)"\s*$"#.to_owned(),
    ];
    let res: Vec<regex::Regex> = patterns
        .iter()
        .map(|p| regex::Regex::new(p).unwrap())
        .collect();
    let mut out = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let text = without_test_modules(&text);
        for re in &res {
            for c in re.captures_iter(&text) {
                out.insert(c[1].to_owned());
            }
        }
    }
    out
}

#[test]
fn every_error_code_the_api_answers_with_is_in_the_catalogue_and_every_listed_one_is_used() {
    let used = codes_in_sources();
    assert!(used.len() > 50, "the scan found too few codes: {used:?}");
    let listed: BTreeSet<String> = ERROR_CODES.iter().map(|c| (*c).to_owned()).collect();
    let missing: Vec<_> = used.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "add to ERROR_CODES (and translate in the web): {missing:?}"
    );
    let unused: Vec<_> = listed.difference(&used).collect();
    assert!(
        unused.is_empty(),
        "no longer answered, drop from ERROR_CODES: {unused:?}"
    );
}

#[test]
fn the_openapi_document_lists_the_catalogue_as_the_error_code_enum() {
    let doc = serde_json::to_value(kox_server::openapi()).unwrap();
    let listed: Vec<&str> = doc["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .expect("ErrorCode is an enum schema")
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(listed, ERROR_CODES);
}
