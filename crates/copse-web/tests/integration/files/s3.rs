//! The same uploads and reads with the files on a real S3-compatible server.

use super::*;

#[tokio::test]
async fn uploads_and_reads_work_with_the_files_on_s3_compatible_storage() {
    let bucket = copse_files::testing::bucket("copse-web");
    let Some((_server, location)) = copse_files::testing::start(&bucket).await else {
        return;
    };
    let config = move || Config {
        files: Some(location.clone()),
        ..Config::default()
    };
    for app in apps_with(config).await {
        let (_coord, member, outsider) = setup(&app).await;
        let pdf = uploaded(&member, "minutes.pdf", PDF).await;
        let image = uploaded(&member, "station.jpg", &jpeg_with_exif("GPS here")).await;
        thread_with(&member, "members", &[&pdf, &image]).await;
        let r = fetch(
            &member,
            &format!("/files/{pdf}/minutes.pdf"),
            &[("range", "bytes=5-7")],
        )
        .await;
        assert_eq!(r.status(), 206);
        assert_eq!(r.bytes().await.unwrap(), &PDF[5..8]);
        let r = fetch(&member, &format!("/files/{image}/station.jpg"), &[]).await;
        assert!(!r.bytes().await.unwrap().windows(3).any(|w| w == b"GPS"));
        assert_eq!(
            fetch(&outsider, &format!("/files/{pdf}/minutes.pdf"), &[])
                .await
                .status(),
            404
        );
        assert!(
            std::fs::read_dir(app.files_dir.path())
                .unwrap()
                .next()
                .is_none(),
            "nothing on local disk"
        );
        app.finish().await;
    }
}
