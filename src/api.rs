//! `#[wasm_bindgen]` exports: the boundary with the loader (`www/akkoord.js`).
//!
//! Values cross as `JsValue`; the config goes through `serde_wasm_bindgen` into the same
//! `RawConfig` that `akkoord check` reads with `serde_json`. None of these functions
//! throw: the loader wraps them anyway, but the page must never see an exception from us.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::config::{error_from_message, RawConfig};
use crate::web;

fn join(errors: &[crate::Error]) -> String {
    let parts: Vec<String> = errors.iter().map(ToString::to_string).collect();
    ["invalid config: ", &parts.join("; ")].concat()
}

/// Start Akkoord. `config` is the parsed JSON (or null), `env` is
/// `{gpc, nonce, configError}` from the loader.
#[wasm_bindgen]
pub fn boot(config: JsValue, env: JsValue) {
    let get = |k: &str| Reflect::get(&env, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let env_out = web::Env {
        gpc: get("gpc").as_bool().unwrap_or(false),
        nonce: get("nonce").as_string().filter(|n| !n.is_empty()),
        config_error: get("configError").as_string(),
        applied: js_sys::Array::is_array(&get("applied")).then(|| {
            js_sys::Array::from(&get("applied"))
                .iter()
                .filter_map(|p| p.as_string())
                .collect()
        }),
    };
    let parsed = if config.is_null() || config.is_undefined() {
        Err("no config (give data-config or an inline #akkoord-config)".to_string())
    } else {
        match serde_wasm_bindgen::from_value::<RawConfig>(config) {
            Ok(raw) => raw.validate().map_err(|e| join(&e)),
            Err(e) => Err(join(&[error_from_message(&e.to_string())])),
        }
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
