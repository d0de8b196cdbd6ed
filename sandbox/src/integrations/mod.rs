//! The `integrations.*` REST routes (spec §2): route-level checks and dispatch to the methods.

pub mod common;
pub mod incoming;
pub mod outgoing;
pub mod query;
pub mod schemas;

use crate::app::{Ctx, Pipeline};
use crate::errors::{ApiError, ApiResult, Reply};
use crate::model::{Doc, State, User};
use crate::outgoing_runner;
use common::*;
use serde_json::{json, Map, Value};

const ANY_INTEGRATION_PERMISSION: &[&str] = &[MANAGE_OUT, MANAGE_OWN_OUT, MANAGE_IN, MANAGE_OWN_IN];
const OUTGOING_PERMISSIONS: &[&str] = &[MANAGE_OUT, MANAGE_OWN_OUT];

fn with_integration(doc: Doc) -> Reply {
    let mut m = Map::new();
    m.insert("integration".into(), Value::Object(doc));
    Reply::success(m)
}

fn body_map(ctx: &Ctx) -> Map<String, Value> {
    ctx.req.body_obj().cloned().unwrap_or_default()
}

fn type_of(body: &Map<String, Value>) -> &str {
    body.get("type").and_then(Value::as_str).unwrap_or("")
}

/// `Integrations.findOne({urls: target_url})` or by `_id`.
fn find_id(s: &State, body: &Map<String, Value>, by_url: bool) -> Option<String> {
    let target = body
        .get("target_url")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty());
    let doc = match (by_url, target) {
        (true, Some(url)) => s.integrations.iter().find(|d| {
            d.get("urls")
                .and_then(Value::as_array)
                .is_some_and(|u| u.iter().any(|x| x.as_str() == Some(url)))
        }),
        _ => {
            let id = body.get("integrationId").and_then(Value::as_str)?;
            s.integration(id)
        }
    };
    doc.and_then(|d| d.get("_id")?.as_str().map(str::to_string))
}

pub fn create(ctx: &mut Ctx) -> ApiResult {
    let v = ctx.v();
    let user = ctx.require_user(Pipeline {
        rate_limited: true,
        body: Some(schemas::create(&v)),
        ..Default::default()
    })?;
    let body = body_map(ctx);
    let cfg = ctx.cfg.clone();
    let doc = match type_of(&body) {
        "webhook-outgoing" => ctx
            .app
            .store
            .write(|s| outgoing::add(s, &cfg, &user, &body))?,
        "webhook-incoming" => ctx
            .app
            .store
            .write(|s| incoming::add(s, &cfg, &user, &body))?,
        _ => return Err(ApiError::plain("Invalid integration type.")),
    };
    Ok(with_integration(doc))
}

pub fn update(ctx: &mut Ctx) -> ApiResult {
    let v = ctx.v();
    let user = ctx.require_user(Pipeline {
        rate_limited: true,
        body: Some(schemas::update(&v)),
        ..Default::default()
    })?;
    let body = body_map(ctx);
    let cfg = ctx.cfg.clone();
    let kind = type_of(&body).to_string();
    let result = ctx.app.store.write(|s| -> Result<Doc, ApiError> {
        match kind.as_str() {
            "webhook-outgoing" => {
                let id = find_id(s, &body, true)
                    .ok_or_else(|| ApiError::plain("No integration found."))?;
                outgoing::update(s, &cfg, &user, &id, &body)
            }
            "webhook-incoming" => {
                let id = find_id(s, &body, false)
                    .ok_or_else(|| ApiError::plain("No integration found."))?;
                incoming::update(s, &cfg, &user, &id, &body)
            }
            _ => Err(ApiError::plain("Invalid integration type.")),
        }
    })?;
    Ok(with_integration(result))
}

pub fn get(ctx: &mut Ctx) -> ApiResult {
    let user = ctx.require_user(Pipeline {
        rate_limited: true,
        query: Some(schemas::get()),
        ..Default::default()
    })?;
    let id = ctx.req.query_str("integrationId").unwrap_or("").to_string();
    if id.is_empty() && ctx.v().restivus() {
        return Err(ApiError::plain(
            "The query parameter \"integrationId\" is required.",
        ));
    }
    let created_by = ctx.req.query_str("createdBy").map(str::to_string);
    ctx.app.store.read(|s| {
        let doc = s
            .integration(&id)
            .filter(|d| {
                created_by
                    .as_deref()
                    .is_none_or(|c| common::created_by(d) == Some(c))
            })
            .ok_or_else(|| ApiError::plain("The integration does not exists."))?;
        let (full, own) = if type_of(doc) == "webhook-outgoing" {
            (MANAGE_OUT, MANAGE_OWN_OUT)
        } else {
            (MANAGE_IN, MANAGE_OWN_IN)
        };
        let allowed = s.has_permission(&user, full)
            || (s.has_permission(&user, own) && common::created_by(doc) == Some(user.id.as_str()));
        if !allowed {
            return Err(ApiError::plain("not-authorized"));
        }
        Ok(with_integration(doc.clone()))
    })
}

