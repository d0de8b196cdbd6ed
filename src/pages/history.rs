//! The call history of an outgoing webhook, made to find the failures: newest first, filtered
//! by outcome, event, time and text (the filter lives in the address), counts per outcome
//! for what is loaded, "Load all" with progress and Stop, export of the filtered calls, and
//! on 8.7+ replay (one call, or every filtered failure in sequence) and clear-all.

mod filters;
mod replay;

use crate::api::{json, Client};
use crate::browser;
use crate::components::{
    effect, local_action, local_resource, use_announcer, ActionOf, ConfirmDialog, ResourceOf,
};
use crate::core::errors::ApiError;
use crate::core::history_filter::{HistoryFilter, Outcome};
use crate::core::history_ops::{self, append_page, merge_newest, running_recently};
use crate::core::markup::Markup;
use crate::core::model::{
    parse_history_with, parse_integration_response, HistoryEntry, HistoryPage, Integration,
    OutgoingEvent,
};
use crate::core::request::{self, MAX_PAGE};
use crate::router::{use_query_map, Route};
use crate::server::use_server;
use crate::session::{use_session, SessionState};
use leptos::prelude::*;
use serde_json::Value;
use std::time::Duration;

/// Rows per page, on screen and in the first read.
const PAGE: u32 = 25;

/// The newest calls, or why they could not be read; `None` while reading.
type Newest = ResourceOf<Option<Result<HistoryPage, ApiError>>>;
/// Replays one call (by history id).
type Replay = ActionOf<String, Result<String, ApiError>>;
/// Loads older calls: one page (`false`) or every page (`true`).
type More = ActionOf<bool, Result<(), ApiError>>;

/// What the page reads and holds; cheap to copy.
#[derive(Clone, Copy)]
struct History {
    session: SessionState,
    id: StoredValue<String>,
    integration: ResourceOf<Option<Result<Integration, ApiError>>>,
    newest: Newest,
    /// Every call loaded so far, newest first.
    rows: RwSignal<Vec<HistoryEntry>>,
    /// How many calls the server has recorded.
    total: RwSignal<u64>,
    /// Bumped to read the newest calls again after a replay or a clear.
    reload: RwSignal<u32>,
    /// The filter in the address.
    filter: Memo<HistoryFilter>,
    /// The loaded calls that pass the filter.
    shown: Memo<Vec<HistoryEntry>>,
    /// Where the screen page starts in `shown`.
    at: RwSignal<usize>,
    more: More,
    /// Set by Stop; the loader looks at it between pages.
    stop: RwSignal<bool>,
}

impl History {
    /// A client for the session, if signed in.
    fn client(&self) -> Option<Client> {
        self.session
            .get_untracked()
            .map(|s| Client::for_session(&s))
    }

    fn again(&self) {
        self.reload.try_update(|n| *n += 1);
    }

    /// Back to the newest calls, read again.
    fn read_newest(&self) {
        self.at.try_set(0);
        self.again();
    }

    /// The webhook's name, once read.
    fn name(&self) -> String {
        match self.integration.get().flatten() {
            Some(Ok(i)) => i.display_name(),
            _ => String::new(),
        }
    }

    /// The page's address for a query string (empty for none).
    fn href(&self, query: &str) -> String {
        let path = self.id.with_value(|id| Route::History(id.clone()).href());
        if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        }
    }
}

