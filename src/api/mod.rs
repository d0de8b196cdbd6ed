//! The one module that speaks HTTP: every Rocket.Chat REST call the app makes goes through
//! [`Client`], which adds the credentials, applies a timeout and turns every answer (including
//! HTML error pages, empty bodies and network failures) into data or a typed [`ApiError`].

use crate::session::Session;
use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

/// How long any call may take before the app gives up on it.
const TIMEOUT_MS: u32 = 20_000;

/// Why a call failed, in terms a page can act on.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer at all: wrong address, server down, or the browser blocked it (CORS).
    Unreachable,
    /// No answer within the time limit.
    Timeout,
    /// 401: not signed in, or the credentials were refused.
    Unauthorized(String),
    /// An answer that is an error from the server, with its text.
    Server { status: u16, message: String },
    /// An answer that is not what a Rocket.Chat server sends (HTML page, empty body…).
    BadAnswer { status: u16 },
}

impl ApiError {
    /// A sentence for the person using the app.
    pub fn message(&self) -> String {
        match self {
            ApiError::Unreachable => "The server could not be reached. Check the address and that the server is running; if it is on another origin, it must allow this page (CORS).".into(),
            ApiError::Timeout => "The server took too long to answer. Try again in a moment.".into(),
            ApiError::Unauthorized(m) if m.is_empty() => "You are not signed in.".into(),
            ApiError::Unauthorized(m) => m.clone(),
            ApiError::Server { message, .. } => message.clone(),
            ApiError::BadAnswer { status } => format!("The server sent an answer hookpanel does not understand (HTTP {status}). Is this address a Rocket.Chat server?"),
        }
    }
}

/// A REST client for one server, with or without credentials.
#[derive(Clone, Debug)]
pub struct Client {
    server: String,
    credentials: Option<(String, String)>,
}

impl Client {
    /// A client without credentials (for `/api/info` and sign-in).
    pub fn anonymous(server: &str) -> Self {
        Client {
            server: server.trim_end_matches('/').to_string(),
            credentials: None,
        }
    }

    /// A client that sends the session's `X-User-Id` / `X-Auth-Token`.
    pub fn for_session(session: &Session) -> Self {
        Client {
            server: session.server.clone(),
            credentials: Some((session.user_id.clone(), session.auth_token.clone())),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.server, path)
    }

    async fn send(&self, builder: RequestBuilder, body: Option<&Value>) -> Result<Value, ApiError> {
        let signal = web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS);
        let mut builder = builder.abort_signal(Some(&signal));
        if let Some((user, token)) = &self.credentials {
            builder = builder
                .header("X-User-Id", user)
                .header("X-Auth-Token", token);
        }
        let request = match body {
            Some(body) => builder.json(body),
            None => builder.build(),
        }
        .map_err(|_| ApiError::BadAnswer { status: 0 })?;
        let response = request.send().await.map_err(|_| {
            if signal.aborted() {
                ApiError::Timeout
            } else {
                ApiError::Unreachable
            }
        })?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        decode(status, &text)
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let value = self.send(Request::get(&self.url(path)), None).await?;
        serde_json::from_value(value).map_err(|_| ApiError::BadAnswer { status: 200 })
    }

    async fn post<T: DeserializeOwned>(&self, path: &str, body: &Value) -> Result<T, ApiError> {
        let value = self
            .send(Request::post(&self.url(path)), Some(body))
            .await?;
        serde_json::from_value(value).map_err(|_| ApiError::BadAnswer { status: 200 })
    }

    /// `GET /api/info`: the server's version.
    pub async fn info(&self) -> Result<ServerInfo, ApiError> {
        self.get("/api/info").await
    }

    /// `POST /api/v1/login` with a username or e-mail and a password.
    pub async fn login(&self, user: &str, password: &str) -> Result<LoginData, ApiError> {
        let body = serde_json::json!({ "user": user, "password": password });
        let answer: LoginAnswer = self.post("/api/v1/login", &body).await?;
        Ok(answer.data)
    }

    /// `POST /api/v1/logout`; any answer counts as signed out.
    pub async fn logout(&self) {
        let _ = self
            .send(Request::post(&self.url("/api/v1/logout")), None)
            .await;
    }

    /// `GET /api/v1/integrations.list`, one page.
    pub async fn list_integrations(
        &self,
        offset: usize,
        count: usize,
    ) -> Result<IntegrationPage, ApiError> {
        let sort = js_sys::encode_uri_component(r#"{"name":1}"#);
        self.get(&format!(
            "/api/v1/integrations.list?count={count}&offset={offset}&sort={sort}"
        ))
        .await
    }
}

/// Turns a status and body text into the JSON value of a success, or an error.
fn decode(status: u16, text: &str) -> Result<Value, ApiError> {
    let value: Option<Value> = serde_json::from_str(text).ok();
    let message = value.as_ref().and_then(|v| {
        ["error", "message"]
            .iter()
            .find_map(|k| v.get(*k).and_then(Value::as_str))
            .map(|s| s.to_string())
    });
    match (status, value) {
        (200..=299, Some(v)) if v.get("success").and_then(Value::as_bool) != Some(false) => Ok(v),
        (401, _) => Err(ApiError::Unauthorized(message.unwrap_or_default())),
        (_, Some(_)) if message.is_some() => Err(ApiError::Server {
            status,
            message: message.unwrap_or_default(),
        }),
        _ => Err(ApiError::BadAnswer { status }),
    }
}

/// What `/api/info` answers.
#[derive(Clone, Debug, Deserialize)]
pub struct ServerInfo {
    #[serde(default)]
    pub version: String,
}

#[derive(Deserialize)]
struct LoginAnswer {
    data: LoginData,
}

/// The credentials a successful sign-in returns.
#[derive(Clone, Debug, Deserialize)]
pub struct LoginData {
    #[serde(rename = "userId")]
    pub user_id: String,
    #[serde(rename = "authToken")]
    pub auth_token: String,
    #[serde(default)]
    pub me: Option<Me>,
}

/// The signed-in user, as far as the app needs it.
#[derive(Clone, Debug, Deserialize)]
pub struct Me {
    #[serde(default)]
    pub username: String,
}

/// One page of `integrations.list`.
#[derive(Clone, Debug, Deserialize)]
pub struct IntegrationPage {
    #[serde(default)]
    pub integrations: Vec<IntegrationRow>,
    #[serde(default)]
    pub total: usize,
}

/// The fields of an integration the list shows.
#[derive(Clone, Debug, Deserialize)]
pub struct IntegrationRow {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub channel: Option<Vec<String>>,
    #[serde(default)]
    pub username: Option<String>,
}
