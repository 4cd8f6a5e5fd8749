//! The parts of the site's `akkoord.json` the server needs, read loosely.
//!
//! The banner owns the config schema; the server only needs the purpose ids (to refuse
//! receipts for purposes the site never asked about), the cookie settings (to re-issue the
//! consent cookie) and the receipts endpoint. Anything else in the file is ignored here.

use std::path::Path;

use serde_json::Value;

/// Purposes a site has when its config cannot be found.
pub const DEFAULT_PURPOSES: [&str; 4] = ["necessary", "functional", "analytics", "marketing"];
pub const DEFAULT_COOKIE_NAME: &str = "akkoord";
pub const DEFAULT_COOKIE_DAYS: u32 = 182;
/// C-24: the consent cookie lives 13 months at most.
pub const MAX_COOKIE_DAYS: u32 = 395;
pub const DEFAULT_RECEIPTS_PATH: &str = "/akkoord/receipts";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteConfig {
    pub purposes: Vec<String>,
    pub cookie_name: String,
    pub cookie_days: u32,
    pub cookie_domain: Option<String>,
    /// Path part of `receipts.endpoint`, when the config sets one.
    pub receipts_path: Option<String>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            purposes: DEFAULT_PURPOSES.iter().map(|p| p.to_string()).collect(),
            cookie_name: DEFAULT_COOKIE_NAME.into(),
            cookie_days: DEFAULT_COOKIE_DAYS,
            cookie_domain: None,
            receipts_path: None,
        }
    }
}

/// Purpose ids as in the cookie format: `[a-z][a-z0-9_-]{0,31}`.
pub fn is_purpose_id(id: &str) -> bool {
    let b = id.as_bytes();
    !b.is_empty()
        && b.len() <= 32
        && b[0].is_ascii_lowercase()
        && b[1..]
            .iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_' || *c == b'-')
}

fn is_cookie_name(name: &str) -> bool {
    // RFC 6265 token characters, kept to the safe subset.
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
}

fn is_cookie_domain(domain: &str) -> bool {
    !domain.is_empty()
        && domain.len() <= 253
        && domain
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-'))
}

impl SiteConfig {
    /// Read the file; a missing file gives the defaults (the caller says so), a broken one is
    /// an error so the operator finds out at start and not from rejected receipts.
    pub fn load(path: &Path) -> Result<Option<SiteConfig>, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        Self::parse(&text)
            .map(Some)
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> Result<SiteConfig, String> {
        let root: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
        let mut config = SiteConfig::default();
        if let Some(purposes) = root.get("purposes") {
            let list = purposes.as_array().ok_or("purposes: must be an array")?;
            let mut ids = vec!["necessary".to_string()];
            for (i, item) in list.iter().enumerate() {
                let id = match item {
                    Value::String(s) => s.as_str(),
                    Value::Object(o) => o
                        .get("id")
                        .and_then(Value::as_str)
                        .ok_or(format!("purposes[{i}].id: missing"))?,
                    _ => return Err(format!("purposes[{i}]: must be a string or an object")),
                };
                if !is_purpose_id(id) {
                    return Err(format!("purposes[{i}].id: {id:?} is not a purpose id"));
                }
                if !ids.iter().any(|known| known == id) {
                    ids.push(id.to_string());
                }
            }
            config.purposes = ids;
        }
        if let Some(cookie) = root.get("cookie") {
            if let Some(name) = cookie.get("name").and_then(Value::as_str) {
                if !is_cookie_name(name) {
                    return Err(format!("cookie.name: {name:?} is not a cookie name"));
                }
                config.cookie_name = name.to_string();
            }
            if let Some(days) = cookie.get("days") {
                let days = days
                    .as_u64()
                    .filter(|d| (1..=MAX_COOKIE_DAYS as u64).contains(d))
                    .ok_or(format!("cookie.days: must be 1..={MAX_COOKIE_DAYS}"))?;
                config.cookie_days = days as u32;
            }
            if let Some(domain) = cookie.get("domain").and_then(Value::as_str) {
                if !is_cookie_domain(domain) {
                    return Err(format!("cookie.domain: {domain:?} is not a domain"));
                }
                config.cookie_domain = Some(domain.to_string());
            }
        }
        if let Some(endpoint) = root
            .get("receipts")
            .and_then(|r| r.get("endpoint"))
            .and_then(Value::as_str)
        {
            config.receipts_path = endpoint_path(endpoint);
        }
        Ok(config)
    }

    pub fn knows(&self, purpose: &str) -> bool {
        self.purposes.iter().any(|p| p == purpose)
    }
}

/// `https://host/x/receipts?y` → `/x/receipts`; `/x/receipts` stays. Other forms are ignored.
fn endpoint_path(endpoint: &str) -> Option<String> {
    let path = if let Some(rest) = endpoint
        .strip_prefix("https://")
        .or_else(|| endpoint.strip_prefix("http://"))
    {
        &rest[rest.find('/')?..]
    } else if endpoint.starts_with('/') && !endpoint.starts_with("//") {
        endpoint
    } else {
        return None;
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    (path.len() > 1).then(|| path.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_as_strings_or_objects() {
        let c = SiteConfig::parse(
            r#"{"purposes":["analytics",{"id":"marketing","label":"x"}],
                "cookie":{"name":"cc","days":30,"domain":"voorbeeld.nl"},
                "receipts":{"endpoint":"https://voorbeeld.nl/api/receipts?x=1"}}"#,
        )
        .unwrap();
        assert_eq!(c.purposes, ["necessary", "analytics", "marketing"]);
        assert_eq!(c.cookie_name, "cc");
        assert_eq!(c.cookie_days, 30);
        assert_eq!(c.cookie_domain.as_deref(), Some("voorbeeld.nl"));
        assert_eq!(c.receipts_path.as_deref(), Some("/api/receipts"));
    }

    #[test]
    fn broken_config_is_an_error() {
        assert!(SiteConfig::parse(r#"{"purposes":[1]}"#).is_err());
        assert!(SiteConfig::parse(r#"{"cookie":{"days":9999}}"#).is_err());
        assert!(SiteConfig::parse(r#"{"purposes":["Bad Id"]}"#).is_err());
        assert!(SiteConfig::parse("{").is_err());
    }
}
