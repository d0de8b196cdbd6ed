//! The field table: every form holds each field it shows with the table's input, ids are
//! unique, one label per field and kind in forms, validation and server errors, and the
//! enums of script engines and two-factor methods keep unknown server values.

use crate::support::{ctx, incoming_form, outgoing_form, stored_outgoing};
use hookpanel::core::engine::ScriptEngine;
use hookpanel::core::errors::{decode, ApiError, TwoFactorMethod};
use hookpanel::core::export;
use hookpanel::core::field::{Field, Input, Read, Start};
use hookpanel::core::form::{Form, IncomingForm, OutgoingForm};
use hookpanel::core::model::{Integration, Kind};
use hookpanel::core::request;
use hookpanel::core::validate;
use hookpanel::core::version::Features;
use serde_json::json;
use std::collections::HashSet;

fn forms() -> [Form; 2] {
    [
        Form::Incoming(IncomingForm::new()),
        Form::Outgoing(OutgoingForm::new("tok".into())),
    ]
}

#[test]
fn each_kind_holds_its_fields_as_the_table_says() {
    for form in forms() {
        let kind = form.kind();
        for field in Field::ALL {
            let spec = field.spec();
            if spec.kinds.has(kind) {
                assert_eq!(
                    form.is_text(field),
                    spec.input == Input::Text,
                    "{field:?} {kind:?}"
                );
                assert_eq!(
                    form.is_flag(field),
                    spec.input == Input::Flag,
                    "{field:?} {kind:?}"
                );
            } else if field != Field::OverrideDestination {
                // Outgoing keeps only the override flag hidden, for 6.3 updates.
                assert!(
                    !form.is_text(field) && !form.is_flag(field),
                    "{field:?} {kind:?}"
                );
            }
        }
    }
}

#[test]
fn each_rows_new_value_and_reading_fit_its_input() {
    for field in Field::ALL {
        let spec = field.spec();
        let flag = spec.input == Input::Flag;
        assert_eq!(spec.read == Read::Flag, flag, "{field:?}");
        match spec.start {
            Start::Empty => {}
            Start::On => assert!(flag, "{field:?}"),
            Start::Text(_) | Start::Engine | Start::Token => assert!(!flag, "{field:?}"),
        }
    }
}

#[test]
fn new_forms_start_with_the_official_defaults() {
    let Form::Outgoing(out) = &forms()[1] else {
        panic!("kind changed")
    };
    assert_eq!(out.text(Field::Event), "sendMessage");
    assert_eq!(out.text(Field::Token), "tok");
    assert_eq!(out.text(Field::RetryCount), "6");
    assert_eq!(out.text(Field::RetryDelay), "powers-of-ten");
    assert_eq!(
        out.text(Field::ScriptEngine),
        ScriptEngine::DEFAULT.as_str()
    );
    for field in [Field::Enabled, Field::RetryFailedCalls, Field::RunOnEdits] {
        assert!(out.flag(field), "{field:?}");
    }
    for field in [
        Field::ImpersonateUser,
        Field::ScriptEnabled,
        Field::TriggerWordAnywhere,
    ] {
        assert!(!out.flag(field), "{field:?}");
    }
    let inc = IncomingForm::new();
    assert!(inc.flag(Field::Enabled));
    assert!(!inc.flag(Field::OverrideDestination));
    assert_eq!(
        inc.text(Field::ScriptEngine),
        ScriptEngine::DEFAULT.as_str()
    );
    assert_eq!(inc.text(Field::Name), "");
}

#[test]
fn stored_documents_are_read_by_each_rows_decoding() {
    let doc = json!({
        "_id": "o1", "type": "webhook-outgoing", "event": "roomJoined",
        "channel": "#a, @b", "triggerWords": "x, y", "urls": ["https://a", "https://b"],
        "retryCount": 3.0, "avatarUrl": "https://old/a.png", "username": "bot",
    });
    let Ok(Integration::Outgoing(stored)) = Integration::from_json(&doc) else {
        panic!("not outgoing")
    };
    let f = OutgoingForm::from_stored(&stored);
    assert_eq!(f.text(Field::Event), "roomJoined");
    assert_eq!(f.text(Field::Channel), "#a, @b");
    assert_eq!(f.text(Field::TriggerWords), "x, y");
    assert_eq!(f.text(Field::Urls), "https://a\nhttps://b");
    assert_eq!(f.text(Field::RetryCount), "3");
    assert_eq!(f.text(Field::Avatar), "https://old/a.png");
    assert_eq!(f.text(Field::ScriptEngine), ScriptEngine::DEFAULT.as_str());
    assert_eq!(f.text(Field::RetryDelay), "");
    assert_eq!(f.text(Field::Token), "");
    // Missing toggles read as the server treats them, not as the new-form defaults.
    for field in [Field::Enabled, Field::RetryFailedCalls, Field::RunOnEdits] {
        assert!(!f.flag(field), "{field:?}");
    }
}

