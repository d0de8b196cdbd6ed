//! `POST /api/v1/method.call/:method` — the DDP-over-REST bridge older clients use for the
//! integration methods (and the only way to reach the methods without the AJV schema).

use crate::app::{Ctx, Pipeline};
use crate::errors::{ApiError, ApiResult, Reply};
use crate::integrations::{self, incoming, outgoing};
use crate::util::ms_from_iso;
use serde_json::{json, Map, Value};

/// Dates travel as EJSON `{"$date": ms}`.
fn ejson(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let is_date =
                        matches!(k.as_str(), "_createdAt" | "_updatedAt" | "ts" | "editedAt");
                    let v = match (&v, is_date) {
                        (Value::String(s), true) => {
                            ms_from_iso(s).map_or(v.clone(), |ms| json!({ "$date": ms }))
                        }
                        _ => ejson(v),
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(ejson).collect()),
        other => other,
    }
}

fn meteor_error(e: &ApiError) -> Value {
    match e {
        ApiError::Meteor {
            id,
            reason,
            details,
        } => {
            let mut m = Map::new();
            m.insert("isClientSafe".into(), json!(true));
            m.insert("error".into(), json!(id));
            if let Some(r) = reason {
                m.insert("reason".into(), json!(r));
            }
            if let Some(d) = details {
                m.insert("details".into(), d.clone());
            }
            m.insert("message".into(), json!(e.message()));
            m.insert("errorType".into(), json!("Meteor.Error"));
            Value::Object(m)
        }
        ApiError::Plain(msg) if msg.starts_with("Match error") => json!({
            "isClientSafe": true, "error": 400, "reason": "Match failed",
            "message": "Match failed [400]", "errorType": "Meteor.Error"
        }),
        // Plain errors are not client-safe: Meteor hides them.
        _ => json!({
            "isClientSafe": true, "error": 500, "reason": "Internal server error",
            "message": "Internal server error [500]", "errorType": "Meteor.Error"
        }),
    }
}

pub fn call(ctx: &mut Ctx, method_name: &str) -> ApiResult {
    let user = ctx.require_user(Pipeline::default())?;
    let Some(raw) = ctx.req.body_str("message").map(str::to_string) else {
        return Err(ApiError::plain("The 'message' param is required"));
    };
    let Ok(Value::Object(msg)) = serde_json::from_str::<Value>(&raw) else {
        return Err(ApiError::plain("The 'message' param is required"));
    };
    let id = msg.get("id").cloned().unwrap_or(json!("1"));
    let method = msg
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or(method_name)
        .to_string();
    let params: Vec<Value> = msg
        .get("params")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let p_obj = |i: usize| {
        params
            .get(i)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let p_str = |i: usize| {
        params
            .get(i)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let cfg = ctx.cfg.clone();
    let result: Result<Value, ApiError> = match method.as_str() {
        "addIncomingIntegration" => ctx
            .app
            .store
            .write(|s| incoming::add(s, &cfg, &user, &p_obj(0)))
            .map(Value::Object),
        "updateIncomingIntegration" => ctx
            .app
            .store
            .write(|s| incoming::update(s, &cfg, &user, &p_str(0), &p_obj(1)))
            .map(Value::Object),
        "deleteIncomingIntegration" => ctx
            .app
            .store
            .write(|s| incoming::delete(s, &user, &p_str(0)))
            .map(|_| json!(true)),
        "addOutgoingIntegration" => ctx
            .app
            .store
            .write(|s| outgoing::add(s, &cfg, &user, &p_obj(0)))
            .map(Value::Object),
        "updateOutgoingIntegration" => ctx
            .app
            .store
            .write(|s| outgoing::update(s, &cfg, &user, &p_str(0), &p_obj(1)))
            .map(Value::Object),
        "deleteOutgoingIntegration" => ctx
            .app
            .store
            .write(|s| outgoing::delete(s, &user, &p_str(0)))
            .map(|_| json!(true)),
        "clearIntegrationHistory" => ctx
            .app
            .store
            .write(|s| integrations::clear_history_method(s, &user, &p_str(0)))
            .map(|_| json!(true)),
        "replayOutgoingIntegration" => {
            let o = p_obj(0);
            let get = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            integrations::replay_method(ctx, &user, &get("integrationId"), &get("historyId"))
                .map(|_| json!(true))
        }
        other => Err(ApiError::Custom(
            axum::http::StatusCode::OK,
            json!({
                "isClientSafe": true, "error": 404, "reason": format!("Method '{other}' not found"),
                "message": format!("Method '{other}' not found [404]"), "errorType": "Meteor.Error"
            }),
        )),
    };
    let envelope = match result {
        Ok(r) => json!({ "msg": "result", "id": id, "result": ejson(r) }),
        Err(ApiError::Custom(_, err)) => json!({ "msg": "result", "id": id, "error": err }),
        Err(e) => json!({ "msg": "result", "id": id, "error": meteor_error(&e) }),
    };
    let mut m = Map::new();
    m.insert("message".into(), json!(envelope.to_string()));
    Ok(Reply::success(m))
}
