//! Click-to-load embeds: until consent, a gated `<iframe data-akkoord data-src>` is hidden
//! and an accessible placeholder stands in its place, naming the provider, saying what
//! loading means, and offering "load once" and "always allow <provider>". Embeds added to
//! the page later (single-page apps, lazy content) are caught by a `MutationObserver`.

use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, MutationObserver, MutationObserverInit};

use crate::config::Config;
use crate::dom::el;
use crate::markup::{self, attr};
use crate::texts::{self, Texts};

/// A gated iframe: held back (no `src`) until its purpose or service is allowed.
pub const GATED: &str = "iframe[data-akkoord][data-src]";

/// Marks an iframe that has a placeholder; its value is the placeholder host's id.
const MARK: &str = "data-akkoord-placeholder";

const CSS: &str = ":host{display:block}.ak-embed{box-sizing:border-box;min-height:12rem;padding:1.25rem;display:flex;flex-direction:column;justify-content:center;gap:.75rem;font:400 1rem/1.5 system-ui,sans-serif;color:var(--akkoord-fg,#1a1a1a);background:var(--akkoord-embed-bg,#eef1f5);border:1px solid var(--akkoord-border,#8a8f98);border-radius:var(--akkoord-radius,8px)}.ak-embed p{margin:0}.ak-buttons{display:flex;flex-wrap:wrap;gap:.75rem}button{flex:1 1 10rem;min-height:44px;padding:.5rem 1rem;font:600 1rem/1.2 system-ui,sans-serif;color:var(--akkoord-button-fg,#fff);background:var(--akkoord-button-bg,#1d3f72);border:2px solid var(--akkoord-button-bg,#1d3f72);border-radius:var(--akkoord-radius,8px);cursor:pointer}button:focus-visible{outline:3px solid var(--akkoord-focus,#d4351c);outline-offset:2px}@media (forced-colors:active){button{border:2px solid ButtonText}}";

/// Put a placeholder before every gated iframe that may not load yet.
pub fn placeholders(config: &Config, lang: &str, allowed: &dyn Fn(&str) -> bool) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let list = crate::dom::query_all(&doc, GATED);
    let texts = Texts::new(config, lang);
    for i in 0..list.length() {
        let Some(frame) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let name = frame.get_attribute("data-akkoord").unwrap_or_default();
        if frame.has_attribute(MARK) || allowed(&name) {
            continue;
        }
        let _ = place(&doc, config, &texts, &frame, &name, i);
    }
}

fn place(
    doc: &Document,
    config: &Config,
    t: &Texts<'_>,
    frame: &Element,
    name: &str,
    n: u32,
) -> Result<(), JsValue> {
    let (service, provider) = match config.service(name) {
        Some(s) => (s.name.clone(), s.provider.clone()),
        None => (t.purpose_title(name), config.controller.clone()),
    };
    let id = ["akkoord-embed-", &n.to_string(), "-", name].concat();
    let host = el(
        doc,
        "div",
        &[
            ("id", &id),
            ("class", "akkoord-embed"),
            ("data-akkoord-embed", name),
        ],
        None,
    );
    let root = crate::dom::open_shadow(&host);
    crate::dom::adopt_css(&root, CSS);
    let label = frame
        .get_attribute("title")
        .unwrap_or_else(|| service.clone());
    let text = texts::fill(t.get("embed.text"), "{service}", &service);
    let text = texts::fill(&text, "{provider}", &provider);
    // One parse, like the banner (crate::markup); every text escaped.
    let mut html = String::from("<div class=\"ak-embed\" role=\"group\"");
    attr(&mut html, "aria-label", &label);
    html.push('>');
    markup::el(&mut html, "p", "", &text);
    html.push_str("<div class=\"ak-buttons\">");
    markup::el(
        &mut html,
        "button",
        " type=\"button\" data-akkoord-action=\"load-once\"",
        t.get("embed.load_once"),
    );
    if config.service(name).is_some() {
        // `name` is a validated id: safe in an attribute.
        let attrs = [
            " type=\"button\" data-akkoord-action=\"allow-service\" data-akkoord-service=\"",
            name,
            "\"",
        ]
        .concat();
        let always = texts::fill(t.get("embed.always"), "{provider}", &provider);
        markup::el(&mut html, "button", &attrs, &always);
    }
    html.push_str("</div></div>");
    crate::dom::set_html(&root, &html)?;

    // Clicks are handled here, not in the banner's shadow root: each placeholder is its own.
    let frame_for_click = frame.clone();
    let host_for_click = host.clone();
    let name_for_click = name.to_string();
    let click = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let Some(button) = crate::dom::closest(&target, "[data-akkoord-action]") else {
            return;
        };
        match button.get_attribute("data-akkoord-action").as_deref() {
            Some("load-once") => reveal(&frame_for_click, Some(&host_for_click)),
            Some("allow-service") => super::allow_service(&name_for_click),
            _ => {}
        }
    });
    crate::dom::listen(&root, "click", click.as_ref());
    // The placeholder lives as long as the page or until it is removed with its listener.
    click.forget();

    frame.set_attribute(MARK, &id)?;
    frame.set_attribute("hidden", "")?;
    if let Some(parent) = frame.parent_node() {
        parent.insert_before(&host, Some(frame))?;
    }
    Ok(())
}

/// Take every placeholder out again and leave the iframes as the page wrote them (still without
/// their `src`).
pub fn remove_placeholders() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let marked = crate::dom::query_all(&doc, "iframe[data-akkoord-placeholder]");
    for i in 0..marked.length() {
        if let Some(frame) = marked.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            unplace(&frame, None);
        }
    }
}

/// Load the iframe and drop its placeholder.
pub fn reveal(frame: &Element, host: Option<&Element>) {
    if let Some(src) = frame.get_attribute("data-src") {
        crate::dom::unset(frame, "data-src");
        let _ = frame.set_attribute("src", &src);
    }
    unplace(frame, host);
}

/// Drop the iframe's placeholder (`host`, or the one its mark names) and show the iframe.
fn unplace(frame: &Element, host: Option<&Element>) {
    crate::dom::unset(frame, "hidden");
    let found;
    let host = match host {
        Some(h) => Some(h.clone()),
        None => {
            found = frame
                .get_attribute(MARK)
                .and_then(|id| web_sys::window()?.document()?.get_element_by_id(&id));
            found
        }
    };
    if let Some(h) = host {
        h.remove();
    }
    crate::dom::unset(frame, MARK);
}

/// Watch for gated markup added after load; `on_added` re-runs gating and placeholders.
pub fn observe(on_added: impl Fn() + 'static) -> Option<MutationObserver> {
    let doc = web_sys::window()?.document()?;
    let callback = Closure::<dyn FnMut(Array)>::new(move |records: Array| {
        let relevant = records.iter().any(|r| {
            let Ok(record) = r.dyn_into::<web_sys::MutationRecord>() else {
                return false;
            };
            let added = record.added_nodes();
            (0..added.length()).any(|i| {
                added
                    .item(i)
                    .and_then(|n| n.dyn_into::<Element>().ok())
                    .is_some_and(|e| {
                        e.has_attribute("data-akkoord")
                            || crate::dom::query(&e, "[data-akkoord]").is_some()
                    })
            })
        });
        if relevant {
            on_added();
        }
    });
    let observer = MutationObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    // Lives for the page: gating must keep working as long as content can be added.
    callback.forget();
    let init = MutationObserverInit::new();
    init.set_child_list(true);
    init.set_subtree(true);
    let root: web_sys::Node = doc.document_element()?.into();
    observer.observe_with_options(&root, &init).ok()?;
    Some(observer)
}
