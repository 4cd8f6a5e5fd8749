//! Bundled banner texts (Dutch, English, German, French) and lookup with per-key overrides.
//!
//! Wording follows the AP's rules of thumb: neutral "accepteren/weigeren" labels (C-09), the
//! controller and purposes named on the first layer (C-08), and how to withdraw said before
//! anyone consents (C-10).

use crate::config::{Config, STANDARD_PURPOSES};

/// Languages shipped with the banner.
pub const BUNDLED: &[&str] = &["nl", "en", "de", "fr"];

/// Text keys every language must have (custom purposes add `purpose.<id>.title` and
/// `purpose.<id>.description`).
pub const KEYS: &[&str] = &[
    "banner.title",
    "banner.text",
    "banner.providers",
    "banner.withdraw",
    "banner.gpc",
    "link.statement",
    "link.privacy",
    "button.accept_all",
    "button.reject_all",
    "button.preferences",
    "button.save",
    "button.close",
    "prefs.title",
    "prefs.text",
    "prefs.always_on",
    "prefs.service",
    "embed.text",
    "embed.load_once",
    "embed.always",
    "service.provider",
    "service.cookies",
    "service.days",
    "service.session",
    "service.first_party",
    "service.third_party",
    "service.third_country",
    "service.yes",
    "service.no",
    "service.policy",
    "purpose.necessary.title",
    "purpose.necessary.description",
    "purpose.functional.title",
    "purpose.functional.description",
    "purpose.analytics.title",
    "purpose.analytics.description",
    "purpose.marketing.title",
    "purpose.marketing.description",
];

const NL: &[(&str, &str)] = &[
    ("banner.title", "Cookies op deze website"),
    ("banner.text", "{controller} wil cookies en vergelijkbare technieken gebruiken voor {purposes}. Noodzakelijke cookies plaatsen we altijd; voor de rest vragen we eerst je toestemming. Weigeren heeft geen gevolgen voor het gebruik van de site."),
    ("banner.providers", "Na toestemming ontvangen ook deze partijen gegevens: {providers}."),
    ("banner.withdraw", "Je kunt je keuze altijd wijzigen of intrekken via ‘Cookie-instellingen’ onderaan elke pagina."),
    ("banner.gpc", "Je browser stuurt een Global Privacy Control-signaal: marketingcookies staan daarom uit."),
    ("link.statement", "Cookieverklaring"),
    ("link.privacy", "Privacyverklaring"),
    ("button.accept_all", "Alles accepteren"),
    ("button.reject_all", "Alles weigeren"),
    ("button.preferences", "Instellen"),
    ("button.save", "Keuze opslaan"),
    ("button.close", "Sluiten"),
    ("prefs.title", "Cookie-instellingen"),
    ("prefs.text", "Kies per doel of je toestemming geeft. Alles staat uit tot je het zelf aanzet. Je kunt je keuze later altijd wijzigen of intrekken."),
    ("prefs.always_on", "Altijd aan"),
    ("service.provider", "Aanbieder"),
    ("service.cookies", "Cookies"),
    ("service.days", "{n} dagen"),
    ("service.session", "sessie"),
    ("service.first_party", "eigen domein"),
    ("service.third_party", "domein van de aanbieder"),
    ("service.third_country", "Doorgifte buiten de EER"),
    ("service.yes", "ja"),
    ("service.no", "nee"),
    ("service.policy", "Privacybeleid van de aanbieder"),
    ("purpose.necessary.title", "Noodzakelijk"),
    ("purpose.necessary.description", "Nodig om de site te laten werken en om je cookiekeuze te onthouden. Hiervoor is wettelijk geen toestemming nodig."),
    ("purpose.functional.title", "Functioneel"),
    ("purpose.functional.description", "Onthoudt voorkeuren en maakt extra functies mogelijk, zoals ingesloten video’s of een chat."),
    ("purpose.analytics.title", "Statistieken"),
    ("purpose.analytics.description", "Meet hoe bezoekers de site gebruiken, zodat we hem kunnen verbeteren."),
    ("purpose.marketing.title", "Marketing"),
    ("purpose.marketing.description", "Laat advertentieplatforms je bezoek meten en je elders advertenties van ons tonen (retargeting)."),
    ("embed.text", "{service} ({provider}) laden we pas met je toestemming, want dan ontvangt {provider} gegevens over je bezoek."),
    ("embed.load_once", "Eenmalig laden"),
    ("embed.always", "{provider} altijd toestaan"),
    ("prefs.service", "Alleen {service} toestaan"),
];

