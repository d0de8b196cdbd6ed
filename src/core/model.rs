//! Stored integrations and history rows as servers return them, read tolerantly:
//! missing fields, `null` for strings, the old `avatarUrl`, unknown events and extra keys.

use serde_json::{Map, Value};

use super::channels;
use super::engine::ScriptEngine;
use super::errors::SERDE_JSON;
use super::field::{Field, OLD_AVATAR_KEY};
use super::json::{bool_of, count_of, date_of, int_of, str_list, str_of, truncate_chars};

/// The two integration kinds this panel manages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `webhook-incoming`: outside services post into Rocket.Chat.
    Incoming,
    /// `webhook-outgoing`: Rocket.Chat calls outside URLs on events.
    Outgoing,
}

impl Kind {
    /// Both kinds.
    pub const ALL: [Kind; 2] = [Kind::Incoming, Kind::Outgoing];

    /// The server's `type` value.
    pub fn api_name(self) -> &'static str {
        match self {
            Kind::Incoming => "webhook-incoming",
            Kind::Outgoing => "webhook-outgoing",
        }
    }

    /// The kind named by a server `type` value.
    pub fn from_api(name: &str) -> Option<Kind> {
        match name {
            "webhook-incoming" => Some(Kind::Incoming),
            "webhook-outgoing" => Some(Kind::Outgoing),
            _ => None,
        }
    }

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Incoming => "Incoming webhook",
            Kind::Outgoing => "Outgoing webhook",
        }
    }
}

/// A user reference such as `_createdBy`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct UserRef {
    /// User id (may be empty on odd documents).
    pub id: String,
    /// Username (may be empty on odd documents).
    pub username: String,
}

impl UserRef {
    fn read(v: &Value, key: &str) -> Option<UserRef> {
        let o = v.get(key)?;
        match o {
            Value::Object(_) => Some(UserRef {
                id: str_of(o, "_id").unwrap_or_default(),
                username: str_of(o, "username").unwrap_or_default(),
            }),
            _ => None,
        }
    }
}

/// The script compile error the server stores when compilation failed.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ScriptError {
    /// Error class, e.g. `SyntaxError`.
    pub name: String,
    /// Error message.
    pub message: String,
    /// Stack trace, possibly empty.
    pub stack: String,
}

impl ScriptError {
    fn read(v: &Value) -> Option<ScriptError> {
        match v.get("scriptError")? {
            e @ Value::Object(_) => Some(ScriptError {
                name: str_of(e, "name").unwrap_or_default(),
                message: str_of(e, "message").unwrap_or_default(),
                stack: str_of(e, "stack").unwrap_or_default(),
            }),
            Value::String(s) if !s.is_empty() => Some(ScriptError {
                message: s.clone(),
                ..ScriptError::default()
            }),
            _ => None,
        }
    }

    /// One line for display: `"Name: message"`.
    pub fn summary(&self) -> String {
        match (self.name.is_empty(), self.message.is_empty()) {
            (false, false) => format!("{}: {}", self.name, self.message),
            (true, false) => self.message.clone(),
            (false, true) => self.name.clone(),
            (true, true) => "The script did not compile.".to_owned(),
        }
    }
}

/// Outgoing event triggers (spec §3.6); unknown names are kept as they are.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OutgoingEvent {
    /// `sendMessage`: a message is sent.
    SendMessage,
    /// `fileUploaded`.
    FileUploaded,
    /// `roomArchived`.
    RoomArchived,
    /// `roomCreated`.
    RoomCreated,
    /// `roomJoined`.
    RoomJoined,
    /// `roomLeft`.
    RoomLeft,
    /// `userCreated`.
    UserCreated,
    /// Any other name, e.g. from a newer server; shown as it is.
    Other(String),
}

impl OutgoingEvent {
    /// The events servers up to 8.8 accept, in the order of the official select.
    pub const KNOWN: [OutgoingEvent; 7] = [
        OutgoingEvent::SendMessage,
        OutgoingEvent::FileUploaded,
        OutgoingEvent::RoomArchived,
        OutgoingEvent::RoomCreated,
        OutgoingEvent::RoomJoined,
        OutgoingEvent::RoomLeft,
        OutgoingEvent::UserCreated,
    ];

