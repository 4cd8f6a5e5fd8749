//! What the CLI's integration tests share: running the built `akkoord` and finding the
//! repository's sample files.
#![allow(dead_code)] // each test binary uses its own part of this

use std::path::PathBuf;
use std::process::{Command, Output};

/// A file of the repository, by its path from the root.
pub fn repo_file(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
        .display()
        .to_string()
}

/// Run the built `akkoord` with `args`.
pub fn akkoord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_akkoord"))
        .args(args)
        .output()
        .expect("run akkoord")
}

/// Standard output as UTF-8.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

/// Standard error, lossily.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
