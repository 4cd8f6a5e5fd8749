//! CA-02 invalid rows, CA-03 dedupe, CA-04 suppression, CA-05 eligibility, CA-07 run log.

mod common;

use akkoord_audience::hashing::{sha256, to_hex};
use akkoord_audience::normalize::Country;
use akkoord_audience::objections::{hashes_of, ObjectionSet};
use akkoord_audience::Platform;
use common::{opts, rows, run_bytes, run_meta};

fn h(s: &str) -> String {
    to_hex(&sha256(s.as_bytes()))
}

fn list(values: &[&str]) -> ObjectionSet {
    let hashes: Vec<_> = values
        .iter()
        .flat_map(|v| hashes_of(v, Country::parse("NL")).expect("valid"))
        .collect();
    let set = ObjectionSet::from_values(&hashes);
    assert!(set.all_forms);
    set
}

#[test]
fn ca02_invalid_rows_dropped_with_line_numbers() {
    let csv = "email,optin\n,ja\njan,ja\njan@,ja\nok@example.com,ja\n0612345678,ja\n";
    let (out, report) = run_meta(csv);
    assert_eq!(rows(&out).len(), 1);
    assert_eq!(report.counts.invalid, 4);
    let lines: Vec<u64> = report.invalid_lines.iter().map(|l| l.line).collect();
    assert_eq!(lines, vec![2, 3, 4, 6]);
}

#[test]
fn ca02_bad_phone_keeps_row_without_phone() {
    let (out, report) = run_meta("email,phone,optin\na@example.com,12,ja\n");
    assert_eq!(rows(&out), vec![format!("{},", h("a@example.com"))]);
    assert_eq!(report.counts.phone_invalid, 1);
    assert_eq!(report.phone_invalid_lines, vec![2]);
}

#[test]
fn ca03_two_spellings_one_row() {
    let csv = "email,optin\n Jan@Example.com,ja\njan@example.COM ,ja\nJAN@EXAMPLE.COM,ja\n";
    let (out, report) = run_meta(csv);
    assert_eq!(rows(&out).len(), 1);
    assert_eq!(report.counts.duplicates, 2);
}

#[test]
fn ca03_google_dedupes_gmail_dot_variants() {
    let csv = "email,optin\nj.doe@gmail.com,ja\njdoe@gmail.com,ja\n";
    let (out, _) = run_bytes(csv.as_bytes(), &list(&[]), &opts(Platform::Google)).unwrap();
    assert_eq!(rows(&out), vec![format!("{},", h("jdoe@gmail.com"))]);
    let (out, _) = run_meta(csv);
    assert_eq!(rows(&out).len(), 2, "Meta does not document the gmail rule");
}

#[test]
fn ca04_suppression_by_email_by_phone_and_by_any_spelling() {
    let csv = "email,phone,optin\n\
               bezwaar@example.com,,ja\n\
               other@example.com,06-99999999,ja\n\
               j.doe+ads@gmail.com,,ja\n\
               keep@example.com,06-11111111,ja\n";
    let objections = list(&["Bezwaar@Example.com", "+31 6 99999999", "jdoe@gmail.com"]);
    for p in Platform::ALL {
        let (out, report) = run_bytes(csv.as_bytes(), &objections, &opts(p)).unwrap();
        assert_eq!(report.counts.suppressed, 3, "{p}");
        assert_eq!(
            rows(&out).len() + usize::from(p.layout().header.is_none()),
            1,
            "{p}"
        );
        assert!(out.contains(&h("keep@example.com")), "{p}");
    }
}

#[test]
fn ca04_hashed_list_suppresses() {
    let objections =
        ObjectionSet::from_hashes([sha256(b"gone@example.com"), sha256(b"+31612345678")]);
    let csv = "email,phone,optin\ngone@example.com,,ja\nx@example.com,06-12345678,ja\ny@example.com,,ja\n";
    let (out, report) = run_bytes(csv.as_bytes(), &objections, &opts(Platform::Meta)).unwrap();
    assert_eq!(report.counts.suppressed, 2);
    assert_eq!(rows(&out), vec![format!("{},", h("y@example.com"))]);
}

