//! Component tests of the integrations list, mounted with the real app in headless Chromium
//! against a small fake server that answers `fetch` (version, person, permissions, list,
//! update, remove, create) and records every request.
#![cfg(target_arch = "wasm32")]

mod web_support;

use std::cell::RefCell;

use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_support::*;

wasm_bindgen_test_configure!(run_in_browser);

/// What the fake server holds and how it misbehaves.
#[derive(Default)]
struct Fake {
    version: String,
    docs: Vec<Value>,
    /// Ids whose update the server refuses (not a member of the room).
    refuse_update: Vec<String>,
    /// `integrations.list` answers 500 this many times.
    list_errors: u32,
    /// `integrations.list` never answers.
    hang_list: bool,
    /// Every request as "METHOD path?query" and its body.
    calls: Vec<(String, String)>,
    next_id: u32,
}

thread_local! {
    static FAKE: RefCell<Fake> = RefCell::new(Fake::default());
}

fn incoming(id: &str, name: &str, channels: &[&str], enabled: bool, created: &str) -> Value {
    json!({
        "_id": id, "type": "webhook-incoming", "name": name, "enabled": enabled,
        "username": "rocket.cat", "channel": channels, "token": format!("tok{id}"),
        "scriptEnabled": false, "_createdAt": created, "_updatedAt": created,
        "_createdBy": {"_id": "u-admin", "username": "admin"}
    })
}

fn outgoing(
    id: &str,
    name: &str,
    channels: &[&str],
    words: &[&str],
    url: &str,
    created: &str,
) -> Value {
    json!({
        "_id": id, "type": "webhook-outgoing", "name": name, "enabled": true,
        "event": "sendMessage", "username": "rocket.cat", "channel": channels,
        "triggerWords": words, "urls": [url], "token": "outgoing-token-0123456789abcdef",
        "retryFailedCalls": true, "retryCount": 6, "retryDelay": "powers-of-ten",
        "runOnEdits": true, "triggerWordAnywhere": false, "impersonateUser": false,
        "scriptEnabled": true, "script": "x = ;", "scriptError": {"name": "SyntaxError", "message": "Unexpected token"},
        "_createdAt": created, "_updatedAt": created,
        "_createdBy": {"_id": "u-admin", "username": "admin"}
    })
}

/// The seed most tests use: three incoming, two outgoing.
fn seed() -> Vec<Value> {
    vec![
        incoming(
            "i1",
            "GitHub pushes",
            &["#dev"],
            true,
            "2024-01-03T00:00:00.000Z",
        ),
        incoming(
            "i2",
            "Monitoring alerts",
            &["#ops"],
            false,
            "2024-01-01T00:00:00.000Z",
        ),
        incoming(
            "i3",
            "Build notices",
            &["#general"],
            true,
            "2024-01-05T00:00:00.000Z",
        ),
        outgoing(
            "o1",
            "Deploy bot",
            &["#dev"],
            &["!deploy"],
            "https://deploy.example.com/hook",
            "2024-01-02T00:00:00.000Z",
        ),
        outgoing(
            "o2",
            "Archive",
            &["#general"],
            &["!archive"],
            "https://archive.example.com/in",
            "2024-01-04T00:00:00.000Z",
        ),
    ]
}

fn respond(status: u16, body: Value) -> String {
    format!("{status}\n{body}")
}

fn param(url: &web_sys::Url, key: &str) -> Option<String> {
    url.search_params().get(key)
}

