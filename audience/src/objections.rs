//! The objection list (*recht-van-bezwaar-lijst*, CA-04): normalized SHA-256 hashes only.
//!
//! Storage is a text file, `objections.txt` by default:
//!
//! ```text
//! # akkoord objection list v1: SHA-256 of normalized identifiers, never plaintext
//! 973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b 2026-11-23 email
//! ```
//!
//! One line per hash: the hash, the day it was added (for `removals --since`, CA-08) and what
//! kind of identifier it came from (`email`, `phone`, or `hash` when it was imported hashed).
//!
//! A plaintext objection is stored as every normalized form a platform may hash (e.g. the Google
//! gmail form and the TikTok `+tag` form), so it suppresses on every platform.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use crate::calendar::Day;
use crate::error::{Error, Result};
use crate::hashing::{parse_hex, sha256, to_hex, Hash};
use crate::input;
use crate::normalize::{
    email_canonical, email_for, email_loose, phone_digits, phone_for, Country, Platform,
};
use crate::output::AtomicFile;

pub const STORE_HEADER: &str =
    "# akkoord objection list v1: SHA-256 of normalized identifiers, never plaintext";

/// The keys are SHA-256 digests already, so their first eight bytes are a perfectly good hash;
/// SipHash over them would be a third of the pipeline's time for nothing.
#[derive(Default)]
pub struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8).take(1) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 ^= u64::from_le_bytes(b);
        }
    }

    fn write_usize(&mut self, _: usize) {
        // The length prefix of a slice is the same for every key.
    }
}

pub type HashSetFast<T> = HashSet<T, BuildHasherDefault<Prehashed>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Email,
    Phone,
    Hash,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Hash => "hash",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        match s {
            "email" => Some(Kind::Email),
            "phone" => Some(Kind::Phone),
            "hash" => Some(Kind::Hash),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub hash: Hash,
    pub added: Day,
    pub kind: Kind,
}

/// Every hash a plaintext or hashed value stands for.
pub fn hashes_of(value: &str, country: Option<Country>) -> Option<Vec<(Hash, Kind)>> {
    let v = value.trim();
    if let Some(h) = parse_hex(v) {
        return Some(vec![(h, Kind::Hash)]);
    }
    let mut forms: Vec<(String, Kind)> = Vec::new();
    if v.contains('@') {
        let canonical = email_canonical(v)?;
        forms.push((email_loose(&canonical), Kind::Email));
        for p in Platform::ALL {
            if let Some(e) = email_for(p, v) {
                forms.push((e, Kind::Email));
            }
        }
        forms.push((canonical, Kind::Email));
    } else {
        let digits = phone_digits(v, country)?;
        for p in Platform::ALL {
            if let Some(f) = phone_for(p, &digits) {
                forms.push((f, Kind::Phone));
            }
        }
        forms.push((digits, Kind::Phone));
    }
    forms.sort();
    forms.dedup();
    Some(
        forms
            .into_iter()
            .map(|(f, k)| (sha256(f.as_bytes()), k))
            .collect(),
    )
}

/// The list as the build pipeline uses it: a set for lookups and a fingerprint for the run log.
pub struct ObjectionSet {
    pub set: HashSetFast<Hash>,
    pub fingerprint: Hash,
    /// Lines of an imported plaintext list that could not be read (never their values).
    pub unreadable_lines: Vec<u64>,
    /// Every entry was hashed here from plaintext, so every platform form of each phone number
    /// is in the set and a row needs checking in its own platform's form only. False when any
    /// entry arrived already hashed, in a form nobody can tell.
    pub all_forms: bool,
}

impl ObjectionSet {
    pub fn from_hashes(hashes: impl IntoIterator<Item = Hash>) -> ObjectionSet {
        let set: HashSetFast<Hash> = hashes.into_iter().collect();
        ObjectionSet {
            fingerprint: fingerprint(set.iter()),
            set,
            unreadable_lines: Vec::new(),
            all_forms: false,
        }
    }

    /// A set from [`hashes_of`] output: `all_forms` holds when none came in already hashed.
    pub fn from_values(hashes: &[(Hash, Kind)]) -> ObjectionSet {
        let mut set = ObjectionSet::from_hashes(hashes.iter().map(|(h, _)| *h));
        set.all_forms = hashes.iter().all(|(_, k)| *k != Kind::Hash);
        set
    }

    pub fn contains(&self, h: &Hash) -> bool {
        self.set.contains(h)
    }

