//! Form state as the person types (text for text, bools for toggles), built from a stored
//! integration or from the defaults of a new one (spec §9).

use super::channels;
use super::engine::ScriptEngine;
use super::field::{Field, Needs};
use super::model::{Common, Incoming, Integration, Kind, Outgoing, OutgoingEvent};
use super::retry::RetryDelay;
use super::version::Features;

/// The sandbox text of a new form.
fn default_engine() -> String {
    ScriptEngine::DEFAULT.as_str().to_owned()
}

/// The sandbox text of a stored integration; servers before 6.4 store none.
fn stored_engine(c: &Common) -> String {
    c.script_engine
        .as_ref()
        .map_or_else(default_engine, |e| e.as_str().to_owned())
}

/// Incoming webhook form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncomingForm {
    /// `_id` when editing, `None` when new.
    pub id: Option<String>,
    /// Post-as username as loaded, to notice a change.
    pub stored_username: Option<String>,
    /// Enabled toggle.
    pub enabled: bool,
    /// Name.
    pub name: String,
    /// Comma text of `#room`/`@user` entries.
    pub channel: String,
    /// Post-as username.
    pub username: String,
    /// Alias.
    pub alias: String,
    /// Avatar URL.
    pub avatar: String,
    /// Emoji, e.g. `:ghost:`.
    pub emoji: String,
    /// Let payloads override the channel.
    pub override_destination: bool,
    /// Script enabled toggle.
    pub script_enabled: bool,
    /// Script sandbox.
    pub script_engine: String,
    /// Script source, kept byte for byte.
    pub script: String,
    /// Skip Babel (8.4–8.x only).
    pub skip_transpile: bool,
}

impl Default for IncomingForm {
    fn default() -> Self {
        IncomingForm::new()
    }
}

impl IncomingForm {
    /// A new incoming webhook with the official defaults.
    pub fn new() -> IncomingForm {
        IncomingForm {
            id: None,
            stored_username: None,
            enabled: true,
            name: String::new(),
            channel: String::new(),
            username: String::new(),
            alias: String::new(),
            avatar: String::new(),
            emoji: String::new(),
            override_destination: false,
            script_enabled: false,
            script_engine: default_engine(),
            script: String::new(),
            skip_transpile: false,
        }
    }

    /// The form for editing a stored incoming webhook; `false` stays `false`.
    pub fn from_stored(stored: &Incoming) -> IncomingForm {
        let c = &stored.common;
        IncomingForm {
            id: Some(c.id.clone()),
            stored_username: Some(c.username.clone()),
            enabled: c.enabled,
            name: c.name.clone(),
            channel: channels::join(&c.channel),
            username: c.username.clone(),
            alias: c.alias.clone().unwrap_or_default(),
            avatar: c.avatar.clone().unwrap_or_default(),
            emoji: c.emoji.clone().unwrap_or_default(),
            override_destination: stored.override_destination.unwrap_or(false),
            script_enabled: c.script_enabled,
            script_engine: stored_engine(c),
            script: c.script.clone().unwrap_or_default(),
            skip_transpile: c.skip_transpile.unwrap_or(false),
        }
    }

    /// Whether this form creates a new integration.
    pub fn is_new(&self) -> bool {
        self.id.is_none()
    }

    /// Whether a field is shown for this server (the field table decides).
    pub fn shows(&self, field: Field, features: &Features) -> bool {
        field.applies(Kind::Incoming, None, features)
    }

    /// A new form pre-filled from this one (duplicate); the server makes a new token.
    pub fn duplicate(&self) -> IncomingForm {
        IncomingForm {
            id: None,
            stored_username: None,
            name: copy_name(&self.name),
            ..self.clone()
        }
    }
}

/// Outgoing webhook form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingForm {
    /// `_id` when editing, `None` when new.
    pub id: Option<String>,
    /// Enabled toggle.
    pub enabled: bool,
    /// Name.
    pub name: String,
    /// Event name (select value); unknown stored events are kept.
    pub event: String,
    /// Comma text of watched channels.
    pub channel: String,
    /// Comma text of trigger words.
    pub trigger_words: String,
    /// Target room (userCreated).
    pub target_room: String,
    /// URLs, one per line.
    pub urls: String,
    /// Post answers as the message author.
    pub impersonate_user: bool,
    /// Post-as username.
    pub username: String,
    /// Alias.
    pub alias: String,
    /// Avatar URL.
    pub avatar: String,
    /// Emoji.
    pub emoji: String,
    /// Token sent to the remote service.
    pub token: String,
    /// Script enabled toggle.
    pub script_enabled: bool,
    /// Script sandbox.
    pub script_engine: String,
    /// Script source, kept byte for byte.
    pub script: String,
    /// Skip Babel (8.4–8.x only).
    pub skip_transpile: bool,
    /// Retry failed calls.
    pub retry_failed_calls: bool,
    /// Retry count as typed.
    pub retry_count: String,
    /// Retry schedule name (select value).
    pub retry_delay: String,
    /// Match trigger words anywhere.
    pub trigger_word_anywhere: bool,
    /// Also fire on edits.
    pub run_on_edits: bool,
    /// Hidden; only 6.3 update schemas require it.
    pub override_destination: bool,
}

