//! The history's filters (outcome chips with counts, event, time range, search), kept in the
//! address, and its tools: load all with progress and Stop, export, replay the failures.

use super::{badge, History};
use crate::components::{effect, use_announcer, Debounce};
use crate::core::history_filter::{self, HistoryFilter, Outcome};
use crate::core::history_ops::progress_text;
use crate::core::model::OutgoingEvent;
use crate::pages::integrations::download_json;
use crate::router::{use_navigate, NavigateOptions};
use leptos::prelude::*;

/// How long typing must pause before the search goes to the address.
const SEARCH_DEBOUNCE_MS: u64 = 300;

/// Writes a filter to the address: a new history entry, or a replaced one while typing.
fn use_set_filter(history: History) -> impl Fn(HistoryFilter, bool) + Copy + 'static {
    let navigate = use_navigate();
    move |f: HistoryFilter, replace: bool| {
        navigate(
            &history.href(&f.query_string()),
            NavigateOptions {
                replace,
                keep_scroll: true,
            },
        );
    }
}

/// `datetime-local` value (UTC) of a time, or empty.
fn input_time(t: Option<i64>) -> String {
    t.map(|t| history_filter::format_time(t).chars().take(16).collect())
        .unwrap_or_default()
}

#[component]
pub(super) fn FilterBar(history: History) -> impl IntoView {
    let set = use_set_filter(history);
    let change = move |edit: &dyn Fn(&mut HistoryFilter), replace: bool| {
        let mut f = history.filter.get_untracked();
        edit(&mut f);
        set(f, replace);
    };
    // A new filter starts at its first page.
    effect(move || {
        history.filter.track();
        history.at.set(0);
    });
    let counts = Memo::new(move |_| history.filter.with(|f| history.rows.with(|r| f.counts(r))));
    let chips = Outcome::ALL.map(|o| {
        let pressed = move || history.filter.with(|f| f.outcomes.contains(&o));
        view! {
            <button
                type="button"
                class="chip"
                aria-pressed=move || pressed().to_string()
                on:click=move |_| change(&|f| f.toggle(o), false)
            >
                <span class=badge(o)>{o.label()}</span>
                " "
                <span class="chip-count">{move || counts.get().get(o)}</span>
            </button>
        }
    });
    let events = Memo::new(move |_| history.rows.with(|r| history_filter::events(r)));
    let event_change = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        change(
            &|f| f.event = Some(v.clone()).filter(|v| !v.is_empty()),
            false,
        );
    };
    let time = move |ev: leptos::ev::Event, to: bool| {
        let t = history_filter::parse_time(&event_target_value(&ev));
        change(
            &|f| {
                if to {
                    f.to = t;
                } else {
                    f.from = t;
                }
            },
            false,
        );
    };
    view! {
        <section class="history-filters card" aria-labelledby="history-filters-title">
            <h2 id="history-filters-title" class="visually-hidden">"Filter the calls"</h2>
            <div class="chips" role="group" aria-label="Outcome (counts of the loaded calls)">{chips}</div>
            <div class="history-filter-fields">
                <label>
                    "Event"
                    <select class="select" on:change=event_change prop:value=move || history.filter.with(|f| f.event.clone().unwrap_or_default())>
                        <option value="">"All events"</option>
                        {move || events.get().into_iter().map(|e| {
                            let label = OutgoingEvent::parse(&e).label().to_owned();
                            let selected = history.filter.with_untracked(|f| f.event.as_deref() == Some(e.as_str()));
                            view! { <option value=e selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    "From (UTC)"
                    <input class="input" type="datetime-local" prop:value=move || input_time(history.filter.with(|f| f.from)) on:change=move |ev| time(ev, false) />
                </label>
                <label>
                    "To (UTC)"
                    <input class="input" type="datetime-local" prop:value=move || input_time(history.filter.with(|f| f.to)) on:change=move |ev| time(ev, true) />
                </label>
                <Search history />
            </div>
        </section>
    }
}

/// The search box: the address follows typing after a pause (replacing the entry), and
/// the box follows the address (back and forward).
#[component]
fn Search(history: History) -> impl IntoView {
    let set = use_set_filter(history);
    let text = RwSignal::new(history.filter.with_untracked(|f| f.search.clone()));
    let pause = Debounce::new(SEARCH_DEBOUNCE_MS);
    let input = move |ev: leptos::ev::Event| {
        text.set(event_target_value(&ev));
        pause.call(move |_| {
            let (Some(search), Some(f)) =
                (text.try_get_untracked(), history.filter.try_get_untracked())
            else {
                return;
            };
            if search != f.search {
                set(HistoryFilter { search, ..f }, true);
            }
        });
    };
    effect(move || {
        let search = history.filter.with(|f| f.search.clone());
        if !pause.waiting() && text.get_untracked() != search {
            text.set(search);
        }
    });
    view! {
        <label class="history-search">
            "Search URL, data sent and answer"
            <input class="input" type="search" prop:value=move || text.get() on:input=input />
        </label>
    }
}

/// Load all (with progress and Stop), export, and replay the filtered failures.
#[component]
pub(super) fn Tools(
    history: History,
    can_replay: Signal<bool>,
    failed: Memo<usize>,
    replaying: Signal<bool>,
    on_replay: Callback<()>,
) -> impl IntoView {
    let announcer = use_announcer();
    let loaded = move || history.rows.with(Vec::len);
    let unloaded = move || (loaded() as u64) < history.total.get();
    let loading = history.more.pending();
    let load_all = move |_| {
        history.stop.set(false);
        history.more.dispatch(true);
    };
    let export = move |_| {
        if let Some((name, text, n)) = super::export(history) {
            if download_json(&name, &text) {
                announcer.announce(format!("Exported {n} calls as {name}."));
            } else {
                announcer.announce("The browser refused the download.");
            }
        }
    };
    effect(move || {
        if let Some(Err(e)) = history.more.value() {
            announcer.announce(format!("Loading older calls failed: {}", e.display()));
        }
    });
    view! {
        <div class="history-tools row">
            <p class="muted" id="history-loaded">{move || progress_text(loaded(), history.total.get())}</p>
            <progress hidden=move || !loading.get() max=move || history.total.get() value=loaded aria-labelledby="history-loaded"></progress>
            <button type="button" class="btn btn-small" hidden=move || !loading.get() on:click=move |_| history.stop.set(true)>"Stop loading"</button>
            <button type="button" class="btn btn-small" hidden=move || !unloaded() || loading.get() on:click=load_all>
                {move || format!("Load all {} calls", history.total.get())}
            </button>
            <button type="button" class="btn btn-small" disabled=move || history.shown.with(Vec::is_empty) on:click=export>
                {move || format!("Export {} calls (JSON)", history.shown.with(Vec::len))}
            </button>
            <button type="button" class="btn btn-small" hidden=move || !can_replay.get() disabled=move || failed.get() == 0 || replaying.get() on:click=move |_| on_replay.run(())>
                {move || format!("Replay {} failed", failed.get())}
            </button>
        </div>
    }
}
