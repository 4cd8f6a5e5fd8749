//! The `akkoord` command.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
mod prerender;
mod snippet;
mod statement;

#[derive(Debug, Parser)]
#[command(
    name = "akkoord",
    version,
    about = "Cookie consent for Dutch and EU sites"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate a banner config like the browser does, then lint it against the consent rules.
    Check(check::Args),
    /// Write the cookie statement (HTML or Markdown) from a banner config.
    Statement(statement::Args),
    /// Print a page with the banner in its HTML, as `serve` sends it to a first-time visitor
    /// (`--static`: one page for every visitor, for a static host).
    Prerender(prerender::Args),
    /// Print the <head> lines that load the banner and preload, by the visitor's cookie, the
    /// module and the vendor scripts it will run.
    Snippet(snippet::Args),
    /// Serve a site with the banner, the consent-receipt endpoint and the admin API.
    Serve(akkoord_server::cli::Args),
    /// Build custom-audience upload files and keep the objection list.
    Audience(akkoord_audience::cli::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Statement(args) => statement::run(args),
        Command::Prerender(args) => prerender::run(args),
        Command::Snippet(args) => snippet::run(args),
        Command::Serve(args) => akkoord_server::cli::run(args),
        Command::Audience(args) => akkoord_audience::cli::run(args),
    }
}
