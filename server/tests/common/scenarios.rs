//! Behaviour every store must show; run against SQLite and PostgreSQL alike.

use akkoord_server::receipts::canonical_json;
use akkoord_server::signing::verify;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::{json, Value};

use super::{receipt, Harness, ADMIN_TOKEN};

async fn public_key(h: &Harness) -> String {
    let r = h
        .send(
            Request::get("/akkoord/receipts/key")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["algorithm"], "Ed25519");
    v["publicKey"].as_str().unwrap().to_string()
}

/// C-23: a receipt is stored with everything the rule lists, signed, and anyone with the
/// public key can verify the copy the visitor got and the copy the admin exports.
pub async fn c23_receipt_is_stored_signed_and_verifiable(h: &Harness) {
    let r = h
        .post_receipt(receipt("k3j4h5g6a1b2c3d4").to_string())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.header(header::CACHE_CONTROL), "no-store");
    let v = r.json();
    let receipt_id = v["receiptId"].as_str().unwrap();
    assert_eq!(receipt_id.len(), 26);
    assert!(v["receivedAt"].as_str().unwrap().ends_with('Z'));
    let doc = &v["receipt"];
    assert_eq!(doc["consentId"], "k3j4h5g6a1b2c3d4");
    assert_eq!(doc["decidedAt"], "2026-11-23T18:42:19.000Z");
    assert_eq!(doc["revision"], 3);
    assert_eq!(
        doc["purposes"],
        json!({"necessary": true, "analytics": false, "marketing": true})
    );
    assert_eq!(doc["method"], "accept-all");
    assert_eq!(doc["gpc"], false);
    assert_eq!(doc["language"], "nl");
    assert_eq!(doc["url"], "https://voorbeeld.nl/pagina");
    // No IP address or user agent unless the operator turned it on.
    assert!(doc.get("ip").is_none() && doc.get("userAgent").is_none());

    let key = public_key(h).await;
    let signature = v["signature"].as_str().unwrap();
    assert!(verify(&key, canonical_json(doc).as_bytes(), signature));
    let mut forged = doc.clone();
    forged["purposes"]["marketing"] = json!(false);
    assert!(!verify(&key, canonical_json(&forged).as_bytes(), signature));

    let r = h
        .admin_get("/akkoord/admin/receipts?consentId=k3j4h5g6a1b2c3d4")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let list = r.json()["receipts"].as_array().unwrap().clone();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["receipt"], *doc);
    assert!(verify(
        &key,
        canonical_json(&list[0]["receipt"]).as_bytes(),
        list[0]["signature"].as_str().unwrap()
    ));
    // The stored payload is exactly the signed bytes.
    let stored = h
        .state
        .store
        .by_consent_id("k3j4h5g6a1b2c3d4")
        .await
        .unwrap();
    assert!(verify(
        &key,
        stored[0].payload.as_bytes(),
        &stored[0].signature
    ));
    assert_eq!(stored[0].payload, canonical_json(doc));
}

/// The same consent id with the same decision time is a replay: 409, nothing new stored. A new
/// decision (new time) under the same id is a new receipt.
pub async fn replay_gets_the_stored_receipt_another_decision_is_409(h: &Harness) {
    let body = receipt("aaaabbbbccccdddd").to_string();
    let first = h.post_receipt(body.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    // A retry whose answer was lost: the receipt already stored, byte for byte, not a new one.
    let again = h.post_receipt(body).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(
        again.json(),
        first.json(),
        "the stored receipt, same id and signature"
    );
    assert_eq!(h.count().await, 1);
    // Same consent id and time, another decision: that is a conflict, and nothing is stored.
    let mut other = receipt("aaaabbbbccccdddd");
    other["purposes"]["marketing"] = json!(false);
    let r = h.post_receipt(other.to_string()).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .starts_with("consentId: "));
    assert_eq!(h.count().await, 1);
    let mut later = receipt("aaaabbbbccccdddd");
    later["decidedAt"] = json!("2026-11-23T18:50:00Z");
    assert_eq!(
        h.post_receipt(later.to_string()).await.status,
        StatusCode::CREATED
    );
    assert_eq!(h.count().await, 2);
}

