//! Error decoding: every body of spec §1.5, every error id of §3.11, and non-JSON answers.

use hookpanel::core::errors::{decode, explain, strip_suffix_id, ApiError, TransportFailure};
use hookpanel::core::field::Field;
use serde_json::{json, Value};

fn err(status: u16, body: Value) -> ApiError {
    decode(Some(status), &body.to_string(), None).expect_err("error expected")
}

#[test]
fn success_bodies_pass_through() {
    let ok = decode(Some(200), r#"{"integrations":[],"success":true}"#, None).unwrap();
    assert_eq!(ok["success"], json!(true));
    assert_eq!(
        decode(Some(200), r#"{"version":"8.8"}"#, None).unwrap()["version"],
        json!("8.8")
    );
    assert!(matches!(
        decode(
            Some(200),
            r#"{"success":false,"error":"Invalid integration type."}"#,
            None
        ),
        Err(ApiError::Failed { .. })
    ));
}

#[test]
fn schema_errors_in_both_spellings() {
    let legacy = err(
        400,
        json!({
            "success": false,
            "error": "must have required property 'channel'\n must match exactly one schema in oneOf [invalid-params]",
            "errorType": "invalid-params"
        }),
    );
    match &legacy {
        ApiError::InvalidParams { message, property } => {
            assert!(!message.contains("[invalid-params]"));
            assert_eq!(property.as_deref(), Some("channel"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(legacy.field(), Some(Field::Channel));
    assert!(legacy.display().contains("Channel"));

    let typed = err(
        400,
        json!({
            "success": false,
            "errorType": "error-invalid-params",
            "error": "must have required property 'username'"
        }),
    );
    assert_eq!(typed.field(), Some(Field::PostAs));
    let path = err(
        400,
        json!({"success": false, "errorType": "error-invalid-params", "error": "/urls/0 must NOT have fewer than 1 characters"}),
    );
    assert_eq!(path.field(), Some(Field::Urls));
    let extra = err(
        400,
        json!({"success": false, "errorType": "error-invalid-params", "error": "must NOT have additional properties\n must match exactly one schema in oneOf"}),
    );
    assert_eq!(extra.field(), None);
    assert!(extra.display().contains("malformed"));
    // "/username" must not be read as "/urls" or "name".
    let user = err(
        400,
        json!({"success": false, "errorType": "error-invalid-params", "error": "/username must be string"}),
    );
    assert_eq!(user.field(), Some(Field::PostAs));
}

#[test]
fn business_rule_bodies() {
    let e = err(
        400,
        json!({
            "success": false,
            "error": "Invalid room [error-invalid-room]",
            "errorType": "error-invalid-room",
            "details": {"method": "addIncomingIntegration"}
        }),
    );
    match &e {
        ApiError::Rejected {
            id,
            message,
            details,
        } => {
            assert_eq!(id, "error-invalid-room");
            assert_eq!(message, "Invalid room");
            assert_eq!(
                details.as_ref().unwrap()["method"],
                json!("addIncomingIntegration")
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(e.field(), Some(Field::Channel));
    assert_eq!(e.server_message(), "Invalid room");
    // Reason-less `[id]` bodies.
    let bare = err(
        400,
        json!({"success": false, "error": "[not_authorized]", "errorType": "not_authorized"}),
    );
    assert!(matches!(bare, ApiError::Forbidden { .. }));
    assert_eq!(bare.id(), Some("not_authorized"));
    // A suffix without errorType still yields the id.
    let suffix = err(
        400,
        json!({"success": false, "error": "Invalid URLs [error-invalid-urls]"}),
    );
    assert_eq!(suffix.id(), Some("error-invalid-urls"));
    assert_eq!(suffix.field(), Some(Field::Urls));
}

#[test]
fn plain_errors() {
    let e = err(
        400,
        json!({"success": false, "error": "Invalid integration type."}),
    );
    assert_eq!(
        e,
        ApiError::Failed {
            message: "Invalid integration type.".into()
        }
    );
    assert_eq!(e.display(), "Invalid integration type.");
    assert_eq!(e.field(), None);
    for text in [
        "No integration found.",
        "The integration does not exists.",
        "Invalid integration id.",
    ] {
        assert!(
            matches!(
                err(400, json!({"success": false, "error": text})),
                ApiError::NotFound { .. }
            ),
            "{text}"
        );
    }
    let get_refused = err(400, json!({"success": false, "error": "not-authorized"}));
    assert!(matches!(get_refused, ApiError::Forbidden { .. }));
    let frozen = err(
        400,
        json!({"success": false, "error": "integration-scripts-disabled"}),
    );
    assert_eq!(frozen.field(), Some(Field::Script));
    assert!(frozen.display().contains("frozen"));
}

#[test]
fn unauthorized_in_every_generation() {
    let modern = err(
        401,
        json!({
            "success": false,
            "error": "You must be logged in to do this.",
            "status": "error",
            "message": "You must be logged in to do this."
        }),
    );
    let restivus = err(
        401,
        json!({"status": "error", "message": "You must be logged in to do this."}),
    );
    let v9 = err(401, json!({"success": false, "error": "unauthorized"}));
    for e in [&modern, &restivus, &v9] {
        assert!(
            matches!(
                e,
                ApiError::Unauthorized {
                    two_factor: None,
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(e.needs_login());
        assert_eq!(e.status(), Some(401));
        assert!(e.display().contains("Log in again"));
    }
    assert_eq!(
        restivus.server_message(),
        "You must be logged in to do this."
    );
}

#[test]
fn two_factor_login_answers() {
    let e = err(
        401,
        json!({
            "success": false, "status": "error", "error": "totp-required", "message": "TOTP Required",
            "details": {"method": "email", "codeGenerated": true, "availableMethods": ["email"]}
        }),
    );
    match &e {
        ApiError::Unauthorized {
            two_factor: Some(tf),
            message,
        } => {
            assert_eq!(tf.method, "email");
            assert!(!tf.invalid);
            assert_eq!(message, "TOTP Required");
        }
        other => panic!("{other:?}"),
    }
    assert!(!e.needs_login());
    assert!(e.display().contains("e-mail"));
    let bad = err(
        401,
        json!({"error": "totp-invalid", "message": "TOTP Invalid", "details": {"method": "totp"}}),
    );
    assert!(bad.display().contains("not accepted"));
}

#[test]
fn forbidden_in_every_generation() {
    let bodies = [
        json!({"success": false, "error": "User does not have the permissions required for this action [error-unauthorized]"}),
        json!({"success": false, "error": "unauthorized"}),
        json!({"success": false, "error": "Unauthorized", "errorType": "error-forbidden"}),
    ];
    for body in bodies {
        let e = err(403, body.clone());
        assert!(matches!(e, ApiError::Forbidden { .. }), "{body}");
        assert!(!e.server_message().contains('['), "{body}");
        assert_eq!(e.display(), "Your role does not allow this action.");
    }
    let e = err(
        403,
        json!({"success": false, "error": "User does not have the permissions required for this action [error-unauthorized]"}),
    );
    assert_eq!(e.id(), Some("error-unauthorized"));
    assert_eq!(
        e.server_message(),
        "User does not have the permissions required for this action"
    );
}

#[test]
fn rate_limit_wait_is_parsed() {
    let e = err(
        429,
        json!({
            "success": false,
            "error": "Error, too many requests. Please slow down. You must wait 42 seconds before trying this endpoint again. [error-too-many-requests]"
        }),
    );
    assert_eq!(e.wait_seconds(), Some(42));
    assert!(e.display().contains("Wait 42 seconds"));
    assert!(e.is_transient());
    let unknown = decode(Some(429), "", None).unwrap_err();
    assert_eq!(unknown, ApiError::EmptyBody { status: 429 });
    let no_number = err(429, json!({"success": false, "error": "slow down"}));
    assert_eq!(no_number.wait_seconds(), None);
    assert!(no_number.display().contains("Wait a minute"));
}

#[test]
fn server_errors() {
    let e = err(
        500,
        json!({"success": false, "error": "Internal server error"}),
    );
    assert_eq!(
        e,
        ApiError::Server {
            status: 500,
            message: "Internal server error".into()
        }
    );
    assert!(e.is_transient());
    assert!(e.display().contains("internal error"));
}

#[test]
fn non_json_answers() {
    let html = decode(
        Some(502),
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
        None,
    )
    .unwrap_err();
    assert!(matches!(
        html,
        ApiError::NotJson {
            status: 502,
            html: true,
            ..
        }
    ));
    assert!(html.display().contains("web page"));
    assert!(html.is_transient());
    let login_page = decode(Some(200), "<!DOCTYPE html><title>Sign in</title>", None).unwrap_err();
    assert!(matches!(
        login_page,
        ApiError::NotJson {
            status: 200,
            html: true,
            ..
        }
    ));
    let text = decode(
        Some(405),
        "CORS not enabled. Go to \"Admin > General > REST Api\" to enable it.",
        None,
    )
    .unwrap_err();
    assert!(matches!(
        text,
        ApiError::NotJson {
            status: 405,
            html: false,
            ..
        }
    ));
    assert!(text.display().contains("CORS not enabled"));
    assert_eq!(
        decode(Some(200), "  \n", None).unwrap_err(),
        ApiError::EmptyBody { status: 200 }
    );
    assert!(decode(Some(504), "", None)
        .unwrap_err()
        .display()
        .contains("proxy"));
    let long = "x".repeat(5000);
    match decode(Some(200), &long, None).unwrap_err() {
        ApiError::NotJson { snippet, .. } => assert!(snippet.chars().count() <= 201),
        other => panic!("{other:?}"),
    }
}

#[test]
fn transport_failures() {
    assert_eq!(
        decode(None, "", Some(TransportFailure::Network)).unwrap_err(),
        ApiError::Network
    );
    assert_eq!(
        decode(Some(200), "{}", Some(TransportFailure::Timeout)).unwrap_err(),
        ApiError::Timeout
    );
    assert_eq!(decode(None, "{}", None).unwrap_err(), ApiError::Network);
    assert!(ApiError::Network.display().contains("CORS"));
    assert_eq!(ApiError::Timeout.status(), None);
}

#[test]
fn other_statuses() {
    let e = err(
        404,
        json!({"status": "error", "message": "API endpoint \"/api/v1/integrations.get\" not found"}),
    );
    assert!(matches!(e, ApiError::Unexpected { status: 404, .. }));
    assert!(e.display().contains("too old"));
    let odd = decode(Some(400), "[1,2]", None).unwrap_err();
    assert_eq!(
        odd,
        ApiError::Failed {
            message: "[1,2]".into()
        }
    );
    let object_error = err(400, json!({"success": false, "error": {"nested": true}}));
    assert!(matches!(object_error, ApiError::Failed { .. }));
}

/// (errorType, reason, field, variant name, words the display must contain)
const CATALOGUE: [(&str, &str, Option<Field>, &str, &str); 21] = [
    ("not_authorized", "Unauthorized", None, "Forbidden", "role"),
    (
        "error-invalid-channel",
        "Invalid Channel",
        Some(Field::Channel),
        "Rejected",
        "not a member of this room",
    ),
    (
        "error-invalid-channel-start-with-chars",
        "Invalid channel. Start with @ or #",
        Some(Field::Channel),
        "Rejected",
        "Start each channel",
    ),
    (
        "error-invalid-room",
        "Invalid room",
        Some(Field::Channel),
        "Rejected",
        "does not exist",
    ),
    (
        "error-invalid-username",
        "Invalid username",
        Some(Field::PostAs),
        "Rejected",
        "username",
    ),
    (
        "error-invalid-user",
        "Invalid user (did you delete the `rocket.cat` user?)",
        Some(Field::PostAs),
        "Rejected",
        "rocket.cat",
    ),
    (
        "error-invalid-post-as-user",
        "Invalid Post As User",
        Some(Field::PostAs),
        "Rejected",
        "renamed or deleted",
    ),
    (
        "error-invalid-integration",
        "Invalid integration",
        None,
        "NotFound",
        "no longer exists",
    ),
    (
        "invalid_integration",
        "[methods] updateOutgoingIntegration -> integration not found",
        None,
        "NotFound",
        "no longer exists",
    ),
    (
        "error-invalid-event-type",
        "Invalid event type",
        Some(Field::Event),
        "Rejected",
        "event",
    ),
    (
        "error-invalid-targetRoom",
        "Invalid Target Room",
        Some(Field::TargetRoom),
        "Rejected",
        "target room",
    ),
    (
        "error-invalid-urls",
        "Invalid URLs",
        Some(Field::Urls),
        "Rejected",
        "URL",
    ),
    (
        "error-invalid-triggerWords",
        "Invalid triggerWords",
        Some(Field::TriggerWords),
        "Rejected",
        "trigger words",
    ),
    (
        "error-invalid-permissions",
        "Invalid permission for required Integration creation.",
        Some(Field::Event),
        "Rejected",
        "does not watch a channel",
    ),
    (
        "error-invalid-token",
        "Invalid token",
        Some(Field::Token),
        "Rejected",
        "token",
    ),
    (
        "error-invalid-integration-history",
        "Invalid Integration History",
        None,
        "NotFound",
        "no longer exists",
    ),
    (
        "integration-scripts-disabled",
        "",
        Some(Field::Script),
        "Rejected",
        "frozen",
    ),
    (
        "integration-scripts-isolated-vm-disabled",
        "",
        Some(Field::Script),
        "Rejected",
        "isolated-vm",
    ),
    (
        "integration-scripts-vm2-disabled",
        "",
        Some(Field::Script),
        "Rejected",
        "vm2",
    ),
    (
        "error-invalid-sort",
        "Invalid sort parameter provided: \"x\"",
        None,
        "Rejected",
        "list parameters",
    ),
    (
        "error-invalid-fields",
        "Invalid fields parameter provided",
        None,
        "Rejected",
        "list parameters",
    ),
];

fn variant(e: &ApiError) -> &'static str {
    match e {
        ApiError::Forbidden { .. } => "Forbidden",
        ApiError::Rejected { .. } => "Rejected",
        ApiError::NotFound { .. } => "NotFound",
        ApiError::Failed { .. } => "Failed",
        _ => "other",
    }
}

#[test]
fn every_catalogued_id_maps_to_field_and_words() {
    for (id, reason, field, kind, words) in CATALOGUE {
        let error = if reason.is_empty() {
            format!("[{id}]")
        } else {
            format!("{reason} [{id}]")
        };
        let e = err(
            400,
            json!({"success": false, "error": error, "errorType": id}),
        );
        assert_eq!(variant(&e), kind, "{id}");
        assert_eq!(e.field(), field, "{id}");
        assert_eq!(e.id(), Some(id), "{id}");
        assert!(e.display().contains(words), "{id}: {}", e.display());
        assert!(!e.server_message().contains(&format!("[{id}]")), "{id}");
        if field.is_some() {
            assert!(explain(id).is_some(), "{id} has a plain explanation");
        }
    }
}

#[test]
fn nine_point_oh_refusals() {
    for id in [
        "not_authorized",
        "not-authorized",
        "error-not-allowed",
        "not-allowed",
        "no-permission",
    ] {
        let old = err(
            400,
            json!({"success": false, "error": format!("Not allowed [{id}]"), "errorType": id}),
        );
        assert!(matches!(old, ApiError::Forbidden { .. }), "{id}");
    }
    let new = err(
        403,
        json!({"success": false, "error": "Not allowed", "errorType": "error-forbidden"}),
    );
    assert!(matches!(new, ApiError::Forbidden { .. }));
}

#[test]
fn unknown_ids_fall_back_to_the_server_text() {
    let e = err(
        400,
        json!({"success": false, "error": "Something new [error-brand-new]", "errorType": "error-brand-new"}),
    );
    assert_eq!(e.display(), "Something new");
    assert_eq!(e.field(), None);
    let bare = err(
        400,
        json!({"success": false, "error": "[error-brand-new]", "errorType": "error-brand-new"}),
    );
    assert!(bare.display().contains("error-brand-new"));
}

#[test]
fn suffix_stripping() {
    assert_eq!(
        strip_suffix_id("Invalid room [error-invalid-room]"),
        ("Invalid room".into(), Some("error-invalid-room".into()))
    );
    assert_eq!(
        strip_suffix_id("[not_authorized]"),
        (String::new(), Some("not_authorized".into()))
    );
    assert_eq!(
        strip_suffix_id("see [the docs]"),
        ("see [the docs]".into(), None)
    );
    assert_eq!(strip_suffix_id("]"), ("]".into(), None));
    assert_eq!(strip_suffix_id("[]"), ("[]".into(), None));
}

#[test]
fn decode_with_reads_and_writes_with_the_json_it_is_given() {
    use hookpanel::core::errors::{decode_with, JsonText, SERDE_JSON};
    let answer = r#"{"success":true,"n":1}"#;
    let given = JsonText {
        parse: |_| Some(json!({"success": true, "by": "given"})),
        write: |_| "written".into(),
    };
    assert_eq!(
        decode_with(Some(200), answer, None, given),
        Ok(json!({"success": true, "by": "given"}))
    );
    let refusing = JsonText {
        parse: |_| None,
        ..SERDE_JSON
    };
    assert!(matches!(
        decode_with(Some(200), answer, None, refusing),
        Err(ApiError::NotJson {
            status: 200,
            html: false,
            ..
        })
    ));
    assert_eq!(
        decode_with(Some(200), answer, None, SERDE_JSON),
        decode(Some(200), answer, None)
    );
    // An odd error value (not text) and a body that is not an object are shown as JSON text,
    // written by the writer given.
    let writing = JsonText {
        write: |_| "written".into(),
        ..SERDE_JSON
    };
    assert_eq!(
        decode_with(
            Some(400),
            r#"{"success":false,"error":{"a":1}}"#,
            None,
            writing
        ),
        Err(ApiError::Failed {
            message: "written".into()
        })
    );
    assert_eq!(
        decode_with(Some(400), "[1,2]", None, writing),
        Err(ApiError::Failed {
            message: "written".into()
        })
    );
    assert_eq!(
        decode(Some(400), r#"{"success":false,"error":{"a":1}}"#, None),
        Err(ApiError::Failed {
            message: r#"{"a":1}"#.into()
        })
    );
}
