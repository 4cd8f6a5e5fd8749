//! Advanced matching (P-07): identifiers reach a pixel only as normalised SHA-256 lowercase
//! hex, in the vendor's own keys, and only for services that ask for it. The hashes are the
//! REFERENCE.md §4.1 test vectors, computed there with `sha256sum`.
#![cfg(not(target_arch = "wasm32"))]

use akkoord::config::Config;
use akkoord::matching::{self, email_canonical, phone_digits, Identity};
use akkoord::services::{self, Code, Template, TEMPLATES};

const TEST_EMAIL_SHA: &str = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b";
const NL_MOBILE_SHA: &str = "e03d152bbe638d9fe7a04f9b88a67674bf15b73c0981755c16eb78d177721e03";
/// `+31612345678`, the E.164 form (REFERENCE's Google vector), which TikTok's pixel hashes.
const NL_MOBILE_E164_SHA: &str = "fab7be8a931d1088a82f6acf9e468aaf6a3accc07d5112ee5d6fca93281e1583";

fn t(id: &str) -> &'static Template {
    services::template(id).unwrap_or_else(|| panic!("template {id} is registered"))
}

fn code(t: &Template) -> &'static Code {
    t.code()
        .unwrap_or_else(|| panic!("template {} has its code", t.id))
}

fn identity() -> Identity {
    Identity::new(Some(" Test@Example.COM "), Some("+31 (0)6-1234 5678")).expect("usable")
}

/// What `{match}` turns a template's per-service script into, for the test identity.
fn rendered(template: &str) -> String {
    let t = t(template);
    matching::render(
        code(t).init,
        "ID",
        code(t).matching.as_ref(),
        Some(&identity()),
    )
}

#[test]
fn email_is_trimmed_and_lowercased_p07() {
    assert_eq!(
        email_canonical(" Test@Example.COM ").as_deref(),
        Some("test@example.com")
    );
    for bad in [
        "",
        "test",
        "@example.com",
        "test@",
        "test@example",
        "a b@example.com",
        "a@b@c.nl",
    ] {
        assert_eq!(email_canonical(bad), None, "{bad:?} is not an address");
    }
}

#[test]
fn phone_needs_its_country_code_p07() {
    for (raw, digits) in [
        ("+31 6 12345678", "31612345678"),
        ("+31 (0)6-1234 5678", "31612345678"),
        ("0031612345678", "31612345678"),
        ("+1 (657) 777-0000", "16577770000"),
    ] {
        assert_eq!(phone_digits(raw).as_deref(), Some(digits), "{raw}");
    }
    // A national number cannot be completed without guessing the country.
    for bad in [
        "06-12345678",
        "612345678",
        "+31 6 1234 ABCD",
        "+0612345678",
        "+3161",
        "",
    ] {
        assert_eq!(phone_digits(bad), None, "{bad:?}");
    }
}

#[test]
fn meta_init_carries_hashes_never_plaintext_p07() {
    let code = rendered("meta-pixel");
    let expected =
        format!("fbq('init','ID',{{\"em\":\"{TEST_EMAIL_SHA}\",\"ph\":\"{NL_MOBILE_SHA}\"}});");
    assert!(code.contains(&expected), "{code}");
    // P-03 still holds around it: revoke before init, grant after.
    let revoke = code.find("fbq('consent','revoke')").expect("revoke");
    let init = code.find("fbq('init'").expect("init");
    let grant = code.find("fbq('consent','grant')").expect("grant");
    assert!(revoke < init && init < grant, "{code}");
}

#[test]
fn tiktok_identifies_before_the_page_event_p07() {
    let code = rendered("tiktok-pixel");
    let identify = code
        .find(&format!(
            "ttq.identify({{\"email\":\"{TEST_EMAIL_SHA}\",\"phone_number\":\"{NL_MOBILE_E164_SHA}\"}})"
        ))
        .expect("identify with both hashes");
    assert!(code.find("ttq.holdConsent()").expect("hold") < identify);
    assert!(identify < code.find("ttq.page()").expect("page"));
}

#[test]
fn pinterest_takes_only_the_email_and_snap_its_hashed_keys_p07() {
    assert!(rendered("pinterest-tag").contains(&format!(
        "pintrk('load','ID',{{\"em\":\"{TEST_EMAIL_SHA}\"}})"
    )));
    assert!(rendered("snap-pixel").contains(&format!(
        "snaptr('init','ID',{{\"user_hashed_email\":\"{TEST_EMAIL_SHA}\",\"user_hashed_phone_number\":\"{NL_MOBILE_SHA}\"}})"
    )));
}

