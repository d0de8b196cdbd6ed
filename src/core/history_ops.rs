//! What the history page and the list do with loaded call rows: merging pages as they
//! arrive, the health of a webhook (last call, recent outcomes), finding the row a replay
//! made, and the export of calls as JSON (tokens left out).
//!
//! Rows are untrusted server data: every function here is total.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use rustc_hash::FxHashSet as HashSet;

use serde_json::{Map, Value};

use super::history_filter::{format_time, row_time, Outcome};
use super::model::HistoryEntry;

/// Outcomes the list's strip shows per webhook.
pub const STRIP: usize = 20;

/// Appends an older page: rows already loaded (same id) are skipped, so a history that
/// shifted between reads never shows a call twice. Rows without an id are kept.
pub fn append_page(loaded: &mut Vec<HistoryEntry>, page: Vec<HistoryEntry>) {
    let mut known: HashSet<String> = loaded.iter().map(|r| r.id.clone()).collect();
    for row in page {
        if row.id.is_empty() || known.insert(row.id.clone()) {
            loaded.push(row);
        }
    }
}

/// Merges a fresh newest page into what is loaded: known rows are replaced in place (a call
/// that finished meanwhile), new rows go first in the page's order; older loaded rows stay.
pub fn merge_newest(loaded: &[HistoryEntry], fresh: Vec<HistoryEntry>) -> Vec<HistoryEntry> {
    let mut fresh_by_id: Vec<Option<HistoryEntry>> = fresh.into_iter().map(Some).collect();
    let loaded_ids: HashSet<&str> = loaded.iter().map(|r| r.id.as_str()).collect();
    let mut out: Vec<HistoryEntry> = Vec::new();
    for slot in fresh_by_id.iter_mut() {
        if slot
            .as_ref()
            .is_some_and(|r| r.id.is_empty() || !loaded_ids.contains(r.id.as_str()))
        {
            out.extend(slot.take());
        }
    }
    for row in loaded {
        let newer = fresh_by_id
            .iter_mut()
            .find(|s| {
                s.as_ref()
                    .is_some_and(|f| f.id == row.id && !row.id.is_empty())
            })
            .and_then(Option::take);
        out.push(newer.unwrap_or_else(|| row.clone()));
    }
    out
}

/// Whether a call is still running and recent enough (two minutes) to be worth reading
/// again; an old row stuck "running" on the server is not polled.
pub fn running_recently(rows: &[HistoryEntry], now_ms: i64) -> bool {
    rows.iter().any(|r| {
        Outcome::of(r) == Outcome::Pending
            && row_time(r).is_some_and(|t| now_ms.saturating_sub(t) < 120_000)
    })
}

/// A webhook's recent health, from the newest rows of its history.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Health {
    /// The newest call's outcome and time (ms since 1970), if any call is recorded.
    pub last: Option<(Outcome, Option<i64>)>,
    /// Outcomes of the newest calls, oldest first (as a strip reads left to right).
    pub strip: Vec<Outcome>,
}

impl Health {
    /// From rows newest first (the history's order); at most [`STRIP`] are used.
    pub fn from_rows(rows: &[HistoryEntry]) -> Health {
        let newest: Vec<&HistoryEntry> = rows.iter().take(STRIP).collect();
        Health {
            last: newest.first().map(|r| (Outcome::of(r), row_time(r))),
            strip: newest.iter().rev().map(|r| Outcome::of(r)).collect(),
        }
    }

    /// Whether the last call failed (the list's "failing" filter).
    pub fn failing(&self) -> bool {
        matches!(self.last, Some((Outcome::Failed, _)))
    }

    /// "Failed 5 minutes ago", "Succeeded", or "No calls yet".
    pub fn last_text(&self, now_ms: i64) -> String {
        match self.last {
            None => "No calls yet".to_owned(),
            Some((o, Some(t))) => format!("{} {}", o.label(), ago(now_ms, t)),
            Some((o, None)) => o.label().to_owned(),
        }
    }

    /// The strip in words, for screen readers: "Last 20 calls: 17 succeeded, 3 failed."
    pub fn strip_text(&self) -> String {
        if self.strip.is_empty() {
            return String::new();
        }
        let parts: Vec<String> = Outcome::ALL
            .into_iter()
            .filter_map(|o| {
                let n = self.strip.iter().filter(|s| **s == o).count();
                (n > 0).then(|| format!("{n} {}", word(o)))
            })
            .collect();
        let n = self.strip.len();
        let calls = if n == 1 {
            "Last call".to_owned()
        } else {
            format!("Last {n} calls")
        };
        format!("{calls}: {}.", parts.join(", "))
    }
}

