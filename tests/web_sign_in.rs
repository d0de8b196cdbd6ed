//! Component tests of signing in and of recovering an expired session, mounted in headless
//! Chromium. The server is a fake `fetch` installed on the page (see [`fake_server`]), so
//! the answers, their order and every request sent can be checked.
#![cfg(target_arch = "wasm32")]

mod web_support;

use hookpanel::api::{Client, Recovery};
use hookpanel::components::StatusRegion;
use hookpanel::core::{auth, request};
use hookpanel::pages::SignInAgainDialog;
use hookpanel::session::{Credential, Session, SessionState};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_support::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Replaces `window.fetch`: `routes` maps a path to the answers given in turn (the last one
/// repeats); status 0 means the request fails without an answer. Every request is recorded
/// in `window.__calls` as {method, path, token, body}.
fn fake_server(routes: &str) {
    let code = format!(
        r#"
        window.__calls = [];
        window.__routes = {routes};
        window.fetch = async (input, init) => {{
            const req = input instanceof Request ? input : new Request(input, init);
            const url = new URL(req.url);
            const body = req.method === "GET" ? null : await req.text();
            window.__calls.push({{ method: req.method, path: url.pathname, token: req.headers.get("X-Auth-Token"), body, mode: req.mode }});
            const list = window.__routes[url.pathname] || [[404, '{{"success":false,"error":"Not found"}}']];
            const [status, text] = list.length > 1 ? list.shift() : list[0];
            if (status === 0) throw new TypeError("Failed to fetch");
            return new Response(text, {{ status, headers: {{ "Content-Type": "application/json" }} }});
        }};
        "#
    );
    js_sys::Function::new_no_args(&code)
        .call0(&JsValue::NULL)
        .unwrap();
}

/// The requests the fake server saw, as "METHOD /path token body" lines.
fn calls() -> Vec<String> {
    let list = js_sys::Function::new_no_args(
        "return window.__calls.map(c => [c.method, c.path, c.token ?? '-', c.body ?? '-'].join(' '))",
    )
    .call0(&JsValue::NULL)
    .unwrap();
    js_sys::Array::from(&list)
        .iter()
        .filter_map(|v| v.as_string())
        .collect()
}

/// Puts the page at `path` before the app reads the location.
fn at(path: &str) {
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some(path))
        .unwrap();
}

fn path() -> String {
    web_sys::window().unwrap().location().pathname().unwrap()
}

/// Whether the input with this id is on screen (its field is not hidden).
fn shown(id: &str) -> bool {
    query(&format!("#{id}"))
        .and_then(|e| e.closest(".field").ok().flatten())
        .is_some_and(|f| !f.has_attribute("hidden"))
}

const NOT_LOGGED_IN: &str = r#"[401, '{"success":false,"error":"You must be logged in to do this.","status":"error","message":"You must be logged in to do this."}']"#;
const LOGIN_OK: &str = r#"[200, '{"status":"success","data":{"userId":"u1","authToken":"new-token","me":{"_id":"u1","username":"admin"}}}']"#;
const ME_OK: &str = r#"[200, '{"_id":"u1","username":"admin","roles":["admin"],"success":true}']"#;

fn mount_app() {
    at("/");
    mount(hookpanel::app::App);
}

#[wasm_bindgen_test]
async fn opens_on_the_sign_in_page_with_the_page_origin_as_server() {
    mount_app();
    until("sign-in form", || query("#server").is_some()).await;
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    // The value property is set by a render effect, a tick after the element exists.
    until("server address filled in", || {
        input("#server").value() == origin
    })
    .await;
    assert_eq!(text("#test-root h1"), "Sign in");
    assert_eq!(path(), "/sign-in");
    // Every input has a label pointing at it, and the token inputs wait hidden.
    for id in ["server", "user", "password", "user-id", "token", "code"] {
        assert!(
            query(&format!("label[for={id}]")).is_some(),
            "label for #{id}"
        );
    }
    assert!(shown("password") && !shown("token") && !shown("code"));
}

