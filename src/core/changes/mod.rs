//! Safe changes (issue 15): what an edit changes, which changes can break a live webhook, a
//! line diff of the script, merging with a copy someone else saved meanwhile, and rotating an
//! incoming webhook's token by copying it.
//!
//! Everything reads forms through [`Form::text`]/[`Form::flag`] by [`Field`], so it follows
//! whatever fields a form has without code per kind.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub mod lines;
pub mod merge;
pub mod rotate;
pub mod view;

use super::channels;
use super::field::Field;
use super::form::Form;
use super::model::{Integration, OutgoingEvent};
use super::retry::RetryDelay;

use lines::LineDiff;

/// Whether a change can stop a live webhook from working or send its traffic elsewhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Impact {
    /// Can break a live webhook; the text says how, in plain words.
    Breaking(&'static str),
    /// Cannot stop deliveries on its own (names, looks, retry tuning, widening a trigger).
    Cosmetic,
}

impl Impact {
    /// Whether this is [`Impact::Breaking`].
    pub fn is_breaking(self) -> bool {
        matches!(self, Impact::Breaking(_))
    }
}

/// One changed field, with its old and new values as they should be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    /// The field.
    pub field: Field,
    /// Its label in this kind of form.
    pub label: &'static str,
    /// Value before, for display (tokens masked, empties spelled out).
    pub old: String,
    /// Value after, for display.
    pub new: String,
    /// Breaking or cosmetic.
    pub impact: Impact,
}

/// Everything a review before save shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    /// Changed fields in form order (the script included, summarised).
    pub changes: Vec<FieldChange>,
    /// Line diff of the script, when the script text changed.
    pub script: Option<LineDiff>,
}

impl Review {
    /// Whether Save must show this review first: some change can break the webhook.
    pub fn needs_review(&self) -> bool {
        self.changes.iter().any(|c| c.impact.is_breaking())
    }

    /// The breaking changes only, for the warning at the top of the review.
    pub fn breaking(&self) -> impl Iterator<Item = &FieldChange> {
        self.changes.iter().filter(|c| c.impact.is_breaking())
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// The review of an edit: `before` is the form as it opened (see [`review_stored`]), `after`
/// the form as edited.
pub fn review(before: &Form, after: &Form) -> Review {
    let changes = changes(before, after);
    let script = changes
        .iter()
        .any(|c| c.field == Field::Script)
        .then(|| lines::diff(before.text(Field::Script), after.text(Field::Script)));
    Review { changes, script }
}

/// The review of an edit against the stored integration it was opened from.
pub fn review_stored(stored: &Integration, after: &Form) -> Review {
    review(&Form::from_stored(stored), after)
}

/// Every field whose saved value would change, in form order.
pub fn changes(before: &Form, after: &Form) -> Vec<FieldChange> {
    changed_fields(before, after)
        .into_iter()
        .map(|field| FieldChange {
            field,
            label: field.label_in(after.kind()),
            old: display(before, field),
            new: display(after, field),
            impact: impact(field, before, after),
        })
        .collect()
}

/// The fields whose saved value differs (whitespace the server drops does not count).
pub fn changed_fields(before: &Form, after: &Form) -> Vec<Field> {
    Field::ALL
        .into_iter()
        .filter(|&f| has_field(before, f) || has_field(after, f))
        .filter(|&f| value(before, f) != value(after, f))
        .collect()
}

/// Whether the form of this kind holds the field at all.
pub(crate) fn has_field(form: &Form, field: Field) -> bool {
    form.is_text(field) || form.is_flag(field)
}

/// A field's value as it would be saved, for comparing: lists normalised, single-line
/// values trimmed; names, aliases, tokens and scripts compared byte for byte.
pub(crate) fn value(form: &Form, field: Field) -> Value {
    if form.is_flag(field) {
        return Value::Flag(form.flag(field));
    }
    let text = form.text(field);
    Value::Text(match field {
        Field::Channel => channels::normalize(text),
        Field::TriggerWords => split_trimmed(text.split(','), ", "),
        Field::Urls => split_trimmed(text.lines(), "\n"),
        Field::RetryDelay => text.trim().to_lowercase(),
        Field::Name | Field::Alias | Field::Token | Field::Script => text.to_owned(),
        _ => text.trim().to_owned(),
    })
}

/// A comparable field value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value {
    /// A toggle.
    Flag(bool),
    /// Normalised text.
    Text(String),
}

fn split_trimmed<'a>(parts: impl Iterator<Item = &'a str>, sep: &str) -> String {
    parts
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(sep)
}