#[test]
fn without_identity_or_without_matching_the_snippet_is_the_plain_one() {
    for t in TEMPLATES {
        let plain = matching::render(code(t).init, "ID", code(t).matching.as_ref(), None);
        let unasked = matching::render(code(t).init, "ID", None, Some(&identity()));
        assert_eq!(plain, unasked, "{}", t.id);
        assert!(
            !plain.contains('{') || t.id == "microsoft-clarity",
            "{}: {plain}",
            t.id
        );
        assert!(!plain.contains(TEST_EMAIL_SHA), "{}", t.id);
    }
    assert!(rendered("meta-pixel").contains(TEST_EMAIL_SHA));
}

#[test]
fn every_rendered_snippet_is_free_of_plaintext_p07() {
    for t in TEMPLATES.iter().filter(|t| code(t).matching.is_some()) {
        let snippet = rendered(t.id);
        for plain in [
            "test@example.com",
            "Test@Example.COM",
            "31612345678",
            "12345678",
            "@",
        ] {
            assert!(!snippet.contains(plain), "{}: {plain} in {snippet}", t.id);
        }
        let late = code(t)
            .matching
            .as_ref()
            .and_then(|m| matching::late(m, "ID", &identity()))
            .unwrap_or_default();
        assert!(!late.contains('@') && !late.contains("12345678"), "{late}");
    }
}

#[test]
fn late_identify_uses_the_vendors_update_call() {
    let late = |id: &str| {
        code(t(id))
            .matching
            .as_ref()
            .and_then(|m| matching::late(m, "ID", &identity()))
    };
    assert_eq!(
        late("tiktok-pixel").as_deref(),
        Some(format!("ttq.identify({{\"email\":\"{TEST_EMAIL_SHA}\",\"phone_number\":\"{NL_MOBILE_E164_SHA}\"}});").as_str())
    );
    assert!(late("meta-pixel").is_some_and(|c| c.starts_with("fbq('init','ID',{")));
    // Pinterest and Snap read matching at initialisation only.
    assert_eq!(late("pinterest-tag"), None);
    assert_eq!(late("snap-pixel"), None);
}

#[test]
fn identify_errors_name_the_field_and_empty_means_nothing() {
    assert!(Identity::new(Some("nope"), None).is_err_and(|e| e.contains("email")));
    assert!(Identity::new(None, Some("06-12345678")).is_err_and(|e| e.contains("phone")));
    assert!(Identity::new(Some("  "), None).is_ok_and(|i| i.is_empty()));
    // An e-mail only identity gives Meta no `ph`.
    let only_email = Identity::new(Some("test@example.com"), None).expect("usable");
    let literal = only_email
        .literal(
            code(t("meta-pixel"))
                .matching
                .as_ref()
                .expect("meta matches"),
        )
        .expect("something to pass");
    assert_eq!(literal, format!("{{\"em\":\"{TEST_EMAIL_SHA}\"}}"));
}

fn config(extra: &str, template: &str, account: &str) -> Result<Config, Vec<String>> {
    let json = format!(
        r#"{{ "revision": 1, "controller": "Voorbeeld B.V.",
             "purposes": ["necessary", "marketing"],
             "services": [ {{ "id": "svc", "purpose": "marketing", "template": "{template}", {account}{extra} }} ] }}"#
    );
    Config::from_json(&json).map_err(|errs| errs.iter().map(ToString::to_string).collect())
}

#[test]
fn matching_is_opt_in_per_service() {
    let on = config(
        r#", "matching": true"#,
        "meta-pixel",
        r#""pixelId": "1234567890""#,
    )
    .expect("valid");
    assert!(on.services[0].matching);
    let off = config("", "meta-pixel", r#""pixelId": "1234567890""#).expect("valid");
    assert!(!off.services[0].matching);
}

#[test]
fn matching_on_a_vendor_without_it_is_an_error_naming_the_field() {
    let errors = config(
        r#", "matching": true"#,
        "linkedin-insight",
        r#""partnerId": "1234567""#,
    )
    .expect_err("LinkedIn's tag takes no identifiers");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("services[0].matching") && e.contains("P-07")),
        "{errors:?}"
    );
}

#[test]
fn matching_needs_the_marketing_purpose_p07() {
    let json = r#"{ "revision": 1, "controller": "Voorbeeld B.V.", "language": "nl",
        "purposes": ["necessary", "marketing", "retargeting"],
        "texts": { "nl": { "purpose.retargeting.title": "Retargeting", "purpose.retargeting.description": "Advertenties elders." } },
        "services": [ { "id": "meta", "purpose": "retargeting", "template": "meta-pixel", "pixelId": "1234567890", "matching": true } ] }"#;
    let errors: Vec<String> = Config::from_json(json)
        .expect_err("matching outside marketing")
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("services[0].matching: ") && errors[0].contains("marketing"),
        "{errors:?}"
    );
    assert!(Config::from_json(&json.replace(r#", "matching": true"#, "")).is_ok());
}
