//! Delimiters, BOM, quoting, header names and `--map` (CA-01 input rows).

mod common;

use akkoord_audience::hashing::{sha256, to_hex};
use akkoord_audience::input::{parse_map, Field};
use akkoord_audience::objections::ObjectionSet;
use akkoord_audience::Platform;
use common::{opts, rows, run_bytes, run_meta};

fn h(s: &str) -> String {
    to_hex(&sha256(s.as_bytes()))
}

#[test]
fn comma_semicolon_and_tab_give_the_same_output() {
    let comma = run_meta("email,phone,optin\nA@Example.com,06-12345678,ja\n").0;
    let semi = run_meta("email;phone;optin\nA@Example.com;06-12345678;ja\n").0;
    let tab = run_meta("email\tphone\toptin\nA@Example.com\t06-12345678\tja\n").0;
    assert_eq!(comma, semi);
    assert_eq!(comma, tab);
    assert_eq!(
        rows(&comma),
        vec![format!("{},{}", h("a@example.com"), h("31612345678"))]
    );
}

#[test]
fn utf8_bom_is_skipped_and_reported() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice("E-mailadres;Opt-in\nb@example.com;ja\n".as_bytes());
    let (out, report) = run_bytes(
        &bytes,
        &ObjectionSet::from_hashes([]),
        &opts(Platform::Meta),
    )
    .unwrap();
    assert!(report.input.bom);
    assert_eq!(report.input.delimiter, "semicolon");
    assert_eq!(
        report.input.columns.get("email").map(String::as_str),
        Some("E-mailadres")
    );
    assert_eq!(rows(&out), vec![format!("{},", h("b@example.com"))]);
}

#[test]
fn utf16_is_refused_with_advice() {
    let bytes = [0xFF, 0xFE, b'e', 0, b'm', 0];
    let err = run_bytes(
        &bytes,
        &ObjectionSet::from_hashes([]),
        &opts(Platform::Meta),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("customers.csv") && err.contains("UTF-8"),
        "{err}"
    );
}

#[test]
fn quoted_cells_with_delimiters_quotes_and_newlines() {
    let csv = "naam,email,optin\n\"Vries, Jan \"\"JJ\"\" de\",jan@example.com,ja\n\"twee\nregels\",piet@example.com,ja\n";
    let (out, report) = run_meta(csv);
    assert_eq!(
        rows(&out),
        vec![
            format!("{},", h("jan@example.com")),
            format!("{},", h("piet@example.com"))
        ]
    );
    assert_eq!(report.counts.input, 2);
}

#[test]
fn quoted_semicolon_file_as_excel_writes_it() {
    let csv =
        "\"E-mail\";\"Telefoon\";\"Toestemming\"\r\n\"jan@example.com\";\"06-12345678\";\"Ja\"\r\n";
    let (out, _) = run_meta(csv);
    assert_eq!(
        rows(&out),
        vec![format!("{},{}", h("jan@example.com"), h("31612345678"))]
    );
}

#[test]
fn crlf_line_numbers_point_at_the_right_line() {
    let csv = "email,optin\r\nok@example.com,ja\r\nnot-an-address,ja\r\n\"multi\nline\",ja\r\nbad2,ja\r\n";
    let (_, report) = run_meta(csv);
    let lines: Vec<u64> = report.invalid_lines.iter().map(|l| l.line).collect();
    assert_eq!(lines, vec![3, 4, 6]);
}

#[test]
fn short_rows_read_missing_cells_as_empty() {
    let (out, report) = run_meta("optin,email,phone\nja,a@example.com\nja\n");
    assert_eq!(rows(&out).len(), 1);
    assert_eq!(report.counts.invalid, 1);
}

#[test]
fn map_overrides_header_names() {
    let csv = "Col1,Col2,Col3\nx@example.com,0612345678,1\n";
    let mut o = opts(Platform::Meta);
    o.map = parse_map("email=Col1,phone=Col2,optin=Col3").unwrap();
    let (out, report) = run_bytes(csv.as_bytes(), &ObjectionSet::from_hashes([]), &o).unwrap();
    assert_eq!(
        rows(&out),
        vec![format!("{},{}", h("x@example.com"), h("31612345678"))]
    );
    assert_eq!(
        report.input.columns.get("phone").map(String::as_str),
        Some("Col2")
    );
    assert_eq!(o.map[0].0, Field::Email);
}

#[test]
fn row_country_column_wins_over_default() {
    let csv = "email,phone,land,optin\na@example.com,0470 12 34 56,BE,ja\nb@example.com,06-12345678,,ja\n";
    let (out, _) = run_meta(csv);
    assert_eq!(
        rows(&out),
        vec![
            format!("{},{}", h("a@example.com"), h("32470123456")),
            format!("{},{}", h("b@example.com"), h("31612345678"))
        ]
    );
}
