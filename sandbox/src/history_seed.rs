//! `--seed-history N`: one more outgoing webhook, "Build notifier", with N recorded calls of
//! every outcome shape Rocket.Chat's trigger handler leaves (spec §5.3, scripts spec §7.3),
//! for the history and list tests.
//!
//! Call `i` (0 = oldest, one every 20 minutes from [`BASE`]) is:
//! - failed when `i % 15` is 7 or 14 (40 of 300; the newest of 300 is one), cycling through
//!   five failure shapes ([`FAILURES`]), each with its own searchable text;
//! - retry scheduled when `i % 50 == 0`, still running when `i % 50 == 25`;
//! - a success otherwise, cycling through four success shapes;
//! - of the event `roomCreated` when `i % 30 == 3` (a former event of the webhook), else
//!   `sendMessage`.

use crate::model::{Doc, State};
use crate::seed::{outgoing, ADMIN_ID, ROCKET_CAT_ID, ROOM_GENERAL};
use crate::util::{iso_from_ms, ms_from_iso};
use serde_json::{json, Value};

/// The seeded webhook's id.
pub const INT_BUILD: &str = "HbQ7uLd3Zr9Kx2NfW";
/// The first call's time.
pub const BASE: &str = "2026-11-01T00:00:00.000Z";
/// Minutes between two calls.
pub const EVERY_MINUTES: u64 = 20;

/// The failure shapes, in the order failed calls cycle through them: (step, fields).
pub const FAILURES: [&str; 5] = [
    "too-many-retries",
    "after-process-http-status-500",
    "after-http-call",
    "failed-and-not-configured-to-retry",
    "execute-script-error-running-prepare_outgoing_request",
];

/// What call `i` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// The `n`th failure (0-based), shape `FAILURES[n % 5]`.
    Failed(usize),
    Retrying,
    Pending,
    /// Success shape `i % 4`.
    Success,
}

/// The shape of call `i` (see the module comment).
pub fn shape(i: usize) -> Shape {
    match (i % 15, i % 50) {
        (7 | 14, _) => Shape::Failed(failures_before(i)),
        (_, 0) => Shape::Retrying,
        (_, 25) => Shape::Pending,
        _ => Shape::Success,
    }
}

/// Failed calls before call `i`.
fn failures_before(i: usize) -> usize {
    (i / 15) * 2 + usize::from(i % 15 > 7)
}

/// Adds the webhook and its `n` calls, unless it exists already.
pub fn add_history(state: &mut State, site: &str, n: usize) {
    if n == 0 || state.integration(INT_BUILD).is_some() {
        return;
    }
    let (Some(admin), Some(cat)) = (
        state.user_by_id(ADMIN_ID).cloned(),
        state.user_by_id(ROCKET_CAT_ID).cloned(),
    ) else {
        return;
    };
    let url = format!("{site}/sandbox/receiver/build");
    let hook = outgoing(
        INT_BUILD,
        "Build notifier",
        &admin,
        &cat,
        "sendMessage",
        &["#general"],
        std::slice::from_ref(&url),
        "2026-10-01T08:00:00.000Z",
        json!({ "triggerWords": ["!build"], "alias": "CI" }),
    );
    let base = ms_from_iso(BASE).unwrap_or(0);
    for i in 0..n {
        let at = base + (i as u64) * EVERY_MINUTES * 60_000;
        state.history.push(call(&hook, &url, site, i, at));
    }
    state.integrations.push(hook);
}

