//! PostgreSQL: a writer task with group commit on its own connection, reads on another.
//!
//! No TLS: the server is meant to reach PostgreSQL over loopback or a Unix socket (`host=` a
//! directory). A remote database needs a TLS-terminating proxy or tunnel in front of it.

use std::sync::Arc;

use futures_util::future::join_all;
use tokio::sync::{mpsc, Mutex};
use tokio_postgres::{Client, NoTls, Statement};

use super::{
    tally, DayCount, Job, KeyRecord, Objection, Outcome, StoredReceipt, ADD_OBJECTION,
    BY_CONSENT_ID, COUNTS, COUNT_RECEIPTS, INSERT_RECEIPT, KEYS, MAX_BATCH, MIGRATIONS, OBJECTIONS,
    PAGE, QUEUE, RECORD_KEY, SCHEMA_TABLE, UPSERT_COUNT,
};

#[derive(Clone)]
pub struct Postgres {
    pub(super) writer: mpsc::Sender<Job>,
    /// The connection for reads and admin writes; replaced when it drops (a database restart
    /// must not leave the admin API broken until the server restarts too).
    reader: Arc<Mutex<Arc<Client>>>,
    url: Arc<str>,
    task: Arc<Mutex<Option<tokio::task::JoinHandle<()>>>>,
}

async fn connect(url: &str) -> Result<Client, String> {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .map_err(|e| format!("cannot connect to PostgreSQL: {e}"))?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            eprintln!("akkoord serve: PostgreSQL connection lost: {e}");
        }
    });
    Ok(client)
}

async fn migrate(client: &mut Client) -> Result<(), tokio_postgres::Error> {
    let tx = client.transaction().await?;
    // Several servers may start against one database at once; one migrates, the rest wait.
    tx.execute("SELECT pg_advisory_xact_lock(7305247)", &[])
        .await?;
    tx.batch_execute(SCHEMA_TABLE).await?;
    let current: i64 = tx
        .query_one("SELECT COALESCE(MAX(version), 0) FROM akkoord_schema", &[])
        .await?
        .get(0);
    for (version, sql) in MIGRATIONS {
        if *version > current {
            tx.batch_execute(sql).await?;
            tx.execute(
                "INSERT INTO akkoord_schema (version, applied_at) VALUES ($1, $2)",
                &[version, &crate::timestamp::now_ms()],
            )
            .await?;
        }
    }
    tx.commit().await
}

fn stored_receipt(row: &tokio_postgres::Row) -> StoredReceipt {
    StoredReceipt {
        receipt_id: row.get(0),
        received_at: row.get(1),
        consent_id: row.get(2),
        key_id: row.get(3),
        payload: row.get(4),
        signature: row.get(5),
    }
}

/// The writer's statements, prepared once per connection: a prepare is a round trip that
/// every batch would otherwise wait for.
struct Prepared {
    insert: Statement,
    upsert: Statement,
}

async fn prepare(client: &Client) -> Result<Prepared, String> {
    Ok(Prepared {
        insert: client
            .prepare(INSERT_RECEIPT)
            .await
            .map_err(|e| e.to_string())?,
        upsert: client
            .prepare(UPSERT_COUNT)
            .await
            .map_err(|e| e.to_string())?,
    })
}