/// The fake server's answer to one request.
fn answer(method: &str, href: &str, body: &str) -> String {
    let Ok(url) = web_sys::Url::new(href) else {
        return respond(400, json!({}));
    };
    let path = url.pathname();
    FAKE.with(|f| {
        let mut f = f.borrow_mut();
        f.calls
            .push((format!("{method} {path}{}", url.search()), body.to_owned()));
        let body: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        match (method, path.as_str()) {
            ("GET", "/api/info") => respond(200, json!({"version": f.version, "success": true})),
            ("GET", "/api/v1/me") => respond(
                200,
                json!({"_id": "u-admin", "username": "admin", "roles": ["admin"], "success": true}),
            ),
            ("GET", "/api/v1/permissions.listAll") => {
                let rows: Vec<Value> = [
                    "manage-incoming-integrations",
                    "manage-own-incoming-integrations",
                    "manage-outgoing-integrations",
                    "manage-own-outgoing-integrations",
                ]
                .iter()
                .map(|p| json!({"_id": p, "roles": ["admin"]}))
                .collect();
                respond(200, json!({"update": rows, "remove": [], "success": true}))
            }
            ("GET", "/api/v1/integrations.list") => {
                if f.hang_list {
                    return "HANG".to_owned();
                }
                if f.list_errors > 0 {
                    f.list_errors -= 1;
                    return respond(500, json!({"success": false, "error": "Internal server error"}));
                }
                let filters = !f.version.starts_with('6');
                let name = param(&url, "name").filter(|_| filters).unwrap_or_default().to_lowercase();
                let kind = param(&url, "type").filter(|_| filters);
                let mut docs: Vec<Value> = f
                    .docs
                    .iter()
                    .filter(|d| kind.as_deref().is_none_or(|k| d["type"] == json!(k)))
                    .filter(|d| d["name"].as_str().unwrap_or("").to_lowercase().contains(&name))
                    .cloned()
                    .collect();
                let sort: Value = param(&url, "sort")
                    .and_then(|s| serde_json::from_str(&s).ok())
                    .unwrap_or(json!({}));
                if let Some((key, dir)) = sort.as_object().and_then(|o| o.iter().next()) {
                    docs.sort_by(|a, b| a[key].as_str().cmp(&b[key].as_str()));
                    if dir == &json!(-1) {
                        docs.reverse();
                    }
                }
                let total = docs.len();
                let offset: usize = param(&url, "offset").and_then(|s| s.parse().ok()).unwrap_or(0);
                let count: usize = param(&url, "count").and_then(|s| s.parse().ok()).unwrap_or(50);
                let page: Vec<Value> = docs.into_iter().skip(offset).take(count).collect();
                respond(
                    200,
                    json!({"integrations": page, "offset": offset, "count": page.len(), "total": total, "success": true}),
                )
            }
            ("PUT", "/api/v1/integrations.update") => {
                let id = body["integrationId"].as_str().unwrap_or("").to_owned();
                if f.refuse_update.contains(&id) {
                    return respond(
                        400,
                        json!({"success": false, "error": "Invalid channel [error-invalid-channel]", "errorType": "error-invalid-channel"}),
                    );
                }
                let Some(doc) = f.docs.iter_mut().find(|d| d["_id"] == json!(id)) else {
                    return respond(400, json!({"success": false, "error": "No integration found."}));
                };
                doc["enabled"] = body["enabled"].clone();
                doc["_updatedAt"] = json!("2024-02-01T00:00:00.000Z");
                respond(200, json!({"integration": doc, "success": true}))
            }
            ("POST", "/api/v1/integrations.remove") => {
                let id = body["integrationId"].clone();
                let before = f.docs.len();
                f.docs.retain(|d| d["_id"] != id);
                if f.docs.len() == before {
                    respond(400, json!({"success": false, "error": "No integration found."}))
                } else {
                    respond(200, json!({"success": true}))
                }
            }
            ("POST", "/api/v1/integrations.create") => {
                f.next_id += 1;
                let mut doc = body.clone();
                doc["_id"] = json!(format!("new{}", f.next_id));
                let channels: Vec<String> = body["channel"]
                    .as_str()
                    .unwrap_or("")
                    .split(',')
                    .map(|c| c.trim().to_owned())
                    .filter(|c| !c.is_empty())
                    .collect();
                doc["channel"] = json!(channels);
                doc["_createdAt"] = json!("2024-03-01T00:00:00.000Z");
                f.docs.push(doc.clone());
                respond(200, json!({"integration": doc, "success": true}))
            }
            _ => respond(404, json!({"success": false, "error": "Not found"})),
        }
    })
}

/// Routes `fetch` to [`answer`], once per test run.
fn install_fake_fetch() {
    let window = web_sys::window().unwrap();
    if js_sys::Reflect::has(&window, &"__fake".into()).unwrap() {
        return;
    }
    let handler = Closure::<dyn Fn(String, String, String) -> String>::new(
        |method: String, url: String, body: String| answer(&method, &url, &body),
    );
    js_sys::Reflect::set(&window, &"__fake".into(), handler.as_ref()).unwrap();
    handler.forget();
    js_sys::eval(
        r#"window.fetch = async (input, init) => {
            await Promise.resolve();
            const req = input instanceof Request ? input : new Request(input, init);
            const body = req.method === "GET" ? "" : await req.text();
            const out = window.__fake(req.method, req.url, body);
            if (out === "HANG") return new Promise(() => {});
            const i = out.indexOf("\n");
            return new Response(out.slice(i + 1), {
                status: Number(out.slice(0, i)),
                headers: { "content-type": "application/json" },
            });
        };"#,
    )
    .unwrap();
}

