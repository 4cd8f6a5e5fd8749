//! # Akkoord
//!
//! A cookie-consent banner for Dutch and EU sites. This crate holds the whole decision
//! model, compiled natively (for `akkoord check`, the server and the tests) and to wasm32
//! (for the banner). The browser-only parts are compiled for wasm32 only: `web` and `api` make
//! the banner module, `statement_page` the cookie statement's own module (see `Cargo.toml`).
//!
//! The flow of a page load, in the model's terms:
//!
//! ```
//! use akkoord::{config::Config, decide, record};
//!
//! let config = Config::from_json(r#"{
//!     "revision": 1,
//!     "controller": "Voorbeeld B.V.",
//!     "purposes": ["necessary", "analytics", "marketing"],
//!     "services": [{ "id": "meta", "template": "meta-pixel", "purpose": "marketing", "pixelId": "1234567890" }]
//! }"#).expect("valid config");
//!
//! // First visit: no cookie, so the banner is shown and nothing may run.
//! let stored = decide::evaluate(&config, "", 1_800_000_000);
//! assert!(stored.needs_prompt());
//! assert!(!decide::allowed(&config, stored.valid(), "meta"));
//!
//! // The visitor rejects all; the refusal is stored too (C-22).
//! let id = record::consent_id(&[7; 16]);
//! let consent = decide::decide(&config, &decide::Action::RejectAll, false, 1_800_000_000, id);
//! let cookie = ["akkoord=", &record::encode(&consent)].concat();
//!
//! // Next page: the record holds, no banner, and marketing stays off.
//! let stored = decide::evaluate(&config, &cookie, 1_800_000_100);
//! assert!(!stored.needs_prompt());
//! assert!(!decide::allowed(&config, stored.valid(), "marketing"));
//! ```

#![warn(missing_docs)]

pub mod config;
pub mod consent;
pub mod decide;
pub mod error;
pub mod fingerprint;
pub mod json;
pub mod lint;
pub mod markup;
pub mod matching;
pub mod record;
pub mod services;
pub mod statement;
pub mod texts;

#[cfg(all(target_arch = "wasm32", feature = "banner"))]
pub mod api;
#[cfg(all(
    target_arch = "wasm32",
    any(feature = "banner", feature = "statement-page")
))]
mod dom;
#[cfg(all(target_arch = "wasm32", feature = "statement-page"))]
mod statement_page;
#[cfg(all(target_arch = "wasm32", feature = "banner"))]
mod web;

pub use config::Config;
pub use consent::{Consent, Method};
pub use error::Error;

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
