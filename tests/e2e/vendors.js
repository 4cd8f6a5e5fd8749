// The vendor hosts, cookies and storage keys the end-to-end tests watch (REFERENCE.md §3.9),
// and the local fakes that answer for those hosts. One list, used by every test.
'use strict';

const fs = require('fs');
const path = require('path');

// A leading "*." matches the domain itself and every subdomain.
const VENDOR_HOSTS = [
  'connect.facebook.net',
  'www.facebook.com',
  'www.googletagmanager.com',
  '*.google-analytics.com',
  '*.doubleclick.net',
  'www.googleadservices.com',
  'analytics.tiktok.com',
  'analytics.us.tiktok.com',
  'snap.licdn.com',
  'px.ads.linkedin.com',
  'static.ads-twitter.com',
  'analytics.twitter.com',
  's.pinimg.com',
  'ct.pinterest.com',
  'sc-static.net',
  'tr.snapchat.com',
  't.co',
  '*.clarity.ms',
];

// First-party identifiers vendors set (C-02); none may exist before consent for their purpose.
const VENDOR_COOKIES = [
  /^_ga$/, /^_ga_/, /^_gid$/, /^_gcl_/, /^_gac_/,
  /^_fbp$/, /^_fbc$/,
  /^_ttp$/, /^_tt_enable_cookie$/, /^ttcsid/,
  /^li_fat_id$/, /^li_adsId$/, /^li_sugr$/,
  /^_twclid$/,
  /^_pin_unauth$/, /^_epik$/, /^_derived_epik$/, /^_pinterest_/,
  /^_scid/, /^_sctr$/,
  /^_clck$/, /^_clsk$/,
  /^euconsent-v2$/,
];

function isVendorHost(hostname) {
  const host = hostname.toLowerCase();
  return VENDOR_HOSTS.some((pattern) => {
    if (pattern.startsWith('*.')) {
      const base = pattern.slice(2);
      return host === base || host.endsWith('.' + base);
    }
    return host === pattern;
  });
}

function isVendorUrl(url) {
  try {
    const u = new URL(url, 'http://127.0.0.1/');
    return (u.protocol === 'http:' || u.protocol === 'https:') && isVendorHost(u.hostname);
  } catch (_) {
    return false;
  }
}

function isVendorCookie(name) {
  return VENDOR_COOKIES.some((re) => re.test(name));
}

function isLocalHost(hostname) {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]' || hostname === '::1';
}

const fake = (name) => fs.readFileSync(path.join(__dirname, 'fakes', name), 'utf8');
const FAKE_FBEVENTS = fake('fbevents.js');
const FAKE_GTAG = fake('gtag.js');
// The platform pixels' scripts share one fake that picks the vendor from its own URL.
const FAKE_PLATFORMS = fake('platforms.js');
const PLATFORM_SCRIPTS = [
  ['analytics.tiktok.com', /^\/i18n\/pixel\/events\.js$/],
  ['analytics.us.tiktok.com', /^\/i18n\/pixel\/events\.js$/],
  ['s.pinimg.com', /^\/ct\/core\.js$/],
  ['snap.licdn.com', /^\/li\.lms-analytics\/insight\.min\.js$/],
  ['static.ads-twitter.com', /^\/uwt\.js$/],
  ['sc-static.net', /^\/scevent\.min\.js$/],
  ['www.clarity.ms', /^\/tag\/[0-9a-z]+$/],
];
// A 1x1 transparent GIF, what pixel endpoints answer.
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

// What a vendor host answers, by path: the two scripts the demo config uses are fakes that
// keep the real call interfaces; every other script is empty, every other endpoint a pixel.
function fakeResponse(url) {
  const u = new URL(url);
  const js = (body) => ({
    status: 200,
    contentType: 'application/javascript; charset=utf-8',
    headers: { 'access-control-allow-origin': '*' },
    body,
  });
  if (u.hostname === 'connect.facebook.net' && /\/fbevents\.js$/.test(u.pathname)) return js(FAKE_FBEVENTS);
  if (u.hostname === 'www.googletagmanager.com' && /^\/gtag\/js/.test(u.pathname)) return js(FAKE_GTAG);
  if (PLATFORM_SCRIPTS.some(([host, re]) => u.hostname === host && re.test(u.pathname))) return js(FAKE_PLATFORMS);
  if (/\.js$/.test(u.pathname)) return js('/* fake vendor script */');
  return { status: 200, contentType: 'image/gif', headers: { 'access-control-allow-origin': '*' }, body: GIF };
}

module.exports = {
  VENDOR_HOSTS,
  VENDOR_COOKIES,
  isVendorHost,
  isVendorUrl,
  isVendorCookie,
  isLocalHost,
  fakeResponse,
};
