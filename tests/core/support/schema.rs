//! The AJV request schemas of `@rocket.chat/rest-typings` 8.8.1 for integrations
//! create/update/remove (spec §2.1, §2.2, §2.5), with the version variants of §8, plus the
//! client rules of §10 that are stricter than the schemas. Every built body is checked here.

use hookpanel::core::model::Kind;
use hookpanel::core::version::ServerVersion;
use serde_json::Value;

/// Create or update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `integrations.create`.
    Create,
    /// `integrations.update`.
    Update,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ty {
    Str,
    Bool,
    Num,
    /// Array of strings, each `minLength: 1`.
    StrArray,
}

/// (name, type, nullable).
type Prop = (&'static str, Ty, bool);

/// Which schema generation a version gets.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Gen {
    /// rest-typings 6.3.x.
    V63,
    /// 6.13.1 … 8.0.0 (6.4–6.12 assumed equal: not in the spec).
    Modern,
    /// 8.4+ (`skipTranspile` declared).
    Transpile,
}

fn generation(version: Option<ServerVersion>) -> Gen {
    match version {
        Some(v) if !v.at_least(6, 4) => Gen::V63,
        Some(v) if v.at_least(8, 4) => Gen::Transpile,
        _ => Gen::Modern,
    }
}

const INCOMING_CREATE: [Prop; 11] = [
    ("type", Ty::Str, false),
    ("username", Ty::Str, false),
    ("channel", Ty::Str, false),
    ("scriptEnabled", Ty::Bool, false),
    ("name", Ty::Str, false),
    ("enabled", Ty::Bool, false),
    ("overrideDestinationChannelEnabled", Ty::Bool, true),
    ("script", Ty::Str, true),
    ("alias", Ty::Str, true),
    ("avatar", Ty::Str, true),
    ("emoji", Ty::Str, true),
];

const OUTGOING_CREATE: [Prop; 21] = [
    ("type", Ty::Str, false),
    ("username", Ty::Str, false),
    ("channel", Ty::Str, false),
    ("event", Ty::Str, false),
    ("scriptEnabled", Ty::Bool, false),
    ("name", Ty::Str, false),
    ("enabled", Ty::Bool, false),
    ("targetRoom", Ty::Str, true),
    ("urls", Ty::StrArray, true),
    ("triggerWords", Ty::StrArray, true),
    ("triggerWordAnywhere", Ty::Bool, true),
    ("token", Ty::Str, true),
    ("script", Ty::Str, true),
    ("runOnEdits", Ty::Bool, true),
    ("retryFailedCalls", Ty::Bool, true),
    ("retryCount", Ty::Num, true),
    ("retryDelay", Ty::Str, true),
    ("impersonateUser", Ty::Bool, true),
    ("alias", Ty::Str, true),
    ("avatar", Ty::Str, true),
    ("emoji", Ty::Str, true),
];

/// Declared properties, required properties and whether others are allowed.
fn schema(kind: Kind, op: Op, generation: Gen) -> (Vec<Prop>, Vec<&'static str>, bool) {
    let mut props: Vec<Prop> = match kind {
        Kind::Incoming => INCOMING_CREATE.to_vec(),
        Kind::Outgoing => OUTGOING_CREATE.to_vec(),
    };
    let mut required = vec![
        "type",
        "username",
        "channel",
        "scriptEnabled",
        "name",
        "enabled",
    ];
    if kind == Kind::Outgoing {
        required.push("event");
    }
    if generation != Gen::V63 {
        // Not nullable in the update schemas; nullable in create.
        props.push(("scriptEngine", Ty::Str, op == Op::Create));
    }
    if generation == Gen::Transpile {
        props.push(("skipTranspile", Ty::Bool, true));
    }
    let mut additional = false;
    if op == Op::Update {
        match kind {
            Kind::Incoming => {
                // Incoming update: username not required, additionalProperties: true.
                required.retain(|r| *r != "username");
                required.push("integrationId");
                props.push(("integrationId", Ty::Str, false));
                additional = true;
            }
            Kind::Outgoing => {
                props.push(("integrationId", Ty::Str, true));
                props.push(("target_url", Ty::Str, true));
                if generation == Gen::V63 {
                    props.retain(|p| p.0 != "overrideDestinationChannelEnabled");
                    props.push(("overrideDestinationChannelEnabled", Ty::Bool, false));
                } else {
                    props.retain(|p| p.0 != "overrideDestinationChannelEnabled");
                }
            }
        }
        if generation == Gen::V63 {
            required.push("overrideDestinationChannelEnabled");
        }
    } else if kind == Kind::Outgoing {
        // The outgoing create branch never declared it.
        props.retain(|p| p.0 != "overrideDestinationChannelEnabled");
    }
    (props, required, additional)
}

