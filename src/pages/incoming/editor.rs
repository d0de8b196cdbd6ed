//! The incoming webhook editor: the form with its live validation, save (create or update),
//! delete, and beside it how to use the webhook and a test message.

use super::usage::{TestMessage, Usage};
use super::{hand_over, Loaded, Setup};
use crate::browser::{self, BrowserUrls, Persistence};
use crate::components::{
    use_announcer, ChangeMeta, CompileResult, ConfirmDialog, Control, DraftKeeper, ErrorSummary,
    FormField, FormState, Lookup, LookupInput, RequiredLegend, ScriptEditor, UnsavedGuard,
};
use crate::core::draft;
use crate::core::encode;
use crate::core::errors::ApiError;
use crate::core::field::Field;
use crate::core::form::{Form, IncomingForm};
use crate::core::model::{parse_integration_response, Incoming, Integration, Kind, ScriptStatus};
use crate::core::request;
use crate::core::urls::{self, WebAddress};
use crate::router::{use_navigate, NavigateOptions};
use leptos::prelude::*;

/// One piece of the form, in order: the form is rendered from this table.
#[derive(Clone, Copy)]
enum Part {
    /// A section heading.
    Heading(&'static str),
    /// A standard field: the field, its control and its hint.
    Row(Field, Control, &'static str),
    /// The "post to" channel list.
    Channel,
    /// The "post as" user.
    PostAs,
    /// How the message author will look.
    Preview,
    /// The script editor.
    Script,
}

const ENGINES: [(&str, &str); 2] = [
    ("isolated-vm", "Secure sandbox (isolated-vm)"),
    ("vm2", "Compatible sandbox (vm2)"),
];

const PARTS: [Part; 16] = [
    Part::Heading("Where messages go"),
    Part::Row(Field::Enabled, Control::Toggle, "A disabled webhook posts nothing: the server answers 503."),
    Part::Row(Field::Name, Control::Text, "Shown in the list, so you can find this webhook later."),
    Part::Channel,
    Part::PostAs,
    Part::Row(Field::OverrideDestination, Control::Toggle, "Lets a payload pick its own room with a channel or roomId key."),
    Part::Heading("How messages look"),
    Part::Row(Field::Alias, Control::Text, "Shown instead of the username, for example CI. Letters, digits, spaces and . _ ' - only."),
    Part::Row(Field::Avatar, Control::Text, "Web address of an image shown beside each message."),
    Part::Row(Field::Emoji, Control::Text, "Shown as the avatar instead of an image, for example :ghost:."),
    Part::Preview,
    Part::Heading("Script"),
    Part::Row(Field::ScriptEnabled, Control::Toggle, "Runs the script below on each payload before it is posted."),
    Part::Row(Field::ScriptEngine, Control::Select(&ENGINES), "Older scripts may need the compatible sandbox; new ones should use the secure one."),
    Part::Row(Field::SkipTranspile, Control::Toggle, "Runs the script as written, in strict mode, as Rocket.Chat 9.0 will: try it before upgrading."),
    Part::Script,
];

const CHANNEL_HINT: &str = "Where messages are posted: #room for a room, @user for a direct message. Separate several with commas.";
const CHANNEL_HINT_ROOMS: &str = "Where messages are posted: #room. Separate several rooms with commas. Your role cannot post to @user.";

/// The compile result of a stored webhook, for the script editor.
fn compile_result(doc: Option<&Incoming>) -> CompileResult {
    match doc.map(|d| d.common.script_status()) {
        Some(ScriptStatus::Compiled) => CompileResult::Compiled,
        Some(ScriptStatus::Failed(e)) => CompileResult::Failed(e.summary()),
        Some(ScriptStatus::Unknown) => CompileResult::Unknown,
        Some(ScriptStatus::NotUsed) | None => CompileResult::None,
    }
}

#[component]
pub(super) fn Editor(setup: Setup, data: Loaded) -> impl IntoView {
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
    let kind = Kind::Incoming;
    let is_new = form.is_new();
    let announcer = use_announcer();
    let navigate = use_navigate();
    let state = FormState::new(Form::Incoming(form.clone()), features, permissions.clone());
    let saved: RwSignal<Option<Incoming>> = RwSignal::new(stored);
    let draft_key = StoredValue::new(draft::key(
        client.server(),
        &user_id,
        kind,
        form.id.as_deref(),
    ));
    let client = StoredValue::new(client);

    // What the person may do here; the reason is shown when they may not.
    let access = match (&permissions, saved.get_untracked()) {
        (None, _) => Ok(()),
        (Some(p), None) => p.can_create(kind),
        (Some(p), Some(doc)) => p.can_edit(&Integration::Incoming(doc), &user_id),
    };
    let name = move || {
        saved.with(|s| {
            s.as_ref()
                .map(|d| Integration::Incoming(d.clone()).display_name())
        })
    };
    let title = Signal::derive(move || match name() {
        Some(n) => format!("{n} · Incoming webhook · hookpanel"),
        None => "New incoming webhook · hookpanel".to_owned(),
    });

    // Save: create or update. The form keeps everything typed whatever happens; what was
    // typed while the request was out stays as unsaved changes.
    let saving = RwSignal::new(false);
    let saved_ok = move |doc: Incoming, sent: Form| {
        let fresh = Form::Incoming(IncomingForm::from_stored(&doc));
        if state.form.with_untracked(|now| *now == sent) {
            state.reset(fresh);
        } else {
            state.baseline.set(fresh);
            state.submitted.set(false);
        }
        if is_new {
            draft_key.with_value(|k| browser::forget(Persistence::Local, k));
            let path = format!(
                "/integrations/incoming/{}",
                encode::component(&doc.common.id)
            );
            hand_over(doc);
            announcer.announce("Incoming webhook created");
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
                Ok(Some(Integration::Incoming(doc))) => saved_ok(doc, sent),
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
        let request = request::remove(&Integration::Incoming(doc));
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
    let channel_hint = if matches!(lookup, Lookup::Channels { users: true, .. }) {
        CHANNEL_HINT
    } else {
        CHANNEL_HINT_ROOMS
    };
    let result = Signal::derive(move || saved.with(|s| compile_result(s.as_ref())));
    // The engine select only when there is a choice (6.4–6.x).
    let shown = move |f: Field| {
        (f != Field::ScriptEngine || features.vm2_engine)
            && state.form.with_untracked(|x| x.shows(f, &features))
    };
    let parts = PARTS
        .iter()
        .map(|part| match *part {
            Part::Heading(text) => view! { <h2>{text}</h2> }.into_any(),
            Part::Row(field, control, hint) if shown(field) => {
                view! { <FormField state field control hint /> }.into_any()
            }
            Part::Row(..) => ().into_any(),
            Part::Channel => {
                let lookup = lookup.clone();
                view! {
                    <FormField state field=Field::Channel hint=channel_hint control=Control::Custom>
                        <LookupInput state field=Field::Channel lookup client=client.get_value() />
                    </FormField>
                }
                .into_any()
            }
            Part::PostAs => view! {
                <FormField state field=Field::PostAs hint="An existing username; messages appear as this user. Saving gives this user the bot role." control=Control::Custom>
                    <LookupInput state field=Field::PostAs lookup=Lookup::User client=client.get_value() />
                </FormField>
            }
            .into_any(),
            Part::Preview => view! { <AuthorPreview state /> }.into_any(),
            Part::Script => view! {
                <FormField state field=Field::Script control=Control::Custom hint="JavaScript with a Script class (process_incoming_request). Tab inserts a tab; press Esc then Tab to leave the editor.">
                    <ScriptEditor state result />
                </FormField>
            }
            .into_any(),
        })
        .collect_view();

    // Notices under the heading: a copy, a fresh create, missing rights.
    let notices = [
        copied_from.map(|from| ("alert alert-info", format!("A copy of “{from}”. The new webhook gets its own URL and token when you create it."))),
        created.then(|| ("alert alert-success", "Created. Send your JSON payloads to the webhook URL below.".to_owned())),
        access.err().map(|why| ("alert alert-warning", why.to_owned())),
    ];

    view! {
        <p class="back-link"><a href="/integrations">"← Integrations"</a></p>
        <div class="page-head">
            <div>
                <p class="eyebrow">"Incoming webhook"</p>
                <h1>{move || name().unwrap_or_else(|| "New incoming webhook".to_owned())}</h1>
            </div>
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
        {move || saved.get().map(|doc| view! { <ChangeMeta common=doc.common /> })}
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
            <aside class="stack">
                <Usage state saved=saved.into() server=client.with_value(|c| c.server().to_owned()) />
                {(!is_new).then(|| view! { <TestMessage saved=saved.into() client=client.get_value() /> })}
            </aside>
        </div>
        <ConfirmDialog open=confirm title=delete_title confirm_label="Delete" danger=true on_confirm=on_delete>
            <p>"Deleting a webhook cannot be undone. Services posting to its URL will get errors from then on."</p>
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
