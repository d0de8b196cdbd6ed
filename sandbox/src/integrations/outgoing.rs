//! `addOutgoingIntegration`, `validateOutgoingIntegration`, `updateOutgoingIntegration`,
//! `deleteOutgoingIntegration` (spec §3.3, §3.4, §3.6).

use super::common::*;
use crate::config::RuntimeConfig;
use crate::errors::ApiError;
use crate::model::{Doc, State, User};
use crate::util::{non_blank, now_iso, object_id, parse_int, truthy};
use serde_json::{json, Map, Value};

const UPDATE: &str = "updateOutgoingIntegration";
const DELETE: &str = "deleteOutgoingIntegration";

pub const SCOPED_CHANNELS: [&str; 3] = [
    "all_public_channels",
    "all_private_groups",
    "all_direct_messages",
];

/// `outgoingEvents`: (event, uses channel, uses trigger words, needs target room).
pub const EVENTS: [(&str, bool, bool, bool); 7] = [
    ("sendMessage", true, true, false),
    ("fileUploaded", true, false, false),
    ("roomArchived", false, false, false),
    ("roomCreated", false, false, false),
    ("roomJoined", true, false, false),
    ("roomLeft", true, false, false),
    ("userCreated", false, false, true),
];

pub fn event_info(event: &str) -> Option<(bool, bool, bool)> {
    EVENTS
        .iter()
        .find(|(e, ..)| *e == event)
        .map(|(_, c, t, r)| (*c, *t, *r))
}

fn validation(id: &str, reason: &str) -> ApiError {
    ApiError::with_details(id, reason, json!({ "function": "validateOutgoing" }))
}

fn rights_error(id: &str, reason: &str) -> ApiError {
    ApiError::with_details(
        id,
        reason,
        json!({ "function": "validateOutgoing._verifyUserHasPermissionForChannels" }),
    )
}

fn match_check_outgoing(body: &Map<String, Value>) -> Result<(), ApiError> {
    match_check(
        body,
        &[
            ("type", Want::Str),
            ("name", Want::Str),
            ("enabled", Want::Bool),
            ("username", Want::Str),
            ("channel", Want::Str),
            ("scriptEnabled", Want::Bool),
        ],
        &[
            ("alias", Want::Str),
            ("emoji", Want::Str),
            ("scriptEngine", Want::Str),
            ("script", Want::Str),
            ("avatar", Want::Str),
            ("event", Want::Str),
            ("token", Want::Str),
            ("retryDelay", Want::Str),
            ("targetRoom", Want::Str),
            ("urls", Want::StrArray),
            ("triggerWords", Want::StrArray),
            ("impersonateUser", Want::Bool),
            ("retryFailedCalls", Want::Bool),
            ("runOnEdits", Want::Bool),
            ("triggerWordAnywhere", Want::Bool),
            ("retryCount", Want::Num),
        ],
    )
}

