/* Fake of https://www.googletagmanager.com/gtag/js?id=… for the end-to-end tests.
 *
 * On load it records what window.dataLayer held at that moment, as arrays
 * (Array.from of each Arguments entry), in window.__gtagLoadedWith: that is what proves the
 * Consent Mode default and update came before the tag (G-04, G-06).
 *
 * Then, like the real tag, it processes dataLayer in order and takes over dataLayer.push:
 * it tracks the consent state from 'default'/'update' commands, and for 'config'/'event'
 * with analytics_storage granted it sets the first-party `_ga` and `_ga_<id>` cookies and
 * sends a collect hit to region1.google-analytics.com. (The real tag would also send
 * cookieless pings while denied; basic mode never loads it then.)
 */
(function () {
  var w = window;
  var d = document;
  w.__gtagLoads = (w.__gtagLoads || 0) + 1;
  var dl = (w.dataLayer = w.dataLayer || []);

  function asArray(e) {
    var tag = Object.prototype.toString.call(e);
    return tag === '[object Arguments]' || Array.isArray(e) ? Array.prototype.slice.call(e) : null;
  }
  function snapshot(e) {
    var a = asArray(e);
    var v = a === null ? e : a;
    try { return JSON.parse(JSON.stringify(v)); } catch (err) { return String(v); }
  }
  w.__gtagLoadedWith = Array.prototype.map.call(dl, snapshot);

  var consent = {};
  var configs = [];

  function hasCookie(name) {
    return d.cookie.split(/;\s*/).some(function (c) { return c.indexOf(name + '=') === 0; });
  }
  function gcs() {
    return 'G1' + (consent.ad_storage === 'granted' ? '1' : '0') +
      (consent.analytics_storage === 'granted' ? '1' : '0');
  }
  function hit(id, name) {
    if (consent.analytics_storage !== 'granted') return;
    var suffix = String(id).replace(/^G-/, '');
    var now = Math.floor(Date.now() / 1000);
    if (!hasCookie('_ga')) {
      d.cookie = '_ga=GA1.1.' + Math.floor(Math.random() * 1e9) + '.' + now + '; path=/; max-age=63072000; SameSite=Lax';
    }
    if (!hasCookie('_ga_' + suffix)) {
      d.cookie = '_ga_' + suffix + '=GS1.1.' + now + '.1.0.' + now + '.0.0.0; path=/; max-age=63072000; SameSite=Lax';
    }
    var img = new Image();
    img.src = 'https://region1.google-analytics.com/g/collect?v=2&tid=' + encodeURIComponent(id) +
      '&en=' + encodeURIComponent(name) + '&gcs=' + gcs();
  }
  function process(entry) {
    var a = asArray(entry);
    if (!a) return;
    if (a[0] === 'consent' && (a[1] === 'default' || a[1] === 'update') && a[2]) {
      for (var k in a[2]) if (/_storage$|^ad_/.test(k)) consent[k] = a[2][k];
    } else if (a[0] === 'config') {
      configs.push(a[1]);
      hit(a[1], 'page_view');
    } else if (a[0] === 'event') {
      for (var i = 0; i < configs.length; i++) hit(configs[i], a[1]);
    }
  }

  for (var i = 0; i < dl.length; i++) process(dl[i]);
  dl.push = function () {
    var r = Array.prototype.push.apply(dl, arguments);
    for (var j = 0; j < arguments.length; j++) process(arguments[j]);
    return r;
  };
})();
