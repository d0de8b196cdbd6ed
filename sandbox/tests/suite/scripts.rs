//! Integration scripts run like Rocket.Chat runs them (docs/spec/rocketchat-scripts.md):
//! incoming `process_incoming_request`, outgoing `prepare_outgoing_request` /
//! `process_outgoing_response`, the globals, the limits, and the version differences.
//! The fixtures are the worked examples of the scripts spec §9.

use crate::common::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// Spec §9.1, unchanged.
const GITHUB_PUSH: &str = r#"class Script {
  process_incoming_request({ request }) {
    const event = request.headers['x-github-event'];
    if (event !== 'push') {
      return; // pings and other events: answer 200, post nothing
    }
    const p = request.content;
    const branch = p.ref.replace('refs/heads/', '');
    const lines = p.commits.map((c) =>
      '- [`' + c.id.slice(0, 7) + '`](' + c.url + ') ' + c.message.split('\n')[0] + ' (' + c.author.name + ')');
    return {
      content: {
        text: '*' + p.pusher.name + '* pushed ' + p.commits.length + ' commit(s) to `' + branch +
          '` of [' + p.repository.full_name + '](' + p.compare + ')\n' + lines.join('\n'),
      },
    };
  }
}"#;

/// Spec §9.2, with `#general` standing in for `#oncall` (the sandbox has no such room).
const ALERTS: &str = r#"class Script {
  process_incoming_request({ request }) {
    const body = request.content;
    if (!body || !Array.isArray(body.alerts)) {
      return { error: 'expected an alerts array' };
    }
    const critical = body.alerts.some((a) => a.labels.severity === 'critical');
    const attachments = body.alerts.map((a) => ({
      color: body.status === 'resolved' ? '#2de0a5' : (a.labels.severity === 'critical' ? '#f5455c' : '#ffd21f'),
      title: a.labels.alertname + ' on ' + a.labels.instance,
      title_link: a.generatorURL,
      text: a.annotations.summary,
      fields: [
        { title: 'Severity', value: a.labels.severity, short: true },
        { title: 'Since', value: a.startsAt, short: true },
      ],
    }));
    const content = {
      alias: 'Alertmanager',
      emoji: critical ? ':rotating_light:' : ':warning:',
      text: body.alerts.length + ' alert(s) ' + body.status,
      attachments,
    };
    if (critical && body.status === 'firing') {
      content.channel = '#general';
    }
    return { content };
  }
}"#;

/// Spec §9.3, with the lookup URL on the sandbox's receiver (`<url>-lookup`) and the answer
/// read from the receiver's `{text}` (a JSON string of the ticket).
const HELPDESK: &str = r#"class Script {
  prepare_outgoing_request({ request }) {
    const id = request.data.text.slice(request.data.trigger_word.length).trim();
    if (!/^\d+$/.test(id)) {
      return { message: { text: 'Usage: `!ticket <number>`' } }; // answer locally, no HTTP call
    }
    return {
      url: request.url + '-lookup',
      method: 'POST',
      headers: Object.assign({}, request.headers, { Authorization: 'Bearer helpdesk-key', Accept: 'application/json' }),
      data: { id: id, requestedBy: request.data.user_name, at: request.data.timestamp instanceof Date },
    };
  }

  process_outgoing_response({ request, response }) {
    if (response.status_code >= 500) {
      return; // let the server's retry logic handle it
    }
    if (response.status_code !== 200) {
      return { content: { text: 'Ticket lookup failed (HTTP ' + response.status_code + ')' } };
    }
    const t = JSON.parse(JSON.parse(response.content).text); // content is the raw text
    return {
      content: {
        text: 'Ticket #' + t.id + ': ' + t.title + ' (' + request.headers['Content-Type'] + ')',
        attachments: [{
          color: t.status === 'open' ? '#1d74f5' : '#9ea2a8',
          title: 'Open in helpdesk', title_link: t.url,
          fields: [{ title: 'Status', value: t.status, short: true },
                   { title: 'Assignee', value: t.assignee || 'nobody', short: true }],
        }],
      },
    };
  }
}"#;

/// A POST with a raw body, a content type and extra headers.
async fn raw_with(s: &Sbx, path: &str, ct: &str, body: String, headers: &[(&str, &str)]) -> Resp {
    let mut rb = s
        .http
        .post(format!("{}{}", s.url, path))
        .header("Content-Type", ct)
        .body(body);
    for (k, v) in headers {
        rb = rb.header(*k, *v);
    }
    let r = rb.send().await.expect("request");
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Resp {
        status,
        headers,
        text,
        json,
    }
}

fn hook_path(doc: &Value) -> String {
    format!(
        "/hooks/{}/{}",
        doc["_id"].as_str().unwrap(),
        enc(doc["token"].as_str().unwrap())
    )
}

