//! `akkoord snippet`: the `<head>` lines for a page that has no banner in its HTML and no build
//! step to put one there, from the banner config (server/src/prerender.rs, `snippet`). They
//! put the banner into the first paint for a visitor who has to be asked, and preload what
//! each visitor's loader is about to fetch, chosen by the cookie: the first visit's module, or
//! the full module and the vendor scripts a valid stored grant will run.

use std::path::PathBuf;
use std::process::ExitCode;

use akkoord_server::prerender::{csp_hash, snippet, ConfigSource, SnippetBanner};

use crate::check::{emit, load_config};

/// `akkoord snippet`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The banner config, e.g. public/akkoord.json (`-` reads standard input).
    pub config: PathBuf,
    /// The URL the page loads the loader from.
    #[arg(long, default_value = "/akkoord/akkoord.js")]
    pub src: String,
    /// The URL the page serves the config at.
    #[arg(long, default_value = "/akkoord.json", conflicts_with = "inline")]
    pub config_url: String,
    /// Put the config into the page instead (saves its request; every page carries it).
    #[arg(long)]
    pub inline: bool,
    /// Leave the banner out of the lines: the module builds it once it runs.
    #[arg(long)]
    pub no_banner: bool,
    /// The banner's language in the lines [default: the config's forced language, else its
    /// first]. Where the module chooses another (by <html lang>, else the browser's), the
    /// module builds the banner instead.
    #[arg(long)]
    pub lang: Option<String>,
    /// The banner's stylesheet.
    #[arg(long, default_value = "dist/akkoord.css")]
    pub css: PathBuf,
    /// Write the lines to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Run `akkoord snippet`: exit 0 with the lines written, 1 when the config is invalid, `--lang`
/// is not one of its languages or a URL cannot go into the page as it is, 2 when the config or
/// the stylesheet cannot be read or the output written.
pub fn run(args: Args) -> ExitCode {
    let (source, config) = match load_config("snippet", &args.config) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let from = if args.inline {
        ConfigSource::Inline
    } else {
        ConfigSource::Url(&args.config_url)
    };
    let css = if args.no_banner {
        String::new()
    } else {
        match std::fs::read_to_string(&args.css) {
            Ok(css) => css,
            Err(e) => {
                eprintln!(
                    "akkoord snippet: cannot read the stylesheet {}: {e} (or leave the banner out with --no-banner)",
                    args.css.display()
                );
                return ExitCode::from(2);
            }
        }
    };
    let lang = args.lang.clone().unwrap_or_else(|| {
        config
            .language
            .clone()
            .or_else(|| config.languages().into_iter().next())
            .unwrap_or_else(|| "nl".to_string())
    });
    let banner = (!args.no_banner).then_some(SnippetBanner {
        css: &css,
        lang: &lang,
    });
    let lines = match snippet(&source.text, &config, &args.src, from, banner) {
        Ok(lines) => lines,
        Err(message) => {
            eprintln!("akkoord snippet: {message}");
            return ExitCode::from(1);
        }
    };
    if !args.no_banner {
        eprintln!(
            "akkoord snippet: the banner in these lines is in \"{lang}\": where the module chooses another language (by <html lang>, else the browser's), it builds that banner a moment later"
        );
    }
    eprintln!(
        "akkoord snippet: revision {} of {}: paste these lines into <head> before any other script, and again when the config or Akkoord changes (older lines preload no vendor script for a newer revision, and their banner is replaced by the module's); a Content-Security-Policy without 'unsafe-inline' needs script-src {}",
        config.revision,
        source.name,
        csp_hash(&lines.script)
    );
    match &args.output {
        None => emit(&lines.html),
        Some(path) => {
            if let Err(e) = std::fs::write(path, &lines.html) {
                eprintln!("akkoord snippet: {}: cannot write: {e}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
