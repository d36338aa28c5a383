//! How a file is served: its type from its bytes, the headers that keep it harmless, and
//! the conditional and range requests that let a large one be cached and resumed.

use super::*;

#[tokio::test]
async fn files_carry_their_type_nosniff_a_sandbox_and_a_download_name() {
    for app in apps().await {
        let (_coord, member, _outsider) = setup(&app).await;
        let pdf = uploaded(&member, "Checkliste Händehygiene.pdf", PDF).await;
        let image = uploaded(&member, "station.png", &png(8, 6)).await;
        thread_with(&member, "public", &[&pdf, &image]).await;
        let r = fetch(&member, &format!("/files/{pdf}/anything"), &[]).await;
        assert_eq!(
            r.status(),
            200,
            "the id decides, not the name in the address"
        );
        assert_eq!(header(&r, "x-content-type-options"), "nosniff");
        let csp = header(&r, "content-security-policy");
        assert!(
            csp.contains("sandbox") && csp.contains("default-src 'none'"),
            "{csp}"
        );
        assert_eq!(
            header(&r, "content-disposition"),
            "attachment; filename=\"Checkliste H_ndehygiene.pdf\"; filename*=UTF-8''Checkliste%20H%C3%A4ndehygiene.pdf"
        );
        assert_eq!(header(&r, "accept-ranges"), "bytes");
        assert!(!header(&r, "last-modified").is_empty());
        let r = fetch(&member, &format!("/files/{image}/station.png"), &[]).await;
        assert!(
            header(&r, "content-disposition").starts_with("inline;"),
            "a raster image is shown in the page"
        );
        // The API's upload says how to embed it.
        let again = upload(&member, "station.png", &png(2, 2)).await;
        let markdown = again.body["markdown"].as_str().unwrap();
        assert!(markdown.starts_with("![station.png](/files/"), "{markdown}");
        app.finish().await;
    }
}

#[tokio::test]
async fn a_file_answers_ranges_and_conditional_requests() {
    for app in apps().await {
        let (_coord, member, _outsider) = setup(&app).await;
        let pdf = uploaded(&member, "big.pdf", PDF).await;
        thread_with(&member, "public", &[&pdf]).await;
        let url = format!("/files/{pdf}/big.pdf");
        let size = PDF.len();

        let r = fetch(&member, &url, &[("range", "bytes=0-3")]).await;
        assert_eq!(r.status(), 206);
        assert_eq!(header(&r, "content-range"), format!("bytes 0-3/{size}"));
        assert_eq!(header(&r, "content-length"), "4");
        assert_eq!(r.bytes().await.unwrap(), &PDF[..4]);

        let r = fetch(&member, &url, &[("range", "bytes=-6")]).await;
        assert_eq!(r.status(), 206);
        assert_eq!(r.bytes().await.unwrap(), &PDF[size - 6..]);

        let r = fetch(&member, &url, &[("range", &format!("bytes={size}-"))]).await;
        assert_eq!(r.status(), 416);
        assert_eq!(header(&r, "content-range"), format!("bytes */{size}"));

        let etag = header(&fetch(&member, &url, &[]).await, "etag");
        assert_eq!(etag, format!("\"{pdf}\""));
        let r = fetch(&member, &url, &[("if-none-match", &etag)]).await;
        assert_eq!(r.status(), 304);
        assert!(r.bytes().await.unwrap().is_empty());
        // A range of another version is answered with the whole file.
        let r = fetch(
            &member,
            &url,
            &[("range", "bytes=0-3"), ("if-range", "\"other\"")],
        )
        .await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.bytes().await.unwrap().len(), size);
        // The gate comes first: no 304 or range tells an outsider a private file exists.
        let secret = uploaded(&member, "secret.pdf", PDF).await;
        thread_with(&member, "members", &[&secret]).await;
        let url = format!("/files/{secret}/secret.pdf");
        let tag = format!("\"{secret}\"");
        let stranger = app.api().person("stranger").await;
        for asked in [("if-none-match", tag.as_str()), ("range", "bytes=0-3")] {
            assert_eq!(
                fetch(&stranger, &url, &[asked]).await.status(),
                404,
                "{asked:?}"
            );
        }
        app.finish().await;
    }
}

