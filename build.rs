//! Embeds `www/akkoord.css` in the banner without its comments and indentation: the stylesheet
//! travels inside the wasm, so every byte of layout whitespace is downloaded by every visitor.

use std::{env, fs, path::Path};

include!("build/minify_css.rs");

fn main() {
    let source = "www/akkoord.css";
    println!("cargo:rerun-if-changed={source}");
    println!("cargo:rerun-if-changed=build/minify_css.rs");
    let css = fs::read_to_string(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&out_dir).join("akkoord.css"), minify(&css))
        .unwrap_or_else(|e| panic!("writing the minified {source}: {e}"));
}
