//! The calendar at its edges, read by the same independent parsers as `calendar_interop`
//! (icalendar + recurring-ical-events, and ical.js): an occurrence that spans London's
//! fall-back hour, one in New York's spring-forward gap (cancelled in one series, moved in
//! another), a Berlin series read fourteen years from now — past the changes a VTIMEZONE
//! lists one by one —, SEQUENCE after a cancellation, ORGANIZER beside ATTENDEE, and no line
//! longer than 75 octets.

use serde_json::{Value, json};

use crate::calendar_interop::{
    Client, feeds_of, missing_tools, occurrences_in, parsers_agree_in, site_with_a_community,
};

const YEAR_2027: (&str, &str) = ("2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z");
const SUMMER_2040: (&str, &str) = ("2040-06-01T00:00:00Z", "2040-07-01T00:00:00Z");

const NIGHT: &str = "Night audit";
const EARLY_CALL: &str = "Early call";
const EARLY_REVIEW: &str = "Early review";
const LONG_SERIES: &str = "Long series";

#[tokio::test]
async fn parsers_agree_at_daylight_saving_edges_and_far_ahead() {
    if !crate::support::tools_present(missing_tools()) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let (copse, coord, ada) = site_with_a_community(data.path(), "edges").await;
    let [night, call, review, long] = plan(&coord, &ada).await;

    let in_2027 = occurrences_in(
        &coord,
        &[
            (night, NIGHT),
            (call, EARLY_CALL),
            (review, EARLY_REVIEW),
            (long, LONG_SERIES),
        ],
        YEAR_2027,
    )
    .await;
    copse_lists_the_edges(&in_2027);
    let in_2040 = occurrences_in(&coord, &[(long, LONG_SERIES)], SUMMER_2040).await;
    assert_eq!(in_2040.len(), 4, "{in_2040:#?}");
    assert_eq!(
        in_2040[0]["start"], "2040-06-04T16:00:00Z",
        "18:00 summer time"
    );

    let (community, personal) = feeds_of(&copse, "edges", &ada).await;
    parsers_agree_in(&community, &personal, &in_2027, YEAR_2027);
    parsers_agree_in(&community, &personal, &in_2040, SUMMER_2040);
    the_text_follows_the_rules(&community, &personal);
}

/// The four series; returns their ids.
async fn plan(coord: &Client, ada: &Client) -> [i64; 4] {
    let create = |title: &str, zone: &str, start: &str, end: &str, rule: &str| {
        coord.post(
            "/api/v1/communities/edges/events",
            json!({"title": title, "time_zone": zone, "start": start, "end": end, "rule": rule}),
        )
    };
    // London falls back on 31 October 2027: 01:30 happens twice that night.
    let night = create(
        NIGHT,
        "Europe/London",
        "2027-10-30T01:30",
        "2027-10-30T02:00",
        "FREQ=DAILY;COUNT=3",
    )
    .await;
    // New York springs forward on 14 March 2027: 02:30 does not happen that day.
    let call = create(
        EARLY_CALL,
        "America/New_York",
        "2027-03-07T02:30",
        "2027-03-07T03:00",
        "FREQ=WEEKLY;BYDAY=SU;COUNT=3",
    )
    .await;
    let review = create(
        EARLY_REVIEW,
        "America/New_York",
        "2027-03-07T02:30",
        "2027-03-07T03:00",
        "FREQ=WEEKLY;BYDAY=SU;COUNT=3",
    )
    .await;
    let long = create(
        LONG_SERIES,
        "Europe/Berlin",
        "2027-01-04T18:00",
        "2027-01-04T19:00",
        "FREQ=WEEKLY;BYDAY=MO",
    )
    .await;
    let [night, call, review, long] =
        [night, call, review, long].map(|e| e["id"].as_i64().unwrap());
    // The gap's occurrence is held at 03:30 EDT, 07:30 UTC: cancelled in one, moved in the other.
    coord
        .post(
            &format!("/api/v1/events/{call}/occurrence"),
            json!({"occurrence": "2027-03-14T07:30:00Z", "action": "cancel"}),
        )
        .await;
    coord
        .post(
            &format!("/api/v1/events/{review}/occurrence"),
            json!({"occurrence": "2027-03-14T07:30:00Z", "action": "move",
                   "start": "2027-03-14T10:00", "end": "2027-03-14T10:30"}),
        )
        .await;
    ada.post(
        &format!("/api/v1/events/{night}/rsvp"),
        json!({"occurrence": "2027-10-31T00:30:00Z", "status": "going"}),
    )
    .await;
    [night, call, review, long]
}

/// copse's own list: the fall-back occurrence lasts its 30 minutes, the gap's is at 07:30 UTC
/// in one series, gone from the other, and moved to 14:00 UTC in the third.
fn copse_lists_the_edges(listed: &[Value]) {
    let of = |title: &str| -> Vec<(String, String)> {
        listed
            .iter()
            .filter(|o| o["summary"] == title)
            .map(|o| {
                (
                    o["start"].as_str().unwrap().into(),
                    o["end"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    let pair = |s: &str, e: &str| (s.to_string(), e.to_string());
    assert_eq!(
        of(NIGHT)[1],
        pair("2027-10-31T00:30:00Z", "2027-10-31T01:00:00Z"),
        "30 minutes, not 90"
    );
    assert_eq!(
        of(EARLY_CALL),
        vec![
            pair("2027-03-07T07:30:00Z", "2027-03-07T08:00:00Z"),
            pair("2027-03-21T06:30:00Z", "2027-03-21T07:00:00Z"),
        ]
    );
    assert!(of(EARLY_REVIEW).contains(&pair("2027-03-14T14:00:00Z", "2027-03-14T14:30:00Z")));
    assert_eq!(of(EARLY_REVIEW).len(), 3);
}

/// The feeds' text: every line at most 75 octets; the gap's occurrence named by the rule's
/// 02:30; the cancelled series' SEQUENCE above 0; ORGANIZER wherever ATTENDEE is.
fn the_text_follows_the_rules(community: &[u8], personal: &[u8]) {
    for feed in [community, personal] {
        let text = std::str::from_utf8(feed).unwrap();
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        }
    }
    let unfolded = String::from_utf8_lossy(community).replace("\r\n ", "");
    assert!(
        unfolded.contains("EXDATE;TZID=America/New_York:20270314T023000"),
        "{unfolded}"
    );
    assert!(unfolded.contains("RECURRENCE-ID;TZID=America/New_York:20270314T023000"));
    let call = unfolded
        .split("BEGIN:VEVENT")
        .find(|v| v.contains(&format!("SUMMARY:{EARLY_CALL}")))
        .unwrap();
    assert!(
        !call.contains("SEQUENCE:0\r\n"),
        "the cancellation changed the series: {call}"
    );
    assert!(
        unfolded.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"),
        "Berlin by rule"
    );
    let mine = String::from_utf8_lossy(personal).replace("\r\n ", "");
    for vevent in mine
        .split("BEGIN:VEVENT")
        .filter(|v| v.contains("ATTENDEE"))
    {
        assert!(vevent.contains("ORGANIZER"), "{vevent}");
    }
    assert!(mine.contains("PARTSTAT=ACCEPTED"));
}