    pub fn len(&self) -> usize {
        self.set.len()
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    /// Loads a store file, or a CSV / one-per-line list of plaintext or hashed identifiers.
    pub fn load(path: &Path, country: Option<Country>) -> Result<ObjectionSet> {
        if is_store(path)? {
            let store = Store::load(path)?;
            let all_forms = store.entries.values().all(|e| e.kind != Kind::Hash);
            let mut set = ObjectionSet::from_hashes(store.entries.keys().copied());
            set.all_forms = all_forms;
            Ok(set)
        } else {
            let imported = import_list(path, country)?;
            let mut set = ObjectionSet::from_values(&imported.hashes);
            set.unreadable_lines = imported.unreadable_lines;
            Ok(set)
        }
    }
}

/// SHA-256 over the sorted, distinct 32-byte hashes: the same list gives the same fingerprint
/// whatever order or file it came from.
pub fn fingerprint<'a>(hashes: impl Iterator<Item = &'a Hash>) -> Hash {
    let mut v: Vec<&Hash> = hashes.collect();
    v.sort_unstable();
    v.dedup();
    let mut all = Vec::with_capacity(v.len() * 32);
    for h in v {
        all.extend_from_slice(h);
    }
    sha256(&all)
}

fn is_store(path: &Path) -> Result<bool> {
    let file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut first = Vec::new();
    BufReader::new(file)
        .take(4096)
        .read_until(b'\n', &mut first)
        .map_err(|e| Error::io(path, e))?;
    let first = String::from_utf8_lossy(&first);
    Ok(first.starts_with("# akkoord objection list")
        || parse_store_line(first.trim_end()).is_some())
}

fn parse_store_line(line: &str) -> Option<Entry> {
    let mut parts = line.split_ascii_whitespace();
    let hash = parse_hex(parts.next()?)?;
    let added = Day::parse(parts.next()?)?;
    let kind = match parts.next() {
        Some(k) => Kind::parse(k)?,
        None => Kind::Hash,
    };
    parts
        .next()
        .is_none()
        .then_some(Entry { hash, added, kind })
}

/// The stored list, keyed by hash (so adding twice keeps the first date).
#[derive(Debug, Default)]
pub struct Store {
    pub entries: BTreeMap<Hash, Entry>,
}

impl Store {
    /// Loads `path`; a missing file is an empty list (the first `add` creates it).
    pub fn load_or_empty(path: &Path) -> Result<Store> {
        if path.exists() {
            Store::load(path)
        } else {
            Ok(Store::default())
        }
    }

    pub fn load(path: &Path) -> Result<Store> {
        let name = path.display().to_string();
        let file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut store = Store::default();
        for (i, line) in BufReader::new(file).split(b'\n').enumerate() {
            let line = line.map_err(|e| Error::io(path, e))?;
            let lineno = i as u64 + 1;
            let text = std::str::from_utf8(&line)
                .map_err(|_| Error::line(&name, lineno, "not UTF-8 text"))?;
            let text = text.trim();
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            // The line is not echoed: a hand-edited store might hold a plaintext address.
            let entry = parse_store_line(text).ok_or_else(|| {
                Error::line(
                    &name,
                    lineno,
                    "expected `<64 hex> <YYYY-MM-DD> [email|phone|hash]`",
                )
            })?;
            store.entries.entry(entry.hash).or_insert(entry);
        }
        Ok(store)
    }

    /// Writes the whole list to a temporary file next to `path`, then renames it over `path`.
    pub fn save(&self, path: &Path) -> Result<()> {
        let mut out = AtomicFile::create(path)?;
        let w = out.writer();
        let mut body = String::with_capacity(self.entries.len() * 80 + 100);
        body.push_str(STORE_HEADER);
        body.push('\n');
        let mut sorted: Vec<&Entry> = self.entries.values().collect();
        sorted.sort_by(|a, b| a.added.cmp(&b.added).then(a.hash.cmp(&b.hash)));
        for e in sorted {
            body.push_str(&to_hex(&e.hash));
            body.push(' ');
            body.push_str(&e.added.to_string());
            body.push(' ');
            body.push_str(e.kind.name());
            body.push('\n');
        }
        w.write_all(body.as_bytes())
            .map_err(|e| Error::io(path, e))?;
        out.commit()
    }

    /// Adds hashes; returns how many were new.
    pub fn add(&mut self, hashes: &[(Hash, Kind)], added: Day) -> usize {
        let before = self.entries.len();
        for &(hash, kind) in hashes {
            self.entries
                .entry(hash)
                .or_insert(Entry { hash, added, kind });
        }
        self.entries.len() - before
    }

