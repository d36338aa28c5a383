// Browser journey of participation: a member replies enough to move from peripheral to active
// after the levels are recomputed, and sees why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, person as signUp, expectAccessible, openCommunityPage } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
const person = (handle) => signUp(browser, handle);

test('replies move a member from peripheral to active, and the page says why', async () => {
  const coord = await person('lcoord');
  await coord.goto(`${BASE}/communities/new`);
  await coord.getByLabel('Name', { exact: true }).fill('Sepsis Practice');
  await coord.getByLabel('Address').fill('sepsis');
  await coord.getByLabel('Domain statement').fill('Nurses who screen for sepsis, learning together.');
  await coord.getByRole('button', { name: 'Create community' }).click();
  await coord.waitForURL(/notice=created/);
  await coord.goto(`${BASE}/c/sepsis/threads/new`);
  await coord.getByLabel('Kind').selectOption('question');
  await coord.getByLabel('Title').fill('Which screening tool on wards?');
  await coord.getByLabel('Text').fill('NEWS2, qSOFA, or something else?');
  await coord.getByRole('button', { name: 'Post' }).click();
  await coord.waitForURL(/\/t\/\d+$/);
  const question = coord.url();

  const lea = await person('llea');
  await lea.goto(`${BASE}/c/sepsis`);
  await lea.getByRole('button', { name: 'Join' }).click();
  await lea.waitForURL(/notice=joined/);
  await openCommunityPage(lea, 'Value', 'Participation');
  await lea.waitForURL(/\/c\/sepsis\/participation$/);
  assert.match(await lea.locator('#my-participation').innerText(), /peripheral/);

  for (const text of ['We use NEWS2 with a sepsis trigger at 5.', 'qSOFA alone missed cases for us.',
    'Escalation matters more than the tool.', 'Audit the time to antibiotics too.']) {
    await lea.goto(question);
    await lea.getByRole('textbox', { name: /^Reply/ }).fill(text);
    await lea.getByRole('button', { name: 'Post reply' }).click();
    await lea.waitForURL(/#reply-\d+/);
  }
  await coord.goto(`${BASE}/c/sepsis/participation`);
  await coord.getByRole('button', { name: 'Recompute now' }).click();
  await coord.waitForURL(/notice=levels-recomputed/);
  assert.match(await coord.locator('#levels').innerText(), /LLEA\s+active/);
  await expectAccessible(coord, 'the participation dashboard');

  await lea.goto(`${BASE}/c/sepsis/participation`);
  const mine = await lea.locator('#my-reasons').innerText();
  assert.match(mine, /^active: 4 replies/);
  assert.match(mine, /core needs 30 points/);
  assert.equal(await lea.locator('#levels').count(), 0, 'members do not see who is where');
});
