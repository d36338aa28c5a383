//! One round of the matrix: every surface fetched as every actor, every cell checked, and the
//! e-mails each actor would get (digest, newsletter, reminders) checked like any surface.

use copse_core::domain::AccountId;
use std::collections::BTreeMap;

use super::world::*;
use crate::common::*;

/// Each actor's personal digest as it would go out now (text and HTML), for a period that
/// covers the whole fixture: built for everyone the digest query picks, in one batch, as the
/// worker does.
async fn digests(app: &TestApp) -> BTreeMap<A, String> {
    use copse_core::domain::email::{DigestCadence, DigestPeriod};
    let store = &app.db.store;
    let period = DigestPeriod {
        cadence: DigestCadence::Weekly,
        since: NOW - 7 * DAY,
        until: NOW + 7 * DAY,
        key: "matrix".into(),
    };
    let recipients = store
        .digest_recipients(DigestCadence::Weekly, AccountId(0), 1000)
        .await
        .unwrap();
    let ids: Vec<AccountId> = recipients.iter().map(|r| r.id).collect();
    let tokens = store.unsubscribe_tokens(&ids).await.unwrap();
    let mut out = BTreeMap::new();
    for d in copse_app::digests::build(&app.state, &period, recipients)
        .await
        .unwrap()
    {
        let mail =
            copse_app::digests::mail::render(&app.state, &period, &d, &tokens[&d.recipient.id])
                .unwrap();
        if let Some(a) = ACTORS
            .iter()
            .find(|a| **a != A::Anonymous && email_of(**a) == d.recipient.email)
        {
            out.insert(*a, format!("{}\n{}", mail.text, mail.html));
        }
    }
    out
}

/// Each actor's copy of the sent newsletter issue as it would go out now (text and HTML): the
/// copies of every reader, made in one batch as the worker makes them.
async fn newsletters(app: &TestApp) -> BTreeMap<A, String> {
    let store = &app.db.store;
    let community = store.community_by_slug("ipc").await.unwrap().unwrap();
    let issue = store.newsletter(community.id, 1).await.unwrap().unwrap();
    let (copies, _) = copse_app::newsletters::delivery::copies(&app.state, &issue, AccountId(0))
        .await
        .unwrap();
    let mut out = BTreeMap::new();
    for c in copies {
        if let Some(a) = ACTORS
            .iter()
            .find(|a| **a != A::Anonymous && email_of(**a) == c.to.email)
        {
            out.insert(*a, format!("{}\n{}", c.mail.text, c.mail.html));
        }
    }
    out
}

/// Fetches every surface as every actor and checks every cell. Returns the cells checked.
pub(super) async fn check(
    app: &TestApp,
    f: &Fixture,
    w: World,
    emails: &BTreeMap<A, String>,
) -> usize {
    let mut cells = 0;
    let mut leaks = Vec::new();
    let digests = digests(app).await;
    let newsletters = newsletters(app).await;
    assert!(
        newsletters
            .get(&A::Member)
            .is_some_and(|d| d.contains("mkmembersthread")),
        "the member's newsletter has what they may read: {:?}",
        newsletters.get(&A::Member)
    );
    assert_eq!(
        newsletters.contains_key(&A::Removed),
        !w.removed,
        "a member removed after drafting gets no copy"
    );
    assert!(
        digests
            .get(&A::Member)
            .is_some_and(|d| d.contains("mkmembersevent")),
        "the member's digest has what they may read: {:?}",
        digests.get(&A::Member)
    );
    for a in ACTORS {
        let mut seen = fetch_surfaces(app, f, a, w, &mut cells).await;
        // The actor's own calendar feed, and the e-mails they received or would receive.
        if signed_in(a, w) && a != A::Suspended {
            let url = f.api[&a].post_empty("/api/v1/me/calendar-feed").await.body["url"]
                .as_str()
                .unwrap()
                .to_string();
            let feed = reqwest::get(&url).await.unwrap().text().await.unwrap();
            seen.push(("personal calendar".into(), 200, feed));
        }
        for (what, mails) in [
            ("reminder e-mails", emails),
            ("digest", &digests),
            ("newsletter", &newsletters),
        ] {
            if let Some(mail) = mails.get(&a) {
                seen.push((what.into(), 200, mail.clone()));
            }
        }
        cells += check_objects(f, a, w, &seen, &mut leaks);
        cells += check_teller(f, a, w, &seen, &mut leaks);
    }
    assert!(
        leaks.is_empty(),
        "{} leaks ({w:?}):\n{}",
        leaks.len(),
        leaks.join("\n")
    );
    cells
}

/// What one actor saw: (address, status, body) of each surface, in the order of `f.surfaces`,
/// then the actor's own feeds and e-mails.
type Seen = Vec<(String, u16, String)>;

