// Shared by build.rs and tests/stylesheet.rs (`include!`), so the build step is tested.

/// Conservative CSS minification: drop comments, collapse whitespace, and remove it only where
/// CSS ignores it (around `{`, `}`, `;`, `,`, `>` and after `:`). Spaces before `:` stay,
/// because `.a :focus` and `.a:focus` are different selectors; `+`, `-` and `~` are left alone
/// for `calc()` and sibling combinators. Quoted strings get no special care: `akkoord.css` has
/// none with comment markers or runs of spaces in them (tests/stylesheet.rs counts its quotes).
pub fn minify(css: &str) -> String {
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
