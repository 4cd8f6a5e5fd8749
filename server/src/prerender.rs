//! The banner in the page's own HTML, for a visitor who has to be asked.
//!
//! Without this, a first-time visitor sees the banner once `akkoord.wasm` is compiled and has
//! booted, which is after the page's first paint (bench/RESULTS.md). With it, the banner is
//! part of the HTML as a declarative shadow root and is in the first paint; the module takes
//! it over when it boots (`src/web/ui.rs`), and the loader queues a click on it before that.
//!
//! The markup comes from the same Rust function the module uses (`akkoord::markup`), fed with
//! what the server knows of the request: the consent cookie (no banner for a valid choice),
//! `Sec-GPC` (S-04), `Accept-Language` and the page's `<html lang>`. Anything the server cannot
//! settle leaves the page as it is: the module then builds the banner itself.

use std::borrow::Cow;

use akkoord::config::Config;
use akkoord::decide;
use akkoord::markup;
use akkoord::texts::{self, Texts};

use crate::vendor_preload;

// The build's CSS minifier (build/minify_css.rs): the stylesheet travels in every first
// visit's HTML, so its comments and indentation would too.
mod css {
    include!("../../build/minify_css.rs");
}

/// What a request tells about its visitor.
#[derive(Debug, Default, Clone)]
pub struct Visitor<'a> {
    /// The `Cookie` header, as sent.
    pub cookies: &'a str,
    /// `Sec-GPC: 1`.
    pub gpc: bool,
    /// `Accept-Language`, as sent.
    pub accept_language: &'a str,
    /// Now, in Unix seconds.
    pub now: u64,
}

/// The tag (from `<` to before `>`) around byte `at` of `html`.
fn tag_at(html: &str, at: usize) -> Option<&str> {
    let start = html[..=at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    Some(&html[start..end])
}

/// The value of attribute `name` (double-quoted) in `tag`.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let needle = [" ", name, "=\""].concat();
    let (_, rest) = tag.split_once(&needle)?;
    rest.split_once('"').map(|(value, _)| value)
}

/// The loader's `<script>` tag: the first script whose `src` is the banner's `akkoord.js`, in
/// whatever folder (`/akkoord/`, or a versioned one such as `/akkoord/2026-11-28/`) and with
/// whatever query (a `<link rel="preload">` of the same file is not it).
fn loader_tag(html: &str) -> Option<&str> {
    html.match_indices("/akkoord.js")
        .filter_map(|(at, _)| tag_at(html, at))
        .find(|tag| {
            tag.starts_with("<script")
                && attr(tag, "src").is_some_and(|src| {
                    src.split(['?', '#'])
                        .next()
                        .is_some_and(|path| path.ends_with("/akkoord.js"))
                })
        })
}

/// Whether the page's loader carries a `nonce` (the page has a nonce-based CSP).
pub fn loader_has_nonce(html: &str) -> bool {
    loader_tag(html).is_some_and(|tag| attr(tag, "nonce").is_some())
}

/// `<html lang="…">` of the page.
fn page_lang(html: &str) -> Option<&str> {
    attr(tag_at(html, html.find("<html")?)?, "lang")
}

/// The same-origin config path in the loader's `data-config`, if it names one.
pub fn config_path(html: &str) -> Option<&str> {
    attr(loader_tag(html)?, "data-config").filter(|v| v.starts_with('/') && !v.starts_with("//"))
}

/// The text of an inline `<script type="application/json" id="akkoord-config">`.
pub fn inline_config(html: &str) -> Option<&str> {
    let at = html.find("id=\"akkoord-config\"")?;
    let open_end = at + html[at..].find('>')? + 1;
    let len = html[open_end..].find("</script")?;
    Some(&html[open_end..open_end + len])
}

/// Language tags of `Accept-Language`, best first (q-values below 1 keep their order).
fn browser_langs(header: &str) -> Vec<String> {
    let mut tags: Vec<(f32, usize, String)> = header
        .split(',')
        .enumerate()
        .filter_map(|(i, item)| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            (!tag.is_empty() && tag != "*" && q > 0.0).then(|| (q, i, tag.to_string()))
        })
        .collect();
    tags.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    tags.into_iter().map(|(_, _, tag)| tag).collect()
}

/// A page that gets the banner, decided but not rendered yet: the stylesheet it needs is
/// read only once this is known (`Plan::page`).
pub struct Plan<'a> {
    html: &'a str,
    /// Byte offset just after the `<body …>` tag.
    at: usize,
    /// Parsed here ([`plan`]) or by the caller ([`plan_with`]).
    config: Cow<'a, Config>,
    lang: String,
    gpc: bool,
    nonce: Option<&'a str>,
}

/// Whether this page and visitor get the banner: `None` when there is no loader on the page,
/// no `<body>` tag to put it in, no valid config, or a valid stored choice.
pub fn plan<'a>(html: &'a str, config_text: &str, visitor: &Visitor<'_>) -> Option<Plan<'a>> {
    let config = Config::from_json(config_text).ok()?;
    plan_config(html, Cow::Owned(config), visitor)
}

/// [`plan`] with a config the caller has parsed already (`akkoord serve` parses a page's
/// config once for the banner and the `Link` header).
pub fn plan_with<'a>(html: &'a str, config: &'a Config, visitor: &Visitor<'_>) -> Option<Plan<'a>> {
    plan_config(html, Cow::Borrowed(config), visitor)
}

fn plan_config<'a>(
    html: &'a str,
    config: Cow<'a, Config>,
    visitor: &Visitor<'_>,
) -> Option<Plan<'a>> {
    let loader = loader_tag(html)?;
    if html.contains(markup::MARKUP_ATTR) {
        return None;
    }
    // ASCII lower-casing keeps every byte offset.
    let lower = html.to_ascii_lowercase();
    let body = lower.find("<body")?;
    let at = body + lower[body..].find('>')? + 1;
    if !decide::evaluate(&config, visitor.cookies, visitor.now).needs_prompt() {
        return None;
    }
    let lang = texts::choose_language(
        &config,
        page_lang(html),
        &browser_langs(visitor.accept_language),
    );
    let gpc = decide::gpc_applies(&config, visitor.gpc);
    Some(Plan {
        html,
        at,
        config,
        lang,
        gpc,
        nonce: attr(loader, "nonce"),
    })
}

