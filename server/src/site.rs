//! Static files: the site at `/`, the banner build at `/akkoord/`.
//!
//! Written by hand instead of pulling in tower-http: the rules we need (MIME types that make
//! `WebAssembly.instantiateStreaming` work, precompressed siblings, `no-cache`, no traversal)
//! fit in one page, and the compile cost of another HTTP stack does not pay for itself.

use std::path::{Component, Path, PathBuf};
use std::time::UNIX_EPOCH;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};

use akkoord::config::Config;

use crate::error::Error;

/// Where the banner build is mounted.
pub const ASSETS_PREFIX: &str = "/akkoord/";

/// The two roots the static handler serves from.
#[derive(Debug, Clone)]
pub struct Roots {
    pub site: PathBuf,
    pub assets: PathBuf,
    /// Put the banner into pages for visitors who have to be asked (`crate::prerender`).
    pub prerender: bool,
}

/// Content type by file extension. Unknown types are served as bytes, never sniffed.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json" | "map") => "application/json",
        Some("css") => "text/css; charset=utf-8",
        Some("ts") => "text/plain; charset=utf-8",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("xml") => "application/xml",
        Some("pdf") => "application/pdf",
        Some("csv") => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Encodings the client accepts, by the rules of RFC 9110 §12.5.3 (`q=0` means "not this").
fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    let Some(value) = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mut star: Option<bool> = None;
    for item in value.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let mut q_zero = false;
        for param in parts {
            let param = param.trim();
            if let Some(q) = param
                .strip_prefix("q=")
                .or_else(|| param.strip_prefix("Q="))
            {
                q_zero = q.trim().parse::<f32>().map(|q| q <= 0.0).unwrap_or(true);
            }
        }
        if name.eq_ignore_ascii_case(coding) {
            return !q_zero;
        }
        if name == "*" {
            star = Some(!q_zero);
        }
    }
    star.unwrap_or(false)
}

/// Decode `%XX` escapes; anything that is not valid UTF-8 afterwards is refused.
fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Map a URL path below a root to a relative file path, or refuse it.
///
/// Refused: `..` and `.` segments, backslashes, NUL, and dot-files other than `.well-known`
/// (a database or signing key left in the site directory must never be served).
pub fn relative_path(url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let mut rel = PathBuf::new();
    for segment in decoded.split('/') {
        if segment.is_empty() {
            continue;
        }
        if segment == "."
            || segment == ".."
            || segment.contains('\\')
            || segment.contains('\0')
            || (segment.starts_with('.') && segment != ".well-known")
        {
            return None;
        }
        rel.push(segment);
    }
    // Belt and braces: whatever the platform thinks a component is, only plain names pass.
    if rel.components().all(|c| matches!(c, Component::Normal(_))) {
        Some(rel)
    } else {
        None
    }
}

/// The static handler: every GET/HEAD that no API route took.
pub async fn serve(
    roots: &Roots,
    method: &Method,
    uri_path: &str,
    headers: &HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = Error::MethodNotAllowed.into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let (root, rest) = match uri_path.strip_prefix(ASSETS_PREFIX) {
        Some(rest) => (&roots.assets, rest),
        None => (&roots.site, uri_path.trim_start_matches('/')),
    };
    let Some(rel) = relative_path(rest) else {
        return Error::NotFound.into_response();
    };
    let mut file = root.join(&rel);
    match tokio::fs::metadata(&file).await {
        Ok(meta) if meta.is_dir() => {
            // A directory without the trailing slash would break relative links in its index.
            if !uri_path.ends_with('/') {
                let location = format!("{uri_path}/");
                return match HeaderValue::from_str(&location) {
                    Ok(location) => (
                        StatusCode::PERMANENT_REDIRECT,
                        [(header::LOCATION, location)],
                    )
                        .into_response(),
                    Err(_) => Error::NotFound.into_response(),
                };
            }
            file.push("index.html");
        }
        Ok(_) => {}
        Err(_) => return Error::NotFound.into_response(),
    }
    if !inside_root(root, &file).await {
        return Error::NotFound.into_response();
    }
    if content_type(&file).starts_with("text/html") {
        // The page as written, and its banner config, read once for the banner and the
        // `Link` header.
        let page = tokio::fs::read(&file).await.ok();
        let text = page.as_deref().and_then(|b| std::str::from_utf8(b).ok());
        // The config decides the banner (prerender) and a returning visitor's vendor preloads;
        // a page view that needs neither does not read it.
        let cookies = header_text(headers, header::COOKIE);
        let config = match text {
            Some(html) if roots.prerender || stored_grant(cookies) => {
                page_config(roots, html).await
            }
            _ => None,
        };
        // Parsed once, for both. A config the model refuses counts as none: the module
        // reports it, and nothing is decided from it here.
        let config = config.and_then(|text| Config::from_json(&text).ok());
        if roots.prerender {
            if let Some(response) = prerendered(roots, text, config.as_ref(), headers).await {
                return response;
            }
        }
        let mut response = send_file(&file, headers, page.as_deref(), config.as_ref()).await;
        // A page that loads the banner (it got the `Link` preloads) gets the banner in its
        // body for another visitor.
        if roots.prerender && response.headers().contains_key(header::LINK) {
            response
                .headers_mut()
                .insert(header::VARY, HeaderValue::from_static(PRERENDER_VARY));
        }
        return response;
    }
    send_file(&file, headers, None, None).await
}

