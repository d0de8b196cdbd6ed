//! The sign-in form, shared by the sign-in page and the "sign in again" dialog: a password
//! (then a two-factor code when the account asks for one) or a personal access token.
//!
//! Every input is rendered once, from a table, and the step only hides the ones it does not
//! use: one view type for all of them keeps the wasm small. Every visible input is required,
//! so none carries a "*" marker (the sign-in exception of spec §4.2); they do carry
//! `aria-required`.

use crate::api::Client;
use crate::browser;
use crate::components::{effect, local_action, ActionOf, Announcer};
use crate::core::address::{server_address, AddressParts};
use crate::core::auth;
use crate::core::errors::ApiError;
use crate::core::reach::Reach;
use crate::core::request;
use crate::session::{recent_servers, Credential, Session};
use leptos::prelude::*;
use serde_json::Value;

/// Where the form stands; the values are bits, matched against [`Input::steps`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Username or e-mail and password.
    Password = 1,
    /// User id and personal access token.
    Token = 2,
    /// The second factor, after the password was accepted.
    Code = 4,
}

/// One input of the form.
struct Input {
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    hint: &'static str,
    /// What to say when it is left empty.
    missing: &'static str,
    /// What to say when it holds what cannot be sent as a header ("" when anything goes).
    unsendable: &'static str,
    /// The steps ([`Step`] bits) that show it.
    steps: u8,
}

const SERVER: usize = 0;
const USER: usize = 1;
const PASSWORD: usize = 2;
const USER_ID: usize = 3;
const TOKEN: usize = 4;
const CODE: usize = 5;

const INPUTS: [Input; 6] = [
    Input {
        id: "server",
        label: "Server address",
        kind: "url",
        autocomplete: "url",
        hint: "For example https://chat.example.com",
        missing: "",
        unsendable: "",
        steps: 3,
    },
    Input {
        id: "user",
        label: "Username or e-mail",
        kind: "text",
        autocomplete: "username",
        hint: "",
        missing: "Enter your username or e-mail",
        unsendable: "",
        steps: 1,
    },
    Input {
        id: "password",
        label: "Password",
        kind: "password",
        autocomplete: "current-password",
        hint: "",
        missing: "Enter your password",
        unsendable: "",
        steps: 1,
    },
    Input {
        id: "user-id",
        label: "User id",
        kind: "text",
        autocomplete: "off",
        hint: "Shown with the token when it was created",
        missing: "Enter your user id",
        unsendable: "The user id has a space or a character a user id cannot contain: copy it again",
        steps: 2,
    },
    Input {
        id: "token",
        label: "Personal access token",
        kind: "password",
        autocomplete: "off",
        hint: "Created under My account → Personal access tokens",
        missing: "Enter the personal access token",
        unsendable: "The token has a space or a character a token cannot contain: copy it again",
        steps: 2,
    },
    Input {
        id: "code",
        label: "Code",
        kind: "text",
        autocomplete: "one-time-code",
        hint: "This account asks for a second step: enter the code from your authenticator app, or a backup code.",
        missing: "Enter the code",
        unsendable: "",
        steps: 4,
    },
];
/// Said beside the code input when the server refused the code.
const CODE_REFUSED: &str = "That code was not accepted. Check it and enter it again.";
const EMAIL_CODE_HINT: &str =
    "This account asks for a second step: enter the code sent to its e-mail address.";

/// Why a sign-in failed: the server's answer, or no answer (with the reason found).
#[derive(Clone, Debug, PartialEq)]
enum Failure {
    Api(ApiError),
    Reach(Reach),
}

/// Parses an address with the browser's URL parser.
fn parse_address(text: &str) -> Option<AddressParts> {
    let url = web_sys::Url::new(text).ok()?;
    Some(AddressParts {
        protocol: url.protocol(),
        host: url.hostname(),
        origin: url.origin(),
        path: url.pathname(),
    })
}

/// What one sign-in attempt sends.
#[derive(Clone)]
struct Attempt {
    server: String,
    step: Step,
    /// Username (or e-mail), or user id for a token.
    name: String,
    /// Password or token.
    secret: String,
    code: String,
    remember: bool,
}

