//! "Replay failed": the filtered failed calls sent again one after the other, with progress,
//! a result per call and Stop; rate limits are sat out (`Client::call_paced`). Afterwards
//! the new rows are read and each replay links to a side-by-side view with its original.

use super::{badge, History};
use crate::api::json;
use crate::api::Client;
use crate::browser;
use crate::components::{local_action, use_announcer, ActionOf};
use crate::core::encode;
use crate::core::history_filter::Outcome;
use crate::core::history_ops::match_replays;
use crate::core::markup::Markup;
use crate::core::model::{parse_history_with, HistoryEntry};
use crate::core::request::{self, MAX_PAGE};
use crate::router::use_query_map;
use leptos::prelude::*;
use rustc_hash::FxHashSet as HashSet;
use std::time::Duration;

/// Where one call of a bulk replay stands.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Waiting,
    Sending,
    Sent,
    Failed(String),
    Stopped,
}

/// One call of a bulk replay.
#[derive(Clone, Debug, PartialEq)]
struct Item {
    original: HistoryEntry,
    step: Step,
    /// The history row the replay made, once found.
    new_id: Option<String>,
}

/// A bulk replay's state; cheap to copy.
#[derive(Clone, Copy)]
pub(super) struct Bulk {
    items: RwSignal<Vec<Item>>,
    stop: RwSignal<bool>,
    run: ActionOf<(), ()>,
}

impl Bulk {
    /// Replays the filtered failed calls.
    pub(super) fn start(&self) {
        self.stop.set(false);
        self.run.dispatch(());
    }

    pub(super) fn running(&self) -> Signal<bool> {
        let pending = self.run.pending();
        Signal::derive(move || pending.get())
    }
}

async fn pause(ms: u64) {
    let (tx, rx) = futures::channel::oneshot::channel::<()>();
    set_timeout(
        move || {
            let _ = tx.send(());
        },
        Duration::from_millis(ms),
    );
    let _ = rx.await;
}

pub(super) fn use_bulk_replay(history: History) -> Bulk {
    let announcer = use_announcer();
    let items = RwSignal::new(Vec::<Item>::new());
    let stop = RwSignal::new(false);
    let run = local_action(move |_: &()| {
        let failed: Vec<HistoryEntry> = history.shown.with_untracked(|s| {
            s.iter()
                .filter(|r| Outcome::of(r) == Outcome::Failed && !r.id.is_empty())
                .cloned()
                .collect()
        });
        let known: HashSet<String> = history
            .rows
            .with_untracked(|r| r.iter().map(|e| e.id.clone()).collect());
        items.set(
            failed
                .into_iter()
                .map(|original| Item {
                    original,
                    step: Step::Waiting,
                    new_id: None,
                })
                .collect(),
        );
        let client = history.client();
        async move {
            let Some(client) = client else { return };
            let sent = send_all(&client, history, items, stop).await;
            announcer.announce(format!("Replayed {sent} calls; reading their new rows."));
            find_new_rows(&client, history, items, known).await;
        }
    });
    Bulk { items, stop, run }
}

/// Sends each waiting call in turn; returns how many were sent.
async fn send_all(
    client: &Client,
    history: History,
    items: RwSignal<Vec<Item>>,
    stop: RwSignal<bool>,
) -> usize {
    let id = history.id.get_value();
    let n = items.with_untracked(Vec::len);
    let mut sent = 0;
    for i in 0..n {
        let set = |step: Step| {
            items.try_update(|v| {
                if let Some(it) = v.get_mut(i) {
                    it.step = step;
                }
            });
        };
        if stop.try_get_untracked() != Some(false) {
            set(Step::Stopped);
            continue;
        }
        let Some(hid) = items.with_untracked(|v| v.get(i).map(|it| it.original.id.clone())) else {
            continue;
        };
        set(Step::Sending);
        match client.call_paced(&request::replay(&id, &hid)).await {
            Ok(_) => {
                sent += 1;
                set(Step::Sent);
            }
            Err(e) => set(Step::Failed(e.display())),
        }
    }
    sent
}

/// Reads the newest calls (twice at most, the server records replays after answering),
/// merges them in and links each sent replay to its row.
async fn find_new_rows(
    client: &Client,
    history: History,
    items: RwSignal<Vec<Item>>,
    known: HashSet<String>,
) {
    let id = history.id.get_value();
    let sent = items.with_untracked(|v| v.iter().filter(|i| i.step == Step::Sent).count());
    if sent == 0 {
        return;
    }
    let count = u32::try_from(sent + 10).unwrap_or(MAX_PAGE).min(MAX_PAGE);
    for _ in 0..3 {
        pause(1500).await;
        let Ok(v) = client.call(&request::history(&id, 0, count)).await else {
            return;
        };
        let page = parse_history_with(&v, json::BROWSER.write);
        let fresh: Vec<HistoryEntry> = page
            .entries
            .iter()
            .filter(|r| !known.contains(&r.id))
            .cloned()
            .collect();
        let originals: Vec<HistoryEntry> = items.with_untracked(|v| {
            v.iter()
                .filter(|i| i.step == Step::Sent)
                .map(|i| i.original.clone())
                .collect()
        });
        let found = match_replays(&originals, &fresh, i64::MIN);
        history.total.try_set(page.total);
        history
            .rows
            .try_update(|r| *r = crate::core::history_ops::merge_newest(r, page.entries));
        let mut found = found.into_iter();
        items.try_update(|v| {
            for it in v.iter_mut().filter(|i| i.step == Step::Sent) {
                it.new_id = found.next().flatten();
            }
        });
        let done = items.with_untracked(|v| {
            v.iter()
                .filter(|i| i.step == Step::Sent)
                .all(|i| i.new_id.is_some())
        });
        let settled = history.rows.with_untracked(|r| {
            r.iter()
                .filter(|e| !known.contains(&e.id))
                .all(|e| Outcome::of(e) != Outcome::Pending)
        });
        if done && settled {
            return;
        }
    }
}