const EN: &[(&str, &str)] = &[
    ("banner.title", "Cookies on this website"),
    ("banner.text", "{controller} would like to use cookies and similar technologies for {purposes}. Necessary cookies are always set; for everything else we ask your consent first. Refusing does not limit your use of this site."),
    ("banner.providers", "With your consent these parties receive data too: {providers}."),
    ("banner.withdraw", "You can change or withdraw your choice at any time via ‘Cookie settings’ at the bottom of every page."),
    ("banner.gpc", "Your browser sends a Global Privacy Control signal, so marketing cookies are off."),
    ("link.statement", "Cookie statement"),
    ("link.privacy", "Privacy policy"),
    ("button.accept_all", "Accept all"),
    ("button.reject_all", "Reject all"),
    ("button.preferences", "Settings"),
    ("button.save", "Save choices"),
    ("button.close", "Close"),
    ("prefs.title", "Cookie settings"),
    ("prefs.text", "Choose per purpose whether you consent. Everything is off until you switch it on. You can change or withdraw your choice at any time."),
    ("prefs.always_on", "Always on"),
    ("service.provider", "Provider"),
    ("service.cookies", "Cookies"),
    ("service.days", "{n} days"),
    ("service.session", "session"),
    ("service.first_party", "this site's domain"),
    ("service.third_party", "provider's domain"),
    ("service.third_country", "Transfer outside the EEA"),
    ("service.yes", "yes"),
    ("service.no", "no"),
    ("service.policy", "Provider's privacy policy"),
    ("purpose.necessary.title", "Necessary"),
    ("purpose.necessary.description", "Needed for the site to work and to remember your cookie choice. The law does not require consent for these."),
    ("purpose.functional.title", "Functional"),
    ("purpose.functional.description", "Remembers preferences and enables extra features such as embedded videos or a chat."),
    ("purpose.analytics.title", "Analytics"),
    ("purpose.analytics.description", "Measures how visitors use the site so we can improve it."),
    ("purpose.marketing.title", "Marketing"),
    ("purpose.marketing.description", "Lets advertising platforms measure your visit and show you our ads elsewhere (retargeting)."),
    ("embed.text", "{service} ({provider}) only loads with your consent, because {provider} then receives data about your visit."),
    ("embed.load_once", "Load once"),
    ("embed.always", "Always allow {provider}"),
    ("prefs.service", "Allow {service} only"),
];

