//! One polite live region for the whole app: "Saved", "Copied", "Replay sent"… are announced
//! to screen readers and shown briefly as a toast, without moving focus.

use crate::components::Debounce;
use leptos::prelude::*;

/// Announces short status messages; provided as context by [`StatusRegion`].
#[derive(Clone, Copy)]
pub struct Announcer {
    message: RwSignal<String>,
    /// Clears the message a while after the latest one.
    clear: Debounce,
}

impl Announcer {
    /// Shows and announces `text` for a few seconds.
    pub fn announce(&self, text: impl Into<String>) {
        let text = text.into();
        // Clear first so the same text twice in a row is announced twice.
        self.message.set(String::new());
        let message = self.message;
        request_animation_frame(move || message.set(text));
        self.clear.call(move |_| message.set(String::new()));
    }
}

/// The live region itself; render it once, near the root.
#[component]
pub fn StatusRegion() -> impl IntoView {
    let announcer = Announcer {
        message: RwSignal::new(String::new()),
        clear: Debounce::new(5_000),
    };
    provide_context(announcer);
    view! {
        <div class="status-region" role="status" aria-live="polite" aria-atomic="true">
            <div class="toast">{move || announcer.message.get()}</div>
        </div>
    }
}

/// The app's announcer.
pub fn use_announcer() -> Announcer {
    expect_context::<Announcer>()
}
