//! The editor's writes, as actions: save (create or update) and delete. Their pending state
//! is the busy state the buttons show; the form keeps everything typed whatever happens.
//!
//! No lost update: before an update the stored copy is read once more; when someone else
//! changed a field meanwhile nothing is written and the conflict waits in [`Pending`].

use super::{words, Handover};
use crate::api::Client;
use crate::browser::{self, Persistence};
use crate::components::{local_action, use_announcer, ActionOf, FormState};
use crate::core::changes::merge::{self, Merge};
use crate::core::errors::ApiError;
use crate::core::form::Form;
use crate::core::model::{parse_integration_response, Integration};
use crate::core::request::{self, ApiRequest};
use crate::router::{use_navigate, NavigateOptions, Route};
use leptos::prelude::*;

/// What the writes act on.
#[derive(Clone, Copy)]
pub(super) struct Target {
    pub state: FormState,
    /// The webhook as last loaded or saved; `None` until created.
    pub saved: RwSignal<Option<Integration>>,
    pub client: StoredValue<Client>,
    /// Where the local draft is kept.
    pub draft_key: StoredValue<String>,
    /// A save stopped because the stored copy changed meanwhile.
    pub pending: RwSignal<Option<Pending>>,
    /// Whether the conflict dialog is open.
    pub conflict_open: RwSignal<bool>,
}

/// A save that waits for the person: the stored copy changed since the form opened.
#[derive(Clone)]
pub(in crate::pages) struct Pending {
    /// Base (as opened), mine (as sent) and theirs (as read now), compared per field.
    pub merge: Merge,
    /// The stored copy read at save.
    pub theirs: Integration,
}

/// Compares the copy the form opened from with the one read now; a [`Pending`] when
/// someone else changed a field meanwhile.
fn conflict(base: &Integration, sent: &Form, theirs: Integration) -> Option<Pending> {
    let merge = merge::check(base, sent, &theirs)?;
    Some(Pending { merge, theirs })
}

impl Target {
    fn forget_draft(&self) {
        self.draft_key
            .with_value(|k| browser::forget(Persistence::Local, k));
    }
}

/// Saves the form: a create hands the new webhook to its edit page, an update shows the
/// server's answer. What was typed while the request was out stays as unsaved changes.
pub(super) fn use_save(target: Target, handover: Handover) -> ActionOf<ApiRequest, ()> {
    let Target { state, saved, .. } = target;
    let kind = state.kind();
    let is_new = saved.with_untracked(Option::is_none);
    let announcer = use_announcer();
    let navigate = use_navigate();
    let saved_ok = move |doc: Integration, sent: Form| {
        let fresh = Form::from_stored(&doc);
        if state.form.with_untracked(|now| *now == sent) {
            state.reset(fresh);
        } else {
            state.baseline.set(fresh);
            state.submitted.set(false);
        }
        if is_new {
            target.forget_draft();
            let path = Route::edit_of(kind, doc.id()).href();
            handover.give(doc);
            announcer.announce(words(kind).created);
            navigate(&path, NavigateOptions::REPLACE);
        } else {
            saved.set(Some(doc));
            announcer.announce("Saved");
        }
    };
    local_action(move |request: &ApiRequest| {
        let (client, request) = (target.client.get_value(), request.clone());
        let sent = state.form.get_untracked();
        let base = saved.get_untracked();
        async move {
            if let Some(base) = base {
                // The one extra read of an edit: the stored copy, right before writing.
                match super::read(&client, kind, base.id()).await {
                    Ok(theirs) => {
                        if let Some(p) = conflict(&base, &sent, theirs) {
                            target.pending.set(Some(p));
                            target.conflict_open.set(true);
                            announcer.announce("Not saved: someone else changed this webhook.");
                            return;
                        }
                    }
                    Err(e) => return state.refused(e),
                }
            }
            match client
                .call(&request)
                .await
                .map(|a| parse_integration_response(&a))
            {
                Ok(Some(doc)) if doc.kind() == kind => saved_ok(doc, sent),
                Ok(_) => state.refused(ApiError::Unexpected {
                    status: 200,
                    message:
                        "The server saved, but its answer carried no webhook. Reload to see it."
                            .into(),
                }),
                Err(e) => state.refused(e),
            }
        }
    })
}

/// Deletes the saved webhook, then goes back to the list.
pub(super) fn use_delete(target: Target) -> ActionOf<(), ()> {
    let Target { state, saved, .. } = target;
    let announcer = use_announcer();
    let navigate = use_navigate();
    local_action(move |_: &()| {
        let doc = saved.get_untracked();
        let client = target.client.get_value();
        async move {
            let Some(doc) = doc else { return };
            match client.call(&request::remove(&doc)).await {
                Ok(_) => {
                    target.forget_draft();
                    // Gone on the server: nothing unsaved is left to ask about.
                    state.reset(state.form.get_untracked());
                    announcer.announce(format!("Deleted “{}”", doc.display_name()));
                    navigate(&Route::List.href(), NavigateOptions::default());
                }
                Err(e) => state.refused(e),
            }
        }
    })
}