/// Creates an incoming webhook with `script` on `channel`; returns the stored document.
async fn incoming(s: &Sbx, channel: &str, script: &str, extra: Value) -> Value {
    let body = with(
        incoming_body("Scripted", channel),
        with(json!({ "scriptEnabled": true, "script": script }), extra),
    );
    let r = create(s, &admin(), body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json["integration"].clone()
}

async fn last_message(s: &Sbx, room: &str) -> Value {
    let r = s
        .get(&format!("/sandbox/messages?room={}", enc(room)), None)
        .await;
    r.json["messages"]
        .as_array()
        .unwrap()
        .last()
        .cloned()
        .unwrap_or(Value::Null)
}

async fn count(s: &Sbx, room: &str) -> usize {
    s.get(&format!("/sandbox/messages?room={}", enc(room)), None)
        .await
        .json["messages"]
        .as_array()
        .map_or(0, Vec::len)
}

async fn log_has(s: &Sbx, needle: &str) -> bool {
    s.get("/sandbox/log", None).await.json["lines"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l.as_str().unwrap_or("").contains(needle))
}

/// Runs `body` as the body of `process_incoming_request` and returns what it posted as `msg`.
async fn eval_incoming(s: &Sbx, body: &str, payload: Value) -> (Resp, Value) {
    let script =
        format!("class Script {{\n  process_incoming_request({{ request }}) {{\n{body}\n  }}\n}}");
    let doc = incoming(s, "#general", &script, json!({})).await;
    let r = s.post(&hook_path(&doc), None, payload).await;
    (r, last_message(s, "general").await)
}

#[tokio::test]
async fn github_push_formatter() {
    let s = start().await;
    let doc = incoming(&s, "#dev", GITHUB_PUSH, json!({ "emoji": ":package:" })).await;
    assert!(doc["scriptCompiled"].is_string());
    let payload = json!({ "ref": "refs/heads/main", "compare": "https://github.com/acme/widgets/compare/1a2b3c4...9f8e7d6",
      "pusher": { "name": "octocat" }, "repository": { "full_name": "acme/widgets" },
      "commits": [
        { "id": "9f8e7d6c5b4a", "url": "https://github.com/acme/widgets/commit/9f8e7d6c5b4a",
          "message": "Fix login redirect\n\nDetails...", "author": { "name": "Mona" } },
        { "id": "5a6b7c8d9e0f", "url": "https://github.com/acme/widgets/commit/5a6b7c8d9e0f",
          "message": "Bump deps", "author": { "name": "Mona" } } ] });
    let expected = "*octocat* pushed 2 commit(s) to `main` of [acme/widgets](https://github.com/acme/widgets/compare/1a2b3c4...9f8e7d6)\n- [`9f8e7d6`](https://github.com/acme/widgets/commit/9f8e7d6c5b4a) Fix login redirect (Mona)\n- [`5a6b7c8`](https://github.com/acme/widgets/commit/5a6b7c8d9e0f) Bump deps (Mona)";
    let r = s
        .request(
            "POST",
            &hook_path(&doc),
            None,
            Some(payload.clone()),
            &[("X-GitHub-Event", "push")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json, json!({ "success": true }));
    let m = last_message(&s, "dev").await;
    assert_eq!(m["msg"], expected);
    assert_eq!(m["emoji"], ":package:");
    assert_eq!(m["attachments"], json!([]));
    assert_eq!(m["parseUrls"], true);
    assert_eq!(m["groupable"], false);
    assert_eq!(m["u"]["username"], "rocket.cat");
    assert_eq!(m["bot"]["i"], doc["_id"]);
    // GitHub's form mode: a single `payload=` field, same content.
    let before = count(&s, "dev").await;
    let r = raw_with(
        &s,
        &hook_path(&doc),
        "application/x-www-form-urlencoded",
        format!("payload={}", enc(&payload.to_string())),
        &[("X-GitHub-Event", "push")],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(count(&s, "dev").await, before + 1);
    assert_eq!(last_message(&s, "dev").await["msg"], expected);
    // A ping: 200, nothing posted.
    let r = s
        .request(
            "POST",
            &hook_path(&doc),
            None,
            Some(json!({ "zen": "Keep it logically awesome." })),
            &[("X-GitHub-Event", "ping")],
        )
        .await;
    assert_eq!(
        (r.status, r.json.clone()),
        (200, json!({ "success": true }))
    );
    assert_eq!(count(&s, "dev").await, before + 1);
}

#[tokio::test]
async fn alert_with_attachments_and_room_override() {
    let s = start().await;
    let payload = json!({ "status": "firing", "alerts": [ { "labels": { "alertname": "HighCPU", "severity": "critical",
      "instance": "db-1:9100" }, "annotations": { "summary": "CPU above 95% for 10 minutes" },
      "startsAt": "2026-05-04T10:00:00Z", "generatorURL": "https://prom.example/graph?g0.expr=cpu" } ] });
    // Without the override right, the script's `channel` is refused.
    let locked = incoming(&s, "#dev", ALERTS, json!({})).await;
    let r = s.post(&hook_path(&locked), None, payload.clone()).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "overriding destination channel is disabled for this integration" })
    );
    let doc = incoming(
        &s,
        "#dev",
        ALERTS,
        json!({ "overrideDestinationChannelEnabled": true }),
    )
    .await;
    let r = s.post(&hook_path(&doc), None, payload).await;
    assert_eq!(
        (r.status, r.json.clone()),
        (200, json!({ "success": true }))
    );
    let m = last_message(&s, "general").await;
    assert_eq!(m["msg"], "1 alert(s) firing");
    assert_eq!(m["alias"], "Alertmanager");
    assert_eq!(m["emoji"], ":rotating_light:");
    assert_eq!(m["parseUrls"], false);
    assert_eq!(
        m["attachments"],
        json!([ { "color": "#f5455c", "title": "HighCPU on db-1:9100", "title_link": "https://prom.example/graph?g0.expr=cpu",
                 "text": "CPU above 95% for 10 minutes",
                 "fields": [ { "title": "Severity", "value": "critical", "short": true },
                           { "title": "Since", "value": "2026-05-04T10:00:00Z", "short": true } ] } ])
    );
    // A body without alerts: the script's `error`.
    let r = s.post(&hook_path(&doc), None, json!({ "x": 1 })).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "expected an alerts array" })
    );
}

