//! The cookie statement (C-25, C-17): built from the config and the registry, in every
//! language with wording, escaped in both renderings.
#![cfg(not(target_arch = "wasm32"))]

use akkoord::config::Config;
use akkoord::statement::{self, Basis, Statement};
use akkoord::texts;

const CONFIG: &str = r#"{
  "revision": 3,
  "controller": "Voorbeeld B.V.",
  "cookieStatement": "/cookies",
  "privacyPolicy": "/privacy",
  "cookie": { "name": "keuze", "days": 120 },
  "purposes": ["necessary", "functional", "analytics", "marketing"],
  "services": [
    { "id": "ga4", "template": "google-analytics", "purpose": "analytics", "measurementId": "G-TEST123" },
    { "id": "meta", "template": "meta-pixel", "purpose": "marketing", "pixelId": "1234567890" },
    { "id": "chat", "purpose": "functional", "name": "Chatwidget", "provider": "Example Ltd",
      "description": "Live chat met de klantenservice.", "policyUrl": "https://example.com/privacy",
      "cookies": [{ "name": "chat_sid", "days": 0 }, { "name": "chat_seen", "days": 30, "thirdParty": true }] }
  ]
}"#;

fn config(json: &str) -> Config {
    Config::from_json(json).expect("valid config")
}

fn nl() -> Statement {
    Statement::build(&config(CONFIG), "nl").expect("nl")
}

#[test]
fn c25_lists_every_purpose_in_config_order_with_its_services() {
    let s = nl();
    let ids: Vec<&str> = s.purposes.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["necessary", "functional", "analytics", "marketing"]);
    let services: Vec<Vec<&str>> = s
        .purposes
        .iter()
        .map(|p| p.services.iter().map(|s| s.id.as_str()).collect())
        .collect();
    assert_eq!(
        services,
        [vec!["akkoord"], vec!["chat"], vec!["ga4"], vec!["meta"]]
    );
    assert_eq!(s.purposes[2].title, "Statistieken");
    assert_eq!(s.revision, 3);
    assert_eq!(s.controller, "Voorbeeld B.V.");
}

#[test]
fn c14_necessary_is_exempt_and_every_other_purpose_needs_consent() {
    let s = nl();
    for purpose in &s.purposes {
        let expected = if purpose.id == "necessary" {
            Basis::Exempt
        } else {
            Basis::Consent
        };
        assert_eq!(purpose.basis, expected, "{}", purpose.id);
    }
    assert_eq!(
        s.basis_text(Basis::Exempt),
        "Uitgezonderd (strikt noodzakelijk)"
    );
    assert_eq!(s.basis_text(Basis::Consent), "Toestemming");
}

#[test]
fn c17_registry_services_carry_provider_cookies_durations_and_transfer() {
    let s = nl();
    let meta = &s.purposes[3].services[0];
    assert_eq!(meta.name, "Meta Pixel");
    assert_eq!(meta.provider, "Meta Platforms Ireland Ltd.");
    assert!(meta.third_country);
    assert_eq!(
        meta.policy_url.as_deref(),
        Some("https://www.facebook.com/privacy/policy/")
    );
    let fbp = meta
        .cookies
        .iter()
        .find(|c| c.name == "_fbp")
        .expect("_fbp");
    assert_eq!(
        (fbp.days, fbp.duration.as_str(), fbp.first_party),
        (90, "90 dagen", true)
    );
    let fr = meta.cookies.iter().find(|c| c.name == "fr").expect("fr");
    assert!(!fr.first_party, "fr lives on facebook.com");
}

#[test]
fn c17_custom_services_carry_their_declared_cookies() {
    let s = nl();
    let chat = &s.purposes[1].services[0];
    assert_eq!(chat.provider, "Example Ltd");
    assert_eq!(
        chat.description.as_deref(),
        Some("Live chat met de klantenservice.")
    );
    assert!(!chat.third_country);
    let durations: Vec<(&str, &str, bool)> = chat
        .cookies
        .iter()
        .map(|c| (c.name.as_str(), c.duration.as_str(), c.first_party))
        .collect();
    assert_eq!(
        durations,
        [
            ("chat_sid", "sessie", true),
            ("chat_seen", "30 dagen", false)
        ]
    );
}

