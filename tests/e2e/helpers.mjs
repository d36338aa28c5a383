// What the browser journeys share: Debian's Chromium, signing up a person, and the axe check.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const BASE = process.env.COPSE_URL;
export const PASSWORD = 'correct horse battery';
// The outbox folder of the copse under test (it runs without SMTP): every e-mail it sends.
export const OUTBOX = process.env.COPSE_OUTBOX;

// Quoted-printable soft breaks and escapes undone, so a long link reads whole.
function unquote(raw) {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

// The path of the newest link matching `pattern` that copse mailed to `address`, once the
// worker has sent it.
export async function mailedLink(address, pattern) {
  for (let attempt = 0; attempt < 150; attempt++) {
    const names = fs.existsSync(OUTBOX) ? fs.readdirSync(OUTBOX).sort().reverse() : [];
    for (const name of names) {
      const mail = unquote(fs.readFileSync(path.join(OUTBOX, name), 'utf8'));
      const link = mail.match(pattern);
      if (link && mail.includes(`<${address}>`)) return link[0];
    }
    await sleep(200);
  }
  assert.fail(`no e-mail to ${address} with ${pattern} in ${OUTBOX}`);
}

async function verificationLink(address) {
  return mailedLink(address, /\/verify-email\?token=cpv_[0-9a-f]{64}/);
}

// Follows the link in the sign-up e-mail, as the person would from their inbox: the page it
// opens asks to confirm, and the address is verified.
// The journey then goes on from the page it was on.
export async function verifyEmail(page, handle) {
  const address = `${handle}@example.org`;
  const back = page.url();
  await page.goto(`${BASE}${await verificationLink(address)}`);
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await page.getByText(`${address} is verified`).waitFor();
  await page.goto(back);
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Signs up `handle` (named in capitals) in a fresh browser context and verifies the address
// from the e-mail; returns its page.
export async function person(browser, handle) {
  const page = await (await browser.newContext()).newPage();
  await signUp(page, handle);
  await verifyEmail(page, handle);
  return page;
}

// Fills and sends the sign-up form for `handle`; the address is not verified yet.
export async function signUp(page, handle) {
  await page.goto(`${BASE}/signup`);
  await page.getByLabel('Your name').fill(handle.toUpperCase());
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('E-mail').fill(`${handle}@example.org`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(/\/settings\/profile/);
}

// No serious or critical WCAG 2 A/AA violation on the page.
export async function expectAccessible(page, what) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const serious = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help}`), [], `accessibility of ${what}`);
}

// Opens the account menu in the site header (a disclosure, as a person taps it) and chooses
// `name` from it: a link, or the "Sign out" button.
export async function fromAccountMenu(page, name) {
  await page.locator('header.site details.menu > summary').click();
  const menu = page.locator('header.site details.menu');
  const link = menu.getByRole('link', { name, exact: true });
  await (await link.count() ? link : menu.getByRole('button', { name, exact: true })).click();
}

// Opens a page of a community's navigation as a person does: the section first (e.g.
// "Manage"), then the page under it (e.g. "Requests"); names may carry a count.
export async function openCommunityPage(page, section, name) {
  const nav = page.getByRole('navigation', { name: 'Community sections' });
  await nav.getByRole('link', { name: new RegExp(`^${section}\\b`) }).click();
  await nav.getByRole('link', { name: new RegExp(`^${name}\\b`) }).click();
}
