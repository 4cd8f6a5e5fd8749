//! `POST /akkoord/receipts`: the proof of one consent decision (GDPR art. 7(1), REFERENCE.md
//! C-23), validated strictly, signed, and appended.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::{is_purpose_id, SiteConfig};
use crate::error::Error;
use crate::timestamp;

/// The banner sends a few hundred bytes; anything near this limit is not a receipt.
pub const BODY_LIMIT: usize = 8 * 1024;
const URL_LIMIT: usize = 2048;
const LANGUAGE_LIMIT: usize = 35;
/// Kept when the operator turns client details on; longer user agents are cut.
pub const USER_AGENT_LIMIT: usize = 512;

pub const METHODS: [&str; 4] = ["accept-all", "reject-all", "custom", "gpc"];

/// At most this many services granted or refused on their own in one receipt.
const SERVICES_LIMIT: usize = 64;

const FIELDS: [&str; 10] = [
    "consentId",
    "decidedAt",
    "revision",
    "purposes",
    "services",
    "method",
    "gpc",
    "language",
    "textsHash",
    "url",
];

/// A receipt as the banner sent it, after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub consent_id: String,
    pub decided_at: i64,
    pub revision: u32,
    pub purposes: BTreeMap<String, bool>,
    /// Services granted or refused on their own (an embed's "always allow"), apart from their
    /// purpose; optional, empty for most decisions.
    pub services: BTreeMap<String, bool>,
    pub method: String,
    pub gpc: bool,
    pub language: String,
    pub texts_hash: String,
    pub url: String,
}

/// The signed record. Fields are declared in the order of their JSON names and `purposes` is a
/// sorted map, so serde writes the canonical form (see [`canonical_json`]) directly:
/// `JSON.stringify(receipt)` of a parsed export gives back the signed bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    pub consent_id: String,
    pub decided_at: String,
    /// The visitor's GPC state: the DOM signal or `Sec-GPC: 1` (S-04: the same thing).
    pub gpc: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ip: Option<String>,
    pub key_id: String,
    pub language: String,
    pub method: String,
    pub purposes: BTreeMap<String, bool>,
    pub receipt_id: String,
    pub received_at: String,
    pub revision: u32,
    /// Whether the request itself carried `Sec-GPC: 1`.
    pub sec_gpc: bool,
    /// Services decided on their own; left out when empty, so older receipts verify as before.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub services: BTreeMap<String, bool>,
    pub texts_hash: String,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub user_agent: Option<String>,
}

/// 16 characters `[0-9a-z]`, as in the consent cookie.
pub fn is_consent_id(s: &str) -> bool {
    s.len() == 16
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
}

fn string<'a>(obj: &'a Map<String, Value>, field: &str) -> Result<&'a str, Error> {
    match obj.get(field) {
        None | Some(Value::Null) => Err(Error::invalid(field, "missing")),
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(Error::invalid(
            field,
            format!("must be a string, not {}", kind(other)),
        )),
    }
}

fn boolean(obj: &Map<String, Value>, field: &str) -> Result<bool, Error> {
    match obj.get(field) {
        None | Some(Value::Null) => Err(Error::invalid(field, "missing")),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(Error::invalid(
            field,
            format!("must be true or false, not {}", kind(other)),
        )),
    }
}