// German: "Alle akzeptieren" / "Alle ablehnen" / "Einstellungen" (C-09). The purpose titles are
// nouns, because German keeps their capital inside the sentence of `banner.text`.
const DE: &[(&str, &str)] = &[
    ("banner.title", "Cookies auf dieser Website"),
    ("banner.text", "{controller} möchte Cookies und ähnliche Technologien für folgende Zwecke verwenden: {purposes}. Notwendige Cookies setzen wir immer; für alles andere fragen wir zuerst nach Ihrer Einwilligung. Eine Ablehnung schränkt die Nutzung der Website nicht ein."),
    ("banner.providers", "Mit Ihrer Einwilligung erhalten auch diese Anbieter Daten: {providers}."),
    ("banner.withdraw", "Sie können Ihre Auswahl jederzeit über „Cookie-Einstellungen“ unten auf jeder Seite ändern oder widerrufen."),
    ("banner.gpc", "Ihr Browser sendet ein Global-Privacy-Control-Signal, deshalb sind Marketing-Cookies ausgeschaltet."),
    ("link.statement", "Cookie-Erklärung"),
    ("link.privacy", "Datenschutzerklärung"),
    ("button.accept_all", "Alle akzeptieren"),
    ("button.reject_all", "Alle ablehnen"),
    ("button.preferences", "Einstellungen"),
    ("button.save", "Auswahl speichern"),
    ("button.close", "Schließen"),
    ("prefs.title", "Cookie-Einstellungen"),
    ("prefs.text", "Wählen Sie für jeden Zweck, ob Sie einwilligen. Alles ist ausgeschaltet, bis Sie es selbst einschalten. Sie können Ihre Auswahl jederzeit ändern oder widerrufen."),
    ("prefs.always_on", "Immer aktiv"),
    ("service.provider", "Anbieter"),
    ("service.cookies", "Cookies"),
    ("service.days", "{n} Tage"),
    ("service.session", "Sitzung"),
    ("service.first_party", "Domain dieser Website"),
    ("service.third_party", "Domain des Anbieters"),
    ("service.third_country", "Übermittlung außerhalb des EWR"),
    ("service.yes", "ja"),
    ("service.no", "nein"),
    ("service.policy", "Datenschutzerklärung des Anbieters"),
    ("purpose.necessary.title", "Notwendig"),
    ("purpose.necessary.description", "Erforderlich, damit die Website funktioniert und Ihre Cookie-Auswahl gespeichert bleibt. Dafür ist gesetzlich keine Einwilligung nötig."),
    ("purpose.functional.title", "Funktionalität"),
    ("purpose.functional.description", "Speichert Einstellungen und ermöglicht zusätzliche Funktionen wie eingebettete Videos oder einen Chat."),
    ("purpose.analytics.title", "Statistik"),
    ("purpose.analytics.description", "Misst, wie Besucher die Website nutzen, damit wir sie verbessern können."),
    ("purpose.marketing.title", "Marketing"),
    ("purpose.marketing.description", "Erlaubt Werbeplattformen, Ihren Besuch zu messen und Ihnen anderswo unsere Werbung zu zeigen (Retargeting)."),
    ("embed.text", "{service} ({provider}) wird erst mit Ihrer Einwilligung geladen, weil {provider} dann Daten über Ihren Besuch erhält."),
    ("embed.load_once", "Einmal laden"),
    ("embed.always", "{provider} immer erlauben"),
    ("prefs.service", "Nur {service} erlauben"),
];

// French: "Tout accepter" / "Tout refuser" / "Paramétrer" (C-09); a no-break space before
// the high punctuation, as French typography wants.
const FR: &[(&str, &str)] = &[
    ("banner.title", "Cookies sur ce site"),
    ("banner.text", "{controller} souhaite utiliser des cookies et des technologies similaires pour les finalités suivantes\u{a0}: {purposes}. Les cookies nécessaires sont toujours déposés\u{a0}; pour tout le reste, nous demandons d’abord votre consentement. Refuser ne limite pas votre utilisation du site."),
    ("banner.providers", "Avec votre consentement, ces partenaires reçoivent aussi des données\u{a0}: {providers}."),
    ("banner.withdraw", "Vous pouvez modifier ou retirer votre choix à tout moment via «\u{a0}Paramètres des cookies\u{a0}» en bas de chaque page."),
    ("banner.gpc", "Votre navigateur envoie un signal Global Privacy Control\u{a0}: les cookies marketing sont donc désactivés."),
    ("link.statement", "Politique de cookies"),
    ("link.privacy", "Politique de confidentialité"),
    ("button.accept_all", "Tout accepter"),
    ("button.reject_all", "Tout refuser"),
    ("button.preferences", "Paramétrer"),
    ("button.save", "Enregistrer mes choix"),
    ("button.close", "Fermer"),
    ("prefs.title", "Paramètres des cookies"),
    ("prefs.text", "Choisissez pour chaque finalité si vous donnez votre consentement. Tout est désactivé jusqu’à ce que vous l’activiez vous-même. Vous pouvez modifier ou retirer votre choix à tout moment."),
    ("prefs.always_on", "Toujours actifs"),
    ("service.provider", "Fournisseur"),
    ("service.cookies", "Cookies"),
    ("service.days", "{n} jours"),
    ("service.session", "session"),
    ("service.first_party", "domaine de ce site"),
    ("service.third_party", "domaine du fournisseur"),
    ("service.third_country", "Transfert hors de l’EEE"),
    ("service.yes", "oui"),
    ("service.no", "non"),
    ("service.policy", "Politique de confidentialité du fournisseur"),
    ("purpose.necessary.title", "Nécessaires"),
    ("purpose.necessary.description", "Indispensables au fonctionnement du site et à la mémorisation de votre choix. La loi n’exige pas de consentement pour ceux-ci."),
    ("purpose.functional.title", "Fonctionnalités"),
    ("purpose.functional.description", "Mémorisent vos préférences et activent des fonctions supplémentaires, comme les vidéos intégrées ou un chat."),
    ("purpose.analytics.title", "Statistiques"),
    ("purpose.analytics.description", "Mesurent l’utilisation du site par les visiteurs afin que nous puissions l’améliorer."),
    ("purpose.marketing.title", "Marketing"),
    ("purpose.marketing.description", "Permet aux plateformes publicitaires de mesurer votre visite et de vous montrer nos publicités ailleurs (reciblage)."),
    ("embed.text", "{service} ({provider}) ne se charge qu’avec votre consentement, car {provider} reçoit alors des données sur votre visite."),
    ("embed.load_once", "Charger une fois"),
    ("embed.always", "Toujours autoriser {provider}"),
    ("prefs.service", "Autoriser uniquement {service}"),
];

