// CPU profile of one first visit (V8 sampling profiler via CDP): self time by function, and the
// main-thread timeline of the akkoord.js / wasm work. A tool for looking, not part of the run.
//   node profile.js <target dir> [cpu throttle rate]
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');
const { start } = require('./server');
const { TARGETS } = require('./targets');
const probe = fs.readFileSync(path.join(__dirname, 'probe.js'), 'utf8');

(async () => {
  const [dir, rate = '1'] = process.argv.slice(2);
  const t = TARGETS.find((x) => x.dir === dir || x.name === dir);
  const s = await start({ assets: process.env.BENCH_ASSETS });
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'] });
  const ctx = await b.newContext({ viewport: { width: 1280, height: 800 } });
  await ctx.addInitScript(`(${probe})(${JSON.stringify(t.banner)})`);
  const p = await ctx.newPage();
  const cdp = await ctx.newCDPSession(p);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(rate) });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await p.goto(s.origin + '/t/' + t.dir + '/');
  await p.waitForFunction(() => window.__bench.ready !== null, null, { timeout: 20000 });
  const { profile } = await cdp.send('Profiler.stop');
  const bench = await p.evaluate(() => window.__bench);
  const self = new Map();
  const dt = new Map();
  for (let i = 0; i < profile.samples.length; i++) dt.set(profile.samples[i], (dt.get(profile.samples[i]) || 0) + (profile.timeDeltas[i] || 0));
  let total = 0;
  for (const n of profile.nodes) {
    const us = dt.get(n.id) || 0;
    const f = n.callFrame;
    const key = (f.functionName || '(anon)') + ' ' + (f.url ? path.basename(f.url).slice(0, 40) + ':' + f.lineNumber + ':' + f.columnNumber : '');
    if (f.functionName === '(idle)' || f.functionName === '(program)') continue;
    self.set(key, (self.get(key) || 0) + us);
    total += us;
  }
  console.log('banner present', Math.round(bench.present), 'ready', Math.round(bench.ready), 'long tasks', JSON.stringify(bench.longtasks.map((x) => x.map(Math.round))));
  console.log('busy (non-idle) ms', Math.round(total / 1000));
  for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(String(Math.round(us / 100) / 10).padStart(7), k);
  await b.close(); s.server.close();
})();
