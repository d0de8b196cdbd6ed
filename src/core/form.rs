//! Form state as the person types (text for text, bools for toggles), held by [`Field`]:
//! each field's new-form value and how it is read from a stored integration come from its
//! row of the field table, so this file has no code per field (spec §9).

use serde_json::Value;

use super::channels;
use super::engine::ScriptEngine;
use super::field::{Field, Input, Needs, Read, Start};
use super::form_values::Values;
use super::json::{bool_of, int_of, str_list, str_of};
use super::model::{self, Incoming, Integration, Kind, Outgoing, OutgoingEvent};
use super::version::Features;

/// One field's value in a form; `None` where the kind has no such field.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Slot {
    None,
    Text(String),
    Flag(bool),
}

/// Every field's value, at the field's position in [`Field::ALL`].
#[derive(Clone, Debug, PartialEq, Eq)]
struct Store {
    slots: [Slot; Field::COUNT],
}

impl Store {
    /// The values of a form of `kind`: `value` for each field the kind holds.
    fn build(kind: Kind, value: impl Fn(Field) -> Slot) -> Store {
        Store {
            slots: Field::ALL.map(|f| {
                if f.held_by(kind) {
                    value(f)
                } else {
                    Slot::None
                }
            }),
        }
    }

    /// A new form's values; `token` for [`Start::Token`].
    fn new(kind: Kind, token: &str) -> Store {
        Store::build(kind, |f| start_value(f, token))
    }

    /// A stored integration's values, read from its document.
    fn stored(kind: Kind, doc: &Value) -> Store {
        Store::build(kind, |f| stored_value(f, doc))
    }

    fn slot(&self, field: Field) -> &Slot {
        self.slots.get(field.index()).unwrap_or(&Slot::None)
    }

    fn text(&self, field: Field) -> Option<&str> {
        match self.slot(field) {
            Slot::Text(t) => Some(t),
            _ => None,
        }
    }

    fn flag(&self, field: Field) -> Option<bool> {
        match self.slot(field) {
            Slot::Flag(b) => Some(*b),
            _ => None,
        }
    }

    fn set_text(&mut self, field: Field, value: String) {
        if let Some(Slot::Text(t)) = self.slots.get_mut(field.index()) {
            *t = value;
        }
    }

    fn set_flag(&mut self, field: Field, value: bool) {
        if let Some(Slot::Flag(b)) = self.slots.get_mut(field.index()) {
            *b = value;
        }
    }
}

/// A field's value in a new form.
fn start_value(field: Field, token: &str) -> Slot {
    let spec = field.spec();
    match (spec.input, spec.start) {
        (Input::Flag, start) => Slot::Flag(start == Start::On),
        (Input::Text, Start::Text(text)) => Slot::Text(text.to_owned()),
        (Input::Text, Start::Engine) => Slot::Text(ScriptEngine::DEFAULT.as_str().to_owned()),
        (Input::Text, Start::Token) => Slot::Text(token.to_owned()),
        (Input::Text, Start::Empty | Start::On) => Slot::Text(String::new()),
    }
}

/// A field's value read from a stored document under its API key.
fn stored_value(field: Field, doc: &Value) -> Slot {
    let spec = field.spec();
    let key = spec.key;
    let text = match spec.read {
        Read::Flag => return Slot::Flag(bool_of(doc, key).unwrap_or(false)),
        Read::Text => str_of(doc, key).unwrap_or_default(),
        Read::TextOr(old) => str_of(doc, key)
            .or_else(|| str_of(doc, old))
            .unwrap_or_default(),
        Read::OrNew => match str_of(doc, key) {
            Some(text) => text,
            None => return start_value(field, ""),
        },
        Read::Channels => channels::join(&model::read_channel(doc, key)),
        Read::Words => model::read_trigger_words(doc, key).join(", "),
        Read::Lines => str_list(doc, key).join("\n"),
        Read::Number => int_of(doc, key).map(|n| n.to_string()).unwrap_or_default(),
    };
    match spec.input {
        Input::Text => Slot::Text(text),
        Input::Flag => Slot::Flag(false),
    }
}

