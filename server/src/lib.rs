//! `akkoord serve`: the site, the banner build, consent receipts and the admin API.
//!
//! [`app`] builds the whole HTTP surface as one axum `Router`, so tests drive it directly and
//! the CLI only adds a listener, signals and the store's lifetime.

pub mod admin;
pub mod cli;
pub mod config;
pub mod consent_cookie;
pub mod error;
pub mod gpc;
pub mod loadgen;
pub mod prerender;
pub mod receipts;
pub mod signing;
pub mod site;
pub mod store;
pub mod timestamp;
pub mod vendor_preload;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};

pub use config::SiteConfig;
use consent_cookie::ConsentCookie;
pub use error::Error;
use signing::Signer;
use store::{NewReceipt, Outcome, Store};

/// The path the banner posts its cookie to for a server-set copy (Safari ITP).
pub const COOKIE_PATH: &str = "/akkoord/cookie";

/// Everything a request handler may need, shared read-only.
#[derive(Debug)]
pub struct Shared {
    pub roots: site::Roots,
    pub config: SiteConfig,
    /// `lastUpdate` of `/.well-known/gpc.json`.
    pub gpc_last_update: String,
    pub store: Store,
    pub signer: Signer,
    /// `None`: the admin API answers 401 to everyone.
    pub admin_token: Option<String>,
    /// Where receipts are posted; the public key is at `<path>/key`.
    pub receipts_path: String,
    /// Keep the client's IP address and user agent with each receipt. Off unless the operator
    /// has a lawful basis for it (REFERENCE.md C-23: "no IP address is needed").
    pub store_client_info: bool,
    /// Always mark the re-issued cookie `Secure` (behind a TLS proxy that sends no
    /// `X-Forwarded-Proto`).
    pub cookie_secure: bool,
}

pub type AppState = Arc<Shared>;

/// The complete router.
pub fn app(state: AppState) -> Router {
    let receipts_path = state.receipts_path.clone();
    Router::new()
        .route(&receipts_path, post(post_receipt))
        .route(&format!("{receipts_path}/key"), get(public_key))
        .route(COOKIE_PATH, post(reissue_cookie))
        .route(admin::PREFIX, any(admin_api))
        .route(&format!("{}/{{*rest}}", admin::PREFIX), any(admin_api))
        .route("/.well-known/gpc.json", get(well_known_gpc))
        .fallback(static_files)
        .with_state(state)
}

fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
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

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
}

/// How long a client may take to send a body. A client trickling bytes would otherwise hold
/// a handler (and its memory) open for as long as it likes.
const BODY_TIMEOUT_SECS: u64 = 10;

/// Read the body, refusing more than `limit` bytes before buffering them.
async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, Error> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(Error::TooLarge(limit));
    }
    let read = axum::body::to_bytes(body, limit);
    match tokio::time::timeout(std::time::Duration::from_secs(BODY_TIMEOUT_SECS), read).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(Error::TooLarge(limit)),
        Err(_) => Err(Error::SlowBody(BODY_TIMEOUT_SECS)),
    }
}

