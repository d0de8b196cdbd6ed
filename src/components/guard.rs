//! Asks before unsaved changes are lost. leptos_router has no navigation blocker, so the
//! guard listens on `window` in the capture phase, ahead of the router's own listeners:
//! link clicks are cancelled (the router skips prevented clicks), and a back/forward step is
//! stopped before the router sees it and undone by putting the page's address back.
//! Closing or reloading the tab gets the browser's own `beforeunload` question.

use leptos::prelude::*;
use leptos::__reexports::send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, MouseEvent};

/// The question asked before leaving.
const QUESTION: &str = "You have unsaved changes. Leave this page and lose them?\n\n(A draft stays in this browser and is offered back when you return.)";

/// While `dirty` holds, leaving the page asks first.
#[component]
pub fn UnsavedGuard(#[prop(into)] dirty: Signal<bool>) -> impl IntoView {
    let Some(window) = web_sys::window() else {
        return;
    };
    // The address of this page, to restore when a back step is refused.
    let here = window.location().href().unwrap_or_default();

    let unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if dirty.get_untracked() {
            ev.prevent_default();
            ev.set_return_value("unsaved");
        }
    });

    let click = capture(&window, "click", Box::new(move |ev: Event| {
        if !dirty.get_untracked() {
            return;
        }
        let Some(ev) = ev.dyn_ref::<MouseEvent>() else {
            return;
        };
        if ev.default_prevented() || ev.button() != 0 || ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key() {
            return;
        }
        if leaves_page(ev) && !ask() {
            ev.prevent_default();
        }
    }));

    let pop = capture(&window, "popstate", Box::new(move |ev: Event| {
        if dirty.get_untracked() && !ask() {
            // Keep the router from seeing the step, and show this page's address again.
            ev.stop_immediate_propagation();
            if let Ok(history) = web_sys::window().map_or(Err(JsValue::NULL), |w| w.history()) {
                let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&here));
            }
        }
    }));

    on_cleanup(move || {
        unload.remove();
        click.remove();
        pop.remove();
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
    let same_page = link.pathname() == location.pathname().ok()?
        && link.search() == location.search().ok()?;
    let leaves = link.target().is_empty()
        && !link.has_attribute("download")
        && link.origin() == location.origin().ok()?
        && !same_page;
    Some(leaves)
}

fn ask() -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(QUESTION).ok())
        .unwrap_or(true)
}

/// A capture-phase listener on `window`, removable (the closure stays owned by JavaScript).
fn capture(window: &web_sys::Window, name: &'static str, f: Box<dyn FnMut(Event)>) -> Listener {
    let callback = Closure::wrap(f).into_js_value();
    let _ = window.add_event_listener_with_callback_and_bool(name, callback.unchecked_ref(), true);
    Listener {
        name,
        callback: SendWrapper::new(callback),
    }
}

/// A listener added by [`capture`].
struct Listener {
    name: &'static str,
    callback: SendWrapper<JsValue>,
}

impl Listener {
    fn remove(self) {
        if let Some(w) = web_sys::window() {
            let _ = w.remove_event_listener_with_callback_and_bool(
                self.name,
                self.callback.unchecked_ref(),
                true,
            );
        }
    }
}
