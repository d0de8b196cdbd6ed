//! `addIncomingIntegration`, `updateIncomingIntegration`, `deleteIncomingIntegration`
//! (spec §3.1, §3.2), each check in the server's order.

use super::common::*;
use crate::config::RuntimeConfig;
use crate::errors::ApiError;
use crate::model::{Doc, State, User};
use crate::util::{non_blank, now_iso, object_id, random_id};
use serde_json::{json, Map, Value};

const ADD: &str = "addIncomingIntegration";
const UPDATE: &str = "updateIncomingIntegration";
const DELETE: &str = "deleteIncomingIntegration";

/// Steps 3–4 of add (step 1 of update): blank channel, then the `@`/`#` prefix of each entry.
fn channel_syntax(body: &Map<String, Value>, method: &str) -> Result<Vec<String>, ApiError> {
    let raw = match body.get("channel") {
        Some(Value::String(s)) if !s.trim().is_empty() => s,
        _ => {
            return Err(ApiError::method(
                "error-invalid-channel",
                "Invalid channel",
                method,
            ))
        }
    };
    // Empty entries are kept (so "#a," fails below).
    let channels: Vec<String> = raw.split(',').map(|c| c.trim().to_string()).collect();
    for c in &channels {
        if !(c.starts_with('@') || c.starts_with('#')) {
            // The server names `updateIncomingIntegration` here even when adding.
            return Err(ApiError::method(
                "error-invalid-channel-start-with-chars",
                "Invalid channel. Start with @ or #",
                UPDATE,
            ));
        }
    }
    Ok(channels)
}

/// Step 10 of add: every target exists and, unless the caller holds both incoming
/// permissions, the caller is subscribed to it.
fn channel_rights(
    s: &State,
    caller: &User,
    channels: &[String],
    method: &str,
) -> Result<(), ApiError> {
    let both = s.has_all(caller, &[MANAGE_IN, MANAGE_OWN_IN]);
    for c in channels {
        let Some(rid) = resolve_target(s, c) else {
            return Err(ApiError::method(
                "error-invalid-room",
                "Invalid room",
                method,
            ));
        };
        if !both && !s.is_member(&rid, &caller.id) {
            return Err(ApiError::method(
                "error-invalid-channel",
                "Invalid Channel",
                method,
            ));
        }
    }
    Ok(())
}

pub fn add(
    s: &mut State,
    cfg: &RuntimeConfig,
    caller: &User,
    body: &Map<String, Value>,
) -> Result<Doc, ApiError> {
    let v = cfg.server_version;
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
            ("overrideDestinationChannelEnabled", Want::Bool),
        ],
    )?;
    if !s.has_any(caller, &[MANAGE_IN, MANAGE_OWN_IN]) {
        return Err(ApiError::method("not_authorized", "Unauthorized", ADD));
    }
    let channels = channel_syntax(body, ADD)?;
    if !non_blank(body.get("username")) {
        return Err(ApiError::method(
            "error-invalid-username",
            "Invalid username",
            ADD,
        ));
    }
    let engine = engine_of(body, DEFAULT_ENGINE).to_string();
    if non_blank(body.get("script")) {
        script_gate(cfg, &engine).map_err(ApiError::plain)?;
    }
    let username = body.get("username").and_then(Value::as_str).unwrap_or("");
    let Some(post_as) = s.user_by_username(username).cloned() else {
        return Err(ApiError::method("error-invalid-user", "Invalid user", ADD));
    };

    let skip = body.get("skipTranspile") == Some(&json!(true));
    let mut doc: Doc = body.clone();
    if v.stores_script_engine() {
        set(&mut doc, "scriptEngine", json!(engine));
    }
    if v.skip_transpile() {
        set(&mut doc, "skipTranspile", json!(skip));
    } else {
        doc.remove("skipTranspile");
    }
    set(&mut doc, "type", json!("webhook-incoming"));
    set(&mut doc, "channel", json!(channels));
    let odce = body
        .get("overrideDestinationChannelEnabled")
        .filter(|x| !x.is_null())
        .cloned()
        .unwrap_or(json!(false));
    set(&mut doc, "overrideDestinationChannelEnabled", odce);
    set(&mut doc, "token", json!(random_id(48)));
    set(&mut doc, "userId", json!(post_as.id));
    set(&mut doc, "_createdAt", json!(now_iso()));
    set(&mut doc, "_createdBy", caller.stamp());

    let script = body.get("script").and_then(Value::as_str).unwrap_or("");
    if !frozen(cfg, &engine)
        && body.get("scriptEnabled") == Some(&json!(true))
        && !script.trim().is_empty()
    {
        match compile(cfg, script, skip) {
            Ok(c) => set(&mut doc, "scriptCompiled", json!(c)),
            Err(e) => {
                set(&mut doc, "scriptError", e);
                doc.remove("scriptCompiled");
            }
        }
    }

    channel_rights(s, caller, &channels, ADD)?;
    s.add_role(&post_as.id, "bot");
    Ok(insert(s, object_id(), doc))
}

