// The demo site's own script: shows the visitor's current choice, using only the public
// API (window.akkoord) and its events. Not gated: it stores nothing and calls nobody.
(function () {
  function show() {
    var out = document.getElementById('keuze');
    if (!out || !window.akkoord) return;
    var c = null;
    try { c = window.akkoord.consent(); } catch (e) { c = null; }
    if (!c || typeof c !== 'object') {
      out.textContent = 'Nog geen keuze gemaakt.';
      return;
    }
    out.textContent = JSON.stringify(c, null, 2);
  }
  document.addEventListener('akkoord:ready', show);
  document.addEventListener('akkoord:change', show);
})();
