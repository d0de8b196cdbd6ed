//! The webhook editor of both kinds: the form rendered from its kind's table of [`Part`]s
//! with live validation, save (create or update), delete, drafts and the unsaved-changes
//! guard; beside it whatever the kind brings ([`Aside`]).

use super::controls::{event_select, retry_delay_select, token_input};
use super::{hand_over, words, Loaded, Setup};
use crate::api::Client;
use crate::browser::{self, BrowserUrls, Persistence};
use crate::components::{
    use_announcer, ChangeMeta, CompileResult, ConfirmDialog, Control, DraftKeeper, ErrorSummary,
    FormField, FormState, Lookup, LookupInput, RequiredLegend, ScriptEditor, UnsavedGuard,
};
use crate::core::draft;
use crate::core::encode;
use crate::core::engine::ScriptEngine;
use crate::core::errors::ApiError;
use crate::core::field::Field;
use crate::core::form::Form;
use crate::core::model::{parse_integration_response, Integration, Kind, ScriptStatus};
use crate::core::request;
use crate::core::urls::{self, WebAddress};
use crate::router::{use_navigate, NavigateOptions};
use leptos::prelude::*;

/// One piece of a form, in order: each kind's form is rendered from a table of these.
/// Parts that hold a field show only while the form shows that field.
#[derive(Clone, Copy)]
pub(in crate::pages) enum Part {
    /// A section heading.
    Heading(&'static str),
    /// A standard field: the field, its control and its hint.
    Row(Field, Control, &'static str),
    /// The channel list, with its hint when every entry is allowed and when not.
    Channel(&'static str, &'static str),
    /// The "post as" user, with its hint.
    PostAs(&'static str),
    /// How the message author will look.
    Preview,
    /// The script editor, with its hint.
    Script(&'static str),
    /// The outgoing event, with its hint.
    Event(&'static str),
    /// The outgoing token, with its hint.
    Token(&'static str),
    /// The retry schedule, with its hint.
    RetryDelay(&'static str),
}

impl Part {
    /// The field this part edits, if any.
    fn field(self) -> Option<Field> {
        match self {
            Part::Heading(_) | Part::Preview => None,
            Part::Row(f, ..) => Some(f),
            Part::Channel(..) => Some(Field::Channel),
            Part::PostAs(_) => Some(Field::PostAs),
            Part::Script(_) => Some(Field::Script),
            Part::Event(_) => Some(Field::Event),
            Part::Token(_) => Some(Field::Token),
            Part::RetryDelay(_) => Some(Field::RetryDelay),
        }
    }
}

/// What a kind's side column and extras get from the editor.
#[derive(Clone, Copy)]
pub(in crate::pages) struct Ctx {
    pub state: FormState,
    /// The webhook as last loaded or saved; `None` until created.
    pub saved: RwSignal<Option<Integration>>,
    pub client: StoredValue<Client>,
}

/// What a kind shows beside its form.
pub(in crate::pages) type Aside = fn(Ctx) -> AnyView;

/// The script sandbox row, the same for both kinds.
pub(in crate::pages) const ENGINE_ROW: Part = Part::Row(
    Field::ScriptEngine,
    Control::Select(&ScriptEngine::CHOICES),
    "Older scripts may need the compatible sandbox; new ones should use the secure one.",
);

/// The compile result of a stored webhook, for the script editor.
fn compile_result(doc: Option<&Integration>) -> CompileResult {
    match doc.map(|d| d.common().script_status()) {
        Some(ScriptStatus::Compiled) => CompileResult::Compiled,
        Some(ScriptStatus::Failed(e)) => CompileResult::Failed(e.summary()),
        Some(ScriptStatus::Unknown) => CompileResult::Unknown,
        Some(ScriptStatus::NotUsed) | None => CompileResult::None,
    }
}

#[component]
pub(super) fn Editor(
    setup: Setup,
    data: Loaded,
    parts: &'static [Part],
    aside: Aside,
) -> impl IntoView {
    let Setup {
        client,
        features,
        permissions,
        user_id,
    } = setup;
    let Loaded {
        form,
        stored,
        copied_from,
        created,
    } = data;
    let kind = form.kind();
    let words = words(kind);
    let is_new = form.id().is_none();
    let announcer = use_announcer();
    let navigate = use_navigate();
    let draft_key = StoredValue::new(draft::key(client.server(), &user_id, kind, form.id()));
    let state = FormState::new(form, features, permissions.clone());
    let saved: RwSignal<Option<Integration>> = RwSignal::new(stored);
    let client = StoredValue::new(client);

    // What the person may do here; the reason is shown when they may not.
    let access = match (&permissions, saved.get_untracked()) {
        (None, _) => Ok(()),
        (Some(p), None) => p.can_create(kind),
        (Some(p), Some(doc)) => p.can_edit(&doc, &user_id),
    };
    let name = move || saved.with(|s| s.as_ref().map(Integration::display_name));
    let title = Signal::derive(move || match name() {
        Some(n) => format!("{n} · {} · hookpanel", kind.label()),
        None => format!("{} · hookpanel", words.new_title),
    });

    // Save: create or update. The form keeps everything typed whatever happens; what was
    // typed while the request was out stays as unsaved changes.
    let saving = RwSignal::new(false);
    let saved_ok = move |doc: Integration, sent: Form| {
        let fresh = Form::from_stored(&doc);
        if state.form.with_untracked(|now| *now == sent) {
            state.reset(fresh);
        } else {
            state.baseline.set(fresh);
            state.submitted.set(false);
        }
        if is_new {
            draft_key.with_value(|k| browser::forget(Persistence::Local, k));
            let path = format!("{}{}", words.path, encode::component(doc.id()));
            hand_over(doc);
            announcer.announce(words.created);
            navigate(&path, NavigateOptions::REPLACE);
        } else {
            saved.set(Some(doc));
            announcer.announce("Saved");
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() || access.is_err() {
            return;
        }
        let Some(valid) = state.submit() else { return };
        let sent = state.form.get_untracked();
        let request = request::save(&valid);
        let client = client.get_value();
        saving.set(true);
        leptos::task::spawn_local(async move {
            let answer = client.call(&request).await;
            // Gone meanwhile (the person left): nothing left to update.
            if saving.try_set(false).is_some() {
                return;
            }
            match answer.map(|a| parse_integration_response(&a)) {
                Ok(Some(doc)) if doc.kind() == kind => saved_ok(doc, sent),
                Ok(_) => state.refused(ApiError::Unexpected {
                    status: 200,
                    message:
                        "The server saved, but its answer carried no webhook. Reload to see it."
                            .into(),
                }),
                Err(e) => state.refused(e),
            }
        });
    };

    // Delete, after a confirmation naming the webhook.
    let confirm = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let on_delete = Callback::new(move |_| {
        let Some(doc) = saved.get_untracked() else {
            return;
        };
        let request = request::remove(&doc);
        let client = client.get_value();
        deleting.set(true);
        leptos::task::spawn_local(async move {
            let answer = client.call(&request).await;
            if deleting.try_set(false).is_some() {
                return;
            }
            match answer {
                Ok(_) => {
                    draft_key.with_value(|k| browser::forget(Persistence::Local, k));
                    // Gone on the server: nothing unsaved is left to ask about.
                    state.reset(state.form.get_untracked());
                    announcer.announce(format!("Deleted “{}”", name().unwrap_or_default()));
                    navigate("/integrations", NavigateOptions::default());
                }
                Err(e) => state.refused(e),
            }
        });
    });
    let delete_title = Signal::derive(move || format!("Delete “{}”?", name().unwrap_or_default()));

    let lookup = Lookup::channels(kind, permissions.as_ref());
    // Every entry allowed: the @user entries, and for outgoing all three keywords.
    let unrestricted = match &lookup {
        Lookup::Channels {
            users, keywords, ..
        } => *users && (kind == Kind::Incoming || keywords.len() == 3),
        Lookup::User => true,
    };
    let result = Signal::derive(move || saved.with(|s| compile_result(s.as_ref())));
    // A part shows while the form shows its field (the engine select only when there is a
    // choice, 6.4–6.x); a memo, so typing elsewhere does not rebuild it.
    let visible = move |f: Field| {
        Memo::new(move |_| {
            (f != Field::ScriptEngine || features.vm2_engine)
                && state.form.with(|x| x.shows(f, &features))
        })
    };
    let part_view = move |part: Part| {
        match part {
        Part::Heading(text) => view! { <h2>{text}</h2> }.into_any(),
        Part::Row(field, control, hint) => view! { <FormField state field control hint /> }.into_any(),
        Part::Channel(all, restricted) => {
            let hint = if unrestricted { all } else { restricted };
            let lookup = lookup.clone();
            view! {
                <FormField state field=Field::Channel hint control=Control::Custom>
                    <LookupInput state field=Field::Channel lookup client=client.get_value() />
                </FormField>
            }
            .into_any()
        }
        Part::PostAs(hint) => view! {
            <FormField state field=Field::PostAs hint control=Control::Custom>
                <LookupInput state field=Field::PostAs lookup=Lookup::User client=client.get_value() />
            </FormField>
        }
        .into_any(),
        Part::Preview => view! { <AuthorPreview state /> }.into_any(),
        Part::Script(hint) => view! {
            <FormField state field=Field::Script control=Control::Custom hint>
                <ScriptEditor state result />
            </FormField>
        }
        .into_any(),
        Part::Event(hint) => view! {
            <FormField state field=Field::Event control=Control::Custom hint>
                {event_select(state)}
            </FormField>
        }
        .into_any(),
        Part::Token(hint) => view! {
            <FormField state field=Field::Token control=Control::Custom hint>
                {token_input(state)}
            </FormField>
        }
        .into_any(),
        Part::RetryDelay(hint) => view! {
            <FormField state field=Field::RetryDelay control=Control::Custom hint>
                {retry_delay_select(state)}
            </FormField>
        }
        .into_any(),
    }
    };
    let parts = parts
        .iter()
        .map(|&part| match part.field() {
            Some(f) => {
                let shown = visible(f);
                let part_view = part_view.clone();
                (move || shown.get().then(|| part_view(part))).into_any()
            }
            None => part_view(part),
        })
        .collect_view();

    // Notices under the heading: a copy, a fresh create, missing rights.
    let notices = [
        copied_from.map(|from| {
            (
                "alert alert-info",
                format!("A copy of “{from}”. {}", words.copy_notice),
            )
        }),
        created.then(|| ("alert alert-success", words.created_notice.to_owned())),
        access
            .err()
            .map(|why| ("alert alert-warning", why.to_owned())),
    ];
    // Outgoing webhooks have a call history, for those who may see it.
    let history = saved.with_untracked(|s| {
        s.as_ref()
            .filter(|d| d.kind() == Kind::Outgoing)
            .filter(|d| {
                permissions
                    .as_ref()
                    .is_none_or(|p| p.can_view_history(d, &user_id).is_ok())
            })
            .map(|d| format!("{}{}/history", words.path, encode::component(d.id())))
    });
    let ctx = Ctx {
        state,
        saved,
        client,
    };

    view! {
        <p class="back-link"><a href="/integrations">"← Integrations"</a></p>
        <div class="page-head">
            <div>
                <p class="eyebrow">{kind.label()}</p>
                <h1>{move || name().unwrap_or_else(|| words.new_title.to_owned())}</h1>
            </div>
            <div class="row">
                {history.map(|href| view! { <a class="btn" href=href>"Call history"</a> })}
                {(!is_new).then(|| view! {
                    <button
                        type="button"
                        class="btn btn-danger"
                        disabled=move || access.is_err() || deleting.get()
                        on:click=move |_| confirm.set(true)
                    >
                        "Delete"
                    </button>
                })}
            </div>
        </div>
        {move || saved.get().map(|doc| view! { <ChangeMeta common=doc.common().clone() /> })}
        {notices.into_iter().flatten().map(|(class, text)| view! { <p class=class>{text}</p> }).collect_view()}
        <UnsavedGuard dirty=Signal::derive(move || state.dirty()) />
        <DraftKeeper state key=draft_key.get_value() />
        <ErrorSummary state title />
        <div class="editor-layout">
            <form class="form card" novalidate on:submit=on_submit>
                <RequiredLegend />
                {parts}
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || saving.get() || access.is_err()>
                        {move || match (saving.get(), is_new) {
                            (true, _) => "Saving…",
                            (false, true) => "Create webhook",
                            (false, false) => "Save changes",
                        }}
                    </button>
                    <a href="/integrations" class="btn">"Cancel"</a>
                </div>
            </form>
            <aside class="stack">{aside(ctx)}</aside>
        </div>
        <ConfirmDialog open=confirm title=delete_title confirm_label="Delete" danger=true on_confirm=on_delete>
            <p>{words.delete_warning}</p>
        </ConfirmDialog>
    }
}

/// How the author of the messages will look: avatar or emoji, and alias or username.
#[component]
fn AuthorPreview(state: FormState) -> impl IntoView {
    // The address whose image failed to load, to say so instead of a broken picture.
    let broken = RwSignal::new(String::new());
    let look = move || {
        state.form.with(|f| {
            let alias = f.text(Field::Alias).trim();
            let who = if alias.is_empty() {
                f.text(Field::PostAs).trim()
            } else {
                alias
            };
            (
                f.text(Field::Avatar).trim().to_owned(),
                f.text(Field::Emoji).trim().to_owned(),
                who.to_owned(),
            )
        })
    };
    view! {
        <div class="author-preview" aria-label="Preview of the message author" role="group">
            {move || {
                let (avatar, emoji, who) = look();
                let image = urls::check(&BrowserUrls, &avatar) != WebAddress::Invalid;
                let failed = broken.with(|b| *b == avatar);
                let note = (image && failed && emoji.is_empty()).then(|| {
                    view! { <span class="field-warning">"The image at this address could not be loaded."</span> }
                });
                let picture = if !emoji.is_empty() {
                    view! { <span class="avatar avatar-emoji">{emoji}</span> }.into_any()
                } else if image && !failed {
                    let src = avatar.clone();
                    view! {
                        <img class="avatar" src=src alt="" width="36" height="36" on:error=move |_| broken.set(avatar.clone()) />
                    }
                    .into_any()
                } else {
                    let letter = who.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default();
                    view! { <span class="avatar avatar-letter" aria-hidden="true">{letter}</span> }.into_any()
                };
                let who = if who.is_empty() { "Post as user".to_owned() } else { who };
                view! {
                    {picture}
                    <span><strong>{who}</strong>" "<span class="badge">"Bot"</span></span>
                    {note}
                }
            }}
        </div>
    }
}
