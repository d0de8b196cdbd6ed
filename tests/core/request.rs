//! Request building per server version (spec §2, §8–§10), checked against the
//! rest-typings schemas in `crate::support::schema`.

use crate::support::schema::{check_remove, check_save, Op};
use crate::support::{
    ctx, incoming_form, outgoing_form, stored_incoming, stored_outgoing, v, valid_incoming,
    valid_outgoing,
};
use hookpanel::core::field::Field;
use hookpanel::core::form::{Form, IncomingForm, OutgoingForm};
use hookpanel::core::model::{Integration, Kind};
use hookpanel::core::request::{self, ListQuery, Method, SortField};
use hookpanel::core::validate::{self, Valid};
use hookpanel::core::version::{Features, ServerVersion};
use serde_json::{json, Value};

fn save_form(form: &Form, features: Features) -> request::ApiRequest {
    let checked = validate::form(form, &ctx(features));
    let valid = checked.result.expect("valid form");
    request::save(&valid)
}

#[test]
fn unchanged_incoming_round_trip_sends_what_is_stored() {
    let stored_json = stored_incoming();
    let stored = Integration::from_json(&stored_json).unwrap();
    let req = save_form(&Form::from_stored(&stored), Features::latest());
    assert_eq!(req.method, Method::Put);
    assert_eq!(req.path, "/api/v1/integrations.update");
    let body = req.body.unwrap();
    let expected = json!({
        "type": "webhook-incoming",
        "integrationId": "66a1f0c2e4b0a1b2c3d4e5f6",
        "name": "CI notices",
        "enabled": false,
        "channel": "#general, @bob",
        "username": "rocket.cat",
        "alias": "CI",
        "avatar": "https://example.com/ci.png",
        "emoji": "",
        "overrideDestinationChannelEnabled": false,
        "scriptEnabled": false,
        "script": stored_json["script"],
        "scriptEngine": "isolated-vm",
        "skipTranspile": false
    });
    assert_eq!(body, expected);
    assert_eq!(
        body["script"].as_str().unwrap().as_bytes(),
        stored_json["script"].as_str().unwrap().as_bytes(),
        "script byte for byte"
    );
    check_save(
        Kind::Incoming,
        Op::Update,
        &body,
        Some(ServerVersion::new(8, 8, 0)),
    )
    .unwrap();
}

#[test]
fn unchanged_outgoing_round_trip_keeps_false_and_script_bytes() {
    let stored_json = stored_outgoing();
    let stored = Integration::from_json(&stored_json).unwrap();
    let req = save_form(&Form::from_stored(&stored), Features::latest());
    assert_eq!(req.method, Method::Put);
    let body = req.body.unwrap();
    let expected = json!({
        "type": "webhook-outgoing",
        "integrationId": "aB3dE5fG7hJ9kL1mN",
        "name": "Deploy bot",
        "enabled": false,
        "event": "sendMessage",
        "channel": "#ops, all_public_channels",
        "username": "rocket.cat",
        "urls": ["https://bot.example.com/hook", "http://legacy.example.com/x"],
        "token": "s3cr3t-t0ken-0123456789abcdef",
        "triggerWords": ["!deploy", "!rollback"],
        "targetRoom": "",
        "triggerWordAnywhere": false,
        "runOnEdits": false,
        "impersonateUser": false,
        "retryFailedCalls": false,
        "retryCount": 6,
        "retryDelay": "powers-of-two",
        "alias": "",
        "avatar": "",
        "emoji": ":rocket:",
        "scriptEnabled": false,
        "script": "\tconst s = 'naïve — ✓';\r\n\t// tab\tand CRLF\r\n",
        "scriptEngine": "isolated-vm",
        "skipTranspile": false
    });
    assert_eq!(body, expected);
    for key in [
        "enabled",
        "runOnEdits",
        "retryFailedCalls",
        "triggerWordAnywhere",
        "impersonateUser",
    ] {
        assert_eq!(body[key], json!(false), "{key} stays false");
    }
    check_save(
        Kind::Outgoing,
        Op::Update,
        &body,
        Some(ServerVersion::new(8, 8, 0)),
    )
    .unwrap();
}

#[test]
fn the_old_truthy_bug_does_not_come_back() {
    // Stored documents missing the toggles read as false, not as new-form defaults.
    let stored = Integration::from_json(&json!({
        "_id": "x", "type": "webhook-outgoing", "event": "sendMessage", "username": "u",
        "channel": ["#a"], "urls": ["https://a.example"], "token": "t0123456789012345678901234"
    }))
    .unwrap();
    let Form::Outgoing(f) = Form::from_stored(&stored) else {
        panic!()
    };
    assert!(
        !f.flag(Field::Enabled)
            && !f.flag(Field::RunOnEdits)
            && !f.flag(Field::RetryFailedCalls)
            && !f.flag(Field::ImpersonateUser)
    );
}