/// Reads the webhook and its newest calls (again whenever `reload` changes), merging them
/// into what is loaded; older pages come through [`History::more`].
fn use_history(id: String) -> History {
    let session = use_session();
    let client = move || session.get_untracked().map(|s| Client::for_session(&s));
    let id = StoredValue::new(id);
    let reload = RwSignal::new(0u32);
    let integration = local_resource(move || {
        let client = client();
        async move {
            let answer = client?.call(&request::get(&id.get_value())).await;
            Some(answer.and_then(|v| {
                parse_integration_response(&v).ok_or(ApiError::Unexpected {
                    status: 200,
                    message: "The answer held no integration.".into(),
                })
            }))
        }
    });
    let newest = local_resource(move || {
        reload.track();
        let client = client();
        async move {
            let answer = client?
                .call(&request::history(&id.get_value(), 0, PAGE))
                .await;
            Some(answer.map(|v| parse_history_with(&v, json::BROWSER.write)))
        }
    });
    let rows = RwSignal::new(Vec::<HistoryEntry>::new());
    let total = RwSignal::new(0u64);
    effect(move || {
        if let Some(Some(Ok(page))) = newest.get() {
            total.set(page.total);
            rows.update(|r| *r = merge_newest(r, page.entries));
        }
    });
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(|q| HistoryFilter::read(&|k| q.get(k))));
    let shown = Memo::new(move |_| {
        filter.with(|f| rows.with(|r| f.apply(r).into_iter().cloned().collect()))
    });
    let stop = RwSignal::new(false);
    let more = local_action(move |all: &bool| {
        let (all, client) = (*all, client());
        async move {
            let client = client.ok_or(ApiError::Network)?;
            load_older(&client, id.get_value(), rows, total, stop, all).await
        }
    });
    History {
        session,
        id,
        integration,
        newest,
        rows,
        total,
        reload,
        filter,
        shown,
        at: RwSignal::new(0),
        more,
        stop,
    }
}

/// Reads the calls after those loaded, one page or (with `all`) page after page until every
/// call is loaded or Stop is pressed.
async fn load_older(
    client: &Client,
    id: String,
    rows: RwSignal<Vec<HistoryEntry>>,
    total: RwSignal<u64>,
    stop: RwSignal<bool>,
    all: bool,
) -> Result<(), ApiError> {
    let count = if all { MAX_PAGE } else { PAGE };
    loop {
        let (Some(have), Some(want)) =
            (rows.try_with_untracked(Vec::len), total.try_get_untracked())
        else {
            return Ok(());
        };
        if stop.try_get_untracked() != Some(false) || have as u64 >= want {
            return Ok(());
        }
        let offset = u32::try_from(have).unwrap_or(u32::MAX);
        let answer = client.call(&request::history(&id, offset, count)).await?;
        let page = parse_history_with(&answer, json::BROWSER.write);
        total.try_set(page.total);
        rows.try_update(|r| append_page(r, page.entries));
        // An empty or already-known page ends it, so a miscounting server cannot loop.
        if !all || rows.try_with_untracked(Vec::len).unwrap_or(have) <= have {
            return Ok(());
        }
    }
}

/// Replays a call; the replayed call is read once the server has had time to make it.
fn use_replay(history: History) -> Replay {
    let announcer = use_announcer();
    let replay = local_action(move |history_id: &String| {
        let (client, history_id) = (history.client(), history_id.clone());
        async move {
            let client = client.ok_or(ApiError::Network)?;
            client
                .call(&request::replay(&history.id.get_value(), &history_id))
                .await
                .map(|_| history_id)
        }
    });
    effect(move || match replay.value() {
        Some(Ok(_)) => {
            announcer.announce("Replay sent. Its call appears at the top of the history.");
            history.read_newest();
            // The server makes the call after answering: read again once it has had time.
            set_timeout(move || history.again(), Duration::from_secs(2));
        }
        Some(Err(e)) => announcer.announce(format!("Replay failed: {}", e.display())),
        None => {}
    });
    replay
}

/// Clears the whole history.
fn use_clear(history: History) -> ActionOf<(), Result<Value, ApiError>> {
    let announcer = use_announcer();
    let clear = local_action(move |_: &()| {
        let client = history.client();
        async move {
            client
                .ok_or(ApiError::Network)?
                .call(&request::clear_history(&history.id.get_value()))
                .await
        }
    });
    effect(move || match clear.value() {
        Some(Ok(_)) => {
            announcer.announce("History cleared.");
            history.rows.set(Vec::new());
            history.read_newest();
        }
        Some(Err(e)) => announcer.announce(format!("Clearing failed: {}", e.display())),
        None => {}
    });
    clear
}

