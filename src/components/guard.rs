//! Asks before unsaved changes are lost: in-app links and back/forward through the router's
//! leave guard, closing or reloading the tab through the browser's own `beforeunload` question.

use crate::router::use_leave_guard;
use leptos::prelude::*;

/// The question asked before leaving.
const QUESTION: &str = "You have unsaved changes. Leave this page and lose them?\n\n(A draft stays in this browser and is offered back when you return.)";

/// While `dirty` holds, leaving the page asks first.
#[component]
pub fn UnsavedGuard(#[prop(into)] dirty: Signal<bool>) -> impl IntoView {
    use_leave_guard(Callback::new(move |()| {
        dirty.try_get_untracked() != Some(true) || ask()
    }));
    let unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if dirty.try_get_untracked() == Some(true) {
            ev.prevent_default();
            ev.set_return_value("unsaved");
        }
    });
    on_cleanup(move || unload.remove());
}

fn ask() -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(QUESTION).ok())
        .unwrap_or(true)
}
