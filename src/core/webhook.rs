//! Incoming webhook helpers: the URL, an example payload and a ready-to-paste curl line.

use serde_json::{json, Map, Value};

use super::encode;
use super::field::Field;
use super::form::IncomingForm;

/// `<server>/hooks/<id>/<percent-encoded token>` (old tokens may hold `/`, `+`, `=`).
pub fn hook_url(server: &str, id: &str, token: &str) -> String {
    format!(
        "{}/hooks/{}/{}",
        server.trim().trim_end_matches('/'),
        encode::component(id),
        encode::component(token)
    )
}

/// An example JSON payload using the alias, emoji and avatar as currently typed (a payload
/// overrides the integration's look under the same keys).
pub fn example_payload(form: &IncomingForm) -> Value {
    let mut m = Map::new();
    for (field, value) in [
        (Field::Alias, form.text(Field::Alias)),
        (Field::Emoji, form.text(Field::Emoji).trim()),
        (Field::Avatar, form.text(Field::Avatar).trim()),
    ] {
        if !value.is_empty() {
            m.insert(field.api_key().to_owned(), Value::String(value.to_owned()));
        }
    }
    m.insert(
        "text".into(),
        Value::String("Hello from my service!".to_owned()),
    );
    m.insert(
        "attachments".into(),
        json!([{
            "title": "Build 42 passed",
            "title_link": "https://example.com/builds/42",
            "text": "All 128 tests passed in 3 minutes.",
            "color": "#2de0a5"
        }]),
    );
    Value::Object(m)
}

/// Quotes text for a POSIX shell: single quotes, with `'` written as `'\''`.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// `curl -X POST -H 'Content-Type: application/json' --data '<json>' '<url>'`.
pub fn curl_command(url: &str, payload: &Value) -> String {
    format!(
        "curl -X POST -H 'Content-Type: application/json' --data {} {}",
        shell_quote(&payload.to_string()),
        shell_quote(url)
    )
}
