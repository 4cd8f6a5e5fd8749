//! The cookie statement (C-25, C-17), built from the same config and service registry as
//! the banner, so the statement and what the banner loads cannot drift apart.
//!
//! [`Statement::build`] turns a [`Config`] and a language into plain data: per purpose, per
//! service, the provider, the purpose, every cookie with its lifetime and whether it is first
//! or third party, the transfer outside the EEA, the legal basis (consent, or exempt for
//! `necessary`) and the provider's policy, followed by how to change or withdraw consent.
//! The banner renders that data into `<div data-akkoord-statement>`; `akkoord statement`
//! renders it as HTML or Markdown with [`Statement::to_html`] and [`Statement::to_markdown`],
//! which exist natively only so they cost the banner nothing.
//!
//! ```
//! use akkoord::{config::Config, statement::{Basis, Statement}};
//!
//! let config = Config::from_json(r#"{
//!     "revision": 1,
//!     "controller": "Voorbeeld B.V.",
//!     "purposes": ["necessary", "marketing"],
//!     "services": [{ "id": "meta", "template": "meta-pixel", "purpose": "marketing", "pixelId": "1234567890" }]
//! }"#).expect("valid config");
//!
//! let statement = Statement::build(&config, "nl").expect("Dutch is bundled");
//! let marketing = &statement.purposes[1];
//! assert_eq!(marketing.basis, Basis::Consent);
//! assert_eq!(marketing.services[0].provider, "Meta Platforms Ireland Ltd.");
//! assert!(marketing.services[0].cookies.iter().any(|c| c.name == "_fbp" && c.days == 90));
//! // The consent cookie itself is listed under `necessary`, exempt from consent (C-14).
//! assert_eq!(statement.purposes[0].basis, Basis::Exempt);
//! assert_eq!(statement.purposes[0].services[0].cookies[0].name, "akkoord");
//! ```

use crate::config::Config;
use crate::consent::NECESSARY;
use crate::error::Error;
use crate::texts::{self, Texts};

/// The wording the statement needs beyond the banner's own texts: headings, labels and the
/// sentences on legal basis and withdrawal. Purpose titles and descriptions, durations and the
/// withdrawal sentence come from [`Texts`], so a site's overrides show up in both places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wording {
    /// Language code.
    pub lang: &'static str,
    /// Title of the statement.
    pub title: &'static str,
    /// Opening paragraph; `{controller}` is replaced.
    pub intro: &'static str,
    /// Label for the controller's name.
    pub controller: &'static str,
    /// Label for the config revision.
    pub version: &'static str,
    /// Label for a service's purpose.
    pub purpose: &'static str,
    /// Label for the legal basis.
    pub legal_basis: &'static str,
    /// The legal basis of every purpose but `necessary`.
    pub consent: &'static str,
    /// The legal basis of `necessary`: exempt from consent.
    pub exempt: &'static str,
    /// Label for the provider.
    pub provider: &'static str,
    /// Column heading for the cookie name.
    pub cookie: &'static str,
    /// Column heading for the lifetime.
    pub duration: &'static str,
    /// Column heading for first or third party.
    pub party: &'static str,
    /// Value: set on the site's own domain.
    pub first_party: &'static str,
    /// Value: set on the provider's domain.
    pub third_party: &'static str,
    /// Label for the transfer outside the EEA.
    pub third_country: &'static str,
    /// "yes"
    pub yes: &'static str,
    /// "no"
    pub no: &'static str,
    /// Label for the provider's privacy policy.
    pub policy: &'static str,
    /// Label for advanced matching (P-07).
    pub matching: &'static str,
    /// What advanced matching sends, for a service with `"matching": true`.
    pub matching_value: &'static str,
    /// Shown under a purpose without services.
    pub no_services: &'static str,
    /// Shown for a service that declares no cookies.
    pub no_cookies: &'static str,
    /// Heading of the withdrawal section.
    pub withdraw_heading: &'static str,
    /// How withdrawal works, after the banner's own withdrawal sentence.
    pub withdraw_effect: &'static str,
    /// How long the choice is kept; `{duration}` is replaced.
    pub keep: &'static str,
    /// Name of the consent cookie's entry.
    pub consent_cookie_name: &'static str,
    /// What the consent cookie is for.
    pub consent_cookie_description: &'static str,
    /// Lead-in to the privacy policy link.
    pub privacy: &'static str,
}

