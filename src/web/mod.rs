//! The browser side: the only code that touches `web-sys`.
//!
//! State lives in one thread-local [`App`]. Every entry point borrows it briefly to decide
//! and update, then releases it before touching the page, because activating a gated
//! script or dispatching `akkoord:change` runs page code that may call back into the API.

mod cookie;
mod embed;
mod gate;
mod listen;
mod receipts;
mod ui;

use std::cell::RefCell;
use std::rc::Rc;

use serde::ser::SerializeMap;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CustomEvent, CustomEventInit, Element, Event, HtmlElement, KeyboardEvent};

use crate::config::{Config, Service};
use crate::consent::Consent;
use crate::decide::{self, Action, Stored};
use crate::dom;
use crate::matching::Identity;
use crate::record;
use crate::texts::{self, Texts};

use gate::Inserter;
use listen::Listener;
use ui::Ui;

/// Whether this is the full module. The first visit's module (built without the `gating`
/// feature) only asks and stores: everything behind this flag is compiled out of it, and it
/// hands over to the full module as soon as something has to run (see [`hand_over`]).
const GATING: bool = cfg!(feature = "gating");

/// Everything Akkoord knows in this page view.
struct App {
    config: Rc<Config>,
    lang: String,
    gpc: bool,
    nonce: Option<String>,
    consent: Option<Consent>,
    /// The Consent Mode state last pushed (by the loader or by us).
    consent_mode: [(&'static str, bool); 7],
    ui: Option<Rc<Ui>>,
    listeners: Vec<Listener>,
    families: Vec<&'static str>,
    injected: Vec<String>,
    /// Services withdrawn in this page: never run again until the next page load.
    revoked: Vec<String>,
    /// Purposes whose gated markup scripts ran (they have no revoke API: reload on withdrawal).
    markup_ran: Vec<String>,
    return_focus: Option<HtmlElement>,
    /// The first visit's module: the loader's callback that starts the full module.
    hand_over: Option<js_sys::Function>,
    /// Handed over: no banner, no listeners; the API only still answers questions.
    retired: bool,
}

thread_local! {
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
    /// Hashes from `akkoord.identify()` (P-07). Kept apart from `App` because the loader
    /// replays a queued `identify` before `boot`, so a returning visitor's pixels are
    /// initialised with it.
    static IDENTITY: RefCell<Option<Identity>> = const { RefCell::new(None) };
}

fn with_app<R>(f: impl FnOnce(&mut App) -> R) -> Option<R> {
    APP.with(|cell| cell.try_borrow_mut().ok()?.as_mut().map(f))
}

fn console_error(message: &str) {
    web_sys::console::error_1(&JsValue::from_str(&["akkoord: ", message].concat()));
}

fn console_warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(&["akkoord: ", message].concat()));
}

fn now_secs() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

fn random_id() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // No Web Crypto (very old browser): the id only has to be unlikely to repeat.
        let seed = js_sys::Date::now().to_bits() ^ (js_sys::Math::random().to_bits() << 1);
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (seed >> ((i % 8) * 8)) as u8 ^ (js_sys::Math::random() * 256.0) as u8;
        }
    }
    record::consent_id(&bytes)
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Run `f` once the document is parsed (gated markup and `<body>` exist by then).
fn when_parsed(f: impl FnOnce() + 'static) {
    let Some(doc) = document() else { return };
    if doc.ready_state() != "loading" {
        f();
        return;
    }
    let callback = Closure::once_into_js(f);
    dom::listen(&doc, "DOMContentLoaded", &callback);
}

/// Remove the banner the server rendered into the page: the visitor needs no banner after
/// all (a valid choice, or no valid config), or has just decided on it.
fn drop_prerendered() {
    if let Some(host) = document().as_ref().and_then(ui::prerendered) {
        host.remove();
    }
}

/// Environment the loader passes to `boot`.
pub struct Env {
    pub gpc: bool,
    pub nonce: Option<String>,
    pub config_error: Option<String>,
    /// Purposes the loader already granted in Consent Mode from the cookie (G-06).
    pub applied: Option<Vec<String>>,
    /// The loader's `statement(lang)`: fetches the cookie-statement module and renders the
    /// page's `[data-akkoord-statement]` with it (`src/statement_page.rs`).
    pub load_statement: Option<js_sys::Function>,
    /// The first visit's module: the loader's callback that starts the full module with the
    /// record just stored ([`hand_over`]).
    pub hand_over: Option<js_sys::Function>,
    /// The full module, started by that callback: the page had `akkoord:ready` already.
    pub resumed: bool,
    /// With it, the record the first visit's module has just stored: read in place of the
    /// cookie (which may be blocked), and its receipt is sent from here.
    pub decided: Option<String>,
}

