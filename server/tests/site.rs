//! Static serving: the demo at `/`, the banner build at `/akkoord/`.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use common::{write, Backend, Harness};

struct Fixture {
    _h: Harness,
    router: axum::Router,
}

async fn fixture() -> Fixture {
    let h = Harness::new(&Backend::Sqlite).await;
    let site = h.dir.path().join("site");
    let assets = h.dir.path().join("dist");
    write(&site.join("index.html"), b"<h1>demo</h1>");
    write(&site.join("shop/index.html"), b"<h1>shop</h1>");
    write(
        &site.join("banner.html"),
        b"<script src=\"/akkoord/akkoord.js\" data-config=\"/akkoord.json\"></script><h1>banner</h1>",
    );
    write(&site.join("banner.html.br"), b"BROTLI-HTML");
    write(
        &site.join("akkoord.json"),
        b"{\"purposes\":[\"analytics\"]}",
    );
    write(&assets.join("akkoord.js"), b"/*js*/");
    write(&assets.join("akkoord.js.br"), b"BROTLI");
    write(&assets.join("akkoord.js.gz"), b"GZIP");
    write(&assets.join("akkoord.wasm"), b"\0asm\x01\0\0\0");
    write(&assets.join("akkoord.css"), b"a{}");
    write(&assets.join("akkoord.d.ts"), b"export {};");
    write(&h.dir.path().join("secret.txt"), b"secret");
    write(&site.join(".env"), b"SECRET=1");
    Fixture {
        router: h.router.clone(),
        _h: h,
    }
}

