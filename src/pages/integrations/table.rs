//! The table and its states: skeleton rows while loading, an error with Retry, an empty
//! state with the New buttons, the rows, and the pager.

use super::actions::RowActions;
use super::rows::{Row, Source};
use super::toolbar::NewButtons;
use super::List;
use crate::core::errors::ApiError;
use crate::core::listing::{self, ListState, Sort};
use crate::core::model::{Integration, ScriptStatus};
use leptos::prelude::*;

/// What the body shows.
#[derive(Clone, PartialEq)]
enum Phase {
    /// Nothing loaded yet.
    Loading,
    /// The current load failed.
    Failed(ApiError),
    /// Nothing to show for these filters.
    Empty,
    /// A page number past the last page.
    PastEnd,
    /// Rows.
    Table,
}

/// The list body for the current state.
#[component]
pub fn Body() -> impl IntoView {
    let list = expect_context::<List>();
    let phase = Memo::new(move |_| {
        let current = list.source.get();
        list.load.with(|l| match l {
            Some(Some(l)) => match &l.error {
                Some(e) => Phase::Failed(e.clone()),
                // A first load for other filters: no rows to keep showing meanwhile.
                None if Some(&l.source) != current.as_ref() && l.rows.is_empty() => Phase::Loading,
                None => list.shown.with(|s| match (s.rows.is_empty(), s.total) {
                    (false, _) => Phase::Table,
                    (true, 0) => Phase::Empty,
                    (true, _) => Phase::PastEnd,
                }),
            },
            _ => Phase::Loading,
        })
    });
    move || match phase.get() {
        Phase::Loading => skeleton().into_any(),
        Phase::Failed(e) => view! {
            <div class="alert alert-error" role="alert">
                <p>{e.display()}</p>
                <button type="button" class="btn" on:click=move |_| list.reload()>"Retry"</button>
            </div>
        }
        .into_any(),
        Phase::Empty => empty(list).into_any(),
        Phase::PastEnd => view! {
            <div class="card empty-state">
                <p>"This page is past the end of the list."</p>
                <a href=move || list.state.get().at_page(1).href()>"Go to the first page"</a>
            </div>
        }
        .into_any(),
        Phase::Table => view! { <Table /> <Pager /> }.into_any(),
    }
}

/// Column headings after the name, with what each cell shows.
#[derive(Clone, Copy)]
enum Col {
    Kind,
    Event,
    Channels,
    PostAs,
    Enabled,
    Script,
    Created,
}

const COLUMNS: [(Col, &str); 7] = [
    (Col::Kind, "Kind"),
    (Col::Event, "Event"),
    (Col::Channels, "Channels"),
    (Col::PostAs, "Post as"),
    (Col::Enabled, "Enabled"),
    (Col::Script, "Script"),
    (Col::Created, "Created"),
];

/// Text, class and hover title of one cell.
fn cell(d: &Integration, col: Col) -> (String, &'static str, Option<String>) {
    let c = d.common();
    let plain = |t: String| (t, "", None);
    let none = || ("—".to_owned(), "muted", None);
    match (col, d) {
        (Col::Kind, Integration::Incoming(_)) => ("Incoming".into(), "badge badge-kind", None),
        (Col::Kind, Integration::Outgoing(_)) => ("Outgoing".into(), "badge badge-kind", None),
        (Col::Event, Integration::Outgoing(o)) => plain(o.event.label().to_owned()),
        (Col::Event, _) => none(),
        (Col::Channels, Integration::Outgoing(o)) if c.channel.is_empty() => {
            match o.target_room.as_deref().filter(|t| !t.is_empty()) {
                Some(room) => plain(format!("→ {room}")),
                None => none(),
            }
        }
        (Col::Channels, _) if c.channel.is_empty() => none(),
        (Col::Channels, _) => plain(d.channel_text()),
        (Col::PostAs, _) => plain(c.username.clone()),
        (Col::Enabled, _) if c.enabled => ("Enabled".into(), "badge badge-on", None),
        (Col::Enabled, _) => ("Disabled".into(), "badge badge-off", None),
        (Col::Script, _) => match c.script_status() {
            ScriptStatus::NotUsed => ("None".into(), "muted", None),
            ScriptStatus::Compiled => ("Compiled".into(), "badge badge-on", None),
            ScriptStatus::Failed(e) => ("Error".into(), "badge badge-error", Some(e.summary())),
            ScriptStatus::Unknown => ("Not compiled".into(), "badge", None),
        },
        (Col::Created, _) => {
            let by = c.created_by.as_ref().map(|u| u.username.as_str());
            let date = listing::short_date(c.created_at.as_deref());
            plain(match (by.filter(|b| !b.is_empty()), date) {
                (Some(by), "") => by.to_owned(),
                (Some(by), date) => format!("{by} · {date}"),
                (None, date) => date.to_owned(),
            })
        }
    }
}