/// Mounts the app at `path` (a list address), signed in, against a fresh fake server.
fn start(path: &str, version: &str, docs: Vec<Value>) {
    install_fake_fetch();
    FAKE.with(|f| {
        *f.borrow_mut() = Fake {
            version: version.to_owned(),
            docs,
            ..Fake::default()
        }
    });
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    mount_app(path, &origin, "u-admin", || {});
}

fn with_fake<T>(f: impl FnOnce(&mut Fake) -> T) -> T {
    FAKE.with(|x| f(&mut x.borrow_mut()))
}

fn list_calls() -> Vec<String> {
    with_fake(|f| {
        f.calls
            .iter()
            .filter(|(c, _)| c.contains("integrations.list"))
            .map(|(c, _)| c.clone())
            .collect()
    })
}

fn names() -> Vec<String> {
    query_all("#test-root table.list-table tbody th[scope=row]")
        .iter()
        .map(|e| e.text_content().unwrap_or_default())
        .collect()
}

fn address() -> String {
    let l = web_sys::window().unwrap().location();
    format!("{}{}", l.pathname().unwrap(), l.search().unwrap())
}

async fn rows_are(want: &[&str]) {
    until(&format!("rows {want:?}"), || names() == want).await;
}

fn button_named(text: &str) -> web_sys::HtmlElement {
    query_all("#test-root button, #test-root a")
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default().trim() == text)
        .unwrap_or_else(|| panic!("no button {text}"))
        .dyn_into()
        .unwrap()
}

fn row_checkbox(name: &str) -> web_sys::HtmlInputElement {
    input(&format!("#test-root input[aria-label='Select {name}']"))
}

fn check(el: &web_sys::HtmlInputElement) {
    el.click();
}

#[wasm_bindgen_test]
async fn shows_each_integration_with_its_health_at_a_glance() {
    start("/integrations", "8.8.1", seed());
    rows_are(&[
        "Archive",
        "Build notices",
        "Deploy bot",
        "GitHub pushes",
        "Monitoring alerts",
    ])
    .await;
    let body = text("#test-root table.list-table tbody");
    for expected in [
        "Outgoing",
        "Incoming",
        "Message sent",
        "#dev",
        "rocket.cat",
        "Disabled",
        "Enabled",
        "Error",
        "admin · 2024-01-03",
    ] {
        assert!(body.contains(expected), "{expected} in {body}");
    }
    let headers = text("#test-root table.list-table thead");
    for h in [
        "Name", "Kind", "Event", "Channels", "Post as", "Enabled", "Script", "Created",
    ] {
        assert!(headers.contains(h), "{h}");
    }
    assert_eq!(
        query("#test-root th[aria-sort]")
            .unwrap()
            .text_content()
            .unwrap(),
        "Name"
    );
    // Row actions: incoming rows can copy their URL; every row links to edit and duplicate.
    assert!(query("#test-root a[href='/integrations/incoming/i1']").is_some());
    assert!(query("#test-root a[href='/integrations/new/outgoing?duplicate=o1']").is_some());
    assert_eq!(query_all("#test-root .row-actions").len(), 5);
    assert_eq!(
        query_all("#test-root .row-actions button")
            .iter()
            .filter(|b| b.text_content().unwrap().starts_with("Copy URL"))
            .count(),
        3
    );
    assert!(text("#test-root .pager").contains("Showing 1–5 of 5"));
    assert!(query("#test-root a[href='/integrations/new/incoming']").is_some());
    // One list request, with an explicit sort.
    assert_eq!(
        list_calls(),
        vec!["GET /api/v1/integrations.list?count=25&offset=0&sort=%7B%22name%22%3A1%7D"]
    );
}

