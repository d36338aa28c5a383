// Browser journey of the community newsletter: a coordinator drafts an issue from what
// happened, edits it, previews it as a member and as an observer, sends it, and finds it in
// the archive, where a member reads it too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, person as signUp, expectAccessible } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
const person = (handle) => signUp(browser, handle);

async function post(page, slug, title, space) {
  await page.goto(`${BASE}/c/${slug}/threads/new`);
  await page.getByLabel('Title').fill(title);
  await page.getByLabel(/^Text/).fill('What works on our wards.');
  if (space) await page.getByLabel('Who can read it').selectOption(space);
  await page.getByRole('button', { name: 'Post' }).click();
  await page.waitForURL(/\/t\/\d+$/);
}

test('a coordinator edits, previews and sends a newsletter; it is in the archive', async () => {
  const coord = await person('ncoord');
  await coord.goto(`${BASE}/communities/new`);
  await coord.getByLabel('Name', { exact: true }).fill('Wound Care Circle');
  await coord.getByLabel('Address').fill('wounds');
  await coord.getByLabel('Domain statement').fill('Nurses learning wound care together.');
  await coord.getByRole('button', { name: 'Create community' }).click();
  await coord.waitForURL(/notice=created/);
  const member = await person('nmember');
  await member.goto(`${BASE}/c/wounds`);
  await member.getByRole('button', { name: 'Join' }).click();
  await member.waitForURL(/notice=joined/);
  await post(coord, 'wounds', 'Dressing changes at night', null);
  await post(coord, 'wounds', 'Staffing for the wound clinic', 'members');

  // Draft: copse writes it from what happened; the coordinator adds a word.
  await coord.goto(`${BASE}/c/wounds/newsletter`);
  await expectAccessible(coord, 'the newsletter archive');
  await coord.getByRole('button', { name: 'Draft an issue now' }).click();
  await coord.waitForURL(/\/c\/wounds\/newsletter\/1\/edit\?notice=newsletter-drafted/);
  await expectAccessible(coord, 'the newsletter editor');
  const text = coord.getByLabel(/^Text/);
  const drafted = await text.inputValue();
  assert.match(drafted, /## Highlights\n\n\[\[thread:\d+\]\]/);
  await text.fill(drafted.replace('<!-- Write a few lines to the community here. -->',
    'Thank you all for a busy month on the wards.'));
  await coord.getByLabel('Subject').fill('Wound care in brief');
  await coord.getByRole('button', { name: 'Save and preview' }).click();
  await coord.waitForURL(/\/c\/wounds\/newsletter\/1\?notice=newsletter-saved/);
  const body = coord.locator('#issue-body');
  assert.match(await body.innerText(), /Thank you all for a busy month/);
  assert.match(await body.innerText(), /Dressing changes at night/);
  assert.match(await body.innerText(), /Staffing for the wound clinic/);
  await expectAccessible(coord, 'the newsletter preview');

  // As an observer gets it: the members' thread is left out.
  await coord.getByRole('link', { name: 'an observer' }).click();
  await coord.waitForURL(/as=observer/);
  assert.match(await body.innerText(), /Dressing changes at night/);
  assert.doesNotMatch(await body.innerText(), /Staffing for the wound clinic/);
  assert.match(await body.innerText(), /Thank you all for a busy month/);

  // Send it; it is in the archive, and a member reads it there.
  // Sending asks once more, on a page of its own, before anything goes out.
  await coord.getByRole('link', { name: 'Send now to members and observers…' }).click();
  await coord.waitForURL(/\/send$/);
  assert.equal(await coord.getByRole('heading', { name: /^Send “Wound care in brief.*” now\?$/ }).count(), 1);
  await expectAccessible(coord, 'the question before sending');
  await coord.getByRole('button', { name: 'Send it now' }).click();
  await coord.waitForURL(/notice=newsletter-sending/);
  await coord.goto(`${BASE}/c/wounds/newsletter`);
  assert.match(await coord.locator('#issues').innerText(), /#1 · Wound care in brief/);
  await member.goto(`${BASE}/c/wounds/newsletter`);
  await member.getByRole('link', { name: /Wound care in brief/ }).click();
  await member.waitForURL(/\/c\/wounds\/newsletter\/1$/);
  assert.match(await member.locator('#issue-body').innerText(), /Staffing for the wound clinic/);
  assert.equal(await member.getByRole('link', { name: /Send now/ }).count(), 0);
  assert.equal(await member.getByRole('button', { name: /Send/ }).count(), 0);
  await expectAccessible(member, 'an issue in the archive');
});