/// Start Akkoord with the parsed config (or the loader's error).
pub fn boot(config: Result<Config, String>, env: Env) {
    let config = match (config, env.config_error) {
        (_, Some(error)) | (Err(error), None) => {
            // Fail closed: nothing gated runs, no banner, the API answers "not accepted" —
            // also when an earlier boot in this page had succeeded.
            APP.with(|cell| {
                if let Ok(mut slot) = cell.try_borrow_mut() {
                    *slot = None;
                }
            });
            console_error(&error);
            when_parsed(drop_prerendered);
            // The loader may already have re-applied a stored grant to Consent Mode (G-06);
            // with no valid config nothing may count as granted, Google tags the site loads
            // itself included.
            if env.applied.is_some_and(|granted| !granted.is_empty()) {
                gate::consent_mode_update(&decide::consent_mode(None));
            }
            emit("akkoord:ready", &JsValue::NULL);
            return;
        }
        (Ok(config), None) => Rc::new(config),
    };
    let (resumed, receipt) = (env.resumed, env.decided.is_some());
    let cookies = match env.decided {
        Some(record) => [config.cookie.name.as_str(), "=", &record].concat(),
        None => cookie::all(),
    };
    let stored = decide::evaluate(&config, &cookies, now_secs());
    let page_lang = document()
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"));
    let browser_langs: Vec<String> = web_sys::window()
        .map(|w| {
            w.navigator()
                .languages()
                .iter()
                .filter_map(|l| l.as_string())
                .collect()
        })
        .unwrap_or_default();
    let lang = texts::choose_language(&config, page_lang.as_deref(), &browser_langs);

    // What the loader already told Consent Mode from the cookie, if anything.
    let loader_applied = env.applied.map(|granted| Consent {
        revision: 0,
        decided_at: 0,
        method: crate::consent::Method::Custom,
        id: String::new(),
        granted,
        denied: Vec::new(),
    });
    let consent_mode = decide::consent_mode(loader_applied.as_ref());

    let app = App {
        config: config.clone(),
        lang,
        gpc: decide::gpc_applies(&config, env.gpc),
        nonce: env.nonce,
        consent: stored.valid().cloned(),
        consent_mode,
        ui: None,
        listeners: Vec::new(),
        families: Vec::new(),
        injected: Vec::new(),
        revoked: Vec::new(),
        markup_ran: Vec::new(),
        return_focus: None,
        hand_over: env.hand_over,
        retired: false,
    };
    APP.with(|cell| {
        if let Ok(mut slot) = cell.try_borrow_mut() {
            *slot = Some(app);
        }
    });
    // Only where receipts are configured: a page without them does not touch localStorage
    // at all, and the first access to it is a synchronous read the banner would wait for
    // (about 7 ms of boot at 4x CPU).
    if GATING && config.receipts_endpoint.is_some() {
        receipts::retry_pending();
    }
    listen_for_reopen();
    let load_statement = env.load_statement;
    when_parsed(move || {
        // Only a page that shows the statement downloads its renderer.
        let has_statement = document()
            .and_then(|d| d.document_element())
            .and_then(|root| dom::query(&root, "[data-akkoord-statement]"))
            .is_some();
        if let (true, Some(load), Some(lang)) = (
            has_statement,
            load_statement,
            with_app(|app| app.lang.clone()),
        ) {
            let _ = load.call1(&JsValue::NULL, &JsValue::from_str(&lang));
        }
        // Decided before the module took the server's banner over (a stored choice, or an API
        // call before the page was parsed): the banner goes. Otherwise it is taken over below.
        if with_app(|app| app.consent.is_some()).unwrap_or(false) {
            drop_prerendered();
        }
        gate_page();
        if let Some(observer) = embed::observe(gate_page) {
            // Kept for the page's lifetime; see embed::observe.
            std::mem::forget(observer);
        }
    });

    match &stored {
        Stored::Valid(consent) => {
            if !GATING && needs_full(&config, consent) {
                // Something to run, or receipts (one may wait for a retry, which only the full
                // module can send): the full module applies the choice. A stored refusal of
                // everything on a site without receipts stays here.
                hand_over(None);
                emit("akkoord:ready", &consent_js());
                return;
            }
            // Returning visitor: the loader normally re-applied Consent Mode already (G-06);
            // this only sends an update when it could not (a renamed cookie, say).
            push_consent_mode(Some(consent));
            let granted = consent.granted.clone();
            activate(&granted);
            if GATING && receipt {
                // The decision was made in the first visit's module a moment ago; its receipt
                // goes from here, where receipts are built in.
                if let Some((lang, gpc)) = with_app(|app| (app.lang.clone(), app.gpc)) {
                    receipts::send(&config, consent, &lang, gpc);
                }
            }
        }
        Stored::OutdatedRevision(_) | Stored::Expired(_) | Stored::Missing | Stored::Unreadable => {
            // The loader may have applied an outdated grant; take it back before asking.
            push_consent_mode(None);
            when_parsed(|| {
                if with_app(|app| app.consent.is_none()).unwrap_or(false) {
                    show_banner();
                }
            });
        }
    }
    if !resumed {
        emit("akkoord:ready", &consent_js());
    }
}

