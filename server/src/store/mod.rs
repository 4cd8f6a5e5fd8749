//! Append-only storage of receipts: SQLite by default, PostgreSQL at scale.
//!
//! Both back-ends run the same migrations and the same SQL text (`$1`-style parameters work in
//! SQLite too), so a query tested on one is the query the other runs. Writes go through one
//! writer per store that commits in batches (group commit): a request waits for the commit
//! that contains its receipt, so a `201` always means "on disk", while one fsync is shared by
//! every receipt that arrived in the meantime.

mod postgres;
mod sqlite;

use std::collections::BTreeMap;
use std::path::Path;

use tokio::sync::{mpsc, oneshot};

use crate::error::Error;

/// Largest number of receipts in one transaction. Big enough that a burst shares one fsync,
/// small enough that the first receipt in a batch does not wait long for the last.
pub const MAX_BATCH: usize = 512;
/// Receipts waiting for the writer before requests get 503 instead of queueing without bound.
pub const QUEUE: usize = 16_384;

/// Schema changes, applied in order, each once. Same text on SQLite and PostgreSQL.
pub const MIGRATIONS: &[(i64, &str)] = &[(
    1,
    "CREATE TABLE receipts (
        receipt_id  TEXT PRIMARY KEY,
        received_at BIGINT NOT NULL,
        consent_id  TEXT NOT NULL,
        decided_at  BIGINT NOT NULL,
        revision    BIGINT NOT NULL,
        method      TEXT NOT NULL,
        gpc         BOOLEAN NOT NULL,
        sec_gpc     BOOLEAN NOT NULL,
        language    TEXT NOT NULL,
        texts_hash  TEXT NOT NULL,
        url         TEXT NOT NULL,
        purposes    TEXT NOT NULL,
        ip          TEXT,
        user_agent  TEXT,
        key_id      TEXT NOT NULL,
        payload     TEXT NOT NULL,
        signature   TEXT NOT NULL,
        UNIQUE (consent_id, decided_at)
    );
    CREATE INDEX receipts_received_at ON receipts (received_at, receipt_id);
    CREATE TABLE consent_counts (
        day      TEXT NOT NULL,
        purpose  TEXT NOT NULL,
        granted  BIGINT NOT NULL,
        denied   BIGINT NOT NULL,
        PRIMARY KEY (day, purpose)
    );
    CREATE TABLE signing_keys (
        key_id     TEXT PRIMARY KEY,
        public_key TEXT NOT NULL,
        first_used BIGINT NOT NULL
    );
    CREATE TABLE objections (
        hash     TEXT PRIMARY KEY,
        kind     TEXT NOT NULL,
        added_at BIGINT NOT NULL
    );",
)];

pub const SCHEMA_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS akkoord_schema (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)";

// ON CONFLICT … DO NOTHING makes a replay (same consent id, same decision time) a no-op that
// the writer can see (0 rows), instead of an error that would spoil the whole batch.
pub(crate) const INSERT_RECEIPT: &str = "INSERT INTO receipts (receipt_id, received_at, consent_id, decided_at, revision, method, gpc, sec_gpc, language, texts_hash, url, purposes, ip, user_agent, key_id, payload, signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) ON CONFLICT (consent_id, decided_at) DO NOTHING";
pub(crate) const UPSERT_COUNT: &str = "INSERT INTO consent_counts (day, purpose, granted, denied) VALUES ($1, $2, $3, $4) ON CONFLICT (day, purpose) DO UPDATE SET granted = consent_counts.granted + excluded.granted, denied = consent_counts.denied + excluded.denied";
pub(crate) const BY_CONSENT_ID: &str = "SELECT receipt_id, received_at, consent_id, key_id, payload, signature FROM receipts WHERE consent_id = $1 ORDER BY received_at, receipt_id";
pub(crate) const PAGE: &str = "SELECT receipt_id, received_at, consent_id, key_id, payload, signature FROM receipts WHERE received_at >= $1 AND received_at < $2 AND (received_at > $3 OR (received_at = $3 AND receipt_id > $4)) ORDER BY received_at, receipt_id LIMIT $5";
pub(crate) const COUNTS: &str = "SELECT day, purpose, granted, denied FROM consent_counts WHERE day >= $1 AND day <= $2 ORDER BY day, purpose";
pub(crate) const RECORD_KEY: &str = "INSERT INTO signing_keys (key_id, public_key, first_used) VALUES ($1, $2, $3) ON CONFLICT (key_id) DO NOTHING";
pub(crate) const KEYS: &str =
    "SELECT key_id, public_key, first_used FROM signing_keys ORDER BY first_used";
