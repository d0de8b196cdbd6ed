//! The webhook editor of both kinds: the form rendered from its kind's table of [`Part`]s
//! with live validation, save (create or update), delete, drafts and the unsaved-changes
//! guard; beside it whatever the kind brings ([`Aside`]).

use super::controls::{event_select, retry_delay_select, token_input};
use super::safe::{ConflictDialog, Resolve, ReviewDialog};
use super::save::{use_delete, use_save, Target};
use super::{use_handover, words, Loaded, Setup};
use crate::api::Client;
use crate::browser::BrowserUrls;
use crate::components::{
    ActionOf, ChangeMeta, CompileResult, ConfirmDialog, Control, DraftKeeper, ErrorSummary,
    FormField, FormState, Lookup, LookupInput, RequiredLegend, ScriptEditor, UnsavedGuard,
};
use crate::core::changes::{self, merge::Side};
use crate::core::draft;
use crate::core::engine::ScriptEngine;
use crate::core::field::Field;
use crate::core::form::Form;
use crate::core::model::{Integration, Kind, ScriptStatus};
use crate::core::permissions::{Access, Permissions};
use crate::core::request;
use crate::core::urls::{self, WebAddress};
use crate::core::version::Features;
use crate::router::Route;
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
    /// What the server supports.
    pub features: Features,
    /// Saves the form as the Save button does (review first when a change can break).
    pub submit: Callback<()>,
    /// Opens the delete confirmation.
    pub delete_confirm: RwSignal<bool>,
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

/// What the parts of a form are drawn with.
#[derive(Clone)]
struct PartEnv {
    state: FormState,
    client: StoredValue<Client>,
    lookup: Lookup,
    /// Whether every channel entry is allowed (which hint the channel list shows).
    unrestricted: bool,
    result: Signal<CompileResult>,
}

/// One part of the form.
fn part_view(env: &PartEnv, part: Part) -> AnyView {
    let state = env.state;
    let custom = move |field: Field, hint: &'static str, control: AnyView| {
        view! { <FormField state field control=Control::Custom hint>{control}</FormField> }
            .into_any()
    };
    match part {
        Part::Heading(text) => view! { <h2>{text}</h2> }.into_any(),
        Part::Row(field, control, hint) => {
            view! { <FormField state field control hint /> }.into_any()
        }
        Part::Channel(all, restricted) => {
            let hint = if env.unrestricted { all } else { restricted };
            let (lookup, client) = (env.lookup.clone(), env.client.get_value());
            let input = view! { <LookupInput state field=Field::Channel lookup client /> };
            custom(Field::Channel, hint, input.into_any())
        }
        Part::PostAs(hint) => {
            let client = env.client.get_value();
            let input =
                view! { <LookupInput state field=Field::PostAs lookup=Lookup::User client /> };
            custom(Field::PostAs, hint, input.into_any())
        }
        Part::Preview => view! { <AuthorPreview state /> }.into_any(),
        Part::Script(hint) => {
            let result = env.result;
            let editor = view! { <ScriptEditor state result /> };
            custom(Field::Script, hint, editor.into_any())
        }
        Part::Event(hint) => custom(Field::Event, hint, event_select(state)),
        Part::Token(hint) => custom(Field::Token, hint, token_input(state)),
        Part::RetryDelay(hint) => custom(Field::RetryDelay, hint, retry_delay_select(state)),
    }
}

/// The form's parts in order; a part that holds a field shows while the form shows that
/// field (the engine select only when there is a choice, 6.4–6.x), through a memo, so
/// typing elsewhere does not rebuild it.
fn form_parts(env: PartEnv, parts: &'static [Part], features: Features) -> impl IntoView {
    let state = env.state;
    parts
        .iter()
        .map(|&part| match part.field() {
            Some(f) => {
                let shown = Memo::new(move |_| {
                    (f != Field::ScriptEngine || features.vm2_engine)
                        && state.form.with(|x| x.shows(f, &features))
                });
                let env = env.clone();
                (move || shown.get().then(|| part_view(&env, part))).into_any()
            }
            None => part_view(&env, part),
        })
        .collect_view()
}

/// The channel look-up of a kind, and whether every entry is allowed: the @user entries,
/// and for outgoing all three keywords.
fn channel_lookup(kind: Kind, permissions: Option<&Permissions>) -> (Lookup, bool) {
    let lookup = Lookup::channels(kind, permissions);
    let unrestricted = match &lookup {
        Lookup::Channels {
            users, keywords, ..
        } => *users && (kind == Kind::Incoming || keywords.len() == 3),
        Lookup::User => true,
    };
    (lookup, unrestricted)
}

