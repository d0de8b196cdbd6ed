//! Decoding every server answer (spec §1.5) and transport failure into one typed
//! [`ApiError`], with plain-language messages and the form field it concerns (§3.11).

use serde_json::Value;

use super::field::Field;
use super::json::{str_of, truncate_chars};
use super::model::Kind;
use super::request::INTEGRATION_ID;

/// How a request failed before any HTTP answer arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportFailure {
    /// `fetch` rejected: offline, DNS, TLS, or a CORS refusal (indistinguishable in a browser).
    Network,
    /// The app's timeout fired.
    Timeout,
}

/// How a two-factor login proves the person; unknown methods are kept as sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TwoFactorMethod {
    /// `totp`: a code from an authenticator app (also when the server names none).
    Totp,
    /// `email`: a code sent by e-mail.
    Email,
    /// `password`: the password again.
    Password,
    /// Any other method, kept as it is.
    Other(String),
}

impl TwoFactorMethod {
    /// Reads the server's `details.method`.
    pub fn parse(name: &str) -> TwoFactorMethod {
        match name {
            "totp" => TwoFactorMethod::Totp,
            "email" => TwoFactorMethod::Email,
            "password" => TwoFactorMethod::Password,
            other => TwoFactorMethod::Other(other.to_owned()),
        }
    }

    /// The server's name.
    pub fn as_str(&self) -> &str {
        match self {
            TwoFactorMethod::Totp => "totp",
            TwoFactorMethod::Email => "email",
            TwoFactorMethod::Password => "password",
            TwoFactorMethod::Other(name) => name,
        }
    }
}

/// Compares with a server name, so callers can write `method == "email"`.
impl PartialEq<&str> for TwoFactorMethod {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Two-factor state of a 401 login answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TwoFactor {
    /// How the code is obtained.
    pub method: TwoFactorMethod,
    /// Whether a code was sent and refused (`totp-invalid`).
    pub invalid: bool,
}

/// Every way a call can fail, decoded.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer: offline, wrong address, or blocked by CORS.
    Network,
    /// No answer in time.
    Timeout,
    /// An answer that is not JSON, e.g. an HTML proxy or login page.
    NotJson {
        /// HTTP status.
        status: u16,
        /// Whether it looks like HTML.
        html: bool,
        /// The start of the body, for details.
        snippet: String,
    },
    /// An empty answer.
    EmptyBody {
        /// HTTP status.
        status: u16,
    },
    /// 401: not logged in, expired token, or a two-factor code is needed.
    Unauthorized {
        /// Server text, suffix stripped.
        message: String,
        /// Set when the login needs (or refused) a second factor.
        two_factor: Option<TwoFactor>,
    },
    /// 403, or a 400 permission refusal (`not_authorized` & co. before 9.0).
    Forbidden {
        /// Error id when the server sent one.
        id: Option<String>,
        /// Server text, suffix stripped.
        message: String,
    },
    /// 429 or `error-too-many-requests`.
    RateLimited {
        /// Seconds to wait, parsed from the message.
        wait_seconds: Option<u32>,
        /// Server text, suffix stripped.
        message: String,
    },
    /// Body or query failed the server schema (`invalid-params` / `error-invalid-params`).
    InvalidParams {
        /// AJV messages.
        message: String,
        /// The property the messages name, when one is found.
        property: Option<String>,
    },
    /// The integration (or history row) does not exist or is out of reach.
    NotFound {
        /// Error id when the server sent one.
        id: Option<String>,
        /// Server text, suffix stripped.
        message: String,
    },
    /// A business rule with an error id (`Meteor.Error`), e.g. `error-invalid-room`.
    Rejected {
        /// The error id.
        id: String,
        /// Server text, suffix stripped.
        message: String,
        /// `details` when present.
        details: Option<Value>,
    },
    /// A 400 without error id (plain `Error`).
    Failed {
        /// Server text.
        message: String,
    },
    /// 5xx.
    Server {
        /// HTTP status.
        status: u16,
        /// Server text.
        message: String,
    },
    /// Any other status with JSON (e.g. 404 from a server without this route).
    Unexpected {
        /// HTTP status.
        status: u16,
        /// Server text.
        message: String,
    },
}

