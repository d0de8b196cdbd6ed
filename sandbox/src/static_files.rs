//! Serves the built app from `--dist` with a fallback to `index.html` for client routes.

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

pub fn serve(dist: Option<&Path>, method: &Method, path: &str, headers: &HeaderMap) -> Response {
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
    let index = root.join("index.html");
    if let Some(file) = resolve(root, path) {
        let file = if file.is_dir() {
            file.join("index.html")
        } else {
            file
        };
        if file.is_file() {
            return match std::fs::read(&file) {
                Ok(bytes) => respond(StatusCode::OK, content_type(&file), bytes, head),
                Err(_) => not_found(),
            };
        }
    }
    // Client-side routes: HTML navigations fall back to index.html.
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if wants_html {
        if let Ok(bytes) = std::fs::read(&index) {
            return respond(StatusCode::OK, "text/html; charset=utf-8", bytes, head);
        }
    }
    not_found()
}
