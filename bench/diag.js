// Where a target's time goes: resource timing of every request and the banner times, for one
// visit (and a returning visit after accepting). Not part of the bench run; a tool for looking.
//   node diag.js <target dir> [normal|cpu4x|slow4g] [count]
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');
const { start } = require('./server');
const { TARGETS } = require('./targets');
const probe = fs.readFileSync(path.join(__dirname, 'probe.js'), 'utf8');

(async () => {
  const [dir, cond = 'normal', count = '1'] = process.argv.slice(2);
  const t = TARGETS.find((x) => x.dir === dir || x.name === dir);
  const s = await start({ assets: process.env.BENCH_ASSETS });
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'] });
  for (let i = 0; i < Number(count); i++) {
    const ctx = await b.newContext({ viewport: { width: 1280, height: 800 }, ...(t.context || {}) });
    await ctx.addInitScript(`(${probe})(${JSON.stringify(t.banner)})`);
    await ctx.route(/^https:\/\//, (r) => r.fulfill({ status: 200, contentType: 'text/javascript', body: '' }));
    const p = await ctx.newPage();
    const cdp = await ctx.newCDPSession(p);
    if (cond === 'cpu4x') await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    if (cond === 'slow4g') { await cdp.send('Network.enable'); await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 562.5, downloadThroughput: 180000, uploadThroughput: 84375 }); }
    const show = async (label) => {
      const r = await p.evaluate(() => ({
        res: performance.getEntriesByType('resource').map((e) => [e.name.replace(location.origin, ''), Math.round(e.startTime), Math.round(e.responseStart), Math.round(e.responseEnd), e.transferSize]),
        nav: (({ responseEnd, domContentLoadedEventEnd, loadEventEnd }) => ({ responseEnd, domContentLoadedEventEnd, loadEventEnd }))(performance.getEntriesByType('navigation')[0].toJSON()),
        b: { present: window.__bench.present, ready: window.__bench.ready, lt: window.__bench.longtasks },
        paint: performance.getEntriesByType('paint').map((e) => [e.name, Math.round(e.startTime)]),
      }));
      console.log(label, JSON.stringify(r.nav), 'banner', r.b.present && Math.round(r.b.present), r.b.ready && Math.round(r.b.ready), 'lt', JSON.stringify(r.b.lt.map((x) => x.map(Math.round))), JSON.stringify(r.paint));
      for (const x of r.res) console.log('   ', x.join('  '));
    };
    await p.goto(s.origin + '/t/' + t.dir + '/');
    await p.waitForFunction(() => window.__bench.ready !== null, null, { timeout: 20000 });
    await p.waitForTimeout(300);
    await show('first');
    const pt = await p.evaluate((spec) => { const root = spec.host ? document.querySelector(spec.host).shadowRoot : document; const r = root.querySelector(spec.accept).getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; }, t.banner);
    await p.mouse.click(pt.x, pt.y);
    await p.waitForTimeout(500);
    await p.goto(s.origin + '/t/' + t.dir + '/');
    await p.waitForTimeout(cond === 'normal' ? 800 : 3000);
    await show('returning');
    await ctx.close();
  }
  await b.close(); s.server.close();
})();
