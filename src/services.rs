//! The built-in service registry: every vendor Akkoord can load, as data.
//!
//! One table drives the preferences layer (name, provider, cookies, third country, policy),
//! what is injected after consent, the vendor calls on grant and withdrawal, which
//! first-party cookies are deleted on withdrawal, the cookie statement, and the test lists of
//! forbidden hosts (REFERENCE.md §3). Adding a vendor means adding a row, not a code path.
//!
//! Account ids are validated against [`AccountKind`] before they are substituted into the
//! inline snippets, so a config can never smuggle script text into the page.

/// A cookie (or storage item) a service sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookieSpec {
    /// Name; a trailing `*` matches a prefix (`_ga_*`).
    pub name: &'static str,
    /// Lifetime in days (0 = session).
    pub days: u32,
    /// Set on the site's own domain (deletable by the site) rather than the vendor's.
    pub first_party: bool,
}

/// One argument of a vendor consent call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// A string argument.
    Str(&'static str),
    /// A boolean argument.
    Bool(bool),
}

/// A call into the vendor's global API, e.g. `fbq('consent', 'revoke')`. `function` may be a
/// dotted path (`ttq.revokeConsent`), called with the object before the last dot as `this`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    /// Global function (or dotted method path) to call.
    pub function: &'static str,
    /// Arguments, in order.
    pub args: &'static [Arg],
}

/// How a withdrawal reaches the vendor once its script has run in the page (C-21).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revoke {
    /// The vendor has a revoke API: call these, then stop all further calls.
    Api(&'static [Call]),
    /// No revoke API: delete its cookies and reload so the script is gone.
    Reload,
}

/// Shape of the account id a template needs, checked before substitution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    /// Digits only (Meta pixel id).
    Digits,
    /// A fixed prefix then upper-case letters and digits (`G-`, `AW-`).
    Prefixed(&'static str),
}

impl AccountKind {
    /// Whether `value` has this shape.
    pub fn accepts(self, value: &str) -> bool {
        let body = match self {
            AccountKind::Digits => value,
            AccountKind::Prefixed(prefix) => match value.strip_prefix(prefix) {
                Some(rest) => rest,
                None => return false,
            },
        };
        (4..=24).contains(&body.len())
            && body.bytes().all(|b| match self {
                AccountKind::Digits => b.is_ascii_digit(),
                AccountKind::Prefixed(_) => b.is_ascii_uppercase() || b.is_ascii_digit(),
            })
    }

    /// What a valid value looks like, for error messages.
    pub fn describe(self) -> &'static str {
        match self {
            AccountKind::Digits => "digits only",
            AccountKind::Prefixed("G-") => "\"G-\" followed by letters and digits",
            AccountKind::Prefixed("AW-") => "\"AW-\" followed by digits",
            AccountKind::Prefixed(_) => "a prefixed id",
        }
    }
}

/// A built-in service template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// The `template` value in the config.
    pub id: &'static str,
    /// Human name shown in the preferences and the statement.
    pub name: &'static str,
    /// Company that receives the data.
    pub provider: &'static str,
    /// Purposes this template may be placed under; the first is the usual one.
    pub purposes: &'static [&'static str],
    /// Config key that holds the account id (`pixelId`).
    pub account_key: &'static str,
    /// Shape of the account id.
    pub account: AccountKind,
    /// Hosts the vendor's script talks to (the test suite forbids them before consent).
    pub hosts: &'static [&'static str],
    /// Cookies the vendor sets.
    pub cookies: &'static [CookieSpec],
    /// Data is transferred outside the EEA.
    pub third_country: bool,
    /// The vendor's privacy policy.
    pub policy_url: &'static str,
    /// Services sharing a family share one loader (GA4 and Google Ads share gtag.js).
    pub family: &'static str,
    /// External script inserted once per family; `{id}` is the account id.
    pub family_src: Option<&'static str>,
    /// Inline script run once per family, after `family_src` is inserted.
    pub family_init: &'static str,
    /// Inline script run once per configured service; `{id}` is the account id.
    pub init: &'static str,
    /// Withdrawal strategy.
    pub revoke: Revoke,
}

