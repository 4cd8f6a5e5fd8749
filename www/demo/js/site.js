// The demo site's own script: shows the visitor's current choice, using only the public
// API (window.akkoord) and its events. Not gated: it stores nothing and calls nobody.
(function () {
  var en = document.documentElement.lang === 'en';
  function show() {
    if (!window.akkoord) return;
    var c = null;
    try { c = window.akkoord.consent(); } catch (e) { c = null; }
    var out = document.getElementById('keuze');
    if (out) {
      out.textContent = c && typeof c === 'object'
        ? JSON.stringify(c, null, 2)
        : (en ? 'No choice made yet.' : 'Nog geen keuze gemaakt.');
    }
    var pixels = document.getElementById('status-pixels');
    if (pixels) {
      var on = [];
      try {
        if (window.akkoord.acceptedService('ga4')) on.push('GA4');
        if (window.akkoord.acceptedService('meta')) on.push('Meta Pixel');
      } catch (e) { on = []; }
      pixels.textContent = on.length ? on.join(' + ') + (en ? ' on' : ' aan') : (en ? 'off' : 'uit');
      pixels.className = on.length ? 'status aan' : 'status';
    }
  }
  document.addEventListener('akkoord:ready', show);
  document.addEventListener('akkoord:change', show);
})();
