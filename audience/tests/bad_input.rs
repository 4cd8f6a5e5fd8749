//! Bad input: a clear error naming file and line, a non-zero exit, and no upload file left
//! behind (the output is written to a temporary file and renamed only on success).

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use akkoord_audience::input::MAX_LINE;
use akkoord_audience::objections::ObjectionSet;
use akkoord_audience::{build_files, BuildPaths, Platform};
use common::{opts, run_bytes};

fn err_of(bytes: &[u8]) -> String {
    run_bytes(bytes, &ObjectionSet::from_hashes([]), &opts(Platform::Meta))
        .unwrap_err()
        .to_string()
}

#[test]
fn missing_email_column() {
    let e = err_of(b"naam,telefoon\nJan,0612345678\n");
    assert!(e.starts_with("customers.csv:1: no e-mail column"), "{e}");
    assert!(!e.contains("0612345678"));
}

#[test]
fn empty_file() {
    let e = err_of(b"");
    assert_eq!(e, "customers.csv: empty file (no header row)");
}

#[test]
fn binary_garbage_names_the_line() {
    let mut bytes = b"email,optin\nsecret@example.com,ja\n".to_vec();
    bytes.extend_from_slice(&[
        0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff, 0xfe, b'\n',
    ]);
    let e = err_of(&bytes);
    assert!(e.starts_with("customers.csv:3: binary data"), "{e}");
    assert!(!e.contains("secret"));
}

#[test]
fn binary_header() {
    let e = err_of(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]);
    assert!(e.starts_with("customers.csv:1: "), "{e}");
}

#[test]
fn ten_megabyte_line() {
    let mut bytes = b"email,optin\na@example.com,ja\n".to_vec();
    bytes.extend(vec![b'x'; 10 * 1024 * 1024]);
    bytes.extend_from_slice(b"@example.com,ja\n");
    let e = err_of(&bytes);
    assert!(e.starts_with("customers.csv:3: line longer than"), "{e}");
    assert!(e.contains(&MAX_LINE.to_string()));
}

#[test]
fn long_quoted_record_over_many_lines() {
    let mut bytes = b"email,optin\n\"".to_vec();
    for _ in 0..(MAX_LINE / 100 + 10) {
        bytes.extend([b'y'; 120]);
        bytes.push(b'\n');
    }
    bytes.extend_from_slice(b"\",ja\n");
    let e = err_of(&bytes);
    assert!(e.starts_with("customers.csv:2: row longer than"), "{e}");
}

#[test]
fn ambiguous_map_name_is_an_error() {
    let mut o = opts(Platform::Meta);
    o.map = akkoord_audience::input::parse_map("email=Mail").unwrap();
    let e = run_bytes(
        b"email,optin\na@example.com,ja\n",
        &ObjectionSet::from_hashes([]),
        &o,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.starts_with("customers.csv:1: no column named \"Mail\""),
        "{e}"
    );
}

fn dir_entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A failure half-way through a large file leaves neither the upload file nor a temporary file,
/// and an upload file from an earlier run is left as it was.
#[test]
fn no_partial_output_on_failure() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("customers.csv");
    let objections = dir.path().join("objections.csv");
    let out = dir.path().join("meta-upload.csv");
    let mut csv = String::from("email,optin\n");
    for i in 0..50_000 {
        csv.push_str(&format!("person{i}@example.com,ja\n"));
    }
    csv.push_str("broken\0row,ja\n");
    fs::write(&input, csv).unwrap();
    fs::write(&objections, "email\n").unwrap();
    let paths = BuildPaths {
        input: input.clone(),
        objections: objections.clone(),
        out: out.clone(),
        report: None,
    };

    let err = build_files(&paths, &opts(Platform::Meta))
        .unwrap_err()
        .to_string();
    assert!(
        err.ends_with("customers.csv:50002: binary data (a NUL byte); this is not a text CSV file"),
        "{err}"
    );
    assert!(!out.exists());
    assert_eq!(
        dir_entries(dir.path()),
        vec!["customers.csv", "objections.csv"]
    );

    fs::write(&out, "previous upload\n").unwrap();
    assert!(build_files(&paths, &opts(Platform::Meta)).is_err());
    assert_eq!(fs::read_to_string(&out).unwrap(), "previous upload\n");
    assert_eq!(
        dir_entries(dir.path()),
        vec!["customers.csv", "meta-upload.csv", "objections.csv"]
    );
}

#[test]
fn output_written_on_success() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("c.csv");
    fs::write(&input, "email,optin\na@example.com,ja\n").unwrap();
    let objections = dir.path().join("o.txt");
    fs::write(&objections, "").unwrap();
    let out = dir.path().join("up.csv");
    let report = dir.path().join("report.json");
    let paths = BuildPaths {
        input,
        objections,
        out: out.clone(),
        report: Some(report.clone()),
    };
    build_files(&paths, &opts(Platform::Meta)).unwrap();
    assert_eq!(fs::read_to_string(&out).unwrap().lines().count(), 2);
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["counts"]["output"], 1);
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_akkoord-audience"))
}

#[test]
fn exit_codes_of_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("ok.csv"), "email,optin\nsomeone@example.com,ja\n").unwrap();
    fs::write(d.join("bad.csv"), "naam\nsomeone@example.com\n").unwrap();
    fs::write(d.join("obj.csv"), "email\n").unwrap();
    let run = |input: &str| {
        bin()
            .current_dir(d)
            .args([
                "build",
                "--platform",
                "meta",
                "--objections",
                "obj.csv",
                "--out",
                "up.csv",
                "--input",
                input,
            ])
            .output()
            .unwrap()
    };
    let ok = run("ok.csv");
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(d.join("up.csv").exists());
    fs::remove_file(d.join("up.csv")).unwrap();

    let bad = run("bad.csv");
    assert_eq!(bad.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("bad.csv:1: no e-mail column"), "{stderr}");
    assert!(!stderr.contains("someone"));
    assert!(!d.join("up.csv").exists());

    let missing = run("nope.csv");
    assert_eq!(missing.status.code(), Some(1));
    let usage = bin()
        .args(["build", "--platform", "myspace"])
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
}

/// Every kind of bad input ends the command with exit code 1, a `file:line:` message without
/// the file's contents, and no upload file.
#[test]
fn bad_inputs_exit_non_zero_without_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("obj.csv"), "email\n").unwrap();
    let mut long = b"email,optin\n".to_vec();
    long.extend(vec![b'z'; 10 * 1024 * 1024]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.csv", Vec::new(), "empty.csv: empty file"),
        (
            "garbage.csv",
            b"email\nzz@example.com\n\x00\x01\x02\xff\n".to_vec(),
            "garbage.csv:3: binary data",
        ),
        ("long.csv", long, "long.csv:2: line longer than"),
        (
            "nocol.csv",
            b"naam\nzz@example.com\n".to_vec(),
            "nocol.csv:1: no e-mail column",
        ),
    ];
    for (name, bytes, expected) in cases {
        fs::write(d.join(name), bytes).unwrap();
        let o = bin()
            .current_dir(d)
            .args([
                "build",
                "--platform",
                "google",
                "--objections",
                "obj.csv",
                "--out",
                "up.csv",
            ])
            .args(["--input", name])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{name}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(
            !stderr.contains("zz@") && !stderr.contains("zzzz"),
            "{name}: value leaked"
        );
        assert_eq!(
            dir_entries(d)
                .iter()
                .filter(|n| n.starts_with("up") || n.starts_with(".akkoord"))
                .count(),
            0
        );
    }
}
