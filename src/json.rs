//! A small JSON reader for the config, used natively (`akkoord check`) and in the browser
//! alike, so both sides read a config with the same code and report the same errors, with
//! line numbers.
//!
//! Why not serde here: in the wasm build serde's deserializer machinery (error formatting,
//! float formatting, two monomorphized copies of every visitor) cost ~27 KB brotli, more than
//! the rest of the banner together. This reader keeps numbers as their source text (the
//! config only has whole numbers), so no float parsing or printing is linked either.

use crate::error::Error;

/// Nesting deeper than this is rejected rather than risking the stack on hostile input.
const MAX_DEPTH: usize = 64;

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Node>),
    /// An object, keys in document order (duplicates kept; the reader of the object decides).
    Object(Vec<(String, Node)>),
}

/// A value with the byte offset where it starts, for line numbers in errors.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Byte offset in the source text.
    pub offset: usize,
}

impl Node {
    /// What kind of value this is, for "expected …, found …" messages.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// The 1-based line of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    let lines = text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count();
    u32::try_from(lines).unwrap_or(u32::MAX).saturating_add(1)
}

/// Parse a whole JSON document.
pub fn parse(text: &str) -> Result<Node, Error> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    // A UTF-8 byte-order mark is common in files saved by Windows editors.
    if text.starts_with('\u{feff}') {
        p.i = 3;
    }
    let node = p.value(0)?;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.error("unexpected text after the JSON value"));
    }
    Ok(node)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> Error {
        Error::new("", ["invalid JSON: ", message].concat()).at_offset(self.i)
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &[u8]) -> bool {
        if self.s.get(self.i..self.i + lit.len()) == Some(lit) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, Error> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.ws();
        let offset = self.i;
        let value = match self.s.get(self.i) {
            None => return Err(self.error("unexpected end of input")),
            Some(b'{') => {
                self.i += 1;
                let mut entries = Vec::new();
                self.ws();
                if !self.eat(b"}") {
                    loop {
                        self.ws();
                        if self.s.get(self.i) != Some(&b'"') {
                            return Err(self.error("expected a quoted key"));
                        }
                        let key = self.string()?;
                        self.ws();
                        if !self.eat(b":") {
                            return Err(self.error("expected ':' after a key"));
                        }
                        let v = self.value(depth + 1)?;
                        entries.push((key, v));
                        self.ws();
                        if self.eat(b",") {
                            continue;
                        }
                        if self.eat(b"}") {
                            break;
                        }
                        return Err(self
                            .error("expected ',' or '}' (a trailing comma or a missing comma?)"));
                    }
                }
                Value::Object(entries)
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if !self.eat(b"]") {
                    loop {
                        items.push(self.value(depth + 1)?);
                        self.ws();
                        if self.eat(b",") {
                            continue;
                        }
                        if self.eat(b"]") {
                            break;
                        }
                        return Err(self
                            .error("expected ',' or ']' (a trailing comma or a missing comma?)"));
                    }
                }
                Value::Array(items)
            }
            Some(b'"') => Value::String(self.string()?),
            Some(b't') if self.eat(b"true") => Value::Bool(true),
            Some(b'f') if self.eat(b"false") => Value::Bool(false),
            Some(b'n') if self.eat(b"null") => Value::Null,
            Some(b'-' | b'0'..=b'9') => Value::Number(self.number()?),
            Some(_) => return Err(self.error("expected a value")),
        };
        Ok(Node { value, offset })
    }

    fn number(&mut self) -> Result<String, Error> {
        let start = self.i;
        self.eat(b"-");
        let digits = |p: &mut Self| {
            let from = p.i;
            while let Some(b'0'..=b'9') = p.s.get(p.i) {
                p.i += 1;
            }
            p.i > from
        };
        if !digits(self) {
            return Err(self.error("expected digits"));
        }
        if self.eat(b".") && !digits(self) {
            return Err(self.error("expected digits after '.'"));
        }
        if let Some(b'e' | b'E') = self.s.get(self.i) {
            self.i += 1;
            if let Some(b'+' | b'-') = self.s.get(self.i) {
                self.i += 1;
            }
            if !digits(self) {
                return Err(self.error("expected digits in the exponent"));
            }
        }
        // Only ASCII digits, signs, '.' and 'e' were consumed.
        Ok(self.s[start..self.i]
            .iter()
            .map(|&b| char::from(b))
            .collect())
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let mut n = 0u32;
        for _ in 0..4 {
            let d = match self.s.get(self.i) {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.error("bad \\u escape")),
            };
            n = n * 16 + u32::from(d);
            self.i += 1;
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String, Error> {
        self.i += 1; // opening quote
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(&b) = self.s.get(self.i) else {
                return Err(self.error("unterminated string"));
            };
            self.i += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let Some(&e) = self.s.get(self.i) else {
                        return Err(self.error("unterminated string"));
                    };
                    self.i += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if !self.eat(b"\\u") {
                                    return Err(self.error("lone surrogate in \\u escape"));
                                }
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.error("bad surrogate pair in \\u escape"));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            char::from_u32(code).ok_or_else(|| self.error("bad \\u escape"))?
                        }
                        _ => return Err(self.error("unknown escape")),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => return Err(self.error("control character in a string (escape it)")),
                _ => out.push(b),
            }
        }
        // The input is a &str and escapes produce valid UTF-8, so this cannot fail.
        String::from_utf8(out).map_err(|_| self.error("invalid UTF-8"))
    }
}
