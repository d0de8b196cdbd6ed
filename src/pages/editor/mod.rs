//! What the incoming and outgoing webhook pages share: loading (a new form, the source of a
//! duplicate `?duplicate=<id>`, or the webhook edited) and the editor shell ([`shell`]) with
//! save, delete, drafts, the unsaved-changes guard and the form rendered from a table of
//! [`Part`]s. Each kind only brings its table and what goes beside the form.
//!
//! Edit = one read + one write: after a create, the new document travels to the edit page
//! through the [`Handover`] in context instead of being read again.

mod controls;
mod safe;
mod save;
mod shell;

pub(super) use shell::{Aside, Ctx, Part, ENGINE_ROW};

use crate::api::Client;
use crate::browser;
use crate::components::local_resource;
use crate::core::errors::ApiError;
use crate::core::form::{Form, IncomingForm, OutgoingForm};
use crate::core::model::{parse_integration_response, Integration, Kind};
use crate::core::permissions::Permissions;
use crate::core::request;
use crate::core::version::Features;
use crate::router::{use_query_map, Route};
use crate::server::{use_server, ServerState};
use crate::session::{use_session, Session};
use leptos::prelude::*;
use shell::Editor;

/// Hints both kinds use.
pub(super) mod hint {
    pub const NAME: &str = "Shown in the list, so you can find this webhook later.";
    pub const POST_AS: &str =
        "An existing username; messages appear as this user. Saving gives this user the bot role.";
    pub const ALIAS: &str =
        "Shown instead of the username, for example CI. Letters, digits, spaces and . _ ' - only.";
    pub const AVATAR: &str = "Web address of an image shown beside each message.";
    pub const EMOJI: &str = "Shown as the avatar instead of an image, for example :ghost:.";
    pub const SKIP_TRANSPILE: &str = "Runs the script as written, in strict mode, as Rocket.Chat 9.0 will: try it before upgrading.";
}

/// The document a create just returned, for the edit page it navigates to; provided by the
/// root component, since it outlives the new page.
#[derive(Clone, Copy)]
pub(crate) struct Handover(StoredValue<Option<Integration>>);

/// Provides the hand-over for the editor pages.
pub(crate) fn provide_handover() {
    provide_context(Handover(StoredValue::new(None)));
}

fn use_handover() -> Handover {
    expect_context::<Handover>()
}

impl Handover {
    /// Hands a created document to the edit page.
    fn give(&self, created: Integration) {
        self.0.set_value(Some(created));
    }

    /// Takes the handed-over document if it is the one with this id.
    fn take(&self, id: &str) -> Option<Integration> {
        self.0
            .try_update_value(|c| c.take().filter(|i| i.id() == id))
            .flatten()
    }
}

/// What the editor needs besides the form: who, where, and what the server supports.
#[derive(Clone)]
struct Setup {
    client: Client,
    features: Features,
    permissions: Option<Permissions>,
    user_id: String,
}

/// What a page loaded before the editor shows.
#[derive(Clone)]
struct Loaded {
    form: Form,
    /// The stored webhook when editing.
    stored: Option<Integration>,
    /// The name of the webhook a duplicate copies.
    copied_from: Option<String>,
    /// Whether the edit page opens right after the create.
    created: bool,
}

/// The words that differ between the two kinds.
struct Words {
    /// The heading of the new page.
    new_title: &'static str,
    /// Said after a create.
    created: &'static str,
    /// Shown on the edit page right after the create.
    created_notice: &'static str,
    /// After "A copy of “name”.".
    copy_notice: &'static str,
    /// The delete confirmation's warning.
    delete_warning: &'static str,
    /// When the id read belongs to the other kind.
    wrong_kind: &'static str,
}

fn words(kind: Kind) -> &'static Words {
    const INCOMING: Words = Words {
        new_title: "New incoming webhook",
        created: "Incoming webhook created",
        created_notice: "Created. Send your JSON payloads to the webhook URL below.",
        copy_notice: "The new webhook gets its own URL and token when you create it.",
        delete_warning: "Deleting a webhook cannot be undone. Services posting to its URL will get errors from then on.",
        wrong_kind: "This integration is an outgoing webhook, not an incoming one.",
    };
    const OUTGOING: Words = Words {
        new_title: "New outgoing webhook",
        created: "Outgoing webhook created",
        created_notice: "Created. Rocket.Chat now calls the URLs below when the event happens.",
        copy_notice:
            "The new webhook gets its own token: update the receiving service to accept it.",
        delete_warning: "Deleting a webhook cannot be undone. Rocket.Chat stops calling its URLs.",
        wrong_kind: "This integration is an incoming webhook, not an outgoing one.",
    };
    match kind {
        Kind::Incoming => &INCOMING,
        Kind::Outgoing => &OUTGOING,
    }
}

