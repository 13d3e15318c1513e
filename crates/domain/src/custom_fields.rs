//! Custom fields (DESIGN §7): typed definitions per workspace and entity, and the rules a
//! stored value must satisfy. Values live as JSON beside the entity; `validate_values` is the
//! only way in, so what is stored always matches its definition.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::validation::{self, FieldError, Fields};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldEntity {
    Account,
    Campaign,
    ContentItem,
}

impl FieldEntity {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldEntity::Account => "account",
            FieldEntity::Campaign => "campaign",
            FieldEntity::ContentItem => "content_item",
        }
    }
    pub fn parse(s: &str) -> Option<FieldEntity> {
        [
            FieldEntity::Account,
            FieldEntity::Campaign,
            FieldEntity::ContentItem,
        ]
        .into_iter()
        .find(|e| e.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Number,
    Select,
    MultiSelect,
    Date,
    Person,
    Url,
    Checkbox,
}

impl FieldKind {
    pub const ALL: [FieldKind; 8] = [
        FieldKind::Text,
        FieldKind::Number,
        FieldKind::Select,
        FieldKind::MultiSelect,
        FieldKind::Date,
        FieldKind::Person,
        FieldKind::Url,
        FieldKind::Checkbox,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Number => "number",
            FieldKind::Select => "select",
            FieldKind::MultiSelect => "multi_select",
            FieldKind::Date => "date",
            FieldKind::Person => "person",
            FieldKind::Url => "url",
            FieldKind::Checkbox => "checkbox",
        }
    }
    pub fn parse(s: &str) -> Option<FieldKind> {
        FieldKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn has_options(self) -> bool {
        matches!(self, FieldKind::Select | FieldKind::MultiSelect)
    }
}

/// What a custom field is: enough to validate a value without IO.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    pub key: String,
    pub kind: FieldKind,
    pub options: Vec<String>,
    pub required: bool,
}

/// Validates a definition's key, label and options.
pub fn validate_definition(
    key: &str,
    label: &str,
    kind: FieldKind,
    options: &[String],
) -> Fields<(String, String, Vec<String>)> {
    let key = validation::slug("key", key, 40)?;
    let label = validation::text("label", label, 1, 50)?;
    let options = validate_options(kind, options)?;
    Ok((key, label, options))
}

pub fn validate_options(kind: FieldKind, options: &[String]) -> Fields<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for (i, o) in options.iter().enumerate() {
        let o = validation::text(&format!("options.{i}"), o, 1, 50)?;
        if out.contains(&o) {
            return Err(FieldError::new(
                format!("options.{i}"),
                "custom_fields.duplicate_option",
                format!("option \"{o}\" is listed twice"),
            ));
        }
        out.push(o);
    }
    if kind.has_options() && out.is_empty() {
        return Err(FieldError::new(
            "options",
            "custom_fields.options_required",
            "a select field needs at least one option",
        ));
    }
    if !kind.has_options() && !out.is_empty() {
        return Err(FieldError::new(
            "options",
            "custom_fields.options_not_allowed",
            "only select fields have options",
        ));
    }
    if out.len() > 100 {
        return Err(FieldError::new(
            "options",
            "validation.too_many",
            "at most 100 options",
        ));
    }
    Ok(out)
}

/// Checks a whole `custom` object against the workspace's fields. Unknown keys are refused
/// (never silently dropped), `null` removes a value, required fields must be present.
/// Person values are user ids; whether the user is a member is for the caller to check
/// (see [`person_ids`]).
pub fn validate_values(
    specs: &[FieldSpec],
    values: &Map<String, Value>,
) -> Fields<Map<String, Value>> {
    let mut out = Map::new();
    for (key, value) in values {
        let path = format!("custom.{key}");
        let spec = specs.iter().find(|s| &s.key == key).ok_or_else(|| {
            FieldError::new(
                &path,
                "custom_fields.unknown",
                format!("there is no custom field \"{key}\""),
            )
        })?;
        if value.is_null() {
            continue;
        }
        out.insert(key.clone(), validate_value(spec, &path, value)?);
    }
    for spec in specs.iter().filter(|s| s.required) {
        if !out.contains_key(&spec.key) {
            return Err(FieldError::new(
                format!("custom.{}", spec.key),
                "validation.required",
                "this field is required",
            ));
        }
    }
    Ok(out)
}