#[tokio::test]
async fn error_objects_responses_and_users() {
    let s = start().await;
    let (r, _) = eval_incoming(
        &s,
        "return { error: { success: false, message: 'nope' } };",
        json!({ "a": 1 }),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json, json!({ "success": false, "message": "nope" }));
    let (r, m) = eval_incoming(
        &s,
        "return { content: { text: 'hi' }, response: { id: 7 }, statusCode: 201 };",
        json!({ "a": 1 }),
    )
    .await;
    assert_eq!(
        (r.status, r.json.clone()),
        (200, json!({ "id": 7, "success": true }))
    );
    assert_eq!(m["msg"], "hi");
    let (r, m) = eval_incoming(
        &s,
        "return { content: { text: 'as alice' }, user: { _id: 'eEN7XwGenHvKntvjS', username: 'alice' } };",
        json!({ "a": 1 }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        (m["msg"].clone(), m["u"]["username"].clone()),
        (json!("as alice"), json!("alice"))
    );
    // Truthy without `content`: 8.x fails on `'separateResponse' in undefined`.
    let (r, _) = eval_incoming(&s, "return { response: { a: 1 } };", json!({ "a": 1 })).await;
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "error-running-script" })
    );
    // An empty `content` is still posted when a script is enabled.
    let before = count(&s, "general").await;
    let (r, _) = eval_incoming(&s, "return { content: {} };", json!({ "a": 1 })).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(count(&s, "general").await, before + 1);
}

#[tokio::test]
async fn throws_and_load_failures() {
    let s = start().await;
    let (r, _) = eval_incoming(&s, "throw new TypeError('boom');", json!({ "a": 1 })).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "error-running-script" })
    );
    assert!(log_has(&s, "Error running Script in Trigger").await);
    assert!(log_has(&s, "TypeError: boom").await);
    // A rejected promise counts as a throw.
    let (r, _) = eval_incoming(
        &s,
        "return Promise.reject(new Error('later'));",
        json!({ "a": 1 }),
    )
    .await;
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "error-running-script" })
    );
    // An async method works.
    let (r, m) = eval_incoming(
        &s,
        "return (async () => ({ content: { text: 'awaited ' + await Promise.resolve(1) } }))();",
        json!({ "a": 1 }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(m["msg"], "awaited 1");
    // Returning a function cannot be copied out of the isolate.
    let (r, _) = eval_incoming(
        &s,
        "return { content: { text: 'x', f() {} } };",
        json!({ "a": 1 }),
    )
    .await;
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "error-running-script" })
    );
    // Fails to load: no `Script`, a top-level `return`, a redeclared wrapper constant.
    // (`return` passes only the 8.4+ plain syntax check, inside its function wrapper.)
    for (script, extra) in [
        ("class Other {}", json!({})),
        ("return 1", json!({ "skipTranspile": true })),
        (
            "const fetch = 1;\nclass Script { process_incoming_request() { return { content: { text: 'x' } }; } }",
            json!({}),
        ),
    ] {
        let doc = incoming(&s, "#general", script, extra).await;
        assert!(doc["scriptCompiled"].is_string(), "{script}: {doc}");
        let r = s.post(&hook_path(&doc), None, json!({ "a": 1 })).await;
        assert_eq!(r.status, 400, "{script}");
        assert_eq!(
            r.json,
            json!({ "success": false, "error": "error-evaluating-script" }),
            "{script}"
        );
    }
    assert!(log_has(&s, "Illegal return statement [<isolated-vm>:44:2]").await);
    assert!(log_has(&s, "Identifier 'fetch' has already been declared").await);
    // No such method: 200, nothing posted.
    let doc = incoming(&s, "#general", "class Script { other() {} }", json!({})).await;
    let before = count(&s, "general").await;
    let r = s.post(&hook_path(&doc), None, json!({ "a": 1 })).await;
    assert_eq!(
        (r.status, r.json.clone()),
        (200, json!({ "success": true }))
    );
    assert_eq!(count(&s, "general").await, before);
    assert!(
        log_has(
            &s,
            "Method \"process_incoming_request\" not found in the Integration \"Scripted\""
        )
        .await
    );
    // A stored scriptError means no script: the body is posted as sent.
    let doc = incoming(&s, "#general", "class Script {", json!({})).await;
    assert!(doc["scriptError"].is_object());
    let r = s
        .post(&hook_path(&doc), None, json!({ "text": "raw" }))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(last_message(&s, "general").await["msg"], "raw");
}

