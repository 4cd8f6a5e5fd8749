//! `audience build`: read → normalize → hash → suppress → check opt-in → dedupe → write.
//!
//! Streaming with bounded memory: the reader (this thread) cuts the CSV into batches, one worker
//! per core normalizes and hashes them, and a collector puts the batches back in input order,
//! dedupes and writes. Channels are bounded, so at most a few batches are in flight whatever
//! the input size. The one structure that grows is the dedupe set (16 bytes per distinct
//! output row, CA-03).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::thread;

use crossbeam_channel::{bounded, Receiver, Sender};

use crate::calendar;
use crate::error::{Error, Result};
use crate::hashing::{push_hex, sha256, to_hex, Hash};
use crate::input::{self, Columns, Field, Opened};
use crate::normalize::{
    email_canonical_into, email_for, email_loose, phone_digits_into, Country, Layout, Platform,
};
use crate::objections::{HashSetFast, ObjectionSet};
use crate::output::AtomicFile;
use crate::report::{Counts, LineReason, Report, MAX_LINES_LISTED};

const BATCH_ROWS: usize = 4096;
/// A batch also ends at this many bytes of cells, so a file of very long rows keeps batches
/// (and the `u32` offsets into them) small.
const BATCH_BYTES: usize = 4 << 20;

/// What a row of the upload file is keyed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identifier {
    /// The e-mail address (with the phone number beside it where the platform takes both).
    Email,
    /// Only the phone number, for platforms whose file holds one identifier type (Snap).
    Phone,
}

impl Identifier {
    pub fn name(self) -> &'static str {
        match self {
            Identifier::Email => "email",
            Identifier::Phone => "phone",
        }
    }
}

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub platform: Platform,
    pub identifier: Identifier,
    /// Completes national phone numbers when the row has no country of its own.
    pub country: Option<Country>,
    /// Customers without an opt-in are included (a lawful-basis decision the user makes; off by
    /// default, CA-05).
    pub allow_customers_without_optin: bool,
    pub map: Vec<(Field, String)>,
    pub progress: bool,
    /// Worker threads; 0 = one per core.
    pub threads: usize,
}

impl BuildOptions {
    pub fn new(platform: Platform) -> Self {
        BuildOptions {
            platform,
            identifier: Identifier::Email,
            country: None,
            allow_customers_without_optin: false,
            map: Vec::new(),
            progress: false,
            threads: 0,
        }
    }
}

/// Rows as the reader hands them over: only the five cells the pipeline reads, copied into one
/// buffer per batch so a batch is three allocations, not one per cell.
struct Batch {
    seq: u64,
    lines: Vec<u64>,
    cells: Vec<[(u32, u32); 5]>,
    data: Vec<u8>,
}

enum Outcome {
    Invalid(u64, &'static str),
    Suppressed,
    Ineligible,
    /// Bytes `start..end` of `Done::out` are this row's output line.
    Keep {
        key: u128,
        start: u32,
        end: u32,
    },
}

struct Done {
    seq: u64,
    out: Vec<u8>,
    rows: Vec<Outcome>,
    phone_invalid: Vec<u64>,
}

struct Rules<'a> {
    platform: Platform,
    identifier: Identifier,
    phone_column: bool,
    country: Option<Country>,
    allow_customers: bool,
    objections: &'a ObjectionSet,
    has: [bool; 5],
}

fn is_truthy(s: &[u8]) -> bool {
    let s = s.trim_ascii();
    ["true", "yes", "ja", "1", "y", "j", "waar"]
        .iter()
        .any(|t| s.eq_ignore_ascii_case(t.as_bytes()))
}

fn is_customer(s: &[u8]) -> bool {
    let s = s.trim_ascii();
    ["customer", "klant", "client", "bestaande klant"]
        .iter()
        .any(|t| s.eq_ignore_ascii_case(t.as_bytes()))
}

/// Whether any normalized form of the address is on the list. Besides the platform's own form,
/// the canonical and the loosest form are checked, so an objection recorded in any spelling of
/// the same mailbox suppresses the row (CA-04).
fn email_objected(
    rules: &Rules,
    platform_hash: &Hash,
    platform_form: &str,
    canonical: &str,
) -> bool {
    let list = rules.objections;
    if list.is_empty() {
        return false;
    }
    if list.contains(platform_hash) {
        return true;
    }
    if canonical != platform_form && list.contains(&sha256(canonical.as_bytes())) {
        return true;
    }
    let loosened = canonical.contains('+')
        || canonical.ends_with("@gmail.com")
        || canonical.ends_with("@googlemail.com");
    if loosened {
        let loose = email_loose(canonical);
        if loose != canonical && loose != platform_form && list.contains(&sha256(loose.as_bytes()))
        {
            return true;
        }
    }
    false
}

