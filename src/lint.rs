//! The compliance lint behind `akkoord check`: rules a config can pass validation and still
//! break, each citing its rule ID from REFERENCE.md.
//!
//! Validation ([`Config::from_json`]) already rejects what the banner cannot run or must
//! never do: a tracker under `necessary` (C-14), a consent cookie beyond 13 months, a declared
//! or forced language with missing texts, unknown keys. The lint looks at a valid config:
//!
//! | rule | severity | finding |
//! |---|---|---|
//! | C-25 | error | no `cookieStatement` link |
//! | C-08 | error | no `privacyPolicy` link; a purpose whose title or description is empty; a `banner.text` naming no controller |
//! | C-08 | warning | a `banner.text` without `{purposes}` |
//! | C-09 | error | steering wording in a banner or button text ("optimale ervaring", "no, I don't want") |
//! | C-10 | error | the withdrawal sentence `banner.withdraw` emptied |
//! | C-05 | error | the reject button `button.reject_all` emptied |
//! | C-17 | error / warning | a service policy link that is not http(s) / a custom service without one |
//! | C-14 | warning | a custom service under `necessary` with third-party cookies or a transfer outside the EEA |
//! | C-24 | warning | a service cookie living longer than 13 months (395 days) |
//! | C-22 | warning | `cookie.days` above 182 (the CNIL's 6 months) |
//! | C-23 | warning | no `receipts.endpoint`, so no proof of consent is kept |
//! | S-01 | warning / error | `"gpc": false` / the GPC sentence `banner.gpc` emptied |
//!
//! Implied consent (scrolling, continuing to browse, closing the banner) is not valid consent
//! (Recital 32, Planet49, C-04), and the config has no way to express it: there is no such key,
//! and unknown keys such as `"impliedConsent": true` are validation errors. The tests keep
//! it that way.
//!
//! ```
//! use akkoord::{config::Config, lint::{lint, Severity}};
//!
//! let json = r#"{ "revision": 1, "controller": "Voorbeeld B.V.", "purposes": ["necessary"],
//!                 "privacyPolicy": "/privacy" }"#;
//! let config = Config::from_json(json).expect("valid");
//! let findings = lint(&config, json);
//! assert!(findings.iter().any(|f| f.rule == "C-25" && f.severity == Severity::Error));
//! ```

use crate::config::{Config, DEFAULT_DAYS};
use crate::consent::NECESSARY;
use crate::error::Error;
use crate::json::{self, Node, Value};
use crate::statement::is_linkable;
use crate::texts::Texts;

/// How bad a finding is: errors fail `akkoord check`, warnings are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Fails the check (exit 1).
    Error,
    /// Shown; the check still passes.
    Warning,
}

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// Field path, as in validation errors (`services[1].cookies[0].days`).
    pub path: String,
    /// Rule ID from REFERENCE.md (`C-14`).
    pub rule: &'static str,
    /// What is wrong and what to do, lowercase like validation messages.
    pub message: String,
    /// 1-based line of the field in the JSON text, when it is there.
    pub line: Option<u32>,
}

/// The longest a tracker cookie should live: 13 months (CNIL).
pub const MAX_COOKIE_DAYS: u32 = 395;

/// Wording that steers the visitor towards consent (AP rule of thumb 3, C-09), matched
/// case-insensitively in banner, button and preferences texts of every language.
pub const STEERING: &[&str] = &[
    "optimale ervaring",
    "betere ervaring",
    "beste ervaring",
    "nee, ik wil geen",
    "nee ik wil geen",
    "optimal experience",
    "better experience",
    "best experience",
    "no, i don't want",
    "no i don't want",
    "no, i do not want",
    "optimale erfahrung",
    "bessere erfahrung",
    "beste erfahrung",
    "nein, ich möchte kein",
    "nein, ich will kein",
    "expérience optimale",
    "meilleure expérience",
    "non, je ne veux pas",
];

