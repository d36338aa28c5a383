// Browser journey of files: a member attaches a PDF and an image to a members-only question —
// the image shows in the post, the PDF downloads with its name — and a signed-in outsider's
// request for either answers 404; the member sets a picture and sees it beside their reply; the
// coordinator adds a document to the library and then a new version of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { BASE, expectAccessible, launch, person as signUp } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
const person = (handle) => signUp(browser, handle);

// A 3×2 PNG drawn here (chunks with their CRCs, pixels deflated) and a small PDF.
function png(width, height) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // 8 bits per channel
  header[9] = 2; // RGB
  const rows = [];
  for (let y = 0; y < height; y++) {
    rows.push(Buffer.from([0, ...Array.from({ length: width }, (_, x) => [40 * x, 90, 30 * y]).flat()]));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const PNG = png(3, 2);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const file = (name, mimeType, buffer) => ({ name, mimeType, buffer });

async function createCommunity(coord, name, slug) {
  await coord.goto(`${BASE}/communities/new`);
  await coord.getByLabel('Name', { exact: true }).fill(name);
  await coord.getByLabel('Address').fill(slug);
  await coord.getByLabel('Domain statement').fill('Nurses sharing what keeps hands clean.');
  await coord.getByRole('button', { name: 'Create community' }).click();
  await coord.waitForURL(/notice=created/);
}

test('attach, show, download, refuse outsiders, avatar, library versions', async () => {
  const coord = await person('filecoord');
  await createCommunity(coord, 'Hand Hygiene', 'hand-hygiene');
  const member = await person('filemember');
  await member.goto(`${BASE}/c/hand-hygiene`);
  await member.getByRole('button', { name: 'Join' }).click();
  await member.waitForURL(/notice=joined/);

  // A members-only question with a PDF and a photo, from the form without any script.
  await member.goto(`${BASE}/c/hand-hygiene/threads/new`);
  await member.getByLabel('Kind').selectOption('question');
  await member.getByLabel('Who can read it').selectOption('members');
  await member.getByLabel('Title').fill('How do you audit hand-rub stations?');
  await member.getByLabel(/^Text/).fill('Our checklist and a photo of the station are attached.');
  await member.getByLabel(/Attach files/).setInputFiles([
    file('audit checklist.pdf', 'application/pdf', PDF),
    file('station.png', 'image/png', PNG),
  ]);
  await member.getByRole('button', { name: 'Post', exact: true }).click();
  await member.waitForURL(/\/t\/\d+$/);
  const threadUrl = member.url();

  const image = member.locator('.attached-image img');
  await image.waitFor();
  // Loading the picture takes a moment on a busy machine: wait until it has loaded or failed.
  await member.waitForFunction(() => document.querySelector('.attached-image img')?.complete);
  assert.ok(await image.evaluate((img) => img.naturalWidth === 3), 'the image shows in the post');
  const imageUrl = await image.getAttribute('src');
  const download = member.waitForEvent('download');
  await member.getByRole('link', { name: 'audit checklist.pdf' }).click();
  assert.equal((await download).suggestedFilename(), 'audit checklist.pdf');
  const pdfUrl = await member.getByRole('link', { name: 'audit checklist.pdf' }).getAttribute('href');
  await expectAccessible(member, 'a thread with files');

  // Someone signed in but not a member: both files answer 404, like files that never were.
  const outsider = await person('fileoutsider');
  for (const url of [imageUrl, pdfUrl]) {
    assert.equal((await outsider.request.get(`${BASE}${url}`)).status(), 404, url);
  }

  // A picture, then a reply: it shows beside the reply.
  await member.goto(`${BASE}/settings/profile`);
  await member.getByLabel(/Upload a picture/).setInputFiles(file('me.png', 'image/png', PNG));
  await member.getByRole('button', { name: 'Save picture' }).click();
  await member.waitForURL(/notice=avatar-saved/);
  await member.goto(threadUrl);
  await member.getByLabel(/^Reply/).fill('Ours is checked every Monday.');
  await member.getByRole('button', { name: 'Post reply' }).click();
  await member.waitForURL(/#reply-\d+/);
  const avatar = member.locator('article', { hasText: 'Ours is checked every Monday.' }).locator('img.avatar');
  await avatar.waitFor();
  assert.equal(await avatar.getAttribute('src'), '/u/filemember/avatar/48');
  const shown = await member.request.get(`${BASE}/u/filemember/avatar/48`);
  assert.equal(shown.headers()['content-type'], 'image/jpeg', 'the uploaded picture, not the initials');

  // The coordinator's library document, then its new version; the first stays listed.
  await coord.goto(`${BASE}/c/hand-hygiene/threads/new?kind=resource`);
  await coord.getByLabel('Kind').selectOption('resource');
  await coord.getByLabel('Title').fill('Ward audit tool');
  await coord.getByLabel(/^Text/).fill('The audit tool we use on every ward.');
  await coord.getByLabel(/Attach files/).setInputFiles(file('audit-tool-v1.pdf', 'application/pdf', PDF));
  await coord.getByRole('button', { name: 'Post', exact: true }).click();
  await coord.waitForURL(/\/t\/\d+$/);
  await coord.getByLabel(/Upload a new version/).setInputFiles(file('audit-tool-v2.pdf', 'application/pdf', PDF));
  await coord.getByRole('button', { name: 'Upload', exact: true }).click();
  await coord.waitForURL(/notice=version-added/);
  const files = coord.locator('.file-list li');
  assert.match(await files.nth(0).innerText(), /audit-tool-v2\.pdf/);
  assert.match(await files.nth(1).innerText(), /earlier version.*audit-tool-v1\.pdf/s);
  await expectAccessible(coord, 'a library resource with versions');
});

test('a photo in a message is for the conversation; a story carries its evidence', async () => {
  const coord = await person('msgcoord');
  await createCommunity(coord, 'Ward Audits', 'ward-audits');
  const member = await person('msgmember');
  await member.goto(`${BASE}/c/ward-audits`);
  await member.getByRole('button', { name: 'Join' }).click();
  await member.waitForURL(/notice=joined/);

  // A conversation started with a photo, from the form without any script.
  await member.goto(`${BASE}/conversations`);
  await member.getByLabel(/^With/).fill('msgcoord');
  await member.getByLabel('Subject').fill('Our station after the change');
  await member.getByLabel(/^Message/).fill('This is how it looks now.');
  await member.getByLabel(/Attach files/).setInputFiles(file('station-now.png', 'image/png', PNG));
  await member.getByRole('button', { name: 'Send' }).click();
  await member.waitForURL(/\/conversations\/\d+/);
  const conversation = member.url().replace(/[?#].*$/, '');
  await coord.goto(conversation);
  const photo = coord.locator('#messages .attached-image img');
  await photo.waitFor();
  assert.ok(await photo.evaluate((img) => img.complete && img.naturalWidth === 3), 'the photo shows to the other person');
  const photoUrl = await photo.getAttribute('src');
  await expectAccessible(coord, 'a conversation with a photo');
  const outsider = await person('msgoutsider');
  assert.equal((await outsider.request.get(`${BASE}${photoUrl}`)).status(), 404, 'not for anyone outside it');

  // A value story with the audit result attached: shown on the story's page.
  await member.goto(`${BASE}/c/ward-audits/stories`);
  await member.getByLabel('What happened in the community').fill('The station audit we discussed.');
  await member.getByLabel('What you took from it').fill('A weekly check of every dispenser.');
  await member.getByLabel('applied').check();
  await member.getByLabel(/Attach files/).setInputFiles(file('audit result.pdf', 'application/pdf', PDF));
  await member.getByRole('button', { name: 'Tell the story' }).click();
  await member.waitForURL(/\/stories\/\d+\?notice=story-told/);
  const story = member.url().replace(/\?.*$/, '');
  await coord.goto(story);
  const evidence = coord.getByRole('link', { name: 'audit result.pdf' });
  await evidence.waitFor();
  const download = coord.waitForEvent('download');
  await evidence.click();
  assert.equal((await download).suggestedFilename(), 'audit result.pdf');
  await expectAccessible(coord, 'a story with a file');
});