impl Plan<'_> {
    /// The page with the banner, styled with `css`, at the start of `<body>`.
    pub fn page(&self, css: &str) -> String {
        let texts = Texts::new(&self.config, &self.lang);
        let banner = markup::prerendered(
            &self.config,
            &texts,
            self.gpc,
            &css::minify(css),
            self.nonce,
            true,
        );
        [&self.html[..self.at], &banner, &self.html[self.at..]].concat()
    }
}

/// `html` with the banner inserted at the start of `<body>`, or `None` when this page or
/// visitor gets none ([`plan`]).
pub fn insert(html: &str, config_text: &str, css: &str, visitor: &Visitor<'_>) -> Option<String> {
    Some(plan(html, config_text, visitor)?.page(css))
}

/// The attribute the script of [`StaticPage`] sets on `<html>` when the page's banner is not
/// the one to show: a stored choice, or a GPC signal the banner does not mention.
pub const CHOICE_ATTR: &str = "data-akkoord-choice";

/// A page for a static host ([`insert_static`]) and the text of the inline script and style it
/// carries, for a Content Security Policy that allows them by hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticPage {
    pub html: String,
    pub script: String,
    pub style: String,
    /// Whether the page's `<html lang>` (or a forced language) gives every browser the
    /// page's banner ([`static_language_settled`]); if not, some get the module's instead.
    pub language_settled: bool,
}

/// The inline script of a static page, which runs just before the loader. With `guard` and a
/// record in the consent cookie (version 1, as the loader reads it), it marks `<html>` so that
/// the style keeps the banner out of the paint. On a config that honours Global Privacy
/// Control it does the same in a browser that sends the signal: the page's banner does not mention it
/// (S-04), and the module would replace its content in view; it builds that banner itself.
/// It also preloads what the loader is about to fetch, as `akkoord serve`'s `Link` header does:
/// the full module for a record that grants something (`akkoord-full.js`,
/// `akkoord-full.wasm`), the first visit's (`akkoord.wasm`) otherwise; `base` is the loader's
/// folder, and without one no module is preloaded. And the vendor scripts a valid stored
/// grant will run ([`vendor_script`]). Reading cookies can throw (a sandboxed frame): the
/// banner is then shown, as to a first-time visitor, and nothing is preloaded.
fn static_script(config: &Config, base: Option<&str>, guard: Option<Guard<'_>>) -> String {
    script_in_function(&static_statements(config, base, guard))
}

/// The part of a static page's script that keeps its banner out of the paint ([`CHOICE_ATTR`])
/// for a visitor who is to get another banner or none: a record in the cookie, a GPC signal (on
/// a config that honours it), and, for a page whose `<html lang>` does not settle the language
/// ([`static_language_settled`]), a browser for which the module chooses another language than
/// the page's banner has (`banner_lang`): the module builds the banner in that language then,
/// instead of replacing the text in view.
#[derive(Debug, Clone, Copy)]
struct Guard<'a> {
    banner_lang: Option<&'a str>,
}

/// A static page's script around `statements`: in a function of its own, so that its
/// variables are not globals of the page, with `d` the document and `c` its cookies.
fn script_in_function(statements: &str) -> String {
    [
        "!function(){try{var d=document,c=d.cookie;",
        statements,
        "}catch(e){}}()",
    ]
    .concat()
}

/// The statements of [`static_script`].
fn static_statements(config: &Config, base: Option<&str>, guard: Option<Guard<'_>>) -> String {
    // Cookie names are letters, digits, `_` and `-` (config::valid_cookie_name): nothing in
    // them means anything to a regular expression outside a character class. A record's
    // granted purposes follow its 16-character id; a list that is not empty starts with a letter.
    let cookie_name = config.cookie.name.as_str();
    let mut script = String::new();
    if let Some(guard) = guard {
        let other_language = guard
            .banner_lang
            .and_then(|lang| chooses_language(config, lang))
            .map(|same| ["||!(", &same, ")"].concat())
            .unwrap_or_default();
        script.extend([
            "(",
            if config.honour_gpc {
                "navigator.globalPrivacyControl===true||"
            } else {
                ""
            },
            "/(?:^|;\\s*)",
            cookie_name,
            "=1\\./.test(c)",
            &other_language,
            ")&&d.documentElement.setAttribute(\"",
            CHOICE_ATTR,
            "\",\"\");",
        ]);
    }
    let vendors = vendor_script(config);
    if base.is_some() || !vendors.is_empty() {
        // crossorigin on the wasm only: the loader fetches it with fetch() (CORS mode) and
        // inserts the glue as a plain script; a preload serves only a request in its mode.
        // The snippets insert vendor scripts without it too.
        script.push_str("var p=function(h,a,x){var l=d.createElement(\"link\");l.rel=\"preload\";l.href=h;l.as=a;if(x)l.crossOrigin=\"\";d.head.appendChild(l)};");
    }
    if let Some(base) = base {
        script.extend([
            "var b=\"",
            base,
            "\";/(?:^|;\\s*)",
            cookie_name,
            "=1\\.\\d+\\.\\d+\\.[arcg]\\.[0-9a-z]{16}\\.[a-z]/.test(c)",
            "?(p(b+\"akkoord-full.js\",\"script\"),p(b+\"akkoord-full.wasm\",\"fetch\",1))",
            ":p(b+\"akkoord.wasm\",\"fetch\",1);",
        ]);
    }
    script.push_str(&vendors);
    script
}