#[wasm_bindgen_test]
async fn tabs_and_search_live_in_the_address_and_search_narrows_at_once() {
    start("/integrations", "8.8.1", seed());
    rows_are(&[
        "Archive",
        "Build notices",
        "Deploy bot",
        "GitHub pushes",
        "Monitoring alerts",
    ])
    .await;
    button_named("Incoming").click();
    rows_are(&["Build notices", "GitHub pushes", "Monitoring alerts"]).await;
    assert_eq!(address(), "/integrations?tab=incoming");
    assert_eq!(
        query("#test-root a[aria-current=page].tab")
            .unwrap()
            .text_content()
            .unwrap(),
        "Incoming"
    );
    assert!(list_calls()
        .last()
        .unwrap()
        .ends_with("&type=webhook-incoming"));

    // Typing narrows the loaded rows at once (channels too), before any request.
    let before = list_calls().len();
    type_into("#list-search", "#dev");
    assert_eq!(input("#list-search").value(), "#dev");
    rows_are(&["GitHub pushes"]).await;
    assert_eq!(list_calls().len(), before, "no request while typing");
    // After the pause, the search goes to the address and the server's name filter; the
    // channel match found among the loaded rows stays.
    until("search in the address", || {
        address() == "/integrations?tab=incoming&q=%23dev"
    })
    .await;
    until("name-filtered request", || list_calls().len() == before + 1).await;
    assert!(list_calls()
        .last()
        .unwrap()
        .contains("&name=%23dev&type=webhook-incoming"));
    rows_are(&["GitHub pushes"]).await;
    assert!(text("#test-root .pager").contains("found by channel, URL or trigger word"));

    // Back returns to the unsearched tab and puts the box back.
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .back()
        .unwrap();
    until("back to the previous address", || {
        address() == "/integrations"
    })
    .await;
    until("search box follows", || {
        input("#list-search").value().is_empty()
    })
    .await;
    rows_are(&[
        "Archive",
        "Build notices",
        "Deploy bot",
        "GitHub pushes",
        "Monitoring alerts",
    ])
    .await;
}

#[wasm_bindgen_test]
async fn reload_restores_the_state_from_the_address() {
    start(
        "/integrations?tab=outgoing&q=deploy&sort=created&dir=desc",
        "8.8.1",
        seed(),
    );
    rows_are(&["Deploy bot"]).await;
    assert_eq!(input("#list-search").value(), "deploy");
    assert_eq!(
        query("#test-root a[aria-current=page].tab")
            .unwrap()
            .text_content()
            .unwrap(),
        "Outgoing"
    );
    let order: web_sys::HtmlSelectElement = query("#list-order").unwrap().dyn_into().unwrap();
    assert_eq!(order.selected_index(), 2, "Newest first");
    assert_eq!(
        list_calls(),
        vec!["GET /api/v1/integrations.list?count=25&offset=0&sort=%7B%22_createdAt%22%3A-1%7D&name=deploy&type=webhook-outgoing"]
    );
}

fn many(n: usize) -> Vec<Value> {
    (1..=n)
        .map(|i| {
            incoming(
                &format!("m{i:03}"),
                &format!("Hook {i:03}"),
                &["#general"],
                true,
                &format!("2024-01-01T00:{:02}:{:02}.000Z", i / 60, i % 60),
            )
        })
        .collect()
}

#[wasm_bindgen_test]
async fn order_page_size_and_paging_go_through_the_address() {
    start("/integrations", "8.8.1", many(30));
    until("first page", || names().len() == 25).await;
    assert!(text("#test-root .pager").contains("Showing 1–25 of 30"));
    assert!(text("#test-root .pager").contains("Page 1 of 2"));
    button_named("Next").click();
    until("second page", || {
        names() == ["Hook 026", "Hook 027", "Hook 028", "Hook 029", "Hook 030"]
    })
    .await;
    assert_eq!(address(), "/integrations?page=2");
    assert!(list_calls().last().unwrap().contains("count=25&offset=25"));

    // A new order starts again on page 1.
    let order: web_sys::HtmlSelectElement = query("#list-order").unwrap().dyn_into().unwrap();
    order.set_selected_index(2);
    order
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    until("newest first", || {
        names().first().map(String::as_str) == Some("Hook 030")
    })
    .await;
    assert_eq!(address(), "/integrations?sort=created&dir=desc");
    let size: web_sys::HtmlSelectElement = query("#list-size").unwrap().dyn_into().unwrap();
    size.set_value("50");
    size.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    until("one page of 50", || names().len() == 30).await;
    assert_eq!(address(), "/integrations?sort=created&dir=desc&size=50");
    assert!(list_calls()
        .last()
        .unwrap()
        .starts_with("GET /api/v1/integrations.list?count=50&offset=0"));
}