fn with(field: &str, value: Value) -> String {
    let mut v = receipt("k3j4h5g6a1b2c3d4");
    v[field] = value;
    v.to_string()
}

/// Malformed JSON, wrong types, oversized bodies, unknown purposes, wrong content types:
/// 4xx with a message naming the field, nothing stored, and the server keeps serving.
pub async fn bad_input_is_refused_and_nothing_stored(h: &Harness) {
    let big = format!(
        "{{\"consentId\":\"k3j4h5g6a1b2c3d4\",\"pad\":\"{}\"}}",
        "x".repeat(9000)
    );
    let cases: Vec<(String, u16, &str)> = vec![
        ("{".into(), 400, "body: not valid JSON"),
        ("".into(), 400, "body: not valid JSON"),
        ("[1,2]".into(), 400, "body: must be a JSON object"),
        ("null".into(), 400, "body: must be a JSON object"),
        (big, 413, "body: larger than 8192 bytes"),
        (
            with("revision", json!("3")),
            400,
            "revision: must be a number, not a string",
        ),
        (
            with("revision", json!(1.5)),
            400,
            "revision: must be a whole number",
        ),
        (
            with("gpc", json!("false")),
            400,
            "gpc: must be true or false, not a string",
        ),
        (
            with("purposes", json!(["analytics"])),
            400,
            "purposes: must be an object",
        ),
        (with("purposes", json!({})), 400, "purposes: is empty"),
        (
            with("purposes", json!({"necessary": true, "marketng": true})),
            400,
            "purposes.marketng: unknown purpose",
        ),
        (
            with("purposes", json!({"analytics": "yes"})),
            400,
            "purposes.analytics: must be true or false, not a string",
        ),
        (
            with("purposes", json!({"necessary": false})),
            400,
            "purposes.necessary: strictly necessary cannot be refused",
        ),
        (
            with("consentId", json!(12)),
            400,
            "consentId: must be a string, not a number",
        ),
        (
            with("consentId", json!("short")),
            400,
            "consentId: must be 16 characters",
        ),
        (
            with("decidedAt", json!("yesterday")),
            400,
            "decidedAt: must be an RFC 3339",
        ),
        (
            with("method", json!("forced")),
            400,
            "method: must be one of",
        ),
        (
            with("language", json!("")),
            400,
            "language: must be a language tag",
        ),
        (
            with("textsHash", json!("ABC")),
            400,
            "textsHash: must be 64 lowercase hex",
        ),
        (
            with("url", json!("https://x.nl/p?email=a@b.nl")),
            400,
            "url: must not contain a query",
        ),
        (
            with("url", json!("https://x.nl/p#top")),
            400,
            "url: must not contain a query",
        ),
        (
            with("url", json!(format!("https://x.nl/{}", "a".repeat(3000)))),
            400,
            "url: longer than",
        ),
        (with("extra", json!(1)), 400, "extra: unknown field"),
        (with("ip", json!("10.0.0.1")), 400, "ip: unknown field"),
    ];
    for (body, status, message) in cases {
        let r = h.post_receipt(body.clone()).await;
        assert_eq!(r.status.as_u16(), status, "{message}: {}", r.text());
        let error = r.json()["error"].as_str().unwrap().to_string();
        assert!(
            error.starts_with(message),
            "expected {message:?}, got {error:?}"
        );
    }
    let mut missing = receipt("k3j4h5g6a1b2c3d4");
    missing.as_object_mut().unwrap().remove("textsHash");
    let r = h.post_receipt(missing.to_string()).await;
    assert_eq!(r.json()["error"], "textsHash: missing");

    // JSON only: a form post or text/plain beacon is refused before the body is read.
    for content_type in ["text/plain", "application/x-www-form-urlencoded", ""] {
        let mut req = Request::post("/akkoord/receipts");
        if !content_type.is_empty() {
            req = req.header(header::CONTENT_TYPE, content_type);
        }
        let r = h
            .send(
                req.body(Body::from(receipt("k3j4h5g6a1b2c3d4").to_string()))
                    .unwrap(),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}"
        );
    }
    // A declared length over the limit is refused without reading the body.
    let r = h
        .send(
            Request::post("/akkoord/receipts")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::CONTENT_LENGTH, "100000")
                .body(Body::from(vec![b' '; 100_000]))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);

    assert_eq!(h.count().await, 0, "a refused receipt was stored");
    let r = h
        .post_receipt(receipt("k3j4h5g6a1b2c3d4").to_string())
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "server stopped serving: {}",
        r.text()
    );
}

