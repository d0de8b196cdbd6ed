//! Runs outgoing integrations when a message is stored (the server's `triggerHandler`):
//! channel and trigger-word matching, the HTTP call, retries and the history rows.
//!
//! With a valid script, `prepare_outgoing_request` shapes or cancels the call and
//! `process_outgoing_response` turns the answer into a message (scripts spec §6); without one,
//! the default request is sent and `ranPrepareScript` stays `false`.

use crate::app::App;
use crate::chat::{self, Defaults};
use crate::config::RuntimeConfig;
use crate::engine::{self, Call, Outcome};
use crate::errors::ApiError;
use crate::model::{Doc, Room, State};
use crate::util::{now_iso, random_id, truthy};
use serde_json::{json, Map, Value};
use std::sync::Arc;
use std::time::Duration;

/// The User-Agent the server's outgoing calls send.
pub const USER_AGENT: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2227.0 Safari/537.36";
const SUCCESS: [u16; 3] = [200, 201, 202];

/// What one execution works from.
#[derive(Clone)]
struct Trigger {
    event: String,
    room: Room,
    message: Doc,
}

fn str_field<'a>(d: &'a Doc, k: &str) -> &'a str {
    d.get(k).and_then(Value::as_str).unwrap_or("")
}

/// Channel keys a message in `room` fires (`getTriggersToExecute`).
fn channel_keys(room: &Room, author: &str, author_name: &str) -> Vec<String> {
    let mut keys = vec![];
    match room.t.as_str() {
        "d" => {
            keys.push("all_direct_messages".to_string());
            for id in room.uids.iter().filter(|u| *u != author) {
                keys.push(format!("@{id}"));
            }
            for name in room.usernames.iter().filter(|u| *u != author_name) {
                keys.push(format!("@{name}"));
            }
        }
        t => {
            keys.push(
                if t == "c" {
                    "all_public_channels"
                } else {
                    "all_private_groups"
                }
                .to_string(),
            );
            keys.push(format!("#{}", room.id));
            if let Some(n) = &room.name {
                keys.push(format!("#{n}"));
            }
        }
    }
    keys
}

/// The trigger word that matches, `Some(None)` when the integration has none, `None` to stop.
fn trigger_word(integration: &Doc, text: &str) -> Option<Option<String>> {
    let words: Vec<&str> = integration
        .get("triggerWords")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if words.is_empty() {
        return Some(None);
    }
    let anywhere = integration.get("triggerWordAnywhere") == Some(&json!(true));
    words
        .into_iter()
        .find(|w| {
            if anywhere {
                text.contains(w)
            } else {
                text.starts_with(w)
            }
        })
        .map(|w| Some(w.to_string()))
}

