//! Custom-audience upload files (REFERENCE §4, CA-01..CA-09).
//!
//! Everything runs locally: the customer list is normalized and SHA-256 hashed on this machine
//! and only the hashes are written (CA-09). Hashing is pseudonymisation, not anonymisation: the
//! output is still personal data.

pub mod calendar;
pub mod cli;
pub mod error;
pub mod generate;
pub mod hashing;
pub mod input;
pub mod normalize;
pub mod objections;
pub mod output;
pub mod pipeline;
pub mod removals;
pub mod report;

pub use error::{Error, Result};
pub use normalize::{Country, Platform};
pub use pipeline::{build, build_files, BuildOptions, BuildPaths, Identifier};
pub use report::Report;
