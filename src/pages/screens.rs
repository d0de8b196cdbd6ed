//! The screens behind sign-in, one split point each. In the split release build (feature
//! `split`, scripts/split.mjs) each is cut into its own wasm file that the browser fetches the
//! first time the screen opens; code shared by several lands in a shared file. Without the
//! feature they are ordinary functions in the one binary, so `trunk serve` and the component
//! tests need no splitting step.

use super::about::AboutPage;
use super::history::OutgoingHistoryPage;
use super::incoming::{IncomingEditPage, IncomingNewPage};
use super::integrations::IntegrationsPage;
use super::outgoing::{OutgoingEditPage, OutgoingNewPage};
use crate::core::model::Kind;
use crate::router::Route;
use crate::split::{split_fn, LoadFailed};
use leptos::prelude::*;

type Screen = Result<AnyView, LoadFailed>;

/// Declares a screen's split point: `fn name(args) { view }`, loaded through `preload` in the
/// split build.
macro_rules! split_point {
    ($(#[$doc:meta])* $module:ident, $preload:ident: fn $name:ident($($arg:ident: $ty:ty),*) $body:block) => {
        split_fn! { $(#[$doc])* $module, $preload: fn $name($($arg: $ty),*) -> AnyView $body }
    };
}

split_point! {
    /// The list of integrations.
    hookpanel_list, preload_list_code: fn list_screen() { view! { <IntegrationsPage /> }.into_any() }
}
split_point! {
    /// The four editors share most of their code (the form, the script editor and lab), so
    /// they are one split point: one file instead of four small ones and a large shared one.
    /// `id` is the stored webhook's, `None` for a new one.
    hookpanel_editor, preload_editor_code: fn editor_screen(kind: Kind, id: Option<String>) {
        match (kind, id) {
            (Kind::Incoming, None) => view! { <IncomingNewPage /> }.into_any(),
            (Kind::Incoming, Some(id)) => view! { <IncomingEditPage id /> }.into_any(),
            (Kind::Outgoing, None) => view! { <OutgoingNewPage /> }.into_any(),
            (Kind::Outgoing, Some(id)) => view! { <OutgoingEditPage id /> }.into_any(),
        }
    }
}
split_point! {
    /// An outgoing webhook's call history.
    hookpanel_history, preload_history_code: fn history_screen(id: String) {
        view! { <OutgoingHistoryPage id /> }.into_any()
    }
}
split_point! {
    /// What the server runs and allows.
    hookpanel_about, preload_about_code: fn about_screen() { view! { <AboutPage /> }.into_any() }
}

/// Calls a screen function: directly, or (split build) once its wasm file has loaded.
macro_rules! load {
    ($screen:ident($($arg:expr),*)) => {{
        #[cfg(feature = "split")]
        let view = when_loaded(async move { shown($screen($($arg),*).await) });
        #[cfg(not(feature = "split"))]
        let view = shown($screen($($arg),*));
        view
    }};
}

/// The view of a screen behind sign-in (the router handles the others).
pub(crate) fn screen(route: Route) -> AnyView {
    match route {
        Route::List => load!(list_screen()),
        Route::NewIncoming => editor(Kind::Incoming, None),
        Route::Incoming(id) => editor(Kind::Incoming, Some(id)),
        Route::NewOutgoing => editor(Kind::Outgoing, None),
        Route::Outgoing(id) => editor(Kind::Outgoing, Some(id)),
        Route::History(id) => load!(history_screen(id)),
        Route::About => load!(about_screen()),
        Route::Home | Route::SignIn | Route::NotFound => ().into_any(),
    }
}

/// Shows nothing until `screen` is ready, then its view. Leptos's `Suspend` would do this
/// with Suspense's machinery, which the first wasm file would then carry for this one use.
#[cfg(feature = "split")]
fn when_loaded(screen: impl std::future::Future<Output = AnyView> + 'static) -> AnyView {
    let slot = RwSignal::new_local(None::<AnyView>);
    // The screen's components run under this owner when the code arrives, untracked as in any
    // component body; once the owner is gone (the route changed), the view is dropped.
    let screen = leptos::reactive::computed::ScopedFuture::new_untracked(screen);
    leptos::task::spawn_local(async move {
        let _ = slot.try_set(Some(screen.await));
    });
    // Taken without notifying, so the view is handed over once and stays mounted.
    (move || {
        slot.track();
        slot.try_update_untracked(Option::take).flatten()
    })
    .into_any()
}

/// An editor: new (`id` `None`) or stored, from the editors' one split point.
fn editor(kind: Kind, id: Option<String>) -> AnyView {
    load!(editor_screen(kind, id))
}

/// The screen, or what to do when its code (or the screens' stylesheet, see scripts/split.mjs)
/// did not arrive.
fn shown(screen: Screen) -> AnyView {
    screen.unwrap_or_else(|LoadFailed| {
        crate::browser::set_title("Not loaded · hookpanel");
        view! {
            <div class="card narrow" role="alert">
                <h1>"This screen did not load"</h1>
                <p>
                    "Its code did not arrive: the connection may have dropped, or hookpanel was "
                    "updated on the server since this page opened. Nothing you typed elsewhere is lost."
                </p>
                <button type="button" class="btn btn-primary" on:click=|_| crate::browser::reload()>
                    "Reload the page"
                </button>
            </div>
        }
        .into_any()
    })
}

/// Fetches the list's wasm file and the screens' stylesheet while the person signs in, the
/// next screen they see. Called on their first keystroke in the form, so it never competes with
/// the form's own files. A failed fetch is retried when the list opens.
pub(crate) fn preload_list() {
    #[cfg(feature = "split")]
    leptos::task::spawn_local(async {
        let _ = preload_list_code().await;
    });
}
