//! The server-set consent cookie (Safari ITP) and what is kept about the visitor.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};

use common::{receipt, Backend, Harness, Options};

fn now_s() -> i64 {
    akkoord_server::timestamp::now_ms() / 1000
}

async fn post_cookie(h: &Harness, cookie: Option<&str>, https: bool) -> common::Reply {
    let mut req = Request::post("/akkoord/cookie");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    if https {
        req = req.header("X-Forwarded-Proto", "https");
    }
    h.send(req.body(Body::empty()).unwrap()).await
}

/// C-24: the re-issued cookie keeps its value and ends when it would have ended anyway.
#[tokio::test]
async fn c24_cookie_is_reissued_with_its_remaining_lifetime() {
    let h = Harness::new(&Backend::Sqlite).await;
    let decided = now_s() - 86_400;
    let value = format!("1.3.{decided}.c.k3j4h5g6a1b2c3d4.analytics.marketing+functional");
    let r = post_cookie(&h, Some(&format!("other=1; akkoord={value}")), true).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let set = r.header(header::SET_COOKIE);
    assert!(
        set.starts_with(&format!("akkoord={value}; Max-Age=")),
        "{set}"
    );
    let max_age: i64 = set
        .split("Max-Age=")
        .nth(1)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (181 * 86_400 - 5..=181 * 86_400).contains(&max_age),
        "{max_age}"
    );
    assert!(set.contains("; Path=/; SameSite=Lax"));
    assert!(set.contains("; Domain=voorbeeld.nl"));
    assert!(set.ends_with("; Secure"));
    assert!(
        !set.contains("HttpOnly"),
        "the banner must be able to read it"
    );

    let r = post_cookie(&h, Some(&format!("akkoord={value}")), false).await;
    assert!(!r.header(header::SET_COOKIE).contains("Secure"));
}

/// Only a well-formed format-1 cookie for this site's purposes is echoed.
#[tokio::test]
async fn invalid_or_missing_cookie_is_not_echoed() {
    let h = Harness::new(&Backend::Sqlite).await;
    let now = now_s();
    for (cookie, message) in [
        (None, "cookie: no akkoord cookie"),
        (Some("akkoord=hello".to_string()), "cookie: not in format 1"),
        (
            Some(format!("akkoord=1.3.{now}.c.k3j4h5g6a1b2c3d4.tracking.")),
            "cookie.granted: ",
        ),
        (
            Some(format!(
                "akkoord=1.3.{now}.c.k3j4h5g6a1b2c3d4.analytics.%3B%20Domain%3Devil"
            )),
            "cookie.denied: ",
        ),
        (
            Some("akkoord=1.3.1000.c.k3j4h5g6a1b2c3d4..".to_string()),
            "cookie: expired",
        ),
    ] {
        let r = post_cookie(&h, cookie.as_deref(), false).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{cookie:?}");
        assert_eq!(r.header(header::SET_COOKIE), "");
        let error = r.json()["error"].as_str().unwrap().to_string();
        assert!(error.starts_with(message), "{error}");
    }
}

/// The receipt response re-issues the cookie of the same decision, and only that one.
#[tokio::test]
async fn receipt_response_reissues_the_matching_cookie() {
    let h = Harness::new(&Backend::Sqlite).await;
    let cookie = format!(
        "akkoord=1.3.{}.a.k3j4h5g6a1b2c3d4.analytics+marketing.",
        now_s()
    );
    let post = |id: &str| {
        Request::post("/akkoord/receipts")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, &cookie)
            .body(Body::from(receipt(id).to_string()))
            .unwrap()
    };
    let r = h.send(post("k3j4h5g6a1b2c3d4")).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert!(r.header(header::SET_COOKIE).starts_with("akkoord=1.3."));
    let r = h.send(post("zzzzzzzzzzzzzzzz")).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.header(header::SET_COOKIE), "");
}

/// C-23: no IP address or user agent unless the operator turns it on.
#[tokio::test]
async fn c23_client_details_only_when_turned_on() {
    for on in [false, true] {
        let h = Harness::with(
            &Backend::Sqlite,
            Options {
                store_client_info: on,
                ..Options::default()
            },
        )
        .await;
        let r = h
            .send(
                Request::post("/akkoord/receipts")
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::USER_AGENT, "Mozilla/5.0 test")
                    .body(Body::from(receipt("k3j4h5g6a1b2c3d4").to_string()))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let stored = h
            .state
            .store
            .by_consent_id("k3j4h5g6a1b2c3d4")
            .await
            .unwrap();
        let payload = &stored[0].payload;
        assert_eq!(payload.contains("127.0.0.1"), on, "{payload}");
        assert_eq!(payload.contains("Mozilla/5.0 test"), on, "{payload}");
    }
}

/// Without a configured token the admin API is closed to everyone.
#[tokio::test]
async fn admin_without_token_configured_is_closed() {
    let h = Harness::with(
        &Backend::Sqlite,
        Options {
            admin_token: None,
            ..Options::default()
        },
    )
    .await;
    for auth in ["", "Bearer ", "Bearer x"] {
        let mut req = Request::get("/akkoord/admin/objections");
        if !auth.is_empty() {
            req = req.header(header::AUTHORIZATION, auth);
        }
        let r = h.send(req.body(Body::empty()).unwrap()).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.header(header::WWW_AUTHENTICATE).starts_with("Bearer"));
    }
}

/// The receipts path is configurable; the key moves with it.
#[tokio::test]
async fn receipts_path_is_configurable() {
    let h = Harness::with(
        &Backend::Sqlite,
        Options {
            receipts_path: "/api/consent",
            ..Options::default()
        },
    )
    .await;
    let post = |path: &str| {
        Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(receipt("k3j4h5g6a1b2c3d4").to_string()))
            .unwrap()
    };
    let r = h.send(post("/api/consent")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = h
        .send(
            Request::get("/api/consent/key")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.json()["algorithm"], "Ed25519");
    // The old path is just a (missing) static file now.
    let r = h.send(post("/akkoord/receipts")).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(h.count().await, 1);
}
