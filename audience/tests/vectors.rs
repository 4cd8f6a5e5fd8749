//! REFERENCE §4.1 test vectors, for every platform, through the normalization functions and
//! through the whole pipeline (CA-02, CA-06).

use std::io::Cursor;

use akkoord_audience::hashing::{sha256, to_hex};
use akkoord_audience::input::open_reader;
use akkoord_audience::normalize::{email_for, phone_digits, phone_for, Country, Platform};
use akkoord_audience::objections::ObjectionSet;
use akkoord_audience::{build, BuildOptions};

const TEST_EXAMPLE: &str = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b";
const TEST_USER: &str = "a97d7a4513204a9cc7cb2f11d72d41a59b18d1ba633d22e58d53c625518f5203";
const PHONE_DIGITS: &str = "e03d152bbe638d9fe7a04f9b88a67674bf15b73c0981755c16eb78d177721e03";
const PHONE_E164_PLUS: &str = "fab7be8a931d1088a82f6acf9e468aaf6a3accc07d5112ee5d6fca93281e1583";

fn hash_of(s: &str) -> String {
    to_hex(&sha256(s.as_bytes()))
}

fn nl() -> Option<Country> {
    Country::parse("NL")
}

/// The phone hash REFERENCE gives for 06-12345678 (NL) on each platform; `None` where the
/// platform's file carries no phone.
fn expected_phone(p: Platform) -> Option<&'static str> {
    match p {
        Platform::Meta | Platform::TikTok | Platform::Snap => Some(PHONE_DIGITS),
        Platform::Google => Some(PHONE_E164_PLUS),
        Platform::X | Platform::LinkedIn => None,
    }
}

#[test]
fn x_published_vector_adsapi() {
    assert_eq!(
        hash_of("adsapi"),
        "49e0be2aeccfb51a8dee4c945c8a70a9ac500cf6f5cb08112575f74db9b1470d"
    );
}

#[test]
fn email_vectors_every_platform() {
    for p in Platform::ALL {
        let e = email_for(p, " Test@Example.COM ").expect("valid");
        assert_eq!(e, "test@example.com", "{p}");
        assert_eq!(hash_of(&e), TEST_EXAMPLE, "{p}");
        let e = email_for(p, "test.user@example.com").expect("valid");
        assert_eq!(hash_of(&e), TEST_USER, "{p}");
    }
}

#[test]
fn phone_vectors_every_platform() {
    let digits = phone_digits("06-12345678", nl()).expect("valid");
    assert_eq!(digits, "31612345678");
    for p in Platform::ALL {
        let got = phone_for(p, &digits).map(|f| hash_of(&f));
        assert_eq!(got.as_deref(), expected_phone(p), "{p}");
    }
}

fn run(
    platform: Platform,
    csv: &str,
    objections: &ObjectionSet,
) -> (String, akkoord_audience::Report) {
    let opened = open_reader(
        Box::new(Cursor::new(csv.as_bytes().to_vec())),
        "customers.csv".into(),
        None,
    )
    .unwrap();
    let mut out = Vec::new();
    let mut opts = BuildOptions::new(platform);
    opts.country = nl();
    let report = build(opened, &mut out, "out.csv", objections, &opts).unwrap();
    (String::from_utf8(out).unwrap(), report)
}

#[test]
fn ca06_pipeline_output_per_platform() {
    let csv = "email,phone,status,optin\n Test@Example.COM ,06-12345678,klant,ja\ntest.user@example.com,,prospect,yes\n";
    let empty = ObjectionSet::from_hashes([]);
    for p in Platform::ALL {
        let (out, report) = run(p, csv, &empty);
        let layout = p.layout();
        let mut lines = out.lines();
        if let Some(h) = layout.header {
            assert_eq!(lines.next(), Some(h), "{p}");
        }
        let rows: Vec<&str> = lines.collect();
        let expected: Vec<String> = match expected_phone(p).filter(|_| layout.phone) {
            Some(ph) => vec![format!("{TEST_EXAMPLE},{ph}"), format!("{TEST_USER},")],
            None => vec![TEST_EXAMPLE.to_string(), TEST_USER.to_string()],
        };
        assert_eq!(rows, expected, "{p}");
        assert_eq!(report.counts.output, 2, "{p}");
    }
}

#[test]
fn google_gmail_dot_rule_only_for_google() {
    assert_eq!(
        email_for(Platform::Google, "Te.St@gmail.com").as_deref(),
        Some("test@gmail.com")
    );
    assert_eq!(
        email_for(Platform::Google, "te.st@googlemail.com").as_deref(),
        Some("test@googlemail.com")
    );
    for p in [
        Platform::Meta,
        Platform::X,
        Platform::LinkedIn,
        Platform::Snap,
    ] {
        assert_eq!(
            email_for(p, "Te.St@gmail.com").as_deref(),
            Some("te.st@gmail.com"),
            "{p}"
        );
    }
}

#[test]
fn tiktok_plus_rule() {
    assert_eq!(
        email_for(Platform::TikTok, "Test+Promo@Example.COM").as_deref(),
        Some("test@example.com")
    );
    assert_eq!(
        hash_of(&email_for(Platform::TikTok, "test+x@example.com").unwrap()),
        TEST_EXAMPLE
    );
}

#[test]
fn snap_phone_file_carries_the_reference_vector() {
    let csv = "email,phone,optin\n,06-12345678,ja\n";
    let opened = open_reader(
        Box::new(Cursor::new(csv.as_bytes().to_vec())),
        "c.csv".into(),
        None,
    )
    .unwrap();
    let mut out = Vec::new();
    let mut opts = BuildOptions::new(Platform::Snap);
    opts.country = nl();
    opts.identifier = akkoord_audience::Identifier::Phone;
    let report = build(
        opened,
        &mut out,
        "snap.csv",
        &ObjectionSet::from_hashes([]),
        &opts,
    )
    .unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), format!("{PHONE_DIGITS}\n"));
    assert_eq!(report.identifier, "phone");
}