const NL: Wording = Wording {
    lang: "nl",
    title: "Cookieverklaring",
    intro: "{controller} gebruikt op deze website cookies en vergelijkbare technieken, zoals pixels. Hieronder staat per doel welke diensten we gebruiken, wie ze aanbiedt, welke cookies ze plaatsen en hoe lang die blijven, of gegevens buiten de Europese Economische Ruimte (EER) terechtkomen en op welke rechtsgrond dat gebeurt. Noodzakelijke cookies plaatsen we altijd; voor alle andere vragen we eerst je toestemming.",
    controller: "Verwerkingsverantwoordelijke",
    version: "Versie",
    purpose: "Doel",
    legal_basis: "Rechtsgrond",
    consent: "Toestemming",
    exempt: "Uitgezonderd (strikt noodzakelijk)",
    provider: "Aanbieder",
    cookie: "Cookie",
    duration: "Bewaartermijn",
    party: "Eerste of derde partij",
    first_party: "eerste partij (ons domein)",
    third_party: "derde partij (domein van de aanbieder)",
    third_country: "Doorgifte buiten de EER",
    yes: "ja",
    no: "nee",
    policy: "Privacybeleid",
    matching: "Advanced matching",
    matching_value: "als je bent ingelogd: je e-mailadres en/of telefoonnummer, alleen als SHA-256-hash",
    no_services: "Voor dit doel zijn geen diensten ingesteld.",
    no_cookies: "Deze dienst plaatst geen cookies.",
    withdraw_heading: "Hoe wijzig of trek ik mijn toestemming in?",
    withdraw_effect: "Intrekken is net zo makkelijk als toestemming geven, kost niets en heeft geen gevolgen voor het gebruik van de site. Trek je toestemming voor een doel in, dan stoppen de diensten voor dat doel meteen, verwijderen we hun cookies op ons eigen domein en laten we de aanbieders die dat ondersteunen weten dat je toestemming is ingetrokken. Cookies die een aanbieder op zijn eigen domein heeft geplaatst, kun je verwijderen via de instellingen van je browser.",
    keep: "We bewaren je keuze {duration}; daarna vragen we het opnieuw.",
    consent_cookie_name: "Cookiekeuze",
    consent_cookie_description: "Onthoudt je cookiekeuze, ook een weigering, zodat we het niet op elke pagina opnieuw vragen. Bevat niets waarmee je over websites heen gevolgd kunt worden.",
    privacy: "Meer over hoe we met persoonsgegevens omgaan:",
};

const EN: Wording = Wording {
    lang: "en",
    title: "Cookie statement",
    intro: "{controller} uses cookies and similar technologies, such as pixels, on this website. Below you find, per purpose, which services we use, who provides them, which cookies they set and for how long, whether data leaves the European Economic Area (EEA), and on what legal basis. Necessary cookies are always set; for all others we ask your consent first.",
    controller: "Controller",
    version: "Version",
    purpose: "Purpose",
    legal_basis: "Legal basis",
    consent: "Consent",
    exempt: "Exempt (strictly necessary)",
    provider: "Provider",
    cookie: "Cookie",
    duration: "Duration",
    party: "First or third party",
    first_party: "first party (our domain)",
    third_party: "third party (provider's domain)",
    third_country: "Transfer outside the EEA",
    yes: "yes",
    no: "no",
    policy: "Privacy policy",
    matching: "Advanced matching",
    matching_value: "when you are logged in: your e-mail address and/or phone number, only as a SHA-256 hash",
    no_services: "No services are set up for this purpose.",
    no_cookies: "This service sets no cookies.",
    withdraw_heading: "How do I change or withdraw my consent?",
    withdraw_effect: "Withdrawing is as easy as giving consent, costs nothing and does not limit your use of the site. When you withdraw consent for a purpose, its services stop at once, we delete their cookies on our own domain and tell the providers that support it that you withdrew your consent. Cookies a provider set on its own domain can be deleted in your browser's settings.",
    keep: "We keep your choice for {duration}; after that we ask again.",
    consent_cookie_name: "Cookie choice",
    consent_cookie_description: "Remembers your cookie choice, a refusal too, so we do not ask again on every page. It holds nothing that could track you across websites.",
    privacy: "More on how we handle personal data:",
};

