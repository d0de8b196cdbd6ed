//! Tolerant readers for server JSON: wrong types and `null` read as absent, never panic.

use serde_json::Value;

/// A string property; `null`, missing or non-string values are `None`.
pub(crate) fn str_of(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// A boolean property; also accepts the strings `"true"`/`"false"` some exports carry.
pub(crate) fn bool_of(v: &Value, key: &str) -> Option<bool> {
    match v.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

/// A whole-number property, from a JSON number or a numeric string.
pub(crate) fn int_of(v: &Value, key: &str) -> Option<i64> {
    match v.get(key)? {
        Value::Number(n) => n.as_i64().or_else(|| {
            // Whole floats such as 6.0; anything else is not a count.
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A list of strings; a lone string becomes one item, non-string items are skipped.
pub(crate) fn str_list(v: &Value, key: &str) -> Vec<String> {
    match v.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// A date as text: ISO strings as they are, EJSON `{"$date": …}` unwrapped.
pub(crate) fn date_of(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => match o.get("$date")? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        },
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A non-negative count, for list totals and offsets.
pub(crate) fn count_of(v: &Value, key: &str) -> Option<u64> {
    int_of(v, key).and_then(|n| u64::try_from(n).ok())
}

/// Cuts `text` to at most `max` characters without splitting a character.
pub(crate) fn truncate_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or(text)),
        None => text.to_owned(),
    }
}