#[test]
fn c25_the_consent_cookie_itself_is_listed_under_necessary() {
    let s = nl();
    let own = &s.purposes[0].services[0];
    assert_eq!(own.provider, "Voorbeeld B.V.");
    assert_eq!(own.policy_url.as_deref(), Some("/privacy"));
    assert_eq!(own.cookies.len(), 1);
    assert_eq!(own.cookies[0].name, "keuze");
    assert_eq!(own.cookies[0].duration, "120 dagen");
    assert!(own.cookies[0].first_party);
}

#[test]
fn c10_withdrawal_section_uses_the_banner_sentence_and_the_kept_duration() {
    let s = nl();
    assert_eq!(
        s.withdraw[0],
        texts::Texts::new(&config(CONFIG), "nl").get("banner.withdraw")
    );
    assert!(s.withdraw[2].contains("120 dagen"), "{:?}", s.withdraw);
    assert_eq!(s.settings_label, "Cookie-instellingen");
}

#[test]
fn a_texts_override_shows_in_the_statement_too() {
    let json = CONFIG.replacen(
        "\"purposes\"",
        "\"texts\": { \"nl\": { \"purpose.analytics.title\": \"Bezoekersstatistieken\" } },\n  \"purposes\"",
        1,
    );
    let s = Statement::build(&config(&json), "nl").expect("nl");
    assert_eq!(s.purposes[2].title, "Bezoekersstatistieken");
}

#[test]
fn english_statement_uses_english_wording() {
    let s = Statement::build(&config(CONFIG), "en").expect("en");
    assert_eq!(s.wording.title, "Cookie statement");
    assert_eq!(s.purposes[2].title, "Analytics");
    assert_eq!(s.purposes[3].services[0].cookies[0].duration, "90 days");
    assert_eq!(s.basis_text(Basis::Exempt), "Exempt (strictly necessary)");
    assert_eq!(
        s.wording.withdraw_heading,
        "How do I change or withdraw my consent?"
    );
}

#[test]
fn german_and_french_wording_exists_for_every_field() {
    for lang in ["nl", "en", "de", "fr"] {
        let w = statement::wording(lang).expect(lang);
        assert_eq!(w.lang, lang);
        let fields = [
            w.title,
            w.intro,
            w.controller,
            w.version,
            w.purpose,
            w.legal_basis,
            w.consent,
            w.exempt,
            w.provider,
            w.cookie,
            w.duration,
            w.party,
            w.first_party,
            w.third_party,
            w.third_country,
            w.yes,
            w.no,
            w.policy,
            w.matching,
            w.matching_value,
            w.no_services,
            w.no_cookies,
            w.withdraw_heading,
            w.withdraw_effect,
            w.keep,
            w.consent_cookie_name,
            w.consent_cookie_description,
            w.privacy,
        ];
        assert!(fields.iter().all(|f| !f.trim().is_empty()), "{lang}");
        assert!(w.intro.contains("{controller}"), "{lang}");
        assert!(w.keep.contains("{duration}"), "{lang}");
    }
    assert_eq!(
        statement::wording("de").map(|w| w.consent),
        Some("Einwilligung")
    );
    assert_eq!(
        statement::wording("fr").map(|w| w.consent),
        Some("Consentement")
    );
}

#[test]
fn german_statement_builds_once_the_banner_texts_exist() {
    // Complete German banner texts (here as overrides) make `de` available.
    let en = config(CONFIG);
    let english = texts::Texts::new(&en, "en");
    let entries: Vec<String> = texts::KEYS
        .iter()
        .map(|k| format!("{:?}: {:?}", k, english.get(k)))
        .collect();
    let json = CONFIG.replacen(
        "\"purposes\"",
        &format!(
            "\"texts\": {{ \"de\": {{ {} }} }},\n  \"purposes\"",
            entries.join(", ")
        ),
        1,
    );
    let s = Statement::build(&config(&json), "de").expect("de");
    assert_eq!(s.wording.legal_basis, "Rechtsgrundlage");
    assert_eq!(s.basis_text(Basis::Consent), "Einwilligung");
}

#[test]
fn unknown_language_is_an_error_naming_the_available_ones() {
    let err = Statement::build(&config(CONFIG), "es").unwrap_err();
    assert!(err.message().contains("\"es\""), "{err}");
    assert!(err.message().contains("nl, en"), "{err}");
    assert!(Statement::build(&config(CONFIG), "").is_err());
}

