//! One error type for the whole crate.
//!
//! Every message names the file and, where there is one, the line. No message ever carries a
//! value from the input: the input holds e-mail addresses and phone numbers (CA-07).

use std::fmt;
use std::io;
use std::path::Path;

#[derive(Debug)]
pub enum Error {
    /// A problem with one line of an input file: `customers.csv:17: …`.
    Line {
        file: String,
        line: u64,
        msg: String,
    },
    /// A problem with a file as a whole: `customers.csv: …`.
    File { file: String, msg: String },
    /// Reading or writing failed at the operating-system level.
    Io { file: String, source: io::Error },
    /// A bad command-line value or combination.
    Usage(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn line(file: impl Into<String>, line: u64, msg: impl Into<String>) -> Self {
        Error::Line {
            file: file.into(),
            line,
            msg: msg.into(),
        }
    }

    pub fn file(file: impl Into<String>, msg: impl Into<String>) -> Self {
        Error::File {
            file: file.into(),
            msg: msg.into(),
        }
    }

    pub fn io(file: impl AsRef<Path>, source: io::Error) -> Self {
        Error::Io {
            file: file.as_ref().display().to_string(),
            source,
        }
    }

    pub fn usage(msg: impl Into<String>) -> Self {
        Error::Usage(msg.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Line { file, line, msg } => write!(f, "{file}:{line}: {msg}"),
            Error::File { file, msg } => write!(f, "{file}: {msg}"),
            Error::Io { file, source } => write!(f, "{file}: {source}"),
            Error::Usage(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
