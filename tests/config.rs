//! Config validation: good configs resolve defaults, bad ones name the field.
#![cfg(not(target_arch = "wasm32"))]

use akkoord::config::Config;

const ISSUE_EXAMPLE: &str = r#"{
  "revision": 1,
  "controller": "Voorbeeld B.V.",
  "cookieStatement": "/cookies",
  "purposes": ["necessary", "analytics", "marketing"],
  "services": [
    { "id": "ga4", "template": "google-analytics", "purpose": "analytics", "measurementId": "G-TEST123" },
    { "id": "meta", "template": "meta-pixel", "purpose": "marketing", "pixelId": "1234567890" }
  ]
}"#;

fn errors(json: &str) -> Vec<String> {
    match Config::from_json(json) {
        Ok(_) => panic!("config should be rejected: {json}"),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

fn with(replace: &str, by: &str) -> String {
    assert!(ISSUE_EXAMPLE.contains(replace), "fixture lacks {replace}");
    ISSUE_EXAMPLE.replacen(replace, by, 1)
}

#[test]
fn issue_example_config_is_valid_with_defaults() {
    let config = Config::from_json(ISSUE_EXAMPLE).expect("valid");
    assert_eq!(config.revision, 1);
    assert_eq!(config.cookie.name, "akkoord");
    assert_eq!(config.cookie.days, 182, "C-22: six months by default");
    assert_eq!(config.purposes, ["necessary", "analytics", "marketing"]);
    let meta = config.service("meta").expect("meta");
    assert_eq!(meta.template.map(|t| t.id), Some("meta-pixel"));
    assert_eq!(meta.account.as_deref(), Some("1234567890"));
    assert!(meta
        .cookies
        .iter()
        .any(|c| c.name == "_fbp" && c.days == 90 && c.first_party));
    assert!(meta.third_country);
    assert!(config.honour_gpc, "S-01: GPC honoured unless switched off");
}

#[test]
fn necessary_is_added_when_missing() {
    let config = Config::from_json(&with(
        r#"["necessary", "analytics", "marketing"]"#,
        r#"["analytics", "marketing"]"#,
    ))
    .expect("valid");
    assert_eq!(config.purposes[0], "necessary");
}

#[test]
fn unknown_purpose_names_the_service_field() {
    let errs = errors(&with(
        r#""purpose": "marketing""#,
        r#""purpose": "marketng""#,
    ));
    assert_eq!(errs, [r#"services[1].purpose: unknown purpose "marketng""#]);
}

#[test]
fn unknown_top_level_key_is_an_error_not_ignored() {
    let errs = errors(&with(
        r#""revision": 1,"#,
        r#""revision": 1, "revison": 2,"#,
    ));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("revison: unknown key"), "{errs:?}");
}

#[test]
fn unknown_service_key_names_index_and_key() {
    let errs = errors(&with(
        r#""pixelId": "1234567890""#,
        r#""pixelID": "1234567890""#,
    ));
    assert!(
        errs[0].starts_with("services[1].pixelID: unknown key"),
        "{errs:?}"
    );
}

#[test]
fn wrong_type_names_the_field() {
    let errs = errors(&with(r#""revision": 1"#, r#""revision": "1""#));
    assert_eq!(errs, ["revision: expected a whole number, found a string"]);
    let errs = errors(&with(
        r#""pixelId": "1234567890""#,
        r#""pixelId": 1234567890"#,
    ));
    assert_eq!(
        errs,
        ["services[1].pixelId: expected a string, found a number"]
    );
}

#[test]
fn tracker_under_necessary_is_rejected_c14() {
    let errs = errors(&with(
        r#""purpose": "marketing", "pixelId""#,
        r#""purpose": "necessary", "pixelId""#,
    ));
    assert_eq!(
        errs,
        [r#"services[1].purpose: "necessary" cannot hold the tracker "meta-pixel" (C-14)"#]
    );
}

#[test]
fn pixel_under_analytics_is_rejected() {
    let errs = errors(&with(
        r#""purpose": "marketing", "pixelId""#,
        r#""purpose": "analytics", "pixelId""#,
    ));
    assert!(errs[0].starts_with("services[1].purpose:"), "{errs:?}");
}

#[test]
fn account_ids_are_checked_before_they_reach_a_snippet() {
    let errs = errors(&with("1234567890", "123');alert(1);//"));
    assert_eq!(errs, ["services[1].pixelId: expected digits only"]);
    let errs = errors(&with("G-TEST123", "UA-1234"));
    assert!(
        errs[0].starts_with("services[0].measurementId: expected"),
        "{errs:?}"
    );
}

#[test]
fn missing_account_id_is_named() {
    let errs = errors(&with(r#", "measurementId": "G-TEST123""#, ""));
    assert_eq!(
        errs,
        [r#"services[0].measurementId: missing (template "google-analytics" needs it)"#]
    );
}

#[test]
fn unknown_template_lists_known_ones() {
    let errs = errors(&with("\"meta-pixel\"", "\"meta-pixl\""));
    assert!(
        errs[0].starts_with(
            r#"services[1].template: unknown template "meta-pixl" (known: meta-pixel"#
        ),
        "{errs:?}"
    );
}

#[test]
fn lifetime_over_thirteen_months_is_rejected_c24() {
    let errs = errors(&with(
        r#""revision": 1,"#,
        r#""revision": 1, "cookie": {"days": 400},"#,
    ));
    assert!(
        errs[0].starts_with("cookie.days: 400 is outside 1..=395"),
        "{errs:?}"
    );
    let ok = Config::from_json(&with(
        r#""revision": 1,"#,
        r#""revision": 1, "cookie": {"days": 395, "name": "cc", "domain": ".voorbeeld.nl"},"#,
    ))
    .expect("valid");
    assert_eq!(
        (
            ok.cookie.days,
            ok.cookie.name.as_str(),
            ok.cookie.domain.as_deref()
        ),
        (395, "cc", Some(".voorbeeld.nl"))
    );
}

#[test]
fn custom_service_needs_name_and_provider_and_cookie_days() {
    let json = with(
        r#"{ "id": "ga4""#,
        r#"{ "id": "chat", "purpose": "functional", "cookies": [{ "name": "chat_sid" }] },
           { "id": "ga4""#,
    );
    let json = json.replace(
        r#"["necessary", "analytics""#,
        r#"["necessary", "functional", "analytics""#,
    );
    let errs = errors(&json);
    assert!(
        errs.contains(&"services[0].name: missing (a custom service needs a name)".to_string()),
        "{errs:?}"
    );
    assert!(
        errs.contains(
            &"services[0].provider: missing (a custom service needs a provider)".to_string()
        ),
        "{errs:?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.starts_with("services[0].cookies[0].days: missing")),
        "{errs:?}"
    );
}

#[test]
fn custom_purpose_requires_its_texts_in_every_language() {
    let json = with(r#""marketing"]"#, r#""marketing", "personalisatie"]"#);
    let errs = errors(&json);
    assert!(
        errs.iter()
            .any(|e| e.starts_with("texts.nl.purpose.personalisatie.title: missing text")),
        "{errs:?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.starts_with("texts.en.purpose.personalisatie.description: missing text")),
        "{errs:?}"
    );

    let json = with(
        r#""marketing"]"#,
        r#""marketing", "personalisatie"], "language": "nl",
        "texts": {"nl": {"purpose.personalisatie.title": "Personalisatie", "purpose.personalisatie.description": "Aanbevelingen op maat."}}"#,
    );
    let config = Config::from_json(&json).expect("valid");
    assert_eq!(config.languages(), ["nl"]);
}

#[test]
fn unknown_text_key_is_an_error() {
    let json = with(
        r#""revision": 1,"#,
        r#""revision": 1, "texts": {"nl": {"banner.titel": "x"}},"#,
    );
    assert_eq!(errors(&json), ["texts.nl.banner.titel: unknown text key"]);
}

#[test]
fn declared_language_must_be_complete() {
    let json = with(
        r#""revision": 1,"#,
        r#""revision": 1, "texts": {"it": {"banner.title": "Cookies"}},"#,
    );
    let errs = errors(&json);
    assert!(errs.iter().any(|e| e == "texts.it.button.reject_all: missing text (this language is declared or forced, so every text is needed)"), "{errs:?}");
}

#[test]
fn invalid_json_reports_line() {
    let text = "{\n  \"revision\": 1,\n  \"controller\": \"X\",,\n}";
    let errs = Config::from_json(text).expect_err("invalid");
    assert_eq!(errs[0].to_string(), "invalid JSON: expected a quoted key");
    let line = errs[0].offset().map(|o| akkoord::json::line_of(text, o));
    assert_eq!(line, Some(3));
}

#[test]
fn field_errors_carry_their_line() {
    let text = with(r#""purpose": "marketing""#, r#""purpose": "marketng""#);
    let errs = Config::from_json(&text).expect_err("invalid");
    let line = errs[0].offset().map(|o| akkoord::json::line_of(&text, o));
    assert_eq!(line, Some(8), "the line of services[1]");
}

#[test]
fn duplicate_key_is_an_error() {
    let errs = errors(&with(
        r#""revision": 1,"#,
        r#""revision": 1, "revision": 2,"#,
    ));
    assert_eq!(errs, ["revision: duplicate key"]);
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let errs = errors(r#"{ "purposes": ["necessary", "Marketing"] }"#);
    assert!(
        errs.iter().any(|e| e.starts_with("revision: missing")),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|e| e.starts_with("controller: missing")),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|e| e.starts_with("purposes[1]:")),
        "{errs:?}"
    );
}

#[test]
fn json_reader_handles_escapes_bom_and_rejects_garbage() {
    use akkoord::json::{parse, Value};
    let node = parse(
        "\u{feff}{\"a\": \"caf\\u00e9 \\ud83c\\udf6a \\\"x\\\"\", \"b\": [1, -2.5e3, true, null]}",
    )
    .expect("valid");
    let Value::Object(entries) = node.value else {
        panic!("object")
    };
    assert_eq!(entries[0].1.value, Value::String("café 🍪 \"x\"".into()));
    let Value::Array(items) = &entries[1].1.value else {
        panic!("array")
    };
    assert_eq!(items[1].value, Value::Number("-2.5e3".into()));
    for bad in [
        "",
        "{",
        "[1,]",
        "{\"a\" 1}",
        "\"\\ud800\"",
        "tru",
        "{} x",
        "\"a\u{1}\"",
        &"[".repeat(100),
    ] {
        assert!(parse(bad).is_err(), "{bad:?} should be rejected");
    }
}