fn type_ok(value: &Value, ty: Ty, nullable: bool) -> Result<(), String> {
    if value.is_null() {
        return if nullable {
            Ok(())
        } else {
            Err("null for a non-nullable property".into())
        };
    }
    match ty {
        Ty::Str if value.is_string() => Ok(()),
        Ty::Bool if value.is_boolean() => Ok(()),
        Ty::Num if value.is_number() => Ok(()),
        Ty::StrArray => match value.as_array() {
            Some(items)
                if items
                    .iter()
                    .all(|i| i.as_str().is_some_and(|s| !s.is_empty())) =>
            {
                Ok(())
            }
            _ => Err("must be an array of non-empty strings".into()),
        },
        _ => Err(format!("wrong JSON type: {value}")),
    }
}

/// Checks a create/update body against the server schema of `version` and the client rules.
pub fn check_save(
    kind: Kind,
    op: Op,
    body: &Value,
    version: Option<ServerVersion>,
) -> Result<(), String> {
    let obj = body.as_object().ok_or("body is not an object")?;
    let generation = generation(version);
    let (props, required, additional) = schema(kind, op, generation);

    // The AJV schema.
    if obj.get("type").and_then(Value::as_str) != Some(kind.api_name()) {
        return Err(format!("type must be {}", kind.api_name()));
    }
    for r in &required {
        if !obj.contains_key(*r) {
            return Err(format!("missing required property '{r}'"));
        }
    }
    for (key, value) in obj {
        match props.iter().find(|p| p.0 == key) {
            Some(&(_, ty, nullable)) => {
                type_ok(value, ty, nullable).map_err(|e| format!("{key}: {e}"))?
            }
            None if additional => {}
            None => return Err(format!("additional property '{key}' is rejected")),
        }
    }

    // Client rules (§1.3, §10), stricter than the schema.
    for (key, value) in obj {
        if value.is_null() {
            return Err(format!("{key} is null: omit it instead"));
        }
    }
    for key in [
        "_id",
        "_createdAt",
        "_updatedAt",
        "targetChannel",
        "fields",
        "target_url",
    ] {
        if obj.contains_key(key) {
            return Err(format!("must never send '{key}'"));
        }
    }
    let known = version.is_some();
    if obj.contains_key("scriptEngine") && (!known || generation == Gen::V63) {
        return Err("scriptEngine sent to a server that may reject it".into());
    }
    let transpile_ok = version.is_some_and(|v| v.at_least(8, 4) && !v.at_least(9, 0));
    if obj.contains_key("skipTranspile") != transpile_ok {
        return Err(format!(
            "skipTranspile must be sent exactly to 8.4–8.x (sent: {})",
            obj.contains_key("skipTranspile")
        ));
    }
    let text = |k: &str| obj.get(k).and_then(Value::as_str).unwrap_or("");
    if text("username").trim().is_empty() {
        return Err("username must be non-empty".into());
    }
    if op == Op::Update && text("integrationId").is_empty() {
        return Err("update needs a non-empty integrationId".into());
    }
    match kind {
        Kind::Incoming => {
            if obj.contains_key("token") {
                return Err("never send token for incoming".into());
            }
            let channel = text("channel");
            if channel.trim().is_empty()
                || channel
                    .split(',')
                    .any(|e| !e.trim().starts_with(['#', '@']) || e.trim().len() < 2)
            {
                return Err(format!("incoming channel invalid: {channel:?}"));
            }
        }
        Kind::Outgoing => {
            if text("token").trim().is_empty() {
                return Err("outgoing token must be non-empty".into());
            }
            let urls = obj.get("urls").and_then(Value::as_array);
            if !urls.is_some_and(|u| {
                !u.is_empty()
                    && u.iter().all(|x| {
                        x.as_str()
                            .is_some_and(|s| !s.trim().is_empty() && s.trim() == s)
                    })
            }) {
                return Err("urls must hold at least one trimmed URL".into());
            }
            let event = text("event");
            if obj.contains_key("triggerWords") != (event == "sendMessage") {
                return Err("triggerWords only and always for sendMessage".into());
            }
            if let Some(words) = obj.get("triggerWords").and_then(Value::as_array) {
                if words
                    .iter()
                    .any(|w| w.as_str().is_none_or(|s| s.trim() != s || s.is_empty()))
                {
                    return Err("trigger words must be trimmed and non-empty".into());
                }
            }
            let without_channel = matches!(event, "roomArchived" | "roomCreated" | "userCreated");
            if without_channel && !text("channel").is_empty() {
                return Err("events without channel send channel \"\"".into());
            }
            if event == "userCreated" && text("targetRoom").trim().is_empty() {
                return Err("userCreated needs targetRoom".into());
            }
            if op == Op::Create && obj.contains_key("overrideDestinationChannelEnabled") {
                return Err("outgoing create never sends overrideDestinationChannelEnabled".into());
            }
        }
    }
    Ok(())
}

/// `integrations.remove`: exactly `{type, integrationId}`.
pub fn check_remove(body: &Value) -> Result<(), String> {
    let obj = body.as_object().ok_or("not an object")?;
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.sort_unstable();
    if keys != ["integrationId", "type"] {
        return Err(format!("remove body keys {keys:?}"));
    }
    match obj.get("type").and_then(Value::as_str) {
        Some("webhook-incoming" | "webhook-outgoing") => Ok(()),
        _ => Err("bad type".into()),
    }
}
