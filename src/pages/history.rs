//! The call history of an outgoing webhook: newest first, paginated, each call expandable to
//! the JSON it sent and received; replay and clear-all on servers that have them (8.7+).

use crate::api::Client;
use crate::browser;
use crate::components::{use_announcer, ConfirmDialog};
use crate::core::errors::ApiError;
use crate::core::model::{
    parse_history, parse_integration_response, HistoryEntry, HistoryPage, HistoryStatus,
    Integration, OutgoingEvent,
};
use crate::core::request;
use crate::router::Route;
use crate::server::use_server;
use crate::session::{use_session, SessionState};
use leptos::prelude::*;
use serde_json::Value;
use std::time::Duration;

/// Rows per page.
const PAGE: u32 = 25;

/// A page of the call history, or why it could not be read; `None` while reading.
type Rows = LocalResource<Option<Result<HistoryPage, ApiError>>>;
/// Replays one call (by history id).
type Replay = Action<String, Result<String, ApiError>>;

/// What the page reads: the webhook (for its name) and one page of its calls.
#[derive(Clone, Copy)]
struct History {
    session: SessionState,
    id: StoredValue<String>,
    integration: LocalResource<Option<Result<Integration, ApiError>>>,
    rows: Rows,
    offset: RwSignal<u32>,
    /// Bumped to read the rows again after a replay or a clear.
    reload: RwSignal<u32>,
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
        self.offset.set(0);
        self.again();
    }

    /// The webhook's name, once read.
    fn name(&self) -> String {
        match self.integration.get().flatten() {
            Some(Ok(i)) => i.display_name(),
            _ => String::new(),
        }
    }

    /// How many calls the server has recorded.
    fn total(&self) -> u64 {
        match self.rows.get().flatten() {
            Some(Ok(page)) => page.total,
            _ => 0,
        }
    }
}

