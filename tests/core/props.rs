//! Property tests: no input in any field and no server answer of any shape makes the core
//! panic; a form that passes validation always builds a body its server's schema accepts;
//! saving a loaded integration unchanged sends the same body again.

use crate::support::schema::{check_remove, check_save, Op};
use crate::support::URLS;
use hookpanel::core::errors::{decode, TransportFailure};
use hookpanel::core::export;
use hookpanel::core::field::Field;
use hookpanel::core::form::{Form, IncomingForm, OutgoingForm};
use hookpanel::core::model::{self, Integration, Kind};
use hookpanel::core::permissions::Permissions;
use hookpanel::core::request::{self, ListQuery};
use hookpanel::core::token;
use hookpanel::core::triggers;
use hookpanel::core::validate::{self, Context, Valid};
use hookpanel::core::version::{Features, ServerVersion};
use hookpanel::core::webhook;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{Map, Value};

const VOCAB: [&str; 40] = [
    "#general",
    "@bob",
    ",",
    ", ",
    " ",
    "\n",
    "\r\n",
    "#",
    "@",
    "all_public_channels",
    "ALL_PRIVATE_GROUPS",
    "all_direct_messages",
    "https://a.example/x",
    "http://b.example",
    "ftp://c",
    ":ghost:",
    ":",
    "rocket.cat",
    "é",
    "🚀",
    "\t",
    "'",
    "\"",
    "\\",
    "\u{0}",
    "[",
    "]",
    "-",
    "0",
    "6",
    "-1",
    "powers-of-ten",
    "sendMessage",
    "userCreated",
    "roomCreated",
    "x",
    "%",
    "\u{202e}",
    "ß",
    "_",
];

/// Text built from tricky fragments, or any string at all.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        prop::collection::vec(prop::sample::select(&VOCAB[..]), 0..6).prop_map(|v| v.concat()),
        any::<String>(),
    ]
    .boxed()
}

/// Mostly values the server accepts, sometimes ones it refuses, sometimes anything.
fn pick(good: &'static [&'static str], bad: &'static [&'static str]) -> BoxedStrategy<String> {
    prop_oneof![
        16 => prop::sample::select(good).prop_map(str::to_owned),
        1 => prop::sample::select(bad).prop_map(str::to_owned),
        1 => text(),
    ]
    .boxed()
}

/// Comma lists of mostly valid entries, or anything.
fn channel(good: &'static [&'static str], bad: &'static [&'static str]) -> BoxedStrategy<String> {
    let entry = prop_oneof![
        12 => prop::sample::select(good),
        1 => prop::sample::select(bad),
    ];
    prop_oneof![
        12 => prop::collection::vec(entry, 1..4).prop_map(|v| v.join(", ")),
        1 => text(),
    ]
    .boxed()
}

const IN_GOOD: [&str; 4] = ["#general", "@bob", "#ops", " #random "];
const IN_BAD: [&str; 4] = ["ops", "all_public_channels", "#", ""];
const OUT_GOOD: [&str; 6] = [
    "#general",
    "@bob",
    "#ops",
    "all_public_channels",
    "all_private_groups",
    "all_direct_messages",
];
const OUT_BAD: [&str; 4] = ["#", "ops", "", "ALL_PUBLIC_CHANNELS"];

fn urls() -> BoxedStrategy<String> {
    let line = prop_oneof![
        12 => prop::sample::select(&["https://a.example/x", " http://b.example/y ", "", "https://c.example:8443/p?q=1"][..]),
        1 => prop::sample::select(&["ftp://c.example", "nope", "https://"][..]),
    ];
    prop_oneof![
        12 => prop::collection::vec(line, 1..4).prop_map(|v| v.join("\n")),
        1 => text(),
    ]
    .boxed()
}

fn features() -> impl Strategy<Value = Features> {
    prop_oneof![
        1 => Just(None),
        6 => (0u32..12, 0u32..16).prop_map(|(a, b)| Some(ServerVersion::new(a, b, 0))),
    ]
    .prop_map(Features::for_version)
}

fn permissions() -> impl Strategy<Value = Option<Permissions>> {
    proptest::option::of(any::<[bool; 4]>().prop_map(|[a, b, c, d]| Permissions {
        manage_incoming: a,
        manage_own_incoming: b,
        manage_outgoing: c,
        manage_own_outgoing: d,
    }))
}