/// Meta's official base code (fbevents.js loader), without the `<noscript>` image (P-08).
const META_BASE: &str = "!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?n.callMethod.apply(n,arguments):n.queue.push(arguments)};if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;n.version='2.0';n.queue=[];t=b.createElement(e);t.async=!0;t.src=v;s=b.getElementsByTagName(e)[0];s.parentNode.insertBefore(t,s)}(window,document,'script','https://connect.facebook.net/en_US/fbevents.js');";

const GOOGLE_HOSTS: &[&str] = &[
    "www.googletagmanager.com",
    "www.google-analytics.com",
    "region1.google-analytics.com",
    "stats.g.doubleclick.net",
    "googleads.g.doubleclick.net",
    "www.googleadservices.com",
    "www.google.com",
];

/// Every built-in template.
pub static TEMPLATES: &[Template] = &[
    Template {
        id: "meta-pixel",
        name: "Meta Pixel",
        provider: "Meta Platforms Ireland Ltd.",
        purposes: &["marketing"],
        account_key: "pixelId",
        account: AccountKind::Digits,
        hosts: &["connect.facebook.net", "www.facebook.com"],
        cookies: &[
            CookieSpec { name: "_fbp", days: 90, first_party: true },
            CookieSpec { name: "_fbc", days: 90, first_party: true },
            CookieSpec { name: "fr", days: 90, first_party: false },
        ],
        third_country: true,
        policy_url: "https://www.facebook.com/privacy/policy/",
        family: "fbq",
        family_src: None,
        family_init: META_BASE,
        // P-03: revoke before init, grant once consent is known, on every page load.
        init: "fbq('consent','revoke');fbq('init','{id}');fbq('consent','grant');fbq('track','PageView');",
        revoke: Revoke::Api(&[Call { function: "fbq", args: &[Arg::Str("consent"), Arg::Str("revoke")] }]),
    },
    Template {
        id: "google-analytics",
        name: "Google Analytics 4",
        provider: "Google Ireland Ltd.",
        purposes: &["analytics", "marketing"],
        account_key: "measurementId",
        account: AccountKind::Prefixed("G-"),
        hosts: GOOGLE_HOSTS,
        cookies: &[
            CookieSpec { name: "_ga", days: 395, first_party: true },
            CookieSpec { name: "_ga_*", days: 395, first_party: true },
        ],
        third_country: true,
        policy_url: "https://policies.google.com/privacy",
        family: "gtag",
        family_src: Some("https://www.googletagmanager.com/gtag/js?id={id}"),
        family_init: "gtag('js',new Date());",
        init: "gtag('config','{id}');",
        // Consent Mode update (denied) is sent for every withdrawal by the banner itself (G-07).
        revoke: Revoke::Api(&[]),
    },
    Template {
        id: "google-ads",
        name: "Google Ads",
        provider: "Google Ireland Ltd.",
        purposes: &["marketing"],
        account_key: "conversionId",
        account: AccountKind::Prefixed("AW-"),
        hosts: GOOGLE_HOSTS,
        cookies: &[
            CookieSpec { name: "_gcl_*", days: 90, first_party: true },
            CookieSpec { name: "IDE", days: 395, first_party: false },
        ],
        third_country: true,
        policy_url: "https://policies.google.com/privacy",
        family: "gtag",
        family_src: Some("https://www.googletagmanager.com/gtag/js?id={id}"),
        family_init: "gtag('js',new Date());",
        init: "gtag('config','{id}');",
        revoke: Revoke::Api(&[]),
    },
];

/// Look a template up by its config name.
pub fn template(id: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.id == id)
}

/// Whether cookie `name` matches spec `pattern` (`_ga_*` matches `_ga_ABC123`).
pub fn cookie_matches(pattern: &str, name: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => name == pattern,
    }
}
