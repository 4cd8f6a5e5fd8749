//! Durability (GDPR art. 7(1), REFERENCE.md C-23): kill the server with SIGKILL in the middle
//! of a load run, start it again, and prove that every receipt answered `201` is in the
//! database and verifies against its signature.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use akkoord_server::loadgen;
use akkoord_server::signing::{verify, Signer};
use akkoord_server::store::{Store, StoredReceipt};

use common::{postgres_url, write, Backend, TempDir, CONFIG};

struct Server {
    child: Child,
    addr: SocketAddr,
}

fn start(dir: &Path, backend: &[String]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_akkoord-server"))
        .args(["--addr", "127.0.0.1:0", "--site"])
        .arg(dir.join("site"))
        .arg("--assets")
        .arg(dir.join("dist"))
        .arg("--key")
        .arg(dir.join("receipts.key"))
        .args(backend)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start akkoord-server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .parse()
        .unwrap();
    Server { child, addr }
}

async fn all_receipts(store: &Store) -> HashMap<String, StoredReceipt> {
    let mut out = HashMap::new();
    let mut after = None;
    loop {
        let page = store.page(0, i64::MAX, after.clone(), 5000).await.unwrap();
        if page.is_empty() {
            break;
        }
        let last = page.last().unwrap();
        after = Some((last.received_at, last.receipt_id.clone()));
        for r in page {
            out.insert(r.receipt_id.clone(), r);
        }
    }
    out
}

async fn kill_mid_load_and_verify(backend: Backend) {
    let dir = TempDir::new("durability");
    write(&dir.path().join("site/akkoord.json"), CONFIG.as_bytes());
    let args: Vec<String> = match &backend {
        Backend::Sqlite => vec![
            "--db".into(),
            dir.path().join("receipts.db").display().to_string(),
        ],
        Backend::Postgres(base) => {
            vec![
                "--database-url".into(),
                common::fresh_postgres_database(base).await,
            ]
        }
    };

    let mut server = start(dir.path(), &args);
    let load = tokio::spawn(loadgen::run(loadgen::Options {
        addr: server.addr,
        path: "/akkoord/receipts".into(),
        concurrency: 32,
        count: 1_000_000,
        duration: Duration::from_secs(20),
        run_id: 1,
        keep_created: true,
    }));
    tokio::time::sleep(Duration::from_millis(1000)).await;
    server.child.kill().unwrap(); // SIGKILL: no shutdown, no final checkpoint
    server.child.wait().unwrap();
    let report = load.await.unwrap();
    eprintln!("before the kill: {}", report.summary());
    assert!(
        report.created > 100,
        "too little load to prove anything: {}",
        report.summary()
    );
    assert!(report.failed > 0, "the kill did not interrupt the run");

    // Start again on the same database: it must recover and serve.
    let mut server = start(dir.path(), &args);
    let mut conn = loadgen::Connection::open(server.addr).await.unwrap();
    let (status, _) = conn
        .post_json(
            "/akkoord/receipts",
            &loadgen::receipt_body(&loadgen::consent_id(u64::MAX), "2026-11-23T18:00:00Z"),
        )
        .await
        .unwrap();
    assert_eq!(status, 201);
    drop(conn);
    // SIGTERM: a graceful stop commits and exits 0.
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = server.child.wait().unwrap();
    assert!(exit.success(), "graceful shutdown exited with {exit}");

    let store = match &args[..] {
        [flag, path] if flag == "--db" => Store::open_sqlite(Path::new(path)).unwrap(),
        [_, url] => Store::connect_postgres(url).await.unwrap(),
        _ => unreachable!(),
    };
    let (signer, created) = Signer::load_or_create(&dir.path().join("receipts.key")).unwrap();
    assert!(!created);
    let stored = all_receipts(&store).await;
    let mut missing = Vec::new();
    for (consent_id, receipt_id) in &report.created_ids {
        match stored.get(receipt_id) {
            None => missing.push(receipt_id.clone()),
            Some(r) => {
                assert_eq!(&r.consent_id, consent_id);
                assert!(
                    verify(signer.public_key_b64(), r.payload.as_bytes(), &r.signature),
                    "signature of {receipt_id} does not verify"
                );
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged receipts are missing after SIGKILL",
        missing.len(),
        report.created_ids.len()
    );
    assert!(stored.len() as u64 > report.created);
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_every_201_survives_sigkill() {
    kill_mid_load_and_verify(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_every_201_survives_sigkill() {
    let Some(url) = postgres_url("durability::postgres_every_201_survives_sigkill") else {
        return;
    };
    kill_mid_load_and_verify(Backend::Postgres(url)).await;
}
