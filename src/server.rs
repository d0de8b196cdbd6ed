//! What the app knows about the connected server and the signed-in person: the server's
//! version (as [`Features`]), the four integration permissions, and who they are. Loaded once
//! per session and shared as context; pages ask it instead of comparing versions themselves.

use crate::api::Client;
use crate::browser::BrowserUrls;
use crate::components::{local_resource, ResourceOf};
use crate::core::errors::ApiError;
use crate::core::permissions::{user_id_of, Permissions};
use crate::core::request;
use crate::core::validate::Context;
use crate::core::version::Features;
use crate::session::{use_session, Session};
use leptos::prelude::*;
use serde_json::Value;

/// The server and the person, as far as the pages need them.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerState {
    /// What this server version supports.
    pub features: Features,
    /// The person's integration permissions.
    pub permissions: Permissions,
    /// The person's user id (creator checks for the own-permissions).
    pub user_id: String,
    /// The person's username.
    pub username: String,
}

impl ServerState {
    /// What validation needs to know of this server and person (the browser's URL parser).
    pub(crate) fn context(&self) -> Context<'_> {
        Context {
            features: self.features,
            permissions: Some(&self.permissions),
            urls: &BrowserUrls,
        }
    }

    /// Reads `/api/info`, `/api/v1/me` and `permissions.listAll` for a session.
    pub async fn load(session: &Session) -> Result<ServerState, ApiError> {
        let client = Client::for_session(session);
        let (info, me, roles) = (
            request::server_info(),
            request::me(),
            request::permissions_list_all(),
        );
        let (info, me, roles) =
            futures::join!(client.call(&info), client.call(&me), client.call(&roles));
        // An unreadable /api/info is survivable: the features assume a current server.
        let features = info
            .map(|v| Features::from_info(&v))
            .unwrap_or_else(|_| Features::for_version(None));
        let me = me?;
        let roles = roles?;
        Ok(ServerState {
            features,
            permissions: Permissions::from_api(&me, &roles),
            user_id: user_id_of(&me).unwrap_or_else(|| session.user_id.clone()),
            username: me
                .get("username")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| session.username.clone()),
        })
    }
}

/// The loaded server state, shared by every screen. `None` inside while signed out.
#[derive(Clone, Copy)]
pub struct ServerContext(ResourceOf<Option<Result<ServerState, ApiError>>>);

/// Where the root component keeps the state: its owner, and the state once a screen asked.
/// The screens make it on first use, so the split build keeps the code that loads it out of
/// the first wasm file (the sign-in screen never needs it).
#[derive(Clone, Copy)]
struct ServerSlot(StoredValue<(Option<Owner>, Option<ServerContext>), LocalStorage>);

impl ServerContext {
    /// Makes room for the state in the root component (see [`use_server`]).
    pub fn provide() {
        provide_context(ServerSlot(StoredValue::new_local((Owner::current(), None))));
    }

    /// Loads the state whenever the session changes.
    fn load() -> Self {
        let session = use_session();
        ServerContext(local_resource(move || {
            let current = session.get();
            async move {
                match current {
                    Some(s) => Some(ServerState::load(&s).await),
                    None => None,
                }
            }
        }))
    }

    /// The state once loaded successfully.
    pub fn state(&self) -> Option<ServerState> {
        self.0.get().flatten().and_then(Result::ok)
    }

    /// The state once loaded successfully, untracked.
    pub fn state_untracked(&self) -> Option<ServerState> {
        self.0.get_untracked().flatten().and_then(Result::ok)
    }

    /// Whether the read has finished (well or not), tracked.
    pub fn ready(&self) -> bool {
        self.0.with(|s| s.is_some())
    }

    /// Why the state could not be read, if it could not.
    pub fn error(&self) -> Option<ApiError> {
        self.0.get().flatten().and_then(Result::err)
    }

    /// Reads the state again (e.g. the "Try again" of a failed load).
    pub fn reload(&self) {
        self.0.refetch();
    }
}

/// The server context, made under the root component the first time a screen asks, so it
/// lasts from screen to screen; `None` without a root component (component tests).
pub fn try_use_server() -> Option<ServerContext> {
    let slot = use_context::<ServerSlot>()?.0;
    if let Some(ctx) = slot.with_value(|(_, ctx)| *ctx) {
        return Some(ctx);
    }
    let ctx = match slot.with_value(|(owner, _)| owner.clone()) {
        Some(root) => root.with(ServerContext::load),
        None => ServerContext::load(),
    };
    slot.update_value(|(_, slot)| *slot = Some(ctx));
    Some(ctx)
}

/// The server context ([`try_use_server`]); provided by the root component.
pub fn use_server() -> ServerContext {
    try_use_server().unwrap_or_else(ServerContext::load)
}
