"""Expands an iCalendar file (stdin) with Python's icalendar + recurring-ical-events and prints
the occurrences in [argv[1], argv[2]) as JSON, for copse's interoperability test."""

import datetime
import json
import sys

import icalendar
import recurring_ical_events


def utc(value):
    return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


calendar = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
start = datetime.datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00"))
end = datetime.datetime.fromisoformat(sys.argv[2].replace("Z", "+00:00"))
out = []
for event in recurring_ical_events.of(calendar).between(start, end):
    out.append({
        "uid": str(event["UID"]),
        "start": utc(event.decoded("DTSTART")),
        "end": utc(event.decoded("DTEND")),
        "summary": str(event["SUMMARY"]),
        "location": str(event.get("LOCATION", "")),
        "status": str(event.get("STATUS", "")),
    })
out.sort(key=lambda o: (o["start"], o["uid"]))
print(json.dumps(out))
