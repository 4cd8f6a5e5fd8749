/* Fake of the platform pixel scripts for the end-to-end tests (tests/e2e/platforms.spec.js):
 *
 *   https://analytics.tiktok.com/i18n/pixel/events.js   TikTok   (ttq)
 *   https://s.pinimg.com/ct/core.js                     Pinterest (pintrk)
 *   https://snap.licdn.com/li.lms-analytics/insight.min.js  LinkedIn (lintrk)
 *   https://static.ads-twitter.com/uwt.js               X        (twq)
 *   https://sc-static.net/scevent.min.js                Snap     (snaptr)
 *   https://www.clarity.ms/tag/<project id>             Microsoft Clarity (clarity)
 *
 * One file for all five: it picks the vendor from its own URL. Each part keeps the real
 * script's call interface: it takes over the queue the official base code built (ttq is an
 * array of [method, ...args]; pintrk.queue; lintrk.q plus _linkedin_data_partner_ids;
 * twq.queue until twq.exe is set; snaptr.queue until snaptr.handleRequest is set; clarity.q)
 * and then
 * processes the queued calls in order, like the real script. Like the real pixels they set
 * their first-party identifier cookies once they may (TikTok and Pinterest honour their
 * consent calls) and send their events to the vendor's collection host.
 *
 * Every call is recorded, in order, in window.__vendorCalls ({vendor, args}) and reported to
 * the test through window.__e2eVendorCall(vendor, args), which outlives a page reload.
 */
