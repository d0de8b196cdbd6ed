//! `/api/...`: CORS, route table (per version), and rendering of replies and errors.

use crate::app::{parse_body, parse_query, ApiRequest, App, Ctx};
use crate::auth;
use crate::chat;
use crate::config::Version;
use crate::cors::{self, Preflight};
use crate::errors::{ApiError, ApiResult, Body, Reply};
use crate::integrations;
use crate::lookups;
use crate::method_call;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde_json::json;
use std::net::IpAddr;
use std::sync::Arc;

type Handler = fn(&mut Ctx) -> ApiResult;

fn room_messages_c(ctx: &mut Ctx) -> ApiResult {
    chat::room_messages(ctx, "c")
}

fn room_messages_p(ctx: &mut Ctx) -> ApiResult {
    chat::room_messages(ctx, "p")
}

/// The REST endpoints under `/api/v1/` that exist in version `v`.
fn endpoint(name: &str, v: &Version) -> Option<(&'static [Method], Handler)> {
    const GET: &[Method] = &[Method::GET];
    const POST: &[Method] = &[Method::POST];
    const PUT: &[Method] = &[Method::PUT];
    const GET_POST: &[Method] = &[Method::GET, Method::POST];
    let e: (&'static [Method], Handler) = match name {
        "login" => (POST, auth::login),
        "logout" => (GET_POST, auth::logout),
        "me" => (GET, auth::me),
        "users.2fa.sendEmailCode" => (POST, auth::send_email_code),
        "integrations.create" => (POST, integrations::create),
        "integrations.update" => (PUT, integrations::update),
        "integrations.get" => (GET, integrations::get),
        "integrations.list" => (GET, integrations::list),
        "integrations.remove" => (POST, integrations::remove),
        "integrations.history" => (GET, integrations::history),
        "integrations.clearHistory" if v.clear_and_replay() => (POST, integrations::clear_history),
        "integrations.replayOutgoing" if v.clear_and_replay() => {
            (POST, integrations::replay_outgoing)
        }
        "rooms.info" => (GET, lookups::rooms_info),
        "users.info" => (GET, lookups::users_info),
        "rooms.autocomplete.channelAndPrivate" => (GET, lookups::rooms_autocomplete),
        "users.autocomplete" => (GET, lookups::users_autocomplete),
        "permissions.listAll" => (GET, lookups::permissions_list_all),
        "chat.postMessage" => (POST, chat::post_message),
        "chat.update" => (POST, chat::update_message),
        "channels.messages" => (GET, room_messages_c),
        "groups.messages" => (GET, room_messages_p),
        _ => return None,
    };
    Some(e)
}

fn not_found() -> Reply {
    // The real server falls through to its web app here; the sandbox answers JSON.
    Reply::json(
        StatusCode::NOT_FOUND,
        json!({ "success": false, "error": "Not found" }),
    )
}

pub struct Response {
    pub status: StatusCode,
    pub body: Body,
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

#[allow(clippy::too_many_arguments)]
pub fn handle(
    app: &Arc<App>,
    method: Method,
    path: &str,
    raw_query: Option<&str>,
    headers: HeaderMap,
    bytes: &[u8],
    ip: IpAddr,
) -> Response {
    let cfg = app.config();
    let v = cfg.server_version;
    if method == Method::OPTIONS {
        let Preflight::Answer(status, text, hdrs) = cors::api_preflight(&cfg, &headers);
        return Response {
            status,
            body: Body::Text(text),
            headers: hdrs,
        };
    }
    let cors_headers = match cors::api_response_headers(&cfg, &headers) {
        Ok(h) => h,
        Err(cors::InvalidOrigin) => {
            return Response {
                status: StatusCode::FORBIDDEN,
                body: Body::Text("Invalid origin".into()),
                headers: vec![],
            }
        }
    };
    let (route, handler): (String, Option<Handler>) = if path == "/api/info" {
        let h: Option<Handler> = (method == Method::GET).then_some(auth::info as Handler);
        (path.to_string(), h)
    } else if let Some(name) = path.strip_prefix("/api/v1/") {
        if let Some(m) = name.strip_prefix("method.call/") {
            let m = m.to_string();
            if method == Method::POST && !m.is_empty() && !m.contains('/') {
                (path.to_string(), Some(method_call_entry as Handler))
            } else {
                (path.to_string(), None)
            }
        } else {
            match endpoint(name, &v) {
                Some((methods, h)) if methods.contains(&method) => (path.to_string(), Some(h)),
                Some(_) if v.restivus() => {
                    return Response {
                        status: StatusCode::METHOD_NOT_ALLOWED,
                        body: Body::Json(
                            json!({ "status": "error", "message": "API endpoint does not exist" }),
                        ),
                        headers: cors_headers,
                    }
                }
                _ => (path.to_string(), None),
            }
        }
    } else {
        (path.to_string(), None)
    };
    let Some(handler) = handler else {
        let r = not_found();
        return Response {
            status: r.status,
            body: r.body,
            headers: cors_headers,
        };
    };
    let ct = headers
        .get("content-type")
        .and_then(|h| h.to_str().ok())
        .map(str::to_string);
    let req = ApiRequest {
        method,
        query: parse_query(raw_query),
        headers,
        body: parse_body(ct.as_deref(), bytes),
        ip,
    };
    let mut ctx = Ctx {
        app: app.clone(),
        cfg,
        req,
        route,
        out_headers: vec![],
    };
    let endpoint_name = ctx
        .route
        .strip_prefix("/api/v1/")
        .unwrap_or("info")
        .to_string();
    let result = if ctx.cfg.internal_errors.contains(&endpoint_name) {
        Err(ApiError::Internal)
    } else {
        // A bug must cost one request, not the server: panics become the 500 body.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(&mut ctx)))
            .unwrap_or(Err(ApiError::Internal))
    };
    let (status, body) = match result {
        Ok(r) => (r.status, r.body),
        Err(e) => {
            if let ApiError::Meteor { .. } | ApiError::Plain(_) = &e {
                app.log(format!("[api] {} -> {}", ctx.route, e.message()));
            }
            e.render(&v)
        }
    };
    let mut out = cors_headers;
    out.extend(ctx.out_headers);
    Response {
        status,
        body,
        headers: out,
    }
}

fn method_call_entry(ctx: &mut Ctx) -> ApiResult {
    let name = ctx.route.rsplit('/').next().unwrap_or_default().to_string();
    method_call::call(ctx, &name)
}
