//! Form values by field (the data-driven form view) and local drafts.

use hookpanel::core::draft;
use hookpanel::core::field::Field;
use hookpanel::core::form::{Form, IncomingForm, OutgoingForm};
use hookpanel::core::model::Kind;

fn incoming() -> Form {
    Form::Incoming(IncomingForm::new())
}

fn outgoing() -> Form {
    Form::Outgoing(OutgoingForm::new("tok".into()))
}

#[test]
fn every_incoming_field_reads_and_writes_through_its_member() {
    let mut f = incoming();
    let texts = [
        (Field::Name, "n"),
        (Field::Channel, "#dev"),
        (Field::PostAs, "rocket.cat"),
        (Field::Alias, "CI"),
        (Field::Avatar, "https://x/a.png"),
        (Field::Emoji, ":ghost:"),
        (Field::ScriptEngine, "vm2"),
        (Field::Script, "\tclass Script {}\n"),
    ];
    for (field, value) in texts {
        assert!(f.is_text(field), "{field:?}");
        f.set_text(field, value.into());
        assert_eq!(f.text(field), value, "{field:?}");
    }
    let Form::Incoming(inc) = &f else {
        panic!("kind changed")
    };
    assert_eq!(inc.text(Field::PostAs), "rocket.cat");
    assert_eq!(inc.text(Field::Script), "\tclass Script {}\n");
    for field in [
        Field::Enabled,
        Field::OverrideDestination,
        Field::ScriptEnabled,
        Field::SkipTranspile,
    ] {
        assert!(f.is_flag(field), "{field:?}");
        let before = f.flag(field);
        f.set_flag(field, !before);
        assert_eq!(f.flag(field), !before, "{field:?}");
    }
    // Fields the incoming kind lacks read empty and ignore writes.
    for field in [Field::Urls, Field::Token, Field::Event, Field::RetryCount] {
        assert!(!f.is_text(field) && !f.is_flag(field), "{field:?}");
        f.set_text(field, "x".into());
        assert_eq!(f.text(field), "");
    }
    assert!(!f.flag(Field::RunOnEdits));
}

#[test]
fn outgoing_covers_every_field_except_none() {
    let f = outgoing();
    for field in Field::ALL {
        assert!(
            f.is_text(field) ^ f.is_flag(field),
            "{field:?} must be exactly one of text or toggle"
        );
    }
    let mut f = f;
    f.set_text(Field::Urls, "https://a\nhttps://b".into());
    f.set_flag(Field::RunOnEdits, false);
    let Form::Outgoing(o) = &f else {
        panic!("kind changed")
    };
    assert_eq!(o.text(Field::Urls), "https://a\nhttps://b");
    assert!(!o.flag(Field::RunOnEdits));
}

#[test]
fn required_fields_follow_the_validation_rules() {
    let inc = incoming();
    let required: Vec<Field> = Field::ALL
        .into_iter()
        .filter(|f| inc.requires(*f))
        .collect();
    assert_eq!(required, [Field::Channel, Field::PostAs]);

    let mut out = outgoing();
    assert!(
        out.requires(Field::Channel) && out.requires(Field::Urls) && out.requires(Field::Token)
    );
    assert!(!out.requires(Field::TargetRoom));
    out.set_text(Field::Event, "userCreated".into());
    assert!(!out.requires(Field::Channel) && out.requires(Field::TargetRoom));
    out.set_flag(Field::RetryFailedCalls, false);
    assert!(!out.requires(Field::RetryCount) && !out.requires(Field::RetryDelay));
}

#[test]
fn the_incoming_channel_is_labelled_post_to() {
    assert_eq!(Field::Channel.label_in(Kind::Incoming), "Post to");
    assert_eq!(Field::Channel.label_in(Kind::Outgoing), "Channel");
    assert_eq!(Field::PostAs.label_in(Kind::Incoming), "Post as");
}

#[test]
fn draft_keys_separate_servers_people_and_integrations() {
    let a = draft::key("http://chat/", "u1", Kind::Incoming, None);
    assert_eq!(a, "hookpanel.draft|http://chat|u1|new-incoming");
    assert_ne!(a, draft::key("http://chat", "u2", Kind::Incoming, None));
    assert_ne!(a, draft::key("http://other", "u1", Kind::Incoming, None));
    assert_ne!(a, draft::key("http://chat", "u1", Kind::Outgoing, None));
    assert_eq!(
        draft::key("http://chat", "u1", Kind::Incoming, Some("abc")),
        "hookpanel.draft|http://chat|u1|abc"
    );
}

#[test]
fn a_draft_round_trips_every_value_onto_its_base() {
    let mut typed = incoming();
    typed.set_text(Field::Name, "Alerts “ünïcode”".into());
    typed.set_text(Field::Script, "if (a) {\n\treturn 1;\n}".into());
    typed.set_flag(Field::Enabled, false);
    typed.set_flag(Field::OverrideDestination, true);
    let text = draft::encode(&typed, "2025-01-02T03:04:05Z");
    let back = draft::restore(&incoming(), &text).expect("readable");
    assert_eq!(back.form, typed);
    assert_eq!(back.saved_at, "2025-01-02T03:04:05Z");

    let mut out = outgoing();
    out.set_text(Field::TriggerWords, "!a, !b".into());
    out.set_flag(Field::RetryFailedCalls, false);
    let back = draft::restore(&outgoing(), &draft::encode(&out, "t")).expect("readable");
    assert_eq!(back.form, out);
}

#[test]
fn restoring_keeps_the_id_and_stored_state_of_the_base() {
    let mut stored = IncomingForm::new();
    stored.id = Some("abc".into());
    stored.stored_username = Some("rocket.cat".into());
    let base = Form::Incoming(stored);
    let mut typed = Form::Incoming(IncomingForm::new());
    typed.set_text(Field::PostAs, "bob".into());
    let back = draft::restore(&base, &draft::encode(&typed, "t")).expect("readable");
    let Form::Incoming(f) = back.form else {
        panic!("kind changed")
    };
    assert_eq!(f.id.as_deref(), Some("abc"));
    assert_eq!(f.stored_username.as_deref(), Some("rocket.cat"));
    assert_eq!(f.text(Field::PostAs), "bob");
}

#[test]
fn unreadable_or_foreign_drafts_are_refused_or_skipped() {
    let base = incoming();
    for text in ["", "not json", "[]", "{}", r#"{"kind":"webhook-zapier"}"#] {
        assert_eq!(draft::restore(&base, text), None, "{text:?}");
    }
    // A draft of the other kind is not applied.
    let out = draft::encode(&outgoing(), "t");
    assert_eq!(draft::restore(&base, &out), None);
    // Wrong types and unknown keys are skipped, the rest applies.
    let text = r#"{"kind":"webhook-incoming","values":{"name":5,"enabled":"no","alias":"CI","urls":"x","bogus":true,"avatarUrl":"https://a/b.png"}}"#;
    let back = draft::restore(&base, text).expect("readable");
    assert_eq!(back.form.text(Field::Name), "");
    assert!(back.form.flag(Field::Enabled));
    assert_eq!(back.form.text(Field::Alias), "CI");
    assert_eq!(back.form.text(Field::Avatar), "https://a/b.png");
    assert_eq!(back.saved_at, "");
}
