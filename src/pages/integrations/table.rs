//! The table and its states: skeleton rows while loading, an error with Retry, an empty
//! state with the New buttons, the rows, and the pager.
//!
//! Rows are keyed (`<For>`), and each row draws its cells as escaped text from
//! [`row_html`]: one small function instead of a view type per cell keeps the wasm small,
//! and events are handled once, on the table body, by the control's `data-key`.

use super::actions::{Ask, Ops};
use super::health::{self, HealthState, Healths};
use super::rows::Row;
use super::toolbar::NewButtons;
use super::web;
use super::List;
use crate::core::errors::ApiError;
use crate::core::listing::{self, Bulk, ListState, Sort};
use crate::core::markup::{Html, Markup};
use crate::core::model::{Integration, Kind, ScriptStatus};
use crate::core::permissions::Access;
use crate::core::webhook;
use crate::router::Route;
use leptos::html::Tr;
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
    /// The "failing" filter left no row of this page (or is still checking).
    NoneFailing,
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
                None => list
                    .shown
                    .with(|s| match (s.rows.is_empty(), s.total, s.failing) {
                        (false, _, _) => Phase::Table,
                        (true, _, Some((before, _))) if before > 0 => Phase::NoneFailing,
                        (true, 0, _) => Phase::Empty,
                        (true, _, _) => Phase::PastEnd,
                    }),
            },
            _ => Phase::Loading,
        })
    });
    move || {
        match phase.get() {
        Phase::Loading => view! {
            <div class="table-wrap">
                <table class="data list-table" aria-busy="true">
                    <caption class="visually-hidden">"Loading integrations…"</caption>
                    <tbody inner_html=SKELETON></tbody>
                </table>
            </div>
        }
        .into_any(),
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
                <a href=move || Route::list_href(&list.state.get().at_page(1))>"Go to the first page"</a>
            </div>
        }
        .into_any(),
        Phase::NoneFailing => none_failing(list).into_any(),
        Phase::Table => view! { <Table /> <Pager /> }.into_any(),
    }
    .into_any()
    }
}

/// Five placeholder rows.
const SKELETON: &str = "<tr class=\"skeleton-row\"><td><span class=\"skeleton\"></span></td><td><span class=\"skeleton\"></span></td><td><span class=\"skeleton\"></span></td><td><span class=\"skeleton\"></span></td></tr><tr class=\"skeleton-row\"><td><span class=\"skeleton\"></span></td><td><span class=\"skeleton\"></span></td><td><span class=\"skeleton\"></span></td><td><span class=\"skeleton\"></span></td></tr><tr class=\"skeleton-row\"><td><span class=\"skeleton\"></span></td><td><span class=\"skeleton\"></span></td><td><span class=\"skeleton\"></span></td><td><span class=\"skeleton\"></span></td></tr><tr class=\"skeleton-row\"><td><span class=\"skeleton\"></span></td><td><span class=\"skeleton\"></span></td><td><span class=\"skeleton\"></span></td><td><span class=\"skeleton\"></span></td></tr><tr class=\"skeleton-row\"><td><span class=\"skeleton\"></span></td><td><span class=\"skeleton\"></span></td><td><span class=\"skeleton\"></span></td><td><span class=\"skeleton\"></span></td></tr>";

/// Column headings after the name.
const COLUMNS: [&str; 7] = [
    "Kind", "Event", "Channels", "Post as", "Enabled", "Script", "Created",
];

/// Text, class and hover title of each cell after the name, in [`COLUMNS`] order.
fn cells(d: &Integration) -> [(String, &'static str, Option<String>); 7] {
    let c = d.common();
    let plain = |t: String| (t, "", None);
    let none = || ("—".to_owned(), "muted", None);
    let (kind, event, channels) = match d {
        Integration::Incoming(_) => ("Incoming", none(), c.channel.is_empty().then(none)),
        Integration::Outgoing(o) => (
            "Outgoing",
            plain(o.event.label().to_owned()),
            c.channel.is_empty().then(|| {
                match o.target_room.as_deref().filter(|t| !t.is_empty()) {
                    Some(room) => plain(format!("→ {room}")),
                    None => none(),
                }
            }),
        ),
    };
    let script = match c.script_status() {
        ScriptStatus::NotUsed => ("None".to_owned(), "muted", None),
        ScriptStatus::Compiled => ("Compiled".to_owned(), "badge badge-on", None),
        ScriptStatus::Failed(e) => ("Error".to_owned(), "badge badge-error", Some(e.summary())),
        ScriptStatus::Unknown => ("Not compiled".to_owned(), "badge", None),
    };
    let by = c.created_by.as_ref().map(|u| u.username.as_str());
    let date = listing::short_date(c.created_at.as_deref());
    let created = match (by.filter(|b| !b.is_empty()), date) {
        (Some(by), "") => by.to_owned(),
        (Some(by), date) => format!("{by} · {date}"),
        (None, date) => date.to_owned(),
    };
    [
        (kind.to_owned(), "badge badge-kind", None),
        event,
        channels.unwrap_or_else(|| plain(d.channel_text())),
        plain(c.username.clone()),
        if c.enabled {
            ("Enabled".to_owned(), "badge badge-on", None)
        } else {
            ("Disabled".to_owned(), "badge badge-off", None)
        },
        script,
        plain(created),
    ]
}

/// A row's state besides its document.
struct RowState<'a> {
    selected: bool,
    busy: bool,
    /// Outgoing rows: what is known of the webhook's recent calls.
    health: Option<&'a HealthState>,
    now_ms: i64,
}

