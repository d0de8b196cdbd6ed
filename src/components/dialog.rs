//! A modal confirmation built on the native `<dialog>` element: focus is trapped and
//! restored by the browser, and Escape cancels.

use leptos::html::Dialog;
use leptos::prelude::*;

/// Asks before a destructive or wide-reaching action. Open it by setting `open` to true;
/// it closes itself (setting `open` back to false) on either answer.
#[component]
pub fn ConfirmDialog(
    /// Whether the dialog is shown.
    open: RwSignal<bool>,
    /// Heading, e.g. "Delete “Deploy bot”?".
    #[prop(into)]
    title: Signal<String>,
    /// Label of the confirming button, e.g. "Delete".
    #[prop(into)]
    confirm_label: Signal<String>,
    /// Whether the action destroys something (red button); may change while closed.
    #[prop(optional, into)]
    danger: Signal<bool>,
    /// Called when the person confirms.
    on_confirm: Callback<()>,
    /// Body: what will happen, and to what.
    children: ChildrenFn,
) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    Effect::new(move || {
        let Some(el) = dialog.get() else { return };
        if open.get() && !el.open() {
            let _ = el.show_modal();
        } else if !open.get() && el.open() {
            el.close();
        }
    });
    // `close` arrives as a later task: ignore it when the dialog was reopened meanwhile.
    let closed = move |_| {
        if !dialog.get_untracked().is_some_and(|d| d.open()) {
            open.set(false);
        }
    };
    let confirm = move |_| {
        open.set(false);
        on_confirm.run(());
    };
    view! {
        <dialog node_ref=dialog aria-labelledby="confirm-title" on:close=closed>
            <h2 id="confirm-title">{move || title.get()}</h2>
            <div class="dialog-body">{children()}</div>
            <div class="form-actions">
                <button type="button" class="btn" autofocus on:click=move |_| open.set(false)>
                    "Cancel"
                </button>
                <button
                    type="button"
                    class=move || if danger.get() { "btn btn-danger" } else { "btn btn-primary" }
                    on:click=confirm
                >
                    {move || confirm_label.get()}
                </button>
            </div>
        </dialog>
    }
}
