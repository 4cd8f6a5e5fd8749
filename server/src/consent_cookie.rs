//! Re-issuing the consent cookie from the server.
//!
//! Safari (ITP) caps cookies written by `document.cookie` to 7 days; a cookie set by an HTTP
//! response keeps its full `Max-Age`. The banner asks the server to echo its cookie back, and
//! the server only echoes a value that is a well-formed format-1 cookie (docs/internals.md),
//! so this cannot be used to plant arbitrary cookies.

use axum::http::{header, HeaderMap};

use crate::config::{is_purpose_id, SiteConfig};
use crate::error::Error;
use crate::receipts::is_consent_id;

const VALUE_LIMIT: usize = 1024;

/// A parsed format-1 cookie: `1.<revision>.<decided unix s>.<method>.<id>.<granted>.<denied>`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentCookie {
    pub value: String,
    pub revision: u32,
    pub decided_at: i64,
    pub method: char,
    pub consent_id: String,
    pub granted: Vec<String>,
    pub denied: Vec<String>,
}

fn purpose_list(field: &str, s: &str, config: &SiteConfig) -> Result<Vec<String>, Error> {
    if s.is_empty() {
        return Ok(Vec::new());
    }
    s.split('+')
        .map(|id| {
            if !is_purpose_id(id) || !config.knows(id) || id == "necessary" {
                Err(Error::invalid(
                    field,
                    format!("{id:?} is not a purpose of this site"),
                ))
            } else {
                Ok(id.to_string())
            }
        })
        .collect()
}

fn digits(field: &str, s: &str) -> Result<u64, Error> {
    if s.is_empty() || s.len() > 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(field, "must be digits"));
    }
    s.parse()
        .map_err(|_| Error::invalid(field, "must be digits"))
}

impl ConsentCookie {
    pub fn parse(value: &str, config: &SiteConfig) -> Result<ConsentCookie, Error> {
        if value.len() > VALUE_LIMIT {
            return Err(Error::invalid("cookie", "too long"));
        }
        let parts: Vec<&str> = value.split('.').collect();
        let [version, revision, decided, method, id, granted, denied] = parts.as_slice() else {
            return Err(Error::invalid(
                "cookie",
                "not in format 1 (7 dot-separated parts)",
            ));
        };
        if *version != "1" {
            return Err(Error::invalid("cookie.version", "must be 1"));
        }
        let revision = u32::try_from(digits("cookie.revision", revision)?)
            .map_err(|_| Error::invalid("cookie.revision", "too large"))?;
        let decided_at = digits("cookie.decided", decided)? as i64;
        let method = match *method {
            "a" | "r" | "c" | "g" => method.chars().next().unwrap_or('c'),
            _ => return Err(Error::invalid("cookie.method", "must be a, r, c or g")),
        };
        if !is_consent_id(id) {
            return Err(Error::invalid(
                "cookie.consentId",
                "must be 16 characters [0-9a-z]",
            ));
        }
        let granted = purpose_list("cookie.granted", granted, config)?;
        let denied = purpose_list("cookie.denied", denied, config)?;
        if granted.iter().any(|g| denied.contains(g)) {
            return Err(Error::invalid(
                "cookie",
                "a purpose is both granted and denied",
            ));
        }
        Ok(ConsentCookie {
            value: value.to_string(),
            revision,
            decided_at,
            method,
            consent_id: id.to_string(),
            granted,
            denied,
        })
    }

    /// The first cookie called `name` in the request's `Cookie` headers.
    pub fn from_request(
        headers: &HeaderMap,
        config: &SiteConfig,
    ) -> Result<Option<ConsentCookie>, Error> {
        for value in headers.get_all(header::COOKIE) {
            let Ok(value) = value.to_str() else { continue };
            for pair in value.split(';') {
                let Some((name, v)) = pair.trim().split_once('=') else {
                    continue;
                };
                if name == config.cookie_name {
                    return ConsentCookie::parse(v.trim_matches('"'), config).map(Some);
                }
            }
        }
        Ok(None)
    }

    /// The `Set-Cookie` value that keeps the cookie until the end of its original lifetime:
    /// re-issuing extends Safari's cap, never the consent itself (C-22, C-24).
    pub fn set_cookie(
        &self,
        config: &SiteConfig,
        secure: bool,
        now_s: i64,
    ) -> Result<String, Error> {
        if self.decided_at > now_s + 86_400 {
            return Err(Error::invalid("cookie.decided", "is in the future"));
        }
        let expires = self.decided_at + i64::from(config.cookie_days) * 86_400;
        let max_age = expires - now_s;
        if max_age <= 0 {
            return Err(Error::invalid("cookie", "expired; ask the visitor again"));
        }
        let mut out = format!(
            "{}={}; Max-Age={max_age}; Path=/; SameSite=Lax",
            config.cookie_name, self.value
        );
        if let Some(domain) = &config.cookie_domain {
            out.push_str("; Domain=");
            out.push_str(domain);
        }
        if secure {
            out.push_str("; Secure");
        }
        Ok(out)
    }
}

/// Whether the visitor reached the site over https, directly or through a proxy that says so.
pub fn request_is_https(headers: &HeaderMap, always: bool) -> bool {
    always
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
        || headers
            .get(header::FORWARDED)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains("proto=https"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_example() {
        let c = ConsentCookie::parse(
            "1.3.1795459200.c.k3j4h5g6a1b2c3d4.analytics.marketing+functional",
            &SiteConfig::default(),
        )
        .unwrap();
        assert_eq!(c.revision, 3);
        assert_eq!(c.granted, ["analytics"]);
        assert_eq!(c.denied, ["marketing", "functional"]);
        let set = c
            .set_cookie(&SiteConfig::default(), true, 1_795_459_200 + 10)
            .unwrap();
        assert_eq!(
            set,
            format!(
                "akkoord={}; Max-Age={}; Path=/; SameSite=Lax; Secure",
                c.value,
                182 * 86_400 - 10
            )
        );
    }

    #[test]
    fn refuses_anything_else() {
        let cfg = SiteConfig::default();
        for bad in [
            "",
            "2.3.1795459200.c.k3j4h5g6a1b2c3d4.analytics.",
            "1.3.1795459200.x.k3j4h5g6a1b2c3d4.analytics.",
            "1.3.1795459200.c.K3J4.analytics.",
            "1.3.1795459200.c.k3j4h5g6a1b2c3d4.evil.",
            "1.3.1795459200.c.k3j4h5g6a1b2c3d4.analytics.analytics",
            "1.3.1795459200.c.k3j4h5g6a1b2c3d4.analytics; Domain=evil.com.",
            "1.3.17954592e0.c.k3j4h5g6a1b2c3d4..",
        ] {
            assert!(ConsentCookie::parse(bad, &cfg).is_err(), "{bad}");
        }
        let old = ConsentCookie::parse("1.3.1000.r.k3j4h5g6a1b2c3d4..", &cfg).unwrap();
        assert!(old.set_cookie(&cfg, false, 1_795_459_200).is_err());
    }
}
