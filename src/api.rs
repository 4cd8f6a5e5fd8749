//! `#[wasm_bindgen]` exports: the boundary with the loader (`www/akkoord.js`).
//!
//! The config crosses as the JSON text the loader fetched or found inline, and is read by the
//! same [`crate::config::RawConfig::parse`] that `akkoord check` uses, so the console and the
//! CLI report the same problems with the same lines. Results cross back through
//! `serde_wasm_bindgen` (see `web::consent_js`). None of these functions throw: the loader
//! wraps them anyway, but the page must never see an exception from us.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::config::RawConfig;
use crate::json::line_of;
use crate::web;

fn join(source: &str, text: &str, errors: &[crate::Error]) -> String {
    let mut out = String::from("invalid config");
    if !source.is_empty() {
        out.extend([" ", source]);
    }
    for (i, e) in errors.iter().enumerate() {
        out.push_str(if i == 0 { ": " } else { "; " });
        if let Some(o) = e.offset() {
            out.extend(["line ", &line_of(text, o).to_string(), ": "]);
        }
        out.push_str(&e.to_string());
    }
    out
}

/// Start Akkoord. `config` is the config's JSON text (or null), `env` is
/// `{gpc, nonce, configError, source, applied, statement, handOver, resumed,
/// decided}` from the loader.
#[wasm_bindgen]
pub fn boot(config: Option<String>, env: JsValue) {
    let get = |k: &str| Reflect::get(&env, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let env_out = web::Env {
        gpc: get("gpc").as_bool().unwrap_or(false),
        nonce: get("nonce").as_string().filter(|n| !n.is_empty()),
        config_error: get("configError").as_string(),
        // The loader gives the first visit's module no stored grant to know of (it starts the
        // full module for one), so only the full module reads it.
        applied: (cfg!(feature = "gating") && js_sys::Array::is_array(&get("applied"))).then(
            || {
                js_sys::Array::from(&get("applied"))
                    .iter()
                    .filter_map(|p| p.as_string())
                    .collect()
            },
        ),
        load_statement: get("statement").dyn_into::<js_sys::Function>().ok(),
        hand_over: get("handOver").dyn_into::<js_sys::Function>().ok(),
        resumed: get("resumed").is_truthy(),
        decided: get("decided").as_string(),
    };
    let source = get("source").as_string().unwrap_or_default();
    let parsed = match config {
        None => Err("no config (give data-config or an inline #akkoord-config)".to_string()),
        Some(text) => RawConfig::parse(&text)
            .map_err(|e| vec![e])
            .and_then(RawConfig::validate)
            .map_err(|errors| join(&source, &text, &errors)),
    };
    web::boot(parsed, env_out);
}

/// `akkoord.accepted(purpose)`.
#[wasm_bindgen]
pub fn accepted(purpose: &str) -> bool {
    web::allowed(purpose)
}

/// `akkoord.acceptedService(id)`.
#[wasm_bindgen(js_name = acceptedService)]
pub fn accepted_service(id: &str) -> bool {
    web::is_service(id) && web::allowed(id)
}

/// `akkoord.show()`.
#[wasm_bindgen]
pub fn show() {
    web::show_banner();
}

/// `akkoord.showPreferences()`.
#[wasm_bindgen(js_name = showPreferences)]
pub fn show_preferences() {
    web::show_preferences();
}

/// `akkoord.acceptAll()`.
#[wasm_bindgen(js_name = acceptAll)]
pub fn accept_all() {
    web::act(crate::decide::Action::AcceptAll);
}

/// `akkoord.rejectAll()`.
#[wasm_bindgen(js_name = rejectAll)]
pub fn reject_all() {
    web::act(crate::decide::Action::RejectAll);
}

/// `akkoord.save({purpose: bool})`; purposes not named are denied.
#[wasm_bindgen]
pub fn save(choices: JsValue) {
    let mut out = Vec::new();
    if let Some(obj) = choices.dyn_ref::<Object>() {
        for entry in Object::entries(obj).iter() {
            let pair = js_sys::Array::from(&entry);
            if let Some(key) = pair.get(0).as_string() {
                out.push((key, pair.get(1).is_truthy()));
            }
        }
    }
    web::save(out);
}

/// `akkoord.reset()`.
#[wasm_bindgen]
pub fn reset() {
    web::reset();
}

/// `akkoord.consent()`: the decision as a plain object, or null.
#[wasm_bindgen]
pub fn consent() -> JsValue {
    web::consent_js()
}

/// `akkoord.identify({email, phone})`: advanced matching for the pixels whose service sets
/// `"matching": true`. Only SHA-256 hashes are kept or passed on (P-07). Only the full module
/// has it; the loader keeps the call for it.
#[cfg(feature = "gating")]
#[wasm_bindgen]
pub fn identify(person: JsValue) {
    let get = |k: &str| {
        Reflect::get(&person, &JsValue::from_str(k))
            .ok()
            .and_then(|v| v.as_string())
    };
    let (email, phone) = if person.is_object() {
        (get("email"), get("phone"))
    } else {
        (None, None)
    };
    web::identify(email, phone);
}
