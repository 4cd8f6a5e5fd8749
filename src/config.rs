//! The site owner's JSON config: a lenient [`RawConfig`] that mirrors the JSON, and the
//! validated [`Config`] everything else uses.
//!
//! Both sides of the boundary read the config with the same code: the JSON text goes
//! through [`crate::json`] and [`FromJson`] natively (`akkoord check`, the server) and in the
//! browser (the loader hands the text over as it was fetched or inlined). So the banner and
//! `akkoord check` cannot disagree about a config, and every error carries the path of the
//! field (`services[1].pixelId: expected a string, found a number`) and its line. Unknown keys
//! are errors rather than silently ignored typos.

use crate::consent::NECESSARY;
use crate::error::Error;
use crate::json::{self, Node, Value};
use crate::record::valid_purpose_id;
use crate::services::{self, Template};
use crate::texts;

/// Reading a Rust value from a JSON node, with the field path for errors.
pub trait FromJson: Sized {
    /// Read `node`, which sits at `path` in the document.
    fn from_json(node: &Node, path: &str) -> Result<Self, Error>;
}

fn expected(node: &Node, path: &str, what: &str) -> Error {
    Error::new(path, ["expected ", what, ", found ", node.kind()].concat()).at_offset(node.offset)
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        [path, ".", key].concat()
    }
}

impl FromJson for String {
    fn from_json(node: &Node, path: &str) -> Result<Self, Error> {
        match &node.value {
            Value::String(s) => Ok(s.clone()),
            _ => Err(expected(node, path, "a string")),
        }
    }
}

impl FromJson for bool {
    fn from_json(node: &Node, path: &str) -> Result<Self, Error> {
        match node.value {
            Value::Bool(b) => Ok(b),
            _ => Err(expected(node, path, "true or false")),
        }
    }
}

impl FromJson for u32 {
    fn from_json(node: &Node, path: &str) -> Result<Self, Error> {
        match &node.value {
            Value::Number(n) => n
                .parse()
                .map_err(|_| expected(node, path, "a whole number from 0 to 4294967295")),
            _ => Err(expected(node, path, "a whole number")),
        }
    }
}

/// A JSON array whose element errors carry their index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Indexed<T>(pub Vec<T>);

impl<T: FromJson> FromJson for Indexed<T> {
    fn from_json(node: &Node, path: &str) -> Result<Self, Error> {
        let Value::Array(items) = &node.value else {
            return Err(expected(node, path, "an array"));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(T::from_json(item, &path_index(path, i, ""))?);
        }
        Ok(Indexed(out))
    }
}

/// A JSON object with arbitrary keys, kept in document order; value errors carry the key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pairs<T>(pub Vec<(String, T)>);

impl<T: FromJson> FromJson for Pairs<T> {
    fn from_json(node: &Node, path: &str) -> Result<Self, Error> {
        let Value::Object(entries) = &node.value else {
            return Err(expected(node, path, "an object"));
        };
        let mut out = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            out.push((key.clone(), T::from_json(value, &child(path, key))?));
        }
        Ok(Pairs(out))
    }
}

/// Record a validation problem. Not inlined: the config's many checks each become one call
/// rather than a copy of `Vec::push`, which the banner would download every time.
#[inline(never)]
fn fail(errors: &mut Vec<Error>, path: impl Into<String>, message: impl Into<String>) {
    errors.push(Error::new(path, message));
}

/// Read `value` into `slot`, refusing a key given twice. One function per field type rather
/// than this code in every field of every object: the banner downloads each copy.
fn set_once<T: FromJson>(slot: &mut Option<T>, value: &Node, path: String) -> Result<(), Error> {
    if slot.is_some() {
        return Err(Error::new(path, "duplicate key").at_offset(value.offset));
    }
    *slot = Some(T::from_json(value, &path)?);
    Ok(())
}