    /// Reads a server event name.
    pub fn parse(name: &str) -> OutgoingEvent {
        match name {
            "sendMessage" => OutgoingEvent::SendMessage,
            "fileUploaded" => OutgoingEvent::FileUploaded,
            "roomArchived" => OutgoingEvent::RoomArchived,
            "roomCreated" => OutgoingEvent::RoomCreated,
            "roomJoined" => OutgoingEvent::RoomJoined,
            "roomLeft" => OutgoingEvent::RoomLeft,
            "userCreated" => OutgoingEvent::UserCreated,
            other => OutgoingEvent::Other(other.to_owned()),
        }
    }

    /// The server's event name.
    pub fn as_str(&self) -> &str {
        match self {
            OutgoingEvent::SendMessage => "sendMessage",
            OutgoingEvent::FileUploaded => "fileUploaded",
            OutgoingEvent::RoomArchived => "roomArchived",
            OutgoingEvent::RoomCreated => "roomCreated",
            OutgoingEvent::RoomJoined => "roomJoined",
            OutgoingEvent::RoomLeft => "roomLeft",
            OutgoingEvent::UserCreated => "userCreated",
            OutgoingEvent::Other(name) => name,
        }
    }

    /// Human label (the official UI's wording); unknown events show their name.
    pub fn label(&self) -> &str {
        match self {
            OutgoingEvent::SendMessage => "Message sent",
            OutgoingEvent::FileUploaded => "File uploaded",
            OutgoingEvent::RoomArchived => "Room archived",
            OutgoingEvent::RoomCreated => "Room created (public and private)",
            OutgoingEvent::RoomJoined => "User joined room",
            OutgoingEvent::RoomLeft => "User left room",
            OutgoingEvent::UserCreated => "User created",
            OutgoingEvent::Other(name) => name,
        }
    }

    /// Whether this is one of [`OutgoingEvent::KNOWN`].
    pub fn is_known(&self) -> bool {
        !matches!(self, OutgoingEvent::Other(_))
    }

    /// Whether the event watches channels; unknown events are assumed to.
    pub fn uses_channel(&self) -> bool {
        !matches!(
            self,
            OutgoingEvent::RoomArchived | OutgoingEvent::RoomCreated | OutgoingEvent::UserCreated
        )
    }

    /// Whether trigger words apply (only `sendMessage`).
    pub fn uses_trigger_words(&self) -> bool {
        matches!(self, OutgoingEvent::SendMessage)
    }

    /// Whether the server requires a target room (only `userCreated`).
    pub fn needs_target_room(&self) -> bool {
        matches!(self, OutgoingEvent::UserCreated)
    }
}

/// Fields both kinds store.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Common {
    /// `_id`; empty when the document had none.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Whether it runs (missing reads as `false`, as the server treats it).
    pub enabled: bool,
    /// Post-as username.
    pub username: String,
    /// Post-as user id.
    pub user_id: Option<String>,
    /// Channel entries with their `#`/`@` prefix.
    pub channel: Vec<String>,
    /// Whether the script runs.
    pub script_enabled: bool,
    /// Script source, byte for byte.
    pub script: Option<String>,
    /// The sandbox; absent before 6.4.
    pub script_engine: Option<ScriptEngine>,
    /// Whether the server holds a compiled script.
    pub script_compiled: bool,
    /// Compile error, when the last save failed to compile.
    pub script_error: Option<ScriptError>,
    /// 8.4+ opt-out of Babel.
    pub skip_transpile: Option<bool>,
    /// Alias before the username.
    pub alias: Option<String>,
    /// Avatar URL (also read from the old `avatarUrl`).
    pub avatar: Option<String>,
    /// Emoji avatar, e.g. `:ghost:`.
    pub emoji: Option<String>,
    /// Creation date as sent.
    pub created_at: Option<String>,
    /// Creator.
    pub created_by: Option<UserRef>,
    /// Last update date as sent.
    pub updated_at: Option<String>,
    /// Last updater (written by update, not in the typing).
    pub updated_by: Option<UserRef>,
    /// The document as the server sent it: forms read their fields from it by API key.
    /// Private, so only this module changes it, in step with the members above.
    document: Value,
}

