// The bench targets: one test page per banner, the same content and the same consent setup
// (necessary + analytics + marketing; GA4 gated on analytics, a Meta Pixel gated on marketing),
// each banner installed the way its own documentation shows.
'use strict';

const PIXEL_ID = '1234567890';
const GA_ID = 'G-TEST123';

// Meta's base code, as Meta hands it out (without the <noscript> image).
const META_PIXEL =
  "!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?n.callMethod.apply(n,arguments):n.queue.push(arguments)};" +
  "if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;n.version='2.0';n.queue=[];t=b.createElement(e);t.async=!0;t.src=v;" +
  "s=b.getElementsByTagName(e)[0];s.parentNode.insertBefore(t,s)}(window,document,'script','https://connect.facebook.net/en_US/fbevents.js');" +
  `fbq('init','${PIXEL_ID}');fbq('track','PageView');`;
const GTAG_INLINE =
  `window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());gtag('config','${GA_ID}');`;
const GTAG_SRC = `https://www.googletagmanager.com/gtag/js?id=${GA_ID}`;

// Akkoord's config for the bench: the demo's, less the "functional" purpose the peers don't get.
const AKKOORD_CONFIG = {
  revision: 1,
  controller: 'Voorbeeld B.V.',
  cookieStatement: '/cookies.html',
  privacyPolicy: '/privacy.html',
  purposes: ['necessary', 'analytics', 'marketing'],
  services: [
    { id: 'ga4', template: 'google-analytics', purpose: 'analytics', measurementId: GA_ID },
    { id: 'meta', template: 'meta-pixel', purpose: 'marketing', pixelId: PIXEL_ID },
  ],
};

// vanilla-cookieconsent has no bundled texts: short Dutch ones, like the others show.
const VCC_CONFIG = {
  hideFromBots: false, // it hides itself from headless browsers otherwise
  categories: { necessary: { enabled: true, readOnly: true }, analytics: {}, marketing: {} },
  language: {
    default: 'nl',
    translations: {
      nl: {
        consentModal: {
          title: 'Wij gebruiken cookies',
          description: 'Voorbeeld B.V. gebruikt cookies voor statistiek en marketing, alleen met je toestemming. Je kunt je keuze altijd wijzigen.',
          acceptAllBtn: 'Alles accepteren',
          acceptNecessaryBtn: 'Alles weigeren',
          showPreferencesBtn: 'Voorkeuren',
        },
        preferencesModal: {
          title: 'Cookievoorkeuren',
          acceptAllBtn: 'Alles accepteren',
          acceptNecessaryBtn: 'Alles weigeren',
          savePreferencesBtn: 'Opslaan',
          closeIconLabel: 'Sluiten',
          sections: [
            { title: 'Noodzakelijk', description: 'Nodig om de site te laten werken.', linkedCategory: 'necessary' },
            { title: 'Statistiek', description: 'Google Analytics 4.', linkedCategory: 'analytics' },
            { title: 'Marketing', description: 'Meta Pixel.', linkedCategory: 'marketing' },
          ],
        },
      },
    },
  },
};

const ORJ_CONFIG_JS = `window.orejimeConfig = {
  privacyPolicyUrl: '/privacy.html',
  purposes: [
    { id: 'analytics', title: 'Statistiek', description: 'Google Analytics 4.', cookies: [/^_ga/] },
    { id: 'marketing', title: 'Marketing', description: 'Meta Pixel.', cookies: ['_fbp'] }
  ]
};`;

const KLARO_CONFIG_JS = `window.klaroConfig = {
  version: 1, elementID: 'klaro', storageMethod: 'cookie', cookieName: 'klaro', lang: 'nl',
  mustConsent: false, acceptAll: true, hideDeclineAll: false,
  translations: { nl: { privacyPolicyUrl: '/privacy.html',
    purposes: { analytics: 'Statistiek', marketing: 'Marketing' } } },
  services: [
    { name: 'ga4', title: 'Google Analytics 4', purposes: ['analytics'], cookies: [/^_ga/] },
    { name: 'meta', title: 'Meta Pixel', purposes: ['marketing'], cookies: ['_fbp'] }
  ]
};`;

