//! The admin API, behind one bearer token given at start.
//!
//! Every path under `/akkoord/admin/` checks the token before anything else, so an
//! unauthenticated caller learns nothing, not even which paths exist.

use std::collections::HashMap;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::receipts::is_consent_id;
use crate::store::{Objection, Store, StoredReceipt};
use crate::timestamp;

pub const PREFIX: &str = "/akkoord/admin";
/// Rows per database round trip while streaming an export.
const EXPORT_PAGE: i64 = 1000;
const OBJECTIONS_LIMIT: usize = 100_000;

/// Compare digests, not the strings: the time taken does not depend on where they differ.
pub fn authorized(headers: &HeaderMap, token: Option<&str>) -> bool {
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return false;
    };
    let Some(given) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    let a = Sha256::digest(given.trim().as_bytes());
    let b = Sha256::digest(token.as_bytes());
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

fn query(raw: Option<&str>) -> Result<HashMap<String, String>, Error> {
    let uri: axum::http::Uri = format!("/?{}", raw.unwrap_or(""))
        .parse()
        .map_err(|_| Error::invalid("query", "not a valid query string"))?;
    axum::extract::Query::<HashMap<String, String>>::try_from_uri(&uri)
        .map(|q| q.0)
        .map_err(|_| Error::invalid("query", "not a valid query string"))
}

/// `from`/`to` as days (`to` inclusive) or RFC 3339 times (`to` exclusive), in unix ms.
fn range(q: &HashMap<String, String>) -> Result<(i64, i64), Error> {
    let from = match q.get("from") {
        None => 0,
        Some(s) => timestamp::parse_day(s)
            .or_else(|| timestamp::parse_rfc3339(s))
            .ok_or_else(|| Error::invalid("from", "must be YYYY-MM-DD or an RFC 3339 time"))?,
    };
    let to = match q.get("to") {
        None => i64::MAX,
        Some(s) => match timestamp::parse_day(s) {
            Some(day) => day + 86_400_000,
            None => timestamp::parse_rfc3339(s)
                .ok_or_else(|| Error::invalid("to", "must be YYYY-MM-DD or an RFC 3339 time"))?,
        },
    };
    if to <= from {
        return Err(Error::invalid("to", "must be after from"));
    }
    Ok((from, to))
}

/// One receipt in an API answer: the signed record and its signature.
pub fn receipt_json(r: &StoredReceipt) -> Value {
    let receipt: Value = serde_json::from_str(&r.payload).unwrap_or(Value::Null);
    serde_json::json!({ "receipt": receipt, "signature": r.signature, "keyId": r.key_id })
}

pub async fn handle(
    store: &Store,
    token: Option<&str>,
    method: &Method,
    path: &str,
    raw_query: Option<&str>,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    if !authorized(headers, token) {
        return Err(Error::Unauthorized);
    }
    let route = path
        .strip_prefix(PREFIX)
        .unwrap_or("")
        .trim_end_matches('/');
    let q = query(raw_query)?;
    match (method.clone(), route) {
        (Method::GET, "/receipts") => {
            let id = q
                .get("consentId")
                .ok_or_else(|| Error::invalid("consentId", "missing"))?;
            if !is_consent_id(id) {
                return Err(Error::invalid(
                    "consentId",
                    "must be 16 characters [0-9a-z]",
                ));
            }
            let rows = store.by_consent_id(id).await?;
            let list: Vec<Value> = rows.iter().map(receipt_json).collect();
            Ok(Json(serde_json::json!({ "consentId": id, "receipts": list })).into_response())
        }
        (Method::GET, "/export") => {
            let (from, to) = range(&q)?;
            let format = match q.get("format").map(String::as_str) {
                None | Some("json") => Format::Json,
                Some("csv") => Format::Csv,
                Some(_) => return Err(Error::invalid("format", "must be csv or json")),
            };
            Ok(export(store.clone(), from, to, format))
        }
        (Method::GET, "/counts") => {
            let now = timestamp::now_ms();
            let from = match q.get("from") {
                Some(d) => timestamp::parse_day(d)
                    .map(timestamp::format_day)
                    .ok_or_else(|| Error::invalid("from", "must be YYYY-MM-DD"))?,
                None => timestamp::format_day(now - 30 * 86_400_000),
            };
            let to = match q.get("to") {
                Some(d) => timestamp::parse_day(d)
                    .map(timestamp::format_day)
                    .ok_or_else(|| Error::invalid("to", "must be YYYY-MM-DD"))?,
                None => timestamp::format_day(now),
            };
            let counts = store.counts(&from, &to).await?;
            Ok(
                Json(serde_json::json!({ "from": from, "to": to, "counts": counts }))
                    .into_response(),
            )
        }
        (Method::GET, "/objections") => {
            let list = store.objections().await?;
            Ok(Json(serde_json::json!({ "objections": list })).into_response())
        }
        (Method::POST, "/objections") => {
            let items = parse_objections(&body)?;
            let submitted = items.len();
            let added = store.add_objections(items).await?;
            Ok((
                StatusCode::OK,
                Json(serde_json::json!({ "submitted": submitted, "added": added })),
            )
                .into_response())
        }
        (_, "/receipts" | "/export" | "/counts" | "/objections") => Err(Error::MethodNotAllowed),
        _ => Err(Error::NotFound),
    }
}

