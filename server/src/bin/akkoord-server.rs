//! `akkoord-server`: the same server as `akkoord serve`, as its own binary so the crate's tests
//! and the benchmark can start it without building the whole CLI.

use clap::Parser;

#[derive(Debug, Parser)]
#[command(name = "akkoord-server", version, about = "akkoord serve, standalone")]
struct Cli {
    #[command(flatten)]
    args: akkoord_server::cli::Args,
}

fn main() -> std::process::ExitCode {
    akkoord_server::cli::run(Cli::parse().args)
}
