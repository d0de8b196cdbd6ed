//! hookpanel: a browser admin panel for Rocket.Chat webhook integrations.

pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod core;
pub mod pages;
pub mod router;
pub mod server;
pub mod session;

/// Mounts the app on `<body>`; called by the binary's `main`.
pub fn start() {
    // Release builds abort on panic without a message (see scripts/build), so the hook would
    // be dead weight there.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