#[wasm_bindgen_test]
async fn a_stored_session_whose_credentials_cannot_be_sent_is_not_restored() {
    fake_server(&format!(r#"{{ "/api/v1/me": [{ME_OK}] }}"#));
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    // Edited in storage by hand: a user id no request header can carry.
    web_support::mount_app("/integrations", &origin, "u→1", || {});
    until("the sign-in form", || query("#server").is_some()).await;
    assert_eq!(path(), "/sign-in");
    assert_eq!(calls(), Vec::<String>::new());
}

#[wasm_bindgen_test]
async fn submitting_empty_fields_lists_each_problem_without_calling_the_server() {
    fake_server("{}");
    mount_app();
    until("sign-in form", || query("#user").is_some()).await;
    type_into("#user", "admin");
    type_into("#server", "");
    click("button[type=submit]");
    until("the error summary", || query(".error-summary").is_some()).await;
    let links: Vec<String> = query_all(".error-summary a")
        .iter()
        .map(|a| a.get_attribute("href").unwrap_or_default())
        .collect();
    assert_eq!(links, ["#server", "#password"]);
    assert!(text(".error-summary").contains("Enter the server address"));
    assert_eq!(
        input("#password").get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        input("#password")
            .get_attribute("aria-describedby")
            .as_deref(),
        Some("password-hint password-error")
    );
    assert_eq!(input("#user").get_attribute("aria-invalid"), None);
    assert_eq!(
        web_support::document().title(),
        "Error: Sign in · hookpanel"
    );
    // What was typed stays, and nothing was sent.
    assert_eq!(input("#user").value(), "admin");
    assert!(calls().is_empty(), "{:?}", calls());
    // Correcting an input clears its own error at once.
    type_into("#password", "secret");
    until("the password error to go", || {
        input("#password").get_attribute("aria-invalid").is_none()
    })
    .await;
    assert_eq!(query_all(".error-summary a").len(), 1);
}

#[wasm_bindgen_test]
async fn a_two_factor_answer_leads_to_the_code_step_and_resends_name_and_password_with_it() {
    fake_server(&format!(
        r#"{{ "/api/v1/login": [
            [401, '{{"success":false,"status":"error","error":"totp-required","message":"TOTP Required","details":{{"method":"totp","codeGenerated":false}}}}'],
            [401, '{{"success":false,"status":"error","error":"totp-invalid","message":"TOTP Invalid","details":{{"method":"totp"}}}}'],
            {LOGIN_OK}
        ] }}"#
    ));
    mount_app();
    until("sign-in form", || query("#user").is_some()).await;
    type_into("#user", "admin2fa");
    type_into("#password", "pw");
    click("button[type=submit]");
    until("the code step", || shown("code")).await;
    assert!(!shown("password") && !shown("server"));
    assert!(text("#code-hint").contains("authenticator app"));
    type_into("#code", "111111");
    click("button[type=submit]");
    until("the refused code", || {
        text("#code-error").contains("not accepted")
    })
    .await;
    assert!(text(".error-summary").contains("That code was not accepted"));
    assert_eq!(input("#code").value(), "111111", "the code stays as typed");
    type_into("#code", "222222");
    click("button[type=submit]");
    until("the list page", || path() == "/integrations").await;
    let logins: Vec<String> = calls()
        .into_iter()
        .filter(|c| c.starts_with("POST /api/v1/login"))
        .collect();
    assert_eq!(
        logins,
        [
            r#"POST /api/v1/login - {"password":"pw","username":"admin2fa"}"#,
            r#"POST /api/v1/login - {"code":"111111","password":"pw","username":"admin2fa"}"#,
            r#"POST /api/v1/login - {"code":"222222","password":"pw","username":"admin2fa"}"#,
        ]
    );
}