/// SQL metacharacters in every field are refused by validation, and the parameterised
/// queries would store them verbatim anyway; the tables survive.
pub async fn sql_metacharacters_in_every_field(h: &Harness) {
    let nasty = [
        "'; DROP TABLE receipts; --",
        "\" OR 1=1 --",
        "k3j4h5g6a1b2c3'd",
        "1); DELETE FROM receipts; --",
        "$1",
        "\\x00",
    ];
    for field in [
        "consentId",
        "decidedAt",
        "revision",
        "method",
        "gpc",
        "language",
        "textsHash",
        "url",
        "purposes",
    ] {
        for s in nasty {
            let value = if field == "purposes" {
                json!({ s: true })
            } else {
                json!(s)
            };
            let r = h.post_receipt(with(field, value)).await;
            assert!(
                r.status.is_client_error(),
                "{field}={s:?} gave {}",
                r.status
            );
            let error = r.json()["error"].as_str().unwrap().to_string();
            assert!(error.starts_with(field), "{field}: {error}");
        }
    }
    // In a URL path they are legal characters: stored verbatim, not executed.
    let url = "https://voorbeeld.nl/'%3B%20DROP%20TABLE%20receipts;--/\"or\"1\"=\"1";
    let r = h.post_receipt(with("url", json!(url))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["receipt"]["url"], url);
    let r = h
        .admin_get("/akkoord/admin/receipts?consentId=k3j4h5g6a1b2c3d4")
        .await;
    assert_eq!(r.json()["receipts"][0]["receipt"]["url"], url);
    let r = h
        .admin_get("/akkoord/admin/receipts?consentId=%27%20OR%201%3D1%20--")
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(h.count().await, 1);
}

/// S-04: `Sec-GPC: 1` is recorded like the DOM signal; other values are ignored.
pub async fn s04_sec_gpc_header_counts_as_gpc(h: &Harness) {
    for (id, header_value, expected) in [
        ("gpc0000000000001", Some("1"), true),
        ("gpc0000000000002", Some("0"), false),
        ("gpc0000000000003", None, false),
    ] {
        let mut req =
            Request::post("/akkoord/receipts").header(header::CONTENT_TYPE, "application/json");
        if let Some(v) = header_value {
            req = req.header("Sec-GPC", v);
        }
        let r = h
            .send(req.body(Body::from(receipt(id).to_string())).unwrap())
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        assert_eq!(r.json()["receipt"]["gpc"], expected, "{header_value:?}");
        assert_eq!(r.json()["receipt"]["secGpc"], expected);
    }
}

/// Many receipts at once all get their own commit answer (group commit keeps them apart).
pub async fn concurrent_receipts_are_all_stored(h: &Harness) {
    let mut tasks = Vec::new();
    for i in 0..400u64 {
        let router = h.router.clone();
        tasks.push(tokio::spawn(async move {
            let id = akkoord_server::loadgen::consent_id(i);
            let body = receipt(&id).to_string();
            // Every tenth is sent twice: one is stored, the retry gets the stored receipt.
            let copies = if i % 10 == 0 { 2 } else { 1 };
            let mut statuses = Vec::new();
            for _ in 0..copies {
                let req = Request::post("/akkoord/receipts")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body.clone()))
                    .unwrap();
                use tower::ServiceExt;
                statuses.push(router.clone().oneshot(req).await.unwrap().status());
            }
            statuses
        }));
    }
    let mut created = 0;
    let mut replays = 0;
    for t in tasks {
        for s in t.await.unwrap() {
            match s {
                StatusCode::CREATED => created += 1,
                StatusCode::OK => replays += 1,
                other => panic!("unexpected {other}"),
            }
        }
    }
    assert_eq!(created, 400);
    assert_eq!(replays, 40);
    assert_eq!(h.count().await, 400);
    // Counts per purpose per day follow the stored receipts, not the replays.
    let r = h.admin_get("/akkoord/admin/counts").await;
    let counts = r.json()["counts"].as_array().unwrap().clone();
    let marketing = counts.iter().find(|c| c["purpose"] == "marketing").unwrap();
    assert_eq!(marketing["granted"], 400);
    let analytics = counts.iter().find(|c| c["purpose"] == "analytics").unwrap();
    assert_eq!(analytics["denied"], 400);
}

