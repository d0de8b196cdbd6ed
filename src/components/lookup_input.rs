//! Inputs that look things up on the server as the person types: a channel list
//! (`#room, @user`, and for outgoing webhooks the allowed `all_*` keywords) and a single
//! "post as" user. Each offers suggestions (an ARIA combobox) and shows what the server
//! says about every entry: found, not found, or "you are not a member".
//!
//! Look-ups wait for a pause in typing, and answers are cached per entry and per query, so
//! nothing is asked twice; a failed check is retried only after the next edit.

use crate::api::Client;
use crate::components::FormState;
use crate::core::channels::{self, ChannelKeyword};
use crate::core::field::Field;
use crate::core::lookup::{self, EntryState, SuggestQuery, Suggestion};
use crate::core::model::Kind;
use crate::core::permissions::Permissions;
use crate::core::request::ApiRequest;
use crate::core::text_edit;
use leptos::html::Input;
use leptos::prelude::*;
use std::time::Duration;

/// Pause in typing before suggestions are fetched.
const SUGGEST_DELAY: Duration = Duration::from_millis(250);
/// Pause in typing before entries are checked.
const CHECK_DELAY: Duration = Duration::from_millis(600);

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
    let input = NodeRef::<Input>::new();
    let lookup = StoredValue::new(lookup);
    let client = StoredValue::new(client);
    let suggestions: RwSignal<Vec<Suggestion>> = RwSignal::new(Vec::new());
    let active: RwSignal<Option<usize>> = RwSignal::new(None);
    let expanded = RwSignal::new(false);
    let open = move || expanded.get() && suggestions.with(|s| !s.is_empty());
    let answers: StoredValue<Vec<(String, Vec<Suggestion>)>> = StoredValue::new(Vec::new());
    let states: RwSignal<Vec<(String, EntryState)>> = RwSignal::new(Vec::new());
    let suggest_serial = StoredValue::new(0u32);
    let check_serial = StoredValue::new(0u32);

    let call = move |request: ApiRequest| {
        let c = client.try_get_value();
        async move {
            match c {
                Some(c) => c.call(&request).await,
                None => Err(crate::core::errors::ApiError::Network),
            }
        }
    };

    // The caret as a byte index into the current value.
    let caret = move || {
        let text = state.form.with_untracked(|f| f.text(field).to_owned());
        let at = input
            .get_untracked()
            .and_then(|el| el.selection_start().ok().flatten())
            .map_or(text.len(), |u| text_edit::byte_index(&text, u));
        (text, at)
    };

    // Suggestions open only while the person is still in the input.
    let focused = move || {
        let active = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        active.is_some_and(|a| a.id() == id)
    };
    let show = move |mine: u32, list: Vec<Suggestion>| {
        if suggest_serial.try_get_value() == Some(mine) && focused() {
            suggestions.set(list);
            active.set(None);
            expanded.set(true);
        }
    };

    let suggest = move || {
        let mine = suggest_serial.get_value().wrapping_add(1);
        suggest_serial.set_value(mine);
        set_timeout(
            move || {
                if suggest_serial.try_get_value() != Some(mine) {
                    return;
                }
                let (text, at) = caret();
                let Some(lookup) = lookup.try_get_value() else {
                    return;
                };
                let (entry, query, mut local) = match &lookup {
                    Lookup::Channels {
                        users, keywords, ..
                    } => {
                        let entry = text_edit::entry_text(&text, at).to_owned();
                        let local = lookup::keyword_suggestions(&entry, keywords);
                        (entry.clone(), lookup::channel_query(&entry, *users), local)
                    }
                    Lookup::User => {
                        let entry = text.trim().to_owned();
                        let query =
                            (!entry.is_empty()).then(|| SuggestQuery::PostAs(entry.clone()));
                        (entry, query, Vec::new())
                    }
                };
                // Entries already in the list are not offered again.
                let taken = entries(&lookup, &text);
                let keep = move |s: &Suggestion| s.value != entry && !taken.contains(&s.value);
                local.retain(&keep);
                let Some(query) = query else {
                    show(mine, local);
                    return;
                };
                let request = query.request();
                let cached = answers
                    .try_with_value(|a| {
                        a.iter()
                            .find(|(p, _)| *p == request.path)
                            .map(|(_, s)| s.clone())
                    })
                    .flatten();
                if let Some(found) = cached {
                    local.extend(found.into_iter().filter(&keep));
                    show(mine, local);
                    return;
                }
                leptos::task::spawn_local(async move {
                    let path = request.path.clone();
                    if let Ok(answer) = call(request).await {
                        let found = query.suggestions(&answer);
                        answers.try_update_value(|a| a.push((path, found.clone())));
                        local.extend(found.into_iter().filter(&keep));
                    }
                    show(mine, local);
                });
            },
            SUGGEST_DELAY,
        );
    };

    // Check every entry that has no answer yet, after a pause; on mount too (stored values).
    Effect::new(move |_| {
        let text = state.text(field);
        let mine = check_serial.get_value().wrapping_add(1);
        check_serial.set_value(mine);
        set_timeout(
            move || {
                if check_serial.try_get_value() != Some(mine) {
                    return;
                }
                let Some(lookup) = lookup.try_get_value() else {
                    return;
                };
                // Failed checks get another try now that the value changed.
                states.update(|s| s.retain(|(_, st)| !matches!(st, EntryState::Unchecked(_))));
                for entry in entries(&lookup, &text) {
                    if states.with_untracked(|s| s.iter().any(|(e, _)| *e == entry)) {
                        continue;
                    }
                    let membership = matches!(
                        lookup,
                        Lookup::Channels {
                            membership: true,
                            ..
                        }
                    );
                    let user = lookup == Lookup::User;
                    states.update(|s| s.push((entry.clone(), EntryState::Checking)));
                    leptos::task::spawn_local(async move {
                        let result = if user {
                            lookup::check_user(&entry, call).await
                        } else {
                            lookup::check_entry(&entry, membership, call).await
                        };
                        states.try_update(|s| match result {
                            Some(r) => {
                                if let Some(slot) = s.iter_mut().find(|(e, _)| *e == entry) {
                                    slot.1 = r;
                                }
                            }
                            None => s.retain(|(e, _)| *e != entry),
                        });
                    });
                }
            },
            CHECK_DELAY,
        );
    });

    let pick = move |i: usize| {
        let Some(choice) = suggestions.with_untracked(|s| s.get(i).cloned()) else {
            return;
        };
        let (text, at) = caret();
        let (value, at) = match lookup.get_value() {
            Lookup::Channels { .. } => text_edit::replace_entry(&text, at, &choice.value),
            Lookup::User => (choice.value.clone(), choice.value.len()),
        };
        let utf16 = text_edit::utf16_offset(&value, at);
        state.set_text(field, value);
        expanded.set(false);
        request_animation_frame(move || {
            if let Some(el) = input.get_untracked() {
                let _ = el.focus();
                let _ = el.set_selection_range(utf16, utf16);
            }
        });
    };

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = suggestions.with_untracked(Vec::len);
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
                    pick(i);
                }
            }
            "Escape" if expanded.get_untracked() => {
                ev.prevent_default();
                expanded.set(false);
            }
            _ => {}
        }
    };

    let option_id = {
        let list_id = list_id.clone();
        move |i: usize| format!("{list_id}-{i}")
    };
    let active_id = {
        let option_id = option_id.clone();
        move || open().then(|| active.get().map(&option_id)).flatten()
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
                aria-expanded=move || if open() { "true" } else { "false" }
                aria-activedescendant=active_id
                aria-invalid=move || state.invalid(field)
                aria-required=move || state.required(field)
                aria-describedby=move || state.described_by(field)
                node_ref=input
                prop:value=move || state.text(field)
                on:input=move |ev| {
                    state.set_text(field, event_target_value(&ev));
                    suggest();
                }
                on:keydown=on_keydown
                on:blur=move |_| expanded.set(false)
            />
            <ul id=list_id role="listbox" class="combo-list" aria-label="Suggestions" hidden=move || !open()>
                {move || {
                    suggestions
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, s)| {
                            view! {
                                <li
                                    role="option"
                                    id=option_id(i)
                                    aria-selected=move || if active.get() == Some(i) { "true" } else { "false" }
                                    on:mousedown=|ev| ev.prevent_default()
                                    on:click=move |_| pick(i)
                                >
                                    <span class="mono">{s.value}</span>
                                    " "
                                    <span class="muted">{s.detail}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
        <ul class="entry-states" id=format!("{id}-states") aria-live="polite">
            {move || {
                let text = state.text(field);
                let list = lookup.with_value(|l| entries(l, &text));
                states.with(|s| {
                    list.into_iter()
                        .filter_map(|entry| {
                            let st = s.iter().find(|(e, _)| *e == entry)?.1.clone();
                            let class = match &st {
                                EntryState::Found => "entry-state found",
                                EntryState::NotFound | EntryState::NotMember => "entry-state bad",
                                _ => "entry-state pending",
                            };
                            let mark = match &st {
                                EntryState::Found => "✓",
                                EntryState::NotFound | EntryState::NotMember => "✗",
                                _ => "…",
                            };
                            let title = match &st {
                                EntryState::Unchecked(why) => Some(why.clone()),
                                _ => None,
                            };
                            Some(view! {
                                <li class=class title=title>
                                    <span aria-hidden="true">{mark}</span>
                                    " "
                                    <span class="mono">{entry}</span>
                                    ": "
                                    {st.label().to_owned()}
                                </li>
                            })
                        })
                        .collect_view()
                })
            }}
        </ul>
    }
}