/// Declares a raw JSON object: every field optional, unknown and duplicate keys rejected
/// with their path. `at` is the object's offset in the source, for line numbers.
macro_rules! raw_object {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty = $key:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: Option<$ty>,)*
            /// Byte offset of this object in the source text.
            pub at: usize,
        }

        impl $name {
            /// The JSON keys this object accepts.
            pub const KEYS: &'static [&'static str] = &[$($key),*];
        }

        impl FromJson for $name {
            fn from_json(node: &Node, path: &str) -> Result<Self, Error> {
                let Value::Object(entries) = &node.value else {
                    return Err(expected(node, path, "an object"));
                };
                let mut out = $name { at: node.offset, ..$name::default() };
                for (key, value) in entries {
                    let field_path = child(path, key);
                    match key.as_str() {
                        $($key => set_once(&mut out.$field, value, field_path)?,)*
                        _ => return Err(Error::new(field_path, "unknown key").at_offset(value.offset)),
                    }
                }
                Ok(out)
            }
        }
    };
}

raw_object! {
    /// The config exactly as written in JSON.
    RawConfig {
        /// Bump to re-prompt every visitor (C-22).
        revision: u32 = "revision",
        /// Who processes the data (C-08).
        controller: String = "controller",
        /// `auto` (page `lang`, then browser) or a language code to force.
        language: String = "language",
        /// URL of the cookie statement (C-25).
        cookie_statement: String = "cookieStatement",
        /// URL of the privacy policy.
        privacy_policy: String = "privacyPolicy",
        /// The consent cookie's settings.
        cookie: RawCookie = "cookie",
        /// Purpose ids, `necessary` first.
        purposes: Indexed<String> = "purposes",
        /// Services: built-in templates or custom.
        services: Indexed<RawService> = "services",
        /// Where decisions are sent as receipts.
        receipts: RawReceipts = "receipts",
        /// Text overrides per language and key.
        texts: Pairs<Pairs<String>> = "texts",
        /// Honour Global Privacy Control (default true).
        gpc: bool = "gpc",
        /// `auto`, `light` or `dark`.
        theme: String = "theme",
    }
}

raw_object! {
    /// `cookie` in the config.
    RawCookie {
        /// Cookie name.
        name: String = "name",
        /// Cookie domain, for sharing across subdomains.
        domain: String = "domain",
        /// Lifetime in days.
        days: u32 = "days",
    }
}

raw_object! {
    /// `receipts` in the config.
    RawReceipts {
        /// The receipt endpoint.
        endpoint: String = "endpoint",
    }
}

raw_object! {
    /// One entry of `services`.
    RawService {
        /// Unique id, usable in `data-akkoord`.
        id: String = "id",
        /// Built-in template name.
        template: String = "template",
        /// Purpose it belongs to.
        purpose: String = "purpose",
        /// Display name (custom services).
        name: String = "name",
        /// Provider (custom services).
        provider: String = "provider",
        /// What it does.
        description: String = "description",
        /// Provider's privacy policy.
        policy_url: String = "policyUrl",
        /// Data leaves the EEA.
        third_country: bool = "thirdCountry",
        /// Cookies it sets.
        cookies: Indexed<RawServiceCookie> = "cookies",
        /// Pixel id (Meta, TikTok, X, Snap; each template checks its own shape).
        pixel_id: String = "pixelId",
        /// GA4 measurement id.
        measurement_id: String = "measurementId",
        /// Google Ads conversion id.
        conversion_id: String = "conversionId",
        /// Pinterest tag id.
        tag_id: String = "tagId",
        /// LinkedIn partner id.
        partner_id: String = "partnerId",
        /// Microsoft Clarity project id.
        project_id: String = "projectId",
        /// Pass `akkoord.identify()` hashes to this pixel (advanced matching, P-07).
        matching: bool = "matching",
    }
}

raw_object! {
    /// A cookie declared by a custom service.
    RawServiceCookie {
        /// Name (`*` suffix for a prefix).
        name: String = "name",
        /// Lifetime in days.
        days: u32 = "days",
        /// Set by the provider on its own domain.
        third_party: bool = "thirdParty",
    }
}

/// Default consent-cookie lifetime: 6 months (CNIL good practice, C-22).
pub const DEFAULT_DAYS: u32 = 182;
/// Longest allowed consent lifetime: 13 months.
pub const MAX_DAYS: u32 = 395;

/// Standard purposes, in display order.
pub const STANDARD_PURPOSES: &[&str] = &[NECESSARY, "functional", "analytics", "marketing"];

