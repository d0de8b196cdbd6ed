//! JSON text of requests, answers and the stored session, read and written by the browser's
//! own `JSON.parse` and `JSON.stringify` into and out of serde_json's `Value`, so the first
//! screen need not carry serde_json's parser and writer (README "Size and load time").

use js_sys::{Array, Object, Reflect, JSON};
use serde_json::{Map, Number, Value};
use wasm_bindgen::JsValue;

use crate::core::errors::JsonText;

/// Nesting deeper than this is refused, as serde_json refuses it: an answer is untrusted, and
/// converting it recursively must not exhaust the stack.
const MAX_DEPTH: usize = 128;

/// Every whole number below 2^53 is exact as an `f64`, and so converts to `i64` exactly.
const EXACT_BELOW: f64 = 9_007_199_254_740_992.0;

/// The browser's JSON, for [`crate::core::errors::decode_with`].
pub const BROWSER: JsonText = JsonText { parse, write: text };

/// Parses JSON text; `None` for text that is not JSON or nests too deep.
pub fn parse(text: &str) -> Option<Value> {
    from_js(&JSON::parse(text).ok()?, MAX_DEPTH)
}

/// The JSON text of `value`.
pub fn text(value: &Value) -> String {
    JSON::stringify(&to_js(value))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

fn from_js(js: &JsValue, depth: usize) -> Option<Value> {
    let depth = depth.checked_sub(1)?;
    Some(if let Some(b) = js.as_bool() {
        Value::Bool(b)
    } else if let Some(n) = js.as_f64() {
        number(n)
    } else if let Some(s) = js.as_string() {
        Value::String(s)
    } else if Array::is_array(js) {
        let mut items = Vec::new();
        for item in Array::from(js).iter() {
            items.push(from_js(&item, depth)?);
        }
        Value::Array(items)
    } else if js.is_object() {
        let mut map = Map::new();
        for entry in Object::entries(&Object::from(js.clone())).iter() {
            let pair = Array::from(&entry);
            map.insert(pair.get(0).as_string()?, from_js(&pair.get(1), depth)?);
        }
        Value::Object(map)
    } else {
        Value::Null
    })
}

/// A number as serde_json reads the same text: whole numbers as integers.
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < EXACT_BELOW {
        return Value::from(n as i64);
    }
    Number::from_f64(n).map_or(Value::Null, Value::Number)
}

fn to_js(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => n.as_f64().map_or(JsValue::NULL, JsValue::from_f64),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(to_js).collect::<Array>().into(),
        Value::Object(map) => {
            let object = Object::new();
            for (key, item) in map {
                // Setting a property of a plain new object cannot fail.
                let _ = Reflect::set(&object, &JsValue::from_str(key), &to_js(item));
            }
            object.into()
        }
    }
}
