// Readers and locators shared by the specs. Only the public hooks of docs/internals.md.
'use strict';

const { expect } = require('@playwright/test');
const { isVendorCookie, isVendorUrl } = require('./vendors');

const PURPOSES = ['functional', 'analytics', 'marketing'];
const CONSENT_KEYS = [
  'ad_storage', 'ad_user_data', 'ad_personalization', 'analytics_storage',
  'functionality_storage', 'personalization_storage', 'security_storage',
];

// Playwright's CSS engine pierces open shadow roots, so these reach into #akkoord.
const layer = (page, name) => page.locator(`#akkoord [data-akkoord-layer="${name}"]`);
const bannerLayer = (page) => layer(page, 'banner');
const prefsLayer = (page) => layer(page, 'preferences');
const action = (scope, name) => scope.locator(`[data-akkoord-action="${name}"]`);
const toggle = (page, purpose) => prefsLayer(page).locator(`input[type=checkbox][data-akkoord-purpose="${purpose}"]`);

// The wasm is booted once `akkoord:ready` fired (the loader's documented event).
async function waitReady(page) {
  await page.waitForFunction(() => (window.__akkoordEvents || []).includes('akkoord:ready'), null, { timeout: 10_000 });
}

async function expectBannerShown(page) {
  await expect(bannerLayer(page)).toBeVisible();
}

async function expectNoBanner(page) {
  await waitReady(page);
  // Passes when the layer is absent or hidden.
  await expect(bannerLayer(page)).toBeHidden();
}

// window.dataLayer as arrays (gtag pushes Arguments objects: REFERENCE.md §2.4).
function dataLayer(page) {
  return page.evaluate(() => Array.prototype.map.call(window.dataLayer || [], (e) => {
    const tag = Object.prototype.toString.call(e);
    const v = tag === '[object Arguments]' || Array.isArray(e) ? Array.prototype.slice.call(e) : e;
    return JSON.parse(JSON.stringify(v));
  }));
}

const consentEntries = (dl) => dl.filter((e) => Array.isArray(e) && e[0] === 'consent');

function expectAllKeys(params, values) {
  for (const k of CONSENT_KEYS) expect(params, `consent key ${k}`).toHaveProperty(k);
  if (values) for (const [k, v] of Object.entries(values)) expect(params[k], k).toBe(v);
}

// Expected Consent Mode values for a set of granted purposes (docs/internals.md mapping).
function consentFor(granted) {
  const g = (p) => (granted.includes(p) ? 'granted' : 'denied');
  return {
    ad_storage: g('marketing'), ad_user_data: g('marketing'), ad_personalization: g('marketing'),
    analytics_storage: g('analytics'),
    functionality_storage: g('functional'), personalization_storage: g('functional'),
    security_storage: 'granted',
  };
}

// The consent cookie, parsed as format 1 (docs/internals.md), or null.
const FORMAT_1 = /^1\.(\d+)\.(\d+)\.([arcg])\.([0-9a-z]{16})\.([a-z0-9_+-]*)\.([a-z0-9_+-]*)$/;
async function consentCookie(context) {
  const c = (await context.cookies()).find((x) => x.name === 'akkoord');
  if (!c) return null;
  const m = FORMAT_1.exec(c.value);
  const split = (s) => (s ? s.split('+') : []);
  return {
    cookie: c,
    raw: c.value,
    valid: !!m,
    revision: m ? Number(m[1]) : null,
    decided: m ? Number(m[2]) : null,
    method: m ? m[3] : null,
    id: m ? m[4] : null,
    granted: m ? split(m[5]).sort() : null,
    denied: m ? split(m[6]).sort() : null,
  };
}

async function vendorCookies(context) {
  return (await context.cookies()).filter((c) => isVendorCookie(c.name)).map((c) => c.name);
}

async function cookieNames(context) {
  return (await context.cookies()).map((c) => c.name);
}

// Vendor <script>/<img>/<iframe> elements in the page, plus any <noscript> pixel (P-08).
async function vendorElements(page) {
  const srcs = await page.evaluate(() => {
    const out = [];
    document.querySelectorAll('script[src], img[src], iframe[src]').forEach((el) => out.push(el.src));
    document.querySelectorAll('noscript').forEach((el) => {
      const m = /src=["']?([^"' >]+)/i.exec(el.textContent || '');
      if (m) out.push(m[1]);
    });
    return out;
  });
  return srcs.filter(isVendorUrl);
}

// Vendor identifiers in Web Storage (C-02).
function vendorStorageKeys(page) {
  return page.evaluate(() => {
    const keys = [];
    for (const s of [window.localStorage, window.sessionStorage]) {
      for (let i = 0; i < s.length; i++) keys.push(s.key(i));
    }
    return keys.filter((k) => /^(_ga|_gcl|_fbp|_fbc|_ttp|_scid|_pin|_epik|_derived_epik|li_|_twclid|tt_)/.test(k));
  });
}

const fbCalls = (page) => page.evaluate(() => window.__fbCalls || []);
const gatedState = (page) => page.evaluate(() => ({
  heatmap: window.__heatmapRan || 0,
  inlineMarketing: window.__inlineMarketingRan || 0,
  iframeSrc: (document.querySelector('iframe[data-akkoord]') || {}).src || '',
}));

// Index of the first call matching `want` (a prefix of the call's arguments), from `from`.
function callIndex(calls, want, from = 0) {
  for (let i = Math.max(0, from); i < calls.length; i++) {
    if (want.every((w, j) => String(calls[i][j]) === String(w))) return i;
  }
  return -1;
}

function requestsTo(vendor, test) {
  return vendor.requests.filter((r) => test(r));
}
const fbeventsRequests = (vendor) => requestsTo(vendor, (r) => r.host === 'connect.facebook.net' && /fbevents\.js$/.test(r.path));
const gtagRequests = (vendor) => requestsTo(vendor, (r) => r.host === 'www.googletagmanager.com' && r.path.startsWith('/gtag/js'));
const facebookRequests = (vendor) => requestsTo(vendor, (r) => /(^|\.)facebook\.(com|net)$/.test(r.host));

// The element focused right now, through shadow roots: its hook attributes and where it is.
function deepFocus(page) {
  return page.evaluate(() => {
    let a = document.activeElement;
    let inShadow = false;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) { a = a.shadowRoot.activeElement; inShadow = true; }
    if (!a) return null;
    const layerEl = a.closest('[data-akkoord-layer]');
    return {
      tag: a.tagName.toLowerCase(),
      action: a.getAttribute('data-akkoord-action'),
      purpose: a.getAttribute('data-akkoord-purpose'),
      open: a.hasAttribute('data-akkoord-open'),
      inFooter: !!a.closest('footer'),
      inShadow,
      layer: layerEl ? layerEl.getAttribute('data-akkoord-layer') : null,
    };
  });
}

module.exports = {
  PURPOSES, CONSENT_KEYS,
  layer, bannerLayer, prefsLayer, action, toggle,
  waitReady, expectBannerShown, expectNoBanner,
  dataLayer, consentEntries, expectAllKeys, consentFor,
  consentCookie, vendorCookies, cookieNames, vendorElements, vendorStorageKeys,
  fbCalls, gatedState, callIndex,
  fbeventsRequests, gtagRequests, facebookRequests,
  deepFocus,
};
