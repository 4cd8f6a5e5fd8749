//! `akkoord audience …`: argument parsing and printing; the work is in the library modules.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::calendar::Day;
use crate::error::{Error, Result};
use crate::hashing::to_hex;
use crate::input::{parse_map, Field};
use crate::normalize::{Country, Platform};
use crate::objections::{hashes_of, import_list, Store};
use crate::pipeline::{build_files, BuildOptions, BuildPaths, Identifier};

/// `akkoord audience`
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build an upload file for one platform: normalize, SHA-256, remove objections, check opt-ins.
    Build(BuildArgs),
    /// Keep the objection list (recht-van-bezwaar-lijst), stored as SHA-256 hashes only.
    Objections(ObjectionsArgs),
    /// Write the "remove these users" file for objections added since a date.
    Removals(RemovalsArgs),
    /// Write a synthetic customer list (benchmarks and tests).
    #[command(hide = true)]
    Generate(GenerateArgs),
}

fn parse_platform(s: &str) -> std::result::Result<Platform, String> {
    s.parse()
}

fn parse_identifier(s: &str) -> std::result::Result<Identifier, String> {
    match s {
        "email" | "e-mail" => Ok(Identifier::Email),
        "phone" => Ok(Identifier::Phone),
        _ => Err("use email or phone".into()),
    }
}

fn parse_country(s: &str) -> std::result::Result<Country, String> {
    Country::parse(s).ok_or_else(|| {
        let known: Vec<&str> = Country::known_codes().collect();
        format!("unknown country code; known: {}", known.join(" "))
    })
}

fn parse_day(s: &str) -> std::result::Result<Day, String> {
    Day::parse(s).ok_or_else(|| "expected a date as YYYY-MM-DD".to_string())
}

fn parse_field_map(s: &str) -> std::result::Result<Vec<(Field, String)>, String> {
    parse_map(s)
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// meta, google, tiktok, x, linkedin or snap
    #[arg(long, value_parser = parse_platform)]
    pub platform: Platform,
    /// Customer CSV (comma, semicolon or tab; UTF-8 with or without BOM); `-` for stdin.
    #[arg(long)]
    pub input: PathBuf,
    /// The objection list: the store file, or a CSV / list of plaintext or hashed identifiers.
    #[arg(long)]
    pub objections: PathBuf,
    /// The upload file to write (replaced only when the run succeeds).
    #[arg(long)]
    pub out: PathBuf,
    /// Country for national phone numbers such as 06-12345678 (ISO code, e.g. NL).
    #[arg(long, value_parser = parse_country)]
    pub country: Option<Country>,
    /// What the file holds: email, or phone for a phone-number file (snap only; the other
    /// platforms take both in one file or e-mail only).
    #[arg(long, value_parser = parse_identifier, default_value = "email")]
    pub identifier: Identifier,
    /// Include customers (status customer/klant) without a custom-audience opt-in.
    #[arg(long)]
    pub allow_customers_without_optin: bool,
    /// Column names: email=E-mailadres,phone=Mobiel,status=Type,optin=CA,country=Land
    #[arg(long, value_parser = parse_field_map)]
    pub map: Option<Vec<(Field, String)>>,
    /// Also write the run log as JSON.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// No progress bar (it is shown only on a terminal anyway).
    #[arg(long, short)]
    pub quiet: bool,
    /// Worker threads (default: one per core).
    #[arg(long, default_value_t = 0, hide = true)]
    pub threads: usize,
}

#[derive(Debug, clap::Args)]
pub struct ObjectionsArgs {
    /// The list file.
    #[arg(long, global = true, default_value = "objections.txt")]
    pub store: PathBuf,
    #[command(subcommand)]
    pub command: ObjectionsCommand,
}

#[derive(Debug, Subcommand)]
pub enum ObjectionsCommand {
    /// Add e-mail addresses, phone numbers or hashes (from the arguments, or one per line on stdin).
    Add {
        values: Vec<String>,
        #[arg(long, value_parser = parse_country)]
        country: Option<Country>,
        /// The day the objection was made (default: today).
        #[arg(long, value_parser = parse_day)]
        date: Option<Day>,
    },
    /// Remove e-mail addresses, phone numbers or hashes (from the arguments, or stdin).
    Remove {
        values: Vec<String>,
        #[arg(long, value_parser = parse_country)]
        country: Option<Country>,
    },
    /// Print the stored hashes (optionally only those added since a date).
    List {
        #[arg(long, value_parser = parse_day)]
        since: Option<Day>,
    },
    /// Import a CSV or one-per-line file of plaintext or SHA-256 hashed identifiers.
    Import {
        file: PathBuf,
        #[arg(long, value_parser = parse_country)]
        country: Option<Country>,
        #[arg(long, value_parser = parse_day)]
        date: Option<Day>,
    },
}

#[derive(Debug, clap::Args)]
pub struct RemovalsArgs {
    /// Objections added on or after this day (YYYY-MM-DD), e.g. the day of the last upload.
    #[arg(long, value_parser = parse_day)]
    pub since: Day,
    #[arg(long, value_parser = parse_platform)]
    pub platform: Platform,
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long, default_value = "objections.txt")]
    pub store: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    #[arg(long)]
    pub rows: u64,
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long)]
    pub objections_out: Option<PathBuf>,
    /// Cycle through this many different people.
    #[arg(long)]
    pub distinct: Option<u64>,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

