/* Fake of https://connect.facebook.net/en_US/fbevents.js for the end-to-end tests.
 *
 * Keeps the real script's call interface: the base code defines a queueing `fbq` stub
 * (fbq.queue, fbq.callMethod unset); the real script takes it over by setting
 * fbq.callMethod and then replays fbq.queue in order. Like the real pixel it honours
 * fbq('consent','revoke'|'grant'): while revoked it holds events and sets no cookie; once
 * granted (the default when no revoke was called) it sets the first-party `_fbp` cookie on
 * the current host and fires https://www.facebook.com/tr requests.
 *
 * Every call is recorded, in order, in window.__fbCalls (arrays of JSON-cloned arguments),
 * and reported to the test through window.__e2eFbCall, which outlives a page reload.
 */
(function () {
  var w = window;
  var d = document;
  var calls = (w.__fbCalls = w.__fbCalls || []);
  w.__fbLoads = (w.__fbLoads || 0) + 1;

  var f = w.fbq;
  if (typeof f !== 'function') {
    f = w.fbq = function () {
      if (f.callMethod) f.callMethod.apply(f, arguments);
      else f.queue.push(arguments);
    };
    f.push = f;
    f.loaded = true;
    f.version = '2.0';
    f.queue = [];
    w.__fbStubMissing = true;
  }
  if (!w._fbq) w._fbq = f;

  var consent = 'granted';
  var pixels = [];
  var held = [];

  function clone(x) {
    if (x === undefined) return null;
    try { return JSON.parse(JSON.stringify(x)); } catch (e) { return String(x); }
  }

  function hasCookie(name) {
    return d.cookie.split(/;\s*/).some(function (c) { return c.indexOf(name + '=') === 0; });
  }

  function setBrowserId() {
    if (consent !== 'granted' || pixels.length === 0 || hasCookie('_fbp')) return;
    d.cookie = '_fbp=fb.0.' + Date.now() + '.' + Math.floor(Math.random() * 1e10) +
      '; path=/; max-age=7776000; SameSite=Lax';
  }

  function fire(event) {
    for (var i = 0; i < pixels.length; i++) {
      var img = new Image();
      img.src = 'https://www.facebook.com/tr/?id=' + encodeURIComponent(pixels[i]) +
        '&ev=' + encodeURIComponent(event) + '&dl=' + encodeURIComponent(location.href);
    }
  }

  f.callMethod = function () {
    var args = Array.prototype.slice.call(arguments);
    var cloned = args.map(clone);
    calls.push(cloned);
    if (typeof w.__e2eFbCall === 'function') {
      try {
        var p = w.__e2eFbCall(cloned);
        if (p && typeof p.catch === 'function') p.catch(function () {});
      } catch (e) { /* the test harness went away */ }
    }
    var method = args[0];
    if (method === 'consent') {
      consent = args[1] === 'revoke' ? 'revoked' : 'granted';
      if (consent === 'granted') {
        setBrowserId();
        held.splice(0).forEach(fire);
      }
    } else if (method === 'init') {
      pixels.push(String(args[1]));
      setBrowserId();
    } else if (method === 'track' || method === 'trackCustom' || method === 'trackSingle') {
      var event = method === 'trackSingle' ? args[2] : args[1];
      if (consent === 'granted') fire(event);
      else held.push(event);
    }
  };

  var queued = f.queue || [];
  f.queue = [];
  for (var i = 0; i < queued.length; i++) f.callMethod.apply(f, queued[i]);
})();
