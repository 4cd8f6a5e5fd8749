//! Reading and writing cookies through `document.cookie`, and removing a withdrawn vendor's
//! identifiers from cookies and Web Storage.

use wasm_bindgen::JsCast;
use web_sys::HtmlDocument;

use crate::config::CookieSettings;
use crate::services::cookie_matches;

fn html_document() -> Option<HtmlDocument> {
    web_sys::window()?
        .document()?
        .dyn_into::<HtmlDocument>()
        .ok()
}

/// The whole `document.cookie` string; empty when cookies are blocked.
pub fn all() -> String {
    html_document()
        .and_then(|d| d.cookie().ok())
        .unwrap_or_default()
}

fn set(line: &str) -> bool {
    html_document().is_some_and(|d| d.set_cookie(line).is_ok())
}

fn secure() -> bool {
    web_sys::window()
        .and_then(|w| w.location().protocol().ok())
        .is_some_and(|p| p == "https:")
}

/// Write the consent record (first-party, `SameSite=Lax`, `Secure` on https).
pub fn write_record(settings: &CookieSettings, value: &str) -> bool {
    let mut line = [settings.name.as_str(), "=", value, "; Path=/; Max-Age="].concat();
    line.push_str(&(u64::from(settings.days) * 86_400).to_string());
    if let Some(domain) = &settings.domain {
        line.push_str("; Domain=");
        line.push_str(domain);
    }
    line.push_str("; SameSite=Lax");
    if secure() {
        line.push_str("; Secure");
    }
    set(&line)
}

/// Delete the consent record (the `reset()` API).
pub fn delete_record(settings: &CookieSettings) {
    expire(&settings.name, None);
    if let Some(domain) = &settings.domain {
        expire(&settings.name, Some(domain));
    }
}

fn expire(name: &str, domain: Option<&str>) {
    let mut line = [name, "=; Path=/; Max-Age=0"].concat();
    if let Some(d) = domain {
        line.push_str("; Domain=");
        line.push_str(d);
    }
    set(&line);
}

/// Delete every cookie matching `patterns` on the current host, each parent domain (vendors
/// such as Meta set theirs on the registrable domain, which we cannot know without the
/// public-suffix list, so every suffix is tried) and the configured domain (C-21 ii).
pub fn delete_matching(patterns: &[&str], configured_domain: Option<&str>) {
    let cookies = all();
    let host = web_sys::window()
        .and_then(|w| w.location().hostname().ok())
        .unwrap_or_default();
    for pair in cookies.split(';') {
        let name = pair.split('=').next().unwrap_or("").trim();
        if name.is_empty() || !patterns.iter().any(|p| cookie_matches(p, name)) {
            continue;
        }
        expire(name, None);
        let mut rest = host.as_str();
        while rest.contains('.') {
            expire(name, Some(rest));
            expire(name, Some(&[".", rest].concat()));
            rest = match rest.split_once('.') {
                Some((_, tail)) => tail,
                None => break,
            };
        }
        if let Some(d) = configured_domain {
            expire(name, Some(d));
        }
    }
    delete_storage_matching(patterns);
}

/// Some vendors keep the same identifier in Web Storage too (LinkedIn's `li_adsId`, Snap's
/// `_scid`): remove declared names from `localStorage` and `sessionStorage` as well (C-21 ii).
fn delete_storage_matching(patterns: &[&str]) {
    let Some(w) = web_sys::window() else { return };
    // Either store may be blocked (a sandboxed frame, a privacy setting); that is not an error.
    for store in [w.local_storage(), w.session_storage()]
        .into_iter()
        .filter_map(|s| s.ok().flatten())
    {
        let len = store.length().unwrap_or(0);
        let names: Vec<String> = (0..len)
            .filter_map(|i| store.key(i).ok().flatten())
            .filter(|name| patterns.iter().any(|p| cookie_matches(p, name)))
            .collect();
        for name in names {
            let _ = store.remove_item(&name);
        }
    }
}
