//! Reading the customer CSV: encoding, delimiter, header mapping, and the guards that turn bad
//! files into an error with a line number instead of a crash or a silently empty output.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use crate::error::{Error, Result};

/// A physical line longer than this is not a row of a customer list. Without the limit a file
/// without newlines would be buffered whole.
pub const MAX_LINE: usize = 1 << 20;

/// Counts newlines as the bytes go by and refuses a line longer than [`MAX_LINE`].
pub struct LineGuard<R> {
    inner: R,
    since_newline: usize,
    newlines: u64,
    overlong_line: Option<u64>,
}

impl<R> LineGuard<R> {
    /// The 1-based line that was too long, once the guard has refused to read on.
    pub fn overlong_line(&self) -> Option<u64> {
        self.overlong_line
    }
}

impl<R: Read> Read for LineGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.overlong_line.is_some() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "line too long"));
        }
        let n = self.inner.read(buf)?;
        let chunk = &buf[..n];
        match memchr::memrchr(b'\n', chunk) {
            Some(last) => {
                self.newlines += memchr::memchr_iter(b'\n', chunk).count() as u64;
                // The part before the first newline belongs to the line that was already open.
                let first = memchr::memchr(b'\n', chunk).unwrap_or(0);
                if self.since_newline + first > MAX_LINE {
                    let newlines_in_chunk = memchr::memchr_iter(b'\n', chunk).count() as u64;
                    self.overlong_line = Some(self.newlines - newlines_in_chunk + 1);
                }
                self.since_newline = n - last - 1;
            }
            None => self.since_newline += n,
        }
        if self.since_newline > MAX_LINE && self.overlong_line.is_none() {
            self.overlong_line = Some(self.newlines + 1);
        }
        if self.overlong_line.is_some() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "line too long"));
        }
        Ok(n)
    }
}

/// How the file was written, as found from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    pub delimiter: u8,
    pub bom: bool,
    /// Lines end in `\r\n` (Excel on Windows).
    pub crlf: bool,
}

impl Dialect {
    pub fn delimiter_name(&self) -> &'static str {
        match self.delimiter {
            b';' => "semicolon",
            b'\t' => "tab",
            _ => "comma",
        }
    }
}

pub type CsvReader = csv::Reader<LineGuard<BufReader<Box<dyn Read + Send>>>>;

/// An input file opened for streaming, with its dialect detected.
pub struct Opened {
    pub name: String,
    pub size: Option<u64>,
    pub dialect: Dialect,
    pub reader: CsvReader,
}

/// Opens `path` (`-` is standard input).
pub fn open(path: &Path) -> Result<Opened> {
    let name = path.display().to_string();
    if name == "-" {
        return open_reader(Box::new(io::stdin()), "stdin".into(), None);
    }
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let size = file.metadata().ok().map(|m| m.len());
    open_reader(Box::new(file), name, size)
}

/// Detects BOM and delimiter from the first buffer, then hands the stream to `csv`.
pub fn open_reader(raw: Box<dyn Read + Send>, name: String, size: Option<u64>) -> Result<Opened> {
    let mut buf = BufReader::with_capacity(1 << 16, raw);
    let head = buf.fill_buf().map_err(|e| Error::io(&name, e))?;
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::file(
            &name,
            "UTF-16 text (Excel \"Unicode text\"); save the file as \"CSV UTF-8\"",
        ));
    }
    let bom = head.starts_with(&[0xEF, 0xBB, 0xBF]);
    let body = if bom { &head[3..] } else { head };
    let delimiter = sniff_delimiter(body);
    let crlf = memchr::memchr(b'\n', body).is_some_and(|i| i > 0 && body[i - 1] == b'\r');
    if bom {
        buf.consume(3);
    }
    let guard = LineGuard {
        inner: buf,
        since_newline: 0,
        newlines: 0,
        overlong_line: None,
    };
    let reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        // Short rows are common in hand-edited exports; missing cells read as empty.
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(guard);
    Ok(Opened {
        name,
        size,
        dialect: Dialect {
            delimiter,
            bom,
            crlf,
        },
        reader,
    })
}

