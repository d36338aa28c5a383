//! Bad input gets a clear 4xx and leaves nothing; the OpenAPI document and health.

use super::*;

#[tokio::test]
async fn bad_input_gets_clear_errors_and_leaves_nothing() {
    for app in apps().await {
        let ada = app.api().person("ada").await;
        let base = json!({"name": "Nurses", "slug": "nurses", "domain_statement": "Hand hygiene."});
        fields_are_checked(&base, &ada).await;

        bodies_that_are_not_json(&ada).await;

        // After all that, nothing was created; then a good request works and a repeat is taken.
        let list = ada.get("/api/v1/communities").await;
        assert_eq!(list.body["items"].as_array().unwrap().len(), 0);
        assert_eq!(
            ada.post("/api/v1/communities", base.clone()).await.status,
            201
        );
        let taken = ada.post("/api/v1/communities", base.clone()).await;
        assert_eq!(
            (
                taken.status,
                error_code(&taken),
                taken.body["error"]["field"].as_str()
            ),
            (422, "taken", Some("slug"))
        );

        paging_parameters(&ada).await;
        app.finish().await;
    }
}

/// Each wrong field is named in a 422, and unknown fields are refused.
async fn fields_are_checked(base: &Value, ada: &Api) {
    for (slug, field) in [
        ("N", "slug"),
        ("has space", "slug"),
        ("-x", "slug"),
        ("new", "slug"),
    ] {
        let mut body = base.clone();
        body["slug"] = json!(slug);
        let r = ada.post("/api/v1/communities", body).await;
        assert_eq!(
            (r.status, r.body["error"]["field"].as_str()),
            (422, Some(field)),
            "{slug}: {}",
            r.text
        );
    }
    let mut body = base.clone();
    body["name"] = json!("   ");
    assert_eq!(
        ada.post("/api/v1/communities", body).await.body["error"]["field"],
        "name"
    );
    let mut body = base.clone();
    body["name"] = json!("x".repeat(101));
    assert_eq!(ada.post("/api/v1/communities", body).await.status, 422);
    let mut body = base.clone();
    body["colour"] = json!("green");
    let unknown = ada.post("/api/v1/communities", body).await;
    assert_eq!(unknown.status, 422);
    assert!(
        unknown.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("unknown field")
    );
    let mut body = base.clone();
    body["visibility"] = json!("secret");
    assert_eq!(ada.post("/api/v1/communities", body).await.status, 422);
}

/// Broken JSON, bad UTF-8, another media type and a huge body: each its own clear 4xx.
async fn bodies_that_are_not_json(ada: &Api) {
    let syntax = ada
        .raw_post(
            "/api/v1/communities",
            "application/json",
            b"{\"name\": ".to_vec(),
        )
        .await;
    assert_eq!((syntax.status, error_code(&syntax)), (400, "bad_request"));
    let utf8 = ada
        .raw_post(
            "/api/v1/communities",
            "application/json",
            b"{\"name\": \"\xff\xfe\"}".to_vec(),
        )
        .await;
    assert_eq!(utf8.status, 400, "{}", utf8.text);
    let not_json = ada
        .raw_post("/api/v1/communities", "text/plain", b"hello".to_vec())
        .await;
    assert_eq!(
        (not_json.status, error_code(&not_json)),
        (415, "unsupported_media_type")
    );
    let huge = ada
        .raw_post(
            "/api/v1/communities",
            "application/json",
            vec![b' '; 2 * 1024 * 1024],
        )
        .await;
    assert_eq!((huge.status, error_code(&huge)), (413, "payload_too_large"));
}

/// Paging parameters.
async fn paging_parameters(ada: &Api) {
    let clamped = ada.get("/api/v1/communities?limit=1000000000").await;
    assert_eq!(clamped.status, 200);
    for bad in [
        "cursor=-1",
        "cursor=zz~1",
        "cursor=61~-5",
        "limit=abc",
        "limit=-1e99",
    ] {
        let r = ada.get(&format!("/api/v1/communities?{bad}")).await;
        assert_eq!(r.status, 400, "{bad}: {}", r.text);
        assert!(r.body["error"]["message"].is_string());
    }
    let unknown_param = ada.get("/api/v1/communities?colour=green").await;
    assert_eq!(unknown_param.status, 400);
    assert_eq!(
        ada.get("/api/v1/nothing-here").await.body["error"]["code"],
        "not_found"
    );
}