/// Buffers reused across rows, so the common row allocates nothing.
#[derive(Default)]
struct Scratch {
    canonical: String,
    platform: String,
    digits: String,
    plus: String,
}

fn process(batch: Batch, rules: &Rules) -> Done {
    let n = batch.lines.len();
    let mut out = Vec::with_capacity(n * if rules.phone_column { 131 } else { 65 });
    let mut rows = Vec::with_capacity(n);
    let mut phone_invalid = Vec::new();
    let mut scratch = Scratch::default();
    for (i, &line) in batch.lines.iter().enumerate() {
        let cell = |f: Field| {
            let (a, b) = batch.cells[i][f as usize];
            &batch.data[a as usize..b as usize]
        };
        rows.push(process_row(
            rules,
            line,
            &cell,
            &mut out,
            &mut phone_invalid,
            &mut scratch,
        ));
    }
    Done {
        seq: batch.seq,
        out,
        rows,
        phone_invalid,
    }
}

fn process_row<'a>(
    rules: &Rules,
    line: u64,
    cell: &dyn Fn(Field) -> &'a [u8],
    out: &mut Vec<u8>,
    phone_invalid: &mut Vec<u64>,
    scratch: &mut Scratch,
) -> Outcome {
    let email = match email_hash(rules, cell(Field::Email), scratch) {
        Ok(found) => Some(found),
        Err(reason) if rules.identifier == Identifier::Email => {
            return Outcome::Invalid(line, reason)
        }
        // In a phone file the address only serves to find objections.
        Err(_) => None,
    };
    let mut objected = email.is_some_and(|(_, objected)| objected);

    let mut phone_hash = None;
    if rules.has[Field::Phone as usize] {
        let raw_phone = std::str::from_utf8(cell(Field::Phone)).unwrap_or("\u{0}");
        if !raw_phone.trim().is_empty() {
            let country = match std::str::from_utf8(cell(Field::Country)).map(str::trim) {
                Ok("") | Err(_) => rules.country,
                Ok(c) => Country::parse(c),
            };
            if phone_digits_into(raw_phone, country, &mut scratch.digits) {
                let digits = scratch.digits.as_str();
                let plus = &mut scratch.plus;
                plus.clear();
                plus.push('+');
                plus.push_str(digits);
                let google = rules.platform == Platform::Google;
                let (own, other) = if google {
                    (plus.as_str(), digits)
                } else {
                    (digits, plus.as_str())
                };
                let own_hash = sha256(own.as_bytes());
                objected = objected || rules.objections.contains(&own_hash);
                // A hashed import may hold the other platforms' form (with or without `+`);
                // a list hashed here from plaintext holds both, so one lookup is enough.
                if !objected && !rules.objections.all_forms && !rules.objections.is_empty() {
                    objected = rules.objections.contains(&sha256(other.as_bytes()));
                }
                phone_hash = Some(own_hash);
            } else if rules.identifier == Identifier::Phone {
                return Outcome::Invalid(line, "not a usable phone number");
            } else {
                // In an e-mail file an unusable number drops the phone, not the row: CA-02 is
                // about the e-mail address.
                phone_invalid.push(line);
            }
        }
    }
    let key_hash = match (rules.identifier, email, phone_hash) {
        (Identifier::Email, Some((h, _)), _) => h,
        (Identifier::Phone, _, Some(h)) => h,
        (Identifier::Phone, _, None) => return Outcome::Invalid(line, "no phone number"),
        (Identifier::Email, None, _) => return Outcome::Invalid(line, "no e-mail address"),
    };
    if objected {
        return Outcome::Suppressed;
    }

    let customer = rules.has[Field::Status as usize] && is_customer(cell(Field::Status));
    let optin = rules.has[Field::Optin as usize] && is_truthy(cell(Field::Optin));
    if !(optin || (customer && rules.allow_customers)) {
        return Outcome::Ineligible;
    }

    let start = out.len() as u32;
    push_hex(out, &key_hash);
    if rules.phone_column {
        out.push(b',');
        if let Some(h) = phone_hash {
            push_hex(out, &h);
        }
    }
    out.push(b'\n');
    let mut key = [0u8; 16];
    key.copy_from_slice(&key_hash[..16]);
    Outcome::Keep {
        key: u128::from_le_bytes(key),
        start,
        end: out.len() as u32,
    }
}