/// The banner config of a page that loads the banner: the file its loader's `data-config`
/// names under the site root, or its inline config.
async fn page_config(roots: &Roots, html: &str) -> Option<String> {
    match crate::prerender::config_path(html) {
        Some(path) => {
            let rel = relative_path(path.split(['?', '#']).next().unwrap_or(path))?;
            tokio::fs::read_to_string(roots.site.join(rel)).await.ok()
        }
        None => crate::prerender::inline_config(html).map(str::to_string),
    }
}

/// What a page's body depends on when the server may put the banner into it.
const PRERENDER_VARY: &str = "Accept-Encoding, Cookie, Sec-GPC, Accept-Language";

/// Symlinks may point anywhere; only files that really live under the root are served.
async fn inside_root(root: &Path, file: &Path) -> bool {
    let (Ok(root), Ok(file)) = (
        tokio::fs::canonicalize(root).await,
        tokio::fs::canonicalize(file).await,
    ) else {
        return false;
    };
    file.starts_with(root)
}

/// `page`: the HTML file's own bytes when the caller has read them already; `config`: its
/// banner config, if it has a valid one.
async fn send_file(
    file: &Path,
    request: &HeaderMap,
    page: Option<&[u8]>,
    config: Option<&Config>,
) -> Response {
    let content_type = content_type(file);
    // Brotli first: smaller, and every browser that sends `br` decodes it.
    let mut chosen: Option<(PathBuf, &'static str)> = None;
    for (coding, suffix) in [("br", "br"), ("gzip", "gz")] {
        if !accepts(request, coding) {
            continue;
        }
        let mut sibling = file.as_os_str().to_owned();
        sibling.push(".");
        sibling.push(suffix);
        let sibling = PathBuf::from(sibling);
        if tokio::fs::metadata(&sibling)
            .await
            .map(|m| m.is_file())
            .unwrap_or(false)
        {
            chosen = Some((sibling, coding));
            break;
        }
    }
    let (path, encoding) = match chosen {
        Some((path, coding)) => (path, Some(coding)),
        None => (file.to_path_buf(), None),
    };
    let meta = match tokio::fs::metadata(&path).await {
        Ok(meta) if meta.is_file() => meta,
        _ => return Error::NotFound.into_response(),
    };
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let etag = format!("\"{:x}-{:x}{}\"", meta.len(), mtime, encoding.unwrap_or(""));

    let mut response = if request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        match tokio::fs::read(&path).await {
            Ok(bytes) => Response::new(Body::from(bytes)),
            Err(_) => return Error::NotFound.into_response(),
        }
    };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // `no-cache` = "revalidate every time": a new banner build or config is picked up at once,
    // and the ETag keeps that revalidation cheap.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, etag);
    }
    if let Some(coding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    if content_type.starts_with("text/html") {
        // The page itself, uncompressed, to see whether it loads the banner and from where.
        let read;
        let html = match page {
            Some(bytes) => Some(bytes),
            None => {
                read = tokio::fs::read(file).await.ok();
                read.as_deref()
            }
        };
        if let Some(html) = html {
            insert_link(
                response.headers_mut(),
                &String::from_utf8_lossy(html),
                config,
                request,
            );
            if response.headers().contains_key(header::LINK) {
                // Which module the preloads name depends on the consent cookie.
                response.headers_mut().insert(
                    header::VARY,
                    HeaderValue::from_static("Accept-Encoding, Cookie"),
                );
            }
        }
    }
    response
}

/// The `Link` preloads of a page that loads the banner ([`preload_links`]), if it does, for
/// the module this request's visitor will get, and the vendor scripts that visitor's stored
/// choice will run (`crate::vendor_preload`).
fn insert_link(headers: &mut HeaderMap, html: &str, config: Option<&Config>, request: &HeaderMap) {
    let cookies = header_text(request, header::COOKIE);
    let Some(mut link) = preload_links(html, stored_grant(cookies)) else {
        return;
    };
    // A loader with a nonce means a nonce-based CSP, and under 'strict-dynamic' (in a <meta>
    // policy) only scripts inserted by trusted ones may load: either refuses a script preload
    // from a header, with a console error on every page view. The module's own inserts pass.
    let csp_refuses = crate::prerender::loader_has_nonce(html) || html.contains("'strict-dynamic'");
    if let (Some(config), false) = (config, csp_refuses) {
        let now = crate::timestamp::now_secs();
        for vendor in crate::vendor_preload::links(config, cookies, now) {
            link.push_str(", ");
            link.push_str(&vendor);
        }
    }
    if let Ok(link) = HeaderValue::from_str(&link) {
        headers.insert(header::LINK, link);
    }
}

