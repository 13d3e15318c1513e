//! People: e-mail addresses, passwords policy, display names and locales.

use crate::validation::{self, FieldError, Fields};

/// A lower-cased e-mail address with one `@` and a dotted domain.
pub fn parse_email(raw: &str) -> Fields<String> {
    let e = validation::text("email", raw, 3, 200)?.to_lowercase();
    let ok = match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !e.contains(char::is_whitespace)
        }
        None => false,
    };
    if ok {
        Ok(e)
    } else {
        Err(FieldError::new("email", "validation.email", "not a valid e-mail address"))
    }
}

/// At least 8 characters, at most 200 (argon2 input is bounded so a huge body cannot burn CPU).
pub fn check_password(raw: &str) -> Fields<()> {
    let n = raw.chars().count();
    if n < 8 {
        return Err(FieldError::new("password", "validation.password_too_short", "the password needs at least 8 characters"));
    }
    if n > 200 {
        return Err(FieldError::new("password", "validation.too_long", "the password must be at most 200 characters"));
    }
    Ok(())
}

pub fn parse_name(raw: &str) -> Fields<String> {
    validation::text("name", raw, 1, 50)
}

pub const LOCALES: [&str; 2] = ["zh-CN", "en-US"];

pub fn parse_locale(raw: &str) -> Fields<String> {
    if LOCALES.contains(&raw) {
        Ok(raw.to_owned())
    } else {
        Err(FieldError::new("locale", "validation.locale", "locale must be zh-CN or en-US"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_lowercased_and_checked() {
        assert_eq!(parse_email(" Li.Na@Brand.CN ").unwrap(), "li.na@brand.cn");
        for bad in ["lina", "@brand.cn", "li@brand", "li na@brand.cn", "li@@brand.cn", "li@.cn"] {
            assert!(parse_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_have_a_minimum_and_maximum_length() {
        assert!(check_password("短密码").is_err());
        assert!(check_password("kox-demo-2026").is_ok());
        assert!(check_password(&"x".repeat(201)).is_err());
    }

    #[test]
    fn only_known_locales_are_accepted() {
        assert!(parse_locale("zh-CN").is_ok());
        assert!(parse_locale("fr-FR").is_err());
    }
}
