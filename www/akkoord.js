/*! Akkoord loader. Plain synchronous JS with exactly these jobs: Google Consent Mode default
 * (and a returning visitor's update) before anything else, read GPC, queue window.akkoord
 * calls until the wasm is ready, start fetching the wasm and the config in parallel, and
 * load the cookie statement's module when Rust asks for it. Every decision is made in Rust;
 * this file never inserts a gated script. */
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
  try {
    var pairs = d.cookie.split(';');
    for (var i = 0; i < pairs.length; i++) {
      var eq = pairs[i].indexOf('=');
      if (pairs[i].slice(0, eq).trim() !== cookieName) continue;
      var m = RECORD.exec(pairs[i].slice(eq + 1).trim());
      if (m) {
        applied = m[1] ? m[1].split('+') : [];
        w.gtag('consent', 'update', modeFor(applied));
      }
    }
  } catch (e) { /* cookies blocked: treated as a first visit */ }

  // 4. window.akkoord: calls made before the wasm is ready are queued and replayed.
  var wasm = null, queue = [];
  var api = w.akkoord = {};
  var answers = { accepted: false, acceptedService: false, consent: null };
  function call(name, args, to) {
    try { return (to || wasm)[name].apply(null, args); } catch (e) {
      console.error(P + name + '() failed: ' + why(e));
      return answers[name];
    }
  }
  ['accepted', 'acceptedService', 'show', 'showPreferences', 'acceptAll', 'rejectAll', 'save', 'reset', 'consent', 'identify']
    .forEach(function (name) {
      api[name] = function () {
        if (wasm) return call(name, arguments);
        if (name in answers) return answers[name]; // fail closed until ready
        queue.push([name, arguments]);
      };
    });

  // A banner the server rendered into the page (src/markup.rs) is clickable at once: until
  // the module takes it over (and drops the marker), its three buttons go through the queue.
  var ACTIONS = { 'accept-all': 'acceptAll', 'reject-all': 'rejectAll', preferences: 'showPreferences' };
  function prerendered() { return d.querySelector('#akkoord[data-akkoord-markup]'); }
  d.addEventListener('click', function (e) {
    if (e.target !== prerendered()) return;
    // The host's own element that was clicked (a click always targets an element).
    var button = e.composedPath()[0].closest('[data-akkoord-action]');
    var name = button && ACTIONS[button.getAttribute('data-akkoord-action')];
    if (name) api[name](); // type=button: no default to prevent
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

  var config = configText().then(function (t) { return { text: t }; },
    function (e) { return { error: String(why(e)) }; });
  var module = typeof akkoordWasm === 'function'
    ? akkoordWasm({ module_or_path: wasmUrl })
    : Promise.reject(new Error('the wasm glue is missing from akkoord.js'));

  Promise.all([module, config]).then(function (r) {
    // A banner the server rendered is on screen and takes clicks already: let the page paint
    // before booting, rather than hold its first paint for the boot. A hidden tab paints
    // nothing (and runs no animation frame): boot at once there.
    if (d.hidden || !prerendered()) start(r);
    else requestAnimationFrame(function () { setTimeout(start, 0, r); });
  }, function (e) {
    console.error(P + 'could not load ' + wasmUrl + ': ' + why(e) + ' (nothing gated will run)');
    failClosed();
  });

  function start(r) {
    var c = r[1], q = queue;
    // identify() first: a returning visitor's pixels start during boot, and take it then.
    queue = [];
    for (var j = 0; j < q.length; j++) {
      if (q[j][0] === 'identify') call('identify', q[j][1], akkoordWasm); else queue.push(q[j]);
    }
    try {
      akkoordWasm.boot(c.error ? null : c.text, {
        gpc: gpc, nonce: nonce, configError: c.error || null, applied: applied,
        source: inline ? '#akkoord-config' : configUrl || '#akkoord-config',
        statement: function (lang) { statement(c.text, lang); }
      });
    } catch (e) { console.error(P + 'could not start: ' + why(e)); failClosed(); return; }
    wasm = akkoordWasm;
    q = queue; queue = [];
    for (var i = 0; i < q.length; i++) call(q[i][0], q[i][1]);
  }

  // 6. The cookie statement's renderer is a module of its own (akkoord-statement.js + .wasm,
  // built from the same crate). Rust asks for it only on a page with [data-akkoord-statement]
  // and a valid config, and renders with the config text it booted with.
  function statement(text, lang) {
    var js = base + 'akkoord-statement.js', wasmFile = base + 'akkoord-statement.wasm';
    var s = d.createElement('script');
    function fail(what) {
      return function (e) { console.error(P + 'cookie statement not rendered: ' + what + ': ' + why(e)); };
    }
    s.src = js;
    if (nonce) s.nonce = nonce;
    s.onerror = function () { fail('could not load ' + js)('network or HTTP error'); };
    s.onload = function () {
      var m = s.akkoord; // set by the module's own script, so it needs no page global
      if (typeof m !== 'function') return fail(js)('not an Akkoord statement module');
      m({ module_or_path: wasmFile }).then(function () {
        try { m.render(text, lang); } catch (e) { fail('the renderer failed')(e); }
      }, fail('could not load ' + wasmFile));
    };
    (d.head || d.documentElement).appendChild(s);
  }

  // Without Rust nothing may count as granted: take back the stored grant applied in step 3.
  function failClosed() {
    if (applied && applied.length) w.gtag('consent', 'update', modeFor([]));
    // A server-rendered banner whose buttons can no longer do anything goes too.
    function drop() { var h = prerendered(); if (h) h.remove(); }
    whenParsed(drop);
  }
})();
