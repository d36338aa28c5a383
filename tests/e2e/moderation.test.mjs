// Browser journey of moderation: members flag a reply until it is hidden; the coordinator
// reviews it, deletes it and silences its author for a week; the log shows it; the silenced
// member's reply form says why and until when; a locked thread refuses a reply on the page and
// in the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PASSWORD, expectAccessible, launch, openCommunityPage, person as signUp } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });
const person = (handle) => signUp(browser, handle);

async function join(page, slug = 'ward-safety') {
  await page.goto(`${BASE}/c/${slug}`);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.waitForURL(/notice=joined/);
}

// Flags the reply that says `text` as spam.
async function flagReply(page, url, text) {
  await page.goto(url);
  const reply = page.locator('article', { hasText: text });
  await reply.getByText('Flag', { exact: true }).click();
  await reply.getByLabel('Spam').check();
  await reply.getByRole('button', { name: 'Send flag' }).click();
  await page.waitForURL(/notice=flagged/);
}

// Creates the community `name` at `slug` as `coord`, where two flags hide a post.
async function createCommunity(coord, name, slug) {
  await coord.goto(`${BASE}/communities/new`);
  await coord.getByLabel('Name', { exact: true }).fill(name);
  await coord.getByLabel('Address').fill(slug);
  await coord.getByLabel('Domain statement').fill('Nurses keeping wards safe, together.');
  await coord.getByRole('button', { name: 'Create community' }).click();
  await coord.waitForURL(/notice=created/);
  await coord.goto(`${BASE}/c/${slug}/moderation`);
  await coord.getByLabel(/Flags that hide a post/).fill('2');
  await coord.getByRole('button', { name: 'Save' }).click();
  await coord.waitForURL(/notice=saved/);
}

// An API call as the person signed in on `page` (a token made with their password).
async function api(page, handle, method, path, data) {
  const made = await page.request.post(`${BASE}/api/v1/auth/tokens`, {
    data: { email: `${handle}@example.org`, password: PASSWORD },
  });
  const headers = { authorization: `Bearer ${(await made.json()).token}` };
  const r = await page.request.fetch(`${BASE}${path}`, { method, headers, data });
  return { status: r.status(), body: await r.json() };
}

