//! A notification e-mail shows the picture of whoever did it, when they uploaded one: the
//! image is the site's own public address of their picture, which a mail program can load.

use super::*;

async fn set_picture(app: &TestApp, who: &Api) {
    let put = who
        .http
        .put(app.url("/api/v1/me/avatar"))
        .bearer_auth(who.token.as_deref().unwrap())
        .body(crate::files::png(30, 30))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 204);
}

/// The `src` of every image in an e-mail's HTML part.
fn images(mail: &Value) -> Vec<String> {
    let html = mail["html"].as_str().unwrap();
    html.match_indices("<img src=\"")
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[tokio::test]
async fn a_mention_email_shows_the_mentioners_picture_and_none_without_one() {
    for (app, clock) in apps().await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let w = worker(&app.state, port, "a", None);
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        set_picture(&app, &bob).await;
        bob.thread(
            "ipc",
            json!({"title": "Audit forms", "body": "@ada has the template."}),
        )
        .await;
        ada.thread(
            "ipc",
            json!({"title": "Night rounds", "body": "@bob how do you log them?"}),
        )
        .await;
        clock.advance(3 * MINUTE);
        for _ in 0..3 {
            w.tick().await.unwrap();
        }
        let to_ada = mails(&smtp, "mentioned you")
            .into_iter()
            .find(|m| m["to"].as_str().unwrap().contains("<ada@"))
            .expect("ada is told of bob's mention");
        let shown = images(&to_ada);
        assert_eq!(
            shown,
            vec![format!("{BASE}/u/bob/avatar/96")],
            "bob's picture"
        );
        // The address answers with the picture itself, to anyone (a mail program is not signed in).
        let r = app
            .api()
            .http
            .get(app.url("/u/bob/avatar/96"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["content-type"], "image/jpeg");

        let to_bob = mails(&smtp, "mentioned you")
            .into_iter()
            .find(|m| m["to"].as_str().unwrap().contains("<bob@"))
            .expect("bob is told of ada's mention");
        assert!(images(&to_bob).is_empty(), "ada has no picture: no image");
        app.finish().await;
    }
}
