// The banner on the demo site, end to end. Each title names the REFERENCE.md rules it proves.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
const { test, expect } = require('./fixtures');
const h = require('./helpers');

const PIXEL_ID = '1234567890';
const MEASUREMENT_ID = 'G-TEST123';
// Long enough for a script the banner should NOT have inserted to have been fetched.
const SETTLE_MS = 600;

// Let a reload the banner may have started (withdrawal from a vendor without a revoke API,
// or gated markup that already ran) finish before reading the page.
async function settle(page) {
  await page.waitForTimeout(SETTLE_MS);
  await page.waitForLoadState('load');
}

async function acceptAll(page) {
  await h.expectBannerShown(page);
  await h.action(h.bannerLayer(page), 'accept-all').click();
}

async function rejectAll(page) {
  await h.expectBannerShown(page);
  await h.action(h.bannerLayer(page), 'reject-all').click();
}

async function waitForMetaPageView(page) {
  await expect.poll(async () => h.callIndex(await h.fbCalls(page), ['track', 'PageView']), {
    message: 'fbq("track","PageView") reached the (fake) Meta pixel',
  }).toBeGreaterThanOrEqual(0);
}

async function waitForGtag(page) {
  await page.waitForFunction(() => Array.isArray(window.__gtagLoadedWith), null, { timeout: 7_000 });
  return page.evaluate(() => window.__gtagLoadedWith);
}

// revoke → init → grant → track PageView, the Meta order on every page load (P-03).
function expectMetaConsentOrder(calls) {
  const revoke = h.callIndex(calls, ['consent', 'revoke']);
  const init = h.callIndex(calls, ['init', PIXEL_ID]);
  const grant = h.callIndex(calls, ['consent', 'grant']);
  const pageView = h.callIndex(calls, ['track', 'PageView']);
  const order = JSON.stringify(calls);
  expect(revoke, `consent revoke is called: ${order}`).toBeGreaterThanOrEqual(0);
  expect(init, `init ${PIXEL_ID} is called: ${order}`).toBeGreaterThan(revoke);
  expect(grant, `consent grant follows init: ${order}`).toBeGreaterThan(init);
  expect(pageView, `track PageView follows grant: ${order}`).toBeGreaterThan(grant);
}

// Consent Mode: default (all 7 keys) first, then an update granting what was chosen, all of it
// in dataLayer before gtag.js ran (G-01, G-04, G-06).
function expectDefaultThenUpdate(entries, granted) {
  const consent = h.consentEntries(entries);
  expect(entries[0], 'the first dataLayer entry is the consent default (G-01)').toEqual(
    expect.arrayContaining(['consent', 'default']));
  expect(consent[0][1]).toBe('default');
  const update = consent.findIndex((e) => e[1] === 'update');
  expect(update, `an update precedes gtag.js: ${JSON.stringify(entries)}`).toBeGreaterThan(0);
  const last = consent.filter((e) => e[1] === 'update').pop();
  h.expectAllKeys(last[2], h.consentFor(granted));
}