const DE: Wording = Wording {
    lang: "de",
    title: "Cookie-Erklärung",
    intro: "{controller} verwendet auf dieser Website Cookies und ähnliche Technologien wie Pixel. Nachfolgend steht für jeden Zweck, welche Dienste wir nutzen, wer sie anbietet, welche Cookies sie setzen und wie lange, ob Daten den Europäischen Wirtschaftsraum (EWR) verlassen und auf welcher Rechtsgrundlage. Unbedingt erforderliche Cookies setzen wir immer; für alle anderen bitten wir vorher um Ihre Einwilligung.",
    controller: "Verantwortlicher",
    version: "Version",
    purpose: "Zweck",
    legal_basis: "Rechtsgrundlage",
    consent: "Einwilligung",
    exempt: "Ausgenommen (unbedingt erforderlich)",
    provider: "Anbieter",
    cookie: "Cookie",
    duration: "Speicherdauer",
    party: "Erst- oder Drittanbieter",
    first_party: "Erstanbieter (unsere Domain)",
    third_party: "Drittanbieter (Domain des Anbieters)",
    third_country: "Übermittlung außerhalb des EWR",
    yes: "ja",
    no: "nein",
    policy: "Datenschutzerklärung",
    matching: "Erweiterter Abgleich",
    matching_value: "wenn Sie angemeldet sind: Ihre E-Mail-Adresse und/oder Telefonnummer, nur als SHA-256-Hash",
    no_services: "Für diesen Zweck sind keine Dienste eingerichtet.",
    no_cookies: "Dieser Dienst setzt keine Cookies.",
    withdraw_heading: "Wie ändere oder widerrufe ich meine Einwilligung?",
    withdraw_effect: "Der Widerruf ist so einfach wie die Einwilligung, kostenlos und ohne Nachteile für die Nutzung der Website. Wenn Sie Ihre Einwilligung für einen Zweck widerrufen, werden die zugehörigen Dienste sofort beendet, wir löschen deren Cookies auf unserer eigenen Domain und teilen den Anbietern, die dies unterstützen, den Widerruf mit. Cookies, die ein Anbieter auf seiner eigenen Domain gesetzt hat, können Sie in den Einstellungen Ihres Browsers löschen.",
    keep: "Wir speichern Ihre Auswahl {duration} lang; danach fragen wir erneut.",
    consent_cookie_name: "Cookie-Auswahl",
    consent_cookie_description: "Speichert Ihre Cookie-Auswahl, auch eine Ablehnung, damit wir nicht auf jeder Seite erneut fragen. Er enthält nichts, womit Sie websiteübergreifend verfolgt werden könnten.",
    privacy: "Mehr dazu, wie wir mit personenbezogenen Daten umgehen:",
};

const FR: Wording = Wording {
    lang: "fr",
    title: "Déclaration relative aux cookies",
    intro: "{controller} utilise sur ce site des cookies et des technologies similaires, comme des pixels. Vous trouverez ci-dessous, pour chaque finalité, les services utilisés, leur fournisseur, les cookies qu’ils déposent et leur durée, si des données sont transférées hors de l’Espace économique européen (EEE) et sur quelle base légale. Les cookies strictement nécessaires sont toujours déposés ; pour tous les autres, nous demandons d’abord votre consentement.",
    controller: "Responsable du traitement",
    version: "Version",
    purpose: "Finalité",
    legal_basis: "Base légale",
    consent: "Consentement",
    exempt: "Exempté (strictement nécessaire)",
    provider: "Fournisseur",
    cookie: "Cookie",
    duration: "Durée",
    party: "Première ou tierce partie",
    first_party: "première partie (notre domaine)",
    third_party: "tierce partie (domaine du fournisseur)",
    third_country: "Transfert hors de l’EEE",
    yes: "oui",
    no: "non",
    policy: "Politique de confidentialité",
    matching: "Correspondance avancée",
    matching_value: "si vous êtes connecté : votre adresse e-mail et/ou numéro de téléphone, uniquement sous forme de hachage SHA-256",
    no_services: "Aucun service n’est configuré pour cette finalité.",
    no_cookies: "Ce service ne dépose aucun cookie.",
    withdraw_heading: "Comment modifier ou retirer mon consentement ?",
    withdraw_effect: "Retirer votre consentement est aussi simple que de le donner, gratuit et sans conséquence pour l’utilisation du site. Si vous retirez votre consentement pour une finalité, les services concernés s’arrêtent immédiatement, nous supprimons leurs cookies sur notre propre domaine et informons du retrait les fournisseurs qui le permettent. Les cookies qu’un fournisseur a déposés sur son propre domaine peuvent être supprimés dans les paramètres de votre navigateur.",
    keep: "Nous conservons votre choix pendant {duration} ; ensuite, nous vous le redemandons.",
    consent_cookie_name: "Choix des cookies",
    consent_cookie_description: "Mémorise votre choix, y compris un refus, pour ne pas vous le redemander à chaque page. Il ne contient rien qui permette de vous suivre d’un site à l’autre.",
    privacy: "Pour en savoir plus sur le traitement de vos données personnelles :",
};

