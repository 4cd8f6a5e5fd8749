// One static server for every bench target, so no banner gets a better server than another.
//
// Every file it may serve is read and compressed once at startup (gzip -9 and brotli q11, the
// same settings `./run build` uses for dist/), so a request never waits on compression and the
// byte counts are the same numbers the browser receives. Responses carry `Cache-Control:
// no-cache` and a strong ETag: a returning visitor revalidates every file (304) for every target.
//
//   node server.js [--port N] [--assets DIR]   (prints "listening on http://127.0.0.1:PORT")
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');
const zlib = require('zlib');
const crypto = require('crypto');

const { buildPages, TARGETS } = require('./targets');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.svg']);

function entry(body, ext) {
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const e = {
    type: MIME[ext] || 'application/octet-stream',
    raw,
    etag: '"' + crypto.createHash('sha256').update(raw).digest('base64url').slice(0, 22) + '"',
  };
  if (COMPRESSIBLE.has(ext)) {
    e.gzip = zlib.gzipSync(raw, { level: 9 });
    e.br = zlib.brotliCompressSync(raw, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        [zlib.constants.BROTLI_PARAM_MODE]: ext === '.wasm' ? zlib.constants.BROTLI_MODE_GENERIC : zlib.constants.BROTLI_MODE_TEXT,
      },
    });
  }
  return e;
}

// Adds every file under dir (recursively) at urlPrefix + relative path.
function addTree(files, urlPrefix, dir, filter, headers) {
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) {
    const full = path.join(dir, name);
    const st = fs.statSync(full);
    if (st.isDirectory()) {
      addTree(files, urlPrefix + name + '/', full, filter, headers);
    } else {
      const ext = path.extname(name);
      if (ext === '.br' || ext === '.gz' || ext === '.map') continue;
      if (filter && !filter(full)) continue;
      const e = entry(fs.readFileSync(full), ext);
      if (headers) e.headers = headers;
      files.set(urlPrefix + name, e);
    }
  }
}

// The whole site: /akkoord/ = the banner build, /peers/<name>/ = each peer's shipped files,
// /t/<target>/ = the test page of each target (see targets.js), /site.css shared by all.
const WASM_PRELOAD = '<link rel="preload" href="/akkoord/akkoord.wasm" as="fetch" crossorigin>';
const FULL_PRELOAD = '<link rel="preload" href="/akkoord/akkoord-full.js" as="script">\n' +
  '<link rel="preload" href="/akkoord/akkoord-full.wasm" as="fetch" crossorigin>';
const WASM_LINK = '</akkoord/akkoord.wasm>; rel=preload; as=fetch; crossorigin';
const FULL_LINK = '</akkoord/akkoord-full.js>; rel=preload; as=script, </akkoord/akkoord-full.wasm>; rel=preload; as=fetch; crossorigin';

function buildFiles(opts) {
  const nm = path.join(__dirname, 'node_modules');
  const files = new Map();
  addTree(files, '/akkoord/', opts.assets, (f) => /\.(js|wasm|css)$/.test(f));
  // The same build under a versioned path, cached for a year without revalidation: what a
  // returning visitor gets when the files are named by version (experimental target).
  addTree(files, '/akkoord-v/', opts.assets, (f) => /\.(js|wasm)$/.test(f),
    { 'cache-control': 'public, max-age=31536000, immutable' });
  addTree(files, '/peers/vanilla-cookieconsent/', path.join(nm, 'vanilla-cookieconsent', 'dist'));
  addTree(files, '/peers/orejime/', path.join(nm, 'orejime', 'dist'), (f) => /standard-nl\.js$|standard\.css$/.test(f));
  addTree(files, '/peers/klaro/', path.join(nm, 'klaro', 'dist'), (f) => /klaro(\.min)?\.(js|css)$/.test(f));
  const tac = path.join(nm, 'tarteaucitronjs');
  addTree(files, '/peers/tarteaucitron/', tac, (f) => {
    const rel = path.relative(tac, f);
    return /\.(js|css)$/.test(rel) && !rel.startsWith('node_modules') && (!rel.startsWith('lang') || /\.(nl|en)\.js$/.test(rel));
  });
  addTree(files, '/', path.join(__dirname, 'site'));
  for (const [url, body, headers, pre] of buildPages(opts.assets)) {
    if (pre && pre.static) { // one page for every visitor, as a static host sends it
      const e = entry(prerender(body, pre.config, opts.assets, true), '.html');
      if (headers) e.headers = headers;
      files.set(url, e);
      continue;
    }
    const e = entry(body, path.extname(url));
    if (headers) e.headers = headers;
    if (pre) e.prerendered = entry(prerender(body, pre.config, opts.assets), '.html');
    // Like `akkoord serve`: a visitor with a stored choice gets the full module preloaded, not
    // the first visit's module (README, "Two modules for the banner").
    const html = String(body);
    const link = headers && headers.link;
    if (html.includes(WASM_PRELOAD) || (link && link.includes(WASM_LINK))) {
      const r = entry(html.split(WASM_PRELOAD).join(FULL_PRELOAD), path.extname(url));
      if (headers) r.headers = { ...headers, ...(link ? { link: link.split(WASM_LINK).join(FULL_LINK) } : {}) };
      e.returning = r;
    }
    files.set(url, e);
  }
  return files;
}

