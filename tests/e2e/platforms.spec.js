// The platform pixels (TikTok, Pinterest, LinkedIn, X, Snap) and Microsoft Clarity on
// /platforms.html, end to end.
// Vendor scripts are answered by fakes/platforms.js, which records every call in the order the
// real script would process it. Each title names the REFERENCE.md rules it proves.
'use strict';

const { test: base, expect } = require('./fixtures');
const h = require('./helpers');
const { isVendorUrl } = require('./vendors');

const PAGE = '/platforms.html';
const IDS = {
  tiktok: 'C4TESTPIXEL000000001',
  pinterest: '2612345678901',
  linkedin: '1234567',
  x: 'o8z3j',
  snap: '0f8fad5b-d9cb-469f-a165-70867728950e',
  clarity: 'l1uo58y3ho',
};
// The documented loader of each platform (REFERENCE.md §3.2–3.6).
const LOADERS = {
  ttq: { host: 'analytics.tiktok.com', path: '/i18n/pixel/events.js' },
  pintrk: { host: 's.pinimg.com', path: '/ct/core.js' },
  lintrk: { host: 'snap.licdn.com', path: '/li.lms-analytics/insight.min.js' },
  twq: { host: 'static.ads-twitter.com', path: '/uwt.js' },
  snaptr: { host: 'sc-static.net', path: '/scevent.min.js' },
  clarity: { host: 'www.clarity.ms', path: `/tag/${IDS.clarity}` },
};
// The marketing platforms' hosts (Clarity, under analytics, is separate).
const PLATFORM_HOSTS = /(^|\.)(tiktok\.com|pinimg\.com|pinterest\.com|licdn\.com|linkedin\.com|ads-twitter\.com|twitter\.com|t\.co|sc-static\.net|snapchat\.com)$/;
const CLARITY_HOSTS = /(^|\.)clarity\.ms$/;
// First-party identifiers the fakes set once they may, as the real pixels do.
const PLATFORM_COOKIES = ['_ttp', `ttcsid_${IDS.tiktok}`, '_pin_unauth', 'li_fat_id', '_twclid', '_scid', '_scid_r', '_sctr'];
const CLARITY_COOKIES = ['_clck', '_clsk'];
const COOKIE = 'akkoord_platforms';
const SETTLE_MS = 600;

// The TikTok base code's ttq.load is a function on the stub, not a queued call, so the order
// of load against holdConsent is invisible to events.js. This marks it in TikTok's own queue
// (as ['load', id]) without changing what the stub does, so the fake can report the order.
function markTikTokLoad() {
  let stub;
  Object.defineProperty(window, 'ttq', {
    configurable: true,
    enumerable: true,
    get() { return stub; },
    set(v) {
      stub = v;
      if (!Array.isArray(v)) return;
      let load;
      Object.defineProperty(v, 'load', {
        configurable: true,
        get() {
          return load && function (id) { v.push(['load', id]); return load.apply(this, arguments); };
        },
        set(f) { load = f; },
      });
    },
  });
}

const test = base.extend({
  // Calls the fake platform scripts saw, in order, across page reloads.
  calls: [async ({ context }, use) => {
    const log = [];
    await context.exposeBinding('__e2eVendorCall', ({ frame }, vendor, args) => {
      log.push({ vendor, args, url: frame.url(), at: Date.now() });
    });
    await context.addInitScript(markTikTokLoad);
    await use(log);
  }, { auto: true }],
});

// Calls to one vendor's global, as argument arrays, optionally only those since `t`.
const callsOf = (calls, vendor, t = 0) => calls.filter((c) => c.vendor === vendor && c.at >= t).map((c) => c.args);

async function acceptAll(page) {
  await h.expectBannerShown(page);
  await h.action(h.bannerLayer(page), 'accept-all').click();
}

async function waitForCall(calls, vendor, want, since = 0, message = '') {
  await expect.poll(() => h.callIndex(callsOf(calls, vendor, since), want), {
    message: message || `${vendor}(${want.join(', ')}) reached the fake`,
  }).toBeGreaterThanOrEqual(0);
}