/// The platform hash of the row's e-mail address and whether any form of it is objected to.
fn email_hash(
    rules: &Rules,
    raw: &[u8],
    scratch: &mut Scratch,
) -> std::result::Result<(Hash, bool), &'static str> {
    let raw_email = std::str::from_utf8(raw).map_err(|_| "e-mail cell is not UTF-8 text")?;
    if raw_email.trim().is_empty() {
        return Err("no e-mail address");
    }
    if !email_canonical_into(raw_email, &mut scratch.canonical) {
        return Err("not a valid e-mail address");
    }
    let canonical = scratch.canonical.as_str();
    // Meta, X, LinkedIn and Snap hash the canonical form itself.
    let platform_email = match rules.platform {
        Platform::Google | Platform::TikTok => {
            scratch.platform =
                email_for(rules.platform, raw_email).ok_or("not a valid e-mail address")?;
            scratch.platform.as_str()
        }
        _ => canonical,
    };
    let hash = sha256(platform_email.as_bytes());
    Ok((
        hash,
        email_objected(rules, &hash, platform_email, canonical),
    ))
}

#[derive(Default)]
struct Collected {
    counts: Counts,
    invalid_lines: Vec<LineReason>,
    phone_invalid_lines: Vec<u64>,
}

fn collect<W: Write>(rx: Receiver<Done>, out: &mut W, out_name: &str) -> Result<Collected> {
    let mut c = Collected::default();
    // 16 bytes of the SHA-256 per distinct address: a false duplicate needs a 128-bit collision.
    // Not sized from the file size up front: that would reserve room for rows that turn out
    // invalid, objected or ineligible, and memory is the scarcer resource here.
    let mut seen: HashSetFast<u128> = HashSetFast::default();
    let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
    let mut next = 0u64;
    for done in rx {
        pending.insert(done.seq, done);
        while let Some(d) = pending.remove(&next) {
            next += 1;
            for row in d.rows {
                c.counts.input += 1;
                match row {
                    Outcome::Invalid(line, reason) => {
                        c.counts.invalid += 1;
                        if c.invalid_lines.len() < MAX_LINES_LISTED {
                            c.invalid_lines.push(LineReason { line, reason });
                        }
                    }
                    Outcome::Suppressed => c.counts.suppressed += 1,
                    Outcome::Ineligible => c.counts.ineligible += 1,
                    Outcome::Keep { key, start, end } => {
                        if seen.insert(key) {
                            c.counts.output += 1;
                            out.write_all(&d.out[start as usize..end as usize])
                                .map_err(|e| Error::io(out_name, e))?;
                        } else {
                            c.counts.duplicates += 1;
                        }
                    }
                }
            }
            c.counts.phone_invalid += d.phone_invalid.len() as u64;
            let room = MAX_LINES_LISTED.saturating_sub(c.phone_invalid_lines.len());
            c.phone_invalid_lines
                .extend(d.phone_invalid.into_iter().take(room));
        }
    }
    Ok(c)
}

fn progress_bar(enabled: bool, size: Option<u64>) -> Option<indicatif::ProgressBar> {
    if !enabled {
        return None;
    }
    let pb = match size {
        Some(n) => indicatif::ProgressBar::new(n).with_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        ),
        None => indicatif::ProgressBar::new_spinner(),
    };
    pb.set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(4));
    Some(pb)
}