fn push_consent_mode(consent: Option<&Consent>) {
    let state = decide::consent_mode(consent);
    let changed = with_app(|app| {
        let changed = app.consent_mode != state;
        app.consent_mode = state;
        changed
    })
    .unwrap_or(false);
    // One update per decision that changes something (G-08); a first-visit refusal leaves
    // the default in force and sends nothing (G-05).
    if changed {
        gate::consent_mode_update(&state);
    }
}

fn listen_for_reopen() {
    let Some(doc) = document() else { return };
    let listener = Listener::new(&doc, "click", |event: Event| {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        if dom::closest(&target, "[data-akkoord-open]").is_some() {
            event.prevent_default();
            show_preferences();
        }
    });
    with_app(|app| app.listeners.push(listener));
}

/// Whether a choice needs the full module: something is granted, or the site keeps consent
/// receipts (which only the full module sends and retries). A refusal of everything on a site
/// without receipts does not: the first visit's module keeps the page, and the loader gives it
/// to such a visitor on later pages too, since nothing is left to run.
// Not inlined: one copy for boot and act is 60 bytes smaller in the first visit's module.
#[inline(never)]
fn needs_full(config: &Config, consent: &Consent) -> bool {
    !consent.granted.is_empty() || config.receipts_endpoint.is_some()
}

/// The first visit's module is done: a choice is stored, or the page needs what only the full
/// module has. Its banner and listeners go, and the loader starts the full module with the
/// stored `record` (if any) and sends it every later call. The API keeps answering questions
/// from here until then.
fn hand_over(record: Option<String>) {
    let Some((callback, ui, listeners)) = with_app(|app| {
        app.retired = true;
        (
            app.hand_over.take(),
            app.ui.take(),
            std::mem::take(&mut app.listeners),
        )
    }) else {
        return;
    };
    // Dropped outside the borrow: a listener may be the one running this very call.
    drop(listeners);
    if let Some(ui) = ui {
        ui.root.host().remove();
    }
    when_parsed(drop_prerendered);
    // Its embed placeholders too: their buttons would act on a retired module. The full
    // module puts up its own for whatever the choice does not allow.
    embed::remove_placeholders();
    if let Some(callback) = callback {
        let record = record.map_or(JsValue::NULL, |r| JsValue::from_str(&r));
        let _ = callback.call1(&JsValue::NULL, &record);
    }
}

