//! Helpers shared by the incoming and outgoing methods.

use crate::config::{Frozen, RuntimeConfig};
use crate::errors::ApiError;
use crate::model::{Doc, State, User};
use crate::script::{self, Compiled, Mode};
use crate::util::now_iso;
use serde_json::{json, Map, Value};

pub const MANAGE_IN: &str = "manage-incoming-integrations";
pub const MANAGE_OWN_IN: &str = "manage-own-incoming-integrations";
pub const MANAGE_OUT: &str = "manage-outgoing-integrations";
pub const MANAGE_OWN_OUT: &str = "manage-own-outgoing-integrations";
pub const DEFAULT_ENGINE: &str = "isolated-vm";

/// `validateScriptEngine`: the error code a frozen engine raises, if any.
pub fn script_gate(cfg: &RuntimeConfig, engine: &str) -> Result<(), &'static str> {
    match cfg.scripts_frozen {
        Some(Frozen::All) => Err("integration-scripts-disabled"),
        Some(Frozen::IsolatedVm) if engine == DEFAULT_ENGINE => {
            Err("integration-scripts-isolated-vm-disabled")
        }
        Some(Frozen::Vm2) if engine != DEFAULT_ENGINE => Err("integration-scripts-vm2-disabled"),
        _ => Ok(()),
    }
}

/// `isScriptEngineFrozen`.
pub fn frozen(cfg: &RuntimeConfig, engine: &str) -> bool {
    script_gate(cfg, engine).is_err()
}

/// `integration.scriptEngine ?? fallback` (JSON null counts as absent, like `??`).
pub fn engine_of<'a>(body: &'a Map<String, Value>, fallback: &'a str) -> &'a str {
    body.get("scriptEngine")
        .and_then(Value::as_str)
        .unwrap_or(fallback)
}

/// Compiles like `compileIntegrationScript`: Babel unless `skipTranspile` (8.4+) or 9.0.
pub fn compile(cfg: &RuntimeConfig, source: &str, skip_transpile: bool) -> Result<String, Value> {
    let v = cfg.server_version;
    let mode = if !v.transpiles_scripts() || (v.skip_transpile() && skip_transpile) {
        Mode::SyntaxCheck
    } else {
        Mode::Transpile
    };
    match script::compile(source, mode) {
        Compiled::Ok(s) => Ok(s),
        Compiled::Err(e) => Err(e),
    }
}

/// JavaScript `typeof`, with Meteor's `null`.
fn js_type(v: Option<&Value>) -> &'static str {
    match v {
        None => "undefined",
        Some(Value::Null) => "null",
        Some(Value::Bool(_)) => "boolean",
        Some(Value::Number(_)) => "number",
        Some(Value::String(_)) => "string",
        Some(_) => "object",
    }
}

pub enum Want {
    Str,
    Bool,
    Num,
    StrArray,
}

/// Meteor `check(x, Match.ObjectIncluding({...}))`: plain-Error text `Match error: …`.
pub fn match_check(
    body: &Map<String, Value>,
    required: &[(&str, Want)],
    optional: &[(&str, Want)],
) -> Result<(), ApiError> {
    let ok = |v: &Value, w: &Want| match w {
        Want::Str => v.is_string(),
        Want::Bool => v.is_boolean(),
        Want::Num => v.is_number(),
        Want::StrArray => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
    };
    let name = |w: &Want| match w {
        Want::Str => "string",
        Want::Bool => "boolean",
        Want::Num => "number",
        Want::StrArray => "string",
    };
    for (key, want) in required {
        match body.get(*key) {
            None => return Err(ApiError::plain(format!("Match error: Missing key '{key}'"))),
            Some(v) if !ok(v, want) => {
                return Err(ApiError::plain(format!(
                    "Match error: Expected {}, got {} in field {key}",
                    name(want),
                    js_type(Some(v))
                )))
            }
            _ => {}
        }
    }
    for (key, want) in optional {
        // `Match.Maybe`: undefined and null pass.
        match body.get(*key) {
            None | Some(Value::Null) => {}
            Some(v) if !ok(v, want) => {
                let got = match (want, v) {
                    (Want::StrArray, Value::Array(a)) => {
                        let bad = a.iter().position(|x| !x.is_string()).unwrap_or(0);
                        return Err(ApiError::plain(format!(
                            "Match error: Expected string, got {} in field {key}[{bad}]",
                            js_type(a.get(bad))
                        )));
                    }
                    _ => js_type(Some(v)),
                };
                let expected = if matches!(want, Want::StrArray) {
                    "array"
                } else {
                    name(want)
                };
                return Err(ApiError::plain(format!(
                    "Match error: Expected {expected}, got {got} in field {key}"
                )));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Resolves a `#room` / `@user` target; `None` when it does not exist. Returns the id the
/// subscription check uses (a user's id for `@user`, which never matches a room).
pub fn resolve_target(s: &State, channel: &str) -> Option<String> {
    let mut chars = channel.chars();
    let first = chars.next()?;
    let rest = chars.as_str();
    match first {
        '#' => s.room_by_id_or_name(rest).map(|r| r.id.clone()),
        '@' => s.user_by_id_or_username(rest).map(|u| u.id.clone()),
        _ => None,
    }
}

/// `removeEmpty`: drops `null` and `""` values before insert.
pub fn remove_empty(doc: &mut Doc) {
    doc.retain(|_, v| !matches!(v, Value::Null) && v.as_str() != Some(""));
}

/// Inserts a new document with `_id` first and `_updatedAt` last (as MongoDB stores it).
pub fn insert(s: &mut State, id: String, mut body: Doc) -> Doc {
    remove_empty(&mut body);
    let mut doc = Doc::new();
    doc.insert("_id".into(), json!(id));
    for (k, v) in body {
        if k != "_id" {
            doc.insert(k, v);
        }
    }
    doc.insert("_updatedAt".into(), json!(now_iso()));
    s.integrations.push(doc.clone());
    doc
}

pub fn created_by(doc: &Doc) -> Option<&str> {
    doc.get("_createdBy")?.get("_id")?.as_str()
}

/// Looks an integration up under the full/own permission rule of update/delete/clear/replay.
pub enum Lookup {
    Found(Doc),
    NotFound,
    NotAuthorized,
}

pub fn lookup_by_permission(
    s: &State,
    caller: &User,
    id: &str,
    full: &str,
    own: &str,
    extra: impl Fn(&Doc) -> bool,
) -> Lookup {
    let found = s.integration(id).filter(|d| extra(d));
    if s.has_permission(caller, full) {
        found.cloned().map_or(Lookup::NotFound, Lookup::Found)
    } else if s.has_permission(caller, own) {
        found
            .filter(|d| created_by(d) == Some(caller.id.as_str()))
            .cloned()
            .map_or(Lookup::NotFound, Lookup::Found)
    } else {
        Lookup::NotAuthorized
    }
}

pub fn set(doc: &mut Doc, key: &str, v: Value) {
    doc.insert(key.to_string(), v);
}
