//! The consent cookie: round trip (property test) and the documented format.
#![cfg(not(target_arch = "wasm32"))]

use akkoord::consent::{Consent, Method};
use akkoord::record;
use proptest::prelude::*;

fn purpose_id() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_-]{0,31}".prop_filter("necessary is never stored", |p| p != "necessary")
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::AcceptAll),
        Just(Method::RejectAll),
        Just(Method::Custom),
        Just(Method::Gpc)
    ]
}

proptest! {
    #[test]
    fn encode_decode_round_trips(
        revision in any::<u32>(),
        decided_at in any::<u64>(),
        method in method(),
        random in any::<[u8; 16]>(),
        purposes in proptest::collection::btree_set(purpose_id(), 0..8),
        split in any::<prop::sample::Index>(),
    ) {
        let purposes: Vec<String> = purposes.into_iter().collect();
        let cut = if purposes.is_empty() { 0 } else { split.index(purposes.len() + 1) };
        let consent = Consent {
            revision,
            decided_at,
            method,
            id: record::consent_id(&random),
            granted: purposes[..cut].to_vec(),
            denied: purposes[cut..].to_vec(),
        };
        let value = record::encode(&consent);
        // Nothing a cookie value would need to escape (C-24: plain, short, no identifiers).
        prop_assert!(value.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-+".contains(&b)), "{}", value);
        prop_assert_eq!(record::decode(&value), Ok(consent));
    }

    #[test]
    fn decode_never_panics(value in "\\PC{0,80}") {
        let _ = record::decode(&value);
    }
}

#[test]
fn documented_example_decodes() {
    let consent =
        record::decode("1.3.1795459200.c.k3j4h5g6a1b2c3d4.analytics.marketing+functional")
            .expect("valid");
    assert_eq!(consent.revision, 3);
    assert_eq!(consent.decided_at, 1_795_459_200);
    assert_eq!(consent.method, Method::Custom);
    assert_eq!(consent.granted, ["analytics"]);
    assert_eq!(consent.denied, ["marketing", "functional"]);
}

#[test]
fn holds_nothing_but_the_decision_c24() {
    let consent =
        record::decode("1.1.1795459200.a.aaaaaaaaaaaaaaaa.analytics+marketing.").expect("valid");
    let encoded = record::encode(&consent);
    assert_eq!(encoded.split('.').count(), 7);
}

#[test]
fn finds_cookie_among_others() {
    assert_eq!(
        record::find_cookie("a=1; akkoord=xyz; b=2", "akkoord"),
        Some("xyz")
    );
    assert_eq!(record::find_cookie("xakkoord=1", "akkoord"), None);
}
