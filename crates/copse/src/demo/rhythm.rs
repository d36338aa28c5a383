//! The demo communities' rhythm: a monthly meeting series, a weekly office hour, seminars and
//! meetups — with past occurrences that were held (attendance and recaps), one cancelled, one
//! moved, and answers for what is coming, including a full seminar with a waitlist.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, Weekday};
use copse_core::clock::DAY;
use copse_core::clock::{FixedClock, Millis};
use copse_core::domain::AccountId;
use copse_core::domain::Attendee;
use copse_core::domain::RsvpStatus;
use copse_core::domain::{CommunityId, Event, EventInput, NewEvent};
use copse_store::{OccurrenceChange, Store};

/// One demo community's rhythm.
pub struct Plan<'a> {
    pub community: CommunityId,
    pub time_zone: &'a str,
    /// Handles: the first organises, the second co-hosts.
    pub hosts: [&'a str; 2],
    pub members: &'a [&'a str],
    /// The monthly series: title, weekday, which one in the month, local hour and minute.
    pub monthly: (&'a str, Weekday, u8, u32, u32),
    pub monthly_about: &'a str,
    /// The weekly series: title, weekday, hour, minute.
    pub weekly: (&'a str, Weekday, u32, u32),
    pub weekly_about: &'a str,
    /// A seminar to come (full, with a waitlist) and a meetup that took place.
    pub seminar: (&'a str, &'a str),
    pub meetup: (&'a str, &'a str),
    pub recaps: &'a [&'a str],
}

fn local(date: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    date.and_hms_opt(hour, minute, 0).expect("a valid time")
}

fn text(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

async fn create(
    store: &Store,
    plan: &Plan<'_>,
    id: &impl Fn(&str) -> AccountId,
    input: EventInput,
) -> anyhow::Result<Event> {
    let new = NewEvent::parse(&input)?;
    let event = store
        .create_event(
            plan.community,
            id(plan.hosts[0]),
            &new,
            &[id(plan.hosts[1])],
        )
        .await?;
    Ok(store.event(event).await?.expect("just made"))
}

/// Seeds one community's rhythm around `today` (the real date). Returns how many events.
pub async fn seed(
    store: &Store,
    clock: &FixedClock,
    today: NaiveDate,
    plan: &Plan<'_>,
    id: &impl Fn(&str) -> AccountId,
) -> anyhow::Result<usize> {
    let now = clock_now(clock);
    let monthly = monthly_series(store, plan, id, today).await?;
    let weekly = weekly_series(store, plan, id, today).await?;
    let seminar = seminar(store, plan, id, today).await?;
    let meetup = meetup(store, plan, id, today).await?;
    hold_monthly(store, plan, id, &monthly, now).await?;
    hold_weekly_and_meetup(store, plan, id, &weekly, &meetup, now, today).await?;
    answer_coming(store, clock, plan, id, [&monthly, &weekly, &seminar], now).await?;
    Ok(4)
}

/// The monthly meeting series, started seven months ago.
async fn monthly_series(
    store: &Store,
    plan: &Plan<'_>,
    id: &impl Fn(&str) -> AccountId,
    today: NaiveDate,
) -> anyhow::Result<Event> {
    let (title, weekday, nth, hour, minute) = plan.monthly;
    let since = today
        .checked_sub_months(Months::new(7))
        .expect("a valid date");
    let first = NaiveDate::from_weekday_of_month_opt(since.year(), since.month(), weekday, nth)
        .expect("every month has a 1st to 4th weekday");
    let day_code =
        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][weekday.num_days_from_monday() as usize];
    create(
        store,
        plan,
        id,
        EventInput {
            title: title.into(),
            description: plan.monthly_about.into(),
            time_zone: plan.time_zone.into(),
            start: text(local(first, hour, minute)),
            end: text(local(first, hour, minute) + chrono::Duration::minutes(90)),
            rule: Some(format!("FREQ=MONTHLY;BYDAY={nth}{day_code}")),
            online_url: Some("https://meet.example.org/practice-meeting".into()),
            ..EventInput::default()
        },
    )
    .await
}

/// The weekly office hour, started ten weeks ago.
async fn weekly_series(
    store: &Store,
    plan: &Plan<'_>,
    id: &impl Fn(&str) -> AccountId,
    today: NaiveDate,
) -> anyhow::Result<Event> {
    let (wtitle, wday, whour, wminute) = plan.weekly;
    let mut wfirst = today - chrono::Duration::days(70);
    while wfirst.weekday() != wday {
        wfirst = wfirst.succ_opt().expect("a valid date");
    }
    let wcode = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][wday.num_days_from_monday() as usize];
    create(
        store,
        plan,
        id,
        EventInput {
            title: wtitle.into(),
            description: plan.weekly_about.into(),
            time_zone: plan.time_zone.into(),
            start: text(local(wfirst, whour, wminute)),
            end: text(local(wfirst, whour, wminute) + chrono::Duration::minutes(30)),
            rule: Some(format!("FREQ=WEEKLY;BYDAY={wcode}")),
            online_url: Some("https://meet.example.org/office-hour".into()),
            ..EventInput::default()
        },
    )
    .await
}

