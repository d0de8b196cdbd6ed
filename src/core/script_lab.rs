//! The script lab's pure half (scripts spec §5–§6): the sample `request` a script receives,
//! what its result would make the server post or answer, error positions, and Rocket.Chat's
//! basic markdown as structured spans. The runner (an iframe and a worker, `public/lab/`)
//! only runs the script; every rule about the result lives here, tested natively.

use crate::core::encode;
use serde_json::{json, Map, Value};

/// What the lab needs to know about the integration, read from the form as typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    /// The integration id, or a placeholder before the first save.
    pub id: String,
    /// The "Post as" username.
    pub post_as: String,
    /// Incoming: target channels; outgoing: watched channels (as typed, comma-separated).
    pub channel: String,
    /// Integration alias, avatar and emoji: the defaults of every posted message.
    pub alias: String,
    /// Avatar image address.
    pub avatar: String,
    /// Emoji shown as avatar.
    pub emoji: String,
    /// Incoming: payloads may pick their own room.
    pub override_destination: bool,
    /// Outgoing: the event name, e.g. `sendMessage`.
    pub event: String,
    /// Outgoing: the URLs, one per line (the first is used).
    pub urls: String,
    /// Outgoing: the integration's token (what the server puts in `data.token`).
    pub token: String,
    /// Outgoing: trigger words, comma-separated (the first is used).
    pub trigger_words: String,
    /// Outgoing: where answers go when set.
    pub target_room: String,
}

/// How the signed-in server compiles and runs scripts (scripts spec §1, §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mode {
    /// The vm2 "compatible sandbox" (5.x–6.x): `HTTP`, `_`, `moment`, no `fetch`.
    pub vm2: bool,
    /// Scripts run untranspiled in strict mode (9.0, or 8.4+ with skip transpile).
    pub strict: bool,
    /// 8.x: a body that is not a plain object reaches the script as `{}`.
    pub objects_only: bool,
    /// 7.7.1+: non-message outgoing events carry only `token` and `bot` (issue #36348).
    pub lean_events: bool,
}

impl Mode {
    /// The mode for a server version (`None`: a current server) and the form's choices.
    pub fn new(
        version: Option<crate::core::version::ServerVersion>,
        engine: &str,
        skip_transpile: bool,
    ) -> Mode {
        let at = |major, minor| version.is_none_or(|v| v.at_least(major, minor));
        let lean = version.is_none_or(|v| (v.major, v.minor, v.patch) >= (7, 7, 1));
        Mode {
            vm2: !at(7, 0) && (engine.trim() != "isolated-vm" || !at(6, 4)),
            strict: version.is_some_and(|v| v.at_least(9, 0))
                || (skip_transpile && at(8, 4) && version.is_some()),
            objects_only: at(8, 0),
            lean_events: lean,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Sample requests

/// One incoming payload template.
#[derive(Clone, Copy, Debug)]
pub struct Template {
    /// Shown in the picker.
    pub label: &'static str,
    /// `Name: value` lines.
    pub headers: &'static str,
    /// The body as sent.
    pub body: &'static str,
}

/// Payloads a person can start from (incoming).
pub const TEMPLATES: [Template; 4] = [
    Template {
        label: "Git push (GitHub)",
        headers: "Content-Type: application/json\nX-GitHub-Event: push",
        body: r#"{
  "ref": "refs/heads/main",
  "compare": "https://github.com/acme/widgets/compare/1a2b3c4...9f8e7d6",
  "pusher": { "name": "octocat" },
  "repository": { "full_name": "acme/widgets", "html_url": "https://github.com/acme/widgets" },
  "commits": [
    { "id": "9f8e7d6c5b4a", "url": "https://github.com/acme/widgets/commit/9f8e7d6c5b4a",
      "message": "Fix login redirect\n\nDetails...", "author": { "name": "Mona" } },
    { "id": "5a6b7c8d9e0f", "url": "https://github.com/acme/widgets/commit/5a6b7c8d9e0f",
      "message": "Bump deps", "author": { "name": "Mona" } }
  ]
}"#,
    },
    Template {
        label: "CI result",
        headers: "Content-Type: application/json",
        body: r#"{
  "pipeline": { "id": 4211, "status": "failed", "ref": "main", "duration": 312,
    "url": "https://ci.example.com/acme/widgets/pipelines/4211" },
  "project": { "name": "widgets", "namespace": "acme" },
  "commit": { "sha": "9f8e7d6c5b4a", "message": "Fix login redirect", "author": "Mona" },
  "failed_jobs": ["test:unit", "lint"]
}"#,
    },
    Template {
        label: "Monitoring alert (Alertmanager)",
        headers: "Content-Type: application/json",
        body: r#"{
  "status": "firing",
  "alerts": [
    { "labels": { "alertname": "HighCPU", "severity": "critical", "instance": "db-1:9100" },
      "annotations": { "summary": "CPU above 95% for 10 minutes" },
      "startsAt": "2026-05-04T10:00:00Z", "generatorURL": "https://prom.example/graph?g0.expr=cpu" }
  ]
}"#,
    },
    Template {
        label: "Plain text message",
        headers: "Content-Type: application/json",
        body: r#"{ "text": "Deploy of *widgets* finished: https://widgets.example.com" }"#,
    },
];

