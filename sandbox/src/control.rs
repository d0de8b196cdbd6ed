//! Sandbox-only endpoints under `/sandbox/` (no auth): reset, config, messages, log,
//! a local receiver for outgoing webhooks, and current TOTP codes.

use crate::app::{parse_body, parse_query, App};
use crate::errors::{Body, Reply};
use crate::seed;
use crate::twofactor;
use crate::util::{now_iso, percent_decode};
use axum::http::{HeaderMap, Method, StatusCode};
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// A named endpoint that records what outgoing integrations send it.
#[derive(Debug, Clone, Default)]
pub struct Receiver {
    pub calls: Vec<Value>,
    /// Answer status; 200 unless configured.
    pub status: Option<u16>,
    /// Answer text; `Some(None)` answers `{}` (no message posted back).
    pub text: Option<Option<String>>,
}

fn ok(v: Value) -> Reply {
    Reply {
        status: StatusCode::OK,
        body: Body::Json(v),
    }
}

fn err(status: StatusCode, msg: impl Into<String>) -> Reply {
    Reply {
        status,
        body: Body::Json(json!({ "success": false, "error": msg.into() })),
    }
}

pub fn handle(
    app: &Arc<App>,
    method: &Method,
    path: &str,
    raw_query: Option<&str>,
    headers: &HeaderMap,
    bytes: &[u8],
) -> Reply {
    let rest = path.trim_start_matches("/sandbox").trim_start_matches('/');
    let segs: Vec<String> = rest
        .split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let ct = headers.get("content-type").and_then(|v| v.to_str().ok());
    match (method.as_str(), segs.as_slice()) {
        ("GET", []) => ok(json!({
            "sandbox": "hookpanel-sandbox",
            "endpoints": [
                "POST /sandbox/reset",
                "GET|POST /sandbox/config",
                "GET /sandbox/messages?room=<name or id>",
                "GET /sandbox/log",
                "POST /sandbox/receiver/<name>",
                "GET|DELETE /sandbox/receiver/<name>",
                "POST /sandbox/receiver/<name>/config",
                "GET /sandbox/totp/<username>"
            ],
        })),
        ("POST", ["reset"]) => {
            reset(app);
            ok(json!({ "success": true }))
        }
        ("GET", ["config"]) => ok(app.config().to_json()),
        ("POST", ["config"]) => {
            let patch = parse_body(Some("application/json"), bytes);
            match app.update_config(&patch) {
                Ok(cfg) => {
                    app.log(format!("[sandbox] config changed: {}", cfg.to_json()));
                    ok(cfg.to_json())
                }
                Err(e) => err(StatusCode::BAD_REQUEST, e),
            }
        }
        ("GET", ["messages"]) => messages(app, raw_query),
        ("GET", ["log"]) => ok(json!({ "lines": app.log_lines() })),
        ("POST", ["receiver", name, "config"]) => {
            let cfg = parse_body(Some("application/json"), bytes);
            let mut receivers = app.receivers.lock().unwrap_or_else(|e| e.into_inner());
            let r = receivers.entry(name.to_string()).or_default();
            if let Some(s) = cfg.get("status") {
                r.status = s
                    .as_u64()
                    .and_then(|s| u16::try_from(s).ok())
                    .filter(|s| (100..600).contains(s));
            }
            if let Some(t) = cfg.get("text") {
                r.text = Some(t.as_str().map(str::to_string));
            }
            ok(
                json!({ "name": name, "status": r.status.unwrap_or(200), "text": r.text.clone().flatten() }),
            )
        }
        ("POST" | "PUT", ["receiver", name]) => receive(app, name, method, headers, ct, bytes),
        ("GET", ["receiver", name]) => {
            let receivers = app.receivers.lock().unwrap_or_else(|e| e.into_inner());
            let r = receivers.get(*name).cloned().unwrap_or_default();
            ok(json!({ "name": name, "status": r.status.unwrap_or(200), "calls": r.calls }))
        }
        ("DELETE", ["receiver", name]) => {
            app.receivers
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(*name);
            ok(json!({ "success": true }))
        }
        ("GET", ["totp", username]) => {
            let secret = app.store.read(|s| {
                s.user_by_username(username)
                    .and_then(|u| u.totp_secret.clone())
            });
            match secret.and_then(|s| twofactor::current_totp(&s)) {
                Some((code, ttl)) => {
                    ok(json!({ "username": username, "code": code, "secondsRemaining": ttl }))
                }
                None => err(
                    StatusCode::NOT_FOUND,
                    format!("{username} has no TOTP secret"),
                ),
            }
        }
        _ => err(
            StatusCode::NOT_FOUND,
            format!("unknown sandbox endpoint {method} {path}"),
        ),
    }
}

/// Re-seeds the initial state; configuration is kept.
pub fn reset(app: &App) {
    let mut state = seed::initial_state(&app.site, app.seed_large);
    crate::history_seed::add_history(&mut state, &app.site, app.seed_history);
    app.store.write(|s| *s = state);
    app.rate.clear();
    app.receivers
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clear();
    app.log("[sandbox] state reset to the seed");
}

fn messages(app: &App, raw_query: Option<&str>) -> Reply {
    let q = parse_query(raw_query);
    let Some(room) = q.get("room").and_then(Value::as_str).map(str::to_string) else {
        return err(StatusCode::BAD_REQUEST, "query parameter room is required");
    };
    let found = app.store.read(|s| {
        let key = room.trim_start_matches('#');
        let r = s.room_by_id_or_name(key)?;
        let msgs: Vec<Value> = s
            .messages
            .iter()
            .filter(|m| m.get("rid").and_then(Value::as_str) == Some(r.id.as_str()))
            .cloned()
            .map(Value::Object)
            .collect();
        Some((r.to_json(), msgs))
    });
    match found {
        Some((r, msgs)) => ok(json!({ "room": r, "messages": msgs })),
        None => err(StatusCode::NOT_FOUND, format!("no room {room}")),
    }
}

fn receive(
    app: &App,
    name: &str,
    method: &Method,
    headers: &HeaderMap,
    ct: Option<&str>,
    bytes: &[u8],
) -> Reply {
    let body = parse_body(ct, bytes);
    let mut hdrs = Map::new();
    for (k, v) in headers {
        hdrs.insert(k.as_str().to_string(), json!(v.to_str().unwrap_or("")));
    }
    let text_in = body
        .get("text")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let mut receivers = app.receivers.lock().unwrap_or_else(|e| e.into_inner());
    let r = receivers.entry(name.to_string()).or_default();
    r.calls.push(json!({
        "method": method.as_str(),
        "headers": hdrs,
        "body": body,
        "receivedAt": now_iso(),
    }));
    let status = StatusCode::from_u16(r.status.unwrap_or(200)).unwrap_or(StatusCode::OK);
    let answer = match &r.text {
        Some(None) => json!({}),
        Some(Some(t)) => json!({ "text": t }),
        None => json!({ "text": format!("{name} received: {text_in}") }),
    };
    drop(receivers);
    app.log(format!(
        "[receiver] {name} got a call, answering {}",
        status.as_u16()
    ));
    Reply {
        status,
        body: Body::Json(answer),
    }
}

/// Seeds when no state was loaded; tops up `--seed-large` on a loaded state.
pub fn seed_if_empty(app: &App) {
    if app.store.read(|s| s.users.is_empty()) {
        reset(app);
    } else {
        app.store.write(|s| {
            seed::add_large(s, &app.site, app.seed_large);
            crate::history_seed::add_history(s, &app.site, app.seed_history);
        });
    }
}