/// Mount the UI on first need (a returning visitor who never opens it pays nothing).
fn ensure_ui() -> Option<Rc<Ui>> {
    if let Some(ui) = with_app(|app| app.ui.clone()).flatten() {
        return Some(ui);
    }
    let (config, lang, gpc, nonce) = with_app(|app| {
        (!app.retired).then(|| {
            (
                app.config.clone(),
                app.lang.clone(),
                app.gpc,
                app.nonce.clone(),
            )
        })
    })??;
    let doc = document()?;
    let texts = Texts::new(&config, &lang);
    let ui = match ui::mount(&doc, &config, &texts, gpc, nonce.as_deref()) {
        Ok(ui) => Rc::new(ui),
        Err(_) => {
            console_error("could not show the banner (the page's DOM refused it)");
            return None;
        }
    };
    let click = Listener::new(&ui.root, "click", |event: Event| {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let Some(button) = dom::closest(&target, "[data-akkoord-action]") else {
            return;
        };
        match button.get_attribute("data-akkoord-action").as_deref() {
            Some("accept-all") => act(Action::AcceptAll),
            Some("reject-all") => act(Action::RejectAll),
            Some("save") => {
                let toggles = with_app(|app| {
                    let mut names = app.config.purposes.clone();
                    names.extend(app.config.services.iter().map(|s| s.id.clone()));
                    app.ui.as_ref().map(|ui| ui.read_toggles(&names))
                })
                .flatten()
                .unwrap_or_default();
                act(Action::Save(toggles));
            }
            Some("preferences") => show_preferences(),
            Some("close") => close_preferences(),
            _ => {}
        }
    });
    let keys = Listener::new(&ui.root, "keydown", |event: Event| {
        let Ok(key) = event.clone().dyn_into::<KeyboardEvent>() else {
            return;
        };
        let Some(ui) = with_app(|app| app.ui.clone()).flatten() else {
            return;
        };
        match key.key().as_str() {
            // Escape closes the preferences without deciding (C-04, C-12).
            "Escape" if ui.prefs_visible() => {
                event.prevent_default();
                close_preferences();
            }
            "Tab" if ui.prefs_visible() && ui.trap_tab(key.shift_key()) => {
                event.prevent_default();
            }
            _ => {}
        }
    });
    let change = Listener::new(&ui.root, "change", |event: Event| {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        if let Some(ui) = with_app(|app| app.ui.clone()).flatten() {
            ui.sync_toggles(&target);
        }
    });
    with_app(|app| {
        app.ui = Some(ui.clone());
        app.listeners.push(click);
        app.listeners.push(keys);
        app.listeners.push(change);
    });
    Some(ui)
}

fn remember_focus() {
    let active = document()
        .and_then(|d| d.active_element())
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        .filter(|e| e.id() != "akkoord");
    with_app(|app| {
        if app.return_focus.is_none() {
            app.return_focus = active;
        }
    });
}

fn restore_focus() {
    if let Some(el) = with_app(|app| app.return_focus.take()).flatten() {
        let _ = el.focus();
    }
}

/// Show the first layer.
pub fn show_banner() {
    let Some(ui) = ensure_ui() else { return };
    remember_focus();
    ui.hide_prefs();
    ui.show_banner();
}

/// Open the preferences with the stored state (C-19).
pub fn show_preferences() {
    let Some(ui) = ensure_ui() else { return };
    remember_focus();
    let toggles = with_app(|app| decide::initial_toggles(&app.config, app.consent.as_ref()))
        .unwrap_or_default();
    ui.hide_banner();
    ui.show_prefs(&toggles);
}

fn close_preferences() {
    let Some(ui) = with_app(|app| app.ui.clone()).flatten() else {
        return;
    };
    ui.hide_prefs();
    if with_app(|app| app.consent.is_none()).unwrap_or(false) {
        // Still undecided: back to the first layer; closing is not consent (C-04).
        ui.show_banner();
    } else {
        restore_focus();
    }
}

fn services_of(config: &Config, names: &[String]) -> Vec<Service> {
    decide::services_for(config, names).cloned().collect()
}

/// "Always allow <provider>" on an embed placeholder: the current choice plus this service.
pub fn allow_service(name: &str) {
    let Some(mut toggles) =
        with_app(|app| decide::initial_toggles(&app.config, app.consent.as_ref()))
    else {
        return;
    };
    for (n, on) in toggles.iter_mut() {
        if n == name {
            *on = true;
        }
    }
    act(Action::Save(toggles));
}

/// Gate what the page holds now and what it gets later: markup and embed placeholders.
fn gate_page() {
    let Some((config, consent, revoked, lang, nonce)) = with_app(|app| {
        (!app.retired).then(|| {
            (
                app.config.clone(),
                app.consent.clone(),
                app.revoked.clone(),
                app.lang.clone(),
                app.nonce.clone(),
            )
        })
    })
    .flatten() else {
        return;
    };
    let allowed = |name: &str| {
        !revoked.iter().any(|r| r == name) && decide::allowed(&config, consent.as_ref(), name)
    };
    let ran = if GATING {
        gate::activate_markup(&config, &allowed, nonce.as_deref())
    } else {
        // The first visit's module runs no gated markup. Markup allowed before any choice (a
        // service under `necessary`, say) is the full module's to run.
        if gate::any_allowed(&allowed) {
            hand_over(None);
            return;
        }
        Vec::new()
    };
    embed::placeholders(&config, &lang, &allowed);
    with_app(|app| {
        for p in ran {
            if !app.markup_ran.contains(&p) {
                app.markup_ran.push(p);
            }
        }
    });
}

