//! The OpenAPI document is generated from the code and pinned here, so an API change shows in
//! review; the web client's types are generated from the same file.
//! Run with `KOX_UPDATE_OPENAPI=1` to accept a change.

#[test]
fn the_openapi_document_matches_the_pinned_copy() {
    let doc = serde_json::to_string_pretty(&kox_server::openapi()).unwrap() + "\n";
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/src/api/openapi.json");
    if std::env::var_os("KOX_UPDATE_OPENAPI").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &doc).unwrap();
        return;
    }
    let pinned = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        pinned == doc,
        "the API changed; review it and run `make openapi` (KOX_UPDATE_OPENAPI=1) to pin the new document"
    );
}

#[test]
fn every_operation_documents_its_error_shape() {
    let doc = serde_json::to_value(kox_server::openapi()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            let has_error = responses
                .iter()
                .any(|(code, r)| code.starts_with('4') && r.to_string().contains("ErrorBody"));
            assert!(has_error, "{method} {path} documents no error response");
        }
    }
}

#[test]
fn every_reference_in_the_document_names_a_schema_it_defines() {
    fn refs(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|x| refs(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let doc = serde_json::to_value(kox_server::openapi()).unwrap();
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let name = r
            .strip_prefix("#/components/schemas/")
            .expect("a schema reference");
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "{r} is not defined (a query enum needs #[param(inline)])"
        );
    }
}
