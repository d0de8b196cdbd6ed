//! A label and a text box bound to a signal, for inputs that are not form fields (search,
//! samples): the one place their markup is written.

use leptos::prelude::*;

/// How the text box looks and is described.
#[derive(Clone, Copy, Default)]
pub(crate) struct BoxLook {
    /// `type` of an `<input>` (`text` when empty); a number of rows makes a `<textarea>`.
    pub input_type: &'static str,
    /// Rows of a `<textarea>` (monospace); 0 for a one-line `<input>`.
    pub rows: u8,
    /// Ids of the hints that describe it.
    pub described_by: Option<&'static str>,
    /// Class of the label.
    pub label_class: Option<&'static str>,
    /// `inputmode`, e.g. `numeric`.
    pub inputmode: Option<&'static str>,
}

/// `<label>` then an input or text area that shows `value` and writes what is typed back.
#[component]
pub(crate) fn BoundText(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] look: BoxLook,
) -> impl IntoView {
    let on_input = move |ev: leptos::ev::Event| value.set(event_target_value(&ev));
    let control = if look.rows > 0 {
        view! {
            <textarea id=id class="textarea mono" rows=look.rows spellcheck="false"
                aria-describedby=look.described_by prop:value=move || value.get() on:input=on_input></textarea>
        }
        .into_any()
    } else {
        let input_type = if look.input_type.is_empty() {
            "text"
        } else {
            look.input_type
        };
        view! {
            <input id=id class="input" type=input_type autocomplete="off" spellcheck="false"
                inputmode=look.inputmode aria-describedby=look.described_by
                prop:value=move || value.get() on:input=on_input />
        }
        .into_any()
    };
    view! {
        <label for=id class=look.label_class>{label}</label>
        {control}
    }
}
