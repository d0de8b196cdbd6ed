//! The incoming-webhook receiver `/hooks/:integrationId/:token` (spec §2.9; scripts spec §5).
//!
//! Without a script the body's `text`, `attachments`, `alias`, `emoji`, `avatar` are posted as
//! sent. With a valid script (enabled, compiled) a POST runs `process_incoming_request({request})`
//! in the script engine (`engine.rs`) and its `content` is posted instead (scripts spec §5.2–5.5).

use crate::app::{parse_body, parse_query, App};
use crate::chat::{self, Defaults};
use crate::config::Version;
use crate::engine::{self, Call, Outcome};
use crate::errors::{ApiError, Reply};
use crate::model::{Doc, User};
use crate::util::{parse_form, percent_decode, truthy};
use axum::http::{HeaderMap, Method, StatusCode};
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// What arrived at `/hooks/…`.
pub struct HookRequest<'a> {
    pub method: &'a Method,
    /// The path as received (still percent-encoded).
    pub path: &'a str,
    pub raw_query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    pub bytes: &'a [u8],
}

pub async fn handle(app: &Arc<App>, req: HookRequest<'_>) -> Reply {
    match run(app, &req).await {
        Ok(r) => r,
        Err(e) => {
            let (status, body) = e.render(&app.config().server_version);
            Reply { status, body }
        }
    }
}

/// What the script decided, when it did not answer the request itself.
struct ScriptOutcome {
    content: Map<String, Value>,
    response: Option<Map<String, Value>>,
    user: Option<User>,
}

