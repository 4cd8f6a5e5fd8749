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
    /// Digits only (Meta pixel id, Pinterest tag id, LinkedIn partner id).
    Digits,
    /// A fixed prefix then upper-case letters and digits (`G-`, `AW-`).
    Prefixed(&'static str),
    /// Upper-case letters and digits (TikTok pixel id, about 20 characters).
    Upper,
    /// Lower-case letters and digits (X pixel id, about 5 characters).
    Lower,
    /// A UUID such as `0f8fad5b-d9cb-469f-a165-70867728950e` (Snap pixel id).
    Uuid,
}

impl AccountKind {
    /// Whether `value` has this shape. Only ASCII letters, digits and (for a UUID) dashes
    /// pass, so a valid id can never close the quoted string it is substituted into.
    pub fn accepts(self, value: &str) -> bool {
        let body = match self {
            AccountKind::Prefixed(prefix) => match value.strip_prefix(prefix) {
                Some(rest) => rest,
                None => return false,
            },
            AccountKind::Uuid => {
                return value.len() == 36
                    && value.bytes().enumerate().all(|(i, b)| match i {
                        8 | 13 | 18 | 23 => b == b'-',
                        _ => b.is_ascii_hexdigit(),
                    });
            }
            _ => value,
        };
        (4..=24).contains(&body.len())
            && body.bytes().all(|b| match self {
                // Google Ads conversion ids are "AW-" and a number.
                AccountKind::Digits | AccountKind::Prefixed("AW-") => b.is_ascii_digit(),
                AccountKind::Lower => b.is_ascii_lowercase() || b.is_ascii_digit(),
                _ => b.is_ascii_uppercase() || b.is_ascii_digit(),
            })
    }

    /// What a valid value looks like, for error messages.
    pub fn describe(self) -> &'static str {
        match self {
            AccountKind::Digits => "digits only",
            AccountKind::Prefixed("G-") => "\"G-\" followed by letters and digits",
            AccountKind::Prefixed("AW-") => "\"AW-\" followed by digits",
            AccountKind::Prefixed(_) => "a prefixed id",
            AccountKind::Upper => "upper-case letters and digits",
            AccountKind::Lower => "lower-case letters and digits",
            AccountKind::Uuid => "a UUID (8-4-4-4-12 hexadecimal digits)",
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
    /// Config key that holds the account id (`pixelId`); empty for a click-to-load embed
    /// (YouTube, Vimeo, Google Maps), which injects no script and only gates iframes.
    pub account_key: &'static str,
    /// Shape of the account id.
    pub account: AccountKind,
    /// Cookies the vendor sets.
    pub cookies: &'static [CookieSpec],
    /// Data is transferred outside the EEA.
    pub third_country: bool,
    /// The vendor's privacy policy.
    pub policy_url: &'static str,
    /// Takes advanced matching (P-07); how is in its [`Code`].
    pub matching: bool,
}

/// What a built-in template runs: its loader, the vendor's consent calls and how it takes
/// hashed identifiers. Only the full module's gating reads it (see [`CODES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// The template's `id`.
    pub id: &'static str,
    /// Hosts the vendor's script talks to (the test suite forbids them before consent).
    pub hosts: &'static [&'static str],
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
    /// Advanced matching, for vendors that take hashed identifiers (P-07).
    pub matching: Option<Matching>,
}

impl Template {
    /// What this template runs.
    pub fn code(&self) -> Option<&'static Code> {
        CODES.iter().find(|c| c.id == self.id)
    }
}

/// How a template passes a visitor's hashed e-mail and phone (P-07, `crate::matching`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Matching {
    /// Key of the e-mail hash.
    pub email: &'static str,
    /// Key of the phone hash, if the vendor takes one.
    pub phone: Option<&'static str>,
    /// The phone is hashed in E.164 form, with its `+` (`+31612345678`), rather than as digits.
    pub phone_plus: bool,
    /// What `{match}` in the template's `init` becomes; `{m}` is the object of hashes.
    pub init: &'static str,
    /// Hands the hashes to a vendor already initialised in this page (`{id}`, `{m}`), for a
    /// visitor who logs in after the pixel loaded; `None` when the vendor only reads them at
    /// initialisation, so they apply from the next page on.
    pub late: Option<&'static str>,
}

/// Meta's official base code (fbevents.js loader), without the `<noscript>` image (P-08).
const META_BASE: &str = "!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?n.callMethod.apply(n,arguments):n.queue.push(arguments)};if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;n.version='2.0';n.queue=[];t=b.createElement(e);t.async=!0;t.src=v;s=b.getElementsByTagName(e)[0];s.parentNode.insertBefore(t,s)}(window,document,'script','https://connect.facebook.net/en_US/fbevents.js');";

