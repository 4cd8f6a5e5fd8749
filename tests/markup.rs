//! The banner's markup (`akkoord::markup`): the string the module puts into its shadow root
//! and `akkoord serve` puts into the page. Hooks, ARIA and the C-rules that are visible in
//! markup are checked here; the browser tests check the same markup mounted and clicked.
#![cfg(not(target_arch = "wasm32"))]

use akkoord::config::Config;
use akkoord::markup;
use akkoord::texts::Texts;

fn config(json: &str) -> Config {
    Config::from_json(json).unwrap_or_else(|e| panic!("valid config: {e:?}"))
}

fn demo() -> Config {
    config(
        r#"{ "revision": 1, "controller": "Voorbeeld B.V.", "cookieStatement": "/cookies",
             "purposes": ["necessary", "analytics", "marketing"],
             "services": [
               { "id": "ga4", "template": "google-analytics", "purpose": "analytics", "measurementId": "G-TEST123" },
               { "id": "meta", "template": "meta-pixel", "purpose": "marketing", "pixelId": "1234567890" } ] }"#,
    )
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// The opening tag of the first element carrying `marker`.
fn tag_with<'a>(html: &'a str, marker: &str) -> &'a str {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in markup"));
    let start = html[..at].rfind('<').expect("tag start");
    let end = at + html[at..].find('>').expect("tag end");
    &html[start..=end]
}

#[test]
fn first_layer_has_three_equal_buttons_and_names_the_controller_c05_c10() {
    let c = demo();
    let html = markup::banner(&c, &Texts::new(&c, "nl"), false, true);
    let first = &html[..html.find("ak-backdrop").expect("preferences follow")];
    for action in ["accept-all", "reject-all", "preferences"] {
        let tag = tag_with(first, &format!("data-akkoord-action=\"{action}\""));
        // Same element, same class: same size, font and contrast (C-05..C-10).
        assert!(
            tag.starts_with("<button type=\"button\" class=\"ak-btn\""),
            "{tag}"
        );
    }
    assert_eq!(count(first, "<button"), 3);
    assert!(first.contains("Voorbeeld B.V."));
    assert!(first.contains("href=\"/cookies\""), "cookie statement link");
    let section = tag_with(&html, "data-akkoord-layer=\"banner\"");
    assert!(
        section.contains("role=\"dialog\"") && section.contains("aria-labelledby=\"ak-title\"")
    );
    assert!(!section.contains("hidden"), "shown: {section}");
}

#[test]
fn hidden_first_layer_and_closed_preferences_until_asked() {
    let c = demo();
    let html = markup::banner(&c, &Texts::new(&c, "en"), false, false);
    assert!(tag_with(&html, "data-akkoord-layer=\"banner\"").contains(" hidden"));
    assert!(tag_with(&html, "class=\"ak-backdrop\"").contains(" hidden"));
    assert!(html.contains("lang=\"en\""));
}

#[test]
fn toggles_start_off_and_necessary_is_fixed_with_its_reason_c13_c14() {
    let c = demo();
    let t = Texts::new(&c, "nl");
    let html = markup::banner(&c, &t, false, true);
    let necessary = tag_with(&html, "data-akkoord-purpose=\"necessary\"");
    assert!(
        necessary.contains(" checked") && necessary.contains(" disabled"),
        "{necessary}"
    );
    assert!(html.contains(t.get("prefs.always_on")));
    for p in ["analytics", "marketing"] {
        let toggle = tag_with(&html, &format!("data-akkoord-purpose=\"{p}\""));
        assert!(!toggle.contains("checked"), "{toggle} starts off (C-13)");
        assert!(
            html.contains(&format!("<label for=\"ak-p-{p}\"")),
            "{p} has a label"
        );
    }
    // Preferences: Save, Reject all, Accept all, and a close button (C-16).
    let prefs = &html[html.find("ak-backdrop").expect("preferences")..];
    for action in ["save", "reject-all", "accept-all", "close"] {
        assert!(
            prefs.contains(&format!("data-akkoord-action=\"{action}\"")),
            "{action}"
        );
    }
    assert!(tag_with(&html, "data-akkoord-layer=\"preferences\"").contains("aria-modal=\"true\""));
}

#[test]
fn every_service_shows_provider_cookies_third_country_and_policy_c17() {
    let c = demo();
    let html = markup::banner(&c, &Texts::new(&c, "en"), false, true);
    for service in &c.services {
        let at = html
            .find(&format!(
                "<details class=\"ak-service\" data-akkoord-service=\"{}\"",
                service.id
            ))
            .unwrap_or_else(|| panic!("{} listed", service.id));
        let block = &html[at..at + html[at..].find("</details>").expect("closed")];
        assert!(block.contains(&service.provider), "{block}");
        assert!(block.contains("data-akkoord-of=\"") && block.contains(&service.purpose));
        for cookie in &service.cookies {
            assert!(block.contains(&cookie.name), "{} in {block}", cookie.name);
        }
        if let Some(url) = &service.policy_url {
            assert!(block.contains(&format!("href=\"{url}\"")));
        }
    }
    assert!(html.contains("_fbp"));
}

#[test]
fn gpc_is_said_in_both_layers_only_when_set_s02() {
    let c = demo();
    let t = Texts::new(&c, "nl");
    let gpc = t.get("banner.gpc");
    assert_eq!(count(&markup::banner(&c, &t, true, true), gpc), 2);
    assert_eq!(count(&markup::banner(&c, &t, false, true), gpc), 0);
}

#[test]
fn config_texts_are_escaped_never_markup() {
    let c = config(
        r#"{ "revision": 1, "controller": "<img src=x onerror=alert(1)> & \"Zonen\" 'B.V.'",
             "purposes": ["necessary", "marketing"],
             "texts": { "nl": { "banner.title": "<b>Cookies</b>", "button.close": "x\" onclick=\"alert(1)" } },
             "services": [ { "id": "meta", "template": "meta-pixel", "purpose": "marketing", "pixelId": "1234567890" } ] }"#,
    );
    let html = markup::banner(&c, &Texts::new(&c, "nl"), false, true);
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("<b>"));
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Zonen&quot; &#39;B.V.&#39;")
    );
    assert!(html.contains("aria-label=\"x&quot; onclick=&quot;alert(1)\""));
    assert!(
        !html.contains("onclick=\"") && !html.contains("onerror=\""),
        "no attribute injected"
    );
}

#[test]
fn theme_and_language_are_on_the_wrapper() {
    let c = config(
        r#"{ "revision": 1, "controller": "X", "theme": "dark", "purposes": ["necessary"], "services": [] }"#,
    );
    let html = markup::banner(&c, &Texts::new(&c, "de"), false, false);
    assert!(
        html.starts_with("<div class=\"ak\" data-theme=\"dark\" lang=\"de\">"),
        "{html}"
    );
    assert!(html.ends_with("</div>"));
    assert_eq!(count(&html, "<section"), count(&html, "</section>"));
    assert_eq!(count(&html, "<div"), count(&html, "</div>"));
}