/// `aria-sort` of a heading sorted on `sort`.
fn aria_sort(list: List, sort: Sort) -> impl Fn() -> Option<&'static str> {
    move || {
        list.state.with(|s| {
            (s.sort == sort).then_some(if s.descending {
                "descending"
            } else {
                "ascending"
            })
        })
    }
}

#[component]
fn Table() -> impl IntoView {
    let list = expect_context::<List>();
    let busy = move || {
        let current = list.source.get();
        list.load
            .with(|l| matches!(l, Some(Some(l)) if Some(&l.source) != current.as_ref()))
    };
    let headings = COLUMNS
        .iter()
        .map(|&(col, label)| {
            let sort = matches!(col, Col::Created).then(|| aria_sort(list, Sort::Created));
            view! { <th scope="col" aria-sort=sort>{label}</th> }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data list-table" aria-busy=move || busy().then_some("true")>
                <caption class="visually-hidden">"Webhook integrations"</caption>
                <thead>
                    <tr>
                        <th scope="col" class="cell-select"><SelectPage /></th>
                        <th scope="col" aria-sort=aria_sort(list, Sort::Name)>"Name"</th>
                        {headings}
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || list.shown.with(|s| s.rows.clone())
                        key=|row| row.id.clone()
                        children=move |row| view! { <RowView row /> }
                    />
                </tbody>
            </table>
        </div>
    }
}

/// The select-all box of the page: checked when every row shown is selected.
#[component]
fn SelectPage() -> impl IntoView {
    let list = expect_context::<List>();
    let count = move || {
        list.shown.with(|s| {
            list.selected
                .with(|sel| s.rows.iter().filter(|r| sel.contains(r)).count())
        })
    };
    let all = move || count() > 0 && count() == list.shown.with(|s| s.rows.len());
    let toggle = move |_| {
        let rows = list.shown.with_untracked(|s| s.rows.clone());
        if all() {
            list.selected
                .update(|sel| sel.retain(|r| !rows.contains(r)));
        } else {
            list.selected.update(|sel| {
                for r in rows {
                    if !sel.contains(&r) {
                        sel.push(r);
                    }
                }
            });
        }
    };
    view! {
        <input
            type="checkbox"
            aria-label="Select all on this page"
            prop:checked=all
            prop:indeterminate=move || { count() > 0 && !all() }
            on:change=toggle
        />
    }
}

/// One integration's row.
#[component]
fn RowView(row: Row) -> impl IntoView {
    let list = expect_context::<List>();
    let (name, href) = row.doc.with_untracked(|d| {
        let kind = if d.kind() == crate::core::model::Kind::Incoming {
            "incoming"
        } else {
            "outgoing"
        };
        (
            d.display_name(),
            format!(
                "/integrations/{kind}/{}",
                crate::core::encode::component(d.id())
            ),
        )
    });
    let cells = COLUMNS
        .iter()
        .map(|&(col, label)| {
            let doc = row.doc.clone();
            let content = move || {
                let (text, class, title) = doc.with(|d| cell(d, col));
                view! { <span class=class title=title>{text}</span> }
            };
            view! { <td data-label=label>{content}</td> }
        })
        .collect_view();
    let selected = {
        let row = row.clone();
        move || list.selected.with(|s| s.contains(&row))
    };
    let pick = {
        let row = row.clone();
        move |ev| {
            let on = event_target_checked(&ev);
            list.selected.update(|s| {
                s.retain(|r| r != &row);
                if on {
                    s.push(row.clone());
                }
            });
        }
    };
    view! {
        <tr>
            <td class="cell-select">
                <input
                    type="checkbox"
                    aria-label=format!("Select {name}")
                    prop:checked=selected
                    on:change=pick
                />
            </td>
            <th scope="row" class="cell-name"><a href=href>{name}</a></th>
            {cells}
            <td class="cell-actions"><RowActions row /></td>
        </tr>
    }
}

/// Where the page is in the list, and the links to the neighbouring pages.
#[component]
fn Pager() -> impl IntoView {
    let list = expect_context::<List>();
    let pages = move || {
        list.state
            .with(|s| listing::page_count(list.shown.with(|x| x.total), s.size))
    };
    let link = move |label: &'static str, step: i64| {
        move || {
            let page = i64::from(list.shown.with(|s| s.page)) + step;
            if page < 1 || page > i64::from(pages()) {
                view! { <span class="btn btn-small" aria-disabled="true">{label}</span> }.into_any()
            } else {
                let href = list
                    .state
                    .with(|s: &ListState| s.at_page(page as u32).href());
                view! { <a class="btn btn-small" href=href>{label}</a> }.into_any()
            }
        }
    };
    let summary = move || {
        list.shown.with(|s| {
            let mut text = listing::range_text(s.offset, s.rows.len(), s.total);
            if s.extra > 0 {
                text.push_str(&format!(
                    " ({} found by channel, URL or trigger word among those loaded)",
                    s.extra
                ));
            }
            text
        })
    };
    let local =
        move || list.source.with(|s| s == &Some(Source::All)) && list.shown.with(|s| s.total > 0);
    view! {
        <nav class="pager" aria-label="Pages">
            <p class="muted">{summary}</p>
            <div class="row">
                {link("Previous", -1)}
                <span>{move || format!("Page {} of {}", list.shown.with(|s| s.page), pages())}</span>
                {link("Next", 1)}
            </div>
            <Show when=local>
                <span class="visually-hidden">"Searched here: this server cannot filter."</span>
            </Show>
        </nav>
    }
}