/// `Name: value` lines as a lower-case header object (repeated names joined with `, `).
pub fn header_object(lines: &str) -> Map<String, Value> {
    let mut out = Map::new();
    for line in lines.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        let value = value.trim();
        let joined = match out.get(&name).and_then(Value::as_str) {
            Some(old) => format!("{old}, {value}"),
            None => value.to_owned(),
        };
        out.insert(name, Value::String(joined));
    }
    out
}

/// Decodes `application/x-www-form-urlencoded` text (`+` is a space).
pub fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |j: usize| {
            bytes
                .get(j)
                .and_then(|c| (*c as char).to_digit(16))
                .map(|d| d as u8)
        };
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push(h * 16 + l);
                i += 3;
            }
            (b'+', ..) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The text spread into an object of characters, as the server does for bodies it does not
/// parse (`"ab"` → `{"0":"a","1":"b"}`, by UTF-16 unit like JavaScript's spread of a string
/// into an object would be by code point; code points are used here).
fn char_map(text: &str) -> Value {
    Value::Object(
        text.chars()
            .enumerate()
            .map(|(i, c)| (i.to_string(), Value::String(c.to_string())))
            .collect(),
    )
}

/// `bodyParams` as the 7.x/8.x router makes it (scripts spec §5.1): `Err` is the 400 parse message.
pub fn body_params(content_type: &str, body: &str, mode: Mode) -> Result<Value, String> {
    let parse = |text: &str| serde_json::from_str::<Value>(text).map_err(|e| e.to_string());
    let params = if content_type == "application/x-www-form-urlencoded" {
        let fields: Vec<(String, String)> = body
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (form_decode(k), form_decode(v))
            })
            .collect();
        match fields.as_slice() {
            [(k, v)] if k == "payload" => parse(v)?,
            [_] => parse(body)?,
            _ if body.is_empty() => json!({}),
            _ => char_map(body),
        }
    } else if content_type.contains("application/json") {
        parse(body).unwrap_or_else(|_| json!({}))
    } else if body.is_empty() {
        json!({})
    } else {
        char_map(body)
    };
    Ok(if mode.objects_only && !params.is_object() {
        json!({})
    } else {
        params
    })
}

/// The `request` given to `process_incoming_request` (scripts spec §5.2, 7.x/8.x), or the 400 reply
/// the server sends before any script when the body does not parse.
pub fn incoming_request(
    facts: &Facts,
    headers: &str,
    body: &str,
    query: &str,
    mode: Mode,
) -> Result<Value, Value> {
    let headers = header_object(headers);
    let content_type = headers
        .get("content-type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let content = body_params(&content_type, body, mode)
        .map_err(|e| json!({ "success": false, "error": e }))?;
    let token = "sample-token";
    let pathname = format!("/hooks/{}/{token}", facts.id);
    let query = query.trim_start_matches('?');
    let search = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    let url_raw = format!("http://localhost{pathname}{search}");
    let parsed: Map<String, Value> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (form_decode(k), Value::String(form_decode(v)))
        })
        .collect();
    Ok(json!({
        "url": { "hash": "", "search": search, "query": parsed, "pathname": pathname, "path": url_raw },
        "url_raw": url_raw,
        "url_params": { "integrationId": facts.id, "token": token },
        "content": content,
        "body": content,
        "content_raw": body,
        "headers": headers,
        "user": { "_id": "post-as-user-id", "name": "", "username": facts.post_as.trim() },
    }))
}

/// The user agent the server sends (scripts spec §6.2).
pub const USER_AGENT: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2227.0 Safari/537.36";

/// The first entry of a comma-separated list, trimmed.
fn first(list: &str) -> &str {
    list.split([',', '\n'])
        .map(str::trim)
        .find(|s| !s.is_empty())
        .unwrap_or("")
}

/// The event room the sample uses: the first watched `#room`, else `general`.
fn sample_room(facts: &Facts) -> String {
    let room = first(&facts.channel);
    match room.strip_prefix('#') {
        Some(name) if !name.is_empty() => name.to_owned(),
        _ => "general".to_owned(),
    }
}

