//! hookpanel: a browser admin panel for Rocket.Chat webhook integrations.

pub mod api;
pub mod app;
pub mod browser;
pub mod components;
pub mod core;
pub mod pages;
pub mod server;
pub mod session;

/// Mounts the app on `<body>`; called by the binary's `main`.
pub fn start() {
    console_error_panic_hook::set_once();
    // Before the router: the unsaved-changes guard must see back/forward steps first.
    components::guard::install();
    leptos::mount::mount_to_body(app::App);
}
