/*! Akkoord · MIT OR Apache-2.0 */
/* Akkoord loader (dist/akkoord.js keeps only the line above). Plain synchronous JS with
 * exactly these jobs: Google Consent Mode default (and a returning visitor's update) before
 * anything else, read GPC, queue window.akkoord calls until the wasm is ready, start fetching
 * the wasm and the config in parallel, start the full module when there is a stored choice or
 * the first visit's module hands over, and load the cookie statement's module when Rust asks
 * for it. Every decision is made in Rust; this file never inserts a gated script. */
(function () {
  'use strict';
  var w = window, d = document, script = d.currentScript;
  var P = 'akkoord: ';
  var KEYS = ['ad_storage', 'ad_user_data', 'ad_personalization', 'analytics_storage',
    'functionality_storage', 'personalization_storage', 'security_storage'];

  function attr(name) { return script ? script.getAttribute(name) : null; }
  // What went wrong, for a console line: an Error's message, or the thrown value itself.
  function why(e) { return e && e.message || e; }
  function whenParsed(f) { if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', f); else f(); }

  // Purposes -> Consent Mode keys; the same mapping as decide::consent_mode in Rust.
  function modeFor(granted) {
    var on = {}, s = {};
    for (var i = 0; i < granted.length; i++) on[granted[i]] = 1;
    var map = [on.marketing, on.marketing, on.marketing, on.analytics, on.functional, on.functional, 1];
    for (var k = 0; k < KEYS.length; k++) s[KEYS[k]] = map[k] ? 'granted' : 'denied';
    return s;
  }

  // 1. Consent Mode v2 default: the first dataLayer entry Akkoord makes (G-01..G-03).
  w.dataLayer = w.dataLayer || [];
  if (typeof w.gtag !== 'function') w.gtag = function () { w.dataLayer.push(arguments); };
  var def = modeFor([]);
  def.wait_for_update = 500;
  w.gtag('consent', 'default', def);
  w.gtag('set', 'ads_data_redaction', true);

  // 2. Inline config, if it precedes this script (it saves the config request). Rust reads
  // the text itself; the loader only peeks at a renamed consent cookie.
  var inline = d.getElementById('akkoord-config'), inlineText = inline ? inline.textContent : null;
  var inlineCookie = null;
  try { inlineCookie = inlineText && JSON.parse(inlineText).cookie.name; } catch (e) { /* Rust reports it */ }

  // 3. Returning visitor: re-apply the stored choice with one update before any Google tag (G-06).
  var cookieName = attr('data-cookie') || inlineCookie || 'akkoord';
  var applied = null, ID = '[a-z][a-z0-9_-]{0,31}', LIST = '((?:' + ID + ')(?:\\+' + ID + ')*)?';
  var RECORD = new RegExp('^1\\.\\d+\\.\\d+\\.[arcg]\\.[0-9a-z]{16}\\.' + LIST + '\\.' + LIST + '$');
  // The purposes a stored record grants, or null for anything that is not a record.
  function granted(value) {
    var m = RECORD.exec(value);
    return m ? (m[1] ? m[1].split('+') : []) : null;
  }
  try {
    var pairs = d.cookie.split(';');
    for (var i = 0; i < pairs.length; i++) {
      var eq = pairs[i].indexOf('=');
      if (pairs[i].slice(0, eq).trim() !== cookieName) continue;
      var g = granted(pairs[i].slice(eq + 1).trim());
      if (g) {
        applied = g;
        w.gtag('consent', 'update', modeFor(applied));
      }
    }
  } catch (e) { /* cookies blocked: treated as a first visit */ }

  // 4. window.akkoord: calls made before the wasm is ready are queued and replayed. Between
  // the first visit's module handing over and the full module starting, the first still
  // answers questions (`asked`); everything else waits for the full module.
  var wasm = null, asked = null, queue = [], person = null;
  var api = w.akkoord = {};
  var answers = { accepted: false, acceptedService: false, consent: null };
  function call(name, args, to) {
    try { return (to || wasm)[name].apply(null, args); } catch (e) {
      console.error(P + name + '() failed: ' + why(e));
      return answers[name];
    }
  }
  ['accepted', 'acceptedService', 'show', 'showPreferences', 'acceptAll', 'rejectAll', 'save', 'reset', 'consent']
    .forEach(function (name) {
      api[name] = function () {
        if (wasm) return call(name, arguments);
        if (name in answers) return asked ? call(name, arguments, asked) : answers[name]; // fail closed until ready
        queue.push([name, arguments]);
      };
    });
  // Only the full module has identify(); the latest call is kept for it and passed on before
  // it boots, so a returning visitor's pixels start with it.
  api.identify = function () {
    person = arguments;
    if (wasm && wasm.identify) call('identify', person);
  };

  // A banner the server rendered into the page (src/markup.rs) is clickable at once: until
  // the module takes it over (and drops the marker), its three buttons go through the queue.
  // So do the page's "cookie settings" links while no module listens (before the first boots,
  // and while the full module takes over): they open the preferences once it runs. Not once
  // loading has failed (`wasm` is 0 then): the links are the page's own again.
  var ACTIONS = { 'accept-all': 'acceptAll', 'reject-all': 'rejectAll', preferences: 'showPreferences' };
  function prerendered() { return d.querySelector('#akkoord[data-akkoord-markup]'); }
  d.addEventListener('click', function (e) {
    var t = e.target, name, button;
    if (t === prerendered()) {
      // The host's own element that was clicked (a click always targets an element).
      button = e.composedPath()[0].closest('[data-akkoord-action]');
      name = button && ACTIONS[button.getAttribute('data-akkoord-action')];
    } else if (wasm === null && t.closest && t.closest('[data-akkoord-open]')) {
      e.preventDefault();
      name = 'showPreferences';
    }
    if (name) api[name]();
  }, true);

  // 5. Fetch the wasm and the config at once, in parallel.
  var base = script && script.src ? script.src.replace(/[^/]*(?:[?#].*)?$/, '') : '/akkoord/';
  var wasmUrl = attr('data-wasm') || base + 'akkoord.wasm';
  var configUrl = attr('data-config');
  var nonce = (script && (script.nonce || script.getAttribute('nonce'))) || null;
  var gpc = navigator.globalPrivacyControl === true;

  // Resolves to the config's JSON text; Rust parses and validates it.
  function configText() {
    if (inline) return Promise.resolve(inlineText);
    if (configUrl) {
      return fetch(configUrl, { credentials: 'same-origin' }).then(function (r) {
        if (!r.ok) throw new Error('config ' + configUrl + ': HTTP ' + r.status);
        return r.text();
      }, function (e) { throw new Error('config ' + configUrl + ' could not be fetched: ' + e.message); });
    }
    // An inline config placed after this script: read it once the document is parsed.
    return new Promise(function (resolve, reject) {
      function read() {
        var el = d.getElementById('akkoord-config');
        if (el) resolve(el.textContent);
        else reject(new Error('no config: add data-config="/akkoord.json" or an inline <script type="application/json" id="akkoord-config">'));
      }
      whenParsed(read);
    });
  }

  // Under Trusted Types a script's src must be a TrustedScriptURL: a policy named "akkoord"
  // signs the module URLs. It never leaves this scope, so it signs nothing else. Where the
  // page's CSP does not allow that name, the plain URL is used (and refused only where Trusted
  // Types are enforced, with the console error below).
  var policy = null;
  function scriptUrl(url) {
    try {
      policy = policy || w.trustedTypes.createPolicy('akkoord', { createScriptURL: function (u) { return u; } });
      return policy.createScriptURL(url);
    } catch (e) { return url; }
  }

  // A module's bytes, for its glue's init (scripts/tools/glue-init.js). Compiled from the
  // bytes, a module does not depend on the server's Content-Type for .wasm files.
  function wasmBytes(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.arrayBuffer();
    });
  }

  // module(name): a module that has its own glue script (akkoord-full, akkoord-statement),
  // started. The wasm download starts at once, alongside the script's; the glue script
  // leaves its init function on its own element, so it needs no page global.
  function module(name) {
    var wasmFile = base + name + '.wasm', bytes = wasmBytes(wasmFile);
    bytes.catch(function () { /* reported once the glue is in, below */ });
    return new Promise(function (resolve, reject) {
      var s = d.createElement('script');
      s.src = scriptUrl(base + name + '.js');
      if (nonce) s.nonce = nonce;
      s.onerror = function () { reject(new Error('could not load ' + s.src)); };
      s.onload = function () {
        var m = s.akkoord;
        if (typeof m !== 'function') return reject(new Error(s.src + ' is not an Akkoord module'));
        m(bytes).then(function () { resolve(m); },
          function (e) { reject(new Error('could not load ' + wasmFile + ': ' + why(e))); });
      };
      (d.head || d.documentElement).appendChild(s);
    });
  }

  var config = configText().then(function (t) { return { text: t }; },
    function (e) { return { error: String(why(e)) }; });
  // A visitor with a stored choice that grants something gets the full module at once.
  // Everyone else gets the first visit's module, whose glue is in this file: it shows the
  // banner and stores the choice, and the full module is fetched only once something is
  // granted (hand over, below). A refusal of everything leaves nothing to run.
  var main = applied && applied.length ? module('akkoord-full') : typeof akkoordWasm === 'function'
    ? akkoordWasm(wasmBytes(wasmUrl)).then(function () { return akkoordWasm; },
      function (e) { throw new Error('could not load ' + wasmUrl + ': ' + why(e)); })
    : Promise.reject(new Error('the wasm glue is missing from akkoord.js'));

  Promise.all([main, config]).then(function (r) {
    // A banner the server rendered is on screen and takes clicks already: let the page paint
    // before booting, rather than hold its first paint for the boot. A hidden tab paints
    // nothing (and runs no animation frame): boot at once there. So does a visitor with a
    // stored choice: a static page's banner is not on screen for them (`akkoord prerender
    // --static`), and their pixels should not wait for a paint.
    if (d.hidden || applied || !prerendered()) start(r);
    else requestAnimationFrame(function () { setTimeout(start, 0, r); });
  }, fail);

  function fail(e) {
    console.error(P + why(e) + ' (nothing gated will run)');
    failClosed();
  }

  // start([module, config], decided): boot a module and send it the queued calls. `decided`
  // is the record the first visit's module has just stored, for the full module.
  function start(r, decided) {
    var m = r[0], c = r[1], q = queue;
    // identify() first: a returning visitor's pixels start during boot, and take it then.
    if (person && m.identify) call('identify', person, m);
    try {
      m.boot(c.error ? null : c.text, {
        gpc: gpc, nonce: nonce, configError: c.error || null, applied: applied,
        source: inline ? '#akkoord-config' : configUrl || '#akkoord-config',
        statement: decided === undefined ? function (lang) { statement(c.text, lang); } : null,
        handOver: m === akkoordWasm ? function (record) { handOver(m, c, record); } : null,
        resumed: decided !== undefined, decided: decided
      });
    } catch (e) { console.error(P + 'could not start: ' + why(e)); failClosed(); return; }
    // The first visit's module may have handed over during boot already.
    if (wasm === null && asked === m) return;
    wasm = m;
    queue = [];
    for (var i = 0; i < q.length; i++) call(q[i][0], q[i][1]);
  }

  // The first visit's module has stored a choice (`record`) or met a page it cannot serve
  // (`record` null): from here the full module serves the page.
  function handOver(b, c, record) {
    wasm = null;
    asked = b;
    var g = record ? granted(record) : null;
    if (g) applied = g; // Consent Mode has it already: the full module sends no second update
    module('akkoord-full').then(function (m) { start([m, c], record || null); }, fail);
  }

  // 6. The cookie statement's renderer is a module of its own (akkoord-statement.js + .wasm,
  // built from the same crate). Rust asks for it only on a page with [data-akkoord-statement]
  // and a valid config, and renders with the config text it booted with.
  function statement(text, lang) {
    function no(e) { console.error(P + 'cookie statement not rendered: ' + why(e)); }
    module('akkoord-statement').then(function (m) {
      try { m.render(text, lang); } catch (e) { no(e); }
    }, no);
  }

  // Without Rust nothing may count as granted: take back the stored grant applied in step 3.
  function failClosed() {
    wasm = 0;
    asked = null; // a retired first module may not answer "granted" for a page where nothing runs
    if (applied && applied.length) w.gtag('consent', 'update', modeFor([]));
    // A server-rendered banner whose buttons can no longer do anything goes too.
    function drop() { var h = prerendered(); if (h) h.remove(); }
    whenParsed(drop);
  }
})();
