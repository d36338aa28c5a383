// Browser journey of merging: two communities find they share a domain. Their coordinator
// merges the smaller into the larger from its settings, typing its address to confirm; a
// member of the smaller one is told in their notifications, finds their thread in its new
// home under a topic of the same name, and an old link (a topic page bookmarked before) leads
// there. The history shows the merged community's statement, marked with its name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, expectAccessible, launch, person as signUp } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
const person = (handle) => signUp(browser, handle);

async function community(page, name, slug, statement) {
  await page.goto(`${BASE}/communities/new`);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Address').fill(slug);
  await page.getByLabel('Domain statement').fill(statement);
  await page.getByRole('button', { name: 'Create community' }).click();
  await page.waitForURL(/notice=created/);
}

async function topic(page, slug, name, address) {
  await page.goto(`${BASE}/c/${slug}/topics`);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel(/^Address/).fill(address);
  await page.getByRole('button', { name: 'Add topic' }).click();
  await page.waitForURL(/notice=topic-created/);
}

test('merge one community into another; an old link leads to its new home', async () => {
  const coord = await person('mergecoord');
  await community(coord, 'Wound Care Network', 'wound-network', 'Nurses who treat chronic wounds, learning together.');
  await community(coord, 'Tissue Viability Group', 'tissue-group', 'Preventing pressure ulcers on our wards.');
  await topic(coord, 'wound-network', 'Dressings', 'dressings');
  await topic(coord, 'tissue-group', 'Dressings', 'tv-dressings');

  const member = await person('mergemember');
  await member.goto(`${BASE}/c/tissue-group`);
  await member.getByRole('button', { name: 'Join' }).click();
  await member.waitForURL(/notice=joined/);
  await member.goto(`${BASE}/c/tissue-group/threads/new`);
  await member.getByLabel('Title').fill('Silver dressings on venous ulcers');
  await member.getByLabel('Text').fill('Worth the cost on our ward?');
  await member.getByLabel('Dressings').check();
  await member.getByRole('button', { name: 'Post' }).click();
  await member.waitForURL(/\/t\/\d+$/);
  const threadUrl = member.url();
  const bookmarked = `${BASE}/c/tissue-group/topics/tv-dressings`;

  // The coordinator merges it from its settings; a wrong confirmation changes nothing.
  await coord.goto(`${BASE}/c/tissue-group/settings`);
  await coord.getByRole('link', { name: 'Merge this community…' }).click();
  await expectAccessible(coord, 'the merge form');
  await coord.getByLabel('Merge into').selectOption('wound-network');
  await coord.getByLabel('Type tissue-group to confirm').fill('tissue');
  await coord.getByRole('button', { name: 'Merge the communities' }).click();
  assert.match(await coord.getByRole('alert').innerText(), /type “tissue-group” to confirm/);
  await coord.getByLabel('Type tissue-group to confirm').fill('tissue-group');
  await coord.getByRole('button', { name: 'Merge the communities' }).click();
  await coord.waitForURL(/\/c\/wound-network\?notice=merged/);
  assert.match(await coord.getByRole('status').filter({ hasText: 'Merged' }).first().innerText(), /old addresses lead here/);

  // The member is told, and their bookmark leads to the topic's new home.
  await member.goto(`${BASE}/notifications`);
  const told = await member.locator('main').innerText();
  assert.match(told, /merged a community you belong to into\s+Wound Care Network/);
  await member.goto(bookmarked);
  assert.equal(new URL(member.url()).pathname, '/c/wound-network/topics/dressings');
  assert.match(await member.locator('main').innerText(), /Silver dressings on venous ulcers/);
  await expectAccessible(member, 'the merged topic');
  await member.goto(`${BASE}/c/tissue-group`);
  assert.equal(new URL(member.url()).pathname, '/c/wound-network');
  await member.goto(threadUrl);
  assert.match(await member.locator('main').innerText(), /Wound Care Network/);

  await coord.goto(`${BASE}/c/wound-network/history`);
  await expectAccessible(coord, 'the history with a merge in it');
  const history = await coord.locator('main').innerText();
  assert.match(history, /From Tissue Viability Group/);
  assert.match(history, /Preventing pressure ulcers on our wards/);
  assert.match(history, /Merged in — Tissue Viability Group \(tissue-group\)/);
});