#[tokio::test]
async fn bodies_must_be_json_objects() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        coord.community("gis", "public", true, "open").await;
        for body in [
            serde_json::json!([null, null]),
            serde_json::json!("name"),
            serde_json::json!(42),
        ] {
            let r = coord.patch("/api/v1/communities/gis", body.clone()).await;
            assert_eq!((r.status, error_code(&r)), (422, "invalid"), "{body}");
            let r = coord
                .post("/api/v1/communities/gis/join", body.clone())
                .await;
            assert_eq!(r.status, 422, "{body}");
        }
        let syntax = coord
            .raw_post(
                "/api/v1/communities/gis/join",
                "application/json",
                b"{".to_vec(),
            )
            .await;
        assert_eq!(syntax.status, 400);
        app.finish().await;
    }
}

#[tokio::test]
async fn openapi_document_and_health() {
    for app in apps().await {
        let api = app.api();
        let doc = api.get("/api/v1/openapi.json").await;
        assert_eq!(doc.status, 200);
        assert!(doc.body["openapi"].as_str().unwrap().starts_with("3.1"));
        let paths = doc.body["paths"].as_object().unwrap();
        for (path, method) in [
            ("/api/v1/auth/signup", "post"),
            ("/api/v1/auth/tokens", "post"),
            ("/api/v1/communities", "get"),
            ("/api/v1/communities", "post"),
            ("/api/v1/communities/{slug}", "get"),
            ("/api/v1/communities/{slug}", "patch"),
            ("/api/v1/communities/{slug}/members", "get"),
            ("/api/v1/communities/{slug}/join", "post"),
            ("/api/v1/communities/{slug}/leave", "post"),
            ("/api/v1/me", "get"),
        ] {
            assert!(
                paths.get(path).and_then(|p| p.get(method)).is_some(),
                "{method} {path}"
            );
        }
        assert!(doc.body["components"]["schemas"]["ErrorBody"].is_object());
        // Each operation has a name of its own: generated clients name methods by it, and
        // link-following tools (schemathesis) go from one answer to the operation it names.
        let mut named: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
        for (path, methods) in paths {
            for (method, op) in methods.as_object().unwrap() {
                if let Some(id) = op.get("operationId").and_then(|v| v.as_str()) {
                    named
                        .entry(id)
                        .or_default()
                        .push(format!("{method} {path}"));
                }
            }
        }
        let twice: Vec<_> = named.iter().filter(|(_, ops)| ops.len() > 1).collect();
        assert!(
            twice.is_empty(),
            "operation ids used more than once: {twice:?}"
        );
        let health = api.get("/healthz").await;
        assert_eq!(
            (health.status, health.body["status"].as_str()),
            (200, Some("ok"))
        );
        app.finish().await;
    }
}

/// utoipa names a schema after its Rust type, so two `ToSchema` types with one name in
/// different modules silently share one entry of the OpenAPI document — and one of the two
/// operations is then documented with the other's body. Every documented type name is unique.
#[test]
fn documented_type_names_are_unique() {
    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("../copse-core/src"), &mut files);
    let mut seen: std::collections::BTreeMap<String, std::path::PathBuf> = Default::default();
    let mut documented = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut schema_derive = false;
        for line in text.lines().map(str::trim) {
            if line.starts_with("#[derive(") && line.contains("ToSchema") {
                schema_derive = true;
            } else if schema_derive
                && (line.starts_with("pub struct ") || line.starts_with("pub enum "))
            {
                let name: String = line
                    .split_whitespace()
                    .nth(2)
                    .unwrap()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                documented += 1;
                if let Some(other) = seen.insert(name.clone(), file.clone()) {
                    panic!(
                        "{name} is documented twice: {} and {}",
                        other.display(),
                        file.display()
                    );
                }
                schema_derive = false;
            } else if !line.starts_with("#[") && !line.starts_with("///") && !line.is_empty() {
                schema_derive = false;
            }
        }
    }
    assert!(documented > 100, "found only {documented} documented types");
}