/// One transaction for the batch, statements pipelined on the connection.
async fn write_batch(
    client: &mut Client,
    prepared: &Prepared,
    jobs: &[Job],
) -> Result<Vec<Outcome>, String> {
    let tx = client.transaction().await.map_err(|e| e.to_string())?;
    let insert = &prepared.insert;
    let purposes: Vec<String> = jobs.iter().map(|j| j.receipt.purposes_json()).collect();
    let inserts = jobs.iter().zip(&purposes).map(|(job, purposes)| {
        let r = &job.receipt;
        let tx = &tx;
        async move {
            tx.execute(
                insert,
                &[
                    &r.receipt_id,
                    &r.received_at,
                    &r.consent_id,
                    &r.decided_at,
                    &r.revision,
                    &r.method,
                    &r.gpc,
                    &r.sec_gpc,
                    &r.language,
                    &r.texts_hash,
                    &r.url,
                    purposes,
                    &r.ip,
                    &r.user_agent,
                    &r.key_id,
                    &r.payload,
                    &r.signature,
                ],
            )
            .await
        }
    });
    let mut outcomes = Vec::with_capacity(jobs.len());
    for result in join_all(inserts).await {
        let n = result.map_err(|e| e.to_string())?;
        outcomes.push(if n == 1 {
            Outcome::Stored
        } else {
            Outcome::Replay
        });
    }
    let stored: Vec<_> = jobs
        .iter()
        .zip(&outcomes)
        .filter(|(_, o)| **o == Outcome::Stored)
        .map(|(job, _)| &job.receipt)
        .collect();
    let counts = tally(&stored);
    let upsert = &prepared.upsert;
    let upserts = counts.iter().map(|((day, purpose), (granted, denied))| {
        let tx = &tx;
        async move { tx.execute(upsert, &[day, purpose, granted, denied]).await }
    });
    for result in join_all(upserts).await {
        result.map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(outcomes)
}

async fn writer_loop(url: String, mut client: Client, mut jobs: mpsc::Receiver<Job>) {
    let mut buffer = Vec::with_capacity(MAX_BATCH);
    let mut prepared: Option<Prepared> = None;
    while jobs.recv_many(&mut buffer, MAX_BATCH).await > 0 {
        let batch: Vec<Job> = std::mem::take(&mut buffer);
        if client.is_closed() {
            prepared = None;
            match connect(&url).await {
                Ok(c) => client = c,
                Err(e) => {
                    fail(batch, &e);
                    continue;
                }
            }
        }
        if prepared.is_none() {
            match prepare(&client).await {
                Ok(p) => prepared = Some(p),
                Err(e) => {
                    fail(batch, &e);
                    continue;
                }
            }
        }
        let Some(statements) = prepared.as_ref() else {
            continue;
        };
        match write_batch(&mut client, statements, &batch).await {
            Ok(outcomes) => {
                for (job, outcome) in batch.into_iter().zip(outcomes) {
                    let _ = job.reply.send(Ok(outcome));
                }
            }
            // In PostgreSQL one failed statement aborts the transaction. Retry one by one so
            // a single bad receipt does not take its batch neighbours down with it.
            Err(_) if batch.len() > 1 => {
                for job in batch {
                    let one = std::slice::from_ref(&job);
                    let outcome = write_batch(&mut client, statements, one)
                        .await
                        .map(|o| o.first().copied().unwrap_or(Outcome::Replay));
                    let _ = job.reply.send(outcome);
                }
            }
            Err(e) => fail(batch, &e),
        }
    }
}

fn fail(batch: Vec<Job>, message: &str) {
    for job in batch {
        let _ = job.reply.send(Err(message.to_string()));
    }
}

impl Postgres {
    pub async fn connect(url: &str) -> Result<Postgres, String> {
        let mut writer_client = connect(url).await?;
        migrate(&mut writer_client)
            .await
            .map_err(|e| format!("PostgreSQL migration failed: {e}"))?;
        // Proof of consent needs a commit to mean "on disk": say so if the database was told
        // otherwise.
        if let Ok(row) = writer_client
            .query_one("SHOW synchronous_commit", &[])
            .await
        {
            let setting: String = row.get(0);
            if setting == "off" {
                eprintln!(
                    "akkoord serve: PostgreSQL has synchronous_commit=off; a 201 may be lost \
                     in a database crash"
                );
            }
        }
        let reader = connect(url).await?;
        let (writer, jobs) = mpsc::channel(QUEUE);
        let task = tokio::spawn(writer_loop(url.to_string(), writer_client, jobs));
        Ok(Postgres {
            writer,
            reader: Arc::new(Mutex::new(Arc::new(reader))),
            url: url.into(),
            task: Arc::new(Mutex::new(Some(task))),
        })
    }

    async fn reader(&self) -> Result<Arc<Client>, String> {
        let mut current = self.reader.lock().await;
        if current.is_closed() {
            *current = Arc::new(connect(&self.url).await?);
        }
        Ok(current.clone())
    }

    pub async fn by_consent_id(&self, consent_id: &str) -> Result<Vec<StoredReceipt>, String> {
        let rows = self
            .reader()
            .await?
            .query(BY_CONSENT_ID, &[&consent_id])
            .await
            .map_err(|e| e.to_string())?;
        Ok(rows.iter().map(stored_receipt).collect())
    }

    pub async fn page(
        &self,
        from: i64,
        to: i64,
        after_at: i64,
        after_id: &str,
        limit: i64,
    ) -> Result<Vec<StoredReceipt>, String> {
        let rows = self
            .reader()
            .await?
            .query(PAGE, &[&from, &to, &after_at, &after_id, &limit])
            .await
            .map_err(|e| e.to_string())?;
        Ok(rows.iter().map(stored_receipt).collect())
    }

    pub async fn counts(&self, from: &str, to: &str) -> Result<Vec<DayCount>, String> {
        let rows = self
            .reader()
            .await?
            .query(COUNTS, &[&from, &to])
            .await
            .map_err(|e| e.to_string())?;
        Ok(rows
            .iter()
            .map(|row| DayCount {
                day: row.get(0),
                purpose: row.get(1),
                granted: row.get(2),
                denied: row.get(3),
            })
            .collect())
    }

    pub async fn record_key(&self, key: &KeyRecord) -> Result<(), String> {
        self.reader()
            .await?
            .execute(RECORD_KEY, &[&key.key_id, &key.public_key, &key.first_used])
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    pub async fn keys(&self) -> Result<Vec<KeyRecord>, String> {
        let rows = self
            .reader()
            .await?
            .query(KEYS, &[])
            .await
            .map_err(|e| e.to_string())?;
        Ok(rows
            .iter()
            .map(|row| KeyRecord {
                key_id: row.get(0),
                public_key: row.get(1),
                first_used: row.get(2),
            })
            .collect())
    }

    pub async fn add_objections(&self, items: &[Objection]) -> Result<u64, String> {
        // One client for the statement and its executions: a statement belongs to the
        // connection that prepared it.
        let client = self.reader().await?;
        let stmt = client
            .prepare(ADD_OBJECTION)
            .await
            .map_err(|e| e.to_string())?;
        let mut added = 0;
        for o in items {
            added += client
                .execute(&stmt, &[&o.hash, &o.kind, &o.added_at])
                .await
                .map_err(|e| e.to_string())?;
        }
        Ok(added)
    }

    pub async fn objections(&self) -> Result<Vec<Objection>, String> {
        let rows = self
            .reader()
            .await?
            .query(OBJECTIONS, &[])
            .await
            .map_err(|e| e.to_string())?;
        Ok(rows
            .iter()
            .map(|row| Objection {
                hash: row.get(0),
                kind: row.get(1),
                added_at: row.get(2),
            })
            .collect())
    }

    pub async fn count_receipts(&self) -> Result<i64, String> {
        self.reader()
            .await?
            .query_one(COUNT_RECEIPTS, &[])
            .await
            .map(|row| row.get(0))
            .map_err(|e| e.to_string())
    }

    pub async fn close(self) {
        let Postgres { writer, task, .. } = self;
        drop(writer);
        let handle = task.lock().await.take();
        if let Some(handle) = handle {
            let _ = handle.await;
        }
    }
}
