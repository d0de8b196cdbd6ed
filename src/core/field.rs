//! Every field of both integration forms, declared once: one row per field in [`fields!`]
//! gives its DOM id, label, API key, how the form holds it, which kinds and events show it,
//! how a request body carries it, its value in a new form and how it is read from a stored
//! integration. Form state, validation messages, request bodies, drafts, error mapping and
//! the page layouts all read these rows: a new field is a row here, its rule in
//! `validate.rs` and its place in a page layout.

use super::model::{Kind, OutgoingEvent};
use super::retry::RetryDelay;
use super::version::Features;

/// How the form holds a field's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// Text as typed (also selects and lists edited as text).
    Text,
    /// A toggle.
    Flag,
}

/// The integration kinds whose form shows a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kinds {
    /// Both kinds.
    Both,
    /// Incoming webhooks only.
    Incoming,
    /// Outgoing webhooks only.
    Outgoing,
}

impl Kinds {
    /// Whether `kind` is among these.
    pub fn has(self, kind: Kind) -> bool {
        match self {
            Kinds::Both => true,
            Kinds::Incoming => kind == Kind::Incoming,
            Kinds::Outgoing => kind == Kind::Outgoing,
        }
    }
}

/// The outgoing events a field applies to (incoming forms have no event).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Events {
    /// Every event.
    All,
    /// Events that watch channels (unknown events are assumed to).
    Watching,
    /// Events with trigger words (`sendMessage`).
    Messages,
    /// Events that post to a target room (`userCreated`).
    TargetRoom,
}

impl Events {
    /// Whether `event` is among these.
    pub fn has(self, event: &OutgoingEvent) -> bool {
        match self {
            Events::All => true,
            Events::Watching => event.uses_channel(),
            Events::Messages => event.uses_trigger_words(),
            Events::TargetRoom => event.needs_target_room(),
        }
    }
}

/// What else a field needs to show: a server feature, or another toggle switched on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    /// Nothing else.
    Nothing,
    /// A server that accepts `scriptEngine` (the body omits it otherwise).
    ScriptEngine,
    /// A server that accepts `skipTranspile` (the body omits it otherwise).
    SkipTranspile,
    /// "Retry failed calls" switched on (shown only then; sent whenever well-formed).
    Retrying,
}

impl Needs {
    /// Whether the server allows the key in a request body.
    pub fn server_accepts(self, features: &Features) -> bool {
        match self {
            Needs::ScriptEngine => features.script_engine,
            Needs::SkipTranspile => features.skip_transpile,
            Needs::Nothing | Needs::Retrying => true,
        }
    }
}

/// How a create or update body carries a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Send {
    /// Always, as a string.
    Text,
    /// A string; create leaves it out when empty, update sends `""` to clear it.
    Optional,
    /// A string, left out when empty (never meant as "clear").
    IfSet,
    /// Always, as a boolean.
    Flag,
    /// An array of the non-empty lines.
    Lines,
    /// An array of the comma-separated words, only for events with trigger words.
    Words,
    /// A number, left out when empty.
    Count,
}

/// A new form's value of a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// Empty text, or a toggle switched off.
    Empty,
    /// A toggle switched on.
    On,
    /// This text.
    Text(&'static str),
    /// The default script sandbox.
    Engine,
    /// The fresh token the caller made (outgoing forms).
    Token,
}

/// How the form reads a field from a stored integration's document, under the row's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    /// A string; empty when missing.
    Text,
    /// A string, else the string under this older key; empty when neither.
    TextOr(&'static str),
    /// A string; the new-form value when missing (servers before 6.4 store no sandbox).
    OrNew,
    /// Channel entries (an array or an old comma string), joined with `", "`.
    Channels,
    /// Words (an array or a comma string), joined with `", "`.
    Words,
    /// A list of strings, one per line.
    Lines,
    /// A whole number as text; empty when missing.
    Number,
    /// A boolean; `false` when missing, as the server treats it (never the new-form value).
    Flag,
}

/// Which label a field has: the same in both kinds, or one per kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    /// One label.
    Same(&'static str),
    /// The incoming label, then the outgoing one.
    PerKind(&'static str, &'static str),
}

