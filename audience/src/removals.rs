//! `audience removals` (CA-08): the "remove these users" file for people who objected after an
//! earlier upload, in the same layout as the upload file for that platform.
//!
//! The list holds hashes, not addresses, so the file carries every stored hash of each
//! objection: the forms another platform uses simply match nobody, which is harmless for a
//! removal.

use std::io::Write;
use std::path::Path;

use crate::calendar::Day;
use crate::error::{Error, Result};
use crate::hashing::push_hex;
use crate::normalize::Platform;
use crate::objections::{Kind, Store};
use crate::output::AtomicFile;

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RemovalSummary {
    /// Stored hashes added on or after `since`.
    pub entries: usize,
    /// Rows written.
    pub rows: usize,
    /// Phone hashes left out because this platform's file has no phone column.
    pub skipped_phone: usize,
}

pub fn write_removals(
    store: &Path,
    since: Day,
    platform: Platform,
    out: &Path,
) -> Result<RemovalSummary> {
    if !store.exists() {
        return Err(Error::file(
            store.display().to_string(),
            "objection list not found",
        ));
    }
    let store = Store::load(store)?;
    let entries = store.since(since);
    let layout = platform.layout();
    let mut body = Vec::with_capacity(entries.len() * 67 + 32);
    if let Some(h) = layout.header {
        body.extend_from_slice(h.as_bytes());
        body.push(b'\n');
    }
    let mut summary = RemovalSummary {
        entries: entries.len(),
        ..Default::default()
    };
    for e in &entries {
        match (e.kind, layout.phone) {
            (Kind::Phone, false) => {
                summary.skipped_phone += 1;
                continue;
            }
            (Kind::Phone, true) => {
                body.push(b',');
                push_hex(&mut body, &e.hash);
            }
            (Kind::Email | Kind::Hash, phone_column) => {
                push_hex(&mut body, &e.hash);
                if phone_column {
                    body.push(b',');
                }
            }
        }
        body.push(b'\n');
        summary.rows += 1;
    }
    let mut f = AtomicFile::create(out)?;
    f.writer().write_all(&body).map_err(|e| Error::io(out, e))?;
    f.commit()?;
    Ok(summary)
}