/// Languages the statement has wording for.
pub const LANGUAGES: &[&str] = &["nl", "en", "de", "fr"];

/// The statement wording for `lang`, if there is any.
pub fn wording(lang: &str) -> Option<&'static Wording> {
    match lang {
        "nl" => Some(&NL),
        "en" => Some(&EN),
        "de" => Some(&DE),
        "fr" => Some(&FR),
        _ => None,
    }
}

/// Why a purpose may run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Only after the visitor's consent (ePrivacy 5(3), GDPR 6(1)(a)).
    Consent,
    /// Strictly necessary: exempt from consent (C-14).
    Exempt,
}

/// One cookie of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieEntry {
    /// Name; a trailing `*` stands for a prefix (`_ga_*`).
    pub name: String,
    /// Lifetime in days (0 = session).
    pub days: u32,
    /// The lifetime in words ("90 dagen", "sessie").
    pub duration: String,
    /// Set on the site's own domain rather than the provider's.
    pub first_party: bool,
}

/// One service under a purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceEntry {
    /// Service id from the config (`akkoord` for the consent cookie).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Who receives the data.
    pub provider: String,
    /// What it does, when the config says so.
    pub description: Option<String>,
    /// Data is transferred outside the EEA.
    pub third_country: bool,
    /// The provider's privacy policy; render it as a link only if [`is_linkable`].
    pub policy_url: Option<String>,
    /// Receives hashed identifiers of logged-in visitors (P-07).
    pub matching: bool,
    /// Cookies it sets.
    pub cookies: Vec<CookieEntry>,
}

/// One purpose with its services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurposeSection {
    /// Purpose id.
    pub id: String,
    /// Title in the statement's language.
    pub title: String,
    /// What the purpose is for.
    pub description: String,
    /// Consent, or exempt for `necessary`.
    pub basis: Basis,
    /// Services under this purpose, in config order.
    pub services: Vec<ServiceEntry>,
}

/// A cookie statement for one config in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Language code.
    pub lang: String,
    /// Headings and labels.
    pub wording: &'static Wording,
    /// Who decides on the data.
    pub controller: String,
    /// The config revision the statement describes.
    pub revision: u32,
    /// Opening paragraph, controller filled in.
    pub intro: String,
    /// Every configured purpose, `necessary` first.
    pub purposes: Vec<PurposeSection>,
    /// Paragraphs on changing and withdrawing consent (C-10, GDPR 7(3)).
    pub withdraw: Vec<String>,
    /// Label for a control that reopens the banner's settings (`data-akkoord-open`).
    pub settings_label: String,
    /// The privacy policy URL, if configured.
    pub privacy_policy: Option<String>,
    /// The label of the privacy policy link.
    pub privacy_label: String,
}

