//! Signing in: the sign-in page, and the dialog that renews an expired session over any
//! page. Both use one form (`form.rs`).

mod again;
mod form;

pub use again::SignInAgainDialog;

use crate::browser;
use crate::core::auth::SignedOut;
use crate::router::{use_navigate, use_query_map, NavigateOptions, Route};
use crate::session::{remember_recent_server, use_session, Session};
use form::SignInForm;
use leptos::prelude::*;

/// Signs the person in to a Rocket.Chat server, then opens the page they were sent here
/// from (`?next=`), or the list.
#[component]
pub fn SignInPage() -> impl IntoView {
    browser::set_title("Sign in · hookpanel");
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let on_done = Callback::new(move |new_session: Session| {
        remember_recent_server(&new_session.server);
        session.set(new_session);
        // Only paths of this app: never another site ("//evil.example").
        let next = query
            .with_untracked(|q| q.get("next"))
            .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\"))
            .unwrap_or_else(|| Route::List.href());
        navigate(&next, NavigateOptions::default());
    });
    // The first keystroke starts fetching the next screen's code while the person types.
    let preloaded = StoredValue::new(false);
    let preload = move |_| {
        if !preloaded.get_value() {
            preloaded.set_value(true);
            super::screens::preload_list();
        }
    };
    // Arriving from "Sign out", whose button is gone: focus what happened to the token.
    if untrack(|| session.signed_out()).is_some() {
        request_animation_frame(|| browser::focus_id("signed-out"));
    }
    view! {
        <div class="card narrow" on:input=preload>
            <h1>"Sign in"</h1>
            // A status region from the start, so the answer that follows is announced too.
            <p id="signed-out" tabindex="-1" role="status" class="signed-out" class:warn=move || session.signed_out() == Some(SignedOut::NotConfirmed)>
                {move || session.signed_out().map(SignedOut::text)}
            </p>
            <p class="muted">"Sign in to the Rocket.Chat server whose webhooks you manage."</p>
            <SignInForm prefix="" on_done />
        </div>
    }
}
