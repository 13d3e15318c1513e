//! Compression over the wire: API responses above a small size are compressed for clients that
//! ask for it (gzip or brotli), small ones and event streams never are.

use crate::db_tests;
use crate::harness::TestApp;

async fn fetch(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    accept: Option<&str>,
) -> (Option<String>, Vec<u8>) {
    let mut req = client.get(format!("{}{path}", app.base));
    if let Some(a) = accept {
        req = req.header("accept-encoding", a);
    }
    let res = req.send().await.unwrap();
    assert!(res.status().is_success(), "{path}: {}", res.status());
    let encoding = res
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_owned());
    (encoding, res.bytes().await.unwrap().to_vec())
}

db_tests! {
    async fn large_json_is_compressed_for_clients_that_accept_it(app: TestApp) {
        let http = app.anonymous().http;
        let doc = "/api/v1/openapi.json";
        let (plain_enc, plain) = fetch(&app, &http, doc, None).await;
        assert_eq!(plain_enc, None);
        assert!(serde_json::from_slice::<serde_json::Value>(&plain).is_ok());
        let (enc, gz) = fetch(&app, &http, doc, Some("gzip")).await;
        assert_eq!(enc.as_deref(), Some("gzip"));
        assert_eq!(&gz[..2], &[0x1f, 0x8b], "a gzip stream");
        assert!(gz.len() * 4 < plain.len(), "{} → {}", plain.len(), gz.len());
        let (enc, br) = fetch(&app, &http, doc, Some("gzip, deflate, br")).await;
        assert_eq!(enc.as_deref(), Some("br"));
        assert!(br.len() * 4 < plain.len());
        // A refused coding is not used.
        let (enc, _) = fetch(&app, &http, doc, Some("br;q=0")).await;
        assert_eq!(enc, None);
    }

    async fn small_responses_and_event_streams_are_sent_as_they_are(app: TestApp) {
        let http = app.anonymous().http;
        let (enc, body) = fetch(&app, &http, "/healthz", Some("gzip, br")).await;
        assert_eq!((enc, body.as_slice()), (None, b"ok".as_slice()));
        let viewer = app.login_as(kox_domain::access::Role::Viewer).await;
        let res = viewer
            .http
            .get(format!("{}{}", app.base, app.ws("/events/stream")))
            .header("accept-encoding", "gzip, br")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), reqwest::StatusCode::OK);
        assert_eq!(res.headers().get("content-encoding"), None);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    }
}
