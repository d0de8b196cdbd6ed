//! Look-ups behind the channel and "post as" inputs, and the caret/indent text helpers.

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use hookpanel::core::channels::ChannelKeyword;
use hookpanel::core::errors::{decode, ApiError};
use hookpanel::core::lookup::{self, EntryState, SuggestQuery};
use hookpanel::core::request::{ApiRequest, Method};
use hookpanel::core::text_edit;
use serde_json::{json, Value};

/// Runs a future whose awaits are all immediately ready (the fake server below).
fn run<T>(f: impl Future<Output = T>) -> T {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    match f.as_mut().poll(&mut cx) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the fake server never waits"),
    }
}

/// A fake server: answers by path, records the paths asked.
struct Fake {
    answers: Vec<(&'static str, Result<Value, ApiError>)>,
    asked: RefCell<Vec<String>>,
}

impl Fake {
    fn new(answers: Vec<(&'static str, Result<Value, ApiError>)>) -> Fake {
        Fake {
            answers,
            asked: RefCell::new(Vec::new()),
        }
    }

    fn call(&self, r: ApiRequest) -> std::future::Ready<Result<Value, ApiError>> {
        assert_eq!(r.method, Method::Get);
        self.asked.borrow_mut().push(r.path.clone());
        let answer = self
            .answers
            .iter()
            .find(|(p, _)| *p == r.path)
            .map(|(_, a)| a.clone())
            .unwrap_or_else(|| panic!("unexpected request {}", r.path));
        std::future::ready(answer)
    }
}

fn rooms_info_missing() -> Result<Value, ApiError> {
    decode(
        Some(400),
        r#"{"success":false,"error":"not-allowed","errorType":"Not Allowed"}"#,
        None,
    )
}

fn users_info_missing() -> Result<Value, ApiError> {
    decode(
        Some(400),
        r#"{"success":false,"error":"User not found."}"#,
        None,
    )
}

#[test]
fn requests_are_encoded_get_look_ups() {
    let cases = [
        (lookup::room_by_name("büro"), "/api/v1/rooms.info?roomName=b%C3%BCro"),
        (lookup::room_by_id("GENERAL"), "/api/v1/rooms.info?roomId=GENERAL"),
        (lookup::user_by_username("rocket.cat"), "/api/v1/users.info?username=rocket.cat"),
        (lookup::user_by_id("u1"), "/api/v1/users.info?userId=u1"),
        (
            lookup::rooms_autocomplete("de\"v"),
            "/api/v1/rooms.autocomplete.channelAndPrivate?selector=%7B%22name%22%3A%22de%5C%22v%22%7D",
        ),
        (
            lookup::users_autocomplete("bo"),
            "/api/v1/users.autocomplete?selector=%7B%22term%22%3A%22bo%22%7D",
        ),
    ];
    for (request, path) in cases {
        assert_eq!(request.method, Method::Get);
        assert_eq!(request.path, path);
        assert_eq!(request.body, None);
    }
}

#[test]
fn the_entry_being_typed_picks_what_to_suggest() {
    let rooms = |s: &str| Some(SuggestQuery::Rooms(s.into()));
    let cases: [(&str, bool, Option<SuggestQuery>); 8] = [
        ("#de", true, rooms("de")),
        ("#", true, rooms("")),
        (" dev ", true, rooms("dev")),
        ("@bo", true, Some(SuggestQuery::Users("bo".into()))),
        ("@bo", false, None),
        ("", true, None),
        ("all_public_channels", true, None),
        ("all_pub", true, rooms("all_pub")),
    ];
    for (entry, users, want) in cases {
        assert_eq!(lookup::channel_query(entry, users), want, "{entry:?}");
    }
}

#[test]
fn keywords_are_suggested_from_the_allowed_ones_only() {
    let all = ChannelKeyword::ALL;
    let values = |entry: &str, allowed: &[ChannelKeyword]| -> Vec<String> {
        lookup::keyword_suggestions(entry, allowed)
            .into_iter()
            .map(|s| s.value)
            .collect()
    };
    assert_eq!(values("all_", &all).len(), 3);
    assert_eq!(
        values("ALL_P", &all),
        ["all_public_channels", "all_private_groups"]
    );
    assert_eq!(
        values("all_", &[ChannelKeyword::AllPublicChannels]),
        ["all_public_channels"]
    );
    assert!(values("#all", &all).is_empty());
    assert!(values("", &all).is_empty());
    // A keyword already complete is not offered again.
    assert!(values("all_direct_messages", &all).is_empty());
}

#[test]
fn autocomplete_answers_become_suggestions_tolerantly() {
    let rooms = json!({"items": [
        {"_id": "1", "name": "dev", "fname": "dev", "t": "c"},
        {"_id": "2", "name": "büro", "fname": "Büro", "t": "c"},
        {"_id": "3", "name": "ops", "t": "p"},
        {"_id": "4", "fname": "no name"},
        "junk"
    ], "success": true});
    let got: Vec<(String, String)> = lookup::room_suggestions(&rooms)
        .into_iter()
        .map(|s| (s.value, s.detail))
        .collect();
    assert_eq!(
        got,
        [
            ("#dev".into(), "".into()),
            ("#büro".into(), "Büro".into()),
            ("#ops".into(), "private".into())
        ]
    );
    let users = json!({"items": [
        {"_id": "b", "username": "bob", "name": "Bob Builder"},
        {"_id": "c", "username": "rocket.cat", "name": "rocket.cat"},
        {"_id": "x"}
    ]});
    let got: Vec<(String, String)> = lookup::user_suggestions(&users, "@")
        .into_iter()
        .map(|s| (s.value, s.detail))
        .collect();
    assert_eq!(
        got,
        [
            ("@bob".into(), "Bob Builder".into()),
            ("@rocket.cat".into(), "".into())
        ]
    );
    assert!(lookup::room_suggestions(&json!({"items": "nope"})).is_empty());
    assert!(lookup::user_suggestions(&Value::Null, "").is_empty());
}

#[test]
fn an_admin_s_room_is_found_with_one_request() {
    let fake = Fake::new(vec![(
        "/api/v1/rooms.info?roomName=dev",
        Ok(json!({"room": {"_id": "r", "name": "dev"}, "success": true})),
    )]);
    let state = run(lookup::check_entry("#dev", false, |r| fake.call(r)));
    assert_eq!(state, Some(EntryState::Found));
    assert_eq!(fake.asked.borrow().len(), 1);
}

#[test]
fn a_room_unknown_by_name_is_tried_by_id_then_reported_missing() {
    let fake = Fake::new(vec![
        ("/api/v1/rooms.info?roomName=GENERAL", rooms_info_missing()),
        (
            "/api/v1/rooms.info?roomId=GENERAL",
            Ok(json!({"room": {"_id": "GENERAL"}})),
        ),
        ("/api/v1/rooms.info?roomName=nope", rooms_info_missing()),
        ("/api/v1/rooms.info?roomId=nope", rooms_info_missing()),
    ]);
    assert_eq!(
        run(lookup::check_entry("#GENERAL", false, |r| fake.call(r))),
        Some(EntryState::Found)
    );
    assert_eq!(
        run(lookup::check_entry(" #nope ", false, |r| fake.call(r))),
        Some(EntryState::NotFound)
    );
}

#[test]
fn membership_is_asked_first_when_the_role_needs_it() {
    let fake = Fake::new(vec![
        (
            "/api/v1/rooms.autocomplete.channelAndPrivate?selector=%7B%22name%22%3A%22dev%22%7D",
            Ok(json!({"items": [{"_id": "r", "name": "dev"}, {"_id": "s", "name": "dev-old"}]})),
        ),
        (
            "/api/v1/rooms.autocomplete.channelAndPrivate?selector=%7B%22name%22%3A%22b%C3%BCro%22%7D",
            Ok(json!({"items": []})),
        ),
        (
            "/api/v1/rooms.info?roomName=b%C3%BCro",
            Ok(json!({"room": {"_id": "MZ", "name": "büro"}})),
        ),
    ]);
    assert_eq!(
        run(lookup::check_entry("#dev", true, |r| fake.call(r))),
        Some(EntryState::Found)
    );
    assert_eq!(fake.asked.borrow().len(), 1, "a member needs one request");
    assert_eq!(
        run(lookup::check_entry("#büro", true, |r| fake.call(r))),
        Some(EntryState::NotMember)
    );
}

#[test]
fn users_are_found_by_username_then_id() {
    let fake = Fake::new(vec![
        (
            "/api/v1/users.info?username=bob",
            Ok(json!({"user": {"_id": "b"}})),
        ),
        ("/api/v1/users.info?username=ghost", users_info_missing()),
        ("/api/v1/users.info?userId=ghost", users_info_missing()),
    ]);
    assert_eq!(
        run(lookup::check_entry("@bob", true, |r| fake.call(r))),
        Some(EntryState::Found)
    );
    assert_eq!(
        run(lookup::check_entry("@ghost", false, |r| fake.call(r))),
        Some(EntryState::NotFound)
    );
    assert_eq!(
        run(lookup::check_user(" bob ", |r| fake.call(r))),
        Some(EntryState::Found)
    );
    assert_eq!(
        run(lookup::check_user("ghost", |r| fake.call(r))),
        Some(EntryState::NotFound)
    );
}

#[test]
fn failures_other_than_not_found_say_the_entry_could_not_be_checked() {
    let fake = Fake::new(vec![
        ("/api/v1/rooms.info?roomName=dev", Err(ApiError::Network)),
        (
            "/api/v1/users.info?username=bob",
            decode(
                Some(429),
                r#"{"success":false,"error":"Error, too many requests. Please slow down. You must wait 12 seconds before trying this endpoint again. [error-too-many-requests]"}"#,
                None,
            ),
        ),
    ]);
    let state = run(lookup::check_entry("#dev", false, |r| fake.call(r)));
    assert!(
        matches!(&state, Some(EntryState::Unchecked(m)) if m.contains("Could not reach")),
        "{state:?}"
    );
    let state = run(lookup::check_user("bob", |r| fake.call(r)));
    assert!(
        matches!(&state, Some(EntryState::Unchecked(m)) if m.contains("12 seconds")),
        "{state:?}"
    );
    assert!(!EntryState::Unchecked(String::new()).is_bad());
}

#[test]
fn nothing_is_looked_up_for_entries_without_a_name() {
    let fake = Fake::new(vec![]);
    for entry in [
        "",
        "#",
        "@ ",
        "all_public_channels",
        "all_private_groups",
        "dev",
    ] {
        assert_eq!(
            run(lookup::check_entry(entry, true, |r| fake.call(r))),
            None,
            "{entry:?}"
        );
    }
    for name in ["", "@bob", "two words", "a,b"] {
        assert_eq!(run(lookup::check_user(name, |r| fake.call(r))), None);
    }
    assert!(fake.asked.borrow().is_empty());
}

#[test]
fn utf16_carets_map_to_byte_indices_and_back() {
    let text = "a€😀b";
    // UTF-16: a=1, €=1, 😀=2, b=1; bytes: a=1, €=3, 😀=4, b=1.
    let cases = [(0, 0), (1, 1), (2, 4), (3, 4), (4, 8), (5, 9), (99, 9)];
    for (utf16, byte) in cases {
        assert_eq!(text_edit::byte_index(text, utf16), byte, "utf16 {utf16}");
    }
    for (byte, utf16) in [(0, 0), (1, 1), (4, 2), (8, 4), (9, 5), (50, 5)] {
        assert_eq!(text_edit::utf16_offset(text, byte), utf16, "byte {byte}");
    }
}

#[test]
fn the_entry_at_the_caret_is_found_and_replaced() {
    let text = "#dev, #ge , @b";
    assert_eq!(text_edit::entry_text(text, 0), "#dev");
    assert_eq!(text_edit::entry_text(text, 8), "#ge");
    assert_eq!(text_edit::entry_text(text, text.len()), "@b");
    assert_eq!(text_edit::entry_text("", 0), "");

    let (out, caret) = text_edit::replace_entry(text, 8, "#general");
    assert_eq!(out, "#dev, #general , @b");
    assert_eq!(&out[..caret], "#dev, #general");
    let (out, caret) = text_edit::replace_entry("#dev,#g", 7, "#general");
    assert_eq!(out, "#dev, #general");
    assert_eq!(caret, out.len());
    let (out, _) = text_edit::replace_entry("  de", 4, "#dev");
    assert_eq!(out, "#dev");
}

#[test]
fn enter_keeps_the_indentation_of_the_line() {
    let script = "class Script {\n\tprocess() {\n    \t  return 1;";
    assert_eq!(text_edit::newline_with_indent(script, 14), "\n");
    assert_eq!(text_edit::newline_with_indent(script, 27), "\n\t");
    assert_eq!(
        text_edit::newline_with_indent(script, script.len()),
        "\n    \t  "
    );
    // Only the indentation before the caret counts.
    assert_eq!(text_edit::newline_with_indent("\t\tx", 1), "\n\t");
    assert_eq!(text_edit::line_count(""), 1);
    assert_eq!(text_edit::line_count("a\nb\n"), 3);
}

#[test]
fn a_query_reads_its_own_answer() {
    let answer = json!({"items": [{"_id": "b", "username": "bob", "name": "Bob"}]});
    let post_as = SuggestQuery::PostAs("bo".into());
    assert_eq!(
        post_as.request().path,
        lookup::users_autocomplete("bo").path
    );
    assert_eq!(post_as.suggestions(&answer)[0].value, "bob");
    assert_eq!(
        SuggestQuery::Users("bo".into()).suggestions(&answer)[0].value,
        "@bob"
    );
    let rooms = SuggestQuery::Rooms("d".into());
    assert_eq!(rooms.request().path, lookup::rooms_autocomplete("d").path);
    let room_answer = json!({"items": [{"_id": "r", "name": "dev", "t": "c"}]});
    assert_eq!(rooms.suggestions(&room_answer)[0].value, "#dev");
}