/// Lint a validated config. `raw_json` is the text it came from, for line numbers.
pub fn lint(config: &Config, raw_json: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut add = |severity, path: String, rule, message: String| {
        out.push(Finding {
            line: line_of_path(raw_json, &path),
            severity,
            path,
            rule,
            message,
        });
    };

    if config.cookie_statement.is_none() {
        add(
            Severity::Error,
            "cookieStatement".into(),
            "C-25",
            "missing: the banner must link to a cookie statement (write one with `akkoord statement`)"
                .into(),
        );
    }
    if config.privacy_policy.is_none() {
        add(
            Severity::Error,
            "privacyPolicy".into(),
            "C-08",
            "missing: the banner must link to the privacy policy".into(),
        );
    }

    for (i, service) in config.services.iter().enumerate() {
        let at = |field: &str| {
            let mut path = ["services[", &i.to_string(), "]"].concat();
            if !field.is_empty() {
                path.push('.');
                path.push_str(field);
            }
            path
        };

        // Templates under `necessary` are rejected by validation; a custom service there is
        // allowed (session, cart, load balancer) but must not reach a third party.
        if service.purpose == NECESSARY && service.template.is_none() {
            let third_party = service.cookies.iter().find(|c| !c.first_party);
            if let Some(cookie) = third_party {
                add(
                    Severity::Warning,
                    at("purpose"),
                    "C-14",
                    [
                        "\"",
                        &service.id,
                        "\" sets the third-party cookie \"",
                        &cookie.name,
                        "\" under \"necessary\": only strictly necessary cookies are exempt from consent; justify it or move the service to a consent purpose",
                    ]
                    .concat(),
                );
            } else if service.third_country {
                add(
                    Severity::Warning,
                    at("purpose"),
                    "C-14",
                    [
                        "\"",
                        &service.id,
                        "\" sends data outside the EEA under \"necessary\": only strictly necessary processing is exempt from consent; justify it or move the service to a consent purpose",
                    ]
                    .concat(),
                );
            }
        }

        let template_cookies = service.template.map_or(0, |t| t.cookies.len());
        for (j, cookie) in service.cookies.iter().enumerate() {
            if cookie.days <= MAX_COOKIE_DAYS {
                continue;
            }
            // Template cookies come from the registry: point at the template; declared ones
            // at their own `days`.
            let (path, advice) = match j.checked_sub(template_cookies) {
                Some(own) => (
                    at(&["cookies[", &own.to_string(), "].days"].concat()),
                    "; shorten it",
                ),
                None => (
                    at("template"),
                    "; the vendor sets it, so weigh whether you need this service",
                ),
            };
            add(
                Severity::Warning,
                path,
                "C-24",
                [
                    "cookie \"",
                    &cookie.name,
                    "\" of \"",
                    &service.id,
                    "\" lives ",
                    &cookie.days.to_string(),
                    " days, longer than 13 months (395 days), the longest the CNIL accepts for trackers",
                    advice,
                ]
                .concat(),
            );
        }

        match &service.policy_url {
            Some(url) if !is_linkable(url) => add(
                Severity::Error,
                at("policyUrl"),
                "C-17",
                "not a path starting with / or an http(s) URL, so the statement cannot link it"
                    .into(),
            ),
            None if service.template.is_none() && service.purpose != NECESSARY => add(
                Severity::Warning,
                at("policyUrl"),
                "C-17",
                [
                    "missing: visitors must be able to read the privacy policy of \"",
                    &service.provider,
                    "\"",
                ]
                .concat(),
            ),
            _ => {}
        }
    }

    for lang in config.languages() {
        let texts = Texts::new(config, &lang);
        for purpose in &config.purposes {
            for field in ["title", "description"] {
                let key = ["purpose.", purpose, ".", field].concat();
                if texts.lookup(&key).is_some_and(|t| t.trim().is_empty()) {
                    add(
                        Severity::Error,
                        ["texts.", &lang, ".", &key].concat(),
                        "C-08",
                        [
                            "empty: visitors must be told what \"",
                            purpose,
                            "\" is for before they consent",
                        ]
                        .concat(),
                    );
                }
            }
        }
    }

    for (lang, key, text) in &config.texts {
        let path = ["texts.", lang, ".", key].concat();
        let blank = text.trim().is_empty();
        if key == "banner.withdraw" && blank {
            add(
                Severity::Error,
                path.clone(),
                "C-10",
                "empty: the first layer must say how to withdraw consent later".into(),
            );
        }
        if key == "button.reject_all" && blank {
            add(
                Severity::Error,
                path.clone(),
                "C-05",
                "empty: the first layer needs a labelled \"reject all\" button".into(),
            );
        }
        if key == "banner.text" {
            // The first layer must say who processes and for what (C-08); the placeholders
            // fill both in, a hand-written text must name them itself.
            if !text.contains("{controller}") && !text.contains(config.controller.as_str()) {
                add(
                    Severity::Error,
                    path.clone(),
                    "C-08",
                    "names no controller: keep {controller} or write the company's name".into(),
                );
            }
            if !text.contains("{purposes}") {
                add(
                    Severity::Warning,
                    path.clone(),
                    "C-08",
                    "has no {purposes}: make sure the text names every purpose you ask consent for"
                        .into(),
                );
            }
        }
        if key == "banner.gpc" && blank && config.honour_gpc {
            add(
                Severity::Error,
                path.clone(),
                "S-01",
                "empty: the banner must say that the Global Privacy Control signal switched marketing off".into(),
            );
        }
        let shown_in_banner =
            key.starts_with("banner.") || key.starts_with("button.") || key.starts_with("prefs.");
        if shown_in_banner {
            if let Some(phrase) = steering_phrase(text) {
                add(
                    Severity::Error,
                    path,
                    "C-09",
                    [
                        "steering wording \"",
                        phrase,
                        "\": use neutral labels such as \"accepteren\" and \"weigeren\"",
                    ]
                    .concat(),
                );
            }
        }
    }

    if config.cookie.days > DEFAULT_DAYS {
        add(
            Severity::Warning,
            "cookie.days".into(),
            "C-22",
            [
                &config.cookie.days.to_string(),
                " days: the CNIL considers keeping a choice (a refusal too) for 6 months (182 days) good practice",
            ]
            .concat(),
        );
    }

    if config.receipts_endpoint.is_none() {
        add(
            Severity::Warning,
            "receipts.endpoint".into(),
            "C-23",
            "missing: without receipts only the visitor's cookie remembers the choice, and you cannot demonstrate consent (GDPR 7(1))".into(),
        );
    }

    if !config.honour_gpc {
        add(
            Severity::Warning,
            "gpc".into(),
            "S-01",
            "false: a visitor's Global Privacy Control signal will not switch marketing off".into(),
        );
    }

    out
}