/// Notices under the heading: a copy, a fresh create, missing rights.
fn notices(kind: Kind, data: &Loaded, access: Access) -> impl IntoView {
    let words = words(kind);
    let notices = [
        data.copied_from.as_ref().map(|from| {
            (
                "alert alert-info",
                format!("A copy of “{from}”. {}", words.copy_notice),
            )
        }),
        data.created
            .then(|| ("alert alert-success", words.created_notice.to_owned())),
        access
            .err()
            .map(|why| ("alert alert-warning", why.to_owned())),
    ];
    notices
        .into_iter()
        .flatten()
        .map(|(class, text)| view! { <p class=class>{text}</p> })
        .collect_view()
}

/// The history page of a saved outgoing webhook, for those who may see it.
fn history_href(
    saved: RwSignal<Option<Integration>>,
    permissions: Option<&Permissions>,
    user_id: &str,
) -> Option<String> {
    saved.with_untracked(|s| {
        s.as_ref()
            .filter(|d| d.kind() == Kind::Outgoing)
            .filter(|d| permissions.is_none_or(|p| p.can_view_history(d, user_id).is_ok()))
            .map(|d| Route::History(d.id().to_owned()).href())
    })
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
    let kind = data.form.kind();
    let is_new = data.form.id().is_none();
    let draft_key = draft::key(client.server(), &user_id, kind, data.form.id());
    let state = FormState::new(data.form.clone(), features, permissions.clone());
    let saved = RwSignal::new(data.stored.clone());
    let client = StoredValue::new(client);
    let target = Target {
        state,
        saved,
        client,
        draft_key: StoredValue::new(draft_key),
        pending: RwSignal::new(None),
        conflict_open: RwSignal::new(false),
    };
    let save = use_save(target, use_handover());
    let delete = use_delete(target);

    // What the person may do here; the reason is shown when they may not.
    let access = match (&permissions, saved.get_untracked()) {
        (None, _) => Ok(()),
        (Some(p), None) => p.can_create(kind),
        (Some(p), Some(doc)) => p.can_edit(&doc, &user_id),
    };
    let name = Signal::derive(move || saved.with(|s| s.as_ref().map(Integration::display_name)));
    let title = Signal::derive(move || match name.get() {
        Some(n) => format!("{n} · {} · hookpanel", kind.label()),
        None => format!("{} · hookpanel", words(kind).new_title),
    });
    let saving = use_saving(state, save, access.is_ok(), is_new);
    let submit = saving.submit;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit.run(());
    };
    let resolve = use_resolve(target, saving.save_now);
    let (lookup, unrestricted) = channel_lookup(kind, permissions.as_ref());
    let env = PartEnv {
        state,
        client,
        lookup,
        unrestricted,
        result: Signal::derive(move || saved.with(|s| compile_result(s.as_ref()))),
    };
    let history = history_href(saved, permissions.as_ref(), &user_id);
    let delete_confirm = RwSignal::new(false);
    let ctx = Ctx {
        state,
        saved,
        client,
        features,
        submit,
        delete_confirm,
    };

    view! {
        <EditorHead kind name history deletable=(!is_new).then_some(access.is_ok()) delete confirm=delete_confirm />
        {move || saved.get().map(|doc| view! { <ChangeMeta common=doc.common().clone() /> })}
        {notices(kind, &data, access)}
        <UnsavedGuard dirty=Signal::derive(move || state.dirty()) />
        <DraftKeeper state key=target.draft_key.get_value() />
        <ErrorSummary state title />
        <div class="editor-layout">
            <form class="form card" novalidate on:submit=on_submit>
                <RequiredLegend />
                {form_parts(env, parts, features)}
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || save.pending().get() || access.is_err()>
                        {move || match (save.pending().get(), is_new) {
                            (true, _) => "Saving…",
                            (false, true) => "Create webhook",
                            (false, false) => "Save changes",
                        }}
                    </button>
                    {move || (!is_new && state.dirty()).then(|| view! {
                        <button type="button" class="btn" on:click=move |_| saving.open_review.run(())>
                            "Review changes"
                        </button>
                    })}
                    <a href=Route::List.href() class="btn">"Cancel"</a>
                </div>
            </form>
            <aside class="stack">{aside(ctx)}</aside>
        </div>
        <ReviewDialog open=saving.review_open state on_save=saving.confirm_review />
        <ConflictDialog open=target.conflict_open pending=target.pending resolve />
    }
}

