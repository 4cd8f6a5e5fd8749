//! `akkoord prerender`: the page with the banner in its HTML, as `akkoord serve` sends it.

mod common;

use common::{akkoord, repo_file, stderr, stdout};

fn demo(name: &str) -> String {
    repo_file(&["www/demo/", name].concat())
}

fn css() -> String {
    repo_file("www/akkoord.css")
}

/// `akkoord prerender [flags] <page> --config <demo config> --css <stylesheet>`.
fn prerender(page: &str, flags: &[&str]) -> std::process::Output {
    let (config, css) = (demo("akkoord.json"), css());
    let mut args = vec!["prerender"];
    args.extend_from_slice(flags);
    args.extend([page, "--config", &config, "--css", &css]);
    akkoord(&args)
}

/// [`prerender`] on the demo's index.html.
fn prerender_demo(flags: &[&str]) -> std::process::Output {
    prerender(&demo("index.html"), flags)
}

/// [`prerender`] on `html`, written to an `index.html` of its own for the run.
fn prerender_html(html: &[u8], flags: &[&str]) -> std::process::Output {
    let dir = std::env::temp_dir().join(format!(
        "akkoord-prerender-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let page = dir.join("index.html");
    std::fs::write(&page, html).expect("page written");
    let out = prerender(page.to_str().expect("utf-8 path"), flags);
    std::fs::remove_dir_all(&dir).ok();
    out
}

#[test]
fn the_demo_page_gets_the_banner_after_body() {
    let out = prerender_demo(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = stdout(&out);
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
    let err = stderr(&out);
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
    let err = stderr(&out);
    assert!(err.contains("/nonexistent/akkoord.json"), "{err}");
}

#[test]
fn static_gives_every_visitor_the_banner_and_names_the_csp_hashes() {
    let out = prerender_demo(&["--static"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = stdout(&out);
    let guard = page
        .find("<script>!function(){try{var d=document")
        .expect("guard");
    assert!(page[guard..].contains("</style><script src=\"/akkoord/akkoord.js\""));
    let body = page.find("<body>").expect("body");
    assert!(body > guard);
    assert!(page[body..].starts_with("<body><div id=\"akkoord\" data-akkoord-markup=\""));
    let err = stderr(&out);
    assert!(
        err.contains("script-src 'sha256-") && err.contains("style-src 'sha256-"),
        "{err}"
    );
}

#[test]
fn a_page_that_already_has_the_banner_is_named_with_exit_1() {
    let first = prerender_demo(&["--static"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let again = prerender_html(&first.stdout, &["--static"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(again.stdout.is_empty());
    let err = stderr(&again);
    assert!(
        err.contains("index.html already has a rendered banner"),
        "{err}"
    );
}

#[test]
fn static_names_a_page_without_a_settled_language() {
    let html = std::fs::read_to_string(demo("index.html"))
        .expect("demo page")
        .replacen(" lang=\"nl\"", "", 1);
    let out = prerender_html(html.as_bytes(), &["--static"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("has no <html lang> in the config's languages"),
        "{err}"
    );
    // The demo page names its language: no such line.
    let demo_page = prerender_demo(&["--static"]);
    assert!(!stderr(&demo_page).contains("<html lang>"));
}