/// TikTok's official base code (events.js loader) without the `ttq.load`/`ttq.page` lines,
/// which the template's `init` issues between `holdConsent` and `grantConsent` (P-04).
const TIKTOK_BASE: &str = "!function(w,d,t){w.TiktokAnalyticsObject=t;var ttq=w[t]=w[t]||[];ttq.methods=[\"page\",\"track\",\"identify\",\"instances\",\"debug\",\"on\",\"off\",\"once\",\"ready\",\"alias\",\"group\",\"enableCookie\",\"disableCookie\",\"holdConsent\",\"revokeConsent\",\"grantConsent\"],ttq.setAndDefer=function(t,e){t[e]=function(){t.push([e].concat(Array.prototype.slice.call(arguments,0)))}};for(var i=0;i<ttq.methods.length;i++)ttq.setAndDefer(ttq,ttq.methods[i]);ttq.instance=function(t){for(var e=ttq._i[t]||[],n=0;n<ttq.methods.length;n++)ttq.setAndDefer(e,ttq.methods[n]);return e},ttq.load=function(e,n){var r=\"https://analytics.tiktok.com/i18n/pixel/events.js\",o=n&&n.partner;ttq._i=ttq._i||{},ttq._i[e]=[],ttq._i[e]._u=r,ttq._t=ttq._t||{},ttq._t[e]=+new Date,ttq._o=ttq._o||{},ttq._o[e]=n||{};n=document.createElement(\"script\");n.type=\"text/javascript\",n.async=!0,n.src=r+\"?sdkid=\"+e+\"&lib=\"+t;e=document.getElementsByTagName(\"script\")[0];e.parentNode.insertBefore(n,e)}}(window,document,'ttq');";

/// Pinterest's official base code (core.js loader).
const PINTEREST_BASE: &str = "!function(e){if(!window.pintrk){window.pintrk=function(){window.pintrk.queue.push(Array.prototype.slice.call(arguments))};var n=window.pintrk;n.queue=[],n.version=\"3.0\";var t=document.createElement(\"script\");t.async=!0,t.src=e;var r=document.getElementsByTagName(\"script\")[0];r.parentNode.insertBefore(t,r)}}(\"https://s.pinimg.com/ct/core.js\");";

/// LinkedIn's official Insight Tag loader; the partner id lines are the template's `init`.
const LINKEDIN_BASE: &str = "(function(l){if(!l){window.lintrk=function(a,b){window.lintrk.q.push([a,b])};window.lintrk.q=[]}var s=document.getElementsByTagName(\"script\")[0];var b=document.createElement(\"script\");b.type=\"text/javascript\";b.async=true;b.src=\"https://snap.licdn.com/li.lms-analytics/insight.min.js\";s.parentNode.insertBefore(b,s)})(window.lintrk);";

/// X's official base code (uwt.js loader).
const X_BASE: &str = "!function(e,t,n,s,u,a){e.twq||(s=e.twq=function(){s.exe?s.exe.apply(s,arguments):s.queue.push(arguments)},s.version='1.1',s.queue=[],u=t.createElement(n),u.async=!0,u.src='https://static.ads-twitter.com/uwt.js',a=t.getElementsByTagName(n)[0],a.parentNode.insertBefore(u,a))}(window,document,'script');";

