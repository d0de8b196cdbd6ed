//! HTTP glue: one axum fallback handler routes by path prefix and logs one line per request.

use crate::api;
use crate::app::App;
use crate::control;
use crate::cors;
use crate::errors::Body as ReplyBody;
use crate::hooks;
use crate::static_files;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

/// Largest accepted request body.
pub const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

pub fn router(app: Arc<App>) -> Router {
    Router::new().fallback(handle).with_state(app)
}

fn build(status: StatusCode, body: ReplyBody, headers: Vec<(HeaderName, HeaderValue)>) -> Response {
    let (bytes, ct) = match body {
        ReplyBody::Json(v) => (
            serde_json::to_vec(&v).unwrap_or_default(),
            "application/json",
        ),
        ReplyBody::Text(t) => (t.into_bytes(), "text/plain; charset=utf-8"),
    };
    let mut r = Response::new(Body::from(bytes));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    for (k, v) in headers {
        r.headers_mut().append(k, v);
    }
    r
}

async fn handle(
    State(app): State<Arc<App>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    req: Request,
) -> Response {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let method = parts.method.clone();
    let path = parts.uri.path().to_string();
    let query = parts.uri.query().map(str::to_string);
    let response = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => route(&app, parts, &path, query.as_deref(), &bytes, addr).await,
        Err(_) => build(
            StatusCode::PAYLOAD_TOO_LARGE,
            ReplyBody::Json(
                serde_json::json!({ "success": false, "error": "request entity too large" }),
            ),
            vec![],
        ),
    };
    let shown = match &query {
        Some(q) => format!("{path}?{q}"),
        None => path,
    };
    app.log(format!(
        "{} {} {} {}ms {}",
        method,
        shown,
        response.status().as_u16(),
        started.elapsed().as_millis(),
        addr.ip()
    ));
    response
}

async fn route(
    app: &Arc<App>,
    parts: axum::http::request::Parts,
    path: &str,
    query: Option<&str>,
    bytes: &[u8],
    addr: SocketAddr,
) -> Response {
    let method = parts.method;
    let headers = parts.headers;
    if path == "/api" || path.starts_with("/api/") {
        let r = api::handle(app, method, path, query, headers, bytes, addr.ip());
        return build(r.status, r.body, r.headers);
    }
    if path.starts_with("/hooks/") {
        if method == Method::OPTIONS {
            return build(
                StatusCode::OK,
                ReplyBody::Text(String::new()),
                cors::hooks_headers(),
            );
        }
        let r = hooks::handle(
            app,
            hooks::HookRequest {
                method: &method,
                path,
                raw_query: query,
                headers: &headers,
                bytes,
            },
        )
        .await;
        return build(r.status, r.body, cors::hooks_headers());
    }
    if path == "/sandbox" || path.starts_with("/sandbox/") {
        if method == Method::OPTIONS {
            return build(
                StatusCode::OK,
                ReplyBody::Text(String::new()),
                cors::sandbox_headers(),
            );
        }
        let r = control::handle(app, &method, path, query, &headers, bytes);
        return build(r.status, r.body, cors::sandbox_headers());
    }
    static_files::serve(app.dist.as_deref(), &method, path, &headers)
}