#[tokio::test]
async fn a_library_resource_keeps_its_earlier_versions_listed() {
    // A fixed clock: the versions share their upload time, so only `supersedes` orders them.
    for (app, _clock) in apps_at(1_893_456_000_000).await {
        let (coord, member, _outsider) = setup(&app).await;
        let first = uploaded(&coord, "audit-tool-v1.pdf", PDF).await;
        let thread = coord
            .thread("ipc", json!({"title": "Audit tool", "body": "The ward audit tool.", "kind": "resource", "files": [first]}))
            .await;
        for version in ["audit-tool-v2.pdf", "audit-tool-v3.pdf"] {
            let next = uploaded(&coord, version, PDF).await;
            let r = coord
                .post(
                    &format!("/api/v1/threads/{thread}/versions"),
                    json!({"file": next}),
                )
                .await;
            assert_eq!(r.status, 204, "{}", r.text);
        }
        let mut names: Vec<String> = member
            .get(&format!("/api/v1/threads/{thread}/files"))
            .await
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "audit-tool-v1.pdf",
                "audit-tool-v2.pdf",
                "audit-tool-v3.pdf"
            ]
        );
        let page = app
            .api()
            .http
            .get(app.url(&format!("/t/{thread}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let current = page
            .find("audit-tool-v3.pdf")
            .expect("the newest version is listed");
        let earlier = page
            .find("earlier version")
            .expect("the old ones are marked earlier");
        assert!(current < earlier, "the current version comes first");
        assert_eq!(
            page.matches("earlier version").count(),
            2,
            "both earlier versions"
        );
        let library = app
            .api()
            .http
            .get(app.url("/c/ipc/library"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            library.contains("audit-tool-v3.pdf</a> · PDF · "),
            "the shelf names the current document, its type and size"
        );
        assert!(
            !library.contains("audit-tool-v1.pdf") && !library.contains("audit-tool-v2.pdf"),
            "not the earlier versions"
        );

        app.finish().await;
    }
}

#[tokio::test]
async fn only_a_resources_editors_add_versions() {
    for app in apps().await {
        let (coord, member, _outsider) = setup(&app).await;
        let first = uploaded(&coord, "audit-tool-v1.pdf", PDF).await;
        let thread = coord
            .thread("ipc", json!({"title": "Audit tool", "body": "The tool.", "kind": "resource", "files": [first]}))
            .await;
        // A member who may not edit the resource may not add versions; a discussion has none.
        let theirs = uploaded(&member, "mine.pdf", PDF).await;
        let r = member
            .post(
                &format!("/api/v1/threads/{thread}/versions"),
                json!({"file": theirs}),
            )
            .await;
        assert_eq!(r.status, 403, "{}", r.text);
        let discussion = thread_with(&member, "public", &[]).await;
        let r = member
            .post(
                &format!("/api/v1/threads/{discussion}/versions"),
                json!({"file": theirs}),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.text);
        app.finish().await;
    }
}

/// The body of a gzip answer, unpacked.
fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut out).unwrap();
    out
}

#[tokio::test]
async fn text_is_gzipped_when_asked_and_files_are_sent_as_stored() {
    for app in apps().await {
        let (_coord, member, _outsider) = setup(&app).await;
        let notes = uploaded(
            &member,
            "notes.txt",
            "hand hygiene audit notes\n".repeat(40).as_bytes(),
        )
        .await;
        let pdf = uploaded(&member, "kit.pdf", PDF).await;
        thread_with(&member, "public", &[&notes, &pdf]).await;
        let gzip = [("accept-encoding", "gzip")];
        for path in [
            "/api/v1/communities/ipc/threads",
            "/c/ipc",
            "/static/copse.css",
        ] {
            let plain = fetch(&member, path, &[]).await;
            assert_eq!(header(&plain, "content-encoding"), "", "{path} unasked");
            let plain = plain.bytes().await.unwrap();
            let packed = fetch(&member, path, &gzip).await;
            assert_eq!(packed.status(), 200, "{path}");
            assert_eq!(header(&packed, "content-encoding"), "gzip", "{path}");
            assert!(
                header(&packed, "vary")
                    .to_lowercase()
                    .contains("accept-encoding")
            );
            let packed = packed.bytes().await.unwrap();
            assert!(
                packed.len() < plain.len(),
                "{path}: {} of {}",
                packed.len(),
                plain.len()
            );
            if path.starts_with("/api/") {
                assert_eq!(gunzip(&packed), plain, "{path} unpacks to the same answer");
            } else {
                assert!(
                    String::from_utf8(gunzip(&packed))
                        .unwrap()
                        .contains("copse"),
                    "{path}"
                );
            }
        }
        for (id, bytes) in [
            (&notes, "hand hygiene audit notes\n".repeat(40).into_bytes()),
            (&pdf, PDF.to_vec()),
        ] {
            let r = fetch(&member, &format!("/files/{id}"), &gzip).await;
            assert_eq!(r.status(), 200);
            assert_eq!(
                header(&r, "content-encoding"),
                "",
                "a file is sent as stored"
            );
            assert_eq!(header(&r, "content-length"), bytes.len().to_string());
            assert_eq!(r.bytes().await.unwrap(), bytes);
        }
        app.finish().await;
    }
}
