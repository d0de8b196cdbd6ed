//! Placeholder until its issue lands.

use leptos::prelude::*;

/// Placeholder page.
#[component]
pub fn OutgoingNewPage() -> impl IntoView {
    view! { <h1>"Not built yet"</h1> }
}

/// Placeholder page.
#[component]
pub fn OutgoingEditPage() -> impl IntoView {
    view! { <h1>"Not built yet"</h1> }
}