/// Every surface as `a` fetches it. Checks on the way that nothing fails, that a suspended
/// account's token stops working, and that a hidden object answers exactly like a missing one.
async fn fetch_surfaces(app: &TestApp, f: &Fixture, a: A, w: World, cells: &mut usize) -> Seen {
    let mut seen = Vec::new();
    for s in &f.surfaces {
        let (status, body) = match s.kind {
            Kind::Json => {
                let r = f.api[&a].get(&s.url).await;
                (r.status, r.text)
            }
            Kind::Html => {
                let r = f.browsers[&a].get(app.url(&s.url)).send().await.unwrap();
                (r.status().as_u16(), r.text().await.unwrap())
            }
        };
        assert!(status < 500, "{a:?} {}: {status}", s.url);
        if a == A::Suspended && w.removed && s.kind == Kind::Json {
            assert_eq!(
                status, 401,
                "a suspended account's token stops working: {}",
                s.url
            );
        }
        if let (Some(o), Some(twin)) = (s.home, f.missing.get(s.route))
            && !may_see(a, o, w)
            && status == 404
        {
            // The twin is asked as the surface was: a page by the same browser (its header
            // shows who is signed in), JSON with the same token.
            let twin = match s.kind {
                Kind::Json => {
                    let r = f.api[&a].get(twin).await;
                    (r.status, r.text)
                }
                Kind::Html => {
                    let r = f.browsers[&a].get(app.url(twin)).send().await.unwrap();
                    (r.status().as_u16(), r.text().await.unwrap())
                }
            };
            assert_eq!(
                (twin.0, &twin.1),
                (404, &body),
                "{a:?}: 404 of {} differs from a missing one",
                s.url
            );
            *cells += 1;
        }
        seen.push((s.url.clone(), status, body));
    }
    seen
}

/// Every object's marker is where `a` may see it and nowhere else. A suspended account is
/// nobody: pages show what anyone may see, the API nothing.
fn check_objects(f: &Fixture, a: A, w: World, seen: &Seen, leaks: &mut Vec<String>) -> usize {
    let mut cells = 0;
    let as_whom = if signed_in(a, w) { a } else { A::Anonymous };
    for o in OBJECTS {
        let mark = if o == O::CalendarToken {
            f.token.as_str()
        } else {
            marker(o)
        };
        for (i, (url, status, body)) in seen.iter().enumerate() {
            let surface = f.surfaces.get(i);
            let api_of_nobody = !signed_in(a, w)
                && a != A::Anonymous
                && surface.is_some_and(|s| s.kind == Kind::Json);
            let route = surface.map_or("", |s| s.route);
            let allowed = may_see_on(as_whom, o, w, route) && !api_of_nobody;
            let present = body.contains(mark);
            let home = surface.and_then(|s| s.home) == Some(o);
            if !allowed && present {
                leaks.push(format!("{a:?} sees {o:?} on {url}"));
            }
            if allowed && home {
                assert!(present, "{a:?} should see {o:?} on {url} ({status})");
            }
            if !allowed || home {
                cells += 1;
            }
        }
    }
    cells
}

/// The anonymous teller: named to coordinators and site admins only, on every surface that
/// shows stories (including the notification of the person their story credits).
fn check_teller(f: &Fixture, a: A, w: World, seen: &Seen, leaks: &mut Vec<String>) -> usize {
    let mut cells = 0;
    let as_whom = if signed_in(a, w) { a } else { A::Anonymous };
    let may_know_teller = matches!(as_whom, A::Coordinator | A::Admin);
    for (i, (url, status, body)) in seen.iter().enumerate() {
        let Some(surface) = f.surfaces.get(i) else {
            continue;
        };
        if !STORY_SURFACES.contains(&surface.route) {
            continue;
        }
        let api_of_nobody = !signed_in(a, w) && a != A::Anonymous && surface.kind == Kind::Json;
        let allowed = may_know_teller && !api_of_nobody;
        let present = body.contains(ANON_TELLER);
        if present && !allowed {
            leaks.push(format!("{a:?} learns the anonymous teller on {url}"));
        }
        if allowed && surface.url == format!("/api/v1/stories/{}", f.ids.anonymous_story) {
            assert!(present, "{a:?} should learn the teller on {url} ({status})");
        }
        cells += 1;
    }
    cells
}

pub(super) fn caught(smtp: &Smtp) -> BTreeMap<A, String> {
    let mut out: BTreeMap<A, String> = BTreeMap::new();
    for d in ["new", "cur"] {
        let Ok(entries) = std::fs::read_dir(smtp.1.path().join("maildir").join(d)) else {
            continue;
        };
        for e in entries {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            for a in ACTORS {
                if a != A::Anonymous && text.contains(&format!("<{}>", email_of(a))) {
                    out.entry(a).or_default().push_str(&text);
                }
            }
        }
    }
    out
}
