//! Case tables of the account import: header matching, mappings, cells, new accounts, edits.

// Short names (f the fixture, h the headers, v the values, d a draft) keep the cases readable.
#![allow(clippy::many_single_char_names, clippy::type_complexity)]

use super::*;
use crate::custom_fields::FieldEntity;
use crate::versioned::{Patch as _, Versioned as _};
use crate::{AccountId, CustomFieldId};

fn platforms() -> Vec<Platform> {
    crate::members::DEFAULT_PLATFORMS
        .iter()
        .enumerate()
        .map(|(i, (code, name))| Platform {
            code: (*code).into(),
            name: (*name).into(),
            position: i as i64,
            active: *code != "zhihu",
            title_max: None,
            body_max: None,
            url_patterns: vec![],
        })
        .collect()
}

fn member_of(id: i64, name: &str, email: &str) -> Member {
    Member {
        user_id: UserId(id),
        email: email.into(),
        name: name.into(),
        role: crate::access::Role::Operator,
        group: crate::access::Group::Operations,
        created_at: chrono::DateTime::UNIX_EPOCH,
    }
}

fn field(key: &str, label: &str, kind: FieldKind, options: &[&str]) -> CustomField {
    CustomField {
        id: CustomFieldId(1),
        entity: FieldEntity::Account,
        key: key.into(),
        label: label.into(),
        kind,
        options: options.iter().map(|o| (*o).into()).collect(),
        required: false,
        position: 0,
    }
}

struct Fixture {
    platforms: Vec<Platform>,
    members: Vec<Member>,
    fields: Vec<CustomField>,
}

impl Fixture {
    fn new() -> Self {
        Self {
            platforms: platforms(),
            members: vec![
                member_of(2, "王小明", "xiaoming@brand.cn"),
                member_of(3, "李娜", "lina@brand.cn"),
                member_of(4, "李娜", "lina2@brand.cn"),
            ],
            fields: vec![
                field("level", "合作等级", FieldKind::Select, &["S", "A", "B"]),
                field("price", "报价", FieldKind::Number, &[]),
                field("signed", "签约日期", FieldKind::Date, &[]),
                field("exclusive", "独家", FieldKind::Checkbox, &[]),
            ],
        }
    }
    fn ctx(&self) -> Context<'_> {
        Context {
            platforms: &self.platforms,
            members: &self.members,
            fields: &self.fields,
        }
    }
}

fn headers(h: &[&str]) -> Vec<String> {
    h.iter().map(|s| (*s).to_owned()).collect()
}

fn row(cells: &[&str]) -> SheetRow {
    SheetRow {
        number: 7,
        cells: cells.iter().map(|s| (*s).to_owned()).collect(),
    }
}

#[test]
fn headers_are_matched_in_both_languages_and_by_other_names() {
    let f = Fixture::new();
    let cases: &[(&[&str], &[(&str, usize)])] = &[
        (
            &[
                "层级",
                "平台",
                "账号 ID",
                "昵称",
                "粉丝数",
                "负责人",
                "合作等级",
            ],
            &[
                ("tier", 0),
                ("platform", 1),
                ("handle", 2),
                ("display_name", 3),
                ("followers", 4),
                ("owner_ids", 5),
                ("custom.level", 6),
            ],
        ),
        (
            &["Tier", "Platform", "Handle", "Display name", "Followers"],
            &[
                ("tier", 0),
                ("platform", 1),
                ("handle", 2),
                ("display_name", 3),
                ("followers", 4),
            ],
        ),
        // `账号` is the handle only when no column is called 账号 ID.
        (
            &["达人昵称", "账号", "所属平台", "粉丝量（万）", "备注"],
            &[("display_name", 0), ("handle", 1), ("platform", 2)],
        ),
        (&["账号", "账号ID"], &[("handle", 1)]),
        (
            &["*平台", "小红书号", "粉丝"],
            &[("platform", 0), ("handle", 1), ("followers", 2)],
        ),
    ];
    for (h, want) in cases {
        let got = suggest_mapping(&headers(h), &f.fields);
        let want: Mapping = want.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect();
        assert_eq!(got, want, "{h:?}");
    }
}

