//! The trigger tester: a sample message tried against the form as typed (saved or not),
//! with the server's rules from the core (`core::triggers`).

use crate::components::{BoundText, BoxLook, FormState};
use crate::core::field::Field;
use crate::core::form::Form;
use crate::core::triggers;
use leptos::prelude::*;

/// A sample message, whether it is an edit, and whether this webhook would fire on it.
#[component]
pub(super) fn TriggerTester(state: FormState) -> impl IntoView {
    let sample = RwSignal::new(String::new());
    let edited = RwSignal::new(false);
    // Only "Message sent" looks at messages; the sample is kept while another event is chosen.
    let on_messages = Memo::new(move |_| {
        state.form.with(|f| match f {
            Form::Outgoing(o) => o.event().uses_trigger_words(),
            Form::Incoming(_) => false,
        })
    });
    let verdict = move || {
        let text = sample.get();
        let edited = edited.get();
        state.form.with(|f| match f {
            Form::Outgoing(o) => Some(triggers::test(o, &text, edited)),
            Form::Incoming(_) => None,
        })
    };
    let rule = move || {
        if state.flag(Field::TriggerWordAnywhere) {
            "Trigger words match anywhere in the message; letter case counts."
        } else {
            "Trigger words match at the start of the message; letter case counts."
        }
    };
    let tester = move || {
        view! {
            <p class="hint" id="tester-hint">
                "Type a message as someone would write it in a watched channel, to see whether this webhook would be called. It follows the form as typed, saved or not."
            </p>
            <div class="field">
                <BoundText id="tester-text" label="Sample message" value=sample
                    look=BoxLook { described_by: Some("tester-hint tester-rule"), ..BoxLook::default() } />
                <span class="hint" id="tester-rule">{rule}</span>
            </div>
            <label class="check">
                <input
                    type="checkbox"
                    id="tester-edited"
                    prop:checked=move || edited.get()
                    on:change=move |ev| edited.set(event_target_checked(&ev))
                />
                " The message is an edit"
            </label>
        }
    };
    view! {
        <section class="card tester" aria-labelledby="tester-title">
            <h2 id="tester-title">"Try the trigger"</h2>
            {move || on_messages.get().then(tester)}
            <p class="tester-verdict" aria-live="polite">
                {move || match verdict() {
                    Some(v) if !on_messages.get() => view! { <span class="muted">{v.explain()}</span> }.into_any(),
                    _ if sample.with(String::is_empty) => view! {
                        <span class="muted">"Type a message to see the answer."</span>
                    }
                    .into_any(),
                    Some(v) => {
                        let class = if v.fires() { "verdict fires" } else { "verdict quiet" };
                        view! { <span class=class>{v.explain()}</span> }.into_any()
                    }
                    None => ().into_any(),
                }}
            </p>
        </section>
    }
}