// Every platform processed its page view (what the fakes see last for each).
async function waitForAllPlatforms(calls, since = 0) {
  await waitForCall(calls, 'ttq', ['grantConsent'], since);
  await waitForCall(calls, 'pintrk', ['page'], since);
  await waitForCall(calls, 'lintrk', ['partners'], since);
  await waitForCall(calls, 'twq', ['config', IDS.x], since);
  await waitForCall(calls, 'snaptr', ['track', 'PAGE_VIEW'], since);
  await waitForCall(calls, 'clarity', ['consentv2'], since);
}

const platformRequests = (vendor, since = 0) => vendor.requests.filter((r) => r.at >= since && PLATFORM_HOSTS.test(r.host));
const loaderRequests = (vendor, name) => vendor.requests.filter((r) => r.host === LOADERS[name].host && r.path === LOADERS[name].path);
const cookieNames = async (context) => (await context.cookies()).map((c) => c.name);

// Stubs the official base code defines; none may exist before consent (C-03).
const MARKETING_GLOBALS = ['ttq', 'pintrk', 'lintrk', 'twq', 'snaptr', '_linkedin_data_partner_ids', '_linkedin_partner_id'];
function platformGlobals(page, names = [...MARKETING_GLOBALS, 'clarity']) {
  return page.evaluate((list) => list.filter((g) => window[g] !== undefined), names);
}

// TikTok, P-04: holdConsent → load(id) → page → grantConsent, in TikTok's own processing order.
function expectTikTokOrder(calls) {
  const order = JSON.stringify(calls);
  const hold = h.callIndex(calls, ['holdConsent']);
  const load = h.callIndex(calls, ['load', IDS.tiktok]);
  const pageView = h.callIndex(calls, ['page']);
  const grant = h.callIndex(calls, ['grantConsent']);
  expect(hold, `holdConsent is called: ${order}`).toBeGreaterThanOrEqual(0);
  expect(load, `load(${IDS.tiktok}) after holdConsent: ${order}`).toBeGreaterThan(hold);
  expect(pageView, `page after load: ${order}`).toBeGreaterThan(load);
  expect(grant, `grantConsent after page: ${order}`).toBeGreaterThan(pageView);
}

// Pinterest, P-05: load(id) → setconsent(true) → page.
function expectPinterestOrder(calls) {
  const order = JSON.stringify(calls);
  const load = h.callIndex(calls, ['load', IDS.pinterest]);
  const consent = h.callIndex(calls, ['setconsent', true]);
  const pageView = h.callIndex(calls, ['page']);
  expect(load, `load(${IDS.pinterest}): ${order}`).toBeGreaterThanOrEqual(0);
  expect(consent, `setconsent true after load: ${order}`).toBeGreaterThan(load);
  expect(pageView, `page after setconsent: ${order}`).toBeGreaterThan(consent);
  expect(h.callIndex(calls, ['setconsent', false]), `no setconsent false before a withdrawal: ${order}`).toBe(-1);
}

// A config with only the vendors that have a consent API: withdrawal needs no reload.
const API_ONLY_CONFIG = {
  revision: 1,
  controller: 'Voorbeeld B.V.',
  cookieStatement: '/cookies.html',
  cookie: { name: COOKIE },
  purposes: ['necessary', 'marketing'],
  services: [
    { id: 'tiktok', template: 'tiktok-pixel', purpose: 'marketing', pixelId: IDS.tiktok },
    { id: 'pinterest', template: 'pinterest-tag', purpose: 'marketing', tagId: IDS.pinterest },
  ],
};

async function serveConfig(page, config) {
  await page.route('**/platforms.json', (route) => route.fulfill({ json: config }));
}

async function withdrawMarketing(page) {
  await page.locator('footer [data-akkoord-open]').click();
  const prefs = h.prefsLayer(page);
  await expect(prefs).toBeVisible();
  await expect(h.toggle(page, 'marketing'), 'the stored "on" is shown (C-19)').toBeChecked();
  await h.toggle(page, 'marketing').uncheck();
  await h.action(prefs, 'save').click();
}

