//! What only a DOM can show, in headless Chromium (wasm-bindgen-test): the banner mounts in
//! an open shadow root with its ARIA, focus moves in, Escape and Tab behave, gated
//! `type="text/plain"` scripts stay inert until consent, and a broken config fails closed.
//!
//! All tests share one page (wasm-bindgen-test runs them in sequence), so each starts by
//! clearing what the previous one left.
#![cfg(target_arch = "wasm32")]

use akkoord::api;
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{
    Document, Element, HtmlDocument, HtmlElement, KeyboardEvent, KeyboardEventInit, ShadowRoot,
};

wasm_bindgen_test_configure!(run_in_browser);

const CONFIG: &str = r#"{
  "revision": 1,
  "controller": "Testwinkel B.V.",
  "cookieStatement": "/cookies",
  "purposes": ["necessary", "analytics", "marketing"],
  "services": [
    { "id": "chat", "purpose": "analytics", "name": "Chat", "provider": "Chat Ltd",
      "cookies": [{ "name": "chat_sid", "days": 30 }] }
  ]
}"#;

fn doc() -> Document {
    web_sys::window()
        .expect("window")
        .document()
        .expect("document")
}

fn env(gpc: bool) -> JsValue {
    let env = Object::new();
    Reflect::set(&env, &"gpc".into(), &JsValue::from_bool(gpc)).expect("set");
    env.into()
}

fn reset_page() {
    while let Some(host) = doc().get_element_by_id("akkoord") {
        host.remove();
    }
    if let Ok(list) = doc().query_selector_all("[data-test]") {
        for i in 0..list.length() {
            if let Some(e) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                e.remove();
            }
        }
    }
    let html: HtmlDocument = doc().dyn_into().expect("html document");
    html.set_cookie("akkoord=; Path=/; Max-Age=0")
        .expect("cookie");
    let _ = Reflect::delete_property(
        js_sys::global().unchecked_ref::<Object>(),
        &"__gated".into(),
    );
}

fn gated_script(purpose: &str) {
    let s = doc().create_element("script").expect("script");
    s.set_attribute("type", "text/plain").expect("attr");
    s.set_attribute("data-akkoord", purpose).expect("attr");
    s.set_attribute("data-test", "").expect("attr");
    s.set_text_content(Some("window.__gated = (window.__gated || 0) + 1;"));
    doc()
        .body()
        .expect("body")
        .append_child(&s)
        .expect("append");
}

