//! Component tests of the script lab's form wiring, in headless Chromium: a syntax error the
//! lab found blocks the save while the script is enabled; the runner iframe exists only from
//! the first edit of the script until the editor goes. Scripts themselves run in the
//! end-to-end specs (script-lab*.spec.mjs), where `/lab/runner.html` is served.
#![cfg(target_arch = "wasm32")]

mod web_support;

use hookpanel::components::FormState;
use hookpanel::core::form::{Form, IncomingForm};
use hookpanel::core::version::Features;
use hookpanel::core::Field;
use leptos::prelude::{Owner, Set};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_support::*;

wasm_bindgen_test_configure!(run_in_browser);

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

fn runner_frames() -> usize {
    query_all("iframe.lab-frame").len()
}

fn type_script(script: &str) {
    let area: web_sys::HtmlTextAreaElement = query("#field-script").unwrap().dyn_into().unwrap();
    area.set_value(script);
    area.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn the_runner_starts_on_the_first_edit_and_goes_with_the_editor() {
    mount_app(
        "/integrations/new/incoming",
        "http://127.0.0.1:9",
        "u-lab",
        || {},
    );
    until("the incoming form", || query("#field-script").is_some()).await;
    settle(600).await;
    assert_eq!(runner_frames(), 0, "no runner before the script is edited");

    // The syntax check runs a moment after typing, in one sandboxed runner.
    type_script("class Script {");
    until("the runner iframe", || runner_frames() == 1).await;
    let frame = query("iframe.lab-frame").unwrap();
    assert_eq!(
        frame.get_attribute("sandbox").as_deref(),
        Some("allow-scripts")
    );
    assert_eq!(frame.get_attribute("aria-hidden").as_deref(), Some("true"));
    type_script("class Script { }");
    settle(600).await;
    assert_eq!(
        runner_frames(),
        1,
        "one runner per editor, however often it checks"
    );

    // Leaving the editor removes it.
    unmount();
    assert_eq!(runner_frames(), 0, "the runner left with the editor");
}
