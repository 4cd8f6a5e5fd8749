//! `akkoord statement`: the cookie statement (C-25) from the same config the banner reads.

use std::path::PathBuf;
use std::process::ExitCode;

use akkoord::statement::Statement;
use clap::ValueEnum;

use crate::check::{emit, load_config};

/// `akkoord statement`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The banner config, e.g. akkoord.json (`-` reads standard input).
    pub config: PathBuf,
    /// `html` (a fragment for the cookie-statement page) or `md` (Markdown).
    #[arg(long, value_enum, default_value_t = Format::Html)]
    pub format: Format,
    /// Language: nl, en, de or fr [default: the config's forced language, else nl].
    #[arg(long)]
    pub lang: Option<String>,
    /// Write the statement to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Output format of the statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// An HTML fragment, every config value escaped.
    Html,
    /// A Markdown document.
    #[value(alias = "markdown")]
    Md,
}

/// Run `akkoord statement`: exit 0 with the statement written, 1 when the config is invalid
/// or the language unavailable, 2 when the config cannot be read or the output written.
pub fn run(args: Args) -> ExitCode {
    let (_, config) = match load_config("statement", &args.config) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let lang = args
        .lang
        .unwrap_or_else(|| Statement::default_language(&config).to_string());
    let statement = match Statement::build(&config, &lang) {
        Ok(statement) => statement,
        Err(error) => {
            eprintln!("akkoord statement: --lang {lang}: {}", error.message());
            return ExitCode::from(1);
        }
    };
    let text = match args.format {
        Format::Html => statement.to_html(),
        Format::Md => statement.to_markdown(),
    };
    match &args.output {
        None => emit(&text),
        Some(path) => {
            if let Err(e) = std::fs::write(path, text) {
                eprintln!("akkoord statement: {}: cannot write: {e}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
