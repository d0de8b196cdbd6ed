//! Export and import of integrations as a JSON document: scripts included, tokens left out
//! unless asked; import yields a new-integration form per entry, or that entry's problem.

use serde_json::{Map, Value};

use super::field::Field;
use super::form::Form;
use super::model::{to_document, Integration};

/// Value of the document's `format` key.
pub const FORMAT: &str = "hookpanel-integrations";

/// Version of the document layout.
pub const FORMAT_VERSION: u64 = 1;

/// The export document: `{format, version, integrations: [...]}`.
pub fn export(list: &[Integration], include_tokens: bool) -> Value {
    let mut m = Map::new();
    m.insert("format".into(), Value::String(FORMAT.to_owned()));
    m.insert("version".into(), Value::from(FORMAT_VERSION));
    m.insert(
        "integrations".into(),
        Value::Array(
            list.iter()
                .map(|i| to_document(i, include_tokens))
                .collect(),
        ),
    );
    Value::Object(m)
}

/// The export document as indented JSON text for a download.
pub fn export_text(list: &[Integration], include_tokens: bool) -> String {
    serde_json::to_string_pretty(&export(list, include_tokens)).unwrap_or_default()
}

/// One imported entry.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportEntry {
    /// Position in the file, from 1.
    pub number: usize,
    /// Name to list it under.
    pub label: String,
    /// A new-integration form, or why the entry cannot be imported.
    pub outcome: Result<Form, String>,
    /// Remarks, e.g. that a new token was generated.
    pub notes: Vec<String>,
}

/// The result of reading an import file.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Import {
    /// Entries in file order.
    pub entries: Vec<ImportEntry>,
    /// A problem with the whole file (then `entries` is empty).
    pub error: Option<String>,
}

/// Reads an export document, a list answer, a bare array or one integration object.
/// `new_token` supplies a fresh random token for outgoing entries without one.
pub fn import(text: &str, new_token: &mut dyn FnMut() -> String) -> Import {
    let json: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Import {
                entries: Vec::new(),
                error: Some(format!("This file is not valid JSON ({e}).")),
            }
        }
    };
    let rows: Vec<&Value> = match &json {
        Value::Array(rows) => rows.iter().collect(),
        Value::Object(o) => match o.get("integrations") {
            Some(Value::Array(rows)) => rows.iter().collect(),
            _ if o.contains_key("type") => vec![&json],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    if rows.is_empty() {
        return Import {
            entries: Vec::new(),
            error: Some("This file holds no integrations.".to_owned()),
        };
    }
    let entries = rows
        .into_iter()
        .enumerate()
        .map(|(n, row)| entry(n + 1, row, new_token))
        .collect();
    Import {
        entries,
        error: None,
    }
}

fn entry(number: usize, row: &Value, new_token: &mut dyn FnMut() -> String) -> ImportEntry {
    let mut notes = Vec::new();
    let stored = match Integration::from_json(row) {
        Ok(i) => i,
        Err(e) => {
            return ImportEntry {
                number,
                label: format!("Entry {number}"),
                outcome: Err(e.message()),
                notes,
            }
        }
    };
    let label = stored.display_name();
    let form = match Form::from_stored(&stored) {
        Form::Incoming(mut f) => {
            f.id = None;
            f.stored_username = None;
            notes.push("The server will create a new webhook URL and token.".to_owned());
            Form::Incoming(f)
        }
        Form::Outgoing(mut f) => {
            f.id = None;
            if f.text(Field::Token).trim().is_empty() {
                f.set_text(Field::Token, new_token());
                notes.push(
                    "A new random token was generated; give it to the receiving service."
                        .to_owned(),
                );
            }
            Form::Outgoing(f)
        }
    };
    ImportEntry {
        number,
        label,
        outcome: Ok(form),
        notes,
    }
}
