//! Trigger tester: would an outgoing webhook fire for a sample message, and on which word?
//! Follows the server's matching (spec §3.7): case-sensitive prefix unless "anywhere",
//! no words fire on every message, edits only with "run on edits".

use super::field::Field;
use super::form::OutgoingForm;
use super::validate::trigger_words;

/// The tester's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// It fires; `word` is the trigger word matched (`None` when there are no words).
    Fires {
        /// The word that matched.
        word: Option<String>,
    },
    /// No trigger word matches.
    NoMatch,
    /// The sample is an edit and "run on edits" is off.
    EditIgnored,
    /// The integration is disabled.
    Disabled,
    /// The event is not `sendMessage`, so messages do not trigger it.
    NotMessageEvent,
}

impl Verdict {
    /// Whether the call would be made.
    pub fn fires(&self) -> bool {
        matches!(self, Verdict::Fires { .. })
    }

    /// The verdict in plain words.
    pub fn explain(&self) -> String {
        match self {
            Verdict::Fires { word: Some(w) } => format!("Fires on the trigger word “{w}”."),
            Verdict::Fires { word: None } => {
                "Fires: with no trigger words, every message fires.".to_owned()
            }
            Verdict::NoMatch => "Does not fire: no trigger word matches.".to_owned(),
            Verdict::EditIgnored => {
                "Does not fire: this is an edit and “Run on edits” is off.".to_owned()
            }
            Verdict::Disabled => "Does not fire: the integration is disabled.".to_owned(),
            Verdict::NotMessageEvent => {
                "Messages do not trigger this event; only “Message sent” uses trigger words."
                    .to_owned()
            }
        }
    }
}

/// The first word that matches `text`: a prefix, or anywhere when `anywhere` is set.
pub fn matching_word<'a>(words: &'a [String], anywhere: bool, text: &str) -> Option<&'a str> {
    words
        .iter()
        .map(String::as_str)
        .filter(|w| !w.is_empty())
        .find(|w| {
            if anywhere {
                text.contains(w)
            } else {
                text.starts_with(w)
            }
        })
}

/// Tests the form as currently typed against a sample message.
pub fn test(form: &OutgoingForm, text: &str, edited: bool) -> Verdict {
    if !form.flag(Field::Enabled) {
        return Verdict::Disabled;
    }
    if !form.event().uses_trigger_words() {
        return Verdict::NotMessageEvent;
    }
    if edited && !form.flag(Field::RunOnEdits) {
        return Verdict::EditIgnored;
    }
    let words = trigger_words(form.text(Field::TriggerWords));
    if words.is_empty() {
        return Verdict::Fires { word: None };
    }
    match matching_word(&words, form.flag(Field::TriggerWordAnywhere), text) {
        Some(w) => Verdict::Fires {
            word: Some(w.to_owned()),
        },
        None => Verdict::NoMatch,
    }
}