/// The consent cookie's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieSettings {
    /// Cookie name (default `akkoord`).
    pub name: String,
    /// Domain attribute, if any.
    pub domain: Option<String>,
    /// Lifetime in days.
    pub days: u32,
}

/// A cookie a service sets, for the preferences layer, the statement and deletion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceCookie {
    /// Name or `prefix*`.
    pub name: String,
    /// Lifetime in days.
    pub days: u32,
    /// On the site's own domain.
    pub first_party: bool,
}

/// A validated service.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Unique id.
    pub id: String,
    /// Purpose it runs under.
    pub purpose: String,
    /// The built-in template, if any.
    pub template: Option<&'static Template>,
    /// The template's account id (validated).
    pub account: Option<String>,
    /// Display name.
    pub name: String,
    /// Provider.
    pub provider: String,
    /// Description, if given.
    pub description: Option<String>,
    /// Privacy policy URL.
    pub policy_url: Option<String>,
    /// Data leaves the EEA.
    pub third_country: bool,
    /// Cookies it sets.
    pub cookies: Vec<ServiceCookie>,
    /// Receives the hashed identifiers given to `akkoord.identify()` (P-07).
    pub matching: bool,
}

/// Colour scheme of the banner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// Follow `prefers-color-scheme`.
    Auto,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// A validated config with defaults resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Config revision.
    pub revision: u32,
    /// Controller name.
    pub controller: String,
    /// Forced language, if any.
    pub language: Option<String>,
    /// Cookie statement URL.
    pub cookie_statement: Option<String>,
    /// Privacy policy URL.
    pub privacy_policy: Option<String>,
    /// Consent cookie settings.
    pub cookie: CookieSettings,
    /// Purpose ids, `necessary` first.
    pub purposes: Vec<String>,
    /// Services.
    pub services: Vec<Service>,
    /// Receipt endpoint, if any.
    pub receipts_endpoint: Option<String>,
    /// Text overrides: (language, key, text).
    pub texts: Vec<(String, String, String)>,
    /// Whether GPC pre-sets marketing to denied.
    pub honour_gpc: bool,
    /// Colour scheme.
    pub theme: Theme,
}

impl Config {
    /// Parse and validate a JSON text. Errors carry byte offsets: turn them into lines with
    /// [`json::line_of`].
    pub fn from_json(text: &str) -> Result<Config, Vec<Error>> {
        RawConfig::parse(text).map_err(|e| vec![e])?.validate()
    }

    /// The purposes a visitor can decide on (all but `necessary`).
    pub fn optional_purposes(&self) -> impl Iterator<Item = &str> {
        self.purposes
            .iter()
            .map(String::as_str)
            .filter(|p| *p != NECESSARY)
    }

    /// Whether `purpose` is configured.
    pub fn has_purpose(&self, purpose: &str) -> bool {
        self.purposes.iter().any(|p| p == purpose)
    }

    /// A service by id.
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    /// The languages the banner can show: the forced one, or the bundled ones plus any
    /// declared in `texts`.
    pub fn languages(&self) -> Vec<String> {
        if let Some(lang) = &self.language {
            return vec![lang.clone()];
        }
        let mut out: Vec<String> = texts::BUNDLED.iter().map(|l| l.to_string()).collect();
        for (lang, _, _) in &self.texts {
            if !out.contains(lang) {
                out.push(lang.clone());
            }
        }
        out
    }
}

impl RawConfig {
    /// Read the JSON text into the raw config (syntax, types, unknown keys).
    pub fn parse(text: &str) -> Result<RawConfig, Error> {
        RawConfig::from_json(&json::parse(text)?, "")
    }
}

fn quoted(value: &str) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    s.push('"');
    s.push_str(value);
    s.push('"');
    s
}

fn path_index(base: &str, index: usize, field: &str) -> String {
    let mut s = String::from(base);
    s.push('[');
    s.push_str(&index.to_string());
    s.push(']');
    if !field.is_empty() {
        s.push('.');
        s.push_str(field);
    }
    s
}

