//! Component tests of the sign-in page, mounted in headless Chromium.
#![cfg(target_arch = "wasm32")]

mod web_support;

use wasm_bindgen_test::*;
use web_support::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount_app() {
    mount(hookpanel::app::App);
}

#[wasm_bindgen_test]
async fn opens_on_the_sign_in_page_with_the_page_origin_as_server() {
    mount_app();
    until("sign-in form", || query("#server").is_some()).await;
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    // The value property is set by a render effect, a tick after the element exists.
    until("server address filled in", || {
        input("#server").value() == origin
    })
    .await;
    assert_eq!(text("#test-root h1"), "Sign in");
    let path = web_sys::window().unwrap().location().pathname().unwrap();
    assert_eq!(path, "/sign-in");
    // Every input has a label pointing at it.
    for id in ["server", "user", "password"] {
        assert!(
            query(&format!("label[for={id}]")).is_some(),
            "label for #{id}"
        );
    }
}

#[wasm_bindgen_test]
async fn submitting_empty_fields_says_what_is_missing_without_calling_the_server() {
    mount_app();
    until("sign-in form", || query("#user").is_some()).await;
    type_into("#user", "admin");
    click("button[type=submit]");
    until("an alert", || query("[role=alert]").is_some()).await;
    assert!(text("[role=alert]")
        .contains("Fill in the server address, your username or e-mail, and your password"));
    // What was typed stays.
    assert_eq!(input("#user").value(), "admin");
    assert!(
        query("#sign-in-error").is_none(),
        "no server error: nothing was sent"
    );
}
