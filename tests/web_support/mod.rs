//! Helpers for component tests that run in headless Chromium (wasm-bindgen-test).
#![allow(dead_code)]

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

pub fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Waits for the browser to run pending tasks (effects, microtasks, a paint).
pub async fn settle(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits until `f` holds, checking every 10 ms for up to 3 s; panics with `what` otherwise.
pub async fn until(what: &str, f: impl Fn() -> bool) {
    for _ in 0..300 {
        if f() {
            return;
        }
        settle(10).await;
    }
    panic!(
        "timed out waiting for: {what}\nbody: {}",
        document().body().unwrap().inner_html()
    );
}

pub fn query(selector: &str) -> Option<Element> {
    document().query_selector(selector).unwrap()
}

pub fn query_all(selector: &str) -> Vec<Element> {
    let list = document().query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

pub fn text(selector: &str) -> String {
    query(selector)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

pub fn input(selector: &str) -> HtmlInputElement {
    query(selector).expect(selector).dyn_into().unwrap()
}

/// Types `value` into an input as a person would (sets it, then fires `input`).
pub fn type_into(selector: &str, value: &str) {
    let el = input(selector);
    el.set_value(value);
    el.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

pub fn click(selector: &str) {
    query(selector)
        .expect(selector)
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
}

thread_local! {
    /// The mounted app: its owner and mount handle, for [`unmount`].
    static MOUNTED: std::cell::RefCell<Option<(leptos::prelude::Owner, Box<dyn std::any::Any>)>> =
        const { std::cell::RefCell::new(None) };
}

/// Removes the previous test's app and runs its clean-ups, so its listeners (the router's
/// clicks and history) stop; pending requests would otherwise keep it alive.
pub fn unmount() {
    if let Some((owner, handle)) = MOUNTED.with(|m| m.borrow_mut().take()) {
        drop(handle);
        owner.cleanup();
    }
    if let Some(old) = query("#test-root") {
        old.remove();
    }
}

/// Mounts a view into a fresh `#test-root` (replacing the previous test's), with empty storage.
/// The body itself is left alone: the test runner reports through elements of its own there.
pub fn mount<F, V>(view: F)
where
    F: FnOnce() -> V + 'static,
    V: leptos::prelude::IntoView + 'static,
{
    unmount();
    let window = web_sys::window().unwrap();
    let _ = window.session_storage().unwrap().unwrap().clear();
    let _ = window.local_storage().unwrap().unwrap().clear();
    let root: HtmlElement = document()
        .create_element("div")
        .unwrap()
        .dyn_into()
        .unwrap();
    root.set_id("test-root");
    document().body().unwrap().append_child(&root).unwrap();
    let owner = leptos::prelude::Owner::new();
    let handle = owner.with(|| leptos::mount::mount_to(root, view));
    MOUNTED.with(|m| *m.borrow_mut() = Some((owner, Box::new(handle))));
}

/// Mounts the whole app at `path`, signed in to `server` as `user_id` (a stored session, as
/// after signing in); `before` runs after storage is cleared, ahead of the app.
pub fn mount_app(path: &str, server: &str, user_id: &str, before: impl FnOnce() + 'static) {
    unmount();
    let window = web_sys::window().unwrap();
    window
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .unwrap();
    let session = format!(
        r#"{{"server":"{server}","user_id":"{user_id}","auth_token":"t","username":"admin"}}"#
    );
    mount(move || {
        web_sys::window()
            .unwrap()
            .session_storage()
            .unwrap()
            .unwrap()
            .set_item("hookpanel.session", &session)
            .unwrap();
        before();
        hookpanel::app::App()
    });
}