fn validate_value(spec: &FieldSpec, path: &str, value: &Value) -> Fields<Value> {
    let wrong =
        |what: &str| FieldError::new(path, "custom_fields.wrong_type", format!("expected {what}"));
    match spec.kind {
        FieldKind::Text => {
            let s = value.as_str().ok_or_else(|| wrong("text"))?;
            let s = validation::text(path, s, 0, 2000)?;
            Ok(Value::String(s))
        }
        FieldKind::Number => {
            let n = value
                .as_f64()
                .filter(|n| n.is_finite())
                .ok_or_else(|| wrong("a number"))?;
            if n.abs() > 1e15 {
                return Err(FieldError::new(
                    path,
                    "validation.range",
                    "number is too large",
                ));
            }
            Ok(value.clone())
        }
        FieldKind::Select => {
            let s = value.as_str().ok_or_else(|| wrong("one of the options"))?;
            if !spec.options.iter().any(|o| o == s) {
                return Err(FieldError::new(
                    path,
                    "custom_fields.unknown_option",
                    format!("\"{s}\" is not an option"),
                ));
            }
            Ok(value.clone())
        }
        FieldKind::MultiSelect => {
            let items = value.as_array().ok_or_else(|| wrong("a list of options"))?;
            let mut picked: Vec<Value> = Vec::new();
            for item in items {
                let s = item.as_str().ok_or_else(|| wrong("a list of options"))?;
                if !spec.options.iter().any(|o| o == s) {
                    return Err(FieldError::new(
                        path,
                        "custom_fields.unknown_option",
                        format!("\"{s}\" is not an option"),
                    ));
                }
                if !picked.contains(item) {
                    picked.push(item.clone());
                }
            }
            Ok(Value::Array(picked))
        }
        FieldKind::Date => {
            let s = value.as_str().ok_or_else(|| wrong("a date YYYY-MM-DD"))?;
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| wrong("a date YYYY-MM-DD"))?;
            Ok(value.clone())
        }
        FieldKind::Person => {
            let id = value
                .as_i64()
                .filter(|i| *i > 0)
                .ok_or_else(|| wrong("a member's user id"))?;
            Ok(Value::from(id))
        }
        FieldKind::Url => {
            let s = value.as_str().ok_or_else(|| wrong("a web address"))?;
            Ok(Value::String(validation::http_url(path, s)?))
        }
        FieldKind::Checkbox => value
            .as_bool()
            .map(Value::Bool)
            .ok_or_else(|| wrong("true or false")),
    }
}