#[tokio::test]
async fn endless_loop_and_huge_allocation_are_stopped() {
    let s = start().await;
    s.set_config(json!({ "scriptTimeoutMs": 2500 })).await;
    let looping = incoming(
        &s,
        "#general",
        "class Script { process_incoming_request() { while (true) {} } }",
        json!({}),
    )
    .await;
    let plain = incoming(&s, "#dev", "class Script { process_incoming_request({ request }) { return { content: request.content }; } }", json!({})).await;
    // Warm the plain integration's isolate.
    let r = s
        .post(&hook_path(&plain), None, json!({ "text": "warm" }))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let started = Instant::now();
    let looping_path = hook_path(&looping);
    let spin = async {
        let r = s.post(&looping_path, None, json!({ "a": 1 })).await;
        (r, started.elapsed())
    };
    // While the loop spins, the sandbox answers other requests, scripted ones included.
    let other = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let r = s
            .post(&hook_path(&plain), None, json!({ "text": "still here" }))
            .await;
        (r, started.elapsed())
    };
    let ((r, spun_for), (o, answered_at)) = tokio::join!(spin, other);
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "error-running-script" })
    );
    assert!(spun_for >= Duration::from_millis(2500), "{spun_for:?}");
    assert!(spun_for < Duration::from_secs(10), "{spun_for:?}");
    assert_eq!(o.status, 200, "{}", o.text);
    assert!(answered_at < spun_for, "{answered_at:?} vs {spun_for:?}");
    assert!(log_has(&s, "Script execution timed out after 2500ms").await);
    s.set_config(json!({ "scriptTimeoutMs": 300 })).await;
    // The looping integration works again on the next call (a fresh isolate)…
    let r = s.post(&hook_path(&looping), None, json!({ "a": 1 })).await;
    assert_eq!(r.json["error"], "error-running-script");
    s.set_config(json!({ "scriptTimeoutMs": 3000 })).await;
    // …and a huge allocation hits the heap limit instead of the sandbox.
    let hog = incoming(
        &s,
        "#general",
        "class Script { process_incoming_request() { const a = []; while (true) { a.push('x'.repeat(1000) + a.length); } } }",
        json!({}),
    )
    .await;
    let r = s.post(&hook_path(&hog), None, json!({ "a": 1 })).await;
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "error-running-script" })
    );
    assert!(log_has(&s, "memory").await);
    let r = s
        .post(&hook_path(&plain), None, json!({ "text": "after the hog" }))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(last_message(&s, "dev").await["msg"], "after the hog");
}

