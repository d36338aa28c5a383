//! copse's calendar feeds read by two independent parsers — Python's icalendar with
//! recurring-ical-events, and ical.js from npm — whose expanded occurrences must equal copse's
//! own list, across daylight-saving changes, with a cancelled, a moved and an annotated
//! occurrence, and with text that needs escaping — and, once the community is archived, with
//! every occurrence to come cancelled.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

const FROM: &str = "2027-01-01T00:00:00Z";
const TO: &str = "2028-01-01T00:00:00Z";

fn run(program: &str, args: &[&str], dir: &std::path::Path, input: &[u8]) -> Value {
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("running {program}: {e}"));
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{program} failed");
    serde_json::from_slice(&out.stdout).unwrap()
}

pub(crate) fn missing_tools() -> Option<String> {
    let root = crate::support::workspace_root();
    let python_ok = Command::new(root.join(".venv/bin/python"))
        .args(["-c", "import icalendar, recurring_ical_events"])
        .status()
        .is_ok_and(|s| s.success());
    let ical_js = root.join("tests/e2e/node_modules/ical.js").exists();
    match (python_ok, ical_js) {
        (true, true) => None,
        (false, _) => Some("icalendar/recurring-ical-events missing in .venv (see .ci/run)".into()),
        (_, false) => Some("ical.js missing (npm ci in tests/e2e)".into()),
    }
}

pub(crate) struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl Client {
    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut rb = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = &self.token {
            rb = rb.bearer_auth(t);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.unwrap();
        let status = r.status();
        let text = r.text().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }
    pub(crate) async fn post(&self, path: &str, body: Value) -> Value {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }
    pub(crate) async fn get(&self, path: &str) -> Value {
        self.send(reqwest::Method::GET, path, None).await
    }
}

/// Signs `handle` up and follows the verification link in its outbox e-mail.
pub(crate) async fn person(base: &str, data: &std::path::Path, handle: &str) -> Client {
    let c = Client {
        http: reqwest::Client::new(),
        base: base.into(),
        token: None,
    };
    let email = format!("{handle}@example.org");
    c.post(
        "/api/v1/auth/signup",
        json!({"handle": handle, "email": email, "password": "correct horse battery"}),
    )
    .await;
    crate::support::verify_email(base, &data.join("outbox"), &email).await;
    let t = c
        .post(
            "/api/v1/auth/tokens",
            json!({"email": email, "password": "correct horse battery"}),
        )
        .await;
    Client {
        token: Some(t["token"].as_str().unwrap().into()),
        ..c
    }
}

/// A window of time, as RFC 3339 texts: the occurrences that start in it are compared.
pub(crate) type Window = (&'static str, &'static str);

/// copse's own list: every occurrence not cancelled in the year 2027, as the parsers print them.
async fn copse_occurrences(api: &Client, events: &[(i64, &str)]) -> Vec<Value> {
    occurrences_in(api, events, (FROM, TO)).await
}

/// copse's own list of the occurrences in `window`.
pub(crate) async fn occurrences_in(
    api: &Client,
    events: &[(i64, &str)],
    (from, to): Window,
) -> Vec<Value> {
    let mut out = Vec::new();
    for (id, title) in events {
        let list = api
            .get(&format!(
                "/api/v1/events/{id}/occurrences?from={from}&to={to}"
            ))
            .await;
        for o in list["items"].as_array().unwrap() {
            if o["cancelled"] == true {
                continue;
            }
            out.push(json!({"uid": format!("event-{id}@copse"), "start": o["start"], "end": o["end"], "summary": title}));
        }
    }
    out.sort_by_key(|o| format!("{}{}", o["start"], o["uid"]));
    out
}

fn comparable(parsed: &Value) -> Vec<Value> {
    parsed
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["status"] != "CANCELLED")
        .map(|o| json!({"uid": o["uid"], "start": o["start"], "end": o["end"], "summary": o["summary"]}))
        .collect()
}