/// The default `request` given to `prepare_outgoing_request` for the form's event, with a
/// sample message (scripts spec §6.2). Dates are `{"$date": …}`; the runner makes them `Date`s.
pub fn outgoing_request(facts: &Facts, site_url: &str, mode: Mode) -> Value {
    let room = sample_room(facts);
    let ts = json!({ "$date": "2026-05-04T10:00:00.000Z" });
    let user = json!({ "_id": "U1", "username": "alice", "name": "Alice" });
    let room_doc = json!({ "_id": "R1", "name": room, "t": "c" });
    let mut data = json!({ "token": facts.token.trim(), "bot": false });
    let word = first(&facts.trigger_words);
    let text = if word.is_empty() {
        "Hello from the script lab".to_owned()
    } else {
        format!("{word} 4711")
    };
    let common = json!({
        "channel_id": "R1", "channel_name": room, "timestamp": ts,
        "user_id": "U1", "user_name": "alice",
    });
    let event = facts.event.trim();
    let message_event = matches!(event, "sendMessage" | "fileUploaded" | "");
    if let (Value::Object(d), Value::Object(c)) = (&mut data, common) {
        if message_event || !mode.lean_events {
            d.extend(c);
        }
        match event {
            "sendMessage" | "" => {
                if !word.is_empty() {
                    d.insert("trigger_word".into(), json!(word));
                }
                d.insert("message_id".into(), json!("M1"));
                d.insert("text".into(), json!(text));
                d.insert("siteUrl".into(), json!(site_url));
            }
            "fileUploaded" => {
                d.insert("message_id".into(), json!("M1"));
                d.insert("text".into(), json!(""));
                d.insert("user".into(), user);
                d.insert("room".into(), room_doc);
                d.insert(
                    "message".into(),
                    json!({ "_id": "M1", "rid": "R1", "msg": "", "file": { "_id": "F1", "name": "report.pdf", "type": "application/pdf" } }),
                );
            }
            _ if mode.lean_events => {}
            "roomCreated" => {
                d.insert("owner".into(), user);
                d.insert("room".into(), room_doc);
            }
            "userCreated" => {
                for k in ["channel_id", "channel_name"] {
                    d.remove(k);
                }
                d.insert("user".into(), user);
            }
            _ => {
                d.insert("user".into(), user);
                d.insert("room".into(), room_doc);
            }
        }
    }
    json!({
        "params": {},
        "method": "POST",
        "url": first(&facts.urls),
        "data": data,
        "headers": { "User-Agent": USER_AGENT },
    })
}

/// A sample answer of the remote service, for `process_outgoing_response`.
pub const SAMPLE_ANSWER: &str = r#"{
  "id": "4711", "title": "Printer on fire", "status": "open", "assignee": "bob",
  "url": "https://helpdesk.example.com/t/4711", "text": "Ticket 4711 is open"
}"#;

// ---------------------------------------------------------------------------------------
// Talking to the runner

/// The runner's check of the script's syntax, as JSON text.
pub fn check_message(id: u32, script: &str, mode: Mode) -> String {
    json!({ "op": "check", "id": id, "script": script, "parseOnly": mode.strict }).to_string()
}

/// One method call in the runner, as JSON text; calls of one `session` share the instance.
pub fn call_message(
    id: u32,
    session: u32,
    script: &str,
    mode: Mode,
    method: &str,
    arg: &Value,
) -> String {
    json!({
        "op": "call", "id": id, "session": session, "script": script,
        "engine": if mode.vm2 { "vm2" } else { "ivm" }, "strict": mode.strict,
        "method": method, "arg": arg, "timeout": 2000,
    })
    .to_string()
}

/// Where a script error happened, in the person's script (1-based line and column).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1.
    pub column: u32,
}

impl Pos {
    /// "line 3, column 7".
    pub fn label(&self) -> String {
        format!("line {}, column {}", self.line, self.column)
    }
}

/// A position in a wrapped text back in the person's script: `offset` wrapper lines come
/// first; positions inside the wrapper are `None`.
pub fn unwrap_position(line: u32, column: u32, offset: u32, script_lines: u32) -> Option<Pos> {
    let line = line
        .checked_sub(offset)
        .filter(|l| *l >= 1 && *l <= script_lines)?;
    Some(Pos {
        line,
        column: column.max(1),
    })
}

/// The position in a stored `scriptError`'s message or stack: Babel's `… (3:7)` and the
/// sandbox's `integration script:3:7` (0-based columns), or isolated-vm's
/// `[<isolated-vm>:46:8]` (the script starts on wrapper line 44, one tab in).
pub fn stored_error_position(message: &str) -> Option<Pos> {
    let num = |s: &str| s.trim().parse::<u32>().ok();
    if let Some(start) = message.find("[<isolated-vm>:") {
        let rest = message.get(start + 15..)?;
        let inner = rest.split(']').next()?;
        let (l, c) = inner.split_once(':')?;
        let line = num(l)?.checked_sub(43).filter(|l| *l >= 1)?;
        let column = num(c)?;
        return Some(Pos {
            line,
            column: if line == 1 {
                column.saturating_sub(1).max(1)
            } else {
                column
            },
        });
    }
    if let Some(start) = message.find("integration script:") {
        let inner = message.get(start + 19..)?.split([')', '\n']).next()?;
        let (l, c) = inner.split_once(':')?;
        return Some(Pos {
            line: num(l)?,
            column: num(c)? + 1,
        });
    }
    let open = message.rfind('(')?;
    let inner = message.get(open + 1..)?.split(')').next()?;
    let (l, c) = inner.split_once(':')?;
    Some(Pos {
        line: num(l)?,
        column: num(c)? + 1,
    })
}

/// Why a run failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Loading the script (top level, constructor, syntax at run time): `error-evaluating-script`.
    Load,
    /// The method threw or rejected: `error-running-script`.
    Run,
    /// The lab stopped it after its time limit.
    Timeout,
    /// The returned value could not be copied out.
    Clone,
}

/// An error of a script, with its position in the script when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptError {
    /// When it happened.
    pub phase: Phase,
    /// `TypeError`, `SyntaxError`, …
    pub name: String,
    /// The message.
    pub message: String,
    /// The stack, positions mapped to `script:line:column`.
    pub stack: String,
    /// Where in the script.
    pub pos: Option<Pos>,
}

