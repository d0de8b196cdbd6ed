//! History that finds the failures: the outcome of each outgoing call history row, filters
//! by outcome, event, time and text, counts per outcome, and the filter in the page address.
//!
//! Rows are untrusted server data: every reader here is total (odd rows give a plain
//! outcome, never a panic).

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;

use serde_json::Value;

use super::encode;
use super::model::HistoryEntry;

/// The outcome of one call, as the list shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// The call finished without error, or the remote answered and nothing failed.
    Success,
    /// An error was recorded (`error`, `httpError`, a failure step); no retry follows.
    Failed,
    /// The call failed and the server scheduled a retry (`going-to-retry-<n>`); the retry is
    /// a new row.
    Retrying,
    /// Still running, or the row never got its last update.
    Pending,
}

/// Steps that end a row in failure even where `error` is missing (scripts spec §7.3).
const FAILED_STEPS: [&str; 4] = [
    "too-many-retries",
    "failed-and-not-configured-to-retry",
    "failed-and-retry-delay-is-invalid",
    "after-http-call-send-message-failed",
];

impl Outcome {
    /// Every outcome, in the order of the filter chips.
    pub const ALL: [Outcome; 4] = [
        Outcome::Success,
        Outcome::Failed,
        Outcome::Retrying,
        Outcome::Pending,
    ];

    /// The value in the page address.
    pub fn param(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failed => "failed",
            Outcome::Retrying => "retrying",
            Outcome::Pending => "pending",
        }
    }

    /// Reads an address value.
    pub fn parse(text: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.param() == text.trim())
    }

    /// Visible label.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Success => "Succeeded",
            Outcome::Failed => "Failed",
            Outcome::Retrying => "Retry scheduled",
            Outcome::Pending => "Running",
        }
    }

    /// The outcome of a row, from `step`, `error`, `httpError`, `httpResult` and `finished`.
    pub fn of(entry: &HistoryEntry) -> Outcome {
        let step = entry.step.as_str();
        if step.starts_with("going-to-retry-") {
            Outcome::Retrying
        } else if entry.error
            || section(entry, "httpError").is_some()
            || step.starts_with("after-process-http-status-")
            || step.ends_with("-failed")
            || FAILED_STEPS.contains(&step)
        {
            Outcome::Failed
        } else if entry.finished || entry.http_result.is_some() {
            // Some servers never mark a plain 2xx answer finished.
            Outcome::Success
        } else {
            Outcome::Pending
        }
    }
}

fn section<'a>(entry: &'a HistoryEntry, key: &str) -> Option<&'a Value> {
    entry
        .sections
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// Rows per outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Counts {
    /// Succeeded.
    pub success: usize,
    /// Failed.
    pub failed: usize,
    /// Retry scheduled.
    pub retrying: usize,
    /// Still running.
    pub pending: usize,
}

impl Counts {
    /// The count of one outcome.
    pub fn get(&self, o: Outcome) -> usize {
        match o {
            Outcome::Success => self.success,
            Outcome::Failed => self.failed,
            Outcome::Retrying => self.retrying,
            Outcome::Pending => self.pending,
        }
    }

    fn add(&mut self, o: Outcome) {
        let slot = match o {
            Outcome::Success => &mut self.success,
            Outcome::Failed => &mut self.failed,
            Outcome::Retrying => &mut self.retrying,
            Outcome::Pending => &mut self.pending,
        };
        *slot += 1;
    }

    /// All rows counted.
    pub fn total(&self) -> usize {
        self.success + self.failed + self.retrying + self.pending
    }
}

/// Counts every row by outcome.
pub fn counts<'a>(rows: impl IntoIterator<Item = &'a HistoryEntry>) -> Counts {
    let mut c = Counts::default();
    for row in rows {
        c.add(Outcome::of(row));
    }
    c
}

