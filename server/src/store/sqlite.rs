//! SQLite: one writer thread with group commit, readers on their own connections.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use tokio::sync::mpsc;

use super::{
    tally, DayCount, Durability, Job, KeyRecord, Objection, Outcome, StoredReceipt, ADD_OBJECTION,
    BY_CONSENT_ID, COUNTS, COUNT_RECEIPTS, INSERT_RECEIPT, KEYS, MAX_BATCH, MIGRATIONS, OBJECTIONS,
    PAGE, QUEUE, RECORD_KEY, SCHEMA_TABLE, UPSERT_COUNT,
};

#[derive(Clone)]
pub struct Sqlite {
    pub(super) writer: mpsc::Sender<Job>,
    path: PathBuf,
    /// Idle read connections, reused so an export does not reopen the file per page.
    readers: Arc<Mutex<Vec<Connection>>>,
    thread: Arc<Mutex<Option<JoinHandle<()>>>>,
}

fn configure(conn: &Connection, durability: Durability) -> rusqlite::Result<()> {
    // WAL: readers (admin exports) never block the writer, and a commit is one append to the
    // log instead of a rewrite of the database pages.
    //
    // synchronous=FULL by default, not NORMAL: in WAL mode NORMAL already survives a killed
    // process (the log is in the OS page cache, which the SIGKILL test proves), but not a
    // power cut or kernel panic, where the last commits may vanish. A 201 is the site owner's
    // proof of consent, so by default it means "on the disk": FULL fsyncs the log on every
    // commit, and group commit makes that affordable, since one fsync covers a whole batch.
    // Operators on disks with slow fsync can choose NORMAL (`--sqlite-sync normal`).
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(
        None,
        "synchronous",
        match durability {
            Durability::Full => "FULL",
            Durability::Normal => "NORMAL",
        },
    )?;
    // Checkpoints run on their own thread (see `checkpointer`), not inside a commit that a
    // visitor's request is waiting for.
    conn.pragma_update(None, "wal_autocheckpoint", 0)?;
    conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(())
}

/// Copy the log back into the database twice a second, beside the writer: a PASSIVE
/// checkpoint never blocks it. Ends when the writer drops its end of `stop`.
fn checkpointer(conn: Connection, stop: std::sync::mpsc::Receiver<()>) {
    use std::sync::mpsc::RecvTimeoutError;
    loop {
        match stop.recv_timeout(std::time::Duration::from_millis(500)) {
            Err(RecvTimeoutError::Timeout) => {
                let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
            }
            _ => return,
        }
    }
}

fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute_batch(SCHEMA_TABLE)?;
    let current: i64 = tx.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM akkoord_schema",
        [],
        |row| row.get(0),
    )?;
    for (version, sql) in MIGRATIONS {
        if *version > current {
            tx.execute_batch(sql)?;
            tx.execute(
                "INSERT INTO akkoord_schema (version, applied_at) VALUES ($1, $2)",
                params![version, crate::timestamp::now_ms()],
            )?;
        }
    }
    tx.commit()
}

