//! The root component: session and server context, the page frame and the routes.

use crate::api::{Client, Recovery};
use crate::components::StatusRegion;
use crate::core::auth;
use crate::pages::{
    AboutPage, IncomingEditPage, IncomingNewPage, IntegrationsPage, NotFound, OutgoingEditPage,
    OutgoingHistoryPage, OutgoingNewPage, SignInAgainDialog, SignInPage,
};
use crate::router::{
    aria_current, provide_router, use_location, use_navigate, use_route, NavigateOptions, Route,
};
use crate::server::ServerContext;
use crate::session::{use_session, SessionState};
use leptos::prelude::*;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let session = SessionState::provide();
    Recovery::provide(session);
    ServerContext::provide();
    provide_router();
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        // First, so its announcer is in context for everything after it.
        <StatusRegion />
        <AppHeader />
        <main id="main" tabindex="-1">
            <Pages />
        </main>
        <SignInAgainDialog />
    }
}

/// The screen for the current address.
#[component]
fn Pages() -> impl IntoView {
    let route = use_route();
    move || match route.get() {
        Route::Home => view! { <Home /> }.into_any(),
        Route::SignIn => view! { <SignInPage /> }.into_any(),
        Route::List => view! { <Protected><IntegrationsPage /></Protected> }.into_any(),
        Route::NewIncoming => view! { <Protected><IncomingNewPage /></Protected> }.into_any(),
        Route::Incoming(id) => {
            view! { <Protected><IncomingEditPage id=id.clone() /></Protected> }.into_any()
        }
        Route::NewOutgoing => view! { <Protected><OutgoingNewPage /></Protected> }.into_any(),
        Route::Outgoing(id) => {
            view! { <Protected><OutgoingEditPage id=id.clone() /></Protected> }.into_any()
        }
        Route::History(id) => {
            view! { <Protected><OutgoingHistoryPage id=id.clone() /></Protected> }.into_any()
        }
        Route::About => view! { <Protected><AboutPage /></Protected> }.into_any(),
        Route::NotFound => view! { <NotFound /> }.into_any(),
    }
}

/// Replaces the current address (for pages that only send the person elsewhere).
#[component]
fn Redirect(#[prop(into)] path: String) -> impl IntoView {
    let navigate = use_navigate();
    Effect::new(move || navigate(&path, NavigateOptions::REPLACE));
}

/// `/` sends the person where they can act: the list when signed in, else the sign-in page.
#[component]
fn Home() -> impl IntoView {
    let session = use_session();
    let target = if session.0.with_untracked(Option::is_some) {
        "/integrations"
    } else {
        "/sign-in"
    };
    view! { <Redirect path=target /> }
}

/// Shows its children only with a session; otherwise sends the person to sign in, and back
/// here afterwards.
#[component]
fn Protected(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    // Signing out leads to the plain sign-in page; arriving signed out remembers the way back.
    let signed_out_here = session.0.with_untracked(Option::is_some);
    let back_here = move || {
        let mut path = "/sign-in".to_owned();
        if !signed_out_here {
            path.push_str("?next=");
            path.push_str(&String::from(js_sys::encode_uri_component(
                &location.pathname.get_untracked(),
            )));
        }
        view! { <Redirect path /> }
    };
    view! {
        <Show when=move || session.0.with(Option::is_some) fallback=back_here>
            {children()}
        </Show>
    }
}

/// The top bar: product name, the server in use, and the signed-in person with sign-out.
#[component]
fn AppHeader() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let sign_out = move |_| {
        if let Some(current) = session.0.get_untracked() {
            let client = Client::for_session(&current).without_recovery();
            leptos::task::spawn_local(async move {
                // Any answer, even an error, means this token is no longer ours to use.
                let _ = client.call(&auth::logout()).await;
            });
        }
        session.clear();
        navigate("/sign-in", NavigateOptions::default());
    };
    view! {
        <header class="app-header">
            <a href="/" class="brand">
                <img src="/favicon.svg" alt="" width="24" height="24" />
                "hookpanel"
            </a>
            <Show when=move || session.0.with(Option::is_some)>
                <nav aria-label="Main" class="main-nav">
                    <a href="/integrations" aria-current=aria_current("/integrations")>"Integrations"</a>
                    <a href="/about" aria-current=aria_current("/about")>"About this server"</a>
                </nav>
                <span class="server">{move || session.0.with(|s| s.as_ref().map(|s| s.server.clone()))}</span>
                <span class="spacer"></span>
                <span class="user-menu">
                    <span>
                        "Signed in as "
                        <strong>{move || session.0.with(|s| s.as_ref().map(|s| s.username.clone()))}</strong>
                    </span>
                    <button type="button" class="btn btn-small" on:click=sign_out>
                        "Sign out"
                    </button>
                </span>
            </Show>
        </header>
    }
}