/// What one call returned.
#[derive(Clone, Debug, PartialEq)]
pub enum Called {
    /// The method returned this (`None`: `undefined`).
    Returned(Option<Value>),
    /// The script has no such method.
    Missing,
    /// It failed.
    Failed(ScriptError),
}

/// One line of console output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    /// `log`, `warn`, `error`, …
    pub level: String,
    /// The arguments as text.
    pub text: String,
}

/// A reply of the runner.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// The runner page is ready for messages.
    Ready,
    /// A syntax check: `None` when the script parses.
    Checked {
        /// The request id.
        id: u32,
        /// The syntax error.
        error: Option<ScriptError>,
    },
    /// A method call.
    Called {
        /// The request id.
        id: u32,
        /// What it gave.
        result: Called,
        /// What it printed.
        console: Vec<LogLine>,
    },
}

fn script_error(v: &Value, phase: Phase) -> ScriptError {
    let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let num = |k: &str| {
        v.get(k)
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    ScriptError {
        phase,
        name: text("name"),
        message: text("message"),
        stack: text("stack"),
        pos: match (num("line"), num("column")) {
            (Some(line), Some(column)) if line > 0 => Some(Pos {
                line,
                column: column.max(1),
            }),
            _ => None,
        },
    }
}

/// Reads a runner message (untrusted JSON text); anything malformed is `None`.
pub fn parse_reply(text: &str) -> Option<Reply> {
    let v: Value = serde_json::from_str(text).ok()?;
    let id = || {
        v.get("id")
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    let ok = v.get("ok").and_then(Value::as_bool).unwrap_or(false);
    match v.get("op")?.as_str()? {
        "ready" => Some(Reply::Ready),
        "check" => Some(Reply::Checked {
            id: id()?,
            error: (!ok).then(|| script_error(v.get("error").unwrap_or(&Value::Null), Phase::Load)),
        }),
        "call" => {
            let phase = match v.get("phase").and_then(Value::as_str) {
                Some("load") => Phase::Load,
                Some("timeout") => Phase::Timeout,
                Some("clone") => Phase::Clone,
                _ => Phase::Run,
            };
            let result = if !ok {
                Called::Failed(script_error(v.get("error").unwrap_or(&Value::Null), phase))
            } else if v.get("missing").and_then(Value::as_bool) == Some(true) {
                Called::Missing
            } else if v.get("defined").and_then(Value::as_bool) == Some(true) {
                Called::Returned(Some(v.get("value").cloned().unwrap_or(Value::Null)))
            } else {
                Called::Returned(None)
            };
            let console = v
                .get("console")
                .and_then(Value::as_array)
                .map(|lines| {
                    lines
                        .iter()
                        .map(|l| LogLine {
                            level: l
                                .get("level")
                                .and_then(Value::as_str)
                                .unwrap_or("log")
                                .to_owned(),
                            text: l
                                .get("text")
                                .and_then(Value::as_str)
                                .unwrap_or("")
                                .to_owned(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            Some(Reply::Called {
                id: id()?,
                result,
                console,
            })
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// From a result to what the server would do

/// One message the server would post.
#[derive(Clone, Debug, PartialEq)]
pub struct Post {
    /// Where: `#room`, `@user`, or a room id.
    pub target: String,
    /// Who posts it (username).
    pub poster: String,
    /// The message object handed to `sendMessage` (scripts spec §5.4).
    pub message: Value,
}

/// The HTTP call an outgoing webhook would make.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpCall {
    /// Method.
    pub method: String,
    /// Address.
    pub url: String,
    /// Headers as sent.
    pub headers: Vec<(String, String)>,
    /// Body text, if any.
    pub body: Option<String>,
    /// The `opts` object as `process_outgoing_response` gets it.
    pub request: Value,
}

/// What the server would do with a script's result.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Incoming: the HTTP reply (status, body).
    pub reply: Option<(u16, Value)>,
    /// Messages it would post.
    pub posts: Vec<Post>,
    /// Outgoing: the call it would make.
    pub call: Option<HttpCall>,
    /// Plain-words notes on what happened.
    pub notes: Vec<String>,
}

/// JavaScript truthiness of a JSON value.
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// A non-empty string value of `key`.
fn text_of(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Every target of a payload: `channel`, else `roomId`, else the defaults; duplicates removed.
fn targets(payload: &Value, defaults: &str) -> Vec<String> {
    let list = |v: Option<&Value>| -> Vec<String> {
        match v {
            Some(Value::String(s)) => s.split(',').map(|x| x.trim().to_owned()).collect(),
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .map(|x| x.trim().to_owned())
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut out: Vec<String> = [list(payload.get("channel")), list(payload.get("roomId"))]
        .into_iter()
        .map(|l| l.into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>())
        .find(|l| !l.is_empty())
        .unwrap_or_else(|| {
            defaults
                .split(',')
                .map(|x| x.trim().to_owned())
                .filter(|x| !x.is_empty())
                .collect()
        });
    let mut seen = Vec::new();
    out.retain(|t| {
        let new = !seen.contains(t);
        seen.push(t.clone());
        new
    });
    out
}

/// The message `processWebhookMessage` builds from a payload (scripts spec §5.4), with the
/// integration's alias/avatar/emoji as defaults; `null` values are dropped.
pub fn build_message(payload: &Value, facts: &Facts) -> (Value, Vec<String>) {
    let mut notes = Vec::new();
    let mut m = Map::new();
    let msg = text_of(payload, "text")
        .or_else(|| text_of(payload, "msg"))
        .unwrap_or_default();
    m.insert("msg".into(), json!(msg.trim()));
    let alias = text_of(payload, "username")
        .or_else(|| text_of(payload, "alias"))
        .unwrap_or_else(|| facts.alias.trim().to_owned());
    m.insert("alias".into(), json!(alias));
    let own = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let picture = text_of(payload, "icon_url")
        .or_else(|| text_of(payload, "avatar"))
        .map(|a| ("avatar", a))
        .or_else(|| {
            text_of(payload, "icon_emoji")
                .or_else(|| text_of(payload, "emoji"))
                .map(|e| ("emoji", e))
        })
        .or_else(|| own(&facts.avatar).map(|a| ("avatar", a)))
        .or_else(|| own(&facts.emoji).map(|e| ("emoji", e)));
    if let Some((key, value)) = picture {
        m.insert(key.into(), json!(value));
    }
    let attachments = match payload.get("attachments") {
        Some(Value::Array(list)) => Some(
            list.iter()
                .map(|a| {
                    let mut a = a.clone();
                    if let Value::Object(o) = &mut a {
                        if let Some(text) = o.remove("msg") {
                            let text = text.as_str().map_or(text.clone(), |t| json!(t.trim()));
                            o.insert("text".into(), text);
                        }
                    }
                    a
                })
                .collect::<Vec<_>>(),
        ),
        Some(Value::Null) | None => None,
        Some(_) => {
            notes.push("attachments is not an array: the server ignores it.".to_owned());
            None
        }
    };
    let parse_urls = payload
        .get("parseUrls")
        .filter(|v| !v.is_null())
        .cloned()
        .unwrap_or(json!(attachments.is_none()));
    m.insert("attachments".into(), json!(attachments.unwrap_or_default()));
    m.insert("parseUrls".into(), parse_urls);
    m.insert(
        "groupable".into(),
        payload
            .get("groupable")
            .filter(|v| !v.is_null())
            .cloned()
            .unwrap_or(json!(false)),
    );
    for key in ["tmid", "customFields"] {
        if let Some(v) = payload.get(key).filter(|v| !v.is_null()) {
            m.insert(key.into(), v.clone());
        }
    }
    m.insert("bot".into(), json!({ "i": facts.id }));
    (Value::Object(m), notes)
}

/// What an incoming webhook would answer and post for a `process_incoming_request` result
/// (scripts spec §5.3, 7.x/8.x).
pub fn incoming_outcome(result: &Called, facts: &Facts) -> Outcome {
    let fail = |error: &str, note: String| Outcome {
        reply: Some((400, json!({ "success": false, "error": error }))),
        notes: vec![note],
        ..Outcome::default()
    };
    let nothing = |note: &str| Outcome {
        reply: Some((200, json!({ "success": true }))),
        notes: vec![note.to_owned()],
        ..Outcome::default()
    };
    let value = match result {
        Called::Missing => {
            return nothing("The script has no process_incoming_request method: nothing is posted.")
        }
        Called::Failed(e) if e.phase == Phase::Load => {
            return fail(
                "error-evaluating-script",
                "The script failed to load.".into(),
            )
        }
        Called::Failed(e) => {
            let why = match e.phase {
                Phase::Timeout => "The lab stopped the script. The server has no time limit for methods: such a loop would block it.",
                Phase::Clone => "The returned value cannot be copied out of the sandbox.",
                _ => "The script threw an error.",
            };
            return fail("error-running-script", why.into());
        }
        Called::Returned(None) => {
            return nothing("The script returned nothing: nothing is posted.")
        }
        Called::Returned(Some(v)) if !truthy(v) => {
            return nothing("The script returned a falsy value: nothing is posted.")
        }
        Called::Returned(Some(v)) => v,
    };
    if let Some(error) = value.get("error").filter(|e| truthy(e)) {
        let body = match error {
            Value::Object(o) => {
                let mut o = o.clone();
                o.insert("success".into(), json!(false));
                Value::Object(o)
            }
            other => json!({ "success": false, "error": other }),
        };
        return Outcome {
            reply: Some((400, body)),
            notes: vec!["The script returned an error: nothing is posted.".into()],
            ..Outcome::default()
        };
    }
    let content = match value.get("content") {
        Some(c @ Value::Object(_)) => c,
        _ => {
            return fail(
                "error-running-script",
                "The result has no content object: servers 7.x and later answer with an error."
                    .into(),
            )
        }
    };
    if (content.get("channel").is_some_and(truthy) || content.get("roomId").is_some_and(truthy))
        && !facts.override_destination
    {
        return Outcome {
            reply: Some((
                400,
                json!({ "success": false, "error": "overriding destination channel is disabled for this integration" }),
            )),
            notes: vec![
                "The content picks its own room, but the webhook does not allow that.".into(),
            ],
            ..Outcome::default()
        };
    }
    let poster = value
        .get("user")
        .and_then(|u| u.get("username"))
        .and_then(Value::as_str)
        .unwrap_or(facts.post_as.trim())
        .to_owned();
    let (message, mut notes) = build_message(content, facts);
    let mut rooms = targets(content, &facts.channel);
    if rooms.is_empty() {
        // Shown anyway, so a new webhook can be tried before its room is chosen.
        notes.push("No room yet: the server posts to the rooms in “Post to”.".into());
        rooms.push(String::new());
    }
    let posts = rooms
        .into_iter()
        .map(|target| Post {
            target,
            poster: poster.clone(),
            message: message.clone(),
        })
        .collect();
    let reply = match value.get("response") {
        Some(Value::Object(r)) => {
            let mut r = r.clone();
            r.insert("success".into(), json!(true));
            Value::Object(r)
        }
        _ => json!({ "success": true }),
    };
    Outcome {
        reply: Some((200, reply)),
        posts,
        notes,
        ..Outcome::default()
    }
}

/// Base64 (standard alphabet, padded), for Basic auth.
pub fn base64(input: &[u8]) -> String {
    encode::base64(input, encode::BASE64_STANDARD, true)
}

/// The room messages of an outgoing webhook go to (scripts spec §6.7).
fn outgoing_target(message: &Value, facts: &Facts, request: &Value) -> String {
    if let Some(c) = text_of(message, "channel") {
        return c;
    }
    if !facts.target_room.trim().is_empty() {
        return facts.target_room.trim().to_owned();
    }
    let data = request.get("data").unwrap_or(&Value::Null);
    match text_of(data, "channel_name").or_else(|| text_of(data, "channel_id")) {
        Some(room) => format!("#{room}"),
        None => String::new(),
    }
}

/// A message posted from an outgoing script (`message` of prepare, `content` of process).
fn outgoing_post(message: &Value, facts: &Facts, request: &Value) -> Option<Post> {
    let target = outgoing_target(message, facts, request);
    (!target.is_empty()).then(|| Post {
        target,
        poster: facts.post_as.trim().to_owned(),
        message: build_message(message, facts).0,
    })
}

/// What `prepare_outgoing_request`'s result makes the server do (scripts spec §6.1 steps 4–6, §6.3).
/// `request` is the request the script was given.
pub fn prepare_outcome(result: &Called, request: &Value, facts: &Facts) -> Outcome {
    let mut out = Outcome::default();
    let opts = match result {
        Called::Missing => request.clone(),
        Called::Failed(_) => {
            out.notes
                .push("The script threw an error: the server makes no call.".into());
            return out;
        }
        Called::Returned(Some(v)) if truthy(v) => v.clone(),
        Called::Returned(_) => {
            out.notes
                .push("The script returned nothing: the server makes no call.".into());
            return out;
        }
    };
    if let Some(message) = opts.get("message").filter(|m| m.is_object()) {
        match outgoing_post(message, facts, request) {
            Some(p) => out.posts.push(p),
            None => out.notes.push("The message has no room to go to.".into()),
        }
    }
    let (Some(url), Some(method)) = (text_of(&opts, "url"), text_of(&opts, "method")) else {
        out.notes
            .push("No url or method: the server makes no call.".into());
        return out;
    };
    let mut opts = opts;
    let auth = opts.get("auth").filter(|a| truthy(a)).cloned();
    let data = opts.get("data").filter(|d| !d.is_null()).cloned();
    if auth.is_some() || data.is_some() {
        let Some(Value::Object(headers)) = opts.get_mut("headers") else {
            out.notes.push("The result sets data or auth but no headers object: the server fails before sending.".into());
            return out;
        };
        if let Some(auth) = &auth {
            let Some(auth) = auth.as_str().filter(|a| a.contains(':')) else {
                out.notes.push(
                    "auth must be \"user:password\": the server fails before sending.".into(),
                );
                return out;
            };
            headers.insert(
                "Authorization".into(),
                json!(format!("Basic {}", base64(auth.as_bytes()))),
            );
        }
        if data.is_some() {
            headers.insert("Content-Type".into(), json!("application/json"));
        }
    }
    let headers = match opts.get("headers") {
        Some(Value::Object(h)) => h
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    let body = data.map(|d| match d {
        Value::String(s) => s,
        other => other.to_string(),
    });
    out.call = Some(HttpCall {
        method,
        url,
        headers,
        body,
        request: opts,
    });
    out
}

/// The `response` given to `process_outgoing_response` for a sample answer (scripts spec §6.5).
pub fn response_arg(status: u16, content_type: &str, body: &str) -> Value {
    json!({
        "error": null, "status_code": status, "content": body, "content_raw": body,
        "headers": { "content-type": content_type },
    })
}

/// What happens after the answer: the response script's result, else the default handling
/// (scripts spec §6.5, §6.6). `request` is the event's request (the one prepare was given): its
/// room is where answers go by default.
pub fn response_outcome(
    result: &Called,
    request: &Value,
    facts: &Facts,
    status: u16,
    content_type: &str,
    body: &str,
) -> Outcome {
    let mut out = Outcome::default();
    match result {
        Called::Returned(Some(Value::Bool(false))) => {
            out.notes
                .push("The script returned false: nothing is posted and no retry.".into());
            return out;
        }
        Called::Returned(Some(v)) if v.get("content").is_some_and(truthy) => {
            let content = v.get("content").unwrap_or(&Value::Null);
            match outgoing_post(content, facts, request) {
                Some(p) => out.posts.push(p),
                None => out.notes.push("The message has no room to go to.".into()),
            }
            return out;
        }
        Called::Failed(_) => out
            .notes
            .push("The response script threw: the server goes on as without it.".into()),
        _ => {}
    }
    let json_type =
        content_type.contains("application/json") || content_type.contains("javascript");
    let posted = (matches!(status, 200..=202) && !body.trim().is_empty() && json_type)
        .then(|| serde_json::from_str::<Value>(body).ok())
        .flatten()
        .filter(|v| v.get("text").is_some() || v.get("attachments").is_some());
    match posted {
        Some(v) => match outgoing_post(&v, facts, request) {
            Some(p) => {
                out.notes
                    .push("The answer has text or attachments: the server posts it.".into());
                out.posts.push(p);
            }
            None => out.notes.push("The answer has no room to go to.".into()),
        },
        None if status == 410 && !body.is_empty() => out
            .notes
            .push("HTTP 410: the server disables this webhook.".into()),
        None if status == 500 && !body.is_empty() => out
            .notes
            .push("HTTP 500: the server stops, without retrying.".into()),
        None if matches!(status, 200..=202) => {
            out.notes.push("Nothing to post from the answer.".into())
        }
        None => out
            .notes
            .push("A failed call: the server retries it if retries are on.".into()),
    }
    out
}

// ---------------------------------------------------------------------------------------
// The message as shown

/// One attachment as shown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attachment {
    /// Colour of the bar (only `#rgb`/`#rrggbb` or a plain colour name).
    pub color: Option<String>,
    /// Author line.
    pub author: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Where the title links (http, https or mailto only).
    pub title_link: Option<String>,
    /// Text (markdown).
    pub text: Option<String>,
    /// `(title, value, short)`.
    pub fields: Vec<(String, String, bool)>,
    /// An image (http or https only).
    pub image_url: Option<String>,
}

/// A safe link target: http, https or mailto; anything else (javascript:, data:) is dropped.
pub fn safe_link(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:"))
        .then(|| url.to_owned())
}

/// A colour usable in a style attribute, or `None`.
pub fn safe_color(color: &str) -> Option<String> {
    let c = color.trim();
    let ok = match c.strip_prefix('#') {
        Some(hex) => {
            matches!(hex.len(), 3 | 4 | 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => !c.is_empty() && c.len() <= 20 && c.bytes().all(|b| b.is_ascii_alphabetic()),
    };
    ok.then(|| c.to_owned())
}

/// The character of a few common emoji shortcodes, for the message avatar; others show as text.
pub fn emoji_char(code: &str) -> Option<&'static str> {
    const KNOWN: [(&str, &str); 16] = [
        (":rotating_light:", "🚨"),
        (":warning:", "⚠️"),
        (":package:", "📦"),
        (":rocket:", "🚀"),
        (":white_check_mark:", "✅"),
        (":x:", "❌"),
        (":bell:", "🔔"),
        (":robot:", "🤖"),
        (":ghost:", "👻"),
        (":fire:", "🔥"),
        (":octocat:", "🐙"),
        (":construction_worker:", "👷"),
        (":tada:", "🎉"),
        (":bug:", "🐛"),
        (":information_source:", "ℹ️"),
        (":heavy_check_mark:", "✔️"),
    ];
    KNOWN
        .iter()
        .find(|(k, _)| *k == code.trim())
        .map(|(_, c)| *c)
}

/// The attachments of a message, as shown.
pub fn attachments(message: &Value) -> Vec<Attachment> {
    let Some(list) = message.get("attachments").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .map(|a| Attachment {
            color: text_of(a, "color").and_then(|c| safe_color(&c)),
            author: text_of(a, "author_name"),
            title: text_of(a, "title"),
            title_link: text_of(a, "title_link").and_then(|l| safe_link(&l)),
            text: text_of(a, "text"),
            fields: a
                .get("fields")
                .and_then(Value::as_array)
                .map(|fs| {
                    fs.iter()
                        .map(|f| {
                            (
                                text_of(f, "title").unwrap_or_default(),
                                text_of(f, "value").unwrap_or_default(),
                                f.get("short").and_then(Value::as_bool).unwrap_or(false),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
            image_url: text_of(a, "image_url")
                .and_then(|l| safe_link(&l))
                .filter(|l| !l.starts_with("mailto")),
        })
        .collect()
}

/// A run of message text with its style.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Span {
    /// The text, never markup.
    pub text: String,
    /// `*bold*`.
    pub bold: bool,
    /// `_italic_`.
    pub italic: bool,
    /// `~strike~`.
    pub strike: bool,
    /// `` `code` `` or a ```` ``` ```` block.
    pub code: bool,
    /// A link target (http, https, mailto only).
    pub link: Option<String>,
}

#[derive(Clone, Copy, Default)]
struct Style {
    bold: bool,
    italic: bool,
    strike: bool,
}

fn push_text(out: &mut Vec<Span>, text: &str, style: Style) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(last)
            if last.link.is_none()
                && !last.code
                && (last.bold, last.italic, last.strike)
                    == (style.bold, style.italic, style.strike) =>
        {
            last.text.push_str(text)
        }
        _ => out.push(Span {
            text: text.to_owned(),
            bold: style.bold,
            italic: style.italic,
            strike: style.strike,
            ..Span::default()
        }),
    }
}

fn push_special(out: &mut Vec<Span>, text: &str, style: Style, code: bool, link: Option<String>) {
    out.push(Span {
        text: text.to_owned(),
        bold: style.bold,
        italic: style.italic,
        strike: style.strike,
        code,
        link,
    });
}

/// Rocket.Chat's basic message markdown as spans: `*bold*`, `_italic_`, `~strike~`,
/// `` `code` ``, ```` ``` ```` blocks, `[text](url)`, `<url|text>` and bare web addresses.
pub fn markdown(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    inline(text, Style::default(), &mut out);
    out
}

fn inline(text: &str, style: Style, out: &mut Vec<Span>) {
    let mut rest = text;
    let mut plain_start = 0usize;
    let mut i = 0usize;
    let flush =
        |out: &mut Vec<Span>, from: usize, to: usize| push_text(out, &text[from..to], style);
    while let Some(c) = rest.chars().next() {
        let here = &text[i..];
        let consumed: Option<usize> = match c {
            '`' if here.starts_with("```") => here[3..].find("```").map(|end| {
                flush(out, plain_start, i);
                push_special(out, here[3..3 + end].trim_matches('\n'), style, true, None);
                end + 6
            }),
            '`' => here[1..].find('`').filter(|e| *e > 0).map(|end| {
                flush(out, plain_start, i);
                push_special(out, &here[1..1 + end], style, true, None);
                end + 2
            }),
            '*' | '_' | '~' => emphasis(here, c).map(|(inner, len)| {
                flush(out, plain_start, i);
                let mut s = style;
                match c {
                    '*' => s.bold = true,
                    '_' => s.italic = true,
                    _ => s.strike = true,
                }
                inline(inner, s, out);
                len
            }),
            '[' => link_md(here).map(|(label, url, len)| {
                flush(out, plain_start, i);
                match safe_link(url) {
                    Some(u) => push_special(out, label, style, false, Some(u)),
                    None => push_text(out, &here[..len], style),
                }
                len
            }),
            '<' => link_angle(here).map(|(label, url, len)| {
                flush(out, plain_start, i);
                push_special(out, label, style, false, Some(url));
                len
            }),
            'h' | 'H' if plain_boundary(text, i) => bare_url(here).inspect(|len| {
                flush(out, plain_start, i);
                let url = &here[..*len];
                push_special(out, url, style, false, Some(url.to_owned()));
            }),
            _ => None,
        };
        match consumed {
            Some(len) => {
                i += len;
                plain_start = i;
            }
            None => i += c.len_utf8(),
        }
        rest = &text[i..];
    }
    flush(out, plain_start, i);
}

/// Whether position `i` starts a word (for bare addresses and emphasis openers).
fn plain_boundary(text: &str, i: usize) -> bool {
    text[..i]
        .chars()
        .next_back()
        .is_none_or(|p| !p.is_alphanumeric())
}

/// `*inner*` at the start of `s`: the inner text and the whole length, on one line.
fn emphasis(s: &str, mark: char) -> Option<(&str, usize)> {
    let body = &s[1..];
    if body.starts_with(char::is_whitespace) || body.starts_with(mark) {
        return None;
    }
    let end = body.find(mark)?;
    let inner = &body[..end];
    if inner.is_empty() || inner.contains('\n') || inner.ends_with(char::is_whitespace) {
        return None;
    }
    // The closer must not run into a word (`a*b*c` is emphasis, `snake_case_name` is not).
    let after = body[end + 1..].chars().next();
    if mark == '_' && after.is_some_and(char::is_alphanumeric) {
        return None;
    }
    Some((inner, end + 2))
}

/// `[label](url)` at the start of `s`.
fn link_md(s: &str) -> Option<(&str, &str, usize)> {
    let close = s.find("](")?;
    let label = &s[1..close];
    if label.contains('\n') || label.contains('[') {
        return None;
    }
    let rest = &s[close + 2..];
    let end = rest.find(')')?;
    let url = &rest[..end];
    (!url.contains(char::is_whitespace) && !url.is_empty()).then_some((label, url, close + 3 + end))
}

/// `<url|label>` (Slack style) at the start of `s`, http(s)/mailto only.
fn link_angle(s: &str) -> Option<(&str, String, usize)> {
    let end = s.find('>')?;
    let inner = &s[1..end];
    let (url, label) = inner.split_once('|')?;
    if inner.contains('\n') {
        return None;
    }
    Some((label, safe_link(url)?, end + 1))
}

/// The length of a bare `http(s)://…` address at the start of `s`, without trailing punctuation.
fn bare_url(s: &str) -> Option<usize> {
    let lower = s.get(..8)?.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return None;
    }
    let end = s
        .find(|c: char| c.is_whitespace() || c == '<' || c == '>')
        .unwrap_or(s.len());
    let url = s[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'', '"']);
    (url.len() > lower.find("//")? + 2).then_some(url.len())
}
