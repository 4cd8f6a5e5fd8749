//! SHA-256 and its 64-character lowercase-hex form, the only form a hashed identifier takes in
//! this crate: no salt, no key, so the platforms can match it against their own hashes.

use sha2::{Digest, Sha256};

/// A SHA-256 digest of a normalized identifier.
pub type Hash = [u8; 32];

pub fn sha256(bytes: &[u8]) -> Hash {
    Sha256::digest(bytes).into()
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends the 64 lowercase hex characters of `hash` to `out`.
pub fn push_hex(out: &mut Vec<u8>, hash: &Hash) {
    // Filled on the stack and appended once: a push per character re-checks the capacity 64
    // times, which showed up in profiles.
    let mut buf = [0u8; 64];
    for (pair, b) in buf.chunks_exact_mut(2).zip(hash) {
        pair[0] = HEX[usize::from(b >> 4)];
        pair[1] = HEX[usize::from(b & 0x0f)];
    }
    out.extend_from_slice(&buf);
}

pub fn to_hex(hash: &Hash) -> String {
    let mut out = Vec::with_capacity(64);
    push_hex(&mut out, hash);
    // Only ASCII hex digits were pushed.
    String::from_utf8(out).unwrap_or_default()
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Parses 64 hex characters (either case, as other tools export them) into a hash.
pub fn parse_hex(s: &str) -> Option<Hash> {
    let b = s.as_bytes();
    if b.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in b.chunks_exact(2).enumerate() {
        out[i] = nibble(pair[0])? << 4 | nibble(pair[1])?;
    }
    Some(out)
}

/// True when `s` is exactly the form CA-06 allows in an output cell: `^[0-9a-f]{64}$`.
pub fn is_lower_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let h = sha256(b"adsapi");
        let hex = to_hex(&h);
        assert_eq!(
            hex,
            "49e0be2aeccfb51a8dee4c945c8a70a9ac500cf6f5cb08112575f74db9b1470d"
        );
        assert!(is_lower_hex64(&hex));
        assert_eq!(parse_hex(&hex), Some(h));
        assert_eq!(parse_hex(&hex.to_uppercase()), Some(h));
        assert!(!is_lower_hex64(&hex.to_uppercase()));
        assert_eq!(parse_hex("abc"), None);
        assert_eq!(parse_hex(&"g".repeat(64)), None);
    }
}