fn bundled(lang: &str) -> Option<&'static [(&'static str, &'static str)]> {
    match lang {
        "nl" => Some(NL),
        "en" => Some(EN),
        "de" => Some(DE),
        "fr" => Some(FR),
        _ => None,
    }
}

fn purpose_key(key: &str) -> Option<(&str, &str)> {
    let rest = key.strip_prefix("purpose.")?;
    let (id, field) = rest.rsplit_once('.')?;
    matches!(field, "title" | "description").then_some((id, field))
}

/// Whether `key` is a text key for a config with these purposes.
pub fn is_key(key: &str, purposes: &[String]) -> bool {
    KEYS.contains(&key) || purpose_key(key).is_some_and(|(id, _)| purposes.iter().any(|p| p == id))
}

/// Keys that `lang` lacks for `config` (neither bundled nor overridden).
pub fn missing(config: &Config, lang: &str) -> Vec<String> {
    let mut needed: Vec<String> = KEYS.iter().map(|k| k.to_string()).collect();
    for p in &config.purposes {
        if !STANDARD_PURPOSES.contains(&p.as_str()) {
            needed.push(["purpose.", p, ".title"].concat());
            needed.push(["purpose.", p, ".description"].concat());
        }
    }
    needed
        .into_iter()
        .filter(|k| Texts::new(config, lang).lookup(k).is_none())
        .collect()
}

/// Pick the banner language: the forced one, else the page's `lang`, else the browser's,
/// else the first available (`nl`).
pub fn choose_language(
    config: &Config,
    page_lang: Option<&str>,
    browser_langs: &[String],
) -> String {
    let available = config.languages();
    if let Some(forced) = &config.language {
        return forced.clone();
    }
    let primary = |tag: &str| {
        tag.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    let candidates = page_lang
        .into_iter()
        .map(primary)
        .chain(browser_langs.iter().map(|l| primary(l)));
    for candidate in candidates {
        if available.contains(&candidate) {
            return candidate;
        }
    }
    available
        .into_iter()
        .next()
        .unwrap_or_else(|| "nl".to_string())
}

/// Texts for one language of one config.
#[derive(Debug, Clone, Copy)]
pub struct Texts<'a> {
    config: &'a Config,
    lang: &'a str,
}