(function () {
  var w = window;
  var d = document;
  var slice = Array.prototype.slice;
  var src = (d.currentScript && d.currentScript.src) || '';
  var host = '';
  try { host = new URL(src).hostname; } catch (e) { /* no URL: nothing to fake */ }

  function clone(x) {
    if (x === undefined) return null;
    try { return JSON.parse(JSON.stringify(x)); } catch (e) { return String(x); }
  }

  function record(vendor, args) {
    var cloned = slice.call(args).map(clone);
    (w.__vendorCalls = w.__vendorCalls || []).push({ vendor: vendor, args: cloned });
    if (typeof w.__e2eVendorCall === 'function') {
      try {
        var p = w.__e2eVendorCall(vendor, cloned);
        if (p && typeof p.catch === 'function') p.catch(function () {});
      } catch (e) { /* the test harness went away */ }
    }
  }

  function loaded(vendor) {
    var loads = (w.__vendorLoads = w.__vendorLoads || {});
    loads[vendor] = (loads[vendor] || 0) + 1;
  }

  function hasCookie(name) {
    return d.cookie.split(/;\s*/).some(function (c) { return c.indexOf(name + '=') === 0; });
  }

  function setCookie(name, value, days) {
    if (hasCookie(name)) return;
    d.cookie = name + '=' + value + '; path=/; max-age=' + days * 86400 + '; SameSite=Lax';
  }

  function beacon(url) {
    var img = new Image();
    img.src = url;
  }

  function random() {
    return String(Math.floor(Math.random() * 1e10));
  }

  // TikTok: events.js replays the ttq array, then its methods act directly. holdConsent holds
  // events and cookies until grantConsent; revokeConsent stops both.
  function tiktok() {
    var ttq = w.ttq;
    if (!ttq || !ttq.methods) { w.__ttqStubMissing = true; return; }
    loaded('ttq');
    var consent = 'granted';
    var held = [];
    var pixels = [];
    function fire(event) {
      if (!hasCookie('_ttp')) setCookie('_ttp', random(), 395);
      for (var i = 0; i < pixels.length; i++) {
        setCookie('ttcsid_' + pixels[i], random(), 395);
        beacon('https://analytics.tiktok.com/api/v2/pixel?sdkid=' + encodeURIComponent(pixels[i]) +
          '&event=' + encodeURIComponent(event));
      }
    }
    function handle(method, args) {
      record('ttq', [method].concat(args));
      if (method === 'load') pixels.push(String(args[0]));
      else if (method === 'holdConsent') consent = 'held';
      else if (method === 'revokeConsent') { consent = 'revoked'; held = []; }
      else if (method === 'grantConsent') { consent = 'granted'; held.splice(0).forEach(fire); }
      else if (method === 'page' || method === 'track') {
        var event = method === 'page' ? 'Pageview' : args[0];
        if (consent === 'granted') fire(event);
        else if (consent === 'held') held.push(event);
      }
    }
    var queued = slice.call(ttq);
    ttq.length = 0;
    ttq.methods.forEach(function (m) {
      ttq[m] = function () { handle(m, slice.call(arguments)); };
    });
    // Pixels loaded through the stub before this script ran but not marked in the queue.
    Object.keys(ttq._i || {}).forEach(function (id) {
      var marked = queued.some(function (e) { return e[0] === 'load' && String(e[1]) === id; });
      if (!marked) pixels.push(id);
    });
    queued.forEach(function (e) { handle(e[0], slice.call(e, 1)); });
  }

  // Pinterest: core.js replaces pintrk and replays pintrk.queue. setconsent(false) stops events
  // (the real tag also clears its own storage; the banner must not rely on that).
  function pinterest() {
    var stub = w.pintrk;
    if (!stub || !stub.queue) { w.__pintrkStubMissing = true; return; }
    loaded('pintrk');
    var consent = true;
    var tags = [];
    function handle(args) {
      record('pintrk', args);
      var method = args[0];
      if (method === 'load') {
        tags.push(String(args[1]));
      } else if (method === 'setconsent') {
        consent = args[1] === true;
        if (consent && tags.length) setCookie('_pin_unauth', random(), 365);
      } else if (method === 'page' || method === 'track') {
        if (!consent) return;
        setCookie('_pin_unauth', random(), 365);
        for (var i = 0; i < tags.length; i++) {
          beacon('https://ct.pinterest.com/v3/?tid=' + encodeURIComponent(tags[i]) +
            '&event=' + encodeURIComponent(method === 'page' ? 'pagevisit' : args[1]));
        }
      }
    }
    var queued = stub.queue.slice();
    var pintrk = w.pintrk = function () { handle(slice.call(arguments)); };
    pintrk.queue = [];
    pintrk.version = '3.0';
    queued.forEach(handle);
  }

  // LinkedIn: insight.min.js reads the partner ids pushed before it ran, then replays lintrk.q.
  function linkedin() {
    loaded('lintrk');
    var ids = (w._linkedin_data_partner_ids || []).slice();
    record('lintrk', ['partners'].concat(ids));
    var q = (w.lintrk && w.lintrk.q) || [];
    w.lintrk = function (a, b) {
      record('lintrk', [a, b]);
      for (var i = 0; i < ids.length; i++) {
        beacon('https://px.ads.linkedin.com/collect/?pid=' + encodeURIComponent(ids[i]) + '&fmt=js&conversionId=' +
          encodeURIComponent((b && b.conversion_id) || ''));
      }
    };
    if (ids.length) {
      setCookie('li_fat_id', random(), 30);
      // The real insight tag keeps its ad id in localStorage as well as in a cookie.
      try { w.localStorage.setItem('li_adsId', random()); } catch (e) { /* storage blocked */ }
    }
    for (var i = 0; i < ids.length; i++) {
      beacon('https://px.ads.linkedin.com/collect/?pid=' + encodeURIComponent(ids[i]) + '&fmt=js');
    }
    q.forEach(function (e) { w.lintrk(e[0], e[1]); });
  }

  // X: uwt.js sets twq.exe and replays twq.queue; config fires a PageView.
  function x() {
    var twq = w.twq;
    if (!twq || !twq.queue) { w.__twqStubMissing = true; return; }
    loaded('twq');
    var queued = twq.queue.slice();
    twq.queue = [];
    twq.exe = function () {
      var args = slice.call(arguments);
      record('twq', args);
      if (args[0] === 'config' || args[0] === 'event') {
        setCookie('_twclid', random(), 730);
        beacon('https://analytics.twitter.com/1/i/adsct?txn_id=' + encodeURIComponent(args[1]) +
          '&events=' + encodeURIComponent(args[0] === 'config' ? 'pageview' : args[1]));
      }
    };
    queued.forEach(function (a) { twq.exe.apply(twq, slice.call(a)); });
  }

  // Snap: scevent.min.js sets snaptr.handleRequest and replays snaptr.queue.
  function snap() {
    var snaptr = w.snaptr;
    if (!snaptr || !snaptr.queue) { w.__snaptrStubMissing = true; return; }
    loaded('snaptr');
    var pixels = [];
    var queued = snaptr.queue.slice();
    snaptr.queue = [];
    snaptr.handleRequest = function () {
      var args = slice.call(arguments);
      record('snaptr', args);
      if (args[0] === 'init') {
        pixels.push(String(args[1]));
        setCookie('_scid', random(), 395);
        setCookie('_scid_r', random(), 395);
      } else if (args[0] === 'track') {
        setCookie('_sctr', random(), 395);
        for (var i = 0; i < pixels.length; i++) {
          beacon('https://tr.snapchat.com/p?pid=' + encodeURIComponent(pixels[i]) + '&ev=' + encodeURIComponent(args[1]));
        }
      }
    };
    queued.forEach(function (a) { snaptr.handleRequest.apply(snaptr, slice.call(a)); });
  }

  // Clarity: the tag replays clarity.q. Consent API v2: cookies only with analytics_Storage
  // granted; without it Clarity runs cookieless.
  function clarity() {
    var stub = w.clarity;
    if (typeof stub !== 'function') { w.__clarityStubMissing = true; return; }
    loaded('clarity');
    var project = src.split('/tag/')[1] || '';
    record('clarity', ['project', project]);
    function handle(args) {
      record('clarity', args);
      if (args[0] === 'consentv2' && args[1] && args[1].analytics_Storage === 'granted') {
        setCookie('_clck', random(), 365);
        setCookie('_clsk', random(), 1);
      }
    }
    var queued = (stub.q || []).slice();
    w.clarity = function () { handle(slice.call(arguments)); };
    queued.forEach(function (a) { handle(slice.call(a)); });
    beacon('https://x.clarity.ms/collect?p=' + encodeURIComponent(project));
  }

  var byHost = {
    'analytics.tiktok.com': tiktok,
    'analytics.us.tiktok.com': tiktok,
    's.pinimg.com': pinterest,
    'snap.licdn.com': linkedin,
    'static.ads-twitter.com': x,
    'sc-static.net': snap,
    'www.clarity.ms': clarity,
  };
  if (byHost[host]) byHost[host]();
})();