// The page with the banner in its HTML, made by the same code as `akkoord serve` uses
// (`akkoord prerender`, server/src/prerender.rs); `--static` with `staticHost`.
function prerender(page, config, assets, staticHost) {
  const bin = process.env.AKKOORD_BIN || path.join(__dirname, '..', 'target', 'debug', 'akkoord');
  if (!fs.existsSync(bin)) throw new Error(bin + ' not found: ./run build (it builds the akkoord CLI)');
  const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'akkoord-bench-'));
  try {
    fs.writeFileSync(path.join(dir, 'page.html'), page);
    fs.writeFileSync(path.join(dir, 'akkoord.json'), config);
    return require('child_process').execFileSync(bin, ['prerender', ...(staticHost ? ['--static'] : []),
      path.join(dir, 'page.html'), '--config', path.join(dir, 'akkoord.json'), '--css', path.join(assets, 'akkoord.css')],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Targets served by `akkoord serve` itself (targets.js `serve: true`): their pages are written
// to a site folder of their own and every request for them is forwarded to a serve process on
// the loopback, so what the bench measures is the server's own banner, `Link` preloads and
// decisions, not a copy of them. The banner's files still come from this server, like every
// other target's.
function startServe(files, assets) {
  const dirs = TARGETS.filter((t) => t.serve).map((t) => `/t/${t.dir}/`);
  if (!dirs.length) return Promise.resolve(null);
  const bin = process.env.AKKOORD_BIN || path.join(__dirname, '..', 'target', 'debug', 'akkoord');
  if (!fs.existsSync(bin)) throw new Error(bin + ' not found: ./run build (it builds the akkoord CLI)');
  const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'akkoord-bench-serve-'));
  const site = path.join(dir, 'site');
  for (const [url, e] of files) {
    if (!dirs.some((d) => url.startsWith(d))) continue;
    const file = path.join(site, url);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, e.raw);
    // Precompressed siblings, as `./run build` makes them for dist/: serve sends them as it
    // would on a real site (a page it puts the banner in goes out as serve makes it).
    if (e.br) fs.writeFileSync(file + '.br', e.br);
    if (e.gzip) fs.writeFileSync(file + '.gz', e.gzip);
  }
  const child = require('child_process').spawn(bin, ['serve', '--site', site, '--assets', assets,
    '--addr', '127.0.0.1:0', '--db', path.join(dir, 'receipts.db'), '--config', path.join(site, dirs[0].slice(1), 'akkoord.json')],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = () => { child.kill(); fs.rmSync(dir, { recursive: true, force: true }); };
  process.on('exit', stop);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ origin: m[1], dirs, stop, agent: new http.Agent({ keepAlive: true }) });
    });
    child.on('exit', (code) => reject(new Error('akkoord serve exited with ' + code)));
  });
}

function forward(req, res, serve) {
  const up = http.request(serve.origin + req.url, { method: req.method, headers: req.headers, agent: serve.agent }, (r) => {
    res.writeHead(r.statusCode, r.headers);
    r.pipe(res);
  });
  up.on('error', (e) => { res.writeHead(502, { 'content-type': 'text/plain' }); res.end(String(e)); });
  req.pipe(up);
}

function pickEncoding(header, e) {
  const accepted = String(header || '').toLowerCase().split(',').map((s) => s.trim().split(';')[0]);
  if (e.br && accepted.includes('br')) return 'br';
  if (e.gzip && accepted.includes('gzip')) return 'gzip';
  return null;
}

async function start(opts = {}) {
  const assets = opts.assets || path.join(__dirname, '..', 'dist');
  const files = buildFiles({ assets });
  const serve = await startServe(files, assets);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let p = decodeURIComponent(url.pathname);
    if (serve && serve.dirs.some((d) => p.startsWith(d))) return forward(req, res, serve);
    if (p.endsWith('/')) p += 'index.html';
    if (req.method === 'POST') { // nothing in the bench posts; answer like an endpoint would
      req.resume();
      res.writeHead(204, { 'cache-control': 'no-store' });
      return res.end();
    }
    let e = files.get(p);
    // Like `akkoord serve`: the banner in the HTML only for a visitor without a choice.
    const stored = /(^|;\s*)akkoord=/.test(req.headers.cookie || '');
    if (e && e.prerendered && !stored) e = e.prerendered;
    if (e && e.returning && stored) e = e.returning;
    if (!e || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
      return res.end('not found\n');
    }
    const headers = { 'content-type': e.type, 'cache-control': 'no-cache', etag: e.etag, vary: 'Accept-Encoding', ...(e.headers || {}) };
    if (req.headers['if-none-match'] === e.etag) {
      res.writeHead(304, headers);
      return res.end();
    }
    const enc = pickEncoding(req.headers['accept-encoding'], e);
    const body = enc ? e[enc] : e.raw;
    if (enc) headers['content-encoding'] = enc;
    headers['content-length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  server.keepAliveTimeout = 60000;
  if (serve) server.on('close', serve.stop);
  return new Promise((resolve) => {
    server.listen(opts.port || 0, '127.0.0.1', () => {
      resolve({ server, files, origin: 'http://127.0.0.1:' + server.address().port });
    });
  });
}

// Sizes of one served file: raw, gzip, brotli (compressed sizes fall back to raw).
// `firstVisit`: the version a visitor without the consent cookie gets (prerender targets).
function sizes(files, urlPath, firstVisit = false) {
  let e = files.get(urlPath.endsWith('/') ? urlPath + 'index.html' : urlPath);
  if (!e) return null;
  if (firstVisit && e.prerendered) e = e.prerendered;
  return { raw: e.raw.length, gzip: (e.gzip || e.raw).length, br: (e.br || e.raw).length };
}

module.exports = { start, sizes };

if (require.main === module) {
  const args = process.argv.slice(2);
  const get = (flag) => { const i = args.indexOf(flag); return i >= 0 ? args[i + 1] : undefined; };
  start({ port: Number(get('--port') || 0), assets: get('--assets') }).then(({ origin }) => {
    console.log('listening on ' + origin);
  });
}
