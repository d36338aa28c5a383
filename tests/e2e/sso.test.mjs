// Browser journeys of single sign-on against a real OpenID Connect provider (npm
// `oidc-provider`, started by the test with codes that last five seconds): a first sign-in makes
// an account; a password account links the provider and then signs in with it; a forged state,
// an expired code and a provider whose discovery names another issuer are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, person, expectAccessible } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// Signs in at the provider's own pages as `login` (any password does there), and consents.
async function atProvider(page, login) {
  await page.waitForURL(/\/interaction\//);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'any password');
  await page.click('button[type=submit]');
  await page.waitForLoadState();
  const consent = page.getByRole('button', { name: /Continue/i });
  if (await consent.count()) await consent.click();
}

// Signs in at the provider as `login`, but follows the provider's redirects itself and stops
// before the browser reaches copse's callback: returns the callback's address, code unused.
async function codeHeldBack(page, login) {
  let callback;
  await page.route('**/interaction/**', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const origin = new URL(route.request().url()).origin;
    let res = await route.fetch({ maxRedirects: 0 });
    let location = res.headers().location;
    while (location) {
      const url = new URL(location, origin).toString();
      if (url.includes('/auth/sso/test/callback')) { callback = url; break; }
      if (url.includes('/interaction/')) return route.fulfill({ status: 303, headers: { location: url } });
      res = await page.request.get(url, { maxRedirects: 0 });
      location = res.headers().location;
    }
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<p>held back</p>' });
  });
  await page.goto(`${BASE}/signin`);
  await page.getByRole('button', { name: 'Sign in with Test SSO' }).click();
  await atProvider(page, login);
  for (let i = 0; i < 50 && !callback; i++) await page.waitForTimeout(100);
  await page.unroute('**/interaction/**');
  assert.ok(callback, 'the provider sent the browser back');
  return callback;
}

test('a first sign-in with SSO makes the account', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${BASE}/signin`);
  await expectAccessible(page, 'the sign-in page with a provider');
  await page.getByRole('button', { name: 'Sign in with Test SSO' }).click();
  await atProvider(page, 'nina');
  await page.waitForURL(/notice=signed-in/);
  await page.goto(`${BASE}/settings/password`);
  assert.match(await page.locator('#sso-h').locator('..').innerText(), /Test SSO: linked as nina@sso\.example/);
  assert.match(await page.locator('header').innerText(), /@nina/);
});

test('a password account links the provider, then signs in with it', async () => {
  const page = await person(browser, 'olga');
  await page.goto(`${BASE}/settings/password`);
  await page.getByRole('button', { name: 'Link Test SSO' }).click();
  await atProvider(page, 'olga-at-work');
  await page.waitForURL(/notice=sso-linked/);
  await expectAccessible(page, 'Settings → Sign-in with a linked provider');
  assert.match(await page.locator('main').innerText(), /linked as olga-at-work@sso\.example/);

  const fresh = await (await browser.newContext()).newPage();
  await fresh.goto(`${BASE}/signin`);
  await fresh.getByRole('button', { name: 'Sign in with Test SSO' }).click();
  await atProvider(fresh, 'olga-at-work');
  await fresh.waitForURL(/notice=signed-in/);
  assert.match(await fresh.locator('header').innerText(), /@olga\b/);
});

test('a forged state, an expired code and a foreign issuer are refused', async () => {
  const page = await (await browser.newContext()).newPage();
  const forged = await page.goto(`${BASE}/auth/sso/test/callback?state=forged&code=anything`);
  assert.equal(forged.status(), 403);
  assert.match(await page.getByRole('alert').innerText(), /not started here/);
  await expectAccessible(page, 'a refused sign-in');

  // Hold the provider's answer back until its code has expired, then deliver it.
  const callback = await codeHeldBack(page, 'late');
  await page.waitForTimeout(6500);
  const expired = await page.goto(callback);
  assert.equal(expired.status(), 403);
  assert.match(await page.getByRole('alert').innerText(), /did not accept the code/);

  await page.goto(`${BASE}/signin`);
  await page.getByRole('button', { name: 'Sign in with Foreign SSO' }).click();
  await page.waitForURL(/\/auth\/sso\/foreign/);
  assert.match(await page.getByRole('alert').innerText(), /discovery failed/);
});

test('a provider that gives the address only in user info signs people up too', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${BASE}/signin`);
  await page.getByRole('button', { name: 'Sign in with Lean SSO' }).click();
  await atProvider(page, 'pavel');
  await page.waitForURL(/notice=signed-in/);
  await page.goto(`${BASE}/settings/password`);
  assert.match(await page.locator('#sso-h').locator('..').innerText(), /Lean SSO: linked as pavel@sso\.example/);
});

test('pressing a provider button does not make the site fetch its discovery document each time', async () => {
  const count = async () => (await (await fetch(`${process.env.COPSE_OP_URL}/test/discovery-count`)).json()).count;
  const before = await count();
  const context = await browser.newContext();
  await Promise.all([0, 1, 2, 3, 4].map(async () => {
    const page = await context.newPage();
    await page.goto(`${BASE}/signin`);
    await page.getByRole('button', { name: 'Sign in with Test SSO' }).click();
    await page.waitForURL(/\/interaction\//);
  }));
  // Five sign-ins started (and the journeys above before them): at most one fetch among them.
  assert.ok(await count() - before <= 1, `discovery read ${await count() - before} times for five presses`);
  assert.ok(before >= 1, 'the earlier journeys read it once');
});
