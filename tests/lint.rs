//! The compliance lint: every rule has a sample config in `examples/configs/` that triggers
//! it (`*.bad.json`) and one that does not (`*.good.json`). Every good sample is clean of
//! every rule, so each bad one differs from a clean config by the one thing it shows.
#![cfg(not(target_arch = "wasm32"))]

use akkoord::config::Config;
use akkoord::lint::{self, lint, Finding, Severity};

macro_rules! sample {
    ($name:literal) => {
        include_str!(concat!("../examples/configs/", $name))
    };
}

macro_rules! good {
    ($rule:literal) => {
        (
            $rule,
            include_str!(concat!("../examples/configs/", $rule, ".good.json")),
        )
    };
}

const GOOD: &[(&str, &str)] = &[
    good!("c04-implied-consent"),
    good!("c05-reject-button"),
    good!("c08-banner-text"),
    good!("c08-language-incomplete"),
    good!("c08-privacy-policy"),
    good!("c08-purpose-description"),
    good!("c09-steering"),
    good!("c10-withdraw"),
    good!("c14-necessary-third-party"),
    good!("c14-necessary-tracker"),
    good!("c17-policy-url"),
    good!("c22-cookie-days"),
    good!("c23-receipts"),
    good!("c24-cookie-lifetime"),
    good!("c25-cookie-statement"),
    good!("s01-gpc"),
];

fn findings(json: &str) -> Vec<Finding> {
    match Config::from_json(json) {
        Ok(config) => lint(&config, json),
        Err(errors) => panic!("sample should validate: {errors:?}"),
    }
}

