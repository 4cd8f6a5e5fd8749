// Runs inside every bench page before any of its scripts (addInitScript). It watches for the
// banner frame by frame and records long tasks, layout shifts and LCP, all on the page's own
// clock (performance.now(), 0 = navigation start).
(spec) => {
  const B = (window.__bench = {
    present: null, // first frame the banner box exists with opacity > 0
    ready: null, // first frame it is fully opaque and its accept button gets the click
    longtasks: [],
    shifts: [],
    lcp: null,
    clickAt: null,
  });
  const observe = (type, fn) => {
    try { new PerformanceObserver((list) => list.getEntries().forEach(fn)).observe({ type, buffered: true }); } catch (_) { /* unsupported */ }
  };
  observe('longtask', (e) => B.longtasks.push([e.startTime, e.duration]));
  observe('layout-shift', (e) => { if (!e.hadRecentInput) B.shifts.push([e.startTime, e.value]); });
  observe('largest-contentful-paint', (e) => {
    const el = e.element;
    let inBanner = false;
    if (el) {
      const host = spec.host ? document.querySelector(spec.host) : null;
      const root = host ? host : document.querySelector(spec.root);
      inBanner = !!(host && el === host) || !!(root && root.contains(el)) ||
        !!(host && host.shadowRoot && host.shadowRoot.contains(el));
    }
    B.lcp = { t: e.startTime, size: e.size, inBanner };
  });
  addEventListener('pointerdown', () => { if (B.clickAt === null) B.clickAt = performance.now(); }, true);

  const rootOf = () => {
    if (!spec.host) return document;
    const h = document.querySelector(spec.host);
    return h && h.shadowRoot;
  };
  const up = (n) => (n.parentNode instanceof ShadowRoot ? n.parentNode.host : n.parentElement);
  // Product of opacities up the tree (through the shadow host); 0 when hidden.
  const opacity = (el) => {
    let o = 1;
    for (let n = el; n && n.nodeType === 1; n = up(n)) {
      const cs = getComputedStyle(n);
      if (cs.display === 'none' || cs.visibility === 'hidden') return 0;
      o *= parseFloat(cs.opacity);
    }
    return o;
  };
  const hits = (root, btn) => {
    const r = btn.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return false;
    let hit = document.elementFromPoint(x, y);
    if (spec.host && hit && hit.shadowRoot === root) hit = root.elementFromPoint(x, y);
    return !!hit && (hit === btn || btn.contains(hit));
  };
  const deadline = 20000;
  const frame = () => {
    const now = performance.now();
    const root = rootOf();
    const el = root && root.querySelector(spec.root);
    const btn = root && root.querySelector(spec.accept);
    if (el && btn) {
      const box = el.getBoundingClientRect();
      if (B.present === null && box.width > 0 && box.height > 0 && opacity(el) > 0) B.present = now;
      if (B.present !== null && opacity(el) === 1 && opacity(btn) === 1 && hits(root, btn)) {
        B.ready = now;
        return;
      }
    }
    if (now < deadline) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}