/// Reads the webhook and the page of calls at `offset` (again whenever `reload` changes).
fn use_history(id: String) -> History {
    let session = use_session();
    let client = move || session.get_untracked().map(|s| Client::for_session(&s));
    let id = StoredValue::new(id);
    let (offset, reload) = (RwSignal::new(0u32), RwSignal::new(0u32));
    let integration = LocalResource::new(move || {
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
    let rows = LocalResource::new(move || {
        let (offset, _) = (offset.get(), reload.get());
        let client = client();
        async move {
            let answer = client?
                .call(&request::history(&id.get_value(), offset, PAGE))
                .await;
            Some(answer.map(|v| parse_history(&v)))
        }
    });
    History {
        session,
        id,
        integration,
        rows,
        offset,
        reload,
    }
}

/// Replays a call; the replayed call is read once the server has had time to make it.
fn use_replay(history: History) -> Replay {
    let announcer = use_announcer();
    let replay = Action::new_local(move |history_id: &String| {
        let (client, history_id) = (history.client(), history_id.clone());
        async move {
            let client = client.ok_or(ApiError::Network)?;
            client
                .call(&request::replay(&history.id.get_value(), &history_id))
                .await
                .map(|_| history_id)
        }
    });
    Effect::new(move || match replay.value().get() {
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
fn use_clear(history: History) -> Action<(), Result<Value, ApiError>> {
    let announcer = use_announcer();
    let clear = Action::new_local(move |_: &()| {
        let client = history.client();
        async move {
            client
                .ok_or(ApiError::Network)?
                .call(&request::clear_history(&history.id.get_value()))
                .await
        }
    });
    Effect::new(move || match clear.value().get() {
        Some(Ok(_)) => {
            announcer.announce("History cleared.");
            history.read_newest();
        }
        Some(Err(e)) => announcer.announce(format!("Clearing failed: {}", e.display())),
        None => {}
    });
    clear
}

/// A replayed or fresh call is recorded step by step: look again shortly while any is
/// running; bounded, so a call stuck "in progress" on the server is not polled forever.
fn poll_while_running(history: History) {
    let polls = StoredValue::new(0u32);
    Effect::new(move || {
        let running = matches!(history.rows.get().flatten(), Some(Ok(page)) if page.entries.iter().any(|e| e.status() == HistoryStatus::InProgress));
        if running && polls.get_value() < 10 {
            polls.update_value(|n| *n += 1);
            set_timeout(move || history.again(), Duration::from_millis(1500));
        }
    });
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
    Effect::new(move || {
        browser::set_title(&format!("Call history of {} · hookpanel", history.name()))
    });
    let features = move || server.state().map(|s| s.features);
    let can_act = Signal::derive(move || features().is_some_and(|f| f.clear_and_replay));
    let replay = use_replay(history);
    let clear = use_clear(history);
    poll_while_running(history);
    let confirm_clear = RwSignal::new(false);
    let total = Signal::derive(move || history.total());

    view! {
        <HistoryHead history can_act clearing=clear.pending() confirm_clear />
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
        {move || rows_view(history, replay, can_act)}
        <Pager offset=history.offset total />
        <ConfirmDialog
            open=confirm_clear
            title=Signal::derive(move || format!("Clear the call history of “{}”?", history.name()))
            confirm_label="Clear history"
            danger=true
            on_confirm=Callback::new(move |()| { clear.dispatch(()); })
        >
            <p>{move || format!("All {} recorded calls will be deleted. This cannot be undone.", total.get())}</p>
        </ConfirmDialog>
    }
}

/// The breadcrumbs, the heading, "Refresh" and "Clear history".
#[component]
fn HistoryHead(
    history: History,
    can_act: Signal<bool>,
    clearing: Memo<bool>,
    confirm_clear: RwSignal<bool>,
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
                        disabled=move || history.total() == 0 || clearing.get()
                        on:click=move |_| confirm_clear.set(true)
                    >
                        "Clear history"
                    </button>
                </Show>
            </div>
        </div>
    }
}

/// The calls, or why there are none.
fn rows_view(history: History, replay: Replay, can_replay: Signal<bool>) -> AnyView {
    match history.rows.get().flatten() {
        None => view! { <p class="muted" aria-busy="true">"Loading the call history…"</p> }.into_any(),
        Some(Err(e)) => view! {
            <div class="alert alert-error" role="alert">
                <p>{e.display()}</p>
                <button type="button" class="btn" on:click=move |_| history.again()>"Try again"</button>
            </div>
        }.into_any(),
        Some(Ok(page)) if page.entries.is_empty() => view! {
            <div class="card empty-state">"This webhook has not been called yet. Calls appear here when a matching message is posted."</div>
        }.into_any(),
        Some(Ok(page)) => view! { <HistoryList page replay can_replay /> }.into_any(),
    }
}

#[component]
fn HistoryList(page: HistoryPage, replay: Replay, can_replay: Signal<bool>) -> impl IntoView {
    view! {
        <ol class="history" aria-label="Calls, newest first">
            // Keyed, so an expanded call stays expanded (and only that one) across reloads.
            <For each=move || page.entries.clone() key=|e| e.id.clone() let:entry>
                <HistoryItem entry=entry replay=replay can_replay=can_replay />
            </For>
        </ol>
    }
}

#[component]
fn HistoryItem(entry: HistoryEntry, replay: Replay, can_replay: Signal<bool>) -> impl IntoView {
    let (badge, status) = match entry.status() {
        HistoryStatus::Success => ("badge badge-on", "Success"),
        HistoryStatus::Failure => ("badge badge-error", "Failed"),
        HistoryStatus::InProgress => ("badge", "In progress"),
    };
    let when = entry
        .created_at
        .as_deref()
        .map(browser::local_date)
        .unwrap_or_default();
    let result = entry.outcome();
    let history_id = entry.id.clone();
    let replaying = {
        let id = entry.id.clone();
        move || replay.pending().get() && replay.input().with(|i| i.as_deref() == Some(id.as_str()))
    };
    let mut details: Vec<(&'static str, String)> = vec![("Last step", entry.step.clone())];
    if let Some(word) = &entry.trigger_word {
        details.push(("Trigger word", word.clone()));
    }
    for (key, value) in &entry.sections {
        details.push((section_label(key), pretty(value)));
    }
    if let Some(body) = &entry.http_result {
        details.push(("HTTP response", pretty_text(body)));
    }
    if let Some(stack) = &entry.error_stack {
        details.push(("Error", stack.clone()));
    }
    view! {
        <li class="history-item">
            <details>
                <summary>
                    <span class=badge>{status}</span>
                    <span class="history-event">{OutgoingEvent::parse(&entry.event).label().to_owned()}</span>
                    <time datetime=entry.created_at.clone().unwrap_or_default()>{when}</time>
                    <span class="history-url mono">{entry.url.clone().unwrap_or_default()}</span>
                    <span class="history-result">{result}</span>
                </summary>
                <dl class="history-details">
                    {details.into_iter().map(|(label, text)| view! { <dt>{label}</dt><dd><pre>{text}</pre></dd> }).collect_view()}
                </dl>
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

/// Previous / next with "Showing 1–25 of 60".
#[component]
fn Pager(offset: RwSignal<u32>, total: Signal<u64>) -> impl IntoView {
    let shown = move || {
        let (from, total) = (u64::from(offset.get()), total.get());
        let to = (from + u64::from(PAGE)).min(total);
        if total == 0 {
            String::new()
        } else {
            format!("Showing {}–{} of {}", from + 1, to, total)
        }
    };
    view! {
        <div class="pager row" role="group" aria-label="Pages">
            <button type="button" class="btn btn-small" disabled=move || offset.get() == 0 on:click=move |_| offset.update(|o| *o = o.saturating_sub(PAGE))>"Newer"</button>
            <span class="muted" aria-live="polite">{shown}</span>
            <button type="button" class="btn btn-small" disabled=move || { u64::from(offset.get() + PAGE) >= total.get() } on:click=move |_| offset.update(|o| *o += PAGE)>"Older"</button>
        </div>
    }
}
