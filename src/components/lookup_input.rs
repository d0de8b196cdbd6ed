//! Inputs that look things up on the server as the person types: a channel list
//! (`#room, @user`, and for outgoing webhooks the allowed `all_*` keywords) and a single
//! "post as" user. Each offers suggestions (an ARIA combobox) and shows what the server
//! says about every entry: found, not found, or "you are not a member".
//!
//! Look-ups wait for a pause in typing, and answers are cached per entry and per query, so
//! nothing is asked twice; a failed check is retried only after the next edit.

use crate::api::Client;
use crate::components::{effect, local_action, local_resource, Debounce, FormState, Ticket};
use crate::core::channels::{self, ChannelKeyword};
use crate::core::errors::ApiError;
use crate::core::field::Field;
use crate::core::lookup::{self, EntryState, SuggestQuery, Suggestion};
use crate::core::model::Kind;
use crate::core::permissions::Permissions;
use crate::core::request::ApiRequest;
use crate::core::text_edit;
use leptos::html::Input;
use leptos::prelude::*;
use serde_json::Value;
use std::future::Future;

/// Pause in typing (ms) before suggestions are fetched.
const SUGGEST_DELAY_MS: u64 = 250;
/// Pause in typing (ms) before entries are checked.
const CHECK_DELAY_MS: u64 = 600;

/// What a [`LookupInput`] offers and checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// A comma list of rooms and users.
    Channels {
        /// Whether `@user` entries are offered (the role may target users).
        users: bool,
        /// Whether the person must belong to each room (checked per entry).
        membership: bool,
        /// Keywords offered (outgoing only, those the role may use).
        keywords: Vec<ChannelKeyword>,
    },
    /// One existing username.
    User,
}

impl Lookup {
    /// The channel list of a kind, following the person's permissions (all allowed when
    /// they are unknown; the server has the last word).
    pub fn channels(kind: Kind, permissions: Option<&Permissions>) -> Lookup {
        let keywords = match (kind, permissions) {
            (Kind::Incoming, _) => Vec::new(),
            (Kind::Outgoing, Some(p)) => p.allowed_keywords(),
            (Kind::Outgoing, None) => ChannelKeyword::ALL.to_vec(),
        };
        Lookup::Channels {
            users: permissions.is_none_or(|p| p.can_target_users(kind).is_ok()),
            membership: permissions.is_some_and(|p| p.needs_membership(kind)),
            keywords,
        }
    }
}

/// The entries of a value that get a state line.
fn entries(lookup: &Lookup, text: &str) -> Vec<String> {
    match lookup {
        Lookup::Channels { .. } => channels::split(text)
            .into_iter()
            .filter(|e| !e.is_empty())
            .map(str::to_owned)
            .collect(),
        Lookup::User => Some(text.trim())
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .into_iter()
            .collect(),
    }
}

/// What the parts of one look-up input share.
#[derive(Clone, Copy)]
struct Combo {
    state: FormState,
    field: Field,
    lookup: StoredValue<Lookup>,
    client: StoredValue<Client>,
    input: NodeRef<Input>,
    suggestions: RwSignal<Vec<Suggestion>>,
    /// The suggestion the arrow keys are on.
    active: RwSignal<Option<usize>>,
    expanded: RwSignal<bool>,
}

impl Combo {
    /// Whether the suggestion list shows.
    fn open(&self) -> bool {
        self.expanded.get() && self.suggestions.with(|s| !s.is_empty())
    }

    /// Sends one request with the input's client.
    fn call(
        &self,
    ) -> impl Fn(ApiRequest) -> std::pin::Pin<Box<dyn Future<Output = Result<Value, ApiError>>>> + Copy
    {
        let client = self.client;
        move |request: ApiRequest| {
            let c = client.try_get_value();
            Box::pin(async move {
                match c {
                    Some(c) => c.call(&request).await,
                    None => Err(ApiError::Network),
                }
            })
        }
    }

    /// The value and the caret as a byte index into it.
    fn caret(&self) -> (String, usize) {
        let text = self
            .state
            .form
            .with_untracked(|f| f.text(self.field).to_owned());
        let at = self
            .input
            .get_untracked()
            .and_then(|el| el.selection_start().ok().flatten())
            .map_or(text.len(), |u| text_edit::byte_index(&text, u));
        (text, at)
    }

    /// Whether the person is still in the input (suggestions open only then).
    fn focused(&self) -> bool {
        let active = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        active.is_some_and(|a| a.id() == self.field.id())
    }

    /// Writes suggestion `i` into the input, the caret after it.
    fn pick(&self, i: usize) {
        let Some(choice) = self.suggestions.with_untracked(|s| s.get(i).cloned()) else {
            return;
        };
        let (text, at) = self.caret();
        let (value, at) = match self.lookup.get_value() {
            Lookup::Channels { .. } => text_edit::replace_entry(&text, at, &choice.value),
            Lookup::User => (choice.value.clone(), choice.value.len()),
        };
        let utf16 = text_edit::utf16_offset(&value, at);
        self.state.set_text(self.field, value);
        self.expanded.set(false);
        let input = self.input;
        request_animation_frame(move || {
            if let Some(el) = input.get_untracked() {
                let _ = el.focus();
                let _ = el.set_selection_range(utf16, utf16);
            }
        });
    }