test.describe('before consent', () => {
  test('first visit: no platform host contacted, no stub, cookie or element (P-01, C-01, C-02, C-03, P-08)', async ({ page, context, vendor, calls }) => {
    await page.goto(PAGE);
    await h.expectBannerShown(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(vendor.requests, 'no request to any vendor host (C-01)').toEqual([]);
    expect(await h.vendorCookies(context), 'no vendor cookie (C-02)').toEqual([]);
    expect(await h.vendorStorageKeys(page), 'no vendor storage key (C-02)').toEqual([]);
    expect(await h.vendorElements(page), 'no vendor element, no noscript pixel (C-03, P-08)').toEqual([]);
    expect(await platformGlobals(page), 'no vendor stub before consent (C-03)').toEqual([]);
    expect(calls).toEqual([]);
  });

  test('reject all: nothing loads, and nothing on the next page either (P-01, C-11, C-22)', async ({ page, context, vendor }) => {
    await page.goto(PAGE);
    await h.expectBannerShown(page);
    await h.action(h.bannerLayer(page), 'reject-all').click();
    await expect(h.bannerLayer(page)).toBeHidden();
    await page.goto(PAGE);
    await h.expectNoBanner(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(vendor.requests).toEqual([]);
    expect(await h.vendorCookies(context)).toEqual([]);
    expect(await platformGlobals(page)).toEqual([]);
    const record = (await context.cookies()).find((c) => c.name === COOKIE);
    expect(record && record.value, 'the refusal is stored').toMatch(/^1\.1\.\d+\.r\./);
  });

  test('an account id carrying script is refused: one console error, nothing loads (fail closed)', async ({ page, vendor, errors }) => {
    errors.expect(/tagId/);
    await serveConfig(page, {
      ...API_ONLY_CONFIG,
      services: [{ id: 'pinterest', template: 'pinterest-tag', purpose: 'marketing', tagId: "26');alert(1);//" }],
    });
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    await page.goto(PAGE);
    await h.expectNoBanner(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(errors.console.filter((t) => /tagId/.test(t)), 'the error names the key the template expects').toHaveLength(1);
    expect(vendor.requests).toEqual([]);
    expect(await platformGlobals(page)).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});

test.describe('after consent', () => {
  test('accept all: each platform loader injected once from its documented URL (P-02, P-08)', async ({ page, vendor, calls }) => {
    await page.goto(PAGE);
    await acceptAll(page);
    await waitForAllPlatforms(calls);
    await page.waitForTimeout(SETTLE_MS);

    for (const name of Object.keys(LOADERS)) {
      expect(loaderRequests(vendor, name), `${LOADERS[name].host}${LOADERS[name].path} requested exactly once (P-02)`).toHaveLength(1);
    }
    const tiktok = new URL(loaderRequests(vendor, 'ttq')[0].url);
    expect(tiktok.searchParams.get('sdkid'), 'events.js is loaded for the configured pixel').toBe(IDS.tiktok);
    const loads = await page.evaluate(() => window.__vendorLoads);
    expect(loads, 'each fake ran once, on the stub the base code built').toEqual({ ttq: 1, pintrk: 1, lintrk: 1, twq: 1, snaptr: 1, clarity: 1 });
    expect(await page.evaluate(() => Object.keys(window).filter((k) => /StubMissing$/.test(k))), 'every stub existed before its script').toEqual([]);
    const noscript = await page.evaluate(() => Array.from(document.querySelectorAll('noscript')).map((n) => n.textContent));
    expect(noscript.filter((t) => /tiktok|pinterest|linkedin|twitter|snapchat/i.test(t)), 'no noscript pixel (P-08)').toEqual([]);
    await expect(h.bannerLayer(page)).toBeHidden();
  });

  test('returning visitor: serve preloads each platform loader from the URL its snippet requests, which uses the preload (P-02)', async ({ page, vendor, calls }) => {
    await page.goto(PAGE);
    await acceptAll(page);
    await waitForAllPlatforms(calls);
    await page.waitForTimeout(SETTLE_MS);
    const warnings = [];
    page.on('console', (m) => { if (/preload/i.test(m.text())) warnings.push(m.text()); });
    const since = Date.now();
    const response = await page.goto(PAGE);
    const preloaded = [...response.headers().link.matchAll(/<(https:[^>]+)>; rel=preload; as=script/g)].map((m) => new URL(m[1]));
    expect(preloaded.map((u) => u.host + u.pathname).sort(), 'every loader, once')
      .toEqual(Object.values(LOADERS).map((l) => l.host + l.path).sort());
    await expect.poll(async () => Object.keys((await page.evaluate(() => window.__vendorLoads)) || {}).length, { message: 'every fake ran' }).toBe(6);
    await page.waitForTimeout(SETTLE_MS);
    for (const name of Object.keys(LOADERS)) {
      expect(loaderRequests(vendor, name).filter((r) => r.at >= since), `${LOADERS[name].host}${LOADERS[name].path}: one request, the preload's, which the snippet's element used`).toHaveLength(1);
    }
    expect(warnings, 'no "preloaded but not used" warning').toEqual([]);
  });

  test('TikTok: holdConsent before load and page, grantConsent after, on every page load (P-04)', async ({ page, calls }) => {
    await page.goto(PAGE);
    await acceptAll(page);
    await waitForCall(calls, 'ttq', ['grantConsent']);
    expectTikTokOrder(callsOf(calls, 'ttq'));

    const second = Date.now();
    await page.goto(PAGE);
    await h.expectNoBanner(page);
    await waitForCall(calls, 'ttq', ['grantConsent'], second, 'the returning visitor gets the same order');
    expectTikTokOrder(callsOf(calls, 'ttq', second));
  });

  test('Pinterest: setconsent true right after load, before the page event (P-05)', async ({ page, context, calls }) => {
    await page.goto(PAGE);
    await acceptAll(page);
    await waitForCall(calls, 'pintrk', ['page']);
    expectPinterestOrder(callsOf(calls, 'pintrk'));
    await expect.poll(() => cookieNames(context), { message: 'the fake tag set _pin_unauth after consent' }).toContain('_pin_unauth');
  });

  test('LinkedIn, X and Snap: partner id before insight.min.js, config and init with the configured ids (P-02, P-06)', async ({ page, calls }) => {
    await page.goto(PAGE);
    await acceptAll(page);
    await waitForAllPlatforms(calls);
    expect(callsOf(calls, 'lintrk')[0], 'insight.min.js found the partner id already pushed').toEqual(['partners', IDS.linkedin]);
    expect(callsOf(calls, 'twq')).toEqual([['config', IDS.x]]);
    expect(callsOf(calls, 'snaptr')).toEqual([['init', IDS.snap], ['track', 'PAGE_VIEW']]);
  });
});

test.describe('withdrawal', () => {
  test('TikTok and Pinterest: revokeConsent and setconsent false, cookies deleted, no reload, no further requests (P-04, P-05, C-21)', async ({ page, context, vendor, calls }) => {
    await serveConfig(page, API_ONLY_CONFIG);
    await page.goto(PAGE);
    await acceptAll(page);
    await waitForCall(calls, 'ttq', ['grantConsent']);
    await waitForCall(calls, 'pintrk', ['page']);
    await expect.poll(async () => (await h.vendorCookies(context)).sort(), { message: 'the fakes set their cookies' })
      .toEqual(['_pin_unauth', '_ttp', `ttcsid_${IDS.tiktok}`].sort());
    await page.evaluate(() => { window.__samePage = true; });

    const savedAt = Date.now();
    await withdrawMarketing(page);
    await waitForCall(calls, 'ttq', ['revokeConsent'], savedAt, 'ttq.revokeConsent() on withdrawal (P-04, C-21 i)');
    await waitForCall(calls, 'pintrk', ['setconsent', false], savedAt, "pintrk('setconsent', false) on withdrawal (P-05, C-21 i)");
    await expect.poll(() => h.vendorCookies(context), { message: 'first-party identifiers deleted (C-21 ii)' }).toEqual([]);

    await page.waitForTimeout(SETTLE_MS);
    expect(await page.evaluate(() => window.__samePage === true), 'vendors with a revoke API need no reload').toBe(true);
    // Even if the page itself calls the pixels now, nothing reaches the vendors (C-21 iii).
    const after = Date.now();
    await page.evaluate(() => { window.ttq.track('AddToCart'); window.pintrk('track', 'checkout'); });
    await page.waitForTimeout(SETTLE_MS);
    expect(platformRequests(vendor, after), 'no platform request after withdrawal').toEqual([]);
    expect(await h.vendorCookies(context), 'and no new cookie').toEqual([]);

    // Next page: neither platform is injected again.
    const next = Date.now();
    await page.goto(PAGE);
    await h.expectNoBanner(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(platformRequests(vendor, next)).toEqual([]);
    expect(await platformGlobals(page)).toEqual([]);
  });

  test('LinkedIn, X and Snap: identifiers deleted and the page reloads without them; API vendors told first (P-06, C-20, C-21)', async ({ page, context, vendor, calls }) => {
    await page.goto(PAGE);
    await acceptAll(page);
    await waitForAllPlatforms(calls);
    await expect.poll(async () => (await cookieNames(context)), { message: 'the fakes set their cookies' })
      .toEqual(expect.arrayContaining(PLATFORM_COOKIES));
    await expect.poll(() => h.vendorStorageKeys(page), { message: 'the LinkedIn fake stored li_adsId' })
      .toContain('li_adsId');
    await page.evaluate(() => { window.__samePage = true; });

    const savedAt = Date.now();
    const reloaded = page.waitForEvent('load');
    await withdrawMarketing(page);
    await reloaded;
    await h.waitReady(page);

    expect(await page.evaluate(() => window.__samePage === true), 'the page was reloaded (C-21 iii)').toBe(false);
    expect(h.callIndex(callsOf(calls, 'ttq', savedAt), ['revokeConsent']), 'TikTok told before the reload').toBeGreaterThanOrEqual(0);
    expect(h.callIndex(callsOf(calls, 'pintrk', savedAt), ['setconsent', false]), 'Pinterest told before the reload').toBeGreaterThanOrEqual(0);
    const names = await cookieNames(context);
    for (const c of PLATFORM_COOKIES) expect(names, `${c} deleted (C-21 ii)`).not.toContain(c);
    expect((await h.vendorCookies(context)).filter((c) => !CLARITY_COOKIES.includes(c)), 'no marketing cookie left').toEqual([]);
    expect(await h.vendorStorageKeys(page), 'li_adsId removed from localStorage too (C-21 ii)').not.toContain('li_adsId');

    await page.waitForTimeout(SETTLE_MS);
    const elements = (await h.vendorElements(page)).filter((u) => !CLARITY_HOSTS.test(new URL(u).hostname));
    expect(elements, 'no marketing vendor script after the reload (P-06)').toEqual([]);
    expect(await platformGlobals(page, MARKETING_GLOBALS), 'no marketing vendor stub after the reload').toEqual([]);
    const after = vendor.requests.filter((r) => r.at >= savedAt && !CLARITY_HOSTS.test(r.host));
    expect(after.filter((r) => r.type === 'script'), 'no marketing vendor script fetched again').toEqual([]);
    expect(platformRequests(vendor, savedAt), 'no request to a marketing platform after the withdrawal').toEqual([]);
    await expect(h.bannerLayer(page), 'the decision stands: no banner').toBeHidden();
    const record = (await context.cookies()).find((c) => c.name === COOKIE);
    expect(record && record.value, 'marketing stored as denied').toMatch(/\.c\.[0-9a-z]{16}\.analytics\.marketing$/);
  });

  test('Clarity: consentv2 after its tracking code; withdrawing analytics deletes _clck and _clsk and reloads, marketing stays (C-21)', async ({ page, context, vendor, calls }) => {
    await page.goto(PAGE);
    await acceptAll(page);
    await waitForAllPlatforms(calls);
    const clarity = callsOf(calls, 'clarity');
    expect(clarity[0], 'the tag ran for the configured project').toEqual(['project', IDS.clarity]);
    expect(clarity[1], 'then Consent API v2: analytics granted, ads storage denied').toEqual(
      ['consentv2', { ad_Storage: 'denied', analytics_Storage: 'granted' }]);
    await expect.poll(() => cookieNames(context), { message: 'the fake set _clck and _clsk' })
      .toEqual(expect.arrayContaining(CLARITY_COOKIES));
    await page.evaluate(() => { window.__samePage = true; });

    const savedAt = Date.now();
    const reloaded = page.waitForEvent('load');
    await page.locator('footer [data-akkoord-open]').click();
    await expect(h.toggle(page, 'analytics')).toBeChecked();
    await h.toggle(page, 'analytics').uncheck();
    await h.action(h.prefsLayer(page), 'save').click();
    await reloaded;
    await h.waitReady(page);

    expect(await page.evaluate(() => window.__samePage === true), 'the page was reloaded').toBe(false);
    const names = await cookieNames(context);
    for (const c of CLARITY_COOKIES) expect(names, `${c} deleted (C-21 ii)`).not.toContain(c);
    await waitForCall(calls, 'ttq', ['grantConsent'], savedAt, 'marketing platforms run again after the reload');
    await page.waitForTimeout(SETTLE_MS);
    expect(vendor.requests.filter((r) => r.at >= savedAt && CLARITY_HOSTS.test(r.host)), 'no Clarity request after withdrawal').toEqual([]);
    expect(await platformGlobals(page, ['clarity'])).toEqual([]);
  });
});

test('the statement on the page lists every platform, its provider and cookies, before any consent (C-17, C-25)', async ({ page, vendor }) => {
  await page.goto(PAGE);
  await h.expectBannerShown(page);
  await expect(h.bannerLayer(page).locator('a[href="/platforms.html#cookies"]'), 'the banner links this statement (C-08)').toHaveCount(1);
  const statement = page.locator('[data-akkoord-statement]');
  for (const text of ['TikTok Pixel', 'Pinterest Tag', 'LinkedIn Insight Tag', 'X Pixel', 'Snap Pixel', 'Microsoft Clarity',
    '_ttp', '_pin_unauth', 'li_fat_id', '_twclid', '_scid', '_clck']) {
    await expect(statement, `the statement names ${text}`).toContainText(text);
  }
  expect(vendor.requests, 'rendering the statement contacts no vendor').toEqual([]);
});

test('every platform request went to a host the registry lists (C-01 host list is complete)', async ({ page, vendor, calls }) => {
  await page.goto(PAGE);
  await acceptAll(page);
  await waitForAllPlatforms(calls);
  await page.waitForTimeout(SETTLE_MS);
  expect(vendor.blocked, 'nothing went to an unknown host').toEqual([]);
  for (const r of vendor.requests) expect(isVendorUrl(r.url), r.url).toBe(true);
});

// Advanced matching on /account.html, whose inline script#identify calls
// akkoord.identify({ email: ' Test@Example.COM ', phone: '+31 6 12345678' }) right after the loader.
test.describe('advanced matching (P-07)', () => {
  const ACCOUNT = '/account.html';
  const META_ID = '1234567890';
  // Computed here with Node's crypto, independently of the banner's SHA-256.
  const sha = (s) => require('crypto').createHash('sha256').update(s).digest('hex');
  const EM = sha('test@example.com');
  const PH = sha('31612345678');
  const PH_E164 = sha('+31612345678'); // TikTok's pixel hashes the E.164 form
  // (The Pinterest tag id 2612345678901 contains the local number, so match the full forms.)
  const PLAINTEXT = /test@example|example\.com|31612345678|6 12345678|Test@/i;
  const fbArgs = (vendor, t = 0) => vendor.fbCalls.filter((c) => c.at >= t).map((c) => c.args);
  const find = (list, head) => list.find((args) => head.every((w, i) => String(args[i]) === String(w)));
  // A visitor who is not logged in yet: the page without the shop's identify call.
  const loggedOut = (page) => page.route('**/account.html', async (route) => {
    const html = await (await route.fetch()).text();
    const out = html.replace(/<script id="identify">[^<]*<\/script>/, '');
    if (out === html) throw new Error('account.html has no script#identify');
    await route.fulfill({ contentType: 'text/html', body: out });
  });

  // Everything a vendor saw or was sent: calls to its API, request URLs, and the scripts
  // Akkoord put in the page.
  async function seenByVendors(page, vendor, calls) {
    const inline = await page.evaluate(() => Array.from(document.scripts).filter((s) => !s.src && s.id !== 'identify').map((s) => s.text).join('\n'));
    return JSON.stringify([vendor.fbCalls, calls, vendor.requests.map((r) => r.url), inline]);
  }

  test('before consent nothing is passed; after accept only the hashes, in each vendor\'s init (P-07)', async ({ page, vendor, calls }) => {
    await page.goto(ACCOUNT);
    await h.expectBannerShown(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(vendor.requests, 'identify() alone contacts no vendor').toEqual([]);
    expect(await platformGlobals(page, [...MARKETING_GLOBALS, 'fbq']), 'and defines no vendor stub').toEqual([]);

    await h.action(h.bannerLayer(page), 'accept-all').click();
    await expect.poll(() => find(fbArgs(vendor), ['init', META_ID]), { message: 'Meta initialised' }).toBeTruthy();
    await waitForCall(calls, 'snaptr', ['track', 'PAGE_VIEW']);
    await waitForCall(calls, 'pintrk', ['page']);
    await waitForCall(calls, 'ttq', ['grantConsent']);
    await waitForCall(calls, 'twq', ['config', IDS.x]);

    expect(find(fbArgs(vendor), ['init', META_ID])[2], 'Meta: em and ph in the init call').toEqual({ em: EM, ph: PH });
    const tiktok = callsOf(calls, 'ttq');
    const identify = h.callIndex(tiktok, ['identify']);
    expect(tiktok[identify] && tiktok[identify][1], 'TikTok: ttq.identify with both hashes').toEqual({ email: EM, phone_number: PH_E164 });
    expect(identify, 'identify before the page event').toBeLessThan(h.callIndex(tiktok, ['page']));
    expect(find(callsOf(calls, 'pintrk'), ['load', IDS.pinterest])[2], 'Pinterest: em only').toEqual({ em: EM });
    expect(find(callsOf(calls, 'snaptr'), ['init', IDS.snap])[2], 'Snap: its hashed keys')
      .toEqual({ user_hashed_email: EM, user_hashed_phone_number: PH });
    expect(find(callsOf(calls, 'twq'), ['config', IDS.x]), 'X has no "matching": it gets nothing').toEqual(['config', IDS.x]);
    expect(await seenByVendors(page, vendor, calls), 'no plaintext anywhere a vendor can see it').not.toMatch(PLAINTEXT);
  });

  test('returning visitor: the queued identify() reaches the pixels started during boot (P-07, P-03)', async ({ page, vendor, calls }) => {
    await page.goto(ACCOUNT);
    await acceptAll(page);
    await expect.poll(() => find(fbArgs(vendor), ['init', META_ID])).toBeTruthy();
    const next = Date.now();
    await page.goto(ACCOUNT);
    await h.expectNoBanner(page);
    await expect.poll(() => find(fbArgs(vendor, next), ['init', META_ID]), { message: 'Meta initialised again' }).toBeTruthy();
    const meta = fbArgs(vendor, next);
    expect(find(meta, ['init', META_ID])[2]).toEqual({ em: EM, ph: PH });
    expect(h.callIndex(meta, ['consent', 'revoke']), 'revoke still comes first (P-03)').toBeLessThan(h.callIndex(meta, ['init', META_ID]));
    await waitForCall(calls, 'ttq', ['identify'], next);
    expect(await seenByVendors(page, vendor, calls)).not.toMatch(PLAINTEXT);
  });

  test('marketing refused or withdrawn: identify() passes nothing (P-07, C-21)', async ({ page, vendor, calls }) => {
    await page.goto(ACCOUNT);
    await h.expectBannerShown(page);
    await h.action(h.bannerLayer(page), 'reject-all').click();
    await page.evaluate(() => window.akkoord.identify({ email: 'other@example.org' }));
    await page.waitForTimeout(SETTLE_MS);
    expect(vendor.requests, 'refused: no vendor contacted').toEqual([]);
    expect(calls).toEqual([]);
    expect(vendor.fbCalls).toEqual([]);

    // Accept, then withdraw marketing (TikTok and Pinterest are told, the rest reload away).
    await page.locator('footer [data-akkoord-open]').click();
    await h.action(h.prefsLayer(page), 'accept-all').click();
    await waitForCall(calls, 'ttq', ['grantConsent']);
    const reloaded = page.waitForEvent('load');
    await withdrawMarketing(page);
    await reloaded;
    await h.waitReady(page);
    const after = Date.now();
    await page.evaluate(() => window.akkoord.identify({ email: 'third@example.org' }));
    await page.waitForTimeout(SETTLE_MS);
    expect(callsOf(calls, 'ttq', after), 'no vendor call after withdrawal').toEqual([]);
    expect(fbArgs(vendor, after)).toEqual([]);
    expect(vendor.requests.filter((r) => r.at >= after)).toEqual([]);
    expect(JSON.stringify([vendor.fbCalls, calls])).not.toContain(sha('third@example.org'));
  });

  test('login after the pixels loaded: TikTok gets ttq.identify, Meta a second init; Pinterest and Snap wait for the next page (P-07)', async ({ page, vendor, calls }) => {
    await loggedOut(page);
    await page.goto(ACCOUNT);
    await acceptAll(page);
    await waitForCall(calls, 'ttq', ['grantConsent']);
    await waitForCall(calls, 'snaptr', ['track', 'PAGE_VIEW']);
    await expect.poll(() => find(fbArgs(vendor), ['init', META_ID])).toBeTruthy();
    expect(find(fbArgs(vendor), ['init', META_ID]).length, 'no matching object without identify').toBe(2);
    expect(h.callIndex(callsOf(calls, 'ttq'), ['identify'])).toBe(-1);

    const login = Date.now();
    await page.evaluate(() => window.akkoord.identify({ email: 'Klant@Example.ORG', phone: '0031 20 1234567' }));
    const em = sha('klant@example.org');
    const ph = sha('31201234567');
    await waitForCall(calls, 'ttq', ['identify'], login);
    expect(find(callsOf(calls, 'ttq', login), ['identify'])[1]).toEqual({ email: em, phone_number: sha('+31201234567') });
    await expect.poll(() => find(fbArgs(vendor, login), ['init', META_ID])).toBeTruthy();
    expect(find(fbArgs(vendor, login), ['init', META_ID])[2]).toEqual({ em, ph });
    await page.waitForTimeout(SETTLE_MS);
    expect(callsOf(calls, 'pintrk', login), 'Pinterest reads matching at load only').toEqual([]);
    expect(callsOf(calls, 'snaptr', login), 'Snap reads matching at init only').toEqual([]);
    expect(JSON.stringify([vendor.fbCalls, calls])).not.toMatch(/klant@|example\.org|1234567"/i);
  });

  test('an unusable identifier: one warning naming the field, nothing passed (P-07)', async ({ page, vendor, calls }) => {
    await loggedOut(page);
    const warnings = [];
    page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
    await page.goto(ACCOUNT);
    await acceptAll(page);
    await waitForCall(calls, 'ttq', ['grantConsent']);
    // Meta's queue is replayed by fbevents.js whenever it arrives: wait for it, so that the
    // accept's own calls are not counted as calls made after identify().
    await expect.poll(() => find(fbArgs(vendor), ['track', 'PageView']), { message: 'Meta loaded' }).toBeTruthy();
    const t = Date.now();
    await page.evaluate(() => window.akkoord.identify({ email: 'test@example.com', phone: '06-12345678' }));
    // Not an object, or not strings: nothing to pass, and nothing thrown into the page.
    await page.evaluate(() => { window.akkoord.identify(null); window.akkoord.identify({ email: 42, phone: {} }); window.akkoord.identify(); });
    await page.waitForTimeout(SETTLE_MS);
    expect(warnings.filter((w) => /akkoord: identify\(\): phone/.test(w)), warnings.join('\n')).toHaveLength(1);
    expect(callsOf(calls, 'ttq', t)).toEqual([]);
    expect(fbArgs(vendor, t)).toEqual([]);
  });
});
