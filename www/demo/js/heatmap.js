// Stand-in for a third-party analytics script (a heatmap). It may only run after the
// visitor agreed to "analytics": the pages include it as
// <script type="text/plain" data-akkoord="analytics" src="/js/heatmap.js">.
(function () {
  window.__heatmapRan = (window.__heatmapRan || 0) + 1;
  document.documentElement.setAttribute('data-heatmap', 'actief');
  var status = document.getElementById('status-analytics');
  if (status) {
    status.textContent = 'actief';
    status.className = 'status aan';
  }
})();
