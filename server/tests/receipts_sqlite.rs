//! Receipts, admin API and bad input against the default SQLite store.

mod common;

use common::{scenarios, Backend, Harness};

#[tokio::test]
async fn c23_receipt_is_stored_signed_and_verifiable() {
    scenarios::c23_receipt_is_stored_signed_and_verifiable(&Harness::new(&Backend::Sqlite).await)
        .await;
}

#[tokio::test]
async fn replay_gets_the_stored_receipt_another_decision_is_409() {
    scenarios::replay_gets_the_stored_receipt_another_decision_is_409(
        &Harness::new(&Backend::Sqlite).await,
    )
    .await;
}

#[tokio::test]
async fn bad_input_is_refused_and_nothing_stored() {
    scenarios::bad_input_is_refused_and_nothing_stored(&Harness::new(&Backend::Sqlite).await).await;
}

#[tokio::test]
async fn sql_metacharacters_in_every_field() {
    scenarios::sql_metacharacters_in_every_field(&Harness::new(&Backend::Sqlite).await).await;
}

#[tokio::test]
async fn s04_sec_gpc_header_counts_as_gpc() {
    scenarios::s04_sec_gpc_header_counts_as_gpc(&Harness::new(&Backend::Sqlite).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_receipts_are_all_stored() {
    scenarios::concurrent_receipts_are_all_stored(&Harness::new(&Backend::Sqlite).await).await;
}

#[tokio::test]
async fn admin_api() {
    scenarios::admin_api(&Harness::new(&Backend::Sqlite).await).await;
}

/// A client that never finishes its body gets 408 instead of holding a handler forever.
#[tokio::test]
async fn slow_body_is_408() {
    use axum::body::Body;
    use axum::http::{header, Request, StatusCode};
    let h = Harness::new(&Backend::Sqlite).await;
    let never = futures_util::stream::pending::<Result<Vec<u8>, std::io::Error>>();
    let r = h
        .send(
            Request::post("/akkoord/receipts")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from_stream(never))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(r.json()["error"], "body: not received within 10 s");
    assert_eq!(h.count().await, 0);
}