test.describe('first visit', () => {
  test('banner shown, nothing loaded, nothing stored, no TCF (C-01, C-02, C-03, T-02)', async ({ page, context, vendor }) => {
    await page.goto('/');
    await h.expectBannerShown(page);
    for (const name of ['accept-all', 'reject-all', 'preferences']) {
      await expect(h.action(h.bannerLayer(page), name), `${name} on the first layer (C-05)`).toBeVisible();
    }
    await page.waitForTimeout(SETTLE_MS);

    expect(vendor.requests, 'no request to any vendor host (C-01)').toEqual([]);
    expect(await h.vendorCookies(context), 'no vendor cookie (C-02)').toEqual([]);
    expect(await h.vendorStorageKeys(page), 'no vendor storage key (C-02)').toEqual([]);
    expect(await h.vendorElements(page), 'no vendor script/img/iframe, no noscript pixel (C-03, P-08)').toEqual([]);
    const gated = await h.gatedState(page);
    expect(gated.heatmap, 'gated analytics script did not run').toBe(0);
    expect(gated.inlineMarketing, 'gated inline marketing script did not run').toBe(0);
    expect(gated.iframeSrc, 'gated iframe has no src').toBe('');
    expect(await page.evaluate(() => typeof window.__tcfapi), 'no TCF API (T-02)').toBe('undefined');
    expect(await h.cookieNames(context), 'no euconsent-v2 cookie (T-02)').not.toContain('euconsent-v2');
    expect(await page.evaluate(() => window.akkoord.accepted('marketing'))).toBe(false);
  });

  test('consent default with all 7 keys is the first dataLayer entry, nothing measured before it (G-01, G-02, G-03)', async ({ page }) => {
    await page.goto('/');
    await h.expectBannerShown(page);
    const dl = await h.dataLayer(page);
    expect(dl.length).toBeGreaterThan(0);
    const [cmd, kind, params] = dl[0];
    expect([cmd, kind]).toEqual(['consent', 'default']);
    h.expectAllKeys(params, {
      ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied',
      analytics_storage: 'denied', security_storage: 'granted',
    });
    expect(typeof params.wait_for_update, 'wait_for_update is a number').toBe('number');
    expect(dl.filter((e) => e[0] === 'config' || e[0] === 'event' || e[0] === 'js'), 'no config/event/js before a decision (G-03)').toEqual([]);
    const redaction = dl.findIndex((e) => e[0] === 'set' && e[1] === 'ads_data_redaction');
    expect(redaction, 'ads_data_redaction is set after the default (G-02)').toBeGreaterThan(0);
    expect(h.consentEntries(dl).filter((e) => e[1] === 'update'), 'no update on a first visit').toEqual([]);
  });

  test('first layer names the controller, links the cookie statement and says how to withdraw (C-08, C-10, C-12)', async ({ page }) => {
    await page.goto('/');
    await h.expectBannerShown(page);
    const banner = h.bannerLayer(page);
    await expect(banner).toContainText('Voorbeeld B.V.');
    await expect(banner.locator('a[href="/cookies.html"]'), 'link to the cookie statement').toHaveCount(1);
    await expect(banner, 'tells how to withdraw later (C-10)').toContainText(/cookie-instellingen|intrekken|wijzigen/i);
    const dialog = await page.evaluate(() => {
      const host = document.getElementById('akkoord');
      const el = host && host.shadowRoot && host.shadowRoot.querySelector('[data-akkoord-layer="banner"]');
      const d = el && (el.getAttribute('role') === 'dialog' ? el : el.closest('[role="dialog"]') || el.querySelector('[role="dialog"]'));
      if (!d) return null;
      const label = d.getAttribute('aria-label') ||
        (d.getAttribute('aria-labelledby') || '').split(/\s+/).map((id) => {
          const t = host.shadowRoot.getElementById(id);
          return t ? t.textContent.trim() : '';
        }).join(' ').trim();
      return { label };
    });
    expect(dialog, 'the banner is (in) a role="dialog" (C-12)').not.toBeNull();
    expect(dialog.label, 'the dialog has an accessible name (C-12)').not.toBe('');
  });

  test('Escape, scrolling and leaving the banner alone store nothing (C-04)', async ({ page, context, vendor }) => {
    await page.goto('/');
    await h.expectBannerShown(page);
    await page.keyboard.press('Escape');
    await page.mouse.wheel(0, 800);
    await page.waitForTimeout(SETTLE_MS);
    expect(await h.consentCookie(context), 'no consent cookie after Escape/scroll').toBeNull();
    await page.goto('/tweede.html');
    await h.expectBannerShown(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(await h.consentCookie(context), 'no consent cookie after navigating').toBeNull();
    expect(vendor.requests).toEqual([]);
    expect(await h.vendorCookies(context)).toEqual([]);
    const gated = await h.gatedState(page);
    expect([gated.heatmap, gated.inlineMarketing, gated.iframeSrc]).toEqual([0, 0, '']);
  });

  test('accept and reject are equally prominent buttons, one click each (C-05, C-06, C-07, C-09)', async ({ page }) => {
    await page.goto('/');
    await h.expectBannerShown(page);
    const measure = (loc) => loc.evaluate((el) => {
      const cs = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
      const lum = ([r8, g8, b8]) => {
        const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(r8) + 0.7152 * f(g8) + 0.0722 * f(b8);
      };
      // The background the text sits on: the first opaque one up the (shadow) tree.
      let bg = null;
      for (let n = el; n; n = n.parentElement || (n.getRootNode() && n.getRootNode().host)) {
        const c = rgb(getComputedStyle(n).backgroundColor);
        if (c.length >= 3 && (c.length < 4 || c[3] === 1)) { bg = c; break; }
      }
      bg = bg || [255, 255, 255];
      const l1 = lum(rgb(cs.color)), l2 = lum(bg);
      return {
        tag: el.tagName, width: r.width, height: r.height,
        fontSize: cs.fontSize, fontWeight: cs.fontWeight,
        contrast: (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05),
        text: el.textContent.trim(),
      };
    });
    const accept = await measure(h.action(h.bannerLayer(page), 'accept-all'));
    const reject = await measure(h.action(h.bannerLayer(page), 'reject-all'));
    expect(accept.tag).toBe('BUTTON');
    expect(reject.tag, 'reject is a real <button>, not a link (C-05)').toBe('BUTTON');
    expect(Math.abs(accept.width - reject.width) / accept.width, `widths ${accept.width} vs ${reject.width} (C-06)`).toBeLessThanOrEqual(0.10);
    expect(Math.abs(accept.height - reject.height) / accept.height, `heights ${accept.height} vs ${reject.height} (C-06)`).toBeLessThanOrEqual(0.10);
    expect(reject.fontSize).toBe(accept.fontSize);
    expect(reject.fontWeight).toBe(accept.fontWeight);
    expect(accept.contrast, 'accept text contrast ≥ 4.5:1').toBeGreaterThanOrEqual(4.5);
    expect(reject.contrast, 'reject text contrast ≥ 4.5:1').toBeGreaterThanOrEqual(4.5);
    expect(accept.text).toMatch(/accept/i);
    expect(reject.text).toMatch(/weiger/i);
    expect(`${accept.text} ${reject.text}`, 'neutral labels (C-09)').not.toMatch(/optima|beste ervaring|better experience/i);
  });
});

test.describe('decisions', () => {
  test('accept all: Meta and GA4 load once, in consent order, gated content runs (P-02, P-03, G-04, C-23)', async ({ page, context, vendor }) => {
    await page.goto('/');
    await acceptAll(page);
    await waitForMetaPageView(page);
    const loadedWith = await waitForGtag(page);
    await page.waitForTimeout(SETTLE_MS);

    expect(h.fbeventsRequests(vendor), 'fbevents.js requested exactly once (P-02)').toHaveLength(1);
    expect(h.gtagRequests(vendor), 'gtag.js requested exactly once (P-02)').toHaveLength(1);
    expect(new URL(h.gtagRequests(vendor)[0].url).searchParams.get('id')).toBe(MEASUREMENT_ID);
    expectMetaConsentOrder(await h.fbCalls(page));
    expect(await page.evaluate(() => !!window.__fbStubMissing), 'fbq stub defined before fbevents.js').toBe(false);

    // G-04: default → update (all granted) → gtag.js; js/config may follow the update only.
    expectDefaultThenUpdate(loadedWith, ['functional', 'analytics', 'marketing']);
    const dl = await h.dataLayer(page);
    const firstUpdate = dl.findIndex((e) => e[0] === 'consent' && e[1] === 'update');
    const config = dl.findIndex((e) => e[0] === 'config' && e[1] === MEASUREMENT_ID);
    expect(config, 'gtag config for the measurement id').toBeGreaterThan(firstUpdate);
    const js = dl.findIndex((e) => e[0] === 'js');
    expect(js, 'gtag js after the update').toBeGreaterThan(firstUpdate);
    expect(h.consentEntries(dl).filter((e) => e[1] === 'update'), 'one update per decision (G-08)').toHaveLength(1);

    const gated = await h.gatedState(page);
    expect(gated.heatmap, 'gated analytics script ran once').toBe(1);
    expect(gated.inlineMarketing, 'gated inline marketing script ran once').toBe(1);
    expect(gated.iframeSrc).toMatch(/\/embed\.html$/);
    await expect(page.frameLocator('iframe[data-akkoord]').locator('body[data-embed="geladen"]')).toHaveCount(1);
    await expect(h.bannerLayer(page), 'banner gone').toBeHidden();

    const rec = await h.consentCookie(context);
    expect(rec, 'consent cookie written').not.toBeNull();
    expect(rec.valid, `format 1: ${rec.raw}`).toBe(true);
    expect(rec.revision).toBe(1);
    expect(rec.method).toBe('a');
    expect(rec.granted).toEqual(['analytics', 'functional', 'marketing']);
    expect(rec.denied).toEqual([]);
    expect(Math.abs(rec.decided - Date.now() / 1000), 'decided = now').toBeLessThan(300);
    expect(rec.cookie.path).toBe('/');
    expect(rec.cookie.sameSite).toBe('Lax');
    const days = (rec.cookie.expires - Date.now() / 1000) / 86400;
    expect(days, 'Max-Age 182 days by default (C-22, C-24)').toBeGreaterThan(180);
    expect(days).toBeLessThan(184);
    expect(await page.evaluate(() => window.akkoord.accepted('marketing'))).toBe(true);
    expect(await page.evaluate(() => window.akkoord.acceptedService('ga4'))).toBe(true);
  });

  test('a decision is sent as a consent receipt that the server signs and stores (C-23)', async ({ page }) => {
    const posts = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/akkoord/receipts' && r.method() === 'POST') posts.push(r.postData());
    });
    await page.goto('/');
    await h.expectBannerShown(page);
    const posted = page.waitForResponse((r) => new URL(r.url()).pathname === '/akkoord/receipts' && r.request().method() === 'POST');
    await h.action(h.bannerLayer(page), 'reject-all').click();
    const response = await posted;
    const sent = JSON.parse(response.request().postData());
    expect(sent.purposes).toEqual({ necessary: true, functional: false, analytics: false, marketing: false });
    expect(sent.method).toBe('reject-all');
    expect(sent.services, 'no service decided on its own').toBeUndefined();
    expect(response.status(), 'stored').toBe(201);
    await page.waitForTimeout(SETTLE_MS);
    expect(posts, 'one decision, one receipt sent').toHaveLength(1);
    // (A keepalive response body is not readable from here.) The same receipt again, as a
    // retry after a lost answer: the server hands back the receipt it holds, stores nothing.
    const post = (text) => page.evaluate((t) => fetch('/akkoord/receipts', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: t,
    }).then(async (r) => ({ status: r.status, body: await r.json() })), text);
    const again = await post(response.request().postData());
    expect(again.status, 'a retry is answered with the stored receipt').toBe(200);
    expect(again.body.receipt.consentId).toBe(sent.consentId);
    const twice = await post(response.request().postData());
    expect(twice.body.receiptId, 'the same stored receipt each time').toBe(again.body.receiptId);
    // Delivered: nothing left to retry on the next page.
    await expect.poll(() => page.evaluate(() => localStorage.getItem('akkoord:receipts'))).toBeNull();
  });

  test('an undelivered receipt waits in localStorage for the next page with receipts; a page without them never reads localStorage (C-23)', async ({ page, context, errors }) => {
    errors.expect(/503/);
    // Every Storage call the page makes, recorded before its own scripts run.
    await context.addInitScript(() => {
      window.__storageCalls = [];
      for (const name of ['getItem', 'setItem', 'removeItem', 'key', 'clear']) {
        const original = Storage.prototype[name];
        Storage.prototype[name] = function (...args) {
          window.__storageCalls.push([name, ...args]);
          return original.apply(this, args);
        };
      }
    });
    const receipts = '**/akkoord/receipts';
    await context.route(receipts, (r) => r.fulfill({ status: 503, body: '' }));
    await page.goto('/');
    // The receipt is sent by the full module once it has taken over: wait for the refusal
    // itself, so the route is not lifted while the request is still on its way.
    const refused = page.waitForResponse((r) => new URL(r.url()).pathname === '/akkoord/receipts' && r.status() === 503);
    await rejectAll(page);
    await refused;
    const id = await page.evaluate(() => window.akkoord.consent().id);
    const waiting = () => page.evaluate(() => localStorage.getItem('akkoord:receipts'));
    await expect.poll(waiting, { message: 'kept for a retry' }).toContain(id);
    await context.unroute(receipts);

    // inline.html's config has no receipts.endpoint: no retry, and no Storage call at all.
    await page.goto('/inline.html');
    await h.waitReady(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(await page.evaluate(() => window.__storageCalls), 'no localStorage access without receipts').toEqual([]);
    expect(await waiting(), 'still waiting').toContain(id);

    // The next page with receipts delivers it and forgets it.
    const delivered = page.waitForResponse((r) => new URL(r.url()).pathname === '/akkoord/receipts'
      && r.request().method() === 'POST' && JSON.parse(r.request().postData()).consentId === id);
    await page.goto('/tweede.html');
    expect((await delivered).status(), 'stored by the server').toBe(201);
    await expect.poll(waiting, { message: 'forgotten once delivered' }).toBeNull();
  });

  test('reject all: nothing loads, no consent granted, refusal remembered on the next page (G-05, C-11, C-22)', async ({ page, context, vendor }) => {
    await page.goto('/');
    await rejectAll(page);
    await expect(h.bannerLayer(page)).toBeHidden();
    await page.waitForTimeout(SETTLE_MS);

    expect(vendor.requests, 'no vendor request (G-05, P-01)').toEqual([]);
    expect(await h.vendorElements(page), 'no gtag.js or pixel element').toEqual([]);
    const dl = await h.dataLayer(page);
    const consent = h.consentEntries(dl);
    expect(consent[0][1]).toBe('default');
    // Only the default, or (docs/internals.md: one update per decision, G-08) one all-denied update.
    for (const e of consent.slice(1)) {
      expect(e[1]).toBe('update');
      h.expectAllKeys(e[2], h.consentFor([]));
    }
    expect(consent.length).toBeLessThanOrEqual(2);
    expect(dl.filter((e) => e[0] === 'js' || e[0] === 'config' || e[0] === 'event')).toEqual([]);
    expect(await h.gatedState(page)).toEqual({ heatmap: 0, inlineMarketing: 0, iframeSrc: '' });

    const rec = await h.consentCookie(context);
    expect(rec && rec.valid, `format 1 cookie: ${rec && rec.raw}`).toBe(true);
    expect(rec.method).toBe('r');
    expect(rec.granted).toEqual([]);
    expect(rec.denied).toEqual(['analytics', 'functional', 'marketing']);

    // The site still works (C-11), and the refusal is remembered (C-22).
    await page.locator('nav a[href="/tweede.html"]').click();
    await expect(page).toHaveURL(/tweede\.html$/);
    await h.expectNoBanner(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(vendor.requests).toEqual([]);
    expect(await h.gatedState(page)).toEqual({ heatmap: 0, inlineMarketing: 0, iframeSrc: '' });
    expect(await h.vendorCookies(context)).toEqual([]);
  });

  test('preferences: all off at first open, necessary locked; marketing only loads Meta, not GA4 (C-13, C-14, C-16, C-17)', async ({ page, context, vendor }) => {
    await page.goto('/');
    await h.expectBannerShown(page);
    await h.action(h.bannerLayer(page), 'preferences').click();
    const prefs = h.prefsLayer(page);
    await expect(prefs).toBeVisible();
    for (const p of h.PURPOSES) await expect(h.toggle(page, p), `${p} off at first open (C-13)`).not.toBeChecked();
    await expect(h.toggle(page, 'necessary'), 'necessary shown on (C-14)').toBeChecked();
    await expect(h.toggle(page, 'necessary'), 'necessary locked (C-14)').toBeDisabled();
    for (const name of ['save', 'reject-all', 'accept-all']) {
      await expect(h.action(prefs, name), `${name} on the second layer (C-16)`).toBeVisible();
    }
    await expect(prefs, 'per-service details from the registry (C-17)').toContainText(/Meta/);
    await expect(prefs).toContainText(/Google Analytics/);

    await h.toggle(page, 'marketing').check();
    await h.action(prefs, 'save').click();
    await waitForMetaPageView(page);
    await page.waitForTimeout(SETTLE_MS);

    expect(h.fbeventsRequests(vendor)).toHaveLength(1);
    expect(h.gtagRequests(vendor), 'no gtag.js without analytics').toHaveLength(0);
    expectMetaConsentOrder(await h.fbCalls(page));
    const gated = await h.gatedState(page);
    expect(gated.heatmap, 'analytics script stays inert').toBe(0);
    expect(gated.inlineMarketing).toBe(1);
    expect(gated.iframeSrc).toMatch(/\/embed\.html$/);
    const updates = h.consentEntries(await h.dataLayer(page)).filter((e) => e[1] === 'update');
    expect(updates).toHaveLength(1);
    h.expectAllKeys(updates[0][2], h.consentFor(['marketing']));

    const rec = await h.consentCookie(context);
    expect(rec && rec.valid).toBe(true);
    expect(rec.method).toBe('c');
    expect(rec.granted).toEqual(['marketing']);
    expect(rec.denied).toEqual(['analytics', 'functional']);
  });

  test('saving untouched preferences grants nothing (C-16)', async ({ page, context, vendor }) => {
    await page.goto('/');
    await h.expectBannerShown(page);
    await h.action(h.bannerLayer(page), 'preferences').click();
    await expect(h.prefsLayer(page)).toBeVisible();
    await h.action(h.prefsLayer(page), 'save').click();
    await expect(h.prefsLayer(page)).toBeHidden();
    await page.waitForTimeout(SETTLE_MS);
    expect(vendor.requests).toEqual([]);
    const rec = await h.consentCookie(context);
    expect(rec && rec.valid).toBe(true);
    expect(rec.granted).toEqual([]);
    expect(rec.denied).toEqual(['analytics', 'functional', 'marketing']);
  });
});

