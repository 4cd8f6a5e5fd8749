//! Synthetic customer lists for the benchmark and the memory test: realistic enough to take
//! every branch (mixed case and spaces, national phone numbers, duplicates, invalid cells,
//! customers and prospects, opt-ins), made of invented addresses only.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::output::AtomicFile;

/// xorshift64*: deterministic, dependency-free, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const NAMES: &[&str] = &[
    "jan", "anna", "piet", "sanne", "daan", "emma", "luuk", "julia", "sem", "tess", "bram", "fleur",
];
const DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "gmail.com",
    "example.net",
    "mail.example",
    "klant.example",
];

fn email(i: u64, rng: &mut Rng) -> String {
    let name = NAMES[(i % NAMES.len() as u64) as usize];
    let domain = DOMAINS[((i / 7) % DOMAINS.len() as u64) as usize];
    let mut e = format!("{name}.{i}@{domain}");
    if rng.below(4) == 0 {
        e = e.to_uppercase();
    }
    if rng.below(10) == 0 {
        e = format!(" {e} ");
    }
    e
}

/// Writes `rows` data rows to `out` and, when asked, a plaintext objection list naming about 1%
/// of them to `objections_out`. With `distinct`, the rows cycle through that many people, so
/// the input can grow while the output (and the dedupe set) stays the same size.
pub fn generate(
    rows: u64,
    distinct: Option<u64>,
    seed: u64,
    out: &Path,
    objections_out: Option<&Path>,
) -> Result<()> {
    let mut rng = Rng(seed | 1);
    let mut f = AtomicFile::create(out)?;
    let mut obj = match objections_out {
        Some(p) => Some(AtomicFile::create(p)?),
        None => None,
    };
    let w = |e| Error::io(out, e);
    writeln!(f.writer(), "email,phone,status,optin").map_err(w)?;
    if let Some(o) = obj.as_mut() {
        writeln!(o.writer(), "email").map_err(|e| Error::io(o.target(), e))?;
    }
    for i in 0..rows {
        // 2% repeat an earlier person, spelled differently.
        let id = if i > 10 && rng.below(50) == 0 {
            i - 1 - rng.below(10)
        } else {
            i
        };
        let id = distinct.map_or(id, |d| id % d.max(1));
        let e = if rng.below(100) == 0 {
            "geen e-mail".to_string()
        } else {
            email(id, &mut rng)
        };
        let phone = match rng.below(5) {
            0 => String::new(),
            1 => format!("+31 6 {:08}", rng.below(100_000_000)),
            _ => format!("06-{:08}", rng.below(100_000_000)),
        };
        let status = if rng.below(3) == 0 {
            "prospect"
        } else {
            "klant"
        };
        let optin = if rng.below(10) < 7 { "ja" } else { "nee" };
        writeln!(f.writer(), "{e},{phone},{status},{optin}").map_err(w)?;
        if id % 100 == 3 && !matches!(distinct, Some(d) if i >= d) {
            if let Some(o) = obj.as_mut() {
                let mut r2 = Rng(id + 1);
                writeln!(o.writer(), "{}", email(id, &mut r2).trim())
                    .map_err(|e| Error::io(o.target(), e))?;
            }
        }
    }
    f.commit()?;
    if let Some(o) = obj {
        o.commit()?;
    }
    Ok(())
}