/// The part of a static page's script that preloads a returning visitor's vendor scripts, as
/// `akkoord serve` does by header (`vendor_preload`): the config's table of candidate scripts
/// ([`vendor_preload::candidates`]) goes into the page, and the visitor's record picks from
/// it. A script is named only for a record the module will take as valid
/// (`decide::evaluate`): it has the config's revision, is not expired or from the future,
/// and reads as `record::decode` reads it (each list of valid ids, nothing twice, no
/// `necessary`, nothing both granted and refused). Anything else names nothing (C-01, C-22).
/// Then one script per family for the names granted, as `vendor_preload::scripts` picks. A
/// preload fetches and runs nothing; the module still inserts the snippet. Empty for a config
/// without a vendor script.
fn vendor_script(config: &Config) -> String {
    let candidates = vendor_preload::candidates(config);
    let table: Vec<[&str; 4]> = candidates
        .iter()
        .map(|c| [c.family, c.purpose, c.service, c.url.as_str()])
        .collect();
    if table.is_empty() {
        return String::new();
    }
    // Account ids are checked by their templates; `<` is escaped all the same, so that nothing
    // in the table can close the script element.
    let Ok(table) = serde_json::to_string(&table) else {
        return String::new();
    };
    let table = table.replace('<', "\\u003c");
    let id = "[a-z][a-z0-9_-]{0,31}";
    let list = ["((?:", id, ")(?:\\+", id, ")*)?"].concat();
    let lifetime = u64::from(config.cookie.days) * 86_400;
    [
        "var v=/(?:^|;)\\s*",
        config.cookie.name.as_str(),
        "=([^;]*)/.exec(c),m=v&&/^1\\.",
        &config.revision.to_string(),
        "\\.(\\d+)\\.[arcg]\\.[0-9a-z]{16}\\.",
        &list,
        "\\.",
        &list,
        "\\s*$/.exec(v[1]),n=Date.now()/1e3;",
        // `n+86400>=m[1]`, not `m[1]<=…`: the script holds no `<` at all.
        "if(m&&m[1]>n-",
        &lifetime.to_string(),
        "&&n+86400>=m[1]){var g=m[2]?m[2].split(\"+\"):[],a=g.concat(m[3]?m[3].split(\"+\"):[]),f={};",
        "if(a.every(function(x,i){return x!=\"necessary\"&&a.indexOf(x)==i}))",
        &table,
        ".forEach(function(s){if(!f[s[0]]&&(g.indexOf(s[1])>=0||g.indexOf(s[2])>=0)){f[s[0]]=1;p(s[3],\"script\")}})}",
    ]
    .concat()
}

/// `'sha256-…'`: the CSP source that allows an inline script or style with this text.
pub fn csp_hash(text: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.as_bytes());
    [
        "'sha256-",
        &base64::engine::general_purpose::STANDARD.encode(digest),
        "'",
    ]
    .concat()
}

/// The folder of the loader's `src` (`/akkoord/` for `/akkoord/akkoord.js`), when it is a
/// plain path that can go into a JS string in an inline script as it is.
fn loader_base(loader: &str) -> Option<&str> {
    folder_of(attr(loader, "src")?)
}

/// The folder of a loader URL, as [`loader_base`].
fn folder_of(src: &str) -> Option<&str> {
    let path = src.split(['?', '#']).next()?;
    let base = &path[..=path.rfind('/')?];
    base.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/._-:".contains(&b))
        .then_some(base)
}

/// `html` without the `<link rel="preload">` tags of `url`.
fn without_preloads_of(html: &str, url: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<link") {
        let Some(len) = rest[at..].find('>') else {
            break;
        };
        let tag = &rest[at..at + len + 1];
        out.push_str(&rest[..at]);
        let preload = attr(tag, "rel") == Some("preload") && attr(tag, "href") == Some(url);
        if !preload {
            out.push_str(tag);
        }
        rest = &rest[at + len + 1..];
    }
    out.push_str(rest);
    out
}

/// The `<head>` lines of [`snippet`], and the text of its inline script for a Content
/// Security Policy that allows it by hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub html: String,
    pub script: String,
}

/// Where the page gets the config from: a file the loader fetches, or the config in the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigSource<'a> {
    Url(&'a str),
    Inline,
}

/// Whether `url` can go into an attribute and a JS string as it is: a plain path or URL.
fn plain_url(url: &str) -> bool {
    !url.is_empty()
        && url
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._:~?=%+-".contains(&b))
}

/// The `<head>` lines for a page whose own HTML has no banner and no build step to put one in
/// (a CMS theme's header): what `akkoord snippet` prints for a site owner to paste, in place
/// of the loader's tag and hand-written preload lines. First the config's preload (or the
/// config itself), then, with `banner`, the banner in a `<template>` ([`snippet_banner`]).
/// Then an inline script with a static page's statements ([`static_statements`], without the
/// part that hides a rendered banner): it preloads the module the loader will start, by the
/// cookie (the first visit's module, or the full one for a stored grant, so a returning
/// visitor does not download the first visit's module for nothing), and the vendor scripts a
/// valid stored grant will run; and it moves the banner into `<body>` for a visitor who has
/// to be asked. Last the loader, with `data-cookie` when the config renames the cookie (the
/// loader needs the name before the config arrives, G-06). `src` is the loader's URL, ending
/// in `/akkoord.js`. The error names what is wrong with `src`, the config URL or `--lang`.
pub fn snippet(
    config_text: &str,
    config: &Config,
    src: &str,
    source: ConfigSource<'_>,
    banner: Option<SnippetBanner<'_>>,
) -> Result<Snippet, String> {
    let base = folder_of(src).filter(|_| {
        plain_url(src)
            && src
                .split(['?', '#'])
                .next()
                .is_some_and(|p| p.ends_with("/akkoord.js"))
    });
    let Some(base) = base else {
        return Err(format!(
            "--src {src}: the loader's URL has to end in /akkoord.js and hold only letters, digits and / . _ : ~ ? = % + -"
        ));
    };
    let mut statements = static_statements(config, Some(base), None);
    let mut template = String::new();
    if let Some(banner) = banner {
        let (markup, insert) = snippet_banner(config, &banner)?;
        template = markup;
        statements.push_str(&insert);
    }
    let script = script_in_function(&statements);
    let mut html = String::new();
    let mut loader = ["<script src=\"", src, "\""].concat();
    match source {
        ConfigSource::Url(url) => {
            if !plain_url(url) {
                return Err(format!(
                    "--config-url {url}: the config's URL may hold only letters, digits and / . _ : ~ ? = % + -"
                ));
            }
            // crossorigin: the loader fetches the config with fetch() (CORS mode).
            html.extend([
                "<link rel=\"preload\" href=\"",
                url,
                "\" as=\"fetch\" crossorigin>\n",
            ]);
            loader.extend([" data-config=\"", url, "\""]);
        }
        ConfigSource::Inline => {
            let Ok(value) = serde_json::from_str::<serde_json::Value>(config_text) else {
                return Err("the config is not JSON".to_string());
            };
            // Compact, and with `<` escaped so that nothing in it ends the element.
            let text = value.to_string().replace('<', "\\u003c");
            html.extend([
                "<script type=\"application/json\" id=\"akkoord-config\">",
                &text,
                "</script>\n",
            ]);
        }
    }
    // "akkoord" is the name a config gets without `cookie.name`, which the loader assumes.
    if config.cookie.name != "akkoord" {
        loader.extend([" data-cookie=\"", &config.cookie.name, "\""]);
    }
    loader.push_str("></script>\n");
    html.extend([&template, "<script>", &script, "</script>\n", &loader]);
    Ok(Snippet { html, script })
}