#[test]
fn default_language_is_the_forced_one_else_dutch() {
    assert_eq!(Statement::default_language(&config(CONFIG)), "nl");
    let forced = CONFIG.replacen(
        "\"revision\": 3,",
        "\"revision\": 3, \"language\": \"en\",",
        1,
    );
    assert_eq!(Statement::default_language(&config(&forced)), "en");
}

#[test]
fn html_lists_services_cookies_and_the_reopen_control() {
    let html = nl().to_html();
    assert!(html.starts_with("<section class=\"akkoord-statement\" lang=\"nl\">"));
    assert!(html.contains("<h2>Cookieverklaring</h2>"));
    assert!(html.contains("<h4>Meta Pixel</h4>"));
    assert!(html.contains("<dt>Aanbieder</dt><dd>Meta Platforms Ireland Ltd.</dd>"));
    assert!(html.contains("<dt>Rechtsgrond</dt><dd>Toestemming</dd>"));
    assert!(html.contains("<dt>Doorgifte buiten de EER</dt><dd>ja</dd>"));
    assert!(html.contains(
        "<tr><td><code>_fbp</code></td><td>90 dagen</td><td>eerste partij (ons domein)</td></tr>"
    ));
    assert!(html.contains("<a href=\"https://www.facebook.com/privacy/policy/\">"));
    assert!(html.contains("<h3>Hoe wijzig of trek ik mijn toestemming in?</h3>"));
    assert!(html.contains("<button type=\"button\" data-akkoord-open>Cookie-instellingen</button>"));
    assert!(html.contains("Rechtsgrond: Uitgezonderd (strikt noodzakelijk)"));
    assert!(html.trim_end().ends_with("</section>"));
}

const HOSTILE: &str = r#"{
  "revision": 1,
  "controller": "Evil & <Co>",
  "privacyPolicy": "/privacy?a=1&b=\"2\"",
  "purposes": ["necessary", "marketing"],
  "services": [
    { "id": "x", "purpose": "marketing", "name": "<img src=x onerror=alert(1)>",
      "provider": "<script>alert('p')</script> *Ltd* | [x](javascript:y)",
      "description": "- 1. # not a heading\nsecond line",
      "policyUrl": "javascript:alert(document.cookie)",
      "cookies": [{ "name": "a<b>|`c", "days": 1 }] }
  ]
}"#;

