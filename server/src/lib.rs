//! `akkoord serve`: the site, the banner build, consent receipts and the admin API.
//!
//! [`app`] builds the whole HTTP surface as one axum `Router`, so tests drive it directly and
//! the CLI only adds a listener, signals and the store's lifetime.

pub mod cli;
pub mod config;
pub mod error;
pub mod gpc;
pub mod site;
pub mod timestamp;

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

pub use config::SiteConfig;
pub use error::Error;

/// Everything a request handler may need, shared read-only.
#[derive(Debug)]
pub struct Shared {
    pub roots: site::Roots,
    pub config: SiteConfig,
    /// `lastUpdate` of `/.well-known/gpc.json`.
    pub gpc_last_update: String,
}

pub type AppState = Arc<Shared>;

/// The complete router.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/.well-known/gpc.json", get(well_known_gpc))
        .fallback(static_files)
        .with_state(state)
}

async fn well_known_gpc(State(state): State<AppState>) -> Response {
    gpc::well_known(&state.gpc_last_update)
}

async fn static_files(State(state): State<AppState>, request: Request) -> Response {
    site::serve(
        &state.roots,
        request.method(),
        request.uri().path(),
        request.headers(),
    )
    .await
}