pub(crate) const ADD_OBJECTION: &str = "INSERT INTO objections (hash, kind, added_at) VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING";
pub(crate) const OBJECTIONS: &str =
    "SELECT hash, kind, added_at FROM objections ORDER BY added_at, hash";
pub(crate) const COUNT_RECEIPTS: &str = "SELECT COUNT(*) FROM receipts";

/// One receipt, validated and signed, ready to append.
#[derive(Debug, Clone)]
pub struct NewReceipt {
    pub receipt_id: String,
    pub received_at: i64,
    pub consent_id: String,
    pub decided_at: i64,
    pub revision: i64,
    pub method: String,
    pub gpc: bool,
    pub sec_gpc: bool,
    pub language: String,
    pub texts_hash: String,
    pub url: String,
    /// Canonical JSON object `{"purpose": bool}` in key order.
    pub purposes: BTreeMap<String, bool>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub key_id: String,
    pub payload: String,
    pub signature: String,
}

impl NewReceipt {
    pub fn purposes_json(&self) -> String {
        serde_json::to_string(&self.purposes).unwrap_or_else(|_| "{}".into())
    }
}

/// A receipt as read back: the signed payload is the record; the other columns index it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReceipt {
    pub receipt_id: String,
    pub received_at: i64,
    pub consent_id: String,
    pub key_id: String,
    pub payload: String,
    pub signature: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DayCount {
    pub day: String,
    pub purpose: String,
    pub granted: i64,
    pub denied: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Objection {
    pub hash: String,
    pub kind: String,
    pub added_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyRecord {
    pub key_id: String,
    pub public_key: String,
    pub first_used: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stored,
    /// Same consent id and decision time as a stored receipt.
    Replay,
}

pub(crate) struct Job {
    pub receipt: NewReceipt,
    pub reply: oneshot::Sender<Result<Outcome, String>>,
}

/// Per-day, per-purpose tallies of the receipts a batch really stored.
pub(crate) fn tally(stored: &[&NewReceipt]) -> BTreeMap<(String, String), (i64, i64)> {
    let mut counts: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    for receipt in stored {
        let day = crate::timestamp::format_day(receipt.received_at);
        for (purpose, granted) in &receipt.purposes {
            let entry = counts.entry((day.clone(), purpose.clone())).or_default();
            if *granted {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
        }
    }
    counts
}

fn unavailable(e: impl std::fmt::Display) -> Error {
    Error::Unavailable(format!("store: {e}"))
}

/// When SQLite calls a commit done (`PRAGMA synchronous`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Durability {
    /// fsync the log on every commit: a 201 survives a power cut.
    #[default]
    Full,
    /// Commit to the OS: a 201 survives the server being killed, not a power cut.
    Normal,
}

/// The store of one server.
#[derive(Clone)]
pub enum Store {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Store::Sqlite(_) => "Store::Sqlite",
            Store::Postgres(_) => "Store::Postgres",
        })
    }
}

impl Store {
    /// Open (and create, and migrate) an SQLite file.
    pub fn open_sqlite(path: &Path) -> Result<Store, String> {
        Store::open_sqlite_with(path, Durability::Full)
    }

    pub fn open_sqlite_with(path: &Path, durability: Durability) -> Result<Store, String> {
        sqlite::Sqlite::open(path, durability).map(Store::Sqlite)
    }

