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

use akkoord::config::Config;
use akkoord::decide;
use akkoord::markup;
use akkoord::texts::{self, Texts};

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

/// The loader's `<script>` tag: the first script whose `src` is the banner's `akkoord.js`
/// (a `<link rel="preload">` of the same file is not it).
fn loader_tag(html: &str) -> Option<&str> {
    html.match_indices("/akkoord/akkoord.js")
        .filter_map(|(at, _)| tag_at(html, at))
        .find(|tag| tag.starts_with("<script"))
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
    config: Config,
    lang: String,
    gpc: bool,
    nonce: Option<&'a str>,
}

/// Whether this page and visitor get the banner: `None` when there is no loader on the page,
/// no `<body>` tag to put it in, no valid config, or a valid stored choice.
pub fn plan<'a>(html: &'a str, config_text: &str, visitor: &Visitor<'_>) -> Option<Plan<'a>> {
    let loader = loader_tag(html)?;
    if html.contains(markup::MARKUP_ATTR) {
        return None;
    }
    // ASCII lower-casing keeps every byte offset.
    let lower = html.to_ascii_lowercase();
    let body = lower.find("<body")?;
    let at = body + lower[body..].find('>')? + 1;
    let config = Config::from_json(config_text).ok()?;
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
        self.page_after(css, "")
    }

    /// [`Plan::page`] with `before` just ahead of the banner.
    fn page_after(&self, css: &str, before: &str) -> String {
        let texts = Texts::new(&self.config, &self.lang);
        let banner = markup::prerendered(
            &self.config,
            &texts,
            self.gpc,
            &css::minify(css),
            self.nonce,
        );
        [
            &self.html[..self.at],
            before,
            &banner,
            &self.html[self.at..],
        ]
        .concat()
    }
}

/// `html` with the banner inserted at the start of `<body>`, or `None` when this page or
/// visitor gets none ([`plan`]).
pub fn insert(html: &str, config_text: &str, css: &str, visitor: &Visitor<'_>) -> Option<String> {
    Some(plan(html, config_text, visitor)?.page(css))
}

/// The attribute the script of [`static_guard`] sets on `<html>`.
pub const CHOICE_ATTR: &str = "data-akkoord-choice";

/// The inline script and style of [`insert_static`], as their text. The script marks `<html>`
/// when the consent cookie holds a record (version 1, as the loader reads it); the style keeps
/// a banner that no module has taken over yet out of the paint then. Reading cookies can throw
/// (a sandboxed frame): the banner is then shown, as to a first-time visitor.
pub fn static_guard(cookie_name: &str) -> [String; 2] {
    // Cookie names are letters, digits, `_` and `-` (config::valid_cookie_name): nothing in
    // them means anything to a regular expression outside a character class.
    let script = [
        "try{/(?:^|;\\s*)",
        cookie_name,
        "=1\\./.test(document.cookie)&&document.documentElement.setAttribute(\"",
        CHOICE_ATTR,
        "\",\"\")}catch(e){}",
    ]
    .concat();
    let style = [
        "[",
        CHOICE_ATTR,
        "] #akkoord[",
        markup::MARKUP_ATTR,
        "]{display:none}",
    ]
    .concat();
    [script, style]
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

/// The page for a static host, which sends every visitor the same HTML: the banner in it for
/// everyone, with [`static_guard`] ahead of it to keep it out of the first paint of a visitor
/// with a stored choice. The module then removes it, or takes it over and shows it when that
/// choice no longer holds (an outdated revision, say): the host loses `data-akkoord-markup`
/// then, which the style keys on. Language and GPC are what the page alone says
/// (`<html lang>`, no GPC); for a browser that differs, the module replaces the banner's
/// content. `None` as for [`insert`].
pub fn insert_static(html: &str, config_text: &str, css: &str, now: u64) -> Option<String> {
    let plan = plan(
        html,
        config_text,
        &Visitor {
            now,
            ..Visitor::default()
        },
    )?;
    let nonce = plan
        .nonce
        .map(|n| [" nonce=\"", n, "\""].concat())
        .unwrap_or_default();
    let [script, style] = static_guard(&plan.config.cookie.name);
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
    Some(plan.page_after(css, &guard))
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
        assert!(out.contains("</div><style>:host{visibility:visible}</style></template></div>"));
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
    fn a_static_page_has_the_guard_just_before_the_banner_with_the_configs_cookie_name() {
        let config = CONFIG.replace(
            "\"revision\": 1,",
            "\"revision\": 1, \"cookie\": { \"name\": \"keuze_2\" },",
        );
        let out = insert_static(PAGE, &config, "a{}", 1_800_000_000).expect("banner");
        let [script, style] = static_guard("keuze_2");
        assert!(
            script.contains("/(?:^|;\\s*)keuze_2=1\\./.test(document.cookie)"),
            "{script}"
        );
        assert_eq!(
            style,
            "[data-akkoord-choice] #akkoord[data-akkoord-markup]{display:none}"
        );
        let guard = ["<script>", &script, "</script><style>", &style, "</style>"].concat();
        let at = out.find(&guard).expect("guard");
        assert!(out[..at].ends_with("<body class=\"home\">"), "{out}");
        assert!(out[at + guard.len()..].starts_with("<div id=\"akkoord\" data-akkoord-markup=\""));
    }

    #[test]
    fn a_static_page_puts_the_loaders_nonce_on_the_guard_too() {
        let page = PAGE.replace("<script src", "<script nonce=\"r4nd0m\" src");
        let out = insert_static(&page, CONFIG, "a{}", 1_800_000_000).expect("banner");
        assert!(out.contains("<script nonce=\"r4nd0m\">try{"), "{out}");
        assert!(
            out.contains("<style nonce=\"r4nd0m\">[data-akkoord-choice]"),
            "{out}"
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
    fn the_loaders_nonce_goes_on_both_styles() {
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
        assert_eq!(out.matches("<style").count(), 2, "{out}");
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