/// Script state of a stored integration, for a status line under the script.
#[derive(Clone, Debug, PartialEq)]
pub enum ScriptStatus<'a> {
    /// Scripts off or empty.
    NotUsed,
    /// The server compiled it.
    Compiled,
    /// The server stored a compile error; the hook runs without a working script.
    Failed(&'a ScriptError),
    /// Enabled with source but neither compiled code nor error (e.g. frozen scripts).
    Unknown,
}

impl Common {
    fn read(v: &Value) -> Common {
        Common {
            id: str_of(v, "_id").unwrap_or_default(),
            name: text(v, Field::Name).unwrap_or_default(),
            enabled: flag(v, Field::Enabled).unwrap_or(false),
            username: text(v, Field::PostAs).unwrap_or_default(),
            user_id: str_of(v, "userId"),
            channel: read_channel(v, Field::Channel.api_key()),
            script_enabled: flag(v, Field::ScriptEnabled).unwrap_or(false),
            script: text(v, Field::Script),
            script_engine: text(v, Field::ScriptEngine).map(|e| ScriptEngine::parse(&e)),
            script_compiled: str_of(v, "scriptCompiled").is_some_and(|s| !s.is_empty()),
            script_error: ScriptError::read(v),
            skip_transpile: flag(v, Field::SkipTranspile),
            alias: text(v, Field::Alias),
            avatar: text(v, Field::Avatar).or_else(|| str_of(v, OLD_AVATAR_KEY)),
            emoji: text(v, Field::Emoji),
            created_at: date_of(v, "_createdAt"),
            created_by: UserRef::read(v, "_createdBy"),
            updated_at: date_of(v, "_updatedAt"),
            updated_by: UserRef::read(v, "_updatedBy"),
            document: v.clone(),
        }
    }

    /// The document as the server sent it (with `Integration::set_enabled` applied).
    pub fn document(&self) -> &Value {
        &self.document
    }

    /// What to show about the script.
    pub fn script_status(&self) -> ScriptStatus<'_> {
        let has_source = self.script.as_deref().is_some_and(|s| !s.trim().is_empty());
        if !self.script_enabled || !has_source {
            ScriptStatus::NotUsed
        } else if let Some(e) = &self.script_error {
            ScriptStatus::Failed(e)
        } else if self.script_compiled {
            ScriptStatus::Compiled
        } else {
            ScriptStatus::Unknown
        }
    }
}

/// A stored string under a field's key.
fn text(v: &Value, field: Field) -> Option<String> {
    str_of(v, field.api_key())
}

/// A stored boolean under a field's key.
fn flag(v: &Value, field: Field) -> Option<bool> {
    bool_of(v, field.api_key())
}

/// Channel array as stored; an old comma string is split like the server does.
pub(crate) fn read_channel(v: &Value, key: &str) -> Vec<String> {
    match v.get(key) {
        Some(Value::String(s)) => channels::split(s)
            .into_iter()
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => str_list(v, key),
    }
}

/// A stored incoming webhook.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Incoming {
    /// Shared fields.
    pub common: Common,
    /// Secret part of the webhook URL.
    pub token: Option<String>,
    /// Whether payloads may choose another channel.
    pub override_destination: Option<bool>,
}

