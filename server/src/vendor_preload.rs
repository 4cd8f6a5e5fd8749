//! Preloads of the vendor scripts that a returning visitor's stored choice will run.
//!
//! For a visitor with a stored choice, the full module inserts each granted vendor's script
//! once it has booted: about 40 ms after the page's request on the loopback, far later on a
//! phone. The server has the same cookie and the same config in hand, so it takes the same
//! decision the module will take (`decide::evaluate`, then `decide::services_for`, as the
//! module's `activate` does) and names those scripts in the page's `Link` header. Their
//! downloads then run alongside the module's instead of after it.
//!
//! A preload fetches and runs nothing: the module still decides, and inserts the vendor's
//! official snippet, whose script element picks up the preloaded response. Nothing is named
//! for a visitor without a valid stored grant, so a first visit, a refusal, an outdated
//! revision or an expired choice sends no request to a vendor (C-01, P-01, C-22).

use akkoord::config::Config;
use akkoord::decide;

/// The script each template's snippet requests, `{id}` standing for the account id. It has to
/// be the snippet's URL exactly, or the browser fetches the script a second time.
const SCRIPTS: &[(&str, &str)] = &[
    (
        "google-analytics",
        "https://www.googletagmanager.com/gtag/js?id={id}",
    ),
    (
        "google-ads",
        "https://www.googletagmanager.com/gtag/js?id={id}",
    ),
    (
        "meta-pixel",
        "https://connect.facebook.net/en_US/fbevents.js",
    ),
    (
        "tiktok-pixel",
        "https://analytics.tiktok.com/i18n/pixel/events.js?sdkid={id}&lib=ttq",
    ),
    ("pinterest-tag", "https://s.pinimg.com/ct/core.js"),
    (
        "linkedin-insight",
        "https://snap.licdn.com/li.lms-analytics/insight.min.js",
    ),
    ("x-pixel", "https://static.ads-twitter.com/uwt.js"),
    ("snap-pixel", "https://sc-static.net/scevent.min.js"),
    ("microsoft-clarity", "https://www.clarity.ms/tag/{id}"),
];

/// The script URL of template `template` for account `account`, if it loads one.
pub fn script_url(template: &str, account: &str) -> Option<String> {
    SCRIPTS
        .iter()
        .find(|(id, _)| *id == template)
        .map(|(_, url)| url.replace("{id}", account))
}

/// A vendor script that the config's services may insert, and what grants it: its purpose
/// or its own service id (`decide::services_for`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate<'a> {
    /// Scripts of one family are inserted once (GA4 and Google Ads share one gtag.js).
    pub family: &'static str,
    pub purpose: &'a str,
    pub service: &'a str,
    pub url: String,
}

/// Every vendor script the config's services may insert, in config order, before anyone's
/// choice is known. `akkoord prerender --static` and `akkoord snippet` write this table into
/// the page, whose inline script then picks from it with the visitor's cookie ([`scripts`]
/// does the same here).
pub fn candidates(config: &Config) -> Vec<Candidate<'_>> {
    config
        .services
        .iter()
        .filter_map(|service| {
            let template = service.template?;
            let code = template.code()?;
            let url = script_url(template.id, service.account.as_deref()?)?;
            Some(Candidate {
                family: code.family,
                purpose: &service.purpose,
                service: &service.id,
                url,
            })
        })
        .collect()
}

/// The vendor scripts the full module will insert for this visitor, in the order it inserts
/// them: one per family (GA4 and Google Ads share one gtag.js, loaded with the first
/// service's id). Empty without a valid stored choice that grants a template service.
pub fn scripts(config: &Config, cookies: &str, now: u64) -> Vec<String> {
    let stored = decide::evaluate(config, cookies, now);
    let Some(consent) = stored.valid() else {
        return Vec::new();
    };
    // The services the module's `activate` runs for this choice (service ids are unique).
    let granted: Vec<&str> = decide::services_for(config, &consent.granted)
        .map(|service| service.id.as_str())
        .collect();
    let mut families: Vec<&str> = Vec::new();
    let mut urls = Vec::new();
    for candidate in candidates(config) {
        if !granted.contains(&candidate.service) || families.contains(&candidate.family) {
            continue;
        }
        families.push(candidate.family);
        urls.push(candidate.url);
    }
    urls
}