impl Statement {
    /// Languages a statement can be built in for `config`: those with statement wording
    /// whose banner texts are complete (bundled or overridden).
    pub fn languages(config: &Config) -> Vec<&'static str> {
        LANGUAGES
            .iter()
            .copied()
            .filter(|lang| texts::missing(config, lang).is_empty())
            .collect()
    }

    /// The language used when none is asked for: the config's forced language, else `nl`.
    pub fn default_language(config: &Config) -> &str {
        config.language.as_deref().unwrap_or("nl")
    }

    /// Build the statement for `config` in `lang`.
    ///
    /// Fails when `lang` has no statement wording, or the config lacks banner texts in it.
    pub fn build(config: &Config, lang: &str) -> Result<Statement, Error> {
        let Some(wording) = wording(lang).filter(|_| texts::missing(config, lang).is_empty())
        else {
            return Err(Error::new(
                "",
                [
                    "no cookie statement in \"",
                    lang,
                    "\" for this config (available: ",
                    &Statement::languages(config).join(", "),
                    ")",
                ]
                .concat(),
            ));
        };
        let texts = Texts::new(config, lang);

        let purposes = config
            .purposes
            .iter()
            .map(|purpose| {
                let necessary = purpose == NECESSARY;
                let mut services = Vec::new();
                if necessary {
                    // The consent cookie is exempt itself (CNIL, C-14) but still a cookie the
                    // visitor must be told about, with its lifetime (Planet49).
                    services.push(ServiceEntry {
                        id: "akkoord".to_string(),
                        name: wording.consent_cookie_name.to_string(),
                        provider: config.controller.clone(),
                        description: Some(wording.consent_cookie_description.to_string()),
                        third_country: false,
                        policy_url: config.privacy_policy.clone(),
                        matching: false,
                        cookies: vec![CookieEntry {
                            name: config.cookie.name.clone(),
                            days: config.cookie.days,
                            duration: texts.days(config.cookie.days),
                            first_party: true,
                        }],
                    });
                }
                services.extend(
                    config
                        .services
                        .iter()
                        .filter(|s| &s.purpose == purpose)
                        .map(|s| ServiceEntry {
                            id: s.id.clone(),
                            name: s.name.clone(),
                            provider: s.provider.clone(),
                            description: s.description.clone(),
                            third_country: s.third_country,
                            policy_url: s.policy_url.clone(),
                            matching: s.matching,
                            cookies: s
                                .cookies
                                .iter()
                                .map(|c| CookieEntry {
                                    name: c.name.clone(),
                                    days: c.days,
                                    duration: texts.days(c.days),
                                    first_party: c.first_party,
                                })
                                .collect(),
                        }),
                );
                PurposeSection {
                    id: purpose.clone(),
                    title: texts.purpose_title(purpose),
                    description: texts.purpose_description(purpose),
                    basis: if necessary {
                        Basis::Exempt
                    } else {
                        Basis::Consent
                    },
                    services,
                }
            })
            .collect();

        Ok(Statement {
            lang: lang.to_string(),
            wording,
            controller: config.controller.clone(),
            revision: config.revision,
            intro: wording.intro.replace("{controller}", &config.controller),
            purposes,
            withdraw: vec![
                texts.get("banner.withdraw").to_string(),
                wording.withdraw_effect.to_string(),
                wording
                    .keep
                    .replace("{duration}", &texts.days(config.cookie.days)),
            ],
            settings_label: texts.get("prefs.title").to_string(),
            privacy_policy: config.privacy_policy.clone(),
            privacy_label: texts.get("link.privacy").to_string(),
        })
    }

    /// The legal basis in words.
    pub fn basis_text(&self, basis: Basis) -> &'static str {
        match basis {
            Basis::Consent => self.wording.consent,
            Basis::Exempt => self.wording.exempt,
        }
    }

    /// "first party …" or "third party …".
    pub fn party_text(&self, first_party: bool) -> &'static str {
        if first_party {
            self.wording.first_party
        } else {
            self.wording.third_party
        }
    }

    /// "yes" or "no".
    pub fn yes_no(&self, value: bool) -> &'static str {
        if value {
            self.wording.yes
        } else {
            self.wording.no
        }
    }
}

/// Whether `url` may become a link: a site path or an http(s) URL. Service policy URLs come
/// from the config unchecked, and a `javascript:` URL in a link would run in the site's page.
pub fn is_linkable(url: &str) -> bool {
    let scheme_ok = (url.starts_with('/') && !url.starts_with("//"))
        || url.starts_with("https://")
        || url.starts_with("http://");
    scheme_ok && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(not(target_arch = "wasm32"))]
mod render {
    use std::fmt::Write;

    use super::{is_linkable, Statement};

    /// Text for HTML content and attribute values: nothing from the config can open a tag,
    /// close an attribute or start an entity.
    fn html(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        crate::markup::esc(&mut out, text);
        out
    }

