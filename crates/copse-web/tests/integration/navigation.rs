//! A community's navigation as each kind of reader gets it: a few sections in one row, the
//! open section's pages under it, sections a reader may not open left out, and work waiting
//! for the coordinators shown on Manage.

use crate::common::*;

/// What a page's community navigation offers.
#[derive(Debug, PartialEq)]
struct Navigation {
    sections: Vec<String>,
    open_section: Option<String>,
    pages: Vec<String>,
    current_page: Option<String>,
}

/// Reads the navigation out of a page: the links of its section row and of its page row, and
/// which of them are marked current. Badges count as part of a link's words.
fn navigation(page: &str) -> Navigation {
    let start = page
        .find(r#"<nav aria-label="Community sections""#)
        .expect("a community navigation");
    let nav = &page[start..start + page[start..].find("</nav>").unwrap()];
    let (section_row, page_row) =
        nav.split_at(nav.find(r#"<ul class="tabs""#).unwrap_or(nav.len()));
    let links = |row: &str, current: &str| {
        let mut labels = Vec::new();
        let mut marked = None;
        for link in row.split("<a ").skip(1) {
            let inner = &link[link.find('>').unwrap() + 1..link.find("</a>").unwrap()];
            let label = words(inner);
            if link[..link.find('>').unwrap()].contains(current) {
                marked = Some(label.clone());
            }
            labels.push(label);
        }
        (labels, marked)
    };
    let (sections, open_section) = links(section_row, r#"aria-current="true""#);
    let (pages, current_page) = links(page_row, r#"aria-current="page""#);
    Navigation {
        sections,
        open_section,
        pages,
        current_page,
    }
}

/// The text of an HTML fragment, tags dropped and spaces collapsed.
fn words(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let r = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.text().await.unwrap()
}

#[tokio::test]
async fn each_reader_gets_the_sections_they_may_open_and_the_open_sections_pages() {
    for app in apps().await {
        let cora = app.api().person("cora").await;
        cora.community("ipc", "public", true, "open").await;
        let coordinator = app.signed_in("cora@example.org").await;

        let on_threads = navigation(&page(&coordinator, &app, "/c/ipc/threads").await);
        assert_eq!(
            on_threads,
            Navigation {
                sections: strings(&["About", "Talk", "Meet", "People", "Value", "Manage"]),
                open_section: Some("Talk".into()),
                pages: strings(&["Discussions", "Topics", "Library", "Newsletter"]),
                current_page: Some("Discussions".into()),
            }
        );
        let on_settings = navigation(&page(&coordinator, &app, "/c/ipc/settings").await);
        assert_eq!(on_settings.open_section.as_deref(), Some("Manage"));
        assert_eq!(
            on_settings.pages,
            strings(&["Requests", "Moderation", "Invite", "Settings"])
        );
        assert_eq!(on_settings.current_page.as_deref(), Some("Settings"));

        // A member: no Manage; a signed-in outsider: no Value either; a visitor: no People.
        app.api()
            .person("mia")
            .await
            .post_empty("/api/v1/communities/ipc/join")
            .await;
        let member = navigation(
            &page(
                &app.signed_in("mia@example.org").await,
                &app,
                "/c/ipc/people",
            )
            .await,
        );
        assert_eq!(
            member.sections,
            strings(&["About", "Talk", "Meet", "People", "Value"])
        );
        assert_eq!(
            member.pages,
            strings(&["Members", "Who knows what", "People to meet"])
        );
        assert_eq!(member.current_page.as_deref(), Some("People to meet"));
        app.api().person("otto").await;
        let outsider = navigation(
            &page(
                &app.signed_in("otto@example.org").await,
                &app,
                "/c/ipc/members",
            )
            .await,
        );
        assert_eq!(
            outsider.sections,
            strings(&["About", "Talk", "Meet", "People"])
        );
        assert_eq!(outsider.pages, strings(&["Members", "Who knows what"]));
        let visitor = navigation(&page(&app.browser(), &app, "/c/ipc").await);
        assert_eq!(visitor.sections, strings(&["About", "Talk", "Meet"]));
        assert_eq!(visitor.open_section.as_deref(), Some("About"));
        assert_eq!(visitor.pages, strings(&["About", "History"]));
        app.finish().await;
    }
}

#[tokio::test]
async fn a_private_community_shows_a_visitor_only_its_about_page_and_manage_shows_waiting_requests()
{
    for app in apps().await {
        let cora = app.api().person("cora").await;
        cora.community("guild", "private", true, "approval").await;
        let visitor = navigation(&page(&app.browser(), &app, "/c/guild").await);
        assert_eq!(visitor.sections, strings(&["About"]));
        assert!(visitor.pages.is_empty(), "one page needs no second row");

        let asker = app.api().person("ana").await;
        let asked = asker
            .post(
                "/api/v1/communities/guild/join",
                serde_json::json!({"answers": ["At the county hospital"]}),
            )
            .await;
        assert_eq!(asked.body["status"], "requested", "{}", asked.text);
        let coordinator = app.signed_in("cora@example.org").await;
        let about = navigation(&page(&coordinator, &app, "/c/guild").await);
        assert!(
            about.sections.contains(&"Manage 1".to_string()),
            "{about:?}"
        );
        let requests = navigation(&page(&coordinator, &app, "/c/guild/requests").await);
        assert_eq!(requests.open_section.as_deref(), Some("Manage 1"));
        assert_eq!(requests.current_page.as_deref(), Some("Requests 1"));
        app.finish().await;
    }
}
