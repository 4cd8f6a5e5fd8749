//! Per-platform normalization (REFERENCE §4.1): normalize first, then hash.
//!
//! The same person gets different hashes on different platforms (Google wants `+31…`, Meta
//! `31…`), so every function here takes the target platform.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    Meta,
    Google,
    TikTok,
    X,
    LinkedIn,
    Snap,
}

impl Platform {
    pub const ALL: [Platform; 6] = [
        Platform::Meta,
        Platform::Google,
        Platform::TikTok,
        Platform::X,
        Platform::LinkedIn,
        Platform::Snap,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Platform::Meta => "meta",
            Platform::Google => "google",
            Platform::TikTok => "tiktok",
            Platform::X => "x",
            Platform::LinkedIn => "linkedin",
            Platform::Snap => "snap",
        }
    }

    /// The upload file's layout for this platform (see README "Output per platform").
    pub fn layout(self) -> Layout {
        match self {
            // Meta customer-list columns `email`, `phone` accept SHA-256 values.
            Platform::Meta => Layout {
                header: Some("email,phone"),
                phone: true,
            },
            // Customer Match UI headers; hashed values go under the same headers.
            Platform::Google => Layout {
                header: Some("Email,Phone"),
                phone: true,
            },
            // TikTok names hashed columns `Email_SHA256` / `Phone_SHA256`.
            Platform::TikTok => Layout {
                header: Some("Email_SHA256,Phone_SHA256"),
                phone: true,
            },
            // X reads one identifier per line and the type is picked in the UI; a header line would
            // be read as an identifier, and X's phone normalization is unverified, so: e-mail only.
            Platform::X => Layout {
                header: None,
                phone: false,
            },
            // LinkedIn matches e-mail only; its template's first column is `email`. Check against
            // the template from Campaign Manager (REFERENCE marks the headers unverified).
            Platform::LinkedIn => Layout {
                header: Some("email"),
                phone: false,
            },
            // Snap's file format is not researched in REFERENCE: the conservative choice is the
            // simplest file, one column of e-mail hashes without a header.
            Platform::Snap => Layout {
                header: None,
                phone: false,
            },
        }
    }
}

/// What the output file looks like: an optional header line and whether there is a phone column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub header: Option<&'static str>,
    pub phone: bool,
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Platform {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "meta" | "facebook" | "instagram" => Ok(Platform::Meta),
            "google" => Ok(Platform::Google),
            "tiktok" => Ok(Platform::TikTok),
            "x" | "twitter" => Ok(Platform::X),
            "linkedin" => Ok(Platform::LinkedIn),
            "snap" | "snapchat" => Ok(Platform::Snap),
            _ => Err("unknown platform; use meta, google, tiktok, x, linkedin or snap".into()),
        }
    }
}

/// Country calling codes, and whether the national form starts with a trunk `0` that is dropped
/// in the international form (Italy and San Marino keep it).
const COUNTRIES: &[(&str, &str, bool)] = &[
    ("NL", "31", true),
    ("BE", "32", true),
    ("DE", "49", true),
    ("FR", "33", true),
    ("LU", "352", false),
    ("GB", "44", true),
    ("UK", "44", true),
    ("IE", "353", true),
    ("ES", "34", false),
    ("PT", "351", false),
    ("IT", "39", false),
    ("SM", "378", false),
    ("AT", "43", true),
    ("CH", "41", true),
    ("LI", "423", false),
    ("DK", "45", false),
    ("SE", "46", true),
    ("NO", "47", false),
    ("FI", "358", true),
    ("IS", "354", false),
    ("PL", "48", false),
    ("CZ", "420", false),
    ("SK", "421", true),
    ("HU", "36", true),
    ("RO", "40", true),
    ("BG", "359", true),
    ("GR", "30", false),
    ("HR", "385", true),
    ("SI", "386", true),
    ("EE", "372", false),
    ("LV", "371", false),
    ("LT", "370", true),
    ("CY", "357", false),
    ("MT", "356", false),
    ("TR", "90", true),
    ("MA", "212", true),
    ("SR", "597", false),
    ("CW", "599", false),
    ("AW", "297", false),
    ("US", "1", false),
    ("CA", "1", false),
    ("AU", "61", true),
    ("NZ", "64", true),
    ("ZA", "27", true),
    ("IN", "91", true),
    ("JP", "81", true),
    ("CN", "86", true),
    ("BR", "55", true),
    ("MX", "52", false),
];

/// A country for completing national phone numbers (`06-12345678` + NL → `31612345678`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    pub code: &'static str,
    calling: &'static str,
    trunk_zero: bool,
}

impl Country {
    /// Looks up an ISO 3166 alpha-2 code (`NL`, `be`); `None` when the table does not know it.
    pub fn parse(s: &str) -> Option<Country> {
        let s = s.trim();
        COUNTRIES
            .iter()
            .find(|(code, _, _)| code.eq_ignore_ascii_case(s))
            .map(|&(code, calling, trunk_zero)| Country {
                code,
                calling,
                trunk_zero,
            })
    }

