//! Decisions: prompts, actions, transitions, Consent Mode.
#![cfg(not(target_arch = "wasm32"))]

use akkoord::config::Config;
use akkoord::decide::{self, Action, Stored};
use akkoord::{record, Method};

const NOW: u64 = 1_800_000_000;
const DAY: u64 = 86_400;

fn config(revision: u32) -> Config {
    Config::from_json(&format!(
        r#"{{ "revision": {revision}, "controller": "Voorbeeld B.V.",
             "purposes": ["necessary", "functional", "analytics", "marketing"],
             "services": [
               {{ "id": "ga4", "template": "google-analytics", "purpose": "analytics", "measurementId": "G-TEST123" }},
               {{ "id": "meta", "template": "meta-pixel", "purpose": "marketing", "pixelId": "1234567890" }}
             ] }}"#
    ))
    .expect("valid")
}

fn id() -> String {
    record::consent_id(&[3; 16])
}

fn cookie_for(action: Action, at: u64, gpc: bool) -> String {
    let consent = decide::decide(&config(1), &action, gpc, at, id());
    format!("other=1; akkoord={}; x=y", record::encode(&consent))
}

#[test]
fn first_visit_prompts_and_nothing_is_allowed_c01() {
    let c = config(1);
    let stored = decide::evaluate(&c, "", NOW);
    assert_eq!(stored, Stored::Missing);
    assert!(stored.needs_prompt());
    for name in ["analytics", "marketing", "functional", "meta", "ga4"] {
        assert!(
            !decide::allowed(&c, stored.valid(), name),
            "{name} allowed before a decision"
        );
    }
    assert!(decide::allowed(&c, None, "necessary"));
}

#[test]
fn accept_all_grants_every_purpose() {
    let c = config(1);
    let stored = decide::evaluate(&c, &cookie_for(Action::AcceptAll, NOW, false), NOW + 10);
    let consent = stored.valid().expect("valid");
    assert_eq!(consent.method, Method::AcceptAll);
    assert!(decide::allowed(&c, Some(consent), "meta"));
    assert!(decide::allowed(&c, Some(consent), "ga4"));
}

#[test]
fn reject_all_is_remembered_c22() {
    let c = config(1);
    let stored = decide::evaluate(
        &c,
        &cookie_for(Action::RejectAll, NOW, false),
        NOW + 170 * DAY,
    );
    assert!(
        !stored.needs_prompt(),
        "a refusal must not re-prompt within the lifetime"
    );
    let consent = stored.valid().expect("valid");
    assert_eq!(consent.method, Method::RejectAll);
    assert!(consent.granted.is_empty());
    assert_eq!(consent.denied, ["functional", "analytics", "marketing"]);
}

#[test]
fn save_with_untouched_toggles_denies_everything_c16() {
    let c = config(1);
    let toggles = decide::initial_toggles(&c, None);
    let consent = decide::decide(&c, &Action::Save(toggles), false, NOW, id());
    assert!(consent.granted.is_empty());
    assert_eq!(consent.method, Method::Custom);
}

#[test]
fn toggles_start_off_c13_and_show_stored_state_c19() {
    let c = config(1);
    let fresh = decide::initial_toggles(&c, None);
    assert_eq!(
        fresh[0],
        ("necessary".to_string(), true),
        "C-14: necessary on"
    );
    assert!(fresh[1..].iter().all(|(_, on)| !on), "C-13: {fresh:?}");

    let consent = decide::decide(
        &c,
        &Action::Save(vec![("marketing".into(), true)]),
        false,
        NOW,
        id(),
    );
    let reopened = decide::initial_toggles(&c, Some(&consent));
    assert!(reopened.contains(&("marketing".to_string(), true)));
    assert!(reopened.contains(&("analytics".to_string(), false)));
}

#[test]
fn custom_choice_grants_only_chosen_purposes() {
    let c = config(1);
    let consent = decide::decide(
        &c,
        &Action::Save(vec![
            ("marketing".into(), true),
            ("analytics".into(), false),
            ("bogus".into(), true),
        ]),
        false,
        NOW,
        id(),
    );
    assert_eq!(consent.granted, ["marketing"]);
    assert!(decide::allowed(&c, Some(&consent), "meta"));
    assert!(!decide::allowed(&c, Some(&consent), "ga4"));
    assert!(!decide::allowed(&c, Some(&consent), "bogus"));
}

#[test]
fn revision_bump_prompts_c22() {
    let cookie = cookie_for(Action::AcceptAll, NOW, false);
    let stored = decide::evaluate(&config(2), &cookie, NOW + 1);
    assert!(matches!(stored, Stored::OutdatedRevision(_)));
    assert!(stored.needs_prompt());
    assert!(
        !decide::allowed(&config(2), stored.valid(), "marketing"),
        "an outdated consent must not run anything"
    );
}

#[test]
fn expired_record_prompts() {
    let c = config(1);
    let cookie = cookie_for(Action::AcceptAll, NOW, false);
    assert!(!decide::evaluate(&c, &cookie, NOW + 181 * DAY).needs_prompt());
    assert!(matches!(
        decide::evaluate(&c, &cookie, NOW + 182 * DAY),
        Stored::Expired(_)
    ));
}

