//! The run log (CA-07): counts, line numbers and fingerprints, never an identifier.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

/// At most this many line numbers per list; the counts stay exact. Keeps the log (and memory)
/// small when a whole column is unusable.
pub const MAX_LINES_LISTED: usize = 1000;

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// Data rows read (the header is not counted).
    pub input: u64,
    /// Dropped: no usable e-mail address (CA-02), or phone number in a phone-only file.
    pub invalid: u64,
    /// Dropped: on the objection list (CA-04).
    pub suppressed: u64,
    /// Dropped: no opt-in that covers this use (CA-05).
    pub ineligible: u64,
    /// Dropped: same normalized e-mail as an earlier row (CA-03).
    pub duplicates: u64,
    /// Rows written.
    pub output: u64,
    /// Rows kept without a phone hash because the phone cell could not be normalized.
    pub phone_invalid: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LineReason {
    pub line: u64,
    pub reason: &'static str,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct InputInfo {
    pub file: String,
    pub delimiter: String,
    pub bom: bool,
    /// Field → the header it was read from.
    pub columns: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ObjectionInfo {
    pub file: String,
    pub hashes: usize,
    /// SHA-256 over the sorted 32-byte hashes, lowercase hex.
    pub fingerprint: String,
    pub unreadable_lines: Vec<u64>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Policy {
    pub customers_without_optin: bool,
    pub default_country: Option<String>,
    pub status_column: bool,
    pub optin_column: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub command: String,
    pub version: String,
    pub timestamp: String,
    pub platform: String,
    /// `email`, or `phone` for a phone-only file.
    pub identifier: String,
    pub input: InputInfo,
    pub counts: Counts,
    pub invalid_lines: Vec<LineReason>,
    pub invalid_lines_truncated: bool,
    pub phone_invalid_lines: Vec<u64>,
    pub objection_list: ObjectionInfo,
    pub policy: Policy,
    pub output: Option<String>,
    pub warnings: Vec<String>,
}

impl Report {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into())
    }

    /// The human summary printed after a run.
    pub fn summary(&self) -> String {
        let c = &self.counts;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "akkoord audience build  {}  platform {}",
            self.timestamp, self.platform
        );
        let _ = writeln!(s, "  input       {:>10}  {}", c.input, self.input.file);
        let what = if self.identifier == "phone" {
            "phone number"
        } else {
            "e-mail address"
        };
        let _ = writeln!(s, "  invalid     {:>10}  (no usable {what})", c.invalid);
        let _ = writeln!(
            s,
            "  suppressed  {:>10}  (on the objection list)",
            c.suppressed
        );
        let _ = writeln!(
            s,
            "  ineligible  {:>10}  (no opt-in for this use)",
            c.ineligible
        );
        let _ = writeln!(
            s,
            "  duplicates  {:>10}  (same {what} as an earlier row)",
            c.duplicates
        );
        let _ = writeln!(
            s,
            "  output      {:>10}  {}",
            c.output,
            self.output.as_deref().unwrap_or("-")
        );
        if c.phone_invalid > 0 {
            let _ = writeln!(
                s,
                "  phone left empty on {} rows (not a usable number)",
                c.phone_invalid
            );
        }
        let _ = writeln!(
            s,
            "  objection list {} hashes, fingerprint {}",
            self.objection_list.hashes, self.objection_list.fingerprint
        );
        if !self.invalid_lines.is_empty() {
            let lines: Vec<String> = self
                .invalid_lines
                .iter()
                .take(20)
                .map(|l| l.line.to_string())
                .collect();
            let more = if c.invalid as usize > lines.len() {
                ", …"
            } else {
                ""
            };
            let _ = writeln!(s, "  invalid lines: {}{more}", lines.join(", "));
        }
        for w in &self.warnings {
            let _ = writeln!(s, "  warning: {w}");
        }
        s
    }
}
