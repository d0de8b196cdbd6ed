//! A card of a page: the one place its heading, hint and warning markup is written.

use leptos::prelude::*;

/// A section named by its heading (`{id}-title`), a hint under it (`{id}-hint`, for controls
/// to point at) and, while there is one, a warning; then the card's content.
#[component]
pub(crate) fn Card(
    id: &'static str,
    title: &'static str,
    hint: &'static str,
    #[prop(optional, into)] warning: Option<Signal<Option<&'static str>>>,
    children: Children,
) -> impl IntoView {
    let warning = warning.map(|w| {
        move || {
            w.get()
                .map(|text| view! { <p class="field-warning">{text}</p> })
        }
    });
    view! {
        <section class="card" aria-labelledby=format!("{id}-title")>
            <h2 id=format!("{id}-title")>{title}</h2>
            <p class="hint" id=format!("{id}-hint")>{hint}</p>
            {warning}
            {children()}
        </section>
    }
}
