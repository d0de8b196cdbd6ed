//! Client-side validation of every spec §3 rule a browser can check. A form that passes
//! becomes a [`ValidIncoming`]/[`ValidOutgoing`], the only input request building accepts.

use super::channels::{self, ChannelEntry, ChannelKeyword};
use super::engine::ScriptEngine;
use super::field::Field;
use super::form::{Form, IncomingForm, OutgoingForm};
use super::form_values::Values;
use super::model::{Kind, OutgoingEvent};
use super::permissions::Permissions;
use super::retry::RetryDelay;
use super::token;
use super::urls::{self, UrlParser, WebAddress};
use super::version::Features;

/// Longest alias the server's `validateAlias` accepts (UTF-16 units, like JavaScript).
pub const ALIAS_MAX: usize = 60;

/// A blocking problem in one field, with what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The field concerned.
    pub field: Field,
    /// The kind of the form, for the field's label.
    pub kind: Kind,
    /// What is wrong and how to fix it, in plain words.
    pub message: String,
}

impl Problem {
    /// `"Label: message"` with the form's label, for an error summary that links to the field.
    pub fn summary(&self) -> String {
        format!("{}: {}", self.field.label_in(self.kind), self.message)
    }
}

/// A non-blocking remark, shown apart from problems.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The field concerned.
    pub field: Field,
    /// The remark, in plain words.
    pub message: String,
}

/// Result of validation: the valid value or the problems (at most one per field, in form
/// order), plus warnings either way.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked<T> {
    /// The valid value, or every problem found.
    pub result: Result<T, Vec<Problem>>,
    /// Warnings, whether or not the form is valid.
    pub warnings: Vec<Warning>,
}

impl<T> Checked<T> {
    /// Whether the form may be saved.
    pub fn is_ok(&self) -> bool {
        self.result.is_ok()
    }

    /// All problems (empty when valid).
    pub fn problems(&self) -> &[Problem] {
        match &self.result {
            Ok(_) => &[],
            Err(p) => p,
        }
    }

    /// The problem of one field, for its inline message.
    pub fn problem_for(&self, field: Field) -> Option<&Problem> {
        self.problems().iter().find(|p| p.field == field)
    }

    /// The warnings of one field.
    pub fn warnings_for(&self, field: Field) -> impl Iterator<Item = &Warning> {
        self.warnings.iter().filter(move |w| w.field == field)
    }
}

/// What validation needs besides the form.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// What the server accepts.
    pub features: Features,
    /// The caller's permissions, `None` when unknown (permission rules are then skipped).
    pub permissions: Option<&'a Permissions>,
    /// The browser's URL parser (or a test double).
    pub urls: &'a dyn UrlParser,
}

/// A validated incoming webhook, ready for [`crate::core::request::save`]: the form with
/// its values normalised as they are sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidIncoming {
    pub(crate) features: Features,
    pub(crate) form: IncomingForm,
}

/// A validated outgoing webhook, ready for [`crate::core::request::save`]: the form with
/// its values normalised as they are sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidOutgoing {
    pub(crate) features: Features,
    pub(crate) form: OutgoingForm,
}

impl ValidOutgoing {
    /// The event.
    pub fn event(&self) -> OutgoingEvent {
        self.form.event()
    }

    /// Normalised trigger words (sendMessage only).
    pub fn trigger_words(&self) -> Vec<String> {
        if self.event().uses_trigger_words() {
            trigger_words(self.form.text(Field::TriggerWords))
        } else {
            Vec::new()
        }
    }

    /// Normalised URLs.
    pub fn urls(&self) -> Vec<String> {
        url_lines(self.form.text(Field::Urls))
    }
}

/// A validated form of either kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Valid {
    /// Incoming.
    Incoming(ValidIncoming),
    /// Outgoing.
    Outgoing(ValidOutgoing),
}

impl Valid {
    /// Kind saved.
    pub fn kind(&self) -> Kind {
        match self {
            Valid::Incoming(_) => Kind::Incoming,
            Valid::Outgoing(_) => Kind::Outgoing,
        }
    }

    /// `_id` when this is an update.
    pub fn id(&self) -> Option<&str> {
        match self {
            Valid::Incoming(v) => v.form.id.as_deref(),
            Valid::Outgoing(v) => v.form.id.as_deref(),
        }
    }
}

