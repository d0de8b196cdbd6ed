//! The four integration permissions (spec §4), read from `/api/v1/me` roles and
//! `permissions.listAll`, with answers and human reasons for what the user may do.

use serde_json::Value;

use super::channels::ChannelKeyword;
use super::model::{Integration, Kind, OutgoingEvent};

/// Permission id: manage every incoming integration.
pub const MANAGE_INCOMING: &str = "manage-incoming-integrations";
/// Permission id: manage incoming integrations one created.
pub const MANAGE_OWN_INCOMING: &str = "manage-own-incoming-integrations";
/// Permission id: manage every outgoing integration.
pub const MANAGE_OUTGOING: &str = "manage-outgoing-integrations";
/// Permission id: manage outgoing integrations one created.
pub const MANAGE_OWN_OUTGOING: &str = "manage-own-outgoing-integrations";

/// `Ok` when allowed, else a reason to show beside the disabled action.
pub type Access = Result<(), &'static str>;

/// The caller's integration permissions.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Permissions {
    /// `manage-incoming-integrations`.
    pub manage_incoming: bool,
    /// `manage-own-incoming-integrations`.
    pub manage_own_incoming: bool,
    /// `manage-outgoing-integrations`.
    pub manage_outgoing: bool,
    /// `manage-own-outgoing-integrations`.
    pub manage_own_outgoing: bool,
}

impl Permissions {
    /// Every permission (an admin by default).
    pub fn all() -> Permissions {
        Permissions {
            manage_incoming: true,
            manage_own_incoming: true,
            manage_outgoing: true,
            manage_own_outgoing: true,
        }
    }

    /// Reads the roles of a `/api/v1/me` (or login `data.me`) answer and the role map of a
    /// `permissions.listAll` answer.
    pub fn from_api(me: &Value, list_all: &Value) -> Permissions {
        Permissions::from_roles(&roles_of(me), list_all)
    }

    /// Grants each permission whose role list shares a role with `roles`.
    pub fn from_roles(roles: &[String], list_all: &Value) -> Permissions {
        let mut p = Permissions::default();
        for entry in permission_rows(list_all) {
            let Some(id) = entry.get("_id").and_then(Value::as_str) else {
                continue;
            };
            let granted = entry
                .get("roles")
                .and_then(Value::as_array)
                .is_some_and(|rs| {
                    rs.iter()
                        .filter_map(Value::as_str)
                        .any(|r| roles.iter().any(|mine| mine == r))
                });
            match id {
                MANAGE_INCOMING => p.manage_incoming |= granted,
                MANAGE_OWN_INCOMING => p.manage_own_incoming |= granted,
                MANAGE_OUTGOING => p.manage_outgoing |= granted,
                MANAGE_OWN_OUTGOING => p.manage_own_outgoing |= granted,
                _ => {}
            }
        }
        p
    }

    /// Full permission for a kind.
    pub fn full(&self, kind: Kind) -> bool {
        match kind {
            Kind::Incoming => self.manage_incoming,
            Kind::Outgoing => self.manage_outgoing,
        }
    }

    /// Own permission for a kind.
    pub fn own(&self, kind: Kind) -> bool {
        match kind {
            Kind::Incoming => self.manage_own_incoming,
            Kind::Outgoing => self.manage_own_outgoing,
        }
    }

    /// Whether the integrations pages may open at all (any of the four).
    pub fn can_open(&self) -> Access {
        if Kind::ALL.iter().any(|&k| self.full(k) || self.own(k)) {
            Ok(())
        } else {
            Err("Your role cannot manage integrations. Ask an administrator for the permission to manage incoming or outgoing integrations.")
        }
    }

    /// Whether new integrations of a kind may be created.
    pub fn can_create(&self, kind: Kind) -> Access {
        if self.full(kind) || self.own(kind) {
            Ok(())
        } else {
            Err(match kind {
                Kind::Incoming => "Your role cannot create incoming webhooks.",
                Kind::Outgoing => "Your role cannot create outgoing webhooks.",
            })
        }
    }