/// An object of `id: true|false` (`purposes`, `services`), or `None` when it is absent. `check`
/// sees each id, first without its value (to refuse an unknown id before its type) and then
/// with it, and returns the problem with that entry; errors name `name.<id>`.
fn flags(
    obj: &Map<String, Value>,
    name: &str,
    limit: usize,
    check: impl Fn(&str, Option<bool>) -> Option<&'static str>,
) -> Result<Option<BTreeMap<String, bool>>, Error> {
    let map = match obj.get(name) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(map)) => map,
        Some(other) => {
            return Err(Error::invalid(
                name,
                format!("must be an object, not {}", kind(other)),
            ))
        }
    };
    if map.len() > limit {
        return Err(Error::invalid(name, format!("more than {limit} entries")));
    }
    let mut out = BTreeMap::new();
    for (id, state) in map {
        let shown: String = id.chars().take(40).collect();
        let field = format!("{name}.{shown}");
        if let Some(problem) = check(id, None) {
            return Err(Error::invalid(&field, problem));
        }
        let Value::Bool(granted) = state else {
            return Err(Error::invalid(
                &field,
                format!("must be true or false, not {}", kind(state)),
            ));
        };
        if let Some(problem) = check(id, Some(*granted)) {
            return Err(Error::invalid(&field, problem));
        }
        out.insert(id.clone(), *granted);
    }
    Ok(Some(out))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn is_language_tag(s: &str) -> bool {
    // BCP 47 shape, not the registry: a 2–3 letter language, then alphanumeric subtags.
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn check_url(url: &str) -> Result<(), Error> {
    if url.len() > URL_LIMIT {
        return Err(Error::invalid(
            "url",
            format!("longer than {URL_LIMIT} bytes"),
        ));
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| Error::invalid("url", "must start with https:// or http://"))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err(Error::invalid("url", "has no host"));
    }
    if url.contains('?') || url.contains('#') {
        return Err(Error::invalid(
            "url",
            "must not contain a query or fragment (they can carry personal data)",
        ));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            "url",
            "contains whitespace or control characters",
        ));
    }
    Ok(())
}

/// Parse and check a receipt body. Every message starts with the field it is about.
pub fn validate(body: &[u8], config: &SiteConfig) -> Result<Submitted, Error> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Error::invalid("body", format!("not valid JSON ({e})")))?;
    let Value::Object(obj) = value else {
        return Err(Error::invalid("body", "must be a JSON object"));
    };
    if let Some(unknown) = obj.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        let shown: String = unknown.chars().take(40).collect();
        return Err(Error::invalid(&shown, "unknown field"));
    }

    let consent_id = string(&obj, "consentId")?;
    if !is_consent_id(consent_id) {
        return Err(Error::invalid(
            "consentId",
            "must be 16 characters [0-9a-z]",
        ));
    }

    let decided_at = timestamp::parse_rfc3339(string(&obj, "decidedAt")?).ok_or_else(|| {
        Error::invalid(
            "decidedAt",
            "must be an RFC 3339 time like 2026-11-23T18:42:19Z",
        )
    })?;
    // A decision dated more than a day ahead is a broken clock or a forgery; either way it
    // proves nothing.
    if decided_at > timestamp::now_ms() + 86_400_000 || decided_at < 946_684_800_000 {
        return Err(Error::invalid("decidedAt", "is not a plausible time"));
    }

    let revision = match obj.get("revision") {
        None | Some(Value::Null) => return Err(Error::invalid("revision", "missing")),
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| Error::invalid("revision", "must be a whole number 0..4294967295"))?,
        Some(other) => {
            return Err(Error::invalid(
                "revision",
                format!("must be a number, not {}", kind(other)),
            ))
        }
    };

    let purposes = flags(&obj, "purposes", usize::MAX, |id, granted| {
        if !is_purpose_id(id) || !config.knows(id) {
            Some("unknown purpose")
        } else if id == "necessary" && granted == Some(false) {
            Some("strictly necessary cannot be refused")
        } else {
            None
        }
    })?
    .ok_or_else(|| Error::invalid("purposes", "missing"))?;
    if purposes.is_empty() {
        return Err(Error::invalid("purposes", "is empty"));
    }
    // Service ids share the purpose-id syntax; the server does not know the site's services,
    // so only the shape is checked.
    let services = flags(&obj, "services", SERVICES_LIMIT, |id, _| {
        (!is_purpose_id(id)).then_some("not a service id")
    })?
    .unwrap_or_default();

    let method = string(&obj, "method")?;
    if !METHODS.contains(&method) {
        return Err(Error::invalid(
            "method",
            format!("must be one of {}", METHODS.join(", ")),
        ));
    }
    let gpc = boolean(&obj, "gpc")?;

    let language = string(&obj, "language")?;
    if language.len() > LANGUAGE_LIMIT || !is_language_tag(language) {
        return Err(Error::invalid(
            "language",
            "must be a language tag like nl or en-GB",
        ));
    }

    let texts_hash = string(&obj, "textsHash")?;
    if texts_hash.len() != 64
        || !texts_hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(Error::invalid(
            "textsHash",
            "must be 64 lowercase hex characters (SHA-256)",
        ));
    }

    let url = string(&obj, "url")?;
    check_url(url)?;

    Ok(Submitted {
        consent_id: consent_id.to_string(),
        decided_at,
        revision,
        purposes,
        services,
        method: method.to_string(),
        gpc,
        language: language.to_string(),
        texts_hash: texts_hash.to_string(),
        url: url.to_string(),
    })
}