/// One row of the field table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spec {
    /// Stable DOM id of the field's control.
    pub id: &'static str,
    /// Visible label, in sentence case.
    pub label: Label,
    /// The JSON property the server uses.
    pub key: &'static str,
    /// How the form holds the value.
    pub input: Input,
    /// The kinds whose form shows it.
    pub kinds: Kinds,
    /// The outgoing events it applies to.
    pub events: Events,
    /// What else it needs to show.
    pub needs: Needs,
    /// How a request body carries it.
    pub send: Send,
    /// The value of a new form.
    pub start: Start,
    /// How a stored integration's value is read.
    pub read: Read,
}

/// Declares [`Field`], [`Field::ALL`] in row order and [`Field::spec`] from one table.
macro_rules! fields {
    ($( $(#[$doc:meta])* $name:ident => $id:literal, $label:expr, $key:literal,
        $input:ident, $kinds:ident, $events:ident, $needs:ident, $send:ident,
        $start:expr, $read:expr; )*) => {
        /// One field of an integration form; problems and server errors point at these.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Field {
            $( $(#[$doc])* $name, )*
        }

        impl Field {
            /// Every field, in form order (the order of an error summary).
            pub const ALL: [Field; Field::COUNT] = [$(Field::$name),*];

            /// How many fields there are.
            pub const COUNT: usize = [$(stringify!($name)),*].len();

            /// The field's row of the table.
            pub fn spec(self) -> Spec {
                match self {
                    $(Field::$name => Spec {
                        id: $id,
                        label: $label,
                        key: $key,
                        input: Input::$input,
                        kinds: Kinds::$kinds,
                        events: Events::$events,
                        needs: Needs::$needs,
                        send: Send::$send,
                        start: $start,
                        read: $read,
                    },)*
                }
            }
        }
    };
}

use Label::{PerKind, Same};
use Read::{Channels, Lines, Number, OrNew, TextOr, Words};
use Start::{Empty, Engine, On};

fields! {
    /// Whether the integration runs.
    Enabled => "field-enabled", Same("Enabled"), "enabled", Flag, Both, All, Nothing, Flag, On, Read::Flag;
    /// Display name in the list.
    Name => "field-name", Same("Name"), "name", Text, Both, All, Nothing, Text, Empty, Read::Text;
    /// Outgoing event trigger.
    Event => "field-event", Same("Event trigger"), "event", Text, Outgoing, All, Nothing, Text, Start::Text("sendMessage"), Read::Text;
    /// Incoming target / outgoing watched channels.
    Channel => "field-channel", PerKind("Post to", "Channel"), "channel", Text, Both, Watching, Nothing, Text, Empty, Channels;
    /// Outgoing trigger words (sendMessage).
    TriggerWords => "field-trigger-words", Same("Trigger words"), "triggerWords", Text, Outgoing, Messages, Nothing, Words, Empty, Words;
    /// Outgoing target room (userCreated).
    TargetRoom => "field-target-room", Same("Target room"), "targetRoom", Text, Outgoing, TargetRoom, Nothing, Optional, Empty, Read::Text;
    /// Outgoing URLs, one per line.
    Urls => "field-urls", Same("URLs"), "urls", Text, Outgoing, All, Nothing, Lines, Empty, Lines;
    /// Outgoing: post answers as the message author.
    ImpersonateUser => "field-impersonate-user", Same("Impersonate user"), "impersonateUser", Flag, Outgoing, All, Nothing, Flag, Empty, Read::Flag;
    /// The user the integration posts as (`username`).
    PostAs => "field-post-as", Same("Post as"), "username", Text, Both, All, Nothing, Text, Empty, Read::Text;
    /// Alias shown before the username.
    Alias => "field-alias", Same("Alias"), "alias", Text, Both, All, Nothing, Optional, Empty, Read::Text;
    /// Avatar image URL.
    Avatar => "field-avatar", Same("Avatar URL"), "avatar", Text, Both, All, Nothing, Optional, Empty, TextOr(OLD_AVATAR_KEY);
    /// Emoji used as avatar.
    Emoji => "field-emoji", Same("Emoji"), "emoji", Text, Both, All, Nothing, Optional, Empty, Read::Text;
    /// Outgoing token sent to the remote service.
    Token => "field-token", Same("Token"), "token", Text, Outgoing, All, Nothing, Text, Start::Token, Read::Text;
    /// Incoming: let payloads choose the channel (outgoing keeps it hidden for 6.3 updates).
    OverrideDestination => "field-override-destination", Same("Override destination channel"), "overrideDestinationChannelEnabled", Flag, Incoming, All, Nothing, Flag, Empty, Read::Flag;
    /// Whether the script runs.
    ScriptEnabled => "field-script-enabled", Same("Script enabled"), "scriptEnabled", Flag, Both, All, Nothing, Flag, Empty, Read::Flag;
    /// Script sandbox.
    ScriptEngine => "field-script-engine", Same("Script sandbox"), "scriptEngine", Text, Both, All, ScriptEngine, Text, Engine, OrNew;
    /// Script source.
    Script => "field-script", Same("Script"), "script", Text, Both, All, Nothing, Optional, Empty, Read::Text;
    /// Skip Babel transpilation (8.4–8.x).
    SkipTranspile => "field-skip-transpile", Same("Skip transpilation"), "skipTranspile", Flag, Both, All, SkipTranspile, Flag, Empty, Read::Flag;
    /// Outgoing: retry failed calls.
    RetryFailedCalls => "field-retry-failed-calls", Same("Retry failed calls"), "retryFailedCalls", Flag, Outgoing, All, Nothing, Flag, On, Read::Flag;
    /// Outgoing: how many retries.
    RetryCount => "field-retry-count", Same("Retry count"), "retryCount", Text, Outgoing, All, Retrying, Count, Start::Text("6"), Number;
    /// Outgoing: retry schedule.
    RetryDelay => "field-retry-delay", Same("Retry delay"), "retryDelay", Text, Outgoing, All, Retrying, IfSet, Start::Text(RetryDelay::PowersOfTen.as_str()), Read::Text;
    /// Outgoing: trigger word anywhere in the message.
    TriggerWordAnywhere => "field-trigger-word-anywhere", Same("Trigger word anywhere"), "triggerWordAnywhere", Flag, Outgoing, Messages, Nothing, Flag, Empty, Read::Flag;
    /// Outgoing: also fire on edited messages.
    RunOnEdits => "field-run-on-edits", Same("Run on edits"), "runOnEdits", Flag, Outgoing, Messages, Nothing, Flag, On, Read::Flag;
}

/// The old name of the avatar key, still found in stored documents.
pub const OLD_AVATAR_KEY: &str = "avatarUrl";

impl Field {
    /// Stable DOM id of the field's input, e.g. `"field-channel"`.
    pub fn id(self) -> &'static str {
        self.spec().id
    }

    /// The label where the kind is not known: the outgoing one when they differ.
    pub fn label(self) -> &'static str {
        match self.spec().label {
            Label::Same(label) | Label::PerKind(_, label) => label,
        }
    }

    /// The label in a form of this kind (the incoming channel field reads "Post to").
    pub fn label_in(self, kind: Kind) -> &'static str {
        match (self.spec().label, kind) {
            (Label::PerKind(incoming, _), Kind::Incoming) => incoming,
            _ => self.label(),
        }
    }

    /// The JSON property the server uses for this field.
    pub fn api_key(self) -> &'static str {
        self.spec().key
    }

    /// The field a server JSON property belongs to (also the old avatar key).
    pub fn from_api_key(key: &str) -> Option<Field> {
        if key == OLD_AVATAR_KEY {
            return Some(Field::Avatar);
        }
        Field::ALL.into_iter().find(|f| f.api_key() == key)
    }

    /// The field's position in [`Field::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether a form of `kind` holds the field: the kinds that show it, and outgoing forms
    /// also keep the hidden override flag (6.3 update schemas require it).
    pub fn held_by(self, kind: Kind) -> bool {
        self.spec().kinds.has(kind) || self == Field::OverrideDestination
    }

    /// Whether a form of `kind` shows the field for `event` on this server (rules that need
    /// the form's values, such as [`Needs::Retrying`], are the form's).
    pub fn applies(self, kind: Kind, event: Option<&OutgoingEvent>, features: &Features) -> bool {
        let spec = self.spec();
        spec.kinds.has(kind)
            && event.is_none_or(|e| spec.events.has(e))
            && spec.needs.server_accepts(features)
    }
}
