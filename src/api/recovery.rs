//! What [`super::Client::call`] does about failures the app can recover from without the
//! page's help: an expired session opens the sign-in dialog over the page (reads wait for it
//! and are sent again), and a rate limit makes reads wait and try once more.
//!
//! Calls run in async tasks without a reactive owner, so the root component registers the
//! app's session and dialog signals here, once, instead of in context.

use crate::components::Announcer;
use crate::session::{Session, SessionState};
use futures::channel::oneshot;
use leptos::prelude::*;
use std::cell::Cell;
use std::time::Duration;

/// The sign-in-again state shared by the API client and the dialog.
#[derive(Clone, Copy)]
pub struct Recovery {
    /// The app's session.
    pub session: SessionState,
    /// True while the dialog asks the person to sign in again.
    pub open: RwSignal<bool>,
    /// Calls waiting for the dialog: told `true` once signed in again, `false` on cancel.
    waiters: StoredValue<Vec<oneshot::Sender<bool>>>,
    /// The polite status region, for "waiting N seconds" messages.
    announcer: StoredValue<Option<Announcer>>,
}

thread_local! {
    static ACTIVE: Cell<Option<Recovery>> = const { Cell::new(None) };
}

impl Recovery {
    /// Creates the state for the app's session, provides it as context and registers it
    /// for the API client.
    pub fn provide(session: SessionState) -> Recovery {
        let recovery = Recovery {
            session,
            open: RwSignal::new(false),
            waiters: StoredValue::new(Vec::new()),
            announcer: StoredValue::new(None),
        };
        provide_context(recovery);
        ACTIVE.with(|a| a.set(Some(recovery)));
        recovery
    }

    /// Lets waits be announced through the app's status region.
    pub fn use_announcer(&self, announcer: Announcer) {
        self.announcer.set_value(Some(announcer));
    }

    /// Closes the dialog and wakes the waiting calls: `true` when the person signed in again
    /// as the same user, so reads may be sent again with the new token.
    pub fn finish(&self, signed_in: bool) {
        let waiting = self
            .waiters
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        for waiter in waiting {
            let _ = waiter.send(signed_in);
        }
        let _ = self.open.try_set(false);
    }
}

/// The recovery state from context.
pub fn use_recovery() -> Recovery {
    expect_context::<Recovery>()
}

fn active() -> Option<Recovery> {
    ACTIVE.with(Cell::get)
}

/// The app's current session, read without tracking.
pub(super) fn current_session() -> Option<Session> {
    active()?.session.0.try_get_untracked().flatten()
}

/// Opens the sign-in dialog (once, however many calls fail); with `wait`, resolves when the
/// person has signed in again (`true`) or cancelled (`false`).
pub(super) async fn sign_in_again(wait: bool) -> bool {
    let Some(recovery) = active() else {
        return false;
    };
    let receiver = wait.then(|| {
        let (sender, receiver) = oneshot::channel();
        recovery.waiters.update_value(|w| w.push(sender));
        receiver
    });
    match recovery.open.try_get_untracked() {
        // The app is gone.
        None => return false,
        Some(false) => recovery.open.set(true),
        // Already open: setting it again would rebuild the form and drop what is typed.
        Some(true) => {}
    }
    match receiver {
        Some(r) => r.await.unwrap_or(false),
        None => false,
    }
}

/// Announces a short status message, when the app has a status region.
pub(super) fn announce(text: String) {
    if let Some(announcer) = active().and_then(|r| r.announcer.try_get_value().flatten()) {
        announcer.announce(text);
    }
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