/// Collects problems (first per field wins) and warnings of one kind's form.
struct Collector {
    kind: Kind,
    problems: Vec<Problem>,
    warnings: Vec<Warning>,
}

impl Collector {
    fn new(kind: Kind) -> Collector {
        Collector {
            kind,
            problems: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn problem(&mut self, field: Field, message: impl Into<String>) {
        if !self.problems.iter().any(|p| p.field == field) {
            self.problems.push(Problem {
                field,
                kind: self.kind,
                message: message.into(),
            });
        }
    }

    fn check(&mut self, field: Field, outcome: Result<(), String>) {
        if let Err(m) = outcome {
            self.problem(field, m);
        }
    }

    fn warn(&mut self, field: Field, message: impl Into<String>) {
        self.warnings.push(Warning {
            field,
            message: message.into(),
        });
    }

    fn finish<T>(mut self, value: T) -> Checked<T> {
        let order = |f: Field| {
            Field::ALL
                .iter()
                .position(|&x| x == f)
                .unwrap_or(usize::MAX)
        };
        self.problems.sort_by_key(|p| order(p.field));
        self.warnings.sort_by_key(|w| order(w.field));
        Checked {
            result: if self.problems.is_empty() {
                Ok(value)
            } else {
                Err(self.problems)
            },
            warnings: self.warnings,
        }
    }
}

/// Validates a form of either kind.
pub fn form(form: &Form, ctx: &Context<'_>) -> Checked<Valid> {
    match form {
        Form::Incoming(f) => {
            let c = incoming(f, ctx);
            Checked {
                result: c.result.map(Valid::Incoming),
                warnings: c.warnings,
            }
        }
        Form::Outgoing(f) => {
            let c = outgoing(f, ctx);
            Checked {
                result: c.result.map(Valid::Outgoing),
                warnings: c.warnings,
            }
        }
    }
}

impl Form {
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
                    Field::RetryCount | Field::RetryDelay => f.flag(Field::RetryFailedCalls),
                    _ => false,
                }
            }
        }
    }
}

/// Validates an incoming webhook form.
pub fn incoming(form: &IncomingForm, ctx: &Context<'_>) -> Checked<ValidIncoming> {
    let mut c = Collector::new(Kind::Incoming);
    let channel = form.text(Field::Channel);
    let post_as = form.text(Field::PostAs);
    name_rule(&mut c, form.text(Field::Name));
    c.check(Field::Channel, incoming_channel(channel));
    channel_permissions(&mut c, Kind::Incoming, channel, ctx.permissions);
    c.check(Field::PostAs, username(post_as));
    if let Some(stored) = &form.stored_username {
        if !ctx.features.post_as_change && stored.trim() != post_as.trim() {
            c.warn(
                Field::PostAs,
                format!(
                    "This server ({}) may ignore a changed Post as user; if it does, delete and recreate the integration.",
                    ctx.features.version_text()
                ),
            );
        }
    }
    look_rules(&mut c, form, ctx.urls);
    let engine = engine_rule(&mut c, &ctx.features, form);
    let mut valid = form.clone();
    valid.set_text(Field::Channel, channels::normalize(channel));
    trim_look(&mut valid);
    valid.set_text(Field::ScriptEngine, engine);
    c.finish(ValidIncoming {
        features: ctx.features,
        form: valid,
    })
}

