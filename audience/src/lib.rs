//! Custom-audience upload files (placeholder until the audience module lands).

pub mod cli {
    use std::process::ExitCode;

    /// `akkoord audience …`
    #[derive(Debug, clap::Args)]
    pub struct Args {}

    pub fn run(_args: Args) -> ExitCode {
        eprintln!("akkoord audience: not built yet");
        ExitCode::FAILURE
    }
}
