// Browser journeys of the rhythm: plan a monthly "2nd Tuesday" series, answer past its capacity
// and see the waitlist move up, check people in, write a recap, and get the personal calendar
// address.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, person as signUp, expectAccessible } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
const person = (handle) => signUp(browser, handle);

// `YYYY-MM-DDTHH:MM` in UTC, as the form's datetime-local field takes it.
const local = (date) => date.toISOString().slice(0, 16);

// The next month's second Tuesday at 18:00.
function nextSecondTuesday() {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 18, 0));
  while (d.getUTCDay() !== 2) d.setUTCDate(d.getUTCDate() + 1);
  d.setUTCDate(d.getUTCDate() + 7);
  return d;
}

async function planEvent(page, slug, { title, start, end, repeat = '', capacity = '' }) {
  await page.goto(`${BASE}/c/${slug}/events/new`);
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Starts').fill(local(start));
  await page.getByLabel('Ends').fill(local(end));
  await page.getByLabel(/^Time zone/).selectOption('UTC');
  await page.getByLabel('Repeats').selectOption(repeat);
  if (capacity) await page.getByLabel(/^Places/).fill(capacity);
  await page.getByRole('button', { name: 'Create event' }).click();
  await page.waitForURL(/\/e\/\d+\?notice=event-created/);
  return page.url().replace(/\?.*$/, '');
}

test('a 2nd-Tuesday series: answers past capacity, the waitlist moves up, check-in, recap, calendar', async () => {
  const coord = await person('rcoord');
  await coord.goto(`${BASE}/communities/new`);
  await coord.getByLabel('Name', { exact: true }).fill('Sterile Services Practice');
  await coord.getByLabel('Address').fill('sterile');
  await coord.getByLabel('Domain statement').fill('Sterile services teams learning together.');
  await coord.getByRole('button', { name: 'Create community' }).click();
  await coord.waitForURL(/notice=created/);

  const first = nextSecondTuesday();
  const series = await planEvent(coord, 'sterile', {
    title: 'Monthly practice meeting', start: first, end: new Date(first.getTime() + 90 * 60000),
    repeat: 'monthly-nth', capacity: '2',
  });
  assert.match(await coord.locator('article').innerText(), /monthly on the 2nd Tuesday/);
  await expectAccessible(coord, 'the event page');

  // Three members answer "going" to the first meeting; the third joins the waitlist.
  const members = [];
  for (const handle of ['rana', 'ravi', 'rosa']) {
    const m = await person(handle);
    await m.goto(`${BASE}/c/sterile`);
    await m.getByRole('button', { name: 'Join' }).click();
    await m.waitForURL(/notice=joined/);
    await m.goto(series);
    await m.getByRole('button', { name: /^Going on/ }).first().click();
    await m.waitForURL(/notice=rsvp-/);
    members.push(m);
  }
  const [rana, , rosa] = members;
  assert.match(await rosa.getByRole('status').innerText(), /waitlist/);
  assert.match(await rosa.locator('.card').first().innerText(), /You: on the waitlist/);

  // Rana cannot come: Rosa gets her place.
  await rana.goto(series);
  await rana.getByRole('button', { name: /^Not going on/ }).first().click();
  await rana.waitForURL(/notice=rsvp-saved/);
  await rosa.goto(series);
  assert.match(await rosa.locator('.card').first().innerText(), /You: going/);
  await coord.goto(series);
  await coord.getByRole('link', { name: /\d{4}, 18:00/ }).first().click();
  assert.deepEqual(await coord.locator('#going-list a').allInnerTexts(), ['RAVI', 'ROSA']);
  await expectAccessible(coord, 'the occurrence page');

  // A drop-in clinic starting in half an hour: Ravi says he is going, and is checked in on arrival
  // with a walk-in.
  const soon = new Date(Date.now() + 30 * 60000);
  const clinic = await planEvent(coord, 'sterile', {
    title: 'Drop-in clinic', start: soon, end: new Date(soon.getTime() + 60 * 60000),
  });
  const ravi = members[1];
  await ravi.goto(clinic);
  await ravi.getByRole('button', { name: /^Going on/ }).click();
  await ravi.waitForURL(/notice=rsvp-going/);
  await coord.goto(clinic);
  await coord.getByRole('link', { name: /, \d\d:\d\d UTC$/ }).first().click();
  await coord.getByRole('button', { name: 'Check in RAVI' }).click();
  await coord.waitForURL(/notice=checked-in/);
  await coord.getByLabel("Walk-in's name").fill('Gil from Theatres');
  await coord.getByRole('button', { name: 'Check in walk-in' }).click();
  await coord.waitForURL(/notice=checked-in/);
  assert.deepEqual(await coord.locator('#attendance-list li').allInnerTexts().then((l) => l.map((t) => t.replace(/\s*Undo$/, ''))),
    ['RAVI', 'Gil from Theatres (walk-in)']);

  // A case review that started a few minutes ago gets its recap.
  const earlier = new Date(Date.now() - 10 * 60000);
  const review = await planEvent(coord, 'sterile', {
    title: 'Case review', start: earlier, end: new Date(earlier.getTime() + 60 * 60000),
  });
  await coord.goto(review);
  await coord.getByRole('link', { name: /, \d\d:\d\d UTC$/ }).first().click();
  await coord.getByLabel(/^Recap/).fill('We traced a **wet pack** to the drying cycle. Fix: longer cool-down.');
  await coord.getByRole('button', { name: 'Save recap' }).click();
  await coord.waitForURL(/notice=recap-saved/);
  assert.match(await coord.locator('section[aria-labelledby="recap-h"]').innerText(), /wet pack/);
  await coord.goto(`${BASE}/c/sterile/rhythm`);
  assert.match(await coord.locator('main').innerText(), /Monthly practice meeting — monthly on the 2nd Tuesday/);
  await expectAccessible(coord, 'the rhythm page');

  // Rosa subscribes her calendar app to her personal feed.
  await rosa.goto(`${BASE}/settings/calendar`);
  await rosa.getByRole('button', { name: 'Make my calendar address' }).click();
  const url = await rosa.locator('#calendar-url').innerText();
  assert.match(url, /\/calendar\/cal_[0-9a-f]{64}\.ics$/);
  const feed = await rosa.request.get(url);
  assert.equal(feed.status(), 200);
  const ics = await feed.text();
  assert.match(ics, /BEGIN:VCALENDAR/);
  assert.match(ics, /SUMMARY:Monthly practice meeting/);
  assert.match(ics, /PARTSTAT=ACCEPTED/);
  await expectAccessible(rosa, 'the calendar settings');
});