fn valid_url(url: &str) -> bool {
    (url.starts_with('/') && !url.starts_with("//"))
        || url.starts_with("https://")
        || url.starts_with("http://")
}

fn valid_cookie_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn valid_domain(domain: &str) -> bool {
    let d = domain.strip_prefix('.').unwrap_or(domain);
    !d.is_empty()
        // A byte, not a char pattern: `str::contains(char)` brings the substring searcher along.
        && d.as_bytes().contains(&b'.')
        && d.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
}

impl RawConfig {
    /// Validate and resolve defaults. Returns every problem found, each naming its field.
    pub fn validate(self) -> Result<Config, Vec<Error>> {
        let mut found = Vec::new();
        let errors = &mut found;

        let revision = self.revision.unwrap_or_else(|| {
            fail(
                errors,
                "revision",
                "missing (a number; bump it to ask everyone again)",
            );
            0
        });
        let controller = match self.controller {
            Some(c) if !c.trim().is_empty() => c,
            Some(_) => {
                fail(
                    errors,
                    "controller",
                    "empty (name the company that decides on the data)",
                );
                String::new()
            }
            None => {
                fail(
                    errors,
                    "controller",
                    "missing (name the company that decides on the data)",
                );
                String::new()
            }
        };

        let language = match self.language.as_deref() {
            None | Some("auto") => None,
            Some(lang) if lang.len() == 2 && lang.bytes().all(|b| b.is_ascii_lowercase()) => {
                Some(lang.to_string())
            }
            Some(other) => {
                fail(
                    errors,
                    "language",
                    [
                        "\"auto\" or a two-letter language code, not ",
                        &quoted(other),
                    ]
                    .concat(),
                );
                None
            }
        };

        for (key, url) in [
            ("cookieStatement", &self.cookie_statement),
            ("privacyPolicy", &self.privacy_policy),
        ] {
            if let Some(url) = url {
                if !valid_url(url) {
                    fail(
                        errors,
                        key,
                        "must be a path starting with / or an http(s) URL",
                    );
                }
            }
        }

        let raw_cookie = self.cookie.unwrap_or_default();
        let cookie_name = raw_cookie.name.unwrap_or_else(|| "akkoord".to_string());
        if !valid_cookie_name(&cookie_name) {
            fail(errors, "cookie.name", "use letters, digits, _ and - only");
        }
        let days = raw_cookie.days.unwrap_or(DEFAULT_DAYS);
        if days == 0 || days > MAX_DAYS {
            fail(
                errors,
                "cookie.days",
                [
                    &days.to_string(),
                    " is outside 1..=395 (consent may be kept 13 months at most)",
                ]
                .concat(),
            );
        }
        if let Some(domain) = &raw_cookie.domain {
            if !valid_domain(domain) {
                fail(
                    errors,
                    "cookie.domain",
                    "not a domain name like \".voorbeeld.nl\"",
                );
            }
        }

        let mut purposes: Vec<String> = vec![NECESSARY.to_string()];
        match self.purposes {
            None => fail(
                errors,
                "purposes",
                "missing (e.g. [\"necessary\", \"analytics\", \"marketing\"])",
            ),
            Some(Indexed(list)) => {
                for (i, id) in list.into_iter().enumerate() {
                    if !valid_purpose_id(&id) {
                        fail(
                            errors,
                            path_index("purposes", i, ""),
                            [
                                &quoted(&id),
                                " is not a purpose id (lowercase letters, digits, - and _)",
                            ]
                            .concat(),
                        );
                    } else if id == NECESSARY {
                        continue;
                    } else if purposes.contains(&id) {
                        fail(
                            errors,
                            path_index("purposes", i, ""),
                            ["duplicate purpose ", &quoted(&id)].concat(),
                        );
                    } else {
                        purposes.push(id);
                    }
                }
            }
        }

        let mut texts_out: Vec<(String, String, String)> = Vec::new();
        for (lang, Pairs(entries)) in self.texts.map(|p| p.0).unwrap_or_default() {
            let lang_path = ["texts.", &lang].concat();
            if lang.len() != 2 || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
                fail(errors, lang_path.as_str(), "not a two-letter language code");
                continue;
            }
            for (key, value) in entries {
                if !texts::is_key(&key, &purposes) {
                    fail(errors, [&lang_path, ".", &key].concat(), "unknown text key");
                } else {
                    texts_out.push((lang.clone(), key, value));
                }
            }
        }