test.describe('returning visitor', () => {
  test('accepted earlier: no banner, default then update before gtag.js, Meta revoke→init→grant again (G-06, P-03)', async ({ page, vendor }) => {
    await page.goto('/');
    await acceptAll(page);
    await waitForMetaPageView(page);
    await waitForGtag(page);

    const before = vendor.requests.length;
    await page.goto('/tweede.html');
    const atDomReady = await page.evaluate(() => window.__dlAtDomReady);
    // The loader re-applies the stored choice synchronously, before the wasm is even there.
    expect(atDomReady.length).toBeGreaterThan(0);
    expect(atDomReady[0].slice(0, 2)).toEqual(['consent', 'default']);
    const syncUpdate = h.consentEntries(atDomReady).filter((e) => e[1] === 'update');
    expect(syncUpdate, 'update(stored) pushed synchronously by the loader (G-06)').toHaveLength(1);
    h.expectAllKeys(syncUpdate[0][2], h.consentFor(['functional', 'analytics', 'marketing']));

    await waitForMetaPageView(page);
    const loadedWith = await waitForGtag(page);
    expectDefaultThenUpdate(loadedWith, ['functional', 'analytics', 'marketing']);
    await h.expectNoBanner(page);
    expectMetaConsentOrder(await h.fbCalls(page));

    const now = vendor.requests.slice(before);
    expect(now.filter((r) => /fbevents\.js$/.test(r.path)), 'fbevents.js once on this page').toHaveLength(1);
    expect(now.filter((r) => r.path.startsWith('/gtag/js')), 'gtag.js once on this page').toHaveLength(1);
    const gated = await h.gatedState(page);
    expect([gated.heatmap, gated.inlineMarketing]).toEqual([1, 1]);
  });
});

test.describe('withdrawal', () => {
  test('reopen shows the stored state; unticking marketing revokes Meta, deletes _fbp, stops requests (C-18, C-19, C-21, G-07)', async ({ page, context, vendor }) => {
    await page.goto('/');
    await acceptAll(page);
    await waitForMetaPageView(page);
    await waitForGtag(page);
    await expect.poll(async () => (await context.cookies()).map((c) => c.name), { message: 'the fake pixel set _fbp' }).toContain('_fbp');
    const first = await h.consentCookie(context);

    await page.locator('footer [data-akkoord-open]').click();
    const prefs = h.prefsLayer(page);
    await expect(prefs).toBeVisible();
    for (const p of h.PURPOSES) await expect(h.toggle(page, p), `${p} shows the stored "on" (C-19)`).toBeChecked();

    await h.toggle(page, 'marketing').uncheck();
    const savedAt = Date.now();
    await h.action(prefs, 'save').click();

    // Read from the test's side: the banner may also reload the page after withdrawing.
    const callsSince = (t) => vendor.fbCalls.filter((c) => c.at >= t).map((c) => c.args);
    await expect.poll(() => h.callIndex(callsSince(savedAt), ['consent', 'revoke']), {
      message: 'fbq("consent","revoke") is called on withdrawal (C-21 i)',
    }).toBeGreaterThanOrEqual(0);
    await expect.poll(async () => (await context.cookies()).map((c) => c.name), { message: '_fbp deleted (C-21 ii)' }).not.toContain('_fbp');
    expect(h.callIndex(callsSince(savedAt), ['track']), 'nothing tracked after withdrawal').toBe(-1);

    await settle(page);
    await expect(prefs).toBeHidden();
    // Even if the page itself calls the pixel now, nothing may reach Meta (C-21 iii).
    await page.evaluate(() => { if (typeof window.fbq === 'function') window.fbq('track', 'Lead'); });
    await page.waitForTimeout(SETTLE_MS);
    expect(h.facebookRequests(vendor).filter((r) => r.at >= savedAt), 'no facebook request after withdrawal').toEqual([]);

    const updates = h.consentEntries(await h.dataLayer(page)).filter((e) => e[1] === 'update');
    h.expectAllKeys(updates[updates.length - 1][2], h.consentFor(['functional', 'analytics']));

    const rec = await h.consentCookie(context);
    expect(rec.method).toBe('c');
    expect(rec.granted).toEqual(['analytics', 'functional']);
    expect(rec.denied).toEqual(['marketing']);
    expect(rec.id, 'a new decision has a new consent id').not.toBe(first.id);

    // Next page: analytics still runs, Meta is never injected.
    const before = vendor.requests.length;
    await page.goto('/tweede.html');
    await waitForGtag(page);
    await page.waitForTimeout(SETTLE_MS);
    const now = vendor.requests.slice(before);
    expect(now.filter((r) => /facebook/.test(r.host))).toEqual([]);
    expect(await page.evaluate(() => window.__inlineMarketingRan || 0)).toBe(0);
  });

  test('withdrawing a purpose reloads when markup gated by one of its services had run (C-21 iii)', async ({ page }) => {
    await page.goto('/tweede.html');
    await acceptAll(page);
    await expect.poll(() => page.evaluate(() => window.__ga4MarkupRan || 0), { message: 'the ga4-gated script ran' }).toBe(1);
    await page.evaluate(() => { window.__samePage = true; });
    await page.locator('footer [data-akkoord-open]').click();
    await expect(h.prefsLayer(page)).toBeVisible();
    await h.toggle(page, 'analytics').uncheck();
    const reloaded = page.waitForEvent('load');
    await h.action(h.prefsLayer(page), 'save').click();
    await reloaded;
    await h.waitReady(page);
    expect(await page.evaluate(() => window.__samePage === true), 'the page was reloaded').toBe(false);
    await page.waitForTimeout(SETTLE_MS);
    expect(await page.evaluate(() => window.__ga4MarkupRan || 0), 'the ga4-gated script does not run again').toBe(0);
  });

  test('withdrawing everything takes two clicks and deletes _ga and _fbp (C-20, C-21, G-07)', async ({ page, context }) => {
    await page.goto('/');
    await acceptAll(page);
    await waitForMetaPageView(page);
    await waitForGtag(page);
    await expect.poll(async () => (await h.vendorCookies(context)).sort()).toEqual(expect.arrayContaining(['_fbp', '_ga']));

    await page.locator('footer [data-akkoord-open]').click();
    await expect(h.prefsLayer(page)).toBeVisible();
    await h.action(h.prefsLayer(page), 'reject-all').click();

    await expect.poll(() => h.vendorCookies(context), { message: 'vendor cookies deleted' }).toEqual([]);
    await settle(page);
    const updates = h.consentEntries(await h.dataLayer(page)).filter((e) => e[1] === 'update');
    h.expectAllKeys(updates[updates.length - 1][2], h.consentFor([]));
    const rec = await h.consentCookie(context);
    expect(rec.method).toBe('r');
    expect(rec.granted).toEqual([]);
  });
});

test.describe('records', () => {
  test('a revision bump asks again and loads nothing until then (C-22)', async ({ page, context, vendor }) => {
    await page.goto('/');
    await acceptAll(page);
    await waitForMetaPageView(page);

    // The record now predates the config's revision, for the server as for the browser: the
    // same as the site owner raising the revision (the server reads the config the browser
    // gets, and preloads no vendor for an outdated record).
    const { revision } = await (await page.request.get('/akkoord.json')).json();
    const stored = (await context.cookies()).find((c) => c.name === 'akkoord');
    expect(stored.value.startsWith(`1.${revision}.`)).toBe(true);
    await context.addCookies([{ ...stored, value: stored.value.replace(`1.${revision}.`, `1.${revision - 1}.`) }]);
    const before = vendor.requests.length;
    await page.goto('/tweede.html');
    await h.expectBannerShown(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(vendor.requests.slice(before), 'nothing loads under a stale record').toEqual([]);
    const consent = h.consentEntries(await h.dataLayer(page));
    h.expectAllKeys(consent[consent.length - 1][2], h.consentFor([]));
    expect(await h.gatedState(page)).toEqual({ heatmap: 0, inlineMarketing: 0, iframeSrc: '' });

    await h.action(h.bannerLayer(page), 'reject-all').click();
    await expect.poll(async () => (await h.consentCookie(context)).revision).toBe(revision);
  });

  test('a corrupt consent cookie shows the banner without an error (C-22)', async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: 'akkoord', value: 'garbage', url: baseURL }]);
    await page.goto('/');
    await h.expectBannerShown(page);
    const consent = h.consentEntries(await h.dataLayer(page));
    expect(consent.filter((e) => e[1] === 'update'), 'an unreadable cookie restores nothing').toEqual([]);
    await expect(page.locator('h1')).toBeVisible();
    await h.action(h.bannerLayer(page), 'reject-all').click();
    await expect.poll(async () => (await h.consentCookie(context)).valid).toBe(true);
  });

  test('a broken config fails closed: one console error, no banner, nothing runs, page works', async ({ page, vendor, errors }) => {
    errors.expect(/akkoord/i);
    await page.goto('/kapot.html');
    await expect.poll(() => errors.console.length, { message: 'a console error is logged' }).toBeGreaterThan(0);
    await expect.poll(() => page.evaluate(() => window.akkoord.accepted('marketing'))).toBe(false);
    await page.waitForTimeout(SETTLE_MS);
    expect(errors.console, 'exactly one console error').toHaveLength(1);
    expect(errors.console[0]).toMatch(/akkoord/i);
    await expect(h.bannerLayer(page)).toHaveCount(0);
    expect(vendor.requests).toEqual([]);
    expect(await h.gatedState(page)).toEqual({ heatmap: 0, inlineMarketing: 0, iframeSrc: '' });
    // The reopen link does nothing harmful and the page keeps working.
    await page.locator('footer [data-akkoord-open]').click();
    await expect(h.prefsLayer(page)).toHaveCount(0);
    await page.locator('nav a[href="/privacy.html"]').click();
    await expect(page.locator('h1')).toHaveText('Privacyverklaring');
  });

  test('a broken config after an earlier accept takes the stored grant back from Consent Mode (fail closed, G-06)', async ({ page, vendor, errors }) => {
    await page.goto('/');
    await acceptAll(page);
    await waitForMetaPageView(page);
    await settle(page); // the first page's own vendor requests (gtag.js may come later) are not counted below
    errors.expect(/akkoord/i);
    const before = vendor.requests.length;
    await page.goto('/kapot.html');
    await expect.poll(() => errors.console.length, { message: 'a console error is logged' }).toBeGreaterThan(0);
    await expect.poll(async () => h.consentEntries(await h.dataLayer(page)).filter((e) => e[1] === 'update').length,
      { message: 'the loader re-applied the grant, then it was taken back' }).toBe(2);
    const updates = h.consentEntries(await h.dataLayer(page)).filter((e) => e[1] === 'update');
    h.expectAllKeys(updates[0][2], h.consentFor(['analytics', 'marketing', 'functional']));
    h.expectAllKeys(updates[1][2], h.consentFor([]));
    await page.waitForTimeout(SETTLE_MS);
    expect(vendor.requests.slice(before), 'no vendor request under a broken config').toEqual([]);
  });

  test('the wasm failing to load takes the stored grant back from Consent Mode (fail closed, G-06)', async ({ page, vendor, errors }) => {
    await page.goto('/');
    await acceptAll(page);
    await waitForMetaPageView(page);
    await settle(page); // the first page's own vendor requests (gtag.js may come later) are not counted below
    errors.expect(/akkoord|akkoord-full\.wasm|404/i);
    // A returning visitor's module is the full one (the first visit's is never asked for).
    await page.route('**/akkoord-full.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
    const before = vendor.requests.length;
    const response = await page.goto('/tweede.html');
    await expect.poll(async () => h.consentEntries(await h.dataLayer(page)).filter((e) => e[1] === 'update').length,
      { message: 'the loader re-applied the grant, then took it back' }).toBe(2);
    const updates = h.consentEntries(await h.dataLayer(page)).filter((e) => e[1] === 'update');
    h.expectAllKeys(updates[1][2], h.consentFor([]));
    expect(await page.evaluate(() => window.akkoord.accepted('marketing'))).toBe(false);
    await page.waitForTimeout(SETTLE_MS);
    // The server read the stored grant and preloaded the granted vendors' scripts with the page
    // (server/src/vendor_preload.rs): those downloads are the only vendor requests, and
    // nothing of them runs without the module.
    const preloaded = [...response.headers().link.matchAll(/<(https:[^>]+)>; rel=preload; as=script/g)].map((m) => m[1]);
    expect(preloaded.length, 'the stored choice grants GA4 and the pixel').toBe(2);
    expect(vendor.requests.slice(before).filter((r) => !preloaded.includes(r.url)), 'no other vendor request without the wasm').toEqual([]);
    expect(await page.evaluate(() => [typeof window.fbq, typeof window.__gtagLoadedWith, typeof window.__fbCalls]), 'no vendor script ran').toEqual(['undefined', 'undefined', 'undefined']);
    expect(await h.gatedState(page)).toEqual({ heatmap: 0, inlineMarketing: 0, iframeSrc: '' });
  });
});