/// Snap's official base code (scevent.min.js loader).
const SNAP_BASE: &str = "(function(e,t,n){if(e.snaptr)return;var a=e.snaptr=function(){a.handleRequest?a.handleRequest.apply(a,arguments):a.queue.push(arguments)};a.queue=[];var s='script';var r=t.createElement(s);r.async=!0;r.src=n;var u=t.getElementsByTagName(s)[0];u.parentNode.insertBefore(r,u)})(window,document,'https://sc-static.net/scevent.min.js');";

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
        cookies: &[
            CookieSpec {
                name: "_fbp",
                days: 90,
                first_party: true,
            },
            CookieSpec {
                name: "_fbc",
                days: 90,
                first_party: true,
            },
            CookieSpec {
                name: "fr",
                days: 90,
                first_party: false,
            },
        ],
        third_country: true,
        policy_url: "https://www.facebook.com/privacy/policy/",
        matching: true,
    },
    Template {
        id: "google-analytics",
        name: "Google Analytics 4",
        provider: "Google Ireland Ltd.",
        purposes: &["analytics", "marketing"],
        account_key: "measurementId",
        account: AccountKind::Prefixed("G-"),
        cookies: &[
            CookieSpec {
                name: "_ga",
                days: 395,
                first_party: true,
            },
            CookieSpec {
                name: "_ga_*",
                days: 395,
                first_party: true,
            },
        ],
        third_country: true,
        policy_url: "https://policies.google.com/privacy",
        matching: false,
    },
    Template {
        id: "google-ads",
        name: "Google Ads",
        provider: "Google Ireland Ltd.",
        purposes: &["marketing"],
        account_key: "conversionId",
        account: AccountKind::Prefixed("AW-"),
        cookies: &[
            CookieSpec {
                name: "_gcl_*",
                days: 90,
                first_party: true,
            },
            CookieSpec {
                name: "IDE",
                days: 395,
                first_party: false,
            },
        ],
        third_country: true,
        policy_url: "https://policies.google.com/privacy",
        matching: false,
    },
    Template {
        id: "tiktok-pixel",
        name: "TikTok Pixel",
        provider: "TikTok Technology Ltd.",
        purposes: &["marketing"],
        account_key: "pixelId",
        account: AccountKind::Upper,
        cookies: &[
            CookieSpec {
                name: "_ttp",
                days: 395,
                first_party: true,
            },
            CookieSpec {
                name: "_tt_enable_cookie",
                days: 395,
                first_party: true,
            },
            CookieSpec {
                name: "ttcsid*",
                days: 395,
                first_party: true,
            },
        ],
        third_country: true,
        policy_url: "https://www.tiktok.com/legal/page/eea/privacy-policy/en",
        matching: true,
    },
    Template {
        id: "pinterest-tag",
        name: "Pinterest Tag",
        provider: "Pinterest Europe Ltd.",
        purposes: &["marketing"],
        account_key: "tagId",
        account: AccountKind::Digits,
        cookies: &[
            CookieSpec {
                name: "_pin_unauth",
                days: 365,
                first_party: true,
            },
            CookieSpec {
                name: "_epik",
                days: 365,
                first_party: true,
            },
            CookieSpec {
                name: "_derived_epik",
                days: 365,
                first_party: true,
            },
            CookieSpec {
                name: "_pinterest_ct_ua",
                days: 365,
                first_party: false,
            },
        ],
        third_country: true,
        policy_url: "https://policy.pinterest.com/privacy-policy",
        matching: true,
    },
    Template {
        id: "linkedin-insight",
        name: "LinkedIn Insight Tag",
        provider: "LinkedIn Ireland Unlimited Company",
        purposes: &["marketing"],
        account_key: "partnerId",
        account: AccountKind::Digits,
        cookies: &[
            CookieSpec {
                name: "li_fat_id",
                days: 30,
                first_party: true,
            },
            CookieSpec {
                name: "li_adsId",
                days: 30,
                first_party: true,
            },
            CookieSpec {
                name: "li_sugr",
                days: 90,
                first_party: false,
            },
            CookieSpec {
                name: "bcookie",
                days: 365,
                first_party: false,
            },
        ],
        third_country: true,
        policy_url: "https://www.linkedin.com/legal/privacy-policy",
        matching: false,
    },
    Template {
        id: "x-pixel",
        name: "X Pixel",
        provider: "Twitter International Unlimited Company",
        purposes: &["marketing"],
        account_key: "pixelId",
        account: AccountKind::Lower,
        cookies: &[
            CookieSpec {
                name: "_twclid",
                days: 730,
                first_party: true,
            },
            CookieSpec {
                name: "muc_ads",
                days: 730,
                first_party: false,
            },
            CookieSpec {
                name: "personalization_id",
                days: 730,
                first_party: false,
            },
        ],
        third_country: true,
        policy_url: "https://x.com/privacy",
        matching: false,
    },
    Template {
        id: "snap-pixel",
        name: "Snap Pixel",
        provider: "Snap B.V.",
        purposes: &["marketing"],
        account_key: "pixelId",
        account: AccountKind::Uuid,
        cookies: &[
            CookieSpec {
                name: "_scid",
                days: 395,
                first_party: true,
            },
            CookieSpec {
                name: "_scid_r",
                days: 395,
                first_party: true,
            },
            CookieSpec {
                name: "_sctr",
                days: 395,
                first_party: true,
            },
        ],
        third_country: true,
        policy_url: "https://values.snap.com/privacy/privacy-policy",
        matching: true,
    },
    Template {
        id: "microsoft-clarity",
        name: "Microsoft Clarity",
        provider: "Microsoft Ireland Operations Ltd.",
        purposes: &["analytics"],
        account_key: "projectId",
        account: AccountKind::Lower,
        cookies: &[
            CookieSpec {
                name: "_clck",
                days: 365,
                first_party: true,
            },
            CookieSpec {
                name: "_clsk",
                days: 1,
                first_party: true,
            },
            CookieSpec {
                name: "MUID",
                days: 390,
                first_party: false,
            },
        ],
        third_country: true,
        policy_url: "https://privacy.microsoft.com/privacystatement",
        matching: false,
    },
    Template {
        id: "youtube",
        name: "YouTube",
        provider: "Google Ireland Limited",
        purposes: &["marketing", "functional"],
        account_key: "",
        account: AccountKind::Digits,
        cookies: &[
            CookieSpec {
                name: "VISITOR_INFO1_LIVE",
                days: 180,
                first_party: false,
            },
            CookieSpec {
                name: "VISITOR_PRIVACY_METADATA",
                days: 180,
                first_party: false,
            },
            CookieSpec {
                name: "YSC",
                days: 0,
                first_party: false,
            },
        ],
        third_country: true,
        policy_url: "https://policies.google.com/privacy",
        matching: false,
    },
    Template {
        id: "vimeo",
        name: "Vimeo",
        provider: "Vimeo.com, Inc.",
        purposes: &["functional", "marketing", "analytics"],
        account_key: "",
        account: AccountKind::Digits,
        cookies: &[
            CookieSpec {
                name: "vuid",
                days: 730,
                first_party: false,
            },
            CookieSpec {
                name: "__cf_bm",
                days: 1,
                first_party: false,
            },
        ],
        third_country: true,
        policy_url: "https://vimeo.com/privacy",
        matching: false,
    },
    Template {
        id: "google-maps",
        name: "Google Maps",
        provider: "Google Ireland Limited",
        purposes: &["functional", "marketing"],
        account_key: "",
        account: AccountKind::Digits,
        cookies: &[CookieSpec {
            name: "NID",
            days: 183,
            first_party: false,
        }],
        third_country: true,
        policy_url: "https://policies.google.com/privacy",
        matching: false,
    },
];

