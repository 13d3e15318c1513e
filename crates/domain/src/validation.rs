//! Field-level validation errors shared by every capability.
//!
//! A `FieldError` names the offending field (dotted path, e.g. `custom.level`) and a stable
//! machine code the UI translates; the message is for humans reading raw API output.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for FieldError {}

pub type Fields<T> = Result<T, FieldError>;

/// Trims, then checks the length in characters (not bytes: Chinese text is 3 bytes a character).
pub fn text(field: &str, value: &str, min: usize, max: usize) -> Fields<String> {
    let v = value.trim();
    let n = v.chars().count();
    if n < min {
        return Err(FieldError::new(
            field,
            "validation.required",
            format!("{field} must not be empty"),
        ));
    }
    if n > max {
        return Err(FieldError::new(
            field,
            "validation.too_long",
            format!("{field} must be at most {max} characters"),
        ));
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(FieldError::new(
            field,
            "validation.control_chars",
            format!("{field} contains control characters"),
        ));
    }
    Ok(v.to_owned())
}

/// An absolute http(s) URL with a host, at most 500 characters.
/// Characters that do not show, or that reorder what is shown: zero-width spaces and joiners,
/// word joiner, byte-order mark, and the bidirectional marks, embeddings, overrides and
/// isolates. In a name or a handle they make two different strings look the same (or a
/// harmless one look like another).
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}' | '\u{180E}')
}

/// A name or a title someone reads: `text`, and no invisible or bidirectional control
/// characters — except the zero-width joiner inside emoji sequences (👨‍👩‍👧).
pub fn name(field: &str, value: &str, min: usize, max: usize) -> Fields<String> {
    let v = text(field, value, min, max)?;
    if v.chars().any(|c| invisible(c) && c != '\u{200D}') {
        return Err(FieldError::new(
            field,
            "validation.invisible_chars",
            format!("{field} contains invisible or text-direction characters"),
        ));
    }
    Ok(v)
}

/// An account handle as people read it: NFKC-normalised (fullwidth Ｘ is X), trimmed, with no
/// spaces and no invisible characters at all.
pub fn handle(field: &str, value: &str, max: usize) -> Fields<String> {
    use unicode_normalization::UnicodeNormalization as _;
    let v: String = value.nfkc().collect();
    let v = text(field, &v, 1, max)?;
    if v.chars().any(invisible) {
        return Err(FieldError::new(
            field,
            "validation.invisible_chars",
            format!("{field} contains invisible or text-direction characters"),
        ));
    }
    if v.chars().any(char::is_whitespace) {
        return Err(FieldError::new(
            field,
            "validation.no_spaces",
            format!("{field} must not contain spaces"),
        ));
    }
    Ok(v)
}

/// What two handles are compared by for uniqueness: NFKC and case-folded, so `ＸＩＮＧＨＥ_lily`
/// and `xinghe_Lily` are the same account.
pub fn handle_key(handle: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    let folded: String = handle.trim().nfkc().flat_map(char::to_lowercase).collect();
    folded.nfkc().collect()
}

pub fn http_url(field: &str, value: &str) -> Fields<String> {
    let v = text(field, value, 1, 500)?;
    let rest = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"))
        .ok_or_else(|| {
            FieldError::new(
                field,
                "validation.url",
                "must start with http:// or https://",
            )
        })?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.contains(char::is_whitespace) || rest.contains(char::is_whitespace) {
        return Err(FieldError::new(
            field,
            "validation.url",
            "must be a web address with a host",
        ));
    }
    Ok(v)
}

/// A lowercase identifier `[a-z][a-z0-9_]*` used for custom field keys and platform codes.
pub fn slug(field: &str, value: &str, max: usize) -> Fields<String> {
    let ok = !value.is_empty()
        && value.len() <= max
        && value.starts_with(|c: char| c.is_ascii_lowercase())
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(value.to_owned())
    } else {
        Err(FieldError::new(
            field,
            "validation.slug",
            format!(
                "must be lowercase letters, digits and _, starting with a letter, at most {max} characters"
            ),
        ))
    }
}

/// For PATCH bodies: distinguishes an absent field (`None`) from an explicit `null` (`Some(None)`).
pub fn double_option<'de, D, T>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(de).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_length_counts_chinese_characters_not_bytes() {
        assert_eq!(text("name", "小红书达人", 1, 5).unwrap(), "小红书达人");
        assert_eq!(
            text("name", "小红书达人们", 1, 5).unwrap_err().code,
            "validation.too_long"
        );
    }

    #[test]
    fn blank_text_is_required_error_after_trimming() {
        assert_eq!(
            text("name", "   ", 1, 5).unwrap_err().code,
            "validation.required"
        );
    }

    #[test]
    fn control_characters_are_refused_but_newlines_kept() {
        assert!(text("persona", "第一行\n第二行", 0, 100).is_ok());
        assert_eq!(
            text("persona", "a\u{0007}b", 0, 100).unwrap_err().code,
            "validation.control_chars"
        );
    }

    #[test]
    fn urls_need_a_scheme_and_host() {
        for ok in [
            "https://www.xiaohongshu.com/user/profile/5f1",
            "http://v.douyin.com/abc",
        ] {
            assert!(http_url("profile_url", ok).is_ok(), "{ok}");
        }
        for bad in [
            "www.xiaohongshu.com",
            "https://",
            "ftp://x.com",
            "https://a b.com",
        ] {
            assert!(http_url("profile_url", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slugs_are_lowercase_ascii_identifiers() {
        assert!(slug("key", "budget_level2", 40).is_ok());
        for bad in ["", "2x", "Budget", "预算", "a-b", &"a".repeat(41)] {
            assert!(slug("key", bad, 40).is_err(), "{bad}");
        }
    }

    #[test]
    fn handles_read_as_they_look_and_compare_normalised() {
        assert_eq!(
            handle("handle", " ＸＩＮＧＨＥ_lily ", 100).unwrap(),
            "XINGHE_lily"
        );
        for bad in [
            "xinghe\u{200B}_lily",
            "\u{202E}ylil_ehgnix",
            "xing\u{FEFF}he",
            "xing he",
            "a\u{200D}b",
        ] {
            assert!(handle("handle", bad, 100).is_err(), "{bad:?}");
        }
        assert_eq!(handle_key("ＸＩＮＧＨＥ_Lily"), handle_key("xinghe_lily"));
        assert_ne!(handle_key("xinghe_lily"), handle_key("xinghe_lilу")); // Cyrillic у stays different
        assert_eq!(
            name("name", "星河 👨\u{200D}👩\u{200D}👧 官方", 1, 50).unwrap(),
            "星河 👨\u{200D}👩\u{200D}👧 官方"
        );
        assert_eq!(
            name("name", "老王\u{200B}说车", 1, 50).unwrap_err().code,
            "validation.invisible_chars"
        );
        assert_eq!(
            name("name", "\u{2066}老王\u{2069}", 1, 50)
                .unwrap_err()
                .code,
            "validation.invisible_chars"
        );
    }
}