    fn html_link(url: &str) -> String {
        if is_linkable(url) {
            format!("<a href=\"{0}\">{0}</a>", html(url))
        } else {
            html(url)
        }
    }

    /// Text for Markdown: ASCII punctuation that could start markup is backslash-escaped
    /// (CommonMark allows that for every ASCII punctuation character), so a name like
    /// `<script>` or `*Ltd*` stays text; line breaks become spaces so a value cannot start a
    /// heading or a list item.
    fn md(text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 8);
        for c in text.chars() {
            match c {
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' => {
                    out.push('\\');
                    out.push(c);
                }
                '\n' | '\r' => out.push(' '),
                _ => out.push(c),
            }
        }
        // Every value starts a line or follows "label: ", but a leading "-", "+" or "1."
        // would still turn a paragraph into a list.
        if out.starts_with(['-', '+']) {
            out.insert(0, '\\');
        } else {
            let digits = out.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && matches!(out.as_bytes().get(digits), Some(b'.' | b')')) {
                out.insert(digits, '\\');
            }
        }
        out
    }

    fn md_link(url: &str) -> String {
        if !is_linkable(url) {
            return md(url);
        }
        // The <…> destination form takes any URL without spaces or angle brackets; those
        // are already excluded or percent-encoded here.
        let mut target = String::with_capacity(url.len());
        for c in url.chars() {
            match c {
                '<' => target.push_str("%3C"),
                '>' => target.push_str("%3E"),
                _ => target.push(c),
            }
        }
        format!("[{}](<{}>)", md(url), target)
    }

    /// A cookie name as code when it is a plain name, escaped text otherwise.
    fn md_cookie(name: &str) -> String {
        if name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'*' | b'.'))
        {
            format!("`{name}`")
        } else {
            md(name)
        }
    }

    impl Statement {
        /// The statement as an HTML fragment for a cookie-statement page (headings start at
        /// `<h2>`, under the page's own `<h1>`). Every value from the config is escaped.
        pub fn to_html(&self) -> String {
            let w = self.wording;
            let mut out = String::new();
            // `write!` into a String cannot fail.
            let _ = writeln!(
                out,
                "<section class=\"akkoord-statement\" lang=\"{}\">",
                html(&self.lang)
            );
            let _ = writeln!(out, "<h2>{}</h2>", html(w.title));
            let _ = writeln!(out, "<p>{}</p>", html(&self.intro));
            let _ = writeln!(
                out,
                "<p>{}: {}<br>\n{}: {}</p>",
                html(w.controller),
                html(&self.controller),
                html(w.version),
                self.revision
            );
            for purpose in &self.purposes {
                let _ = writeln!(
                    out,
                    "<section class=\"akkoord-statement-purpose\" id=\"akkoord-{}\">",
                    html(&purpose.id)
                );
                let _ = writeln!(out, "<h3>{}</h3>", html(&purpose.title));
                if !purpose.description.is_empty() {
                    let _ = writeln!(out, "<p>{}</p>", html(&purpose.description));
                }
                let _ = writeln!(
                    out,
                    "<p>{}: {}</p>",
                    html(w.legal_basis),
                    html(self.basis_text(purpose.basis))
                );
                if purpose.services.is_empty() {
                    let _ = writeln!(out, "<p>{}</p>", html(w.no_services));
                }
                for service in &purpose.services {
                    let _ = writeln!(out, "<h4>{}</h4>", html(&service.name));
                    if let Some(description) = &service.description {
                        let _ = writeln!(out, "<p>{}</p>", html(description));
                    }
                    let _ = writeln!(out, "<dl>");
                    let mut row = |label: &str, value: String| {
                        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", html(label), value);
                    };
                    row(w.provider, html(&service.provider));
                    row(w.purpose, html(&purpose.title));
                    row(w.legal_basis, html(self.basis_text(purpose.basis)));
                    row(w.third_country, html(self.yes_no(service.third_country)));
                    if service.matching {
                        row(w.matching, html(w.matching_value));
                    }
                    if let Some(url) = &service.policy_url {
                        row(w.policy, html_link(url));
                    }
                    let _ = writeln!(out, "</dl>");
                    if service.cookies.is_empty() {
                        let _ = writeln!(out, "<p>{}</p>", html(w.no_cookies));
                        continue;
                    }
                    let _ = writeln!(
                        out,
                        "<table>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>",
                        html(w.cookie),
                        html(w.duration),
                        html(w.party)
                    );
                    for cookie in &service.cookies {
                        let _ = writeln!(
                            out,
                            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                            html(&cookie.name),
                            html(&cookie.duration),
                            html(self.party_text(cookie.first_party))
                        );
                    }
                    let _ = writeln!(out, "</tbody>\n</table>");
                }
                let _ = writeln!(out, "</section>");
            }
            let _ = writeln!(out, "<h3>{}</h3>", html(w.withdraw_heading));
            for paragraph in &self.withdraw {
                let _ = writeln!(out, "<p>{}</p>", html(paragraph));
            }
            // The banner's loader turns any `data-akkoord-open` element into a reopen control.
            let _ = writeln!(
                out,
                "<p><button type=\"button\" data-akkoord-open>{}</button></p>",
                html(&self.settings_label)
            );
            if let Some(url) = &self.privacy_policy {
                if is_linkable(url) {
                    let _ = writeln!(
                        out,
                        "<p>{} <a href=\"{}\">{}</a></p>",
                        html(w.privacy),
                        html(url),
                        html(&self.privacy_label)
                    );
                }
            }
            out.push_str("</section>\n");
            out
        }

        /// The statement as a Markdown document. Every value from the config is escaped.
        pub fn to_markdown(&self) -> String {
            let w = self.wording;
            let mut out = String::new();
            let _ = writeln!(out, "# {}\n", md(w.title));
            let _ = writeln!(out, "{}\n", md(&self.intro));
            let _ = writeln!(
                out,
                "**{}:** {}  \n**{}:** {}\n",
                md(w.controller),
                md(&self.controller),
                md(w.version),
                self.revision
            );
            for purpose in &self.purposes {
                let _ = writeln!(out, "## {}\n", md(&purpose.title));
                if !purpose.description.is_empty() {
                    let _ = writeln!(out, "{}\n", md(&purpose.description));
                }
                let _ = writeln!(
                    out,
                    "**{}:** {}\n",
                    md(w.legal_basis),
                    md(self.basis_text(purpose.basis))
                );
                if purpose.services.is_empty() {
                    let _ = writeln!(out, "{}\n", md(w.no_services));
                }
                for service in &purpose.services {
                    let _ = writeln!(out, "### {}\n", md(&service.name));
                    if let Some(description) = &service.description {
                        let _ = writeln!(out, "{}\n", md(description));
                    }
                    let mut row = |label: &str, value: String| {
                        let _ = writeln!(out, "- **{}:** {}", md(label), value);
                    };
                    row(w.provider, md(&service.provider));
                    row(w.purpose, md(&purpose.title));
                    row(w.legal_basis, md(self.basis_text(purpose.basis)));
                    row(w.third_country, md(self.yes_no(service.third_country)));
                    if service.matching {
                        row(w.matching, md(w.matching_value));
                    }
                    if let Some(url) = &service.policy_url {
                        row(w.policy, md_link(url));
                    }
                    out.push('\n');
                    if service.cookies.is_empty() {
                        let _ = writeln!(out, "{}\n", md(w.no_cookies));
                        continue;
                    }
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} |\n| --- | --- | --- |",
                        md(w.cookie),
                        md(w.duration),
                        md(w.party)
                    );
                    for cookie in &service.cookies {
                        let _ = writeln!(
                            out,
                            "| {} | {} | {} |",
                            md_cookie(&cookie.name),
                            md(&cookie.duration),
                            md(self.party_text(cookie.first_party))
                        );
                    }
                    out.push('\n');
                }
            }
            let _ = writeln!(out, "## {}\n", md(w.withdraw_heading));
            for paragraph in &self.withdraw {
                let _ = writeln!(out, "{}\n", md(paragraph));
            }
            if let Some(url) = &self.privacy_policy {
                if is_linkable(url) {
                    let _ = writeln!(out, "{} {}\n", md(w.privacy), md_link(url));
                }
            }
            // One trailing newline, not a blank line.
            while out.ends_with("\n\n") {
                out.pop();
            }
            out
        }
    }
}
