//! List plumbing: `getPaginationItems`, `parseJsonQuery` (sort / fields / query) and a
//! small MongoDB-style matcher and sorter over JSON documents.

use crate::errors::ApiError;
use crate::util::{get_path, lower, parse_int};
use serde_json::{json, Map, Value};
use std::cmp::Ordering;

pub const DEFAULT_COUNT: i64 = 50;
pub const UPPER_COUNT_LIMIT: i64 = 100;

/// `(offset, limit)`; `limit == None` means everything (`count=0`, `API_Allow_Infinite_Count`).
pub fn pagination(q: &Map<String, Value>) -> (usize, Option<usize>) {
    let offset = parse_int(q.get("offset")).unwrap_or(0).max(0) as usize;
    let count = match q.get("count") {
        None => DEFAULT_COUNT,
        Some(v) => parse_int(Some(v)).unwrap_or(DEFAULT_COUNT),
    };
    let count = count.abs().min(UPPER_COUNT_LIMIT);
    (offset, (count != 0).then_some(count as usize))
}

fn parse_json(
    q: &Map<String, Value>,
    key: &str,
    id: &str,
    label: &str,
) -> Result<Option<Value>, ApiError> {
    let Some(raw) = q.get(key) else {
        return Ok(None);
    };
    let text = match raw {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let fail = || {
        ApiError::with_details(
            id,
            &format!("Invalid {label} parameter provided: \"{text}\""),
            json!({ "helperMethod": "parseJsonQuery" }),
        )
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(v @ Value::Object(_)) => Ok(Some(v)),
        _ => Err(fail()),
    }
}

/// `sort` must be a JSON object whose values are all `1` or `-1`.
pub fn sort_param(q: &Map<String, Value>) -> Result<Option<Vec<(String, i64)>>, ApiError> {
    let Some(v) = parse_json(q, "sort", "error-invalid-sort", "sort")? else {
        return Ok(None);
    };
    let mut out = vec![];
    for (k, dir) in v.as_object().into_iter().flatten() {
        match dir.as_i64() {
            Some(d @ (1 | -1)) => out.push((k.clone(), d)),
            _ => {
                let text = q.get("sort").and_then(Value::as_str).unwrap_or("");
                return Err(ApiError::with_details(
                    "error-invalid-sort",
                    &format!("Invalid sort parameter provided: \"{text}\""),
                    json!({ "helperMethod": "parseJsonQuery" }),
                ));
            }
        }
    }
    Ok(Some(out))
}

/// `fields`: a projection object of `0`/`1` values (only reachable where no schema forbids it).
pub fn fields_param(q: &Map<String, Value>) -> Result<Option<Map<String, Value>>, ApiError> {
    let Some(v) = parse_json(q, "fields", "error-invalid-fields", "fields")? else {
        return Ok(None);
    };
    let obj = v.as_object().cloned().unwrap_or_default();
    if obj.values().any(|x| !matches!(x.as_i64(), Some(0 | 1))) {
        let text = q.get("fields").and_then(Value::as_str).unwrap_or("");
        return Err(ApiError::with_details(
            "error-invalid-fields",
            &format!("Invalid fields parameter provided: \"{text}\""),
            json!({ "helperMethod": "parseJsonQuery" }),
        ));
    }
    Ok(Some(obj))
}

/// `query`: a JSON filter; only `$or`, `$and` and `$regex` (with `$options`) survive cleaning.
pub fn query_param(q: &Map<String, Value>) -> Result<Option<Value>, ApiError> {
    Ok(parse_json(q, "query", "error-invalid-query", "query")?.map(|v| clean(&v)))
}

fn clean(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| {
                    !k.starts_with('$')
                        || ["$or", "$and", "$regex", "$options"].contains(&k.as_str())
                })
                .map(|(k, v)| (k.clone(), clean(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(clean).collect()),
        other => other.clone(),
    }
}

/// Does `doc` match the MongoDB-style `filter`?
pub fn matches(doc: &Value, filter: &Value) -> bool {
    let Value::Object(f) = filter else {
        return true;
    };
    f.iter().all(|(k, cond)| match k.as_str() {
        "$or" => cond
            .as_array()
            .is_some_and(|a| a.iter().any(|sub| matches(doc, sub))),
        "$and" => cond
            .as_array()
            .is_some_and(|a| a.iter().all(|sub| matches(doc, sub))),
        path => field_matches(get_path(doc, path), cond),
    })
}

fn field_matches(value: Option<&Value>, cond: &Value) -> bool {
    if let Value::Object(ops) = cond {
        if let Some(pat) = ops.get("$regex") {
            let insensitive = ops
                .get("$options")
                .and_then(Value::as_str)
                .is_some_and(|o| o.contains('i'));
            let pat = pat.as_str().unwrap_or("");
            return match value {
                Some(Value::String(s)) => regex_like(s, pat, insensitive),
                Some(Value::Array(a)) => a
                    .iter()
                    .filter_map(Value::as_str)
                    .any(|s| regex_like(s, pat, insensitive)),
                _ => false,
            };
        }
    }
    match value {
        Some(Value::Array(a)) if !cond.is_array() => a.contains(cond),
        Some(v) => v == cond,
        None => cond.is_null(),
    }
}

/// The regular-expression subset the sandbox supports: escaped literals with optional
/// `^`/`$` anchors (what the app sends for name search). Anything else is a literal.
pub fn regex_like(hay: &str, pattern: &str, insensitive: bool) -> bool {
    let (anchored_start, p) = match pattern.strip_prefix('^') {
        Some(rest) => (true, rest),
        None => (false, pattern),
    };
    let (anchored_end, p) = match p.strip_suffix('$') {
        Some(rest) if !rest.ends_with('\\') => (true, rest),
        _ => (false, p),
    };
    let mut lit = String::new();
    let mut chars = p.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                lit.push(n);
            }
        } else {
            lit.push(c);
        }
    }
    let (h, n) = if insensitive {
        (lower(hay), lower(&lit))
    } else {
        (hay.to_string(), lit)
    };
    match (anchored_start, anchored_end) {
        (true, true) => h == n,
        (true, false) => h.starts_with(&n),
        (false, true) => h.ends_with(&n),
        (false, false) => h.contains(&n),
    }
}