/// A JS expression, true where the module will choose `lang` for the banner, made the way the
/// module makes its choice (`texts::choose_language`): the first of the page's `lang` and the
/// browser's languages whose primary subtag the config has, else the config's first
/// language. `None` for a config that forces a language: there is no choice to make.
fn chooses_language(config: &Config, lang: &str) -> Option<String> {
    if config.language.is_some() {
        return None;
    }
    // Language codes are short ids; `<` is escaped all the same, as everywhere in the script.
    let available = serde_json::to_string(&config.languages())
        .ok()?
        .replace('<', "\\u003c");
    let chosen = serde_json::to_string(lang).ok()?.replace('<', "\\u003c");
    Some(
        [
            "[d.documentElement.getAttribute(\"lang\")||\"\"].concat(navigator.languages||[])",
            ".map(function(x){return x.split(/[-_]/)[0].toLowerCase()})",
            ".filter(function(x){return ",
            &available,
            ".indexOf(x)>=0}).concat(",
            &available,
            ")[0]==",
            &chosen,
        ]
        .concat(),
    )
}

/// The banner for [`snippet`]'s lines: in `lang` (one of the config's), styled with `css`.
#[derive(Debug, Clone, Copy)]
pub struct SnippetBanner<'a> {
    pub css: &'a str,
    pub lang: &'a str,
}

/// The id of the `<template>` that holds the banner in [`snippet`]'s lines.
const SNIPPET_TEMPLATE: &str = "akkoord-banner";

/// The banner for the lines of [`snippet`], and the part of their script that puts it into the
/// page. Lines in `<head>` cannot hold the banner's host, so they hold it in a `<template>`,
/// whose content the parser builds (declarative shadow root included) and which stays inert
/// there. As soon as the parser has made `<body>`, the script moves the content to its start:
/// the banner is then in the page's first paint, as on a static page. Only for a visitor who
/// has to be asked and gets this banner from the module too: no record in the cookie, no GPC
/// signal the banner would have to mention (on a config that honours it, S-04), and a page
/// whose `<html lang>` makes the module choose `lang` (unless the config forces a language).
/// Everyone else gets the module's banner, if any, a moment later. The banner has no
/// `<noscript>` part: it only reaches the page through the script. The error names `--lang`.
fn snippet_banner(config: &Config, banner: &SnippetBanner<'_>) -> Result<(String, String), String> {
    let available = config.languages();
    // `available` is the forced language alone when the config forces one.
    if !available.iter().any(|l| l == banner.lang) {
        return Err(format!(
            "--lang {}: the config has {}",
            banner.lang,
            available.join(", ")
        ));
    }
    let lang = banner.lang.to_string();
    let texts = Texts::new(config, &lang);
    let markup = markup::prerendered(config, &texts, false, &css::minify(banner.css), None, false);
    let template = [
        "<template id=\"",
        SNIPPET_TEMPLATE,
        "\">",
        &markup,
        "</template>\n",
    ]
    .concat();
    let same_language = chooses_language(config, &lang)
        .map(|same| ["&&", &same].concat())
        .unwrap_or_default();
    let insert = [
        "var t=d.getElementById(\"",
        SNIPPET_TEMPLATE,
        "\");if(t&&!(",
        if config.honour_gpc {
            "navigator.globalPrivacyControl===true||"
        } else {
            ""
        },
        "/(?:^|;\\s*)",
        config.cookie.name.as_str(),
        "=1\\./.test(c))",
        &same_language,
        "){var s=function(){d.body.prepend(t.content)};d.body?s():new MutationObserver(function(r,o){if(d.body){o.disconnect();s()}}).observe(d.documentElement,{childList:true})}",
    ]
    .concat();
    Ok((template, insert))
}

/// Whether every browser gets the static page's banner in the same language: whatever language
/// a browser prefers, `texts::choose_language` (the module's choice) picks the same one for
/// this page, because the config forces one or the page's `<html lang>` names one of the
/// config's. Otherwise the module may pick another language and replace the banner's text in
/// view.
pub fn static_language_settled(html: &str, config: &Config) -> bool {
    let page = page_lang(html);
    let without = texts::choose_language(config, page, &[]);
    config
        .languages()
        .into_iter()
        .all(|browser| texts::choose_language(config, page, &[browser]) == without)
}

