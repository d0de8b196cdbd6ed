//! Who is signed in to which server: kept in memory, mirrored to session storage (or local
//! storage when the person chose to stay signed in) so a reload does not sign them out.

use crate::browser::{self, Persistence};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

const KEY: &str = "hookpanel.session";

/// A signed-in session on one Rocket.Chat server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Server base URL without trailing slash, e.g. `https://chat.example.com`.
    pub server: String,
    pub user_id: String,
    pub auth_token: String,
    pub username: String,
    /// True when stored in local storage ("keep me signed in").
    #[serde(default)]
    pub remember: bool,
}

impl Session {
    /// Reads a stored session, preferring this tab's copy.
    pub fn restore() -> Option<Session> {
        [Persistence::Session, Persistence::Local]
            .into_iter()
            .filter_map(|kind| browser::load(kind, KEY))
            .find_map(|text| serde_json::from_str(&text).ok())
    }

    /// Stores the session where the person asked, removing any other copy.
    pub fn persist(&self) {
        let (keep, drop) = if self.remember {
            (Persistence::Local, Persistence::Session)
        } else {
            (Persistence::Session, Persistence::Local)
        };
        browser::forget(drop, KEY);
        if let Ok(text) = serde_json::to_string(self) {
            browser::save(keep, KEY, &text);
        }
    }

    /// Forgets the stored session everywhere.
    pub fn clear_stored() {
        browser::forget(Persistence::Session, KEY);
        browser::forget(Persistence::Local, KEY);
    }
}

/// The app-wide session signal, provided as context by the root component.
#[derive(Clone, Copy)]
pub struct SessionState(pub RwSignal<Option<Session>>);

impl SessionState {
    /// Creates the state from storage and provides it as context.
    pub fn provide() -> Self {
        let state = SessionState(RwSignal::new(Session::restore()));
        provide_context(state);
        state
    }

    /// Signs in: remembers the session and stores it.
    pub fn set(&self, session: Session) {
        session.persist();
        self.0.set(Some(session));
    }

    /// Signs out locally: forgets the session and its stored copy.
    pub fn clear(&self) {
        Session::clear_stored();
        self.0.set(None);
    }
}

/// The session state from context.
pub fn use_session() -> SessionState {
    expect_context::<SessionState>()
}