async fn run(app: &Arc<App>, req: &HookRequest<'_>) -> Result<Reply, ApiError> {
    let (method, path, raw_query, bytes) = (req.method, req.path, req.raw_query, req.bytes);
    let content_type = req
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let segments: Vec<&str> = path
        .trim_start_matches("/hooks/")
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    // `/hooks/:id/:token` and the legacy `/hooks/:id/:userId/:token`.
    let (id, user_segment, token) = match segments.as_slice() {
        [id, token] => (percent_decode(id), None, percent_decode(token)),
        [id, user, token] => (
            percent_decode(id),
            Some(percent_decode(user)),
            percent_decode(token),
        ),
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
    let uid = integration
        .get("userId")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    // The server skips the script when the request has no body stream (every GET).
    let scripted =
        if method == Method::POST && engine::has_valid_script(&app.config(), &integration) {
            let url_params = (id.as_str(), user_segment.as_deref(), token.as_str());
            match run_script(app, &integration, req, content_type, url_params, &uid).await? {
                Ok(outcome) => Some(outcome),
                Err(reply) => return Ok(reply),
            }
        } else {
            None
        };
    let scripted_run = scripted.is_some();
    let (mut body, script_response, post_as) = match scripted {
        Some(o) => (o.content, o.response, o.user),
        None => (
            plain_body(method, raw_query, content_type, bytes)?,
            None,
            None,
        ),
    };
    if scripted_run && !body.contains_key("separateResponse") {
        // 8.x copies the original body's `separateResponse === true` into a script's payload.
        let original = matches!(parse_body(content_type, bytes),
            Value::Object(m) if m.get("separateResponse") == Some(&json!(true)));
        if original {
            body.insert("separateResponse".into(), json!(true));
        }
    }
    let override_ok = integration.get("overrideDestinationChannelEnabled") == Some(&json!(true));
    let overrides = if scripted_run {
        truthy(body.get("channel")) || truthy(body.get("roomId"))
    } else {
        body.contains_key("channel") || body.contains_key("roomId")
    };
    if !override_ok && overrides {
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
        alias: str_of(&integration, "alias"),
        avatar: str_of(&integration, "avatar"),
        emoji: str_of(&integration, "emoji"),
    };
    let sent = app.store.write(|s| {
        let user = match &post_as {
            Some(u) => u.clone(),
            None => s
                .user_by_id(&uid)
                .cloned()
                .ok_or_else(|| ApiError::plain("error-invalid-user"))?,
        };
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
    Ok(Reply::success(script_response.unwrap_or_default()))
}

fn str_of(d: &Doc, k: &str) -> Option<String> {
    d.get(k).and_then(Value::as_str).map(str::to_string)
}

/// The body of a hook without a script (unchanged sandbox behaviour): GET posts the query,
/// a single form field `payload` carries JSON, an empty body is refused.
fn plain_body(
    method: &Method,
    raw_query: Option<&str>,
    content_type: Option<&str>,
    bytes: &[u8],
) -> Result<Map<String, Value>, ApiError> {
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
    let body: Map<String, Value> = match body {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    if body.is_empty() {
        return Err(ApiError::plain("body-empty"));
    }
    Ok(body)
}

/// `bodyParams` as the 7.x/8.x router builds it (scripts spec §5.1). `Err` carries the JSON
/// parse message of a form body that is not JSON.
pub fn script_body(content_type: Option<&str>, bytes: &[u8], v: &Version) -> Result<Value, String> {
    if !v.at_least(7, 0) {
        // 6.x (Restivus body-parser): parsed body, then the `payload` unwrapping.
        let body = parse_body(content_type, bytes);
        if content_type.is_some_and(|c| c.eq_ignore_ascii_case("application/x-www-form-urlencoded"))
        {
            if let Value::Object(m) = &body {
                if m.len() == 1 {
                    if let Some(Value::String(p)) = m.get("payload") {
                        return json_parse(p);
                    }
                }
            }
        }
        return Ok(match body {
            Value::String(_) => Value::Object(Map::new()),
            other => other,
        });
    }
    let text = String::from_utf8_lossy(bytes);
    let ct = content_type.unwrap_or("");
    let parsed = if bytes.is_empty() {
        Value::Object(Map::new())
    } else if ct.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        let fields = parse_form(&text);
        match fields.as_slice() {
            [(k, p)] if k == "payload" => json_parse(p)?,
            [_] => json_parse(&text)?,
            _ => char_map(&text),
        }
    } else if ct.to_ascii_lowercase().contains("application/json") {
        serde_json::from_str(&text).unwrap_or_else(|_| Value::Object(Map::new()))
    } else if ct.to_ascii_lowercase().contains("multipart/form-data") {
        Value::Object(Map::new())
    } else {
        char_map(&text)
    };
    // 8.x replaces anything but a plain object (arrays, strings, numbers) by `{}`.
    if v.at_least(8, 0) && !parsed.is_object() {
        return Ok(Value::Object(Map::new()));
    }
    Ok(parsed)
}

/// `{...text}`: the characters of a string spread into an object.
fn char_map(text: &str) -> Value {
    Value::Object(
        text.chars()
            .enumerate()
            .map(|(i, c)| (i.to_string(), Value::String(c.to_string())))
            .collect(),
    )
}

/// `JSON.parse`, with V8's wording for the two common failures.
fn json_parse(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| {
        if e.is_eof() || text.trim().is_empty() {
            "Unexpected end of JSON input".to_string()
        } else {
            let bad = text
                .chars()
                .nth(e.column().saturating_sub(1))
                .unwrap_or(' ');
            let shown: String = text.chars().take(32).collect();
            format!("Unexpected token '{bad}', \"{shown}\" is not valid JSON")
        }
    })
}

/// The `request` given to `process_incoming_request` (scripts spec §5.2), by version.
fn script_request(
    v: &Version,
    req: &HookRequest<'_>,
    url_params: (&str, Option<&str>, &str),
    content: &Value,
    user: Value,
) -> Value {
    let query = req.raw_query.filter(|q| !q.is_empty());
    let search = query.map(|q| format!("?{q}"));
    let path_and_query = format!("{}{}", req.path, search.clone().unwrap_or_default());
    let mut params = Map::new();
    params.insert("integrationId".into(), json!(url_params.0));
    if let Some(u) = url_params.1 {
        params.insert("userId".into(), json!(u));
    }
    params.insert("token".into(), json!(url_params.2));
    let mut headers = Map::new();
    for name in req.headers.keys() {
        let joined: Vec<String> = req
            .headers
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        headers.insert(name.as_str().to_ascii_lowercase(), json!(joined.join(", ")));
    }
    let query_obj = Value::Object(parse_query(query));
    if !v.at_least(7, 0) {
        let raw_body = parse_body(
            req.headers
                .get(axum::http::header::CONTENT_TYPE)
                .and_then(|h| h.to_str().ok()),
            req.bytes,
        );
        return json!({
            "url": { "hash": null, "search": search, "query": query_obj, "pathname": req.path, "path": path_and_query },
            "url_raw": path_and_query,
            "url_params": params,
            "content": content,
            "content_raw": null,
            "headers": headers,
            "body": if raw_body.is_object() { raw_body } else { json!({}) },
            "user": user,
        });
    }
    // The router builds the URL on a dummy origin, whatever the real host.
    let full = format!("http://localhost{path_and_query}");
    json!({
        "url": { "hash": "", "search": search.unwrap_or_default(), "query": query_obj, "pathname": req.path, "path": full },
        "url_raw": full,
        "url_params": params,
        "content": content,
        "content_raw": String::from_utf8_lossy(req.bytes),
        "headers": headers,
        "body": content,
        "user": user,
    })
}

/// Runs the script; `Ok(Err(reply))` when the script's answer ends the request.
async fn run_script(
    app: &Arc<App>,
    integration: &Doc,
    req: &HookRequest<'_>,
    content_type: Option<&str>,
    url_params: (&str, Option<&str>, &str),
    uid: &str,
) -> Result<Result<ScriptOutcome, Reply>, ApiError> {
    let cfg = app.config();
    let v = cfg.server_version;
    let name = integration
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let content = match script_body(content_type, req.bytes, &v) {
        Ok(c) => c,
        Err(msg) => return Err(ApiError::plain(msg)),
    };
    let user = app.store.read(|s| {
        s.user_by_id(uid)
            .map(|u| json!({ "_id": u.id, "name": u.name, "username": u.username }))
    });
    let request = script_request(&v, req, url_params, &content, user.unwrap_or(Value::Null));
    app.log(format!(
        "[hooks] \"{name}\": Will evaluate the integration script"
    ));
    let result = app
        .scripts
        .run(Call {
            integration,
            version: &v,
            kind: "incoming",
            method: "process_incoming_request",
            params: json!({ "request": request }),
            timeout_ms: cfg.script_timeout_ms,
        })
        .await;
    for (level, text) in &result.logs {
        app.log(format!("[hooks] \"{name}\" console.{level}: {text}"));
    }
    let failure = |id: &str| Err(ApiError::plain(id));
    let value = match result.outcome {
        Outcome::Returned(v) => v.unwrap_or(Value::Null),
        Outcome::Missing => {
            app.log(format!(
                "[hooks] Method \"process_incoming_request\" not found in the Integration \"{name}\""
            ));
            Value::Null
        }
        Outcome::LoadFailed(e) => {
            app.log(format!(
                "[hooks] \"{name}\": Error evaluating integration script: {}",
                e.get("stack").and_then(Value::as_str).unwrap_or("")
            ));
            if !v.at_least(7, 0) {
                // 6.x: the thrown failure object has no message, so the reply has no text.
                return Ok(Err(Reply::json(
                    StatusCode::BAD_REQUEST,
                    json!({ "success": false }),
                )));
            }
            return failure("error-evaluating-script");
        }
        Outcome::Failed { reason, error } => {
            app.log(format!(
                "[hooks] \"{name}\": Error running Script in Trigger ({reason}): {}",
                error
                    .get("stack")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .or_else(|| error.get("message").and_then(Value::as_str))
                    .unwrap_or("")
            ));
            return failure("error-running-script");
        }
        Outcome::Unavailable(why) => {
            app.log(format!("[hooks] \"{name}\": {why}"));
            return failure("error-evaluating-script");
        }
    };
    interpret(app, &v, &name, value)
}

/// `process_incoming_request`'s return value (scripts spec §5.3).
fn interpret(
    app: &Arc<App>,
    v: &Version,
    name: &str,
    value: Value,
) -> Result<Result<ScriptOutcome, Reply>, ApiError> {
    if !truthy(Some(&value)) {
        return Ok(Err(Reply::success(Map::new())));
    }
    let Value::Object(mut result) = value else {
        // A truthy non-object (number, string, array…) has no `content`.
        return legacy_or_failure(v, app, name);
    };
    if truthy(result.get("error")) {
        let body = match result.remove("error") {
            Some(Value::Object(mut m)) => {
                m.insert("success".into(), json!(false));
                Value::Object(m)
            }
            Some(other) => json!({ "success": false, "error": other }),
            None => json!({ "success": false }),
        };
        return Ok(Err(Reply::json(StatusCode::BAD_REQUEST, body)));
    }
    let content = match result.remove("content") {
        Some(Value::Object(m)) => m,
        Some(Value::Array(_)) => Map::new(),
        _ => return legacy_or_failure(v, app, name),
    };
    let response = match result.remove("response") {
        Some(Value::Object(m)) => Some(m),
        _ => None,
    };
    let user = match result.remove("user") {
        Some(Value::Object(u)) => {
            let wanted_id = u
                .get("_id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let wanted_name = u
                .get("username")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let found = app.store.read(|s| {
                s.user_by_id(&wanted_id)
                    .or_else(|| s.user_by_username(&wanted_name))
                    .cloned()
            });
            match found {
                Some(u) => Some(u),
                None => return Err(ApiError::plain("error-invalid-user")),
            }
        }
        _ => None,
    };
    Ok(Ok(ScriptOutcome {
        content,
        response,
        user,
    }))
}

/// A truthy result without an object `content`: 7.x/8.x fail on `'separateResponse' in
/// undefined`; 6.x treats it as an empty payload (nothing posted, 200).
fn legacy_or_failure(
    v: &Version,
    app: &Arc<App>,
    name: &str,
) -> Result<Result<ScriptOutcome, Reply>, ApiError> {
    if v.at_least(7, 0) {
        app.log(format!(
            "[hooks] \"{name}\": Error running Script in Trigger: the result has no content object"
        ));
        return Err(ApiError::plain("error-running-script"));
    }
    Ok(Err(Reply::success(Map::new())))
}