/// A replayed or fresh call is recorded step by step: look again shortly while a recent
/// one is running; bounded, so a call stuck "in progress" on the server is not polled forever.
fn poll_while_running(history: History) {
    let polls = StoredValue::new(0u32);
    effect(move || {
        let Some(Some(Ok(page))) = history.newest.get() else {
            return;
        };
        if running_recently(&page.entries, js_sys::Date::now() as i64) && polls.get_value() < 10 {
            polls.update_value(|n| *n += 1);
            set_timeout(move || history.again(), Duration::from_millis(1500));
        }
    });
}

/// What the one confirmation dialog asks.
#[derive(Clone, Copy, PartialEq)]
enum Ask {
    Clear,
    ReplayFailed,
}

/// `/integrations/outgoing/:id/history`.
#[component]
pub fn OutgoingHistoryPage(
    /// The outgoing integration's id.
    id: String,
) -> impl IntoView {
    browser::set_title("Call history · hookpanel");
    let server = use_server();
    let history = use_history(id);
    effect(move || browser::set_title(&format!("Call history of {} · hookpanel", history.name())));
    let features = move || server.state().map(|s| s.features);
    let can_act = Signal::derive(move || features().is_some_and(|f| f.clear_and_replay));
    let replay = use_replay(history);
    let clear = use_clear(history);
    let bulk = replay::use_bulk_replay(history);
    poll_while_running(history);
    let open = RwSignal::new(false);
    let ask = RwSignal::new(Ask::Clear);
    let confirm = move |what: Ask| {
        ask.set(what);
        open.set(true);
    };
    let failed = Memo::new(move |_| {
        history.shown.with(|s| {
            s.iter()
                .filter(|r| Outcome::of(r) == Outcome::Failed)
                .count()
        })
    });

    view! {
        <HistoryHead history can_act clearing=clear.pending() on_clear=Callback::new(move |()| confirm(Ask::Clear)) />
        {move || {
            features()
                .filter(|f| !f.clear_and_replay)
                .map(|f| view! {
                    <p class="muted" id="history-old-server">
                        {format!("Replaying calls and clearing the history need Rocket.Chat 8.7 or newer; this server runs {}.", f.version_text())}
                    </p>
                })
        }}
        {move || match history.integration.get().flatten() {
            Some(Err(e)) => Some(view! { <div class="alert alert-error" role="alert">{e.display()}</div> }),
            _ => None,
        }}
        <filters::FilterBar history />
        <filters::Tools history can_replay=can_act failed replaying=bulk.running() on_replay=Callback::new(move |()| confirm(Ask::ReplayFailed)) />
        <replay::Results history bulk />
        <replay::Compare history />
        {move || rows_view(history, replay, can_act)}
        <Pager history />
        <ConfirmDialog
            open
            title=Signal::derive(move || match ask.get() {
                Ask::Clear => format!("Clear the call history of “{}”?", history.name()),
                Ask::ReplayFailed => format!("Replay {} failed calls?", failed.get()),
            })
            confirm_label=Signal::derive(move || match ask.get() {
                Ask::Clear => "Clear history".to_owned(),
                Ask::ReplayFailed => "Replay".to_owned(),
            })
            danger=Signal::derive(move || ask.get() == Ask::Clear)
            on_confirm=Callback::new(move |()| match ask.get_untracked() {
                Ask::Clear => { clear.dispatch(()); }
                Ask::ReplayFailed => bulk.start(),
            })
        >
            <p>{move || match ask.get() {
                Ask::Clear => format!("All {} recorded calls will be deleted. This cannot be undone.", history.total.get()),
                Ask::ReplayFailed => "Each call is sent again, one after the other, with the data it sent the first time. The receiving service gets them again.".to_owned(),
            }}</p>
        </ConfirmDialog>
    }
}

