//! The service registry: every platform template is data that keeps REFERENCE.md §3, and its
//! account id is checked against the template's shape before it reaches a script.
#![cfg(not(target_arch = "wasm32"))]

use akkoord::config::Config;
use akkoord::services::{self, AccountKind, Arg, Call, Code, Revoke, Template, TEMPLATES};

/// The account-id keys a service may carry, one per id kind.
const ACCOUNT_KEYS: &[&str] = &[
    "pixelId",
    "measurementId",
    "conversionId",
    "tagId",
    "partnerId",
    "projectId",
];

fn t(id: &str) -> &'static Template {
    services::template(id).unwrap_or_else(|| panic!("template {id} is registered"))
}

fn code(t: &Template) -> &'static Code {
    t.code()
        .unwrap_or_else(|| panic!("template {} has its code", t.id))
}

/// A config with one service `{ "id": "svc", "template": …, <extra> }` under the template's
/// usual purpose.
fn config_with(template: &str, extra: &str) -> Result<Config, Vec<String>> {
    let purpose = services::template(template)
        .and_then(|t| t.purposes.first().copied())
        .unwrap_or("marketing");
    let json = [
        r#"{ "revision": 1, "controller": "Voorbeeld B.V.",
             "purposes": ["necessary", "functional", "analytics", "marketing"],
             "services": [ { "id": "svc", "purpose": ""#,
        purpose,
        r#"", "template": ""#,
        template,
        r#"""#,
        if extra.is_empty() { "" } else { ", " },
        extra,
        " } ] }",
    ]
    .concat();
    Config::from_json(&json).map_err(|errs| errs.iter().map(ToString::to_string).collect())
}

/// Every script text a template can put into the page.
fn snippets(t: &Template) -> Vec<&'static str> {
    let mut out = vec![code(t).family_init, code(t).init];
    out.extend(code(t).family_src);
    out
}

/// Every `https://host/` a snippet names.
fn urls_hosts(text: &str) -> Vec<&str> {
    text.match_indices("https://")
        .map(|(i, _)| {
            let rest = &text[i + "https://".len()..];
            let end = rest.find(['/', '"', '\'', '?']).unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[test]
fn every_template_is_complete_and_gated_by_a_purpose() {
    for t in TEMPLATES {
        assert!(
            !t.name.is_empty() && !t.provider.is_empty(),
            "{}: name and provider (C-17)",
            t.id
        );
        assert!(!t.purposes.is_empty(), "{}: a purpose", t.id);
        assert!(
            !t.purposes.contains(&"necessary"),
            "{}: a tracker is never necessary (C-14)",
            t.id
        );
        assert!(
            !code(t).hosts.is_empty(),
            "{}: hosts for the no-request-before-consent tests (C-01)",
            t.id
        );
        assert!(
            !t.cookies.is_empty(),
            "{}: cookies for the statement (C-25)",
            t.id
        );
        if t.account_key.is_empty() {
            // A click-to-load embed: no script of its own, its cookies live in the iframe.
            assert!(
                code(t).init.is_empty()
                    && code(t).family_init.is_empty()
                    && code(t).family_src.is_none(),
                "{}: an embed injects no script",
                t.id
            );
            assert!(
                t.cookies.iter().all(|c| !c.first_party),
                "{}: an embed's cookies are the provider's (third party)",
                t.id
            );
        } else {
            assert!(
                ACCOUNT_KEYS.contains(&t.account_key),
                "{}: account key {} is a config key",
                t.id,
                t.account_key
            );
            assert!(
                code(t).init.contains("{id}")
                    || code(t).family_src.is_some_and(|s| s.contains("{id}")),
                "{}: the account id is used",
                t.id
            );
            assert!(
                t.cookies.iter().any(|c| c.first_party),
                "{}: first-party cookies to delete on withdrawal (C-21 ii)",
                t.id
            );
            // Only an embed's provider sets a session cookie (YouTube's YSC); a tracker's
            // identifiers all have a stated lifetime in days.
            assert!(
                t.cookies.iter().all(|c| c.days > 0),
                "{}: every lifetime is stated (Planet49)",
                t.id
            );
        }
        assert!(t.policy_url.starts_with("https://"), "{}: policy url", t.id);
    }
}

#[test]
fn template_ids_and_families_are_unique() {
    for (i, a) in TEMPLATES.iter().enumerate() {
        for b in &TEMPLATES[i + 1..] {
            assert_ne!(a.id, b.id);
            if code(a).family == code(b).family {
                // Sharing a family means sharing one loader (gtag.js): it must be identical.
                assert_eq!(
                    code(a).family_init,
                    code(b).family_init,
                    "{} and {} share {}",
                    a.id,
                    b.id,
                    code(a).family
                );
                assert_eq!(code(a).family_src, code(b).family_src);
            }
        }
    }
}

#[test]
fn snippets_load_only_from_the_template_hosts_and_have_no_noscript_pixel_p08() {
    for t in TEMPLATES {
        for text in snippets(t) {
            let lower = text.to_ascii_lowercase();
            assert!(
                !lower.contains("<noscript") && !lower.contains("<img"),
                "{}: no <noscript>/<img> fallback (P-08)",
                t.id
            );
            assert!(
                !lower.contains("<script"),
                "{}: snippets are script text, not markup",
                t.id
            );
            for host in urls_hosts(text) {
                assert!(
                    code(t).hosts.contains(&host),
                    "{}: {host} is in its host list (C-01 tests forbid it)",
                    t.id
                );
            }
        }
    }
}

#[test]
fn platform_loaders_are_the_documented_urls_p02() {
    let expect = [
        (
            "tiktok-pixel",
            "https://analytics.tiktok.com/i18n/pixel/events.js",
        ),
        ("pinterest-tag", "https://s.pinimg.com/ct/core.js"),
        (
            "linkedin-insight",
            "https://snap.licdn.com/li.lms-analytics/insight.min.js",
        ),
        ("x-pixel", "https://static.ads-twitter.com/uwt.js"),
        ("snap-pixel", "https://sc-static.net/scevent.min.js"),
        ("microsoft-clarity", "https://www.clarity.ms/tag/"),
    ];
    for (id, url) in expect {
        let code = [code(t(id)).family_init, code(t(id)).init].concat();
        assert!(code.contains(url), "{id} loads {url}");
    }
}

#[test]
fn tiktok_holds_consent_before_load_and_page_and_grants_after_p04() {
    let init = code(t("tiktok-pixel")).init;
    let at = |needle: &str| {
        init.find(needle)
            .unwrap_or_else(|| panic!("{needle} in {init}"))
    };
    assert!(at("ttq.holdConsent()") < at("ttq.load('{id}')"));
    assert!(at("ttq.load('{id}')") < at("ttq.page()"));
    assert!(at("ttq.page()") < at("ttq.grantConsent()"));
    assert_eq!(
        code(t("tiktok-pixel")).revoke,
        Revoke::Api(&[Call {
            function: "ttq.revokeConsent",
            args: &[]
        }])
    );
    for method in ["holdConsent", "grantConsent", "revokeConsent"] {
        assert!(
            code(t("tiktok-pixel")).family_init.contains(method),
            "the stub queues {method}"
        );
    }
}

#[test]
fn pinterest_sets_consent_true_after_load_and_false_on_withdrawal_p05() {
    let init = code(t("pinterest-tag")).init;
    let load = init.find("pintrk('load','{id}'").expect("load");
    let consent = init
        .find("pintrk('setconsent',true)")
        .expect("setconsent true");
    let page = init.find("pintrk('page')").expect("page");
    assert!(load < consent && consent < page, "{init}");
    assert_eq!(
        code(t("pinterest-tag")).revoke,
        Revoke::Api(&[Call {
            function: "pintrk",
            args: &[Arg::Str("setconsent"), Arg::Bool(false)]
        }])
    );
}

#[test]
fn linkedin_x_snap_have_no_consent_api_so_withdrawal_reloads_p06() {
    let first_party = |id: &str| -> Vec<&str> {
        t(id)
            .cookies
            .iter()
            .filter(|c| c.first_party)
            .map(|c| c.name)
            .collect()
    };
    assert_eq!(code(t("linkedin-insight")).revoke, Revoke::Reload);
    assert_eq!(code(t("x-pixel")).revoke, Revoke::Reload);
    assert_eq!(code(t("snap-pixel")).revoke, Revoke::Reload);
    assert_eq!(first_party("linkedin-insight"), ["li_fat_id", "li_adsId"]);
    assert_eq!(first_party("x-pixel"), ["_twclid"]);
    assert_eq!(first_party("snap-pixel"), ["_scid", "_scid_r", "_sctr"]);
}

#[test]
fn clarity_signals_analytics_consent_after_its_tracking_code_and_reloads_on_withdrawal() {
    let c = t("microsoft-clarity");
    assert_eq!(c.purposes, ["analytics"]);
    assert_eq!(c.account_key, "projectId");
    let loader = code(c).init.find("clarity.ms/tag/").expect("tracking code");
    let consent = code(c)
        .init
        .find("clarity('consentv2',{ad_Storage:'denied',analytics_Storage:'granted'})")
        .expect("consent v2 call");
    assert!(
        loader < consent,
        "the queue stub exists before the consent call"
    );
    assert_eq!(code(c).revoke, Revoke::Reload);
    let first_party: Vec<&str> = c
        .cookies
        .iter()
        .filter(|c| c.first_party)
        .map(|c| c.name)
        .collect();
    assert_eq!(first_party, ["_clck", "_clsk"]);
}

#[test]
fn first_party_cookies_match_the_reference_registry_c21() {
    let first_party = |id: &str| -> Vec<&str> {
        t(id)
            .cookies
            .iter()
            .filter(|c| c.first_party)
            .map(|c| c.name)
            .collect()
    };
    assert_eq!(
        first_party("tiktok-pixel"),
        ["_ttp", "_tt_enable_cookie", "ttcsid*"]
    );
    assert_eq!(
        first_party("pinterest-tag"),
        ["_pin_unauth", "_epik", "_derived_epik"]
    );
    let ttp = t("tiktok-pixel")
        .cookies
        .iter()
        .find(|c| c.name == "_ttp")
        .expect("_ttp");
    assert_eq!(ttp.days, 395);
    assert!(services::cookie_matches("ttcsid*", "ttcsid_C4ABC"));
}

#[test]
fn account_kinds_accept_real_ids_only() {
    let cases: &[(AccountKind, &str, bool)] = &[
        (AccountKind::Upper, "C4ABCDEFGHIJ12345678", true),
        (AccountKind::Upper, "c4abcdefghij12345678", false),
        (AccountKind::Upper, "C4ABC-1", false),
        (AccountKind::Lower, "o8z3j", true),
        (AccountKind::Lower, "O8Z3J", false),
        (AccountKind::Lower, "ab", false),
        (
            AccountKind::Uuid,
            "0f8fad5b-d9cb-469f-a165-70867728950e",
            true,
        ),
        (
            AccountKind::Uuid,
            "0F8FAD5B-D9CB-469F-A165-70867728950E",
            true,
        ),
        (AccountKind::Uuid, "0f8fad5bd9cb469fa16570867728950e", false),
        (
            AccountKind::Uuid,
            "0f8fad5b-d9cb-469f-a165-70867728950g",
            false,
        ),
        (
            AccountKind::Uuid,
            "0f8fad5b-d9cb-469f-a165-7086772895-e",
            false,
        ),
        (AccountKind::Digits, "2612345678901", true),
        (AccountKind::Digits, "12ab", false),
        (AccountKind::Prefixed("AW-"), "AW-123456789", true),
        (AccountKind::Prefixed("AW-"), "AW-12345ABC", false),
        (AccountKind::Prefixed("AW-"), "123456789", false),
        (AccountKind::Prefixed("G-"), "G-TEST123", true),
        (AccountKind::Prefixed("G-"), "G-test123", false),
    ];
    for (kind, value, ok) in cases {
        assert_eq!(kind.accepts(value), *ok, "{kind:?} {value}");
    }
}

#[test]
fn no_account_kind_lets_script_through() {
    let attacks = [
        "1234');alert(1);//",
        "ABCD1234'+alert(1)+'",
        "abcd</script>",
        "0f8fad5b-d9cb-469f-a165-70867728950'",
        "",
        "1234\n5678",
    ];
    let kinds = [
        AccountKind::Digits,
        AccountKind::Upper,
        AccountKind::Lower,
        AccountKind::Uuid,
        AccountKind::Prefixed("G-"),
    ];
    for kind in kinds {
        for a in attacks {
            assert!(!kind.accepts(a), "{kind:?} rejects {a:?}");
        }
    }
}

#[test]
fn every_platform_template_resolves_with_its_own_key() {
    let good = [
        ("tiktok-pixel", r#""pixelId": "C4ABCDEFGHIJ12345678""#),
        ("pinterest-tag", r#""tagId": "2612345678901""#),
        ("linkedin-insight", r#""partnerId": "1234567""#),
        ("x-pixel", r#""pixelId": "o8z3j""#),
        (
            "snap-pixel",
            r#""pixelId": "0f8fad5b-d9cb-469f-a165-70867728950e""#,
        ),
        ("microsoft-clarity", r#""projectId": "l1uo58y3ho""#),
    ];
    for (template, key) in good {
        let config = config_with(template, key).unwrap_or_else(|e| panic!("{template}: {e:?}"));
        let svc = config.service("svc").expect("svc");
        assert_eq!(svc.template.map(|t| t.id), Some(template));
        let id = svc.account.as_deref().expect("account id");
        assert!(key.contains(id));
        assert!(
            svc.cookies.iter().any(|c| c.first_party),
            "{template}: cookies come from the template"
        );
    }
}

#[test]
fn a_wrong_key_error_names_the_key_the_template_expects() {
    let errs = config_with("pinterest-tag", r#""pixelId": "2612345678901""#).expect_err("rejected");
    assert_eq!(
        errs,
        [
            r#"services[0].pixelId: not used by template "pinterest-tag" (it takes tagId)"#,
            r#"services[0].tagId: missing (template "pinterest-tag" needs it)"#,
        ]
    );
    let errs = config_with("linkedin-insight", "").expect_err("rejected");
    assert_eq!(
        errs,
        [r#"services[0].partnerId: missing (template "linkedin-insight" needs it)"#]
    );
}

#[test]
fn a_malformed_id_error_names_the_key_and_the_shape() {
    let cases = [
        (
            "tiktok-pixel",
            r#""pixelId": "c4abcdef12345678""#,
            "services[0].pixelId: expected upper-case letters and digits",
        ),
        (
            "x-pixel",
            r#""pixelId": "O8Z3J""#,
            "services[0].pixelId: expected lower-case letters and digits",
        ),
        (
            "snap-pixel",
            r#""pixelId": "1234567890""#,
            "services[0].pixelId: expected a UUID (8-4-4-4-12 hexadecimal digits)",
        ),
        (
            "pinterest-tag",
            r#""tagId": "26123');alert(1);//""#,
            "services[0].tagId: expected digits only",
        ),
        (
            "linkedin-insight",
            r#""partnerId": "li-123""#,
            "services[0].partnerId: expected digits only",
        ),
    ];
    for (template, key, want) in cases {
        assert_eq!(config_with(template, key).expect_err(template), [want]);
    }
}

#[test]
fn platform_templates_are_marketing_only() {
    for id in [
        "tiktok-pixel",
        "pinterest-tag",
        "linkedin-insight",
        "x-pixel",
        "snap-pixel",
    ] {
        assert_eq!(t(id).purposes, ["marketing"], "{id}");
    }
    let json = r#"{ "revision": 1, "controller": "Voorbeeld B.V.",
        "purposes": ["necessary", "analytics", "marketing"],
        "services": [ { "id": "tt", "purpose": "analytics", "template": "tiktok-pixel", "pixelId": "C4ABCDEFGHIJ12345678" } ] }"#;
    let errs: Vec<String> = Config::from_json(json)
        .expect_err("rejected")
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errs,
        [r#"services[0].purpose: "tiktok-pixel" belongs under marketing"#]
    );
}

#[test]
fn the_platforms_demo_config_is_valid() {
    let config = Config::from_json(include_str!("../www/demo/platforms.json"))
        .unwrap_or_else(|e| panic!("www/demo/platforms.json: {e:?}"));
    let templates: Vec<&str> = config
        .services
        .iter()
        .filter_map(|s| s.template.map(|t| t.id))
        .collect();
    assert_eq!(
        templates,
        [
            "tiktok-pixel",
            "pinterest-tag",
            "linkedin-insight",
            "x-pixel",
            "snap-pixel",
            "microsoft-clarity"
        ]
    );
}

#[test]
fn embeds_youtube_vimeo_google_maps_take_no_account_id_and_are_never_necessary() {
    for id in ["youtube", "vimeo", "google-maps"] {
        let t = t(id);
        assert!(t.account_key.is_empty(), "{id}: no account key");
        let c = config_with(id, "").unwrap_or_else(|e| panic!("{id}: {e:?}"));
        assert_eq!(c.services[0].template.map(|t| t.id), Some(id));
        assert_eq!(c.services[0].account, None);
        let errors = config_with(id, r#""pixelId": "1234567890""#).unwrap_err();
        assert!(
            errors[0].contains("an embed takes no account id"),
            "{id}: {errors:?}"
        );
    }
    let necessary = Config::from_json(
        r#"{ "revision": 1, "controller": "Voorbeeld B.V.", "purposes": ["necessary"],
             "services": [ { "id": "yt", "template": "youtube", "purpose": "necessary" } ] }"#,
    )
    .unwrap_err();
    assert!(
        necessary[0].to_string().contains("cannot hold the tracker"),
        "{necessary:?}"
    );
}

/// The README's "one `services` entry per template" block is a valid config, and names every
/// template in the registry, so the documentation cannot drift from the code.
#[test]
fn readme_has_a_valid_snippet_for_every_template() {
    let readme = include_str!("../README.md");
    let start = readme
        .find("One `services` entry per template")
        .expect("the README has the per-template block");
    let block = &readme[start..];
    let open = block.find("```json\n").expect("a json block") + "```json\n".len();
    let close = block[open..].find("```").expect("closed") + open;
    let entries = block[open..close].trim();
    let json = [
        r#"{ "revision": 1, "controller": "Voorbeeld B.V.",
             "purposes": ["necessary", "functional", "analytics", "marketing"],
             "services": ["#,
        entries,
        "] }",
    ]
    .concat();
    let config = Config::from_json(&json).unwrap_or_else(|errors| {
        panic!(
            "README snippet: {:?}",
            errors.iter().map(ToString::to_string).collect::<Vec<_>>()
        )
    });
    for template in TEMPLATES {
        assert!(
            config
                .services
                .iter()
                .any(|s| s.template.is_some_and(|t| t.id == template.id)),
            "the README block has no {} entry",
            template.id
        );
    }
}

#[test]
fn every_template_has_its_code_and_says_whether_it_matches() {
    assert_eq!(
        TEMPLATES.len(),
        services::CODES.len(),
        "one code per template"
    );
    for t in TEMPLATES {
        assert_eq!(
            t.matching,
            code(t).matching.is_some(),
            "{}: the description and the code agree on advanced matching (P-07)",
            t.id
        );
    }
}
