//! The root component: session and server context, the page frame and the routes.

use crate::api::{Client, Recovery};
use crate::components::StatusRegion;
use crate::core::auth;
use crate::pages::{
    AboutPage, IncomingEditPage, IncomingNewPage, IntegrationsPage, NotFound, OutgoingEditPage,
    OutgoingHistoryPage, OutgoingNewPage, SignInAgainDialog, SignInPage,
};
use crate::server::ServerContext;
use crate::session::{use_session, SessionState};
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes, A};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::path;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let session = SessionState::provide();
    Recovery::provide(session);
    ServerContext::provide();
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            // First, so its announcer is in context for everything after it.
            <StatusRegion />
            <AppHeader />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/sign-in") view=SignInPage />
                    <Route path=path!("/integrations") view=|| view! { <Protected><IntegrationsPage /></Protected> } />
                    <Route path=path!("/integrations/new/incoming") view=|| view! { <Protected><IncomingNewPage /></Protected> } />
                    <Route path=path!("/integrations/incoming/:id") view=|| view! { <Protected><IncomingEditPage /></Protected> } />
                    <Route path=path!("/integrations/new/outgoing") view=|| view! { <Protected><OutgoingNewPage /></Protected> } />
                    <Route path=path!("/integrations/outgoing/:id") view=|| view! { <Protected><OutgoingEditPage /></Protected> } />
                    <Route path=path!("/integrations/outgoing/:id/history") view=|| view! { <Protected><OutgoingHistoryPage /></Protected> } />
                    <Route path=path!("/about") view=|| view! { <Protected><AboutPage /></Protected> } />
                </Routes>
            </main>
            <SignInAgainDialog />
        </Router>
    }
}

/// `/` sends the person where they can act: the list when signed in, else the sign-in page.
#[component]
fn Home() -> impl IntoView {
    let session = use_session();
    move || {
        if session.0.with(Option::is_some) {
            view! { <Redirect path="/integrations" /> }
        } else {
            view! { <Redirect path="/sign-in" /> }
        }
    }
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
        navigate("/sign-in", Default::default());
    };
    view! {
        <header class="app-header">
            <A href="/" attr:class="brand">
                <img src="/favicon.svg" alt="" width="24" height="24" />
                "hookpanel"
            </A>
            <Show when=move || session.0.with(Option::is_some)>
                <nav aria-label="Main" class="main-nav">
                    <A href="/integrations">"Integrations"</A>
                    <A href="/about">"About this server"</A>
                </nav>
                <span class="server">{move || session.0.with(|s| s.as_ref().map(|s| s.server.clone()))}</span>
                <span class="spacer"></span>
                <span class="user-menu">
                    <span>
                        "Signed in as "
                        <strong>{move || session.0.with(|s| s.as_ref().map(|s| s.username.clone()))}</strong>
                    </span>
                    <button type="button" class="btn btn-small" on:click=sign_out.clone()>
                        "Sign out"
                    </button>
                </span>
            </Show>
        </header>
    }
}
