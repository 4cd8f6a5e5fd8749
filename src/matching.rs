//! Advanced matching (P-07): a logged-in visitor's e-mail address and phone number, passed to
//! the marketing pixels that can use them, only ever as normalised SHA-256 lowercase hex.
//!
//! The page hands the plaintext to `akkoord.identify()`; it is normalised and hashed at once
//! and only the hashes are kept, in memory, for this page view. Whether a vendor receives them
//! is decided where its loader is injected, which happens only after its purpose is granted,
//! so the hashes never reach a vendor without marketing consent.

use crate::fingerprint::sha256_hex;
use crate::services::Matching;

/// The hashes of one visitor's identifiers. Plaintext is never stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// SHA-256 of the trimmed, lower-cased e-mail address.
    email: Option<String>,
    /// SHA-256 of the phone number as digits with the country code, no `+`: the form Meta
    /// and Snap hash (REFERENCE §4.1).
    phone: Option<String>,
    /// SHA-256 of the phone number in E.164 form, with the `+`: the form TikTok's pixel hashes.
    phone_e164: Option<String>,
}

/// The e-mail form the platforms document: trim, lowercase. `None` unless it looks like an
/// address (one `@`, something on both sides, a dot in the domain, no spaces inside). Only
/// ASCII letters are lower-cased: full Unicode case tables would cost the banner about 5 KB,
/// for addresses that are rare and that the platforms' own normalisation handles unevenly.
pub fn email_canonical(raw: &str) -> Option<String> {
    let email = raw.trim().to_ascii_lowercase();
    let (local, domain) = email.split_once('@')?;
    let valid = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.bytes().any(|b| b.is_ascii_whitespace());
    valid.then_some(email)
}

/// The phone number as digits with the country code (`+31 6 1234 5678` → `31612345678`).
/// Only international forms (`+…`, `00…`) are accepted: the banner cannot know which country
/// a national number such as `06-12345678` belongs to, and a guessed country code would send
/// a hash that matches someone else or no one.
pub fn phone_digits(raw: &str) -> Option<String> {
    let raw = raw.trim();
    // "+31 (0)6 …": the (0) is not dialled from abroad.
    let raw = raw.replacen("(0)", "", 1);
    if raw
        .chars()
        .any(|c| !(c.is_ascii_digit() || " +-./()".contains(c)))
    {
        return None;
    }
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let digits = if raw.starts_with('+') {
        digits
    } else {
        digits.strip_prefix("00")?.to_string()
    };
    ((8..=15).contains(&digits.len()) && !digits.starts_with('0')).then_some(digits)
}

impl Identity {
    /// Normalise and hash what the page gave. Errors name the field that cannot be used; a
    /// field that is absent or empty is simply left out.
    pub fn new(email: Option<&str>, phone: Option<&str>) -> Result<Identity, String> {
        let email = email.filter(|e| !e.trim().is_empty());
        let phone = phone.filter(|p| !p.trim().is_empty());
        let mut id = Identity::default();
        if let Some(raw) = email {
            let canonical = email_canonical(raw)
                .ok_or_else(|| "identify(): email is not an e-mail address".to_string())?;
            id.email = Some(sha256_hex(canonical.as_bytes()));
        }
        if let Some(raw) = phone {
            let digits = phone_digits(raw).ok_or_else(|| {
                "identify(): phone must be international, with its country code (+31 6 12345678)"
                    .to_string()
            })?;
            id.phone = Some(sha256_hex(digits.as_bytes()));
            id.phone_e164 = Some(sha256_hex(["+", &digits].concat().as_bytes()));
        }
        Ok(id)
    }

    /// Whether there is anything to pass on.
    pub fn is_empty(&self) -> bool {
        self.email.is_none() && self.phone.is_none()
    }

    /// The JavaScript object literal a vendor takes (`{"em":"…","ph":"…"}`), or `None` when
    /// this vendor can use none of the identifiers held. Values are 64 hex digits and keys
    /// come from the registry, so the literal can be placed in script text as it is.
    pub fn literal(&self, spec: &Matching) -> Option<String> {
        let hash = if spec.phone_plus {
            &self.phone_e164
        } else {
            &self.phone
        };
        let phone = spec.phone.zip(hash.as_deref());
        let email = self.email.as_deref().map(|h| (spec.email, h));
        let mut out = String::new();
        for (key, hash) in email.into_iter().chain(phone) {
            out.push(if out.is_empty() { '{' } else { ',' });
            out.extend(["\"", key, "\":\"", hash, "\""]);
        }
        (!out.is_empty()).then(|| out + "}")
    }
}

/// A template's per-service script with `{id}` and `{match}` filled in: `{match}` becomes the
/// template's matching form around the identity's literal, or nothing without one.
pub fn render(code: &str, account: &str, spec: Option<&Matching>, id: Option<&Identity>) -> String {
    let matched = match (spec, id) {
        (Some(spec), Some(id)) => id
            .literal(spec)
            .map(|m| spec.init.replace("{m}", &m))
            .unwrap_or_default(),
        _ => String::new(),
    };
    code.replace("{id}", account).replace("{match}", &matched)
}

/// The script that hands the identity to a vendor already initialised in this page, if the
/// template has one and the vendor can use any of the identifiers held.
pub fn late(spec: &Matching, account: &str, id: &Identity) -> Option<String> {
    let code = spec.late?;
    let literal = id.literal(spec)?;
    Some(code.replace("{id}", account).replace("{m}", &literal))
}
