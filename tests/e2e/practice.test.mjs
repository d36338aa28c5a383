// Browser journeys of practice: ask, answer, accept, find by search; follow a topic and be
// notified; merge topics and follow the old address.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, person as signUp } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
const person = (handle) => signUp(browser, handle);

test('ask a question, answer it, accept it, find it; topics notify and redirect', async () => {
  const coord = await person('pcoord');
  await coord.goto(`${BASE}/communities/new`);
  await coord.getByLabel('Name', { exact: true }).fill('Wound Care Practice');
  await coord.getByLabel('Address').fill('wound-care');
  await coord.getByLabel('Domain statement').fill('Nurses sharing wound care practice.');
  await coord.getByRole('button', { name: 'Create community' }).click();
  await coord.waitForURL(/notice=created/);
  for (const [name, slug] of [['Dressings', 'dressings'], ['Bandages', 'bandages']]) {
    await coord.goto(`${BASE}/c/wound-care/topics`);
    await coord.getByLabel('Name', { exact: true }).fill(name);
    await coord.getByLabel('Address').fill(slug);
    await coord.getByRole('button', { name: 'Add topic' }).click();
    await coord.waitForURL(/notice=topic-created/);
  }

  // A member joins and follows the Dressings topic.
  const asker = await person('asker');
  await asker.goto(`${BASE}/c/wound-care`);
  await asker.getByRole('button', { name: 'Join' }).click();
  await asker.waitForURL(/notice=joined/);
  const helper = await person('helper');
  await helper.goto(`${BASE}/c/wound-care`);
  await helper.getByRole('button', { name: 'Join' }).click();
  await helper.goto(`${BASE}/c/wound-care/topics/dressings`);
  await helper.getByRole('button', { name: 'Follow topic' }).click();
  await helper.waitForURL(/notice=topic-followed/);

  // The asker asks a question in that topic.
  await asker.goto(`${BASE}/c/wound-care/threads/new`);
  await asker.getByLabel('Kind').selectOption('question');
  await asker.getByLabel('Title').fill('Silver dressings on venous leg ulcers?');
  await asker.getByLabel('Text').fill('Do silver dressings **actually** help on venous leg ulcers?');
  await asker.getByLabel('Dressings').check();
  await asker.getByRole('button', { name: 'Post' }).click();
  await asker.waitForURL(/\/t\/\d+$/);
  const threadUrl = asker.url();

  // The helper is notified, follows the link and answers.
  await helper.goto(`${BASE}/`);
  assert.match(await helper.getByRole('link', { name: /Notifications/ }).innerText(), /1/);
  await helper.getByRole('link', { name: /Notifications/ }).click();
  await helper.getByRole('link', { name: 'Silver dressings on venous leg ulcers?' }).click();
  await helper.getByRole('textbox', { name: /^Reply/ }).fill('Only for short courses when the ulcer is infected; compression matters far more.');
  await helper.getByRole('button', { name: 'Post reply' }).click();
  await helper.waitForURL(/#reply-\d+/);

  // The asker accepts it; the answer shows under the question.
  await asker.goto(threadUrl);
  await asker.getByRole('button', { name: /Accept the reply by HELPER/ }).click();
  await asker.waitForURL(/notice=accepted/);
  const answer = asker.getByRole('region', { name: 'Accepted answer' });
  assert.match(await answer.innerText(), /compression matters far more/);

  // Anyone finds it by search, with the match highlighted.
  const reader = await (await browser.newContext()).newPage();
  await reader.goto(`${BASE}/search?q=compression`);
  const hit = reader.getByRole('link', { name: 'Silver dressings on venous leg ulcers?' });
  assert.equal(await hit.count(), 1);
  assert.equal(await reader.locator('mark').first().innerText(), 'compression');

  // The coordinator merges Dressings into Bandages; the old address leads to the new topic.
  await coord.goto(`${BASE}/c/wound-care/topics/dressings`);
  await coord.getByLabel('Merge into').selectOption('bandages');
  await coord.getByRole('button', { name: 'Merge' }).click();
  await coord.waitForURL(/\/topics\/bandages\?notice=topic-merged/);
  await reader.goto(`${BASE}/c/wound-care/topics/dressings`);
  assert.match(reader.url(), /\/c\/wound-care\/topics\/bandages$/);
  assert.match(await reader.locator('main').innerText(), /Silver dressings on venous leg ulcers\?/);
});