#[wasm_bindgen_test]
async fn an_old_server_is_loaded_once_and_searched_ordered_and_paged_here() {
    let mut docs = many(28);
    docs.extend(seed());
    start("/integrations", "6.13.0", docs);
    until("first page", || names().len() == 25).await;
    assert!(text("#test-root .pager").contains("of 33"));
    // URLs and trigger words are searched too, without a request.
    let calls = list_calls().len();
    type_into("#list-search", "archive.example");
    rows_are(&["Archive"]).await;
    type_into("#list-search", "!DEPLOY");
    rows_are(&["Deploy bot"]).await;
    type_into("#list-search", "#ops");
    rows_are(&["Monitoring alerts"]).await;
    button_named("Outgoing").click();
    until("outgoing tab", || address().contains("tab=outgoing")).await;
    until("no outgoing match", || {
        text("#test-root .empty-state").contains("No integrations match “#ops”")
    })
    .await;
    button_named("Clear the search").click();
    rows_are(&["Archive", "Deploy bot"]).await;
    assert_eq!(list_calls().len(), calls, "everything was searched here");
    // Order is applied here too.
    let order: web_sys::HtmlSelectElement = query("#list-order").unwrap().dyn_into().unwrap();
    order.set_selected_index(1);
    order
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    rows_are(&["Deploy bot", "Archive"]).await;
    assert_eq!(list_calls().len(), calls);
    assert!(!list_calls()
        .iter()
        .any(|c| c.contains("name=") || c.contains("type=")));
}

#[wasm_bindgen_test]
async fn a_bulk_disable_lists_the_names_first_and_reports_the_one_failure() {
    start("/integrations?tab=incoming", "8.8.1", seed());
    rows_are(&["Build notices", "GitHub pushes", "Monitoring alerts"]).await;
    // Monitoring alerts is already disabled; add an enabled one the server refuses.
    with_fake(|f| f.refuse_update.push("i3".into()));
    check(&row_checkbox("Build notices"));
    check(&row_checkbox("GitHub pushes"));
    check(&row_checkbox("Monitoring alerts"));
    until("bulk bar", || {
        text("#test-root .bulk-bar").contains("3 integrations selected")
    })
    .await;
    button_named("Disable").click();
    until("dialog open", || query("dialog[open]").is_some()).await;
    assert_eq!(text("dialog h2"), "Disable 3 integrations?");
    let listed: Vec<String> = query_all("dialog .name-list li")
        .iter()
        .map(|e| e.text_content().unwrap())
        .collect();
    assert_eq!(
        listed,
        ["Build notices", "GitHub pushes", "Monitoring alerts"]
    );
    button_named("Disable 3 integrations").click();
    until("report", || {
        query("#test-root .report:not([hidden])").is_some()
    })
    .await;
    let reason = hookpanel::core::errors::decode(
        Some(400),
        r#"{"success":false,"error":"Invalid channel [error-invalid-channel]","errorType":"error-invalid-channel"}"#,
        None,
    )
    .unwrap_err()
    .display();
    assert_eq!(
        text("#test-root .report p"),
        format!("1 disabled, 1 already disabled, 1 failed: Build notices — {reason}")
    );
    // One update per changed row, each with the whole object; the already disabled one
    // was not sent.
    let updates: Vec<Value> = with_fake(|f| {
        f.calls
            .iter()
            .filter(|(c, _)| c.starts_with("PUT"))
            .map(|(_, b)| serde_json::from_str(b).unwrap())
            .collect()
    });
    assert_eq!(updates.len(), 2);
    for u in &updates {
        assert_eq!(u["enabled"], json!(false));
        assert_eq!(u["username"], json!("rocket.cat"));
        assert!(u["channel"].is_string());
    }
    // The row shows its new state; the failed one stays selected for a retry.
    let github = query_all("#test-root tbody tr")
        .into_iter()
        .find(|r| r.text_content().unwrap().contains("GitHub pushes"))
        .unwrap();
    assert!(github.text_content().unwrap().contains("Disabled"));
    assert!(row_checkbox("Build notices").checked());
    assert!(!row_checkbox("GitHub pushes").checked());
    assert!(text("#test-root .bulk-bar").contains("1 integration selected"));
}