#[test]
fn ca05_optin_required_for_everyone_by_default() {
    let csv = "email,status,optin\n\
               k1@example.com,klant,ja\n\
               k2@example.com,customer,nee\n\
               p1@example.com,prospect,yes\n\
               p2@example.com,prospect,\n\
               u@example.com,onbekend,\n";
    let (out, report) = run_meta(csv);
    assert_eq!(rows(&out).len(), 2);
    assert_eq!(report.counts.ineligible, 3);

    let mut o = opts(Platform::Meta);
    o.allow_customers_without_optin = true;
    let (out, report) = run_bytes(csv.as_bytes(), &list(&[]), &o).unwrap();
    assert_eq!(
        rows(&out).len(),
        3,
        "only the customer without opt-in is added"
    );
    assert!(out.contains(&h("k2@example.com")));
    assert_eq!(report.counts.ineligible, 2);
    assert!(report.policy.customers_without_optin);
}

#[test]
fn ca05_missing_status_column_means_prospect() {
    let mut o = opts(Platform::Meta);
    o.allow_customers_without_optin = true;
    let (out, report) = run_bytes(
        b"email,optin\na@example.com,nee\nb@example.com,ja\n",
        &list(&[]),
        &o,
    )
    .unwrap();
    assert_eq!(rows(&out).len(), 1);
    assert!(!report.policy.status_column);
    assert!(
        report.warnings.iter().any(|w| w.contains("prospect")),
        "{:?}",
        report.warnings
    );
}

#[test]
fn ca05_truthy_values() {
    for v in ["true", "YES", "ja", "1", "y", "J", " Ja "] {
        let (out, _) = run_meta(&format!("email,optin\na@example.com,{v}\n"));
        assert_eq!(rows(&out).len(), 1, "{v}");
    }
    for v in ["", "nee", "0", "no", "false", "misschien"] {
        let (out, _) = run_meta(&format!("email,optin\na@example.com,{v}\n"));
        assert_eq!(rows(&out).len(), 0, "{v}");
    }
}

#[test]
fn ca07_counts_add_up_and_log_holds_no_identifiers() {
    let csv = "email,phone,status,optin\n\
               a@example.com,06-12345678,klant,ja\n\
               A@example.com,,klant,ja\n\
               b@example.com,0612345679,prospect,nee\n\
               objected@example.com,,klant,ja\n\
               broken-address,0687654321,klant,ja\n";
    let (_, report) = run_bytes(
        csv.as_bytes(),
        &list(&["objected@example.com"]),
        &opts(Platform::Meta),
    )
    .unwrap();
    let c = &report.counts;
    assert_eq!(
        (
            c.input,
            c.invalid,
            c.suppressed,
            c.ineligible,
            c.duplicates,
            c.output
        ),
        (5, 1, 1, 1, 1, 1)
    );
    assert_eq!(
        c.input,
        c.invalid + c.suppressed + c.ineligible + c.duplicates + c.output
    );
    let log = format!("{}\n{}", report.to_json(), report.summary());
    for secret in [
        "example.com",
        "broken-address",
        "0612345679",
        "12345678",
        "87654321",
        "objected",
    ] {
        assert!(!log.contains(secret), "run log contains {secret}");
    }
    assert_eq!(report.objection_list.fingerprint.len(), 64);
    assert!(report.timestamp.ends_with('Z'));
}

#[test]
fn phone_identifier_for_snap_only() {
    let csv = "email,phone,optin\n\
               objected@example.com,06-11111111,ja\n\
               ,06-22222222,ja\n\
               bad-address,06-33333333,ja\n\
               a@example.com,,ja\n\
               b@example.com,12,ja\n\
               ,0622222222,ja\n";
    let mut o = opts(Platform::Snap);
    o.identifier = akkoord_audience::Identifier::Phone;
    let (out, report) = run_bytes(csv.as_bytes(), &list(&["objected@example.com"]), &o).unwrap();
    assert_eq!(out, format!("{}\n{}\n", h("31622222222"), h("31633333333")));
    let c = &report.counts;
    assert_eq!(
        (c.suppressed, c.invalid, c.duplicates, c.output),
        (1, 2, 1, 2)
    );
    assert!(report.summary().contains("(no usable phone number)"));

    for p in [Platform::Meta, Platform::X, Platform::LinkedIn] {
        let mut o = opts(p);
        o.identifier = akkoord_audience::Identifier::Phone;
        let e = run_bytes(csv.as_bytes(), &list(&[]), &o)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("--identifier phone is for snap"), "{e}");
    }
}
