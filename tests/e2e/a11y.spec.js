// Accessibility of the banner and the preferences: axe-core (WCAG 2.2 A/AA rules) run inside
// the open shadow root of #akkoord, in the light and the dark theme, and reflow at 320 CSS px
// (the width of a 1280 px window at 400 % zoom, WCAG 1.4.10). Titles name REFERENCE.md rules.
'use strict';

const fs = require('fs');
const path = require('path');
const { test, expect, ROOT } = require('./fixtures');
const h = require('./helpers');

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const PAGES = [
  { path: '/', lang: 'nl' },
  { path: '/en.html', lang: 'en' },
  { path: '/platforms.html', lang: 'nl' },
  // The demo home page with <html lang="de"|"fr">: the bundled German and French texts.
  { path: '/de.html', lang: 'de', from: 'index.html' },
  { path: '/fr.html', lang: 'fr', from: 'index.html' },
];
const DEMO = path.join(ROOT, 'www', 'demo');

// Serve the pages that exist only as a language variant of a demo page.
async function serveVariants(page) {
  for (const p of PAGES.filter((x) => x.from)) {
    const html = fs.readFileSync(path.join(DEMO, p.from), 'utf8').replace(/<html lang="[a-z]+">/, `<html lang="${p.lang}">`);
    await page.route(`**${p.path}`, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
  }
}

// Evaluated through the DevTools protocol, so a page CSP cannot block it.
async function injectAxe(page) {
  if (await page.evaluate(() => typeof window.axe === 'object')) return;
  await page.evaluate(AXE_SOURCE);
}

// axe on the shadow host: its context includes the whole (open) shadow tree. Also returns
// how many shadow-tree buttons the button-name and color-contrast rules checked, so a run
// that silently saw nothing cannot pass.
async function axeRun(page) {
  await injectAxe(page);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(
      { include: [['#akkoord']] },
      { runOnly: { type: 'tag', values: tags } },
    );
    const checked = (id) => {
      const all = [...result.passes, ...result.violations, ...result.incomplete].filter((r) => r.id === id);
      // A node inside a shadow root has a target like [['#akkoord', '.ak-btn']].
      const inShadow = (x) => x.target.some((t) => Array.isArray(t) && t[0] === '#akkoord');
      return all.reduce((n, r) => n + r.nodes.filter(inShadow).length, 0);
    };
    return {
      violations: result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
      })),
      buttonsChecked: checked('button-name'),
      contrastChecked: checked('color-contrast'),
    };
  }, WCAG_TAGS);
}

function describeViolations(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n` +
    v.nodes.map((n) => `    ${JSON.stringify(n.target)}: ${(n.summary || '').replace(/\s+/g, ' ')}`).join('\n')).join('\n');
}

async function expectNoViolations(page, what) {
  const { violations, buttonsChecked, contrastChecked } = await axeRun(page);
  expect(buttonsChecked, `${what}: axe checked the buttons inside the shadow root`).toBeGreaterThanOrEqual(3);
  expect(contrastChecked, `${what}: axe checked text contrast inside the shadow root`).toBeGreaterThan(0);
  expect(violations, `${what}:\n${describeViolations(violations)}`).toEqual([]);
}

async function openPreferences(page) {
  await h.action(h.bannerLayer(page), 'preferences').click();
  await expect(h.prefsLayer(page)).toBeVisible();
}

// Open every <details> of the preferences (the per-service facts, C-17).
async function openDetails(page) {
  const count = await h.prefsLayer(page).evaluate((layer) => {
    const all = layer.querySelectorAll('details');
    all.forEach((d) => { d.open = true; });
    return all.length;
  });
  expect(count, 'the preferences list the services in <details>').toBeGreaterThan(0);
}

// Horizontal overflow of a layer at the current viewport: controls outside the viewport,
// controls whose own text is clipped, visible text outside the viewport, and a dialog wider
// than its box. With `openDetails`, every <details> (the per-service facts) is opened first,
// as a visitor reading them would.
function overflow(page, layerName, openDetails = false) {
  return page.evaluate(([name, open]) => {
    const host = document.getElementById('akkoord');
    const root = host && host.shadowRoot;
    const layer = root && root.querySelector(`[data-akkoord-layer="${name}"]`);
    if (!layer) return { missing: true };
    if (open) layer.querySelectorAll('details').forEach((d) => { d.open = true; });
    const vw = document.documentElement.clientWidth;
    const out = { missing: false, viewport: vw, outside: [], clipped: [], dialog: null, textOutside: [] };
    for (const b of layer.querySelectorAll('[data-akkoord-action]')) {
      const r = b.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const label = `${b.getAttribute('data-akkoord-action')} "${(b.textContent || '').trim()}"`;
      if (r.left < -0.5 || r.right > vw + 0.5) out.outside.push(`${label}: ${Math.round(r.left)}..${Math.round(r.right)}`);
      if (b.scrollWidth > b.clientWidth + 1) out.clipped.push(`${label}: scrollWidth ${b.scrollWidth} > clientWidth ${b.clientWidth}`);
    }
    for (const t of layer.querySelectorAll('h2, p, label, li, a, span, summary, dt, dd')) {
      // Content of a closed <details> is laid out but not shown.
      if (typeof t.checkVisibility === 'function' && !t.checkVisibility()) continue;
      const r = t.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < -0.5 || r.right > vw + 0.5) out.textOutside.push(`${t.tagName.toLowerCase()} "${(t.textContent || '').trim().slice(0, 30)}": ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    if (layer.scrollWidth > layer.clientWidth + 1) out.dialog = `scrollWidth ${layer.scrollWidth} > clientWidth ${layer.clientWidth}`;
    return out;
  }, [layerName, openDetails]);
}