fn type_rank(v: Option<&Value>) -> u8 {
    match v {
        None | Some(Value::Null) => 1,
        Some(Value::Number(_)) => 2,
        Some(Value::String(_)) => 3,
        Some(Value::Object(_)) => 4,
        Some(Value::Array(_)) => 5,
        Some(Value::Bool(_)) => 8,
    }
}

/// MongoDB's BSON comparison order, simplified (strings compare by code point).
pub fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    let (ra, rb) = (type_rank(a), type_rank(b));
    if ra != rb {
        return ra.cmp(&rb);
    }
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .unwrap_or(0.0)
            .partial_cmp(&y.as_f64().unwrap_or(0.0))
            .unwrap_or(Ordering::Equal),
        (Some(Value::String(x)), Some(Value::String(y))) => x.cmp(y),
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(x), Some(y)) => x.to_string().cmp(&y.to_string()),
        _ => Ordering::Equal,
    }
}

/// Stable sort by the given keys (insertion order stands in for natural order).
pub fn sort_docs(docs: &mut [Value], sort: &[(String, i64)]) {
    docs.sort_by(|a, b| {
        for (key, dir) in sort {
            let o = compare(get_path(a, key), get_path(b, key));
            if o != Ordering::Equal {
                return if *dir < 0 { o.reverse() } else { o };
            }
        }
        Ordering::Equal
    });
}

/// Applies a top-level inclusion or exclusion projection (`_id` kept unless excluded).
pub fn project(doc: Value, fields: &Map<String, Value>) -> Value {
    let Value::Object(m) = doc else {
        return doc;
    };
    let include = fields
        .iter()
        .any(|(k, v)| k != "_id" && v.as_i64() == Some(1));
    let out = m
        .into_iter()
        .filter(|(k, _)| {
            let top = k.as_str();
            match fields.get(top).and_then(Value::as_i64) {
                Some(1) => true,
                Some(0) => false,
                _ => !include || top == "_id",
            }
        })
        .collect();
    Value::Object(out)
}

/// Filters, sorts, pages: returns `(page, total)`.
pub fn page(
    mut docs: Vec<Value>,
    filter: &Value,
    sort: &[(String, i64)],
    offset: usize,
    limit: Option<usize>,
) -> (Vec<Value>, usize) {
    docs.retain(|d| matches(d, filter));
    sort_docs(&mut docs, sort);
    let total = docs.len();
    let page = docs
        .into_iter()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .collect();
    (page, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_rules() {
        let q = |s: &str| crate::app::parse_query(Some(s));
        assert_eq!(pagination(&q("")), (0, Some(50)));
        assert_eq!(pagination(&q("count=500&offset=3")), (3, Some(100)));
        assert_eq!(pagination(&q("count=0")), (0, None));
    }

    #[test]
    fn matcher() {
        let d = json!({"name": "Büro-Ankündigungen", "type": "webhook-incoming", "_createdBy": {"_id": "x"}});
        assert!(matches(
            &d,
            &json!({"name": {"$regex": "büro", "$options": "i"}})
        ));
        assert!(matches(
            &d,
            &json!({"$or": [{"type": "nope"}, {"_createdBy._id": "x"}]})
        ));
        assert!(!matches(&d, &json!({"type": "webhook-outgoing"})));
    }
}
