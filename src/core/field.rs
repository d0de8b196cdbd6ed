//! The form fields shared by both integration kinds, with stable DOM ids and labels.

/// One field of an integration form; problems and server errors point at these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// Whether the integration runs.
    Enabled,
    /// Display name in the list.
    Name,
    /// Outgoing event trigger.
    Event,
    /// Incoming target / outgoing watched channels.
    Channel,
    /// Outgoing trigger words (sendMessage).
    TriggerWords,
    /// Outgoing target room (userCreated).
    TargetRoom,
    /// Outgoing URLs, one per line.
    Urls,
    /// Outgoing: post answers as the message author.
    ImpersonateUser,
    /// The user the integration posts as (`username`).
    PostAs,
    /// Alias shown before the username.
    Alias,
    /// Avatar image URL.
    Avatar,
    /// Emoji used as avatar.
    Emoji,
    /// Outgoing token sent to the remote service.
    Token,
    /// Incoming: let payloads choose the channel.
    OverrideDestination,
    /// Whether the script runs.
    ScriptEnabled,
    /// Script sandbox.
    ScriptEngine,
    /// Script source.
    Script,
    /// Skip Babel transpilation (8.4–8.x).
    SkipTranspile,
    /// Outgoing: retry failed calls.
    RetryFailedCalls,
    /// Outgoing: how many retries.
    RetryCount,
    /// Outgoing: retry schedule.
    RetryDelay,
    /// Outgoing: trigger word anywhere in the message.
    TriggerWordAnywhere,
    /// Outgoing: also fire on edited messages.
    RunOnEdits,
}

impl Field {
    /// Every field, in form order (the order of an error summary).
    pub const ALL: [Field; 23] = [
        Field::Enabled,
        Field::Name,
        Field::Event,
        Field::Channel,
        Field::TriggerWords,
        Field::TargetRoom,
        Field::Urls,
        Field::ImpersonateUser,
        Field::PostAs,
        Field::Alias,
        Field::Avatar,
        Field::Emoji,
        Field::Token,
        Field::OverrideDestination,
        Field::ScriptEnabled,
        Field::ScriptEngine,
        Field::Script,
        Field::SkipTranspile,
        Field::RetryFailedCalls,
        Field::RetryCount,
        Field::RetryDelay,
        Field::TriggerWordAnywhere,
        Field::RunOnEdits,
    ];

    /// Stable DOM id of the field's input, e.g. `"field-channel"`.
    pub fn id(self) -> &'static str {
        match self {
            Field::Enabled => "field-enabled",
            Field::Name => "field-name",
            Field::Event => "field-event",
            Field::Channel => "field-channel",
            Field::TriggerWords => "field-trigger-words",
            Field::TargetRoom => "field-target-room",
            Field::Urls => "field-urls",
            Field::ImpersonateUser => "field-impersonate-user",
            Field::PostAs => "field-post-as",
            Field::Alias => "field-alias",
            Field::Avatar => "field-avatar",
            Field::Emoji => "field-emoji",
            Field::Token => "field-token",
            Field::OverrideDestination => "field-override-destination",
            Field::ScriptEnabled => "field-script-enabled",
            Field::ScriptEngine => "field-script-engine",
            Field::Script => "field-script",
            Field::SkipTranspile => "field-skip-transpile",
            Field::RetryFailedCalls => "field-retry-failed-calls",
            Field::RetryCount => "field-retry-count",
            Field::RetryDelay => "field-retry-delay",
            Field::TriggerWordAnywhere => "field-trigger-word-anywhere",
            Field::RunOnEdits => "field-run-on-edits",
        }
    }

    /// Visible label, in sentence case.
    pub fn label(self) -> &'static str {
        match self {
            Field::Enabled => "Enabled",
            Field::Name => "Name",
            Field::Event => "Event trigger",
            Field::Channel => "Channel",
            Field::TriggerWords => "Trigger words",
            Field::TargetRoom => "Target room",
            Field::Urls => "URLs",
            Field::ImpersonateUser => "Impersonate user",
            Field::PostAs => "Post as",
            Field::Alias => "Alias",
            Field::Avatar => "Avatar URL",
            Field::Emoji => "Emoji",
            Field::Token => "Token",
            Field::OverrideDestination => "Override destination channel",
            Field::ScriptEnabled => "Script enabled",
            Field::ScriptEngine => "Script sandbox",
            Field::Script => "Script",
            Field::SkipTranspile => "Skip transpilation",
            Field::RetryFailedCalls => "Retry failed calls",
            Field::RetryCount => "Retry count",
            Field::RetryDelay => "Retry delay",
            Field::TriggerWordAnywhere => "Trigger word anywhere",
            Field::RunOnEdits => "Run on edits",
        }
    }

    /// The JSON property the server uses for this field.
    pub fn api_key(self) -> &'static str {
        match self {
            Field::Enabled => "enabled",
            Field::Name => "name",
            Field::Event => "event",
            Field::Channel => "channel",
            Field::TriggerWords => "triggerWords",
            Field::TargetRoom => "targetRoom",
            Field::Urls => "urls",
            Field::ImpersonateUser => "impersonateUser",
            Field::PostAs => "username",
            Field::Alias => "alias",
            Field::Avatar => "avatar",
            Field::Emoji => "emoji",
            Field::Token => "token",
            Field::OverrideDestination => "overrideDestinationChannelEnabled",
            Field::ScriptEnabled => "scriptEnabled",
            Field::ScriptEngine => "scriptEngine",
            Field::Script => "script",
            Field::SkipTranspile => "skipTranspile",
            Field::RetryFailedCalls => "retryFailedCalls",
            Field::RetryCount => "retryCount",
            Field::RetryDelay => "retryDelay",
            Field::TriggerWordAnywhere => "triggerWordAnywhere",
            Field::RunOnEdits => "runOnEdits",
        }
    }

    /// The field a server JSON property belongs to (`avatarUrl` is the old avatar key).
    pub fn from_api_key(key: &str) -> Option<Field> {
        if key == "avatarUrl" {
            return Some(Field::Avatar);
        }
        Field::ALL.iter().copied().find(|f| f.api_key() == key)
    }
}