/// The page for a static host, which sends every visitor the same HTML: the banner in it for
/// everyone, and just before the loader an inline script and style that keep it out of the
/// first paint of a visitor with a stored choice and preload the module that visitor's loader
/// will start ([`static_script`]); a preload of `akkoord.wasm` in the page goes, as the script
/// decides that now. The module then removes the banner, or takes it over and shows it when
/// the choice no longer holds (an outdated revision, say): the host loses
/// `data-akkoord-markup` then, which the style keys on. Language and GPC are what the page
/// alone says (`<html lang>`, no GPC). A browser that sends GPC, or (on a page whose
/// `<html lang>` does not settle the language) one for which the module chooses another
/// language, gets the banner kept out of the paint like a returning visitor, and the module's
/// banner instead ([`Guard`]). `None` as for [`insert`].
pub fn insert_static(html: &str, config_text: &str, css: &str, now: u64) -> Option<StaticPage> {
    let visitor = Visitor {
        now,
        ..Visitor::default()
    };
    let loader = loader_tag(html)?;
    let base = loader_base(loader);
    let html = match base {
        Some(base) => without_preloads_of(html, &[base, "akkoord.wasm"].concat()),
        None => html.to_string(),
    };
    let plan = plan(&html, config_text, &visitor)?;
    let with_banner = plan.page(css);
    // Before the loader, so that its preloads start first; but never after the banner, which
    // must not be painted before the style that hides it (a loader at the end of <body>).
    let at = with_banner
        .find(loader_tag(&with_banner)?)?
        .min(with_banner.find("<div id=\"akkoord\" ")?);
    let nonce = plan
        .nonce
        .map(|n| [" nonce=\"", n, "\""].concat())
        .unwrap_or_default();
    let settled = static_language_settled(&html, &plan.config);
    let guard = Guard {
        banner_lang: (!settled).then_some(plan.lang.as_str()),
    };
    let script = static_script(&plan.config, base, Some(guard));
    let style = [
        "[",
        CHOICE_ATTR,
        "] #akkoord[",
        markup::MARKUP_ATTR,
        "]{display:none}",
    ]
    .concat();
    let guard = [
        "<script",
        &nonce,
        ">",
        &script,
        "</script><style",
        &nonce,
        ">",
        &style,
        "</style>",
    ]
    .concat();
    let html = [&with_banner[..at], &guard, &with_banner[at..]].concat();
    Some(StaticPage {
        html,
        script,
        style,
        language_settled: settled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"{ "revision": 1, "controller": "Voorbeeld B.V.",
        "purposes": ["necessary", "analytics", "marketing"],
        "services": [ { "id": "meta", "template": "meta-pixel", "purpose": "marketing", "pixelId": "1234567890" } ] }"#;
    const PAGE: &str = "<!doctype html><html lang=\"nl\"><head>\
        <script src=\"/akkoord/akkoord.js\" data-config=\"/akkoord.json\"></script></head>\
        <body class=\"home\"><h1>Hallo</h1></body></html>";

    fn visitor() -> Visitor<'static> {
        Visitor {
            now: 1_800_000_000,
            ..Visitor::default()
        }
    }

    #[test]
    fn a_first_visit_gets_the_banner_at_the_start_of_body() {
        let out = insert(PAGE, CONFIG, "a{}", &visitor()).expect("banner");
        let at = out
            .find("<div id=\"akkoord\" data-akkoord-markup=\"")
            .expect("host");
        assert!(out[..at].ends_with("<body class=\"home\">"), "{out}");
        assert!(out.contains(
            "<template shadowrootmode=\"open\"><style>a{}:host{visibility:hidden}</style><div class=\"ak\""
        ));
        // Shown only by a style after the banner's last element (no layout shift while
        // the HTML arrives in pieces).
        assert!(out.contains("</div><style>:host{visibility:visible}</style><noscript>"));
        // Without JavaScript its buttons do nothing: hidden then.
        assert!(out
            .contains("<noscript><style>:host{display:none}</style></noscript></template></div>"));
        // Not the page's snippet in search results.
        assert!(out[at..].starts_with("<div id=\"akkoord\" data-akkoord-markup=\""));
        assert!(
            out[at..at + 80].contains("\" data-nosnippet><template"),
            "{out}"
        );
        assert!(out.contains("lang=\"nl\""));
        assert!(out.ends_with("<h1>Hallo</h1></body></html>"));
    }

    #[test]
    fn a_valid_stored_choice_gets_no_banner_c22() {
        let config = Config::from_json(CONFIG).expect("valid");
        let consent = decide::decide(
            &config,
            &decide::Action::RejectAll,
            false,
            1_800_000_000,
            akkoord::record::consent_id(&[3; 16]),
        );
        let cookie = ["akkoord=", &akkoord::record::encode(&consent)].concat();
        let v = Visitor {
            cookies: &cookie,
            ..visitor()
        };
        assert!(insert(PAGE, CONFIG, "", &v).is_none());
        // A corrupt record is a first visit again.
        let v = Visitor {
            cookies: "akkoord=1.x",
            ..visitor()
        };
        assert!(insert(PAGE, CONFIG, "", &v).is_some());
    }

    #[test]
    fn no_banner_without_loader_valid_config_or_body() {
        assert!(insert("<body><h1>x</h1></body>", CONFIG, "", &visitor()).is_none());
        assert!(insert(PAGE, "{ \"revision\": 1 }", "", &visitor()).is_none());
        assert!(insert(PAGE, "not json", "", &visitor()).is_none());
        let headless = PAGE.replace("<body class=\"home\">", "");
        assert!(insert(&headless, CONFIG, "", &visitor()).is_none());
    }

    #[test]
    fn gpc_header_is_said_in_the_banner_s04() {
        let with = insert(
            PAGE,
            CONFIG,
            "",
            &Visitor {
                gpc: true,
                ..visitor()
            },
        )
        .expect("banner");
        let without = insert(PAGE, CONFIG, "", &visitor()).expect("banner");
        assert!(with.contains("data-akkoord-gpc"));
        assert!(!without.contains("data-akkoord-gpc"));
        // Different markup, different fingerprint: the module rebuilds rather than reuse.
        let fp = |s: &str| {
            let at = s.find("id=\"akkoord\"")?;
            attr(tag_at(s, at)?, "data-akkoord-markup").map(str::to_string)
        };
        assert_ne!(fp(&with), fp(&without));
    }

    #[test]
    fn language_follows_the_page_then_the_browser() {
        let en = PAGE.replace("lang=\"nl\"", "lang=\"en\"");
        assert!(insert(&en, CONFIG, "", &visitor())
            .expect("banner")
            .contains("lang=\"en\""));
        let none = PAGE.replace(" lang=\"nl\"", "");
        let v = Visitor {
            accept_language: "fr-BE;q=0.5, de-DE, en;q=0.9",
            ..visitor()
        };
        assert!(insert(&none, CONFIG, "", &v)
            .expect("banner")
            .contains("<div class=\"ak\" data-theme=\"auto\" lang=\"de\">"));
    }

    #[test]
    fn a_static_page_has_the_guard_just_before_the_loader_and_the_banner_after_body() {
        let config = CONFIG.replace(
            "\"revision\": 1,",
            "\"revision\": 1, \"cookie\": { \"name\": \"keuze_2\" },",
        );
        let page = insert_static(PAGE, &config, "a{}", 1_800_000_000).expect("banner");
        // GPC is honoured by default: a browser that sends it gets the module's banner (S-04).
        assert!(
            page.script.contains(
                "(navigator.globalPrivacyControl===true||/(?:^|;\\s*)keuze_2=1\\./.test(c))&&d.documentElement.setAttribute"
            ),
            "{}",
            page.script
        );
        let without_gpc = config.replace("\"revision\": 1,", "\"revision\": 1, \"gpc\": false,");
        let page_without = insert_static(PAGE, &without_gpc, "a{}", 1_800_000_000).expect("banner");
        assert!(
            page_without
                .script
                .contains("(/(?:^|;\\s*)keuze_2=1\\./.test(c))&&"),
            "{}",
            page_without.script
        );
        assert_eq!(
            page.style,
            "[data-akkoord-choice] #akkoord[data-akkoord-markup]{display:none}"
        );
        let guard = [
            "<script>",
            &page.script,
            "</script><style>",
            &page.style,
            "</style>",
        ]
        .concat();
        let at = page.html.find(&guard).expect("guard");
        assert!(page.html[..at].ends_with("<head>"), "{}", page.html);
        assert!(page.html[at + guard.len()..].starts_with("<script src=\"/akkoord/akkoord.js\""));
        assert!(page
            .html
            .contains("<body class=\"home\"><div id=\"akkoord\" data-akkoord-markup=\""));
    }

    #[test]
    fn a_static_page_preloads_the_module_the_cookie_calls_for_from_the_loaders_folder() {
        let page = PAGE
            .replace("/akkoord/akkoord.js", "/cdn/akkoord/akkoord.js")
            .replace(
                "<head>",
                "<head><link rel=\"preload\" href=\"/cdn/akkoord/akkoord.wasm\" as=\"fetch\" crossorigin><link rel=\"preload\" href=\"/akkoord.json\" as=\"fetch\" crossorigin>",
            );
        let out = insert_static(&page, CONFIG, "", 1_800_000_000).expect("banner");
        // The script decides which module to preload; the page's own preload of the config stays.
        assert!(
            !out.html.contains("href=\"/cdn/akkoord/akkoord.wasm\""),
            "{}",
            out.html
        );
        assert!(out
            .html
            .contains("<link rel=\"preload\" href=\"/akkoord.json\""));
        assert!(
            out.script.contains("var b=\"/cdn/akkoord/\";"),
            "{}",
            out.script
        );
        assert!(out.script.contains(
            "/(?:^|;\\s*)akkoord=1\\.\\d+\\.\\d+\\.[arcg]\\.[0-9a-z]{16}\\.[a-z]/.test(c)?(p(b+\"akkoord-full.js\",\"script\"),p(b+\"akkoord-full.wasm\",\"fetch\",1)):p(b+\"akkoord.wasm\",\"fetch\",1)"
        ), "{}", out.script);
        // A loader whose URL cannot go into a JS string as it is: no preloads, the rest works.
        let odd = PAGE.replace("/akkoord/akkoord.js", "/a'b/akkoord/akkoord.js");
        let out = insert_static(&odd, CONFIG, "", 1_800_000_000).expect("banner");
        assert!(!out.script.contains("akkoord.wasm"), "{}", out.script);
        assert!(!out.script.contains("akkoord-full"), "{}", out.script);
        assert!(out.script.contains("setAttribute"));
        assert!(
            out.script.contains("fbevents.js"),
            "the vendor preloads need no folder"
        );
    }

    #[test]
    fn a_static_page_without_a_language_keeps_its_banner_from_a_browser_the_module_answers_in_another(
    ) {
        let page = insert_static(&PAGE.replace(" lang=\"nl\"", ""), CONFIG, "", 1_800_000_000)
            .expect("banner");
        assert!(
            page.html.contains("lang=\"nl\""),
            "the config's first language"
        );
        assert!(!page.language_settled);
        assert!(
            page.script.contains(
                "/(?:^|;\\s*)akkoord=1\\./.test(c)||!([d.documentElement.getAttribute(\"lang\")||\"\"]\
                 .concat(navigator.languages||[]).map(function(x){return x.split(/[-_]/)[0].toLowerCase()})\
                 .filter(function(x){return [\"nl\",\"en\",\"de\",\"fr\"].indexOf(x)>=0})\
                 .concat([\"nl\",\"en\",\"de\",\"fr\"])[0]==\"nl\"))&&d.documentElement.setAttribute"
            ),
            "{}",
            page.script
        );
        // A page whose lang settles it, or a config that forces one: no choice to mirror.
        let settled = insert_static(PAGE, CONFIG, "", 1_800_000_000).expect("banner");
        assert!(settled.language_settled);
        assert!(
            !settled.script.contains("navigator.languages"),
            "{}",
            settled.script
        );
        let forced = CONFIG.replace("\"revision\": 1,", "\"revision\": 1, \"language\": \"en\",");
        let forced = insert_static(
            &PAGE.replace(" lang=\"nl\"", ""),
            &forced,
            "",
            1_800_000_000,
        )
        .expect("banner");
        assert!(
            !forced.script.contains("navigator.languages"),
            "{}",
            forced.script
        );
    }

    #[test]
    fn a_static_page_carries_the_configs_vendor_table_for_its_revision_and_lifetime_c22() {
        let config = CONFIG
            .replace("\"revision\": 1,", "\"revision\": 7, \"cookie\": { \"days\": 90 },")
            .replace(
                "\"services\": [",
                "\"services\": [ { \"id\": \"ga4\", \"template\": \"google-analytics\", \"purpose\": \"analytics\", \"measurementId\": \"G-ABC123\" },",
            );
        let out = insert_static(PAGE, &config, "", 1_800_000_000).expect("banner");
        assert!(
            out.script.contains(
                "[[\"gtag\",\"analytics\",\"ga4\",\"https://www.googletagmanager.com/gtag/js?id=G-ABC123\"],\
                 [\"fbq\",\"marketing\",\"meta\",\"https://connect.facebook.net/en_US/fbevents.js\"]].forEach("
            ),
            "{}",
            out.script
        );
        assert!(
            out.script.contains("m=v&&/^1\\.7\\.(\\d+)\\."),
            "{}",
            out.script
        );
        assert!(
            out.script.contains("if(m&&m[1]>n-7776000&&n+86400>=m[1])"),
            "{}",
            out.script
        );
        // Nothing in it can end the script element or open an HTML comment.
        assert!(!out.script.contains('<'), "{}", out.script);

        let without = r#"{ "revision": 1, "controller": "Voorbeeld B.V.",
            "purposes": ["necessary", "marketing"], "services": [] }"#;
        let out = insert_static(PAGE, without, "", 1_800_000_000).expect("banner");
        assert!(!out.script.contains("forEach"), "{}", out.script);
        assert!(
            out.script.contains("akkoord-full.wasm"),
            "the module preloads stay"
        );
    }

    #[test]
    fn a_snippet_preloads_the_config_and_by_cookie_the_module_and_vendors_then_loads_the_loader() {
        let config = Config::from_json(CONFIG).expect("valid");
        let out = snippet(
            CONFIG,
            &config,
            "/cdn/akkoord/akkoord.js?v=3",
            ConfigSource::Url("/akkoord.json"),
            None,
        )
        .expect("snippet");
        let lines: Vec<&str> = out.html.lines().collect();
        assert_eq!(
            lines[0],
            "<link rel=\"preload\" href=\"/akkoord.json\" as=\"fetch\" crossorigin>"
        );
        assert_eq!(lines[1], ["<script>", &out.script, "</script>"].concat());
        assert_eq!(
            lines[2],
            "<script src=\"/cdn/akkoord/akkoord.js?v=3\" data-config=\"/akkoord.json\"></script>"
        );
        assert_eq!(lines.len(), 3);
        // The static page's script, without the part that hides a rendered banner.
        assert!(out
            .script
            .starts_with("!function(){try{var d=document,c=d.cookie;var p="));
        assert!(!out.script.contains(CHOICE_ATTR), "{}", out.script);
        assert!(
            out.script.contains("var b=\"/cdn/akkoord/\";"),
            "{}",
            out.script
        );
        assert!(out.script.contains("fbevents.js"), "{}", out.script);
        assert!(!out.script.contains('<'), "{}", out.script);
    }

    #[test]
    fn a_snippet_names_a_renamed_cookie_for_the_loader_and_can_carry_the_config_g06() {
        let text = CONFIG
            .replace(
                "\"revision\": 1,",
                "\"revision\": 1, \"cookie\": { \"name\": \"keuze\" },",
            )
            .replace("Voorbeeld B.V.", "Voorbeeld</script><b> B.V.");
        let config = Config::from_json(&text).expect("valid");
        let out = snippet(
            &text,
            &config,
            "/akkoord/akkoord.js",
            ConfigSource::Inline,
            None,
        )
        .expect("snippet");
        let first = out.html.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("<script type=\"application/json\" id=\"akkoord-config\">{"),
            "{first}"
        );
        assert!(first.contains("\\u003c/script>\\u003cb>"), "{first}");
        assert_eq!(first.matches("</script>").count(), 1, "{first}");
        assert!(out
            .html
            .contains("<script src=\"/akkoord/akkoord.js\" data-cookie=\"keuze\"></script>"));
        assert!(!out.html.contains("<link"), "no config to preload");
        assert!(out.script.contains("keuze=1\\."), "{}", out.script);
    }

    #[test]
    fn a_snippets_banner_is_moved_into_body_only_for_a_visitor_the_module_would_show_it_to_c01_s04()
    {
        let config = Config::from_json(CONFIG).expect("valid");
        let banner = SnippetBanner {
            css: ".ak { color: red }",
            lang: "nl",
        };
        let out = snippet(
            CONFIG,
            &config,
            "/akkoord/akkoord.js",
            ConfigSource::Url("/akkoord.json"),
            Some(banner),
        )
        .expect("snippet");
        let template = out.html.lines().nth(1).unwrap_or_default();
        assert!(template.starts_with("<template id=\"akkoord-banner\"><div id=\"akkoord\" "));
        assert!(template.contains("<style>.ak{color:red}"), "{template}");
        assert!(template.contains("lang=\"nl\""), "{template}");
        // No record, no GPC signal, and a page in the banner's language; in the try.
        assert!(
            out.script.ends_with(
                "var t=d.getElementById(\"akkoord-banner\");if(t&&!(navigator.globalPrivacyControl===true||/(?:^|;\\s*)akkoord=1\\./.test(c))\
                 &&[d.documentElement.getAttribute(\"lang\")||\"\"].concat(navigator.languages||[])\
                 .map(function(x){return x.split(/[-_]/)[0].toLowerCase()})\
                 .filter(function(x){return [\"nl\",\"en\",\"de\",\"fr\"].indexOf(x)>=0}).concat([\"nl\",\"en\",\"de\",\"fr\"])[0]==\"nl\")\
                 {var s=function(){d.body.prepend(t.content)};d.body?s():new MutationObserver(function(r,o){if(d.body){o.disconnect();s()}}).observe(d.documentElement,{childList:true})}\
                 }catch(e){}}()"
            ),
            "{}",
            out.script
        );
        assert!(!out.script.contains('<'), "{}", out.script);

        // A forced language: every page gets that banner, and `--lang` can only name it;
        // without GPC honoured, no GPC test.
        let forced_text = CONFIG.replace(
            "\"revision\": 1,",
            "\"revision\": 1, \"language\": \"en\", \"gpc\": false,",
        );
        let forced = Config::from_json(&forced_text).expect("valid");
        let err = snippet(
            &forced_text,
            &forced,
            "/akkoord/akkoord.js",
            ConfigSource::Url("/akkoord.json"),
            Some(banner),
        )
        .expect_err("not the forced language");
        assert_eq!(err, "--lang nl: the config has en");
        let out = snippet(
            &forced_text,
            &forced,
            "/akkoord/akkoord.js",
            ConfigSource::Url("/akkoord.json"),
            Some(SnippetBanner {
                lang: "en",
                ..banner
            }),
        )
        .expect("snippet");
        assert!(out.html.contains("lang=\"en\""), "{}", out.html);
        assert!(
            !out.script.contains("navigator.languages"),
            "{}",
            out.script
        );
        assert!(
            !out.script.contains("globalPrivacyControl"),
            "{}",
            out.script
        );

        let err = snippet(
            CONFIG,
            &config,
            "/akkoord/akkoord.js",
            ConfigSource::Url("/akkoord.json"),
            Some(SnippetBanner {
                css: "",
                lang: "tlh",
            }),
        )
        .expect_err("not a language of the config");
        assert!(err.starts_with("--lang tlh: the config has "), "{err}");
    }

    #[test]
    fn a_page_with_the_snippets_banner_is_not_given_a_second_one() {
        let config = Config::from_json(CONFIG).expect("valid");
        let lines = snippet(
            CONFIG,
            &config,
            "/akkoord/akkoord.js",
            ConfigSource::Url("/akkoord.json"),
            Some(SnippetBanner {
                css: "",
                lang: "nl",
            }),
        )
        .expect("snippet");
        let page = [
            "<!doctype html><html lang=\"nl\"><head>",
            &lines.html,
            "</head><body><h1>Hallo</h1></body></html>",
        ]
        .concat();
        assert!(insert(&page, CONFIG, "", &visitor()).is_none());
        assert!(insert_static(&page, CONFIG, "", 1_800_000_000).is_none());
    }

    #[test]
    fn a_snippet_refuses_urls_it_cannot_put_into_the_page_as_they_are() {
        let config = Config::from_json(CONFIG).expect("valid");
        for src in ["/js/banner.js", "/a\"b/akkoord.js", "akkoord.js", ""] {
            let err = snippet(
                CONFIG,
                &config,
                src,
                ConfigSource::Url("/akkoord.json"),
                None,
            )
            .expect_err(src);
            assert!(err.starts_with("--src "), "{err}");
        }
        let err = snippet(
            CONFIG,
            &config,
            "/akkoord/akkoord.js",
            ConfigSource::Url("/a kkoord.json"),
            None,
        )
        .expect_err("space");
        assert!(err.starts_with("--config-url /a kkoord.json"), "{err}");
    }

    #[test]
    fn a_static_page_with_the_loader_at_the_end_of_body_gets_the_guard_before_the_banner() {
        let page = "<!doctype html><html lang=\"nl\"><head></head><body><h1>Hallo</h1>\
            <script src=\"/akkoord/akkoord.js\" data-config=\"/akkoord.json\"></script></body></html>";
        let out = insert_static(page, CONFIG, "", 1_800_000_000).expect("banner");
        let guard = out.html.find("<script>!function(){try{").expect("guard");
        let banner = out.html.find("<div id=\"akkoord\" ").expect("banner");
        assert!(out.html[..guard].ends_with("<body>"), "{}", out.html);
        assert!(guard < banner);
    }

    #[test]
    fn a_loader_in_a_versioned_folder_is_found_and_its_folder_preloaded_from() {
        let page = PAGE.replace(
            "/akkoord/akkoord.js",
            "/akkoord/2026-11-28/akkoord.js?v=a/b",
        );
        assert!(insert(&page, CONFIG, "", &visitor()).is_some());
        let out = insert_static(&page, CONFIG, "", 1_800_000_000).expect("banner");
        assert!(
            out.script.contains("var b=\"/akkoord/2026-11-28/\";"),
            "{}",
            out.script
        );
        // Not a loader: another file of the same name, a preload of it, the full module's glue.
        for other in [
            "<script src=\"/js/notakkoord.js\"></script>",
            "<link rel=\"preload\" href=\"/akkoord/akkoord.js\" as=\"script\">",
            "<script src=\"/akkoord/akkoord-full.js\"></script>",
        ] {
            let page = ["<html><head>", other, "</head><body></body></html>"].concat();
            assert!(insert(&page, CONFIG, "", &visitor()).is_none(), "{other}");
        }
    }

    #[test]
    fn a_static_pages_language_is_settled_by_a_known_html_lang_or_a_forced_language() {
        let config = Config::from_json(CONFIG).expect("valid");
        assert!(static_language_settled(PAGE, &config));
        assert!(static_language_settled(
            &PAGE.replace("lang=\"nl\"", "lang=\"en-GB\""),
            &config
        ));
        assert!(!static_language_settled(
            &PAGE.replace(" lang=\"nl\"", ""),
            &config
        ));
        assert!(!static_language_settled(
            &PAGE.replace("lang=\"nl\"", "lang=\"tlh\""),
            &config
        ));
        let forced = Config::from_json(
            &CONFIG.replace("\"revision\": 1,", "\"revision\": 1, \"language\": \"en\","),
        )
        .expect("valid");
        assert!(static_language_settled(
            &PAGE.replace(" lang=\"nl\"", ""),
            &forced
        ));
    }

    #[test]
    fn a_static_page_puts_the_loaders_nonce_on_the_guard_too() {
        let page = PAGE.replace("<script src", "<script nonce=\"r4nd0m\" src");
        let out = insert_static(&page, CONFIG, "a{}", 1_800_000_000).expect("banner");
        assert!(
            out.html
                .contains("<script nonce=\"r4nd0m\">!function(){try{"),
            "{}",
            out.html
        );
        assert!(
            out.html
                .contains("<style nonce=\"r4nd0m\">[data-akkoord-choice]"),
            "{}",
            out.html
        );
    }

    #[test]
    fn a_static_page_needs_what_a_first_visit_needs() {
        assert!(insert_static("<body><h1>x</h1></body>", CONFIG, "", 1).is_none());
        assert!(insert_static(PAGE, "not json", "", 1).is_none());
    }

    #[test]
    fn csp_hash_is_the_base64_sha256_of_the_text() {
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            csp_hash("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
    }

    #[test]
    fn the_stylesheet_goes_in_minified() {
        let out = insert(
            PAGE,
            CONFIG,
            "/* theme */\n.ak {\n  color: red;\n}\n",
            &visitor(),
        )
        .expect("banner");
        assert!(
            out.contains("<style>.ak{color:red}:host{visibility:hidden}</style>"),
            "{out}"
        );
    }

    #[test]
    fn the_loaders_nonce_goes_on_every_style() {
        let page = PAGE.replace("<script src", "<script nonce=\"r4nd0m\" src");
        let out = insert(&page, CONFIG, "a{}", &visitor()).expect("banner");
        assert!(
            out.contains("<style nonce=\"r4nd0m\">a{}:host{visibility:hidden}</style>"),
            "{out}"
        );
        assert!(
            out.contains("<style nonce=\"r4nd0m\">:host{visibility:visible}</style>"),
            "{out}"
        );
        assert!(
            out.contains("<noscript><style nonce=\"r4nd0m\">:host{display:none}</style>"),
            "{out}"
        );
        assert_eq!(out.matches("<style").count(), 3, "{out}");
    }

    #[test]
    fn a_preload_of_the_loader_is_not_the_loader() {
        let page = PAGE.replace(
            "<head>",
            "<head><link rel=\"preload\" href=\"/akkoord/akkoord.js\" as=\"script\">",
        );
        assert_eq!(config_path(&page), Some("/akkoord.json"));
        assert!(insert(&page, CONFIG, "", &visitor()).is_some());
        assert!(insert(
            "<link href=\"/akkoord/akkoord.js\"><body></body>",
            CONFIG,
            "",
            &visitor()
        )
        .is_none());
    }

    #[test]
    fn config_from_data_config_or_inline() {
        assert_eq!(config_path(PAGE), Some("/akkoord.json"));
        assert_eq!(
            config_path(&PAGE.replace("/akkoord.json", "//evil.example/c.json")),
            None
        );
        let inline = "<script type=\"application/json\" id=\"akkoord-config\">{\"a\":1}</script>";
        assert_eq!(inline_config(inline), Some("{\"a\":1}"));
    }
}
