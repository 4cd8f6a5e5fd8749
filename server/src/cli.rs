//! `akkoord serve …`: flags, start-up and shutdown.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::{app, site, timestamp, Shared};

/// `akkoord serve`
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Directory served at `/`.
    #[arg(long, default_value = "www/demo")]
    pub site: PathBuf,
    /// The banner build (akkoord.js, akkoord.wasm, …), served at `/akkoord/`.
    #[arg(long, default_value = "dist")]
    pub assets: PathBuf,
    /// Address to listen on; port 0 picks a free one (the first stdout line names it).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The site's banner config [default: <site>/akkoord.json].
    #[arg(long)]
    pub config: Option<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("akkoord serve: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("akkoord serve: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: Args) -> Result<(), String> {
    let config_path = args
        .config
        .clone()
        .unwrap_or_else(|| args.site.join("akkoord.json"));
    let config = match SiteConfig::load(&config_path)? {
        Some(config) => config,
        None => {
            eprintln!(
                "akkoord serve: no config at {}; using the default purposes {:?}",
                config_path.display(),
                crate::config::DEFAULT_PURPOSES
            );
            SiteConfig::default()
        }
    };
    let state = Arc::new(Shared {
        roots: site::Roots {
            site: args.site.clone(),
            assets: args.assets.clone(),
        },
        config,
        gpc_last_update: timestamp::format_day(timestamp::now_ms()),
    });

    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound address: {e}"))?;
    // Tests and scripts read this first line to find the port when `--addr` ends in `:0`.
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{local}");
        let _ = out.flush();
    }
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| format!("server error: {e}"))?;
    eprintln!("akkoord serve: stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM: stop accepting, let requests in flight finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