/// The address of the side-by-side view of a call and its replay.
fn compare_href(history: History, original: &str, replay: &str) -> String {
    let mut query = history.filter.with_untracked(|f| f.query_string());
    let pair = encode::query(&[
        ("compare", original.to_owned()),
        ("with", replay.to_owned()),
    ]);
    if !query.is_empty() {
        query.push('&');
    }
    query.push_str(&pair);
    history.href(&query)
}

fn step_text(step: &Step) -> String {
    match step {
        Step::Waiting => "Waiting".to_owned(),
        Step::Sending => "Sending…".to_owned(),
        Step::Sent => "Sent".to_owned(),
        Step::Failed(why) => format!("Not replayed: {why}"),
        Step::Stopped => "Stopped before sending".to_owned(),
    }
}

/// One `<li>` per call of the bulk replay, as escaped markup: when, where it stands, and
/// once found the new call's outcome and the link to compare it with the original.
fn results_html(history: History, items: &[Item]) -> String {
    let mut m = Markup::new();
    for it in items {
        let when = it
            .original
            .created_at
            .as_deref()
            .map(browser::local_date)
            .unwrap_or_default();
        m.raw("<li data-id=\"")
            .text(&it.original.id)
            .raw("\"><time>")
            .text(&when)
            .raw("</time> — <span class=\"replay-step\">")
            .text(&step_text(&it.step))
            .raw("</span>");
        if let Some(new_id) = &it.new_id {
            m.raw(" · new call: ");
            let found = history
                .rows
                .with(|r| r.iter().find(|e| &e.id == new_id).map(Outcome::of));
            if let Some(o) = found {
                m.raw("<span class=\"")
                    .raw(badge(o))
                    .raw("\">")
                    .raw(o.label())
                    .raw("</span> ");
            }
            m.raw("<a href=\"")
                .text(&compare_href(history, &it.original.id, new_id))
                .raw("\">Compare with the original<span class=\"visually-hidden\"> call of ")
                .text(&when)
                .raw("</span></a>");
        }
        m.raw("</li>");
    }
    m.finish().into_string()
}

/// The progress and one result per call of the last bulk replay.
#[component]
pub(super) fn Results(history: History, bulk: Bulk) -> impl IntoView {
    let items = bulk.items;
    let total = move || items.with(Vec::len);
    let done = move || {
        items.with(|v| {
            v.iter()
                .filter(|i| !matches!(i.step, Step::Waiting | Step::Sending))
                .count()
        })
    };
    let running = bulk.running();
    view! {
        <section class="card replay-results" aria-labelledby="replay-title" hidden=move || total() == 0>
            <h2 id="replay-title">"Replay of failed calls"</h2>
            <div class="row">
                <progress max=total value=done aria-labelledby="replay-progress"></progress>
                <span id="replay-progress" aria-live="polite">{move || format!("Replayed {} of {}", done(), total())}</span>
                <button type="button" class="btn btn-small" hidden=move || !running.get() on:click=move |_| bulk.stop.set(true)>"Stop replaying"</button>
            </div>
            <ol class="replay-list" aria-label="Replay results" inner_html=move || items.with(|v| results_html(history, v))></ol>
        </section>
    }
}

/// One column of the comparison, as escaped markup.
fn column_html(title: &'static str, row: Option<&HistoryEntry>) -> String {
    let mut m = Markup::new();
    m.raw("<article class=\"compare-col\"><h3>").raw(title);
    match row {
        Some(row) => {
            let o = Outcome::of(row);
            let when = row
                .created_at
                .as_deref()
                .map(browser::local_date)
                .unwrap_or_default();
            m.raw(" <span class=\"")
                .raw(badge(o))
                .raw("\">")
                .raw(o.label())
                .raw("</span></h3><p class=\"muted\"><time>")
                .text(&when)
                .raw("</time> · ")
                .text(&row.outcome())
                .raw("</p><dl class=\"history-details\">");
            super::details_markup(&mut m, row);
            m.raw("</dl>");
        }
        None => {
            m.raw("</h3><p class=\"muted\">This call is not loaded. Load all calls to see it.</p>");
        }
    }
    m.raw("</article>");
    m.finish().into_string()
}

/// Original and replay side by side (`?compare=<id>&with=<id>`), from the loaded calls.
#[component]
pub(super) fn Compare(history: History) -> impl IntoView {
    let query = use_query_map();
    let pair = Memo::new(move |_| query.with(|q| q.get("compare").zip(q.get("with"))));
    let grid = move || {
        pair.with(|p| {
            let Some((a, b)) = p else {
                return String::new();
            };
            history.rows.with(|r| {
                let find = |id: &str| r.iter().find(|e| e.id == id);
                column_html("Original", find(a)) + &column_html("Replay", find(b))
            })
        })
    };
    let close = move || history.href(&history.filter.with(|f| f.query_string()));
    view! {
        <section class="card compare" aria-labelledby="compare-title" hidden=move || pair.with(Option::is_none)>
            <div class="row">
                <h2 id="compare-title">"Original call and replay"</h2>
                <a class="btn btn-small" href=close>"Close comparison"</a>
            </div>
            <div class="compare-grid" inner_html=grid></div>
        </section>
    }
}