/// A field's value for display: toggles as On/Off, events and schedules by label, tokens
/// masked, the script as a line count, empty text as "(empty)".
pub fn display(form: &Form, field: Field) -> String {
    let v = value(form, field);
    let text = match v {
        Value::Flag(true) => return "On".to_owned(),
        Value::Flag(false) => return "Off".to_owned(),
        Value::Text(t) => t,
    };
    if text.is_empty() {
        return "(empty)".to_owned();
    }
    match field {
        Field::Token => mask(&text),
        Field::Event => OutgoingEvent::parse(&text).label().to_owned(),
        Field::RetryDelay => RetryDelay::parse(&text).map_or(text, |d| d.label().to_owned()),
        Field::Script => match text.lines().count() {
            1 => "1 line".to_owned(),
            n => format!("{n} lines"),
        },
        _ => text,
    }
}

/// A secret for display: its length and last four characters, never the whole of it.
pub fn mask(secret: &str) -> String {
    let n = secret.chars().count();
    if n < 12 {
        return format!("hidden ({n} characters)");
    }
    let tail: String = secret.chars().skip(n - 4).collect();
    format!("hidden ({n} characters, ending …{tail})")
}

/// Breaking or cosmetic: breaking when something that worked may stop working or go
/// elsewhere (UI spec §6.4).
pub fn impact(field: Field, before: &Form, after: &Form) -> Impact {
    let turned_off = before.flag(field) && !after.flag(field);
    match field {
        Field::Channel if after.kind() == super::model::Kind::Incoming => {
            Impact::Breaking("Messages will be posted to other rooms.")
        }
        Field::Channel => Impact::Breaking("Other rooms will be watched."),
        Field::TargetRoom => Impact::Breaking("Results will be posted to another room."),
        Field::PostAs => Impact::Breaking(
            "Messages will be posted as another user, who must be a member of every room.",
        ),
        Field::ImpersonateUser => Impact::Breaking("Answers will be posted by another user."),
        Field::Urls => Impact::Breaking("Other addresses will be called."),
        Field::Token => Impact::Breaking(
            "The receiving service must be given the new token, or it rejects calls.",
        ),
        Field::Event => Impact::Breaking("The webhook will fire on another event."),
        Field::TriggerWords => {
            Impact::Breaking("Messages that fired the webhook before may no longer fire it.")
        }
        Field::ScriptEnabled => {
            Impact::Breaking("Every payload will be handled differently (script on or off).")
        }
        Field::ScriptEngine => {
            Impact::Breaking("The script will run in another sandbox, with other features.")
        }
        Field::Script if after.flag(Field::ScriptEnabled) => {
            Impact::Breaking("The new script handles every payload; check it before saving.")
        }
        Field::Enabled if turned_off => Impact::Breaking("The webhook will stop working."),
        Field::RetryFailedCalls if turned_off => {
            Impact::Breaking("Failed calls will no longer be tried again.")
        }
        Field::OverrideDestination if turned_off => {
            Impact::Breaking("Payloads can no longer choose their channel; they go to the default.")
        }
        Field::TriggerWordAnywhere if turned_off => {
            Impact::Breaking("Trigger words must start the message; others no longer fire it.")
        }
        Field::RunOnEdits if turned_off => {
            Impact::Breaking("Edited messages will no longer fire the webhook.")
        }
        _ => Impact::Cosmetic,
    }
}
