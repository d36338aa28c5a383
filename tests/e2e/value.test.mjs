// Browser journey of value: from a thread that helped, tell a story with two cycles and a
// measured effect; a coordinator opens the value report for the quarter and prints it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, person as signUp, expectAccessible } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
const person = (handle) => signUp(browser, handle);

test('a thread helped: tell a value story, and find it in the printed value report', async () => {
  const coord = await person('vcoord');
  await coord.goto(`${BASE}/communities/new`);
  await coord.getByLabel('Name', { exact: true }).fill('Falls Prevention Practice');
  await coord.getByLabel('Address').fill('falls');
  await coord.getByLabel('Domain statement').fill('Nurses preventing falls on wards.');
  await coord.getByRole('button', { name: 'Create community' }).click();
  await coord.waitForURL(/notice=created/);
  await coord.goto(`${BASE}/c/falls/threads/new`);
  await coord.getByLabel('Title').fill('Bed alarms at night');
  await coord.getByLabel('Text').fill('We switched to sensor mats on the night shift.');
  await coord.getByRole('button', { name: 'Post' }).click();
  await coord.waitForURL(/\/t\/\d+$/);
  const thread = coord.url();

  const val = await person('vval');
  await val.goto(`${BASE}/c/falls`);
  await val.getByRole('button', { name: 'Join' }).click();
  await val.waitForURL(/notice=joined/);
  await val.goto(thread);
  await val.getByRole('link', { name: 'This helped me: tell a value story' }).click();
  await val.getByLabel('What happened in the community').fill('The thread on bed alarms at night.');
  await val.getByLabel('What you took from it').fill('Sensor mats instead of bed alarms.');
  await val.getByLabel('What you did with it').fill('We tried them on ward 7 for a month.');
  await val.getByLabel('What difference it made').fill('Fewer falls at night.');
  await val.getByLabel('applied').check();
  await val.getByLabel('realized').check();
  await val.getByLabel(/^Measured effect/).fill('3');
  await val.getByLabel(/^Unit/).fill('incidents');
  await val.getByLabel(/^Period/).fill('per month');
  await val.getByRole('button', { name: 'Tell the story' }).click();
  await val.waitForURL(/\/stories\/\d+\?notice=story-told/);
  const story = val.url().replace(/\?.*$/, '');
  assert.match(await val.locator('#story').innerText(), /applied, realized/);
  assert.match(await val.locator('#credits').innerText(), /Bed alarms at night/);
  await expectAccessible(val, 'a story page');
  await val.goto(`${BASE}/c/falls/stories`);
  assert.match(await val.locator('#stories').innerText(), /Sensor mats instead of bed alarms/);
  await expectAccessible(val, 'the stories page');
  await val.goto(thread);
  assert.match(await val.locator('#value-line').innerText(), /Helped 1 person/);

  // The coordinator, whose thread it credits, is told; comments; sees the credit on their profile.
  await coord.goto(`${BASE}/notifications`);
  await coord.getByRole('link', { name: /Sensor mats instead of bed alarms/ }).click();
  await coord.waitForURL(story);
  await coord.getByLabel('Your comment').fill('Glad it helped — which mats did you use?');
  await coord.getByRole('button', { name: 'Comment' }).click();
  await coord.waitForURL(/notice=comment-added/);
  assert.match(await coord.locator('#comments').innerText(), /which mats did you use/);
  await coord.goto(`${BASE}/u/vcoord`);
  assert.match(await coord.locator('#credits').innerText(), /Sensor mats instead of bed alarms/);

  // A check-in: the coordinator opens a round; the member answers and turns it into a story.
  await coord.goto(`${BASE}/c/falls/checkins`);
  await coord.getByRole('button', { name: 'Open a round now' }).click();
  await coord.waitForURL(/\/checkins\/\d+\?notice=checkin-opened/);
  await val.goto(`${BASE}/notifications`);
  await val.getByRole('link', { name: /What did you learn here this month/ }).click();
  await val.getByLabel('What did you learn here?').fill('How other wards run their night checks.');
  await val.getByRole('textbox', { name: /Did you apply anything\? What/ }).fill('We moved our night check to 2 am.');
  await val.getByRole('button', { name: 'Answer' }).click();
  await val.waitForURL(/notice=answer-saved/);
  await expectAccessible(val, 'a check-in');
  await val.getByRole('button', { name: 'Turn my answer into a value story' }).click();
  await val.waitForURL(/\/stories\/\d+\?notice=story-told/);
  assert.match(await val.locator('#story').innerText(), /potential, applied/);
  assert.match(await val.locator('#story').innerText(), /We moved our night check to 2 am/);

  // The coordinator opens the report for this quarter and prints it.
  const now = new Date();
  const quarter = new Date(Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3, 1));
  await coord.goto(`${BASE}/c/falls/value-report`);
  await coord.getByLabel('From', { exact: true }).fill(quarter.toISOString().slice(0, 10));
  await coord.getByLabel('To', { exact: true }).fill(now.toISOString().slice(0, 10));
  await coord.getByRole('button', { name: 'Show' }).click();
  await coord.waitForURL(/value-report\?from=/);
  assert.match(await coord.locator('#effects').innerText(), /3 incidents/);
  assert.match(await coord.locator('#people').innerText(), /VCOORD/);
  assert.equal(await coord.locator('figure svg').count(), 1, 'stories over time, as a chart');
  assert.match(await coord.locator('main').innerText(), /Sensor mats instead of bed alarms/);
  await expectAccessible(coord, 'the value report');
  await coord.emulateMedia({ media: 'print' });
  assert.equal(await coord.locator('body > header').isVisible(), false, 'menus are left out in print');
  const pdf = await coord.pdf({ format: 'A4' });
  assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
  assert.ok(pdf.length > 1000);
});