#[tokio::test]
async fn globals_are_the_servers() {
    let s = start().await;
    let names = [
        "console",
        "s",
        "Store",
        "fetch",
        "serverFetch",
        "ivm",
        "global",
        "Promise",
        "JSON",
        "Intl",
        "require",
        "process",
        "module",
        "exports",
        "Buffer",
        "setTimeout",
        "setInterval",
        "URL",
        "TextEncoder",
        "atob",
        "HTTP",
        "_",
        "moment",
        "Users",
        "Livechat",
    ];
    let list = names.map(|n| format!("'{n}'")).join(", ");
    let body = format!(
        "return {{ content: {{ text: [{list}].map((n) => n + ':' + eval('typeof ' + n)).join(' ') }} }};"
    );
    let (r, m) = eval_incoming(&s, &body, json!({ "a": 1 })).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        m["msg"],
        "console:object s:object Store:object fetch:function serverFetch:function ivm:object global:object \
         Promise:function JSON:object Intl:object require:undefined process:undefined module:undefined \
         exports:undefined Buffer:undefined setTimeout:undefined setInterval:undefined URL:undefined \
         TextEncoder:undefined atob:undefined HTTP:undefined _:undefined moment:undefined Users:undefined \
         Livechat:undefined"
    );
    // Using one the server lacks is a ReferenceError, as on the server.
    let (r, _) = eval_incoming(
        &s,
        "return HTTP('GET', 'http://example.com');",
        json!({ "a": 1 }),
    )
    .await;
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "error-running-script" })
    );
    assert!(log_has(&s, "ReferenceError: HTTP is not defined").await);
    // stringUtils, console (to the sandbox log) and Store, which persists between calls.
    let script = "class Script {\n  process_incoming_request({ request }) {\n    console.log('seen', request.content.n);\n    const n = Store.set('n', (Store.get('n') || 0) + 1);\n    return { content: { text: [s.pad('7', 3, '0'), s.trim('--x--', '-'), s.truncate('abcdefgh', 6), s.capitalize('hello'), s.numberFormat(1234567.891, 2), s.strRight('a=b', '='), s.stripTags('<b>x</b>'), n].join('|') } };\n  }\n}";
    let doc = incoming(&s, "#general", script, json!({})).await;
    for _ in 0..2 {
        let r = s.post(&hook_path(&doc), None, json!({ "n": 5 })).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    assert_eq!(
        last_message(&s, "general").await["msg"],
        "007|x|abc...|Hello|1,234,567.89|b|x|2"
    );
    assert!(log_has(&s, "console.log: seen 5").await);
    // A save starts a fresh isolate: Store is empty again.
    let mut body = incoming_body("Scripted", "#general");
    body["scriptEnabled"] = json!(true);
    body["script"] = json!(script);
    body["integrationId"] = doc["_id"].clone();
    let r = update(&s, &admin(), body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    s.post(&hook_path(&doc), None, json!({ "n": 5 })).await;
    assert!(last_message(&s, "general").await["msg"]
        .as_str()
        .unwrap()
        .ends_with("|1"));
    // Built-ins changed by one integration do not leak into another.
    let (_, m) = eval_incoming(&s, "String.prototype.shout = function () { return 'LOUD'; }; return { content: { text: 'x'.shout() } };", json!({ "a": 1 })).await;
    assert_eq!(m["msg"], "LOUD");
    let (_, m) = eval_incoming(
        &s,
        "return { content: { text: typeof 'x'.shout } };",
        json!({ "a": 1 }),
    )
    .await;
    assert_eq!(m["msg"], "undefined");
}

#[tokio::test]
async fn the_request_object() {
    let s = start().await;
    let body = "const r = Object.assign({}, request, { headers: { ct: request.headers['content-type'], x: request.headers['x-multi'] } });\n    return { content: { text: JSON.stringify(r) } };";
    let script =
        format!("class Script {{\n  process_incoming_request({{ request }}) {{\n{body}\n  }}\n}}");
    let doc = incoming(&s, "#general", &script, json!({})).await;
    let id = doc["_id"].as_str().unwrap().to_string();
    let token = doc["token"].as_str().unwrap().to_string();
    let path = format!("{}?a=1&b=2&b=3", hook_path(&doc));
    let r = s
        .request(
            "POST",
            &path,
            None,
            Some(json!({ "text": "hi" })),
            &[("X-Multi", "one")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let got: Value =
        serde_json::from_str(last_message(&s, "general").await["msg"].as_str().unwrap()).unwrap();
    let pathname = hook_path(&doc);
    let full = format!("http://localhost{pathname}?a=1&b=2&b=3");
    assert_eq!(
        got,
        json!({
            "url": { "hash": "", "search": "?a=1&b=2&b=3", "query": { "a": "1", "b": ["2", "3"] }, "pathname": pathname, "path": full },
            "url_raw": full,
            "url_params": { "integrationId": id, "token": token },
            "content": { "text": "hi" },
            "content_raw": "{\"text\":\"hi\"}",
            "headers": { "ct": "application/json", "x": "one" },
            "body": { "text": "hi" },
            "user": { "_id": "rocket.cat", "name": "Rocket.Cat", "username": "rocket.cat" },
        })
    );
    // text/plain reaches the script as a character map; content_raw keeps the text.
    let r = raw_with(&s, &hook_path(&doc), "text/plain", "a=b".into(), &[]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let got: Value =
        serde_json::from_str(last_message(&s, "general").await["msg"].as_str().unwrap()).unwrap();
    assert_eq!(got["content"], json!({ "0": "a", "1": "=", "2": "b" }));
    assert_eq!(got["content_raw"], "a=b");
    // 8.x: a JSON array body becomes {}.
    let r = s.post(&hook_path(&doc), None, json!([1, 2])).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let got: Value =
        serde_json::from_str(last_message(&s, "general").await["msg"].as_str().unwrap()).unwrap();
    assert_eq!(got["content"], json!({}));
}

#[tokio::test]
async fn version_differences() {
    let s = start().await;
    // 6.3: vm2 — no fetch, `Store.set` returns the value for incoming, a load failure answers
    // without an error text; the request has 6.x's url shape.
    s.version("6.3.0").await;
    let script = "class Script {\n  process_incoming_request({ request }) {\n    return { content: { text: [typeof fetch, typeof global, Store.set('k', 'v'), request.url.hash, request.url.search, request.url_raw.startsWith('/hooks/'), request.content_raw].join('|') } };\n  }\n}";
    let doc = incoming(&s, "#general", script, json!({})).await;
    let r = s.post(&hook_path(&doc), None, json!({ "a": 1 })).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        last_message(&s, "general").await["msg"],
        "undefined|undefined|v|||true|"
    );
    let doc = incoming(&s, "#general", "class Other {}", json!({})).await;
    let r = s.post(&hook_path(&doc), None, json!({ "a": 1 })).await;
    assert_eq!(
        (r.status, r.json.clone()),
        (400, json!({ "success": false }))
    );
    // 6.x: a truthy result without content posts nothing (200); 8.x fails it.
    let (r, _) = eval_incoming(&s, "return { response: {} };", json!({ "a": 1 })).await;
    assert_eq!(
        (r.status, r.json.clone()),
        (200, json!({ "success": true }))
    );
    // 7.10: isolated-vm for every integration, whatever scriptEngine says.
    s.version("7.10.0").await;
    let doc = incoming(
        &s,
        "#general",
        "class Script { process_incoming_request() { return { content: { text: typeof fetch + '|' + Store.set('a', 1) } }; } }",
        json!({ "scriptEngine": "vm2" }),
    )
    .await;
    let r = s.post(&hook_path(&doc), None, json!({ "a": 1 })).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(last_message(&s, "general").await["msg"], "function|1");
    // 7.x keeps a JSON array body as it is.
    let (_, m) = eval_incoming(
        &s,
        "return { content: { text: String(Array.isArray(request.content)) } };",
        json!([1]),
    )
    .await;
    assert_eq!(m["msg"], "true");
}

// ------------------------------------------------------------------------ compile on save

#[tokio::test]
async fn compile_errors_are_stored_with_line_and_column() {
    let s = start().await;
    let doc = incoming(
        &s,
        "#general",
        "class Script {\n  process_incoming_request({ request }) {\n    return { content: { text: 'x' };\n  }\n}",
        json!({}),
    )
    .await;
    assert!(doc.get("scriptCompiled").is_none());
    let e = &doc["scriptError"];
    assert_eq!(e["name"], "SyntaxError");
    let message = e["message"].as_str().unwrap();
    assert!(message.starts_with("unknown file: "), "{message}");
    // 1-based line, 0-based column of the user's script (Babel's `(line:column)`).
    assert!(message.ends_with("(3:35)"), "{message}");
    assert!(e["stack"]
        .as_str()
        .unwrap()
        .starts_with("SyntaxError: unknown file: "));
    // 8.4+ skipTranspile: a plain syntax check; `return` at top level passes it.
    let doc = incoming(&s, "#general", "return 1", json!({ "skipTranspile": true })).await;
    assert!(doc["scriptCompiled"].is_string(), "{doc}");
    assert_eq!(doc["skipTranspile"], true);
}

// ------------------------------------------------------------------------------- outgoing

async fn wait_row(s: &Sbx, id: &str, step: &str) -> Value {
    s.eventually(&format!("history step {step}"), || async {
        let h = s
            .get(
                &format!("/api/v1/integrations.history?id={id}"),
                Some(&admin()),
            )
            .await
            .json;
        h["history"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["step"] == step)
            .cloned()
    })
    .await
}

async fn outgoing(s: &Sbx, name: &str, word: &str, script: &str) -> Value {
    let url = format!("{}/sandbox/receiver/{name}", s.url);
    let body = with(
        outgoing_body(name, "#general", json!([url])),
        json!({ "triggerWords": [word], "scriptEnabled": true, "script": script,
                "retryFailedCalls": true, "retryCount": 3, "retryDelay": "powers-of-ten" }),
    );
    let r = create(s, &admin(), body).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json["integration"].clone()
}

async fn say(s: &Sbx, text: &str) {
    let r = s
        .post(
            "/api/v1/chat.postMessage",
            Some(&admin()),
            json!({ "channel": "#general", "text": text }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn outgoing_script_rewrites_the_request_and_posts_the_answer() {
    let s = start().await;
    let doc = outgoing(&s, "helpdesk", "!ticket", HELPDESK).await;
    let id = doc["_id"].as_str().unwrap().to_string();
    let ticket = json!({ "id": "4711", "title": "Printer on fire", "status": "open", "assignee": "bob", "url": "https://helpdesk.example.com/t/4711" });
    s.post(
        "/sandbox/receiver/helpdesk-lookup/config",
        None,
        json!({ "text": ticket.to_string() }),
    )
    .await;
    say(&s, "!ticket 4711").await;
    let row = wait_row(&s, &id, "after-process-send-message").await;
    assert_eq!(row["ranPrepareScript"], true);
    assert_eq!(row["finished"], true);
    assert!(row.get("error").is_none(), "{row}");
    assert_eq!(
        row["url"],
        json!(format!("{}/sandbox/receiver/helpdesk-lookup", s.url))
    );
    assert_eq!(
        row["httpCallData"],
        json!({ "id": "4711", "requestedBy": "admin", "at": true })
    );
    // The call the script shaped.
    let calls = s.get("/sandbox/receiver/helpdesk-lookup", None).await.json["calls"].clone();
    assert_eq!(calls.as_array().unwrap().len(), 1);
    let call = &calls[0];
    assert_eq!(call["method"], "POST");
    assert_eq!(call["headers"]["authorization"], "Bearer helpdesk-key");
    assert_eq!(call["headers"]["accept"], "application/json");
    assert_eq!(call["headers"]["content-type"], "application/json");
    assert!(call["headers"]["user-agent"]
        .as_str()
        .unwrap()
        .contains("Chrome/41"));
    assert_eq!(
        call["body"],
        json!({ "id": "4711", "requestedBy": "admin", "at": true })
    );
    // Nothing went to the configured URL itself.
    let plain = s.get("/sandbox/receiver/helpdesk", None).await.json["calls"].clone();
    assert_eq!(plain, json!([]));
    // The answer, as the response script shaped it.
    let m = last_message(&s, "general").await;
    assert_eq!(m["msg"], "Ticket #4711: Printer on fire (application/json)");
    assert_eq!(m["parseUrls"], false);
    assert_eq!(m["bot"]["i"], doc["_id"]);
    assert_eq!(
        m["attachments"],
        json!([{ "color": "#1d74f5", "title": "Open in helpdesk", "title_link": "https://helpdesk.example.com/t/4711",
                 "fields": [{ "title": "Status", "value": "open", "short": true }, { "title": "Assignee", "value": "bob", "short": true }] }])
    );
    assert_eq!(row["processSentMessage"][0]["message"]["msg"], m["msg"]);
    // `!ticket abc`: answered locally, no HTTP call.
    say(&s, "!ticket abc").await;
    let row = wait_row(&s, &id, "after-prepare-no-url_or_method").await;
    assert_eq!(row["finished"], true);
    assert_eq!(
        row["prepareSentMessage"][0]["message"]["msg"],
        "Usage: `!ticket <number>`"
    );
    assert_eq!(
        last_message(&s, "general").await["msg"],
        "Usage: `!ticket <number>`"
    );
    let calls = s.get("/sandbox/receiver/helpdesk-lookup", None).await.json["calls"].clone();
    assert_eq!(calls.as_array().unwrap().len(), 1);
    // HTTP 404: the script's own message, no retry.
    s.post(
        "/sandbox/receiver/helpdesk-lookup/config",
        None,
        json!({ "status": 404 }),
    )
    .await;
    say(&s, "!ticket 1").await;
    s.eventually("the 404 message", || async {
        (last_message(&s, "general").await["msg"] == "Ticket lookup failed (HTTP 404)")
            .then_some(())
    })
    .await;
    // HTTP 503: the script returns nothing, the server retries (a new row per attempt).
    s.post(
        "/sandbox/receiver/helpdesk-lookup/config",
        None,
        json!({ "status": 503 }),
    )
    .await;
    say(&s, "!ticket 2").await;
    wait_row(&s, &id, "too-many-retries").await;
    let h = s
        .get(
            &format!("/api/v1/integrations.history?id={id}"),
            Some(&admin()),
        )
        .await
        .json;
    let steps: Vec<&str> = h["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["data"]["text"] == "!ticket 2")
        .map(|r| r["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps.len(), 4, "{steps:?}");
    assert!(steps.contains(&"going-to-retry-1"), "{steps:?}");
}

#[tokio::test]
async fn outgoing_script_errors_and_false() {
    let s = start().await;
    let doc = outgoing(
        &s,
        "thrower",
        "!boom",
        "class Script {\n  prepare_outgoing_request({ request }) {\n    if (request.data.text === '!boom false') return Object.assign(request, { auth: 'user:pa ss' });\n    return request.data.nope.deeper;\n  }\n  process_outgoing_response() {\n    return false;\n  }\n}",
    )
    .await;
    let id = doc["_id"].as_str().unwrap().to_string();
    say(&s, "!boom now").await;
    let row = wait_row(&s, &id, "after-prepare-no-opts").await;
    assert_eq!(row["error"], true);
    assert_eq!(row["ranPrepareScript"], true);
    let stack = row["errorStack"].as_str().unwrap();
    assert!(
        stack
            .starts_with("  TypeError: Cannot read properties of undefined (reading 'deeper')\n  "),
        "{stack}"
    );
    // Line 4 of the script is line 47 of the isolated-vm wrapper.
    assert!(stack.contains("(<isolated-vm>:47:"), "{stack}");
    assert_eq!(
        s.get("/sandbox/receiver/thrower", None).await.json["calls"],
        json!([])
    );
    // `false` from the response script: stop, nothing posted.
    let before = count(&s, "general").await;
    say(&s, "!boom false").await;
    let row = wait_row(&s, &id, "after-process-false-result").await;
    assert_eq!(row["finished"], true);
    assert_eq!(count(&s, "general").await, before + 1);
    // `auth` became Basic auth; `data` made it JSON; the body is the default data.
    let calls = s.get("/sandbox/receiver/thrower", None).await.json["calls"].clone();
    assert_eq!(
        calls[0]["headers"]["authorization"],
        "Basic dXNlcjpwYSBzcw=="
    );
    assert_eq!(calls[0]["headers"]["content-type"], "application/json");
    assert_eq!(calls[0]["body"]["text"], "!boom false");
    assert_eq!(calls[0]["body"]["token"], "tok-123");
}

#[tokio::test]
async fn fetch_reaches_the_network() {
    let s = start().await;
    let body = "const base = 'http://' + request.headers.host + '/sandbox/receiver/';\n    return fetch(base + 'fetched', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: { text: request.content.q } })\n      .then(async (res) => ({ content: { text: [res.status, res.ok, Array.isArray(res.headers), res.headers.some(([k]) => k === 'content-type'), (await res.json()).text].join('|') } }));";
    let (r, m) = eval_incoming(&s, body, json!({ "q": "ping" })).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(m["msg"], "200|true|true|true|fetched received: ping");
    let calls = s.get("/sandbox/receiver/fetched", None).await.json["calls"].clone();
    assert_eq!(calls[0]["body"], json!({ "text": "ping" }));
    // A failed fetch rejects inside the script: a thrown error.
    let (r, _) = eval_incoming(
        &s,
        "return fetch('http://127.0.0.1:1/').then(() => ({ content: { text: 'x' } }));",
        json!({ "a": 1 }),
    )
    .await;
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "error-running-script" })
    );
}

/// Spec §11: scripts from Rocket.Chat's docs assign undeclared variables; that works on
/// ≤ 8.x (Babel's ES5 output is sloppy) and throws when the script runs as written
/// (8.4+ `skipTranspile`, 9.0).
#[tokio::test]
async fn undeclared_assignments_work_only_in_babel_eras() {
    let s = start().await;
    let script = "class Script {\n  process_incoming_request({ request }) {\n    for (i = 0; i < 2; i++) {\n      msg = (typeof msg === 'undefined' ? '' : msg) + i;\n    }\n    total += 1;\n    return { content: { text: msg + '|' + typeof HTTP + '|' + typeof i } };\n  }\n}\nvar total = 0;";
    let babel = incoming(&s, "#general", script, json!({})).await;
    let r = s.post(&hook_path(&babel), None, json!({ "a": 1 })).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        last_message(&s, "general").await["msg"],
        "01|undefined|number"
    );
    // The created globals persist with the cached isolate, as on the server.
    s.post(&hook_path(&babel), None, json!({ "a": 1 })).await;
    assert_eq!(
        last_message(&s, "general").await["msg"],
        "0101|undefined|number"
    );
    // Reading an undeclared name is still a ReferenceError.
    let (r, _) = eval_incoming(
        &s,
        "return { content: { text: notThere } };",
        json!({ "a": 1 }),
    )
    .await;
    assert_eq!(r.json["error"], "error-running-script");
    // Run as written (skipTranspile), class code is strict: ReferenceError.
    let native = incoming(&s, "#general", script, json!({ "skipTranspile": true })).await;
    let r = s.post(&hook_path(&native), None, json!({ "a": 1 })).await;
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "error-running-script" })
    );
    assert!(log_has(&s, "ReferenceError: i is not defined").await);
    // 9.0 never transpiles.
    s.version("9.0.0").await;
    let nine = incoming(&s, "#general", script, json!({})).await;
    let r = s.post(&hook_path(&nine), None, json!({ "a": 1 })).await;
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "error-running-script" })
    );
}

