//! The controls above the table: New buttons, kind tabs, search, order and page size.

use super::transfer::{ExportAll, ImportButton};
use super::List;
use crate::components::{BoundText, BoxLook};
use crate::core::listing::{ListState, Tab, ORDERS, PAGE_SIZES};
use crate::core::model::Kind;
use crate::router::Route;
use leptos::prelude::*;

/// "New incoming" and "New outgoing"; a kind the role may not create shows why instead.
#[component]
pub fn NewButtons() -> impl IntoView {
    let list = expect_context::<List>();
    let kinds = [
        (Kind::Incoming, "New incoming"),
        (Kind::Outgoing, "New outgoing"),
    ];
    let buttons = kinds
        .iter()
        .map(|&(kind, label)| {
            let href = Route::new_of(kind).href();
            let refused = move || {
                list.server.with(|s| {
                    s.as_ref()
                        .and_then(|s| s.permissions.can_create(kind).err())
                })
            };
            view! {
                <span class="new-button">
                    <a
                        class="btn btn-primary"
                        href=move || refused().is_none().then(|| href.clone())
                        aria-disabled=move || refused().map(|_| "true")
                    >
                        {label}
                    </a>
                    <span class="hint" hidden=move || refused().is_none()>{refused}</span>
                </span>
            }
        })
        .collect_view();
    view! { <div class="row">{buttons}</div> }.into_any()
}

/// All / Incoming / Outgoing, as links: each tab is an address of its own.
#[component]
pub fn Tabs() -> impl IntoView {
    let list = expect_context::<List>();
    let tabs = Tab::ALL.map(|tab| {
        let href = move || {
            Route::list_href(&ListState {
                tab,
                page: 1,
                ..list.state.get()
            })
        };
        let current = move || (list.state.with(|s| s.tab) == tab).then_some("page");
        view! { <a class="tab" href=href aria-current=current>{tab.label()}</a> }
    });
    view! { <nav class="tabs" aria-label="Kind">{Vec::from(tabs)}</nav> }.into_any()
}

/// Search box, order, page size, export and import.
#[component]
pub fn Toolbar() -> impl IntoView {
    let list = expect_context::<List>();
    let hint = move || {
        if list.local() {
            "Name, channels, URLs or trigger words."
        } else {
            "Names are searched on the server; channels, URLs and trigger words among the integrations loaded."
        }
    };
    let order = move |ev: leptos::ev::Event| {
        let i: usize = event_target_value(&ev).parse().unwrap_or(0);
        if let Some(&(sort, descending, _)) = ORDERS.get(i) {
            let next = ListState {
                sort,
                descending,
                page: 1,
                ..list.state.get_untracked()
            };
            list.go(&next, false);
        }
    };
    let size = move |ev: leptos::ev::Event| {
        let size: u32 = event_target_value(&ev).parse().unwrap_or(PAGE_SIZES[0]);
        let next = ListState {
            size,
            page: 1,
            ..list.state.get_untracked()
        };
        list.go(&next, false);
    };
    let orders = ORDERS
        .iter()
        .enumerate()
        .map(|(i, &(sort, descending, label))| {
            let chosen = move || {
                list.state
                    .with(|s| s.sort == sort && s.descending == descending)
            };
            view! { <option value=i.to_string() prop:selected=chosen>{label}</option> }
        })
        .collect_view();
    let sizes = Vec::from(PAGE_SIZES.map(|n| {
        let chosen = move || list.state.with(|s| s.size == n);
        view! { <option value=n.to_string() prop:selected=chosen>{n.to_string()}</option> }
    }));
    view! {
        <div class="list-toolbar">
            <div class="search-field">
                <BoundText id="list-search" label="Search" value=list.text
                    look=BoxLook { input_type: "search", described_by: Some("list-search-hint"), ..BoxLook::default() } />
                <span id="list-search-hint" class="hint">{hint}</span>
            </div>
            <div>
                <label for="list-order">"Order"</label>
                <select id="list-order" class="select" on:change=order>{orders}</select>
            </div>
            <div>
                <label for="list-size">"Per page"</label>
                <select id="list-size" class="select" on:change=size>{sizes}</select>
            </div>
            <div class="row toolbar-actions">
                <ExportAll />
                <ImportButton />
            </div>
        </div>
    }
    .into_any()
}
