// The page-cost benchmark: every target's test page from one local server, headless system
// Chromium, targets interleaved (A B C … A B C …), medians and spread. See README.md.
//
//   node bench.js [--runs N] [--targets a,b,…] [--conditions normal,cpu4x,long4x,slow4g]
//                 [--assets DIR] [--out FILE] [--no-write] [--json FILE]
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execSync } = require('child_process');
const { chromium } = require('playwright-core');

const { start, sizes } = require('./server');
const { TARGETS } = require('./targets');
const probe = require('fs').readFileSync(path.join(__dirname, 'probe.js'), 'utf8');
const report = require('./report');

const CHROMIUM = process.env.BENCH_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // Every host but this machine fails to resolve: nothing leaves it. Vendor hosts are answered
  // by the interception below, which runs before name resolution.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

// Chrome DevTools' "Slow 4G" preset, the one Lighthouse applies for mobile (150 ms RTT,
// 1.6 Mbps down, 750 kbps up, with DevTools' adjustment factors for applied throttling).
const SLOW_4G = { offline: false, latency: 150 * 3.75, downloadThroughput: (1.6e6 * 0.9) / 8, uploadThroughput: (750e3 * 0.9) / 8 };

const CONDITIONS = {
  normal: { label: 'normal CPU', cpu: 1, net: null },
  cpu4x: { label: '4× CPU throttle', cpu: 4, net: null },
  slow4g: { label: 'slow 4G', cpu: 1, net: SLOW_4G },
  // The same banner setup on a page with a 22 KB article: how long the page takes to parse
  // decides whether a banner can be in its first paint (RESULTS.md, the 4× CPU notes).
  long4x: { label: 'long page, 4× CPU', cpu: 4, net: null, page: 'long.html' },
};

// Vendor hosts intercepted and answered locally (a leading "*." = any subdomain).
const VENDOR_PATTERNS = [
  'connect.facebook.net', 'www.facebook.com', 'www.googletagmanager.com', '*.google-analytics.com',
  '*.doubleclick.net', 'www.google.com', 'www.googleadservices.com',
].flatMap((h) => ['http://' + h + '/*', 'https://' + h + '/*']);

const FAKES = {
  fbevents: fs.readFileSync(path.join(__dirname, 'fakes', 'fbevents.js')),
  gtag: fs.readFileSync(path.join(__dirname, 'fakes', 'gtag.js')),
  gif: Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'),
};
function fakeFor(url) {
  const u = new URL(url);
  const js = (b) => ({ responseCode: 200, responseHeaders: [{ name: 'content-type', value: 'text/javascript' }, { name: 'access-control-allow-origin', value: '*' }], body: b.toString('base64') });
  if (u.hostname === 'connect.facebook.net' && /fbevents\.js$/.test(u.pathname)) return js(FAKES.fbevents);
  if (u.hostname === 'www.googletagmanager.com' && u.pathname.startsWith('/gtag/js')) return js(FAKES.gtag);
  if (/\.js$/.test(u.pathname)) return js(Buffer.from('/* fake vendor script */'));
  return { responseCode: 200, responseHeaders: [{ name: 'content-type', value: 'image/gif' }], body: FAKES.gif.toString('base64') };
}
const isPixel = (url) => /^https?:\/\/connect\.facebook\.net\/.*fbevents\.js/.test(url);
// data:, blob: and about: URLs never leave the page; only http(s) to another host is a request out.
const isNetwork = (url) => /^https?:/.test(url);
const isLocal = (url) => { try { const h = new URL(url).hostname; return !isNetwork(url) || h === '127.0.0.1' || h === 'localhost'; } catch (_) { return true; } };

