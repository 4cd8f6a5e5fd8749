//! `akkoord-loadgen`: post receipts to a local `akkoord serve` and report throughput and
//! latency. Bounded in count and time, and it refuses any address that is not loopback.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

#[derive(Debug, Parser)]
#[command(
    name = "akkoord-loadgen",
    version,
    about = "Load test for POST /akkoord/receipts"
)]
struct Cli {
    /// Server address (loopback only), e.g. 127.0.0.1:8080.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    #[arg(long, default_value = "/akkoord/receipts")]
    path: String,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Receipts to send at most (ceiling 2,000,000).
    #[arg(long, default_value_t = 50_000)]
    count: u64,
    /// Seconds to run at most (ceiling 300).
    #[arg(long, default_value_t = 30)]
    seconds: u64,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !cli.addr.ip().is_loopback() {
        eprintln!("akkoord-loadgen: {} is not a loopback address", cli.addr);
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("akkoord-loadgen: {e}");
            return ExitCode::FAILURE;
        }
    };
    let seed = akkoord_server::timestamp::now_ms() as u64;
    let report = runtime.block_on(akkoord_server::loadgen::run(
        akkoord_server::loadgen::Options {
            addr: cli.addr,
            path: cli.path,
            concurrency: cli.concurrency,
            count: cli.count,
            duration: Duration::from_secs(cli.seconds),
            run_id: seed,
            keep_created: false,
        },
    ));
    println!("{}", report.summary());
    if report.created == 0 {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