/// Signs in with a password (and code), or checks a personal access token with
/// `/api/v1/me`. A request without any answer is diagnosed: unreachable, or CORS.
async fn attempt(attempt: Attempt) -> Result<Session, Failure> {
    let Attempt {
        server,
        step,
        name,
        secret,
        code,
        remember,
    } = attempt;
    let token = step == Step::Token;
    let mut session = Session {
        server,
        user_id: name.clone(),
        auth_token: secret.trim().to_owned(),
        username: name.clone(),
        remember,
        credential: if token {
            Credential::PersonalToken
        } else {
            Credential::Login
        },
    };
    let (client, request) = if token {
        (
            Client::for_session(&session).without_recovery(),
            request::me(),
        )
    } else {
        let code = (step == Step::Code).then_some(code.as_str());
        (
            Client::anonymous(&session.server),
            auth::login(&name, &secret, code),
        )
    };
    let answer = match client.call(&request).await {
        Ok(answer) => answer,
        Err(ApiError::Network) => return Err(Failure::Reach(client.diagnose().await)),
        Err(e) => return Err(Failure::Api(e)),
    };
    if token {
        if let Some(username) = answer.get("username").and_then(Value::as_str) {
            session.username = username.to_owned();
        }
    } else {
        let c = auth::parse_login(&answer).ok_or(Failure::Api(ApiError::Unexpected {
            status: 200,
            message: "The sign-in answer carried no credentials.".into(),
        }))?;
        session.user_id = c.user_id;
        session.auth_token = c.auth_token;
        session.username = c.username.unwrap_or(name);
    }
    Ok(session)
}

/// What to say about a failure in a step.
fn failure_text(failure: &Failure, step: Step) -> String {
    let refused = matches!(
        failure,
        Failure::Api(
            ApiError::Unauthorized {
                two_factor: None,
                ..
            } | ApiError::Forbidden { .. }
        )
    );
    match failure {
        Failure::Reach(reach) => reach.headline().to_owned(),
        _ if refused && step == Step::Token => {
            "That user id and token were not accepted. Check both, or create a new token.".into()
        }
        _ if refused => "Wrong username, e-mail or password.".into(),
        Failure::Api(e) => e.display(),
    }
}

/// The form's shared state, so [`field`] can derive everything for one input.
#[derive(Clone, Copy)]
struct FormState {
    prefix: &'static str,
    values: [RwSignal<String>; 6],
    remember: RwSignal<bool>,
    step: RwSignal<Step>,
    email_code: RwSignal<bool>,
    /// Whether a submit was tried in this step (problems show from then on).
    tried: RwSignal<bool>,
    /// The server refused the code: a problem of the code input, like an empty one.
    code_refused: RwSignal<bool>,
    failure: RwSignal<Option<Failure>>,
    problems: Memo<Vec<(usize, &'static str)>>,
    /// The server is fixed (the dialog), so its input stays hidden.
    fixed: bool,
}

impl FormState {
    /// The problem of input `i`, if any.
    fn error_of(&self, i: usize) -> Option<&'static str> {
        self.problems
            .with(|p| p.iter().find(|(f, _)| *f == i).map(|(_, m)| *m))
    }

    /// The server address as typed, checked.
    fn server(&self) -> Result<String, &'static str> {
        self.values[SERVER].with(|s| server_address(s, &parse_address))
    }

    /// Moves focus to the input (or the error summary) with this id, once drawn.
    fn focus(&self, id: &'static str) {
        let prefix = self.prefix;
        request_animation_frame(move || browser::focus_id(&[prefix, id].concat()));
    }

    /// Goes to another step, forgetting the problems of this one.
    fn go_to(&self, to: Step) {
        self.tried.set(false);
        self.failure.set(None);
        self.step.set(to);
    }

    /// The attempt the form holds now.
    fn attempt(&self) -> Attempt {
        let step = self.step.get_untracked();
        let (name, secret) = if step == Step::Token {
            (self.values[USER_ID], self.values[TOKEN])
        } else {
            (self.values[USER], self.values[PASSWORD])
        };
        Attempt {
            server: self.server().unwrap_or_default(),
            step,
            name: name.get_untracked().trim().to_owned(),
            secret: secret.get_untracked(),
            code: self.values[CODE].get_untracked(),
            remember: self.remember.get_untracked(),
        }
    }
}

