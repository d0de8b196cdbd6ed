//! Incoming webhooks: the new page (also the duplicate page, `?duplicate=<id>`) and the edit
//! page. Both load what the editor needs, then hand it to [`editor::Editor`].
//!
//! Edit = one read + one write: after a create, the new document travels to the edit page
//! in [`CREATED`] instead of being read again.

mod editor;
mod usage;

use crate::api::Client;
use crate::core::errors::ApiError;
use crate::core::form::IncomingForm;
use crate::core::model::{parse_integration_response, Incoming, Integration};
use crate::core::permissions::Permissions;
use crate::core::request;
use crate::core::version::Features;
use crate::router::use_query_map;
use crate::server::use_server;
use crate::session::use_session;
use editor::Editor;
use leptos::prelude::*;
use std::cell::RefCell;

thread_local! {
    /// The document a create just returned, for the edit page it navigates to.
    static CREATED: RefCell<Option<Incoming>> = const { RefCell::new(None) };
}

/// Hands a created document to the edit page.
fn hand_over(created: Incoming) {
    CREATED.with(|c| *c.borrow_mut() = Some(created));
}

/// Takes the handed-over document if it is the one with this id.
fn take_created(id: &str) -> Option<Incoming> {
    CREATED.with(|c| c.borrow_mut().take().filter(|i| i.common.id == id))
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
    form: IncomingForm,
    /// The stored webhook when editing.
    stored: Option<Incoming>,
    /// The name of the webhook a duplicate copies.
    copied_from: Option<String>,
    /// Whether the edit page opens right after the create.
    created: bool,
}

/// Reads one incoming webhook.
async fn read(client: &Client, id: &str) -> Result<Incoming, ApiError> {
    let answer = client.call(&request::get(id)).await?;
    match parse_integration_response(&answer) {
        Some(Integration::Incoming(i)) => Ok(i),
        Some(Integration::Outgoing(_)) => Err(ApiError::Failed {
            message: "This integration is an outgoing webhook, not an incoming one.".into(),
        }),
        None => Err(ApiError::Unexpected {
            status: 200,
            message: "The answer carried no integration.".into(),
        }),
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
async fn load(mode: Mode, client: Client) -> Result<Loaded, ApiError> {
    let empty = Loaded {
        form: IncomingForm::new(),
        stored: None,
        copied_from: None,
        created: false,
    };
    match mode {
        Mode::New { duplicate: None } => Ok(empty),
        Mode::New {
            duplicate: Some(id),
        } => {
            let source = read(&client, &id).await?;
            Ok(Loaded {
                form: IncomingForm::from_stored(&source).duplicate(),
                copied_from: Some(Integration::Incoming(source).display_name()),
                ..empty
            })
        }
        Mode::Edit { id } => {
            let (stored, created) = match take_created(&id) {
                Some(doc) => (doc, true),
                None => (read(&client, &id).await?, false),
            };
            Ok(Loaded {
                form: IncomingForm::from_stored(&stored),
                stored: Some(stored),
                created,
                ..empty
            })
        }
    }
}

/// `/integrations/new/incoming`, optionally `?duplicate=<id>`.
#[component]
pub fn IncomingNewPage() -> impl IntoView {
    let duplicate = use_query_map()
        .with_untracked(|q| q.get("duplicate"))
        .filter(|d| !d.is_empty());
    page(Mode::New { duplicate })
}

/// `/integrations/incoming/:id`.
#[component]
pub fn IncomingEditPage(
    /// The integration id from the address.
    id: String,
) -> impl IntoView {
    page(Mode::Edit { id })
}

/// Loads the server facts and the page's data once, then shows the editor (or why not).
fn page(mode: Mode) -> impl IntoView {
    let session = use_session();
    let server = use_server();
    // Loaded once per page: nothing here may re-run and reset what is typed.
    let loaded: RwSignal<Option<Result<Loaded, ApiError>>> = RwSignal::new(None);
    match session.0.get_untracked() {
        Some(s) => leptos::task::spawn_local(async move {
            let result = load(mode, Client::for_session(&s)).await;
            loaded.try_set(Some(result));
        }),
        None => loaded.set(Some(Err(ApiError::Unauthorized {
            message: String::new(),
            two_factor: None,
        }))),
    }
    let ready = Memo::new(move |_| server.0.with(Option::is_some) && loaded.with(Option::is_some));
    view! {
        <Show
            when=move || ready.get()
            fallback=|| view! { <p class="muted" aria-busy="true">"Loading…"</p> }
        >
            {move || {
                let Some(session) = session.0.get_untracked() else {
                    return ().into_any();
                };
                // Without the server facts, assume a current server and let it decide rights.
                let state = server.0.get_untracked().flatten().and_then(Result::ok);
                let setup = Setup {
                    client: Client::for_session(&session),
                    features: state.as_ref().map_or(Features::for_version(None), |s| s.features),
                    permissions: state.as_ref().map(|s| s.permissions.clone()),
                    user_id: state.map_or(session.user_id.clone(), |s| s.user_id),
                };
                match loaded.get_untracked() {
                    Some(Ok(data)) => view! { <Editor setup data /> }.into_any(),
                    Some(Err(e)) => view! {
                        <div class="card narrow">
                            <h1>"This webhook could not be opened"</h1>
                            <p role="alert">{e.display()}</p>
                            <p><a href="/integrations">"Back to the integrations"</a></p>
                        </div>
                    }
                    .into_any(),
                    None => ().into_any(),
                }
            }}
        </Show>
    }
}
