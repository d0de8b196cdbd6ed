//! Who is signed in to which server: kept in memory, mirrored to session storage (or local
//! storage when the person chose to stay signed in) so a reload does not sign them out.

use crate::api::json;
use crate::browser::{self, Persistence};
use crate::core::address::remember_server;
use crate::core::auth::{credential_of, SignedOut};
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
    /// What `auth_token` is: it decides what signing out does on the server.
    pub credential: Credential,
}

/// How the person signed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    /// A password (and code): the server made a login token for this sign-in.
    Login,
    /// A personal access token, which signing out leaves alone ([`SignedOut::TokenKept`]).
    PersonalToken,
    /// Not known: stored by a hookpanel from before the kinds were told apart. Signing out
    /// leaves the token alone too ([`SignedOut::TokenLeft`]), as it may be a personal one.
    Unknown,
}

impl Credential {
    /// Read from the stored flag `login_token` (absent or null: unknown).
    fn from_flag(login_token: Option<bool>) -> Self {
        match login_token {
            Some(true) => Credential::Login,
            Some(false) => Credential::PersonalToken,
            None => Credential::Unknown,
        }
    }

    /// The stored flag: [`Credential::from_flag`] reads it back.
    fn flag(self) -> Option<bool> {
        match self {
            Credential::Login => Some(true),
            Credential::PersonalToken => Some(false),
            Credential::Unknown => None,
        }
    }
}

/// Never prints the token, so a session can be logged safely.
impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("server", &self.server)
            .field("user_id", &self.user_id)
            .field("username", &self.username)
            .field("remember", &self.remember)
            .field("credential", &self.credential)
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
    /// `login_token` says which [`Credential`] it is; sessions stored before it are unknown.
    fn from_json(v: &Value) -> Option<Session> {
        let flag = |key| v.get(key).and_then(Value::as_bool);
        Some(Session {
            server: str_of(v, "server")?,
            user_id: credential_of(v, "user_id")?,
            auth_token: credential_of(v, "auth_token")?,
            username: str_of(v, "username")?,
            remember: flag("remember").unwrap_or(false),
            credential: Credential::from_flag(flag("login_token")),
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
            "login_token": self.credential.flag(),
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

/// Who is signed in, or what the last sign-out did (`None` before any).
enum Signed {
    In(Session),
    Out(Option<SignedOut>),
}

impl Signed {
    fn session(&self) -> Option<&Session> {
        match self {
            Signed::In(s) => Some(s),
            Signed::Out(_) => None,
        }
    }
}

/// The app-wide session signal, provided as context by the root component. Read it through
/// its methods; only this module writes it.
#[derive(Clone, Copy)]
pub struct SessionState(RwSignal<Signed>);

impl SessionState {
    /// A state holding `session` (not provided; see [`SessionState::provide`]).
    pub fn new(session: Option<Session>) -> Self {
        SessionState(RwSignal::new(session.map_or(Signed::Out(None), Signed::In)))
    }

    /// Creates the state from storage and provides it as context.
    pub(crate) fn provide() -> Self {
        let state = SessionState::new(Session::restore());
        provide_context(state);
        state
    }

    /// The session, tracked.
    pub(crate) fn get(&self) -> Option<Session> {
        self.0.with(|s| s.session().cloned())
    }

    /// The session, untracked; `None` too once the app is gone.
    pub fn get_untracked(&self) -> Option<Session> {
        self.0
            .try_with_untracked(|s| s.session().cloned())
            .flatten()
    }

    /// Whether someone is signed in, tracked.
    pub(crate) fn signed_in(&self) -> bool {
        self.0.with(|s| s.session().is_some())
    }

    /// Whether someone is signed in, untracked.
    pub(crate) fn signed_in_untracked(&self) -> bool {
        self.0.with_untracked(|s| s.session().is_some())
    }

    /// The server signed in to, tracked.
    pub(crate) fn server(&self) -> Option<String> {
        self.0.with(|s| s.session().map(|s| s.server.clone()))
    }

    /// The signed-in person's username, tracked.
    pub(crate) fn username(&self) -> Option<String> {
        self.0.with(|s| s.session().map(|s| s.username.clone()))
    }

    /// Signs in: remembers the session and stores it.
    pub(crate) fn set(&self, session: Session) {
        session.persist();
        self.0.set(Signed::In(session));
    }

    /// Takes the session of a renewed sign-in. The same person on the same server only gets
    /// the new token, without notifying anyone, so pages keep their state and loads are not
    /// repeated; anyone else replaces the session like a new sign-in. Returns whether it
    /// was the same person.
    pub(crate) fn renew(&self, session: Session) -> bool {
        session.persist();
        let same = self.0.with_untracked(|old| {
            old.session()
                .is_some_and(|o| o.server == session.server && o.user_id == session.user_id)
        });
        if same {
            self.0.update_untracked(|s| *s = Signed::In(session));
        } else {
            self.0.set(Signed::In(session));
        }
        same
    }

    /// Signs out: forgets the session and its stored copy. Returns the session when its
    /// login token is for the server to end ([`SessionState::logout_answered`] then says how
    /// that went); any other token is left alone.
    pub(crate) fn sign_out(&self) -> Option<Session> {
        Session::clear_stored();
        let old = self.get_untracked()?;
        let said = match old.credential {
            Credential::Login => SignedOut::Ending,
            Credential::PersonalToken => SignedOut::TokenKept,
            Credential::Unknown => SignedOut::TokenLeft,
        };
        self.0.set(Signed::Out(Some(said)));
        (said == SignedOut::Ending).then_some(old)
    }

    /// Takes what the server said to the sign-out's logout, unless someone signed in since.
    pub(crate) fn logout_answered(&self, outcome: SignedOut) {
        let waiting = |s: &Signed| matches!(s, Signed::Out(Some(SignedOut::Ending)));
        if self.0.try_with_untracked(waiting) == Some(true) {
            self.0.set(Signed::Out(Some(outcome)));
        }
    }

    /// What the last sign-out did, tracked; `None` while signed in.
    pub(crate) fn signed_out(&self) -> Option<SignedOut> {
        self.0.with(|s| match s {
            Signed::Out(out) => *out,
            Signed::In(_) => None,
        })
    }
}

/// The session state from context.
pub(crate) fn use_session() -> SessionState {
    expect_context::<SessionState>()
}
