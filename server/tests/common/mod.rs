//! Shared test harness: a server state on a fresh SQLite file or a fresh PostgreSQL database,
//! driven through the Router without a socket.

// Each test file uses a different part of this module.
#![allow(dead_code)]

pub mod scenarios;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use akkoord_server::signing::Signer;
use akkoord_server::store::Store;
use akkoord_server::{app, site::Roots, AppState, Shared, SiteConfig};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789";
pub const CONFIG: &str = r#"{ "revision": 1,
  "purposes": ["necessary", "functional", "analytics", {"id": "marketing", "label": "Ads"}],
  "cookie": { "name": "akkoord", "days": 182, "domain": "voorbeeld.nl" } }"#;

/// A directory under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let mut random = [0u8; 8];
        getrandom::getrandom(&mut random).unwrap();
        let path = std::env::temp_dir().join(format!(
            "akkoord-{tag}-{}-{}",
            std::process::id(),
            random
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        ));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

/// The PostgreSQL cluster for tests, from `scripts/with-postgres.sh`. Without it the
/// PostgreSQL tests say SKIP loudly and pass; CI sets it.
pub fn postgres_url(test: &str) -> Option<String> {
    match std::env::var("AKKOORD_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            // Straight to stderr, past the test harness's capture: a skip must be seen.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "\n*** SKIP {test}: AKKOORD_TEST_DATABASE_URL is not set. \
                 Run the tests through scripts/with-postgres.sh to include PostgreSQL. ***"
            );
            None
        }
    }
}

/// A new, empty database on the test cluster; returns its URL.
pub async fn fresh_postgres_database(base: &str) -> String {
    let (client, connection) = tokio_postgres::connect(base, tokio_postgres::NoTls)
        .await
        .expect("connect to the test cluster");
    tokio::spawn(connection);
    let mut random = [0u8; 6];
    getrandom::getrandom(&mut random).unwrap();
    let name = format!(
        "akkoord_test_{}",
        random
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create a test database");
    // The base URL ends in /<database>; swap the database, keep any ?options.
    let (path, query) = match base.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (base, None),
    };
    let (prefix, _) = path
        .rsplit_once('/')
        .expect("database URL with a /database");
    match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    }
}

pub struct Options {
    pub admin_token: Option<&'static str>,
    pub store_client_info: bool,
    pub receipts_path: &'static str,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            admin_token: Some(ADMIN_TOKEN),
            store_client_info: false,
            receipts_path: "/akkoord/receipts",
        }
    }
}

pub struct Harness {
    /// The PostgreSQL database of this harness, when on PostgreSQL.
    pub database: Option<String>,
    pub dir: TempDir,
    pub state: AppState,
    pub router: axum::Router,
}

impl Harness {
    pub async fn new(backend: &Backend) -> Harness {
        Harness::with(backend, Options::default()).await
    }

    pub async fn with(backend: &Backend, options: Options) -> Harness {
        let dir = TempDir::new("server");
        let site = dir.path().join("site");
        let assets = dir.path().join("dist");
        write(&site.join("index.html"), b"<h1>demo</h1>");
        write(&site.join("akkoord.json"), CONFIG.as_bytes());
        write(&assets.join("akkoord.js"), b"/*js*/");
        let mut database = None;
        let store = match backend {
            Backend::Sqlite => Store::open_sqlite(&dir.path().join("receipts.db")).unwrap(),
            Backend::Postgres(base) => {
                let url = fresh_postgres_database(base).await;
                let name = url.split('?').next().unwrap().rsplit('/').next().unwrap();
                database = Some(name.to_string());
                Store::connect_postgres(&url).await.unwrap()
            }
        };
        let (signer, _) = Signer::load_or_create(&dir.path().join("receipts.db.key")).unwrap();
        store
            .record_key(akkoord_server::store::KeyRecord {
                key_id: signer.key_id().into(),
                public_key: signer.public_key_b64().into(),
                first_used: 0,
            })
            .await
            .unwrap();
        let state = Arc::new(Shared {
            roots: Roots {
                site,
                assets,
                prerender: true,
            },
            config: SiteConfig::parse(CONFIG).unwrap(),
            gpc_last_update: "2026-11-23".into(),
            store,
            signer,
            admin_token: options.admin_token.map(String::from),
            receipts_path: options.receipts_path.into(),
            store_client_info: options.store_client_info,
            cookie_secure: false,
        });
        Harness {
            database,
            router: app(state.clone()),
            state,
            dir,
        }
    }

    pub async fn send(&self, mut request: Request<Body>) -> Reply {
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 50_000))));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn post_receipt(&self, body: impl Into<Vec<u8>>) -> Reply {
        self.send(
            Request::post("/akkoord/receipts")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.into()))
                .unwrap(),
        )
        .await
    }

    pub async fn admin_get(&self, path: &str) -> Reply {
        self.send(
            Request::get(path)
                .header(header::AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn count(&self) -> i64 {
        self.state.store.count_receipts().await.unwrap()
    }
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }
}

pub fn receipt(consent_id: &str) -> serde_json::Value {
    serde_json::json!({
        "consentId": consent_id,
        "decidedAt": "2026-11-23T18:42:19Z",
        "revision": 3,
        "purposes": { "necessary": true, "analytics": false, "marketing": true },
        "method": "accept-all",
        "gpc": false,
        "language": "nl",
        "textsHash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "url": "https://voorbeeld.nl/pagina"
    })
}