/// Called after a message is stored (new or edited).
pub fn on_message(app: &Arc<App>, cfg: &RuntimeConfig, message: &Doc) {
    let rid = str_field(message, "rid").to_string();
    let author = message
        .get("u")
        .and_then(|u| u.get("_id"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let found = app.store.read(|s: &State| {
        let room = s.room_by_id(&rid)?.clone();
        let author_name = s
            .user_by_id(&author)
            .map(|u| u.username.clone())
            .unwrap_or_default();
        let keys = channel_keys(&room, &author, &author_name);
        let candidates: Vec<Doc> = s
            .integrations
            .iter()
            .filter(|d| {
                str_field(d, "type") == "webhook-outgoing"
                    && d.get("enabled") == Some(&json!(true))
                    && str_field(d, "event") == "sendMessage"
                    && d.get("channel").and_then(Value::as_array).is_some_and(|c| {
                        c.iter()
                            .filter_map(Value::as_str)
                            .any(|c| keys.iter().any(|k| k == c))
                    })
            })
            .cloned()
            .collect();
        Some((room, candidates))
    });
    let Some((room, candidates)) = found else {
        return;
    };
    for integration in candidates {
        // Never react to a message this integration itself posted (avoids loops).
        let own_bot = message
            .get("bot")
            .and_then(|b| b.get("i"))
            .and_then(Value::as_str)
            == integration.get("_id").and_then(Value::as_str);
        if own_bot {
            continue;
        }
        let urls: Vec<String> = integration
            .get("urls")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let trigger = Trigger {
            event: "sendMessage".into(),
            room: room.clone(),
            message: message.clone(),
        };
        for url in urls {
            spawn(app, cfg, integration.clone(), url, trigger.clone());
        }
    }
}

fn spawn(app: &Arc<App>, cfg: &RuntimeConfig, integration: Doc, url: String, trigger: Trigger) {
    let app = app.clone();
    let scale = cfg.retry_delay_scale;
    tokio::spawn(async move {
        execute(app, integration, url, trigger, scale).await;
    });
}

/// `updateHistory`: creates the row on first call, then `$set`s the given fields.
fn history(app: &App, id: Option<&str>, fields: Map<String, Value>) -> String {
    app.store.write(|s| {
        let now = now_iso();
        if let Some(id) = id {
            if let Some(row) = s
                .history
                .iter_mut()
                .find(|h| h.get("_id").and_then(Value::as_str) == Some(id))
            {
                for (k, v) in fields {
                    row.insert(k, v);
                }
                row.insert("_updatedAt".into(), json!(now));
                return id.to_string();
            }
        }
        let id = random_id(17);
        let mut row = Doc::new();
        row.insert("_id".into(), json!(id));
        row.insert("type".into(), json!("outgoing-webhook"));
        for (k, v) in fields {
            row.insert(k, v);
        }
        row.entry("ranPrepareScript").or_insert(json!(false));
        row.entry("finished").or_insert(json!(false));
        row.insert("_createdAt".into(), json!(now));
        row.insert("_updatedAt".into(), json!(now));
        s.history.push(row);
        id
    })
}

fn fields(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// `mapEventArgsToData` for `sendMessage`.
fn payload(site: &str, integration: &Doc, t: &Trigger, word: &Option<String>) -> Value {
    let mut d = Map::new();
    d.insert(
        "token".into(),
        integration.get("token").cloned().unwrap_or(Value::Null),
    );
    d.insert("bot".into(), json!(false));
    if let Some(w) = word {
        d.insert("trigger_word".into(), json!(w));
    }
    let m = &t.message;
    d.insert("channel_id".into(), json!(t.room.id));
    // Direct messages have no name; the key is then absent, as with `undefined`.
    if let Some(name) = &t.room.name {
        d.insert("channel_name".into(), json!(name));
    }
    d.insert(
        "message_id".into(),
        m.get("_id").cloned().unwrap_or(Value::Null),
    );
    d.insert(
        "timestamp".into(),
        m.get("ts").cloned().unwrap_or(Value::Null),
    );
    d.insert(
        "user_id".into(),
        m.get("u")
            .and_then(|u| u.get("_id"))
            .cloned()
            .unwrap_or(Value::Null),
    );
    d.insert(
        "user_name".into(),
        m.get("u")
            .and_then(|u| u.get("username"))
            .cloned()
            .unwrap_or(Value::Null),
    );
    d.insert("text".into(), m.get("msg").cloned().unwrap_or(json!("")));
    d.insert("siteUrl".into(), json!(site));
    if let Some(a) = m
        .get("alias")
        .filter(|a| a.as_str().is_some_and(|s| !s.is_empty()))
    {
        d.insert("alias".into(), a.clone());
    }
    if let Some(b) = m.get("bot").filter(|b| b.is_object()) {
        d.insert("bot".into(), b.clone());
    }
    if m.contains_key("editedAt") {
        d.insert("isEdited".into(), json!(true));
    }
    if let Some(t) = m.get("tmid") {
        d.insert("tmid".into(), t.clone());
    }
    Value::Object(d)
}

/// Milliseconds before retry number `tries + 1`, or `None` for an unknown `retryDelay`.
pub fn retry_wait_ms(delay: &str, tries: u32) -> Option<u64> {
    match delay {
        "powers-of-ten" => Some(10u64.saturating_pow(tries + 2)),
        "powers-of-two" => Some(2u64.saturating_pow(tries + 1) * 1000),
        "increments-of-two" => Some(u64::from(tries + 1) * 2 * 1000),
        _ => None,
    }
}

async fn execute(app: Arc<App>, integration: Doc, url: String, t: Trigger, scale: f64) {
    let name = str_field(&integration, "name").to_string();
    let iid = str_field(&integration, "_id").to_string();
    let text = str_field(&t.message, "msg").to_string();
    let Some(word) = trigger_word(&integration, &text) else {
        return;
    };
    if t.message.contains_key("editedAt") && integration.get("runOnEdits") != Some(&json!(true)) {
        return;
    }
    let mut hid: Option<String> = None;
    let mut tries: u32 = 0;
    loop {
        // Stop retrying once the integration is disabled or gone.
        let enabled = app.store.read(|s| {
            s.integration(&iid)
                .is_some_and(|d| d.get("enabled") == Some(&json!(true)))
        });
        if !enabled {
            app.log(format!(
                "[outgoing] \"{name}\" is no longer enabled, stopping at try {tries}"
            ));
            return;
        }
        let id = history(
            &app,
            hid.as_deref(),
            fields(json!({
                "step": "start-execute-trigger-url",
                "integration": Value::Object(integration.clone()),
                "event": t.event,
            })),
        );
        hid = Some(id.clone());
        let data = payload(&app.site, &integration, &t, &word);
        let mut mapped = fields(json!({ "step": "mapped-args-to-data", "data": data }));
        if let Some(w) = &word {
            mapped.insert("triggerWord".into(), json!(w));
        }
        history(&app, Some(&id), mapped);
        let next = if engine::has_valid_script(&app.config(), &integration) {
            // Each attempt of a scripted integration is a new row, as on the server.
            hid = None;
            scripted_attempt(&app, &integration, &url, &t, &data, &id).await
        } else {
            plain_attempt(&app, &integration, &url, &t, &data, &id, tries).await
        };
        if matches!(next, Next::Stop) {
            return;
        }
        if !truthy(integration.get("retryFailedCalls")) {
            history(
                &app,
                Some(&id),
                fields(json!({ "step": "failed-and-not-configured-to-retry", "error": true })),
            );
            return;
        }
        let count = integration
            .get("retryCount")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        let delay = integration
            .get("retryDelay")
            .and_then(Value::as_str)
            .unwrap_or("");
        if i64::from(tries) >= count || delay.is_empty() {
            history(
                &app,
                Some(&id),
                fields(json!({ "step": "too-many-retries", "error": true })),
            );
            return;
        }
        history(
            &app,
            Some(&id),
            fields(json!({ "step": format!("going-to-retry-{}", tries + 1), "error": true })),
        );
        let Some(wait) = retry_wait_ms(delay, tries) else {
            history(
                &app,
                Some(&id),
                fields(json!({
                    "step": "failed-and-retry-delay-is-invalid",
                    "error": true,
                    "errorStack": "Error: The integration's retryDelay setting is invalid.\n    at triggerHandler.executeTriggerUrl",
                })),
            );
            return;
        };
        // Capped at a day so absurd retry settings cannot overflow the timer.
        let scaled = ((wait as f64 * scale).max(0.0) as u64).min(86_400_000);
        app.log(format!(
            "[outgoing] trying \"{name}\" to {url} again in {scaled} ms"
        ));
        tokio::time::sleep(Duration::from_millis(scaled)).await;
        tries += 1;
    }
}

/// What an attempt leaves to the retry logic.
enum Next {
    Stop,
    RetryCheck,
}

/// One attempt without a script: the default request, then the default response handling.
async fn plain_attempt(
    app: &Arc<App>,
    integration: &Doc,
    url: &str,
    t: &Trigger,
    data: &Value,
    id: &str,
    tries: u32,
) -> Next {
    let name = str_field(integration, "name");
    history(
        app,
        Some(id),
        fields(json!({ "step": "pre-http-call", "url": url, "httpCallData": data })),
    );
    app.log(format!("[outgoing] \"{name}\" calls {url} (try {tries})"));
    let response = app
        .http
        .post(url)
        .header("User-Agent", USER_AGENT)
        .json(data)
        .send()
        .await;
    match read_response(app, id, response).await {
        Ok((status, body, _)) => {
            default_handling(app, integration, url, t, data, status, &body, id)
        }
        Err(_) => Next::RetryCheck,
    }
}

/// Reads the answer and records `after-http-call`.
async fn read_response(
    app: &App,
    id: &str,
    response: Result<reqwest::Response, reqwest::Error>,
) -> Result<(u16, String, Map<String, Value>), String> {
    let outcome = match response {
        Ok(r) => {
            let status = r.status().as_u16();
            let mut headers = Map::new();
            for (k, v) in r.headers() {
                let v = String::from_utf8_lossy(v.as_bytes()).into_owned();
                match headers.get_mut(k.as_str()) {
                    Some(Value::String(old)) => {
                        old.push_str(", ");
                        old.push_str(&v);
                    }
                    _ => {
                        headers.insert(k.as_str().to_string(), json!(v));
                    }
                }
            }
            Ok((status, r.text().await.unwrap_or_default(), headers))
        }
        Err(e) => Err(e.to_string()),
    };
    match &outcome {
        Ok((_, body, _)) => {
            history(
                app,
                Some(id),
                fields(
                    json!({ "step": "after-http-call", "httpResult": Value::String(body.clone()).to_string() }),
                ),
            );
        }
        Err(e) => {
            history(
                app,
                Some(id),
                fields(
                    json!({ "step": "after-http-call", "httpError": { "name": "FetchError", "message": e } }),
                ),
            );
        }
    }
    outcome
}

/// The server's handling of an answer no script consumed: post a `{text|attachments}` reply,
/// disable on 410, stop on 500, else leave it to the retry logic.
#[allow(clippy::too_many_arguments)]
fn default_handling(
    app: &Arc<App>,
    integration: &Doc,
    url: &str,
    t: &Trigger,
    data: &Value,
    status: u16,
    body: &str,
    id: &str,
) -> Next {
    let name = str_field(integration, "name");
    let iid = str_field(integration, "_id");
    if SUCCESS.contains(&status) {
        respond(app, integration, t, data, body, id);
        return Next::Stop;
    }
    if status == 410 {
        history(
            app,
            Some(id),
            fields(json!({ "step": "after-process-http-status-410", "error": true })),
        );
        app.log(format!(
            "[outgoing] disabling \"{name}\": the URL answered 410 (Gone)"
        ));
        app.store.write(|s| {
            if let Some(d) = s.integration_mut(iid) {
                d.insert("enabled".into(), json!(false));
            }
        });
        return Next::Stop;
    }
    if status == 500 {
        history(
            app,
            Some(id),
            fields(json!({ "step": "after-process-http-status-500", "error": true })),
        );
        app.log(format!("[outgoing] error \"500\" for \"{name}\" to {url}"));
        return Next::Stop;
    }
    Next::RetryCheck
}

/// `data` as the script receives it: `timestamp` is a Date.
fn script_data(data: &Value) -> Value {
    let mut d = data.clone();
    if let Some(ts) = d.get_mut("timestamp") {
        if let Value::String(s) = ts {
            *ts = json!({ "$date": s.clone() });
        }
    }
    d
}

/// Runs one script method and records the `execute-script-*` steps; `None` = `undefined`
/// (also after a throw), `Err(())` = no such method or the script does not load (the server
/// then behaves as if there were no script).
async fn execute_script(
    app: &Arc<App>,
    integration: &Doc,
    method: &str,
    params: Value,
    id: &str,
) -> Result<Option<Value>, ()> {
    let cfg = app.config();
    let name = str_field(integration, "name");
    let result = app
        .scripts
        .run(Call {
            integration,
            version: &cfg.server_version,
            kind: "outgoing",
            method,
            params,
            timeout_ms: cfg.script_timeout_ms,
        })
        .await;
    for (level, text) in &result.logs {
        app.log(format!("[outgoing] \"{name}\" console.{level}: {text}"));
    }
    match result.outcome {
        Outcome::Missing => Err(()),
        Outcome::LoadFailed(e) => {
            app.log(format!(
                "[outgoing] \"{name}\": the script does not load, running without it: {}",
                e.get("message").and_then(Value::as_str).unwrap_or("")
            ));
            Err(())
        }
        Outcome::Returned(v) => {
            history(
                app,
                Some(id),
                fields(json!({ "step": format!("execute-script-before-running-{method}") })),
            );
            Ok(v)
        }
        Outcome::Failed { error, .. } => {
            let stack = error
                .get("stack")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .or_else(|| error.get("message").and_then(Value::as_str))
                .unwrap_or("")
                .to_string();
            let line = format!("Error running Script in the Integration: {stack}");
            running_failed(app, id, name, method, &line, &stack);
            Ok(None)
        }
        Outcome::Unavailable(why) => {
            running_failed(app, id, name, method, &why, &why);
            Ok(None)
        }
    }
}

/// The stack as history stores it: every line indented by two spaces.
/// A script method that did not run to its end: logged, and its history step as the server
/// records it (scripts spec §7.3).
fn running_failed(app: &App, id: &str, name: &str, method: &str, log: &str, stack: &str) {
    app.log(format!("[outgoing] \"{name}\": {log}"));
    history(
        app,
        Some(id),
        fields(json!({
            "step": format!("execute-script-error-running-{method}"),
            "error": true,
            "errorStack": indent(stack),
        })),
    );
}

fn indent(stack: &str) -> String {
    stack
        .lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One attempt with a script (scripts spec §6.1, §6.3, §6.5): prepare, the call, the
/// response script, then the default handling.
async fn scripted_attempt(
    app: &Arc<App>,
    integration: &Doc,
    url: &str,
    t: &Trigger,
    data: &Value,
    id: &str,
) -> Next {
    let name = str_field(integration, "name");
    let default = json!({
        "params": {},
        "method": "POST",
        "url": url,
        "data": script_data(data),
        "headers": { "User-Agent": USER_AGENT },
    });
    let opts = match execute_script(
        app,
        integration,
        "prepare_outgoing_request",
        json!({ "request": default }),
        id,
    )
    .await
    {
        Ok(v) => v,
        Err(()) => Some(default),
    };
    history(
        app,
        Some(id),
        fields(json!({ "step": "after-maybe-ran-prepare", "ranPrepareScript": true })),
    );
    let mut opts = match opts {
        Some(Value::Object(o)) => o,
        Some(v) if truthy(Some(&v)) => Map::new(),
        _ => {
            history(
                app,
                Some(id),
                fields(json!({ "step": "after-prepare-no-opts", "finished": true })),
            );
            return Next::Stop;
        }
    };
    if let Some(Value::Object(message)) = opts.get("message").filter(|m| truthy(Some(m))) {
        match send_message(app, integration, t, data, message.clone()) {
            Ok(list) => history(
                app,
                Some(id),
                fields(json!({ "step": "after-prepare-send-message", "prepareSentMessage": list })),
            ),
            Err(e) => history(
                app,
                Some(id),
                fields(
                    json!({ "step": "after-prepare-send-message-failed", "error": e.message() }),
                ),
            ),
        };
    }
    let target = opts.get("url").filter(|u| truthy(Some(u))).map(js_string);
    let method = opts
        .get("method")
        .filter(|m| truthy(Some(m)))
        .map(js_string);
    let (Some(target), Some(method)) = (target, method) else {
        history(
            app,
            Some(id),
            fields(json!({ "step": "after-prepare-no-url_or_method", "finished": true })),
        );
        return Next::Stop;
    };
    // `opts.headers.Authorization = …` / `opts.headers['Content-Type'] = …` throw without headers.
    let needs_headers = truthy(opts.get("auth")) || truthy(opts.get("data"));
    if needs_headers && !opts.get("headers").is_some_and(Value::is_object) {
        app.log(format!(
            "[outgoing] \"{name}\": TypeError: Cannot set properties of undefined (the prepared request has no headers)"
        ));
        return Next::Stop;
    }
    if let Some(auth) = opts.get("auth").filter(|a| truthy(Some(a))).map(js_string) {
        if !auth.contains(':') {
            app.log(format!(
                "[outgoing] \"{name}\": Error: Invalid Basic Auth for {target}: it must contain a colon"
            ));
            return Next::Stop;
        }
        let encoded = base64(auth.as_bytes());
        if let Some(Value::Object(h)) = opts.get_mut("headers") {
            h.insert("Authorization".into(), json!(format!("Basic {encoded}")));
        }
    }
    let body = opts.get("data").filter(|d| truthy(Some(d))).cloned();
    if body.is_some() {
        if let Some(Value::Object(h)) = opts.get_mut("headers") {
            h.insert("Content-Type".into(), json!("application/json"));
        }
    }
    history(
        app,
        Some(id),
        fields(
            json!({ "step": "pre-http-call", "url": target, "httpCallData": opts.get("data").cloned().unwrap_or(Value::Null) }),
        ),
    );
    app.log(format!(
        "[outgoing] \"{name}\" calls {method} {target} (script)"
    ));
    let response = match build_request(app, &method, &target, &opts, body) {
        Ok(req) => req.send().await,
        Err(e) => {
            history(
                app,
                Some(id),
                fields(
                    json!({ "step": "after-http-call", "httpError": { "name": "TypeError", "message": e } }),
                ),
            );
            return Next::Stop;
        }
    };
    // A call without an answer only records the error: no response script, no retry.
    let Ok((status, text, headers)) = read_response(app, id, response).await else {
        return Next::Stop;
    };
    let params = json!({
        "request": Value::Object(opts),
        "response": {
            "error": null,
            "status_code": status,
            "content": text,
            "content_raw": text,
            "headers": headers,
        },
    });
    if let Ok(result) =
        execute_script(app, integration, "process_outgoing_response", params, id).await
    {
        match result {
            Some(Value::Bool(false)) => {
                history(
                    app,
                    Some(id),
                    fields(json!({ "step": "after-process-false-result", "finished": true })),
                );
                return Next::Stop;
            }
            Some(Value::Object(r)) if truthy(r.get("content")) => {
                let content = match r.get("content") {
                    Some(Value::Object(c)) => c.clone(),
                    _ => Map::new(),
                };
                match send_message(app, integration, t, data, content) {
                    Ok(list) => history(
                        app,
                        Some(id),
                        fields(
                            json!({ "step": "after-process-send-message", "processSentMessage": list, "finished": true }),
                        ),
                    ),
                    Err(e) => history(
                        app,
                        Some(id),
                        fields(
                            json!({ "step": "after-process-send-message-failed", "error": e.message(), "finished": true }),
                        ),
                    ),
                };
                return Next::Stop;
            }
            _ => {}
        }
    }
    // The default handling: an empty body is never posted, nor judged 410/500.
    if text.is_empty() {
        if SUCCESS.contains(&status) {
            history(app, Some(id), fields(json!({ "finished": true })));
            return Next::Stop;
        }
        return Next::RetryCheck;
    }
    default_handling(app, integration, url, t, data, status, &text, id)
}

/// `String(value)` for the few values a script may put in `url`, `method`, `auth`.
fn js_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The server-fetch call of a prepared request: object bodies JSON-encoded, strings as-is.
fn build_request(
    app: &App,
    method: &str,
    url: &str,
    opts: &Map<String, Value>,
    body: Option<Value>,
) -> Result<reqwest::RequestBuilder, String> {
    let m = reqwest::Method::from_bytes(method.to_ascii_uppercase().as_bytes())
        .map_err(|_| format!("Invalid method: {method}"))?;
    let parsed = reqwest::Url::parse(url).map_err(|_| format!("Invalid URL: {url}"))?;
    let mut req = app.http.request(m, parsed);
    if let Some(Value::Object(h)) = opts.get("headers") {
        for (k, v) in h {
            if v.is_null() {
                continue;
            }
            req = req.header(k.as_str(), js_string(v));
        }
    }
    if let Some(b) = body {
        req = req.body(match b {
            Value::String(s) => s,
            other => other.to_string(),
        });
    }
    if let Some(ms) = opts.get("timeout").and_then(Value::as_u64) {
        req = req.timeout(Duration::from_millis(ms.max(1)));
    }
    Ok(req)
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `sendMessage` of the outgoing runner (scripts spec §6.7): as the triggering user when
/// impersonating, else the "Post as" user; into the message's `channel`, else `targetRoom`,
/// else the event's room. Runs the outgoing integrations for what it posted.
fn post_message(
    app: &Arc<App>,
    integration: &Doc,
    t: &Trigger,
    data: &Value,
    mut reply: Map<String, Value>,
) -> Result<Vec<(String, Doc)>, ApiError> {
    let cfg = app.config();
    let sent = app
        .store
        .write(|s| -> Result<Vec<(String, Doc)>, ApiError> {
            let impersonated = if integration.get("impersonateUser") == Some(&json!(true)) {
                data.get("user_name")
                    .and_then(Value::as_str)
                    .and_then(|n| s.user_by_username(n).cloned())
            } else {
                None
            };
            let user = impersonated
                .or_else(|| {
                    s.user_by_username(str_field(integration, "username"))
                        .cloned()
                })
                .ok_or_else(|| ApiError::plain("user not found"))?;
            let target = match reply.get("channel").and_then(Value::as_str) {
                Some(c) if !c.is_empty() => c.to_string(),
                _ => {
                    let target_room = str_field(integration, "targetRoom");
                    if !target_room.is_empty() {
                        target_room.to_string()
                    } else if t.room.t == "d" {
                        format!("@{}", t.room.id)
                    } else {
                        format!("#{}", t.room.id)
                    }
                }
            };
            reply.insert("channel".into(), json!(target));
            reply.insert("bot".into(), json!({ "i": integration.get("_id") }));
            let defaults = Defaults {
                channel: vec![],
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
            chat::process_webhook_message(s, &reply, &user, &defaults)
        });
    if let Ok(sent) = &sent {
        let msgs: Vec<Doc> = sent.iter().map(|(_, m)| m.clone()).collect();
        chat::after_save(app, &cfg, &msgs);
    }
    sent
}

/// [`post_message`] for scripts: the `[{channel, message}]` list history records.
fn send_message(
    app: &Arc<App>,
    integration: &Doc,
    t: &Trigger,
    data: &Value,
    message: Map<String, Value>,
) -> Result<Value, ApiError> {
    let sent = post_message(app, integration, t, data, message)?;
    Ok(Value::Array(
        sent.iter()
            .map(|(c, m)| json!({ "channel": c, "message": Value::Object(m.clone()) }))
            .collect(),
    ))
}

/// Posts the receiver's `{text | attachments}` answer into the room (`sendMessage`).
fn respond(app: &Arc<App>, integration: &Doc, t: &Trigger, data: &Value, body: &str, hid: &str) {
    let reply: Option<Map<String, Value>> =
        serde_json::from_str::<Value>(body)
            .ok()
            .and_then(|v| match v {
                Value::Object(m) if truthy(m.get("text")) || truthy(m.get("attachments")) => {
                    Some(m)
                }
                _ => None,
            });
    let Some(reply) = reply else {
        history(app, Some(hid), fields(json!({ "finished": true })));
        return;
    };
    let sent = post_message(app, integration, t, data, reply);
    match sent {
        Ok(sent) => {
            let list: Vec<Value> = sent
                .iter()
                .map(|(c, m)| json!({ "channel": c, "message": Value::Object(m.clone()) }))
                .collect();
            history(
                app,
                Some(hid),
                fields(
                    json!({ "step": "url-response-sent-message", "processSentMessage": list, "finished": true }),
                ),
            );
        }
        Err(e) => {
            history(
                app,
                Some(hid),
                fields(
                    json!({ "step": "url-response-error", "error": e.message(), "finished": true }),
                ),
            );
        }
    }
}

/// `triggerHandler.replay`: re-runs the recorded call (a new history row).
pub fn replay(
    app: &Arc<App>,
    cfg: &RuntimeConfig,
    integration: &Doc,
    row: &Doc,
) -> Result<(), ApiError> {
    if str_field(integration, "type") != "webhook-outgoing" {
        return Err(ApiError::meteor(
            "integration-type-must-be-outgoing",
            "The integration type to replay must be an outgoing webhook.",
        ));
    }
    let Some(data) = row.get("data").and_then(Value::as_object) else {
        return Err(ApiError::meteor(
            "history-data-must-be-defined",
            "The history data must be defined to replay an integration.",
        ));
    };
    let get = |k: &str| {
        data.get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let (mid, rid, uid) = (get("message_id"), get("channel_id"), get("user_id"));
    let found = app.store.read(|s| {
        let room = s.room_by_id(&rid)?.clone();
        let message = s
            .messages
            .iter()
            .find(|m| m.get("_id").and_then(Value::as_str) == Some(mid.as_str()))
            .cloned()
            .unwrap_or_else(|| {
                // The message may be gone: rebuild what the history recorded.
                let mut m = Doc::new();
                m.insert("_id".into(), json!(mid));
                m.insert("rid".into(), json!(rid));
                m.insert("msg".into(), data.get("text").cloned().unwrap_or(json!("")));
                m.insert(
                    "ts".into(),
                    data.get("timestamp").cloned().unwrap_or(Value::Null),
                );
                m.insert(
                    "u".into(),
                    json!({ "_id": uid, "username": data.get("user_name") }),
                );
                m
            });
        Some((room, message))
    });
    let Some((room, message)) = found else {
        return Ok(());
    };
    let url = row
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let event = row
        .get("event")
        .and_then(Value::as_str)
        .unwrap_or("sendMessage")
        .to_string();
    spawn(
        app,
        cfg,
        integration.clone(),
        url,
        Trigger {
            event,
            room,
            message,
        },
    );
    Ok(())
}
