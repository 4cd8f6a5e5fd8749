//! Embeds `www/akkoord.css` in the banner without its comments and indentation: the stylesheet
//! travels inside the wasm, so every byte of layout whitespace is downloaded by every visitor.

use std::{env, fs, path::Path};

/// Conservative CSS minification: drop comments, collapse whitespace, and remove it only where
/// CSS ignores it (around `{`, `}`, `;`, `,`, `>` and after `:`). Spaces before `:` stay,
/// because `.a :focus` and `.a:focus` are different selectors; `+`, `-` and `~` are left alone
/// for `calc()` and sibling combinators.
fn minify(css: &str) -> String {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .split_once("*/")
            .map_or("", |(_, after)| after);
        text.push(' ');
    }
    text.push_str(rest);
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        let tight = |c: char| matches!(c, '{' | '}' | ';' | ',' | '>');
        let last = out.chars().last();
        if pending_space
            && !out.is_empty()
            && !tight(c)
            && !last.is_some_and(|l| tight(l) || l == ':')
        {
            out.push(' ');
        }
        pending_space = false;
        if c == '}' && out.ends_with(';') {
            out.pop();
        }
        out.push(c);
    }
    out
}

fn main() {
    let source = "www/akkoord.css";
    println!("cargo:rerun-if-changed={source}");
    let css = fs::read_to_string(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&out_dir).join("akkoord.css"), minify(&css))
        .unwrap_or_else(|e| panic!("writing the minified {source}: {e}"));
}