const TAC_INIT = `tarteaucitronForceLanguage = 'nl';
tarteaucitron.init({ privacyUrl: '/privacy.html', bodyPosition: 'bottom', hashtag: '#tarteaucitron',
  cookieName: 'tarteaucitron', orientation: 'bottom', groupServices: true, showDetailsOnClick: true,
  serviceDefaultState: 'wait', showAlertSmall: false, cookieslist: false, showIcon: true,
  iconPosition: 'BottomRight', adblocker: false, DenyAllCta: true, AcceptAllCta: true,
  highPrivacy: true, alwaysNeedConsent: false, handleBrowserDNTRequest: false, removeCredit: false,
  moreInfoLink: true, useExternalCss: false, useExternalJs: false, readmoreLink: '', mandatory: true,
  mandatoryCta: true, googleConsentMode: false, partnersList: false });
tarteaucitron.user.gtagUa = '${GA_ID}';
tarteaucitron.user.facebookpixelId = '${PIXEL_ID}';
(tarteaucitron.job = tarteaucitron.job || []).push('gtag', 'facebookpixel');`;

// The long page's extra content: an article of about 22 KB of HTML (24 KB for the whole page),
// in the range of a typical shop or news page, so that the page takes a while to parse.
const ARTICLE = Array.from({ length: 24 }, (_, i) => `<h2>Hoofdstuk ${i + 1}: duurzaam wonen, stap ${i + 1}</h2>
<p>Een duurzaam huishouden begint met kleine keuzes. Wij selecteren producten die lang meegaan, te repareren
zijn en aan het eind van hun leven goed te recyclen zijn. In dit hoofdstuk leggen we uit waar we op letten bij
stap ${i + 1}: materiaal, herkomst, verpakking en transport. Elk product in onze winkel heeft een paspoort met
die gegevens, zodat u zelf kunt vergelijken.</p>
<p>Klanten vragen ons vaak of duurzame artikelen duurder zijn. Bij aanschaf soms wel, over de levensduur
gerekend bijna nooit. Een borstel met vervangbare kop, een glazen fles die tien jaar meegaat, een pan die u
opnieuw kunt laten coaten: de rekensom valt meestal gunstig uit. Onder aan deze pagina vindt u een overzicht.</p>
<ul><li>Materiaal: hout, glas, staal of gerecycled plastic.</li><li>Herkomst: Europa waar het kan.</li>
<li>Verpakking: karton zonder plastic venster.</li><li>Transport: gebundeld, twee keer per week.</li></ul>`).join('\n');

function page(title, head, body, long = false) {
  return `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
${head}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/site.css">
</head>
<body>
<header><a class="logo" href="./">Voorbeeld.</a><a href="./">Home</a><a href="./">Producten</a><a href="./">Contact</a></header>
<main>
<h1>Een webwinkel die eerst vraagt</h1>
<p class="lead">Dezelfde testpagina voor elke banner: een kop, een inleiding en wat tekst, geladen van
dezelfde server. Alleen de consentbanner verschilt.</p>
<p>Wij verkopen duurzame huishoudartikelen en leveren binnen twee werkdagen door heel Nederland
en Belgi&euml;. Bestellingen boven de vijftig euro versturen we zonder verzendkosten.</p>
<p>Ruilen of retourneren kan binnen dertig dagen. Onze klantenservice is op werkdagen bereikbaar
van negen tot vijf, per telefoon, e-mail of chat.</p>
<p>Statistiek (Google Analytics 4) en marketing (Meta Pixel) draaien alleen na toestemming.</p>
${long ? ARTICLE : ''}
</main>
<footer>&copy; Voorbeeld B.V.</footer>
${body}
</body>
</html>
`;
}

const json = (v) => JSON.stringify(v);

// How the harness finds Akkoord's banner and its accept button, on every Akkoord page.
const AKKOORD_BANNER = { host: '#akkoord', root: '[data-akkoord-layer="banner"]', accept: '[data-akkoord-action="accept-all"]' };

// The loader with the two preloads the README recommends, for the page at /t/<dir>/.
const preloadHead = (dir) =>
  '<link rel="preload" href="/akkoord/akkoord.wasm" as="fetch" crossorigin>\n' +
  `<link rel="preload" href="/t/${dir}/akkoord.json" as="fetch" crossorigin>\n` +
  `<script src="/akkoord/akkoord.js" data-config="/t/${dir}/akkoord.json"></script>`;

// The lines `akkoord snippet` prints for this target's config (server/src/prerender.rs,
// snippet): the config's preload, the banner in a <template>, an inline script that preloads by
// cookie the module the loader will start and a stored grant's vendor scripts and moves the
// banner into <body> for a visitor who has to be asked, and the script tag.
let snippetCss = require('path').join(__dirname, '..', 'dist', 'akkoord.css');
function snippetHead(dir) {
  const path = require('path');
  const bin = process.env.AKKOORD_BIN || path.join(__dirname, '..', 'target', 'debug', 'akkoord');
  return require('child_process').execFileSync(bin, ['snippet', '-', '--config-url', `/t/${dir}/akkoord.json`, '--css', snippetCss],
    { input: json(AKKOORD_CONFIG), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }).trim();
}