/// A stored outgoing webhook.
#[derive(Clone, Debug, PartialEq)]
pub struct Outgoing {
    /// Shared fields.
    pub common: Common,
    /// Event trigger.
    pub event: OutgoingEvent,
    /// Room for results (userCreated).
    pub target_room: Option<String>,
    /// URLs called.
    pub urls: Vec<String>,
    /// Trigger words (sendMessage).
    pub trigger_words: Vec<String>,
    /// Match trigger words anywhere instead of at the start.
    pub trigger_word_anywhere: Option<bool>,
    /// Token sent to the remote service.
    pub token: Option<String>,
    /// Also fire on edited messages.
    pub run_on_edits: Option<bool>,
    /// Retry failed calls.
    pub retry_failed_calls: Option<bool>,
    /// Number of retries.
    pub retry_count: Option<i64>,
    /// Retry schedule name.
    pub retry_delay: Option<String>,
    /// Post answers as the message author.
    pub impersonate_user: Option<bool>,
    /// Only 6.3-era documents carry this; kept for that server's update schema.
    pub override_destination: Option<bool>,
}

/// A stored integration of either kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Integration {
    /// Incoming webhook.
    Incoming(Incoming),
    /// Outgoing webhook.
    Outgoing(Outgoing),
}

/// Why a JSON value is not an integration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelError {
    /// Not a JSON object.
    NotAnObject,
    /// No `type` string.
    MissingType,
    /// A `type` this panel does not manage (e.g. `webhook-zapier`).
    UnknownType(String),
}

impl ModelError {
    /// Plain-language explanation.
    pub fn message(&self) -> String {
        match self {
            ModelError::NotAnObject => "This entry is not an integration object.".to_owned(),
            ModelError::MissingType => {
                "This entry has no type (webhook-incoming or webhook-outgoing).".to_owned()
            }
            ModelError::UnknownType(t) => {
                format!("The type “{t}” is not a webhook this panel manages.")
            }
        }
    }
}

impl Integration {
    /// Reads one stored document; fails only without an object or a webhook `type`.
    pub fn from_json(v: &Value) -> Result<Integration, ModelError> {
        if !v.is_object() {
            return Err(ModelError::NotAnObject);
        }
        let kind = str_of(v, "type").ok_or(ModelError::MissingType)?;
        match Kind::from_api(&kind) {
            Some(Kind::Incoming) => Ok(Integration::Incoming(Incoming {
                common: Common::read(v),
                token: text(v, Field::Token),
                override_destination: flag(v, Field::OverrideDestination),
            })),
            Some(Kind::Outgoing) => Ok(Integration::Outgoing(Outgoing {
                common: Common::read(v),
                event: OutgoingEvent::parse(&text(v, Field::Event).unwrap_or_default()),
                target_room: text(v, Field::TargetRoom),
                urls: str_list(v, Field::Urls.api_key()),
                trigger_words: read_trigger_words(v, Field::TriggerWords.api_key()),
                trigger_word_anywhere: flag(v, Field::TriggerWordAnywhere),
                token: text(v, Field::Token),
                run_on_edits: flag(v, Field::RunOnEdits),
                retry_failed_calls: flag(v, Field::RetryFailedCalls),
                retry_count: int_of(v, Field::RetryCount.api_key()),
                retry_delay: text(v, Field::RetryDelay),
                impersonate_user: flag(v, Field::ImpersonateUser),
                override_destination: flag(v, Field::OverrideDestination),
            })),
            None => Err(ModelError::UnknownType(kind)),
        }
    }

    /// Incoming or outgoing.
    pub fn kind(&self) -> Kind {
        match self {
            Integration::Incoming(_) => Kind::Incoming,
            Integration::Outgoing(_) => Kind::Outgoing,
        }
    }

    /// Switches the stored enabled flag, in the document the forms read too.
    pub fn set_enabled(&mut self, on: bool) {
        let c = match self {
            Integration::Incoming(i) => &mut i.common,
            Integration::Outgoing(o) => &mut o.common,
        };
        c.enabled = on;
        if let Value::Object(m) = &mut c.document {
            m.insert(Field::Enabled.api_key().to_owned(), Value::Bool(on));
        }
    }

    /// Shared fields.
    pub fn common(&self) -> &Common {
        match self {
            Integration::Incoming(i) => &i.common,
            Integration::Outgoing(o) => &o.common,
        }
    }

