//! Carrying out decisions on the page: Consent Mode updates, activating gated markup,
//! injecting vendor templates, vendor consent calls and cookie deletion.
//!
//! Nothing here decides; `crate::decide` does. Nothing here throws: a failing DOM call is
//! skipped, because a broken embed must not take the host page or other purposes down.

use std::cell::RefCell;
use std::collections::VecDeque;

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlScriptElement};

use crate::config::{Config, Service};
use crate::matching::{self, Identity};
use crate::services::{Arg, Call, Revoke};

fn window_object() -> Option<JsValue> {
    web_sys::window().map(JsValue::from)
}

fn global(path: &str) -> Option<(JsValue, JsValue)> {
    let mut this = window_object()?;
    let mut value = this.clone();
    for part in path.split('.') {
        this = value;
        value = Reflect::get(&this, &JsValue::from_str(part)).ok()?;
        if value.is_undefined() || value.is_null() {
            return None;
        }
    }
    Some((this, value))
}

/// Call a vendor's global API, if it is loaded.
pub fn call(c: &Call) {
    let Some((this, f)) = global(c.function) else {
        return;
    };
    let Ok(f) = f.dyn_into::<Function>() else {
        return;
    };
    let args = Array::new();
    for a in c.args {
        args.push(&match a {
            Arg::Str(s) => JsValue::from_str(s),
            Arg::Bool(b) => JsValue::from_bool(*b),
        });
    }
    let _ = f.apply(&this, &args);
}

/// `gtag('consent', 'update', {…every key…})` (G-08).
pub fn consent_mode_update(state: &[(&str, bool); 7]) {
    let Some((this, f)) = global("gtag") else {
        return;
    };
    let Ok(f) = f.dyn_into::<Function>() else {
        return;
    };
    let params = Object::new();
    for (key, on) in state {
        let _ = Reflect::set(
            &params,
            &JsValue::from_str(key),
            &JsValue::from_str(if *on { "granted" } else { "denied" }),
        );
    }
    let _ = f.call3(&this, &"consent".into(), &"update".into(), &params);
}

/// The script nonce the loader was given, copied to everything Akkoord inserts.
pub struct Inserter {
    pub nonce: Option<String>,
}

impl Inserter {
    fn script(&self, document: &Document) -> Option<HtmlScriptElement> {
        let el = crate::dom::el(document, "script", &[], None)
            .dyn_into::<HtmlScriptElement>()
            .ok()?;
        if let Some(n) = &self.nonce {
            let _ = el.set_attribute("nonce", n);
        }
        Some(el)
    }

    /// Insert an external script (async, like the vendors' own snippets).
    pub fn external(&self, src: &str) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(el) = self.script(&document) else {
            return;
        };
        el.set_src(src);
        el.set_async(true);
        append_to_head(&document, &el);
    }

    /// Run an inline script (the vendor's official snippet).
    pub fn inline(&self, code: &str) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(el) = self.script(&document) else {
            return;
        };
        el.set_text(code).ok();
        append_to_head(&document, &el);
    }
}

fn append_to_head(document: &Document, el: &Element) {
    let parent: Option<Element> = document
        .head()
        .map(Into::into)
        .or_else(|| document.document_element());
    if let Some(p) = parent {
        crate::dom::add(&p, el);
    }
}

/// Inject the vendor loader of every granted template service not injected yet.
/// `families` remembers which shared loaders (gtag.js) already ran in this page.
pub fn inject_templates(
    services: &[&Service],
    inserter: &Inserter,
    families: &mut Vec<&'static str>,
    identity: Option<&Identity>,
) {
    for service in services {
        let (Some(t), Some(account)) = (
            service.template.and_then(|t| t.code()),
            service.account.as_deref(),
        ) else {
            continue;
        };
        // `account` was validated against the template's id shape, so it cannot carry script.
        if !families.contains(&t.family) {
            families.push(t.family);
            if let Some(src) = t.family_src {
                inserter.external(&src.replace("{id}", account));
            }
            if !t.family_init.is_empty() {
                inserter.inline(t.family_init);
            }
        }
        let matching = t.matching.as_ref().filter(|_| service.matching);
        inserter.inline(&matching::render(t.init, account, matching, identity));
    }
}

/// Hand a visitor's identity to matching vendors that were initialised before it was known
/// (a login after the pixel loaded), where the vendor has a call for that (P-07).
#[cfg(feature = "gating")]
pub fn identify_running(services: &[&Service], identity: &Identity, inserter: &Inserter) {
    for service in services.iter().filter(|s| s.matching) {
        let (Some(t), Some(account)) = (
            service.template.and_then(|t| t.code()),
            service.account.as_deref(),
        ) else {
            continue;
        };
        if let Some(code) = t
            .matching
            .as_ref()
            .and_then(|spec| matching::late(spec, account, identity))
        {
            inserter.inline(&code);
        }
    }
}

