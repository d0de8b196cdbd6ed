//! Server look-ups behind the channel and "post as" inputs: the requests (`rooms.info`,
//! `users.info`, `rooms.autocomplete.channelAndPrivate`, `users.autocomplete`), tolerant
//! reading of their answers, and what they mean for each entry the person typed.

use std::future::Future;

use serde_json::{json, Value};

use super::channels::{self, ChannelEntry, ChannelKeyword};
use super::encode;
use super::errors::ApiError;
use super::json::str_of;
use super::request::{ApiRequest, Method};

fn get(endpoint: &str, key: &str, value: &str) -> ApiRequest {
    ApiRequest {
        method: Method::Get,
        path: format!(
            "/api/v1/{endpoint}?{}",
            encode::query(&[(key, value.to_owned())])
        ),
        body: None,
    }
}

/// `rooms.info` by room name.
pub fn room_by_name(name: &str) -> ApiRequest {
    get("rooms.info", "roomName", name)
}

/// `rooms.info` by room id.
pub fn room_by_id(id: &str) -> ApiRequest {
    get("rooms.info", "roomId", id)
}

/// `users.info` by username.
pub fn user_by_username(username: &str) -> ApiRequest {
    get("users.info", "username", username)
}

/// `users.info` by user id.
pub fn user_by_id(id: &str) -> ApiRequest {
    get("users.info", "userId", id)
}

/// Rooms the caller belongs to whose name starts with `prefix` (at most 10).
pub fn rooms_autocomplete(prefix: &str) -> ApiRequest {
    let selector = json!({ "name": prefix }).to_string();
    get(
        "rooms.autocomplete.channelAndPrivate",
        "selector",
        &selector,
    )
}

/// Active users whose username or name contains `term` (at most 10).
pub fn users_autocomplete(term: &str) -> ApiRequest {
    let selector = json!({ "term": term }).to_string();
    get("users.autocomplete", "selector", &selector)
}

/// One choice offered under an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// What picking it writes into the input, e.g. `#dev`, `@bob` or `rocket.cat`.
    pub value: String,
    /// Extra words shown beside the value, e.g. the display name or "private room".
    pub detail: String,
}

/// What to look up for the entry being typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SuggestQuery {
    /// Rooms by name prefix (`#de` → `de`).
    Rooms(String),
    /// Users by term (`@bo` → `bo`), written back with `@`.
    Users(String),
    /// Users by term for "post as", written back as the bare username.
    PostAs(String),
}

impl SuggestQuery {
    /// The request that answers this query.
    pub fn request(&self) -> ApiRequest {
        match self {
            SuggestQuery::Rooms(prefix) => rooms_autocomplete(prefix),
            SuggestQuery::Users(term) | SuggestQuery::PostAs(term) => users_autocomplete(term),
        }
    }

    /// Reads the answer as suggestions.
    pub fn suggestions(&self, answer: &Value) -> Vec<Suggestion> {
        match self {
            SuggestQuery::Rooms(_) => room_suggestions(answer),
            SuggestQuery::Users(_) => user_suggestions(answer, "@"),
            SuggestQuery::PostAs(_) => user_suggestions(answer, ""),
        }
    }
}

/// The look-up for a channel entry being typed: `#…` rooms, `@…` users (when the role may
/// target users), a bare word rooms (it becomes `#word`). `None` for keywords and for `@…`
/// when users are not allowed.
pub fn channel_query(entry: &str, users_allowed: bool) -> Option<SuggestQuery> {
    let entry = entry.trim();
    if let Some(prefix) = entry.strip_prefix('#') {
        Some(SuggestQuery::Rooms(prefix.trim().to_owned()))
    } else if let Some(term) = entry.strip_prefix('@') {
        users_allowed.then(|| SuggestQuery::Users(term.trim().to_owned()))
    } else if entry.is_empty() || ChannelKeyword::parse(entry).is_some() {
        None
    } else {
        Some(SuggestQuery::Rooms(entry.to_owned()))
    }
}

/// The keywords (from those allowed) that start with what is typed, as suggestions.
pub fn keyword_suggestions(entry: &str, allowed: &[ChannelKeyword]) -> Vec<Suggestion> {
    let typed = entry.trim().to_ascii_lowercase();
    if typed.is_empty() || typed.starts_with(['#', '@']) {
        return Vec::new();
    }
    allowed
        .iter()
        .filter(|k| k.as_str().starts_with(&typed) && k.as_str() != typed)
        .map(|k| Suggestion {
            value: k.as_str().to_owned(),
            detail: keyword_detail(*k).to_owned(),
        })
        .collect()
}

fn keyword_detail(k: ChannelKeyword) -> &'static str {
    match k {
        ChannelKeyword::AllPublicChannels => "every public channel",
        ChannelKeyword::AllPrivateGroups => "every private group",
        ChannelKeyword::AllDirectMessages => "every direct message",
    }
}