impl OutgoingForm {
    /// A new outgoing webhook with the official defaults and a fresh token
    /// (from [`crate::core::token::encode`] over random bytes).
    pub fn new(token: String) -> OutgoingForm {
        OutgoingForm {
            id: None,
            enabled: true,
            name: String::new(),
            event: OutgoingEvent::SendMessage.as_str().to_owned(),
            channel: String::new(),
            trigger_words: String::new(),
            target_room: String::new(),
            urls: String::new(),
            impersonate_user: false,
            username: String::new(),
            alias: String::new(),
            avatar: String::new(),
            emoji: String::new(),
            token,
            script_enabled: false,
            script_engine: default_engine(),
            script: String::new(),
            skip_transpile: false,
            retry_failed_calls: true,
            retry_count: "6".to_owned(),
            retry_delay: RetryDelay::PowersOfTen.as_str().to_owned(),
            trigger_word_anywhere: false,
            run_on_edits: true,
            override_destination: false,
        }
    }

    /// The form for editing a stored outgoing webhook; missing toggles read as the
    /// server treats them (`false`), never as the new-form defaults.
    pub fn from_stored(stored: &Outgoing) -> OutgoingForm {
        let c = &stored.common;
        OutgoingForm {
            id: Some(c.id.clone()),
            enabled: c.enabled,
            name: c.name.clone(),
            event: stored.event.as_str().to_owned(),
            channel: channels::join(&c.channel),
            trigger_words: stored.trigger_words.join(", "),
            target_room: stored.target_room.clone().unwrap_or_default(),
            urls: stored.urls.join("\n"),
            impersonate_user: stored.impersonate_user.unwrap_or(false),
            username: c.username.clone(),
            alias: c.alias.clone().unwrap_or_default(),
            avatar: c.avatar.clone().unwrap_or_default(),
            emoji: c.emoji.clone().unwrap_or_default(),
            token: stored.token.clone().unwrap_or_default(),
            script_enabled: c.script_enabled,
            script_engine: stored_engine(c),
            script: c.script.clone().unwrap_or_default(),
            skip_transpile: c.skip_transpile.unwrap_or(false),
            retry_failed_calls: stored.retry_failed_calls.unwrap_or(false),
            retry_count: stored
                .retry_count
                .map(|n| n.to_string())
                .unwrap_or_default(),
            retry_delay: stored.retry_delay.clone().unwrap_or_default(),
            trigger_word_anywhere: stored.trigger_word_anywhere.unwrap_or(false),
            run_on_edits: stored.run_on_edits.unwrap_or(false),
            override_destination: stored.override_destination.unwrap_or(false),
        }
    }

    /// Whether this form creates a new integration.
    pub fn is_new(&self) -> bool {
        self.id.is_none()
    }

    /// The chosen event.
    pub fn event(&self) -> OutgoingEvent {
        OutgoingEvent::parse(self.event.trim())
    }

    /// Whether a field is shown for the chosen event and this server: the field table,
    /// then the rules that depend on values.
    pub fn shows(&self, field: Field, features: &Features) -> bool {
        let event = self.event();
        // Unknown events keep a stored target room visible.
        if field == Field::TargetRoom && !event.is_known() {
            return !self.target_room.trim().is_empty();
        }
        field.applies(Kind::Outgoing, Some(&event), features)
            && (field.spec().needs != Needs::Retrying || self.retry_failed_calls)
    }

    /// A new form pre-filled from this one (duplicate) with its own fresh token.
    pub fn duplicate(&self, token: String) -> OutgoingForm {
        OutgoingForm {
            id: None,
            name: copy_name(&self.name),
            token,
            ..self.clone()
        }
    }
}

/// Name of a duplicate.
fn copy_name(name: &str) -> String {
    if name.trim().is_empty() {
        String::new()
    } else {
        format!("Copy of {name}")
    }
}

/// A form of either kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Form {
    /// Incoming webhook form.
    Incoming(IncomingForm),
    /// Outgoing webhook form.
    Outgoing(OutgoingForm),
}

impl Form {
    /// The form for editing a stored integration.
    pub fn from_stored(stored: &Integration) -> Form {
        match stored {
            Integration::Incoming(i) => Form::Incoming(IncomingForm::from_stored(i)),
            Integration::Outgoing(o) => Form::Outgoing(OutgoingForm::from_stored(o)),
        }
    }

    /// The kind this form saves as (always the stored kind when editing).
    pub fn kind(&self) -> Kind {
        match self {
            Form::Incoming(_) => Kind::Incoming,
            Form::Outgoing(_) => Kind::Outgoing,
        }
    }

    /// Whether a field is shown.
    pub fn shows(&self, field: Field, features: &Features) -> bool {
        match self {
            Form::Incoming(f) => f.shows(field, features),
            Form::Outgoing(f) => f.shows(field, features),
        }
    }
}
