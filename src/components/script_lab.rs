//! The script lab in the script editor (issue 12): a syntax check as the person types, and
//! "Try the script" on a sample request. Scripts run in `/lab/runner.html`, an iframe with
//! `sandbox="allow-scripts"` (an opaque origin: none of the app's storage, cookies, session
//! or DOM), each in a Worker from a blob so an endless loop can be killed. The iframe is made
//! on first use and gets only the script, the sample and the mode, as JSON text; every rule
//! about the result is in `core::script_lab`.

use crate::components::FormState;
use crate::core::field::Field;
use crate::core::markup::{Html, Markup};
use crate::core::model::Kind;
use crate::core::script_lab::{
    self as lab, Called, Facts, LogLine, Mode, Outcome, Phase, Post, Reply, ScriptError,
};
use crate::core::version::Features;
use leptos::prelude::*;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::time::Duration;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

type Waiter = Box<dyn FnOnce(Reply)>;

/// The one runner iframe of the app, with the calls waiting for its answer.
struct Runner {
    frame: web_sys::HtmlIFrameElement,
    ready: bool,
    queue: Vec<String>,
    next: u32,
    waiting: Vec<(u32, Waiter)>,
}

thread_local! {
    static RUNNER: RefCell<Option<Runner>> = const { RefCell::new(None) };
}

fn post(frame: &web_sys::HtmlIFrameElement, text: &str) {
    if let Some(w) = frame.content_window() {
        // The runner's origin is opaque, so "*" is the only target; the text holds no secret.
        let _ = w.post_message(&JsValue::from_str(text), "*");
    }
}

/// Takes the waiter of call `id`.
fn take_waiter(id: u32) -> Option<Waiter> {
    RUNNER.with(|r| {
        let mut r = r.borrow_mut();
        let r = r.as_mut()?;
        let at = r.waiting.iter().position(|(w, _)| *w == id)?;
        Some(r.waiting.swap_remove(at).1)
    })
}

/// Messages from the runner only (its window is the source); anything else is ignored.
fn on_message(ev: web_sys::MessageEvent) {
    let from_runner = RUNNER.with(|r| {
        let window = r.borrow().as_ref().and_then(|r| r.frame.content_window());
        match (window, ev.source()) {
            (Some(w), Some(s)) => js_sys::Object::is(&w, &s),
            _ => false,
        }
    });
    let Some(reply) = ev
        .data()
        .as_string()
        .filter(|_| from_runner)
        .and_then(|t| lab::parse_reply(&t))
    else {
        return;
    };
    let id = match &reply {
        Reply::Ready => {
            RUNNER.with(|r| {
                if let Some(r) = r.borrow_mut().as_mut() {
                    r.ready = true;
                    for text in r.queue.drain(..) {
                        post(&r.frame, &text);
                    }
                }
            });
            return;
        }
        Reply::Checked { id, .. } | Reply::Called { id, .. } => *id,
    };
    if let Some(waiter) = take_waiter(id) {
        waiter(reply);
    }
}

/// Makes the hidden runner iframe and the one message listener.
fn create() -> Option<Runner> {
    let window = web_sys::window()?;
    let doc = window.document()?;
    let frame: web_sys::HtmlIFrameElement = doc.create_element("iframe").ok()?.dyn_into().ok()?;
    for (name, value) in [
        ("sandbox", "allow-scripts"),
        ("src", "/lab/runner.html"),
        ("class", "lab-frame"),
        ("title", "Script lab runner"),
        ("aria-hidden", "true"),
        ("tabindex", "-1"),
    ] {
        frame.set_attribute(name, value).ok()?;
    }
    let listener = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(on_message);
    window
        .add_event_listener_with_callback("message", listener.as_ref().unchecked_ref())
        .ok()?;
    // One listener for the life of the app.
    listener.forget();
    doc.body()?.append_child(&frame).ok()?;
    Some(Runner {
        frame,
        ready: false,
        queue: Vec::new(),
        next: 0,
        waiting: Vec::new(),
    })
}

/// A failure for every waiting call, when the runner page never answered.
fn fail_waiting(message: &str) {
    let waiting = RUNNER.with(|r| {
        r.borrow_mut()
            .as_mut()
            .map(|r| std::mem::take(&mut r.waiting))
    });
    for (id, waiter) in waiting.unwrap_or_default() {
        waiter(Reply::Called {
            id,
            result: Called::Failed(ScriptError {
                phase: Phase::Load,
                name: "Error".into(),
                message: message.into(),
                stack: String::new(),
                pos: None,
            }),
            console: Vec::new(),
        });
    }
}