const VERSIONS: [Option<(u32, u32)>; 10] = [
    Some((6, 3)),
    Some((6, 13)),
    Some((7, 0)),
    Some((7, 10)),
    Some((8, 3)),
    Some((8, 4)),
    Some((8, 7)),
    Some((8, 8)),
    Some((9, 0)),
    None,
];

fn version(v: Option<(u32, u32)>) -> Option<ServerVersion> {
    v.map(|(a, b)| ServerVersion::new(a, b, 0))
}

fn bodies(features: Features) -> Vec<(Kind, Op, Value)> {
    let mut inc = incoming_form();
    inc.set_text(Field::Script, "class Script {}".into());
    inc.set_flag(Field::ScriptEnabled, true);
    let mut inc_edit = inc.clone();
    inc_edit.id = Some("in1".into());
    let out = outgoing_form();
    let mut out_edit = out.clone();
    out_edit.id = Some("out1".into());
    vec![
        (
            Kind::Incoming,
            Op::Create,
            request::incoming_body(&valid_incoming(&inc, features)),
        ),
        (
            Kind::Incoming,
            Op::Update,
            request::incoming_body(&valid_incoming(&inc_edit, features)),
        ),
        (
            Kind::Outgoing,
            Op::Create,
            request::outgoing_body(&valid_outgoing(&out, features)),
        ),
        (
            Kind::Outgoing,
            Op::Update,
            request::outgoing_body(&valid_outgoing(&out_edit, features)),
        ),
    ]
}

#[test]
fn every_version_gets_a_body_its_schema_accepts() {
    for ver in VERSIONS {
        let sv = version(ver);
        for (kind, op, body) in bodies(Features::for_version(sv)) {
            if let Err(e) = check_save(kind, op, &body, sv) {
                panic!("{ver:?} {kind:?} {op:?}: {e}\n{body:#}");
            }
        }
    }
}

#[test]
fn version_specific_keys() {
    // (version, scriptEngine, skipTranspile, override on outgoing update)
    let table = [
        (Some((6, 3)), false, false, true),
        (Some((6, 13)), true, false, false),
        (Some((8, 3)), true, false, false),
        (Some((8, 4)), true, true, false),
        (Some((8, 8)), true, true, false),
        (Some((9, 0)), true, false, false),
        (None, false, false, false),
    ];
    for (ver, engine, skip, legacy) in table {
        let all = bodies(Features::for_version(version(ver)));
        for (kind, op, body) in &all {
            let at = format!("{ver:?} {kind:?} {op:?}");
            assert_eq!(
                body.get("scriptEngine").is_some(),
                engine,
                "scriptEngine {at}"
            );
            assert_eq!(
                body.get("skipTranspile").is_some(),
                skip,
                "skipTranspile {at}"
            );
            let override_sent = body.get("overrideDestinationChannelEnabled").is_some();
            match (kind, op) {
                (Kind::Incoming, _) => assert!(override_sent, "incoming always {at}"),
                (Kind::Outgoing, Op::Create) => assert!(!override_sent, "{at}"),
                (Kind::Outgoing, Op::Update) => assert_eq!(override_sent, legacy, "{at}"),
            }
        }
    }
}

#[test]
fn create_omits_empty_optionals_update_clears_them() {
    let f = Features::latest();
    let create = request::incoming_body(&valid_incoming(&incoming_form(), f));
    for key in [
        "alias",
        "avatar",
        "emoji",
        "script",
        "integrationId",
        "token",
    ] {
        assert!(create.get(key).is_none(), "create omits {key}");
    }
    let mut edit = incoming_form();
    edit.id = Some("abc".into());
    let update = request::incoming_body(&valid_incoming(&edit, f));
    for key in ["alias", "avatar", "emoji", "script"] {
        assert_eq!(update[key], json!(""), "update clears {key}");
    }
    assert_eq!(update["integrationId"], json!("abc"));
    assert!(update.as_object().unwrap().values().all(|v| !v.is_null()));
}