    /// Connect to PostgreSQL (`postgres://…`) and migrate.
    pub async fn connect_postgres(url: &str) -> Result<Store, String> {
        postgres::Postgres::connect(url).await.map(Store::Postgres)
    }

    fn writer(&self) -> &mpsc::Sender<Job> {
        match self {
            Store::Sqlite(s) => &s.writer,
            Store::Postgres(p) => &p.writer,
        }
    }

    /// Append one receipt; resolves once it is committed.
    pub async fn insert(&self, receipt: NewReceipt) -> Result<Outcome, Error> {
        let (reply, answer) = oneshot::channel();
        self.writer()
            .try_send(Job { receipt, reply })
            .map_err(|e| match e {
                mpsc::error::TrySendError::Full(_) => unavailable("too many receipts waiting"),
                mpsc::error::TrySendError::Closed(_) => unavailable("shutting down"),
            })?;
        match answer.await {
            Ok(Ok(outcome)) => Ok(outcome),
            Ok(Err(e)) => Err(unavailable(e)),
            Err(_) => Err(unavailable("writer stopped")),
        }
    }

    pub async fn by_consent_id(&self, consent_id: &str) -> Result<Vec<StoredReceipt>, Error> {
        match self {
            Store::Sqlite(s) => s.by_consent_id(consent_id.to_string()).await,
            Store::Postgres(p) => p.by_consent_id(consent_id).await,
        }
        .map_err(unavailable)
    }

    /// Receipts received in `[from, to)` (unix ms) after the keyset cursor, oldest first.
    pub async fn page(
        &self,
        from: i64,
        to: i64,
        after: Option<(i64, String)>,
        limit: i64,
    ) -> Result<Vec<StoredReceipt>, Error> {
        let (after_at, after_id) = after.unwrap_or((i64::MIN, String::new()));
        match self {
            Store::Sqlite(s) => s.page(from, to, after_at, after_id, limit).await,
            Store::Postgres(p) => p.page(from, to, after_at, &after_id, limit).await,
        }
        .map_err(unavailable)
    }

    /// Tallies for days `from..=to` (`YYYY-MM-DD`).
    pub async fn counts(&self, from: &str, to: &str) -> Result<Vec<DayCount>, Error> {
        match self {
            Store::Sqlite(s) => s.counts(from.to_string(), to.to_string()).await,
            Store::Postgres(p) => p.counts(from, to).await,
        }
        .map_err(unavailable)
    }

    pub async fn record_key(&self, key: KeyRecord) -> Result<(), Error> {
        match self {
            Store::Sqlite(s) => s.record_key(key).await,
            Store::Postgres(p) => p.record_key(&key).await,
        }
        .map_err(unavailable)
    }

    pub async fn keys(&self) -> Result<Vec<KeyRecord>, Error> {
        match self {
            Store::Sqlite(s) => s.keys().await,
            Store::Postgres(p) => p.keys().await,
        }
        .map_err(unavailable)
    }

    /// Add hashed identifiers; returns how many were new.
    pub async fn add_objections(&self, items: Vec<Objection>) -> Result<u64, Error> {
        match self {
            Store::Sqlite(s) => s.add_objections(items).await,
            Store::Postgres(p) => p.add_objections(&items).await,
        }
        .map_err(unavailable)
    }

    pub async fn objections(&self) -> Result<Vec<Objection>, Error> {
        match self {
            Store::Sqlite(s) => s.objections().await,
            Store::Postgres(p) => p.objections().await,
        }
        .map_err(unavailable)
    }

    pub async fn count_receipts(&self) -> Result<i64, Error> {
        match self {
            Store::Sqlite(s) => s.count_receipts().await,
            Store::Postgres(p) => p.count_receipts().await,
        }
        .map_err(unavailable)
    }

    /// Stop taking writes, let the writer commit what it has, and wait for it.
    pub async fn close(self) {
        match self {
            Store::Sqlite(s) => s.close().await,
            Store::Postgres(p) => p.close().await,
        }
    }
}
