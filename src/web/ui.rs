//! The banner and the preferences dialog, in an open Shadow DOM under `#akkoord`.
//!
//! Stable hooks (public, see docs/internals.md): `[data-akkoord-action]` buttons,
//! `input[data-akkoord-purpose]` toggles, `[data-akkoord-layer]` sections with
//! `role="dialog"` and an accessible name. Styles come from `www/akkoord.css`, embedded at
//! build time and adopted as a constructed stylesheet: no extra request, no inline `style=`,
//! and it works under a strict CSP.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement, ShadowRoot};

use crate::config::Config;
use crate::consent::NECESSARY;
use crate::dom::{add, el, open_shadow, query, query_all, set, unset};
use crate::markup::{fingerprint, MARKUP_ATTR};
use crate::texts::Texts;

// Minified by build.rs.
const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/akkoord.css"));

/// The mounted UI.
pub struct Ui {
    /// Its open shadow root.
    pub root: ShadowRoot,
    /// First layer.
    pub banner: Element,
    /// Preferences dialog (inside its backdrop).
    pub prefs: Element,
    /// Backdrop of the preferences dialog.
    pub backdrop: Element,
}

fn adopt_styles(doc: &Document, root: &ShadowRoot, nonce: Option<&str>) {
    // Constructed stylesheets are not subject to CSP style-src; fall back to <style nonce>.
    if !crate::dom::adopt_css(root, CSS) {
        let style = el(doc, "style", &[], Some(CSS));
        if let Some(n) = nonce {
            set(&style, "nonce", n);
        }
        add(root, &style);
    }
}

/// The banner's host element the server rendered into the page, not yet taken over.
pub fn prerendered(doc: &Document) -> Option<Element> {
    query(doc, "#akkoord[data-akkoord-markup]")
}

/// Build the banner and preferences (the first layer hidden unless the server rendered it)
/// and attach them to the page.
pub fn mount(
    doc: &Document,
    config: &Config,
    t: &Texts<'_>,
    gpc: bool,
    nonce: Option<&str>,
) -> Result<Ui, JsValue> {
    let markup = crate::markup::banner(config, t, gpc, false);
    // A banner the server already put into the page (crate::markup::prerendered) is taken
    // over when it is the one this module would show; otherwise its content is replaced.
    let (host, root, reuse) = match prerendered(doc) {
        Some(host) => {
            let same = host.get_attribute(MARKUP_ATTR) == Some(fingerprint(&markup));
            unset(&host, MARKUP_ATTR);
            match host.shadow_root() {
                Some(root) => (host, root, same),
                None => {
                    let root = open_shadow(&host);
                    (host, root, false)
                }
            }
        }
        None => {
            let host = el(doc, "div", &[("id", "akkoord")], None);
            let root = open_shadow(&host);
            (host, root, false)
        }
    };
    if !reuse {
        // One parse of the whole markup, not a DOM call per element; the styles come after
        // it, as they may be a `<style>` child that the markup would replace.
        crate::dom::set_html(&root, &markup)?;
    }
    adopt_styles(doc, &root, nonce);
    let found = |selector: &str| {
        query(&root, selector).ok_or_else(|| JsValue::from_str("banner markup incomplete"))
    };
    let banner = found(".ak-banner")?;
    let prefs = found(".ak-prefs")?;
    let backdrop = found(".ak-backdrop")?;

    if host.parent_node().is_none() {
        let parent: Element = match doc.body() {
            Some(b) => b.into(),
            None => doc
                .document_element()
                .ok_or_else(|| JsValue::from_str("no document element"))?,
        };
        add(&parent, &host);
    }
    Ok(Ui {
        root,
        banner,
        prefs,
        backdrop,
    })
}

impl Ui {
    /// Show the first layer and move focus into it (C-12).
    pub fn show_banner(&self) {
        unset(&self.banner, "hidden");
        focus_first(&self.banner);
    }

    /// Hide the first layer.
    pub fn hide_banner(&self) {
        set(&self.banner, "hidden", "");
    }

    /// Open the preferences with the toggles set (C-13 / C-19) and focus inside.
    pub fn show_prefs(&self, toggles: &[(String, bool)]) {
        for (purpose, on) in toggles {
            if let Some(input) = self.toggle(purpose) {
                if purpose != NECESSARY {
                    input.set_checked(*on);
                }
            }
        }
        unset(&self.backdrop, "hidden");
        focus_first(&self.prefs);
    }

    /// Close the preferences.
    pub fn hide_prefs(&self) {
        set(&self.backdrop, "hidden", "");
    }

    /// Whether the preferences are open.
    pub fn prefs_visible(&self) -> bool {
        !self.backdrop.has_attribute("hidden")
    }

    fn toggle(&self, name: &str) -> Option<HtmlInputElement> {
        let find = |attr: &str| {
            let selector = ["input[", attr, "=\"", name, "\"]"].concat();
            query(&self.prefs, &selector)?
                .dyn_into::<HtmlInputElement>()
                .ok()
        };
        find("data-akkoord-purpose").or_else(|| find("data-akkoord-service"))
    }

    /// Keep purpose and service toggles consistent after `changed` was clicked: a purpose
    /// switches its services with it; switching one service off switches its purpose off
    /// (the others stay on, each on its own).
    pub fn sync_toggles(&self, changed: &Element) {
        let list = query_all(&self.prefs, "input[data-akkoord-of]");
        let inputs: Vec<HtmlInputElement> = (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into::<HtmlInputElement>().ok())
            .collect();
        if let Some(purpose) = changed.get_attribute("data-akkoord-purpose") {
            let on = self.toggle(&purpose).is_some_and(|i| i.checked());
            for input in inputs
                .iter()
                .filter(|i| i.get_attribute("data-akkoord-of").as_deref() == Some(purpose.as_str()))
            {
                input.set_checked(on);
            }
        } else if let (Some(purpose), Ok(input)) = (
            changed.get_attribute("data-akkoord-of"),
            changed.clone().dyn_into::<HtmlInputElement>(),
        ) {
            if !input.checked() {
                if let Some(p) = self.toggle(&purpose) {
                    p.set_checked(false);
                }
            }
        }
    }

    /// The toggles' current states, for purposes and then service ids.
    pub fn read_toggles(&self, names: &[String]) -> Vec<(String, bool)> {
        names
            .iter()
            .map(|p| (p.clone(), self.toggle(p).is_some_and(|i| i.checked())))
            .collect()
    }

    /// Keep Tab inside the open preferences dialog (C-12).
    pub fn trap_tab(&self, backwards: bool) -> bool {
        let focusables = focusable(&self.prefs);
        let (Some(first), Some(last)) = (focusables.first(), focusables.last()) else {
            return false;
        };
        let active = self.root.active_element();
        let at = |e: &HtmlElement| {
            active
                .as_ref()
                .is_some_and(|a| a == e.unchecked_ref::<Element>())
        };
        if backwards && (at(first) || active.is_none() || active.as_ref() == Some(&self.prefs)) {
            let _ = last.focus();
            true
        } else if !backwards && at(last) {
            let _ = first.focus();
            true
        } else {
            false
        }
    }
}

fn focusable(container: &Element) -> Vec<HtmlElement> {
    let mut out = Vec::new();
    let list = query_all(
        container,
        "button:not([disabled]), input:not([disabled]), a[href], summary",
    );
    for i in 0..list.length() {
        if let Some(e) = list.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
            out.push(e);
        }
    }
    out
}

fn focus_first(container: &Element) {
    if let Some(first) = query(container, "button[data-akkoord-action]")
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    {
        let _ = first.focus();
    }
}