    /// Removes hashes; returns how many were there.
    pub fn remove(&mut self, hashes: &[(Hash, Kind)]) -> usize {
        hashes
            .iter()
            .filter(|(h, _)| self.entries.remove(h).is_some())
            .count()
    }

    pub fn fingerprint(&self) -> Hash {
        fingerprint(self.entries.keys())
    }

    /// Entries added on or after `since`, oldest first.
    pub fn since(&self, since: Day) -> Vec<Entry> {
        let mut v: Vec<Entry> = self
            .entries
            .values()
            .filter(|e| e.added >= since)
            .copied()
            .collect();
        v.sort_by(|a, b| a.added.cmp(&b.added).then(a.hash.cmp(&b.hash)));
        v
    }
}

/// The hashes read from a plaintext or hashed list.
#[derive(Debug, Default)]
pub struct Imported {
    pub hashes: Vec<(Hash, Kind)>,
    /// Values read (a plaintext value yields several hashes).
    pub values: u64,
    pub unreadable_lines: Vec<u64>,
}

/// Reads a list of objections: a CSV with an e-mail, phone or hash column (same detection as the
/// customer file), or a file with one value per line and no header.
pub fn import_list(path: &Path, country: Option<Country>) -> Result<Imported> {
    let mut opened = input::open(path)?;
    let mut rec = csv::ByteRecord::new();
    let mut out = Imported::default();
    if !input::read_record(&mut opened, &mut rec)? {
        return Ok(out);
    }
    // A header names its columns; a bare list starts with a value.
    let keys: Vec<String> = rec
        .iter()
        .map(|c| input::header_key(&String::from_utf8_lossy(c)))
        .collect();
    let is_hash_col = |k: &str| {
        matches!(
            k,
            "hash"
                | "sha256"
                | "emailsha256"
                | "phonesha256"
                | "hashedemail"
                | "emailhash"
                | "phonehash"
        )
    };
    let cols: Vec<usize> = keys
        .iter()
        .enumerate()
        .filter(|(_, k)| {
            is_hash_col(k)
                || matches!(
                    input::Field::parse(k),
                    Some(input::Field::Email | input::Field::Phone)
                )
        })
        .map(|(i, _)| i)
        .collect();
    let header = !cols.is_empty();
    let cols = if header { cols } else { vec![0] };
    let mut first = !header;
    loop {
        if !first && !input::read_record(&mut opened, &mut rec)? {
            break;
        }
        first = false;
        let line = input::record_line(&opened, &rec);
        for &c in &cols {
            let cell = rec.get(c).unwrap_or(b"");
            let Ok(text) = std::str::from_utf8(cell) else {
                out.unreadable_lines.push(line);
                continue;
            };
            if text.trim().is_empty() {
                continue;
            }
            match hashes_of(text, country) {
                Some(hs) => {
                    out.values += 1;
                    out.hashes.extend(hs);
                }
                None => out.unreadable_lines.push(line),
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ca04_plaintext_becomes_every_platform_form() {
        let hs = hashes_of(" J.Doe+news@GMail.com ", None).unwrap();
        let want = |s: &str| sha256(s.as_bytes());
        for form in [
            "j.doe+news@gmail.com",
            "jdoe+news@gmail.com",
            "j.doe@gmail.com",
            "jdoe@gmail.com",
        ] {
            assert!(hs.iter().any(|(h, _)| *h == want(form)), "{form}");
        }
        let phone = hashes_of("06-12345678", Country::parse("NL")).unwrap();
        assert!(phone.contains(&(want("31612345678"), Kind::Phone)));
        assert!(phone.contains(&(want("+31612345678"), Kind::Phone)));
        assert_eq!(phone.len(), 2);
        assert!(hashes_of("06-12345678", None).is_none());
        let hex = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b";
        assert_eq!(hashes_of(&hex.to_uppercase(), None).unwrap().len(), 1);
    }

    #[test]
    fn fingerprint_ignores_order_and_duplicates() {
        let a = sha256(b"a");
        let b = sha256(b"b");
        assert_eq!(fingerprint([a, b].iter()), fingerprint([b, a, b].iter()));
        assert_ne!(fingerprint([a].iter()), fingerprint([b].iter()));
    }

    #[test]
    fn store_lines() {
        let h = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b";
        assert!(parse_store_line(&format!("{h} 2026-11-23 email")).is_some());
        assert!(parse_store_line(&format!("{h} 2026-11-23")).is_some());
        assert!(parse_store_line("test@example.com 2026-11-23 email").is_none());
        assert!(parse_store_line(&format!("{h} 23-11-2026 email")).is_none());
    }
}
