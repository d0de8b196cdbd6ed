//! Placeholder until its issue lands.

use leptos::prelude::*;

/// Placeholder page.
#[component]
pub fn IncomingNewPage() -> impl IntoView {
    view! { <h1>"Not built yet"</h1> }
}

/// Placeholder page.
#[component]
pub fn IncomingEditPage(
    /// The integration id from the address.
    id: String,
) -> impl IntoView {
    view! { <h1>"Not built yet: " {id}</h1> }
}
