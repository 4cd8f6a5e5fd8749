//! One error type for everything the model rejects.
//!
//! Messages are lowercase and start with the path of the offending field
//! (`services[1].purpose: unknown purpose "marketng"`), so a site owner can find the
//! problem in the browser console and in `akkoord check` alike.

use core::fmt;

/// A rejected config or consent record, with the field path that explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    path: String,
    message: String,
    offset: Option<usize>,
}

impl Error {
    /// An error about the field at `path` (empty for the document itself).
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Error {
        Error {
            path: path.into(),
            message: message.into(),
            offset: None,
        }
    }

    /// The same error, located at byte `offset` of the source text.
    pub fn at_offset(mut self, offset: usize) -> Error {
        self.offset = Some(offset);
        self
    }

    /// Byte offset in the source text, when known (turn it into a line with
    /// [`crate::json::line_of`]).
    pub fn offset(&self) -> Option<usize> {
        self.offset
    }

    /// The field path, e.g. `services[1].purpose`; empty when the whole input is at fault.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong, without the path.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for Error {}