#[test]
fn switching_a_stored_integration_reaches_its_form() {
    let doc = json!({"_id": "i1", "type": "webhook-incoming", "enabled": false});
    let mut stored = Integration::from_json(&doc).expect("incoming");
    stored.set_enabled(true);
    assert!(stored.common().enabled);
    assert!(Form::from_stored(&stored).flag(Field::Enabled));
}

#[test]
fn ids_and_keys_are_unique() {
    let ids: HashSet<_> = Field::ALL.iter().map(|f| f.id()).collect();
    let keys: HashSet<_> = Field::ALL.iter().map(|f| f.api_key()).collect();
    assert_eq!(ids.len(), Field::ALL.len());
    assert_eq!(keys.len(), Field::ALL.len());
    assert!(Field::ALL.iter().all(|f| f.id().starts_with("field-")));
}

#[test]
fn a_new_form_shows_what_its_kind_lists() {
    let f = Features::latest();
    let incoming = Form::Incoming(IncomingForm::new());
    assert!(incoming.shows(Field::OverrideDestination, &f));
    assert!(!incoming.shows(Field::Urls, &f));
    let outgoing = Form::Outgoing(OutgoingForm::new("tok".into()));
    assert!(!outgoing.shows(Field::OverrideDestination, &f));
    assert!(outgoing.shows(Field::TriggerWords, &f));
    assert!(!outgoing.shows(Field::TargetRoom, &f));
    assert!(!Form::Incoming(IncomingForm::new())
        .shows(Field::ScriptEngine, &Features::for_version(None)));
}

#[test]
fn validation_and_server_errors_use_the_form_label() {
    let mut inc = incoming_form();
    inc.set_text(Field::Channel, String::new());
    let checked = validate::incoming(&inc, &ctx(Features::latest()));
    let problem = checked.problem_for(Field::Channel).unwrap();
    assert!(
        problem.summary().starts_with("Post to: "),
        "{}",
        problem.summary()
    );
    let mut out = outgoing_form();
    out.set_text(Field::Channel, String::new());
    let checked = validate::outgoing(&out, &ctx(Features::latest()));
    let problem = checked.problem_for(Field::Channel).unwrap();
    assert!(
        problem.summary().starts_with("Channel: "),
        "{}",
        problem.summary()
    );

    let body = json!({"success": false, "errorType": "invalid-params", "error": "must have required property 'channel'"});
    let e: ApiError = decode(Some(400), &body.to_string(), None).unwrap_err();
    assert!(
        e.display_in(Kind::Incoming).contains("value of Post to:"),
        "{}",
        e.display_in(Kind::Incoming)
    );
    assert!(e.display_in(Kind::Outgoing).contains("value of Channel:"));
}

#[test]
fn script_engines_parse_tolerantly_and_round_trip() {
    assert_eq!(ScriptEngine::parse("isolated-vm"), ScriptEngine::IsolatedVm);
    assert_eq!(ScriptEngine::parse("vm2"), ScriptEngine::Vm2);
    assert_eq!(
        ScriptEngine::parse("quickjs"),
        ScriptEngine::Other("quickjs".into())
    );
    assert_eq!(ScriptEngine::parse("quickjs").as_str(), "quickjs");
    assert_eq!(ScriptEngine::DEFAULT, "isolated-vm");
    let mut doc = stored_outgoing();
    doc["scriptEngine"] = json!("quickjs");
    let stored = Integration::from_json(&doc).unwrap();
    assert_eq!(
        stored.common().script_engine,
        Some(ScriptEngine::Other("quickjs".into()))
    );
    let exported = export::export(std::slice::from_ref(&stored), false);
    assert_eq!(
        exported["integrations"][0]["scriptEngine"],
        json!("quickjs")
    );
    // A form keeps the stored name; saving on a server without the engine choice sends none.
    let form = Form::from_stored(&stored);
    assert_eq!(form.text(Field::ScriptEngine), "quickjs");
    let valid = validate::form(&form, &ctx(Features::for_version(None)))
        .result
        .unwrap();
    let body = request::save(&valid).body.unwrap();
    assert!(body.get("scriptEngine").is_none());
}

#[test]
fn two_factor_methods_parse_tolerantly() {
    assert_eq!(TwoFactorMethod::parse("totp"), TwoFactorMethod::Totp);
    assert_eq!(TwoFactorMethod::parse("email"), TwoFactorMethod::Email);
    assert_eq!(
        TwoFactorMethod::parse("password"),
        TwoFactorMethod::Password
    );
    assert_eq!(
        TwoFactorMethod::parse("webauthn"),
        TwoFactorMethod::Other("webauthn".into())
    );
    let body = json!({"success": false, "error": "totp-required", "message": "TOTP Required"});
    match decode(Some(401), &body.to_string(), None) {
        Err(ApiError::Unauthorized {
            two_factor: Some(tf),
            ..
        }) => {
            assert_eq!(
                tf.method,
                TwoFactorMethod::Totp,
                "no method named: an authenticator code"
            );
        }
        other => panic!("{other:?}"),
    }
}