/// The value methods both kinds share, by [`Field`].
macro_rules! by_field {
    ($form:ty) => {
        impl $form {
            /// The text of a text field (empty for toggles and fields this kind lacks).
            pub fn text(&self, field: Field) -> &str {
                self.values.text(field).unwrap_or("")
            }

            /// The value of a toggle (false for text fields and fields this kind lacks).
            pub fn flag(&self, field: Field) -> bool {
                self.values.flag(field).unwrap_or(false)
            }

            /// Replaces the text of a text field; ignored for other fields.
            pub fn set_text(&mut self, field: Field, value: String) {
                self.values.set_text(field, value);
            }

            /// Sets a toggle; ignored for other fields.
            pub fn set_flag(&mut self, field: Field, value: bool) {
                self.values.set_flag(field, value);
            }

            /// Whether the field holds text in this kind.
            pub fn is_text(&self, field: Field) -> bool {
                self.values.text(field).is_some()
            }

            /// Whether the field is a toggle of this kind.
            pub fn is_flag(&self, field: Field) -> bool {
                self.values.flag(field).is_some()
            }

            /// Whether this form creates a new integration.
            pub fn is_new(&self) -> bool {
                self.id.is_none()
            }
        }

        impl Values for $form {
            fn text(&self, field: Field) -> &str {
                <$form>::text(self, field)
            }

            fn flag(&self, field: Field) -> bool {
                <$form>::flag(self, field)
            }

            fn set_text(&mut self, field: Field, value: String) {
                <$form>::set_text(self, field, value);
            }
        }
    };
}

by_field!(IncomingForm);
by_field!(OutgoingForm);

/// Incoming webhook form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncomingForm {
    /// `_id` when editing, `None` when new.
    pub id: Option<String>,
    /// Post-as username as loaded, to notice a change.
    pub stored_username: Option<String>,
    values: Store,
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
            values: Store::new(Kind::Incoming, ""),
        }
    }

    /// The form for editing a stored incoming webhook; `false` stays `false`.
    pub fn from_stored(stored: &Incoming) -> IncomingForm {
        let c = &stored.common;
        IncomingForm {
            id: Some(c.id.clone()),
            stored_username: Some(c.username.clone()),
            values: Store::stored(Kind::Incoming, c.document()),
        }
    }

    /// Whether a field is shown for this server (the field table decides).
    pub fn shows(&self, field: Field, features: &Features) -> bool {
        field.applies(Kind::Incoming, None, features)
    }

    /// A new form pre-filled from this one (duplicate); the server makes a new token.
    pub fn duplicate(&self) -> IncomingForm {
        let mut copy = IncomingForm {
            id: None,
            stored_username: None,
            ..self.clone()
        };
        copy.set_text(Field::Name, copy_name(self.text(Field::Name)));
        copy
    }
}

/// Outgoing webhook form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingForm {
    /// `_id` when editing, `None` when new.
    pub id: Option<String>,
    values: Store,
}

impl OutgoingForm {
    /// A new outgoing webhook with the official defaults and a fresh token
    /// (from [`crate::core::token::encode`] over random bytes).
    pub fn new(token: String) -> OutgoingForm {
        OutgoingForm {
            id: None,
            values: Store::new(Kind::Outgoing, &token),
        }
    }

    /// The form for editing a stored outgoing webhook; missing toggles read as the
    /// server treats them (`false`), never as the new-form defaults.
    pub fn from_stored(stored: &Outgoing) -> OutgoingForm {
        let c = &stored.common;
        OutgoingForm {
            id: Some(c.id.clone()),
            values: Store::stored(Kind::Outgoing, c.document()),
        }
    }

    /// The chosen event.
    pub fn event(&self) -> OutgoingEvent {
        OutgoingEvent::parse(self.text(Field::Event).trim())
    }

    /// Whether a field is shown for the chosen event and this server: the field table,
    /// then the rules that depend on values.
    pub fn shows(&self, field: Field, features: &Features) -> bool {
        let event = self.event();
        // Unknown events keep a stored target room visible.
        if field == Field::TargetRoom && !event.is_known() {
            return !self.text(Field::TargetRoom).trim().is_empty();
        }
        field.applies(Kind::Outgoing, Some(&event), features)
            && (field.spec().needs != Needs::Retrying || self.flag(Field::RetryFailedCalls))
    }

    /// A new form pre-filled from this one (duplicate) with its own fresh token.
    pub fn duplicate(&self, token: String) -> OutgoingForm {
        let mut copy = OutgoingForm {
            id: None,
            ..self.clone()
        };
        copy.set_text(Field::Name, copy_name(self.text(Field::Name)));
        copy.set_text(Field::Token, token);
        copy
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