/// The ways to save.
#[derive(Clone, Copy)]
struct Saving {
    /// As the Save button: an edit that can break the webhook opens the review first.
    submit: Callback<()>,
    /// Without a review (after a resolved conflict).
    save_now: Callback<()>,
    /// Whether the review is open.
    review_open: RwSignal<bool>,
    /// The review's confirm: saves what was reviewed.
    confirm_review: Callback<()>,
    /// Opens the review from its own button (its confirm then validates again).
    open_review: Callback<()>,
}

fn use_saving(
    state: FormState,
    save: ActionOf<request::ApiRequest, ()>,
    allowed: bool,
    is_new: bool,
) -> Saving {
    let review_open = RwSignal::new(false);
    // The request Save built before its review: what was reviewed is what is sent, even if
    // a late finding (the script's syntax check) arrives while the review is open.
    let reviewed = StoredValue::new(None::<request::ApiRequest>);
    let send = move |req: request::ApiRequest| {
        if !save.pending().get_untracked() && allowed {
            save.dispatch(req);
        }
    };
    let save_now = Callback::new(move |_: ()| {
        if let Some(valid) = state.submit() {
            send(request::save(&valid));
        }
    });
    let submit = Callback::new(move |_: ()| {
        let breaking = !is_new
            && state
                .baseline
                .with_untracked(|b| state.form.with_untracked(|f| changes::review(b, f)))
                .needs_review();
        match state.submit() {
            Some(valid) if breaking => {
                reviewed.set_value(Some(request::save(&valid)));
                review_open.set(true);
            }
            Some(valid) => send(request::save(&valid)),
            None => {}
        }
    });
    Saving {
        submit,
        save_now,
        review_open,
        confirm_review: Callback::new(move |_: ()| {
            match reviewed.try_update_value(Option::take).flatten() {
                Some(req) => send(req),
                None => save_now.run(()),
            }
        }),
        open_review: Callback::new(move |_: ()| {
            reviewed.set_value(None);
            review_open.set(true);
        }),
    }
}

/// What the conflict dialog's answers do: both take the copy read at save as the new base;
/// "save" applies the choices and saves (the stored copy is checked once more), "reload"
/// keeps every change of mine unsaved on top of it.
fn use_resolve(target: Target, save_now: Callback<()>) -> Resolve {
    let Target {
        state,
        saved,
        pending,
        ..
    } = target;
    let rebase = move |form: Form, theirs: Integration| {
        state.baseline.set(Form::from_stored(&theirs));
        state.form.set(form);
        saved.set(Some(theirs));
        pending.set(None);
    };
    let announcer = crate::components::use_announcer();
    Resolve {
        save: Callback::new(move |choices: Vec<(Field, Side)>| {
            let Some(p) = pending.get_untracked() else {
                return;
            };
            if let Ok(form) = p.merge.resolve(&choices) {
                rebase(form, p.theirs);
                save_now.run(());
            }
        }),
        reload: Callback::new(move |_: ()| {
            let Some(p) = pending.get_untracked() else {
                return;
            };
            rebase(p.merge.resolve_all(Side::Mine), p.theirs);
            announcer.announce("Reloaded the saved copy; your changes are kept, not saved yet.");
        }),
    }
}

/// The back link, the heading, the call history link and "Delete" (with its confirmation,
/// naming the webhook). `deletable` is `None` for a new webhook, else whether it may go.
#[component]
fn EditorHead(
    kind: Kind,
    name: Signal<Option<String>>,
    history: Option<String>,
    deletable: Option<bool>,
    delete: ActionOf<(), ()>,
    confirm: RwSignal<bool>,
) -> impl IntoView {
    let words = words(kind);
    let on_delete = Callback::new(move |_| {
        delete.dispatch(());
    });
    let delete_title =
        Signal::derive(move || format!("Delete “{}”?", name.get().unwrap_or_default()));
    view! {
        <p class="back-link"><a href=Route::List.href()>"← Integrations"</a></p>
        <div class="page-head">
            <div>
                <p class="eyebrow">{kind.label()}</p>
                <h1>{move || name.get().unwrap_or_else(|| words.new_title.to_owned())}</h1>
            </div>
            <div class="row">
                {history.map(|href| view! { <a class="btn" href=href>"Call history"</a> })}
                {deletable.map(|allowed| view! {
                    <button
                        type="button"
                        class="btn btn-danger"
                        disabled=move || !allowed || delete.pending().get()
                        on:click=move |_| confirm.set(true)
                    >
                        "Delete"
                    </button>
                })}
            </div>
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
