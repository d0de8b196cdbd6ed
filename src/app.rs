//! The root component: session and server context, the page frame and the routes.

use crate::api::{Client, PageRequests, Recovery};
use crate::components::{effect, StatusRegion};
use crate::core::auth::{self, SignedOut};
use crate::pages::{provide_handover, screens, NotFound, SignInAgainDialog, SignInPage};
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
    provide_handover();
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

/// The screen for the current address. Each screen's requests end with it.
#[component]
fn Pages() -> impl IntoView {
    let route = use_route();
    move || {
        PageRequests::provide();
        page(route.get())
    }
}

/// The screen of one route. Sign-in lives in the first wasm file; every screen behind it is
/// loaded on first use in the split build (`pages::screens`).
fn page(route: Route) -> AnyView {
    match route {
        Route::Home => view! { <Home /> }.into_any(),
        Route::SignIn => view! { <SignInPage /> }.into_any(),
        Route::NotFound => view! { <NotFound /> }.into_any(),
        protected => {
            view! { <Protected>{screens::screen(protected.clone())}</Protected> }.into_any()
        }
    }
}

/// Replaces the current address (for pages that only send the person elsewhere).
#[component]
fn Redirect(#[prop(into)] path: String) -> impl IntoView {
    let navigate = use_navigate();
    effect(move || navigate(&path, NavigateOptions::REPLACE));
}

/// `/` sends the person where they can act: the list when signed in, else the sign-in page.
#[component]
fn Home() -> impl IntoView {
    let target = if use_session().signed_in_untracked() {
        Route::List
    } else {
        Route::SignIn
    };
    view! { <Redirect path=target.href() /> }
}

/// Shows its children only with a session; otherwise sends the person to sign in, and back
/// here afterwards.
#[component]
fn Protected(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    // Signing out leads to the plain sign-in page; arriving signed out remembers the way back.
    let signed_out_here = session.signed_in_untracked();
    let back_here = move || {
        let path = if signed_out_here {
            Route::SignIn.href()
        } else {
            Route::SignIn.with_query(&[("next", location.pathname.get_untracked())])
        };
        view! { <Redirect path /> }
    };
    view! {
        <Show when=move || session.signed_in() fallback=back_here>
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
        if let Some(old) = session.sign_out() {
            // Asks the server to end the login token; the sign-in page says whether it did.
            // A task rather than an action: nothing reads its pending state or value.
            let client = Client::for_session(&old).without_recovery();
            leptos::task::spawn_local(async move {
                let answer = client.call(&auth::logout()).await;
                session.logout_answered(SignedOut::after_logout(&answer));
            });
        }
        navigate(&Route::SignIn.href(), NavigateOptions::default());
    };
    view! {
        <header class="app-header">
            <a href=Route::Home.href() class="brand">
                <img src="/favicon.svg" alt="" width="24" height="24" />
                "hookpanel"
            </a>
            <Show when=move || session.signed_in()>
                <nav aria-label="Main" class="main-nav">
                    <a href=Route::List.href() aria-current=aria_current(Route::List)>"Integrations"</a>
                    <a href=Route::About.href() aria-current=aria_current(Route::About)>"About this server"</a>
                </nav>
                <span class="server">{move || session.server()}</span>
                <span class="spacer"></span>
                <span class="user-menu">
                    <span>
                        "Signed in as "
                        <strong>{move || session.username()}</strong>
                    </span>
                    <button type="button" class="btn btn-small" on:click=sign_out>
                        "Sign out"
                    </button>
                </span>
            </Show>
        </header>
    }
}
