//! Serving dist/: precompressed variants by Accept-Encoding, cache headers by file name, and
//! the two Content-Security-Policy headers (the app's, and the script lab's under /lab/).

use crate::common::*;
use hookpanel_sandbox::static_files::{APP_CSP, LAB_CSP};
use std::path::{Path, PathBuf};

const JS: &str = "assets/hookpanel-0123456789abcdef.js";
const WASM: &str = "hookpanel-fedcba9876543210_bg.wasm";

fn write(dist: &Path, name: &str, body: &[u8]) {
    let path = dist.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, body).unwrap();
}

/// A dist/ whose variants differ in content, so each answer shows which file was sent.
fn dist() -> PathBuf {
    let dist = temp_dir();
    write(
        &dist,
        "index.html",
        b"<!doctype html><title>hookpanel</title>",
    );
    write(&dist, "index.html.br", b"index-br");
    write(&dist, "index.html.gz", b"index-gz");
    write(&dist, JS, b"plain-js");
    write(&dist, &format!("{JS}.br"), b"br-js");
    write(&dist, &format!("{JS}.gz"), b"gzip-js");
    write(&dist, WASM, b"\0asm\x01\0\0\0");
    write(&dist, &format!("{WASM}.gz"), b"gzip-wasm");
    write(&dist, "favicon.svg", b"<svg/>");
    write(
        &dist,
        "lab/runner.html",
        b"<!doctype html><title>runner</title>",
    );
    dist
}

async fn start_dist() -> (Sbx, PathBuf) {
    let d = dist();
    let served = d.clone();
    (start_with(move |o| o.dist = Some(served)).await, d)
}

async fn get_with(s: &Sbx, path: &str, accept_encoding: Option<&str>) -> Resp {
    let mut headers = vec![("accept", "text/html,*/*")];
    if let Some(ae) = accept_encoding {
        headers.push(("accept-encoding", ae));
    }
    s.request("GET", path, None, None, &headers).await
}

#[tokio::test]
async fn precompressed_variant_follows_accept_encoding() {
    let (s, d) = start_dist().await;
    let cases = [
        (Some("gzip, deflate, br, zstd"), "br-js", Some("br")),
        (Some("gzip, deflate"), "gzip-js", Some("gzip")),
        (Some("br;q=0, gzip;q=0.5"), "gzip-js", Some("gzip")),
        (Some("BR"), "br-js", Some("br")),
        (Some("*"), "br-js", Some("br")),
        (Some("br;q=0, *"), "gzip-js", Some("gzip")),
        (Some("identity"), "plain-js", None),
        (Some("gzip;q=0, br;q=0.0"), "plain-js", None),
        (None, "plain-js", None),
    ];
    for (accept, body, coding) in cases {
        let r = get_with(&s, &format!("/{JS}"), accept).await;
        assert_eq!(r.status, 200, "{accept:?}");
        assert_eq!(r.text, body, "body for Accept-Encoding {accept:?}");
        assert_eq!(r.header("content-encoding"), coding, "{accept:?}");
        assert_eq!(r.header("vary"), Some("Accept-Encoding"), "{accept:?}");
        assert_eq!(
            r.header("content-type"),
            Some("text/javascript; charset=utf-8"),
            "the type is the asset's, not the compressed file's ({accept:?})"
        );
        assert_eq!(
            r.header("content-length"),
            Some(body.len().to_string().as_str())
        );
    }
    // Only a .gz beside the wasm: a brotli-only browser gets it uncompressed.
    let r = get_with(&s, &format!("/{WASM}"), Some("br")).await;
    assert_eq!(r.header("content-encoding"), None);
    assert_eq!(r.header("content-type"), Some("application/wasm"));
    let r = get_with(&s, &format!("/{WASM}"), Some("gzip, br")).await;
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_eq!(r.text, "gzip-wasm");
    // A file without variants has nothing to vary on.
    let r = get_with(&s, "/favicon.svg", Some("gzip, br")).await;
    assert_eq!(r.header("content-encoding"), None);
    assert_eq!(r.header("vary"), None);
    assert_eq!(r.text, "<svg/>");
    // Client routes fall back to index.html, compressed too.
    let r = get_with(&s, "/integrations/new", Some("br")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text, "index-br");
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    // HEAD tells the same headers without a body.
    let r = s
        .request(
            "HEAD",
            &format!("/{JS}"),
            None,
            None,
            &[("accept-encoding", "gzip")],
        )
        .await;
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_eq!(r.text, "");
    let _ = std::fs::remove_dir_all(d);
}

#[tokio::test]
async fn hashed_files_are_immutable_and_the_rest_revalidates() {
    let (s, d) = start_dist().await;
    let immutable = Some("public, max-age=31536000, immutable");
    for path in [format!("/{JS}"), format!("/{WASM}")] {
        for ae in [None, Some("br"), Some("gzip")] {
            let r = get_with(&s, &path, ae).await;
            assert_eq!(r.header("cache-control"), immutable, "{path} {ae:?}");
        }
    }
    for path in [
        "/",
        "/index.html",
        "/integrations/edit/abc",
        "/favicon.svg",
        "/lab/runner.html",
    ] {
        let r = get_with(&s, path, Some("br")).await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("cache-control"), Some("no-cache"), "{path}");
    }
    let _ = std::fs::remove_dir_all(d);
}

#[tokio::test]
async fn app_and_lab_documents_get_their_own_policies() {
    let (s, d) = start_dist().await;
    for path in [
        "/",
        "/index.html",
        "/sign-in",
        &format!("/{JS}"),
        "/missing.js",
    ] {
        let r = get_with(&s, path, None).await;
        assert_eq!(r.header("content-security-policy"), Some(APP_CSP), "{path}");
    }
    let r = get_with(&s, "/lab/runner.html", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-security-policy"), Some(LAB_CSP));
    // The lab never falls back to the app: the app cannot run under the lab's policy.
    let r = get_with(&s, "/lab/nope", None).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-security-policy"), Some(LAB_CSP));
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn app_policy_is_strict_and_frames_only_the_lab() {
    let directives: Vec<&str> = APP_CSP.split(';').map(str::trim).collect();
    for required in [
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(directives.contains(&required), "missing {required}");
    }
    assert!(!APP_CSP.contains("unsafe-inline") && !APP_CSP.contains("'unsafe-eval'"));
    assert!(LAB_CSP.contains("sandbox allow-scripts") && LAB_CSP.contains("connect-src 'none'"));
}

/// The policy between `http-equiv="Content-Security-Policy" content="` and `"` in `html`.
fn meta_policy(html: &str) -> Option<&str> {
    let at = html.find("http-equiv=\"Content-Security-Policy\"")?;
    let rest = &html[at..];
    let start = rest.find("content=\"")? + "content=\"".len();
    let end = rest[start..].find('"')?;
    Some(&rest[start..start + end])
}

#[test]
fn header_policy_is_the_pages_meta_policy_plus_frame_ancestors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let html = std::fs::read_to_string(root.join("index.html")).unwrap();
    let meta = meta_policy(&html).expect("index.html carries a CSP meta element");
    assert_eq!(format!("{meta}; frame-ancestors 'none'"), APP_CSP);
    // The README's nginx block sends the same two policies.
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains(APP_CSP), "README nginx block: app policy");
    assert!(readme.contains(LAB_CSP), "README nginx block: lab policy");
}
