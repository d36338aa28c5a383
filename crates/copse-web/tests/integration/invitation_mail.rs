//! Invitations arrive by e-mail: to the address an invitation was sent to, or to the verified
//! address of the account it names; sent again on request; not sent once withdrawn.

use serde_json::{Value, json};

use crate::common::*;

/// Wednesday 2029-12-26, 12:00 UTC.
const START: i64 = 1_892_980_800_000;

fn invitations_to<'a>(messages: &'a [Value], address: &str) -> Vec<&'a Value> {
    messages
        .iter()
        .filter(|m| m["to"].as_str().unwrap().contains(&format!("<{address}>")))
        .filter(|m| m["subject"] == "You are invited to Community ward")
        .collect()
}

#[tokio::test]
async fn invitations_are_mailed_sent_again_and_not_after_withdrawal() {
    for (app, clock) in mail_apps(START).await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        coord
            .community("ward", "private", false, "invitation")
            .await;
        let invite = |who: &'static str| {
            let coord = &coord;
            async move {
                let r = coord
                    .post(
                        "/api/v1/communities/ward/invitations",
                        json!({ "invitee": who }),
                    )
                    .await;
                assert_eq!(r.status, 201, "{}", r.text);
                r.body["invitation"]["id"].as_i64().unwrap()
            }
        };
        let to_carol = invite("carol@example.org").await;
        invite("@ada").await;
        let to_eve = invite("eve@example.org").await;
        let withdrawn = coord
            .delete(&format!("/api/v1/communities/ward/invitations/{to_eve}"))
            .await;
        assert_eq!(withdrawn.status, 204);

        let w = worker(&app.state, port, "a", None);
        w.tick().await.unwrap();
        let messages = caught(&smtp);
        let carol = invitations_to(&messages, "carol@example.org");
        assert_eq!(carol.len(), 1, "{messages:?}");
        assert_eq!(carol[0]["links"][0], format!("{MAIL_BASE}/invitations"));
        let text = carol[0]["text"].as_str().unwrap();
        assert!(
            text.contains("@coord invites you to Community ward"),
            "{text}"
        );
        assert!(!text.contains("cpi_"), "no secret travels in the e-mail");
        assert_eq!(invitations_to(&messages, "ada@example.org").len(), 1);
        assert!(
            invitations_to(&messages, "eve@example.org").is_empty(),
            "withdrawn first"
        );

        clock.advance(60_000);
        let again = coord
            .post_empty(&format!(
                "/api/v1/communities/ward/invitations/{to_carol}/resend"
            ))
            .await;
        assert_eq!(again.status, 202);
        let gone = coord
            .post_empty(&format!(
                "/api/v1/communities/ward/invitations/{to_eve}/resend"
            ))
            .await;
        assert_eq!(gone.status, 404, "a withdrawn invitation is not sent again");
        let outsider = ada
            .post_empty(&format!(
                "/api/v1/communities/ward/invitations/{to_carol}/resend"
            ))
            .await;
        assert_eq!(
            outsider.status, 403,
            "only coordinators and leaders send it again"
        );
        w.tick().await.unwrap();
        assert_eq!(invitations_to(&caught(&smtp), "carol@example.org").len(), 2);
    }
}