fn id() -> impl Strategy<Value = Option<String>> {
    proptest::option::of("[A-Za-z0-9]{1,24}")
}

fn incoming() -> impl Strategy<Value = IncomingForm> {
    (
        (
            id(),
            any::<bool>(),
            text(),
            channel(&IN_GOOD, &IN_BAD),
            pick(&["rocket.cat", "bot"], &["@bot", ""]),
        ),
        (
            pick(&["", "CI bot", "Zoë"], &["a!"]),
            pick(&["", "https://i.example/a.png"], &["a.png"]),
            pick(&["", ":ghost:", ":+1:"], &["ghost"]),
        ),
        (
            any::<[bool; 3]>(),
            pick(&["isolated-vm", ""], &["vm2"]),
            text(),
            proptest::option::of(text()),
        ),
    )
        .prop_map(
            |(
                (id, enabled, name, channel, username),
                (alias, avatar, emoji),
                (b, engine, script, stored),
            )| {
                let mut f = IncomingForm::new();
                f.id = id;
                f.stored_username = stored;
                f.set_flag(Field::Enabled, enabled);
                f.set_text(Field::Name, name);
                f.set_text(Field::Channel, channel);
                f.set_text(Field::PostAs, username);
                f.set_text(Field::Alias, alias);
                f.set_text(Field::Avatar, avatar);
                f.set_text(Field::Emoji, emoji);
                f.set_flag(Field::OverrideDestination, b[0]);
                f.set_flag(Field::ScriptEnabled, b[1]);
                f.set_text(Field::ScriptEngine, engine);
                f.set_text(Field::Script, script);
                f.set_flag(Field::SkipTranspile, b[2]);
                f
            },
        )
}

fn outgoing() -> impl Strategy<Value = OutgoingForm> {
    (
        (
            id(),
            text(),
            pick(
                &[
                    "sendMessage",
                    "fileUploaded",
                    "roomArchived",
                    "roomCreated",
                    "roomJoined",
                    "roomLeft",
                    "userCreated",
                    "messageEdited",
                ],
                &[""],
            ),
            channel(&OUT_GOOD, &OUT_BAD),
            pick(&["!a, !b", "", " , x"], &[",,"]),
        ),
        (
            pick(&["#welcome", "welcome"], &["", " "]),
            urls(),
            pick(&["rocket.cat"], &["", "@x"]),
            pick(&["", "Bot"], &["?"]),
            pick(&["", "https://i.example/a.png"], &["x"]),
            pick(&["", ":ghost:"], &["ghost"]),
        ),
        (
            pick(&["tok_0123456789abcdefghijklmnop", "short"], &["", "  "]),
            pick(&["isolated-vm"], &["vm2"]),
            text(),
            pick(&["6", "12", " 3 "], &["0", "", "x"]),
            pick(
                &[
                    "powers-of-ten",
                    "powers-of-two",
                    "increments-of-two",
                    "Powers-Of-Two",
                ],
                &["", "Hourly"],
            ),
        ),
        any::<[bool; 7]>(),
    )
        .prop_map(
            |(
                (id, name, event, channel, words),
                (target, urls, username, alias, avatar, emoji),
                (token, engine, script, count, delay),
                b,
            )| {
                let mut f = OutgoingForm::new(token);
                f.id = id;
                f.set_flag(Field::Enabled, b[0]);
                f.set_text(Field::Name, name);
                f.set_text(Field::Event, event);
                f.set_text(Field::Channel, channel);
                f.set_text(Field::TriggerWords, words);
                f.set_text(Field::TargetRoom, target);
                f.set_text(Field::Urls, urls);
                f.set_flag(Field::ImpersonateUser, b[1]);
                f.set_text(Field::PostAs, username);
                f.set_text(Field::Alias, alias);
                f.set_text(Field::Avatar, avatar);
                f.set_text(Field::Emoji, emoji);
                f.set_flag(Field::ScriptEnabled, b[2]);
                f.set_text(Field::ScriptEngine, engine);
                f.set_text(Field::Script, script);
                f.set_flag(Field::SkipTranspile, b[3]);
                f.set_flag(Field::RetryFailedCalls, b[4]);
                f.set_text(Field::RetryCount, count);
                f.set_text(Field::RetryDelay, delay);
                f.set_flag(Field::TriggerWordAnywhere, b[5]);
                f.set_flag(Field::RunOnEdits, b[6]);
                f.set_flag(Field::OverrideDestination, false);
                f
            },
        )
}