/// The breadcrumbs, the heading, "Refresh" and "Clear history".
#[component]
fn HistoryHead(
    history: History,
    can_act: Signal<bool>,
    clearing: Memo<bool>,
    on_clear: Callback<()>,
) -> impl IntoView {
    let webhook = move || {
        history
            .id
            .with_value(|id| Route::Outgoing(id.clone()).href())
    };
    let name = move || {
        let n = history.name();
        if n.is_empty() {
            "Outgoing webhook".to_owned()
        } else {
            n
        }
    };
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href=Route::List.href()>"Integrations"</a>
            " / "
            <a href=webhook>{name}</a>
        </nav>
        <div class="page-head">
            <h1>"Call history"</h1>
            <div class="row">
                <button type="button" class="btn" on:click=move |_| history.again()>"Refresh"</button>
                <Show when=move || can_act.get()>
                    <button
                        type="button"
                        class="btn btn-danger"
                        disabled=move || history.total.get() == 0 || clearing.get()
                        on:click=move |_| on_clear.run(())
                    >
                        "Clear history"
                    </button>
                </Show>
            </div>
        </div>
    }
}

/// The calls of this screen page, or why there are none.
fn rows_view(history: History, replay: Replay, can_replay: Signal<bool>) -> AnyView {
    match history.newest.get().flatten() {
        None => {
            return view! { <p class="muted" aria-busy="true">"Loading the call history…"</p> }
                .into_any()
        }
        Some(Err(e)) => {
            return view! {
                <div class="alert alert-error" role="alert">
                    <p>{e.display()}</p>
                    <button type="button" class="btn" on:click=move |_| history.again()>"Try again"</button>
                </div>
            }
            .into_any()
        }
        Some(Ok(_)) => {}
    }
    if history.rows.with(Vec::is_empty) {
        return view! {
            <div class="card empty-state">"This webhook has not been called yet. Calls appear here when a matching message is posted."</div>
        }.into_any();
    }
    if history.shown.with(Vec::is_empty) {
        return view! {
            <div class="card empty-state" id="history-no-match">
                <p>"No loaded call matches these filters."</p>
                <a href=move || history.href("")>"Show every call"</a>
            </div>
        }
        .into_any();
    }
    view! { <HistoryList history replay can_replay /> }.into_any()
}

