// Browser journey of archiving: a coordinator archives a community from its settings with a
// reason; every page then says so, a member can still read the thread but is offered no reply
// form and is refused a new thread; the coordinator reopens it from the banner and the member
// posts again. The stage history lists both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, expectAccessible, launch, person as signUp } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
const person = (handle) => signUp(browser, handle);

const REASON = 'The audit programme ended; its checklists stay here.';

test('archive with a reason, read but not write, reopen from the banner', async () => {
  const coord = await person('archcoord');
  await coord.goto(`${BASE}/communities/new`);
  await coord.getByLabel('Name', { exact: true }).fill('Audit Programme');
  await coord.getByLabel('Address').fill('audit-programme');
  await coord.getByLabel('Domain statement').fill('Ward audits of hand hygiene, shared.');
  await coord.getByRole('button', { name: 'Create community' }).click();
  await coord.waitForURL(/notice=created/);

  const member = await person('archmember');
  await member.goto(`${BASE}/c/audit-programme`);
  await member.getByRole('button', { name: 'Join' }).click();
  await member.waitForURL(/notice=joined/);
  await member.goto(`${BASE}/c/audit-programme/threads/new`);
  await member.getByLabel('Title').fill('Our hand-rub audit checklist');
  await member.getByLabel('Text').fill('Version 3, as we use it on the ward.');
  await member.getByRole('button', { name: 'Post' }).click();
  await member.waitForURL(/\/t\/\d+$/);
  const threadUrl = member.url();

  // The coordinator archives it from the settings, giving a reason.
  await coord.goto(`${BASE}/c/audit-programme/settings`);
  await coord.getByRole('link', { name: 'Archive this community…' }).click();
  await coord.getByRole('button', { name: 'Archive the community' }).click();
  assert.equal(new URL(coord.url()).pathname, '/c/audit-programme/archive', 'a reason is required');
  await coord.getByLabel('Why is it archived?').fill(REASON);
  await expectAccessible(coord, 'the archive form');
  await coord.getByRole('button', { name: 'Archive the community' }).click();
  await coord.waitForURL(/notice=archived/);
  assert.match(await coord.getByRole('status').filter({ hasText: 'archived' }).first().innerText(), /read-only/);

  // The member reads the thread; there is nothing to reply with, and a new thread is refused.
  await member.goto(threadUrl);
  assert.match(await member.locator('.archived').innerText(), /its checklists stay here/);
  await expectAccessible(member, 'an archived community\'s thread');
  assert.match(await member.locator('main').innerText(), /Version 3, as we use it on the ward/);
  assert.equal(await member.getByRole('button', { name: 'Post reply' }).count(), 0);
  await member.goto(`${BASE}/c/audit-programme`);
  assert.equal(await member.getByRole('button', { name: 'Reopen the community' }).count(), 0);
  await expectAccessible(member, 'an archived community');
  await coord.goto(`${BASE}/c/audit-programme`);
  await expectAccessible(coord, 'an archived community, with its reopen button');
  const refused = await member.goto(`${BASE}/c/audit-programme/threads/new`);
  assert.equal(refused.status(), 409);
  assert.match(await member.locator('main').innerText(), /archived/);

  // The coordinator reopens it from the banner; the member posts again.
  await coord.goto(`${BASE}/c/audit-programme`);
  await coord.getByRole('button', { name: 'Reopen the community' }).click();
  await coord.waitForURL(/notice=reopened/);
  assert.equal(await coord.locator('.archived').count(), 0);
  await member.goto(`${BASE}/c/audit-programme/threads/new`);
  await member.getByLabel('Title').fill('The next audit round');
  await member.getByLabel('Text').fill('Starting in March.');
  await member.getByRole('button', { name: 'Post' }).click();
  await member.waitForURL(/\/t\/\d+$/);

  await coord.goto(`${BASE}/c/audit-programme/history`);
  await expectAccessible(coord, 'the history with archiving in it');
  const history = await coord.locator('main').innerText();
  assert.match(history, /Reopened/);
  assert.match(history, new RegExp(`Archived — ${REASON.replace(/[.;]/g, '.')}`));
});