/// The (path, user id) pairs of person-typed values, for the caller to check membership.
pub fn person_ids(specs: &[FieldSpec], values: &Map<String, Value>) -> Vec<(String, i64)> {
    specs
        .iter()
        .filter(|s| s.kind == FieldKind::Person)
        .filter_map(|s| {
            values
                .get(&s.key)
                .and_then(Value::as_i64)
                .map(|id| (format!("custom.{}", s.key), id))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn specs() -> Vec<FieldSpec> {
        let s = |key: &str, kind, options: &[&str], required| FieldSpec {
            key: key.into(),
            kind,
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            required,
        };
        vec![
            s("level", FieldKind::Select, &["S", "A", "B"], false),
            s(
                "topics",
                FieldKind::MultiSelect,
                &["续航", "智驾", "座舱"],
                false,
            ),
            s("score", FieldKind::Number, &[], false),
            s("signed_on", FieldKind::Date, &[], false),
            s("media_owner", FieldKind::Person, &[], false),
            s("contract", FieldKind::Url, &[], false),
            s("verified", FieldKind::Checkbox, &[], false),
            s("note", FieldKind::Text, &[], false),
        ]
    }

    fn check(v: &serde_json::Value) -> Fields<Map<String, Value>> {
        validate_values(&specs(), v.as_object().unwrap())
    }

    #[test]
    fn values_of_every_kind_are_accepted_when_well_typed() {
        let out = check(&json!({
            "level": "S", "topics": ["续航", "续航", "智驾"], "score": 4.5, "signed_on": "2026-11-01",
            "media_owner": 7, "contract": "https://example.com/c/1", "verified": true, "note": " 重点合作 "
        }))
        .unwrap();
        assert_eq!(out["topics"], json!(["续航", "智驾"]));
        assert_eq!(out["note"], json!("重点合作"));
    }

    #[test]
    fn each_wrong_value_names_its_field() {
        let cases = [
            (
                json!({"level": "SS"}),
                "custom.level",
                "custom_fields.unknown_option",
            ),
            (
                json!({"topics": "续航"}),
                "custom.topics",
                "custom_fields.wrong_type",
            ),
            (
                json!({"topics": ["外观"]}),
                "custom.topics",
                "custom_fields.unknown_option",
            ),
            (
                json!({"score": "高"}),
                "custom.score",
                "custom_fields.wrong_type",
            ),
            (
                json!({"signed_on": "2026/11/01"}),
                "custom.signed_on",
                "custom_fields.wrong_type",
            ),
            (
                json!({"media_owner": "张三"}),
                "custom.media_owner",
                "custom_fields.wrong_type",
            ),
            (
                json!({"contract": "example.com"}),
                "custom.contract",
                "validation.url",
            ),
            (
                json!({"verified": "yes"}),
                "custom.verified",
                "custom_fields.wrong_type",
            ),
            (
                json!({"colour": "red"}),
                "custom.colour",
                "custom_fields.unknown",
            ),
        ];
        for (input, field, code) in cases {
            let e = check(&input).unwrap_err();
            assert_eq!((e.field.as_str(), e.code), (field, code), "{input}");
        }
    }

    #[test]
    fn null_removes_a_value_and_required_fields_must_be_present() {
        let mut s = specs();
        assert!(check(&json!({"level": null})).unwrap().is_empty());
        s[0].required = true;
        let e = validate_values(&s, json!({"level": null}).as_object().unwrap()).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.code),
            ("custom.level", "validation.required")
        );
    }

    #[test]
    fn select_fields_need_options_and_others_refuse_them() {
        assert!(validate_definition("level", "等级", FieldKind::Select, &[]).is_err());
        assert!(validate_definition("note", "备注", FieldKind::Text, &["x".into()]).is_err());
        assert!(
            validate_definition(
                "level",
                "等级",
                FieldKind::Select,
                &["S".into(), "S".into()]
            )
            .is_err()
        );
        assert!(validate_definition("Level", "等级", FieldKind::Select, &["S".into()]).is_err());
        assert!(validate_definition("level", "等级", FieldKind::Select, &["S".into()]).is_ok());
    }

    #[test]
    fn person_values_are_listed_for_a_membership_check() {
        let v = json!({"media_owner": 7, "level": "S"});
        assert_eq!(
            person_ids(&specs(), v.as_object().unwrap()),
            vec![("custom.media_owner".to_owned(), 7)]
        );
    }
}

/// A custom field definition as stored and served.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CustomField {
    #[schema(value_type = i64)]
    pub id: crate::CustomFieldId,
    pub entity: FieldEntity,
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    pub options: Vec<String>,
    pub required: bool,
    pub position: i64,
}

impl CustomField {
    pub fn spec(&self) -> FieldSpec {
        FieldSpec {
            key: self.key.clone(),
            kind: self.kind,
            options: self.options.clone(),
            required: self.required,
        }
    }
}