#[test]
fn html_escapes_every_value_from_the_config() {
    let html = Statement::build(&config(HOSTILE), "nl")
        .expect("nl")
        .to_html();
    assert!(!html.contains("<script>"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("<Co>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;p&#39;)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("Evil &amp; &lt;Co&gt;"), "{html}");
    assert!(html.contains("<code>a&lt;b&gt;|`c</code>"), "{html}");
    assert!(
        html.contains("href=\"/privacy?a=1&amp;b=&quot;2&quot;\""),
        "{html}"
    );
    // A javascript: policy URL is shown as text, never as a link.
    assert!(!html.contains("href=\"javascript:"), "{html}");
    assert!(
        html.contains("<dd>javascript:alert(document.cookie)</dd>"),
        "{html}"
    );
}

#[test]
fn markdown_lists_services_in_sections_and_tables() {
    let md = nl().to_markdown();
    assert!(md.starts_with("# Cookieverklaring\n\n"));
    assert!(md.contains("\n## Marketing\n"));
    assert!(md.contains("\n### Meta Pixel\n"));
    assert!(md.contains("- **Aanbieder:** Meta Platforms Ireland Ltd."));
    assert!(md.contains("- **Rechtsgrond:** Toestemming"));
    assert!(md.contains("| `_fbp` | 90 dagen | eerste partij (ons domein) |"));
    assert!(md.contains("| `_ga_*` | 395 dagen |"));
    assert!(md.contains(
        "[https://www.facebook.com/privacy/policy/](<https://www.facebook.com/privacy/policy/>)"
    ));
    assert!(md.contains("\n## Hoe wijzig of trek ik mijn toestemming in?\n"));
    assert!(md.ends_with(")\n"), "ends with the privacy link: {md}");
}

#[test]
fn markdown_escapes_every_value_from_the_config() {
    let md = Statement::build(&config(HOSTILE), "nl")
        .expect("nl")
        .to_markdown();
    // Every `<` is escaped, except where a link destination opens with `(<`.
    let bare = md
        .match_indices('<')
        .filter(|(i, _)| !matches!(md.as_bytes()[i - 1], b'\\' | b'('))
        .count();
    assert_eq!(bare, 0, "{md}");
    assert!(md.contains("### \\<img src=x onerror=alert(1)\\>"), "{md}");
    assert!(
        md.contains("\\<script\\>alert('p')\\</script\\> \\*Ltd\\* \\| \\[x\\](javascript:y)"),
        "{md}"
    );
    assert!(md.contains("| a\\<b\\>\\|\\`c |"), "{md}");
    assert!(md.contains("\\- 1. \\# not a heading second line"), "{md}");
    assert!(!md.contains("](<javascript:"), "{md}");
    assert!(
        md.contains("- **Privacybeleid:** javascript:alert(document.cookie)"),
        "{md}"
    );
}

#[test]
fn linkable_urls_are_paths_and_http_only() {
    for url in ["/privacy", "https://example.com/p", "http://example.com"] {
        assert!(statement::is_linkable(url), "{url}");
    }
    for url in [
        "javascript:alert(1)",
        "JAVASCRIPT:x",
        "data:text/html,x",
        "//evil.example",
        "vbscript:x",
        "/a b",
    ] {
        assert!(!statement::is_linkable(url), "{url}");
    }
}

mod escaping {
    use super::*;
    use proptest::prelude::*;

    /// Every tag the HTML renderer writes itself; anything else starting with `<` would be
    /// markup smuggled in from the config.
    const TAGS: &[&str] = &[
        "<section class=\"akkoord-statement\" lang=\"",
        "<section class=\"akkoord-statement-purpose\" id=\"",
        "</section>",
        "<h2>",
        "</h2>",
        "<h3>",
        "</h3>",
        "<h4>",
        "</h4>",
        "<p>",
        "</p>",
        "<br>",
        "<dl>",
        "</dl>",
        "<dt>",
        "</dt>",
        "<dd>",
        "</dd>",
        "<a href=\"",
        "</a>",
        "<table>",
        "</table>",
        "<thead>",
        "</thead>",
        "<tbody>",
        "</tbody>",
        "<tr>",
        "</tr>",
        "<th scope=\"col\">",
        "</th>",
        "<td>",
        "</td>",
        "<code>",
        "</code>",
        "<button type=\"button\" data-akkoord-open>",
        "</button>",
    ];

    fn text() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[a-zA-Z0-9 <>&\"'`*_|#\\[\\]()!\\\\/=:.-]{1,24}")
            .expect("regex")
    }

    fn escaped(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;")
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn html_never_contains_markup_from_the_config(
            name in text(), provider in text(), description in text(), cookie in text(), url in text()
        ) {
            let config = serde_json::json!({
                "revision": 1, "controller": "Voorbeeld B.V.", "privacyPolicy": "/privacy",
                "purposes": ["necessary", "marketing"],
                "services": [{ "id": "x", "purpose": "marketing", "name": name, "provider": provider,
                               "description": description, "policyUrl": url,
                               "cookies": [{ "name": cookie, "days": 1 }] }]
            });
            let html = Statement::build(&config_of(&config), "nl").expect("nl").to_html();
            for (i, _) in html.match_indices('<') {
                prop_assert!(TAGS.iter().any(|t| html[i..].starts_with(t)), "stray tag at {}: {}", i, &html[i..]);
            }
            for value in [&name, &provider, &description, &cookie] {
                prop_assert!(html.contains(&escaped(value)), "{value:?} not shown escaped");
            }
        }
    }

    fn config_of(value: &serde_json::Value) -> Config {
        Config::from_json(&value.to_string()).expect("valid")
    }
}

#[test]
fn p07_a_matching_service_says_what_it_receives_in_both_renderings() {
    let with = CONFIG.replace(
        r#""pixelId": "1234567890" }"#,
        r#""pixelId": "1234567890", "matching": true }"#,
    );
    let s = Statement::build(&config(&with), "nl").expect("nl");
    let w = statement::wording("nl").expect("nl");
    let html = s.to_html();
    let md = s.to_markdown();
    for out in [&html, &md] {
        assert_eq!(
            out.matches(w.matching).count(),
            1,
            "only the Meta service: {out}"
        );
        assert!(out.contains("SHA-256"), "{out}");
    }
    let plain = nl();
    assert!(!plain.to_html().contains(w.matching));
    assert!(!plain.to_markdown().contains(w.matching));
}