    /// Arrow keys move through the suggestions, Enter picks, Escape closes.
    fn keydown(&self, ev: leptos::ev::KeyboardEvent) {
        let count = self.suggestions.with_untracked(Vec::len);
        let (active, expanded) = (self.active, self.expanded);
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" if count > 0 => {
                ev.prevent_default();
                let down = ev.key() == "ArrowDown";
                let next = match (active.get_untracked(), down) {
                    (None, true) => 0,
                    (None, false) => count - 1,
                    (Some(i), true) => (i + 1) % count,
                    (Some(i), false) => (i + count - 1) % count,
                };
                expanded.set(true);
                active.set(Some(next));
            }
            "Enter" if expanded.get_untracked() => {
                if let Some(i) = active.get_untracked() {
                    ev.prevent_default();
                    self.pick(i);
                }
            }
            "Escape" if expanded.get_untracked() => {
                ev.prevent_default();
                expanded.set(false);
            }
            _ => {}
        }
    }
}

/// One question for suggestions, asked after a pause in typing.
#[derive(Clone)]
struct Ask {
    ticket: Ticket,
    /// Offered without asking the server (keywords), already filtered.
    local: Vec<Suggestion>,
    query: Option<SuggestQuery>,
    /// The entry typed and those already in the list: not offered again.
    entry: String,
    taken: Vec<String>,
}

impl Ask {
    /// The question for the entry at the caret.
    fn at_caret(combo: &Combo, ticket: Ticket) -> Option<Ask> {
        let (text, at) = combo.caret();
        let lookup = combo.lookup.try_get_value()?;
        let (entry, query, local) = match &lookup {
            Lookup::Channels {
                users, keywords, ..
            } => {
                let entry = text_edit::entry_text(&text, at).to_owned();
                let local = lookup::keyword_suggestions(&entry, keywords);
                (entry.clone(), lookup::channel_query(&entry, *users), local)
            }
            Lookup::User => {
                let entry = text.trim().to_owned();
                let query = (!entry.is_empty()).then(|| SuggestQuery::PostAs(entry.clone()));
                (entry, query, Vec::new())
            }
        };
        let mut ask = Ask {
            ticket,
            local: Vec::new(),
            query,
            entry,
            taken: entries(&lookup, &text),
        };
        ask.local = local.into_iter().filter(|s| ask.keeps(s)).collect();
        Some(ask)
    }

    fn keeps(&self, s: &Suggestion) -> bool {
        s.value != self.entry && !self.taken.contains(&s.value)
    }
}

/// Suggestions for the entry being typed, fetched (a resource of the latest question) after
/// a pause; answers are cached per query. Returns what `input` events call.
fn use_suggestions(combo: Combo) -> impl Fn() + Copy {
    let pause = Debounce::new(SUGGEST_DELAY_MS);
    let asked: RwSignal<Option<Ask>> = RwSignal::new(None);
    let answers: StoredValue<Vec<(String, Vec<Suggestion>)>> = StoredValue::new(Vec::new());
    let found = local_resource(move || {
        let (ask, call) = (asked.get(), combo.call());
        async move {
            let ask = ask?;
            let mut list = ask.local.clone();
            if let Some(query) = &ask.query {
                let request = query.request();
                let cached = answers
                    .try_with_value(|a| {
                        a.iter()
                            .find(|(p, _)| *p == request.path)
                            .map(|(_, s)| s.clone())
                    })
                    .flatten();
                let fetched = match cached {
                    Some(found) => found,
                    None => {
                        let path = request.path.clone();
                        let found = call(request).await.map(|answer| query.suggestions(&answer));
                        if let Ok(found) = &found {
                            answers.try_update_value(|a| a.push((path, found.clone())));
                        }
                        found.unwrap_or_default()
                    }
                };
                list.extend(fetched.into_iter().filter(|s| ask.keeps(s)));
            }
            Some((ask.ticket, list))
        }
    });
    effect(move || {
        if let Some(Some((ticket, list))) = found.get() {
            if ticket.current() && combo.focused() {
                combo.suggestions.set(list);
                combo.active.set(None);
                combo.expanded.set(true);
            }
        }
    });
    move || pause.call(move |ticket| asked.set(Ask::at_caret(&combo, ticket)))
}

