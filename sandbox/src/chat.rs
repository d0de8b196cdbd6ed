//! Messages: `processWebhookMessage` (shared by `/hooks` and `chat.postMessage`),
//! `chat.postMessage`, `chat.update`, `channels.messages` / `groups.messages`.

use crate::app::{App, Ctx, Pipeline};
use crate::config::RuntimeConfig;
use crate::errors::{ApiError, ApiResult, Reply};
use crate::integrations::query;
use crate::model::{Doc, Room, State, User};
use crate::outgoing_runner;
use crate::util::{now_iso, now_ms, random_id};
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// Defaults an integration supplies (`alias`, `avatar`, `emoji`, target channels).
#[derive(Default, Clone)]
pub struct Defaults {
    pub channel: Vec<String>,
    pub alias: Option<String>,
    pub avatar: Option<String>,
    pub emoji: Option<String>,
}

fn non_empty(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// `getRoomByNameOrIdWithOptionToJoin`: public rooms are joined on the way.
fn room_for(s: &mut State, user: &User, target: &str) -> Result<String, ApiError> {
    let invalid = || ApiError::bare("invalid-channel");
    let mut chars = target.chars();
    let first = chars.next().ok_or_else(invalid)?;
    let rest = chars.as_str();
    let join = |s: &mut State, room: &Room| -> Result<String, ApiError> {
        if room.t == "c" {
            s.subscribe(&room.id, &user.id);
        } else if room.t == "p" && !s.is_member(&room.id, &user.id) {
            return Err(ApiError::plain("error-not-allowed"));
        }
        Ok(room.id.clone())
    };
    match first {
        '#' => {
            let room = s
                .rooms
                .iter()
                .find(|r| r.t != "d" && (r.id == rest || r.name.as_deref() == Some(rest)))
                .cloned()
                .ok_or_else(invalid)?;
            join(s, &room)
        }
        '@' => {
            let other = s
                .user_by_id_or_username(rest)
                .cloned()
                .ok_or_else(invalid)?;
            Ok(s.direct_room(user, &other))
        }
        _ => {
            if let Some(room) = s.room_by_id_or_name(target).cloned() {
                if room.t == "d" && !room.uids.contains(&user.id) {
                    return Err(invalid());
                }
                return join(s, &room);
            }
            let other = s.user_by_id(target).cloned().ok_or_else(invalid)?;
            Ok(s.direct_room(user, &other))
        }
    }
}

/// Stores a message and bumps the room counters.
pub fn store_message(s: &mut State, rid: &str, user: &User, fields: Map<String, Value>) -> Doc {
    let now = now_iso();
    let mut m = Doc::new();
    m.insert("_id".into(), json!(random_id(17)));
    m.insert("rid".into(), json!(rid));
    for (k, v) in fields {
        m.insert(k, v);
    }
    m.insert("ts".into(), json!(now));
    m.insert(
        "u".into(),
        json!({ "_id": user.id, "username": user.username, "name": user.name }),
    );
    m.insert("mentions".into(), json!([]));
    m.insert("channels".into(), json!([]));
    m.insert("_updatedAt".into(), json!(now));
    if let Some(r) = s.rooms.iter_mut().find(|r| r.id == rid) {
        r.msgs += 1;
        r.updated_at = now.clone();
    }
    s.messages.push(m.clone());
    m
}

/// `processWebhookMessage`: posts `body` to each target channel; returns `(channel, message)`.
pub fn process_webhook_message(
    s: &mut State,
    body: &Map<String, Value>,
    user: &User,
    defaults: &Defaults,
) -> Result<Vec<(String, Doc)>, ApiError> {
    let targets: Vec<String> = match body.get("channel").or_else(|| body.get("roomId")) {
        Some(Value::String(c)) if !c.is_empty() => vec![c.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => defaults.channel.clone(),
    };
    if targets.is_empty() {
        return Err(ApiError::bare("invalid-channel"));
    }
    let mut sent = vec![];
    for target in targets {
        let rid = room_for(s, user, &target)?;
        let mut f = Map::new();
        // Always set: the integration's alias, else "" (scripts spec §5.4).
        let alias = non_empty(body.get("username"))
            .or_else(|| non_empty(body.get("alias")))
            .or_else(|| defaults.alias.clone())
            .unwrap_or_default();
        let text = body
            .get("text")
            .or_else(|| body.get("msg"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string();
        let attachments = match body.get("attachments") {
            Some(Value::Array(a)) => Value::Array(
                a.iter()
                    .map(|att| {
                        let mut att = att.clone();
                        // `attachment.msg` is renamed to `text`.
                        if let Some(o) = att.as_object_mut() {
                            if let Some(Value::String(m)) = o.remove("msg") {
                                o.insert("text".into(), json!(m.trim()));
                            }
                        }
                        att
                    })
                    .collect(),
            ),
            _ => json!([]),
        };
        f.insert("alias".into(), json!(alias));
        f.insert("msg".into(), json!(text));
        f.insert("attachments".into(), attachments);
        // Any attachments array, even an empty one, turns URL previews off (§5.4).
        let has_attachments = matches!(body.get("attachments"), Some(Value::Array(_)));
        let parse_urls = body
            .get("parseUrls")
            .and_then(Value::as_bool)
            .unwrap_or(!has_attachments);
        f.insert("parseUrls".into(), json!(parse_urls));
        if let Some(b) = body.get("bot").filter(|b| b.is_object()) {
            f.insert("bot".into(), b.clone());
        }
        f.insert(
            "groupable".into(),
            body.get("groupable").cloned().unwrap_or(json!(false)),
        );
        if let Some(t) = non_empty(body.get("tmid")) {
            f.insert("tmid".into(), json!(t));
        }
        if let Some(a) = non_empty(body.get("icon_url")).or_else(|| non_empty(body.get("avatar"))) {
            f.insert("avatar".into(), json!(a));
        } else if let Some(e) =
            non_empty(body.get("icon_emoji")).or_else(|| non_empty(body.get("emoji")))
        {
            f.insert("emoji".into(), json!(e));
        } else if let Some(a) = defaults.avatar.clone().filter(|a| !a.is_empty()) {
            f.insert("avatar".into(), json!(a));
        } else if let Some(e) = defaults.emoji.clone().filter(|e| !e.is_empty()) {
            f.insert("emoji".into(), json!(e));
        }
        let msg = store_message(s, &rid, user, f);
        sent.push((target, msg));
    }
    Ok(sent)
}

/// Runs the outgoing integrations for freshly stored messages (outside the store lock).
pub fn after_save(app: &Arc<App>, cfg: &RuntimeConfig, messages: &[Doc]) {
    for m in messages {
        outgoing_runner::on_message(app, cfg, m);
    }
}

pub fn post_message(ctx: &mut Ctx) -> ApiResult {
    let user = ctx.require_user(Pipeline {
        rate_limited: true,
        ..Default::default()
    })?;
    let mut body = ctx.req.body_obj().cloned().unwrap_or_default();
    if body.get("roomId").is_none() && body.get("channel").is_none() {
        return Err(ApiError::meteor(
            "error-invalid-params",
            "The 'roomId' or 'channel' parameter is required",
        ));
    }
    // Only integrations may set `bot`; users cannot fake it.
    body.remove("bot");
    let sent = ctx
        .app
        .store
        .write(|s| process_webhook_message(s, &body, &user, &Defaults::default()))?;
    let msgs: Vec<Doc> = sent.iter().map(|(_, m)| m.clone()).collect();
    after_save(&ctx.app, &ctx.cfg, &msgs);
    let Some((channel, message)) = sent.into_iter().next() else {
        return Err(ApiError::plain("unknown-error"));
    };
    let mut m = Map::new();
    m.insert("ts".into(), json!(now_ms()));
    m.insert("channel".into(), json!(channel));
    m.insert("message".into(), Value::Object(message));
    Ok(Reply::success(m))
}

pub fn update_message(ctx: &mut Ctx) -> ApiResult {
    let user = ctx.require_user(Pipeline {
        rate_limited: true,
        ..Default::default()
    })?;
    let rid = ctx.req.body_str("roomId").unwrap_or("").to_string();
    let mid = ctx.req.body_str("msgId").unwrap_or("").to_string();
    let Some(text) = ctx.req.body_str("text").map(str::to_string) else {
        return Err(ApiError::meteor(
            "error-invalid-params",
            "The 'text' parameter is required",
        ));
    };
    let edited = ctx.app.store.write(|s| -> Result<Doc, ApiError> {
        let msg = s
            .messages
            .iter_mut()
            .find(|m| m.get("_id").and_then(Value::as_str) == Some(mid.as_str()))
            .ok_or_else(|| {
                ApiError::plain("No message found with the id of \"".to_string() + &mid + "\".")
            })?;
        if msg.get("rid").and_then(Value::as_str) != Some(rid.as_str()) {
            return Err(ApiError::plain(
                "The room id provided does not match where the message is from.",
            ));
        }
        if msg
            .get("u")
            .and_then(|u| u.get("_id"))
            .and_then(Value::as_str)
            != Some(user.id.as_str())
        {
            return Err(ApiError::with_details(
                "error-action-not-allowed",
                "Message editing not allowed",
                json!({ "method": "updateMessage", "action": "Message_editing" }),
            ));
        }
        let now = now_iso();
        msg.insert("msg".into(), json!(text));
        msg.insert("editedAt".into(), json!(now));
        msg.insert(
            "editedBy".into(),
            json!({ "_id": user.id, "username": user.username }),
        );
        msg.insert("_updatedAt".into(), json!(now));
        Ok(msg.clone())
    })?;
    after_save(&ctx.app, &ctx.cfg, std::slice::from_ref(&edited));
    let mut m = Map::new();
    m.insert("message".into(), Value::Object(edited));
    Ok(Reply::success(m))
}

/// `channels.messages` (public) and `groups.messages` (private): newest first, paginated.
pub fn room_messages(ctx: &mut Ctx, kind: &str) -> ApiResult {
    let user = ctx.require_user(Pipeline {
        rate_limited: true,
        ..Default::default()
    })?;
    let q = ctx.req.query.clone();
    let room = ctx.app.store.read(|s| {
        let by_id = q.get("roomId").and_then(Value::as_str);
        let by_name = q.get("roomName").and_then(Value::as_str);
        s.rooms
            .iter()
            .find(|r| {
                r.t == kind
                    && (Some(r.id.as_str()) == by_id
                        || (by_id.is_none() && r.name.as_deref() == by_name))
            })
            .cloned()
    });
    let Some(room) = room else {
        if q.get("roomId").is_none() && q.get("roomName").is_none() {
            return Err(ApiError::meteor(
                "error-room-param-not-provided",
                "The parameter \"roomId\" or \"roomName\" is required",
            ));
        }
        return Err(ApiError::meteor(
            "error-room-not-found",
            "The required \"roomId\" or \"roomName\" param provided does not match any channel",
        ));
    };
    let member = ctx.app.store.read(|s| s.is_member(&room.id, &user.id));
    if kind == "p" && !member {
        return Err(ApiError::meteor(
            "error-room-not-found",
            "The required \"roomId\" or \"roomName\" param provided does not match any group",
        ));
    }
    let (offset, limit) = query::pagination(&q);
    let sort = query::sort_param(&q)?.unwrap_or_else(|| vec![("ts".into(), -1)]);
    let docs = ctx.app.store.read(|s| {
        s.messages
            .iter()
            .filter(|m| m.get("rid").and_then(Value::as_str) == Some(room.id.as_str()))
            .cloned()
            .map(Value::Object)
            .collect::<Vec<_>>()
    });
    let (page, total) = query::page(docs, &json!({}), &sort, offset, limit);
    let mut m = Map::new();
    let n = page.len();
    m.insert("messages".into(), Value::Array(page));
    m.insert("count".into(), json!(n));
    m.insert("offset".into(), json!(offset));
    m.insert("total".into(), json!(total));
    Ok(Reply::success(m))
}