/// Sends a message built for its id; `then` gets the answer.
fn send(make: impl FnOnce(u32) -> String, then: impl FnOnce(Reply) + 'static) -> u32 {
    let (id, fresh) = RUNNER.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = create();
        }
        let Some(r) = cell.as_mut() else {
            return (0, false);
        };
        r.next += 1;
        let text = make(r.next);
        r.waiting.push((r.next, Box::new(then)));
        if r.ready {
            post(&r.frame, &text);
        } else {
            r.queue.push(text);
        }
        (r.next, !r.ready)
    });
    if fresh {
        set_timeout(
            || {
                if RUNNER.with(|r| r.borrow().as_ref().is_some_and(|r| !r.ready)) {
                    fail_waiting("The script lab could not start: /lab/runner.html did not load.");
                }
            },
            Duration::from_secs(8),
        );
    }
    id
}

/// The server's features, or a current server's when unknown (component tests).
fn features() -> Features {
    use_context::<crate::server::ServerContext>()
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

/// Checks the script's syntax a moment after each change (not on load: the runner starts on
/// first use). The error goes to the returned signal and to the form's summary.
pub fn syntax_check(state: FormState) -> RwSignal<Option<ScriptError>> {
    let error = RwSignal::new(None::<ScriptError>);
    let features = features();
    let latest = StoredValue::new(0u32);
    Effect::new(move |previous: Option<String>| {
        let script = state.text(Field::Script);
        // On mount only when an earlier editor left a finding (so it is shown, or cleared).
        let changed = match &previous {
            Some(p) => *p != script,
            None => state.script_syntax.with_untracked(Option::is_some),
        };
        if changed {
            latest.update_value(|n| *n += 1);
            let mine = latest.get_value();
            set_timeout(
                move || {
                    if latest.try_get_value() != Some(mine) {
                        return;
                    }
                    let script = state
                        .form
                        .with_untracked(|f| f.text(Field::Script).to_owned());
                    if script.trim().is_empty() {
                        error.set(None);
                        state.script_syntax.set(None);
                        return;
                    }
                    let mode = mode_of(state, features);
                    send(
                        |id| lab::check_message(id, &script, mode),
                        move |reply| {
                            if latest.try_get_value() != Some(mine) {
                                return;
                            }
                            if let Reply::Checked { error: found, .. } = reply {
                                let summary = found.as_ref().map(syntax_text);
                                error.try_set(found);
                                state.script_syntax.try_set(summary);
                            }
                        },
                    );
                },
                Duration::from_millis(400),
            );
        }
        script
    });
    error
}

/// "Syntax error at line 3, column 7: Unexpected token '}'".
pub fn syntax_text(e: &ScriptError) -> String {
    match e.pos {
        Some(p) => format!("Syntax error at {}: {}", p.label(), e.message),
        None => format!("Syntax error: {}", e.message),
    }
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

fn step(method: &'static str, reply: Reply, outcome: impl FnOnce(&Called) -> Outcome) -> Step {
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

fn call(
    session: u32,
    script: &str,
    mode: Mode,
    method: &'static str,
    arg: Value,
    then: impl FnOnce(Reply) + 'static,
) {
    let script = script.to_owned();
    send(
        move |id| lab::call_message(id, session, &script, mode, method, &arg),
        then,
    );
}

/// "Try the script": a sample request, Run, and what the server would do.
#[component]
pub fn ScriptLab(state: FormState) -> impl IntoView {
    let kind = state.kind();
    let features = features();
    let site = use_context::<crate::session::SessionState>()
        .and_then(|s| s.get_untracked())
        .map(|s| s.server)
        .unwrap_or_default();
    let template = RwSignal::new(0usize);
    let headers = RwSignal::new(lab::TEMPLATES[0].headers.to_owned());
    let body = RwSignal::new(lab::TEMPLATES[0].body.to_owned());
    let request = RwSignal::new(String::new());
    let status = RwSignal::new("200".to_owned());
    let answer_type = RwSignal::new("application/json".to_owned());
    let answer = RwSignal::new(lab::SAMPLE_ANSWER.to_owned());
    let steps = RwSignal::new(Vec::<Step>::new());
    let problem = RwSignal::new(None::<String>);
    let running = RwSignal::new(false);
    let session = StoredValue::new(0u32);

    let from_form = move || {
        let v = lab::outgoing_request(&facts(state), &site, mode_of(state, features));
        request.set(serde_json::to_string_pretty(&v).unwrap_or_default());
    };
    let from_form_click = from_form.clone();
    let on_toggle = move |ev: leptos::ev::Event| {
        let open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
        if open && kind == Kind::Outgoing && request.with_untracked(String::is_empty) {
            from_form();
        }
    };
    let pick = move |ev: leptos::ev::Event| {
        let i: usize = event_target_value(&ev).parse().unwrap_or(0);
        if let Some(t) = lab::TEMPLATES.get(i) {
            template.set(i);
            headers.set(t.headers.to_owned());
            body.set(t.body.to_owned());
        }
    };

    let run = move |_| {
        let script = state
            .form
            .with_untracked(|f| f.text(Field::Script).to_owned());
        let mode = mode_of(state, features);
        let facts = facts(state);
        problem.set(None);
        steps.set(Vec::new());
        if script.trim().is_empty() {
            problem.set(Some("Write a script first.".into()));
            return;
        }
        session.update_value(|s| *s += 1);
        let s = session.get_value();
        let current = move || session.try_get_value() == Some(s);
        if kind == Kind::Incoming {
            let sample = lab::incoming_request(
                &facts,
                &headers.get_untracked(),
                &body.get_untracked(),
                "",
                mode,
            );
            let request = match sample {
                Ok(r) => r,
                Err(reply) => {
                    problem.set(Some(format!("The server answers 400 {reply} before running the script: the body does not parse.")));
                    return;
                }
            };
            running.set(true);
            call(
                s,
                &script,
                mode,
                "process_incoming_request",
                json!({ "request": request }),
                move |reply| {
                    if !current() {
                        return;
                    }
                    running.try_set(false);
                    let done = step("process_incoming_request", reply, |r| {
                        lab::incoming_outcome(r, &facts)
                    });
                    steps.try_set(vec![done]);
                },
            );
            return;
        }
        let sample = match serde_json::from_str::<Value>(&request.get_untracked()) {
            Ok(v) if v.is_object() => v,
            _ => {
                problem.set(Some("The sample request is not a JSON object.".into()));
                return;
            }
        };
        let code: u16 = match status.get_untracked().trim().parse() {
            Ok(c) if (100..=599).contains(&c) => c,
            _ => {
                problem.set(Some(
                    "The answer's status must be a number from 100 to 599.".into(),
                ));
                return;
            }
        };
        let (ctype, text) = (answer_type.get_untracked(), answer.get_untracked());
        running.set(true);
        let script2 = script.clone();
        call(
            s,
            &script,
            mode,
            "prepare_outgoing_request",
            json!({ "request": sample.clone() }),
            move |reply| {
                if !current() {
                    return;
                }
                let first = step("prepare_outgoing_request", reply, |r| {
                    lab::prepare_outcome(r, &sample, &facts)
                });
                let next = first.outcome.call.as_ref().map(|c| c.request.clone());
                steps.try_set(vec![first]);
                let Some(sent) = next else {
                    running.try_set(false);
                    return;
                };
                let arg =
                    json!({ "request": sent, "response": lab::response_arg(code, &ctype, &text) });
                call(
                    s,
                    &script2,
                    mode,
                    "process_outgoing_response",
                    arg,
                    move |reply| {
                        if !current() {
                            return;
                        }
                        running.try_set(false);
                        let second = step("process_outgoing_response", reply, |r| {
                            lab::response_outcome(r, &sample, &facts, code, &ctype, &text)
                        });
                        steps.try_update(|list| list.push(second));
                    },
                );
            },
        );
    };

    let version = features.version_text();
    let sample = if kind == Kind::Incoming {
        view! {
            <label class="lab-label" for="lab-template">"Sample payload"</label>
            <select id="lab-template" class="select" prop:value=move || template.get().to_string() on:change=pick>
                {lab::TEMPLATES.iter().enumerate().map(|(i, t)| view! { <option value=i.to_string()>{t.label}</option> }).collect_view()}
            </select>
            <label class="lab-label" for="lab-headers">"Headers (one per line, as in Content-Type: application/json)"</label>
            <textarea id="lab-headers" class="textarea mono" rows="2" spellcheck="false" prop:value=move || headers.get() on:input=move |ev| headers.set(event_target_value(&ev))></textarea>
            <label class="lab-label" for="lab-body">"Body"</label>
            <textarea id="lab-body" class="textarea mono" rows="8" spellcheck="false" prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
        }
        .into_any()
    } else {
        view! {
            <label class="lab-label" for="lab-request">"Request the script gets (JSON)"</label>
            <textarea id="lab-request" class="textarea mono" rows="10" spellcheck="false" prop:value=move || request.get() on:input=move |ev| request.set(event_target_value(&ev))></textarea>
            <button type="button" class="btn btn-small" on:click=move |_| from_form_click()>"Fill in from the form"</button>
            <fieldset class="lab-answer">
                <legend>"Sample answer of the service"</legend>
                <label class="lab-label" for="lab-status">"Status"</label>
                <input id="lab-status" class="input" inputmode="numeric" prop:value=move || status.get() on:input=move |ev| status.set(event_target_value(&ev)) />
                <label class="lab-label" for="lab-type">"Content type"</label>
                <input id="lab-type" class="input" prop:value=move || answer_type.get() on:input=move |ev| answer_type.set(event_target_value(&ev)) />
                <label class="lab-label" for="lab-answer">"Body"</label>
                <textarea id="lab-answer" class="textarea mono" rows="5" spellcheck="false" prop:value=move || answer.get() on:input=move |ev| answer.set(event_target_value(&ev))></textarea>
            </fieldset>
        }
        .into_any()
    };

    view! {
        <details class="lab" on:toggle=on_toggle>
            <summary>"Try the script"</summary>
            <p class="hint">
                "Runs the script as typed in your browser, cut off from this page and the network. A preview of how Rocket.Chat "
                {version}
                " would run it, not a guarantee."
            </p>
            {sample}
            <div class="row">
                <button type="button" class="btn btn-primary" on:click=run disabled=move || running.get()>
                    {move || if running.get() { "Running…" } else { "Run" }}
                </button>
            </div>
            <div class="lab-results" aria-live="polite">
                {move || problem.get().map(|p| view! { <p class="field-error">{p}</p> })}
                <div inner_html=move || steps.with(|s| steps_markup(s).into_string())></div>
            </div>
        </details>
    }
}

// The results are built as markup text (every value escaped by `Markup`): one `inner_html`
// instead of a view tree per message keeps the lab within its wasm budget.

fn error_markup(m: &mut Markup, e: &ScriptError) {
    let name = if e.name.is_empty() { "Error" } else { &e.name };
    m.raw("<div class=\"lab-error\" role=\"alert\"><p><strong>")
        .text(name);
    if let Some(p) = e.pos {
        m.text(" at ").text(&p.label());
    }
    m.raw(": </strong>").text(&e.message).raw("</p>");
    if !e.stack.is_empty() {
        m.raw("<pre class=\"code\">").text(&e.stack).raw("</pre>");
    }
    m.raw("</div>");
}

fn steps_markup(steps: &[Step]) -> Html {
    let mut m = Markup::new();
    for s in steps {
        m.raw("<section class=\"lab-step\" data-method=\"")
            .text(s.method);
        m.raw("\"><h3><code>").text(s.method).raw("</code></h3>");
        if let Some(e) = &s.error {
            error_markup(&mut m, e);
        }
        if let Some(r) = &s.returned {
            m.raw("<details><summary>Returned</summary><pre class=\"code\">")
                .text(r)
                .raw("</pre></details>");
        }
        if let Some((code, body)) = &s.outcome.reply {
            m.raw("<p>Reply: <code>")
                .text(&format!("HTTP {code} {body}"))
                .raw("</code></p>");
        }
        for n in &s.outcome.notes {
            m.raw("<p class=\"muted\">").text(n).raw("</p>");
        }
        for p in &s.outcome.posts {
            post_markup(&mut m, p);
        }
        if let Some(c) = &s.outcome.call {
            m.raw("<h4>HTTP request it would send</h4><pre class=\"code lab-http\">");
            m.text(&c.method).text(" ").text(&c.url).text("\n");
            for (k, v) in &c.headers {
                m.text(k).text(": ").text(v).text("\n");
            }
            if let Some(b) = &c.body {
                m.text("\n").text(b);
            }
            m.raw("</pre>");
        }
        if !s.console.is_empty() {
            m.raw("<h4>Console</h4><pre class=\"code lab-console\">");
            for l in &s.console {
                m.text("[")
                    .text(&l.level)
                    .text("] ")
                    .text(&l.text)
                    .text("\n");
            }
            m.raw("</pre>");
        }
        m.raw("</section>");
    }
    m.finish()
}

fn text_markup(m: &mut Markup, text: &str) {
    for s in lab::markdown(text) {
        let class = format!(
            "{}{}{}",
            if s.bold { "md-b " } else { "" },
            if s.italic { "md-i " } else { "" },
            if s.strike { "md-s" } else { "" }
        );
        let (open, close) = match (&s.link, s.code) {
            (_, true) => ("<code class=\"", "</code>"),
            (Some(_), false) => (
                "<a target=\"_blank\" rel=\"noopener noreferrer nofollow\" class=\"",
                "</a>",
            ),
            (None, false) => ("<span class=\"", "</span>"),
        };
        m.raw(open).text(&class).raw("\"");
        if let (Some(href), false) = (&s.link, s.code) {
            m.raw(" href=\"").text(href).raw("\"");
        }
        m.raw(">").text(&s.text).raw(close);
    }
}

/// A message rendered like Rocket.Chat shows it, with the exact object below.
fn post_markup(m: &mut Markup, p: &Post) {
    let msg = &p.message;
    let get = |k: &str| msg.get(k).and_then(Value::as_str).unwrap_or("");
    let (alias, emoji, avatar) = (get("alias"), get("emoji"), get("avatar"));
    let who = if alias.is_empty() {
        p.poster.as_str()
    } else {
        alias
    };
    let target = if p.target.is_empty() {
        "(no room yet)"
    } else {
        &p.target
    };
    m.raw("<div class=\"lab-post\"><p class=\"muted\">Posted to <strong>")
        .text(target);
    m.raw("</strong> as ")
        .text(&p.poster)
        .raw("</p><div class=\"rc-message\">");
    match lab::safe_link(avatar) {
        Some(src) => {
            m.raw("<img class=\"avatar\" alt=\"\" width=\"36\" height=\"36\" src=\"")
                .text(&src)
                .raw("\">");
        }
        None if !emoji.is_empty() => {
            m.raw("<span class=\"avatar avatar-emoji\" title=\"")
                .text(emoji)
                .raw("\">");
            m.text(lab::emoji_char(emoji).unwrap_or("☺")).raw("</span>");
        }
        None => {
            let letter: String = who
                .chars()
                .next()
                .map(|c| c.to_uppercase().collect())
                .unwrap_or_default();
            m.raw("<span class=\"avatar avatar-letter\" aria-hidden=\"true\">")
                .text(&letter)
                .raw("</span>");
        }
    }
    m.raw("<div class=\"rc-body\"><div><strong>").text(who);
    m.raw("</strong> <span class=\"badge\">Bot</span></div><div class=\"rc-text\">");
    text_markup(m, get("msg"));
    m.raw("</div>");
    for a in lab::attachments(msg) {
        m.raw("<div class=\"rc-attachment\"");
        if let Some(c) = &a.color {
            m.raw(" style=\"border-left-color:").text(c).raw("\"");
        }
        m.raw(">");
        if let Some(x) = &a.author {
            m.raw("<div class=\"muted\">").text(x).raw("</div>");
        }
        if let Some(t) = &a.title {
            m.raw("<div class=\"rc-title\">");
            match &a.title_link {
                Some(href) => {
                    m.raw("<a target=\"_blank\" rel=\"noopener noreferrer nofollow\" href=\"")
                        .text(href)
                        .raw("\">");
                    m.text(t).raw("</a>");
                }
                None => {
                    m.text(t);
                }
            }
            m.raw("</div>");
        }
        if let Some(t) = &a.text {
            m.raw("<div class=\"rc-text\">");
            text_markup(m, t);
            m.raw("</div>");
        }
        m.raw("<div class=\"rc-fields\">");
        for (t, v, short) in &a.fields {
            m.raw(if *short {
                "<div class=\"rc-field short\"><strong>"
            } else {
                "<div class=\"rc-field\"><strong>"
            });
            m.text(t).raw("</strong><div>");
            text_markup(m, v);
            m.raw("</div></div>");
        }
        m.raw("</div>");
        if let Some(src) = &a.image_url {
            m.raw("<img class=\"rc-image\" alt=\"\" src=\"")
                .text(src)
                .raw("\">");
        }
        m.raw("</div>");
    }
    m.raw("</div></div><details><summary>Message object</summary><pre class=\"code lab-message-json\">");
    m.text(&serde_json::to_string_pretty(msg).unwrap_or_default());
    m.raw("</pre></details></div>");
}