fn form() -> impl Strategy<Value = Form> {
    prop_oneof![
        incoming().prop_map(Form::Incoming),
        outgoing().prop_map(Form::Outgoing)
    ]
}

/// Checks a body against the schema of the version the features came from.
fn assert_schema(valid: &Valid, features: &Features) -> Result<(), TestCaseError> {
    let req = request::save(valid);
    let op = if valid.id().is_some() {
        Op::Update
    } else {
        Op::Create
    };
    let body = req.body.expect("save has a body");
    check_save(valid.kind(), op, &body, features.version)
        .map_err(|e| TestCaseError::fail(format!("{e}\n{body:#}")))
}

/// What a server stores for an update body: the channel string becomes an array.
fn stored_from(body: &Value) -> Value {
    let mut doc = body.as_object().cloned().unwrap_or_default();
    let channel = doc
        .get("channel")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let entries: Vec<Value> = channel
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| Value::String(e.to_owned()))
        .collect();
    doc.insert("channel".into(), Value::Array(entries));
    let id = doc.remove("integrationId").unwrap_or(Value::Null);
    doc.insert("_id".into(), id);
    Value::Object(doc)
}

fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        3 => prop::sample::select(&[
            "type", "_id", "name", "channel", "urls", "triggerWords", "event", "token", "enabled",
            "retryCount", "retryDelay", "scriptError", "_createdBy", "success", "error",
            "errorType", "message", "details", "integration", "integrations", "history",
            "total", "version", "info", "roles", "update", "avatarUrl", "status", "result",
        ][..]).prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        prop::sample::select(
            &[
                "webhook-incoming",
                "webhook-outgoing",
                "sendMessage",
                "#a",
                "8.8.1",
                "[x] [error-y]",
                ""
            ][..]
        )
        .prop_map(|s| Value::String(s.to_owned())),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Runs every read path of the core on one JSON value.