    pub fn known_codes() -> impl Iterator<Item = &'static str> {
        COUNTRIES.iter().map(|(c, _, _)| *c)
    }
}

fn is_trim_char(c: char) -> bool {
    // Meta's SDK strips " \t\r\n\0\x0B"; Unicode whitespace covers NBSP from spreadsheets too.
    c.is_whitespace() || c == '\0'
}

/// The e-mail form most platforms document: trim, lowercase. This is also the form objection
/// hashes are compared in, whatever the platform.
pub fn email_canonical(raw: &str) -> Option<String> {
    let mut out = String::new();
    email_canonical_into(raw, &mut out).then_some(out)
}

/// [`email_canonical`] into a reused buffer (the pipeline calls this once per row); false when
/// the address is not valid.
pub fn email_canonical_into(raw: &str, out: &mut String) -> bool {
    out.clear();
    let t = raw.trim_matches(is_trim_char);
    if t.is_ascii() {
        out.push_str(t);
        out.make_ascii_lowercase();
    } else {
        out.push_str(&t.to_lowercase());
    }
    valid_email(out)
}

/// The e-mail as `platform` wants it hashed, or `None` when it is empty or not an address (CA-02).
pub fn email_for(platform: Platform, raw: &str) -> Option<String> {
    match platform {
        Platform::Google => {
            let e = email_canonical(raw)?;
            Some(gmail_without_dots(e))
        }
        Platform::TikTok => {
            let no_spaces: String = raw.chars().filter(|c| !is_trim_char(*c)).collect();
            let e = email_canonical(&no_spaces)?;
            let e = without_plus_tag(e);
            valid_email(&e).then_some(e)
        }
        Platform::Meta | Platform::X | Platform::LinkedIn | Platform::Snap => email_canonical(raw),
    }
}

/// The loosest form of an address, used only to match objections: gmail dots removed and any
/// `+tag` removed. Someone who objected as `j.doe+news@gmail.com` is also suppressed as
/// `jdoe@gmail.com`; suppressing too much is the safe side.
pub fn email_loose(canonical: &str) -> String {
    without_plus_tag(gmail_without_dots(canonical.to_string()))
}

/// Google: "remove all periods (.) that precede the domain name in gmail.com and googlemail.com".
fn gmail_without_dots(e: String) -> String {
    match e.rsplit_once('@') {
        Some((local, domain))
            if matches!(domain, "gmail.com" | "googlemail.com") && local.contains('.') =>
        {
            format!("{}@{}", local.replace('.', ""), domain)
        }
        _ => e,
    }
}

/// TikTok: "remove + and anything after it up to @".
fn without_plus_tag(e: String) -> String {
    match e.rsplit_once('@') {
        Some((local, domain)) => match local.find('+') {
            Some(i) if i > 0 => format!("{}@{}", &local[..i], domain),
            _ => e,
        },
        None => e,
    }
}

/// A deliberately plain syntax check: enough to drop empty cells, names, phone numbers and
/// half-typed addresses typed into the e-mail column, without rejecting real addresses.
pub fn valid_email(e: &str) -> bool {
    let Some((local, domain)) = e.rsplit_once('@') else {
        return false;
    };
    if local.is_empty() || local.len() > 64 || domain.len() < 3 || e.len() > 254 {
        return false;
    }
    let bad = if e.is_ascii() {
        // Most addresses: a byte test instead of decoding chars.
        e.bytes().any(|b| {
            matches!(
                b,
                0..=b' '
                    | 0x7f
                    | b','
                    | b';'
                    | b':'
                    | b'<'
                    | b'>'
                    | b'('
                    | b')'
                    | b'['
                    | b']'
                    | b'\\'
                    | b'"'
            )
        }) || local.as_bytes().contains(&b'@')
    } else {
        local.chars().any(bad_email_char) || domain.chars().any(bad_email_char)
    };
    if bad {
        return false;
    }
    if local.starts_with('.') || local.ends_with('.') {
        return false;
    }
    let mut labels = 0;
    let mut last = "";
    for label in domain.split('.') {
        if label.is_empty() || label.starts_with('-') || label.ends_with('-') {
            return false;
        }
        labels += 1;
        last = label;
    }
    labels >= 2 && last.chars().count() >= 2
}

fn bad_email_char(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '@' | ',' | ';' | ':' | '<' | '>' | '(' | ')' | '[' | ']' | '\\' | '"'
        )
}

/// A phone number as E.164 digits without `+` (`31612345678`), or `None` when it cannot be made
/// into one. National numbers are completed with `country` (the row's, else `--country`).
///
/// * `+…` and `00…` are international already.
/// * A leading trunk `0` is dropped and the country code put in front (`06-12345678` → `31612345678`).
/// * Digits that already start with the country's calling code are taken as international,
///   otherwise the code is put in front (`612345678` + NL → `31612345678`).
/// * Without a country, only international forms are accepted.
pub fn phone_digits(raw: &str, country: Option<Country>) -> Option<String> {
    let mut out = String::new();
    phone_digits_into(raw, country, &mut out).then_some(out)
}

