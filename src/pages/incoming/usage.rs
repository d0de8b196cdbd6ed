//! Beside the incoming form: how to use the webhook (URL, token, an example payload that
//! follows the alias, emoji and avatar being typed, a ready curl line) and a test message.

use crate::api::Client;
use crate::components::{
    local_action, use_announcer, ActionOf, Card, CopyButton, FormState, SecretValue,
};
use crate::core::errors::ApiError;
use crate::core::form::{Form, IncomingForm};
use crate::core::model::Integration;
use crate::core::webhook;
use leptos::prelude::*;

/// Dots standing for a hidden secret.
const DOTS: &str = "••••••••••••••••";

/// The sample a test message starts from; the person may edit it.
const SAMPLE: &str = r##"{
  "text": "Test message from hookpanel",
  "attachments": [
    {
      "title": "It works",
      "text": "Sent with the Send test message button.",
      "color": "#2de0a5"
    }
  ]
}"##;

/// URL, token, example payload and curl line (the URL and token once saved).
#[component]
pub(super) fn Usage(
    state: FormState,
    saved: Signal<Option<Integration>>,
    server: String,
) -> impl IntoView {
    let secrets = move || {
        saved.with(|s| {
            let doc = s.as_ref()?;
            Some((
                doc.id().to_owned(),
                doc.token().unwrap_or_default().to_owned(),
            ))
        })
    };
    let server = StoredValue::new(server);
    let url = Signal::derive(move || {
        secrets()
            .map(|(id, token)| server.with_value(|s| webhook::hook_url(s, &id, &token)))
            .unwrap_or_default()
    });
    let masked_url = Signal::derive(move || {
        secrets()
            .map(|(id, _)| server.with_value(|s| webhook::hook_url(s, &id, "")) + DOTS)
            .unwrap_or_default()
    });
    let token = Signal::derive(move || secrets().map(|(_, t)| t).unwrap_or_default());
    let payload = Signal::derive(move || {
        state
            .form
            .with(|f| match f {
                Form::Incoming(f) => serde_json::to_string_pretty(&webhook::example_payload(f)),
                Form::Outgoing(_) => {
                    serde_json::to_string_pretty(&webhook::example_payload(&IncomingForm::new()))
                }
            })
            .unwrap_or_default()
    });
    let compact = move || {
        state.form.with(|f| match f {
            Form::Incoming(f) => webhook::example_payload(f),
            Form::Outgoing(_) => webhook::example_payload(&IncomingForm::new()),
        })
    };
    let curl = Signal::derive(move || webhook::curl_command(&url.get(), &compact()));
    let curl_shown = move || webhook::curl_command(&masked_url.get(), &compact());

    view! {
        <section class="card usage" aria-labelledby="usage-title">
            <h2 id="usage-title">"Use this webhook"</h2>
            {move || if saved.with(Option::is_none) {
                view! {
                    <p class="muted">"The webhook URL and its token will be here once the webhook is created."</p>
                }.into_any()
            } else {
                view! {
                    <SecretValue
                        id="webhook-url"
                        label="Webhook URL"
                        value=url
                        masked=masked_url
                        copy_label="Copy the webhook URL"
                        hint="Send your JSON payloads to this address. Anyone who has it can post, so keep it secret."
                    />
                    <SecretValue
                        id="webhook-token"
                        label="Token"
                        value=token
                        masked=Signal::derive(|| DOTS.to_owned())
                        copy_label="Copy the token"
                    />
                }.into_any()
            }}
            <div class="row spread">
                <h3 id="payload-title">"Example payload"</h3>
                <CopyButton text=payload label="Copy the example payload" />
            </div>
            <pre class="code" role="group" aria-labelledby="payload-title"><code>{payload}</code></pre>
            {move || saved.with(Option::is_some).then(|| view! {
                <div class="row spread">
                    <h3 id="curl-title">"curl"</h3>
                    <CopyButton text=curl label="Copy the curl command" />
                </div>
                <pre class="code" role="group" aria-labelledby="curl-title" aria-describedby="curl-hint"><code>{curl_shown}</code></pre>
                <p class="hint" id="curl-hint">"The copied command holds the real address."</p>
            })}
        </section>
    }
}