/// The delimiter that occurs most often, outside quotes, on the first line. Dutch Excel writes
/// `;` because `,` is the decimal separator; ties go to `,`.
pub fn sniff_delimiter(head: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &c in head {
        match c {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = [b',', b';', b'\t']
        .into_iter()
        .zip(counts)
        .fold(
            (b',', 0),
            |best, (d, n)| if n > best.1 { (d, n) } else { best },
        );
    best.0
}

/// Reads one record, turning the guards' findings into errors that name the line.
/// `Ok(false)` at the end of the file.
pub fn read_record(opened: &mut Opened, rec: &mut csv::ByteRecord) -> Result<bool> {
    let more = match opened.reader.read_byte_record(rec) {
        Ok(more) => more,
        Err(e) => {
            if let Some(line) = opened.reader.get_ref().overlong_line() {
                return Err(Error::line(
                    &opened.name,
                    line,
                    format!("line longer than {} bytes; is this a CSV file?", MAX_LINE),
                ));
            }
            let line = e
                .position()
                .map(|p| p.line())
                .unwrap_or_else(|| opened.reader.position().line());
            return Err(match e.into_kind() {
                csv::ErrorKind::Io(io) => Error::io(&opened.name, io),
                _ => Error::line(&opened.name, line, "malformed CSV"),
            });
        }
    };
    if more {
        let line = record_line(opened, rec);
        if memchr::memchr(0, rec.as_slice()).is_some() {
            return Err(Error::line(
                &opened.name,
                line,
                "binary data (a NUL byte); this is not a text CSV file",
            ));
        }
        if rec.as_slice().len() > MAX_LINE {
            return Err(Error::line(
                &opened.name,
                line,
                format!("row longer than {} bytes; is this a CSV file?", MAX_LINE),
            ));
        }
    }
    Ok(more)
}

/// The 1-based line a record starts on. `csv` counts a line when it consumes the `\n`, and
/// with `\r\n` endings it ends the record at the `\r`, so every record after the first
/// would be reported one line early.
pub fn record_line(opened: &Opened, rec: &csv::ByteRecord) -> u64 {
    let line = rec.position().map_or(0, |p| p.line());
    if opened.dialect.crlf && rec.position().is_some_and(|p| p.byte() > 0) {
        line + 1
    } else {
        line
    }
}

/// The columns the pipeline reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Email,
    Phone,
    Status,
    Optin,
    Country,
}

impl Field {
    pub const ALL: [Field; 5] = [
        Field::Email,
        Field::Phone,
        Field::Status,
        Field::Optin,
        Field::Country,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Status => "status",
            Field::Optin => "optin",
            Field::Country => "country",
        }
    }

    /// Header names recognised for this field, compared after [`header_key`].
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Email => &["email", "emailadres", "emailaddress", "mail", "mailadres"],
            Field::Phone => &[
                "phone",
                "telefoon",
                "telefoonnummer",
                "tel",
                "mobile",
                "mobiel",
                "mobielnummer",
                "phonenumber",
                "telephone",
                "gsm",
            ],
            Field::Status => &[
                "status",
                "klantstatus",
                "customerstatus",
                "klanttype",
                "relatie",
                "type",
            ],
            Field::Optin => &[
                "optin",
                "caoptin",
                "optinca",
                "optincustomaudiences",
                "customaudienceoptin",
                "customaudiencesoptin",
                "toestemming",
                "toestemmingca",
                "consent",
            ],
            Field::Country => &["country", "land", "landcode", "countrycode"],
        }
    }

    pub fn parse(s: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| f.name() == header_key(s) || f.aliases().contains(&header_key(s).as_str()))
    }
}

/// `E-mail adres` → `emailadres`: lowercase, without spaces, dashes and underscores.
pub fn header_key(h: &str) -> String {
    h.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Column index per field, found in the header row or given with `--map`.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    pub index: [Option<usize>; 5],
    pub names: [Option<String>; 5],
}

impl Columns {
    pub fn get(&self, f: Field) -> Option<usize> {
        self.index[f as usize]
    }

    pub fn name(&self, f: Field) -> Option<&str> {
        self.names[f as usize].as_deref()
    }
}

