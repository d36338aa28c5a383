// Browser journey of splitting: a community has grown a practice of its own. Its coordinator
// splits two topics off into a new community from the settings; the threads in them go along,
// a thread in a topic that stays does not, a member is invited to the new community and joins
// from their invitations, and an old topic link leads to the topic's new home.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, expectAccessible, launch, person as signUp } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
const person = (handle) => signUp(browser, handle);

async function topic(page, slug, name, address) {
  await page.goto(`${BASE}/c/${slug}/topics`);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel(/^Address/).fill(address);
  await page.getByRole('button', { name: 'Add topic' }).click();
  await page.waitForURL(/notice=topic-created/);
}

async function post(page, slug, title, topicName) {
  await page.goto(`${BASE}/c/${slug}/threads/new`);
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Text').fill('From our unit.');
  await page.getByLabel(topicName).check();
  await page.getByRole('button', { name: 'Post' }).click();
  await page.waitForURL(/\/t\/\d+$/);
  return page.url();
}

test('split two topics off into a new community; its members are invited', async () => {
  const coord = await person('splitcoord');
  await coord.goto(`${BASE}/communities/new`);
  await coord.getByLabel('Name', { exact: true }).fill('Critical Care Nursing');
  await coord.getByLabel('Address').fill('critical-nursing');
  await coord.getByLabel('Domain statement').fill('ICU nurses sharing what works at the bedside.');
  await coord.getByRole('button', { name: 'Create community' }).click();
  await coord.waitForURL(/notice=created/);
  await topic(coord, 'critical-nursing', 'Ventilation', 'ventilation');
  await topic(coord, 'critical-nursing', 'Sedation', 'sedation');
  await topic(coord, 'critical-nursing', 'Families', 'families');

  const member = await person('splitmember');
  await member.goto(`${BASE}/c/critical-nursing`);
  await member.getByRole('button', { name: 'Join' }).click();
  await member.waitForURL(/notice=joined/);
  const weaning = await post(member, 'critical-nursing', 'Weaning protocols that worked', 'Ventilation');
  await post(member, 'critical-nursing', 'Sedation holidays', 'Sedation');
  const visiting = await post(member, 'critical-nursing', 'Visiting hours', 'Families');

  await coord.goto(`${BASE}/c/critical-nursing/settings`);
  await coord.getByRole('link', { name: 'Split off a community…' }).click();
  await coord.getByLabel('Name of the new community').fill('Ventilation and Sedation');
  await coord.getByLabel(/^Address/).fill('vent-sedation');
  await coord.getByLabel('Domain statement').fill('Respiratory care and sedation in the ICU.');
  await expectAccessible(coord, 'the split form');
  await coord.getByRole('button', { name: 'Split off the new community' }).click();
  assert.match(await coord.getByRole('alert').innerText(), /choose at least one topic/);
  assert.equal(await coord.getByLabel('Name of the new community').inputValue(), 'Ventilation and Sedation');
  await coord.getByLabel('Ventilation').check();
  await coord.getByLabel('Sedation').check();
  await coord.getByRole('button', { name: 'Split off the new community' }).click();
  await coord.waitForURL(/\/c\/vent-sedation\?notice=split/);
  await coord.goto(`${BASE}/c/vent-sedation/threads`);
  const list = await coord.locator('main').innerText();
  assert.match(list, /Weaning protocols that worked/);
  assert.match(list, /Sedation holidays/);
  assert.doesNotMatch(list, /Visiting hours/);

  // The member is invited and joins; the old topic link leads to the new home.
  await member.goto(`${BASE}/invitations`);
  assert.match(await member.locator('main').innerText(), /Ventilation and Sedation/);
  await expectAccessible(member, 'an invitation from a split');
  await member.getByRole('button', { name: /Accept/ }).first().click();
  await member.waitForURL(/notice=invitation-accepted/);
  await member.goto(`${BASE}/c/critical-nursing/topics/ventilation`);
  assert.equal(new URL(member.url()).pathname, '/c/vent-sedation/topics/ventilation');
  assert.match(await member.locator('main').innerText(), /Weaning protocols that worked/);
  await member.goto(weaning);
  assert.match(await member.locator('main').innerText(), /Ventilation and Sedation/);
  await member.goto(visiting);
  assert.match(await member.locator('main').innerText(), /Critical Care Nursing/);

  await coord.goto(`${BASE}/c/critical-nursing/history`);
  assert.match(await coord.locator('main').innerText(), /Split off — Ventilation and Sedation \(vent-sedation\)/);
});
