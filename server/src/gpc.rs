//! Global Privacy Control on the server side (REFERENCE.md S-03, S-04).

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};

/// S-04: `Sec-GPC: 1` counts exactly like `navigator.globalPrivacyControl === true`.
/// The spec says servers must ignore every other value, so only the exact `1` counts.
pub fn header_signal(headers: &HeaderMap) -> bool {
    headers
        .get("sec-gpc")
        .is_some_and(|v| v.as_bytes().trim_ascii() == b"1")
}

/// S-03: `/.well-known/gpc.json` tells user agents this site honours GPC.
pub fn well_known(last_update: &str) -> Response {
    let body = serde_json::json!({ "gpc": true, "lastUpdate": last_update }).to_string();
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exactly_one_counts() {
        let mut h = HeaderMap::new();
        assert!(!header_signal(&h));
        h.insert("sec-gpc", HeaderValue::from_static("1"));
        assert!(header_signal(&h));
        h.insert("sec-gpc", HeaderValue::from_static("true"));
        assert!(!header_signal(&h));
        h.insert("sec-gpc", HeaderValue::from_static("0"));
        assert!(!header_signal(&h));
    }
}
