//! Controls of the outgoing form that a plain `FormField` cannot draw: the event select (an
//! unknown stored event stays choosable), the retry schedule with its first delays, and the
//! token (masked until revealed, regenerated at random, copied).

use crate::browser;
use crate::components::{select_control, use_announcer, CopyButton, FormState};
use crate::core::field::Field;
use crate::core::model::OutgoingEvent;
use crate::core::retry::RetryDelay;
use leptos::prelude::*;

/// The value as loaded, when it is not among `known`: kept as an option so it stays.
fn unknown_loaded(state: FormState, field: Field, known: &[&str]) -> Option<String> {
    let loaded = state
        .baseline
        .with_untracked(|f| f.text(field).trim().to_owned());
    (!loaded.is_empty() && !known.contains(&loaded.as_str())).then_some(loaded)
}

/// The events servers know, in the official order; an unknown stored event is kept as is.
pub(super) fn event_select(state: FormState) -> AnyView {
    let known: Vec<&str> = OutgoingEvent::KNOWN
        .iter()
        .map(OutgoingEvent::as_str)
        .collect();
    let mut options: Vec<(String, String)> = OutgoingEvent::KNOWN
        .iter()
        .map(|e| (e.as_str().to_owned(), e.label().to_owned()))
        .collect();
    if let Some(other) = unknown_loaded(state, Field::Event, &known) {
        let label = format!("{other} (unknown to hookpanel)");
        options.push((other, label));
    }
    select_control(state, Field::Event, options)
}

/// The three schedules, each with its first delays, e.g. "Powers of ten (0.1 s, 1 s, 10 s, …)".
pub(super) fn retry_delay_select(state: FormState) -> AnyView {
    let known: Vec<&str> = RetryDelay::ALL.iter().map(|d| d.as_str()).collect();
    let mut options: Vec<(String, String)> = RetryDelay::ALL
        .iter()
        .map(|d| {
            let label = format!("{} ({})", d.label(), d.describe());
            (d.as_str().to_owned(), label)
        })
        .collect();
    // A schedule the server would only refuse when retrying, kept so it can be seen.
    if let Some(other) = unknown_loaded(state, Field::RetryDelay, &known) {
        options.push((other.clone(), other));
    }
    select_control(state, Field::RetryDelay, options)
}

/// The token: masked until "Show", replaced at random by "Regenerate", copied by "Copy".
pub(super) fn token_input(state: FormState) -> AnyView {
    let field = Field::Token;
    let announcer = use_announcer();
    let revealed = RwSignal::new(false);
    let changed = move || {
        state
            .form
            .with(|f| state.baseline.with(|b| f.text(field) != b.text(field)))
    };
    let regenerate = move |_| {
        state.set_text(field, browser::new_token());
        announcer.announce(
            "New token generated: save, then give it to the receiving service, or it rejects the calls.",
        );
    };
    view! {
        <div class="secret">
            <input
                id=field.id()
                class="input mono"
                type=move || if revealed.get() { "text" } else { "password" }
                autocomplete="off"
                spellcheck="false"
                prop:value=move || state.text(field)
                aria-invalid=move || state.invalid(field)
                aria-required=move || state.required(field)
                aria-describedby=move || state.described_by(field)
                on:input=move |ev| state.set_text(field, event_target_value(&ev))
            />
            <button
                type="button"
                class="btn btn-small"
                aria-controls=field.id()
                on:click=move |_| revealed.update(|r| *r = !*r)
            >
                {move || if revealed.get() { "Hide" } else { "Show" }}
                <span class="visually-hidden">" token"</span>
            </button>
            <button type="button" class="btn btn-small" on:click=regenerate>
                "Regenerate"
            </button>
            <CopyButton text=Signal::derive(move || state.text(field)) label="Copy the token" />
        </div>
        {move || changed().then(|| view! {
            <p class="field-warning" id="token-changed">
                "New token: once you save, the receiving service must be given it, or it rejects the calls from Rocket.Chat."
            </p>
        })}
    }
    .into_any()
}