/// Validates an outgoing webhook form.
pub fn outgoing(form: &OutgoingForm, ctx: &Context<'_>) -> Checked<ValidOutgoing> {
    let mut c = Collector::new(Kind::Outgoing);
    name_rule(&mut c, form.text(Field::Name));
    let event = form.event();
    if form.text(Field::Event).trim().is_empty() {
        c.problem(
            Field::Event,
            "Choose the event that triggers this integration.",
        );
    } else if !event.is_known() {
        c.warn(
            Field::Event,
            format!(
                "hookpanel does not know the event “{}”; servers up to 8.8 refuse it.",
                event.as_str()
            ),
        );
    }
    if let Some(p) = ctx.permissions {
        if let Err(reason) = p.can_use_event(&event) {
            c.problem(Field::Event, reason);
        }
    }

    let channel = if event.uses_channel() {
        let typed = form.text(Field::Channel);
        c.check(
            Field::Channel,
            outgoing_channel(typed, event.is_known(), ctx.permissions),
        );
        channel_permissions(&mut c, Kind::Outgoing, typed, ctx.permissions);
        channels::normalize(typed)
    } else {
        // Events without channel: the server stores [] and accepts "".
        String::new()
    };

    if event.uses_trigger_words() && trigger_words(form.text(Field::TriggerWords)).is_empty() {
        c.warn(
            Field::TriggerWords,
            "With no trigger words, every message in the watched channels is sent to the URLs.",
        );
    }

    let target_room = form.text(Field::TargetRoom).trim().to_owned();
    if event.needs_target_room() {
        if target_room.is_empty() {
            c.problem(
                Field::TargetRoom,
                "Enter the room where the results are posted, for example #welcome.",
            );
        } else if !target_room.starts_with(['#', '@']) {
            c.warn(
                Field::TargetRoom,
                "Target rooms are usually written with # for a room or @ for a user.",
            );
        }
    }

    url_rules(&mut c, &url_lines(form.text(Field::Urls)), ctx.urls);

    c.check(Field::PostAs, username(form.text(Field::PostAs)));
    look_rules(&mut c, form, ctx.urls);

    let token = form.text(Field::Token);
    if token.trim().is_empty() {
        c.problem(
            Field::Token,
            "Enter a token, or generate a random one: the receiving service uses it to check that calls come from Rocket.Chat.",
        );
    } else if !token::is_strong(token) {
        c.warn(
            Field::Token,
            format!(
                "This token is short and could be guessed; generate a random one of {} characters or more.",
                token::MIN_STRONG_LEN
            ),
        );
    }

    let engine = engine_rule(&mut c, &ctx.features, form);

    let (retry_count, retry_delay) = retry_rules(&mut c, form);

    let mut valid = form.clone();
    valid.set_text(Field::Event, event.as_str().to_owned());
    valid.set_text(Field::Channel, channel);
    valid.set_text(Field::TargetRoom, target_room);
    trim_look(&mut valid);
    valid.set_text(Field::ScriptEngine, engine);
    valid.set_text(
        Field::RetryCount,
        retry_count.map(|n| n.to_string()).unwrap_or_default(),
    );
    valid.set_text(Field::RetryDelay, retry_delay.unwrap_or_default());
    c.finish(ValidOutgoing {
        features: ctx.features,
        form: valid,
    })
}

/// Trigger words from comma text: split, trimmed, empties dropped.
pub fn trigger_words(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// URLs from multi-line text: one per line, trimmed, empty lines dropped.
pub fn url_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A blank name is allowed by the server but makes the list hard to use.
fn name_rule(c: &mut Collector, name: &str) {
    if name.trim().is_empty() {
        c.warn(
            Field::Name,
            "Without a name this integration is hard to find in the list.",
        );
    }
}

/// The post-as username: required, without `@`, one word.
pub fn username(text: &str) -> Result<(), String> {
    let t = text.trim();
    if t.is_empty() {
        Err("Enter the username this integration posts as; the user must already exist.".into())
    } else if let Some(rest) = t.strip_prefix('@') {
        Err(format!(
            "Write the username without the @, for example {}.",
            if rest.is_empty() { "rocket.cat" } else { rest }
        ))
    } else if t.contains(|ch: char| ch.is_whitespace() || ch == ',') {
        Err("Enter a single username, without spaces or commas.".into())
    } else {
        Ok(())
    }
}

/// Incoming channel syntax (§3.1 steps 3–4): required, `#`/`@` entries, no empty entries.
pub fn incoming_channel(text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err(
            "Enter where messages are posted: #room for a room or @user for a direct message."
                .into(),
        );
    }
    for entry in channels::split(text) {
        match channels::classify(entry) {
            ChannelEntry::Empty => {
                return Err(
                    "Remove the empty entry: there is a comma with no channel next to it.".into(),
                )
            }
            ChannelEntry::Room(name) | ChannelEntry::User(name)
                if entry_name(entry, &name).is_err() =>
            {
                return entry_name(entry, &name);
            }
            ChannelEntry::Room(_) | ChannelEntry::User(_) => {}
            ChannelEntry::Keyword(_) => {
                return Err(format!(
                    "Incoming webhooks cannot post to “{entry}”. Name a room (#room) or a user (@user)."
                ))
            }
            ChannelEntry::Invalid(raw) => {
                if ChannelKeyword::parse_any_case(&raw).is_some() {
                    return Err(format!(
                        "Incoming webhooks cannot post to “{raw}”. Name a room (#room) or a user (@user)."
                    ));
                }
                return Err(format!(
                    "Start “{raw}” with # for a room or @ for a user, for example #{raw}."
                ));
            }
        }
    }
    Ok(())
}

