//! Serves the built app from `--dist` with a fallback to `index.html` for client routes:
//! precompressed `.br`/`.gz` siblings when the browser accepts them, long-lived caching for
//! content-hashed files, and a Content-Security-Policy header on every answer.

use crate::util::percent_decode;
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use std::path::{Component, Path, PathBuf};

const LANDING: &str = "hookpanel-sandbox: a local Rocket.Chat-compatible server for hookpanel.\n\n\
REST API:        /api/info, /api/v1/...\n\
Incoming hooks:  /hooks/<integrationId>/<token>\n\
Sandbox control: /sandbox (reset, config, messages, log, receivers, totp)\n\n\
Start with --dist <dir> to serve the built app here. Sign in as admin / hookpanel-demo.\n";

/// The app's policy: index.html's `<meta http-equiv="Content-Security-Policy">` plus
/// `frame-ancestors 'none'`, which only a header can carry. `connect-src` allows any server
/// because the admin types the Rocket.Chat address at sign-in (the README shows how an
/// operator narrows it); `img-src` any web address because the incoming editor previews the
/// avatar URL typed; `frame-src 'self'` lets the script lab load `/lab/runner.html`.
pub const APP_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' https: http:; connect-src 'self' https: http:; \
frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The policy of documents under `/lab/` (the script lab's runner, framed by the app): a
/// header policy applies to every document, so the runner needs its own. It evaluates the
/// admin's scripts (`unsafe-eval`, inline and `blob:` workers) but may reach nothing
/// (`connect-src 'none'`), and `sandbox allow-scripts` gives it an opaque origin, away from
/// the app's storage and session.
pub const LAB_CSP: &str =
    "default-src 'none'; script-src 'self' 'unsafe-eval' 'unsafe-inline' blob:; \
worker-src blob:; style-src 'unsafe-inline'; connect-src 'none'; sandbox allow-scripts";

/// Hashed file names never change content, so browsers may keep them for a year.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Precompressed siblings the build writes beside each asset, best first.
const ENCODINGS: [(&str, &str); 2] = [("br", "br"), ("gzip", "gz")];

pub fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json" | "map") => "application/json",
        Some("webmanifest") => "application/manifest+json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        Some("woff") => "font/woff",
        Some("woff2") => "font/woff2",
        Some("ttf") => "font/ttf",
        _ => "application/octet-stream",
    }
}

fn respond(status: StatusCode, ct: &str, body: Vec<u8>, head: bool) -> Response {
    let len = body.len();
    let mut r = Response::new(if head {
        Body::empty()
    } else {
        Body::from(body)
    });
    *r.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(ct) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

fn not_found() -> Response {
    respond(
        StatusCode::NOT_FOUND,
        "text/plain; charset=utf-8",
        b"Not found\n".to_vec(),
        false,
    )
}

/// Maps a URL path inside `root`, refusing `..` and absolute components.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path);
    let rel = Path::new(decoded.trim_start_matches('/'));
    let mut out = root.to_path_buf();
    for c in rel.components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

fn is_lab(path: &str) -> bool {
    path == "/lab" || path.starts_with("/lab/")
}

/// The policy for an answer at `path`.
pub fn policy_for(path: &str) -> &'static str {
    if is_lab(path) {
        LAB_CSP
    } else {
        APP_CSP
    }
}

/// Whether `Accept-Encoding` accepts `coding` (q above 0, by name or through `*`).
pub fn accepts_encoding(headers: &HeaderMap, coding: &str) -> bool {
    let mut named = None;
    let mut star = None;
    let items = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','));
    for item in items {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if name.eq_ignore_ascii_case(coding) {
            named = Some(q);
        } else if name == "*" {
            star = Some(q);
        }
    }
    named.or(star).is_some_and(|q| q > 0.0)
}

/// Whether a file name carries trunk's content hash (`name-<hex>.ext`, `name-<hex>_bg.wasm`).
pub fn is_hashed(file: &Path) -> bool {
    let Some(stem) = file.file_stem().and_then(|s| s.to_str()) else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(name, hash)| {
        !name.is_empty()
            && (8..=64).contains(&hash.len())
            && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// The file itself, or its precompressed sibling the request accepts, with its encoding.
fn pick_variant(file: &Path, headers: &HeaderMap) -> (PathBuf, Option<&'static str>, bool) {
    let mut has_variants = false;
    let mut chosen = None;
    for (coding, ext) in ENCODINGS {
        let mut name = file.as_os_str().to_owned();
        name.push(".");
        name.push(ext);
        let sibling = PathBuf::from(name);
        if sibling.is_file() {
            has_variants = true;
            if chosen.is_none() && accepts_encoding(headers, coding) {
                chosen = Some((sibling, coding));
            }
        }
    }
    match chosen {
        Some((path, coding)) => (path, Some(coding), true),
        None => (file.to_path_buf(), None, has_variants),
    }
}

/// A file from `dist/`, compressed when it can be, cached for a year when its name is hashed.
fn serve_file(file: &Path, headers: &HeaderMap, head: bool) -> Response {
    let (source, coding, has_variants) = pick_variant(file, headers);
    let Ok(bytes) = std::fs::read(&source) else {
        return not_found();
    };
    let mut r = respond(StatusCode::OK, content_type(file), bytes, head);
    let h = r.headers_mut();
    if let Some(coding) = coding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    if has_variants {
        h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    if is_hashed(file) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    }
    r
}

pub fn serve(dist: Option<&Path>, method: &Method, path: &str, headers: &HeaderMap) -> Response {
    let mut r = serve_unpoliced(dist, method, path, headers);
    if let Ok(v) = HeaderValue::from_str(policy_for(path)) {
        r.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
    }
    r
}

fn serve_unpoliced(
    dist: Option<&Path>,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return not_found();
    }
    let head = method == Method::HEAD;
    let Some(root) = dist else {
        return if path == "/" {
            respond(
                StatusCode::OK,
                "text/plain; charset=utf-8",
                LANDING.as_bytes().to_vec(),
                head,
            )
        } else {
            not_found()
        };
    };
    if let Some(file) = resolve(root, path) {
        let file = if file.is_dir() {
            file.join("index.html")
        } else {
            file
        };
        if file.is_file() {
            return serve_file(&file, headers, head);
        }
    }
    // Client-side routes: HTML navigations fall back to index.html (never inside the lab,
    // whose policy would not let the app run).
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if wants_html && !is_lab(path) {
        return serve_file(&root.join("index.html"), headers, head);
    }
    not_found()
}
