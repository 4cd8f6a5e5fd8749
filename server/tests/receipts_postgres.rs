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
on_postgres!(replayed_consent_id_is_409);
on_postgres!(bad_input_is_refused_and_nothing_stored);
on_postgres!(sql_metacharacters_in_every_field);
on_postgres!(s04_sec_gpc_header_counts_as_gpc);
on_postgres!(concurrent_receipts_are_all_stored);
on_postgres!(admin_api);
