//! The one module that speaks HTTP. Pages build an [`ApiRequest`] with the core, and
//! [`Client::call`] sends it with the credentials and a timeout, and returns the decoded
//! answer or a typed [`ApiError`] for anything else: error bodies, HTML pages, empty bodies,
//! network failures and timeouts alike.

use crate::core::errors::{decode, ApiError, TransportFailure};
use crate::core::request::{ApiRequest, Method};
use crate::session::Session;
use gloo_net::http::RequestBuilder;
use serde_json::Value;

/// How long any call may take before the app gives up on it.
const TIMEOUT_MS: u32 = 20_000;

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
            server: server.trim().trim_end_matches('/').to_string(),
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

    /// The server base URL this client talks to.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Sends one request and decodes the answer.
    pub async fn call(&self, request: &ApiRequest) -> Result<Value, ApiError> {
        let url = format!("{}{}", self.server, request.path);
        let signal = web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS);
        let mut builder = RequestBuilder::new(&url)
            .method(match request.method {
                Method::Get => gloo_net::http::Method::GET,
                Method::Post => gloo_net::http::Method::POST,
                Method::Put => gloo_net::http::Method::PUT,
            })
            .abort_signal(Some(&signal));
        if let Some((user, token)) = &self.credentials {
            builder = builder
                .header("X-User-Id", user)
                .header("X-Auth-Token", token);
        }
        let built = match request.body_text() {
            Some(body) => builder
                .header("Content-Type", "application/json")
                .body(body),
            None => builder.build(),
        };
        // Building fails only for an address fetch cannot use, e.g. "chat example".
        let Ok(built) = built else {
            return decode(None, "", Some(TransportFailure::Network));
        };
        match built.send().await {
            Ok(response) => {
                let status = response.status();
                let text = response.text().await.unwrap_or_default();
                decode(Some(status), &text, None)
            }
            Err(_) if signal.aborted() => decode(None, "", Some(TransportFailure::Timeout)),
            Err(_) => decode(None, "", Some(TransportFailure::Network)),
        }
    }

    /// Posts a JSON payload to an incoming webhook (`/hooks/<id>/<token>`) as an outside
    /// service would: without credentials. Any answer is returned as its status and raw text,
    /// whatever its format; only a missing answer is an error (network or timeout).
    pub async fn post_hook(
        &self,
        id: &str,
        token: &str,
        json: &str,
    ) -> Result<(u16, String), ApiError> {
        let url = crate::core::webhook::hook_url(&self.server, id, token);
        let signal = web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS);
        let built = RequestBuilder::new(&url)
            .method(gloo_net::http::Method::POST)
            .abort_signal(Some(&signal))
            .header("Content-Type", "application/json")
            .body(json.to_owned());
        let Ok(built) = built else {
            return Err(ApiError::Network);
        };
        match built.send().await {
            Ok(response) => Ok((response.status(), response.text().await.unwrap_or_default())),
            Err(_) if signal.aborted() => Err(ApiError::Timeout),
            Err(_) => Err(ApiError::Network),
        }
    }
}
