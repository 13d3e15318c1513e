use kox_domain::access::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::db_tests;
use crate::harness::{TestApp, assert_error};

fn launch() -> serde_json::Value {
    json!({
        "name": "星河S7 上市首发", "theme": "安全是最大的豪华",
        "starts_on": "2026-12-01", "ends_on": "2026-12-31",
        "budget_fen": 300_000_000, "budget_by_tier": {"KOL": 180_000_000, "KOC": 60_000_000},
        "required_hashtags": ["#星河S7#", "星河S7", "#安全是最大的豪华"],
        "embargo_at": "2026-12-01T04:00:00Z", "target_kpis": "ROI ≥ 3:1", "status": "active"
    })
}

db_tests! {
    async fn a_director_creates_a_campaign_with_a_budget_split_and_normalised_hashtags(app: TestApp) {
        let c = app.login_as(Role::Director).await;
        let (s, camp) = c.post(&app.ws("/campaigns"), launch()).await;
        assert_eq!(s, StatusCode::CREATED, "{camp}");
        assert_eq!(camp["required_hashtags"], json!(["星河S7", "安全是最大的豪华"]));
        assert_eq!(camp["budget_by_tier"], json!({"KOL": 180_000_000, "KOC": 60_000_000}));
        assert_eq!(camp["currency"], "CNY");
        assert_eq!(camp["embargo_at"], "2026-12-01T04:00:00Z");
        let (_, list) = c.get(&app.ws("/campaigns?status=active")).await;
        assert_eq!(list["total"], 1);
        assert_eq!(c.get(&app.ws("/campaigns?status=planned")).await.1["total"], 0);
        let id = camp["id"].as_i64().unwrap();
        let (s, upd) = c.patch(&app.ws(&format!("/campaigns/{id}")), json!({"version": 1, "embargo_at": null, "status": "completed"})).await;
        assert_eq!(s, StatusCode::OK, "{upd}");
        assert_eq!((upd["embargo_at"].is_null(), upd["version"].as_i64()), (true, Some(2)));
    }

    async fn only_admins_and_directors_write_campaigns_but_everyone_reads_them(app: TestApp) {
        let director = app.login_as(Role::Director).await;
        let id = director.post(&app.ws("/campaigns"), launch()).await.1["id"].as_i64().unwrap();
        for role in Role::ALL {
            let c = app.login_as(role).await;
            let allowed = matches!(role, Role::Admin | Role::Director);
            let r = c.post(&app.ws("/campaigns"), launch()).await;
            assert_eq!(r.0, if allowed { StatusCode::CREATED } else { StatusCode::FORBIDDEN }, "{role:?}");
            let r = c.patch(&app.ws(&format!("/campaigns/{id}")), json!({"version": 1, "theme": role.as_str()})).await;
            assert_eq!(r.0 == StatusCode::FORBIDDEN, !allowed, "{role:?} {}", r.1);
            assert_eq!(c.get(&app.ws(&format!("/campaigns/{id}"))).await.0, StatusCode::OK);
        }
    }

    async fn campaign_rules_are_enforced_with_field_errors(app: TestApp) {
        let c = app.login_as(Role::Director).await;
        let cases = [
            (json!({"budget_by_tier": {"KOL": 300_000_001}}), "campaigns.budget_split_exceeds_total", "budget_by_tier"),
            (json!({"ends_on": "2026-11-30"}), "campaigns.period_reversed", "ends_on"),
            (json!({"budget_fen": -5}), "validation.range", "budget_fen"),
            (json!({"required_hashtags": ["两个 词"]}), "validation.hashtag", "required_hashtags.0"),
            (json!({"starts_on": "2026-13-01"}), "request.wrong_type", "starts_on"),
            (json!({"budget_by_tier": {"KOX": 1}}), "request.unknown_value", "budget_by_tier"),
            (json!({"name": " "}), "validation.required", "name"),
            (json!({"currency": "BTC"}), "validation.currency", "currency"),
        ];
        for (patch, code, field) in cases {
            let mut body = launch();
            for (k, v) in patch.as_object().unwrap() {
                body[k] = v.clone();
            }
            let r = c.post(&app.ws("/campaigns"), body).await;
            assert_eq!(r.1["error"]["code"], code, "{patch}: {}", r.1);
            assert!(r.1["error"]["field"].as_str().unwrap().starts_with(field), "{patch}: {}", r.1);
            assert_eq!(r.0, StatusCode::BAD_REQUEST);
        }
        assert_eq!(c.get(&app.ws("/campaigns")).await.1["total"], 0);
        assert_error(&c.get(&app.ws("/campaigns?status=unknown")).await, StatusCode::BAD_REQUEST, "request.unknown_value", Some("status"));
    }
}
