//! `akkoord serve` (placeholder until the server module lands).

pub mod cli {
    use std::process::ExitCode;

    /// `akkoord serve …`
    #[derive(Debug, clap::Args)]
    pub struct Args {}

    pub fn run(_args: Args) -> ExitCode {
        eprintln!("akkoord serve: not built yet");
        ExitCode::FAILURE
    }
}