pub fn run(args: Args) -> ExitCode {
    match execute(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("akkoord audience: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a parsed command; the error is what `run` prints.
pub fn execute(args: Args) -> Result<()> {
    match args.command {
        Command::Build(b) => build(b),
        Command::Objections(o) => objections(o),
        Command::Removals(r) => {
            let s = crate::removals::write_removals(&r.store, r.since, r.platform, &r.out)?;
            println!(
                "{}: {} rows for {} ({} hashes added since {}; {} phone hashes left out: no phone column)",
                r.out.display(),
                s.rows,
                r.platform,
                s.entries,
                r.since,
                s.skipped_phone
            );
            Ok(())
        }
        Command::Generate(g) => crate::generate::generate(
            g.rows,
            g.distinct,
            g.seed,
            &g.out,
            g.objections_out.as_deref(),
        ),
    }
}

fn build(b: BuildArgs) -> Result<()> {
    let paths = BuildPaths {
        input: b.input,
        objections: b.objections,
        out: b.out,
        report: b.report,
    };
    let opts = BuildOptions {
        platform: b.platform,
        identifier: b.identifier,
        country: b.country,
        allow_customers_without_optin: b.allow_customers_without_optin,
        map: b.map.unwrap_or_default(),
        progress: !b.quiet && std::io::stderr().is_terminal(),
        threads: b.threads,
    };
    let report = build_files(&paths, &opts)?;
    print!("{}", report.summary());
    Ok(())
}

/// Values from the arguments, or else one per line from stdin (keeps addresses out of the shell
/// history and the process list).
fn values_or_stdin(values: Vec<String>) -> Result<Vec<String>> {
    if !values.is_empty() {
        return Ok(values);
    }
    let mut out = Vec::new();
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| Error::io("stdin", e))?;
        if !line.trim().is_empty() {
            out.push(line);
        }
    }
    Ok(out)
}

fn hashes_for_values(
    values: &[String],
    country: Option<Country>,
) -> Result<Vec<(crate::hashing::Hash, crate::objections::Kind)>> {
    let mut all = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let hs = hashes_of(v, country).ok_or_else(|| {
            Error::usage(format!(
                "value {} is not an e-mail address, a phone number{} or a SHA-256 hash",
                i + 1,
                if country.is_none() {
                    " (national numbers need --country)"
                } else {
                    ""
                }
            ))
        })?;
        all.extend(hs);
    }
    Ok(all)
}

fn objections(o: ObjectionsArgs) -> Result<()> {
    let path = &o.store;
    match o.command {
        ObjectionsCommand::Add {
            values,
            country,
            date,
        } => {
            let values = values_or_stdin(values)?;
            let hashes = hashes_for_values(&values, country)?;
            let mut store = Store::load_or_empty(path)?;
            let added = store.add(&hashes, date.unwrap_or_else(Day::today));
            store.save(path)?;
            println!(
                "{}: {} values, {} new hashes; {} hashes, fingerprint {}",
                path.display(),
                values.len(),
                added,
                store.entries.len(),
                to_hex(&store.fingerprint())
            );
        }
        ObjectionsCommand::Remove { values, country } => {
            let values = values_or_stdin(values)?;
            let hashes = hashes_for_values(&values, country)?;
            let mut store = Store::load(path)?;
            let removed = store.remove(&hashes);
            store.save(path)?;
            println!(
                "{}: {} hashes removed; {} hashes, fingerprint {}",
                path.display(),
                removed,
                store.entries.len(),
                to_hex(&store.fingerprint())
            );
        }
        ObjectionsCommand::List { since } => {
            let store = Store::load(path)?;
            let entries = store.since(since.unwrap_or(Day {
                year: 0,
                month: 1,
                day: 1,
            }));
            for e in &entries {
                println!("{} {} {}", to_hex(&e.hash), e.added, e.kind.name());
            }
            eprintln!(
                "{} hashes, fingerprint {}",
                store.entries.len(),
                to_hex(&store.fingerprint())
            );
        }
        ObjectionsCommand::Import {
            file,
            country,
            date,
        } => {
            let imported = import_list(&file, country)?;
            let mut store = Store::load_or_empty(path)?;
            let added = store.add(&imported.hashes, date.unwrap_or_else(Day::today));
            store.save(path)?;
            println!(
                "{}: {} values imported from {}, {} new hashes; {} hashes, fingerprint {}",
                path.display(),
                imported.values,
                file.display(),
                added,
                store.entries.len(),
                to_hex(&store.fingerprint())
            );
            if !imported.unreadable_lines.is_empty() {
                let lines: Vec<String> = imported
                    .unreadable_lines
                    .iter()
                    .take(50)
                    .map(u64::to_string)
                    .collect();
                eprintln!(
                    "warning: {} lines of {} could not be read (not an address, number or hash): lines {}",
                    imported.unreadable_lines.len(),
                    file.display(),
                    lines.join(", ")
                );
            }
        }
    }
    Ok(())
}
