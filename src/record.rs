//! The consent cookie value, format 1 (see `docs/internals.md`).
//!
//! ```text
//! 1.<revision>.<decided unix seconds>.<method>.<consent id>.<granted>.<denied>
//! ```
//!
//! The loader parses the same format synchronously to re-apply Google Consent Mode for a
//! returning visitor (G-06), so it stays trivially parseable: dots between fields, `+`
//! between purpose ids, nothing that needs escaping in a cookie.

use crate::consent::{Consent, Method, NECESSARY};
use crate::error::Error;

/// The format version written first in every record.
pub const FORMAT: &str = "1";

/// Whether `id` can be a purpose id (and so be stored without escaping).
pub fn valid_purpose_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 32
        && bytes[0].is_ascii_lowercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_' || *b == b'-')
}

fn valid_consent_id(id: &str) -> bool {
    id.len() == 16
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// Encode a decision as the cookie value.
pub fn encode(consent: &Consent) -> String {
    let mut out = String::with_capacity(64);
    out.push_str(FORMAT);
    out.push('.');
    out.push_str(&consent.revision.to_string());
    out.push('.');
    out.push_str(&consent.decided_at.to_string());
    out.push('.');
    out.push(consent.method.code());
    out.push('.');
    out.push_str(&consent.id);
    out.push('.');
    push_list(&mut out, &consent.granted);
    out.push('.');
    push_list(&mut out, &consent.denied);
    out
}

/// `a+b+c`, written out by hand: a `join` over `String`s would be one more copy of the
/// joining code in the banner module.
fn push_list(out: &mut String, ids: &[String]) {
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push('+');
        }
        out.push_str(id);
    }
}

fn purposes(field: &str) -> Option<Vec<String>> {
    if field.is_empty() {
        return Some(Vec::new());
    }
    let mut out: Vec<String> = Vec::new();
    for id in field.split('+') {
        if !valid_purpose_id(id) || id == NECESSARY || out.iter().any(|p| p == id) {
            return None;
        }
        out.push(id.to_string());
    }
    Some(out)
}

/// Decode a cookie value. Anything unexpected is an error, which callers treat as
/// "no decision yet" (re-prompt), never as consent.
pub fn decode(value: &str) -> Result<Consent, Error> {
    let bad = || Error::new("cookie", "unreadable consent record");
    let mut fields = value.trim().split('.');
    if fields.next() != Some(FORMAT) {
        return Err(Error::new("cookie", "unknown consent record format"));
    }
    let revision = fields
        .next()
        .and_then(|f| f.parse::<u32>().ok())
        .ok_or_else(bad)?;
    let decided_at = fields
        .next()
        .and_then(|f| f.parse::<u64>().ok())
        .ok_or_else(bad)?;
    let method = fields.next().and_then(Method::from_code).ok_or_else(bad)?;
    let id = fields
        .next()
        .filter(|f| valid_consent_id(f))
        .ok_or_else(bad)?;
    let granted = fields.next().and_then(purposes).ok_or_else(bad)?;
    let denied = fields.next().and_then(purposes).ok_or_else(bad)?;
    if fields.next().is_some() || granted.iter().any(|g| denied.contains(g)) {
        return Err(bad());
    }
    Ok(Consent {
        revision,
        decided_at,
        method,
        id: id.to_string(),
        granted,
        denied,
    })
}

/// Find the value of cookie `name` in a `document.cookie` string.
pub fn find_cookie<'a>(cookies: &'a str, name: &str) -> Option<&'a str> {
    cookies.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key.trim() == name).then(|| value.trim())
    })
}

/// A fresh consent id from 16 random bytes (the caller supplies the randomness so this
/// stays pure and testable).
pub fn consent_id(random: &[u8; 16]) -> String {
    const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    random
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}
