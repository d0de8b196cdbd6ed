//! Acting on many: the bar over the table while rows are selected, and the report of the
//! last bulk action or import.

use super::actions::{Ask, Ops};
use super::rows::Row;
use super::List;
use crate::core::listing::{count_text, Bulk};
use leptos::prelude::*;

/// "3 selected" with Enable, Disable, Delete, Export and Clear.
#[component]
pub fn BulkBar() -> impl IntoView {
    let list = expect_context::<List>();
    let ops = expect_context::<Ops>();
    let count = move || list.selected.with(Vec::len);
    let running = move || ops.run.pending().get();
    let buttons = Bulk::ALL
        .map(|action| {
            let ask = move |_| ops.confirm(Ask::Bulk(action, list.selected.get_untracked()));
            let class = if action == Bulk::Delete {
                "btn btn-small btn-danger-quiet"
            } else {
                "btn btn-small"
            };
            view! {
                <button type="button" class=class disabled=running on:click=ask>
                    {action.label()}
                </button>
            }
        })
        .to_vec();
    let export = move |_| {
        let docs = list
            .selected
            .with_untracked(|s| s.iter().map(|r: &Row| r.doc.get_untracked()).collect());
        ops.confirm(Ask::Export(docs));
    };
    view! {
        <Show when=move || { count() > 0 }>
            <div class="bulk-bar" role="group" aria-label="Selected integrations">
                <strong>{move || format!("{} selected", count_text(count()))}</strong>
                {buttons.clone()}
                <button type="button" class="btn btn-small" disabled=running on:click=export>
                    "Export"
                </button>
                <button
                    type="button"
                    class="btn btn-small btn-link"
                    disabled=running
                    on:click=move |_| list.selected.set(Vec::new())
                >
                    "Clear selection"
                </button>
                <span class="muted" aria-live="polite">{move || ops.progress.get()}</span>
            </div>
        </Show>
    }
}

/// The result of the last bulk action or import, until dismissed.
#[component]
pub fn ResultReport() -> impl IntoView {
    let list = expect_context::<List>();
    move || {
        list.report.get().map(|r| {
            let class = if r.ok {
                "alert alert-success report"
            } else {
                "alert alert-warning report"
            };
            view! {
                <div class=class>
                    <p>{r.text}</p>
                    <button type="button" class="btn btn-small btn-link" on:click=move |_| list.report.set(None)>
                        "Dismiss"
                    </button>
                </div>
            }
        })
    }
}
