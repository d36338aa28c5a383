// Browser journeys of private life: create a circle, invite, post in it; start a conversation;
// request a connection, accept it, pick a meeting time and find it in the personal calendar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, person as signUp, expectAccessible } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
const person = (handle) => signUp(browser, handle);

test('a circle, a conversation, and a connection that becomes a meeting in the calendar', async () => {
  const ana = await person('pana');
  await ana.goto(`${BASE}/communities/new`);
  await ana.getByLabel('Name', { exact: true }).fill('Tissue Viability Practice');
  await ana.getByLabel('Address').fill('tissue');
  await ana.getByLabel('Domain statement').fill('Tissue viability nurses learning together.');
  await ana.getByRole('button', { name: 'Create community' }).click();
  await ana.waitForURL(/notice=created/);
  const [ben, cat] = [await person('pben'), await person('pcat')];
  for (const p of [ben, cat]) {
    await p.goto(`${BASE}/c/tissue`);
    await p.getByRole('button', { name: 'Join' }).click();
    await p.waitForURL(/notice=joined/);
  }

  // Ana starts a circle and invites Ben; Ben accepts and posts in it.
  await ana.goto(`${BASE}/c/tissue/circles`);
  await ana.getByLabel('Name', { exact: true }).fill('Dressing study group');
  await ana.getByLabel('Purpose').fill('We compare dressings on pressure ulcers, week by week.');
  await ana.getByRole('button', { name: 'Start circle' }).click();
  await ana.waitForURL(/\/circles\/\d+\?notice=circle-created/);
  const circle = ana.url().replace(/\?.*$/, '');
  await ana.getByLabel("Member's handle").fill('pben');
  await ana.getByRole('button', { name: 'Invite' }).click();
  await ana.waitForURL(/notice=circle-invited/);
  await expectAccessible(ana, 'the circle page');
  await ben.goto(circle);
  await ben.getByRole('button', { name: 'Accept invitation' }).click();
  await ben.waitForURL(/notice=circle-joined/);
  await ben.getByLabel('Title', { exact: true }).fill('Foam or hydrocolloid on heels?');
  await ben.getByLabel(/^Text/).fill('What do you use on **grade 2** heel ulcers?');
  await ben.getByRole('button', { name: 'Post in the circle' }).click();
  await ben.waitForURL(/\/t\/\d+/);
  const circleThread = ben.url().replace(/\?.*$/, '');
  // Cat, not in the circle, sees its name and can ask to join, but not what is inside.
  await cat.goto(circle);
  assert.match(await cat.locator('main').innerText(), /Dressing study group/);
  assert.doesNotMatch(await cat.locator('main').innerText(), /Foam or hydrocolloid/);
  assert.ok(await cat.getByRole('button', { name: 'Ask to join' }).isVisible());
  const hidden = await cat.goto(circleThread);
  assert.equal(hidden.status(), 404);

  // Ana writes to Ben; Ben sees it in the header and answers.
  await ana.goto(`${BASE}/conversations`);
  await ana.getByLabel(/^With/).fill('pben');
  await ana.getByLabel('Subject').fill('Heel ulcer photos');
  await ana.getByLabel(/^Message/).fill('Could you bring the photos to the circle?');
  await ana.getByRole('button', { name: 'Send' }).click();
  await ana.waitForURL(/\/conversations\/\d+/);
  await ben.goto(`${BASE}/`);
  assert.match(await ben.getByRole('link', { name: /Conversations/ }).innerText(), /1/);
  await ben.getByRole('link', { name: /Conversations/ }).click();
  await ben.getByRole('link', { name: 'Heel ulcer photos' }).click();
  assert.match(await ben.locator('#messages').innerText(), /bring the photos/);
  await ben.getByLabel(/^Reply/).fill('Yes, I will.');
  await ben.getByRole('button', { name: 'Send' }).click();
  await ben.waitForURL(/notice=message-sent/);
  await expectAccessible(ben, 'a conversation');

  // Cat asks Ana for a conversation; Ana accepts; Cat proposes a time; Ana picks it.
  await cat.goto(`${BASE}/connections`);
  await cat.getByLabel(/^Whom/).fill('pana');
  await cat.getByLabel('About').fill('negative pressure therapy');
  await cat.getByLabel('Message').fill('Could you show me how your ward sets up NPWT?');
  await cat.getByRole('button', { name: 'Send request' }).click();
  await cat.waitForURL(/notice=connection-sent/);
  await ana.goto(`${BASE}/connections`);
  await ana.getByRole('button', { name: "Accept PCAT's request" }).click();
  await ana.waitForURL(/notice=connection-answered/);
  const when = new Date(Date.now() + 3 * 24 * 3600 * 1000);
  const local = (d) => d.toISOString().slice(0, 16);
  await cat.goto(`${BASE}/connections`);
  await cat.getByLabel('Propose: starts').fill(local(when));
  await cat.getByLabel('Ends').fill(local(new Date(when.getTime() + 30 * 60000)));
  await cat.getByRole('button', { name: 'Propose this time' }).click();
  await cat.waitForURL(/notice=time-proposed/);
  await ana.goto(`${BASE}/connections`);
  await ana.getByRole('button', { name: /^Pick / }).click();
  await ana.waitForURL(/notice=time-picked/);
  await expectAccessible(ana, 'the connections page');

  // The meeting is in Ana's personal calendar.
  await ana.goto(`${BASE}/settings/calendar`);
  await ana.getByRole('button', { name: 'Make my calendar address' }).click();
  const url = await ana.locator('#calendar-url').innerText();
  const ics = await (await ana.request.get(url)).text();
  assert.match(ics, /SUMMARY:Conversation: negative pressure therapy/);
  // …and not in Ben's.
  await ben.goto(`${BASE}/settings/calendar`);
  await ben.getByRole('button', { name: 'Make my calendar address' }).click();
  const bens = await (await ben.request.get(await ben.locator('#calendar-url').innerText())).text();
  assert.doesNotMatch(bens, /negative pressure therapy/);
});