pub fn update(
    s: &mut State,
    cfg: &RuntimeConfig,
    caller: &User,
    id: &str,
    body: &Map<String, Value>,
) -> Result<Doc, ApiError> {
    let v = cfg.server_version;
    let channels = channel_syntax(body, UPDATE)?;
    let current = match lookup_by_permission(s, caller, id, MANAGE_IN, MANAGE_OWN_IN, |_| true) {
        Lookup::Found(d) => d,
        Lookup::NotFound => {
            return Err(ApiError::method(
                "error-invalid-integration",
                "Invalid integration",
                UPDATE,
            ))
        }
        Lookup::NotAuthorized => {
            return Err(ApiError::method("not_authorized", "Unauthorized", UPDATE))
        }
    };
    let stored_engine = current
        .get("scriptEngine")
        .and_then(Value::as_str)
        .unwrap_or(DEFAULT_ENGINE)
        .to_string();
    let engine = engine_of(body, &stored_engine).to_string();
    let script = body.get("script").and_then(Value::as_str).unwrap_or("");
    if !script.trim().is_empty() {
        let stored_script = current.get("script").and_then(Value::as_str).unwrap_or("");
        let engine_changed = current.get("scriptEngine") != body.get("scriptEngine");
        if engine_changed || stored_script.trim() != script.trim() {
            script_gate(cfg, &engine).map_err(ApiError::bare)?;
        }
    }
    let skip = body.get("skipTranspile") == Some(&json!(true));
    let is_frozen = frozen(cfg, &engine);
    if !is_frozen && body.get("scriptEnabled") == Some(&json!(true)) && !script.trim().is_empty() {
        // Written at once, before the remaining checks (a later failure leaves it applied).
        let result = compile(cfg, script, skip);
        if let Some(doc) = s.integration_mut(id) {
            match result {
                Ok(c) => {
                    set(doc, "scriptCompiled", json!(c));
                    doc.remove("scriptError");
                }
                Err(e) => {
                    set(doc, "scriptError", e);
                    doc.remove("scriptCompiled");
                }
            }
            if v.skip_transpile() {
                set(doc, "skipTranspile", json!(skip));
            }
        }
    }
    channel_rights(s, caller, &channels, UPDATE)?;

    let honour_username = v.incoming_update_username() && body.contains_key("username");
    let post_as_name = if honour_username {
        body.get("username")
            .and_then(Value::as_str)
            .map(str::to_string)
    } else {
        current
            .get("username")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let Some(post_as) = post_as_name.and_then(|n| s.user_by_username(&n).cloned()) else {
        return Err(ApiError::method(
            "error-invalid-post-as-user",
            "Invalid Post As User",
            UPDATE,
        ));
    };
    s.add_role(&post_as.id, "bot");

    let Some(doc) = s.integration_mut(id) else {
        return Err(ApiError::method(
            "error-invalid-integration",
            "Invalid integration",
            UPDATE,
        ));
    };
    for key in ["enabled", "name"] {
        if let Some(x) = body.get(key) {
            set(doc, key, x.clone());
        }
    }
    set(doc, "channel", json!(channels));
    for key in [
        "avatar",
        "emoji",
        "alias",
        "overrideDestinationChannelEnabled",
    ] {
        if let Some(x) = body.get(key) {
            set(doc, key, x.clone());
        }
    }
    if honour_username {
        set(doc, "username", json!(post_as.username));
        if v.incoming_update_user_id() {
            set(doc, "userId", json!(post_as.id));
        }
    }
    if !is_frozen {
        if let Some(x) = body.get("script") {
            set(doc, "script", x.clone());
        }
        if let Some(x) = body.get("scriptEnabled") {
            set(doc, "scriptEnabled", x.clone());
        }
        if v.stores_script_engine() {
            set(doc, "scriptEngine", json!(engine));
        }
        if v.skip_transpile() {
            set(doc, "skipTranspile", json!(skip));
        }
    }
    set(doc, "_updatedAt", json!(now_iso()));
    set(doc, "_updatedBy", caller.stamp());
    Ok(doc.clone())
}

pub fn delete(s: &mut State, caller: &User, id: &str) -> Result<Doc, ApiError> {
    match lookup_by_permission(s, caller, id, MANAGE_IN, MANAGE_OWN_IN, |_| true) {
        Lookup::Found(d) => {
            s.integrations
                .retain(|x| x.get("_id").and_then(Value::as_str) != Some(id));
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
