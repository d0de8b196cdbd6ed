//! Export and import of integrations.

use crate::support::{ctx, stored_incoming, stored_outgoing};
use hookpanel::core::export::{self, FORMAT};
use hookpanel::core::field::Field;
use hookpanel::core::form::Form;
use hookpanel::core::model::Integration;
use hookpanel::core::validate;
use hookpanel::core::version::Features;
use serde_json::json;

fn both() -> Vec<Integration> {
    vec![
        Integration::from_json(&stored_incoming()).unwrap(),
        Integration::from_json(&stored_outgoing()).unwrap(),
    ]
}

#[test]
fn export_leaves_tokens_out_unless_asked() {
    let doc = export::export(&both(), false);
    assert_eq!(doc["format"], json!(FORMAT));
    assert_eq!(doc["version"], json!(1));
    let list = doc["integrations"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    for entry in list {
        assert!(entry.get("token").is_none());
        for key in [
            "_id",
            "_createdAt",
            "_createdBy",
            "_updatedAt",
            "scriptCompiled",
            "userId",
        ] {
            assert!(entry.get(key).is_none(), "{key} not exported");
        }
    }
    assert_eq!(
        list[0]["script"],
        stored_incoming()["script"],
        "scripts byte for byte"
    );
    assert_eq!(list[1]["retryCount"], json!(6));
    let with = export::export(&both(), true);
    assert_eq!(with["integrations"][1]["token"], stored_outgoing()["token"]);
    assert!(export::export_text(&both(), false).contains("\n  \"integrations\""));
}

#[test]
fn import_round_trips_an_export() {
    let text = export::export_text(&both(), false);
    let mut n = 0;
    let mut fresh = || {
        n += 1;
        format!("fresh-token-{n:020}")
    };
    let got = export::import(&text, &mut fresh);
    assert_eq!(got.error, None);
    assert_eq!(got.entries.len(), 2);
    let Ok(Form::Incoming(inc)) = &got.entries[0].outcome else {
        panic!()
    };
    assert!(inc.is_new());
    assert_eq!(inc.text(Field::Channel), "#general, @bob");
    assert_eq!(
        inc.text(Field::Script),
        stored_incoming()["script"].as_str().unwrap()
    );
    let Ok(Form::Outgoing(out)) = &got.entries[1].outcome else {
        panic!()
    };
    assert!(out.is_new());
    assert_eq!(out.text(Field::Token), "fresh-token-00000000000000000001");
    assert_eq!(out.text(Field::RetryDelay), "powers-of-two");
    assert!(!out.flag(Field::RunOnEdits));
    assert!(got.entries[1]
        .notes
        .iter()
        .any(|n| n.contains("new random token")));
    assert_eq!(got.entries[1].label, "Deploy bot");
    for e in &got.entries {
        let form = e.outcome.clone().unwrap();
        assert!(
            validate::form(&form, &ctx(Features::latest())).is_ok(),
            "{}",
            e.label
        );
    }
}

#[test]
fn import_keeps_exported_tokens() {
    let text = export::export_text(&both(), true);
    let got = export::import(&text, &mut || "unused".to_owned());
    let Ok(Form::Outgoing(out)) = &got.entries[1].outcome else {
        panic!()
    };
    assert_eq!(out.text(Field::Token), "s3cr3t-t0ken-0123456789abcdef");
}

#[test]
fn import_accepts_other_shapes_and_reports_per_entry() {
    let list_answer = json!({"integrations": [stored_outgoing(), {"type": "webhook-zapier"}, 7], "success": true});
    let got = export::import(&list_answer.to_string(), &mut String::new);
    assert_eq!(got.entries.len(), 3);
    assert!(got.entries[0].outcome.is_ok());
    let Err(why) = &got.entries[1].outcome else {
        panic!()
    };
    assert!(why.contains("webhook-zapier"));
    assert_eq!(got.entries[2].number, 3);
    assert!(got.entries[2].outcome.is_err());

    let single = export::import(&stored_incoming().to_string(), &mut String::new);
    assert_eq!(single.entries.len(), 1);
    let bare = export::import(&json!([stored_incoming()]).to_string(), &mut String::new);
    assert_eq!(bare.entries.len(), 1);
}

#[test]
fn import_reports_whole_file_problems() {
    let bad = export::import("{not json", &mut String::new);
    assert!(bad.error.unwrap().contains("not valid JSON"));
    assert!(bad.entries.is_empty());
    let empty = export::import("{\"integrations\": []}", &mut String::new);
    assert_eq!(
        empty.error.as_deref(),
        Some("This file holds no integrations.")
    );
    assert!(export::import("42", &mut String::new).error.is_some());
}