/// Reads one webhook of `kind`.
async fn read(client: &Client, kind: Kind, id: &str) -> Result<Integration, ApiError> {
    let answer = client.call(&request::get(id)).await?;
    match parse_integration_response(&answer) {
        Some(i) if i.kind() == kind => Ok(i),
        Some(_) => Err(ApiError::Failed {
            message: words(kind).wrong_kind.into(),
        }),
        None => Err(ApiError::Unexpected {
            status: 200,
            message: "The answer carried no integration.".into(),
        }),
    }
}

/// A new form of `kind` with the official defaults (and a fresh token for outgoing).
fn new_form(kind: Kind) -> Form {
    match kind {
        Kind::Incoming => Form::Incoming(IncomingForm::new()),
        Kind::Outgoing => Form::Outgoing(OutgoingForm::new(browser::new_token())),
    }
}

/// A new form copying `source` (a fresh token for outgoing; incoming gets one from the server).
fn duplicate_form(source: &Integration) -> Form {
    match source {
        Integration::Incoming(i) => Form::Incoming(IncomingForm::from_stored(i).duplicate()),
        Integration::Outgoing(o) => {
            Form::Outgoing(OutgoingForm::from_stored(o).duplicate(browser::new_token()))
        }
    }
}

/// Which page is open.
#[derive(Clone)]
enum Mode {
    /// A new webhook, maybe a copy of the one with this id.
    New { duplicate: Option<String> },
    /// The webhook with this id.
    Edit { id: String },
}

/// Loads what the page shows: nothing for a new form, the source of a duplicate, or the
/// webhook edited (unless a create just handed it over).
async fn load(
    kind: Kind,
    mode: Mode,
    client: Client,
    handover: Handover,
) -> Result<Loaded, ApiError> {
    match mode {
        Mode::New { duplicate: None } => Ok(Loaded {
            form: new_form(kind),
            stored: None,
            copied_from: None,
            created: false,
        }),
        Mode::New {
            duplicate: Some(id),
        } => {
            let source = read(&client, kind, &id).await?;
            Ok(Loaded {
                form: duplicate_form(&source),
                stored: None,
                copied_from: Some(source.display_name()),
                created: false,
            })
        }
        Mode::Edit { id } => {
            let (stored, created) = match handover.take(&id) {
                Some(doc) => (doc, true),
                None => (read(&client, kind, &id).await?, false),
            };
            Ok(Loaded {
                form: Form::from_stored(&stored),
                stored: Some(stored),
                copied_from: None,
                created,
            })
        }
    }
}

/// `/integrations/new/<kind>`, optionally `?duplicate=<id>`.
pub(super) fn new_page(kind: Kind, parts: &'static [Part], aside: Aside) -> impl IntoView {
    let duplicate = use_query_map()
        .with_untracked(|q| q.get("duplicate"))
        .filter(|d| !d.is_empty());
    page(kind, Mode::New { duplicate }, parts, aside)
}

/// `/integrations/<kind>/:id`.
pub(super) fn edit_page(
    kind: Kind,
    id: String,
    parts: &'static [Part],
    aside: Aside,
) -> impl IntoView {
    page(kind, Mode::Edit { id }, parts, aside)
}

/// Loads the server facts and the page's data once, then shows the editor (or why not).
fn page(kind: Kind, mode: Mode, parts: &'static [Part], aside: Aside) -> impl IntoView {
    let session = use_session();
    let server = use_server();
    let handover = use_handover();
    // Loaded once per page: the fetcher reads nothing tracked, so nothing re-runs it and
    // resets what is typed.
    let loaded = local_resource(move || {
        let client = session.get_untracked().map(|s| Client::for_session(&s));
        let mode = mode.clone();
        async move {
            match client {
                Some(client) => load(kind, mode, client, handover).await,
                None => Err(ApiError::Unauthorized {
                    message: String::new(),
                    two_factor: None,
                }),
            }
        }
    });
    let ready = Memo::new(move |_| server.ready() && loaded.with(|l| l.is_some()));
    view! {
        <Show
            when=move || ready.get()
            fallback=|| view! { <p class="muted" aria-busy="true">"Loading…"</p> }
        >
            {move || {
                let setup = setup(session.get_untracked()?, server.state_untracked());
                Some(match loaded.get_untracked()? {
                    Ok(data) => view! { <Editor setup data parts aside /> }.into_any(),
                    Err(e) => view! {
                        <div class="card narrow">
                            <h1>"This webhook could not be opened"</h1>
                            <p role="alert">{e.display()}</p>
                            <p><a href=Route::List.href()>"Back to the integrations"</a></p>
                        </div>
                    }
                    .into_any(),
                })
            }}
        </Show>
    }
}

/// Who, where and what the server supports; without the server facts, a current server is
/// assumed and the server decides rights.
fn setup(session: Session, state: Option<ServerState>) -> Setup {
    Setup {
        client: Client::for_session(&session),
        features: state
            .as_ref()
            .map_or(Features::for_version(None), |s| s.features),
        permissions: state.as_ref().map(|s| s.permissions.clone()),
        user_id: state.map_or(session.user_id.clone(), |s| s.user_id),
    }
}
