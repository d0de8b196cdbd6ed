//! Who is signed in to which server: kept in memory, mirrored to session storage (or local
//! storage when the person chose to stay signed in) so a reload does not sign them out.

use crate::api::json;
use crate::browser::{self, Persistence};
use crate::core::address::remember_server;
use crate::core::auth::credential_of;
use crate::core::json::str_of;
use leptos::prelude::*;
use serde_json::{json, Value};

// index.html's sign-in shell reads both keys too (whether to show, and the default server).
const KEY: &str = "hookpanel.session";
/// Recent server addresses (never tokens), in local storage for the next sign-in.
const SERVERS_KEY: &str = "hookpanel.servers";

/// A signed-in session on one Rocket.Chat server.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// Server base URL without trailing slash, e.g. `https://chat.example.com`.
    pub server: String,
    pub user_id: String,
    pub auth_token: String,
    pub username: String,
    /// True when stored in local storage ("keep me signed in").
    pub remember: bool,
}

/// Never prints the token, so a session can be logged safely.
impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("server", &self.server)
            .field("user_id", &self.user_id)
            .field("username", &self.username)
            .field("remember", &self.remember)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Reads a stored session, preferring this tab's copy.
    pub(crate) fn restore() -> Option<Session> {
        [Persistence::Session, Persistence::Local]
            .into_iter()
            .filter_map(|kind| browser::load(kind, KEY))
            .find_map(|text| Session::from_json(&json::parse(&text)?))
    }

    /// Reads the stored form (the field names serde's derive used, so stored sessions last).
    /// Storage is anyone's to edit: credentials that could not go into a header are no session.
    fn from_json(v: &Value) -> Option<Session> {
        Some(Session {
            server: str_of(v, "server")?,
            user_id: credential_of(v, "user_id")?,
            auth_token: credential_of(v, "auth_token")?,
            username: str_of(v, "username")?,
            remember: v.get("remember").and_then(Value::as_bool).unwrap_or(false),
        })
    }

    /// Stores the session where the person asked, removing any other copy.
    pub(crate) fn persist(&self) {
        let (keep, drop) = if self.remember {
            (Persistence::Local, Persistence::Session)
        } else {
            (Persistence::Session, Persistence::Local)
        };
        browser::forget(drop, KEY);
        let stored = json!({
            "server": self.server,
            "user_id": self.user_id,
            "auth_token": self.auth_token,
            "username": self.username,
            "remember": self.remember,
        });
        browser::save(keep, KEY, &json::text(&stored));
    }

    /// Forgets the stored session everywhere.
    pub(crate) fn clear_stored() {
        browser::forget(Persistence::Session, KEY);
        browser::forget(Persistence::Local, KEY);
    }
}

/// Server addresses signed in to recently, newest first (one per line in storage).
pub(crate) fn recent_servers() -> Vec<String> {
    browser::load(Persistence::Local, SERVERS_KEY)
        .map(|text| text.lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Puts `server` first in the recent-servers list.
pub(crate) fn remember_recent_server(server: &str) {
    let list = remember_server(&recent_servers(), server);
    browser::save(Persistence::Local, SERVERS_KEY, &list.join("\n"));
}

/// The app-wide session signal, provided as context by the root component. Read it through
/// its methods; only this module writes it.
#[derive(Clone, Copy)]
pub struct SessionState(RwSignal<Option<Session>>);

impl SessionState {
    /// A state holding `session` (not provided; see [`SessionState::provide`]).
    pub fn new(session: Option<Session>) -> Self {
        SessionState(RwSignal::new(session))
    }

    /// Creates the state from storage and provides it as context.
    pub(crate) fn provide() -> Self {
        let state = SessionState::new(Session::restore());
        provide_context(state);
        state
    }

    /// The session, tracked.
    pub(crate) fn get(&self) -> Option<Session> {
        self.0.get()
    }

    /// The session, untracked; `None` too once the app is gone.
    pub fn get_untracked(&self) -> Option<Session> {
        self.0.try_get_untracked().flatten()
    }

    /// Whether someone is signed in, tracked.
    pub(crate) fn signed_in(&self) -> bool {
        self.0.with(Option::is_some)
    }

    /// Whether someone is signed in, untracked.
    pub(crate) fn signed_in_untracked(&self) -> bool {
        self.0.with_untracked(Option::is_some)
    }

    /// The server signed in to, tracked.
    pub(crate) fn server(&self) -> Option<String> {
        self.0.with(|s| s.as_ref().map(|s| s.server.clone()))
    }

    /// The signed-in person's username, tracked.
    pub(crate) fn username(&self) -> Option<String> {
        self.0.with(|s| s.as_ref().map(|s| s.username.clone()))
    }

    /// Signs in: remembers the session and stores it.
    pub(crate) fn set(&self, session: Session) {
        session.persist();
        self.0.set(Some(session));
    }

    /// Takes the session of a renewed sign-in. The same person on the same server only gets
    /// the new token, without notifying anyone, so pages keep their state and loads are not
    /// repeated; anyone else replaces the session like a new sign-in. Returns whether it
    /// was the same person.
    pub(crate) fn renew(&self, session: Session) -> bool {
        session.persist();
        let same = self.0.with_untracked(|old| {
            old.as_ref()
                .is_some_and(|o| o.server == session.server && o.user_id == session.user_id)
        });
        if same {
            self.0.update_untracked(|s| *s = Some(session));
        } else {
            self.0.set(Some(session));
        }
        same
    }

    /// Signs out locally: forgets the session and its stored copy.
    pub(crate) fn clear(&self) {
        Session::clear_stored();
        self.0.set(None);
    }
}

/// The session state from context.
pub(crate) fn use_session() -> SessionState {
    expect_context::<SessionState>()
}
