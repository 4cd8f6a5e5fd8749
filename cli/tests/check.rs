//! `akkoord check` as a site owner and CI run it: exit codes, `file:line: field: message`
//! lines, and the JSON report.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/configs")
}

fn sample(name: &str) -> String {
    samples().join(name).display().to_string()
}

fn akkoord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_akkoord"))
        .args(args)
        .output()
        .expect("run akkoord")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(output)).expect("one JSON object")
}

fn write_temp(name: &str, contents: &[u8]) -> String {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, contents).expect("write temp file");
    path.display().to_string()
}

#[test]
fn clean_config_passes_with_exit_0() {
    let file = sample("c25-cookie-statement.good.json");
    let out = akkoord(&["check", &file]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(stdout(&out), format!("{file}: ok\n"));
}

#[test]
fn the_demo_config_passes_without_errors() {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../www/demo/akkoord.json");
    let out = akkoord(&["check", "--format", "json", &file.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(json(&out)["errors"], serde_json::json!([]));
}

#[test]
fn c14_validation_error_names_file_line_and_field_with_exit_1() {
    let file = sample("c14-necessary-tracker.bad.json");
    let out = akkoord(&["check", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        format!(
            "{file}:9: services[1].purpose: \"necessary\" cannot hold the tracker \"meta-pixel\" (C-14)\n\
             {file}: 1 error, 0 warnings\n"
        )
    );
}

#[test]
fn c04_unknown_key_such_as_implied_consent_is_an_error() {
    let file = sample("c04-implied-consent.bad.json");
    let out = akkoord(&["check", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with(&format!("{file}:12: impliedConsent: unknown key\n")),
        "{}",
        stdout(&out)
    );
}

#[test]
fn c25_lint_error_without_a_line_exits_1() {
    let file = sample("c25-cookie-statement.bad.json");
    let out = akkoord(&["check", &file]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("{file}: cookieStatement: missing: ")),
        "{text}"
    );
    assert!(text.contains("(C-25)\n"), "{text}");
}

#[test]
fn c22_warning_is_shown_and_the_check_passes() {
    let file = sample("c22-cookie-days.bad.json");
    let out = akkoord(&["check", &file]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("{file}:6: warning: cookie.days: 365 days: ")),
        "{text}"
    );
    assert!(
        text.ends_with(&format!("(C-22)\n{file}: ok, 1 warning\n")),
        "{text}"
    );
}

#[test]
fn every_bad_sample_is_reported_and_every_good_one_is_clean() {
    let mut seen = 0;
    for entry in std::fs::read_dir(samples()).expect("samples") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if !name.ends_with(".json") {
            continue;
        }
        seen += 1;
        let out = akkoord(&["check", "--format", "json", &path.display().to_string()]);
        let report = json(&out);
        let problems = report["errors"].as_array().map_or(0, Vec::len)
            + report["warnings"].as_array().map_or(0, Vec::len);
        if name.ends_with(".good.json") {
            assert_eq!(out.status.code(), Some(0), "{name}: {report}");
            assert_eq!(problems, 0, "{name}: {report}");
        } else {
            assert!(problems > 0, "{name}: {report}");
            // The rule in the file name is the rule reported.
            let rule = name[..3]
                .to_uppercase()
                .replacen('C', "C-", 1)
                .replacen('S', "S-", 1);
            let all = [&report["errors"], &report["warnings"]];
            let cites = all
                .iter()
                .flat_map(|l| l.as_array().into_iter().flatten())
                .any(|p| {
                    p["rule"] == rule.as_str()
                        || p["message"].as_str().is_some_and(|m| m.contains(&rule))
                });
            // Unknown keys enforce no rule by name; C-04 shows as a plain validation error.
            assert!(
                cites || rule == "C-04",
                "{name} should cite {rule}: {report}"
            );
        }
    }
    assert_eq!(seen, 32);
}

#[test]
fn json_report_has_file_errors_and_warnings_with_lines_and_rules() {
    let file = sample("c09-steering.bad.json");
    let out = akkoord(&["check", "--format", "json", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        json(&out),
        serde_json::json!({
            "file": file,
            "errors": [{
                "line": 14,
                "path": "texts.nl.button.reject_all",
                "rule": "C-09",
                "message": "steering wording \"optimale ervaring\": use neutral labels such as \"accepteren\" and \"weigeren\"",
            }],
            "warnings": [],
        })
    );
    assert!(stdout(&out).starts_with("{\"file\":"), "file comes first");
}

#[test]
fn s01_warning_in_json_exits_0() {
    let out = akkoord(&["check", "--format", "json", &sample("s01-gpc.bad.json")]);
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(report["warnings"][0]["rule"], "S-01");
    assert_eq!(report["warnings"][0]["line"], 6);
}

#[test]
fn syntax_error_reports_its_line() {
    let file = write_temp(
        "syntax.json",
        b"{\n  \"revision\": 1,\n  \"controller\": \"x\",\n}\n",
    );
    let out = akkoord(&["check", &file]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("{file}:4: invalid JSON: ")),
        "{text}"
    );
}

#[test]
fn missing_file_exits_2_naming_it() {
    let out = akkoord(&["check", "does-not-exist.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("does-not-exist.json: cannot read"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn missing_file_in_json_mode_still_prints_a_report() {
    let out = akkoord(&["check", "--format", "json", "does-not-exist.json"]);
    assert_eq!(out.status.code(), Some(2));
    let report = json(&out);
    assert_eq!(report["file"], "does-not-exist.json");
    assert!(report["errors"][0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("cannot read")));
}

#[test]
fn directory_and_non_utf8_files_exit_2() {
    let out = akkoord(&["check", env!("CARGO_TARGET_TMPDIR")]);
    assert_eq!(out.status.code(), Some(2));
    let file = write_temp("latin1.json", b"{ \"controller\": \"Caf\xe9 B.V.\" }");
    let out = akkoord(&["check", &file]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not UTF-8"));
}

#[test]
fn reads_standard_input_for_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_akkoord"))
        .args(["check", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let config = std::fs::read(sample("c14-necessary-tracker.bad.json")).expect("sample");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), &config).expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("<stdin>:9: services[1].purpose: "));
}

#[test]
fn unknown_format_is_a_usage_error() {
    let out = akkoord(&["check", "--format", "xml", &sample("s01-gpc.good.json")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("xml"));
}
