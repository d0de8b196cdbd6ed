//! The sign-in form, shared by the sign-in page and the "sign in again" dialog: a password
//! (then a two-factor code when the account asks for one) or a personal access token.
//!
//! Every input is rendered once, from a table, and the step only hides the ones it does not
//! use: one view type for all of them keeps the wasm small. Every visible input is required,
//! so none carries a "*" marker (the sign-in exception of spec §4.2); they do carry
//! `aria-required`.

use crate::api::Client;
use crate::browser;
use crate::components::Announcer;
use crate::core::address::{server_address, AddressParts};
use crate::core::auth;
use crate::core::errors::ApiError;
use crate::core::reach::Reach;
use crate::core::request;
use crate::session::{recent_servers, Session};
use leptos::prelude::*;
use leptos::task::spawn_local;
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
        steps: 3,
    },
    Input {
        id: "user",
        label: "Username or e-mail",
        kind: "text",
        autocomplete: "username",
        hint: "",
        missing: "Enter your username or e-mail",
        steps: 1,
    },
    Input {
        id: "password",
        label: "Password",
        kind: "password",
        autocomplete: "current-password",
        hint: "",
        missing: "Enter your password",
        steps: 1,
    },
    Input {
        id: "user-id",
        label: "User id",
        kind: "text",
        autocomplete: "off",
        hint: "Shown with the token when it was created",
        missing: "Enter your user id",
        steps: 2,
    },
    Input {
        id: "token",
        label: "Personal access token",
        kind: "password",
        autocomplete: "off",
        hint: "Created under My account → Personal access tokens",
        missing: "Enter the personal access token",
        steps: 2,
    },
    Input {
        id: "code",
        label: "Code",
        kind: "text",
        autocomplete: "one-time-code",
        hint: "This account asks for a second step: enter the code from your authenticator app, or a backup code.",
        missing: "Enter the code",
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

/// Signs in with a password (and code), or checks a personal access token with
/// `/api/v1/me`. A request without any answer is diagnosed: unreachable, or CORS.
async fn attempt(
    server: String,
    step: Step,
    name: String,
    secret: String,
    code: String,
    remember: bool,
) -> Result<Session, Failure> {
    let mut session = Session {
        server,
        user_id: name.clone(),
        auth_token: secret.trim().to_owned(),
        username: name.clone(),
        remember,
    };
    let token = step == Step::Token;
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
    step: RwSignal<Step>,
    email_code: RwSignal<bool>,
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
}

/// One labelled input with its hint and inline error (GOV.UK pattern).
fn field(form: FormState, i: usize, value: RwSignal<String>) -> impl IntoView {
    let input = &INPUTS[i];
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
    let fixed = again.is_some();
    let recent = if fixed { Vec::new() } else { recent_servers() };
    let values: [RwSignal<String>; 6] = std::array::from_fn(|_| RwSignal::new(String::new()));
    match &again {
        Some(s) => {
            values[SERVER].set(s.server.clone());
            values[USER].set(s.username.clone());
            values[USER_ID].set(s.user_id.clone());
        }
        None => values[SERVER].set(recent.first().cloned().unwrap_or_else(browser::page_origin)),
    }
    let remember = RwSignal::new(again.is_some_and(|s| s.remember));
    let step = RwSignal::new(Step::Password);
    let email_code = RwSignal::new(false);
    let tried = RwSignal::new(false);
    // The server refused the code: a problem of the code input, like an empty one.
    let code_refused = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let announcer = use_context::<Announcer>();

    let server = move || values[SERVER].with(|s| server_address(s, &parse_address));
    // Problems of the inputs on screen: none before the first submit, then live.
    let problems = Memo::new(move |_| {
        let mut found: Vec<(usize, &'static str)> = Vec::new();
        if !tried.get() {
            return found;
        }
        let bits = step.get() as u8;
        for (i, input) in INPUTS.iter().enumerate() {
            if input.steps & bits == 0 {
                continue;
            }
            if i == SERVER {
                if let Err(message) = server() {
                    found.push((i, message));
                }
            } else if values[i].with(|v| v.trim().is_empty()) {
                found.push((i, input.missing));
            } else if i == CODE && code_refused.get() {
                found.push((i, CODE_REFUSED));
            }
        }
        found
    });
    if prefix.is_empty() {
        Effect::new(move || {
            browser::set_title(if problems.with(Vec::is_empty) {
                "Sign in · hookpanel"
            } else {
                "Error: Sign in · hookpanel"
            })
        });
    }

    let focus = move |id: &'static str| {
        request_animation_frame(move || browser::focus_id(&[prefix, id].concat()))
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        tried.set(true);
        failure.set(None);
        code_refused.set(false);
        if !problems.with_untracked(Vec::is_empty) {
            focus("problems");
            return;
        }
        let current = step.get_untracked();
        let (name, secret) = if current == Step::Token {
            (USER_ID, TOKEN)
        } else {
            (USER, PASSWORD)
        };
        busy.set(true);
        let attempt = attempt(
            server().unwrap_or_default(),
            current,
            values[name].get_untracked().trim().to_owned(),
            values[secret].get_untracked(),
            values[CODE].get_untracked(),
            remember.get_untracked(),
        );
        spawn_local(async move {
            let result = attempt.await;
            busy.set(false);
            match result {
                Ok(session) => {
                    on_done.try_run(session);
                }
                // The password was right; the account asks for a second factor.
                Err(Failure::Api(ApiError::Unauthorized {
                    two_factor: Some(tf),
                    ..
                })) if current != Step::Code => {
                    email_code.set(tf.method == "email");
                    tried.set(false);
                    step.set(Step::Code);
                    focus(INPUTS[CODE].id);
                }
                Err(Failure::Api(ApiError::Unauthorized {
                    two_factor: Some(_),
                    ..
                })) => {
                    code_refused.set(true);
                    focus("problems");
                }
                Err(f) => {
                    failure.set(Some(f));
                    focus("problems");
                }
            }
        });
    };

    let resend = move |_| {
        failure.set(None);
        busy.set(true);
        let client = Client::anonymous(&server().unwrap_or_default());
        let request = auth::send_email_code(&values[USER].get_untracked());
        spawn_local(async move {
            let result = client.call(&request).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    if let Some(a) = announcer {
                        a.announce("A new code is on its way to your e-mail address.");
                    }
                }
                Err(e) => failure.set(Some(Failure::Api(e))),
            }
        });
    };
    let go_to = move |to: Step| {
        tried.set(false);
        failure.set(None);
        step.set(to);
    };

    let in_code = move || step.get() == Step::Code;
    let form = FormState {
        prefix,
        step,
        email_code,
        problems,
        fixed,
    };
    let fields = (0..INPUTS.len())
        .map(|i| field(form, i, values[i]))
        .collect_view();
    // One error summary for both kinds of problem (GOV.UK): each input's own, linking to
    // it, or the server's refusal; a request without answer adds what to change.
    let summary = move || {
        let (lead, items) = match failure.get() {
            Some(Failure::Reach(reach)) => (reach.headline(), reach.fixes(&browser::page_origin())),
            Some(f) => ("", vec![failure_text(&f, step.get_untracked())]),
            None => {
                let linked = problems.get().into_iter().map(|(i, message)| {
                    (
                        Some(["#", prefix, INPUTS[i].id].concat()),
                        message.to_owned(),
                    )
                });
                return Some(("", linked.collect::<Vec<_>>())).filter(|(_, l)| !l.is_empty());
            }
        };
        Some((lead, items.into_iter().map(|t| (None, t)).collect()))
    };

    view! {
        {move || summary().map(|(lead, items)| view! {
            <div class="error-summary" role="alert" tabindex="-1" id=[prefix, "problems"].concat()>
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
        })}
        <form method="post" on:submit=on_submit novalidate>
            {fields}
            <datalist id=[prefix, "recent"].concat()>
                {recent.into_iter().map(|s| view! { <option value=s></option> }).collect_view()}
            </datalist>
            <label class="switch" hidden=move || fixed || in_code()>
                <input type="checkbox" prop:checked=remember on:change=move |ev| remember.set(event_target_checked(&ev)) />
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
                <button type="button" class="btn" hidden=move || !(in_code() && email_code.get()) disabled=busy on:click=resend>
                    "Send a new code"
                </button>
                <button type="button" class="btn btn-link"
                    on:click=move |_| go_to(if step.get_untracked() == Step::Password { Step::Token } else { Step::Password })>
                    {move || match step.get() {
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