#[test]
fn record_from_the_future_prompts() {
    let cookie = cookie_for(Action::AcceptAll, NOW + 10 * DAY, false);
    assert!(matches!(
        decide::evaluate(&config(1), &cookie, NOW),
        Stored::Expired(_)
    ));
}

#[test]
fn corrupt_cookie_prompts_and_never_grants() {
    let c = config(1);
    for value in [
        "garbage",
        "1.1.x.a.aaaaaaaaaaaaaaaa.marketing.",
        "2.1.1.a.aaaaaaaaaaaaaaaa..",
        "1.1.1.a.AAAA..",
        "",
        "1.1.1.a.aaaaaaaaaaaaaaaa.marketing.marketing",
    ] {
        let stored = decide::evaluate(&c, &format!("akkoord={value}"), NOW);
        assert_eq!(stored, Stored::Unreadable, "{value:?}");
        assert!(!decide::allowed(&c, stored.valid(), "marketing"));
    }
}

#[test]
fn gpc_preset_records_method_gpc_s01() {
    let c = config(1);
    let consent = decide::decide(
        &c,
        &Action::Save(vec![("analytics".into(), true)]),
        true,
        NOW,
        id(),
    );
    assert_eq!(consent.method, Method::Gpc);
    assert!(!consent.allows("marketing"));
}

#[test]
fn explicit_opt_in_overrides_gpc_s02() {
    let c = config(1);
    let consent = decide::decide(
        &c,
        &Action::Save(vec![("marketing".into(), true)]),
        true,
        NOW,
        id(),
    );
    assert_eq!(consent.method, Method::Custom);
    assert!(consent.allows("marketing"));
}

#[test]
fn gpc_ignored_when_config_opts_out() {
    let c = Config::from_json(
        r#"{ "revision": 1, "controller": "X", "purposes": ["marketing"], "gpc": false }"#,
    )
    .expect("valid");
    let consent = decide::decide(&c, &Action::Save(vec![]), true, NOW, id());
    assert_eq!(consent.method, Method::Custom);
}

#[test]
fn withdrawal_transition_lists_withdrawn_purposes_c21() {
    let c = config(1);
    let before = decide::decide(&c, &Action::AcceptAll, false, NOW, id());
    let after = decide::decide(
        &c,
        &Action::Save(vec![("analytics".into(), true)]),
        false,
        NOW + 5,
        id(),
    );
    let t = decide::transition(Some(&before), &after);
    assert!(t.activate.is_empty());
    assert_eq!(t.withdraw, ["functional", "marketing"]);

    let first = decide::transition(None, &before);
    assert_eq!(first.activate, ["functional", "analytics", "marketing"]);
    assert!(first.withdraw.is_empty());
}

#[test]
fn consent_mode_maps_purposes_g08() {
    let c = config(1);
    let none = decide::consent_mode(None);
    assert!(
        none.iter().all(|(k, on)| (*k == "security_storage") == *on),
        "{none:?}"
    );
    let consent = decide::decide(
        &c,
        &Action::Save(vec![("analytics".into(), true)]),
        false,
        NOW,
        id(),
    );
    let mode = decide::consent_mode(Some(&consent));
    assert_eq!(mode.len(), 7, "G-08: every key");
    let get = |k: &str| mode.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
    assert_eq!(get("analytics_storage"), Some(true));
    assert_eq!(get("ad_storage"), Some(false));
    assert_eq!(get("ad_user_data"), Some(false));
    assert_eq!(get("ad_personalization"), Some(false));
}

#[test]
fn a_single_service_can_be_granted_under_a_denied_purpose() {
    let c = config(1);
    let consent = decide::decide(
        &c,
        &Action::Save(vec![("meta".into(), true), ("marketing".into(), false)]),
        false,
        NOW,
        id(),
    );
    assert_eq!(consent.granted, ["meta"]);
    assert!(decide::allowed(&c, Some(&consent), "meta"));
    assert!(
        !decide::allowed(&c, Some(&consent), "marketing"),
        "the purpose stays denied"
    );
    assert!(
        !decide::consent_mode(Some(&consent))
            .iter()
            .any(|(k, on)| k.starts_with("ad_") && *on),
        "Consent Mode follows purposes only"
    );
    // The choice survives the cookie round trip and shows in the reopened preferences (C-19).
    let back = record::decode(&record::encode(&consent)).expect("decodes");
    assert_eq!(back, consent);
    let toggles = decide::initial_toggles(&c, Some(&back));
    assert!(toggles.contains(&("meta".to_string(), true)));
    assert!(toggles.contains(&("ga4".to_string(), false)));
    // Rejecting all drops it too.
    let rejected = decide::decide(&c, &Action::RejectAll, false, NOW, id());
    assert!(!decide::allowed(&c, Some(&rejected), "meta"));
}

#[test]
fn service_grant_under_gpc_is_an_explicit_opt_in_s02() {
    let c = config(1);
    let consent = decide::decide(
        &c,
        &Action::Save(vec![("meta".into(), true)]),
        true,
        NOW,
        id(),
    );
    assert_eq!(consent.method, Method::Custom);
}