    /// `_id`.
    pub fn id(&self) -> &str {
        &self.common().id
    }

    /// Display name; falls back to the channels, then to the kind.
    pub fn display_name(&self) -> String {
        let c = self.common();
        if !c.name.trim().is_empty() {
            c.name.clone()
        } else if !c.channel.is_empty() {
            self.channel_text()
        } else {
            self.kind().label().to_owned()
        }
    }

    /// Channels joined with `", "`, as the edit field shows them.
    pub fn channel_text(&self) -> String {
        channels::join(&self.common().channel)
    }

    /// The stored token, if any.
    pub fn token(&self) -> Option<&str> {
        match self {
            Integration::Incoming(i) => i.token.as_deref(),
            Integration::Outgoing(o) => o.token.as_deref(),
        }
    }

    /// Id of the creator, if recorded.
    pub fn created_by_id(&self) -> Option<&str> {
        self.common().created_by.as_ref().map(|u| u.id.as_str())
    }

    /// Whether the name contains `needle` (case-insensitive) and the kind matches; for
    /// filtering locally on servers before 7.0, which ignore the list filters.
    pub fn matches(&self, needle: &str, kind: Option<Kind>) -> bool {
        let kind_ok = kind.is_none_or(|k| k == self.kind());
        let needle = needle.trim().to_lowercase();
        kind_ok && (needle.is_empty() || self.common().name.to_lowercase().contains(&needle))
    }
}

/// Trigger words as stored; very old documents held one comma string.
pub(crate) fn read_trigger_words(v: &Value, key: &str) -> Vec<String> {
    match v.get(key) {
        Some(Value::String(s)) => s
            .split(',')
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => str_list(v, key),
    }
}

/// One page of `integrations.list`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ListPage {
    /// Integrations this panel understands.
    pub integrations: Vec<Integration>,
    /// Entries skipped (other types such as Zapier, or malformed rows).
    pub skipped: usize,
    /// Total matching on the server (falls back to what was received).
    pub total: u64,
    /// Offset of this page.
    pub offset: u64,
}

/// Reads an `integrations.list` answer; anything unreadable yields an empty page.
pub fn parse_list(v: &Value) -> ListPage {
    let mut page = ListPage::default();
    if let Some(Value::Array(rows)) = v.get("integrations") {
        for row in rows {
            match Integration::from_json(row) {
                Ok(i) => page.integrations.push(i),
                Err(_) => page.skipped += 1,
            }
        }
    }
    let received = (page.integrations.len() + page.skipped) as u64;
    page.total = count_of(v, "total").unwrap_or(received).max(received);
    page.offset = count_of(v, "offset").unwrap_or(0);
    page
}

/// Reads the `integration` of a get/create/update/remove answer.
pub fn parse_integration_response(v: &Value) -> Option<Integration> {
    v.get("integration")
        .and_then(|i| Integration::from_json(i).ok())
}

/// Outcome of one history row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryStatus {
    /// Finished without error.
    Success,
    /// Errored.
    Failure,
    /// Still running (or the row never got its final update).
    InProgress,
}

/// One outgoing history row (`IIntegrationHistory`), tolerant of odd rows (#19442).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct HistoryEntry {
    /// Row id, needed for replay.
    pub id: String,
    /// Integration id.
    pub integration_id: String,
    /// Event name.
    pub event: String,
    /// Last step reached, e.g. `start-execute-trigger-url`.
    pub step: String,
    /// Creation date as sent.
    pub created_at: Option<String>,
    /// Last update date as sent.
    pub updated_at: Option<String>,
    /// Whether it finished.
    pub finished: bool,
    /// Whether it errored (the `error` flag).
    pub error: bool,
    /// Whether the prepare script ran.
    pub ran_prepare_script: bool,
    /// Matched trigger word.
    pub trigger_word: Option<String>,
    /// URL called.
    pub url: Option<String>,
    /// HTTP result body.
    pub http_result: Option<String>,
    /// Error stack.
    pub error_stack: Option<String>,
    /// Why the HTTP call failed: `httpError`'s message, else its JSON text.
    pub http_error: Option<String>,
    /// Raw sections shown as JSON (`data`, `httpCallData`, `httpError`, prepare/process messages).
    pub sections: Vec<(String, Value)>,
}

