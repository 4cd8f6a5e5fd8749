//! Pure decisions: what the stored record means, what a visitor's action produces, what
//! changes when a decision replaces another, and the Google Consent Mode state.
//!
//! Time, randomness, the cookie string and GPC are arguments, so every rule here is tested
//! natively (tests/decide.rs).

use crate::config::Config;
use crate::consent::{Consent, Method, NECESSARY};
use crate::record;

const DAY: u64 = 86_400;

/// What the stored cookie tells us on page load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// No cookie: first visit.
    Missing,
    /// A cookie we cannot read; treated like a first visit, never as an error for the page.
    Unreadable,
    /// A decision for an older config revision: ask again (C-22).
    OutdatedRevision(Consent),
    /// A decision older than the configured lifetime: ask again (C-22).
    Expired(Consent),
    /// A decision that holds.
    Valid(Consent),
}

impl Stored {
    /// The decision in force, if any.
    pub fn valid(&self) -> Option<&Consent> {
        match self {
            Stored::Valid(c) => Some(c),
            _ => None,
        }
    }

    /// Whether the banner must be shown.
    pub fn needs_prompt(&self) -> bool {
        self.valid().is_none()
    }
}

/// Read the stored decision from a `document.cookie` string at time `now` (unix seconds).
pub fn evaluate(config: &Config, cookies: &str, now: u64) -> Stored {
    let Some(value) = record::find_cookie(cookies, &config.cookie.name) else {
        return Stored::Missing;
    };
    let Ok(consent) = record::decode(value) else {
        return Stored::Unreadable;
    };
    if consent.revision != config.revision {
        return Stored::OutdatedRevision(consent);
    }
    let expires = consent
        .decided_at
        .saturating_add(u64::from(config.cookie.days) * DAY);
    // A decision "from the future" means a wrong clock or a forged cookie: ask again.
    if now >= expires || consent.decided_at > now.saturating_add(DAY) {
        return Stored::Expired(consent);
    }
    Stored::Valid(consent)
}

/// What the visitor did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// "Accept all".
    AcceptAll,
    /// "Reject all".
    RejectAll,
    /// "Save choices" with the toggles' states, by purpose or service id; purposes not
    /// listed count as denied (C-16). A service switched on under a denied purpose is
    /// granted on its own ("always allow YouTube").
    Save(Vec<(String, bool)>),
}

/// Whether GPC applies: the browser sends it and the config honours it.
pub fn gpc_applies(config: &Config, gpc: bool) -> bool {
    gpc && config.honour_gpc
}

/// The decision an action produces.
pub fn decide(config: &Config, action: &Action, gpc: bool, now: u64, id: String) -> Consent {
    let mut granted = Vec::new();
    let mut denied = Vec::new();
    for purpose in config.optional_purposes() {
        let on = match action {
            Action::AcceptAll => true,
            Action::RejectAll => false,
            Action::Save(choices) => choices.iter().any(|(p, on)| p == purpose && *on),
        };
        if on {
            granted.push(purpose.to_string());
        } else {
            denied.push(purpose.to_string());
        }
    }
    if let Action::Save(choices) = action {
        for service in &config.services {
            let on = choices.iter().any(|(n, on)| *n == service.id && *on);
            if on && !granted.contains(&service.purpose) {
                granted.push(service.id.clone());
            }
        }
    }
    let method = match action {
        Action::AcceptAll => Method::AcceptAll,
        Action::RejectAll => Method::RejectAll,
        // The GPC preset held: marketing stayed off while the signal was on (S-01). An
        // explicit opt-in under GPC is recorded as `custom` with the GPC flag in the
        // receipt, so both are on record (S-02).
        Action::Save(_)
            if gpc_applies(config, gpc)
                && !granted.iter().any(|g| {
                    g == "marketing" || config.service(g).is_some_and(|s| s.purpose == "marketing")
                }) =>
        {
            Method::Gpc
        }
        Action::Save(_) => Method::Custom,
    };
    Consent {
        revision: config.revision,
        decided_at: now,
        method,
        id,
        granted,
        denied,
    }
}

/// The toggles' states when the preferences open: the stored decision if there is one
/// (C-19), otherwise everything off (C-13). `necessary` is always on. Purposes first, then
/// one per service (on when its purpose or the service itself is granted).
pub fn initial_toggles(config: &Config, stored: Option<&Consent>) -> Vec<(String, bool)> {
    let purposes = config.purposes.iter().map(|p| {
        (
            p.clone(),
            p == NECESSARY || stored.is_some_and(|c| c.allows(p)),
        )
    });
    let services = config
        .services
        .iter()
        .map(|s| (s.id.clone(), allowed(config, stored, &s.id)));
    purposes.chain(services).collect()
}

/// What changes when `after` replaces `before` within one page view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transition {
    /// Purposes newly granted: activate their scripts and services.
    pub activate: Vec<String>,
    /// Purposes withdrawn: call revoke APIs, delete cookies, maybe reload (C-21).
    pub withdraw: Vec<String>,
}

/// Compare two decisions.
pub fn transition(before: Option<&Consent>, after: &Consent) -> Transition {
    let was = |p: &str| before.is_some_and(|b| b.allows(p));
    Transition {
        activate: after.granted.iter().filter(|p| !was(p)).cloned().collect(),
        withdraw: before
            .map(|b| {
                b.granted
                    .iter()
                    .filter(|p| !after.allows(p))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Google Consent Mode v2 keys in the order they are sent.
pub const CONSENT_MODE_KEYS: [&str; 7] = [
    "ad_storage",
    "ad_user_data",
    "ad_personalization",
    "analytics_storage",
    "functionality_storage",
    "personalization_storage",
    "security_storage",
];

/// Consent Mode state for a decision (`None`: nothing granted). Mapping fixed in
/// `docs/internals.md`; the loader applies the same one for returning visitors (G-06).
pub fn consent_mode(consent: Option<&Consent>) -> [(&'static str, bool); 7] {
    let allows = |p: &str| consent.is_some_and(|c| c.allows(p));
    let marketing = allows("marketing");
    let analytics = allows("analytics");
    let functional = allows("functional");
    [
        ("ad_storage", marketing),
        ("ad_user_data", marketing),
        ("ad_personalization", marketing),
        ("analytics_storage", analytics),
        ("functionality_storage", functional),
        ("personalization_storage", functional),
        ("security_storage", true),
    ]
}

/// Whether `name` (a purpose id or a service id) may run under `consent`.
pub fn allowed(config: &Config, consent: Option<&Consent>, name: &str) -> bool {
    let Some(consent) = consent else {
        return name == NECESSARY;
    };
    if config.has_purpose(name) {
        return consent.allows(name);
    }
    config
        .service(name)
        .is_some_and(|s| consent.allows(&s.purpose) || consent.allows(&s.id))
}

/// The services that run when `names` (purposes or service ids) are granted or withdrawn.
pub fn services_for<'a>(
    config: &'a Config,
    names: &'a [String],
) -> impl Iterator<Item = &'a crate::config::Service> {
    config
        .services
        .iter()
        .filter(move |s| names.contains(&s.purpose) || names.contains(&s.id))
}
