//! The stylesheet minifier that `build.rs` runs before the CSS is embedded in the banner: it
//! may only drop what CSS ignores, so the banner looks the same (the end-to-end contrast and
//! reflow tests check the result in Chromium).
#![cfg(not(target_arch = "wasm32"))]

include!("../build/minify_css.rs");

#[test]
fn comments_and_layout_whitespace_go() {
    assert_eq!(
        minify("/* theme */\n.ak {\n  color: red;\n  margin: 0 auto;\n}\n"),
        ".ak{color:red;margin:0 auto}"
    );
    assert_eq!(minify("a, b > c { x: 1 }"), "a,b>c{x:1}");
}

#[test]
fn whitespace_that_means_something_stays() {
    // A descendant pseudo-class is not the same selector as one on the element itself.
    assert_eq!(minify(".a :focus { x: 1 }"), ".a :focus{x:1}");
    // calc() needs the spaces around + and -; so do shorthand values and media queries.
    assert_eq!(
        minify("a { w: calc(100% - 2rem + 1px) }"),
        "a{w:calc(100% - 2rem + 1px)}"
    );
    assert_eq!(
        minify("@media (prefers-color-scheme: dark) { a { b: 1px solid red } }"),
        "@media (prefers-color-scheme:dark){a{b:1px solid red}}"
    );
    assert_eq!(
        minify("a { font: 400 1rem/1.5 \"Segoe UI\", sans-serif }"),
        "a{font:400 1rem/1.5 \"Segoe UI\",sans-serif}"
    );
}

#[test]
fn the_banner_stylesheet_keeps_every_rule_and_declaration() {
    let css = include_str!("../www/akkoord.css");
    let out = minify(css);
    let without_comments = {
        let mut s = String::new();
        let mut rest = css;
        while let Some(i) = rest.find("/*") {
            s.push_str(&rest[..i]);
            rest = rest[i + 2..]
                .split_once("*/")
                .map_or("", |(_, after)| after);
        }
        s.push_str(rest);
        s
    };
    for c in ['{', '}', ':', '(', ')', '"', '!'] {
        assert_eq!(
            out.matches(c).count(),
            without_comments.matches(c).count(),
            "every {c:?} survives"
        );
    }
    assert!(
        out.len() < css.len() * 4 / 5,
        "{} of {} bytes",
        out.len(),
        css.len()
    );
    assert!(!out.contains("/*") && !out.contains('\n'));
}
