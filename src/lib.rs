//! hookpanel: a browser admin panel for Rocket.Chat webhook integrations.
//!
//! In comments, `spec §N` is a section of `docs/spec/rocketchat-api.md`, `scripts spec §N` of
//! `docs/spec/rocketchat-scripts.md` and `UI spec §N` of `docs/spec/webhook-admin-uis.md`.

// No panics in the app: bad input and odd answers get a message, never a crash.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

// Public only as far as the tests reach (the core, and what the component tests mount);
// the rest is crate-private, so unused code shows up as such.
pub mod api;
pub mod app;
pub(crate) mod browser;
pub mod components;
pub mod core;
pub mod pages;
pub mod router;
pub(crate) mod server;
pub mod session;
pub(crate) mod split;

/// Mounts the app on `<body>`; called by the binary's `main`.
pub fn start() {
    // Release builds abort on panic without a message (see scripts/build), so the hook would
    // be dead weight there.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
