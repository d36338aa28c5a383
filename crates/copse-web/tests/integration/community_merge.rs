//! Merging a community into another, as its coordinator, its members and strangers meet it:
//! who may, what moves and how (roles, topics, history, newsletter), who is told, and where
//! every old address leads.

use serde_json::{Value, json};

use crate::common::*;

const A: &str = "wound-care";
const B: &str = "tissue-viability";

/// A client that shows redirects instead of following them.
fn not_following(api: &Api) -> Api {
    Api {
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        ..api.clone()
    }
}

async fn location(api: &Api, path: &str) -> (u16, String) {
    let mut request = api.http.get(format!("{}{path}", api.base));
    if let Some(token) = &api.token {
        request = request.bearer_auth(token);
    }
    let r = request.send().await.unwrap();
    let to = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (r.status().as_u16(), to)
}

struct World {
    coord: Api,
    /// Member of B only.
    newcomer: Api,
    /// Member of A, leader of B.
    both: Api,
    /// Observer of B.
    observer: Api,
    thread: i64,
}

async fn world(api: &Api) -> World {
    let coord = api.person("mcoord").await;
    coord.community(A, "public", true, "open").await;
    coord.community(B, "public", true, "open").await;
    let newcomer = api.person("mnewcomer").await;
    let both = api.person("mboth").await;
    let observer = api.person("mobserver").await;
    for (who, slug) in [(&newcomer, B), (&both, A), (&both, B)] {
        let r = who
            .post_empty(&format!("/api/v1/communities/{slug}/join"))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let r = coord
        .put(
            &format!("/api/v1/communities/{B}/members/mboth"),
            json!({"role": "leader"}),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let r = observer
        .post_empty(&format!("/api/v1/communities/{B}/follow"))
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    for (slug, topic, name) in [
        (A, "dressings", "Dressings"),
        (B, "wound-dressings", "dressings"),
        (B, "pressure", "Pressure ulcers"),
    ] {
        let r = coord
            .post(
                &format!("/api/v1/communities/{slug}/topics"),
                json!({"slug": topic, "name": name}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let thread = newcomer
        .thread(
            B,
            json!({"title": "Silver dressings on venous ulcers", "body": "Worth the cost?",
                   "topics": ["wound-dressings", "pressure"]}),
        )
        .await;
    let r = coord
        .patch(
            &format!("/api/v1/communities/{B}"),
            json!({"domain_statement": "We learn to prevent pressure ulcers.", "reason": "Our focus"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    World {
        coord,
        newcomer,
        both,
        observer,
        thread,
    }
}

#[tokio::test]
async fn a_community_merged_into_another_brings_everything_and_its_addresses_lead_there() {
    for app in apps().await {
        let api = app.api();
        let w = world(&api).await;
        who_may_merge(&api, &w).await;

        let merged = w
            .coord
            .post(
                &format!("/api/v1/communities/{B}/merge"),
                json!({"into": A}),
            )
            .await;
        assert_eq!(merged.status, 200, "{}", merged.text);
        assert_eq!(merged.body["community"]["slug"], A);
        assert_eq!(merged.body["threads"], 1);
        assert_eq!(merged.body["topics_joined"], 1);
        assert_eq!(merged.body["topics_moved"], 1);
        assert_eq!(
            merged.body["people_in_both"], 2,
            "the coordinator and mboth"
        );
        assert_eq!(
            merged.body["new_people"], 2,
            "the newcomer and the observer"
        );

        people_keep_the_stronger_role(&w.coord).await;
        topics_join_by_name(&api, w.thread).await;
        history_is_kept(&api).await;
        people_are_told(&w).await;
        old_addresses_lead_to_the_new_home(&api, w.thread).await;

        let again = w
            .coord
            .post(
                &format!("/api/v1/communities/{B}/merge"),
                json!({"into": A}),
            )
            .await;
        assert_eq!(
            again.status, 422,
            "a retried merge follows B's address to A and is refused there: {}",
            again.text
        );
        app.finish().await;
    }
}

async fn who_may_merge(api: &Api, w: &World) {
    let path = format!("/api/v1/communities/{B}/merge");
    let by_leader = w.both.post(&path, json!({"into": A})).await;
    assert_eq!(
        by_leader.status, 403,
        "a leader of B, member of A: {}",
        by_leader.text
    );
    let other = api.person("mother").await;
    other.community("elsewhere", "public", true, "open").await;
    let into_theirs = other
        .post("/api/v1/communities/elsewhere/merge", json!({"into": A}))
        .await;
    assert_eq!(
        into_theirs.status, 403,
        "coordinating one is not enough: {}",
        into_theirs.text
    );
    let anonymous = api.anonymous().post(&path, json!({"into": A})).await;
    assert_eq!(anonymous.status, 401);
    let itself = w.coord.post(&path, json!({"into": B})).await;
    assert_eq!(itself.status, 422, "{}", itself.text);
    let nowhere = w.coord.post(&path, json!({"into": ""})).await;
    assert_eq!(nowhere.status, 422, "{}", nowhere.text);
    let unknown = w.coord.post(&path, json!({"into": "no-such-place"})).await;
    assert_eq!(unknown.status, 404, "{}", unknown.text);
    let archived = w
        .coord
        .post(
            &format!("/api/v1/communities/{A}/archive"),
            json!({"reason": "Paused"}),
        )
        .await;
    assert_eq!(archived.status, 200, "{}", archived.text);
    let into_archived = w.coord.post(&path, json!({"into": A})).await;
    assert_eq!(into_archived.status, 409, "{}", into_archived.text);
    let reopened = w
        .coord
        .delete(&format!("/api/v1/communities/{A}/archive"))
        .await;
    assert_eq!(reopened.status, 200, "{}", reopened.text);
    // Nothing moved while it was refused.
    let still = api.get(&format!("/api/v1/communities/{B}")).await;
    assert_eq!(still.status, 200, "{}", still.text);
    assert_eq!(still.body["slug"], B);
}

async fn roles_of(api: &Api, observers: bool) -> Vec<(String, String)> {
    let r = api
        .get(&format!(
            "/api/v1/communities/{A}/members?observers={observers}&limit=100"
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut roles: Vec<(String, String)> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["handle"].as_str().unwrap().to_string(),
                m["role"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    roles.sort();
    roles
}

async fn people_keep_the_stronger_role(api: &Api) {
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(h, r)| (h.to_string(), r.to_string()))
            .collect()
    };
    assert_eq!(
        roles_of(api, false).await,
        pairs(&[
            ("mboth", "leader"),
            ("mcoord", "coordinator"),
            ("mnewcomer", "member")
        ]),
        "mboth led B, so leads A now"
    );
    assert_eq!(
        roles_of(api, true).await,
        pairs(&[("mobserver", "observer")]),
        "observers stay observers"
    );
}

async fn topics_join_by_name(api: &Api, thread: i64) {
    let topics = api.get(&format!("/api/v1/communities/{A}/topics")).await;
    let mut slugs: Vec<&str> = topics.body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", topics.text))
        .iter()
        .map(|t| t["slug"].as_str().unwrap())
        .collect();
    slugs.sort();
    assert_eq!(slugs, ["dressings", "pressure"], "{}", topics.text);
    let t = api.get(&format!("/api/v1/threads/{thread}")).await;
    assert_eq!(t.status, 200, "{}", t.text);
    assert_eq!(t.body["community"], A, "{}", t.text);
    let mut tags: Vec<&str> = t.body["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].as_str().unwrap())
        .collect();
    tags.sort();
    assert_eq!(tags, ["dressings", "pressure"]);
}

async fn history_is_kept(api: &Api) {
    let revisions = api
        .get(&format!("/api/v1/communities/{A}/domain-revisions"))
        .await;
    let from_b: Vec<&Value> = revisions.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["merged_from"] == "Community tissue-viability")
        .collect();
    assert_eq!(
        from_b.len(),
        2,
        "B's founding statement and its change: {}",
        revisions.text
    );
    assert!(from_b.iter().any(|r| r["reason"] == "Our focus"));
    let stages = api
        .get(&format!("/api/v1/communities/{A}/stage-changes"))
        .await;
    let newest = &stages.body["items"][0];
    assert_eq!(newest["kind"], "merged", "{}", stages.text);
    assert_eq!(
        newest["note"],
        "Community tissue-viability (tissue-viability)"
    );
    assert!(newest["merged_from"].is_null(), "A's own entry");
    let page = api.get(&format!("/c/{A}/history")).await;
    assert!(
        page.text.contains("From Community tissue-viability"),
        "{}",
        page.text
    );
    assert!(page.text.contains("Merged in"));
}

async fn merged_notes(who: &Api) -> Vec<Value> {
    let r = who.get("/api/v1/notifications").await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "merged")
        .cloned()
        .collect()
}

async fn people_are_told(w: &World) {
    for who in [&w.newcomer, &w.both, &w.observer] {
        let notes = merged_notes(who).await;
        assert_eq!(notes.len(), 1, "each of B's people is told once");
        assert_eq!(notes[0]["community"], A);
        assert_eq!(notes[0]["actor"], "mcoord");
    }
    assert!(merged_notes(&w.coord).await.is_empty(), "not who merged");
}

async fn old_addresses_lead_to_the_new_home(api: &Api, thread: i64) {
    let plain = not_following(api);
    for (old, new) in [
        (format!("/c/{B}"), format!("/c/{A}")),
        (
            format!("/c/{B}/threads?kind=question"),
            format!("/c/{A}/threads?kind=question"),
        ),
        (
            format!("/c/{B}/topics/pressure"),
            format!("/c/{A}/topics/pressure"),
        ),
        (
            format!("/c/{B}/topics/wound-dressings"),
            format!("/c/{A}/topics/wound-dressings"),
        ),
        (format!("/c/{B}/feed.atom"), format!("/c/{A}/feed.atom")),
        (
            format!("/c/{B}/calendar.ics"),
            format!("/c/{A}/calendar.ics"),
        ),
        (
            format!("/api/v1/communities/{B}/threads"),
            format!("/api/v1/communities/{A}/threads"),
        ),
    ] {
        assert_eq!(location(&plain, &old).await, (308, new), "{old}");
    }
    // The topic of the same name answers at A under B's address, then at its own.
    let (status, to) = location(&plain, &format!("/c/{A}/topics/wound-dressings")).await;
    assert_eq!(
        (status, to.as_str()),
        (308, "/c/wound-care/topics/dressings")
    );
    // Followed to the end, the old addresses answer as the new ones do.
    let topic = api.get(&format!("/c/{B}/topics/wound-dressings")).await;
    assert_eq!(topic.status, 200);
    assert!(topic.text.contains("Silver dressings on venous ulcers"));
    let feed = api.get(&format!("/c/{B}/feed.atom")).await;
    assert!(feed.text.contains(&format!("/t/{thread}")), "{}", feed.text);
    let thread_page = api.get(&format!("/t/{thread}")).await;
    assert_eq!(thread_page.status, 200, "a thread keeps its own address");
    // A name that was never a community stays not found; B's name cannot be taken again.
    assert_eq!(location(&plain, "/c/never-was").await.0, 404);
    let coord = api.person("mlater").await;
    let taken = coord
        .post(
            "/api/v1/communities",
            json!({"name": "Again", "slug": B, "domain_statement": "We learn again."}),
        )
        .await;
    assert_eq!(
        (taken.status, error_code(&taken)),
        (422, "taken"),
        "{}",
        taken.text
    );
}

#[tokio::test]
async fn a_merged_communitys_address_leads_only_those_who_may_know_its_new_home() {
    for app in apps().await {
        let api = app.api();
        let coord = api.person("pcoord").await;
        coord
            .community("closed-ward", "private", false, "approval")
            .await;
        coord.community("open-ward", "public", true, "open").await;
        let member = api.person("pmember").await;
        let r = member
            .post_empty("/api/v1/communities/open-ward/join")
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        let merged = coord
            .post(
                "/api/v1/communities/open-ward/merge",
                json!({"into": "closed-ward"}),
            )
            .await;
        assert_eq!(merged.status, 200, "{}", merged.text);

        let stranger = not_following(&api.person("pstranger").await);
        assert_eq!(
            location(&stranger, "/api/v1/communities/open-ward").await.0,
            404
        );
        assert_eq!(
            location(&not_following(&api.anonymous()), "/c/open-ward")
                .await
                .0,
            404
        );
        // The member came along, so may know where it went.
        let (status, to) = location(&not_following(&member), "/api/v1/communities/open-ward").await;
        assert_eq!(
            (status, to.as_str()),
            (308, "/api/v1/communities/closed-ward")
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn the_merge_page_asks_for_the_address_and_lands_in_the_new_home() {
    for app in apps().await {
        let api = app.api();
        let coord = api.person("fcoord").await;
        coord.community("infusion", "public", true, "open").await;
        coord.community("iv-therapy", "public", true, "open").await;
        api.person("fstranger").await;
        let stranger = app.signed_in("fstranger@example.org").await;
        let refused = stranger
            .get(app.url("/c/iv-therapy/merge"))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403, "the form is for coordinators");
        let browser = app.signed_in("fcoord@example.org").await;
        let form = browser
            .get(app.url("/c/iv-therapy/merge"))
            .send()
            .await
            .unwrap();
        assert_eq!(form.status(), 200);
        let html = form.text().await.unwrap();
        assert!(html.contains(r#"<option value="infusion">"#), "{html}");
        assert!(
            !html.contains(r#"<option value="iv-therapy">"#),
            "not into itself"
        );

        let unconfirmed = browser
            .post(app.url("/c/iv-therapy/merge"))
            .form(&[("into", "infusion"), ("confirm", "iv")])
            .send()
            .await
            .unwrap();
        assert_eq!(unconfirmed.status(), 422);
        let html = unconfirmed.text().await.unwrap();
        assert!(html.contains("type “iv-therapy” to confirm"), "{html}");
        assert_eq!(api.get("/api/v1/communities/iv-therapy").await.status, 200);

        let done = browser
            .post(app.url("/c/iv-therapy/merge"))
            .form(&[("into", "infusion"), ("confirm", "iv-therapy")])
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), 303);
        let to = done.headers()["location"].to_str().unwrap();
        assert_eq!(to, "/c/infusion?notice=merged");
        app.finish().await;
    }
}

#[tokio::test]
async fn the_merged_communitys_people_are_emailed_at_once() {
    for (app, clock) in apps_at(1_800_000_000_000).await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let worker = worker(&app.state, port, "merge", None);
        let api = app.api();
        let coord = api.person("ecoord").await;
        coord.community("wards", "public", true, "open").await;
        coord.community("ward-nurses", "public", true, "open").await;
        let member = api.person("emember").await;
        let joined = member
            .post_empty("/api/v1/communities/ward-nurses/join")
            .await;
        assert_eq!(joined.status, 200, "{}", joined.text);
        let merged = coord
            .post(
                "/api/v1/communities/ward-nurses/merge",
                json!({"into": "wards"}),
            )
            .await;
        assert_eq!(merged.status, 200, "{}", merged.text);
        clock.advance(3 * 60_000);
        worker.tick().await.unwrap();
        worker.tick().await.unwrap();
        let mails: Vec<Value> = caught(&smtp)
            .into_iter()
            .filter(|m| {
                m["subject"]
                    .as_str()
                    .unwrap_or("")
                    .contains("merged a community")
            })
            .collect();
        assert_eq!(
            mails.len(),
            1,
            "the member, once; not who merged: {mails:?}"
        );
        let mail = &mails[0];
        assert!(mail["to"].as_str().unwrap().contains("<emember@"), "{mail}");
        assert!(
            mail["subject"]
                .as_str()
                .unwrap()
                .contains("merged a community you belong to into Community wards"),
            "{mail}"
        );
        assert!(
            mail["text"].as_str().unwrap().contains("/c/wards"),
            "{mail}"
        );
        app.finish().await;
    }
}
