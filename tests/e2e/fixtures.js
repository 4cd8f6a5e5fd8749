// Test fixtures: one `akkoord serve` per worker, vendor interception and the
// no-error rule for every test.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const base = require('@playwright/test');
const { isVendorUrl, isLocalHost, fakeResponse } = require('./vendors');

const ROOT = path.resolve(__dirname, '..', '..');

function startServer() {
  const bin = process.env.AKKOORD_BIN || path.join(ROOT, 'target', 'debug', 'akkoord');
  if (!fs.existsSync(bin)) throw new Error(`${bin} not found: run ./run build first`);
  // AKKOORD_E2E_ASSETS tests another build of the banner than dist/.
  const assets = path.resolve(process.env.AKKOORD_E2E_ASSETS || path.join(ROOT, 'dist'));
  for (const need of ['akkoord.js', 'akkoord.wasm']) {
    if (!fs.existsSync(path.join(assets, need))) throw new Error(`${path.join(assets, need)} not found: run ./run build first`);
  }
  // Its own working directory: whatever the server writes (a receipts database) stays there.
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'akkoord-e2e-'));
  const child = spawn(bin, [
    'serve',
    '--addr', '127.0.0.1:0',
    '--site', path.join(ROOT, 'www', 'demo'),
    '--assets', assets,
  ], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

  let stderr = '';
  child.stderr.on('data', (b) => { stderr += b; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`akkoord serve printed no "listening on" line in 20 s\nstdout: ${out}\nstderr: ${stderr}`));
    }, 20_000);
    child.stdout.on('data', (b) => {
      out += b;
      const first = out.split('\n')[0];
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(first);
      if (!m) {
        child.kill('SIGKILL');
        reject(new Error(`unexpected first line from akkoord serve: ${JSON.stringify(first)}\nstderr: ${stderr}`));
        return;
      }
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({ url: m[1], child, cwd, stderr: () => stderr });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`akkoord serve exited (${code ?? signal}) before listening\nstderr: ${stderr}`));
    });
  });
}

// Runs in every page before its own scripts: records the banner's DOM events and what
// window.dataLayer held when the document finished parsing (the loader is synchronous,
// so by then it must have pushed the Consent Mode default, and the update for a stored choice).
function instrument() {
  var seen = typeof WeakSet === 'function' ? new WeakSet() : null;
  window.__akkoordEvents = [];
  function record(e) {
    if (seen) { if (seen.has(e)) return; seen.add(e); }
    window.__akkoordEvents.push(e.type);
  }
  ['akkoord:ready', 'akkoord:change'].forEach(function (type) {
    window.addEventListener(type, record, true);
    document.addEventListener(type, record, true);
  });
  document.addEventListener('DOMContentLoaded', function () {
    var dl = window.dataLayer || [];
    window.__dlAtDomReady = Array.prototype.map.call(dl, function (e) {
      var tag = Object.prototype.toString.call(e);
      var v = tag === '[object Arguments]' || Array.isArray(e) ? Array.prototype.slice.call(e) : e;
      try { return JSON.parse(JSON.stringify(v)); } catch (err) { return String(v); }
    });
  }, true);
}

const test = base.test.extend({
  server: [async ({}, use) => {
    const server = await startServer();
    await use(server);
    server.child.kill('SIGTERM');
    await new Promise((r) => { if (server.child.exitCode !== null) r(); else server.child.on('exit', r); setTimeout(r, 3000); });
    fs.rmSync(server.cwd, { recursive: true, force: true });
  }, { scope: 'worker' }],

  baseURL: async ({ server }, use) => { await use(server.url); },

  // Every request to a vendor host is answered by a fake and recorded; every other
  // non-local request is blocked. Local requests are recorded too (path + query).
  vendor: [async ({ context }, use) => {
    const log = { requests: [], blocked: [], local: [], fbCalls: [] };
    // Calls the fake Meta pixel saw, across reloads of the page.
    await context.exposeBinding('__e2eFbCall', ({ frame }, args) => {
      log.fbCalls.push({ args, url: frame.url(), at: Date.now() });
    });
    await context.route('**/*', async (route) => {
      const req = route.request();
      const url = req.url();
      let u;
      try { u = new URL(url); } catch (_) { return route.continue(); }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return route.continue();
      if (isLocalHost(u.hostname)) {
        log.local.push(u.pathname + u.search);
        return route.continue();
      }
      if (isVendorUrl(url)) {
        log.requests.push({ url, host: u.hostname, path: u.pathname, at: Date.now(), type: req.resourceType() });
        return route.fulfill(fakeResponse(url));
      }
      log.blocked.push(url);
      return route.abort('blockedbyclient');
    });
    await context.addInitScript(instrument);
    await use(log);
  }, { auto: true }],

  // Any uncaught page error fails the test, and so does any console error the test did not
  // declare with `errors.expect(/…/)`.
  errors: [async ({ context }, use, testInfo) => {
    const state = {
      page: [],
      console: [],
      expected: [],
      expect(re) { state.expected.push(re); },
    };
    context.on('weberror', (e) => state.page.push(String(e.error() && (e.error().stack || e.error().message) || e.error())));
    const all = [];
    context.on('console', (msg) => {
      all.push(`${msg.type()}: ${msg.text()}`);
      if (msg.type() !== 'error') return;
      state.console.push(msg.text());
    });
    await use(state);
    if (testInfo.status !== testInfo.expectedStatus) {
      // What the page said and did, to tell a slow start from a banner that never came.
      const pages = await Promise.all(context.pages().map((p) => p.evaluate(() => ({
        url: location.href,
        events: window.__akkoordEvents || null,
        host: !!document.getElementById('akkoord'),
        shadow: !!(document.getElementById('akkoord') || {}).shadowRoot,
        dataLayerLength: (window.dataLayer || []).length,
      })).catch((e) => ({ error: String(e) }))));
      console.log(`diagnostics for "${testInfo.title}":\n${JSON.stringify({ pages, console: all.slice(-20) }, null, 1)}`);
      await testInfo.attach('diagnostics.json', {
        contentType: 'application/json',
        body: JSON.stringify({ console: all, pages }, null, 2),
      });
    }
    const problems = [];
    for (const e of state.page) problems.push(`page error: ${e}`);
    for (const text of state.console) {
      if (!state.expected.some((re) => re.test(text))) problems.push(`console error: ${text}`);
    }
    if (problems.length) throw new Error(problems.join('\n'));
  }, { auto: true }],
});

module.exports = { test, expect: base.expect, ROOT };
