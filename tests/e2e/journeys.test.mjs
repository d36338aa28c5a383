// Browser journeys through a running copse (COPSE_URL), in Debian's Chromium driven by
// playwright-core. Started by crates/copse/tests/e2e.rs, which serves the real binary on a fresh
// data folder; run by `cargo test --workspace`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { verifyEmail, fromAccountMenu, openCommunityPage } from './helpers.mjs';

const BASE = process.env.COPSE_URL;
const PASSWORD = 'correct horse battery';
let browser;

before(async () => {
  assert.ok(BASE, 'COPSE_URL must name the server under test');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => { await browser?.close(); });

async function person() {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  return context.newPage();
}

async function signUp(page, handle, name) {
  await page.goto(`${BASE}/signup`);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('E-mail').fill(`${handle}@example.org`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(/\/settings\/profile/);
  assert.match(await page.getByRole('status').first().innerText(), /Welcome to copse/);
  await expectAccessible(page, 'the settings of an unverified account');
  await verifyEmail(page, handle);
}

async function signIn(page, handle) {
  await page.goto(`${BASE}/signin`);
  await page.getByLabel('E-mail').fill(`${handle}@example.org`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(/notice=signed-in/);
}

async function signOut(page) {
  await fromAccountMenu(page, 'Sign out');
  await page.waitForURL(/notice=signed-out/);
}

async function expectAccessible(page, what) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const serious = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help}`), [], `accessibility of ${what}`);
}

test('sign up, create a community, request to join, approve, follow as observer', async () => {
  // A coordinator signs up, fills a profile and starts a community that admits on approval.
  const coord = await person();
  await signUp(coord, 'maya', 'Maya Okafor');
  await coord.getByLabel('Organisation').fill('Northfield General Hospital');
  await coord.getByLabel('Country').fill('United Kingdom');
  await coord.getByLabel('Time zone').selectOption('Europe/London');
  await coord.getByRole('button', { name: 'Save profile' }).click();
  await coord.waitForURL(/notice=profile-saved/);
  await expectAccessible(coord, 'the profile settings');

  await fromAccountMenu(coord, 'New community');
  await coord.getByLabel('Name', { exact: true }).fill('Infection Prevention Nurses');
  await coord.getByLabel('Address').fill('ipc-nurses');
  await coord.getByLabel('Domain statement').fill('We share **hand hygiene audits** that work.');
  await coord.getByLabel('How people join').selectOption('approval');
  await coord.getByLabel('Join questions').fill('Which hospital and ward do you work in?');
  await coord.getByRole('button', { name: 'Create community' }).click();
  await coord.waitForURL(/\/c\/ipc-nurses\?notice=created/);
  assert.equal(await coord.getByRole('heading', { level: 1 }).innerText(), 'Infection Prevention Nurses');
  assert.equal(await coord.locator('.prose strong').first().innerText(), 'hand hygiene audits');
  await expectAccessible(coord, 'the community page');
  await signOut(coord);

  // A nurse from another hospital asks to join, answering the question.
  const tom = await person();
  await signUp(tom, 'tom', 'Tom Becker');
  await tom.goto(`${BASE}/`);
  await tom.getByRole('link', { name: 'Infection Prevention Nurses' }).click();
  await tom.getByRole('link', { name: 'Request to join' }).click();
  await tom.getByLabel('Which hospital and ward do you work in?').fill('Riverside University Hospital, ICU');
  await tom.getByRole('button', { name: 'Send request' }).click();
  await tom.waitForURL(/notice=requested/);
  assert.match(await tom.locator('main').innerText(), /Your request is waiting for a coordinator/);

  // The coordinator signs in again and approves from the Requests tab.
  await signIn(coord, 'maya');
  await coord.goto(`${BASE}/c/ipc-nurses`);
  await openCommunityPage(coord, 'Manage', 'Requests');
  assert.match(await coord.locator('main').innerText(), /Riverside University Hospital, ICU/);
  await expectAccessible(coord, 'the requests page');
  await coord.getByRole('button', { name: 'Approve Tom Becker' }).click();
  await coord.waitForURL(/notice=approved/);
  assert.match(await coord.locator('main').innerText(), /No requests are waiting/);

  // Tom is now a member and sees the member list with both of them.
  await tom.goto(`${BASE}/c/ipc-nurses/members`);
  const members = await tom.getByRole('table').innerText();
  assert.match(members, /Maya Okafor/);
  assert.match(members, /Tom Becker/);
  assert.match(members, /Northfield General Hospital/);
  await expectAccessible(tom, 'the member list');

  // A curious person follows as an observer, without joining.
  const lin = await person();
  await signUp(lin, 'lin', 'Lin Observer');
  await lin.goto(`${BASE}/c/ipc-nurses`);
  await lin.getByRole('button', { name: 'Follow as observer' }).click();
  await lin.waitForURL(/notice=followed/);
  const main = await lin.locator('main').innerText();
  assert.match(main, /You: observer/);
  assert.match(main, /1\s+observers/);
  assert.match(main, /2\s+members/);

  // Stopping asks first, on a page of its own; only its button acts.
  await lin.getByRole('link', { name: 'Stop following…' }).click();
  await lin.waitForURL(/\/c\/ipc-nurses\/leave$/);
  assert.equal(await lin.getByRole('heading', { name: /^Stop following .*\?$/ }).count(), 1);
  await expectAccessible(lin, 'the question before leaving');
  await lin.getByRole('button', { name: 'Stop following' }).click();
  await lin.waitForURL(/notice=left/);
  assert.doesNotMatch(await lin.locator('main').innerText(), /You: observer/);
});

test('a private unlisted community is invisible to outsiders until invited', async () => {
  const coord = await person();
  await signUp(coord, 'lena', 'Lena Fischer');
  await fromAccountMenu(coord, 'New community');
  await coord.getByLabel('Name', { exact: true }).fill('Data Engineering Guild');
  await coord.getByLabel('Address').fill('data-guild');
  await coord.getByLabel('Domain statement').fill('Pipelines across departments.');
  await coord.getByLabel('Visibility').selectOption('private');
  await coord.getByLabel('In the directory').selectOption('false');
  await coord.getByLabel('How people join').selectOption('invitation');
  await coord.getByRole('button', { name: 'Create community' }).click();
  await coord.waitForURL(/notice=created/);

  const raj = await person();
  await signUp(raj, 'raj', 'Raj Patel');
  const missing = await raj.goto(`${BASE}/c/data-guild`);
  assert.equal(missing.status(), 404);
  await raj.goto(`${BASE}/?q=Guild`);
  assert.equal(await raj.getByRole('link', { name: 'Data Engineering Guild' }).count(), 0);

  await coord.goto(`${BASE}/c/data-guild/invite`);
  await coord.getByLabel('@handle or e-mail address').fill('@raj');
  await coord.getByRole('button', { name: 'Invite' }).click();
  assert.match(await coord.locator('#invite-link').innerText(), /\/invitations\/link\/cpi_/);
  await expectAccessible(coord, 'the invite page');

  await raj.goto(`${BASE}/invitations`);
  await raj.getByRole('button', { name: 'Accept' }).click();
  await raj.waitForURL(/\/c\/data-guild\?notice=invitation-accepted/);
  assert.match(await raj.locator('main').innerText(), /You: member/);
});

test('pages work on a phone-sized screen', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const page = await context.newPage();
  await page.goto(`${BASE}/`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling on a phone (overflow ${overflow}px)`);
  await expectAccessible(page, 'the home page');
});