/// `mountIntegrationQueryBasedOnPermissions`.
fn permission_filter(s: &State, user: &User) -> Value {
    let all_out = s.has_permission(user, MANAGE_OUT);
    let all_in = s.has_permission(user, MANAGE_IN);
    let own_out = s.has_permission(user, MANAGE_OWN_OUT);
    let own_in = s.has_permission(user, MANAGE_OWN_IN);
    if all_out && all_in {
        return json!({});
    }
    if own_out && own_in && !all_out && !all_in {
        return json!({ "_createdBy._id": user.id });
    }
    let mut or = vec![];
    if all_out {
        or.push(json!({ "type": "webhook-outgoing" }));
    }
    if all_in {
        or.push(json!({ "type": "webhook-incoming" }));
    }
    if own_out {
        or.push(json!({ "_createdBy._id": user.id, "type": "webhook-outgoing" }));
    }
    if own_in {
        or.push(json!({ "_createdBy._id": user.id, "type": "webhook-incoming" }));
    }
    json!({ "$or": or })
}

fn escape_regex(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\^$.*+?()[]{}|-/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub fn list(ctx: &mut Ctx) -> ApiResult {
    let v = ctx.v();
    let user = ctx.require_user(Pipeline {
        rate_limited: true,
        query: v.list_filters().then(schemas::list),
        any_permission: ANY_INTEGRATION_PERMISSION,
        ..Default::default()
    })?;
    let q = ctx.req.query.clone();
    let (offset, limit) = query::pagination(&q);
    let sort = query::sort_param(&q)?.unwrap_or_else(|| vec![("ts".into(), -1)]);
    let fields = query::fields_param(&q)?;
    let user_query = query::query_param(&q)?;
    let mut and = vec![];
    if let Some(uq) = user_query {
        and.push(uq);
    }
    if v.list_filters() {
        if let Some(name) = q
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
        {
            and.push(json!({ "name": { "$regex": escape_regex(name), "$options": "i" } }));
        }
        if let Some(t) = q
            .get("type")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
        {
            and.push(json!({ "type": t }));
        }
    }
    let (docs, perm) = ctx.app.store.read(|s| {
        (
            s.integrations
                .iter()
                .cloned()
                .map(Value::Object)
                .collect::<Vec<_>>(),
            permission_filter(s, &user),
        )
    });
    and.push(perm);
    let (page, total) = query::page(docs, &json!({ "$and": and }), &sort, offset, limit);
    let page: Vec<Value> = match &fields {
        Some(f) => page.into_iter().map(|d| query::project(d, f)).collect(),
        None => page,
    };
    let n = page.len();
    let mut m = Map::new();
    m.insert("integrations".into(), Value::Array(page));
    m.insert("offset".into(), json!(offset));
    m.insert("items".into(), json!(n));
    m.insert("count".into(), json!(n));
    m.insert("total".into(), json!(total));
    Ok(Reply::success(m))
}

pub fn remove(ctx: &mut Ctx) -> ApiResult {
    let user = ctx.require_user(Pipeline {
        rate_limited: true,
        body: Some(schemas::remove()),
        any_permission: ANY_INTEGRATION_PERMISSION,
        ..Default::default()
    })?;
    let body = body_map(ctx);
    let kind = type_of(&body).to_string();
    let doc = ctx.app.store.write(|s| -> Result<Doc, ApiError> {
        match kind.as_str() {
            "webhook-outgoing" => {
                let has_url = body
                    .get("target_url")
                    .is_some_and(|x| !matches!(x, Value::Null) && x.as_str() != Some(""));
                let has_id = body
                    .get("integrationId")
                    .is_some_and(|x| !matches!(x, Value::Null) && x.as_str() != Some(""));
                if !has_url && !has_id {
                    return Err(ApiError::plain(
                        "An integrationId or target_url needs to be provided.",
                    ));
                }
                let id = find_id(s, &body, true)
                    .ok_or_else(|| ApiError::plain("No integration found."))?;
                outgoing::delete(s, &user, &id)
            }
            "webhook-incoming" => {
                let id = find_id(s, &body, false)
                    .ok_or_else(|| ApiError::plain("No integration found."))?;
                incoming::delete(s, &user, &id)
            }
            _ => Err(ApiError::plain("Invalid integration type.")),
        }
    })?;
    Ok(with_integration(doc))
}

pub fn history(ctx: &mut Ctx) -> ApiResult {
    let user = ctx.require_user(Pipeline {
        rate_limited: true,
        query: Some(schemas::history()),
        any_permission: OUTGOING_PERMISSIONS,
        ..Default::default()
    })?;
    let q = ctx.req.query.clone();
    let id = q
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if id.trim().is_empty() {
        return Err(ApiError::plain("Invalid integration id."));
    }
    let (offset, limit) = query::pagination(&q);
    let sort = query::sort_param(&q)?.unwrap_or_else(|| vec![("_updatedAt".into(), -1)]);
    let user_query = query::query_param(&q)?;
    let (rows, full) = ctx.app.store.read(|s| {
        (
            s.history
                .iter()
                .cloned()
                .map(Value::Object)
                .collect::<Vec<_>>(),
            s.has_permission(&user, MANAGE_OUT),
        )
    });
    // `mountIntegrationHistoryQueryBasedOnPermissions`
    let mut and = vec![json!({ "integration._id": id })];
    if !full {
        and.push(json!({ "integration._createdBy._id": user.id }));
    }
    if let Some(uq) = user_query {
        and.push(uq);
    }
    let (page, total) = query::page(rows, &json!({ "$and": and }), &sort, offset, limit);
    let n = page.len();
    let mut m = Map::new();
    m.insert("history".into(), Value::Array(page));
    m.insert("offset".into(), json!(offset));
    m.insert("items".into(), json!(n));
    m.insert("count".into(), json!(n));
    m.insert("total".into(), json!(total));
    Ok(Reply::success(m))
}

/// `clearIntegrationHistory` (8.7+ route, and the DDP method).
pub fn clear_history_method(s: &mut State, user: &User, id: &str) -> Result<(), ApiError> {
    const M: &str = "clearIntegrationHistory";
    match lookup_by_permission(s, user, id, MANAGE_OUT, MANAGE_OWN_OUT, |_| true) {
        Lookup::Found(_) => {
            s.history.retain(|h| {
                h.get("integration")
                    .and_then(|i| i.get("_id"))
                    .and_then(Value::as_str)
                    != Some(id)
            });
            Ok(())
        }
        Lookup::NotFound => Err(ApiError::method(
            "error-invalid-integration",
            "Invalid integration",
            M,
        )),
        Lookup::NotAuthorized => Err(ApiError::method("not_authorized", "Unauthorized", M)),
    }
}

pub fn clear_history(ctx: &mut Ctx) -> ApiResult {
    let user = ctx.require_user(Pipeline {
        rate_limited: true,
        body: Some(schemas::clear_history()),
        ..Default::default()
    })?;
    let id = ctx.req.body_str("integrationId").unwrap_or("").to_string();
    ctx.app
        .store
        .write(|s| clear_history_method(s, &user, &id))?;
    Ok(Reply::success(Map::new()))
}

/// `replayOutgoingIntegration` (8.7+ route, and the DDP method).
pub fn replay_method(
    ctx: &Ctx,
    user: &User,
    integration_id: &str,
    history_id: &str,
) -> Result<(), ApiError> {
    const M: &str = "replayOutgoingIntegration";
    let (integration, row) = ctx.app.store.read(|s| -> Result<(Doc, Doc), ApiError> {
        // Own-permission callers only find outgoing integrations they created.
        let integration =
            match lookup_by_permission(s, user, integration_id, MANAGE_OUT, MANAGE_OWN_OUT, |d| {
                s.has_permission(user, MANAGE_OUT)
                    || d.get("type") == Some(&json!("webhook-outgoing"))
            }) {
                Lookup::Found(d) => d,
                Lookup::NotFound => {
                    return Err(ApiError::method(
                        "error-invalid-integration",
                        "Invalid integration",
                        M,
                    ))
                }
                Lookup::NotAuthorized => {
                    return Err(ApiError::method("not_authorized", "Unauthorized", M))
                }
            };
        let row = s
            .history
            .iter()
            .find(|h| {
                h.get("_id").and_then(Value::as_str) == Some(history_id)
                    && h.get("integration")
                        .and_then(|i| i.get("_id"))
                        .and_then(Value::as_str)
                        == Some(integration_id)
            })
            .cloned()
            .ok_or_else(|| {
                ApiError::method(
                    "error-invalid-integration-history",
                    "Invalid Integration History",
                    M,
                )
            })?;
        Ok((integration, row))
    })?;
    outgoing_runner::replay(&ctx.app, &ctx.cfg, &integration, &row)
}

pub fn replay_outgoing(ctx: &mut Ctx) -> ApiResult {
    let user = ctx.require_user(Pipeline {
        rate_limited: true,
        body: Some(schemas::replay()),
        ..Default::default()
    })?;
    let iid = ctx.req.body_str("integrationId").unwrap_or("").to_string();
    let hid = ctx.req.body_str("historyId").unwrap_or("").to_string();
    replay_method(ctx, &user, &iid, &hid)?;
    Ok(Reply::success(Map::new()))
}
