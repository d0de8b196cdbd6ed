//! The one module that speaks HTTP. Pages build an [`ApiRequest`] with the core, and
//! [`Client::call`] sends it with the credentials and a timeout, and returns the decoded
//! answer or a typed [`ApiError`] for anything else: error bodies, HTML pages, empty bodies,
//! network failures and timeouts alike.
//!
//! `call` also recovers where the page need not know (see [`recovery`]): a 401 on a signed-in
//! call opens the sign-in dialog over the page, a 429 on a read waits and tries again. And it
//! belongs to the page that made the client ([`abort`]): leaving the page aborts it.

mod abort;
mod fetch;
pub mod json;
mod recovery;

pub(crate) use abort::PageRequests;
pub(crate) use recovery::use_recovery;
pub use recovery::Recovery;

use abort::{never, Deadline};
use fetch::Outgoing;

use crate::browser;
use crate::core::errors::{decode_with, ApiError, TransportFailure};
use crate::core::reach::{self, Reach};
use crate::core::request::{ApiRequest, Method};
use crate::session::Session;
use leptos::prelude::use_context;
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;

/// How long any call may take before the app gives up on it.
const TIMEOUT_MS: u32 = 20_000;
/// How long the reachability probe may take.
const PROBE_MS: u32 = 8_000;
/// Longest rate-limit wait a read sits out by itself; the server's window is a minute.
const MAX_WAIT_S: u32 = 60;

/// A REST client for one server, with or without credentials.
#[derive(Clone)]
pub struct Client {
    server: String,
    credentials: Option<(String, String)>,
    /// Whether a 401 opens the sign-in dialog (off for sign-in checks and sign-out).
    recover: bool,
    /// The app's recovery state, from the context the client was made in.
    recovery: Option<Recovery>,
    /// The page the client was made for, whose leaving aborts its calls.
    page: Option<PageRequests>,
}