#[wasm_bindgen_test]
async fn a_row_toggles_in_place_and_keeps_the_focus() {
    start("/integrations", "8.8.1", seed());
    rows_are(&[
        "Archive",
        "Build notices",
        "Deploy bot",
        "GitHub pushes",
        "Monitoring alerts",
    ])
    .await;
    let button = button_named("Disable GitHub pushes");
    button.focus().unwrap();
    button.click();
    until("enable offered", || {
        query_all("#test-root .row-actions button")
            .iter()
            .any(|b| b.text_content().unwrap() == "Enable GitHub pushes")
    })
    .await;
    // The row was redrawn; the focus is on its toggle still.
    let focused = document().active_element().unwrap();
    assert_eq!(focused.text_content().unwrap(), "Enable GitHub pushes");
    let row = focused.closest("tr").unwrap().unwrap();
    assert!(row.text_content().unwrap().contains("Disabled"));
    let put = with_fake(|f| f.calls.iter().filter(|(c, _)| c.starts_with("PUT")).count());
    assert_eq!(put, 1);
    assert_eq!(list_calls().len(), 1, "no reload after a toggle");
}

#[wasm_bindgen_test]
async fn delete_asks_first_then_removes_the_row() {
    start("/integrations", "8.8.1", seed());
    rows_are(&[
        "Archive",
        "Build notices",
        "Deploy bot",
        "GitHub pushes",
        "Monitoring alerts",
    ])
    .await;
    button_named("Delete Archive").click();
    until("dialog", || query("dialog[open]").is_some()).await;
    assert_eq!(text("dialog h2"), "Delete “Archive”?");
    assert!(text("dialog").contains("cannot be undone"));
    // Cancel leaves everything alone.
    button_named("Cancel").click();
    until("closed", || query("dialog[open]").is_none()).await;
    assert_eq!(with_fake(|f| f.docs.len()), 5);
    button_named("Delete Archive").click();
    until("dialog", || query("dialog[open]").is_some()).await;
    query_all("dialog button")
        .into_iter()
        .find(|b| b.text_content().unwrap() == "Delete")
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
        .click();
    rows_are(&[
        "Build notices",
        "Deploy bot",
        "GitHub pushes",
        "Monitoring alerts",
    ])
    .await;
    assert_eq!(with_fake(|f| f.docs.len()), 4);
}

#[wasm_bindgen_test]
async fn loading_shows_skeleton_rows() {
    install_fake_fetch();
    start("/integrations", "8.8.1", seed());
    with_fake(|f| f.hang_list = true);
    until("skeleton", || query("#test-root .skeleton-row").is_some()).await;
    assert_eq!(query_all("#test-root .skeleton-row").len(), 5);
    assert!(query("#test-root table[aria-busy=true]").is_some());
}

#[wasm_bindgen_test]
async fn a_failed_load_explains_and_retries() {
    start("/integrations", "8.8.1", seed());
    with_fake(|f| f.list_errors = 1);
    let shown_error = "#test-root .alert-error:not([hidden])";
    until("error", || query(shown_error).is_some()).await;
    assert!(text(shown_error).contains("internal error"));
    button_named("Retry").click();
    rows_are(&[
        "Archive",
        "Build notices",
        "Deploy bot",
        "GitHub pushes",
        "Monitoring alerts",
    ])
    .await;
}

#[wasm_bindgen_test]
async fn an_empty_server_offers_the_new_buttons() {
    start("/integrations", "8.8.1", Vec::new());
    until("empty state", || query("#test-root .empty-state").is_some()).await;
    assert_eq!(text("#test-root .empty-state p"), "No integrations yet.");
    assert!(query("#test-root .empty-state a[href='/integrations/new/incoming']").is_some());
    assert!(query("#test-root .empty-state a[href='/integrations/new/outgoing']").is_some());
}

/// Puts a file with `text` into the import input, as choosing it would.
fn choose_file(text: &str) {
    let window = web_sys::window().unwrap();
    js_sys::Reflect::set(&window, &"__importText".into(), &text.into()).unwrap();
    js_sys::eval(
        r#"(() => {
            const dt = new DataTransfer();
            dt.items.add(new File([window.__importText], "hooks.json", { type: "application/json" }));
            const input = document.getElementById("import-file");
            input.files = dt.files;
            input.dispatchEvent(new Event("change"));
        })()"#,
    )
    .unwrap();
}