#[component]
fn HistoryList(history: History, replay: Replay, can_replay: Signal<bool>) -> impl IntoView {
    let page = move || {
        let at = history.at.get();
        history.shown.with(|s| {
            s.iter()
                .skip(at)
                .take(PAGE as usize)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <ol class="history" aria-label="Calls, newest first">
            // Keyed, so an expanded call stays expanded (and only that one) across reloads.
            <For each=page key=|e| (e.id.clone(), e.step.clone()) let:entry>
                <HistoryItem entry=entry replay=replay can_replay=can_replay />
            </For>
        </ol>
    }
}

/// Badge class of an outcome.
fn badge(o: Outcome) -> &'static str {
    match o {
        Outcome::Success => "badge badge-on",
        Outcome::Failed => "badge badge-error",
        Outcome::Retrying => "badge badge-warn",
        Outcome::Pending => "badge",
    }
}

/// The recorded fields of a call, as label and text, in the order Rocket.Chat shows them.
fn details(entry: &HistoryEntry) -> Vec<(&'static str, String)> {
    let mut details: Vec<(&'static str, String)> = vec![("Last step", entry.step.clone())];
    if let Some(word) = &entry.trigger_word {
        details.push(("Trigger word", word.clone()));
    }
    if let Some(url) = &entry.url {
        details.push(("URL", url.clone()));
    }
    for (key, value) in &entry.sections {
        details.push((
            section_label(key),
            pretty(&history_ops::without_secrets(value)),
        ));
    }
    if let Some(body) = &entry.http_result {
        details.push(("HTTP response", pretty_text(body)));
    }
    if let Some(stack) = &entry.error_stack {
        details.push(("Error", stack.clone()));
    }
    details
}

/// The recorded fields as `<dt>`/`<dd>` markup (text, escaped: one string instead of a
/// view per field keeps the wasm small).
fn details_markup(m: &mut Markup, entry: &HistoryEntry) {
    for (label, text) in details(entry) {
        m.raw("<dt>")
            .raw(label)
            .raw("</dt><dd><pre>")
            .text(&text)
            .raw("</pre></dd>");
    }
}

fn details_html(entry: &HistoryEntry) -> String {
    let mut m = Markup::new();
    details_markup(&mut m, entry);
    m.finish().into_string()
}

#[component]
fn HistoryItem(entry: HistoryEntry, replay: Replay, can_replay: Signal<bool>) -> impl IntoView {
    let outcome = Outcome::of(&entry);
    let when = entry
        .created_at
        .as_deref()
        .map(browser::local_date)
        .unwrap_or_default();
    let history_id = entry.id.clone();
    let replaying = {
        let id = entry.id.clone();
        move || replay.pending().get() && replay.input().as_deref() == Some(id.as_str())
    };
    let row_id = entry.id.clone();
    view! {
        <li class="history-item" data-id=row_id>
            <details>
                <summary>
                    <span class=badge(outcome)>{outcome.label()}</span>
                    <span class="history-event">{OutgoingEvent::parse(&entry.event).label().to_owned()}</span>
                    <time datetime=entry.created_at.clone().unwrap_or_default()>{when}</time>
                    <span class="history-url mono">{entry.url.clone().unwrap_or_default()}</span>
                    <span class="history-result">{entry.outcome()}</span>
                </summary>
                <dl class="history-details" inner_html=details_html(&entry)></dl>
            </details>
            <Show when=move || can_replay.get() && !history_id.is_empty()>
                <button
                    type="button"
                    class="btn btn-small"
                    disabled=replaying.clone()
                    on:click={
                        let id = entry.id.clone();
                        move |_| { replay.dispatch(id.clone()); }
                    }
                >
                    {let replaying = replaying.clone(); move || if replaying() { "Replaying…" } else { "Replay" }}
                </button>
            </Show>
        </li>
    }
}

fn section_label(key: &str) -> &'static str {
    match key {
        "data" => "Data passed to the integration",
        "prepareSentMessage" => "Messages sent from the prepare step",
        "processSentMessage" => "Messages sent from the process-response step",
        "httpCallData" => "Data sent to the URL",
        "httpError" => "HTTP error",
        _ => "Other data",
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// A response body: pretty JSON when it is JSON, else as it came.
fn pretty_text(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .map(|v| pretty(&v))
        .unwrap_or_else(|_| body.to_owned())
}

/// Newer / older over the filtered calls: "Showing 1–25 of 300"; unfiltered, Older reads
/// the next page from the server when it is not loaded yet.
#[component]
fn Pager(history: History) -> impl IntoView {
    let page = PAGE as usize;
    let shown = move || history.shown.with(Vec::len);
    let filtered = move || history.filter.with(|f| !f.is_empty());
    let text = move || {
        let (from, n) = (history.at.get(), shown());
        let to = (from + page).min(n);
        let of = if filtered() {
            format!("{n} matching")
        } else {
            history.total.get().max(n as u64).to_string()
        };
        (n > 0).then(|| format!("Showing {}–{} of {of}", from + 1, to))
    };
    let unloaded = move || (history.rows.with(Vec::len) as u64) < history.total.get();
    let older_disabled = move || {
        let next = history.at.get() + page;
        !(next < shown() || (!filtered() && unloaded())) || history.more.pending().get()
    };
    let older = move |_| {
        let next = history.at.get_untracked() + page;
        if next >= shown() {
            history.stop.set(false);
            history.more.dispatch(false);
        }
        history.at.set(next);
    };
    view! {
        <div class="pager row" role="group" aria-label="Pages">
            <button type="button" class="btn btn-small" disabled=move || history.at.get() == 0 on:click=move |_| history.at.update(|o| *o = o.saturating_sub(page))>"Newer"</button>
            <span class="muted" aria-live="polite">{text}</span>
            <button type="button" class="btn btn-small" disabled=older_disabled on:click=older>"Older"</button>
        </div>
    }
}

/// Used by the export: the filtered calls as a JSON file.
fn export(history: History) -> Option<(String, String, usize)> {
    let id = history.id.get_value();
    let query = history.filter.with_untracked(HistoryFilter::query_string);
    history.shown.with_untracked(|rows| {
        let refs: Vec<&HistoryEntry> = rows.iter().collect();
        let text = history_ops::export_json(&id, &query, &refs);
        Some((format!("call-history-{id}.json"), text, rows.len()))
    })
}
