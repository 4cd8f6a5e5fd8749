//! `akkoord statement`: the cookie statement (C-25) from a config, as HTML or Markdown.

mod common;

use std::path::PathBuf;

use common::{akkoord, repo_file, stderr, stdout};

fn demo() -> String {
    repo_file("www/demo/akkoord.json")
}

fn sample(name: &str) -> String {
    repo_file(&["examples/configs/", name].concat())
}

#[test]
fn html_is_the_default_and_dutch_is_the_default_language() {
    let out = akkoord(&["statement", &demo()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = stdout(&out);
    assert!(html.starts_with(
        "<section class=\"akkoord-statement\" lang=\"nl\">\n<h2>Cookieverklaring</h2>"
    ));
    assert!(html.contains("<h4>Meta Pixel</h4>"));
    assert!(html.contains("<tr><td><code>_ga</code></td><td>395 dagen</td>"));
    assert!(html.contains("<dt>Rechtsgrond</dt><dd>Toestemming</dd>"));
    assert!(html.contains("Rechtsgrond: Uitgezonderd (strikt noodzakelijk)"));
    assert!(html.contains("Hoe wijzig of trek ik mijn toestemming in?"));
}

#[test]
fn markdown_in_english() {
    let out = akkoord(&["statement", &demo(), "--format", "md", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(md.starts_with("# Cookie statement\n"));
    assert!(md.contains("### Google Analytics 4\n"));
    assert!(md.contains("- **Transfer outside the EEA:** yes"));
    assert!(md.contains("| `_fbp` | 90 days | first party (our domain) |"));
    assert!(md.contains("## How do I change or withdraw my consent?"));
}

#[test]
fn markdown_alias_and_forced_language_default() {
    let out = akkoord(&[
        "statement",
        &sample("c08-purpose-description.good.json"),
        "--format",
        "markdown",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(
        md.contains("## Personalisatie\n\nToont aanbevelingen"),
        "{md}"
    );
}

#[test]
fn unknown_language_exits_1_naming_the_available_ones() {
    let out = akkoord(&["statement", &demo(), "--lang", "xx"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("--lang xx: no cookie statement in \"xx\""),
        "{err}"
    );
    assert!(err.contains("available: nl, en"), "{err}");
}

#[test]
fn invalid_config_exits_1_with_the_check_lines() {
    let file = sample("c14-necessary-tracker.bad.json");
    let out = akkoord(&["statement", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).starts_with(&format!("{file}:9: services[1].purpose: ")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unreadable_config_exits_2() {
    let out = akkoord(&["statement", "does-not-exist.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does-not-exist.json: cannot read"));
}

#[test]
fn output_file_gets_the_statement() {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cookies.md");
    let _ = std::fs::remove_file(&path);
    let out = akkoord(&[
        "statement",
        &demo(),
        "--format",
        "md",
        "-o",
        &path.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&path).expect("written");
    assert!(written.starts_with("# Cookieverklaring\n"));
}

#[test]
fn unwritable_output_exits_2() {
    let dir = env!("CARGO_TARGET_TMPDIR");
    let out = akkoord(&["statement", &demo(), "-o", dir]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot write"), "{}", stderr(&out));
}

#[test]
fn existing_subcommands_are_still_there() {
    let out = akkoord(&["--help"]);
    let help = stdout(&out);
    for command in ["check", "statement", "serve", "audience"] {
        assert!(help.contains(command), "{help}");
    }
}