/// Reads batches until the end of the input, an input error, or the workers hanging up.
fn read_batches(
    opened: &mut Opened,
    cols: &Columns,
    tx: Sender<Batch>,
    pb: Option<&indicatif::ProgressBar>,
) -> Result<()> {
    let mut rec = csv::ByteRecord::new();
    let mut seq = 0u64;
    loop {
        let mut b = Batch {
            seq,
            lines: Vec::with_capacity(BATCH_ROWS),
            cells: Vec::with_capacity(BATCH_ROWS),
            data: Vec::with_capacity(BATCH_ROWS * 48),
        };
        let mut more = true;
        while b.lines.len() < BATCH_ROWS && b.data.len() < BATCH_BYTES {
            if !input::read_record(opened, &mut rec)? {
                more = false;
                break;
            }
            let mut ranges = [(0u32, 0u32); 5];
            for f in Field::ALL {
                if let Some(bytes) = cols.get(f).and_then(|i| rec.get(i)) {
                    let a = b.data.len() as u32;
                    b.data.extend_from_slice(bytes);
                    ranges[f as usize] = (a, b.data.len() as u32);
                }
            }
            b.lines.push(input::record_line(opened, &rec));
            b.cells.push(ranges);
        }
        if !b.lines.is_empty() && tx.send(b).is_err() {
            // The collector stopped (a write error); its error is the one reported.
            return Ok(());
        }
        if let Some(pb) = pb {
            pb.set_position(opened.reader.position().byte());
        }
        if !more {
            return Ok(());
        }
        seq += 1;
    }
}

