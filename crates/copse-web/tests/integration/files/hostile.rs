//! Hostile uploads, each refused or neutralised: markup under an image's name, an SVG with a
//! script, a GIF that is also a script, a body of a gibibyte, a name made to break headers,
//! and a photo's hidden location.

use futures_util::stream;

use super::*;

#[tokio::test]
async fn markup_is_refused_whatever_it_is_called() {
    for app in apps().await {
        let member = app.api().person("member").await;
        let html =
            b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>";
        let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        for (name, bytes) in [
            ("photo.png", &html[..]),
            ("diagram.svg", &svg[..]),
            ("x.jpg", &svg[..]),
        ] {
            let r = upload(&member, name, bytes).await;
            assert_eq!(r.status, 422, "{name}: {}", r.text);
            assert_eq!(r.body["error"]["field"], "file", "{}", r.text);
        }
        let r = upload(&member, "empty.pdf", b"").await;
        assert_eq!(r.status, 422, "{}", r.text);
        let program = [0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(upload(&member, "tool.pdf", &program).await.status, 422);
        assert!(dir_is_empty(&app), "nothing refused is kept");
        app.finish().await;
    }
}

fn dir_is_empty(app: &TestApp) -> bool {
    let dir = app.files_dir.path().join("files");
    std::fs::read_dir(&dir)
        .map(|mut d| d.next().is_none())
        .unwrap_or(true)
}

#[tokio::test]
async fn a_gif_that_is_also_a_script_is_only_a_gif_once_stored() {
    for app in apps().await {
        let (_coord, member, _outsider) = setup(&app).await;
        let mut gif = Vec::new();
        {
            let frame = image::Frame::new(image::RgbaImage::from_pixel(
                8,
                6,
                image::Rgba([200, 30, 30, 255]),
            ));
            let mut encoder = image::codecs::gif::GifEncoder::new(&mut gif);
            encoder.encode_frames([frame]).unwrap();
        }
        // "GIF89a/*": the screen width's bytes open a JS comment; after the trailer, the script.
        gif[6] = b'/';
        gif[7] = b'*';
        gif.extend_from_slice(b"*/=1;alert(document.domain);//");
        let id = uploaded(&member, "funny.gif", &gif).await;
        thread_with(&member, "public", &[&id]).await;
        let r = fetch(&member, &format!("/files/{id}/funny.gif"), &[]).await;
        assert_eq!(header(&r, "content-type"), "image/gif");
        assert_eq!(
            header(&r, "x-content-type-options"),
            "nosniff",
            "no browser runs it as a script"
        );
        let stored = r.bytes().await.unwrap();
        assert!(stored.starts_with(b"GIF89a"), "still a GIF");
        assert!(
            !stored.windows(6).any(|w| w == b"alert("),
            "the script after the image is gone"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn a_photos_exif_is_gone_once_stored() {
    for app in apps().await {
        let (_coord, member, _outsider) = setup(&app).await;
        let marker = "GPS 52.5200N 13.4050E ward-4b";
        let photo = jpeg_with_exif(marker);
        assert!(photo.windows(marker.len()).any(|w| w == marker.as_bytes()));
        let id = uploaded(&member, "station.jpg", &photo).await;
        thread_with(&member, "public", &[&id]).await;
        let stored = fetch(&member, &format!("/files/{id}/station.jpg"), &[])
            .await
            .bytes()
            .await
            .unwrap();
        assert!(!stored.windows(4).any(|w| w == b"Exif"), "no EXIF segment");
        assert!(!stored.windows(3).any(|w| w == b"GPS"), "no location");
        let decoded =
            image::load_from_memory_with_format(&stored, image::ImageFormat::Jpeg).unwrap();
        assert_eq!(
            (decoded.width(), decoded.height()),
            (16, 12),
            "the picture itself is kept"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn a_name_cannot_break_the_headers_or_climb_folders() {
    for app in apps().await {
        let (_coord, member, _outsider) = setup(&app).await;
        let name = "../../etc/passwd\r\nSet-Cookie: stolen=1\r\n\r\n\".pdf";
        let r = upload(&member, name, PDF).await;
        assert_eq!(r.status, 201, "{}", r.text);
        let id = r.body["id"].as_str().unwrap().to_string();
        assert_eq!(r.body["name"], "passwdSet-Cookie: stolen=1\".pdf");
        thread_with(&member, "public", &[&id]).await;
        let r = fetch(&member, r.body["url"].as_str().unwrap(), &[]).await;
        assert_eq!(r.status(), 200);
        assert!(
            r.headers().get("set-cookie").is_none(),
            "no header was injected"
        );
        let disposition = header(&r, "content-disposition");
        assert!(!disposition.contains(['\r', '\n']), "{disposition}");
        assert!(
            disposition.starts_with("attachment; filename=\"passwdSet-Cookie: stolen=1_.pdf\""),
            "{disposition}"
        );
        let long = upload(&member, &"a".repeat(501), PDF).await;
        assert_eq!(long.status, 422, "{}", long.text);
        assert_eq!(long.body["error"]["field"], "name");
        // The bytes are kept under the id alone, inside the files folder.
        let kept: Vec<_> = std::fs::read_dir(app.files_dir.path().join("files"))
            .unwrap()
            .collect();
        assert_eq!(kept.len(), 1);
        app.finish().await;
    }
}

#[tokio::test]
async fn a_gibibyte_body_is_refused_at_the_limit_and_nothing_is_kept() {
    for app in apps().await {
        let member = app.api().person("member").await;
        let mib = bytes::Bytes::from(vec![b'a'; 1024 * 1024]);
        let chunks = stream::iter((0..1024).map(move |_| Ok::<_, std::io::Error>(mib.clone())));
        let sent = member
            .http
            .post(app.url("/api/v1/files?name=huge.txt"))
            .bearer_auth(member.token.as_deref().unwrap())
            .header("content-type", "application/octet-stream")
            .body(reqwest::Body::wrap_stream(chunks))
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 413);
        let body: serde_json::Value = sent.json().await.unwrap();
        assert_eq!(body["error"]["message"], "a file may be at most 20 MiB");
        assert!(dir_is_empty(&app), "no part of it is kept");
        assert_eq!(app.db.count("SELECT COUNT(*) FROM files").await, 0);
        app.finish().await;
    }
}