/// One row's cells. Every control has a `data-key` (events and focus find it by that) and
/// carries the row's name for screen readers.
fn row_html(d: &Integration, row: RowState, access: Access, may_create: bool) -> Html {
    let RowState {
        selected,
        busy,
        health,
        now_ms,
    } = row;
    let name = d.display_name();
    let mut m = Markup::new();
    m.raw("<td class=\"cell-select\"><input type=\"checkbox\" data-key=\"select\" aria-label=\"Select ")
        .text(&name)
        .raw(if selected { "\" checked>" } else { "\">" })
        .raw("</td><th scope=\"row\" class=\"cell-name\"><a data-key=\"edit\" href=\"")
        .text(&Route::edit_of(d.kind(), d.id()).href())
        .raw("\">")
        .text(&name)
        .raw("</a></th>");
    for ((text, class, title), label) in cells(d).iter().zip(COLUMNS) {
        m.raw("<td data-label=\"")
            .raw(label)
            .raw("\"><span class=\"")
            .raw(class)
            .raw("\"");
        if let Some(title) = title {
            m.raw(" title=\"").text(title).raw("\"");
        }
        m.raw(">").text(text).raw("</span></td>");
    }
    health::cell(&mut m, health, now_ms);
    m.raw("<td class=\"cell-actions\"><div class=\"row-actions\">");
    let hidden = |m: &mut Markup| {
        m.raw("<span class=\"visually-hidden\"> ")
            .text(&name)
            .raw("</span>");
    };
    let busy = if busy { " aria-disabled=\"true\"" } else { "" };
    match access {
        Ok(()) => {
            m.raw("<button type=\"button\" class=\"btn btn-small\" data-key=\"toggle\"")
                .raw(busy)
                .raw(">")
                .raw(if d.common().enabled {
                    "Disable"
                } else {
                    "Enable"
                });
            hidden(&mut m);
            m.raw("</button>");
            if d.kind() == Kind::Incoming && d.token().is_some_and(|t| !t.is_empty()) {
                m.raw("<button type=\"button\" class=\"btn btn-small\" data-key=\"copy\">Copy URL");
                hidden(&mut m);
                m.raw("</button>");
            }
        }
        Err(reason) => {
            m.raw("<span class=\"hint\">").text(reason).raw("</span>");
        }
    }
    if may_create {
        let duplicate = Route::new_of(d.kind()).with_query(&[("duplicate", d.id().to_owned())]);
        m.raw("<a class=\"btn btn-small\" data-key=\"dup\" href=\"")
            .text(&duplicate)
            .raw("\">Duplicate");
        hidden(&mut m);
        m.raw("</a>");
    }
    if access.is_ok() {
        m.raw(
            "<button type=\"button\" class=\"btn btn-small btn-danger-quiet\" data-key=\"delete\"",
        )
        .raw(busy)
        .raw(">Delete");
        hidden(&mut m);
        m.raw("</button>");
    }
    m.raw("</div></td>");
    m.finish()
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
    let ops = expect_context::<Ops>();
    let busy = move || {
        let current = list.source.get();
        list.load
            .with(|l| matches!(l, Some(Some(l)) if Some(&l.source) != current.as_ref()))
            .then_some("true")
    };
    let row_of = move |id: &str| {
        list.shown
            .with_untracked(|s| s.rows.iter().find(|r| r.id == id).cloned())
    };
    let click = move |ev: leptos::ev::MouseEvent| {
        let Some((key, id, _)) = web::event_key(&ev) else {
            return;
        };
        let Some(row) = row_of(&id) else { return };
        if row.busy.get_untracked() {
            return;
        }
        match key.as_str() {
            "toggle" => {
                let on = !row.doc.with_untracked(|d| d.common().enabled);
                let action = if on { Bulk::Enable } else { Bulk::Disable };
                ops.run.dispatch((action, vec![row]));
            }
            "delete" => ops.confirm(Ask::Delete(row)),
            "copy" => copy_url(list, &row),
            _ => {}
        }
    };
    let change = move |ev: leptos::ev::Event| {
        let Some((key, id, control)) = web::event_key(&ev) else {
            return;
        };
        let Some(row) = row_of(&id).filter(|_| key == "select") else {
            return;
        };
        let on = web::is_checked(&control);
        list.selected.update(|s| {
            s.retain(|r| r != &row);
            if on {
                s.push(row);
            }
        });
    };
    view! {
        <div class="table-wrap">
            <table class="data list-table" aria-busy=busy>
                <caption class="visually-hidden">"Webhook integrations"</caption>
                <thead>
                    <tr>
                        <th scope="col" class="cell-select"><SelectPage /></th>
                        <th scope="col" aria-sort=aria_sort(list, Sort::Name)>"Name"</th>
                        {COLUMNS
                            .iter()
                            .map(|&label| {
                                let sort = (label == "Created").then(|| aria_sort(list, Sort::Created));
                                view! { <th scope="col" aria-sort=sort>{label}</th> }
                            })
                            .collect_view()}
                        <th scope="col">"Last call"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody on:click=click on:change=change>
                    <For
                        each=move || list.shown.with(|s| s.rows.clone())
                        key=|row| row.id.clone()
                        children=move |row| row_view(list, row)
                    />
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One keyed row; its cells are redrawn (keeping the focus) when its document, its busy
/// state, its selection or the person's permissions change.
fn row_view(list: List, row: Row) -> impl IntoView {
    let tr = NodeRef::<Tr>::new();
    let id = row.id.clone();
    let health = use_context::<Healths>()
        .filter(|_| row.kind == Kind::Outgoing)
        .and_then(|h| h.of(&row.id));
    Effect::new(move |drawn: Option<Option<Html>>| {
        let health = health.as_ref().map(|h| h.get());
        let state = RowState {
            selected: list.selected.with(|s| s.contains(&row)),
            busy: row.busy.get(),
            health: health.as_ref(),
            now_ms: js_sys::Date::now() as i64,
        };
        let html = list.server.with(|s| {
            row.doc.with(|d| match s {
                Some(s) => row_html(
                    d,
                    state,
                    s.permissions.can_edit(d, &s.user_id),
                    s.permissions.can_create(d.kind()).is_ok(),
                ),
                None => row_html(d, state, Err(""), false),
            })
        });
        let el = tr.get()?;
        if drawn.flatten().as_ref() != Some(&html) {
            web::replace_keeping_focus(&el, &html);
        }
        Some(html)
    });
    view! { <tr node_ref=tr data-id=id></tr> }
}

/// Copies an incoming webhook's URL and says so; if the browser refuses, shows the URL.
/// (A browser operation, not a request.)
fn copy_url(list: List, row: &Row) {
    let Some(session) = list.session.get_untracked() else {
        return;
    };
    let (url, name) = row.doc.with_untracked(|d| {
        (
            webhook::hook_url(&session.server, d.id(), d.token().unwrap_or_default()),
            d.display_name(),
        )
    });
    leptos::task::spawn_local(async move {
        if crate::browser::copy_text(&url).await {
            list.announcer
                .announce(format!("Copied the webhook URL of {name}"));
        } else {
            list.finish(
                format!("The browser did not allow copying. The webhook URL of {name} is {url}"),
                false,
            );
        }
    });
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
        let everything = all();
        list.selected.update(|sel| {
            sel.retain(|r| !rows.contains(r));
            if !everything {
                sel.extend(rows);
            }
        });
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
    .into_any()
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
            let href = (page >= 1 && page <= i64::from(pages())).then(|| {
                list.state
                    .with(|s| Route::list_href(&s.at_page(page as u32)))
            });
            let disabled = href.is_none().then_some("true");
            view! { <a class="btn btn-small" href=href aria-disabled=disabled>{label}</a> }
        }
    };
    let summary = move || {
        list.shown.with(|s| {
            if let Some((before, checking)) = s.failing {
                let mut text = format!(
                    "{} failing of the {before} webhooks on this page",
                    s.rows.len()
                );
                if checking > 0 {
                    text.push_str(&format!(" ({checking} still being checked)"));
                }
                return text;
            }
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
    view! {
        <nav class="pager" aria-label="Pages">
            <p class="muted">{summary}</p>
            <div class="row">
                {link("Previous", -1)}
                <span>{move || format!("Page {} of {}", list.shown.with(|s| s.page), pages())}</span>
                {link("Next", 1)}
            </div>
        </nav>
    }
    .into_any()
}

/// The "failing" filter found nothing on this page (yet): say so, with the way back.
fn none_failing(list: List) -> impl IntoView {
    let text = move || {
        list.shown.with(|s| match s.failing {
            Some((_, checking)) if checking > 0 => {
                format!("Checking the last calls of {checking} webhooks…")
            }
            _ => {
                "No webhook on this page is failing: every last call succeeded or is still running."
                    .to_owned()
            }
        })
    };
    let all = move || {
        Route::list_href(&ListState {
            failing: false,
            ..list.state.get()
        })
    };
    view! {
        <div class="card empty-state" role="status">
            <p>{text}</p>
            <a href=all>"Show every webhook"</a>
        </div>
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
                Some(Kind::Incoming) => "No incoming webhooks yet.".to_owned(),
                Some(Kind::Outgoing) => "No outgoing webhooks yet.".to_owned(),
                None => "No integrations yet.".to_owned(),
            }
        }
    };
    view! {
        <div class="card empty-state">
            <p>{text}</p>
            <button
                type="button"
                class="btn"
                hidden=move || !searching()
                on:click=move |_| list.text.set(String::new())
            >
                "Clear the search"
            </button>
            <div hidden=searching>
                <NewButtons />
            </div>
        </div>
    }
}