#[tokio::test]
async fn the_runner_survives_crashes_and_concurrency() {
    let mut s = start().await;
    let echo = "class Script { process_incoming_request({ request }) { return { content: { text: 'n' + request.content.n } }; } }";
    let mut docs = vec![];
    for _ in 0..4 {
        docs.push(incoming(&s, "#general", echo, json!({})).await);
    }
    let before = count(&s, "general").await;
    // Many calls at once over several integrations: each gets its own answer.
    let mut set = tokio::task::JoinSet::new();
    for n in 0..24 {
        let url = format!("{}{}", s.url, hook_path(&docs[n % docs.len()]));
        let http = s.http.clone();
        set.spawn(async move {
            let r = http
                .post(url)
                .json(&json!({ "n": n }))
                .send()
                .await
                .expect("post");
            (r.status().as_u16(), r.text().await.unwrap_or_default())
        });
    }
    while let Some(done) = set.join_next().await {
        let (status, text) = done.expect("task");
        assert_eq!(status, 200, "{text}");
    }
    assert_eq!(count(&s, "general").await, before + 24);
    let msgs = s.get("/sandbox/messages?room=general", None).await.json["messages"].clone();
    let mut texts: Vec<String> = msgs.as_array().unwrap()[before..]
        .iter()
        .map(|m| m["msg"].as_str().unwrap().to_string())
        .collect();
    texts.sort();
    let mut want: Vec<String> = (0..24).map(|n| format!("n{n}")).collect();
    want.sort();
    assert_eq!(texts, want);
    // node dies: the next call starts a new one.
    let server = s.server.as_ref().unwrap();
    let pid = server.app.scripts.pid().await.expect("a running node");
    server.app.scripts.shutdown().await;
    assert!(server.app.scripts.pid().await.is_none());
    let r = s.post(&hook_path(&docs[0]), None, json!({ "n": 99 })).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(last_message(&s, "general").await["msg"], "n99");
    assert_ne!(server.app.scripts.pid().await, Some(pid));
    // No node at all: a clear log line, scripted hooks fail to evaluate, plain ones still post.
    server.app.scripts.use_node("/nonexistent/hookpanel-node");
    server.app.scripts.shutdown().await;
    let r = s.post(&hook_path(&docs[0]), None, json!({ "n": 1 })).await;
    assert_eq!(
        r.json,
        json!({ "success": false, "error": "error-evaluating-script" })
    );
    assert!(log_has(&s, "Node.js (`/nonexistent/hookpanel-node`) was not found").await);
    let plain = incoming(&s, "#general", "class Script {", json!({})).await;
    let r = s
        .post(
            &hook_path(&plain),
            None,
            json!({ "text": "no node needed" }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Stopping the sandbox stops its node child too.
    server.app.scripts.use_node("node");
    s.post(&hook_path(&docs[0]), None, json!({ "n": 2 })).await;
    let pid = server.app.scripts.pid().await.expect("a running node");
    let server = s.server.take().unwrap();
    server.stop().await;
    assert!(
        !std::path::Path::new(&format!("/proc/{pid}")).exists(),
        "node {pid} still exists after stop"
    );
}

/// `DISABLE_INTEGRATION_SCRIPTS`: stored scripts are not run; hooks post the raw body.
#[tokio::test]
async fn disabled_scripts_are_not_run() {
    let s = start().await;
    let doc = incoming(
        &s,
        "#general",
        "class Script { process_incoming_request() { return { content: { text: 'scripted' } }; } }",
        json!({}),
    )
    .await;
    s.set_config(json!({ "scriptsDisabled": "vm2" })).await;
    s.post(&hook_path(&doc), None, json!({ "text": "raw" }))
        .await;
    assert_eq!(last_message(&s, "general").await["msg"], "scripted");
    s.set_config(json!({ "scriptsDisabled": "ivm" })).await;
    let r = s
        .post(&hook_path(&doc), None, json!({ "text": "raw" }))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(last_message(&s, "general").await["msg"], "raw");
}
