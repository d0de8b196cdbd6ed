//! `login`, `logout`, `me`, `users.2fa.sendEmailCode` and `/api/info` (spec §6).

use crate::app::{Ctx, Pipeline};
use crate::config::Version;
use crate::errors::{ApiError, ApiResult, Reply};
use crate::model::{LoginToken, User};
use crate::twofactor;
use crate::util::{now_iso, random_secret, sha256_hex};
use axum::http::StatusCode;
use serde_json::{json, Map, Value};

const COMPAT_KEYS: [&str; 5] = ["user", "username", "email", "password", "code"];

/// A login failure: 401 with the Meteor error id and reason (spec §6.1).
fn failure(v: Version, error: Value, message: &str, details: Option<Value>) -> ApiError {
    let mut m = Map::new();
    if v.breaking() {
        // 9.0 drops the legacy fields; credential failures collapse to "unauthorized".
        let err = match &error {
            Value::String(s) if s.starts_with("totp-") => error.clone(),
            _ => json!("unauthorized"),
        };
        m.insert("success".into(), json!(false));
        m.insert("error".into(), err);
    } else {
        if !v.restivus() {
            m.insert("success".into(), json!(false));
        }
        m.insert("status".into(), json!("error"));
        m.insert("error".into(), error);
        m.insert("message".into(), json!(message));
    }
    if let Some(d) = details {
        m.insert("details".into(), d);
    }
    ApiError::Custom(StatusCode::UNAUTHORIZED, Value::Object(m))
}

fn unrecognized(v: Version) -> ApiError {
    failure(
        v,
        json!(400),
        "Unrecognized options for login request",
        None,
    )
}

enum Who {
    Username(String),
    Email(String),
    Id(String),
}

/// Reads `{user | username | email}` the way the compatibility mode and Meteor do.
fn who(obj: &Map<String, Value>) -> Option<Who> {
    match obj.get("user") {
        Some(Value::String(s)) if s.contains('@') => return Some(Who::Email(s.clone())),
        Some(Value::String(s)) => return Some(Who::Username(s.clone())),
        Some(Value::Object(u)) => {
            if let Some(s) = u.get("username").and_then(Value::as_str) {
                return Some(Who::Username(s.into()));
            }
            if let Some(s) = u.get("email").and_then(Value::as_str) {
                return Some(Who::Email(s.into()));
            }
            if let Some(s) = u.get("id").and_then(Value::as_str) {
                return Some(Who::Id(s.into()));
            }
            return None;
        }
        _ => {}
    }
    if let Some(s) = obj.get("username").and_then(Value::as_str) {
        return Some(Who::Username(s.into()));
    }
    obj.get("email")
        .and_then(Value::as_str)
        .map(|s| Who::Email(s.into()))
}

/// The SHA-256 digest of the password: plain text, `{digest, algorithm}` or `{hashed}`.
fn digest(p: &Value) -> Option<String> {
    match p {
        Value::String(s) => Some(sha256_hex(s)),
        Value::Object(o) => o
            .get("digest")
            .or_else(|| o.get("hashed"))
            .and_then(Value::as_str)
            .map(|s| s.to_lowercase()),
        _ => None,
    }
}

fn code_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub fn login(ctx: &mut Ctx) -> ApiResult {
    // `login` is never authenticated, so it is always rate limited.
    ctx.rate_limit(None)?;
    let v = ctx.v();
    let Some(obj) = ctx.req.body_obj().cloned() else {
        return Err(unrecognized(v));
    };
    if let Some(resume) = obj.get("resume") {
        return resume_login(ctx, resume.as_str().unwrap_or(""));
    }
    let compat =
        obj.contains_key("password") && obj.keys().all(|k| COMPAT_KEYS.contains(&k.as_str()));
    let (login, code) = if compat || matches!(obj.get("user"), Some(Value::Object(_))) {
        (obj.clone(), code_of(obj.get("code")))
    } else if let Some(Value::Object(t)) = obj.get("totp") {
        match t.get("login") {
            Some(Value::Object(l)) => (l.clone(), code_of(t.get("code"))),
            _ => return Err(unrecognized(v)),
        }
    } else {
        return Err(unrecognized(v));
    };
    let (Some(who), Some(password)) = (who(&login), login.get("password")) else {
        return Err(unrecognized(v));
    };
    let user = ctx.app.store.read(|s| match &who {
        Who::Username(n) => s.user_by_username(n).cloned(),
        Who::Email(e) => s.user_by_email(e).cloned(),
        Who::Id(i) => s.user_by_id(i).cloned(),
    });
    let Some(user) = user.filter(|u| u.active) else {
        // "User not found" is normalised to Unauthorized.
        return Err(failure(v, json!("Unauthorized"), "Unauthorized", None));
    };
    let Some(stored) = user.password_sha256.as_deref() else {
        return Err(failure(v, json!(403), "User has no password set", None));
    };
    if digest(password).as_deref() != Some(stored) {
        return Err(failure(v, json!(403), "Incorrect password", None));
    }
    if twofactor::method(&user).is_some() {
        match code.filter(|c| !c.trim().is_empty()) {
            None => {
                let details = twofactor::required_details(&ctx.app, &user);
                return Err(failure(
                    v,
                    json!("totp-required"),
                    "TOTP Required",
                    Some(details),
                ));
            }
            Some(c) => {
                if !twofactor::verify(&ctx.app, &user, &c) {
                    return Err(failure(
                        v,
                        json!("totp-invalid"),
                        "TOTP Invalid",
                        Some(twofactor::invalid_details(&user)),
                    ));
                }
            }
        }
    }
    let token = random_secret();
    let hashed = sha256_hex(&token);
    ctx.app.store.write(|s| {
        if let Some(u) = s.user_by_id_mut(&user.id) {
            u.login_tokens.push(LoginToken {
                hashed,
                when: now_iso(),
                pat_name: None,
                bypass_two_factor: false,
            });
        }
    });
    ctx.app.log(format!("[auth] {} logged in", user.username));
    Ok(login_success(ctx, &user, &token))
}