#[test]
fn a_mapping_names_what_is_wrong_with_it() {
    let f = Fixture::new();
    let h = headers(&["平台", "账号 ID", "粉丝数"]);
    let m = |pairs: &[(&str, usize)]| -> Mapping {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    };
    let cases: &[(Mapping, Option<(&str, &str)>)] = &[
        (m(&[("platform", 0), ("handle", 1)]), None),
        (
            m(&[("platform", 0), ("handle", 1), ("wat", 2)]),
            Some(("mapping.wat", "imports.unknown_field")),
        ),
        (
            m(&[("platform", 0), ("handle", 1), ("followers", 9)]),
            Some(("mapping.followers", "imports.unknown_column")),
        ),
        (
            m(&[("platform", 0), ("handle", 0)]),
            Some(("mapping.platform", "imports.column_twice")),
        ),
        (
            m(&[("handle", 1)]),
            Some(("mapping.platform", "imports.field_required")),
        ),
        (
            m(&[("platform", 0)]),
            Some(("mapping.handle", "imports.field_required")),
        ),
    ];
    for (mapping, want) in cases {
        let got = check_mapping(mapping, &h, &f.fields)
            .err()
            .map(|e| (e.field, e.code));
        assert_eq!(
            got.as_ref().map(|(a, b)| (a.as_str(), *b)),
            *want,
            "{mapping:?}"
        );
    }
}

#[test]
fn cells_are_read_as_people_write_them() {
    let f = Fixture::new();
    let h = headers(&[
        "层级",
        "平台",
        "账号",
        "粉丝",
        "负责人",
        "标签",
        "状态",
        "归属",
        "合作等级",
        "报价",
        "签约日期",
        "独家",
    ]);
    let mapping = suggest_mapping(&h, &f.fields);
    let r = row(&[
        "koc",
        "红书",
        "@ev_lily",
        "1.2万",
        "xiaoming@BRAND.cn、李娜 <lina>",
        "#宝妈 #安全、测评",
        "正常",
        "合作",
        "A",
        "¥3,000",
        "2026年3月1日",
        "是",
    ]);
    // The owners cell names an unknown member: the one issue points at that cell.
    let err = read_row(&f.ctx(), &h, &mapping, &r).unwrap_err();
    assert_eq!(err.len(), 1);
    assert_eq!(
        (
            err[0].row,
            err[0].column,
            err[0].column_letter.as_deref(),
            err[0].header.as_deref()
        ),
        (7, Some(4), Some("E"), Some("负责人"))
    );
    assert_eq!(err[0].code, "imports.unknown_member");

    let mut cells = r.cells.clone();
    cells[4] = "xiaoming@BRAND.cn、lina2@brand.cn".into();
    let v = read_row(&f.ctx(), &h, &mapping, &SheetRow { number: 7, cells }).unwrap();
    assert_eq!(v.tier, Some(Tier::Koc));
    assert_eq!(v.platform.as_deref(), Some("xiaohongshu"));
    assert_eq!(v.handle.as_deref(), Some("ev_lily"));
    assert_eq!(v.followers, Some(12_000));
    assert_eq!(v.owner_ids, Some(vec![UserId(2), UserId(4)]));
    assert_eq!(
        v.tags,
        Some(vec!["宝妈".to_owned(), "安全".into(), "测评".into()])
    );
    assert_eq!(v.status, Some(AccountStatus::Active));
    assert_eq!(v.ownership, Some(Ownership::Partner));
    assert_eq!(v.custom["price"], serde_json::json!(3000.0));
    assert_eq!(v.custom["signed"], "2026-03-01");
    assert_eq!(v.custom["exclusive"], true);
    assert_eq!(v.key(), Some(("xiaohongshu".into(), "ev_lily".into())));
}

#[test]
fn every_unreadable_cell_is_its_own_issue() {
    let f = Fixture::new();
    let h = headers(&["层级", "平台", "账号 ID", "粉丝数", "负责人", "独家"]);
    let mapping = suggest_mapping(&h, &f.fields);
    let cases: &[(usize, &str, &str)] = &[
        (0, "大V", "imports.unknown_tier"),
        (1, "脸书", "accounts.unknown_platform"),
        (1, "知乎", "accounts.unknown_platform"),
        (3, "很多", "imports.not_a_count"),
        (3, "-12", "imports.not_a_count"),
        (4, "李娜", "imports.ambiguous_member"),
        (5, "也许", "custom_fields.wrong_type"),
    ];
    for (col, cell, code) in cases {
        let mut cells = vec!["KOL", "抖音", "momo", "8K", "王小明", "否"];
        cells[*col] = cell;
        let err = read_row(&f.ctx(), &h, &mapping, &row(&cells)).unwrap_err();
        assert_eq!(err.len(), 1, "{cell}");
        assert_eq!(
            (err[0].column, err[0].code.as_str(), err[0].value.as_str()),
            (Some(*col), *code, *cell),
            "{cell}"
        );
    }
    let two = read_row(
        &f.ctx(),
        &h,
        &mapping,
        &row(&["大V", "抖音", "momo", "很多", "王小明", "否"]),
    )
    .unwrap_err();
    assert_eq!(
        two.iter().map(|i| i.column).collect::<Vec<_>>(),
        [Some(0), Some(3)]
    );
}

