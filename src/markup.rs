//! The banner's markup as one HTML string: the first layer and the preferences dialog.
//!
//! The browser puts this string into the banner's shadow root with one `innerHTML` (one parse
//! instead of a DOM call per element), and `akkoord serve` puts the same string into the page
//! itself as a declarative shadow root, so a first-time visitor sees the banner in the page's
//! first paint ([`prerendered`]). Both come from this one function, so the server cannot show
//! a different banner from the one the module would build.
//!
//! Stable hooks (public, see docs/internals.md): `[data-akkoord-action]` buttons,
//! `input[data-akkoord-purpose]` toggles, `[data-akkoord-layer]` sections with `role="dialog"`
//! and an accessible name.

use crate::config::{Config, Theme};
use crate::consent::NECESSARY;
use crate::texts::Texts;

/// Append `s` escaped for HTML text and for double-quoted attribute values. Every text and
/// URL from the config goes through here: a config may hold any characters.
pub(crate) fn esc(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// `<tag attrs>text</tag>` with the text escaped; `attrs` is trusted markup written here.
pub(crate) fn el(out: &mut String, tag: &str, attrs: &str, text: &str) {
    out.extend(["<", tag, attrs, ">"]);
    esc(out, text);
    out.extend(["</", tag, ">"]);
}

/// ` name="value"` with the value escaped.
pub(crate) fn attr(out: &mut String, name: &str, value: &str) {
    out.extend([" ", name, "=\""]);
    esc(out, value);
    out.push('"');
}

fn button(out: &mut String, action: &str, label: &str) {
    out.extend([
        "<button type=\"button\" class=\"ak-btn\" data-akkoord-action=\"",
        action,
        "\">",
    ]);
    esc(out, label);
    out.push_str("</button>");
}

fn link(out: &mut String, href: &str, label: &str) {
    out.push_str("<a");
    attr(out, "href", href);
    out.push_str(" class=\"ak-link\">");
    esc(out, label);
    out.push_str("</a>");
}

/// The banner's markup: the first layer (hidden unless `shown`) and the preferences dialog
/// (hidden), inside one `.ak` wrapper.
pub fn banner(config: &Config, t: &Texts<'_>, gpc: bool, shown: bool) -> String {
    let mut out = String::with_capacity(4096);
    let theme = match config.theme {
        Theme::Auto => "auto",
        Theme::Light => "light",
        Theme::Dark => "dark",
    };
    out.extend(["<div class=\"ak\" data-theme=\"", theme, "\""]);
    attr(&mut out, "lang", t.lang());
    out.push('>');

    // First layer: who, what for, how to withdraw, and three equal buttons (C-05..C-10).
    out.push_str(
        "<section class=\"ak-banner\" data-akkoord-layer=\"banner\" role=\"dialog\" \
         aria-modal=\"false\" aria-labelledby=\"ak-title\" aria-describedby=\"ak-text\" \
         tabindex=\"-1\"",
    );
    if !shown {
        out.push_str(" hidden");
    }
    out.push('>');
    el(
        &mut out,
        "h2",
        " id=\"ak-title\" class=\"ak-title\"",
        t.get("banner.title"),
    );
    out.push_str("<div id=\"ak-text\" class=\"ak-text\">");
    el(&mut out, "p", "", &t.banner_text());
    if let Some(p) = t.providers_text() {
        el(&mut out, "p", "", &p);
    }
    if gpc {
        el(
            &mut out,
            "p",
            " class=\"ak-gpc\" data-akkoord-gpc",
            t.get("banner.gpc"),
        );
    }
    el(&mut out, "p", "", t.get("banner.withdraw"));
    out.push_str("</div>");
    if config.cookie_statement.is_some() || config.privacy_policy.is_some() {
        out.push_str("<p class=\"ak-links\">");
        if let Some(href) = &config.cookie_statement {
            link(&mut out, href, t.get("link.statement"));
        }
        if let Some(href) = &config.privacy_policy {
            link(&mut out, href, t.get("link.privacy"));
        }
        out.push_str("</p>");
    }
    out.push_str("<div class=\"ak-buttons\">");
    button(&mut out, "accept-all", t.get("button.accept_all"));
    button(&mut out, "reject-all", t.get("button.reject_all"));
    button(&mut out, "preferences", t.get("button.preferences"));
    out.push_str("</div></section>");

    // Second layer: per-purpose toggles, services in detail (C-13, C-14, C-16, C-17).
    out.push_str(
        "<div class=\"ak-backdrop\" hidden><section class=\"ak-prefs\" \
         data-akkoord-layer=\"preferences\" role=\"dialog\" aria-modal=\"true\" \
         aria-labelledby=\"ak-prefs-title\" tabindex=\"-1\"><div class=\"ak-head\">",
    );
    el(
        &mut out,
        "h2",
        " id=\"ak-prefs-title\" class=\"ak-title\"",
        t.get("prefs.title"),
    );
    out.push_str("<button type=\"button\" class=\"ak-close\" data-akkoord-action=\"close\"");
    attr(&mut out, "aria-label", t.get("button.close"));
    out.push_str(">×</button></div>");
    el(&mut out, "p", " class=\"ak-text\"", t.get("prefs.text"));
    if gpc {
        el(&mut out, "p", " class=\"ak-gpc\"", t.get("banner.gpc"));
    }
    out.push_str("<ul class=\"ak-purposes\">");
    for purpose in &config.purposes {
        purpose_item(&mut out, config, t, purpose);
    }
    out.push_str("</ul><div class=\"ak-buttons\">");
    button(&mut out, "save", t.get("button.save"));
    button(&mut out, "reject-all", t.get("button.reject_all"));
    button(&mut out, "accept-all", t.get("button.accept_all"));
    out.push_str("</div></section></div></div>");
    out
}

fn purpose_item(out: &mut String, config: &Config, t: &Texts<'_>, purpose: &str) {
    // Purpose and service ids are validated ([a-z][a-z0-9_-]*): safe in ids and attributes.
    let necessary = purpose == NECESSARY;
    out.extend([
        "<li class=\"ak-purpose\"><div class=\"ak-row\"><input type=\"checkbox\" id=\"ak-p-",
        purpose,
        "\" class=\"ak-toggle\" data-akkoord-purpose=\"",
        purpose,
        "\" aria-describedby=\"ak-d-",
        purpose,
        "\"",
        if necessary { " checked disabled>" } else { ">" },
        "<label for=\"ak-p-",
        purpose,
        "\" class=\"ak-label\">",
    ]);
    esc(out, &t.purpose_title(purpose));
    out.push_str("</label>");
    if necessary {
        el(
            out,
            "span",
            " class=\"ak-always\"",
            t.get("prefs.always_on"),
        );
    }
    out.extend(["</div><p id=\"ak-d-", purpose, "\" class=\"ak-desc\">"]);
    esc(out, &t.purpose_description(purpose));
    out.push_str("</p>");

    for service in config.services.iter().filter(|s| s.purpose == purpose) {
        let id = service.id.as_str();
        out.extend([
            "<details class=\"ak-service\" data-akkoord-service=\"",
            id,
            "\"><summary>",
        ]);
        esc(out, &service.name);
        // Granular consent per service ("only YouTube, not all marketing").
        out.extend([
            "</summary><div class=\"ak-row\"><input type=\"checkbox\" id=\"ak-s-",
            id,
            "\" class=\"ak-toggle\" data-akkoord-service=\"",
            id,
            "\" data-akkoord-of=\"",
            purpose,
            "\"><label for=\"ak-s-",
            id,
            "\" class=\"ak-label\">",
        ]);
        esc(
            out,
            &crate::texts::fill(t.get("prefs.service"), "{service}", &service.name),
        );
        out.push_str("</label></div><dl>");
        let mut pair = |term: &str, value: &str| {
            el(out, "dt", "", term);
            el(out, "dd", "", value);
        };
        pair(t.get("service.provider"), &service.provider);
        let mut cookies = String::new();
        for c in &service.cookies {
            let party = if c.first_party {
                t.get("service.first_party")
            } else {
                t.get("service.third_party")
            };
            if !cookies.is_empty() {
                cookies.push_str("; ");
            }
            cookies.extend([c.name.as_str(), " (", &t.days(c.days), ", ", party, ")"]);
        }
        if !cookies.is_empty() {
            pair(t.get("service.cookies"), &cookies);
        }
        pair(
            t.get("service.third_country"),
            if service.third_country {
                t.get("service.yes")
            } else {
                t.get("service.no")
            },
        );
        out.push_str("</dl>");
        if let Some(url) = &service.policy_url {
            link(out, url, t.get("service.policy"));
        }
        out.push_str("</details>");
    }
    out.push_str("</li>");
}

/// A short fingerprint of a markup string (FNV-1a, 32 bits, as 8 hex digits). The server
/// marks a banner it rendered with the fingerprint of its markup; the module reuses that
/// banner only when its own markup has the same fingerprint (same config, texts, language and
/// GPC state), and rebuilds it otherwise.
pub fn fingerprint(markup: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for b in markup.bytes() {
        hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    let mut out = String::with_capacity(8);
    for shift in (0..8).rev() {
        let digit = (hash >> (shift * 4)) & 0xf;
        out.push(char::from_digit(digit, 16).unwrap_or('0'));
    }
    out
}

/// The attribute on the banner's host element that carries [`fingerprint`].
pub const MARKUP_ATTR: &str = "data-akkoord-markup";

/// The banner as a server puts it into a page for a visitor who has to be asked: its host
/// element with a declarative shadow root holding `css` and the first layer, shown. Browsers
/// without declarative shadow DOM ignore the `<template>`, and the module builds the banner
/// as usual. `nonce` goes on the `<style>` for a page whose CSP allows styles by nonce.
/// `noscript` adds the style that hides the banner from a browser without JavaScript; a page
/// that only puts the banner in place by script (`akkoord snippet`) has no use for it.
pub fn prerendered(
    config: &Config,
    t: &Texts<'_>,
    gpc: bool,
    css: &str,
    nonce: Option<&str>,
    noscript: bool,
) -> String {
    let markup = banner(config, t, gpc, true);
    let mut out = String::with_capacity(markup.len() + css.len() + 160);
    out.extend([
        "<div id=\"akkoord\" ",
        MARKUP_ATTR,
        "=\"",
        // Of the markup as the module builds it (first layer hidden), so that the module
        // compares without rendering twice.
        &fingerprint(&banner(config, t, gpc, false)),
        // Search engines read the page's HTML: its first words would otherwise be the banner's,
        // and end up as the page's snippet.
        "\" data-nosnippet><template shadowrootmode=\"open\"><style",
    ]);
    if let Some(n) = nonce {
        attr(&mut out, "nonce", n);
    }
    out.push('>');
    // `</` cannot end a <style> early unless it spells `</style`; a stylesheet has no use for it.
    out.push_str(&css.replace("</", "<\\/"));
    // The HTML can arrive in pieces (a slow network, a page bigger than the first round trip)
    // and the browser paints what it has parsed: half a banner, without its buttons, which
    // then grows into the page's view (a layout shift). So the banner stays invisible, and
    // takes no clicks, until the parser has reached the style after its last element.
    out.extend([HIDE_UNTIL_PARSED, "</style>", &markup, "<style"]);
    if let Some(n) = nonce {
        attr(&mut out, "nonce", n);
    }
    out.extend([">", SHOW_WHEN_PARSED, "</style>"]);
    if noscript {
        // Without JavaScript nothing gated can run and the buttons cannot do anything: no banner.
        out.push_str("<noscript><style");
        if let Some(n) = nonce {
            attr(&mut out, "nonce", n);
        }
        out.push_str(">:host{display:none}</style></noscript>");
    }
    out.push_str("</template></div>");
    out
}

/// See [`prerendered`]: the banner is hidden while its markup is still arriving…
const HIDE_UNTIL_PARSED: &str = ":host{visibility:hidden}";
/// …and shown by a style that follows its last element.
const SHOW_WHEN_PARSED: &str = ":host{visibility:visible}";
