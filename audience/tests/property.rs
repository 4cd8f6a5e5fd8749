//! Property tests (CA-04, CA-06): whatever the rows and the objection list, the upload file
//! holds only 64-hex cells (or an empty phone cell), never a plaintext identifier and never a
//! hash from the objection list; and the counts add up.

mod common;

use akkoord_audience::hashing::{is_lower_hex64, parse_hex};
use akkoord_audience::normalize::{email_canonical, phone_digits, Country};
use akkoord_audience::objections::{hashes_of, ObjectionSet};
use akkoord_audience::Platform;
use common::{opts, run_bytes};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Person {
    email: String,
    phone: String,
    customer: bool,
    optin: bool,
    objected: bool,
}

fn email() -> impl Strategy<Value = String> {
    // A small alphabet so duplicates and near-duplicates are common.
    (
        prop::sample::select(vec!["jan", "Jan", "j.an", "piet", "a+b", "x"]),
        0u8..20,
        prop::sample::select(vec![
            "example.com",
            "EXAMPLE.com",
            "gmail.com",
            "example.org",
            "bad",
            "",
        ]),
        prop::sample::select(vec!["", " ", "\t"]),
    )
        .prop_map(|(n, i, d, pad)| format!("{pad}{n}{i}@{d}{pad}"))
}

fn phone() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["06-", "+31 6 ", "0031 6", "", "6"]),
        10_000_000u32..10_000_100,
    )
        .prop_map(|(p, n)| {
            if p.is_empty() {
                String::new()
            } else {
                format!("{p}{}", n % 100_000_000)
            }
        })
}

fn person() -> impl Strategy<Value = Person> {
    (
        email(),
        phone(),
        any::<bool>(),
        any::<bool>(),
        prop::bool::weighted(0.3),
    )
        .prop_map(|(email, phone, customer, optin, objected)| Person {
            email,
            phone,
            customer,
            optin,
            objected,
        })
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn output_is_hashes_only_and_never_an_objection(
        people in prop::collection::vec(person(), 0..60),
        platform in prop::sample::select(Platform::ALL.to_vec()),
        allow in any::<bool>(),
        delimiter in prop::sample::select(vec![',', ';', '\t']),
        phone_file in any::<bool>(),
        imported_hashed in any::<bool>(),
    ) {
        let nl = Country::parse("NL");
        let d = delimiter;
        let mut csv = format!("email{d}phone{d}status{d}optin\n");
        for p in &people {
            csv.push_str(&format!(
                "{}{d}{}{d}{}{d}{}\n",
                quote(&p.email),
                quote(&p.phone),
                if p.customer { "klant" } else { "prospect" },
                if p.optin { "ja" } else { "nee" }
            ));
        }
        let objected: Vec<&Person> = people.iter().filter(|p| p.objected).collect();
        let values: Vec<_> = objected.iter().flat_map(|p| {
            let mut hs: Vec<_> = hashes_of(&p.email, nl).unwrap_or_default();
            hs.extend(hashes_of(&p.phone, nl).unwrap_or_default());
            hs
        }).collect();
        // Half the cases as a list hashed here (every form present), half as an imported hashed
        // list (the pipeline then checks every form itself).
        let list = if imported_hashed {
            ObjectionSet::from_hashes(values.iter().map(|(h, _)| *h))
        } else {
            ObjectionSet::from_values(&values)
        };
        let mut o = opts(platform);
        o.allow_customers_without_optin = allow;
        if platform == Platform::Snap && phone_file {
            o.identifier = akkoord_audience::Identifier::Phone;
        }
        let (out, report) = run_bytes(csv.as_bytes(), &list, &o).expect("build");

        let mut layout = platform.layout();
        if o.identifier == akkoord_audience::Identifier::Phone {
            layout.phone = false;
        }
        let mut lines = out.lines();
        if let Some(h) = layout.header {
            prop_assert_eq!(lines.next(), Some(h));
        }
        let mut data_rows = 0u64;
        for line in lines {
            data_rows += 1;
            let cells: Vec<&str> = line.split(',').collect();
            prop_assert_eq!(cells.len(), if layout.phone { 2 } else { 1 });
            prop_assert!(is_lower_hex64(cells[0]));
            for c in &cells {
                prop_assert!(c.is_empty() || is_lower_hex64(c), "cell {:?}", c);
                if let Some(h) = parse_hex(c) {
                    prop_assert!(!list.contains(&h), "objected hash in output");
                }
            }
        }
        for p in &people {
            for plain in [Some(p.email.trim().to_string()), email_canonical(&p.email), phone_digits(&p.phone, nl)]
                .into_iter()
                .flatten()
                .filter(|s| s.len() >= 3)
            {
                prop_assert!(!out.contains(&plain), "plaintext in output");
            }
        }
        let c = &report.counts;
        prop_assert_eq!(c.output, data_rows);
        prop_assert_eq!(c.input, people.len() as u64);
        prop_assert_eq!(c.input, c.invalid + c.suppressed + c.ineligible + c.duplicates + c.output);
    }
}