fn validation_errors(json: &str) -> Vec<String> {
    match Config::from_json(json) {
        Ok(_) => panic!("sample should fail validation"),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

/// The single finding of `rule` in `json`, checked for severity and path.
fn only(json: &str, rule: &str, severity: Severity, path: &str) -> Finding {
    let all = findings(json);
    let matching: Vec<&Finding> = all.iter().filter(|f| f.rule == rule).collect();
    assert_eq!(matching.len(), 1, "one {rule} finding expected in {all:#?}");
    assert_eq!(
        all.len(),
        1,
        "the sample should show {rule} and nothing else: {all:#?}"
    );
    let finding = matching[0].clone();
    assert_eq!(finding.severity, severity, "{finding:?}");
    assert_eq!(finding.path, path, "{finding:?}");
    finding
}

#[test]
fn every_good_sample_is_clean() {
    for (name, json) in GOOD {
        let all = findings(json);
        assert!(all.is_empty(), "{name}.good.json: {all:#?}");
    }
}

#[test]
fn c14_tracker_under_necessary_stays_a_validation_error() {
    let errors = validation_errors(sample!("c14-necessary-tracker.bad.json"));
    assert_eq!(
        errors,
        ["services[1].purpose: \"necessary\" cannot hold the tracker \"meta-pixel\" (C-14)"]
    );
    let error = Config::from_json(sample!("c14-necessary-tracker.bad.json")).unwrap_err();
    assert_eq!(lint::validation_rule(&error[0]), Some("C-14"));
}

#[test]
fn c14_custom_necessary_service_with_third_party_cookie_warns() {
    let f = only(
        sample!("c14-necessary-third-party.bad.json"),
        "C-14",
        Severity::Warning,
        "services[2].purpose",
    );
    assert!(f.message.contains("chat_sid"), "{f:?}");
    assert_eq!(f.line, Some(10));
}

#[test]
fn c14_custom_necessary_service_sending_data_abroad_warns() {
    let json = sample!("c14-necessary-third-party.good.json").replace(
        "\"provider\": \"Voorbeeld B.V.\"",
        "\"provider\": \"Voorbeeld B.V.\", \"thirdCountry\": true",
    );
    let f = only(&json, "C-14", Severity::Warning, "services[2].purpose");
    assert!(f.message.contains("outside the EEA"), "{f:?}");
}

#[test]
fn c24_service_cookie_over_13_months_warns_naming_the_cookie() {
    let f = only(
        sample!("c24-cookie-lifetime.bad.json"),
        "C-24",
        Severity::Warning,
        "services[2].cookies[0].days",
    );
    assert!(f.message.contains("\"chat_visitor\""), "{f:?}");
    assert!(f.message.contains("730 days"), "{f:?}");
}

#[test]
fn c24_exactly_13_months_is_accepted() {
    // GA4's registry cookies live 395 days: on the line, not over it.
    let json = sample!("c24-cookie-lifetime.good.json").replace("\"days\": 390", "\"days\": 395");
    assert!(findings(&json).is_empty());
}

#[test]
fn c25_missing_cookie_statement_is_an_error() {
    let f = only(
        sample!("c25-cookie-statement.bad.json"),
        "C-25",
        Severity::Error,
        "cookieStatement",
    );
    assert_eq!(f.line, None, "an absent key has no line");
}

#[test]
fn c08_missing_privacy_policy_is_an_error() {
    only(
        sample!("c08-privacy-policy.bad.json"),
        "C-08",
        Severity::Error,
        "privacyPolicy",
    );
}

#[test]
fn c08_custom_purpose_without_description_is_an_error() {
    let f = only(
        sample!("c08-purpose-description.bad.json"),
        "C-08",
        Severity::Error,
        "texts.nl.purpose.personalisation.description",
    );
    assert_eq!(f.line, Some(16));
}

#[test]
fn c08_custom_purpose_without_any_text_fails_validation() {
    let json = sample!("c08-purpose-description.good.json").replace(
        "\"purpose.personalisation.description\": \"Toont aanbevelingen op basis van wat je eerder bekeek.\"",
        "\"banner.title\": \"Cookies\"",
    );
    let errors = validation_errors(&json);
    assert_eq!(
        errors,
        ["texts.nl.purpose.personalisation.description: missing text (this language is declared or forced, so every text is needed)"]
    );
}

#[test]
fn c08_declared_language_with_missing_texts_stays_a_validation_error() {
    let errors = validation_errors(sample!("c08-language-incomplete.bad.json"));
    assert!(errors.len() > 10, "{errors:?}");
    assert!(errors
        .iter()
        .any(|e| e.starts_with("texts.es.button.reject_all: missing text")));
    let error = Config::from_json(sample!("c08-language-incomplete.bad.json")).unwrap_err();
    assert!(error
        .iter()
        .all(|e| lint::validation_rule(e) == Some("C-08")));
}

#[test]
fn c08_banner_text_naming_neither_controller_nor_purposes_is_reported() {
    let all = findings(sample!("c08-banner-text.bad.json"));
    let summary: Vec<(&str, Severity, &str)> = all
        .iter()
        .map(|f| (f.rule, f.severity, f.path.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("C-08", Severity::Error, "texts.nl.banner.text"),
            ("C-08", Severity::Warning, "texts.nl.banner.text"),
        ]
    );
    assert!(all[0].message.contains("controller"), "{all:?}");
    assert!(all[1].message.contains("{purposes}"), "{all:?}");
}

#[test]
fn c08_banner_text_with_the_controller_written_out_passes() {
    let json = sample!("c08-banner-text.good.json").replace("{controller}", "Voorbeeld B.V.");
    assert!(findings(&json).is_empty());
}

#[test]
fn c09_steering_reject_label_is_an_error() {
    let f = only(
        sample!("c09-steering.bad.json"),
        "C-09",
        Severity::Error,
        "texts.nl.button.reject_all",
    );
    assert!(f.message.contains("optimale ervaring"), "{f:?}");
}

#[test]
fn c09_steering_matches_case_and_quotes_loosely() {
    for text in [
        "Nee, ik wil GEEN betere service",
        "No, I don’t want   a better experience",
        "Continue for the BEST EXPERIENCE",
        "Pour une expérience optimale",
    ] {
        assert!(lint::steering_phrase(text).is_some(), "{text}");
    }
    for text in ["Weigeren", "Alles weigeren", "Reject all", "Tout refuser"] {
        assert_eq!(lint::steering_phrase(text), None, "{text}");
    }
}

#[test]
fn c09_steering_in_banner_text_is_an_error_too() {
    let json = sample!("c09-steering.good.json").replace(
        "\"button.reject_all\": \"Weigeren\"",
        "\"banner.title\": \"Accepteer cookies voor een optimale ervaring\"",
    );
    only(&json, "C-09", Severity::Error, "texts.nl.banner.title");
}

#[test]
fn c09_bundled_texts_are_neutral() {
    let config = Config::from_json(GOOD[0].1).expect("valid");
    for lang in config.languages() {
        let texts = akkoord::texts::Texts::new(&config, &lang);
        for key in akkoord::texts::KEYS {
            let text = texts.get(key);
            assert_eq!(lint::steering_phrase(text), None, "{lang} {key}: {text}");
        }
    }
}

#[test]
fn c10_emptied_withdrawal_sentence_is_an_error() {
    only(
        sample!("c10-withdraw.bad.json"),
        "C-10",
        Severity::Error,
        "texts.nl.banner.withdraw",
    );
}

#[test]
fn c05_emptied_reject_button_is_an_error() {
    only(
        sample!("c05-reject-button.bad.json"),
        "C-05",
        Severity::Error,
        "texts.nl.button.reject_all",
    );
}

#[test]
fn s01_gpc_switched_off_warns() {
    let f = only(
        sample!("s01-gpc.bad.json"),
        "S-01",
        Severity::Warning,
        "gpc",
    );
    assert_eq!(f.line, Some(6));
}

#[test]
fn s01_emptied_gpc_sentence_is_an_error_while_gpc_is_honoured() {
    let json = sample!("c10-withdraw.good.json").replace("banner.withdraw", "banner.gpc");
    let json = json.replace(
        "Je kunt je keuze altijd wijzigen of intrekken via ‘Cookie-instellingen’ onderaan elke pagina.",
        "",
    );
    only(&json, "S-01", Severity::Error, "texts.nl.banner.gpc");
    let off = json.replacen("\"revision\": 1,", "\"revision\": 1, \"gpc\": false,", 1);
    let all = findings(&off);
    assert!(
        all.iter().all(|f| f.severity == Severity::Warning),
        "with GPC off the sentence is never shown: {all:#?}"
    );
}

#[test]
fn c04_implied_consent_cannot_be_configured() {
    // There is no key for implied consent; an attempt is an unknown key, not silently ignored.
    let errors = validation_errors(sample!("c04-implied-consent.bad.json"));
    assert_eq!(errors, ["impliedConsent: unknown key"]);
    for key in ["impliedConsent", "consentOnScroll", "autoAccept"] {
        let json = sample!("c04-implied-consent.good.json").replacen(
            "{",
            &format!("{{ \"{key}\": true,"),
            1,
        );
        assert_eq!(validation_errors(&json), [format!("{key}: unknown key")]);
    }
}

#[test]
fn c22_consent_kept_longer_than_six_months_warns() {
    let f = only(
        sample!("c22-cookie-days.bad.json"),
        "C-22",
        Severity::Warning,
        "cookie.days",
    );
    assert!(f.message.starts_with("365 days"), "{f:?}");
}

#[test]
fn c22_over_13_months_stays_a_validation_error() {
    let json = sample!("c22-cookie-days.bad.json").replace("365", "400");
    let errors = Config::from_json(&json).unwrap_err();
    assert_eq!(errors[0].path(), "cookie.days");
    assert_eq!(lint::validation_rule(&errors[0]), Some("C-24"));
}

#[test]
fn c17_custom_service_without_policy_link_warns() {
    only(
        sample!("c17-policy-url.bad.json"),
        "C-17",
        Severity::Warning,
        "services[2].policyUrl",
    );
}

#[test]
fn c17_policy_link_that_is_not_http_is_an_error() {
    let json = sample!("c17-policy-url.good.json")
        .replace("https://example.com/privacy", "javascript:alert(1)");
    only(&json, "C-17", Severity::Error, "services[2].policyUrl");
}

#[test]
fn c23_no_receipt_endpoint_warns() {
    only(
        sample!("c23-receipts.bad.json"),
        "C-23",
        Severity::Warning,
        "receipts.endpoint",
    );
}

#[test]
fn the_demo_site_config_has_no_lint_errors() {
    let json = include_str!("../www/demo/akkoord.json");
    let errors: Vec<Finding> = findings(json)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn lines_follow_field_paths_including_dotted_text_keys() {
    let json = sample!("c10-withdraw.good.json");
    assert_eq!(lint::line_of_path(json, "revision"), Some(2));
    assert_eq!(lint::line_of_path(json, "services[1]"), Some(9));
    assert_eq!(lint::line_of_path(json, "services[1].pixelId"), Some(9));
    assert_eq!(
        lint::line_of_path(json, "texts.nl.banner.withdraw"),
        Some(14)
    );
    assert_eq!(lint::line_of_path(json, "texts.nl.banner.title"), None);
    assert_eq!(lint::nearest_line(json, "services[1].name"), Some(9));
    assert_eq!(lint::nearest_line(json, "texts.nl.banner.title"), Some(13));
    assert_eq!(lint::nearest_line(json, "cookie.days"), None);
    assert_eq!(lint::line_of_path("{ not json", "revision"), None);
}

#[test]
fn c24_registry_cookies_over_13_months_warn_at_the_template() {
    // Driven by the registry, so every template is covered as rows are added.
    const IDS: &[&str] = &[
        "1234567890",
        "G-ABC123",
        "AW-123456789",
        "ABCDEF1234567890ABCD",
        "abc12",
        "0f8fad5b-d9cb-469f-a165-70867728950e",
    ];
    for t in akkoord::services::TEMPLATES {
        let id = IDS
            .iter()
            .find(|id| t.account.accepts(id))
            .unwrap_or_else(|| panic!("no sample account id for {}", t.id));
        // An embed template takes no account id.
        let account = if t.account_key.is_empty() {
            String::new()
        } else {
            format!(r#", "{}": "{id}""#, t.account_key)
        };
        let json = format!(
            r#"{{ "revision": 1, "controller": "Voorbeeld B.V.", "cookieStatement": "/cookies",
                 "privacyPolicy": "/privacy", "receipts": {{ "endpoint": "/akkoord/receipts" }},
                 "purposes": ["necessary", "{purpose}"],
                 "services": [{{ "id": "s", "template": "{template}", "purpose": "{purpose}"{account} }}] }}"#,
            purpose = t.purposes[0],
            template = t.id,
        );
        let found = findings(&json);
        let long: Vec<&str> = t
            .cookies
            .iter()
            .filter(|c| c.days > lint::MAX_COOKIE_DAYS)
            .map(|c| c.name)
            .collect();
        assert_eq!(found.len(), long.len(), "{}: {found:#?}", t.id);
        for (finding, name) in found.iter().zip(&long) {
            assert_eq!(finding.rule, "C-24");
            assert_eq!(finding.severity, Severity::Warning);
            assert_eq!(finding.path, "services[0].template");
            assert!(
                finding.message.contains(&format!("\"{name}\"")),
                "{finding:?}"
            );
            assert!(
                finding.message.contains("the vendor sets it"),
                "{finding:?}"
            );
        }
    }
}
