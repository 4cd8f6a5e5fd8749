//! `akkoord snippet`: the `<head>` lines that load the banner and preload, by the visitor's
//! cookie, the module and the vendor scripts it will run.

mod common;

use akkoord_server::prerender::csp_hash;
use common::{akkoord, repo_file, stderr, stdout};

fn demo() -> String {
    repo_file("www/demo/akkoord.json")
}

fn css() -> String {
    repo_file("www/akkoord.css")
}

#[test]
fn prints_the_head_lines_and_the_csp_hash_of_their_script() {
    let out = akkoord(&["snippet", &demo(), "--no-banner"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = stdout(&out);
    let lines: Vec<&str> = html.lines().collect();
    assert_eq!(
        lines.first().copied(),
        Some("<link rel=\"preload\" href=\"/akkoord.json\" as=\"fetch\" crossorigin>")
    );
    assert_eq!(
        lines.last().copied(),
        Some("<script src=\"/akkoord/akkoord.js\" data-config=\"/akkoord.json\"></script>")
    );
    let script = lines
        .get(1)
        .and_then(|l| l.strip_prefix("<script>"))
        .and_then(|l| l.strip_suffix("</script>"))
        .expect("the inline script on the second line");
    // The demo's services: GA4 under analytics, the Meta Pixel under marketing (P-01).
    assert!(script.contains(
        "[[\"gtag\",\"analytics\",\"ga4\",\"https://www.googletagmanager.com/gtag/js?id=G-TEST123\"],[\"fbq\",\"marketing\",\"meta\",\"https://connect.facebook.net/en_US/fbevents.js\"]]"
    ));
    let err = stderr(&out);
    assert!(err.contains("revision 1 of "), "{err}");
    assert!(
        err.contains(&["script-src ", &csp_hash(script)].concat()),
        "{err}"
    );
}

#[test]
fn other_urls_and_an_inline_config() {
    let out = akkoord(&[
        "snippet",
        &demo(),
        "--src",
        "/static/akkoord/2026-11-28/akkoord.js",
        "--inline",
        "--no-banner",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = stdout(&out);
    assert!(html.starts_with("<script type=\"application/json\" id=\"akkoord-config\">{"));
    assert!(html.contains("var b=\"/static/akkoord/2026-11-28/\";"));
    assert!(html.ends_with("<script src=\"/static/akkoord/2026-11-28/akkoord.js\"></script>\n"));
}

#[test]
fn a_url_that_cannot_go_into_the_page_exits_1_naming_the_option() {
    let out = akkoord(&["snippet", &demo(), "--no-banner", "--src", "/js/consent.js"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).starts_with("akkoord snippet: --src /js/consent.js: "),
        "{}",
        stderr(&out)
    );
    let out = akkoord(&[
        "snippet",
        &demo(),
        "--no-banner",
        "--config-url",
        "/cfg.json\"><x",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--config-url /cfg.json\"><x:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn invalid_config_exits_1_naming_file_and_line() {
    let file = repo_file("examples/configs/c14-necessary-tracker.bad.json");
    let out = akkoord(&["snippet", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).starts_with(&format!("{file}:9: services[1].purpose: ")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unreadable_config_exits_2() {
    let out = akkoord(&["snippet", "does-not-exist.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("does-not-exist.json: cannot read"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_banner_comes_in_a_template_in_the_chosen_language() {
    let out = akkoord(&["snippet", &demo(), "--css", &css(), "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = stdout(&out);
    let lines: Vec<&str> = html.lines().collect();
    assert_eq!(lines.len(), 4, "{html}");
    assert!(lines[1]
        .starts_with("<template id=\"akkoord-banner\"><div id=\"akkoord\" data-akkoord-markup=\""));
    assert!(lines[1].contains("lang=\"en\""), "{}", lines[1]);
    assert!(
        lines[1].ends_with("</template></div></template>"),
        "{}",
        lines[1]
    );
    assert!(
        !lines[1].contains("<noscript>"),
        "it reaches the page only through the script"
    );
    assert!(lines[2].contains(")[0]==\"en\")"), "{}", lines[2]);
    assert!(stderr(&out).contains("the banner in these lines is in \"en\""));

    let out = akkoord(&["snippet", &demo(), "--css", &css(), "--lang", "tlh"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("akkoord snippet: --lang tlh: the config has nl, en"),
        "{}",
        stderr(&out)
    );

    let out = akkoord(&["snippet", &demo(), "--css", "no-such.css"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no-such.css"), "{}", stderr(&out));
}