fn stored_receipt(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredReceipt> {
    Ok(StoredReceipt {
        receipt_id: row.get(0)?,
        received_at: row.get(1)?,
        consent_id: row.get(2)?,
        key_id: row.get(3)?,
        payload: row.get(4)?,
        signature: row.get(5)?,
    })
}

/// Commit one batch; every job learns its own outcome only after the commit.
fn write_batch(conn: &mut Connection, batch: Vec<Job>) {
    let result = (|| -> rusqlite::Result<Vec<Result<Outcome, String>>> {
        let tx = conn.transaction()?;
        let mut outcomes = Vec::with_capacity(batch.len());
        {
            let mut insert = tx.prepare_cached(INSERT_RECEIPT)?;
            for job in &batch {
                let r = &job.receipt;
                let outcome = insert
                    .execute(params![
                        r.receipt_id,
                        r.received_at,
                        r.consent_id,
                        r.decided_at,
                        r.revision,
                        r.method,
                        r.gpc,
                        r.sec_gpc,
                        r.language,
                        r.texts_hash,
                        r.url,
                        r.purposes_json(),
                        r.ip,
                        r.user_agent,
                        r.key_id,
                        r.payload,
                        r.signature,
                    ])
                    .map(|n| {
                        if n == 1 {
                            Outcome::Stored
                        } else {
                            Outcome::Replay
                        }
                    })
                    // A failed statement is rolled back on its own; the batch goes on.
                    .map_err(|e| e.to_string());
                outcomes.push(outcome);
            }
            let stored: Vec<_> = batch
                .iter()
                .zip(&outcomes)
                .filter(|(_, o)| matches!(o, Ok(Outcome::Stored)))
                .map(|(job, _)| &job.receipt)
                .collect();
            let mut upsert = tx.prepare_cached(UPSERT_COUNT)?;
            for ((day, purpose), (granted, denied)) in tally(&stored) {
                upsert.execute(params![day, purpose, granted, denied])?;
            }
        }
        tx.commit()?;
        Ok(outcomes)
    })();
    match result {
        Ok(outcomes) => {
            for (job, outcome) in batch.into_iter().zip(outcomes) {
                let _ = job.reply.send(outcome);
            }
        }
        Err(e) => {
            let message = e.to_string();
            for job in batch {
                let _ = job.reply.send(Err(message.clone()));
            }
        }
    }
}

fn writer_loop(
    mut conn: Connection,
    mut jobs: mpsc::Receiver<Job>,
    checkpoints: Option<(std::sync::mpsc::Sender<()>, JoinHandle<()>)>,
) {
    // Block for the first job, then take whatever else is already waiting: under load the
    // batch grows by itself, when idle a lone receipt is committed at once.
    while let Some(first) = jobs.blocking_recv() {
        let mut batch = Vec::with_capacity(64);
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        write_batch(&mut conn, batch);
    }
    // Channel closed and drained: stop the checkpointer, then fold the whole log back so the
    // file is complete on its own.
    if let Some((stop, handle)) = checkpoints {
        drop(stop);
        let _ = handle.join();
    }
    let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
}

impl Sqlite {
    pub fn open(path: &Path, durability: Durability) -> Result<Sqlite, String> {
        let fail = |e: rusqlite::Error| format!("{}: {e}", path.display());
        let mut conn = Connection::open(path).map_err(fail)?;
        configure(&conn, durability).map_err(fail)?;
        migrate(&mut conn).map_err(fail)?;
        let checkpoint_conn = Connection::open(path).map_err(fail)?;
        configure(&checkpoint_conn, durability).map_err(fail)?;
        let (stop, stopped) = std::sync::mpsc::channel();
        let checkpoints = std::thread::Builder::new()
            .name("akkoord-sqlite-checkpoint".into())
            .spawn(move || checkpointer(checkpoint_conn, stopped))
            .map_err(|e| format!("cannot start the checkpoint thread: {e}"))?;
        let (writer, jobs) = mpsc::channel(QUEUE);
        let thread = std::thread::Builder::new()
            .name("akkoord-sqlite-writer".into())
            .spawn(move || writer_loop(conn, jobs, Some((stop, checkpoints))))
            .map_err(|e| format!("cannot start the writer thread: {e}"))?;
        Ok(Sqlite {
            writer,
            path: path.to_path_buf(),
            readers: Arc::new(Mutex::new(Vec::new())),
            thread: Arc::new(Mutex::new(Some(thread))),
        })
    }

    /// Run `f` on a read connection in the blocking pool.
    async fn read<T, F>(&self, f: F) -> Result<T, String>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let path = self.path.clone();
        let readers = self.readers.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = readers.lock().ok().and_then(|mut r| r.pop());
            let conn = match pooled {
                Some(conn) => conn,
                None => {
                    let conn = Connection::open_with_flags(
                        &path,
                        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                    )
                    .map_err(|e| e.to_string())?;
                    conn.busy_timeout(std::time::Duration::from_secs(10))
                        .map_err(|e| e.to_string())?;
                    conn
                }
            };
            let result = f(&conn).map_err(|e| e.to_string());
            if let Ok(mut r) = readers.lock() {
                if r.len() < 4 {
                    r.push(conn);
                }
            }
            result
        })
        .await
        .map_err(|e| format!("reader failed: {e}"))?
    }

    pub async fn by_consent_id(&self, consent_id: String) -> Result<Vec<StoredReceipt>, String> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(BY_CONSENT_ID)?;
            let rows = stmt.query_map(params![consent_id], stored_receipt)?;
            rows.collect()
        })
        .await
    }

    pub async fn page(
        &self,
        from: i64,
        to: i64,
        after_at: i64,
        after_id: String,
        limit: i64,
    ) -> Result<Vec<StoredReceipt>, String> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(PAGE)?;
            let rows =
                stmt.query_map(params![from, to, after_at, after_id, limit], stored_receipt)?;
            rows.collect()
        })
        .await
    }

    pub async fn counts(&self, from: String, to: String) -> Result<Vec<DayCount>, String> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(COUNTS)?;
            let rows = stmt.query_map(params![from, to], |row| {
                Ok(DayCount {
                    day: row.get(0)?,
                    purpose: row.get(1)?,
                    granted: row.get(2)?,
                    denied: row.get(3)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    pub async fn record_key(&self, key: KeyRecord) -> Result<(), String> {
        self.read(move |conn| {
            conn.execute(
                RECORD_KEY,
                params![key.key_id, key.public_key, key.first_used],
            )
            .map(|_| ())
        })
        .await
    }

    pub async fn keys(&self) -> Result<Vec<KeyRecord>, String> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(KEYS)?;
            let rows = stmt.query_map([], |row| {
                Ok(KeyRecord {
                    key_id: row.get(0)?,
                    public_key: row.get(1)?,
                    first_used: row.get(2)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    pub async fn add_objections(&self, items: Vec<Objection>) -> Result<u64, String> {
        self.read(move |conn| {
            let tx = conn.unchecked_transaction()?;
            let mut added = 0u64;
            {
                let mut stmt = tx.prepare_cached(ADD_OBJECTION)?;
                for o in &items {
                    added += stmt.execute(params![o.hash, o.kind, o.added_at])? as u64;
                }
            }
            tx.commit()?;
            Ok(added)
        })
        .await
    }

    pub async fn objections(&self) -> Result<Vec<Objection>, String> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(OBJECTIONS)?;
            let rows = stmt.query_map([], |row| {
                Ok(Objection {
                    hash: row.get(0)?,
                    kind: row.get(1)?,
                    added_at: row.get(2)?,
                })
            })?;
            rows.collect()
        })
        .await
    }

    pub async fn count_receipts(&self) -> Result<i64, String> {
        self.read(|conn| {
            conn.query_row(COUNT_RECEIPTS, [], |row| row.get(0))
                .optional()
                .map(|n| n.unwrap_or(0))
        })
        .await
    }

    pub async fn close(self) {
        let Sqlite {
            writer,
            thread,
            readers,
            ..
        } = self;
        drop(writer);
        if let Ok(mut r) = readers.lock() {
            r.clear();
        }
        let handle = thread.lock().ok().and_then(|mut t| t.take());
        if let Some(handle) = handle {
            // The thread ends once every sender is gone and the queue is committed.
            let _ = tokio::task::spawn_blocking(move || handle.join()).await;
        }
    }
}