#[wasm_bindgen_test]
async fn the_token_step_asks_for_user_id_and_token_and_checks_them_with_me() {
    fake_server(&format!(r#"{{ "/api/v1/me": [{ME_OK}] }}"#));
    mount_app();
    until("sign-in form", || query("#user").is_some()).await;
    click(".form-actions .btn-link");
    until("the token step", || shown("token")).await;
    assert!(!shown("password") && shown("server"));
    click("button[type=submit]");
    until("the error summary", || query(".error-summary").is_some()).await;
    assert!(text(".error-summary").contains("Enter your user id"));
    assert!(text(".error-summary").contains("Enter the personal access token"));
    // A token pasted with a space inside cannot go into a header: said beside it.
    type_into("#user-id", "u1");
    type_into("#token", "pat token");
    until("the token's own problem", || {
        text("#token-error").contains("The token has a space or a character")
    })
    .await;
    assert!(!text(".error-summary").contains("user id"));
    click("button[type=submit]");
    assert!(calls().is_empty(), "{:?}", calls());
    type_into("#token", " pat-token ");
    click("button[type=submit]");
    until("the list page", || path() == "/integrations").await;
    assert_eq!(
        calls().first().map(String::as_str),
        Some("GET /api/v1/me pat-token -")
    );
    assert!(text(".app-header").contains("admin"));
}

#[wasm_bindgen_test]
async fn no_answer_from_another_origin_is_diagnosed_by_a_probe() {
    // The login gets no answer; the probe of /api/info does: CORS refused this origin.
    fake_server(r#"{ "/api/v1/login": [[0, ""]], "/api/info": [[200, "{}"]] }"#);
    mount_app();
    until("sign-in form", || query("#user").is_some()).await;
    type_into("#server", "http://chat.invalid:3000/home");
    type_into("#user", "admin");
    type_into("#password", "pw");
    click("button[type=submit]");
    until("the diagnosis", || text(".error-summary").contains("CORS")).await;
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    assert!(text(".error-summary").contains(&format!("add {origin} to CORS Origin")));
    let sent = calls();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent[1].starts_with("GET /api/info -"), "{sent:?}");

    // Neither answers: unreachable, and CORS is not blamed.
    fake_server(r#"{ "/api/v1/login": [[0, ""]], "/api/info": [[0, ""]] }"#);
    click("button[type=submit]");
    until("the other diagnosis", || {
        text(".error-summary").contains("Nothing answered")
    })
    .await;
    assert!(!text(".error-summary").contains("CORS"));
}

/// A page with something typed and two buttons that call the API with the session: a read
/// (`/me`) and a write (`sendEmailCode`); the answer lands in `#answer`.
fn work_page() -> impl IntoView {
    let session = SessionState::new(Some(Session {
        server: web_sys::window().unwrap().location().origin().unwrap(),
        user_id: "u1".into(),
        auth_token: "old-token".into(),
        username: "admin".into(),
        remember: false,
        credential: Credential::Login,
    }));
    provide_context(session);
    Recovery::provide(session);
    let answer = RwSignal::new(String::new());
    let run = move |write: bool| {
        let client = Client::for_session(&session.get_untracked().unwrap());
        leptos::task::spawn_local(async move {
            let req = if write {
                auth::send_email_code("admin")
            } else {
                request::me()
            };
            let text = match client.call(&req).await {
                Ok(v) => v["username"].as_str().unwrap_or("ok").to_owned(),
                Err(e) => e.display(),
            };
            answer.set(text);
        });
    };
    view! {
        <StatusRegion />
        <input id="draft" />
        <button id="read" on:click=move |_| run(false)>"Read"</button>
        <button id="write" on:click=move |_| run(true)>"Write"</button>
        <p id="answer">{answer}</p>
        <SignInAgainDialog />
    }
}

fn dialog_open() -> bool {
    query("dialog").is_some_and(|d| d.has_attribute("open"))
}

#[wasm_bindgen_test]
async fn an_expired_session_opens_the_dialog_and_the_read_goes_again_with_the_new_token() {
    fake_server(&format!(
        r#"{{ "/api/v1/me": [{NOT_LOGGED_IN}, {ME_OK}], "/api/v1/login": [{LOGIN_OK}] }}"#
    ));
    mount(work_page);
    until("the page", || query("#draft").is_some()).await;
    type_into("#draft", "half-written text");
    click("#read");
    until("the dialog", dialog_open).await;
    assert_eq!(text("#answer"), "", "the read waits for the dialog");
    assert_eq!(input("#again-user").value(), "admin");
    assert!(!shown("again-server"), "the server is the session's");
    type_into("#again-password", "pw");
    click("dialog button[type=submit]");
    until("the answer", || text("#answer") == "admin").await;
    assert!(!dialog_open());
    assert_eq!(input("#draft").value(), "half-written text");
    assert_eq!(
        calls(),
        [
            "GET /api/v1/me old-token -",
            r#"POST /api/v1/login - {"password":"pw","username":"admin"}"#,
            "GET /api/v1/me new-token -",
        ]
    );
    let stored = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
        .get_item("hookpanel.session")
        .unwrap()
        .unwrap();
    assert!(stored.contains("new-token"), "{stored}");
}

#[wasm_bindgen_test]
async fn an_expired_session_on_a_write_opens_the_dialog_but_never_resends_the_write() {
    fake_server(&format!(
        r#"{{ "/api/v1/users.2fa.sendEmailCode": [{NOT_LOGGED_IN}], "/api/v1/login": [{LOGIN_OK}] }}"#
    ));
    mount(work_page);
    until("the page", || query("#write").is_some()).await;
    click("#write");
    until("the error", || {
        text("#answer").contains("session has expired")
    })
    .await;
    until("the dialog", dialog_open).await;
    type_into("#again-password", "pw");
    click("dialog button[type=submit]");
    until("the dialog to close", || !dialog_open()).await;
    settle(50).await;
    let sent = calls();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent[0].starts_with("POST /api/v1/users.2fa.sendEmailCode old-token"));
    assert!(sent[1].starts_with("POST /api/v1/login"));
}

#[wasm_bindgen_test]
async fn not_now_closes_the_dialog_and_the_read_returns_the_error() {
    fake_server(&format!(r#"{{ "/api/v1/me": [{NOT_LOGGED_IN}] }}"#));
    mount(work_page);
    until("the page", || query("#read").is_some()).await;
    click("#read");
    until("the dialog", dialog_open).await;
    let not_now = query_all("dialog button")
        .into_iter()
        .find(|b| b.text_content().as_deref() == Some("Not now"))
        .expect("a Not now button");
    not_now.unchecked_into::<web_sys::HtmlElement>().click();
    until("the error", || {
        text("#answer").contains("session has expired")
    })
    .await;
    assert!(!dialog_open());
    assert_eq!(calls().len(), 1);
}

#[wasm_bindgen_test]
async fn a_rate_limited_read_is_announced_and_sent_once_more_after_the_wait() {
    fake_server(&format!(
        r#"{{ "/api/v1/me": [[429, '{{"success":false,"error":"Error, too many requests. Please slow down. You must wait 1 seconds before trying this endpoint again. [error-too-many-requests]"}}'], {ME_OK}] }}"#
    ));
    mount(work_page);
    until("the page", || query("#read").is_some()).await;
    let started = js_sys::Date::now();
    click("#read");
    until("the announcement", || {
        text(".status-region").contains("trying again in 1 second.")
    })
    .await;
    for _ in 0..30 {
        if text("#answer") == "admin" {
            break;
        }
        settle(100).await;
    }
    assert_eq!(text("#answer"), "admin");
    assert!(js_sys::Date::now() - started >= 900.0);
    assert_eq!(calls().len(), 2);
}

#[wasm_bindgen_test]
async fn a_rate_limited_write_is_not_sent_again() {
    fake_server(
        r#"{ "/api/v1/users.2fa.sendEmailCode": [[429, '{"success":false,"error":"Error, too many requests. Please slow down. You must wait 5 seconds before trying this endpoint again. [error-too-many-requests]"}']] }"#,
    );
    mount(work_page);
    until("the page", || query("#write").is_some()).await;
    click("#write");
    until("the error", || text("#answer").contains("Wait 5 seconds")).await;
    settle(200).await;
    assert_eq!(calls().len(), 1);
}

#[wasm_bindgen_test]
fn the_browser_json_reads_and_writes_what_serde_json_does() {
    use hookpanel::api::json;
    let text = r#"{"a":[1,-3,2.5,1e300,true,null,"caf\u00e9 \"q\" \n"],"b":{"z":{},"a":[]},"n":0}"#;
    let parsed = json::parse(text).expect("valid JSON");
    assert_eq!(
        parsed,
        serde_json::from_str::<serde_json::Value>(text).unwrap()
    );
    // Whole numbers are integers, as serde_json reads them.
    assert_eq!(parsed["a"][0].as_u64(), Some(1));
    assert_eq!(parsed["a"][1].as_i64(), Some(-3));
    // What it writes, serde_json reads back as the same value.
    let written = json::text(&parsed);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&written).unwrap(),
        parsed
    );

    for not_json in ["", "<html>", "{\"a\":", "{'a':1}", "NaN"] {
        assert_eq!(json::parse(not_json), None, "{not_json}");
    }
    // Deep nesting from an untrusted server is refused, not recursed into.
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(json::parse(&deep(100)).is_some());
    assert_eq!(json::parse(&deep(200)), None);
}