/// Admin API: 401 and nothing else without the right token; lookup, export, counts and the
/// hashed objection list with it.
pub async fn admin_api(h: &Harness) {
    for i in 0..3 {
        let id = format!("admin0000000000{i}");
        assert_eq!(
            h.post_receipt(receipt(&id).to_string()).await.status,
            StatusCode::CREATED
        );
    }
    for path in [
        "/akkoord/admin/receipts?consentId=admin00000000000",
        "/akkoord/admin/export?format=csv",
        "/akkoord/admin/counts",
        "/akkoord/admin/objections",
        "/akkoord/admin/no-such-thing",
        "/akkoord/admin",
    ] {
        for auth in [
            None,
            Some("Bearer wrong"),
            Some(ADMIN_TOKEN),
            Some("Basic eDp5"),
        ] {
            let mut req = Request::get(path);
            if let Some(a) = auth {
                req = req.header(header::AUTHORIZATION, a);
            }
            let r = h.send(req.body(Body::empty()).unwrap()).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path} {auth:?}");
            assert_eq!(r.json(), json!({"error": "unauthorized"}));
            assert!(!r.text().contains("admin0000"));
        }
    }
    let r = h.admin_get("/akkoord/admin/no-such-thing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let r = h
        .admin_get("/akkoord/admin/receipts?consentId=admin00000000001")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["receipts"].as_array().unwrap().len(), 1);

    let r = h.admin_get("/akkoord/admin/export?format=json").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.header(header::CONTENT_TYPE), "application/json");
    let all = r.json();
    assert_eq!(all.as_array().unwrap().len(), 3);
    let key = public_key(h).await;
    for item in all.as_array().unwrap() {
        assert!(verify(
            &key,
            canonical_json(&item["receipt"]).as_bytes(),
            item["signature"].as_str().unwrap()
        ));
    }

    let r = h
        .admin_get("/akkoord/admin/export?format=csv&from=2000-01-01&to=2999-12-31")
        .await;
    assert_eq!(r.header(header::CONTENT_TYPE), "text/csv; charset=utf-8");
    let csv = r.text();
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(csv.starts_with("receipt_id,received_at,consent_id,"));
    assert!(csv.contains("\"marketing+necessary\",\"analytics\""));

    let r = h
        .admin_get("/akkoord/admin/export?from=2001-01-01&to=2001-01-31")
        .await;
    assert_eq!(r.json(), json!([]));
    let r = h.admin_get("/akkoord/admin/export?from=soon").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["error"].as_str().unwrap().starts_with("from: "));

    let r = h
        .admin_get("/akkoord/admin/counts?from=2000-01-01&to=2999-12-31")
        .await;
    let counts = r.json()["counts"].as_array().unwrap().clone();
    assert!(counts
        .iter()
        .any(|c| c["purpose"] == "marketing" && c["granted"] == 3 && c["denied"] == 0));

    // The objection list holds hashes only.
    let hash = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b";
    let post = |body: Value| {
        Request::post("/akkoord/admin/objections")
            .header(header::AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let r = h
        .send(post(
            json!({"kind": "email", "hashes": [hash, hash.to_uppercase()]}),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["added"], 1);
    let r = h.send(post(json!({"hashes": ["jan@voorbeeld.nl"]}))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .starts_with("hashes[0]: "));
    let r = h.admin_get("/akkoord/admin/objections").await;
    let list = r.json()["objections"].as_array().unwrap().clone();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["hash"], hash);
    assert_eq!(list[0]["kind"], "email");
}
