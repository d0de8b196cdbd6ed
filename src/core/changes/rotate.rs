//! Incoming token rotation: the server cannot change an incoming webhook's token, so the
//! hook is copied (the server gives the copy a fresh token), senders move to the new URL,
//! and the old hook is disabled or deleted. Until then the list marks the two as a pair.

use serde_json::Value;

use crate::core::field::Field;
use crate::core::form::IncomingForm;
use crate::core::history_filter::parse_time;
use crate::core::model::{Incoming, Integration};
use crate::core::request::{self, ApiRequest, Method};
use crate::core::validate::ValidIncoming;
use crate::core::version::Features;

/// Visible suffix of the copy's name.
pub const SUFFIX: &str = " (rotated)";

/// The copy's name: the original name (without an earlier suffix) plus [`SUFFIX`].
pub fn rotated_name(name: &str) -> String {
    format!("{}{SUFFIX}", original_name(name))
}

/// The name without [`SUFFIX`], to offer renaming the copy back once the old hook is gone.
pub fn original_name(name: &str) -> &str {
    name.strip_suffix(SUFFIX).unwrap_or(name)
}

/// The `integrations.create` body of the copy: every setting of the stored hook, its name
/// with [`SUFFIX`], no token (the server makes a new one), version-gated keys as
/// [`Features`] allows.
pub fn copy_body(stored: &Incoming, features: &Features) -> Value {
    // Through the field table, as every other request body: the stored hook was accepted
    // by this server, so it is sent as it is, under a new name and without its id.
    let mut form = IncomingForm::from_stored(stored);
    form.id = None;
    form.set_text(Field::Name, rotated_name(&stored.common.name));
    request::incoming_body(&ValidIncoming {
        features: *features,
        form,
    })
}

/// The create request for the copy.
pub fn copy_request(stored: &Incoming, features: &Features) -> ApiRequest {
    ApiRequest {
        method: Method::Post,
        path: "/api/v1/integrations.create".to_owned(),
        body: Some(copy_body(stored, features)),
    }
}

/// An old hook and its rotated copy, both still in the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RotationPair {
    /// `_id` of the old hook (still enabled).
    pub old_id: String,
    /// `_id` of the copy.
    pub new_id: String,
}

/// Which side of a rotation an integration is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The old hook: disable or delete it once senders use the new URL.
    Old,
    /// The rotated copy.
    New,
}

/// Whether `new` is a rotated copy of `old`: both incoming, `new` named with [`SUFFIX`] after
/// `old`'s original name, same rooms and post-as user, `old` still enabled, and `new` not
/// created before `old` (when both dates read).
pub fn is_copy_of(old: &Incoming, new: &Incoming) -> bool {
    let (o, n) = (&old.common, &new.common);
    o.id != n.id
        && o.enabled
        && n.name.ends_with(SUFFIX)
        && original_name(&o.name) == original_name(&n.name)
        && o.channel == n.channel
        && o.username == n.username
        && !created_before(n, o)
}

fn created_before(a: &crate::core::model::Common, b: &crate::core::model::Common) -> bool {
    match (created(a), created(b)) {
        (Some(x), Some(y)) => x < y,
        _ => false,
    }
}

fn created(c: &crate::core::model::Common) -> Option<i64> {
    c.created_at.as_deref().and_then(parse_time)
}

/// The rotation pairs of a list: each copy is paired with the newest matching old hook, and
/// each old hook with its newest copy. A pair ends when the old hook is disabled or deleted.
pub fn pairs(list: &[Integration]) -> Vec<RotationPair> {
    let incoming: Vec<&Incoming> = list
        .iter()
        .filter_map(|i| match i {
            Integration::Incoming(x) => Some(x),
            Integration::Outgoing(_) => None,
        })
        .collect();
    let mut found: Vec<(RotationPair, Option<i64>)> = Vec::new();
    for new in &incoming {
        let old = incoming
            .iter()
            .filter(|old| is_copy_of(old, new))
            .max_by_key(|old| created(&old.common));
        let Some(old) = old else { continue };
        let when = created(&new.common);
        let pair = RotationPair {
            old_id: old.common.id.clone(),
            new_id: new.common.id.clone(),
        };
        match found.iter_mut().find(|(p, _)| p.old_id == pair.old_id) {
            Some(slot) if slot.1 < when => *slot = (pair, when),
            Some(_) => {}
            None => found.push((pair, when)),
        }
    }
    found.into_iter().map(|(p, _)| p).collect()
}

/// The role of one integration among `pairs`, for a badge in the list.
pub fn role(pairs: &[RotationPair], id: &str) -> Option<Role> {
    pairs.iter().find_map(|p| {
        if p.old_id == id {
            Some(Role::Old)
        } else if p.new_id == id {
            Some(Role::New)
        } else {
            None
        }
    })
}