/// The distinct events of the rows, sorted, for the event select.
pub fn events(rows: &[HistoryEntry]) -> Vec<String> {
    rows.iter()
        .map(|r| r.event.clone())
        .filter(|e| !e.is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The history filters; the default keeps every row.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct HistoryFilter {
    /// Outcomes shown; empty shows all (as does every outcome selected).
    pub outcomes: BTreeSet<Outcome>,
    /// Only rows of this event.
    pub event: Option<String>,
    /// Only rows triggered at or after this time (ms since 1970, UTC).
    pub from: Option<i64>,
    /// Only rows triggered at or before this time (ms since 1970, UTC).
    pub to: Option<i64>,
    /// Text searched in the URL, the data sent and the answer (case-insensitive).
    pub search: String,
}

impl HistoryFilter {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        *self == HistoryFilter::default()
    }

    /// Selects or deselects one outcome chip.
    pub fn toggle(&mut self, o: Outcome) {
        if !self.outcomes.remove(&o) {
            self.outcomes.insert(o);
        }
    }

    /// Whether a row passes every filter.
    pub fn matches(&self, row: &HistoryEntry) -> bool {
        self.outcome_ok(Outcome::of(row)) && self.matches_except_outcome(row)
    }

    fn outcome_ok(&self, o: Outcome) -> bool {
        self.outcomes.is_empty() || self.outcomes.contains(&o)
    }

    /// Whether a row passes the event, time and search filters (what the chip counts use).
    pub fn matches_except_outcome(&self, row: &HistoryEntry) -> bool {
        let event_ok = self.event.as_ref().is_none_or(|e| *e == row.event);
        let time_ok = if self.from.is_none() && self.to.is_none() {
            true
        } else {
            row_time(row)
                .is_some_and(|t| self.from.is_none_or(|f| t >= f) && self.to.is_none_or(|u| t <= u))
        };
        event_ok && time_ok && search_ok(&self.search, row)
    }

    /// The rows that pass, in their order.
    pub fn apply<'a>(&self, rows: &'a [HistoryEntry]) -> Vec<&'a HistoryEntry> {
        rows.iter().filter(|r| self.matches(r)).collect()
    }

    /// Counts per outcome among the rows passing the other filters, for the chips.
    pub fn counts(&self, rows: &[HistoryEntry]) -> Counts {
        counts(rows.iter().filter(|r| self.matches_except_outcome(r)))
    }

    /// The query string of this filter (empty for the default), e.g.
    /// `outcome=failed%2Cretrying&q=timeout`.
    pub fn query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.outcomes.is_empty() {
            let list: Vec<&str> = self.outcomes.iter().map(|o| o.param()).collect();
            pairs.push(("outcome", list.join(",")));
        }
        if let Some(e) = &self.event {
            pairs.push(("event", e.clone()));
        }
        if let Some(t) = self.from {
            pairs.push(("from", format_time(t)));
        }
        if let Some(t) = self.to {
            pairs.push(("to", format_time(t)));
        }
        if !self.search.is_empty() {
            pairs.push(("q", self.search.clone()));
        }
        encode::query(&pairs)
    }

    /// Reads the filter from decoded query parameters; unknown or malformed values are
    /// ignored.
    pub fn read(get: &dyn Fn(&str) -> Option<String>) -> HistoryFilter {
        let outcomes = get("outcome")
            .map(|v| v.split(',').filter_map(Outcome::parse).collect())
            .unwrap_or_default();
        HistoryFilter {
            outcomes,
            event: get("event"),
            from: get("from").and_then(|t| parse_time(&t)),
            to: get("to").and_then(|t| parse_time(&t)),
            search: get("q").unwrap_or_default(),
        }
    }

    /// Reads the filter from a raw query string (with or without `?`).
    pub fn from_query(query: &str) -> HistoryFilter {
        let pairs = parse_query(query);
        HistoryFilter::read(&|key| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
    }
}

/// Whether the search text occurs in the row's URL, data or answer.
fn search_ok(search: &str, row: &HistoryEntry) -> bool {
    let needle = search.trim().to_lowercase();
    if needle.is_empty() {
        return true;
    }
    let mut found = false;
    let mut look = |text: &str| {
        found = found || text.to_lowercase().contains(&needle);
    };
    for text in [
        &row.url,
        &row.http_result,
        &row.error_stack,
        &row.trigger_word,
    ]
    .into_iter()
    .flatten()
    {
        look(text);
        // `httpResult` is the answer JSON-encoded once more; search its text too.
        if let Ok(Value::String(inner)) = serde_json::from_str::<Value>(text) {
            look(&inner);
        }
    }
    for (_, value) in &row.sections {
        strings(value, &mut look);
    }
    found
}

