//! `akkoord-audience`: the same commands as `akkoord audience`, as a binary of this crate alone,
//! so the benchmark and the exit-code tests do not need the whole workspace built.

use std::process::ExitCode;

use clap::Parser;

#[derive(Debug, Parser)]
#[command(
    name = "akkoord-audience",
    version,
    about = "Custom-audience upload files with the objection list removed"
)]
struct Cli {
    #[command(flatten)]
    args: akkoord_audience::cli::Args,
}

fn main() -> ExitCode {
    akkoord_audience::cli::run(Cli::parse().args)
}