fn items(answer: &Value) -> &[Value] {
    answer
        .get("items")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Rooms of an autocomplete answer as `#name` suggestions; rows without a name are skipped.
pub fn room_suggestions(answer: &Value) -> Vec<Suggestion> {
    items(answer)
        .iter()
        .filter_map(|r| {
            let name = str_of(r, "name").filter(|n| !n.is_empty())?;
            let fname = str_of(r, "fname").filter(|f| *f != name);
            let private = str_of(r, "t").as_deref() == Some("p");
            let detail = match (fname, private) {
                (Some(f), true) => format!("{f} · private"),
                (Some(f), false) => f,
                (None, true) => "private".to_owned(),
                (None, false) => String::new(),
            };
            Some(Suggestion {
                value: format!("#{name}"),
                detail,
            })
        })
        .collect()
}

/// Users of an autocomplete answer, written with `prefix` (`@` in channel lists, nothing
/// for "post as"), with the display name as detail.
pub fn user_suggestions(answer: &Value, prefix: &str) -> Vec<Suggestion> {
    items(answer)
        .iter()
        .filter_map(|u| {
            let username = str_of(u, "username").filter(|n| !n.is_empty())?;
            let detail = str_of(u, "name")
                .filter(|n| *n != username)
                .unwrap_or_default();
            Some(Suggestion {
                value: format!("{prefix}{username}"),
                detail,
            })
        })
        .collect()
}

/// What the server says about one entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryState {
    /// Looking it up.
    Checking,
    /// It exists (and, where it matters, the person is a member).
    Found,
    /// The room exists but the person is not a member, so the server refuses it for them.
    NotMember,
    /// No such room or user (or a private room the person cannot see).
    NotFound,
    /// The look-up failed; the reason in plain words.
    Unchecked(String),
}

impl EntryState {
    /// Short words shown beside the entry.
    pub fn label(&self) -> &str {
        match self {
            EntryState::Checking => "checking…",
            EntryState::Found => "found",
            EntryState::NotMember => "you are not a member",
            EntryState::NotFound => "not found",
            EntryState::Unchecked(_) => "could not check",
        }
    }

    /// Whether the server would refuse the entry.
    pub fn is_bad(&self) -> bool {
        matches!(self, EntryState::NotMember | EntryState::NotFound)
    }
}

/// A refusal that means "no such thing (that you can see)"; other failures say nothing about
/// the entry itself.
fn is_missing(e: &ApiError) -> bool {
    e.status() == Some(400) && !matches!(e, ApiError::RateLimited { .. })
}

/// Whether an autocomplete answer lists the room by name or id.
pub fn lists_room(answer: &Value, wanted: &str) -> bool {
    items(answer).iter().any(|r| {
        str_of(r, "name").as_deref() == Some(wanted) || str_of(r, "_id").as_deref() == Some(wanted)
    })
}

/// Whether an info answer carries the object (`room` or `user`).
fn has(answer: &Value, key: &str) -> bool {
    answer.get(key).is_some_and(Value::is_object)
}

/// Looks one `#room`, `@user` or keyword entry up through `call` (the app's client).
/// Rooms are found by name, then by id, as the server resolves them; `needs_membership`
/// first asks whether the person belongs to the room (only they can use it then).
/// `None` for entries without anything to look up (empty, keywords, malformed).
pub async fn check_entry<F, Fut>(entry: &str, needs_membership: bool, call: F) -> Option<EntryState>
where
    F: Fn(ApiRequest) -> Fut,
    Fut: Future<Output = Result<Value, ApiError>>,
{
    match channels::classify(entry.trim()) {
        ChannelEntry::Room(name) if !name.trim().is_empty() => {
            if needs_membership {
                match call(rooms_autocomplete(&name)).await {
                    Ok(v) if lists_room(&v, &name) => return Some(EntryState::Found),
                    Ok(_) => {}
                    Err(e) => return Some(EntryState::Unchecked(e.display())),
                }
            }
            let exists = exists(&call, room_by_name(&name), room_by_id(&name), "room").await;
            Some(match exists {
                EntryState::Found if needs_membership => EntryState::NotMember,
                other => other,
            })
        }
        ChannelEntry::User(name) if !name.trim().is_empty() => {
            Some(exists(&call, user_by_username(&name), user_by_id(&name), "user").await)
        }
        _ => None,
    }
}

/// Whether a "post as" username exists.
pub async fn check_user<F, Fut>(username: &str, call: F) -> Option<EntryState>
where
    F: Fn(ApiRequest) -> Fut,
    Fut: Future<Output = Result<Value, ApiError>>,
{
    let name = username.trim();
    if name.is_empty() || name.contains(|c: char| c.is_whitespace() || c == ',' || c == '@') {
        return None;
    }
    Some(match call(user_by_username(name)).await {
        Ok(v) if has(&v, "user") => EntryState::Found,
        Ok(_) => EntryState::NotFound,
        Err(e) if is_missing(&e) => EntryState::NotFound,
        Err(e) => EntryState::Unchecked(e.display()),
    })
}

/// Tries the by-name request, then the by-id one when the name is unknown.
async fn exists<F, Fut>(call: &F, by_name: ApiRequest, by_id: ApiRequest, key: &str) -> EntryState
where
    F: Fn(ApiRequest) -> Fut,
    Fut: Future<Output = Result<Value, ApiError>>,
{
    for request in [by_name, by_id] {
        match call(request).await {
            Ok(v) if has(&v, key) => return EntryState::Found,
            Ok(_) => {}
            Err(e) if is_missing(&e) => {}
            Err(e) => return EntryState::Unchecked(e.display()),
        }
    }
    EntryState::NotFound
}