/// Run what newly granted purposes allow: vendor templates now, gated markup once parsed.
fn activate(purposes: &[String]) {
    if !GATING {
        return;
    }
    let Some((nonce, candidates, mut family_list)) = with_app(|app| {
        let candidates: Vec<Service> = services_of(&app.config, purposes)
            .into_iter()
            .filter(|s| {
                s.template.is_some()
                    && !app.injected.contains(&s.id)
                    && !app.revoked.contains(&s.id)
            })
            .collect();
        for s in &candidates {
            app.injected.push(s.id.clone());
        }
        (
            app.nonce.clone(),
            candidates,
            std::mem::take(&mut app.families),
        )
    }) else {
        return;
    };
    let refs: Vec<&Service> = candidates.iter().collect();
    let identity = IDENTITY.with(|cell| cell.try_borrow().ok().and_then(|id| id.clone()));
    gate::inject_templates(
        &refs,
        &Inserter { nonce },
        &mut family_list,
        identity.as_ref(),
    );
    with_app(|app| app.families = family_list);
    when_parsed(gate_page);
}

/// `akkoord.identify({email, phone})`: hash at once, keep only the hashes, and hand them to
/// matching pixels already running. Pixels not yet allowed get them when they are injected,
/// which only a granted purpose does (P-07). An empty call forgets the identity (log-out).
#[cfg(feature = "gating")]
pub fn identify(email: Option<String>, phone: Option<String>) {
    let identity = match Identity::new(email.as_deref(), phone.as_deref()) {
        Ok(identity) => identity,
        Err(problem) => {
            console_warn(&[&problem, "; nothing is passed to any vendor"].concat());
            Identity::default()
        }
    };
    IDENTITY.with(|cell| {
        if let Ok(mut slot) = cell.try_borrow_mut() {
            *slot = (!identity.is_empty()).then(|| identity.clone());
        }
    });
    if identity.is_empty() {
        return;
    }
    let Some((running, nonce)) = with_app(|app| {
        let running: Vec<Service> = app
            .config
            .services
            .iter()
            .filter(|s| app.injected.contains(&s.id) && !app.revoked.contains(&s.id))
            .cloned()
            .collect();
        (running, app.nonce.clone())
    }) else {
        return;
    };
    let refs: Vec<&Service> = running.iter().collect();
    gate::identify_running(&refs, &identity, &Inserter { nonce });
}

/// Withdraw purposes in this page (C-21): vendor revoke calls, delete their first-party
/// cookies, stop them for the rest of the page, and report whether a reload is needed.
fn withdraw(purposes: &[String]) -> bool {
    if !GATING {
        // The first visit's module hands over at its first decision: nothing ran to withdraw.
        return false;
    }
    let Some((config, injected, markup_reload)) = with_app(|app| {
        let services = services_of(&app.config, purposes);
        let injected: Vec<Service> = services
            .iter()
            .filter(|s| app.injected.contains(&s.id))
            .cloned()
            .collect();
        for s in &services {
            if !app.revoked.contains(&s.id) {
                app.revoked.push(s.id.clone());
            }
        }
        // Gated markup may name a purpose or a service (`data-akkoord="meta"`); either one
        // being withdrawn means code without a revoke API has run.
        let markup = app
            .markup_ran
            .iter()
            .any(|m| purposes.contains(m) || services.iter().any(|s| &s.id == m));
        (app.config.clone(), injected, markup)
    }) else {
        return false;
    };
    let refs: Vec<&Service> = injected.iter().collect();
    let api_reload = gate::revoke_templates(&refs);
    let mut patterns: Vec<&str> = Vec::new();
    for s in decide::services_for(&config, purposes) {
        for c in s.cookies.iter().filter(|c| c.first_party) {
            patterns.push(&c.name);
        }
    }
    cookie::delete_matching(&patterns, config.cookie.domain.as_deref());
    api_reload || markup_reload
}