        let mut services_out: Vec<Service> = Vec::new();
        for (i, raw) in self
            .services
            .map(|s| s.0)
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            if let Some(service) = validate_service(i, raw, &purposes, &services_out, errors) {
                services_out.push(service);
            }
        }

        let receipts_endpoint = self.receipts.and_then(|r| r.endpoint);
        if let Some(endpoint) = &receipts_endpoint {
            if !valid_url(endpoint) {
                fail(
                    errors,
                    "receipts.endpoint",
                    "must be a path starting with / or an http(s) URL",
                );
            }
        }

        let theme = match self.theme.as_deref() {
            None | Some("auto") => Theme::Auto,
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            Some(other) => {
                fail(
                    errors,
                    "theme",
                    ["\"auto\", \"light\" or \"dark\", not ", &quoted(other)].concat(),
                );
                Theme::Auto
            }
        };

        let config = Config {
            revision,
            controller,
            language,
            cookie_statement: self.cookie_statement,
            privacy_policy: self.privacy_policy,
            cookie: CookieSettings {
                name: cookie_name,
                domain: raw_cookie.domain,
                days,
            },
            purposes,
            services: services_out,
            receipts_endpoint,
            texts: texts_out,
            honour_gpc: self.gpc.unwrap_or(true),
            theme,
        };

        // Every language the banner may show needs every text, including custom purposes'.
        for lang in config.languages() {
            for key in texts::missing(&config, &lang) {
                fail(
                    errors,
                    ["texts.", &lang, ".", &key].concat(),
                    "missing text (this language is declared or forced, so every text is needed)",
                );
            }
        }

        if found.is_empty() {
            Ok(config)
        } else {
            Err(found)
        }
    }
}

