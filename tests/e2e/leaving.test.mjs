// Browser journey of leaving: a member downloads their data from Settings → Your data, then
// deletes their account; what they wrote stays under "a former member" and they can no
// longer sign in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { BASE, PASSWORD, launch, person, expectAccessible } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('download my data, then delete my account', async () => {
  const page = await person(browser, 'lou');
  await page.goto(`${BASE}/communities/new`);
  await page.getByLabel('Name', { exact: true }).fill('Wound Care Circle');
  await page.getByLabel('Address').fill('woundcare');
  await page.getByLabel('Domain statement').fill('Nurses who care for wounds, learning together.');
  await page.getByRole('button', { name: 'Create community' }).click();
  await page.waitForURL(/notice=created/);
  await page.goto(`${BASE}/c/woundcare/threads/new`);
  await page.getByLabel('Title').fill('Which dressing for a venous ulcer?');
  await page.getByLabel(/^Text/).fill('Lou asks about dressings.');
  await page.getByRole('button', { name: 'Post' }).click();
  await page.waitForURL(/\/t\/\d+$/);
  const thread = page.url();

  await page.goto(`${BASE}/settings/account`);
  await expectAccessible(page, 'Settings → Your data');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download my data' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^copse-lou-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(data.account.email, 'lou@example.org');
  assert.equal(data.writing.threads[0].title, 'Which dressing for a venous ulcer?');

  // The only member coordinates alone: nobody is left without one, so it may go.
  await page.getByLabel('Your password').fill('not my password');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  assert.match(await page.getByRole('alert').innerText(), /not your password/);
  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await page.waitForURL(/notice=account-deleted/);
  assert.match(await page.getByRole('status').innerText(), /Your account is deleted/);

  await page.goto(thread);
  assert.match(await page.locator('main').innerText(), /a former member/);
  await page.goto(`${BASE}/signin`);
  await page.getByLabel('E-mail').fill('lou@example.org');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.locator('main').getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('alert').waitFor();
});