#[test]
fn a_new_account_gets_defaults_and_validation_points_at_the_column() {
    let f = Fixture::new();
    let h = headers(&["层级", "平台", "账号 ID", "昵称", "标签"]);
    let mapping = suggest_mapping(&h, &f.fields);
    let v = read_row(
        &f.ctx(),
        &h,
        &mapping,
        &row(&["KOL", "抖音", "momo", "", ""]),
    )
    .unwrap();
    let d = new_account(&f.ctx(), &v, Some(UserId(9))).unwrap();
    assert_eq!(
        (d.display_name.as_str(), d.ownership, d.owner_ids.clone()),
        ("momo", Ownership::Paid, vec![UserId(9)])
    );
    let cases: &[(Tier, Ownership)] = &[
        (Tier::Kol, Ownership::Paid),
        (Tier::Koc, Ownership::Partner),
        (Tier::Koe, Ownership::EmployeeAuthorized),
        (Tier::Kos, Ownership::EmployeeAuthorized),
    ];
    for (t, o) in cases {
        assert_eq!(default_ownership(*t), *o);
    }

    let no_tier = read_row(&f.ctx(), &h, &mapping, &row(&["", "抖音", "momo", "", ""])).unwrap();
    let e = new_account(&f.ctx(), &no_tier, None).unwrap_err();
    let i = row_issue(&row(&[]), &h, &mapping, e);
    assert_eq!(
        (i.field.as_str(), i.code.as_str(), i.column),
        ("tier", "validation.required", Some(0))
    );

    let long_tag = "标".repeat(31);
    let bad = read_row(
        &f.ctx(),
        &h,
        &mapping,
        &row(&["KOL", "抖音", "momo", "", &format!("好,{long_tag}")]),
    )
    .unwrap();
    let i = row_issue(
        &row(&[]),
        &h,
        &mapping,
        new_account(&f.ctx(), &bad, None).unwrap_err(),
    );
    assert_eq!(
        (
            i.field.as_str(),
            i.code.as_str(),
            i.column_letter.as_deref()
        ),
        ("tags", "validation.too_long", Some("E"))
    );

    let mut required = Fixture::new();
    required.fields[0].required = true;
    let e = new_account(&required.ctx(), &v, None).unwrap_err();
    assert_eq!(
        (e.field.as_str(), e.code),
        ("custom.level", "validation.required")
    );
    let wrong_option = Values {
        custom: [("level".to_owned(), Value::from("SS"))]
            .into_iter()
            .collect(),
        ..v.clone()
    };
    assert_eq!(
        new_account(&f.ctx(), &wrong_option, None).unwrap_err().code,
        "custom_fields.unknown_option"
    );
}

#[test]
fn an_edit_writes_only_filled_cells_that_differ() {
    let f = Fixture::new();
    let existing = Account {
        id: AccountId(5),
        tier: Tier::Koc,
        platform: "douyin".into(),
        handle: "momo".into(),
        display_name: "默默".into(),
        profile_url: None,
        persona: "宝妈".into(),
        ownership: Ownership::Partner,
        status: AccountStatus::Active,
        followers: 8000,
        tags: vec!["测评".into()],
        owner_ids: vec![UserId(2)],
        custom: [("level".to_owned(), Value::from("A"))]
            .into_iter()
            .collect(),
        version: 4,
        created_at: chrono::DateTime::UNIX_EPOCH,
        updated_at: chrono::DateTime::UNIX_EPOCH,
    };
    let h = headers(&[
        "平台",
        "账号 ID",
        "层级",
        "昵称",
        "粉丝数",
        "合作等级",
        "人设定位",
    ]);
    let mapping = suggest_mapping(&h, &f.fields);
    let same = read_row(
        &f.ctx(),
        &h,
        &mapping,
        &row(&["抖音", "MOMO", "KOC", "默默", "8000", "A", ""]),
    )
    .unwrap();
    assert_eq!(
        edit(&existing, &same),
        None,
        "the same values and an empty cell change nothing"
    );
    let changed = read_row(
        &f.ctx(),
        &h,
        &mapping,
        &row(&["抖音", "momo", "KOC", "默默酱", "1.2万", "S", ""]),
    )
    .unwrap();
    let p = edit(&existing, &changed).unwrap();
    assert_eq!(p.base_version(), 4);
    assert_eq!(p.touched(), ["display_name", "followers", "custom"]);
    let mut next = existing.draft();
    let mut p = p;
    let custom = p.take_custom();
    next.apply(p);
    assert_eq!(
        (
            next.display_name.as_str(),
            next.followers,
            next.persona.as_str()
        ),
        ("默默酱", 12_000, "宝妈")
    );
    assert_eq!(custom.unwrap()["level"], "S");
}