fn validate_service(
    i: usize,
    raw: RawService,
    purposes: &[String],
    earlier: &[Service],
    errors: &mut Vec<Error>,
) -> Option<Service> {
    let before = errors.len();
    let at = raw.at;
    let field = |name: &str| path_index("services", i, name);

    let id = raw.id.unwrap_or_default();
    if !valid_purpose_id(&id) {
        fail(
            errors,
            field("id"),
            "missing or invalid (lowercase letters, digits, - and _)",
        );
    } else if earlier.iter().any(|s| s.id == id) || purposes.contains(&id) {
        fail(
            errors,
            field("id"),
            [
                "duplicate id ",
                &quoted(&id),
                " (ids of services and purposes share one namespace)",
            ]
            .concat(),
        );
    }

    let purpose = match raw.purpose {
        Some(p) if purposes.contains(&p) => p,
        Some(p) => {
            fail(
                errors,
                field("purpose"),
                ["unknown purpose ", &quoted(&p)].concat(),
            );
            p
        }
        None => {
            fail(errors, field("purpose"), "missing");
            String::new()
        }
    };

    let accounts = [
        ("pixelId", raw.pixel_id),
        ("measurementId", raw.measurement_id),
        ("conversionId", raw.conversion_id),
        ("tagId", raw.tag_id),
        ("partnerId", raw.partner_id),
        ("projectId", raw.project_id),
    ];

    let template = match raw.template.as_deref() {
        None => None,
        Some(name) => match services::template(name) {
            Some(t) => Some(t),
            None => {
                let known: Vec<&str> = services::TEMPLATES.iter().map(|t| t.id).collect();
                fail(
                    errors,
                    field("template"),
                    [
                        "unknown template ",
                        &quoted(name),
                        " (known: ",
                        &known.join(", "),
                        ")",
                    ]
                    .concat(),
                );
                return None;
            }
        },
    };

    let mut account = None;
    match template {
        Some(t) => {
            if purpose == NECESSARY {
                fail(
                    errors,
                    field("purpose"),
                    [
                        "\"necessary\" cannot hold the tracker ",
                        &quoted(t.id),
                        " (C-14)",
                    ]
                    .concat(),
                );
            } else if STANDARD_PURPOSES.contains(&purpose.as_str())
                && !t.purposes.contains(&purpose.as_str())
            {
                fail(
                    errors,
                    field("purpose"),
                    [&quoted(t.id), " belongs under ", &t.purposes.join(" or ")].concat(),
                );
            }
            for (key, value) in accounts {
                match value {
                    Some(v) if key == t.account_key => {
                        if t.account.accepts(&v) {
                            account = Some(v);
                        } else {
                            fail(
                                errors,
                                field(key),
                                ["expected ", t.account.describe()].concat(),
                            );
                        }
                    }
                    Some(_) if t.account_key.is_empty() => fail(
                        errors,
                        field(key),
                        [
                            "not used by template ",
                            &quoted(t.id),
                            " (an embed takes no account id)",
                        ]
                        .concat(),
                    ),
                    Some(_) => fail(
                        errors,
                        field(key),
                        [
                            "not used by template ",
                            &quoted(t.id),
                            " (it takes ",
                            t.account_key,
                            ")",
                        ]
                        .concat(),
                    ),
                    None if key == t.account_key => fail(
                        errors,
                        field(key),
                        ["missing (template ", &quoted(t.id), " needs it)"].concat(),
                    ),
                    None => {}
                }
            }
        }
        None => {
            for (key, value) in accounts {
                if value.is_some() {
                    fail(errors, field(key), "only used with a \"template\"");
                }
            }
            if raw.name.is_none() {
                fail(
                    errors,
                    field("name"),
                    "missing (a custom service needs a name)",
                );
            }
            if raw.provider.is_none() {
                fail(
                    errors,
                    field("provider"),
                    "missing (a custom service needs a provider)",
                );
            }
        }
    }

    let matching = raw.matching.unwrap_or(false);
    if matching && !template.is_some_and(|t| t.matching) {
        let with: Vec<&str> = services::TEMPLATES
            .iter()
            .filter(|t| t.matching)
            .map(|t| t.id)
            .collect();
        fail(
            errors,
            field("matching"),
            [
                "advanced matching is only for the templates ",
                &with.join(", "),
                " (P-07)",
            ]
            .concat(),
        );
    } else if matching && purpose != "marketing" {
        fail(
            errors,
            field("matching"),
            "advanced matching needs the service under \"marketing\" (P-07)",
        );
    }

    let mut cookies: Vec<ServiceCookie> = template
        .map(|t| {
            t.cookies
                .iter()
                .map(|c| ServiceCookie {
                    name: c.name.to_string(),
                    days: c.days,
                    first_party: c.first_party,
                })
                .collect()
        })
        .unwrap_or_default();
    for (j, c) in raw
        .cookies
        .map(|c| c.0)
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        let cookie_field = |name: &str| {
            let mut p = path_index(&field("cookies"), j, name);
            if name.is_empty() {
                p.pop();
            }
            p
        };
        let name = match c.name {
            Some(n) if !n.is_empty() => n,
            _ => {
                fail(errors, cookie_field("name"), "missing");
                continue;
            }
        };
        let days = match c.days {
            Some(d) => d,
            None => {
                fail(
                    errors,
                    cookie_field("days"),
                    "missing (Planet49: visitors must be told how long)",
                );
                0
            }
        };
        cookies.push(ServiceCookie {
            name,
            days,
            first_party: !c.third_party.unwrap_or(false),
        });
    }

    // Point every problem of this service at the service's line.
    for e in errors.iter_mut().skip(before) {
        if e.offset().is_none() {
            *e = e.clone().at_offset(at);
        }
    }
    if errors.len() > before {
        return None;
    }
    Some(Service {
        id,
        purpose,
        template,
        account,
        name: raw
            .name
            .or_else(|| template.map(|t| t.name.to_string()))
            .unwrap_or_default(),
        provider: raw
            .provider
            .or_else(|| template.map(|t| t.provider.to_string()))
            .unwrap_or_default(),
        description: raw.description,
        policy_url: raw
            .policy_url
            .or_else(|| template.map(|t| t.policy_url.to_string())),
        third_country: raw
            .third_country
            .unwrap_or_else(|| template.is_some_and(|t| t.third_country)),
        cookies,
        matching,
    })
}
