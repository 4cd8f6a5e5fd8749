//! `akkoord check`: the browser's validation plus the compliance lint, with every problem
//! pointing at the file, line and field.

use std::fmt::Write as _;
use std::io::{Read, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use akkoord::config::Config;
use akkoord::json;
use akkoord::lint::{self, Finding, Severity};
use akkoord::Error;
use clap::ValueEnum;
use serde::Serialize;

/// `akkoord check`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The banner config, e.g. akkoord.json (`-` reads standard input).
    pub config: PathBuf,
    /// `human` lines (file:line: field: message), or one `json` object for CI.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// How `akkoord check` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One line per problem, then a summary.
    Human,
    /// `{"file": …, "errors": […], "warnings": […]}`
    Json,
}

/// Exit status: the config passes (warnings allowed).
const OK: u8 = 0;
/// Exit status: validation or lint errors.
const INVALID: u8 = 1;
/// Exit status: the file cannot be read.
const UNREADABLE: u8 = 2;

/// A config file's name (as given) and text.
pub struct Source {
    /// The name to print: the path as given, or `<stdin>`.
    pub name: String,
    /// The whole text.
    pub text: String,
}

/// A config for a command that needs a valid one (`akkoord <command>`): read and parsed, or the
/// exit code after saying why on standard error: 2 when it cannot be read, 1 when it is
/// invalid, with one line per problem naming the file, line and field, as `akkoord check` does.
pub fn load_config(command: &str, path: &Path) -> Result<(Source, Config), ExitCode> {
    let source = read_source(path).map_err(|message| {
        eprintln!("akkoord {command}: {message}");
        ExitCode::from(UNREADABLE)
    })?;
    match Config::from_json(&source.text) {
        Ok(config) => Ok((source, config)),
        Err(errors) => {
            for error in &errors {
                eprintln!(
                    "{}",
                    Problem::from_error(&source.text, error).render(&source.name, false)
                );
            }
            eprintln!(
                "akkoord {command}: {} is not a valid config (run `akkoord check {}`)",
                source.name, source.name
            );
            Err(ExitCode::from(1))
        }
    }
}

/// Read a config file, or standard input for `-`.
pub fn read_source(path: &Path) -> Result<Source, String> {
    if path == Path::new("-") {
        let mut text = String::new();
        return match std::io::stdin().read_to_string(&mut text) {
            Ok(_) => Ok(Source {
                name: "<stdin>".to_string(),
                text,
            }),
            Err(e) => Err(format!("<stdin>: cannot read: {e}")),
        };
    }
    let name = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Source { name, text }),
            Err(e) => Err(format!(
                "{name}: cannot read: not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            )),
        },
        Err(e) => Err(format!("{name}: cannot read: {e}")),
    }
}

/// One problem to report, from validation or the lint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// 1-based line in the file, when it could be found.
    pub line: Option<u32>,
    /// Field path; empty for the document itself.
    pub path: String,
    /// Rule ID from REFERENCE.md, when the problem enforces one.
    pub rule: Option<&'static str>,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// A validation error, with the line of its field: the field itself when it is in the
    /// text, else where the error says it happened, else the closest enclosing field.
    pub fn from_error(text: &str, error: &Error) -> Problem {
        let path = error.path();
        let exact = if path.is_empty() {
            None
        } else {
            lint::line_of_path(text, path)
        };
        let line = exact
            .or_else(|| error.offset().map(|offset| json::line_of(text, offset)))
            .or_else(|| lint::nearest_line(text, path));
        Problem {
            line,
            path: path.to_string(),
            rule: lint::validation_rule(error),
            message: error.message().to_string(),
        }
    }

    fn from_finding(finding: &Finding) -> Problem {
        Problem {
            line: finding.line,
            path: finding.path.clone(),
            rule: Some(finding.rule),
            message: finding.message.clone(),
        }
    }

    /// `file:line: [warning: ]path: message (RULE)`; the line and the path are left out when
    /// unknown or empty.
    pub fn render(&self, file: &str, warning: bool) -> String {
        let mut out = String::from(file);
        if let Some(line) = self.line {
            let _ = write!(out, ":{line}");
        }
        out.push_str(": ");
        if warning {
            out.push_str("warning: ");
        }
        if !self.path.is_empty() {
            out.push_str(&self.path);
            out.push_str(": ");
        }
        out.push_str(&self.message);
        if let Some(rule) = self.rule {
            // Validation messages may already cite their rule.
            if !self.message.contains(rule) {
                let _ = write!(out, " ({rule})");
            }
        }
        out
    }
}

/// Validate and lint `text`: the errors and the warnings.
pub fn check(text: &str) -> (Vec<Problem>, Vec<Problem>) {
    match Config::from_json(text) {
        Err(errors) => (
            errors
                .iter()
                .map(|e| Problem::from_error(text, e))
                .collect(),
            Vec::new(),
        ),
        Ok(config) => {
            let findings = lint::lint(&config, text);
            let pick = |severity| {
                findings
                    .iter()
                    .filter(|f| f.severity == severity)
                    .map(Problem::from_finding)
                    .collect()
            };
            (pick(Severity::Error), pick(Severity::Warning))
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The `--format json` report; a struct so the keys keep this order.
#[derive(Serialize)]
struct Report<'a> {
    file: &'a str,
    errors: &'a [Problem],
    warnings: &'a [Problem],
}

fn report_json(file: &str, errors: &[Problem], warnings: &[Problem]) -> String {
    let report = Report {
        file,
        errors,
        warnings,
    };
    // Serializing strings, numbers and options cannot fail.
    serde_json::to_string(&report).unwrap_or_default() + "\n"
}

/// Write to standard output. A closed pipe (`akkoord check … | head`) ends the output
/// quietly instead of panicking.
pub fn emit(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Run `akkoord check`: exit 0 when the config passes (warnings are shown), 1 on errors,
/// 2 when the file cannot be read.
pub fn run(args: Args) -> ExitCode {
    let source = match read_source(&args.config) {
        Ok(source) => source,
        Err(message) => {
            if args.format == Format::Json {
                let problem = Problem {
                    line: None,
                    path: String::new(),
                    rule: None,
                    message: message.clone(),
                };
                emit(&report_json(
                    &args.config.display().to_string(),
                    &[problem],
                    &[],
                ));
            }
            eprintln!("akkoord check: {message}");
            return ExitCode::from(UNREADABLE);
        }
    };

    let (errors, warnings) = check(&source.text);
    match args.format {
        Format::Json => emit(&report_json(&source.name, &errors, &warnings)),
        Format::Human => {
            let mut out = String::new();
            for problem in &errors {
                out.push_str(&problem.render(&source.name, false));
                out.push('\n');
            }
            for problem in &warnings {
                out.push_str(&problem.render(&source.name, true));
                out.push('\n');
            }
            let summary = if errors.is_empty() {
                if warnings.is_empty() {
                    "ok".to_string()
                } else {
                    format!("ok, {}", plural(warnings.len(), "warning"))
                }
            } else {
                format!(
                    "{}, {}",
                    plural(errors.len(), "error"),
                    plural(warnings.len(), "warning")
                )
            };
            let _ = writeln!(out, "{}: {summary}", source.name);
            emit(&out);
        }
    }
    ExitCode::from(if errors.is_empty() { OK } else { INVALID })
}
