//! The error-code catalogue is complete: every code the source answers with is listed in
//! `kox_domain::errors::ERROR_CODES` (which the OpenAPI document exports as `ErrorCode`, and
//! the web's translation test reads), and every listed code is still used somewhere.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kox_domain::errors::ERROR_CODES;

use crate::harness::TestApp;

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

crate::db_tests! {
    async fn a_query_string_is_checked_like_a_body_and_names_the_parameter(app: TestApp) {
        use crate::harness::assert_error;
        use reqwest::StatusCode;
        let c = app.login_as(kox_domain::access::Role::Director).await;
        // Custom-field filters only where a list has custom fields.
        assert_error(&c.get(&app.ws("/campaigns?cf.level=A")).await, StatusCode::BAD_REQUEST, "request.unknown_parameter", Some("cf.level"));
        assert_error(&c.get(&app.ws("/content/board?mine=yes")).await, StatusCode::BAD_REQUEST, "request.wrong_type", Some("mine"));
        assert_error(&c.get(&app.ws("/content/board?stage=later")).await, StatusCode::BAD_REQUEST, "request.unknown_value", Some("stage"));
        assert_error(&c.get(&app.ws("/content/first-pass?by=team")).await, StatusCode::BAD_REQUEST, "request.unknown_value", Some("by"));
        assert_error(&c.get(&app.ws("/content/first-pass?from=12/01")).await, StatusCode::BAD_REQUEST, "request.wrong_type", Some("from"));
        assert_error(&c.get(&app.ws("/accounts?sort=random")).await, StatusCode::BAD_REQUEST, "request.unknown_value", Some("sort"));
        assert_error(&c.get(&app.ws("/events?entity_id=x&entity_type=account")).await, StatusCode::BAD_REQUEST, "request.wrong_type", Some("entity_id"));
        // An unknown custom field in a list that has them is the custom-field check's answer.
        assert_error(&c.get(&app.ws("/accounts?cf.nope=1")).await, StatusCode::BAD_REQUEST, "custom_fields.unknown", Some("cf.nope"));
        let (s, _) = c.get(&app.ws("/content/board?mine=true&overdue=false&limit=5")).await;
        assert_eq!(s, StatusCode::OK);
    }
}