/// Apply a visitor's action: store, tell Consent Mode, activate or withdraw, send the
/// receipt, tell the page.
pub fn act(action: Action) {
    let Some((config, before, after, lang)) = with_app(|app| {
        let after = decide::decide(&app.config, &action, app.gpc, now_secs(), random_id());
        let before = app.consent.replace(after.clone());
        (app.config.clone(), before, after, app.lang.clone())
    }) else {
        return;
    };
    if !cookie::write_record(&config.cookie, &record::encode(&after)) {
        console_warn("could not store the choice (cookies blocked?); it applies to this page only");
    }
    push_consent_mode(Some(&after));
    if let Some(ui) = with_app(|app| app.ui.clone()).flatten() {
        ui.hide_banner();
        ui.hide_prefs();
    }
    restore_focus();

    if !GATING {
        emit("akkoord:change", &consent_js());
        if needs_full(&config, &after) {
            hand_over(Some(record::encode(&after)));
        }
        return;
    }
    let change = decide::transition(before.as_ref(), &after);
    let reload = withdraw(&change.withdraw);
    activate(&change.activate);
    receipts::send(
        &config,
        &after,
        &lang,
        with_app(|app| app.gpc).unwrap_or(false),
    );
    emit("akkoord:change", &consent_js());
    if reload {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    }
}

/// Forget the decision: withdraw everything granted, delete the record, ask again.
pub fn reset() {
    let Some((config, before)) = with_app(|app| (app.config.clone(), app.consent.take())) else {
        return;
    };
    cookie::delete_record(&config.cookie);
    push_consent_mode(None);
    let reload = before.map(|b| withdraw(&b.granted)).unwrap_or(false);
    emit("akkoord:change", &JsValue::NULL);
    if reload {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
        return;
    }
    show_banner();
}

/// `akkoord.accepted(purpose)` / `acceptedService(id)`.
pub fn allowed(name: &str) -> bool {
    with_app(|app| {
        decide::allowed(&app.config, app.consent.as_ref(), name)
            && !app.revoked.iter().any(|r| r == name)
    })
    .unwrap_or(false)
}

/// Whether `name` is a configured service.
pub fn is_service(name: &str) -> bool {
    with_app(|app| app.config.service(name).is_some()).unwrap_or(false)
}

/// `akkoord.save({purpose: bool})`.
pub fn save(choices: Vec<(String, bool)>) {
    act(Action::Save(choices));
}

/// `{purpose: bool}` as a plain JS object.
struct Flags(Vec<(String, bool)>);

impl Serialize for Flags {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// What `akkoord.consent()` returns and `akkoord:change` carries.
struct ConsentView<'a> {
    id: &'a str,
    revision: u32,
    decided_at: String,
    method: &'static str,
    gpc: bool,
    purposes: Flags,
    services: Flags,
}

// Written as a map, not derived: serde-wasm-bindgen passes a struct's field names through a
// cache of interned JS strings (a hash map), which costs 1.3 KB brotli in the module and saves
// nothing for one small object per decision. A map's keys are plain strings.
impl Serialize for ConsentView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(7))?;
        map.serialize_entry("id", self.id)?;
        map.serialize_entry("revision", &self.revision)?;
        map.serialize_entry("decidedAt", &self.decided_at)?;
        map.serialize_entry("method", self.method)?;
        map.serialize_entry("gpc", &self.gpc)?;
        map.serialize_entry("purposes", &self.purposes)?;
        map.serialize_entry("services", &self.services)?;
        map.end()
    }
}

/// The decision as a plain object for the JS API and events (null before a decision).
pub fn consent_js() -> JsValue {
    with_app(|app| {
        let Some(c) = &app.consent else {
            return JsValue::NULL;
        };
        let date = js_sys::Date::new(&JsValue::from_f64(c.decided_at as f64 * 1000.0));
        let view = ConsentView {
            id: &c.id,
            revision: c.revision,
            decided_at: date.to_iso_string().into(),
            method: c.method.as_str(),
            gpc: app.gpc,
            purposes: Flags(
                app.config
                    .purposes
                    .iter()
                    .map(|p| (p.clone(), c.allows(p)))
                    .collect(),
            ),
            services: Flags(
                app.config
                    .services
                    .iter()
                    // The same rule as `acceptedService`: by its purpose or on its own
                    // (an embed's "always allow").
                    .map(|s| {
                        (
                            s.id.clone(),
                            decide::allowed(&app.config, Some(c), &s.id)
                                && !app.revoked.contains(&s.id),
                        )
                    })
                    .collect(),
            ),
        };
        let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
        view.serialize(&serializer).unwrap_or(JsValue::NULL)
    })
    .unwrap_or(JsValue::NULL)
}

fn emit(name: &str, detail: &JsValue) {
    let Some(doc) = document() else { return };
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_detail(detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = doc.dispatch_event(&event);
    }
}
