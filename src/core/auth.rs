//! Sign-in requests and answers (spec §6): password login with an optional second-factor
//! code, logout, the e-mail code, and reading the credentials a login returns.

use serde_json::{Map, Value};

use super::errors::ApiError;
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

/// What signing out did to the token on the server, said on the sign-in page afterwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignedOut {
    /// The server is being asked to end the login token.
    Ending,
    /// The server ended it, or it had ended already.
    Ended,
    /// No answer, or one that is not a success: the token may still work.
    NotConfirmed,
    /// Signed in with a personal access token, which is left alone: Rocket.Chat's logout
    /// deletes the token it is called with, and this one is the person's to keep.
    TokenKept,
    /// A session stored by an older hookpanel, which did not say what its token was: left
    /// alone, as it may be a personal access token.
    TokenLeft,
}

impl SignedOut {
    /// Reads logout's answer: any success or 401 means the token is gone (spec §6.3).
    pub fn after_logout<T>(answer: &Result<T, ApiError>) -> SignedOut {
        match answer {
            Ok(_) | Err(ApiError::Unauthorized { .. }) => SignedOut::Ended,
            Err(_) => SignedOut::NotConfirmed,
        }
    }

    /// The sentences the sign-in page shows.
    pub fn text(self) -> &'static str {
        match self {
            SignedOut::Ending => "Signed out. Ending your login token…",
            SignedOut::Ended => "Signed out. The server ended your login token.",
            SignedOut::NotConfirmed => "Signed out here, but the server did not confirm that your login token ended: it may work until it expires. Sign in and out to end it.",
            SignedOut::TokenKept => "Signed out. Your personal access token still works (ending it would delete it): remove it under My account → Personal access tokens when done.",
            SignedOut::TokenLeft => "Signed out here. The session's token was left on the server: it was stored by an older hookpanel, which did not record whether it was a personal access token (ending one deletes it).",
        }
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
