//! Local drafts: what the person typed, kept in the browser as they type so a reload, a
//! closed tab or a new sign-in loses nothing. A draft holds field values only; the id and the
//! stored state come from the form it is restored onto.

use serde_json::{Map, Value};

use super::field::Field;
use super::form::Form;
use super::model::Kind;

/// Prefix of every draft's storage key.
pub const KEY_PREFIX: &str = "hookpanel.draft|";

/// The storage key of a draft: per server, person and integration (`new-incoming` /
/// `new-outgoing` for a form that is not saved yet).
pub fn key(server: &str, user_id: &str, kind: Kind, integration_id: Option<&str>) -> String {
    let target = match (integration_id, kind) {
        (Some(id), _) => id,
        (None, Kind::Incoming) => "new-incoming",
        (None, Kind::Outgoing) => "new-outgoing",
    };
    format!(
        "{KEY_PREFIX}{}|{user_id}|{target}",
        server.trim_end_matches('/')
    )
}

/// A draft read back from storage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    /// The base form with the draft's values applied.
    pub form: Form,
    /// When it was saved, as the caller wrote it (e.g. an ISO date).
    pub saved_at: String,
}

/// The draft text of a form: kind, save time and every field value by its API name.
pub fn encode(form: &Form, saved_at: &str) -> String {
    let mut values = Map::new();
    for field in Field::ALL {
        let value = if form.is_text(field) {
            Value::String(form.text(field).to_owned())
        } else if form.is_flag(field) {
            Value::Bool(form.flag(field))
        } else {
            continue;
        };
        values.insert(field.api_key().to_owned(), value);
    }
    let mut m = Map::new();
    m.insert(
        "kind".into(),
        Value::String(form.kind().api_name().to_owned()),
    );
    m.insert("savedAt".into(), Value::String(saved_at.to_owned()));
    m.insert("values".into(), Value::Object(values));
    Value::Object(m).to_string()
}

/// Applies a stored draft onto `base`. `None` when the text is unreadable or holds another
/// kind; values of the wrong type or for unknown fields are skipped.
pub fn restore(base: &Form, text: &str) -> Option<Draft> {
    let v: Value = serde_json::from_str(text).ok()?;
    let kind = v
        .get("kind")
        .and_then(Value::as_str)
        .and_then(Kind::from_api)?;
    if kind != base.kind() {
        return None;
    }
    let mut form = base.clone();
    if let Some(Value::Object(values)) = v.get("values") {
        for (key, value) in values {
            let Some(field) = Field::from_api_key(key) else {
                continue;
            };
            match value {
                Value::String(s) if form.is_text(field) => form.set_text(field, s.clone()),
                Value::Bool(b) if form.is_flag(field) => form.set_flag(field, *b),
                _ => {}
            }
        }
    }
    let saved_at = v
        .get("savedAt")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    Some(Draft { form, saved_at })
}
