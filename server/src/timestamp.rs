//! UTC timestamps as unix milliseconds, written and read as RFC 3339.
//!
//! Only what receipts need (UTC, millisecond precision, `YYYY-MM-DD` days), so no date crate.

use std::time::{SystemTime, UNIX_EPOCH};

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Now in unix seconds, as the consent record and `decide::evaluate` count time.
pub fn now_secs() -> u64 {
    u64::try_from(now_ms() / 1000).unwrap_or(0)
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// `2026-11-23T18:42:19.123Z`
pub fn format_ms(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let secs = rem / 1000;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        rem % 1000
    )
}

/// `2026-11-23`
pub fn format_day(ms: i64) -> String {
    let (y, m, d) = civil_from_days(ms.div_euclid(86_400_000));
    format!("{y:04}-{m:02}-{d:02}")
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `YYYY-MM-DD` → unix ms at 00:00 UTC.
pub fn parse_day(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = digits(&s[0..4])? as i64;
    let m = digits(&s[5..7])?;
    let d = digits(&s[8..10])?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400_000)
}

/// RFC 3339 date-time (`T`, seconds required, fraction optional, `Z` or `±HH:MM`) → unix ms.
/// Digits beyond milliseconds are dropped; leap seconds are refused.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    if s.len() < 20 || s.len() > 35 || !s.is_ascii() {
        return None;
    }
    let day = parse_day(&s[0..10])?;
    let b = s.as_bytes();
    if b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let hh = digits(&s[11..13])? as i64;
    let mm = digits(&s[14..16])? as i64;
    let ss = digits(&s[17..19])? as i64;
    if hh > 23 || mm > 59 || ss > 59 {
        return None;
    }
    let mut rest = &s[19..];
    let mut millis = 0i64;
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || n > 9 {
            return None;
        }
        let mut padded = frac[..n].to_string();
        padded.push_str("00");
        millis = digits(&padded[..3])? as i64;
        rest = &frac[n..];
    }
    let offset_min = match rest {
        "Z" => 0,
        _ if rest.len() == 6 && (rest.starts_with('+') || rest.starts_with('-')) => {
            if rest.as_bytes()[3] != b':' {
                return None;
            }
            let oh = digits(&rest[1..3])? as i64;
            let om = digits(&rest[4..6])? as i64;
            if oh > 23 || om > 59 {
                return None;
            }
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            sign * (oh * 60 + om)
        }
        _ => return None,
    };
    Some(day + ((hh * 60 + mm - offset_min) * 60 + ss) * 1000 + millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let ms = parse_rfc3339("2026-11-23T18:42:19Z").unwrap();
        assert_eq!(ms, 1_795_459_339_000);
        assert_eq!(format_ms(ms), "2026-11-23T18:42:19.000Z");
        assert_eq!(parse_rfc3339("2026-11-23T18:42:19.123456Z"), Some(ms + 123));
        assert_eq!(parse_rfc3339("2026-11-23T19:42:19+01:00"), Some(ms));
        assert_eq!(format_day(ms), "2026-11-23");
        assert_eq!(
            parse_day("2024-02-29"),
            Some(days_from_civil(2024, 2, 29) * 86_400_000)
        );
        assert_eq!(format_ms(0), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn refuses_nonsense() {
        for bad in [
            "2026-11-23",
            "2026-11-23 18:42:19Z",
            "2026-02-30T00:00:00Z",
            "2026-11-23T24:00:00Z",
            "2026-11-23T18:42:60Z",
            "2026-11-23T18:42:19",
            "2026-11-23T18:42:19.Z",
            "2026-11-23T18:42:19+0100",
            "2026-11-23T18:42:19Z'; DROP TABLE receipts;--",
            "２026-11-23T18:42:19Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
        assert_eq!(parse_day("2023-02-29"), None);
    }
}