#[test]
fn outgoing_event_shapes() {
    let f = Features::latest();
    let mut form = outgoing_form();
    form.set_text(Field::Event, "roomCreated".into());
    let body = request::outgoing_body(&valid_outgoing(&form, f));
    assert_eq!(body["channel"], json!(""), "no channel for roomCreated");
    assert!(body.get("triggerWords").is_none());
    form.set_text(Field::Event, "userCreated".into());
    form.set_text(Field::TargetRoom, " #welcome ".into());
    let body = request::outgoing_body(&valid_outgoing(&form, f));
    assert_eq!(body["targetRoom"], json!("#welcome"));
    assert_eq!(body["channel"], json!(""));
    form.set_text(Field::Event, "fileUploaded".into());
    let body = request::outgoing_body(&valid_outgoing(&form, f));
    assert_eq!(body["channel"], json!("#ops"));
    assert!(
        body.get("triggerWords").is_none(),
        "trigger words only for sendMessage"
    );
    form.set_text(Field::Event, "sendMessage".into());
    form.set_text(Field::TriggerWords, String::new());
    let body = request::outgoing_body(&valid_outgoing(&form, f));
    assert_eq!(
        body["triggerWords"],
        json!([]),
        "an empty list clears the words"
    );
}

#[test]
fn retry_values_in_the_body() {
    let f = Features::latest();
    let mut form = outgoing_form();
    form.set_text(Field::RetryCount, " 08 ".into());
    form.set_text(Field::RetryDelay, "INCREMENTS-of-two".into());
    let body = request::outgoing_body(&valid_outgoing(&form, f));
    assert_eq!(body["retryCount"], json!(8));
    assert_eq!(body["retryDelay"], json!("increments-of-two"));
    form.set_flag(Field::RetryFailedCalls, false);
    form.set_text(Field::RetryCount, String::new());
    form.set_text(Field::RetryDelay, String::new());
    let body = request::outgoing_body(&valid_outgoing(&form, f));
    assert!(body.get("retryCount").is_none() && body.get("retryDelay").is_none());
    assert_eq!(body["retryFailedCalls"], json!(false));
}

#[test]
fn new_forms_create() {
    let req = save_form(&Form::Outgoing(outgoing_form()), Features::latest());
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.path, "/api/v1/integrations.create");
    let body = req.body.clone().unwrap();
    assert_eq!(body["type"], json!("webhook-outgoing"));
    assert_eq!(body["token"], json!("tok_0123456789abcdefghijklmnopq"));
}

#[test]
fn updates_send_the_stored_kind() {
    for doc in [stored_incoming(), stored_outgoing()] {
        let stored = Integration::from_json(&doc).unwrap();
        let req = save_form(&Form::from_stored(&stored), Features::latest());
        let body = req.body.unwrap();
        assert_eq!(body["type"], doc["type"]);
        assert_eq!(body["integrationId"], doc["_id"]);
    }
}

#[test]
fn remove_sends_type_and_id_only() {
    for doc in [stored_incoming(), stored_outgoing()] {
        let stored = Integration::from_json(&doc).unwrap();
        let req = request::remove(&stored);
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.path, "/api/v1/integrations.remove");
        let body = req.body.unwrap();
        check_remove(&body).unwrap();
        assert_eq!(body["integrationId"], doc["_id"]);
    }
}

