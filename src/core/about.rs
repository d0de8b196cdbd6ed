//! The "About this server" facts in plain words: what the server version supports (from
//! [`Features`]) and what the signed-in person's role allows (from [`Permissions`]).

use super::model::Kind;
use super::permissions::{
    Permissions, MANAGE_INCOMING, MANAGE_OUTGOING, MANAGE_OWN_INCOMING, MANAGE_OWN_OUTGOING,
};
use super::version::Features;

/// The version as the server told it: `8.8` when it gave no patch number (as `/api/info`
/// does for people without `view-statistics`), else `8.8.1`.
pub fn version_label(f: &Features) -> String {
    match f.version {
        Some(v) if v.patch == 0 => format!("{}.{}", v.major, v.minor),
        Some(v) => v.to_string(),
        None => "unknown: the server did not say".to_owned(),
    }
}

/// The version-dependent abilities a person notices, each with whether this server has it.
pub fn feature_rows(f: &Features) -> [(&'static str, bool); 7] {
    [
        ("Change an integration in place (3.4 and later)", f.has_update),
        ("Filter the list by name and kind on the server (7.0 and later)", f.list_filters),
        ("Choose the script engine (6.4 and later)", f.script_engine),
        ("Skip transpiling scripts (8.4 to 8.x)", f.skip_transpile),
        ("Clear and replay the outgoing history through the REST API (8.7 and later; older servers get the same through method calls)", f.clear_and_replay),
        ("Change the “Post as” user of an incoming webhook (7.6 and later)", f.post_as_change),
        ("Scripts run as written, in strict mode, without Babel (9.0 and later)", f.strict_scripts),
    ]
}

/// The four permission ids, each with whether the person holds it.
pub fn permission_rows(p: &Permissions) -> [(&'static str, bool); 4] {
    [
        (MANAGE_INCOMING, p.manage_incoming),
        (MANAGE_OWN_INCOMING, p.manage_own_incoming),
        (MANAGE_OUTGOING, p.manage_outgoing),
        (MANAGE_OWN_OUTGOING, p.manage_own_outgoing),
    ]
}

/// What the person may do, one sentence per fact, in the order they matter.
pub fn permission_summary(p: &Permissions) -> Vec<&'static str> {
    if let Err(reason) = p.can_open() {
        return vec![reason];
    }
    let mut lines: Vec<&'static str> = Kind::ALL
        .iter()
        .map(|&kind| match (kind, p.full(kind), p.own(kind)) {
            (Kind::Incoming, true, _) => "You can see, create, change and delete every incoming webhook.",
            (Kind::Incoming, false, true) => "You can create incoming webhooks, and see, change and delete only those you created.",
            (Kind::Incoming, false, false) => "You cannot manage incoming webhooks.",
            (Kind::Outgoing, true, _) => "You can see, create, change and delete every outgoing webhook.",
            (Kind::Outgoing, false, true) => "You can create outgoing webhooks, and see, change and delete only those you created.",
            (Kind::Outgoing, false, false) => "You cannot manage outgoing webhooks.",
        })
        .collect();
    if p.manage_own_outgoing && !p.manage_outgoing {
        lines.push("Outgoing webhooks for events without a channel, and watching all private groups or all direct messages, need the permission to manage all outgoing integrations.");
    }
    let member_rule = Kind::ALL
        .iter()
        .any(|&k| p.can_create(k).is_ok() && p.needs_membership(k));
    if member_rule {
        lines.push("You must be a member of every #room your webhooks target, and cannot target @users: only people with both the full and the own permission of a kind can.");
    }
    lines
}
