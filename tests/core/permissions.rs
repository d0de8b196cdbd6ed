//! The permission model of spec §4.

use hookpanel::core::channels::ChannelKeyword;
use hookpanel::core::model::{Integration, Kind, OutgoingEvent};
use hookpanel::core::permissions::{user_id_of, Permissions};
use serde_json::json;

fn list_all() -> serde_json::Value {
    json!({
        "update": [
            {"_id": "manage-incoming-integrations", "roles": ["admin"]},
            {"_id": "manage-own-incoming-integrations", "roles": ["admin", "bot-dev"]},
            {"_id": "manage-outgoing-integrations", "roles": ["admin"]},
            {"_id": "manage-own-outgoing-integrations", "roles": ["admin", "bot-dev"]},
            {"_id": "view-statistics", "roles": ["admin", "bot-dev"]},
            {"roles": ["bot-dev"]},
            "junk"
        ],
        "remove": [],
        "success": true
    })
}

fn own_only() -> Permissions {
    Permissions::from_api(
        &json!({"_id": "u2", "roles": ["user", "bot-dev"]}),
        &list_all(),
    )
}

fn doc(kind: &str, creator: &str) -> Integration {
    Integration::from_json(&json!({"type": kind, "_createdBy": {"_id": creator, "username": "x"}}))
        .unwrap()
}

#[test]
fn reads_roles_and_role_map() {
    assert_eq!(
        Permissions::from_api(&json!({"roles": ["admin"]}), &list_all()),
        Permissions::all()
    );
    let p = own_only();
    assert!(!p.manage_incoming && p.manage_own_incoming);
    assert!(!p.manage_outgoing && p.manage_own_outgoing);
    let login = json!({"status": "success", "data": {"userId": "u9", "me": {"roles": ["admin"]}}});
    assert_eq!(
        Permissions::from_api(&login, &list_all()),
        Permissions::all()
    );
    assert_eq!(user_id_of(&login).as_deref(), Some("u9"));
    assert_eq!(user_id_of(&json!({"_id": "u2"})).as_deref(), Some("u2"));
    assert_eq!(
        Permissions::from_api(&json!({"roles": "admin"}), &list_all()),
        Permissions::default()
    );
    assert_eq!(
        Permissions::from_api(&json!({"roles": ["admin"]}), &json!(null)),
        Permissions::default()
    );
    // A bare array (older shape) works too.
    let bare = json!([{"_id": "manage-outgoing-integrations", "roles": ["ops"]}]);
    assert!(Permissions::from_roles(&["ops".into()], &bare).manage_outgoing);
}

#[test]
fn open_and_create() {
    assert!(Permissions::default().can_open().is_err());
    let p = own_only();
    assert!(p.can_open().is_ok());
    assert!(p.can_create(Kind::Incoming).is_ok());
    let only_in = Permissions {
        manage_own_incoming: true,
        ..Permissions::default()
    };
    assert_eq!(
        only_in.can_create(Kind::Outgoing),
        Err("Your role cannot create outgoing webhooks.")
    );
}

#[test]
fn own_permission_reaches_only_own_integrations() {
    let p = own_only();
    assert!(p.can_edit(&doc("webhook-incoming", "u2"), "u2").is_ok());
    assert_eq!(
        p.can_edit(&doc("webhook-incoming", "u1"), "u2"),
        Err("Your role can only change integrations you created.")
    );
    assert!(p.can_delete(&doc("webhook-outgoing", "u1"), "u2").is_err());
    assert!(
        p.can_edit(&doc("webhook-outgoing", ""), "").is_err(),
        "empty ids never match"
    );
    assert!(Permissions::all()
        .can_edit(&doc("webhook-outgoing", "u1"), "u2")
        .is_ok());
    assert!(p
        .can_view_history(&doc("webhook-outgoing", "u2"), "u2")
        .is_ok());
    assert!(Permissions::all()
        .can_view_history(&doc("webhook-incoming", "u2"), "u2")
        .is_err());
}

#[test]
fn keywords_and_events() {
    let p = own_only();
    assert_eq!(
        p.allowed_keywords(),
        vec![ChannelKeyword::AllPublicChannels]
    );
    assert!(p.keyword_allowed(ChannelKeyword::AllPrivateGroups).is_err());
    assert_eq!(Permissions::all().allowed_keywords().len(), 3);
    assert!(p.can_use_event(&OutgoingEvent::SendMessage).is_ok());
    assert!(p.can_use_event(&OutgoingEvent::RoomCreated).is_err());
    assert!(p.can_use_event(&OutgoingEvent::UserCreated).is_err());
    assert!(Permissions::all()
        .can_use_event(&OutgoingEvent::RoomArchived)
        .is_ok());
}

#[test]
fn membership_and_user_targets_need_both_permissions() {
    let full_only = Permissions {
        manage_incoming: true,
        ..Permissions::default()
    };
    assert!(full_only.needs_membership(Kind::Incoming));
    assert!(full_only.can_target_users(Kind::Incoming).is_err());
    assert!(!Permissions::all().needs_membership(Kind::Outgoing));
    assert!(Permissions::all().can_target_users(Kind::Incoming).is_ok());
}
