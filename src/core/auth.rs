//! Sign-in requests and answers (spec §6): password login with an optional second-factor
//! code, logout, the e-mail code, and reading the credentials a login returns.

use serde_json::{Map, Value};

use super::json::str_of;
use super::request::{ApiRequest, Method};

/// `POST /api/v1/login`. The name goes as `email` when it contains `@`, else as `username`:
/// both are accepted by every server, and the published schema types `user` as an object.
pub fn login(user: &str, password: &str, code: Option<&str>) -> ApiRequest {
    let user = user.trim();
    let mut body = Map::new();
    let key = if user.contains('@') {
        "email"
    } else {
        "username"
    };
    body.insert(key.into(), Value::String(user.to_owned()));
    body.insert("password".into(), Value::String(password.to_owned()));
    if let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) {
        body.insert("code".into(), Value::String(code.to_owned()));
    }
    ApiRequest {
        method: Method::Post,
        path: "/api/v1/login".to_owned(),
        body: Some(Value::Object(body)),
    }
}

/// `POST /api/v1/logout` (no body).
pub fn logout() -> ApiRequest {
    ApiRequest {
        method: Method::Post,
        path: "/api/v1/logout".to_owned(),
        body: None,
    }
}

/// `POST /api/v1/users.2fa.sendEmailCode`: asks the server to e-mail a new code.
pub fn send_email_code(email_or_username: &str) -> ApiRequest {
    let mut body = Map::new();
    body.insert(
        "emailOrUsername".into(),
        Value::String(email_or_username.trim().to_owned()),
    );
    ApiRequest {
        method: Method::Post,
        path: "/api/v1/users.2fa.sendEmailCode".to_owned(),
        body: Some(Value::Object(body)),
    }
}

/// The credentials of a successful login.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    /// `X-User-Id`.
    pub user_id: String,
    /// `X-Auth-Token`.
    pub auth_token: String,
    /// The username, when the answer carries `data.me`.
    pub username: Option<String>,
}

/// Whether `value` can be sent as `X-User-Id` or `X-Auth-Token`: Rocket.Chat's ids and tokens
/// are printable ASCII without spaces, and a browser refuses to send some other characters.
pub fn header_safe(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| b.is_ascii_graphic())
}

/// The text at `key` when it could go into a credential header ([`header_safe`]).
pub fn credential_of(v: &Value, key: &str) -> Option<String> {
    str_of(v, key).filter(|s| header_safe(s))
}

/// Reads `{status, data: {userId, authToken, me}}`; `None` when either credential is missing
/// or could not be sent back as a header.
pub fn parse_login(answer: &Value) -> Option<Credentials> {
    let data = answer.get("data")?;
    let user_id = credential_of(data, "userId")?;
    let auth_token = credential_of(data, "authToken")?;
    let username = data
        .get("me")
        .and_then(|me| str_of(me, "username"))
        .filter(|s| !s.is_empty());
    Some(Credentials {
        user_id,
        auth_token,
        username,
    })
}