/// The state of each entry: every entry without an answer yet is checked after a pause
/// (on mount too: stored values), each once, by its own dispatch, so that a later edit does
/// not cancel the checks still out; a failed check is tried again after the next edit.
fn use_entry_checks(combo: Combo) -> RwSignal<Vec<(String, EntryState)>> {
    let states: RwSignal<Vec<(String, EntryState)>> = RwSignal::new(Vec::new());
    let check = local_action(move |entry: &String| {
        let (entry, call) = (entry.clone(), combo.call());
        let lookup = combo.lookup.try_get_value();
        async move {
            let result = match lookup {
                Some(Lookup::User) => lookup::check_user(&entry, call).await,
                Some(Lookup::Channels { membership, .. }) => {
                    lookup::check_entry(&entry, membership, call).await
                }
                None => return,
            };
            states.try_update(|s| match result {
                Some(r) => {
                    if let Some(slot) = s.iter_mut().find(|(e, _)| *e == entry) {
                        slot.1 = r;
                    }
                }
                None => s.retain(|(e, _)| *e != entry),
            });
        }
    });
    let pause = Debounce::new(CHECK_DELAY_MS);
    effect(move || {
        let text = combo.state.text(combo.field);
        pause.call(move |_| {
            let Some(lookup) = combo.lookup.try_get_value() else {
                return;
            };
            // Failed checks get another try now that the value changed.
            states.update(|s| s.retain(|(_, st)| !matches!(st, EntryState::Unchecked(_))));
            for entry in entries(&lookup, &text) {
                if states.with_untracked(|s| s.iter().any(|(e, _)| *e == entry)) {
                    continue;
                }
                states.update(|s| s.push((entry.clone(), EntryState::Checking)));
                check.dispatch(entry);
            }
        });
    });
    states
}

/// A text input with server suggestions and per-entry states; put it in a `FormField`
/// with `Control::Custom`.
#[component]
pub fn LookupInput(
    state: FormState,
    field: Field,
    lookup: Lookup,
    client: Client,
) -> impl IntoView {
    let id = field.id();
    let list_id = format!("{id}-options");
    let combo = Combo {
        state,
        field,
        lookup: StoredValue::new(lookup),
        client: StoredValue::new(client),
        input: NodeRef::new(),
        suggestions: RwSignal::new(Vec::new()),
        active: RwSignal::new(None),
        expanded: RwSignal::new(false),
    };
    let suggest = use_suggestions(combo);
    let states = use_entry_checks(combo);
    let active_id = {
        let list_id = list_id.clone();
        move || {
            combo
                .open()
                .then(|| combo.active.get().map(|i| format!("{list_id}-{i}")))
                .flatten()
        }
    };
    view! {
        <div class="combo">
            <input
                id=id
                class="input"
                type="text"
                role="combobox"
                autocomplete="off"
                autocapitalize="none"
                spellcheck="false"
                aria-autocomplete="list"
                aria-controls=list_id.clone()
                aria-expanded=move || if combo.open() { "true" } else { "false" }
                aria-activedescendant=active_id
                aria-invalid=move || state.invalid(field)
                aria-required=move || state.required(field)
                aria-describedby=move || state.described_by(field)
                node_ref=combo.input
                prop:value=move || state.text(field)
                on:input=move |ev| {
                    state.set_text(field, event_target_value(&ev));
                    suggest();
                }
                on:keydown=move |ev| combo.keydown(ev)
                on:blur=move |_| combo.expanded.set(false)
            />
            <SuggestionList combo list_id />
        </div>
        <EntryStates combo states />
    }
}

/// The suggestions, as an ARIA listbox.
#[component]
fn SuggestionList(combo: Combo, list_id: String) -> impl IntoView {
    let option_id = {
        let list_id = list_id.clone();
        move |i: usize| format!("{list_id}-{i}")
    };
    let options = move || {
        combo
            .suggestions
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let selected = move || {
                    if combo.active.get() == Some(i) {
                        "true"
                    } else {
                        "false"
                    }
                };
                view! {
                    <li
                        role="option"
                        id=option_id(i)
                        aria-selected=selected
                        on:mousedown=|ev| ev.prevent_default()
                        on:click=move |_| combo.pick(i)
                    >
                        <span class="mono">{s.value}</span>
                        " "
                        <span class="muted">{s.detail}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <ul id=list_id role="listbox" class="combo-list" aria-label="Suggestions" hidden=move || !combo.open()>
            {options}
        </ul>
    }
}

/// What the server said about each entry: found, not found, not a member, checking.
#[component]
fn EntryStates(combo: Combo, states: RwSignal<Vec<(String, EntryState)>>) -> impl IntoView {
    let (state, field) = (combo.state, combo.field);
    let items = move || {
        let text = state.text(field);
        let list = combo.lookup.with_value(|l| entries(l, &text));
        states.with(|s| {
            list.into_iter()
                .filter_map(|entry| {
                    let st = s.iter().find(|(e, _)| *e == entry)?.1.clone();
                    Some(entry_state(entry, st))
                })
                .collect_view()
        })
    };
    view! {
        <ul class="entry-states" id=format!("{}-states", field.id()) aria-live="polite">
            {items}
        </ul>
    }
}

/// One entry's line.
fn entry_state(entry: String, st: EntryState) -> impl IntoView {
    let (class, mark) = match &st {
        EntryState::Found => ("entry-state found", "✓"),
        EntryState::NotFound | EntryState::NotMember => ("entry-state bad", "✗"),
        _ => ("entry-state pending", "…"),
    };
    let title = match &st {
        EntryState::Unchecked(why) => Some(why.clone()),
        _ => None,
    };
    view! {
        <li class=class title=title>
            <span aria-hidden="true">{mark}</span>
            " "
            <span class="mono">{entry}</span>
            ": "
            {st.label().to_owned()}
        </li>
    }
}
