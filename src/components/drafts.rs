//! Local drafts of a form: saved to local storage as the person types (so they survive a
//! reload, a closed tab and a new sign-in) and offered back with "Restore draft / Discard".

use crate::browser::{self, Persistence};
use crate::components::{Debounce, FormState};
use crate::core::draft::{self, Draft};
use leptos::prelude::*;

/// How long typing must pause before the draft is written.
const SAVE_DELAY_MS: u64 = 400;

/// Keeps the draft of `state` under `key` and offers a stored one back.
#[component]
pub fn DraftKeeper(state: FormState, key: String) -> impl IntoView {
    let key = StoredValue::new(key);
    let offer: RwSignal<Option<Draft>> = RwSignal::new(None);
    if let Some(text) = key.with_value(|k| browser::load(Persistence::Local, k)) {
        match state.baseline.with_untracked(|b| draft::restore(b, &text)) {
            Some(d) if state.baseline.with_untracked(|b| *b != d.form) => offer.set(Some(d)),
            _ => key.with_value(|k| browser::forget(Persistence::Local, k)),
        }
    }

    // Write (or drop) the draft after each pause in typing, never over a pending offer.
    let write = move |dirty: bool| {
        key.try_with_value(|k| {
            if dirty {
                let text = state
                    .form
                    .with_untracked(|f| draft::encode(f, &browser::now_iso()));
                browser::save(Persistence::Local, k, &text);
            } else {
                browser::forget(Persistence::Local, k);
            }
        });
    };
    let pause = Debounce::new(SAVE_DELAY_MS);
    Effect::new(move |first: Option<()>| {
        let dirty = state.dirty();
        if first.is_none() || offer.with(Option::is_some) {
            return;
        }
        pause.call(move |_| write(dirty));
    });
    // Leaving within the pause (Cancel, a link) still writes what was typed last.
    on_cleanup(move || {
        if pause.waiting() {
            write(untrack(|| state.dirty()));
        }
    });

    let restore = move |_| {
        if let Some(d) = offer.get_untracked() {
            state.form.set(d.form);
        }
        offer.set(None);
    };
    let discard = move |_| {
        key.with_value(|k| browser::forget(Persistence::Local, k));
        offer.set(None);
    };

    move || {
        offer.with(|o| {
            o.as_ref().map(|d| {
                let when = if d.saved_at.is_empty() {
                    String::new()
                } else {
                    format!(" from {}", browser::local_date(&d.saved_at))
                };
                view! {
                    <div class="alert alert-info draft-offer" role="region" aria-label="Unsaved draft">
                        <p>{format!("You have a draft{when} with changes that were not saved.")}</p>
                        <div class="row">
                            <button type="button" class="btn btn-primary btn-small" on:click=restore>
                                "Restore draft"
                            </button>
                            <button type="button" class="btn btn-small" on:click=discard>
                                "Discard"
                            </button>
                        </div>
                    </div>
                }
            })
        })
    }
}