/// Maps header cells to fields. `map` (from `--map email=Col1`) wins over the aliases.
pub fn map_columns(
    file: &str,
    header: &csv::ByteRecord,
    map: &[(Field, String)],
) -> Result<Columns> {
    let mut names = Vec::with_capacity(header.len());
    for cell in header {
        let s = std::str::from_utf8(cell).map_err(|_| {
            Error::line(
                file,
                1,
                "header row is not UTF-8 text; save the file as \"CSV UTF-8\"",
            )
        })?;
        names.push(s.trim().to_string());
    }
    let mut cols = Columns::default();
    for &(field, ref wanted) in map {
        let i = names
            .iter()
            .position(|n| n == wanted)
            .or_else(|| names.iter().position(|n| n.eq_ignore_ascii_case(wanted)))
            .ok_or_else(|| {
                Error::line(
                    file,
                    1,
                    format!(
                        "no column named {wanted:?} (from --map {}={wanted})",
                        field.name()
                    ),
                )
            })?;
        cols.index[field as usize] = Some(i);
        cols.names[field as usize] = Some(names[i].clone());
    }
    for field in Field::ALL {
        if cols.get(field).is_some() {
            continue;
        }
        let found: Vec<usize> = names
            .iter()
            .enumerate()
            .filter(|(_, n)| {
                let k = header_key(n);
                k == field.name() || field.aliases().contains(&k.as_str())
            })
            .map(|(i, _)| i)
            .collect();
        match found.as_slice() {
            [] => {}
            [i] => {
                cols.index[field as usize] = Some(*i);
                cols.names[field as usize] = Some(names[*i].clone());
            }
            many => {
                let list: Vec<String> = many.iter().map(|i| format!("{:?}", names[*i])).collect();
                return Err(Error::line(
                    file,
                    1,
                    format!(
                        "columns {} could all be the {} column; choose one with --map {}=<column>",
                        list.join(", "),
                        field.name(),
                        field.name()
                    ),
                ));
            }
        }
    }
    Ok(cols)
}

/// Parses `email=E-mailadres,phone=Mobiel` from `--map`.
pub fn parse_map(s: &str) -> std::result::Result<Vec<(Field, String)>, String> {
    s.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|pair| {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| format!("--map expects field=column pairs, got {pair:?}"))?;
            let field = Field::parse(k).ok_or_else(|| {
                format!("--map: unknown field {k:?}; use email, phone, status, optin or country")
            })?;
            Ok((field, v.trim().to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter(b"email,phone\n"), b',');
        assert_eq!(
            sniff_delimiter(b"E-mailadres;Telefoon;Status\n1,5;2;3"),
            b';'
        );
        assert_eq!(sniff_delimiter(b"email\tphone\n"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a;b\",c\n"), b',');
        assert_eq!(sniff_delimiter(b"email\n"), b',');
    }

    #[test]
    fn header_names() {
        assert_eq!(Field::parse("E-mail"), Some(Field::Email));
        assert_eq!(Field::parse("E-mailadres"), Some(Field::Email));
        assert_eq!(Field::parse("Telefoon"), Some(Field::Phone));
        assert_eq!(Field::parse("Opt-in"), Some(Field::Optin));
        assert_eq!(Field::parse("naam"), None);
    }

    #[test]
    fn map_parsing() {
        let m = parse_map("email=Col1, phone=Mobiel nr").unwrap();
        assert_eq!(
            m,
            vec![
                (Field::Email, "Col1".to_string()),
                (Field::Phone, "Mobiel nr".to_string())
            ]
        );
        assert!(parse_map("naam=x").is_err());
        assert!(parse_map("email").is_err());
    }

    #[test]
    fn ambiguous_columns_are_an_error() {
        let h = csv::ByteRecord::from(vec!["email", "E-mail", "phone"]);
        let e = map_columns("x.csv", &h, &[]).unwrap_err().to_string();
        assert!(e.starts_with("x.csv:1: "), "{e}");
        let ok = map_columns("x.csv", &h, &[(Field::Email, "E-mail".into())]).unwrap();
        assert_eq!(ok.get(Field::Email), Some(1));
        assert_eq!(ok.get(Field::Phone), Some(2));
    }
}
