// Expands an iCalendar file (stdin) with ical.js and prints the occurrences starting in
// [argv[2], argv[3]) as JSON, for copse's interoperability test.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const text = readFileSync(0, 'utf8');
const calendar = new ICAL.Component(ICAL.parse(text));
for (const zone of calendar.getAllSubcomponents('vtimezone')) {
  ICAL.TimezoneService.register(zone);
}
const from = new Date(process.argv[2]);
const to = new Date(process.argv[3]);
const iso = (t) => t.toJSDate().toISOString().replace('.000Z', 'Z');

const masters = new Map();
const exceptions = [];
for (const component of calendar.getAllSubcomponents('vevent')) {
  const event = new ICAL.Event(component);
  if (event.isRecurrenceException()) exceptions.push(event);
  else masters.set(event.uid, event);
}
for (const exception of exceptions) masters.get(exception.uid)?.relateException(exception);

const out = [];
const push = (item, start, end) => {
  const s = start.toJSDate();
  if (s < from || s >= to) return;
  out.push({
    uid: item.uid,
    start: iso(start),
    end: iso(end),
    summary: item.summary,
    location: item.location ?? '',
    status: item.component.getFirstPropertyValue('status') ?? '',
  });
};
for (const event of masters.values()) {
  if (!event.isRecurring()) {
    push(event, event.startDate, event.endDate);
    continue;
  }
  const iterator = event.iterator();
  // Moves in copse stay within days of the scheduled time, so a week past `to` is enough.
  const stop = new Date(to.getTime() + 7 * 24 * 3600 * 1000);
  for (let next = iterator.next(); next && next.toJSDate() < stop; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    push(details.item, details.startDate, details.endDate);
  }
}
out.sort((a, b) => (a.start + a.uid).localeCompare(b.start + b.uid));
console.log(JSON.stringify(out));
