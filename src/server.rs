//! What the app knows about the connected server and the signed-in person: the server's
//! version (as [`Features`]), the four integration permissions, and who they are. Loaded once
//! per session and shared as context; pages ask it instead of comparing versions themselves.

use crate::api::Client;
use crate::core::channels::ChannelKeyword;
use crate::core::errors::ApiError;
use crate::core::model::{Integration, Kind, OutgoingEvent};
use crate::core::permissions::{user_id_of, Access, Permissions};
use crate::core::request;
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

/// The loaded server state, provided as context by the root component.
#[derive(Clone, Copy)]
pub struct ServerContext(pub LocalResource<Option<Result<ServerState, ApiError>>>);

impl ServerContext {
    /// Loads the state whenever the session changes, and provides it.
    pub fn provide() -> Self {
        let session = use_session();
        let resource = LocalResource::new(move || {
            let current = session.0.get();
            async move {
                match current {
                    Some(s) => Some(ServerState::load(&s).await),
                    None => None,
                }
            }
        });
        let ctx = ServerContext(resource);
        provide_context(ctx);
        ctx
    }

    /// The state once loaded successfully.
    pub fn state(&self) -> Option<ServerState> {
        self.0.get().flatten().and_then(Result::ok)
    }

    /// True while a signed-in person's state is being read.
    pub fn loading(&self) -> bool {
        self.0.get().is_none()
    }

    /// Why the state could not be read, if it could not.
    pub fn error(&self) -> Option<ApiError> {
        self.0.get().flatten().and_then(Result::err)
    }

    /// Reads the state again (e.g. the "Try again" of a failed load).
    pub fn reload(&self) {
        self.0.refetch();
    }

    /// What the server supports; until `/api/info` is read, a current server without the
    /// optional version-gated keys (which every schema accepts missing).
    pub fn features(&self) -> Features {
        self.state()
            .map(|s| s.features)
            .unwrap_or_else(|| Features::for_version(None))
    }

    /// Runs a permission check on the loaded state; while loading, or when the state could
    /// not be read, the action is refused with a reason saying so.
    fn check(&self, rule: impl FnOnce(&ServerState) -> Access) -> Access {
        match self.0.get().flatten() {
            Some(Ok(state)) => rule(&state),
            Some(Err(_)) => {
                Err("Your permissions could not be read. Reload the page to try again.")
            }
            None => Err("Checking what your role allows…"),
        }
    }

    /// Whether the integrations pages may open at all.
    pub fn can_open(&self) -> Access {
        self.check(|s| s.permissions.can_open())
    }

    /// Whether "New incoming/outgoing webhook" may be offered.
    pub fn can_create(&self, kind: Kind) -> Access {
        self.check(|s| s.permissions.can_create(kind))
    }

    /// Whether this integration may be changed (own-permission holders: only their own).
    pub fn can_edit(&self, integration: &Integration) -> Access {
        self.check(|s| s.permissions.can_edit(integration, &s.user_id))
    }

    /// Whether this integration may be deleted.
    pub fn can_delete(&self, integration: &Integration) -> Access {
        self.check(|s| s.permissions.can_delete(integration, &s.user_id))
    }

    /// Whether this integration's history may be seen, cleared and replayed.
    pub fn can_view_history(&self, integration: &Integration) -> Access {
        self.check(|s| s.permissions.can_view_history(integration, &s.user_id))
    }

    /// Whether an outgoing event may be chosen.
    pub fn can_use_event(&self, event: &OutgoingEvent) -> Access {
        self.check(|s| s.permissions.can_use_event(event))
    }

    /// Whether an outgoing channel keyword may be used.
    pub fn keyword_allowed(&self, keyword: ChannelKeyword) -> Access {
        self.check(|s| s.permissions.keyword_allowed(keyword))
    }

    /// Whether `@user` targets work for this kind.
    pub fn can_target_users(&self, kind: Kind) -> Access {
        self.check(|s| s.permissions.can_target_users(kind))
    }
}

/// The server context from context.
pub fn use_server() -> ServerContext {
    expect_context::<ServerContext>()
}
