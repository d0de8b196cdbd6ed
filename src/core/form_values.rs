//! Form values read and written by [`Field`], so one data-driven view and the local drafts
//! handle every field of both kinds without code per field.

use super::field::Field;
use super::form::Form;

/// Reading a form's values by [`Field`]: what request bodies and drafts use.
pub trait Values {
    /// The text of a text field (empty for toggles and fields this kind lacks).
    fn text(&self, field: Field) -> &str;
    /// The value of a toggle (false for text fields and fields this kind lacks).
    fn flag(&self, field: Field) -> bool;
    /// Replaces the text of a text field; ignored for other fields.
    fn set_text(&mut self, field: Field, value: String);
}

impl Form {
    /// The text of a text field (empty for toggles and fields this kind lacks).
    pub fn text(&self, field: Field) -> &str {
        match self {
            Form::Incoming(f) => f.text(field),
            Form::Outgoing(f) => f.text(field),
        }
    }

    /// Replaces the text of a text field; ignored for other fields.
    pub fn set_text(&mut self, field: Field, value: String) {
        match self {
            Form::Incoming(f) => f.set_text(field, value),
            Form::Outgoing(f) => f.set_text(field, value),
        }
    }

    /// The value of a toggle (false for text fields and fields this kind lacks).
    pub fn flag(&self, field: Field) -> bool {
        match self {
            Form::Incoming(f) => f.flag(field),
            Form::Outgoing(f) => f.flag(field),
        }
    }

    /// Sets a toggle; ignored for other fields.
    pub fn set_flag(&mut self, field: Field, value: bool) {
        match self {
            Form::Incoming(f) => f.set_flag(field, value),
            Form::Outgoing(f) => f.set_flag(field, value),
        }
    }

    /// Whether the field holds text in this kind.
    pub fn is_text(&self, field: Field) -> bool {
        match self {
            Form::Incoming(f) => f.is_text(field),
            Form::Outgoing(f) => f.is_text(field),
        }
    }

    /// Whether the field is a toggle of this kind.
    pub fn is_flag(&self, field: Field) -> bool {
        match self {
            Form::Incoming(f) => f.is_flag(field),
            Form::Outgoing(f) => f.is_flag(field),
        }
    }

    /// `_id` when editing, `None` for a new integration.
    pub fn id(&self) -> Option<&str> {
        match self {
            Form::Incoming(f) => f.id.as_deref(),
            Form::Outgoing(f) => f.id.as_deref(),
        }
    }
}