fn resume_login(ctx: &mut Ctx, token: &str) -> ApiResult {
    let v = ctx.v();
    let hashed = sha256_hex(token);
    let user = ctx.app.store.read(|s| {
        s.users
            .iter()
            .find(|u| u.active && u.login_tokens.iter().any(|t| t.hashed == hashed))
            .cloned()
    });
    match user {
        Some(u) if !token.is_empty() => Ok(login_success(ctx, &u, token)),
        _ => Err(failure(
            v,
            json!(403),
            "You've been logged out by the server. Please log in again.",
            None,
        )),
    }
}

fn login_success(ctx: &Ctx, user: &User, token: &str) -> Reply {
    let body = json!({
        "status": "success",
        "data": {
            "userId": user.id,
            "authToken": token,
            "me": Value::Object(user.me_json(&ctx.app.site)),
        },
    });
    if ctx.v().restivus() {
        Reply::json(StatusCode::OK, body)
    } else {
        Reply::success_value(body)
    }
}

pub fn logout(ctx: &mut Ctx) -> ApiResult {
    let user = ctx.require_user(Pipeline {
        rate_limited: true,
        ..Default::default()
    })?;
    let hashed = sha256_hex(ctx.req.header("x-auth-token").unwrap_or(""));
    // Like the real server, this pulls whatever token the call carries from the user's
    // tokens: a personal access token too, which is then gone for good.
    ctx.app.store.write(|s| {
        if let Some(u) = s.user_by_id_mut(&user.id) {
            u.login_tokens.retain(|t| t.hashed != hashed);
        }
    });
    let body = json!({ "status": "success", "data": { "message": "You've been logged out!" } });
    if ctx.v().restivus() {
        Ok(Reply::json(StatusCode::OK, body))
    } else {
        Ok(Reply::success_value(body))
    }
}

pub fn me(ctx: &mut Ctx) -> ApiResult {
    let user = ctx.require_user(Pipeline {
        rate_limited: true,
        ..Default::default()
    })?;
    Ok(Reply::success(user.me_json(&ctx.app.site)))
}

pub fn send_email_code(ctx: &mut Ctx) -> ApiResult {
    ctx.pipeline(Pipeline {
        rate_limited: true,
        ..Default::default()
    })?;
    let who = ctx
        .req
        .body_str("emailOrUsername")
        .map(str::to_string)
        .filter(|s| !s.is_empty());
    let Some(who) = who else {
        return Err(ApiError::meteor(
            "error-parameter-required",
            "emailOrUsername is required",
        ));
    };
    let uid = ctx.app.store.read(|s| {
        if who.contains('@') {
            s.user_by_email(&who).map(|u| u.id.clone())
        } else {
            s.user_by_username(&who).map(|u| u.id.clone())
        }
    });
    match uid {
        Some(uid) => twofactor::send_email_code(&ctx.app, &uid),
        // Answers success either way so the endpoint cannot probe for accounts.
        None => ctx
            .app
            .log("[2fa] User was not found when requesting 2fa email code"),
    }
    Ok(Reply::success(Map::new()))
}

/// `GET /api/info`: `major.minor` for everyone, full `info` for `view-statistics` holders.
pub fn info(ctx: &mut Ctx) -> ApiResult {
    let v = ctx.v();
    let privileged = ctx.optional_user().is_some_and(|u| {
        let perm = if v.at_least(7, 0) {
            "view-statistics"
        } else {
            "get-server-info"
        };
        ctx.app.store.read(|s| s.has_permission(&u, perm))
    });
    let mut m = Map::new();
    if privileged {
        // Newer servers give the full version next to `info`.
        let shown = if v.at_least(7, 0) {
            v.to_string()
        } else {
            v.major_minor()
        };
        m.insert("version".into(), json!(shown));
        m.insert(
            "info".into(),
            json!({
                "version": v.to_string(),
                "build": {
                    "date": "2024-06-01T00:00:00.000Z",
                    "nodeVersion": "v22.16.0",
                    "arch": "x64",
                    "platform": "linux",
                    "osRelease": "hookpanel-sandbox",
                    "totalMemory": 0,
                    "freeMemory": 0,
                    "cpus": 2
                },
                "commit": {
                    "hash": "0000000000000000000000000000000000000000",
                    "date": "2024-06-01T00:00:00.000Z",
                    "author": "hookpanel-sandbox",
                    "subject": "hookpanel sandbox build",
                    "tag": v.to_string(),
                    "branch": "sandbox"
                },
                "marketplaceApiVersion": "1.53.0"
            }),
        );
    } else {
        m.insert("version".into(), json!(v.major_minor()));
    }
    if v.at_least(7, 0) {
        m.insert(
            "minimumClientVersions".into(),
            json!({ "desktop": "4.0.0", "mobile": "4.60.0" }),
        );
    }
    Ok(Reply::success(m))
}