/// `{"kind": "email", "hashes": ["<64 hex>", …]}`: the objection list holds SHA-256 hashes
/// only (the audience command's form); anything that looks like a plain identifier is refused.
fn parse_objections(body: &[u8]) -> Result<Vec<Objection>, Error> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Error::invalid("body", format!("not valid JSON ({e})")))?;
    let kind = value.get("kind").and_then(Value::as_str).unwrap_or("email");
    if !matches!(kind, "email" | "phone" | "other") {
        return Err(Error::invalid("kind", "must be email, phone or other"));
    }
    let hashes = value
        .get("hashes")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::invalid("hashes", "must be an array of SHA-256 hex strings"))?;
    if hashes.len() > OBJECTIONS_LIMIT {
        return Err(Error::invalid(
            "hashes",
            format!("more than {OBJECTIONS_LIMIT} at once"),
        ));
    }
    let now = timestamp::now_ms();
    hashes
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let s = h.as_str().unwrap_or("");
            if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(Error::invalid(
                    &format!("hashes[{i}]"),
                    "must be 64 hex characters (SHA-256 of the normalized identifier)",
                ));
            }
            Ok(Objection {
                hash: s.to_ascii_lowercase(),
                kind: kind.to_string(),
                added_at: now,
            })
        })
        .collect()
}

#[derive(Debug, Clone, Copy)]
enum Format {
    Json,
    Csv,
}

const CSV_HEADER: &str = "receipt_id,received_at,consent_id,decided_at,revision,method,gpc,sec_gpc,language,texts_hash,url,granted,denied,key_id,signature,receipt\r\n";

fn csv_field(out: &mut String, s: &str) {
    out.push('"');
    out.push_str(&s.replace('"', "\"\""));
    out.push('"');
}

fn csv_row(out: &mut String, r: &StoredReceipt) {
    let doc: Value = serde_json::from_str(&r.payload).unwrap_or(Value::Null);
    let text = |k: &str| match doc.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    };
    let (mut granted, mut denied) = (Vec::new(), Vec::new());
    if let Some(Value::Object(p)) = doc.get("purposes") {
        for (id, v) in p {
            if v.as_bool() == Some(true) {
                granted.push(id.as_str());
            } else {
                denied.push(id.as_str());
            }
        }
    }
    let fields = [
        r.receipt_id.clone(),
        timestamp::format_ms(r.received_at),
        r.consent_id.clone(),
        text("decidedAt"),
        text("revision"),
        text("method"),
        text("gpc"),
        text("secGpc"),
        text("language"),
        text("textsHash"),
        text("url"),
        granted.join("+"),
        denied.join("+"),
        r.key_id.clone(),
        r.signature.clone(),
        r.payload.clone(),
    ];
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, f);
    }
    out.push_str("\r\n");
}

struct Cursor {
    store: Store,
    from: i64,
    to: i64,
    after: Option<(i64, String)>,
    format: Format,
    started: bool,
    done: bool,
    first_row: bool,
}

/// Stream the range page by page (keyset pagination): memory stays flat however many
/// receipts the range holds.
fn export(store: Store, from: i64, to: i64, format: Format) -> Response {
    let cursor = Cursor {
        store,
        from,
        to,
        after: None,
        format,
        started: false,
        done: false,
        first_row: true,
    };
    let stream = futures_util::stream::unfold(cursor, |mut c| async move {
        if c.done {
            return None;
        }
        let mut chunk = String::new();
        if !c.started {
            c.started = true;
            chunk.push_str(match c.format {
                Format::Json => "[",
                Format::Csv => CSV_HEADER,
            });
        }
        let page = match c
            .store
            .page(c.from, c.to, c.after.clone(), EXPORT_PAGE)
            .await
        {
            Ok(page) => page,
            Err(e) => {
                c.done = true;
                return Some((Err(std::io::Error::other(e.message())), c));
            }
        };
        for r in &page {
            match c.format {
                Format::Json => {
                    if !c.first_row {
                        chunk.push(',');
                    }
                    chunk.push('\n');
                    chunk.push_str(&receipt_json(r).to_string());
                }
                Format::Csv => csv_row(&mut chunk, r),
            }
            c.first_row = false;
        }
        if let Some(last) = page.last() {
            c.after = Some((last.received_at, last.receipt_id.clone()));
        }
        if (page.len() as i64) < EXPORT_PAGE {
            c.done = true;
            if let Format::Json = c.format {
                chunk.push_str("\n]\n");
            }
        }
        Some((Ok::<_, std::io::Error>(Bytes::from(chunk)), c))
    });
    let mut response = Response::new(Body::from_stream(stream));
    let headers = response.headers_mut();
    let (mime, ext) = match format {
        Format::Json => ("application/json", "json"),
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
    };
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) =
        HeaderValue::from_str(&format!("attachment; filename=\"akkoord-receipts.{ext}\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}
