//! The sign-in page: server address, username or e-mail, password.

use crate::api::Client;
use crate::browser;
use crate::core::auth;
use crate::core::errors::ApiError;
use crate::router::{use_navigate, NavigateOptions};
use crate::session::{use_session, Session};
use leptos::prelude::*;

/// Signs the person in to a Rocket.Chat server.
#[component]
pub fn SignInPage() -> impl IntoView {
    browser::set_title("Sign in · hookpanel");
    let session = use_session();
    let navigate = use_navigate();
    let server = RwSignal::new(browser::page_origin());
    let user = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());

    let sign_in = Action::new_local(move |(server, user, password): &(String, String, String)| {
        let (server, user, password) = (
            server.trim().trim_end_matches('/').to_string(),
            user.trim().to_string(),
            password.clone(),
        );
        async move {
            let request = auth::login(&user, &password, None);
            let answer = Client::anonymous(&server).call(&request).await?;
            let Some(credentials) = auth::parse_login(&answer) else {
                return Err(ApiError::Unexpected {
                    status: 200,
                    message: "The sign-in answer carried no credentials.".into(),
                });
            };
            Ok(Session {
                server,
                user_id: credentials.user_id,
                auth_token: credentials.auth_token,
                username: credentials.username.unwrap_or(user),
                remember: false,
            })
        }
    });

    Effect::new(move || {
        if let Some(Ok(new_session)) = sign_in.value().get() {
            session.set(new_session);
            navigate("/integrations", NavigateOptions::default());
        }
    });

    let error = move || match sign_in.value().get() {
        Some(Err(
            ApiError::Unauthorized {
                two_factor: None, ..
            }
            | ApiError::Forbidden { .. },
        )) => Some("Wrong username, e-mail or password.".to_string()),
        Some(Err(e)) => Some(e.display()),
        _ => None,
    };
    let missing = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let values = (
            server.get_untracked(),
            user.get_untracked(),
            password.get_untracked(),
        );
        missing
            .set(values.0.trim().is_empty() || values.1.trim().is_empty() || values.2.is_empty());
        if !missing.get_untracked() {
            sign_in.dispatch(values);
        }
    };

    view! {
        <div class="card narrow">
            <h1>"Sign in"</h1>
            <p class="muted">"Sign in to the Rocket.Chat server whose webhooks you manage."</p>
            <Show when=move || missing.get()>
                <div class="alert alert-error" role="alert">"Fill in the server address, your username or e-mail, and your password."</div>
            </Show>
            {move || error().map(|e| view! { <div class="alert alert-error" role="alert" id="sign-in-error">{e}</div> })}
            <form on:submit=on_submit novalidate>
                <div class="field">
                    <label for="server">"Server address"</label>
                    <span class="hint" id="server-hint">"For example https://chat.example.com"</span>
                    <input id="server" class="input" type="url" autocomplete="url" aria-describedby="server-hint" bind:value=server />
                </div>
                <div class="field">
                    <label for="user">"Username or e-mail"</label>
                    <input id="user" class="input" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" bind:value=user />
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" class="input" type="password" autocomplete="current-password" bind:value=password />
                </div>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || sign_in.pending().get()>
                        {move || if sign_in.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </div>
            </form>
        </div>
    }
}