/// How JSON text is read, and an odd value written for display.
#[derive(Clone, Copy)]
pub struct JsonText {
    /// Parses text; `None` when it is not JSON.
    pub parse: fn(&str) -> Option<Value>,
    /// The compact JSON text of a value.
    pub write: fn(&Value) -> String,
}

/// serde_json's parser and writer.
pub const SERDE_JSON: JsonText = JsonText {
    parse: |text| serde_json::from_str(text).ok(),
    write: |value| value.to_string(),
};

/// Decodes an answer: `Ok` with the JSON of a success, else the typed error.
/// `status` is `None` when no answer arrived.
pub fn decode(
    status: Option<u16>,
    body: &str,
    failure: Option<TransportFailure>,
) -> Result<Value, ApiError> {
    decode_with(status, body, failure, SERDE_JSON)
}

/// [`decode`] with the JSON parser and writer given: the app passes the browser's, so the
/// first screen need not carry serde_json's.
pub fn decode_with(
    status: Option<u16>,
    body: &str,
    failure: Option<TransportFailure>,
    json_text: JsonText,
) -> Result<Value, ApiError> {
    match failure {
        Some(TransportFailure::Network) => return Err(ApiError::Network),
        Some(TransportFailure::Timeout) => return Err(ApiError::Timeout),
        None => {}
    }
    let Some(status) = status else {
        return Err(ApiError::Network);
    };
    let text = body.trim();
    if text.is_empty() {
        return Err(ApiError::EmptyBody { status });
    }
    let Some(json) = (json_text.parse)(text) else {
        return Err(ApiError::NotJson {
            status,
            html: text.starts_with('<'),
            snippet: truncate_chars(text, 200),
        });
    };
    let success = (200..300).contains(&status);
    if success && json.get("success") != Some(&Value::Bool(false)) {
        return Ok(json);
    }
    Err(from_json(status, &json, json_text.write))
}

/// Ids that mean "you may not do this".
const FORBIDDEN_IDS: [&str; 9] = [
    "not_authorized",
    "not-authorized",
    "error-not-allowed",
    "not-allowed",
    "no-permission",
    "error-forbidden",
    "error-unauthorized",
    "unauthorized",
    "error-action-not-allowed",
];

/// Ids and plain texts that mean "no such integration".
const NOT_FOUND_IDS: [&str; 3] = [
    "error-invalid-integration",
    "invalid_integration",
    "error-invalid-integration-history",
];
const NOT_FOUND_TEXTS: [&str; 3] = [
    "No integration found.",
    "The integration does not exists.",
    "Invalid integration id.",
];

/// Classifies a JSON error body by status first, then id (spec §1.5 client rule).
fn from_json(status: u16, json: &Value, write: fn(&Value) -> String) -> ApiError {
    let (id, message) = id_and_message(json, write);
    let details = json.get("details").filter(|d| !d.is_null()).cloned();
    if id.as_deref() == Some("error-too-many-requests") || status == 429 {
        return ApiError::RateLimited {
            wait_seconds: wait_seconds(&message),
            message,
        };
    }
    match status {
        401 => {
            let two_factor = match id.as_deref() {
                Some(kind @ ("totp-required" | "totp-invalid")) => Some(TwoFactor {
                    method: details
                        .as_ref()
                        .and_then(|d| str_of(d, "method"))
                        .map_or(TwoFactorMethod::Totp, |m| TwoFactorMethod::parse(&m)),
                    invalid: kind == "totp-invalid",
                }),
                _ => None,
            };
            ApiError::Unauthorized {
                message,
                two_factor,
            }
        }
        403 => ApiError::Forbidden { id, message },
        500..=599 => ApiError::Server { status, message },
        400 | 200..=299 => classify_rule(id, message, details),
        _ => ApiError::Unexpected { status, message },
    }
}

/// A 400-style refusal: schema, permission, not found, rule or plain error.
fn classify_rule(id: Option<String>, message: String, details: Option<Value>) -> ApiError {
    match id {
        Some(id) if id == "invalid-params" || id == "error-invalid-params" => {
            ApiError::InvalidParams {
                property: schema_property(&message),
                message,
            }
        }
        Some(id) if FORBIDDEN_IDS.contains(&id.as_str()) => ApiError::Forbidden {
            id: Some(id),
            message,
        },
        Some(id) if NOT_FOUND_IDS.contains(&id.as_str()) => ApiError::NotFound {
            id: Some(id),
            message,
        },
        Some(id) => ApiError::Rejected {
            id,
            message,
            details,
        },
        None if NOT_FOUND_TEXTS.contains(&message.as_str()) => {
            ApiError::NotFound { id: None, message }
        }
        None => ApiError::Failed { message },
    }
}