/// Whether any cookie holds a consent record that grants something: the loader then starts
/// the full module rather than the first visit's. Any cookie name will do here; a wrong guess
/// only costs a preload.
pub fn stored_grant(cookies: &str) -> bool {
    cookies.split(';').any(|pair| {
        pair.split_once('=').is_some_and(|(_, value)| {
            akkoord::record::decode(value).is_ok_and(|c| !c.granted.is_empty())
        })
    })
}

/// A request header's text, or "" when it is missing or not visible ASCII.
fn header_text(headers: &HeaderMap, name: header::HeaderName) -> &str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The page with the banner in it, for a visitor who has to be asked (`crate::prerender`);
/// `None` serves the file as it is. The body depends on the request's cookies, `Sec-GPC`
/// and `Accept-Language`, so it has no precompressed sibling and no ETag, is compressed here
/// ([`compress_page`]) and says what it varies on in `Vary`.
async fn prerendered(
    roots: &Roots,
    html: Option<&str>,
    config: Option<&Config>,
    request: &HeaderMap,
) -> Option<Response> {
    let (html, config) = (html?, config?);
    let visitor = crate::prerender::Visitor {
        cookies: header_text(request, header::COOKIE),
        gpc: crate::gpc::header_signal(request),
        accept_language: header_text(request, header::ACCEPT_LANGUAGE),
        now: crate::timestamp::now_secs(),
    };
    let plan = crate::prerender::plan_with(html, config, &visitor)?;
    // The stylesheet only for a page that gets the banner: a returning visitor's page view
    // does not read it.
    let css = tokio::fs::read_to_string(roots.assets.join("akkoord.css"))
        .await
        .ok()?;
    let (body, coding) = compress_page(plan.page(&css).into_bytes(), request);
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    if let Some(coding) = coding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::VARY, HeaderValue::from_static(PRERENDER_VARY));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    insert_link(headers, html, Some(config), request);
    Some(response)
}

/// A page made for one request, compressed the way the request accepts: brotli, else gzip,
/// else as it is. The banner's markup and stylesheet make such a page about 8 KB larger,
/// which is about 45 ms on a slow 4G link uncompressed. Quality 5, not the 11 of the
/// precompressed files, because this runs for every such request.
fn compress_page(page: Vec<u8>, request: &HeaderMap) -> (Vec<u8>, Option<&'static str>) {
    use std::io::Write;
    if accepts(request, "br") {
        let mut out = Vec::with_capacity(page.len() / 3);
        let params = brotli::enc::BrotliEncoderParams {
            quality: 5,
            lgwin: 20,
            ..Default::default()
        };
        if brotli::BrotliCompress(&mut page.as_slice(), &mut out, &params).is_ok() {
            return (out, Some("br"));
        }
    } else if accepts(request, "gzip") {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
        if let Ok(out) = gz.write_all(&page).and_then(|()| gz.finish()) {
            return (out, Some("gzip"));
        }
    }
    (page, None)
}

