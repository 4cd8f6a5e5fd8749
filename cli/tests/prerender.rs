//! `akkoord prerender`: the page with the banner in its HTML, as `akkoord serve` sends it.

use std::path::PathBuf;
use std::process::{Command, Output};

fn demo(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../www/demo")
        .join(name)
        .display()
        .to_string()
}

fn css() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../www/akkoord.css")
        .display()
        .to_string()
}

fn akkoord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_akkoord"))
        .args(args)
        .output()
        .expect("run akkoord")
}

#[test]
fn the_demo_page_gets_the_banner_after_body() {
    let out = akkoord(&[
        "prerender",
        &demo("index.html"),
        "--config",
        &demo("akkoord.json"),
        "--css",
        &css(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = String::from_utf8(out.stdout).expect("UTF-8");
    let body = page.find("<body>").expect("body");
    assert!(page[body..].starts_with("<body><div id=\"akkoord\" data-akkoord-markup=\""));
    assert!(page.contains("<template shadowrootmode=\"open\"><style>"));
    assert!(page.contains("Voorbeeld B.V."));
}

#[test]
fn an_invalid_config_gets_no_banner_and_exit_1() {
    let out = akkoord(&[
        "prerender",
        &demo("kapot.html"),
        "--config",
        &demo("kapot.json"),
        "--css",
        &css(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("kapot.html gets no banner"), "{err}");
}

#[test]
fn a_missing_file_is_named_with_exit_2() {
    let out = akkoord(&[
        "prerender",
        &demo("index.html"),
        "--config",
        "/nonexistent/akkoord.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/akkoord.json"), "{err}");
}