impl HistoryEntry {
    /// Reads one row; non-objects give an empty entry.
    pub fn from_json(v: &Value) -> HistoryEntry {
        HistoryEntry::from_json_with(v, SERDE_JSON.write)
    }

    /// [`HistoryEntry::from_json`] with the JSON writer for fields sent as JSON instead of
    /// text: the app passes the browser's, so the list and history need not carry serde_json's.
    pub fn from_json_with(v: &Value, write: fn(&Value) -> String) -> HistoryEntry {
        let text_of = |key: &str| match v.get(key)? {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => Some(write(other)),
        };
        let mut sections = Vec::new();
        for key in [
            "data",
            "prepareSentMessage",
            "processSentMessage",
            "httpCallData",
            "httpError",
        ] {
            if let Some(section) = v.get(key).filter(|s| !s.is_null()) {
                sections.push((key.to_owned(), section.clone()));
            }
        }
        HistoryEntry {
            id: str_of(v, "_id").unwrap_or_default(),
            integration_id: v
                .get("integration")
                .and_then(|i| str_of(i, "_id"))
                .unwrap_or_default(),
            event: str_of(v, "event").unwrap_or_default(),
            step: str_of(v, "step").unwrap_or_default(),
            created_at: date_of(v, "_createdAt"),
            updated_at: date_of(v, "_updatedAt"),
            finished: bool_of(v, "finished").unwrap_or(false),
            error: error_flag(v),
            ran_prepare_script: bool_of(v, "ranPrepareScript").unwrap_or(false),
            trigger_word: str_of(v, "triggerWord"),
            url: str_of(v, "url"),
            http_result: text_of("httpResult"),
            error_stack: text_of("errorStack"),
            http_error: v
                .get("httpError")
                .filter(|e| !e.is_null())
                .map(|e| str_of(e, "message").unwrap_or_else(|| write(e))),
            sections,
        }
    }

    /// The outcome in plain words, from the error and the last step the server recorded
    /// (steps are Rocket.Chat's `triggerHandler` names, e.g. `after-process-http-status-500`).
    pub fn outcome(&self) -> String {
        if let Some(message) = &self.http_error {
            return format!("No answer: {}", truncate_chars(message, 120));
        }
        let step = self.step.as_str();
        if let Some(code) = step.strip_prefix("after-process-http-status-") {
            return format!("HTTP {code}");
        }
        if let Some(n) = step.strip_prefix("going-to-retry-") {
            return format!("Failed; retry {n} scheduled");
        }
        match step {
            "url-response-sent-message" => "Answered; the reply was posted".to_owned(),
            "url-response-error" => "Answered; the reply could not be posted".to_owned(),
            "after-http-call" | "after-process-http-status" => "Answered".to_owned(),
            "too-many-retries" => "Failed; gave up after the last retry".to_owned(),
            "failed-and-not-configured-to-retry" => "Failed; retries are off".to_owned(),
            "failed-and-retry-delay-is-invalid" => "Failed; the retry delay is invalid".to_owned(),
            "" => "No step recorded".to_owned(),
            other => other.replace('-', " "),
        }
    }

    /// Success, failure or still running.
    pub fn status(&self) -> HistoryStatus {
        if self.error {
            HistoryStatus::Failure
        } else if self.finished {
            HistoryStatus::Success
        } else {
            HistoryStatus::InProgress
        }
    }
}

/// `error` is a boolean in the typing but some rows hold an object or a message.
fn error_flag(v: &Value) -> bool {
    match v.get("error") {
        Some(Value::Bool(b)) => *b,
        Some(Value::Null) | None => false,
        Some(Value::String(s)) => !s.is_empty(),
        Some(_) => true,
    }
}