/// [`phone_digits`] into a reused buffer; false when the number cannot be used.
pub fn phone_digits_into(raw: &str, country: Option<Country>, out: &mut String) -> bool {
    out.clear();
    let raw = raw.trim_matches(is_trim_char);
    if raw.starts_with('+') {
        // "+31 (0)6 1234 5678" is a common way to write Dutch numbers; the (0) is not dialled.
        let (a, b) = raw.split_once("(0)").unwrap_or((raw, ""));
        out.extend(a.chars().chain(b.chars()).filter(char::is_ascii_digit));
    } else {
        out.extend(raw.chars().filter(char::is_ascii_digit));
        if out.starts_with("00") {
            out.drain(..2);
        } else if let Some(c) = country {
            if c.trunk_zero && out.starts_with('0') {
                let zeros = out.len() - out.trim_start_matches('0').len();
                out.replace_range(..zeros, c.calling);
            } else if c.calling == "1" && out.starts_with("011") {
                out.drain(..3);
            } else if !(out.starts_with(c.calling) && out.len() > 9) {
                out.insert_str(0, c.calling);
            }
        } else if out.starts_with('0') {
            return false;
        }
    }
    (8..=15).contains(&out.len()) && !out.starts_with('0')
}

/// The phone number as `platform` wants it hashed; `None` when the platform takes no phone.
pub fn phone_for(platform: Platform, digits: &str) -> Option<String> {
    match platform {
        // Meta: "no leading +" (a leading + "does not receive any matches when hashed").
        Platform::Meta | Platform::TikTok | Platform::Snap => Some(digits.to_string()),
        // Google: "Format phone number value using the E.164 format" — with the plus.
        Platform::Google => Some(format!("+{digits}")),
        Platform::X | Platform::LinkedIn => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nl() -> Option<Country> {
        Country::parse("NL")
    }

    #[test]
    fn ca02_email_validity() {
        for ok in [
            "a@b.nl",
            "jan.de.vries+nieuws@voorbeeld.nl",
            "x@sub.domein.co.uk",
            "ö@bücher.de",
        ] {
            assert!(valid_email(ok), "{ok}");
        }
        for bad in [
            "",
            "@",
            "a@",
            "@b.nl",
            "a@b",
            "a b@c.nl",
            "a@b..nl",
            "a@b.c",
            "a@-b.nl",
            ".a@b.nl",
            "0612345678",
            "a@b@c.nl",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn gmail_and_plus_rules() {
        assert_eq!(
            email_for(Platform::Google, " J.Doe@GMail.com "),
            Some("jdoe@gmail.com".into())
        );
        assert_eq!(
            email_for(Platform::Google, "j.doe@example.com"),
            Some("j.doe@example.com".into())
        );
        assert_eq!(
            email_for(Platform::Meta, "J.Doe@gmail.com"),
            Some("j.doe@gmail.com".into())
        );
        assert_eq!(
            email_for(Platform::TikTok, "Jan + ads@Example.com"),
            Some("jan@example.com".into())
        );
        assert_eq!(
            email_for(Platform::TikTok, "+x@example.com"),
            Some("+x@example.com".into())
        );
        assert_eq!(email_loose("j.doe+x@gmail.com"), "jdoe@gmail.com");
    }

    #[test]
    fn phone_forms() {
        assert_eq!(
            phone_digits("06-12345678", nl()).as_deref(),
            Some("31612345678")
        );
        assert_eq!(
            phone_digits("+31 6 12345678", None).as_deref(),
            Some("31612345678")
        );
        assert_eq!(
            phone_digits("+31 (0)6 1234 5678", None).as_deref(),
            Some("31612345678")
        );
        assert_eq!(
            phone_digits("0031612345678", None).as_deref(),
            Some("31612345678")
        );
        assert_eq!(
            phone_digits("31612345678", nl()).as_deref(),
            Some("31612345678")
        );
        assert_eq!(
            phone_digits("612345678", nl()).as_deref(),
            Some("31612345678")
        );
        assert_eq!(phone_digits("06-12345678", None), None);
        assert_eq!(
            phone_digits("(650) 555-1234", Country::parse("us")).as_deref(),
            Some("16505551234")
        );
        assert_eq!(
            phone_digits("06 12 34 56 78", Country::parse("FR")).as_deref(),
            Some("33612345678")
        );
        assert_eq!(
            phone_digits("06 1234567", Country::parse("IT")).as_deref(),
            Some("39061234567")
        );
        assert_eq!(phone_digits("12", nl()), None);
        assert_eq!(phone_digits("", nl()), None);
        assert_eq!(phone_digits("geen", nl()), None);
    }

    #[test]
    fn platform_names_round_trip() {
        for p in Platform::ALL {
            assert_eq!(p.name().parse::<Platform>(), Ok(p));
        }
        assert!("myspace".parse::<Platform>().is_err());
    }
}
