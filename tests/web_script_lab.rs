//! Component tests of the script lab in the incoming editor, in headless Chromium. The test
//! server has no `/lab/runner.html`, so scripts do not run here (the end-to-end specs run
//! them); these tests check the wiring: the isolated iframe made on first use only, the form's
//! save blocked by a syntax error while the script is enabled, and clear messages.
#![cfg(target_arch = "wasm32")]

mod web_support;

use hookpanel::components::FormState;
use hookpanel::core::form::{Form, IncomingForm};
use hookpanel::core::version::Features;
use hookpanel::core::Field;
use leptos::prelude::Owner;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_support::*;
use web_sys::HtmlTextAreaElement;

wasm_bindgen_test_configure!(run_in_browser);

const SERVER: &str = "http://127.0.0.1:9";

async fn open_new_form() {
    mount_app("/integrations/new/incoming", SERVER, "u-lab", || {});
    until("the incoming form", || query("#field-post-as").is_some()).await;
}

fn set_script(text: &str) {
    let area: HtmlTextAreaElement = query(&format!("#{}", Field::Script.id()))
        .expect("the script editor")
        .dyn_into()
        .unwrap();
    area.set_value(text);
    area.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn open_lab() {
    let details: web_sys::HtmlDetailsElement =
        query("details.lab").expect("the lab").dyn_into().unwrap();
    details.set_open(true);
}

#[wasm_bindgen_test]
async fn the_lab_is_offered_with_payload_templates_and_loads_nothing_until_used() {
    open_new_form().await;
    // The script field shows once scripts are on.
    click(&format!("#{}", Field::ScriptEnabled.id()));
    until("the script editor", || query("details.lab").is_some()).await;
    assert!(
        query("iframe.lab-frame").is_none(),
        "no runner before first use"
    );
    open_lab();
    let options: Vec<String> = query_all("#lab-template option")
        .iter()
        .map(|o| o.text_content().unwrap_or_default())
        .collect();
    assert_eq!(options.len(), 4, "{options:?}");
    assert!(options.iter().any(|o| o.contains("Git push")));
    assert!(text("#lab-body").contains("refs/heads/main"));
    // Another template replaces the sample.
    let select: web_sys::HtmlSelectElement = query("#lab-template").unwrap().dyn_into().unwrap();
    select.set_value("3");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    settle(20).await;
    let body: HtmlTextAreaElement = query("#lab-body").unwrap().dyn_into().unwrap();
    assert!(body.value().contains("\"text\""), "{}", body.value());
    // Run without a script says so, still without a runner.
    click(".lab .btn-primary");
    until("the empty-script message", || {
        text(".lab-results").contains("Write a script first")
    })
    .await;
    assert!(query("iframe.lab-frame").is_none());
}

#[wasm_bindgen_test]
async fn the_runner_is_an_opaque_origin_iframe_made_on_first_run() {
    open_new_form().await;
    click(&format!("#{}", Field::ScriptEnabled.id()));
    until("the script editor", || query("details.lab").is_some()).await;
    set_script(
        "class Script { process_incoming_request() { return { content: { text: 'x' } }; } }",
    );
    open_lab();
    click(".lab .btn-primary");
    until("the runner iframe", || query("iframe.lab-frame").is_some()).await;
    let frame = query("iframe.lab-frame").unwrap();
    // Scripts only: no allow-same-origin, so the runner cannot reach this page's origin.
    assert_eq!(
        frame.get_attribute("sandbox").as_deref(),
        Some("allow-scripts")
    );
    assert_eq!(
        frame.get_attribute("src").as_deref(),
        Some("/lab/runner.html")
    );
    assert_eq!(query_all("iframe.lab-frame").len(), 1);
    assert!(text(".lab .btn-primary").contains("Running"));
}

#[wasm_bindgen_test]
fn a_syntax_error_blocks_the_save_while_the_script_is_enabled() {
    Owner::new().with(|| {
        let form = Form::Incoming(IncomingForm::new());
        let state = FormState::new(form, Features::latest(), None);
        state.set_text(Field::Name, "Lab".into());
        state.set_text(Field::Channel, "#general".into());
        state.set_text(Field::PostAs, "rocket.cat".into());
        state.set_flag(Field::ScriptEnabled, true);
        state.set_text(Field::Script, "class Script {".into());
        assert!(
            state.submit().is_some(),
            "valid apart from the lab: {:?}",
            state.problems()
        );

        // The lab found a syntax error: the save is refused and the summary names it.
        let finding = "Syntax error at line 1, column 15: Unexpected end of input";
        state.script_syntax.set(Some(finding.into()));
        assert!(state.submit().is_none());
        let problems = state.problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, Field::Script);
        assert_eq!(problems[0].message, finding);

        // Scripts off: the script editor shows it as a warning; saving is allowed.
        state.set_flag(Field::ScriptEnabled, false);
        assert!(state.submit().is_some());
        assert!(state.problems().is_empty());
    });
}