/// Runs the pipeline from an opened input to `out`. The caller decides where `out` goes; the
/// CLI uses [`build_files`], which only keeps the output if this returns `Ok`.
pub fn build<W: Write + Send>(
    mut opened: Opened,
    out: &mut W,
    out_name: &str,
    objections: &ObjectionSet,
    opts: &BuildOptions,
) -> Result<Report> {
    let started = calendar::now_unix();
    let name = opened.name.clone();
    let mut header = csv::ByteRecord::new();
    if !input::read_record(&mut opened, &mut header)? {
        return Err(Error::file(&name, "empty file (no header row)"));
    }
    let cols = input::map_columns(&name, &header, &opts.map)?;
    check_identifier(&name, &cols, opts)?;
    let mut layout = opts.platform.layout();
    if opts.identifier == Identifier::Phone {
        layout = Layout {
            header: None,
            phone: false,
        };
    }
    if let Some(h) = layout.header {
        writeln!(out, "{h}").map_err(|e| Error::io(out_name, e))?;
    }

    let has = Field::ALL.map(|f| cols.get(f).is_some());
    let rules = Rules {
        platform: opts.platform,
        identifier: opts.identifier,
        phone_column: layout.phone,
        country: opts.country,
        allow_customers: opts.allow_customers_without_optin,
        objections,
        has,
    };
    let workers = if opts.threads == 0 {
        thread::available_parallelism().map_or(2, |n| n.get())
    } else {
        opts.threads
    };
    let pb = progress_bar(opts.progress, opened.size);

    let (tx_batch, rx_batch) = bounded::<Batch>(workers * 2);
    let (tx_done, rx_done) = bounded::<Done>(workers * 2);
    let (read_result, collected) = thread::scope(|s| {
        for _ in 0..workers {
            let rx = rx_batch.clone();
            let tx = tx_done.clone();
            let rules = &rules;
            s.spawn(move || {
                for batch in rx {
                    if tx.send(process(batch, rules)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(rx_batch);
        drop(tx_done);
        let collector = s.spawn(|| collect(rx_done, out, out_name));
        let read_result = read_batches(&mut opened, &cols, tx_batch, pb.as_ref());
        let collected = collector
            .join()
            .unwrap_or_else(|_| Err(Error::file(out_name, "internal error while writing")));
        (read_result, collected)
    });
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
    read_result?;
    let collected = collected?;
    out.flush().map_err(|e| Error::io(out_name, e))?;

    let mut report = Report {
        command: "audience build".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        timestamp: calendar::rfc3339(started),
        platform: opts.platform.name().into(),
        identifier: opts.identifier.name().into(),
        counts: collected.counts,
        invalid_lines: collected.invalid_lines,
        phone_invalid_lines: collected.phone_invalid_lines,
        ..Report::default()
    };
    report.invalid_lines_truncated = report.counts.invalid > report.invalid_lines.len() as u64;
    report.input.file = name;
    report.input.delimiter = opened.dialect.delimiter_name().into();
    report.input.bom = opened.dialect.bom;
    for f in Field::ALL {
        if let Some(n) = cols.name(f) {
            report.input.columns.insert(f.name().into(), n.into());
        }
    }
    report.objection_list.hashes = objections.len();
    report.objection_list.fingerprint = to_hex(&objections.fingerprint);
    report.objection_list.unreadable_lines = objections
        .unreadable_lines
        .iter()
        .copied()
        .take(MAX_LINES_LISTED)
        .collect();
    report.policy.customers_without_optin = opts.allow_customers_without_optin;
    report.policy.default_country = opts.country.map(|c| c.code.to_string());
    report.policy.status_column = has[Field::Status as usize];
    report.policy.optin_column = has[Field::Optin as usize];
    report.output = Some(out_name.to_string());
    add_warnings(&mut report, opts, has);
    Ok(report)
}

/// The identifier must be one this platform's file can carry, and its column must be there.
fn check_identifier(name: &str, cols: &Columns, opts: &BuildOptions) -> Result<()> {
    match opts.identifier {
        Identifier::Email if cols.get(Field::Email).is_none() => Err(Error::line(
            name,
            1,
            "no e-mail column (looked for email, e-mail, emailadres, mail); name it with --map email=<column>",
        )),
        Identifier::Phone if opts.platform != Platform::Snap => Err(Error::usage(format!(
            "--identifier phone is for snap; {} takes {}",
            opts.platform,
            if opts.platform.layout().phone { "e-mail and phone in one file" } else { "e-mail only" }
        ))),
        Identifier::Phone if cols.get(Field::Phone).is_none() => Err(Error::line(
            name,
            1,
            "no phone column (looked for phone, telefoon, mobiel, tel); name it with --map phone=<column>",
        )),
        _ => Ok(()),
    }
}

fn add_warnings(report: &mut Report, opts: &BuildOptions, has: [bool; 5]) {
    let w = &mut report.warnings;
    if !has[Field::Status as usize] {
        w.push(
            "no status column: every row was treated as a prospect, so an opt-in was required"
                .into(),
        );
    }
    if !has[Field::Optin as usize] {
        w.push("no opt-in column: no row has an opt-in for custom audiences".into());
    }
    if report.objection_list.hashes == 0 {
        w.push("the objection list is empty".into());
    }
    if !report.objection_list.unreadable_lines.is_empty() {
        w.push(format!(
            "{} lines of the objection list could not be read (see objection_list.unreadable_lines)",
            report.objection_list.unreadable_lines.len()
        ));
    }
    if has[Field::Phone as usize]
        && !opts.platform.layout().phone
        && opts.identifier == Identifier::Email
    {
        w.push(format!(
            "{} takes e-mail only here; phone numbers were used only to check the objection list",
            opts.platform
        ));
    }
    if report.counts.phone_invalid > 0 && opts.country.is_none() {
        w.push(
            "some phone numbers could not be used; national numbers (06-…) need --country".into(),
        );
    }
    let minimum = match opts.platform {
        Platform::Meta => 100,
        Platform::LinkedIn => 300,
        _ => 0,
    };
    if report.counts.output < minimum {
        w.push(format!(
            "{} advises at least {minimum} rows per list",
            opts.platform
        ));
    }
}

/// Where `build_files` reads and writes.
#[derive(Debug, Clone)]
pub struct BuildPaths {
    pub input: PathBuf,
    pub objections: PathBuf,
    pub out: PathBuf,
    pub report: Option<PathBuf>,
}

/// The CLI's `build`: load the objection list, stream the input into a temporary file and only
/// rename it to `out` when everything succeeded; then write the report the same way.
pub fn build_files(paths: &BuildPaths, opts: &BuildOptions) -> Result<Report> {
    if same_file(&paths.input, &paths.out) || same_file(&paths.objections, &paths.out) {
        return Err(Error::usage(
            "--out must not be the input or the objection list",
        ));
    }
    let objections = ObjectionSet::load(&paths.objections, opts.country)?;
    let opened = input::open(&paths.input)?;
    let out_name = paths.out.display().to_string();
    let mut file = AtomicFile::create(&paths.out)?;
    let mut report = build(opened, file.writer(), &out_name, &objections, opts)?;
    report.objection_list.file = paths.objections.display().to_string();
    file.commit()?;
    if let Some(rp) = &paths.report {
        write_report(rp, &report)?;
    }
    Ok(report)
}

pub fn write_report(path: &Path, report: &Report) -> Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.writer()
        .write_all(report.to_json().as_bytes())
        .map_err(|e| Error::io(path, e))?;
    f.writer()
        .write_all(b"\n")
        .map_err(|e| Error::io(path, e))?;
    f.commit()
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
