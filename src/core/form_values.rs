//! Form values read and written by [`Field`], so one data-driven view and the local drafts
//! handle every field of both kinds without code per field.

use super::field::Field;
use super::form::{Form, IncomingForm, OutgoingForm};

/// One table per kind and value type, expanded into a shared (`&`) and an exclusive
/// (`&mut`) reader so the field-to-member mapping is written once.
macro_rules! table {
    ($read:ident, $write:ident, $form:ty, $ty:ty, { $($field:ident => $member:ident),* $(,)? }) => {
        fn $read(f: &$form, field: Field) -> Option<&$ty> {
            Some(match field {
                $(Field::$field => &f.$member,)*
                _ => return None,
            })
        }
        fn $write(f: &mut $form, field: Field) -> Option<&mut $ty> {
            Some(match field {
                $(Field::$field => &mut f.$member,)*
                _ => return None,
            })
        }
    };
}

table!(incoming_text, incoming_text_mut, IncomingForm, String, {
    Name => name, Channel => channel, PostAs => username, Alias => alias, Avatar => avatar,
    Emoji => emoji, ScriptEngine => script_engine, Script => script,
});
table!(incoming_flag, incoming_flag_mut, IncomingForm, bool, {
    Enabled => enabled, OverrideDestination => override_destination,
    ScriptEnabled => script_enabled, SkipTranspile => skip_transpile,
});
table!(outgoing_text, outgoing_text_mut, OutgoingForm, String, {
    Name => name, Event => event, Channel => channel, TriggerWords => trigger_words,
    TargetRoom => target_room, Urls => urls, PostAs => username, Alias => alias,
    Avatar => avatar, Emoji => emoji, Token => token, ScriptEngine => script_engine,
    Script => script, RetryCount => retry_count, RetryDelay => retry_delay,
});
table!(outgoing_flag, outgoing_flag_mut, OutgoingForm, bool, {
    Enabled => enabled, ImpersonateUser => impersonate_user, ScriptEnabled => script_enabled,
    SkipTranspile => skip_transpile, RetryFailedCalls => retry_failed_calls,
    TriggerWordAnywhere => trigger_word_anywhere, RunOnEdits => run_on_edits,
    OverrideDestination => override_destination,
});

/// Reading a form's values by [`Field`]: what request bodies and drafts use.
pub trait Values {
    /// The text of a text field (empty for toggles and fields this kind lacks).
    fn text(&self, field: Field) -> &str;
    /// The value of a toggle (false for text fields and fields this kind lacks).
    fn flag(&self, field: Field) -> bool;
}

impl Values for IncomingForm {
    fn text(&self, field: Field) -> &str {
        incoming_text(self, field).map_or("", String::as_str)
    }

    fn flag(&self, field: Field) -> bool {
        incoming_flag(self, field).copied().unwrap_or(false)
    }
}

impl Values for OutgoingForm {
    fn text(&self, field: Field) -> &str {
        outgoing_text(self, field).map_or("", String::as_str)
    }

    fn flag(&self, field: Field) -> bool {
        outgoing_flag(self, field).copied().unwrap_or(false)
    }
}

impl Form {
    fn text_ref(&self, field: Field) -> Option<&String> {
        match self {
            Form::Incoming(f) => incoming_text(f, field),
            Form::Outgoing(f) => outgoing_text(f, field),
        }
    }

    fn flag_ref(&self, field: Field) -> Option<&bool> {
        match self {
            Form::Incoming(f) => incoming_flag(f, field),
            Form::Outgoing(f) => outgoing_flag(f, field),
        }
    }

    /// The text of a text field (empty for toggles and fields this kind lacks).
    pub fn text(&self, field: Field) -> &str {
        self.text_ref(field).map_or("", String::as_str)
    }

    /// Replaces the text of a text field; ignored for other fields.
    pub fn set_text(&mut self, field: Field, value: String) {
        let slot = match self {
            Form::Incoming(f) => incoming_text_mut(f, field),
            Form::Outgoing(f) => outgoing_text_mut(f, field),
        };
        if let Some(slot) = slot {
            *slot = value;
        }
    }

    /// The value of a toggle (false for text fields and fields this kind lacks).
    pub fn flag(&self, field: Field) -> bool {
        self.flag_ref(field).copied().unwrap_or(false)
    }

    /// Sets a toggle; ignored for other fields.
    pub fn set_flag(&mut self, field: Field, value: bool) {
        let slot = match self {
            Form::Incoming(f) => incoming_flag_mut(f, field),
            Form::Outgoing(f) => outgoing_flag_mut(f, field),
        };
        if let Some(slot) = slot {
            *slot = value;
        }
    }

    /// Whether the field holds text in this kind.
    pub fn is_text(&self, field: Field) -> bool {
        self.text_ref(field).is_some()
    }

    /// Whether the field is a toggle of this kind.
    pub fn is_flag(&self, field: Field) -> bool {
        self.flag_ref(field).is_some()
    }

    /// Whether the person must fill the field in (the rules validation applies).
    pub fn requires(&self, field: Field) -> bool {
        match self {
            Form::Incoming(_) => matches!(field, Field::Channel | Field::PostAs),
            Form::Outgoing(f) => {
                let event = f.event();
                match field {
                    Field::Event | Field::Urls | Field::PostAs | Field::Token => true,
                    Field::Channel => event.is_known() && event.uses_channel(),
                    Field::TargetRoom => event.needs_target_room(),
                    Field::RetryCount | Field::RetryDelay => f.retry_failed_calls,
                    _ => false,
                }
            }
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