/// One page of `integrations.history`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct HistoryPage {
    /// Rows in server order.
    pub entries: Vec<HistoryEntry>,
    /// Total rows on the server.
    pub total: u64,
    /// Offset of this page.
    pub offset: u64,
}

/// Reads an `integrations.history` answer.
pub fn parse_history(v: &Value) -> HistoryPage {
    parse_history_with(v, SERDE_JSON.write)
}

/// [`parse_history`] with the JSON writer given (see [`HistoryEntry::from_json_with`]).
pub fn parse_history_with(v: &Value, write: fn(&Value) -> String) -> HistoryPage {
    let entries: Vec<HistoryEntry> = match v.get("history") {
        Some(Value::Array(rows)) => rows
            .iter()
            .map(|row| HistoryEntry::from_json_with(row, write))
            .collect(),
        _ => Vec::new(),
    };
    let received = entries.len() as u64;
    HistoryPage {
        total: count_of(v, "total").unwrap_or(received).max(received),
        offset: count_of(v, "offset").unwrap_or(0),
        entries,
    }
}

/// Builds the document shape used by export: stored keys only, no ids, dates or compiled code.
pub(crate) fn to_document(i: &Integration, include_token: bool) -> Value {
    let c = i.common();
    let mut d = Document(Map::new());
    d.0.insert("type".into(), Value::String(i.kind().api_name().to_owned()));
    d.text(Field::Name, Some(&c.name));
    d.flag(Field::Enabled, Some(c.enabled));
    d.text(Field::PostAs, Some(&c.username));
    d.list(Field::Channel, &c.channel);
    d.text(Field::Alias, c.alias.as_ref());
    d.text(Field::Avatar, c.avatar.as_ref());
    d.text(Field::Emoji, c.emoji.as_ref());
    let engine = c.script_engine.as_ref().map(|e| e.as_str().to_owned());
    d.text(Field::ScriptEngine, engine.as_ref());
    d.text(Field::Script, c.script.as_ref());
    d.flag(Field::ScriptEnabled, Some(c.script_enabled));
    d.flag(Field::SkipTranspile, c.skip_transpile);
    match i {
        Integration::Incoming(inc) => {
            d.flag(Field::OverrideDestination, inc.override_destination);
        }
        Integration::Outgoing(o) => outgoing_document(&mut d, o),
    }
    if include_token {
        d.text(Field::Token, i.token().map(str::to_owned).as_ref());
    }
    Value::Object(d.0)
}

/// The outgoing keys of an exported document.
fn outgoing_document(d: &mut Document, o: &Outgoing) {
    d.text(Field::Event, Some(&o.event.as_str().to_owned()));
    d.list(Field::Urls, &o.urls);
    d.list(Field::TriggerWords, &o.trigger_words);
    d.text(Field::TargetRoom, o.target_room.as_ref());
    d.text(Field::RetryDelay, o.retry_delay.as_ref());
    d.flag(Field::TriggerWordAnywhere, o.trigger_word_anywhere);
    d.flag(Field::RunOnEdits, o.run_on_edits);
    d.flag(Field::RetryFailedCalls, o.retry_failed_calls);
    d.flag(Field::ImpersonateUser, o.impersonate_user);
    if let Some(n) = o.retry_count {
        d.0.insert(Field::RetryCount.api_key().to_owned(), Value::from(n));
    }
}

/// An exported document under construction: values that are absent stay out.
struct Document(Map<String, Value>);

impl Document {
    fn text(&mut self, field: Field, value: Option<&String>) {
        if let Some(v) = value {
            self.0
                .insert(field.api_key().to_owned(), Value::String(v.clone()));
        }
    }

    fn flag(&mut self, field: Field, value: Option<bool>) {
        if let Some(v) = value {
            self.0.insert(field.api_key().to_owned(), Value::Bool(v));
        }
    }

    fn list(&mut self, field: Field, items: &[String]) {
        let items = items.iter().cloned().map(Value::String).collect();
        self.0
            .insert(field.api_key().to_owned(), Value::Array(items));
    }
}