/// `Link` preloads for a page that embeds the banner: the wasm (the first visit's module, or
/// for a `returning` visitor with a stored choice the full module and its glue script), and
/// the config named in `data-config`. The browser then starts both downloads with the page's headers instead of
/// after `akkoord.js` has arrived and run (bench/RESULTS.md: −0.6 s to the banner on slow 4G),
/// without the site owner adding `<link rel="preload">` tags. `crossorigin` makes them match
/// the loader's `fetch()`, which is in `same-origin` credentials mode. A page without the
/// loader gets nothing: an unused preload costs a download and a console warning. A page that
/// shows the cookie statement also gets its renderer's wasm, which the banner would otherwise
/// ask for only once the page is parsed and the banner has booted.
pub fn preload_links(html: &str, returning: bool) -> Option<String> {
    let loader = [ASSETS_PREFIX, "akkoord.js"].concat();
    if !html.contains(&loader) {
        return None;
    }
    let mut links = if returning {
        vec![
            [
                "<",
                ASSETS_PREFIX,
                "akkoord-full.js>; rel=preload; as=script",
            ]
            .concat(),
            [
                "<",
                ASSETS_PREFIX,
                "akkoord-full.wasm>; rel=preload; as=fetch; crossorigin",
            ]
            .concat(),
        ]
    } else {
        vec![[
            "<",
            ASSETS_PREFIX,
            "akkoord.wasm>; rel=preload; as=fetch; crossorigin",
        ]
        .concat()]
    };
    let config = html
        .split_once("data-config=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(value, _)| value)
        // Same-origin paths only, and nothing that could end the header's URL early.
        .filter(|v| {
            v.starts_with('/')
                && !v.starts_with("//")
                && v.bytes()
                    .all(|b| b.is_ascii_graphic() && !b"<>,;\"'\\".contains(&b))
        });
    if let Some(config) = config {
        links.push(["<", config, ">; rel=preload; as=fetch; crossorigin"].concat());
    }
    if html.contains("data-akkoord-statement") {
        links.push(
            [
                "<",
                ASSETS_PREFIX,
                "akkoord-statement.wasm>; rel=preload; as=fetch; crossorigin",
            ]
            .concat(),
        );
    }
    Some(links.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preloads_only_for_the_loader_and_only_safe_config_paths() {
        let wasm = "</akkoord/akkoord.wasm>; rel=preload; as=fetch; crossorigin";
        assert_eq!(preload_links("<h1>no banner</h1>", false), None);
        assert_eq!(
            preload_links(r#"<script src="/akkoord/akkoord.js"></script>"#, false).as_deref(),
            Some(wasm),
            "inline config: the wasm only"
        );
        assert_eq!(
            preload_links(
                r#"<script src="/akkoord/akkoord.js" data-config="/c/akkoord.json">"#,
                false
            )
            .as_deref(),
            Some(
                [
                    wasm,
                    ", </c/akkoord.json>; rel=preload; as=fetch; crossorigin"
                ]
                .concat()
                .as_str()
            )
        );
        for config in [
            "https://cdn.example/a.json",
            "//cdn.example/a.json",
            "/a>, <evil>",
            "/a b.json",
            "a.json",
        ] {
            let html = [
                "<script src=\"/akkoord/akkoord.js\" data-config=\"",
                config,
                "\">",
            ]
            .concat();
            assert_eq!(
                preload_links(&html, false).as_deref(),
                Some(wasm),
                "{config}"
            );
        }
    }

    #[test]
    fn a_statement_page_also_preloads_the_statement_module() {
        let html =
            r#"<script src="/akkoord/akkoord.js"></script><div data-akkoord-statement></div>"#;
        assert_eq!(
            preload_links(html, false).as_deref(),
            Some(
                "</akkoord/akkoord.wasm>; rel=preload; as=fetch; crossorigin, \
                 </akkoord/akkoord-statement.wasm>; rel=preload; as=fetch; crossorigin"
            )
        );
        assert_eq!(
            preload_links("<div data-akkoord-statement></div>", false),
            None,
            "no loader, no preloads"
        );
    }

    #[test]
    fn a_visitor_with_a_stored_choice_preloads_the_full_module() {
        let html = r#"<script src="/akkoord/akkoord.js" data-config="/akkoord.json"></script>"#;
        assert_eq!(
            preload_links(html, true).as_deref(),
            Some(
                "</akkoord/akkoord-full.js>; rel=preload; as=script, \
                 </akkoord/akkoord-full.wasm>; rel=preload; as=fetch; crossorigin, \
                 </akkoord.json>; rel=preload; as=fetch; crossorigin"
            )
        );
        assert!(stored_grant(
            "theme=dark; akkoord=1.1.1800000000.a.0123456789abcdef.analytics+marketing."
        ));
        assert!(!stored_grant("akkoord=garbage; theme=dark"));
        assert!(
            !stored_grant("akkoord=1.1.1800000000.r.0123456789abcdef..analytics+marketing"),
            "a refusal of everything keeps the first visit's module"
        );
        assert!(!stored_grant(""));
    }

    #[test]
    fn traversal_is_refused() {
        assert!(relative_path("../etc/passwd").is_none());
        assert!(relative_path("a/%2e%2e/b").is_none());
        assert!(relative_path("a/..%2fb").is_none());
        assert!(relative_path("a%5c..%5cb").is_none());
        assert!(relative_path(".git/config").is_none());
        assert!(relative_path("%ff").is_none());
        assert_eq!(
            relative_path(".well-known/x.json"),
            Some(PathBuf::from(".well-known/x.json"))
        );
        assert_eq!(relative_path("a//b/"), Some(PathBuf::from("a/b")));
    }

    #[test]
    fn accept_encoding_honours_q_zero() {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip, br;q=0"),
        );
        assert!(accepts(&h, "gzip"));
        assert!(!accepts(&h, "br"));
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("*"));
        assert!(accepts(&h, "br"));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("identity"),
        );
        assert!(!accepts(&h, "gzip"));
    }
}
