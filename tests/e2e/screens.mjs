// The screen journey: every main page of the demo, as a visitor, a member, a coordinator and
// the site admin, at a phone's width (390) and a desktop's (1280), and on a phone in dark mode. On each page: nothing
// wider than the screen (scrollWidth <= innerWidth) and no serious or critical axe finding.
// Run by crates/copse/tests/integration/screens.rs against `copse demo`; with
// COPSE_SCREENSHOTS set, every page is also saved there as a PNG to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { launch } from './helpers.mjs';

const BASE = process.env.COPSE_URL;
const SHOTS = process.env.COPSE_SCREENSHOTS;
const PASSWORD = 'copse-demo-2026';

// Who looks, and at what. `{thread}` is the newest discussion of the nurses, `{event}` their
// next event, `{story}` a value story: found on the pages, as a person would click to them.
const READERS = [
  ['visitor', null, ['/', '/signin', '/signup', '/c/ipc-nurses', '/c/ipc-nurses/threads',
    '{thread}', '/c/ipc-nurses/events', '{event}', '/c/ipc-nurses/rhythm', '/c/ipc-nurses/history',
    '/c/open-gis/library', '/c/ipc-nurses/topics', '/search?q=hand+hygiene', '/no-such-page']],
  ['member', 'tom.becker@riverside.example', ['/', '/notifications', '/conversations',
    '/connections', '/invitations', '/c/ipc-nurses/participation', '/c/ipc-nurses/stories',
    '{story}', '/c/ipc-nurses/members', '/c/ipc-nurses/experts', '/c/ipc-nurses/people',
    '/c/ipc-nurses/circles', '/c/ipc-nurses/newsletter', '/c/ipc-nurses/threads/new', '{thread}',
    '/settings/profile', '/settings/email', '/settings/account', '/settings/calendar',
    '/u/maya']],
  ['coordinator', 'maya.okafor@northfield.example', ['/c/ipc-nurses', '/c/ipc-nurses/settings',
    '/c/ipc-nurses/requests', '/c/ipc-nurses/moderation', '/c/ipc-nurses/invite',
    '/c/ipc-nurses/value-report', '/c/ipc-nurses/events/new', '/c/ipc-nurses/checkins',
    '/c/ipc-nurses/participation', '/c/ipc-nurses/export']],
  ['admin', 'admin@copse-demo.example', ['/admin', '/admin/audit', '/admin/moderation']],
];
// (width, colour scheme) of each look.
const LOOKS = [[390, 'light'], [1280, 'light'], [390, 'dark']];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signIn(page, email) {
  await page.goto(`${BASE}/signin`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(/notice=signed-in/);
}

// The address behind a placeholder, from the link a person would follow to it.
async function resolve(page, target) {
  const from = {
    '{thread}': ['/c/ipc-nurses/threads', 'main a[href^="/t/"]'],
    '{event}': ['/c/ipc-nurses/events', 'main a[href^="/e/"]'],
    '{story}': ['/c/ipc-nurses/stories', 'main a[href^="/stories/"]'],
  }[target];
  if (!from) return target;
  await page.goto(`${BASE}${from[0]}`);
  const href = await page.locator(from[1]).first().getAttribute('href');
  assert.ok(href, `a link to ${target} on ${from[0]}`);
  return href;
}

// What is wider than the screen, named so a failure says where to look.
async function overflowing(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const wide = [...document.querySelectorAll('main *')]
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      .slice(0, 3)
      .map((e) => `<${e.tagName.toLowerCase()} class="${e.className}">`);
    return `${document.documentElement.scrollWidth}px wide: ${wide.join(' ')}`;
  });
}

for (const [who, email, pages] of READERS) {
  for (const [width, scheme] of LOOKS) {
    test(`the ${who}'s pages at ${width} px, ${scheme}`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
      const page = await context.newPage();
      if (email) await signIn(page, email);
      const problems = [];
      for (const target of pages) {
        const address = await resolve(page, target);
        await page.goto(`${BASE}${address}`);
        const wide = await overflowing(page);
        if (wide) problems.push(`${address}: ${wide}`);
        const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
        for (const v of axe.violations.filter((v) => ['serious', 'critical'].includes(v.impact))) {
          problems.push(`${address}: ${v.id} (${v.help}) at ${v.nodes[0]?.target}`);
        }
        if (SHOTS) {
          const name = `${who}-${width}-${scheme}-${address.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home'}.png`;
          await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
        }
      }
      await context.close();
      assert.deepEqual(problems, [], `the ${who}'s pages at ${width} px, ${scheme}`);
    });
  }
}
