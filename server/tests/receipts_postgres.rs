//! The same behaviour against PostgreSQL: same migrations, same queries.
//!
//! Needs `AKKOORD_TEST_DATABASE_URL` (scripts/with-postgres.sh starts a throwaway cluster and
//! sets it; CI runs the tests through it). Without it each test prints a loud SKIP line.

mod common;

use common::{scenarios, Backend, Harness};

macro_rules! on_postgres {
    ($name:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            let Some(url) = common::postgres_url(concat!("postgres::", stringify!($name))) else {
                return;
            };
            scenarios::$name(&Harness::new(&Backend::Postgres(url)).await).await;
        }
    };
}

on_postgres!(c23_receipt_is_stored_signed_and_verifiable);
on_postgres!(replay_gets_the_stored_receipt_another_decision_is_409);
on_postgres!(bad_input_is_refused_and_nothing_stored);
on_postgres!(sql_metacharacters_in_every_field);
on_postgres!(s04_sec_gpc_header_counts_as_gpc);
on_postgres!(concurrent_receipts_are_all_stored);
on_postgres!(admin_api);

/// A database restart drops every connection; the server reconnects instead of failing until
/// it is restarted itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnects_after_the_database_drops_its_connections() {
    let Some(url) =
        common::postgres_url("postgres::reconnects_after_the_database_drops_its_connections")
    else {
        return;
    };
    let h = Harness::new(&Backend::Postgres(url.clone())).await;
    let first = h
        .post_receipt(common::receipt("aaaaaaaaaaaaaaa1").to_string())
        .await;
    assert_eq!(first.status.as_u16(), 201);

    let (admin, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let killed = admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = $1 AND pid <> pg_backend_pid()",
            &[h.database.as_ref().unwrap()],
        )
        .await
        .unwrap();
    assert!(
        killed >= 2,
        "expected the writer and reader connections, killed {killed}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    let second = h
        .post_receipt(common::receipt("aaaaaaaaaaaaaaa2").to_string())
        .await;
    assert_eq!(second.status.as_u16(), 201, "{}", second.text());
    assert_eq!(h.count().await, 2);
}