/// The error id and display text of a body: `errorType`, a `[id]` suffix, or an `error`
/// that is itself an id (`"not-authorized"`, `"totp-required"`, `"integration-scripts-…"`).
fn id_and_message(json: &Value, write: fn(&Value) -> String) -> (Option<String>, String) {
    let error = match json.get("error") {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Null) | None => String::new(),
        Some(other) => write(other),
    };
    let alt = str_of(json, "message")
        .or_else(|| str_of(json, "reason"))
        .unwrap_or_default();
    let (stripped, suffix_id) = strip_suffix_id(&error);
    let mut id = str_of(json, "errorType")
        .filter(|t| !t.is_empty())
        .or(suffix_id);
    let mut message = stripped;
    if looks_like_id(&message) && (id.is_none() || id.as_deref() == Some(message.as_str())) {
        // The whole text is an id; prefer a human `message` beside it.
        id = Some(message.clone());
        message = if alt.is_empty() { message } else { alt.clone() };
    }
    if message.is_empty() {
        message = alt;
    }
    if !json.is_object() {
        message = truncate_chars(&write(json), 200);
    }
    (id, message)
}

/// Splits `"Reason [error-id]"` into `("Reason", Some("error-id"))`; `"[id]"` alone gives
/// an empty reason.
pub fn strip_suffix_id(text: &str) -> (String, Option<String>) {
    let t = text.trim_end();
    if let Some(open) = t.strip_suffix(']').and_then(|s| s.rfind('[')) {
        let id = t.get(open + 1..t.len() - 1).unwrap_or("");
        if looks_like_id(id) {
            let reason = t.get(..open).unwrap_or("").trim_end();
            return (reason.to_owned(), Some(id.to_owned()));
        }
    }
    (t.to_owned(), None)
}

/// Error ids are short words of letters, digits, `-` and `_` (at least one separator,
/// so a plain word such as "unauthorized" counts only when listed).
fn looks_like_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && (s.contains(['-', '_']) || FORBIDDEN_IDS.contains(&s))
}

/// Seconds from "You must wait N seconds".
fn wait_seconds(message: &str) -> Option<u32> {
    let after = message.split("wait ").nth(1)?;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Server property names AJV messages can mention: every field's key and the id.
fn schema_properties() -> impl Iterator<Item = &'static str> {
    Field::ALL
        .into_iter()
        .map(Field::api_key)
        .chain([INTEGRATION_ID])
}

/// The first property named in AJV text as `'prop'`, `"prop"`, `/prop` or `.prop`.
fn schema_property(message: &str) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    for prop in schema_properties() {
        for (at, _) in message.match_indices(prop) {
            let before = message.get(..at).and_then(|s| s.chars().last());
            let after = message
                .get(at + prop.len()..)
                .and_then(|s| s.chars().next());
            let quoted = matches!(before, Some('\'' | '"' | '/' | '.'));
            let whole = !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
            if quoted && whole && best.is_none_or(|(b, _)| at < b) {
                best = Some((at, prop));
            }
        }
    }
    best.map(|(_, p)| p.to_owned())
}

