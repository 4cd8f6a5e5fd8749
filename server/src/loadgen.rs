//! A small load generator for the receipts endpoint: many keep-alive connections posting
//! receipts, bounded in count and time, loopback only.
//!
//! It speaks just enough HTTP/1.1 (fixed `Content-Length`, keep-alive) to measure the server
//! rather than a client library, and the durability test reuses it to know exactly which
//! receipts were answered `201`.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Hard ceilings, whatever the caller asks for.
pub const MAX_COUNT: u64 = 2_000_000;
pub const MAX_DURATION: Duration = Duration::from_secs(300);
pub const MAX_CONCURRENCY: usize = 512;

#[derive(Debug, Clone)]
pub struct Options {
    pub addr: SocketAddr,
    pub path: String,
    pub concurrency: usize,
    pub count: u64,
    pub duration: Duration,
    /// Distinguishes runs so consent ids never repeat across runs against one database.
    pub run_id: u64,
    /// Keep `(consentId, receiptId)` of every 201 in the report.
    pub keep_created: bool,
}

#[derive(Debug, Default, Clone)]
pub struct Report {
    pub sent: u64,
    pub created: u64,
    pub rejected: u64,
    pub failed: u64,
    pub elapsed: Duration,
    pub latencies_us: Vec<u64>,
    pub created_ids: Vec<(String, String)>,
}

impl Report {
    pub fn throughput(&self) -> f64 {
        self.created as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Latency at `q` (0..=1) in milliseconds.
    pub fn percentile_ms(&self, q: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return 0.0;
        }
        let mut sorted = self.latencies_us.clone();
        sorted.sort_unstable();
        let i = ((sorted.len() - 1) as f64 * q).round() as usize;
        sorted[i] as f64 / 1000.0
    }

    pub fn summary(&self) -> String {
        format!(
            "{} sent, {} created (201), {} rejected, {} failed in {:.2} s: {:.0} receipts/s, \
             p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            self.sent,
            self.created,
            self.rejected,
            self.failed,
            self.elapsed.as_secs_f64(),
            self.throughput(),
            self.percentile_ms(0.5),
            self.percentile_ms(0.99),
            self.percentile_ms(1.0),
        )
    }
}

/// 16 characters `[0-9a-z]` from a number, as the banner's consent ids look.
pub fn consent_id(n: u64) -> String {
    // Spread the bits so neighbouring ids do not share prefixes (closer to random ids).
    let mut x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (n >> 29);
    let mut out = [b'0'; 16];
    for slot in out.iter_mut().rev() {
        *slot = b"0123456789abcdefghijklmnopqrstuvwxyz"[(x % 36) as usize];
        x /= 36;
    }
    // 36^16 > 2^64, so the mapping is one-to-one.
    String::from_utf8_lossy(&out).into_owned()
}

pub fn receipt_body(consent_id: &str, decided_at: &str) -> String {
    // Formatted, not built as a JSON value: the generator should spend its CPU on requests.
    format!(
        concat!(
            r#"{{"consentId":"{}","decidedAt":"{}","revision":1,"#,
            r#""purposes":{{"necessary":true,"functional":true,"analytics":false,"marketing":false}},"#,
            r#""method":"custom","gpc":false,"language":"nl","#,
            r#""textsHash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","#,
            r#""url":"https://voorbeeld.nl/winkel/product"}}"#
        ),
        consent_id, decided_at
    )
}

/// One keep-alive HTTP/1.1 connection.
pub struct Connection {
    stream: BufReader<TcpStream>,
    host: String,
}

impl Connection {
    pub async fn open(addr: SocketAddr) -> std::io::Result<Connection> {
        if !addr.ip().is_loopback() {
            return Err(std::io::Error::other(
                "load is only sent to loopback addresses",
            ));
        }
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Connection {
            stream: BufReader::new(stream),
            host: addr.to_string(),
        })
    }

    /// POST a JSON body; returns the status and the response body.
    pub async fn post_json(&mut self, path: &str, body: &str) -> std::io::Result<(u16, String)> {
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.host,
            body.len()
        );
        self.stream.get_mut().write_all(request.as_bytes()).await?;
        let mut line = String::new();
        if self.stream.read_line(&mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
        let mut length = 0usize;
        loop {
            line.clear();
            if self.stream.read_line(&mut line).await? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            let trimmed = line.trim_end();
            if trimmed.is_empty() {
                break;
            }
            if let Some((name, value)) = trimmed.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut buf = vec![0u8; length];
        self.stream.read_exact(&mut buf).await?;
        Ok((status, String::from_utf8_lossy(&buf).into_owned()))
    }
}

/// Post receipts until `count` are sent or `duration` is over, whichever comes first.
pub async fn run(options: Options) -> Report {
    let count = options.count.min(MAX_COUNT);
    let deadline = Instant::now() + options.duration.min(MAX_DURATION);
    let concurrency = options.concurrency.clamp(1, MAX_CONCURRENCY);
    let next = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let started = Instant::now();
    let mut workers = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let options = options.clone();
        let next = next.clone();
        workers.push(tokio::spawn(async move {
            let mut report = Report::default();
            let Ok(mut conn) = Connection::open(options.addr).await else {
                report.failed += 1;
                return report;
            };
            let decided_at = crate::timestamp::format_ms(crate::timestamp::now_ms());
            loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if n >= count || Instant::now() >= deadline {
                    break;
                }
                let id = consent_id(options.run_id.wrapping_mul(MAX_COUNT).wrapping_add(n));
                let body = receipt_body(&id, &decided_at);
                let t = Instant::now();
                report.sent += 1;
                match conn.post_json(&options.path, &body).await {
                    Ok((201, response)) => {
                        report.created += 1;
                        report.latencies_us.push(t.elapsed().as_micros() as u64);
                        if options.keep_created {
                            let v: serde_json::Value =
                                serde_json::from_str(&response).unwrap_or_default();
                            let rid = v["receiptId"].as_str().unwrap_or("").to_string();
                            report.created_ids.push((id, rid));
                        }
                    }
                    Ok(_) => {
                        report.rejected += 1;
                        report.latencies_us.push(t.elapsed().as_micros() as u64);
                    }
                    Err(_) => {
                        // The server went away (the durability test kills it): stop, do not
                        // hammer a dead port.
                        report.failed += 1;
                        break;
                    }
                }
            }
            report
        }));
    }
    let mut total = Report::default();
    for worker in workers {
        if let Ok(r) = worker.await {
            total.sent += r.sent;
            total.created += r.created;
            total.rejected += r.rejected;
            total.failed += r.failed;
            total.latencies_us.extend(r.latencies_us);
            total.created_ids.extend(r.created_ids);
        }
    }
    total.elapsed = started.elapsed();
    total
}

#[cfg(test)]
mod tests {
    #[test]
    fn receipt_body_is_json() {
        let v: serde_json::Value = serde_json::from_str(&super::receipt_body(
            "k3j4h5g6a1b2c3d4",
            "2026-11-23T18:42:19Z",
        ))
        .unwrap();
        assert_eq!(v["purposes"]["functional"], true);
        assert_eq!(v["consentId"], "k3j4h5g6a1b2c3d4");
    }
}