/// Never prints the token, so a client can be logged safely.
impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("server", &self.server)
            .field("user", &self.credentials.as_ref().map(|c| &c.0))
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client without credentials (for `/api/info` and sign-in).
    pub(crate) fn anonymous(server: &str) -> Self {
        Client {
            server: server.trim().trim_end_matches('/').to_string(),
            credentials: None,
            recover: false,
            recovery: use_context(),
            page: use_context(),
        }
    }

    /// A client that sends the session's `X-User-Id` / `X-Auth-Token`. Made below the app's
    /// [`Recovery`] it recovers from a 401; made below a page, its calls end with the page.
    pub fn for_session(session: &Session) -> Self {
        Client {
            server: session.server.clone(),
            credentials: Some((session.user_id.clone(), session.auth_token.clone())),
            recover: true,
            recovery: use_context(),
            page: use_context(),
        }
    }

    /// The same client, but a 401 is only returned: for checking credentials and signing out.
    pub(crate) fn without_recovery(mut self) -> Self {
        self.recover = false;
        self
    }

    /// The server base URL this client talks to.
    pub(crate) fn server(&self) -> &str {
        &self.server
    }

    /// Sends one request and decodes the answer. A signed-in call that meets a 401 opens the
    /// sign-in dialog; a read then waits for it and is sent again with the new token, a
    /// write returns the error at once (the page keeps its state, the person saves again).
    /// A rate-limited read waits the time the server asks (announced) and is sent once more.
    ///
    /// Boxed: every page awaits it, and a boxed call keeps their own futures small.
    pub fn call<'a>(
        &'a self,
        request: &'a ApiRequest,
    ) -> Pin<Box<dyn Future<Output = Result<Value, ApiError>> + 'a>> {
        Box::pin(self.recovering_call(request))
    }

    async fn recovering_call(&self, request: &ApiRequest) -> Result<Value, ApiError> {
        let read = request.method == Method::Get;
        let sent_with = self.credentials_now();
        let mut result = self.send(request).await;
        if self.recover && self.credentials.is_some() && self.is_current_person() {
            if let Err(e) = &result {
                if e.needs_login() {
                    if self.credentials_now() != sent_with {
                        // The person signed in again while this call was out: the refusal
                        // was for the old token, so send it once more with the new one.
                        result = self.send(request).await;
                    } else if self.sign_in_again(read).await && read {
                        result = self.send(request).await;
                    }
                }
            }
        }
        if let (true, Err(e @ ApiError::RateLimited { .. })) = (read, &result) {
            self.wait_out(e).await;
            result = self.send(request).await;
        }
        result
    }

    /// Sits out a rate limit for the time the server asks (announced).
    async fn wait_out(&self, e: &ApiError) {
        let wait = e.wait_seconds().unwrap_or(10).clamp(1, MAX_WAIT_S);
        let unit = if wait == 1 { "second" } else { "seconds" };
        if let Some(recovery) = self.recovery {
            recovery.announce(format!(
                "The server asks to slow down: trying again in {wait} {unit}."
            ));
        }
        recovery::sleep(wait).await;
    }

    /// [`Client::call`] for one write of a sequence the person started (bulk replay): a
    /// rate-limited write was not carried out, so it waits like a read and is sent again
    /// (at most three times in all).
    pub(crate) async fn call_paced(&self, request: &ApiRequest) -> Result<Value, ApiError> {
        let mut tries = 1;
        loop {
            let result = self.call(request).await;
            match &result {
                Err(e @ ApiError::RateLimited { .. })
                    if tries < 3 && request.method != Method::Get =>
                {
                    tries += 1;
                    self.wait_out(e).await;
                }
                _ => return result,
            }
        }
    }

    /// Whether the app's session is this client's server and person, so a 401 means the
    /// session expired (not that an old client outlived a sign-out).
    fn is_current_person(&self) -> bool {
        self.current_session().is_some_and(|s| {
            s.server == self.server && self.credentials.as_ref().is_some_and(|c| c.0 == s.user_id)
        })
    }

    /// The credentials to send: the session's newest token when the person signed in again
    /// after this client was made.
    fn credentials_now(&self) -> Option<(String, String)> {
        let (user, token) = self.credentials.clone()?;
        let fresh = self
            .current_session()
            .filter(|s| self.recover && s.server == self.server && s.user_id == user)
            .map(|s| s.auth_token);
        Some((user, fresh.unwrap_or(token)))
    }

    fn current_session(&self) -> Option<Session> {
        self.recovery?.current_session()
    }

    /// Opens the sign-in dialog; see [`Recovery`].
    async fn sign_in_again(&self, wait: bool) -> bool {
        match self.recovery {
            Some(recovery) => recovery.sign_in_again(wait).await,
            None => false,
        }
    }

    /// The deadline of one request; a call of a page that is gone never resolves.
    async fn deadline(&self, ms: u32) -> Deadline {
        match Deadline::new(self.page, ms) {
            Some(deadline) => deadline,
            None => never().await,
        }
    }

    async fn send(&self, request: &ApiRequest) -> Result<Value, ApiError> {
        let url = format!("{}{}", self.server, request.path);
        let credentials = self.credentials_now();
        let body = request.body.as_ref().map(json::text);
        let mut headers = Vec::with_capacity(3);
        if let Some((user, token)) = &credentials {
            headers.extend([
                ("X-User-Id", user.as_str()),
                ("X-Auth-Token", token.as_str()),
            ]);
        }
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        let outgoing = Outgoing {
            method: match request.method {
                Method::Get => "GET",
                Method::Post => "POST",
                Method::Put => "PUT",
            },
            url: &url,
            headers: &headers,
            body: body.as_deref(),
            opaque: false,
        };
        match self.fetch(&outgoing, TIMEOUT_MS).await {
            Ok((status, text)) => decode_with(Some(status), &text, None, json::BROWSER),
            Err(failure) => decode_with(None, "", Some(failure), json::BROWSER),
        }
    }

    /// Sends one request with a deadline of `ms`: the answer's status and text, or why none
    /// came. A request of a page that is gone never resolves.
    async fn fetch(
        &self,
        outgoing: &Outgoing<'_>,
        ms: u32,
    ) -> Result<(u16, String), TransportFailure> {
        let deadline = self.deadline(ms).await;
        let answer = fetch::send(outgoing, deadline.signal()).await;
        if deadline.left() {
            return never().await;
        }
        match answer {
            Some(answer) => Ok(answer),
            None if deadline.timed_out() => Err(TransportFailure::Timeout),
            None => Err(TransportFailure::Network),
        }
    }

    /// After a call got no answer at all ([`ApiError::Network`]): tells a server that
    /// cannot be reached from one that refuses this page's origin (CORS), probing the
    /// server with a request the browser sends without asking the server's permission.
    pub(crate) async fn diagnose(&self) -> Reach {
        let page = browser::page_origin();
        if let Some(known) = reach::without_probe(&page, &self.server) {
            return known;
        }
        let url = format!("{}/api/info", self.server);
        let probe = Outgoing {
            method: "GET",
            url: &url,
            headers: &[],
            body: None,
            opaque: true,
        };
        // An opaque answer is still an answer: something listens at this address.
        reach::from_probe(self.fetch(&probe, PROBE_MS).await.is_ok())
    }

    /// Posts a JSON payload to an incoming webhook (`/hooks/<id>/<token>`) as an outside
    /// service would: without credentials. Any answer is returned as its status and raw text,
    /// whatever its format; only a missing answer is an error (network or timeout).
    pub(crate) async fn post_hook(
        &self,
        id: &str,
        token: &str,
        payload: &str,
    ) -> Result<(u16, String), ApiError> {
        let url = crate::core::webhook::hook_url(&self.server, id, token);
        let outgoing = Outgoing {
            method: "POST",
            url: &url,
            headers: &[("Content-Type", "application/json")],
            body: Some(payload),
            opaque: false,
        };
        self.fetch(&outgoing, TIMEOUT_MS)
            .await
            .map_err(|failure| match failure {
                TransportFailure::Timeout => ApiError::Timeout,
                TransportFailure::Network => ApiError::Network,
            })
    }
}