/// Calls `f` on every key and string (numbers and booleans as text) in a JSON value.
fn strings(value: &Value, f: &mut dyn FnMut(&str)) {
    match value {
        Value::String(s) => f(s),
        Value::Number(n) => f(&n.to_string()),
        Value::Bool(b) => f(if *b { "true" } else { "false" }),
        Value::Array(items) => items.iter().for_each(|v| strings(v, f)),
        Value::Object(map) => {
            for (k, v) in map {
                f(k);
                strings(v, f);
            }
        }
        Value::Null => {}
    }
}

/// When a row was triggered (`_createdAt`, else `_updatedAt`), in ms since 1970.
pub fn row_time(row: &HistoryEntry) -> Option<i64> {
    [&row.created_at, &row.updated_at]
        .into_iter()
        .flatten()
        .find_map(|t| parse_time(t))
}

/// Splits `a=1&b=2` into decoded pairs (`+` reads as a space, as in forms).
fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// Percent-decoding; malformed escapes stay as written, bad UTF-8 is replaced.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads a time: ISO 8601 (`2026-11-28`, `2026-11-28T08:00`, `…:05.123Z`, `…+02:00`; no
/// zone means UTC) or whole milliseconds since 1970 (EJSON dates). Years 1–9999.
pub fn parse_time(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Ok(ms) = t.parse::<i64>() {
        return Some(ms);
    }
    let (date, rest) = t.split_at_checked(10)?;
    let mut d = date.split('-');
    let year: i64 = digits(d.next()?, 4)?;
    let month: i64 = digits(d.next()?, 2)?;
    let day: i64 = digits(d.next()?, 2)?;
    if year < 1 || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut ms = days_from_civil(year, month, day) * 86_400_000;
    if rest.is_empty() {
        return Some(ms);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (clock, zone) = split_zone(rest)?;
    ms += clock_ms(clock)? - zone;
    Some(ms)
}

/// `HH:MM[:SS[.fff]]` in ms.
fn clock_ms(clock: &str) -> Option<i64> {
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
    let mut parts = hms.split(':');
    let h = digits(parts.next()?, 2)?;
    let m = digits(parts.next()?, 2)?;
    let s = parts.next().map_or(Some(0), |s| digits(s, 2))?;
    if parts.next().is_some() || h > 23 || m > 59 || s > 59 {
        return None;
    }
    let frac_ms = if frac.is_empty() {
        0
    } else {
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Milliseconds: the first three digits, right-padded.
        let three: String = frac.chars().chain("00".chars()).take(3).collect();
        three.parse::<i64>().ok()?
    };
    Some(((h * 60 + m) * 60 + s) * 1000 + frac_ms)
}

/// Splits a trailing `Z` or `±HH:MM` off; the offset is returned in ms.
fn split_zone(rest: &str) -> Option<(&str, i64)> {
    if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    match rest.rfind(['+', '-']) {
        Some(at) => {
            let (clock, zone) = rest.split_at_checked(at)?;
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let (h, m) = zone
                .get(1..)?
                .split_once(':')
                .unwrap_or((zone.get(1..)?, "00"));
            let (h, m) = (digits(h, 2)?, digits(m, 2)?);
            (h <= 23 && m <= 59).then_some((clock, sign * (h * 60 + m) * 60_000))
        }
        None => Some((rest, 0)),
    }
}

/// Exactly `n` ASCII digits.
fn digits(text: &str, n: usize) -> Option<i64> {
    (text.len() == n && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Formats ms since 1970 as `YYYY-MM-DDTHH:MM:SSZ` (with `.mmm` when not whole seconds).
pub fn format_time(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    let (y, mo, d) = civil_from_days(days);
    let (h, mi, s, milli) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    );
    if milli == 0 {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    } else {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
    }
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}