test('flag, review, delete, silence, log, lock', async () => {
  const coord = await person('modcoord');
  await createCommunity(coord, 'Ward Safety', 'ward-safety');

  await coord.goto(`${BASE}/c/ward-safety/threads/new`);
  await coord.getByLabel('Title').fill('Falls on night shifts');
  await coord.getByLabel('Text').fill('What has lowered falls on your ward at night?');
  await coord.getByRole('button', { name: 'Post' }).click();
  await coord.waitForURL(/\/t\/\d+$/);
  const threadUrl = coord.url();
  const threadId = threadUrl.match(/\/t\/(\d+)$/)[1];

  const troll = await person('modtroll');
  await join(troll);
  await troll.goto(threadUrl);
  await troll.getByRole('textbox', { name: /^Reply/ }).fill('Buy followers now at cheap prices');
  await troll.getByRole('button', { name: 'Post reply' }).click();
  await troll.waitForURL(/#reply-\d+/);

  const first = await person('modflagone');
  await join(first);
  await flagReply(first, threadUrl, 'Buy followers');
  assert.ok(await first.getByText('Buy followers now').isVisible(), 'one flag hides nothing');
  const second = await person('modflagtwo');
  await join(second);
  await flagReply(second, threadUrl, 'Buy followers');
  await second.getByText(/This reply is hidden/).waitFor();
  assert.equal(await second.getByText('Buy followers now').count(), 0, 'hidden from members');

  // The coordinator reviews it: the tab counts it, the queue shows it without the flaggers.
  await coord.goto(`${BASE}/c/ward-safety`);
  await openCommunityPage(coord, 'Manage', 'Moderation');
  const item = coord.locator('article.queue-item', { hasText: 'Buy followers' });
  assert.match(await item.innerText(), /2 flags/);
  assert.doesNotMatch(await item.innerText(), /modflag/);
  await expectAccessible(coord, 'the review queue');
  await item.locator('input[name=reason]').first().fill('Advertising');
  await item.getByRole('button', { name: 'Delete' }).click();
  await coord.waitForURL(/notice=moderated/);
  await coord.locator('#silence-handle').fill('modtroll');
  await coord.locator('#silence-days').fill('7');
  await coord.locator('#silence-reason').fill('Spam adverts');
  await coord.getByRole('button', { name: 'Silence', exact: true }).click();
  await coord.waitForURL(/notice=silenced/);

  // The log, as a member reads it: who did what and why, never who flagged; of a post they
  // may no longer read, not its words. The coordinator's log names it.
  await first.goto(`${BASE}/c/ward-safety/moderation/log`);
  const log = await first.getByRole('list', { name: 'Moderation log entries' }).innerText();
  assert.match(log, /silenced @modtroll for 7 days — Spam adverts/);
  assert.match(log, /deleted a post you cannot see — Advertising/);
  assert.match(log, /Members' flags hid after members' flags/);
  assert.doesNotMatch(log, /modflag/);
  await coord.goto(`${BASE}/c/ward-safety/moderation/log`);
  assert.match(await coord.getByRole('list', { name: 'Moderation log entries' }).innerText(),
    /deleted a reply by @modtroll in “Falls on night shifts” — Advertising/);

  // The silenced member reads, but the form is gone and says why and until when.
  await troll.goto(threadUrl);
  const closed = await troll.locator('#reply-closed').innerText();
  assert.match(closed, /silenced you in this community until \d{4}-\d\d-\d\d/);
  assert.match(closed, /Spam adverts/);
  assert.equal(await troll.locator('#reply-form').count(), 0);

  // A locked thread refuses a reply on the page and in the API.
  await coord.goto(threadUrl);
  await coord.getByText('Moderate this thread').click();
  await coord.getByRole('button', { name: /^Lock/ }).click();
  await coord.waitForURL(/notice=moderated/);
  await first.goto(threadUrl);
  await first.locator('#thread-locked').waitFor();
  assert.match(await first.locator('#reply-closed').innerText(), /locked/);
  const token = await first.request.post(`${BASE}/api/v1/auth/tokens`, {
    data: { email: 'modflagone@example.org', password: PASSWORD },
  });
  assert.equal(token.status(), 201);
  const refused = await first.request.post(`${BASE}/api/v1/threads/${threadId}/replies`, {
    headers: { authorization: `Bearer ${(await token.json()).token}` },
    data: { body: 'Me too' },
  });
  assert.equal(refused.status(), 403);
  assert.match((await refused.json()).error.message, /locked/);
});

test('a flagged value story is hidden until the flags are dismissed; replies split off', async () => {
  const coord = await person('stcoord');
  await createCommunity(coord, 'Story Safety', 'story-safety');
  const teller = await person('stteller');
  await join(teller, 'story-safety');
  const told = await api(teller, 'stteller', 'POST', '/api/v1/communities/story-safety/stories',
    { happened: 'A sales pitch', took: 'Cheap gloves at zzqgloves', cycles: ['immediate'] });
  assert.equal(told.status, 201);
  const storyUrl = `${BASE}/stories/${told.body.id}`;
  const flaggers = [];
  for (const handle of ['stflagone', 'stflagtwo']) {
    const page = await person(handle);
    await join(page, 'story-safety');
    await page.goto(storyUrl);
    await page.getByText('Flag story').click();
    const form = page.locator(`form[action="/stories/${told.body.id}/flag"]`);
    await form.getByRole('radio', { name: 'Spam' }).check();
    await form.getByRole('button', { name: 'Send flag' }).click();
    await page.waitForURL(/notice=flagged/);
    flaggers.push(page);
  }
  // Hidden from members, not from its teller (who is told why).
  await flaggers[0].goto(storyUrl);
  await flaggers[0].getByRole('heading', { name: 'Not found' }).waitFor();
  await teller.goto(storyUrl);
  assert.match(await teller.locator('#story-hidden').innerText(), /moderator/);

  await coord.goto(`${BASE}/c/story-safety/moderation`);
  const item = coord.locator('article.queue-item', { hasText: 'zzqgloves' });
  assert.match(await item.innerText(), /A value story:/);
  assert.match(await item.innerText(), /2 flags/);
  assert.doesNotMatch(await item.innerText(), /stflag/);
  await expectAccessible(coord, 'the review queue with a story');
  await item.getByRole('button', { name: 'Dismiss flags' }).click();
  await coord.waitForURL(/notice=moderated/);
  await flaggers[0].goto(storyUrl);
  await flaggers[0].getByText('Cheap gloves at zzqgloves').waitFor();

  // Splitting a reply off into a new thread from the thread page.
  const thread = await api(coord, 'stcoord', 'POST', '/api/v1/communities/story-safety/threads',
    { title: 'Night shift handovers', body: 'How do you hand over at night?' });
  const aside = await api(teller, 'stteller', 'POST', `/api/v1/threads/${thread.body.id}/replies`,
    { body: 'Unrelated: which gloves do you buy?' });
  await coord.goto(`${BASE}/t/${thread.body.id}`);
  await coord.getByText('Moderate this thread').click();
  await coord.locator(`input[name="reply-${aside.body.id}"]`).check();
  await coord.getByLabel('Title of the new thread').fill('Which gloves?');
  await coord.getByRole('button', { name: 'Split the ticked replies off' }).click();
  await coord.waitForURL(/notice=moderated/);
  assert.notEqual(coord.url().match(/\/t\/(\d+)/)[1], String(thread.body.id));
  await coord.getByRole('heading', { name: 'Which gloves?' }).waitFor();
  await coord.getByText('Unrelated: which gloves do you buy?').waitFor();
});
