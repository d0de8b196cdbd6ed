//! Health in the list: each outgoing row's last call and a strip of its recent outcomes,
//! read from its history for the rows on screen only, one request per row for as long as
//! the page lives (paging back and forth reuses it), one request at a time (the history
//! route is rate limited like any other); and the "failing" filter's checkbox.

use super::rows::Row;
use super::List;
use crate::api::json;
use crate::api::Client;
use crate::components::effect;
use crate::core::errors::ApiError;
use crate::core::history_filter::Outcome;
use crate::core::history_ops::{Health, STRIP};
use crate::core::listing::ListState;
use crate::core::markup::Markup;
use crate::core::model::{parse_history_with, Kind};
use crate::core::request;
use crate::session::SessionState;
use leptos::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// What is known of one webhook's health.
#[derive(Clone, Debug, PartialEq)]
pub enum HealthState {
    /// Its history is being read.
    Checking,
    /// Read.
    Known(Health),
    /// The history could not be read (the message says why).
    Unavailable(String),
}

/// The health of each outgoing webhook seen on this page, by id, and which were asked for.
#[derive(Clone, Copy)]
pub struct Healths {
    states: StoredValue<HashMap<String, ArcRwSignal<HealthState>>>,
    asked: StoredValue<HashSet<String>>,
}

impl Healths {
    /// Starts reading the health of the outgoing rows that come on screen.
    pub fn provide(session: SessionState, page_rows: Memo<Vec<Row>>) -> Healths {
        let healths = Healths {
            states: StoredValue::new(HashMap::default()),
            asked: StoredValue::new(HashSet::default()),
        };
        provide_context(healths);
        effect(move || {
            let wanted: Vec<String> = page_rows.with(|rows| {
                rows.iter()
                    .filter(|r| r.kind == Kind::Outgoing)
                    .map(|r| r.id.clone())
                    .collect()
            });
            let new: Vec<String> = healths
                .asked
                .try_update_value(|asked| {
                    wanted
                        .into_iter()
                        .filter(|id| asked.insert(id.clone()))
                        .collect()
                })
                .unwrap_or_default();
            let todo: Vec<(String, ArcRwSignal<HealthState>)> = new
                .into_iter()
                .filter_map(|id| Some((id.clone(), healths.of(&id)?)))
                .collect();
            let client = session.get_untracked().map(|s| Client::for_session(&s));
            if let (false, Some(client)) = (todo.is_empty(), client) {
                leptos::task::spawn_local(read_all(client, todo));
            }
        });
        healths
    }

    /// The health of an outgoing webhook (checking until read).
    pub fn of(&self, id: &str) -> Option<ArcRwSignal<HealthState>> {
        self.states.try_update_value(|m| {
            m.entry(id.to_owned())
                .or_insert_with(|| ArcRwSignal::new(HealthState::Checking))
                .clone()
        })
    }

    /// Whether a row's last call failed (tracked); `None` while unknown.
    pub fn failing(&self, id: &str) -> Option<bool> {
        self.of(id)?.with(|h| match h {
            HealthState::Known(h) => Some(h.failing()),
            HealthState::Checking => None,
            HealthState::Unavailable(_) => Some(false),
        })
    }
}

/// Reads each webhook's newest calls, one after the other.
async fn read_all(client: Client, todo: Vec<(String, ArcRwSignal<HealthState>)>) {
    for (id, signal) in todo {
        let answer = client.call(&request::history(&id, 0, STRIP as u32)).await;
        signal.set(match answer {
            Ok(v) => HealthState::Known(Health::from_rows(
                &parse_history_with(&v, json::BROWSER.write).entries,
            )),
            Err(e) => HealthState::Unavailable(unavailable(&e)),
        });
    }
}

fn unavailable(e: &ApiError) -> String {
    format!("The call history could not be read: {}", e.display())
}

/// Class of one strip segment; the segments differ in height as well as colour.
fn segment(o: Outcome) -> &'static str {
    match o {
        Outcome::Success => "seg seg-ok",
        Outcome::Failed => "seg seg-failed",
        Outcome::Retrying => "seg seg-retry",
        Outcome::Pending => "seg seg-pending",
    }
}

/// The "Last call" cell of a row: outcome, how long ago, and the strip with its text.
pub fn cell(m: &mut Markup, state: Option<&HealthState>, now_ms: i64) {
    m.raw("<td data-label=\"Last call\" class=\"cell-health\">");
    match state {
        None => {
            m.raw("<span class=\"muted\">—</span>");
        }
        Some(HealthState::Checking) => {
            m.raw("<span class=\"muted\">Checking…</span>");
        }
        Some(HealthState::Unavailable(why)) => {
            m.raw("<span class=\"muted\" title=\"")
                .text(why)
                .raw("\">Unknown</span>");
        }
        Some(HealthState::Known(h)) => known(m, h, now_ms),
    }
    m.raw("</td>");
}

fn known(m: &mut Markup, h: &Health, now_ms: i64) {
    let class = match h.last.map(|(o, _)| o) {
        Some(Outcome::Failed) => "badge badge-error",
        Some(Outcome::Success) => "badge badge-on",
        Some(Outcome::Retrying) => "badge badge-warn",
        _ => "muted",
    };
    m.raw("<span class=\"health-last\"><span class=\"")
        .raw(class)
        .raw("\">")
        .text(&h.last_text(now_ms))
        .raw("</span></span>");
    if h.strip.is_empty() {
        return;
    }
    m.raw("<span class=\"strip\" role=\"img\" aria-label=\"")
        .text(&h.strip_text())
        .raw("\" title=\"")
        .text(&h.strip_text())
        .raw("\">");
    for o in &h.strip {
        m.raw("<i class=\"").raw(segment(*o)).raw("\"></i>");
    }
    m.raw("</span>");
}

/// "Failing only": narrows the page to outgoing webhooks whose last call failed.
#[component]
pub fn FailingFilter() -> impl IntoView {
    let list = expect_context::<List>();
    let on = move || list.state.with(|s| s.failing);
    let change = move |_| {
        let next = ListState {
            failing: !list.state.with_untracked(|s| s.failing),
            ..list.state.get_untracked()
        };
        list.go(&next, false);
    };
    view! {
        <label class="check failing-filter">
            <input type="checkbox" prop:checked=on on:change=change />
            " Failing only (last call failed, among the webhooks of this page)"
        </label>
    }
}
