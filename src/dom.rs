//! The DOM calls the banner, the embed placeholders and the cookie statement make on their
//! own elements, with constant selectors, and to attach their event listeners.
//!
//! They are bound here directly instead of through web-sys, without its exception
//! plumbing: web-sys returns a `Result` from each, and checking one at each of a hundred call
//! sites cost 1.5 KB brotli in the banner. They cannot throw as used here:
//! * tag and attribute names are constants (the gated scripts' copies are created here, their
//!   attributes copied with web-sys's checked calls), and attribute values (ids, texts) are never
//!   checked by the DOM;
//! * a fresh element is appended to a fresh parent, or to the page's `<head>`, `<body>` or a
//!   statement placeholder, and a fresh element gets its shadow root;
//! * selectors are constants, or an attribute selector around a validated id (lowercase
//!   letters, digits, `-` and `_`);
//! * `removeAttribute` throws for no name, nor `addEventListener` and `removeEventListener`
//!   for a function.
//!
//! Code that touches the page's own elements in other ways, or an attribute a Trusted Types
//! policy guards (a script's `src`), keeps web-sys's checked calls (`web::gate`). Should a
//! page's own script have wrapped one of these DOM methods with one that throws, the
//! exception leaves the module through the loader's `try`/`catch` around `boot` and every
//! API call: one console error, and nothing gated runs.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

#[wasm_bindgen]
extern "C" {
    /// A document or an element, seen through these calls.
    type Dom;
    #[wasm_bindgen(method, js_name = createElement)]
    fn create(this: &Dom, tag: &str) -> Element;
    #[wasm_bindgen(method, js_name = setAttribute)]
    fn set(this: &Dom, name: &str, value: &str);
    #[wasm_bindgen(method, js_name = appendChild)]
    fn append(this: &Dom, child: &JsValue);
    #[wasm_bindgen(method, js_name = attachShadow)]
    fn attach_shadow(this: &Dom, init: &web_sys::ShadowRootInit) -> web_sys::ShadowRoot;
    #[wasm_bindgen(method, js_name = removeAttribute)]
    fn unset(this: &Dom, name: &str);
    #[wasm_bindgen(method, js_name = querySelector)]
    fn query(this: &Dom, selector: &str) -> Option<Element>;
    #[wasm_bindgen(method, js_name = closest)]
    fn closest(this: &Dom, selector: &str) -> Option<Element>;
    #[wasm_bindgen(method, js_name = querySelectorAll)]
    fn query_all(this: &Dom, selector: &str) -> web_sys::NodeList;
    #[wasm_bindgen(method, js_name = addEventListener)]
    fn listen(this: &Dom, kind: &str, callback: &JsValue);
    #[wasm_bindgen(method, js_name = removeEventListener)]
    fn unlisten(this: &Dom, kind: &str, callback: &JsValue);
}

/// A new `<tag>` with `attrs` (constant names) and, if given, its text.
pub fn el(doc: &Document, tag: &str, attrs: &[(&str, &str)], text: Option<&str>) -> Element {
    let e = doc.unchecked_ref::<Dom>().create(tag);
    for (name, value) in attrs {
        set(&e, name, value);
    }
    if let Some(t) = text {
        e.set_text_content(Some(t));
    }
    e
}

/// Set an attribute whose name is a constant on an element built with [`el`].
pub fn set(e: &Element, name: &str, value: &str) {
    e.unchecked_ref::<Dom>().set(name, value);
}

/// Remove an attribute (never throws, whatever the name).
#[cfg(feature = "banner")]
pub fn unset(e: &Element, name: &str) {
    e.unchecked_ref::<Dom>().unset(name);
}

/// The first element under `e` that matches `selector`, a valid selector.
#[cfg(feature = "banner")]
pub fn query(e: &JsValue, selector: &str) -> Option<Element> {
    e.unchecked_ref::<Dom>().query(selector)
}

/// `e` or its nearest ancestor that matches `selector`, a valid selector.
#[cfg(feature = "banner")]
pub fn closest(e: &Element, selector: &str) -> Option<Element> {
    e.unchecked_ref::<Dom>().closest(selector)
}

/// Every element under `e` (a document or an element) that matches `selector`, a valid
/// selector.
pub fn query_all(e: &JsValue, selector: &str) -> web_sys::NodeList {
    e.unchecked_ref::<Dom>().query_all(selector)
}

/// `addEventListener(kind, callback)`: never throws for a function.
#[cfg(feature = "banner")]
pub fn listen(target: &JsValue, kind: &str, callback: &JsValue) {
    target.unchecked_ref::<Dom>().listen(kind, callback);
}

/// `removeEventListener(kind, callback)`: never throws for a function.
#[cfg(feature = "banner")]
pub fn unlisten(target: &JsValue, kind: &str, callback: &JsValue) {
    target.unchecked_ref::<Dom>().unlisten(kind, callback);
}

/// Append `child`, built here, to `parent`: an element or shadow root built here too, or the
/// page's `<head>`, root element or statement placeholder.
pub fn add(parent: &JsValue, child: &JsValue) {
    parent.unchecked_ref::<Dom>().append(child);
}

/// An open shadow root on `host`, a fresh element built with [`el`].
#[cfg(feature = "banner")]
pub fn open_shadow(host: &Element) -> web_sys::ShadowRoot {
    let init = web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open);
    host.unchecked_ref::<Dom>().attach_shadow(&init)
}

/// Give `root` the stylesheet `css` as a constructed stylesheet, which CSP `style-src` does not
/// govern; `false` where the browser has none (the caller falls back to a `<style>`).
#[cfg(feature = "banner")]
pub fn adopt_css(root: &web_sys::ShadowRoot, css: &str) -> bool {
    let Ok(sheet) = web_sys::CssStyleSheet::new() else {
        return false;
    };
    sheet.replace_sync(css).is_ok()
        && js_sys::Reflect::set(
            root,
            &"adoptedStyleSheets".into(),
            &js_sys::Array::of1(&sheet),
        )
        .unwrap_or(false)
}

/// Replace the content of `root`, a shadow root built here, with `markup` (escaped by
/// `crate::markup`). Through `Reflect.set`, so that a page enforcing Trusted Types, where
/// `innerHTML` takes no plain string and throws, gives an error here, not in the page.
#[cfg(feature = "banner")]
pub fn set_html(root: &web_sys::ShadowRoot, markup: &str) -> Result<(), JsValue> {
    js_sys::Reflect::set(root, &"innerHTML".into(), &markup.into()).map(drop)
}