/// Withdraw consent from injected template services (C-21 i). Returns whether a reload is
/// needed because a vendor has no revoke API.
pub fn revoke_templates(services: &[&Service]) -> bool {
    let mut reload = false;
    for service in services {
        let Some(t) = service.template.and_then(|t| t.code()) else {
            continue;
        };
        match t.revoke {
            Revoke::Api(calls) => calls.iter().for_each(call),
            Revoke::Reload => reload = true,
        }
    }
    reload
}

/// A gated script, not run yet.
const GATED_SCRIPT: &str = "script[type=\"text/plain\"][data-akkoord]";
/// Gated scripts and iframes.
const GATED_MARKUP: &str =
    "script[type=\"text/plain\"][data-akkoord],iframe[data-akkoord][data-src]";

thread_local! {
    /// Gated scripts waiting to run, in document order.
    static QUEUE: RefCell<VecDeque<Element>> = const { RefCell::new(VecDeque::new()) };
    /// Whether an external gated script is loading (the queue waits for it).
    static WAITING: RefCell<bool> = const { RefCell::new(false) };
}

/// Activate the page's gated markup for which `allowed(name)` holds: `<script
/// type="text/plain" data-akkoord>` in document order (an inline script after an external
/// one waits for it, as it would have in plain HTML) and `<iframe data-akkoord data-src>`.
/// Returns whether any script was activated (so a withdrawal knows a reload is needed).
pub fn activate_markup(
    config: &Config,
    allowed: &dyn Fn(&str) -> bool,
    nonce: Option<&str>,
) -> Vec<String> {
    let mut ran = Vec::new();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return ran;
    };
    let scripts = crate::dom::query_all(&document, GATED_SCRIPT);
    for i in 0..scripts.length() {
        let Some(el) = scripts.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let name = el.get_attribute("data-akkoord").unwrap_or_default();
        if !allowed(&name) {
            continue;
        }
        // Mark it so a later activation does not queue it twice.
        let _ = el.set_attribute("type", "text/akkoord-queued");
        if let Some(p) = purpose_of(config, &name) {
            if !ran.contains(&p) {
                ran.push(p);
            }
        }
        QUEUE.with(|q| q.borrow_mut().push_back(el));
    }
    let frames = crate::dom::query_all(&document, super::embed::GATED);
    for i in 0..frames.length() {
        let Some(el) = frames.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let name = el.get_attribute("data-akkoord").unwrap_or_default();
        if allowed(&name) {
            super::embed::reveal(&el, None);
        }
    }
    run_queue(nonce.map(str::to_string));
    ran
}

/// Whether any gated script or iframe in the page is one `allowed(name)` lets run.
pub fn any_allowed(allowed: &dyn Fn(&str) -> bool) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let gated = crate::dom::query_all(&document, GATED_MARKUP);
    (0..gated.length()).any(|i| {
        gated
            .item(i)
            .and_then(|n| n.dyn_into::<Element>().ok())
            .and_then(|el| el.get_attribute("data-akkoord"))
            .is_some_and(|name| allowed(&name))
    })
}

fn purpose_of(config: &Config, name: &str) -> Option<String> {
    if config.has_purpose(name) {
        return Some(name.to_string());
    }
    config.service(name).map(|s| s.purpose.clone())
}

fn run_queue(nonce: Option<String>) {
    loop {
        if WAITING.with(|w| *w.borrow()) {
            return;
        }
        let Some(original) = QUEUE.with(|q| q.borrow_mut().pop_front()) else {
            return;
        };
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let fresh = crate::dom::el(&document, "script", &[], None);
        let attrs = original.attributes();
        for i in 0..attrs.length() {
            let Some(attr) = attrs.item(i) else { continue };
            let name = attr.name();
            if name == "type" {
                continue;
            }
            let _ = fresh.set_attribute(&name, &attr.value());
        }
        if let Some(t) = original.get_attribute("data-akkoord-type") {
            let _ = fresh.set_attribute("type", &t);
        }
        // An empty nonce counts as none: under a header-delivered CSP the browser hides every
        // element's nonce by emptying the attribute, so a site's own nonce on the gated
        // script reads as "" here and would block the copy. The loader's is the same
        // per-response value.
        if fresh.get_attribute("nonce").map_or(true, |n| n.is_empty()) {
            if let Some(n) = &nonce {
                let _ = fresh.set_attribute("nonce", n);
            }
        }
        let external = original.has_attribute("src");
        if external {
            // Keep document order: the next gated script waits until this one has run.
            if let Ok(script) = fresh.clone().dyn_into::<HtmlScriptElement>() {
                script.set_async(false);
            }
            WAITING.with(|w| *w.borrow_mut() = true);
            let next_nonce = nonce.clone();
            let done = Closure::once_into_js(move || {
                WAITING.with(|w| *w.borrow_mut() = false);
                run_queue(next_nonce);
            });
            crate::dom::listen(&fresh, "load", &done);
            crate::dom::listen(&fresh, "error", &done);
        } else {
            fresh.set_text_content(original.text_content().as_deref());
        }
        if let Some(parent) = original.parent_node() {
            if parent.replace_child(&fresh, &original).is_err() {
                WAITING.with(|w| *w.borrow_mut() = false);
            }
        } else {
            WAITING.with(|w| *w.borrow_mut() = false);
        }
    }
}
