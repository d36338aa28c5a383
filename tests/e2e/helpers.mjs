// What the browser journeys share: Debian's Chromium, signing up a person, and the axe check.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const BASE = process.env.COPSE_URL;
export const PASSWORD = 'correct horse battery';

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Signs up `handle` (named in capitals) in a fresh browser context; returns its page.
export async function person(browser, handle) {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${BASE}/signup`);
  await page.getByLabel('Your name').fill(handle.toUpperCase());
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('E-mail').fill(`${handle}@example.org`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(/\/settings\/profile/);
  return page;
}

// No serious or critical WCAG 2 A/AA violation on the page.
export async function expectAccessible(page, what) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const serious = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help}`), [], `accessibility of ${what}`);
}