/// A running copse with community `slug` (public, open), its coordinator and a member.
pub(crate) async fn site_with_a_community(
    data: &std::path::Path,
    slug: &str,
) -> (crate::support::Copse, Client, Client) {
    let copse = crate::support::start_copse(data);
    let coord = person(&copse.url, data, "coord").await;
    let ada = person(&copse.url, data, "ada").await;
    coord
        .post(
            "/api/v1/communities",
            json!({"name": format!("Calendars {slug}"), "slug": slug, "domain_statement": "Calendars that agree.",
                   "visibility": "public", "listed": true, "join_policy": "open", "join_questions": []}),
        )
        .await;
    ada.post(&format!("/api/v1/communities/{slug}/join"), json!({}))
        .await;
    (copse, coord, ada)
}

/// The three events' titles, with the characters calendars must escape.
const WEEKLY_TITLE: &str = "Office hour; bring questions, and cases";
const MONTHLY_TITLE: &str = "Last-Friday review";
const ONE_OFF_TITLE: &str = "Seminar: \"Hand hygiene\" <audits>";

#[tokio::test]
async fn independent_parsers_expand_the_feeds_to_copses_own_occurrences() {
    if !crate::support::tools_present(missing_tools()) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let (copse, coord, ada) = site_with_a_community(data.path(), "interop").await;
    let (weekly, monthly, one_off) = plan_events(&coord, &ada).await;

    let expected = expected_occurrences(&coord, weekly, monthly, one_off).await;

    let (community, personal) = feeds(&copse, &ada).await;

    parsers_agree(&community, &personal, &expected);

    // Archived, the community calls off every occurrence still to come: copse lists them
    // cancelled, and both parsers read them so from both feeds.
    coord
        .post(
            "/api/v1/communities/interop/archive",
            json!({"reason": "The calendars agreed."}),
        )
        .await;
    let events = [
        (weekly, WEEKLY_TITLE),
        (monthly, MONTHLY_TITLE),
        (one_off, ONE_OFF_TITLE),
    ];
    let none_left = copse_occurrences(&coord, &events).await;
    assert!(none_left.is_empty(), "{none_left:#?}");
    let (community, personal) = feeds(&copse, &ada).await;
    let text = String::from_utf8_lossy(&community);
    assert!(text.matches("STATUS:CANCELLED").count() >= 30, "{text}");
    parsers_agree(&community, &personal, &none_left);
}

/// Three events across daylight-saving changes, with one cancelled, one moved and notes, and
/// the member's answers (going, maybe). Returns their ids.
async fn plan_events(coord: &Client, ada: &Client) -> (i64, i64, i64) {
    let create = |body: Value| coord.post("/api/v1/communities/interop/events", body);
    // Fortnightly in Berlin across the spring change (28 March 2027) and the autumn one (31 October).
    let weekly = create(json!({"title": WEEKLY_TITLE, "time_zone": "Europe/Berlin",
        "start": "2027-03-02T18:00", "end": "2027-03-02T19:00", "rule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=20",
        "place": "Room 4; Building B, floor 2", "description": "Agenda:\n- audits\n- cases"})).await["id"]
        .as_i64()
        .unwrap();
    // Monthly on the last Friday in New York (DST changes on other dates than Europe's).
    let monthly = create(json!({"title": MONTHLY_TITLE, "time_zone": "America/New_York",
        "start": "2027-01-29T09:00", "end": "2027-01-29T10:30", "rule": "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20271231T235959Z",
        "online_url": "https://meet.example.org/review?x=1&y=2"})).await["id"]
        .as_i64()
        .unwrap();
    let one_off = create(json!({"title": ONE_OFF_TITLE, "time_zone": "Asia/Kolkata",
        "start": "2027-06-15T14:30", "end": "2027-06-15T16:00"}))
    .await["id"]
        .as_i64()
        .unwrap();
    let weekly_path = format!("/api/v1/events/{weekly}/occurrence");
    let monthly_path = format!("/api/v1/events/{monthly}/occurrence");
    let change = |path: &'static str, body: Value| {
        let path = if path == "weekly" {
            &weekly_path
        } else {
            &monthly_path
        };
        coord.post(path, body)
    };
    change(
        "weekly",
        json!({"occurrence": "2027-03-16T17:00:00Z", "action": "cancel"}),
    )
    .await;
    change(
        "weekly",
        json!({"occurrence": "2027-03-30T16:00:00Z", "action": "move",
        "start": "2027-03-31T19:30", "end": "2027-03-31T21:00"}),
    )
    .await;
    change("weekly", json!({"occurrence": "2027-04-13T16:00:00Z", "action": "notes", "notes": "Guest: Dr. Rao; room, changed"})).await;
    change(
        "monthly",
        json!({"occurrence": "2027-11-26T14:00:00Z", "action": "cancel"}),
    )
    .await;
    ada.post(
        &format!("/api/v1/events/{weekly}/rsvp"),
        json!({"occurrence": "2027-11-09T17:00:00Z", "status": "going"}),
    )
    .await;
    ada.post(
        &format!("/api/v1/events/{weekly}/rsvp"),
        json!({"occurrence": "2027-03-02T17:00:00Z", "status": "maybe"}),
    )
    .await;
    (weekly, monthly, one_off)
}