/// Outgoing channel syntax (§3.3 step 4.6, §3.5): `#`/`@` entries or the lower-case
/// keywords the user may use; empty entries are dropped. Required for known events.
pub fn outgoing_channel(
    text: &str,
    required: bool,
    permissions: Option<&Permissions>,
) -> Result<(), String> {
    let entries: Vec<&str> = channels::split(text)
        .into_iter()
        .filter(|e| !e.is_empty())
        .collect();
    if entries.is_empty() {
        return if required {
            Err("Enter at least one channel to watch: #room, @user or all_public_channels.".into())
        } else {
            Ok(())
        };
    }
    for entry in entries {
        match channels::classify(entry) {
            ChannelEntry::Room(name) | ChannelEntry::User(name)
                if entry_name(entry, &name).is_err() =>
            {
                return entry_name(entry, &name);
            }
            ChannelEntry::Keyword(k) => {
                if let Some(Err(reason)) = permissions.map(|p| p.keyword_allowed(k)) {
                    return Err(format!("You cannot use {}: {reason}", k.as_str()));
                }
            }
            ChannelEntry::Invalid(raw) => {
                if let Some(k) = ChannelKeyword::parse_any_case(&raw) {
                    return Err(format!("Write {} in lower case.", k.as_str()));
                }
                return Err(format!(
                    "Start “{raw}” with # for a room or @ for a user, or use all_public_channels, all_private_groups or all_direct_messages."
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// The name after `#` or `@`: present and not starting with a space.
fn entry_name(entry: &str, name: &str) -> Result<(), String> {
    let room = entry.starts_with('#');
    if name.trim().is_empty() {
        Err(if room {
            "Write a room name after #, for example #general.".into()
        } else {
            "Write a username after @, for example @john.".into()
        })
    } else if name.starts_with(char::is_whitespace) {
        Err(format!(
            "Remove the space after {} in “{entry}”.",
            if room { '#' } else { '@' }
        ))
    } else {
        Ok(())
    }
}

/// Permission-dependent channel rules: `@user` targets and room membership (§3.1 step 10).
fn channel_permissions(c: &mut Collector, kind: Kind, text: &str, p: Option<&Permissions>) {
    let Some(p) = p else { return };
    let entries = channels::parse(text);
    if entries.iter().any(|e| matches!(e, ChannelEntry::User(_))) {
        if let Err(reason) = p.can_target_users(kind) {
            c.problem(Field::Channel, reason);
        }
    }
    if p.needs_membership(kind) && entries.iter().any(|e| matches!(e, ChannelEntry::Room(_))) {
        c.warn(
            Field::Channel,
            "Your role can only use rooms you are a member of; the server refuses the others.",
        );
    }
}

/// Alias, avatar and emoji forms, and their interplay.
fn look_rules(c: &mut Collector, form: &impl Values, parser: &dyn UrlParser) {
    c.check(Field::Alias, alias_rule(form.text(Field::Alias)));
    let emoji = form.text(Field::Emoji);
    let avatar = form.text(Field::Avatar).trim();
    if !avatar.is_empty() && urls::check(parser, avatar) == WebAddress::Invalid {
        c.problem(
            Field::Avatar,
            "Enter the avatar as a full web address of an image, for example https://example.com/bot.png.",
        );
    }
    c.check(Field::Emoji, emoji_rule(emoji));
    if !avatar.is_empty() && !emoji.trim().is_empty() {
        c.warn(
            Field::Emoji,
            "With both an emoji and an avatar, messages show the emoji.",
        );
    }
}

/// The post-as user, avatar and emoji as they are sent: trimmed.
fn trim_look(form: &mut impl Values) {
    for field in [Field::PostAs, Field::Avatar, Field::Emoji] {
        let trimmed = form.text(field).trim().to_owned();
        form.set_text(field, trimmed);
    }
}

/// `validateAlias`: at most 60 characters; letters, digits, space and `. _ ' -`.
pub fn alias_rule(alias: &str) -> Result<(), String> {
    if alias.is_empty() {
        return Ok(());
    }
    let len = alias.encode_utf16().count();
    if len > ALIAS_MAX {
        return Err(format!(
            "Shorten the alias to {ALIAS_MAX} characters or fewer (it has {len})."
        ));
    }
    if let Some(bad) = alias
        .chars()
        .find(|&ch| !(ch.is_alphanumeric() || " ._'-".contains(ch)))
    {
        let shown = if bad.is_control() {
            "a control character".to_owned()
        } else {
            format!("“{bad}”")
        };
        return Err(format!(
            "The alias may only contain letters, digits, spaces and . _ ' - ; remove {shown}."
        ));
    }
    Ok(())
}

/// Emoji short name between colons, e.g. `:ghost:` or `:+1:`.
pub fn emoji_rule(emoji: &str) -> Result<(), String> {
    let e = emoji.trim();
    if e.is_empty() {
        return Ok(());
    }
    let inner = e.strip_prefix(':').and_then(|s| s.strip_suffix(':'));
    match inner {
        Some(name)
            if !name.is_empty()
                && name
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || "_+-".contains(ch)) =>
        {
            Ok(())
        }
        _ => Err("Write the emoji as its short name between colons, for example :ghost:.".into()),
    }
}

/// URL list rules: at least one, each a valid http(s) address; `http://` is a warning.
fn url_rules(c: &mut Collector, list: &[String], parser: &dyn UrlParser) {
    if list.is_empty() {
        c.problem(
            Field::Urls,
            "Enter at least one URL to call, one per line, for example https://example.com/hook.",
        );
        return;
    }
    for (n, url) in list.iter().enumerate() {
        match urls::check(parser, url) {
            WebAddress::Secure => {}
            WebAddress::Plain => c.warn(
                Field::Urls,
                format!("{url} uses http://, so the token travels unencrypted; use https:// if the service supports it."),
            ),
            WebAddress::Invalid => c.problem(
                Field::Urls,
                format!(
                    "URL {} (“{}”) is not a web address: enter a full address starting with https:// or http://.",
                    n + 1,
                    super::json::truncate_chars(url, 80)
                ),
            ),
        }
    }
}

/// The sandbox to send: checked only when a script will be compiled, else the default.
fn engine_rule(c: &mut Collector, features: &Features, form: &impl Values) -> String {
    let script = form.text(Field::Script);
    if form.flag(Field::ScriptEnabled) && script.trim().is_empty() {
        c.warn(
            Field::Script,
            "The script is enabled but empty, so nothing runs.",
        );
    }
    if !features.script_engine {
        return ScriptEngine::DEFAULT.as_str().to_owned();
    }
    let engine = ScriptEngine::parse(form.text(Field::ScriptEngine).trim());
    let allowed = features.script_engines();
    if allowed.contains(&engine) {
        return engine.as_str().to_owned();
    }
    if !script.trim().is_empty() {
        let names: Vec<&str> = allowed.iter().map(ScriptEngine::as_str).collect();
        c.problem(
            Field::ScriptEngine,
            format!(
                "Choose a sandbox this server offers: {}.",
                names.join(" or ")
            ),
        );
    }
    ScriptEngine::DEFAULT.as_str().to_owned()
}

/// Retry count and delay: checked when retrying; otherwise kept only if well-formed.
fn retry_rules(c: &mut Collector, form: &OutgoingForm) -> (Option<u32>, Option<String>) {
    let count_text = form.text(Field::RetryCount).trim();
    let count = if !count_text.is_empty() && count_text.bytes().all(|b| b.is_ascii_digit()) {
        count_text.parse::<u32>().ok().filter(|&n| n > 0)
    } else {
        None
    };
    let delay_text = form.text(Field::RetryDelay).trim();
    let delay = RetryDelay::parse(delay_text);
    if form.flag(Field::RetryFailedCalls) {
        if count.is_none() {
            c.problem(
                Field::RetryCount,
                "Enter how many times to retry as a whole number of 1 or more, for example 6.",
            );
        }
        if delay.is_none() {
            c.problem(
                Field::RetryDelay,
                "Choose a retry delay: powers of ten, powers of two or increments of two.",
            );
        }
        (count, delay.map(|d| d.as_str().to_owned()))
    } else {
        // Not retrying: keep what is stored so an unchanged save sends it back.
        let delay = match delay {
            Some(d) => Some(d.as_str().to_owned()),
            None if !delay_text.is_empty() => Some(delay_text.to_owned()),
            None => None,
        };
        (count, delay)
    }
}