    /// Whether an integration may be opened, changed or deleted by `user_id`.
    pub fn can_edit(&self, integration: &Integration, user_id: &str) -> Access {
        let kind = integration.kind();
        if self.full(kind) {
            return Ok(());
        }
        if !self.own(kind) {
            return Err(match kind {
                Kind::Incoming => "Your role cannot change incoming webhooks.",
                Kind::Outgoing => "Your role cannot change outgoing webhooks.",
            });
        }
        match integration.created_by_id() {
            Some(creator) if !user_id.is_empty() && creator == user_id => Ok(()),
            _ => Err("Your role can only change integrations you created."),
        }
    }

    /// Whether an integration may be deleted (same rule as editing).
    pub fn can_delete(&self, integration: &Integration, user_id: &str) -> Access {
        self.can_edit(integration, user_id)
    }

    /// Whether the outgoing history (view, clear, replay) is available.
    pub fn can_view_history(&self, integration: &Integration, user_id: &str) -> Access {
        if integration.kind() == Kind::Incoming {
            return Err("Only outgoing webhooks keep a history.");
        }
        self.can_edit(integration, user_id)
    }

    /// Whether an outgoing channel keyword is allowed.
    pub fn keyword_allowed(&self, keyword: ChannelKeyword) -> Access {
        match keyword {
            ChannelKeyword::AllPublicChannels
                if self.manage_outgoing || self.manage_own_outgoing =>
            {
                Ok(())
            }
            ChannelKeyword::AllPublicChannels => Err("Your role cannot create outgoing webhooks."),
            _ if self.manage_outgoing => Ok(()),
            _ => Err("Watching all private groups or all direct messages needs the permission to manage all outgoing integrations."),
        }
    }

    /// Keywords this user may put in an outgoing channel list.
    pub fn allowed_keywords(&self) -> Vec<ChannelKeyword> {
        ChannelKeyword::ALL
            .into_iter()
            .filter(|&k| self.keyword_allowed(k).is_ok())
            .collect()
    }

    /// Whether an outgoing event may be chosen: events without channel need full permission.
    pub fn can_use_event(&self, event: &OutgoingEvent) -> Access {
        if event.uses_channel() || self.manage_outgoing {
            Ok(())
        } else {
            Err("This event does not watch a channel, so it needs the permission to manage all outgoing integrations.")
        }
    }

    /// Whether `@user` targets work: the server's membership check never matches a user
    /// unless the caller holds both permissions of the kind (issue #13103).
    pub fn can_target_users(&self, kind: Kind) -> Access {
        if self.needs_membership(kind) {
            Err("Your role cannot use @user entries: only people with both the full and the own integration permission can. Use a #room instead.")
        } else {
            Ok(())
        }
    }

    /// Whether the caller must be a member of every `#room` listed (all but holders of both).
    pub fn needs_membership(&self, kind: Kind) -> bool {
        !(self.full(kind) && self.own(kind))
    }
}

/// Roles from `/me` (`roles`), a login answer (`data.me.roles`) or a nested `user`.
fn roles_of(me: &Value) -> Vec<String> {
    let candidates = [
        me.get("roles"),
        me.get("me").and_then(|m| m.get("roles")),
        me.get("data")
            .and_then(|d| d.get("me"))
            .and_then(|m| m.get("roles")),
        me.get("user").and_then(|u| u.get("roles")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find_map(Value::as_array)
        .map(|rs| {
            rs.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Permission rows of `permissions.listAll` (`update`), older `permissions`, or a bare array.
fn permission_rows(v: &Value) -> &[Value] {
    [v.get("update"), v.get("permissions"), Some(v)]
        .into_iter()
        .flatten()
        .find_map(|x| x.as_array().map(Vec::as_slice))
        .unwrap_or(&[])
}

/// The user id in a `/me` or login answer.
pub fn user_id_of(me: &Value) -> Option<String> {
    [
        me.get("_id"),
        me.get("data").and_then(|d| d.get("userId")),
        me.get("me").and_then(|m| m.get("_id")),
        me.get("user").and_then(|u| u.get("_id")),
    ]
    .into_iter()
    .flatten()
    .find_map(Value::as_str)
    .map(str::to_owned)
}