impl<'a> Texts<'a> {
    /// Texts in `lang` for `config`.
    pub fn new(config: &'a Config, lang: &'a str) -> Texts<'a> {
        Texts { config, lang }
    }

    /// The language code.
    pub fn lang(&self) -> &str {
        self.lang
    }

    /// The override or the bundled text, if any.
    pub fn lookup(&self, key: &str) -> Option<&'a str> {
        let overridden = self
            .config
            .texts
            .iter()
            .find(|(l, k, _)| l == self.lang && k == key)
            .map(|(_, _, v)| v.as_str());
        overridden.or_else(|| {
            bundled(self.lang)?
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| *v)
        })
    }

    /// The text for `key`; the key itself when missing (validation prevents that).
    pub fn get(&self, key: &'a str) -> &'a str {
        self.lookup(key).unwrap_or(key)
    }

    /// A purpose's title.
    pub fn purpose_title(&self, purpose: &str) -> String {
        let key = ["purpose.", purpose, ".title"].concat();
        self.lookup(&key)
            .map(str::to_string)
            .unwrap_or_else(|| purpose.to_string())
    }

    /// A purpose's description.
    pub fn purpose_description(&self, purpose: &str) -> String {
        let key = ["purpose.", purpose, ".description"].concat();
        self.lookup(&key).map(str::to_string).unwrap_or_default()
    }

    /// The first-layer body: controller and purposes filled in.
    pub fn banner_text(&self) -> String {
        let titles: Vec<String> = self
            .config
            .optional_purposes()
            .map(|p| {
                let title = self.purpose_title(p);
                // German nouns keep their capital mid-sentence.
                if self.lang == "de" {
                    title
                } else {
                    lower_first(&title)
                }
            })
            .collect();
        let purposes = join_list(&titles, and_word(self.lang));
        let text = fill(
            self.get("banner.text"),
            "{controller}",
            &self.config.controller,
        );
        fill(&text, "{purposes}", &purposes)
    }

    /// The sentence naming third parties, or `None` without any (C-08).
    pub fn providers_text(&self) -> Option<String> {
        let mut providers: Vec<String> = Vec::new();
        for s in &self.config.services {
            if !providers.contains(&s.provider) && s.provider != self.config.controller {
                providers.push(s.provider.clone());
            }
        }
        if providers.is_empty() {
            return None;
        }
        let list = join_list(&providers, and_word(self.lang));
        let template = self.get("banner.providers");
        // "Meta Platforms Ireland Ltd." already ends the sentence: no second period.
        let template = if list.ends_with('.') {
            fill(template, "{providers}.", &list)
        } else {
            template.to_string()
        };
        Some(fill(&template, "{providers}", &list))
    }

    /// "{n} days" for a cookie lifetime, or "session".
    pub fn days(&self, days: u32) -> String {
        if days == 0 {
            self.get("service.session").to_string()
        } else {
            fill(self.get("service.days"), "{n}", &days.to_string())
        }
    }

    /// Everything the visitor is shown, concatenated in a fixed order, for the receipt's
    /// text hash (C-23): proof of what the visitor saw.
    pub fn shown(&self) -> String {
        let mut out = String::new();
        for key in KEYS {
            out.push_str(key);
            out.push('=');
            out.push_str(self.get(key));
            out.push('\n');
        }
        out.push_str(&self.banner_text());
        out
    }
}

/// `text` with every `placeholder` (`{provider}`) replaced by `value`. Not `str::replace`: its
/// substring searcher is the only one the banner module would carry (0.5 KB brotli), and these
/// texts are a sentence long.
pub fn fill(text: &str, placeholder: &str, value: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let (take, skip) = match rest.strip_prefix(placeholder) {
            Some(after) if !placeholder.is_empty() => (value, rest.len() - after.len()),
            _ => (&rest[..c.len_utf8()], c.len_utf8()),
        };
        out.push_str(take);
        rest = &rest[skip..];
    }
    out
}

/// Lower-case the first letter for use mid-sentence ("Statistieken" → "statistieken").
/// ASCII only: full Unicode case tables would cost the banner kilobytes for a cosmetic rule.
fn lower_first(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut chars = title.chars();
    if let Some(first) = chars.next() {
        out.push(first.to_ascii_lowercase());
    }
    out.extend(chars);
    out
}

/// The word that joins the last two items of a list in `lang`; English for languages a
/// config adds itself.
fn and_word(lang: &str) -> &'static str {
    match lang {
        "nl" => " en ",
        "de" => " und ",
        "fr" => " et ",
        _ => " and ",
    }
}

fn join_list(items: &[String], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => {
            let mut out = String::new();
            for (i, item) in init.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(item);
            }
            out.extend([and, last.as_str()]);
            out
        }
    }
}