fn gated_runs() -> f64 {
    Reflect::get(&js_sys::global(), &"__gated".into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

fn shadow() -> ShadowRoot {
    doc()
        .get_element_by_id("akkoord")
        .expect("#akkoord host")
        .shadow_root()
        .expect("open shadow root")
}

fn find(selector: &str) -> HtmlElement {
    shadow()
        .query_selector(selector)
        .expect("selector")
        .expect(selector)
        .dyn_into()
        .expect("html element")
}

fn press(key: &str, shift: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    let target: Element = shadow()
        .active_element()
        .unwrap_or_else(|| find("[data-akkoord-layer=preferences]").into());
    target.dispatch_event(&event).expect("dispatch");
}

#[wasm_bindgen_test]
fn banner_mounts_with_dialog_role_accessible_name_and_focus_c12() {
    reset_page();
    api::boot(Some(CONFIG.to_string()), env(false));
    let banner = find("[data-akkoord-layer=banner]");
    assert!(
        !banner.has_attribute("hidden"),
        "first visit shows the banner"
    );
    assert_eq!(banner.get_attribute("role").as_deref(), Some("dialog"));
    let label_id = banner
        .get_attribute("aria-labelledby")
        .expect("aria-labelledby");
    let label = shadow()
        .get_element_by_id(&label_id)
        .expect("label element");
    assert!(
        !label.text_content().unwrap_or_default().trim().is_empty(),
        "accessible name is not empty"
    );
    // C-08: controller named on the first layer.
    assert!(banner
        .text_content()
        .unwrap_or_default()
        .contains("Testwinkel B.V."));
    // C-05: the three first-layer controls are real buttons.
    for action in ["accept-all", "reject-all", "preferences"] {
        let b = find(&format!(
            "[data-akkoord-layer=banner] [data-akkoord-action={action}]"
        ));
        assert_eq!(b.tag_name(), "BUTTON", "{action}");
    }
    // Focus moved into the banner.
    let active = shadow()
        .active_element()
        .expect("focus inside the shadow root");
    assert_eq!(
        active.get_attribute("data-akkoord-action").as_deref(),
        Some("accept-all")
    );
}

#[wasm_bindgen_test]
fn gated_script_stays_inert_until_its_purpose_is_granted_c01() {
    reset_page();
    gated_script("analytics");
    gated_script("marketing");
    api::boot(Some(CONFIG.to_string()), env(false));
    assert_eq!(gated_runs(), 0.0, "nothing gated runs before a decision");
    assert!(!api::accepted("analytics"));

    api::save(js_sys::JSON::parse(r#"{"analytics": true}"#).expect("json"));
    assert_eq!(gated_runs(), 1.0, "exactly the analytics script ran");
    assert!(api::accepted("analytics"));
    assert!(!api::accepted("marketing"));
    let still_inert = doc()
        .query_selector_all("script[type='text/plain'][data-akkoord=marketing]")
        .expect("query");
    assert_eq!(
        still_inert.length(),
        1,
        "the marketing script is still text/plain"
    );
    assert!(
        find("[data-akkoord-layer=banner]").has_attribute("hidden"),
        "banner gone after deciding"
    );
    assert!(
        doc()
            .dyn_into::<HtmlDocument>()
            .expect("html")
            .cookie()
            .expect("cookie")
            .contains("akkoord=1.1."),
        "decision stored (C-22)"
    );
}

#[wasm_bindgen_test]
fn preferences_start_off_trap_focus_and_escape_does_not_decide_c04_c12_c13() {
    reset_page();
    api::boot(Some(CONFIG.to_string()), env(false));
    api::show_preferences();
    let prefs = find("[data-akkoord-layer=preferences]");
    assert_eq!(prefs.get_attribute("aria-modal").as_deref(), Some("true"));
    for purpose in ["analytics", "marketing"] {
        let toggle: web_sys::HtmlInputElement =
            find(&format!("input[data-akkoord-purpose={purpose}]"))
                .dyn_into()
                .expect("input");
        assert!(!toggle.checked(), "C-13: {purpose} off at first open");
    }
    let necessary: web_sys::HtmlInputElement = find("input[data-akkoord-purpose=necessary]")
        .dyn_into()
        .expect("input");
    assert!(
        necessary.checked() && necessary.disabled(),
        "C-14: necessary on and locked"
    );

    // Tab from the last control wraps to the first (focus trap).
    let last =
        find("[data-akkoord-layer=preferences] .ak-buttons [data-akkoord-action=accept-all]");
    last.focus().expect("focus");
    press("Tab", false);
    let active = shadow().active_element().expect("focus");
    assert_eq!(
        active.get_attribute("data-akkoord-action").as_deref(),
        Some("close"),
        "wrapped to the first control"
    );

    // Escape closes without deciding.
    press("Escape", false);
    assert!(
        find(".ak-backdrop").has_attribute("hidden"),
        "preferences closed"
    );
    assert!(
        !find("[data-akkoord-layer=banner]").has_attribute("hidden"),
        "back to the banner, still undecided"
    );
    assert!(api::consent().is_null(), "C-04: no decision stored");
}

#[wasm_bindgen_test]
fn invalid_config_fails_closed_without_throwing() {
    reset_page();
    gated_script("marketing");
    api::boot(Some(r#"{ "revision": 1, "controller": "X", "purposes": ["marketing"], "services": [{"id": "m", "template": "meta-pixel", "purpose": "marketng"}] }"#.to_string()), env(false));
    assert!(
        doc().get_element_by_id("akkoord").is_none(),
        "no banner for a broken config"
    );
    assert!(!api::accepted("marketing"));
    api::accept_all();
    assert_eq!(gated_runs(), 0.0, "nothing gated ever runs");
    api::boot(Some("{ not json".to_string()), env(false));
    assert!(!api::accepted("marketing"));
}
