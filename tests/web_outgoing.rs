//! Component tests of the outgoing webhook editor, mounted in headless Chromium through the
//! whole app on `/integrations/new/outgoing`: which fields each event shows, the token, the
//! validation display and the trigger tester. The session points at an unreachable server:
//! the new form needs no server answer.
#![cfg(target_arch = "wasm32")]

mod web_support;

use hookpanel::core::draft;
use hookpanel::core::form::{Form, OutgoingForm};
use hookpanel::core::model::{Kind, OutgoingEvent};
use hookpanel::core::Field;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_support::*;
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

const SERVER: &str = "http://127.0.0.1:9";

/// Mounts the app signed in as `user_id`, on the new outgoing page; `before` runs after
/// storage is cleared. Tests that use drafts sign in as people of their own, as drafts are
/// kept per person.
async fn open_new_form_as(user_id: &'static str, before: impl FnOnce() + 'static) {
    mount_app("/integrations/new/outgoing", SERVER, user_id, before);
    until("the outgoing form", || query("#field-event").is_some()).await;
}

async fn open_new_form() {
    open_new_form_as("u-outgoing", || {}).await;
}

fn attr(selector: &str, name: &str) -> Option<String> {
    query(selector).and_then(|e| e.get_attribute(name))
}

fn active_id() -> String {
    document()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default()
}

fn shown(field: Field) -> bool {
    query(&format!("#{}", field.id())).is_some()
}

