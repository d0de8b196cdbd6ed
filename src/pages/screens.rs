//! The screens behind sign-in, one `#[lazy]` function each. In the split release build (feature
//! `split`, scripts/split.mjs) each is cut into its own wasm file that the browser fetches the
//! first time the screen opens; code shared by several lands in a shared file. Without the
//! feature they are ordinary functions in the one binary, so `trunk serve` and the component
//! tests need no splitting step.

use super::about::AboutPage;
use super::history::OutgoingHistoryPage;
use super::incoming::{IncomingEditPage, IncomingNewPage};
use super::integrations::IntegrationsPage;
use super::outgoing::{OutgoingEditPage, OutgoingNewPage};
use crate::router::Route;
use leptos::prelude::*;

/// Marks a screen as a split point of the release build.
macro_rules! screen_fn {
    ($(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),*) $body:block) => {
        $(#[$doc])*
        #[cfg_attr(feature = "split", leptos::lazy)]
        fn $name($($arg: $ty),*) -> AnyView $body
    };
}

screen_fn! {
    /// The list of integrations.
    fn list_screen() { view! { <IntegrationsPage /> }.into_any() }
}
screen_fn! {
    /// The four editors share most of their code (the form, the script editor and lab), so
    /// they are one split point: one file instead of four small ones and a large shared one.
    fn editor_screen(route: Route) {
        match route {
            Route::NewIncoming => view! { <IncomingNewPage /> }.into_any(),
            Route::Incoming(id) => view! { <IncomingEditPage id /> }.into_any(),
            Route::NewOutgoing => view! { <OutgoingNewPage /> }.into_any(),
            Route::Outgoing(id) => view! { <OutgoingEditPage id /> }.into_any(),
            _ => ().into_any(),
        }
    }
}
screen_fn! {
    /// An outgoing webhook's call history.
    fn history_screen(id: String) { view! { <OutgoingHistoryPage id /> }.into_any() }
}
screen_fn! {
    /// What the server runs and allows.
    fn about_screen() { view! { <AboutPage /> }.into_any() }
}

/// Calls a screen function: directly, or (split build) once its wasm file has loaded.
macro_rules! load {
    ($screen:ident($($arg:expr),*)) => {{
        #[cfg(feature = "split")]
        let view = Suspend::new($screen($($arg),*)).into_any();
        #[cfg(not(feature = "split"))]
        let view = $screen($($arg),*);
        view
    }};
}

/// The view of a screen behind sign-in (the router handles the others).
pub(crate) fn screen(route: Route) -> AnyView {
    match route {
        Route::List => load!(list_screen()),
        editor @ (Route::NewIncoming
        | Route::Incoming(_)
        | Route::NewOutgoing
        | Route::Outgoing(_)) => {
            load!(editor_screen(editor))
        }
        Route::History(id) => load!(history_screen(id)),
        Route::About => load!(about_screen()),
        Route::Home | Route::SignIn | Route::NotFound => ().into_any(),
    }
}

/// Fetches the list's wasm file while the person signs in, the next screen they see. Called on
/// their first keystroke in the form, so it never competes with the form's own files.
pub(crate) fn preload_list() {
    #[cfg(feature = "split")]
    leptos::task::spawn_local(__preload_list_screen());
}