/// A seminar in three weeks, in a room for eight.
async fn seminar(
    store: &Store,
    plan: &Plan<'_>,
    id: &impl Fn(&str) -> AccountId,
    today: NaiveDate,
) -> anyhow::Result<Event> {
    let seminar_day = today + chrono::Duration::days(19);
    create(
        store,
        plan,
        id,
        EventInput {
            title: plan.seminar.0.into(),
            description: plan.seminar.1.into(),
            time_zone: plan.time_zone.into(),
            start: text(local(seminar_day, 15, 0)),
            end: text(local(seminar_day, 16, 30)),
            place: Some("Lecture room 2, Education Centre; ground floor".into()),
            online_url: Some("https://meet.example.org/seminar".into()),
            capacity: Some(8),
            ..EventInput::default()
        },
    )
    .await
}

/// A meetup six weeks ago.
async fn meetup(
    store: &Store,
    plan: &Plan<'_>,
    id: &impl Fn(&str) -> AccountId,
    today: NaiveDate,
) -> anyhow::Result<Event> {
    let meetup_day = today - chrono::Duration::days(45);
    create(
        store,
        plan,
        id,
        EventInput {
            title: plan.meetup.0.into(),
            description: plan.meetup.1.into(),
            time_zone: plan.time_zone.into(),
            start: text(local(meetup_day, 18, 0)),
            end: text(local(meetup_day, 20, 30)),
            place: Some("The Old Library café, upstairs".into()),
            ..EventInput::default()
        },
    )
    .await
}

async fn hold_monthly(
    store: &Store,
    plan: &Plan<'_>,
    id: &impl Fn(&str) -> AccountId,
    monthly: &Event,
    now: Millis,
) -> anyhow::Result<()> {
    let members = plan.members;
    let host = id(plan.hosts[0]);
    // The past: the monthly meeting was held every month but one (cancelled) and one was moved.
    let past_monthly = monthly.scheduled_starts(monthly.first_start, now, 50)?;
    for (i, key) in past_monthly.iter().enumerate() {
        if i == 2 {
            store
                .change_occurrence(monthly.id, *key, &OccurrenceChange::Cancel(true))
                .await?;
            store
                .change_occurrence(
                    monthly.id,
                    *key,
                    &OccurrenceChange::Notes(Some(
                        "Cancelled: most of us were covering an outbreak. Back next month.".into(),
                    )),
                )
                .await?;
            continue;
        }
        // A few regulars come every time; one or two others now and then.
        let regulars = members.len().min(3);
        let came = regulars + i % 3;
        for who in members
            .iter()
            .take(regulars)
            .chain(members.iter().skip(regulars + i % 5).take(came - regulars))
        {
            store
                .check_in(monthly, *key, &Attendee::Member(id(who)), host)
                .await?;
        }
        if i % 3 == 1 {
            store
                .check_in(
                    monthly,
                    *key,
                    &Attendee::WalkIn("A visiting student".into()),
                    host,
                )
                .await?;
        }
        let recap = plan.recaps[i % plan.recaps.len()];
        store
            .change_occurrence(
                monthly.id,
                *key,
                &OccurrenceChange::Recap {
                    text: Some(recap.into()),
                    thread: None,
                    by: host,
                },
            )
            .await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn hold_weekly_and_meetup(
    store: &Store,
    plan: &Plan<'_>,
    id: &impl Fn(&str) -> AccountId,
    weekly: &Event,
    meetup: &Event,
    now: Millis,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let members = plan.members;
    let host = id(plan.hosts[0]);
    // The weekly office hour: most recorded, a few not.
    for (i, key) in weekly
        .scheduled_starts(weekly.first_start, now, 50)?
        .iter()
        .enumerate()
    {
        if i % 4 == 3 {
            continue;
        }
        for who in members.iter().skip(i % 2).take(1 + i % 2) {
            store
                .check_in(weekly, *key, &Attendee::Member(id(who)), host)
                .await?;
        }
    }
    for who in members.iter().take(5) {
        store
            .check_in(meetup, meetup.first_start, &Attendee::Member(id(who)), host)
            .await?;
    }
    store
        .change_occurrence(
            meetup.id,
            meetup.first_start,
            &OccurrenceChange::Recap {
                text: Some(format!(
                    "Five of us came. Thanks to everyone who brought a case: notes and photos of the whiteboard \
                     are in the library. Next meetup: {}.",
                    (today + chrono::Duration::days(60)).format("%B")
                )),
                thread: None,
                by: host,
            },
        )
        .await?;

    Ok(())
}

async fn answer_coming(
    store: &Store,
    clock: &FixedClock,
    plan: &Plan<'_>,
    id: &impl Fn(&str) -> AccountId,
    [monthly, weekly, seminar]: [&Event; 3],
    now: Millis,
) -> anyhow::Result<()> {
    let members = plan.members;
    // What is coming: answers for the next two monthly meetings and office hours.
    for key in monthly.scheduled_starts(now, now + 70 * DAY, 2)? {
        for (j, who) in members.iter().enumerate().take(5) {
            let status = match j % 5 {
                4 => RsvpStatus::Maybe,
                _ => RsvpStatus::Going,
            };
            store.rsvp(monthly, key, id(who), status).await?;
        }
    }
    for key in weekly.scheduled_starts(now, now + 15 * DAY, 2)? {
        for who in members.iter().take(2) {
            store.rsvp(weekly, key, id(who), RsvpStatus::Going).await?;
        }
    }
    // The seminar is full: eight going, and two waiting in line.
    for who in members.iter().take(10) {
        clock.advance(60_000);
        store
            .rsvp(seminar, seminar.first_start, id(who), RsvpStatus::Going)
            .await?;
    }
    Ok(())
}

fn clock_now(clock: &FixedClock) -> Millis {
    use copse_core::clock::Clock;
    clock.now()
}