fn read_everything(v: &Value) {
    if let Ok(i) = Integration::from_json(v) {
        let _ = (
            i.display_name(),
            i.channel_text(),
            i.common().script_status(),
        );
        let form = Form::from_stored(&i);
        let ctx = Context {
            features: Features::latest(),
            permissions: None,
            urls: &URLS,
        };
        let _ = validate::form(&form, &ctx);
        let _ = request::remove(&i);
        let _ = export::export(&[i], true);
    }
    let _ = model::parse_list(v);
    let _ = model::parse_history(v);
    let _ = model::parse_integration_response(v);
    let _ = Permissions::from_api(v, v);
    let _ = hookpanel::core::permissions::user_id_of(v);
    let _ = Features::from_info(v);
    let _ = export::import(&v.to_string(), &mut String::new);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn valid_forms_build_schema_conform_bodies(
        form in form(), features in features(), perms in permissions()
    ) {
        let ctx = Context { features, permissions: perms.as_ref(), urls: &URLS };
        let checked = validate::form(&form, &ctx);
        for p in checked.problems() {
            prop_assert!(!p.message.is_empty());
        }
        if let Ok(valid) = &checked.result {
            assert_schema(valid, &features)?;
        }
        // The helpers the pages run on the same form never panic either.
        match &form {
            Form::Outgoing(f) => {
                let _ = triggers::test(f, f.text(Field::Name), f.flag(Field::Enabled));
                let _ = f.shows(hookpanel::core::Field::Channel, &features);
            }
            Form::Incoming(f) => {
                let payload = webhook::example_payload(f);
                let url = webhook::hook_url(f.text(Field::Avatar), f.id.as_deref().unwrap_or(""), f.text(Field::Script));
                let _ = webhook::curl_command(&url, &payload);
            }
        }
    }

    #[test]
    fn unchanged_save_after_load_sends_the_same_body(
        mut form in form(), features in features()
    ) {
        match &mut form {
            Form::Incoming(f) => f.id = Some("stored-id".into()),
            Form::Outgoing(f) => f.id = Some("stored-id".into()),
        }
        let ctx = Context { features, permissions: None, urls: &URLS };
        if let Ok(valid) = validate::form(&form, &ctx).result {
            let first = request::save(&valid).body.expect("body");
            let stored = Integration::from_json(&stored_from(&first)).expect("stored doc");
            let again = validate::form(&Form::from_stored(&stored), &ctx);
            let valid_again = again.result.map_err(|p| TestCaseError::fail(format!("reload invalid: {p:?}")))?;
            let second = request::save(&valid_again).body.expect("body");
            prop_assert_eq!(first, second);
        }
    }

    #[test]
    fn any_answer_decodes_without_panic(
        status in proptest::option::of(any::<u16>()),
        body in prop_oneof![
            any::<Vec<u8>>().prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
            json_value().prop_map(|v| v.to_string()),
            any::<String>(),
        ],
        failure in proptest::option::of(prop_oneof![Just(TransportFailure::Network), Just(TransportFailure::Timeout)]),
    ) {
        match decode(status, &body, failure) {
            Ok(v) => prop_assert!(status.is_some_and(|s| (200..300).contains(&s)), "{v}"),
            Err(e) => {
                prop_assert!(!e.display().is_empty());
                let _ = (e.field(), e.id(), e.server_message(), e.status(), e.needs_login(), e.wait_seconds(), e.is_transient());
            }
        }
    }

    #[test]
    fn any_json_reads_without_panic(v in json_value()) {
        read_everything(&v);
    }

    #[test]
    fn any_integration_like_document_reads(
        kind in prop::sample::select(&["webhook-incoming", "webhook-outgoing"][..]),
        fields in prop::collection::vec((prop::sample::select(&[
            "_id", "name", "enabled", "username", "channel", "urls", "triggerWords", "event",
            "token", "retryCount", "retryDelay", "retryFailedCalls", "runOnEdits", "scriptError",
            "scriptEngine", "script", "alias", "avatar", "avatarUrl", "emoji", "_createdBy",
            "_createdAt", "overrideDestinationChannelEnabled", "targetRoom", "skipTranspile",
        ][..]), json_value()), 0..12),
    ) {
        let mut m: Map<String, Value> = fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        m.insert("type".into(), Value::String(kind.to_owned()));
        let doc = Value::Object(m);
        let i = Integration::from_json(&doc).expect("typed documents always read");
        prop_assert_eq!(i.kind().api_name(), kind);
        read_everything(&doc);
        check_remove(&request::remove(&i).body.expect("body")).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn any_text_input_is_safe(s in text(), n in any::<u32>(), bytes in any::<Vec<u8>>()) {
        let _ = ServerVersion::parse(&s);
        let _ = hookpanel::core::channels::parse(&s);
        let _ = validate::trigger_words(&s);
        let _ = validate::url_lines(&s);
        let _ = validate::alias_rule(&s);
        let _ = validate::emoji_rule(&s);
        let _ = hookpanel::core::errors::strip_suffix_id(&s);
        let _ = export::import(&s, &mut String::new);
        let q = ListQuery { name: s.clone(), count: n, offset: n, ..ListQuery::default() };
        let _ = request::list(&q, &Features::latest());
        let _ = request::get(&s);
        let t = token::encode(&bytes);
        prop_assert!(t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        prop_assert_eq!(t.len(), (bytes.len() * 8).div_ceil(6));
        for d in hookpanel::core::retry::RetryDelay::ALL {
            let _ = d.delay_ms(n);
        }
    }
}

/// The form generator must produce valid forms often enough for the schema property to
/// mean something.
#[test]
fn generators_produce_valid_forms() {
    let mut runner = TestRunner::deterministic();
    let strategy = (form(), features());
    let mut valid = [0usize; 2];
    let total = 600;
    for _ in 0..total {
        let (form, features) = strategy.new_tree(&mut runner).expect("tree").current();
        let ctx = Context {
            features,
            permissions: None,
            urls: &URLS,
        };
        if validate::form(&form, &ctx).is_ok() {
            valid[usize::from(form.kind() == Kind::Outgoing)] += 1;
        }
    }
    assert!(
        valid[0] * 10 >= total / 2,
        "valid incoming forms: {}",
        valid[0]
    );
    assert!(
        valid[1] * 10 >= total / 2,
        "valid outgoing forms: {}",
        valid[1]
    );
}
