//! Consent receipts (C-23, GDPR art. 7(1)): every decision is sent to the configured
//! endpoint with `keepalive`, so it survives the reload a withdrawal may trigger. A receipt
//! that cannot be delivered is kept in `localStorage` and retried on the next page; it is
//! never dropped silently.

use js_sys::{Object, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{RequestInit, Response, Storage};

use crate::config::Config;
use crate::consent::Consent;
use crate::fingerprint::sha256_hex;
use crate::texts::Texts;

const PENDING: &str = "akkoord:receipts";
const FAILURES: &str = "akkoord:receipt-failures";
/// At most this many undelivered receipts are kept; older ones are dropped with a warning.
const KEEP: u32 = 20;
/// Warn in the console after this many failed deliveries in a row.
const WARN_AFTER: u32 = 3;

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn pending() -> js_sys::Array {
    storage()
        .and_then(|s| s.get_item(PENDING).ok().flatten())
        .and_then(|text| JSON::parse(&text).ok())
        .and_then(|v| v.dyn_into::<js_sys::Array>().ok())
        .unwrap_or_default()
}

fn store_pending(list: &js_sys::Array) {
    let Some(s) = storage() else { return };
    if list.length() == 0 {
        let _ = s.remove_item(PENDING);
    } else if let Ok(text) = JSON::stringify(list) {
        let _ = s.set_item(PENDING, &String::from(text));
    }
}

fn failures() -> u32 {
    storage()
        .and_then(|s| s.get_item(FAILURES).ok().flatten())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn set_failures(n: u32) {
    if let Some(s) = storage() {
        let _ = if n == 0 {
            s.remove_item(FAILURES)
        } else {
            s.set_item(FAILURES, &n.to_string())
        };
    }
}

/// Build the receipt (contract in docs/internals.md) and send it.
pub fn send(config: &Config, consent: &Consent, lang: &str, gpc: bool) {
    let Some(endpoint) = &config.receipts_endpoint else {
        return;
    };
    let body = Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&body, &JsValue::from_str(k), &v);
    };
    set("consentId", consent.id.as_str().into());
    let date = js_sys::Date::new(&JsValue::from_f64(consent.decided_at as f64 * 1000.0));
    let iso: String = date.to_iso_string().into();
    // Whole seconds: the record stores seconds, and the receipt must match it.
    set(
        "decidedAt",
        iso.split('.')
            .next()
            .map(|s| [s, "Z"].concat())
            .unwrap_or(iso)
            .into(),
    );
    set("revision", JsValue::from_f64(f64::from(consent.revision)));
    let purposes = Object::new();
    for p in &config.purposes {
        let _ = Reflect::set(
            &purposes,
            &JsValue::from_str(p),
            &JsValue::from_bool(consent.allows(p)),
        );
    }
    set("purposes", purposes.into());
    // Services decided on their own (an embed's "always allow") are part of the proof too.
    let services = Object::new();
    let mut any = false;
    for s in &config.services {
        let state = if consent.granted.contains(&s.id) {
            Some(true)
        } else if consent.denied.contains(&s.id) {
            Some(false)
        } else {
            None
        };
        if let Some(state) = state {
            any = true;
            let _ = Reflect::set(
                &services,
                &JsValue::from_str(&s.id),
                &JsValue::from_bool(state),
            );
        }
    }
    if any {
        set("services", services.into());
    }
    set("method", consent.method.as_str().into());
    set("gpc", JsValue::from_bool(gpc));
    set("language", lang.into());
    set(
        "textsHash",
        sha256_hex(Texts::new(config, lang).shown().as_bytes()).into(),
    );
    let url = web_sys::window()
        .and_then(|w| {
            let l = w.location();
            let mut url = l.origin().ok()?;
            url.push_str(&l.pathname().ok()?);
            Some(url)
        })
        .unwrap_or_default();
    set("url", url.into());
    let Ok(text) = JSON::stringify(&body) else {
        return;
    };
    let text = String::from(text);

    let list = pending();
    list.push(&js_sys::Array::of2(
        &endpoint.as_str().into(),
        &text.as_str().into(),
    ));
    while list.length() > KEEP {
        list.shift();
        web_sys::console::warn_1(&"akkoord: dropped the oldest undelivered consent receipt".into());
    }
    store_pending(&list);
    deliver(endpoint, &text);
}

/// Retry receipts that could not be delivered earlier.
pub fn retry_pending() {
    for entry in pending().iter() {
        let Ok(pair) = entry.dyn_into::<js_sys::Array>() else {
            continue;
        };
        if let (Some(endpoint), Some(text)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            deliver(&endpoint, &text);
        }
    }
}

fn forget(text: &str) {
    let list = pending();
    let keep = js_sys::Array::new();
    for entry in list.iter() {
        let same = entry
            .clone()
            .dyn_into::<js_sys::Array>()
            .ok()
            .and_then(|p| p.get(1).as_string())
            .is_some_and(|t| t == text);
        if !same {
            keep.push(&entry);
        }
    }
    store_pending(&keep);
}

fn deliver(endpoint: &str, text: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let init = RequestInit::new();
    init.set_method("POST");
    // `keepalive` lets the request outlive a reload triggered by a withdrawal.
    let _ = Reflect::set(&init, &"keepalive".into(), &JsValue::TRUE);
    init.set_body(&JsValue::from_str(text));
    let headers = Object::new();
    let _ = Reflect::set(&headers, &"content-type".into(), &"application/json".into());
    init.set_headers(&headers);
    let promise = window.fetch_with_str_and_init(endpoint, &init);
    let sent = text.to_string();
    let ok: JsValue = Closure::<dyn FnMut(JsValue)>::once_into_js(move |response: JsValue| {
        let status = response
            .dyn_into::<Response>()
            .map(|r| r.status())
            .unwrap_or(0);
        match status {
            // 409: the server holds another decision under this consent id and time (an older
            // `akkoord serve` also answered a plain retry so); sending again cannot change it.
            200..=299 | 409 => {
                forget(&sent);
                set_failures(0);
            }
            // Refused as invalid: sending the same bytes again cannot succeed.
            400..=499 if status != 408 && status != 429 => {
                forget(&sent);
                web_sys::console::warn_1(
                    &[
                        "akkoord: the receipts endpoint refused a consent receipt (HTTP ",
                        &status.to_string(),
                        "); see the server log",
                    ]
                    .concat()
                    .into(),
                );
            }
            _ => failed(),
        }
    });
    let err: JsValue = Closure::<dyn FnMut(JsValue)>::once_into_js(move |_: JsValue| failed());
    // Called through `then` directly so each one-shot callback frees itself once it runs.
    if let Ok(then) =
        Reflect::get(&promise, &"then".into()).and_then(|t| t.dyn_into::<js_sys::Function>())
    {
        let _ = then.call2(&promise, &ok, &err);
    }
}

fn failed() {
    let n = failures() + 1;
    set_failures(n);
    if n >= WARN_AFTER {
        web_sys::console::warn_1(
            &[
                "akkoord: ",
                &n.to_string(),
                " consent receipt deliveries failed in a row; kept for retry on the next page",
            ]
            .concat()
            .into(),
        );
    }
}