fn call(hook: &Doc, url: &str, site: &str, i: usize, at: u64) -> Doc {
    let event = if i % 30 == 3 {
        "roomCreated"
    } else {
        "sendMessage"
    };
    let text = format!("!build #{}", i + 1);
    let data = json!({
        "token": hook.get("token"),
        "bot": false,
        "trigger_word": "!build",
        "channel_id": ROOM_GENERAL,
        "channel_name": "general",
        "message_id": format!("build-msg-{:04}", i + 1),
        "timestamp": iso_from_ms(at),
        "user_id": ADMIN_ID,
        "user_name": "admin",
        "text": text,
        "siteUrl": site,
    });
    let mut h = Doc::new();
    h.insert("_id".into(), json!(format!("HbCall{:011}", i + 1)));
    h.insert("type".into(), json!("outgoing-webhook"));
    // What the history route filters on (spec §2.6), not the whole document: 300 copies
    // would make every state write (one per recorded step) slow.
    let stamp: Doc = ["_id", "type", "name", "_createdBy"]
        .iter()
        .filter_map(|k| Some(((*k).to_owned(), hook.get(*k)?.clone())))
        .collect();
    h.insert("integration".into(), Value::Object(stamp));
    h.insert("event".into(), json!(event));
    h.insert("_createdAt".into(), json!(iso_from_ms(at)));
    h.insert("data".into(), data.clone());
    h.insert("triggerWord".into(), json!("!build"));
    h.insert("ranPrepareScript".into(), json!(false));
    h.insert("finished".into(), json!(false));
    let mut sent = || {
        h.insert("url".into(), json!(url));
        h.insert("httpCallData".into(), data.clone());
    };
    let fields: Value = match shape(i) {
        Shape::Failed(n) => {
            sent();
            failure(n)
        }
        Shape::Retrying => {
            sent();
            json!({ "step": format!("going-to-retry-{}", i % 3 + 1), "error": true,
                    "httpResult": "\"Bad gateway\"" })
        }
        Shape::Pending if i % 100 == 25 => json!({ "step": "start-execute-trigger-url" }),
        Shape::Pending => {
            sent();
            json!({ "step": "pre-http-call" })
        }
        Shape::Success => {
            sent();
            success(i, &text)
        }
    };
    if let Value::Object(x) = fields {
        for (k, v) in x {
            h.insert(k, v);
        }
    }
    h.insert("_updatedAt".into(), json!(iso_from_ms(at + 900)));
    h
}

fn failure(n: usize) -> Value {
    let step = FAILURES.get(n % FAILURES.len()).copied().unwrap_or("");
    match n % FAILURES.len() {
        0 => {
            json!({ "step": step, "error": true, "httpResult": "\"Service temporarily unavailable\"" })
        }
        1 => {
            json!({ "step": step, "error": true, "httpResult": "\"{\\\"error\\\":\\\"Internal build server error\\\"}\"" })
        }
        2 => json!({ "step": step, "error": true,
                     "httpError": { "name": "FetchError", "message": "connect ECONNREFUSED 10.0.0.9:443" } }),
        3 => json!({ "step": step, "error": true, "httpResult": "\"Forbidden: token mismatch\"" }),
        _ => json!({ "step": step, "error": true,
                     "errorStack": "TypeError: Cannot read properties of undefined (reading 'branch')\n    at Script.prepare_outgoing_request" }),
    }
}

fn success(i: usize, text: &str) -> Value {
    let reply = format!("Build {} queued", i + 1);
    match i % 4 {
        0 => json!({ "step": "url-response-sent-message", "finished": true,
                     "httpResult": Value::String(json!({ "text": reply }).to_string()).to_string(),
                     "processSentMessage": [{ "channel": "#general", "message": { "msg": reply } }] }),
        1 => {
            json!({ "step": "after-process-send-message", "finished": true, "ranPrepareScript": true,
                     "httpResult": Value::String(json!({ "ok": true }).to_string()).to_string(),
                     "processSentMessage": [{ "channel": "#general", "message": { "msg": text } }] })
        }
        2 => json!({ "step": "after-http-call",
                     "httpResult": Value::String(json!({ "queued": i + 1 }).to_string()).to_string() }),
        _ => json!({ "step": "after-prepare-no-opts", "finished": true, "ranPrepareScript": true }),
    }
}
