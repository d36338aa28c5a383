// Browser journeys of identity: a new account posts only once its address is verified from
// the e-mail; a forgotten password is chosen again from the e-mail, and old sessions end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, mailedLink, signUp, verifyEmail, expectAccessible } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('sign up, verify from the e-mail, then post', async () => {
  const page = await (await browser.newContext()).newPage();
  await signUp(page, 'vera');
  assert.match(await page.locator('#verify-banner').innerText(), /Please confirm your e-mail address/);
  // Until then the form to start a community says what to do first.
  const refused = await page.goto(`${BASE}/communities/new`);
  assert.equal(refused.status(), 403);
  assert.match(await page.getByRole('alert').innerText(), /Verify your e-mail address first/);

  await page.goto(`${BASE}${await mailedLink('vera@example.org', /\/verify-email\?token=cpv_[0-9a-f]{64}/)}`);
  await expectAccessible(page, 'the page a verification link opens');
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await page.getByText('vera@example.org is verified').waitFor();
  await expectAccessible(page, 'the verified page');
  await page.goto(`${BASE}/settings/profile`);
  assert.equal(await page.locator('#verify-banner').count(), 0, 'the banner is gone');
  await page.goto(`${BASE}/communities/new`);
  await page.getByLabel('Name', { exact: true }).fill('Dressing Practice');
  await page.getByLabel('Address').fill('dressings');
  await page.getByLabel('Domain statement').fill('Nurses who dress wounds, learning together.');
  await page.getByRole('button', { name: 'Create community' }).click();
  await page.waitForURL(/notice=created/);

  // An invitation by e-mail goes out, and can be sent again from the invite page.
  await page.goto(`${BASE}/c/dressings/invite`);
  await page.getByLabel('@handle or e-mail address').fill('newcomer@example.org');
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  await mailedLink('newcomer@example.org', /\/invitations/);
  await page.goto(`${BASE}/c/dressings/invite`);
  await expectAccessible(page, 'the invite page with an open invitation');
  await page.getByRole('button', { name: 'Send the invitation to newcomer@example.org again' }).click();
  await page.waitForURL(/notice=invitation-resent/);

  // API tokens with a scope and an expiry, made from the settings.
  await page.goto(`${BASE}/settings/tokens`);
  await page.getByLabel('Token name').fill('report script');
  await page.getByLabel('It may').selectOption('read');
  await page.getByLabel('For').selectOption('30');
  await page.getByRole('button', { name: 'Create token' }).click();
  await expectAccessible(page, 'the API tokens settings');
  assert.match(await page.locator('table').innerText(), /report script\s+read/);
});

test('forgot password: a link by e-mail, a new password, old sessions gone', async () => {
  const first = await (await browser.newContext()).newPage();
  await signUp(first, 'fay');
  await verifyEmail(first, 'fay');
  const other = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await other.goto(`${BASE}/signin`);
  await other.getByRole('link', { name: 'Forgot your password?' }).click();
  await other.getByLabel('E-mail').fill('fay@example.org');
  await expectAccessible(other, 'the forgotten-password form');
  await other.getByRole('button', { name: 'Send me a link' }).click();
  assert.match(await other.getByRole('status').innerText(), /If an account has the address/);

  await other.goto(`${BASE}${await mailedLink('fay@example.org', /\/reset-password\?token=cpr_[0-9a-f]{64}/)}`);
  await expectAccessible(other, 'the new-password form');
  await other.getByLabel(/New password/).fill('a brand new passphrase');
  await other.getByRole('button', { name: 'Set my new password' }).click();
  await other.waitForURL(/\/signin\?notice=password-reset/);
  await other.getByLabel('E-mail').fill('fay@example.org');
  await other.getByLabel('Password').fill('a brand new passphrase');
  await other.getByRole('button', { name: 'Sign in', exact: true }).click();
  await other.waitForURL(/notice=signed-in/);

  await first.goto(`${BASE}/settings/profile`);
  assert.match(await first.locator('main').innerText(), /You need to sign in/, 'the old session ended');
});
