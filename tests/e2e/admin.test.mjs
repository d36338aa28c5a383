// Browser journey of a new site's administrator: the setup link copse printed creates the
// first admin; the admin finds a person, suspends them (their session ends, they cannot sign
// in), and restores them from the pages. Runs first (files run in name order), on the empty site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PASSWORD, launch, person, expectAccessible, fromAccountMenu } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the first admin sets up the site, then suspends and restores a person', async () => {
  const admin = await (await browser.newContext()).newPage();
  await admin.goto(BASE);
  await admin.getByRole('heading', { name: 'Welcome to your new copse' }).waitFor();
  await admin.goto(process.env.COPSE_SETUP_LINK);
  await expectAccessible(admin, 'the first-run page');
  assert.match(await admin.getByLabel('Setup code').inputValue(), /^cpsetup_[0-9a-f]{64}$/);
  await admin.getByLabel('Your name').fill('Site Owner');
  await admin.getByLabel('Handle').fill('owner');
  await admin.getByLabel('E-mail').fill('owner@example.org');
  await admin.getByLabel('Password').fill(PASSWORD);
  await admin.getByRole('button', { name: 'Create the administrator' }).click();
  await admin.waitForURL(/\/admin\?notice=site-ready/);
  await expectAccessible(admin, 'the admin home');

  const gil = await person(browser, 'gil');
  await fromAccountMenu(admin, 'Admin');
  await admin.getByRole('link', { name: 'People', exact: true }).click();
  await admin.getByLabel('Name, handle or e-mail').fill('gil');
  await admin.getByRole('button', { name: 'Find' }).click();
  await expectAccessible(admin, 'the people list');
  await admin.getByRole('link', { name: 'GIL' }).click();
  await admin.waitForURL(/\/admin\/users\/gil$/);

  // A reason is needed; without one the form says so and nothing changes.
  await admin.getByLabel('Reason').fill('   '); // passes the browser's length check, not copse's
  await admin.getByRole('button', { name: 'Suspend @gil' }).click();
  assert.match(await admin.getByRole('alert').innerText(), /reason/i);
  await admin.getByLabel('Reason').fill('Posted the same advert in every community');
  await admin.getByRole('button', { name: 'Suspend @gil' }).click();
  await admin.waitForURL(/notice=user-suspended/);
  await expectAccessible(admin, 'a suspended person\'s page');
  assert.match(await admin.getByRole('heading', { name: /Suspended since/ }).innerText(), /Suspended since/);

  // Gil's session has ended, and signing in is refused.
  const signedOut = await gil.goto(`${BASE}/settings/profile`);
  assert.equal(signedOut.status(), 401);
  await gil.goto(`${BASE}/signin`);
  await gil.getByLabel('E-mail').fill('gil@example.org');
  await gil.getByLabel('Password').fill(PASSWORD);
  await gil.locator('main').getByRole('button', { name: 'Sign in', exact: true }).click();
  await gil.getByRole('alert').waitFor();

  await admin.getByRole('button', { name: 'Restore @gil' }).click();
  await admin.waitForURL(/notice=user-restored/);
  await admin.goto(`${BASE}/admin/audit`);
  await expectAccessible(admin, 'the audit log');
  const log = await admin.locator('ol.audit').innerText();
  assert.match(log, /@owner restored @gil/);
  assert.match(log, /@owner suspended @gil: Posted the same advert/);

  await gil.getByLabel('E-mail').fill('gil@example.org');
  await gil.getByLabel('Password').fill(PASSWORD);
  await gil.locator('main').getByRole('button', { name: 'Sign in', exact: true }).click();
  await gil.waitForURL((url) => !url.pathname.startsWith('/signin'));
});