fn word(o: Outcome) -> &'static str {
    match o {
        Outcome::Success => "succeeded",
        Outcome::Failed => "failed",
        Outcome::Retrying => "retry scheduled",
        Outcome::Pending => "running",
    }
}

/// How long ago `then` was, in the largest whole unit: "just now", "5 minutes ago",
/// "3 hours ago", "2 days ago"; a time ahead of `now` (clock skew) reads "just now".
pub fn ago(now_ms: i64, then_ms: i64) -> String {
    let s = now_ms.saturating_sub(then_ms) / 1000;
    let (n, unit) = match s {
        i64::MIN..60 => return "just now".to_owned(),
        60..3600 => (s / 60, "minute"),
        3600..86_400 => (s / 3600, "hour"),
        _ => (s / 86_400, "day"),
    };
    let plural = if n == 1 { "" } else { "s" };
    format!("{n} {unit}{plural} ago")
}

/// The key a replay shares with its original: event and message (the server re-runs the
/// trigger with the recorded message), else the data sent.
fn replay_key(row: &HistoryEntry) -> Option<String> {
    let data = row
        .sections
        .iter()
        .find(|(k, _)| k == "data")
        .map(|(_, v)| v)?;
    let message = data.get("message_id").and_then(Value::as_str);
    let key = match message {
        Some(m) if !m.is_empty() => m.to_owned(),
        _ => data.to_string(),
    };
    Some(format!("{}\u{1}{key}", row.event))
}

/// For each replayed original, the id of the row its replay made: a row of `newest` that is
/// none of the originals, triggered at or after `since_ms`, with the same event and message.
/// Each new row answers one original at most; the oldest new row goes to the first replay.
pub fn match_replays(
    originals: &[HistoryEntry],
    newest: &[HistoryEntry],
    since_ms: i64,
) -> Vec<Option<String>> {
    let original_ids: HashSet<&str> = originals.iter().map(|r| r.id.as_str()).collect();
    let mut candidates: Vec<&HistoryEntry> = newest
        .iter()
        .filter(|r| !r.id.is_empty() && !original_ids.contains(r.id.as_str()))
        .filter(|r| row_time(r).is_some_and(|t| t >= since_ms))
        .collect();
    // Oldest first, so replays sent in order meet their rows in order.
    candidates.sort_by_key(|r| row_time(r));
    let mut used: HashSet<&str> = HashSet::default();
    originals
        .iter()
        .map(|o| {
            let key = replay_key(o)?;
            let found = candidates
                .iter()
                .find(|c| !used.contains(c.id.as_str()) && replay_key(c).as_ref() == Some(&key))?;
            used.insert(found.id.as_str());
            Some(found.id.clone())
        })
        .collect()
}

/// Keys never exported: the outgoing token the server puts in the data it sends.
const SECRET_KEYS: [&str; 1] = ["token"];

/// A copy of a recorded value without the keys in [`SECRET_KEYS`], at any depth (the page
/// shows and exports calls without the outgoing token).
pub fn without_secrets(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !SECRET_KEYS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), without_secrets(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_secrets).collect()),
        other => other.clone(),
    }
}

/// One row as exported: the fields Rocket.Chat records, its outcome, no token.
pub fn export_row(row: &HistoryEntry) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_owned(), v);
    };
    put("_id", Value::String(row.id.clone()));
    put(
        "outcome",
        Value::String(Outcome::of(row).param().to_owned()),
    );
    put("event", Value::String(row.event.clone()));
    put("step", Value::String(row.step.clone()));
    if let Some(t) = row_time(row) {
        put("triggeredAt", Value::String(format_time(t)));
    }
    for (k, v) in [
        ("_createdAt", &row.created_at),
        ("_updatedAt", &row.updated_at),
        ("triggerWord", &row.trigger_word),
        ("url", &row.url),
        ("httpResult", &row.http_result),
        ("errorStack", &row.error_stack),
    ] {
        if let Some(v) = v {
            put(k, Value::String(v.clone()));
        }
    }
    put("finished", Value::Bool(row.finished));
    put("error", Value::Bool(row.error));
    for (k, v) in &row.sections {
        put(k, without_secrets(v));
    }
    Value::Object(m)
}

/// The export file: the webhook, the filter (as its query string) and the calls.
pub fn export_json(integration_id: &str, filter_query: &str, rows: &[&HistoryEntry]) -> String {
    let doc = serde_json::json!({
        "hookpanel": "call-history",
        "integrationId": integration_id,
        "filter": filter_query,
        "count": rows.len(),
        "calls": rows.iter().map(|r| export_row(r)).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The progress of loading every page: "Loaded 125 of 300 calls".
pub fn progress_text(loaded: usize, total: u64) -> String {
    format!("Loaded {loaded} of {total} calls")
}
