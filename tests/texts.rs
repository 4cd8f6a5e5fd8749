//! Bundled texts: every language is complete, labels stay neutral, and the language is chosen
//! forced → page `lang` → browser languages → first available.
#![cfg(not(target_arch = "wasm32"))]

use akkoord::config::Config;
use akkoord::texts::{self, Texts, BUNDLED, KEYS};

fn config(extra: &str) -> Config {
    let json = [
        r#"{ "revision": 1, "controller": "Voorbeeld B.V.",
             "purposes": ["necessary", "functional", "analytics", "marketing"],
             "services": [ { "id": "meta", "template": "meta-pixel", "purpose": "marketing", "pixelId": "1234567890" } ]"#,
        extra,
        " }",
    ]
    .concat();
    Config::from_json(&json).unwrap_or_else(|e| panic!("valid config: {e:?}"))
}

fn langs(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn nl_en_de_fr_are_bundled() {
    for lang in ["nl", "en", "de", "fr"] {
        assert!(BUNDLED.contains(&lang), "{lang} is bundled");
    }
}

#[test]
fn every_bundled_language_has_every_key_c12() {
    let config = config("");
    for lang in BUNDLED {
        let texts = Texts::new(&config, lang);
        for key in KEYS {
            let text = texts
                .lookup(key)
                .unwrap_or_else(|| panic!("{lang} lacks {key}"));
            assert!(!text.trim().is_empty(), "{lang}.{key} is empty");
        }
        assert!(
            texts::missing(&config, lang).is_empty(),
            "{lang}: {:?}",
            texts::missing(&config, lang)
        );
    }
}

#[test]
fn placeholders_survive_translation() {
    let config = config("");
    let needs = [
        ("banner.text", "{controller}"),
        ("banner.text", "{purposes}"),
        ("banner.providers", "{providers}"),
        ("service.days", "{n}"),
    ];
    for lang in BUNDLED {
        let texts = Texts::new(&config, lang);
        for (key, placeholder) in needs {
            assert!(
                texts.get(key).contains(placeholder),
                "{lang}.{key} keeps {placeholder}"
            );
        }
    }
}

#[test]
fn labels_are_neutral_accept_reject_settings_c09() {
    let config = config("");
    let expect = [
        ("de", "Alle akzeptieren", "Alle ablehnen", "Einstellungen"),
        ("fr", "Tout accepter", "Tout refuser", "Paramétrer"),
        ("nl", "Alles accepteren", "Alles weigeren", "Instellen"),
        ("en", "Accept all", "Reject all", "Settings"),
    ];
    for (lang, accept, reject, prefs) in expect {
        let texts = Texts::new(&config, lang);
        assert_eq!(texts.get("button.accept_all"), accept);
        assert_eq!(texts.get("button.reject_all"), reject);
        assert_eq!(texts.get("button.preferences"), prefs);
    }
    // No steering copy such as "optimal experience" in any language (C-09).
    for lang in BUNDLED {
        let texts = Texts::new(&config, lang);
        for key in KEYS {
            let t = texts.get(key).to_lowercase();
            for bad in [
                "optima",
                "beste ervaring",
                "best experience",
                "meilleure expérience",
                "bestes erlebnis",
            ] {
                assert!(!t.contains(bad), "{lang}.{key} steers: {t}");
            }
        }
    }
}

#[test]
fn first_layer_names_controller_and_purposes_in_each_language_c08() {
    let config = config("");
    let de = Texts::new(&config, "de").banner_text();
    assert!(de.contains("Voorbeeld B.V."), "{de}");
    assert!(
        de.contains("Funktionalität, Statistik und Marketing"),
        "German keeps the capitals: {de}"
    );
    let fr = Texts::new(&config, "fr").banner_text();
    assert!(
        fr.contains("fonctionnalités, statistiques et marketing"),
        "{fr}"
    );
    let providers = Texts::new(&config, "de")
        .providers_text()
        .expect("providers");
    assert!(
        providers.contains("Meta Platforms Ireland Ltd."),
        "{providers}"
    );
}

#[test]
fn forced_language_wins_over_page_and_browser() {
    let config = config(r#", "language": "fr""#);
    assert_eq!(
        texts::choose_language(&config, Some("de"), &langs(&["en-GB"])),
        "fr"
    );
}

#[test]
fn page_lang_wins_over_browser_languages_c12() {
    let config = config("");
    assert_eq!(
        texts::choose_language(&config, Some("de-AT"), &langs(&["fr-FR", "en"])),
        "de"
    );
    assert_eq!(
        texts::choose_language(&config, Some("FR"), &langs(&["de"])),
        "fr"
    );
}

#[test]
fn browser_languages_in_order_when_the_page_lang_is_missing_or_unknown() {
    let config = config("");
    assert_eq!(
        texts::choose_language(&config, None, &langs(&["es-ES", "fr-BE", "de"])),
        "fr"
    );
    assert_eq!(
        texts::choose_language(&config, Some("pl"), &langs(&["de_CH", "en"])),
        "de"
    );
}

#[test]
fn first_available_language_when_nothing_matches() {
    let config = config("");
    assert_eq!(
        texts::choose_language(&config, Some("pl"), &langs(&["es", "it"])),
        "nl"
    );
    assert_eq!(texts::choose_language(&config, None, &[]), "nl");
}

#[test]
fn an_override_replaces_one_bundled_text() {
    let config = config(r#", "texts": { "de": { "button.save": "Speichern" } }"#);
    let de = Texts::new(&config, "de");
    assert_eq!(de.get("button.save"), "Speichern");
    assert_eq!(de.get("button.close"), "Schließen");
}

#[test]
fn c08_provider_ending_in_a_period_gets_no_second_one() {
    let config = config("");
    for lang in BUNDLED {
        let providers = Texts::new(&config, lang)
            .providers_text()
            .expect("providers");
        assert!(providers.contains("Ireland Ltd."), "{lang}: {providers}");
        assert!(!providers.contains(".."), "{lang}: {providers}");
    }
    // A provider without a period still gets the template's.
    let config = Config::from_json(
        r#"{ "revision": 1, "controller": "Voorbeeld B.V.", "purposes": ["necessary", "marketing"],
             "services": [ { "id": "x", "name": "X", "provider": "Acme BV", "purpose": "marketing" } ] }"#,
    )
    .unwrap_or_else(|e| panic!("valid config: {e:?}"));
    let en = Texts::new(&config, "en")
        .providers_text()
        .expect("providers");
    assert!(en.ends_with("Acme BV."), "{en}");
}

#[test]
fn fill_replaces_every_placeholder_and_leaves_the_rest_as_written() {
    assert_eq!(
        texts::fill(
            "{provider} laadt {service} van {provider}.",
            "{provider}",
            "Google"
        ),
        "Google laadt {service} van Google."
    );
    assert_eq!(
        texts::fill("Zoë’s {n} dagen", "{n}", "90"),
        "Zoë’s 90 dagen"
    );
    assert_eq!(texts::fill("geen plek", "{n}", "90"), "geen plek");
    assert_eq!(texts::fill("{n}{n}", "{n}", ""), "");
    assert_eq!(
        texts::fill("abc", "", "x"),
        "abc",
        "an empty placeholder matches nothing"
    );
    // The value is not searched again: a value holding the placeholder stays as given.
    assert_eq!(texts::fill("{p}", "{p}", "{p}{p}"), "{p}{p}");
}