/// What each template runs, in the order of [`TEMPLATES`]. Kept apart from the descriptions so
/// the first visit's module, which only describes services, carries no vendor code.
pub static CODES: &[Code] = &[
    Code {
        id: "meta-pixel",
        hosts: &["connect.facebook.net", "www.facebook.com"],
        family: "fbq",
        family_src: None,
        family_init: META_BASE,
        // P-03: revoke before init, grant once consent is known, on every page load.
        init: "fbq('consent','revoke');fbq('init','{id}'{match});fbq('consent','grant');fbq('track','PageView');",
        revoke: Revoke::Api(&[Call { function: "fbq", args: &[Arg::Str("consent"), Arg::Str("revoke")] }]),
        // Meta reads manual advanced matching from the init call, hashed values included
        // (REFERENCE §3.1); a second init with the data is how a login after load reaches it.
        matching: Some(Matching {
            email: "em",
            phone: Some("ph"),
            phone_plus: false,
            init: ",{m}",
            late: Some("fbq('init','{id}',{m});"),
        }),
    },
    Code {
        id: "google-analytics",
        hosts: GOOGLE_HOSTS,
        family: "gtag",
        family_src: Some("https://www.googletagmanager.com/gtag/js?id={id}"),
        family_init: "gtag('js',new Date());",
        init: "gtag('config','{id}');",
        // Consent Mode update (denied) is sent for every withdrawal by the banner itself (G-07).
        revoke: Revoke::Api(&[]),
        matching: None,
    },
    Code {
        id: "google-ads",
        hosts: GOOGLE_HOSTS,
        family: "gtag",
        family_src: Some("https://www.googletagmanager.com/gtag/js?id={id}"),
        family_init: "gtag('js',new Date());",
        init: "gtag('config','{id}');",
        revoke: Revoke::Api(&[]),
        matching: None,
    },
    Code {
        id: "tiktok-pixel",
        hosts: &["analytics.tiktok.com", "analytics.us.tiktok.com"],
        family: "ttq",
        family_src: None,
        family_init: TIKTOK_BASE,
        // P-04: events are held until consent is granted, on every page load.
        init: "ttq.holdConsent();ttq.load('{id}');{match}ttq.page();ttq.grantConsent();",
        revoke: Revoke::Api(&[Call { function: "ttq.revokeConsent", args: &[] }]),
        // ttq.identify takes SHA-256 values and may be called at any time (REFERENCE §3.2).
        // Unlike TikTok's customer files (digits, §4.1), the pixel wants the phone in E.164
        // with its "+" (Tealium's TikTok Pixel tag guide; TikTok Events API parameters).
        matching: Some(Matching {
            email: "email",
            phone: Some("phone_number"),
            phone_plus: true,
            init: "ttq.identify({m});",
            late: Some("ttq.identify({m});"),
        }),
    },
    Code {
        id: "pinterest-tag",
        hosts: &["s.pinimg.com", "ct.pinterest.com"],
        family: "pintrk",
        family_src: None,
        family_init: PINTEREST_BASE,
        // P-05: consent is given right after load, before the page event.
        init: "pintrk('load','{id}'{match});pintrk('setconsent',true);pintrk('page');",
        revoke: Revoke::Api(&[Call { function: "pintrk", args: &[Arg::Str("setconsent"), Arg::Bool(false)] }]),
        // Enhanced match: `em` in the load call, e-mail only (REFERENCE §3.5).
        matching: Some(Matching {
            email: "em",
            phone: None,
            phone_plus: false,
            init: ",{m}",
            late: None,
        }),
    },
    Code {
        id: "linkedin-insight",
        hosts: &["snap.licdn.com", "px.ads.linkedin.com"],
        family: "lintrk",
        family_src: None,
        family_init: LINKEDIN_BASE,
        init: "_linkedin_partner_id='{id}';window._linkedin_data_partner_ids=window._linkedin_data_partner_ids||[];window._linkedin_data_partner_ids.push(_linkedin_partner_id);",
        // P-06: no consent API, so a withdrawal reloads the page without it.
        revoke: Revoke::Reload,
        matching: None,
    },
    Code {
        id: "x-pixel",
        hosts: &["static.ads-twitter.com", "analytics.twitter.com", "t.co"],
        family: "twq",
        family_src: None,
        family_init: X_BASE,
        init: "twq('config','{id}');",
        revoke: Revoke::Reload,
        matching: None,
    },
    Code {
        id: "snap-pixel",
        hosts: &["sc-static.net", "tr.snapchat.com"],
        family: "snaptr",
        family_src: None,
        family_init: SNAP_BASE,
        init: "snaptr('init','{id}'{match});snaptr('track','PAGE_VIEW');",
        revoke: Revoke::Reload,
        // Snap's init takes pre-hashed identifiers under their own keys.
        matching: Some(Matching {
            email: "user_hashed_email",
            phone: Some("user_hashed_phone_number"),
            phone_plus: false,
            init: ",{m}",
            late: None,
        }),
    },
    Code {
        id: "microsoft-clarity",
        hosts: &["www.clarity.ms", "c.clarity.ms", "x.clarity.ms"],
        family: "clarity",
        family_src: None,
        family_init: "",
        // The tracking code carries the project id, so it runs per service. Consent API v2
        // (learn.microsoft.com/clarity/clarity-consent-api-v2): analytics storage granted, as
        // the visitor just did; ads storage stays denied, because that is marketing, which this
        // analytics template cannot see.
        init: concat!(
            "(function(c,l,a,r,i,t,y){c[a]=c[a]||function(){(c[a].q=c[a].q||[]).push(arguments)};t=l.createElement(r);t.async=1;t.src=\"https://www.clarity.ms/tag/\"+i;y=l.getElementsByTagName(r)[0];y.parentNode.insertBefore(t,y)})(window,document,\"clarity\",\"script\",\"{id}\");",
            "clarity('consentv2',{ad_Storage:'denied',analytics_Storage:'granted'});"
        ),
        // Its withdrawal call takes an object, which `Call` cannot carry: reload instead.
        revoke: Revoke::Reload,
        matching: None,
    },
    Code {
        id: "youtube",
        hosts: &[
            "www.youtube.com",
            "www.youtube-nocookie.com",
            "i.ytimg.com",
            "s.ytimg.com",
        ],
        family: "youtube",
        family_src: None,
        family_init: "",
        init: "",
        revoke: Revoke::Api(&[]),
        matching: None,
    },
    Code {
        id: "vimeo",
        hosts: &["player.vimeo.com", "i.vimeocdn.com", "f.vimeocdn.com"],
        family: "vimeo",
        family_src: None,
        family_init: "",
        init: "",
        revoke: Revoke::Api(&[]),
        matching: None,
    },
    Code {
        id: "google-maps",
        hosts: &["www.google.com", "maps.google.com", "maps.googleapis.com", "maps.gstatic.com"],
        family: "google-maps",
        family_src: None,
        family_init: "",
        init: "",
        revoke: Revoke::Api(&[]),
        matching: None,
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
