//! The router in a real browser: link clicks navigate in-app, back/forward follow, the query
//! string is read by the browser's parser, and a leave guard can keep the person on the page.
#![cfg(target_arch = "wasm32")]

mod web_support;

use hookpanel::router::{provide_router, use_leave_guard, use_location, use_query_map, ParamsMap};
use leptos::prelude::*;
use wasm_bindgen_test::*;
use web_support::*;

wasm_bindgen_test_configure!(run_in_browser);

fn set_address(path: &str) {
    let history = web_sys::window().unwrap().history().unwrap();
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .unwrap();
}

#[wasm_bindgen_test]
fn query_strings_are_read_by_the_browser_parser() {
    let map = ParamsMap::from_search("?tab=outgoing&q=a+b%26c");
    assert_eq!(map.get("tab").as_deref(), Some("outgoing"));
    assert_eq!(map.get("q").as_deref(), Some("a b&c"));
    assert_eq!(map.get("page"), None);
}

#[wasm_bindgen_test]
async fn links_navigate_in_app_and_the_guard_can_refuse() {
    set_address("/start?tab=all");
    let allow = RwSignal::new(true);
    mount(move || {
        provide_router();
        let location = use_location();
        let query = use_query_map();
        view! {
            <Guarded allow=allow />
            <p id="path">{move || location.pathname.get()}</p>
            <p id="tab">{move || query.get().get("tab").unwrap_or_default()}</p>
            <a id="go" href="/integrations?tab=outgoing">"go"</a>
            <a id="away" href="https://example.com/">"away"</a>
        }
    });
    until("first render", || text("#path") == "/start").await;
    assert_eq!(text("#tab"), "all");

    allow.set(false);
    click("#go");
    settle(20).await;
    assert_eq!(text("#path"), "/start", "the guard kept the page");

    allow.set(true);
    click("#go");
    until("navigated", || text("#path") == "/integrations").await;
    assert_eq!(text("#tab"), "outgoing");
    let address = web_sys::window().unwrap().location().pathname().unwrap();
    assert_eq!(address, "/integrations");
}

#[component]
fn Guarded(allow: RwSignal<bool>) -> impl IntoView {
    use_leave_guard(Callback::new(move |()| allow.get_untracked()));
}