function expectReflows(result, what) {
  expect(result.missing, `${what} is in the page`).toBe(false);
  expect(result.outside, `${what}: every control inside the ${result.viewport} px viewport`).toEqual([]);
  expect(result.clipped, `${what}: no control text cut off`).toEqual([]);
  expect(result.textOutside, `${what}: no text outside the viewport`).toEqual([]);
  expect(result.dialog, `${what}: the dialog does not scroll sideways`).toBeNull();
}

for (const scheme of ['light', 'dark']) {
  test.describe(`axe, ${scheme} theme`, () => {
    test.use({ colorScheme: scheme });

    for (const { path: url, lang } of PAGES) {
      test(`${url}: banner and preferences have no WCAG 2.2 A/AA violation (C-06, C-12)`, async ({ page }) => {
        await page.emulateMedia({ colorScheme: scheme });
        await serveVariants(page);
        await page.goto(url);
        await h.expectBannerShown(page);
        expect(await page.evaluate((s) => matchMedia(`(prefers-color-scheme: ${s})`).matches, scheme)).toBe(true);
        // The theme really switched: a dark banner has a dark background, a light one a light one.
        const bg = await h.bannerLayer(page).evaluate((el) => getComputedStyle(el).backgroundColor);
        const [r, g, b] = (bg.match(/\d+(\.\d+)?/g) || []).map(Number);
        const light = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 > 0.5;
        expect(light, `banner background ${bg} in the ${scheme} theme`).toBe(scheme === 'light');
        const shownLang = await h.bannerLayer(page).evaluate((el) => el.closest('[lang]') && el.closest('[lang]').getAttribute('lang'));
        expect(shownLang, 'the banner says which language it speaks (C-12)').toBe(lang);
        await expectNoViolations(page, `${url} banner (${scheme})`);

        await openPreferences(page);
        await expectNoViolations(page, `${url} preferences (${scheme})`);
        await openDetails(page);
        await expectNoViolations(page, `${url} preferences with the service details open (${scheme})`);
      });
    }
  });
}

test.describe('reflow at 320 CSS px (400 % zoom)', () => {
  test.use({ viewport: { width: 320, height: 640 } });

  for (const { path: url } of PAGES) {
    test(`${url}: no control or text cut off in the banner or the preferences (C-05, C-12)`, async ({ page }) => {
      await serveVariants(page);
      await page.goto(url);
      await h.expectBannerShown(page);
      expectReflows(await overflow(page, 'banner'), `${url} banner`);
      for (const name of ['accept-all', 'reject-all', 'preferences']) {
        await expect(h.action(h.bannerLayer(page), name), `${name} reachable at 320 px`).toBeVisible();
      }

      await openPreferences(page);
      expectReflows(await overflow(page, 'preferences'), `${url} preferences`);
      expectReflows(await overflow(page, 'preferences', true), `${url} preferences, service details open`);
      for (const name of ['save', 'reject-all', 'accept-all']) {
        const b = h.action(h.prefsLayer(page), name);
        await b.scrollIntoViewIfNeeded();
        await expect(b, `${name} reachable at 320 px`).toBeInViewport();
      }
    });
  }

  test('/: axe finds no WCAG 2.2 A/AA violation at 320 px either', async ({ page }) => {
    await page.goto('/');
    await h.expectBannerShown(page);
    await expectNoViolations(page, 'banner at 320 px');
    await openPreferences(page);
    await expectNoViolations(page, 'preferences at 320 px');
  });
});
