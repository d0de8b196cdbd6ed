//! "Rotate URL…" (issue 15): the server cannot change an incoming token, so the webhook is
//! copied with every setting (the server gives the copy a new token), old and new URLs are
//! shown side by side, and disabling or deleting the old one is a separate, later step.

use super::editor::Ctx;
use crate::api::Client;
use crate::components::{
    local_action, use_announcer, Card, ConfirmDialog, CopyButton, Modal, SecretValue,
};
use crate::core::changes::rotate;
use crate::core::errors::ApiError;
use crate::core::field::Field;
use crate::core::form::IncomingForm;
use crate::core::model::{parse_integration_response, Incoming, Integration, Kind};
use crate::core::version::Features;
use crate::core::webhook;
use crate::router::Route;
use leptos::prelude::*;

/// Dots standing for a hidden token.
const DOTS: &str = "••••••••••••••••";

/// Creates the rotated copy of `old`.
async fn copy(client: Client, old: Incoming, features: Features) -> Result<Incoming, ApiError> {
    let answer = client.call(&rotate::copy_request(&old, &features)).await?;
    match parse_integration_response(&answer) {
        Some(Integration::Incoming(new)) => Ok(new),
        _ => Err(ApiError::Unexpected {
            status: 200,
            message: "The server created the copy, but its answer carried no webhook. Look for it in the list.".into(),
        }),
    }
}

/// The rotation card beside a stored incoming webhook.
#[component]
pub(super) fn Rotation(ctx: Ctx) -> impl IntoView {
    let Ctx {
        state,
        saved,
        client,
        features,
        ..
    } = ctx;
    let announcer = use_announcer();
    let confirm = RwSignal::new(false);
    let shown = RwSignal::new(false);
    let rotate_action = local_action(move |_: &()| {
        let old = saved.with_untracked(|s| match s {
            Some(Integration::Incoming(i)) => Some(i.clone()),
            _ => None,
        });
        let client = client.get_value();
        async move {
            let result = copy(client, old?, features).await;
            announcer.announce(match &result {
                Ok(_) => "New URL created. The old URL still works.",
                Err(_) => "The new URL could not be created",
            });
            shown.set(result.is_ok());
            Some(result)
        }
    });
    let name = move || {
        saved.with(|s| {
            s.as_ref()
                .map(Integration::display_name)
                .unwrap_or_default()
        })
    };
    let title = Signal::derive(move || format!("Rotate the URL of “{}”?", name()));
    let busy = move || rotate_action.pending().get() || state.dirty();
    let warning = Signal::derive(move || {
        state
            .dirty()
            .then_some("Save or discard your changes first.")
    });
    view! {
        <Card id="rotate" title="Rotate the URL" warning
            hint="The token in the URL cannot be changed. Rotating makes a copy with every setting and a new URL; the old URL keeps working until you disable or delete it.">
            <button type="button" class="btn" aria-describedby="rotate-hint" disabled=busy on:click=move |_| confirm.set(true)>
                {move || if rotate_action.pending().get() { "Rotating…" } else { "Rotate URL…" }}
            </button>
            {move || rotate_action.value().flatten().map(|r| match r {
                Ok(new) => view! {
                    <p>{format!("Created “{}”.", new.common.name)}" "
                        <button type="button" class="btn btn-small" on:click=move |_| shown.set(true)>"Show old and new URL"</button>
                    </p>
                    <Modal open=shown title_id="rotated-title" class="dialog-wide">
                        <Rotated ctx new=new.clone() shown />
                    </Modal>
                }.into_any(),
                Err(e) => view! { <p class="field-error" role="alert">{e.display()}</p> }.into_any(),
            })}
        </Card>
        <ConfirmDialog open=confirm id="rotate-confirm-title" title confirm_label="Create the new URL" on_confirm=Callback::new(move |_| { rotate_action.dispatch(()); })>
            <p>{move || format!("A copy named “{}” is created with every setting and a new token. Nothing changes for this webhook yet.", rotate::rotated_name(&name()))}</p>
        </ConfirmDialog>
    }
}

/// Old and new URL side by side, curl for the new one, and the later step for the old one.
#[component]
fn Rotated(ctx: Ctx, new: Incoming, shown: RwSignal<bool>) -> impl IntoView {
    let Ctx {
        state,
        saved,
        client,
        submit,
        delete_confirm,
        ..
    } = ctx;
    let server = client.with_value(|c| c.server().to_owned());
    let old = saved.with_untracked(|s| {
        s.as_ref()
            .map(|d| (d.id().to_owned(), d.token().unwrap_or_default().to_owned()))
            .unwrap_or_default()
    });
    let new_token = new.token.clone().unwrap_or_default();
    let old_url = webhook::hook_url(&server, &old.0, &old.1);
    let new_url = webhook::hook_url(&server, &new.common.id, &new_token);
    let old_masked = webhook::hook_url(&server, &old.0, "") + DOTS;
    let new_masked = webhook::hook_url(&server, &new.common.id, "") + DOTS;
    let payload = webhook::example_payload(&IncomingForm::from_stored(&new));
    let curl = webhook::curl_command(&new_url, &payload);
    let curl_shown = webhook::curl_command(&new_masked, &payload);
    let old_enabled = move || saved.with(|s| s.as_ref().is_some_and(|d| d.common().enabled));
    // The later step goes through Save (and its review), so it is checked like any edit.
    let disable = move |_| {
        shown.set(false);
        state.set_flag(Field::Enabled, false);
        submit.run(());
    };
    let delete = move |_| {
        shown.set(false);
        delete_confirm.set(true);
    };
    let new_href = Route::edit_of(Kind::Incoming, &new.common.id).href();
    view! {
        <h2 id="rotated-title">{format!("New URL ready: “{}”", new.common.name)}</h2>
        <div class="dialog-body">
            <div class="rotation-pair">
                <div>
                    <SecretValue id="rotation-old-url" label="Old URL" value=old_url masked=old_masked copy_label="Copy the old URL"
                        hint="Still works until you disable or delete this webhook." />
                </div>
                <div>
                    <SecretValue id="rotation-new-url" label="New URL" value=new_url masked=new_masked copy_label="Copy the new URL"
                        hint="Give this address to every service that posts here." />
                </div>
            </div>
            <div class="row spread">
                <h3 id="rotation-curl-title">"curl for the new URL"</h3>
                <CopyButton text=curl label="Copy the curl command for the new URL" />
            </div>
            <pre class="code" role="group" aria-labelledby="rotation-curl-title"><code>{curl_shown}</code></pre>
            <h3>"Later, once every sender uses the new URL"</h3>
            {move || if old_enabled() {
                view! {
                    <div class="row">
                        <button type="button" class="btn" on:click=disable>"Disable the old webhook"</button>
                        <button type="button" class="btn btn-danger" on:click=delete>"Delete the old webhook…"</button>
                    </div>
                }.into_any()
            } else {
                view! { <p class="alert alert-success">"The old webhook is disabled: its URL answers 503 now."</p> }.into_any()
            }}
        </div>
        <div class="form-actions">
            <a class="btn" href=new_href>"Open the new webhook"</a>
            <button type="button" class="btn btn-primary" autofocus on:click=move |_| shown.set(false)>"Close"</button>
        </div>
    }
}