/// Problems of the inputs on screen: none before the first submit, then live.
fn problems(
    values: [RwSignal<String>; 6],
    step: RwSignal<Step>,
    tried: RwSignal<bool>,
    code_refused: RwSignal<bool>,
) -> Memo<Vec<(usize, &'static str)>> {
    Memo::new(move |_| {
        let mut found: Vec<(usize, &'static str)> = Vec::new();
        if !tried.get() {
            return found;
        }
        let bits = step.get() as u8;
        for ((i, input), value) in INPUTS.iter().enumerate().zip(values) {
            if input.steps & bits == 0 {
                continue;
            }
            if i == SERVER {
                if let Err(message) = value.with(|s| server_address(s, &parse_address)) {
                    found.push((i, message));
                }
            } else if value.with(|v| v.trim().is_empty()) {
                found.push((i, input.missing));
            } else if !input.unsendable.is_empty() && !value.with(|v| auth::header_safe(v.trim())) {
                found.push((i, input.unsendable));
            } else if i == CODE && code_refused.get() {
                found.push((i, CODE_REFUSED));
            }
        }
        found
    })
}

/// The form's state: empty, or the expired session's server and names (`again`).
fn use_form(prefix: &'static str, again: Option<&Session>, recent: &[String]) -> FormState {
    let values: [RwSignal<String>; 6] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [server, user, _, user_id, ..] = values;
    match again {
        Some(s) => {
            server.set(s.server.clone());
            user.set(s.username.clone());
            user_id.set(s.user_id.clone());
        }
        None => server.set(recent.first().cloned().unwrap_or_else(browser::page_origin)),
    }
    let (step, tried, code_refused) = (
        RwSignal::new(Step::Password),
        RwSignal::new(false),
        RwSignal::new(false),
    );
    let form = FormState {
        prefix,
        values,
        remember: RwSignal::new(again.is_some_and(|s| s.remember)),
        step,
        email_code: RwSignal::new(false),
        tried,
        code_refused,
        failure: RwSignal::new(None),
        problems: problems(values, step, tried, code_refused),
        fixed: again.is_some(),
    };
    if prefix.is_empty() {
        effect(move || {
            browser::set_title(if form.problems.with(Vec::is_empty) {
                "Sign in · hookpanel"
            } else {
                "Error: Sign in · hookpanel"
            })
        });
    }
    form
}

/// Signs in with what the form holds; a second factor asked for leads to the code step.
fn use_submit(form: FormState, on_done: Callback<Session>) -> ActionOf<Attempt, ()> {
    local_action(move |sent: &Attempt| {
        let (sent, current) = (sent.clone(), sent.step);
        async move {
            match attempt(sent).await {
                Ok(session) => {
                    on_done.try_run(session);
                }
                // The password was right; the account asks for a second factor.
                Err(Failure::Api(ApiError::Unauthorized {
                    two_factor: Some(tf),
                    ..
                })) if current != Step::Code => {
                    form.email_code.set(tf.method == "email");
                    form.tried.set(false);
                    form.step.set(Step::Code);
                    form.focus(INPUTS[CODE].id);
                }
                Err(Failure::Api(ApiError::Unauthorized {
                    two_factor: Some(_),
                    ..
                })) => {
                    form.code_refused.set(true);
                    form.focus("problems");
                }
                Err(f) => {
                    form.failure.set(Some(f));
                    form.focus("problems");
                }
            }
        }
    })
}

/// Asks the server to e-mail a new code.
fn use_resend(form: FormState) -> ActionOf<(), ()> {
    let announcer = use_context::<Announcer>();
    local_action(move |_: &()| {
        let client = Client::anonymous(&form.server().unwrap_or_default());
        let request = auth::send_email_code(&form.values[USER].get_untracked());
        async move {
            match client.call(&request).await {
                Ok(_) => {
                    if let Some(a) = announcer {
                        a.announce("A new code is on its way to your e-mail address.");
                    }
                }
                Err(e) => form.failure.set(Some(Failure::Api(e))),
            }
        }
    })
}

/// One labelled input with its hint and inline error (GOV.UK pattern).
fn field(
    form: FormState,
    i: usize,
    input: &'static Input,
    value: RwSignal<String>,
) -> impl IntoView {
    let id = [form.prefix, input.id].concat();
    let hint_id = [&id, "-hint"].concat();
    let error_id = [&id, "-error"].concat();
    let both = [hint_id.as_str(), " ", error_id.as_str()].concat();
    let error = move || form.error_of(i);
    let describedby = {
        let hint_id = hint_id.clone();
        move || {
            if error().is_some() {
                both.clone()
            } else {
                hint_id.clone()
            }
        }
    };
    let hint = move || {
        if i == CODE && form.email_code.get() {
            EMAIL_CODE_HINT
        } else {
            input.hint
        }
    };
    view! {
        <div class="field" class:has-error=move || error().is_some()
            hidden=move || (form.step.get() as u8 & input.steps == 0) || (i == SERVER && form.fixed)>
            <label for=id.clone()>{input.label}</label>
            <span class="hint" id=hint_id>{hint}</span>
            <span class="field-error" id=error_id hidden=move || error().is_none()>
                <span class="visually-hidden">"Error: "</span>{error}
            </span>
            <input id=id class="input" type=input.kind autocomplete=input.autocomplete
                list=(i == SERVER).then(|| [form.prefix, "recent"].concat())
                autocapitalize="none" spellcheck="false" aria-required="true"
                aria-invalid=move || error().map(|_| "true") aria-describedby=describedby
                bind:value=value />
        </div>
    }
}

/// What the error summary lists: each input's own problem, linking to it, or the server's
/// refusal; a request without answer adds what to change. `None` when all is well.
type Summary = Option<(&'static str, Vec<(Option<String>, String)>)>;

fn summary(form: FormState) -> Summary {
    let (lead, items) = match form.failure.get() {
        Some(Failure::Reach(reach)) => (reach.headline(), reach.fixes(&browser::page_origin())),
        Some(f) => ("", vec![failure_text(&f, form.step.get_untracked())]),
        None => {
            let linked = form.problems.get().into_iter().map(|(i, message)| {
                let id = INPUTS.get(i).map_or("", |input| input.id);
                (Some(["#", form.prefix, id].concat()), message.to_owned())
            });
            return Some(("", linked.collect::<Vec<_>>())).filter(|(_, l)| !l.is_empty());
        }
    };
    Some((lead, items.into_iter().map(|t| (None, t)).collect()))
}

/// One error summary for both kinds of problem (GOV.UK).
#[component]
fn ProblemSummary(form: FormState) -> impl IntoView {
    move || {
        summary(form).map(|(lead, items)| view! {
            <div class="error-summary" role="alert" tabindex="-1" id=[form.prefix, "problems"].concat()>
                <h2>"There is a problem"</h2>
                <p hidden=lead.is_empty()>{lead}</p>
                <ul>
                    {items.into_iter().map(|(href, text)| {
                        // GOV.UK: the link moves focus to its input, not just the view.
                        let target = href.as_ref().map(|h| h.trim_start_matches('#').to_owned());
                        let jump = move |ev: leptos::ev::MouseEvent| {
                            if let Some(id) = &target {
                                ev.prevent_default();
                                browser::focus_id(id);
                            }
                        };
                        view! { <li><a href=href on:click=jump>{text}</a></li> }
                    }).collect_view()}
                </ul>
            </div>
        })
    }
}

/// The sign-in form. `prefix` keeps the ids of the dialog's copy apart from the page's;
/// `again` is the expired session the dialog renews (server fixed, names filled in);
/// `cancel` adds a button that gives up.
#[component]
pub fn SignInForm(
    prefix: &'static str,
    #[prop(optional)] again: Option<Session>,
    on_done: Callback<Session>,
    #[prop(optional)] cancel: Option<Callback<()>>,
) -> AnyView {
    let recent = if again.is_some() {
        Vec::new()
    } else {
        recent_servers()
    };
    let form = use_form(prefix, again.as_ref(), &recent);
    let submit = use_submit(form, on_done);
    let resend = use_resend(form);
    let busy = Signal::derive(move || submit.pending().get() || resend.pending().get());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        form.tried.set(true);
        form.failure.set(None);
        form.code_refused.set(false);
        if form.problems.with_untracked(Vec::is_empty) {
            submit.dispatch(form.attempt());
        } else {
            form.focus("problems");
        }
    };
    let on_resend = move |_| {
        form.failure.set(None);
        resend.dispatch(());
    };
    let in_code = move || form.step.get() == Step::Code;
    let fields = INPUTS
        .iter()
        .zip(form.values)
        .enumerate()
        .map(|(i, (input, value))| field(form, i, input, value))
        .collect_view();

    view! {
        <ProblemSummary form />
        <form method="post" on:submit=on_submit novalidate>
            {fields}
            <datalist id=[prefix, "recent"].concat()>
                {recent.into_iter().map(|s| view! { <option value=s></option> }).collect_view()}
            </datalist>
            <label class="switch" hidden=move || form.fixed || in_code()>
                <input type="checkbox" prop:checked=form.remember on:change=move |ev| form.remember.set(event_target_checked(&ev)) />
                "Keep me signed in on this device"
            </label>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=busy>
                    {move || match (busy.get(), in_code()) {
                        (true, _) => "Signing in…",
                        (_, true) => "Verify",
                        _ => "Sign in",
                    }}
                </button>
                {cancel.map(|c| view! { <button type="button" class="btn" on:click=move |_| c.run(())>"Not now"</button> })}
                <button type="button" class="btn" hidden=move || !(in_code() && form.email_code.get()) disabled=busy on:click=on_resend>
                    "Send a new code"
                </button>
                <button type="button" class="btn btn-link"
                    on:click=move |_| form.go_to(if form.step.get_untracked() == Step::Password { Step::Token } else { Step::Password })>
                    {move || match form.step.get() {
                        Step::Password => "Use a personal access token instead",
                        Step::Token => "Use a password instead",
                        Step::Code => "Start again",
                    }}
                </button>
            </div>
        </form>
    }
    .into_any()
}