#[wasm_bindgen_test]
async fn export_then_import_previews_checks_and_creates_each_entry() {
    start("/integrations", "8.8.1", seed());
    rows_are(&[
        "Archive",
        "Build notices",
        "Deploy bot",
        "GitHub pushes",
        "Monitoring alerts",
    ])
    .await;
    // Capture the download instead of saving it.
    js_sys::eval(
        r#"window.__blobs = []; URL.createObjectURL = (b) => { window.__blobs.push(b); return "blob:captured"; };"#,
    )
    .unwrap();
    check(&row_checkbox("Deploy bot"));
    check(&row_checkbox("GitHub pushes"));
    until("bulk bar", || query("#test-root .bulk-bar").is_some()).await;
    button_named("Export").click();
    until("dialog", || query("dialog[open]").is_some()).await;
    assert_eq!(text("dialog h2"), "Export 2 integrations?");
    assert!(
        !input("dialog input[type=checkbox]").checked(),
        "tokens off by default"
    );
    button_named("Download").click();
    until("a file", || {
        js_sys::eval("window.__blobs.length").unwrap().as_f64() == Some(1.0)
    })
    .await;
    let blob: web_sys::Blob = js_sys::eval("window.__blobs[0]")
        .unwrap()
        .dyn_into()
        .unwrap();
    let text_value = wasm_bindgen_futures::JsFuture::from(blob.text())
        .await
        .unwrap();
    let file = text_value.as_string().unwrap();
    let doc: Value = serde_json::from_str(&file).unwrap();
    assert_eq!(doc["format"], json!("hookpanel-integrations"));
    assert_eq!(doc["integrations"].as_array().unwrap().len(), 2);
    assert!(!file.contains("tok"), "no tokens");

    // Import into a server that already has one of the two, plus a broken entry.
    let mut doc = doc;
    doc["integrations"].as_array_mut().unwrap().push(json!({"type": "webhook-incoming", "name": "No target", "username": "rocket.cat", "channel": []}));
    with_fake(|f| f.docs.retain(|d| d["_id"] != json!("o1")));
    choose_file(&doc.to_string());
    until("preview", || {
        query("#test-root .import-panel:not([hidden])").is_some()
            && text("#test-root .import-panel tbody").contains("Deploy bot")
    })
    .await;
    until("focus on the preview", || {
        document().active_element().map(|e| e.id()) == Some("import-title".into())
    })
    .await;
    let panel = text("#test-root .import-panel");
    assert!(
        panel.contains(
            "3 integrations in the file: 2 can be created, 1 cannot, 1 with a name already in use."
        ),
        "{panel}"
    );
    assert!(panel.contains("Name in use"));
    assert!(panel.contains("Message sent in #dev → https://deploy.example.com/hook"));
    assert!(
        panel.contains("Post to:"),
        "the broken entry says why: {panel}"
    );
    assert!(input("#test-root input[aria-label='Create No target']").disabled());
    // Leave out the one whose name exists.
    input("#test-root input[aria-label='Create GitHub pushes']").click();
    until("one left to create", || {
        text("#test-root .import-panel .btn-primary") == "Create 1 integration"
    })
    .await;
    button_named("Create 1 integration").click();
    until("created", || text("#test-root .report p") == "1 created").await;
    assert!(text("#test-root .import-panel").contains("Created"));
    let created: Vec<Value> = with_fake(|f| {
        f.calls
            .iter()
            .filter(|(c, _)| c.starts_with("POST /api/v1/integrations.create"))
            .map(|(_, b)| serde_json::from_str(b).unwrap())
            .collect()
    });
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["name"], json!("Deploy bot"));
    assert_eq!(
        created[0]["urls"],
        json!(["https://deploy.example.com/hook"])
    );
    assert_eq!(created[0]["script"], json!("x = ;"));
    assert!(
        created[0]["token"].as_str().unwrap().len() >= 24,
        "a fresh token"
    );
    rows_are(&[
        "Archive",
        "Build notices",
        "Deploy bot",
        "GitHub pushes",
        "Monitoring alerts",
    ])
    .await;
}