async fn get(f: &Fixture, path: &str, accept_encoding: Option<&str>) -> axum::response::Response {
    let mut req = Request::get(path);
    if let Some(ae) = accept_encoding {
        req = req.header(header::ACCEPT_ENCODING, ae);
    }
    f.router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

fn h(r: &axum::response::Response, name: header::HeaderName) -> &str {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

async fn body(r: axum::response::Response) -> Vec<u8> {
    r.into_body().collect().await.unwrap().to_bytes().to_vec()
}

#[tokio::test]
async fn index_html_for_directories_and_no_cache() {
    let f = fixture().await;
    let r = get(&f, "/", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(h(&r, header::CONTENT_TYPE), "text/html; charset=utf-8");
    assert_eq!(h(&r, header::CACHE_CONTROL), "no-cache");
    assert_eq!(body(r).await, b"<h1>demo</h1>");

    let r = get(&f, "/shop", None).await;
    assert_eq!(r.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(h(&r, header::LOCATION), "/shop/");
    let r = get(&f, "/shop/", None).await;
    assert_eq!(body(r).await, b"<h1>shop</h1>");
}

#[tokio::test]
async fn banner_build_has_the_right_mime_types() {
    let f = fixture().await;
    for (path, mime) in [
        ("/akkoord/akkoord.wasm", "application/wasm"),
        ("/akkoord/akkoord.js", "text/javascript; charset=utf-8"),
        ("/akkoord/akkoord.css", "text/css; charset=utf-8"),
        ("/akkoord.json", "application/json"),
    ] {
        let r = get(&f, path, None).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(h(&r, header::CONTENT_TYPE), mime, "{path}");
        assert_eq!(h(&r, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    }
}

#[tokio::test]
async fn precompressed_siblings_follow_accept_encoding() {
    let f = fixture().await;
    let r = get(&f, "/akkoord/akkoord.js", Some("gzip, deflate, br")).await;
    assert_eq!(h(&r, header::CONTENT_ENCODING), "br");
    assert_eq!(h(&r, header::VARY), "Accept-Encoding");
    assert_eq!(
        h(&r, header::CONTENT_TYPE),
        "text/javascript; charset=utf-8"
    );
    assert_eq!(body(r).await, b"BROTLI");

    let r = get(&f, "/akkoord/akkoord.js", Some("gzip, br;q=0")).await;
    assert_eq!(h(&r, header::CONTENT_ENCODING), "gzip");
    assert_eq!(body(r).await, b"GZIP");

    let r = get(&f, "/akkoord/akkoord.js", None).await;
    assert_eq!(h(&r, header::CONTENT_ENCODING), "");
    assert_eq!(h(&r, header::VARY), "Accept-Encoding");
    assert_eq!(body(r).await, b"/*js*/");

    // No sibling: the plain file, whatever the client accepts.
    let r = get(&f, "/akkoord/akkoord.css", Some("br")).await;
    assert_eq!(h(&r, header::CONTENT_ENCODING), "");
    assert_eq!(body(r).await, b"a{}");
}

#[tokio::test]
async fn etag_revalidation_gives_304() {
    let f = fixture().await;
    let r = get(&f, "/akkoord/akkoord.wasm", None).await;
    let etag = h(&r, header::ETAG).to_string();
    assert!(!etag.is_empty());
    let r = f
        .router
        .clone()
        .oneshot(
            Request::get("/akkoord/akkoord.wasm")
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn missing_files_and_traversal_are_404() {
    let f = fixture().await;
    for path in [
        "/nope.html",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/akkoord/..%2f..%2fsecret.txt",
        "/akkoord/%2e%2e/site/index.html",
        "/.env",
        "/akkoord/missing.js",
    ] {
        let r = get(&f, path, None).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(!String::from_utf8(body(r).await).unwrap().contains("secret"));
    }
}

#[tokio::test]
async fn only_get_and_head() {
    let f = fixture().await;
    let r = f
        .router
        .clone()
        .oneshot(Request::delete("/index.html").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    let r = f
        .router
        .clone()
        .oneshot(Request::head("/index.html").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

/// S-03: the GPC support resource.
#[tokio::test]
async fn s03_well_known_gpc_json() {
    let f = fixture().await;
    let r = get(&f, "/.well-known/gpc.json", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(h(&r, header::CONTENT_TYPE), "application/json");
    let v: serde_json::Value = serde_json::from_slice(&body(r).await).unwrap();
    assert_eq!(v["gpc"], true);
    assert_eq!(v["lastUpdate"], "2026-11-23");
}

#[tokio::test]
async fn a_page_with_the_banner_preloads_the_wasm_and_its_config() {
    let f = fixture().await;
    // Served brotli: the header still comes from the page's own text.
    let r = get(&f, "/banner.html", Some("br")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(h(&r, header::CONTENT_ENCODING), "br");
    assert_eq!(
        h(&r, header::LINK),
        "</akkoord/akkoord.wasm>; rel=preload; as=fetch; crossorigin, \
         </akkoord.json>; rel=preload; as=fetch; crossorigin"
    );
    // No banner on the page, no preload; nor on anything that is not a page.
    assert_eq!(h(&get(&f, "/", None).await, header::LINK), "");
    assert_eq!(
        h(&get(&f, "/akkoord/akkoord.js", None).await, header::LINK),
        ""
    );
}

/// The banner in the page's HTML for a visitor who has to be asked (server/src/prerender.rs).
#[tokio::test]
async fn a_first_visit_gets_the_banner_in_the_html_a_decided_one_does_not() {
    let f = fixture().await;
    let site = f._h.dir.path().join("site");
    write(
        &site.join("shop.html"),
        b"<html lang=\"en\"><script src=\"/akkoord/akkoord.js\" data-config=\"/shop.json\"></script><body><h1>shop</h1></body></html>",
    );
    write(&site.join("shop.html.br"), b"BROTLI-HTML");
    write(
        &site.join("shop.json"),
        br#"{ "revision": 3, "controller": "Shop B.V.", "purposes": ["necessary", "marketing"], "services": [] }"#,
    );
    let r = get(&f, "/shop.html", Some("gzip, br")).await;
    assert_eq!(r.status(), StatusCode::OK);
    // The body depends on the visitor: not the precompressed file but compressed for this
    // response, no ETag, Vary says why.
    assert_eq!(h(&r, header::CONTENT_ENCODING), "br");
    assert_eq!(h(&r, header::ETAG), "");
    assert!(h(&r, header::VARY).contains("Cookie"));
    assert!(h(&r, header::VARY).contains("Accept-Encoding"));
    assert!(h(&r, header::LINK).contains("</shop.json>; rel=preload"));
    let mut page = Vec::new();
    brotli::BrotliDecompress(&mut body(r).await.as_slice(), &mut page).unwrap();
    let page = String::from_utf8(page).unwrap();
    // gzip for a browser without brotli, the page as it is for one without either.
    let gzipped = body(get(&f, "/shop.html", Some("gzip")).await).await;
    let mut plain = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(gzipped.as_slice()),
        &mut plain,
    )
    .unwrap();
    assert_eq!(plain, page);
    let r = get(&f, "/shop.html", None).await;
    assert_eq!(h(&r, header::CONTENT_ENCODING), "");
    assert_eq!(String::from_utf8(body(r).await).unwrap(), page);
    assert!(page.starts_with("<html lang=\"en\"><script src=\"/akkoord/akkoord.js\" data-config=\"/shop.json\"></script><body><div id=\"akkoord\" data-akkoord-markup=\""), "{page}");
    assert!(
        page.contains("<style>a{}:host{visibility:hidden}</style>") && page.contains("Shop B.V.")
    );
    assert!(page.ends_with("<h1>shop</h1></body></html>"));

    // A valid choice for this revision: the file as it is (precompressed, cacheable), but
    // still varying on the cookie.
    let decided = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - 60;
    let cookie = format!("x=1; akkoord=1.3.{decided}.r.0123456789abcdef..marketing");
    let r = f
        .router
        .clone()
        .oneshot(
            Request::get("/shop.html")
                .header(header::ACCEPT_ENCODING, "br")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(h(&r, header::CONTENT_ENCODING), "br");
    assert!(h(&r, header::VARY).contains("Cookie"));
    assert_eq!(body(r).await, b"BROTLI-HTML");

    // A page without the banner does not vary by visitor.
    let r = get(&f, "/", None).await;
    assert_eq!(h(&r, header::VARY), "Accept-Encoding");

    // A config the model refuses: the file as it is; the module reports the error.
    let r = get(&f, "/banner.html", None).await;
    assert!(!String::from_utf8(body(r).await)
        .unwrap()
        .contains("data-akkoord-markup"));
}

/// A returning visitor's granted vendor scripts are preloaded with the page
/// (server/src/vendor_preload.rs); nobody else's are (C-01, P-01, C-22).
#[tokio::test]
async fn a_stored_grant_preloads_the_vendor_scripts_it_will_run_and_nothing_else_does() {
    let f = fixture().await;
    let site = f._h.dir.path().join("site");
    let loader = "<script src=\"/akkoord/akkoord.js\" data-config=\"/pixel.json\"";
    write(
        &site.join("pixel.html"),
        [loader, "></script><body><h1>pixel</h1></body>"]
            .concat()
            .as_bytes(),
    );
    write(
        &site.join("nonce.html"),
        [
            loader,
            " nonce=\"r4nd0m\"></script><body><h1>pixel</h1></body>",
        ]
        .concat()
        .as_bytes(),
    );
    write(
        &site.join("strict.html"),
        [
            "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'sha256-x' 'strict-dynamic'\">",
            loader,
            "></script><body><h1>pixel</h1></body>",
        ]
        .concat()
        .as_bytes(),
    );
    write(
        &site.join("pixel.json"),
        br#"{ "revision": 3, "controller": "Shop B.V.", "purposes": ["necessary", "analytics", "marketing"],
              "services": [{ "id": "meta", "template": "meta-pixel", "purpose": "marketing", "pixelId": "1234567890" }] }"#,
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let link = |path: &'static str, cookie: String| {
        let router = f.router.clone();
        async move {
            let r = router
                .oneshot(
                    Request::get(path)
                        .header(header::COOKIE, cookie)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            h(&r, header::LINK).to_string()
        }
    };
    let meta = "<https://connect.facebook.net/en_US/fbevents.js>; rel=preload; as=script";
    let granted = format!(
        "akkoord=1.3.{}.a.0123456789abcdef.analytics+marketing.",
        now - 60
    );
    assert_eq!(
        link("/pixel.html", granted.clone()).await,
        [
            "</akkoord/akkoord-full.js>; rel=preload; as=script, \
             </akkoord/akkoord-full.wasm>; rel=preload; as=fetch; crossorigin, \
             </pixel.json>; rel=preload; as=fetch; crossorigin, ",
            meta
        ]
        .concat()
    );
    for (cookie, why) in [
        (String::new(), "a first visit"),
        (
            format!(
                "akkoord=1.3.{}.r.0123456789abcdef.analytics.marketing",
                now - 60
            ),
            "marketing refused",
        ),
        (
            format!(
                "akkoord=1.2.{}.a.0123456789abcdef.analytics+marketing.",
                now - 60
            ),
            "an outdated revision",
        ),
    ] {
        let l = link("/pixel.html", cookie).await;
        assert!(
            l.contains("/pixel.json>"),
            "{why}: still the banner's preloads"
        );
        assert!(!l.contains("facebook"), "{why}: no vendor in {l}");
    }
    // A config the model refuses decides nothing: the module preloads, no vendor.
    write(
        &site.join("broken.html"),
        b"<script src=\"/akkoord/akkoord.js\" data-config=\"/broken.json\"></script><body></body>",
    );
    write(&site.join("broken.json"), b"{");
    let l = link("/broken.html", granted.clone()).await;
    assert!(
        l.contains("akkoord-full.wasm") && !l.contains("facebook"),
        "{l}"
    );
    // A nonce-based CSP, or one with 'strict-dynamic', would refuse the preload.
    for page in ["/nonce.html", "/strict.html"] {
        let l = link(page, granted.clone()).await;
        assert!(
            l.contains("akkoord-full.wasm") && !l.contains("facebook"),
            "{page}: {l}"
        );
    }
}