/// No rows for these filters: say so, and offer the way forward.
fn empty(list: List) -> impl IntoView {
    let searching = move || list.text.with(|t| !t.trim().is_empty());
    let text = move || {
        if searching() {
            format!("No integrations match “{}”.", list.text.get().trim())
        } else {
            match list.state.with(|s| s.tab.kind()) {
                Some(crate::core::model::Kind::Incoming) => "No incoming webhooks yet.".to_owned(),
                Some(crate::core::model::Kind::Outgoing) => "No outgoing webhooks yet.".to_owned(),
                None => "No integrations yet.".to_owned(),
            }
        }
    };
    view! {
        <div class="card empty-state">
            <p>{text}</p>
            <Show
                when=searching
                fallback=|| view! { <NewButtons /> }
            >
                <button type="button" class="btn" on:click=move |_| list.text.set(String::new())>
                    "Clear the search"
                </button>
            </Show>
        </div>
    }
}

/// Placeholder rows while the first load runs.
fn skeleton() -> impl IntoView {
    let line = || view! { <td><span class="skeleton"></span></td> };
    view! {
        <div class="table-wrap">
            <table class="data list-table" aria-busy="true">
                <caption class="visually-hidden">"Loading integrations…"</caption>
                <tbody>
                    {(0..5)
                        .map(|_| view! { <tr class="skeleton-row">{(0..6).map(|_| line()).collect_view()}</tr> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <p class="visually-hidden" role="status">"Loading integrations…"</p>
    }
}