test.describe('embeds', () => {
  test('a YouTube embed is a placeholder until "always allow YouTube", which is stored, signed and loads it (C-01, C-23)', async ({ page, context }) => {
    await page.goto('/video.html');
    await h.expectBannerShown(page);
    const frame = page.locator('iframe[data-akkoord="youtube"]');
    await expect(frame, 'the iframe is hidden and has no src before consent (C-01)').toBeHidden();
    expect(await frame.getAttribute('src')).toBeNull();
    const allow = page.locator('[data-akkoord-action="allow-service"][data-akkoord-service="youtube"]');
    await expect(allow).toBeVisible();
    await expect(allow).toContainText('Google Ireland Limited');

    const posted = page.waitForResponse((r) => new URL(r.url()).pathname === '/akkoord/receipts' && r.request().method() === 'POST');
    await allow.click();
    await expect(frame).toBeVisible();
    await expect(page.frameLocator('iframe[data-akkoord="youtube"]').locator('body[data-embed="geladen"]')).toHaveCount(1);
    expect(await page.evaluate(() => window.akkoord.acceptedService('youtube'))).toBe(true);
    expect(await page.evaluate(() => window.akkoord.accepted('marketing')), 'only the service, not its purpose').toBe(false);
    expect(await page.evaluate(() => window.akkoord.consent().services.youtube)).toBe(true);

    const response = await posted;
    const sent = JSON.parse(response.request().postData());
    expect(sent.services, 'the receipt names the service decided on its own (C-23)').toEqual({ youtube: true });
    expect(sent.purposes.marketing).toBe(false);
    expect(response.status()).toBe(201);
    const record = (await context.cookies()).find((c) => c.name === 'akkoord_video');
    expect(record && record.value, 'the service is stored in the cookie').toMatch(/\.youtube\.marketing$/);

    // Next visit: the video loads at once, no placeholder.
    await page.reload();
    await h.waitReady(page);
    await expect(page.frameLocator('iframe[data-akkoord="youtube"]').locator('body[data-embed="geladen"]')).toHaveCount(1);
  });
});

test.describe('signals', () => {
  test('GPC: banner says so, marketing preset denied, explicit opt-in is stored (S-01, S-02, C-26)', async ({ page, context }) => {
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
    });
    await page.goto('/');
    expect(await page.evaluate(() => navigator.globalPrivacyControl)).toBe(true);
    await h.expectBannerShown(page);
    await expect(h.bannerLayer(page), 'the banner says GPC was detected (S-01)').toContainText(/GPC|Global Privacy Control/i);
    await h.action(h.bannerLayer(page), 'preferences').click();
    await expect(h.prefsLayer(page)).toBeVisible();
    await expect(h.toggle(page, 'marketing'), 'marketing preset denied').not.toBeChecked();
    expect(await page.evaluate(() => window.akkoord.accepted('marketing'))).toBe(false);

    await h.toggle(page, 'marketing').check();
    await h.action(h.prefsLayer(page), 'save').click();
    await waitForMetaPageView(page);
    const rec = await h.consentCookie(context);
    expect(rec && rec.valid).toBe(true);
    expect(rec.granted, 'explicit opt-in overrides GPC (S-02)').toContain('marketing');
    expect(['c', 'a'], `method ${rec.method} records an explicit choice`).toContain(rec.method);
  });
});

test.describe('accessibility', () => {
  test('keyboard only: Tab reaches the buttons, Enter rejects, preferences trap focus and Escape closes them (C-12)', async ({ page, context }) => {
    await page.goto('/');
    await h.expectBannerShown(page);
    await expect.poll(async () => (await h.deepFocus(page) || {}).action, { message: 'focus moves into the banner, to its first button' })
      .toBe('accept-all');
    expect((await h.deepFocus(page)).layer).toBe('banner');

    let focus = null;
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      focus = await h.deepFocus(page);
      if (focus && focus.action === 'reject-all') break;
    }
    expect(focus && focus.action, 'Tab reaches "reject all"').toBe('reject-all');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await h.consentCookie(context) || {}).method, { message: 'Enter on "reject all" decides' }).toBe('r');
    await expect(h.bannerLayer(page)).toBeHidden();
    const decided = await h.consentCookie(context);

    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      focus = await h.deepFocus(page);
      if (focus && focus.open && focus.inFooter) break;
    }
    expect(focus && focus.open, 'Tab reaches the footer reopen link').toBe(true);
    await page.keyboard.press('Enter');
    await expect(h.prefsLayer(page)).toBeVisible();
    await expect.poll(async () => (await h.deepFocus(page) || {}).layer, { message: 'focus moves into the dialog' }).toBe('preferences');

    for (let i = 0; i < 25; i++) {
      await page.keyboard.press(i % 5 === 4 ? 'Shift+Tab' : 'Tab');
      focus = await h.deepFocus(page);
      expect(focus && focus.layer, `focus stays in the preferences dialog (press ${i + 1})`).toBe('preferences');
    }

    await page.keyboard.press('Escape');
    await expect(h.prefsLayer(page)).toBeHidden();
    const after = await h.consentCookie(context);
    expect(after.raw, 'Escape decides nothing').toBe(decided.raw);
  });
});

