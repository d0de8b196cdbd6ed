//! Placeholder until its issue lands.

use leptos::prelude::*;

/// Placeholder page.
#[component]
pub fn OutgoingNewPage() -> impl IntoView {
    view! { <h1>"Not built yet"</h1> }
}

/// Placeholder page.
#[component]
pub fn OutgoingEditPage(
    /// The integration id from the address.
    id: String,
) -> impl IntoView {
    view! { <h1>"Not built yet: " {id}</h1> }
}
