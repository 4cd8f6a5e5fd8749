// Shared by the integration tests (each test file includes it with `mod common;`).
#![allow(dead_code)]

use std::io::Cursor;

use akkoord_audience::input::open_reader;
use akkoord_audience::objections::ObjectionSet;
use akkoord_audience::{build, BuildOptions, Country, Platform, Report, Result};

pub fn opts(platform: Platform) -> BuildOptions {
    let mut o = BuildOptions::new(platform);
    o.country = Country::parse("NL");
    o.threads = 2;
    o
}

/// Runs the pipeline on an in-memory CSV.
pub fn run_bytes(
    bytes: &[u8],
    objections: &ObjectionSet,
    opts: &BuildOptions,
) -> Result<(String, Report)> {
    let opened = open_reader(
        Box::new(Cursor::new(bytes.to_vec())),
        "customers.csv".into(),
        None,
    )?;
    let mut out = Vec::new();
    let report = build(opened, &mut out, "upload.csv", objections, opts)?;
    Ok((String::from_utf8(out).expect("output is ASCII"), report))
}

pub fn run_meta(csv: &str) -> (String, Report) {
    run_bytes(
        csv.as_bytes(),
        &ObjectionSet::from_hashes([]),
        &opts(Platform::Meta),
    )
    .expect("build")
}

/// Data lines of a Meta output (header dropped).
pub fn rows(out: &str) -> Vec<&str> {
    out.lines().skip(1).collect()
}