const CROCKFORD: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// Receipt ids sort by time: 48 bits of milliseconds, then 80 random bits, in 26 characters of
/// Crockford base32 (lowercase). Random enough that ids cannot be guessed to look receipts up.
pub fn new_receipt_id(now_ms: i64) -> Result<String, Error> {
    let mut random = [0u8; 10];
    getrandom::getrandom(&mut random)
        .map_err(|e| Error::Unavailable(format!("no randomness: {e}")))?;
    let mut value: u128 = (now_ms as u128 & 0xffff_ffff_ffff) << 80;
    for (i, b) in random.iter().enumerate() {
        value |= (*b as u128) << (8 * (9 - i));
    }
    let mut out = [0u8; 26];
    for (i, slot) in out.iter_mut().enumerate() {
        let shift = 5 * (25 - i);
        *slot = CROCKFORD[((value >> shift) & 31) as usize];
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Canonical JSON: object keys sorted by their UTF-16 code units, no whitespace, strings
/// escaped as `JSON.stringify` does (RFC 8785 for the values a receipt holds: strings,
/// booleans and small integers). Anyone can rebuild these bytes from an exported receipt, in
/// any language, and check the signature against them.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(&mut out, value);
    out
}

fn write_canonical(out: &mut String, value: &Value) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(out, &map[key]);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(out, item);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

impl Document {
    /// The exact bytes that are signed and stored.
    pub fn canonical(&self) -> Result<String, Error> {
        // Purpose ids are ASCII, so the map's byte order is the UTF-16 order RFC 8785 asks for.
        serde_json::to_string(self)
            .map_err(|e| Error::Unavailable(format!("receipt: cannot serialize ({e})")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(overrides: &[(&str, Value)]) -> Vec<u8> {
        let mut v = serde_json::json!({
            "consentId": "k3j4h5g6a1b2c3d4",
            "decidedAt": "2026-11-23T18:42:19Z",
            "revision": 3,
            "purposes": { "necessary": true, "analytics": false, "marketing": true },
            "method": "accept-all",
            "gpc": false,
            "language": "nl",
            "textsHash": "a".repeat(64),
            "url": "https://voorbeeld.nl/pagina"
        });
        for (k, val) in overrides {
            v[*k] = val.clone();
        }
        serde_json::to_vec(&v).unwrap()
    }

    #[test]
    fn c23_valid_receipt_passes() {
        let r = validate(&body(&[]), &SiteConfig::default()).unwrap();
        assert_eq!(r.revision, 3);
        assert_eq!(r.purposes.len(), 3);
    }

    #[test]
    fn messages_name_the_field() {
        let c = SiteConfig::default();
        let cases: Vec<(Value, &str, &str)> = vec![
            (
                serde_json::json!({"necessary": true, "marketng": true}),
                "purposes",
                "purposes.marketng: unknown purpose",
            ),
            (
                serde_json::json!("x"),
                "revision",
                "revision: must be a number, not a string",
            ),
            (
                serde_json::json!(-1),
                "revision",
                "revision: must be a whole number",
            ),
            (
                serde_json::json!("ABC"),
                "consentId",
                "consentId: must be 16",
            ),
            (
                serde_json::json!("sometimes"),
                "method",
                "method: must be one of",
            ),
            (
                serde_json::json!("https://x.nl/?q=1"),
                "url",
                "url: must not contain a query",
            ),
            (
                serde_json::json!("javascript:alert(1)"),
                "url",
                "url: must start with",
            ),
            (
                serde_json::json!("x".repeat(64)),
                "textsHash",
                "textsHash: must be 64",
            ),
            (
                serde_json::json!("2026-13-01T00:00:00Z"),
                "decidedAt",
                "decidedAt: must be",
            ),
            (
                serde_json::json!("2999-01-01T00:00:00Z"),
                "decidedAt",
                "decidedAt: is not a plausible",
            ),
            (serde_json::json!(1), "gpc", "gpc: must be true or false"),
            (
                serde_json::json!("nl'; DROP TABLE receipts;--"),
                "language",
                "language: must be",
            ),
        ];
        for (value, field, expected) in cases {
            let err = validate(&body(&[(field, value)]), &c).unwrap_err();
            assert!(
                err.message().starts_with(expected),
                "{field}: {}",
                err.message()
            );
        }
        let err = validate(&body(&[("ip", serde_json::json!("1.2.3.4"))]), &c).unwrap_err();
        assert_eq!(err.message(), "ip: unknown field");
    }

    #[test]
    fn c23_services_decided_on_their_own_are_kept() {
        let c = SiteConfig::default();
        let r = validate(
            &body(&[(
                "services",
                serde_json::json!({ "youtube": true, "meta": false }),
            )]),
            &c,
        )
        .unwrap();
        assert_eq!(r.services.get("youtube"), Some(&true));
        assert_eq!(r.services.get("meta"), Some(&false));
        let r = validate(&body(&[]), &c).unwrap();
        assert!(r.services.is_empty(), "services is optional");
        for (value, expected) in [
            (serde_json::json!([]), "services: must be an object"),
            (
                serde_json::json!({ "Bad Id": true }),
                "services.Bad Id: not a service id",
            ),
            (
                serde_json::json!({ "youtube": "yes" }),
                "services.youtube: must be true or false",
            ),
        ] {
            let err = validate(&body(&[("services", value)]), &c).unwrap_err();
            assert!(err.message().starts_with(expected), "{}", err.message());
        }
        let many: serde_json::Map<String, Value> = (0..65)
            .map(|i| (format!("s{i}"), Value::Bool(true)))
            .collect();
        let err = validate(&body(&[("services", Value::Object(many))]), &c).unwrap_err();
        assert!(
            err.message().starts_with("services: more than 64"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn document_serializes_canonically() {
        for (ip, ua, services) in [
            (None, None, BTreeMap::new()),
            (
                Some("127.0.0.1"),
                Some("Mozilla/5.0 \"x\" é"),
                [("youtube".to_string(), true)].into(),
            ),
        ] {
            let doc = Document {
                consent_id: "k3j4h5g6a1b2c3d4".into(),
                decided_at: "2026-11-23T18:42:19.000Z".into(),
                gpc: true,
                ip: ip.map(String::from),
                key_id: "0011223344556677".into(),
                language: "nl".into(),
                method: "gpc".into(),
                purposes: [("marketing".into(), false), ("analytics".into(), true)].into(),
                receipt_id: "01m84w6csvtbffdd16q0nyzj58".into(),
                received_at: "2026-11-23T18:42:20.000Z".into(),
                revision: 3,
                sec_gpc: true,
                services,
                texts_hash: "a".repeat(64),
                url: "https://voorbeeld.nl/é".into(),
                user_agent: ua.map(String::from),
            };
            let direct = doc.canonical().unwrap();
            let value: Value = serde_json::from_str(&direct).unwrap();
            assert_eq!(direct, canonical_json(&value));
        }
    }

    #[test]
    fn receipt_ids_are_unique_and_sorted_by_time() {
        let a = new_receipt_id(1_000).unwrap();
        let b = new_receipt_id(2_000).unwrap();
        assert_eq!(a.len(), 26);
        assert!(a < b);
        assert_ne!(new_receipt_id(1_000).unwrap(), a);
    }
}
