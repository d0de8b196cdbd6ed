//! Asks before unsaved changes are lost. leptos_router has no navigation blocker, so:
//! - link clicks are caught on `window` in the capture phase, ahead of the router's click
//!   listener, and cancelled (the router skips prevented clicks);
//! - back/forward steps (`popstate`, whose only target is `window`) reach listeners in the
//!   order they were added, so [`install`] adds one before the router exists; it stops a
//!   refused step from reaching the router and puts the page's address back;
//! - closing or reloading the tab gets the browser's own `beforeunload` question.

use leptos::__reexports::send_wrapper::SendWrapper;
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, MouseEvent};

/// The question asked before leaving.
const QUESTION: &str = "You have unsaved changes. Leave this page and lose them?\n\n(A draft stays in this browser and is offered back when you return.)";

thread_local! {
    /// The mounted guard: whether its form is dirty, and the address of its page.
    static ACTIVE: RefCell<Option<(Signal<bool>, String)>> = const { RefCell::new(None) };
}

/// Adds the back/forward listener; call once before the app (and its router) mounts.
pub fn install() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_pop = Closure::wrap(Box::new(|ev: Event| {
        let Some((dirty, here)) = ACTIVE.with(|a| a.borrow().clone()) else {
            return;
        };
        if dirty.try_get_untracked() == Some(true) && !ask() {
            ev.stop_immediate_propagation();
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&here));
            }
        }
    }) as Box<dyn FnMut(Event)>);
    let _ =
        window.add_event_listener_with_callback("popstate", on_pop.into_js_value().unchecked_ref());
}

/// While `dirty` holds, leaving the page asks first.
#[component]
pub fn UnsavedGuard(#[prop(into)] dirty: Signal<bool>) -> impl IntoView {
    let Some(window) = web_sys::window() else {
        return;
    };
    let here = window.location().href().unwrap_or_default();
    ACTIVE.with(|a| *a.borrow_mut() = Some((dirty, here)));

    let unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if dirty.try_get_untracked() == Some(true) {
            ev.prevent_default();
            ev.set_return_value("unsaved");
        }
    });

    let on_click = Closure::wrap(Box::new(move |ev: Event| {
        let Some(ev) = ev.dyn_ref::<MouseEvent>() else {
            return;
        };
        let plain =
            ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key());
        if plain
            && !ev.default_prevented()
            && dirty.try_get_untracked() == Some(true)
            && leaves_page(ev)
            && !ask()
        {
            ev.prevent_default();
        }
    }) as Box<dyn FnMut(Event)>)
    .into_js_value();
    let _ =
        window.add_event_listener_with_callback_and_bool("click", on_click.unchecked_ref(), true);
    let on_click = SendWrapper::new(on_click);

    on_cleanup(move || {
        ACTIVE.with(|a| {
            let mut a = a.borrow_mut();
            if a.as_ref().is_some_and(|(d, _)| *d == dirty) {
                *a = None;
            }
        });
        unload.remove();
        if let Some(w) = web_sys::window() {
            let _ = w.remove_event_listener_with_callback_and_bool(
                "click",
                on_click.unchecked_ref(),
                true,
            );
        }
    });
}

/// Whether the click follows a link that leaves this page inside the app: same origin, no
/// `target`, no `download`, and not a jump within the page (`#…`).
fn leaves_page(ev: &MouseEvent) -> bool {
    leaving_link(ev).unwrap_or(false)
}

fn leaving_link(ev: &MouseEvent) -> Option<bool> {
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let link = target.closest("a[href]").ok()??;
    let link = link.dyn_into::<web_sys::HtmlAnchorElement>().ok()?;
    let location = web_sys::window()?.location();
    let same_page =
        link.pathname() == location.pathname().ok()? && link.search() == location.search().ok()?;
    Some(
        link.target().is_empty()
            && !link.has_attribute("download")
            && link.origin() == location.origin().ok()?
            && !same_page,
    )
}

fn ask() -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(QUESTION).ok())
        .unwrap_or(true)
}
