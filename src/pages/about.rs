//! Placeholder until its issue lands.

use leptos::prelude::*;

/// Placeholder page.
#[component]
pub fn AboutPage() -> impl IntoView {
    view! { <h1>"Not built yet"</h1> }
}