/// What a test message got back: the status and text of any answer, or why none came.
type Answer = Result<(u16, String), ApiError>;

/// Posts a test payload (`(id, token, json)`) to the webhook and announces the answer.
fn use_send(client: Client) -> ActionOf<(String, String, String), Answer> {
    let announcer = use_announcer();
    let client = StoredValue::new(client);
    local_action(move |(id, token, body): &(String, String, String)| {
        let (client, id, token, body) =
            (client.get_value(), id.clone(), token.clone(), body.clone());
        async move {
            let result = client.post_hook(&id, &token, &body).await;
            announcer.announce(match &result {
                Ok((status, _)) if (200..300).contains(status) => "Test message sent".to_owned(),
                Ok((status, _)) => format!("The webhook answered HTTP {status}"),
                Err(_) => "The test message could not be sent".to_owned(),
            });
            result
        }
    })
}

/// Sends an editable payload to the saved webhook and shows the server's answer.
#[component]
pub(super) fn TestMessage(saved: Signal<Option<Integration>>, client: Client) -> impl IntoView {
    let payload = RwSignal::new(SAMPLE.to_owned());
    let problem: RwSignal<Option<String>> = RwSignal::new(None);
    let send = use_send(client);
    let on_send = move |_| {
        let body = payload.get_untracked();
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&body) {
            problem.set(Some(format!("The payload is not valid JSON: {e}.")));
            return;
        }
        problem.set(None);
        let Some((id, token)) = saved.with_untracked(|s| {
            s.as_ref()
                .map(|d| (d.id().to_owned(), d.token().unwrap_or_default().to_owned()))
        }) else {
            return;
        };
        send.dispatch((id, token, body));
    };
    let sending = send.pending();
    let disabled = move || saved.with(|s| s.as_ref().is_some_and(|d| !d.common().enabled));
    let answer = move || {
        send.value().map(|result| match result {
            Ok((status, body)) => {
                let ok = (200..300).contains(&status);
                view! {
                    <div class=if ok { "test-answer ok" } else { "test-answer failed" }>
                        <p>
                            <strong>{format!("HTTP {status}")}</strong>
                            {if ok { " — the server accepted the message." } else { " — the server refused the message." }}
                        </p>
                        <pre class="code"><code>{if body.is_empty() { "(empty answer)".to_owned() } else { body }}</code></pre>
                    </div>
                }
                .into_any()
            }
            Err(e) => view! { <p class="test-answer failed">{e.display()}</p> }.into_any(),
        })
    };

    let warning = Signal::derive(move || {
        disabled().then_some(
            "This webhook is disabled: the server answers 503 until it is enabled and saved.",
        )
    });
    view! {
        <Card id="test" title="Send a test message" warning
            hint="Posts this payload to the webhook URL, as your service would, with the saved settings.">
            <div class="field" class:has-error=move || problem.with(Option::is_some)>
                <label for="test-payload">"Payload (JSON)"</label>
                {move || problem.get().map(|p| view! {
                    <span class="field-error" id="test-payload-error">
                        <span class="visually-hidden">"Error: "</span>{p}
                    </span>
                })}
                <textarea
                    id="test-payload"
                    class="textarea mono"
                    rows="10"
                    spellcheck="false"
                    aria-describedby=move || if problem.with(Option::is_some) { "test-hint test-payload-error" } else { "test-hint" }
                    aria-invalid=move || problem.with(Option::is_some).then_some("true")
                    prop:value=move || payload.get()
                    on:input=move |ev| payload.set(event_target_value(&ev))
                ></textarea>
            </div>
            <button type="button" class="btn" disabled=move || sending.get() on:click=on_send>
                {move || if sending.get() { "Sending…" } else { "Send test message" }}
            </button>
            <div class="test-result" aria-live="polite">{answer}</div>
        </Card>
    }
}
