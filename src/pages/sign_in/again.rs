//! The "sign in again" dialog: when a signed-in call meets a 401, it opens over the page,
//! which stays as it is underneath, so nothing typed is lost. Reads that failed wait for it
//! and are sent again; writes are saved again by the person (see `crate::api`).

use super::form::SignInForm;
use crate::api::use_recovery;
use crate::components::{effect, Announcer};
use crate::session::{remember_recent_server, Session};
use leptos::html::Dialog;
use leptos::prelude::*;

/// The modal dialog; render it once, at the root.
#[component]
pub fn SignInAgainDialog() -> impl IntoView {
    let recovery = use_recovery();
    if let Some(announcer) = use_context::<Announcer>() {
        recovery.announce_with(Callback::new(move |text: String| announcer.announce(text)));
    }
    let dialog = NodeRef::<Dialog>::new();
    effect(move || {
        let Some(el) = dialog.get() else { return };
        let open = recovery.is_open();
        if open && !el.open() {
            let _ = el.show_modal();
            // The name is filled in already: the password is what to type.
            request_animation_frame(|| crate::browser::focus_id("again-password"));
        } else if !open && el.open() {
            el.close();
        }
    });
    let on_done = Callback::new(move |session: Session| {
        remember_recent_server(&session.server);
        let same_person = recovery.session().renew(session);
        recovery.finish(same_person);
    });
    let cancel = Callback::new(move |()| recovery.finish(false));
    view! {
        <dialog node_ref=dialog aria-labelledby="again-title" on:close=move |_| cancel.run(())>
            <h2 id="again-title">"Your session has expired"</h2>
            <p>"Sign in again to carry on. The page behind stays as it is, with everything you typed."</p>
            // Built afresh at each opening, with the session as it is then.
            {move || recovery.is_open().then(|| view! {
                <SignInForm
                    prefix="again-"
                    again=recovery.session().get_untracked().unwrap_or_else(empty_session)
                    on_done
                    cancel
                />
            })}
        </dialog>
    }
}

/// Stands in when the session vanished meanwhile (the form then still asks for everything
/// but the server, which is the page's own).
fn empty_session() -> Session {
    Session {
        server: crate::browser::page_origin(),
        user_id: String::new(),
        auth_token: String::new(),
        username: String::new(),
        remember: false,
        credential: crate::session::Credential::Login,
    }
}