/// `validateOutgoingIntegration`: returns the document data to store.
pub fn validate(
    s: &State,
    cfg: &RuntimeConfig,
    caller: &User,
    input: &Map<String, Value>,
) -> Result<Doc, ApiError> {
    let v = cfg.server_version;
    let mut body = input.clone();
    // 1. a blank channel string is dropped
    if matches!(body.get("channel"), Some(Value::String(c)) if c.trim().is_empty()) {
        body.remove("channel");
    }
    // 2. event
    let event = body
        .get("event")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let Some((uses_channel, uses_words, needs_target)) = event_info(&event) else {
        return Err(validation("error-invalid-event-type", "Invalid event type"));
    };
    // 3. username
    if !non_blank(body.get("username")) {
        return Err(validation("error-invalid-username", "Invalid username"));
    }
    // 4. target room
    if needs_target && !truthy(body.get("targetRoom")) {
        return Err(validation(
            "error-invalid-targetRoom",
            "Invalid Target Room",
        ));
    }
    // 5. urls: an array of strings, blanks removed, at least one left
    let urls: Vec<String> = match body.get("urls") {
        Some(Value::Array(a)) if a.iter().all(Value::is_string) => a
            .iter()
            .filter_map(Value::as_str)
            .filter(|u| !u.trim().is_empty())
            .map(str::to_string)
            .collect(),
        _ => return Err(validation("error-invalid-urls", "Invalid URLs")),
    };
    if urls.is_empty() {
        return Err(validation("error-invalid-urls", "Invalid URLs"));
    }
    body.insert("urls".into(), json!(urls));
    // 6. channel syntax, or the permission for channel-less events
    let mut channels: Vec<String> = vec![];
    if uses_channel {
        let Some(Value::String(raw)) = body.get("channel") else {
            return Err(validation("error-invalid-channel", "Invalid Channel"));
        };
        channels = raw
            .split(',')
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        for c in &channels {
            let ok = c.starts_with('@')
                || c.starts_with('#')
                || SCOPED_CHANNELS.contains(&c.to_lowercase().as_str());
            if !ok {
                return Err(validation(
                    "error-invalid-channel-start-with-chars",
                    "Invalid channel. Start with @ or #",
                ));
            }
        }
    } else if !s.has_permission(caller, MANAGE_OUT) {
        return Err(validation(
            "error-invalid-permissions",
            "Invalid permission for required Integration creation.",
        ));
    }
    // 7. post-as user
    let username = body.get("username").and_then(Value::as_str).unwrap_or("");
    let Some(user) = s.user_by_username(username).cloned() else {
        return Err(validation(
            "error-invalid-user",
            "Invalid user (did you delete the `rocket.cat` user?)",
        ));
    };
    // 8. document data
    let engine = engine_of(&body, DEFAULT_ENGINE).to_string();
    let mut data: Doc = body.clone();
    if v.stores_script_engine() {
        set(&mut data, "scriptEngine", json!(engine));
    }
    set(&mut data, "type", json!("webhook-outgoing"));
    set(&mut data, "channel", json!(channels));
    set(&mut data, "userId", json!(user.id));
    set(&mut data, "_createdAt", json!(now_iso()));
    set(&mut data, "_createdBy", caller.stamp());
    // 9. trigger words: kept only for sendMessage; blanks removed, the rest not trimmed
    if uses_words && truthy(body.get("triggerWords")) {
        let Some(words) = body
            .get("triggerWords")
            .and_then(Value::as_array)
            .filter(|a| a.iter().all(Value::is_string))
        else {
            return Err(validation(
                "error-invalid-triggerWords",
                "Invalid triggerWords",
            ));
        };
        let kept: Vec<Value> = words
            .iter()
            .filter(|w| w.as_str().is_some_and(|w| !w.trim().is_empty()))
            .cloned()
            .collect();
        set(&mut data, "triggerWords", Value::Array(kept));
    } else {
        data.remove("triggerWords");
    }
    // 10. script
    let script = body.get("script").and_then(Value::as_str).unwrap_or("");
    if !frozen(cfg, &engine)
        && body.get("scriptEnabled") == Some(&json!(true))
        && !script.trim().is_empty()
    {
        let skip = body.get("skipTranspile") == Some(&json!(true));
        match compile(cfg, script, skip) {
            Ok(c) => {
                set(&mut data, "scriptCompiled", json!(c));
                data.remove("scriptError");
            }
            Err(e) => {
                set(&mut data, "scriptError", e);
                data.remove("scriptCompiled");
            }
        }
    }
    if v.skip_transpile() {
        let skip = body.get("skipTranspile") == Some(&json!(true));
        set(&mut data, "skipTranspile", json!(skip));
    } else {
        data.remove("skipTranspile");
    }
    // 11. runOnEdits becomes strictly boolean
    if let Some(r) = body.get("runOnEdits") {
        set(&mut data, "runOnEdits", json!(r == &json!(true)));
    }
    // 12. channel rights (scoped keywords compared case-sensitively here)
    let both = s.has_all(caller, &[MANAGE_OUT, MANAGE_OWN_OUT]);
    for c in &channels {
        match c.as_str() {
            "all_public_channels" => {}
            "all_private_groups" | "all_direct_messages" => {
                if !s.has_permission(caller, MANAGE_OUT) {
                    return Err(rights_error("error-invalid-channel", "Invalid Channel"));
                }
            }
            other => {
                let Some(rid) = resolve_target(s, other) else {
                    return Err(rights_error("error-invalid-room", "Invalid room"));
                };
                if !both && !s.is_member(&rid, &caller.id) {
                    return Err(rights_error("error-invalid-channel", "Invalid Channel"));
                }
            }
        }
    }
    // 13. retry settings
    if truthy(body.get("retryFailedCalls")) {
        let count = parse_int(body.get("retryCount"))
            .filter(|n| *n > 0)
            .unwrap_or(4);
        set(&mut data, "retryCount", json!(count));
        let delay = match body.get("retryDelay").and_then(Value::as_str) {
            Some(d) if !d.trim().is_empty() => d.to_lowercase(),
            _ => "powers-of-ten".into(),
        };
        set(&mut data, "retryDelay", json!(delay));
    }
    Ok(data)
}