test.describe('pages', () => {
  test('the preloaded wasm and config are each requested once (the preloads are used)', async ({ page }) => {
    const seen = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path === '/akkoord/akkoord.wasm' || path === '/akkoord.json') seen.push(path);
    });
    const warnings = [];
    page.on('console', (m) => { if (/preload/i.test(m.text())) warnings.push(m.text()); });
    await page.goto('/');
    await h.expectBannerShown(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(seen.sort(), 'one request each: the loader reused the preloads').toEqual(['/akkoord.json', '/akkoord/akkoord.wasm']);
    expect(warnings, 'no "preloaded but not used" or credentials-mode warning').toEqual([]);
  });

  test('akkoord serve preloads for a page without preload tags: the wasm is requested before akkoord.js', async ({ page }) => {
    const order = [];
    page.on('request', (r) => order.push(new URL(r.url()).pathname));
    const response = await page.goto('/video.html'); // inline config, no preload tags
    expect(response.headers().link, 'the Link header names the wasm').toContain('</akkoord/akkoord.wasm>; rel=preload; as=fetch; crossorigin');
    await h.expectBannerShown(page);
    await page.waitForTimeout(SETTLE_MS);
    const wasm = order.filter((p) => p === '/akkoord/akkoord.wasm');
    expect(wasm, 'one request: the loader reused the preload').toHaveLength(1);
    expect(order.indexOf('/akkoord/akkoord.wasm'), `started with the page's headers: ${order.join(' ')}`)
      .toBeLessThan(order.indexOf('/akkoord/akkoord.js'));
  });

  test('inline config: no config request, banner works', async ({ page, vendor }) => {
    await page.goto('/inline.html');
    await acceptAll(page);
    await waitForMetaPageView(page);
    expect(vendor.local.filter((p) => p.startsWith('/akkoord.json')), 'config read from the page').toEqual([]);
  });

  test('English page shows English texts (C-12)', async ({ page }) => {
    await page.goto('/en.html');
    await h.expectBannerShown(page);
    const banner = h.bannerLayer(page);
    await expect(h.action(banner, 'accept-all')).toHaveText(/accept/i);
    await expect(h.action(banner, 'reject-all')).toHaveText(/reject|decline|refuse/i);
    await expect(banner).not.toContainText(/weigeren|accepteren|instellingen/i);
  });

  test('the statement renderer is its own module: fetched only where the statement is shown, once, preloaded (C-25)', async ({ page }) => {
    const seen = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/akkoord/akkoord-statement.')) seen.push(path);
    });
    const warnings = [];
    page.on('console', (m) => { if (/preload/i.test(m.text())) warnings.push(m.text()); });
    await page.goto('/');
    await h.expectBannerShown(page);
    await page.goto('/tweede.html');
    await h.expectBannerShown(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(seen, 'a page without [data-akkoord-statement] does not fetch the renderer').toEqual([]);

    const response = await page.goto('/cookies.html');
    expect(response.headers().link, 'akkoord serve preloads the renderer on a statement page')
      .toContain('</akkoord/akkoord-statement.wasm>; rel=preload; as=fetch; crossorigin');
    await expect(page.locator('[data-akkoord-statement]')).toContainText('_fbp');
    await page.waitForTimeout(SETTLE_MS);
    expect(seen.sort(), 'one request each: the preload was used').toEqual(['/akkoord/akkoord-statement.js', '/akkoord/akkoord-statement.wasm']);
    expect(warnings, 'no "preloaded but not used" or credentials-mode warning').toEqual([]);
    // typeof also sees a script's top-level `let`, which is global without being on window.
    expect(await page.evaluate(() => [typeof akkoordStatement, typeof akkoordWasm]), 'the glue left no page global')
      .toEqual(['undefined', 'undefined']);
  });

  test('the statement renderer failing to load: one console error naming it, the banner and the page keep working', async ({ page, context, errors }) => {
    errors.expect(/akkoord-statement|404/);
    await page.route('**/akkoord/akkoord-statement.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto('/cookies.html');
    await h.expectBannerShown(page);
    await expect.poll(() => errors.console.filter((t) => /cookie statement not rendered/.test(t)).length,
      { message: 'the loader says what failed' }).toBe(1);
    expect(errors.console.find((t) => /cookie statement not rendered/.test(t)), 'the error names the file that failed')
      .toMatch(/could not load \S*\/akkoord\/akkoord-statement\.wasm/);
    await expect(page.locator('[data-akkoord-statement]')).toBeEmpty();
    await h.action(h.bannerLayer(page), 'reject-all').click();
    await expect.poll(async () => (await h.consentCookie(context) || {}).method).toBe('r');
    await page.locator('main [data-akkoord-open]').click();
    await expect(h.prefsLayer(page)).toBeVisible();
  });

  test('the cookie statement lists the services and their cookies (C-17, C-25)', async ({ page }) => {
    await page.goto('/cookies.html');
    const statement = page.locator('[data-akkoord-statement]');
    await expect(statement).toContainText('_fbp');
    await expect(statement).toContainText('_ga');
    await expect(statement).toContainText(/Meta/);
    await expect(statement).toContainText(/Google/);
  });

  test('API calls made before the wasm is ready are queued and replayed', async ({ page, context, baseURL }) => {
    await page.route('**/wachtrij.html', (route) => route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="nl"><head><meta charset="utf-8">
<script src="/akkoord/akkoord.js" data-config="/akkoord.json"></script>
<script>window.akkoord.acceptAll();</script>
<link rel="icon" href="data:,"><title>Wachtrij</title></head>
<body><h1>Wachtrij</h1>
<script type="text/plain" data-akkoord="analytics" src="/js/heatmap.js"></script>
</body></html>`,
    }));
    await page.goto(`${baseURL}/wachtrij.html`);
    await waitForMetaPageView(page);
    await expect.poll(async () => (await h.consentCookie(context) || {}).method).toBe('a');
    await expect.poll(() => page.evaluate(() => window.__heatmapRan || 0)).toBe(1);
    await h.expectNoBanner(page);
  });
});

// What moved in the page's layout shifts, from its start: the id (or tag) of each element that
// moved, or null for one the browser does not name (inside a shadow root). The demo page's
// own status line moves when the module reports; `bannerMoves` leaves that out.
function recordMoves(page) {
  return page.addInitScript(() => {
    window.__moved = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => e.sources.forEach((s) => {
      window.__moved.push(s.node ? s.node.id || s.node.nodeName : null);
    }))).observe({ type: 'layout-shift', buffered: true });
  });
}
async function bannerMoves(page) {
  const moved = await page.evaluate(() => window.__moved);
  return moved.filter((id) => id === null || /akkoord/i.test(id));
}

// A route that holds `file` until the returned function is called.
async function hold(page, file) {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(`**/${file}`, async (route) => { await held; await route.continue(); });
  return release;
}

// The wasm and glue requests of a page, and the browser's warnings about its preloads.
function watchModules(page) {
  const seen = { requests: [], warnings: [] };
  page.on('request', (r) => {
    const p = new URL(r.url()).pathname;
    if (/^\/akkoord\/akkoord(-full)?\.(js|wasm)$/.test(p) && p !== '/akkoord/akkoord.js') seen.requests.push(p);
  });
  page.on('console', (m) => { if (/preload/i.test(m.text())) seen.warnings.push(m.text()); });
  return seen;
}

// The repository, and the banner build under test.
const REPO = path.resolve(__dirname, '..', '..');
const ASSETS = process.env.AKKOORD_E2E_ASSETS || path.join(REPO, 'dist');

// The `akkoord` command's standard output for `args`.
function akkoordCli(args) {
  const bin = process.env.AKKOORD_BIN || path.join(REPO, 'target', 'debug', 'akkoord');
  return execFileSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

// `akkoord serve` puts the banner into the HTML of a visitor who has to be asked (server/src/
// prerender.rs), so it is in the page's first paint; the module takes it over when it boots.
test.describe('banner in the first paint', () => {
  const hosts = (page) => page.evaluate(() => document.querySelectorAll('#akkoord').length);

  test('the banner is in the HTML and clickable before the module loads; the click applies once it has (C-01, C-05)', async ({ page, context, vendor }) => {
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route('**/akkoord.wasm', async (route) => { await held; await route.continue(); });
    const response = await page.goto('/', { waitUntil: 'domcontentloaded' });
    expect(await response.text(), 'the server rendered the banner').toContain('data-akkoord-markup=');
    await h.expectBannerShown(page);
    await h.action(h.bannerLayer(page), 'accept-all').click();
    await page.waitForTimeout(SETTLE_MS);
    expect(vendor.requests, 'nothing loads while the module is held back').toEqual([]);
    expect(await h.consentCookie(context), 'nothing is stored before the module decided').toBeFalsy();
    release();
    await waitForMetaPageView(page);
    await expect.poll(async () => (await h.consentCookie(context) || {}).method).toBe('a');
    await h.expectNoBanner(page);
  });

  // On a slow network, or for a page longer than the first round trip, the HTML arrives in
  // pieces and the browser paints what it has. Half a banner (its text without its buttons)
  // would be on screen, and then grow upwards: a layout shift, and a banner that cannot be
  // refused (C-05) for as long as the rest takes.
  test('HTML that arrives in pieces: no half banner on screen, no layout shift, the module still takes it over (C-05)', async ({ page, baseURL }) => {
    const html = await (await page.request.get(`${baseURL}/`, { headers: { 'Accept-Language': 'nl' } })).text();
    const cut = html.indexOf('data-akkoord-action="accept-all"');
    expect(cut, 'the server rendered the banner with its buttons').toBeGreaterThan(html.indexOf('data-akkoord-markup='));
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    const server = http.createServer(async (req, res) => {
      if (req.url === '/') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.write(html.slice(0, cut));
        await held;
        res.end(html.slice(cut));
        return;
      }
      const upstream = await fetch(baseURL + req.url);
      res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') || 'application/octet-stream' });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await recordMoves(page);
      await page.goto(`http://127.0.0.1:${server.address().port}/`, { waitUntil: 'commit' });
      const banner = () => page.evaluate(() => {
        const root = document.getElementById('akkoord') && document.getElementById('akkoord').shadowRoot;
        const b = root && root.querySelector('.ak-banner');
        return b && { text: !!b.querySelector('.ak-text'), buttons: b.querySelectorAll('button').length, visibility: getComputedStyle(b).visibility };
      });
      await expect.poll(async () => (await banner() || {}).text, { message: 'the first piece is parsed' }).toBe(true);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      expect(await banner()).toEqual({ text: true, buttons: 0, visibility: 'hidden' });
      release();
      await h.expectBannerShown(page);
      await h.waitReady(page);
      await expect.poll(() => page.evaluate(() => !document.getElementById('akkoord').hasAttribute('data-akkoord-markup')),
        { message: 'the module took the banner over' }).toBe(true);
      expect(await bannerMoves(page), 'layout shifts of the banner').toEqual([]);
    } finally {
      release();
      server.close();
    }
  });

  test('without JavaScript the server\'s banner is not shown: its buttons could do nothing', async ({ browser, baseURL }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'nl-NL' });
    try {
      await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
      const page = await context.newPage();
      const response = await page.goto(`${baseURL}/`);
      const html = await response.text();
      expect(html, 'the server rendered the banner').toContain('data-akkoord-markup=');
      expect(html, 'and kept it out of search snippets').toMatch(/<div id="akkoord" data-akkoord-markup="[0-9a-f]{8}" data-nosnippet>/);
      await expect(page.locator('#akkoord')).toHaveCount(1);
      await expect(h.bannerLayer(page)).toBeHidden();
      await expect(page.locator('h1').first()).toBeVisible();
    } finally {
      await context.close();
    }
  });

  test('the module takes the banner over: one host, no marker, focus on its first button (C-12)', async ({ page }) => {
    await page.goto('/');
    await h.waitReady(page);
    await expect.poll(() => page.evaluate(() => {
      const host = document.getElementById('akkoord');
      return host && !host.hasAttribute('data-akkoord-markup') && host.shadowRoot.activeElement &&
        host.shadowRoot.activeElement.getAttribute('data-akkoord-action');
    })).toBe('accept-all');
    expect(await hosts(page)).toBe(1);
    await h.action(h.bannerLayer(page), 'preferences').click();
    await expect(h.prefsLayer(page)).toBeVisible();
    await expect(h.toggle(page, 'marketing')).not.toBeChecked();
  });

  test('Sec-GPC: the server says so in the banner it renders, and the module keeps that very banner (S-01, S-04)', async ({ page, context }) => {
    await context.setExtraHTTPHeaders({ 'Sec-GPC': '1' });
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
    });
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route('**/akkoord.wasm', async (route) => { await held; await route.continue(); });
    const response = await page.goto('/', { waitUntil: 'domcontentloaded' });
    expect(await response.text(), 'the server rendered the GPC notice').toContain('data-akkoord-gpc');
    await expect(h.bannerLayer(page), 'said before the module runs').toContainText(/GPC|Global Privacy Control/i);
    // Tag the server's element: a module that rebuilt the banner would lose the tag.
    await page.evaluate(() => { document.getElementById('akkoord').shadowRoot.querySelector('[data-akkoord-gpc]').__fromServer = true; });
    release();
    await h.waitReady(page);
    await expect.poll(() => page.evaluate(() => !document.getElementById('akkoord').hasAttribute('data-akkoord-markup')),
      { message: 'the module took the banner over' }).toBe(true);
    expect(await page.evaluate(() => document.getElementById('akkoord').shadowRoot.querySelector('[data-akkoord-gpc]').__fromServer),
      'same config, language and GPC state: the server\'s banner is kept, not rebuilt').toBe(true);
  });

  test('a server banner that differs from what the module would show is rebuilt from the module\'s config', async ({ page }) => {
    await page.route('**/akkoord.json', async (route) => {
      const config = JSON.parse((await (await route.fetch()).text()));
      config.controller = 'Ander B.V.';
      await route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) });
    });
    await page.goto('/');
    await h.waitReady(page);
    await expect(h.bannerLayer(page)).toContainText('Ander B.V.');
    expect(await hosts(page)).toBe(1);
  });

  test('in a hidden tab, where no frame is painted, the module boots without waiting for one', async ({ page, context }) => {
    await context.addInitScript(() => {
      Object.defineProperty(Document.prototype, 'hidden', { get: () => true, configurable: true });
      window.requestAnimationFrame = () => 0; // a background tab runs no animation frames
    });
    await page.goto('/');
    await h.waitReady(page);
    expect(await page.evaluate(() => document.getElementById('akkoord').hasAttribute('data-akkoord-markup')),
      'the module took the banner over').toBe(false);
  });

  test('a visitor with a valid choice gets the page without a banner in it (C-22)', async ({ page }) => {
    await page.goto('/');
    await rejectAll(page);
    const response = await page.goto('/tweede.html');
    expect(await response.text()).not.toContain('data-akkoord-markup');
    await h.expectNoBanner(page);
    expect(await hosts(page)).toBe(0);
  });

  test('the module failing to load removes the server-rendered banner: one console error, nothing runs', async ({ page, vendor, errors }) => {
    errors.expect(/akkoord\.wasm|404/i);
    await page.route('**/akkoord.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto('/');
    await expect.poll(() => hosts(page), { message: 'no dead banner is left' }).toBe(0);
    await page.waitForTimeout(SETTLE_MS);
    expect(vendor.requests).toEqual([]);
  });
});

