//! Channel lists: the comma text of the form and the arrays the server stores (spec §3.5).

/// The three outgoing-only keywords that watch many rooms at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChannelKeyword {
    /// `all_public_channels` (own permission suffices).
    AllPublicChannels,
    /// `all_private_groups` (needs `manage-outgoing-integrations`).
    AllPrivateGroups,
    /// `all_direct_messages` (needs `manage-outgoing-integrations`).
    AllDirectMessages,
}

impl ChannelKeyword {
    /// All three keywords.
    pub const ALL: [ChannelKeyword; 3] = [
        ChannelKeyword::AllPublicChannels,
        ChannelKeyword::AllPrivateGroups,
        ChannelKeyword::AllDirectMessages,
    ];

    /// The keyword as the server expects it (lower case).
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKeyword::AllPublicChannels => "all_public_channels",
            ChannelKeyword::AllPrivateGroups => "all_private_groups",
            ChannelKeyword::AllDirectMessages => "all_direct_messages",
        }
    }

    /// The keyword written exactly (the server's permission step is case-sensitive).
    pub fn parse(entry: &str) -> Option<ChannelKeyword> {
        Self::ALL.into_iter().find(|k| k.as_str() == entry)
    }

    /// The keyword in any letter case, to point out a wrong case.
    pub fn parse_any_case(entry: &str) -> Option<ChannelKeyword> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(entry))
    }
}

/// What one comma-separated entry is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChannelEntry {
    /// `#name` or `#id`; the name may be empty (`"#"` alone).
    Room(String),
    /// `@username` or `@id`; the name may be empty.
    User(String),
    /// One of the outgoing keywords, written exactly.
    Keyword(ChannelKeyword),
    /// Nothing between two commas.
    Empty,
    /// Anything else, kept as written.
    Invalid(String),
}

/// Splits comma text into trimmed entries, keeping empty ones (incoming rejects them).
pub fn split(text: &str) -> Vec<&str> {
    text.split(',').map(str::trim).collect()
}

/// Classifies one trimmed entry.
pub fn classify(entry: &str) -> ChannelEntry {
    if entry.is_empty() {
        ChannelEntry::Empty
    } else if let Some(name) = entry.strip_prefix('#') {
        ChannelEntry::Room(name.to_owned())
    } else if let Some(name) = entry.strip_prefix('@') {
        ChannelEntry::User(name.to_owned())
    } else if let Some(k) = ChannelKeyword::parse(entry) {
        ChannelEntry::Keyword(k)
    } else {
        ChannelEntry::Invalid(entry.to_owned())
    }
}

/// Splits and classifies comma text.
pub fn parse(text: &str) -> Vec<ChannelEntry> {
    split(text).into_iter().map(classify).collect()
}

/// Joins stored entries for the edit field, as the official UI does (`", "`).
pub fn join(entries: &[String]) -> String {
    entries.join(", ")
}

/// Trimmed non-empty entries joined with `", "`: the string sent to the server.
pub fn normalize(text: &str) -> String {
    split(text)
        .into_iter()
        .filter(|e| !e.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}
