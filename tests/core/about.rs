//! The "About this server" facts: features by version and permissions in plain words.

use hookpanel::core::about::{feature_rows, permission_rows, permission_summary, version_label};
use hookpanel::core::permissions::Permissions;
use hookpanel::core::version::{Features, ServerVersion};

fn at(major: u32, minor: u32) -> Features {
    Features::for_version(Some(ServerVersion::new(major, minor, 0)))
}

fn has(f: &Features, label_start: &str) -> bool {
    feature_rows(f)
        .iter()
        .find(|(label, _)| label.starts_with(label_start))
        .unwrap_or_else(|| panic!("no row {label_start:?}"))
        .1
}

#[test]
fn feature_rows_follow_the_version_table() {
    // (version, server filters, script engine, skip transpile, REST clear/replay, post-as change, strict)
    let cases = [
        ((6, 3), [false, false, false, false, false, false]),
        ((6, 13), [false, true, false, false, false, false]),
        ((7, 10), [true, true, false, false, true, false]),
        ((8, 4), [true, true, true, false, true, false]),
        ((8, 8), [true, true, true, true, true, false]),
        ((9, 0), [true, true, false, true, true, true]),
    ];
    for ((major, minor), expected) in cases {
        let f = at(major, minor);
        let got = [
            has(&f, "Filter the list"),
            has(&f, "Choose the script engine"),
            has(&f, "Skip transpiling"),
            has(&f, "Clear and replay"),
            has(&f, "Change the “Post as”"),
            has(&f, "Scripts run as written"),
        ];
        assert_eq!(got, expected, "{major}.{minor}");
        assert!(has(&f, "Change an integration in place"));
    }
}

#[test]
fn permission_rows_list_the_four_ids() {
    let p = Permissions {
        manage_own_incoming: true,
        manage_own_outgoing: true,
        ..Permissions::default()
    };
    assert_eq!(
        permission_rows(&p),
        [
            ("manage-incoming-integrations", false),
            ("manage-own-incoming-integrations", true),
            ("manage-outgoing-integrations", false),
            ("manage-own-outgoing-integrations", true),
        ]
    );
}

#[test]
fn permission_summary_says_what_each_role_may_do() {
    let admin = permission_summary(&Permissions::all()).join(" ");
    assert!(admin.contains("every incoming webhook") && admin.contains("every outgoing webhook"));
    assert!(
        !admin.contains("member of every #room"),
        "admins hold both permissions"
    );

    let owner = permission_summary(&Permissions {
        manage_own_incoming: true,
        manage_own_outgoing: true,
        ..Permissions::default()
    })
    .join(" ");
    assert!(owner.contains("only those you created"), "{owner}");
    assert!(owner.contains("events without a channel"), "{owner}");
    assert!(owner.contains("member of every #room"), "{owner}");
    assert!(!owner.contains("every incoming webhook"), "{owner}");

    // Full without own (the sandbox's carol): everything, but membership still applies.
    let manager = permission_summary(&Permissions {
        manage_incoming: true,
        manage_outgoing: true,
        ..Permissions::default()
    })
    .join(" ");
    assert!(manager.contains("every outgoing webhook"), "{manager}");
    assert!(manager.contains("member of every #room"), "{manager}");
    assert!(!manager.contains("events without a channel"), "{manager}");

    let incoming_only = permission_summary(&Permissions {
        manage_incoming: true,
        manage_own_incoming: true,
        ..Permissions::default()
    })
    .join(" ");
    assert!(
        incoming_only.contains("You cannot manage outgoing webhooks."),
        "{incoming_only}"
    );

    let nobody = permission_summary(&Permissions::default());
    assert_eq!(nobody.len(), 1);
    assert!(
        nobody[0].contains("cannot manage integrations"),
        "{nobody:?}"
    );
}

#[test]
fn the_version_label_shows_what_the_server_said() {
    let label = |text: &str| {
        version_label(&Features::from_info(
            &serde_json::json!({ "version": text }),
        ))
    };
    assert_eq!(label("8.8"), "8.8");
    assert_eq!(label("8.8.1"), "8.8.1");
    assert_eq!(label("9.0.0-rc.3"), "9.0");
    assert!(label("banana").starts_with("unknown"));
    let full = Features::from_info(
        &serde_json::json!({ "version": "8.8", "info": { "version": "8.8.1" } }),
    );
    assert_eq!(version_label(&full), "8.8.1");
}