function parseArgs(argv) {
  const o = { runs: 5, targets: null, conditions: Object.keys(CONDITIONS), assets: path.join(__dirname, '..', 'dist'), out: path.join(__dirname, 'RESULTS.md'), write: true, json: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = () => argv[++i];
    if (a === '--runs') o.runs = Math.max(1, parseInt(v(), 10));
    else if (a === '--targets') o.targets = v().split(',');
    else if (a === '--conditions') o.conditions = v().split(',');
    else if (a === '--assets') o.assets = path.resolve(v());
    else if (a === '--out') o.out = path.resolve(v());
    else if (a === '--json') o.json = path.resolve(v());
    else if (a === '--no-write') o.write = false;
    else if (a === '-h' || a === '--help') { console.log(fs.readFileSync(__filename, 'utf8').split('\n').slice(0, 5).join('\n')); process.exit(0); } else throw new Error('unknown argument ' + a);
  }
  for (const c of o.conditions) if (!CONDITIONS[c]) throw new Error('unknown condition ' + c + ' (' + Object.keys(CONDITIONS).join(', ') + ')');
  return o;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(fn, timeoutMs, stepMs = 25) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) return null;
    await sleep(stepMs);
  }
}

// One visit sequence in a fresh browser context: first visit (banner, bytes, long tasks, CLS),
// accept click (→ pixel), then the same page again as a returning visitor (→ pixel).
async function session(browser, server, target, condName) {
  const cond = CONDITIONS[condName];
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block', ...(target.context || {}) });
  await context.addInitScript(`(${probe})(${JSON.stringify(target.banner)})`);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const reqs = []; // {url, wall (ms since epoch), encoding}
  const byId = new Map();
  const vendorHits = [];
  cdp.on('Network.requestWillBeSent', (e) => {
    const r = { url: e.request.url, wall: e.wallTime * 1000, type: e.type, encoding: null, status: null };
    reqs.push(r);
    byId.set(e.requestId, r);
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = byId.get(e.requestId);
    if (!r) return;
    r.status = e.response.status;
    const h = e.response.headers || {};
    r.encoding = h['content-encoding'] || h['Content-Encoding'] || null;
  });
  // Vendor hosts are answered here, which the emulated network does not slow down: under a
  // throttled condition each answer waits the condition's round trip, as the real host's would
  // (every target alike; the fakes are a few bytes, so no transfer time is added).
  cdp.on('Fetch.requestPaused', (e) => {
    vendorHits.push({ url: e.request.url, at: Date.now() });
    const answer = () => cdp.send('Fetch.fulfillRequest', { requestId: e.requestId, ...fakeFor(e.request.url) }).catch(() => {});
    if (cond.net) setTimeout(answer, cond.net.latency); else answer();
  });
  await cdp.send('Network.enable');
  await cdp.send('Fetch.enable', { patterns: VENDOR_PATTERNS.map((urlPattern) => ({ urlPattern, requestStage: 'Request' })) });
  if (cond.net) await cdp.send('Network.emulateNetworkConditions', cond.net);
  if (cond.cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cond.cpu });

  const url = server.origin + '/t/' + target.dir + '/' + (cond.page || '');
  const T0 = Date.now();
  const phase = (name) => { if (process.env.BENCH_DEBUG) console.log(`  ${name} +${Date.now() - T0} ms`); };
  const out = { target: target.name, condition: condName, error: null };
  try {
    // First visit.
    await page.goto(url, { waitUntil: 'load', timeout: 60000 });
    const first = await until(() => page.evaluate(() => (window.__bench && window.__bench.ready !== null) || (performance.now() > 20000 ? 'timeout' : null)), 25000);
    if (first !== true) throw new Error('banner not visible within 20 s');
    phase('banner');
    // Let the page settle: up to 300 ms after both the banner and the load event.
    await page.evaluate(() => new Promise((r) => {
      const wait = () => { const nav = performance.getEntriesByType('navigation')[0]; return nav && nav.loadEventEnd > 0 ? nav.loadEventEnd : null; };
      const go = () => setTimeout(r, Math.max(0, Math.max(wait(), window.__bench.ready) + 300 - performance.now()));
      if (wait() !== null) go(); else addEventListener('load', () => setTimeout(go, 0));
    }));
    phase('settled');
    const fv = await page.evaluate(() => ({
      ...window.__bench,
      timeOrigin: performance.timeOrigin,
      // When the last of the banner's own files (not the page's) had arrived.
      resEnd: performance.getEntriesByType('resource')
        .filter((e) => e.name.startsWith(location.origin) && !e.name.endsWith('/site.css') && e.startTime < window.__bench.ready)
        .reduce((m, e) => Math.max(m, e.responseEnd), 0),
    }));
    out.present = fv.present;
    out.ready = fv.ready;
    out.lcp = fv.lcp;
    out.resEnd = fv.resEnd || null;
    out.afterFiles = fv.resEnd ? fv.present - fv.resEnd : null;
    out.longtasks = fv.longtasks.length;
    out.longtaskMax = fv.longtasks.reduce((m, [, d]) => Math.max(m, d), 0);
    out.tbt = fv.longtasks.reduce((s, [, d]) => s + Math.max(0, d - 50), 0);
    out.cls = fv.shifts.reduce((s, [, v]) => s + v, 0);

    // Everything requested before consent.
    const before = reqs.slice();
    out.vendorBeforeConsent = [...new Set([...vendorHits.map((v) => v.url), ...before.filter((r) => !isLocal(r.url)).map((r) => r.url)])];
    out.requests = before.filter((r) => isNetwork(r.url) && isLocal(r.url) && r.type !== 'Document' && new URL(r.url).pathname !== '/site.css').length;
    const bytes = { raw: 0, gzip: 0, br: 0 };
    const bare = sizes(server.files, '/t/none/');
    const files = [];
    for (const r of before) {
      if (!isNetwork(r.url) || !isLocal(r.url)) continue;
      const p = new URL(r.url).pathname;
      const s = sizes(server.files, p, true);
      if (!s) continue;
      const isDoc = r.type === 'Document';
      if (p === '/site.css') continue; // the page's own
      const add = isDoc ? { raw: s.raw - bare.raw, gzip: s.gzip - bare.gzip, br: s.br - bare.br } : s;
      for (const k of Object.keys(bytes)) bytes[k] += add[k];
      files.push({ path: p, encoding: r.encoding, ...add });
    }
    out.bytes = bytes;
    out.files = files;

    // Accept: a real click on the accept button's centre.
    const pt = await page.evaluate((spec) => {
      const root = spec.host ? document.querySelector(spec.host).shadowRoot : document;
      const r = root.querySelector(spec.accept).getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }, target.banner);
    const nBefore = reqs.length;
    await page.mouse.click(pt.x, pt.y);
    // A click that lands before the banner wired its buttons does nothing; the user clicks again.
    // The time still counts from the first click.
    let pix = null;
    out.clicks = 1;
    for (;;) {
      pix = await until(() => reqs.slice(nBefore).find((r) => isPixel(r.url)), out.clicks < 3 ? 3000 : 10000);
      if (pix || out.clicks >= 3) break;
      const again = await page.evaluate((spec) => {
        const root = spec.host ? document.querySelector(spec.host)?.shadowRoot : document;
        const b = root && root.querySelector(spec.accept);
        if (!b) return null;
        const r = b.getBoundingClientRect();
        return r.width ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : null;
      }, target.banner);
      if (!again) break;
      await page.mouse.click(again.x, again.y);
      out.clicks++;
    }
    const clickAt = await page.evaluate(() => window.__bench.clickAt);
    out.acceptToPixel = pix && clickAt !== null ? pix.wall - fv.timeOrigin - clickAt : null;
    if (!pix) out.error = 'no pixel request after accept';
    phase('pixel after accept');
    await sleep(100);

    // Returning visitor (same context: the stored choice and the HTTP cache, revalidated).
    const nNav = reqs.length;
    await page.goto(url, { waitUntil: 'commit', timeout: 60000 });
    const pix2 = await until(() => reqs.slice(nNav).find((r) => isPixel(r.url)), 20000);
    const rv = await page.evaluate(() => ({ timeOrigin: performance.timeOrigin }));
    out.returningPixel = pix2 ? pix2.wall - rv.timeOrigin : null;
    if (!pix2) out.error = (out.error ? out.error + '; ' : '') + 'no pixel request on the returning visit';
    phase('returning pixel');
    // A request is not the pixel running: a server may preload the script before the banner
    // has decided. The PageView reaching the (fake) pixel is.
    const pv = await until(() => page.evaluate(() => window.__pageViewAt).then((v) => (v === undefined ? null : v)), 20000);
    out.returningPageView = pv === null || pv === undefined ? null : pv;
    if (out.returningPageView === null) out.error = (out.error ? out.error + '; ' : '') + 'no PageView on the returning visit';
    await sleep(200);
    const rb = await page.evaluate(() => window.__bench);
    out.returningBanner = rb.present !== null;
    out.returningLongtasks = rb.longtasks.length;
    out.returningCls = rb.shifts.reduce((s, [, v]) => s + v, 0);
  } catch (e) {
    out.error = String(e && e.message || e).split('\n')[0];
  } finally {
    await context.close().catch(() => {});
    phase('closed');
  }
  return out;
}

