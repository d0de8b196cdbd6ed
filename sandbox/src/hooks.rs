//! The incoming-webhook receiver `/hooks/:integrationId/:token` (spec §2.9).
//!
//! Scripts are parsed on save but not executed here: the body's `text`, `attachments`,
//! `alias`, `emoji`, `avatar` are posted as sent.

use crate::app::{parse_body, parse_query, App};
use crate::chat::{self, Defaults};
use crate::errors::{ApiError, Body, Reply};
use crate::util::percent_decode;
use axum::http::{Method, StatusCode};
use serde_json::{json, Map, Value};
use std::sync::Arc;

pub fn handle(
    app: &Arc<App>,
    method: &Method,
    path: &str,
    raw_query: Option<&str>,
    content_type: Option<&str>,
    bytes: &[u8],
) -> Reply {
    match run(app, method, path, raw_query, content_type, bytes) {
        Ok(r) => r,
        Err(e) => {
            let (status, body) = e.render(&app.config().server_version);
            Reply { status, body }
        }
    }
}

fn run(
    app: &Arc<App>,
    method: &Method,
    path: &str,
    raw_query: Option<&str>,
    content_type: Option<&str>,
    bytes: &[u8],
) -> Result<Reply, ApiError> {
    let segments: Vec<&str> = path
        .trim_start_matches("/hooks/")
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    // `/hooks/:id/:token` and the legacy `/hooks/:id/:userId/:token`.
    let (id, token) = match segments.as_slice() {
        [id, token] => (percent_decode(id), percent_decode(token)),
        [id, _user, token] => (percent_decode(id), percent_decode(token)),
        _ => {
            return Err(ApiError::Custom(
                StatusCode::NOT_FOUND,
                json!({ "success": false, "error": "Not found" }),
            ))
        }
    };
    if method != Method::POST && method != Method::GET {
        return Err(ApiError::Custom(
            StatusCode::METHOD_NOT_ALLOWED,
            json!({ "status": "error", "message": "API endpoint does not exist" }),
        ));
    }
    let integration = app.store.read(|s| {
        s.integrations
            .iter()
            .find(|d| {
                d.get("_id").and_then(Value::as_str) == Some(id.as_str())
                    && d.get("token").and_then(Value::as_str) == Some(token.as_str())
                    && d.get("type") == Some(&json!("webhook-incoming"))
            })
            .cloned()
    });
    let Some(integration) = integration else {
        app.log(format!(
            "[hooks] Invalid integration id {id} or token {token}"
        ));
        return Err(ApiError::Custom(
            StatusCode::NOT_FOUND,
            json!({ "success": false, "error": "Invalid integration id or token provided." }),
        ));
    };
    if integration.get("enabled") != Some(&json!(true)) {
        return Err(ApiError::Text(
            StatusCode::SERVICE_UNAVAILABLE,
            "Service Unavailable".into(),
        ));
    }
    let mut body = if method == Method::GET {
        Value::Object(parse_query(raw_query))
    } else {
        parse_body(content_type, bytes)
    };
    // Form posts with a single `payload` field carry JSON (Slack style).
    if let Value::Object(m) = &body {
        if m.len() == 1 {
            if let Some(Value::String(p)) = m.get("payload") {
                if let Ok(v) = serde_json::from_str::<Value>(p) {
                    body = v;
                }
            }
        }
    }
    let mut body: Map<String, Value> = match body {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    if body.is_empty() {
        return Err(ApiError::plain("body-empty"));
    }
    let override_ok = integration.get("overrideDestinationChannelEnabled") == Some(&json!(true));
    if !override_ok && (body.contains_key("channel") || body.contains_key("roomId")) {
        return Err(ApiError::plain(
            "overriding destination channel is disabled for this integration",
        ));
    }
    body.insert("bot".into(), json!({ "i": integration.get("_id") }));
    let defaults = Defaults {
        channel: integration
            .get("channel")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        alias: integration
            .get("alias")
            .and_then(Value::as_str)
            .map(str::to_string),
        avatar: integration
            .get("avatar")
            .and_then(Value::as_str)
            .map(str::to_string),
        emoji: integration
            .get("emoji")
            .and_then(Value::as_str)
            .map(str::to_string),
    };
    let uid = integration
        .get("userId")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let sent = app.store.write(|s| {
        let user = s
            .user_by_id(&uid)
            .cloned()
            .ok_or_else(|| ApiError::plain("error-invalid-user"))?;
        chat::process_webhook_message(s, &body, &user, &defaults)
    })?;
    let name = integration
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("");
    app.log(format!(
        "[hooks] \"{name}\" posted {} message(s)",
        sent.len()
    ));
    let msgs: Vec<_> = sent.iter().map(|(_, m)| m.clone()).collect();
    chat::after_save(app, &app.config(), &msgs);
    if body.get("separateResponse") == Some(&json!(true)) {
        let responses: Vec<Value> = sent
            .iter()
            .map(|(c, m)| json!({ "channel": c, "message": Value::Object(m.clone()) }))
            .collect();
        let mut m = Map::new();
        m.insert("responses".into(), Value::Array(responses));
        return Ok(Reply::success(m));
    }
    Ok(Reply {
        status: StatusCode::OK,
        body: Body::Json(json!({ "success": true })),
    })
}
