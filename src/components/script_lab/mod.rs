//! The script lab in the script editor (issue 12): a syntax check as the person types, and
//! "Try the script" on a sample request. Scripts run in the editor's runner iframe
//! (`runner.rs`), each in a Worker from a blob so an endless loop can be killed; every rule
//! about the result is in `core::script_lab`.

mod markup;
mod run;
mod runner;
mod syntax;

pub use syntax::{syntax_check, syntax_text};

use crate::components::{BoundText, BoxLook, FormState};
use crate::core::field::Field;
use crate::core::model::Kind;
use crate::core::script_lab::{Called, Facts, LogLine, Mode, Outcome, Reply, ScriptError};
use crate::core::version::Features;
use leptos::prelude::*;
use run::Lab;

/// The server's features, or a current server's when unknown (component tests).
fn features() -> Features {
    crate::server::try_use_server()
        .and_then(|s| s.state_untracked())
        .map(|s| s.features)
        .unwrap_or_else(|| Features::for_version(None))
}

/// How the server runs this form's script.
fn mode_of(state: FormState, features: Features) -> Mode {
    state.form.with_untracked(|f| {
        Mode::new(
            features.version,
            f.text(Field::ScriptEngine),
            f.flag(Field::SkipTranspile),
        )
    })
}

/// The integration as typed, for the sample and the result mapping.
fn facts(state: FormState) -> Facts {
    state.form.with_untracked(|f| {
        let t = |field| f.text(field).to_owned();
        Facts {
            id: f.id().unwrap_or("new-webhook").to_owned(),
            post_as: t(Field::PostAs),
            channel: t(Field::Channel),
            alias: t(Field::Alias),
            avatar: t(Field::Avatar),
            emoji: t(Field::Emoji),
            override_destination: f.flag(Field::OverrideDestination),
            event: t(Field::Event),
            urls: t(Field::Urls),
            token: t(Field::Token),
            trigger_words: t(Field::TriggerWords),
            target_room: t(Field::TargetRoom),
        }
    })
}

/// One step of a run: which method, what it returned, what the server would do.
#[derive(Clone)]
struct Step {
    method: &'static str,
    returned: Option<String>,
    error: Option<ScriptError>,
    console: Vec<LogLine>,
    outcome: Outcome,
}

impl Step {
    /// The step of `method` from the runner's reply; `outcome` says what the server would do.
    fn new(method: &'static str, reply: Reply, outcome: impl FnOnce(&Called) -> Outcome) -> Step {
        let (result, console) = match reply {
            Reply::Called {
                result, console, ..
            } => (result, console),
            _ => (Called::Returned(None), Vec::new()),
        };
        let returned = match &result {
            Called::Returned(Some(v)) => Some(serde_json::to_string_pretty(v).unwrap_or_default()),
            Called::Returned(None) => Some("undefined".into()),
            Called::Missing => Some(format!("(no {method} method)")),
            Called::Failed(_) => None,
        };
        let error = match &result {
            Called::Failed(e) => Some(e.clone()),
            _ => None,
        };
        Step {
            method,
            returned,
            error,
            console,
            outcome: outcome(&result),
        }
    }
}

/// "Try the script": a sample request, Run, and what the server would do.
#[component]
pub fn ScriptLab(state: FormState) -> impl IntoView {
    let lab = Lab::use_lab(state);
    let on_toggle = move |ev: leptos::ev::Event| {
        let open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
        if open && state.kind() == Kind::Outgoing && lab.request.with_untracked(String::is_empty) {
            lab.fill_request();
        }
    };
    let sample = match state.kind() {
        Kind::Incoming => view! { <IncomingSample lab /> }.into_any(),
        Kind::Outgoing => view! { <OutgoingSample lab /> }.into_any(),
    };
    view! {
        <details class="lab" on:toggle=on_toggle>
            <summary>"Try the script"</summary>
            <p class="hint">
                "Runs the script as typed in your browser, cut off from this page and the network. A preview of how Rocket.Chat "
                {lab.features.version_text()}
                " would run it, not a guarantee."
            </p>
            {sample}
            <div class="row">
                <button type="button" class="btn btn-primary" on:click=move |_| lab.run() disabled=move || lab.running.get()>
                    {move || if lab.running.get() { "Running…" } else { "Run" }}
                </button>
            </div>
            <div class="lab-results" aria-live="polite">
                {move || lab.problem.get().map(|p| view! { <p class="field-error">{p}</p> })}
                <div inner_html=move || lab.steps.with(|s| markup::steps_markup(s).into_string())></div>
            </div>
        </details>
    }
}

/// A monospace text area of the lab.
fn sample_text(
    id: &'static str,
    label: &'static str,
    rows: u8,
    value: RwSignal<String>,
) -> impl IntoView {
    let look = BoxLook {
        rows,
        label_class: Some("lab-label"),
        ..BoxLook::default()
    };
    view! { <BoundText id label value look /> }
}

/// An incoming webhook's sample: a payload template, headers and body.
#[component]
fn IncomingSample(lab: Lab) -> impl IntoView {
    let pick = move |ev: leptos::ev::Event| lab.pick(event_target_value(&ev).parse().unwrap_or(0));
    view! {
        <label class="lab-label" for="lab-template">"Sample payload"</label>
        <select id="lab-template" class="select" prop:value=move || lab.template.get().to_string() on:change=pick>
            {crate::core::script_lab::TEMPLATES.iter().enumerate().map(|(i, t)| view! { <option value=i.to_string()>{t.label}</option> }).collect_view()}
        </select>
        {sample_text("lab-headers", "Headers (one per line, as in Content-Type: application/json)", 2, lab.headers)}
        {sample_text("lab-body", "Body", 8, lab.body)}
    }
}

/// An outgoing webhook's sample: the request it gets and the service's answer.
#[component]
fn OutgoingSample(lab: Lab) -> impl IntoView {
    let line = |id, label, value, inputmode| {
        let look = BoxLook {
            label_class: Some("lab-label"),
            inputmode,
            ..BoxLook::default()
        };
        view! { <BoundText id label value look /> }
    };
    view! {
        {sample_text("lab-request", "Request the script gets (JSON)", 10, lab.request)}
        <button type="button" class="btn btn-small" on:click=move |_| lab.fill_request()>"Fill in from the form"</button>
        <fieldset class="lab-answer">
            <legend>"Sample answer of the service"</legend>
            {line("lab-status", "Status", lab.status, Some("numeric"))}
            {line("lab-type", "Content type", lab.answer_type, None)}
            {sample_text("lab-answer", "Body", 5, lab.answer)}
        </fieldset>
    }
}
