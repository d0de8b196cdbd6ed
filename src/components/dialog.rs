//! Modals built on the native `<dialog>` element: focus is trapped and restored by the
//! browser, and Escape cancels. [`Modal`] is the frame; [`ConfirmDialog`] asks one question.

use crate::components::effect;
use leptos::html::Dialog;
use leptos::prelude::*;

/// A modal dialog labelled by the heading with id `title_id` that `children` hold. Open it
/// by setting `open`; Escape or the page setting `open` back to false closes it.
#[component]
pub fn Modal(
    /// Whether the dialog is shown.
    open: RwSignal<bool>,
    /// Id of the heading inside `children`.
    title_id: &'static str,
    /// Extra class, e.g. for a wider dialog.
    #[prop(optional)]
    class: &'static str,
    /// Heading, body and buttons.
    children: ChildrenFn,
) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    effect(move || {
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
    view! {
        <dialog node_ref=dialog class=class aria-labelledby=title_id on:close=closed>
            {children()}
        </dialog>
    }
}

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
    /// Id of the heading, when the page has more than one confirmation.
    #[prop(optional)]
    id: Option<&'static str>,
    /// Extra class, e.g. for a wider dialog.
    #[prop(optional)]
    class: &'static str,
    /// Body: what will happen, and to what.
    children: ChildrenFn,
) -> impl IntoView {
    let title_id = id.unwrap_or("confirm-title");
    let confirm = move |_| {
        open.set(false);
        on_confirm.run(());
    };
    view! {
        <Modal open title_id class>
            <h2 id=title_id>{move || title.get()}</h2>
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
        </Modal>
    }
}