/// `Link` header entries for [`scripts`]: `as=script` without `crossorigin`, like the
/// snippets' own script elements, so the browser reuses the response.
pub fn links(config: &Config, cookies: &str, now: u64) -> Vec<String> {
    scripts(config, cookies, now)
        .into_iter()
        .map(|url| ["<", &url, ">; rel=preload; as=script"].concat())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use akkoord::services::template;

    const NOW: u64 = 1_790_000_000;

    fn config(services: &str) -> Config {
        let text = [
            r#"{"revision": 2, "controller": "Shop B.V.", "purposes": ["necessary", "analytics", "marketing"], "services": ["#,
            services,
            "]}",
        ]
        .concat();
        Config::from_json(&text).expect("a valid test config")
    }

    fn cookie(revision: u32, decided: u64, granted: &str) -> String {
        format!("x=1; akkoord=1.{revision}.{decided}.r.0123456789abcdef.{granted}.")
    }

    const GA_META: &str = r#"{"id": "ga4", "template": "google-analytics", "purpose": "analytics", "measurementId": "G-ABC123"},
        {"id": "meta", "template": "meta-pixel", "purpose": "marketing", "pixelId": "1234567890"}"#;

    #[test]
    fn a_valid_grant_names_the_granted_vendors_scripts_in_config_order_p01() {
        let c = config(GA_META);
        assert_eq!(
            scripts(&c, &cookie(2, NOW - 60, "analytics+marketing"), NOW),
            [
                "https://www.googletagmanager.com/gtag/js?id=G-ABC123",
                "https://connect.facebook.net/en_US/fbevents.js"
            ]
        );
        // Marketing only: no Google request; analytics only: no Meta request (P-01).
        assert_eq!(
            scripts(&c, &cookie(2, NOW - 60, "marketing"), NOW),
            ["https://connect.facebook.net/en_US/fbevents.js"]
        );
        assert_eq!(
            scripts(&c, &cookie(2, NOW - 60, "analytics"), NOW),
            ["https://www.googletagmanager.com/gtag/js?id=G-ABC123"]
        );
    }

    #[test]
    fn no_valid_grant_names_nothing_c01_c22() {
        let c = config(GA_META);
        for (cookies, why) in [
            (String::new(), "first visit"),
            ("akkoord=garbage".to_string(), "unreadable cookie"),
            (cookie(2, NOW - 60, ""), "everything refused"),
            (
                cookie(1, NOW - 60, "analytics+marketing"),
                "outdated revision",
            ),
            (
                cookie(2, NOW - 800 * 86_400, "analytics+marketing"),
                "expired",
            ),
            (
                cookie(2, NOW + 3 * 86_400, "analytics+marketing"),
                "from the future",
            ),
        ] {
            assert_eq!(scripts(&c, &cookies, NOW), Vec::<String>::new(), "{why}");
        }
    }

    #[test]
    fn a_shared_loader_is_named_once_with_the_first_services_id() {
        let c = config(
            r#"{"id": "ads", "template": "google-ads", "purpose": "marketing", "conversionId": "AW-123456789"},
            {"id": "ga4", "template": "google-analytics", "purpose": "analytics", "measurementId": "G-ABC123"}"#,
        );
        assert_eq!(
            scripts(&c, &cookie(2, NOW - 60, "analytics+marketing"), NOW),
            ["https://www.googletagmanager.com/gtag/js?id=AW-123456789"]
        );
    }

    #[test]
    fn a_service_granted_on_its_own_is_named_under_a_refused_purpose() {
        let c = config(GA_META);
        assert_eq!(
            scripts(&c, &cookie(2, NOW - 60, "meta"), NOW),
            ["https://connect.facebook.net/en_US/fbevents.js"]
        );
    }

    #[test]
    fn links_are_script_preloads() {
        let c = config(
            r#"{"id": "meta", "template": "meta-pixel", "purpose": "marketing", "pixelId": "1234567890"}"#,
        );
        assert_eq!(
            links(&c, &cookie(2, NOW - 60, "marketing"), NOW),
            ["<https://connect.facebook.net/en_US/fbevents.js>; rel=preload; as=script"]
        );
    }

    #[test]
    fn candidates_are_every_script_a_service_may_insert_whatever_the_choice() {
        let c = config(
            &[
                GA_META,
                r#", {"id": "yt", "template": "youtube", "purpose": "marketing"}"#,
            ]
            .concat(),
        );
        let all = candidates(&c);
        assert_eq!(
            all.iter()
                .map(|c| (c.family, c.purpose, c.service, c.url.as_str()))
                .collect::<Vec<_>>(),
            [
                (
                    "gtag",
                    "analytics",
                    "ga4",
                    "https://www.googletagmanager.com/gtag/js?id=G-ABC123"
                ),
                (
                    "fbq",
                    "marketing",
                    "meta",
                    "https://connect.facebook.net/en_US/fbevents.js"
                )
            ],
            "the embed inserts no script"
        );
    }

    /// Each URL is the one the template's snippet requests: the same host list the tests
    /// forbid before consent, and the URL's fixed part written in the snippet itself.
    #[test]
    fn every_script_url_is_the_snippets_own() {
        for (id, url) in SCRIPTS {
            let code = template(id)
                .and_then(|t| t.code())
                .unwrap_or_else(|| panic!("{id} is a template with code"));
            let host = url
                .trim_start_matches("https://")
                .split('/')
                .next()
                .unwrap_or("");
            assert!(code.hosts.contains(&host), "{id}: {host} in its hosts");
            let fixed = url.split(['{', '?']).next().unwrap_or(url);
            let written = [code.family_src.unwrap_or(""), code.family_init, code.init].concat();
            assert!(written.contains(fixed), "{id}: {fixed} in its snippet");
        }
    }
}