/// A named change that makes a body invalid.
type Mutation = (&'static str, fn(&mut Value));

#[test]
fn the_schema_helper_rejects_what_servers_reject() {
    let f = Features::latest();
    let v88 = Some(ServerVersion::new(8, 8, 0));
    let mut out = outgoing_form();
    out.id = Some("o1".into());
    let good = request::outgoing_body(&valid_outgoing(&out, f));
    check_save(Kind::Outgoing, Op::Update, &good, v88).unwrap();
    let mutations: [Mutation; 12] = [
        ("_id", |b| b["_id"] = json!("x")),
        ("targetChannel", |b| b["targetChannel"] = json!("#a")),
        ("null alias", |b| b["alias"] = Value::Null),
        ("missing event", |b| {
            b.as_object_mut().unwrap().remove("event");
        }),
        ("empty url item", |b| {
            b["urls"] = json!(["https://a.example", ""])
        }),
        ("trigger words as string", |b| {
            b["triggerWords"] = json!("!a,!b")
        }),
        ("override on 8.8 outgoing update", |b| {
            b["overrideDestinationChannelEnabled"] = json!(false)
        }),
        ("no token", |b| {
            b.as_object_mut().unwrap().remove("token");
        }),
        ("retryCount as text", |b| b["retryCount"] = json!("6")),
        ("wrong type", |b| b["type"] = json!("webhook-incoming")),
        ("fields", |b| b["fields"] = json!("{}")),
        ("no skipTranspile on 8.8", |b| {
            b.as_object_mut().unwrap().remove("skipTranspile");
        }),
    ];
    for (case, change) in mutations {
        let mut bad = good.clone();
        change(&mut bad);
        assert!(
            check_save(Kind::Outgoing, Op::Update, &bad, v88).is_err(),
            "{case} must be rejected"
        );
    }
    let inc = request::incoming_body(&valid_incoming(&incoming_form(), f));
    let mut with_token = inc.clone();
    with_token["token"] = json!("t");
    assert!(check_save(Kind::Incoming, Op::Create, &with_token, v88).is_err());
    let v63 = Some(ServerVersion::new(6, 3, 0));
    assert!(
        check_save(Kind::Incoming, Op::Create, &inc, v63).is_err(),
        "scriptEngine on 6.3"
    );
    assert!(check_remove(
        &json!({"type": "webhook-outgoing", "integrationId": "a", "target_url": "u"})
    )
    .is_err());
}

#[test]
fn list_query_per_version() {
    let q = ListQuery {
        count: 25,
        offset: 50,
        sort: SortField::Name,
        descending: false,
        name: " ci ".into(),
        kind: Some(Kind::Incoming),
    };
    let modern = request::list(&q, &v(7, 0));
    assert_eq!(modern.method, Method::Get);
    assert_eq!(
        modern.path,
        "/api/v1/integrations.list?count=25&offset=50&sort=%7B%22name%22%3A1%7D&name=ci&type=webhook-incoming"
    );
    assert!(!q.filters_locally(&v(7, 0)));
    let old = request::list(&q, &v(6, 13));
    assert!(!old.path.contains("name=") && !old.path.contains("type="));
    assert!(q.filters_locally(&v(6, 13)));
    let big = ListQuery {
        count: 500,
        sort: SortField::CreatedAt,
        descending: true,
        ..ListQuery::default()
    };
    assert_eq!(
        request::list(&big, &v(8, 8)).path,
        "/api/v1/integrations.list?count=100&offset=0&sort=%7B%22_createdAt%22%3A-1%7D"
    );
    let zero = ListQuery {
        count: 0,
        ..ListQuery::default()
    };
    assert!(request::list(&zero, &v(8, 8)).path.contains("count=1&"));
    assert!(!request::list(&q, &v(8, 8)).path.contains("fields"));
}

#[test]
fn get_history_and_info_paths() {
    assert_eq!(
        request::get("a b/c").path,
        "/api/v1/integrations.get?integrationId=a%20b%2Fc"
    );
    assert_eq!(
        request::history("i1", 0, 25).path,
        "/api/v1/integrations.history?id=i1&offset=0&count=25&sort=%7B%22_updatedAt%22%3A-1%7D"
    );
    assert_eq!(request::server_info().path, "/api/info");
    assert_eq!(request::me().path, "/api/v1/me");
    assert_eq!(
        request::permissions_list_all().path,
        "/api/v1/permissions.listAll"
    );
}

#[test]
fn clear_and_replay_use_the_8_7_rest_endpoints() {
    let clear = request::clear_history("i1");
    assert_eq!(
        (clear.method, clear.path.as_str()),
        (Method::Post, "/api/v1/integrations.clearHistory")
    );
    assert_eq!(clear.body, Some(json!({"integrationId": "i1"})));
    let replay = request::replay("i1", "h1");
    assert_eq!(
        (replay.method, replay.path.as_str()),
        (Method::Post, "/api/v1/integrations.replayOutgoing")
    );
    assert_eq!(
        replay.body,
        Some(json!({"integrationId": "i1", "historyId": "h1"}))
    );
    assert!(v(8, 7).clear_and_replay && !v(8, 6).clear_and_replay);
}

#[test]
fn duplicates_are_new_forms() {
    let stored = Integration::from_json(&stored_outgoing()).unwrap();
    let Form::Outgoing(f) = Form::from_stored(&stored) else {
        panic!()
    };
    let copy: OutgoingForm = f.duplicate("fresh-token-0123456789abcdef".into());
    assert!(copy.is_new());
    assert_eq!(copy.text(Field::Name), "Copy of Deploy bot");
    assert_eq!(copy.text(Field::Token), "fresh-token-0123456789abcdef");
    let inc: IncomingForm = incoming_form().duplicate();
    assert!(inc.is_new() && inc.stored_username.is_none());
    let Valid::Outgoing(_) = validate::form(&Form::Outgoing(copy), &ctx(Features::latest()))
        .result
        .unwrap()
    else {
        panic!()
    };
}