// name: shown in the table; dir: its page at /t/<dir>/; banner: how the harness finds the
// banner and its accept button; files: extra files beside the page.
const TARGETS = [
  {
    name: 'akkoord',
    dir: 'akkoord',
    peer: false,
    head: '<script src="/akkoord/akkoord.js" data-config="/t/akkoord/akkoord.json"></script>',
    body: '',
    files: { 'akkoord.json': json(AKKOORD_CONFIG) },
    banner: AKKOORD_BANNER,
  },
  {
    name: 'akkoord+preload',
    dir: 'akkoord-preload',
    peer: false,
    variant: true,
    head: preloadHead('akkoord-preload'),
    body: '',
    files: { 'akkoord.json': json(AKKOORD_CONFIG) },
    banner: AKKOORD_BANNER,
  },
  {
    // The script tag with the lines of `akkoord snippet` (README, "Preload").
    name: 'akkoord+snippet',
    dir: 'akkoord-snippet',
    peer: false,
    variant: true,
    get head() { return snippetHead('akkoord-snippet'); },
    body: '',
    files: { 'akkoord.json': json(AKKOORD_CONFIG) },
    banner: AKKOORD_BANNER,
  },
  {
    // The page served by `akkoord serve` itself (server.js forwards it): the banner in the
    // HTML for a visitor who has to be asked, and the `Link` preloads serve picks by the cookie
    // (the module that visitor's loader starts, the config, and for a stored grant the vendor
    // scripts it will run). The page itself has only the script tag.
    name: 'akkoord+prerender',
    dir: 'akkoord-prerender',
    peer: false,
    variant: true,
    prerender: true,
    serve: true,
    head: '<script src="/akkoord/akkoord.js" data-config="/t/akkoord-prerender/akkoord.json"></script>',
    body: '',
    files: { 'akkoord.json': json(AKKOORD_CONFIG) },
    banner: AKKOORD_BANNER,
  },
  {
    // The page for a static host (`akkoord prerender --static`): the banner in the HTML for
    // every visitor, kept out of the paint by an inline script for one with the consent
    // cookie. The same page for everyone, so a returning visitor gets the first visit's
    // module preloaded, not the full module's.
    name: 'akkoord+static',
    dir: 'akkoord-static',
    peer: false,
    variant: true,
    prerender: 'static',
    head: preloadHead('akkoord-static'),
    body: '',
    files: { 'akkoord.json': json(AKKOORD_CONFIG) },
    banner: AKKOORD_BANNER,
  },
  {
    name: 'akkoord-inline',
    dir: 'akkoord-inline',
    peer: false,
    variant: true,
    head: '<script type="application/json" id="akkoord-config">' + json(AKKOORD_CONFIG) + '</script>\n' +
      '<script src="/akkoord/akkoord.js"></script>',
    body: '',
    files: {},
    banner: AKKOORD_BANNER,
  },
  {
    name: 'akkoord-inline+preload',
    dir: 'akkoord-inline-preload',
    peer: false,
    variant: true,
    experimental: true,
    head: '<link rel="preload" href="/akkoord/akkoord.wasm" as="fetch" crossorigin>\n' +
      '<script type="application/json" id="akkoord-config">' + json(AKKOORD_CONFIG) + '</script>\n' +
      '<script src="/akkoord/akkoord.js"></script>',
    body: '',
    files: {},
    banner: AKKOORD_BANNER,
  },
  {
    name: 'akkoord (reduced motion)',
    dir: 'akkoord',
    page: false, // the akkoord page, with prefers-reduced-motion: reduce (no fade-in)
    peer: false,
    variant: true,
    context: { reducedMotion: 'reduce' },
    banner: AKKOORD_BANNER,
  },
  {
    // Not in the default set (name it with --targets): the preload as a response header, what
    // a server (`akkoord serve`, a CDN rule) could add to every HTML page without touching it.
    name: 'akkoord+link-header',
    dir: 'akkoord-link-header',
    peer: false,
    variant: true,
    experimental: true,
    head: '<script src="/akkoord/akkoord.js" data-config="/t/akkoord-link-header/akkoord.json"></script>',
    body: '',
    headers: { link: '</akkoord/akkoord.wasm>; rel=preload; as=fetch; crossorigin, </t/akkoord-link-header/akkoord.json>; rel=preload; as=fetch; crossorigin' },
    files: { 'akkoord.json': json(AKKOORD_CONFIG) },
    banner: AKKOORD_BANNER,
  },
  {
    // Not in the default set: the script tag with `async` (does not block the parser; gives up
    // the guarantee that the Consent Mode default precedes inline gtag calls in the page).
    name: 'akkoord async',
    dir: 'akkoord-async',
    peer: false,
    variant: true,
    experimental: true,
    head: '<script async src="/akkoord/akkoord.js" data-config="/t/akkoord-async/akkoord.json"></script>',
    body: '',
    files: { 'akkoord.json': json(AKKOORD_CONFIG) },
    banner: AKKOORD_BANNER,
  },
  {
    // Not in the default set: dist/ served from a versioned path with
    // `Cache-Control: max-age=31536000, immutable` (the config and the page stay no-cache), so
    // a returning visitor revalidates nothing but the page and the config.
    name: 'akkoord immutable',
    dir: 'akkoord-immutable',
    peer: false,
    variant: true,
    experimental: true,
    head: '<script src="/akkoord-v/akkoord.js" data-config="/t/akkoord-immutable/akkoord.json"></script>',
    body: '',
    files: { 'akkoord.json': json(AKKOORD_CONFIG) },
    banner: AKKOORD_BANNER,
  },
  {
    name: 'vanilla-cookieconsent',
    dir: 'vanilla-cookieconsent',
    peer: true,
    head: '<link rel="stylesheet" href="/peers/vanilla-cookieconsent/cookieconsent.css">',
    body: `<script type="text/plain" data-category="analytics" data-src="${GTAG_SRC}"></script>
<script type="text/plain" data-category="analytics">${GTAG_INLINE}</script>
<script type="text/plain" data-category="marketing">${META_PIXEL}</script>
<script type="module">
import * as CookieConsent from '/peers/vanilla-cookieconsent/cookieconsent.esm.js';
CookieConsent.run(${json(VCC_CONFIG)});
</script>`,
    files: {},
    banner: { root: '#cc-main .cm', accept: '#cc-main .cm [data-role="all"]' },
  },
  {
    name: 'orejime',
    dir: 'orejime',
    peer: true,
    head: `<link rel="stylesheet" href="/peers/orejime/orejime-standard.css">
<script>${ORJ_CONFIG_JS}</script>
<script src="/peers/orejime/orejime-standard-nl.js"></script>`,
    body: `<template data-purpose="analytics"><script async src="${GTAG_SRC}"></script><script>${GTAG_INLINE}</script></template>
<template data-purpose="marketing"><script>${META_PIXEL}</script></template>`,
    files: {},
    banner: { root: '.orejime-Banner', accept: '.orejime-Banner-saveButton' },
  },
  {
    name: 'klaro',
    dir: 'klaro',
    peer: true,
    head: `<script>${KLARO_CONFIG_JS}</script>
<script defer src="/peers/klaro/klaro.js"></script>`,
    body: `<script type="text/plain" data-type="text/javascript" data-name="ga4" data-src="${GTAG_SRC}"></script>
<script type="text/plain" data-type="text/javascript" data-name="ga4">${GTAG_INLINE}</script>
<script type="text/plain" data-type="text/javascript" data-name="meta">${META_PIXEL}</script>`,
    files: {},
    banner: { root: '.klaro .cookie-notice', accept: '.klaro .cookie-notice .cm-btn-success' },
  },
  {
    name: 'tarteaucitron',
    dir: 'tarteaucitron',
    peer: true,
    head: `<script src="/peers/tarteaucitron/tarteaucitron.js"></script>
<script>${TAC_INIT}</script>`,
    body: '',
    files: {},
    banner: { root: '#tarteaucitronAlertBig', accept: '#tarteaucitronPersonalize2' },
  },
];

// [url, body] for every generated page and file.
// `assets`: the banner build the pages load (its stylesheet goes into akkoord+snippet's lines).
function buildPages(assets) {
  if (assets) snippetCss = require('path').join(assets, 'akkoord.css');
  const out = [];
  out.push(['/t/none/index.html', page('Testpagina zonder banner', '', '')]);
  for (const t of TARGETS) {
    if (t.page === false) continue;
    // A prerender target's pages also come in the version for a visitor without a choice.
    const pre = t.prerender ? { config: t.files['akkoord.json'], static: t.prerender === 'static' } : null;
    out.push([`/t/${t.dir}/index.html`, page('Testpagina · ' + t.name, t.head, t.body), t.headers, pre]);
    out.push([`/t/${t.dir}/long.html`, page('Lange testpagina · ' + t.name, t.head, t.body, true), t.headers, pre]);
    for (const [name, body] of Object.entries(t.files || {})) out.push([`/t/${t.dir}/${name}`, body]);
  }
  return out;
}

module.exports = { TARGETS, buildPages, PIXEL_ID };
