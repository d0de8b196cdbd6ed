//! Component tests of the incoming webhook editor (the shared form components inside it),
//! mounted in headless Chromium through the whole app on `/integrations/new/incoming`.
//! The session points at an unreachable server: the new form needs no server answer, and
//! look-ups then report "could not check", which these tests do not depend on.
#![cfg(target_arch = "wasm32")]

mod web_support;

use hookpanel::core::draft;
use hookpanel::core::form::{Form, IncomingForm};
use hookpanel::core::model::Kind;
use hookpanel::core::Field;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_support::*;
use web_sys::{HtmlElement, HtmlTextAreaElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

const SERVER: &str = "http://127.0.0.1:9";

/// Mounts the app signed in as `user_id`, on the new incoming page; `before` runs after
/// storage is cleared. Tests that use drafts sign in as people of their own, as drafts are
/// kept per person.
async fn open_new_form_as(user_id: &'static str, before: impl FnOnce() + 'static) {
    mount_app("/integrations/new/incoming", SERVER, user_id, before);
    until("the incoming form", || query("#field-post-as").is_some()).await;
}

async fn open_new_form(before: impl FnOnce() + 'static) {
    open_new_form_as("u-test", before).await;
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

fn submit() {
    click("form button[type=submit]");
}

fn textarea(selector: &str) -> HtmlTextAreaElement {
    query(selector).expect(selector).dyn_into().unwrap()
}

fn key(selector: &str, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    query(selector).unwrap().dispatch_event(&ev).unwrap();
}

#[wasm_bindgen_test]
async fn nothing_is_flagged_before_the_first_submit() {
    open_new_form(|| {}).await;
    type_into("#field-alias", "bad/alias");
    settle(50).await;
    assert!(query("#error-summary").is_none());
    assert!(query(".field-error").is_none());
    assert_eq!(attr("#field-alias", "aria-invalid"), None);
    // Required fields are marked for sight and for assistive technology.
    assert!(text(".form-legend").contains("required"));
    for id in ["field-channel", "field-post-as"] {
        assert_eq!(
            attr(&format!("#{id}"), "aria-required").as_deref(),
            Some("true")
        );
        let mark = query(&format!("label[for={id}] .required-mark")).expect("required mark");
        assert_eq!(mark.get_attribute("aria-hidden").as_deref(), Some("true"));
    }
    assert!(query("label[for=field-name] .required-mark").is_none());
}

#[wasm_bindgen_test]
async fn a_failed_submit_shows_a_focused_summary_linked_to_each_field() {
    open_new_form(|| {}).await;
    type_into("#field-alias", "bad/alias");
    submit();
    until("the error summary", || query("#error-summary").is_some()).await;
    until("focus on the summary", || active_id() == "error-summary").await;
    assert!(text("#error-summary").contains("There is a problem"));
    assert!(
        document().title().starts_with("Error: "),
        "{}",
        document().title()
    );

    let links: Vec<(String, String)> = query_all("#error-summary a")
        .into_iter()
        .map(|a| {
            (
                a.get_attribute("href").unwrap_or_default(),
                a.text_content().unwrap_or_default(),
            )
        })
        .collect();
    let hrefs: Vec<&str> = links.iter().map(|(h, _)| h.as_str()).collect();
    // In form order, one per field.
    assert_eq!(
        hrefs,
        ["#field-channel", "#field-post-as", "#field-alias"],
        "{links:?}"
    );
    assert!(links[0].1.starts_with("Post to: "), "{links:?}");

    // Each field: inline message with the same words, aria-invalid, described by hint + error.
    for (field, words) in [
        (Field::Channel, "Enter where messages are posted"),
        (Field::PostAs, "Enter the username"),
        (Field::Alias, "remove “/”"),
    ] {
        let id = field.id();
        assert_eq!(
            attr(&format!("#{id}"), "aria-invalid").as_deref(),
            Some("true"),
            "{id}"
        );
        let described = attr(&format!("#{id}"), "aria-describedby").unwrap_or_default();
        assert!(
            described.contains(&format!("{id}-hint")),
            "{id}: {described}"
        );
        assert!(
            described.contains(&format!("{id}-error")),
            "{id}: {described}"
        );
        let inline = text(&format!("#{id}-error"));
        assert!(inline.contains(words), "{id}: {inline}");
        assert!(
            inline.starts_with("Error:"),
            "visually hidden prefix: {inline}"
        );
        assert!(text("#error-summary").contains(words));
    }
    // What was typed stays.
    assert_eq!(input("#field-alias").value(), "bad/alias");

    // A summary link moves focus to its field.
    click("#error-summary a[href='#field-post-as']");
    until("focus on Post as", || active_id() == "field-post-as").await;
}

#[wasm_bindgen_test]
async fn after_a_submit_each_field_is_revalidated_as_it_is_corrected() {
    open_new_form(|| {}).await;
    submit();
    until("the error summary", || query("#error-summary").is_some()).await;
    type_into("#field-channel", "dev");
    until("the channel message follows the typing", || {
        text("#field-channel-error").contains("Start “dev” with #")
    })
    .await;
    type_into("#field-channel", "#dev");
    until("the channel error goes away", || {
        query("#field-channel-error").is_none()
    })
    .await;
    assert_eq!(attr("#field-channel", "aria-invalid"), None);
    assert!(!attr("#field-channel", "aria-describedby")
        .unwrap_or_default()
        .contains("error"));
    assert!(query("#error-summary a[href='#field-channel']").is_none());
    // The other problem is still listed.
    assert!(query("#error-summary a[href='#field-post-as']").is_some());
    type_into("#field-post-as", "rocket.cat");
    until("the summary goes away", || {
        query("#error-summary").is_none()
    })
    .await;
    assert!(!document().title().starts_with("Error: "));
}

#[wasm_bindgen_test]
async fn the_script_editor_keeps_tabs_and_indentation() {
    open_new_form(|| {}).await;
    let area = textarea("#field-script");
    area.focus().unwrap();
    key("#field-script", "Tab");
    until("a tab", || textarea("#field-script").value() == "\t").await;
    assert_eq!(active_id(), "field-script", "Tab stays in the editor");
    // Type on the indented line, then Enter keeps the indentation.
    area.set_value("\tif (x) {");
    area.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    area.set_selection_range(9, 9).unwrap();
    key("#field-script", "Enter");
    until("newline with the indentation", || {
        textarea("#field-script").value() == "\tif (x) {\n\t"
    })
    .await;
    // The gutter numbers every line.
    until("two line numbers", || text(".editor-gutter") == "1\n2").await;
    // Esc then Tab leaves the editor alone (the browser moves focus on).
    key("#field-script", "Escape");
    key("#field-script", "Tab");
    settle(50).await;
    assert_eq!(textarea("#field-script").value(), "\tif (x) {\n\t");
}

fn stored_draft() -> String {
    let mut form = Form::Incoming(IncomingForm::new());
    form.set_text(Field::Name, "Half-typed alerts".into());
    form.set_text(Field::Channel, "#ops".into());
    form.set_flag(Field::Enabled, false);
    draft::encode(&form, "2025-03-04T05:06:07Z")
}

fn draft_key(user_id: &str) -> String {
    draft::key(SERVER, user_id, Kind::Incoming, None)
}

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
async fn a_stored_draft_is_offered_back_and_restored() {
    open_new_form_as("u-restore", || {
        local_storage()
            .set_item(&draft_key("u-restore"), &stored_draft())
            .unwrap();
    })
    .await;
    until("the draft offer", || {
        text(".draft-offer").contains("You have a draft")
    })
    .await;
    // Nothing is applied until asked.
    assert_eq!(input("#field-name").value(), "");
    let restore = query_all(".draft-offer button")
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default() == "Restore draft")
        .expect("Restore draft button");
    restore.dyn_into::<HtmlElement>().unwrap().click();
    until("the draft values", || {
        input("#field-name").value() == "Half-typed alerts"
    })
    .await;
    assert_eq!(input("#field-channel").value(), "#ops");
    assert!(!input("#field-enabled").checked());
    assert!(query(".draft-offer").is_none());
}

#[wasm_bindgen_test]
async fn a_draft_can_be_discarded_and_typing_saves_a_new_one() {
    open_new_form_as("u-discard", || {
        local_storage()
            .set_item(&draft_key("u-discard"), &stored_draft())
            .unwrap();
    })
    .await;
    until("the draft offer", || query(".draft-offer").is_some()).await;
    let discard = query_all(".draft-offer button")
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default() == "Discard")
        .expect("Discard button");
    discard.dyn_into::<HtmlElement>().unwrap().click();
    until("the offer goes", || query(".draft-offer").is_none()).await;
    assert_eq!(
        local_storage().get_item(&draft_key("u-discard")).unwrap(),
        None
    );
    assert_eq!(input("#field-name").value(), "");

    type_into("#field-name", "Typed now");
    until("a new draft", || {
        local_storage()
            .get_item(&draft_key("u-discard"))
            .unwrap()
            .is_some_and(|d| d.contains("Typed now"))
    })
    .await;
    // Back to the stored values: the draft is dropped.
    type_into("#field-name", "");
    until("no draft", || {
        local_storage()
            .get_item(&draft_key("u-discard"))
            .unwrap()
            .is_none()
    })
    .await;
}