function sh(cmd) { try { return execSync(cmd, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch (_) { return null; } }

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const targets = opts.targets ? opts.targets.map((n) => {
    const t = TARGETS.find((x) => x.name === n || x.dir === n);
    if (!t) throw new Error('unknown target ' + n + ' (' + TARGETS.map((x) => x.name).join(', ') + ')');
    return t;
  }) : TARGETS.filter((t) => !t.experimental);
  if (!fs.existsSync(path.join(opts.assets, 'akkoord.wasm'))) throw new Error('no akkoord build in ' + opts.assets + ' (./run build)');
  const t0 = Date.now();
  const server = await start({ assets: opts.assets });
  console.log(`server ${server.origin} (${server.files.size} files, compressed at startup in ${Date.now() - t0} ms)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });

  const results = [];
  const total = opts.runs * opts.conditions.length * targets.length;
  let n = 0;
  const started = Date.now();
  // Warm-up: one untimed pass so the first measured target doesn't pay for a cold browser.
  for (const t of targets) await session(browser, server, t, 'normal');
  for (let run = 0; run < opts.runs; run++) {
    // Rotate the order every run so no target always goes first after a condition change.
    const order = targets.map((_, i) => targets[(i + run) % targets.length]);
    for (const c of opts.conditions) {
      for (const t of order) {
        const r = await session(browser, server, t, c);
        r.run = run;
        results.push(r);
        n++;
        const fmt = (v) => (v === null || v === undefined ? '—' : Math.round(v));
        process.stdout.write(`[${n}/${total}] run ${run + 1} ${c.padEnd(6)} ${t.name.padEnd(26)} banner ${fmt(r.ready)} ms, returning pixel ${fmt(r.returningPixel)} ms, PageView ${fmt(r.returningPageView)} ms` +
          `${r.error ? '  ERROR ' + r.error : ''}${r.vendorBeforeConsent && r.vendorBeforeConsent.length ? '  VENDOR BEFORE CONSENT ' + r.vendorBeforeConsent.join(' ') : ''}\n`);
      }
    }
  }
  const machine = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    nproc: os.cpus().length,
    cpu: (os.cpus()[0] || {}).model,
    kernel: os.release(),
    loadavg: os.loadavg().map((x) => x.toFixed(2)).join(' '),
    chromium: browser.version(),
    node: process.version,
    packages: Object.fromEntries(['playwright-core', 'vanilla-cookieconsent', 'orejime', 'klaro', 'tarteaucitronjs'].map((p) => [p, require(`${p}/package.json`).version])),
    akkoordCommit: sh(`git -C ${JSON.stringify(path.join(__dirname, '..'))} rev-parse --short HEAD`),
    assets: path.relative(path.join(__dirname, '..'), opts.assets).startsWith('..') ? opts.assets : path.relative(path.join(__dirname, '..'), opts.assets) || '.',
    runs: opts.runs,
    minutes: ((Date.now() - started) / 60000).toFixed(1),
  };
  await browser.close();
  server.server.close();

  const md = report.render({ machine, results, targets, conditions: opts.conditions });
  console.log('\n' + md.table);
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify({ machine, results }, null, 1));
  if (opts.write) {
    report.write(opts.out, md);
    console.log('wrote ' + path.relative(process.cwd(), opts.out));
  }
  const failed = results.filter((r) => r.error || (r.vendorBeforeConsent && r.vendorBeforeConsent.length));
  if (failed.length) console.log(`${failed.length} of ${results.length} sessions had an error or a vendor request before consent (see the table)`);
}

main().catch((e) => { console.error(e); process.exit(1); });
