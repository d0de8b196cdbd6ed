//! Look-ups the app uses before saving: `rooms.info`, `users.info`,
//! `rooms.autocomplete.channelAndPrivate`, `users.autocomplete`, `permissions.listAll`.

use crate::app::{Ctx, Pipeline};
use crate::errors::{ApiError, ApiResult, Reply};
use crate::util::{lower, ms_from_iso};
use serde_json::{json, Map, Value};

pub fn rooms_info(ctx: &mut Ctx) -> ApiResult {
    let user = ctx.require_user(Pipeline {
        rate_limited: true,
        ..Default::default()
    })?;
    let by_id = ctx.req.query_str("roomId").map(str::to_string);
    let by_name = ctx.req.query_str("roomName").map(str::to_string);
    if by_id.is_none() && by_name.is_none() {
        return Err(ApiError::meteor(
            "error-roomid-param-not-provided",
            "The parameter \"roomId\" or \"roomName\" is required",
        ));
    }
    ctx.app.store.read(|s| {
        let room = s.rooms.iter().find(|r| match &by_id {
            Some(id) => &r.id == id,
            None => r.name.as_deref() == by_name.as_deref(),
        });
        // Missing rooms and rooms the caller may not see answer alike.
        let visible = room.filter(|r| r.t == "c" || s.is_member(&r.id, &user.id));
        match visible {
            Some(r) => {
                let mut m = Map::new();
                m.insert("room".into(), r.to_json());
                Ok(Reply::success(m))
            }
            None => Err(ApiError::Custom(
                axum::http::StatusCode::BAD_REQUEST,
                json!({ "success": false, "error": "not-allowed", "errorType": "Not Allowed" }),
            )),
        }
    })
}

pub fn users_info(ctx: &mut Ctx) -> ApiResult {
    let caller = ctx.require_user(Pipeline {
        rate_limited: true,
        ..Default::default()
    })?;
    let by_id = ctx.req.query_str("userId").map(str::to_string);
    let by_name = ctx.req.query_str("username").map(str::to_string);
    if by_id.is_none() && by_name.is_none() {
        return Err(ApiError::meteor(
            "error-user-param-not-provided",
            "The required \"userId\" or \"username\" param was not provided",
        ));
    }
    ctx.app.store.read(|s| {
        let user = match (&by_id, &by_name) {
            (Some(id), _) => s.user_by_id(id),
            (None, Some(n)) => s.user_by_username(n),
            _ => None,
        };
        match user {
            Some(u) => {
                let full =
                    s.has_permission(&caller, "view-full-other-user-info") || u.id == caller.id;
                let mut m = Map::new();
                m.insert("user".into(), u.info_json(full));
                Ok(Reply::success(m))
            }
            None => Err(ApiError::plain("User not found.")),
        }
    })
}

fn selector(ctx: &Ctx) -> Result<Map<String, Value>, ApiError> {
    let Some(raw) = ctx.req.query_str("selector") else {
        return Err(ApiError::plain("The 'selector' param is required"));
    };
    match serde_json::from_str::<Value>(raw) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(ApiError::plain("The 'selector' param is required")),
    }
}

/// Rooms of type `c`/`p` the caller is subscribed to whose name starts with `selector.name`.
pub fn rooms_autocomplete(ctx: &mut Ctx) -> ApiResult {
    let user = ctx.require_user(Pipeline {
        rate_limited: true,
        ..Default::default()
    })?;
    let sel = selector(ctx)?;
    let prefix = lower(sel.get("name").and_then(Value::as_str).unwrap_or("").trim());
    let mut items: Vec<Value> = ctx.app.store.read(|s| {
        let mut rooms: Vec<_> = s
            .rooms
            .iter()
            .filter(|r| (r.t == "c" || r.t == "p") && s.is_member(&r.id, &user.id))
            .filter(|r| {
                let name = lower(r.name.as_deref().unwrap_or(""));
                let fname = lower(r.fname.as_deref().unwrap_or(""));
                name.starts_with(&prefix) || fname.starts_with(&prefix)
            })
            .collect();
        rooms.sort_by(|a, b| a.name.cmp(&b.name));
        rooms
            .into_iter()
            .take(10)
            .map(|r| json!({ "_id": r.id, "fname": r.fname, "name": r.name, "t": r.t }))
            .collect()
    });
    items.truncate(10);
    let mut m = Map::new();
    m.insert("items".into(), Value::Array(items));
    Ok(Reply::success(m))
}

/// Active users whose username or name contains `selector.term` (case-insensitive).
pub fn users_autocomplete(ctx: &mut Ctx) -> ApiResult {
    ctx.require_user(Pipeline {
        rate_limited: true,
        ..Default::default()
    })?;
    let sel = selector(ctx)?;
    let term = lower(sel.get("term").and_then(Value::as_str).unwrap_or(""));
    let exceptions: Vec<String> = sel
        .get("exceptions")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let items: Vec<Value> = ctx.app.store.read(|s| {
        let mut users: Vec<_> = s
            .users
            .iter()
            .filter(|u| u.active && !exceptions.contains(&u.username))
            .filter(|u| lower(&u.username).contains(&term) || lower(&u.name).contains(&term))
            .collect();
        users.sort_by(|a, b| a.username.cmp(&b.username));
        users
            .into_iter()
            .take(10)
            .map(|u| json!({ "_id": u.id, "name": u.name, "username": u.username, "status": "online" }))
            .collect()
    });
    let mut m = Map::new();
    m.insert("items".into(), Value::Array(items));
    Ok(Reply::success(m))
}

pub fn permissions_list_all(ctx: &mut Ctx) -> ApiResult {
    ctx.require_user(Pipeline {
        rate_limited: true,
        ..Default::default()
    })?;
    let since = match ctx.req.query_str("updatedSince") {
        Some(raw) => match ms_from_iso(raw) {
            Some(ms) => Some(ms),
            None => {
                return Err(ApiError::meteor(
                    "error-updatedSince-param-invalid",
                    "Invalid date for `updatedSince`",
                ))
            }
        },
        None => None,
    };
    let update: Vec<Value> = ctx.app.store.read(|s| {
        s.permissions
            .iter()
            .filter(|p| since.is_none_or(|t| ms_from_iso(&p.updated_at).is_some_and(|u| u > t)))
            .map(|p| json!({ "_id": p.id, "roles": p.roles, "_updatedAt": p.updated_at }))
            .collect()
    });
    let mut m = Map::new();
    m.insert("update".into(), Value::Array(update));
    m.insert("remove".into(), json!([]));
    Ok(Reply::success(m))
}
