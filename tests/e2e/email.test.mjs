// Browser journey of e-mail settings: choose a daily digest and replies at once; the choice is
// kept, and the settings page passes the accessibility check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, person as signUp, expectAccessible } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('choose how e-mail reaches you', async () => {
  const page = await signUp(browser, 'mailer');
  await page.goto(`${BASE}/settings/email`);
  assert.equal(await page.getByLabel('Weekly, on Mondays (the default)').isChecked(), true);
  assert.equal(await page.getByLabel('Replies to your threads: in the digest').isChecked(), true);
  assert.equal(await page.getByLabel('Someone mentions you: at once').isChecked(), true);
  await expectAccessible(page, 'the e-mail settings');
  await page.getByLabel('Daily, at 07:00 UTC').check();
  await page.getByLabel('Replies to your threads: at once').check();
  await page.getByLabel('Your community\'s check-ins: not by e-mail').check();
  await page.getByRole('button', { name: 'Save e-mail settings' }).click();
  await page.waitForURL(/settings\/email\?notice=saved/);
  await page.reload();
  assert.equal(await page.getByLabel('Daily, at 07:00 UTC').isChecked(), true);
  assert.equal(await page.getByLabel('Replies to your threads: at once').isChecked(), true);
  assert.equal(await page.getByLabel('Your community\'s check-ins: not by e-mail').isChecked(), true);
  assert.equal(await page.getByLabel('Someone mentions you: at once').isChecked(), true);
});
