// Browser journey of a community's archive: a coordinator asks for one from the settings, the
// page shows it being prepared, the worker prepares it and e-mails a link back to the page,
// where "Check again" shows it ready; the download is the gzip archive the page says, and a
// member who is not a coordinator finds no way to it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { BASE, expectAccessible, launch, mailedLink, person as signUp } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
const person = (handle) => signUp(browser, handle);

test('a coordinator prepares, is told, and downloads the community archive', async () => {
  const coord = await person('expcoord');
  await coord.goto(`${BASE}/communities/new`);
  await coord.getByLabel('Name', { exact: true }).fill('Sterile Services');
  await coord.getByLabel('Address').fill('sterile-services');
  await coord.getByLabel('Domain statement').fill('Reprocessing instruments, from theatre to shelf.');
  await coord.getByRole('button', { name: 'Create community' }).click();
  await coord.waitForURL(/notice=created/);
  await coord.goto(`${BASE}/c/sterile-services/threads/new`);
  await coord.getByLabel('Title').fill('Washer-disinfector load checks');
  await coord.getByLabel('Text').fill('What we check on every load, and why.');
  await coord.getByRole('button', { name: 'Post' }).click();
  await coord.waitForURL(/\/t\/\d+$/);

  await coord.goto(`${BASE}/c/sterile-services/settings`);
  await coord.getByRole('link', { name: 'Export this community…' }).click();
  assert.equal(new URL(coord.url()).pathname, '/c/sterile-services/export');
  assert.match(await coord.locator('main').innerText(), /copse import/);
  await expectAccessible(coord, 'the export page');
  await coord.getByRole('button', { name: 'Prepare an archive' }).click();
  await coord.getByRole('link', { name: 'Check again' }).or(coord.getByRole('link', { name: /^Download/ })).first().waitFor();

  // The worker prepares it and mails a link back to this page.
  const link = await mailedLink('expcoord@example.org', /\/c\/sterile-services\/export/);
  await coord.goto(`${BASE}${link}`);
  const download = coord.getByRole('link', { name: /^Download \(/ });
  await download.waitFor();
  await expectAccessible(coord, 'the export page with an archive ready');
  assert.match(await coord.locator('main').innerText(), /kept until/);
  const answer = await coord.request.get(`${BASE}${await download.getAttribute('href')}`);
  assert.equal(answer.status(), 200);
  assert.equal(answer.headers()['content-type'], 'application/gzip');
  const tar = zlib.gunzipSync(await answer.body()).toString('latin1');
  assert.match(tar, /copse-community-export/);
  assert.match(tar, /Washer-disinfector load checks/);

  // A member sees neither the link in the settings nor the page.
  const member = await person('expmember');
  await member.goto(`${BASE}/c/sterile-services`);
  await member.getByRole('button', { name: 'Join' }).click();
  await member.waitForURL(/notice=joined/);
  const refused = await member.goto(`${BASE}/c/sterile-services/export`);
  assert.equal(refused.status(), 403);
});
