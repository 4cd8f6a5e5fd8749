//! `akkoord serve …`: flags, start-up and shutdown.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use crate::config::{SiteConfig, DEFAULT_RECEIPTS_PATH};
use crate::signing::Signer;
use crate::store::{Durability, KeyRecord, Store};
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
    /// SQLite database for receipts (created with its tables on first start).
    #[arg(long, default_value = "akkoord.db")]
    pub db: PathBuf,
    /// SQLite commit durability: `full` fsyncs every commit (survives a power cut), `normal`
    /// survives a killed server but may lose the last commits on a power cut.
    #[arg(long, value_enum, default_value_t = Durability::Full)]
    pub sqlite_sync: Durability,
    /// Store receipts in PostgreSQL instead of SQLite (`postgres://user@host:port/db`).
    #[arg(long, env = "AKKOORD_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Ed25519 signing key (made on first start) [default: beside the database:
    /// <db>.key, or akkoord-receipts.key with PostgreSQL].
    #[arg(long)]
    pub key: Option<PathBuf>,
    /// Bearer token for /akkoord/admin/…; without one the admin API answers 401 to everyone.
    #[arg(long, env = "AKKOORD_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Path receipts are posted to [default: the config's receipts.endpoint, else
    /// /akkoord/receipts].
    #[arg(long)]
    pub receipts_path: Option<String>,
    /// Also store the client's IP address and user agent with each receipt (needs its own
    /// lawful basis; off by default).
    #[arg(long)]
    pub store_client_info: bool,
    /// Always mark the re-issued consent cookie Secure (the site is on https behind a proxy
    /// that sends no X-Forwarded-Proto).
    #[arg(long)]
    pub cookie_secure: bool,
    /// Do not put the banner into pages for visitors who have to be asked (the module then
    /// builds it after booting; see README, "The banner in the first paint").
    #[arg(long)]
    pub no_prerender: bool,
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
    let receipts_path = args
        .receipts_path
        .clone()
        .or_else(|| config.receipts_path.clone())
        .unwrap_or_else(|| DEFAULT_RECEIPTS_PATH.to_string());
    if !receipts_path.starts_with('/') || receipts_path.contains(['?', '#', '{', '}', '*']) {
        return Err(format!(
            "--receipts-path: {receipts_path:?} is not a plain path"
        ));
    }

    let (store, key_path) = match &args.database_url {
        Some(url) => (
            Store::connect_postgres(url).await?,
            args.key
                .clone()
                .unwrap_or_else(|| PathBuf::from("akkoord-receipts.key")),
        ),
        None => {
            let key = args.key.clone().unwrap_or_else(|| {
                let mut p = args.db.as_os_str().to_owned();
                p.push(".key");
                PathBuf::from(p)
            });
            let db = args.db.clone();
            let sync = args.sqlite_sync;
            let store = tokio::task::spawn_blocking(move || Store::open_sqlite_with(&db, sync))
                .await
                .map_err(|e| format!("cannot open the database: {e}"))??;
            (store, key)
        }
    };
    let (signer, created) = Signer::load_or_create(&key_path)?;
    if created {
        eprintln!(
            "akkoord serve: made a new signing key {} (key id {}); back it up with the database",
            key_path.display(),
            signer.key_id()
        );
    }
    store
        .record_key(KeyRecord {
            key_id: signer.key_id().to_string(),
            public_key: signer.public_key_b64().to_string(),
            first_used: timestamp::now_ms(),
        })
        .await
        .map_err(|e| e.message())?;
    if args.admin_token.as_deref().is_some_and(|t| t.len() < 16) {
        return Err("--admin-token: use at least 16 characters".into());
    }

    let state = Arc::new(Shared {
        roots: site::Roots {
            site: args.site.clone(),
            assets: args.assets.clone(),
            prerender: !args.no_prerender,
        },
        config,
        gpc_last_update: timestamp::format_day(timestamp::now_ms()),
        store: store.clone(),
        signer,
        admin_token: args.admin_token.clone().filter(|t| !t.is_empty()),
        receipts_path,
        store_client_info: args.store_client_info,
        cookie_secure: args.cookie_secure,
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
    let served = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| format!("server error: {e}"));
    // Every handler (and so every other handle on the store) is gone now: the writer
    // commits what is queued and stops.
    store.close().await;
    served?;
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