/// Plain-language explanation of a §3.11 error id.
pub fn explain(id: &str) -> Option<&'static str> {
    Some(match id {
        "not_authorized" | "not-authorized" | "error-not-allowed" | "not-allowed"
        | "no-permission" | "error-forbidden" | "error-unauthorized" | "unauthorized"
        | "error-action-not-allowed" => "Your role does not allow this action.",
        "error-invalid-channel" => "A channel was refused: you are not a member of this room, the channel list is empty, or your role cannot use all_private_groups or all_direct_messages.",
        "error-invalid-channel-start-with-chars" => "Start each channel with # for a room or @ for a user.",
        "error-invalid-room" => "A room or user in the channel list does not exist. Check the name after # or @.",
        "error-invalid-username" => "Enter the username this integration posts as.",
        "error-invalid-user" => "No user has this username. Enter an existing user (for outgoing webhooks, check that rocket.cat still exists).",
        "error-invalid-post-as-user" => "The Post as user no longer exists (renamed or deleted). Enter an existing username.",
        "error-invalid-integration" | "invalid_integration" => "This integration no longer exists, or your role cannot reach it. Reload the list.",
        "error-invalid-integration-history" => "This history entry no longer exists. Reload the history.",
        "error-invalid-event-type" => "This server does not know the chosen event. Choose one from the list.",
        "error-invalid-targetRoom" => "Enter the target room where the results are posted.",
        "error-invalid-urls" => "Enter at least one URL to call.",
        "error-invalid-triggerWords" => "Enter the trigger words as a comma-separated list.",
        "error-invalid-permissions" => "This event does not watch a channel, so it needs the permission to manage all outgoing integrations.",
        "error-invalid-token" => "Enter a token for this outgoing webhook.",
        "integration-scripts-disabled" => "Scripts are frozen on this server (FREEZE_INTEGRATION_SCRIPTS): remove the script, or ask the server administrator.",
        "integration-scripts-isolated-vm-disabled" => "The isolated-vm sandbox is disabled on this server: ask the server administrator.",
        "integration-scripts-vm2-disabled" => "The vm2 sandbox is disabled on this server: choose isolated-vm.",
        "error-invalid-sort" | "error-invalid-query" | "error-invalid-fields" => "The server refused the list parameters.",
        "error-too-many-requests" => "Too many requests: wait a moment and try again.",
        _ => return None,
    })
}

/// The form field a §3.11 error id concerns.
pub fn field_for_id(id: &str) -> Option<Field> {
    Some(match id {
        "error-invalid-channel"
        | "error-invalid-channel-start-with-chars"
        | "error-invalid-room" => Field::Channel,
        "error-invalid-username" | "error-invalid-user" | "error-invalid-post-as-user" => {
            Field::PostAs
        }
        "error-invalid-urls" => Field::Urls,
        "error-invalid-targetRoom" => Field::TargetRoom,
        "error-invalid-event-type" | "error-invalid-permissions" => Field::Event,
        "error-invalid-triggerWords" => Field::TriggerWords,
        "error-invalid-token" => Field::Token,
        s if s.starts_with("integration-scripts-") => Field::Script,
        _ => return None,
    })
}

