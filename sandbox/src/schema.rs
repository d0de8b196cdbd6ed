//! A small AJV work-alike for the request schemas of spec §2.
//!
//! It follows AJV's defaults (no `allErrors`): each schema stops at its first failing
//! keyword, in AJV's keyword order (type → required → additionalProperties → properties;
//! minLength before pattern), and `oneOf` reports every branch's first error followed by
//! "must match exactly one schema in oneOf". Messages are joined with `"\n "` like the server.

use serde_json::{Map, Value};

#[derive(Debug, Clone)]
pub enum Schema {
    Object {
        props: Vec<(&'static str, Schema)>,
        required: Vec<&'static str>,
        /// `additionalProperties`; `true` when the schema has no such rule.
        additional: bool,
    },
    Str {
        nullable: bool,
        min_len: Option<usize>,
        /// Unanchored pattern; only literal patterns are used, so a substring test suffices.
        pattern: Option<&'static str>,
    },
    Bool {
        nullable: bool,
    },
    Num {
        nullable: bool,
    },
    /// `type: ['number', 'string']`.
    NumOrStr,
    Arr {
        nullable: bool,
        items: Box<Schema>,
    },
    OneOf(Vec<Schema>),
}

pub fn string() -> Schema {
    Schema::Str {
        nullable: false,
        min_len: None,
        pattern: None,
    }
}
pub fn string_null() -> Schema {
    Schema::Str {
        nullable: true,
        min_len: None,
        pattern: None,
    }
}
pub fn string_min1() -> Schema {
    Schema::Str {
        nullable: false,
        min_len: Some(1),
        pattern: None,
    }
}
pub fn pattern(p: &'static str) -> Schema {
    Schema::Str {
        nullable: false,
        min_len: None,
        pattern: Some(p),
    }
}
pub fn boolean() -> Schema {
    Schema::Bool { nullable: false }
}
pub fn boolean_null() -> Schema {
    Schema::Bool { nullable: true }
}
pub fn number_null() -> Schema {
    Schema::Num { nullable: true }
}
pub fn number() -> Schema {
    Schema::Num { nullable: false }
}
pub fn string_array_null() -> Schema {
    Schema::Arr {
        nullable: true,
        items: Box::new(string_min1()),
    }
}

/// Validates (and, with `coerce`, coerces in place like AJV's `coerceTypes: true`).
pub fn validate(schema: &Schema, data: &mut Value, coerce: bool) -> Result<(), String> {
    let mut errors = Vec::new();
    if check(schema, data, coerce, &mut errors) {
        Ok(())
    } else {
        Err(errors.join("\n "))
    }
}

fn check(schema: &Schema, data: &mut Value, coerce: bool, errors: &mut Vec<String>) -> bool {
    match schema {
        Schema::Object {
            props,
            required,
            additional,
        } => {
            let Value::Object(obj) = data else {
                errors.push("must be object".into());
                return false;
            };
            for r in required {
                if !obj.contains_key(*r) {
                    errors.push(format!("must have required property '{r}'"));
                    return false;
                }
            }
            if !additional && obj.keys().any(|k| !props.iter().any(|(p, _)| p == k)) {
                errors.push("must NOT have additional properties".into());
                return false;
            }
            check_props(props, obj, coerce, errors)
        }
        Schema::Str {
            nullable,
            min_len,
            pattern,
        } => {
            if data.is_null() && *nullable {
                return true;
            }
            if !data.is_string() {
                match coerce.then(|| to_string(data)).flatten() {
                    Some(s) => *data = Value::String(s),
                    None => {
                        errors.push("must be string".into());
                        return false;
                    }
                }
            }
            let s = data.as_str().unwrap_or("");
            if let Some(min) = min_len {
                if s.chars().count() < *min {
                    errors.push(format!("must NOT have fewer than {min} characters"));
                    return false;
                }
            }
            if let Some(p) = pattern {
                if !s.contains(p) {
                    errors.push(format!("must match pattern \"{p}\""));
                    return false;
                }
            }
            true
        }
        Schema::Bool { nullable } => {
            if data.is_boolean() || (data.is_null() && *nullable) {
                return true;
            }
            // AJV tries the schema's types in order: boolean, then null when nullable.
            let coerced = match &*data {
                Value::String(s) if s == "true" => Some(Value::Bool(true)),
                Value::String(s) if s == "false" => Some(Value::Bool(false)),
                Value::Number(n) if n.as_f64() == Some(1.0) => Some(Value::Bool(true)),
                Value::Number(n) if n.as_f64() == Some(0.0) => Some(Value::Bool(false)),
                Value::Null => Some(Value::Bool(false)),
                other if *nullable && null_like(other) => Some(Value::Null),
                _ => None,
            };
            match coerced.filter(|_| coerce) {
                Some(b) => {
                    *data = b;
                    true
                }
                None => {
                    errors.push("must be boolean".into());
                    false
                }
            }
        }
        Schema::Num { nullable } => {
            if data.is_number() || (data.is_null() && *nullable) {
                return true;
            }
            let coerced =
                to_number(data).or_else(|| (*nullable && null_like(data)).then_some(Value::Null));
            match coerced.filter(|_| coerce) {
                Some(n) => {
                    *data = n;
                    true
                }
                None => {
                    errors.push("must be number".into());
                    false
                }
            }
        }
        Schema::NumOrStr => {
            if data.is_number() || data.is_string() {
                return true;
            }
            match coerce.then(|| to_number(data)).flatten() {
                Some(n) => {
                    *data = n;
                    true
                }
                None => {
                    errors.push("must be number,string".into());
                    false
                }
            }
        }
        Schema::Arr { nullable, items } => {
            if data.is_null() && *nullable {
                return true;
            }
            // Arrays are not coerced (`coerceTypes: true`), but `null` is: "", 0, false.
            if coerce && *nullable && null_like(data) {
                *data = Value::Null;
                return true;
            }
            let Value::Array(arr) = data else {
                errors.push("must be array".into());
                return false;
            };
            arr.iter_mut()
                .all(|item| check(items, item, coerce, errors))
        }
        Schema::OneOf(branches) => {
            let before = errors.len();
            let passing = branches
                .iter()
                .filter(|b| check(b, data, coerce, errors))
                .count();
            if passing == 1 {
                errors.truncate(before);
                true
            } else {
                errors.push("must match exactly one schema in oneOf".into());
                false
            }
        }
    }
}

fn check_props(
    props: &[(&'static str, Schema)],
    obj: &mut Map<String, Value>,
    coerce: bool,
    errors: &mut Vec<String>,
) -> bool {
    for (name, sub) in props {
        if let Some(v) = obj.get_mut(*name) {
            if !check(sub, v, coerce, errors) {
                return false;
            }
        }
    }
    true
}

/// AJV's coercion to `null`: `""`, `0` and `false`.
fn null_like(v: &Value) -> bool {
    match v {
        Value::String(s) => s.is_empty(),
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::Bool(b) => !b,
        _ => false,
    }
}

/// `"" + value` for numbers and booleans, `""` for null.
fn to_string(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(match n.as_f64() {
            Some(f) if n.is_f64() => js_number_string(f),
            _ => n.to_string(),
        }),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

/// JavaScript's `Number.prototype.toString()`: plain digits from 1e-6 to 1e21, else
/// exponent form (`1e+21`, `1.5e-7`).
pub fn js_number_string(f: f64) -> String {
    let abs = f.abs();
    if f == 0.0 {
        return "0".into();
    }
    if (1e-6..1e21).contains(&abs) {
        return format!("{f}");
    }
    let e = format!("{f:e}");
    match e.split_once('e') {
        Some((mantissa, exp)) if !exp.starts_with('-') => format!("{mantissa}e+{exp}"),
        _ => e,
    }
}

/// AJV's number coercion: booleans, null, and strings with `data && data == +data`
/// (JavaScript's ToNumber: trimmed, `0x`/`0o`/`0b` prefixes, blank → 0).
fn to_number(v: &Value) -> Option<Value> {
    let f = match v {
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Null => 0.0,
        Value::String(s) if !s.is_empty() => js_string_to_number(s)?,
        _ => return None,
    };
    if !f.is_finite() {
        // JSON cannot hold ±Infinity; such bodies are refused (see SCRIPTS.md).
        return None;
    }
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        Some(Value::from(f as i64))
    } else {
        serde_json::Number::from_f64(f).map(Value::Number)
    }
}

fn js_string_to_number(s: &str) -> Option<f64> {
    let t = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if t.is_empty() {
        return Some(0.0);
    }
    let radix = |p: &str, r: u32| {
        t.strip_prefix(p)
            .or_else(|| t.strip_prefix(&p.to_ascii_uppercase()))
            .filter(|d| !d.is_empty())
            .map(|d| u128::from_str_radix(d, r).ok().map(|n| n as f64))
    };
    for (p, r) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(n) = radix(p, r) {
            return n;
        }
    }
    match t {
        "Infinity" | "+Infinity" => return Some(f64::INFINITY),
        "-Infinity" => return Some(f64::NEG_INFINITY),
        _ => {}
    }
    // Rust also reads "inf" and "nan"; JavaScript only digits, sign, dot and exponent.
    if !t
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E'))
    {
        return None;
    }
    t.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_of_messages() {
        let s = Schema::OneOf(vec![
            Schema::Object {
                props: vec![("type", pattern("a")), ("x", string())],
                required: vec!["type", "x"],
                additional: false,
            },
            Schema::Object {
                props: vec![("type", pattern("b")), ("y", string())],
                required: vec!["type", "y"],
                additional: false,
            },
        ]);
        let mut d = json!({"type": "a", "x": "1", "z": 1});
        assert_eq!(
            validate(&s, &mut d, false).unwrap_err(),
            "must NOT have additional properties\n must have required property 'y'\n must match exactly one schema in oneOf"
        );
        let mut ok = json!({"type": "a", "x": "1"});
        assert!(validate(&s, &mut ok, false).is_ok());
    }

    #[test]
    fn coercion() {
        let s = Schema::Object {
            props: vec![("n", number()), ("b", boolean())],
            required: vec![],
            additional: true,
        };
        let mut d = json!({"n": "5", "b": "true"});
        assert!(validate(&s, &mut d, false).is_err());
        assert!(validate(&s, &mut d, true).is_ok());
        assert_eq!(d, json!({"n": 5, "b": true}));
    }

    #[test]
    fn coercion_to_null_and_javascript_numbers() {
        let s = Schema::Object {
            props: vec![
                ("b", boolean_null()),
                ("n", number_null()),
                ("a", string_array_null()),
                ("s", string()),
                ("m", number()),
            ],
            required: vec![],
            additional: true,
        };
        // AJV `coerceTypes: true`: "", 0, false become null for a nullable property, after
        // the property's own type has had its try (0 → false, false → 0).
        let mut d = json!({"b": "", "n": "", "a": false, "s": 2e20, "m": " "});
        assert!(validate(&s, &mut d, true).is_ok());
        assert_eq!(
            d,
            json!({"b": null, "n": null, "a": null, "s": "200000000000000000000", "m": 0})
        );
        let mut d = json!({"b": 0, "n": false, "a": 0, "s": 1e21, "m": "0x10"});
        assert!(validate(&s, &mut d, true).is_ok());
        assert_eq!(
            d,
            json!({"b": false, "n": 0, "a": null, "s": "1e+21", "m": 16})
        );
        for bad in [
            json!({"m": "1 2"}),
            json!({"m": "inf"}),
            json!({"a": "x"}),
            json!({"b": "yes"}),
        ] {
            let mut d = bad.clone();
            assert!(validate(&s, &mut d, true).is_err(), "{bad}");
        }
        assert_eq!(js_number_string(1.5e-7), "1.5e-7");
        assert_eq!(js_number_string(0.000001), "0.000001");
    }
}