/// The steering phrase `text` contains, if any.
pub fn steering_phrase(text: &str) -> Option<&'static str> {
    let normal: String = text
        .to_lowercase()
        .replace(['\u{2019}', '\u{2018}'], "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    STEERING.iter().copied().find(|p| normal.contains(p))
}

/// The REFERENCE.md rule a validation error enforces, when there is one.
pub fn validation_rule(error: &Error) -> Option<&'static str> {
    let path = error.path();
    let message = error.message();
    if message.contains("(C-14)") {
        Some("C-14")
    } else if path == "cookie.days" {
        Some("C-24")
    } else if path == "controller"
        || (path.starts_with("texts.") && message.starts_with("missing text"))
    {
        Some("C-08")
    } else if path.starts_with("services[") && path.ends_with(".days") {
        Some("C-17")
    } else {
        None
    }
}

/// The 1-based line of the field at `path` (`services[1].cookies[0].days`) in `raw_json`,
/// or `None` when the text does not parse or has no such field.
pub fn line_of_path(raw_json: &str, path: &str) -> Option<u32> {
    let root = json::parse(raw_json).ok()?;
    find(&root, "", path).map(|offset| json::line_of(raw_json, offset))
}

/// The line of `path` or, when the field is absent, of its closest enclosing field: an error
/// about a missing `services[0].name` points at `services[0]`. The document itself has no line.
pub fn nearest_line(raw_json: &str, path: &str) -> Option<u32> {
    let root = json::parse(raw_json).ok()?;
    let mut path = path;
    while !path.is_empty() {
        if let Some(offset) = find(&root, "", path) {
            return Some(json::line_of(raw_json, offset));
        }
        path = parent(path);
    }
    None
}

/// `services[1].cookies[0]` → `services[1].cookies` → `services[1]` → `services` → ``.
/// Keys may contain dots (`texts.nl.banner.title`); the search in [`find`] builds paths the
/// same way, so a wrong split only costs an extra step.
fn parent(path: &str) -> &str {
    match path.rfind(['.', '[']) {
        Some(i) => &path[..i],
        None => "",
    }
}

/// Offset of the node at `target`, walking the tree and building paths the way validation
/// does (keys may contain dots, so splitting `target` would be ambiguous).
fn find(node: &Node, here: &str, target: &str) -> Option<usize> {
    if here == target {
        return Some(node.offset);
    }
    if !target.starts_with(here) {
        return None;
    }
    match &node.value {
        Value::Object(entries) => entries.iter().find_map(|(key, child)| {
            let path = if here.is_empty() {
                key.clone()
            } else {
                [here, ".", key].concat()
            };
            find(child, &path, target)
        }),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, child)| {
            let path = [here, "[", &i.to_string(), "]"].concat();
            find(child, &path, target)
        }),
        _ => None,
    }
}
