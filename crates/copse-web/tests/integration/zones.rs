//! Time zones are picked from a list, and every form that asks for one starts from the
//! person's own: the profile, planning an event, planning in a circle, proposing a meeting.

use crate::common::*;
use serde_json::json;

async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let r = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.text().await.unwrap()
}

/// The `<select>` named `time_zone` whose id is `id`, from its tag to its end.
fn picker<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!(r#"<select id="{id}" name="time_zone""#))
        .unwrap_or_else(|| panic!("a zone picker #{id}: {html}"));
    &html[start..start + html[start..].find("</select>").unwrap()]
}

#[tokio::test]
async fn zone_pickers_list_the_zones_and_start_from_the_persons_own() {
    for app in apps().await {
        let ada = app.api().person("ada").await;
        ada.community("ipc", "public", true, "open").await;
        let browser = app.signed_in("ada@example.org").await;

        // No zone yet: the profile says so, and forms start in UTC.
        let profile = page(&browser, &app, "/settings/profile").await;
        assert!(
            picker(&profile, "time_zone")
                .contains(r#"<option value="" selected>Not set (UTC)</option>"#)
        );
        let form = page(&browser, &app, "/c/ipc/events/new").await;
        assert!(
            picker(&form, "time_zone").contains(r#"<option value="UTC" selected>UTC</option>"#)
        );

        let set = ada
            .patch("/api/v1/me", json!({"time_zone": "Europe/Berlin"}))
            .await;
        assert_eq!(set.status, 200, "{}", set.text);
        let profile = page(&browser, &app, "/settings/profile").await;
        let zones = picker(&profile, "time_zone");
        assert!(zones.contains(r#"<option value="Europe/Berlin" selected>Berlin</option>"#));
        assert!(
            zones.contains(r#"<optgroup label="America">"#) && zones.contains(">New York</option>")
        );
        assert_eq!(zones.matches(" selected").count(), 1, "one choice");
        let form = page(&browser, &app, "/c/ipc/events/new").await;
        assert!(picker(&form, "time_zone").contains(r#"value="Europe/Berlin" selected"#));

        // A circle's event form starts from it too.
        let circle = ada
            .post(
                "/api/v1/communities/ipc/circles",
                json!({"name": "Audit circle", "purpose": "Audits together."}),
            )
            .await;
        assert_eq!(circle.status, 201, "{}", circle.text);
        let circle_page = page(&browser, &app, &format!("/circles/{}", circle.body["id"])).await;
        assert!(picker(&circle_page, "ev-tz").contains(r#"value="Europe/Berlin" selected"#));
        app.finish().await;
    }
}

/// An event's times are read in the reader's zone when their profile has another, with the
/// event's own beside them; without one, in the event's zone, named.
#[tokio::test]
async fn event_times_are_read_in_the_readers_zone() {
    // A month before the meeting, so that the list of coming events holds it.
    for (app, _clock) in apps_at(1_892_160_000_000).await {
        let cora = app.api().person("cora").await;
        cora.community("ipc", "public", true, "open").await;
        let event = cora
            .post(
                "/api/v1/communities/ipc/events",
                json!({"title": "Winter meeting", "time_zone": "Europe/London",
                       "start": "2030-01-15T18:00", "end": "2030-01-15T19:00"}),
            )
            .await;
        assert_eq!(event.status, 201, "{}", event.text);
        let february = cora
            .post(
                "/api/v1/communities/ipc/events",
                json!({"title": "February meeting", "time_zone": "Europe/London",
                       "start": "2030-02-05T18:00", "end": "2030-02-05T19:00"}),
            )
            .await;
        assert_eq!(february.status, 201, "{}", february.text);
        let paths = [
            "/c/ipc/events".to_string(),
            format!("/e/{}", event.body["id"]),
        ];
        let visitor = app.browser();
        // The list is grouped by month, in order.
        let list = page(&visitor, &app, &paths[0]).await;
        let (january, feb) = (
            list.find(r#"<h3 id="month-1">January 2030</h3>"#)
                .expect("January"),
            list.find(r#"<h3 id="month-2">February 2030</h3>"#)
                .expect("February"),
        );
        let winter = list.find("Winter meeting").unwrap();
        assert!(january < winter && winter < feb && feb < list.find("February meeting").unwrap());
        for path in &paths {
            let page = page(&visitor, &app, path).await;
            assert!(
                page.contains("Tue 15 Jan 2030, 18:00 Europe/London"),
                "{path}: {page}"
            );
        }
        let ada = app.api().person("ada").await;
        ada.patch("/api/v1/me", json!({"time_zone": "Europe/Berlin"}))
            .await;
        let berlin = app.signed_in("ada@example.org").await;
        for path in &paths {
            let page = page(&berlin, &app, path).await;
            assert!(
                page.contains("Tue 15 Jan 2030, 19:00 your time · 18:00 in Europe/London"),
                "{path}: {page}"
            );
        }
        // Across midnight, the event's own day is named too.
        ada.patch("/api/v1/me", json!({"time_zone": "Asia/Tokyo"}))
            .await;
        let tokyo = page(&berlin, &app, &paths[0]).await;
        assert!(
            tokyo.contains("Wed 16 Jan 2030, 03:00 your time · Tue 18:00 in Europe/London"),
            "{tokyo}"
        );
        app.finish().await;
    }
}