// `akkoord prerender --static` (server/src/prerender.rs, insert_static): one page for every
// visitor, for a host that cannot look at cookies. The banner is in the HTML for everyone; an
// inline script keeps it out of the first paint of a visitor with a stored choice.
test.describe('banner in a static page', () => {
  let staticPage;
  let withoutLang;
  test.beforeAll(() => {
    const prerender = (file) => akkoordCli(['prerender', '--static', file,
      '--config', path.join(REPO, 'www', 'demo', 'akkoord.json'), '--css', path.join(ASSETS, 'akkoord.css')]);
    const index = path.join(REPO, 'www', 'demo', 'index.html');
    staticPage = prerender(index);
    // The same page without <html lang>: the banner's language is the config's first, nl.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'akkoord-static-'));
    const bare = path.join(dir, 'index.html');
    fs.writeFileSync(bare, fs.readFileSync(index, 'utf8').replace('<html lang="nl">', '<html>'));
    withoutLang = prerender(bare);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const serveStatic = (page, body = staticPage) => page.route('**/statisch.html', (route) => route.fulfill({
    contentType: 'text/html; charset=utf-8', body,
  }));
  const hostState = (page) => page.evaluate(() => {
    const host = document.getElementById('akkoord');
    return host && { marker: host.hasAttribute('data-akkoord-markup'), display: getComputedStyle(host).display };
  });

  test('a first-time visitor sees the banner before the module loads, and the module takes it over (C-01)', async ({ page, vendor }) => {
    await serveStatic(page);
    const release = await hold(page, 'akkoord.wasm');
    await page.goto('/statisch.html', { waitUntil: 'domcontentloaded' });
    await h.expectBannerShown(page);
    expect(await hostState(page)).toEqual({ marker: true, display: 'inline' });
    await page.waitForTimeout(SETTLE_MS);
    expect(vendor.requests).toEqual([]);
    release();
    await h.waitReady(page);
    await expect.poll(() => hostState(page)).toEqual({ marker: false, display: 'inline' });
    await h.expectBannerShown(page);
  });

  test('a first-time visitor\'s page preloads the first visit\'s module, and uses the preload', async ({ page }) => {
    await serveStatic(page);
    const seen = watchModules(page);
    await page.goto('/statisch.html');
    await h.waitReady(page);
    expect(await page.evaluate(() => [...document.querySelectorAll('link[rel=preload][href*="/akkoord/"]')].map((l) => [l.getAttribute('href'), l.as, l.crossOrigin])))
      .toEqual([['/akkoord/akkoord.wasm', 'fetch', 'anonymous']]);
    await page.waitForTimeout(SETTLE_MS);
    expect(seen.requests, 'once: the preload was used').toEqual(['/akkoord/akkoord.wasm']);
    expect(seen.warnings).toEqual([]);
  });

  test('a visitor with a stored choice never has the banner painted; the full module and the pixel are preloaded, the banner removed and the pixel loads', async ({ page, context, vendor }) => {
    await page.goto('/');
    await acceptAll(page);
    await waitForMetaPageView(page);
    await settle(page);
    await serveStatic(page);
    await recordMoves(page);
    const seen = watchModules(page);
    const release = await hold(page, 'akkoord-full.wasm');
    const fbBefore = h.fbeventsRequests(vendor).length;
    await page.goto('/statisch.html', { waitUntil: 'domcontentloaded' });
    expect(await hostState(page), 'in the page, out of the paint').toEqual({ marker: true, display: 'none' });
    await expect(h.bannerLayer(page)).toBeHidden();
    expect(await page.evaluate(() => [...document.querySelectorAll('link[rel=preload][href*="/akkoord/"]')].map((l) => [l.getAttribute('href'), l.as, l.crossOrigin])))
      .toEqual([['/akkoord/akkoord-full.js', 'script', null], ['/akkoord/akkoord-full.wasm', 'fetch', 'anonymous']]);
    // The page's script preloads the pixel this choice grants: it downloads while the module
    // is held, and runs only once the module has decided.
    await expect.poll(() => h.fbeventsRequests(vendor).length - fbBefore, { message: 'fbevents.js is downloading while the module is held' }).toBe(1);
    expect(await page.evaluate(() => typeof window.fbq), 'a preload runs nothing').toBe('undefined');
    release();
    await waitForMetaPageView(page);
    await expect.poll(() => hostState(page), { message: 'the module removed the banner' }).toBe(null);
    expect(await bannerMoves(page)).toEqual([]);
    expect((await h.consentCookie(context)).method).toBe('a');
    await page.waitForTimeout(SETTLE_MS);
    expect(seen.requests.sort(), 'the full module once each (the preloads were used), never the first visit\'s')
      .toEqual(['/akkoord/akkoord-full.js', '/akkoord/akkoord-full.wasm']);
    expect(seen.warnings).toEqual([]);
  });

  // The page's script picks from the table prerender wrote into it (server/src/prerender.rs,
  // vendor_script) with the visitor's record, and names a vendor script only for a record the
  // module will take as valid. Neither module ever arrives here: any vendor request is the
  // page's preload.
  test('a static page preloads the vendor scripts a valid stored grant will run, and nothing for any other record (P-01, C-01, C-22)', async ({ page, context, vendor, baseURL }) => {
    await serveStatic(page);
    await page.route(/\/akkoord\/akkoord(-full)?\.wasm$/, () => { /* never answered */ });
    const now = Math.floor(Date.now() / 1000);
    const record = (granted, denied, { revision = 1, at = now - 60, kind = 'c' } = {}) =>
      `1.${revision}.${at}.${kind}.0123456789abcdef.${granted}.${denied}`;
    const GA = `https://www.googletagmanager.com/gtag/js?id=${MEASUREMENT_ID}`;
    const FB = 'https://connect.facebook.net/en_US/fbevents.js';
    const cases = [
      [record('functional+analytics+marketing', '', { kind: 'a' }), [GA, FB], 'everything granted, in config order'],
      [record('marketing', 'functional+analytics'), [FB], 'marketing only: nothing from Google (P-01)'],
      [record('analytics', 'functional+marketing'), [GA], 'analytics only: nothing from Meta (P-01)'],
      [record('meta', 'functional+analytics+marketing'), [FB], 'the pixel granted on its own'],
      [record('', 'functional+analytics+marketing', { kind: 'r' }), [], 'everything refused (C-11)'],
      [record('functional+analytics+marketing', '', { revision: 0 }), [], 'an outdated revision (C-22)'],
      [record('functional+analytics+marketing', '', { at: now - 200 * 86400 }), [], 'expired (C-22)'],
      [record('functional+analytics+marketing', '', { at: now + 3 * 86400 }), [], 'from the future'],
      [record('marketing+marketing', ''), [], 'a name twice'],
      [record('necessary+marketing', ''), [], 'necessary stored'],
      [record('marketing', 'marketing'), [], 'granted and refused'],
      [`1.1.${now}.c.0123456789abcdef.marketing.x.y`, [], 'a field too many'],
      ['garbage', [], 'unreadable'],
    ];
    for (const [value, expected, why] of cases) {
      await context.addCookies([{ name: 'akkoord', value, url: baseURL }]);
      const before = vendor.requests.length;
      await page.goto('/statisch.html', { waitUntil: 'domcontentloaded' });
      const links = await page.evaluate(() => [...document.querySelectorAll('link[rel=preload]')]
        .filter((l) => l.href.startsWith('https:')).map((l) => [l.href, l.as, l.crossOrigin]));
      expect(links, why).toEqual(expected.map((url) => [url, 'script', null]));
      await expect.poll(() => vendor.requests.length - before, { message: why }).toBe(expected.length);
      await page.waitForTimeout(expected.length ? 0 : SETTLE_MS);
      expect(vendor.requests.slice(before).map((r) => r.url).sort(), why).toEqual([...expected].sort());
      expect(await page.evaluate(() => typeof window.fbq), `${why}: nothing ran`).toBe('undefined');
    }
  });

  test('a browser that sends GPC gets the module\'s banner, which says so, not the page\'s, which cannot (S-01, S-04)', async ({ page, context }) => {
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
    });
    await serveStatic(page);
    await recordMoves(page);
    const release = await hold(page, 'akkoord.wasm');
    await page.goto('/statisch.html', { waitUntil: 'domcontentloaded' });
    expect(await hostState(page), 'in the page, out of the paint').toEqual({ marker: true, display: 'none' });
    release();
    await h.waitReady(page);
    await expect(h.bannerLayer(page)).toContainText(/GPC|Global Privacy Control/i);
    expect(await hostState(page)).toEqual({ marker: false, display: 'inline' });
    expect(await bannerMoves(page)).toEqual([]);
  });

  test('a page without <html lang>: a Dutch browser gets the page\'s banner; an English one gets the module\'s English banner, not the Dutch one with its text replaced', async ({ page, context }) => {
    expect(withoutLang).not.toContain('<html lang');
    await serveStatic(page, withoutLang);
    let release = await hold(page, 'akkoord.wasm');
    await page.goto('/statisch.html', { waitUntil: 'domcontentloaded' });
    expect(await hostState(page), 'nl-NL: the page\'s banner is painted').toEqual({ marker: true, display: 'inline' });
    release();
    await h.waitReady(page);

    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'languages', { get: () => ['en-US', 'en'], configurable: true });
    });
    await recordMoves(page);
    release = await hold(page, 'akkoord.wasm');
    await page.goto('/statisch.html', { waitUntil: 'domcontentloaded' });
    expect(await hostState(page), 'en-US: in the page, out of the paint').toEqual({ marker: true, display: 'none' });
    release();
    await h.waitReady(page);
    await h.expectBannerShown(page);
    await expect(h.bannerLayer(page)).toContainText('Cookies on this website');
    expect(await hostState(page)).toEqual({ marker: false, display: 'inline' });
    expect(await bannerMoves(page)).toEqual([]);
  });

  test('a stored choice for an older revision of the config: the module shows the banner again (C-22)', async ({ page }) => {
    await page.goto('/');
    await rejectAll(page);
    await h.expectNoBanner(page);
    await serveStatic(page);
    await page.route('**/akkoord.json', async (route) => {
      const config = JSON.parse(await (await route.fetch()).text());
      config.revision += 1;
      await route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) });
    });
    await page.goto('/statisch.html');
    await h.waitReady(page);
    await h.expectBannerShown(page);
    expect(await hostState(page)).toEqual({ marker: false, display: 'inline' });
  });

  test('akkoord prerender --static names the CSP hashes of its inline script and style', () => {
    const root = path.resolve(__dirname, '..', '..');
    const bin = process.env.AKKOORD_BIN || path.join(root, 'target', 'debug', 'akkoord');
    const assets = process.env.AKKOORD_E2E_ASSETS || path.join(root, 'dist');
    const run = spawnSync(bin, ['prerender', '--static', path.join(root, 'www', 'demo', 'index.html'),
      '--config', path.join(root, 'www', 'demo', 'akkoord.json'), '--css', path.join(assets, 'akkoord.css')], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const [, scriptHash, styleHash] = /script-src '(sha256-[^']+)' and style-src '(sha256-[^']+)'/.exec(run.stderr) || [];
    const script = /<script>(!function\(\)\{try\{[^<]*)<\/script>/.exec(run.stdout)[1];
    const style = /<\/script><style>([^<]*)<\/style>/.exec(run.stdout)[1];
    const sha = (text) => 'sha256-' + crypto.createHash('sha256').update(text).digest('base64');
    expect(scriptHash).toBe(sha(script));
    expect(styleHash).toBe(sha(style));
  });
});

// `akkoord snippet` (server/src/prerender.rs, snippet): the <head> lines for a page that loads
// the banner with its script tag alone. Their script preloads, by the cookie, the module the
// loader will start and the vendor scripts a valid stored grant will run, and moves the banner
// from its <template> into <body> for a visitor who has to be asked.
test.describe('head snippet', () => {
  let head;
  let inlineHead;
  test.beforeAll(() => {
    const snippet = (...more) => akkoordCli(['snippet', path.join(REPO, 'www', 'demo', 'akkoord.json'), '--css', path.join(ASSETS, 'akkoord.css'), ...more]);
    head = snippet();
    inlineHead = snippet('--inline');
  });
  const serveSnippet = (page, lang = 'nl', lines = head) => page.route('**/snippet.html', (route) => route.fulfill({
    contentType: 'text/html; charset=utf-8',
    body: `<!doctype html><html${lang ? ` lang="${lang}"` : ''}><head><meta charset="utf-8"><title>Snippet</title>
${lines}</head><body><h1>Alleen de scripttag</h1><p>Tekst van de pagina.</p><footer><a href="#" data-akkoord-open>Cookie-instellingen</a></footer></body></html>`,
  }));
  const hostState = (page) => page.evaluate(() => {
    const host = document.getElementById('akkoord');
    return host && { marker: host.hasAttribute('data-akkoord-markup'), first: document.body.firstElementChild === host };
  });

  test('a first visit: the banner is in the first paint before the module loads, with no layout shift; the module takes it over; its module preloaded once, nothing from a vendor (C-01, C-05)', async ({ page, vendor }) => {
    await serveSnippet(page);
    await recordMoves(page);
    const seen = watchModules(page);
    const release = await hold(page, 'akkoord.wasm');
    await page.goto('/snippet.html', { waitUntil: 'domcontentloaded' });
    await h.expectBannerShown(page);
    expect(await hostState(page), 'moved from the template to the start of <body>').toEqual({ marker: true, first: true });
    await expect(h.bannerLayer(page)).toContainText('Cookies op deze website');
    release();
    await h.waitReady(page);
    await expect.poll(() => hostState(page), { message: 'the module took it over' }).toEqual({ marker: false, first: true });
    await h.expectBannerShown(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(await page.evaluate(() => document.querySelectorAll('#akkoord').length), 'one banner').toBe(1);
    expect(await bannerMoves(page)).toEqual([]);
    expect(seen.requests, 'once: the preload was used').toEqual(['/akkoord/akkoord.wasm']);
    expect(seen.warnings).toEqual([]);
    expect(vendor.requests).toEqual([]);
  });

  test('a click on the snippet\'s banner before the module runs applies once it does (C-05)', async ({ page, context, vendor }) => {
    await serveSnippet(page);
    const release = await hold(page, 'akkoord.wasm');
    await page.goto('/snippet.html', { waitUntil: 'domcontentloaded' });
    await h.action(h.bannerLayer(page), 'accept-all').click();
    await page.waitForTimeout(SETTLE_MS);
    expect(vendor.requests, 'nothing before the module has decided').toEqual([]);
    release();
    await waitForMetaPageView(page);
    expect((await h.consentCookie(context)).method).toBe('a');
    await h.expectNoBanner(page);
  });

  test('a page without a language, in a Dutch browser: the module would choose Dutch, so the snippet\'s banner is in the first paint', async ({ page }) => {
    expect(await page.evaluate(() => navigator.languages[0])).toBe('nl-NL');
    await serveSnippet(page, null);
    const release = await hold(page, 'akkoord.wasm');
    await page.goto('/snippet.html', { waitUntil: 'domcontentloaded' });
    await h.expectBannerShown(page);
    expect(await hostState(page)).toEqual({ marker: true, first: true });
    release();
    await h.waitReady(page);
    await expect.poll(() => hostState(page), { message: 'the module took it over: same language, same markup' }).toEqual({ marker: false, first: true });
    await expect(h.bannerLayer(page)).toContainText('Cookies op deze website');
  });

  test('a browser that sends GPC gets the module\'s banner, which says so, not the snippet\'s, which cannot (S-01, S-04)', async ({ page, context }) => {
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
    });
    await serveSnippet(page);
    const release = await hold(page, 'akkoord.wasm');
    await page.goto('/snippet.html', { waitUntil: 'domcontentloaded' });
    await page.waitForTimeout(SETTLE_MS);
    expect(await hostState(page), 'the template stays where it is').toBe(null);
    release();
    await h.waitReady(page);
    await expect(h.bannerLayer(page)).toContainText(/GPC|Global Privacy Control/i);
  });

  test('with the config in the lines (--inline): no config request, the banner in the first paint, and a choice is stored (C-01)', async ({ page, context }) => {
    await serveSnippet(page, 'nl', inlineHead);
    const configRequests = [];
    page.on('request', (r) => { if (new URL(r.url()).pathname === '/akkoord.json') configRequests.push(r.url()); });
    const release = await hold(page, 'akkoord.wasm');
    await page.goto('/snippet.html', { waitUntil: 'domcontentloaded' });
    await h.expectBannerShown(page);
    expect(await hostState(page)).toEqual({ marker: true, first: true });
    release();
    await h.waitReady(page);
    await expect.poll(() => hostState(page)).toEqual({ marker: false, first: true });
    await rejectAll(page);
    expect((await h.consentCookie(context)).method).toBe('r');
    expect(configRequests, 'the config came with the page').toEqual([]);
  });

  test('a page in another language than the snippet\'s banner gets the module\'s banner, not a replaced one', async ({ page }) => {
    await serveSnippet(page, 'en');
    const release = await hold(page, 'akkoord.wasm');
    await page.goto('/snippet.html', { waitUntil: 'domcontentloaded' });
    await page.waitForTimeout(SETTLE_MS);
    expect(await hostState(page), 'the template stays where it is').toBe(null);
    release();
    await h.waitReady(page);
    await h.expectBannerShown(page);
    await expect(h.bannerLayer(page)).toContainText('Cookies on this website');
  });

  test('a returning visitor: no banner at any time; the full module and the granted pixel are preloaded and each fetched once, the first visit\'s module never (P-01, P-02)', async ({ page, vendor }) => {
    await page.goto('/');
    await page.evaluate(() => window.akkoord.save({ analytics: false, marketing: true }));
    await waitForMetaPageView(page);
    await settle(page);
    await serveSnippet(page);
    const seen = watchModules(page);
    const fbBefore = h.fbeventsRequests(vendor).length;
    const before = vendor.requests.length;
    const release = await hold(page, 'akkoord-full.wasm');
    await page.goto('/snippet.html', { waitUntil: 'domcontentloaded' });
    expect(await hostState(page), 'the template stays where it is').toBe(null);
    await expect.poll(() => h.fbeventsRequests(vendor).length - fbBefore, { message: 'fbevents.js is downloading while the module is held' }).toBe(1);
    expect(await page.evaluate(() => typeof window.fbq), 'a preload runs nothing').toBe('undefined');
    release();
    await waitForMetaPageView(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(await hostState(page)).toBe(null);
    expect(h.fbeventsRequests(vendor).length - fbBefore, 'the snippet\'s script element used the preloaded response').toBe(1);
    expect(h.gtagRequests(vendor), 'analytics was refused: nothing from Google').toEqual([]);
    expect(vendor.requests.slice(before).filter((r) => !/facebook\.(net|com)$/.test(r.host)), 'no vendor but Meta').toEqual([]);
    expect(seen.requests.sort(), 'the full module once each; the first visit\'s never').toEqual(['/akkoord/akkoord-full.js', '/akkoord/akkoord-full.wasm']);
    expect(seen.warnings, 'no "preloaded but not used" warning').toEqual([]);
  });
});

// Trusted Types are not supported (README, "Content Security Policy"): the module cannot put
// its markup into a shadow root, and must say so without throwing into the page or running
// anything gated. The banner the server renders needs no sink, so it still works.
test.describe('Trusted Types', () => {
  const TT = "require-trusted-types-for 'script'";
  const body = `<!doctype html><html lang="nl"><head><meta charset="utf-8">
<script src="/akkoord/akkoord.js" data-config="/akkoord.json"></script>
<link rel="icon" href="data:,"><title>TT</title></head>
<body><h1>Trusted Types</h1>
<script type="text/plain" data-akkoord="analytics" src="/js/heatmap.js"></script>
</body></html>`;

  test('without the server banner: one console error, no page error, nothing gated runs', async ({ page, vendor, errors }) => {
    errors.expect(/akkoord: could not show the banner/);
    errors.expect(/requires 'TrustedHTML' assignment/); // the browser's own report of the refusal
    await page.route('**/tt.html', (route) => route.fulfill({
      contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': TT }, body,
    }));
    await page.goto('/tt.html');
    await h.waitReady(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(await page.evaluate(() => window.akkoord.accepted('analytics'))).toBe(false);
    expect(await page.evaluate(() => window.__heatmapRan || 0)).toBe(0);
    expect(vendor.requests).toEqual([]);
  });

  test('with the server banner: the module takes it over and a choice is stored', async ({ page, context, baseURL }) => {
    const served = await (await page.request.get(`${baseURL}/`)).text();
    const banner = served.slice(served.indexOf('<div id="akkoord"'), served.indexOf('</template></div>') + '</template></div>'.length);
    expect(banner, 'akkoord serve rendered the banner').toContain('data-akkoord-markup');
    await page.route('**/tt.html', (route) => route.fulfill({
      contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': TT },
      body: body.replace('<body>', '<body>' + banner),
    }));
    await page.goto('/tt.html');
    await h.waitReady(page);
    await h.action(h.bannerLayer(page), 'reject-all').click();
    await expect.poll(async () => (await h.consentCookie(context) || {}).method).toBe('r');
    await h.expectNoBanner(page);
  });
});

// A site with a strict, nonce-based Content Security Policy and no 'unsafe-inline' anywhere:
// everything Akkoord inserts must carry the loader's nonce, and its styles must not need
// 'unsafe-inline' (constructed stylesheets). A violation is a console error, which fails the
// test by itself; the securitypolicyviolation events are checked as well.
test.describe('strict CSP', () => {
  const NONCE = 'c3RyaWN0LWNzcA';
  const CSP = [
    "default-src 'self'",
    `script-src 'nonce-${NONCE}' 'wasm-unsafe-eval' https://connect.facebook.net https://www.googletagmanager.com`,
    "style-src 'self'",
    "connect-src 'self' https:",
    "img-src 'self' https: data:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ');

  test('under a nonce CSP the banner, gated scripts, pixels and the statement run with no violation', async ({ page }) => {
    await page.route('**/csp.html', (route) => route.fulfill({
      contentType: 'text/html; charset=utf-8',
      headers: { 'Content-Security-Policy': CSP },
      body: `<!doctype html><html lang="nl"><head><meta charset="utf-8">
<script nonce="${NONCE}">window.__violations = []; addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI); });</script>
<script nonce="${NONCE}" src="/akkoord/akkoord.js" data-config="/akkoord.json"></script>
<link rel="icon" href="data:,"><title>CSP</title></head>
<body><h1>Strikte CSP</h1>
<script type="text/plain" data-akkoord="marketing">window.__gatedInlineRan = (window.__gatedInlineRan || 0) + 1;</script>
<script type="text/plain" data-akkoord="marketing" nonce="${NONCE}">window.__ownNonceRan = 1;</script>
<div data-akkoord-statement></div>
</body></html>`,
    }));
    await page.goto('/csp.html');
    await h.expectBannerShown(page);
    await expect(page.locator('[data-akkoord-statement]'), 'the statement module loaded under the CSP').toContainText('_fbp');
    // The banner's styles applied without 'unsafe-inline'.
    expect(await h.action(h.bannerLayer(page), 'accept-all').evaluate((b) => getComputedStyle(b).minHeight),
      'the banner stylesheet applies').toBe('44px');
    await acceptAll(page);
    await waitForMetaPageView(page);
    await expect.poll(() => page.evaluate(() => window.__gatedInlineRan || 0), { message: 'the gated inline script ran (it got the nonce)' }).toBe(1);
    // The browser hides a nonce attribute (reads as "") once the element is in a page with a
    // CSP header; the gated script that carried the site's own nonce must still run.
    await expect.poll(() => page.evaluate(() => window.__ownNonceRan || 0), { message: 'the gated script with its own nonce ran' }).toBe(1);
    await waitForGtag(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(await page.evaluate(() => window.__violations), 'no CSP violation').toEqual([]);
  });
});

// The first visit's module (akkoord.wasm) asks and stores; the full one (akkoord-full.js +
// .wasm) runs what the choice allows. README, "Two modules".
test.describe('two modules', () => {
  const MODULES = /^\/akkoord\/akkoord(-full)?\.(js|wasm)$/;
  function modulesSeen(page) {
    const seen = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (MODULES.test(path)) seen.push(path);
    });
    return seen;
  }

  // Many static hosts send .wasm files as application/octet-stream. The modules are compiled
  // from their bytes, so that must not matter.
  test('modules served with the wrong Content-Type still run: banner, decision, pixel', async ({ page, vendor }) => {
    const served = [];
    await page.route(/\/akkoord\/akkoord(-full)?\.wasm$/, async (route) => {
      const upstream = await route.fetch();
      served.push(new URL(route.request().url()).pathname);
      await route.fulfill({ status: 200, headers: { 'content-type': 'application/octet-stream' }, body: await upstream.body() });
    });
    await page.goto('/');
    await acceptAll(page);
    await waitForMetaPageView(page);
    expect(h.fbeventsRequests(vendor)).toHaveLength(1);
    expect(served.sort()).toEqual(['/akkoord/akkoord-full.wasm', '/akkoord/akkoord.wasm']);
  });

  test('a first visit downloads only the first visit\'s module until the decision, then the full one; one update, one change (C-01, G-08)', async ({ page, vendor }) => {
    const seen = modulesSeen(page);
    await page.goto('/');
    await h.expectBannerShown(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(seen.sort(), 'before a decision: the loader and the first visit\'s module only')
      .toEqual(['/akkoord/akkoord.js', '/akkoord/akkoord.wasm']);
    expect(vendor.requests, 'nothing tracks before the decision').toEqual([]);
    await acceptAll(page);
    await waitForMetaPageView(page);
    expect(seen.filter((p) => p.includes('akkoord-full')).sort(), 'the full module, once, after the decision')
      .toEqual(['/akkoord/akkoord-full.js', '/akkoord/akkoord-full.wasm']);
    expect(h.fbeventsRequests(vendor), 'the pixel loads once').toHaveLength(1);
    await settle(page);
    const updates = h.consentEntries(await h.dataLayer(page)).filter((e) => e[1] === 'update');
    expect(updates, 'one Consent Mode update for the decision, not one per module (G-08)').toHaveLength(1);
    const events = await page.evaluate(() => window.__akkoordEvents);
    expect(events, 'ready once and change once across the hand-over').toEqual(['akkoord:ready', 'akkoord:change']);
    expect(await page.evaluate(() => window.akkoord.accepted('marketing')), 'the full module answers').toBe(true);
    await h.expectNoBanner(page);
  });

  test('a visitor with a stored choice gets the full module at once, preloaded by serve\'s Link header, and never the first visit\'s (C-22)', async ({ page, vendor }) => {
    await page.goto('/');
    await acceptAll(page);
    await waitForMetaPageView(page);
    await settle(page);
    const seen = modulesSeen(page);
    const warnings = [];
    page.on('console', (m) => { if (/preload/i.test(m.text())) warnings.push(m.text()); });
    const before = h.fbeventsRequests(vendor).length;
    const response = await page.goto('/tweede.html');
    expect(response.headers().link, 'the Link header names the full module').toContain('</akkoord/akkoord-full.wasm>; rel=preload; as=fetch; crossorigin');
    expect(response.headers().link).not.toContain('</akkoord/akkoord.wasm>');
    await waitForMetaPageView(page);
    await h.expectNoBanner(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(seen.filter((p) => p !== '/akkoord/akkoord.js').sort(), 'each file of the full module once (the preloads were used); no first-visit module')
      .toEqual(['/akkoord/akkoord-full.js', '/akkoord/akkoord-full.wasm']);
    expect(h.fbeventsRequests(vendor).length - before, 'the pixel loads on the returning page').toBe(1);
    expect(warnings, 'no "preloaded but not used" warning').toEqual([]);
  });

  test('a visitor with a stored grant: serve preloads the vendor scripts it will run, which download during the module\'s boot but run only once it decides (P-01, P-02)', async ({ page, vendor }) => {
    await page.goto('/');
    await acceptAll(page);
    await waitForMetaPageView(page);
    await settle(page);
    const warnings = [];
    page.on('console', (m) => { if (/preload/i.test(m.text())) warnings.push(m.text()); });
    const fbBefore = h.fbeventsRequests(vendor).length;
    const gtagBefore = h.gtagRequests(vendor).length;
    // The full module is held: only the Link header can have asked for a vendor script.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route('**/akkoord-full.wasm', async (route) => { await held; await route.continue(); });
    const response = await page.goto('/tweede.html', { waitUntil: 'domcontentloaded' });
    const link = response.headers().link;
    expect(link, 'the pixel and GA4, which this choice grants, are preloaded').toContain('<https://connect.facebook.net/en_US/fbevents.js>; rel=preload; as=script');
    expect(link).toContain(`<https://www.googletagmanager.com/gtag/js?id=${MEASUREMENT_ID}>; rel=preload; as=script`);
    await expect.poll(() => h.fbeventsRequests(vendor).length - fbBefore, { message: 'fbevents.js is downloading while the module is held' }).toBe(1);
    await page.waitForTimeout(SETTLE_MS);
    expect(await page.evaluate(() => typeof window.fbq), 'a preload runs nothing: no fbq until the module decides').toBe('undefined');
    expect(await h.fbCalls(page), 'nothing reached the pixel yet').toEqual([]);
    release();
    await waitForMetaPageView(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(h.fbeventsRequests(vendor).length - fbBefore, 'the module\'s script element used the preloaded response').toBe(1);
    expect(h.gtagRequests(vendor).length - gtagBefore, 'gtag.js too').toBe(1);
    expect(warnings, 'no "preloaded but not used" warning').toEqual([]);
  });

  test('a visitor who refused marketing: nothing from Meta in the Link header and no Meta request (P-01)', async ({ page, vendor }) => {
    await page.goto('/');
    await page.evaluate(() => window.akkoord.save({ analytics: true, marketing: false }));
    await settle(page);
    const response = await page.goto('/tweede.html');
    await page.waitForTimeout(SETTLE_MS);
    expect(response.headers().link).toContain(`<https://www.googletagmanager.com/gtag/js?id=${MEASUREMENT_ID}>; rel=preload; as=script`);
    expect(response.headers().link).not.toContain('facebook');
    expect(h.facebookRequests(vendor), 'no request to Meta on either page').toEqual([]);
  });

  test('cookies blocked: the choice made in the first visit\'s module still applies in this page after the hand-over, and is not asked again', async ({ page, vendor }) => {
    await page.addInitScript(() => {
      const real = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
      Object.defineProperty(Document.prototype, 'cookie', {
        configurable: true,
        get() { return real.get.call(this); },
        set() { /* a browser that refuses every cookie */ },
      });
    });
    await page.goto('/');
    await acceptAll(page);
    await waitForMetaPageView(page);
    await page.waitForTimeout(SETTLE_MS);
    await h.expectNoBanner(page);
    expect(await page.evaluate(() => document.cookie), 'nothing was stored').not.toContain('akkoord=');
    expect(await page.evaluate(() => window.akkoord.consent().purposes.marketing)).toBe(true);
    expect(h.fbeventsRequests(vendor)).toHaveLength(1);
  });

  test('an embed placeholder after the hand-over belongs to the full module: "always allow" after "reject all" still stores and loads (C-18)', async ({ page, context }) => {
    const seen = modulesSeen(page);
    await page.goto('/video.html');
    // This page has consent receipts: even a refusal hands over, to send its receipt.
    await rejectAll(page);
    await expect.poll(() => seen.includes('/akkoord/akkoord-full.wasm'), { message: 'the full module took over' }).toBe(true);
    await page.waitForTimeout(SETTLE_MS);
    const allow = page.locator('[data-akkoord-action="allow-service"][data-akkoord-service="youtube"]');
    await expect(allow, 'one placeholder, not one per module').toHaveCount(1);
    await allow.click();
    await expect(page.frameLocator('iframe[data-akkoord="youtube"]').locator('body[data-embed="geladen"]')).toHaveCount(1);
    expect(await page.evaluate(() => window.akkoord.acceptedService('youtube'))).toBe(true);
    const record = (await context.cookies()).find((c) => c.name === 'akkoord_video');
    expect(record && record.value, 'the service is stored in the cookie').toMatch(/\.youtube\.marketing$/);
  });

  test('a refusal of everything keeps the first visit\'s module, on this page and the next: nothing more to download (C-11, C-22)', async ({ page, vendor }) => {
    const seen = modulesSeen(page);
    await page.goto('/platforms.html'); // a config without receipts
    await rejectAll(page);
    await page.waitForTimeout(SETTLE_MS);
    await page.reload();
    await h.waitReady(page);
    await h.expectNoBanner(page);
    await page.waitForTimeout(SETTLE_MS);
    expect(seen.filter((p) => p.includes('akkoord-full')), 'the full module is never fetched').toEqual([]);
    expect(vendor.requests).toEqual([]);
    // Changing one's mind later still works: accepting hands over and the platforms load.
    await page.locator('[data-akkoord-open]').first().click();
    await h.action(h.prefsLayer(page), 'accept-all').click();
    await expect.poll(() => vendor.requests.length, { message: 'the platforms load after accepting' }).toBeGreaterThan(0);
    expect(seen.filter((p) => p.includes('akkoord-full')).sort()).toEqual(['/akkoord/akkoord-full.js', '/akkoord/akkoord-full.wasm']);
    await h.expectNoBanner(page);
  });

  test('a "cookie settings" click while the full module is on its way opens the preferences once it runs (C-18)', async ({ page }) => {
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route('**/akkoord-full.wasm', async (route) => { await held; await route.continue(); });
    await page.goto('/');
    await rejectAll(page); // this site keeps receipts: the full module takes over
    await page.evaluate(() => document.addEventListener('click', (e) => { window.__prevented = e.defaultPrevented; }));
    await page.locator('main [data-akkoord-open], footer [data-akkoord-open]').first().click();
    expect(await page.evaluate(() => window.__prevented), 'the loader took the click').toBe(true);
    release();
    await expect(h.prefsLayer(page), 'the queued click opened the preferences').toBeVisible();
    await expect(h.toggle(page, 'marketing')).not.toBeChecked();
  });

  test('the full module failing to load after the decision: one console error, nothing gated runs, the choice is kept', async ({ page, vendor, errors, context }) => {
    errors.expect(/akkoord-full|nothing gated will run|404/i);
    await page.route('**/akkoord-full.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto('/');
    await acceptAll(page);
    await page.waitForTimeout(SETTLE_MS * 2);
    expect(vendor.requests, 'no vendor request without the full module').toEqual([]);
    expect(await page.evaluate(() => window.akkoord.accepted('marketing')), 'nothing counts as granted where nothing can run').toBe(false);
    expect(await h.gatedState(page)).toEqual({ heatmap: 0, inlineMarketing: 0, iframeSrc: '' });
    const stored = await h.consentCookie(context);
    expect(stored && stored.raw, 'the choice is stored all the same').toMatch(/^1\.\d+\.\d+\.a\./);
    await h.expectNoBanner(page);
    // The page's "cookie settings" link is its own again: nothing would ever take the click.
    await page.evaluate(() => document.addEventListener('click', (e) => { window.__prevented = e.defaultPrevented; }));
    await page.locator('[data-akkoord-open]').first().click();
    expect(await page.evaluate(() => window.__prevented), 'the loader leaves the link alone').toBe(false);
  });
});