/// The occurrences as copse's own API lists them: what every parser must agree with.
async fn expected_occurrences(
    coord: &Client,
    weekly: i64,
    monthly: i64,
    one_off: i64,
) -> Vec<Value> {
    let expected = copse_occurrences(
        coord,
        &[
            (weekly, WEEKLY_TITLE),
            (monthly, MONTHLY_TITLE),
            (one_off, ONE_OFF_TITLE),
        ],
    )
    .await;
    assert_eq!(expected.len(), 19 + 11 + 1, "{expected:#?}");
    // The expected list itself crosses the changes: 18:00 Berlin is 17:00 UTC in winter, 16:00 in summer.
    assert!(
        expected
            .iter()
            .any(|o| o["start"] == "2027-03-02T17:00:00Z")
    );
    assert!(
        expected
            .iter()
            .any(|o| o["start"] == "2027-04-13T16:00:00Z")
    );
    assert!(
        expected
            .iter()
            .any(|o| o["start"] == "2027-11-09T17:00:00Z")
    );
    assert!(
        expected
            .iter()
            .any(|o| o["start"] == "2027-03-31T17:30:00Z"),
        "the moved one"
    );
    expected
}

/// The community feed and the member's personal feed, as a calendar app fetches them.
async fn feeds(copse: &crate::support::Copse, ada: &Client) -> (Vec<u8>, Vec<u8>) {
    let (community, personal) = feeds_of(copse, "interop", ada).await;
    assert!(String::from_utf8_lossy(&personal).contains("PARTSTAT=TENTATIVE"));
    (community, personal)
}

/// The feed of community `slug` and `ada`'s personal feed.
pub(crate) async fn feeds_of(
    copse: &crate::support::Copse,
    slug: &str,
    ada: &Client,
) -> (Vec<u8>, Vec<u8>) {
    let feed_url = format!("{}/c/{slug}/calendar.ics", copse.url);
    let community = reqwest::get(&feed_url)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let personal_url = ada.post("/api/v1/me/calendar-feed", json!({})).await["url"]
        .as_str()
        .unwrap()
        .to_string();
    let personal = reqwest::get(&personal_url)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    (community, personal)
}

/// recurring-ical-events (Python) and ical.js (JavaScript) expand both feeds to exactly the
/// occurrences copse lists.
fn parsers_agree(community: &[u8], personal: &[u8], expected: &[Value]) {
    parsers_agree_in(community, personal, expected, (FROM, TO));
}

/// Both parsers expand both feeds in `window` to exactly `expected`.
pub(crate) fn parsers_agree_in(
    community: &[u8],
    personal: &[u8],
    expected: &[Value],
    (from, to): Window,
) {
    let root = crate::support::workspace_root();
    let python = root.join(".venv/bin/python");
    let script = root.join("tests/interop/ics_occurrences.py");
    for (name, ics) in [("community", community), ("personal", personal)] {
        let py = run(
            python.to_str().unwrap(),
            &[script.to_str().unwrap(), from, to],
            &root,
            ics,
        );
        assert_eq!(
            comparable(&py),
            *expected,
            "recurring-ical-events, {name} feed"
        );
        // The place with a semicolon and a comma, unescaped again.
        if let Some(weekly) = py
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["summary"] == WEEKLY_TITLE && o["status"] != "CANCELLED")
        {
            assert_eq!(weekly["location"], "Room 4; Building B, floor 2");
        }
        let js = run(
            "node",
            &["ical_occurrences.mjs", from, to],
            &root.join("tests/e2e"),
            ics,
        );
        assert_eq!(comparable(&js), *expected, "ical.js, {name} feed");
    }
}