pub fn add(
    s: &mut State,
    cfg: &RuntimeConfig,
    caller: &User,
    body: &Map<String, Value>,
) -> Result<Doc, ApiError> {
    match_check_outgoing(body)?;
    if !s.has_any(caller, &[MANAGE_OUT, MANAGE_OWN_OUT]) {
        // No reason: the body reads "[not_authorized]".
        return Err(ApiError::bare("not_authorized"));
    }
    if non_blank(body.get("script")) {
        script_gate(cfg, engine_of(body, DEFAULT_ENGINE)).map_err(ApiError::plain)?;
    }
    let data = validate(s, cfg, caller, body)?;
    Ok(insert(s, object_id(), data))
}

pub fn update(
    s: &mut State,
    cfg: &RuntimeConfig,
    caller: &User,
    id: &str,
    body: &Map<String, Value>,
) -> Result<Doc, ApiError> {
    let data = validate(s, cfg, caller, body)?;
    if !non_blank(body.get("token")) {
        return Err(ApiError::method(
            "error-invalid-token",
            "Invalid token",
            UPDATE,
        ));
    }
    let current = match lookup_by_permission(s, caller, id, MANAGE_OUT, MANAGE_OWN_OUT, |_| true) {
        Lookup::Found(d) => d,
        Lookup::NotFound => {
            return Err(ApiError::meteor(
                "invalid_integration",
                "[methods] updateOutgoingIntegration -> integration not found",
            ))
        }
        Lookup::NotAuthorized => {
            return Err(ApiError::method("not_authorized", "Unauthorized", UPDATE))
        }
    };
    let stored_engine = current
        .get("scriptEngine")
        .and_then(Value::as_str)
        .unwrap_or(DEFAULT_ENGINE);
    let engine = engine_of(body, stored_engine).to_string();
    let script = body.get("script").and_then(Value::as_str).unwrap_or("");
    if !script.trim().is_empty() {
        let stored_script = current.get("script").and_then(Value::as_str).unwrap_or("");
        let engine_changed = current.get("scriptEngine") != body.get("scriptEngine");
        if engine_changed || stored_script.trim() != script.trim() {
            script_gate(cfg, &engine).map_err(ApiError::bare)?;
        }
    }
    let is_frozen = frozen(cfg, &engine);
    let Some(doc) = s.integration_mut(id) else {
        return Err(ApiError::meteor(
            "invalid_integration",
            "[methods] updateOutgoingIntegration -> integration not found",
        ));
    };
    // `$set` ignores fields that are undefined in the validated data.
    const FIELDS: [&str; 21] = [
        "event",
        "enabled",
        "name",
        "avatar",
        "emoji",
        "alias",
        "channel",
        "targetRoom",
        "impersonateUser",
        "username",
        "userId",
        "urls",
        "token",
        "triggerWords",
        "retryFailedCalls",
        "retryCount",
        "retryDelay",
        "triggerWordAnywhere",
        "runOnEdits",
        "_updatedAt",
        "_updatedBy",
    ];
    for key in FIELDS {
        let value = match key {
            "_updatedAt" => Some(json!(now_iso())),
            "_updatedBy" => Some(caller.stamp()),
            _ => data.get(key).cloned(),
        };
        if let Some(x) = value {
            set(doc, key, x);
        }
    }
    if !is_frozen {
        for key in ["script", "scriptEnabled", "scriptEngine", "skipTranspile"] {
            if let Some(x) = data.get(key) {
                set(doc, key, x.clone());
            }
        }
        if let Some(c) = data.get("scriptCompiled") {
            set(doc, "scriptCompiled", c.clone());
            doc.remove("scriptError");
        } else if let Some(e) = data.get("scriptError") {
            set(doc, "scriptError", e.clone());
            doc.remove("scriptCompiled");
        } else {
            doc.remove("scriptCompiled");
        }
    }
    Ok(doc.clone())
}

pub fn delete(s: &mut State, caller: &User, id: &str) -> Result<Doc, ApiError> {
    match lookup_by_permission(s, caller, id, MANAGE_OUT, MANAGE_OWN_OUT, |_| true) {
        Lookup::Found(d) => {
            s.integrations
                .retain(|x| x.get("_id").and_then(Value::as_str) != Some(id));
            // Deleting an outgoing integration also deletes its history.
            s.history.retain(|h| {
                h.get("integration")
                    .and_then(|i| i.get("_id"))
                    .and_then(Value::as_str)
                    != Some(id)
            });
            Ok(d)
        }
        Lookup::NotFound => Err(ApiError::method(
            "error-invalid-integration",
            "Invalid integration",
            DELETE,
        )),
        Lookup::NotAuthorized => Err(ApiError::method("not_authorized", "Unauthorized", DELETE)),
    }
}
