//! Copying and secrets: [`CopyButton`] (clipboard, announced "Copied") and [`SecretValue`]
//! (a read-only value masked until revealed, with a copy button).

use crate::browser;
use crate::components::use_announcer;
use leptos::prelude::*;

/// Copies `text` and announces "Copied" in the polite status region.
#[component]
pub fn CopyButton(
    /// What is copied.
    #[prop(into)]
    text: Signal<String>,
    /// Accessible name, e.g. "Copy the webhook URL" (the button shows "Copy").
    label: &'static str,
) -> impl IntoView {
    let announcer = use_announcer();
    let copied = RwSignal::new(false);
    // A browser operation, not a request: nothing to abort or to show as pending.
    let copy = move |_| {
        let value = text.get_untracked();
        leptos::task::spawn_local(async move {
            if browser::copy_text(&value).await {
                copied.set(true);
                announcer.announce("Copied");
                set_timeout(
                    move || {
                        let _ = copied.try_set(false);
                    },
                    std::time::Duration::from_secs(2),
                );
            } else {
                announcer.announce(
                    "This browser did not allow copying: select the text and copy it by hand.",
                );
            }
        });
    };
    view! {
        <button type="button" class="btn btn-small" aria-label=label on:click=copy>
            {move || if copied.get() { "Copied ✓" } else { "Copy" }}
        </button>
    }
}

/// A read-only value masked until "Show" is pressed; copy works either way.
#[component]
pub fn SecretValue(
    /// Id of the read-only input (the label points at it).
    id: &'static str,
    label: &'static str,
    /// The secret.
    #[prop(into)]
    value: Signal<String>,
    /// What shows while masked (e.g. the URL with its token replaced by dots).
    #[prop(into)]
    masked: Signal<String>,
    /// Accessible name of the copy button.
    copy_label: &'static str,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let revealed = RwSignal::new(false);
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {(!hint.is_empty()).then(|| view! { <span class="hint" id=hint_id.clone()>{hint}</span> })}
            <div class="secret">
                <input
                    id=id
                    class="input mono"
                    readonly
                    aria-describedby=(!hint.is_empty()).then_some(hint_id)
                    prop:value=move || if revealed.get() { value.get() } else { masked.get() }
                />
                <button
                    type="button"
                    class="btn btn-small"
                    aria-controls=id
                    on:click=move |_| revealed.update(|r| *r = !*r)
                >
                    {move || if revealed.get() { "Hide" } else { "Show" }}
                    <span class="visually-hidden">{format!(" {}", label.to_lowercase())}</span>
                </button>
                <CopyButton text=value label=copy_label />
            </div>
        </div>
    }
}