/// Picks an option of a select as a person would (sets it, then fires `change`).
fn choose(selector: &str, value: &str) {
    let el: HtmlSelectElement = query(selector).expect(selector).dyn_into().unwrap();
    el.set_value(value);
    el.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

fn type_into_area(selector: &str, value: &str) {
    let el: HtmlTextAreaElement = query(selector).expect(selector).dyn_into().unwrap();
    el.set_value(value);
    el.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn toggle(selector: &str) {
    click(selector);
}

fn summary_links() -> Vec<String> {
    query_all("#error-summary a")
        .into_iter()
        .map(|a| a.get_attribute("href").unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn each_event_shows_its_own_fields() {
    open_new_form().await;
    // Every event servers know is offered, "Message sent" first and chosen.
    let options: Vec<String> = query_all("#field-event option")
        .into_iter()
        .map(|o| o.get_attribute("value").unwrap_or_default())
        .collect();
    let known: Vec<&str> = OutgoingEvent::KNOWN.iter().map(|e| e.as_str()).collect();
    assert_eq!(options, known);
    assert_eq!(
        query("#field-event")
            .unwrap()
            .dyn_into::<HtmlSelectElement>()
            .unwrap()
            .value(),
        "sendMessage"
    );

    // (event, channel, trigger words + anywhere + run on edits, target room)
    let table = [
        ("sendMessage", true, true, false),
        ("fileUploaded", true, false, false),
        ("roomArchived", false, false, false),
        ("roomCreated", false, false, false),
        ("roomJoined", true, false, false),
        ("roomLeft", true, false, false),
        ("userCreated", false, false, true),
        ("sendMessage", true, true, false),
    ];
    for (event, channel, words, target) in table {
        choose("#field-event", event);
        until(&format!("the fields of {event}"), || {
            shown(Field::Channel) == channel
                && shown(Field::TriggerWords) == words
                && shown(Field::TriggerWordAnywhere) == words
                && shown(Field::RunOnEdits) == words
                && shown(Field::TargetRoom) == target
        })
        .await;
        // The fields every event has.
        for f in [
            Field::Urls,
            Field::Token,
            Field::PostAs,
            Field::RetryFailedCalls,
        ] {
            assert!(shown(f), "{event}: {f:?}");
        }
    }

    // The retry details follow the retry toggle; the schedules say their first waits.
    assert!(shown(Field::RetryCount) && shown(Field::RetryDelay));
    assert_eq!(input("#field-retry-count").value(), "6");
    let delays: Vec<String> = query_all("#field-retry-delay option")
        .into_iter()
        .map(|o| o.text_content().unwrap_or_default())
        .collect();
    assert_eq!(delays.len(), 3, "{delays:?}");
    assert!(delays[0].contains("0.1 s, 1 s, 10 s, …"), "{delays:?}");
    assert!(delays[1].contains("2 s, 4 s, 8 s, …"), "{delays:?}");
    assert!(delays[2].contains("2 s, 4 s, 6 s, …"), "{delays:?}");
    toggle("#field-retry-failed-calls");
    until("the retry details go", || {
        !shown(Field::RetryCount) && !shown(Field::RetryDelay)
    })
    .await;
    toggle("#field-retry-failed-calls");
    until("the retry details come back", || {
        shown(Field::RetryCount) && shown(Field::RetryDelay)
    })
    .await;
}

#[wasm_bindgen_test]
async fn hidden_fields_keep_what_was_typed() {
    open_new_form().await;
    type_into("#field-trigger-words", "!deploy, !ship");
    choose("#field-event", "userCreated");
    until("target room", || shown(Field::TargetRoom)).await;
    type_into("#field-target-room", "#welcome");
    choose("#field-event", "sendMessage");
    until("trigger words back", || shown(Field::TriggerWords)).await;
    assert_eq!(input("#field-trigger-words").value(), "!deploy, !ship");
    choose("#field-event", "userCreated");
    until("target room back", || shown(Field::TargetRoom)).await;
    assert_eq!(input("#field-target-room").value(), "#welcome");
}

#[wasm_bindgen_test]
async fn a_new_webhook_gets_a_random_masked_token_that_can_be_regenerated() {
    open_new_form().await;
    let token = input("#field-token");
    assert_eq!(token.type_(), "password", "masked until revealed");
    let first = token.value();
    assert_eq!(first.len(), 32, "{first}");
    assert!(first
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    assert_eq!(
        attr("#field-token", "aria-required").as_deref(),
        Some("true")
    );

    let show = query_all(".secret button")
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default().starts_with("Show"))
        .expect("Show button");
    show.dyn_into::<web_sys::HtmlElement>().unwrap().click();
    until("revealed", || input("#field-token").type_() == "text").await;

    let regenerate = query_all(".secret button")
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default() == "Regenerate")
        .expect("Regenerate button");
    regenerate
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
        .click();
    until("a new token", || input("#field-token").value() != first).await;
    assert_eq!(input("#field-token").value().len(), 32);
    // Said on screen, not only announced: the receiving service must learn the new token.
    until("the warning", || query("#token-changed").is_some()).await;
    assert!(text("#token-changed").contains("the receiving service must be given it"));
}

#[wasm_bindgen_test]
async fn validation_shows_after_submit_beside_each_field_and_follows_the_event() {
    open_new_form().await;
    // Nothing is flagged before the first submit.
    type_into_area("#field-urls", "not a url");
    settle(50).await;
    assert!(query("#error-summary").is_none());
    assert_eq!(attr("#field-urls", "aria-invalid"), None);

    click("form button[type=submit]");
    until("the error summary", || query("#error-summary").is_some()).await;
    until("focus on the summary", || active_id() == "error-summary").await;
    assert!(document().title().starts_with("Error: "));
    assert_eq!(
        summary_links(),
        ["#field-channel", "#field-urls", "#field-post-as"]
    );
    for (field, words) in [
        (Field::Channel, "Enter at least one channel to watch"),
        (Field::Urls, "URL 1 (“not a url”) is not a web address"),
        (Field::PostAs, "Enter the username"),
    ] {
        let id = field.id();
        assert_eq!(
            attr(&format!("#{id}"), "aria-invalid").as_deref(),
            Some("true"),
            "{id}"
        );
        let described = attr(&format!("#{id}"), "aria-describedby").unwrap_or_default();
        assert!(
            described.contains(&format!("{id}-hint")) && described.contains(&format!("{id}-error")),
            "{id}: {described}"
        );
        let inline = text(&format!("#{id}-error"));
        assert!(inline.contains(words), "{id}: {inline}");
    }

    // userCreated: no channel to watch, but a target room is required.
    choose("#field-event", "userCreated");
    until("the target room problem", || {
        summary_links() == ["#field-target-room", "#field-urls", "#field-post-as"]
    })
    .await;
    assert!(
        text("#field-target-room-error").contains("Enter the room where the results are posted")
    );
    assert!(query("label[for=field-target-room] .required-mark").is_some());
    assert_eq!(
        attr("#field-target-room", "aria-required").as_deref(),
        Some("true")
    );
    // Each message goes as its field is corrected.
    type_into("#field-target-room", "#welcome");
    until("target room fixed", || {
        query("#field-target-room-error").is_none()
    })
    .await;
    type_into_area("#field-urls", "https://example.com/hook\n\n");
    until("urls fixed", || query("#field-urls-error").is_none()).await;
    type_into("#field-post-as", "rocket.cat");
    until("the summary goes", || query("#error-summary").is_none()).await;
    assert!(!document().title().starts_with("Error: "));

    // Retry count: a whole number of 1 or more.
    type_into("#field-retry-count", "0");
    click("form button[type=submit]");
    until("the retry count problem", || {
        summary_links() == ["#field-retry-count"]
    })
    .await;
    assert!(text("#field-retry-count-error").contains("whole number"));
}

#[wasm_bindgen_test]
async fn the_trigger_tester_follows_the_words_as_typed() {
    open_new_form().await;
    let verdict = || text(".tester-verdict");
    type_into("#field-trigger-words", " !deploy , ship ,");
    type_into("#tester-text", "!deploy now");
    until("fires on !deploy", || {
        verdict().contains("Fires on the trigger word “!deploy”")
    })
    .await;
    // Case counts, and only the start of the message by default.
    type_into("#tester-text", "please ship it");
    until("no match", || verdict().contains("no trigger word matches")).await;
    type_into("#tester-text", "!Deploy");
    until("case counts", || {
        verdict().contains("no trigger word matches")
    })
    .await;
    // Anywhere in the message.
    type_into("#tester-text", "please ship it");
    toggle("#field-trigger-word-anywhere");
    until("fires anywhere", || {
        verdict().contains("Fires on the trigger word “ship”")
    })
    .await;
    assert!(text("#tester-rule").contains("anywhere"));
    // Edits fire only with "Run on edits" (on by default).
    toggle("#tester-edited");
    settle(30).await;
    assert!(verdict().contains("Fires"), "{}", verdict());
    toggle("#field-run-on-edits");
    until("edit ignored", || verdict().contains("this is an edit")).await;
    // Other events do not look at messages.
    choose("#field-event", "roomJoined");
    until("not a message event", || {
        verdict().contains("Messages do not trigger this event")
    })
    .await;
    assert!(query("#tester-text").is_none());
    // Back to messages: the sample is still there.
    choose("#field-event", "sendMessage");
    until("the sample back", || query("#tester-text").is_some()).await;
    assert_eq!(input("#tester-text").value(), "please ship it");
}

#[wasm_bindgen_test]
async fn a_stored_draft_comes_back_with_the_fields_of_its_event() {
    let mut form = Form::Outgoing(OutgoingForm::new("draft-token-0123456789abcdefghij".into()));
    form.set_text(Field::Event, "userCreated".into());
    form.set_text(Field::TargetRoom, "#welcome".into());
    form.set_text(
        Field::Urls,
        "https://example.com/a\nhttps://example.com/b".into(),
    );
    let key = draft::key(SERVER, "u-outgoing-draft", Kind::Outgoing, None);
    let stored = draft::encode(&form, "2025-03-04T05:06:07Z");
    open_new_form_as("u-outgoing-draft", move || {
        web_sys::window()
            .unwrap()
            .local_storage()
            .unwrap()
            .unwrap()
            .set_item(&key, &stored)
            .unwrap();
    })
    .await;
    until("the draft offer", || {
        text(".draft-offer").contains("You have a draft")
    })
    .await;
    // Nothing is applied until asked.
    assert!(shown(Field::TriggerWords) && !shown(Field::TargetRoom));
    let restore = query_all(".draft-offer button")
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default() == "Restore draft")
        .expect("Restore draft button");
    restore.dyn_into::<web_sys::HtmlElement>().unwrap().click();
    until("the fields of userCreated", || {
        shown(Field::TargetRoom) && !shown(Field::Channel) && !shown(Field::TriggerWords)
    })
    .await;
    assert_eq!(input("#field-target-room").value(), "#welcome");
    assert_eq!(
        query("#field-urls")
            .unwrap()
            .dyn_into::<HtmlTextAreaElement>()
            .unwrap()
            .value(),
        "https://example.com/a\nhttps://example.com/b"
    );
    assert_eq!(
        input("#field-token").value(),
        "draft-token-0123456789abcdefghij"
    );
}
