//! Stored documents as servers send them (spec §5), read tolerantly.

use crate::support::{stored_incoming, stored_outgoing};
use hookpanel::core::model::{
    parse_history, parse_integration_response, parse_list, HistoryStatus, Integration, Kind,
    ModelError, OutgoingEvent, ScriptStatus,
};
use serde_json::json;

fn read(v: serde_json::Value) -> Integration {
    Integration::from_json(&v).expect("integration")
}

#[test]
fn reads_a_complete_incoming_document() {
    let Integration::Incoming(i) = read(stored_incoming()) else {
        panic!("kind")
    };
    assert_eq!(i.common.id, "66a1f0c2e4b0a1b2c3d4e5f6");
    assert_eq!(i.common.name, "CI notices");
    assert!(!i.common.enabled);
    assert_eq!(i.common.channel, vec!["#general", "@bob"]);
    assert_eq!(i.token.as_deref(), Some("AbCdEf/Gh+Ij="));
    assert_eq!(i.override_destination, Some(false));
    assert_eq!(i.common.alias.as_deref(), Some("CI"));
    assert_eq!(
        i.common.created_by.as_ref().map(|u| u.username.as_str()),
        Some("alice")
    );
    assert!(i.common.script.as_deref().unwrap().contains("\r\n\t"));
}

#[test]
fn reads_a_complete_outgoing_document() {
    let Integration::Outgoing(o) = read(stored_outgoing()) else {
        panic!("kind")
    };
    assert_eq!(o.event, OutgoingEvent::SendMessage);
    assert_eq!(o.urls.len(), 2);
    assert_eq!(o.trigger_words, vec!["!deploy", "!rollback"]);
    assert_eq!(o.retry_count, Some(6));
    assert_eq!(o.retry_delay.as_deref(), Some("powers-of-two"));
    assert_eq!(o.run_on_edits, Some(false));
    assert_eq!(o.retry_failed_calls, Some(false));
    assert_eq!(
        o.common.updated_by.as_ref().map(|u| u.id.as_str()),
        Some("u1")
    );
}

#[test]
fn tolerates_missing_fields_nulls_and_extras() {
    let i = read(json!({
        "type": "webhook-outgoing",
        "name": null,
        "username": 42,
        "channel": null,
        "urls": ["https://a.example", null, 3],
        "triggerWords": null,
        "retryCount": "7",
        "scriptError": null,
        "somethingNew": {"nested": true}
    }));
    let Integration::Outgoing(o) = i else {
        panic!()
    };
    assert_eq!(o.common.name, "");
    assert_eq!(o.common.username, "");
    assert!(o.common.channel.is_empty());
    assert_eq!(o.urls, vec!["https://a.example"]);
    assert!(o.trigger_words.is_empty());
    assert_eq!(o.retry_count, Some(7));
    assert_eq!(o.common.script_error, None);
    assert!(!o.common.enabled, "missing enabled reads as false");
    assert_eq!(o.event, OutgoingEvent::Other(String::new()));
}

#[test]
fn reads_the_old_avatar_url_key() {
    let i = read(json!({"type": "webhook-incoming", "avatarUrl": "https://x.example/a.png"}));
    assert_eq!(
        i.common().avatar.as_deref(),
        Some("https://x.example/a.png")
    );
    let both = read(json!({"type": "webhook-incoming", "avatar": "new", "avatarUrl": "old"}));
    assert_eq!(both.common().avatar.as_deref(), Some("new"));
}

#[test]
fn keeps_unknown_events_as_they_are() {
    let i = read(json!({"type": "webhook-outgoing", "event": "messageEdited"}));
    let Integration::Outgoing(o) = i else {
        panic!()
    };
    assert_eq!(o.event, OutgoingEvent::Other("messageEdited".into()));
    assert_eq!(o.event.as_str(), "messageEdited");
    assert_eq!(o.event.label(), "messageEdited");
    assert!(!o.event.is_known());
    assert!(o.event.uses_channel());
}

