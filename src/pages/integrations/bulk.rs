//! Acting on many: the bar over the table while rows are selected, and the report of the
//! last bulk action or import.

use super::actions::{Ask, Ops};
use super::rows::Row;
use super::List;
use crate::core::listing::{count_text, Bulk};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The bar's buttons: key, label, class.
const BUTTONS: [(&str, &str, &str); 5] = [
    ("enable", "Enable", "btn btn-small"),
    ("disable", "Disable", "btn btn-small"),
    ("delete", "Delete", "btn btn-small btn-danger-quiet"),
    ("export", "Export", "btn btn-small"),
    ("clear", "Clear selection", "btn btn-small btn-link"),
];

/// "3 integrations selected" with Enable, Disable, Delete, Export and Clear selection.
#[component]
pub fn BulkBar() -> impl IntoView {
    let list = expect_context::<List>();
    let ops = expect_context::<Ops>();
    let count = move || list.selected.with(Vec::len);
    let running = ops.run.pending();
    let act = move |ev: leptos::ev::MouseEvent| {
        let key = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest("[data-key]").ok().flatten())
            .and_then(|b| b.get_attribute("data-key"));
        let rows = list.selected.get_untracked();
        match key.as_deref() {
            Some("enable") => ops.confirm(Ask::Bulk(Bulk::Enable, rows)),
            Some("disable") => ops.confirm(Ask::Bulk(Bulk::Disable, rows)),
            Some("delete") => ops.confirm(Ask::Bulk(Bulk::Delete, rows)),
            Some("export") => ops.confirm(Ask::Export(
                rows.iter().map(|r: &Row| r.doc.get_untracked()).collect(),
            )),
            Some("clear") => list.selected.set(Vec::new()),
            _ => {}
        }
    };
    let buttons = BUTTONS
        .iter()
        .map(|&(key, label, class)| {
            view! {
                <button type="button" class=class data-key=key disabled=move || running.get()>
                    {label}
                </button>
            }
        })
        .collect_view();
    view! {
        <div
            class="bulk-bar"
            role="group"
            aria-label="Selected integrations"
            hidden=move || count() == 0
            on:click=act
        >
            <strong>{move || format!("{} selected", count_text(count()))}</strong>
            {buttons}
            <span class="muted" aria-live="polite">{move || ops.progress.get()}</span>
        </div>
    }
    .into_any()
}

/// The result of the last bulk action or import, until dismissed.
#[component]
pub fn ResultReport() -> impl IntoView {
    let list = expect_context::<List>();
    let report = list.report;
    let class = move || {
        if report.with(|r| r.as_ref().is_some_and(|r| r.ok)) {
            "alert alert-success report"
        } else {
            "alert alert-warning report"
        }
    };
    view! {
        <div class=class hidden=move || report.with(Option::is_none)>
            <p>{move || report.with(|r| r.as_ref().map(|r| r.text.clone()))}</p>
            <button type="button" class="btn btn-small btn-link" on:click=move |_| report.set(None)>
                "Dismiss"
            </button>
        </div>
    }
    .into_any()
}