impl ApiError {
    /// HTTP status, when an answer arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Network | ApiError::Timeout => None,
            ApiError::NotJson { status, .. }
            | ApiError::EmptyBody { status }
            | ApiError::Server { status, .. }
            | ApiError::Unexpected { status, .. } => Some(*status),
            ApiError::Unauthorized { .. } => Some(401),
            ApiError::Forbidden { .. } => Some(403),
            ApiError::RateLimited { .. } => Some(429),
            _ => Some(400),
        }
    }

    /// The server's error id, if any.
    pub fn id(&self) -> Option<&str> {
        match self {
            ApiError::Forbidden { id, .. } | ApiError::NotFound { id, .. } => id.as_deref(),
            ApiError::Rejected { id, .. } => Some(id),
            ApiError::InvalidParams { .. } => Some("error-invalid-params"),
            ApiError::RateLimited { .. } => Some("error-too-many-requests"),
            _ => None,
        }
    }

    /// The server's own text without the `" [id]"` suffix (empty for transport errors).
    pub fn server_message(&self) -> &str {
        match self {
            ApiError::Unauthorized { message, .. }
            | ApiError::Forbidden { message, .. }
            | ApiError::RateLimited { message, .. }
            | ApiError::InvalidParams { message, .. }
            | ApiError::NotFound { message, .. }
            | ApiError::Rejected { message, .. }
            | ApiError::Failed { message }
            | ApiError::Server { message, .. }
            | ApiError::Unexpected { message, .. } => message,
            ApiError::NotJson { snippet, .. } => snippet,
            _ => "",
        }
    }

    /// The form field this error concerns, to show it beside that field.
    pub fn field(&self) -> Option<Field> {
        match self {
            ApiError::Rejected { id, .. } => field_for_id(id),
            ApiError::InvalidParams { property, .. } => {
                property.as_deref().and_then(Field::from_api_key)
            }
            // Plain errors from create carry the script-freeze code as text.
            ApiError::Failed { message } => field_for_id(message.trim()),
            _ => None,
        }
    }

    /// Whether the user must log in (again).
    pub fn needs_login(&self) -> bool {
        matches!(
            self,
            ApiError::Unauthorized {
                two_factor: None,
                ..
            }
        )
    }

    /// Seconds to wait before retrying, for 429.
    pub fn wait_seconds(&self) -> Option<u32> {
        match self {
            ApiError::RateLimited { wait_seconds, .. } => *wait_seconds,
            _ => None,
        }
    }

    /// Whether retrying the same request later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::Network
                | ApiError::Timeout
                | ApiError::RateLimited { .. }
                | ApiError::Server { .. }
        ) || matches!(self, ApiError::NotJson { status, .. } | ApiError::EmptyBody { status } if *status >= 500)
    }

    /// What happened and what to do, in plain words.
    pub fn display(&self) -> String {
        self.display_for(None)
    }

    /// [`ApiError::display`] in a form of `kind`: a field is named by that form's label.
    pub fn display_in(&self, kind: Kind) -> String {
        self.display_for(Some(kind))
    }

    fn display_for(&self, kind: Option<Kind>) -> String {
        match self {
            ApiError::Network => "Could not reach the server. Check the address and your connection; if the server is on another site, it must allow this one (Administration → General → REST API → CORS).".to_owned(),
            ApiError::Timeout => "The server did not answer in time. Check your connection and try again.".to_owned(),
            ApiError::NotJson { status, html: true, .. } => format!("The server answered with a web page instead of Rocket.Chat data (HTTP {status}). Check the server address; a proxy or login page may be in the way."),
            ApiError::NotJson { status, snippet, .. } => format!("The server sent an answer hookpanel cannot read (HTTP {status}): {snippet}"),
            ApiError::EmptyBody { status } if (502..=504).contains(status) => format!("The proxy in front of Rocket.Chat could not reach it (HTTP {status}). Try again in a moment."),
            ApiError::EmptyBody { status } => format!("The server sent an empty answer (HTTP {status}). Check the server address."),
            ApiError::Unauthorized { two_factor: Some(tf), .. } => {
                let how = if tf.method == TwoFactorMethod::Email { "the code sent by e-mail" } else { "the code from your authenticator app" };
                if tf.invalid {
                    format!("That code was not accepted. Enter {how} again.")
                } else {
                    format!("This account uses two-factor authentication: enter {how}.")
                }
            }
            ApiError::Unauthorized { .. } => "You are not logged in, or your session has expired. Log in again.".to_owned(),
            ApiError::Forbidden { .. } => "Your role does not allow this action.".to_owned(),
            ApiError::RateLimited { wait_seconds: Some(n), .. } => format!("Too many requests. Wait {n} seconds, then try again."),
            ApiError::RateLimited { .. } => "Too many requests. Wait a minute, then try again.".to_owned(),
            ApiError::InvalidParams { property, message } => match property.as_deref().and_then(Field::from_api_key) {
                Some(f) => format!("The server refused the value of {}: {message}", kind.map_or(f.label(), |k| f.label_in(k))),
                None => format!("The server refused the request as malformed: {message}"),
            },
            ApiError::NotFound { .. } => "This integration no longer exists, or your role cannot reach it. Reload the list.".to_owned(),
            ApiError::Rejected { id, message, .. } => match explain(id) {
                Some(text) => text.to_owned(),
                None if !message.is_empty() => message.clone(),
                None => format!("The server refused the request ({id})."),
            },
            ApiError::Failed { message } => match explain(message.trim()) {
                Some(text) => text.to_owned(),
                None if !message.is_empty() => message.clone(),
                None => "The server refused the request.".to_owned(),
            },
            ApiError::Server { status, .. } => format!("The server had an internal error (HTTP {status}). Try again later; if it keeps happening, check the server logs."),
            ApiError::Unexpected { status: 404, .. } => "The server does not know this request (HTTP 404): it may be too old, or the address does not point to Rocket.Chat.".to_owned(),
            ApiError::Unexpected { status, message } if message.is_empty() => format!("Unexpected answer from the server (HTTP {status})."),
            ApiError::Unexpected { status, message } => format!("Unexpected answer from the server (HTTP {status}): {message}"),
        }
    }
}