#[test]
fn event_table_follows_spec_3_6() {
    // (event, uses channel, uses trigger words, needs target room)
    let table = [
        ("sendMessage", true, true, false),
        ("fileUploaded", true, false, false),
        ("roomArchived", false, false, false),
        ("roomCreated", false, false, false),
        ("roomJoined", true, false, false),
        ("roomLeft", true, false, false),
        ("userCreated", false, false, true),
    ];
    for (name, channel, words, target) in table {
        let e = OutgoingEvent::parse(name);
        assert!(e.is_known(), "{name}");
        assert_eq!(e.as_str(), name);
        assert_eq!(e.uses_channel(), channel, "{name}");
        assert_eq!(e.uses_trigger_words(), words, "{name}");
        assert_eq!(e.needs_target_room(), target, "{name}");
    }
    assert_eq!(OutgoingEvent::KNOWN.len(), table.len());
}

#[test]
fn old_string_shapes_are_split() {
    let i = read(json!({
        "type": "webhook-outgoing",
        "channel": "#a, #b,",
        "triggerWords": "!a, !b",
        "urls": "https://one.example"
    }));
    let Integration::Outgoing(o) = i else {
        panic!()
    };
    assert_eq!(o.common.channel, vec!["#a", "#b"]);
    assert_eq!(o.trigger_words, vec!["!a", "!b"]);
    assert_eq!(o.urls, vec!["https://one.example"]);
}

#[test]
fn rejects_what_is_not_a_webhook() {
    assert_eq!(
        Integration::from_json(&json!([1])),
        Err(ModelError::NotAnObject)
    );
    assert_eq!(
        Integration::from_json(&json!({})),
        Err(ModelError::MissingType)
    );
    assert_eq!(
        Integration::from_json(&json!({"type": "webhook-zapier"})),
        Err(ModelError::UnknownType("webhook-zapier".into()))
    );
    assert!(ModelError::UnknownType("x".into())
        .message()
        .contains("“x”"));
}

#[test]
fn script_status_reports_compile_errors() {
    let mut doc = stored_incoming();
    doc["scriptEnabled"] = json!(true);
    doc["scriptError"] =
        json!({"name": "SyntaxError", "message": "Unexpected token", "stack": "…"});
    let i = read(doc.clone());
    match i.common().script_status() {
        ScriptStatus::Failed(e) => assert_eq!(e.summary(), "SyntaxError: Unexpected token"),
        other => panic!("{other:?}"),
    }
    doc["scriptError"] = json!(null);
    doc["scriptCompiled"] = json!("compiled();");
    assert_eq!(
        read(doc.clone()).common().script_status(),
        ScriptStatus::Compiled
    );
    doc["scriptEnabled"] = json!(false);
    assert_eq!(read(doc).common().script_status(), ScriptStatus::NotUsed);
}

#[test]
fn list_page_skips_foreign_rows_and_keeps_total() {
    let page = parse_list(&json!({
        "integrations": [stored_incoming(), {"type": "webhook-zapier"}, 5, stored_outgoing()],
        "offset": 50, "items": 4, "count": 4, "total": 120, "success": true
    }));
    assert_eq!(page.integrations.len(), 2);
    assert_eq!(page.skipped, 2);
    assert_eq!(page.total, 120);
    assert_eq!(page.offset, 50);
    assert_eq!(page.integrations[1].kind(), Kind::Outgoing);
    let empty = parse_list(&json!("garbage"));
    assert!(empty.integrations.is_empty());
    assert_eq!(empty.total, 0);
}

#[test]
fn integration_response_is_unwrapped() {
    let got =
        parse_integration_response(&json!({"integration": stored_outgoing(), "success": true}));
    assert_eq!(got.map(|i| i.kind()), Some(Kind::Outgoing));
    assert_eq!(
        parse_integration_response(&json!({"integration": null})),
        None
    );
}

#[test]
fn display_helpers() {
    let i = read(stored_incoming());
    assert_eq!(i.channel_text(), "#general, @bob");
    assert_eq!(i.created_by_id(), Some("u1"));
    assert!(i.matches("ci", None));
    assert!(i.matches("", Some(Kind::Incoming)));
    assert!(!i.matches("deploy", None));
    assert!(!i.matches("ci", Some(Kind::Outgoing)));
    let nameless = read(json!({"type": "webhook-incoming", "channel": ["#x"]}));
    assert_eq!(nameless.display_name(), "#x");
}