async fn post_receipt(State(state): State<AppState>, request: Request) -> Response {
    match store_receipt(&state, request).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

async fn store_receipt(state: &Shared, request: Request) -> Result<Response, Error> {
    let (parts, body) = request.into_parts();
    if !is_json(&parts.headers) {
        return Err(Error::NotJson);
    }
    let body = read_body(&parts.headers, body, receipts::BODY_LIMIT).await?;
    let submitted = receipts::validate(&body, &state.config)?;
    let sec_gpc = gpc::header_signal(&parts.headers);

    let (ip, user_agent) = if state.store_client_info {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        let ua = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(receipts::USER_AGENT_LIMIT).collect());
        (ip, ua)
    } else {
        (None, None)
    };

    let received_at = timestamp::now_ms();
    let document = receipts::Document {
        receipt_id: receipts::new_receipt_id(received_at)?,
        received_at: timestamp::format_ms(received_at),
        consent_id: submitted.consent_id.clone(),
        decided_at: timestamp::format_ms(submitted.decided_at),
        revision: submitted.revision,
        purposes: submitted.purposes.clone(),
        services: submitted.services.clone(),
        method: submitted.method.clone(),
        gpc: submitted.gpc || sec_gpc,
        sec_gpc,
        language: submitted.language.clone(),
        texts_hash: submitted.texts_hash.clone(),
        url: submitted.url.clone(),
        ip: ip.clone(),
        user_agent: user_agent.clone(),
        key_id: state.signer.key_id().to_string(),
    };
    let payload = document.canonical()?;
    let signature = state.signer.sign(payload.as_bytes());

    let outcome = state
        .store
        .insert(NewReceipt {
            receipt_id: document.receipt_id.clone(),
            received_at,
            consent_id: submitted.consent_id.clone(),
            decided_at: submitted.decided_at,
            revision: i64::from(submitted.revision),
            method: submitted.method,
            gpc: document.gpc,
            sec_gpc,
            language: submitted.language,
            texts_hash: submitted.texts_hash,
            url: submitted.url,
            purposes: submitted.purposes,
            ip,
            user_agent,
            key_id: document.key_id.clone(),
            payload: payload.clone(),
            signature: signature.clone(),
        })
        .await?;
    let (status, receipt_id, received_text, signature, key_id, payload) =
        if outcome == Outcome::Replay {
            // A retry whose first answer was lost (a reload, a dropped connection) gets the
            // receipt already stored, so retrying is safe. The same consent id and time with
            // another decision is a conflict.
            let Some((stored, twin)) = stored_twin(state, &document).await? else {
                return Err(Error::Replay(format!(
                    "consentId: {} decided at {} is stored with another decision",
                    document.consent_id, document.decided_at
                )));
            };
            let key_id = stored.key_id;
            (
                StatusCode::OK,
                stored.receipt_id,
                twin.received_at,
                stored.signature,
                key_id,
                stored.payload,
            )
        } else {
            let key_id = document.key_id.clone();
            let id = document.receipt_id.clone();
            (
                StatusCode::CREATED,
                id,
                document.received_at.clone(),
                signature,
                key_id,
                payload,
            )
        };

    // The signed payload is embedded as it is, not re-serialized: the visitor's copy is
    // byte for byte what was signed.
    let body = format!(
        "{{\"receiptId\":{},\"receivedAt\":{},\"signature\":{},\"keyId\":{},\"receipt\":{payload}}}",
        json_string(&receipt_id),
        json_string(&received_text),
        json_string(&signature),
        json_string(&key_id),
    );
    let mut response = (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response();
    // The receipt response doubles as the cookie re-issue when the decision's cookie came
    // along; a cookie that is broken or belongs to another decision is simply not echoed.
    if let Ok(Some(cookie)) = ConsentCookie::from_request(&parts.headers, &state.config) {
        if cookie.consent_id == document.consent_id {
            let https = consent_cookie::request_is_https(&parts.headers, state.cookie_secure);
            if let Ok(value) = cookie.set_cookie(&state.config, https, received_at / 1000) {
                if let Ok(value) = HeaderValue::from_str(&value) {
                    response.headers_mut().insert(header::SET_COOKIE, value);
                }
            }
        }
    }
    Ok(no_store(response))
}

/// The stored receipt that records the same decision as `document` (same consent id, time,
/// revision, choices, method, GPC, language, texts and page), with its parsed payload.
async fn stored_twin(
    state: &Shared,
    document: &receipts::Document,
) -> Result<Option<(store::StoredReceipt, receipts::Document)>, Error> {
    let same = |d: &receipts::Document| {
        d.consent_id == document.consent_id
            && d.decided_at == document.decided_at
            && d.revision == document.revision
            && d.purposes == document.purposes
            && d.services == document.services
            && d.method == document.method
            && d.gpc == document.gpc
            && d.language == document.language
            && d.texts_hash == document.texts_hash
            && d.url == document.url
    };
    for receipt in state.store.by_consent_id(&document.consent_id).await? {
        if let Ok(d) = serde_json::from_str::<receipts::Document>(&receipt.payload) {
            if same(&d) {
                return Ok(Some((receipt, d)));
            }
        }
    }
    Ok(None)
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

async fn public_key(State(state): State<AppState>) -> Response {
    let keys = state.store.keys().await.unwrap_or_default();
    let mut response = Json(serde_json::json!({
        "algorithm": "Ed25519",
        "keyId": state.signer.key_id(),
        "publicKey": state.signer.public_key_b64(),
        "signed": "UTF-8 bytes of the receipt as canonical JSON: keys sorted, no whitespace (RFC 8785)",
        "keys": keys,
    }))
    .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

async fn reissue_cookie(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let result = (|| {
        let cookie = ConsentCookie::from_request(&headers, &state.config)?.ok_or_else(|| {
            Error::invalid(
                "cookie",
                format!("no {} cookie in the request", state.config.cookie_name),
            )
        })?;
        let https = consent_cookie::request_is_https(&headers, state.cookie_secure);
        let value = cookie.set_cookie(&state.config, https, timestamp::now_ms() / 1000)?;
        HeaderValue::from_str(&value).map_err(|_| Error::invalid("cookie", "not a header value"))
    })();
    match result {
        Ok(value) => {
            no_store((StatusCode::NO_CONTENT, [(header::SET_COOKIE, value)]).into_response())
        }
        Err(e) => e.into_response(),
    }
}

async fn admin_api(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    // Authenticate before reading a byte of the body.
    if !admin::authorized(&parts.headers, state.admin_token.as_deref()) {
        return Error::Unauthorized.into_response();
    }
    let body = match read_body(&parts.headers, body, 16 * 1024 * 1024).await {
        Ok(body) => body,
        Err(e) => return e.into_response(),
    };
    match admin::handle(
        &state.store,
        state.admin_token.as_deref(),
        &parts.method,
        parts.uri.path(),
        parts.uri.query(),
        &parts.headers,
        body,
    )
    .await
    {
        Ok(response) => no_store(response),
        Err(e) => e.into_response(),
    }
}
