//! What [`super::Client::call`] does about failures the app can recover from without the
//! page's help: an expired session opens the sign-in dialog over the page (reads wait for it
//! and are sent again), and a rate limit makes reads wait and try once more.
//!
//! The root component provides the [`Recovery`] as context; each client made below it
//! carries a copy, so calls running in async tasks reach it without any global.

use crate::session::{Session, SessionState};
use futures::channel::oneshot;
use leptos::prelude::*;
use std::time::Duration;

/// The sign-in-again state shared by the API client and the dialog.
#[derive(Clone, Copy)]
pub struct Recovery {
    /// The app's session.
    session: SessionState,
    /// True while the dialog asks the person to sign in again.
    open: RwSignal<bool>,
    /// Calls waiting for the dialog: told `true` once signed in again, `false` on cancel.
    waiters: StoredValue<Vec<oneshot::Sender<bool>>>,
    /// Says short status messages ("waiting N seconds"), once the app registered how.
    announce: StoredValue<Option<Callback<String>>>,
}

impl Recovery {
    /// Creates the state for the app's session and provides it as context.
    pub fn provide(session: SessionState) -> Recovery {
        let recovery = Recovery {
            session,
            open: RwSignal::new(false),
            waiters: StoredValue::new(Vec::new()),
            announce: StoredValue::new(None),
        };
        provide_context(recovery);
        recovery
    }

    /// The app's session.
    pub(crate) fn session(&self) -> SessionState {
        self.session
    }

    /// Whether the dialog is asking, tracked.
    pub(crate) fn is_open(&self) -> bool {
        self.open.get()
    }

    /// Lets waits be announced through the app's status region.
    pub(crate) fn announce_with(&self, announce: Callback<String>) {
        self.announce.set_value(Some(announce));
    }

    /// Closes the dialog and wakes the waiting calls: `true` when the person signed in again
    /// as the same user, so reads may be sent again with the new token.
    pub(crate) fn finish(&self, signed_in: bool) {
        let waiting = self
            .waiters
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        for waiter in waiting {
            let _ = waiter.send(signed_in);
        }
        let _ = self.open.try_set(false);
    }

    /// The app's current session, read without tracking.
    pub(super) fn current_session(&self) -> Option<Session> {
        self.session.get_untracked()
    }

    /// Opens the sign-in dialog (once, however many calls fail); with `wait`, resolves when
    /// the person has signed in again (`true`) or cancelled (`false`).
    pub(super) async fn sign_in_again(&self, wait: bool) -> bool {
        let receiver = wait.then(|| {
            let (sender, receiver) = oneshot::channel();
            self.waiters.try_update_value(|w| w.push(sender));
            receiver
        });
        match self.open.try_get_untracked() {
            // The app is gone.
            None => return false,
            Some(false) => self.open.set(true),
            // Already open: setting it again would rebuild the form and drop what is typed.
            Some(true) => {}
        }
        match receiver {
            Some(r) => r.await.unwrap_or(false),
            None => false,
        }
    }

    /// Announces a short status message, when the app has a status region.
    pub(super) fn announce(&self, text: String) {
        if let Some(announce) = self.announce.try_get_value().flatten() {
            announce.run(text);
        }
    }
}

/// The recovery state from context.
pub(crate) fn use_recovery() -> Recovery {
    expect_context::<Recovery>()
}

/// Resolves after `seconds`.
pub(super) async fn sleep(seconds: u32) {
    let (sender, receiver) = oneshot::channel::<()>();
    set_timeout(
        move || {
            let _ = sender.send(());
        },
        Duration::from_secs(seconds.into()),
    );
    let _ = receiver.await;
}