#[test]
fn history_rows_are_read_defensively() {
    let page = parse_history(&json!({
        "history": [
            {"_id": "h1", "integration": {"_id": "i1"}, "event": "sendMessage",
             "step": "finished", "finished": true, "error": false,
             "httpResult": "{\"ok\":1}", "data": {"user": {"username": "bob"}}},
            {"_id": "h2", "step": "failed", "error": true, "errorStack": ["odd"], "httpError": {"code": "ECONNREFUSED"}},
            {"_id": "h3", "finished": false},
            "not an object",
            {"_id": "h5", "error": {"message": "boom"}, "httpResult": {"json": true}}
        ],
        "total": 2, "offset": 0
    }));
    assert_eq!(page.entries.len(), 5);
    assert_eq!(page.total, 5, "total never below what was received");
    assert_eq!(page.entries[0].status(), HistoryStatus::Success);
    assert_eq!(page.entries[0].integration_id, "i1");
    assert_eq!(page.entries[0].sections[0].0, "data");
    assert_eq!(page.entries[1].status(), HistoryStatus::Failure);
    assert_eq!(page.entries[1].error_stack.as_deref(), Some("[\"odd\"]"));
    assert_eq!(page.entries[2].status(), HistoryStatus::InProgress);
    assert_eq!(page.entries[3].id, "");
    assert_eq!(page.entries[4].status(), HistoryStatus::Failure);
    assert_eq!(
        page.entries[4].http_result.as_deref(),
        Some("{\"json\":true}")
    );
}

#[test]
fn history_fields_sent_as_json_are_written_by_the_writer_given() {
    // The app passes the browser's JSON.stringify; every non-text field goes through it.
    let write: fn(&serde_json::Value) -> String =
        |v| format!("<{}>", v.as_array().map_or(0, Vec::len));
    let page = hookpanel::core::model::parse_history_with(
        &json!({"history": [
            {"_id": "h1", "error": true, "errorStack": ["a", "b"], "httpResult": [1], "httpError": [1, 2, 3]},
            {"_id": "h2", "httpResult": "text", "httpError": {"message": "ECONNREFUSED"}}
        ]}),
        write,
    );
    let [odd, plain] = &page.entries[..] else {
        panic!("two rows")
    };
    assert_eq!(odd.error_stack.as_deref(), Some("<2>"));
    assert_eq!(odd.http_result.as_deref(), Some("<1>"));
    assert_eq!(odd.outcome(), "No answer: <3>");
    assert_eq!(plain.http_result.as_deref(), Some("text"));
    assert_eq!(plain.outcome(), "No answer: ECONNREFUSED");
}

#[test]
fn ejson_dates_are_unwrapped() {
    let i = read(json!({"type": "webhook-incoming", "_createdAt": {"$date": 1714557600000u64}}));
    assert_eq!(i.common().created_at.as_deref(), Some("1714557600000"));
}

#[test]
fn history_outcomes_are_plain_words() {
    let row = |v: serde_json::Value| hookpanel::core::model::HistoryEntry::from_json(&v).outcome();
    let cases = [
        (
            json!({"step": "after-process-http-status-500", "error": true}),
            "HTTP 500",
        ),
        (
            json!({"step": "going-to-retry-2", "error": true}),
            "Failed; retry 2 scheduled",
        ),
        (
            json!({"step": "url-response-sent-message", "finished": true}),
            "Answered; the reply was posted",
        ),
        (
            json!({"step": "too-many-retries", "error": true}),
            "Failed; gave up after the last retry",
        ),
        (
            json!({"step": "failed-and-not-configured-to-retry"}),
            "Failed; retries are off",
        ),
        (
            json!({"step": "failed-and-retry-delay-is-invalid"}),
            "Failed; the retry delay is invalid",
        ),
        (
            json!({"step": "after-http-call", "httpError": {"name": "FetchError", "message": "connect ECONNREFUSED"}}),
            "No answer: connect ECONNREFUSED",
        ),
        (
            json!({"step": "after-http-call", "httpError": "odd"}),
            "No answer: \"odd\"",
        ),
        (
            json!({"step": "start-execute-trigger-url"}),
            "start execute trigger url",
        ),
        (json!({}), "No step recorded"),
    ];
    for (v, expected) in cases {
        assert_eq!(row(v.clone()), expected, "{v}");
    }
}
